#include "tables.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

namespace {

RowModel::KeyOf byField(const QString &field)
{
    return [field](const QJsonObject &o) {
        const QJsonValue v = o.value(field);
        return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
    };
}

QString instanceKey(const QString &instance, const QString &own)
{
    return own.isEmpty() ? QString() : instance + u'/' + own;
}

// Rows that repeat across instances (connection ids, queue names) are told
// apart by their instance.
RowModel::KeyOf byInstanceAnd(const QString &field)
{
    return [field](const QJsonObject &o) {
        const QJsonValue v = o.value(field);
        return instanceKey(o.value(u"instance"_s).toString(),
                           v.isDouble() ? QString::number(v.toInteger()) : v.toString());
    };
}

// The protocol's words a table may show, for lupdate: roles, states of
// instances and reports, the moderation log's actions.
[[maybe_unused]] const char *const kTerms[] = {
    QT_TRANSLATE_NOOP("Terms", "customer"),       QT_TRANSLATE_NOOP("Terms", "tradesman"),
    QT_TRANSLATE_NOOP("Terms", "admin"),          QT_TRANSLATE_NOOP("Terms", "ok"),
    QT_TRANSLATE_NOOP("Terms", "down"),           QT_TRANSLATE_NOOP("Terms", "timeout"),
    QT_TRANSLATE_NOOP("Terms", "draining"),       QT_TRANSLATE_NOOP("Terms", "open"),
    QT_TRANSLATE_NOOP("Terms", "stale"),          QT_TRANSLATE_NOOP("Terms", "database_down"),
    QT_TRANSLATE_NOOP("Terms", "redis_down"),
    QT_TRANSLATE_NOOP("Terms", "dismissed"),      QT_TRANSLATE_NOOP("Terms", "actioned"),
    QT_TRANSLATE_NOOP("Terms", "resolved"),       QT_TRANSLATE_NOOP("Terms", "ban"),
    QT_TRANSLATE_NOOP("Terms", "unban"),          QT_TRANSLATE_NOOP("Terms", "kick"),
    QT_TRANSLATE_NOOP("Terms", "kick_connection"), QT_TRANSLATE_NOOP("Terms", "delete_message"),
    QT_TRANSLATE_NOOP("Terms", "dismiss_report"), QT_TRANSLATE_NOOP("Terms", "resolve_report"),
    QT_TRANSLATE_NOOP("Terms", "read_context"), QT_TRANSLATE_NOOP("Terms", "writer"),
    QT_TRANSLATE_NOOP("Terms", "retry_job"),    QT_TRANSLATE_NOOP("Terms", "drop_job"),
    QT_TRANSLATE_NOOP("Terms", "db_readers"),
    // The job queues and their backends.
    QT_TRANSLATE_NOOP("Terms", "maintenance"),    QT_TRANSLATE_NOOP("Terms", "notify"),
    QT_TRANSLATE_NOOP("Terms", "redis"),          QT_TRANSLATE_NOOP("Terms", "embedded"),
    // The charts' series.
    QT_TRANSLATE_NOOP("Terms", "cluster"),        QT_TRANSLATE_NOOP("Terms", "in"),
    QT_TRANSLATE_NOOP("Terms", "out"),            QT_TRANSLATE_NOOP("Terms", "stored"),
};

} // namespace

RowModel *makeInstancesModel(QObject *parent)
{
    return new RowModel({{u"id"_s, QT_TRANSLATE_NOOP("Columns", "Instance")},
                         {u"state"_s, QT_TRANSLATE_NOOP("Columns", "State"), Column::Term},
                         {u"connections"_s, QT_TRANSLATE_NOOP("Columns", "Connections"), Column::Number},
                         {u"online_users"_s, QT_TRANSLATE_NOOP("Columns", "Online users"), Column::Number},
                         {u"writer_backlog"_s, QT_TRANSLATE_NOOP("Columns", "Writer backlog"), Column::Number},
                         {u"draining"_s, QT_TRANSLATE_NOOP("Columns", "Draining"), Column::Flag},
                         {u"version"_s, QT_TRANSLATE_NOOP("Columns", "Version")},
                         {u"listen"_s, QT_TRANSLATE_NOOP("Columns", "Address")},
                         {u"started_at"_s, QT_TRANSLATE_NOOP("Columns", "Started"), Column::Time}},
                        byField(u"id"_s), parent);
}

RowModel *makeConnectionsModel(QObject *parent)
{
    return new RowModel({{u"instance"_s, QT_TRANSLATE_NOOP("Columns", "Instance")},
                         {u"id"_s, QT_TRANSLATE_NOOP("Columns", "Connection"), Column::Number},
                         {u"user_id"_s, QT_TRANSLATE_NOOP("Columns", "User id"), Column::Number},
                         {u"username"_s, QT_TRANSLATE_NOOP("Columns", "Username")},
                         {u"address"_s, QT_TRANSLATE_NOOP("Columns", "Address")},
                         {u"opened_at"_s, QT_TRANSLATE_NOOP("Columns", "Opened"), Column::Time},
                         {u"authenticated"_s, QT_TRANSLATE_NOOP("Columns", "Authenticated"), Column::Flag},
                         {u"unsent_bytes"_s, QT_TRANSLATE_NOOP("Columns", "Unsent bytes"), Column::Number}},
                        byInstanceAnd(u"id"_s), parent);
}

QString connectionKey(const QString &instance, qint64 id)
{
    return instanceKey(instance, QString::number(id));
}

