// The OpenAPI document built into the daemon (resources/openapi/openapi.json,
// served at GET /openapi.json) against the router: every route the daemon
// registers is in the document with the same access, and the document has
// no operation the daemon does not serve. Also: every schema keyword in the
// document is one the response validator of tst_openapi_responses checks,
// and that validator refuses what it must.

#include "app/resources.h"
#include "http/router.h"
#include "http/routes.h"
#include "openapi_document.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>

using namespace sanayicin;
using namespace sanayicin::test;

namespace {

QString methodName(HttpMethod m)
{
    switch (m) {
    case HttpMethod::Get: return QStringLiteral("GET");
    case HttpMethod::Post: return QStringLiteral("POST");
    case HttpMethod::Put: return QStringLiteral("PUT");
    case HttpMethod::Delete: return QStringLiteral("DELETE");
    case HttpMethod::Head: return QStringLiteral("HEAD");
    case HttpMethod::Other: break;
    }
    return QStringLiteral("OTHER");
}

QString accessName(Access a)
{
    switch (a) {
    case Access::Public: return QStringLiteral("public");
    case Access::User: return QStringLiteral("user");
    case Access::Admin: return QStringLiteral("admin");
    }
    return {};
}

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class tst_OpenApiRoutes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void builtInDocumentIsTheSourceFile();
    void everyRouteIsDocumented();
    void everyOperationIsARoute();
    void accessMatchesSecurity();
    void everyOperationListsItsErrors();
    void onlyCheckedSchemaKeywords();
    void validatorRefusesWhatItMust_data();
    void validatorRefusesWhatItMust();

private:
    OpenApiDocument m_doc;
    QByteArray m_builtIn;
    // "GET /api/v1/me" -> access, for the public listener and the operations one.
    QHash<QString, QString> m_routes;
};

