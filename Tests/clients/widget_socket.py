"""Speaks the widget's visitor WebSocket (`/widget/ws`) with the `websockets` library (Debian
python3-websockets) as the iframe does, and prints one JSON object of what it saw.

Usage: widget_socket.py BASE_URL ACCESS_TOKEN WIDGET_KEY

Checks (the Swift test asserts on the output): handshakes from no page or another site's page are refused;
a first message that is not a hello, or a hello with an unknown session, closes the socket; a hello with
`after` gets exactly the messages after it, in seq order, then new ones live; a reconnect resumes after the
last seq without gaps or repeats; the team's typing and read receipts arrive; the visitor's read receipt
reaches the team.
"""
import asyncio
import json
import sys
import time
import urllib.request

import websockets

base, token, key = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
host = base.split("://", 1)[1]
url = f"ws://{host}/widget/ws"
origin = base
seen = {}


def call(method, path, body=None, headers=None):
    fields = {"content-type": "application/json", "origin": origin}
    fields.update(headers or {})
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(), headers=fields)
    with urllib.request.urlopen(request, timeout=60) as answer:
        data = answer.read()
        return json.loads(data) if data else None


def agent(method, path, body=None):
    return call(method, "/api/v1" + path, body, {"authorization": "Bearer " + token})


async def refused(**options):
    try:
        async with websockets.connect(url, open_timeout=60, **options) as socket:
            await socket.recv()
            return "accepted"
    except websockets.InvalidStatusCode as error:
        return error.status_code
    except websockets.ConnectionClosed as closed:
        return f"closed {closed.code}"


async def closed_after(first):
    async with websockets.connect(url, origin=origin, open_timeout=60, close_timeout=60) as socket:
        await socket.send(first)
        try:
            await asyncio.wait_for(socket.recv(), 60)
            return "open"
        except websockets.ConnectionClosed as closed:
            return closed.code


async def receive(socket, kind, count):
    """The next `count` frames of `kind`, skipping others."""
    frames = []
    while len(frames) < count:
        frame = json.loads(await asyncio.wait_for(socket.recv(), 60))
        if frame.get("type") == kind:
            frames.append(frame)
    return frames


async def main():
    seen["no_origin"] = await refused()
    seen["foreign_origin"] = await refused(origin="https://evil.example")
    seen["no_hello"] = await closed_after(json.dumps({"type": "read", "seq": 1}))
    seen["unknown_session"] = await closed_after(json.dumps({"type": "hello", "token": "wvt_unknown", "after": 0}))

    visitor = call("POST", "/widget/api/session", {"key": key})["visitor_token"]
    as_visitor = {"authorization": "Bearer " + visitor}
    first = call("POST", "/widget/api/messages", {"text": "one"}, as_visitor)
    call("POST", "/widget/api/messages", {"text": "two"}, as_visitor)
    conversation = first["conversation_id"]
    agent("POST", f"/conversations/{conversation}/messages", {"text": "three"})

    async with websockets.connect(url, origin=origin, open_timeout=60, close_timeout=60) as socket:
        await socket.send(json.dumps({"type": "hello", "token": visitor, "after": 1}))
        missed = await receive(socket, "message", 2)
        seen["missed"] = [(m["message"]["seq"], m["message"]["text"], m["message"]["from"]) for m in missed]
        agent("POST", f"/conversations/{conversation}/messages", {"text": "four"})
        live = await receive(socket, "message", 1)
        seen["live"] = [(m["message"]["seq"], m["message"]["text"]) for m in live]
        agent("POST", f"/conversations/{conversation}/typing")
        seen["typing"] = len(await receive(socket, "typing", 1))
        agent("POST", f"/conversations/{conversation}/read")
        seen["read"] = (await receive(socket, "read", 1))[0]["seq"]

    # An `after` no seq can be (1e19) is read as the start, not converted.
    async with websockets.connect(url, origin=origin, open_timeout=60, close_timeout=60) as socket:
        await socket.send(json.dumps({"type": "hello", "token": visitor, "after": 1e19}))
        seen["huge_after"] = [m["message"]["seq"] for m in await receive(socket, "message", 3)]

    agent("POST", f"/conversations/{conversation}/messages", {"text": "five"})
    async with websockets.connect(url, origin=origin, open_timeout=60, close_timeout=60) as socket:
        await socket.send(json.dumps({"type": "hello", "token": visitor, "after": 4}))
        resumed = await receive(socket, "message", 1)
        agent("POST", f"/conversations/{conversation}/messages", {"text": "six"})
        resumed += await receive(socket, "message", 1)
        seen["resumed"] = [(m["message"]["seq"], m["message"]["text"]) for m in resumed]
        await socket.send(json.dumps({"type": "read", "seq": 6}))
        for _ in range(600):
            if agent("GET", f"/conversations/{conversation}")["visitor_read_seq"] == 6:
                break
            await asyncio.sleep(0.1)
        seen["visitor_read_seq"] = agent("GET", f"/conversations/{conversation}")["visitor_read_seq"]
    print(json.dumps(seen))


asyncio.run(main())
