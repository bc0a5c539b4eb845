// The HTTP API against the real daemon on PostgreSQL: every endpoint of the
// contract (docs/protocol.md, "HTTP API") and
// every error it can answer, checked to the letter: statuses, error bodies,
// object shapes, limits, and what HTTP calls do to open WebSockets.

#include "daemon_process.h"
#include "http_client.h"
#include "test_env.h"
#include "ws_client.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QtTest>

using namespace sanayicin::test;

namespace {

const QString kPassword = QStringLiteral("password123");

QString unique(const char *prefix)
{
    static int counter = 0;
    return QStringLiteral("%1_%2").arg(QLatin1StringView(prefix)).arg(++counter);
}

QString repeat(const QString &s, int n)
{
    QString out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

bool isTime(const QJsonValue &v)
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"));
    return v.isString() && re.match(v.toString()).hasMatch();
}

QSet<QString> keysOf(const QJsonObject &o)
{
    const QStringList k = o.keys();
    return QSet<QString>(k.begin(), k.end());
}

QSet<QString> setOf(std::initializer_list<const char *> names)
{
    QSet<QString> out;
    for (const char *n : names)
        out.insert(QString::fromLatin1(n));
    return out;
}

// Text that must never reach a client in an error.
bool leaks(const QByteArray &body)
{
    static const QRegularExpression re(
        QStringLiteral("select\\s|insert\\s+into|update\\s+\\w+\\s+set|delete\\s+from|sqlstate|"
                       "syntax error|postgres|qpsql|qsqlite|violates|duplicate key|\\.cpp|"
                       "\\.h:\\d|stack|backtrace|traceback|exception|0x[0-9a-f]{6,}"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(QString::fromUtf8(body)).hasMatch();
}

// An error answer of the contract: `{"error": {"code", "message"}}` as JSON.
QString errorShapeProblem(const HttpResult &r, const QString &code)
{
    if (!r.header("Content-Type").startsWith("application/json"))
        return QStringLiteral("content type %1").arg(QString::fromLatin1(r.header("Content-Type")));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("not a JSON object");
    const QJsonObject error = doc.object().value(QStringLiteral("error")).toObject();
    if (error.value(QStringLiteral("code")).toString() != code)
        return QStringLiteral("code is not %1").arg(code);
    if (!error.value(QStringLiteral("message")).isString()
        || error.value(QStringLiteral("message")).toString().trimmed().isEmpty())
        return QStringLiteral("no message for a person");
    if (leaks(r.body))
        return QStringLiteral("leaks internals");
    return {};
}

} // namespace

// Status and error body in one go; prints the answer when it differs.
#define CHECK_ERROR(expr, expectedStatus, expectedCode)                                          \
    do {                                                                                         \
        const HttpResult r_ = (expr);                                                            \
        const QString problem_ = r_.status != (expectedStatus)                                   \
                                     ? QStringLiteral("status %1").arg(r_.status)                \
                                     : errorShapeProblem(r_, QStringLiteral(expectedCode));      \
        QVERIFY2(problem_.isEmpty(),                                                             \
                 qPrintable(QStringLiteral("expected %1 %2; %3; body: %4")                       \
                                .arg(expectedStatus)                                             \
                                .arg(QStringLiteral(expectedCode), problem_,                     \
                                     QString::fromUtf8(r_.body))));                              \
    } while (false)

#define CHECK_STATUS(expr, expectedStatus)                                                       \
    do {                                                                                         \
        const HttpResult r_ = (expr);                                                            \
        QVERIFY2(r_.status == (expectedStatus),                                                  \
                 qPrintable(QStringLiteral("expected %1, got %2: %3")                            \
                                .arg(expectedStatus)                                             \
                                .arg(r_.status)                                                  \
                                .arg(QString::fromUtf8(r_.body))));                              \
    } while (false)

class tst_HttpApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void registerCreatesAccount();
    void registerValidation();
    void registerValidation_data();
    void registerTakenUsername();
    void loginUnknownAndWrongPasswordAlike();
    void loginBannedOnlyAfterCorrectPassword();
    void loginRateLimit();
    void logoutRevokesOnlyThatToken();
    void me();
    void profileTradesmenOnly();
    void directoryTurkishSearch();
    void directoryFiltersAndPaging();
    void directoryBadLimits();
    void tradesmanById();
    void conversationCreate();
    void conversationCreateRace();
    void concurrentIdempotentSends();
    void conversationNonParticipant();
    void conversationListNewestFirst();
    void unreadCountAndReadCursor();
    void postMessage();
    void postMessageBodyRules();
    void history();
    void report();
    void adminForbiddenForOthers();
    void adminBan();
    void adminUnbanAndUnknownUsers();
    void adminKick();
    void adminDeleteMessage();
    void deletionNeverOvertakesItsMessage();
    void adminListings();
    void contentTypeAndJson();
    void bodyTooLarge();
    void unknownEndpoint();
    void perUserHttpBudget();
    void healthAndReadiness();
    void metrics();
    void pipelinedRequestsInOrder();

private:
    struct Pair
    {
        HttpClient::Account a, b;
        qint64 conversation = 0;
    };
    Pair pair(const char *prefix);
    // POSTs all at once (not one after the other) and waits for every answer.
    QList<HttpResult> postAtOnce(const QList<std::tuple<QString, QJsonObject, QString>> &requests);
    QJsonObject postMsg(const HttpClient::Account &who, qint64 conv, const QString &cmid,
                        const QString &body);

    DaemonProcess m_daemon;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_dir;
    QString m_dbUrl;
    HttpClient::Account m_admin;
};

void tst_HttpApi::initTestCase()
{
    QString error;
    m_dbUrl = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
    // Generous send and frame budgets: history() pipelines 201 sends on
    // one connection (past the default frame burst of 200).
    QVERIFY2(m_daemon.start(m_dbUrl,
                            DaemonProcess::defaultArgs()
                                << QStringLiteral("--send-rate") << QStringLiteral("1000")
                                << QStringLiteral("--send-burst") << QStringLiteral("1000")
                                << QStringLiteral("--frame-rate") << QStringLiteral("1000")
                                << QStringLiteral("--frame-burst") << QStringLiteral("1000"),
                            error),
             qPrintable(error));
    m_http = std::make_unique<HttpClient>(m_daemon.httpUrl(QString()));
    QVERIFY2(DaemonProcess::createUser(m_dbUrl, QStringLiteral("root_admin"),
                                       QStringLiteral("admin-secret-1"), true, error),
             qPrintable(error));
    m_admin = m_http->login(QStringLiteral("root_admin"), QStringLiteral("admin-secret-1"));
    QVERIFY(!m_admin.token.isEmpty());
}

void tst_HttpApi::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

tst_HttpApi::Pair tst_HttpApi::pair(const char *prefix)
{
    Pair p;
    p.a = m_http->registerUser(unique(prefix));
    p.b = m_http->registerUser(unique(prefix), QStringLiteral("tradesman"));
    p.conversation = m_http->conversation(p.a, p.b.id);
    // Both open it, so that both see it (and share presence) while empty.
    m_http->conversation(p.b, p.a.id);
    return p;
}

QJsonObject tst_HttpApi::postMsg(const HttpClient::Account &who, qint64 conv, const QString &cmid,
                                 const QString &body)
{
    const HttpResult r = m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv),
                                      {{QStringLiteral("body"), body},
                                       {QStringLiteral("client_msg_id"), cmid}},
                                      who.token);
    if (r.status != 201)
        qWarning("post message: %d %s", r.status, r.body.constData());
    return r.json();
}

// ---- accounts -------------------------------------------------------------

void tst_HttpApi::registerCreatesAccount()
{
    const QString name = unique("reg.ok");
    const HttpResult r = m_http->post(QStringLiteral("/api/v1/auth/register"),
                                      {{QStringLiteral("username"), name},
                                       {QStringLiteral("password"), kPassword},
                                       {QStringLiteral("display_name"), QStringLiteral("Ayşe Öztürk 🔧")},
                                       {QStringLiteral("role"), QStringLiteral("tradesman")}});
    CHECK_STATUS(r, 201);
    QVERIFY(r.header("Content-Type").startsWith("application/json"));
    const QJsonObject o = r.json();
    QCOMPARE(keysOf(o), setOf({"token", "user"}));
    // At least 128 random bits: 22 base64 characters or more.
    QVERIFY(o.value(QStringLiteral("token")).toString().size() >= 22);
    const QJsonObject user = o.value(QStringLiteral("user")).toObject();
    QCOMPARE(keysOf(user), setOf({"id", "username", "display_name", "role", "created_at"}));
    QVERIFY(user.value(QStringLiteral("id")).isDouble());
    QVERIFY(user.value(QStringLiteral("id")).toInteger() > 0);
    QCOMPARE(user.value(QStringLiteral("username")).toString(), name);
    QCOMPARE(user.value(QStringLiteral("display_name")).toString(), QStringLiteral("Ayşe Öztürk 🔧"));
    QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("tradesman"));
    QVERIFY(isTime(user.value(QStringLiteral("created_at"))));

    // The token works at once; two registrations give different tokens.
    const HttpResult me = m_http->get(QStringLiteral("/api/v1/me"), o.value(QStringLiteral("token")).toString());
    CHECK_STATUS(me, 200);
    QCOMPARE(me.json(), user);
    const auto other = m_http->registerUser(unique("reg.ok"));
    QVERIFY(other.token != o.value(QStringLiteral("token")).toString());
}

void tst_HttpApi::registerValidation_data()
{
    QTest::addColumn<QJsonObject>("body");
    const auto make = [](QJsonValue username, QJsonValue password, QJsonValue display,
                         QJsonValue role) {
        QJsonObject o;
        if (!username.isUndefined())
            o.insert(QStringLiteral("username"), username);
        if (!password.isUndefined())
            o.insert(QStringLiteral("password"), password);
        if (!display.isUndefined())
            o.insert(QStringLiteral("display_name"), display);
        if (!role.isUndefined())
            o.insert(QStringLiteral("role"), role);
        return o;
    };
    const QJsonValue undef(QJsonValue::Undefined);
    const QString pw = kPassword;
    const QString dn = QStringLiteral("Name");
    const QString cu = QStringLiteral("customer");
    QTest::newRow("username too short") << make(QStringLiteral("ab"), pw, dn, cu);
    QTest::newRow("username too long") << make(repeat(QStringLiteral("a"), 33), pw, dn, cu);
    QTest::newRow("username upper case") << make(QStringLiteral("Abcdef"), pw, dn, cu);
    QTest::newRow("username dash") << make(QStringLiteral("ab-cd"), pw, dn, cu);
    QTest::newRow("username space") << make(QStringLiteral("ab cd"), pw, dn, cu);
    QTest::newRow("username turkish") << make(QStringLiteral("işçi"), pw, dn, cu);
    QTest::newRow("username number") << make(12345, pw, dn, cu);
    QTest::newRow("username missing") << make(undef, pw, dn, cu);
    QTest::newRow("password 7") << make(QStringLiteral("valid_name1"), QStringLiteral("1234567"), dn, cu);
    QTest::newRow("password 7 emoji")
        << make(QStringLiteral("valid_name1"), repeat(QStringLiteral("😀"), 7), dn, cu);
    QTest::newRow("password 129") << make(QStringLiteral("valid_name1"), repeat(QStringLiteral("p"), 129), dn, cu);
    QTest::newRow("password missing") << make(QStringLiteral("valid_name1"), undef, dn, cu);
    QTest::newRow("password number") << make(QStringLiteral("valid_name1"), 12345678, dn, cu);
    QTest::newRow("display_name empty") << make(QStringLiteral("valid_name1"), pw, QString(), cu);
    QTest::newRow("display_name 65") << make(QStringLiteral("valid_name1"), pw, repeat(QStringLiteral("ğ"), 65), cu);
    QTest::newRow("display_name missing") << make(QStringLiteral("valid_name1"), pw, undef, cu);
    QTest::newRow("role admin") << make(QStringLiteral("valid_name1"), pw, dn, QStringLiteral("admin"));
    QTest::newRow("role Admin") << make(QStringLiteral("valid_name1"), pw, dn, QStringLiteral("Admin"));
    QTest::newRow("role other") << make(QStringLiteral("valid_name1"), pw, dn, QStringLiteral("plumber"));
    QTest::newRow("role empty") << make(QStringLiteral("valid_name1"), pw, dn, QString());
    QTest::newRow("role missing") << make(QStringLiteral("valid_name1"), pw, dn, undef);
    QTest::newRow("role null") << make(QStringLiteral("valid_name1"), pw, dn, QJsonValue());
    QTest::newRow("role number") << make(QStringLiteral("valid_name1"), pw, dn, 1);
}

