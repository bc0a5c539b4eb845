#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace sanayicin::console {

class MainWindow;

// `--capture DIR`: shows every view in turn, waits until its data has
// arrived (and for the overview, until its charts have points), saves
// DIR/<view>-<language>.png with QWidget::grab, and says when it is done.
class Capture : public QObject
{
    Q_OBJECT
public:
    Capture(MainWindow *window, const QString &dir, const QString &language, QObject *parent = nullptr);

    void start();
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    QStringList saved() const { return m_saved; }

Q_SIGNALS:
    void finished(bool ok, const QString &error);

private:
    void next();
    void poll();
    bool ready() const;

    MainWindow *m_window;
    QString m_dir;
    QString m_language;
    int m_index = -1;
    qint64 m_deadline = 0;
    int m_timeoutMs = 30000;
    QStringList m_saved;
};

} // namespace sanayicin::console
