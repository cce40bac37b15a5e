"""A local stand-in for Serper's Google Maps search API, recording every search for the test to check exactly.

Usage: serper_stub.py API_KEY [--latency SECONDS]. Prints "PORT <n>" once listening on 127.0.0.1 (HTTP/1.1,
keep-alive, a thread per connection, so a slow answer does not hold up the others).

POST /maps is recorded first, refused or not, as {method, path, api_key (the X-API-KEY header or null),
content_type, body (the parsed JSON, or the raw text when it is not JSON), at (time.monotonic())}. Then,
checked in this order:
- `X-API-KEY` other than API_KEY -> 401 {"message": "Unauthorized.", "statusCode": 401};
- a Content-Type other than application/json (parameters such as `; charset=utf-8` allowed) -> 400;
- a body that is not a JSON object of `q` (non-empty string), `ll` (a string matching exactly
  `^@-?\\d{1,3}\\.\\d{6},-?\\d{1,3}\\.\\d{6},\\d{1,2}(\\.\\d+)?z$`), `page` (integer >= 1) and optionally
  `gl`, `hl` (strings) and `num` (integer, accepted and ignored) -> 400; a missing key, an unknown key or a
  wrong type (true/false and 1.0 are not integers) is named in the message. Every 400 is
  {"message": "<the problems, joined by '; '>", "statusCode": 400};
- a scripted failure, if any is queued (GET /fail) -> its status with {"message": "scripted failure",
  "statusCode": S}, and `Retry-After: 1` when S is 429; only valid, authorised requests consume one, in order;
- else 200 {"searchParameters": {"q", "ll", "page", "type": "maps", "engine": "google"}, "ll": <ll>,
  "places": [...], "credits": 1}.
Every /maps answer (refusals too) is sent after sleeping the latency (--latency, default 0; GET /latency).

The places: a roster of 60 synthetic businesses, "Competitor 1".."Competitor 60" with cids
"9000000000000000001".."9000000000000000060", each with a fixed rating (3.0-5.0, 1 decimal), ratingCount,
category, address, phoneNumber, website and offset from the searched point, is ordered by a pseudo-random
shuffle seeded by sha256(q + ll) (business i sorts by sha256(that digest + its cid); the same q and ll always
give the same order), and the first 40 form the ranked list. Targets (POST /ranks) whose table holds the
request's point (`ll` without the zoom: "@lat,lng") are then inserted at their positions, in order of position
(two at the same position: the smaller cid first, the other one below it), after dropping any roster place
with the same cid, and the list is cut back to 40. Page p answers positions (p-1)*PER_PAGE+1 ..
p*PER_PAGE (PER_PAGE 20 unless GET /per-page), [] past the end. Each place is {"position" (1-based over the
whole list), "title", "address", "latitude", "longitude", "rating", "ratingCount", "category", "cid",
"phoneNumber", "website"}, plus "placeId" ("ChIJ" and 23 characters, fixed per cid) when its position is a
multiple of 3. A roster place's latitude/longitude is the searched point plus its fixed offset (under 0.011
degrees each); a target's is the searched point, with category "Restaurant", address "1 Target St",
phoneNumber "(212) 555-0100", website "https://target-<cid>.example.com/".

Controls (not recorded):
- POST /ranks {"cid": "<digits>", "title": str, "rating": number, "ratingCount": int, "ranks": {"@40.712800,-74.006000": 3, ...}}
  sets the target with that cid (replacing one set before): its position, 1-40, at each point given ("@lat,lng"
  with 6 decimals each); 0 or a point not given -> it is not in that point's list. A bad body -> 400 naming the
  problem. Answers {"cid", "points": <how many points given>}.
- GET /per-page?n=N (1-20) sets PER_PAGE; GET /latency?seconds=S (>= 0) sets the latency for requests arriving
  after it; GET /fail?status=S&times=N (S 100-599, N >= 1, default 1) queues N failures of status S behind
  those already queued. A bad parameter -> 400.
- GET /requests answers the recorded /maps requests as a JSON array, oldest first.
- GET /reset clears the recorded requests, the queued failures and the targets, and restores PER_PAGE 20 and
  the latency given at start.
Anything else -> 404 {"message": "Not found.", "statusCode": 404}.
"""
import base64
import hashlib
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def usage():
    sys.exit("usage: serper_stub.py API_KEY [--latency SECONDS]")


args = sys.argv[1:]
if not args:
    usage()
API_KEY = args[0]
START_LATENCY = 0.0
rest = args[1:]
while rest:
    if rest[0] == "--latency" and len(rest) > 1:
        START_LATENCY = float(rest[1])
        rest = rest[2:]
    else:
        usage()

