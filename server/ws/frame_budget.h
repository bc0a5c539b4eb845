#pragma once

#include "rate/rate_rule.h"

#include <QtGlobal>

namespace sanayicin {

// Every frame a client sends costs one token from its connection's bucket
// (`--frame-rate` a second, at most `--frame-burst` saved up), whatever the
// frame: a budget well above what a real client sends, so that one socket
// cannot turn parsing, error replies and database work into a flood. Kept
// on the connection itself (no lock, no look-up): 24 bytes per socket.
class FrameBudget
{
public:
    struct Verdict
    {
        bool allowed = true;
        // Refused more than a burst's worth of frames in a row: the client
        // goes on sending after being told, and is closed (1008).
        bool abusive = false;
        qint64 retryAfterMs = 0; // when refused: until one token is back
    };

    Verdict take(qint64 nowNs, const RateRule &rule);

private:
    double m_tokens = 0;
    qint64 m_updatedNs = 0; // 0: never used, the bucket starts full
    int m_refusedInARow = 0;
};

} // namespace sanayicin
