// RedisScripts: a script the build lacks used to end the process (qFatal)
// on the first rate limit, cache read or presence update that needed it.
// Now that one call fails as if Redis were away, and its caller falls back.

#include "app/resources.h"
#include "bridge/redis_scripts.h"

#include <QRegularExpression>
#include <QtTest>

using namespace sanayicin;

class tst_RedisScripts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { initSanayicinResources(); }

    void missingScriptFailsTheCall()
    {
        RedisConnection connection(RedisUrl{}, QStringLiteral("test"));
        RedisScripts scripts(connection);
        bool answered = false;
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(QStringLiteral("no_such_script.*missing")));
        QVERIFY(!scripts.run(QStringLiteral("no_such_script"), {"a"},
                             [&](redisReply *) { answered = true; }));
        QVERIFY(!answered); // false means no callback, as when not connected
        // A shipped script: refused only because nothing is connected.
        QVERIFY(!scripts.run(QStringLiteral("rate_limit"), {}, {}));
    }
};

QTEST_GUILESS_MAIN(tst_RedisScripts)
#include "tst_redis_scripts.moc"
