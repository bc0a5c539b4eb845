// formatRfc3339Ms for any 64-bit instant: always 24 bytes of the fixed shape,
// and for years 0001-9999 the same text as QDateTime.

#include "time/rfc3339.h"

#include <QDateTime>
#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size != sizeof(qint64))
        return 0;
    qint64 ms;
    std::memcpy(&ms, data, sizeof ms);
    const QByteArray text = sanayicin::formatRfc3339Ms(ms);
    if (text.size() != 24)
        __builtin_trap();
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    for (int i = 0; i < 24; ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if ((shape[i] == 'd') != digit || (shape[i] != 'd' && text[i] != shape[i]))
            __builtin_trap();
    }
    // QDateTime agrees wherever the year has four digits.
    constexpr qint64 kYear1 = -62135596800000LL;     // 0001-01-01T00:00:00Z
    constexpr qint64 kYear10000 = 253402300800000LL; // 10000-01-01T00:00:00Z
    if (ms >= kYear1 && ms < kYear10000) {
        const QByteArray expected = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                                        .toString(Qt::ISODateWithMs)
                                        .toLatin1();
        if (text != expected)
            __builtin_trap();
    }
    return 0;
}
