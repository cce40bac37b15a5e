#!/usr/bin/env bash
# The console's pages at size (issue 24): a workspace with CONTACTS contacts (default 10,000, imported as CSV)
# and MESSAGES messages (default 100,000: SMS scheduled a year ahead to a group of them, so they stay rows in
# `messages` and in each contact's history); then each page, signed in through the console's own form like a
# browser, fetched one request at a time over a kept-alive connection: warm-up, then REQUESTS (default 1,000).
# Server time is the host's own access-log `duration_ms` for those requests (the host runs at --log-level
# info for that); the client's round trip is printed beside it. Target: every page's server time p99 < 20 ms.
# The host runs wrangler-like.toml as it ships, on core 0 (HOST_CORES); the driver on the other core.
# Usage: bench/console.sh [contacts (10000)] [messages (100000)] [requests (1000)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
contacts=${1:-10000}; messages=${2:-100000}; requests=${3:-1000}
port=18806
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/common.sh

# The access log is the measure: it is on, and written to a file.
HOST_CORES=${HOST_CORES:-0} start_api_host "$port" "$work" --log-level info 2> "$work/host.log"
key=$(create_api_key "$port")
taskset -c 1 python3 bench/console_driver.py "http://127.0.0.1:$port" "$key" bench@example.com "correct horse battery" "$work/host.log" \
  "$contacts" "$messages" "$requests"
