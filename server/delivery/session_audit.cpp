#include "session_audit.h"

#include "auth/session_cache.h"
#include "connection_host.h"
#include "local_hub.h"
#include "logging/log.h"
#include "storage/account_store.h"
#include "storage/db_pool.h"
#include "time/clock.h"

#include <QSet>

namespace sanayicin {

namespace {

constexpr int kUnauthorizedClose = 4001;
constexpr int kBannedClose = 4003;
constexpr qsizetype kChunk = 500; // tokens per query

struct Open
{
    qint64 userId;
    QByteArray tokenHash;
};

struct Verdict
{
    QSet<QByteArray> dead;  // token hashes that no longer work
    QSet<qint64> banned;    // their users who are banned
};

} // namespace

SessionAudit::SessionAudit(LocalHub &local, SessionCache &sessions, DbPool &readers,
                           int intervalSeconds, QObject *parent)
    : QObject(parent), m_local(local), m_sessions(sessions), m_readers(readers)
{
    if (intervalSeconds <= 0)
        return;
    connect(&m_timer, &QTimer::timeout, this, &SessionAudit::runOnce);
    m_timer.start(intervalSeconds * 1000);
}

void SessionAudit::runOnce()
{
    if (m_running)
        return;
    m_running = true;
    m_local.gatherConnections(this, [this](const QList<ConnectionSummary> &all) {
        QList<Open> open;
        for (const ConnectionSummary &c : all)
            if (c.authenticated && !c.tokenHash.isEmpty())
                open.push_back({c.userId, c.tokenHash});
        if (open.isEmpty()) {
            m_running = false;
            return;
        }
        m_readers.run<Verdict>(
            this,
            [open](Db &db) {
                QSet<QByteArray> unique;
                for (const Open &o : open)
                    unique.insert(o.tokenHash);
                const QList<QByteArray> hashes(unique.begin(), unique.end());
                QSet<QByteArray> live;
                for (qsizetype i = 0; i < hashes.size(); i += kChunk)
                    live.unite(store::liveSessions(db, hashes.mid(i, kChunk), nowMs()));
                Verdict v;
                std::vector<qint64> users;
                for (const Open &o : open)
                    if (!live.contains(o.tokenHash)) {
                        v.dead.insert(o.tokenHash);
                        users.push_back(o.userId);
                    }
                if (!users.empty())
                    v.banned = store::bannedAmong(db, users);
                return v;
            },
            [this, open](const Verdict &v) {
                m_running = false;
                const qint64 now = nowMs();
                for (const Open &o : open) {
                    if (!v.dead.contains(o.tokenHash))
                        continue;
                    m_sessions.revokeToken(o.tokenHash, now);
                    const bool banned = v.banned.contains(o.userId);
                    m_local.closeTokenHere(o.userId, o.tokenHash, banned ? kBannedClose : kUnauthorizedClose,
                                         banned ? QStringLiteral("banned")
                                                : QStringLiteral("token revoked"));
                }
                if (!v.dead.isEmpty())
                    qCInfo(lcAuth) << "session re-check closed the WebSockets of" << v.dead.size()
                                   << "tokens that no longer work";
            },
            [this](const DbError &e) {
                m_running = false;
                qCWarning(lcAuth).noquote() << "session re-check failed:" << e.what();
            });
    });
}

} // namespace sanayicin
