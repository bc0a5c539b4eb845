# shellcheck shell=bash
# wal-full            PostgreSQL's pg_wal on a small tmpfs (WAL_FS_MB, default
#                     256): fill it (a filler file, then pg_switch_wal until a
#                     new segment is needed), free it after --fault-length,
#                     start PostgreSQL again if it stopped itself
WAL_FS_MB=${WAL_FS_MB:-256}

# pg_wal moves to the tmpfs while PostgreSQL is stopped (a symlink, as
# initdb --waldir makes); the mount is undone by the cleanup.
fault_wal_full_setup() {
    local data=$PG_SOCKET/data fs=$BENCH_STATE/walfs
    section "wal-full: pg_wal on a ${WAL_FS_MB} MiB tmpfs"
    # The fault is to be the only thing that fills it: PostgreSQL keeps up
    # to max_wal_size (1 GB by default) between checkpoints, and a soak's
    # load filled the tmpfs again five minutes after the fault (then the
    # postmaster could not even start). A quarter of the tmpfs: the room a
    # WAL disk needs besides max_wal_size (docs/operations.md).
    # Nor may a failing archiver keep every segment: deploy's sanayicin.conf
    # archives into pgBackRest, which a bench has no repository for (the
    # 30-minute wide soak filled the tmpfs again that way 8 minutes after
    # the fault, with max_wal_size at 64 MB).
    psql_admin postgres -qc "ALTER SYSTEM SET max_wal_size = '$((WAL_FS_MB / 4))MB'" >/dev/null
    psql_admin postgres -qc "ALTER SYSTEM SET min_wal_size = '$((WAL_FS_MB / 8))MB'" >/dev/null
    psql_admin postgres -qc "ALTER SYSTEM SET archive_mode = off" >/dev/null
    res "max_wal_size $((WAL_FS_MB / 4)) MB, min_wal_size $((WAL_FS_MB / 8)) MB (a quarter and an eighth of the tmpfs); archive_mode off (no pgBackRest repository here: a failing archiver keeps every segment)"
    as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed"
    bench_untrack "$PG_PID"
    mkdir -p "$fs"
    res_cmd mount -t tmpfs -o "size=${WAL_FS_MB}m,mode=0700" tmpfs "$fs"
    mount -t tmpfs -o "size=${WAL_FS_MB}m,mode=0700" tmpfs "$fs" || die "mount tmpfs failed"
    bench_on_cleanup "umount '$fs' || umount -l '$fs'"
    if ! { cp -a "$data/pg_wal/." "$fs/" && rm -rf "$data/pg_wal" && ln -s "$fs" "$data/pg_wal"; }; then
        die "moving pg_wal failed"
    fi
    chown postgres:postgres "$fs"
    wal_full_pg_start
    res "pg_wal -> $fs: $(du -sh "$fs" | cut -f1) used, $(wal_full_segments) segments"
}

# Starts PostgreSQL (its data folder as bench_start_postgres made it) and
# tracks its new postmaster.
wal_full_pg_start() {
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -l "$PG_SOCKET/server.log" -w -t 120 start >/dev/null \
        || die "PostgreSQL did not start: $(tail -n 10 "$PG_SOCKET/server.log")"
    PG_PID=$(head -n 1 "$PG_SOCKET/data/postmaster.pid")
    bench_track postgres "$PG_PID"
}

# WAL segment files in the tmpfs.
wal_full_segments() { find "$BENCH_STATE/walfs" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' | wc -l; }

wal_full_accepting() { as_postgres "$PGBIN/pg_isready" -q -h "$PG_SOCKET" -p "$PG_PORT" -t 2; }

fault_wal_full_inject() {
    local fs=$BENCH_STATE/walfs free i t0 t_fail='' lines
    lines=$(wc -l <"$PG_SOCKET/server.log")
    mark wal-full start
    free=$(df --output=avail -B1 "$fs" | tail -n 1)
    res "wal-full: $(wal_full_segments) segments in pg_wal, $free bytes free: filled"
    fallocate -l "$free" "$fs/filler" 2>/dev/null || true
    # What fallocate left (tmpfs rounds to pages): zeros until ENOSPC.
    dd if=/dev/zero of="$fs/filler.tail" bs=4k status=none 2>/dev/null || true
    res "after the filler: $(df --output=avail -B1 "$fs" | tail -n 1) bytes free"
    # The load needs a new segment only every 16 MiB: switch until one is
    # needed (a recycled segment is used without new space).
    t0=$(date +%s.%N)
    for ((i = 0; i < 40; i++)); do
        if ! timeout 10 runuser -u postgres -- psql -h "$PG_SOCKET" -p "$PG_PORT" -U postgres -d postgres \
            -Atqc 'SELECT pg_switch_wal()' >/dev/null 2>&1; then
            break
        fi
        sleep 0.2
    done
    # Down: the postmaster gone, or not accepting connections.
    for ((i = 0; i < 300; i++)); do
        if ! kill -0 "$PG_PID" 2>/dev/null || ! wal_full_accepting; then
            t_fail=$(date +%s.%N)
            break
        fi
        sleep 0.1
    done
    [ -n "$t_fail" ] || die "PostgreSQL kept running with a full pg_wal ($i switches)"
    res "PostgreSQL failed $(awk -v a="$t0" -v b="$t_fail" 'BEGIN {printf "%.1f", b - a}') s after the first pg_switch_wal ($i switches answered)"
    sleep "$FAULT_LENGTH"
    rm -f "$fs/filler" "$fs/filler.tail"
    res "filler removed after $FAULT_LENGTH s: $(df --output=avail -B1 "$fs" | tail -n 1) bytes free"
    # The postmaster either recovers by itself (crash-restart with space
    # again) or has stopped (its startup process failed on the full disk):
    # wait for whichever comes; the second needs a start, as an operator does.
    local came=''
    for ((i = 0; i < 600; i++)); do
        if ! kill -0 "$PG_PID" 2>/dev/null; then came=stopped; break; fi
        if wal_full_accepting; then came=itself; break; fi
        sleep 0.1
    done
    case $came in
    itself) res "the postmaster (pid $PG_PID) stayed up and accepts connections again by itself" ;;
    stopped)
        bench_untrack "$PG_PID"
        res "the postmaster (pid $PG_PID) had stopped: started again with pg_ctl start (what an operator does)"
        wal_full_pg_start
        ;;
    *) die "PostgreSQL neither came back nor stopped within 60 s of freeing the space" ;;
    esac
    mark wal-full end
    res "PostgreSQL's log during the fault (the crash and the recovery; refused connections left out):"
    tail -n +"$((lines + 1))" "$PG_SOCKET/server.log" \
        | grep -E 'PANIC|FATAL|terminat|No space|ready to accept|shut down|shutting down|redo|aborting|startup' \
        | grep -vE 'in recovery mode|not yet accepting|is starting up|archive command' \
        | head -n 25 | cut -c1-300 | res
}
