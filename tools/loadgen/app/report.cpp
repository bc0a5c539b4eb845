#include "report.h"

#include "json_out.h"

#include <cstdio>

namespace sanayicin::loadgen {

namespace {

void latencyJson(JsonOut &j, const char *name, const Histogram &h)
{
    j.key(name).beginObject();
    j.field("count", h.count());
    j.field("p50", h.percentile(50));
    j.field("p95", h.percentile(95));
    j.field("p99", h.percentile(99));
    j.field("max", h.max());
    j.field("mean", h.mean());
    j.endObject();
}

void procJson(JsonOut &j, const char *name, const ProcSampler::Summary &s)
{
    j.key(name);
    if (!s.ok) {
        j.null();
        return;
    }
    j.beginObject();
    j.field("cpu_percent_avg", s.cpuAvgPercent);
    j.field("cpu_percent_max", s.cpuMaxPercent);
    j.field("rss_kib_start", s.rssKibStart);
    j.field("rss_kib_max", s.rssKibMax);
    j.field("rss_kib_end", s.rssKibEnd);
    j.endObject();
}

void countsJson(JsonOut &j, const RunStats &s)
{
    j.field("scheduled", s.scheduled);
    j.field("sent", s.sent);
    j.field("skipped", s.skipped);
    j.field("acked", s.acked);
    j.field("refused", s.refusedSends);
    j.field("delivered", s.delivered);
    j.field("expected_deliveries", s.expectedDeliveries);
    j.field("duplicates", s.duplicates);
    j.field("order_violations", s.orderViolations);
    j.field("foreign", s.foreign);
    j.key("errors").beginObject();
    j.field("total", s.errors);
    j.key("by_code").beginObject();
    for (const auto &[k, v] : s.errorsByCode)
        j.field(k, v);
    j.endObject().endObject();
    j.key("keepalive").beginObject();
    j.field("pings", s.pings);
    j.field("pongs", s.pongs);
    latencyJson(j, "rtt_us", s.pingRtt);
    j.endObject();
    j.key("closes").beginObject();
    j.field("total", s.closes);
    j.field("reconnects", s.reconnects);
    j.field("reconnect_failures", s.reconnectFailures);
    j.field("churns", s.churns);
    j.key("by_code").beginObject();
    for (const auto &[k, v] : s.closesByCode)
        j.field(std::to_string(k), v);
    j.endObject().endObject();
    j.key("latency_us").beginObject();
    latencyJson(j, "ack", s.ack);
    latencyJson(j, "delivery", s.delivery);
    latencyJson(j, "send_lag", s.sendLag);
    j.endObject();
}

std::string ms(uint64_t us)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", double(us) / 1000.0);
    return buf;
}

std::string latencyLine(const char *name, const Histogram &h)
{
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %-22s n=%-9llu p50 %s  p95 %s  p99 %s  max %s ms\n", name,
                  static_cast<unsigned long long>(h.count()), ms(h.percentile(50)).c_str(),
                  ms(h.percentile(95)).c_str(), ms(h.percentile(99)).c_str(), ms(h.max()).c_str());
    return buf;
}

std::string procLine(const char *name, const ProcSampler::Summary &s)
{
    if (!s.ok)
        return {};
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "  %-22s CPU avg %.0f%% max %.0f%%, RSS %.1f -> max %.1f -> %.1f MiB\n", name,
                  s.cpuAvgPercent, s.cpuMaxPercent, double(s.rssKibStart) / 1024,
                  double(s.rssKibMax) / 1024, double(s.rssKibEnd) / 1024);
    return buf;
}

} // namespace

