#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace sanayicin {

// redis://[[user]:password@]host[:port][/db]. User and password are
// percent-decoded; with a user, the connection authenticates as that ACL
// user (Redis 6+ `AUTH user password`), with a password alone as `default`.
// A pure parser (no I/O), fuzzed by tests/fuzz/fuzz_redis_url.cpp.
//
// Or, with Redis Sentinel:
//   redis+sentinel://[[user]:password@]host1[:port1][,host2[:port2]...]/master[/db]
//       [?sentinel_password=P[&sentinel_user=U]]
// 1 to 16 sentinels (port 26379 by default), `master` the name the
// sentinels monitor (1-64 of A-Z a-z 0-9 . _ -). User, password and db are
// those of the data nodes (as in a redis:// URL); the sentinels have
// credentials of their own (Sentinel's requirepass, or an ACL user since
// Redis 6.2), so they come as query parameters, percent-decoded ('+' is a
// plus); without them the sentinels are asked without AUTH.
// host and port then name the first sentinel until a connection has asked
// the sentinels where the master is (RedisConnection).
struct RedisUrl
{
    struct Node
    {
        QString host;
        int port = 26379;
        bool operator==(const Node &) const = default;
    };

    QString host = QStringLiteral("127.0.0.1");
    int port = 6379;
    QString user;
    QString password;
    int db = 0;
    QList<Node> sentinels; // empty: host and port are the server
    QString masterName;
    QString sentinelUser;
    QString sentinelPassword;

    bool viaSentinel() const { return !sentinels.isEmpty(); }

    static std::optional<RedisUrl> parse(const QString &text, QString &error);
    QString redacted() const; // never shows a password
    // The URL again, user and password percent-encoded (parse() inverts it).
    QString toString() const;
};

} // namespace sanayicin
