#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace sanayicin::notify {

// The headers of a webhook POST (docs/operations.md, "Webhook
// notifications", says how a receiver checks them).
inline constexpr char kTimestampHeader[] = "X-Sanayicin-Timestamp"; // Unix seconds
inline constexpr char kSignatureHeader[] = "X-Sanayicin-Signature"; // "v1=" + hex
inline constexpr char kDeliveryHeader[] = "X-Sanayicin-Delivery";   // the job's id

// "v1=" followed by the lower-case hex HMAC-SHA256, keyed with `secret`, of
// the timestamp's decimal digits, a ".", and the body's exact bytes.
QByteArray webhookSignature(QByteArrayView secret, qint64 timestampSeconds, QByteArrayView body);

} // namespace sanayicin::notify
