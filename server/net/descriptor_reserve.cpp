#include "descriptor_reserve.h"

#include <fcntl.h>
#include <unistd.h>

namespace sanayicin {

DescriptorReserve &DescriptorReserve::process()
{
    // Enough for a pipe or two even after every network thread has taken
    // one more connection in the moment the reserve is let go.
    static DescriptorReserve reserve(8);
    return reserve;
}

DescriptorReserve::DescriptorReserve(int count) : m_count(count) {}

DescriptorReserve::~DescriptorReserve()
{
    release();
}

bool DescriptorReserve::hold()
{
    if (m_held.load(std::memory_order_acquire))
        return true;
    QMutexLocker lock(&m_mutex);
    while (int(m_fds.size()) < m_count) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return false; // keep what we got; try again later
        m_fds.push_back(fd);
    }
    m_held.store(true, std::memory_order_release);
    return true;
}

void DescriptorReserve::release()
{
    QMutexLocker lock(&m_mutex);
    for (int fd : m_fds)
        ::close(fd);
    m_fds.clear();
    m_held.store(false, std::memory_order_release);
}

} // namespace sanayicin
