// The use cases of server/chat/ without a transport: the whole stack below
// them (read pool, writer, hub, caches, hashes) on SQLite in a temporary
// folder, a plain QObject as the caller on this thread. Each outcome is what
// both transports map to their wire; replies come on the caller's thread and
// never to a caller that has gone.

#include "storage_test.h"

#include "auth/authenticator.h"
#include "auth/password_hasher.h"
#include "auth/session_cache.h"
#include "auth/tokens.h"
#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "chat/chat.h"
#include "delivery/connection_host.h"
#include "delivery/delivery_service.h"
#include "delivery/hub.h"
#include "delivery/local_hub.h"
#include "delivery/presence_view.h"
#include "limits/rate_gate.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"
#include "metrics/server_metrics.h"
#include "storage/batched_lookup.h"
#include "storage/db_pool.h"
#include "storage/directory_store.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "storage/message_writer.h"
#include "storage/user_cache.h"
#include "threading/mailbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <optional>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

// Frames the hub hands to this instance's connections.
class RecordingHost final : public ConnectionHost
{
public:
    QList<std::pair<QList<qint64>, QByteArray>> frames;
    QList<std::pair<qint64, int>> closes;
    QList<ConnectionSummary> connections; // what the console would list

    void deliverMessages(const MessageBatch &) override {}
    void deliverFrame(const QList<qint64> &users, const QByteArray &frame) override
    {
        frames.push_back({users, frame});
    }
    void closeUser(qint64 userId, int code, const QString &) override { closes.push_back({userId, code}); }
    void closeToken(qint64 userId, const QByteArray &, int code, const QString &) override
    {
        closes.push_back({userId, code});
    }
    void closeAll(int, const QString &) override {}
    QList<ConnectionSummary> summaries() const override { return connections; }
    std::optional<qint64> closeConnection(qint64 id, int code, const QString &) override
    {
        for (const ConnectionSummary &c : connections)
            if (c.id == id) {
                closes.push_back({c.userId, code});
                return c.userId;
            }
        return std::nullopt;
    }
};

// Waits for a reply on this thread and checks it came on this thread.
template<typename T>
struct Reply
{
    std::optional<T> value;
    bool wrongThread = false;
    auto sink()
    {
        return [this](T v) {
            wrongThread = wrongThread || QThread::currentThread() != qApp->thread();
            value.emplace(std::move(v));
        };
    }
};

} // namespace

class tst_ChatServices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup();

    void sendStoresAcksAndRepeats();
    void sendToAConversationNotTheirs();
    void sendBeyondTheBudget();
    void sendReplyToACallerThatLeftIsDropped();
    void markReadMovesTheCursorAndTellsThePeer();
    void historyFromDatabaseThenCache();
    void syncAfterAnId();
    void conversationsOpenListGet();
    void registerLoginLogout();
    void banEndsSessionsAndLogins();
    void reportAndDelete();
    void directorySaveSearchGet();
    void adminListings();
    void admissionBudgets();
    void admissionTokens();
    void admissionReplyToACallerThatLeftIsDropped();
    void createAccountForRegistrationAndCommandLine();

private:
    chat::Caller caller() { return {m_caller.get(), m_caller.get(), nullptr}; }
    chat::Outcome<chat::Messaging::Sent> send(qint64 user, qint64 conv, const QString &id,
                                               const QString &body);

    QTemporaryDir m_dir;
    std::unique_ptr<Db> m_db;
    qint64 m_ali = 0, m_berk = 0, m_cem = 0, m_admin = 0, m_conv = 0;

    MetricsRegistry m_registry;
    std::unique_ptr<SessionCache> m_sessions;
    std::unique_ptr<MembershipCache> m_members;
    std::unique_ptr<UserCache> m_users;
    std::unique_ptr<RateLimiter> m_limiter;
    Live<RateRule> m_sendRule, m_typingRule, m_convRule, m_registerRule, m_loginRule;
    Live<RateRule> m_httpAddressRule, m_httpUserRule, m_wsOpenRule, m_adminRule;
    qint64 m_ttl = 3600 * 1000;
    std::unique_ptr<RateGate> m_rates;
    std::unique_ptr<ServerMetrics> m_metrics;
    std::unique_ptr<PresenceView> m_view;
    std::unique_ptr<LocalHub> m_local;
    std::unique_ptr<BatchedLookup<QList<qint64>>> m_peers;
    std::unique_ptr<DeliveryService> m_delivery;
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<RecordingHost> m_host;
    std::unique_ptr<DbPool> m_readers;
    std::unique_ptr<MessageWriter> m_writer;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<LocalRecentMessages> m_recent;
    std::unique_ptr<LocalDirectoryCache> m_directory;
    std::unique_ptr<Authenticator> m_auth;
    std::unique_ptr<BatchedLookup<qint64>> m_hellos;
    std::unique_ptr<chat::Chat> m_chat;
    std::unique_ptr<QObject> m_caller;
};

