#include "utf8.h"

#include <cstring>

namespace sanayicin {

bool isValidUtf8(QByteArrayView data)
{
    Utf8Validator v;
    return v.feed(data) && v.atBoundary();
}

bool Utf8Validator::feed(QByteArrayView data)
{
    if (m_failed)
        return false;
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    const auto *end = p + data.size();
    while (p < end) {
        if (m_need > 0) {
            const unsigned char c = *p;
            if (c < m_lo || c > m_hi) {
                m_failed = true;
                return false;
            }
            m_lo = 0x80;
            m_hi = 0xbf;
            --m_need;
            ++p;
            continue;
        }
        // Chat text is mostly ASCII: eight bytes at a time while no high bit.
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p == end)
            break;
        const unsigned char c = *p++;
        if (c < 0x80)
            continue;
        if (c >= 0xc2 && c <= 0xdf) {
            m_need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            m_need = 2;
            if (c == 0xe0)
                m_lo = 0xa0; // no overlongs
            else if (c == 0xed)
                m_hi = 0x9f; // no surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            m_need = 3;
            if (c == 0xf0)
                m_lo = 0x90; // no overlongs
            else if (c == 0xf4)
                m_hi = 0x8f; // nothing above U+10FFFF
        } else {
            m_failed = true; // 0x80-0xc1 as a first byte, 0xf5-0xff
            return false;
        }
    }
    return true;
}

} // namespace sanayicin
