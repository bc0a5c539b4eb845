// The daemon's real answers against its OpenAPI document: every operation of
// GET /openapi.json is called on a daemon with PostgreSQL and Redis, for its
// success and its main errors, and every answer must be listed in the
// document for that operation and status, with the documented content type,
// required headers and a body valid against the documented schema (a
// response without content must have no body). Request bodies the daemon
// accepts must be valid against the documented request schema too. The last
// test checks that each operation got a successful answer.

#include "daemon_process.h"
#include "http_client.h"
#include "openapi_document.h"
#include "test_env.h"
#include "ws_client.h"

#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace sanayicin::test;

namespace {

const QString kPassword = QStringLiteral("password123");
const QString kAdminPassword = QStringLiteral("admin-secret-1");
const QString kMetricsToken = QStringLiteral("metrics-secret-1");

QString unique(const char *prefix)
{
    static int counter = 0;
    return QStringLiteral("%1_%2").arg(QLatin1StringView(prefix)).arg(++counter);
}

QByteArray j(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// One request: `tmpl` is the document's path template, `path` the request's
// path and query (the template itself when empty).
struct Req
{
    QByteArray method = "GET";
    QString tmpl;
    QString path;
    QByteArray body;
    QString token;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;
};

} // namespace

// Sends, checks the answer against the document, and fails the test when the
// status is not `expected` or the answer is not as documented.
#define CALL(expected, ...)                                                                      \
    do {                                                                                         \
        const QString p_ = exchange(expected, Req __VA_ARGS__);                                  \
        QVERIFY2(p_.isEmpty(), qPrintable(p_));                                                  \
    } while (false)

class tst_OpenApiResponses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void documentIsServed();
    void accounts();
    void directory();
    void conversations();
    void messages();
    void administration();
    void listings();
    void moderation();
    void operations();
    void operationsWhenRedisIsDown();
    void jobQueues();
    void web();
    void webSocketUpgrade();
    void everyOperationAnswered();

private:
    QString exchange(int expected, const Req &req);
    QString checkAnswer(const QString &method, const QString &tmpl, const HttpResult &r);
    HttpResult upgrade(const QByteArray &target);
    QString registerUser(const QString &role, HttpClient::Account &out);

    QTemporaryDir m_dir;
    QString m_dbUrl;
    QString m_redisUrl;
    DaemonProcess m_daemon;
    std::unique_ptr<HttpClient> m_http;
    OpenApiDocument m_doc;
    HttpResult m_last;
    QMap<QString, QSet<int>> m_seen; // "GET /api/v1/me" -> statuses answered

    HttpClient::Account m_admin, m_customer, m_tradesman, m_other;
    qint64 m_conversation = 0;
    qint64 m_message = 0;
};

void tst_OpenApiResponses::initTestCase()
{
    QString error;
    m_dbUrl = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
    // Redis with a database of its own: the budgets kept there are not
    // spent by suites running beside this one.
    QString redis = TestEnv::redisUrl();
    QVERIFY(!redis.isEmpty());
    redis = redis.left(redis.lastIndexOf(u'/')) + QStringLiteral("/11");
    m_redisUrl = redis;
    // One send a second after the burst of 40: the burst of sends in
    // messages() meets 429 however slowly the machine answers.
    QVERIFY2(m_daemon.start(m_dbUrl,
                            DaemonProcess::defaultArgs() << QStringLiteral("--redis") << redis
                                                         << QStringLiteral("--send-rate") << QStringLiteral("1"),
                            error),
             qPrintable(error));
    m_http = std::make_unique<HttpClient>(m_daemon.httpUrl(QString()));
    QTRY_VERIFY_WITH_TIMEOUT(m_http->get(QStringLiteral("/readyz")).status == 200, 10000);

    const HttpResult served = m_http->get(QStringLiteral("/openapi.json"));
    QCOMPARE(served.status, 200);
    QVERIFY2(m_doc.load(served.body, error), qPrintable(error));

    QVERIFY2(DaemonProcess::createUser(m_dbUrl, QStringLiteral("root_admin"), kAdminPassword, true, error),
             qPrintable(error));
    m_admin = m_http->login(QStringLiteral("root_admin"), kAdminPassword);
    QVERIFY(!m_admin.token.isEmpty());
}

void tst_OpenApiResponses::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

QString tst_OpenApiResponses::exchange(int expected, const Req &req)
{
    const QString path = req.path.isEmpty() ? req.tmpl : req.path;
    m_last = m_http->raw(req.method, path, req.body, req.body.isEmpty() ? QByteArray() : req.contentType,
                         req.token, req.headers);
    const QString name = QString::fromLatin1(req.method) + u' ' + path;
    if (m_last.status != expected)
        return QStringLiteral("%1: expected %2, got %3: %4")
            .arg(name)
            .arg(expected)
            .arg(m_last.status)
            .arg(QString::fromUtf8(m_last.body.left(500)));
    // A body the daemon took must be one the document allows.
    const QJsonObject op = m_doc.operation(QString::fromLatin1(req.method), req.tmpl);
    if (expected < 300 && !req.body.isEmpty()) {
        if (const auto schema = m_doc.requestSchema(op)) {
            const QStringList problems =
                m_doc.validate(*schema, QJsonDocument::fromJson(req.body).object(), QStringLiteral("request"));
            if (!problems.isEmpty())
                return name + QStringLiteral(": the document refuses a request the daemon took: ")
                       + problems.join(QStringLiteral("; "));
        }
    }
    const QString problem = checkAnswer(QString::fromLatin1(req.method), req.tmpl, m_last);
    return problem.isEmpty() ? QString() : name + QStringLiteral(": ") + problem;
}

