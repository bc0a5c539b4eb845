// Moderation end to end on PostgreSQL (docs/protocol.md, "Moderation"):
// reports resolved or dismissed with who and when, 409 on a second
// resolution, a conversation read only through a report and logged, the
// user search with Turkish folding, the log listing every action kind the
// daemon does itself, and the per-administrator budget.

#include "daemon_process.h"
#include "http_client.h"
#include "test_env.h"
#include "ws_client.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QJsonArray>
#include <QSet>
#include <QtTest>
#include <algorithm>

using namespace sanayicin::test;

namespace {

const QString kAdminPassword = QStringLiteral("admin-secret-1");
// The budget of every administrator here; budgetRefusesPastTheBurst spends
// a second administrator's.
constexpr int kAdminBurst = 30;

qint64 msOf(const QJsonValue &time)
{
    return QDateTime::fromString(time.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

QList<qint64> idsOf(const QJsonArray &items)
{
    QList<qint64> ids;
    for (const QJsonValue &v : items)
        ids << v.toObject().value(QStringLiteral("id")).toInteger();
    return ids;
}

} // namespace

class tst_Moderation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void resolveNamesWhoAndWhen();
    void twoModeratorsAtOnceOneWins();
    void contextOnlyThroughAReportAndLogged();
    void userSearchFoldsTurkish();
    void logListsEveryAction();
    void badRequestsAndMissingThings();
    void budgetRefusesPastTheBurst();
    void kickingOneConnectionSpendsTheSameBudget();

private:
    HttpClient::Account admin(const QString &name);
    // A message of `from` to `to` in their conversation; returns its id.
    qint64 send(const HttpClient::Account &from, qint64 conversation, const QString &body);
    // `reporter` reports message `id`; returns the report's id.
    qint64 report(const HttpClient::Account &reporter, qint64 messageId);
    QJsonObject resolve(qint64 reportId, const QString &action, const QString &note, int expected);
    QJsonArray log(const QString &query);

    QTemporaryDir m_dir;
    QString m_dbUrl;
    DaemonProcess m_daemon;
    std::unique_ptr<HttpClient> m_http;
    HttpClient::Account m_admin, m_customer, m_tradesman;
    qint64 m_conversation = 0;
    int m_sent = 0;
};

void tst_Moderation::initTestCase()
{
    QString error;
    m_dbUrl = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
    QVERIFY2(m_daemon.start(m_dbUrl,
                            DaemonProcess::defaultArgs()
                                << QStringLiteral("--admin-rate") << QStringLiteral("0.01")
                                << QStringLiteral("--admin-burst") << QString::number(kAdminBurst),
                            error),
             qPrintable(error));
    m_http = std::make_unique<HttpClient>(m_daemon.httpUrl(QString()));
    QTRY_VERIFY_WITH_TIMEOUT(m_http->get(QStringLiteral("/readyz")).status == 200, 10000);
    m_admin = admin(QStringLiteral("moderator"));
    m_customer = m_http->registerUser(QStringLiteral("ayse"), QStringLiteral("customer"),
                                      QStringLiteral("Ayşe Yılmaz"));
    m_tradesman = m_http->registerUser(QStringLiteral("usta_isik"), QStringLiteral("tradesman"),
                                       QStringLiteral("IŞIK Oto Elektrik"));
    QVERIFY(m_customer.id && m_tradesman.id);
    m_conversation = m_http->conversation(m_customer, m_tradesman.id);
    QVERIFY(m_conversation > 0);
}

void tst_Moderation::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

HttpClient::Account tst_Moderation::admin(const QString &name)
{
    QString error;
    if (!DaemonProcess::createUser(m_dbUrl, name, kAdminPassword, true, error))
        qWarning() << error;
    return m_http->login(name, kAdminPassword);
}

qint64 tst_Moderation::send(const HttpClient::Account &from, qint64 conversation,
                            const QString &body)
{
    const HttpResult r = m_http->post(
        QStringLiteral("/api/v1/conversations/%1/messages").arg(conversation),
        {{QStringLiteral("body"), body},
         {QStringLiteral("client_msg_id"), QStringLiteral("m-%1").arg(++m_sent)}},
        from.token);
    if (r.status != 201)
        qWarning() << "send:" << r.status << r.body;
    return r.json().value(QStringLiteral("id")).toInteger();
}

qint64 tst_Moderation::report(const HttpClient::Account &reporter, qint64 messageId)
{
    const HttpResult r =
        m_http->post(QStringLiteral("/api/v1/messages/%1/report").arg(messageId),
                     {{QStringLiteral("reason"), QStringLiteral("hakaret")}}, reporter.token);
    if (r.status != 202)
        qWarning() << "report:" << r.status << r.body;
    return r.json().value(QStringLiteral("id")).toInteger();
}

QJsonObject tst_Moderation::resolve(qint64 reportId, const QString &action, const QString &note,
                                    int expected)
{
    QJsonObject body{{QStringLiteral("action"), action}};
    if (!note.isNull())
        body.insert(QStringLiteral("note"), note);
    const HttpResult r = m_http->post(
        QStringLiteral("/api/v1/admin/reports/%1/resolve").arg(reportId), body, m_admin.token);
    if (r.status != expected)
        qWarning() << "resolve:" << r.status << r.body;
    return r.status == expected ? r.json() : QJsonObject{{QStringLiteral("failed"), true}};
}

QJsonArray tst_Moderation::log(const QString &query)
{
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/admin/log") + query, m_admin.token);
    if (r.status != 200)
        qWarning() << "log:" << r.status << r.body;
    return r.json().value(QStringLiteral("items")).toArray();
}

void tst_Moderation::resolveNamesWhoAndWhen()
{
    const qint64 m1 = send(m_tradesman, m_conversation, QStringLiteral("kaba söz"));
    const qint64 m2 = send(m_tradesman, m_conversation, QStringLiteral("reklam"));
    const qint64 r1 = report(m_customer, m1);
    const qint64 r2 = report(m_customer, m2);
    QVERIFY(r1 > 0 && r2 > 0);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QJsonObject dismissed = resolve(r1, QStringLiteral("dismissed"), QStringLiteral("şaka"), 200);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(dismissed.value(QStringLiteral("id")).toInteger(), r1);
    QCOMPARE(dismissed.value(QStringLiteral("state")).toString(), QStringLiteral("dismissed"));
    QCOMPARE(dismissed.value(QStringLiteral("resolved")).toBool(), true);
    QCOMPARE(dismissed.value(QStringLiteral("note")).toString(), QStringLiteral("şaka"));
    QCOMPARE(dismissed.value(QStringLiteral("resolved_by")).toObject().value(QStringLiteral("id")).toInteger(),
             m_admin.id);
    const qint64 at = msOf(dismissed.value(QStringLiteral("resolved_at")));
    QVERIFY2(at >= before - 1 && at <= after + 1, qPrintable(QString::number(at)));
    // Its existing fields stay.
    QCOMPARE(dismissed.value(QStringLiteral("reason")).toString(), QStringLiteral("hakaret"));
    QCOMPARE(dismissed.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger(), m1);
    QCOMPARE(dismissed.value(QStringLiteral("reporter")).toObject().value(QStringLiteral("id")).toInteger(),
             m_customer.id);

    // Resolved once: a second resolution, of either kind, is 409.
    QVERIFY(!resolve(r1, QStringLiteral("actioned"), QString(), 409).contains(QStringLiteral("failed")));
    QVERIFY(!resolve(r1, QStringLiteral("dismissed"), QString(), 409).contains(QStringLiteral("failed")));

    const QJsonObject actioned = resolve(r2, QStringLiteral("actioned"), QString(), 200);
    QCOMPARE(actioned.value(QStringLiteral("state")).toString(), QStringLiteral("actioned"));
    QCOMPARE(actioned.value(QStringLiteral("note")).toString(), QString());

    // The filters: open ones no longer list them, resolved ones do, and the
    // default lists every report as before.
    const auto listed = [this](const QString &query) {
        return idsOf(m_http->get(QStringLiteral("/api/v1/admin/reports") + query, m_admin.token)
                         .json()
                         .value(QStringLiteral("items"))
                         .toArray());
    };
    QVERIFY(!listed(QStringLiteral("?state=open")).contains(r1));
    QVERIFY(listed(QStringLiteral("?state=resolved")).contains(r1));
    QVERIFY(listed(QStringLiteral("?state=resolved")).contains(r2));
    QVERIFY(listed(QString()).contains(r1));
    const qint64 r3 = report(m_customer, m1);
    QVERIFY(listed(QStringLiteral("?state=open")).contains(r3));
    QVERIFY(!listed(QStringLiteral("?state=resolved")).contains(r3));
    const QJsonObject open = m_http->get(QStringLiteral("/api/v1/admin/reports?state=open"), m_admin.token)
                                 .json()
                                 .value(QStringLiteral("items"))
                                 .toArray()
                                 .at(0)
                                 .toObject();
    QCOMPARE(open.value(QStringLiteral("state")).toString(), QStringLiteral("open"));
    QVERIFY(open.value(QStringLiteral("resolved_by")).isNull());
    QVERIFY(open.value(QStringLiteral("resolved_at")).isNull());
}

void tst_Moderation::twoModeratorsAtOnceOneWins()
{
    const HttpClient::Account second = admin(QStringLiteral("second_moderator"));
    QNetworkAccessManager nam;
    for (int round = 0; round < 5; ++round) {
        const qint64 reportId = report(m_customer, send(m_tradesman, m_conversation, QStringLiteral("yine")));
        // Both requests are in flight before either is answered.
        QList<QNetworkReply *> replies;
        for (const HttpClient::Account &who : QList<HttpClient::Account>{m_admin, second}) {
            QNetworkRequest req(m_daemon.httpUrl(QStringLiteral("/api/v1/admin/reports/%1/resolve").arg(reportId)));
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            req.setRawHeader("Authorization", "Bearer " + who.token.toLatin1());
            replies << nam.post(req, QByteArray(R"({"action":"dismissed"})"));
        }
        QTRY_VERIFY(replies[0]->isFinished() && replies[1]->isFinished());
        QList<int> statuses;
        for (QNetworkReply *r : replies) {
            statuses << r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r->deleteLater();
        }
        std::sort(statuses.begin(), statuses.end());
        QCOMPARE(statuses, (QList<int>{200, 409}));
        // Exactly one resolution is logged.
        int logged = 0;
        for (const QJsonValue &v : log(QStringLiteral("?action=resolve_report&limit=500")))
            logged += v.toObject().value(QStringLiteral("report")).toInteger() == reportId;
        QCOMPARE(logged, 1);
    }
}

void tst_Moderation::contextOnlyThroughAReportAndLogged()
{
    // A conversation of its own: 12 messages, the 6th reported.
    const HttpClient::Account other = m_http->registerUser(QStringLiteral("mehmet"));
    const qint64 conv = m_http->conversation(other, m_tradesman.id);
    QList<qint64> ids;
    for (int i = 1; i <= 12; ++i)
        ids << send(i % 2 ? other : m_tradesman, conv, QStringLiteral("mesaj %1").arg(i));
    const qint64 reported = ids[5];
    const qint64 reportId = report(other, reported);

    // An administrator cannot read the conversation directly.
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/conversations/%1").arg(conv), m_admin.token).status, 404);
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv), m_admin.token).status,
             404);

    const int logged = log(QStringLiteral("?action=read_context&limit=500")).size();
    const HttpResult r = m_http->get(
        QStringLiteral("/api/v1/admin/reports/%1/context?before=3&after=2").arg(reportId), m_admin.token);
    QCOMPARE(r.status, 200);
    const QJsonObject c = r.json();
    QCOMPARE(c.value(QStringLiteral("report")).toObject().value(QStringLiteral("id")).toInteger(), reportId);
    QCOMPARE(idsOf(c.value(QStringLiteral("messages")).toArray()), ids.mid(2, 6)); // oldest first
    const QList<qint64> people = idsOf(c.value(QStringLiteral("participants")).toArray());
    QCOMPARE(QSet<qint64>(people.begin(), people.end()), (QSet<qint64>{other.id, m_tradesman.id}));

    // The edges: nothing around it, and more than there is.
    const HttpResult alone = m_http->get(
        QStringLiteral("/api/v1/admin/reports/%1/context?before=0&after=0").arg(reportId), m_admin.token);
    QCOMPARE(idsOf(alone.json().value(QStringLiteral("messages")).toArray()), QList<qint64>{reported});
    const HttpResult all = m_http->get(
        QStringLiteral("/api/v1/admin/reports/%1/context?before=50&after=9999").arg(reportId), m_admin.token);
    QCOMPARE(idsOf(all.json().value(QStringLiteral("messages")).toArray()), ids);

    // Each read is logged, with who, which report and which message.
    const QJsonArray reads = log(QStringLiteral("?action=read_context&limit=500"));
    QCOMPARE(reads.size(), logged + 3);
    const QJsonObject entry = reads.at(0).toObject();
    QCOMPARE(entry.value(QStringLiteral("actor")).toObject().value(QStringLiteral("id")).toInteger(), m_admin.id);
    QCOMPARE(entry.value(QStringLiteral("report")).toInteger(), reportId);
    QCOMPARE(entry.value(QStringLiteral("target_message")).toInteger(), reported);
    // The user concerned is the message's sender (the 6th: the tradesman's).
    QCOMPARE(entry.value(QStringLiteral("target_user")).toObject().value(QStringLiteral("id")).toInteger(),
             m_tradesman.id);
}

