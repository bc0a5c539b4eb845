#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace sanayicin {

// True when `data` is well-formed UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF), as RFC 6455 requires of text frames.
bool isValidUtf8(QByteArrayView data);

// The same rules fed piece by piece (a WebSocket message arrives in frames
// and reads of any size): a character may be split between two feeds, and a
// byte that no well-formed continuation could follow is refused at once, so
// a receiver fails fast at the offending fragment instead of at the end.
class Utf8Validator
{
public:
    // False from the first impossible byte on (the validator stays failed).
    bool feed(QByteArrayView data);
    // True when everything fed so far is well-formed and no character is
    // left half-finished: the end of a text message.
    bool atBoundary() const { return m_need == 0 && !m_failed; }
    bool failed() const { return m_failed; }
    void reset() { *this = Utf8Validator(); }

private:
    quint8 m_need = 0;  // continuation bytes still owed by the current character
    quint8 m_lo = 0x80; // allowed range of the next continuation byte
    quint8 m_hi = 0xbf;
    bool m_failed = false;
};

} // namespace sanayicin
