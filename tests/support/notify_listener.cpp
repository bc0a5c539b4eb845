#include "notify_listener.h"

#include <QRandomGenerator>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

namespace sanayicin::test {

qint64 NotifyListener::monotonicMs()
{
    timespec ts = {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

bool NotifyListener::Datagram::has(QByteArrayView line) const
{
    for (const QByteArray &l : text.split('\n'))
        if (l == line)
            return true;
    return false;
}

QByteArray NotifyListener::Datagram::value(QByteArrayView key) const
{
    for (const QByteArray &l : text.split('\n'))
        if (l.size() > key.size() && l.startsWith(key) && l[key.size()] == '=')
            return l.mid(key.size() + 1);
    return {};
}

NotifyListener::~NotifyListener()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool NotifyListener::open(bool abstract, QString &error)
{
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_fd < 0) {
        error = QString::fromUtf8(strerror(errno));
        return false;
    }
    const int on = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    sockaddr_un a = {};
    a.sun_family = AF_UNIX;
    QByteArray name;
    socklen_t length;
    if (abstract) {
        m_address = QStringLiteral("@sanayicin-test-notify-%1-%2")
                        .arg(::getpid())
                        .arg(QRandomGenerator::global()->generate());
        name = m_address.toUtf8();
        std::memcpy(a.sun_path, name.constData(), size_t(name.size()));
        a.sun_path[0] = '\0';
        length = socklen_t(offsetof(sockaddr_un, sun_path) + name.size());
    } else {
        m_address = m_dir.filePath(QStringLiteral("notify"));
        name = m_address.toUtf8();
        if (name.size() >= qsizetype(sizeof a.sun_path)) {
            error = QStringLiteral("socket path too long");
            return false;
        }
        std::memcpy(a.sun_path, name.constData(), size_t(name.size()));
        length = socklen_t(sizeof a);
    }
    if (::bind(m_fd, reinterpret_cast<sockaddr *>(&a), length) != 0) {
        error = QStringLiteral("bind %1: %2").arg(m_address, QString::fromUtf8(strerror(errno)));
        return false;
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] { readAll(); });
    return true;
}

void NotifyListener::readAll()
{
    for (;;) {
        char buffer[4096];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
        iovec iov{buffer, sizeof buffer};
        msghdr m = {};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(m_fd, &m, MSG_DONTWAIT);
        if (n < 0)
            return;
        Datagram d;
        d.atMs = monotonicMs();
        d.text = QByteArray(buffer, n);
        for (cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                ucred cred;
                std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
                d.pid = cred.pid;
            }
        }
        m_received << d;
    }
}

const QList<NotifyListener::Datagram> &NotifyListener::received()
{
    readAll();
    return m_received;
}

QList<NotifyListener::Datagram> NotifyListener::with(QByteArrayView line)
{
    QList<Datagram> out;
    for (const Datagram &d : received())
        if (d.has(line))
            out << d;
    return out;
}

} // namespace sanayicin::test
