#pragma once

#include <QString>
#include <optional>

namespace sanayicin {

// redis://[[user]:password@]host[:port][/db]. User and password are
// percent-decoded; with a user, the connection authenticates as that ACL
// user (Redis 6+ `AUTH user password`), with a password alone as `default`.
// A pure parser (no I/O), fuzzed by tests/fuzz/fuzz_redis_url.cpp.
struct RedisUrl
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 6379;
    QString user;
    QString password;
    int db = 0;

    static std::optional<RedisUrl> parse(const QString &text, QString &error);
    QString redacted() const; // never shows the password
    // The URL again, user and password percent-encoded (parse() inverts it).
    QString toString() const;
};

} // namespace sanayicin
