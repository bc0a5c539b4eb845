#include "readiness_probe.h"

#include "metrics/metrics.h"
#include "storage/db_pool.h"
#include "time/clock.h"

namespace sanayicin {

ReadinessProbe::ReadinessProbe(DbPool &readers, int intervalMs, int timeoutMs, Counter &pings)
    : m_readers(readers), m_intervalNs(qint64(intervalMs) * 1000000)
    , m_timeoutNs(qint64(timeoutMs) * 1000000), m_pings(pings)
{}

void ReadinessProbe::check(QObject *context, Done done)
{
    const qint64 now = steadyNs();
    QMutexLocker lock(&m_mutex);
    if (m_haveAnswer && now - m_answeredNs < m_intervalNs) {
        const bool up = m_up;
        lock.unlock();
        done(up);
        return;
    }
    m_waiting.emplace_back(ReplyTo(context), std::move(done));
    // A ping that never came back (a hung connection) does not block the
    // next one forever; the waiters time out on their own meanwhile.
    if (m_running && now - m_startedNs < m_timeoutNs)
        return;
    m_running = true;
    m_startedNs = now;
    m_pings.inc();
    lock.unlock();
    m_readers.post([this](Db &db) {
        bool up = false;
        try {
            up = db.ping();
        } catch (const DbError &) {
            up = false;
        }
        finish(up);
    });
}

bool ReadinessProbe::databaseUp() const
{
    QMutexLocker lock(&m_mutex);
    if (m_running && steadyNs() - m_startedNs > m_timeoutNs)
        return false;
    return !m_haveAnswer || m_up;
}

void ReadinessProbe::finish(bool up)
{
    std::vector<std::pair<ReplyTo, Done>> waiting;
    {
        QMutexLocker lock(&m_mutex);
        m_running = false;
        m_haveAnswer = true;
        m_up = up;
        m_answeredNs = steadyNs();
        waiting.swap(m_waiting);
    }
    // Never touches the asking objects here (a reader thread): each answer
    // goes to its thread's mailbox and runs there if the asker still lives.
    for (auto &[replyTo, done] : waiting)
        std::move(replyTo).post([done = std::move(done), up] { done(up); });
}

} // namespace sanayicin
