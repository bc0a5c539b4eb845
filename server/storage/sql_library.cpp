#include "sql_library.h"

#include "db.h"
#include "logging/log.h"

#include <QFile>
#include <QHash>
#include <QMutex>
#include <memory>

namespace sanayicin {

SqlStatement toSqlitePlaceholders(const QString &name, const QByteArray &text)
{
    SqlStatement out{name, {}, {}};
    out.text.reserve(text.size());
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        // A "--" comment runs to the end of the line: copied as it is, so
        // that a $N or a quote in it is neither a parameter nor a string.
        if (!inString && c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            while (i < text.size() && text[i] != '\n')
                out.text += text[i++];
            if (i < text.size())
                out.text += '\n';
            continue;
        }
        if (c == '\'')
            inString = !inString;
        if (!inString && c == '$' && i + 1 < text.size() && text[i + 1] >= '0'
            && text[i + 1] <= '9') {
            int n = 0;
            while (i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9')
                n = n * 10 + (text[++i] - '0');
            out.text += '?';
            out.order.push_back(n - 1);
            continue;
        }
        out.text += c;
    }
    return out;
}

const SqlStatement &sqlStatement(Dialect dialect, const QString &name)
{
    static QMutex mutex;
    static QHash<QString, std::shared_ptr<SqlStatement>> cache;
    const QString key = QLatin1StringView(dialectName(dialect)) + QLatin1Char('/') + name;
    QMutexLocker lock(&mutex);
    if (auto it = cache.constFind(key); it != cache.constEnd())
        return **it;

    QFile specific(QStringLiteral(":/sql/queries/") + key + QStringLiteral(".sql"));
    QFile shared(QStringLiteral(":/sql/queries/") + name + QStringLiteral(".sql"));
    QByteArray text;
    if (specific.open(QIODevice::ReadOnly))
        text = specific.readAll();
    else if (shared.open(QIODevice::ReadOnly))
        text = shared.readAll();
    else {
        // A build without the statement: the one request (or batch) that
        // needs it fails as a database error (500); the process goes on.
        qCCritical(lcStorage).noquote() << "SQL statement" << key << "is missing from the resources";
        throw DbError(DbError::Kind::Other, name, QStringLiteral("statement missing from the resources"));
    }

    auto stmt = std::make_shared<SqlStatement>(
        dialect == Dialect::Sqlite ? toSqlitePlaceholders(name, text) : SqlStatement{name, text, {}});
    cache.insert(key, stmt);
    return *stmt;
}

} // namespace sanayicin
