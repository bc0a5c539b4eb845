#!/usr/bin/env python3
"""Checks that the alert rules in deploy/monitoring are all tested and watched.

    check-alert-tests.py [MONITORING_DIR]     (default: deploy/monitoring)

Fails (exit 1, one line per problem) when
  - an alert of a rule file that prometheus.yml loads has no promtool test
    case in a *-test.yml that expects it to fire, or none that expects it
    quiet (exp_alerts empty); an alert whose expr is vector(1) (the
    heartbeat) only needs the firing case;
  - a rule file of prometheus.yml is not loaded by any *-test.yml;
  - a scrape job of prometheus.yml has no absent(up{job="..."}) in the
    ScrapeJobMissing alert, or that alert names a job that does not exist;
  - an alert has no severity the Alertmanager routes (page, ticket,
    heartbeat) or no summary.
promtool itself runs the test cases (promtool test rules); this checks that
they exist. Needs python3-yaml.
"""
import pathlib
import re
import sys

import yaml

SEVERITIES = {"page", "ticket", "heartbeat"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                          pathlib.Path(__file__).resolve().parent.parent / "monitoring")
    problems = []
    prom = load(folder / "prometheus.yml")
    rule_files = list(prom.get("rule_files", []))
    jobs = [c["job_name"] for c in prom.get("scrape_configs", [])]

    alerts = {}  # name -> (file, rule)
    for rf in rule_files:
        for group in load(folder / rf).get("groups", []):
            for rule in group.get("rules", []):
                if "alert" not in rule:
                    continue
                name = rule["alert"]
                if name in alerts:
                    problems.append(f"{name}: defined twice ({alerts[name][0]}, {rf})")
                alerts[name] = (rf, rule)

    fires, quiet = set(), set()
    tested_files = set()
    test_files = sorted(folder.glob("*-test.yml"))
    for tf in test_files:
        doc = load(tf)
        tested_files.update(doc.get("rule_files", []))
        for case in doc.get("tests", []) or []:
            for art in case.get("alert_rule_test", []) or []:
                name = art.get("alertname")
                if name not in alerts:
                    problems.append(f"{tf.name}: test case for unknown alert {name}")
                    continue
                (fires if art.get("exp_alerts") else quiet).add(name)

    for rf in rule_files:
        if rf not in tested_files:
            problems.append(f"{rf}: loaded by prometheus.yml but by no *-test.yml")

    for name, (rf, rule) in sorted(alerts.items()):
        always = rule.get("expr", "").strip() == "vector(1)"
        if name not in fires:
            problems.append(f"{name} ({rf}): no test case where it fires")
        if name not in quiet and not always:
            problems.append(f"{name} ({rf}): no test case where it stays quiet")
        severity = (rule.get("labels") or {}).get("severity")
        if severity not in SEVERITIES:
            problems.append(f"{name} ({rf}): severity {severity!r} is none of {sorted(SEVERITIES)}")
        if not (rule.get("annotations") or {}).get("summary"):
            problems.append(f"{name} ({rf}): no summary annotation")

    missing = alerts.get("ScrapeJobMissing")
    if missing is None:
        problems.append("no ScrapeJobMissing alert (absent() for every scrape job)")
    else:
        named = set(re.findall(r'absent\(up\{job="([^"]+)"\}\)', missing[1]["expr"]))
        for job in jobs:
            if job not in named:
                problems.append(f"scrape job {job}: no absent(up{{job=\"{job}\"}}) in ScrapeJobMissing")
        for job in sorted(named - set(jobs)):
            problems.append(f"ScrapeJobMissing names job {job}, which prometheus.yml does not scrape")

    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{len(alerts)} alerts in {len(rule_files)} files, each with a firing and a quiet test case "
          f"in {len(test_files)} test files; {len(jobs)} scrape jobs, each with absent()")
    return 0


if __name__ == "__main__":
    sys.exit(main())
