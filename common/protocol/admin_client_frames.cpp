#include "admin_client_frames.h"

#include <QUrlQuery>

namespace sanayicin {

AdminClientFrame parseAdminClientFrame(QByteArrayView utf8)
{
    if (utf8.size() > kAdminFrameMaxBytes)
        return FrameError{QStringLiteral("frame is larger than %1 bytes").arg(kAdminFrameMaxBytes),
                          {}, false};
    auto typed = parseFrameObject(utf8);
    if (auto *error = std::get_if<FrameError>(&typed))
        return std::move(*error);
    const auto &[object, type] = std::get<TypedFrameObject>(typed);
    if (type == u"ping")
        return parsePingFrame(object);
    if (type == u"auth") {
        auto auth = parseAuthFrame(object);
        if (auto *error = std::get_if<FrameError>(&auth))
            return std::move(*error);
        return std::get<AuthFrame>(std::move(auth));
    }
    // No ref: the admin stream's frames have no client_msg_id.
    return FrameError{QStringLiteral("unknown frame type for the admin stream"), {}, false};
}

std::optional<AdminStreamResume> parseAdminStreamQuery(QByteArrayView query, QString &error)
{
    // '+' is a space in form encoding; QUrlQuery keeps it as '+'.
    QByteArray form = query.toByteArray();
    form.replace('+', "%20");
    const QUrlQuery q(QString::fromLatin1(form));
    AdminStreamResume r;
    if (q.hasQueryItem(QStringLiteral("stream"))) {
        r.stream = q.queryItemValue(QStringLiteral("stream"), QUrl::FullyDecoded);
        if (r.stream.size() > kAdminStreamIdMax) {
            error = QStringLiteral("stream must be at most %1 characters").arg(kAdminStreamIdMax);
            return std::nullopt;
        }
    }
    if (q.hasQueryItem(QStringLiteral("after"))) {
        const QString after = q.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
        bool digits = !after.isEmpty() && after.size() <= 19;
        for (QChar c : after)
            digits = digits && c >= u'0' && c <= u'9';
        bool ok = false;
        const qint64 v = digits ? after.toLongLong(&ok) : 0;
        if (!ok) {
            error = QStringLiteral("after must be an integer from 0 to 9223372036854775807");
            return std::nullopt;
        }
        r.after = v;
    }
    return r;
}

} // namespace sanayicin
