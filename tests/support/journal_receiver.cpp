#include "journal_receiver.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sanayicin::test {

QByteArray JournalEntry::value(QByteArrayView name) const
{
    for (const auto &[n, v] : fields)
        if (n == name)
            return v;
    return {};
}

int JournalEntry::count(QByteArrayView name) const
{
    int n = 0;
    for (const auto &field : fields)
        n += field.first == name ? 1 : 0;
    return n;
}

namespace {

// journald's rule for the names a client may send.
bool validName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > 64 || name.front() == '_' || (name.front() >= '0' && name.front() <= '9'))
        return false;
    for (const char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

} // namespace

std::optional<JournalEntry> parseJournalEntry(QByteArrayView data)
{
    JournalEntry entry;
    qsizetype at = 0;
    while (at < data.size()) {
        const qsizetype newline = data.indexOf('\n', at);
        if (newline < 0)
            return std::nullopt;
        const qsizetype equals = data.sliced(at, newline - at).indexOf('=');
        if (equals >= 0) { // NAME=value\n
            const QByteArrayView name = data.sliced(at, equals);
            if (!validName(name))
                return std::nullopt;
            entry.fields.append({name.toByteArray(), data.sliced(at + equals + 1, newline - at - equals - 1).toByteArray()});
            at = newline + 1;
            continue;
        }
        const QByteArrayView name = data.sliced(at, newline - at); // NAME\n<length><value>\n
        if (!validName(name) || data.size() - (newline + 1) < 8)
            return std::nullopt;
        quint64 length = 0;
        for (int i = 7; i >= 0; --i)
            length = (length << 8) | quint8(data[newline + 1 + i]);
        const qsizetype valueAt = newline + 9;
        if (length > quint64(data.size() - valueAt) || quint64(data.size() - valueAt) - length < 1
            || data[valueAt + qsizetype(length)] != '\n')
            return std::nullopt;
        entry.fields.append({name.toByteArray(), data.sliced(valueAt, qsizetype(length)).toByteArray()});
        at = valueAt + qsizetype(length) + 1;
    }
    return entry;
}

JournalReceiver::~JournalReceiver()
{
    if (m_thread.joinable()) {
        const char c = 0;
        [[maybe_unused]] const ssize_t n = ::write(m_stop[1], &c, 1);
        m_thread.join();
    }
    for (int fd : {m_fd, m_stop[0], m_stop[1]})
        if (fd >= 0)
            ::close(fd);
}

bool JournalReceiver::open(QString &error)
{
    if (!m_dir.isValid()) {
        error = QStringLiteral("no temporary folder");
        return false;
    }
    m_path = m_dir.filePath(QStringLiteral("journal.socket"));
    const QByteArray path = QFile::encodeName(m_path);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    if (size_t(path.size()) >= sizeof address.sun_path) {
        error = QStringLiteral("socket path too long");
        return false;
    }
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::pipe2(m_stop, O_CLOEXEC) != 0) {
        error = QString::fromUtf8(std::strerror(errno));
        return false;
    }
    m_thread = std::thread([this] { run(); });
    return true;
}

QList<JournalReceiver::Datagram> JournalReceiver::received() const
{
    QMutexLocker lock(&m_mutex);
    return m_received;
}

void JournalReceiver::run()
{
    // Beyond any datagram the sender lets through (its send buffer is at most
    // 16 MiB); larger entries come as a memfd.
    QByteArray buffer(17 * 1024 * 1024, Qt::Uninitialized);
    for (;;) {
        pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_stop[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR)
            return;
        if (fds[1].revents)
            return;
        if (!(fds[0].revents & POLLIN))
            continue;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
        iovec iov = {buffer.data(), size_t(buffer.size())};
        msghdr msg = {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(m_fd, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0)
            continue;
        Datagram d;
        d.bytes = buffer.first(n);
        for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
            struct stat st = {};
            if (::fstat(fd, &st) == 0) {
                d.viaMemfd = true;
                const int seals = ::fcntl(fd, F_GET_SEALS);
                d.sealed = seals >= 0 && (seals & F_SEAL_WRITE) && (seals & F_SEAL_SHRINK) && (seals & F_SEAL_GROW);
                d.bytes.resize(st.st_size);
                qsizetype done = 0;
                while (done < d.bytes.size()) {
                    const ssize_t r = ::pread(fd, d.bytes.data() + done, size_t(d.bytes.size() - done), done);
                    if (r <= 0)
                        break;
                    done += r;
                }
                d.bytes.truncate(done);
            }
            ::close(fd);
        }
        QMutexLocker lock(&m_mutex);
        m_received.append(std::move(d));
    }
}

} // namespace sanayicin::test
