// json_input: what clients send arrives as sent, byte order marks included.

#include "protocol/json_input.h"

#include <QJsonObject>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_JsonInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stringsKeepByteOrderMarks_data();
    void stringsKeepByteOrderMarks();
    void markOutsideStrings();
};

void tst_JsonInput::stringsKeepByteOrderMarks_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("body");
    const QByteArray bom("\xEF\xBB\xBF");
    QTest::newRow("plain") << QByteArray(R"({"body":"merhaba"})") << u"merhaba"_s;
    // Qt alone drops the first two (the string's first character).
    QTest::newRow("only a mark") << QByteArray("{\"body\":\"" + bom + "\"}") << u"\ufeff"_s;
    QTest::newRow("mark first") << QByteArray("{\"body\":\"" + bom + "usta\"}") << u"\ufeffusta"_s;
    QTest::newRow("mark inside") << QByteArray("{\"body\":\"us" + bom + "ta\"}") << u"us\ufeffta"_s;
    QTest::newRow("two marks") << QByteArray("{\"body\":\"" + bom + bom + "\"}") << u"\ufeff\ufeff"_s;
    QTest::newRow("escaped") << QByteArray(R"({"body":"\ufeff"})") << u"\ufeff"_s;
    QTest::newRow("document mark skipped") << QByteArray(bom + R"({"body":"a"})") << u"a"_s;
}

void tst_JsonInput::stringsKeepByteOrderMarks()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, body);
    QJsonParseError error;
    const QJsonDocument doc = parseClientJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value(u"body"_s).toString(), body);
}

void tst_JsonInput::markOutsideStrings()
{
    QJsonParseError error;
    parseClientJson(QByteArray("{\"a\":1,\xEF\xBB\xBF\"b\":2}"), &error);
    QVERIFY(error.error != QJsonParseError::NoError);
}

QTEST_APPLESS_MAIN(tst_JsonInput)
#include "tst_json_input.moc"
