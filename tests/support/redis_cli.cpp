#include "redis_cli.h"

#include <QDeadlineTimer>
#include <QTcpSocket>

namespace sanayicin::test {

namespace {

QByteArray encode(const QList<QByteArray> &args)
{
    QByteArray out = '*' + QByteArray::number(args.size()) + "\r\n";
    for (const QByteArray &a : args)
        out += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
    return out;
}

// Reads one simple reply (status, error, integer or bulk string).
QByteArray readReply(QTcpSocket &s)
{
    QByteArray buf;
    QDeadlineTimer deadline(5000);
    auto fill = [&](qsizetype need) {
        while (buf.size() < need && !deadline.hasExpired()) {
            if (!s.bytesAvailable() && !s.waitForReadyRead(int(deadline.remainingTime())))
                return false;
            buf += s.readAll();
        }
        return buf.size() >= need;
    };
    qsizetype eol = -1;
    while ((eol = buf.indexOf("\r\n")) < 0)
        if (!fill(buf.size() + 1))
            return {};
    const char kind = buf.at(0);
    const QByteArray line = buf.mid(1, eol - 1);
    if (kind == '-')
        return '-' + line;
    if (kind != '$')
        return line;
    const qsizetype n = line.toLongLong();
    if (n < 0)
        return {};
    if (!fill(eol + 2 + n + 2))
        return {};
    return buf.mid(eol + 2, n);
}

} // namespace

QByteArray redisCommand(quint16 port, const QList<QByteArray> &args, const QByteArray &user,
                        const QByteArray &password)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(5000))
        return {};
    if (!password.isEmpty()) {
        s.write(encode(user.isEmpty() ? QList<QByteArray>{"AUTH", password}
                                      : QList<QByteArray>{"AUTH", user, password}));
        const QByteArray r = readReply(s);
        if (r != "OK")
            return r.isEmpty() ? QByteArray("-no answer to AUTH") : r;
    }
    s.write(encode(args));
    return readReply(s);
}

} // namespace sanayicin::test
