#!/usr/bin/env bash
# A 100,000-recipient email campaign through the simulated provider, start to finished, the host on one
# core (core 0), the driver on core 1. Every email is rendered, claimed, handed to the provider (which
# writes it as an RFC 5322 .eml into the bucket) and recorded; the delivery events come back through the
# signed webhook route meanwhile.
# Target: >= 5,000 emails/s, with flat memory (the host's RSS grows < 50 MB from start to finished).
# Usage: bench/email.sh [recipients]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
recipients=${1:-100000}
port=18797
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh
start_api_host $port "$work" --var api.EMAIL_RATE_PER_WORKSPACE=100000 --var api.EMAIL_RATE_PER_USER=100000
host_pid=$(pgrep -f "ozzi serve --config wrangler-like.toml --port $port" | head -1)
key=$(create_api_key $port)

taskset -c 1 python3 - "$port" "$key" "$recipients" "$host_pid" <<'PY'
import sys, time, threading
sys.path.insert(0, "bench")
from sms_driver import API

port, key, recipients, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
call = API(port, key).call

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

started = time.time()
call("POST", f"/campaigns/{campaign['id']}/send")
while True:
    c = call("GET", f"/campaigns/{campaign['id']}")
    if c["state"] in ("finished", "paused", "cancelled"):
        break
    time.sleep(0.1)
elapsed = time.time() - started
done.set()
rss_end = rss_mb()
stats = c["stats"]
sent = stats["sent"]
rate = sent / elapsed
print(f"campaign {c['state']}: {sent} of {recipients} emails sent in {elapsed:.1f} s -> {rate:,.0f} emails/s "
      f"(target >= 5,000: {rate / 5000:.2f}x)", flush=True)
print(f"host RSS: {rss_start:.0f} MB at start, peak {peak[0]:.0f} MB, {rss_end:.0f} MB at finished -> growth {peak[0] - rss_start:.0f} MB "
      f"(target < 50 MB: {'met' if peak[0] - rss_start < 50 else 'MISSED'})", flush=True)
print(f"stats: {stats}")
PY
