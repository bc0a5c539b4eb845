// text_rules: code point counting, Unicode white space, length bounds,
// usernames and the Turkish-aware search fold.

#include "text/text_rules.h"

#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {
QString repeat(const QString &s, int n)
{
    return s.repeated(n);
}
} // namespace

class tst_TextRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void codePointCount_data();
    void codePointCount();
    void isBlank_data();
    void isBlank();
    void hasLengthBetween_data();
    void hasLengthBetween();
    void isValidUsername_data();
    void isValidUsername();
    void foldForSearch_data();
    void foldForSearch();
    void foldForSearchTurkishSpellingsMatch_data();
    void foldForSearchTurkishSpellingsMatch();
};

void tst_TextRules::codePointCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qsizetype>("count");
    QTest::newRow("empty") << QString() << qsizetype(0);
    QTest::newRow("ascii") << u"abc"_s << qsizetype(3);
    QTest::newRow("turkish") << u"ığüşöç"_s << qsizetype(6);
    QTest::newRow("one emoji") << u"👋"_s << qsizetype(1);
    QTest::newRow("emoji and text") << u"a👋b😀"_s << qsizetype(4);
    QTest::newRow("ZWJ family is 5 code points") << u"\U0001F468\u200D\U0001F469\u200D\U0001F467"_s << qsizetype(5);
    QTest::newRow("decomposed I plus dot") << u"I\u0307"_s << qsizetype(2);
    QTest::newRow("lone high surrogate") << QString(QChar(0xd83d)) << qsizetype(1);
    QTest::newRow("lone low then pair") << (QString(QChar(0xdc4b)) + u"👋"_s) << qsizetype(2);
    QTest::newRow("4000 emoji") << repeat(u"😀"_s, 4000) << qsizetype(4000);
}

void tst_TextRules::codePointCount()
{
    QFETCH(QString, text);
    QFETCH(qsizetype, count);
    QCOMPARE(sanayicin::codePointCount(text), count);
}

void tst_TextRules::isBlank_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("blank");
    QTest::newRow("empty") << QString() << true;
    QTest::newRow("space") << u" "_s << true;
    QTest::newRow("spaces") << u"   "_s << true;
    QTest::newRow("tab newline cr") << u"\t\n\r"_s << true;
    QTest::newRow("vertical tab form feed") << u"\v\f"_s << true;
    QTest::newRow("NBSP") << u"\u00a0"_s << true;
    QTest::newRow("NBSP and space") << u" \u00a0 "_s << true;
    QTest::newRow("EM SPACE U+2003") << u"\u2003"_s << true;
    QTest::newRow("IDEOGRAPHIC SPACE U+3000") << u"\u3000"_s << true;
    QTest::newRow("NEXT LINE U+0085") << u"\u0085"_s << true;
    QTest::newRow("LINE SEPARATOR U+2028") << u"\u2028"_s << true;
    QTest::newRow("all kinds") << u" \t\n\u00a0\u2003\u3000\u2009"_s << true;
    QTest::newRow("zero-width space U+200B is not white space") << u"\u200b"_s << false;
    QTest::newRow("ZWSP among spaces") << u" \u200b "_s << false;
    QTest::newRow("BOM U+FEFF is not white space") << u"\ufeff"_s << false;
    QTest::newRow("MONGOLIAN VOWEL SEPARATOR U+180E is not") << u"\u180e"_s << false;
    QTest::newRow("letter") << u"a"_s << false;
    QTest::newRow("letter after spaces") << u"   \u00a0x"_s << false;
    QTest::newRow("emoji") << u"👋"_s << false;
    QTest::newRow("dot") << u"."_s << false;
    QTest::newRow("U+0000") << QString(QChar(0)) << false;
}

void tst_TextRules::isBlank()
{
    QFETCH(QString, text);
    QFETCH(bool, blank);
    QCOMPARE(sanayicin::isBlank(text), blank);
}

void tst_TextRules::hasLengthBetween_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qsizetype>("min");
    QTest::addColumn<qsizetype>("max");
    QTest::addColumn<bool>("ok");
    QTest::newRow("empty, min 1") << QString() << qsizetype(1) << qsizetype(5) << false;
    QTest::newRow("empty, min 0") << QString() << qsizetype(0) << qsizetype(5) << true;
    QTest::newRow("at min") << u"a"_s << qsizetype(1) << qsizetype(5) << true;
    QTest::newRow("at max") << u"abcde"_s << qsizetype(1) << qsizetype(5) << true;
    QTest::newRow("over max") << u"abcdef"_s << qsizetype(1) << qsizetype(5) << false;
    QTest::newRow("5 emoji = 10 units, max 5") << repeat(u"😀"_s, 5) << qsizetype(1)
                                               << qsizetype(5) << true;
    QTest::newRow("6 emoji, max 5") << repeat(u"😀"_s, 6) << qsizetype(1) << qsizetype(5)
                                    << false;
    QTest::newRow("64 emoji, max 64") << repeat(u"😀"_s, 64) << qsizetype(1) << qsizetype(64)
                                      << true;
    QTest::newRow("65 emoji, max 64") << repeat(u"😀"_s, 65) << qsizetype(1) << qsizetype(64)
                                      << false;
    QTest::newRow("1 emoji, min 2") << u"😀"_s << qsizetype(2) << qsizetype(5) << false;
    QTest::newRow("2 emoji, min 2") << u"😀😀"_s << qsizetype(2) << qsizetype(5) << true;
    QTest::newRow("4000 emoji, max 4000") << repeat(u"😀"_s, 4000) << qsizetype(1)
                                          << qsizetype(4000) << true;
    QTest::newRow("4001 emoji, max 4000") << repeat(u"😀"_s, 4001) << qsizetype(1)
                                          << qsizetype(4000) << false;
    QTest::newRow("3999 emoji + 2 ascii, max 4000")
        << (repeat(u"😀"_s, 3999) + u"ab"_s) << qsizetype(1) << qsizetype(4000) << false;
    QTest::newRow("mixed exactly max") << (repeat(u"😀"_s, 3) + u"ab"_s) << qsizetype(5)
                                       << qsizetype(5) << true;
}

