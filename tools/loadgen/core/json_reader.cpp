#include "json_reader.h"

namespace sanayicin::loadgen::json {

bool parseInt(std::string_view text, int64_t &out)
{
    if (text.empty())
        return false;
    size_t i = 0;
    const bool negative = text[0] == '-';
    if (negative)
        i = 1;
    if (i == text.size() || text.size() - i > 18) // 18 digits always fit in int64
        return false;
    int64_t v = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = negative ? -v : v;
    return true;
}

bool Value::toInt(int64_t &out) const
{
    return kind == Kind::Number && parseInt(raw, out);
}

ObjectReader::ObjectReader(std::string_view text) : m_text(text) {}

void ObjectReader::skipSpace()
{
    while (m_at < m_text.size()) {
        const char c = m_text[m_at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        ++m_at;
    }
}

bool ObjectReader::readString(std::string_view &out)
{
    // At the opening quote.
    const size_t begin = ++m_at;
    while (m_at < m_text.size()) {
        const char c = m_text[m_at];
        if (c == '\\') {
            m_at += 2;
            continue;
        }
        if (c == '"') {
            out = m_text.substr(begin, m_at - begin);
            ++m_at;
            return true;
        }
        ++m_at;
    }
    return false;
}

bool ObjectReader::skipNested(char open, char close)
{
    int depth = 0;
    while (m_at < m_text.size()) {
        const char c = m_text[m_at];
        if (c == '"') {
            std::string_view ignored;
            if (!readString(ignored))
                return false;
            continue;
        }
        if (c == open)
            ++depth;
        else if (c == close && --depth == 0) {
            ++m_at;
            return true;
        }
        ++m_at;
    }
    return false;
}

bool ObjectReader::readValue(Value &out)
{
    skipSpace();
    if (m_at >= m_text.size())
        return false;
    const size_t begin = m_at;
    const char c = m_text[m_at];
    if (c == '"') {
        out.kind = Value::Kind::String;
        return readString(out.raw);
    }
    if (c == '{' || c == '[') {
        out.kind = c == '{' ? Value::Kind::Object : Value::Kind::Array;
        if (!skipNested(c, c == '{' ? '}' : ']'))
            return false;
        out.raw = m_text.substr(begin, m_at - begin);
        return true;
    }
    auto literal = [&](std::string_view word, Value::Kind kind) {
        if (m_text.substr(m_at, word.size()) != word)
            return false;
        m_at += word.size();
        out.kind = kind;
        out.raw = word;
        return true;
    };
    if (c == 't')
        return literal("true", Value::Kind::True);
    if (c == 'f')
        return literal("false", Value::Kind::False);
    if (c == 'n')
        return literal("null", Value::Kind::Null);
    if (c == '-' || (c >= '0' && c <= '9')) {
        while (m_at < m_text.size()) {
            const char d = m_text[m_at];
            if (!((d >= '0' && d <= '9') || d == '-' || d == '+' || d == '.' || d == 'e'
                  || d == 'E'))
                break;
            ++m_at;
        }
        out.kind = Value::Kind::Number;
        out.raw = m_text.substr(begin, m_at - begin);
        return true;
    }
    return false;
}

bool ObjectReader::next(std::string_view &key, Value &value)
{
    if (m_done || m_failed)
        return false;
    skipSpace();
    if (!m_started) {
        if (m_at >= m_text.size() || m_text[m_at] != '{') {
            m_failed = true;
            return false;
        }
        ++m_at;
        m_started = true;
        skipSpace();
        if (m_at < m_text.size() && m_text[m_at] == '}') {
            m_done = true;
            return false;
        }
    } else {
        if (m_at < m_text.size() && m_text[m_at] == '}') {
            m_done = true;
            return false;
        }
        if (m_at >= m_text.size() || m_text[m_at] != ',') {
            m_failed = true;
            return false;
        }
        ++m_at;
        skipSpace();
    }
    if (m_at >= m_text.size() || m_text[m_at] != '"' || !readString(key)) {
        m_failed = true;
        return false;
    }
    skipSpace();
    if (m_at >= m_text.size() || m_text[m_at] != ':') {
        m_failed = true;
        return false;
    }
    ++m_at;
    if (!readValue(value)) {
        m_failed = true;
        return false;
    }
    skipSpace();
    return true;
}

} // namespace sanayicin::loadgen::json