void tst_Moderation::userSearchFoldsTurkish()
{
    m_http->registerUser(QStringLiteral("isil_k"), QStringLiteral("customer"), QStringLiteral("Işıl Kaya"));
    m_http->registerUser(QStringLiteral("ilker"), QStringLiteral("customer"), QStringLiteral("İLKER ŞAHİN"));
    m_http->registerUser(QStringLiteral("sahin_s"), QStringLiteral("customer"), QStringLiteral("Sahin Sarı"));
    const auto names = [this](const QString &query) {
        QStringList out;
        const QJsonArray items = m_http->get(QStringLiteral("/api/v1/admin/users") + query, m_admin.token)
                                     .json()
                                     .value(QStringLiteral("items"))
                                     .toArray();
        for (const QJsonValue &v : items)
            out << v.toObject().value(QStringLiteral("username")).toString();
        return out;
    };
    // I, İ, ı and i are one letter, in display names and usernames alike.
    QCOMPARE(names(QStringLiteral("?q=%C4%B1%C5%9F%C4%B1k")), QStringList{QStringLiteral("usta_isik")}); // ışık
    QCOMPARE(names(QStringLiteral("?q=ISIL")), QStringList{QStringLiteral("isil_k")});
    QCOMPARE(names(QStringLiteral("?q=ilker+%C5%9Fahin")), QStringList{QStringLiteral("ilker")}); // ilker şahin
    // Ş is not S.
    QCOMPARE(names(QStringLiteral("?q=SAH%C4%B0N")), QStringList{QStringLiteral("sahin_s")}); // SAHİN
    QCOMPARE(names(QStringLiteral("?q=+%20USTA_I%20")), QStringList{QStringLiteral("usta_isik")});
    // % and _ are literal.
    QCOMPARE(names(QStringLiteral("?q=%25")), QStringList{});
    QCOMPARE(names(QStringLiteral("?q=a_i")), QStringList{QStringLiteral("usta_isik")});

    // Role and ban state; a banned user shows when and why.
    QVERIFY(names(QStringLiteral("?role=tradesman")).contains(QStringLiteral("usta_isik")));
    QVERIFY(!names(QStringLiteral("?role=tradesman")).contains(QStringLiteral("ayse")));
    QVERIFY(names(QStringLiteral("?role=admin")).contains(QStringLiteral("moderator")));
    const HttpClient::Account target = m_http->registerUser(QStringLiteral("spamci"));
    QCOMPARE(m_http->post(QStringLiteral("/api/v1/admin/users/%1/ban").arg(target.id),
                          {{QStringLiteral("reason"), QStringLiteral("spam")}}, m_admin.token)
                 .status,
             204);
    QCOMPARE(names(QStringLiteral("?banned=true&q=spamci")), QStringList{QStringLiteral("spamci")});
    QCOMPARE(names(QStringLiteral("?banned=false&q=spamci")), QStringList{});
    const QJsonObject banned = m_http->get(QStringLiteral("/api/v1/admin/users?q=spamci"), m_admin.token)
                                   .json()
                                   .value(QStringLiteral("items"))
                                   .toArray()
                                   .at(0)
                                   .toObject();
    QCOMPARE(banned.value(QStringLiteral("banned")).toBool(), true);
    QCOMPARE(banned.value(QStringLiteral("ban_reason")).toString(), QStringLiteral("spam"));
    QVERIFY(msOf(banned.value(QStringLiteral("banned_at"))) > 0);
    const QJsonObject fine = m_http->get(QStringLiteral("/api/v1/admin/users?q=ayse"), m_admin.token)
                                 .json()
                                 .value(QStringLiteral("items"))
                                 .toArray()
                                 .at(0)
                                 .toObject();
    QCOMPARE(fine.value(QStringLiteral("banned")).toBool(), false);
    QVERIFY(!fine.contains(QStringLiteral("banned_at")));

    // Paging: total is the whole match.
    const QJsonObject page = m_http->get(QStringLiteral("/api/v1/admin/users?limit=1&offset=1"), m_admin.token).json();
    QCOMPARE(page.value(QStringLiteral("items")).toArray().size(), 1);
    QVERIFY(page.value(QStringLiteral("total")).toInteger() >= 7);
}

