// SIGHUP re-reads the configuration file (docs/operations.md, "Reloading the
// configuration"): live settings take effect at once, restart-only ones are
// logged and kept, a broken file changes nothing, and the daemon never exits
// on it. Everything observed from the outside: responses, log, /metrics.

#include "daemon_process.h"
#include "http_client.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace sanayicin::test;

namespace {

const QByteArray kApplied = "sanayicin_config_reloads_total{result=\"applied\"}";
const QByteArray kFailed = "sanayicin_config_reloads_total{result=\"failed\"}";

} // namespace

class TestSighup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_ini = m_dir.filePath(QStringLiteral("sanayicind.ini"));
    }

    void sighupReloads()
    {
        writeIni("[sanayicind]\n"
                 "log-level = info\n"
                 "register-rate = 0.001\n"
                 "register-burst = 20\n");
        DaemonProcess daemon;
        QString error;
        // Not DaemonProcess::defaultArgs(): its --register-* would outrank
        // the file.
        QVERIFY2(daemon.start({},
                              {QStringLiteral("--config"), m_ini, QStringLiteral("--argon2-memory-kib"),
                               QStringLiteral("64"), QStringLiteral("--argon2-iterations"),
                               QStringLiteral("1"), QStringLiteral("--threads"), QStringLiteral("2")},
                              error),
                 qPrintable(error));
        HttpClient http(daemon.httpUrl({}));
        QCOMPARE(http.metric(kApplied), 0.0);
        QCOMPARE(http.metric(kFailed), 0.0);

        // Two registrations from this address pass under a burst of 20.
        QCOMPARE(registerStatus(http, "rl_a"), 201);
        QCOMPARE(registerStatus(http, "rl_b"), 201);

        // Lower the budget, raise the log level to warning, and change a
        // restart-only setting.
        writeIni("[sanayicind]\n"
                 "log-level = warning\n"
                 "register-rate = 0.001\n"
                 "register-burst = 1\n"
                 "hash-queue = 7\n");
        hangUp(daemon);
        QTRY_COMPARE_WITH_TIMEOUT(http.metric(kApplied), 1.0, 10000);
        QVERIFY(daemon.log().contains("hash-queue changed from 64 to 7 but needs a restart"));
        QVERIFY(daemon.log().contains("register-rate/register-burst 0.001/s burst 20 -> 0.001/s burst 1"));
        QVERIFY(daemon.log().contains("log-level info -> warning"));
        // The bucket now holds at most one token: one more passes, then 429.
        QCOMPARE(registerStatus(http, "rl_c"), 201);
        const HttpResult refused = registerResult(http, "rl_d");
        QCOMPARE(refused.status, 429);
        QVERIFY(!refused.header("Retry-After").isEmpty());

        // A file that does not parse: logged, nothing changes, still serving.
        writeIni("[sanayicind]\nregister-burst = 1000\nthis line is not a setting\n");
        hangUp(daemon);
        QTRY_COMPARE_WITH_TIMEOUT(http.metric(kFailed), 1.0, 10000);
        QVERIFY(daemon.log().contains("reload failed, every setting stays as it was"));
        QVERIFY(daemon.isRunning());
        QCOMPARE(registerStatus(http, "rl_e"), 429);
        // A value out of range is a failed reload too.
        writeIni("[sanayicind]\nregister-burst = 0\n");
        hangUp(daemon);
        QTRY_COMPARE_WITH_TIMEOUT(http.metric(kFailed), 2.0, 10000);

        // At level warning the summary (info) is not shown; back at info it is.
        const qsizetype summaries = daemon.log().count("reloaded the configuration:");
        writeIni("[sanayicind]\n"
                 "log-level = warning\n"
                 "register-rate = 0.001\n"
                 "register-burst = 2\n");
        hangUp(daemon);
        QTRY_COMPARE_WITH_TIMEOUT(http.metric(kApplied), 2.0, 10000);
        QCOMPARE(daemon.log().count("reloaded the configuration:"), summaries);
        writeIni("[sanayicind]\n"
                 "log-level = info\n"
                 "register-rate = 1000\n"
                 "register-burst = 1000\n");
        hangUp(daemon);
        QTRY_COMPARE_WITH_TIMEOUT(http.metric(kApplied), 3.0, 10000);
        QTRY_VERIFY(daemon.log().contains("log-level warning -> info"));
        QCOMPARE(registerStatus(http, "rl_f"), 201);

        QVERIFY(daemon.isRunning());
        QCOMPARE(daemon.terminate(), 0);
    }

private:
    void writeIni(const QByteArray &text)
    {
        QFile f(m_ini);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    static void hangUp(const DaemonProcess &daemon) { ::kill(pid_t(daemon.pid()), SIGHUP); }

    static HttpResult registerResult(HttpClient &http, const char *username)
    {
        return http.post(QStringLiteral("/api/v1/auth/register"),
                         {{QStringLiteral("username"), QLatin1StringView(username)},
                          {QStringLiteral("password"), QStringLiteral("password123")},
                          {QStringLiteral("display_name"), QLatin1StringView(username)},
                          {QStringLiteral("role"), QStringLiteral("customer")}});
    }
    static int registerStatus(HttpClient &http, const char *username)
    {
        return registerResult(http, username).status;
    }

    QTemporaryDir m_dir;
    QString m_ini;
};

QTEST_GUILESS_MAIN(TestSighup)
#include "tst_sighup.moc"
