"""A slowloris client: starts a request and trickles header bytes (one line every 0.1 s, 100 lines), never
finishing the head.

Usage: slowloris.py PORT MODE. Prints JSON.
- cut: waits for the host to cut the connection off. {"status": int|null, "seconds": float (from before the
  first byte), "closed": bool, "trickle_finished": bool (whether all 100 lines went before the cut)}
- meanwhile: once a few lines have gone, a normal request on another connection must be answered while the
  slowloris connection is still open. {"other_status": int, "slow_still_open": bool}
"""
import http.client
import json
import socket
import sys
import threading
import time

port, mode = int(sys.argv[1]), sys.argv[2]
sock = socket.create_connection(("127.0.0.1", port), timeout=60)
started = time.monotonic()
sock.sendall(b"GET /hello HTTP/1.1\r\nHost: t\r\n")
lines_sent = threading.Semaphore(0)
trickle_done = threading.Event()


def trickle():
    try:
        for i in range(100):
            sock.sendall(b"X-Slow-%d: y\r\n" % i)
            lines_sent.release()
            time.sleep(0.1)
        trickle_done.set()
    except OSError:
        pass


threading.Thread(target=trickle, daemon=True).start()


def still_open():
    """True when the host has neither answered nor closed the slowloris connection."""
    try:
        sock.setblocking(False)
        return sock.recv(4096) is None
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


if mode == "meanwhile":
    for _ in range(3):
        lines_sent.acquire()
    other = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    other.request("GET", "/hello")
    other_status = other.getresponse().status
    print(json.dumps({"other_status": other_status, "slow_still_open": still_open()}))
    sys.exit(0)

received = b""
closed = False
while True:
    try:
        chunk = sock.recv(4096)
    except ConnectionResetError:
        closed = True
        break
    except socket.timeout:
        break
    if not chunk:
        closed = True
        break
    received += chunk
elapsed = time.monotonic() - started
status = int(received.split(b" ")[1]) if received.startswith(b"HTTP/1.1 ") else None
print(json.dumps({"status": status, "seconds": elapsed, "closed": closed, "trickle_finished": trickle_done.is_set()}))
