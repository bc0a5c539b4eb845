#include "rfc3339.h"


namespace sanayicin {

namespace {

// Civil date from days since 1970-01-01 (proleptic Gregorian calendar), after
// the well-known era decomposition: 400-year eras of 146097 days.
void civilFromDays(qint64 days, qint64 &y, int &m, int &d)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

inline char *put2(char *p, int v)
{
    p[0] = char('0' + v / 10);
    p[1] = char('0' + v % 10);
    return p + 2;
}

} // namespace

QByteArray formatRfc3339Ms(qint64 ms)
{
    qint64 days = ms / 86400000;
    qint64 rem = ms % 86400000;
    if (rem < 0) {
        rem += 86400000;
        --days;
    }
    qint64 y;
    int mo, d;
    civilFromDays(days, y, mo, d);
    const int h = int(rem / 3600000);
    const int mi = int(rem / 60000 % 60);
    const int s = int(rem / 1000 % 60);
    const int milli = int(rem % 1000);
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999; // outside RFC 3339's four-digit year; never a real timestamp

    char buf[24];
    char *p = buf;
    const int yy = int(y);
    *p++ = char('0' + yy / 1000);
    *p++ = char('0' + yy / 100 % 10);
    *p++ = char('0' + yy / 10 % 10);
    *p++ = char('0' + yy % 10);
    *p++ = '-';
    p = put2(p, mo);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, h);
    *p++ = ':';
    p = put2(p, mi);
    *p++ = ':';
    p = put2(p, s);
    *p++ = '.';
    *p++ = char('0' + milli / 100);
    *p++ = char('0' + milli / 10 % 10);
    *p++ = char('0' + milli % 10);
    *p++ = 'Z';
    return QByteArray(buf, int(p - buf));
}

} // namespace sanayicin
