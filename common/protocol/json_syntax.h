#pragma once

#include <QByteArrayView>
#include <QString>

namespace sanayicin {

// What checkJsonSyntax found.
struct JsonSyntax
{
    bool ok = true;
    QString problem;           // when !ok: what is wrong and at which byte, for a person
    qsizetype members = 0;     // object members in the whole text (to spot duplicate keys)
    bool markInString = false; // a raw U+FEFF inside some string
    bool scalar = false;       // the text is one string, number or literal
};

// Qt's JSON parser accepts more than RFC 8259 allows: raw control characters
// in strings, unknown escapes ("\x"), numbers such as ".5" and "1.", and
// escapes of lone surrogates, which no UTF-8 store can hold as they were
// sent. This checks, in one pass and without allocating, that `utf8` is
// exactly one JSON text as RFC 8259 defines it, with I-JSON's (RFC 7493)
// rule that strings hold only Unicode characters (a \uD800-\uDBFF escape
// must be followed by a \uDC00-\uDFFF one), nesting at most `maxDepth`
// arrays and objects, and a byte order mark allowed at the very start
// (RFC 8259 lets a parser ignore one there).
JsonSyntax checkJsonSyntax(QByteArrayView utf8, int maxDepth = 64);

} // namespace sanayicin
