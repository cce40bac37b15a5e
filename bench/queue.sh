#!/usr/bin/env bash
# Queue benchmark: messages/s through send -> consumer -> ack on one core, and how late delayed messages
# fire (actual minus due time), against the targets (>= 20,000 messages/s, p99 lateness < 100 ms).
# The host (one loop) is pinned to core 0; the driving curl calls run on core 1.
# Usage: bench/queue.sh [messages] [delayed messages]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
messages=${1:-100000}; delayed=${2:-2000}
port=18797
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
build_release ozzi-probe
cat > "$work/queue.toml" <<TOML
[server]
port = $port
loops = 1
data_dir = "$work/data"
access_log = false

[[workers]]
name = "qp"
module = "queue-probe"
routes = ["/*"]
d1_databases = [{ binding = "DB", migrations_dir = "$PWD/Tests/Support/migrations/queue-probe" }]
[workers.queues]
producers = [{ binding = "JOBS", queue = "jobs" }]
consumers = [{ queue = "jobs", max_batch_size = 100, max_batch_timeout = 0 }]
TOML

taskset -c 0 .build/release/ozzi-probe "$work/queue.toml" 2>"$work/host.log" &
until curl -sf "http://127.0.0.1:$port/deliveries" -o /dev/null; do sleep 0.05; done

delivered() { curl -sf "http://127.0.0.1:$port/deliveries" | python3 -c 'import json,sys; print(json.load(sys.stdin)["distinct_n"])'; }
wait_for() { until [ "$(delivered)" -ge "$1" ]; do sleep 0.02; done; }

# 1. Throughput: the host sends every message (in batches of 100) while its consumer drains the queue.
start=$(date +%s%N)
taskset -c 1 curl -sf -X POST "http://127.0.0.1:$port/enqueue?count=$messages" -o /dev/null
wait_for "$messages"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rate=$(( messages * 1000 / elapsed_ms ))

# 2. Lateness: messages due 0.5-2.5 s from now, each recording when it was delivered.
taskset -c 1 curl -sf -X POST "http://127.0.0.1:$port/enqueue?from=$((messages + 1))&count=$delayed&delay_ms=500&spread_ms=2000" -o /dev/null
wait_for $((messages + delayed))
curl -sf "http://127.0.0.1:$port/lateness?from=$((messages + 1))" > "$work/lateness.json"

python3 - "$work/lateness.json" "$messages" "$elapsed_ms" "$rate" <<'PY'
import json, sys
lateness = sorted(json.load(open(sys.argv[1])))
messages, elapsed, rate = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def pct(p):
    return lateness[min(len(lateness) - 1, int(p / 100 * len(lateness)))]
print(f"throughput: {messages} messages sent, consumed and acknowledged in {elapsed} ms on one core: {rate} messages/s")
print(f"  target 20000 messages/s: ratio {rate / 20000:.2f}x")
print(f"delayed: {len(lateness)} messages due 0.5-2.5 s ahead; lateness p50 {pct(50)} ms, p99 {pct(99)} ms, "
      f"max {lateness[-1]} ms, earliest {lateness[0]} ms")
print(f"  target p99 < 100 ms: ratio {pct(99) / 100:.2f} (lower is better)")
PY
