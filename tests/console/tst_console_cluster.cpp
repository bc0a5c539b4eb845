// The console against three real daemons with Redis behind the test nginx,
// driven through its widgets (found by objectName, clicked, confirmation
// dialogs accepted as a person would): login and its failures, the
// connections table across instances, kick and ban, deleting a reported
// message, the dead letters of a job queue retried and dropped, the charts,
// the language switch; and the admin stream: live in
// the status bar, a report within a second, charts and connections from its
// frames without polling, and back to live through another instance after
// the one it was on is killed.

#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"
#include "test_env.h"
#include "ws_client.h"

#include "admin_client.h"
#include "language.h"
#include "login_dialog.h"
#include "main_window.h"
#include "models/row_model.h"
#include "series_store.h"
#include "session.h"
#include "stream/admin_stream.h"
#include "token_store.h"
#include "views/chart_panel.h"
#include "views/listing_view.h"
#include "views/users_view.h"
#include "views/connections_view.h"
#include "views/moderation_view.h"
#include "views/overview_view.h"
#include "views/queues_view.h"
#include "admin_actions.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QtTest>
#include <memory>

using namespace sanayicin::test;
using namespace sanayicin::console;
using namespace Qt::StringLiterals;

namespace {

// Answers every modal dialog that opens while it lives: a reason dialog
// gets `reason` and OK, a confirmation its accepting button.
class DialogAnswerer : public QObject
{
public:
    explicit DialogAnswerer(QString reason = u"test reason"_s) : m_reason(std::move(reason))
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            QWidget *w = QApplication::activeModalWidget();
            if (!w)
                return;
            if (auto *input = qobject_cast<QInputDialog *>(w)) {
                input->setTextValue(m_reason);
                input->accept();
                ++answered;
            } else if (auto *box = qobject_cast<QMessageBox *>(w)) {
                if (auto *yes = box->findChild<QPushButton *>(u"confirmButton"_s)) {
                    yes->click();
                    ++answered;
                }
            }
        });
        m_timer.start(20);
    }
    int answered = 0;

private:
    QString m_reason;
    QTimer m_timer;
};

// Clicks the cell of the row whose column `column` shows `text`, as a
// person selects a row. False when no row shows it.
bool clickRow(QTableView *table, int column, const QString &text)
{
    QAbstractItemModel *m = table->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex i = m->index(r, column);
        if (i.data().toString() == text) {
            table->scrollTo(i);
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(i).center());
            return table->selectionModel()->isRowSelected(r, {});
        }
    }
    return false;
}

// Presses a shortcut as the keyboard does: to the widget that has the
// focus in the window.
bool pressShortcut(QWidget *window, const QKeySequence &keys)
{
    // A dialog closed before may have left no window active.
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window))
        return false;
    QWidget *target = window->focusWidget() ? window->focusWidget() : window;
    QTest::keySequence(target, keys);
    return true;
}

// The rows of `model` whose field `field` equals `value`.
QList<QJsonObject> rowsWhere(const RowModel *model, const QString &field, const QJsonValue &value)
{
    QList<QJsonObject> out;
    for (int r = 0; r < model->rowCount(); ++r)
        if (RowModel::valueAt(model->rowAt(r), field) == value)
            out.append(model->rowAt(r));
    return out;
}

} // namespace

class tst_ConsoleCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void loginGood();
    void loginFailuresSayWhy_data();
    void loginFailuresSayWhy();
    void loginRateLimited();
    void connectionsFillAndUpdateAcrossInstances();
    void kickClosesTheRightSocket();
    void banClosesEveryUserSocket();
    void deletingAReportedMessageReachesParticipants();
    void dismissingAReportClosesIt();
    void usersViewFindsBansAndShowsHistory();
    void deadLettersAreRetriedAndDropped();
    void chartsReceivePoints();
    void streamSaysLive();
    void reportAppearsWithinASecond();
    void chartsReceivePointsFromTicks();
    void connectionsFollowTheStreamWithoutReload();
    void languageSwitchesAtOnce();
    // Last: one daemon is killed.
    void streamComesBackThroughAnotherInstance();

