#pragma once

#include "client_frames.h"

#include <QByteArrayView>
#include <QString>
#include <optional>
#include <variant>

namespace sanayicin {

// What a client may send on the admin stream (GET /ws/admin,
// docs/protocol.md "Admin stream"): `auth` and `ping`, nothing else. Pure:
// no I/O, fuzzed as `admin_frames`.
inline constexpr qsizetype kAdminFrameMaxBytes = 4096; // a message beyond closes with 1009

using AdminClientFrame = std::variant<FrameError, AuthFrame, PingFrame>;

// Anything but a strict JSON object with a known "type" and well-typed
// fields is a FrameError (bad_request), as is a text over
// kAdminFrameMaxBytes (the transports close before one arrives; a parser
// that is handed one anyway does not read it).
AdminClientFrame parseAdminClientFrame(QByteArrayView utf8);

// The upgrade request's resume values: `?stream=<id>&after=<seq>`, both
// optional. The HTTP layer decodes the query (http/admin_stream_query.h,
// strict form decoding: a broken escape, bytes that are not UTF-8 or U+0000
// are a 400 there, as on every endpoint) and hands over the first value of
// each, nullopt when absent.
inline constexpr qsizetype kAdminStreamIdMax = 128; // characters
struct AdminStreamResume
{
    QString stream;
    std::optional<qint64> after; // 0 to 2^63 - 1
    bool operator==(const AdminStreamResume &) const = default;
};
// nullopt, with `error` for a person, for a stream id over
// kAdminStreamIdMax characters or an `after` that is not a decimal integer
// from 0 to 2^63 - 1 (digits only: no sign, no spaces).
std::optional<AdminStreamResume> checkAdminStreamResume(const std::optional<QString> &stream,
                                                        const std::optional<QString> &after,
                                                        QString &error);

} // namespace sanayicin
