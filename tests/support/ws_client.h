#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace sanayicin::test {

// A WebSocket client for tests: it records every frame it receives, in
// order, and waits for the ones a test expects.
class WsClient : public QObject
{
    Q_OBJECT
public:
    WsClient();

    // Opens the socket; with a token, authenticates by header.
    bool open(const QUrl &url, const QString &headerToken = {}, int timeoutMs = 10000);
    // Opens, authenticates (header, or first frame when `byFrame`), and waits
    // for hello. Returns the hello frame (empty on failure).
    QJsonObject connectAndHello(const QUrl &url, const QString &token, bool byFrame = false);

    void send(const QJsonObject &frame);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);

    // The next frame not yet taken, of any type / of this type (frames of
    // other types stay queued). Empty object on timeout.
    QJsonObject next(int timeoutMs = 5000);
    QJsonObject nextOfType(const QString &type, int timeoutMs = 5000);
    // Frames of `type` received so far (taken or not).
    QList<QJsonObject> received(const QString &type) const;
    QList<QJsonObject> all() const { return m_all; }
    void clearQueue() { m_queue.clear(); }

    bool waitClosed(int timeoutMs = 10000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    int closeCode() const { return m_closeCode; }
    void close() { m_socket.close(); }
    void abort() { m_socket.abort(); }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_queue;
    QList<QJsonObject> m_all;
    int m_closeCode = -1;
    bool m_closed = false;
};

} // namespace sanayicin::test
