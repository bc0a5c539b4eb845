#pragma once

#include "protocol/delivered_message.h"

#include <QList>
#include <QObject>
#include <QString>
#include <optional>

namespace sanayicin {

// What the delivery side needs of a network thread's connections. Every call
// is made on the host's own thread (the hub posts them there).
struct ConnectionSummary
{
    qint64 id = 0;
    qint64 userId = 0;
    QString username;
    QString address;
    qint64 openedAtMs = 0;
    qint64 pendingBytes = 0;
    bool authenticated = false;
    QByteArray tokenHash; // of the token it authenticated with
};

class ConnectionHost : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void deliverMessages(const MessageBatch &batch) = 0;
    // The frame goes to every connection of these users.
    virtual void deliverFrame(const QList<qint64> &users, const QByteArray &frame) = 0;
    virtual void closeUser(qint64 userId, int code, const QString &reason) = 0;
    virtual void closeToken(qint64 userId, const QByteArray &tokenHash, int code,
                            const QString &reason) = 0;
    virtual void closeAll(int code, const QString &reason) = 0;
    virtual QList<ConnectionSummary> summaries() const = 0;
    // Closes the connection with this id if it is here: its user id (0
    // before authentication), else nothing.
    virtual std::optional<qint64> closeConnection(qint64 id, int code, const QString &reason) = 0;
};

} // namespace sanayicin
