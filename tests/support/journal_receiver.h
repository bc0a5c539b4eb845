#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMutex>
#include <QString>
#include <QTemporaryDir>
#include <atomic>
#include <optional>
#include <thread>
#include <utility>

namespace sanayicin::test {

// One journal entry as journald reads the native protocol: fields in order,
// each NAME=value\n or NAME\n<64-bit little-endian length><value>\n.
struct JournalEntry
{
    QList<std::pair<QByteArray, QByteArray>> fields;
    QByteArray value(QByteArrayView name) const; // the first such field's
    int count(QByteArrayView name) const;
};

// Strict: nullopt for a name journald refuses, a missing '\n' or '=', or a
// length or value cut short. Empty input: an entry with no fields.
std::optional<JournalEntry> parseJournalEntry(QByteArrayView data);

// journald's side of the native socket for a test: a datagram socket in a
// temporary folder whose path the daemon gets (SANAYICIN_JOURNAL_SOCKET),
// read on a thread of its own from open() until destruction, so that a
// sender never blocks on a full queue (net.unix.max_dgram_qlen is 10) while
// the test waits for something else. A datagram carrying a descriptor
// (SCM_RIGHTS, an entry too large for a datagram) is read from that memfd.
class JournalReceiver
{
public:
    struct Datagram
    {
        QByteArray bytes;
        bool viaMemfd = false;
        bool sealed = false; // the memfd could no longer be written or resized
    };

    ~JournalReceiver();
    bool open(QString &error);
    QString path() const { return m_path; }
    QList<Datagram> received() const;

private:
    void run();
    int m_fd = -1;
    int m_stop[2] = {-1, -1};
    QTemporaryDir m_dir;
    QString m_path;
    std::thread m_thread;
    mutable QMutex m_mutex;
    QList<Datagram> m_received;
};

} // namespace sanayicin::test
