#!/usr/bin/env bash
# CPU time per request of two `ozzi` binaries (say main's and a branch's release builds) on the hello route:
# the server process's utime+stime from /proc over a wrk run, divided by the requests it answered. On this
# shared 2-core VM throughput swings 2-5x between runs as other builds come and go; CPU per request moves
# far less, so a change's cost on the hot path shows here first. Each host: one loop on core 0, wrk -t1
# -c64 on core 1, --log-level warning (no access log); rounds alternate.
# Usage: bench/ab-cpu.sh BEFORE_BINARY AFTER_BINARY [rounds] [seconds]
set -euo pipefail
before=$1; after=$2; rounds=${3:-5}; seconds=${4:-8}
path=/api/v1/status
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
tck=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
cd "$(dirname "$0")/.."
taskset -c 0 "$before" serve --port 18796 --loops 1 --data-dir "$work/b" --log-level warning 2>/dev/null &
bpid=$!
taskset -c 0 "$after" serve --port 18797 --loops 1 --data-dir "$work/a" --log-level warning 2>/dev/null &
apid=$!
for port in 18796 18797; do until curl -sf "http://127.0.0.1:$port$path" -o /dev/null; do sleep 0.05; done; done
printf "%-6s %-7s %10s %12s\n" round binary requests "CPU us/req"
for r in $(seq "$rounds"); do
  for s in before:18796:$bpid after:18797:$apid; do
    IFS=: read -r name port pid <<< "$s"
    c0=$(cpu "$pid")
    taskset -c 1 wrk -t1 -c64 -d"${seconds}s" "http://127.0.0.1:$port$path" > "$work/wrk.txt"
    c1=$(cpu "$pid")
    reqs=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    us=$(awk -v c=$((c1 - c0)) -v t="$tck" -v n="$reqs" 'BEGIN {printf "%.2f", c / t * 1e6 / n}')
    printf "%-6s %-7s %10s %12s\n" "$r" "$name" "$reqs" "$us"
    echo "$name $us" >> "$work/all"
  done
done
for s in before after; do
  awk -v s=$s '$1==s {print $2}' "$work/all" | sort -n | awk -v s=$s '{a[NR]=$1} END {printf "%s: median %s CPU us/request\n", s, a[int((NR+1)/2)]}'
done
