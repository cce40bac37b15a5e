#!/usr/bin/env bash
# The search box at MESSAGES community messages (default 1,000,000), on one host (core 0; the driver on core 1).
# Targets (issue 21): search p99 < 20 ms, typeahead p99 < 10 ms.
#
# 1. A host signs up the owner, makes a community of 20 channels (one private), 50 named members and 1,000
#    contacts through the API.
# 2. The host stops and MESSAGES messages go into its SQLite file in one transaction through the same
#    statements' shape and the same triggers that index a posted message (posting a million through the API
#    would take most of the run and measure posting, not search). Words come from a 20,000-word vocabulary
#    drawn by Zipf's law (s = 1.1), 5-25 words a message, as people write.
# 3. The host starts again; QUERIES searches go one at a time over one keep-alive connection:
#    - search: `GET /api/v1/search?q=` of one or two words of middling frequency (ranks 50-3,000), the last
#      typed as far as 3-6 letters half of the time (the last word is a prefix), every type;
#    - typeahead: 2-4 letters of a name (channels, communities, members, contacts: `types=` without messages).
#    A live post is then searched for at once, to show the index is written with the message.
# Usage: bench/search.sh [messages (1000000)] [queries (1000)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
messages=${1:-1000000}
queries=${2:-1000}
port=18797
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
start_api_host $port "$work"
key=$(create_api_key $port)

taskset -c 1 /usr/bin/python3 bench/search_driver.py setup "$port" "$key" "$work/setup.json"
kill -TERM %1; wait %1 || true
db=$(find "$work/data" -name api.sqlite | head -1)
echo "filling $db with $messages messages"
taskset -c 1 /usr/bin/python3 bench/search_driver.py fill "$db" "$work/setup.json" "$messages"
start_api_host $port "$work"
host_pid=$(pgrep -f "serve --config wrangler-like.toml --port $port" | head -1)
taskset -c 1 /usr/bin/python3 bench/search_driver.py measure "$port" "$key" "$work/setup.json" "$queries" "$host_pid"
