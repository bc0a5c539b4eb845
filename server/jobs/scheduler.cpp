#include "scheduler.h"

#include "logging/log.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <algorithm>

namespace sanayicin::jobs {

const QString Scheduler::kLease = QStringLiteral("scheduler");

Scheduler::Scheduler(JobQueue &queue, QString holder, qint64 leaseMs, QList<Periodic> periodic,
                     QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_holder(std::move(holder))
    , m_leaseMs(leaseMs)
    , m_periodic(std::move(periodic))
{
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::tick);
}

void Scheduler::start()
{
    // Renew the lease every third of its life, and look at the periods at
    // least once a second.
    m_timer.start(int(std::clamp<qint64>(m_leaseMs / 3, 50, 1000)));
    tick();
}

void Scheduler::tick()
{
    if (m_asking)
        return;
    m_asking = true;
    m_queue.lease(kLease, m_holder, m_leaseMs, false,
                  [this, guard = QPointer<QObject>(this)](std::optional<bool> held) {
                      if (!guard)
                          return;
                      m_asking = false;
                      const bool leading = held.value_or(false);
                      if (leading != m_leading)
                          qCInfo(lcJobs).noquote()
                              << "scheduler" << m_holder
                              << (leading ? "is now the active scheduler" : "is no longer active");
                      if (!held)
                          qCWarning(lcJobs) << "scheduler: the queue does not answer";
                      m_leading = leading;
                      if (m_leading)
                          schedule(nowMs());
                  });
}

void Scheduler::schedule(qint64 now)
{
    for (const Periodic &p : std::as_const(m_periodic)) {
        const qint64 slot = now / p.periodMs;
        if (m_lastSlot.value(p.type, -1) >= slot)
            continue;
        JobSpec spec;
        spec.queue = p.queue;
        spec.type = p.type;
        // Who scheduled which slot: for the log and the tests' checks.
        spec.payload = QJsonDocument(QJsonObject{{QStringLiteral("slot"), slot},
                                                 {QStringLiteral("scheduler"), m_holder}})
                           .toJson(QJsonDocument::Compact);
        spec.dedupeKey = p.type + QLatin1Char(':') + QString::number(slot);
        m_queue.enqueueScheduled(
            spec, kLease, m_holder, p.type, slot,
            [this, type = p.type, slot, guard = QPointer<QObject>(this)](std::optional<bool> in) {
                if (!guard || !in)
                    return; // asked again at the next tick
                m_lastSlot.insert(type, std::max(slot, m_lastSlot.value(type, -1)));
                if (*in)
                    qCInfo(lcJobs).noquote() << "scheduled" << type << "slot" << slot;
            });
    }
}

void Scheduler::stop(std::function<void()> stopped)
{
    m_timer.stop();
    if (!m_leading) {
        stopped();
        return;
    }
    m_leading = false;
    m_queue.lease(kLease, m_holder, m_leaseMs, true, [stopped](std::optional<bool>) { stopped(); });
}

} // namespace sanayicin::jobs
