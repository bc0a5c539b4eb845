#include "rate_gate.h"

#include "bridge/shared_state.h"
#include "time/clock.h"

namespace sanayicin {

void RateGate::take(QObject *home, const QByteArray &key, const RateRule &rule, Done done)
{
    if (m_shared && m_sharedUp && m_sharedUp()) {
        m_shared->takeToken(home, key, rule, std::move(done));
        return;
    }
    done(m_local.take(key, rule, steadyNs()));
}

} // namespace sanayicin
