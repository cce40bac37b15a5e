#!/usr/bin/env bash
# A 100,000-recipient email campaign through the simulated provider, start to finished, the host on one
# core (core 0), the driver on core 1. Every email is rendered, claimed, handed to the provider (which
# writes it as an RFC 5322 .eml into the bucket) and recorded; the delivery events come back through the
# signed webhook route meanwhile (email.delivered 500 ms later, one request each; session 2 also had email.sent at once).
# Target: >= 5,000 emails/s, with flat memory (the host's RSS grows < 50 MB from start to finished).
# Also printed: the host's CPU time per email (what a busy shared machine does not change much), and the
# time until every delivery event was applied. HOST_VARS adds --var options to the host.
# Usage: bench/email.sh [recipients]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
recipients=${1:-100000}
port=18797
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
start_api_host $port "$work" --var api.EMAIL_RATE_PER_WORKSPACE=100000 --var api.EMAIL_RATE_PER_USER=100000 ${HOST_VARS:-}
host_pid=$(pgrep -f "serve --config wrangler-like.toml --port $port" | head -1)
key=$(create_api_key $port)

taskset -c 1 python3 - "$port" "$key" "$recipients" "$host_pid" <<'PY'
import os, sys, time, threading
sys.path.insert(0, "bench")
from sms_driver import API

port, key, recipients, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
call = API(port, key).call

def cpu_seconds():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

# The audience: imported in chunks of 50,000 rows (the import's own limit per file may be lower).
made = 0
while made < recipients:
    n = min(50000, recipients - made)
    csv = "name,phone,email\n" + "".join(f"Person {i},+1415{2000000 + i},person{i}@example.com\n" for i in range(made, made + n))
    imp = call("POST", "/contacts/imports", csv.encode(), "text/csv")
    while call("GET", f"/contacts/imports/{imp['id']}")["status"] == "running":
        time.sleep(0.2)
    made += n
print(f"imported {made} contacts", flush=True)

campaign = call("POST", "/campaigns", {
    "name": "bench", "channel": "email", "audience": {"type": "all"}, "throttle_per_second": 10000,
    "content": {"from": "Bench <news@sandbox.ozzi.test>", "subject": "Hello {{first_name|friend}}",
                "html": "<html><body><h1>Hi {{first_name|friend}}</h1><p>Our news this week, in a paragraph of ordinary length "
                        "with a <a href=\"https://example.com/news\">link</a>.</p></body></html>"},
})
time.sleep(1)
rss_start = rss_mb()
peak = [rss_start]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_mb())
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()

started, cpu_start = time.time(), cpu_seconds()
call("POST", f"/campaigns/{campaign['id']}/send")
# Polled through the list, which answers the campaign's row: GET /campaigns/:id counts its stats from the
# messages each time (a scan of the campaign's messages, 10 times a second here), which is not the work measured.
while True:
    state = [c["state"] for c in call("GET", "/campaigns?limit=1")["data"] if c["id"] == campaign["id"]][0]
    if state in ("finished", "paused", "cancelled"):
        break
    time.sleep(0.1)
elapsed, cpu = time.time() - started, cpu_seconds() - cpu_start
done.set()
rss_end = rss_mb()
c = call("GET", f"/campaigns/{campaign['id']}")
stats = c["stats"]
sent = stats["sent"]
rate = sent / elapsed
print(f"campaign {c['state']}: {sent} of {recipients} emails sent in {elapsed:.1f} s -> {rate:,.0f} emails/s "
      f"(target >= 5,000: {rate / 5000:.2f}x)", flush=True)
print(f"host CPU: {cpu:.1f} s for {sent} emails -> {cpu * 1e6 / max(sent, 1):.0f} us per email ({sent / max(cpu, 0.001):,.0f} emails per CPU second)", flush=True)
print(f"host RSS: {rss_start:.0f} MB at start, peak {peak[0]:.0f} MB, {rss_end:.0f} MB at finished -> growth {peak[0] - rss_start:.0f} MB "
      f"(target < 50 MB: {'met' if peak[0] - rss_start < 50 else 'MISSED'})", flush=True)
print(f"stats at finished: {stats}", flush=True)

# The delivery events still queued at `finished` (the campaign is done once every email is sent): the time
# and host CPU until each email is reported delivered, which is the whole of the work.
while stats["delivered"] < sent and time.time() - started < elapsed + 600:
    time.sleep(0.5)
    stats = call("GET", f"/campaigns/{campaign['id']}")["stats"]
everything, cpu_all = time.time() - started, cpu_seconds() - cpu_start
print(f"all {stats['delivered']} delivered {everything:.1f} s after the start -> {stats['delivered'] / everything:,.0f} emails/s end to end; "
      f"host CPU {cpu_all:.1f} s -> {cpu_all * 1e6 / max(sent, 1):.0f} us per email, events included; RSS {rss_mb():.0f} MB", flush=True)
PY
