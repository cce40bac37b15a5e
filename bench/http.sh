#!/usr/bin/env bash
# HTTP throughput and latency: the host's hello route beside Node's http module serving identical bytes.
# Each server runs pinned to core 0, wrk to core 1; rounds alternate so drift hits both alike.
# `ozzi+log` is the same host writing its JSON access log (to a file, as a deployment's stderr would):
# the log's cost is its throughput beside plain `ozzi` (target <= 10%).
# Usage: bench/http.sh [seconds per run] [rounds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
seconds=${1:-10}; rounds=${2:-3}; conns=${3:-64}
path=/api/v1/status
ozzi_port=18787; node_port=18788; logged_port=18790
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
build_release ozzi

wait_for() { for _ in $(seq 200); do curl -sf "http://127.0.0.1:$1$path" -o /dev/null && return 0; sleep 0.01; done; return 1; }

# Start-up: process start to first answered request, and idle RSS with all five workers (default config).
start_ns=$(date +%s%N)
.build/release/ozzi serve --port 18789 --loops 1 --data-dir "$work/startup" --log-level warning &
startup_pid=$!
until curl -sf http://127.0.0.1:18789/__ozzi/health -o /dev/null; do sleep 0.002; done
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 0.5
idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$startup_pid/status)
kill -TERM $startup_pid; wait $startup_pid 2>/dev/null || true

# The shipped configuration on one loop; at --log-level warning the access log is off.
taskset -c 0 .build/release/ozzi serve --port $ozzi_port --loops 1 --data-dir "$work/data" --log-level warning &
wait_for $ozzi_port
curl -s -D "$work/headers" "http://127.0.0.1:$ozzi_port$path" -o "$work/body"
content_type=$(awk -F': ' 'tolower($1)=="content-type" {print $2}' "$work/headers" | tr -d '\r')
taskset -c 0 .build/release/ozzi serve --port $logged_port --loops 1 --data-dir "$work/logged" 2> "$work/access.log" &
wait_for $logged_port
taskset -c 0 node bench/node-hello.js $node_port "$work/body" "$content_type" &
wait_for $node_port
cmp -s "$work/body" <(curl -s "http://127.0.0.1:$node_port$path") || { echo "bodies differ" >&2; exit 1; }

run() { # port -> "rps p50_ms p99_ms"
  taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency "http://127.0.0.1:$1$path" > "$work/wrk.txt"
  wrk_summary "$work/wrk.txt"
}

printf "%-6s %-6s %12s %10s %10s\n" round server "req/s" "p50 ms" "p99 ms"
for r in $(seq "$rounds"); do
  for server in ozzi ozzi+log node; do
    case $server in ozzi) port=$ozzi_port ;; ozzi+log) port=$logged_port ;; node) port=$node_port ;; esac
    read -r rps p50 p99 < <(run "$port")
    printf "%-6s %-6s %12s %10s %10s\n" "$r" "$server" "$rps" "$p50" "$p99"
    echo "$server $rps $p50 $p99" >> "$work/all"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for server in ozzi ozzi+log node; do
  for col in 2 3 4; do
    eval "${server//[+]/_}_$col=$(awk -v s=$server -v c=$col '$1==s {print $c}' "$work/all" | median)"
  done
done
echo
echo "median of $rounds rounds, ${seconds}s each, $conns connections, server on core 0, wrk on core 1"
printf "ozzi: %s req/s, p50 %s ms, p99 %s ms\n" "$ozzi_2" "$ozzi_3" "$ozzi_4"
printf "ozzi+log: %s req/s, p50 %s ms, p99 %s ms (access log: %s MiB written)\n" "$ozzi_log_2" "$ozzi_log_3" "$ozzi_log_4" \
  "$(( $(stat -c %s "$work/access.log") / 1048576 ))"
printf "node: %s req/s, p50 %s ms, p99 %s ms (node %s)\n" "$node_2" "$node_3" "$node_4" "$(node --version)"
awk -v a="$ozzi_2" -v b="$node_2" -v c="$ozzi_4" -v d="$node_4" 'BEGIN {
  printf "ratio ozzi/node: throughput %.2fx, p99 %.2fx (lower is better)\n", a/b, c/d }'
awk -v a="$ozzi_2" -v l="$ozzi_log_2" 'BEGIN { printf "access log cost: %.1f%% of hello throughput (target <= 10%%)\n", (a - l) * 100 / a }'
echo "start-up to first answered request: ${startup_ms} ms; idle RSS with all five workers: $((idle_rss_kb / 1024)) MiB"
