// directory_store: the tradesman directory search (spec "Tradesman
// directory"), on SQLite and PostgreSQL.

#include "storage_test.h"

#include "storage/directory_store.h"
#include "text/text_rules.h"

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

// What the HTTP route builds from the query string.
store::DirectoryQuery query(const QString &q, const QString &category = {},
                            const QString &city = {}, qint64 limit = 20, qint64 offset = 0)
{
    return {foldForSearch(category), foldForSearch(city), foldForSearch(q), limit, offset};
}

QList<qint64> ids(const store::DirectoryPage &page)
{
    QList<qint64> out;
    for (const Profile &p : page.items)
        out << p.userId;
    return out;
}

} // namespace

class tst_Directory : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }

    void profileRoundTrip();
    void upsertReplaces();
    void turkishCaseInsensitiveText_data();
    void turkishCaseInsensitiveText();
    void filtersAreFolded_data();
    void filtersAreFolded();
    void likeWildcardsAreLiteral_data();
    void likeWildcardsAreLiteral();
    void pagingAndTotal();
    void bannedAndNonTradesmenHidden();
    void containsPattern_data();
    void containsPattern();

private:
    qint64 tradesman(const QString &username, const ProfileRequest &p);
    qint64 m_isik = 0, m_istanbulOto = 0, m_cilingir = 0, m_percent = 0, m_underscore = 0;
};

qint64 tst_Directory::tradesman(const QString &username, const ProfileRequest &p)
{
    const qint64 id = addUser(db(), username, Role::Tradesman);
    store::createEmptyProfile(db(), id, 1);
    store::upsertProfile(db(), id, p, 2);
    return id;
}

void tst_Directory::init()
{
    QVERIFY(openDatabase());
    m_isik = tradesman(u"isik"_s, {u"IŞIK OTO ELEKTRİK"_s, u"Oto Elektrik"_s, u"İzmir"_s,
                                   u"Bornova"_s, u"Akü ve marş dinamosu tamiri"_s});
    m_istanbulOto = tradesman(u"ist"_s, {u"Kardeşler Kaporta"_s, u"Kaporta"_s, u"İSTANBUL"_s,
                                         u"Kadıköy"_s, u"Işıklı boya, göçük düzeltme"_s});
    m_cilingir = tradesman(u"cil"_s, {u"Çilingir Ömer"_s, u"Çilingir"_s, u"istanbul"_s,
                                      u""_s, u"7/24 kapı açma; ÇELİK KAPI"_s});
    m_percent = tradesman(u"pct"_s, {u"Yüzde %50 İndirim Oto"_s, u"oto elektrik"_s, u"Ankara"_s,
                                     u""_s, u"a_b c"_s});
    m_underscore = tradesman(u"und"_s, {u"Usta_Ali Tesisat"_s, u"Tesisat"_s, u"Ankara"_s, u""_s,
                                        u"Su tesisatı"_s});
}

void tst_Directory::profileRoundTrip()
{
    const auto p = store::profileOf(db(), m_isik);
    QVERIFY(p);
    QCOMPARE(p->userId, m_isik);
    QCOMPARE(p->displayName, u"ISIK"_s); // addUser's display name
    QCOMPARE(p->businessName, u"IŞIK OTO ELEKTRİK"_s);
    QCOMPARE(p->category, u"Oto Elektrik"_s);
    QCOMPARE(p->city, u"İzmir"_s);
    QCOMPARE(p->district, u"Bornova"_s);
    QCOMPARE(p->description, u"Akü ve marş dinamosu tamiri"_s);

    QVERIFY(!store::profileOf(db(), 999999));
    const qint64 customer = addUser(db(), u"musteri"_s);
    QVERIFY(!store::profileOf(db(), customer));
}

void tst_Directory::upsertReplaces()
{
    store::upsertProfile(db(), m_isik, {u"Yeni Ad"_s, u"Kaporta"_s, u"Bursa"_s, u""_s, u""_s}, 3);
    const auto p = store::profileOf(db(), m_isik);
    QCOMPARE(p->businessName, u"Yeni Ad"_s);
    QCOMPARE(p->city, u"Bursa"_s);
    QVERIFY(p->description.isEmpty());
    // The search keys follow.
    QCOMPARE(ids(store::searchDirectory(db(), query(u"yeni"_s))), QList<qint64>{m_isik});
    QVERIFY(store::searchDirectory(db(), query(u"akü"_s)).items.isEmpty());
    QCOMPARE(ids(store::searchDirectory(db(), query({}, {}, u"BURSA"_s))), QList<qint64>{m_isik});
    QCOMPARE(scalar(db(), "SELECT count(*) FROM profiles WHERE user_id = $1", {m_isik}), 1);
}

