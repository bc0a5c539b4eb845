// HTTP request bodies (spec "HTTP API"): decoding, and each parser's field
// rules, lengths counted in code points.

#include "protocol/http_bodies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

QJsonObject registerBody()
{
    return {{u"username"_s, u"ali.usta_1"_s},
            {u"password"_s, u"correct horse"_s},
            {u"display_name"_s, u"Ali Usta"_s},
            {u"role"_s, u"tradesman"_s}};
}

QJsonObject profileBody()
{
    return {{u"business_name"_s, u"Işık Oto Elektrik"_s},
            {u"category"_s, u"Oto Elektrik"_s},
            {u"city"_s, u"İstanbul"_s},
            {u"district"_s, u"Kadıköy"_s},
            {u"description"_s, u"Akü, marş, şarj dinamosu"_s}};
}

} // namespace

class tst_HttpBodies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodeJsonObject_data();
    void decodeJsonObject();
    void registerValid();
    void registerFields_data();
    void registerFields();
    void login_data();
    void login();
    void profile_data();
    void profile();
    void profileOptionalFieldsDefaultToEmpty();
    void postMessage_data();
    void postMessage();
    void idField_data();
    void idField();
    void reason_data();
    void reason();
};

void tst_HttpBodies::decodeJsonObject_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    const QByteArray obj(R"({"a":1})");
    QTest::newRow("application/json") << QByteArray("application/json") << obj << true;
    QTest::newRow("with charset") << QByteArray("application/json; charset=utf-8") << obj << true;
    QTest::newRow("charset no space") << QByteArray("application/json;charset=UTF-8") << obj << true;
    QTest::newRow("upper case") << QByteArray("Application/JSON") << obj << true;
    QTest::newRow("spaces around") << QByteArray("  application/json  ") << obj << true;
    QTest::newRow("empty object") << QByteArray("application/json") << QByteArray("{}") << true;
    QTest::newRow("text/plain") << QByteArray("text/plain") << obj << false;
    QTest::newRow("text/plain json-ish") << QByteArray("text/plain; charset=utf-8") << obj << false;
    QTest::newRow("no content type") << QByteArray() << obj << false;
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << obj << false;
    QTest::newRow("json prefix only") << QByteArray("application/jsonx") << obj << false;
    QTest::newRow("json suffix type") << QByteArray("application/problem+json") << obj << false;
    QTest::newRow("invalid JSON") << QByteArray("application/json") << QByteArray("{a:1}") << false;
    QTest::newRow("truncated") << QByteArray("application/json") << QByteArray(R"({"a":)") << false;
    QTest::newRow("empty body") << QByteArray("application/json") << QByteArray() << false;
    QTest::newRow("array") << QByteArray("application/json") << QByteArray("[1]") << false;
    QTest::newRow("string") << QByteArray("application/json") << QByteArray(R"("x")") << false;
    QTest::newRow("number") << QByteArray("application/json") << QByteArray("1") << false;
    QTest::newRow("invalid UTF-8") << QByteArray("application/json")
                                   << QByteArray("{\"a\":\"\xff\xfe\"}") << false;
    // RFC 8259: control characters in strings must be escaped.
    for (int c = 0; c < 0x20; ++c) {
        QTest::addRow("raw U+%04X in a string", c)
            << QByteArray("application/json") << QByteArray("{\"a\":\"x" + QByteArray(1, char(c)) + "\"}")
            << false;
        QTest::addRow("escaped U+%04X", c)
            << QByteArray("application/json")
            << QByteArray("{\"a\":\"x\\u00" + QByteArray::number(c, 16).rightJustified(2, '0') + "\"}")
            << true;
    }
    QTest::newRow("raw U+007F") << QByteArray("application/json") << QByteArray("{\"a\":\"\x7f\"}") << true;
    QTest::newRow("lone high surrogate") << QByteArray("application/json")
                                         << QByteArray(R"({"a":"x\ud800"})") << false;
    QTest::newRow("lone low surrogate") << QByteArray("application/json")
                                        << QByteArray(R"({"a":"\udc00x"})") << false;
    QTest::newRow("surrogate pair") << QByteArray("application/json")
                                    << QByteArray(R"({"a":"\ud83d\ude00"})") << true;
    QTest::newRow("duplicate key") << QByteArray("application/json")
                                   << QByteArray(R"({"password":"a","password":"b"})") << false;
}

