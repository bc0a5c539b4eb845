#pragma once

#include "storage/notification_store.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace sanayicin::notify {

// The body of one webhook POST (docs/operations.md lists its fields): ids,
// counts and who wrote; the newest message's text per conversation only as
// `previews` holds it (the preview setting). At most kListedConversations
// are listed, newest first; the totals count all of `unread`.
struct NotificationContent
{
    static constexpr int kListedConversations = 50;

    QString deliveryId; // the job's id
    qint64 recipientId = 0;
    qint64 createdAtMs = 0;
    QList<store::UnreadFromPeer> unread; // newest first, never empty
    QHash<qint64, QString> previews;     // conversation id -> text, already cut

    qint64 upToMessageId() const;
    QByteArray toJson() const;
};

// The first `chars` characters (code points: a pair of surrogates is never
// split) of `text`, with "…" when something was cut.
QString previewOf(const QString &text, int chars);

// The job's payload, {"userId":N} (N from 1 to 2^53 - 1) and nothing else;
// nullopt for anything else: the queue's bytes are not trusted.
std::optional<qint64> recipientOfPayload(const QByteArray &payload);

} // namespace sanayicin::notify
