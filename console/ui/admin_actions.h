#pragma once

#include <QObject>
#include <QString>
#include <functional>

class QWidget;

namespace sanayicin::console {

class AdminClient;
struct ApiError;

// The moderators' actions, each asked for confirmation first and reported
// back in one sentence (success or the error), shared by every view that
// offers them.
class AdminActions : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(bool ok, const QString &message)>;

    AdminActions(AdminClient *client, QWidget *parent);

    void banUser(qint64 userId, const QString &name, Done done);
    void unbanUser(qint64 userId, const QString &name, Done done);
    void kickUser(qint64 userId, const QString &name, Done done);
    void kickConnection(const QString &instance, qint64 connectionId, const QString &name, Done done);
    void deleteMessage(qint64 messageId, Done done);
    // "dismiss" (nothing wrong) or "resolve" (acted on).
    void closeReport(qint64 reportId, bool dismiss, Done done);
    // A job queue's dead letters: sent back to their queue (not destructive:
    // no question), or dropped for good (asked first). `done` is called once,
    // after every request has answered; `ok` only when each succeeded.
    void retryDeadLetters(const QString &queue, const QStringList &ids, Done done);
    void dropDeadLetters(const QString &queue, const QStringList &ids, Done done);
    // What a failed retry or drop means for the person (404: already gone,
    // 429: the admin budget, 503: the queue did not answer).
    static QString deadLetterError(const ApiError &error);

private:
    void finish(const QString &what, Done done);
    void onDeadLetters(bool retry, const QString &queue, const QStringList &ids, Done done);

    AdminClient *m_client;
    QWidget *m_parent;
};

} // namespace sanayicin::console
