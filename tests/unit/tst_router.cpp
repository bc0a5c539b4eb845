// Router::match: exact segments, {id} and {name} placeholders, methods;
// pathId and Route::idsExist: which {id} values name something that can
// exist (1 to 2^63 - 1, no leading zeros).

#include "http/router.h"

#include <QtTest>
#include <limits>

using namespace sanayicin;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(sanayicin::HttpMethod)

class tst_Router : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void match_data();
    void match();
    void firstMatchingRouteWins();
    void paramsUntouchedWithoutMatch();
    void pathIds_data();
    void pathIds();
    void idsExistChecksEveryIdCapture();

private:
    Router m_router;
};

void tst_Router::initTestCase()
{
    const auto none = [](const CallPtr &) {};
    m_router.add(HttpMethod::Get, "/api/v1/me", Access::User, none);
    m_router.add(HttpMethod::Get, "/api/v1/conversations/{id}", Access::User, none);
    m_router.add(HttpMethod::Get, "/api/v1/conversations/{id}/messages", Access::User, none);
    m_router.add(HttpMethod::Post, "/api/v1/conversations/{id}/messages", Access::User, none);
    m_router.add(HttpMethod::Delete, "/api/v1/admin/messages/{id}", Access::Admin, none);
    m_router.add(HttpMethod::Post, "/api/v1/admin/users/{id}/ban", Access::Admin, none);
    m_router.add(HttpMethod::Get, "/static/{name}", Access::Public, none);
    m_router.add(HttpMethod::Get, "/", Access::Public, none);
}

