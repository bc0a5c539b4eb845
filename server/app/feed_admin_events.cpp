#include "feed_admin_events.h"

#include "delivery/admin_feed.h"

#include <QJsonDocument>

namespace sanayicin {

void FeedAdminEvents::publish(const QByteArray &type, const QJsonObject &payload)
{
    m_feed.publishEvent(QString::fromLatin1(type),
                        QJsonDocument(payload).toJson(QJsonDocument::Compact));
}

} // namespace sanayicin
