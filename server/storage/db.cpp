#include "db.h"

#include "logging/log.h"
#include "metrics/metrics.h"

#include <QAtomicInt>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>
#include <QStringEncoder>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <libpq-fe.h>
#include <poll.h>

namespace sanayicin {

namespace {

QAtomicInt g_connectionCounter;

DbError::Kind kindForSqlState(const char *state)
{
    if (state && qstrcmp(state, "23505") == 0)
        return DbError::Kind::UniqueViolation;
    // Class 08: connection exception; 57P01..03: admin shutdown/crash.
    if (state && (qstrncmp(state, "08", 2) == 0 || qstrncmp(state, "57P", 3) == 0))
        return DbError::Kind::Connection;
    return DbError::Kind::Other;
}

} // namespace

bool DbRows::isNull(int row, int col) const
{
    if (m_pg)
        return PQgetisnull(m_pg.get(), row, col);
    return m_cells[size_t(row * m_cols + col)].isNull();
}

qint64 DbRows::int64(int row, int col) const
{
    if (m_pg)
        return std::strtoll(PQgetvalue(m_pg.get(), row, col), nullptr, 10);
    return m_cells[size_t(row * m_cols + col)].toLongLong();
}

QString DbRows::text(int row, int col) const
{
    if (m_pg)
        return QString::fromUtf8(PQgetvalue(m_pg.get(), row, col),
                                 PQgetlength(m_pg.get(), row, col));
    return m_cells[size_t(row * m_cols + col)].toString();
}

QByteArray DbRows::utf8(int row, int col) const
{
    if (m_pg)
        return QByteArray(PQgetvalue(m_pg.get(), row, col), PQgetlength(m_pg.get(), row, col));
    return m_cells[size_t(row * m_cols + col)].toString().toUtf8();
}

Db::Db(DatabaseUrl url, QString connectionName)
    : m_url(std::move(url)), m_connectionName(std::move(connectionName))
{
    m_clock.start();
}

std::unique_ptr<Db> Db::connect(const DatabaseUrl &url, const QString &purpose, QString &error)
{
    const QString name =
        QStringLiteral("sanayicin-%1-%2").arg(purpose).arg(g_connectionCounter.fetchAndAddRelaxed(1));
    std::unique_ptr<Db> db(new Db(url, name));
    if (!db->open(error))
        return nullptr;
    return db;
}

bool Db::open(QString &error)
{
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
                          ? QSqlDatabase::database(m_connectionName, false)
                          : QSqlDatabase::addDatabase(m_url.dialect == Dialect::Postgres
                                                          ? QStringLiteral("QPSQL")
                                                          : QStringLiteral("QSQLITE"),
                                                      m_connectionName);
    if (!db.isValid()) {
        error = QStringLiteral("the Qt SQL driver for %1 is not installed")
                    .arg(QLatin1StringView(dialectName(m_url.dialect)));
        return false;
    }
    closeConnection();
    if (m_url.dialect == Dialect::Postgres) {
        // Several hosts go to libpq as lists, which it tries in order
        // (failover). QPSQL quotes the host and takes one port number, so
        // the ports travel with the options; the URL's own options come
        // last, so that they win (connect_timeout, for one): qpsqlOptions().
        db.setHostName(m_url.hostList());
        db.setPort(-1);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setDatabaseName(m_url.database);
        db.setConnectOptions(m_url.qpsqlOptions());
    } else {
        db.setDatabaseName(m_url.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    }
    if (!db.open()) {
        // The driver's text can name the host and user, never the password.
        error = QStringLiteral("cannot open %1: %2").arg(m_url.redacted(), db.lastError().text());
        return false;
    }
    m_inTransaction = false;
    if (m_url.dialect == Dialect::Postgres) {
        const QVariant handle = db.driver()->handle();
        // Qt names the type as the header spells it: PGconn* or pg_conn*.
        if (!handle.isValid()
            || (qstrcmp(handle.typeName(), "PGconn*") != 0
                && qstrcmp(handle.typeName(), "pg_conn*") != 0)) {
            error = QStringLiteral("the QPSQL driver gave no libpq handle (%1)").arg(QLatin1StringView(handle.typeName()));
            closeConnection();
            return false;
        }
        PGconn *conn = *static_cast<PGconn *const *>(handle.constData());
        if (!conn || PQstatus(conn) != CONNECTION_OK) {
            error = QStringLiteral("cannot open %1: the connection is not usable").arg(m_url.redacted());
            closeConnection();
            return false;
        }
        // Server notices ("relation ... already exists, skipping") go to our
        // log at debug level instead of libpq's stderr.
        PQsetNoticeProcessor(
            conn,
            [](void *, const char *message) {
                qCDebug(lcStorage).noquote() << "server notice:" << QByteArray(message).trimmed();
            },
            nullptr);
        m_pg = conn;
    } else {
        try {
            // WAL lets readers run beside the writer; FULL keeps every
            // acknowledged commit across a power loss.
            runPlain(QStringLiteral("sqlite session"),
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
        } catch (const DbError &e) {
            error = e.detail();
            return false;
        }
    }
    return true;
}

void Db::closeConnection()
{
    // First forget the handle: closing frees it.
    m_pg = nullptr;
    m_prepared.clear();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (db.isOpen())
        db.close();
}

Db::~Db()
{
    closeConnection();
    QSqlDatabase::removeDatabase(m_connectionName);
}

pg_conn *Db::connection(const QString &context) const
{
    if (!m_pg)
        throw DbError(DbError::Kind::Connection, context,
                      QStringLiteral("not connected to the database"));
    return m_pg;
}

namespace {

// An idle connection whose server went away (a restart, a primary switch)
// has the server's FATAL message and end of file waiting on its socket, and
// libpq notices only when it reads: read now, so that the statement goes to
// a new connection instead of failing on the dead one. (No connection of
// the daemon LISTENs, so nothing else is waiting to be read there.)
bool stillConnected(PGconn *conn)
{
    // One read takes the FATAL message, the next one sees the end of file.
    for (int reads = 0; reads < 4 && PQstatus(conn) == CONNECTION_OK; ++reads) {
        pollfd p{PQsocket(conn), POLLIN, 0};
        if (p.fd < 0 || ::poll(&p, 1, 0) <= 0)
            break;
        if (!PQconsumeInput(conn))
            break;
    }
    return PQstatus(conn) == CONNECTION_OK;
}

} // namespace

void Db::ensureConnected(const QString &context)
{
    if (m_url.dialect != Dialect::Postgres || (m_pg && stillConnected(m_pg)))
        return;
    if (m_inTransaction) {
        m_inTransaction = false;
        throw DbError(DbError::Kind::Connection, context,
                      QStringLiteral("connection lost inside a transaction"));
    }
    // One attempt per kReconnectEveryMs at most: while the server is away,
    // statements fail at once instead of each waiting for a connect.
    const qint64 now = m_clock.elapsed();
    if (m_lostAtMs < 0) {
        m_lostAtMs = now;
        qCWarning(lcStorage) << "database connection lost; reconnecting to" << m_url.redacted();
    } else if (now - m_lastAttemptMs < kReconnectEveryMs) {
        throw DbError(DbError::Kind::Connection, context, m_lastError);
    }
    m_lastAttemptMs = now;
    if (!open(m_lastError)) {
        qCDebug(lcStorage).noquote() << "reconnect failed:" << m_lastError;
        throw DbError(DbError::Kind::Connection, context, m_lastError);
    }
    qCInfo(lcStorage) << "database connection back after" << now - m_lostAtMs << "ms";
    m_lostAtMs = -1;
}

DbRows Db::query(const QString &name, const std::vector<DbValue> &params)
{
    return query(sqlStatement(m_url.dialect, name), params);
}

DbRows Db::query(const SqlStatement &statement, const std::vector<DbValue> &params)
{
    ensureConnected(statement.name);
    QElapsedTimer timer;
    timer.start();
    DbRows rows = m_url.dialect == Dialect::Postgres ? runPostgres(statement, params)
                                                     : runSqlite(statement, params);
    if (m_queryTimer)
        m_queryTimer->observe(double(timer.nsecsElapsed()) / 1e9);
    return rows;
}

namespace {

// Parameters as libpq wants them: text, NULL as a null pointer.
struct PgParams
{
    explicit PgParams(const std::vector<DbValue> &params)
        : storage(params.size()), values(params.size(), nullptr), lengths(params.size(), 0)
    {
        for (size_t i = 0; i < params.size(); ++i) {
            const DbValue &v = params[i];
            if (std::holds_alternative<std::monostate>(v))
                continue;
            if (const auto *iv = std::get_if<qint64>(&v))
                storage[i] = QByteArray::number(*iv);
            else if (const auto *sv = std::get_if<QString>(&v))
                storage[i] = sv->toUtf8();
            else
                storage[i] = std::get<QByteArray>(v);
            values[i] = storage[i].constData();
            lengths[i] = int(storage[i].size());
        }
    }
    int count() const { return int(values.size()); }
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    std::vector<int> lengths;
};

} // namespace

DbRows Db::runPostgres(const SqlStatement &statement, const std::vector<DbValue> &params)
{
    PgParams p(params);
    PGresult *raw = PQexecParams(connection(statement.name), statement.text.constData(), p.count(), nullptr,
                                 p.values.data(), p.lengths.data(), nullptr, 0);
    return readResult(raw, statement.name);
}

DbRows Db::readResult(pg_result *raw, const QString &context)
{
    std::shared_ptr<pg_result> result(raw, PQclear);
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const char *state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
        DbError::Kind kind = kindForSqlState(state);
        if (PQstatus(m_pg) != CONNECTION_OK) // libpq answers CONNECTION_BAD for null
            kind = DbError::Kind::Connection;
        if (kind == DbError::Kind::Connection)
            m_inTransaction = false;
        const char *message = raw ? PQresultErrorMessage(raw) : PQerrorMessage(m_pg);
        throw DbError(kind, context, QString::fromUtf8(message).trimmed());
    }
    DbRows rows;
    rows.m_rows = PQntuples(raw);
    rows.m_cols = PQnfields(raw);
    rows.m_affected = std::strtoll(PQcmdTuples(raw), nullptr, 10);
    rows.m_pg = std::move(result);
    return rows;
}

std::vector<DbRows> Db::pipeline(const std::vector<Step> &steps, bool begin, bool commit)
{
    std::vector<DbRows> out;
    if (m_url.dialect == Dialect::Sqlite) {
        if (begin)
            this->begin();
        for (const Step &s : steps)
            out.push_back(query(*s.statement, s.params));
        if (commit)
            this->commit();
        return out;
    }
    ensureConnected(QStringLiteral("pipeline"));
    // Nothing below reconnects: the handle stays valid until the end.
    PGconn *const conn = connection(QStringLiteral("pipeline"));
    QElapsedTimer timer;
    timer.start();
    if (PQenterPipelineMode(conn) != 1)
        throw DbError(PQstatus(conn) == CONNECTION_OK ? DbError::Kind::Other : DbError::Kind::Connection,
                      QStringLiteral("pipeline"), QString::fromUtf8(PQerrorMessage(conn)).trimmed());
    // Every command's result, then the sync's; the first failure is kept
    // and thrown once everything is read (the connection must be left
    // clean either way).
    std::optional<DbError> failure;
    auto send = [&](const char *sql, const PgParams &p, const QString &name) {
        if (!failure
            && PQsendQueryParams(conn, sql, p.count(), nullptr, p.values.data(), p.lengths.data(),
                                 nullptr, 0)
                   != 1)
            failure = DbError(DbError::Kind::Connection, name,
                              QString::fromUtf8(PQerrorMessage(conn)).trimmed());
    };
    const PgParams none(std::vector<DbValue>{});
    std::vector<PgParams> params;
    params.reserve(steps.size());
    for (const Step &s : steps)
        params.emplace_back(s.params);
    int commands = 0;
    if (begin) {
        send("BEGIN", none, QStringLiteral("begin"));
        ++commands;
    }
    for (size_t i = 0; i < steps.size(); ++i) {
        send(steps[i].statement->text.constData(), params[i], steps[i].statement->name);
        ++commands;
    }
    bool commitSent = false; // queued: it may reach the server even if a later write fails
    if (commit) {
        send("COMMIT", none, QStringLiteral("commit"));
        commitSent = !failure;
        ++commands;
    }
    if (!failure && PQpipelineSync(conn) != 1)
        failure = DbError(DbError::Kind::Connection, QStringLiteral("pipeline"),
                          QString::fromUtf8(PQerrorMessage(conn)).trimmed());
    if (!failure) {
        for (int c = 0; c < commands; ++c) {
            const QString name = (begin && c == 0) ? QStringLiteral("begin")
                                 : (commit && c == commands - 1)
                                     ? QStringLiteral("commit")
                                     : steps[size_t(c - (begin ? 1 : 0))].statement->name;
            PGresult *r = PQgetResult(conn);
            // Each command's results end with a null.
            while (PGresult *extra = PQgetResult(conn))
                PQclear(extra);
            if (failure) {
                PQclear(r);
                continue;
            }
            try {
                DbRows rows = readResult(r, name);
                if (!(begin && c == 0) && !(commit && c == commands - 1))
                    out.push_back(std::move(rows));
            } catch (const DbError &e) {
                failure = e;
            }
        }
        // The sync's result.
        if (PGresult *sync = PQgetResult(conn))
            PQclear(sync);
    }
    PQexitPipelineMode(conn);
    if (m_queryTimer)
        m_queryTimer->observe(double(timer.nsecsElapsed()) / 1e9);
    if (failure) {
        // The server aborted the transaction at the first error; a lost
        // connection took it away altogether.
        m_inTransaction = failure->kind() != DbError::Kind::Connection && (begin || m_inTransaction);
        // A server error before the COMMIT aborted the transaction; a lost
        // connection after it leaves the outcome unknown (the answer to
        // BEGIN may be the first one missing, as much as COMMIT's).
        if (commitSent && failure->kind() == DbError::Kind::Connection)
            failure->markCommitUnknown();
        throw *failure;
    }
    if (begin)
        m_inTransaction = true;
    if (commit)
        m_inTransaction = false;
    return out;
}

DbRows Db::runSqlite(const SqlStatement &statement, const std::vector<DbValue> &params)
{
    auto it = m_prepared.find(statement.name);
    if (it == m_prepared.end()) {
        QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
        q.setForwardOnly(true);
        if (!q.prepare(QString::fromUtf8(statement.text)))
            throw DbError(DbError::Kind::Other, statement.name, q.lastError().text());
        it = m_prepared.insert(statement.name, q);
    }
    QSqlQuery &q = *it;
    for (size_t i = 0; i < statement.order.size(); ++i) {
        const DbValue &v = params.at(size_t(statement.order[i]));
        QVariant bound;
        if (const auto *iv = std::get_if<qint64>(&v))
            bound = QVariant::fromValue<qlonglong>(*iv);
        else if (const auto *sv = std::get_if<QString>(&v))
            bound = *sv;
        else if (const auto *bv = std::get_if<QByteArray>(&v))
            bound = QString::fromUtf8(*bv); // text, not a blob
        // QSQLITE binds a null QString as SQL NULL; text is never NULL here
        // (std::monostate is), and PostgreSQL gets '' for it too.
        if (bound.typeId() == QMetaType::QString && bound.toString().isNull())
            bound = QStringLiteral("");
        q.bindValue(int(i), bound);
    }
    if (!q.exec()) {
        const QSqlError err = q.lastError();
        q.finish();
        const QString text = err.text();
        const auto kind = text.contains(u"UNIQUE constraint failed")
                              ? DbError::Kind::UniqueViolation
                              : DbError::Kind::Other;
        throw DbError(kind, statement.name, text);
    }
    DbRows rows;
    if (q.isSelect()) {
        const int cols = q.record().count();
        rows.m_cols = cols;
        while (q.next()) {
            for (int c = 0; c < cols; ++c)
                rows.m_cells.push_back(q.value(c));
            ++rows.m_rows;
        }
    } else {
        rows.m_affected = q.numRowsAffected();
    }
    q.finish(); // releases SQLite's read lock
    return rows;
}

void Db::runPlain(const QString &context, const QByteArray &sql)
{
    if (m_url.dialect == Dialect::Postgres) {
        std::shared_ptr<pg_result> r(PQexec(connection(context), sql.constData()), PQclear);
        const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            const char *state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
            DbError::Kind kind = kindForSqlState(state);
            if (PQstatus(m_pg) != CONNECTION_OK)
                kind = DbError::Kind::Connection;
            const char *message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(m_pg);
            throw DbError(kind, context, QString::fromUtf8(message).trimmed());
        }
        return;
    }
    // QSQLITE runs one statement per exec(); split on semicolons that end a
    // line outside quotes (migrations are written that way).
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QByteArray current;
    bool inString = false;
    auto flush = [&] {
        const QByteArray stmt = current.trimmed();
        current.clear();
        if (stmt.isEmpty() || stmt == ";")
            return;
        QSqlQuery q(db);
        if (!q.exec(QString::fromUtf8(stmt)))
            throw DbError(DbError::Kind::Other, context, q.lastError().text());
    };
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        // Skip "--" comments so that quotes in them do not count.
        if (!inString && c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n')
                ++i;
            current += '\n';
            continue;
        }
        current += c;
        if (c == '\'')
            inString = !inString;
        else if (c == ';' && !inString)
            flush();
    }
    flush();
}

void Db::execScript(const QString &name, const QByteArray &sql)
{
    ensureConnected(name);
    runPlain(name, sql);
}

void Db::begin()
{
    ensureConnected(QStringLiteral("begin"));
    runPlain(QStringLiteral("begin"),
             m_url.dialect == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    m_inTransaction = true;
}

void Db::commit()
{
    m_inTransaction = false;
    runPlain(QStringLiteral("commit"), "COMMIT");
}

void Db::rollback()
{
    if (!m_inTransaction)
        return;
    m_inTransaction = false;
    try {
        runPlain(QStringLiteral("rollback"), "ROLLBACK");
    } catch (const DbError &e) {
        qCWarning(lcStorage) << "rollback failed:" << e.detail();
    }
}

bool Db::ping()
{
    try {
        ensureConnected(QStringLiteral("ping"));
        runPlain(QStringLiteral("ping"), "SELECT 1");
        return true;
    } catch (const DbError &) {
        return false;
    }
}

Transaction::~Transaction()
{
    if (!m_done)
        m_db.rollback();
}

void Transaction::commit()
{
    m_done = true;
    m_db.commit();
}

} // namespace sanayicin
