#include "webhook_signature.h"

#include <QMessageAuthenticationCode>

namespace sanayicin::notify {

QByteArray webhookSignature(QByteArrayView secret, qint64 timestampSeconds, QByteArrayView body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret.toByteArray());
    mac.addData(QByteArray::number(timestampSeconds));
    mac.addData(".", 1);
    mac.addData(body.data(), body.size());
    return QByteArrayLiteral("v1=") + mac.result().toHex();
}

} // namespace sanayicin::notify
