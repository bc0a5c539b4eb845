#include "password_hasher.h"

#include "logging/log.h"
#include "metrics/metrics.h"
#include "time/clock.h"
#include "threading/thread_exit.h"

#include <QRandomGenerator>
#include <argon2.h>

namespace sanayicin {

namespace {
constexpr quint32 kParallelism = 1;
constexpr quint32 kHashLength = 32;
constexpr quint32 kSaltLength = 16;
} // namespace

PasswordHasher::PasswordHasher(quint32 memoryKiB, quint32 iterations, int threads, int queueLimit)
    : m_memoryKiB(memoryKiB), m_iterations(iterations), m_threads(std::max(1, threads))
    , m_queueLimit(queueLimit)
{
    m_pool.setMaxThreadCount(threads);
    m_pool.setObjectName(QStringLiteral("argon2"));
    m_dummyHash = hash(QStringLiteral("not a real password"));
}

QString PasswordHasher::hash(const QString &password) const
{
    const QByteArray pwd = password.toUtf8();
    quint32 salt[kSaltLength / 4];
    QRandomGenerator::system()->fillRange(salt);
    const size_t encodedLength = argon2_encodedlen(m_iterations, m_memoryKiB, kParallelism,
                                                   kSaltLength, kHashLength, Argon2_id);
    QByteArray encoded(qsizetype(encodedLength), '\0');
    const int rc = argon2id_hash_encoded(m_iterations, m_memoryKiB, kParallelism, pwd.constData(),
                                         size_t(pwd.size()), salt, kSaltLength, kHashLength,
                                         encoded.data(), encodedLength);
    if (rc != ARGON2_OK) {
        qCCritical(lcAuth) << "argon2id failed:" << argon2_error_message(rc);
        if (m_failedCounter)
            m_failedCounter->inc();
        return {};
    }
    return QString::fromLatin1(encoded.constData()); // NUL-terminated
}

bool PasswordHasher::verify(const QString &encoded, const QString &password) const
{
    const QByteArray enc = encoded.toLatin1();
    const QByteArray pwd = password.toUtf8();
    return argon2id_verify(enc.constData(), pwd.constData(), size_t(pwd.size())) == ARGON2_OK;
}

void PasswordHasher::verifyDummy(const QString &password) const
{
    (void)verify(m_dummyHash, password);
}

bool PasswordHasher::tryRun(const QByteArray &owner, std::function<void()> work,
                            std::function<bool()> wanted)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_queueLimit > 0 && m_waiting.load() >= m_queueLimit) {
            m_refused.fetch_add(1);
            if (m_refusedCounter)
                m_refusedCounter->inc();
            return false;
        }
        std::deque<Job> &queue = m_queues[owner];
        if (queue.empty())
            m_turns.push_back(owner);
        queue.push_back({std::move(work), std::move(wanted)});
        m_waiting.fetch_add(1);
    }
    // One pool task per job; each takes whichever job is next in turn.
    m_pool.start([this] {
        waitForThisThreadAtExit();
        runNext();
    });
    return true;
}

void PasswordHasher::runNext()
{
    Job job;
    {
        std::lock_guard lock(m_mutex);
        const QByteArray owner = m_turns.front();
        m_turns.pop_front();
        auto it = m_queues.find(owner);
        job = std::move(it->front());
        it->pop_front();
        if (it->empty())
            m_queues.erase(it);
        else
            m_turns.push_back(owner); // its next job waits for the others' turn
        m_waiting.fetch_sub(1);
    }
    if (job.wanted && !job.wanted()) {
        m_dropped.fetch_add(1);
        if (m_droppedCounter)
            m_droppedCounter->inc();
        return;
    }
    m_running.fetch_add(1);
    const qint64 started = steadyNs();
    job.work();
    const qint64 took = steadyNs() - started;
    // A moving average over about the last eight jobs.
    const qint64 avg = m_averageNs.load(std::memory_order_relaxed);
    m_averageNs.store(avg == 0 ? took : avg + (took - avg) / 8, std::memory_order_relaxed);
    m_running.fetch_sub(1);
}

qint64 PasswordHasher::retryAfterMs() const
{
    const qint64 perJobMs = std::max<qint64>(1, m_averageNs.load(std::memory_order_relaxed) / 1000000);
    return std::clamp<qint64>((m_waiting.load() + 1) * perJobMs / m_threads, 1000, 60000);
}

} // namespace sanayicin