void tst_ChatServices::init()
{
    QString url;
    m_db = openFreshDatabase(u"sqlite"_s, m_dir.path(), true, &url);
    QVERIFY(m_db);
    m_ali = addUser(*m_db, u"ali"_s);
    m_berk = addUser(*m_db, u"berk"_s, Role::Tradesman);
    m_cem = addUser(*m_db, u"cem"_s);
    m_admin = addUser(*m_db, u"root"_s, Role::Admin);
    m_conv = store::openConversation(*m_db, m_ali, m_berk, 1).id;
    store::openConversation(*m_db, m_berk, m_ali, 2);

    QString error;
    const auto parsed = DatabaseUrl::parse(url, m_dir.path(), error);
    QVERIFY2(parsed, qPrintable(error));
    // Everything fresh per test: caches and buckets are keyed by ids that
    // every new database hands out again.
    for (auto *rule : {&m_sendRule, &m_typingRule, &m_convRule, &m_registerRule, &m_loginRule,
                       &m_httpAddressRule, &m_httpUserRule, &m_wsOpenRule, &m_adminRule})
        rule->set(RateRule{1000, 1000});
    m_sessions = std::make_unique<SessionCache>();
    m_members = std::make_unique<MembershipCache>();
    m_users = std::make_unique<UserCache>();
    m_limiter = std::make_unique<RateLimiter>();
    m_rates = std::make_unique<RateGate>(*m_limiter);
    m_readers = std::make_unique<DbPool>(*parsed, 2, u"test-read"_s, nullptr);
    QVERIFY2(m_readers->start(error), qPrintable(error));
    // The daemon's own delivery path without Redis: writer -> delivery
    // service (ordering) -> local hub -> this instance's host.
    m_metrics = std::make_unique<ServerMetrics>(m_registry);
    m_view = std::make_unique<PresenceView>();
    m_local = std::make_unique<LocalHub>(*m_view, nullptr);
    m_peers = std::make_unique<BatchedLookup<QList<qint64>>>(*m_readers, &store::peersOfUsers);
    m_recent = std::make_unique<LocalRecentMessages>();
    m_directory = std::make_unique<LocalDirectoryCache>();
    m_delivery = std::make_unique<DeliveryService>(*m_local, *m_sessions, *parsed, std::nullopt,
                                                   u"test"_s, *m_metrics, *m_view, *m_limiter,
                                                   *m_peers, *m_readers, *m_recent, *m_directory);
    QVERIFY2(m_delivery->start(error), qPrintable(error));
    m_hub = std::make_unique<Hub>(*m_local, *m_sessions, *m_delivery);
    m_host = std::make_unique<RecordingHost>();
    m_hub->addHost(m_host.get());
    m_writer = std::make_unique<MessageWriter>(*parsed, *m_delivery, *m_members, 100, 100,
                                               MessageWriter::Metrics{});
    QVERIFY2(m_writer->start(error), qPrintable(error));
    m_hasher = std::make_unique<PasswordHasher>(64, 1, 1, 16);
    m_auth = std::make_unique<Authenticator>(*m_sessions, *m_readers);
    m_hellos = std::make_unique<BatchedLookup<qint64>>(*m_readers, &store::lastMessageIds);
    m_chat = std::make_unique<chat::Chat>(chat::ChatDeps{
        *m_readers, *m_writer, *m_hub, *m_sessions, *m_rates, *m_hasher, *m_members, *m_recent,
        *m_directory, *m_users, *m_auth, *m_hellos,
        chat::ChatSettings{m_sendRule, m_typingRule, m_convRule, m_registerRule, m_loginRule,
                           m_loginRule, m_loginRule, m_ttl, m_httpAddressRule, m_httpUserRule,
                           m_wsOpenRule, m_adminRule},
        m_registry.counter("t_received_total", "-"), m_registry.counter("t_limited_total", "-"),
        *m_limiter, *m_delivery, m_metrics->wsConnections, u"test"_s,
        [] { return QByteArray(R"({"id":"test"})"); }});
    m_caller = std::make_unique<QObject>();
}

void tst_ChatServices::cleanup()
{
    m_caller.reset();
    m_chat.reset();
    if (m_writer)
        m_writer->stop();
    if (m_readers)
        m_readers->stop();
    // Replies still queued here are dropped with the callers they name.
    QCoreApplication::processEvents();
    m_hellos.reset();
    m_auth.reset();
    m_writer.reset();
    if (m_hub && m_host)
        m_hub->removeHost(m_host.get());
    m_host.reset();
    m_hub.reset();
    if (m_delivery)
        m_delivery->stop();
    m_delivery.reset();
    m_peers.reset();
    m_local.reset();
    m_view.reset();
    m_metrics.reset();
    m_readers.reset();
    m_hasher.reset();
    m_rates.reset();
    m_db.reset();
}

chat::Outcome<chat::Messaging::Sent> tst_ChatServices::send(qint64 user, qint64 conv,
                                                            const QString &id, const QString &body)
{
    std::optional<chat::Outcome<chat::Messaging::Sent>> out;
    QString named;
    bool wrongThread = false;
    m_chat->messaging.send(caller(), {user, conv, id, body, 0},
                           [&](const chat::Outcome<chat::Messaging::Sent> &o, const QString &ref) {
                               wrongThread = QThread::currentThread() != qApp->thread();
                               named = ref;
                               out.emplace(o);
                           });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 10000))
        return ApiError::internal();
    if (wrongThread || named != id)
        return ApiError::internal();
    return *out;
}

void tst_ChatServices::sendStoresAcksAndRepeats()
{
    const auto first = send(m_ali, m_conv, u"c-1"_s, u"merhaba"_s);
    QVERIFY(first.ok());
    QVERIFY(!first.value().duplicate);
    const Message &m = first.value().message->message;
    QCOMPARE(m.body, u"merhaba"_s);
    QCOMPARE(m.seq, qint64(1));
    // After COMMIT: the database has it.
    QCOMPARE(store::messageById(*m_db, m.id)->body, u"merhaba"_s);

    const auto again = send(m_ali, m_conv, u"c-1"_s, u"something else"_s);
    QVERIFY(again.ok());
    QVERIFY(again.value().duplicate);
    QCOMPARE(again.value().message->message.id, m.id);
    QCOMPARE(again.value().message->message.body, u"merhaba"_s);
}

