#!/usr/bin/env bash
# The chat widget on one host (core 0; the driver on core 1):
# - loader.js as served for a widget, and gzipped (-9): what every visitor of an embedding page downloads;
# - live delivery on loopback, p50/p99 over VISITS round trips each way: a visitor's message (POST
#   /widget/api/messages) until the agent's live stream (GET /api/v1/stream) shows it, and an agent's reply
#   (POST /api/v1/conversations/:id/messages) until the visitor's WebSocket receives it;
# - SESSIONS concurrent widget WebSockets (each said hello with its visitor's token, so each holds a
#   subscription), and the host's RSS per session.
# No target is set by the issue: the figures are recorded in bench/RESULTS.md.
# Usage: bench/widget.sh [sessions (10000)] [visits (500)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
sessions=${1:-10000}
visits=${2:-500}
port=18798
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"  # 10,000 sockets on each side

source bench/common.sh
start_api_host $port "$work"
host_pid=$(pgrep -f "serve --config wrangler-like.toml --port $port" | head -1)
key=$(create_api_key $port)

# Debian's python3 has the websockets package scripts/setup.sh installs.
taskset -c 1 /usr/bin/python3 - "$port" "$key" "$sessions" "$visits" "$host_pid" <<'PY'
import asyncio, gzip, http.client, json, statistics, sys, threading, time
import websockets

port, key, sessions, visits, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
host = f"127.0.0.1:{port}"
origin = f"http://{host}"


def call(method, path, body=None, headers=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    fields = {"content-type": "application/json", "origin": origin}
    fields.update(headers or {})
    connection.request(method, path, None if body is None else json.dumps(body), fields)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    if answer.status >= 300:
        raise RuntimeError(f"{method} {path}: {answer.status} {data[:200]}")
    return json.loads(data) if data else None


def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def api(method, path, body=None):
    return call(method, "/api/v1" + path, body, {"authorization": "Bearer " + key})


widget = api("POST", "/widgets", {"name": "Bench", "allowed_origins": ["https://shop.example"]})
loader = http.client.HTTPConnection("127.0.0.1", port)
loader.request("GET", f"/widget/loader.js?key={widget['public_key']}")
source = loader.getresponse().read()
loader.close()
print(f"loader.js: {len(source):,} bytes as served, {len(gzip.compress(source, 9)):,} bytes gzipped (-9)", flush=True)


def visitor(source):
    """A visitor session made from `source` (new sessions are limited per client network)."""
    return call("POST", "/widget/api/session", {"key": widget["public_key"]}, source=source)["visitor_token"]


def percentiles(samples):
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


# Many sessions first, while no other connection is open (the host takes 10,000 at once): each made from one
# of 1,000 loopback addresses (ten each, the per-network limit a minute).
made_at = time.time()
tokens = [visitor(f"127.3.{i // 10 // 250}.{i // 10 % 250 + 1}") for i in range(sessions)]
print(f"{sessions:,} visitor sessions made in {time.time() - made_at:.1f} s", flush=True)


async def hold_many():
    before = rss_mb()
    sockets = []
    started = time.time()
    for i in range(0, sessions, 200):
        async def open_one(token, n):
            socket = await websockets.connect(f"ws://{host}/widget/ws", origin=origin, ping_interval=None, close_timeout=1)
            await socket.send(json.dumps({"type": "hello", "token": token, "after": 0}))
            return socket
        sockets += await asyncio.gather(*(open_one(tokens[j], j) for j in range(i, min(i + 200, sessions))))
    # A round trip on the last socket opened: every hello before it has been taken up.
    await asyncio.sleep(1)
    held = rss_mb()
    print(f"{len(sockets):,} WebSockets open in {time.time() - started:.1f} s: host RSS {before:.0f} MB -> {held:.0f} MB, "
          f"{(held - before) * 1024 * 1024 / len(sockets):,.0f} bytes per session", flush=True)
    await asyncio.gather(*(socket.close() for socket in sockets))
    await asyncio.sleep(1)
    print(f"after closing them: host RSS {rss_mb():.0f} MB", flush=True)

asyncio.run(hold_many())

# Visitor -> agent: the agent's SSE stream shows each visitor message; the time from the POST to the event.
arrived = {}
stream_ready = threading.Event()
stream = http.client.HTTPConnection("127.0.0.1", port)


def read_stream():
    connection = stream
    connection.request("GET", "/api/v1/stream", headers={"authorization": "Bearer " + key})
    answer = connection.getresponse()
    stream_ready.set()
    event = None
    while True:
        try:
            line = answer.fp.readline()
        except (OSError, ValueError, AttributeError):
            return
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "conversation.message_created":
            data = json.loads(line[6:])
            if data.get("data", data).get("sender") == "visitor":
                arrived[data.get("data", data)["message_id"]] = time.perf_counter()


threading.Thread(target=read_stream, daemon=True).start()
stream_ready.wait()
time.sleep(0.5)
talkers = [(visitor(f"127.2.{i // 250}.{i % 250 + 1}"), f"127.2.{i // 250}.{i % 250 + 1}") for i in range(max(1, visits // 10))]
to_agent, conversations = [], {}
for n in range(visits):
    token, source = talkers[n % len(talkers)]
    started = time.perf_counter()
    sent = call("POST", "/widget/api/messages", {"text": f"question {n}"}, {"authorization": "Bearer " + token}, source=source)
    conversations[token] = sent["conversation_id"]
    while sent["message"]["id"] not in arrived:
        time.sleep(0.0005)
    to_agent.append(arrived[sent["message"]["id"]] - started)
stream.sock.close()
p50, p99 = percentiles(to_agent)
print(f"visitor -> agent (POST to the agent's SSE event), {visits} messages: p50 {p50:.2f} ms, p99 {p99:.2f} ms", flush=True)


async def replies():
    samples = []
    for token, _ in talkers:
        async with websockets.connect(f"ws://{host}/widget/ws", origin=origin) as socket:
            # From the start: the visitor's questions come first, then each answer as the agent posts it.
            await socket.send(json.dumps({"type": "hello", "token": token, "after": 0}))
            for n in range(max(1, visits // len(talkers))):
                started = time.perf_counter()
                await asyncio.get_running_loop().run_in_executor(
                    None, lambda: api("POST", f"/conversations/{conversations[token]}/messages", {"text": f"answer {n}"}))
                while True:
                    message = json.loads(await socket.recv())
                    if message.get("type") == "message" and message["message"]["text"] == f"answer {n}":
                        break
                samples.append(time.perf_counter() - started)
    return samples

to_visitor = asyncio.run(replies())
p50, p99 = percentiles(to_visitor)
print(f"agent -> visitor (POST to the visitor's WebSocket message), {len(to_visitor)} replies: p50 {p50:.2f} ms, p99 {p99:.2f} ms", flush=True)

PY
