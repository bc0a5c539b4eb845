#pragma once

#include <QString>
#include <optional>

namespace sanayicin {

enum class Dialect { Postgres, Sqlite };

const char *dialectName(Dialect d); // "postgresql" or "sqlite": also the SQL folder name

// postgresql://user:pass@host:port/db?options or sqlite:///absolute/path
// (sqlite:relative/path is taken relative to the data folder).
struct DatabaseUrl
{
    Dialect dialect = Dialect::Sqlite;
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options;    // libpq connect options, "key=value;key=value"
    QString sqlitePath; // SQLite only

    static std::optional<DatabaseUrl> parse(const QString &url, const QString &dataDir,
                                            QString &error);
    // For logs: never contains the password.
    QString redacted() const;
};

} // namespace sanayicin