QString tst_OpenApiResponses::checkAnswer(const QString &method, const QString &tmpl, const HttpResult &r)
{
    const QJsonObject op = m_doc.operation(method, tmpl);
    if (op.isEmpty())
        return QStringLiteral("the document has no operation %1 %2").arg(method, tmpl);
    const auto response = m_doc.response(op, r.status);
    if (!response)
        return QStringLiteral("status %1 is not listed for %2 %3 (body %4)")
            .arg(r.status)
            .arg(method, tmpl, QString::fromUtf8(r.body.left(300)));
    m_seen[method + u' ' + tmpl].insert(r.status);

    const QJsonObject headers = response->value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        QJsonObject h = it.value().toObject();
        if (h.contains(QStringLiteral("$ref")))
            h = m_doc.resolve(h.value(QStringLiteral("$ref")).toString()).toObject();
        if (h.value(QStringLiteral("required")).toBool() && r.header(it.key().toLatin1()).isEmpty())
            return QStringLiteral("%1 without the header %2").arg(r.status).arg(it.key());
        if (h.contains(QStringLiteral("schema")) && !r.header(it.key().toLatin1()).isEmpty()) {
            const QJsonValue value = QJsonDocument::fromJson("[" + r.header(it.key().toLatin1()) + "]").array().at(0);
            const QStringList problems = m_doc.validate(h.value(QStringLiteral("schema")), value, it.key());
            if (!problems.isEmpty())
                return problems.join(QStringLiteral("; "));
        }
    }

    const QJsonObject content = response->value(QStringLiteral("content")).toObject();
    if (content.isEmpty())
        return r.body.isEmpty() ? QString()
                                : QStringLiteral("%1 has no content in the document, but a body: %2")
                                      .arg(r.status)
                                      .arg(QString::fromUtf8(r.body.left(300)));
    const QString type = QString::fromLatin1(r.header("Content-Type").split(';').first().trimmed().toLower());
    if (!content.contains(type))
        return QStringLiteral("content type \"%1\" is not listed for %2 (%3)")
            .arg(type)
            .arg(r.status)
            .arg(content.keys().join(u", "));
    if (type != u"application/json")
        return {};
    QJsonParseError parseError;
    const QJsonDocument body = QJsonDocument::fromJson(r.body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("the body is not JSON: ") + parseError.errorString();
    const QJsonValue value = body.isArray() ? QJsonValue(body.array()) : QJsonValue(body.object());
    const QStringList problems =
        m_doc.validate(content.value(type).toObject().value(QStringLiteral("schema")), value);
    return problems.isEmpty() ? QString()
                              : QStringLiteral("the %1 body does not match its schema: %2 (body %3)")
                                    .arg(r.status)
                                    .arg(problems.join(QStringLiteral("; ")), QString::fromUtf8(r.body.left(600)));
}

QString tst_OpenApiResponses::registerUser(const QString &role, HttpClient::Account &out)
{
    const QString name = unique(role == u"tradesman" ? "usta" : "musteri");
    const QString problem = exchange(201, {.method = "POST", .tmpl = QStringLiteral("/api/v1/auth/register"),
                                           .body = j({{QStringLiteral("username"), name},
                                                      {QStringLiteral("password"), kPassword},
                                                      {QStringLiteral("display_name"), QStringLiteral("Işık ") + name},
                                                      {QStringLiteral("role"), role}})});
    const QJsonObject o = m_last.json();
    out.token = o.value(QStringLiteral("token")).toString();
    out.id = o.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    return problem;
}

