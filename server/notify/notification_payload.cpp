#include "notification_payload.h"

#include "json/json_writer.h"
#include "time/rfc3339.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace sanayicin::notify {

qint64 NotificationContent::upToMessageId() const
{
    qint64 up = 0;
    for (const auto &u : unread)
        up = std::max(up, u.lastMessageId);
    return up;
}

QByteArray NotificationContent::toJson() const
{
    qint64 total = 0;
    for (const auto &u : unread)
        total += u.count;
    QByteArray out;
    JsonWriter w(out);
    w.beginObject()
        .field("event", QStringLiteral("unread_messages"))
        .field("deliveryId", deliveryId)
        .field("recipientId", recipientId)
        .field("unreadMessages", total)
        .field("conversationCount", qint64(unread.size()))
        .field("upToMessageId", upToMessageId())
        .key("createdAt")
        .utf8(formatRfc3339Ms(createdAtMs))
        .key("conversations")
        .beginArray();
    const qsizetype listed = std::min<qsizetype>(unread.size(), kListedConversations);
    for (qsizetype i = 0; i < listed; ++i) {
        const store::UnreadFromPeer &u = unread[i];
        w.beginObject()
            .field("conversationId", u.conversationId)
            .field("fromUserId", u.peerId)
            .field("fromDisplayName", u.peerDisplayName)
            .field("unreadMessages", u.count)
            .field("firstMessageId", u.firstMessageId)
            .field("lastMessageId", u.lastMessageId)
            .key("lastMessageAt")
            .utf8(formatRfc3339Ms(u.lastMessageAtMs));
        const auto preview = previews.constFind(u.conversationId);
        if (preview != previews.cend())
            w.field("preview", *preview);
        w.endObject();
    }
    w.endArray().endObject();
    return out;
}

QString previewOf(const QString &text, int chars)
{
    qsizetype at = 0;
    for (int n = 0; n < chars && at < text.size(); ++n)
        at += (text[at].isHighSurrogate() && at + 1 < text.size() && text[at + 1].isLowSurrogate()) ? 2 : 1;
    if (at >= text.size())
        return text;
    return text.left(at) + QChar(0x2026);
}

std::optional<qint64> recipientOfPayload(const QByteArray &payload)
{
    if (payload.size() > 256)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    const QJsonValue v = o.value(QStringLiteral("userId"));
    if (o.size() != 1 || !v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    constexpr double kMax = 9007199254740991.0; // 2^53 - 1
    if (!(d >= 1 && d <= kMax) || std::floor(d) != d)
        return std::nullopt;
    return qint64(d);
}

} // namespace sanayicin::notify
