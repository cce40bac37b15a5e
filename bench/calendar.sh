#!/usr/bin/env bash
# The team calendar at scale (issue 22): MEMBERS members (default 50) of one workspace, spread over five
# time zones, each with a month of events made through the API — a weekday stand-up (a recurring series
# with one occurrence moved and one cancelled), a weekly one-to-one, a monthly review, an all-day event and
# twenty single meetings — then GET /calendars/team for the month, REQUESTS times (default 200), one after
# another. Measured: the team view's p50 and p99, against the reference in the same run: one member's month
# (GET /calendars/{id}/events) fifty times over, i.e. what a client asking member by member would wait.
# The host runs wrangler-like.toml as it ships (SQLite), on one loop pinned to core 0.
# Usage: bench/calendar.sh [members (50)] [requests (200)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
members=${1:-50}; requests=${2:-200}
port=18798
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/common.sh
start_api_host "$port" "$work"
python3 bench/calendar_driver.py "http://127.0.0.1:$port/api/v1" "$work/data" "$members" "$requests"
