// PasswordHasher: argon2id hash/verify round trips, at a tiny cost.

#include "auth/password_hasher.h"
#include "metrics/metrics.h"

#include <QAtomicInt>
#include <QMutex>
#include <QSemaphore>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

// failedHashIsEmptyNotFatal() asks for 4 TiB: AddressSanitizer, like malloc,
// must answer "no memory" instead of ending the process.
extern "C" const char *__asan_default_options()
{
    return "allocator_may_return_null=1";
}

class tst_PasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void encodedFormat();
    void saltedEveryTime();
    void garbageEncodedIsRefused();
    void runsWorkOnItsPool();
    void fullQueueRefusesAtOnce();
    void unwantedWorkIsDropped();
    void ownersTakeTurns();
    void failedHashIsEmptyNotFatal();

private:
    PasswordHasher m_hasher{64, 1, 2};
};

void tst_PasswordHasher::roundTrip_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("wrong");
    QTest::newRow("ascii") << u"correct horse"_s << u"correct horsE"_s;
    QTest::newRow("turkish") << u"şifreĞİı123"_s << u"sifreGIi123"_s;
    QTest::newRow("emoji") << u"🔑🔑🔑🔑🔑🔑🔑🔑"_s << u"🔑🔑🔑🔑🔑🔑🔑"_s;
    QTest::newRow("prefix is not enough") << u"12345678"_s << u"123456789"_s;
    QTest::newRow("spaces matter") << u"pass word"_s << u"password"_s;
    QTest::newRow("128 chars") << QString(128, u'x') << QString(127, u'x');
}

void tst_PasswordHasher::roundTrip()
{
    QFETCH(QString, password);
    QFETCH(QString, wrong);
    const QString encoded = m_hasher.hash(password);
    QVERIFY(m_hasher.verify(encoded, password));
    QVERIFY(!m_hasher.verify(encoded, wrong));
    QVERIFY(!m_hasher.verify(encoded, QString()));
    QVERIFY(!encoded.contains(password));
}

void tst_PasswordHasher::encodedFormat()
{
    const QString encoded = m_hasher.hash(u"correct horse"_s);
    QVERIFY2(encoded.startsWith(u"$argon2id$"_s), qPrintable(encoded));
    QVERIFY2(encoded.contains(u"$m=64,t=1,p=1$"_s), qPrintable(encoded));
    QCOMPARE(encoded.count(u'$'), 5);
    // A hash made with other costs still verifies: the parameters travel in it.
    PasswordHasher other(128, 2, 1);
    QVERIFY(other.verify(encoded, u"correct horse"_s));
    QVERIFY(m_hasher.verify(other.hash(u"x"_s), u"x"_s));
}

void tst_PasswordHasher::saltedEveryTime()
{
    const QString a = m_hasher.hash(u"same password"_s);
    const QString b = m_hasher.hash(u"same password"_s);
    QVERIFY(a != b);
    QVERIFY(m_hasher.verify(a, u"same password"_s));
    QVERIFY(m_hasher.verify(b, u"same password"_s));
}

void tst_PasswordHasher::garbageEncodedIsRefused()
{
    QVERIFY(!m_hasher.verify(QString(), u"x"_s));
    QVERIFY(!m_hasher.verify(u"not a hash"_s, u"not a hash"_s));
    QVERIFY(!m_hasher.verify(u"$argon2id$v=19$m=64,t=1,p=1$AAAA$BBBB"_s, u"x"_s));
    m_hasher.verifyDummy(u"whatever"_s); // must not crash, and takes real work
}

void tst_PasswordHasher::runsWorkOnItsPool()
{
    QSemaphore done;
    QAtomicInt ok;
    QThread *const testThread = QThread::currentThread();
    for (int i = 0; i < 4; ++i) {
        QVERIFY(m_hasher.tryRun([&, i] {
            const QString pw = u"pw%1-secret"_s.arg(i);
            if (QThread::currentThread() != testThread && m_hasher.verify(m_hasher.hash(pw), pw))
                ok.fetchAndAddRelaxed(1);
            done.release();
        }));
    }
    QVERIFY(done.tryAcquire(4, 30000));
    QCOMPARE(ok.loadRelaxed(), 4);
}

