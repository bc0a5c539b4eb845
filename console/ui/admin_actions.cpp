#include "admin_actions.h"

#include "admin_client.h"
#include "confirm.h"

#include <QWidget>
#include <memory>

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
    m_client->post(u"/admin/reports/%1/resolve"_s.arg(reportId),
                   {{u"action"_s, dismiss ? u"dismissed"_s : u"actioned"_s}, {u"note"_s, note}}, this,
                   [text, done](const ApiResult &r) { done(r.ok(), r.ok() ? text : r.error.describe()); });
}

QString AdminActions::deadLetterError(const ApiError &error)
{
    switch (error.kind) {
    case ApiError::NotFound:
        return tr("The dead letter is gone already (retried or dropped elsewhere): the list is read again.");
    case ApiError::RateLimited:
        return tr("Your budget of admin actions is spent for now. Try again in %n second(s).", nullptr,
                  qMax(1, error.retryAfterSeconds));
    case ApiError::Unavailable:
        return tr("The job queue did not answer. Try again shortly.") + u' ' + error.describe();
    default:
        return error.describe();
    }
}

void AdminActions::retryDeadLetters(const QString &queue, const QStringList &ids, Done done)
{
    onDeadLetters(true, queue, ids, std::move(done));
}

void AdminActions::dropDeadLetters(const QString &queue, const QStringList &ids, Done done)
{
    if (ids.isEmpty())
        return;
    if (!confirmAction(m_parent, tr("Drop dead letters"),
                       tr("Drop %n dead letter(s) of the queue %1 for good? Their jobs will not run.", nullptr,
                          int(ids.size()))
                           .arg(queue),
                       tr("Drop")))
        return;
    onDeadLetters(false, queue, ids, std::move(done));
}

void AdminActions::onDeadLetters(bool retry, const QString &queue, const QStringList &ids, Done done)
{
    if (ids.isEmpty())
        return;
    // Every answer counted; the sentence once the last one is in.
    struct Tally
    {
        qsizetype left = 0;
        int succeeded = 0;
        QStringList errors;
    };
    auto tally = std::make_shared<Tally>();
    tally->left = ids.size();
    const QString base = u"/admin/queues/%1/dead/"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(queue)));
    const auto answered = [tally, retry, queue, done](const ApiResult &r) {
        if (r.ok())
            ++tally->succeeded;
        else if (const QString e = deadLetterError(r.error); !tally->errors.contains(e))
            tally->errors.append(e);
        if (--tally->left > 0)
            return;
        QStringList text;
        if (tally->succeeded > 0)
            text.append(retry ? tr("%n dead letter(s) of %1 went back to the queue.", nullptr, tally->succeeded)
                                    .arg(queue)
                              : tr("%n dead letter(s) of %1 dropped.", nullptr, tally->succeeded).arg(queue));
        text += tally->errors;
        done(tally->errors.isEmpty(), text.join(u' '));
    };
    for (const QString &id : ids) {
        const QString path = base + QString::fromLatin1(QUrl::toPercentEncoding(id));
        if (retry)
            m_client->post(path + u"/retry"_s, {}, this, answered);
        else
            m_client->del(path, this, answered);
    }
}

} // namespace sanayicin::console
