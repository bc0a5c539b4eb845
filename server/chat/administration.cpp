#include "administration.h"

#include "bridge/shared_state.h"
#include "db_outcome.h"
#include "delivery/delivery_service.h"
#include "delivery/hub.h"
#include "metrics/metrics.h"
#include "storage/db_pool.h"
#include "storage/message_writer.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace sanayicin::chat {

namespace {

QString idOf(const QByteArray &summary)
{
    return QJsonDocument::fromJson(summary).object().value(QStringLiteral("id")).toString();
}

} // namespace

void Administration::instances(const Caller &caller, InstancesDone done)
{
    const QByteArray self = m_deps.instanceSummary ? m_deps.instanceSummary() : QByteArray("{}");
    SharedState *shared = m_deps.delivery.shared();
    if (!shared || !m_deps.delivery.bridgeUp()) {
        done(QList<QByteArray>{self});
        return;
    }
    shared->instances(caller.home, [ref = CallerRef(caller), self,
                                    done = std::move(done)](QList<QByteArray> all) {
        if (!ref.live())
            return;
        // This instance's own line is the freshest; the others' are at most
        // one heartbeat old.
        const QString selfId = idOf(self);
        QList<QByteArray> out{self};
        for (const QByteArray &line : all)
            if (idOf(line) != selfId)
                out << line;
        done(out);
    });
}

void Administration::connections(const Caller &caller, qint64 limit, qint64 offset,
                                 ConnectionsDone done)
{
    m_deps.hub.gatherConnections(
        caller.home, [ref = CallerRef(caller), instance = m_deps.instanceId, limit, offset,
                      done = std::move(done)](QList<ConnectionSummary> all) {
            if (!ref.live())
                return;
            std::sort(all.begin(), all.end(), [](const ConnectionSummary &a,
                                                 const ConnectionSummary &b) { return a.id < b.id; });
            ConnectionPage page{instance, {}, qint64(all.size())};
            for (qint64 i = offset; i < all.size() && i < offset + limit; ++i)
                page.items << all[qsizetype(i)];
            done(std::move(page));
        });
}

Administration::Queues Administration::queues() const
{
    Queues q;
    q.instance = m_deps.instanceId;
    q.writer = m_deps.writer.backlog();
    q.dbReaders = m_deps.readers.queueDepth();
    q.redis = m_deps.delivery.hasBridge();
    q.redisConnected = q.redis && m_deps.delivery.bridgeUp();
    return q;
}

void Administration::stats(const Caller &caller, StatsDone done)
{
    // This instance's figures as the request came; the totals from the database.
    const qint64 connections = m_deps.wsConnections.value();
    const qint64 onlineHere = m_deps.hub.usersOnlineHere();
    readOutcome<Stats>(
        m_deps.readers, caller, "stats",
        [connections, onlineHere](Db &db) -> Outcome<Stats> {
            const DbRows r = db.query(QStringLiteral("stats"), {nowMs() - 24LL * 3600 * 1000});
            return Stats{r.int64(0, 0), r.int64(0, 1), r.int64(0, 2), r.int64(0, 3),
                         r.int64(0, 4), r.int64(0, 5), r.int64(0, 6), r.int64(0, 7),
                         connections,   onlineHere};
        },
        std::move(done));
}

} // namespace sanayicin::chat
