#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace sanayicin::test {

// A blocking Redis client for tests: one command, one reply, over RESP on
// a fresh connection. `user`/`password` log in first (AUTH) when given.
// Returns the reply as text ("+OK" -> "OK", ":1" -> "1", bulk -> its bytes,
// "-ERR ..." -> "-ERR ..."); an empty string when there was no answer.
QByteArray redisCommand(quint16 port, const QList<QByteArray> &args, const QByteArray &user = {},
                        const QByteArray &password = {});

} // namespace sanayicin::test
