#include "log.h"

#include "journal_fields.h"
#include "journal_socket.h"
#include "log_line.h"
#include "time/clock.h"

#include <QMutex>
#include <atomic>
#include <cerrno>
#include <memory>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcApp, "sanayicin.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "sanayicin.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWs, "sanayicin.ws", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "sanayicin.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWriter, "sanayicin.writer", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDelivery, "sanayicin.delivery", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "sanayicin.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBridge, "sanayicin.bridge", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "sanayicin.jobs", QtInfoMsg)

namespace sanayicin {

namespace {

// Set before the threads start (installLogFormat, setLogFormat), read by
// every thread that logs after.
std::atomic<LogFormat> g_format{LogFormat::Text};
QByteArray g_instance;
QBasicMutex g_writeMutex;
// The journal's native socket, when the format is Journal and stderr is the
// journal's stream: structured fields instead of priority prefixes.
std::unique_ptr<JournalSocket> g_journal;

void chooseJournalSocket(LogFormat format)
{
    g_journal.reset();
    if (format != LogFormat::Journal || !stderrIsJournal())
        return;
    const QByteArray path = qEnvironmentVariableIsSet("SANAYICIN_JOURNAL_SOCKET")
                                ? qgetenv("SANAYICIN_JOURNAL_SOCKET")
                                : QByteArray(JournalSocket::kDefaultPath);
    g_journal = JournalSocket::open(path);
}

bool isExpectedLibraryMessage(QtMsgType type, const QMessageLogContext &context,
                              const QString &message)
{
    // QtHttpServer 6.4 warns for every WebSocket upgrade nobody connected its
    // signal for; with the native WebSocket that is every connection, by
    // design, and a storm would flood the journal.
    return type == QtWarningMsg && context.category
           && qstrcmp(context.category, "qt.httpserver") == 0
           && message.startsWith(u"WebSocket received but no slots connected");
}

// The whole line in one write(): lines of different threads never mix, and
// a pipe or the journal's stream gets each line whole.
void writeLine(const QByteArray &line)
{
    QMutexLocker lock(&g_writeMutex);
    const char *p = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // nowhere to say it
        p += n;
        left -= n;
    }
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (isExpectedLibraryMessage(type, context, message))
        return;
    LogRecord r;
    r.type = type;
    r.category = context.category;
    r.message = message;
    r.msSinceEpoch = nowMs();
    r.instance = g_instance;
    r.file = context.file;
    r.line = context.line;
    r.function = context.function;
    const LogFormat format = g_format.load(std::memory_order_relaxed);
    if (format == LogFormat::Journal && g_journal) {
        QByteArray entry;
        entry.reserve(256 + message.size() * 2);
        appendJournalEntry(entry, r, program_invocation_short_name);
        if (g_journal->send(entry))
            return;
        // journald gone or restarting: this line goes to stderr as before.
    }
    QByteArray line;
    line.reserve(128 + message.size() * 2);
    appendLogLine(line, format, r);
    writeLine(line);
}

} // namespace

bool stderrIsJournal()
{
    return fdIsJournalStream(STDERR_FILENO, qgetenv("JOURNAL_STREAM"));
}

void installLogFormat()
{
    g_format = stderrIsJournal() ? LogFormat::Journal : LogFormat::Text;
    chooseJournalSocket(g_format);
    qInstallMessageHandler(handler);
}

void setLogFormat(LogFormat format, const QString &instance)
{
    g_format = format;
    g_instance = instance.toUtf8();
    chooseJournalSocket(format);
}

bool applyLogLevel(const QString &level)
{
    QString rules;
    if (level == u"debug")
        rules = QStringLiteral("sanayicin.*.debug=true");
    else if (level == u"info")
        rules = QStringLiteral("sanayicin.*.debug=false\nsanayicin.*.info=true");
    else if (level == u"warning")
        rules = QStringLiteral("sanayicin.*.debug=false\nsanayicin.*.info=false");
    else if (level == u"error")
        rules = QStringLiteral(
            "sanayicin.*.debug=false\nsanayicin.*.info=false\nsanayicin.*.warning=false");
    else
        return false;
    QLoggingCategory::setFilterRules(rules);
    return true;
}

} // namespace sanayicin
