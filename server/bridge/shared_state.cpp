#include "shared_state.h"

#include "bridge.h"
#include "logging/log.h"

#include <QMetaObject>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {

void post(const QPointer<QObject> &home, std::function<void()> f)
{
    if (QObject *h = home.data())
        QMetaObject::invokeMethod(h, std::move(f), Qt::QueuedConnection);
}

} // namespace

SharedState::SharedState(Bridge &bridge, Fallback fallback, QObject *parent)
    : QObject(parent), m_bridge(bridge), m_fallback(std::move(fallback))
{}

void SharedState::takeToken(QObject *home, const QByteArray &key, const RateRule &rule, RateDone done)
{
    bool schedule = false;
    {
        std::lock_guard lock(m_mutex);
        m_rates.push_back({home, key, rule, std::move(done)});
        schedule = !m_flushScheduled;
        m_flushScheduled = true;
    }
    // Everything asked before the delivery thread gets to it goes to Redis
    // in one script call.
    if (schedule)
        QMetaObject::invokeMethod(this, &SharedState::flushRates, Qt::QueuedConnection);
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
            post(r.home, [done = std::move(r.done), d] { done(d); });
        }
    };
    if (!m_bridge.scripts().run(QStringLiteral("rate_limit"), args, answer))
        answer(nullptr);
}

void SharedState::instances(QObject *home, std::function<void(QList<QByteArray>)> done)
{
    QPointer<QObject> h(home);
    QMetaObject::invokeMethod(
        this,
        [this, h, done = std::move(done)] {
            auto answer = [h, done](redisReply *r) {
                QList<QByteArray> out;
                for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; ++i)
                    out << QByteArray(r->element[i]->str, qsizetype(r->element[i]->len));
                post(h, [done, out] { done(out); });
            };
            if (!m_bridge.scripts().run(QStringLiteral("instances"), {}, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

} // namespace sanayicin