private:
    QUrl nginxUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_nginx.port())); }
    QUrl ws(int i) const { return m_daemons[size_t(i)]->wsUrl(); }
    HttpClient &http(int i) { return *m_http[size_t(i)]; }
    QString user(const char *prefix) { return u"%1_%2"_s.arg(QLatin1StringView(prefix)).arg(++m_users); }
    bool logIn(QString &error);
    MainWindow *window();
    // Logged in, the window shown, the stream live, polling far away (so
    // that what changes comes from the stream).
    bool live(QString &error);
    // The daemon the stream is on.
    int streamDaemon() const;
    // A new user's WebSocket on each instance; each row appears in `model`
    // within `timeoutMs`, naming its instance.
    void openOnEachInstance(const char *prefix, int timeoutMs, const RowModel *model,
                            std::vector<std::unique_ptr<WsClient>> &clients, QStringList &names);

    QTemporaryDir m_dir;
    QString m_database;
    RedisServer m_redis;
    NginxProxy m_nginx;
    std::vector<std::unique_ptr<DaemonProcess>> m_daemons;
    std::vector<std::unique_ptr<HttpClient>> m_http;
    int m_users = 0;

    std::unique_ptr<AdminClient> m_client;
    std::unique_ptr<TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<SeriesStore> m_series;
    std::unique_ptr<AdminStream> m_stream;
    std::unique_ptr<Language> m_language;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ConsoleCluster::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SanayicinTest"_s);
    QCoreApplication::setApplicationName(u"tst_console_cluster"_s);
    QString error;
    const QString database = freshDatabaseUrl(u"postgresql"_s, m_dir.path());
    m_database = database;
    QVERIFY2(m_redis.start(error), qPrintable(error));
    QVERIFY2(DaemonProcess::createUser(database, u"root_admin"_s, u"admin-password"_s, true, error), qPrintable(error));
    for (int i = 0; i < 3; ++i) {
        auto d = std::make_unique<DaemonProcess>();
        QStringList args = DaemonProcess::defaultArgs();
        args << u"--redis"_s << m_redis.url() << u"--instance-id"_s << u"node%1"_s.arg(i + 1);
        QVERIFY2(d->start(database, args, error), qPrintable(error));
        m_http.push_back(std::make_unique<HttpClient>(d->httpUrl(QString())));
        m_daemons.push_back(std::move(d));
    }
    QVERIFY2(m_nginx.start({m_daemons[0]->port(), m_daemons[1]->port(), m_daemons[2]->port()}, error),
             qPrintable(error));
    for (int i = 0; i < 3; ++i)
        QTRY_VERIFY_WITH_TIMEOUT(http(i).get(u"/metrics"_s).body.contains("sanayicin_bridge_connected 1"), 10000);

    m_client = std::make_unique<AdminClient>();
    m_client->setTimeoutMs(10000);
    m_tokens = std::make_unique<TokenStore>();
    m_tokens->setKeyringEnabled(false);
    m_tokens->setFolder(m_dir.filePath(u"tokens"_s));
    m_session = std::make_unique<Session>(m_client.get(), m_tokens.get());
    m_series = std::make_unique<SeriesStore>();
    m_stream = std::make_unique<AdminStream>(m_client.get());
    m_stream->setBackoffLimitMs(2000);
    m_language = std::make_unique<Language>();
    QVERIFY(m_language->apply(u"en"_s));
}

void tst_ConsoleCluster::cleanup()
{
    if (!QTest::currentTestFailed())
        return;
    for (size_t i = 0; i < m_daemons.size(); ++i)
        qWarning().noquote() << "---- log of node" << i + 1 << "----\n"
                             << QString::fromUtf8(m_daemons[i]->log().right(4000));
}

void tst_ConsoleCluster::cleanupTestCase()
{
    m_window.reset();
    m_stream.reset();
    m_nginx.stop();
    for (auto &d : m_daemons)
        d->terminate();
}

bool tst_ConsoleCluster::logIn(QString &error)
{
    if (m_session->state() == Session::Online)
        return true;
    QSignalSpy done(m_session.get(), &Session::loginFinished);
    m_session->login(nginxUrl(), u"root_admin"_s, u"admin-password"_s, false);
    if (!done.wait(20000) || !done.first().first().toBool()) {
        error = u"the admin's login failed"_s;
        return false;
    }
    return true;
}

MainWindow *tst_ConsoleCluster::window()
{
    if (!m_window) {
        m_window = std::make_unique<MainWindow>(
            ConsoleContext{m_client.get(), m_session.get(), m_series.get(), m_stream.get()}, m_language.get());
        m_window->resize(1200, 800);
        m_window->show();
        // Shortcuts go to the active window only.
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            qWarning("the console's window did not become active");
    }
    return m_window.get();
}

void tst_ConsoleCluster::loginGood()
{
    LoginDialog dialog(m_session.get());
    dialog.show();
    dialog.findChild<QLineEdit *>(u"loginServer"_s)->setText(nginxUrl().toString());
    dialog.findChild<QLineEdit *>(u"loginUsername"_s)->setText(u"root_admin"_s);
    dialog.findChild<QLineEdit *>(u"loginPassword"_s)->setText(u"admin-password"_s);
    dialog.findChild<QCheckBox *>(u"loginRemember"_s)->setChecked(true);
    QTest::mouseClick(dialog.findChild<QPushButton *>(u"loginButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 20000);
    QCOMPARE(m_session->state(), Session::Online);
    QCOMPARE(m_session->username(), u"root_admin"_s);
    // Remembered without a keyring: the dialog said where.
    QVERIFY2(dialog.tokenPlace().contains(m_tokens->filePath(nginxUrl().toString())), qPrintable(dialog.tokenPlace()));
    QCOMPARE(QFileInfo(m_tokens->filePath(nginxUrl().toString())).permissions() & 0x0077, QFileDevice::Permissions());
}

void tst_ConsoleCluster::loginFailuresSayWhy_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("kind");
    const QString nginx = u"http://127.0.0.1:%1"_s.arg(m_nginx.port());
    QTest::newRow("wrong password") << nginx << u"root_admin"_s << u"not-the-password"_s << int(ApiError::Unauthorized);
    QTest::newRow("not an admin") << nginx << u"plain_customer"_s << u"password123"_s << int(ApiError::NotAdmin);
    QTest::newRow("server down") << u"http://127.0.0.1:%1"_s.arg(freeLocalPort()) << u"root_admin"_s
                                 << u"admin-password"_s << int(ApiError::ServerDown);
    // TLS spoken to a plain HTTP port: the handshake fails.
    QTest::newRow("tls") << u"https://127.0.0.1:%1"_s.arg(m_nginx.port()) << u"root_admin"_s << u"admin-password"_s
                         << int(ApiError::Tls);
}

void tst_ConsoleCluster::loginFailuresSayWhy()
{
    QFETCH(QString, server);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(int, kind);
    if (username == u"plain_customer"_s && http(0).login(username).token.isEmpty())
        http(0).registerUser(username);
    m_session->logout();

    LoginDialog dialog(m_session.get());
    dialog.show();
    dialog.findChild<QLineEdit *>(u"loginServer"_s)->setText(server);
    dialog.findChild<QLineEdit *>(u"loginUsername"_s)->setText(username);
    dialog.findChild<QLineEdit *>(u"loginPassword"_s)->setText(password);
    QTest::mouseClick(dialog.findChild<QPushButton *>(u"loginButton"_s), Qt::LeftButton);
    ApiError expected;
    expected.kind = ApiError::Kind(kind);
    const QString sentence = expected.describe(true);
    // The sentence of that case, with the details after it.
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.errorText().startsWith(sentence), qPrintable(dialog.errorText()), 20000);
    QVERIFY(dialog.isVisible());
    QCOMPARE(m_session->state(), Session::LoggedOut);
}

