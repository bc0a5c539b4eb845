#include "redis_scripts.h"

#include "logging/log.h"

#include <QCryptographicHash>
#include <QFile>
#include <hiredis/hiredis.h>

namespace sanayicin {

const RedisScripts::Script *RedisScripts::script(const QString &name)
{
    auto it = m_scripts.find(name);
    if (it == m_scripts.end()) {
        QFile f(QStringLiteral(":/redis/%1.lua").arg(name));
        if (!f.open(QIODevice::ReadOnly)) {
            // A build without the script: this call fails as if Redis were
            // away (callers fall back); the process goes on.
            qCCritical(lcBridge).noquote() << "Redis script" << name << "is missing from the resources";
            return nullptr;
        }
        Script s;
        s.text = f.readAll();
        s.sha1 = QCryptographicHash::hash(s.text, QCryptographicHash::Sha1).toHex();
        it = m_scripts.insert(name, s);
    }
    return &*it;
}

bool RedisScripts::run(const QString &name, const QList<QByteArray> &args,
                       RedisConnection::Reply reply)
{
    const Script *found = script(name);
    if (!found)
        return false;
    const Script &s = *found;
    QList<QByteArray> evalsha{"EVALSHA", s.sha1, "0"};
    evalsha += args;
    QList<QByteArray> eval{"EVAL", s.text, "0"};
    eval += args;
    RedisConnection &connection = m_connection;
    return m_connection.command(evalsha, [&connection, eval, reply](redisReply *r) {
        if (r && r->type == REDIS_REPLY_ERROR && qstrncmp(r->str, "NOSCRIPT", 8) == 0) {
            if (!connection.command(eval, reply) && reply)
                reply(nullptr);
            return;
        }
        if (reply)
            reply(r);
    });
}

} // namespace sanayicin