LIST_LENGTH = 40
ROSTER_SIZE = 60
LL = re.compile(r"@-?[0-9]{1,3}\.[0-9]{6},-?[0-9]{1,3}\.[0-9]{6},[0-9]{1,2}(\.[0-9]+)?z")
POINT = re.compile(r"@-?[0-9]{1,3}\.[0-9]{6},-?[0-9]{1,3}\.[0-9]{6}")
CATEGORIES = ("Restaurant", "Pizza restaurant", "Italian restaurant", "Cafe", "Bar", "Bakery", "Deli")
STREETS = ("Market St", "Main St", "Broadway", "Elm St", "Oak Ave", "Park Pl")

lock = threading.Lock()
received = []
failures = []
targets = {}
state = {"per_page": 20, "latency": START_LATENCY}


def place_id(cid):
    return "ChIJ" + base64.urlsafe_b64encode(hashlib.sha256(cid.encode()).digest()).decode()[:23]


def business(i):
    """Roster business i (1-60): everything fixed, but the offset from the searched point."""
    return {
        "title": f"Competitor {i}",
        "address": f"{i * 10} {STREETS[i % len(STREETS)]}",
        "rating": round(3.0 + ((i * 8) % 21) / 10, 1),
        "ratingCount": 3 + (i * 37) % 900,
        "category": CATEGORIES[i % len(CATEGORIES)],
        "cid": str(9000000000000000000 + i),
        "phoneNumber": f"(555) 010-{i:04d}",
        "website": f"https://competitor{i}.example.com/",
        "dlat": ((i * 13) % 21 - 10) / 1000,
        "dlng": ((i * 17) % 21 - 10) / 1000,
    }


ROSTER = [business(i) for i in range(1, ROSTER_SIZE + 1)]


def ranked(q, ll, pinned):
    """The 40 places for (q, ll), with the targets in `pinned` ({cid: (position, target)}) inserted."""
    lat_text, lng_text, _ = ll[1:].split(",")
    lat, lng = float(lat_text), float(lng_text)
    seed = hashlib.sha256((q + ll).encode()).digest()
    order = sorted(ROSTER, key=lambda b: hashlib.sha256(seed + b["cid"].encode()).digest())
    rows = [{"title": b["title"], "address": b["address"], "latitude": round(lat + b["dlat"], 7),
             "longitude": round(lng + b["dlng"], 7), "rating": b["rating"], "ratingCount": b["ratingCount"],
             "category": b["category"], "cid": b["cid"], "phoneNumber": b["phoneNumber"], "website": b["website"]}
            for b in order if b["cid"] not in pinned][:LIST_LENGTH]
    placed = {}
    for cid, (position, target) in sorted(pinned.items(), key=lambda item: (item[1][0], int(item[0]))):
        index = position - 1 + placed.get(position, 0)
        placed[position] = placed.get(position, 0) + 1
        rows.insert(index, {"title": target["title"], "address": "1 Target St", "latitude": lat, "longitude": lng,
                            "rating": float(target["rating"]), "ratingCount": target["ratingCount"],
                            "category": "Restaurant", "cid": cid, "phoneNumber": "(212) 555-0100",
                            "website": f"https://target-{cid}.example.com/"})
    rows = rows[:LIST_LENGTH]
    for index, row in enumerate(rows):
        row["position"] = index + 1
        row = {"position": row.pop("position"), **row}
        rows[index] = row
        if row["position"] % 3 == 0:
            row["placeId"] = place_id(row["cid"])
    return rows


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def search_problems(body):
    if not isinstance(body, dict):
        return ["the body must be a JSON object"]
    problems = [f"unknown key {key!r}" for key in body if key not in ("q", "ll", "page", "gl", "hl", "num")]
    problems += [f"missing {key!r}" for key in ("q", "ll", "page") if key not in body]
    if "q" in body and not (isinstance(body["q"], str) and body["q"]):
        problems.append("'q' must be a non-empty string")
    if "ll" in body and not (isinstance(body["ll"], str) and LL.fullmatch(body["ll"])):
        problems.append(f"'ll' must be a string like \"@40.712800,-74.006000,14z\", not {json.dumps(body['ll'])}")
    if "page" in body and not (is_int(body["page"]) and body["page"] >= 1):
        problems.append(f"'page' must be an integer >= 1, not {json.dumps(body['page'])}")
    problems += [f"{key!r} must be a string" for key in ("gl", "hl") if key in body and not isinstance(body[key], str)]
    if "num" in body and not is_int(body["num"]):
        problems.append("'num' must be an integer")
    return problems