void tst_OpenApiRoutes::initTestCase()
{
    initSanayicinResources();
    QFile file(QStringLiteral(":/openapi/openapi.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_builtIn = file.readAll();
    QString error;
    QVERIFY2(m_doc.load(m_builtIn, error), qPrintable(error));

    Router publicRouter;
    addAllRoutes(publicRouter, true);
    Router opsRouter;
    addOperationsRoutes(opsRouter, true);
    for (const Router *router : {&publicRouter, &opsRouter})
        for (const Route &r : router->routes())
            m_routes.insert(methodName(r.method) + u' ' + QString::fromLatin1(r.pattern),
                            accessName(r.access));
    QVERIFY(m_routes.size() > 25);
}

void tst_OpenApiRoutes::builtInDocumentIsTheSourceFile()
{
    QFile source(QStringLiteral(SANAYICIN_SOURCE_DIR "/resources/openapi/openapi.json"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(m_builtIn, source.readAll());
}

void tst_OpenApiRoutes::everyRouteIsDocumented()
{
    QStringList missing;
    for (auto it = m_routes.cbegin(); it != m_routes.cend(); ++it) {
        const qsizetype space = it.key().indexOf(u' ');
        if (m_doc.operation(it.key().left(space), it.key().mid(space + 1)).isEmpty())
            missing << it.key();
    }
    missing.sort();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("routes not in the document: ") + missing.join(u", ")));
}

void tst_OpenApiRoutes::everyOperationIsARoute()
{
    QStringList extra;
    for (const auto &[method, path] : m_doc.operations())
        if (!m_routes.contains(method + u' ' + path))
            extra << method + u' ' + path;
    QVERIFY2(extra.isEmpty(), qPrintable(QStringLiteral("operations the daemon does not serve: ") + extra.join(u", ")));
}

// x-access says who may call; security must agree: none for public routes
// (or optional, as for /metrics), the bearer token for user and admin ones.
void tst_OpenApiRoutes::accessMatchesSecurity()
{
    for (const auto &[method, path] : m_doc.operations()) {
        const QString name = method + u' ' + path;
        const QJsonObject op = m_doc.operation(method, path);
        const QString access = op.value(QStringLiteral("x-access")).toString();
        QVERIFY2(access == m_routes.value(name),
                 qPrintable(QStringLiteral("%1: x-access %2, the router says %3").arg(name, access, m_routes.value(name))));
        QVERIFY2(op.contains(QStringLiteral("security")), qPrintable(name + QStringLiteral(": no security")));
        const QJsonArray security = op.value(QStringLiteral("security")).toArray();
        if (access == u"public") {
            const bool anonymous = security.isEmpty() || security.contains(QJsonObject{});
            QVERIFY2(anonymous, qPrintable(name + QStringLiteral(": public but needs a token")));
        } else {
            const QJsonArray bearer{QJsonObject{{QStringLiteral("bearerAuth"), QJsonArray{}}}};
            QVERIFY2(security == bearer, qPrintable(name + QStringLiteral(": needs exactly bearerAuth")));
        }
    }
}

// The answers every route of a kind can give, listed where they belong.
void tst_OpenApiRoutes::everyOperationListsItsErrors()
{
    for (const auto &[method, path] : m_doc.operations()) {
        const QString name = method + u' ' + path;
        const QJsonObject op = m_doc.operation(method, path);
        const QString access = op.value(QStringLiteral("x-access")).toString();
        QList<int> expected{400, 429}; // the query string and the per-address budget
        if (access != u"public")
            expected << 401 << 503;
        if (access == u"admin")
            expected << 403;
        if (path.contains(QStringLiteral("{id}")))
            expected << 404;
        if (op.contains(QStringLiteral("requestBody")))
            expected << 413;
        for (int status : expected)
            QVERIFY2(m_doc.response(op, status).has_value(),
                     qPrintable(QStringLiteral("%1 does not list %2").arg(name).arg(status)));
        const QJsonObject limited = *m_doc.response(op, 429);
        QVERIFY2(limited.value(QStringLiteral("headers")).toObject().contains(QStringLiteral("Retry-After")),
                 qPrintable(name + QStringLiteral(": 429 without Retry-After")));
    }
}

void tst_OpenApiRoutes::onlyCheckedSchemaKeywords()
{
    const QStringList problems = m_doc.unsupportedKeywords();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void tst_OpenApiRoutes::validatorRefusesWhatItMust_data()
{
    QTest::addColumn<QString>("schema"); // a name in components/schemas
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");

    const QByteArray user = R"({"id":7,"username":"ayse","display_name":"Ayşe","role":"customer","created_at":"2026-11-26T05:39:38.123Z"})";
    QTest::newRow("user") << "User" << user << true;
    QTest::newRow("user, extra field") << "User" << QByteArray(R"({"id":7,"username":"a","display_name":"A","role":"customer","created_at":"2026-11-26T05:39:38.123Z","x":1})") << false;
    QTest::newRow("user, missing field") << "User" << QByteArray(R"({"id":7,"username":"a","display_name":"A","role":"customer"})") << false;
    QTest::newRow("user, id as string") << "User" << QByteArray(R"({"id":"7","username":"a","display_name":"A","role":"customer","created_at":"2026-11-26T05:39:38.123Z"})") << false;
    QTest::newRow("user, id 0") << "User" << QByteArray(R"({"id":0,"username":"a","display_name":"A","role":"customer","created_at":"2026-11-26T05:39:38.123Z"})") << false;
    QTest::newRow("user, id 1.5") << "User" << QByteArray(R"({"id":1.5,"username":"a","display_name":"A","role":"customer","created_at":"2026-11-26T05:39:38.123Z"})") << false;
    QTest::newRow("user, unknown role") << "User" << QByteArray(R"({"id":7,"username":"a","display_name":"A","role":"owner","created_at":"2026-11-26T05:39:38.123Z"})") << false;
    QTest::newRow("user, time without ms") << "User" << QByteArray(R"({"id":7,"username":"a","display_name":"A","role":"admin","created_at":"2026-11-26T05:39:38Z"})") << false;
    QTest::newRow("error") << "NotFoundError" << QByteArray(R"({"error":{"code":"not_found","message":"no such user"}})") << true;
    QTest::newRow("error, other code") << "NotFoundError" << QByteArray(R"({"error":{"code":"bad_request","message":"x"}})") << false;
    QTest::newRow("error, empty message") << "NotFoundError" << QByteArray(R"({"error":{"code":"not_found","message":""}})") << false;
    QTest::newRow("error, unknown code") << "Error" << QByteArray(R"({"error":{"code":"teapot","message":"x"}})") << false;
    const QByteArray message = R"({"id":3,"conversation_id":1,"seq":1,"sender_id":2,"body":"hi","client_msg_id":"c1","created_at":"2026-11-26T05:39:38.123Z"})";
    QTest::newRow("conversation, no last message") << "Conversation" << QByteArray(R"({"id":1,"participants":[{"id":2,"username":"","display_name":"","role":"customer","created_at":null,"online":false},{"id":3,"username":"b","display_name":"B","role":"tradesman","created_at":"2026-11-26T05:39:38.123Z","online":true}],"last_message":null,"unread_count":0,"created_at":"2026-11-26T05:39:38.123Z"})") << true;
    QTest::newRow("conversation, last message") << "Conversation" << QByteArray(R"({"id":1,"participants":[{"id":2,"username":"","display_name":"","role":"customer","created_at":null,"online":false},{"id":3,"username":"b","display_name":"B","role":"tradesman","created_at":"2026-11-26T05:39:38.123Z","online":true}],"last_message":)" + message + R"(,"unread_count":0,"created_at":"2026-11-26T05:39:38.123Z"})") << true;
    QTest::newRow("conversation, one participant") << "Conversation" << QByteArray(R"({"id":1,"participants":[{"id":2,"username":"","display_name":"","role":"customer","created_at":null,"online":false}],"last_message":null,"unread_count":0,"created_at":"2026-11-26T05:39:38.123Z"})") << false;
    QTest::newRow("conversation, last message wrong") << "Conversation" << QByteArray(R"({"id":1,"participants":[{"id":2,"username":"","display_name":"","role":"customer","created_at":null,"online":false},{"id":3,"username":"b","display_name":"B","role":"tradesman","created_at":"2026-11-26T05:39:38.123Z","online":true}],"last_message":{"id":3},"unread_count":0,"created_at":"2026-11-26T05:39:38.123Z"})") << false;
    QTest::newRow("message, deleted") << "Message" << QByteArray(R"({"id":3,"conversation_id":1,"seq":1,"sender_id":2,"body":"","client_msg_id":"c1","created_at":"2026-11-26T05:39:38.123Z","deleted":true})") << true;
    QTest::newRow("message, deleted false") << "Message" << QByteArray(R"({"id":3,"conversation_id":1,"seq":1,"sender_id":2,"body":"","client_msg_id":"c1","created_at":"2026-11-26T05:39:38.123Z","deleted":false})") << false;
    QTest::newRow("message, long client_msg_id") << "Message" << QByteArray(R"({"id":3,"conversation_id":1,"seq":1,"sender_id":2,"body":"x","client_msg_id":")" + QByteArray(65, 'c') + R"(","created_at":"2026-11-26T05:39:38.123Z"})") << false;
    // Lengths count code points: 64 emoji are 64 characters.
    QTest::newRow("message, 64 emoji client_msg_id") << "Message" << QByteArray(R"({"id":3,"conversation_id":1,"seq":1,"sender_id":2,"body":"x","client_msg_id":")" + QString(QStringLiteral("😀")).repeated(64).toUtf8() + R"(","created_at":"2026-11-26T05:39:38.123Z"})") << true;
    QTest::newRow("ready") << "Ready" << QByteArray(R"({"status":"ok","checks":{"database":"ok"}})") << true;
    QTest::newRow("ready, redis down word") << "Ready" << QByteArray(R"({"status":"ok","checks":{"database":"ok","redis":"down"}})") << false;
    QTest::newRow("page, total negative") << "ProfilePage" << QByteArray(R"({"items":[],"total":-1})") << false;
    QTest::newRow("page, items not array") << "ProfilePage" << QByteArray(R"({"items":{},"total":0})") << false;
    QTest::newRow("token") << "TokenAndUser" << QByteArray(R"({"token":")" + QByteArray(43, 'A') + R"(","user":)" + user + "}") << true;
    QTest::newRow("token, short") << "TokenAndUser" << QByteArray(R"({"token":")" + QByteArray(42, 'A') + R"(","user":)" + user + "}") << false;
}

void tst_OpenApiRoutes::validatorRefusesWhatItMust()
{
    QFETCH(QString, schema);
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    const QJsonValue instance = json(value.constData());
    QVERIFY(!instance.isUndefined());
    const QStringList problems =
        m_doc.validate(QJsonObject{{QStringLiteral("$ref"), QStringLiteral("#/components/schemas/") + schema}}, instance);
    QVERIFY2(problems.isEmpty() == valid, qPrintable(problems.isEmpty() ? QStringLiteral("accepted") : problems.join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_OpenApiRoutes)
#include "tst_openapi_routes.moc"
