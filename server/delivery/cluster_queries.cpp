#include "cluster_queries.h"

#include "bridge/bridge.h"
#include "logging/log.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {

// Answers to requests older than this are not worth computing: the asker
// has stopped waiting (the margin allows for clocks that differ a little).
constexpr qint64 kStaleMs = 5000;

// The ids in the instances' heartbeat summaries (JSON objects from Redis).
QStringList liveIds(const redisReply *r)
{
    QStringList out;
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; ++i) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_STRING)
            continue;
        const QString id = QJsonDocument::fromJson(QByteArray(e->str, qsizetype(e->len)))
                               .object()
                               .value(QStringLiteral("id"))
                               .toString();
        if (!id.isEmpty() && id.size() <= admin::kMaxText)
            out << id;
    }
    return out;
}

} // namespace

ClusterQueries::ClusterQueries(Bridge *bridge, QString instanceId, QObject *parent)
    : QObject(parent), m_bridge(bridge), m_instanceId(std::move(instanceId))
    , m_idPrefix(QString::number(nowMs(), 36))
{
    if (!m_bridge)
        return;
    connect(m_bridge, &Bridge::adminRequestReceived, this, &ClusterQueries::onRequest);
    connect(m_bridge, &Bridge::adminReplyReceived, this, &ClusterQueries::onReply);
}

void ClusterQueries::setLocal(Local local)
{
    QMetaObject::invokeMethod(
        this, [this, local = std::move(local)]() mutable { m_local = std::move(local); },
        thread() == QThread::currentThread() ? Qt::DirectConnection : Qt::BlockingQueuedConnection);
}

void ClusterQueries::ask(admin::Request request, QObject *home, std::function<void(Result)> done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home,
            [this, request = std::move(request), home, done = std::move(done)]() mutable {
                ask(std::move(request), home, std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    QMetaObject::invokeMethod(
        this,
        [this, request = std::move(request), reply = ReplyTo(home), done = std::move(done)]() mutable {
            askNow(std::move(request), std::move(reply), std::move(done));
        },
        Qt::QueuedConnection);
}

void ClusterQueries::askNow(admin::Request request, ReplyTo reply, std::function<void(Result)> done)
{
    if (!m_bridge || !m_bridge->isUp()) {
        std::move(reply).post([done = std::move(done)] { done(Result{}); });
        return;
    }
    request.id = m_idPrefix + QLatin1Char('-') + QString::number(++m_nextId);
    request.origin = m_instanceId;
    request.deadlineMs = nowMs() + m_timeoutMs;
    const QString id = request.id;
    m_pending.insert(id, Pending{std::move(request), {}, Result{}, std::move(reply), std::move(done)});
    m_pending[id].result.alone = false;
    // Who must answer: every instance with a live heartbeat, as of now.
    const bool sent = m_bridge->scripts().run(QStringLiteral("instances"), {}, [this, id](redisReply *r) {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        if (!r) { // Redis went away meanwhile: nobody else can be asked
            it->result.alone = true;
            finish(id);
            return;
        }
        const QString &target = it->request.target;
        const QStringList live = liveIds(r);
        for (const QString &inst : live)
            if (inst != m_instanceId && (target.isEmpty() || inst == target))
                it->waiting.insert(inst);
        if (!target.isEmpty() && target != m_instanceId && it->waiting.isEmpty())
            it->result.targetUnknown = true;
        if (it->waiting.isEmpty() || !m_bridge->publish(admin::kRequestChannel,
                                                        admin::encodeRequest(it->request))) {
            finish(id);
            return;
        }
        const qint64 left = std::max<qint64>(0, it->request.deadlineMs - nowMs());
        QTimer::singleShot(int(left), this, [this, id] { finish(id); });
    });
    if (!sent) {
        m_pending[id].result.alone = true;
        finish(id);
    }
}

void ClusterQueries::finish(const QString &id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending p = std::move(*it);
    m_pending.erase(it);
    for (const QString &inst : std::as_const(p.waiting))
        p.result.timedOut << inst;
    p.result.timedOut.sort();
    if (!p.result.timedOut.isEmpty())
        qCWarning(lcBridge).noquote() << "admin request" << id << "unanswered by"
                                      << p.result.timedOut.join(QStringLiteral(", "));
    std::move(p.reply).post([done = std::move(p.done), result = std::move(p.result)] { done(result); });
}

void ClusterQueries::onReply(const QByteArray &payload)
{
    QString why;
    auto reply = admin::decodeReply(payload, &why);
    if (!reply) {
        qCWarning(lcBridge).noquote() << "dropped an undecodable admin reply of" << payload.size()
                                      << "bytes:" << why;
        return;
    }
    auto it = m_pending.find(reply->id);
    // Late (the asker stopped waiting), or from someone not asked: dropped.
    if (it == m_pending.end() || reply->ask != it->request.ask || !it->waiting.remove(reply->from))
        return;
    it->result.replies << std::move(*reply);
    if (it->waiting.isEmpty())
        finish(it.key());
}

void ClusterQueries::onRequest(const QByteArray &payload)
{
    QString why;
    auto request = admin::decodeRequest(payload, &why);
    if (!request) {
        qCWarning(lcBridge).noquote() << "dropped an undecodable admin request of" << payload.size()
                                      << "bytes:" << why;
        return;
    }
    if (request->origin == m_instanceId || !m_local
        || (!request->target.isEmpty() && request->target != m_instanceId))
        return;
    if (nowMs() > request->deadlineMs + kStaleMs)
        return;
    const QString id = request->id, origin = request->origin;
    m_local(*request, this, [this, id, origin](admin::Reply reply) {
        reply.id = id;
        reply.from = m_instanceId;
        if (m_bridge)
            m_bridge->publish(admin::replyChannel(origin), admin::encodeReply(reply));
    });
}

} // namespace sanayicin
