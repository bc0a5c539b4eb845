#include "runner.h"

#include "clock.h"
#include "http_setup.h"
#include "layout.h"
#include "proc_sampler.h"
#include "report.h"
#include "rng.h"
#include "worker.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <thread>
#include <unistd.h>

namespace sanayicin::loadgen {

namespace {

constexpr int64_t kPollNs = 20 * kNsPerMs;

class Runner
{
public:
    explicit Runner(const Options &o) : m_o(o), m_server(pid_t(o.serverPid)), m_self(getpid()) {}

    int run()
    {
        m_report.options = &m_o;
        m_report.mode = m_o.storm > 0 ? "storm" : m_o.step.enabled ? "step" : "run";
        const bool ran = prepare() && connect();
        if (ran) {
            if (m_report.mode == "storm")
                storm();
            else if (m_report.mode == "step")
                steps();
            else
                traffic();
        }
        shutdown();
        if (ran && m_report.mode != "storm")
            verify();
        print();
        if (!m_report.error.empty())
            return 1;
        if (m_report.mode != "run")
            return 0;
        const RunStats &t = m_report.total;
        const bool clean = m_report.unacked == 0 && t.duplicates == 0 && t.orderViolations == 0
                           && (!m_report.checked || m_report.check.missing == 0);
        return clean ? 0 : 2;
    }

private:
    void progress(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
    {
        if (m_o.quiet)
            return;
        va_list ap;
        va_start(ap, fmt);
        std::vfprintf(stderr, fmt, ap);
        va_end(ap);
    }

    bool prepare()
    {
        m_layout = planLayout(m_o);
        m_report.users = m_layout.accounts.size();
        m_report.conversations = m_layout.conversations.size();
        m_report.connectionsPlanned = m_layout.conns.size();
        m_report.idleConnections = uint64_t(m_o.idle);
        m_report.busyConnections = m_layout.conns.size() - uint64_t(m_o.idle);
        m_report.senders = m_layout.senderCount();
        if (m_o.noSetup) {
            assignIdsWithoutSetup(m_layout);
        } else {
            m_report.setupRan = true;
            progress("setup: %zu users, %zu conversations over the API\n", m_layout.accounts.size(),
                     m_layout.conversations.size());
            m_report.setup = runSetup(m_o, m_layout);
            if (!m_report.setup.ok) {
                m_report.error = "setup failed: " + m_report.setup.error;
                return false;
            }
            progress("setup: done in %.1f s\n", m_report.setup.seconds);
        }

        m_shared.options = &m_o;
        m_shared.layout = &m_layout;
        for (const std::string &u : m_o.urls) {
            Endpoint e;
            std::string error;
            if (!parseUrl(u, "ws", e, error)) {
                m_report.error = error;
                return false;
            }
            m_shared.endpoints.push_back(e);
        }
        Rng rng(randomSeed());
        m_shared.runTag = rng.next32();
        m_shared.originNs = monoNs();
        // Printable, no escapes needed in JSON.
        for (int i = 0; i < m_o.bodySize; ++i)
            m_shared.body.push_back("loadgen-sanayicin "[i % 18]);
        m_shared.slots = std::make_unique<ConnSlot[]>(m_layout.conns.size());
        if (!m_o.history.empty() && !openHistory())
            return false;

        for (int w = 0; w < m_o.threads; ++w)
            m_workers.push_back(std::make_unique<Worker>(w, m_shared));
        for (uint32_t c = 0; c < m_layout.conns.size(); ++c)
            m_workers[c % m_workers.size()]->addConnection(c);
        for (auto &w : m_workers)
            w->start();
        return true;
    }

    // --history: the file, and who is who (connections, users,
    // conversations) as its first lines, for the checker.
    bool openHistory()
    {
        std::string error;
        if (!m_history.open(m_o.history, error)) {
            m_report.error = error;
            return false;
        }
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        const int64_t mono = monoNs();
        m_shared.wallOffsetNs = int64_t(ts.tv_sec) * kNsPerSec + ts.tv_nsec - mono;
        m_shared.history = &m_history;
        char run[16];
        std::snprintf(run, sizeof run, "%08x", m_shared.runTag);
        HistoryBuffer &h = m_historyMain;
        h.begin(mono + m_shared.wallOffsetNs, "run").str("run", run).num("connections", int64_t(m_layout.conns.size()))
            .num("rate", int64_t(m_o.rate)).end();
        for (size_t p = 0; p < m_layout.conversations.size(); ++p) {
            h.begin(mono + m_shared.wallOffsetNs, "conv").num("conv", m_layout.conversations[p])
                .num("u1", m_layout.accounts[2 * p].id).num("u2", m_layout.accounts[2 * p + 1].id).end();
        }
        for (uint32_t p = 0; p < m_layout.ringConversations.size(); ++p) {
            h.begin(mono + m_shared.wallOffsetNs, "conv").num("conv", m_layout.ringConversations[p])
                .num("u1", m_layout.accounts[m_layout.ringFirst(p)].id)
                .num("u2", m_layout.accounts[m_layout.ringSecond(p)].id).end();
        }
        for (uint32_t c = 0; c < m_layout.conns.size(); ++c) {
            const ConnPlan &plan = m_layout.conns[c];
            h.begin(mono + m_shared.wallOffsetNs, "conn").num("c", c).num("uid", m_layout.accounts[plan.user].id)
                .flag("sender", plan.sender).end();
        }
        h.flush();
        return true;
    }

    // The history's last line (after every worker's), then the file closed.
    void closeHistory()
    {
        if (!m_history.isOpen())
            return;
        m_historyMain.begin(monoNs() + m_shared.wallOffsetNs, "end").end();
        m_historyMain.flush();
        const bool ok = m_history.close();
        progress("history: %llu bytes to %s, %llu stalls of the workers%s\n",
                 static_cast<unsigned long long>(m_history.bytes()), m_o.history.c_str(),
                 static_cast<unsigned long long>(m_history.stalls()), ok ? "" : " (WRITE FAILED)");
        if (!ok && m_report.error.empty())
            m_report.error = "--history: writing " + m_o.history + " failed";
    }

    // --history: brings every connection up to date before the end (the
    // lost ones first reconnect), so that "delivered live or by sync" can
    // be checked. Bounded by the grace period.
    void finalSync()
    {
        const int64_t deadline = monoNs() + int64_t(std::max(5.0, m_o.grace) * 1e9);
        while (sum(&LiveCounters::away) > 0 && monoNs() < deadline)
            std::this_thread::sleep_for(std::chrono::nanoseconds(kPollNs));
        uint64_t asked = 0;
        for (auto &w : m_workers) {
            uint32_t n = 0;
            w->call([&] { n = w->finalSync(); });
            asked += n;
        }
        while (sum(&LiveCounters::finalSyncs) < asked && monoNs() < deadline)
            std::this_thread::sleep_for(std::chrono::nanoseconds(kPollNs / 4));
        const uint64_t done = sum(&LiveCounters::finalSyncs);
        progress("final sync: %llu of %llu connections (%llu still away)\n",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(asked),
                 static_cast<unsigned long long>(sum(&LiveCounters::away)));
    }

    uint64_t sum(std::atomic<uint64_t> LiveCounters::*field) const
    {
        uint64_t n = 0;
        for (const auto &w : m_workers)
            n += (w->live().*field).load(std::memory_order_relaxed);
        return n;
    }

    void sample(int64_t now)
    {
        if (now < m_nextSampleNs)
            return;
        m_nextSampleNs = now + kNsPerSec;
        if (m_o.serverPid > 0)
            m_server.sample(now);
        m_self.sample(now);
    }

    void beginWindow()
    {
        const int64_t now = monoNs();
        if (m_o.serverPid > 0)
            m_server.beginWindow(now);
        m_self.beginWindow(now);
        m_nextSampleNs = now + kNsPerSec;
    }

    void endWindow(ProcSampler::Summary &server, ProcSampler::Summary &client)
    {
        const int64_t now = monoNs();
        if (m_o.serverPid > 0) {
            m_server.sample(now);
            server = m_server.window();
        }
        m_self.sample(now);
        client = m_self.window();
    }

    bool connect()
    {
        const uint64_t total = m_layout.conns.size();
        const int perWorker = int((m_o.connectConcurrency + int(m_workers.size()) - 1)
                                  / int(m_workers.size()));
        progress("connecting %llu WebSockets (%d handshakes in flight per thread)\n",
                 static_cast<unsigned long long>(total), perWorker);
        beginWindow();
        for (auto &w : m_workers)
            w->call([&] { w->connectAll(perWorker); });
        int64_t nextReport = monoNs() + kNsPerSec;
        for (;;) {
            const uint64_t opened = sum(&LiveCounters::opened);
            const uint64_t failed = sum(&LiveCounters::failed);
            if (opened + failed >= total)
                break;
            const int64_t now = monoNs();
            sample(now);
            if (now >= nextReport) {
                progress("  %llu open, %llu failed\n", static_cast<unsigned long long>(opened),
                         static_cast<unsigned long long>(failed));
                nextReport += kNsPerSec;
            }
            std::this_thread::sleep_for(std::chrono::nanoseconds(kPollNs / 4));
        }
        // The first ping of each connection belongs to the opening phase.
        settlePings(2);
        for (auto &w : m_workers) {
            RunStats s;
            w->call([&] { s = w->takeStats(true); });
            m_report.connectStats.merge(s);
        }
        if (m_report.mode == "storm")
            endWindow(m_report.server, m_report.client);
        const RunStats &c = m_report.connectStats;
        if (c.lastHelloNs > c.firstConnectNs && c.firstConnectNs)
            m_report.connectSeconds = double(c.lastHelloNs - c.firstConnectNs) / 1e9;
        progress("  %llu open, %llu failed in %.2f s\n",
                 static_cast<unsigned long long>(c.connectOk),
                 static_cast<unsigned long long>(c.connectFailed), m_report.connectSeconds);
        if (c.connectOk == 0 && total > 0) {
            m_report.error = "no connection could be opened";
            for (const auto &[k, v] : c.connectErrors)
                m_report.error += "; " + std::to_string(v) + " x " + k;
            return false;
        }
        return true;
    }

    // Sends at `rate` for warmup + duration; returns the sending seconds.
    double send(double rate)
    {
        uint32_t senders = 0;
        for (auto &w : m_workers)
            senders += w->senderCount();
        const double seconds = m_o.warmup + m_o.duration;
        const int64_t start = monoNs() + 100 * kNsPerMs;
        const int64_t end = start + int64_t(seconds * 1e9);
        const int64_t measureFrom = start + int64_t(m_o.warmup * 1e9);
        if (senders > 0 && rate > 0) {
            for (size_t i = 0; i < m_workers.size(); ++i) {
                Worker &w = *m_workers[i];
                const double share = rate * double(w.senderCount()) / double(senders);
                // Interleave the workers' due times instead of stacking them.
                const int64_t offset =
                    share > 0 ? int64_t(1e9 / share * double(i) / double(m_workers.size())) : 0;
                w.call([&] { w.startSending(start + offset, share, end, measureFrom); });
            }
        } else if (rate > 0) {
            progress("no sending connections: only keep-alive\n");
        }
        int64_t nextReport = start + kNsPerSec;
        uint64_t lastSent = 0, lastDelivered = 0;
        for (;;) {
            const int64_t now = monoNs();
            if (now >= end)
                break;
            sample(now);
            if (now >= nextReport) {
                const uint64_t sent = sum(&LiveCounters::sent);
                const uint64_t delivered = sum(&LiveCounters::delivered);
                progress("  t=%.0fs sent %llu/s, delivered %llu/s, acked %llu of %llu, open %llu\n",
                         double(now - start) / 1e9, static_cast<unsigned long long>(sent - lastSent),
                         static_cast<unsigned long long>(delivered - lastDelivered),
                         static_cast<unsigned long long>(sum(&LiveCounters::acked)),
                         static_cast<unsigned long long>(sent),
                         static_cast<unsigned long long>(sum(&LiveCounters::opened)));
                lastSent = sent;
                lastDelivered = delivered;
                nextReport += kNsPerSec;
            }
            std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(kPollNs, end - now)));
        }
        return seconds;
    }

