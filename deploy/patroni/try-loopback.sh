#!/usr/bin/env bash
# deploy/patroni/try-loopback.sh STATE: deploy/patroni/15-main.yml for real on
# 127.0.0.1, as root on a test machine (Debian 12: patroni, etcd-server,
# postgresql-15). One etcd member and two Patroni nodes (n1, n2) on free
# loopback ports under STATE, run as the postgres user; the first bootstraps
# and leads, the second clones and becomes the synchronous standby; a row
# written on n1; `patronictl switchover` to n2; then checks that n2 leads
# with the row, that n1 follows it as the new synchronous standby, and what a
# multi-host URL with target_session_attrs=read-write reaches before and
# after, and that pgbouncer-follow.sh re-pointed a pgBouncer in front of
# them. Everything it started is stopped by PID at the end; STATE keeps the
# configs and logs. About 80 s.
#
# What differs from the shipped file (printed): addresses, ports and folders;
# the 10.0.0.0/24 lines of pg_hba for 127.0.0.1/32; shared_buffers 128MB
# (a shared test machine); archive_mode off (no pgBackRest repository here);
# watchdog off (no /dev/watchdog); ttl/loop_wait unchanged.
set -euo pipefail
state=${1:?usage: $0 STATE}
here=$(cd "$(dirname "$0")" && pwd)
pids=()
cleanup() {
    local k
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
        kill -TERM "${pids[$k]}" 2>/dev/null || continue
        for _ in $(seq 1 300); do kill -0 "${pids[$k]}" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "${pids[$k]}" 2>/dev/null || true
    done
}
trap cleanup EXIT
say() { printf '[try %s] %s\n' "$(date -u +%T.%3N)" "$*"; }
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 12000))
        ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
    exit 1
}
# Waits until URL answers 200 (S seconds at most).
wait_200() { # URL S
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "$1")" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}
as_pg() { HOME=/var/lib/postgresql setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
# For `bg_pg CMD &`: the background subshell becomes CMD (exec; setpriv execs
# too), so $! is CMD's own PID and the cleanup's TERM reaches it.
bg_pg() { HOME=/var/lib/postgresql exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }

rm -rf "$state"
mkdir -p "$state"
chown postgres:postgres "$state"
etcd_client=$(free_port)
etcd_peer=$(free_port)
say "etcd $(etcd --version | head -n 1 | awk '{print $3}'): client 127.0.0.1:$etcd_client"
bg_pg etcd --name e1 --data-dir "$state/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "e1=http://127.0.0.1:$etcd_peer" --initial-cluster-state new >"$state/etcd.log" 2>&1 &
pids+=($!)
wait_200 "http://127.0.0.1:$etcd_client/health" 30 || { tail "$state/etcd.log"; exit 1; }

# sanayicin.conf as custom_conf, scaled down and without archiving.
sed -e 's/^shared_buffers = .*/shared_buffers = 128MB/' -e 's/^archive_mode = on/archive_mode = off/' \
    "$here/../postgresql/sanayicin.conf" >"$state/sanayicin.conf"
chown postgres:postgres "$state/sanayicin.conf"
declare -A pgport apiport
for n in n1 n2; do
    pgport[$n]=$(free_port)
    apiport[$n]=$(free_port)
    mkdir -p "$state/$n"
    chown postgres:postgres "$state/$n"
    python3 - "$here/15-main.yml" "$state/$n.yml" "$n" "${pgport[$n]}" "${apiport[$n]}" "$etcd_client" "$state" <<'EOF'
import sys, yaml
src, dst, name, pg, api, etcd, state = sys.argv[1:]
c = yaml.safe_load(open(src))
c['name'] = name
c['restapi']['listen'] = c['restapi']['connect_address'] = f'127.0.0.1:{api}'
c['etcd3']['hosts'] = [f'127.0.0.1:{etcd}']
p = c['postgresql']
p['listen'] = p['connect_address'] = f'127.0.0.1:{pg}'
p['data_dir'] = f'{state}/{name}/data'
p['pgpass'] = f'{state}/{name}/pgpass'
p['custom_conf'] = f'{state}/sanayicin.conf'
p['parameters']['unix_socket_directories'] = f'{state}/{name}'
hba = [l.replace('10.0.0.0/24', '127.0.0.1/32') for l in p['pg_hba']]
p['pg_hba'] = c['bootstrap']['pg_hba'] = hba
c['watchdog']['mode'] = 'off'
c['log'] = {'dir': f'{state}/{name}', 'level': 'INFO'}
yaml.safe_dump(c, open(dst, 'w'), sort_keys=False)
EOF
    chown postgres:postgres "$state/$n.yml"
    chmod 600 "$state/$n.yml"
done
say "changes against deploy/patroni/15-main.yml (n1):"
diff <(python3 -c 'import sys,yaml; print(yaml.safe_dump(yaml.safe_load(open(sys.argv[1])), sort_keys=True))' "$here/15-main.yml") \
    <(python3 -c 'import sys,yaml; print(yaml.safe_dump(yaml.safe_load(open(sys.argv[1])), sort_keys=True))' "$state/n1.yml") \
    | grep '^[<>]' | sed 's/^/    /' || true

api() { curl -s -m 5 "http://127.0.0.1:${apiport[$1]}$2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:${apiport[$1]}$2"; }
ctl() { as_pg patronictl -c "$state/n1.yml" "$@"; }
sql() { # NODE SQL
    as_pg psql -h "$state/$1" -p "${pgport[$1]}" -U postgres -d postgres -Atqc "$2"
}
url="postgresql://postgres@127.0.0.1:${pgport[n1]},127.0.0.1:${pgport[n2]}/postgres?target_session_attrs=read-write&connect_timeout=2"
rw_port() { PGPASSWORD=POSTGRES-PASSWORD psql "$url" -Atc 'SELECT inet_server_port()'; }

t0=$(date +%s.%N)
bg_pg patroni "$state/n1.yml" >"$state/n1/patroni.out" 2>&1 &
pids+=($!)
wait_200 "http://127.0.0.1:${apiport[n1]}/primary" 120 || { tail -n 30 "$state/n1/patroni.out" "$state"/n1/*.log; exit 1; }
say "n1 bootstrapped and leads ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s)"
bg_pg patroni "$state/n2.yml" >"$state/n2/patroni.out" 2>&1 &
pids+=($!)
# The synchronous standby: /sync answers 200 there (Patroni 3.0).
wait_200 "http://127.0.0.1:${apiport[n2]}/sync" 120 || { tail -n 30 "$state/n2/patroni.out"; ctl list; exit 1; }
say "n2 cloned, streaming, synchronous standby"
ctl list
say "n1: synchronous_standby_names = $(sql n1 'SHOW synchronous_standby_names'); pg_stat_replication: $(sql n1 "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication")"
say "n1: synchronous_commit = $(sql n1 'SHOW synchronous_commit'), fsync = $(sql n1 'SHOW fsync'), wal_log_hints = $(sql n1 'SHOW wal_log_hints'), max_connections = $(sql n1 'SHOW max_connections')"
# pgBouncer (deploy/pgbouncer/pgbouncer.ini, ports and files moved here) in
# front of n1, and pgbouncer-follow.sh watching both nodes' REST APIs.
pgb_port=$(free_port)
mkdir -p "$state/pgbouncer"
printf '"postgres" "POSTGRES-PASSWORD"\n"pgbouncer_admin" "admin-try"\n' >"$state/pgbouncer/userlist.txt"
sed -e "s|^sanayicin = host=.*|postgres = host=127.0.0.1 port=${pgport[n1]} dbname=postgres|" \
    -e "s|^listen_port = .*|listen_port = $pgb_port|" -e "s|^unix_socket_dir = .*|unix_socket_dir = $state/pgbouncer|" \
    -e "s|^logfile = .*|logfile = $state/pgbouncer/pgbouncer.log|" -e "s|^pidfile = .*|pidfile = $state/pgbouncer/pgbouncer.pid|" \
    -e "s|^auth_file = .*|auth_file = $state/pgbouncer/userlist.txt|" "$here/../pgbouncer/pgbouncer.ini" >"$state/pgbouncer/pgbouncer.ini"
chown -R postgres:postgres "$state/pgbouncer"
bg_pg pgbouncer "$state/pgbouncer/pgbouncer.ini" >"$state/pgbouncer/out.log" 2>&1 &
pids+=($!)
PGPASSWORD=admin-try bg_pg "$here/pgbouncer-follow.sh" --ini "$state/pgbouncer/pgbouncer.ini" --db postgres \
    --admin-port "$pgb_port" "127.0.0.1:${apiport[n1]}=127.0.0.1:${pgport[n1]}" \
    "127.0.0.1:${apiport[n2]}=127.0.0.1:${pgport[n2]}" >"$state/pgbouncer/follow.log" 2>&1 &
pids+=($!)
via_pgb() { PGPASSWORD=POSTGRES-PASSWORD psql -h 127.0.0.1 -p "$pgb_port" -U postgres -d postgres -Atc \
    "SELECT inet_server_port() || CASE WHEN pg_is_in_recovery() THEN ' (standby)' ELSE ' (primary)' END"; }
for _ in $(seq 1 100); do via_pgb >/dev/null 2>&1 && break; sleep 0.1; done
say "through pgBouncer (port $pgb_port): $(via_pgb)"
sql n1 "CREATE TABLE try (t text); INSERT INTO try VALUES ('written on n1 before the switchover')"
say "multi-host URL (read-write) reaches port $(rw_port) (n1 is ${pgport[n1]}, n2 ${pgport[n2]})"

t1=$(date +%s.%N)
say "switchover: patronictl switchover --leader n1 --candidate n2 --force"
ctl switchover --leader n1 --candidate n2 --force sanayicin
wait_200 "http://127.0.0.1:${apiport[n2]}/primary" 120 || { ctl list; exit 1; }
say "n2 leads ($(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s after the switchover began)"
# A commit on the new primary right away: with synchronous_mode_strict it
# waits until a standby (here only n1, being restarted as one) confirms it.
t2=$(date +%s.%N)
sql n2 "SHOW synchronous_standby_names" | sed 's/^/    n2 synchronous_standby_names: /'
sql n2 "INSERT INTO try VALUES ('committed on n2 right after the switchover')"
say "a commit on n2 right after it leads returned after $(awk -v a="$t2" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
wait_200 "http://127.0.0.1:${apiport[n1]}/sync" 120 || { ctl list; tail -n 30 "$state/n1/patroni.out"; exit 1; }
say "n1 follows n2 as its synchronous standby ($(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s)"
ctl list
say "n2: the row: '$(sql n2 "SELECT t FROM try WHERE t LIKE '%n1%'")'; in recovery: $(sql n2 'SELECT pg_is_in_recovery()'); n1 in recovery: $(sql n1 'SELECT pg_is_in_recovery()')"
sql n2 "INSERT INTO try VALUES ('written on n2 after the switchover')"
for _ in $(seq 1 50); do [ "$(sql n1 'SELECT count(*) FROM try')" = 3 ] && break; sleep 0.1; done
say "n1 (standby) has $(sql n1 'SELECT count(*) FROM try') rows"
say "multi-host URL (read-write) reaches port $(rw_port)"
for _ in $(seq 1 100); do via_pgb 2>/dev/null | grep -q "${pgport[n2]} (primary)" && break; sleep 0.1; done
say "through pgBouncer: $(via_pgb); pgbouncer-follow.sh said: $(cat "$state/pgbouncer/follow.log")"
say "GET /primary: n1 $(code n1 /primary), n2 $(code n2 /primary); GET /replica: n1 $(code n1 /replica), n2 $(code n2 /replica)"
api n2 /cluster | python3 -m json.tool | head -n 40 >"$state/cluster.json" || true
say "done; configs and logs in $state"
