// store::storeMessageBatch, the group commit: ids, gapless seq per
// conversation, idempotency on (sender, client_msg_id), the conversations'
// counters, atomicity; on SQLite and PostgreSQL.

#include "storage_test.h"

#include "storage/conversation_store.h"
#include "storage/message_batch.h"
#include "storage/message_store.h"

#include <QMutex>
#include <QSet>
#include <QThread>
#include <map>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

class tst_MessageBatch : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }

    void emptyBatch();
    void oneBatch();
    void idsContinueAcrossBatches();
    void seqGaplessPerConversationInterleaved();
    void repeatWithinOneBatch();
    void repeatAcrossBatches();
    void sameClientMsgIdFromTwoSenders();
    void onlyRepeats();
    void conversationsAdvance();
    void bodiesRoundTrip_data();
    void bodiesRoundTrip();
    void loneSurrogateStaysInItsMessage();
    void failedBatchStoresNothing();
    void concurrentWriters();

private:
    qint64 counter() { return scalar(db(), "SELECT value FROM id_counters WHERE name = 'message'"); }
    qint64 messageCount() { return scalar(db(), "SELECT count(*) FROM messages"); }
    qint64 m_a = 0, m_b = 0, m_c = 0;
    qint64 m_ab = 0, m_ac = 0, m_bc = 0;
};

void tst_MessageBatch::init()
{
    QVERIFY(openDatabase());
    m_a = addUser(db(), u"ali"_s);
    m_b = addUser(db(), u"berk"_s, Role::Tradesman);
    m_c = addUser(db(), u"cem"_s, Role::Tradesman);
    m_ab = openedByBoth(db(), m_a, m_b, 1);
    m_ac = openedByBoth(db(), m_a, m_c, 1);
    m_bc = openedByBoth(db(), m_b, m_c, 1);
}

void tst_MessageBatch::emptyBatch()
{
    QVERIFY(store::storeMessageBatch(db(), {}, 5).empty());
    QCOMPARE(counter(), 0);
    QCOMPARE(messageCount(), 0);
}

void tst_MessageBatch::oneBatch()
{
    const auto r = store::storeMessageBatch(db(),
                                            {{m_a, m_ab, u"a1"_s, u"Merhaba"_s},
                                             {m_b, m_ab, u"b1"_s, u"Buyurun"_s},
                                             {m_a, m_ab, u"a2"_s, u"Fiyat?"_s}},
                                            1000);
    QCOMPARE(r.size(), size_t(3));
    for (size_t i = 0; i < r.size(); ++i) {
        QVERIFY(!r[i].duplicate);
        QCOMPARE(r[i].message.id, qint64(i + 1)); // the first ids of a fresh database
        QCOMPARE(r[i].message.seq, qint64(i + 1));
        QCOMPARE(r[i].message.conversationId, m_ab);
        QCOMPARE(r[i].message.createdAtMs, 1000);
        QVERIFY(!r[i].message.deleted);
    }
    QCOMPARE(r[1].message.senderId, m_b);
    QCOMPARE(r[1].message.clientMsgId, u"b1"_s);
    QCOMPARE(r[1].message.body, u"Buyurun"_s);
    QCOMPARE(counter(), 3);
    QCOMPARE(messageCount(), 3);

    // What was returned is what was stored.
    for (const store::StoredSend &s : r) {
        const auto m = store::messageById(db(), s.message.id);
        QVERIFY(m);
        QCOMPARE(m->conversationId, s.message.conversationId);
        QCOMPARE(m->seq, s.message.seq);
        QCOMPARE(m->senderId, s.message.senderId);
        QCOMPARE(m->clientMsgId, s.message.clientMsgId);
        QCOMPARE(m->body, s.message.body);
        QCOMPARE(m->createdAtMs, s.message.createdAtMs);
    }
}