void tst_Router::match_data()
{
    QTest::addColumn<HttpMethod>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("pattern"); // empty: no match
    QTest::addColumn<QStringList>("params");

    const QByteArray conv("/api/v1/conversations/{id}");
    const QByteArray msgs("/api/v1/conversations/{id}/messages");
    const QByteArray stat("/static/{name}");

    QTest::newRow("exact") << HttpMethod::Get << u"/api/v1/me"_s << QByteArray("/api/v1/me")
                           << QStringList();
    QTest::newRow("root") << HttpMethod::Get << u"/"_s << QByteArray("/") << QStringList();
    QTest::newRow("id") << HttpMethod::Get << u"/api/v1/conversations/42"_s << conv
                        << QStringList{u"42"_s};
    QTest::newRow("id then segment, GET") << HttpMethod::Get
                                          << u"/api/v1/conversations/7/messages"_s << msgs
                                          << QStringList{u"7"_s};
    QTest::newRow("id then segment, POST") << HttpMethod::Post
                                           << u"/api/v1/conversations/7/messages"_s << msgs
                                           << QStringList{u"7"_s};
    QTest::newRow("18-digit id") << HttpMethod::Get
                                 << u"/api/v1/conversations/123456789012345678"_s << conv
                                 << QStringList{u"123456789012345678"_s};
    // Every run of digits matches, so that access checks run whatever the
    // id; Route::idsExist then tells the ones that can name something.
    QTest::newRow("19-digit id") << HttpMethod::Get
                                 << u"/api/v1/conversations/1234567890123456789"_s << conv
                                 << QStringList{u"1234567890123456789"_s};
    QTest::newRow("2^63-1") << HttpMethod::Get << u"/api/v1/conversations/9223372036854775807"_s
                            << conv << QStringList{u"9223372036854775807"_s};
    QTest::newRow("2^63") << HttpMethod::Get << u"/api/v1/conversations/9223372036854775808"_s
                          << conv << QStringList{u"9223372036854775808"_s};
    QTest::newRow("20 digits") << HttpMethod::Get
                               << u"/api/v1/conversations/99999999999999999999"_s << conv
                               << QStringList{u"99999999999999999999"_s};
    QTest::newRow("id 0") << HttpMethod::Get << u"/api/v1/conversations/0"_s << conv
                          << QStringList{u"0"_s};
    QTest::newRow("id leading zero") << HttpMethod::Get << u"/api/v1/conversations/012"_s
                                     << conv << QStringList{u"012"_s};
    QTest::newRow("id negative") << HttpMethod::Get << u"/api/v1/conversations/-1"_s
                                 << QByteArray() << QStringList();
    QTest::newRow("id plus") << HttpMethod::Get << u"/api/v1/conversations/+1"_s << QByteArray()
                             << QStringList();
    QTest::newRow("id fraction") << HttpMethod::Get << u"/api/v1/conversations/1.5"_s
                                 << QByteArray() << QStringList();
    QTest::newRow("id letters") << HttpMethod::Get << u"/api/v1/conversations/abc"_s
                                << QByteArray() << QStringList();
    QTest::newRow("id hex") << HttpMethod::Get << u"/api/v1/conversations/0x1f"_s
                            << QByteArray() << QStringList();
    QTest::newRow("id empty") << HttpMethod::Get << u"/api/v1/conversations/"_s << QByteArray()
                              << QStringList();
    QTest::newRow("id arabic-indic digit") << HttpMethod::Get
                                           << u"/api/v1/conversations/\u0663"_s << QByteArray()
                                           << QStringList();
    QTest::newRow("trailing slash") << HttpMethod::Get << u"/api/v1/me/"_s << QByteArray()
                                    << QStringList();
    QTest::newRow("trailing slash after id") << HttpMethod::Get
                                             << u"/api/v1/conversations/5/"_s << QByteArray()
                                             << QStringList();
    QTest::newRow("double slash") << HttpMethod::Get << u"/api/v1//me"_s << QByteArray()
                                  << QStringList();
    QTest::newRow("case matters") << HttpMethod::Get << u"/API/v1/me"_s << QByteArray()
                                  << QStringList();
    QTest::newRow("prefix only") << HttpMethod::Get << u"/api/v1"_s << QByteArray()
                                 << QStringList();
    QTest::newRow("longer path") << HttpMethod::Get << u"/api/v1/me/x"_s << QByteArray()
                                 << QStringList();
    QTest::newRow("method mismatch PUT") << HttpMethod::Put << u"/api/v1/me"_s << QByteArray()
                                         << QStringList();
    QTest::newRow("method mismatch POST") << HttpMethod::Post
                                          << u"/api/v1/conversations/5"_s << QByteArray()
                                          << QStringList();
    QTest::newRow("HEAD is not GET") << HttpMethod::Head << u"/api/v1/me"_s << QByteArray()
                                     << QStringList();
    QTest::newRow("DELETE admin message") << HttpMethod::Delete
                                          << u"/api/v1/admin/messages/99"_s
                                          << QByteArray("/api/v1/admin/messages/{id}")
                                          << QStringList{u"99"_s};
    QTest::newRow("ban") << HttpMethod::Post << u"/api/v1/admin/users/3/ban"_s
                         << QByteArray("/api/v1/admin/users/{id}/ban") << QStringList{u"3"_s};

    QTest::newRow("name") << HttpMethod::Get << u"/static/app.js"_s << stat
                          << QStringList{u"app.js"_s};
    QTest::newRow("name with dash underscore") << HttpMethod::Get << u"/static/a-b_C.9.css"_s
                                               << stat << QStringList{u"a-b_C.9.css"_s};
    QTest::newRow("name inner dots") << HttpMethod::Get << u"/static/a..b"_s << stat
                                     << QStringList{u"a..b"_s};
    QTest::newRow("name leading dot") << HttpMethod::Get << u"/static/.env"_s << QByteArray()
                                      << QStringList();
    QTest::newRow("name dot-dot") << HttpMethod::Get << u"/static/.."_s << QByteArray()
                                  << QStringList();
    QTest::newRow("name with slash") << HttpMethod::Get << u"/static/a/b.js"_s << QByteArray()
                                     << QStringList();
    QTest::newRow("name traversal") << HttpMethod::Get << u"/static/../etc/passwd"_s
                                    << QByteArray() << QStringList();
    QTest::newRow("name backslash") << HttpMethod::Get << u"/static/a\\b"_s << QByteArray()
                                    << QStringList();
    QTest::newRow("name percent") << HttpMethod::Get << u"/static/%2e%2e"_s << QByteArray()
                                  << QStringList();
    QTest::newRow("name empty") << HttpMethod::Get << u"/static/"_s << QByteArray()
                                << QStringList();
    QTest::newRow("name non-ASCII") << HttpMethod::Get << u"/static/ş.js"_s << QByteArray()
                                    << QStringList();
    QTest::newRow("name 100 chars") << HttpMethod::Get << (u"/static/"_s + QString(100, u'a'))
                                    << stat << QStringList{QString(100, u'a')};
    QTest::newRow("name 101 chars") << HttpMethod::Get << (u"/static/"_s + QString(101, u'a'))
                                    << QByteArray() << QStringList();
}

void tst_Router::match()
{
    QFETCH(HttpMethod, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, pattern);
    QFETCH(QStringList, params);
    QStringList captured{u"stale"_s};
    const Route *r = m_router.match(method, path, captured);
    if (pattern.isEmpty()) {
        QVERIFY2(!r, r ? r->pattern.constData() : "");
        return;
    }
    QVERIFY(r);
    QCOMPARE(r->pattern, pattern);
    QCOMPARE(r->method, method);
    QCOMPARE(captured, params);
}

