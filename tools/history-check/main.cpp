// history-check FILE...: reads operation histories (sanayicin-loadgen
// --history, fault markers of bench/faults.sh) and checks them against the
// guarantees of docs/protocol.md. Exit 0: they hold; 1: a violation (or an
// incomplete history); 2: a file could not be read.
#include "history_checker.h"
#include "history_reader.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

using namespace sanayicin::historycheck;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList files = app.arguments().mid(1);
    if (files.isEmpty() || files.contains(QStringLiteral("--help")) || files.contains(QStringLiteral("-h"))) {
        std::fputs("usage: history-check FILE...\n"
                   "  Checks operation histories (sanayicin-loadgen --history, fault markers)\n"
                   "  against the delivery guarantees. Exit 0: they hold; 1: a violation;\n"
                   "  2: a file could not be read.\n",
                   files.isEmpty() ? stderr : stdout);
        return files.isEmpty() ? 2 : 0;
    }
    HistoryChecker checker;
    qint64 lines = 0;
    for (const QString &f : std::as_const(files)) {
        QString error;
        qint64 n = 0;
        if (!readHistoryFile(f, [&](const Event &e) { checker.add(e); }, error, &n)) {
            std::fprintf(stderr, "history-check: %s\n", qPrintable(error));
            return 2;
        }
        lines += n;
    }
    const Verdict v = checker.finish();
    std::printf("history-check: %lld lines in %lld file(s)\n%s", static_cast<long long>(lines),
                static_cast<long long>(files.size()), qPrintable(v.text()));
    return v.ok() ? 0 : 1;
}
