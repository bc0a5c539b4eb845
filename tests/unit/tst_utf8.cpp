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
    }
};

QTEST_GUILESS_MAIN(tst_Utf8)
#include "tst_utf8.moc"
