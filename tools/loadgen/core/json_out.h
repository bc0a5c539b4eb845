#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sanayicin::loadgen {

// A small JSON writer for the --json result (and HTTP bodies of the setup):
// commas and escaping handled, nothing else.
class JsonOut
{
public:
    JsonOut &beginObject();
    JsonOut &endObject();
    JsonOut &beginArray();
    JsonOut &endArray();
    JsonOut &key(std::string_view k);
    JsonOut &value(std::string_view s);
    JsonOut &value(const char *s) { return value(std::string_view(s)); }
    JsonOut &value(int64_t v);
    JsonOut &value(uint64_t v);
    JsonOut &value(int v) { return value(int64_t(v)); }
    JsonOut &value(double v);
    JsonOut &value(bool v);
    JsonOut &null();

    template <class T>
    JsonOut &field(std::string_view k, T v)
    {
        key(k);
        return value(v);
    }

    const std::string &str() const { return m_out; }

private:
    void separate();
    void escape(std::string_view s);

    std::string m_out;
    std::vector<bool> m_first; // per open container: nothing written yet
    bool m_afterKey = false;
};

} // namespace sanayicin::loadgen
