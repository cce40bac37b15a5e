"""Sends several requests in one write and reads the answers with http.client, in order.

Usage: pipelining.py PORT. Prints JSON: {"responses": [[status, body, request_id], ...]}.
"""
import http.client
import json
import socket
import sys

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
reader = sock.makefile("rb")


class KeepOpen:
    """http.client closes its file after each body; the next response still needs the buffered bytes."""

    def __init__(self, file):
        self.file = file

    def __getattr__(self, name):
        return getattr(self.file, name)

    def close(self):
        pass


class Shared:
    """http.client reads each response through makefile(); sharing one keeps buffered bytes."""

    def makefile(self, *args, **kwargs):
        return KeepOpen(reader)


responses = []
methods = ["GET", "POST", "POST", "HEAD", "GET"]
for method in methods:
    response = http.client.HTTPResponse(Shared(), method=method)
    response.begin()
    body = response.read()
    responses.append([response.status, body.decode(), response.getheader("x-request-id")])
closed = reader.read() == b""
print(json.dumps({"responses": responses, "closed": closed}))
