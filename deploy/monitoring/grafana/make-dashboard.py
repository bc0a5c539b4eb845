#!/usr/bin/env python3
"""Writes sanayicin-dashboard.json (Grafana 9+). Edit the panels here and run
it again rather than editing the JSON by hand:

    python3 deploy/monitoring/grafana/make-dashboard.py
"""
import json
import os

DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'instance=~"$instance"'
RI = "$__rate_interval"

panels = []
_next_id = [1]
_y = [0]


def row(title):
    panels.append({"type": "row", "title": title, "id": _next_id[0], "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": _y[0]}, "panels": []})
    _next_id[0] += 1
    _y[0] += 1


def ts(title, targets, unit="short", x=0, w=12, h=8, desc="", thresholds=None, stack=False):
    p = {
        "type": "timeseries",
        "title": title,
        "description": desc,
        "id": _next_id[0],
        "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": x, "y": _y[0]},
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "custom": {"lineWidth": 1, "fillOpacity": 10,
                           "stacking": {"mode": "normal" if stack else "none"}},
            },
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "list", "placement": "bottom"},
                    "tooltip": {"mode": "multi"}},
        "targets": [{"datasource": DS, "refId": chr(ord("A") + i), "expr": e, "legendFormat": l}
                    for i, (e, l) in enumerate(targets)],
    }
    if thresholds:
        p["fieldConfig"]["defaults"]["thresholds"] = {
            "mode": "absolute",
            "steps": [{"color": "green", "value": None}] +
                     [{"color": c, "value": v} for v, c in thresholds]}
        p["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"] = {"mode": "line"}
    panels.append(p)
    _next_id[0] += 1
    if x + w >= 24:
        _y[0] += h


def q(quantile, metric, by):
    return (f"histogram_quantile({quantile}, sum by ({by}) "
            f"(rate({metric}_bucket{{{SEL}}}[{RI}])))")


row("Traffic")
ts("WebSocket connections", [
    (f"sanayicin_websocket_connections{{{SEL}}}", "{{instance}}"),
    (f"sum(sanayicin_websocket_connections{{{SEL}}})", "total"),
], x=0, desc="Open WebSockets per instance. least_conn keeps them close to even.")
ts("Online users", [
    (f"sanayicin_online_users{{{SEL}}}", "{{instance}}"),
], x=12, desc="Users with at least one connection on the instance.")
ts("Messages per second", [
    (f"sum(rate(sanayicin_messages_received_total{{{SEL}}}[{RI}]))", "received"),
    (f"sum(rate(sanayicin_messages_persisted_total{{{SEL}}}[{RI}]))", "persisted"),
    (f"sum(rate(sanayicin_messages_delivered_total{{{SEL}}}[{RI}]))", "delivered (frames)"),
], unit="ops", x=0, desc="Received from clients, committed by the writer, and message frames "
   "written to connections (one per recipient connection).")
ts("Receive to ack", [
    (q(0.5, "sanayicin_receive_to_ack_seconds", "le"), "p50"),
    (q(0.99, "sanayicin_receive_to_ack_seconds", "le"), "p99"),
    (q(0.99, "sanayicin_receive_to_ack_seconds", "instance, le"), "p99 {{instance}}"),
], unit="s", x=12, thresholds=[(0.1, "red")],
   desc="From a send's arrival to its commit and ack. The alert fires on p99 above 100 ms.")

row("HTTP and database")
ts("HTTP p95 by route", [
    (q(0.95, "sanayicin_http_request_duration_seconds", "route, le"), "{{route}}"),
], unit="s", x=0)
ts("HTTP requests by status", [
    (f"sum by (status) (rate(sanayicin_http_requests_total{{{SEL}}}[{RI}]))", "{{status}}"),
], unit="reqps", x=12, stack=True)
ts("Database statement p99", [
    (q(0.99, "sanayicin_db_query_seconds", "instance, le"), "{{instance}}"),
    (q(0.5, "sanayicin_db_query_seconds", "le"), "p50 all"),
], unit="s", x=0, thresholds=[(0.25, "orange")])
ts("Queue depths", [
    (f"sanayicin_job_queue_depth{{{SEL}}}", "{{instance}} {{queue}}"),
], x=12, desc="The writer's backlog, the read pool's queue and (with the Redis job "
   "queue) the streams' pending jobs.")
ts("Jobs by outcome", [
    (f"sum by (queue, outcome) (rate(sanayicin_jobs_total{{{SEL}}}[{RI}]))",
     "{{queue}} {{outcome}}"),
], unit="ops", x=0, desc="queue=writer counts group commits; outcome=failed should stay at 0.")
ts("Refusals", [
    (f"sum(rate(sanayicin_rate_limited_total{{{SEL}}}[{RI}]))", "rate limited"),
    (f"sum by (code) (rate(sanayicin_websocket_closes_total{{{SEL}}}[{RI}]))", "close {{code}}"),
], unit="ops", x=12)

row("Instances and Redis")
ts("Up and ready", [
    ('up{job="sanayicind", ' + SEL + '}', "up {{instance}}"),
    ('probe_success{job="sanayicind-readyz", ' + SEL + '}', "ready {{instance}}"),
], x=0, desc="1 = scraped / /readyz answered 200.")
ts("Redis bridge", [
    (f"sum(rate(sanayicin_bridge_published_total{{{SEL}}}[{RI}]))", "published"),
    (f"sum(rate(sanayicin_bridge_received_total{{{SEL}}}[{RI}]))", "received"),
    (f"sum by (instance) (increase(sanayicin_bridge_reconnects_total{{{SEL}}}[{RI}]))",
     "reconnects {{instance}}"),
    (f"sanayicin_bridge_connected{{{SEL}}}", "connected {{instance}}"),
], x=12)

dashboard = {
    "title": "Sanayicin",
    "uid": "sanayicin-overview",
    "description": "sanayicind instances: connections, messages, latency, queues, Redis bridge.",
    "tags": ["sanayicin"],
    "timezone": "utc",
    "schemaVersion": 37,
    "version": 1,
    "editable": True,
    "refresh": "30s",
    "time": {"from": "now-6h", "to": "now"},
    "templating": {"list": [
        {"type": "datasource", "name": "datasource", "label": "Prometheus",
         "query": "prometheus", "current": {}, "hide": 0},
        {"type": "query", "name": "instance", "label": "Instance", "datasource": DS,
         "query": {"query": "label_values(sanayicin_websocket_connections, instance)",
                   "refId": "instance"},
         "definition": "label_values(sanayicin_websocket_connections, instance)",
         "refresh": 2, "multi": True, "includeAll": True, "allValue": ".*",
         "current": {}, "sort": 1, "hide": 0},
    ]},
    "annotations": {"list": []},
    "panels": panels,
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sanayicin-dashboard.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(dashboard, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(out)
