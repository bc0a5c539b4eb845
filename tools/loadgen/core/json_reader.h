#pragma once

#include <cstdint>
#include <string_view>

namespace sanayicin::loadgen::json {

// A forward-only reader of one JSON object's members that never allocates:
// it is what every received frame goes through, tens of thousands of times a
// second. Strings come back as views of the raw text between the quotes
// (escapes left as they are: the fields read here never need unescaping),
// nested values as their raw text, to be read with another reader.
struct Value
{
    enum class Kind { String, Number, Object, Array, True, False, Null };
    Kind kind = Kind::Null;
    std::string_view raw; // String: without the quotes; others: the exact text

    // A JSON integer (no fraction or exponent) that fits in int64.
    bool toInt(int64_t &out) const;
};

class ObjectReader
{
public:
    explicit ObjectReader(std::string_view text);

    // The next member; false at the end of the object or on malformed input
    // (then failed() is true).
    bool next(std::string_view &key, Value &value);
    bool failed() const { return m_failed; }

private:
    void skipSpace();
    bool readString(std::string_view &out);
    bool readValue(Value &out);
    bool skipNested(char open, char close);

    std::string_view m_text;
    size_t m_at = 0;
    bool m_started = false;
    bool m_done = false;
    bool m_failed = false;
};

// Parses a decimal integer (optional leading '-') spanning all of `text`.
bool parseInt(std::string_view text, int64_t &out);

} // namespace sanayicin::loadgen::json
