// sanayicind: the chat daemon, and its migrate, user, worker and scheduler
// subcommands (app/command_line.h).

#include "app/command_line.h"
#include "logging/log.h"
#include "threading/thread_exit.h"

#include <QCoreApplication>

using namespace sanayicin;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int code = runCommandLine(app, {});
    // Every thread of ours has been waited for, but what is left of them
    // (their thread-locals) may still run: it ends before the statics go
    // (common/threading/thread_exit.h).
    const QStringList stillThere = waitForMarkedThreadsToExit(5000);
    if (!stillThere.isEmpty())
        qCWarning(lcApp).noquote() << "threads still running at exit:" << stillThere.join(QStringLiteral(", "));
    return code;
}