void tst_Directory::turkishCaseInsensitiveText_data()
{
    QTest::addColumn<QString>("q");
    QTest::addColumn<QList<int>>("expected"); // indexes: 0 isik, 1 ist, 2 cil, 3 pct, 4 und
    QTest::newRow("ışık, business name upper") << u"ışık"_s << QList<int>{0, 1};
    QTest::newRow("IŞIK") << u"IŞIK"_s << QList<int>{0, 1};
    QTest::newRow("Işık") << u"Işık"_s << QList<int>{0, 1};
    QTest::newRow("elektrik vs ELEKTRİK") << u"elektrik"_s << QList<int>{0};
    QTest::newRow("ELEKTRIK dotless capital") << u"ELEKTRIK"_s << QList<int>{0};
    QTest::newRow("description, AKÜ") << u"AKÜ"_s << QList<int>{0};
    QTest::newRow("description, göçük") << u"GÖÇÜK"_s << QList<int>{1};
    QTest::newRow("ç in name and description") << u"çelik"_s << QList<int>{2};
    QTest::newRow("ÇİLİNGİR") << u"ÇİLİNGİR"_s << QList<int>{2};
    QTest::newRow("decomposed İ") << u"ÇI\u0307LI\u0307NGI\u0307R"_s << QList<int>{2};
    QTest::newRow("middle of a word") << u"porta"_s << QList<int>{1};
    QTest::newRow("punctuation") << u"7/24"_s << QList<int>{2};
    QTest::newRow("no match") << u"elektronik"_s << QList<int>{};
    QTest::newRow("city is not searched by q") << u"izmir"_s << QList<int>{};
    QTest::newRow("tesisat in a business name") << u"tesisat"_s << QList<int>{4};
    QTest::newRow("empty q matches all") << QString() << QList<int>{0, 1, 2, 3, 4};
}

void tst_Directory::turkishCaseInsensitiveText()
{
    QFETCH(QString, q);
    QFETCH(QList<int>, expected);
    const QList<qint64> all{m_isik, m_istanbulOto, m_cilingir, m_percent, m_underscore};
    QList<qint64> want;
    for (int i : expected)
        want << all[i];
    const store::DirectoryPage page = store::searchDirectory(db(), query(q));
    QCOMPARE(ids(page), want); // ordered by user id
    QCOMPARE(page.total, want.size());
}

void tst_Directory::filtersAreFolded_data()
{
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("city");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("city İSTANBUL") << QString() << u"İSTANBUL"_s << QList<int>{1, 2};
    QTest::newRow("city istanbul") << QString() << u"istanbul"_s << QList<int>{1, 2};
    QTest::newRow("city ISTANBUL") << QString() << u"ISTANBUL"_s << QList<int>{1, 2};
    QTest::newRow("city izmir") << QString() << u"izmir"_s << QList<int>{0};
    QTest::newRow("city is exact, not a prefix") << QString() << u"istan"_s << QList<int>{};
    QTest::newRow("category OTO ELEKTRİK") << u"OTO ELEKTRİK"_s << QString() << QList<int>{0, 3};
    QTest::newRow("category + city") << u"oto elektrik"_s << u"ANKARA"_s << QList<int>{3};
    QTest::newRow("category çilingir + city İstanbul") << u"ÇİLİNGİR"_s << u"İstanbul"_s
                                                       << QList<int>{2};
    QTest::newRow("no such category") << u"berber"_s << QString() << QList<int>{};
}

void tst_Directory::filtersAreFolded()
{
    QFETCH(QString, category);
    QFETCH(QString, city);
    QFETCH(QList<int>, expected);
    const QList<qint64> all{m_isik, m_istanbulOto, m_cilingir, m_percent, m_underscore};
    QList<qint64> want;
    for (int i : expected)
        want << all[i];
    QCOMPARE(ids(store::searchDirectory(db(), query({}, category, city))), want);
}

void tst_Directory::likeWildcardsAreLiteral_data()
{
    QTest::addColumn<QString>("q");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("% alone matches only a literal %") << u"%"_s << QList<int>{3};
    QTest::newRow("%50") << u"%50"_s << QList<int>{3};
    QTest::newRow("_ alone matches only a literal _") << u"_"_s << QList<int>{3, 4};
    QTest::newRow("usta_ali") << u"usta_ali"_s << QList<int>{4};
    QTest::newRow("_ is not any character") << u"k_porta"_s << QList<int>{};
    QTest::newRow("% is not any run") << u"oto%elektrik"_s << QList<int>{};
    QTest::newRow("backslash is literal") << u"\\"_s << QList<int>{};
    QTest::newRow("a_b in description") << u"A_B"_s << QList<int>{3};
}

