#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonDocument>

namespace sanayicin {

// QJsonDocument::fromJson for what clients send. Qt's parser drops a byte
// order mark (U+FEFF as raw UTF-8) that begins a string value, which
// changes a message body and turns a body of only U+FEFF into an empty
// one. Raw marks after the first byte are escaped first, so every string
// arrives as sent; one that opens the document is still skipped, as
// RFC 8259 allows.
QJsonDocument parseClientJson(QByteArrayView utf8, QJsonParseError *error);

} // namespace sanayicin
