// What SIGHUP does with a newly read configuration (server/app/config_reload.*):
// which settings differ, which are taken live and which wait for a restart,
// that secrets never show, and that a Live<> value can be replaced while
// other threads read it.

#include "app/config_reload.h"

#include <QtTest>
#include <thread>

using namespace sanayicin;

namespace {

const ConfigChange *find(const QList<ConfigChange> &changes, const QString &setting)
{
    for (const ConfigChange &c : changes)
        if (c.setting == setting)
            return &c;
    return nullptr;
}

DatabaseUrl postgres(const QString &password)
{
    QString error;
    auto url = DatabaseUrl::parse(
        QStringLiteral("postgresql://chat:%1@db.example:5432/chat").arg(password), {}, error);
    Q_ASSERT(url);
    return *url;
}

} // namespace

class TestConfigReload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameConfigurationHasNoChange()
    {
        DaemonConfig a;
        a.database = postgres(QStringLiteral("s3cret"));
        const DaemonConfig b = a;
        QVERIFY(configChanges(a, b).isEmpty());
    }

    void liveAndRestartSettingsAreTold()
    {
        DaemonConfig running;
        DaemonConfig next = running;
        next.sendRule = RateRule{1, 2};
        next.logLevel = QStringLiteral("debug");
        next.bodyLimitBytes = 2048;
        next.maxConnectionsPerAddress = 7;
        next.networkThreads = running.networkThreads + 3;
        next.listenPort = quint16(running.listenPort + 1);

        const QList<ConfigChange> changes = configChanges(running, next);
        QCOMPARE(changes.size(), 6);
        const ConfigChange *send = find(changes, QStringLiteral("send-rate/send-burst"));
        QVERIFY(send);
        QVERIFY(send->live);
        QCOMPARE(send->from, QStringLiteral("20/s burst 40"));
        QCOMPARE(send->to, QStringLiteral("1/s burst 2"));
        QVERIFY(find(changes, QStringLiteral("log-level"))->live);
        QVERIFY(find(changes, QStringLiteral("body-limit"))->live);
        QVERIFY(find(changes, QStringLiteral("max-connections-per-address"))->live);
        const ConfigChange *threads = find(changes, QStringLiteral("threads"));
        QVERIFY(threads);
        QVERIFY(!threads->live);
        QCOMPARE(threads->to, QString::number(next.networkThreads));
        QVERIFY(!find(changes, QStringLiteral("listen"))->live);
    }

    void applyTakesLiveSettingsOnly()
    {
        DaemonConfig running;
        const int threads = running.networkThreads;
        DaemonConfig next = running;
        next.sendRule = RateRule{1, 2};
        next.frameRule = RateRule{5, 6};
        next.logLevel = QStringLiteral("warning");
        next.outgoingLimitBytes = 65536;
        next.maxWebSocketsPerUser = 3;
        next.networkThreads = threads + 1;
        next.metricsToken = QStringLiteral("new-token");
        next.heartbeatSeconds = 5;

        applyLiveSettings(running, next);
        QCOMPARE(running.sendRule.get(), (RateRule{1, 2}));
        QCOMPARE(running.frameRule.get(), (RateRule{5, 6}));
        QCOMPARE(running.logLevel, QStringLiteral("warning"));
        QCOMPARE(qint64(running.outgoingLimitBytes), qint64(65536));
        QCOMPARE(running.maxWebSocketsPerUser, 3);
        // Restart only: the running value stays, and the next reload still
        // says that it differs.
        QCOMPARE(running.networkThreads, threads);
        QVERIFY(running.metricsToken.isEmpty());
        QCOMPARE(running.heartbeatSeconds, 30);
        const QList<ConfigChange> left = configChanges(running, next);
        QCOMPARE(left.size(), 3);
        for (const ConfigChange &c : left)
            QVERIFY2(!c.live, qPrintable(c.setting));
    }

    void secretsNeverShow()
    {
        DaemonConfig running;
        running.database = postgres(QStringLiteral("old-pass-1"));
        running.redisUrl = QStringLiteral("redis://:redis-pass-1@127.0.0.1:6379/0");
        running.metricsToken = QStringLiteral("token-1");
        DaemonConfig next = running;
        next.database = postgres(QStringLiteral("new-pass-2"));
        next.redisUrl = QStringLiteral("redis://:redis-pass-2@127.0.0.1:6380/0");
        next.metricsToken = QStringLiteral("token-2");

        const QList<ConfigChange> changes = configChanges(running, next);
        QCOMPARE(changes.size(), 3);
        for (const ConfigChange &c : changes) {
            QVERIFY(!c.live);
            for (const QString &text : {c.from, c.to})
                for (const char *secret : {"pass-1", "pass-2", "token-1", "token-2"})
                    QVERIFY2(!text.contains(QLatin1StringView(secret)), qPrintable(text));
        }
        // Only the password differs: the change is still reported.
        QVERIFY(find(changes, QStringLiteral("database"))->to.contains(u"hidden part changed"));
        QVERIFY(find(changes, QStringLiteral("redis"))->to.contains(u"6380"));
    }

    void notifySecretsNeverShow()
    {
        QString error;
        DaemonConfig running;
        running.notify.url = notify::WebhookUrl::parse(u"https://h/hook?token=url-token-1"_qs, error);
        running.notify.secret = "webhook-secret-1";
        DaemonConfig next = running;
        next.notify.url = notify::WebhookUrl::parse(u"https://h/hook?token=url-token-2"_qs, error);
        const QList<ConfigChange> byUrl = configChanges(running, next);
        QCOMPARE(byUrl.size(), 1);
        QCOMPARE(byUrl[0].setting, u"notify-*"_qs);
        QVERIFY(!byUrl[0].live);
        QVERIFY(byUrl[0].to.contains(u"hidden part changed"));
        next = running;
        next.notify.secret = "webhook-secret-2";
        const QList<ConfigChange> bySecret = configChanges(running, next);
        QCOMPARE(bySecret.size(), 1);
        for (const ConfigChange &c : byUrl + bySecret)
            for (const QString &text : {c.from, c.to})
                for (const char *secret : {"url-token", "webhook-secret"})
                    QVERIFY2(!text.contains(QLatin1StringView(secret)), qPrintable(text));
        next = running;
        next.notify.url.reset();
        QCOMPARE(configChanges(running, next).value(0).to, u"(off)"_qs);
    }

    void liveValueReplacedWhileRead()
    {
        // A reader keeps reading while the value is replaced; each value it
        // sees is one that was published whole (rate and burst together).
        Live<RateRule> rule = RateRule{1, 1};
        std::atomic<bool> stop{false};
        std::atomic<int> torn{0};
        std::thread reader([&] {
            while (!stop.load()) {
                const RateRule &r = rule;
                if (r.burst != r.ratePerSecond * 2 && r.burst != 1)
                    torn.fetch_add(1);
            }
        });
        for (int i = 1; i <= 2000; ++i)
            rule = RateRule{double(i), double(i) * 2};
        stop = true;
        reader.join();
        QCOMPARE(torn.load(), 0);
        QCOMPARE(rule.get(), (RateRule{2000, 4000}));
    }
};

QTEST_GUILESS_MAIN(TestConfigReload)
#include "tst_config_reload.moc"