void tst_HttpApi::registerValidation()
{
    QFETCH(QJsonObject, body);
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/register"), body), 400, "bad_request");
}

void tst_HttpApi::registerTakenUsername()
{
    // The boundaries themselves are fine: 3 and 32 characters, 8 and 128
    // code points (emoji count one each), 64 code points of display name.
    const QString longest = unique("len32").leftJustified(32, QLatin1Char('x'));
    for (const QString &name : {QStringLiteral("z_9"), longest}) {
        const HttpResult r = m_http->post(QStringLiteral("/api/v1/auth/register"),
                                          {{QStringLiteral("username"), name},
                                           {QStringLiteral("password"), repeat(QStringLiteral("😀"), 8)},
                                           {QStringLiteral("display_name"), repeat(QStringLiteral("👍"), 64)},
                                           {QStringLiteral("role"), QStringLiteral("customer")}});
        CHECK_STATUS(r, 201);
    }
    const HttpResult pw128 = m_http->post(QStringLiteral("/api/v1/auth/register"),
                                          {{QStringLiteral("username"), unique("pw128")},
                                           {QStringLiteral("password"), repeat(QStringLiteral("ş"), 128)},
                                           {QStringLiteral("display_name"), QStringLiteral("x")},
                                           {QStringLiteral("role"), QStringLiteral("customer")}});
    CHECK_STATUS(pw128, 201);

    // None of registerValidation's refusals created "valid_name1".
    const HttpResult fresh = m_http->post(QStringLiteral("/api/v1/auth/register"),
                                          {{QStringLiteral("username"), QStringLiteral("valid_name1")},
                                           {QStringLiteral("password"), kPassword},
                                           {QStringLiteral("display_name"), QStringLiteral("x")},
                                           {QStringLiteral("role"), QStringLiteral("customer")}});
    CHECK_STATUS(fresh, 201);

    const QString name = unique("taken");
    m_http->registerUser(name);
    const QJsonObject again{{QStringLiteral("username"), name},
                            {QStringLiteral("password"), QStringLiteral("another-password")},
                            {QStringLiteral("display_name"), QStringLiteral("Someone else")},
                            {QStringLiteral("role"), QStringLiteral("tradesman")}};
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/register"), again), 409, "conflict");
    // The original password still logs in; the second one does not.
    CHECK_STATUS(m_http->post(QStringLiteral("/api/v1/auth/login"),
                              {{QStringLiteral("username"), name}, {QStringLiteral("password"), kPassword}}),
                 200);
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), name},
                              {QStringLiteral("password"), QStringLiteral("another-password")}}),
                401, "unauthorized");
}

void tst_HttpApi::loginUnknownAndWrongPasswordAlike()
{
    const QString name = unique("login");
    const auto acct = m_http->registerUser(name);
    const HttpResult ok = m_http->post(QStringLiteral("/api/v1/auth/login"),
                                       {{QStringLiteral("username"), name}, {QStringLiteral("password"), kPassword}});
    CHECK_STATUS(ok, 200);
    QCOMPARE(keysOf(ok.json()), setOf({"token", "user"}));
    QCOMPARE(ok.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger(), acct.id);
    QVERIFY(ok.json().value(QStringLiteral("token")).toString() != acct.token);

    const HttpResult wrong = m_http->post(QStringLiteral("/api/v1/auth/login"),
                                          {{QStringLiteral("username"), name},
                                           {QStringLiteral("password"), QStringLiteral("wrong-password")}});
    const HttpResult unknown = m_http->post(QStringLiteral("/api/v1/auth/login"),
                                            {{QStringLiteral("username"), unique("nobody")},
                                             {QStringLiteral("password"), kPassword}});
    CHECK_ERROR(wrong, 401, "unauthorized");
    CHECK_ERROR(unknown, 401, "unauthorized");
    // Nothing tells the two apart.
    QCOMPARE(wrong.json(), unknown.json());

    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"), {{QStringLiteral("username"), name}}),
                400, "bad_request");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), name}, {QStringLiteral("password"), 12345678}}),
                400, "bad_request");
    // A hostile name is just an unknown user.
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), QStringLiteral("x' OR '1'='1")},
                              {QStringLiteral("password"), QStringLiteral("x' OR '1'='1")}}),
                401, "unauthorized");
}

void tst_HttpApi::loginBannedOnlyAfterCorrectPassword()
{
    const QString name = unique("banlogin");
    const auto acct = m_http->registerUser(name);
    CHECK_STATUS(m_http->post(QStringLiteral("/api/v1/admin/users/%1/ban").arg(acct.id),
                              {{QStringLiteral("reason"), QStringLiteral("spam")}}, m_admin.token),
                 204);
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), name},
                              {QStringLiteral("password"), QStringLiteral("not-the-password")}}),
                401, "unauthorized");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), name}, {QStringLiteral("password"), kPassword}}),
                403, "forbidden");
}

void tst_HttpApi::loginRateLimit()
{
    const QString name = unique("ratelogin");
    m_http->registerUser(name);
    const QJsonObject wrong{{QStringLiteral("username"), name},
                            {QStringLiteral("password"), QStringLiteral("wrong-password")}};
    for (int i = 0; i < 10; ++i)
        CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"), wrong), 401, "unauthorized");
    // The 11th in the minute, even with the right password.
    const HttpResult limited = m_http->post(QStringLiteral("/api/v1/auth/login"),
                                            {{QStringLiteral("username"), name},
                                             {QStringLiteral("password"), kPassword}});
    CHECK_ERROR(limited, 429, "rate_limited");
    const QByteArray retry = limited.header("Retry-After");
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+$")).match(QString::fromLatin1(retry)).hasMatch(),
             retry.constData());
    QVERIFY(retry.toInt() >= 1 && retry.toInt() <= 60);
    // The budget is per address and username: the same name from another
    // address (a trusted proxy's X-Real-IP; loopback is trusted by default)
    // and another name from this address still log in.
    const HttpResult elsewhere = m_http->raw("POST", QStringLiteral("/api/v1/auth/login"),
                                             QJsonDocument(QJsonObject{{QStringLiteral("username"), name},
                                                                       {QStringLiteral("password"), kPassword}})
                                                 .toJson(QJsonDocument::Compact),
                                             "application/json", {}, {{"X-Real-IP", "203.0.113.7"}});
    CHECK_STATUS(elsewhere, 200);
    const QString other = unique("ratelogin");
    m_http->registerUser(other);
    CHECK_STATUS(m_http->post(QStringLiteral("/api/v1/auth/login"),
                              {{QStringLiteral("username"), other}, {QStringLiteral("password"), kPassword}}),
                 200);
}

void tst_HttpApi::logoutRevokesOnlyThatToken()
{
    const QString name = unique("logout");
    const auto first = m_http->registerUser(name);
    const auto second = m_http->login(name);
    QVERIFY(!second.token.isEmpty());

    WsClient s1, s1b, s2;
    QVERIFY(!s1.connectAndHello(m_daemon.wsUrl(), first.token).isEmpty());
    QVERIFY(!s1b.connectAndHello(m_daemon.wsUrl(), first.token, true).isEmpty());
    QVERIFY(!s2.connectAndHello(m_daemon.wsUrl(), second.token).isEmpty());

    const HttpResult out = m_http->raw("POST", QStringLiteral("/api/v1/auth/logout"), {}, {}, first.token);
    CHECK_STATUS(out, 204);
    QVERIFY(out.body.isEmpty());
    QVERIFY(s1.waitClosed());
    QVERIFY(s1b.waitClosed());
    QCOMPARE(s1.closeCode(), 4001);
    QCOMPARE(s1b.closeCode(), 4001);

    // The token is dead at once, everywhere.
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me"), first.token), 401, "unauthorized");
    CHECK_ERROR(m_http->raw("POST", QStringLiteral("/api/v1/auth/logout"), {}, {}, first.token), 401,
                "unauthorized");
    WsClient again;
    again.open(m_daemon.wsUrl(), first.token); // may be closed by the time it returns
    QCOMPARE(again.nextOfType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("unauthorized"));
    QVERIFY(again.waitClosed());
    QCOMPARE(again.closeCode(), 4001);

    // The user's other token and its socket are untouched.
    QVERIFY(s2.isOpen());
    QVERIFY(s2.roundTrip());
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), second.token), 200);
    QVERIFY(s2.received(QStringLiteral("error")).isEmpty());
}

void tst_HttpApi::me()
{
    const QString name = unique("me");
    const auto acct = m_http->registerUser(name, QStringLiteral("customer"), QStringLiteral("Çağrı"));
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/me"), acct.token);
    CHECK_STATUS(r, 200);
    const QJsonObject u = r.json();
    QCOMPARE(keysOf(u), setOf({"id", "username", "display_name", "role", "created_at"}));
    QCOMPARE(u.value(QStringLiteral("id")).toInteger(), acct.id);
    QCOMPARE(u.value(QStringLiteral("username")).toString(), name);
    QCOMPARE(u.value(QStringLiteral("display_name")).toString(), QStringLiteral("Çağrı"));
    QCOMPARE(u.value(QStringLiteral("role")).toString(), QStringLiteral("customer"));
    QVERIFY(isTime(u.value(QStringLiteral("created_at"))));

    const HttpResult admin = m_http->get(QStringLiteral("/api/v1/me"), m_admin.token);
    QCOMPARE(admin.json().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));

    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me")), 401, "unauthorized");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me"), QStringLiteral("not-a-token")), 401, "unauthorized");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me"), acct.token + QLatin1Char('x')), 401, "unauthorized");
    CHECK_ERROR(m_http->raw("GET", QStringLiteral("/api/v1/me"), {}, {}, {},
                            {{"Authorization", "Basic " + acct.token.toUtf8()}}),
                401, "unauthorized");
}

