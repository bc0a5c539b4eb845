# shellcheck shell=bash
# redis-restart       stop Redis (SIGTERM), start it again after --fault-length
fault_redis_restart_inject() {
    res "Redis (pid $REDIS_PID, port $REDIS_PORT) stopped with SIGTERM, started again after $FAULT_LENGTH s"
    mark redis-restart start
    bench_stop_pid "$REDIS_PID" 20 TERM
    mv "$BENCH_STATE/redis/redis.log" "$BENCH_STATE/redis/redis.before-$REDIS_PID.log"
    sleep "$FAULT_LENGTH"
    BENCH_NEXT_PORT=$REDIS_PORT
    bench_start_redis
    mark redis-restart end
}
