#pragma once

namespace sanayicin {

class Router;

// Each adds its area's routes (one file per area).
void addAccountRoutes(Router &router);
void addDirectoryRoutes(Router &router);
void addConversationRoutes(Router &router);
void addMessageRoutes(Router &router);
void addAdminRoutes(Router &router);
void addAdminListingRoutes(Router &router);
void addModerationRoutes(Router &router);
// /healthz, /readyz and, unless the operations listener serves it, /metrics.
void addOperationsRoutes(Router &router, bool withMetrics = true);
void addWebRoutes(Router &router);

// The public listener's routes.
inline void addAllRoutes(Router &router, bool withMetrics = true)
{
    addAccountRoutes(router);
    addDirectoryRoutes(router);
    addConversationRoutes(router);
    addMessageRoutes(router);
    addAdminRoutes(router);
    addAdminListingRoutes(router);
    addModerationRoutes(router);
    addOperationsRoutes(router, withMetrics);
    addWebRoutes(router);
}

} // namespace sanayicin