// ---- directory ------------------------------------------------------------

void tst_HttpApi::profileTradesmenOnly()
{
    const auto customer = m_http->registerUser(unique("prof.c"));
    const auto tradesman = m_http->registerUser(unique("prof.t"), QStringLiteral("tradesman"),
                                                QStringLiteral("Usta Mehmet"));
    const QJsonObject body{{QStringLiteral("business_name"), QStringLiteral("Mehmet Oto")},
                           {QStringLiteral("category"), QStringLiteral("mekanik")},
                           {QStringLiteral("city"), QStringLiteral("Bursa")},
                           {QStringLiteral("district"), QStringLiteral("Osmangazi")},
                           {QStringLiteral("description"), QStringLiteral("Fren, debriyaj")}};
    CHECK_ERROR(m_http->put(QStringLiteral("/api/v1/me/profile"), body, customer.token), 403, "forbidden");
    CHECK_ERROR(m_http->put(QStringLiteral("/api/v1/me/profile"), body, m_admin.token), 403, "forbidden");
    CHECK_ERROR(m_http->put(QStringLiteral("/api/v1/me/profile"), body), 401, "unauthorized");

    const HttpResult r = m_http->put(QStringLiteral("/api/v1/me/profile"), body, tradesman.token);
    CHECK_STATUS(r, 200);
    const QJsonObject p = r.json();
    QCOMPARE(keysOf(p), setOf({"user_id", "display_name", "business_name", "category", "city",
                               "district", "description", "online"}));
    QCOMPARE(p.value(QStringLiteral("user_id")).toInteger(), tradesman.id);
    QCOMPARE(p.value(QStringLiteral("display_name")).toString(), QStringLiteral("Usta Mehmet"));
    QCOMPARE(p.value(QStringLiteral("business_name")).toString(), QStringLiteral("Mehmet Oto"));
    QCOMPARE(p.value(QStringLiteral("category")).toString(), QStringLiteral("mekanik"));
    QCOMPARE(p.value(QStringLiteral("city")).toString(), QStringLiteral("Bursa"));
    QCOMPARE(p.value(QStringLiteral("district")).toString(), QStringLiteral("Osmangazi"));
    QCOMPARE(p.value(QStringLiteral("description")).toString(), QStringLiteral("Fren, debriyaj"));
    QVERIFY(p.value(QStringLiteral("online")).isBool());
    // What the directory shows is what was stored.
    const HttpResult pub = m_http->get(QStringLiteral("/api/v1/tradesmen/%1").arg(tradesman.id));
    CHECK_STATUS(pub, 200);
    QCOMPARE(pub.json(), p);

    QJsonObject wrongType = body;
    wrongType.insert(QStringLiteral("city"), 34);
    CHECK_ERROR(m_http->put(QStringLiteral("/api/v1/me/profile"), wrongType, tradesman.token), 400, "bad_request");
    QJsonObject missing = body;
    missing.remove(QStringLiteral("business_name"));
    CHECK_ERROR(m_http->put(QStringLiteral("/api/v1/me/profile"), missing, tradesman.token), 400, "bad_request");
}

void tst_HttpApi::directoryTurkishSearch()
{
    const QString city = unique("Turkcity");
    auto make = [&](const QString &business, const QString &description) {
        const auto t = m_http->registerUser(unique("tr"), QStringLiteral("tradesman"));
        const HttpResult r = m_http->put(QStringLiteral("/api/v1/me/profile"),
                                         {{QStringLiteral("business_name"), business},
                                          {QStringLiteral("category"), QStringLiteral("elektrik")},
                                          {QStringLiteral("city"), city},
                                          {QStringLiteral("description"), description}},
                                         t.token);
        if (r.status != 200)
            qWarning("profile: %d %s", r.status, r.body.constData());
        return t.id;
    };
    const qint64 isik = make(QStringLiteral("Işık Oto Elektrik"), QStringLiteral("Akü ve far"));
    const qint64 cagri = make(QStringLiteral("Kaporta Ustası"), QStringLiteral("ÇAĞRI boya, GÜNEŞ cila"));
    const qint64 other = make(QStringLiteral("Lastikçi"), QStringLiteral("Rot balans"));
    Q_UNUSED(other);

    auto search = [&](const QString &q) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("q"), q);
        query.addQueryItem(QStringLiteral("city"), city);
        const HttpResult r = m_http->get(QStringLiteral("/api/v1/tradesmen?")
                                         + query.toString(QUrl::FullyEncoded));
        QList<qint64> ids;
        if (r.status != 200) {
            qWarning("search %s: %d %s", qPrintable(q), r.status, r.body.constData());
            return ids;
        }
        for (const QJsonValue v : r.json().value(QStringLiteral("items")).toArray())
            ids << v.toObject().value(QStringLiteral("user_id")).toInteger();
        if (r.json().value(QStringLiteral("total")).toInteger() != ids.size())
            qWarning("search %s: total %lld for %lld items", qPrintable(q),
                     r.json().value(QStringLiteral("total")).toInteger(), qint64(ids.size()));
        return ids;
    };
    const QList<qint64> justIsik{isik};
    QCOMPARE(search(QStringLiteral("IŞIK")), justIsik);
    QCOMPARE(search(QStringLiteral("ışık")), justIsik);
    QCOMPARE(search(QStringLiteral("Işık")), justIsik);
    QCOMPARE(search(QStringLiteral("işık")), justIsik);
    QCOMPARE(search(QStringLiteral("İŞIK")), justIsik);
    QCOMPARE(search(QStringLiteral("oto elektrik")), justIsik);
    QCOMPARE(search(QStringLiteral("AKÜ")), justIsik); // the description
    const QList<qint64> justCagri{cagri};
    QCOMPARE(search(QStringLiteral("çağrı")), justCagri);
    QCOMPARE(search(QStringLiteral("güneş")), justCagri);
    QCOMPARE(search(QStringLiteral("USTASI")), justCagri);
    QCOMPARE(search(QStringLiteral("ğ")), justCagri);
    QCOMPARE(search(QStringLiteral("nothing like it")), QList<qint64>());
    // LIKE wildcards are plain characters.
    QCOMPARE(search(QStringLiteral("%")), QList<qint64>());
    QCOMPARE(search(QStringLiteral("_")), QList<qint64>());
}

void tst_HttpApi::directoryFiltersAndPaging()
{
    const QString city = unique("Pagecity");
    QList<qint64> electricians, all;
    for (int i = 0; i < 101; ++i) {
        const auto t = m_http->registerUser(unique("dir"), QStringLiteral("tradesman"));
        const bool electric = i % 4 == 0;
        const HttpResult r = m_http->put(QStringLiteral("/api/v1/me/profile"),
                                         {{QStringLiteral("business_name"), QStringLiteral("Dükkan %1").arg(i)},
                                          {QStringLiteral("category"),
                                           electric ? QStringLiteral("elektrik") : QStringLiteral("kaporta")},
                                          {QStringLiteral("city"), city}},
                                         t.token);
        CHECK_STATUS(r, 200);
        all << t.id;
        if (electric)
            electricians << t.id;
    }
    // A tradesman elsewhere does not show up under this city.
    const auto elsewhere = m_http->registerUser(unique("dir"), QStringLiteral("tradesman"));
    CHECK_STATUS(m_http->put(QStringLiteral("/api/v1/me/profile"),
                             {{QStringLiteral("business_name"), QStringLiteral("Başka")},
                              {QStringLiteral("category"), QStringLiteral("elektrik")},
                              {QStringLiteral("city"), city + QStringLiteral("x")}},
                             elsewhere.token),
                 200);

    auto ids = [](const HttpResult &r) {
        QList<qint64> out;
        for (const QJsonValue v : r.json().value(QStringLiteral("items")).toArray())
            out << v.toObject().value(QStringLiteral("user_id")).toInteger();
        return out;
    };
    const QString base = QStringLiteral("/api/v1/tradesmen?city=") + QString::fromLatin1(QUrl::toPercentEncoding(city));

    // Default limit 20, with the true total.
    const HttpResult first = m_http->get(base);
    CHECK_STATUS(first, 200);
    QCOMPARE(keysOf(first.json()), setOf({"items", "total"}));
    QCOMPARE(first.json().value(QStringLiteral("total")).toInteger(), 101);
    const QList<qint64> page1 = ids(first);
    QCOMPARE(page1.size(), 20);
    for (const QJsonValue v : first.json().value(QStringLiteral("items")).toArray())
        QCOMPARE(v.toObject().value(QStringLiteral("city")).toString(), city);

    // limit=1000 is clamped to 100, not refused.
    const HttpResult big = m_http->get(base + QStringLiteral("&limit=1000"));
    CHECK_STATUS(big, 200);
    QCOMPARE(ids(big).size(), 100);
    QCOMPARE(big.json().value(QStringLiteral("total")).toInteger(), 101);

    // Offset pages through everything once, in a stable order.
    QList<qint64> seen;
    for (int offset = 0; offset < 101; offset += 30) {
        const HttpResult p = m_http->get(base + QStringLiteral("&limit=30&offset=%1").arg(offset));
        CHECK_STATUS(p, 200);
        QCOMPARE(p.json().value(QStringLiteral("total")).toInteger(), 101);
        seen << ids(p);
    }
    QCOMPARE(seen.size(), 101);
    QCOMPARE(QSet<qint64>(seen.begin(), seen.end()), QSet<qint64>(all.begin(), all.end()));
    QCOMPARE(seen.mid(0, 20), page1);
    const HttpResult past = m_http->get(base + QStringLiteral("&offset=500"));
    CHECK_STATUS(past, 200);
    QCOMPARE(ids(past).size(), 0);
    QCOMPARE(past.json().value(QStringLiteral("total")).toInteger(), 101);

    // Category filter (case-insensitive like the rest), with the city.
    const HttpResult cat = m_http->get(base + QStringLiteral("&category=ELEKTRIK&limit=100"));
    CHECK_STATUS(cat, 200);
    const QList<qint64> catIds = ids(cat);
    QCOMPARE(QSet<qint64>(catIds.begin(), catIds.end()),
             QSet<qint64>(electricians.begin(), electricians.end()));
    QCOMPARE(cat.json().value(QStringLiteral("total")).toInteger(), electricians.size());
    const HttpResult catLower = m_http->get(base + QStringLiteral("&category=elektrik&limit=5"));
    QCOMPARE(catLower.json().value(QStringLiteral("total")).toInteger(), electricians.size());
    QCOMPARE(ids(catLower).size(), 5);
}

void tst_HttpApi::directoryBadLimits()
{
    for (const char *bad : {"limit=-1", "limit=abc", "limit=1.5", "limit=", "limit=5x", "offset=-3",
                            "offset=x", "offset=0x10"}) {
        const QString path = QStringLiteral("/api/v1/tradesmen?") + QLatin1StringView(bad);
        CHECK_ERROR(m_http->get(path), 400, "bad_request");
    }
}

