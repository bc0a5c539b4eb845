#pragma once

#include <QObject>
#include <QString>
#include <functional>

class QWidget;

namespace sanayicin::console {

class AdminClient;

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

private:
    void finish(const QString &what, Done done);

    AdminClient *m_client;
    QWidget *m_parent;
};

} // namespace sanayicin::console