void tst_OpenApiResponses::documentIsServed()
{
    CALL(200, {.tmpl = QStringLiteral("/openapi.json")});
    QFile source(QStringLiteral(SANAYICIN_SOURCE_DIR "/resources/openapi/openapi.json"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(m_last.body, source.readAll());
    // Any route: a query string that is not UTF-8 form encoding.
    CALL(400, {.tmpl = QStringLiteral("/openapi.json"), .path = QStringLiteral("/openapi.json?x=%C3%28")});
}

void tst_OpenApiResponses::accounts()
{
    const QString reg = QStringLiteral("/api/v1/auth/register");
    const QString login = QStringLiteral("/api/v1/auth/login");
    QString problem = registerUser(QStringLiteral("customer"), m_customer);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = registerUser(QStringLiteral("tradesman"), m_tradesman);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = registerUser(QStringLiteral("customer"), m_other);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const QString taken = unique("taken");
    const QJsonObject account{{QStringLiteral("username"), taken}, {QStringLiteral("password"), kPassword},
                              {QStringLiteral("display_name"), QStringLiteral("T")}, {QStringLiteral("role"), QStringLiteral("customer")}};
    CALL(201, {.method = "POST", .tmpl = reg, .body = j(account)});
    CALL(409, {.method = "POST", .tmpl = reg, .body = j(account)});
    QJsonObject admin = account;
    admin[QStringLiteral("role")] = QStringLiteral("admin");
    CALL(400, {.method = "POST", .tmpl = reg, .body = j(admin)});
    CALL(400, {.method = "POST", .tmpl = reg, .body = j(account), .contentType = "text/plain"});
    CALL(413, {.method = "POST", .tmpl = reg, .body = QByteArray(70 * 1024, ' ')});

    CALL(200, {.method = "POST", .tmpl = login, .body = j({{QStringLiteral("username"), taken}, {QStringLiteral("password"), kPassword}})});
    CALL(400, {.method = "POST", .tmpl = login, .body = j({{QStringLiteral("username"), taken}})});
    // Ten a minute per address and username (burst 10), wrong or not.
    bool limited = false;
    for (int i = 0; i < 12 && !limited; ++i) {
        const QByteArray wrong = j({{QStringLiteral("username"), taken}, {QStringLiteral("password"), QStringLiteral("wrong-password")}});
        m_last = m_http->raw("POST", login, wrong, "application/json");
        limited = m_last.status == 429;
        const QString p = checkAnswer(QStringLiteral("POST"), login, m_last);
        QVERIFY2(p.isEmpty(), qPrintable(p));
        QVERIFY(m_last.status == 401 || m_last.status == 429);
    }
    QVERIFY2(limited, "no 429 after 12 wrong logins");

    const QString me = QStringLiteral("/api/v1/me");
    CALL(200, {.tmpl = me, .token = m_customer.token});
    CALL(401, {.tmpl = me});
    CALL(401, {.tmpl = me, .token = QStringLiteral("not-a-token")});

    HttpClient::Account leaving;
    problem = registerUser(QStringLiteral("customer"), leaving);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    CALL(204, {.method = "POST", .tmpl = QStringLiteral("/api/v1/auth/logout"), .token = leaving.token});
    CALL(401, {.method = "POST", .tmpl = QStringLiteral("/api/v1/auth/logout"), .token = leaving.token});
}

void tst_OpenApiResponses::directory()
{
    const QString profile = QStringLiteral("/api/v1/me/profile");
    const QJsonObject card{{QStringLiteral("business_name"), QStringLiteral("Işık Oto Elektrik")},
                           {QStringLiteral("category"), QStringLiteral("Oto Elektrik")},
                           {QStringLiteral("city"), QStringLiteral("İstanbul")},
                           {QStringLiteral("district"), QStringLiteral("Kadıköy")},
                           {QStringLiteral("description"), QStringLiteral("Akü ve marş motoru")}};
    CALL(200, {.method = "PUT", .tmpl = profile, .body = j(card), .token = m_tradesman.token});
    CALL(403, {.method = "PUT", .tmpl = profile, .body = j(card), .token = m_customer.token});
    CALL(400, {.method = "PUT", .tmpl = profile, .body = j({{QStringLiteral("category"), QStringLiteral("x")}}), .token = m_tradesman.token});
    CALL(401, {.method = "PUT", .tmpl = profile, .body = j(card)});

    const QString search = QStringLiteral("/api/v1/tradesmen");
    CALL(200, {.tmpl = search});
    CALL(200, {.tmpl = search, .path = QStringLiteral("/api/v1/tradesmen?q=I%C5%9EIK&city=istanbul&limit=1000&offset=0")});
    QVERIFY2(m_last.json().value(QStringLiteral("total")).toInteger() >= 1, m_last.body.constData());
    CALL(400, {.tmpl = search, .path = QStringLiteral("/api/v1/tradesmen?limit=-1")});

    const QString one = QStringLiteral("/api/v1/tradesmen/{id}");
    CALL(200, {.tmpl = one, .path = QStringLiteral("/api/v1/tradesmen/%1").arg(m_tradesman.id)});
    CALL(404, {.tmpl = one, .path = QStringLiteral("/api/v1/tradesmen/%1").arg(m_customer.id)});
    CALL(404, {.tmpl = one, .path = QStringLiteral("/api/v1/tradesmen/0")});
}

void tst_OpenApiResponses::conversations()
{
    const QString open = QStringLiteral("/api/v1/conversations");
    const QJsonObject withTradesman{{QStringLiteral("peer_id"), m_tradesman.id}};
    CALL(201, {.method = "POST", .tmpl = open, .body = j(withTradesman), .token = m_customer.token});
    m_conversation = m_last.json().value(QStringLiteral("id")).toInteger();
    QVERIFY(m_conversation > 0);
    // The tradesman does not see it yet: the public form of a participant.
    CALL(200, {.method = "POST", .tmpl = open, .body = j(withTradesman), .token = m_customer.token});
    CALL(400, {.method = "POST", .tmpl = open, .body = j({{QStringLiteral("peer_id"), m_customer.id}}), .token = m_customer.token});
    CALL(400, {.method = "POST", .tmpl = open, .body = j({{QStringLiteral("peer_id"), QStringLiteral("7")}}), .token = m_customer.token});
    CALL(404, {.method = "POST", .tmpl = open, .body = j({{QStringLiteral("peer_id"), m_admin.id}}), .token = m_customer.token});
    CALL(403, {.method = "POST", .tmpl = open, .body = j(withTradesman), .token = m_admin.token});
    CALL(401, {.method = "POST", .tmpl = open, .body = j(withTradesman)});

    CALL(200, {.tmpl = open, .token = m_customer.token});
    CALL(200, {.tmpl = open, .path = QStringLiteral("/api/v1/conversations?limit=1&offset=5"), .token = m_customer.token});
    CALL(400, {.tmpl = open, .path = QStringLiteral("/api/v1/conversations?offset=x"), .token = m_customer.token});

    const QString one = QStringLiteral("/api/v1/conversations/{id}");
    const QString path = QStringLiteral("/api/v1/conversations/%1").arg(m_conversation);
    CALL(200, {.tmpl = one, .path = path, .token = m_customer.token});
    CALL(404, {.tmpl = one, .path = path, .token = m_tradesman.token}); // not shown to them yet
    CALL(404, {.tmpl = one, .path = path, .token = m_other.token});
    CALL(401, {.tmpl = one, .path = path});
}

void tst_OpenApiResponses::messages()
{
    const QString send = QStringLiteral("/api/v1/conversations/{id}/messages");
    const QString path = QStringLiteral("/api/v1/conversations/%1/messages").arg(m_conversation);
    const QJsonObject hello{{QStringLiteral("body"), QStringLiteral("Merhaba, akü değişimi ne kadar?")},
                            {QStringLiteral("client_msg_id"), QStringLiteral("c-1")}};
    CALL(201, {.method = "POST", .tmpl = send, .path = path, .body = j(hello), .token = m_customer.token});
    m_message = m_last.json().value(QStringLiteral("id")).toInteger();
    CALL(200, {.method = "POST", .tmpl = send, .path = path, .body = j(hello), .token = m_customer.token});
    CALL(400, {.method = "POST", .tmpl = send, .path = path,
               .body = j({{QStringLiteral("body"), QStringLiteral(" \u00a0")}, {QStringLiteral("client_msg_id"), QStringLiteral("c-2")}}),
               .token = m_customer.token});
    CALL(404, {.method = "POST", .tmpl = send, .path = path, .body = j(hello), .token = m_other.token});
    CALL(404, {.method = "POST", .tmpl = send, .path = QStringLiteral("/api/v1/conversations/007/messages"),
               .body = j(hello), .token = m_customer.token});
    CALL(413, {.method = "POST", .tmpl = send, .path = path, .body = QByteArray(70 * 1024, ' '), .token = m_customer.token});
    CALL(401, {.method = "POST", .tmpl = send, .path = path, .body = j(hello)});

    // The tradesman answers; now both see the conversation in full.
    CALL(201, {.method = "POST", .tmpl = send, .path = path,
               .body = j({{QStringLiteral("body"), QStringLiteral("Yarın gelin")}, {QStringLiteral("client_msg_id"), QStringLiteral("t-1")}}),
               .token = m_tradesman.token});
    const qint64 answer = m_last.json().value(QStringLiteral("id")).toInteger();
    CALL(200, {.tmpl = QStringLiteral("/api/v1/conversations/{id}"),
               .path = QStringLiteral("/api/v1/conversations/%1").arg(m_conversation), .token = m_tradesman.token});

    CALL(200, {.tmpl = send, .path = path, .token = m_customer.token});
    QCOMPARE(m_last.json().value(QStringLiteral("items")).toArray().size(), 2);
    CALL(200, {.tmpl = send, .path = path + QStringLiteral("?after_id=0&limit=1"), .token = m_customer.token});
    CALL(200, {.tmpl = send, .path = path + QStringLiteral("?before_id=%1").arg(answer), .token = m_customer.token});
    CALL(400, {.tmpl = send, .path = path + QStringLiteral("?before_id=-3"), .token = m_customer.token});
    CALL(404, {.tmpl = send, .path = path, .token = m_other.token});

    const QString read = QStringLiteral("/api/v1/conversations/{id}/read");
    const QString readPath = QStringLiteral("/api/v1/conversations/%1/read").arg(m_conversation);
    CALL(204, {.method = "POST", .tmpl = read, .path = readPath, .body = j({{QStringLiteral("message_id"), answer}}), .token = m_customer.token});
    CALL(404, {.method = "POST", .tmpl = read, .path = readPath, .body = j({{QStringLiteral("message_id"), answer + 1000}}), .token = m_customer.token});
    CALL(400, {.method = "POST", .tmpl = read, .path = readPath, .body = j({}), .token = m_customer.token});

    const QString report = QStringLiteral("/api/v1/messages/{id}/report");
    const QString reportPath = QStringLiteral("/api/v1/messages/%1/report").arg(answer);
    CALL(202, {.method = "POST", .tmpl = report, .path = reportPath, .body = j({{QStringLiteral("reason"), QStringLiteral("spam")}}), .token = m_customer.token});
    CALL(400, {.method = "POST", .tmpl = report, .path = reportPath, .body = j({{QStringLiteral("reason"), QStringLiteral("   ")}}), .token = m_customer.token});
    CALL(404, {.method = "POST", .tmpl = report, .path = reportPath, .body = j({{QStringLiteral("reason"), QStringLiteral("spam")}}), .token = m_other.token});

    // Past the burst of 40 (here refilled at one a second) sends meet 429.
    bool limited = false;
    for (int i = 0; i < 100 && !limited; ++i) {
        const QByteArray body = j({{QStringLiteral("body"), QStringLiteral("burst %1").arg(i)},
                                   {QStringLiteral("client_msg_id"), QStringLiteral("burst-%1").arg(i)}});
        m_last = m_http->raw("POST", path, body, "application/json", m_customer.token);
        limited = m_last.status == 429;
        const QString p = checkAnswer(QStringLiteral("POST"), send, m_last);
        QVERIFY2(p.isEmpty(), qPrintable(p));
        QVERIFY2(m_last.status == 201 || m_last.status == 429, m_last.body.constData());
    }
    QVERIFY2(limited, "no 429 after 100 sends");
}

void tst_OpenApiResponses::administration()
{
    const QString ban = QStringLiteral("/api/v1/admin/users/{id}/ban");
    const QString unban = QStringLiteral("/api/v1/admin/users/{id}/unban");
    const QString kick = QStringLiteral("/api/v1/admin/users/{id}/kick");
    const auto at = [](const char *pattern, qint64 id) {
        return QString::fromLatin1(pattern).replace(QStringLiteral("{id}"), QString::number(id));
    };
    HttpClient::Account banned;
    QString problem = registerUser(QStringLiteral("customer"), banned);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString username = m_http->get(QStringLiteral("/api/v1/me"), banned.token).json().value(QStringLiteral("username")).toString();

    CALL(204, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", banned.id),
               .body = j({{QStringLiteral("reason"), QStringLiteral("spam")}}), .token = m_admin.token});
    CALL(204, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", banned.id), .token = m_admin.token});
    CALL(403, {.method = "POST", .tmpl = QStringLiteral("/api/v1/auth/login"),
               .body = j({{QStringLiteral("username"), username}, {QStringLiteral("password"), kPassword}})});
    CALL(401, {.tmpl = QStringLiteral("/api/v1/me"), .token = banned.token});
    CALL(400, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", m_admin.id), .token = m_admin.token});
    CALL(400, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", banned.id),
               .body = j({{QStringLiteral("reason"), 5}}), .token = m_admin.token});
    CALL(404, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", 999999999), .token = m_admin.token});
    CALL(403, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", banned.id), .token = m_customer.token});
    CALL(401, {.method = "POST", .tmpl = ban, .path = at("/api/v1/admin/users/{id}/ban", banned.id)});

    CALL(204, {.method = "POST", .tmpl = unban, .path = at("/api/v1/admin/users/{id}/unban", banned.id), .token = m_admin.token});
    CALL(404, {.method = "POST", .tmpl = unban, .path = at("/api/v1/admin/users/{id}/unban", 999999999), .token = m_admin.token});
    CALL(403, {.method = "POST", .tmpl = unban, .path = at("/api/v1/admin/users/{id}/unban", banned.id), .token = m_tradesman.token});

    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), m_other.token).isEmpty());
    CALL(204, {.method = "POST", .tmpl = kick, .path = at("/api/v1/admin/users/{id}/kick", m_other.id), .token = m_admin.token});
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), 4000);
    CALL(404, {.method = "POST", .tmpl = kick, .path = at("/api/v1/admin/users/{id}/kick", 999999999), .token = m_admin.token});

    const QString del = QStringLiteral("/api/v1/admin/messages/{id}");
    CALL(204, {.method = "DELETE", .tmpl = del, .path = at("/api/v1/admin/messages/{id}", m_message), .token = m_admin.token});
    CALL(204, {.method = "DELETE", .tmpl = del, .path = at("/api/v1/admin/messages/{id}", m_message), .token = m_admin.token});
    CALL(404, {.method = "DELETE", .tmpl = del, .path = at("/api/v1/admin/messages/{id}", 999999999), .token = m_admin.token});
    CALL(403, {.method = "DELETE", .tmpl = del, .path = at("/api/v1/admin/messages/{id}", m_message), .token = m_customer.token});
    // A deleted message as the history shows it.
    CALL(200, {.tmpl = QStringLiteral("/api/v1/conversations/{id}/messages"),
               .path = QStringLiteral("/api/v1/conversations/%1/messages?after_id=0&limit=1").arg(m_conversation),
               .token = m_customer.token});
    QVERIFY(m_last.json().value(QStringLiteral("items")).toArray().at(0).toObject().value(QStringLiteral("deleted")).toBool());
}