void tst_HttpApi::tradesmanById()
{
    const auto t = m_http->registerUser(unique("byid"), QStringLiteral("tradesman"));
    const auto c = m_http->registerUser(unique("byid"));
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/tradesmen/%1").arg(t.id));
    CHECK_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("user_id")).toInteger(), t.id);
    QCOMPARE(r.json().value(QStringLiteral("online")).toBool(), false);
    {
        // "online": at least one live connection.
        WsClient ws;
        QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), t.token).isEmpty());
        QCOMPARE(m_http->get(QStringLiteral("/api/v1/tradesmen/%1").arg(t.id))
                     .json().value(QStringLiteral("online")).toBool(),
                 true);
        ws.close();
        QVERIFY(ws.waitClosed());
    }
    QTRY_COMPARE(m_http->get(QStringLiteral("/api/v1/tradesmen/%1").arg(t.id))
                     .json().value(QStringLiteral("online")).toBool(),
                 false);

    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/tradesmen/%1").arg(c.id)), 404, "not_found");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/tradesmen/987654321")), 404, "not_found");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/tradesmen/abc")), 404, "not_found");
}

// ---- conversations --------------------------------------------------------

void tst_HttpApi::conversationCreate()
{
    const auto a = m_http->registerUser(unique("conv"));
    const auto b = m_http->registerUser(unique("conv"), QStringLiteral("tradesman"));
    const QString path = QStringLiteral("/api/v1/conversations");

    CHECK_ERROR(m_http->post(path, {{QStringLiteral("peer_id"), a.id}}, a.token), 400, "bad_request");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("peer_id"), 987654321}}, a.token), 404, "not_found");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("peer_id"), QString::number(b.id)}}, a.token), 400,
                "bad_request");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("peer_id"), 1.5}}, a.token), 400, "bad_request");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("peer_id"), -1}}, a.token), 400, "bad_request");
    CHECK_ERROR(m_http->post(path, QJsonObject{}, a.token), 400, "bad_request");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("peer_id"), b.id}}), 401, "unauthorized");

    const HttpResult created = m_http->post(path, {{QStringLiteral("peer_id"), b.id}}, a.token);
    CHECK_STATUS(created, 201);
    const QJsonObject c = created.json();
    QCOMPARE(keysOf(c), setOf({"id", "participants", "last_message", "unread_count", "created_at"}));
    QVERIFY(c.value(QStringLiteral("id")).toInteger() > 0);
    QVERIFY(c.value(QStringLiteral("last_message")).isNull());
    QCOMPARE(c.value(QStringLiteral("unread_count")).toInteger(), 0);
    QVERIFY(isTime(c.value(QStringLiteral("created_at"))));
    const QJsonArray parts = c.value(QStringLiteral("participants")).toArray();
    QCOMPARE(parts.size(), 2);
    QSet<qint64> ids;
    for (const QJsonValue v : parts) {
        const QJsonObject u = v.toObject();
        QCOMPARE(keysOf(u), setOf({"id", "username", "display_name", "role", "created_at", "online"}));
        QVERIFY(u.value(QStringLiteral("online")).isBool());
        ids.insert(u.value(QStringLiteral("id")).toInteger());
    }
    QCOMPARE(ids, (QSet<qint64>{a.id, b.id}));

    // Again, from either side: 200 and the same conversation.
    const HttpResult again = m_http->post(path, {{QStringLiteral("peer_id"), b.id}}, a.token);
    CHECK_STATUS(again, 200);
    QCOMPARE(again.json().value(QStringLiteral("id")).toInteger(), c.value(QStringLiteral("id")).toInteger());
    const HttpResult reverse = m_http->post(path, {{QStringLiteral("peer_id"), a.id}}, b.token);
    CHECK_STATUS(reverse, 200);
    QCOMPARE(reverse.json().value(QStringLiteral("id")).toInteger(), c.value(QStringLiteral("id")).toInteger());

    const HttpResult one = m_http->get(path + QStringLiteral("/%1").arg(c.value(QStringLiteral("id")).toInteger()), b.token);
    CHECK_STATUS(one, 200);
    QCOMPARE(one.json().value(QStringLiteral("id")), c.value(QStringLiteral("id")));

    // "online" tells whether the participant has a live connection.
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), b.token).isEmpty());
    const HttpResult seen = m_http->get(path + QStringLiteral("/%1").arg(c.value(QStringLiteral("id")).toInteger()), a.token);
    for (const QJsonValue v : seen.json().value(QStringLiteral("participants")).toArray()) {
        const QJsonObject u = v.toObject();
        QCOMPARE(u.value(QStringLiteral("online")).toBool(), u.value(QStringLiteral("id")).toInteger() == b.id);
    }
}

QList<HttpResult> tst_HttpApi::postAtOnce(const QList<std::tuple<QString, QJsonObject, QString>> &requests)
{
    QNetworkAccessManager nam;
    QList<QNetworkReply *> replies;
    for (const auto &[path, body, token] : requests) {
        QNetworkRequest req(m_daemon.httpUrl(path));
        req.setRawHeader("Content-Type", "application/json");
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        replies << nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    WsClient::waitUntil([&] {
        return std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); });
    }, 30000);
    QList<HttpResult> out;
    for (QNetworkReply *r : replies) {
        HttpResult h;
        if (r->isFinished()) {
            h.status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            h.body = r->readAll();
            h.headers = r->rawHeaderPairs();
        }
        out << h;
        r->deleteLater();
    }
    return out;
}

void tst_HttpApi::conversationCreateRace()
{
    // Both sides ask at the same moment: one conversation, one 201.
    const auto a = m_http->registerUser(unique("race"));
    const auto b = m_http->registerUser(unique("race"), QStringLiteral("tradesman"));
    QList<std::tuple<QString, QJsonObject, QString>> requests;
    for (int i = 0; i < 6; ++i) {
        const bool fromA = i % 2 == 0;
        requests.push_back({QStringLiteral("/api/v1/conversations"),
                            QJsonObject{{QStringLiteral("peer_id"), fromA ? b.id : a.id}},
                            fromA ? a.token : b.token});
    }
    const QList<HttpResult> results = postAtOnce(requests);
    QSet<qint64> ids;
    int created = 0;
    for (const HttpResult &r : results) {
        QVERIFY2(r.status == 201 || r.status == 200, r.body.constData());
        created += r.status == 201;
        ids.insert(r.json().value(QStringLiteral("id")).toInteger());
    }
    QCOMPARE(ids.size(), 1);
    QCOMPARE(created, 1);
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/conversations"), a.token).json().value(QStringLiteral("total")).toInteger(), 1);
}

void tst_HttpApi::concurrentIdempotentSends()
{
    // The same client_msg_id several times at once: one message, one 201,
    // the others 200 with it.
    const Pair p = pair("conc");
    const QString path = QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation);
    QList<std::tuple<QString, QJsonObject, QString>> requests;
    for (int i = 0; i < 6; ++i)
        requests.push_back({path,
                            QJsonObject{{QStringLiteral("body"), QStringLiteral("aynı %1").arg(i)},
                                        {QStringLiteral("client_msg_id"), QStringLiteral("one")}},
                            p.a.token});
    const QList<HttpResult> results = postAtOnce(requests);
    int created = 0;
    QSet<QByteArray> bodies;
    for (const HttpResult &r : results) {
        QVERIFY2(r.status == 201 || r.status == 200, r.body.constData());
        created += r.status == 201;
        bodies.insert(QJsonDocument(r.json()).toJson(QJsonDocument::Compact));
    }
    QCOMPARE(created, 1);
    QCOMPARE(bodies.size(), 1);
    QCOMPARE(m_http->get(path, p.b.token).json().value(QStringLiteral("items")).toArray().size(), 1);
}

void tst_HttpApi::conversationNonParticipant()
{
    const Pair p = pair("nonpart");
    const auto stranger = m_http->registerUser(unique("stranger"));
    const QJsonObject m = postMsg(p.a, p.conversation, QStringLiteral("n1"), QStringLiteral("özel"));
    const qint64 conv = p.conversation;

    // Not a participant: 404, never 403, the same as no conversation at all.
    const HttpResult theirs = m_http->get(QStringLiteral("/api/v1/conversations/%1").arg(conv), stranger.token);
    const HttpResult none = m_http->get(QStringLiteral("/api/v1/conversations/987654321"), stranger.token);
    CHECK_ERROR(theirs, 404, "not_found");
    CHECK_ERROR(none, 404, "not_found");
    QCOMPARE(theirs.json(), none.json());
    QVERIFY(!theirs.body.contains("özel"));
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv), stranger.token),
                404, "not_found");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv),
                             {{QStringLiteral("body"), QStringLiteral("hi")},
                              {QStringLiteral("client_msg_id"), QStringLiteral("x1")}},
                             stranger.token),
                404, "not_found");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/conversations/%1/read").arg(conv),
                             {{QStringLiteral("message_id"), m.value(QStringLiteral("id")).toInteger()}},
                             stranger.token),
                404, "not_found");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/conversations/987654321/messages"),
                             {{QStringLiteral("body"), QStringLiteral("hi")},
                              {QStringLiteral("client_msg_id"), QStringLiteral("x2")}},
                             stranger.token),
                404, "not_found");
    // The stranger's list is empty; nothing was stored for them.
    const HttpResult list = m_http->get(QStringLiteral("/api/v1/conversations"), stranger.token);
    CHECK_STATUS(list, 200);
    QCOMPARE(list.json().value(QStringLiteral("total")).toInteger(), 0);
    QCOMPARE(list.json().value(QStringLiteral("items")).toArray().size(), 0);
    const HttpResult history = m_http->get(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv), p.b.token);
    QCOMPARE(history.json().value(QStringLiteral("items")).toArray().size(), 1);
}

