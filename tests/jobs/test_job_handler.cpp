#include "test_job_handler.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace sanayicin::test {

namespace {

bool appendLine(const QString &path, const QByteArray &line)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(line + '\n') == line.size() + 1;
}

} // namespace

jobs::JobHandler testEffectHandler()
{
    return [](const jobs::Job &job, std::function<void(jobs::JobResult)> finish) {
        const QJsonObject p = QJsonDocument::fromJson(job.payload).object();
        const QString dir = p.value(QStringLiteral("dir")).toString();
        const QString key = p.value(QStringLiteral("key")).toString();
        // A test's own mistake (no folder, a record not written) ends as a
        // dead letter with the reason, not as a test waiting for a file.
        if (dir.isEmpty() || key.isEmpty()) {
            finish({jobs::JobOutcome::Fail, QStringLiteral("test: payload without dir or key")});
            return;
        }
        const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid());
        if (!appendLine(dir + QStringLiteral("/started-") + key,
                        job.id.toLatin1() + ' ' + QByteArray::number(job.attempt) + ' ' + pid + ' '
                            + QByteArray::number(QDateTime::currentMSecsSinceEpoch()))) {
            finish({jobs::JobOutcome::Fail, QStringLiteral("test: cannot write in ") + dir});
            return;
        }
        const QString hold = p.value(QStringLiteral("hold")).toString();
        if (!hold.isEmpty() && QFile::exists(hold))
            return; // never answers: killed or stopped mid-way
        const QString succeed = p.value(QStringLiteral("succeed")).toString();
        if (!succeed.isEmpty() && !QFile::exists(succeed)) {
            finish({jobs::JobOutcome::Retry, QStringLiteral("test: not yet")});
            return;
        }
        QFile effect(dir + QStringLiteral("/effect-") + key);
        if (effect.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            effect.write(job.id.toLatin1());
        if (!appendLine(dir + QStringLiteral("/runs-") + key, job.id.toLatin1() + ' ' + pid)) {
            finish({jobs::JobOutcome::Fail, QStringLiteral("test: cannot write in ") + dir});
            return;
        }
        finish({jobs::JobOutcome::Done, {}});
    };
}

} // namespace sanayicin::test