void tst_MessageBatch::idsContinueAcrossBatches()
{
    qint64 lastId = 0;
    int n = 0;
    for (int batch = 0; batch < 5; ++batch) {
        std::vector<store::PendingSend> sends;
        for (int i = 0; i <= batch; ++i) {
            ++n;
            sends.push_back({i % 2 ? m_b : m_a, m_ab, u"m%1"_s.arg(n), u"body %1"_s.arg(n)});
        }
        const auto r = store::storeMessageBatch(db(), sends, 100 + batch);
        QCOMPARE(r.size(), sends.size());
        for (const store::StoredSend &s : r) {
            QCOMPARE(s.message.id, lastId + 1); // consecutive and increasing
            lastId = s.message.id;
            QCOMPARE(s.message.seq, s.message.id); // one conversation: seq follows
        }
    }
    QCOMPARE(lastId, n);
    QCOMPARE(counter(), lastId);
}

void tst_MessageBatch::seqGaplessPerConversationInterleaved()
{
    const qint64 convs[3] = {m_ab, m_ac, m_bc};
    const qint64 senders[3][2] = {{m_a, m_b}, {m_c, m_a}, {m_b, m_c}};
    std::map<qint64, qint64> expectedSeq;
    qint64 lastId = 0;
    int n = 0;
    // Batches of varying sizes, conversations interleaved within each.
    for (int batch = 0; batch < 6; ++batch) {
        std::vector<store::PendingSend> sends;
        for (int i = 0; i < 2 + batch; ++i) {
            const int k = (i * 7 + batch) % 3;
            ++n;
            sends.push_back({senders[k][n % 2], convs[k], u"k%1"_s.arg(n), u"x"_s});
        }
        const auto r = store::storeMessageBatch(db(), sends, 1000 + batch);
        for (size_t i = 0; i < r.size(); ++i) {
            QVERIFY(!r[i].duplicate);
            QCOMPARE(r[i].message.conversationId, sends[i].conversationId);
            QCOMPARE(r[i].message.seq, ++expectedSeq[sends[i].conversationId]);
            QVERIFY(r[i].message.id > lastId);
            lastId = r[i].message.id;
        }
    }
    // And in the table: per conversation 1..n with no gap, ids ascending with seq.
    for (qint64 conv : convs) {
        const DbRows rows = rawQuery(db(), "SELECT seq, id FROM messages WHERE conversation_id = $1 "
                                           "ORDER BY seq",
                                     {conv});
        QCOMPARE(qint64(rows.size()), expectedSeq[conv]);
        QVERIFY(rows.size() > 3);
        for (int r = 0; r < rows.size(); ++r) {
            QCOMPARE(rows.int64(r, 0), qint64(r + 1));
            if (r)
                QVERIFY(rows.int64(r, 1) > rows.int64(r - 1, 1));
        }
    }
    // Ids overall are 1..n with no gap.
    QCOMPARE(scalar(db(), "SELECT count(DISTINCT id) FROM messages"), n);
    QCOMPARE(scalar(db(), "SELECT max(id) FROM messages"), n);
    QCOMPARE(counter(), n);
}

void tst_MessageBatch::repeatWithinOneBatch()
{
    const auto r = store::storeMessageBatch(db(),
                                            {{m_a, m_ab, u"same"_s, u"first"_s},
                                             {m_b, m_ab, u"b"_s, u"other"_s},
                                             {m_a, m_ab, u"same"_s, u"second try"_s},
                                             {m_a, m_ab, u"next"_s, u"after"_s}},
                                            50);
    QCOMPARE(r.size(), size_t(4));
    QVERIFY(!r[0].duplicate);
    QVERIFY(!r[1].duplicate);
    QVERIFY(r[2].duplicate);
    QVERIFY(!r[3].duplicate);
    // The repeat returns the original, body included.
    QCOMPARE(r[2].message.id, r[0].message.id);
    QCOMPARE(r[2].message.seq, r[0].message.seq);
    QCOMPARE(r[2].message.body, u"first"_s);
    // No id or seq was spent on it.
    QCOMPARE(r[1].message.id, r[0].message.id + 1);
    QCOMPARE(r[3].message.id, r[1].message.id + 1);
    QCOMPARE(r[3].message.seq, 3);
    QCOMPARE(messageCount(), 3);
    QCOMPARE(scalar(db(), "SELECT count(*) FROM messages WHERE client_msg_id = 'same'"), 1);
    QCOMPARE(counter(), r[3].message.id);
}

