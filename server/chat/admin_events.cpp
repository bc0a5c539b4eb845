#include "admin_events.h"

#include "protocol/moderation_objects.h"
#include "storage/moderation_store.h"

#include <QJsonDocument>

namespace sanayicin::chat {

void announceLogEntry(AdminEvents *events, Db &db, qint64 logId)
{
    if (!events || !logId)
        return;
    if (const auto entry = store::logEntry(db, logId))
        events->publish("moderation", QJsonDocument::fromJson(logEntryJson(*entry)).object());
}

} // namespace sanayicin::chat
