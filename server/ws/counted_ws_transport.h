#pragma once

#include "net/connection_limits.h"
#include "ws_transport.h"

#include <memory>

namespace sanayicin {

// A WebSocket transport that holds its connection's places under the
// connection caps (taken when the TCP connection was accepted, or for the
// client a proxy forwards) for as long as the WebSocket lives. Everything
// else passes straight through to the transport it wraps.
class CountedWsTransport final : public WsTransport
{
public:
    CountedWsTransport(std::unique_ptr<WsTransport> inner, ConnectionTicket ticket,
                       ConnectionTicket forwarded);
    ~CountedWsTransport() override;

    void sendText(const QByteArray &utf8) override { m_inner->sendText(utf8); }
    qint64 pendingBytes() const override { return m_inner->pendingBytes(); }
    void close(int code, const QString &reason) override { m_inner->close(code, reason); }
    void abort() override { m_inner->abort(); }
    void ping() override { m_inner->ping(); }
    QString peerAddress() const override { return m_inner->peerAddress(); }
    QByteArray authorizationHeader() const override { return m_inner->authorizationHeader(); }

private:
    std::unique_ptr<WsTransport> m_inner;
    ConnectionTicket m_ticket;
    ConnectionTicket m_forwarded;
};

} // namespace sanayicin