void tst_MessageBatch::repeatAcrossBatches()
{
    const auto first = store::storeMessageBatch(db(), {{m_a, m_ab, u"c-1"_s, u"orijinal"_s}}, 10);
    QVERIFY(!first[0].duplicate);
    store::storeMessageBatch(db(), {{m_b, m_ab, u"b-1"_s, u"cevap"_s}}, 11);

    const auto r = store::storeMessageBatch(db(),
                                            {{m_a, m_ab, u"c-2"_s, u"yeni"_s},
                                             {m_a, m_ab, u"c-1"_s, u"tekrar"_s},
                                             {m_a, m_ab, u"c-1"_s, u"bir daha"_s}},
                                            12);
    QVERIFY(!r[0].duplicate);
    QVERIFY(r[1].duplicate);
    QVERIFY(r[2].duplicate);
    for (int i : {1, 2}) {
        QCOMPARE(r[i].message.id, first[0].message.id);
        QCOMPARE(r[i].message.seq, 1);
        QCOMPARE(r[i].message.body, u"orijinal"_s);
        QCOMPARE(r[i].message.createdAtMs, 10);
        QCOMPARE(r[i].message.senderId, m_a);
    }
    QCOMPARE(r[0].message.seq, 3);
    QCOMPARE(messageCount(), 3);
    QCOMPARE(counter(), r[0].message.id);
    QCOMPARE(store::messageById(db(), first[0].message.id)->body, u"orijinal"_s);

    // A repeat is recognised even when it names another conversation: the
    // pair (sender, client_msg_id) identifies the message.
    const auto elsewhere = store::storeMessageBatch(db(), {{m_a, m_ac, u"c-1"_s, u"x"_s}}, 13);
    QVERIFY(elsewhere[0].duplicate);
    QCOMPARE(elsewhere[0].message.id, first[0].message.id);
    QCOMPARE(elsewhere[0].message.conversationId, m_ab);
    QCOMPARE(scalar(db(), "SELECT count(*) FROM messages WHERE conversation_id = $1", {m_ac}), 0);

    // A deleted original is still the original.
    QVERIFY(store::deleteMessage(db(), first[0].message.id, 14));
    const auto afterDelete = store::storeMessageBatch(db(), {{m_a, m_ab, u"c-1"_s, u"y"_s}}, 15);
    QVERIFY(afterDelete[0].duplicate);
    QVERIFY(afterDelete[0].message.deleted);
    QVERIFY(afterDelete[0].message.body.isEmpty());
    QCOMPARE(messageCount(), 3);
}

void tst_MessageBatch::sameClientMsgIdFromTwoSenders()
{
    const auto r = store::storeMessageBatch(db(),
                                            {{m_a, m_ab, u"1"_s, u"from a"_s},
                                             {m_b, m_ab, u"1"_s, u"from b"_s}},
                                            10);
    QVERIFY(!r[0].duplicate);
    QVERIFY(!r[1].duplicate);
    QVERIFY(r[0].message.id != r[1].message.id);
    QCOMPARE(r[1].message.body, u"from b"_s);
    const auto later = store::storeMessageBatch(db(), {{m_c, m_ac, u"1"_s, u"from c"_s}}, 11);
    QVERIFY(!later[0].duplicate);
    QCOMPARE(later[0].message.seq, 1);
    QCOMPARE(messageCount(), 3);
}

