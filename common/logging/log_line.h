#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <QtGlobal>
#include <optional>

namespace sanayicin {

// How each log line is written to standard error (--log-format).
enum class LogFormat {
    Text,    // "2026-12-03T17:00:00.123 warning sanayicin.app: ..." for a terminal
    Journal, // "<4>warning sanayicin.app: ..." on every line: journald's priority
    Json,    // one JSON object per line, for Loki or ELK
};

// "text", "journal" or "json"; "auto" is `stderrIsJournal` ? Journal : Text.
// nullopt for anything else.
std::optional<LogFormat> parseLogFormat(QStringView name, bool stderrIsJournal);

// True when JOURNAL_STREAM ("DEVICE:INODE", set by systemd for a service
// whose output goes to the journal) names the device and inode of `fd`: the
// variable alone is inherited by children whose stderr went elsewhere.
bool fdIsJournalStream(int fd, QByteArrayView journalStream);

// syslog priority of a Qt message type: debug 7, info 6, warning 4,
// critical 3 (err), fatal 2 (crit).
int syslogPriority(QtMsgType type);
// "debug", "info", "warning", "error", "fatal".
const char *levelName(QtMsgType type);

// What one log line needs; file and line only where Qt knows them.
struct LogRecord
{
    QtMsgType type = QtInfoMsg;
    const char *category = nullptr; // null: "default"
    QStringView message;
    qint64 msSinceEpoch = 0;
    QByteArrayView instance; // UTF-8; empty: left out
    const char *file = nullptr;
    int line = 0;
    const char *function = nullptr; // where Qt knows it; the journal's CODE_FUNC
};

// Appends `record` as `format` to `out`, ending in '\n'. Text keeps the
// message as it is; Journal repeats the priority prefix on each line of a
// message that holds newlines (journald reads every line as an entry of its
// own); Json escapes everything, so one object is always one line.
void appendLogLine(QByteArray &out, LogFormat format, const LogRecord &record);

} // namespace sanayicin
