#include "log_line.h"

#include "json/json_writer.h"
#include "time/rfc3339.h"

#include <cstdio>
#include <ctime>
#include <sys/stat.h>

namespace sanayicin {

std::optional<LogFormat> parseLogFormat(QStringView name, bool stderrIsJournal)
{
    if (name == u"auto")
        return stderrIsJournal ? LogFormat::Journal : LogFormat::Text;
    if (name == u"text")
        return LogFormat::Text;
    if (name == u"journal")
        return LogFormat::Journal;
    if (name == u"json")
        return LogFormat::Json;
    return std::nullopt;
}

namespace {

// Decimal digits only (toULongLong alone takes spaces and signs), in range.
std::optional<qulonglong> decimalNumber(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    for (const char c : text)
        if (c < '0' || c > '9')
            return std::nullopt;
    bool ok = false;
    const qulonglong n = text.toULongLong(&ok, 10);
    return ok ? std::optional(n) : std::nullopt;
}

} // namespace

bool fdIsJournalStream(int fd, QByteArrayView journalStream)
{
    const qsizetype colon = journalStream.indexOf(':');
    if (colon < 0)
        return false;
    const auto device = decimalNumber(journalStream.first(colon));
    const auto inode = decimalNumber(journalStream.sliced(colon + 1));
    struct stat st = {};
    if (!device || !inode || ::fstat(fd, &st) != 0)
        return false;
    return qulonglong(st.st_dev) == *device && qulonglong(st.st_ino) == *inode;
}

int syslogPriority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return 7;
    case QtInfoMsg: return 6;
    case QtWarningMsg: return 4;
    case QtCriticalMsg: return 3;
    case QtFatalMsg: return 2;
    }
    return 6;
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

namespace {

// Local time as the terminal reader expects it, without a zone (as the
// format has always been): yyyy-MM-ddThh:mm:ss.zzz.
void appendLocalTime(QByteArray &out, qint64 ms)
{
    const time_t seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    const int millis = int(ms - qint64(seconds) * 1000);
    struct tm t = {};
    if (!::localtime_r(&seconds, &t)) {
        out += formatRfc3339Ms(ms);
        return;
    }
    char buf[40];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
                                t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
                                t.tm_sec, millis);
    out.append(buf, qsizetype(qMin<int>(n, int(sizeof buf) - 1)));
}

void appendPrefix(QByteArray &out, int priority)
{
    out += '<';
    out += char('0' + priority);
    out += '>';
}

void appendJson(QByteArray &out, const LogRecord &r)
{
    JsonWriter w(out);
    w.beginObject().key("time").utf8(formatRfc3339Ms(r.msSinceEpoch));
    w.key("level").utf8(levelName(r.type));
    w.key("priority").value(syslogPriority(r.type));
    w.key("category").utf8(r.category ? r.category : "default");
    if (!r.instance.isEmpty())
        w.key("instance").utf8(r.instance);
    w.field("message", r.message);
    if (r.file && *r.file) {
        w.key("file").utf8(r.file);
        w.field("line", r.line);
    }
    w.endObject();
    out += '\n';
}

} // namespace

void appendLogLine(QByteArray &out, LogFormat format, const LogRecord &r)
{
    if (format == LogFormat::Json) {
        appendJson(out, r);
        return;
    }
    const int priority = syslogPriority(r.type);
    if (format == LogFormat::Journal) {
        appendPrefix(out, priority); // journald adds its own time stamp
    } else {
        appendLocalTime(out, r.msSinceEpoch);
        out += ' ';
    }
    out += levelName(r.type);
    out += ' ';
    out += r.category ? r.category : "default";
    out += ": ";
    const QByteArray message = r.message.toUtf8();
    if (format == LogFormat::Text) {
        out += message;
    } else {
        // Every line of the message its own entry, each with the priority.
        qsizetype from = 0;
        for (qsizetype nl; (nl = message.indexOf('\n', from)) >= 0; from = nl + 1) {
            out.append(message.constData() + from, nl - from);
            out += '\n';
            appendPrefix(out, priority);
        }
        out.append(message.constData() + from, message.size() - from);
    }
    out += '\n';
}

} // namespace sanayicin
