// SessionCache: TTL, token expiry, revocation of a token or of a user, and
// the ticket that keeps a look-up begun before a revocation from putting a
// stale answer back.

#include "auth/session_cache.h"

#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

AuthUser entry(qint64 userId, const QByteArray &hash, qint64 expiresAtMs = 1'000'000'000)
{
    AuthUser a;
    a.user.id = userId;
    a.user.username = u"user%1"_s.arg(userId);
    a.tokenHash = hash;
    a.expiresAtMs = expiresAtMs;
    return a;
}

constexpr qint64 kTtl = 1000;
constexpr qint64 kNow = 5'000'000;

} // namespace

class tst_SessionCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void putThenFind();
    void ttl();
    void tokenExpiry();
    void revokeToken();
    void revokeUser();
    void ticketBeforeTokenRevocationIsRefused();
    void ticketBeforeUserRevocationIsRefused();
    void ticketAfterRevocationIsAccepted();
    void unrelatedRevocationDoesNotRefuse();
    void revokedSinceTellsAnAnswerInFlight();
};

void tst_SessionCache::putThenFind()
{
    SessionCache cache(kTtl);
    QVERIFY(!cache.find("h1", kNow));
    cache.put(entry(7, "h1"), cache.ticket(), kNow);
    const auto found = cache.find("h1", kNow);
    QVERIFY(found);
    QCOMPARE(found->user.id, 7);
    QCOMPARE(found->user.username, u"user7"_s);
    QCOMPARE(found->tokenHash, QByteArray("h1"));
    QVERIFY(!cache.find("h2", kNow));
    QCOMPARE(cache.size(), 1);
}

void tst_SessionCache::ttl()
{
    SessionCache cache(kTtl);
    cache.put(entry(7, "h1"), cache.ticket(), kNow);
    QVERIFY(cache.find("h1", kNow + kTtl));
    QVERIFY(!cache.find("h1", kNow + kTtl + 1));
    // Putting again refreshes it.
    cache.put(entry(7, "h1"), cache.ticket(), kNow + kTtl + 1);
    QVERIFY(cache.find("h1", kNow + 2 * kTtl));
}

void tst_SessionCache::tokenExpiry()
{
    SessionCache cache(60'000);
    cache.put(entry(7, "h1", kNow + 10), cache.ticket(), kNow);
    QVERIFY(cache.find("h1", kNow + 9));
    QVERIFY(!cache.find("h1", kNow + 10)); // an expired token is not served from the cache
}

void tst_SessionCache::revokeToken()
{
    SessionCache cache(kTtl);
    cache.put(entry(7, "h1"), cache.ticket(), kNow);
    cache.put(entry(7, "h2"), cache.ticket(), kNow);
    cache.revokeToken("h1", kNow);
    QVERIFY(!cache.find("h1", kNow));
    QVERIFY(cache.find("h2", kNow)); // the user's other token stays
    QCOMPARE(cache.size(), 1);
}

void tst_SessionCache::revokeUser()
{
    SessionCache cache(kTtl);
    cache.put(entry(7, "a1"), cache.ticket(), kNow);
    cache.put(entry(7, "a2"), cache.ticket(), kNow);
    cache.put(entry(8, "b1"), cache.ticket(), kNow);
    cache.revokeUser(7, kNow);
    QVERIFY(!cache.find("a1", kNow));
    QVERIFY(!cache.find("a2", kNow));
    QVERIFY(cache.find("b1", kNow));
    QCOMPARE(cache.size(), 1);
}

void tst_SessionCache::ticketBeforeTokenRevocationIsRefused()
{
    SessionCache cache(kTtl);
    // A request starts a database look-up ...
    const quint64 ticket = cache.ticket();
    // ... meanwhile the user logs out ...
    cache.revokeToken("h1", kNow);
    // ... and the look-up's (stale) answer arrives.
    cache.put(entry(7, "h1"), ticket, kNow + 1);
    QVERIFY(!cache.find("h1", kNow + 1));
    QCOMPARE(cache.size(), 0);
}

void tst_SessionCache::ticketBeforeUserRevocationIsRefused()
{
    SessionCache cache(kTtl);
    const quint64 ticket = cache.ticket();
    cache.revokeUser(7, kNow); // a ban
    cache.put(entry(7, "h1"), ticket, kNow + 1);
    cache.put(entry(7, "h2"), ticket, kNow + 1);
    QVERIFY(!cache.find("h1", kNow + 1));
    QVERIFY(!cache.find("h2", kNow + 1));
    // Even after several later revocations advanced the clock.
    cache.revokeToken("x", kNow + 2);
    cache.revokeToken("y", kNow + 3);
    cache.put(entry(7, "h3"), ticket, kNow + 4);
    QVERIFY(!cache.find("h3", kNow + 4));
}

void tst_SessionCache::ticketAfterRevocationIsAccepted()
{
    SessionCache cache(kTtl);
    cache.revokeToken("h1", kNow);
    cache.revokeUser(7, kNow);
    // A look-up that began after the revocations saw the database after them.
    const quint64 ticket = cache.ticket();
    cache.put(entry(7, "h1"), ticket, kNow + 1);
    QVERIFY(cache.find("h1", kNow + 1));
}

void tst_SessionCache::unrelatedRevocationDoesNotRefuse()
{
    SessionCache cache(kTtl);
    const quint64 ticket = cache.ticket();
    cache.revokeToken("other-token", kNow);
    cache.revokeUser(99, kNow);
    cache.put(entry(7, "h1"), ticket, kNow + 1);
    QVERIFY(cache.find("h1", kNow + 1));
}

// The Authenticator asks this when a database answer arrives: a token or
// user revoked after the look-up began makes the answer stale.
void tst_SessionCache::revokedSinceTellsAnAnswerInFlight()
{
    SessionCache cache;
    const quint64 before = cache.ticket();
    QVERIFY(!cache.revokedSince("h1", 1, before));
    cache.revokeUser(1, 1000);
    QVERIFY(cache.revokedSince("h1", 1, before));
    QVERIFY(!cache.revokedSince("h2", 2, before)); // someone else
    cache.revokeToken("h3", 1000);
    QVERIFY(cache.revokedSince("h3", 3, before));
    // A look-up that began after them is not affected.
    const quint64 after = cache.ticket();
    QVERIFY(!cache.revokedSince("h1", 1, after));
    QVERIFY(!cache.revokedSince("h3", 3, after));
}

QTEST_APPLESS_MAIN(tst_SessionCache)
#include "tst_session_cache.moc"
