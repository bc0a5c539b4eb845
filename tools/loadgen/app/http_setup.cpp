#include "http_setup.h"

#include "clock.h"
#include "http_conn.h"
#include "json_out.h"
#include "json_reader.h"
#include "rng.h"

#include <cstdio>
#include <deque>
#include <functional>
#include <memory>

namespace sanayicin::loadgen {

namespace {

constexpr int kMaxAttempts = 8;

struct Job
{
    uint32_t index = 0; // account or pair
    int attempts = 0;
    int64_t notBeforeNs = 0;
};

// Runs one kind of request for every index, `concurrency` at a time.
class JobRunner
{
public:
    using Build = std::function<void(uint32_t index, std::string &path, std::string &body,
                                     std::string &bearer)>;
    // Returns an error text, or empty when the answer was taken.
    using Take = std::function<std::string(uint32_t index, const HttpResponse &r)>;

    JobRunner(EventLoop &loop, std::vector<std::unique_ptr<HttpConn>> &conns, SetupResult &result)
        : m_loop(loop), m_conns(conns), m_result(result)
    {}

    bool run(const char *what, uint32_t count, Build build, Take take, bool quiet)
    {
        m_build = std::move(build);
        m_take = std::move(take);
        for (uint32_t i = 0; i < count; ++i)
            m_queue.push_back({i, 0, 0});
        m_remaining = count;
        int64_t nextReport = monoNs() + kNsPerSec;
        uint32_t lastRemaining = m_remaining;
        int64_t lastProgress = monoNs();
        while (m_remaining > 0 && m_error.empty()) {
            const int64_t now = monoNs();
            if (m_remaining != lastRemaining) {
                lastRemaining = m_remaining;
                lastProgress = now;
            } else if (now - lastProgress > 60 * kNsPerSec) {
                m_error = "no answer for 60 s";
                break;
            }
            for (auto &c : m_conns)
                if (!c->busy() && !startNext(*c, now))
                    break;
            m_loop.poll(now + 20 * kNsPerMs);
            if (!quiet && monoNs() >= nextReport) {
                std::fprintf(stderr, "setup: %s %u/%u\n", what, count - m_remaining, count);
                nextReport += kNsPerSec;
            }
        }
        if (!m_error.empty()) {
            m_result.error = std::string(what) + ": " + m_error;
            return false;
        }
        return true;
    }

private:
    bool startNext(HttpConn &c, int64_t now)
    {
        // The first job whose wait (after a 429) is over.
        for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
            if (it->notBeforeNs > now)
                continue;
            Job job = *it;
            m_queue.erase(it);
            std::string path, body, bearer;
            m_build(job.index, path, body, bearer);
            ++m_result.requests;
            c.request("POST", path, body, bearer, [this, job](HttpResponse &&r) mutable {
                finished(job, r);
            });
            return true;
        }
        return false;
    }

    void finished(Job job, const HttpResponse &r)
    {
        if (r.status == 429 || r.status == 0 || r.status == 503) {
            if (++job.attempts >= kMaxAttempts && r.status != 429) {
                m_error = r.status ? "HTTP " + std::to_string(r.status) + ": " + r.body
                                   : std::string("the connection failed repeatedly");
                return;
            }
            if (r.status == 429) {
                ++m_result.rateLimited;
                const int wait = r.retryAfterS > 0 ? r.retryAfterS : 1;
                job.notBeforeNs = monoNs() + int64_t(wait) * kNsPerSec;
            } else {
                ++m_result.retries;
                job.notBeforeNs = monoNs() + 100 * kNsPerMs;
            }
            m_queue.push_back(job);
            return;
        }
        const std::string error = m_take(job.index, r);
        if (!error.empty()) {
            m_error = error;
            return;
        }
        --m_remaining;
    }

    EventLoop &m_loop;
    std::vector<std::unique_ptr<HttpConn>> &m_conns;
    SetupResult &m_result;
    Build m_build;
    Take m_take;
    std::deque<Job> m_queue;
    uint32_t m_remaining = 0;
    std::string m_error;
};

std::string randomPrefix()
{
    Rng rng(randomSeed());
    std::string p = "lg";
    for (int i = 0; i < 6; ++i)
        p.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rng.below(36)]);
    return p;
}

