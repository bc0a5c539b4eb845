#pragma once

// Checks shared by the fuzz targets of client input.

#include <QString>

namespace sanayicin::fuzz {

// Every surrogate in `s` is half of a pair: the text is Unicode characters
// only, so UTF-8 (and PostgreSQL) holds exactly it.
inline bool wellFormed(const QString &s)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i].isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate())
            ++i;
        else if (s[i].isSurrogate())
            return false;
    }
    return true;
}

// What a text field of a frame or body may hold once accepted.
inline bool storable(const QString &s)
{
    return wellFormed(s) && !s.contains(QChar(u'\0'));
}

} // namespace sanayicin::fuzz