void tst_MessageBatch::onlyRepeats()
{
    const auto first = store::storeMessageBatch(db(), {{m_a, m_ab, u"x"_s, u"1"_s},
                                                       {m_b, m_bc, u"y"_s, u"2"_s}}, 10);
    const qint64 before = counter();
    const auto r = store::storeMessageBatch(db(), {{m_b, m_bc, u"y"_s, u"again"_s},
                                                   {m_a, m_ab, u"x"_s, u"again"_s}}, 99);
    QVERIFY(r[0].duplicate && r[1].duplicate);
    QCOMPARE(r[0].message.id, first[1].message.id);
    QCOMPARE(r[1].message.id, first[0].message.id);
    QCOMPARE(counter(), before);
    QCOMPARE(messageCount(), 2);
    // Nothing about the conversations moved either.
    QCOMPARE(scalar(db(), "SELECT max(activity_at) FROM conversations"), 10);
}

void tst_MessageBatch::conversationsAdvance()
{
    auto lastSeq = [&](qint64 c) {
        return scalar(db(), "SELECT last_seq FROM conversations WHERE id = $1", {c});
    };
    auto lastId = [&](qint64 c) {
        return scalar(db(), "SELECT last_message_id FROM conversations WHERE id = $1", {c});
    };
    // Activity is the conversation's (both participants see the same).
    auto activity = [&](qint64 c, qint64) {
        return scalar(db(), "SELECT activity_at FROM conversations WHERE id = $1", {c});
    };
    QCOMPARE(lastSeq(m_ab), 0);
    QCOMPARE(lastId(m_ab), 0);

    const auto r = store::storeMessageBatch(db(),
                                            {{m_a, m_ab, u"1"_s, u"x"_s},
                                             {m_c, m_ac, u"2"_s, u"x"_s},
                                             {m_b, m_ab, u"3"_s, u"x"_s}},
                                            500);
    QCOMPARE(lastSeq(m_ab), 2);
    QCOMPARE(lastId(m_ab), r[2].message.id);
    QCOMPARE(lastSeq(m_ac), 1);
    QCOMPARE(lastId(m_ac), r[1].message.id);
    QCOMPARE(lastSeq(m_bc), 0); // untouched
    QCOMPARE(activity(m_ab, m_a), 500);
    QCOMPARE(activity(m_ab, m_b), 500);
    QCOMPARE(activity(m_ac, m_c), 500);
    QCOMPARE(activity(m_bc, m_b), 1);

    const auto r2 = store::storeMessageBatch(db(), {{m_b, m_ab, u"4"_s, u"x"_s}}, 600);
    QCOMPARE(lastSeq(m_ab), 3);
    QCOMPARE(lastId(m_ab), r2[0].message.id);
    QCOMPARE(lastId(m_ac), r[1].message.id);
    QCOMPARE(activity(m_ab, m_a), 600);
    QCOMPARE(activity(m_ac, m_a), 500);
    QCOMPARE(store::lastMessageIdFor(db(), m_a), r2[0].message.id);
    QCOMPARE(store::lastMessageIdFor(db(), m_c), r[1].message.id);
}

void tst_MessageBatch::bodiesRoundTrip_data()
{
    // PostgreSQL receives the batch as array literals: every character that
    // means something in one must come back unchanged.
    QTest::addColumn<QString>("clientMsgId");
    QTest::addColumn<QString>("body");
    QTest::newRow("turkish and emoji") << u"tr-1"_s << u"Işık, çiğ, ÖĞÜŞ 👋🏽 👨‍👩‍👧"_s;
    QTest::newRow("comma and braces") << u"{a,b}"_s << u"{1,2},{3}"_s;
    QTest::newRow("quotes") << u"\"q\""_s << u"he said \"hi\" and 'bye'"_s;
    QTest::newRow("backslashes") << u"a\\b"_s << u"C:\\path\\ \\\" \\\\"_s;
    QTest::newRow("NULL word") << u"NULL"_s << u"NULL"_s;
    QTest::newRow("null lower") << u"null"_s << u"null"_s;
    QTest::newRow("spaces kept") << u" x "_s << u"  leading and trailing  "_s;
    QTest::newRow("newlines and tabs") << u"n"_s << u"line1\nline2\r\n\tend"_s;
    QTest::newRow("dollar and question") << u"$1?"_s << u"$1 ? $2 -- not a comment"_s;
    QTest::newRow("4000 emoji") << u"long"_s << u"😀"_s.repeated(4000);
    QTest::newRow("64-char id") << QString(64, u'i') << u"x"_s;
}

