#pragma once

#include <QStringList>

namespace sanayicin {

// Qt starts its threads detached: QThread::wait() returns once run() and
// Qt's own finishing are done, while the thread itself still runs its
// thread-local destructors (ours, Qt's, the sanitizers') and exits. A
// process that goes on to destroy its statics and return from main() can
// overtake such a thread. Our threads say so when they start, and main()
// waits for them to be gone, after every one has been waited for. (Threads
// of Qt's own, such as the host-name look-up pool that idles for 30 s,
// are not waited for.)

// Called first thing on each thread of ours; cheap on a repeat.
void waitForThisThreadAtExit();

// Waits until none of the threads that called waitForThisThreadAtExit()
// exists any more, or at most `timeoutMs`; returns the names of those
// still there (empty: all gone).
QStringList waitForMarkedThreadsToExit(int timeoutMs);

} // namespace sanayicin
