#include "client_connection.h"

#include "close_codes.h"
#include "logging/log.h"
#include "metrics/server_metrics.h"
#include "protocol/server_frames.h"
#include "time/clock.h"
#include "ws_gateway.h"
#include "ws_transport.h"

namespace sanayicin {

using namespace ws;

namespace {
constexpr qint64 kCloseGraceMs = 5000; // then a closing socket is aborted
} // namespace

ClientConnection::ClientConnection(WsGateway &gateway, std::unique_ptr<WsTransport> transport,
                                   qint64 id, qint64 openedAtMs, std::unique_ptr<AdminWatch> admin)
    : m_gateway(gateway), m_ws(std::move(transport)), m_id(id), m_openedAtMs(openedAtMs)
    , m_openedSteadyMs(steadyMs()), m_lastHeardMs(m_openedSteadyMs), m_admin(std::move(admin))
{
    m_ws->setHandlers({[this](const QByteArray &utf8) { onText(utf8); }, [this] { onBinary(); },
                       [this] { m_lastHeardMs = steadyMs(); },
                       [this](int code) { onClosed(code); }});
}

ClientConnection::~ClientConnection()
{
    stopWatching();
    m_gateway.forget(this);
    if (m_ws) {
        m_ws->setHandlers({});
        m_ws->abort();
    }
}

chat::Caller ClientConnection::caller()
{
    return {this, &m_gateway, &ClientConnection::listening};
}

bool ClientConnection::listening(const QObject *connection)
{
    return static_cast<const ClientConnection *>(connection)->m_state == State::Open;
}

QString ClientConnection::peerAddress() const
{
    return m_ws->peerAddress();
}

ConnectionSummary ClientConnection::summary() const
{
    ConnectionSummary s;
    s.id = m_id;
    s.userId = m_auth.user.id;
    s.username = m_auth.user.username;
    s.address = m_ws->peerAddress();
    s.openedAtMs = m_openedAtMs;
    s.pendingBytes = m_ws->pendingBytes();
    s.authenticated = m_state == State::Open;
    s.tokenHash = m_auth.tokenHash;
    return s;
}

void ClientConnection::onText(const QByteArray &utf8)
{
    if (m_state == State::Closing || !spendFrameBudget(utf8))
        return;
    // Until hello is out (the token check, then the look-up of
    // last_message_id), frames wait: nothing is answered before hello.
    if (m_state == State::Authenticating || (m_state == State::Open && m_hold == Hold::Hello)) {
        constexpr qsizetype kMaxEarlyFrames = 64;
        if (m_early.size() >= kMaxEarlyFrames) {
            close(kPolicyViolation, QStringLiteral("too many frames before hello"));
            return;
        }
        m_early.push_back(utf8);
        return;
    }
    handleFrame(utf8);
}

// Every frame, of any type and in any state, costs from the connection's
// budget before it is even parsed for handling.
bool ClientConnection::spendFrameBudget(const QByteArray &utf8)
{
    const WsDeps &d = deps();
    const FrameBudget::Verdict v = m_budget.take(steadyNs(), d.settings.frameRule);
    if (v.allowed)
        return true;
    d.metrics.rateLimited.inc();
    if (v.abusive) {
        qCInfo(lcWs).noquote() << "connection" << m_id << "of user" << userId()
                               << "closed: frames far beyond its budget";
        close(kPolicyViolation, QStringLiteral("too many frames"));
        return false;
    }
    // The frame's client_msg_id, so that the client knows which send to repeat.
    const ClientFrame parsed = parseClientFrame(utf8);
    const QString *ref = nullptr;
    if (const auto *send = std::get_if<SendFrame>(&parsed))
        ref = &send->clientMsgId;
    else if (const auto *error = std::get_if<FrameError>(&parsed); error && error->hasRef)
        ref = &error->ref;
    sendError(ErrorCode::RateLimited, QStringLiteral("too many frames; slow down"), ref,
              v.retryAfterMs);
    return false;
}

void ClientConnection::onBinary()
{
    close(kUnsupportedData, QStringLiteral("binary frames are not supported"));
}

void ClientConnection::onClosed(int closeCode)
{
    if (m_state != State::Closing)
        deps().metrics.countClose(closeCode);
    m_state = State::Closing;
    stopWatching();
    m_gateway.forget(this);
    deleteLater();
}

void ClientConnection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Closing)
        return;
    m_ws->sendText(frame);
    if (m_ws->pendingBytes() > deps().settings.outgoingLimitBytes)
        close(kPolicyViolation, QStringLiteral("client is not reading"));
}

void ClientConnection::sendError(ErrorCode code, const QString &message, const QString *ref,
                                 qint64 retryAfterMs)
{
    deps().metrics.wsRejectedFrames.inc();
    sendFrame(frames::error(code, message, ref, retryAfterMs));
}

void ClientConnection::close(int code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    deps().metrics.countClose(code);
    m_closeDeadlineMs = steadyMs() + kCloseGraceMs;
    m_held.clear();
    stopWatching();
    m_gateway.unregisterUser(this); // no more deliveries; presence drops now
    m_ws->close(code, reason);
}

void ClientConnection::tick(qint64 now)
{
    const WsSettings &config = deps().settings;
    switch (m_state) {
    case State::AwaitingAuth:
        if (now - m_openedSteadyMs > config.authTimeoutMs)
            close(kUnauthorized, QStringLiteral("no auth frame in time"));
        return;
    case State::Authenticating:
        return;
    case State::Closing:
        if (m_closeDeadlineMs && now > m_closeDeadlineMs) {
            m_closeDeadlineMs = 0;
            m_ws->abort(); // the peer never completed the closing handshake
        }
        return;
    case State::Open:
        break;
    }
    if ((m_hold == Hold::Grace && now >= m_holdUntilMs)
        || (m_hold == Hold::Sync && !m_syncRunning && now >= m_holdUntilMs))
        releaseHeld();
    // WebSocket pings keep quiet clients alive; silence for three heartbeats
    // means the peer is gone.
    const qint64 heartbeatMs = qint64(config.heartbeatSeconds) * 1000;
    if (now - m_lastHeardMs > 3 * heartbeatMs)
        close(kPolicyViolation, QStringLiteral("no keep-alive"));
    else if (now - m_lastHeardMs > heartbeatMs)
        m_ws->ping();
}

} // namespace sanayicin
