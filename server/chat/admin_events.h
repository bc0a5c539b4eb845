#pragma once

#include <QByteArray>
#include <QJsonObject>

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

} // namespace sanayicin::chat