std::string reportJson(const Report &r)
{
    const Options &o = *r.options;
    JsonOut j;
    j.beginObject();
    j.field("mode", r.mode);
    j.field("ok", r.error.empty());
    if (!r.error.empty())
        j.field("error", r.error);
    j.key("config").beginObject();
    j.key("urls").beginArray();
    for (const auto &u : o.urls)
        j.value(u);
    j.endArray();
    j.field("threads", o.threads);
    j.field("rate", o.rate);
    j.field("duration_s", o.duration);
    j.field("warmup_s", o.warmup);
    j.field("grace_s", o.grace);
    j.field("body_size", o.bodySize);
    j.field("source_addresses", uint64_t(o.sources.size()));
    j.endObject();
    if (r.setupRan) {
        j.key("setup").beginObject();
        j.field("ok", r.setup.ok);
        j.field("seconds", r.setup.seconds);
        j.field("requests", r.setup.requests);
        j.field("rate_limited", r.setup.rateLimited);
        j.field("retries", r.setup.retries);
        j.endObject();
    }
    j.field("users", r.users);
    j.field("conversations", r.conversations);
    j.key("connections").beginObject();
    j.field("planned", r.connectionsPlanned);
    j.field("busy", r.busyConnections);
    j.field("idle", r.idleConnections);
    j.field("senders", r.senders);
    j.field("opened", r.connectStats.connectOk);
    j.field("failed", r.connectStats.connectFailed);
    j.field("seconds", r.connectSeconds);
    j.field("per_second", r.connectSeconds > 0 ? double(r.connectStats.connectOk) / r.connectSeconds : 0.0);
    latencyJson(j, "auth_latency_us", r.connectStats.connect);
    j.key("errors").beginObject();
    for (const auto &[k, v] : r.connectStats.connectErrors)
        j.field(k, v);
    j.endObject();
    j.endObject();

    if (r.mode != "storm") {
        j.field("send_seconds", r.sendSeconds);
        j.field("achieved_rate", r.sendSeconds > 0 ? double(r.total.sent) / r.sendSeconds : 0.0);
        countsJson(j, r.total);
        j.field("unacked", r.unacked);
        j.field("drained", r.drained);
        j.field("drain_seconds", r.drainSeconds);
        j.key("never_delivered");
        if (r.checked) {
            j.beginObject();
            j.field("checked_pairs", r.check.expected);
            j.field("missing_pairs", r.check.missing);
            j.field("messages", r.check.messagesMissing);
            j.field("excluded_pairs", r.check.excludedReceivers);
            j.endObject();
            j.field("lost", r.check.messagesMissing);
        } else {
            j.null();
            j.key("lost").null();
        }
    } else {
        j.key("keepalive").beginObject();
        j.field("pings", r.total.pings);
        j.field("pongs", r.total.pongs);
        latencyJson(j, "rtt_us", r.total.pingRtt);
        j.endObject();
        j.key("closes").beginObject();
        for (const auto &[k, v] : r.total.closesByCode)
            j.field(std::to_string(k), v);
        j.endObject();
        j.key("hold").beginObject();
        procJson(j, "server", r.holdServer);
        procJson(j, "generator", r.holdClient);
        j.endObject();
    }
    procJson(j, "server", r.server);
    procJson(j, "generator", r.client);
    if (r.mode == "step") {
        j.key("steps").beginArray();
        for (const StepResult &s : r.steps) {
            j.beginObject();
            j.field("rate", s.rate);
            j.field("passed", s.passed);
            j.field("verdict", s.verdict);
            j.field("achieved_rate", s.seconds > 0 ? double(s.stats.sent) / s.seconds : 0.0);
            countsJson(j, s.stats);
            procJson(j, "server", s.server);
            procJson(j, "generator", s.client);
            j.endObject();
        }
        j.endArray();
        j.field("max_passing_rate", r.maxPassingRate);
    }
    j.endObject();
    return j.str() + "\n";
}

