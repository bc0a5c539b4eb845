#pragma once

#include <QWidget>
#include <functional>

namespace sanayicin::console {

class AdminClient;
class AdminStream;
class Session;
class SeriesStore;

// What every view is given.
struct ConsoleContext
{
    AdminClient *client = nullptr;
    Session *session = nullptr;
    SeriesStore *series = nullptr;
    AdminStream *stream = nullptr; // may be null: the views then only poll
};

// One tab of the main window. It asks for its data when refresh() is called
// (on showing, on F5, on the refresh timer while the admin stream is not
// live, and when the stream says to reload), never blocking, follows the
// stream's events in between, and retranslates itself on
// QEvent::LanguageChange.
class View : public QWidget
{
    Q_OBJECT
public:
    View(const ConsoleContext &context, QWidget *parent) : QWidget(parent), m_ctx(context) {}

    virtual QString title() const = 0;
    // The name for settings and screenshots ("connections", ...).
    virtual QString key() const = 0;
    virtual void refresh() = 0;
    // refresh(), also when a load is under way: its answer may predate what
    // the stream could not tell (a reset, a stream that could not resume).
    void reload();
    // Listings loaded so far (tests tell a reload from the stream's events).
    int loadCount() const { return m_loads; }
    // True once the first answer has been shown (the capture waits for it).
    bool hasData() const { return m_hasData; }
    // The last request's error, empty once an answer came (the capture
    // stops at it instead of waiting).
    QString lastError() const { return m_lastError; }
    // The search field of the view, for Ctrl+F (null where there is none).
    virtual QWidget *searchField() { return nullptr; }

Q_SIGNALS:
    void dataArrived();
    // A sentence for the status bar (an action's result or error).
    void message(const QString &text);

protected:
    void changeEvent(QEvent *event) override;
    virtual void retranslate() = 0;
    void markData();
    void showError(const QString &text);

    // A listing's load: false when one is under way already. Stream events
    // that arrive meanwhile wait, and endLoad() applies them after the
    // answer in their order, so that an older snapshot never undoes them.
    bool beginLoad();
    void endLoad();
    bool loading() const { return m_loading; }
    void applyEvent(std::function<void()> apply);

    ConsoleContext m_ctx;

private:
    bool m_hasData = false;
    QString m_lastError;
    bool m_loading = false;
    int m_loads = 0;
    bool m_reloadPending = false;
    bool m_overflowed = false;
    QList<std::function<void()>> m_held;
};

} // namespace sanayicin::console
