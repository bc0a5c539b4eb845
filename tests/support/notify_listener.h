#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace sanayicin::test {

// systemd's side of sd_notify for a test: a datagram socket the daemon is
// pointed at with NOTIFY_SOCKET. Every datagram is kept with the time it
// came and the sender's pid (SCM_CREDENTIALS, as systemd checks it for
// NotifyAccess=main). Reads on the event loop (QTRY_* turns it).
class NotifyListener : public QObject
{
public:
    struct Datagram
    {
        qint64 atMs = 0; // monotonicMs() when it was read
        qint64 pid = 0;
        QByteArray text;
        bool has(QByteArrayView line) const;
        QByteArray value(QByteArrayView key) const; // "STATUS" -> what follows "STATUS="
    };

    ~NotifyListener() override;
    static qint64 monotonicMs(); // the clock of Datagram::atMs
    // A socket in a temporary folder, or an abstract one ("@..."): the value
    // for NOTIFY_SOCKET is address().
    bool open(bool abstract, QString &error);
    QString address() const { return m_address; }

    const QList<Datagram> &received(); // reads what is waiting first
    // Datagrams holding `line` (e.g. "WATCHDOG=1"), in order.
    QList<Datagram> with(QByteArrayView line);
    int count(QByteArrayView line) { return int(with(line).size()); }

private:
    void readAll();
    int m_fd = -1;
    QTemporaryDir m_dir;
    QString m_address;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QList<Datagram> m_received;
};

} // namespace sanayicin::test