void tst_ChatServices::sendToAConversationNotTheirs()
{
    const auto o = send(m_cem, m_conv, u"c-1"_s, u"x"_s);
    QVERIFY(!o.ok());
    QCOMPARE(o.error().code, ErrorCode::NotFound);
    QCOMPARE(o.error().message, u"no such conversation"_s);
    const auto none = send(m_ali, 999999, u"c-2"_s, u"x"_s);
    QCOMPARE(none.error().code, ErrorCode::NotFound);
}

void tst_ChatServices::sendBeyondTheBudget()
{
    m_sendRule.set(RateRule{0.001, 2}); // read live through the settings' references
    QVERIFY(send(m_ali, m_conv, u"a"_s, u"1"_s).ok());
    const auto second = send(m_ali, m_conv, u"b"_s, u"2"_s);
    QVERIFY(second.ok());
    const auto refused = send(m_ali, m_conv, u"c"_s, u"3"_s);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::RateLimited);
    QVERIFY(refused.error().retryAfterMs > 0);
    // The third was never stored.
    QCOMPARE(store::lastMessageIdOf(*m_db, m_conv).value_or(0), second.value().message->message.id);
}

// The caller goes while its send is in the writer: the message is stored
// (the writer took it), the reply is dropped on this thread.
void tst_ChatServices::sendReplyToACallerThatLeftIsDropped()
{
    for (int i = 0; i < 50; ++i) {
        auto gone = std::make_unique<QObject>();
        bool called = false;
        m_chat->messaging.send({gone.get(), m_caller.get(), nullptr},
                               {m_ali, m_conv, u"gone-%1"_s.arg(i), u"x"_s, 0},
                               [&called](const chat::Outcome<chat::Messaging::Sent> &, const QString &) {
                                   called = true;
                               });
        gone.reset();
        // A later send's reply arrives after the first one's would have.
        QVERIFY(send(m_ali, m_conv, u"after-%1"_s.arg(i), u"y"_s).ok());
        QVERIFY(!called);
    }
    // Stored all the same: the writer had taken them.
    QCOMPARE(scalar(*m_db, "SELECT COUNT(*) FROM messages WHERE conversation_id = $1", {m_conv}), qint64(100));
}

void tst_ChatServices::markReadMovesTheCursorAndTellsThePeer()
{
    const auto sent = send(m_berk, m_conv, u"r-1"_s, u"oku"_s);
    QVERIFY(sent.ok());
    const qint64 id = sent.value().message->message.id;
    Reply<chat::Messaging::ReadResults> reply;
    QVERIFY(m_chat->messaging.markRead(caller(), m_ali,
                                       {{m_conv, id}, {m_conv, id + 100}, {424242, id}},
                                       reply.sink()));
    QTRY_VERIFY(reply.value.has_value());
    QVERIFY(!reply.wrongThread);
    const auto &r = *reply.value;
    QCOMPARE(r.size(), size_t(3));
    QVERIFY(!r[0]);
    QCOMPARE(r[1]->message, u"no such message in that conversation"_s);
    QCOMPARE(r[2]->message, u"no such conversation"_s);
    // The peer hears of it, as one read frame.
    QTRY_COMPARE(m_host->frames.size(), qsizetype(1));
    QCOMPARE(m_host->frames[0].first, QList<qint64>{m_berk});
    QVERIFY(m_host->frames[0].second.startsWith(R"({"type":"read",)"));
}

void tst_ChatServices::historyFromDatabaseThenCache()
{
    for (int i = 0; i < 5; ++i)
        QVERIFY(send(m_ali, m_conv, u"h-%1"_s.arg(i), u"m%1"_s.arg(i)).ok());
    Reply<chat::Outcome<chat::MessageReader::Page>> newest;
    m_chat->reader.history(caller(), {m_berk, m_conv, {}, {}, 3}, newest.sink());
    QTRY_VERIFY(newest.value.has_value());
    QVERIFY(!newest.wrongThread);
    QVERIFY(newest.value->ok());
    const auto &page = newest.value->value();
    QCOMPARE(page.items.size(), qsizetype(3));
    QVERIFY(page.hasMore);
    QVERIFY(page.items[0].id < page.items[2].id);
    QVERIFY(page.items[2].json.contains(R"("body":"m4")"));
    // The same page again: now from the cache the first read filled; the
    // same bytes.
    Reply<chat::Outcome<chat::MessageReader::Page>> again;
    m_chat->reader.history(caller(), {m_berk, m_conv, {}, {}, 3}, again.sink());
    QTRY_VERIFY(again.value.has_value());
    QCOMPARE(again.value->value().items.size(), qsizetype(3));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(again.value->value().items[i].json, page.items[i].json);
    // Before a cursor, from the database.
    Reply<chat::Outcome<chat::MessageReader::Page>> older;
    m_chat->reader.history(caller(), {m_berk, m_conv, page.items[0].id, {}, 10}, older.sink());
    QTRY_VERIFY(older.value.has_value());
    QCOMPARE(older.value->value().items.size(), qsizetype(2));
    QVERIFY(!older.value->value().hasMore);
    // Not theirs.
    Reply<chat::Outcome<chat::MessageReader::Page>> foreign;
    m_chat->reader.history(caller(), {m_cem, m_conv, {}, {}, 3}, foreign.sink());
    QTRY_VERIFY(foreign.value.has_value());
    QCOMPARE(foreign.value->error().code, ErrorCode::NotFound);
}

