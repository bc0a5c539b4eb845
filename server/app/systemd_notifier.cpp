#include "systemd_notifier.h"

#include "logging/log.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sanayicin {

std::unique_ptr<SystemdNotifier> SystemdNotifier::fromEnvironment()
{
    QByteArray address = qgetenv("NOTIFY_SOCKET");
    if (address.isEmpty())
        return nullptr;
    // '@' names an abstract socket: its sun_path starts with a zero byte.
    if (address.startsWith('@'))
        address[0] = '\0';
    else if (!address.startsWith('/')) {
        qCWarning(lcApp) << "NOTIFY_SOCKET is neither a path nor an abstract name; not "
                            "telling systemd anything";
        return nullptr;
    }
    if (address.size() > qsizetype(sizeof(sockaddr_un::sun_path))) {
        qCWarning(lcApp) << "NOTIFY_SOCKET is longer than a socket address; not telling "
                            "systemd anything";
        return nullptr;
    }
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        qCWarning(lcApp) << "cannot open a socket for NOTIFY_SOCKET:" << strerror(errno);
        return nullptr;
    }
    return std::unique_ptr<SystemdNotifier>(new SystemdNotifier(fd, std::move(address)));
}

SystemdNotifier::SystemdNotifier(int fd, QByteArray address)
    : m_fd(fd), m_address(std::move(address))
{}

SystemdNotifier::~SystemdNotifier()
{
    ::close(m_fd);
}

bool SystemdNotifier::notify(QByteArrayView state)
{
    sockaddr_un to = {};
    to.sun_family = AF_UNIX;
    std::memcpy(to.sun_path, m_address.constData(), size_t(m_address.size()));
    // An abstract name is exactly its bytes; a path ends at its terminator.
    const socklen_t length = socklen_t(offsetof(sockaddr_un, sun_path) + m_address.size()
                                       + (m_address.startsWith('\0') ? 0 : 1));
    ssize_t sent;
    do {
        sent = ::sendto(m_fd, state.data(), size_t(state.size()), MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr *>(&to),
                        qMin<socklen_t>(length, socklen_t(sizeof to)));
    } while (sent < 0 && errno == EINTR);
    const bool ok = sent == state.size();
    // Once per outage: a watchdog ping every few seconds must not flood the log.
    if (!ok && !m_failing.exchange(true))
        qCWarning(lcApp) << "cannot notify systemd through NOTIFY_SOCKET:"
                         << (sent < 0 ? strerror(errno) : "short write");
    else if (ok && m_failing.exchange(false))
        qCInfo(lcApp) << "notifying systemd works again";
    return ok;
}

qint64 SystemdNotifier::watchdogUsecFromEnvironment()
{
    bool ok = false;
    const qint64 usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    if (!ok || usec <= 0)
        return 0;
    // WATCHDOG_PID says whom the watchdog is for; a child that inherited the
    // environment is not it.
    const QByteArray pid = qgetenv("WATCHDOG_PID");
    if (!pid.isEmpty() && pid.toLongLong() != qint64(::getpid()))
        return 0;
    return usec;
}

} // namespace sanayicin