void tst_HttpApi::conversationListNewestFirst()
{
    const auto me = m_http->registerUser(unique("list"));
    QList<qint64> convs;
    QList<HttpClient::Account> peers;
    for (int i = 0; i < 4; ++i) {
        peers << m_http->registerUser(unique("listpeer"), QStringLiteral("tradesman"));
        convs << m_http->conversation(me, peers.last().id);
        QTest::qWait(3); // distinct activity times
    }
    auto order = [&](const QString &query = {}) {
        const HttpResult r = m_http->get(QStringLiteral("/api/v1/conversations") + query, me.token);
        QList<qint64> out;
        for (const QJsonValue v : r.json().value(QStringLiteral("items")).toArray())
            out << v.toObject().value(QStringLiteral("id")).toInteger();
        return out;
    };
    QCOMPARE(order(), (QList<qint64>{convs[3], convs[2], convs[1], convs[0]}));

    // A message makes a conversation the newest, whoever sent it.
    postMsg(me, convs[1], QStringLiteral("l1"), QStringLiteral("ilk"));
    QCOMPARE(order(), (QList<qint64>{convs[1], convs[3], convs[2], convs[0]}));
    QTest::qWait(3);
    postMsg(peers[0], convs[0], QStringLiteral("l2"), QStringLiteral("cevap"));
    QCOMPARE(order(), (QList<qint64>{convs[0], convs[1], convs[3], convs[2]}));

    const HttpResult full = m_http->get(QStringLiteral("/api/v1/conversations"), me.token);
    CHECK_STATUS(full, 200);
    QCOMPARE(keysOf(full.json()), setOf({"items", "total"}));
    QCOMPARE(full.json().value(QStringLiteral("total")).toInteger(), 4);
    const QJsonObject newest = full.json().value(QStringLiteral("items")).toArray().first().toObject();
    QCOMPARE(newest.value(QStringLiteral("last_message")).toObject().value(QStringLiteral("body")).toString(),
             QStringLiteral("cevap"));
    QCOMPARE(newest.value(QStringLiteral("unread_count")).toInteger(), 1);

    // Paging, with the true total.
    const HttpResult page = m_http->get(QStringLiteral("/api/v1/conversations?limit=2&offset=1"), me.token);
    CHECK_STATUS(page, 200);
    QCOMPARE(page.json().value(QStringLiteral("total")).toInteger(), 4);
    QCOMPARE(order(QStringLiteral("?limit=2&offset=1")), (QList<qint64>{convs[1], convs[3]}));
    QCOMPARE(order(QStringLiteral("?limit=1000")).size(), 4); // clamped, not refused
    for (const char *bad : {"?limit=-1", "?limit=ten", "?offset=-1"})
        CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/conversations") + QLatin1StringView(bad), me.token),
                    400, "bad_request");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/conversations")), 401, "unauthorized");
}

void tst_HttpApi::unreadCountAndReadCursor()
{
    const Pair p = pair("unread");
    WsClient bWs;
    QVERIFY(!bWs.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QList<qint64> ids;
    for (int i = 1; i <= 3; ++i)
        ids << postMsg(p.b, p.conversation, QStringLiteral("u%1").arg(i), QStringLiteral("mesaj %1").arg(i))
                   .value(QStringLiteral("id")).toInteger();
    const QString convPath = QStringLiteral("/api/v1/conversations/%1").arg(p.conversation);
    auto unread = [&](const HttpClient::Account &who) {
        return m_http->get(convPath, who.token).json().value(QStringLiteral("unread_count")).toInteger();
    };
    QCOMPARE(unread(p.a), 3);
    QCOMPARE(unread(p.b), 0); // one's own messages are never unread

    auto read = [&](const HttpClient::Account &who, qint64 id) {
        return m_http->post(convPath + QStringLiteral("/read"), {{QStringLiteral("message_id"), id}}, who.token);
    };
    const HttpResult r2 = read(p.a, ids[1]);
    CHECK_STATUS(r2, 204);
    QVERIFY(r2.body.isEmpty());
    QCOMPARE(unread(p.a), 1);
    // The peer hears of it.
    const QJsonObject frame = bWs.nextOfType(QStringLiteral("read"));
    QCOMPARE(frame.value(QStringLiteral("conversation_id")).toInteger(), p.conversation);
    QCOMPARE(frame.value(QStringLiteral("user_id")).toInteger(), p.a.id);
    QCOMPARE(frame.value(QStringLiteral("message_id")).toInteger(), ids[1]);

    // Backwards is accepted and changes nothing.
    CHECK_STATUS(read(p.a, ids[0]), 204);
    QCOMPARE(unread(p.a), 1);
    CHECK_STATUS(read(p.a, ids[1]), 204);
    QCOMPARE(unread(p.a), 1);
    CHECK_STATUS(read(p.a, ids[2]), 204);
    QCOMPARE(unread(p.a), 0);
    CHECK_STATUS(read(p.a, ids[0]), 204);
    QCOMPARE(unread(p.a), 0);
    // A new message is unread again.
    postMsg(p.b, p.conversation, QStringLiteral("u4"), QStringLiteral("bir daha"));
    QCOMPARE(unread(p.a), 1);

    // A message of another conversation, or none, is 404; bad bodies 400.
    const Pair other = pair("unread2");
    const qint64 foreign = postMsg(other.a, other.conversation, QStringLiteral("f1"), QStringLiteral("x"))
                               .value(QStringLiteral("id")).toInteger();
    CHECK_ERROR(read(p.a, foreign), 404, "not_found");
    CHECK_ERROR(read(p.a, 987654321), 404, "not_found");
    CHECK_ERROR(m_http->post(convPath + QStringLiteral("/read"), {{QStringLiteral("message_id"), QStringLiteral("1")}},
                             p.a.token),
                400, "bad_request");
    CHECK_ERROR(m_http->post(convPath + QStringLiteral("/read"), QJsonObject{}, p.a.token), 400, "bad_request");
    QCOMPARE(unread(p.a), 1);
}

// ---- messages -------------------------------------------------------------

void tst_HttpApi::postMessage()
{
    const Pair p = pair("post");
    const QString path = QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation);
    WsClient bWs;
    QVERIFY(!bWs.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(bWs.roundTrip());

    const HttpResult r = m_http->post(path,
                                      {{QStringLiteral("body"), QStringLiteral("Merhaba usta 👋")},
                                       {QStringLiteral("client_msg_id"), QStringLiteral("c-1")}},
                                      p.a.token);
    CHECK_STATUS(r, 201);
    const QJsonObject m = r.json();
    QCOMPARE(keysOf(m), setOf({"id", "conversation_id", "seq", "sender_id", "body", "client_msg_id", "created_at"}));
    QVERIFY(m.value(QStringLiteral("id")).toInteger() > 0);
    QCOMPARE(m.value(QStringLiteral("conversation_id")).toInteger(), p.conversation);
    QCOMPARE(m.value(QStringLiteral("seq")).toInteger(), 1);
    QCOMPARE(m.value(QStringLiteral("sender_id")).toInteger(), p.a.id);
    QCOMPARE(m.value(QStringLiteral("body")).toString(), QStringLiteral("Merhaba usta 👋"));
    QCOMPARE(m.value(QStringLiteral("client_msg_id")).toString(), QStringLiteral("c-1"));
    QVERIFY(isTime(m.value(QStringLiteral("created_at"))));
    // The peer's live connection gets it.
    const QJsonObject live = bWs.nextOfType(QStringLiteral("message"));
    QCOMPARE(live.value(QStringLiteral("message")).toObject(), m);

    // The same client_msg_id again: 200 and the original, even with another
    // body; nothing new is stored or delivered.
    const HttpResult again = m_http->post(path,
                                          {{QStringLiteral("body"), QStringLiteral("başka metin")},
                                           {QStringLiteral("client_msg_id"), QStringLiteral("c-1")}},
                                          p.a.token);
    CHECK_STATUS(again, 200);
    QCOMPARE(again.json(), m);

    // The same client_msg_id from the other sender is a message of its own.
    const HttpResult peer = m_http->post(path,
                                         {{QStringLiteral("body"), QStringLiteral("buyrun")},
                                          {QStringLiteral("client_msg_id"), QStringLiteral("c-1")}},
                                         p.b.token);
    CHECK_STATUS(peer, 201);
    QCOMPARE(peer.json().value(QStringLiteral("seq")).toInteger(), 2);
    QVERIFY(peer.json().value(QStringLiteral("id")).toInteger() > m.value(QStringLiteral("id")).toInteger());

    const HttpResult history = m_http->get(path, p.a.token);
    QCOMPARE(history.json().value(QStringLiteral("items")).toArray().size(), 2);
    // B's socket got A's message once (not the repeat) and B's own HTTP
    // message (an HTTP send has no sending connection to spare).
    QTRY_COMPARE(bWs.received(QStringLiteral("message")).size(), 2);
    QCOMPARE(bWs.received(QStringLiteral("message"))[1].value(QStringLiteral("message")).toObject(), peer.json());
    QVERIFY(bWs.roundTrip());
    QCOMPARE(bWs.received(QStringLiteral("message")).size(), 2);

    CHECK_ERROR(m_http->post(path,
                             {{QStringLiteral("body"), QStringLiteral("x")},
                              {QStringLiteral("client_msg_id"), QStringLiteral("c-2")}}),
                401, "unauthorized");
}

void tst_HttpApi::postMessageBodyRules()
{
    const Pair p = pair("rules");
    const QString path = QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation);
    int n = 0;
    auto post = [&](const QJsonValue &body, const QJsonValue &cmid) {
        QJsonObject o;
        if (!body.isUndefined())
            o.insert(QStringLiteral("body"), body);
        if (!cmid.isUndefined())
            o.insert(QStringLiteral("client_msg_id"), cmid);
        return m_http->post(path, o, p.a.token);
    };
    auto id = [&] { return QJsonValue(QStringLiteral("r-%1").arg(++n)); };
    const QJsonValue undef(QJsonValue::Undefined);

    CHECK_ERROR(post(QString(), id()), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral("   "), id()), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral(" \t\r\n "), id()), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral("\u00a0\u00a0"), id()), 400, "bad_request"); // NBSP
    CHECK_ERROR(post(QStringLiteral("\u2003\u3000 \u2029"), id()), 400, "bad_request");
    CHECK_ERROR(post(repeat(QStringLiteral("a"), 4001), id()), 400, "bad_request");
    CHECK_ERROR(post(repeat(QStringLiteral("😀"), 4001), id()), 400, "bad_request");
    CHECK_ERROR(post(undef, id()), 400, "bad_request");
    CHECK_ERROR(post(42, id()), 400, "bad_request");
    CHECK_ERROR(post(QJsonValue(), id()), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral("ok"), QString()), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral("ok"), repeat(QStringLiteral("k"), 65)), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral("ok"), undef), 400, "bad_request");
    CHECK_ERROR(post(QStringLiteral("ok"), 7), 400, "bad_request");
    // None of those was stored.
    QCOMPARE(m_http->get(path, p.a.token).json().value(QStringLiteral("items")).toArray().size(), 0);

    // Limits count code points: 4000 emoji, 64 emoji ids; text with spaces
    // around it is kept as given.
    const QString emoji4000 = repeat(QStringLiteral("😀"), 4000);
    const HttpResult big = post(emoji4000, id());
    CHECK_STATUS(big, 201);
    QCOMPARE(big.json().value(QStringLiteral("body")).toString(), emoji4000);
    CHECK_STATUS(post(repeat(QStringLiteral("a"), 4000), id()), 201);
    const QString longId = repeat(QStringLiteral("🔑"), 64);
    const HttpResult idOk = post(QStringLiteral("ok"), longId);
    CHECK_STATUS(idOk, 201);
    QCOMPARE(idOk.json().value(QStringLiteral("client_msg_id")).toString(), longId);
    const HttpResult spaced = post(QStringLiteral("\u00a0 selam \n"), id());
    CHECK_STATUS(spaced, 201);
    QCOMPARE(spaced.json().value(QStringLiteral("body")).toString(), QStringLiteral("\u00a0 selam \n"));
    const HttpResult seqs = m_http->get(path, p.a.token);
    QList<qint64> got;
    for (const QJsonValue v : seqs.json().value(QStringLiteral("items")).toArray())
        got << v.toObject().value(QStringLiteral("seq")).toInteger();
    QCOMPARE(got, (QList<qint64>{1, 2, 3, 4}));
}

