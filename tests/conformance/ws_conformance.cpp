// RFC 6455 conformance of sanayicind's WebSocket transports, modelled on
// Autobahn|Testsuite (categories 1-7, 9, 10; 12 and 13 need
// permessage-deflate, which the daemon does not offer) plus edge cases of
// our own. Starts the daemon itself (SQLite), twice: with the default frame
// limit, and with 16 MiB for category 9.
//
//   ws_conformance [--transport native|qt] [--only REGEX] [--jobs N] [--report FILE]
//
// Prints one line per case and a summary per category; exits non-zero when
// a case fails that is not a known deviation of the transport, or a known
// deviation passes.

#include "case_run.h"
#include "daemon_process.h"
#include "http_client.h"
#include "qt_deviations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QTextStream>
#include <cstdio>

using namespace sanayicin::conformance;
using sanayicin::test::DaemonProcess;
using sanayicin::test::HttpClient;

namespace {

struct Target
{
    DaemonProcess daemon;
    QString token;
};

bool startTarget(Target &t, const QStringList &extra, QString &error)
{
    QStringList args = DaemonProcess::defaultArgs();
    args << extra;
    if (!t.daemon.start(QString(), args, error))
        return false;
    HttpClient http(t.daemon.httpUrl(QString()));
    t.token = http.registerUser(QStringLiteral("conformance")).token;
    if (t.token.isEmpty()) {
        error = QStringLiteral("could not register a user");
        return false;
    }
    return true;
}

// Runs `cases` with at most `jobs` connections at once; returns when all ended.
void runAll(const QList<Case> &cases, quint16 port, const QString &token, int jobs, QList<std::pair<Case, Outcome>> &out)
{
    qsizetype next = 0, running = 0;
    QEventLoop loop;
    std::function<void()> launch = [&] {
        while (running < jobs && next < cases.size()) {
            auto *run = new CaseRun(cases[next++], port, token);
            ++running;
            QObject::connect(run, &CaseRun::finished, run, [&, run] {
                out.push_back({run->testCase(), run->outcome()});
                run->deleteLater();
                --running;
                if (next < cases.size())
                    launch();
                else if (running == 0)
                    loop.quit();
            });
            run->start();
        }
    };
    if (cases.isEmpty())
        return;
    launch();
    loop.exec();
}

QString category(const QString &id)
{
    return id.section(u'.', 0, 0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("RFC 6455 conformance of sanayicind (Autobahn-style)"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("transport"), QStringLiteral("native or qt"), QStringLiteral("KIND"),
                      QStringLiteral("native")});
    parser.addOption({QStringLiteral("only"), QStringLiteral("cases whose id matches"), QStringLiteral("REGEX")});
    parser.addOption({QStringLiteral("jobs"), QStringLiteral("connections at once"), QStringLiteral("N"),
                      QStringLiteral("16")});
    parser.addOption({QStringLiteral("report"), QStringLiteral("write id, sends, expected, verdict, detail as TSV"),
                      QStringLiteral("FILE")});
    parser.process(app);
    const QString transport = parser.value(QStringLiteral("transport"));
    if (transport != u"native" && transport != u"qt") {
        std::fprintf(stderr, "--transport must be native or qt\n");
        return 2;
    }
    QStringList transportArgs;
    if (transport == u"qt")
        transportArgs << QStringLiteral("--websocket") << QStringLiteral("qt") << QStringLiteral("--event-loop")
                      << QStringLiteral("qt");

    const QRegularExpression only(parser.isSet(QStringLiteral("only"))
                                      ? QStringLiteral("^(?:%1)$").arg(parser.value(QStringLiteral("only")))
                                      : QStringLiteral(".*"));
    QList<Case> normal, big;
    for (const Case &c : allCases()) {
        if (!only.match(c.id).hasMatch())
            continue;
        (c.big ? big : normal) << c;
    }

    QElapsedTimer clock;
    clock.start();
    QList<std::pair<Case, Outcome>> results;
    QString error;
    if (!normal.isEmpty()) {
        Target t;
        if (!startTarget(t, transportArgs, error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        runAll(normal, t.daemon.port(), t.token, parser.value(QStringLiteral("jobs")).toInt(), results);
        if (t.daemon.terminate() != 0) {
            std::fprintf(stderr, "the daemon did not exit 0:\n%s\n", t.daemon.log().right(3000).constData());
            return 1;
        }
    }
    if (!big.isEmpty()) {
        Target t;
        if (!startTarget(t,
                         transportArgs << QStringLiteral("--frame-limit") << QString::number(16 << 20)
                                       << QStringLiteral("--outgoing-limit") << QString::number(64 << 20)
                                       // 9.7 and 9.8 send 1000 messages at once: a
                                       // load test, past the per-connection frame budget.
                                       << QStringLiteral("--frame-rate") << QStringLiteral("100000")
                                       << QStringLiteral("--frame-burst") << QStringLiteral("100000"),
                         error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        runAll(big, t.daemon.port(), t.token, 1, results);
        if (t.daemon.terminate() != 0) {
            std::fprintf(stderr, "the daemon did not exit 0:\n%s\n", t.daemon.log().right(3000).constData());
            return 1;
        }
    }

    // In the order of the table, whatever order they finished in.
    QHash<QString, int> order;
    const QList<Case> all = allCases();
    for (int i = 0; i < all.size(); ++i)
        order.insert(all[i].id, i);
    std::sort(results.begin(), results.end(),
              [&](const auto &a, const auto &b) { return order.value(a.first.id) < order.value(b.first.id); });

    const QHash<QString, QString> known = transport == u"qt" ? knownQtDeviations() : QHash<QString, QString>();
    QTextStream outStream(stdout);
    QMap<QString, QMap<QString, int>> perCategory;
    int passed = 0, failed = 0;
    QStringList unexpected;
    for (const auto &[c, o] : results) {
        perCategory[category(c.id)][o.verdict] += 1;
        const bool bad = o.verdict == u"FAILED" || o.verdict == u"NON-STRICT";
        QString note;
        if (known.contains(c.id)) {
            if (!bad) {
                note = QStringLiteral("  <- listed as a Qt 6.4 deviation but passes: update qt_deviations.h");
                unexpected << c.id;
            } else {
                note = QStringLiteral("  (known Qt 6.4 deviation)");
            }
        } else if (bad) {
            unexpected << c.id;
        }
        (unexpected.contains(c.id) ? failed : passed) += 1;
        outStream << QStringLiteral("%1 %2 %3 ms  %4%5\n")
                         .arg(c.id, -8)
                         .arg(o.verdict, -13)
                         .arg(o.elapsedMs, 6)
                         .arg(o.detail, note);
    }
    for (const QString &id : known.keys())
        if (!std::any_of(results.begin(), results.end(), [&](const auto &r) { return r.first.id == id; })
            && only.pattern() == u"^(?:.*)$")
            unexpected << id + QStringLiteral(" (listed, not run)");
    outStream << QStringLiteral("\nTransport %1, %2 cases in %3 s\n")
                     .arg(transport)
                     .arg(results.size())
                     .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1);
    for (auto it = perCategory.cbegin(); it != perCategory.cend(); ++it) {
        QStringList parts;
        for (auto v = it->cbegin(); v != it->cend(); ++v)
            parts << QStringLiteral("%1 %2").arg(v.value()).arg(v.key());
        outStream << QStringLiteral("  category %1: %2\n").arg(it.key(), -3).arg(parts.join(u", "));
    }
    if (parser.isSet(QStringLiteral("report"))) {
        QFile f(parser.value(QStringLiteral("report")));
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QTextStream ts(&f);
            for (const auto &[c, o] : results)
                ts << c.id << '\t' << c.sends << '\t' << c.expected << '\t' << o.verdict << '\t'
                   << o.detail.left(200) << '\n';
        }
    }
    if (!unexpected.isEmpty())
        outStream << QStringLiteral("Unexpected: %1\n").arg(unexpected.join(u", "));
    outStream << QStringLiteral("%1 passed, %2 failed\n").arg(passed).arg(failed);
    outStream.flush();
    return unexpected.isEmpty() ? 0 : 1;
}