def ranks_problems(body):
    if not isinstance(body, dict):
        return ["the body must be a JSON object"]
    problems = [f"unknown key {key!r}" for key in body if key not in ("cid", "title", "rating", "ratingCount", "ranks")]
    problems += [f"missing {key!r}" for key in ("cid", "title", "rating", "ratingCount", "ranks") if key not in body]
    if "cid" in body and not (isinstance(body["cid"], str) and body["cid"].isascii() and body["cid"].isdigit()):
        problems.append("'cid' must be a string of digits")
    if "title" in body and not (isinstance(body["title"], str) and body["title"]):
        problems.append("'title' must be a non-empty string")
    if "rating" in body and not (isinstance(body["rating"], (int, float)) and not isinstance(body["rating"], bool)):
        problems.append("'rating' must be a number")
    if "ratingCount" in body and not is_int(body["ratingCount"]):
        problems.append("'ratingCount' must be an integer")
    if "ranks" in body:
        if not isinstance(body["ranks"], dict):
            problems.append("'ranks' must be an object")
        else:
            for point, position in body["ranks"].items():
                if not POINT.fullmatch(point):
                    problems.append(f"rank point {json.dumps(point)} must be like \"@40.712800,-74.006000\"")
                if not (is_int(position) and 0 <= position <= LIST_LENGTH):
                    problems.append(f"rank at {json.dumps(point)} must be an integer 0-{LIST_LENGTH}")
    return problems


def error(status, message, headers=None):
    return status, {"message": message, "statusCode": status}, headers or {}


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

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or "0"))

    def do_GET(self):
        self.read_body()
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        self.answer(*self.control(url.path, query))

    def control(self, path, query):
        with lock:
            if path == "/requests":
                return 200, received, {}
            if path == "/reset":
                received.clear()
                failures.clear()
                targets.clear()
                state.update(per_page=20, latency=START_LATENCY)
                return 200, {"reset": True}, {}
            if path == "/per-page":
                try:
                    n = int(query["n"])
                except (KeyError, ValueError):
                    n = 0
                if not 1 <= n <= 20:
                    return error(400, "n must be an integer 1-20")
                state["per_page"] = n
                return 200, {"perPage": n}, {}
            if path == "/latency":
                try:
                    seconds = float(query["seconds"])
                except (KeyError, ValueError):
                    seconds = -1.0
                if not 0 <= seconds < float("inf"):
                    return error(400, "seconds must be a number >= 0")
                state["latency"] = seconds
                return 200, {"latency": seconds}, {}
            if path == "/fail":
                try:
                    status = int(query["status"])
                    times = int(query.get("times", "1"))
                except (KeyError, ValueError):
                    return error(400, "status must be an integer, times an integer if given")
                if not 100 <= status <= 599 or times < 1:
                    return error(400, "status must be 100-599 and times >= 1")
                failures.extend([status] * times)
                return 200, {"queued": len(failures)}, {}
        return error(404, "Not found.")

    def do_POST(self):
        raw = self.read_body()
        path = self.path
        try:
            body = json.loads(raw)
            parsed = True
        except ValueError:
            body, parsed = raw.decode("utf-8", "replace"), False
        if path == "/ranks":
            return self.answer(*self.set_ranks(body if parsed else None))
        if path != "/maps":
            return self.answer(*error(404, "Not found."))
        with lock:
            received.append({"method": self.command, "path": path, "api_key": self.headers.get("X-API-KEY"),
                             "content_type": self.headers.get("Content-Type"), "body": body, "at": time.monotonic()})
            latency = state["latency"]
        outcome = self.search(body, parsed)
        if latency:
            time.sleep(latency)
        self.answer(*outcome)

    def search(self, body, parsed):
        if self.headers.get("X-API-KEY") != API_KEY:
            return error(401, "Unauthorized.")
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return error(400, f"Content-Type must be application/json, not {self.headers.get('Content-Type')!r}")
        if not parsed:
            return error(400, "the body is not valid JSON")
        problems = search_problems(body)
        if problems:
            return error(400, "; ".join(problems))
        q, ll, page = body["q"], body["ll"], body["page"]
        point = ll.rsplit(",", 1)[0]
        with lock:
            if failures:
                status = failures.pop(0)
                return error(status, "scripted failure", {"Retry-After": "1"} if status == 429 else None)
            pinned = {cid: (t["ranks"][point], t) for cid, t in targets.items() if t["ranks"].get(point, 0) > 0}
            per_page = state["per_page"]
        places = ranked(q, ll, pinned)[(page - 1) * per_page:page * per_page]
        return 200, {"searchParameters": {"q": q, "ll": ll, "page": page, "type": "maps", "engine": "google"},
                     "ll": ll, "places": places, "credits": 1}, {}

    def set_ranks(self, body):
        problems = ranks_problems(body) if body is not None else ["the body is not valid JSON"]
        if problems:
            return error(400, "; ".join(problems))
        with lock:
            targets[body["cid"]] = body
        return 200, {"cid": body["cid"], "points": len(body["ranks"])}, {}

    def not_found(self):
        self.read_body()
        self.answer(*error(404, "Not found."))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = not_found


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


server = Server(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
