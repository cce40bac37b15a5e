"""Sends several requests in one write and reads the answers with http.client, in order.

Usage: pipelining.py PORT. Prints JSON: {"responses": [[status, body, request_id], ...]}.
"""
import http.client
import json
import socket
import sys

from shared_reader import SharedReader

port = int(sys.argv[1])
requests = (
    b"GET /slow?ms=150 HTTP/1.1\r\nHost: t\r\n\r\n"
    b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nfirst"
    b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nsec\r\n3\r\nond\r\n0\r\n\r\n"
    b"HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"
    b"GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
)
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
sock.sendall(requests)


shared = SharedReader(sock)

responses = []
methods = ["GET", "POST", "POST", "HEAD", "GET"]
for method in methods:
    response = http.client.HTTPResponse(shared, method=method)
    response.begin()
    body = response.read()
    responses.append([response.status, body.decode(), response.getheader("x-request-id")])
closed = shared.reader.read() == b""
print(json.dumps({"responses": responses, "closed": closed}))
