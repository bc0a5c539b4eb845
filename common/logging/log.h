#pragma once

#include <QLoggingCategory>
#include <QString>

// One category per area, so that ops can turn areas up or down with
// QT_LOGGING_RULES or --log-level without rebuilding.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcWs)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcWriter)
Q_DECLARE_LOGGING_CATEGORY(lcDelivery)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcBridge)
Q_DECLARE_LOGGING_CATEGORY(lcJobs)

namespace sanayicin {

// Sets the message pattern (time, level, category) used by every program.
void installLogFormat();

// Drops messages a library writes that are expected in normal operation
// (e.g. QtHttpServer's warning for every upgrade our native WebSocket takes
// over: see server/http/http_server.cpp). Installed with installLogFormat().
void muteExpectedLibraryMessages();

// "debug", "info", "warning" or "error": the least severe level shown for the
// sanayicin.* categories. Returns false for an unknown level.
bool applyLogLevel(const QString &level);

} // namespace sanayicin
