#pragma once

#include "database_url.h"
#include "sql_library.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <exception>
#include <memory>
#include <variant>
#include <vector>

struct pg_conn;
struct pg_result;

namespace sanayicin {

class Histogram;

// A bound value: NULL, an integer, text, or text already in UTF-8 (array
// literals for PostgreSQL's unnest(), hashes). Never formatted into SQL.
using DbValue = std::variant<std::monostate, qint64, QString, QByteArray>;

class DbError : public std::exception
{
public:
    enum class Kind { Connection, UniqueViolation, Other };

    DbError(Kind kind, QString statement, QString detail)
        : m_kind(kind), m_statement(std::move(statement)), m_detail(std::move(detail))
        , m_what((m_statement + QStringLiteral(": ") + m_detail).toUtf8())
    {}

    Kind kind() const { return m_kind; }
    // The connection was lost after a pipeline's COMMIT was sent: the
    // transaction may have committed or not (its answer never came).
    bool commitUnknown() const { return m_commitUnknown; }
    void markCommitUnknown() { m_commitUnknown = true; }
    // For logs only: the statement's name and the driver's message, which
    // never includes bound values. Never shown to clients.
    const QString &statement() const { return m_statement; }
    const QString &detail() const { return m_detail; }
    const char *what() const noexcept override { return m_what.constData(); }

private:
    Kind m_kind;
    QString m_statement;
    QString m_detail;
    QByteArray m_what;
    bool m_commitUnknown = false;
};

// The rows of one result, read by row and column index.
class DbRows
{
public:
    int size() const { return m_rows; }
    bool isEmpty() const { return m_rows == 0; }
    bool isNull(int row, int col) const;
    qint64 int64(int row, int col) const;
    QString text(int row, int col) const;
    QByteArray utf8(int row, int col) const;
    qint64 affected() const { return m_affected; }

private:
    friend class Db;
    std::shared_ptr<pg_result> m_pg;
    std::vector<QVariant> m_cells; // SQLite: row-major
    int m_rows = 0;
    int m_cols = 0;
    qint64 m_affected = 0;
};

// One database connection, owned by the thread that opened it (QSql's rule).
// PostgreSQL statements go through libpq's PQexecParams on the connection
// QPSQL opened: parameters are bound by the protocol and no named prepared
// statement is left on the server, which keeps the daemon correct behind
// pgBouncer's transaction pooling (QPSQL's own prepare() is SQL-level PREPARE).
class Db
{
public:
    static std::unique_ptr<Db> connect(const DatabaseUrl &url, const QString &purpose,
                                       QString &error);
    ~Db();
    Db(const Db &) = delete;
    Db &operator=(const Db &) = delete;

    Dialect dialect() const { return m_url.dialect; }

    // Runs the named statement from resources/sql/queries.
    DbRows query(const QString &name, const std::vector<DbValue> &params = {});
    DbRows query(const SqlStatement &statement, const std::vector<DbValue> &params);
    // Several statements without parameters (migrations).
    void execScript(const QString &name, const QByteArray &sql);

    void begin();
    void commit();
    void rollback();

    // Several statements in one round trip (libpq pipeline mode; SQLite runs
    // them one by one). With `begin` the pipeline opens a transaction first,
    // with `commit` it ends with COMMIT; either way a failure throws after
    // the pipeline is drained, and the transaction is then aborted, except
    // when the connection was lost once COMMIT was sent: then the error says
    // commitUnknown() and the caller must find out what was stored.
    struct Step
    {
        const SqlStatement *statement;
        std::vector<DbValue> params;
    };
    std::vector<DbRows> pipeline(const std::vector<Step> &steps, bool begin, bool commit);
    bool inTransaction() const { return m_inTransaction; }

    // True when the server answers a trivial query.
    bool ping();

    void setQueryTimer(Histogram *histogram) { m_queryTimer = histogram; }

private:
    Db(DatabaseUrl url, QString connectionName);
    bool open(QString &error);
    void closeConnection();
    void ensureConnected(const QString &context);
    pg_conn *connection(const QString &context) const;
    DbRows runPostgres(const SqlStatement &statement, const std::vector<DbValue> &params);
    DbRows readResult(pg_result *raw, const QString &context);
    DbRows runSqlite(const SqlStatement &statement, const std::vector<DbValue> &params);
    void runPlain(const QString &context, const QByteArray &sql);

    DatabaseUrl m_url;
    QString m_connectionName;
    // The libpq connection inside QPSQL's driver, or null while there is
    // none. QPSQL frees it on close() and on every open() (which closes
    // first), so it is set only by a successful open() and cleared by
    // closeConnection() before the driver is touched: never use a copy.
    pg_conn *m_pg = nullptr;
    // Reconnecting: when the connection was found lost (-1: it is not), the
    // last attempt and its error, on m_clock.
    static constexpr qint64 kReconnectEveryMs = 200;
    QElapsedTimer m_clock;
    qint64 m_lostAtMs = -1;
    qint64 m_lastAttemptMs = 0;
    QString m_lastError;
    QHash<QString, QSqlQuery> m_prepared; // SQLite statements, prepared once
    bool m_inTransaction = false;
    Histogram *m_queryTimer = nullptr;
};

// Rolls back in its destructor unless committed, so early returns and
// exceptions never leave a transaction open.
class Transaction
{
public:
    enum Mode { Begin, Deferred }; // Deferred: the caller's pipeline sends BEGIN
    explicit Transaction(Db &db, Mode mode = Begin) : m_db(db)
    {
        if (mode == Begin)
            m_db.begin();
    }
    ~Transaction();
    void commit();
    void markCommitted() { m_done = true; } // a pipeline sent COMMIT

private:
    Db &m_db;
    bool m_done = false;
};

} // namespace sanayicin
