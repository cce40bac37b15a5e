"""Clients that pipeline requests as fast as the host takes them and never read an answer.

Usage: never_reads.py PORT PID SECONDS CLIENTS PATH. Meanwhile another client checks /__ozzi/health every
half second (the host must keep serving it), and the host's RSS is sampled from /proc/PID/status. At the
end one flooding client starts reading: its first answers must be whole, in order.
Prints JSON: rss_start, rss_max (bytes), buffered_max (the host's own count of unsent output),
health_ok / health_failed (probes), sent (request bytes the host took, per client), first_statuses.
"""
import http.client
import json
import selectors
import socket
import sys
import threading
import time

from shared_reader import SharedReader

port, pid, seconds, clients, path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
REQUEST = b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path.encode()
BURST = REQUEST * 64


def rss():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def health():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/__ozzi/health")
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


out = {"rss_start": rss(), "rss_max": 0, "buffered_max": 0, "health_ok": 0, "health_failed": 0}
stop = threading.Event()


def watch():
    while not stop.is_set():
        out["rss_max"] = max(out["rss_max"], rss())
        try:
            status, report = health()
            out["health_ok" if status == 200 else "health_failed"] += 1
            out["buffered_max"] = max(out["buffered_max"], report.get("buffered_output_bytes", 0))
        except OSError:
            out["health_failed"] += 1
        stop.wait(0.5)


watcher = threading.Thread(target=watch, daemon=True)
watcher.start()

sockets = []
for _ in range(clients):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    # Small buffers on our side, so what piles up is the host's, not the kernel's.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.setblocking(False)
    sockets.append(sock)
sent = [0] * clients
selector = selectors.DefaultSelector()
for i, sock in enumerate(sockets):
    selector.register(sock, selectors.EVENT_WRITE, i)
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    for key, _ in selector.select(timeout=0.2):
        try:
            sent[key.data] += key.fileobj.send(BURST)
        except BlockingIOError:
            pass
stop.set()
watcher.join()
out["rss_max"] = max(out["rss_max"], rss())
out["sent"] = sent

# The host held back, it did not drop: the first flooding client now reads whole answers, in order.
first = sockets[0]
first.setblocking(True)
first.settimeout(20)
reader = SharedReader(first)
statuses = []
for _ in range(3):
    response = http.client.HTTPResponse(reader, method="GET")
    response.begin()
    response.read()
    statuses.append(response.status)
out["first_statuses"] = statuses
for sock in sockets:
    sock.close()
print(json.dumps(out))
