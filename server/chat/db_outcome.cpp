#include "db_outcome.h"

#include "logging/log.h"

namespace sanayicin::chat {

ApiError databaseError(const DbError &error, const char *what)
{
    qCWarning(lcApp).noquote() << what << "database error:" << error.what();
    if (error.kind() == DbError::Kind::Connection)
        return ApiError::unavailable(QStringLiteral("the database is unavailable; try again"));
    return ApiError::internal();
}

} // namespace sanayicin::chat
