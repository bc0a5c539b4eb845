#pragma once

#include "threading/reply_to.h"

#include <QMutex>
#include <QObject>
#include <functional>
#include <vector>

namespace sanayicin {

class Counter;
class DbPool;

// /readyz's database check, shared by every network thread: at most one
// ping per interval whatever the request rate; requests in between get the
// last answer, and requests that come while a ping runs wait for it.
class ReadinessProbe
{
public:
    using Done = std::function<void(bool databaseUp)>;

    // `pings` counts the database pings.
    ReadinessProbe(DbPool &readers, int intervalMs, int timeoutMs, Counter &pings);

    // On `context`'s thread; `done` runs there (at once when the answer is
    // fresh), through its mailbox, and only while `context` lives.
    void check(QObject *context, Done done);
    // The last answer, without asking (true before the first; false while a
    // ping hangs past the timeout): for the instance's state in its summary.
    bool databaseUp() const;

private:
    void finish(bool up);

    DbPool &m_readers;
    const qint64 m_intervalNs;
    const qint64 m_timeoutNs;
    mutable QMutex m_mutex;
    bool m_haveAnswer = false;
    bool m_up = false;
    qint64 m_answeredNs = 0;
    bool m_running = false;
    qint64 m_startedNs = 0;
    Counter &m_pings;
    std::vector<std::pair<ReplyTo, Done>> m_waiting;
};

} // namespace sanayicin
