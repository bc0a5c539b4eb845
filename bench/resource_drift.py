#!/usr/bin/env python3
"""Judges the resource samples of a soak (bench/resources.sh) "flat".

Input lines: <epoch s> <series> <process id> <value>. Each (series, process
id) is judged on its own: a restarted process starts a new baseline. The
first quarter of a process's samples is its warm-up; the median of the
last quarter may exceed the median of the second quarter by at most the
series' allowed drift (relative + absolute). Only growth counts (a leak);
processes with fewer than --min-samples samples are listed, not judged.
A pool (--cap SUFFIX=N: pgBouncer's max_db_connections for the database
connections) may grow after a burst up to its configured bound: a series
that never went above N is within its drift whatever its medians.
An instance's RSS warms up for minutes (pools, caches, the allocator's
arenas), longer than the first quarter of an instance restarted mid-run:
one that grew past its drift is still flat when it never went above the
level instances that ran at least twice as long settled at (their last
quarter's median plus the same drift), and those are judged on their own.

Exit code: 0 every judged series within its drift, 1 a drift, 2 no
judgeable series or unreadable input.
"""

import argparse
import statistics
import sys
from collections import OrderedDict

# series suffix -> (relative, absolute, unit, why). Series not named here
# (cN.fds, cN.ws: they follow the clients) are shown, not judged.
RULES = OrderedDict([
    ("rss_kib", (0.10, 0, "KiB", "resident memory of an instance")),
    ("fds_other", (0.0, 2, "", "descriptors other than client sockets (fds - ws)")),
    ("threads", (0.0, 0, "", "threads of an instance")),
    ("used_memory", (0.10, 1 << 20, "B", "Redis used_memory")),
    ("clients", (0.0, 2, "", "Redis clients / pgBouncer clients")),
    ("connections", (0.10, 2, "", "PostgreSQL client backends")),
    ("servers", (0.10, 2, "", "pgBouncer server connections")),
])


def rule_for(series):
    suffix = series.split(".", 1)[1] if "." in series else series
    return RULES.get(suffix)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("samples")
    ap.add_argument("--min-samples", type=int, default=12)
    ap.add_argument("--rule", action="append", default=[],
                    help="SUFFIX=REL,ABS: another allowed drift for a series suffix (e.g. rss_kib=0.2,0)")
    ap.add_argument("--cap", action="append", default=[],
                    help="SUFFIX=N: the series is a pool bounded by N: within its drift while at most N")
    a = ap.parse_args()
    caps = {}
    for c in a.cap:
        k, v = c.split("=", 1)
        caps[k] = float(v)
    for r in a.rule:
        k, v = r.split("=", 1)
        rel, ab = v.split(",")
        old = RULES.get(k, (0, 0, "", k))
        RULES[k] = (float(rel), float(ab), old[2], old[3])

    segs = OrderedDict()  # (series, pid) -> [(t, value)]
    try:
        with open(a.samples) as f:
            for n, line in enumerate(f, 1):
                p = line.split()
                if len(p) != 4:
                    continue  # a line cut by the sampler's stop
                try:
                    t, v = int(p[0]), float(p[3])
                except ValueError:
                    continue
                segs.setdefault((p[1], p[2]), []).append((t, v))
    except OSError as e:
        print(f"resources: cannot read {a.samples}: {e}")
        return 2

    # Where each instance's RSS settled: (span, allowed level) per process,
    # for the warm-up rule of an instance restarted mid-run.
    settled = []
    for (series, pid), vals in segs.items():
        rule = rule_for(series)
        if series.endswith(".rss_kib") and rule and len(vals) >= a.min_samples:
            vals_sorted = sorted(vals)
            n = len(vals_sorted)
            q2 = statistics.median(v for _, v in vals_sorted[n // 4:n // 2])
            q4 = statistics.median(v for _, v in vals_sorted[3 * n // 4:])
            if q4 <= q2 * (1 + rule[0]) + rule[1]:  # itself flat
                settled.append((vals_sorted[-1][0] - vals_sorted[0][0], q4 * (1 + rule[0]) + rule[1], series, pid))

    rows, drifts, judged, short = [], [], 0, 0
    for (series, pid), vals in sorted(segs.items(), key=lambda kv: (kv[0][0], kv[1][0][0])):
        vals.sort()
        n = len(vals)
        span = vals[-1][0] - vals[0][0]
        vmax = max(v for _, v in vals)
        rule = rule_for(series)
        if rule is None:
            rows.append((series, pid, n, span, "", "", vmax, "", "shown"))
            continue
        if n < a.min_samples:
            short += 1
            rows.append((series, pid, n, span, "", "", vmax, "", f"short (< {a.min_samples} samples)"))
            continue
        q2 = statistics.median(v for _, v in vals[n // 4:n // 2])
        q4 = statistics.median(v for _, v in vals[3 * n // 4:])
        allowed = q2 * (1 + rule[0]) + rule[1]
        ok = q4 <= allowed
        cap = caps.get(series.split(".", 1)[-1])
        verdict = "flat" if ok else "DRIFT"
        if not ok and cap is not None and vmax <= cap:
            ok, verdict = True, f"grew, within the pool's bound {cap:g}"
        if not ok and series.endswith(".rss_kib"):
            longer = [x for x in settled if x[0] >= 2 * span and x[3] != pid]
            if longer:
                level = max(x[1] for x in longer)
                if vmax <= level:
                    ok, verdict = True, f"warmed up to where longer-lived instances settled (<= {level:.0f})"
        judged += 1
        rows.append((series, pid, n, span, q2, q4, vmax, allowed, verdict))
        if not ok:
            pct = (q4 - q2) / q2 * 100 if q2 else float("inf")
            drifts.append(f"{series} (pid {pid}) {q2:g} -> {q4:g} ({pct:+.1f} %), allowed {allowed:g}")

    def fmt(x):
        return "" if x == "" else f"{x:.0f}" if isinstance(x, float) else str(x)

    print("allowed drift (last-quarter median vs second-quarter median, per process):")
    for k, (rel, ab, unit, why) in RULES.items():
        bound = f", or never above {caps[k]:g} (the pool's bound)" if k in caps else ""
        print(f"  *.{k:<12} +{rel * 100:.0f} % + {ab:g}{(' ' + unit) if unit else ''}{bound}  ({why})")
    print(f"{'series':<20} {'pid':>8} {'n':>5} {'span s':>7} {'q2 median':>12} {'q4 median':>12} {'max':>12} {'allowed':>12}  verdict")
    for r in rows:
        print(f"{r[0]:<20} {r[1]:>8} {r[2]:>5} {r[3]:>7} {fmt(r[4]):>12} {fmt(r[5]):>12} {fmt(r[6]):>12} {fmt(r[7]):>12}  {r[8]}")
    if drifts:
        print(f"resources: DRIFT in {len(drifts)} of {judged} judged series: " + "; ".join(drifts))
        return 1
    if judged == 0:
        print("resources: NONE judged (run too short for the sampling period?)")
        return 2
    print(f"resources: FLAT ({judged} series judged, {short} processes too short to judge)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
