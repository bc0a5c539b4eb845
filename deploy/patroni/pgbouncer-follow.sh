#!/usr/bin/env bash
# deploy/patroni/pgbouncer-follow.sh: keeps pgBouncer's database pointed at
# the PostgreSQL primary (docs/operations.md, "Patroni: the managed switch").
# Runs on the pgBouncer host as the owner of pgbouncer.ini (postgres on
# Debian), under systemd with Restart=always.
#
#   pgbouncer-follow.sh [options] NODE...   follow Patroni's leader: every
#       --interval s ask each NODE's REST API GET /primary (200 only on the
#       leader); when exactly one answers 200 and the database's line names
#       another server, re-point it
#   pgbouncer-follow.sh [options] --to HOST:PORT   re-point once, now (an
#       operator's manual promotion; bench/faults/pg-failover-pgbouncer.sh)
#
# NODE: API_HOST:API_PORT=PG_HOST:PG_PORT, e.g. 10.0.0.11:8008=10.0.0.11:5432
# Re-pointing: the database's [databases] line gets host= and port= of the
# new primary (the rest of the line stays), then RELOAD on pgBouncer's admin
# console. Transactions running on the old server fail once; clients keep
# their connections to pgBouncer.
# Options:
#   --ini FILE          pgbouncer.ini (default /etc/pgbouncer/pgbouncer.ini)
#   --db NAME           the database's name in [databases] (default sanayicin)
#   --admin-host H      pgBouncer's address for the admin console (default 127.0.0.1)
#   --admin-port P      its port (default 6432)
#   --admin-user U      an admin_users name (default pgbouncer_admin); its
#                       password from PGPASSWORD or ~/.pgpass
#   --interval S        seconds between looks (default 1)
#   --once              one look, then exit (0: nothing to do or re-pointed)
set -euo pipefail
ini=/etc/pgbouncer/pgbouncer.ini
db=sanayicin
admin_host=127.0.0.1
admin_port=6432
admin_user=pgbouncer_admin
interval=1
once=0
to=
nodes=()
usage() { sed -n '2,/^set /{/^#/!q;s/^# \{0,1\}//;p}' "$0"; }
while [ $# -gt 0 ]; do
    case $1 in
    --ini) ini=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --admin-host) admin_host=$2; shift 2 ;;
    --admin-port) admin_port=$2; shift 2 ;;
    --admin-user) admin_user=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --once) once=1; shift ;;
    --to) to=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) nodes+=("$1"); shift ;;
    esac
done
[ -n "$to" ] || [ ${#nodes[@]} -gt 0 ] || { usage >&2; exit 2; }
[[ $db =~ ^[A-Za-z0-9_]+$ ]] || { echo "--db: letters, digits and _ only" >&2; exit 2; }
say() { printf '%s pgbouncer-follow: %s\n' "$(date -u +%FT%T.%3NZ)" "$*" >&2; }

# host:port of the database's line now ("" if the line lacks either).
current() {
    awk -v db="$db" '
        $0 ~ "^[ \t]*" db "[ \t]*=" {
            h = ""; p = ""
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^host=/) h = substr($i, 6)
                if ($i ~ /^port=/) p = substr($i, 6)
            }
            print h ":" p; exit
        }' "$ini"
}

# Points the line at HOST:PORT and RELOADs pgBouncer.
repoint() { # HOST:PORT
    local host=${1%:*} port=${1##*:} now
    [[ $host =~ ^[A-Za-z0-9._-]+$ && $port =~ ^[0-9]+$ ]] || { say "not a host:port: $1"; return 2; }
    now=$(current)
    [[ $now == *:?* && $now != :* ]] || { say "$ini: no line '$db = host=... port=...'"; return 2; }
    # sed -i writes a new file and renames it over the old one: pgBouncer
    # never reads half a file.
    sed -i -E "/^[ \t]*${db}[ \t]*=/{s/(^|[ \t])host=[^ \t]*/\1host=$host/;s/(^|[ \t])port=[0-9]*/\1port=$port/}" "$ini"
    [ "$(current)" = "$host:$port" ] || { say "$ini: the line did not change"; return 1; }
    psql -h "$admin_host" -p "$admin_port" -U "$admin_user" -d pgbouncer -X -q -v ON_ERROR_STOP=1 -c RELOAD \
        || { say "RELOAD failed (the file names $host:$port)"; return 1; }
    say "$db: $now -> $host:$port, RELOADed"
}

# The PostgreSQL host:port of the one node whose API says it is the leader
# ("" if none or several do: a failover under way; nothing is changed then).
leader() {
    local n found=()
    for n in "${nodes[@]}"; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://${n%%=*}/primary" || true)" = 200 ] && found+=("${n#*=}")
    done
    [ ${#found[@]} -eq 1 ] && echo "${found[0]}"
    return 0
}

if [ -n "$to" ]; then
    repoint "$to"
    exit
fi
while :; do
    l=$(leader)
    if [ -n "$l" ] && [ "$l" != "$(current)" ]; then repoint "$l" || true; fi
    [ "$once" -eq 1 ] && exit 0
    sleep "$interval"
done
