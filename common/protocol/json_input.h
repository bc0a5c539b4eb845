#pragma once

#include <QByteArrayView>
#include <QJsonDocument>
#include <QString>
#include <optional>

namespace sanayicin {

// How deeply arrays and objects may nest in what clients send; frames and
// bodies need three levels at most.
inline constexpr int kClientJsonMaxDepth = 64;

// Reads a JSON text a client sent (a WebSocket frame or an HTTP body).
// Accepts exactly RFC 8259 JSON (checkJsonSyntax: no raw control characters
// in strings, no unknown escapes, no lone surrogate escapes), with no
// duplicate keys in any object (I-JSON, RFC 7493: two readers must not see
// different values) and at most kClientJsonMaxDepth levels. On failure
// returns nullopt and sets `error` to a reason for a person. A valid text
// that is a scalar gives an empty document (neither object nor array).
//
// Qt's parser also drops a byte order mark (U+FEFF as raw UTF-8) that
// begins a string value, which would change a message body; raw marks in
// strings are escaped first, so every string arrives as sent. A mark that
// opens the document is skipped, as RFC 8259 allows.
std::optional<QJsonDocument> parseClientJson(QByteArrayView utf8, QString &error);

} // namespace sanayicin
