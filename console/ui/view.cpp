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

} // namespace sanayicin::console
