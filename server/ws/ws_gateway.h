#pragma once

#include "delivery/connection_host.h"
#include "protocol/admin_client_frames.h"
#include "ws_deps.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QVarLengthArray>
#include <deque>
#include <memory>

namespace sanayicin {

class AdminFeed;
class ClientConnection;
class WsTransport;

// The WebSocket side of one network thread: owns the connections accepted
// there and is the hub's delivery target for them.
class WsGateway : public ConnectionHost
{
    Q_OBJECT
public:
    WsGateway(const WsDeps &deps, QObject *parent = nullptr);
    ~WsGateway() override;

    const WsDeps &deps() const { return m_deps; }

    // `admin`: the connection is an admin stream (GET /ws/admin) resuming
    // as it asked; none for chat (GET /ws).
    void accept(std::unique_ptr<WsTransport> transport,
                std::optional<AdminStreamResume> admin = std::nullopt);
    int connectionCount() const { return int(m_all.size()); }

    // Called by connections.
    void registerUser(ClientConnection *c);
    void unregisterUser(ClientConnection *c); // no more deliveries
    void forget(ClientConnection *c);         // gone for good
    // Wakes `c` at `atMs` (steadyMs()) to end its sync grace period (see
    // endGraceIfDue).
    void endGraceAt(ClientConnection *c, qint64 atMs);

    // ConnectionHost
    void deliverMessages(const MessageBatch &batch) override;
    void deliverFrame(const QList<qint64> &users, const QByteArray &frame) override;
    void closeUser(qint64 userId, int code, const QString &reason) override;
    void closeToken(qint64 userId, const QByteArray &tokenHash, int code,
                            const QString &reason) override;
    void closeAll(int code, const QString &reason) override;
    QList<ConnectionSummary> summaries() const override;
    std::optional<qint64> closeConnection(qint64 id, int code, const QString &reason) override;

private:
    void tick();
    void endDueGraces();

    const WsDeps m_deps; // a copy: one hop from a connection to each part
    QSet<ClientConnection *> m_all;
    QHash<qint64, QVarLengthArray<ClientConnection *, 2>> m_byUser;
    AdminFeed &m_feed; // told of connections opening and closing while watched
    QTimer m_ticker;
    // Connections holding messages in their grace period, by deadline. The
    // grace is one length for all, so appending keeps the order.
    std::deque<std::pair<qint64, QPointer<ClientConnection>>> m_graceEnds;
    QTimer m_graceTimer;
};

} // namespace sanayicin
