#include "thread_exit.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <mutex>
#include <unistd.h>

namespace sanayicin {

namespace {

// A thread as the kernel knows it: its id, and when it started (an id can
// be reused once its thread is gone; the pair cannot).
struct Task
{
    qint64 tid = 0;
    QByteArray started;
};

std::mutex g_markedMutex;
QList<Task> g_marked;

QString taskPath(qint64 tid)
{
    return QStringLiteral("/proc/self/task/%1").arg(tid);
}

// Field 22 of /proc/.../stat, counted after the name in parentheses (which
// may itself hold spaces and parentheses); empty when the thread is gone.
QByteArray startTimeOf(qint64 tid)
{
    QFile stat(taskPath(tid) + QStringLiteral("/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    const qsizetype nameEnd = line.lastIndexOf(')');
    if (nameEnd < 0)
        return {};
    const QList<QByteArray> fields = line.mid(nameEnd + 2).split(' ');
    constexpr int kStartTime = 22 - 3; // fields 1 and 2 are before, 3 is the first here
    return fields.size() > kStartTime ? fields[kStartTime] : QByteArray();
}

QList<Task> stillThere(const QList<Task> &tasks)
{
    QList<Task> left;
    for (const Task &t : tasks)
        if (!t.started.isEmpty() && startTimeOf(t.tid) == t.started)
            left << t;
    return left;
}

QStringList waitFor(QList<Task> tasks, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    tasks = stillThere(tasks);
    while (!tasks.isEmpty() && !deadline.hasExpired()) {
        QThread::usleep(500);
        tasks = stillThere(tasks);
    }
    QStringList names;
    for (const Task &t : std::as_const(tasks)) {
        QFile comm(taskPath(t.tid) + QStringLiteral("/comm"));
        if (comm.open(QIODevice::ReadOnly)) // else it exited just now
            names << QString::fromUtf8(comm.readAll()).trimmed();
    }
    return names;
}

} // namespace

void waitForThisThreadAtExit()
{
    thread_local bool marked = false;
    if (marked)
        return;
    marked = true;
    const qint64 tid = ::gettid();
    Task task{tid, startTimeOf(tid)};
    std::lock_guard lock(g_markedMutex);
    g_marked.append(task);
}

QStringList waitForMarkedThreadsToExit(int timeoutMs)
{
    QList<Task> marked;
    {
        std::lock_guard lock(g_markedMutex);
        marked = g_marked;
    }
    return waitFor(marked, timeoutMs);
}

} // namespace sanayicin