void tst_HttpBodies::decodeJsonObject()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QString error;
    const auto o = sanayicin::decodeJsonObject(contentType, body, error);
    QCOMPARE(o.has_value(), ok);
    QCOMPARE(error.isEmpty(), ok);
    if (ok)
        QCOMPARE(*o, QJsonDocument::fromJson(body).object());
}

void tst_HttpBodies::registerValid()
{
    QString error;
    const auto r = parseRegister(registerBody(), error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->username, u"ali.usta_1"_s);
    QCOMPARE(r->password, u"correct horse"_s);
    QCOMPARE(r->displayName, u"Ali Usta"_s);
    QCOMPARE(r->role, Role::Tradesman);

    QJsonObject customer = registerBody();
    customer[u"role"_s] = u"customer"_s;
    QCOMPARE(parseRegister(customer, error)->role, Role::Customer);
}

void tst_HttpBodies::registerFields_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value"); // Undefined: the field is left out
    QTest::addColumn<bool>("ok");

    QTest::newRow("username 3") << u"username"_s << QJsonValue(u"abc"_s) << true;
    QTest::newRow("username 2") << u"username"_s << QJsonValue(u"ab"_s) << false;
    QTest::newRow("username 32") << u"username"_s << QJsonValue(QString(32, u'a')) << true;
    QTest::newRow("username 33") << u"username"_s << QJsonValue(QString(33, u'a')) << false;
    QTest::newRow("username upper") << u"username"_s << QJsonValue(u"Ali"_s) << false;
    QTest::newRow("username dash") << u"username"_s << QJsonValue(u"ali-usta"_s) << false;
    QTest::newRow("username turkish") << u"username"_s << QJsonValue(u"ışık"_s) << false;
    QTest::newRow("username empty") << u"username"_s << QJsonValue(QString()) << false;
    QTest::newRow("username number") << u"username"_s << QJsonValue(123) << false;
    QTest::newRow("username missing") << u"username"_s << QJsonValue(QJsonValue::Undefined) << false;

    QTest::newRow("password 7") << u"password"_s << QJsonValue(u"1234567"_s) << false;
    QTest::newRow("password 8") << u"password"_s << QJsonValue(u"12345678"_s) << true;
    QTest::newRow("password 128") << u"password"_s << QJsonValue(QString(128, u'p')) << true;
    QTest::newRow("password 129") << u"password"_s << QJsonValue(QString(129, u'p')) << false;
    QTest::newRow("password 8 emoji") << u"password"_s << QJsonValue(u"🔑"_s.repeated(8)) << true;
    QTest::newRow("password 7 emoji (14 units)") << u"password"_s
                                                 << QJsonValue(u"🔑"_s.repeated(7)) << false;
    QTest::newRow("password 128 emoji") << u"password"_s << QJsonValue(u"🔑"_s.repeated(128))
                                        << true;
    QTest::newRow("password 129 emoji") << u"password"_s << QJsonValue(u"🔑"_s.repeated(129))
                                        << false;
    QTest::newRow("password spaces count") << u"password"_s << QJsonValue(u"        "_s) << true;
    QTest::newRow("password with U+0000") << u"password"_s
                                          << QJsonValue(u"12345678"_s + QChar(0)) << false;
    QTest::newRow("password missing") << u"password"_s << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("password number") << u"password"_s << QJsonValue(12345678) << false;

    QTest::newRow("display_name 1") << u"display_name"_s << QJsonValue(u"A"_s) << true;
    QTest::newRow("display_name empty") << u"display_name"_s << QJsonValue(QString()) << false;
    QTest::newRow("display_name 64") << u"display_name"_s << QJsonValue(QString(64, u'd')) << true;
    QTest::newRow("display_name 65") << u"display_name"_s << QJsonValue(QString(65, u'd'))
                                     << false;
    QTest::newRow("display_name 64 emoji") << u"display_name"_s
                                           << QJsonValue(u"😀"_s.repeated(64)) << true;
    QTest::newRow("display_name 65 emoji") << u"display_name"_s
                                           << QJsonValue(u"😀"_s.repeated(65)) << false;
    QTest::newRow("display_name missing") << u"display_name"_s
                                          << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("display_name null") << u"display_name"_s << QJsonValue(QJsonValue::Null)
                                       << false;

    QTest::newRow("role customer") << u"role"_s << QJsonValue(u"customer"_s) << true;
    QTest::newRow("role tradesman") << u"role"_s << QJsonValue(u"tradesman"_s) << true;
    QTest::newRow("role admin") << u"role"_s << QJsonValue(u"admin"_s) << false;
    QTest::newRow("role missing") << u"role"_s << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("role null") << u"role"_s << QJsonValue(QJsonValue::Null) << false;
    QTest::newRow("role empty") << u"role"_s << QJsonValue(QString()) << false;
    QTest::newRow("role other") << u"role"_s << QJsonValue(u"moderator"_s) << false;
    QTest::newRow("role upper case") << u"role"_s << QJsonValue(u"Customer"_s) << false;
    QTest::newRow("role number") << u"role"_s << QJsonValue(1) << false;
}