    // After sending: waits until every message is acked (or refused) and
    // every expected delivery arrived, or the grace period is over.
    bool drain(double &seconds)
    {
        const int64_t start = monoNs();
        const int64_t deadline = start + int64_t(m_o.grace * 1e9);
        bool done = false;
        for (;;) {
            const int64_t now = monoNs();
            const uint64_t sent = sum(&LiveCounters::sent);
            // A send whose connection was lost gets no answer (its fate is for the sync).
            const uint64_t answered = sum(&LiveCounters::acked) + sum(&LiveCounters::refused)
                                      + sum(&LiveCounters::abandoned);
            const uint64_t delivered = sum(&LiveCounters::delivered);
            const uint64_t expected = sum(&LiveCounters::expected);
            const uint64_t pings = sum(&LiveCounters::pings);
            const uint64_t pongs = sum(&LiveCounters::pongs);
            done = answered >= sent && delivered >= expected && pongs >= pings;
            if (done || now >= deadline)
                break;
            sample(now);
            std::this_thread::sleep_for(std::chrono::nanoseconds(kPollNs / 4));
        }
        seconds = double(monoNs() - start) / 1e9;
        return done;
    }

    // Waits (at most `seconds`) until every ping sent has its pong.
    void settlePings(double seconds)
    {
        const int64_t deadline = monoNs() + int64_t(seconds * 1e9);
        while (sum(&LiveCounters::pongs) < sum(&LiveCounters::pings) && monoNs() < deadline)
            std::this_thread::sleep_for(std::chrono::nanoseconds(kPollNs / 4));
    }

