#pragma once

#include "row_model.h"

namespace sanayicin::console {

// The console's tables: the columns of each, and what identifies a row
// (docs/protocol.md, "Administration").
RowModel *makeInstancesModel(QObject *parent);
RowModel *makeConnectionsModel(QObject *parent);
// The key of a connection's row: the same id may be open on two instances.
QString connectionKey(const QString &instance, qint64 id);
RowModel *makeQueuesModel(QObject *parent);
// The job queues (one row per queue, the same for the whole cluster) and
// one queue's dead letters (keyed by the dead letter's id).
RowModel *makeJobQueuesModel(QObject *parent);
RowModel *makeDeadLettersModel(QObject *parent);
RowModel *makeReportsModel(QObject *parent);
RowModel *makeUsersModel(QObject *parent);
RowModel *makeLogModel(QObject *parent);
// The messages around a reported one.
RowModel *makeContextModel(QObject *parent);

} // namespace sanayicin::console
