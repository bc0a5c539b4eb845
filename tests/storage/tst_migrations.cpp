// Migrator: an empty database gets the schema, a second run changes
// nothing, a schema newer than the program is refused untouched, and data
// survives later runs; stored functions are applied once and again only
// when changed; on SQLite and PostgreSQL.
//
// Each version's frozen-data upgrade case is in tst_upgrades (data in
// data/upgrades; see resources/sql/migrations/README.md).

#include "storage_test.h"

#include <QMutex>
#include <QThread>
#include <atomic>
#include <optional>

#include "storage/conversation_store.h"
#include "storage/message_batch.h"
#include "storage/message_store.h"
#include "storage/stored_functions.h"
#include "storage/user_cache.h"

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

const QList<QByteArray> kTables = {"users",          "sessions", "profiles",
                                   "conversations",  "participants", "messages",
                                   "id_counters",    "reports",  "moderation_log",
                                   "schema_migrations"};

bool tableExists(Db &db, const QByteArray &table)
{
    try {
        rawQuery(db, "SELECT count(*) FROM " + table);
        return true;
    } catch (const DbError &) {
        return false;
    }
}

QStringList shippedFunctionNames(Db &db)
{
    QStringList out;
    for (const StoredFunction &f : shippedFunctions(db.dialect()))
        out << f.name;
    return out;
}

// The group commit works (PostgreSQL: through the stored function).
bool groupCommitWorks(Db &db, const QString &clientMsgId)
{
    const qint64 a = scalar(db, "SELECT min(id) FROM users");
    const qint64 b = scalar(db, "SELECT max(id) FROM users");
    const qint64 conv = store::openConversation(db, a, b, 1).id;
    try {
        const auto r = store::storeMessageBatch(db, {{a, conv, clientMsgId, u"x"_s}}, 2);
        return r.size() == 1 && !r[0].duplicate && r[0].message.id > 0;
    } catch (const DbError &e) {
        qWarning("group commit failed: %s", e.what());
        return false;
    }
}

std::unique_ptr<Db> connectTo(const QString &url, const QString &folder)
{
    QString error;
    const auto parsed = DatabaseUrl::parse(url, folder, error);
    if (!parsed)
        return nullptr;
    return Db::connect(*parsed, u"migrations"_s, error);
}

} // namespace

class tst_Migrations : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void cleanup() { m_db.reset(); }

    void emptyDatabaseGetsTheSchema();
    void secondRunIsANoOp();
    void newerSchemaIsRefusedAndUntouched();
    void newerSchemaOnAnEmptyDatabase();
    void dataSurvivesLaterRuns();
    void instancesStartingTogether();
    void upgradeTo0006KeepsSessionsAndHidesEmptyConversations();
    void functionsAppliedOnceThenOnlyWhenChanged();
    void functionsReappliedAfterAMigration();
    void functionsOnADatabaseFromBeforeTheirTracking();
    void noFunctionsBeforeTheNewestVersion();
};

void tst_Migrations::emptyDatabaseGetsTheSchema()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    for (const QByteArray &t : kTables)
        if (t != "schema_migrations")
            QVERIFY2(!tableExists(db(), t), t.constData());

    Migrator migrator(db());
    QCOMPARE(migrator.currentVersion(), 0);
    const int newest = migrator.newestKnownVersion();
    QVERIFY(newest >= 1);

    int applied = -1;
    QString error;
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, newest);
    QVERIFY(error.isEmpty());
    QCOMPARE(migrator.currentVersion(), newest);
    for (const QByteArray &t : kTables)
        QVERIFY2(tableExists(db(), t), t.constData());
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_migrations"), newest);
    QCOMPARE(rawQuery(db(), "SELECT name FROM schema_migrations WHERE version = 1").text(0, 0),
             u"initial"_s);
    QVERIFY(scalar(db(), "SELECT applied_at FROM schema_migrations WHERE version = 1") > 0);
    QCOMPARE(scalar(db(), "SELECT value FROM id_counters WHERE name = 'message'"), 0);
    QVERIFY(!db().inTransaction());
}

void tst_Migrations::secondRunIsANoOp()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    Migrator migrator(db());
    int applied = 0;
    QString error;
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    const qint64 appliedAt =
        scalar(db(), "SELECT applied_at FROM schema_migrations WHERE version = 1");

    for (int run = 0; run < 2; ++run) {
        applied = -1;
        QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
        QCOMPARE(applied, 0);
    }
    QCOMPARE(migrator.currentVersion(), migrator.newestKnownVersion());
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_migrations"),
             migrator.newestKnownVersion());
    QCOMPARE(scalar(db(), "SELECT applied_at FROM schema_migrations WHERE version = 1"),
             appliedAt);
    // The seed row was not inserted again.
    QCOMPARE(scalar(db(), "SELECT count(*) FROM id_counters"), 1);
}

