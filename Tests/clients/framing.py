"""Sends well-framed requests in the spellings RFC 9112 allows, pipelined on one connection, and reads
the answers in order with http.client.

Usage: framing.py whole|drip PORT. `drip` sends the bytes a few at a time, so the host reads every line,
chunk and head in pieces. Prints JSON: {"responses": [[status, body], ...], "closed": bool}.
"""
import http.client
import json
import socket
import sys
import time

from shared_reader import SharedReader

mode, port = sys.argv[1], int(sys.argv[2])
requests = (
    # Field names are case-insensitive and OWS may be empty or a tab.
    b"POST /echo HTTP/1.1\r\nHost: t\r\ntransfer-encoding:chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    # Chunk extensions (token and quoted-string values, BWS) and a trailer field.
    b"POST /echo HTTP/1.1\r\nHost: t\r\nTRANSFER-ENCODING:\tChunked\r\n\r\n"
    b"3;name\r\ndef\r\n3 ; a = b ;c=\"x;\\\"y\"\r\nghi\r\n0\r\nX-Trailer: 1\r\n\r\n"
    # An empty line before the request line is ignored (RFC 9112 section 2.2).
    b"\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok"
    # A streamed body, chunked.
    b"POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nA;x=1\r\n0123456789\r\n0\r\n\r\n"
    b"GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
)
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
if mode == "drip":
    for i in range(0, len(requests), 3):
        sock.sendall(requests[i:i + 3])
        time.sleep(0.001)
else:
    sock.sendall(requests)

shared = SharedReader(sock)
responses = []
for method in ["POST", "POST", "POST", "POST", "GET"]:
    response = http.client.HTTPResponse(shared, method=method)
    response.begin()
    responses.append([response.status, response.read().decode()])
closed = shared.reader.read() == b""
print(json.dumps({"responses": responses, "closed": closed}))