void tst_MessageBatch::bodiesRoundTrip()
{
    QFETCH(QString, clientMsgId);
    QFETCH(QString, body);
    // Alone, and in a batch with others around it.
    const auto r = store::storeMessageBatch(db(),
                                            {{m_b, m_ab, u"before"_s, u"{"_s},
                                             {m_a, m_ab, clientMsgId, body},
                                             {m_b, m_ab, u"after"_s, u"\""_s}},
                                            7);
    QCOMPARE(r[1].message.body, body);
    const auto m = store::messageById(db(), r[1].message.id);
    QVERIFY(m);
    QCOMPARE(m->body, body);
    QCOMPARE(m->clientMsgId, clientMsgId);
    QCOMPARE(store::messageById(db(), r[0].message.id)->body, u"{"_s);
    QCOMPARE(store::messageById(db(), r[2].message.id)->body, u"\""_s);
    // The repeat is found by the same id.
    const auto again = store::storeMessageBatch(db(), {{m_a, m_ab, clientMsgId, u"other"_s}}, 8);
    QVERIFY(again[0].duplicate);
    QCOMPARE(again[0].message.id, r[1].message.id);
    QCOMPARE(again[0].message.body, body);
}

// The audit's case: a body ending in a lone high surrogate (the JSON escape
// "\ud800", refused at validation since) followed in the same batch by
// another sender's message. PostgreSQL got a U+FFFD at the start of the
// second message (the array literal's encoder carried the surrogate over);
// what each sender is acknowledged must be what is stored, and no message may
// change another.
void tst_MessageBatch::loneSurrogateStaysInItsMessage()
{
    const QString lone = u"x"_s + QChar(0xD800);
    const auto r = store::storeMessageBatch(db(),
                                            {{m_a, m_ab, u"a-lone"_s, lone},
                                             {m_b, m_bc, u"b-next"_s, u"hello"_s},
                                             {m_c, m_ac, u"c-low"_s, QString(QChar(0xDC00)) + u"y"_s},
                                             {m_a, m_ac, u"a-after"_s, u"world"_s}},
                                            9);
    QCOMPARE(r.size(), size_t(4));
    QCOMPARE(r[1].message.body, u"hello"_s);
    QCOMPARE(store::messageById(db(), r[1].message.id)->body, u"hello"_s);
    QCOMPARE(r[3].message.body, u"world"_s);
    QCOMPARE(store::messageById(db(), r[3].message.id)->body, u"world"_s);
    // PostgreSQL returns what it stored: each lone surrogate became U+FFFD in
    // its own message. (SQLite keeps its own conversion: validation refuses
    // lone surrogates before any store sees one.)
    if (dialect() == u"postgresql") {
        QCOMPARE(r[0].message.body, u"x\ufffd"_s);
        QCOMPARE(store::messageById(db(), r[0].message.id)->body, u"x\ufffd"_s);
        QCOMPARE(r[2].message.body, u"\ufffdy"_s);
        QCOMPARE(store::messageById(db(), r[2].message.id)->body, u"\ufffdy"_s);
    }
}

