#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

// Runs sanayicin-loadgen (path from the build: LOADGEN_BINARY) with --json
// and returns its result; the exit code and stderr for failure messages.
struct LoadgenRun
{
    int exitCode = -1;
    QJsonObject result;
    QByteArray log; // stderr: progress and the text report

    static LoadgenRun run(const QStringList &args, int timeoutMs = 60000)
    {
        LoadgenRun r;
        QProcess p;
        p.start(QStringLiteral(LOADGEN_BINARY), QStringList(args) << QStringLiteral("--json"));
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            r.log = "timed out\n" + p.readAllStandardError();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.result = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        r.log = p.readAllStandardError();
        return r;
    }

    qint64 count(const char *key) const { return result.value(QLatin1StringView(key)).toInteger(-1); }
};