void tst_Migrations::newerSchemaIsRefusedAndUntouched()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), true);
    QVERIFY(m_db);
    Migrator migrator(db());
    const int newest = migrator.newestKnownVersion();
    const qint64 user = addUser(db(), u"kalici"_s);
    // A newer program migrated this database to a version we do not know.
    rawQuery(db(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
             {qint64(newest + 1), u"from_the_future"_s, qint64(42)});

    int applied = -1;
    QString error;
    QVERIFY(!migrator.migrate(applied, error));
    QCOMPARE(applied, 0);
    QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
    QVERIFY2(error.contains(QString::number(newest + 1)), qPrintable(error));
    QVERIFY2(error.contains(u"(%1)"_s.arg(newest)), qPrintable(error));

    // Untouched: versions, data.
    QCOMPARE(migrator.currentVersion(), newest + 1);
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_migrations"), newest + 1);
    QCOMPARE(store::userById(db(), user)->user.username, u"kalici"_s);
    QVERIFY(!db().inTransaction());
}

void tst_Migrations::newerSchemaOnAnEmptyDatabase()
{
    // Only the bookkeeping table, at version 999: nothing else may be created.
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    db().execScript(u"setup"_s, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    rawQuery(db(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 1)");
    Migrator migrator(db());
    int applied = -1;
    QString error;
    QVERIFY(!migrator.migrate(applied, error));
    QVERIFY2(error.contains(u"999"_s), qPrintable(error));
    for (const QByteArray &t : kTables)
        if (t != "schema_migrations")
            QVERIFY2(!tableExists(db(), t), t.constData());
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_migrations"), 1);
}

void tst_Migrations::dataSurvivesLaterRuns()
{
    const QString url = freshDatabaseUrl(dialect(), m_dir.path());
    qint64 alice = 0, bob = 0, conv = 0, firstMessage = 0;
    {
        std::unique_ptr<Db> db = connectTo(url, m_dir.path());
        QVERIFY(db);
        int applied = 0;
        QString error;
        QVERIFY2(Migrator(*db).migrate(applied, error), qPrintable(error));
        QVERIFY(applied >= 1);
        // Written at version 1.
        alice = addUser(*db, u"alice"_s);
        bob = addUser(*db, u"bob"_s, Role::Tradesman);
        store::insertSession(*db, "token-hash", alice, 1, 9'000'000'000'000);
        conv = openedByBoth(*db, alice, bob, 2);
        const auto sent = store::storeMessageBatch(*db, {{alice, conv, u"m1"_s, u"İlk mesaj"_s},
                                                         {bob, conv, u"m2"_s, u"Cevap"_s}}, 3);
        firstMessage = sent[0].message.id;
    }
    // A later start of the daemon, on a new connection.
    m_db = connectTo(url, m_dir.path());
    QVERIFY(m_db);
    int applied = -1;
    QString error;
    QVERIFY2(Migrator(db()).migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, 0);

    QCOMPARE(store::userByUsername(db(), u"alice"_s)->user.id, alice);
    QCOMPARE(store::userById(db(), bob)->user.role, Role::Tradesman);
    QCOMPARE(store::sessionUser(db(), "token-hash")->user.id, alice);
    const store::MessagePage h = store::history(db(), conv, {}, {}, 50);
    QCOMPARE(h.items.size(), 2);
    QCOMPARE(h.items[0].id, firstMessage);
    QCOMPARE(h.items[0].body, u"İlk mesaj"_s);
    QCOMPARE(h.items[1].seq, 2);
    // The id counter carried on: the next message follows.
    const auto next = store::storeMessageBatch(db(), {{bob, conv, u"m3"_s, u"x"_s}}, 4);
    QCOMPARE(next[0].message.id, firstMessage + 2);
    QCOMPARE(next[0].message.seq, 3);
}

// Migration 0006 on data written at version 5: sessions keep working (they
// and their users start at generation 0), a conversation with messages is
// seen by both, an empty one by neither until its creator asks for it again.
void tst_Migrations::upgradeTo0006KeepsSessionsAndHidesEmptyConversations()
{
    const QString url = freshDatabaseUrl(dialect(), m_dir.path());
    m_db = connectTo(url, m_dir.path());
    QVERIFY(m_db);
    int applied = 0;
    QString error;
    QVERIFY2(Migrator(db()).migrate(applied, error, 5), qPrintable(error));
    QCOMPARE(Migrator(db()).currentVersion(), 5);
    // Frozen rows as version 5 wrote them.
    rawQuery(db(), "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES "
                   "(1, 'ayse', 'Ayşe', 'customer', 'x', 1), (2, 'usta', 'Usta', 'tradesman', 'x', 1), "
                   "(3, 'can', 'Can', 'customer', 'x', 1)");
    rawQuery(db(), "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES "
                   "('h1', 1, 1, 9000000000000)");
    rawQuery(db(), "INSERT INTO conversations (id, user_a, user_b, created_at, activity_at, last_seq, "
                   "last_message_id) VALUES (10, 1, 2, 1, 1, 1, 100), (11, 1, 3, 1, 1, 0, 0)");
    rawQuery(db(), "INSERT INTO participants (conversation_id, user_id, peer_id) VALUES "
                   "(10, 1, 2), (10, 2, 1), (11, 1, 3), (11, 3, 1)");
    rawQuery(db(), "INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at) "
                   "VALUES (100, 10, 1, 1, 'c1', 'merhaba', 1)");
    rawQuery(db(), "UPDATE id_counters SET value = 100 WHERE name = 'message'");

    QVERIFY2(Migrator(db()).migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, Migrator(db()).newestKnownVersion() - 5);
    QCOMPARE(store::sessionUser(db(), "h1")->user.id, 1);
    UserCache users;
    QVERIFY(store::conversationFor(db(), users, 10, 2));
    QVERIFY(!store::conversationFor(db(), users, 10, 2)->participants[0].hidden);
    QVERIFY(!store::conversationFor(db(), users, 11, 1));
    QVERIFY(!store::conversationFor(db(), users, 11, 3));
    QCOMPARE(store::peersOf(db(), 1), QList<qint64>{2});
    // Its creator asks again: it is back for them (the peer still hidden).
    QVERIFY(store::openConversation(db(), 1, 3, 5).opened);
    QVERIFY(store::conversationFor(db(), users, 11, 1));
    // A ban after the upgrade outdates the old session for good.
    QVERIFY(store::banUser(db(), 1, u"x"_s, 6));
    QVERIFY(store::unbanUser(db(), 1));
    QVERIFY(!store::sessionUser(db(), "h1"));
}

// The first run applies every function file and records it; later runs
// apply none (and leave the records alone); a file whose hash differs from
// the recorded one is applied once again.
void tst_Migrations::functionsAppliedOnceThenOnlyWhenChanged()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    Migrator migrator(db());
    const QStringList names = shippedFunctionNames(db());
    QCOMPARE(names.isEmpty(), dialect() == u"sqlite"_s); // SQLite has no stored code
    int applied = 0;
    QString error;
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(migrator.appliedFunctions(), names);
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_functions"), names.size());
    const DbRows before = rawQuery(db(), "SELECT name, sha256, schema_version, applied_at "
                                         "FROM schema_functions ORDER BY name");
    for (int r = 0; r < before.size(); ++r) {
        QCOMPARE(before.utf8(r, 1), shippedFunctions(db().dialect())[r].sha256);
        QCOMPARE(before.int64(r, 2), migrator.newestKnownVersion());
    }

    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, 0);
    QCOMPARE(migrator.appliedFunctions(), QStringList());
    const DbRows after = rawQuery(db(), "SELECT name, sha256, schema_version, applied_at "
                                        "FROM schema_functions ORDER BY name");
    QCOMPARE(after.size(), before.size());
    for (int r = 0; r < after.size(); ++r)
        QCOMPARE(after.int64(r, 3), before.int64(r, 3));
    addUser(db(), u"ayse"_s);
    addUser(db(), u"usta"_s);
    QVERIFY(groupCommitWorks(db(), u"m1"_s));
    if (names.isEmpty())
        return;

    // The database holds another version of the function than the file
    // (as after a deploy whose file changed): one run replaces it.
    db().execScript(u"broken"_s,
                    "CREATE OR REPLACE FUNCTION sanayicin_store_messages(p_senders BIGINT[], "
                    "p_conversations BIGINT[], p_client_ids TEXT[], p_bodies TEXT[], p_now BIGINT) "
                    "RETURNS TABLE (ord BIGINT, duplicate BOOLEAN, id BIGINT, conversation_id BIGINT, "
                    "seq BIGINT, sender_id BIGINT, client_msg_id TEXT, body TEXT, created_at BIGINT, "
                    "deleted_at BIGINT) LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'old copy'; END; $$");
    rawQuery(db(), "UPDATE schema_functions SET sha256 = 'an older file' WHERE name = 'store_messages'");
    QVERIFY(!groupCommitWorks(db(), u"m2"_s));
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, 0);
    QCOMPARE(migrator.appliedFunctions(), QStringList{u"store_messages"_s});
    QCOMPARE(rawQuery(db(), "SELECT sha256 FROM schema_functions WHERE name = 'store_messages'").utf8(0, 0),
             shippedFunctions(db().dialect()).front().sha256);
    QVERIFY(groupCommitWorks(db(), u"m3"_s));
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(migrator.appliedFunctions(), QStringList());
}

