#include "admin_actions.h"

#include "admin_client.h"
#include "confirm.h"

#include <QWidget>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

AdminActions::AdminActions(AdminClient *client, QWidget *parent)
    : QObject(parent), m_client(client), m_parent(parent)
{
}

namespace {

QString who(qint64 id, const QString &name)
{
    return name.isEmpty() ? QStringLiteral("#%1").arg(id) : QStringLiteral("%1 (#%2)").arg(name).arg(id);
}

} // namespace

void AdminActions::banUser(qint64 userId, const QString &name, Done done)
{
    QString reason;
    if (!askReason(m_parent, tr("Ban %1").arg(who(userId, name)),
                   tr("Reason for the ban (shown in the moderation log):"), reason))
        return;
    if (!confirmAction(m_parent, tr("Ban user"),
                       tr("Ban %1? Their sessions end at once on every instance and they cannot log in.")
                           .arg(who(userId, name)),
                       tr("Ban")))
        return;
    QJsonObject body;
    if (!reason.isEmpty())
        body.insert(u"reason"_s, reason);
    const QString text = tr("%1 is banned.").arg(who(userId, name));
    m_client->post(u"/admin/users/%1/ban"_s.arg(userId), body, this,
                   [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

void AdminActions::unbanUser(qint64 userId, const QString &name, Done done)
{
    if (!confirmAction(m_parent, tr("Unban user"), tr("Lift the ban on %1?").arg(who(userId, name)), tr("Unban")))
        return;
    const QString text = tr("The ban on %1 is lifted.").arg(who(userId, name));
    m_client->post(u"/admin/users/%1/unban"_s.arg(userId), {}, this,
                   [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

void AdminActions::kickUser(qint64 userId, const QString &name, Done done)
{
    if (!confirmAction(m_parent, tr("Kick user"),
                       tr("Close every connection of %1 on every instance? They may connect again.")
                           .arg(who(userId, name)),
                       tr("Kick")))
        return;
    const QString text = tr("%1 is disconnected.").arg(who(userId, name));
    m_client->post(u"/admin/users/%1/kick"_s.arg(userId), {}, this,
                   [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

void AdminActions::kickConnection(const QString &instance, qint64 connectionId, const QString &name, Done done)
{
    if (!confirmAction(m_parent, tr("Close connection"),
                       tr("Close connection %1 of %2 on %3?").arg(connectionId).arg(name, instance),
                       tr("Close connection")))
        return;
    const QString text = tr("Connection %1 on %2 is closed.").arg(connectionId).arg(instance);
    m_client->del(u"/admin/connections/%1/%2"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(instance))).arg(connectionId),
                  this, [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

void AdminActions::deleteMessage(qint64 messageId, Done done)
{
    if (!confirmAction(m_parent, tr("Delete message"),
                       tr("Delete message #%1 for everyone? This cannot be undone.").arg(messageId),
                       tr("Delete")))
        return;
    const QString text = tr("Message #%1 is deleted.").arg(messageId);
    m_client->del(u"/admin/messages/%1"_s.arg(messageId), this,
                  [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

void AdminActions::closeReport(qint64 reportId, bool dismiss, Done done)
{
    QString note;
    if (!askReason(m_parent, dismiss ? tr("Dismiss report #%1").arg(reportId) : tr("Resolve report #%1").arg(reportId),
                   tr("Note (optional):"), note))
        return;
    const QString text = dismiss ? tr("Report #%1 is dismissed.").arg(reportId)
                                 : tr("Report #%1 is resolved.").arg(reportId);
    m_client->post(u"/admin/reports/%1/%2"_s.arg(reportId).arg(dismiss ? u"dismiss"_s : u"resolve"_s),
                   {{u"note"_s, note}}, this,
                   [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

} // namespace sanayicin::console