void tst_Router::firstMatchingRouteWins()
{
    Router router;
    int which = 0;
    router.add(HttpMethod::Get, "/a/{id}", Access::Public, [&](const CallPtr &) { which = 1; });
    router.add(HttpMethod::Get, "/a/{name}", Access::Public, [&](const CallPtr &) { which = 2; });
    QStringList params;
    const Route *byId = router.match(HttpMethod::Get, u"/a/5"_s, params);
    QVERIFY(byId);
    byId->handler(nullptr);
    QCOMPARE(which, 1);
    const Route *byName = router.match(HttpMethod::Get, u"/a/x.txt"_s, params);
    QVERIFY(byName);
    byName->handler(nullptr);
    QCOMPARE(which, 2);
    QCOMPARE(params, QStringList{u"x.txt"_s});
    QCOMPARE(byName->access, Access::Public);
}

void tst_Router::paramsUntouchedWithoutMatch()
{
    QStringList params{u"keep"_s};
    QVERIFY(!m_router.match(HttpMethod::Get, u"/nowhere"_s, params));
    QCOMPARE(params, QStringList{u"keep"_s});
}

void tst_Router::pathIds_data()
{
    QTest::addColumn<QString>("segment");
    QTest::addColumn<qint64>("id"); // 0: names nothing
    QTest::newRow("1") << u"1"_s << qint64(1);
    QTest::newRow("42") << u"42"_s << qint64(42);
    QTest::newRow("18 digits") << u"123456789012345678"_s << qint64(123456789012345678);
    QTest::newRow("19 digits") << u"1234567890123456789"_s << qint64(1234567890123456789);
    QTest::newRow("2^53+1") << u"9007199254740993"_s << qint64(9007199254740993);
    QTest::newRow("2^63-1") << u"9223372036854775807"_s
                            << std::numeric_limits<qint64>::max();
    QTest::newRow("2^63") << u"9223372036854775808"_s << qint64(0);
    QTest::newRow("2^63+9") << u"9223372036854775817"_s << qint64(0);
    QTest::newRow("9999999999999999999") << u"9999999999999999999"_s << qint64(0);
    QTest::newRow("2^64-1") << u"18446744073709551615"_s << qint64(0);
    QTest::newRow("2^64") << u"18446744073709551616"_s << qint64(0);
    QTest::newRow("2^64+2^63 (wraps to 2^63 in 64 bits)") << u"27670116110564327424"_s
                                                          << qint64(0);
    QTest::newRow("100 digits") << QString(100, u'9') << qint64(0);
    QTest::newRow("0") << u"0"_s << qint64(0);
    QTest::newRow("00") << u"00"_s << qint64(0);
    QTest::newRow("leading zero") << u"07"_s << qint64(0);
    QTest::newRow("empty") << QString() << qint64(0);
    QTest::newRow("minus") << u"-1"_s << qint64(0);
    QTest::newRow("plus") << u"+1"_s << qint64(0);
    QTest::newRow("space") << u" 1"_s << qint64(0);
    QTest::newRow("letter") << u"1a"_s << qint64(0);
    QTest::newRow("fullwidth digit") << u"\uFF11"_s << qint64(0);
}

void tst_Router::pathIds()
{
    QFETCH(QString, segment);
    QFETCH(qint64, id);
    QCOMPARE(pathId(segment), id);
    HttpRequest req;
    req.params = QStringList{segment};
    QCOMPARE(req.idParam(0), id);
}

void tst_Router::idsExistChecksEveryIdCapture()
{
    Router router;
    router.add(HttpMethod::Get, "/a/{id}/b/{name}/c/{id}", Access::Admin, [](const CallPtr &) {});
    QStringList params;
    const Route *r = router.match(HttpMethod::Get, u"/a/5/b/x.txt/c/9223372036854775807"_s, params);
    QVERIFY(r);
    QCOMPARE(r->idCaptures, (QList<int>{0, 2}));
    QVERIFY(r->idsExist(params));
    r = router.match(HttpMethod::Get, u"/a/5/b/x.txt/c/9223372036854775808"_s, params);
    QVERIFY(r);
    QVERIFY(!r->idsExist(params));
    r = router.match(HttpMethod::Get, u"/a/0/b/x.txt/c/1"_s, params);
    QVERIFY(r);
    QVERIFY(!r->idsExist(params));
    // {name} captures are not ids.
    Router names;
    names.add(HttpMethod::Get, "/f/{name}", Access::Public, [](const CallPtr &) {});
    r = names.match(HttpMethod::Get, u"/f/000"_s, params);
    QVERIFY(r);
    QVERIFY(r->idsExist(params));
}

QTEST_APPLESS_MAIN(tst_Router)
#include "tst_router.moc"
