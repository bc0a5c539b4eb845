#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <functional>

namespace sanayicin {

// argon2id (Debian's libargon2) on its own thread pool, never on a network
// thread: one hash costs tens of milliseconds by design.
class PasswordHasher
{
public:
    PasswordHasher(quint32 memoryKiB, quint32 iterations, int threads);

    // Blocking; call from a pool thread (or a command-line tool).
    QString hash(const QString &password) const;
    bool verify(const QString &encoded, const QString &password) const;
    // Spends the same time as a real verify, for unknown users, so that the
    // answer's timing does not tell which usernames exist.
    void verifyDummy(const QString &password) const;

    void run(std::function<void()> work);

private:
    quint32 m_memoryKiB;
    quint32 m_iterations;
    QString m_dummyHash;
    QThreadPool m_pool;
};

} // namespace sanayicin
