#pragma once

#include "protocol/error_code.h"

#include <optional>
#include <utility>

namespace sanayicin::chat {

// What a use case answers: a value, or an error with the spec's code and a
// sentence for a person. Each transport maps the error its own way (an
// HTTP status, a WebSocket error frame).
template<typename T>
class Outcome
{
public:
    Outcome(T value) : m_value(std::move(value)) {}
    Outcome(ApiError error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    T &value() { return *m_value; }
    const T &value() const { return *m_value; }
    const ApiError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    ApiError m_error;
};

struct Nothing
{};
using Status = Outcome<Nothing>;

} // namespace sanayicin::chat
