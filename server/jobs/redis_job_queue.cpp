#include "redis_job_queue.h"

#include "home_thread.h"

#include "bridge/redis_connection.h"
#include "bridge/redis_scripts.h"
#include "threading/mailbox.h"

#include <cstring>
#include <hiredis/hiredis.h>

namespace sanayicin::jobs {

namespace {

QByteArray num(qint64 v)
{
    return QByteArray::number(v);
}

QByteArray text(const redisReply *r)
{
    if (r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS))
        return QByteArray(r->str, int(r->len));
    if (r && r->type == REDIS_REPLY_INTEGER)
        return QByteArray::number(qint64(r->integer));
    return {};
}

qint64 integer(const redisReply *r)
{
    if (r && r->type == REDIS_REPLY_INTEGER)
        return r->integer;
    return text(r).toLongLong();
}

bool isArray(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ARRAY;
}

const char *outcomeName(JobOutcome o)
{
    switch (o) {
    case JobOutcome::Done:
        return "done";
    case JobOutcome::Retry:
        return "retry";
    case JobOutcome::Fail:
        break;
    }
    return "fail";
}

} // namespace

RedisJobQueue::RedisJobQueue(RedisConnection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_scripts(std::make_unique<RedisScripts>(connection))
    , m_home(Mailbox::here())
{}

RedisJobQueue::~RedisJobQueue() = default;

void RedisJobQueue::runEnqueue(const JobSpec &spec, const QList<QByteArray> &fence,
                               std::function<void(std::optional<QString>)> done)
{
    QList<QByteArray> args{spec.queue.toUtf8(), spec.type.toUtf8(), spec.payload,
                           spec.dedupeKey.toUtf8(), num(spec.notBeforeMs),
                           num(m_policy.dedupeTtlMs)};
    args += fence;
    const bool sent = m_scripts->run(QStringLiteral("jobs_enqueue"), args, [done](redisReply *r) {
        if (!r || r->type == REDIS_REPLY_ERROR)
            done(std::nullopt);
        else
            done(QString::fromUtf8(text(r)));
    });
    if (!sent)
        done(std::nullopt);
}

void RedisJobQueue::enqueue(JobSpec spec, std::function<void(bool ok, QString id)> done)
{
    if (enqueueFromElsewhere(this, m_home, spec, done, [this](JobSpec s, auto d) { enqueue(std::move(s), d); }))
        return;
    runEnqueue(spec, {}, [done](std::optional<QString> id) {
        if (done)
            done(id.has_value(), id.value_or(QString()));
    });
}

void RedisJobQueue::enqueueScheduled(JobSpec spec, const QString &lease, const QString &holder,
                                     const QString &schedule, qint64 slot,
                                     std::function<void(std::optional<bool>)> done)
{
    runEnqueue(spec, {lease.toUtf8(), holder.toUtf8(), schedule.toUtf8(), num(slot)},
               [done](std::optional<QString> id) {
                   if (!id)
                       done(std::nullopt);
                   else
                       done(!id->isEmpty() && *id != QLatin1String("fenced"));
               });
}

void RedisJobQueue::claim(const QString &queue, const QString &consumer, int max,
                          std::function<void(std::optional<QList<ClaimedJob>>)> done)
{
    const QList<QByteArray> args{queue.toUtf8(), consumer.toUtf8(), num(max),
                                 num(m_policy.visibilityMs), num(m_policy.maxAttempts)};
    const bool sent = m_scripts->run(QStringLiteral("jobs_claim"), args, [queue, done](redisReply *r) {
        if (!isArray(r)) {
            done(std::nullopt);
            return;
        }
        QList<ClaimedJob> out;
        for (size_t i = 0; i + 5 < r->elements; i += 6) {
            ClaimedJob c;
            c.entry = QString::fromLatin1(text(r->element[i]));
            c.job.id = QString::fromLatin1(text(r->element[i + 1]));
            c.job.queue = queue;
            c.job.type = QString::fromUtf8(text(r->element[i + 2]));
            c.job.payload = text(r->element[i + 3]);
            c.job.attempt = int(integer(r->element[i + 4]));
            c.job.enqueuedAtMs = integer(r->element[i + 5]);
            out << c;
        }
        done(out);
    });
    if (!sent)
        done(std::nullopt);
}

void RedisJobQueue::finish(const ClaimedJob &claimed, const QString &consumer,
                           const JobResult &result, std::function<void(std::optional<Finished>)> done)
{
    const QList<QByteArray> args{claimed.job.queue.toUtf8(), consumer.toUtf8(),
                                 claimed.entry.toLatin1(), claimed.job.id.toLatin1(),
                                 outcomeName(result.outcome), result.error.toUtf8(),
                                 num(m_policy.maxAttempts), num(m_policy.backoffBaseMs),
                                 num(m_policy.backoffMaxMs)};
    const bool sent = m_scripts->run(QStringLiteral("jobs_finish"), args, [done](redisReply *r) {
        if (!r || r->type != REDIS_REPLY_INTEGER) {
            done(std::nullopt);
            return;
        }
        static const Finished kinds[] = {Finished::NotHeld, Finished::Done, Finished::Retried,
                                         Finished::Dead};
        done(r->integer >= 0 && r->integer <= 3 ? kinds[r->integer] : Finished::NotHeld);
    });
    if (!sent)
        done(std::nullopt);
}

void RedisJobQueue::hold(const QString &queue, const QString &consumer, bool keep,
                         const QList<ClaimedJob> &jobs, std::function<void(bool)> done)
{
    QList<QByteArray> args{queue.toUtf8(), consumer.toUtf8(), keep ? "keep" : "release"};
    for (const ClaimedJob &c : jobs)
        args << c.entry.toLatin1() << c.job.id.toLatin1();
    const bool sent = m_scripts->run(QStringLiteral("jobs_hold"), args, [done](redisReply *r) {
        done(r && r->type == REDIS_REPLY_INTEGER);
    });
    if (!sent)
        done(false);
}

void RedisJobQueue::stats(const QString &queue, std::function<void(std::optional<QueueStats>)> done)
{
    const bool sent = m_scripts->run(QStringLiteral("jobs_stats"), {queue.toUtf8()}, [done](redisReply *r) {
        if (!isArray(r) || r->elements < 7) {
            done(std::nullopt);
            return;
        }
        QueueStats s;
        s.waiting = integer(r->element[0]);
        s.pending = integer(r->element[1]);
        s.oldestAgeMs = integer(r->element[2]);
        s.deadLetters = integer(r->element[3]);
        s.done = integer(r->element[4]);
        s.retried = integer(r->element[5]);
        s.dead = integer(r->element[6]);
        done(s);
    });
    if (!sent)
        done(std::nullopt);
}

void RedisJobQueue::deadLetters(const QString &queue, int max,
                                std::function<void(std::optional<QList<DeadLetter>>)> done)
{
    const bool sent = m_scripts->run(
        QStringLiteral("jobs_dead"), {queue.toUtf8(), "list", num(max)}, [done](redisReply *r) {
            if (!isArray(r)) {
                done(std::nullopt);
                return;
            }
            QList<DeadLetter> out;
            for (size_t i = 0; i + 5 < r->elements; i += 6) {
                DeadLetter d;
                d.id = QString::fromLatin1(text(r->element[i]));
                d.jobId = QString::fromLatin1(text(r->element[i + 1]));
                d.type = QString::fromUtf8(text(r->element[i + 2]));
                d.attempts = int(integer(r->element[i + 3]));
                d.error = QString::fromUtf8(text(r->element[i + 4]));
                d.diedAtMs = integer(r->element[i + 5]);
                out << d;
            }
            done(out);
        });
    if (!sent)
        done(std::nullopt);
}

void RedisJobQueue::resolveDeadLetter(const QString &queue, const QString &id, bool retry,
                                      std::function<void(std::optional<bool>)> done)
{
    const bool sent = m_scripts->run(
        QStringLiteral("jobs_dead"), {queue.toUtf8(), retry ? "retry" : "drop", id.toLatin1()},
        [done](redisReply *r) {
            // An id Redis cannot parse is no dead letter of ours.
            if (r && r->type == REDIS_REPLY_ERROR && std::strstr(r->str, "Invalid stream ID"))
                done(false);
            else if (!r || r->type != REDIS_REPLY_INTEGER)
                done(std::nullopt);
            else
                done(r->integer == 1);
        });
    if (!sent)
        done(std::nullopt);
}

void RedisJobQueue::lease(const QString &name, const QString &holder, qint64 ttlMs, bool give,
                          std::function<void(std::optional<bool>)> done)
{
    const bool sent = m_scripts->run(
        QStringLiteral("jobs_lease"),
        {name.toUtf8(), holder.toUtf8(), num(ttlMs), give ? "give" : "hold"}, [done](redisReply *r) {
            if (!r || r->type != REDIS_REPLY_INTEGER)
                done(std::nullopt);
            else
                done(r->integer == 1);
        });
    if (!sent)
        done(std::nullopt);
}

} // namespace sanayicin::jobs
