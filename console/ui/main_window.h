#pragma once

#include "view.h"

#include <QMainWindow>
#include <QTimer>

class QActionGroup;
class QLabel;
class QMenu;
class QTabWidget;

namespace sanayicin::console {

class ConnectionsView;
class Language;
class ListingView;
class ModerationView;
class OverviewView;
class QueuesView;
class UsersView;
struct StreamFrame;

// The console's window: one tab per view, the menus and shortcuts, the
// session's state in the status bar; layout and language kept in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(const ConsoleContext &context, Language *language, QWidget *parent = nullptr);
    ~MainWindow() override;

    QList<View *> views() const { return m_views; }
    View *view(const QString &key) const;
    void showView(const QString &key);
    OverviewView *overview() const { return m_overview; }
    ConnectionsView *connections() const { return m_connections; }
    QueuesView *queues() const { return m_queues; }
    ModerationView *moderation() const { return m_moderation; }
    UsersView *users() const { return m_users; }
    ListingView *log() const { return m_log; }
    // Refreshes the shown view now, and the overview (the charts) unless
    // the admin stream feeds it.
    void refreshNow();
    void setRefreshIntervalMs(int ms) { m_refresh.setInterval(ms); }
    // The admin stream is live: the views follow it and nothing polls.
    bool live() const;

Q_SIGNALS:
    void logoutRequested();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void retranslate();
    void showStatus();
    View *currentView() const;
    void followStream();
    void poll();
    void reloadListings();
    void afterTick(const StreamFrame &tick);
    void afterModeration(const QJsonObject &entry);

    ConsoleContext m_ctx;
    Language *m_language;
    QTabWidget *m_tabs;
    QList<View *> m_views;
    OverviewView *m_overview;
    ConnectionsView *m_connections;
    QueuesView *m_queues;
    ModerationView *m_moderation;
    UsersView *m_users;
    ListingView *m_log;
    QLabel *m_sessionLabel;
    QLabel *m_streamLabel;
    QTimer m_refresh;
    QTimer m_streamCountdown; // the seconds to the stream's next attempt
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_actionsMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QHash<QString, QAction *> m_actions;
};

} // namespace sanayicin::console
