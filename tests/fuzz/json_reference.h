#pragma once

// A second reading of RFC 8259's grammar (section 2-8, with I-JSON's rule
// on surrogates, RFC 7493 2.1), written straight from the ABNF and in
// another shape than common/protocol/json_syntax.cpp (code points decoded
// first, then the grammar over them), so that the fuzz target can check the
// two agree on every input.
//
//   JSON-text = ws value ws                  (a byte order mark may precede)
//   value     = false / null / true / object / array / number / string
//   object    = { [ member *( , member ) ] }     member = string : value
//   array     = [ [ value *( , value ) ] ]
//   number    = [ - ] int [ frac ] [ exp ]   int = 0 / ( digit1-9 *DIGIT )
//   string    = " *char "  char = unescaped / \ ( " \ / b f n r t uXXXX )
//   unescaped = %x20-21 / %x23-5B / %x5D-10FFFF
//   ws        = *( %x20 / %x09 / %x0A / %x0D )

#include <QByteArray>
#include <optional>
#include <vector>

namespace sanayicin::reference {

class JsonGrammar
{
public:
    // True when `text` is one JSON text nesting at most `maxDepth` levels.
    static bool accepts(const QByteArray &text, int maxDepth)
    {
        const auto points = decode(text);
        if (!points)
            return false;
        JsonGrammar g(*points, maxDepth);
        size_t i = 0;
        if (!g.points.empty() && g.points[0] == 0xFEFF)
            i = 1;
        i = g.ws(i);
        const auto end = g.value(i, 0);
        return end && g.ws(*end) == g.points.size();
    }

private:
    JsonGrammar(std::vector<char32_t> p, int maxDepth) : points(std::move(p)), max(maxDepth) {}

    // UTF-8 to code points; nullopt for anything ill-formed (overlong forms,
    // surrogates, beyond U+10FFFF, truncated sequences).
    static std::optional<std::vector<char32_t>> decode(const QByteArray &text)
    {
        std::vector<char32_t> out;
        const auto *s = reinterpret_cast<const unsigned char *>(text.constData());
        const size_t n = size_t(text.size());
        for (size_t i = 0; i < n;) {
            const unsigned char c = s[i];
            int len;
            char32_t cp;
            if (c < 0x80) {
                len = 1;
                cp = c;
            } else if ((c & 0xE0) == 0xC0) {
                len = 2;
                cp = c & 0x1F;
            } else if ((c & 0xF0) == 0xE0) {
                len = 3;
                cp = c & 0x0F;
            } else if ((c & 0xF8) == 0xF0) {
                len = 4;
                cp = c & 0x07;
            } else {
                return std::nullopt;
            }
            if (i + size_t(len) > n)
                return std::nullopt;
            for (int k = 1; k < len; ++k) {
                if ((s[i + size_t(k)] & 0xC0) != 0x80)
                    return std::nullopt;
                cp = (cp << 6) | (s[i + size_t(k)] & 0x3F);
            }
            static const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
            if (cp < smallest[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return std::nullopt;
            out.push_back(cp);
            i += size_t(len);
        }
        return out;
    }

    using Pos = std::optional<size_t>;

    bool at(size_t i, char32_t c) const { return i < points.size() && points[i] == c; }
    static bool digit(char32_t c) { return c >= '0' && c <= '9'; }
    static bool hex(char32_t c)
    {
        return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    size_t ws(size_t i) const
    {
        while (i < points.size()
               && (points[i] == 0x20 || points[i] == 0x09 || points[i] == 0x0A || points[i] == 0x0D))
            ++i;
        return i;
    }

    Pos value(size_t i, int depth) const
    {
        if (i >= points.size())
            return std::nullopt;
        for (const char *word : {"false", "null", "true"}) {
            size_t k = 0;
            while (word[k] && at(i + k, char32_t(word[k])))
                ++k;
            if (!word[k])
                return i + k;
        }
        switch (points[i]) {
        case '{':
            return object(i, depth + 1);
        case '[':
            return array(i, depth + 1);
        case '"':
            return string(i);
        default:
            return number(i);
        }
    }

    Pos object(size_t i, int depth) const
    {
        if (depth > max)
            return std::nullopt;
        i = ws(i + 1);
        if (at(i, '}'))
            return i + 1;
        for (;;) {
            const Pos key = at(i, '"') ? string(i) : std::nullopt;
            if (!key)
                return std::nullopt;
            i = ws(*key);
            if (!at(i, ':'))
                return std::nullopt;
            const Pos v = value(ws(i + 1), depth);
            if (!v)
                return std::nullopt;
            i = ws(*v);
            if (at(i, '}'))
                return i + 1;
            if (!at(i, ','))
                return std::nullopt;
            i = ws(i + 1);
        }
    }

    Pos array(size_t i, int depth) const
    {
        if (depth > max)
            return std::nullopt;
        i = ws(i + 1);
        if (at(i, ']'))
            return i + 1;
        for (;;) {
            const Pos v = value(i, depth);
            if (!v)
                return std::nullopt;
            i = ws(*v);
            if (at(i, ']'))
                return i + 1;
            if (!at(i, ','))
                return std::nullopt;
            i = ws(i + 1);
        }
    }

    Pos number(size_t i) const
    {
        if (at(i, '-'))
            ++i;
        if (at(i, '0')) {
            ++i;
        } else if (i < points.size() && points[i] >= '1' && points[i] <= '9') {
            while (i < points.size() && digit(points[i]))
                ++i;
        } else {
            return std::nullopt;
        }
        if (at(i, '.')) {
            ++i;
            if (i >= points.size() || !digit(points[i]))
                return std::nullopt;
            while (i < points.size() && digit(points[i]))
                ++i;
        }
        if (at(i, 'e') || at(i, 'E')) {
            ++i;
            if (at(i, '+') || at(i, '-'))
                ++i;
            if (i >= points.size() || !digit(points[i]))
                return std::nullopt;
            while (i < points.size() && digit(points[i]))
                ++i;
        }
        return i;
    }

    // The code unit of "\uXXXX" at i (i at the backslash), or nullopt.
    std::optional<char32_t> unitAt(size_t i) const
    {
        if (!at(i, '\\') || !at(i + 1, 'u') || i + 6 > points.size())
            return std::nullopt;
        char32_t v = 0;
        for (size_t k = i + 2; k < i + 6; ++k) {
            if (!hex(points[k]))
                return std::nullopt;
            const char32_t c = points[k];
            v = v * 16 + (digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    }

    Pos string(size_t i) const
    {
        for (++i;; ) {
            if (i >= points.size())
                return std::nullopt;
            const char32_t c = points[i];
            if (c == '"')
                return i + 1;
            if (c < 0x20)
                return std::nullopt;
            if (c != '\\') {
                ++i;
                continue;
            }
            if (i + 1 >= points.size())
                return std::nullopt;
            const char32_t e = points[i + 1];
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                || e == 't') {
                i += 2;
                continue;
            }
            const auto unit = unitAt(i);
            if (!unit || (*unit >= 0xDC00 && *unit <= 0xDFFF))
                return std::nullopt; // not an escape, or a low half alone
            if (*unit >= 0xD800 && *unit <= 0xDBFF) {
                const auto low = unitAt(i + 6);
                if (!low || *low < 0xDC00 || *low > 0xDFFF)
                    return std::nullopt; // a high half alone
                i += 12;
            } else {
                i += 6;
            }
        }
    }

    std::vector<char32_t> points;
    int max;
};

} // namespace sanayicin::reference