void tst_OpenApiResponses::listings()
{
    // One authenticated WebSocket and one that has not authenticated yet.
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), m_customer.token).isEmpty());
    WsClient anonymous;
    QVERIFY(anonymous.open(m_daemon.wsUrl()));

    for (const char *name : {"instances", "connections", "queues", "reports", "stats"}) {
        const QString tmpl = QStringLiteral("/api/v1/admin/") + QLatin1StringView(name);
        CALL(200, {.tmpl = tmpl, .token = m_admin.token});
        CALL(403, {.tmpl = tmpl, .token = m_customer.token});
        CALL(401, {.tmpl = tmpl});
    }
    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/connections"), .token = m_admin.token});
    QVERIFY(m_last.json().value(QStringLiteral("total")).toInteger() >= 2);
    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/reports"), .path = QStringLiteral("/api/v1/admin/reports?limit=9999"), .token = m_admin.token});
    QVERIFY(!m_last.json().value(QStringLiteral("items")).toArray().isEmpty());
    CALL(400, {.tmpl = QStringLiteral("/api/v1/admin/connections"), .path = QStringLiteral("/api/v1/admin/connections?limit=1.5"), .token = m_admin.token});
    CALL(400, {.tmpl = QStringLiteral("/api/v1/admin/reports"), .path = QStringLiteral("/api/v1/admin/reports?offset=-1"), .token = m_admin.token});
    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/queues"), .token = m_admin.token});
    QVERIFY(m_last.json().contains(QStringLiteral("redis_connected")));

    // The cluster views and stats (this daemon alone on its Redis).
    const QString conns = QStringLiteral("/api/v1/admin/connections");
    CALL(200, {.tmpl = conns, .path = conns + QStringLiteral("?sort=opened_at&order=desc&username=%C4%B0&limit=1"), .token = m_admin.token});
    CALL(400, {.tmpl = conns, .path = conns + QStringLiteral("?sort=size"), .token = m_admin.token});
    CALL(400, {.tmpl = conns, .path = conns + QStringLiteral("?order=up"), .token = m_admin.token});
    CALL(400, {.tmpl = conns, .path = conns + QStringLiteral("?offset=10001"), .token = m_admin.token});
    CALL(200, {.tmpl = conns, .path = conns + QStringLiteral("?user_id=%1").arg(m_customer.id), .token = m_admin.token});
    const QJsonArray mine = m_last.json().value(QStringLiteral("items")).toArray();
    QCOMPARE(mine.size(), 1);
    const QJsonObject row = mine.at(0).toObject();
    const QString series = QStringLiteral("/api/v1/admin/stats/series");
    CALL(200, {.tmpl = series, .token = m_admin.token});
    CALL(200, {.tmpl = series, .path = series + QStringLiteral("?instance=cluster&window_s=3600"), .token = m_admin.token});
    QCOMPARE(m_last.json().value(QStringLiteral("step_s")).toInteger(), 10);
    CALL(400, {.tmpl = series, .path = series + QStringLiteral("?window_s=9"), .token = m_admin.token});
    CALL(400, {.tmpl = series, .path = series + QStringLiteral("?step_s=2"), .token = m_admin.token});
    CALL(404, {.tmpl = series, .path = series + QStringLiteral("?instance=no-such-instance"), .token = m_admin.token});
    CALL(403, {.tmpl = series, .token = m_customer.token});
    CALL(401, {.tmpl = series});
    const QString kick = QStringLiteral("/api/v1/admin/connections/{instance}/{id}");
    const QString here = QStringLiteral("/api/v1/admin/connections/%1/%2")
                             .arg(row.value(QStringLiteral("instance")).toString())
                             .arg(row.value(QStringLiteral("id")).toInteger());
    CALL(403, {.method = "DELETE", .tmpl = kick, .path = here, .token = m_customer.token});
    CALL(204, {.method = "DELETE", .tmpl = kick, .path = here, .token = m_admin.token});
    CALL(404, {.method = "DELETE", .tmpl = kick, .path = here, .token = m_admin.token});
    CALL(404, {.method = "DELETE", .tmpl = kick, .path = QStringLiteral("/api/v1/admin/connections/elsewhere/1"), .token = m_admin.token});
    CALL(401, {.method = "DELETE", .tmpl = kick, .path = here});
}

