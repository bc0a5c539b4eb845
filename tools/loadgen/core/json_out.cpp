#include "json_out.h"

#include <cmath>
#include <cstdio>

namespace sanayicin::loadgen {

void JsonOut::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back())
            m_out.push_back(',');
        m_first.back() = false;
    }
}

void JsonOut::escape(std::string_view s)
{
    m_out.push_back('"');
    for (char c : s) {
        switch (c) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\r':
            m_out += "\\r";
            break;
        case '\t':
            m_out += "\\t";
            break;
        default:
            if (uint8_t(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(uint8_t(c)));
                m_out += buf;
            } else {
                m_out.push_back(c);
            }
        }
    }
    m_out.push_back('"');
}

JsonOut &JsonOut::beginObject()
{
    separate();
    m_out.push_back('{');
    m_first.push_back(true);
    return *this;
}

JsonOut &JsonOut::endObject()
{
    m_out.push_back('}');
    m_first.pop_back();
    return *this;
}

JsonOut &JsonOut::beginArray()
{
    separate();
    m_out.push_back('[');
    m_first.push_back(true);
    return *this;
}

JsonOut &JsonOut::endArray()
{
    m_out.push_back(']');
    m_first.pop_back();
    return *this;
}

JsonOut &JsonOut::key(std::string_view k)
{
    separate();
    escape(k);
    m_out.push_back(':');
    m_afterKey = true;
    return *this;
}

JsonOut &JsonOut::value(std::string_view s)
{
    separate();
    escape(s);
    return *this;
}

JsonOut &JsonOut::value(int64_t v)
{
    separate();
    m_out += std::to_string(v);
    return *this;
}

JsonOut &JsonOut::value(uint64_t v)
{
    separate();
    m_out += std::to_string(v);
    return *this;
}

JsonOut &JsonOut::value(double v)
{
    separate();
    if (!std::isfinite(v)) {
        m_out += "null";
        return *this;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    m_out += buf;
    return *this;
}

JsonOut &JsonOut::value(bool v)
{
    separate();
    m_out += v ? "true" : "false";
    return *this;
}

JsonOut &JsonOut::null()
{
    separate();
    m_out += "null";
    return *this;
}

} // namespace sanayicin::loadgen
