#pragma once

#include "bridge/redis_url.h"

#include <QObject>
#include <functional>
#include <optional>

namespace sanayicin {
class RedisConnection;
}

namespace sanayicin::notify {

// Who is online anywhere in the cluster, asked of Redis where no instance's
// PresenceView is at hand (`sanayicind worker`): the instances keep the set
// `sanayicin:online_all` (presence_join.lua, presence_leave.lua, reap.lua),
// and one SISMEMBER answers. Lives on the thread that makes it (the
// notifier's); answers there. While the connection is down the answer is
// "unknown" (nullopt), at once. A question it has not answered when it is
// destroyed is never answered: destroy it after the notifier that asks it
// (which ends its running jobs itself), e.g. make it the notifier's child.
class RedisPresence : public QObject
{
public:
    RedisPresence(RedisUrl url, QObject *parent = nullptr);
    ~RedisPresence() override;

    void start();
    bool isConnected() const;
    void isOnline(qint64 userId, std::function<void(std::optional<bool>)> answer);

private:
    RedisConnection *m_connection;
};

} // namespace sanayicin::notify