// Reports resolved and read in context, the user search and the log.
void tst_OpenApiResponses::moderation()
{
    const auto at = [](const char *pattern, qint64 id) {
        return QString::fromLatin1(pattern).replace(QStringLiteral("{id}"), QString::number(id));
    };
    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/reports"), .path = QStringLiteral("/api/v1/admin/reports?state=open"), .token = m_admin.token});
    const QJsonArray open = m_last.json().value(QStringLiteral("items")).toArray();
    QVERIFY(!open.isEmpty());
    const qint64 report = open.at(0).toObject().value(QStringLiteral("id")).toInteger();
    CALL(400, {.tmpl = QStringLiteral("/api/v1/admin/reports"), .path = QStringLiteral("/api/v1/admin/reports?state=closed"), .token = m_admin.token});

    const QString context = QStringLiteral("/api/v1/admin/reports/{id}/context");
    CALL(200, {.tmpl = context, .path = at("/api/v1/admin/reports/{id}/context", report), .token = m_admin.token});
    QVERIFY(!m_last.json().value(QStringLiteral("messages")).toArray().isEmpty());
    CALL(400, {.tmpl = context, .path = at("/api/v1/admin/reports/{id}/context", report) + QStringLiteral("?before=x"), .token = m_admin.token});
    CALL(404, {.tmpl = context, .path = at("/api/v1/admin/reports/{id}/context", 999999999), .token = m_admin.token});
    CALL(403, {.tmpl = context, .path = at("/api/v1/admin/reports/{id}/context", report), .token = m_customer.token});

    const QString resolve = QStringLiteral("/api/v1/admin/reports/{id}/resolve");
    const QString resolvePath = at("/api/v1/admin/reports/{id}/resolve", report);
    CALL(400, {.method = "POST", .tmpl = resolve, .path = resolvePath, .body = j({{QStringLiteral("action"), QStringLiteral("ignored")}}), .token = m_admin.token});
    CALL(404, {.method = "POST", .tmpl = resolve, .path = at("/api/v1/admin/reports/{id}/resolve", 999999999),
               .body = j({{QStringLiteral("action"), QStringLiteral("dismissed")}}), .token = m_admin.token});
    CALL(200, {.method = "POST", .tmpl = resolve, .path = resolvePath,
               .body = j({{QStringLiteral("action"), QStringLiteral("dismissed")}, {QStringLiteral("note"), QStringLiteral("spam değil")}}),
               .token = m_admin.token});
    QCOMPARE(m_last.json().value(QStringLiteral("state")).toString(), QStringLiteral("dismissed"));
    CALL(409, {.method = "POST", .tmpl = resolve, .path = resolvePath,
               .body = j({{QStringLiteral("action"), QStringLiteral("actioned")}}), .token = m_admin.token});

    const QString users = QStringLiteral("/api/v1/admin/users");
    CALL(200, {.tmpl = users, .path = QStringLiteral("/api/v1/admin/users?q=I%C5%9EIK"), .token = m_admin.token});
    QVERIFY(m_last.json().value(QStringLiteral("total")).toInteger() >= 1);
    CALL(200, {.tmpl = users, .path = QStringLiteral("/api/v1/admin/users?banned=true"), .token = m_admin.token});
    CALL(400, {.tmpl = users, .path = QStringLiteral("/api/v1/admin/users?role=root"), .token = m_admin.token});
    CALL(403, {.tmpl = users, .token = m_customer.token});

    const QString log = QStringLiteral("/api/v1/admin/log");
    CALL(200, {.tmpl = log, .token = m_admin.token});
    QVERIFY(m_last.json().value(QStringLiteral("total")).toInteger() >= 3);
    CALL(400, {.tmpl = log, .path = QStringLiteral("/api/v1/admin/log?action=hug"), .token = m_admin.token});
    const QString about = QStringLiteral("/api/v1/admin/users/{id}/moderation");
    CALL(200, {.tmpl = about, .path = at("/api/v1/admin/users/{id}/moderation", m_other.id), .token = m_admin.token});
    CALL(404, {.tmpl = about, .path = at("/api/v1/admin/users/{id}/moderation", 999999999), .token = m_admin.token});
}

