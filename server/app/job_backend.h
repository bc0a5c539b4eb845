#pragma once

#include "daemon_config.h"
#include "jobs/job_queue.h"

#include <functional>
#include <memory>

namespace sanayicin {

class RedisConnection;
namespace jobs {
class RedisJobQueue;
class SqlJobQueue;
}

// The job queue the settings choose: Redis Streams with --redis, else the
// embedded one in the database. Made on, and used from, one thread.
class JobBackend
{
public:
    // nullptr and `error` when the settings or the database do not allow it.
    static std::unique_ptr<JobBackend> open(const DaemonConfig &config, QString &error);
    ~JobBackend();

    jobs::JobQueue &queue();
    bool isRedis() const { return bool(m_redis); }
    // Runs `begin` once the queue can answer (Redis: its first connect).
    void whenReady(std::function<void()> begin);

private:
    JobBackend() = default;
    std::unique_ptr<RedisConnection> m_redis;
    std::unique_ptr<jobs::RedisJobQueue> m_redisQueue;
    std::unique_ptr<jobs::SqlJobQueue> m_sqlQueue;
};

} // namespace sanayicin
