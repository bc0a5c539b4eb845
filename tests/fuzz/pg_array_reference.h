#pragma once

// A reference reader of PostgreSQL's one-dimensional array literals, written
// from the documentation of array input ("Arrays", "Array Input and Output
// Syntax") and array_in's rules, to check what pgTextArray writes:
//
// - the literal is `{` elements separated by `,` `}`, white space (space, tab,
//   LF, CR, VT, FF) allowed before `{`, after `}` and around elements; an
//   optional dimension decoration `[lo:hi]=` may precede it;
// - an element is either quoted (`"` ... `"`, then only white space before
//   the next `,` or `}`) or unquoted (no `"` or `{` in it); `\` makes the
//   next character plain data in both;
// - around an unquoted element white space is dropped unless escaped (so
//   "a b" keeps its inner space);
// - an element that is unquoted, unescaped and spells NULL in any case is
//   SQL NULL; an empty unquoted element is an error, `{}` is no elements.
//
// Used by the pg_arrays fuzz target and the unit test; the storage test
// checks the reference against a real server on hand-written literals.

#include <QByteArray>
#include <QList>
#include <optional>

namespace sanayicin::reference {

// One element: nullopt is SQL NULL.
using PgElement = std::optional<QByteArray>;

inline bool pgArraySpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The elements of a one-dimensional literal; nullopt when PostgreSQL would
// refuse it (or it has more dimensions, which this reader does not take).
inline std::optional<QList<PgElement>> parsePgArray(const QByteArray &text)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    auto skipSpace = [&] {
        while (i < n && pgArraySpace(text[i]))
            ++i;
    };
    skipSpace();
    if (i < n && text[i] == '[') { // [lo:hi]= : skipped, its numbers not checked
        const qsizetype eq = text.indexOf('=', i);
        if (eq < 0)
            return std::nullopt;
        i = eq + 1;
        skipSpace();
    }
    if (i >= n || text[i] != '{')
        return std::nullopt;
    ++i;
    QList<PgElement> out;
    skipSpace();
    if (i < n && text[i] == '}') {
        ++i;
        skipSpace();
        return i == n ? std::optional(out) : std::nullopt;
    }
    for (;;) {
        skipSpace();
        if (i >= n)
            return std::nullopt;
        QByteArray value;
        bool plain = true; // unquoted and unescaped: may spell NULL
        if (text[i] == '"') {
            plain = false;
            for (++i;; ++i) {
                if (i >= n)
                    return std::nullopt;
                if (text[i] == '"')
                    break;
                if (text[i] == '\\' && ++i >= n)
                    return std::nullopt;
                value += text[i];
            }
            ++i;
            skipSpace(); // only white space may follow the closing quote
            if (i >= n || (text[i] != ',' && text[i] != '}'))
                return std::nullopt;
        } else {
            qsizetype keep = 0; // length without trailing unescaped white space
            for (; i < n && text[i] != ',' && text[i] != '}'; ++i) {
                const char c = text[i];
                if (c == '"' || c == '{')
                    return std::nullopt; // a quote inside, or a sub-array
                if (c == '\\') {
                    if (++i >= n)
                        return std::nullopt;
                    plain = false;
                    value += text[i];
                    keep = value.size();
                    continue;
                }
                value += c;
                if (!pgArraySpace(c))
                    keep = value.size();
            }
            if (i >= n)
                return std::nullopt;
            value.truncate(keep);
            if (value.isEmpty() && plain)
                return std::nullopt; // "{a,,b}" and "{,}" are malformed
        }
        if (plain && value.compare("NULL", Qt::CaseInsensitive) == 0)
            out.append(std::nullopt);
        else
            out.append(value);
        if (text[i] == '}') {
            ++i;
            skipSpace();
            return i == n ? std::optional(out) : std::nullopt;
        }
        ++i; // the comma
    }
}

// What a QString must read back as from a text[] parameter: its UTF-8, with
// U+FFFD for each unpaired surrogate and for U+0000 (pgTextArray's rule),
// encoded here by hand so that the check does not share Qt's encoder.
inline QByteArray pgStoredUtf8(const QString &s)
{
    QByteArray out;
    auto put = [&out](char32_t cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s[i].unicode();
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < s.size() && s[i + 1].unicode() >= 0xDC00
            && s[i + 1].unicode() <= 0xDFFF) {
            put(0x10000 + ((char32_t(u) - 0xD800) << 10) + (s[i + 1].unicode() - 0xDC00));
            ++i;
        } else if ((u >= 0xD800 && u <= 0xDFFF) || u == 0) {
            put(0xFFFD);
        } else {
            put(u);
        }
    }
    return out;
}

} // namespace sanayicin::reference