void tst_OpenApiResponses::operations()
{
    CALL(200, {.tmpl = QStringLiteral("/healthz")});
    CALL(200, {.tmpl = QStringLiteral("/readyz")});
    QCOMPARE(m_last.json().value(QStringLiteral("checks")).toObject().value(QStringLiteral("redis")).toString(), QStringLiteral("ok"));
    CALL(200, {.tmpl = QStringLiteral("/metrics")});
    // What a proxy forwards is not a loopback client.
    CALL(404, {.tmpl = QStringLiteral("/metrics"), .headers = {{"X-Forwarded-For", "203.0.113.9"}}});
}

// A second daemon on the same database, with a Redis nobody listens on and
// a metrics token.
void tst_OpenApiResponses::operationsWhenRedisIsDown()
{
    QTcpServer unused;
    QVERIFY(unused.listen(QHostAddress::LocalHost));
    const quint16 port = unused.serverPort();
    unused.close();
    DaemonProcess second;
    QString error;
    QVERIFY2(second.start(m_dbUrl,
                          DaemonProcess::defaultArgs()
                              << QStringLiteral("--redis") << QStringLiteral("redis://127.0.0.1:%1/0").arg(port)
                              << QStringLiteral("--metrics-token") << kMetricsToken,
                          error),
             qPrintable(error));
    auto keep = std::move(m_http);
    m_http = std::make_unique<HttpClient>(second.httpUrl(QString()));
    CALL(503, {.tmpl = QStringLiteral("/readyz")});
    QVERIFY(m_last.json().value(QStringLiteral("down")).toArray().contains(QStringLiteral("redis")));
    CALL(401, {.tmpl = QStringLiteral("/metrics")});
    CALL(401, {.tmpl = QStringLiteral("/metrics"), .token = QStringLiteral("wrong")});
    CALL(200, {.tmpl = QStringLiteral("/metrics"), .token = kMetricsToken});
    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/queues"), .token = m_admin.token});
    QVERIFY(!m_last.json().value(QStringLiteral("redis_connected")).toBool(true));
    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/instances"), .token = m_admin.token});
    m_http = std::move(keep);
    QCOMPARE(second.terminate(), 0);
}

