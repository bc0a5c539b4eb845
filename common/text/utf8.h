#pragma once

#include <QByteArrayView>

namespace sanayicin {

// True when `data` is well-formed UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF), as RFC 6455 requires of text frames.
bool isValidUtf8(QByteArrayView data);

} // namespace sanayicin