void tst_MessageBatch::failedBatchStoresNothing()
{
    store::storeMessageBatch(db(), {{m_a, m_ab, u"ok-0"_s, u"x"_s}}, 1);
    const qint64 before = counter();
    // The second send names a conversation that does not exist.
    try {
        store::storeMessageBatch(db(), {{m_a, m_ab, u"ok-1"_s, u"x"_s},
                                        {m_a, 987654, u"bad"_s, u"x"_s}}, 2);
        QFAIL("a send to a missing conversation was stored");
    } catch (const DbError &) {
    }
    QVERIFY(!db().inTransaction());
    QCOMPARE(counter(), before);
    QCOMPARE(messageCount(), 1);
    // A sender who is not a member is refused by the store itself too.
    try {
        store::storeMessageBatch(db(), {{m_c, m_ab, u"intruder"_s, u"x"_s}}, 2);
        QFAIL("a non-member's send was stored");
    } catch (const DbError &) {
    }
    QCOMPARE(messageCount(), 1);
    QCOMPARE(scalar(db(), "SELECT last_seq FROM conversations WHERE id = $1", {m_ab}), 1);
    // The connection carries on, and no id or seq was lost.
    const auto r = store::storeMessageBatch(db(), {{m_a, m_ab, u"ok-1"_s, u"x"_s}}, 3);
    QVERIFY(!r[0].duplicate);
    QCOMPARE(r[0].message.id, before + 1);
    QCOMPARE(r[0].message.seq, 2);
}

void tst_MessageBatch::concurrentWriters()
{
    // Several connections commit batches at once (as several daemon
    // instances do): ids stay unique and in commit order, seq gapless.
    constexpr int kWriters = 3;
    constexpr int kBatches = 15;
    constexpr int kPerBatch = 3;
    QMutex mutex;
    QStringList failures;
    QList<QList<qint64>> idsByWriter(kWriters);
    const qint64 senders[kWriters] = {m_a, m_b, m_a};
    const qint64 convs[kWriters] = {m_ab, m_ab, m_ac};
    QList<QThread *> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads << QThread::create([&, w] {
            QString error;
            const auto url = DatabaseUrl::parse(m_url, m_dir.path(), error);
            std::unique_ptr<Db> conn = url ? Db::connect(*url, u"writer"_s, error) : nullptr;
            if (!conn) {
                QMutexLocker lock(&mutex);
                failures << error;
                return;
            }
            try {
                for (int b = 0; b < kBatches; ++b) {
                    std::vector<store::PendingSend> sends;
                    for (int i = 0; i < kPerBatch; ++i)
                        sends.push_back({senders[w], convs[w], u"w%1-%2-%3"_s.arg(w).arg(b).arg(i),
                                         u"x"_s});
                    const auto r = store::storeMessageBatch(*conn, sends, 1000 + b);
                    QMutexLocker lock(&mutex);
                    for (const store::StoredSend &s : r)
                        idsByWriter[w] << (s.duplicate ? -1 : s.message.id);
                }
            } catch (const DbError &e) {
                QMutexLocker lock(&mutex);
                failures << QString::fromUtf8(e.what());
            }
        });
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        QVERIFY(t->wait(120000));
        delete t;
    }
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u"; "_s)));

    const int total = kWriters * kBatches * kPerBatch;
    QSet<qint64> all;
    for (const QList<qint64> &ids : std::as_const(idsByWriter)) {
        QCOMPARE(ids.size(), kBatches * kPerBatch);
        for (int i = 0; i < ids.size(); ++i) {
            QVERIFY(ids[i] > 0);
            if (i)
                QVERIFY(ids[i] > ids[i - 1]); // each writer sees its ids increase
            all << ids[i];
        }
    }
    QCOMPARE(all.size(), total); // unique
    QCOMPARE(scalar(db(), "SELECT max(id) FROM messages"), total); // and no gap
    QCOMPARE(counter(), total);
    for (qint64 conv : {m_ab, m_ac}) {
        const DbRows rows = rawQuery(db(), "SELECT seq, id FROM messages WHERE conversation_id = $1 "
                                           "ORDER BY id", {conv});
        QCOMPARE(rows.size(), conv == m_ab ? 2 * kBatches * kPerBatch : kBatches * kPerBatch);
        for (int r = 0; r < rows.size(); ++r)
            QCOMPARE(rows.int64(r, 0), qint64(r + 1)); // seq follows id order, gapless
        QCOMPARE(scalar(db(), "SELECT last_seq FROM conversations WHERE id = $1", {conv}),
                 qint64(rows.size()));
    }
}

QTEST_GUILESS_MAIN(tst_MessageBatch)
#include "tst_message_batch.moc"
