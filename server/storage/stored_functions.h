#pragma once

#include "db.h"

#include <QList>
#include <QString>

namespace sanayicin {

// Stored SQL code (PostgreSQL functions) kept out of the numbered
// migrations: resources/sql/functions/<dialect>/<name>.sql, each file run
// whole with CREATE OR REPLACE. schema_functions records per file the
// SHA-256 of what was run and the schema version it was run on, so a file is
// run again only when it changed or a migration ran since (a migration may
// drop or change what it stands on); an unchanged one costs one SELECT.
struct StoredFunction
{
    QString name; // the file's base name
    QByteArray sql;
    QByteArray sha256; // hex
};

struct AppliedFunction
{
    QString name;
    QString reason; // "new", "changed" or "schema version 5 -> 6"
};

QList<StoredFunction> shippedFunctions(Dialect dialect);

// Brings the stored functions up to date for `schemaVersion` (the newest)
// and logs each one it runs. The caller holds a transaction with the
// migration lock (Migrator does), so instances that start together run
// each file once. Throws DbError.
QList<AppliedFunction> applyStoredFunctions(Db &db, int schemaVersion);

} // namespace sanayicin
