#include "json_writer.h"

namespace sanayicin {

namespace {

const char kHex[] = "0123456789abcdef";

inline void appendEscapedAscii(QByteArray &out, char16_t c)
{
    switch (c) {
    case '"': out.append("\\\"", 2); return;
    case '\\': out.append("\\\\", 2); return;
    case '\n': out.append("\\n", 2); return;
    case '\r': out.append("\\r", 2); return;
    case '\t': out.append("\\t", 2); return;
    case '\b': out.append("\\b", 2); return;
    case '\f': out.append("\\f", 2); return;
    default:
        if (c < 0x20) {
            const char esc[6] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
            out.append(esc, 6);
        } else {
            out.append(char(c));
        }
    }
}

inline void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x800) {
        out.append(char(0xc0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.append(char(0xe0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3f)));
        out.append(char(0x80 | (cp & 0x3f)));
    } else {
        out.append(char(0xf0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3f)));
        out.append(char(0x80 | ((cp >> 6) & 0x3f)));
        out.append(char(0x80 | (cp & 0x3f)));
    }
}

} // namespace

void appendJsonString(QByteArray &out, QStringView s)
{
    out.reserve(out.size() + s.size() + 2);
    out.append('"');
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i].unicode();
        if (c < 0x80) {
            appendEscapedAscii(out, c);
        } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(s[i + 1].unicode())) {
            appendUtf8(out, QChar::surrogateToUcs4(c, s[i + 1].unicode()));
            ++i;
        } else if (QChar::isSurrogate(c)) {
            appendUtf8(out, 0xfffd); // a lone surrogate cannot be encoded in UTF-8
        } else {
            appendUtf8(out, c);
        }
    }
    out.append('"');
}

void appendJsonStringUtf8(QByteArray &out, QByteArrayView utf8)
{
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80)
            appendEscapedAscii(out, c);
        else
            out.append(ch);
    }
    out.append('"');
}

void JsonWriter::separate()
{
    if (m_needComma)
        m_out.append(',');
}

JsonWriter &JsonWriter::beginObject()
{
    separate();
    m_out.append('{');
    m_needComma = false;
    return *this;
}

JsonWriter &JsonWriter::endObject()
{
    m_out.append('}');
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::beginArray()
{
    separate();
    m_out.append('[');
    m_needComma = false;
    return *this;
}

JsonWriter &JsonWriter::endArray()
{
    m_out.append(']');
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
    separate();
    m_out.append('"');
    m_out.append(name.data(), qsizetype(name.size()));
    m_out.append("\":", 2);
    m_needComma = false;
    return *this;
}

JsonWriter &JsonWriter::value(qint64 v)
{
    separate();
    m_out.append(QByteArray::number(v));
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::value(bool v)
{
    separate();
    if (v)
        m_out.append("true", 4);
    else
        m_out.append("false", 5);
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::value(QStringView v)
{
    separate();
    appendJsonString(m_out, v);
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::utf8(QByteArrayView v)
{
    separate();
    appendJsonStringUtf8(m_out, v);
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::null()
{
    separate();
    m_out.append("null", 4);
    m_needComma = true;
    return *this;
}

JsonWriter &JsonWriter::raw(QByteArrayView json)
{
    separate();
    m_out.append(json);
    m_needComma = true;
    return *this;
}

} // namespace sanayicin