std::string reportText(const Report &r)
{
    std::string out;
    char buf[512];
    auto line = [&](const char *fmt, auto... args) {
        std::snprintf(buf, sizeof buf, fmt, args...);
        out += buf;
    };
    line("sanayicin-loadgen: %s\n", r.mode.c_str());
    if (!r.error.empty())
        line("  ERROR: %s\n", r.error.c_str());
    if (r.setupRan)
        line("  setup                  %llu users, %llu conversations in %.1f s (%llu requests, %llu x 429)\n",
             static_cast<unsigned long long>(r.users), static_cast<unsigned long long>(r.conversations),
             r.setup.seconds, static_cast<unsigned long long>(r.setup.requests),
             static_cast<unsigned long long>(r.setup.rateLimited));
    line("  connections            %llu opened, %llu failed of %llu in %.2f s (%.0f/s)\n",
         static_cast<unsigned long long>(r.connectStats.connectOk),
         static_cast<unsigned long long>(r.connectStats.connectFailed),
         static_cast<unsigned long long>(r.connectionsPlanned), r.connectSeconds,
         r.connectSeconds > 0 ? double(r.connectStats.connectOk) / r.connectSeconds : 0.0);
    out += latencyLine("auth (connect->hello)", r.connectStats.connect);
    for (const auto &[k, v] : r.connectStats.connectErrors)
        line("    %llu x %s\n", static_cast<unsigned long long>(v), k.c_str());
    const RunStats &t = r.total;
    if (r.mode != "storm") {
        line("  messages               scheduled %llu, sent %llu (%.0f/s), skipped %llu, acked %llu, refused %llu, unacked %llu\n",
             static_cast<unsigned long long>(t.scheduled), static_cast<unsigned long long>(t.sent),
             r.sendSeconds > 0 ? double(t.sent) / r.sendSeconds : 0.0,
             static_cast<unsigned long long>(t.skipped),
             static_cast<unsigned long long>(t.acked), static_cast<unsigned long long>(t.refusedSends),
             static_cast<unsigned long long>(r.unacked));
        line("  deliveries             %llu of %llu expected; duplicates %llu, order violations %llu\n",
             static_cast<unsigned long long>(t.delivered),
             static_cast<unsigned long long>(t.expectedDeliveries),
             static_cast<unsigned long long>(t.duplicates),
             static_cast<unsigned long long>(t.orderViolations));
        if (r.checked)
            line("  never delivered        %llu messages (%llu of %llu receiver pairs)\n",
                 static_cast<unsigned long long>(r.check.messagesMissing),
                 static_cast<unsigned long long>(r.check.missing),
                 static_cast<unsigned long long>(r.check.expected));
        out += latencyLine("send->ack", t.ack);
        out += latencyLine("send->delivery", t.delivery);
        out += latencyLine("generator lateness", t.sendLag);
    }
    line("  keep-alive             %llu pings, %llu pongs\n", static_cast<unsigned long long>(t.pings),
         static_cast<unsigned long long>(t.pongs));
    out += latencyLine("ping->pong", t.pingRtt);
    if (t.errors) {
        line("  errors                 %llu:", static_cast<unsigned long long>(t.errors));
        for (const auto &[k, v] : t.errorsByCode)
            line(" %s=%llu", k.c_str(), static_cast<unsigned long long>(v));
        out += "\n";
    }
    if (t.closes) {
        line("  closes                 %llu:", static_cast<unsigned long long>(t.closes));
        for (const auto &[k, v] : t.closesByCode)
            line(" %d=%llu", k, static_cast<unsigned long long>(v));
        line(" (reconnected %llu, failed attempts %llu)\n", static_cast<unsigned long long>(t.reconnects),
             static_cast<unsigned long long>(t.reconnectFailures));
    }
    if (t.churns)
        line("  churn                  %llu connections closed on purpose and opened again\n",
             static_cast<unsigned long long>(t.churns));
    out += procLine(r.mode == "storm" ? "server (storm)" : "server", r.server);
    out += procLine(r.mode == "storm" ? "generator (storm)" : "generator", r.client);
    out += procLine("server (hold)", r.holdServer);
    out += procLine("generator (hold)", r.holdClient);
    for (const StepResult &s : r.steps) {
        line("  step %8.0f msg/s: sent %.0f/s, p99 ack %s ms, p99 delivery %s ms, delivered %llu/%llu, server CPU %.0f%%, generator CPU %.0f%%: %s\n",
             s.rate, s.seconds > 0 ? double(s.stats.sent) / s.seconds : 0.0,
             ms(s.stats.ack.percentile(99)).c_str(), ms(s.stats.delivery.percentile(99)).c_str(),
             static_cast<unsigned long long>(s.stats.delivered),
             static_cast<unsigned long long>(s.stats.expectedDeliveries), s.server.cpuAvgPercent,
             s.client.cpuAvgPercent, s.verdict.c_str());
    }
    if (r.mode == "step")
        line("  highest passing rate   %.0f msg/s\n", r.maxPassingRate);
    return out;
}

} // namespace sanayicin::loadgen