// A migration may drop or change what a function stands on: a function
// recorded at an older schema version is applied again, in the same
// transaction as the migration that brought the schema to the newest.
void tst_Migrations::functionsReappliedAfterAMigration()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    Migrator migrator(db());
    const int newest = migrator.newestKnownVersion();
    int applied = 0;
    QString error;
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    rawQuery(db(), "UPDATE schema_functions SET schema_version = $1", {qint64(newest - 1)});
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(migrator.appliedFunctions(), shippedFunctionNames(db()));
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_functions WHERE schema_version = $1",
                    {qint64(newest)}),
             shippedFunctionNames(db()).size());

    // A database one version behind gets the last migration and the
    // functions in one run (and one transaction).
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    Migrator behind(db());
    QVERIFY2(behind.migrate(applied, error, newest - 1), qPrintable(error));
    QVERIFY2(behind.migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, 1);
    QCOMPARE(behind.appliedFunctions(), shippedFunctionNames(db()));
    addUser(db(), u"ayse"_s);
    addUser(db(), u"usta"_s);
    QVERIFY(groupCommitWorks(db(), u"m1"_s));
}

// A database migrated before functions had files of their own has the
// group commit from its migrations and no schema_functions: the first
// start of this version applies and records every file, and sends work.
void tst_Migrations::functionsOnADatabaseFromBeforeTheirTracking()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), true);
    QVERIFY(m_db);
    addUser(db(), u"ayse"_s);
    addUser(db(), u"usta"_s);
    QVERIFY(groupCommitWorks(db(), u"before"_s));
    db().execScript(u"setup"_s, "DROP TABLE schema_functions");
    Migrator migrator(db());
    int applied = 0;
    QString error;
    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, 0);
    QCOMPARE(migrator.appliedFunctions(), shippedFunctionNames(db()));
    QCOMPARE(scalar(db(), "SELECT count(*) FROM schema_functions"), shippedFunctionNames(db()).size());
    QVERIFY(groupCommitWorks(db(), u"after"_s));
    QCOMPARE(scalar(db(), "SELECT count(*) FROM messages"), 2);
}

