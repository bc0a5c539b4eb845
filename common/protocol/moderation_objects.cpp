#include "moderation_objects.h"

#include "json/json_writer.h"
#include "time/rfc3339.h"

namespace sanayicin {

QString Report::state() const
{
    if (!resolved())
        return QStringLiteral("open");
    return resolution.isEmpty() ? QStringLiteral("dismissed") : resolution;
}

void writeReport(JsonWriter &w, const Report &r)
{
    w.beginObject().field("id", r.id).field("reason", r.reason);
    w.key("created_at").utf8(formatRfc3339Ms(r.createdAtMs));
    w.field("resolved", r.resolved());
    w.key("message");
    writeMessage(w, r.message);
    w.key("reporter");
    writeUser(w, r.reporter);
    w.field("state", r.state());
    w.key("resolved_by");
    if (r.resolvedBy)
        writeUser(w, *r.resolvedBy);
    else
        w.null();
    w.key("resolved_at");
    if (r.resolved())
        w.utf8(formatRfc3339Ms(r.resolvedAtMs));
    else
        w.null();
    w.field("note", r.note);
    w.endObject();
}

void writeLogEntry(JsonWriter &w, const LogEntry &e)
{
    w.beginObject().field("id", e.id);
    w.key("at").utf8(formatRfc3339Ms(e.atMs));
    w.key("actor");
    writeUser(w, e.actor);
    w.field("action", e.action);
    if (e.targetUser) {
        w.key("target_user");
        writeUser(w, *e.targetUser);
    }
    if (e.targetMessageId)
        w.field("target_message", e.targetMessageId);
    if (e.reportId)
        w.field("report", e.reportId);
    if (!e.reason.isEmpty())
        w.field("reason", e.reason);
    w.endObject();
}

void writeAdminUser(JsonWriter &w, const AdminUser &u)
{
    w.beginObject().field("id", u.user.id).field("username", u.user.username);
    w.field("display_name", u.user.displayName);
    w.key("role").utf8(roleName(u.user.role));
    w.key("created_at").utf8(formatRfc3339Ms(u.user.createdAtMs));
    w.field("banned", u.bannedAtMs != 0);
    if (u.bannedAtMs) {
        w.key("banned_at").utf8(formatRfc3339Ms(u.bannedAtMs));
        w.field("ban_reason", u.banReason);
    }
    w.endObject();
}

QByteArray reportJson(const Report &report)
{
    QByteArray out;
    JsonWriter w(out);
    writeReport(w, report);
    return out;
}

QByteArray logEntryJson(const LogEntry &entry)
{
    QByteArray out;
    JsonWriter w(out);
    writeLogEntry(w, entry);
    return out;
}

} // namespace sanayicin
