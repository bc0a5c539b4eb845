// RFC 6455 text frames must be UTF-8: the validator the native WebSocket uses.

#include "text/utf8.h"

#include <QtTest>

using namespace sanayicin;

class tst_Utf8 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validity_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("hello") << true;
        QTest::newRow("turkish") << QStringLiteral("ışık İŞ").toUtf8() << true;
        QTest::newRow("emoji") << QStringLiteral("👋").toUtf8() << true;
        QTest::newRow("max code point") << QByteArray("\xf4\x8f\xbf\xbf") << true;
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
        QTest::newRow("bad second") << QByteArray("\xe2\x28\xa1") << false;
        QTest::newRow("f5") << QByteArray("\xf5\x80\x80\x80") << false;
    }

    void validity()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(isValidUtf8(bytes), valid);
        // The incremental validator agrees, whatever the split.
        for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
            Utf8Validator v;
            const bool first = v.feed(bytes.left(cut));
            const bool second = v.feed(bytes.mid(cut));
            QCOMPARE(first && second && v.atBoundary(), valid);
            if (!first)
                QVERIFY(v.failed() && !second); // stays failed
        }
    }

    // A byte after which no well-formed text is possible fails at once; a
    // character merely unfinished does not (it may end in the next piece).
    void failsAtTheImpossibleByte_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("failAt"); // -1: never fails, only unfinished
        QTest::newRow("surrogate") << QByteArray("ab\xed\xa0\x80") << 3;
        QTest::newRow("above max") << QByteArray("\xf4\x90\x80\x80") << 1;
        QTest::newRow("f5") << QByteArray("x\xf5") << 1;
        QTest::newRow("c0") << QByteArray("\xc0\x80") << 0;
        QTest::newRow("unfinished 4-byte") << QByteArray("\xf0\x9f\x98") << -1;
        QTest::newRow("bad continuation") << QByteArray("\xe2\x28\xa1") << 1;
        QTest::newRow("long ascii then bad") << QByteArray(37, 'a') + QByteArray("\xff") << 37;
    }

    void failsAtTheImpossibleByte()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, failAt);
        Utf8Validator v;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const bool ok = v.feed(bytes.mid(i, 1));
            QCOMPARE(ok, failAt < 0 || i < failAt);
            if (!ok)
                break;
        }
        if (failAt < 0)
            QVERIFY(!v.failed() && !v.atBoundary());
    }
};

QTEST_GUILESS_MAIN(tst_Utf8)
#include "tst_utf8.moc"
