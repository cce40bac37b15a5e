"""A local stand-in for Twilio's Messages and Calls APIs that checks the wire format exactly.

Usage: twilio_stub.py ACCOUNT_SID AUTH_TOKEN [--account SID:TOKEN]... [--latency-ms N] [--stall NUMBER]...
                      [--hold NUMBER]... [--drop NUMBER]... [--port P] [--numbers N] [--page-size K]
Prints "PORT <n>" once listening. HTTP/1.1 with keep-alive on asyncio, so it serves thousands of sends a
second with many in flight (benchmarks point the real client at it). Each POST's answer waits --latency-ms.

GET /2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json lists the account's N numbers (--numbers, default 0)
a page at a time (--page-size overrides the client's PageSize), `next_page_uri` naming the next page;
GET /set-numbers?n=N changes how many it holds (a number released from the account).

POST /2010-04-01/Accounts/{sid}/Messages.json, for any of the accounts given, needs HTTP Basic sid:token, a form body with To, Body,
StatusCallback and From or MessagingServiceSid. Outcomes by To:
+15005550001 -> 400 code 21211; +15005550006 -> 429 (code 20429, Retry-After: 1) the first time, then
accepted; +15005550005 -> 500; +15005550008 and every --stall number -> the request is read and recorded,
then held unanswered (the client times out) until GET /release, which closes the held connections without
an answer; every --hold number -> read, recorded and held the same way, but GET /release then answers it
(accepted, 201) — an answer that comes late; every --drop number -> the request is read and recorded, then the connection is closed without
an answer (a keep-alive connection dying under a request); anything else -> 201 with a new sid (SM...).
A malformed send (wrong path or account, wrong auth, not a form, Expect, a missing field) -> 400 code 21601
naming the problems.

POST /2010-04-01/Accounts/{sid}/Calls.json, for any of the accounts given: HTTP Basic sid:token, else 401
{"code":20003,"message":"Authenticate","status":401,...} with WWW-Authenticate. A form body with To, From,
exactly one of Url (http or https) and Twiml; StatusCallbackEvent may be repeated, each one of initiated,
ringing, answered, completed, and only beside a StatusCallback; StatusCallbackMethod, if given, is POST.
Otherwise (as for messages, also a non-form body or Expect) -> 400 code 21601 naming the problems. Outcomes
by To: +15005550001 -> 400 code 21211; anything else -> 201 {"sid":"CA<32 hex>","status":"queued",
"direction":"outbound-api","to","from","account_sid","date_created" (RFC 2822, now),...}. (--stall, --drop,
the 429 and 500 numbers apply to messages only.)

GET /2010-04-01/Accounts/{sid}/Calls/{CallSid}.json (HTTP Basic, as above) answers a call this stub placed,
as Twilio does some time after the end: the first lookup of each call has "price": null, later ones
"price": "-0.02800" with "price_unit": "USD"; an unknown call -> 404 code 20404. Recorded as kind "lookup".

GET /2010-04-01/Accounts/{sid}/Recordings/{RecordingSid}.mp3 (HTTP Basic, as above) answers the recording's
audio as audio/mpeg: an MP3 frame stream of 48 KB, the same bytes for the same sid. A sid starting RE404 ->
404 code 20404 (a recording Twilio no longer has); one starting RE302 -> 302 to /media/{RecordingSid}.mp3, where
the media is kept, which answers the same audio to a request without credentials (one with an Authorization
header is a problem: they must not follow the redirect). Recorded as kinds "recording" and "media".

GET /requests answers every request received (messages and calls, in order), as JSON
({kind: "message"|"call"|"lookup"|"numbers"|"recording"|"media", path, fields, pairs, problems, at_ms}); `fields` and `pairs` are the same list of
[key, value] pairs in the order sent, repeated keys (StatusCallbackEvent) kept as separate pairs.
GET /count answers how many; GET /held how many requests are held. GET /freeze?pid=P&at=N stops process P
with SIGSTOP the moment the Nth request arrives (before answering it): crash tests kill the host at a known
point.
"""
import asyncio
import base64
import json
import os
import secrets
import signal
import sys
import time
from urllib.parse import parse_qsl

