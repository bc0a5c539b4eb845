#include "capture.h"

#include "main_window.h"
#include "views/chart_panel.h"
#include "views/overview_view.h"
#include "views/queues_view.h"

#include <QDateTime>
#include <QDir>
#include <QPixmap>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

Capture::Capture(MainWindow *window, const QString &dir, const QString &language, QObject *parent)
    : QObject(parent), m_window(window), m_dir(dir), m_language(language)
{
}

void Capture::start()
{
    if (!QDir().mkpath(m_dir)) {
        Q_EMIT finished(false, tr("cannot create the folder %1").arg(m_dir));
        return;
    }
    next();
}

void Capture::next()
{
    ++m_index;
    const QList<View *> views = m_window->views();
    if (m_index >= views.size()) {
        Q_EMIT finished(true, {});
        return;
    }
    m_window->showView(views[m_index]->key());
    m_window->refreshNow();
    m_deadline = QDateTime::currentMSecsSinceEpoch() + m_timeoutMs;
    poll();
}

bool Capture::ready() const
{
    View *v = m_window->views().at(m_index);
    if (!v->hasData())
        return false;
    // The charts need two points of the same series to draw a line.
    if (v == m_window->overview())
        return m_window->overview()->connectionsChart()->pointCount() >= 2
               && m_window->overview()->messagesChart()->pointCount() >= 1;
    // The dead letters of the job queue selected by itself, shown too.
    if (v == m_window->queues())
        return !m_window->queues()->deadLettersLoading();
    return true;
}

void Capture::poll()
{
    if (!ready()) {
        const QString error = m_window->views().at(m_index)->lastError();
        if (!error.isEmpty() && !m_window->views().at(m_index)->hasData()) {
            Q_EMIT finished(false, tr("the %1 view: %2").arg(m_window->views().at(m_index)->key(), error));
            return;
        }
        if (QDateTime::currentMSecsSinceEpoch() > m_deadline) {
            Q_EMIT finished(false, tr("the %1 view got no data in time").arg(m_window->views().at(m_index)->key()));
            return;
        }
        // The overview's next point comes with the next refresh.
        if (m_window->views().at(m_index) == m_window->overview())
            m_window->refreshNow();
        QTimer::singleShot(250, this, &Capture::poll);
        return;
    }
    // One more turn of the event loop lays out what just arrived.
    QTimer::singleShot(100, this, [this] {
        View *v = m_window->views().at(m_index);
        const QString path = QDir(m_dir).filePath(u"%1-%2.png"_s.arg(v->key(), m_language));
        if (!m_window->grab().save(path)) {
            Q_EMIT finished(false, tr("cannot write %1").arg(path));
            return;
        }
        m_saved.append(path);
        next();
    });
}

} // namespace sanayicin::console