void tst_ChatServices::syncAfterAnId()
{
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i) {
        const auto s = send(m_berk, m_conv, u"s-%1"_s.arg(i), u"x"_s);
        QVERIFY(s.ok());
        ids << s.value().message->message.id;
    }
    Reply<chat::Outcome<chat::MessageReader::Page>> page;
    m_chat->reader.sync(caller(), m_ali, ids[0], 2, page.sink());
    QTRY_VERIFY(page.value.has_value());
    QVERIFY(page.value->ok());
    QCOMPARE(page.value->value().items.size(), qsizetype(2));
    QCOMPARE(page.value->value().items[0].id, ids[1]);
    QCOMPARE(page.value->value().items[1].id, ids[2]);
    QVERIFY(page.value->value().hasMore);
    Reply<chat::Outcome<chat::MessageReader::Page>> nothing;
    m_chat->reader.sync(caller(), m_cem, 0, 10, nothing.sink());
    QTRY_VERIFY(nothing.value.has_value());
    QVERIFY(nothing.value->value().items.isEmpty());
    QVERIFY(!nothing.value->value().hasMore);
}

void tst_ChatServices::conversationsOpenListGet()
{
    const User cem{m_cem, u"cem"_s, u"CEM"_s, Role::Customer, 0};
    Reply<chat::Outcome<chat::Conversations::Opened>> self;
    m_chat->conversations.open(caller(), cem, m_cem, self.sink());
    QCOMPARE(self.value->error().code, ErrorCode::BadRequest); // at once, no hop
    const User admin{m_admin, u"root"_s, u"ROOT"_s, Role::Admin, 0};
    Reply<chat::Outcome<chat::Conversations::Opened>> byAdmin;
    m_chat->conversations.open(caller(), admin, m_berk, byAdmin.sink());
    QCOMPARE(byAdmin.value->error().code, ErrorCode::Forbidden);
    Reply<chat::Outcome<chat::Conversations::Opened>> toAdmin;
    m_chat->conversations.open(caller(), cem, m_admin, toAdmin.sink());
    QTRY_VERIFY(toAdmin.value.has_value());
    QCOMPARE(toAdmin.value->error().code, ErrorCode::NotFound);

    Reply<chat::Outcome<chat::Conversations::Opened>> opened;
    m_chat->conversations.open(caller(), cem, m_berk, opened.sink());
    QTRY_VERIFY(opened.value.has_value());
    QVERIFY(opened.value->ok());
    QVERIFY(opened.value->value().created);
    const qint64 id = opened.value->value().conversation.id;
    Reply<chat::Outcome<chat::Conversations::Opened>> reopened;
    m_chat->conversations.open(caller(), cem, m_berk, reopened.sink());
    QTRY_VERIFY(reopened.value.has_value());
    QVERIFY(!reopened.value->value().created);
    QCOMPARE(reopened.value->value().conversation.id, id);

    Reply<chat::Outcome<chat::Conversations::Page>> list;
    m_chat->conversations.list(caller(), m_cem, 10, 0, list.sink());
    QTRY_VERIFY(list.value.has_value());
    QCOMPARE(list.value->value().total, qint64(1));
    QCOMPARE(list.value->value().items.at(0).id, id);
    Reply<chat::Outcome<Conversation>> one;
    m_chat->conversations.get(caller(), m_ali, id, one.sink());
    QTRY_VERIFY(one.value.has_value());
    QCOMPARE(one.value->error().code, ErrorCode::NotFound); // not ali's
}

