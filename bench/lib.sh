# shellcheck shell=bash
# Shared functions of the benchmark scripts in bench/ (sourced, not run).
#
# Every scenario script does:
#   source lib.sh; parse its options (bench_common_opt for the shared ones);
#   bench_begin SCENARIO; bench_build; start what it needs (bench_start_*);
#   run (bench_run / bench_loadgen); summary lines; bench_finish.
# A trap stops everything that was started, by PID, whatever happens, and a
# watchdog ends the whole run after --max-seconds.
#
# What runs, all on 127.0.0.1 (and 127.0.0.2-... as the generator's sources):
#   PostgreSQL 15 (Debian's binaries, as the postgres user, in a fresh folder
#   under $BENCH_TMP, default /var/tmp: a real disk, so fsync is real) with
#   deploy/postgresql/sanayicin.conf and a few lines scaled to this machine;
#   Redis with deploy/redis/redis.conf (port, files and bind changed);
#   pgBouncer with deploy/pgbouncer/pgbouncer.ini (ports, files, auth file);
#   sanayicind with benchmark settings (cheap password hashing, rate limits
#   out of the way, --log-level warning); the echo server; the generator.
#
# Environment: BENCH_BUILD_DIR (default build-bench), BENCH_RESULTS_DIR
# (default bench/results), BENCH_TMP (default /var/tmp).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$REPO/build-bench}
DAEMON=$BUILD/server/sanayicind
LOADGEN=$BUILD/tools/loadgen/sanayicin-loadgen
ECHO_SERVER=$BUILD/tools/echo-server/sanayicin-echo-server
RESULTS=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
PGBIN=${BENCH_PGBIN:-/usr/lib/postgresql/15/bin}
PG_PASSWORD=sanayicin-bench

# The hard limit on open files (20,000 here): every process started from
# this shell inherits it.
ulimit -n "$(ulimit -Hn)"

# Shared options (bench_common_opt) and their defaults.
BENCH_MAX_SECONDS=${BENCH_MAX_SECONDS:-}
BENCH_KEEP=0
BENCH_REBUILD=0
BENCH_DAEMON_ARGS=()
BENCH_DAEMON_THREADS=
BENCH_LOADGEN_THREADS=2

# State of the run.
BENCH_PIDS=()        # started processes, in start order
BENCH_PID_NAMES=()
BENCH_STATE=
RESULT=
BENCH_FINISHED=0
BENCH_WATCHDOG=
BENCH_T0=$(date +%s)

