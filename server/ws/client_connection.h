#pragma once

#include "chat/accounts.h"
#include "chat/caller.h"
#include "chat/messaging.h"
#include "delivery/connection_host.h"
#include "frame_budget.h"
#include "protocol/admin_client_frames.h"
#include "protocol/client_frames.h"
#include "protocol/delivered_message.h"
#include "protocol/error_code.h"
#include "ws_gateway.h"

#include <QHash>
#include <QObject>
#include <memory>

namespace sanayicin {

class WsTransport;

// One client's WebSocket, on the network thread that accepted it. Its jobs,
// one file each:
//   client_connection.cpp   the socket: frames in (with their budget) and
//                           out (with the outgoing limit), keep-alives, close
//   connection_opening.cpp  auth by header or first frame, then hello
//   frame_dispatch.cpp      each client frame to its use case (chat/) and
//                           the outcome back as frames
//   live_ordering.cpp       live messages held around hello and sync, so
//                           that the order of protocol.md holds
//   admin_stream.cpp        the admin stream (GET /ws/admin): welcome, the
//                           feed's frames, its own client frames
// An admin stream is the same connection (opening, auth, budget,
// keep-alive, limits) with `admin` set: it gets the feed's frames instead of
// chat deliveries.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { AwaitingAuth, Authenticating, Open, Closing };

    // Where an admin stream asked to resume (GET /ws/admin?stream=&after=).
    struct AdminWatch
    {
        AdminStreamResume resume;
        quint64 watcher = 0; // attached to the feed while not 0
    };

    ClientConnection(WsGateway &gateway, std::unique_ptr<WsTransport> transport, qint64 id,
                     qint64 openedAtMs, std::unique_ptr<AdminWatch> admin = {});
    ~ClientConnection() override;

    void start();

    qint64 id() const { return m_id; }
    qint64 userId() const { return m_auth.user.id; }
    const QByteArray &tokenHash() const { return m_auth.tokenHash; }
    State state() const { return m_state; }
    qint64 openedAtMs() const { return m_openedAtMs; }
    bool isAdminStream() const { return bool(m_admin); }
    QString peerAddress() const;
    ConnectionSummary summary() const;

    // A committed message for this user.
    void deliver(const std::shared_ptr<const DeliveredMessage> &message);
    // Any other event for this user (typing, read, presence, deletions).
    void deliverEvent(const QByteArray &frame);
    // The sync grace period ends exactly on time (the gateway calls this).
    // Times given to these two are steadyMs(), never the wall clock.
    void endGraceIfDue(qint64 nowMs);
    void sendFrame(const QByteArray &frame);
    void close(int code, const QString &reason);
    // Called about once a second by the gateway: deadlines and keep-alives.
    void tick(qint64 nowMs);

private:
    // client_connection.cpp
    void onText(const QByteArray &utf8);
    bool spendFrameBudget(const QByteArray &utf8);
    void onBinary();
    void onClosed(int closeCode);
    void sendError(ErrorCode code, const QString &message, const QString *ref = nullptr,
                   qint64 retryAfterMs = 0);
    // Inline: the send and delivery paths read settings and metrics here.
    const WsDeps &deps() const { return m_gateway.deps(); }
    // This connection as the use cases' caller: answers only while open.
    chat::Caller caller();
    static bool listening(const QObject *connection);

    // connection_opening.cpp
    void beginAuth(const QString &token);
    void authSucceeded(const AuthUser &auth);
    void sendHello(qint64 lastMessageId);

    // frame_dispatch.cpp
    void handleFrame(const QByteArray &utf8);
    // Before authentication only `auth` is taken (null: another frame);
    // true when the frame was dealt with here.
    bool handledBeforeOpen(const AuthFrame *auth);
    void handleSend(SendFrame &frame);
    void handleRead(const ReadFrame &frame);
    void storeReads();
    void readsStored(const chat::Messaging::ReadResults &results);
    void runSync(const SyncFrame &frame);

    // admin_stream.cpp
    void adminAuthenticated(const AuthUser &auth);
    void handleAdminFrame(const QByteArray &utf8);
    void stopWatching();

    // live_ordering.cpp
    void startSync(const SyncFrame &frame);
    qint64 syncPageBytes() const;
    void syncFailed();
    void finishSync(const SyncFrame &frame, qint64 lastSentId, bool hasMore);
    void releaseHeld();

    WsGateway &m_gateway;
    std::unique_ptr<WsTransport> m_ws;
    qint64 m_id;
    State m_state = State::AwaitingAuth;
    AuthUser m_auth;
    qint64 m_openedAtMs; // wall clock: shown to the admin
    // The rest of the times are steadyMs(): a wall-clock step must not close
    // every connection (or keep a dead one for an hour).
    qint64 m_openedSteadyMs;
    qint64 m_lastHeardMs;
    qint64 m_closeDeadlineMs = 0;
    FrameBudget m_budget;
    std::unique_ptr<AdminWatch> m_admin; // null for chat
    // A membership look-up for `typing` is running (chat::Messaging::typing).
    chat::Messaging::TypingLookup m_typingLookup;
    // `read` frames go to the writer as one job at a time per connection;
    // those that arrive meanwhile wait here, one per conversation, the
    // highest message id kept (a read cursor only moves forward).
    bool m_readsRunning = false;
    QHash<qint64, qint64> m_reads;

    // Frames that arrived while the token was being checked.
    // QList, not std::deque: an empty deque still allocates ~600 bytes, and
    // every idle connection would pay them.
    QList<QByteArray> m_early;

    // Live messages are held (not sent) until hello is out, then during the
    // sync grace period and while a sync is answered, so that a sync's older
    // messages never follow a newer live one (protocol.md, "Ordering").
    enum class Hold { Hello, Grace, Sync, None };
    Hold m_hold = Hold::Hello;
    qint64 m_holdUntilMs = 0;
    // A held message, or (message null) a frame naming one, kept in order.
    struct Held
    {
        std::shared_ptr<const DeliveredMessage> message;
        QByteArray frame;
    };
    bool hold(Held item);
    std::vector<Held> m_held;
    QList<SyncFrame> m_pendingSyncs;
    bool m_syncRunning = false;
    // Live messages up to this id are not sent: a sync sent them, or its
    // after_id said the client has them (a connection that moved here may
    // sync past messages this instance has yet to fill from the database).
    qint64 m_syncedUpTo = 0;
    // Every id up to this one is committed (hello's last_message_id, or the
    // highest id sent since): a sync's after_id counts only up to it, so a
    // cursor beyond every id cannot mute the connection.
    qint64 m_committedUpTo = 0;
};

} // namespace sanayicin
