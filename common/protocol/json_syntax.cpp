#include "json_syntax.h"

#include "text/utf8.h"

namespace sanayicin {

namespace {

// Recursive descent over the bytes; recursion is bounded by maxDepth.
class Checker
{
public:
    Checker(QByteArrayView text, int maxDepth)
        : m_begin(reinterpret_cast<const unsigned char *>(text.data()))
        , m_p(m_begin), m_end(m_begin + text.size()), m_maxDepth(maxDepth)
    {}

    JsonSyntax run()
    {
        static constexpr unsigned char kMark[] = {0xEF, 0xBB, 0xBF};
        if (m_end - m_p >= 3 && m_p[0] == kMark[0] && m_p[1] == kMark[1] && m_p[2] == kMark[2])
            m_p += 3;
        skipSpace();
        m_result.scalar = !atEnd() && *m_p != '{' && *m_p != '[';
        if (value()) {
            skipSpace();
            if (m_p != m_end)
                fail("unexpected data after the JSON value");
        }
        return m_result;
    }

private:
    bool fail(const char *what)
    {
        if (m_result.ok) {
            m_result.ok = false;
            m_result.problem = QStringLiteral("%1 at byte %2")
                                   .arg(QLatin1StringView(what))
                                   .arg(m_p - m_begin);
        }
        return false;
    }

    bool atEnd() const { return m_p == m_end; }

    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    bool value()
    {
        if (atEnd())
            return fail("unexpected end of the text");
        switch (*m_p) {
        case '{':
        case '[':
            return container();
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            if (*m_p == '-' || (*m_p >= '0' && *m_p <= '9'))
                return number();
            if (*m_p < 0x20)
                return fail("a control character outside a string");
            return fail("unexpected character");
        }
    }

    bool literal(const char *word)
    {
        for (const char *w = word; *w; ++w, ++m_p)
            if (atEnd() || *m_p != static_cast<unsigned char>(*w))
                return fail("unexpected character");
        return true;
    }

    // An object ({"key": value, ...}) or an array ([value, ...]).
    bool container()
    {
        const bool isObject = *m_p == '{';
        const unsigned char close = isObject ? '}' : ']';
        if (++m_depth > m_maxDepth)
            return fail("nesting too deep");
        ++m_p;
        skipSpace();
        if (!atEnd() && *m_p == close) {
            ++m_p;
            --m_depth;
            return true;
        }
        for (;;) {
            if (isObject && !member())
                return false;
            if (!isObject && !value())
                return false;
            skipSpace();
            if (atEnd())
                return fail("unexpected end of the text");
            if (*m_p == close) {
                ++m_p;
                --m_depth;
                return true;
            }
            if (*m_p != ',')
                return fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'");
            ++m_p;
            skipSpace();
        }
    }

    bool member()
    {
        if (atEnd() || *m_p != '"')
            return fail(atEnd() ? "unexpected end of the text" : "expected a key string");
        if (!string())
            return false;
        ++m_result.members;
        skipSpace();
        if (atEnd() || *m_p != ':')
            return fail("expected ':'");
        ++m_p;
        skipSpace();
        return value();
    }

    bool digits()
    {
        if (atEnd() || *m_p < '0' || *m_p > '9')
            return fail("invalid number");
        while (!atEnd() && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return true;
    }

    // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    bool number()
    {
        if (*m_p == '-')
            ++m_p;
        if (!atEnd() && *m_p == '0')
            ++m_p;
        else if (!digits())
            return false;
        if (!atEnd() && *m_p == '.') {
            ++m_p;
            if (!digits())
                return false;
        }
        if (!atEnd() && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (!atEnd() && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        return true;
    }

    // Four hex digits after "\u"; -1 when they are not.
    int hex4()
    {
        if (m_end - m_p < 4)
            return -1;
        int v = 0;
        for (int i = 0; i < 4; ++i) {
            const unsigned char c = m_p[i];
            int d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                return -1;
            v = v * 16 + d;
        }
        m_p += 4;
        return v;
    }

    bool escape()
    {
        ++m_p; // the backslash
        if (atEnd())
            return fail("unterminated string");
        switch (*m_p) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            ++m_p;
            return true;
        case 'u':
            break;
        default:
            --m_p;
            return fail("invalid escape");
        }
        const unsigned char *at = m_p - 1;
        ++m_p;
        const int unit = hex4();
        if (unit < 0) {
            m_p = at;
            return fail("invalid \\u escape");
        }
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
            m_p = at;
            return fail("a lone surrogate escape (not a character)");
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            // Must be followed by the low half of the pair.
            int low = -1;
            if (m_end - m_p >= 2 && m_p[0] == '\\' && m_p[1] == 'u') {
                m_p += 2;
                low = hex4();
            }
            if (low < 0xDC00 || low > 0xDFFF) {
                m_p = at;
                return fail("a lone surrogate escape (not a character)");
            }
        }
        return true;
    }

    // One UTF-8 encoded character of two to four bytes: well-formed, no
    // overlongs, no surrogates, nothing above U+10FFFF.
    bool multiByte()
    {
        const unsigned char c = *m_p;
        const qsizetype length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (m_end - m_p < length || !isValidUtf8(QByteArrayView(m_p, length)))
            return fail("invalid UTF-8");
        if (c == 0xEF && m_p[1] == 0xBB && m_p[2] == 0xBF)
            m_result.markInString = true;
        m_p += length;
        return true;
    }

    bool string()
    {
        ++m_p; // the opening quote
        for (;;) {
            // The common run: printable ASCII other than quote and backslash.
            while (m_p != m_end && *m_p >= 0x20 && *m_p < 0x80 && *m_p != '"' && *m_p != '\\')
                ++m_p;
            if (atEnd())
                return fail("unterminated string");
            const unsigned char c = *m_p;
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c == '\\') {
                if (!escape())
                    return false;
            } else if (c < 0x20) {
                return fail("a control character in a string (it must be escaped)");
            } else if (!multiByte()) {
                return false;
            }
        }
    }

    const unsigned char *const m_begin;
    const unsigned char *m_p;
    const unsigned char *const m_end;
    const int m_maxDepth;
    int m_depth = 0;
    JsonSyntax m_result;
};

} // namespace

JsonSyntax checkJsonSyntax(QByteArrayView utf8, int maxDepth)
{
    return Checker(utf8, maxDepth).run();
}

} // namespace sanayicin