void tst_ChatServices::registerLoginLogout()
{
    const chat::Accounts::Client client{u"127.0.0.9"_s, {}};
    Reply<chat::Outcome<chat::Accounts::Session>> reg;
    m_chat->accounts.registerUser(caller(), client,
                                  {u"usta_kemal"_s, u"gizli parola 1"_s, u"Kemal"_s, Role::Tradesman},
                                  reg.sink());
    QTRY_VERIFY_WITH_TIMEOUT(reg.value.has_value(), 20000);
    QVERIFY(!reg.wrongThread);
    QVERIFY(reg.value->ok());
    const chat::Accounts::Session session = reg.value->value();
    QVERIFY(!session.token.isEmpty());
    // One transaction: the account, its profile, its session.
    QVERIFY(store::userById(*m_db, session.user.id));
    QCOMPARE(scalar(*m_db, "SELECT COUNT(*) FROM profiles WHERE user_id = $1", {session.user.id}), qint64(1));
    QCOMPARE(scalar(*m_db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", {session.user.id}), qint64(1));

    Reply<chat::Outcome<chat::Accounts::Session>> taken;
    m_chat->accounts.registerUser(caller(), client,
                                  {u"usta_kemal"_s, u"another one 2"_s, u"K"_s, Role::Customer},
                                  taken.sink());
    QTRY_VERIFY_WITH_TIMEOUT(taken.value.has_value(), 20000);
    QCOMPARE(taken.value->error().code, ErrorCode::Conflict);

    Reply<chat::Outcome<chat::Accounts::Session>> wrong;
    m_chat->accounts.login(caller(), client, {u"usta_kemal"_s, u"not it"_s}, wrong.sink());
    QTRY_VERIFY_WITH_TIMEOUT(wrong.value.has_value(), 20000);
    QCOMPARE(wrong.value->error().code, ErrorCode::Unauthorized);
    Reply<chat::Outcome<chat::Accounts::Session>> bad;
    m_chat->accounts.login(caller(), client, {u"no such name!"_s, u"x"_s}, bad.sink());
    QCOMPARE(bad.value->error().code, ErrorCode::Unauthorized); // at once: no hash, no budget

    Reply<chat::Outcome<chat::Accounts::Session>> ok;
    m_chat->accounts.login(caller(), client, {u"usta_kemal"_s, u"gizli parola 1"_s}, ok.sink());
    QTRY_VERIFY_WITH_TIMEOUT(ok.value.has_value(), 20000);
    QVERIFY(ok.value->ok());
    QCOMPARE(ok.value->value().user.id, session.user.id);
    QVERIFY(ok.value->value().token != session.token);

    // Logout ends that session only and closes its WebSockets.
    Reply<chat::Status> out;
    m_chat->accounts.logout(caller(), session.user.id, hashToken(ok.value->value().token), out.sink());
    QTRY_VERIFY(out.value.has_value());
    QVERIFY(out.value->ok());
    QCOMPARE(scalar(*m_db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", {session.user.id}), qint64(1));
    QTRY_COMPARE(m_host->closes.size(), qsizetype(1));
    QCOMPARE(m_host->closes[0], std::make_pair(session.user.id, 4001));
}

chat::Accounts::Session tst_ChatServices_register(chat::Chat &chat, const chat::Caller &caller,
                                                  const QString &name, const QString &password)
{
    std::optional<chat::Outcome<chat::Accounts::Session>> reg;
    chat.accounts.registerUser(caller, {u"127.0.0.9"_s, {}}, {name, password, name, Role::Tradesman},
                               [&reg](chat::Outcome<chat::Accounts::Session> s) { reg.emplace(s); });
    if (!QTest::qWaitFor([&] { return reg.has_value(); }, 20000) || !reg->ok())
        return {};
    return reg->value();
}

void tst_ChatServices::banEndsSessionsAndLogins()
{
    const auto user = tst_ChatServices_register(*m_chat, caller(), u"kotu_adam"_s, u"parola 12345"_s);
    QVERIFY(user.user.id > 0);
    Reply<chat::Status> self;
    m_chat->moderation.ban(caller(), m_admin, m_admin, {}, self.sink());
    QCOMPARE(self.value->error().code, ErrorCode::BadRequest);
    Reply<chat::Status> unknown;
    m_chat->moderation.ban(caller(), m_admin, 987654, {}, unknown.sink());
    QTRY_VERIFY(unknown.value.has_value());
    QCOMPARE(unknown.value->error().code, ErrorCode::NotFound);

    Reply<chat::Status> ban;
    m_chat->moderation.ban(caller(), m_admin, user.user.id, u"spam"_s, ban.sink());
    QTRY_VERIFY(ban.value.has_value());
    QVERIFY(ban.value->ok());
    QCOMPARE(scalar(*m_db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", {user.user.id}), qint64(0));
    QTRY_VERIFY(m_host->closes.contains(std::make_pair(user.user.id, 4003)));
    Reply<chat::Outcome<chat::Accounts::Session>> login;
    m_chat->accounts.login(caller(), {u"127.0.0.9"_s, {}}, {u"kotu_adam"_s, u"parola 12345"_s},
                           login.sink());
    QTRY_VERIFY_WITH_TIMEOUT(login.value.has_value(), 20000);
    QCOMPARE(login.value->error().code, ErrorCode::Forbidden);

    Reply<chat::Status> unban;
    m_chat->moderation.unban(caller(), m_admin, user.user.id, unban.sink());
    QTRY_VERIFY(unban.value.has_value());
    QVERIFY(unban.value->ok());
    Reply<chat::Outcome<chat::Accounts::Session>> back;
    m_chat->accounts.login(caller(), {u"127.0.0.9"_s, {}}, {u"kotu_adam"_s, u"parola 12345"_s},
                           back.sink());
    QTRY_VERIFY_WITH_TIMEOUT(back.value.has_value(), 20000);
    QVERIFY(back.value->ok());

    Reply<chat::Status> kick;
    m_chat->moderation.kick(caller(), m_admin, user.user.id, kick.sink());
    QTRY_VERIFY(kick.value.has_value());
    QVERIFY(kick.value->ok());
    QTRY_VERIFY(m_host->closes.contains(std::make_pair(user.user.id, 4000)));
}

void tst_ChatServices::reportAndDelete()
{
    const auto sent = send(m_ali, m_conv, u"d-1"_s, u"kaba söz"_s);
    QVERIFY(sent.ok());
    const qint64 id = sent.value().message->message.id;
    Reply<chat::Outcome<qint64>> foreign;
    m_chat->moderation.report(caller(), m_cem, id, u"x"_s, foreign.sink());
    QTRY_VERIFY(foreign.value.has_value());
    QCOMPARE(foreign.value->error().code, ErrorCode::NotFound);
    Reply<chat::Outcome<qint64>> report;
    m_chat->moderation.report(caller(), m_berk, id, u"hakaret"_s, report.sink());
    QTRY_VERIFY(report.value.has_value());
    QVERIFY(report.value->value() > 0);

    Reply<chat::Status> removed;
    m_chat->moderation.deleteMessage(caller(), m_admin, id, removed.sink());
    QTRY_VERIFY(removed.value.has_value());
    QVERIFY(removed.value->ok());
    QVERIFY(store::messageById(*m_db, id)->deleted);
    QTRY_VERIFY(!m_host->frames.isEmpty());
    const auto &frame = m_host->frames.last();
    QCOMPARE(frame.second, QByteArray(R"({"type":"message_deleted","conversation_id":)")
                               + QByteArray::number(m_conv) + R"(,"message_id":)"
                               + QByteArray::number(id) + '}');
    QList<qint64> both = frame.first;
    std::sort(both.begin(), both.end());
    QCOMPARE(both, (QList<qint64>{std::min(m_ali, m_berk), std::max(m_ali, m_berk)}));
    Reply<chat::Status> unknown;
    m_chat->moderation.deleteMessage(caller(), m_admin, id + 1000, unknown.sink());
    QTRY_VERIFY(unknown.value.has_value());
    QCOMPARE(unknown.value->error().code, ErrorCode::NotFound);
}

void tst_ChatServices::directorySaveSearchGet()
{
    chat::Directory &directory = m_chat->directory;
    const User customer{m_ali, u"ali"_s, u"ali"_s, Role::Customer, 0};
    const User tradesman{m_berk, u"berk"_s, u"Berk"_s, Role::Tradesman, 0};
    QCOMPARE(chat::Directory::mayHaveProfile(customer)->code, ErrorCode::Forbidden);
    QVERIFY(!chat::Directory::mayHaveProfile(tradesman));
    const ProfileRequest profile{u"Berk Tesisat"_s, u"Tesisatçı"_s, u"İstanbul"_s, u"Kadıköy"_s,
                                 u"Kombi ve tesisat"_s};
    Reply<chat::Outcome<Profile>> refused;
    directory.saveProfile(caller(), customer, profile, refused.sink());
    QCOMPARE(refused.value->error().code, ErrorCode::Forbidden); // at once, nothing stored

    // Filters are folded the Turkish way: "TESİSATÇI" finds "Tesisatçı".
    const chat::Directory::Search search{u"TESİSATÇI"_s, u"istanbul"_s, {}, 20, 0};
    auto listed = [&]() -> QJsonObject {
        Reply<chat::Outcome<QByteArray>> page;
        directory.search(caller(), search, page.sink());
        if (!QTest::qWaitFor([&] { return page.value.has_value(); }, 10000) || page.wrongThread
            || !page.value->ok())
            return {};
        return QJsonDocument::fromJson(page.value->value()).object();
    };
    const QJsonObject before = listed(); // a miss: read and cached
    QCOMPARE(before.value(u"total"_s).toInteger(-1), 0);
    QCOMPARE(listed(), before); // the same page, now from the cache

    Reply<chat::Outcome<Profile>> saved;
    directory.saveProfile(caller(), tradesman, profile, saved.sink());
    QTRY_VERIFY(saved.value.has_value());
    QVERIFY(!saved.wrongThread);
    QVERIFY(saved.value->ok());
    QCOMPARE(saved.value->value().businessName, u"Berk Tesisat"_s);
    QCOMPARE(saved.value->value().userId, m_berk);
    // Answered after the cache moved on: the cached empty page is not read again.
    const QJsonObject after = listed();
    QCOMPARE(after.value(u"total"_s).toInteger(-1), 1);
    const QJsonObject item = after.value(u"items"_s).toArray().at(0).toObject();
    QCOMPARE(item.value(u"business_name"_s).toString(), u"Berk Tesisat"_s);
    QCOMPARE(item.value(u"online"_s).toBool(true), false);

    Reply<chat::Outcome<Profile>> one;
    directory.get(caller(), m_berk, one.sink());
    QTRY_VERIFY(one.value.has_value());
    QVERIFY(one.value->ok());
    QCOMPARE(one.value->value().city, u"İstanbul"_s);
    Reply<chat::Outcome<Profile>> none;
    directory.get(caller(), 987654, none.sink());
    QTRY_VERIFY(none.value.has_value());
    QCOMPARE(none.value->error().code, ErrorCode::NotFound);
}

void tst_ChatServices::adminListings()
{
    chat::Administration &admin = m_chat->administration;
    // No bridge: this instance's own summary only.
    Reply<chat::Outcome<QList<QByteArray>>> instances;
    admin.instances(caller(), instances.sink());
    QTRY_VERIFY(instances.value.has_value());
    QCOMPARE(instances.value->value(), QList<QByteArray>{R"({"id":"test"})"});

    // This instance's connections by id, a page of them, and how many in all.
    for (qint64 id : {30, 10, 20})
        m_host->connections << ConnectionSummary{id, m_ali, u"ali"_s, u"127.0.0.1"_s, 0, 0, true, {}};
    Reply<chat::Outcome<chat::Administration::ConnectionPage>> connections;
    admin::ConnectionQuery query;
    query.limit = 2;
    query.offset = 1;
    admin.connections(caller(), query, connections.sink());
    QTRY_VERIFY(connections.value.has_value());
    QVERIFY(!connections.wrongThread);
    const auto &page = connections.value->value();
    QCOMPARE(page.instance, u"test"_s);
    QCOMPARE(page.total, qint64(3));
    QCOMPARE(page.items.size(), qsizetype(2));
    QCOMPARE(page.items[0].id, qint64(20));
    QCOMPARE(page.items[1].id, qint64(30));
    QCOMPARE(page.items[1].instance, u"test"_s);
    // No bridge: this instance alone, and it answered.
    QCOMPARE(page.instances.size(), qsizetype(1));
    QVERIFY(page.instances[0].ok);

    Reply<chat::Outcome<chat::Administration::Queues>> queued;
    admin.queues(caller(), queued.sink());
    QTRY_VERIFY(queued.value.has_value());
    const chat::Administration::Queues &queues = queued.value->value();
    QCOMPARE(queues.instance, u"test"_s);
    QVERIFY(!queues.redis);
    QVERIFY(!queues.redisConnected);
    QCOMPARE(queues.items.size(), qsizetype(2));
    QCOMPARE(queues.items[0].first, u"test"_s);
    QCOMPARE(queues.items[0].second.name, u"writer"_s);
    QVERIFY(queues.items[0].second.oldestAgeMs.has_value()); // 0 with nothing waiting

    // Kicking one connection closes exactly that one, with 4000.
    Reply<chat::Status> kicked;
    m_host->closes.clear();
    admin.kickConnection(caller(), m_berk, u"test"_s, 20, kicked.sink());
    QTRY_VERIFY(kicked.value.has_value());
    QVERIFY(kicked.value->ok());
    QCOMPARE(m_host->closes, (QList<std::pair<qint64, int>>{{m_ali, 4000}}));
    Reply<chat::Status> missing;
    admin.kickConnection(caller(), m_berk, u"test"_s, 99, missing.sink());
    QTRY_VERIFY(missing.value.has_value());
    QCOMPARE(missing.value->error().code, ErrorCode::NotFound);
    Reply<chat::Status> elsewhere;
    admin.kickConnection(caller(), m_berk, u"other"_s, 20, elsewhere.sink());
    QTRY_VERIFY(elsewhere.value.has_value());
    QCOMPARE(elsewhere.value->error().code, ErrorCode::NotFound);

    const auto sent = send(m_ali, m_conv, u"r-1"_s, u"rapor et"_s);
    QVERIFY(sent.ok());
    const qint64 messageId = sent.value().message->message.id;
    Reply<chat::Outcome<qint64>> report;
    m_chat->moderation.report(caller(), m_berk, messageId, u"hakaret"_s, report.sink());
    QTRY_VERIFY(report.value.has_value());
    using ReportPage = chat::Moderation::Page<Report>;
    Reply<chat::Outcome<ReportPage>> reports;
    m_chat->moderation.reports(caller(), chat::Moderation::ReportState::All, 50, 0, reports.sink());
    QTRY_VERIFY(reports.value.has_value());
    QVERIFY(reports.value->ok());
    QCOMPARE(reports.value->value().total, qint64(1));
    const auto &r = reports.value->value().items.at(0);
    QCOMPARE(r.id, report.value->value());
    QCOMPARE(r.reason, u"hakaret"_s);
    QVERIFY(!r.resolved());
    QCOMPARE(r.state(), u"open"_s);
    QCOMPARE(r.message.id, messageId);
    QCOMPARE(r.reporter.id, m_berk);
    Reply<chat::Outcome<ReportPage>> beyond;
    m_chat->moderation.reports(caller(), chat::Moderation::ReportState::All, 50, 1, beyond.sink());
    QTRY_VERIFY(beyond.value.has_value());
    QCOMPARE(beyond.value->value().items.size(), qsizetype(0));
    QCOMPARE(beyond.value->value().total, qint64(1));

    m_metrics->wsConnections.set(7);
    Reply<chat::Outcome<chat::Administration::Stats>> stats;
    admin.stats(caller(), stats.sink());
    QTRY_VERIFY(stats.value.has_value());
    QVERIFY(stats.value->ok());
    const auto &st = stats.value->value();
    QCOMPARE(st.customers, qint64(2)); // ali, cem
    QCOMPARE(st.tradesmen, qint64(1));
    QCOMPARE(st.admins, qint64(1));
    QCOMPARE(st.banned, qint64(0));
    QCOMPARE(st.conversations, qint64(1));
    QCOMPARE(st.messages, qint64(1));
    QCOMPARE(st.messagesLast24h, qint64(1));
    QCOMPARE(st.openReports, qint64(1));
    QCOMPARE(st.connectionsHere, qint64(7));
    QCOMPARE(st.onlineUsersHere, qint64(0));
}

void tst_ChatServices::admissionBudgets()
{
    chat::Admission &admission = m_chat->admission;
    Counter &limited = m_registry.counter("t_limited_total", "-");
    const qint64 limitedBefore = limited.value();
    m_httpAddressRule.set(RateRule{0.001, 2});
    auto request = [&](const QString &address, bool operations) {
        Reply<chat::Status> s;
        admission.request(caller(), address, operations, s.sink());
        if (!QTest::qWaitFor([&] { return s.value.has_value(); }, 10000) || s.wrongThread)
            return chat::Status(ApiError::internal());
        return *s.value;
    };
    QVERIFY(request(u"10.0.0.1"_s, false).ok());
    QVERIFY(request(u"10.0.0.1"_s, false).ok());
    const chat::Status third = request(u"10.0.0.1"_s, false);
    QCOMPARE(third.error().code, ErrorCode::RateLimited);
    QCOMPARE(third.error().message, u"too many requests"_s);
    QVERIFY(third.error().retryAfterMs > 0);
    QCOMPARE(limited.value(), limitedBefore + 1);
    // Another address, and the operations listener, have budgets of their own.
    QVERIFY(request(u"10.0.0.2"_s, false).ok());
    QVERIFY(request(u"10.0.0.1"_s, true).ok());
    // A reload is seen at once (the settings are Live references): a
    // burst of 1 from now on.
    m_httpAddressRule.set(RateRule{0.001, 1});
    QVERIFY(request(u"10.0.0.5"_s, false).ok());
    QCOMPARE(request(u"10.0.0.5"_s, false).error().code, ErrorCode::RateLimited);

    // New WebSockets: decided synchronously from this instance's buckets.
    m_wsOpenRule.set(RateRule{0.001, 1});
    QVERIFY(admission.openWebSocket(u"10.0.0.3"_s).ok());
    const chat::Status second = admission.openWebSocket(u"10.0.0.3"_s);
    QCOMPARE(second.error().code, ErrorCode::RateLimited);
    QCOMPARE(second.error().message, u"too many new WebSocket connections from this address"_s);
    QVERIFY(second.error().retryAfterMs > 0);
    QVERIFY(admission.openWebSocket(u"10.0.0.4"_s).ok());
    QCOMPARE(limited.value(), limitedBefore + 3);
}

void tst_ChatServices::admissionTokens()
{
    chat::Admission &admission = m_chat->admission;
    auto authenticate = [&](const QByteArray &header) {
        Reply<chat::Outcome<AuthUser>> u;
        admission.authenticate(caller(), header, u.sink());
        if (!QTest::qWaitFor([&] { return u.value.has_value(); }, 10000) || u.wrongThread)
            return chat::Outcome<AuthUser>(ApiError::internal());
        return *u.value;
    };
    const chat::Outcome<AuthUser> none = authenticate({});
    QCOMPARE(none.error().code, ErrorCode::Unauthorized);
    QCOMPARE(none.error().message, u"a bearer token is required"_s);
    QCOMPARE(authenticate("Basic Zm9vOmJhcg==").error().message, u"a bearer token is required"_s);
    const chat::Outcome<AuthUser> madeUp = authenticate("Bearer " + QByteArray(43, 'A'));
    QCOMPARE(madeUp.error().code, ErrorCode::Unauthorized);
    QCOMPARE(madeUp.error().message, u"invalid or revoked token"_s);

    const auto user = tst_ChatServices_register(*m_chat, caller(), u"usta_ayse"_s, u"parola 12345"_s);
    QVERIFY(user.user.id > 0);
    const QByteArray header = "Bearer " + user.token.toUtf8();
    m_httpUserRule.set(RateRule{0.001, 1});
    const chat::Outcome<AuthUser> ok = authenticate(header);
    QVERIFY(ok.ok());
    QCOMPARE(ok.value().user.id, user.user.id);
    QCOMPARE(ok.value().user.role, Role::Tradesman);
    // The user's budget is spent after the token is known.
    const chat::Outcome<AuthUser> over = authenticate(header);
    QCOMPARE(over.error().code, ErrorCode::RateLimited);
    QVERIFY(over.error().retryAfterMs > 0);

    // A token that was ended is refused, whatever the cache held.
    Reply<chat::Status> out;
    m_chat->accounts.logout(caller(), user.user.id, hashToken(user.token), out.sink());
    QTRY_VERIFY(out.value.has_value());
    m_httpUserRule.set(RateRule{1000, 1000});
    QCOMPARE(authenticate(header).error().message, u"invalid or revoked token"_s);
}

void tst_ChatServices::admissionReplyToACallerThatLeftIsDropped()
{
    // The token is looked up in the database: the answer comes later, after
    // the caller (a closed connection's server) has gone.
    auto gone = std::make_unique<QObject>();
    const chat::Caller leaving{gone.get(), gone.get(), nullptr};
    bool answered = false;
    m_chat->admission.authenticate(leaving, "Bearer " + QByteArray(43, 'B'),
                                   [&](chat::Outcome<AuthUser>) { answered = true; });
    QVERIFY(!answered);
    gone.reset();
    // The same question from a caller that stays is answered: the earlier
    // reply had its turn meanwhile and was dropped.
    Reply<chat::Outcome<AuthUser>> later;
    m_chat->admission.authenticate(caller(), "Bearer " + QByteArray(43, 'B'), later.sink());
    QTRY_VERIFY(later.value.has_value());
    QCOMPARE(later.value->error().code, ErrorCode::Unauthorized);
    QVERIFY(!answered);
}

void tst_ChatServices::createAccountForRegistrationAndCommandLine()
{
    // What `sanayicind user create` and registration both call.
    {
        Transaction tx(*m_db);
        const chat::Outcome<User> made = chat::Accounts::createAccount(
            *m_db, u"usta_mert"_s, u"Mert"_s, Role::Tradesman, u"hash"_s, 1000);
        QVERIFY(made.ok());
        tx.commit();
        QVERIFY(made.value().id > 0);
        QCOMPARE(made.value().displayName, u"Mert"_s);
        QCOMPARE(made.value().createdAtMs, qint64(1000));
        // A tradesman is listed from the start, with an empty profile.
        QVERIFY(store::profileOf(*m_db, made.value().id));
    }
    {
        Transaction tx(*m_db);
        const chat::Outcome<User> admin =
            chat::Accounts::createAccount(*m_db, u"yonetici"_s, u"yonetici"_s, Role::Admin, u"h"_s, 1);
        QVERIFY(admin.ok());
        tx.commit();
        QVERIFY(!store::profileOf(*m_db, admin.value().id));
        QCOMPARE(store::userById(*m_db, admin.value().id)->user.role, Role::Admin);
    }
    Transaction tx(*m_db);
    const chat::Outcome<User> taken =
        chat::Accounts::createAccount(*m_db, u"usta_mert"_s, u"x"_s, Role::Customer, u"h"_s, 2);
    QCOMPARE(taken.error().code, ErrorCode::Conflict);
}

QTEST_GUILESS_MAIN(tst_ChatServices)
#include "tst_chat_services.moc"