void tst_HttpBodies::registerFields()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(bool, ok);
    QJsonObject body = registerBody();
    if (value.isUndefined())
        body.remove(field);
    else
        body[field] = value;
    QString error;
    const auto r = parseRegister(body, error);
    QCOMPARE(r.has_value(), ok);
    if (ok) {
        QVERIFY(error.isEmpty());
    } else {
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(field), qPrintable(error)); // names the field at fault
    }
}

void tst_HttpBodies::login_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("ok");
    QTest::newRow("both") << QJsonObject{{u"username"_s, u"ali"_s}, {u"password"_s, u"x"_s}}
                          << true;
    // Login does not re-check the register rules: a wrong one is just a 401.
    QTest::newRow("odd username still parses")
        << QJsonObject{{u"username"_s, u"Ali Veli"_s}, {u"password"_s, u"short"_s}} << true;
    QTest::newRow("no password") << QJsonObject{{u"username"_s, u"ali"_s}} << false;
    QTest::newRow("no username") << QJsonObject{{u"password"_s, u"x"_s}} << false;
    QTest::newRow("password number")
        << QJsonObject{{u"username"_s, u"ali"_s}, {u"password"_s, 5}} << false;
    QTest::newRow("username array")
        << QJsonObject{{u"username"_s, QJsonArray{}}, {u"password"_s, u"x"_s}} << false;
}

void tst_HttpBodies::login()
{
    QFETCH(QJsonObject, body);
    QFETCH(bool, ok);
    QString error;
    const auto r = parseLogin(body, error);
    QCOMPARE(r.has_value(), ok);
    QCOMPARE(error.isEmpty(), ok);
    if (ok) {
        QCOMPARE(r->username, body.value(u"username"_s).toString());
        QCOMPARE(r->password, body.value(u"password"_s).toString());
    }
}

void tst_HttpBodies::profile_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("ok");

    QTest::newRow("business_name 120") << u"business_name"_s << QJsonValue(QString(120, u'b'))
                                       << true;
    QTest::newRow("business_name 121") << u"business_name"_s << QJsonValue(QString(121, u'b'))
                                       << false;
    QTest::newRow("business_name 120 emoji") << u"business_name"_s
                                             << QJsonValue(u"🔧"_s.repeated(120)) << true;
    QTest::newRow("business_name empty") << u"business_name"_s << QJsonValue(QString()) << false;
    QTest::newRow("business_name blank NBSP") << u"business_name"_s
                                              << QJsonValue(u" \u00a0 "_s) << false;
    QTest::newRow("business_name missing") << u"business_name"_s
                                           << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("business_name number") << u"business_name"_s << QJsonValue(1) << false;
    QTest::newRow("category 64") << u"category"_s << QJsonValue(QString(64, u'c')) << true;
    QTest::newRow("category 65") << u"category"_s << QJsonValue(QString(65, u'c')) << false;
    QTest::newRow("category blank") << u"category"_s << QJsonValue(u"\t"_s) << false;
    QTest::newRow("category missing") << u"category"_s << QJsonValue(QJsonValue::Undefined)
                                      << false;
    QTest::newRow("city 64") << u"city"_s << QJsonValue(QString(64, u'c')) << true;
    QTest::newRow("city 65") << u"city"_s << QJsonValue(QString(65, u'c')) << false;
    QTest::newRow("city empty") << u"city"_s << QJsonValue(QString()) << false;
    QTest::newRow("city missing") << u"city"_s << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("district empty") << u"district"_s << QJsonValue(QString()) << true;
    QTest::newRow("district missing") << u"district"_s << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("district null") << u"district"_s << QJsonValue(QJsonValue::Null) << true;
    QTest::newRow("district 64") << u"district"_s << QJsonValue(QString(64, u'd')) << true;
    QTest::newRow("district 65") << u"district"_s << QJsonValue(QString(65, u'd')) << false;
    QTest::newRow("district number") << u"district"_s << QJsonValue(3) << false;
    QTest::newRow("description missing") << u"description"_s
                                         << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("description 2000") << u"description"_s << QJsonValue(QString(2000, u'x'))
                                      << true;
    QTest::newRow("description 2001") << u"description"_s << QJsonValue(QString(2001, u'x'))
                                      << false;
    QTest::newRow("description 2000 emoji") << u"description"_s
                                            << QJsonValue(u"🔧"_s.repeated(2000)) << true;
    QTest::newRow("description 2001 emoji") << u"description"_s
                                            << QJsonValue(u"🔧"_s.repeated(2001)) << false;
    QTest::newRow("description with U+0000")
        << u"description"_s << QJsonValue(u"a"_s + QChar(0)) << false;
    QTest::newRow("description object") << u"description"_s << QJsonValue(QJsonObject{}) << false;
}

