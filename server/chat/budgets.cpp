#include "budgets.h"

#include "limits/rate_gate.h"
#include "metrics/metrics.h"

#include <memory>

namespace sanayicin::chat {

namespace {

struct Spending : std::enable_shared_from_this<Spending>
{
    ChatDeps &deps;
    Caller caller;
    CallerRef ref;
    std::vector<Budget> budgets;
    QString refusal;
    std::function<void()> allowed;
    std::function<void(ApiError)> refused;
    qsizetype next = 0;

    Spending(ChatDeps &d, const Caller &c, std::vector<Budget> b, QString r,
             std::function<void()> a, std::function<void(ApiError)> f)
        : deps(d), caller(c), ref(c), budgets(std::move(b)), refusal(std::move(r)),
          allowed(std::move(a)), refused(std::move(f))
    {}

    void step()
    {
        if (next == qsizetype(budgets.size())) {
            allowed();
            return;
        }
        const Budget &b = budgets[size_t(next++)];
        deps.rates.take(caller.home, b.key, *b.rule, [self = shared_from_this()](RateDecision d) {
            self->decided(d);
        });
    }

    void decided(const RateDecision &d)
    {
        if (!ref.live())
            return;
        if (d.allowed) {
            step();
            return;
        }
        deps.rateLimited.inc();
        refused({ErrorCode::RateLimited, refusal, int(d.retryAfterMs)});
    }
};

} // namespace

void spendBudgets(ChatDeps &deps, const Caller &caller, std::vector<Budget> budgets, QString refusal,
                  std::function<void()> allowed, std::function<void(ApiError)> refused)
{
    auto s = std::make_shared<Spending>(deps, caller, std::move(budgets), std::move(refusal),
                                        std::move(allowed), std::move(refused));
    s->step();
}

void spendAdminAction(ChatDeps &deps, const Caller &caller, qint64 actorId,
                      std::function<void()> allowed, std::function<void(ApiError)> refused)
{
    spendBudgets(deps, caller,
                 {{"admin:u:" + QByteArray::number(actorId), &deps.settings.adminRule.get()}},
                 QStringLiteral("too many administrative actions; wait a little"),
                 std::move(allowed), std::move(refused));
}

} // namespace sanayicin::chat
