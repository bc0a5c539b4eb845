#pragma once

#include "http/operations_status.h"

#include <atomic>

namespace sanayicin {

class DeliveryService;
class ReadinessProbe;

// The daemon's side of http/'s OperationsStatus: draining from the daemon,
// the bridge's state from the delivery service, the database from the
// shared readiness probe.
class DaemonStatus final : public OperationsStatus
{
public:
    DaemonStatus(const std::atomic<bool> &draining, DeliveryService &delivery,
                 ReadinessProbe &readiness)
        : m_draining(draining), m_delivery(delivery), m_readiness(readiness)
    {}

    bool draining() const override { return m_draining.load(); }
    bool hasRedis() const override;
    bool redisUp() const override;
    void checkDatabase(QObject *context, std::function<void(bool up)> done) override;

private:
    const std::atomic<bool> &m_draining;
    DeliveryService &m_delivery;
    ReadinessProbe &m_readiness;
};

} // namespace sanayicin