args = sys.argv[1:]
SID, TOKEN = args[0], args[1]
accounts = {SID: TOKEN}
latency = 0.0
stalled = {"+15005550008"}
dropped = set()
holding = set()
port = 0
owned = 0
page_size = None
rest = args[2:]
while rest:
    flag, value, rest = rest[0], rest[1], rest[2:]
    if flag == "--latency-ms":
        latency = float(value) / 1000
    elif flag == "--stall":
        stalled.add(value)
    elif flag == "--drop":
        dropped.add(value)
    elif flag == "--hold":
        holding.add(value)
    elif flag == "--account":
        extra_sid, _, extra_token = value.partition(":")
        accounts[extra_sid] = extra_token
    elif flag == "--port":
        port = int(value)
    elif flag == "--numbers":
        owned = int(value)
    elif flag == "--page-size":
        page_size = int(value)
    else:
        sys.exit(f"unknown option {flag}")

received = []
seen_429 = set()
held = []  # futures of held requests: set to release them
freeze = {}  # pid and send count of a /freeze request


def answer(status, body, headers=None):
    data = json.dumps(body).encode()
    reason = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"}
    head = [f"HTTP/1.1 {status} {reason.get(status, 'Status')}", "Content-Type: application/json", f"Content-Length: {len(data)}"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


def error(status, code, message, headers=None):
    return answer(status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                           "status": status}, headers)


def record(kind, path, fields, problems):
    received.append({"kind": kind, "path": path, "fields": fields, "pairs": fields, "problems": problems,
                     "at_ms": int(time.time() * 1000)})
    if freeze and len(received) >= freeze["at"]:
        pid = freeze.pop("pid")
        freeze.clear()
        try:
            os.kill(pid, signal.SIGSTOP)
        except ProcessLookupError:
            pass


def rfc2822_now():
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())


CALL_EVENTS = {"initiated", "ringing", "answered", "completed"}


