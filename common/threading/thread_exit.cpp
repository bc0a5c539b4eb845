#include "thread_exit.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QThread>

#include <unistd.h>

namespace sanayicin {

namespace {

QString taskPath(qint64 tid)
{
    return QStringLiteral("/proc/self/task/%1").arg(tid);
}

QList<qint64> stillThere(const QList<qint64> &threads)
{
    QList<qint64> left;
    for (qint64 tid : threads)
        if (QFile::exists(taskPath(tid)))
            left << tid;
    return left;
}

} // namespace

QList<qint64> otherThreads()
{
    const qint64 self = ::gettid();
    QList<qint64> tids;
    const QStringList entries = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries)
        if (const qint64 tid = entry.toLongLong(); tid > 0 && tid != self)
            tids << tid;
    return tids;
}

QStringList waitForThreadsToExit(const QList<qint64> &threads, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QList<qint64> left = stillThere(threads);
    while (!left.isEmpty() && !deadline.hasExpired()) {
        QThread::usleep(500);
        left = stillThere(left);
    }
    QStringList names;
    for (qint64 tid : std::as_const(left)) {
        QFile comm(taskPath(tid) + QStringLiteral("/comm"));
        if (comm.open(QIODevice::ReadOnly)) // else it exited just now
            names << QString::fromUtf8(comm.readAll()).trimmed();
    }
    return names;
}

} // namespace sanayicin
