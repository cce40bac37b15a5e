"""Streamed request bodies against the probe worker's /upload routes.

Usage: uploads.py SCENARIO PORT [TAG]. Prints JSON. TAG (default: the scenario) names what this run leaves
in the probe's shared state (`/upload/last?tag=`, gates): unique per test, as tests run in parallel.
"""
import json
import socket
import sys
import threading
import time

scenario, port = sys.argv[1], int(sys.argv[2])
tag = sys.argv[3] if len(sys.argv) > 3 else scenario
MIB = 1024 * 1024


def connect(timeout=120):
    # Only stops a broken test from hanging: a loaded machine and a debug build take long over 40 MiB.
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def read_response(sock):
    """Status, headers (lowercased names) and body of one response; the body by Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            return None, {}, b""
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return int(lines[0].split(" ")[1]), headers, body[:length]


def closed(sock):
    try:
        sock.settimeout(3)
        while True:
            piece = sock.recv(65536)
            if not piece:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def pattern(n):
    block = bytes(range(256)) * (MIB // 256)
    return block * (n // MIB) + block[: n % MIB]


def post(path, body, chunked=False, sock=None):
    sock = sock or connect()
    if chunked:
        sock.sendall(b"POST %s HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" % path.encode())
        for start in range(0, len(body), 256 * 1024):
            piece = body[start:start + 256 * 1024]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        sock.sendall(b"0\r\n\r\n")
    else:
        sock.sendall(b"POST %s HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % (path.encode(), len(body)))
        sock.sendall(body)
    return sock, read_response(sock)


def try_send(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass  # the server may close before taking it all: that is the point


def get(path):
    sock = connect()
    sock.sendall(b"GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path.encode())
    _, _, body = read_response(sock)
    sock.close()
    return body.decode()


def last_upload():
    return get("/upload/last?tag=%s" % tag)


def wait_for_last_upload(limit=60):
    """How the upload ended, once the handler has recorded it (polled: the handler finishes on its own time)."""
    deadline = time.monotonic() + limit
    last = last_upload()
    while not last and time.monotonic() < deadline:
        time.sleep(0.02)
        last = last_upload()
    return last


out = {}
if scenario == "large":
    body = pattern(40 * MIB)
    sock, (status, _, answer) = post("/upload", body)
    out["status"], out["answer"], out["expected_sum"] = status, json.loads(answer), sum(body)
    # The same connection serves the next request: a completed streamed body keeps it alive.
    _, (status, _, answer) = post("/upload", b"hello", sock=sock)
    out["second"] = json.loads(answer)
    sock.close()
    _, (status, _, _) = post("/upload", pattern(3 * MIB), chunked=True)
    out["chunked_status"] = status
    _, (status, _, _) = post("/echo", pattern(11 * MIB))
    out["buffered_over_limit_status"] = status
elif scenario == "limits":
    sock = connect()
    sock.sendall(b"POST /upload/small HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % (2 * MIB))
    out["declared_over_limit"] = read_response(sock)[0]
    sock.close()
    sock, (status, _, answer) = post("/upload/small", pattern(2 * MIB), chunked=True)
    out["chunked_over_limit"] = status
    out["chunked_over_limit_message"] = json.loads(answer)["error"]["message"]
    out["chunked_over_limit_closed"] = closed(sock)
    # A handler that answers before reading: the answer arrives while the client still sends.
    sock = connect()
    sock.sendall(b"POST /upload/refuse HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % (512 * 1024))
    threading.Thread(target=try_send, args=(sock, pattern(512 * 1024)), daemon=True).start()
    status, headers, _ = read_response(sock)
    out["early_answer"], out["early_answer_connection"] = status, headers.get("connection")
    out["early_answer_closed"] = closed(sock)
elif scenario == "backpressure":
    # The handler reads nothing until its gate opens; the client sends until the socket stops taking bytes
    # (no progress for a while), notes how much it got rid of, then opens the gate itself. Without
    # back-pressure the host would keep taking bytes into memory until all 48 MiB were sent.
    total = 48 * MIB
    body = pattern(total)
    gate = "upload-%s" % tag
    sock = connect()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    sock.sendall(b"POST /upload?gate=%s HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % (gate.encode(), total))
    sock.setblocking(False)
    sent, progressed = 0, time.monotonic()
    while sent < total and time.monotonic() - progressed < 1.0:
        try:
            sent += sock.send(body[sent:sent + 65536])
            progressed = time.monotonic()
        except BlockingIOError:
            time.sleep(0.01)
    out["sent_while_stalled"] = sent
    # The handler starts when the head is read; on a busy machine it may reach its gate after the socket
    # stalled. Ask until it is there (nothing is sent meanwhile, so the count above stands).
    deadline = time.monotonic() + 120
    while True:
        out["gate_waiting"] = int(get("/gate/waiting?name=%s" % gate))
        if out["gate_waiting"] == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    get("/gate/open?name=%s" % gate)
    sock.setblocking(True)
    sock.settimeout(60)
    sock.sendall(body[sent:])
    status, _, answer = read_response(sock)
    out["status"], out["answer"] = status, json.loads(answer)
    out["expected_sum"] = sum(body)
elif scenario == "abort":
    # The client vanishes mid-body while the handler is surely running (it waits on a gate, seen waiting
    # before the client closes); opened after, the handler's read meets the end of a body cut short.
    gate = "abort-%s" % tag
    sock = connect()
    sock.sendall(b"POST /upload?tag=%s&gate=%s HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n"
                 % (tag.encode(), gate.encode(), 10 * MIB))
    sock.sendall(pattern(MIB))
    deadline = time.monotonic() + 60
    while get("/gate/waiting?name=%s" % gate) != "1" and time.monotonic() < deadline:
        time.sleep(0.02)
    sock.close()
    get("/gate/open?name=%s" % gate)
    out["last"] = wait_for_last_upload()
elif scenario == "timeout":
    sock = connect()
    sock.sendall(b"POST /upload?tag=%s HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % (tag.encode(), MIB))
    # Timed from before the last bytes go: the host's body timer starts when it receives them, after this.
    started = time.monotonic()
    sock.sendall(b"x" * 1000)
    status, _, answer = read_response(sock)
    out["status"], out["seconds"] = status, time.monotonic() - started
    out["code"] = json.loads(answer)["error"]["code"]
    out["closed"] = closed(sock)
    out["last"] = wait_for_last_upload()
print(json.dumps(out))
