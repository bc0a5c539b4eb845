#pragma once

#include "http_types.h"
#include "net/connection_limits.h"
#include "request_framer.h"

#include <QBasicTimer>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <optional>

namespace sanayicin {

class HttpServer;

// The guard of one HTTP connection, a child of its QTcpSocket.
//
// QtHttpServer 6.4 reads every byte a socket gets into its own buffers
// before anyone can look at a request (and keeps it twice while a request is
// incomplete: in the socket's transaction and in its parser). This object's
// readyRead slot is connected before QtHttpServer's, so it sees each new
// chunk of bytes first (peeked, not consumed) and runs them through a
// RequestFramer; a second slot, connected after QtHttpServer's, notes what
// QtHttpServer left unread, so that the first one knows which bytes are new.
// A request that breaks the framing rules or a limit never reaches
// QtHttpServer: its bytes are dropped, QtHttpServer is cut off the socket,
// the error response goes out after every response still owed on the
// connection, and the connection closes after a short linger that lets the
// client read it.
//
// It also keeps the idle deadline and the whole-request deadline (408),
// pauses reading while too many responses are owed (HttpServer decides), and
// holds the connection's place under the connection caps until the
// connection, or the WebSocket it becomes, ends.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        FramingLimits framing;
        int idleTimeoutMs = 60000;
        int requestTimeoutMs = 30000;
        int lingerMs = 2000;
    };

    HttpConnection(QTcpSocket *socket, const Settings &settings, ConnectionTicket ticket);

    // The socket's read buffer: large enough for the largest request the
    // limits let through (QtHttpServer keeps a request whole until it is
    // complete), and no larger.
    static qint64 readBufferSize(const FramingLimits &limits);

    // After QtHttpServer has connected its own readyRead handler.
    void attach(HttpServer *server);

    QTcpSocket *socket() const { return m_socket; }
    void touch(); // a request arrived: the idle deadline starts again

    // Refuses the connection: `response` goes out after the responses owed
    // for the requests before, then the connection closes.
    void refuse(const HttpResponse &response);
    // Called by HttpServer once that response is written.
    void lingerAndClose();

    // Stops QtHttpServer reading requests while too many are unanswered.
    void pause();
    void resume();
    bool paused() const { return m_paused; }

    // The connection becomes a WebSocket: no more framing or deadlines. The
    // caller takes the connection's place under the caps along (native
    // transport), or leaves it here (the QWebSocket keeps this socket).
    void detachForUpgrade();
    ConnectionTicket takeTicket() { return std::move(m_ticket); }
    void keepTicket(ConnectionTicket ticket) { m_extraTicket = std::move(ticket); }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class State { Open, Refused, Lingering, Upgraded };

    void beforeQt();
    void afterQt();
    void updateRequestDeadline();
    void refuseAtBoundary(const HttpResponse &response);
    void refuseNow();
    void dropInput();
    void shutdownWrite();
    qint64 consumedByQt() const;

    QTcpSocket *m_socket;
    QPointer<HttpServer> m_server;
    Settings m_settings;
    RequestFramer m_framer;
    ConnectionTicket m_ticket;
    ConnectionTicket m_extraTicket; // per client address, for a WebSocket a proxy forwards
    State m_state = State::Open;

    qint64 m_arrived = 0;    // bytes that reached the socket's buffer so far
    qint64 m_unconsumed = 0; // of those, what QtHttpServer had not read when last seen

    // A refusal waiting for QtHttpServer to take the complete requests before it.
    std::optional<HttpResponse> m_refusal;
    qint64 m_refusalCut = 0;

    bool m_paused = false;
    QBasicTimer m_idleTimer;
    QBasicTimer m_requestTimer;
    QBasicTimer m_lingerTimer;
    QBasicTimer m_pauseTimer;
};

} // namespace sanayicin
