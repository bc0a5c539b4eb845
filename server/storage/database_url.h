#pragma once

#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace sanayicin {

enum class Dialect { Postgres, Sqlite };

const char *dialectName(Dialect d); // "postgresql" or "sqlite": also the SQL folder name

// The database setting, parsed once at start. Pure (no I/O): fuzzed.
//
// PostgreSQL in libpq's URI form, one host or several for failover:
//   postgresql://user:pass@host:port/db?key=value&...
//   postgresql://user:pass@h1:p1,h2,[::1]:p3/db?target_session_attrs=read-write
//   postgresql:///db?host=/var/run/postgresql          (a socket folder)
//   postgresql://user@/db?host=h1,h2&port=p1,p2        (the query form)
// (postgres:// too). User, password, host and database are percent-decoded;
// query keys are libpq's connection keywords. SQLite: sqlite:///absolute/path,
// or sqlite:relative/path under the data folder; empty means the default file.
struct DatabaseUrl
{
    struct Host
    {
        QString name; // a host name, an IPv4 or IPv6 address, a socket folder, or empty: libpq's default
        int port = 5432;
        bool operator==(const Host &) const = default;
    };

    Dialect dialect = Dialect::Sqlite;
    QList<Host> hosts; // in the order libpq tries them; never empty for PostgreSQL
    QString user;
    QString password;
    QString database;
    QList<std::pair<QString, QString>> options; // other libpq keywords, each once, in order
    QString sqlitePath;                         // SQLite only

    static std::optional<DatabaseUrl> parse(const QString &url, const QString &dataDir,
                                            QString &error);

    // The same URL without the password (nor any other secret option): for
    // logs. parse(redacted()) gives these fields with the secrets empty.
    QString redacted() const;
    // The whole URL, password included, in a canonical form that parse()
    // reads back to equal fields. Never log it.
    QString toString() const;

    // For libpq through QPSQL: "h1,h2" and "p1,p2", and the options as
    // key='value' pairs joined by ';' (QPSQL's separator), quoted for libpq.
    QString hostList() const;
    QString portList() const;
    QString connectOptions() const;
    // What Db hands QPSQL: the daemon's defaults (timeouts, keepalives),
    // the ports, then the URL's own options, which win over the defaults.
    QString qpsqlOptions() const;

    bool operator==(const DatabaseUrl &) const = default;
};

} // namespace sanayicin
