#include "daemon_status.h"

#include "delivery/delivery_service.h"
#include "readiness_probe.h"

namespace sanayicin {

bool DaemonStatus::hasRedis() const
{
    return m_delivery.hasBridge();
}

bool DaemonStatus::redisUp() const
{
    return m_delivery.bridgeUp();
}

void DaemonStatus::checkDatabase(QObject *context, std::function<void(bool up)> done)
{
    m_readiness.check(context, std::move(done));
}

} // namespace sanayicin
