#pragma once

// A real HTTP/1.1 receiver on a loopback port for the webhook tests: it
// reads each request whole (header section, then Content-Length bytes),
// records it, and answers with the status it is told to, or never (to make
// the sender's deadline pass). One request per connection.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTcpServer>

namespace sanayicin::test {

class WebhookReceiver : public QObject
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
    };

    WebhookReceiver();
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QByteArray &pathAndQuery = "/hook?token=t0ps3cret") const;

    int status = 200; // 0: answer nothing
    qint64 bodyBytes = 2; // of the answer
    QList<Request> requests;

private:
    void onConnection();
    QTcpServer m_server;
};

} // namespace sanayicin::test
