#!/usr/bin/python3
"""Debian 12's prometheus-pgbouncer-exporter (1.7) with pgBouncer 1.18's SHOW STATS.

The packaged exporter reads a column `total_requests` that pgBouncer renamed
in 1.8 (`total_query_count`); with Debian 12's pgBouncer every scrape then
fails with KeyError and Prometheus sees the exporter down (up == 0), which
would page PgBouncerDown around the clock. This starts the packaged exporter
unchanged, with its STATS columns mapped to the ones pgBouncer 1.18 has; the
metric names stay as documented (pgbouncer_requests_total, ...).

Installed as /usr/local/lib/sanayicin/pgbouncer-exporter-compat.py and run by
deploy/systemd/drop-ins/prometheus-pgbouncer-exporter.service.d in place of
/usr/bin/prometheus-pgbouncer-exporter, with the same arguments.
"""
import sys

from prometheus_pgbouncer_exporter import cli, collectors

collectors.StatsCollector.metrics = {
    "total_query_count": (
        "requests_total",
        "Total number of SQL requests pooled by pgbouncer",
    ),
    "total_received": (
        "received_bytes_total",
        "Total volume in bytes of network traffic received by pgbouncer",
    ),
    "total_sent": (
        "sent_bytes_total",
        "Total volume in bytes of network traffic sent by pgbouncer",
    ),
    "total_query_time": (
        "query_microseconds_total",
        "Total number of microseconds spent by pgbouncer when actively connected to PostgreSQL",
    ),
}

if __name__ == "__main__":
    sys.exit(cli.main())
