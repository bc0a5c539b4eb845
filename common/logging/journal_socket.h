#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <memory>

namespace sanayicin {

// The journal's native socket (/run/systemd/journal/socket): each entry one
// datagram (journal_fields.h). An entry larger than a datagram may be goes
// as journald takes it then: written to a sealed memfd whose descriptor is
// passed in an empty datagram (SCM_RIGHTS).
class JournalSocket
{
public:
    static constexpr const char *kDefaultPath = "/run/systemd/journal/socket";

    // Null when `path` is not a socket (no journald here) or no socket can
    // be made.
    static std::unique_ptr<JournalSocket> open(const QByteArray &path);
    ~JournalSocket();
    JournalSocket(const JournalSocket &) = delete;
    JournalSocket &operator=(const JournalSocket &) = delete;

    // Thread-safe (one datagram per call). False when the journal did not
    // take it (journald gone or restarting): the caller writes the line
    // elsewhere.
    bool send(QByteArrayView entry) const;

private:
    JournalSocket(int fd, QByteArray path) : m_fd(fd), m_path(std::move(path)) {}
    bool sendAsMemfd(QByteArrayView entry) const;
    int m_fd = -1;
    QByteArray m_path;
};

} // namespace sanayicin
