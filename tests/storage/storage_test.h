#pragma once

// Shared by the storage suites: every test body runs once on SQLite and once
// on PostgreSQL (initTestCase_data rows "sqlite" and "postgresql"), each on
// a fresh, migrated database made in init().

#include "app/resources.h"
#include "storage/account_store.h"
#include "storage/conversation_store.h"
#include "storage/db.h"
#include "storage/migrator.h"
#include "storage/sql_library.h"
#include "test_env.h"

#include <QTemporaryDir>
#include <QtTest>
#include <memory>

namespace sanayicin::test {

inline void addDialectRows()
{
    QTest::addColumn<QString>("dialect");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

// Opens a new database of `dialect` in `folder`; migrated unless told not to.
// `urlOut`, when given, receives its URL (for more connections to it).
inline std::unique_ptr<Db> openFreshDatabase(const QString &dialect, const QString &folder,
                                             bool migrate = true, QString *urlOut = nullptr)
{
    const QString url = freshDatabaseUrl(dialect, folder);
    if (urlOut)
        *urlOut = url;
    QString error;
    const auto parsed = DatabaseUrl::parse(url, folder, error);
    if (!parsed) {
        qWarning("bad test database URL: %s", qPrintable(error));
        return nullptr;
    }
    std::unique_ptr<Db> db = Db::connect(*parsed, QStringLiteral("test"), error);
    if (!db) {
        qWarning("cannot open the test database: %s", qPrintable(error));
        return nullptr;
    }
    if (migrate) {
        int applied = 0;
        if (!Migrator(*db).migrate(applied, error)) {
            qWarning("migration failed: %s", qPrintable(error));
            return nullptr;
        }
    }
    return db;
}

// Runs ad-hoc SQL written with $N placeholders on either dialect: for checks
// of tables that the stores do not read back.
inline DbRows rawQuery(Db &db, const QByteArray &sql, const std::vector<DbValue> &params = {})
{
    const SqlStatement statement = db.dialect() == Dialect::Sqlite
                                       ? toSqlitePlaceholders(QString::fromLatin1(sql), sql)
                                       : SqlStatement{QString::fromLatin1(sql), sql, {}};
    return db.query(statement, params);
}

inline qint64 scalar(Db &db, const QByteArray &sql, const std::vector<DbValue> &params = {})
{
    const DbRows rows = rawQuery(db, sql, params);
    return rows.isEmpty() ? -1 : rows.int64(0, 0);
}

inline qint64 addUser(Db &db, const QString &username, Role role = Role::Customer,
                      qint64 nowMs = 1'700'000'000'000)
{
    return store::insertUser(db, username, username.toUpper(), role,
                             QStringLiteral("$argon2id$not-a-real-hash"), nowMs);
}

// The conversation of a and b as both have opened it (created by a, asked
// for by b), so that both see it even while it is empty.
inline qint64 openedByBoth(Db &db, qint64 a, qint64 b, qint64 nowMs)
{
    const qint64 id = store::openConversation(db, a, b, nowMs).id;
    store::openConversation(db, b, a, nowMs);
    return id;
}

} // namespace sanayicin::test

// The fixture of each suite: a temporary folder and a fresh database per test.
// A suite derives from it and declares the four slots:
//   void initTestCase_data() { addDialectRows(); }
//   void initTestCase() { initSanayicinResources(); }
//   void init() { QVERIFY(openDatabase()); }
//   void cleanup() { m_db.reset(); }
class StorageTest : public QObject
{
protected:
    // The current global data row's dialect; call from a test function.
    static QString dialect()
    {
        QFETCH_GLOBAL(QString, dialect);
        return dialect;
    }
    bool openDatabase()
    {
        m_db = sanayicin::test::openFreshDatabase(dialect(), m_dir.path(), true, &m_url);
        return m_db != nullptr;
    }
    sanayicin::Db &db() { return *m_db; }

    QTemporaryDir m_dir;
    QString m_url; // of m_db, as opened by openDatabase()
    std::unique_ptr<sanayicin::Db> m_db;
};
