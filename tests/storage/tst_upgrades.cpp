// Upgrade tests: for every schema version N and both dialects, an empty
// database is migrated to N, gets the frozen rows of
// data/upgrades/<dialect>/NNNN.input.sql (as version N's schema held them),
// is upgraded to the newest version with the stored functions, and every
// table is compared with NNNN.expected.txt. Then the group commit runs on
// the upgraded database: ids, seq and unread counts carry on from the
// frozen rows and a repeat finds a frozen message.
//
// To write the expected file of a new version (then read every line):
//   SANAYICIN_PRINT_UPGRADE=1 ctest -R tst_upgrades -V
// prints each dump between "---- <file>" lines.

#include "storage_test.h"

#include "storage/message_batch.h"
#include "storage/stored_functions.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

const QString kFolder = QStringLiteral(SANAYICIN_SOURCE_DIR "/tests/storage/data/upgrades/");

// Every table the daemon keeps, in the dump's order; the bookkeeping tables
// follow without their times.
const QList<QByteArray> kTables = {"users",        "sessions", "profiles", "conversations",
                                   "participants", "messages", "id_counters", "reports",
                                   "moderation_log", "jobs", "job_outcomes", "job_leases",
                                   "job_schedule", "daily_stats",
                                   "notification_marks"};

QString fileOf(const QString &dialect, int version, const QString &suffix)
{
    return kFolder + dialect + u"/%1."_s.arg(version, 4, 10, QLatin1Char('0')) + suffix;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Column
{
    QString name;
    bool integer = false;
};

QList<Column> columnsOf(Db &db, const QByteArray &table)
{
    const DbRows rows =
        db.dialect() == Dialect::Sqlite
            ? rawQuery(db, "SELECT name, type FROM pragma_table_info('" + table + "') ORDER BY cid")
            : rawQuery(db, "SELECT column_name, data_type FROM information_schema.columns "
                           "WHERE table_schema = current_schema() AND table_name = $1 "
                           "ORDER BY ordinal_position",
                       {QString::fromLatin1(table)});
    QList<Column> out;
    for (int r = 0; r < rows.size(); ++r)
        out.push_back({rows.text(r, 0), rows.text(r, 1).contains(u"int"_s, Qt::CaseInsensitive)});
    return out;
}

bool lessThan(const QJsonArray &a, const QJsonArray &b)
{
    for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i) {
        const QJsonValue x = a.at(i), y = b.at(i);
        if (x == y)
            continue;
        if (x.isNull() || y.isNull())
            return x.isNull();
        if (x.isDouble() && y.isDouble())
            return x.toDouble() < y.toDouble();
        return x.toString() < y.toString();
    }
    return a.size() < b.size();
}

// Each table as "[name] col, col, ..." and one compact JSON array a row,
// rows in the order of their values (both dialects sort the same).
QStringList dump(Db &db)
{
    QStringList out;
    auto table = [&](const QByteArray &name, const QList<Column> &columns) {
        QStringList names;
        QByteArray select;
        for (const Column &c : columns) {
            names << c.name;
            select += (select.isEmpty() ? "" : ", ") + c.name.toLatin1();
        }
        out << u"[%1] %2"_s.arg(QString::fromLatin1(name), names.join(u", "_s));
        const DbRows rows = rawQuery(db, "SELECT " + select + " FROM " + name);
        std::vector<QJsonArray> lines;
        for (int r = 0; r < rows.size(); ++r) {
            QJsonArray line;
            for (int c = 0; c < columns.size(); ++c) {
                if (rows.isNull(r, c))
                    line.append(QJsonValue());
                else if (columns[c].integer)
                    line.append(rows.int64(r, c));
                else
                    line.append(rows.text(r, c));
            }
            lines.push_back(line);
        }
        std::sort(lines.begin(), lines.end(), lessThan);
        for (const QJsonArray &line : lines)
            out << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
    };
    for (const QByteArray &name : kTables)
        table(name, columnsOf(db, name));
    table("schema_migrations", {{u"version"_s, true}, {u"name"_s, false}});
    table("schema_functions", {{u"name"_s, false}, {u"sha256"_s, false}, {u"schema_version"_s, true}});
    return out;
}

// The first line where the two differ, for a readable failure.
QString firstDifference(const QStringList &actual, const QStringList &expected)
{
    for (qsizetype i = 0; i < std::max(actual.size(), expected.size()); ++i) {
        const QString a = i < actual.size() ? actual[i] : u"(nothing)"_s;
        const QString e = i < expected.size() ? expected[i] : u"(nothing)"_s;
        if (a != e)
            return u"line %1:\n   actual: %2\n expected: %3"_s.arg(i + 1).arg(a, e);
    }
    return {};
}

} // namespace

class tst_Upgrades : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void cleanup() { m_db.reset(); }

    void everyVersionHasACase();
    void upgradeFromEveryVersion_data();
    void upgradeFromEveryVersion();

private:
    void groupCommitCarriesOn();
};

void tst_Upgrades::everyVersionHasACase()
{
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    const int newest = Migrator(db()).newestKnownVersion();
    QVERIFY(newest >= 6);
    for (int v = 1; v <= newest; ++v)
        for (const QString &suffix : {u"input.sql"_s, u"expected.txt"_s})
            QVERIFY2(QFile::exists(fileOf(dialect(), v, suffix)),
                     qPrintable(fileOf(dialect(), v, suffix) + u" is missing"_s));
    QVERIFY(!QFile::exists(fileOf(dialect(), newest + 1, u"input.sql"_s)));
}

