#include "batched_lookup.h"

#include "pg_arrays.h"

namespace sanayicin {

QByteArray idListParameter(Dialect dialect, const std::vector<qint64> &ids)
{
    QByteArray list = pgIntArray(ids);
    if (dialect == Dialect::Sqlite) {
        list[0] = '[';
        list[list.size() - 1] = ']';
    }
    return list;
}

} // namespace sanayicin
