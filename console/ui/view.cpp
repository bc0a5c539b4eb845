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
    Q_EMIT dataArrived();
}

} // namespace sanayicin::console