void tst_HttpApi::history()
{
    const Pair p = pair("hist");
    const QString path = QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation);
    // 201 messages, sent over WebSocket (quick).
    WsClient a;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    // From one connection, pipelined: the writer keeps their order, so
    // seq i is message i.
    const int total = 201;
    for (int i = 1; i <= total; ++i)
        a.send(WsClient::sendFrame(p.conversation, QStringLiteral("h%1").arg(i), QStringLiteral("mesaj %1").arg(i)));
    QVERIFY(WsClient::waitUntil([&] { return a.received(QStringLiteral("ack")).size() == total; }, 30000));
    QVERIFY(a.received(QStringLiteral("error")).isEmpty());

    auto fetch = [&](const QString &query) {
        const HttpResult r = m_http->get(path + query, p.b.token);
        if (r.status != 200)
            qWarning("history %s: %d %s", qPrintable(query), r.status, r.body.constData());
        return r;
    };
    auto seqsOf = [](const HttpResult &r) {
        QList<qint64> out;
        for (const QJsonValue v : r.json().value(QStringLiteral("items")).toArray())
            out << v.toObject().value(QStringLiteral("seq")).toInteger();
        return out;
    };
    auto range = [](qint64 from, qint64 to) {
        QList<qint64> out;
        for (qint64 i = from; i <= to; ++i)
            out << i;
        return out;
    };
    // All of it, to map seq to id (limit is clamped at 200: two pages).
    const HttpResult newest = fetch(QStringLiteral("?limit=1000"));
    QCOMPARE(keysOf(newest.json()), setOf({"items", "has_more"}));
    QCOMPARE(seqsOf(newest), range(2, 201));
    QCOMPARE(newest.json().value(QStringLiteral("has_more")).toBool(), true);
    QHash<qint64, qint64> idOf;
    qint64 lastId = 0;
    for (const QJsonValue v : newest.json().value(QStringLiteral("items")).toArray()) {
        const QJsonObject m = v.toObject();
        QVERIFY(m.value(QStringLiteral("id")).toInteger() > lastId); // ascending by id
        lastId = m.value(QStringLiteral("id")).toInteger();
        idOf.insert(m.value(QStringLiteral("seq")).toInteger(), lastId);
        QCOMPARE(m.value(QStringLiteral("body")).toString(),
                 QStringLiteral("mesaj %1").arg(m.value(QStringLiteral("seq")).toInteger()));
        QCOMPARE(m.value(QStringLiteral("sender_id")).toInteger(), p.a.id);
    }
    const HttpResult oldest = fetch(QStringLiteral("?before_id=%1").arg(idOf[2]));
    QCOMPARE(seqsOf(oldest), QList<qint64>{1});
    QCOMPARE(oldest.json().value(QStringLiteral("has_more")).toBool(), false);
    idOf.insert(1, oldest.json().value(QStringLiteral("items")).toArray().first().toObject()
                       .value(QStringLiteral("id")).toInteger());

    // Default limit 50: the newest 50, ascending.
    const HttpResult def = fetch(QString());
    QCOMPARE(seqsOf(def), range(152, 201));
    QCOMPARE(def.json().value(QStringLiteral("has_more")).toBool(), true);
    // before_id: the newest below it.
    const HttpResult before = fetch(QStringLiteral("?before_id=%1&limit=10").arg(idOf[100]));
    QCOMPARE(seqsOf(before), range(90, 99));
    QCOMPARE(before.json().value(QStringLiteral("has_more")).toBool(), true);
    const HttpResult beforeAll = fetch(QStringLiteral("?before_id=%1&limit=10").arg(idOf[10]));
    QCOMPARE(seqsOf(beforeAll), range(1, 9));
    QCOMPARE(beforeAll.json().value(QStringLiteral("has_more")).toBool(), false);
    const HttpResult beforeExact = fetch(QStringLiteral("?before_id=%1&limit=9").arg(idOf[10]));
    QCOMPARE(seqsOf(beforeExact), range(1, 9));
    QCOMPARE(beforeExact.json().value(QStringLiteral("has_more")).toBool(), false);
    // after_id: the oldest above it, has_more for newer ones.
    const HttpResult after = fetch(QStringLiteral("?after_id=%1&limit=5").arg(idOf[10]));
    QCOMPARE(seqsOf(after), range(11, 15));
    QCOMPARE(after.json().value(QStringLiteral("has_more")).toBool(), true);
    const HttpResult afterEnd = fetch(QStringLiteral("?after_id=%1&limit=10").arg(idOf[195]));
    QCOMPARE(seqsOf(afterEnd), range(196, 201));
    QCOMPARE(afterEnd.json().value(QStringLiteral("has_more")).toBool(), false);
    const HttpResult afterLast = fetch(QStringLiteral("?after_id=%1").arg(idOf[201]));
    QCOMPARE(seqsOf(afterLast), QList<qint64>());
    QCOMPARE(afterLast.json().value(QStringLiteral("has_more")).toBool(), false);
    // Both: the window between.
    const HttpResult window = fetch(QStringLiteral("?after_id=%1&before_id=%2").arg(idOf[20]).arg(idOf[26]));
    QCOMPARE(seqsOf(window), range(21, 25));
    // 0 is a cursor like any other: after_id=0 is the oldest page (as with
    // sync), before_id=0 is empty.
    const HttpResult fromStart = fetch(QStringLiteral("?after_id=0&limit=70"));
    QCOMPARE(seqsOf(fromStart), range(1, 70));
    QCOMPARE(fromStart.json().value(QStringLiteral("has_more")).toBool(), true);
    const HttpResult beforeZero = fetch(QStringLiteral("?before_id=0"));
    QCOMPARE(seqsOf(beforeZero), QList<qint64>());
    QCOMPARE(beforeZero.json().value(QStringLiteral("has_more")).toBool(), false);
    // Paging forward with after_id from 0 visits every message once.
    QList<qint64> all;
    qint64 cursor = 0;
    for (int guard = 0; guard < 10; ++guard) {
        const HttpResult page = fetch(QStringLiteral("?after_id=%1&limit=70").arg(cursor));
        const QJsonArray items = page.json().value(QStringLiteral("items")).toArray();
        for (const QJsonValue v : items)
            all << v.toObject().value(QStringLiteral("seq")).toInteger();
        if (!items.isEmpty())
            cursor = items.last().toObject().value(QStringLiteral("id")).toInteger();
        if (!page.json().value(QStringLiteral("has_more")).toBool())
            break;
    }
    QCOMPARE(all, range(1, 201));

    for (const char *bad : {"?limit=-1", "?limit=x", "?before_id=-5", "?after_id=abc", "?limit=1e2"})
        CHECK_ERROR(m_http->get(path + QLatin1StringView(bad), p.a.token), 400, "bad_request");
    CHECK_ERROR(m_http->get(path), 401, "unauthorized");
}

void tst_HttpApi::report()
{
    const Pair p = pair("report");
    const auto stranger = m_http->registerUser(unique("report"));
    const qint64 id = postMsg(p.b, p.conversation, QStringLiteral("r1"), QStringLiteral("kaba söz"))
                          .value(QStringLiteral("id")).toInteger();
    const QString path = QStringLiteral("/api/v1/messages/%1/report").arg(id);
    CHECK_STATUS(m_http->post(path, {{QStringLiteral("reason"), QStringLiteral("hakaret")}}, p.a.token), 202);
    // The sender is a participant too.
    CHECK_STATUS(m_http->post(path, {{QStringLiteral("reason"), QStringLiteral("yanlışlıkla")}}, p.b.token), 202);
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("reason"), QStringLiteral("merak")}}, stranger.token), 404,
                "not_found");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/messages/987654321/report"),
                             {{QStringLiteral("reason"), QStringLiteral("x")}}, p.a.token),
                404, "not_found");
    CHECK_ERROR(m_http->post(path, QJsonObject{}, p.a.token), 400, "bad_request");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("reason"), 5}}, p.a.token), 400, "bad_request");
    CHECK_ERROR(m_http->post(path, {{QStringLiteral("reason"), QStringLiteral("x")}}), 401, "unauthorized");
}

// ---- administration -------------------------------------------------------

void tst_HttpApi::adminForbiddenForOthers()
{
    const Pair p = pair("nonadmin");
    const qint64 msg = postMsg(p.a, p.conversation, QStringLiteral("a1"), QStringLiteral("dokunma"))
                           .value(QStringLiteral("id")).toInteger();
    for (const auto &who : {p.a, p.b}) {
        CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/admin/users/%1/ban").arg(p.b.id),
                                 {{QStringLiteral("reason"), QStringLiteral("x")}}, who.token),
                    403, "forbidden");
        CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/admin/users/%1/unban").arg(p.b.id), QJsonObject{}, who.token),
                    403, "forbidden");
        CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/admin/users/%1/kick").arg(p.b.id), QJsonObject{}, who.token),
                    403, "forbidden");
        CHECK_ERROR(m_http->del(QStringLiteral("/api/v1/admin/messages/%1").arg(msg), who.token), 403, "forbidden");
    }
    // Without a token: 401.
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/admin/users/%1/kick").arg(p.b.id), QJsonObject{}), 401,
                "unauthorized");
    // Nothing happened.
    const HttpResult h = m_http->get(QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation), p.b.token);
    QCOMPARE(h.json().value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("body")).toString(),
             QStringLiteral("dokunma"));
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), p.b.token), 200);
}

void tst_HttpApi::adminBan()
{
    const Pair p = pair("ban");
    const QString victimName = m_http->get(QStringLiteral("/api/v1/me"), p.b.token).json()
                                   .value(QStringLiteral("username")).toString();
    const auto second = m_http->login(victimName);
    WsClient v1, v2, peer;
    QVERIFY(!v1.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!v2.connectAndHello(m_daemon.wsUrl(), second.token, true).isEmpty());
    QVERIFY(!peer.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());

    const HttpResult ban = m_http->post(QStringLiteral("/api/v1/admin/users/%1/ban").arg(p.b.id),
                                        {{QStringLiteral("reason"), QStringLiteral("dolandırıcılık")}}, m_admin.token);
    CHECK_STATUS(ban, 204);
    QVERIFY(ban.body.isEmpty());
    QVERIFY(v1.waitClosed());
    QVERIFY(v2.waitClosed());
    QCOMPARE(v1.closeCode(), 4003);
    QCOMPARE(v2.closeCode(), 4003);
    QVERIFY(peer.isOpen());
    // The peer sees them go offline.
    QVERIFY(!peer.nextWhere([&](const QJsonObject &o) {
                     return o.value(QStringLiteral("type")).toString() == u"presence"
                            && o.value(QStringLiteral("user_id")).toInteger() == p.b.id
                            && !o.value(QStringLiteral("online")).toBool();
                 }, 10000).isEmpty());

    // Every old token is dead: 401 over HTTP, 4001 on a new socket.
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me"), p.b.token), 401, "unauthorized");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me"), second.token), 401, "unauthorized");
    WsClient again;
    QVERIFY(again.open(m_daemon.wsUrl()));
    again.send({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), p.b.token}});
    QCOMPARE(again.nextOfType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
             QStringLiteral("unauthorized"));
    QVERIFY(again.waitClosed());
    QCOMPARE(again.closeCode(), 4001);
    // Login: 403 with the right password only.
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), victimName}, {QStringLiteral("password"), kPassword}}),
                403, "forbidden");
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/auth/login"),
                             {{QStringLiteral("username"), victimName}, {QStringLiteral("password"), QStringLiteral("guessing!")}}),
                401, "unauthorized");

    // A ban without a body is fine too; banning again is harmless.
    CHECK_STATUS(m_http->raw("POST", QStringLiteral("/api/v1/admin/users/%1/ban").arg(p.b.id), {}, {}, m_admin.token),
                 204);
    // Unban: logins work again (the old tokens stay dead).
    CHECK_STATUS(m_http->raw("POST", QStringLiteral("/api/v1/admin/users/%1/unban").arg(p.b.id), {}, {}, m_admin.token),
                 204);
    const auto back = m_http->login(victimName);
    QVERIFY(!back.token.isEmpty());
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), back.token), 200);
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/me"), p.b.token), 401, "unauthorized");
    WsClient after;
    QVERIFY(!after.connectAndHello(m_daemon.wsUrl(), back.token).isEmpty());
}

