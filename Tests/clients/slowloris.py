"""A slowloris client: starts a request and trickles header bytes, never finishing the head.

Usage: slowloris.py PORT. Meanwhile a normal request on another connection must be answered.
Prints JSON: {"status": int|null, "seconds": float, "closed": bool, "other_status": int, "other_seconds": float}.
"""
import http.client
import json
import socket
import sys
import threading
import time

port = int(sys.argv[1])
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
started = time.monotonic()
sock.sendall(b"GET /hello HTTP/1.1\r\nHost: t\r\n")
received = b""
closed = False


def trickle():
    try:
        for i in range(100):
            sock.sendall(b"X-Slow-%d: y\r\n" % i)
            time.sleep(0.1)
    except OSError:
        pass


threading.Thread(target=trickle, daemon=True).start()

time.sleep(0.2)
other_started = time.monotonic()
other = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
other.request("GET", "/hello")
other_status = other.getresponse().status
other_seconds = time.monotonic() - other_started

while True:
    try:
        chunk = sock.recv(4096)
    except (ConnectionResetError, socket.timeout):
        closed = True
        break
    if not chunk:
        closed = True
        break
    received += chunk
elapsed = time.monotonic() - started
status = int(received.split(b" ")[1]) if received.startswith(b"HTTP/1.1 ") else None
print(json.dumps({"status": status, "seconds": elapsed, "closed": closed,
                  "other_status": other_status, "other_seconds": other_seconds}))