void tst_Directory::likeWildcardsAreLiteral()
{
    QFETCH(QString, q);
    QFETCH(QList<int>, expected);
    const QList<qint64> all{m_isik, m_istanbulOto, m_cilingir, m_percent, m_underscore};
    QList<qint64> want;
    for (int i : expected)
        want << all[i];
    QCOMPARE(ids(store::searchDirectory(db(), query(q))), want);
}

void tst_Directory::pagingAndTotal()
{
    QList<qint64> everyone{m_isik, m_istanbulOto, m_cilingir, m_percent, m_underscore};
    for (int i = 0; i < 7; ++i)
        everyone << tradesman(u"extra%1"_s.arg(i),
                              {u"Ek %1"_s.arg(i), u"Kaporta"_s, u"Bursa"_s, u""_s, u""_s});
    QCOMPARE(everyone.size(), 12);

    store::DirectoryPage p = store::searchDirectory(db(), query({}, {}, {}, 5, 0));
    QCOMPARE(ids(p), everyone.mid(0, 5));
    QCOMPARE(p.total, 12);
    p = store::searchDirectory(db(), query({}, {}, {}, 5, 5));
    QCOMPARE(ids(p), everyone.mid(5, 5));
    QCOMPARE(p.total, 12);
    p = store::searchDirectory(db(), query({}, {}, {}, 5, 10));
    QCOMPARE(ids(p), everyone.mid(10, 2));
    QCOMPARE(p.total, 12);
    p = store::searchDirectory(db(), query({}, {}, {}, 5, 50));
    QVERIFY(p.items.isEmpty());
    QCOMPARE(p.total, 12);
    p = store::searchDirectory(db(), query({}, {}, {}, 100, 0));
    QCOMPARE(ids(p), everyone);
    QCOMPARE(p.total, 12);

    // With a filter the total counts the filtered set.
    p = store::searchDirectory(db(), query({}, u"KAPORTA"_s, {}, 3, 0));
    QCOMPARE(p.items.size(), 3);
    QCOMPARE(p.total, 8);
    p = store::searchDirectory(db(), query({}, u"kaporta"_s, u"bursa"_s, 3, 6));
    QCOMPARE(p.items.size(), 1);
    QCOMPARE(p.total, 7);
    // An exactly full first page still counts correctly.
    p = store::searchDirectory(db(), query({}, u"kaporta"_s, u"bursa"_s, 7, 0));
    QCOMPARE(p.items.size(), 7);
    QCOMPARE(p.total, 7);
}

void tst_Directory::bannedAndNonTradesmenHidden()
{
    QVERIFY(store::banUser(db(), m_cilingir, u"x"_s, 5));
    QCOMPARE(ids(store::searchDirectory(db(), query(u"çilingir"_s))), QList<qint64>{});
    const store::DirectoryPage all = store::searchDirectory(db(), query({}));
    QVERIFY(!ids(all).contains(m_cilingir));
    QCOMPARE(all.total, 4);
    QVERIFY(!store::profileOf(db(), m_cilingir));

    QVERIFY(store::unbanUser(db(), m_cilingir));
    QCOMPARE(ids(store::searchDirectory(db(), query(u"çilingir"_s))), QList<qint64>{m_cilingir});

    // A customer with a profile row (never written by the API, but possible)
    // is not a tradesman and never listed.
    const qint64 customer = addUser(db(), u"musteri"_s);
    store::upsertProfile(db(), customer, {u"Sahte Çilingir"_s, u"Çilingir"_s, u"İstanbul"_s,
                                          u""_s, u""_s}, 9);
    QCOMPARE(ids(store::searchDirectory(db(), query(u"çilingir"_s))), QList<qint64>{m_cilingir});
    QVERIFY(!store::profileOf(db(), customer));
}

void tst_Directory::containsPattern_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pattern");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("plain") << u"abc"_s << u"%abc%"_s;
    QTest::newRow("percent") << u"50%"_s << u"%50\\%%"_s;
    QTest::newRow("underscore") << u"a_b"_s << u"%a\\_b%"_s;
    QTest::newRow("backslash") << u"a\\b"_s << u"%a\\\\b%"_s;
}

void tst_Directory::containsPattern()
{
    QFETCH(QString, text);
    QFETCH(QString, pattern);
    QCOMPARE(store::containsPattern(text), pattern);
}

QTEST_GUILESS_MAIN(tst_Directory)
#include "tst_directory.moc"