void tst_HttpApi::adminUnbanAndUnknownUsers()
{
    const auto u = m_http->registerUser(unique("unban"));
    for (const char *action : {"ban", "unban", "kick"})
        CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/admin/users/987654321/") + QLatin1StringView(action),
                                 QJsonObject{}, m_admin.token),
                    404, "not_found");
    CHECK_ERROR(m_http->del(QStringLiteral("/api/v1/admin/messages/987654321"), m_admin.token), 404, "not_found");
    // Unbanning someone who is not banned is fine.
    CHECK_STATUS(m_http->post(QStringLiteral("/api/v1/admin/users/%1/unban").arg(u.id), QJsonObject{}, m_admin.token),
                 204);
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), u.token), 200);
    CHECK_ERROR(m_http->post(QStringLiteral("/api/v1/admin/users/%1/ban").arg(u.id),
                             {{QStringLiteral("reason"), 12}}, m_admin.token),
                400, "bad_request");
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), u.token), 200);
}

void tst_HttpApi::adminKick()
{
    const Pair p = pair("kick");
    WsClient k1, k2, peer;
    QVERIFY(!k1.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!k2.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!peer.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    CHECK_STATUS(m_http->post(QStringLiteral("/api/v1/admin/users/%1/kick").arg(p.b.id), QJsonObject{}, m_admin.token),
                 204);
    QVERIFY(k1.waitClosed());
    QVERIFY(k2.waitClosed());
    QCOMPARE(k1.closeCode(), 4000);
    QCOMPARE(k2.closeCode(), 4000);
    QVERIFY(peer.isOpen());
    QVERIFY(peer.roundTrip());
    // The token still works, over HTTP and for a new socket.
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), p.b.token), 200);
    WsClient back;
    QVERIFY(!back.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!back.sendAndAck(p.conversation, QStringLiteral("k1"), QStringLiteral("geri geldim")).isEmpty());
}

void tst_HttpApi::adminDeleteMessage()
{
    const Pair p = pair("del");
    const auto stranger = m_http->registerUser(unique("delx"));
    // Connected before the sends, and each has its live copies before the
    // deletion: a socket opened just after a send may still get it live
    // (docs/protocol.md, ordering), which would make the sync below moot.
    WsClient a, b, x;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!x.connectAndHello(m_daemon.wsUrl(), stranger.token).isEmpty());
    const QJsonObject keep = postMsg(p.a, p.conversation, QStringLiteral("d0"), QStringLiteral("kalsın"));
    const QJsonObject m = postMsg(p.a, p.conversation, QStringLiteral("d1"), QStringLiteral("silinecek söz"));
    const qint64 id = m.value(QStringLiteral("id")).toInteger();
    for (WsClient *c : {&a, &b})
        QVERIFY(!c->nextWhere([&](const QJsonObject &o) {
                       return o.value(QStringLiteral("type")).toString() == u"message"
                              && o.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger() == id;
                   }).isEmpty());

    CHECK_STATUS(m_http->del(QStringLiteral("/api/v1/admin/messages/%1").arg(id), m_admin.token), 204);
    for (WsClient *c : {&a, &b}) {
        const QJsonObject f = c->nextOfType(QStringLiteral("message_deleted"));
        QCOMPARE(keysOf(f), setOf({"type", "conversation_id", "message_id"}));
        QCOMPARE(f.value(QStringLiteral("conversation_id")).toInteger(), p.conversation);
        QCOMPARE(f.value(QStringLiteral("message_id")).toInteger(), id);
    }
    // History: deleted, empty body, the rest unchanged.
    const QJsonArray items = m_http->get(QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation), p.b.token)
                                 .json().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[0].toObject(), keep);
    const QJsonObject gone = items[1].toObject();
    QCOMPARE(gone.value(QStringLiteral("id")).toInteger(), id);
    QCOMPARE(gone.value(QStringLiteral("deleted")).toBool(), true);
    QCOMPARE(gone.value(QStringLiteral("body")).toString(), QString());
    QCOMPARE(gone.value(QStringLiteral("seq")).toInteger(), 2);
    QVERIFY(!items[0].toObject().contains(QStringLiteral("deleted"))
            || !items[0].toObject().value(QStringLiteral("deleted")).toBool());
    // As last_message too, and in a sync.
    const QJsonObject last = m_http->get(QStringLiteral("/api/v1/conversations/%1").arg(p.conversation), p.a.token)
                                 .json().value(QStringLiteral("last_message")).toObject();
    QCOMPARE(last.value(QStringLiteral("deleted")).toBool(), true);
    QCOMPARE(last.value(QStringLiteral("body")).toString(), QString());
    // A socket opened after the deletion syncs it as deleted.
    WsClient late;
    QVERIFY(!late.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    late.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), id - 1}});
    const QJsonObject synced = late.nextWhere([&](const QJsonObject &o) {
        return o.value(QStringLiteral("type")).toString() == u"message"
               && o.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger() == id;
    });
    QCOMPARE(synced.value(QStringLiteral("message")).toObject().value(QStringLiteral("deleted")).toBool(), true);
    QCOMPARE(synced.value(QStringLiteral("message")).toObject().value(QStringLiteral("body")).toString(), QString());
    // A repeat is harmless; the stranger heard nothing.
    CHECK_STATUS(m_http->del(QStringLiteral("/api/v1/admin/messages/%1").arg(id), m_admin.token), 204);
    QVERIFY(x.roundTrip());
    QVERIFY(x.received(QStringLiteral("message_deleted")).isEmpty());
}

// A connection that has not synced yet holds live messages for the sync
// grace period; a deletion (or read) naming a held message used to go out at
// once, so the client heard of the deletion first and then got the message
// with its body. It is held behind the message now.
void tst_HttpApi::deletionNeverOvertakesItsMessage()
{
    const Pair p = pair("delorder");
    WsClient b;
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty()); // sends nothing: in grace
    const qint64 id = postMsg(p.a, p.conversation, QStringLiteral("o1"), QStringLiteral("hemen silinecek"))
                          .value(QStringLiteral("id")).toInteger();
    CHECK_STATUS(m_http->del(QStringLiteral("/api/v1/admin/messages/%1").arg(id), m_admin.token), 204);
    QVERIFY(!b.nextOfType(QStringLiteral("message_deleted"), 10000).isEmpty());
    QStringList order;
    for (const QJsonObject &f : b.all()) {
        const QString type = f.value(QStringLiteral("type")).toString();
        if (type == u"message" || type == u"message_deleted")
            order << type;
    }
    QCOMPARE(order, (QStringList{QStringLiteral("message"), QStringLiteral("message_deleted")}));
}

void tst_HttpApi::adminListings()
{
    const auto user = m_http->registerUser(unique("listing"));
    for (const char *listing : {"instances", "connections", "queues", "reports", "stats"})
        CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/admin/") + QLatin1StringView(listing), user.token), 403,
                    "forbidden");
    // The console's endpoints: 200 for an admin (the shapes are the
    // project's; they must at least be JSON).
    for (const char *listing : {"instances", "connections", "queues", "reports", "stats"}) {
        const HttpResult r = m_http->get(QStringLiteral("/api/v1/admin/") + QLatin1StringView(listing), m_admin.token);
        QVERIFY2(r.status == 200, qPrintable(QStringLiteral("/admin/%1: %2 %3")
                                                 .arg(QLatin1StringView(listing))
                                                 .arg(r.status)
                                                 .arg(QString::fromUtf8(r.body))));
        QJsonParseError perr;
        QJsonDocument::fromJson(r.body, &perr);
        QCOMPARE(perr.error, QJsonParseError::NoError);
    }
}

// ---- conventions ----------------------------------------------------------

void tst_HttpApi::contentTypeAndJson()
{
    const auto u = m_http->registerUser(unique("ctype"));
    const auto t = m_http->registerUser(unique("ctype"), QStringLiteral("tradesman"));
    const qint64 conv = m_http->conversation(u, t.id);
    const QByteArray reg = QJsonDocument(QJsonObject{{QStringLiteral("username"), unique("ctype")},
                                                     {QStringLiteral("password"), kPassword},
                                                     {QStringLiteral("display_name"), QStringLiteral("x")},
                                                     {QStringLiteral("role"), QStringLiteral("customer")}})
                               .toJson(QJsonDocument::Compact);
    const QString regPath = QStringLiteral("/api/v1/auth/register");
    CHECK_ERROR(m_http->raw("POST", regPath, reg, "text/plain"), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", regPath, reg, "application/x-www-form-urlencoded"), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", regPath, reg, {}), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", regPath, "{\"username\": ", "application/json"), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", regPath, "[1,2]", "application/json"), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", regPath, "\"text\"", "application/json"), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", regPath, {}, "application/json"), 400, "bad_request");
    // With parameters it is still JSON.
    CHECK_STATUS(m_http->raw("POST", regPath, reg, "application/json; charset=utf-8"), 201);

    const QString msgPath = QStringLiteral("/api/v1/conversations/%1/messages").arg(conv);
    const QByteArray msg = "{\"body\":\"x\",\"client_msg_id\":\"ct1\"}";
    CHECK_ERROR(m_http->raw("POST", msgPath, msg, "text/plain", u.token), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", msgPath, "{\"body\":\"x\",", "application/json", u.token), 400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", QStringLiteral("/api/v1/conversations"), "peer", "application/json", u.token), 400,
                "bad_request");
    CHECK_ERROR(m_http->raw("POST", QStringLiteral("/api/v1/auth/login"), "{}", "text/json"), 400, "bad_request");
    CHECK_ERROR(m_http->raw("PUT", QStringLiteral("/api/v1/me/profile"), "{\"business_name\":\"a\",\"category\":\"b\",\"city\":\"c\"}",
                            "text/plain", t.token),
                400, "bad_request");
    CHECK_ERROR(m_http->raw("POST", QStringLiteral("/api/v1/conversations/%1/read").arg(conv), "{nope}",
                            "application/json", u.token),
                400, "bad_request");
    // U+0000 cannot be stored: refused, never a database error.
    CHECK_ERROR(m_http->raw("POST", msgPath, "{\"body\":\"a\\u0000b\",\"client_msg_id\":\"ct2\"}", "application/json",
                            u.token),
                400, "bad_request");
    // None of it was stored.
    QCOMPARE(m_http->get(msgPath, u.token).json().value(QStringLiteral("items")).toArray().size(), 0);
}