# ---- messages and the result file ---------------------------------------------------

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
    log "error: $*"
    [ -n "$RESULT" ] && printf '\nERROR: %s\n' "$*" >>"$RESULT"
    exit 1
}
# Appends its arguments (or stdin without arguments) to the result file.
res() {
    if [ $# -gt 0 ]; then printf '%s\n' "$*" >>"$RESULT"; else cat >>"$RESULT"; fi
}
section() { printf '\n==== %s ====\n' "$*" >>"$RESULT"; }
# A command line as it can be pasted into a shell.
quote_cmd() {
    local out='' a
    for a in "$@"; do out+="$(printf '%q' "$a") "; done
    printf '%s' "${out% }"
}
BENCH_COMMAND_LINE=$(quote_cmd "$0" "$@")
# Records a command in the result file ("$ command").
res_cmd() { res "\$ $(quote_cmd "$@")"; }
# A summary line: printed, and collected for the SUMMARY section.
BENCH_SUMMARY=()
summary() {
    BENCH_SUMMARY+=("$*")
    log "$*"
}

# Prints the comment block at the top of a script (its usage).
usage_of() {
    sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$1"
}

# Handles the options every script takes. Sets BENCH_SHIFT to the number of
# arguments used (0: not a shared option).
bench_common_opt() {
    BENCH_SHIFT=0
    case ${1:-} in
    --max-seconds) BENCH_MAX_SECONDS=$2; BENCH_SHIFT=2 ;;
    --keep) BENCH_KEEP=1; BENCH_SHIFT=1 ;;
    --rebuild) BENCH_REBUILD=1; BENCH_SHIFT=1 ;;
    --daemon-arg) BENCH_DAEMON_ARGS+=("$2"); BENCH_SHIFT=2 ;;
    --daemon-threads) BENCH_DAEMON_THREADS=$2; BENCH_SHIFT=2 ;;
    --loadgen-threads) BENCH_LOADGEN_THREADS=$2; BENCH_SHIFT=2 ;;
    esac
}
COMMON_USAGE='Shared options:
  --max-seconds S       end the whole run after S seconds (default: per script)
  --keep                keep the temporary folder (databases, logs) afterwards
  --rebuild             rebuild the Release binaries (incremental) before running
  --daemon-arg ARG      one more option for every sanayicind (repeatable)
  --daemon-threads N    sanayicind --threads (default: the daemon'"'"'s, 2)
  --loadgen-threads N   generator worker threads (default 2)'

# Parses the remaining arguments of a script: shared options, else usage.
bench_unknown_opt() {
    bench_common_opt "$@"
    [ "$BENCH_SHIFT" -gt 0 ] && return 0
    if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
        usage_of "$0"
        echo "$COMMON_USAGE"
        exit 0
    fi
    echo "unknown option: ${1:-}" >&2
    usage_of "$0" >&2
    echo "$COMMON_USAGE" >&2
    exit 2
}

# ---- machine ----------------------------------------------------------------------

bench_machine() {
    echo "date (UTC):   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host:         $(hostname)"
    echo "nproc:        $(nproc)"
    echo "cpu:          $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p')"
    echo "memory:       $(free -m | awk '/^Mem:/ {printf "%d MiB total, %d MiB available", $2, $7}')"
    echo "kernel:       $(uname -srm)"
    echo "os:           $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "open files:   soft $(ulimit -Sn), hard $(ulimit -Hn)"
    echo "busiest processes now (top):"
    top -b -n 2 -d 0.5 -w 120 2>/dev/null | awk '/^top -/ {n++} n == 2' | sed -n '7,13p' | sed 's/^/    /'
}

# ---- start and stop -----------------------------------------------------------------

bench_begin() {
    SCENARIO=$1
    shift
    mkdir -p "$RESULTS"
    local ts
    ts=$(date -u +%Y%m%dT%H%M%SZ)
    RESULT=$RESULTS/$SCENARIO-$ts.txt
    local n=1
    while [ -e "$RESULT" ]; do RESULT=$RESULTS/$SCENARIO-$ts-$((n++)).txt; done
    : >"$RESULT"
    mkdir -p "${BENCH_TMP:-/var/tmp}"
    # The name cut short: PostgreSQL's socket path in it has 107 bytes at most.
    BENCH_STATE=$(mktemp -d "${BENCH_TMP:-/var/tmp}/sanayicin-bench-${SCENARIO:0:24}.XXXXXX")
    chmod 755 "$BENCH_STATE"
    trap bench_cleanup EXIT
    trap 'log "interrupted"; exit 130' INT
    trap 'log "terminated (time limit or signal)"; exit 143' TERM
    BENCH_MAX_SECONDS=${BENCH_MAX_SECONDS:-1800}
    bench_watchdog "$BENCH_MAX_SECONDS"

    res "Sanayicin benchmark: $SCENARIO"
    res "result file: $RESULT"
    section "command"
    res "\$ $BENCH_COMMAND_LINE"
    res "time limit: $BENCH_MAX_SECONDS s; temporary folder: $BENCH_STATE"
    section "code"
    res "repository: $REPO"
    res "commit: $(git -C "$REPO" log -1 --format='%H %cd %s' --date=iso 2>/dev/null || echo unknown)"
    local dirty
    dirty=$(git -C "$REPO" status --porcelain -- server common tools resources CMakeLists.txt 2>/dev/null | head -20)
    res "uncommitted changes in server/ common/ tools/ resources/: ${dirty:+yes}${dirty:-none}"
    [ -n "$dirty" ] && res "$dirty"
    section "machine before the run"
    bench_machine | res
    log "result file: $RESULT"
}

# Watchdog: after S seconds, TERM to this script (its trap stops the rest).
bench_watchdog() {
    local limit=$1 main=$$
    (
        trap 'kill "$sp" 2>/dev/null; exit 0' TERM
        sleep "$limit" &
        sp=$!
        wait "$sp"
        echo "[bench] time limit of $limit s reached: stopping" >&2
        kill -TERM "$main" 2>/dev/null
    ) &
    BENCH_WATCHDOG=$!
}

bench_track() { # NAME PID
    BENCH_PID_NAMES+=("$1")
    BENCH_PIDS+=("$2")
}
bench_untrack() { # PID
    local i
    for i in "${!BENCH_PIDS[@]}"; do
        [ "${BENCH_PIDS[$i]}" = "$1" ] && unset 'BENCH_PIDS[i]' 'BENCH_PID_NAMES[i]'
    done
    return 0
}

# Stops one process by PID: SIGNAL (default TERM), then KILL after WAIT s.
bench_stop_pid() { # PID [WAIT] [SIGNAL]
    local pid=$1 wait_s=${2:-15} sig=${3:-TERM} i
    kill -0 "$pid" 2>/dev/null || { bench_untrack "$pid"; return 0; }
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        # Our own children must be reaped, or they stay as zombies.
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop after $wait_s s: KILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    bench_untrack "$pid"
}

# Commands run by bench_cleanup after the processes are stopped (in reverse
# order): what a scenario set up besides processes (a network namespace, a
# mount). Each is one string, run with eval.
BENCH_CLEANUP_HOOKS=()
bench_on_cleanup() { BENCH_CLEANUP_HOOKS+=("$1"); }

bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [ -n "$RESULT" ] && [ "$BENCH_FINISHED" -eq 0 ]; then
        section "run ended early (exit code $rc)"
        bench_logs
        section "machine after the run"
        bench_machine | res
    fi
    # Stop in reverse start order: generators before daemons before services.
    # bench_untrack leaves holes in the arrays: walk their indices, not a count
    # (a count missed whatever was started after a process was untracked).
    local i k pid name idx
    idx=("${!BENCH_PIDS[@]}")
    for ((k = ${#idx[@]} - 1; k >= 0; k--)); do
        i=${idx[$k]}
        pid=${BENCH_PIDS[$i]:-}
        name=${BENCH_PID_NAMES[$i]:-}
        [ -n "$pid" ] || continue
        kill -0 "$pid" 2>/dev/null || continue
        case $name in
        postgres) bench_stop_pid "$pid" 60 INT ;;
        *) bench_stop_pid "$pid" 20 TERM ;;
        esac
    done
    for ((k = ${#BENCH_CLEANUP_HOOKS[@]} - 1; k >= 0; k--)); do
        eval "${BENCH_CLEANUP_HOOKS[$k]}" || log "cleanup step failed: ${BENCH_CLEANUP_HOOKS[$k]}"
    done
    [ -n "$BENCH_WATCHDOG" ] && kill -TERM "$BENCH_WATCHDOG" 2>/dev/null && wait "$BENCH_WATCHDOG" 2>/dev/null
    if [ -n "$BENCH_STATE" ] && [ -d "$BENCH_STATE" ]; then
        if [ "$BENCH_KEEP" -eq 1 ] || [ "$rc" -ne 0 ]; then
            log "kept $BENCH_STATE"
            [ -n "$RESULT" ] && res "temporary folder kept: $BENCH_STATE"
        else
            rm -rf "$BENCH_STATE"
        fi
    fi
    [ -n "$RESULT" ] && log "result: $RESULT (exit code $rc)"
    exit "$rc"
}

# Daemon logs (warnings and errors) and service logs' errors, into the result:
# each distinct message once with its count (times and numbers blanked), then
# the last lines as they are.
log_digest() { # FILE
    # head ends the pipe early: with a long log sort dies of SIGPIPE, which
    # pipefail and set -e made the end of the whole run (exit 141, the soak).
    { sed -E 's/^[0-9T:.-]+ //; s/[0-9]+/N/g' "$1" | sort | uniq -c | sort -rn | head -n 15 | cut -c1-300; } || true
}
bench_logs() {
    local f n
    for f in "$BENCH_STATE"/daemon-*.log "$BENCH_STATE"/echo*.log; do
        [ -s "$f" ] || continue
        section "log $(basename "$f"): $(wc -l <"$f") lines; distinct messages (digits as N) with counts"
        log_digest "$f" | res
        res "--- last 10 lines ---"
        tail -n 10 "$f" | cut -c1-300 | res
    done
    if [ -f "$BENCH_STATE/pg/server.log" ]; then
        n=$(grep -cE 'ERROR|FATAL|PANIC|WARNING' "$BENCH_STATE/pg/server.log" || true)
        section "PostgreSQL log: $n lines with ERROR/FATAL/PANIC/WARNING"
        { grep -E 'ERROR|FATAL|PANIC|WARNING' "$BENCH_STATE/pg/server.log" || true; } | tail -n 20 | cut -c1-300 | res
        n=$(grep -c 'checkpoint complete' "$BENCH_STATE/pg/server.log" || true)
        res "checkpoints completed during the run: $n"
        local db
        for db in "${BENCH_DBS[@]}"; do
            kill -0 "$PG_PID" 2>/dev/null || break
            section "PostgreSQL: top statements in $db by total time (pg_stat_statements, since the database was made)"
            pg_top_statements "$db" | res
        done
    fi
    if [ -f "$BENCH_STATE/pgbouncer/pgbouncer.log" ]; then
        section "pgBouncer log: warnings and errors (last 20)"
        { grep -E "WARNING|ERROR|FATAL" "$BENCH_STATE/pgbouncer/pgbouncer.log" || true; } | tail -n 20 | cut -c1-300 | res
    fi
    if [ -f "$BENCH_STATE/redis/redis.log" ]; then
        section "Redis log: warnings (last 10)"
        { grep -E ' # ' "$BENCH_STATE/redis/redis.log" || true; } | tail -n 10 | cut -c1-300 | res
    fi
    return 0
}

# Ends a run that went through: summary, logs, machine after.
bench_finish() {
    section "SUMMARY"
    local l
    for l in "${BENCH_SUMMARY[@]}"; do res "$l"; done
    bench_logs
    section "machine after the run"
    bench_machine | res
    res "elapsed: $(($(date +%s) - BENCH_T0)) s"
    BENCH_FINISHED=1
}

# ---- build --------------------------------------------------------------------------

bench_build() {
    if [ "$BENCH_REBUILD" -eq 1 ] || [ ! -x "$DAEMON" ] || [ ! -x "$LOADGEN" ] || [ ! -x "$ECHO_SERVER" ]; then
        log "building Release binaries in $BUILD"
        if [ ! -f "$BUILD/build.ninja" ]; then
            cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSANAYICIN_BUILD_TESTS=OFF \
                >"$BENCH_STATE/build.log" 2>&1 || { tail -n 30 "$BENCH_STATE/build.log" >&2; die "cmake configure failed"; }
        fi
        timeout 3600 cmake --build "$BUILD" -j "$(nproc)" --target sanayicind sanayicin-loadgen sanayicin-echo-server \
            >>"$BENCH_STATE/build.log" 2>&1 || { tail -n 30 "$BENCH_STATE/build.log" >&2; die "build failed"; }
    fi
    local t
    t=$(grep -m1 '^CMAKE_BUILD_TYPE:' "$BUILD/CMakeCache.txt" | cut -d= -f2)
    [ "$t" = Release ] || die "$BUILD is a $t build, not Release"
    section "binaries ($t build)"
    local newer dirs
    for t in "$DAEMON" "$LOADGEN" "$ECHO_SERVER"; do
        res "$t  built $(date -u -r "$t" +%Y-%m-%dT%H:%M:%SZ)"
        case $t in
        "$DAEMON") dirs=(server common resources) ;;
        "$LOADGEN") dirs=(tools/loadgen) ;;
        *) dirs=(tools/echo-server) ;;
        esac
        newer=$(cd "$REPO" && find "${dirs[@]}" -newer "$t" -type f \
            \( -name '*.cpp' -o -name '*.h' -o -name '*.sql' -o -name '*.lua' -o -name 'CMakeLists.txt' \) 2>/dev/null | head -n 3 | tr '\n' ' ')
        if [ -n "$newer" ]; then
            res "  WARNING: sources newer than this binary ($newer...): run with --rebuild"
            log "WARNING: $(basename "$t") is older than its sources ($newer): --rebuild"
        fi
    done
}

# ---- ports and addresses ----------------------------------------------------------

BENCH_PORTS_TAKEN=" "
# Sets FREE_PORT to a free TCP port on 127.0.0.1 that this run has not handed
# out yet and no socket holds (20000-31999: below the usual ephemeral range,
# which is not this machine's, 10240-65000). Someone else can still take it
# before the server binds: the services' starts that know retry elsewhere.
free_port() {
    local p _
    # A restart on the port it had (bench/faults.sh): BENCH_NEXT_PORT, once.
    if [ -n "${BENCH_NEXT_PORT:-}" ]; then
        FREE_PORT=$BENCH_NEXT_PORT
        BENCH_NEXT_PORT=
        return 0
    fi
    for _ in $(seq 1 500); do
        p=$((20000 + RANDOM % 12000))
        case $BENCH_PORTS_TAKEN in *" $p "*) continue ;; esac
        # Any state, not only listening: where the ephemeral range covers ours
        # (10240-65000 on some machines), a client socket can hold the port.
        if ! ss -Htan "sport = :$p" | grep -q .; then
            BENCH_PORTS_TAKEN+="$p "
            FREE_PORT=$p
            return 0
        fi
    done
    die "no free port found"
}

