"""A webhook receiver for tests: records every POST (headers and body) and answers 500 to the first
FAIL_FIRST requests (or to all of them with -1), 204 after.

Usage: webhook_receiver.py FAIL_FIRST. Prints "PORT <n>" once listening, and "POST <n>" after each one.
GET /received answers the records as JSON.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

fail_first = int(sys.argv[1])
received = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        with lock:
            data = json.dumps(received).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        with lock:
            received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
            n = len(received)
        status = 500 if fail_first < 0 or n <= fail_first else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
        # One write per line, under the lock: two threads' print() calls interleave their pieces
        # ("POSTPOST 3\n 4"), and a test waiting for "POST 4" never sees it.
        with lock:
            sys.stdout.write(f"POST {n}\n")
            sys.stdout.flush()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