    void setKeepalive(bool on)
    {
        for (auto &w : m_workers)
            w->call([&] { w->setKeepalive(on); });
    }

    RunStats collect(bool reset)
    {
        RunStats all;
        for (auto &w : m_workers) {
            RunStats s;
            w->call([&] { s = w->takeStats(reset); });
            all.merge(s);
        }
        return all;
    }

    // After the workers stopped: every acked message against every receiver.
    void verify()
    {
        if (!m_o.verify)
            return;
        std::vector<ReceiverState> receivers(m_layout.conns.size());
        std::vector<AckRecord> acks;
        for (auto &w : m_workers) {
            w->receiverStates(receivers);
            std::vector<AckRecord> mine = w->takeAcks();
            acks.insert(acks.end(), mine.begin(), mine.end());
        }
        m_report.check = checkDeliveries(acks, m_layout.receiversByConversation(), receivers);
        m_report.checked = true;
    }

    void traffic()
    {
        beginWindow();
        progress("sending %.0f msg/s for %.0f s (+%.0f s warm-up)\n", m_o.rate, m_o.duration, m_o.warmup);
        m_report.sendSeconds = send(m_o.rate);
        m_report.drained = drain(m_report.drainSeconds);
        if (m_history.isOpen())
            finalSync();
        setKeepalive(false);
        settlePings(std::max(2.0, m_o.grace)); // returns as soon as every ping is answered
        endWindow(m_report.server, m_report.client);
        m_report.total = collect(false);
        const RunStats &t = m_report.total;
        m_report.unacked = t.sent > t.acked + t.refusedSends ? t.sent - t.acked - t.refusedSends : 0;
    }

