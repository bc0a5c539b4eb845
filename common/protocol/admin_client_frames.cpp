#include "admin_client_frames.h"

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

std::optional<AdminStreamResume> checkAdminStreamResume(const std::optional<QString> &stream,
                                                        const std::optional<QString> &after,
                                                        QString &error)
{
    AdminStreamResume r;
    if (stream) {
        if (stream->size() > kAdminStreamIdMax) {
            error = QStringLiteral("stream must be at most %1 characters").arg(kAdminStreamIdMax);
            return std::nullopt;
        }
        r.stream = *stream;
    }
    if (after) {
        bool digits = !after->isEmpty();
        for (QChar c : *after)
            digits = digits && c >= u'0' && c <= u'9';
        // Leading zeros are still the same number; past them, 19 digits at most.
        QStringView significant(*after);
        while (significant.size() > 1 && significant.front() == u'0')
            significant = significant.sliced(1);
        bool ok = false;
        const qint64 v = digits && significant.size() <= 19 ? significant.toLongLong(&ok) : 0;
        if (!ok) {
            error = QStringLiteral("after must be an integer from 0 to 9223372036854775807");
            return std::nullopt;
        }
        r.after = v;
    }
    return r;
}

} // namespace sanayicin
