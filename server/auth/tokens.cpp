#include "tokens.h"

#include "protocol/limits.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace sanayicin {

QString generateToken()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray raw(reinterpret_cast<const char *>(words), sizeof words);
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray hashToken(QStringView token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex();
}

QString bearerToken(const QByteArray &header)
{
    const QByteArray h = header.trimmed();
    if (h.size() < 8 || qstrnicmp(h.constData(), "bearer ", 7) != 0)
        return {};
    const QByteArray token = h.mid(7).trimmed();
    if (token.isEmpty() || token.size() > protocol::kTokenMaxLength)
        return {};
    return QString::fromLatin1(token);
}

} // namespace sanayicin
