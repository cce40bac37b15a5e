#!/usr/bin/env bash
# A community message's fan-out on one host (core 0, one loop; the driver on core 1).
# Target (the communities issue): "a message posted to a channel with 1,000 connected members reaches all of them with
# p99 < 50 ms on loopback".
#
# MEMBERS accounts sign up, join one public community and each hold its live socket
# (/api/v1/communities/{id}/live); its owner (not connected) posts MESSAGES messages into #general, each
# once the previous one has reached every socket (FANOUT_RATE=R posts R a second instead). Per
# (message, socket): the time from just before the POST to the frame reaching the member's socket (the
# kernel's receive timestamp, so the driver's own pace is not in it) and to the driver reading it;
# p50/p90/p99/max over all deliveries, the deliveries missing, the host's RSS and CPU, the driver's CPU.
# bench/fanout_driver.py says how.
#
# Sign-ups hash passwords with SCRYPT_N = 1024 (the test environment's value, not the default 32768):
# the hash is not what is measured, and 1,001 default hashes would keep core 0 busy for a minute first.
# The auth routes' per-network limits are not raised: each account signs up from its own loopback address.
# Usage: bench/fanout.sh [members (1000)] [messages (200)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
members=${1:-1000}
messages=${2:-200}
port=18802
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"  # a socket per member on each side, and the driver's thread pools' connections

source bench/common.sh
start_api_host $port "$work" --var api.SCRYPT_N=1024
host_pid=$(pgrep -f "serve --config wrangler-like.toml --port $port" | head -1)

# Debian's python3 (scripts/setup.sh's packages); the driver needs only the standard library.
taskset -c 1 /usr/bin/python3 bench/fanout_driver.py --port "$port" --data "$work/data" --host-pid "$host_pid" \
  --members "$members" --messages "$messages" --rate "${FANOUT_RATE:-0}"