void tst_Upgrades::upgradeFromEveryVersion_data()
{
    QTest::addColumn<int>("version");
    // The newest is counted by everyVersionHasACase; files decide here.
    for (int v = 1; QFile::exists(fileOf(u"sqlite"_s, v, u"input.sql"_s)); ++v)
        QTest::newRow(qPrintable(u"from %1"_s.arg(v))) << v;
}

void tst_Upgrades::upgradeFromEveryVersion()
{
    QFETCH(int, version);
    m_db = openFreshDatabase(dialect(), m_dir.path(), false);
    QVERIFY(m_db);
    Migrator migrator(db());
    const int newest = migrator.newestKnownVersion();
    const auto functions = shippedFunctions(db().dialect());

    int applied = 0;
    QString error;
    QVERIFY2(migrator.migrate(applied, error, version), qPrintable(error));
    QCOMPARE(applied, version);
    QCOMPARE(migrator.currentVersion(), version);
    // Functions are written for the newest schema: none before it.
    QCOMPARE(migrator.appliedFunctions().size(), version == newest ? functions.size() : 0);

    db().execScript(u"frozen input"_s, readFile(fileOf(dialect(), version, u"input.sql"_s)));

    QVERIFY2(migrator.migrate(applied, error), qPrintable(error));
    QCOMPARE(applied, newest - version);
    QCOMPARE(migrator.currentVersion(), newest);
    QCOMPARE(migrator.appliedFunctions().size(), version == newest ? 0 : functions.size());

    const QStringList actual = dump(db());
    const QString expectedFile = fileOf(dialect(), version, u"expected.txt"_s);
    if (qEnvironmentVariableIsSet("SANAYICIN_PRINT_UPGRADE"))
        qInfo().noquote() << "----" << expectedFile << u"\n"_s + actual.join(u'\n') + u"\n----"_s;
    QStringList expected = QString::fromUtf8(readFile(expectedFile)).split(u'\n', Qt::SkipEmptyParts);
    expected.removeIf([](const QString &line) { return line.startsWith(u'#'); });
    // The hashes in schema_functions are those of the files shipped now.
    for (QString &line : expected)
        for (const StoredFunction &f : functions)
            line.replace(u"<sha256 of %1>"_s.arg(f.name), QString::fromLatin1(f.sha256));
    QVERIFY2(actual == expected, qPrintable(firstDifference(actual, expected)));

    groupCommitCarriesOn();
}

// A batch on the upgraded database: the next ids after the frozen counter,
// the next seq of each conversation, unread counts raised from the migrated
// ones, and a repeat of the frozen message 'c1' answered with it.
void tst_Upgrades::groupCommitCarriesOn()
{
    const qint64 counter = scalar(db(), "SELECT value FROM id_counters WHERE name = 'message'");
    QVERIFY(counter >= scalar(db(), "SELECT max(id) FROM messages"));
    auto lastSeq = [&](qint64 c) {
        return scalar(db(), "SELECT last_seq FROM conversations WHERE id = $1", {c});
    };
    auto unread = [&](qint64 c, qint64 u) {
        return scalar(db(), "SELECT unread_count FROM participants WHERE conversation_id = $1 "
                            "AND user_id = $2", {c, u});
    };
    const qint64 seq10 = lastSeq(10), seq11 = lastSeq(11);
    const qint64 unread10 = unread(10, 2), unread11 = unread(11, 3), unreadOwn = unread(10, 1);
    const DbRows c1 = rawQuery(db(), "SELECT id, seq, body, created_at FROM messages "
                                     "WHERE sender_id = 1 AND client_msg_id = 'c1'");
    QCOMPARE(c1.size(), 1);

    const auto r = store::storeMessageBatch(db(),
                                            {{1, 10, u"after-1"_s, u"Yükseltmeden sonra"_s},
                                             {1, 11, u"after-2"_s, u"Merhaba"_s},
                                             {1, 10, u"c1"_s, u"tekrar"_s},
                                             {2, 10, u"after-3"_s, u"Tamam"_s}},
                                            9'000'000);
    QCOMPARE(r.size(), size_t(4));
    QVERIFY(!r[0].duplicate);
    QCOMPARE(r[0].message.id, counter + 1);
    QCOMPARE(r[0].message.seq, seq10 + 1);
    QVERIFY(!r[1].duplicate);
    QCOMPARE(r[1].message.id, counter + 2);
    QCOMPARE(r[1].message.seq, seq11 + 1);
    QVERIFY(r[2].duplicate);
    QCOMPARE(r[2].message.id, c1.int64(0, 0));
    QCOMPARE(r[2].message.seq, c1.int64(0, 1));
    QCOMPARE(r[2].message.body, c1.text(0, 2));
    QCOMPARE(r[2].message.createdAtMs, c1.int64(0, 3));
    QVERIFY(!r[3].duplicate);
    QCOMPARE(r[3].message.id, counter + 3);
    QCOMPARE(r[3].message.seq, seq10 + 2);

    QCOMPARE(scalar(db(), "SELECT value FROM id_counters WHERE name = 'message'"), counter + 3);
    QCOMPARE(lastSeq(10), seq10 + 2);
    QCOMPARE(scalar(db(), "SELECT last_message_id FROM conversations WHERE id = 10"), counter + 3);
    QCOMPARE(scalar(db(), "SELECT activity_at FROM conversations WHERE id = 11"), 9'000'000);
    QCOMPARE(unread(10, 2), unread10 + 1);
    QCOMPARE(unread(11, 3), unread11 + 1);
    QCOMPARE(unread(10, 1), unreadOwn + 1); // user 2's "Tamam"
}

QTEST_GUILESS_MAIN(tst_Upgrades)
#include "tst_upgrades.moc"
