#include "migrator.h"

#include "moderation_store.h"
#include "stored_functions.h"

#include "logging/log.h"
#include "time/clock.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace sanayicin {

namespace {
// Any constant: every instance that starts at once takes the same lock.
constexpr qint64 kMigrationLockKey = 0x53414e4159;
} // namespace

QList<Migrator::Migration> Migrator::available() const
{
    const QString folder =
        QStringLiteral(":/sql/migrations/") + QLatin1StringView(dialectName(m_db.dialect()));
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_(\\w+)\\.sql$"));
    QList<Migration> out;
    const QStringList files = QDir(folder).entryList(QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto match = pattern.match(file);
        if (!match.hasMatch())
            continue;
        QFile f(folder + QLatin1Char('/') + file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        out.push_back({match.captured(1).toInt(), match.captured(2), f.readAll()});
    }
    return out;
}

int Migrator::newestKnownVersion() const
{
    const auto all = available();
    return all.isEmpty() ? 0 : all.last().version;
}

// Every instance that migrates or applies functions takes it (PostgreSQL; a
// transaction-scoped lock works behind pgBouncer too). SQLite's BEGIN
// IMMEDIATE is the lock there.
void Migrator::lock()
{
    if (m_db.dialect() != Dialect::Postgres)
        return;
    const SqlStatement take{QStringLiteral("migration_lock"), "SELECT pg_advisory_xact_lock($1)", {}};
    m_db.query(take, {qint64(kMigrationLockKey)});
}

void Migrator::applyFunctions(int schemaVersion)
{
    for (const AppliedFunction &f : applyStoredFunctions(m_db, schemaVersion))
        m_appliedFunctions << f.name;
}

void Migrator::ensureTable()
{
    const QByteArray create = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              " version INTEGER PRIMARY KEY,"
                              " name TEXT NOT NULL,"
                              " applied_at BIGINT NOT NULL)";
    if (m_db.dialect() == Dialect::Sqlite) {
        m_db.execScript(QStringLiteral("schema_migrations"), create);
        return;
    }
    // IF NOT EXISTS is not safe against another instance creating the table
    // at the same moment (a unique violation in pg_type): take the migration
    // lock first.
    Transaction tx(m_db);
    lock();
    m_db.execScript(QStringLiteral("schema_migrations"), create);
    tx.commit();
}

int Migrator::currentVersion()
{
    ensureTable();
    const SqlStatement stmt{QStringLiteral("schema_version"),
                            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                            {}};
    return int(m_db.query(stmt, {}).int64(0, 0));
}

bool Migrator::migrate(int &applied, QString &error, int upTo)
{
    applied = 0;
    m_appliedFunctions.clear();
    bool functionsDone = false;
    try {
        const QList<Migration> all = available();
        const int newest = all.isEmpty() ? 0 : all.last().version;
        const int current = currentVersion();
        if (current > newest) {
            error = QStringLiteral("the database schema is version %1, newer than this program "
                                   "knows (%2); refusing to touch it")
                        .arg(current)
                        .arg(newest);
            return false;
        }
        for (const Migration &m : all) {
            if (m.version <= current || m.version > upTo)
                continue;
            Transaction tx(m_db);
            lock();
            // Another instance may have applied it while we waited.
            const SqlStatement check{
                QStringLiteral("migration_check"),
                m_db.dialect() == Dialect::Postgres
                    ? "SELECT count(*) FROM schema_migrations WHERE version = $1"
                    : "SELECT count(*) FROM schema_migrations WHERE version = ?",
                {0}};
            if (m_db.query(check, {qint64(m.version)}).int64(0, 0) > 0)
                continue;
            qCInfo(lcStorage).noquote()
                << "applying migration" << QStringLiteral("%1_%2").arg(m.version, 4, 10, QLatin1Char('0')).arg(m.name);
            m_db.execScript(m.name, m.sql);
            const SqlStatement record{
                QStringLiteral("migration_record"),
                m_db.dialect() == Dialect::Postgres
                    ? "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"
                    : "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {0, 1, 2}};
            m_db.query(record, {qint64(m.version), m.name, nowMs()});
            // The newest schema and the functions written for it change in
            // one commit: once the schema is at the newest version, no writer
            // calls a function older than it.
            if (m.version == newest) {
                applyFunctions(newest);
                functionsDone = true;
            }
            tx.commit();
            ++applied;
        }
        if (upTo >= newest && !functionsDone) {
            Transaction tx(m_db);
            lock();
            applyFunctions(newest);
            tx.commit();
        }
        if (upTo >= newest) {
            // Users without the folded search key (0007): those from before
            // it, and those a previous binary registered during a rolling
            // deploy. The fold is the daemon's (Turkish-aware), not SQL's.
            // One indexed look-up when there are none.
            if (const qint64 filled = store::fillUserSearchKeys(m_db))
                qCInfo(lcStorage) << "search keys of" << filled << "users filled";
        }
        return true;
    } catch (const DbError &e) {
        m_appliedFunctions.clear(); // rolled back with their transaction
        error = QStringLiteral("migration failed in %1: %2").arg(e.statement(), e.detail());
        return false;
    }
}

} // namespace sanayicin
