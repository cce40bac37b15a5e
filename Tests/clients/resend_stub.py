"""A local stand-in for Resend's email API, recording every request for the test to check exactly.

Usage: resend_stub.py API_KEY. Prints "PORT <n>" once listening on 127.0.0.1.

POST /emails (one email) and POST /emails/batch (an array of at most 100) need `Authorization: Bearer
API_KEY` (else 401), `Content-Type: application/json` and an Idempotency-Key of 1-256 characters (else 400).
A key seen before with the same body answers what it answered then (Resend keeps keys 24 hours). Outcomes
by the `to` addresses in the request: rate@ -> 429 rate_limit_exceeded with retry-after: 2; error@ ->
500; outage@ -> 503 to the first two requests with an Idempotency-Key, then as anything else; invalid@ -> 422 validation_error (a batch holding one is refused whole, as Resend does); hang@ ->
read and recorded, then no answer for 60 s; anything else -> 200 with a new id per email.
GET /requests answers every request received: [{method, path, authorization, idempotency_key, content_type, body}].

Domains (no Idempotency-Key): POST /domains needs exactly {name, region?} (region one of Resend's) and
answers Resend's shape: status not_started, records MX and TXT (quoted) on `send`, DKIM TXT at
`resend._domainkey` with a new key (for a name starting `cname.`: three DKIM CNAMEs to
`<token>.dkim.amazonses.com.`, as Resend answers some accounts), and a tracking CNAME; a name this
account has -> 403. POST
/domains/{id}/verify marks it verified (failed when the name starts with `fail`), which GET /domains/{id}
then answers for the domain and each record; DELETE /domains/{id} removes it. Unknown id -> 404.
GET /domains?limit=100 lists the account's domains (without records).
"""
import base64
import os
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
outages = {}
domains = {}
REGIONS = ("us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1")


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
        if self.path == "/requests":
            with lock:
                return self.answer(200, received)
        self.record(None, None)
        self.answer(*self.domain_outcome("GET", None))

    def do_DELETE(self):
        self.record(None, None)
        self.answer(*self.domain_outcome("DELETE", None))

    def record(self, key, body):
        with lock:
            received.append({"method": self.command, "path": self.path, "authorization": self.headers.get("Authorization"),
                             "idempotency_key": key, "content_type": self.headers.get("Content-Type"), "body": body})

    def domain_outcome(self, method, body):
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            return error(401, "missing_api_key", "Missing API key in the authorization header.")
        parts = self.path.strip("/").split("/")
        with lock:
            if method == "POST" and parts == ["domains"]:
                if self.headers.get("Content-Type") != "application/json" or not isinstance(body, dict):
                    return error(400, "invalid_request", "The body must be JSON.")
                if not isinstance(body.get("name"), str) or set(body) - {"name", "region"} or body.get("region", "us-east-1") not in REGIONS:
                    return error(422, "validation_error", "Expected {name, region?}.")
                if any(d["name"] == body["name"] for d in domains.values()):
                    return error(403, "validation_error", f"The {body['name']} domain has been registered already.")
                domain = {"id": str(uuid.uuid4()), "name": body["name"], "region": body.get("region", "us-east-1"), "status": "not_started",
                          "created_at": "2026-12-01T12:00:00.000000+00:00",
                          "dkim": "p=" + base64.b64encode(os.urandom(140)).decode(),
                          "tokens": [uuid.uuid4().hex for _ in range(3)] if body["name"].startswith("cname.") else []}
                domains[domain["id"]] = domain
                return 200, self.domain_json(domain), {}
            if method == "GET" and self.path == "/domains?limit=100":
                return 200, {"object": "list", "has_more": False,
                             "data": [{k: d[k] for k in ("id", "name", "status", "created_at", "region")} for d in domains.values()]}, {}
            if len(parts) < 2 or parts[0] != "domains" or parts[1] not in domains:
                return error(404, "not_found", "Domain not found")
            domain = domains[parts[1]]
            if method == "POST" and parts[2:] == ["verify"]:
                domain["status"] = "failed" if domain["name"].startswith("fail") else "verified"
                return 200, {"object": "domain", "id": domain["id"]}, {}
            if method == "GET" and len(parts) == 2:
                return 200, self.domain_json(domain), {}
            if method == "DELETE" and len(parts) == 2:
                del domains[domain["id"]]
                return 200, {"object": "domain", "id": domain["id"], "deleted": True}, {}
            return error(405, "method_not_allowed", "Method not allowed")

    @staticmethod
    def domain_json(domain):
        status = domain["status"]
        region = domain["region"]
        records = [
            {"record": "SPF", "name": "send", "type": "MX", "ttl": "Auto", "status": status,
             "value": f"feedback-smtp.{region}.amazonses.com", "priority": 10},
            {"record": "SPF", "name": "send", "type": "TXT", "ttl": "Auto", "status": status, "value": '"v=spf1 include:amazonses.com ~all"'},
        ]
        if domain["tokens"]:
            records += [{"record": "DKIM", "name": f"{t}._domainkey", "type": "CNAME", "ttl": "Auto", "status": status,
                         "value": f"{t}.dkim.amazonses.com."} for t in domain["tokens"]]
        else:
            records.append({"record": "DKIM", "name": "resend._domainkey", "type": "TXT", "ttl": "Auto", "status": status, "value": domain["dkim"]})
        records += [
            {"record": "Tracking", "name": "links." + domain["name"], "type": "CNAME", "ttl": "Auto", "status": status, "value": "links1.resend-dns.com"},
        ]
        return {"object": "domain", "id": domain["id"], "name": domain["name"], "status": status, "created_at": domain["created_at"],
                "region": region, "records": records}

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key")
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self.record(key, body)
        if self.path.startswith("/domains"):
            return self.answer(*self.domain_outcome("POST", body))
        with lock:
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
        if "outage" in locals_:
            with lock:
                outages[key] = outages.get(key, 0) + 1
                down = outages[key] <= 2
            if down:
                return error(503, "service_unavailable", "The service is temporarily unavailable.")
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
