// moderation_store: reports resolved once, the log with its filters, the
// messages around a reported one, the user search's Turkish fold and the
// search keys of users from before migration 0007; on SQLite and PostgreSQL.

#include "storage_test.h"

#include "storage/message_batch.h"
#include "storage/message_store.h"
#include "storage/moderation_store.h"
#include "text/text_rules.h"

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

class tst_ModerationStore : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }
    void resolveOnce();
    void reportStates();
    void messagesAround();
    void searchUsers();
    void searchKeysFilledForOldUsers();
    void logFilters();

private:
    qint64 send(qint64 conversation, qint64 sender);
    qint64 m_admin = 0, m_a = 0, m_b = 0, m_ab = 0;
    QList<qint64> m_ids; // 8 messages of a-b, ascending
    int m_sent = 0;
};

qint64 tst_ModerationStore::send(qint64 conversation, qint64 sender)
{
    ++m_sent;
    const auto r = store::storeMessageBatch(
        db(), {{sender, conversation, u"cm%1"_s.arg(m_sent), u"mesaj %1"_s.arg(m_sent)}}, 100);
    if (r.size() != 1 || r[0].duplicate)
        qFatal("send failed");
    return r[0].message.id;
}

void tst_ModerationStore::init()
{
    QVERIFY(openDatabase());
    m_admin = store::insertUser(db(), u"yonetici"_s, u"Yönetici"_s, Role::Admin, u"$x"_s, 1);
    m_a = store::insertUser(db(), u"isik"_s, u"IŞIK Oto"_s, Role::Tradesman, u"$x"_s, 2);
    m_b = store::insertUser(db(), u"ayse"_s, u"Ayşe Işıl"_s, Role::Customer, u"$x"_s, 3);
    m_ab = openedByBoth(db(), m_a, m_b, 1);
    m_ids.clear();
    for (int i = 0; i < 8; ++i)
        m_ids << send(m_ab, i % 2 ? m_b : m_a);
}

void tst_ModerationStore::resolveOnce()
{
    const qint64 r = store::insertReport(db(), m_ids[3], m_a, u"spam"_s, 500);
    auto open = store::reportById(db(), r);
    QVERIFY(open);
    QVERIFY(!open->resolved());
    QCOMPARE(open->state(), u"open"_s);
    QVERIFY(!open->resolvedBy);

    QVERIFY(store::resolveReport(db(), r, m_admin, u"actioned"_s, u"not: silindi"_s, 700));
    // Only an open report is resolved: the second moderator gets false.
    QVERIFY(!store::resolveReport(db(), r, m_admin, u"dismissed"_s, {}, 800));
    QVERIFY(!store::resolveReport(db(), 987654, m_admin, u"dismissed"_s, {}, 800));
    const auto done = store::reportById(db(), r);
    QVERIFY(done);
    QCOMPARE(done->state(), u"actioned"_s);
    QCOMPARE(done->resolvedAtMs, 700);
    QCOMPARE(done->note, u"not: silindi"_s);
    QVERIFY(done->resolvedBy);
    QCOMPARE(done->resolvedBy->id, m_admin);
    QCOMPARE(done->resolvedBy->username, u"yonetici"_s);
    QCOMPARE(done->message.id, m_ids[3]);
    QCOMPARE(done->reporter.id, m_a);
    // The schema refuses a resolution the contract does not know.
    try {
        const qint64 other = store::insertReport(db(), m_ids[4], m_a, u"x"_s, 1);
        store::resolveReport(db(), other, m_admin, u"ignored"_s, {}, 2);
        QFAIL("an unknown resolution was stored");
    } catch (const DbError &e) {
        QVERIFY(e.kind() != DbError::Kind::Connection);
    }
}

void tst_ModerationStore::reportStates()
{
    const qint64 r1 = store::insertReport(db(), m_ids[0], m_b, u"a"_s, 1);
    const qint64 r2 = store::insertReport(db(), m_ids[1], m_a, u"b"_s, 2);
    const qint64 r3 = store::insertReport(db(), m_ids[2], m_b, u"c"_s, 3);
    QVERIFY(store::resolveReport(db(), r2, m_admin, u"dismissed"_s, {}, 4));
    const auto ids = [this](store::ReportState s, qint64 limit, qint64 offset) {
        QList<qint64> out;
        for (const Report &r : store::reports(db(), s, limit, offset))
            out << r.id;
        return out;
    };
    QCOMPARE(ids(store::ReportState::All, 50, 0), (QList<qint64>{r3, r2, r1}));
    QCOMPARE(ids(store::ReportState::Open, 50, 0), (QList<qint64>{r3, r1}));
    QCOMPARE(ids(store::ReportState::Resolved, 50, 0), (QList<qint64>{r2}));
    QCOMPARE(ids(store::ReportState::Open, 1, 1), (QList<qint64>{r1}));
    QCOMPARE(store::reportCount(db(), store::ReportState::All), 3);
    QCOMPARE(store::reportCount(db(), store::ReportState::Open), 2);
    QCOMPARE(store::reportCount(db(), store::ReportState::Resolved), 1);
}

