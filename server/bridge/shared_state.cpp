#include "shared_state.h"

#include "logging/log.h"
#include "redis_connection.h"
#include "redis_scripts.h"
#include "threading/thread_exit.h"

#include <QMetaObject>
#include <hiredis/hiredis.h>

namespace sanayicin {

SharedState::SharedState(RedisUrl url, Fallback fallback)
    : m_url(std::move(url)), m_fallback(std::move(fallback))
{
    m_thread.setObjectName(QStringLiteral("redis-limits"));
}

SharedState::~SharedState()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_home,
        [this] {
            // First, as every thread that stops: nothing more is answered here.
            Mailbox::closeHere();
            delete m_scripts;
            m_scripts = nullptr;
            delete m_connection; // pending replies are dropped: the threads that asked have stopped
            m_connection = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_home;
}

void SharedState::start()
{
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_home,
        [this] {
            waitForThisThreadAtExit();
            m_connection = new RedisConnection(m_url, QStringLiteral("redis limits"), m_home);
            m_scripts = new RedisScripts(*m_connection);
            QObject::connect(m_connection, &RedisConnection::connected, m_home,
                             [this] { m_up = true; });
            QObject::connect(m_connection, &RedisConnection::disconnected, m_home,
                             [this] { m_up = false; });
            m_connection->start();
        },
        Qt::BlockingQueuedConnection);
}

void SharedState::takeToken(ReplyTo reply, const QByteArray &key, const RateRule &rule, RateDone done)
{
    bool schedule = false;
    {
        std::lock_guard lock(m_mutex);
        m_rates.push_back({std::move(reply), key, rule, std::move(done)});
        schedule = !m_flushScheduled;
        m_flushScheduled = true;
    }
    // Everything asked before this thread gets to it goes to Redis in one
    // script call.
    if (schedule)
        QMetaObject::invokeMethod(m_home, [this] { flushRates(); }, Qt::QueuedConnection);
}

void SharedState::flushRates()
{
    std::vector<RateRequest> batch;
    {
        std::lock_guard lock(m_mutex);
        batch.swap(m_rates);
        m_flushScheduled = false;
    }
    if (batch.empty())
        return;
    QList<QByteArray> args;
    args.reserve(qsizetype(batch.size()) * 3);
    for (const RateRequest &r : batch)
        args << r.key << QByteArray::number(r.rule.ratePerSecond, 'g', 10)
             << QByteArray::number(r.rule.burst, 'g', 10);
    auto shared = std::make_shared<std::vector<RateRequest>>(std::move(batch));
    const Fallback &fallback = m_fallback;
    auto answer = [shared, &fallback](redisReply *reply) {
        const bool ok = reply && reply->type == REDIS_REPLY_ARRAY
                        && reply->elements == shared->size() * 2;
        if (!ok && reply)
            qCWarning(lcBridge) << "rate-limit script failed; using this instance's buckets";
        for (size_t i = 0; i < shared->size(); ++i) {
            RateRequest &r = (*shared)[i];
            RateDecision d;
            if (ok)
                d = {reply->element[2 * i]->integer == 1, reply->element[2 * i + 1]->integer};
            else
                d = fallback(r.key, r.rule); // Redis is away: stay limited
            std::move(r.reply).post([done = std::move(r.done), d] { done(d); });
        }
    };
    if (!m_scripts || !m_scripts->run(QStringLiteral("rate_limit"), args, answer))
        answer(nullptr);
}

void SharedState::instances(QObject *home, std::function<void(QList<InstanceLine>)> done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home, [this, home, done = std::move(done)]() mutable { instances(home, std::move(done)); },
            Qt::QueuedConnection);
        return;
    }
    QMetaObject::invokeMethod(
        m_home,
        [this, reply = ReplyTo(home), done = std::move(done)] {
            auto answer = [reply, done](redisReply *r) {
                QList<InstanceLine> out;
                for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
                    const redisReply *ttl = r->element[i + 1];
                    const qint64 leftMs =
                        QByteArray(ttl->str, qsizetype(ttl->len)).toLongLong();
                    out << InstanceLine{
                        QByteArray(r->element[i]->str, qsizetype(r->element[i]->len)),
                        std::max<qint64>(0, kInstanceTtlSeconds * 1000LL - leftMs)};
                }
                reply.post([done, out] { done(out); });
            };
            if (!m_scripts || !m_scripts->run(QStringLiteral("instances"), {}, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

} // namespace sanayicin
