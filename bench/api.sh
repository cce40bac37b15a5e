#!/usr/bin/env bash
# Authenticated API throughput: GET /api/v1/me with an API key next to the host's hello route
# (GET /api/v1/status) in the same run; target >= 50% of hello's requests/s.
# The host (one loop) is pinned to core 0, wrk to core 1; rounds alternate.
# Usage: bench/api.sh [seconds per run] [rounds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
seconds=${1:-10}; rounds=${2:-3}; conns=${3:-64}
port=18796
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
start_api_host $port "$work"
key=$(create_api_key $port)
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/me" -H "authorization: Bearer $key")" = 200 ]

run() { # path [header] -> "rps p50_ms p99_ms"
  local args=(-t1 -c"$conns" -d"${seconds}s" --latency)
  [ -n "${2:-}" ] && args+=(-H "$2")
  taskset -c 1 wrk "${args[@]}" "http://127.0.0.1:$port$1" > "$work/wrk.txt"
  wrk_summary "$work/wrk.txt"
}

printf "%-6s %-22s %12s %10s %10s\n" round route "req/s" "p50 ms" "p99 ms"
for r in $(seq "$rounds"); do
  read -r h50r h50 h99 < <(run /api/v1/status)
  printf "%-6s %-22s %12s %10s %10s\n" "$r" "hello /api/v1/status" "$h50r" "$h50" "$h99"
  read -r m50r m50 m99 < <(run /api/v1/me "Authorization: Bearer $key")
  printf "%-6s %-22s %12s %10s %10s\n" "$r" "/api/v1/me (API key)" "$m50r" "$m50" "$m99"
  echo "$h50r $m50r $h99 $m99" >> "$work/all"
done
python3 - "$work/all" <<'PY'
import sys, statistics
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
hello = statistics.median(r[0] for r in rows); me = statistics.median(r[1] for r in rows)
print(f"median: hello {hello:.0f} req/s, /me with an API key {me:.0f} req/s -> {me / hello:.2f} of hello (target >= 0.50)")
print(f"p99: hello {statistics.median(r[2] for r in rows):.3f} ms, /me {statistics.median(r[3] for r in rows):.3f} ms")
PY
