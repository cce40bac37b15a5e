#!/usr/bin/env bash
# The call center at scale (issue 20): one workspace with 1,000,000 calls over a year, then, through HTTP
# with wrk, the dashboard (GET /calls/stats, 30 days and a whole year) and filtered history pages (GET /calls
# with a status, a class, a rating, a date range, a duration, a number, 50 a page). Target: p99 < 50 ms each.
# The reference, in the same run: the dashboard's totals computed from the calls themselves (one GROUP BY
# over the year's rows, what `call_daily_stats` saves), timed in-process with Python's sqlite3 on the same file.
# Calls are written straight into the api's SQLite file (as the app writes them: ended calls with a status,
# a duration, a class, a rating, a price), and the daily totals the app keeps call by call are built from
# them in one statement; the script checks the dashboard's totals against the calls before it measures.
# The host (one loop) is pinned to core 0, wrk to core 1.
# Usage: bench/calls.sh [calls (1000000)] [seconds per latency run (10)] [connections (4)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
total=${1:-1000000}; seconds=${2:-10}; conns=${3:-4}
port=18796
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/setup.sh --bench" >&2; exit 1; }

source bench/common.sh
start_api_host $port "$work"
key=$(create_api_key $port)
base="http://127.0.0.1:$port/api/v1"
db="$work/data/api/d1/api.sqlite"
workspace=$(curl -sf "$base/me" -H "authorization: Bearer $key" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("workspace_id") or d["workspace"]["id"])')
today=$(date -u +%F)

