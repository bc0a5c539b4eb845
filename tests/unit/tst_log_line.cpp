// common/logging/log_line: the three line formats, the journal's stream
// detection and the --log-format names.

#include "logging/log_line.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QtTest>
#include <sys/stat.h>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kTime = 1796317744460; // 2026-12-03T17:09:04.460Z

QByteArray line(LogFormat format, QtMsgType type, QStringView message, const char *category = "sanayicin.app",
                QByteArrayView instance = {}, const char *file = nullptr, int lineNumber = 0)
{
    LogRecord r;
    r.type = type;
    r.category = category;
    r.message = message;
    r.msSinceEpoch = kTime;
    r.instance = instance;
    r.file = file;
    r.line = lineNumber;
    QByteArray out;
    appendLogLine(out, format, r);
    return out;
}

QJsonObject parsedJson(const QByteArray &text)
{
    // One object, one line: the only newline is the last byte.
    if (!text.endsWith('\n') || text.count('\n') != 1)
        return {};
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &e);
    return e.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

} // namespace

class TestLogLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatNames()
    {
        QCOMPARE(parseLogFormat(u"text", true), LogFormat::Text);
        QCOMPARE(parseLogFormat(u"journal", false), LogFormat::Journal);
        QCOMPARE(parseLogFormat(u"json", true), LogFormat::Json);
        QCOMPARE(parseLogFormat(u"auto", true), LogFormat::Journal);
        QCOMPARE(parseLogFormat(u"auto", false), LogFormat::Text);
        for (const QString &bad : {u""_s, u"JSON"_s, u"json "_s, u"syslog"_s, u"auto\n"_s})
            QVERIFY2(!parseLogFormat(bad, false), qPrintable(bad));
    }

    void journalStream()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        struct stat st = {};
        QVERIFY(::fstat(file.handle(), &st) == 0);
        const QByteArray dev = QByteArray::number(qulonglong(st.st_dev));
        const QByteArray ino = QByteArray::number(qulonglong(st.st_ino));
        QVERIFY(fdIsJournalStream(file.handle(), dev + ':' + ino));
        QVERIFY(!fdIsJournalStream(file.handle(), dev + ':' + QByteArray::number(qulonglong(st.st_ino) + 1)));
        QVERIFY(!fdIsJournalStream(file.handle(), QByteArray::number(qulonglong(st.st_dev) + 1) + ':' + ino));
        const QList<QByteArray> malformed{
            {}, ":", dev + ':', ':' + ino, "a:b", ' ' + dev + ':' + ino, dev + ':' + ino + ':',
            dev + ':' + ino + 'x', "18446744073709551616:" + ino, dev + ":18446744073709551616",
            "18446744073709551615:18446744073709551615", "-1:" + ino, dev + ':' + ino + '\n'};
        for (const QByteArray &value : malformed)
            QVERIFY2(!fdIsJournalStream(file.handle(), value), value.constData());
        QVERIFY(!fdIsJournalStream(-1, dev + ':' + ino));
    }

    void text()
    {
        const QByteArray time =
            QDateTime::fromMSecsSinceEpoch(kTime).toString(u"yyyy-MM-ddThh:mm:ss.zzz"_s).toUtf8();
        QCOMPARE(line(LogFormat::Text, QtInfoMsg, u"serving"), time + " info sanayicin.app: serving\n");
        QCOMPARE(line(LogFormat::Text, QtWarningMsg, u"x", nullptr), time + " warning default: x\n");
        QCOMPARE(line(LogFormat::Text, QtCriticalMsg, u"a\nb"), time + " error sanayicin.app: a\nb\n");
    }

    void journal_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("debug") << int(QtDebugMsg) << QByteArray("<7>debug sanayicin.app: m\n");
        QTest::newRow("info") << int(QtInfoMsg) << QByteArray("<6>info sanayicin.app: m\n");
        QTest::newRow("warning") << int(QtWarningMsg) << QByteArray("<4>warning sanayicin.app: m\n");
        QTest::newRow("critical") << int(QtCriticalMsg) << QByteArray("<3>error sanayicin.app: m\n");
        QTest::newRow("fatal") << int(QtFatalMsg) << QByteArray("<2>fatal sanayicin.app: m\n");
    }

    void journal()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, expected);
        QCOMPARE(line(LogFormat::Journal, QtMsgType(type), u"m"), expected);
    }

    // journald makes an entry of every line: each gets the priority.
    void journalLines()
    {
        QCOMPARE(line(LogFormat::Journal, QtWarningMsg, u"a\n\tb\n"),
                 QByteArray("<4>warning sanayicin.app: a\n<4>\tb\n<4>\n"));
        QCOMPARE(line(LogFormat::Journal, QtInfoMsg, u""), QByteArray("<6>info sanayicin.app: \n"));
        QCOMPARE(line(LogFormat::Journal, QtInfoMsg, u"\n\n"),
                 QByteArray("<6>info sanayicin.app: \n<6>\n<6>\n"));
        QCOMPARE(line(LogFormat::Journal, QtInfoMsg, u"çay ☕"),
                 QString(u"<6>info sanayicin.app: çay ☕\n"_s).toUtf8());
    }

    void json()
    {
        const QJsonObject o = parsedJson(line(LogFormat::Json, QtWarningMsg, u"hello", "sanayicin.http", "eu-1"));
        QCOMPARE(o.value(u"time"_s).toString(), u"2026-12-03T17:09:04.460Z"_s);
        QCOMPARE(o.value(u"level"_s).toString(), u"warning"_s);
        QCOMPARE(o.value(u"priority"_s).toInt(), 4);
        QCOMPARE(o.value(u"category"_s).toString(), u"sanayicin.http"_s);
        QCOMPARE(o.value(u"instance"_s).toString(), u"eu-1"_s);
        QCOMPARE(o.value(u"message"_s).toString(), u"hello"_s);
        QVERIFY(!o.contains(u"file"_s));
        QCOMPARE(o.size(), 6);

        const QJsonObject bare = parsedJson(line(LogFormat::Json, QtDebugMsg, u"", nullptr, {}, "a.cpp", 12));
        QCOMPARE(bare.value(u"category"_s).toString(), u"default"_s);
        QCOMPARE(bare.value(u"level"_s).toString(), u"debug"_s);
        QVERIFY(!bare.contains(u"instance"_s));
        QCOMPARE(bare.value(u"file"_s).toString(), u"a.cpp"_s);
        QCOMPARE(bare.value(u"line"_s).toInt(), 12);
    }

    // Whatever the message holds, one object on one line, the text intact.
    void jsonEscapes_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("expected");
        QTest::newRow("newlines") << u"a\nb\r\nc\n"_s << u"a\nb\r\nc\n"_s;
        QTest::newRow("quotes") << u"got \"x\" and \\\"y\\\""_s << u"got \"x\" and \\\"y\\\""_s;
        QTest::newRow("controls") << QString::fromLatin1("\x01\x1f\x7f\t\b\f", 6)
                                  << QString::fromLatin1("\x01\x1f\x7f\t\b\f", 6);
        QTest::newRow("nul") << QString(QChar(0)) + u"x"_s << QString(QChar(0)) + u"x"_s;
        QTest::newRow("non-ascii") << u"çay ☕ 🙂"_s << u"çay ☕ 🙂"_s;
        QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + u"x"_s << u"\ufffdx"_s;
        QTest::newRow("line separators") << u"a\u2028b\u2029"_s << u"a\u2028b\u2029"_s;
        QTest::newRow("json inside") << u"{\"message\":\"forged\"}\n{\"level\":\"error\"}"_s
                                     << u"{\"message\":\"forged\"}\n{\"level\":\"error\"}"_s;
    }

    void jsonEscapes()
    {
        QFETCH(QString, message);
        QFETCH(QString, expected);
        const QByteArray text = line(LogFormat::Json, QtInfoMsg, message, "c", "i\"\n");
        const QJsonObject o = parsedJson(text);
        QVERIFY2(!o.isEmpty(), text.constData());
        QCOMPARE(o.value(u"message"_s).toString(), expected);
        QCOMPARE(o.value(u"instance"_s).toString(), u"i\"\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestLogLine)
#include "tst_log_line.moc"