void tst_Moderation::logListsEveryAction()
{
    const HttpClient::Account target = m_http->registerUser(QStringLiteral("kural_disi"));
    const qint64 conv = m_http->conversation(target, m_tradesman.id);
    const qint64 message = send(target, conv, QStringLiteral("kötü söz"));
    const qint64 reportId = report(m_tradesman, message);
    const QString user = QStringLiteral("/api/v1/admin/users/%1/").arg(target.id);

    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), target.token).isEmpty());
    QCOMPARE(m_http->post(user + QStringLiteral("kick"), {}, m_admin.token).status, 204);
    QVERIFY(ws.waitClosed());
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/admin/reports/%1/context").arg(reportId), m_admin.token).status,
             200);
    QCOMPARE(m_http->del(QStringLiteral("/api/v1/admin/messages/%1").arg(message), m_admin.token).status, 204);
    QVERIFY(!resolve(reportId, QStringLiteral("actioned"), QStringLiteral("silindi"), 200)
                 .contains(QStringLiteral("failed")));
    QCOMPARE(m_http->post(user + QStringLiteral("ban"), {{QStringLiteral("reason"), QStringLiteral("küfür")}},
                          m_admin.token)
                 .status,
             204);
    QCOMPARE(m_http->post(user + QStringLiteral("unban"), {}, m_admin.token).status, 204);

    // The user's history, newest first, one entry per action.
    const HttpResult r = m_http->get(user + QStringLiteral("moderation"), m_admin.token);
    QCOMPARE(r.status, 200);
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    QStringList actions;
    for (const QJsonValue &v : items) {
        const QJsonObject e = v.toObject();
        actions << e.value(QStringLiteral("action")).toString();
        QCOMPARE(e.value(QStringLiteral("actor")).toObject().value(QStringLiteral("id")).toInteger(), m_admin.id);
        QCOMPARE(e.value(QStringLiteral("target_user")).toObject().value(QStringLiteral("id")).toInteger(),
                 target.id);
    }
    QCOMPARE(actions, (QStringList{QStringLiteral("unban"), QStringLiteral("ban"),
                                   QStringLiteral("resolve_report"), QStringLiteral("delete_message"),
                                   QStringLiteral("read_context"), QStringLiteral("kick")}));
    QCOMPARE(r.json().value(QStringLiteral("total")).toInteger(), 6);
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("küfür"));
    QCOMPARE(items.at(2).toObject().value(QStringLiteral("report")).toInteger(), reportId);
    QCOMPARE(items.at(2).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("actioned"));
    QCOMPARE(items.at(3).toObject().value(QStringLiteral("target_message")).toInteger(), message);

    // The whole log's filters.
    const QJsonArray bans = log(QStringLiteral("?action=ban&user=%1").arg(target.id));
    QCOMPARE(bans.size(), 1);
    QVERIFY(log(QStringLiteral("?actor=%1&limit=500").arg(m_admin.id)).size() >= 6);
    QCOMPARE(log(QStringLiteral("?actor=%1").arg(target.id)).size(), 0);
    const QJsonArray newest = log(QStringLiteral("?limit=2"));
    QCOMPARE(newest.size(), 2);
    QVERIFY(newest.at(0).toObject().value(QStringLiteral("id")).toInteger()
            > newest.at(1).toObject().value(QStringLiteral("id")).toInteger());
}

