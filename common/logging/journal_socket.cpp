#include "journal_socket.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sanayicin {

namespace {

sockaddr_un addressOf(const QByteArray &path, socklen_t &length)
{
    sockaddr_un to = {};
    to.sun_family = AF_UNIX;
    std::memcpy(to.sun_path, path.constData(), size_t(path.size()));
    length = socklen_t(offsetof(sockaddr_un, sun_path) + path.size() + 1);
    return to;
}

} // namespace

std::unique_ptr<JournalSocket> JournalSocket::open(const QByteArray &path)
{
    struct stat st = {};
    if (path.isEmpty() || path.size() >= qsizetype(sizeof(sockaddr_un::sun_path))
        || ::stat(path.constData(), &st) != 0 || !S_ISSOCK(st.st_mode))
        return nullptr;
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return nullptr;
    // Room for large entries before the memfd path is needed (the kernel
    // caps it at net.core.wmem_max), as systemd's own client asks.
    const int size = 8 * 1024 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    return std::unique_ptr<JournalSocket>(new JournalSocket(fd, path));
}

JournalSocket::~JournalSocket()
{
    ::close(m_fd);
}

bool JournalSocket::send(QByteArrayView entry) const
{
    socklen_t length = 0;
    const sockaddr_un to = addressOf(m_path, length);
    ssize_t sent;
    do {
        sent = ::sendto(m_fd, entry.data(), size_t(entry.size()), MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr *>(&to), length);
    } while (sent < 0 && errno == EINTR);
    if (sent == entry.size())
        return true;
    return sent < 0 && (errno == EMSGSIZE || errno == ENOBUFS) && sendAsMemfd(entry);
}

bool JournalSocket::sendAsMemfd(QByteArrayView entry) const
{
    const int memfd = ::memfd_create("sanayicin-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (memfd < 0)
        return false;
    bool ok = true;
    for (qsizetype done = 0; ok && done < entry.size();) {
        const ssize_t n = ::write(memfd, entry.data() + done, size_t(entry.size() - done));
        if (n > 0)
            done += n;
        else
            ok = n < 0 && errno == EINTR;
    }
    // journald takes only a memfd nobody can change any more.
    ok = ok && ::fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0;
    if (ok) {
        socklen_t length = 0;
        sockaddr_un to = addressOf(m_path, length);
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        msghdr msg = {};
        msg.msg_name = &to;
        msg.msg_namelen = length;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &memfd, sizeof(int));
        ssize_t sent;
        do {
            sent = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
        ok = sent >= 0;
    }
    ::close(memfd);
    return ok;
}

} // namespace sanayicin
