#include "redis_presence.h"

#include "bridge/redis_connection.h"

#include <QPointer>
#include <hiredis/hiredis.h>

namespace sanayicin::notify {

RedisPresence::RedisPresence(RedisUrl url, QObject *parent)
    : QObject(parent)
    , m_connection(new RedisConnection(std::move(url), QStringLiteral("notify-presence"), this))
{
}

RedisPresence::~RedisPresence() = default;

void RedisPresence::start()
{
    m_connection->start();
}

bool RedisPresence::isConnected() const
{
    return m_connection->isConnected();
}

void RedisPresence::isOnline(qint64 userId, std::function<void(std::optional<bool>)> answer)
{
    auto reply = [answer](redisReply *r) {
        if (!r || r->type != REDIS_REPLY_INTEGER)
            answer(std::nullopt);
        else
            answer(r->integer == 1);
    };
    if (!m_connection->command({"SISMEMBER", "sanayicin:online_all", QByteArray::number(userId)},
                               std::move(reply)))
        answer(std::nullopt);
}

} // namespace sanayicin::notify
