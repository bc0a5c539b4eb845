#include "database_url.h"

#include <QDir>
#include <QUrl>
#include <QUrlQuery>

namespace sanayicin {

const char *dialectName(Dialect d)
{
    return d == Dialect::Postgres ? "postgresql" : "sqlite";
}

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, const QString &dataDir,
                                              QString &error)
{
    DatabaseUrl out;
    if (text.isEmpty()) {
        out.dialect = Dialect::Sqlite;
        out.sqlitePath = QDir(dataDir).absoluteFilePath(QStringLiteral("sanayicin.sqlite"));
        return out;
    }
    if (text.startsWith(u"sqlite:")) {
        out.dialect = Dialect::Sqlite;
        QString path = text.mid(7);
        if (path.startsWith(u"//"))
            path = path.mid(2); // sqlite:///abs -> /abs
        if (path.isEmpty()) {
            error = QStringLiteral("database URL: sqlite: needs a path");
            return std::nullopt;
        }
        out.sqlitePath = QDir::isAbsolutePath(path) ? path : QDir(dataDir).absoluteFilePath(path);
        return out;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"postgresql" && url.scheme() != u"postgres")) {
        error = QStringLiteral("database URL must start with postgresql:// or sqlite:");
        return std::nullopt;
    }
    out.dialect = Dialect::Postgres;
    out.host = url.host();
    out.port = url.port(5432);
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    out.database = url.path(QUrl::FullyDecoded).mid(1);
    const QUrlQuery query(url);
    QStringList options;
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == u"host")
            out.host = value; // a socket folder, as libpq allows
        else
            options << key + QLatin1Char('=') + value;
    }
    out.options = options.join(QLatin1Char(';'));
    if (out.database.isEmpty()) {
        error = QStringLiteral("database URL names no database");
        return std::nullopt;
    }
    return out;
}

QString DatabaseUrl::redacted() const
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral("sqlite:") + sqlitePath;
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

} // namespace sanayicin