void tst_PasswordHasher::fullQueueRefusesAtOnce()
{
    // One thread, two places in the queue: a job that runs holds the thread,
    // two wait, the fourth is refused without waiting.
    PasswordHasher hasher(64, 1, 1, 2);
    QSemaphore started, release, finished;
    auto blocker = [&] {
        started.release();
        release.acquire();
        finished.release();
    };
    QVERIFY(hasher.tryRun(blocker));
    QVERIFY(started.tryAcquire(1, 10000));
    QCOMPARE(hasher.running(), 1);
    QVERIFY(hasher.tryRun([&] { finished.release(); }));
    QVERIFY(hasher.tryRun([&] { finished.release(); }));
    QCOMPARE(hasher.waiting(), 2);
    QVERIFY(!hasher.tryRun([&] { finished.release(); }));
    QCOMPARE(hasher.refused(), quint64(1));
    QVERIFY(hasher.retryAfterMs() >= 1000);
    release.release();
    QVERIFY(finished.tryAcquire(3, 10000));
    // Room again once the queue drained.
    QTRY_COMPARE(hasher.waiting(), 0);
    QVERIFY(hasher.tryRun([&] { finished.release(); }));
    QVERIFY(finished.tryAcquire(1, 10000));
}

void tst_PasswordHasher::unwantedWorkIsDropped()
{
    PasswordHasher hasher(64, 1, 1, 8);
    QSemaphore started, release, ran;
    QAtomicInt asked;
    QVERIFY(hasher.tryRun([&] {
        started.release();
        release.acquire();
    }));
    QVERIFY(started.tryAcquire(1, 10000));
    std::atomic<bool> clientGone{false};
    QVERIFY(hasher.tryRun([&] { ran.release(); },
                          [&] {
                              asked.fetchAndAddRelaxed(1);
                              return !clientGone.load();
                          }));
    QVERIFY(hasher.tryRun([&] { ran.release(); }, [] { return true; }));
    clientGone = true; // the first client goes away while its job waits
    release.release();
    QVERIFY(ran.tryAcquire(1, 10000));
    QTRY_COMPARE(hasher.dropped(), quint64(1));
    QCOMPARE(asked.loadRelaxed(), 1);
    QVERIFY(!ran.tryAcquire(1, 200)); // the dropped job never ran
}

void tst_PasswordHasher::ownersTakeTurns()
{
    // One thread held; a flood of 20 from one owner, then one from another:
    // the other's job runs second, not 21st.
    PasswordHasher hasher(64, 1, 1, 100);
    QSemaphore started, release, done;
    QMutex orderMutex;
    QStringList order;
    QVERIFY(hasher.tryRun("blocker", [&] {
        started.release();
        release.acquire();
    }, {}));
    QVERIFY(started.tryAcquire(1, 10000));
    auto job = [&](const QString &name) {
        return [&, name] {
            {
                QMutexLocker lock(&orderMutex);
                order << name;
            }
            done.release(); // after the unlock: the test may end at once
        };
    };
    for (int i = 0; i < 20; ++i)
        QVERIFY(hasher.tryRun("198.51.100.1", job(u"flood%1"_s.arg(i)), {}));
    QVERIFY(hasher.tryRun("203.0.113.9", job(u"real"_s), {}));
    release.release();
    QVERIFY(done.tryAcquire(21, 10000));
    QCOMPARE(order.indexOf(u"real"_s), 1);
    QCOMPARE(order.first(), u"flood0"_s);
    QCOMPARE(order.last(), u"flood19"_s); // each owner's own in order
}

// argon2 failing (here: it cannot get its memory) used to end the process
// with qFatal from inside one login's or registration's hash; now that one
// hash comes back empty, logged and counted, and the caller answers 500.
void tst_PasswordHasher::failedHashIsEmptyNotFatal()
{
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"argon2id failed"_s));
    PasswordHasher broken(0xFFFFFFFFu, 1, 1); // 4 TiB a hash
    QVERIFY(!broken.usable());                 // the daemon refuses to start with it
    Counter failed;
    broken.setFailedCounter(&failed);
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"argon2id failed"_s));
    QVERIFY(broken.hash(u"password123"_s).isEmpty());
    QCOMPARE(failed.value(), quint64(1));
    QVERIFY(m_hasher.usable());
    QVERIFY(!m_hasher.hash(u"password123"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_PasswordHasher)
#include "tst_password_hasher.moc"
