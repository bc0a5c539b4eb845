#pragma once

#include <QByteArray>
#include <QString>

namespace sanayicin {

// 256 random bits from the system's CSPRNG, base64url without padding.
QString generateToken();
// What the database stores: the SHA-256 of the token, in hex.
QByteArray hashToken(QStringView token);
// The token of an "Authorization: Bearer <token>" header, or empty.
QString bearerToken(const QByteArray &authorizationHeader);

} // namespace sanayicin
