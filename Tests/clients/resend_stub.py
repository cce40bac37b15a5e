"""A local stand-in for Resend's email API, recording every request for the test to check exactly.

Usage: resend_stub.py API_KEY. Prints "PORT <n>" once listening on 127.0.0.1.

POST /emails (one email) and POST /emails/batch (an array of at most 100) need `Authorization: Bearer
API_KEY` (else 401), `Content-Type: application/json` and an Idempotency-Key of 1-256 characters (else 400).
A key seen before with the same body answers what it answered then (Resend keeps keys 24 hours). Outcomes
by the `to` addresses in the request: rate@ -> 429 rate_limit_exceeded with retry-after: 2; error@ ->
500; invalid@ -> 422 validation_error (a batch holding one is refused whole, as Resend does); hang@ ->
read and recorded, then no answer for 60 s; anything else -> 200 with a new id per email.
GET /requests answers every request received: [{path, authorization, idempotency_key, content_type, body}].
"""
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = sys.argv[1]
lock = threading.Lock()
received = []
answered = {}


def error(status, name, message):
    return status, {"statusCode": status, "name": name, "message": message}, {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            self.answer(200, received if self.path == "/requests" else {})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key")
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with lock:
            received.append({"path": self.path, "authorization": self.headers.get("Authorization"), "idempotency_key": key,
                             "content_type": self.headers.get("Content-Type"), "body": body})
            replay = answered.get(key) if key else None
        if replay and replay[0] == raw:
            status, payload, headers = replay[1]
            return self.answer(status, payload, headers)
        outcome = self.outcome(body, key)
        if outcome is None:
            time.sleep(60)
            return
        if key and outcome[0] < 500 and outcome[0] != 429:
            with lock:
                answered[key] = (raw, outcome)
        self.answer(*outcome)

    def outcome(self, body, key):
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            return error(401, "missing_api_key", "Missing API key in the authorization header.")
        if self.headers.get("Content-Type") != "application/json" or body is None:
            return error(400, "invalid_request", "The body must be JSON.")
        if not key or len(key) > 256:
            return error(400, "invalid_idempotency_key", "The key must be between 1-256 chars.")
        if self.path == "/emails":
            emails = [body]
        elif self.path == "/emails/batch" and isinstance(body, list) and 0 < len(body) <= 100:
            emails = body
        else:
            return error(422, "validation_error", "A batch holds 1 to 100 emails.")
        locals_ = {to.split("@")[0] for email in emails for to in email.get("to", [])}
        if "hang" in locals_:
            return None
        if "rate" in locals_:
            status, payload, _ = error(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second.")
            return status, payload, {"retry-after": "2", "ratelimit-limit": "2", "ratelimit-remaining": "0", "ratelimit-reset": "2"}
        if "error" in locals_:
            return error(500, "internal_server_error", "An unexpected error occurred.")
        if "invalid" in locals_:
            return error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` format.")
        ids = [str(uuid.uuid4()) for _ in emails]
        return (200, {"id": ids[0]}, {}) if self.path == "/emails" else (200, {"data": [{"id": i} for i in ids]}, {})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
