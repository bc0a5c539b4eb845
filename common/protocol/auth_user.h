#pragma once

#include "protocol/objects.h"

#include <QByteArray>

namespace sanayicin {

// Who a request or connection speaks for once its token checked out: the
// user, the hash of the token it came with (what logout and revocation name)
// and when that session ends. Here, not in auth/, because the chat layer's
// callers (both transports) carry it and must not see auth/.
struct AuthUser
{
    User user;
    QByteArray tokenHash;
    qint64 expiresAtMs = 0;
};

} // namespace sanayicin