std::string describe(const HttpResponse &r)
{
    return "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
}

} // namespace

SetupResult runSetup(const Options &o, Layout &layout)
{
    SetupResult result;
    const int64_t started = monoNs();
    Endpoint api;
    std::string error;
    if (!o.api.empty()) {
        if (!parseUrl(o.api, "http", api, error)) {
            result.error = error;
            return result;
        }
    } else if (!parseUrl(o.urls.front(), "ws", api, error)) {
        result.error = error;
        return result;
    }

    EventLoop loop;
    std::vector<std::unique_ptr<HttpConn>> conns;
    for (int i = 0; i < o.setupConcurrency; ++i) {
        // Spread over the source addresses: the daemon budgets requests per
        // client address.
        const uint32_t source = o.sources.empty() ? 0 : o.sources[size_t(i) % o.sources.size()];
        conns.push_back(std::make_unique<HttpConn>(loop, api, source));
    }
    const std::string prefix = o.userPrefix.empty() ? randomPrefix() : o.userPrefix;

    JobRunner runner(loop, conns, result);
    const bool registered = runner.run(
        "registered", uint32_t(layout.accounts.size()),
        [&](uint32_t i, std::string &path, std::string &body, std::string &) {
            path = "/api/v1/auth/register";
            JsonOut j;
            j.beginObject();
            j.field("username", prefix + "_" + std::to_string(i));
            j.field("password", o.password);
            j.field("display_name", "Load " + std::to_string(i));
            // Pairs are a customer and a tradesman, as in the marketplace.
            j.field("role", (i < layout.busyUsers && i % 2) ? "tradesman" : "customer");
            j.endObject();
            body = j.str();
        },
        [&](uint32_t i, const HttpResponse &r) -> std::string {
            if (r.status != 201)
                return describe(r);
            json::ObjectReader reader(r.body);
            std::string_view key;
            json::Value v;
            while (reader.next(key, v)) {
                if (key == "token" && v.kind == json::Value::Kind::String) {
                    layout.accounts[i].token = std::string(v.raw);
                } else if (key == "user" && v.kind == json::Value::Kind::Object) {
                    json::ObjectReader user(v.raw);
                    std::string_view k2;
                    json::Value v2;
                    while (user.next(k2, v2))
                        if (k2 == "id")
                            v2.toInt(layout.accounts[i].id);
                }
            }
            if (layout.accounts[i].token.empty() || layout.accounts[i].id <= 0)
                return "no token or user id in " + r.body.substr(0, 300);
            return {};
        },
        o.quiet);
    // Conversation i between users first(i) (who opens it) and second(i).
    const auto createConversations = [&](const char *what, std::vector<int64_t> &ids,
                                          const std::function<uint32_t(uint32_t)> &first,
                                          const std::function<uint32_t(uint32_t)> &second) {
        return runner.run(
            what, uint32_t(ids.size()),
            [&](uint32_t p, std::string &path, std::string &body, std::string &bearer) {
                path = "/api/v1/conversations";
                JsonOut j;
                j.beginObject().field("peer_id", layout.accounts[second(p)].id).endObject();
                body = j.str();
                bearer = layout.accounts[first(p)].token;
            },
            [&](uint32_t p, const HttpResponse &r) -> std::string {
                if (r.status != 201 && r.status != 200)
                    return describe(r);
                json::ObjectReader reader(r.body);
                std::string_view key;
                json::Value v;
                while (reader.next(key, v))
                    if (key == "id")
                        v.toInt(ids[p]);
                if (ids[p] <= 0)
                    return "no conversation id in " + r.body.substr(0, 300);
                return {};
            },
            o.quiet);
    };
    if (registered && layout.needsConversations
        && createConversations("conversations", layout.conversations, [](uint32_t p) { return 2 * p; },
                               [](uint32_t p) { return 2 * p + 1; })
        && !layout.ringConversations.empty()) {
        createConversations("ring conversations", layout.ringConversations,
                            [&](uint32_t p) { return layout.ringFirst(p); },
                            [&](uint32_t p) { return layout.ringSecond(p); });
    }
    result.ok = result.error.empty();
    result.seconds = double(monoNs() - started) / 1e9;
    return result;
}

} // namespace sanayicin::loadgen
