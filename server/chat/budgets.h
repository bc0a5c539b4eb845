#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"

#include <QByteArray>
#include <QList>
#include <functional>
#include <vector>

namespace sanayicin::chat {

// One rate budget a request spends a token of.
struct Budget
{
    QByteArray key;
    const RateRule *rule;
};

// Spends one token from each budget in turn; `allowed` runs when all had
// one, `refused` (rate_limited with `refusal`) for the first that had none.
// Both on the caller's thread, while it listens.
void spendBudgets(ChatDeps &deps, const Caller &caller, std::vector<Budget> budgets, QString refusal,
                  std::function<void()> allowed, std::function<void(ApiError)> refused);

// An administrator's own budget (--admin-rate/--admin-burst): one bucket per
// administrator that every admin action spends, whichever use case runs it
// (Moderation's actions, Administration's kick of one connection).
void spendAdminAction(ChatDeps &deps, const Caller &caller, qint64 actorId,
                      std::function<void()> allowed, std::function<void(ApiError)> refused);

} // namespace sanayicin::chat