void tst_ConsoleCluster::loginRateLimited()
{
    m_session->logout();
    const QString name = user("limited");
    // Logins per address and username: 10 a minute, burst 10.
    ApiError last;
    for (int i = 0; i < 12 && last.kind != ApiError::RateLimited; ++i) {
        QSignalSpy done(m_session.get(), &Session::loginFinished);
        m_session->login(nginxUrl(), name, u"wrong-password"_s, false);
        QVERIFY(done.wait(20000));
        last = done.first().at(1).value<ApiError>();
    }
    QCOMPARE(last.kind, ApiError::RateLimited);
    QVERIFY(last.retryAfterSeconds >= 1);
    QVERIFY2(last.describe(true).contains(QString::number(last.retryAfterSeconds)), qPrintable(last.describe(true)));
}

void tst_ConsoleCluster::connectionsFillAndUpdateAcrossInstances()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"connections"_s);
    RowModel *model = w->connections()->model();

    std::vector<std::unique_ptr<WsClient>> clients;
    QStringList names;
    openOnEachInstance("conn", 15000, model, clients, names);
    if (QTest::currentTestFailed())
        return;
    // The table keeps its selection while rows come and go.
    QTableView *table = w->findChild<QTableView *>(u"connectionsTable"_s);
    QVERIFY(table);
    QVERIFY(clickRow(table, 3, names[2]));
    clients[0]->close();
    QVERIFY(clients[0]->waitClosed());
    QTRY_VERIFY_WITH_TIMEOUT(rowsWhere(model, u"username"_s, names[0]).isEmpty(), 15000);
    const QModelIndexList selected = table->selectionModel()->selectedRows(3);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data().toString(), names[2]);
    QCOMPARE(model->resetCount(), 0);
}

void tst_ConsoleCluster::kickClosesTheRightSocket()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"connections"_s);
    const QString name = user("kick");
    const auto account = http(1).registerUser(name);
    WsClient there, stays;
    QVERIFY(!there.connectAndHello(ws(1), account.token).isEmpty());
    QVERIFY(!stays.connectAndHello(ws(2), account.token).isEmpty());
    RowModel *model = w->connections()->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowsWhere(model, u"username"_s, name).size() == 2, 15000);

    // Select the row of node2's socket and press the button.
    QTableView *table = w->findChild<QTableView *>(u"connectionsTable"_s);
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(table->model());
    w->connections()->searchField()->setFocus();
    QTest::keyClicks(w->connections()->searchField(), name);
    QTRY_COMPARE(proxy->rowCount(), 2);
    QVERIFY(clickRow(table, 0, u"node2"_s));
    DialogAnswerer answers;
    QTest::mouseClick(w->findChild<QPushButton *>(u"kickButton"_s), Qt::LeftButton);
    QVERIFY(there.waitClosed(15000));
    QVERIFY(answers.answered >= 1);
    QVERIFY2(stays.isOpen(), "only the selected connection closes");
    QVERIFY(stays.roundTrip());
    qobject_cast<QLineEdit *>(w->connections()->searchField())->clear();
}

void tst_ConsoleCluster::banClosesEveryUserSocket()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"connections"_s);
    const QString name = user("banned");
    const auto account = http(0).registerUser(name);
    const auto bystander = http(0).registerUser(user("bystander"));
    WsClient a, b, other;
    QVERIFY(!a.connectAndHello(ws(0), account.token).isEmpty());
    QVERIFY(!b.connectAndHello(ws(2), account.token).isEmpty());
    QVERIFY(!other.connectAndHello(ws(2), bystander.token).isEmpty());
    RowModel *model = w->connections()->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowsWhere(model, u"username"_s, name).size() == 2, 15000);

    QTableView *table = w->findChild<QTableView *>(u"connectionsTable"_s);
    QVERIFY(clickRow(table, 3, name));
    DialogAnswerer answers(u"spam"_s);
    QSignalSpy triggered(w->findChild<QAction *>(u"actionBan"_s), &QAction::triggered);
    QVERIFY(pressShortcut(w, QKeySequence(Qt::CTRL | Qt::Key_B)));
    QTRY_COMPARE(triggered.size(), 1);
    QVERIFY(a.waitClosed(15000));
    QVERIFY(b.waitClosed(15000));
    QCOMPARE(a.closeCode(), 4003);
    QCOMPARE(b.closeCode(), 4003);
    QCOMPARE(answers.answered, 2); // the reason, then the confirmation
    QVERIFY(other.isOpen());
    const HttpResult login = http(1).post(u"/api/v1/auth/login"_s,
                                          {{u"username"_s, name}, {u"password"_s, u"password123"_s}});
    QCOMPARE(login.status, 403); // banned for good
}

