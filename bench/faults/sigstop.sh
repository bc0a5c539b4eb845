# shellcheck shell=bash
# sigstop             SIGSTOP one instance (frozen, its sockets open) for
#                     --fault-length but at least 8 s, then SIGCONT: its
#                     clients must notice by heartbeat (the generator pings
#                     every 2 s and drops a connection silent for 6 s)
fault_sigstop_inject() {
    local victim=${DAEMON_PIDS[1]} hold=$FAULT_LENGTH
    awk -v h="$hold" 'BEGIN { exit !(h < 8) }' && hold=8
    res "SIGSTOP sanayicind c1 (pid $victim) for $hold s, then SIGCONT"
    mark sigstop start
    kill -STOP "$victim"
    sleep "$hold"
    kill -CONT "$victim"
    mark sigstop end
}
