// The group commit's conformance suite: every case of
// tests/storage/data/group_commit_cases.json (batches, their results, the
// rows stored) runs on SQLite, whose group commit is C++, and on PostgreSQL,
// whose group commit is the stored function sanayicin_store_messages(); so
// the two stay one behaviour. The file's "about" says how a case reads.

#include "storage_test.h"

#include "storage/message_batch.h"
#include "storage/message_store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <map>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

const QString kCasesFile = QStringLiteral(SANAYICIN_SOURCE_DIR "/tests/storage/data/group_commit_cases.json");

QJsonArray loadCases()
{
    QFile f(kCasesFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(u"cases"_s).toArray();
}

// {"repeat": s, "times": n} becomes s n times, anywhere in a value.
QJsonValue expand(const QJsonValue &v)
{
    if (v.isObject() && v.toObject().contains(u"repeat"_s))
        return v.toObject().value(u"repeat"_s).toString().repeated(v.toObject().value(u"times"_s).toInt());
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &e : v.toArray())
            out.append(expand(e));
        return out;
    }
    return v;
}

QString compact(const QJsonValue &v)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

} // namespace

class tst_GroupCommit : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }

    void caseFileIsThere();
    void conformance_data();
    void conformance();

private:
    qint64 conversationId(const QJsonValue &v) const
    {
        return v.isDouble() ? qint64(v.toDouble()) : m_conversations.at(v.toString());
    }
    QJsonValue nameOf(const std::map<QString, qint64> &names, qint64 id) const
    {
        for (const auto &[name, value] : names)
            if (value == id)
                return name;
        return id;
    }
    QJsonArray resultRow(const store::StoredSend &s) const;
    QStringList storedMessages();

    std::map<QString, qint64> m_users;
    std::map<QString, qint64> m_conversations;
};

void tst_GroupCommit::init()
{
    QVERIFY(openDatabase());
    m_users = {{u"ali"_s, addUser(db(), u"ali"_s)},
               {u"berk"_s, addUser(db(), u"berk"_s, Role::Tradesman)},
               {u"cem"_s, addUser(db(), u"cem"_s, Role::Tradesman)}};
    m_conversations.clear();
    for (const QString &pair : {u"ab"_s, u"ac"_s, u"bc"_s}) {
        auto user = [&](QChar c) {
            for (const auto &[name, id] : m_users)
                if (name.front() == c)
                    return id;
            return qint64(0);
        };
        m_conversations[pair] = openedByBoth(db(), user(pair[0]), user(pair[1]), 1);
    }
}

void tst_GroupCommit::caseFileIsThere()
{
    QVERIFY2(loadCases().size() >= 10, qPrintable(kCasesFile));
}

void tst_GroupCommit::conformance_data()
{
    QTest::addColumn<QJsonObject>("testCase");
    for (const QJsonValue &c : loadCases()) {
        const QJsonObject o = c.toObject();
        QTest::newRow(o.value(u"name"_s).toString().toUtf8().constData()) << o;
    }
}

QJsonArray tst_GroupCommit::resultRow(const store::StoredSend &s) const
{
    const Message &m = s.message;
    return {s.duplicate, m.id, nameOf(m_conversations, m.conversationId), m.seq,
            nameOf(m_users, m.senderId), m.clientMsgId, m.body, m.createdAtMs, m.deleted};
}

QStringList tst_GroupCommit::storedMessages()
{
    QStringList out;
    const DbRows rows = rawQuery(db(), "SELECT id, conversation_id, seq, sender_id, client_msg_id, body, "
                                       "created_at, deleted_at FROM messages ORDER BY id");
    for (int r = 0; r < rows.size(); ++r)
        out << compact(QJsonArray{rows.int64(r, 0), nameOf(m_conversations, rows.int64(r, 1)),
                                  rows.int64(r, 2), nameOf(m_users, rows.int64(r, 3)),
                                  rows.text(r, 4), rows.text(r, 5), rows.int64(r, 6),
                                  rows.isNull(r, 7) ? QJsonValue() : QJsonValue(rows.int64(r, 7))});
    return out;
}

