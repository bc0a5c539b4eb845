#include "moderation_store.h"

#include "row_readers.h"
#include "text/text_rules.h"

#include <limits>

namespace sanayicin::store {

namespace {

const char *stateName(ReportState s)
{
    switch (s) {
    case ReportState::Open:
        return "open";
    case ReportState::Resolved:
        return "resolved";
    case ReportState::All:
        break;
    }
    return "all";
}

// The columns of report_list.sql.
Report readReport(const DbRows &rows, int r)
{
    Report rec;
    rec.id = rows.int64(r, 0);
    rec.reason = rows.text(r, 1);
    rec.createdAtMs = rows.int64(r, 2);
    rec.resolvedAtMs = rows.isNull(r, 3) ? 0 : rows.int64(r, 3);
    rec.message = readMessage(rows, r, 4);
    rec.reporter = readUser(rows, r, 12);
    rec.resolution = rows.isNull(r, 17) ? QString() : rows.text(r, 17);
    rec.note = rows.text(r, 18);
    if (!rows.isNull(r, 19))
        rec.resolvedBy = readUser(rows, r, 19);
    return rec;
}

// The columns of moderation_log_list.sql.
LogEntry readLog(const DbRows &rows, int r)
{
    LogEntry rec;
    rec.id = rows.int64(r, 0);
    rec.atMs = rows.int64(r, 1);
    rec.action = rows.text(r, 2);
    rec.targetMessageId = rows.isNull(r, 3) ? 0 : rows.int64(r, 3);
    rec.reportId = rows.isNull(r, 4) ? 0 : rows.int64(r, 4);
    rec.reason = rows.text(r, 5);
    rec.actor = readUser(rows, r, 6);
    if (!rows.isNull(r, 11))
        rec.targetUser = readUser(rows, r, 11);
    return rec;
}

// LIKE pattern for a folded substring: % and _ are literal.
QString containsPattern(const QString &folded)
{
    if (folded.isEmpty())
        return {};
    QString escaped = folded;
    escaped.replace(u'\\', QStringLiteral("\\\\"));
    escaped.replace(u'%', QStringLiteral("\\%"));
    escaped.replace(u'_', QStringLiteral("\\_"));
    return u'%' + escaped + u'%';
}


} // namespace

QString userSearchKey(const QString &username, const QString &displayName)
{
    return foldForSearch(username) + u' ' + foldForSearch(displayName);
}

qint64 fillUserSearchKeys(Db &db)
{
    constexpr qint64 kBatch = 500;
    qint64 filled = 0;
    for (;;) {
        const DbRows rows = db.query(QStringLiteral("users_without_search_key"), {kBatch});
        for (int r = 0; r < rows.size(); ++r)
            db.query(QStringLiteral("user_set_search_key"),
                     {rows.int64(r, 0), userSearchKey(rows.text(r, 1), rows.text(r, 2))});
        filled += rows.size();
        if (rows.size() < kBatch)
            return filled;
    }
}

QList<Report> reports(Db &db, ReportState state, qint64 limit, qint64 offset)
{
    const DbRows rows = db.query(QStringLiteral("report_list"),
                                 {limit, offset, QString::fromLatin1(stateName(state)), 0});
    QList<Report> out;
    for (int r = 0; r < rows.size(); ++r)
        out << readReport(rows, r);
    return out;
}

qint64 reportCount(Db &db, ReportState state)
{
    return db.query(QStringLiteral("report_count"), {QString::fromLatin1(stateName(state))})
        .int64(0, 0);
}

std::optional<Report> reportById(Db &db, qint64 id)
{
    const DbRows rows = db.query(QStringLiteral("report_list"), {1, 0, QStringLiteral("all"), id});
    if (rows.isEmpty())
        return std::nullopt;
    return readReport(rows, 0);
}

bool resolveReport(Db &db, qint64 id, qint64 actorId, const QString &resolution,
                   const QString &note, qint64 nowMs)
{
    return db.query(QStringLiteral("report_resolve"), {id, nowMs, actorId, resolution, note})
               .affected()
           > 0;
}

QList<Message> messagesAround(Db &db, qint64 conversationId, qint64 messageId, qint64 before,
                              qint64 after)
{
    // The message itself and `before` older ones (newest first), then the
    // newer ones (oldest first).
    const DbRows older =
        db.query(QStringLiteral("messages_up_to"), {conversationId, messageId, before + 1});
    QList<Message> out;
    for (int r = older.size() - 1; r >= 0; --r)
        out << readMessage(older, r, 0);
    if (after > 0) {
        const DbRows newer = db.query(QStringLiteral("messages_after"),
                                      {conversationId, messageId,
                                       std::numeric_limits<qint64>::max(), after});
        for (int r = 0; r < newer.size(); ++r)
            out << readMessage(newer, r, 0);
    }
    return out;
}

QList<AdminUser> searchUsers(Db &db, const UserFilter &f)
{
    const DbRows rows = db.query(QStringLiteral("admin_user_search"),
                                 {containsPattern(f.text), f.role, f.banned, f.limit, f.offset});
    QList<AdminUser> out;
    for (int r = 0; r < rows.size(); ++r)
        out << AdminUser{readUser(rows, r, 0), rows.isNull(r, 5) ? 0 : rows.int64(r, 5),
                               rows.isNull(r, 6) ? QString() : rows.text(r, 6)};
    return out;
}

qint64 countUsers(Db &db, const UserFilter &f)
{
    return db.query(QStringLiteral("admin_user_count"), {containsPattern(f.text), f.role, f.banned}).int64(0, 0);
}

QList<LogEntry> moderationLog(Db &db, const LogFilter &f)
{
    const DbRows rows = db.query(QStringLiteral("moderation_log_list"),
                                 {f.actorId, f.targetId, f.action, f.limit, f.offset, 0});
    QList<LogEntry> out;
    for (int r = 0; r < rows.size(); ++r)
        out << readLog(rows, r);
    return out;
}

qint64 moderationLogCount(Db &db, const LogFilter &f)
{
    return db.query(QStringLiteral("moderation_log_count"), {f.actorId, f.targetId, f.action}).int64(0, 0);
}

std::optional<LogEntry> logEntry(Db &db, qint64 id)
{
    const DbRows rows = db.query(QStringLiteral("moderation_log_list"),
                                 {0, 0, QString(), 1, 0, id});
    if (rows.isEmpty())
        return std::nullopt;
    return readLog(rows, 0);
}

} // namespace sanayicin::store
