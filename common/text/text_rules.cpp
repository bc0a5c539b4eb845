#include "text_rules.h"

namespace sanayicin {

namespace {

// Calls f(codePoint) for each code point; a lone surrogate counts as one.
template<typename F>
void forEachCodePoint(QStringView s, F &&f)
{
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t cp = s[i].unicode();
        if (QChar::isHighSurrogate(cp) && i + 1 < n && s[i + 1].isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(char16_t(cp), s[i + 1].unicode());
            ++i;
        }
        f(cp);
    }
}

} // namespace

qsizetype codePointCount(QStringView s)
{
    qsizetype count = 0;
    forEachCodePoint(s, [&](char32_t) { ++count; });
    return count;
}

bool isBlank(QStringView s)
{
    bool blank = true;
    forEachCodePoint(s, [&](char32_t cp) {
        if (!QChar::isSpace(cp))
            blank = false;
    });
    return blank;
}

bool hasLengthBetween(QStringView s, qsizetype min, qsizetype max)
{
    // Cheap bounds first: n UTF-16 units hold between n/2 and n code points.
    if (s.size() < min || s.size() / 2 > max)
        return false;
    const qsizetype n = codePointCount(s);
    return n >= min && n <= max;
}

bool isValidUsername(QStringView s)
{
    if (s.size() < 3 || s.size() > 32)
        return false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '_' || u == '.';
        if (!ok)
            return false;
    }
    return true;
}

QString foldForSearch(QStringView s)
{
    QString out;
    out.reserve(s.size());
    bool lastWasI = false;
    forEachCodePoint(s, [&](char32_t cp) {
        if (cp == 0x0307 && lastWasI)
            return; // İ written as I + COMBINING DOT ABOVE
        if (cp == U'I' || cp == 0x0130 || cp == 0x0131)
            cp = U'i';
        else
            cp = QChar::toLower(cp);
        lastWasI = cp == U'i';
        if (QChar::requiresSurrogates(cp)) {
            out.append(QChar(QChar::highSurrogate(cp)));
            out.append(QChar(QChar::lowSurrogate(cp)));
        } else {
            out.append(QChar(char16_t(cp)));
        }
    });
    return out;
}

} // namespace sanayicin
