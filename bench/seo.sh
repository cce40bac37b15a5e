#!/usr/bin/env bash
# A local-SEO scan at scale (issue 22): one 13 x 13 grid (169 points, one keyword) through Serper's /maps,
# the provider being Tests/clients/serper_stub.py answering each search after LATENCY seconds (default 1.5,
# as Serper's answers take 1-2 s), the scan holding at most CONCURRENCY searches in flight (the host's
# SEO_SCAN_CONCURRENCY, default 5). Measured: the scan's wall time, from POST /seo/trackers/{id}/scans to
# `finished`, against the reference in the same run — what the limit allows at best, ceil(169 / CONCURRENCY)
# rounds of LATENCY — and, from the stub's record of when each search arrived, the most searches it ever
# had in flight (which must not pass the limit).
# The host runs wrangler-like.toml as it ships, from a temporary copy with an [env.bench] overlay for the
# api: the Serper provider (SEO_PROVIDER, SERPER_API_BASE, SEO_SCAN_CONCURRENCY vars; the SERPER_API_KEY
# secret from this script's environment) and http://127.0.0.1:* allowed (the file allows https only).
# Usage: bench/seo.sh [grid size (13)] [latency seconds (1.5)] [concurrency (5)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
size=${1:-13}; latency=${2:-1.5}; concurrency=${3:-5}
port=18797
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "bench/seo.sh: $*" >&2; exit 1; }
source bench/common.sh
[ -n "${OZZI_BINARY:-}" ] || build_release ozzi
binary=${OZZI_BINARY:-.build/release/ozzi}
export SERPER_API_KEY=bench-serper-key

taskset -c 1 python3 Tests/clients/serper_stub.py "$SERPER_API_KEY" --latency "$latency" > "$work/stub.log" 2>&1 &
stub_pid=$!
until grep -q '^PORT' "$work/stub.log" 2>/dev/null; do
  kill -0 "$stub_pid" 2>/dev/null || { cat "$work/stub.log" >&2; fail "the Serper stub exited at start-up"; }
  sleep 0.05
done
stub_port=$(awk '/^PORT/ {print $2}' "$work/stub.log")

sed "s|^migrations_dir = \"\([^/]\)|migrations_dir = \"$PWD/\1|" wrangler-like.toml > "$work/seo.toml"
cat >> "$work/seo.toml" <<TOML

# Added by bench/seo.sh: scans go to the local Serper stub.
[env.bench.workers.api]
allowed_outbound_hosts = ["https://*", "http://127.0.0.1:*"]
secrets = ["SERPER_API_KEY"]

[env.bench.workers.api.vars]
SEO_PROVIDER = "serper"
SERPER_API_BASE = "http://127.0.0.1:$stub_port"
SEO_SCAN_CONCURRENCY = "$concurrency"
TOML
taskset -c "${HOST_CORES:-0}" "$binary" serve --config "$work/seo.toml" --env bench --port "$port" --loops 1 --data-dir "$work/data" \
  --log-level warning &
host_pid=$!
printf -v "api_data_$port" '%s' "$work/data"
until curl -sf "http://127.0.0.1:$port/api/v1/status" -o /dev/null; do
  kill -0 "$host_pid" 2>/dev/null || fail "the host on port $port exited at start-up"
  sleep 0.05
done
key=$(create_api_key $port)

python3 - "http://127.0.0.1:$port/api/v1" "$key" "$size" "$latency" "$concurrency" "http://127.0.0.1:$stub_port" <<'PY'
import json, math, sys, time, urllib.request
base, key, size, latency, concurrency, stub = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"authorization": "Bearer " + key, "content-type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)
business = call("POST", "/seo/businesses", {"name": "Bench Pizza", "cid": "4242", "latitude": 40.7128, "longitude": -74.006})
tracker = call("POST", "/seo/trackers", {"business_id": business["id"], "keywords": ["pizza"],
                                         "grid": {"size": size, "spacing": 0.5, "unit": "km", "zoom": 13}})
started = time.monotonic()
scan = call("POST", f"/seo/trackers/{tracker['id']}/scans")
while scan["status"] not in ("finished", "failed"):
    time.sleep(0.05)
    scan = call("GET", f"/seo/scans/{scan['id']}")
wall = time.monotonic() - started
if scan["status"] != "finished":
    sys.exit(f"the scan failed: {scan.get('error')}")
arrivals = sorted(r["at"] for r in json.load(urllib.request.urlopen(stub + "/requests")))
in_flight = max(sum(1 for b in arrivals if a <= b < a + latency) for a in arrivals)
points = size * size
best = math.ceil(scan["searches_used"] / concurrency) * latency
print(f"{size}x{size} scan: {points} points, {scan['searches_used']} searches at {latency} s each, at most {concurrency} at once")
print(f"  wall time {wall:.2f} s; the limit's best {best:.2f} s (ceil({scan['searches_used']}/{concurrency}) x {latency} s): ratio {wall / best:.3f}")
print(f"  most searches in flight at the stub: {in_flight} (limit {concurrency})")
if in_flight > concurrency:
    sys.exit("more searches were in flight than the limit allows")
PY