// The job queues' dead letters, made the way they happen: the scheduler
// puts sessions.purge on its queue, and a worker whose database does not
// answer fails each (one attempt allowed).
void tst_OpenApiResponses::jobQueues()
{
    const QString daemon = TestEnv::daemonPath();
    QProcess scheduler;
    scheduler.start(daemon, {QStringLiteral("scheduler"), QStringLiteral("--redis"), m_redisUrl,
                             QStringLiteral("--database"), m_dbUrl, QStringLiteral("--purge-interval-s"),
                             QStringLiteral("1"), QStringLiteral("--scheduler-lease-ms"), QStringLiteral("300")});
    QProcess worker;
    worker.start(daemon, {QStringLiteral("worker"), QStringLiteral("--redis"), m_redisUrl,
                          QStringLiteral("--database"), QStringLiteral("postgresql://nobody@127.0.0.1:1/none"),
                          QStringLiteral("--worker-queues"), QStringLiteral("maintenance"),
                          QStringLiteral("--jobs-max-attempts"), QStringLiteral("1"),
                          QStringLiteral("--worker-poll-ms"), QStringLiteral("50")});
    QVERIFY(scheduler.waitForStarted() && worker.waitForStarted());
    const QString dead = QStringLiteral("/api/v1/admin/queues/maintenance/dead");
    QTRY_VERIFY_WITH_TIMEOUT(m_http->get(dead, m_admin.token).json().value(QStringLiteral("items")).toArray().size() >= 2,
                             20000);
    scheduler.kill();
    worker.kill();
    scheduler.waitForFinished();
    worker.waitForFinished();

    const QString list = QStringLiteral("/api/v1/admin/queues/{queue}/dead");
    CALL(200, {.tmpl = list, .path = dead, .token = m_admin.token});
    const QJsonArray items = m_last.json().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("sessions.purge"));
    const QString first = items.at(0).toObject().value(QStringLiteral("id")).toString();
    const QString second = items.at(1).toObject().value(QStringLiteral("id")).toString();
    CALL(200, {.tmpl = list, .path = dead + QStringLiteral("?limit=1"), .token = m_admin.token});
    QCOMPARE(m_last.json().value(QStringLiteral("items")).toArray().size(), 1);
    CALL(400, {.tmpl = list, .path = dead + QStringLiteral("?limit=x"), .token = m_admin.token});
    CALL(403, {.tmpl = list, .path = dead, .token = m_customer.token});
    CALL(401, {.tmpl = list, .path = dead});

    const QString retry = QStringLiteral("/api/v1/admin/queues/{queue}/dead/{entry}/retry");
    CALL(204, {.method = "POST", .tmpl = retry, .path = dead + u'/' + first + QStringLiteral("/retry"), .token = m_admin.token});
    CALL(404, {.method = "POST", .tmpl = retry, .path = dead + u'/' + first + QStringLiteral("/retry"), .token = m_admin.token});
    CALL(404, {.method = "POST", .tmpl = retry, .path = dead + QStringLiteral("/abc/retry"), .token = m_admin.token});
    CALL(403, {.method = "POST", .tmpl = retry, .path = dead + u'/' + second + QStringLiteral("/retry"), .token = m_customer.token});
    const QString drop = QStringLiteral("/api/v1/admin/queues/{queue}/dead/{entry}");
    CALL(204, {.method = "DELETE", .tmpl = drop, .path = dead + u'/' + second, .token = m_admin.token});
    CALL(404, {.method = "DELETE", .tmpl = drop, .path = dead + u'/' + second, .token = m_admin.token});

    CALL(200, {.tmpl = QStringLiteral("/api/v1/admin/queues"), .token = m_admin.token});
    const QJsonObject maintenance = m_last.json().value(QStringLiteral("jobs")).toArray().at(0).toObject();
    QCOMPARE(maintenance.value(QStringLiteral("name")).toString(), QStringLiteral("maintenance"));
    QCOMPARE(m_last.json().value(QStringLiteral("jobs_backend")).toString(), QStringLiteral("redis"));
}