    void steps()
    {
        const StepPlan &plan = m_o.step;
        double rate = plan.start;
        for (;;) {
            StepResult step;
            step.rate = rate;
            collect(true); // whatever came between steps does not count
            beginWindow();
            progress("step: %.0f msg/s\n", rate);
            step.seconds = send(rate);
            double drainSeconds = 0;
            const bool drained = drain(drainSeconds);
            endWindow(step.server, step.client);
            step.stats = collect(true);
            m_report.total.merge(step.stats);
            const RunStats &s = step.stats;
            const Histogram &h = s.delivery.count() ? s.delivery : s.ack;
            const double p99 = double(h.percentile(99)) / 1000.0;
            char why[160];
            if (s.skipped > 0) {
                std::snprintf(why, sizeof why, "%llu messages found no open sender",
                              static_cast<unsigned long long>(s.skipped));
            } else if (s.refusedSends > 0) {
                std::snprintf(why, sizeof why, "%llu sends refused (see errors)",
                              static_cast<unsigned long long>(s.refusedSends));
            } else if (!drained) {
                std::snprintf(why, sizeof why,
                              "behind: %llu of %llu acked, %llu of %llu delivered %.1f s after sending stopped",
                              static_cast<unsigned long long>(s.acked),
                              static_cast<unsigned long long>(s.sent),
                              static_cast<unsigned long long>(s.delivered),
                              static_cast<unsigned long long>(s.expectedDeliveries), drainSeconds);
            } else if (p99 > plan.p99Ms) {
                std::snprintf(why, sizeof why, "p99 %.1f ms > %.1f ms", p99, plan.p99Ms);
            } else {
                std::snprintf(why, sizeof why, "ok (p99 %.1f ms)", p99);
                step.passed = true;
            }
            step.verdict = why;
            progress("step: %.0f msg/s: %s\n", rate, why);
            m_report.steps.push_back(step);
            if (!step.passed)
                break;
            m_report.maxPassingRate = rate;
            rate = plan.factor > 1 ? rate * plan.factor : rate + plan.increment;
            if (plan.maxRate > 0 && rate > plan.maxRate + 1e-9)
                break;
        }
        m_report.sendSeconds = 0;
        for (const StepResult &s : m_report.steps)
            m_report.sendSeconds += s.seconds;
        const RunStats &t = m_report.total;
        m_report.unacked = t.sent > t.acked + t.refusedSends ? t.sent - t.acked - t.refusedSends : 0;
    }

