#pragma once

#include <QString>
#include <optional>

namespace sanayicin {

// redis://[:password@]host[:port][/db]
struct RedisUrl
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 6379;
    QString password;
    int db = 0;

    static std::optional<RedisUrl> parse(const QString &text, QString &error);
    QString redacted() const; // never shows the password
};

} // namespace sanayicin
