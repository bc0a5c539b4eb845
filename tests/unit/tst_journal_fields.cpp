// common/logging/journal_fields and journal_socket: the journal's native
// protocol as the daemon writes it (each field NAME=value\n, or with a
// newline in the value NAME\n<64-bit little-endian length><value>\n), the
// fields of one log line, and the socket: a real datagram socket bound by
// the test, an entry too large for a datagram passed as a sealed memfd, and
// no socket at all.

#include "journal_receiver.h"
#include "logging/journal_fields.h"
#include "logging/journal_socket.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

QByteArray field(QByteArrayView name, QByteArrayView value)
{
    QByteArray out;
    if (!appendJournalField(out, name, value))
        return "refused";
    return out;
}

QByteArray le64(quint64 n)
{
    QByteArray out;
    for (int i = 0; i < 8; ++i, n >>= 8)
        out += char(n & 0xff);
    return out;
}

LogRecord record(QtMsgType type, QStringView message)
{
    LogRecord r;
    r.type = type;
    r.category = "sanayicin.app";
    r.message = message;
    return r;
}

QByteArray entryOf(const LogRecord &r)
{
    QByteArray out;
    appendJournalEntry(out, r, "sanayicind");
    return out;
}

} // namespace

class TestJournalFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("MESSAGE") << "MESSAGE"_ba << true;
        QTest::newRow("with digits and _") << "SANAYICIN_CATEGORY2"_ba << true;
        QTest::newRow("64 characters") << QByteArray(64, 'A') << true;
        QTest::newRow("65 characters") << QByteArray(65, 'A') << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("journal's own (_PID)") << "_PID"_ba << false;
        QTest::newRow("leading digit") << "1MESSAGE"_ba << false;
        QTest::newRow("lower case") << "message"_ba << false;
        QTest::newRow("=") << "A=B"_ba << false;
        QTest::newRow("newline") << "A\nB"_ba << false;
        QTest::newRow("NUL") << QByteArray("A\0B", 3) << false;
        QTest::newRow("non-ASCII") << "MESAJ\xc3\x87"_ba << false;
    }
    void names()
    {
        QFETCH(QByteArray, name);
        QFETCH(bool, valid);
        QCOMPARE(isJournalFieldName(name), valid);
        QByteArray out = "before";
        QCOMPARE(appendJournalField(out, name, "v"), valid);
        if (!valid)
            QCOMPARE(out, "before"_ba); // nothing appended
    }

    // Without a newline: NAME=value\n, bytes as they are (NUL, '=', 0xff).
    void plainForm()
    {
        QCOMPARE(field("MESSAGE", "hello"), "MESSAGE=hello\n"_ba);
        QCOMPARE(field("MESSAGE", ""), "MESSAGE=\n"_ba);
        QCOMPARE(field("MESSAGE", "a=b=c"), "MESSAGE=a=b=c\n"_ba);
        const QByteArray odd("x\0\xff\r\t", 5);
        QCOMPARE(field("MESSAGE", odd), "MESSAGE="_ba + odd + "\n");
    }

    // With a newline anywhere: the length form, the length in 8 bytes,
    // least significant first.
    void lengthForm_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("only a newline") << "\n"_ba;
        QTest::newRow("newline first") << "\nrest"_ba;
        QTest::newRow("newline last") << "line\n"_ba;
        QTest::newRow("two lines") << "cannot open\nDETAIL: \"x\""_ba;
        QTest::newRow("CR LF") << "a\r\nb"_ba;
        QTest::newRow("255 bytes") << QByteArray(254, 'x') + '\n';
        QTest::newRow("256 bytes") << QByteArray(255, 'x') + '\n';
        QTest::newRow("65536 bytes") << QByteArray(65535, 'x') + '\n';
        QTest::newRow("0x010203 bytes") << QByteArray(0x010202, '\n') + 'x';
        QTest::newRow("NUL and newline") << QByteArray("\0\n\0", 3);
    }
    void lengthForm()
    {
        QFETCH(QByteArray, value);
        const QByteArray out = field("MESSAGE", value);
        QCOMPARE(out.first(8), "MESSAGE\n"_ba);
        QCOMPARE(out.sliced(8, 8), le64(quint64(value.size())));
        QCOMPARE(out.sliced(16, value.size()), value);
        QCOMPARE(out.size(), 8 + 8 + value.size() + 1);
        QVERIFY(out.endsWith('\n'));
        const auto parsed = parseJournalEntry(out);
        QVERIFY(parsed);
        QCOMPARE(parsed->fields.size(), 1);
        QCOMPARE(parsed->value("MESSAGE"), value);
    }
    void lengthBytes()
    {
        // 0x010203: 03 02 01 00 00 00 00 00
        const QByteArray out = field("M", QByteArray(0x010202, '\n') + 'x');
        QCOMPARE(out.sliced(2, 8), QByteArray("\x03\x02\x01\0\0\0\0\0", 8));
    }

    // The fields of a line: priority per level; the message with its
    // category, newlines kept in one field; code location and instance only
    // when known.
    void entryFields_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("priority");
        QTest::newRow("debug") << int(QtDebugMsg) << "7"_ba;
        QTest::newRow("info") << int(QtInfoMsg) << "6"_ba;
        QTest::newRow("warning") << int(QtWarningMsg) << "4"_ba;
        QTest::newRow("critical") << int(QtCriticalMsg) << "3"_ba;
        QTest::newRow("fatal") << int(QtFatalMsg) << "2"_ba;
    }
    void entryFields()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, priority);
        LogRecord r = record(QtMsgType(type), u"reload: ç değişti"_s);
        r.instance = "eu-1/blue";
        r.file = "server/app/daemon.cpp";
        r.line = 412;
        r.function = "void sanayicin::Daemon::reload()";
        const auto e = parseJournalEntry(entryOf(r));
        QVERIFY(e);
        QCOMPARE(e->value("PRIORITY"), priority);
        QCOMPARE(e->value("MESSAGE"), u"sanayicin.app: reload: ç değişti"_s.toUtf8());
        QCOMPARE(e->value("SYSLOG_IDENTIFIER"), "sanayicind"_ba);
        QCOMPARE(e->value("CODE_FILE"), "server/app/daemon.cpp"_ba);
        QCOMPARE(e->value("CODE_LINE"), "412"_ba);
        QCOMPARE(e->value("CODE_FUNC"), "void sanayicin::Daemon::reload()"_ba);
        QCOMPARE(e->value("SANAYICIN_CATEGORY"), "sanayicin.app"_ba);
        QCOMPARE(e->value("SANAYICIN_INSTANCE"), "eu-1/blue"_ba);
        for (const auto &f : e->fields)
            QVERIFY2(e->count(f.first) == 1, f.first.constData());
    }
    void entryWithoutOptionalFields()
    {
        LogRecord r = record(QtInfoMsg, u"started"_s);
        r.category = nullptr;
        const auto e = parseJournalEntry(entryOf(r));
        QVERIFY(e);
        QCOMPARE(e->value("MESSAGE"), "default: started"_ba);
        QCOMPARE(e->value("SANAYICIN_CATEGORY"), "default"_ba);
        for (const char *absent : {"CODE_FILE", "CODE_LINE", "CODE_FUNC", "SANAYICIN_INSTANCE"})
            QVERIFY2(e->count(absent) == 0, absent);
        QByteArray out;
        appendJournalEntry(out, r, {});
        QCOMPARE(parseJournalEntry(out)->count("SYSLOG_IDENTIFIER"), 0);
    }
    void multiLineMessageIsOneEntry()
    {
        const auto e = parseJournalEntry(entryOf(record(QtCriticalMsg, u"cannot open\nFATAL: no\n"_s)));
        QVERIFY(e);
        QCOMPARE(e->count("MESSAGE"), 1);
        QCOMPARE(e->value("MESSAGE"), "sanayicin.app: cannot open\nFATAL: no\n"_ba);
    }

    // A message (a user name, a client's text) cannot add or replace a
    // field: whatever it holds stays inside MESSAGE.
    void messageCannotForgeFields_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("newline and a field") << u"x\nPRIORITY=0\nSANAYICIN_INSTANCE=evil"_s;
        QTest::newRow("leading field") << u"PRIORITY=0"_s;
        QTest::newRow("newline last") << u"x\n"_s;
        QTest::newRow("NUL") << QString(QChar(0)) + u"\nPRIORITY=0\n"_s;
        QTest::newRow("length form inside") << QString::fromLatin1("\nMESSAGE\n\x01\0\0\0\0\0\0\0x\n", 20);
    }
    void messageCannotForgeFields()
    {
        QFETCH(QString, message);
        LogRecord r = record(QtInfoMsg, message);
        r.instance = "i";
        const auto e = parseJournalEntry(entryOf(r));
        QVERIFY(e);
        QCOMPARE(e->fields.size(), 5); // PRIORITY MESSAGE SYSLOG_IDENTIFIER SANAYICIN_CATEGORY SANAYICIN_INSTANCE
        QCOMPARE(e->value("PRIORITY"), "6"_ba);
        QCOMPARE(e->value("MESSAGE"), "sanayicin.app: "_ba + message.toUtf8());
        QCOMPARE(e->value("SANAYICIN_INSTANCE"), "i"_ba);
        QCOMPARE(e->count("MESSAGE"), 1);
    }

    // Cut at every byte, an entry is either refused whole or, cut exactly
    // after a field, read as the fields before the cut: never a field with
    // a wrong value.
    void truncatedAtEveryByte()
    {
        LogRecord r = record(QtWarningMsg, u"two\nlines"_s);
        r.instance = "i";
        const QByteArray whole = entryOf(r);
        const auto all = parseJournalEntry(whole);
        QVERIFY(all);
        int boundaries = 0;
        for (qsizetype cut = 0; cut < whole.size(); ++cut) {
            const auto part = parseJournalEntry(whole.first(cut));
            if (!part)
                continue;
            ++boundaries;
            QVERIFY2(part->fields.size() < all->fields.size(), qPrintable(QString::number(cut)));
            for (qsizetype i = 0; i < part->fields.size(); ++i)
                QCOMPARE(part->fields[i], all->fields[i]);
        }
        QCOMPARE(boundaries, int(all->fields.size())); // 0 bytes, then after each field but the last
    }
    void lengthBeyondTheData()
    {
        QByteArray forged = "MESSAGE\n"_ba + le64(quint64(1) << 63) + "x\n";
        QVERIFY(!parseJournalEntry(forged));
        forged = "MESSAGE\n"_ba + le64(~quint64(0)) + "x\n";
        QVERIFY(!parseJournalEntry(forged));
        forged = "MESSAGE\n"_ba + le64(1) + "xy"; // no '\n' after the value
        QVERIFY(!parseJournalEntry(forged));
    }

    // A real datagram socket: each entry arrives whole, as one datagram.
    void socketSendsDatagrams()
    {
        JournalReceiver journal;
        QString error;
        QVERIFY2(journal.open(error), qPrintable(error));
        const auto socket = JournalSocket::open(QFile::encodeName(journal.path()));
        QVERIFY(socket);
        const QByteArray one = entryOf(record(QtInfoMsg, u"one"_s));
        const QByteArray two = entryOf(record(QtWarningMsg, u"two\nlines"_s));
        QVERIFY(socket->send(one));
        QVERIFY(socket->send(two));
        QTRY_COMPARE(journal.received().size(), 2);
        QCOMPARE(journal.received()[0].bytes, one);
        QCOMPARE(journal.received()[1].bytes, two);
        QVERIFY(!journal.received()[0].viaMemfd);
    }

    // Larger than any datagram the socket may send (its buffer is at most
    // 16 MiB): a sealed memfd, read whole.
    void largeEntryGoesAsMemfd()
    {
        JournalReceiver journal;
        QString error;
        QVERIFY2(journal.open(error), qPrintable(error));
        const auto socket = JournalSocket::open(QFile::encodeName(journal.path()));
        QVERIFY(socket);
        const QString big = QString(16 * 1024 * 1024 + 1, u'x') + u"\nend"_s;
        const QByteArray entry = entryOf(record(QtInfoMsg, big));
        QVERIFY(socket->send(entry));
        QTRY_COMPARE(journal.received().size(), 1);
        const JournalReceiver::Datagram d = journal.received().first();
        QVERIFY(d.viaMemfd);
        QVERIFY(d.sealed);
        QCOMPARE(d.bytes.size(), entry.size());
        QVERIFY(d.bytes == entry);
    }

    // No journald: no socket (nothing there, or not a socket); a socket
    // nobody reads any more refuses the send, so the line can go elsewhere.
    void noJournal()
    {
        QTemporaryDir dir;
        QVERIFY(!JournalSocket::open(QFile::encodeName(dir.filePath(u"absent"_s))));
        QFile plain(dir.filePath(u"plain"_s));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        QVERIFY(!JournalSocket::open(QFile::encodeName(plain.fileName())));
        QVERIFY(!JournalSocket::open({}));
        QVERIFY(!JournalSocket::open(QByteArray(200, 'x')));

        std::unique_ptr<JournalSocket> socket;
        {
            JournalReceiver journal;
            QString error;
            QVERIFY2(journal.open(error), qPrintable(error));
            socket = JournalSocket::open(QFile::encodeName(journal.path()));
            QVERIFY(socket);
            QVERIFY(socket->send("MESSAGE=x\n"));
        } // the receiver closes its socket and removes it
        QVERIFY(!socket->send("MESSAGE=y\n"));
    }
};

QTEST_GUILESS_MAIN(TestJournalFields)
#include "tst_journal_fields.moc"
