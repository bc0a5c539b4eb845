#include "rate_gate.h"

#include "bridge/shared_state.h"
#include "threading/reply_to.h"
#include "time/clock.h"

namespace sanayicin {

void RateGate::take(QObject *home, const QByteArray &key, const RateRule &rule, Done done)
{
    if (Q_UNLIKELY(askedElsewhere(home))) {
        QMetaObject::invokeMethod(
            home,
            [this, home, key, rule, done = std::move(done)]() mutable {
                take(home, key, rule, std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    if (m_shared && m_sharedUp && m_sharedUp()) {
        m_shared->takeToken(ReplyTo(home), key, rule, std::move(done));
        return;
    }
    done(m_local.take(key, rule, steadyNs()));
}

} // namespace sanayicin
