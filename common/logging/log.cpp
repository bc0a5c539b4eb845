#include "log.h"

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

void installLogFormat()
{
    // systemd's journal adds its own time stamp; a terminal reader wants one.
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddThh:mm:ss.zzz} "
        "%{if-debug}debug%{endif}%{if-info}info%{endif}%{if-warning}warning%{endif}"
        "%{if-critical}error%{endif}%{if-fatal}fatal%{endif} %{category}: %{message}"));
}

namespace {

QtMessageHandler g_previousHandler = nullptr;

void filteringHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // QtHttpServer 6.4 warns for every WebSocket upgrade nobody connected its
    // signal for; with the native WebSocket that is every connection, by
    // design, and a storm would flood the journal.
    if (type == QtWarningMsg && context.category && qstrcmp(context.category, "qt.httpserver") == 0
        && message.startsWith(u"WebSocket received but no slots connected"))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

void muteExpectedLibraryMessages()
{
    if (!g_previousHandler)
        g_previousHandler = qInstallMessageHandler(filteringHandler);
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
