#pragma once

#include "redis_connection.h"

#include <QHash>

namespace sanayicin {

// The Lua scripts in resources/redis, run with EVALSHA; a server that does
// not know a script (it restarted) gets it again with EVAL, transparently.
class RedisScripts
{
public:
    explicit RedisScripts(RedisConnection &connection) : m_connection(connection) {}

    // `name` is the file name without .lua; args are the script's ARGV.
    // False, and no callback, when not connected or the script is unknown.
    bool run(const QString &name, const QList<QByteArray> &args, RedisConnection::Reply reply);

private:
    struct Script
    {
        QByteArray text;
        QByteArray sha1;
    };
    const Script *script(const QString &name); // nullptr: not in the resources

    RedisConnection &m_connection;
    QHash<QString, Script> m_scripts;
};

} // namespace sanayicin
