#!/usr/bin/env bash
# bench/soak.sh: the soak (issue 12, docs/reliability.md "The soak").
#
# A steady load with clients coming and going (each connection closes and
# opens again after about --churn seconds) while the faults that compose in
# one run are injected at random (one every 0.5-1.5 x --fault-every
# seconds, seeded): sigkill, sigstop, redis-restart, pg-restart-fast,
# pg-restart-immediate, pgbouncer-restart, pgbouncer-pause, the daemons
# reaching PostgreSQL through pgBouncer. Every --sample seconds the RSS,
# open descriptors and threads of each instance, Redis's used_memory and
# clients, and PostgreSQL's and pgBouncer's connections are sampled. The
# verdict: the history checker PASS and every resource flat (the last
# quarter's median within its allowed drift of the second quarter's, per
# process: bench/resource_drift.py). Result: bench/results/<date>/soak-*.txt
# and its samples (.resources.txt.gz). Exit code 0 pass, 1 fail.
#
# It is bench/faults.sh with these defaults; every option of faults.sh
# (--rate, --connections, --seed, --fault-length, --drift-rule, the shared
# ones) can follow.
#
# Usage: bench/soak.sh [--duration S] [options of bench/faults.sh]
#   --duration S        seconds of sending (default 3600: the hour)
#   --faults LIST       the faults to draw from (default: all seven above)
#   --no-pgbouncer      the daemons straight to PostgreSQL (the network
#                       faults need it: pgBouncer listens on loopback only)
#   the wide draw (docs/reliability.md, "The soak"): --no-pgbouncer --faults
#             sigkill,sigstop,redis-restart,pg-restart-fast,pg-restart-immediate,
#             net-delay-pg,net-loss-pg,net-partition-pg,net-delay-redis,
#             net-loss-redis,net-partition-redis,wal-full
#   defaults: --rate 200 --connections 100 --churn 60 --fault-every 300
#             --sample 10
#   the short one (ctest soak_quick): --duration 150 --fault-every 40
#             --churn 15 --sample 3 --connections 40 --rate 100
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FAULTS=sigkill,sigstop,redis-restart,pg-restart-fast,pg-restart-immediate,pgbouncer-restart,pgbouncer-pause
args=()
pgbouncer=(--pgbouncer)
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    --faults) FAULTS=$2; shift 2 ;;
    --no-pgbouncer) pgbouncer=(); shift ;;
    *) args+=("$1"); shift ;;
    esac
done
if [ ${#pgbouncer[@]} -eq 0 ] && [[ ,$FAULTS, == *,pgbouncer-* ]]; then
    echo "soak.sh: --no-pgbouncer with a pgBouncer fault in --faults ($FAULTS)" >&2
    exit 2
fi
# Later options win: the caller's come after the defaults.
exec "$here/faults.sh" "$FAULTS" --name soak "${pgbouncer[@]}" --duration 3600 --rate 200 --connections 100 \
    --churn 60 --fault-every 300 --sample 10 "${args[@]}"
