#!/usr/bin/env bash
# Contacts at scale: imports 1,000,000 contacts into one workspace (ten 100,000-row CSV imports, timed:
# rows/s), then measures full-text search and typeahead latency through HTTP with wrk and varied queries.
# Targets: search and typeahead p99 under 20 ms; import >= 20,000 rows/s.
# The host (one loop) is pinned to core 0, the clients to core 1.
# Usage: bench/contacts.sh [contacts] [seconds per latency run] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
total=${1:-1000000}; seconds=${2:-10}; conns=${3:-4}
port=18794
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
start_api_host $port "$work"
key=$(create_api_key $port)
base="http://127.0.0.1:$port/api/v1"

# Names from 400 first names x 2,500 last names; every contact has a distinct phone and a plan.
python3 - "$work" "$total" <<'PY'
import random, sys
work, total = sys.argv[1], int(sys.argv[2])
random.seed(7)
syllables = ["al", "an", "ar", "be", "ca", "da", "el", "en", "fa", "ga", "ha", "il", "jo", "ka", "la", "li", "ma", "mi", "na", "no",
             "or", "pa", "ra", "ri", "sa", "se", "ta", "to", "ul", "va", "wi", "ya", "za"]
firsts = sorted({(random.choice(syllables) + random.choice(syllables) + random.choice(syllables)).title() for _ in range(2000)})[:400]
lasts = sorted({(random.choice(syllables) + random.choice(syllables) + random.choice(syllables) + "son").title() for _ in range(20000)})[:2500]
open(f"{work}/firsts.txt", "w").write("\n".join(firsts))
open(f"{work}/lasts.txt", "w").write("\n".join(lasts))
per_file = 100_000
for f in range((total + per_file - 1) // per_file):
    with open(f"{work}/import-{f}.csv", "w") as out:
        out.write("Name,Phone,Email,Plan\n")
        for i in range(f * per_file, min(total, (f + 1) * per_file)):
            first, last = random.choice(firsts), random.choice(lasts)
            out.write(f"{first} {last},+1 {200 + i // 10_000_000:03d} {i // 10_000 % 1000:03d} {i % 10_000:04d},"
                      f"{first.lower()}.{last.lower()}{i}@example.com,{random.choice(['free', 'pro', 'team'])}\n")
PY

start=$(date +%s%N)
for file in "$work"/import-*.csv; do
  id=$(taskset -c 1 curl -sf -X POST "$base/contacts/imports?on_duplicate=skip" -H "authorization: Bearer $key" \
    -H 'content-type: text/csv' --data-binary @"$file" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while [ "$(curl -sf "$base/contacts/imports/$id" -H "authorization: Bearer $key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = running ]; do
    sleep 0.05
  done
done
import_ms=$(( ($(date +%s%N) - start) / 1000000 ))
count=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM contacts").fetchone()[0])' \
  "$work/data/api/d1/api.sqlite")

# wrk scripts: each request a different query drawn from the name pools.
cat > "$work/search.lua" <<LUA
local firsts, lasts = {}, {}
for line in io.lines("$work/firsts.txt") do firsts[#firsts + 1] = line:lower() end
for line in io.lines("$work/lasts.txt") do lasts[#lasts + 1] = line:lower() end
math.randomseed(11)
request = function()
  local q = firsts[math.random(#firsts)] .. "+" .. lasts[math.random(#lasts)]
  return wrk.format("GET", "/api/v1/contacts?limit=20&q=" .. q, { ["Authorization"] = "Bearer $key" })
end
LUA
cat > "$work/typeahead.lua" <<LUA
local firsts = {}
for line in io.lines("$work/firsts.txt") do firsts[#firsts + 1] = line:lower() end
math.randomseed(13)
request = function()
  local name = firsts[math.random(#firsts)]
  local prefix = name:sub(1, math.random(2, math.min(5, #name)))
  return wrk.format("GET", "/api/v1/contacts?limit=10&prefix=" .. prefix, { ["Authorization"] = "Bearer $key" })
end
LUA
run() { # script -> "rps p50 p99"
  taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$1" "http://127.0.0.1:$port" > "$work/wrk.txt"
  wrk_summary "$work/wrk.txt"
}
read -r srps s50 s99 < <(run "$work/search.lua")
read -r trps t50 t99 < <(run "$work/typeahead.lua")
python3 - "$count" "$import_ms" "$srps" "$s50" "$s99" "$trps" "$t50" "$t99" "$conns" <<'PY'
import sys
count, import_ms = int(sys.argv[1]), int(sys.argv[2])
srps, s50, s99, trps, t50, t99 = map(float, sys.argv[3:9])
rate = count / (import_ms / 1000)
print(f"contacts in the workspace: {count}")
print(f"import: {count} rows in {import_ms} ms -> {rate:.0f} rows/s (target >= 20000: {rate / 20000:.2f}x)")
print(f"search (first + last name, {sys.argv[9]} connections): {srps:.0f} req/s, p50 {s50:.2f} ms, p99 {s99:.2f} ms (target < 20 ms)")
print(f"typeahead (2-5 letter prefix): {trps:.0f} req/s, p50 {t50:.2f} ms, p99 {t99:.2f} ms (target < 20 ms)")
PY