# Source addresses for generator number G (0, 1, ...): COUNT addresses from
# 127.0.0.(2 + G*COUNT) up, each with its own ~28,000 ephemeral ports.
source_range() { # G [COUNT]
    local g=$1 count=${2:-10}
    local first=$((2 + g * count)) last=$((1 + (g + 1) * count))
    ((last <= 254)) || die "too many generators for 127.0.0.x source addresses"
    echo "127.0.0.$first-127.0.0.$last"
}

# Waits until URL answers 200, or the process PID dies, or S seconds pass.
wait_http() { # URL PID S
    local url=$1 pid=$2 s=$3 i
    for ((i = 0; i < s * 10; i++)); do
        curl -sf -m 2 -o /dev/null "$url" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ---- PostgreSQL -----------------------------------------------------------------------

as_postgres() { runuser -u postgres -- "$@"; }

# Starts PostgreSQL 15 in $BENCH_STATE/pg with production durability. Sets
# PG_PORT, PG_PID, PG_SOCKET and the function pg_url DB.
bench_start_postgres() {
    local dir=$BENCH_STATE/pg
    free_port
    PG_PORT=$FREE_PORT
    PG_SOCKET=$dir
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    log "PostgreSQL: initdb in $dir, port $PG_PORT"
    as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$BENCH_STATE/pg-initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$BENCH_STATE/pg-initdb.log")"
    # Production settings, then what differs on this machine.
    cp "$REPO/deploy/postgresql/sanayicin.conf" "$dir/data/sanayicin.conf"
    cat >"$dir/data/bench.conf" <<EOF
# bench/lib.sh: deploy/postgresql/sanayicin.conf as it is (fsync on,
# synchronous_commit on, full_page_writes on), with these lines scaled to this
# machine (24 GiB, shared with the daemon, Redis and the generator) and the
# loopback-only temporary setup:
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_buffers = 1GB
effective_cache_size = 6GB
maintenance_work_mem = 256MB
autovacuum_work_mem = 128MB
# Three instances' pools, pgBouncer and psql sessions.
max_connections = 100
EOF
    chown postgres:postgres "$dir/data/sanayicin.conf" "$dir/data/bench.conf"
    printf "\ninclude 'sanayicin.conf'\ninclude 'bench.conf'\n" >>"$dir/data/postgresql.conf"
    section "PostgreSQL"
    res "$("$PGBIN/postgres" --version); data in $dir/data (filesystem $(df -T "$dir" | awk 'NR==2 {print $2" on "$1}'))"
    res "settings: deploy/postgresql/sanayicin.conf, then:"
    grep -v '^#' "$dir/data/bench.conf" | sed 's/^/    /' | res
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 start
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 start >/dev/null \
        || die "PostgreSQL did not start: $(tail -n 10 "$dir/server.log")"
    PG_PID=$(head -n 1 "$dir/data/postmaster.pid")
    export PGPASSWORD=$PG_PASSWORD
    bench_track postgres "$PG_PID"
    local s
    s=$(psql_admin postgres -Atc "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','wal_sync_method','shared_buffers','wal_buffers','max_wal_size','commit_delay','wal_compression','huge_pages')")
    res "in effect: $s"
    psql_admin postgres -q -c "CREATE ROLE sanayicin LOGIN PASSWORD '$PG_PASSWORD'" \
        || die "could not create the role"
}

psql_admin() { # DB psql-args...
    local db=$1
    shift
    as_postgres psql -h "$PG_SOCKET" -p "$PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}
psql_app() { # DB psql-args... (as sanayicin over TCP, like the daemon)
    local db=$1
    shift
    PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U sanayicin -d "$db" -v ON_ERROR_STOP=1 "$@"
}
pg_url() { echo "postgresql://sanayicin:$PG_PASSWORD@127.0.0.1:${2:-$PG_PORT}/$1"; }

# A fresh database with the daemon's schema (sanayicind migrate) and
# deploy/postgresql/tables.sql.
bench_create_db() { # NAME
    local db=$1
    psql_admin postgres -q -c "CREATE DATABASE $db OWNER sanayicin" || die "CREATE DATABASE $db failed"
    res_cmd "$DAEMON" migrate --database "$(pg_url "$db")" --log-level warning
    "$DAEMON" migrate --database "$(pg_url "$db")" --log-level warning >"$BENCH_STATE/migrate-$db.log" 2>&1 \
        || die "migrate failed: $(tail -n 5 "$BENCH_STATE/migrate-$db.log")"
    psql_app "$db" -q -f "$REPO/deploy/postgresql/tables.sql" >/dev/null || die "tables.sql failed"
    # Which statements took the time (bench_logs prints the top ones).
    psql_admin "$db" -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 || true
    BENCH_DBS+=("$db")
}
BENCH_DBS=()

# The statements that took PostgreSQL's time in DB (pg_stat_statements).
pg_top_statements() { # DB
    psql_admin "$1" -AF ' | ' -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms,
        round((total_exec_time / calls)::numeric, 3) AS mean_ms, round((total_plan_time / calls)::numeric, 3) AS plan_ms,
        rows, regexp_replace(left(query, 160), '\s+', ' ', 'g') AS query
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = '$1' ORDER BY total_exec_time DESC LIMIT 12" 2>/dev/null || true
}

# Rows in messages, for the "committed" check.
db_message_count() { psql_app "${1:-sanayicin}" -Atc "SELECT count(*) FROM messages"; }

# ---- Redis and pgBouncer ------------------------------------------------------------

# Redis with deploy/redis/redis.conf; sets REDIS_PORT, REDIS_URL.
BENCH_REDIS_BIND_MORE=${BENCH_REDIS_BIND_MORE:-} # net_setup: also the namespace side of the veth
bench_start_redis() {
    free_port
    REDIS_PORT=$FREE_PORT
    mkdir -p "$BENCH_STATE/redis"
    # The shipped ACL file (the daemon logs in as "sanayicin"), with the
    # bench password's SHA-256 in it, as docs/operations.md says to install it.
    local hash
    hash=$(printf '%s' "$PG_PASSWORD" | sha256sum | cut -d' ' -f1)
    sed "s/#SHA256-OF-THE-PASSWORD/#$hash/" "$REPO/deploy/redis/users.acl.example" >"$BENCH_STATE/redis/users.acl"
    # And a user for the benchmarks' own look (INFO only: bench/resources.sh).
    echo "user bench-monitor on #$hash -@all +info +ping" >>"$BENCH_STATE/redis/users.acl"
    {
        cat "$REPO/deploy/redis/redis.conf"
        cat <<EOF

# ---- bench/lib.sh: the same, on a free loopback port with its files here ----
bind 127.0.0.1${BENCH_REDIS_BIND_MORE:+ $BENCH_REDIS_BIND_MORE}
port $REDIS_PORT
pidfile $BENCH_STATE/redis/redis.pid
logfile $BENCH_STATE/redis/redis.log
dir $BENCH_STATE/redis
aclfile $BENCH_STATE/redis/users.acl
daemonize no
EOF
    } >"$BENCH_STATE/redis/redis.conf"
    section "Redis"
    res "$(redis-server --version | cut -d' ' -f1-3); deploy/redis/redis.conf with: bind 127.0.0.1, port $REDIS_PORT, files in the temporary folder"
    res_cmd redis-server "$BENCH_STATE/redis/redis.conf"
    redis-server "$BENCH_STATE/redis/redis.conf" &
    REDIS_PID=$!
    bench_track redis "$REDIS_PID"
    local i
    for ((i = 0; i < 100; i++)); do
        redis-cli -p "$REDIS_PORT" --user sanayicin --pass "$PG_PASSWORD" --no-auth-warning ping 2>/dev/null | grep -q PONG && break
        kill -0 "$REDIS_PID" 2>/dev/null || die "Redis did not start: $(tail -n 5 "$BENCH_STATE/redis/redis.log")"
        sleep 0.1
    done
    # shellcheck disable=SC2034 # used by the scenario scripts
    REDIS_URL=redis://sanayicin:$PG_PASSWORD@127.0.0.1:$REDIS_PORT/0
}

# pgBouncer with deploy/pgbouncer/pgbouncer.ini in front of the databases
# DB...; sets PGB_PORT (pg_url DB "$PGB_PORT" is a daemon's URL through it).
bench_start_pgbouncer() { # DB...
    local dbs="$*" db
    free_port
    PGB_PORT=$FREE_PORT
    local dir=$BENCH_STATE/pgbouncer
    mkdir -p "$dir"
    # The daemon's user, and the admin console's (SHOW, PAUSE, RESUME) as
    # deploy/pgbouncer/pgbouncer.ini names it.
    printf '"sanayicin" "%s"\n"pgbouncer_admin" "%s"\n' "$PG_PASSWORD" "$PG_PASSWORD" >"$dir/userlist.txt"
    awk -v dbs="$dbs" -v port="$PG_PORT" '
        /^sanayicin = host=/ { n = split(dbs, d, " "); for (i = 1; i <= n; i++) printf "%s = host=127.0.0.1 port=%s dbname=%s\n", d[i], port, d[i]; next }
        { print }' "$REPO/deploy/pgbouncer/pgbouncer.ini" \
        | sed -e "s|^listen_port = .*|listen_port = $PGB_PORT|" \
            -e "s|^unix_socket_dir = .*|unix_socket_dir = $dir|" \
            -e "s|^logfile = .*|logfile = $dir/pgbouncer.log|" \
            -e "s|^pidfile = .*|pidfile = $dir/pgbouncer.pid|" \
            -e "s|^auth_file = .*|auth_file = $dir/userlist.txt|" >"$dir/pgbouncer.ini"
    db=${dbs%% *}
    chown -R postgres:postgres "$dir"
    section "pgBouncer"
    res "$(pgbouncer --version | head -n 1); deploy/pgbouncer/pgbouncer.ini (transaction pooling) with port $PGB_PORT, files in the temporary folder, database(s) $dbs on PostgreSQL port $PG_PORT"
    res_cmd setpriv --reuid=postgres --regid=postgres --init-groups pgbouncer "$dir/pgbouncer.ini"
    setpriv --reuid=postgres --regid=postgres --init-groups pgbouncer "$dir/pgbouncer.ini" \
        >"$BENCH_STATE/pgbouncer.out" 2>&1 &
    PGB_PID=$!
    bench_track pgbouncer "$PGB_PID"
    local i
    for ((i = 0; i < 100; i++)); do
        PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PGB_PORT" -U sanayicin -d "$db" -Atc 'SELECT 1' >/dev/null 2>&1 && return 0
        kill -0 "$PGB_PID" 2>/dev/null || break
        sleep 0.1
    done
    die "pgBouncer did not start: $(tail -n 5 "$BENCH_STATE/pgbouncer.out" "$dir/pgbouncer.log" 2>/dev/null)"
}

# ---- daemons and the echo server ----------------------------------------------------

# The benchmark settings of every daemon: cheap password hashing (setup
# registers thousands of users) and every rate limit out of the way.
BENCH_DAEMON_BASE=(--log-level warning --argon2-memory-kib 64 --argon2-iterations 1
    --send-rate 1000000 --send-burst 1000000 --frame-rate 1000000 --frame-burst 1000000
    --login-rate 1000000 --login-burst 1000000
    --login-address-rate 1000000 --login-address-burst 1000000
    --login-account-rate 1000000 --login-account-burst 1000000
    --register-rate 1000000 --register-burst 1000000
    --conversation-rate 1000000 --conversation-burst 1000000
    --http-user-rate 1000000 --http-user-burst 1000000
    --http-address-rate 1000000 --http-address-burst 1000000
    --ws-open-rate 1000000 --ws-open-burst 1000000
    --max-connections-per-address 100000 --max-websockets-per-user 100000)

DAEMON_PIDS=()
DAEMON_PORTS=()
DAEMON_HOSTS=()
# Starts sanayicind NAME on a free port with DATABASE_URL [REDIS_URL|none]
# and more options; waits for /readyz. Sets DAEMON_PID, DAEMON_PORT and
# appends to DAEMON_PIDS / DAEMON_PORTS.
# Where and how a daemon runs: BENCH_DAEMON_HOST (default 127.0.0.1) and a
# command prefix BENCH_DAEMON_WRAP (e.g. ip netns exec NS, faketime) for the
# next bench_start_daemon only; both are reset after it.
BENCH_DAEMON_HOST=
BENCH_DAEMON_WRAP=()
bench_start_daemon() { # NAME DATABASE_URL REDIS_URL [options...]
    local name=$1 db=$2 redis=$3 host=${BENCH_DAEMON_HOST:-127.0.0.1}
    local wrap=("${BENCH_DAEMON_WRAP[@]}")
    BENCH_DAEMON_HOST=
    BENCH_DAEMON_WRAP=()
    shift 3
    free_port
    DAEMON_PORT=$FREE_PORT
    local args=(--listen "$host:$DAEMON_PORT" --database "$db" --instance-id "$name"
        --data-dir "$BENCH_STATE/data-$name" "${BENCH_DAEMON_BASE[@]}")
    [ "$redis" != none ] && args+=(--redis "$redis")
    [ -n "$BENCH_DAEMON_THREADS" ] && args+=(--threads "$BENCH_DAEMON_THREADS")
    args+=("${BENCH_DAEMON_ARGS[@]}" "$@")
    mkdir -p "$BENCH_STATE/data-$name"
    res_cmd "${wrap[@]}" "$DAEMON" "${args[@]}"
    "${wrap[@]}" "$DAEMON" "${args[@]}" >"$BENCH_STATE/daemon-$name.log" 2>&1 &
    DAEMON_PID=$!
    bench_track "daemon-$name" "$DAEMON_PID"
    wait_http "http://$host:$DAEMON_PORT/readyz" "$DAEMON_PID" 60 \
        || die "sanayicind $name not ready: $(tail -n 10 "$BENCH_STATE/daemon-$name.log")"
    DAEMON_PIDS+=("$DAEMON_PID")
    # Who runs as NAME now (bench/resources.sh follows restarts by it).
    echo "$name $DAEMON_PID $host $DAEMON_PORT" >>"$BENCH_STATE/daemon-pids"
    DAEMON_PORTS+=("$DAEMON_PORT")
    DAEMON_HOSTS+=("$host")
    log "sanayicind $name: pid $DAEMON_PID, $host:$DAEMON_PORT"
}

# Sanitizer reports in the daemons' logs (an ASan or UBSan build): one line
# per report, "LOG: SUMMARY"; nothing when there are none.
bench_sanitizer_reports() {
    local f
    for f in "$BENCH_STATE"/daemon-*.log; do
        [ -f "$f" ] || continue
        { grep -E '^SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|: runtime error: ' "$f" || true; } \
            | head -n 5 | cut -c1-300 | sed "s|^|$(basename "$f"): |"
    done
}

# Stops every daemon started so far (SIGTERM: drain), by PID, and records
# how each one ended in DAEMON_ENDS ("NAME PID HOW"): "exit N" (0 is a clean
# drain), "signal N", "killed: still running after WAIT s", or "gone before
# the stop (...)": one that died during the run.
DAEMON_ENDS=()
bench_stop_daemons_judged() { # [WAIT]
    local wait_s=${1:-30} p name gone st i how
    for p in "${DAEMON_PIDS[@]}"; do
        name=$(awk -v p="$p" '$2 == p {print $1}' "$BENCH_STATE/daemon-pids" 2>/dev/null | tail -n 1)
        gone=0
        kill -0 "$p" 2>/dev/null || gone=1
        how=
        if [ "$gone" -eq 0 ]; then
            kill -TERM "$p" 2>/dev/null || true
            for ((i = 0; i < wait_s * 10; i++)); do
                kill -0 "$p" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$p" 2>/dev/null; then
                kill -KILL "$p" 2>/dev/null || true
                how="killed: still running after $wait_s s"
            fi
        fi
        st=0
        wait "$p" 2>/dev/null || st=$?
        bench_untrack "$p"
        if [ -z "$how" ]; then
            if [ "$st" -gt 128 ]; then how="signal $((st - 128))"; else how="exit $st"; fi
            [ "$gone" -eq 1 ] && how="gone before the stop ($how)"
        fi
        DAEMON_ENDS+=("${name:-?} $p $how")
    done
    DAEMON_PIDS=()
    DAEMON_PORTS=()
    DAEMON_HOSTS=()
}

# Stops every daemon started so far (SIGTERM: drain), by PID.
bench_stop_daemons() {
    local p
    for p in "${DAEMON_PIDS[@]}"; do bench_stop_pid "$p" 30 TERM; done
    DAEMON_PIDS=()
    DAEMON_PORTS=()
    DAEMON_HOSTS=()
}

# The sanayicin_messages_* counters and other lines of a daemon's /metrics.
daemon_metrics() { # PORT [grep-pattern]
    { curl -sf -m 5 "http://127.0.0.1:$1/metrics" || true; } \
        | { grep -E "${2:-^sanayicin_(messages_|websocket_connections|delivery_gap|bridge_|rate_limited)}" || true; }
}

bench_start_echo() { # [threads]
    free_port
    ECHO_PORT=$FREE_PORT
    local args=(--listen "127.0.0.1:$ECHO_PORT" --threads "${1:-2}" --max-seconds "$BENCH_MAX_SECONDS")
    res_cmd "$ECHO_SERVER" "${args[@]}"
    "$ECHO_SERVER" "${args[@]}" >"$BENCH_STATE/echo.log" 2>&1 &
    ECHO_PID=$!
    bench_track echo "$ECHO_PID"
    local i
    for ((i = 0; i < 50; i++)); do
        grep -q listening "$BENCH_STATE/echo.log" 2>/dev/null && return 0
        kill -0 "$ECHO_PID" 2>/dev/null || break
        sleep 0.1
    done
    die "echo server did not start: $(cat "$BENCH_STATE/echo.log")"
}

# ---- running things -------------------------------------------------------------------

# Prefixes each line with the wall-clock time (for when things happened).
ts_lines() { while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }

# Runs a command bounded by TIMEOUT seconds, in the background of this shell
# (so the trap can stop it), stdout to $BENCH_STATE/LABEL.out, stderr
# time-stamped to LABEL.err. Records the command; sets BENCH_RC.
# Use bench_start_bg/bench_wait_bg for several at once.
bench_run() { # LABEL TIMEOUT cmd...
    bench_start_bg "$@"
    bench_wait_bg "$1"
}
declare -A BENCH_BG_PID BENCH_BG_TS
bench_start_bg() { # LABEL TIMEOUT cmd...
    local label=$1 limit=$2
    shift 2
    res_cmd "$@"
    local fifo=$BENCH_STATE/$label.fifo
    rm -f "$fifo"
    mkfifo "$fifo"
    ts_lines <"$fifo" >"$BENCH_STATE/$label.err" &
    BENCH_BG_TS[$label]=$!
    timeout -s INT -k 30 "$limit" "$@" >"$BENCH_STATE/$label.out" 2>"$fifo" &
    BENCH_BG_PID[$label]=$!
    bench_track "$label" "${BENCH_BG_PID[$label]}"
}
bench_wait_bg() { # LABEL
    local label=$1
    BENCH_RC=0
    wait "${BENCH_BG_PID[$label]}" || BENCH_RC=$?
    wait "${BENCH_BG_TS[$label]}" 2>/dev/null || true
    bench_untrack "${BENCH_BG_PID[$label]}"
    rm -f "$BENCH_STATE/$label.fifo"
    [ "$BENCH_RC" -eq 124 ] && log "$label: time limit reached"
    return 0
}
# stderr of LABEL with times relative to its first line.
err_relative() { # LABEL
    awk 'NR == 1 {t0 = $1} {printf "+%7.2fs %s\n", $1 - t0, substr($0, length($1) + 2)}' "$BENCH_STATE/$1.err"
}
# Epoch time of the first stderr line of LABEL matching REGEX.
err_time() { # LABEL REGEX
    awk -v re="$2" '$0 ~ re {print $1; exit}' "$BENCH_STATE/$1.err"
}

# Runs the generator: bench_loadgen LABEL TIMEOUT loadgen-options...
# (--json is added). Its text summary and JSON go into the result file;
# LG_JSON is the JSON file.
bench_loadgen() {
    local label=$1 limit=$2
    shift 2
    section "generator run: $label"
    cpu_mark
    bench_run "$label" "$limit" "$LOADGEN" --threads "$BENCH_LOADGEN_THREADS" "$@" --json
    cpu_report "$label"
    bench_loadgen_report "$label"
}
bench_loadgen_report() { # LABEL
    local label=$1
    LG_JSON=$BENCH_STATE/$label.out
    res "exit code: $BENCH_RC$([ "$BENCH_RC" -eq 124 ] && echo ' (time limit)')"
    res "--- $label: text report (stderr, with seconds since start) ---"
    err_relative "$label" | res
    res "--- $label: --json ---"
    cat "$LG_JSON" | res
    res ""
    if ! jq -e . "$LG_JSON" >/dev/null 2>&1; then
        summary "$label: the generator gave no JSON report (exit code $BENCH_RC)"
        return 1
    fi
}

# Samples the summed RSS (KiB) of PIDs every 0.25 s into FILE ("epoch kib").
bench_rss_sampler() { # FILE PID...
    local file=$1
    shift
    (
        while :; do
            local sum=0 p r
            for p in "$@"; do
                r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
                sum=$((sum + ${r:-0}))
            done
            echo "$EPOCHREALTIME $sum"
            sleep 0.25
        done
    ) >"$file" &
    bench_track rss-sampler $!
    # shellcheck disable=SC2034
    RSS_SAMPLER=$!
}
rss_now() { # PID... : summed VmRSS in KiB
    local sum=0 p r
    for p in "$@"; do
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
        sum=$((sum + ${r:-0}))
    done
    echo "$sum"
}
# Last sample of FILE at or before epoch T (KiB).
rss_at() { awk -v t="$2" '$1 <= t {v = $2} END {print v + 0}' "$1"; }
# Highest sample of FILE between T1 and T2.
rss_max_between() { awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b && $2 > m {m = $2} END {print m + 0}' "$1"; }

# Formats a number, rounded, with thousands separators.
fmt() { printf '%.0f\n' "${1:-0}" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }
# a / b with N decimals, 0 when b is 0.
div() { awk -v a="$1" -v b="$2" -v n="${3:-1}" 'BEGIN { if (b == 0) print 0; else printf "%.*f\n", n, a / b }'; }

# ---- reading the generator's JSON ------------------------------------------------------

# One line per step of a step-mode run, and the highest passing rate
# (LG_BEST, 0 if none passed) into the summary.
step_summary() { # LABEL
    local j=$BENCH_STATE/$1.out
    jq -r '.steps[] | "  step \(.rate | floor) msg/s: sent \(.achieved_rate | floor)/s, acked \(.acked)/\(.sent), delivered \(.delivered)/\(.expected_deliveries), p99 ack \(.latency_us.ack.p99 / 1000) ms, p99 delivery \(.latency_us.delivery.p99 / 1000) ms (max \(.latency_us.delivery.max / 1000)), generator lateness p99 \(.latency_us.send_lag.p99 / 1000) ms, CPU server \(.server.cpu_percent_avg // "?" | tostring | .[0:5]) % generator \(.generator.cpu_percent_avg // "?" | tostring | .[0:5]) %: \(.verdict)"' "$j" \
        | while IFS= read -r l; do summary "$1:$l"; done
    LG_BEST=$(jq -r '[.steps[] | select(.passed) | .rate] | max // 0 | floor' "$j")
    summary "$1: highest passing rate $(fmt "$LG_BEST") msg/s; whole run: sent $(jq -r .sent "$j"), acked $(jq -r .acked "$j"), unacked $(jq -r .unacked "$j"), lost $(jq -r .lost "$j"), never delivered $(jq -r .never_delivered.messages "$j"), duplicates $(jq -r .duplicates "$j"), order violations $(jq -r .order_violations "$j"), errors $(jq -c .errors.by_code "$j"), closes $(jq -c .closes.by_code "$j")"
}

# A fixed-rate run in one line.
run_summary() { # LABEL
    local j=$BENCH_STATE/$1.out
    summary "$1: $(jq -r '"rate \(.config.rate | floor) msg/s over \(.connections.opened) connections (\(.connections.failed) failed): sent \(.sent) (\(.achieved_rate | floor)/s), acked \(.acked), unacked \(.unacked), delivered \(.delivered)/\(.expected_deliveries), never delivered \(.never_delivered.messages), lost \(.lost), duplicates \(.duplicates), order violations \(.order_violations); send->ack p50/p99 \(.latency_us.ack.p50 / 1000)/\(.latency_us.ack.p99 / 1000) ms; send->delivery p50/p99/max \(.latency_us.delivery.p50 / 1000)/\(.latency_us.delivery.p99 / 1000)/\(.latency_us.delivery.max / 1000) ms; generator lateness p99 \(.latency_us.send_lag.p99 / 1000) ms; keep-alive \(.keepalive.pongs)/\(.keepalive.pings) answered; errors \(.errors.by_code | tostring), closes \(.closes.by_code | tostring)"' "$j")"
}

# A storm in one line.
storm_summary() { # LABEL
    local j=$BENCH_STATE/$1.out
    summary "$1: $(jq -r '"\(.connections.opened) of \(.connections.planned) opened, \(.connections.failed) failed, in \(.connections.seconds) s: \(.connections.per_second | floor) connections/s; connect->hello p50/p95/p99/max \(.connections.auth_latency_us.p50 / 1000)/\(.connections.auth_latency_us.p95 / 1000)/\(.connections.auth_latency_us.p99 / 1000)/\(.connections.auth_latency_us.max / 1000) ms; errors \(.connections.errors | tostring)"' "$j")"
}

# ---- CPU of the services during a run ------------------------------------------------

# utime + stime of PIDs, in clock ticks.
cpu_ticks() {
    local p sum=0 t
    for p in "$@"; do
        t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0)
        sum=$((sum + ${t:-0}))
    done
    echo "$sum"
}
# PostgreSQL's postmaster and its children, one PID a word.
# shellcheck disable=SC2046
pg_pids() { [ -n "${PG_PID:-}" ] && echo "$PG_PID" $(pgrep -P "$PG_PID" 2>/dev/null || true); }
declare -A BENCH_CPU0
# shellcheck disable=SC2046
# Marks the start of a measured span.
cpu_mark() {
    BENCH_CPU0[t]=$EPOCHREALTIME
    BENCH_CPU0[daemon]=$(cpu_ticks "${DAEMON_PIDS[@]}")
    BENCH_CPU0[postgres]=$(cpu_ticks $(pg_pids))
    BENCH_CPU0[redis]=$(cpu_ticks ${REDIS_PID:-})
    BENCH_CPU0[pgbouncer]=$(cpu_ticks ${PGB_PID:-})
    BENCH_CPU0[echo]=$(cpu_ticks ${ECHO_PID:-})
}
# Summary line: CPU of each service since cpu_mark, in % of one core.
# shellcheck disable=SC2046
cpu_report() { # LABEL
    local hz secs line="" k now
    hz=$(getconf CLK_TCK)
    secs=$(awk -v a="${BENCH_CPU0[t]}" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')
    for k in daemon postgres redis pgbouncer echo; do
        case $k in
        daemon) now=$(cpu_ticks "${DAEMON_PIDS[@]}"); [ "${#DAEMON_PIDS[@]}" -gt 0 ] || continue ;;
        postgres) [ -n "${PG_PID:-}" ] || continue; now=$(cpu_ticks $(pg_pids)) ;;
        redis) [ -n "${REDIS_PID:-}" ] || continue; now=$(cpu_ticks "$REDIS_PID") ;;
        pgbouncer) [ -n "${PGB_PID:-}" ] || continue; now=$(cpu_ticks "$PGB_PID") ;;
        echo) [ -n "${ECHO_PID:-}" ] || continue; now=$(cpu_ticks "$ECHO_PID") ;;
        esac
        line+="$k $(awk -v a="${BENCH_CPU0[$k]}" -v b="$now" -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.0f", 100 * (b - a) / hz / s}') %, "
    done
    summary "$1: CPU over $(printf "%.0f" "$secs") s in % of one core ($(nproc) cores): ${line%, } (the generator's own is in its report)"
}
# Median of the samples of FILE between T1 and T2 (0 if none).
rss_median_between() {
    awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b {print $2}' "$1" | sort -n \
        | awk '{v[NR] = $1} END {if (NR == 0) print 0; else print v[int((NR + 1) / 2)]}'
}
