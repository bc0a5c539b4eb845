# shellcheck shell=bash
# sigkill             SIGKILL one instance, start it again after --fault-length
fault_sigkill_inject() {
    local victim=${DAEMON_PIDS[1]} port=${DAEMON_PORTS[1]}
    res "SIGKILL sanayicind c1 (pid $victim, port $port); started again after $FAULT_LENGTH s"
    mark sigkill start
    kill -KILL "$victim"
    wait "$victim" 2>/dev/null || true
    bench_untrack "$victim"
    mv "$BENCH_STATE/daemon-c1.log" "$BENCH_STATE/daemon-c1.killed-$victim.log"
    sleep "$FAULT_LENGTH"
    forget_c1
    restart_c1 "$port"
    mark sigkill end
}