void tst_Moderation::badRequestsAndMissingThings()
{
    const auto status = [this](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
        const HttpResult r = m_http->raw(method, path, body, body.isEmpty() ? QByteArray() : "application/json",
                                         m_admin.token);
        return std::make_pair(r.status, r.errorCode());
    };
    using P = std::pair<int, QString>;
    const P bad{400, QStringLiteral("bad_request")};
    const P missing{404, QStringLiteral("not_found")};
    const QString resolve1 = QStringLiteral("/api/v1/admin/reports/1/resolve");
    QCOMPARE(status("POST", resolve1, R"({"action":"banned"})"), bad);
    QCOMPARE(status("POST", resolve1, R"({"note":"x"})"), bad);
    QCOMPARE(status("POST", resolve1, R"({"action":"dismissed","note":5})"), bad);
    QCOMPARE(status("POST", resolve1, "{\"action\":\"dismissed\",\"note\":\"" + QByteArray(1001, 'a') + "\"}"), bad);
    QCOMPARE(status("POST", resolve1, "not json"), bad);
    QCOMPARE(status("POST", QStringLiteral("/api/v1/admin/reports/999999/resolve"), R"({"action":"dismissed"})"),
             missing);
    QCOMPARE(status("POST", QStringLiteral("/api/v1/admin/reports/9223372036854775808/resolve"),
                    R"({"action":"dismissed"})"),
             missing);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/reports/999999/context")), missing);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/reports/1/context?before=-1")), bad);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/reports/1/context?after=")), bad);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/reports?state=")), bad);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/users?banned=yes")), bad);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/users?q=") + QString(101, u'a')), bad);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/users?q=") + QString(100, u'a')).first, 200);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/log?actor=x")), bad);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/log?user=18446744073709551616")).first, 200);
    QCOMPARE(status("GET", QStringLiteral("/api/v1/admin/users/999999/moderation")), missing);
    // Not an administrator.
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/admin/users"), m_customer.token).status, 403);
    QCOMPARE(m_http->post(resolve1, {{QStringLiteral("action"), QStringLiteral("dismissed")}}, m_customer.token)
                 .status,
             403);
}