    void storm()
    {
        // The connections are open (connect() measured them); hold them,
        // answering keep-alives, for --hold seconds.
        if (m_o.hold > 0) {
            beginWindow();
            progress("holding %llu connections for %.0f s\n",
                     static_cast<unsigned long long>(m_report.connectStats.connectOk), m_o.hold);
            const int64_t end = monoNs() + int64_t(m_o.hold * 1e9);
            while (monoNs() < end) {
                sample(monoNs());
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            setKeepalive(false);
            settlePings(std::max(1.0, m_o.grace));
            endWindow(m_report.holdServer, m_report.holdClient);
            m_report.total = collect(false);
        }
    }

    // Closes every connection and stops the threads; the workers (and what
    // their connections received) stay for verify().
    void shutdown()
    {
        m_shared.finalizing = true;
        for (auto &w : m_workers)
            w->call([&] { w->closeAll(); });
        // Give the close handshakes a moment, then drop whatever is left.
        if (!m_workers.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        for (auto &w : m_workers) {
            w->call([&] { w->abortAll(); });
            w->join();
        }
        closeHistory();
    }

    void print()
    {
        if (m_o.json) {
            std::fputs(reportJson(m_report).c_str(), stdout);
            if (!m_o.quiet)
                std::fputs(reportText(m_report).c_str(), stderr);
        } else {
            std::fputs(reportText(m_report).c_str(), stdout);
        }
        std::fflush(stdout);
    }

    const Options &m_o;
    Layout m_layout;
    RunShared m_shared;
    std::vector<std::unique_ptr<Worker>> m_workers;
    ProcSampler m_server;
    ProcSampler m_self;
    int64_t m_nextSampleNs = 0;
    Report m_report;
    HistoryLog m_history;
    HistoryBuffer m_historyMain{&m_history};
};

} // namespace

int runLoadgen(const Options &options)
{
    Runner r(options);
    return r.run();
}

} // namespace sanayicin::loadgen
