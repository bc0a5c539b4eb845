// The admin stream (GET /ws/admin, docs/protocol.md "Admin stream"): a
// ClientConnection whose opening ends in `welcome` and the feed's frames
// instead of `hello` and chat; its client frames are `auth` and `ping`.

#include "chat/chat.h"
#include "client_connection.h"
#include "close_codes.h"
#include "delivery/admin_feed.h"
#include "logging/log.h"
#include "protocol/server_frames.h"
#include "ws_gateway.h"

namespace sanayicin {

using namespace ws;

void ClientConnection::adminAuthenticated(const AuthUser &auth)
{
    if (auth.user.role != Role::Admin) {
        sendFrame(frames::error(ErrorCode::Forbidden,
                                QStringLiteral("the admin stream is for administrators")));
        close(kForbidden, QStringLiteral("forbidden"));
        return;
    }
    m_auth = auth;
    m_state = State::Open;
    // Under the per-user cap, and reached by kick, ban and logout like any
    // WebSocket of the user (deliveries skip it).
    m_gateway.registerUser(this);
    if (m_state != State::Open)
        return;
    AdminFeed &feed = deps().chat.administration.stream();
    AdminFeed::Opening opening =
        feed.attach(m_admin->resume.stream, m_admin->resume.after, this,
                    [this](const QByteArray &frame) { sendFrame(frame); });
    m_admin->watcher = opening.watcher;
    qCInfo(lcWs).noquote() << "admin stream" << m_id << "of user" << userId() << "opened,"
                           << (opening.resumed ? "resumed" : "new") << "at seq" << opening.seq;
    const WsSettings &config = deps().settings;
    sendFrame(frames::welcome(opening.seq, opening.stream, userJson(m_auth.user),
                              config.instanceId, config.heartbeatSeconds, opening.resumed));
    for (const QByteArray &frame : std::as_const(opening.backlog))
        sendFrame(frame);
    m_hold = Hold::None;
    while (!m_early.isEmpty() && m_state == State::Open)
        handleFrame(m_early.takeFirst());
}

void ClientConnection::handleAdminFrame(const QByteArray &utf8)
{
    AdminClientFrame parsed = parseAdminClientFrame(utf8);
    if (auto *error = std::get_if<FrameError>(&parsed)) {
        sendError(ErrorCode::BadRequest, error->message);
        return;
    }
    if (handledBeforeOpen(std::get_if<AuthFrame>(&parsed)))
        return;
    if (auto *ping = std::get_if<PingFrame>(&parsed))
        sendFrame(frames::pong(ping->hasTs ? &ping->tsJson : nullptr));
    else
        sendError(ErrorCode::BadRequest, QStringLiteral("already authenticated"));
}

void ClientConnection::stopWatching()
{
    if (!m_admin || !m_admin->watcher)
        return;
    deps().chat.administration.stream().detach(m_admin->watcher);
    m_admin->watcher = 0;
}

} // namespace sanayicin
