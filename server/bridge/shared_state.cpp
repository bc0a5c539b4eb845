#include "shared_state.h"

#include "bridge.h"
#include "json/json_writer.h"
#include "logging/log.h"
#include "protocol/objects.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {

constexpr qint64 kSessionCacheSeconds = 300;

void post(const QPointer<QObject> &home, std::function<void()> f)
{
    if (QObject *h = home.data())
        QMetaObject::invokeMethod(h, std::move(f), Qt::QueuedConnection);
}

} // namespace

SharedState::SharedState(Bridge &bridge, RateLimiter &fallback, QObject *parent)
    : QObject(parent), m_bridge(bridge), m_fallback(fallback)
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
    RateLimiter &fallback = m_fallback;
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
                d = fallback.take(r.key, r.rule, steadyNs()); // Redis is away: stay limited
            post(r.home, [done = std::move(r.done), d] { done(d); });
        }
    };
    if (!m_bridge.scripts().run(QStringLiteral("rate_limit"), args, answer))
        answer(nullptr);
}

void SharedState::lookupSession(QObject *home, const QByteArray &tokenHash, SessionDone done)
{
    QPointer<QObject> h(home);
    QMetaObject::invokeMethod(
        this,
        [this, h, tokenHash, done = std::move(done)]() mutable {
            auto answer = [h, tokenHash, done](redisReply *r) {
                std::optional<AuthUser> cached;
                qint64 epoch = -1;
                if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
                    const redisReply *data = r->element[0];
                    if (data->type == REDIS_REPLY_STRING)
                        cached = decodeSession(QByteArray(data->str, qsizetype(data->len)), tokenHash);
                    const redisReply *e = r->element[1];
                    if (e->type == REDIS_REPLY_STRING)
                        epoch = QByteArray(e->str, qsizetype(e->len)).toLongLong();
                }
                post(h, [done, cached, epoch] { done(cached, epoch); });
            };
            if (!m_bridge.scripts().run(QStringLiteral("session_get"), {tokenHash}, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

void SharedState::storeSession(const AuthUser &auth, qint64 epoch)
{
    if (epoch < 0)
        return; // the look-up did not reach Redis: no safe epoch to store with
    QMetaObject::invokeMethod(
        this,
        [this, auth, epoch] {
            const qint64 ttl = std::min(kSessionCacheSeconds, (auth.expiresAtMs - nowMs()) / 1000);
            if (ttl <= 0)
                return;
            m_bridge.scripts().run(QStringLiteral("session_put"),
                                   {auth.tokenHash, QByteArray::number(auth.user.id),
                                    encodeSession(auth), QByteArray::number(ttl),
                                    QByteArray::number(epoch)},
                                   {});
        },
        Qt::QueuedConnection);
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

QByteArray encodeSession(const AuthUser &auth)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("u");
    writeUser(w, auth.user);
    w.field("e", auth.expiresAtMs).field("c", auth.user.createdAtMs).endObject();
    return out;
}

std::optional<AuthUser> decodeSession(const QByteArray &data, const QByteArray &tokenHash)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    const QJsonObject u = o.value(QStringLiteral("u")).toObject();
    const auto role = roleFromName(u.value(QStringLiteral("role")).toString());
    if (u.isEmpty() || !role)
        return std::nullopt;
    AuthUser a;
    a.user.id = u.value(QStringLiteral("id")).toInteger();
    a.user.username = u.value(QStringLiteral("username")).toString();
    a.user.displayName = u.value(QStringLiteral("display_name")).toString();
    a.user.role = *role;
    a.user.createdAtMs = o.value(QStringLiteral("c")).toInteger();
    a.tokenHash = tokenHash;
    a.expiresAtMs = o.value(QStringLiteral("e")).toInteger();
    if (a.user.id <= 0 || a.expiresAtMs <= nowMs())
        return std::nullopt;
    return a;
}

} // namespace sanayicin
