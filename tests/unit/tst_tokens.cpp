// Tokens: 256 random bits in base64url, their SHA-256 hex hash, and the
// Authorization header parser.

#include "auth/tokens.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_Tokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenShape();
    void tokensAreUniqueAndEveryBitVaries();
    void hashIsHexSha256();
    void bearerToken_data();
    void bearerToken();
};

void tst_Tokens::tokenShape()
{
    static const QRegularExpression alphabet(u"^[A-Za-z0-9_-]{43}$"_s);
    for (int i = 0; i < 200; ++i) {
        const QString t = generateToken();
        QVERIFY2(alphabet.match(t).hasMatch(), qPrintable(t));
        const QByteArray raw = QByteArray::fromBase64(
            t.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        QCOMPARE(raw.size(), 32); // 256 bits
    }
}

void tst_Tokens::tokensAreUniqueAndEveryBitVaries()
{
    QSet<QString> seen;
    QByteArray orAll(32, '\0');
    QByteArray andAll(32, '\xff');
    for (int i = 0; i < 256; ++i) {
        const QString t = generateToken();
        QVERIFY(!seen.contains(t));
        seen.insert(t);
        const QByteArray raw = QByteArray::fromBase64(t.toLatin1(), QByteArray::Base64UrlEncoding);
        for (int b = 0; b < 32; ++b) {
            orAll[b] = char(orAll[b] | raw[b]);
            andAll[b] = char(andAll[b] & raw[b]);
        }
    }
    // Each of the 256 bits was both 0 and 1 at least once: all of them are
    // random, not only some words (chance of a false failure: 2^-247).
    QCOMPARE(orAll, QByteArray(32, '\xff'));
    QCOMPARE(andAll, QByteArray(32, '\0'));
}

void tst_Tokens::hashIsHexSha256()
{
    QCOMPARE(hashToken(u"abc"), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(hashToken(u""), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    const QString t = generateToken();
    const QByteArray h = hashToken(t);
    QVERIFY(hex.match(QString::fromLatin1(h)).hasMatch());
    QCOMPARE(hashToken(t), h); // stable
    QVERIFY(hashToken(generateToken()) != h);
    QVERIFY(!h.contains(t.toLatin1()));
}

void tst_Tokens::bearerToken_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("token");
    QTest::newRow("Bearer") << QByteArray("Bearer abc123") << u"abc123"_s;
    QTest::newRow("lowercase bearer") << QByteArray("bearer abc123") << u"abc123"_s;
    QTest::newRow("uppercase BEARER") << QByteArray("BEARER abc123") << u"abc123"_s;
    QTest::newRow("extra spaces") << QByteArray("  Bearer    abc123  ") << u"abc123"_s;
    QTest::newRow("base64url chars") << QByteArray("Bearer a-b_c") << u"a-b_c"_s;
    QTest::newRow("one-char token") << QByteArray("Bearer x") << u"x"_s;
    QTest::newRow("256 chars") << ("Bearer " + QByteArray(256, 't')) << QString(256, u't');
    QTest::newRow("257 chars refused") << ("Bearer " + QByteArray(257, 't')) << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("scheme only") << QByteArray("Bearer") << QString();
    QTest::newRow("scheme and space") << QByteArray("Bearer ") << QString();
    QTest::newRow("scheme and spaces") << QByteArray("Bearer     ") << QString();
    QTest::newRow("no space") << QByteArray("Bearerabc123") << QString();
    QTest::newRow("Basic") << QByteArray("Basic dXNlcjpwYXNz") << QString();
    QTest::newRow("token only") << QByteArray("abc123") << QString();
    QTest::newRow("Bearer prefix of another word") << QByteArray("Bearers abc") << QString();
}

void tst_Tokens::bearerToken()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, token);
    QCOMPARE(sanayicin::bearerToken(header), token);
}

QTEST_APPLESS_MAIN(tst_Tokens)
#include "tst_tokens.moc"
