"""Drives the probe worker's /ws echo route with the `websockets` library (Debian python3-websockets).

Usage: websocket_client.py PORT. Prints JSON with one entry per behaviour checked.
"""
import asyncio
import base64
import json
import os
import socket
import struct
import sys

import websockets

port = int(sys.argv[1])
url = f"ws://127.0.0.1:{port}/ws"


async def main():
    results = {}
    async with websockets.connect(url, max_size=None, open_timeout=60, close_timeout=60) as ws:
        await ws.send("hello")
        results["text"] = await ws.recv()
        await ws.send(b"\x00\x01\xff")
        results["binary"] = list(await ws.recv())
        await ws.send(["frag", "ment", "ed"])  # one message in three frames
        results["fragmented"] = await ws.recv()
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 60)
        results["pong"] = True
        big = "x" * 500_000
        await ws.send(big)
        results["large_echo"] = len(await ws.recv())
        await ws.send("close:4001")
        try:
            await ws.recv()
        except websockets.ConnectionClosed as closed:
            results["server_close_code"] = closed.rcvd.code if closed.rcvd else None
            results["server_close_reason"] = closed.rcvd.reason if closed.rcvd else None

    async with websockets.connect(url, max_size=None, open_timeout=60, close_timeout=60) as ws:
        await ws.close(code=4002, reason="client done")
        results["client_close_code"] = ws.close_code

    async with websockets.connect(url, max_size=None, open_timeout=60, close_timeout=60) as ws:
        await ws.send("y" * (2 * 1024 * 1024))
        try:
            await asyncio.wait_for(ws.recv(), 60)
        except websockets.ConnectionClosed as closed:
            results["too_big_code"] = closed.rcvd.code if closed.rcvd else None

    results["invalid_utf8_code"] = raw_invalid_utf8()
    results["frame_with_handshake"] = frame_with_handshake()
    results["plain_get_status"] = plain_get()
    print(json.dumps(results))


def raw_invalid_utf8():
    """websockets will not send invalid UTF-8 as text, so this frame is built by hand."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    payload = b"\xff\xfe\xfd"
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    frame = sock.recv(2)
    if not frame or frame[0] & 0x0F != 0x8:
        return None
    body = sock.recv(frame[1] & 0x7F)
    return struct.unpack("!H", body[:2])[0]


def frame_with_handshake():
    """A client that sends its first frame in the same write as the upgrade gets it echoed."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    payload = b"early"
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
                 + bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    data = b""
    try:
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + 2 + len(payload):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    sock.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101") or rest[:2] != bytes([0x81, len(payload)]):
        return repr(data[:200])
    return rest[2:2 + len(payload)].decode()


def plain_get():
    """A GET without the upgrade headers on a WebSocket route answers 426."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET /ws HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ")[1])


asyncio.run(main())
