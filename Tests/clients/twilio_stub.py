"""A local stand-in for Twilio's Messages API that checks the wire format exactly.

Usage: twilio_stub.py ACCOUNT_SID AUTH_TOKEN. Prints "PORT <n>" once listening.
POST /2010-04-01/Accounts/{sid}/Messages.json needs HTTP Basic sid:token, a form body with To, Body,
StatusCallback and From or MessagingServiceSid. Outcomes by To: +15005550001 -> 400 code 21211;
+15005550006 -> 429 (code 20429, Retry-After: 1) the first time, then accepted; +15005550005 -> 500;
+15005550008 -> no answer for 60 s (the request is read, recorded, then held: the client times out);
anything else -> 201 with a new sid. GET /requests answers every request received, as JSON.
"""
import base64
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SID, TOKEN = sys.argv[1], sys.argv[2]
received = []
seen_429 = set()
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message, headers=None):
        self.answer(status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                             "status": status}, headers)

    def do_GET(self):
        if self.path == "/requests":
            with lock:
                self.answer(200, received)
        else:
            self.answer(404, {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode()
        fields = parse_qsl(raw, keep_blank_values=True)
        form = dict(fields)
        problems = []
        if self.path != f"/2010-04-01/Accounts/{SID}/Messages.json":
            problems.append("path " + self.path)
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            problems.append("authorization " + str(self.headers.get("Authorization")))
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            problems.append("content-type " + str(self.headers.get("Content-Type")))
        for name in ("To", "Body", "StatusCallback"):
            if not form.get(name):
                problems.append("missing " + name)
        if ("From" in form) == ("MessagingServiceSid" in form):
            problems.append("exactly one of From, MessagingServiceSid")
        with lock:
            received.append({"path": self.path, "fields": fields, "problems": problems})
        if problems:
            return self.error(400, 21601, "; ".join(problems))
        to = form["To"]
        if to == "+15005550001":
            return self.error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to == "+15005550006" and to not in seen_429:
            seen_429.add(to)
            return self.error(429, 20429, "Too Many Requests", {"Retry-After": "1"})
        if to == "+15005550008":
            time.sleep(60)
            return
        if to == "+15005550005":
            return self.error(500, 20500, "Internal Server Error")
        sid = "SM" + secrets.token_hex(16)
        self.answer(201, {"sid": sid, "status": "queued", "to": to, "from": form.get("From"), "body": form["Body"],
                          "num_segments": "1", "error_code": None, "error_message": None,
                          "date_created": "Sat, 21 Nov 2026 12:00:00 +0000"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
