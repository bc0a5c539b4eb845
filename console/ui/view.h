#pragma once

#include <QWidget>

namespace sanayicin::console {

class AdminClient;
class Session;
class SeriesStore;

// What every view is given.
struct ConsoleContext
{
    AdminClient *client = nullptr;
    Session *session = nullptr;
    SeriesStore *series = nullptr;
};

// One tab of the main window. It asks for its data when refresh() is called
// (on showing, on F5 and on the refresh timer), never blocking, and
// retranslates itself on QEvent::LanguageChange.
class View : public QWidget
{
    Q_OBJECT
public:
    View(const ConsoleContext &context, QWidget *parent) : QWidget(parent), m_ctx(context) {}

    virtual QString title() const = 0;
    // The name for settings and screenshots ("connections", ...).
    virtual QString key() const = 0;
    virtual void refresh() = 0;
    // True once the first answer has been shown (the capture waits for it).
    bool hasData() const { return m_hasData; }
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

    ConsoleContext m_ctx;

private:
    bool m_hasData = false;
};

} // namespace sanayicin::console
