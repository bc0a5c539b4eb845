// account_store: users, sessions, bans, the moderation log; on SQLite and
// PostgreSQL.

#include "storage_test.h"

#include <QSet>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

class tst_Accounts : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init() { QVERIFY(openDatabase()); }
    void cleanup() { m_db.reset(); }

    void insertAndReadBack();
    void uniqueUsername();
    void sessions();
    void deleteSessionsOfUserReturnsItsHashes();
    void deleteExpiredSessions();
    void banAndUnban();
    void moderationLog();
};

void tst_Accounts::insertAndReadBack()
{
    const qint64 id = store::insertUser(db(), u"isik.usta"_s, u"Işık Usta 🔧"_s, Role::Tradesman,
                                        u"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA"_s,
                                        1'700'000'000'123);
    QVERIFY(id > 0);
    const qint64 second = addUser(db(), u"ayse"_s);
    QVERIFY(second > id);

    const auto byName = store::userByUsername(db(), u"isik.usta"_s);
    QVERIFY(byName);
    QCOMPARE(byName->user.id, id);
    QCOMPARE(byName->user.username, u"isik.usta"_s);
    QCOMPARE(byName->user.displayName, u"Işık Usta 🔧"_s);
    QCOMPARE(byName->user.role, Role::Tradesman);
    QCOMPARE(byName->user.createdAtMs, 1'700'000'000'123);
    QCOMPARE(byName->passwordHash, u"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA"_s);
    QVERIFY(!byName->banned);

    const auto byId = store::userById(db(), id);
    QVERIFY(byId);
    QCOMPARE(byId->user.username, u"isik.usta"_s);
    QCOMPARE(byId->user.displayName, u"Işık Usta 🔧"_s);
    QVERIFY(byId->passwordHash.isEmpty()); // only the login look-up reads it
    QVERIFY(!byId->banned);

    const qint64 admin = addUser(db(), u"root"_s, Role::Admin);
    QCOMPARE(store::userById(db(), admin)->user.role, Role::Admin);
    QCOMPARE(store::userById(db(), second)->user.role, Role::Customer);

    QVERIFY(!store::userByUsername(db(), u"nobody"_s));
    QVERIFY(!store::userByUsername(db(), u"ISIK.USTA"_s)); // exact match only
    QVERIFY(!store::userById(db(), 999999));
}

void tst_Accounts::uniqueUsername()
{
    const qint64 first = addUser(db(), u"ali"_s);
    try {
        addUser(db(), u"ali"_s, Role::Tradesman);
        QFAIL("a second user with the same name was stored");
    } catch (const DbError &e) {
        QCOMPARE(e.kind(), DbError::Kind::UniqueViolation);
        QCOMPARE(e.statement(), u"user_insert"_s);
    }
    // The connection is still usable and nothing was half-written.
    const qint64 other = addUser(db(), u"veli"_s);
    QVERIFY(other > first);
    QCOMPARE(scalar(db(), "SELECT count(*) FROM users WHERE username = $1", {u"ali"_s}), 1);
    QCOMPARE(store::userByUsername(db(), u"ali"_s)->user.role, Role::Customer);
}

void tst_Accounts::sessions()
{
    const qint64 ali = addUser(db(), u"ali"_s);
    const QByteArray hash(64, 'a');
    store::insertSession(db(), hash, ali, 1000, 5000);

    const auto s = store::sessionUser(db(), hash);
    QVERIFY(s);
    QCOMPARE(s->user.id, ali);
    QCOMPARE(s->user.username, u"ali"_s);
    QCOMPARE(s->expiresAtMs, 5000);
    QVERIFY(!s->banned);
    QVERIFY(!store::sessionUser(db(), QByteArray(64, 'b')));

    // The same token hash twice is a unique violation.
    try {
        store::insertSession(db(), hash, ali, 1000, 5000);
        QFAIL("duplicate session stored");
    } catch (const DbError &e) {
        QCOMPARE(e.kind(), DbError::Kind::UniqueViolation);
    }

    QVERIFY(store::deleteSession(db(), hash));
    QVERIFY(!store::sessionUser(db(), hash));
    QVERIFY(!store::deleteSession(db(), hash)); // already gone
}