# A year of calls ending today, on five numbers; three quarters completed; classes, ratings, prices.
python3 - "$db" "$workspace" "$total" <<'PY'
import random, sqlite3, sys, time
db, workspace, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(20)
con = sqlite3.connect(db, timeout=60)
classes = ["sales_inquiry", "support_request", "billing", "complaint", "appointment", "follow_up_required", "spam", "general_inquiry", "resolved"]
statuses = ["completed"] * 15 + ["busy", "no-answer", "failed", "canceled", "completed"]
numbers = [f"vnum_bench{i}" for i in range(5)]
now = time.time()
alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
def rows():
    for i in range(total):
        start = now - 365 * 86400 * (i / total)  # oldest last
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start)) + ".%03dZ" % (i % 1000)
        status = random.choice(statuses)
        duration = random.randint(5, 900) if status == "completed" else 0
        klass = random.choice(classes) if random.random() < 0.95 else None
        rating = random.randint(1, 5) if random.random() < 0.2 else None
        price = ((duration + 59) // 60) * 14000
        ident = "call_" + "".join(random.choice(alphabet) for _ in range(26))
        yield (ident, workspace, random.choice(numbers), "CA%032x" % i, "ACbench", random.choice(["inbound", "outbound"]),
               "+1415555%04d" % (i % 10000), "+12025550100", None, status, "{}", 0, stamp, stamp, stamp, duration, 0,
               klass, "review" if klass else None, rating, "done" if status == "completed" else None, price, "USD",
               1 if status == "completed" and i % 3 == 0 else 0, stamp, stamp)
con.executemany("""INSERT INTO calls (id, workspace_id, number_id, call_sid, account_sid, direction, from_number, to_number, contact_id,
  status, context, after_hours, started_at, answered_at, ended_at, duration_seconds, interruptions, classification, classified_by, rating,
  review_status, price_micros, price_unit, has_recording, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
# The daily totals the app keeps call by call (CallDailyStats), built at once for the seeded calls.
final = ["completed", "busy", "no-answer", "failed", "canceled"]
columns = {"calls": "count(*)", "duration_seconds": "sum(coalesce(duration_seconds, 0))",
           "completed_duration_seconds": "sum(CASE WHEN status = 'completed' THEN coalesce(duration_seconds, 0) ELSE 0 END)",
           "price_micros": "sum(coalesce(price_micros, 0))"}
columns.update({"status_" + s.replace("-", "_"): f"sum(status = '{s}')" for s in final})
columns.update({"class_" + c: f"sum(classification = '{c}')" for c in classes})
columns["class_unclassified"] = "sum(classification IS NULL)"
con.execute(f"""INSERT INTO call_daily_stats (workspace_id, day, {", ".join(columns)})
  SELECT workspace_id, substr(started_at, 1, 10), {", ".join(columns.values())} FROM calls WHERE ended_at IS NOT NULL GROUP BY 1, 2""")
con.commit()
con.execute("ANALYZE")
con.close()
PY

# The dashboard agrees with the calls (a year's totals), and the reference: the same totals from the calls.
read -r ref_ms < <(python3 - "$db" "$workspace" "$base" "$key" "$today" <<'PY'
import json, sqlite3, sys, time, urllib.request, datetime
db, workspace, base, key, today = sys.argv[1:6]
since = (datetime.date.fromisoformat(today) - datetime.timedelta(days=365)).isoformat()
con = sqlite3.connect(db)
query = """SELECT count(*), sum(status = 'completed'), sum(coalesce(duration_seconds, 0)), sum(coalesce(price_micros, 0)) FROM calls
  WHERE workspace_id = ? AND ended_at IS NOT NULL AND started_at >= ? AND started_at < ?"""
times = []
for _ in range(5):
    t = time.perf_counter()
    calls, completed, duration, price = con.execute(query, (workspace, since, today + "T99")).fetchone()
    times.append((time.perf_counter() - t) * 1000)
request = urllib.request.Request(f"{base}/calls/stats?since={since}&until={today}", headers={"authorization": f"Bearer {key}"})
totals = json.load(urllib.request.urlopen(request))["totals"]
assert totals["calls"] == calls and totals["completed"] == completed and totals["duration_seconds"] == duration, (totals, calls, completed)
assert abs(totals["cost"] - price / 1e6) < 1e-6, (totals["cost"], price)
print(f"{sorted(times)[len(times) // 2]:.1f}")
PY
)
since30=$(date -u -d "$today - 29 days" +%F); since365=$(date -u -d "$today - 365 days" +%F)
mid=$(date -u -d "$today - 180 days" +%FT00:00:00Z); mid_end=$(date -u -d "$today - 150 days" +%FT00:00:00Z)

# wrk scripts: each request one of several filtered pages, in turn.
cat > "$work/history.lua" <<LUA
local queries = {
  "/api/v1/calls?limit=50",
  "/api/v1/calls?limit=50&status=completed",
  "/api/v1/calls?limit=50&classification=billing",
  "/api/v1/calls?limit=50&rating=5",
  "/api/v1/calls?limit=50&status=busy&direction=inbound",
  "/api/v1/calls?limit=50&since=$mid&until=$mid_end",
  "/api/v1/calls?limit=50&min_duration=600&number_id=vnum_bench3",
  "/api/v1/calls?limit=50&has_recording=true&classification=complaint",
  "/api/v1/calls?limit=50&classification=spam&rating=1&since=$mid",
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i], { ["Authorization"] = "Bearer $key" })
end
LUA
stats_lua() { # since -> script
  cat > "$work/stats-$1.lua" <<LUA
request = function() return wrk.format("GET", "/api/v1/calls/stats?since=$1&until=$today", { ["Authorization"] = "Bearer $key" }) end
LUA
  echo "$work/stats-$1.lua"
}
run() { # script -> "rps p50 p99"
  taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$1" "http://127.0.0.1:$port" > "$work/wrk.txt"
  wrk_summary "$work/wrk.txt"
}
read -r d30rps d30p50 d30p99 < <(run "$(stats_lua "$since30")")
read -r d365rps d365p50 d365p99 < <(run "$(stats_lua "$since365")")
read -r hrps hp50 hp99 < <(run "$work/history.lua")
python3 - "$total" "$conns" "$ref_ms" "$d30rps" "$d30p50" "$d30p99" "$d365rps" "$d365p50" "$d365p99" "$hrps" "$hp50" "$hp99" <<'PY'
import sys
total, conns, ref = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
d30, d365, hist = [tuple(map(float, sys.argv[i:i + 3])) for i in (4, 7, 10)]
print(f"{total:,} calls in one workspace, {conns} connections")
print(f"reference: a year's totals from the calls themselves (sqlite3, in-process): {ref:.1f} ms")
print(f"dashboard, 30 days:  {d30[0]:.0f} req/s, p50 {d30[1]:.2f} ms, p99 {d30[2]:.2f} ms (target < 50 ms)")
print(f"dashboard, a year:   {d365[0]:.0f} req/s, p50 {d365[1]:.2f} ms, p99 {d365[2]:.2f} ms (target < 50 ms); reference / p50 = {ref / d365[1]:.1f}x")
print(f"history, 9 filters:  {hist[0]:.0f} req/s, p50 {hist[1]:.2f} ms, p99 {hist[2]:.2f} ms (target < 50 ms)")
PY
