#pragma once

#include "ws_transport.h"

#include <QWebSocket>
#include <memory>

namespace sanayicin {

// A QWebSocket handed over by QAbstractHttpServer's upgrade.
class QtWsTransport final : public WsTransport
{
public:
    QtWsTransport(std::unique_ptr<QWebSocket> socket, qint64 frameLimit);
    ~QtWsTransport() override;

    void sendText(const QByteArray &utf8) override;
    qint64 pendingBytes() const override { return m_socket->bytesToWrite(); }
    void close(int code, const QString &reason) override;
    void abort() override;
    void ping() override { m_socket->ping(); }
    QString peerAddress() const override { return m_socket->peerAddress().toString(); }
    QByteArray authorizationHeader() const override
    {
        return m_socket->request().rawHeader("Authorization");
    }

private:
    std::unique_ptr<QWebSocket> m_socket;
    bool m_closedReported = false;
};

} // namespace sanayicin