void tst_ConsoleCluster::deletingAReportedMessageReachesParticipants()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    const auto a = http(0).registerUser(user("rep_a"));
    const auto b = http(1).registerUser(user("rep_b"), u"tradesman"_s);
    const qint64 conv = http(0).conversation(a, b.id);
    WsClient wa, wb;
    QVERIFY(!wa.connectAndHello(ws(0), a.token).isEmpty());
    QVERIFY(!wb.connectAndHello(ws(1), b.token).isEmpty());
    const QJsonObject sent = wa.sendAndAck(conv, u"bad1"_s, u"Kaba bir mesaj"_s);
    QVERIFY(!sent.isEmpty());
    const qint64 messageId = sent.value(u"id"_s).toInteger();
    QVERIFY(!wb.nextOfType(u"message"_s, 10000).isEmpty());
    const HttpResult report = http(2).post(u"/api/v1/messages/%1/report"_s.arg(messageId),
                                           {{u"reason"_s, u"hakaret"_s}}, b.token);
    QCOMPARE(report.status, 202);
    const qint64 reportId = report.json().value(u"id"_s).toInteger();

    MainWindow *w = window();
    w->showView(u"moderation"_s);
    ModerationView *view = w->moderation();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOfKey(QString::number(reportId)) >= 0, 15000);
    // Two clicks: the report, then the action (and the confirmation).
    QTableView *table = w->findChild<QTableView *>(u"reportsTable"_s);
    QVERIFY(clickRow(table, 0, QLocale().toString(reportId)));
    QTRY_VERIFY(view->contextModel()->rowOfKey(QString::number(messageId)) >= 0);
    DialogAnswerer answers;
    QTest::mouseClick(w->findChild<QPushButton *>(u"deleteMessageButton"_s), Qt::LeftButton);
    for (WsClient *c : {&wa, &wb}) {
        const QJsonObject gone = c->nextOfType(u"message_deleted"_s, 15000);
        QVERIFY2(!gone.isEmpty(), "each participant is told");
        QCOMPARE(gone.value(u"message_id"_s).toInteger(), messageId);
    }
    QCOMPARE(answers.answered, 1);
}

void tst_ConsoleCluster::dismissingAReportClosesIt()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    const auto a = http(0).registerUser(user("dis_a"));
    const auto b = http(1).registerUser(user("dis_b"), u"tradesman"_s);
    const qint64 conv = http(0).conversation(a, b.id);
    const HttpResult sent = http(0).post(u"/api/v1/conversations/%1/messages"_s.arg(conv),
                                         {{u"body"_s, u"Merhaba"_s}, {u"client_msg_id"_s, u"d1"_s}}, a.token);
    QCOMPARE(sent.status, 201);
    const HttpResult report = http(1).post(u"/api/v1/messages/%1/report"_s.arg(sent.json().value(u"id"_s).toInteger()),
                                           {{u"reason"_s, u"yanlışlıkla"_s}}, b.token);
    QCOMPARE(report.status, 202);
    const QString reportKey = QString::number(report.json().value(u"id"_s).toInteger());

    MainWindow *w = window();
    w->showView(u"moderation"_s);
    ModerationView *view = w->moderation();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOfKey(reportKey) >= 0, 15000);
    QTableView *table = w->findChild<QTableView *>(u"reportsTable"_s);
    QVERIFY(clickRow(table, 0, QLocale().toString(report.json().value(u"id"_s).toInteger())));
    DialogAnswerer answers(u"sorun yok"_s);
    QVERIFY(pressShortcut(w, QKeySequence(Qt::CTRL | Qt::Key_D)));
    // Only open reports are listed: it leaves the table.
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOfKey(reportKey) < 0, 15000);
    const QJsonObject closed = http(2).get(u"/api/v1/admin/reports?state=resolved"_s, m_client->token()).json();
    bool found = false;
    for (const QJsonValue &v : closed.value(u"items"_s).toArray())
        if (v.toObject().value(u"id"_s).toInteger() == reportKey.toLongLong()) {
            found = true;
            QCOMPARE(v.toObject().value(u"state"_s).toString(), u"dismissed"_s);
            QCOMPARE(v.toObject().value(u"note"_s).toString(), u"sorun yok"_s);
        }
    QVERIFY(found);

    // The moderation log shows it.
    w->showView(u"log"_s);
    RowModel *log = w->log()->model();
    QTRY_VERIFY_WITH_TIMEOUT(!rowsWhere(log, u"report"_s, reportKey.toLongLong()).isEmpty(), 15000);
}

