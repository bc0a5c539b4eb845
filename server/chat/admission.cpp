#include "admission.h"

#include "limits/rate_gate.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"
#include "time/clock.h"

namespace sanayicin::chat {

namespace {

// A budget with no token left: counted, rate_limited with its wait.
ApiError overBudget(Counter &rateLimited, const RateDecision &d, QString why)
{
    rateLimited.inc();
    return {ErrorCode::RateLimited, std::move(why), int(d.retryAfterMs)};
}

} // namespace

void Admission::request(const Caller &caller, const QString &address, bool operations,
                        StatusDone done)
{
    // One budget and no steps after it: a plain take, not spendBudgets'
    // shared state (every request pays this).
    const QByteArray key = (operations ? "ops:a:" : "http:a:") + address.toUtf8();
    Counter &limited = m_deps.rateLimited;
    m_deps.rates.take(caller.home, key, m_deps.settings.httpAddressRule,
                      [ref = CallerRef(caller), done = std::move(done), &limited](RateDecision d) {
                          if (!ref.live())
                              return;
                          if (!d.allowed) {
                              done(overBudget(limited, d, QStringLiteral("too many requests")));
                              return;
                          }
                          done(Nothing{});
                      });
}

void Admission::authenticate(const Caller &caller, const QByteArray &authorizationHeader,
                             UserDone done)
{
    const QString token = Accounts::bearerToken(authorizationHeader);
    if (token.isEmpty()) {
        done(ApiError::unauthorized(QStringLiteral("a bearer token is required")));
        return;
    }
    m_accounts.authenticate(caller, token,
                            [this, caller, done = std::move(done)](Accounts::TokenCheck check,
                                                                   const AuthUser &user) {
                                switch (check) {
                                case Accounts::TokenCheck::Unavailable:
                                    done(ApiError::unavailable(
                                        QStringLiteral("cannot check the token now")));
                                    return;
                                case Accounts::TokenCheck::Invalid:
                                    done(ApiError::unauthorized(
                                        QStringLiteral("invalid or revoked token")));
                                    return;
                                case Accounts::TokenCheck::Valid:
                                    spendUserBudget(caller, user, done);
                                    return;
                                }
                            });
}

void Admission::spendUserBudget(const Caller &caller, const AuthUser &user, UserDone done)
{
    Counter &limited = m_deps.rateLimited;
    m_deps.rates.take(caller.home, "http:u:" + QByteArray::number(user.user.id),
                      m_deps.settings.httpUserRule,
                      [ref = CallerRef(caller), user, done = std::move(done), &limited](RateDecision d) {
                          if (!ref.live())
                              return;
                          if (!d.allowed) {
                              done(overBudget(limited, d, QStringLiteral("too many requests")));
                              return;
                          }
                          done(user);
                      });
}

Status Admission::openWebSocket(const QString &address)
{
    const RateDecision d =
        m_deps.limiter.take("ws:a:" + address.toUtf8(), m_deps.settings.wsOpenRule, steadyNs());
    if (!d.allowed)
        return overBudget(m_deps.rateLimited, d,
                          QStringLiteral("too many new WebSocket connections from this address"));
    return Nothing{};
}

} // namespace sanayicin::chat