RowModel *makeQueuesModel(QObject *parent)
{
    return new RowModel({{u"instance"_s, QT_TRANSLATE_NOOP("Columns", "Instance")},
                         {u"name"_s, QT_TRANSLATE_NOOP("Columns", "Queue"), Column::Term},
                         {u"depth"_s, QT_TRANSLATE_NOOP("Columns", "Depth"), Column::Number},
                         {u"oldest_age_ms"_s, QT_TRANSLATE_NOOP("Columns", "Oldest (ms)"), Column::Number},
                         {u"holds"_s, QT_TRANSLATE_NOOP("Columns", "Holds")}},
                        byInstanceAnd(u"name"_s), parent);
}

RowModel *makeJobQueuesModel(QObject *parent)
{
    // The same queues for every instance: known by name alone.
    return new RowModel({{u"name"_s, QT_TRANSLATE_NOOP("Columns", "Job queue"), Column::Term},
                         {u"waiting"_s, QT_TRANSLATE_NOOP("Columns", "Waiting"), Column::Number},
                         {u"pending"_s, QT_TRANSLATE_NOOP("Columns", "Held by a worker"), Column::Number},
                         {u"oldest_age_ms"_s, QT_TRANSLATE_NOOP("Columns", "Oldest (ms)"), Column::Number},
                         {u"dead_letters"_s, QT_TRANSLATE_NOOP("Columns", "Dead letters"), Column::Number},
                         {u"done"_s, QT_TRANSLATE_NOOP("Columns", "Done"), Column::Number},
                         {u"retried"_s, QT_TRANSLATE_NOOP("Columns", "Retried"), Column::Number},
                         {u"dead"_s, QT_TRANSLATE_NOOP("Columns", "Died"), Column::Number}},
                        byField(u"name"_s), parent);
}

RowModel *makeDeadLettersModel(QObject *parent)
{
    // The error last: the longest, it takes the rest of the width.
    return new RowModel({{u"type"_s, QT_TRANSLATE_NOOP("Columns", "Job type")},
                         {u"attempts"_s, QT_TRANSLATE_NOOP("Columns", "Attempts"), Column::Number},
                         {u"died_at"_s, QT_TRANSLATE_NOOP("Columns", "Died at"), Column::Time},
                         {u"id"_s, QT_TRANSLATE_NOOP("Columns", "Dead letter")},
                         {u"job_id"_s, QT_TRANSLATE_NOOP("Columns", "Job")},
                         {u"error"_s, QT_TRANSLATE_NOOP("Columns", "Error")}},
                        byField(u"id"_s), parent);
}

RowModel *makeReportsModel(QObject *parent)
{
    return new RowModel({{u"id"_s, QT_TRANSLATE_NOOP("Columns", "Report"), Column::Number},
                         {u"created_at"_s, QT_TRANSLATE_NOOP("Columns", "Filed"), Column::Time},
                         {u"state"_s, QT_TRANSLATE_NOOP("Columns", "State"), Column::Term},
                         {u"reporter.username"_s, QT_TRANSLATE_NOOP("Columns", "Reporter")},
                         {u"message.sender_id"_s, QT_TRANSLATE_NOOP("Columns", "Sender id"), Column::Number},
                         {u"reason"_s, QT_TRANSLATE_NOOP("Columns", "Reason")},
                         {u"message.body"_s, QT_TRANSLATE_NOOP("Columns", "Message")}},
                        byField(u"id"_s), parent);
}

RowModel *makeUsersModel(QObject *parent)
{
    return new RowModel({{u"id"_s, QT_TRANSLATE_NOOP("Columns", "User id"), Column::Number},
                         {u"username"_s, QT_TRANSLATE_NOOP("Columns", "Username")},
                         {u"display_name"_s, QT_TRANSLATE_NOOP("Columns", "Display name")},
                         {u"role"_s, QT_TRANSLATE_NOOP("Columns", "Role"), Column::Term},
                         {u"banned"_s, QT_TRANSLATE_NOOP("Columns", "Banned"), Column::Flag},
                         {u"ban_reason"_s, QT_TRANSLATE_NOOP("Columns", "Ban reason")},
                         {u"created_at"_s, QT_TRANSLATE_NOOP("Columns", "Registered"), Column::Time}},
                        byField(u"id"_s), parent);
}

RowModel *makeLogModel(QObject *parent)
{
    return new RowModel({{u"id"_s, QT_TRANSLATE_NOOP("Columns", "Entry"), Column::Number},
                         {u"at"_s, QT_TRANSLATE_NOOP("Columns", "Time"), Column::Time},
                         {u"actor.username"_s, QT_TRANSLATE_NOOP("Columns", "Moderator")},
                         {u"action"_s, QT_TRANSLATE_NOOP("Columns", "Action"), Column::Term},
                         {u"target_user.username"_s, QT_TRANSLATE_NOOP("Columns", "User")},
                         {u"target_message"_s, QT_TRANSLATE_NOOP("Columns", "Message id"), Column::Number},
                         {u"report"_s, QT_TRANSLATE_NOOP("Columns", "Report"), Column::Number},
                         {u"reason"_s, QT_TRANSLATE_NOOP("Columns", "Reason")}},
                        byField(u"id"_s), parent);
}

RowModel *makeContextModel(QObject *parent)
{
    return new RowModel({{u"seq"_s, QT_TRANSLATE_NOOP("Columns", "No."), Column::Number},
                         {u"created_at"_s, QT_TRANSLATE_NOOP("Columns", "Time"), Column::Time},
                         {u"sender_id"_s, QT_TRANSLATE_NOOP("Columns", "Sender id"), Column::Number},
                         {u"body"_s, QT_TRANSLATE_NOOP("Columns", "Message")},
                         {u"deleted"_s, QT_TRANSLATE_NOOP("Columns", "Deleted"), Column::Flag}},
                        byField(u"id"_s), parent);
}

} // namespace sanayicin::console
