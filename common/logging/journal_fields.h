#pragma once

#include "log_line.h"

#include <QByteArray>
#include <QByteArrayView>

namespace sanayicin {

// The journal's native protocol (systemd's "Native Journal Protocol"): one
// datagram per entry, one field after another, each either
//   NAME=value\n                          when the value holds no newline, or
//   NAME\n<length: 64-bit little-endian><value>\n   for any bytes at all.
// A name is 1-64 of A-Z, 0-9 and _, not starting with a digit or _ (those are
// the journal's own, trusted fields).
bool isJournalFieldName(QByteArrayView name);

// Appends one field; false (and nothing appended) for a name the journal
// would refuse.
bool appendJournalField(QByteArray &out, QByteArrayView name, QByteArrayView value);

// Appends the fields of one log line: PRIORITY, MESSAGE ("<category>:
// <message>", newlines kept, so a libpq error is one entry),
// SYSLOG_IDENTIFIER, CODE_FILE/CODE_LINE/CODE_FUNC where the build records
// them, SANAYICIN_CATEGORY, and SANAYICIN_INSTANCE when set.
void appendJournalEntry(QByteArray &out, const LogRecord &record, QByteArrayView identifier);

} // namespace sanayicin
