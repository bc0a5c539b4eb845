#pragma once

#include "protocol/admin_client_frames.h"

#include <QByteArrayView>
#include <QString>
#include <optional>

namespace sanayicin {

// The query of GET /ws/admin as the request line has it (form encoding:
// '+' a space, %XX a byte). Decoded like every other endpoint's query
// (QueryString: nullopt for a broken escape, text that is not UTF-8, or
// U+0000), then the first `stream` and `after` checked by
// checkAdminStreamResume; other names are ignored. nullopt comes with
// `error` for the 400.
std::optional<AdminStreamResume> parseAdminStreamQuery(QByteArrayView encoded, QString &error);

} // namespace sanayicin
