"""Connection-level limits: idle keep-alive timeout, max connections, back-pressure on a slow reader.

Usage: connections.py SCENARIO PORT [TAG]. Prints JSON. TAG names the flood (tests run in parallel).
"""
import http.client
import json
import socket
import sys
import time

scenario, port = sys.argv[1], int(sys.argv[2])
tag = sys.argv[3] if len(sys.argv) > 3 else scenario


def get(path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


if scenario == "idle":
    # Timed from before the request goes: the idle timer starts after the answer, later than this.
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    started = time.monotonic()
    sock.sendall(b"GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
    first = sock.recv(4096)
    try:
        rest = sock.recv(4096)
        closed = rest == b""
    except socket.timeout:
        closed = False
    print(json.dumps({"answered": first.startswith(b"HTTP/1.1 200"), "closed": closed,
                      "seconds": time.monotonic() - started}))
elif scenario == "max":
    # Accepted in order on the one loop: the three held connections take the budget before the extra.
    held = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(3)]
    extra = socket.create_connection(("127.0.0.1", port), timeout=30)
    answer = extra.recv(4096)
    for s in held:
        s.close()
    # The host notices the closes on its own time: ask until a slot is free again.
    status, deadline = None, time.monotonic() + 60
    while status != 200 and time.monotonic() < deadline:
        try:
            status, _ = get("/hello")
        except (ConnectionError, http.client.HTTPException, OSError):
            status = None
        if status != 200:
            time.sleep(0.02)
    print(json.dumps({"over_limit_status": int(answer.split(b" ")[1]) if answer else None,
                      "after_release_status": status}))
elif scenario == "backpressure":
    # The client reads nothing; the writer's progress is watched until it stops (no progress for a while)
    # or reaches the end, which it could only do without back-pressure.
    total = 64 * 1024 * 1024
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.sendall(b"GET /flood?bytes=%d&tag=%s HTTP/1.1\r\nHost: t\r\n\r\n" % (total, tag.encode()))
    produced, progressed, deadline = -1, time.monotonic(), time.monotonic() + 60
    while time.monotonic() - progressed < 1.0 and time.monotonic() < deadline:
        time.sleep(0.05)
        now = int(get("/flooded?tag=%s" % tag)[1])
        if now != produced:
            produced, progressed = now, time.monotonic()
        if produced >= total:
            break
    received, tail = 0, b""
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        received += len(chunk)
        tail = (tail + chunk)[-16:]
        if tail.endswith(b"\r\n0\r\n\r\n"):
            break
    print(json.dumps({"produced_while_stalled": produced, "received": received}))
