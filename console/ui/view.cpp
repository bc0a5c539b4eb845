#include "view.h"

#include <QEvent>

namespace sanayicin::console {

void View::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void View::markData()
{
    m_hasData = true;
    m_lastError.clear();
    Q_EMIT dataArrived();
}

} // namespace sanayicin::console

namespace sanayicin::console {

void View::showError(const QString &text)
{
    m_lastError = text;
    Q_EMIT message(text);
}

namespace {

// Events held during one load: a second's worth of a busy cluster is far
// below it; past it the listing is simply loaded again.
constexpr qsizetype kMaxHeldEvents = 5000;

} // namespace

void View::reload()
{
    if (m_loading)
        m_reloadPending = true;
    else
        refresh();
}

bool View::beginLoad()
{
    if (m_loading)
        return false;
    m_loading = true;
    ++m_loads;
    return true;
}

void View::applyEvent(std::function<void()> apply)
{
    if (!m_loading) {
        apply();
        return;
    }
    if (m_held.size() >= kMaxHeldEvents) {
        m_held.clear();
        m_overflowed = true;
        return;
    }
    m_held.append(std::move(apply));
}

void View::endLoad()
{
    m_loading = false;
    const QList<std::function<void()>> held = std::exchange(m_held, {});
    const bool again = std::exchange(m_reloadPending, false) | std::exchange(m_overflowed, false);
    for (const auto &apply : held)
        apply();
    if (again)
        refresh();
}

} // namespace sanayicin::console
