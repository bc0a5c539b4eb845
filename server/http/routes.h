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
void addOperationsRoutes(Router &router);
void addWebRoutes(Router &router);

inline void addAllRoutes(Router &router)
{
    addAccountRoutes(router);
    addDirectoryRoutes(router);
    addConversationRoutes(router);
    addMessageRoutes(router);
    addAdminRoutes(router);
    addAdminListingRoutes(router);
    addOperationsRoutes(router);
    addWebRoutes(router);
}

} // namespace sanayicin
