#pragma once

#include <limits>

#include "db.h"

#include <QString>
#include <QStringList>

namespace sanayicin {

// Applies the schema migrations carried in resources/sql/migrations/<dialect>,
// each in its own transaction under a lock, then the stored functions of
// resources/sql/functions/<dialect> that changed (stored_functions.h), and
// refuses a database whose schema is newer than this program knows.
class Migrator
{
public:
    explicit Migrator(Db &db) : m_db(db) {}

    // Returns false and sets `error` on failure; `applied` counts new versions.
    // `upTo` stops at that version (tests build old schemas with it); the
    // stored functions, written for the newest schema, are applied only when
    // the database reaches the newest version, in the same transaction as
    // the last migration when one runs.
    bool migrate(int &applied, QString &error, int upTo = std::numeric_limits<int>::max());

    // The stored functions the last migrate() ran (names), in order.
    const QStringList &appliedFunctions() const { return m_appliedFunctions; }

    int currentVersion();  // 0 for an empty database
    int newestKnownVersion() const;

private:
    struct Migration
    {
        int version;
        QString name;
        QByteArray sql;
    };
    QList<Migration> available() const;
    void ensureTable();
    void lock();
    void applyFunctions(int schemaVersion);

    Db &m_db;
    QStringList m_appliedFunctions;
};

} // namespace sanayicin
