#pragma once

#include <limits>

#include "db.h"

#include <QString>

namespace sanayicin {

// Applies the schema migrations carried in resources/sql/migrations/<dialect>,
// each in its own transaction under a lock, and refuses a database whose
// schema is newer than this program knows.
class Migrator
{
public:
    explicit Migrator(Db &db) : m_db(db) {}

    // Returns false and sets `error` on failure; `applied` counts new versions.
    // `upTo` stops at that version (tests build old schemas with it).
    bool migrate(int &applied, QString &error, int upTo = std::numeric_limits<int>::max());

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

    Db &m_db;
};

} // namespace sanayicin