void tst_HttpBodies::profile()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(bool, ok);
    QJsonObject body = profileBody();
    if (value.isUndefined())
        body.remove(field);
    else
        body[field] = value;
    QString error;
    const auto p = parseProfile(body, error);
    QCOMPARE(p.has_value(), ok);
    if (!ok)
        QVERIFY2(error.contains(field), qPrintable(error));
    else
        QVERIFY(error.isEmpty());
}

void tst_HttpBodies::profileOptionalFieldsDefaultToEmpty()
{
    QString error;
    const auto full = parseProfile(profileBody(), error);
    QVERIFY(full);
    QCOMPARE(full->businessName, u"Işık Oto Elektrik"_s);
    QCOMPARE(full->category, u"Oto Elektrik"_s);
    QCOMPARE(full->city, u"İstanbul"_s);
    QCOMPARE(full->district, u"Kadıköy"_s);
    QCOMPARE(full->description, u"Akü, marş, şarj dinamosu"_s);

    QJsonObject body = profileBody();
    body.remove(u"district"_s);
    body[u"description"_s] = QJsonValue::Null;
    const auto p = parseProfile(body, error);
    QVERIFY(p);
    QVERIFY(p->district.isEmpty());
    QVERIFY(p->description.isEmpty());
}

void tst_HttpBodies::postMessage_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("ok");
    QTest::newRow("valid") << QJsonObject{{u"body"_s, u"Selam 👋"_s}, {u"client_msg_id"_s, u"c1"_s}}
                           << true;
    QTest::newRow("4000 emoji")
        << QJsonObject{{u"body"_s, u"😀"_s.repeated(4000)}, {u"client_msg_id"_s, u"c"_s}} << true;
    QTest::newRow("4001 emoji")
        << QJsonObject{{u"body"_s, u"😀"_s.repeated(4001)}, {u"client_msg_id"_s, u"c"_s}} << false;
    QTest::newRow("blank NBSP body")
        << QJsonObject{{u"body"_s, u"\u00a0\u00a0"_s}, {u"client_msg_id"_s, u"c"_s}} << false;
    QTest::newRow("empty body") << QJsonObject{{u"body"_s, u""_s}, {u"client_msg_id"_s, u"c"_s}}
                                << false;
    QTest::newRow("no body") << QJsonObject{{u"client_msg_id"_s, u"c"_s}} << false;
    QTest::newRow("no client_msg_id") << QJsonObject{{u"body"_s, u"x"_s}} << false;
    QTest::newRow("client_msg_id 64 emoji")
        << QJsonObject{{u"body"_s, u"x"_s}, {u"client_msg_id"_s, u"😀"_s.repeated(64)}} << true;
    QTest::newRow("client_msg_id 65")
        << QJsonObject{{u"body"_s, u"x"_s}, {u"client_msg_id"_s, QString(65, u'c')}} << false;
    QTest::newRow("client_msg_id number")
        << QJsonObject{{u"body"_s, u"x"_s}, {u"client_msg_id"_s, 5}} << false;
    QTest::newRow("body with U+0000")
        << QJsonObject{{u"body"_s, u"a"_s + QChar(0)}, {u"client_msg_id"_s, u"c"_s}} << false;
}

