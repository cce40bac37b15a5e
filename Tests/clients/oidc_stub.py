"""A local OpenID Connect provider for tests: authorize, token (with PKCE S256 and a client secret), userinfo.

Usage: oidc_stub.py CLIENT_ID CLIENT_SECRET. Prints "PORT <n>" once listening.
The browser's choice of account is simulated with ?login_as=<subject>&email=<email> on /authorize.
"""
import base64
import hashlib
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

CLIENT_ID, CLIENT_SECRET = sys.argv[1], sys.argv[2]
codes = {}
tokens = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/authorize":
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                return self.answer(400, {"error": "invalid_request"})
            if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
                return self.answer(400, {"error": "invalid_request", "error_description": "PKCE S256 is required"})
            code = secrets.token_urlsafe(16)
            with lock:
                codes[code] = {
                    "challenge": query["code_challenge"], "redirect_uri": query["redirect_uri"],
                    "subject": query.get("login_as", "user-1"), "email": query.get("email", "user1@example.com"),
                }
            target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
            return self.answer(302, headers={"Location": target})
        if url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            with lock:
                user = tokens.get(token)
            if not user:
                return self.answer(401, {"error": "invalid_token"})
            return self.answer(200, {"sub": user["subject"], "email": user["email"], "email_verified": True, "name": user["subject"].title()})
        self.answer(404, {"error": "not_found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if urlparse(self.path).path != "/token":
            return self.answer(404, {"error": "not_found"})
        if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return self.answer(400, {"error": "invalid_request", "error_description": "form body expected"})
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return self.answer(401, {"error": "invalid_client"})
        with lock:
            grant = codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code" or form.get("redirect_uri") != grant["redirect_uri"]:
            return self.answer(400, {"error": "invalid_grant"})
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return self.answer(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        token = secrets.token_urlsafe(24)
        with lock:
            tokens[token] = grant
        self.answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "openid email profile"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
