#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace sanayicin {

// A setting that a reload (SIGHUP) may change while other threads read it.
// Reading is one acquire load of a pointer: no lock and no read-modify-write,
// so it costs a hot path nothing it did not pay for a plain field. A new
// value is published with a release store. Values a reload replaced stay
// allocated until the Live itself goes, so a reference a reader took is
// never left dangling (reloads are rare and the values small).
//
// It converts to `const T &`, so code that reads `config.sendRule` reads the
// current value without knowing that it can change.
template<typename T>
class Live
{
public:
    Live() : Live(T{}) {}
    Live(T value) { set(std::move(value)); } // NOLINT: implicit, as a plain field
    Live(const Live &other) : Live(other.get()) {}
    Live &operator=(const Live &other)
    {
        if (this != &other)
            set(other.get());
        return *this;
    }
    Live &operator=(T value)
    {
        set(std::move(value));
        return *this;
    }

    const T &get() const { return *m_current.load(std::memory_order_acquire); }
    operator const T &() const { return get(); } // NOLINT: implicit on purpose

    void set(T value)
    {
        std::lock_guard lock(m_writers); // writers only; readers never wait
        m_values.push_back(std::make_unique<const T>(std::move(value)));
        m_current.store(m_values.back().get(), std::memory_order_release);
    }

private:
    std::atomic<const T *> m_current{nullptr};
    std::mutex m_writers;
    std::vector<std::unique_ptr<const T>> m_values;
};

} // namespace sanayicin