void tst_Moderation::budgetRefusesPastTheBurst()
{
    const HttpClient::Account busy = admin(QStringLiteral("busy_admin"));
    const HttpClient::Account target = m_http->registerUser(QStringLiteral("hedef"));
    const QString kick = QStringLiteral("/api/v1/admin/users/%1/kick").arg(target.id);
    for (int i = 0; i < kAdminBurst; ++i)
        QCOMPARE(m_http->post(kick, {}, busy.token).status, 204);
    const HttpResult refused = m_http->post(kick, {}, busy.token);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(refused.header("Retry-After").toInt() >= 1);
    // Every kind of action spends it, and nothing past it is done or logged.
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/admin/reports/1/context"), busy.token).status, 429);
    QCOMPARE(m_http->post(QStringLiteral("/api/v1/admin/reports/1/resolve"),
                          {{QStringLiteral("action"), QStringLiteral("dismissed")}}, busy.token)
                 .status,
             429);
    QCOMPARE(log(QStringLiteral("?actor=%1&limit=500").arg(busy.id)).size(), kAdminBurst);
    // Listings are not actions; another administrator's budget is their own.
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/admin/log"), busy.token).status, 200);
    QCOMPARE(m_http->post(kick, {}, m_admin.token).status, 204);
}

// DELETE /admin/connections/{instance}/{id} is an admin action: it spends
// the one budget the other actions spend, and past it nothing is closed or
// logged.
void tst_Moderation::kickingOneConnectionSpendsTheSameBudget()
{
    const HttpClient::Account kicker = admin(QStringLiteral("kicker_admin"));
    const HttpClient::Account idle = m_http->registerUser(QStringLiteral("bosta"));
    const HttpClient::Account watched = m_http->registerUser(QStringLiteral("izlenen"));
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), watched.token).isEmpty());
    const HttpResult listed = m_http->get(
        QStringLiteral("/api/v1/admin/connections?user_id=%1").arg(watched.id), kicker.token);
    QCOMPARE(listed.status, 200);
    const QJsonArray rows = listed.json().value(QStringLiteral("items")).toArray();
    QCOMPARE(rows.size(), 1);
    const QString connection = QStringLiteral("/api/v1/admin/connections/%1/%2")
                                   .arg(rows[0].toObject().value(QStringLiteral("instance")).toString())
                                   .arg(rows[0].toObject().value(QStringLiteral("id")).toInteger());
    // All but one token on kicks of a user; the connection kick takes the last.
    const QString kick = QStringLiteral("/api/v1/admin/users/%1/kick").arg(idle.id);
    for (int i = 0; i < kAdminBurst - 1; ++i)
        QCOMPARE(m_http->post(kick, {}, kicker.token).status, 204);
    QCOMPARE(m_http->del(connection.section(u'/', 0, -2) + QStringLiteral("/999999"), kicker.token)
                 .status,
             404);
    // The budget is spent: the kick of a live connection is refused, the
    // socket stays open, and the log has no such entry.
    const HttpResult refused = m_http->del(connection, kicker.token);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(ws.roundTrip());
    QVERIFY(!ws.isClosed());
    QCOMPARE(log(QStringLiteral("?actor=%1&action=kick_connection").arg(kicker.id)).size(), 0);
    // Another administrator's budget is their own: that kick goes through.
    const HttpClient::Account other = admin(QStringLiteral("other_kicker"));
    QCOMPARE(m_http->del(connection, other.token).status, 204);
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), 4000);
}

QTEST_MAIN(tst_Moderation)
#include "tst_moderation.moc"