void tst_TextRules::hasLengthBetween()
{
    QFETCH(QString, text);
    QFETCH(qsizetype, min);
    QFETCH(qsizetype, max);
    QFETCH(bool, ok);
    QCOMPARE(sanayicin::hasLengthBetween(text, min, max), ok);
}

void tst_TextRules::isValidUsername_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("3 chars") << u"abc"_s << true;
    QTest::newRow("2 chars") << u"ab"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("32 chars") << QString(32, u'a') << true;
    QTest::newRow("33 chars") << QString(33, u'a') << false;
    QTest::newRow("all allowed") << u"a_z.0_9"_s << true;
    QTest::newRow("only dots") << u"..."_s << true;
    QTest::newRow("upper case") << u"Ali"_s << false;
    QTest::newRow("dash") << u"ali-veli"_s << false;
    QTest::newRow("space") << u"ali veli"_s << false;
    QTest::newRow("at") << u"ali@x"_s << false;
    QTest::newRow("turkish letter") << u"çağrı"_s << false;
    QTest::newRow("dotless i") << u"alı"_s << false;
    QTest::newRow("fullwidth a") << u"ａbc"_s << false;
    QTest::newRow("emoji") << u"ab😀"_s << false;
    QTest::newRow("NUL") << (u"abc"_s + QChar(0)) << false;
}

void tst_TextRules::isValidUsername()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(sanayicin::isValidUsername(name), valid);
}

void tst_TextRules::foldForSearch_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("folded");
    QTest::newRow("ascii lower") << u"abc"_s << u"abc"_s;
    QTest::newRow("ascii upper") << u"OTO TAMİR"_s << u"oto tamir"_s;
    QTest::newRow("IŞIK") << u"IŞIK"_s << u"işik"_s;
    QTest::newRow("ışık") << u"ışık"_s << u"işik"_s;
    QTest::newRow("Işık") << u"Işık"_s << u"işik"_s;
    QTest::newRow("İSTANBUL") << u"İSTANBUL"_s << u"istanbul"_s;
    QTest::newRow("istanbul") << u"istanbul"_s << u"istanbul"_s;
    QTest::newRow("decomposed İ") << u"I\u0307STANBUL"_s << u"istanbul"_s;
    QTest::newRow("i plus dot") << u"i\u0307stanbul"_s << u"istanbul"_s;
    QTest::newRow("dot after other letter kept") << u"a\u0307"_s << u"a\u0307"_s;
    QTest::newRow("ĞÜŞÖÇ") << u"ĞÜŞÖÇ"_s << u"ğüşöç"_s;
    QTest::newRow("emoji kept") << u"Usta 👋"_s << u"usta 👋"_s;
    QTest::newRow("Greek") << u"ΑΒΓ"_s << u"αβγ"_s;
    QTest::newRow("Deseret (outside BMP)") << QString::fromUcs4(U"\U00010400")
                                           << QString::fromUcs4(U"\U00010428");
    QTest::newRow("digits and punctuation") << u"A-1_%"_s << u"a-1_%"_s;
    QTest::newRow("empty") << QString() << QString();
}

void tst_TextRules::foldForSearch()
{
    QFETCH(QString, text);
    QFETCH(QString, folded);
    QCOMPARE(sanayicin::foldForSearch(text), folded);
}

void tst_TextRules::foldForSearchTurkishSpellingsMatch_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::newRow("IŞIK / ışık") << u"IŞIK"_s << u"ışık"_s;
    QTest::newRow("IŞIK / Işık") << u"IŞIK"_s << u"Işık"_s;
    QTest::newRow("ışık / Işık") << u"ışık"_s << u"Işık"_s;
    QTest::newRow("İSTANBUL / istanbul") << u"İSTANBUL"_s << u"istanbul"_s;
    QTest::newRow("İSTANBUL / ISTANBUL") << u"İSTANBUL"_s << u"ISTANBUL"_s;
    QTest::newRow("decomposed / precomposed") << u"I\u0307STANBUL"_s << u"İstanbul"_s;
    QTest::newRow("ÇİÇEK / çiçek") << u"ÇİÇEK"_s << u"çiçek"_s;
    QTest::newRow("ELEKTRİKÇİ / elektrikçi") << u"ELEKTRİKÇİ"_s << u"elektrikçi"_s;
    QTest::newRow("Diyarbakır / DIYARBAKIR") << u"Diyarbakır"_s << u"DIYARBAKIR"_s;
}

void tst_TextRules::foldForSearchTurkishSpellingsMatch()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QCOMPARE(sanayicin::foldForSearch(a), sanayicin::foldForSearch(b));
}

QTEST_APPLESS_MAIN(tst_TextRules)
#include "tst_text_rules.moc"
