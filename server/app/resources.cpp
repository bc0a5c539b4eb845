#include "resources.h"

#include <QtCore/qresource.h>

void initSanayicinResources()
{
    Q_INIT_RESOURCE(sql);
    Q_INIT_RESOURCE(web);
    Q_INIT_RESOURCE(redis);
}