void tst_HttpApi::bodyTooLarge()
{
    const auto u = m_http->registerUser(unique("large"));
    const auto t = m_http->registerUser(unique("large"), QStringLiteral("tradesman"));
    const qint64 conv = m_http->conversation(u, t.id);
    // Over the default 64 KiB.
    const QByteArray body = "{\"body\":\"" + QByteArray(65 * 1024, 'a') + "\",\"client_msg_id\":\"big\"}";
    CHECK_ERROR(m_http->raw("POST", QStringLiteral("/api/v1/conversations/%1/messages").arg(conv), body,
                            "application/json", u.token),
                413, "too_large");
    const QByteArray reg = "{\"username\":\"" + unique("large").toUtf8() + "\",\"password\":\"password123\","
                           "\"display_name\":\"x\",\"role\":\"customer\",\"pad\":\""
                           + QByteArray(70000, 'p') + "\"}";
    CHECK_ERROR(m_http->raw("POST", QStringLiteral("/api/v1/auth/register"), reg, "application/json"), 413, "too_large");
    // Exactly 64 KiB is within the limit.
    QByteArray exact = "{\"username\":\"" + unique("large").toUtf8() + "\",\"password\":\"password123\","
                       "\"display_name\":\"x\",\"role\":\"customer\",\"pad\":\"";
    exact += QByteArray(64 * 1024 - exact.size() - 2, 'p') + "\"}";
    QCOMPARE(exact.size(), 64 * 1024);
    CHECK_STATUS(m_http->raw("POST", QStringLiteral("/api/v1/auth/register"), exact, "application/json"), 201);
    // The daemon is fine afterwards.
    CHECK_STATUS(m_http->get(QStringLiteral("/api/v1/me"), u.token), 200);
}

void tst_HttpApi::unknownEndpoint()
{
    const auto u = m_http->registerUser(unique("unknown"));
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/nothing-here"), u.token), 404, "not_found");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/conversations/0"), u.token), 404, "not_found");
    CHECK_ERROR(m_http->get(QStringLiteral("/api/v1/conversations/99999999999999999999"), u.token), 404, "not_found");
}

void tst_HttpApi::perUserHttpBudget()
{
    DaemonProcess small;
    QString error;
    QTemporaryDir dir;
    QVERIFY2(small.start(freshDatabaseUrl(QStringLiteral("postgresql"), dir.path()),
                         DaemonProcess::defaultArgs()
                             << QStringLiteral("--http-user-rate") << QStringLiteral("0.5")
                             << QStringLiteral("--http-user-burst") << QStringLiteral("5")
                             << QStringLiteral("--http-address-rate") << QStringLiteral("0.5")
                             << QStringLiteral("--http-address-burst") << QStringLiteral("30")
                             << QStringLiteral("--body-limit") << QStringLiteral("2048"),
                         error),
             qPrintable(error));
    HttpClient http(small.httpUrl(QString()));
    const auto a = http.registerUser(QStringLiteral("budget_a"));
    const auto b = http.registerUser(QStringLiteral("budget_b"));
    // --body-limit is honoured too.
    CHECK_ERROR(http.raw("POST", QStringLiteral("/api/v1/auth/login"),
                         "{\"username\":\"budget_a\",\"password\":\"" + QByteArray(3000, 'x') + "\"}",
                         "application/json"),
                413, "too_large");
    for (int i = 0; i < 5; ++i)
        CHECK_STATUS(http.get(QStringLiteral("/api/v1/me"), a.token), 200);
    const HttpResult limited = http.get(QStringLiteral("/api/v1/me"), a.token);
    CHECK_ERROR(limited, 429, "rate_limited");
    const QByteArray retry = limited.header("Retry-After");
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+$")).match(QString::fromLatin1(retry)).hasMatch(),
             retry.constData());
    QVERIFY(retry.toInt() >= 1);
    CHECK_ERROR(http.get(QStringLiteral("/api/v1/conversations"), a.token), 429, "rate_limited");
    // Another user has a budget of their own; anonymous directory reads too.
    CHECK_STATUS(http.get(QStringLiteral("/api/v1/me"), b.token), 200);
    CHECK_STATUS(http.get(QStringLiteral("/api/v1/tradesmen")), 200);

    // The per-address budget: one address (as a trusted proxy names it)
    // runs out, another does not.
    auto fromAddress = [&](const QByteArray &address) {
        return http.raw("GET", QStringLiteral("/api/v1/tradesmen"), {}, {}, {}, {{"X-Real-IP", address}});
    };
    for (int i = 0; i < 30; ++i)
        CHECK_STATUS(fromAddress("198.51.100.1"), 200);
    const HttpResult byAddress = fromAddress("198.51.100.1");
    CHECK_ERROR(byAddress, 429, "rate_limited");
    QVERIFY(byAddress.header("Retry-After").toInt() >= 1);
    CHECK_STATUS(fromAddress("198.51.100.2"), 200);
    QCOMPARE(small.terminate(), 0);
}

void tst_HttpApi::healthAndReadiness()
{
    const HttpResult h = m_http->get(QStringLiteral("/healthz"));
    CHECK_STATUS(h, 200);
    QCOMPARE(h.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QVERIFY(h.header("Content-Type").startsWith("application/json"));
    const HttpResult r = m_http->get(QStringLiteral("/readyz"));
    CHECK_STATUS(r, 200);
    QJsonParseError perr;
    QJsonDocument::fromJson(r.body, &perr);
    QCOMPARE(perr.error, QJsonParseError::NoError);
}

void tst_HttpApi::metrics()
{
    // Some traffic first, so that every family has a sample.
    const Pair p = pair("metrics");
    WsClient a, b;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!a.sendAndAck(p.conversation, QStringLiteral("mt1"), QStringLiteral("ölçüm")).isEmpty());
    QVERIFY(!b.nextOfType(QStringLiteral("message")).isEmpty());
    m_http->get(QStringLiteral("/api/v1/conversations/987654321"), p.a.token);

    const HttpResult r = m_http->get(QStringLiteral("/metrics"));
    CHECK_STATUS(r, 200);
    QVERIFY2(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type").constData());
    const QString text = QString::fromUtf8(r.body);
    QHash<QString, QString> types;
    static const QRegularExpression typeLine(QStringLiteral("^# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)$"));
    static const QRegularExpression sampleLine(
        QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
                       "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*,?\\})? "
                       "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?$"));
    QSet<QString> samples;
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (line.startsWith(QLatin1String("# HELP ")))
            continue;
        if (line.startsWith(QLatin1Char('#'))) {
            const auto m = typeLine.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(line));
            types.insert(m.captured(1), m.captured(2));
            continue;
        }
        const auto m = sampleLine.match(line);
        QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("not exposition format: ") + line));
        QVERIFY2(m.captured(1).startsWith(QLatin1String("sanayicin_")), qPrintable(line));
        samples.insert(m.captured(1));
        if (m.captured(1) == u"sanayicin_http_requests_total")
            QVERIFY2(line.contains(QLatin1String("route=")) && line.contains(QLatin1String("status=")),
                     qPrintable(line));
    }
    const QList<std::pair<const char *, const char *>> expected{
        {"sanayicin_websocket_connections", "gauge"},
        {"sanayicin_messages_received_total", "counter"},
        {"sanayicin_messages_delivered_total", "counter"},
        {"sanayicin_messages_persisted_total", "counter"},
        {"sanayicin_http_requests_total", "counter"},
        {"sanayicin_http_request_duration_seconds", "histogram"},
        {"sanayicin_receive_to_ack_seconds", "histogram"},
        {"sanayicin_db_query_seconds", "histogram"},
        {"sanayicin_bridge_published_total", "counter"},
        {"sanayicin_bridge_received_total", "counter"},
        {"sanayicin_bridge_reconnects_total", "counter"},
        {"sanayicin_job_queue_depth", "gauge"},
        {"sanayicin_jobs_total", "counter"},
    };
    for (const auto &[name, type] : expected) {
        const QString n = QString::fromLatin1(name);
        QVERIFY2(types.value(n) == QLatin1StringView(type),
                 qPrintable(QStringLiteral("%1 should be a %2, is \"%3\"").arg(n, QLatin1StringView(type), types.value(n))));
        if (types.value(n) == u"histogram")
            QVERIFY2(samples.contains(n + QStringLiteral("_bucket")) && samples.contains(n + QStringLiteral("_sum"))
                         && samples.contains(n + QStringLiteral("_count")),
                     qPrintable(n));
        else
            QVERIFY2(samples.contains(n), qPrintable(n));
    }
    static const QRegularExpression ws(QStringLiteral("^sanayicin_websocket_connections(\\{[^}]*\\})? ([0-9.]+)$"),
                                       QRegularExpression::MultilineOption);
    const auto open = ws.match(text);
    QVERIFY(open.hasMatch());
    QVERIFY(open.captured(2).toDouble() >= 2);
}

void tst_HttpApi::pipelinedRequestsInOrder()
{
    // Four requests in one write: a slow one (password hashing), one that
    // fails at once, one that asks the database, one answered at once.
    // HTTP/1.1 answers in order.
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_daemon.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray login = "{\"username\":\"nobody_here\",\"password\":\"whatever-pass\"}";
    socket.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Content-Length: " + QByteArray::number(login.size()) + "\r\n\r\n" + login
                 + "GET /api/v1/no-such-thing HTTP/1.1\r\nHost: t\r\n\r\n"
                   "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n"
                   "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    QByteArray in;
    struct Response { int status; QByteArray body; };
    QList<Response> responses;
    auto parse = [&] {
        for (;;) {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = in.left(end);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (in.size() < end + 4 + length)
                return;
            responses.push_back({head.mid(9, 3).toInt(), in.mid(end + 4, length)});
            in.remove(0, end + 4 + length);
        }
    };
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 in += socket.readAll();
                                 parse();
                                 return responses.size() >= 4;
                             }()),
                             15000);
    QCOMPARE(responses.size(), 4);
    QCOMPARE(responses[0].status, 401);
    QVERIFY(responses[0].body.contains("unauthorized"));
    QCOMPARE(responses[1].status, 404);
    QVERIFY(responses[1].body.contains("not_found"));
    QCOMPARE(responses[2].status, 200);
    QVERIFY(responses[2].body.contains("database"));
    QCOMPARE(responses[3].status, 200);
    QCOMPARE(QJsonDocument::fromJson(responses[3].body).object(),
             (QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}}));
}

QTEST_MAIN(tst_HttpApi)
#include "tst_http_api.moc"