void tst_ConsoleCluster::usersViewFindsBansAndShowsHistory()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    const QString name = user("isik");
    const auto account = http(0).registerUser(name, u"tradesman"_s, u"Işık Usta"_s);
    MainWindow *w = window();
    w->showView(u"users"_s);
    UsersView *view = w->users();
    // Turkish-aware search: "ışık" finds "Işık".
    auto *search = w->findChild<QLineEdit *>(u"userSearch"_s);
    // (QTest types ASCII only: the Turkish letters are set, then Enter.)
    search->setText(u"ışık usta"_s);
    QTest::keyClick(search, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOfKey(QString::number(account.id)) >= 0, 15000);

    QTableView *table = w->findChild<QTableView *>(u"usersTable"_s);
    QVERIFY(clickRow(table, 1, name));
    {
        DialogAnswerer answers(u"deneme"_s);
        QTest::mouseClick(w->findChild<QPushButton *>(u"userBanButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            view->model()->rowAt(view->model()->rowOfKey(QString::number(account.id))).value(u"banned"_s).toBool(),
            15000);
    }
    // Its history: the ban, with its reason.
    QTRY_VERIFY_WITH_TIMEOUT(!rowsWhere(view->historyModel(), u"action"_s, u"ban"_s).isEmpty(), 15000);
    QCOMPARE(rowsWhere(view->historyModel(), u"action"_s, u"ban"_s).first().value(u"reason"_s).toString(), u"deneme"_s);
    {
        DialogAnswerer answers;
        QTest::mouseClick(w->findChild<QPushButton *>(u"userUnbanButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            !view->model()->rowAt(view->model()->rowOfKey(QString::number(account.id))).value(u"banned"_s).toBool(),
            15000);
    }
    QVERIFY(!http(1).login(name).token.isEmpty());
}

// Dead letters made the way they happen (as tst_openapi_responses
// jobQueues makes them): the scheduler puts sessions.purge on the
// maintenance queue every second, and a worker whose database does not
// answer fails each, one attempt allowed. The console lists them under the
// selected job queue; Ctrl+Shift+R sends one back to its queue, Drop (after
// its confirmation) removes another, and the moderation log shows both.
void tst_ConsoleCluster::deadLettersAreRetriedAndDropped()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    const QString token = m_client->token();
    const QString deadPath = u"/api/v1/admin/queues/maintenance/dead"_s;
    const auto deadIds = [&] {
        QStringList ids;
        for (const QJsonValue &v : http(0).get(deadPath, token).json().value(u"items"_s).toArray())
            ids.append(v.toObject().value(u"id"_s).toString());
        return ids;
    };
    {
        QProcess scheduler, worker;
        scheduler.start(TestEnv::daemonPath(), {u"scheduler"_s, u"--redis"_s, m_redis.url(), u"--database"_s,
                                                m_database, u"--purge-interval-s"_s, u"1"_s,
                                                u"--scheduler-lease-ms"_s, u"300"_s});
        worker.start(TestEnv::daemonPath(), {u"worker"_s, u"--redis"_s, m_redis.url(), u"--database"_s,
                                             u"postgresql://nobody@127.0.0.1:1/none"_s, u"--worker-queues"_s,
                                             u"maintenance"_s, u"--jobs-max-attempts"_s, u"1"_s,
                                             u"--worker-poll-ms"_s, u"50"_s});
        QVERIFY(scheduler.waitForStarted() && worker.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(deadIds().size() >= 2, 20000);
        scheduler.kill();
        worker.kill();
        scheduler.waitForFinished();
        worker.waitForFinished();
    }
    const QStringList before = deadIds();

    MainWindow *w = window();
    w->showView(u"queues"_s);
    QueuesView *view = w->queues();
    // The job queues as last read by the daemon (a few seconds old): F5
    // until the maintenance queue counts its dead letters.
    const auto refreshed = [w](const std::function<bool()> &done) {
        w->refreshNow();
        return done();
    };
    QTRY_VERIFY_WITH_TIMEOUT(refreshed([view] {
        const int row = view->jobsModel()->rowOfKey(u"maintenance"_s);
        return row >= 0 && view->jobsModel()->rowAt(row).value(u"dead_letters"_s).toInteger() >= 2;
    }), 20000);
    QVERIFY(view->model()->rowCount() > 0); // the daemon's own queues stay beside them
    // Selected by itself on the first answer: the first queue with dead
    // letters; a click keeps it.
    QCOMPARE(view->selectedJobQueue(), u"maintenance"_s);
    QTableView *jobs = w->findChild<QTableView *>(u"jobQueuesTable"_s);
    QVERIFY(clickRow(jobs, 0, u"maintenance"_s));
    QCOMPARE(view->selectedJobQueue(), u"maintenance"_s);
    RowModel *dead = view->deadModel();
    QTRY_COMPARE_WITH_TIMEOUT(dead->rowCount(), int(before.size()), 15000);
    QCOMPARE(dead->rowAt(dead->rowOfKey(before[0])).value(u"type"_s).toString(), u"sessions.purge"_s);
    QCOMPARE(dead->rowAt(dead->rowOfKey(before[0])).value(u"attempts"_s).toInt(), 1);
    auto *retryButton = w->findChild<QPushButton *>(u"retryDeadLetterButton"_s);
    auto *dropButton = w->findChild<QPushButton *>(u"dropDeadLetterButton"_s);
    QVERIFY(!retryButton->isEnabled()); // nothing selected yet
    QVERIFY(!retryButton->accessibleName().isEmpty());
    QVERIFY(!dropButton->accessibleName().isEmpty());

    // Retry by keyboard: no question, it leaves the dead letters.
    QTableView *deadTable = w->findChild<QTableView *>(u"deadLettersTable"_s);
    QVERIFY(clickRow(deadTable, 3, before[0]));
    QVERIFY(retryButton->isEnabled());
    QSignalSpy retried(w->findChild<QAction *>(u"actionRetryDeadLetter"_s), &QAction::triggered);
    QVERIFY(pressShortcut(w, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)));
    QTRY_COMPARE(retried.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(dead->rowOfKey(before[0]) < 0, 15000);
    QVERIFY(dead->rowOfKey(before[1]) >= 0);
    QVERIFY(!deadIds().contains(before[0]));
    auto *result = w->findChild<QLabel *>(u"deadLettersResult"_s);
    QVERIFY2(result->text().contains(u"went back to the queue"_s), qPrintable(result->text()));

    // Drop with the button: asked first, then gone for good.
    QVERIFY(clickRow(deadTable, 3, before[1]));
    {
        DialogAnswerer answers;
        QTest::mouseClick(dropButton, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dead->rowOfKey(before[1]) < 0, 15000);
        QCOMPARE(answers.answered, 1);
    }
    QVERIFY(!deadIds().contains(before[1]));
    QCOMPARE(dead->resetCount(), 0);

    // Gone already (dropped just now): said as such, not as a failure of
    // the server.
    AdminActions actions(m_client.get(), view);
    bool done = false, ok = true;
    QString text;
    actions.retryDeadLetters(u"maintenance"_s, {before[1]}, [&](bool success, const QString &sentence) {
        done = true;
        ok = success;
        text = sentence;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    QVERIFY(!ok);
    ApiError gone;
    gone.kind = ApiError::NotFound;
    QCOMPARE(text, AdminActions::deadLetterError(gone));
    QVERIFY2(text.contains(u"gone already"_s), qPrintable(text));
    // The admin budget says when to try again (Retry-After); a queue that
    // did not answer is said as such.
    ApiError budget;
    budget.kind = ApiError::RateLimited;
    budget.retryAfterSeconds = 7;
    QCOMPARE(AdminActions::deadLetterError(budget),
             u"Your budget of admin actions is spent for now. Try again in 7 seconds."_s);
    ApiError down;
    down.kind = ApiError::Unavailable;
    QVERIFY(AdminActions::deadLetterError(down).startsWith(u"The job queue did not answer."_s));

    // The moderation log: the retry and the drop, each naming the queue and
    // the dead letter.
    w->showView(u"log"_s);
    RowModel *log = w->log()->model();
    QTRY_VERIFY_WITH_TIMEOUT(!rowsWhere(log, u"reason"_s, u"maintenance "_s + before[0]).isEmpty(), 15000);
    QCOMPARE(rowsWhere(log, u"reason"_s, u"maintenance "_s + before[0]).first().value(u"action"_s).toString(),
             u"retry_job"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!rowsWhere(log, u"reason"_s, u"maintenance "_s + before[1]).isEmpty(), 15000);
    QCOMPARE(rowsWhere(log, u"reason"_s, u"maintenance "_s + before[1]).first().value(u"action"_s).toString(),
             u"drop_job"_s);

    // Back on the Queues view, nobody pressing F5, the stream live: the
    // job queue's numbers follow on its ticks: the retried job waits (no
    // worker runs), two dead letters fewer.
    QTRY_VERIFY_WITH_TIMEOUT(w->live(), 15000); // nothing polls: the ticks bring the reload
    const int loads = view->loadCount();
    w->showView(u"queues"_s);
    const auto maintenance = [view] {
        return view->jobsModel()->rowAt(view->jobsModel()->rowOfKey(u"maintenance"_s));
    };
    QTRY_VERIFY_WITH_TIMEOUT(maintenance().value(u"dead_letters"_s).toInteger() == before.size() - 2
                                 && maintenance().value(u"waiting"_s).toInteger() >= 1,
                             15000);
    // The tab's own load, then at least one a tick brought (nothing polls).
    QTRY_VERIFY_WITH_TIMEOUT(view->loadCount() >= loads + 2, 10000);
    QVERIFY(w->live());
    QCOMPARE(view->jobsModel()->resetCount(), 0);
}

void tst_ConsoleCluster::chartsReceivePoints()
{
    QString error;
    QVERIFY2(logIn(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"overview"_s);
    OverviewView *overview = w->overview();
    const int before = overview->connectionsChart()->pointCount();
    w->refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(overview->connectionsChart()->pointCount() >= before + 4, 15000); // 3 instances + cluster
    QTRY_VERIFY_WITH_TIMEOUT(overview->cardCount() == 3, 15000);
    // Messages acknowledged: the rates and the ack latency come from the
    // daemons' series on the next refreshes.
    const auto a = http(0).registerUser(user("chart_a"));
    const auto b = http(1).registerUser(user("chart_b"), u"tradesman"_s);
    const qint64 conv = http(0).conversation(a, b.id);
    WsClient wa;
    QVERIFY(!wa.connectAndHello(ws(0), a.token).isEmpty());
    for (int i = 0; i < 5; ++i)
        QVERIFY(!wa.sendAndAck(conv, u"c%1"_s.arg(i), u"ölçüm"_s).isEmpty());
    const auto refreshed = [w](const std::function<bool()> &done) {
        w->refreshNow();
        return done();
    };
    QTRY_VERIFY_WITH_TIMEOUT(refreshed([overview] { return overview->messagesChart()->pointCount() >= 1; }), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed([overview] { return overview->latencyChart()->pointCount() >= 1; }), 15000);
}

bool tst_ConsoleCluster::live(QString &error)
{
    if (!logIn(error))
        return false;
    MainWindow *w = window();
    w->setRefreshIntervalMs(60000);
    if (!QTest::qWaitFor([this] { return m_stream->state() == AdminStream::Live; }, 15000)) {
        error = u"the admin stream did not go live: "_s + m_stream->statusText();
        return false;
    }
    return true;
}

int tst_ConsoleCluster::streamDaemon() const
{
    for (int i = 0; i < 3; ++i)
        if (m_stream->instance() == u"node%1"_s.arg(i + 1))
            return i;
    return -1;
}

void tst_ConsoleCluster::openOnEachInstance(const char *prefix, int timeoutMs, const RowModel *model,
                                            std::vector<std::unique_ptr<WsClient>> &clients, QStringList &names)
{
    for (int i = 0; i < 3; ++i) {
        names.append(user(prefix));
        const auto account = http(i).registerUser(names.last());
        clients.push_back(std::make_unique<WsClient>());
        QVERIFY(!clients.back()->connectAndHello(ws(i), account.token).isEmpty());
    }
    // Each user's row, on the instance it is connected to.
    for (int i = 0; i < 3; ++i) {
        QTRY_VERIFY_WITH_TIMEOUT(rowsWhere(model, u"username"_s, names[i]).size() == 1, timeoutMs);
        QCOMPARE(rowsWhere(model, u"username"_s, names[i]).first().value(u"instance"_s).toString(),
                 u"node%1"_s.arg(i + 1));
    }
}

void tst_ConsoleCluster::streamSaysLive()
{
    QString error;
    QVERIFY2(live(error), qPrintable(error));
    auto *label = window()->findChild<QLabel *>(u"streamStatus"_s);
    QVERIFY(label);
    QTRY_VERIFY2(label->text().startsWith(u"Live updates: on"_s), qPrintable(label->text()));
    QVERIFY(streamDaemon() >= 0);
    QVERIFY(window()->live());
    // Nothing polls while it is live, even with the poll at its shortest.
    MainWindow *w = window();
    w->showView(u"connections"_s);
    QTRY_VERIFY_WITH_TIMEOUT(w->connections()->hasData(), 15000);
    // The loads of going live (the listings after welcome, the tab's own)
    // answer first: the count starts after a second without any answer.
    QSignalSpy requests(m_client.get(), &AdminClient::answered);
    for (int i = 0; i < 30 && (i == 0 || requests.size() > 0); ++i) {
        requests.clear();
        requests.wait(1000);
    }
    QCOMPARE(requests.size(), 0);
    w->setRefreshIntervalMs(500);
    QSignalSpy ticks(m_stream.get(), &AdminStream::tick);
    QTest::qWait(2500);
    w->setRefreshIntervalMs(60000);
    QVERIFY(ticks.size() >= 2);
    QCOMPARE(requests.size(), 0);
}

void tst_ConsoleCluster::reportAppearsWithinASecond()
{
    QString error;
    QVERIFY2(live(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"moderation"_s);
    ModerationView *view = w->moderation();
    QTRY_VERIFY_WITH_TIMEOUT(view->hasData(), 15000);
    const int loads = view->loadCount();
    // Filed through an instance the console's stream is not on.
    const int other = (streamDaemon() + 1) % 3;
    const auto a = http(other).registerUser(user("fast_a"));
    const auto b = http(other).registerUser(user("fast_b"), u"tradesman"_s);
    const qint64 conv = http(other).conversation(a, b.id);
    const HttpResult sent = http(other).post(u"/api/v1/conversations/%1/messages"_s.arg(conv),
                                             {{u"body"_s, u"Hızlı"_s}, {u"client_msg_id"_s, u"f1"_s}}, a.token);
    QCOMPARE(sent.status, 201);

    // The moment the row is in the table, from the model's own signal.
    QString key;
    qint64 shownAtMs = -1;
    QElapsedTimer clock;
    clock.start();
    const auto look = [&] {
        if (shownAtMs < 0 && !key.isEmpty() && view->model()->rowOfKey(key) >= 0)
            shownAtMs = clock.elapsed();
    };
    QMetaObject::Connection watch = connect(view->model(), &QAbstractItemModel::rowsInserted, this, look);
    const qint64 askedAtMs = clock.elapsed();
    const HttpResult report = http(other).post(u"/api/v1/messages/%1/report"_s.arg(sent.json().value(u"id"_s).toInteger()),
                                               {{u"reason"_s, u"hemen"_s}}, b.token);
    const qint64 answeredAtMs = clock.elapsed();
    QCOMPARE(report.status, 202);
    key = QString::number(report.json().value(u"id"_s).toInteger());
    look(); // it may have come while the POST was waited for
    QTRY_VERIFY_WITH_TIMEOUT(shownAtMs >= 0, 5000);
    disconnect(watch);
    const qint64 latencyMs = qMax<qint64>(0, shownAtMs - answeredAtMs);
    // (The answer is waited for in this event loop: the row may come first.)
    qInfo() << "report filed on node" << other + 1 << ", stream on" << m_stream->instance()
            << ": in the table" << shownAtMs - askedAtMs << "ms after the POST was sent,"
            << latencyMs << "ms after its answer (" << answeredAtMs - askedAtMs << "ms)";
    QVERIFY2(latencyMs < 1000, qPrintable(QString::number(latencyMs)));
    QCOMPARE(view->loadCount(), loads); // the stream's frame, not a reload
}

void tst_ConsoleCluster::chartsReceivePointsFromTicks()
{
    QString error;
    QVERIFY2(live(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"overview"_s);
    OverviewView *overview = w->overview();
    QTRY_VERIFY_WITH_TIMEOUT(overview->cardCount() == 3, 15000);
    // Three instances and the cluster each tick, with nobody asking.
    const int before = overview->connectionsChart()->pointCount();
    QTRY_VERIFY_WITH_TIMEOUT(overview->connectionsChart()->pointCount() >= before + 8, 5000);
    const auto a = http(0).registerUser(user("tick_a"));
    const auto b = http(1).registerUser(user("tick_b"), u"tradesman"_s);
    const qint64 conv = http(0).conversation(a, b.id);
    WsClient wa;
    QVERIFY(!wa.connectAndHello(ws(0), a.token).isEmpty());
    const int messages = overview->messagesChart()->pointCount();
    const int latency = overview->latencyChart()->pointCount();
    for (int i = 0; i < 5; ++i)
        QVERIFY(!wa.sendAndAck(conv, u"t%1"_s.arg(i), u"ölçüm"_s).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(overview->messagesChart()->pointCount() > messages, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(overview->latencyChart()->pointCount() > latency, 5000);
    QVERIFY(m_series->points(u"messages_per_s/node1"_s).size() >= 1); // per instance too
    QVERIFY(w->live());
}

void tst_ConsoleCluster::connectionsFollowTheStreamWithoutReload()
{
    QString error;
    QVERIFY2(live(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"connections"_s);
    ConnectionsView *view = w->connections();
    QTRY_VERIFY_WITH_TIMEOUT(view->hasData() && !view->lastError().size(), 15000);
    RowModel *model = view->model();
    QTableView *table = w->findChild<QTableView *>(u"connectionsTable"_s);
    const int loads = view->loadCount();
    const int resets = model->resetCount();

    std::vector<std::unique_ptr<WsClient>> clients;
    QStringList names;
    openOnEachInstance("live", 5000, model, clients, names);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(clickRow(table, 3, names[1]));
    const QString topRow = table->indexAt(QPoint(2, 2)).data(RowModel::KeyRole).toString();
    clients[2]->close();
    clients[0]->close();
    QTRY_VERIFY_WITH_TIMEOUT(rowsWhere(model, u"username"_s, names[0]).isEmpty(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(rowsWhere(model, u"username"_s, names[2]).isEmpty(), 5000);
    const QModelIndexList selected = table->selectionModel()->selectedRows(3);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data().toString(), names[1]);
    QCOMPARE(table->indexAt(QPoint(2, 2)).data(RowModel::KeyRole).toString(), topRow); // not scrolled away
    QCOMPARE(view->loadCount(), loads); // no listing was asked for
    QCOMPARE(model->resetCount(), resets);
}

void tst_ConsoleCluster::streamComesBackThroughAnotherInstance()
{
    QString error;
    QVERIFY2(live(error), qPrintable(error));
    MainWindow *w = window();
    w->showView(u"connections"_s);
    QTRY_VERIFY_WITH_TIMEOUT(w->connections()->hasData(), 15000);
    auto *label = w->findChild<QLabel *>(u"streamStatus"_s);
    const int victim = streamDaemon();
    QVERIFY(victim >= 0);
    const int connectionLoads = w->connections()->loadCount();
    const int reportLoads = w->moderation()->loadCount();
    QSignalSpy reload(m_stream.get(), &AdminStream::reloadNeeded);
    QSignalSpy states(m_stream.get(), &AdminStream::stateChanged);

    m_daemons[size_t(victim)]->kill();
    QTRY_VERIFY_WITH_TIMEOUT(m_stream->state() == AdminStream::Reconnecting, 5000);
    QVERIFY2(label->text().contains(u"reconnecting"_s), qPrintable(label->text()));
    QVERIFY(!w->live());
    // Through nginx to another instance: it cannot resume that stream.
    QTRY_VERIFY_WITH_TIMEOUT(m_stream->state() == AdminStream::Live, 20000);
    QVERIFY(m_stream->instance() != u"node%1"_s.arg(victim + 1));
    QTRY_VERIFY2(label->text().startsWith(u"Live updates: on"_s), qPrintable(label->text()));
    QCOMPARE(reload.size(), 1);
    QTRY_VERIFY(w->connections()->loadCount() > connectionLoads);
    QTRY_VERIFY(w->moderation()->loadCount() > reportLoads);
}

void tst_ConsoleCluster::languageSwitchesAtOnce()
{
    MainWindow *w = window();
    auto *tabs = w->findChild<QTabWidget *>(u"viewTabs"_s);
    QAction *turkish = w->findChild<QAction *>(u"language_tr"_s);
    QVERIFY(turkish);
    turkish->trigger();
    // QApplication posts the change to every window: it arrives with the
    // next turn of the event loop.
    QTRY_COMPARE(tabs->tabText(1), u"Bağlantılar"_s);
    QCOMPARE(tabs->tabText(3), u"Şikayetler"_s);
    QCOMPARE(tabs->tabText(4), u"Kullanıcılar"_s);
    QCOMPARE(w->connections()->model()->headerData(3, Qt::Horizontal).toString(), u"Kullanıcı adı"_s);
    QCOMPARE(w->findChild<QPushButton *>(u"banButton"_s)->text(), u"Kullanıcıyı &yasakla"_s);
    w->findChild<QAction *>(u"language_en"_s)->trigger();
    QTRY_COMPARE(tabs->tabText(1), u"Connections"_s);
}

QTEST_MAIN(tst_ConsoleCluster)
#include "tst_console_cluster.moc"
