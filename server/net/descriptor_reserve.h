#pragma once

#include <QMutex>
#include <atomic>
#include <vector>

namespace sanayicin {

// A few file descriptors kept open (on /dev/null) while the daemon accepts
// connections. When accept() runs out of descriptors they are closed, so
// that the rest of the process still has some while the listeners wait
// (database and Redis reconnects, SQLite's journal, the log, a sanitizer's
// own pipe); accepting resumes only once they can be taken back. Without
// it a client flood leaves the process with no descriptor at all.
// Descriptors belong to the process, so there is one reserve per process.
class DescriptorReserve
{
public:
    static DescriptorReserve &process();

    // True when the reserve is held, taking it back first if it was let go;
    // false while the process cannot open that many descriptors.
    bool hold();
    // Closes the reserve (accept() has just failed for want of descriptors).
    void release();
    bool held() const { return m_held.load(std::memory_order_acquire); }

    explicit DescriptorReserve(int count);
    ~DescriptorReserve();

private:
    const int m_count;
    QMutex m_mutex;
    std::vector<int> m_fds;
    std::atomic<bool> m_held{false};
};

} // namespace sanayicin
