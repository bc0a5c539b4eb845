#!/bin/bash
# Cluster A/B: 2e8cd74's daemon (A) against the ring branch's (B), same
# generator (B's), alternating A B B A A B, each a whole bench/cluster.sh
# (single instance, then three with Redis), 1 thread per instance.
cd /work/wt-ring
A=/work/logs/s22/oldsrv
B=/work/wt-ring/build-bench2
i=0
for side in A B B A A B; do
  i=$((i+1))
  dir=$A; [ $side = B ] && dir=$B
  BENCH_BUILD_DIR=$dir BENCH_RESULTS_DIR=/work/logs/s22/ab bench/cluster.sh --instance-threads 1 --step 10000,+2500,100,25000 > /work/logs/s22/ab/run-$i-$side.out 2>&1
  echo "$(date -u +%H:%M:%S) run $i $side rc=$?" >> /work/logs/s22/ab/summary.txt
done