void tst_OpenApiResponses::web()
{
    CALL(200, {.tmpl = QStringLiteral("/")});
    CALL(200, {.tmpl = QStringLiteral("/assets/{name}"), .path = QStringLiteral("/assets/app.js")});
    CALL(200, {.tmpl = QStringLiteral("/assets/{name}"), .path = QStringLiteral("/assets/style.css")});
    CALL(404, {.tmpl = QStringLiteral("/assets/{name}"), .path = QStringLiteral("/assets/missing.js")});
    CALL(400, {.tmpl = QStringLiteral("/ws")});
    CALL(400, {.tmpl = QStringLiteral("/ws/admin")});
}

// QNetworkAccessManager does not upgrade: the 101 by hand. `target` is the
// request's path and query.
HttpResult tst_OpenApiResponses::upgrade(const QByteArray &target)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_daemon.port());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
    QByteArray head;
    QDeadlineTimer deadline(10000);
    while (!head.contains("\r\n\r\n") && !deadline.hasExpired())
        if (socket.waitForReadyRead(100))
            head += socket.readAll();
    HttpResult r;
    if (!head.contains("\r\n\r\n"))
        return r;
    const QList<QByteArray> lines = head.left(head.indexOf("\r\n\r\n")).split('\n');
    r.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        r.headers.push_back({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    r.body = head.mid(head.indexOf("\r\n\r\n") + 4);
    const qsizetype length = r.header("content-length").toLongLong();
    while (r.body.size() < length && !deadline.hasExpired())
        if (socket.waitForReadyRead(100))
            r.body += socket.readAll();
    return r;
}

void tst_OpenApiResponses::webSocketUpgrade()
{
    for (const char *path : {"/ws", "/ws/admin"}) {
        const HttpResult r = upgrade(path);
        QCOMPARE(r.status, 101);
        const QString problem = checkAnswer(QStringLiteral("GET"), QLatin1StringView(path), r);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    const HttpResult resumed = upgrade("/ws/admin?stream=node%3A1&after=7");
    QCOMPARE(resumed.status, 101);
    // A bad resume point is refused before the upgrade, and so is a query
    // that is not UTF-8 form encoding, as on every endpoint.
    for (const char *target : {"/ws/admin?after=x", "/ws/admin?after=-1",
                               "/ws/admin?after=9223372036854775808", "/ws/admin?stream=%zz",
                               "/ws/admin?stream=%FF%FE", "/ws/admin?stream=a%00b",
                               "/ws/admin?x=%C0%AF&after=1"}) {
        const HttpResult r = upgrade(target);
        QVERIFY2(r.status == 400, target);
        QCOMPARE(r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("bad_request"));
    }
}

void tst_OpenApiResponses::everyOperationAnswered()
{
    QStringList missing;
    for (const auto &[method, path] : m_doc.operations()) {
        const QString name = method + u' ' + path;
        const QSet<int> statuses = m_seen.value(name);
        const bool success = std::any_of(statuses.begin(), statuses.end(), [](int s) { return s < 300; });
        if (!success)
            missing << name;
        QList<int> sorted(statuses.begin(), statuses.end());
        std::sort(sorted.begin(), sorted.end());
        QStringList text;
        for (int s : sorted)
            text << QString::number(s);
        qInfo().noquote() << name << "answered" << text.join(u' ');
    }
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("never answered with success: ") + missing.join(u", ")));
}

QTEST_GUILESS_MAIN(tst_OpenApiResponses)
#include "tst_openapi_responses.moc"