def call(path, headers, raw):
    """The answer to a Calls POST."""
    fields = parse_qsl(raw, keep_blank_values=True)
    form = dict(fields)
    sid = path.removeprefix("/2010-04-01/Accounts/").removesuffix("/Calls.json")
    if not authorized(sid, headers):
        record("call", path, fields, ["authorization " + str(headers.get("authorization"))])
        return answer(401, {"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": "Authenticate",
                            "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401},
                      {"WWW-Authenticate": 'Basic realm="Twilio API"'})
    problems = []
    if path != f"/2010-04-01/Accounts/{sid}/Calls.json":
        problems.append("path " + path)
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        problems.append("content-type " + str(headers.get("content-type")))
    if "expect" in headers:
        problems.append("expect " + headers["expect"])
    for name in ("To", "From"):
        if not form.get(name):
            problems.append("missing " + name)
    if bool(form.get("Url")) == bool(form.get("Twiml")):
        problems.append("exactly one of Url, Twiml")
    if form.get("Url") and not form["Url"].startswith(("https://", "http://")):
        problems.append("Url " + form["Url"])
    events = [value for key, value in fields if key == "StatusCallbackEvent"]
    if events and not form.get("StatusCallback"):
        problems.append("StatusCallbackEvent without StatusCallback")
    problems += ["StatusCallbackEvent " + event for event in events if event not in CALL_EVENTS]
    if "StatusCallbackMethod" in form and form["StatusCallbackMethod"] != "POST":
        problems.append("StatusCallbackMethod " + form["StatusCallbackMethod"])
    for key in ("To", "From", "Url", "Twiml", "StatusCallback", "StatusCallbackMethod"):
        if sum(1 for k, _ in fields if k == key) > 1:
            problems.append("repeated " + key)
    record("call", path, fields, problems)
    if problems:
        return error(400, 21601, "; ".join(problems))
    to = form["To"]
    if to == "+15005550001":
        return error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    call_sid = "CA" + secrets.token_hex(16)
    placed[call_sid] = 0
    now = rfc2822_now()
    return answer(201, {"sid": call_sid, "account_sid": sid, "status": "queued", "direction": "outbound-api", "to": to,
                        "from": form["From"], "date_created": now, "date_updated": now, "start_time": None,
                        "end_time": None, "duration": None, "price": None, "price_unit": "USD", "answered_by": None,
                        "parent_call_sid": None, "api_version": "2010-04-01",
                        "uri": f"/2010-04-01/Accounts/{sid}/Calls/{call_sid}.json"})


placed = {}


def authorized(sid, headers):
    """HTTP Basic with one of the accounts' sid and token."""
    return sid in accounts and headers.get("authorization") == "Basic " + base64.b64encode(f"{sid}:{accounts[sid]}".encode()).decode()


def lookup(path, headers):
    """The answer to a call resource GET: priced from the second lookup on."""
    sid, _, rest = path.removeprefix("/2010-04-01/Accounts/").partition("/Calls/")
    call_sid = rest.removesuffix(".json")
    problems = []
    if not authorized(sid, headers):
        problems.append("authorization " + str(headers.get("authorization")))
    if not rest.endswith(".json"):
        problems.append("path " + path)
    record("lookup", path, [], problems)
    if problems:
        return error(401, 20003, "; ".join(problems))
    if call_sid not in placed:
        return error(404, 20404, f"The requested resource {path} was not found")
    placed[call_sid] += 1
    priced = placed[call_sid] > 1
    return answer(200, {"sid": call_sid, "account_sid": sid, "status": "completed", "direction": "outbound-api",
                        "price": "-0.02800" if priced else None, "price_unit": "USD", "duration": "75",
                        "uri": f"/2010-04-01/Accounts/{sid}/Calls/{call_sid}.json"})


def recording(path, headers):
    """The audio of a recording, as Twilio serves `RecordingUrl + ".mp3"`."""
    sid, _, rest = path.removeprefix("/2010-04-01/Accounts/").partition("/Recordings/")
    recording_sid = rest.removesuffix(".mp3")
    problems = []
    if not authorized(sid, headers):
        problems.append("authorization " + str(headers.get("authorization")))
    if not rest.endswith(".mp3") or not recording_sid.startswith("RE"):
        problems.append("path " + path)
    record("recording", path, [], problems)
    if problems:
        return error(401, 20003, "; ".join(problems))
    if recording_sid.startswith("RE404"):
        return error(404, 20404, f"The requested resource {path} was not found")
    if recording_sid.startswith("RE302"):
        head = ["HTTP/1.1 302 Found", f"Location: /media/{recording_sid}.mp3", "Content-Length: 0"]
        return ("\r\n".join(head) + "\r\n\r\n").encode()
    return audio(recording_sid)


def media(path, headers):
    """Where a redirected recording is kept: served to requests without Twilio's credentials."""
    recording_sid = path.removeprefix("/media/").removesuffix(".mp3")
    record("media", path, [], ["authorization sent"] if "authorization" in headers else [])
    return audio(recording_sid)


def audio(recording_sid):
    # MPEG-1 layer III frames (32 kbit/s at 32 kHz: 144 bytes each) with a payload that names the recording.
    seed = recording_sid.encode()
    frame = b"\xff\xfb\x18\xc4" + (seed * 8)[:140]
    data = b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * (48 * 1024 // len(frame))
    head = ["HTTP/1.1 200 OK", "Content-Type: audio/mpeg", f"Content-Length: {len(data)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + data


def send(path, headers, raw):
    """The answer to a Messages POST, or None to never answer."""
    fields = parse_qsl(raw, keep_blank_values=True)
    form = dict(fields)
    problems = []
    sid = path.removeprefix("/2010-04-01/Accounts/").removesuffix("/Messages.json")
    if path != f"/2010-04-01/Accounts/{sid}/Messages.json" or sid not in accounts:
        problems.append("path " + path)
    if headers.get("authorization") != "Basic " + base64.b64encode(f"{sid}:{accounts.get(sid)}".encode()).decode():
        problems.append("authorization " + str(headers.get("authorization")))
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        problems.append("content-type " + str(headers.get("content-type")))
    if "expect" in headers:
        problems.append("expect " + headers["expect"])
    for name in ("To", "Body", "StatusCallback"):
        if not form.get(name):
            problems.append("missing " + name)
    if ("From" in form) == ("MessagingServiceSid" in form):
        problems.append("exactly one of From, MessagingServiceSid")
    record("message", path, fields, problems)
    if problems:
        return error(400, 21601, "; ".join(problems))
    to = form["To"]
    if to in stalled:
        return None
    if to in dropped:
        return b""
    if to == "+15005550001":
        return error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if to == "+15005550006" and to not in seen_429:
        seen_429.add(to)
        return error(429, 20429, "Too Many Requests", {"Retry-After": "1"})
    if to == "+15005550005":
        return error(500, 20500, "Internal Server Error")
    return answer(201, {"sid": "SM" + secrets.token_hex(16), "status": "queued", "to": to, "from": form.get("From"),
                        "body": form["Body"], "num_segments": "1", "error_code": None, "error_message": None,
                        "date_created": "Sat, 21 Nov 2026 12:00:00 +0000"})


def incoming_numbers(path, headers):
    """GET .../IncomingPhoneNumbers.json?PageSize=&Page=&PageToken=: the account's --numbers numbers, a page at a
    time (--page-size overrides the client's PageSize), each page naming the next by `next_page_uri` (relative to
    the base, null on the last). Every third number is SMS-only; every second spells its capability keys in
    capitals (clients must read them case-insensitively)."""
    route, _, query = path.partition("?")
    parts = route.split("/")
    sid = parts[3] if len(parts) > 3 else ""
    if route != f"/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json" or sid not in accounts:
        return error(404, 20404, "The requested resource was not found")
    if headers.get("authorization") != "Basic " + base64.b64encode(f"{sid}:{accounts[sid]}".encode()).decode():
        return answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
    params = dict(parse_qsl(query))
    size = page_size or int(params.get("PageSize", "50"))
    page = int(params.get("Page", "0"))
    record("numbers", path, [[k, v] for k, v in parse_qsl(query)], [] if "PageSize" in params else ["PageSize missing"])
    items = []
    for index in range(page * size, min(owned, (page + 1) * size)):
        capabilities = {"voice": index % 3 != 2, "sms": True, "mms": False}
        if index % 2:
            capabilities = {key.upper(): value for key, value in capabilities.items()}
        items.append({"sid": "PN%032x" % (index + 1), "phone_number": "+1415555%04d" % (100 + index), "friendly_name": f"Line {index + 1}",
                      "capabilities": capabilities, "voice_url": "", "sms_url": "", "status_callback": "", "date_created": rfc2822_now()})
    more = (page + 1) * size < owned
    next_uri = (f"/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json?PageSize={size}&Page={page + 1}&PageToken=PA{page + 1:04d}"
                if more else None)
    return answer(200, {"incoming_phone_numbers": items, "page": page, "page_size": size, "next_page_uri": next_uri,
                        "uri": route + "?" + query})


async def serve(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, path, _ = line.decode("latin-1").split(" ", 2)
            headers = {}
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if method == "GET" and path == "/requests":
                response = answer(200, received)
            elif method == "GET" and path == "/count":
                response = answer(200, {"count": len(received)})
            elif method == "GET" and path == "/held":
                response = answer(200, {"held": sum(1 for f in held if not f.done())})
            elif method == "GET" and path.startswith("/freeze?"):
                query = dict(parse_qsl(path.partition("?")[2]))
                freeze.update({"pid": int(query["pid"]), "at": int(query["at"])})
                response = answer(200, {"frozen_at": freeze["at"]})
            elif method == "GET" and path.startswith("/set-numbers?"):
                global owned
                owned = int(dict(parse_qsl(path.partition("?")[2]))["n"])
                response = answer(200, {"numbers": owned})
            elif method == "GET" and path.startswith("/media/"):
                response = media(path, headers)
            elif method == "GET" and "/Recordings/" in path:
                response = recording(path, headers)
            elif method == "GET" and "/Calls/" in path:
                response = lookup(path, headers)
            elif method == "GET" and "/IncomingPhoneNumbers.json" in path:
                response = incoming_numbers(path, headers)
            elif method == "GET" and path == "/release":
                released = sum(1 for f in held if not f.done())
                for f in held:
                    if not f.done():
                        f.set_result(None)
                response = answer(200, {"released": released})
            elif method == "POST":
                is_call = path.partition("?")[0].endswith("/Calls.json")
                response = (call if is_call else send)(path, headers, body.decode())
                if latency:
                    await asyncio.sleep(latency)
                if not is_call and response and dict(parse_qsl(body.decode())).get("To") in holding:
                    release = asyncio.get_running_loop().create_future()
                    held.append(release)
                    await release
                if response == b"":
                    return
                if response is None:
                    release = asyncio.get_running_loop().create_future()
                    held.append(release)
                    await release
                    return
            else:
                response = answer(404, {})
            writer.write(response)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        return
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=4096)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
