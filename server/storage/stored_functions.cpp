#include "stored_functions.h"

#include "logging/log.h"
#include "time/clock.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <utility>

namespace sanayicin {

QList<StoredFunction> shippedFunctions(Dialect dialect)
{
    const QString folder =
        QStringLiteral(":/sql/functions/") + QLatin1StringView(dialectName(dialect));
    QList<StoredFunction> out;
    const QStringList files = QDir(folder).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QFile f(folder + QLatin1Char('/') + file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray sql = f.readAll();
        out.push_back({file.chopped(4), sql,
                       QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex()});
    }
    return out;
}

QList<AppliedFunction> applyStoredFunctions(Db &db, int schemaVersion)
{
    db.execScript(QStringLiteral("schema_functions"),
                  "CREATE TABLE IF NOT EXISTS schema_functions ("
                  " name TEXT PRIMARY KEY,"
                  " sha256 TEXT NOT NULL,"
                  " schema_version INTEGER NOT NULL,"
                  " applied_at BIGINT NOT NULL)");
    QHash<QString, std::pair<QByteArray, qint64>> recorded;
    const DbRows rows = db.query(QStringLiteral("schema_functions_recorded"));
    for (int r = 0; r < rows.size(); ++r)
        recorded.insert(rows.text(r, 0), {rows.utf8(r, 1), rows.int64(r, 2)});

    QList<AppliedFunction> applied;
    for (const StoredFunction &f : shippedFunctions(db.dialect())) {
        QString reason;
        const auto it = recorded.constFind(f.name);
        if (it == recorded.constEnd())
            reason = QStringLiteral("new");
        else if (it->first != f.sha256)
            reason = QStringLiteral("changed");
        else if (it->second != schemaVersion)
            reason = QStringLiteral("schema version %1 -> %2").arg(it->second).arg(schemaVersion);
        else
            continue;
        qCInfo(lcStorage).noquote() << QStringLiteral("applying stored function %1 (%2, sha256 %3)")
                                           .arg(f.name, reason, QString::fromLatin1(f.sha256.left(12)));
        db.execScript(QStringLiteral("function ") + f.name, f.sql);
        db.query(QStringLiteral("schema_function_record"),
                 {f.name, f.sha256, qint64(schemaVersion), nowMs()});
        applied.push_back({f.name, reason});
    }
    return applied;
}

} // namespace sanayicin
