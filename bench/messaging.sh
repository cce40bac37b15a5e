#!/usr/bin/env bash
# Scheduled SMS through the full pipeline (queue timer -> engine -> simulated provider -> delivery
# callbacks through the signed status route), the host on one core (core 0), the driver on core 1.
#  1. Dispatch rate: DISPATCH messages (group sends of 10,000) all due at one instant; rate = messages /
#     (last sent - due). Target >= 5,000 messages/s.
#  2. Lateness: LATENESS messages due across one minute (sends of 1,000 every 0.6 s), below the rate
#     limits (20,000/s); due-to-sent p50/p99. Target p99 < 1 s. Reference: the system we replace sent due
#     messages from a once-a-minute poll (uniform due times: p50 30 s, p99 59.4 s).
# Usage: bench/messaging.sh [dispatch messages] [lateness messages]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
dispatch=${1:-50000}; lateness=${2:-100000}
port=18796
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
start_api_host $port "$work" --var api.SMS_RATE_PER_WORKSPACE=20000 --var api.SMS_RATE_PER_USER=20000
key=$(create_api_key $port)

taskset -c 1 python3 - "$port" "$key" "$work/data" "$dispatch" "$lateness" <<'PY'
import sys, time
sys.path.insert(0, "bench")
from sms_driver import API, Campaigns, iso

port, key, data, dispatch, lateness = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
call = API(port, key).call

# 10,000 contacts; one group of all, ten groups of 1,000.
csv = "name,phone\n" + "".join(f"Person {i},+1415{2000000 + i}\n" for i in range(10000))
imp = call("POST", "/contacts/imports", csv.encode(), "text/csv")
while call("GET", f"/contacts/imports/{imp['id']}")["status"] == "running":
    time.sleep(0.1)
everyone = call("POST", "/groups", {"name": "everyone"})["id"]
call("POST", "/contacts/bulk", {"action": "add_to_group", "group_id": everyone, "filter": {"source": "import"}})
ids = []
cursor = None
while True:
    page = call("GET", "/contacts?limit=100" + (f"&cursor={cursor}" if cursor else ""))
    ids += [c["id"] for c in page["data"]]
    cursor = page["next_cursor"]
    if not cursor:
        break
tens = []
for g in range(10):
    group = call("POST", "/groups", {"name": f"tenth {g}"})["id"]
    call("POST", f"/groups/{group}/members", {"contact_ids": ids[g * 1000:(g + 1) * 1000]})
    tens.append(group)

campaigns = Campaigns(data)
wait_sent, percentile = campaigns.wait_sent, campaigns.percentile

# 1. Dispatch rate.
sends = dispatch // 10000
scheduling = time.time()
due = time.time() + 8 + sends * 1.5
for _ in range(sends):
    call("POST", "/messages", {"group_id": everyone, "body": "Hello {{first_name}}", "scheduled_at": iso(due), "campaign": "dispatch"})
print(f"scheduled {sends * 10000} messages in {time.time() - scheduling:.1f} s, due {due - time.time():.1f} s later", flush=True)
sent = wait_sent("dispatch", sends * 10000, due - time.time() + 120)
first_due, last_sent = campaigns.span("dispatch")
rate = sent / ((last_sent - first_due) / 1000)
print(f"dispatch: {sent} messages due at one instant, all sent {(last_sent - first_due) / 1000:.2f} s later -> "
      f"{rate:,.0f} messages/s (target >= 5,000: {rate / 5000:.2f}x)", flush=True)
time.sleep(3)  # let the delivery callbacks of phase 1 drain

# 2. Lateness across one minute.
calls = lateness // 1000
start = time.time() + 5 + calls * 0.25
scheduling = time.time()
for i in range(calls):
    call("POST", "/messages", {"group_id": tens[i % 10], "body": "Reminder {{first_name}}", "scheduled_at": iso(start + i * 60.0 / calls),
                               "campaign": "lateness"})
print(f"scheduled {calls * 1000} messages in {time.time() - scheduling:.1f} s, due over the minute from {start - time.time():.1f} s later", flush=True)
sent = wait_sent("lateness", calls * 1000, start - time.time() + 60 + 120)
p50, p99, worst = percentile("lateness", 0.5), percentile("lateness", 0.99), percentile("lateness", 1.0)
print(f"lateness: {sent} messages due over one minute: p50 {p50} ms, p99 {p99} ms, max {worst} ms (target p99 < 1000 ms: "
      f"{1000 / max(p99, 1):.1f}x margin)")
print(f"reference (once-a-minute poll): p50 30000 ms, p99 59400 ms -> p50 {30000 / max(p50, 1):,.0f}x, p99 {59400 / max(p99, 1):,.0f}x lower")
PY
