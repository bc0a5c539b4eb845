#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace sanayicin {

// "2026-11-26T05:39:38.123Z" for a time in milliseconds since the Unix epoch.
// Written by hand because every message carries one and QDateTime is slow.
QByteArray formatRfc3339Ms(qint64 msSinceEpoch);

} // namespace sanayicin
