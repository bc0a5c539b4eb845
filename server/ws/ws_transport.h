#pragma once

#include <QByteArray>
#include <QString>
#include <functional>

namespace sanayicin {

// One WebSocket as a ClientConnection sees it: text in, text out, close
// codes. Two implementations: QtWebSockets' QWebSocket (qt_ws_transport.h)
// and our own on the raw socket (native_ws_transport.h), chosen with
// --websocket; see docs/architecture.md for why both exist.
class WsTransport
{
public:
    struct Handlers
    {
        std::function<void(const QByteArray &utf8)> text;
        std::function<void()> binary;
        std::function<void()> heard;               // any frame, pongs included
        std::function<void(int closeCode)> closed; // once; 1006 without a close frame
    };

    virtual ~WsTransport() = default;
    void setHandlers(Handlers handlers) { m_handlers = std::move(handlers); }

    virtual void sendText(const QByteArray &utf8) = 0;
    virtual qint64 pendingBytes() const = 0; // accepted but not yet on the wire
    virtual void close(int code, const QString &reason) = 0;
    virtual void abort() = 0;
    virtual void ping() = 0;
    virtual QString peerAddress() const = 0;
    virtual QByteArray authorizationHeader() const = 0; // of the upgrade request

protected:
    Handlers m_handlers;
};

} // namespace sanayicin