// Functions are written for the newest schema: a migration that stops
// short applies none and creates no bookkeeping for them.
void tst_Migrations::noFunctionsBeforeTheNewestVersion()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    Migrator migrator(db());
    int applied = 0;
    QString error;
    QVERIFY2(migrator.migrate(applied, error, migrator.newestKnownVersion() - 1), qPrintable(error));
    QCOMPARE(migrator.appliedFunctions(), QStringList());
    QVERIFY(!tableExists(db(), "schema_functions"));
    if (dialect() == u"postgresql"_s)
        QCOMPARE(scalar(db(), "SELECT count(*) FROM pg_proc WHERE proname = 'sanayicin_store_messages'"), 0);
}

QTEST_GUILESS_MAIN(tst_Migrations)
#include "tst_migrations.moc"

// Several instances start at once on an empty database: every one of them
// finishes its migration, the schema is there once. (Before the migration
// lock covered creating schema_migrations, PostgreSQL failed some of them
// with a unique violation in pg_type.)
void tst_Migrations::instancesStartingTogether()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false, &m_url);
    QVERIFY(m_db);
    constexpr int kInstances = 6;
    std::vector<QThread *> threads;
    std::atomic<int> failures{0};
    std::atomic<int> functionRuns{0};
    QStringList errors;
    QMutex errorsMutex;
    const QString url = m_url;
    const QString folder = m_dir.path();
    for (int i = 0; i < kInstances; ++i) {
        threads.push_back(QThread::create([&, i] {
            std::unique_ptr<Db> db = connectTo(url, folder);
            QString error = u"cannot connect"_s;
            int applied = 0;
            std::optional<Migrator> migrator;
            if (db)
                migrator.emplace(*db);
            if (!db || !migrator->migrate(applied, error)) {
                ++failures;
                QMutexLocker lock(&errorsMutex);
                errors << QStringLiteral("instance %1: %2").arg(i).arg(error);
                return;
            }
            functionRuns += int(migrator->appliedFunctions().size());
        }));
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        t->wait();
        delete t;
    }
    QVERIFY2(failures == 0, qPrintable(errors.join(u"; "_s)));
    Migrator m(*m_db);
    QCOMPARE(m.currentVersion(), m.newestKnownVersion());
    QCOMPARE(rawQuery(*m_db, "SELECT count(*) FROM schema_migrations").int64(0, 0),
             qint64(m.newestKnownVersion()));
    // Each function file ran once in all (under the migration lock).
    QCOMPARE(functionRuns.load(), int(shippedFunctionNames(*m_db).size()));
    QCOMPARE(scalar(*m_db, "SELECT count(*) FROM schema_functions"), shippedFunctionNames(*m_db).size());
}