void tst_GroupCommit::conformance()
{
    QFETCH(QJsonObject, testCase);
    if (testCase.contains(u"start_counter"_s))
        rawQuery(db(), "UPDATE id_counters SET value = $1 WHERE name = 'message'",
                 {qint64(testCase.value(u"start_counter"_s).toDouble())});
    const QJsonArray steps = testCase.value(u"steps"_s).toArray();
    int stepNo = 0;
    for (const QJsonValue &stepValue : steps) {
        const QJsonObject step = stepValue.toObject();
        const qint64 now = qint64(step.value(u"now"_s).toDouble());
        const QString where = u"step %1"_s.arg(++stepNo);
        if (step.contains(u"delete"_s)) {
            QVERIFY2(store::deleteMessage(db(), qint64(step.value(u"delete"_s).toDouble()), now),
                     qPrintable(where));
            continue;
        }
        std::vector<store::PendingSend> sends;
        for (const QJsonValue &v : expand(step.value(u"send"_s)).toArray()) {
            const QJsonArray s = v.toArray();
            sends.push_back({m_users.at(s.at(0).toString()), conversationId(s.at(1)),
                             s.at(2).toString(), s.at(3).toString()});
        }
        if (step.value(u"error"_s).toBool()) {
            bool threw = false;
            try {
                store::storeMessageBatch(db(), sends, now);
            } catch (const DbError &) {
                threw = true;
            }
            QVERIFY2(threw, qPrintable(where + u": the batch was stored"_s));
            QVERIFY(!db().inTransaction());
            continue;
        }
        const std::vector<store::StoredSend> results = store::storeMessageBatch(db(), sends, now);
        const QJsonArray expected = expand(step.value(u"expect"_s)).toArray();
        QCOMPARE(qsizetype(results.size()), expected.size());
        for (size_t i = 0; i < results.size(); ++i)
            QCOMPARE(where + u" result %1: "_s.arg(i + 1) + compact(resultRow(results[i])),
                     where + u" result %1: "_s.arg(i + 1) + compact(expected.at(qsizetype(i))));
    }

    QStringList expectedMessages;
    for (const QJsonValue &row : expand(testCase.value(u"messages"_s)).toArray())
        expectedMessages << compact(row);
    QCOMPARE(storedMessages(), expectedMessages);

    const QJsonObject conversations = testCase.value(u"conversations"_s).toObject();
    QCOMPARE(conversations.size(), qsizetype(m_conversations.size()));
    for (const auto &[name, id] : m_conversations) {
        const DbRows rows = rawQuery(db(), "SELECT last_seq, last_message_id, activity_at "
                                           "FROM conversations WHERE id = $1", {id});
        QCOMPARE(name + u" "_s + compact(QJsonArray{rows.int64(0, 0), rows.int64(0, 1), rows.int64(0, 2)}),
                 name + u" "_s + compact(conversations.value(name)));
    }
    const QJsonObject unread = testCase.value(u"unread"_s).toObject();
    QCOMPARE(unread.size(), qsizetype(m_conversations.size()));
    for (const auto &[name, id] : m_conversations) {
        const QJsonObject expected = unread.value(name).toObject();
        QCOMPARE(expected.size(), 2);
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const qint64 count = scalar(db(), "SELECT unread_count FROM participants "
                                              "WHERE conversation_id = $1 AND user_id = $2",
                                        {id, m_users.at(it.key())});
            QCOMPARE(u"%1 unread for %2: %3"_s.arg(name, it.key()).arg(count),
                     u"%1 unread for %2: %3"_s.arg(name, it.key()).arg(it.value().toInt()));
        }
    }
    QCOMPARE(scalar(db(), "SELECT value FROM id_counters WHERE name = 'message'"),
             qint64(testCase.value(u"counter"_s).toDouble()));
}

QTEST_GUILESS_MAIN(tst_GroupCommit)
#include "tst_group_commit.moc"
