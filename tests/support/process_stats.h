#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace sanayicin::test {

// A "Vm...:" line of /proc/PID/status in KiB (VmRSS now, VmHWM its peak);
// -1 when the process or the line is gone.
qint64 statusKiB(qint64 pid, const QByteArray &field);
inline qint64 rssKiB(qint64 pid) { return statusKiB(pid, "VmRSS"); }
// CPU time (user + system) of the process so far, in clock ticks.
qint64 cpuTicks(qint64 pid);

} // namespace sanayicin::test