void tst_ModerationStore::messagesAround()
{
    // Another conversation's messages never mix in.
    const qint64 c = store::insertUser(db(), u"cem"_s, u"Cem"_s, Role::Customer, u"$x"_s, 4);
    const qint64 ac = openedByBoth(db(), m_a, c, 1);
    send(ac, c);
    const auto around = [this](qint64 id, qint64 before, qint64 after) {
        QList<qint64> out;
        for (const Message &m : store::messagesAround(db(), m_ab, id, before, after))
            out << m.id;
        return out;
    };
    QCOMPARE(around(m_ids[4], 2, 1), m_ids.mid(2, 4));
    QCOMPARE(around(m_ids[4], 0, 0), QList<qint64>{m_ids[4]});
    QCOMPARE(around(m_ids[0], 10, 0), QList<qint64>{m_ids[0]});
    QCOMPARE(around(m_ids[7], 0, 10), QList<qint64>{m_ids[7]});
    QCOMPARE(around(m_ids[3], 50, 50), m_ids);
}

void tst_ModerationStore::searchUsers()
{
    const auto names = [this](const QString &text, const QString &role = {}, const QString &banned = {}) {
        QStringList out;
        const store::UserFilter f{foldForSearch(text), role, banned, 50, 0};
        for (const AdminUser &u : store::searchUsers(db(), f))
            out << u.user.username;
        if (store::countUsers(db(), f) != out.size())
            out << u"(count differs)"_s;
        return out;
    };
    QCOMPARE(names(u"ışık"_s), QStringList{u"isik"_s});      // display name "IŞIK Oto", username "isik"
    QCOMPARE(names(u"IŞIL"_s), QStringList{u"ayse"_s});
    QCOMPARE(names(u"AYŞE"_s), QStringList{u"ayse"_s});
    QCOMPARE(names(u"ayse"_s), QStringList{u"ayse"_s});       // the username
    QCOMPARE(names(u"ISIK"_s), QStringList{u"isik"_s});       // the username isik
    QCOMPARE(names(u"%"_s), QStringList{});
    QCOMPARE(names(u"_"_s), QStringList{});
    QCOMPARE(names({}), (QStringList{u"yonetici"_s, u"isik"_s, u"ayse"_s}));
    QCOMPARE(names({}, u"admin"_s), QStringList{u"yonetici"_s});
    store::banUser(db(), m_b, u"küfür"_s, 900);
    QCOMPARE(names({}, {}, u"true"_s), QStringList{u"ayse"_s});
    QCOMPARE(names({}, {}, u"false"_s), (QStringList{u"yonetici"_s, u"isik"_s}));
    const auto banned = store::searchUsers(db(), {{}, {}, u"true"_s, 50, 0});
    QCOMPARE(banned.at(0).bannedAtMs, 900);
    QCOMPARE(banned.at(0).banReason, u"küfür"_s);
}

void tst_ModerationStore::searchKeysFilledForOldUsers()
{
    // A user as a binary from before 0007 (or a previous one during a
    // rolling deploy) inserted it: no key.
    rawQuery(db(), "INSERT INTO users (username, display_name, role, password_hash, created_at) "
                   "VALUES ('eski', 'İSMAİL Eski', 'customer', '$x', 5)");
    QCOMPARE(store::searchUsers(db(), {foldForSearch(u"ismail"_s), {}, {}, 50, 0}).size(), 0);
    int applied = 0;
    QString error;
    QVERIFY2(Migrator(db()).migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, 0);
    QCOMPARE(store::searchUsers(db(), {foldForSearch(u"ismail"_s), {}, {}, 50, 0}).size(), 1);
    QCOMPARE(store::fillUserSearchKeys(db()), 0);
}

void tst_ModerationStore::logFilters()
{
    const qint64 r = store::insertReport(db(), m_ids[1], m_a, u"x"_s, 1);
    const qint64 l1 = store::logModeration(db(), m_admin, u"ban"_s, m_b, 0, u"spam"_s, 10);
    const qint64 l2 = store::logModeration(db(), m_admin, u"resolve_report"_s, m_b, m_ids[1],
                                           u"actioned"_s, 11, r);
    const qint64 l3 = store::logModeration(db(), m_admin, u"kick"_s, m_a, 0, {}, 12);
    QVERIFY(l1 > 0 && l2 > l1 && l3 > l2);
    const auto ids = [this](const store::LogFilter &f) {
        QList<qint64> out;
        for (const LogEntry &e : store::moderationLog(db(), f))
            out << e.id;
        if (store::moderationLogCount(db(), f) != out.size())
            out << -1;
        return out;
    };
    QCOMPARE(ids({}), (QList<qint64>{l3, l2, l1}));
    QCOMPARE(ids({0, m_b, {}, 50, 0}), (QList<qint64>{l2, l1}));
    QCOMPARE(ids({0, 0, u"kick"_s, 50, 0}), QList<qint64>{l3});
    QCOMPARE(ids({m_a, 0, {}, 50, 0}), QList<qint64>{});
    QCOMPARE(ids({m_admin, 0, {}, 1, 1}).first(), l2);
    const auto e = store::logEntry(db(), l2);
    QVERIFY(e);
    QCOMPARE(e->action, u"resolve_report"_s);
    QCOMPARE(e->actor.id, m_admin);
    QVERIFY(e->targetUser);
    QCOMPARE(e->targetUser->id, m_b);
    QCOMPARE(e->targetMessageId, m_ids[1]);
    QCOMPARE(e->reportId, r);
    QCOMPARE(e->reason, u"actioned"_s);
    QCOMPARE(e->atMs, 11);
    QVERIFY(!store::logEntry(db(), 987654));
}

QTEST_MAIN(tst_ModerationStore)
#include "tst_moderation_store.moc"