void tst_HttpBodies::postMessage()
{
    QFETCH(QJsonObject, body);
    QFETCH(bool, ok);
    QString error;
    const auto m = parsePostMessage(body, error);
    QCOMPARE(m.has_value(), ok);
    QCOMPARE(error.isEmpty(), ok);
    if (ok) {
        QCOMPARE(m->body, body.value(u"body"_s).toString());
        QCOMPARE(m->clientMsgId, body.value(u"client_msg_id"_s).toString());
    }
}

void tst_HttpBodies::idField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("id");
    QTest::newRow("5") << QByteArray(R"({"peer_id":5})") << true << qint64(5);
    QTest::newRow("2^53-1") << QByteArray(R"({"peer_id":9007199254740991})") << true
                            << qint64(9007199254740991LL);
    QTest::newRow("2^53+1") << QByteArray(R"({"peer_id":9007199254740993})") << true
                            << qint64(9007199254740993LL);
    QTest::newRow("2^63") << QByteArray(R"({"peer_id":9223372036854775808})") << false << qint64(0);
    QTest::newRow("0") << QByteArray(R"({"peer_id":0})") << false << qint64(0);
    QTest::newRow("-3") << QByteArray(R"({"peer_id":-3})") << false << qint64(0);
    QTest::newRow("1.5") << QByteArray(R"({"peer_id":1.5})") << false << qint64(0);
    QTest::newRow("\"5\"") << QByteArray(R"({"peer_id":"5"})") << false << qint64(0);
    QTest::newRow("null") << QByteArray(R"({"peer_id":null})") << false << qint64(0);
    QTest::newRow("missing") << QByteArray(R"({"peer":5})") << false << qint64(0);
}

void tst_HttpBodies::idField()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(qint64, id);
    QString error;
    const auto v = parseIdField(QJsonDocument::fromJson(json).object(), "peer_id", error);
    QCOMPARE(v.has_value(), ok);
    if (ok)
        QCOMPARE(*v, id);
    else
        QVERIFY2(error.contains(u"peer_id"_s), qPrintable(error));
}

void tst_HttpBodies::reason_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("required");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("reason");
    QTest::newRow("required, given") << QJsonObject{{u"reason"_s, u"hakaret"_s}} << true << true
                                     << u"hakaret"_s;
    QTest::newRow("required, missing") << QJsonObject{} << true << false << QString();
    QTest::newRow("required, null") << QJsonObject{{u"reason"_s, QJsonValue::Null}} << true
                                    << false << QString();
    QTest::newRow("required, empty") << QJsonObject{{u"reason"_s, u""_s}} << true << false
                                     << QString();
    QTest::newRow("required, blank") << QJsonObject{{u"reason"_s, u" \u00a0\n"_s}} << true
                                     << false << QString();
    QTest::newRow("required, 1000") << QJsonObject{{u"reason"_s, QString(1000, u'r')}} << true
                                    << true << QString(1000, u'r');
    QTest::newRow("required, 1001") << QJsonObject{{u"reason"_s, QString(1001, u'r')}} << true
                                    << false << QString();
    QTest::newRow("required, number") << QJsonObject{{u"reason"_s, 3}} << true << false
                                      << QString();
    QTest::newRow("optional, missing") << QJsonObject{} << false << true << QString();
    QTest::newRow("optional, null") << QJsonObject{{u"reason"_s, QJsonValue::Null}} << false
                                    << true << QString();
    QTest::newRow("optional, empty") << QJsonObject{{u"reason"_s, u""_s}} << false << true
                                     << QString();
    QTest::newRow("optional, given") << QJsonObject{{u"reason"_s, u"spam"_s}} << false << true
                                     << u"spam"_s;
    QTest::newRow("optional, 1001") << QJsonObject{{u"reason"_s, QString(1001, u'r')}} << false
                                    << false << QString();
    QTest::newRow("optional, number") << QJsonObject{{u"reason"_s, 3}} << false << false
                                      << QString();
}

void tst_HttpBodies::reason()
{
    QFETCH(QJsonObject, body);
    QFETCH(bool, required);
    QFETCH(bool, ok);
    QFETCH(QString, reason);
    QString error;
    const auto r = parseReason(body, required, error);
    QCOMPARE(r.has_value(), ok);
    if (ok)
        QCOMPARE(*r, reason);
    else
        QVERIFY2(error.contains(u"reason"_s), qPrintable(error));
}

QTEST_APPLESS_MAIN(tst_HttpBodies)
#include "tst_http_bodies.moc"
