"""Connection-level limits: idle keep-alive timeout, max connections, back-pressure on a slow reader.

Usage: connections.py SCENARIO PORT. Prints JSON.
"""
import http.client
import json
import socket
import sys
import time

scenario, port = sys.argv[1], int(sys.argv[2])


def get(path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


if scenario == "idle":
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
    first = sock.recv(4096)
    started = time.monotonic()
    rest = sock.recv(4096)
    print(json.dumps({"answered": first.startswith(b"HTTP/1.1 200"), "closed": rest == b"",
                      "idle_seconds": time.monotonic() - started}))
elif scenario == "max":
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(3)]
    time.sleep(0.2)
    extra = socket.create_connection(("127.0.0.1", port), timeout=5)
    answer = extra.recv(4096)
    for s in held:
        s.close()
    time.sleep(0.3)
    status, _ = get("/hello")
    print(json.dumps({"over_limit_status": int(answer.split(b" ")[1]) if answer else None,
                      "after_release_status": status}))
elif scenario == "backpressure":
    total = 64 * 1024 * 1024
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.sendall(b"GET /flood?bytes=%d HTTP/1.1\r\nHost: t\r\n\r\n" % total)
    time.sleep(1.0)
    _, produced_while_stalled = get("/flooded")
    received = 0
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        received += len(chunk)
        if b"\r\n0\r\n\r\n" in chunk[-16:]:
            break
    print(json.dumps({"produced_while_stalled": int(produced_while_stalled), "received": received}))
