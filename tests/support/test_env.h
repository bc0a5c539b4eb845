#pragma once

#include <QSqlDatabase>
#include <QString>

namespace sanayicin::test {

// What the test tooling started (tests/services/services.sh writes
// $SANAYICIN_TEST_STATE/env) and where the daemon binary is.
struct TestEnv
{
    static QString value(const char *key); // empty when not set
    static QString pgUrl();                // a database the tests may use
    static QString pgAdminUrl();           // for creating fresh databases
    static QString redisUrl();
    static QString daemonPath();
};

// A new, empty database for one test: "sqlite" (a file in `folder`) or
// "postgresql" (CREATE DATABASE on the test server). Returns its URL.
QString freshDatabaseUrl(const QString &dialect, const QString &folder);

// Opens a PostgreSQL database given by URL (as freshDatabaseUrl returns) as
// the Qt SQL connection `connectionName`, for checks behind the daemon's back.
QSqlDatabase openPostgres(const QString &url, const QString &connectionName);

} // namespace sanayicin::test
