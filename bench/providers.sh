#!/usr/bin/env bash
# Scheduled SMS through a provider that takes its time, as real ones do (Twilio answers in 100-500 ms):
# the full pipeline (queue timer -> engine -> provider call -> result), the host on core 0, the provider
# stub and the driver on core 1, the rate limits raised out of the way. Run twice, in the same run:
#  a. through the real Twilio client (curl on the loop) against Tests/clients/twilio_stub.py answering in
#     LATENCY ms;
#  b. through the simulated provider with the same latency (SIM_SMS_LATENCY_MS), for comparison.
# Each: 1. dispatch rate: DISPATCH messages due at one instant; rate = messages / (last sent - due).
#          Target (Twilio) >= 2,000 messages/s.
#       2. lateness: 10,000 messages due at 500 messages/s (groups of 100 every 0.2 s); due-to-sent p50/p99.
#          Target p99 < 1 s.
# Usage: bench/providers.sh [dispatch messages] [latency ms]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
dispatch=${1:-10000}; latency=${2:-150}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
source bench/common.sh

sid="AC$(printf 'be%.0s' {1..16})"
taskset -c 1 python3 Tests/clients/twilio_stub.py "$sid" bench-token --latency-ms "$latency" > "$work/stub.log" &
until grep -q PORT "$work/stub.log"; do sleep 0.05; done
stub_port=$(awk '/PORT/ {print $2}' "$work/stub.log")

run() { # name port provider
  local name=$1 port=$2 provider=$3
  mkdir -p "$work/$name"
  # [env.test] lets the api worker call the stub on http://127.0.0.1.
  start_api_host "$port" "$work/$name" --env test \
    --var api.SMS_RATE_PER_WORKSPACE=20000 --var api.SMS_RATE_PER_USER=20000 \
    --var api.SMS_MAX_IN_FLIGHT=1024 --var api.SMS_MAX_IN_FLIGHT_PER_ACCOUNT=1024 \
    --var api.TWILIO_API_BASE="http://127.0.0.1:$stub_port" --var api.SIM_SMS_LATENCY_MS="$latency" \
    --var api.SIM_SMS_DELIVERY_MS=600000
  local host=$!
  local key
  key=$(create_api_key "$port")
  taskset -c 1 python3 - "$port" "$key" "$work/$name/data" "$dispatch" "$provider" "$sid" "$name" <<'PY'
import json, sys, time
sys.path.insert(0, "bench")
from sms_driver import API, Campaigns, iso

port, key, data, dispatch, provider, sid, name = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
call = API(port, key).call

settings = {"provider": "simulated", "from_number": "+15550009999"}
if provider == "twilio":
    settings = {"provider": "twilio", "account_sid": sid, "auth_token": "bench-token", "from_number": "+15550009999"}
call("PUT", "/sms/settings", settings)
count = max(dispatch, 10000)
csv = "name,phone\n" + "".join(f"Person {i},+1415{2000000 + i}\n" for i in range(count))
imp = call("POST", "/contacts/imports", csv.encode(), "text/csv")
while call("GET", f"/contacts/imports/{imp['id']}")["status"] == "running":
    time.sleep(0.1)
ids, cursor = [], None
while True:
    page = call("GET", "/contacts?limit=100" + (f"&cursor={cursor}" if cursor else ""))
    ids += [c["id"] for c in page["data"]]
    cursor = page["next_cursor"]
    if not cursor:
        break
everyone = call("POST", "/groups", {"name": "everyone"})["id"]
call("POST", f"/groups/{everyone}/members", {"contact_ids": ids[:dispatch]})
hundreds = []
for g in range(100):
    group = call("POST", "/groups", {"name": f"hundred {g}"})["id"]
    call("POST", f"/groups/{group}/members", {"contact_ids": ids[g * 100:(g + 1) * 100]})
    hundreds.append(group)
campaigns = Campaigns(data)
wait_sent, percentile = campaigns.wait_sent, campaigns.percentile

due = time.time() + 5
call("POST", "/messages", {"group_id": everyone, "body": "Hello {{first_name}}", "scheduled_at": iso(due), "campaign": "dispatch"})
done = wait_sent("dispatch", dispatch, due - time.time() + 300)
first_due, last_sent = campaigns.span("dispatch")
rate = done / ((last_sent - first_due) / 1000)
p50, p99 = percentile("dispatch", 0.5), percentile("dispatch", 0.99)
print(f"{name}: dispatch {done} messages due at one instant, all sent {(last_sent - first_due) / 1000:.2f} s later -> "
      f"{rate:,.0f} messages/s (lateness p50 {p50} ms, p99 {p99} ms)", flush=True)
time.sleep(2)

start = time.time() + 4
for i, group in enumerate(hundreds):
    call("POST", "/messages", {"group_id": group, "body": "Reminder {{first_name}}", "scheduled_at": iso(start + i * 0.2),
                               "campaign": "lateness"})
done = wait_sent("lateness", 10000, start - time.time() + 20 + 300)
p50, p99, worst = percentile("lateness", 0.5), percentile("lateness", 0.99), percentile("lateness", 1.0)
print(f"{name}: lateness {done} messages due at 500/s over 20 s: p50 {p50} ms, p99 {p99} ms, max {worst} ms", flush=True)
print(json.dumps({"name": name, "rate": round(rate), "p99": p99}), flush=True)
PY
  kill "$host"; wait "$host" 2>/dev/null || true
}

run twilio 18797 twilio | tee "$work/twilio.out"
run simulated 18798 simulated | tee "$work/simulated.out"
twilio_rate=$(grep -o '"rate": [0-9]*' "$work/twilio.out" | grep -o '[0-9]*$')
simulated_rate=$(grep -o '"rate": [0-9]*' "$work/simulated.out" | grep -o '[0-9]*$')
echo "twilio client vs simulated provider, both ${latency} ms: $twilio_rate vs $simulated_rate messages/s" \
  "($(python3 -c "print(f'{$twilio_rate / $simulated_rate:.2f}')")x); target >= 2,000 messages/s: $(python3 -c "print(f'{$twilio_rate / 2000:.2f}')")x"
