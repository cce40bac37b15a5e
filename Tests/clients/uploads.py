"""Streamed request bodies against the probe worker's /upload routes.

Usage: uploads.py SCENARIO PORT. Prints JSON.
"""
import json
import socket
import sys
import threading
import time

scenario, port = sys.argv[1], int(sys.argv[2])
MIB = 1024 * 1024


def connect(timeout=20):
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


def last_upload():
    sock = connect()
    sock.sendall(b"GET /upload/last?tag=%s HTTP/1.1\r\nHost: t\r\n\r\n" % scenario.encode())
    _, _, body = read_response(sock)
    sock.close()
    return body.decode()


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
    total = 48 * MIB
    body = pattern(total)
    sock = connect()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    sock.sendall(b"POST /upload?stall_ms=1500 HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % total)
    sock.setblocking(False)
    sent, started = 0, time.monotonic()
    while time.monotonic() - started < 1.0 and sent < total:
        try:
            sent += sock.send(body[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.01)
    out["sent_while_stalled"] = sent
    sock.setblocking(True)
    sock.settimeout(20)
    sock.sendall(body[sent:])
    status, _, answer = read_response(sock)
    out["status"], out["answer"] = status, json.loads(answer)
    out["expected_sum"] = sum(body)
elif scenario == "abort":
    sock = connect()
    sock.sendall(b"POST /upload?tag=abort HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % (10 * MIB))
    sock.sendall(pattern(MIB))
    time.sleep(0.2)
    sock.close()
    time.sleep(0.3)
    out["last"] = last_upload()
elif scenario == "timeout":
    sock = connect()
    sock.sendall(b"POST /upload?tag=timeout HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % MIB)
    sock.sendall(b"x" * 1000)
    started = time.monotonic()
    status, _, answer = read_response(sock)
    out["status"], out["seconds"] = status, time.monotonic() - started
    out["code"] = json.loads(answer)["error"]["code"]
    out["closed"] = closed(sock)
    out["last"] = last_upload()
print(json.dumps(out))
