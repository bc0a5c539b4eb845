#include "job_backend.h"

#include "bridge/redis_connection.h"
#include "bridge/redis_url.h"
#include "job_commands.h"
#include "jobs/redis_job_queue.h"
#include "jobs/sql_job_queue.h"

namespace sanayicin {

std::unique_ptr<JobBackend> JobBackend::open(const DaemonConfig &config, QString &error)
{
    std::unique_ptr<JobBackend> b(new JobBackend);
    if (!config.redisUrl.isEmpty()) {
        const std::optional<RedisUrl> url = RedisUrl::parse(config.redisUrl, error);
        if (!url)
            return nullptr;
        b->m_redis = std::make_unique<RedisConnection>(*url, QStringLiteral("jobs"));
        b->m_redisQueue = std::make_unique<jobs::RedisJobQueue>(*b->m_redis);
    } else {
        b->m_sqlQueue = jobs::SqlJobQueue::open(config.database, error);
        if (!b->m_sqlQueue)
            return nullptr;
    }
    b->queue().setPolicy(jobQueuePolicy(config));
    return b;
}

JobBackend::~JobBackend()
{
    // The queue before the connection it uses.
    m_redisQueue.reset();
    m_redis.reset();
}

jobs::JobQueue &JobBackend::queue()
{
    if (m_redisQueue)
        return *m_redisQueue;
    return *m_sqlQueue;
}

void JobBackend::whenReady(std::function<void()> begin)
{
    if (!m_redis) {
        begin();
        return;
    }
    auto started = std::make_shared<bool>(false);
    QObject::connect(m_redis.get(), &RedisConnection::connected, m_redis.get(), [started, begin] {
        if (!*started) {
            *started = true;
            begin();
        }
    });
    m_redis->start();
}

} // namespace sanayicin
