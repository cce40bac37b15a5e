"""A local stand-in for Twilio's Messages API that checks the wire format exactly.

Usage: twilio_stub.py ACCOUNT_SID AUTH_TOKEN [--account SID:TOKEN]... [--latency-ms N] [--stall NUMBER]...
                      [--drop NUMBER]... [--port P]
Prints "PORT <n>" once listening. HTTP/1.1 with keep-alive on asyncio, so it serves thousands of sends a
second with many in flight (benchmarks point the real client at it).

POST /2010-04-01/Accounts/{sid}/Messages.json, for any of the accounts given, needs HTTP Basic sid:token, a form body with To, Body,
StatusCallback and From or MessagingServiceSid. Each answer waits --latency-ms first. Outcomes by To:
+15005550001 -> 400 code 21211; +15005550006 -> 429 (code 20429, Retry-After: 1) the first time, then
accepted; +15005550005 -> 500; +15005550008 and every --stall number -> the request is read and recorded,
then held unanswered (the client times out) until GET /release, which closes the held connections without
an answer; every --drop number -> the request is read and recorded, then the connection is closed without
an answer (a keep-alive connection dying under a request); anything else -> 201 with a new sid.
GET /requests answers every request received, as JSON ({path, fields, problems, at_ms}); GET /count
answers how many; GET /held how many requests are held. GET /freeze?pid=P&at=N stops process P with
SIGSTOP the moment the Nth send arrives (before answering it): crash tests kill the host at a known point.
"""
import asyncio
import base64
import json
import os
import secrets
import signal
import sys
import time
from urllib.parse import parse_qsl

args = sys.argv[1:]
SID, TOKEN = args[0], args[1]
accounts = {SID: TOKEN}
latency = 0.0
stalled = {"+15005550008"}
dropped = set()
port = 0
rest = args[2:]
while rest:
    flag, value, rest = rest[0], rest[1], rest[2:]
    if flag == "--latency-ms":
        latency = float(value) / 1000
    elif flag == "--stall":
        stalled.add(value)
    elif flag == "--drop":
        dropped.add(value)
    elif flag == "--account":
        extra_sid, _, extra_token = value.partition(":")
        accounts[extra_sid] = extra_token
    elif flag == "--port":
        port = int(value)
    else:
        sys.exit(f"unknown option {flag}")

received = []
seen_429 = set()
held = []  # futures of held requests: set to release them
freeze = {}  # pid and send count of a /freeze request


def answer(status, body, headers=None):
    data = json.dumps(body).encode()
    reason = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"}
    head = [f"HTTP/1.1 {status} {reason.get(status, 'Status')}", "Content-Type: application/json", f"Content-Length: {len(data)}"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


def error(status, code, message, headers=None):
    return answer(status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                           "status": status}, headers)


def send(path, headers, raw):
    """The answer to a Messages POST, or None to never answer."""
    fields = parse_qsl(raw, keep_blank_values=True)
    form = dict(fields)
    problems = []
    sid = path.removeprefix("/2010-04-01/Accounts/").removesuffix("/Messages.json")
    if path != f"/2010-04-01/Accounts/{sid}/Messages.json" or sid not in accounts:
        problems.append("path " + path)
    if headers.get("authorization") != "Basic " + base64.b64encode(f"{sid}:{accounts.get(sid)}".encode()).decode():
        problems.append("authorization " + str(headers.get("authorization")))
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        problems.append("content-type " + str(headers.get("content-type")))
    if "expect" in headers:
        problems.append("expect " + headers["expect"])
    for name in ("To", "Body", "StatusCallback"):
        if not form.get(name):
            problems.append("missing " + name)
    if ("From" in form) == ("MessagingServiceSid" in form):
        problems.append("exactly one of From, MessagingServiceSid")
    received.append({"path": path, "fields": fields, "problems": problems, "at_ms": int(time.time() * 1000)})
    if freeze and len(received) >= freeze["at"]:
        pid = freeze.pop("pid")
        freeze.clear()
        try:
            os.kill(pid, signal.SIGSTOP)
        except ProcessLookupError:
            pass
    if problems:
        return error(400, 21601, "; ".join(problems))
    to = form["To"]
    if to in stalled:
        return None
    if to in dropped:
        return b""
    if to == "+15005550001":
        return error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if to == "+15005550006" and to not in seen_429:
        seen_429.add(to)
        return error(429, 20429, "Too Many Requests", {"Retry-After": "1"})
    if to == "+15005550005":
        return error(500, 20500, "Internal Server Error")
    return answer(201, {"sid": "SM" + secrets.token_hex(16), "status": "queued", "to": to, "from": form.get("From"),
                        "body": form["Body"], "num_segments": "1", "error_code": None, "error_message": None,
                        "date_created": "Sat, 21 Nov 2026 12:00:00 +0000"})


async def serve(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, path, _ = line.decode("latin-1").split(" ", 2)
            headers = {}
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if method == "GET" and path == "/requests":
                response = answer(200, received)
            elif method == "GET" and path == "/count":
                response = answer(200, {"count": len(received)})
            elif method == "GET" and path == "/held":
                response = answer(200, {"held": sum(1 for f in held if not f.done())})
            elif method == "GET" and path.startswith("/freeze?"):
                query = dict(parse_qsl(path.partition("?")[2]))
                freeze.update({"pid": int(query["pid"]), "at": int(query["at"])})
                response = answer(200, {"frozen_at": freeze["at"]})
            elif method == "GET" and path == "/release":
                released = sum(1 for f in held if not f.done())
                for f in held:
                    if not f.done():
                        f.set_result(None)
                response = answer(200, {"released": released})
            elif method == "POST":
                response = send(path, headers, body.decode())
                if latency:
                    await asyncio.sleep(latency)
                if response == b"":
                    return
                if response is None:
                    release = asyncio.get_running_loop().create_future()
                    held.append(release)
                    await release
                    return
            else:
                response = answer(404, {})
            writer.write(response)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        return
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=4096)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
