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

enum class LogFormat;

// Installs the daemon's message handler: one line per message on standard
// error, written at once, in journald's format (priority prefixes) when
// stderr is the journal and as text otherwise, until setLogFormat(). In the
// journal format with stderr the journal's stream, each message goes to the
// journal's native socket instead, as fields (journal_fields.h), when that
// socket exists (SANAYICIN_JOURNAL_SOCKET, else /run/systemd/journal/socket);
// a message the socket does not take goes to stderr with its prefix. It
// drops messages a library writes that are expected in normal operation
// (QtHttpServer's warning for every upgrade our native WebSocket takes over:
// see server/http/http_server.cpp).
void installLogFormat();

// From the configuration (--log-format, --instance-id): the format of every
// line from now on and the instance named in JSON lines. Call once, before
// other threads log.
void setLogFormat(LogFormat format, const QString &instance);

// True when standard error is the journal's stream (JOURNAL_STREAM).
bool stderrIsJournal();

// "debug", "info", "warning" or "error": the least severe level shown for the
// sanayicin.* categories. Returns false for an unknown level.
bool applyLogLevel(const QString &level);

} // namespace sanayicin
