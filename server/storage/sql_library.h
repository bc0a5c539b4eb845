#pragma once

#include "database_url.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace sanayicin {

// One SQL statement, loaded from the resources by name. SQL is written with
// PostgreSQL's $1, $2 placeholders; for SQLite they become `?` and `order`
// says which parameter each `?` takes, so one file can serve both.
struct SqlStatement
{
    QString name;
    QByteArray text;
    std::vector<int> order; // SQLite only: 0-based parameter index per `?`
};

// Statements live in resources/sql/queries/: `<name>.sql` for both dialects,
// or `<dialect>/<name>.sql` where a dialect needs its own. Loaded once and
// cached; thread-safe. Throws DbError when the build lacks the statement.
const SqlStatement &sqlStatement(Dialect dialect, const QString &name);

// Exposed for tests: rewrites $N placeholders for SQLite.
SqlStatement toSqlitePlaceholders(const QString &name, const QByteArray &text);

} // namespace sanayicin
