#pragma once

#include <QObject>
#include <functional>

namespace sanayicin {

// What /readyz and the WebSocket upgrade need to know about the instance,
// which is operations, not chat: the daemon (app/) implements it and hands
// it in, so that http/ depends on this interface only.
class OperationsStatus
{
public:
    virtual ~OperationsStatus() = default;

    // True once the instance drains (SIGTERM): no new WebSockets, not ready.
    virtual bool draining() const = 0;
    // Whether the instance runs with Redis, and whether the bridge is up.
    virtual bool hasRedis() const = 0;
    virtual bool redisUp() const = 0;
    // Whether the database answers; `done` runs on `context`'s thread (at
    // once when a recent answer is known), never if `context` is gone.
    virtual void checkDatabase(QObject *context, std::function<void(bool up)> done) = 0;
};

} // namespace sanayicin
