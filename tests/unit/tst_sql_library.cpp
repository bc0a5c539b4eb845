// toSqlitePlaceholders: PostgreSQL's $N rewritten to SQLite's `?` with the
// parameter order, and every statement shipped in the resources checked the
// same way.

#include "app/resources.h"
#include "storage/db.h"
#include "storage/sql_library.h"

#include <QDirIterator>
#include <QRegularExpression>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::vector<int>)

class tst_SqlLibrary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void placeholders_data();
    void placeholders();
    void shippedStatements();
    void statementsAreCachedAndDialectSpecificWins();
    void missingStatementFailsOnlyTheCaller();
};

void tst_SqlLibrary::initTestCase()
{
    initSanayicinResources();
}

void tst_SqlLibrary::placeholders_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<std::vector<int>>("order");

    QTest::newRow("none") << QByteArray("SELECT 1") << QByteArray("SELECT 1") << std::vector<int>{};
    QTest::newRow("in order") << QByteArray("VALUES ($1, $2, $3)")
                              << QByteArray("VALUES (?, ?, ?)") << std::vector<int>{0, 1, 2};
    QTest::newRow("reordered") << QByteArray("SELECT $2, $1") << QByteArray("SELECT ?, ?")
                               << std::vector<int>{1, 0};
    QTest::newRow("repeated")
        << QByteArray("WHERE ($1 = '' OR a = $1) AND ($2 = '' OR b = $2) LIMIT $3")
        << QByteArray("WHERE (? = '' OR a = ?) AND (? = '' OR b = ?) LIMIT ?")
        << std::vector<int>{0, 0, 1, 1, 2};
    QTest::newRow("two digits") << QByteArray("x = $10 AND y = $1")
                                << QByteArray("x = ? AND y = ?") << std::vector<int>{9, 0};
    QTest::newRow("no spaces") << QByteArray("a=$1,b=$2") << QByteArray("a=?,b=?")
                               << std::vector<int>{0, 1};
    QTest::newRow("cast") << QByteArray("$1::bigint[]") << QByteArray("?::bigint[]")
                          << std::vector<int>{0};
    QTest::newRow("dollar in string untouched")
        << QByteArray("WHERE a = '$1' AND b = $1") << QByteArray("WHERE a = '$1' AND b = ?")
        << std::vector<int>{0};
    QTest::newRow("escaped quote in string")
        << QByteArray("WHERE a = 'it''s $2' AND b = $1")
        << QByteArray("WHERE a = 'it''s $2' AND b = ?") << std::vector<int>{0};
    QTest::newRow("backslash escape literal")
        << QByteArray(R"(LIKE $3 ESCAPE '\' AND c = $4)")
        << QByteArray(R"(LIKE ? ESCAPE '\' AND c = ?)") << std::vector<int>{2, 3};
    QTest::newRow("dollar without digit") << QByteArray("SELECT '$' || $a, $1")
                                          << QByteArray("SELECT '$' || $a, ?")
                                          << std::vector<int>{0};
    QTest::newRow("dollar at end") << QByteArray("SELECT $") << QByteArray("SELECT $")
                                   << std::vector<int>{};
    QTest::newRow("placeholder in a comment is not a parameter")
        << QByteArray("-- rows of user $1, newest first\nSELECT a FROM t WHERE u = $1 AND v = $2")
        << QByteArray("-- rows of user $1, newest first\nSELECT a FROM t WHERE u = ? AND v = ?")
        << std::vector<int>{0, 1};
    QTest::newRow("quote in a comment does not open a string")
        << QByteArray("-- don't\nSELECT $1") << QByteArray("-- don't\nSELECT ?")
        << std::vector<int>{0};
}

void tst_SqlLibrary::placeholders()
{
    QFETCH(QByteArray, sql);
    QFETCH(QByteArray, text);
    QFETCH(std::vector<int>, order);
    const SqlStatement s = toSqlitePlaceholders(u"t"_s, sql);
    QCOMPARE(s.name, u"t"_s);
    QCOMPARE(s.text, text);
    QCOMPARE(s.order, order);
}

void tst_SqlLibrary::shippedStatements()
{
    // For every statement SQLite will run: one `?` outside comments per
    // entry of `order`, and the parameters $1..$N all used.
    static const QRegularExpression comment(u"--[^\n]*"_s);
    static const QRegularExpression dollar(u"\\$(\\d+)"_s);
    int checked = 0;
    QDirIterator it(u":/sql/queries"_s, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(u"/postgresql/"_s))
            continue;
        const QString name = QFileInfo(path).completeBaseName();
        const SqlStatement &s = sqlStatement(Dialect::Sqlite, name);
        QString code = QString::fromUtf8(s.text);
        code.remove(comment);
        QCOMPARE(qsizetype(code.count(u'?')), qsizetype(s.order.size()));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString original = QString::fromUtf8(file.readAll());
        original.remove(comment);
        int highest = 0;
        auto m = dollar.globalMatch(original);
        while (m.hasNext())
            highest = std::max(highest, m.next().captured(1).toInt());
        if (!path.contains(u"/sqlite/"_s)) {
            // A shared file: both dialects see the same parameters.
            std::vector<int> used(s.order);
            std::sort(used.begin(), used.end());
            used.erase(std::unique(used.begin(), used.end()), used.end());
            QCOMPARE(int(used.size()), highest);
            if (highest)
                QCOMPARE(used.back(), highest - 1);
        }
        ++checked;
    }
    QVERIFY(checked > 20);
}

void tst_SqlLibrary::statementsAreCachedAndDialectSpecificWins()
{
    const SqlStatement &a = sqlStatement(Dialect::Sqlite, u"last_message_ids"_s);
    const SqlStatement &b = sqlStatement(Dialect::Sqlite, u"last_message_ids"_s);
    QCOMPARE(&a, &b);
    const SqlStatement &pg = sqlStatement(Dialect::Postgres, u"last_message_ids"_s);
    QVERIFY(pg.text.contains("ANY"));
    QVERIFY(a.text.contains("json_each"));
    QVERIFY(!a.text.contains("ANY"));
    QVERIFY(pg.order.empty());
    // Shared statement: PostgreSQL keeps $N, SQLite gets `?`.
    const SqlStatement &pgUser = sqlStatement(Dialect::Postgres, u"user_by_id"_s);
    const SqlStatement &liteUser = sqlStatement(Dialect::Sqlite, u"user_by_id"_s);
    QVERIFY(pgUser.text.contains("$1"));
    QVERIFY(!liteUser.text.contains("$1"));
    QCOMPARE(liteUser.order, std::vector<int>{0});
}

// A statement the build lacks used to end the process (qFatal) in the
// middle of whichever request first needed it; now that request gets a
// DbError (a 500 for HTTP, an error frame for WebSocket), and the next
// statement still works.
void tst_SqlLibrary::missingStatementFailsOnlyTheCaller()
{
    for (Dialect d : {Dialect::Sqlite, Dialect::Postgres}) {
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"no_such_statement.*missing"_s));
        try {
            sqlStatement(d, u"no_such_statement"_s);
            QFAIL("no DbError");
        } catch (const DbError &e) {
            QCOMPARE(e.kind(), DbError::Kind::Other);
            QVERIFY(QByteArray(e.what()).contains("no_such_statement"));
        }
    }
    QVERIFY(!sqlStatement(Dialect::Sqlite, u"user_insert"_s).text.isEmpty());
}

QTEST_APPLESS_MAIN(tst_SqlLibrary)
#include "tst_sql_library.moc"
