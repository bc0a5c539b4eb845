#!/usr/bin/env python3
"""bench/resource_drift.py (the soak's "flat" judge) on handmade samples:
a flat series passes, a growing one is a drift, a restart starts a new
baseline, a pool may grow up to its cap, short processes are not judged,
and bad lines are skipped. Run: python3 test_resource_drift.py JUDGE."""

import os
import subprocess
import sys
import tempfile
import unittest

JUDGE = None


def samples(series, pid, values, t0=1000):
    return [f"{t0 + 10 * i} {series} {pid} {v}" for i, v in enumerate(values)]


def judge(lines, *args):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        p = subprocess.run([sys.executable, JUDGE, *args, path], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(path)
    return p.returncode, p.stdout


class ResourceDrift(unittest.TestCase):
    def test_flat_passes(self):
        rc, out = judge(samples("c0.rss_kib", 100, [30000] * 20) + samples("c0.threads", 100, [9] * 20))
        self.assertEqual(rc, 0, out)
        self.assertIn("resources: FLAT (2 series judged", out)

    def test_growth_past_ten_percent_is_a_drift(self):
        # Second quarter 30000, last quarter 33100: +10.3 %.
        rc, out = judge(samples("c0.rss_kib", 100, [30000] * 10 + [33100] * 10))
        self.assertEqual(rc, 1, out)
        self.assertIn("DRIFT in 1 of 1", out)
        self.assertIn("c0.rss_kib (pid 100) 30000 -> 33100", out)

    def test_growth_at_the_limit_passes(self):
        rc, out = judge(samples("c0.rss_kib", 100, [30000] * 10 + [33000] * 10))
        self.assertEqual(rc, 0, out)

    def test_restarted_instance_warming_up_to_the_others_level_passes(self):
        # c1 restarted mid-run steps up from 27400 to 31000 after its first
        # quarter (the hour of 2026-12-04: a 9-minute c1 process), where c0,
        # running four times as long, settled (31900): warm-up, not a leak.
        c0 = samples("c0.rss_kib", 100, [31000] * 10 + [31900] * 70)
        c1 = samples("c1.rss_kib", 200, [27400] * 8 + [31000] * 12)
        rc, out = judge(c0 + c1)
        self.assertEqual(rc, 0, out)
        self.assertIn("warmed up to where longer-lived instances settled", out)

    def test_restarted_instance_above_the_others_level_is_a_drift(self):
        c0 = samples("c0.rss_kib", 100, [31000] * 10 + [31900] * 70)
        c1 = samples("c1.rss_kib", 200, [27400] * 8 + [36000] * 12)  # above 31900 * 1.1
        rc, out = judge(c0 + c1)
        self.assertEqual(rc, 1, out)
        self.assertIn("c1.rss_kib (pid 200)", out)

    def test_peers_do_not_excuse_the_longest_lived(self):
        # Growth in an instance that ran the whole time is judged on its own,
        # however high a shorter one went.
        c0 = samples("c0.rss_kib", 100, [30000] * 40 + [34000] * 40)
        c1 = samples("c1.rss_kib", 200, [40000] * 20)
        rc, out = judge(c0 + c1)
        self.assertEqual(rc, 1, out)
        self.assertIn("c0.rss_kib (pid 100)", out)

    def test_peers_of_about_the_same_age_do_not_excuse(self):
        # A level is taken only from instances that ran at least twice as long.
        c0 = samples("c0.rss_kib", 100, [31000] * 30)
        c1 = samples("c1.rss_kib", 200, [27400] * 8 + [31000] * 12)
        rc, out = judge(c0 + c1)
        self.assertEqual(rc, 1, out)

    def test_one_more_thread_is_a_drift(self):
        rc, out = judge(samples("c0.threads", 100, [9] * 10 + [10] * 10))
        self.assertEqual(rc, 1, out)

    def test_warmup_is_not_judged(self):
        # The first quarter (the warm-up) is far below: not a drift.
        rc, out = judge(samples("c0.rss_kib", 100, [1000] * 5 + [30000] * 15))
        self.assertEqual(rc, 0, out)

    def test_a_restart_starts_a_new_baseline(self):
        # The killed process at 40000, the new one from 28000: each flat on
        # its own, though together the second would look like a fall and
        # a rise.
        lines = samples("c1.rss_kib", 100, [40000] * 16) + samples("c1.rss_kib", 200, [28000] * 16, t0=2000)
        rc, out = judge(lines)
        self.assertEqual(rc, 0, out)
        self.assertIn("2 series judged", out)

    def test_a_short_process_is_listed_not_judged(self):
        lines = samples("c1.rss_kib", 100, [30000] * 20) + samples("c1.rss_kib", 200, [10, 99999, 99999], t0=5000)
        rc, out = judge(lines)
        self.assertEqual(rc, 0, out)
        self.assertIn("short (< 12 samples)", out)
        self.assertIn("1 processes too short", out)

    def test_a_pool_may_grow_to_its_cap(self):
        lines = samples("pgb.servers", 100, [5] * 10 + [9] * 10)
        self.assertEqual(judge(lines)[0], 1)
        rc, out = judge(lines, "--cap", "servers=30")
        self.assertEqual(rc, 0, out)
        self.assertIn("within the pool's bound 30", out)
        rc, out = judge(samples("pgb.servers", 100, [5] * 10 + [31] * 10), "--cap", "servers=30")
        self.assertEqual(rc, 1, out)

    def test_shown_series_are_not_judged(self):
        rc, out = judge(samples("c0.ws", 100, [10] * 10 + [90] * 10) + samples("c0.threads", 100, [9] * 20))
        self.assertEqual(rc, 0, out)
        self.assertIn("shown", out)

    def test_nothing_judgeable(self):
        rc, out = judge(samples("c0.rss_kib", 100, [1, 2, 3]))
        self.assertEqual(rc, 2, out)
        self.assertIn("NONE judged", out)

    def test_bad_lines_are_skipped(self):
        lines = samples("c0.threads", 100, [9] * 20) + ["1000 c0.threads", "x c0.threads 100 9", "1000 c0.threads 100 nine", ""]
        rc, out = judge(lines)
        self.assertEqual(rc, 0, out)

    def test_a_missing_file_is_an_error(self):
        p = subprocess.run([sys.executable, JUDGE, "/nonexistent/samples.txt"], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    JUDGE = sys.argv.pop(1)
    unittest.main(verbosity=1)