void tst_Accounts::deleteSessionsOfUserReturnsItsHashes()
{
    const qint64 ali = addUser(db(), u"ali"_s);
    const qint64 veli = addUser(db(), u"veli"_s);
    const QList<QByteArray> mine{QByteArray(64, '1'), QByteArray(64, '2'), QByteArray(64, '3')};
    for (const QByteArray &h : mine)
        store::insertSession(db(), h, ali, 1000, 9000);
    store::insertSession(db(), QByteArray(64, '9'), veli, 1000, 9000);

    const QList<QByteArray> removed = store::deleteSessionsOfUser(db(), ali);
    QCOMPARE(QSet<QByteArray>(removed.cbegin(), removed.cend()),
             QSet<QByteArray>(mine.cbegin(), mine.cend()));
    QCOMPARE(removed.size(), 3);
    for (const QByteArray &h : mine)
        QVERIFY(!store::sessionUser(db(), h));
    QVERIFY(store::sessionUser(db(), QByteArray(64, '9'))); // someone else's stays

    QVERIFY(store::deleteSessionsOfUser(db(), ali).isEmpty());
}

void tst_Accounts::deleteExpiredSessions()
{
    const qint64 ali = addUser(db(), u"ali"_s);
    store::insertSession(db(), "old1", ali, 0, 100);
    store::insertSession(db(), "old2", ali, 0, 199);
    store::insertSession(db(), "edge", ali, 0, 200);
    store::insertSession(db(), "new", ali, 0, 5000);
    QCOMPARE(store::deleteExpiredSessions(db(), 200), 2);
    QVERIFY(!store::sessionUser(db(), "old1"));
    QVERIFY(!store::sessionUser(db(), "old2"));
    QVERIFY(store::sessionUser(db(), "edge"));
    QVERIFY(store::sessionUser(db(), "new"));
    QCOMPARE(store::deleteExpiredSessions(db(), 200), 0);
}

void tst_Accounts::banAndUnban()
{
    const qint64 ali = addUser(db(), u"ali"_s);
    const qint64 veli = addUser(db(), u"veli"_s);
    store::insertSession(db(), "tok", ali, 0, 9000);

    QVERIFY(store::banUser(db(), ali, u"küfür"_s, 4242));
    QVERIFY(store::userById(db(), ali)->banned);
    QVERIFY(store::userByUsername(db(), u"ali"_s)->banned);
    // The ban outdates the session (migration 0006): it is gone for good.
    QVERIFY(!store::sessionUser(db(), "tok"));
    // And no new one while banned.
    QVERIFY(!store::insertSession(db(), "tok2", ali, 0, 9000));
    QVERIFY(!store::userById(db(), veli)->banned);
    QCOMPARE(scalar(db(), "SELECT banned_at FROM users WHERE id = $1", {ali}), 4242);
    QCOMPARE(rawQuery(db(), "SELECT ban_reason FROM users WHERE id = $1", {ali}).text(0, 0),
             u"küfür"_s);

    QVERIFY(!store::banUser(db(), 999999, u"x"_s, 1)); // no such user

    QVERIFY(store::unbanUser(db(), ali));
    QVERIFY(!store::userById(db(), ali)->banned);
    QVERIFY(!store::sessionUser(db(), "tok")); // even after the unban
    QVERIFY(store::insertSession(db(), "tok3", ali, 0, 9000));
    QCOMPARE(store::sessionUser(db(), "tok3")->user.id, ali);
    QVERIFY(!store::sessionUser(db(), "tok3")->banned);
    QVERIFY(rawQuery(db(), "SELECT ban_reason FROM users WHERE id = $1", {ali}).isNull(0, 0));
    QVERIFY(!store::unbanUser(db(), 999999));
}

void tst_Accounts::moderationLog()
{
    const qint64 admin = addUser(db(), u"root"_s, Role::Admin);
    const qint64 ali = addUser(db(), u"ali"_s);
    store::logModeration(db(), admin, u"ban"_s, ali, 0, u"spam"_s, 10);
    store::logModeration(db(), admin, u"kick"_s, ali, 0, QString(), 11);
    const DbRows rows = rawQuery(db(),
                                 "SELECT actor_id, action, target_user_id, target_message_id, "
                                 "reason, created_at FROM moderation_log ORDER BY id");
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.int64(0, 0), admin);
    QCOMPARE(rows.text(0, 1), u"ban"_s);
    QCOMPARE(rows.int64(0, 2), ali);
    QVERIFY(rows.isNull(0, 3)); // 0 means "none": stored as NULL
    QCOMPARE(rows.text(0, 4), u"spam"_s);
    QCOMPARE(rows.int64(0, 5), 10);
    QCOMPARE(rows.text(1, 1), u"kick"_s);
    QCOMPARE(rows.text(1, 4), QString());
}

QTEST_GUILESS_MAIN(tst_Accounts)
#include "tst_accounts.moc"
