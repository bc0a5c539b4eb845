#include "main_window.h"

#include "language.h"
#include "models/row_model.h"
#include "session.h"
#include "stream/admin_stream.h"
#include "views/connections_view.h"
#include "views/listing_view.h"
#include "views/moderation_view.h"
#include "views/overview_view.h"
#include "views/queues_view.h"
#include "views/users_view.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

MainWindow::MainWindow(const ConsoleContext &context, Language *language, QWidget *parent)
    : QMainWindow(parent), m_ctx(context), m_language(language)
{
    setObjectName(u"mainWindow"_s);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"viewTabs"_s);
    m_overview = new OverviewView(context, m_tabs);
    m_connections = new ConnectionsView(context, m_tabs);
    m_queues = new QueuesView(context, m_tabs);
    m_moderation = new ModerationView(context, m_tabs);
    m_users = new UsersView(context, m_tabs);
    m_log = new ListingView(context, ListingView::moderationLog(), m_tabs);
    m_views = {m_overview, m_connections, m_queues, m_moderation, m_users, m_log};
    for (View *v : std::as_const(m_views)) {
        m_tabs->addTab(v, v->title());
        connect(v, &View::message, statusBar(), [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    }
    setCentralWidget(m_tabs);
    m_sessionLabel = new QLabel(this);
    m_sessionLabel->setObjectName(u"sessionStatus"_s);
    m_streamLabel = new QLabel(this);
    m_streamLabel->setObjectName(u"streamStatus"_s);
    statusBar()->addPermanentWidget(m_streamLabel);
    statusBar()->addPermanentWidget(m_sessionLabel);
    connect(context.session, &Session::stateChanged, this, [this] {
        showStatus();
        if (m_ctx.session->state() == Session::Online)
            refreshNow();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { refreshNow(); });

    // Polls the shown view while the admin stream is not there to push.
    QSettings settings;
    m_refresh.setInterval(qBound(500, settings.value(u"refresh_ms"_s, 2000).toInt(), 60000));
    connect(&m_refresh, &QTimer::timeout, this, &MainWindow::poll);
    m_refresh.start();
    if (m_ctx.stream && settings.value(u"stream"_s, true).toBool())
        followStream();

    buildActions();
    retranslate();
    resize(1200, 800);
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_tabs->setCurrentIndex(qBound(0, settings.value(u"window/tab"_s).toInt(), int(m_views.size()) - 1));
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/tab"_s, m_tabs->currentIndex());
    event->accept();
}

View *MainWindow::currentView() const
{
    return qobject_cast<View *>(m_tabs->currentWidget());
}

View *MainWindow::view(const QString &key) const
{
    for (View *v : m_views)
        if (v->key() == key)
            return v;
    return nullptr;
}

void MainWindow::showView(const QString &key)
{
    if (View *v = view(key))
        m_tabs->setCurrentWidget(v);
}

bool MainWindow::live() const
{
    return m_ctx.stream && m_ctx.stream->state() == AdminStream::Live;
}

void MainWindow::refreshNow()
{
    if (m_ctx.session->state() != Session::Online)
        return;
    View *shown = currentView();
    // Polled, the charts take a point on every refresh; live, from ticks.
    if (!live() || shown == m_overview)
        m_overview->refresh();
    if (shown && shown != m_overview)
        shown->refresh();
}

void MainWindow::poll()
{
    if (!live())
        refreshNow();
}

// The stream runs while the session is online; while it is live the refresh
// timer stands still (poll() does nothing) and the views follow its frames.
void MainWindow::followStream()
{
    AdminStream *stream = m_ctx.stream;
    const auto follow = [this, stream] {
        if (m_ctx.session->state() == Session::Online)
            stream->start();
        else if (m_ctx.session->state() == Session::LoggedOut)
            stream->stop();
    };
    connect(m_ctx.session, &Session::stateChanged, stream, follow);
    follow();
    connect(stream, &AdminStream::stateChanged, this, [this](AdminStream::State state) {
        showStatus();
        // The seconds to the next attempt, counted down.
        if (state == AdminStream::Reconnecting || state == AdminStream::Polling)
            m_streamCountdown.start(1000);
        else
            m_streamCountdown.stop();
    });
    connect(&m_streamCountdown, &QTimer::timeout, this, &MainWindow::showStatus);
    connect(stream, &AdminStream::reloadNeeded, this, &MainWindow::reloadListings);
    connect(stream, &AdminStream::tick, this, &MainWindow::afterTick);
    connect(stream, &AdminStream::moderationEntry, this, &MainWindow::afterModeration);
}

// A stream that could not resume (or a new one): what it would have told
// is unknown, so the listings are read again, and its events apply on top.
void MainWindow::reloadListings()
{
    if (m_ctx.session->state() != Session::Online)
        return;
    for (View *v : {static_cast<View *>(m_connections), static_cast<View *>(m_moderation),
                    static_cast<View *>(m_log)})
        v->reload();
    m_overview->refresh();
    if (View *shown = currentView(); shown == m_queues || shown == m_users)
        shown->reload();
}

// The queues are not in the stream, but the writer's depth is (each
// instance's writer_backlog): the shown Queues view is read again when it
// moved. The job queues are in no frame: while there are some, the shown
// view is read again on the first tick 2 s after its last load (the daemon
// reads their numbers every 2 s); a dead letter retried or dropped comes as
// a log entry (afterModeration).
void MainWindow::afterTick(const StreamFrame &tick)
{
    if (currentView() != m_queues || !m_queues->hasData())
        return;
    if (m_queues->jobsModel()->rowCount() > 0 && m_queues->jobsOlderThan(2000)) {
        m_queues->reload();
        return;
    }
    RowModel *model = m_queues->model();
    for (const StreamInstance &i : tick.instances) {
        const int row = model->rowOfKey(i.id + u"/writer"_s);
        const QJsonValue depth = model->rowAt(row).value(u"depth"_s);
        if (row < 0 || depth != i.json.value(u"writer_backlog"_s)) {
            m_queues->reload();
            return;
        }
    }
}

// A log entry: at the top of the log; a ban or unban of a user the Users
// view shows, read again there.
void MainWindow::afterModeration(const QJsonObject &entry)
{
    // Before its first load the log stays empty: the load brings these too,
    // and in their order.
    if (m_log->hasData())
        m_log->addAtTop(entry, 1000);
    const qint64 target = entry.value(u"target_user"_s).toObject().value(u"id"_s).toInteger();
    const QString action = entry.value(u"action"_s).toString();
    // Another administrator retried or dropped a dead letter: the shown
    // Queues view reads its lists again.
    if ((action == u"retry_job"_s || action == u"drop_job"_s) && currentView() == m_queues && m_queues->hasData())
        m_queues->reload();
    if (target > 0 && (action == u"ban"_s || action == u"unban"_s)
        && m_users->model()->rowOfKey(QString::number(target)) >= 0)
        m_users->reload();
}

void MainWindow::buildActions()
{
    const auto add = [this](const QString &name, const QKeySequence &keys, auto slot) {
        auto *a = new QAction(this);
        a->setObjectName(name);
        a->setShortcut(keys);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        m_actions.insert(name, a);
        return a;
    };
    add(u"actionRefresh"_s, QKeySequence(Qt::Key_F5), [this] { refreshNow(); });
    add(u"actionSearch"_s, QKeySequence(Qt::CTRL | Qt::Key_F), [this] {
        if (QWidget *w = currentView() ? currentView()->searchField() : nullptr) {
            w->setFocus(Qt::ShortcutFocusReason);
        }
    });
    add(u"actionKick"_s, QKeySequence(Qt::CTRL | Qt::Key_K), [this] {
        showView(u"connections"_s);
        m_connections->kickSelected();
    });
    add(u"actionBan"_s, QKeySequence(Qt::CTRL | Qt::Key_B), [this] {
        if (currentView() == m_moderation)
            m_moderation->banSender();
        else if (currentView() == m_users)
            m_users->banSelected();
        else if (currentView() == m_connections)
            m_connections->banSelected();
    });
    add(u"actionNextReport"_s, QKeySequence(Qt::CTRL | Qt::Key_N), [this] {
        showView(u"moderation"_s);
        m_moderation->nextReport();
    });
    add(u"actionDeleteMessage"_s, QKeySequence(Qt::Key_Delete), [this] {
        if (currentView() == m_moderation)
            m_moderation->deleteMessage();
    });
    add(u"actionDismiss"_s, QKeySequence(Qt::CTRL | Qt::Key_D), [this] {
        if (currentView() == m_moderation)
            m_moderation->closeReport(true);
    });
    add(u"actionResolve"_s, QKeySequence(Qt::CTRL | Qt::Key_R), [this] {
        if (currentView() == m_moderation)
            m_moderation->closeReport(false);
    });
    add(u"actionRetryDeadLetter"_s, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), [this] {
        if (currentView() == m_queues)
            m_queues->retrySelected();
    });
    add(u"actionDropDeadLetter"_s, QKeySequence(Qt::SHIFT | Qt::Key_Delete), [this] {
        if (currentView() == m_queues)
            m_queues->dropSelected();
    });
    add(u"actionLogout"_s, QKeySequence(), [this] { Q_EMIT logoutRequested(); });
    add(u"actionQuit"_s, QKeySequence::Quit, [this] { close(); });
    for (int i = 0; i < m_views.size(); ++i)
        add(u"actionView"_s + m_views[i]->key(), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)),
            [this, i] { m_tabs->setCurrentIndex(i); });

    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_actions[u"actionLogout"_s]);
    m_fileMenu->addAction(m_actions[u"actionQuit"_s]);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_actions[u"actionRefresh"_s]);
    m_viewMenu->addAction(m_actions[u"actionSearch"_s]);
    m_viewMenu->addSeparator();
    for (View *v : std::as_const(m_views))
        m_viewMenu->addAction(m_actions[u"actionView"_s + v->key()]);
    m_actionsMenu = menuBar()->addMenu(QString());
    for (const QString &n : {u"actionNextReport"_s, u"actionDeleteMessage"_s, u"actionBan"_s, u"actionDismiss"_s,
                             u"actionResolve"_s, u"actionKick"_s})
        m_actionsMenu->addAction(m_actions[n]);
    m_actionsMenu->addSeparator();
    m_actionsMenu->addAction(m_actions[u"actionRetryDeadLetter"_s]);
    m_actionsMenu->addAction(m_actions[u"actionDropDeadLetter"_s]);

    m_languageMenu = menuBar()->addMenu(QString());
    auto *group = new QActionGroup(this);
    for (const QString &code : Language::available()) {
        // Each language is named in itself, so that anyone finds their own.
        QAction *a = m_languageMenu->addAction(code == u"tr"_s ? u"Türkçe"_s : u"English"_s);
        a->setObjectName(u"language_"_s + code);
        a->setCheckable(true);
        a->setChecked(m_language->current() == code);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] {
            m_language->apply(code);
            QSettings().setValue(u"language"_s, code);
        });
    }
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Sanayicin console"));
    for (int i = 0; i < m_views.size(); ++i) {
        m_tabs->setTabText(i, m_views[i]->title());
        m_actions[u"actionView"_s + m_views[i]->key()]->setText(m_views[i]->title());
    }
    m_fileMenu->setTitle(tr("&File"));
    m_viewMenu->setTitle(tr("&View"));
    m_actionsMenu->setTitle(tr("&Actions"));
    m_languageMenu->setTitle(tr("&Language"));
    m_actions[u"actionRefresh"_s]->setText(tr("&Refresh"));
    m_actions[u"actionSearch"_s]->setText(tr("&Search"));
    m_actions[u"actionKick"_s]->setText(tr("&Close selected connections"));
    m_actions[u"actionBan"_s]->setText(tr("&Ban"));
    m_actions[u"actionNextReport"_s]->setText(tr("&Next report"));
    m_actions[u"actionDeleteMessage"_s]->setText(tr("&Delete reported message"));
    m_actions[u"actionDismiss"_s]->setText(tr("D&ismiss report"));
    m_actions[u"actionResolve"_s]->setText(tr("R&esolve report"));
    m_actions[u"actionRetryDeadLetter"_s]->setText(tr("Re&try dead letters"));
    m_actions[u"actionDropDeadLetter"_s]->setText(tr("Dro&p dead letters"));
    m_actions[u"actionLogout"_s]->setText(tr("Log &out"));
    m_actions[u"actionQuit"_s]->setText(tr("&Quit"));
    m_tabs->setAccessibleName(tr("Views"));
    showStatus();
}

void MainWindow::showStatus()
{
    m_sessionLabel->setText(m_ctx.session->statusText());
    m_streamLabel->setText(m_ctx.stream ? m_ctx.stream->statusText() : QString());
}

} // namespace sanayicin::console
