#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace sanayicin {
class Db;
}

namespace sanayicin::chat {

// What moderators must see at once, told by the chat layer as it happens: a
// report filed or resolved, a moderation action. app/ implements it over the
// Redis bridge so that the admin streams of every instance hear it (without
// Redis, this instance's only). Thread-safe; called on any thread; never
// blocks (the event is queued and sent by the delivery thread).
class AdminEvents
{
public:
    virtual ~AdminEvents() = default;
    // type: "report_filed", "report_resolved", "moderation", ...; payload: the
    // object the admin stream carries under that type (docs/protocol.md).
    virtual void publish(const QByteArray &type, const QJsonObject &payload) = 0;
};

// Tells `events` (if any) of the moderation log entry `logId` as the stream's
// "moderation" frame carries it; on a database thread, after the commit.
void announceLogEntry(AdminEvents *events, Db &db, qint64 logId);

} // namespace sanayicin::chat
