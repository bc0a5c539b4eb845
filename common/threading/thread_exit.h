#pragma once

#include <QList>
#include <QStringList>

namespace sanayicin {

// Qt starts its threads detached: QThread::wait() returns once run() and
// Qt's own finishing are done, while the thread itself still runs its
// thread-local destructors (ours, Qt's, the sanitizers') and exits. A
// process that goes on to destroy its statics and return from main() can
// overtake such a thread. Waiting for them, after every QThread has been
// waited for, closes that window.

// The kernel ids of this process's threads other than the calling one.
QList<qint64> otherThreads();

// Waits until none of `threads` exists any more, or at most `timeoutMs`;
// returns the names of those still there (empty: all gone).
QStringList waitForThreadsToExit(const QList<qint64> &threads, int timeoutMs);

} // namespace sanayicin
