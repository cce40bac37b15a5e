"""bench/console.sh's driver: fills a workspace, signs in through the console's form, then times each page.

Besides the contacts and messages: a campaign to every contact, sent (so the day's chart counts CONTACTS sends);
10 widget chats; a form with 200 submissions; 20 simulated test calls; a community with 500 messages and a
held post; 50 events this week; a rank tracker with two scans; a video project.

Usage: console_driver.py BASE API_KEY EMAIL PASSWORD HOST_LOG CONTACTS MESSAGES REQUESTS
"""
import http.client
import json
import os
import re
import statistics
import sys
import time
import urllib.parse

base, key, email, password, host_log = sys.argv[1:6]
contacts, messages, requests = (int(x) for x in sys.argv[6:9])
netloc = urllib.parse.urlparse(base).netloc


class Client:
    """One kept-alive connection with a cookie jar, as a browser tab uses the host."""

    def __init__(self):
        self.connection = http.client.HTTPConnection(netloc, timeout=120)
        self.cookies = {}

    def call(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        answer = self.connection.getresponse()
        data = answer.read()
        for line in answer.headers.get_all("set-cookie") or []:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            # Only the cookies of the pages' paths (the host also expires the API's old cookie paths).
            if "Path=/;" not in line + ";" and "Path=/console;" not in line + ";":
                continue
            if "Max-Age=0" in line:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return answer.status, data


def api(client, method, path, body=None, content_type="application/json"):
    status, data = client.call(method, "/api/v1" + path, body=None if body is None else (body if isinstance(body, (bytes, str)) else json.dumps(body)),
                               headers={"authorization": "Bearer " + key, "content-type": content_type})
    if status >= 300:
        raise SystemExit(f"{method} {path}: {status} {data[:300]!r}")
    return json.loads(data) if data else None


setup = Client()
started = time.monotonic()
# Contacts: one CSV import.
rows = ["name,phone,email,notes"] + [f"Person {i:05d} Example,+1415{5000000 + i:07d},person{i}@example.com,customer since {2000 + i % 25}"
                                     for i in range(contacts)]
job = api(setup, "POST", "/contacts/imports", "\n".join(rows) + "\n", content_type="text/csv")
while api(setup, "GET", f"/contacts/imports/{job['id']}")["status"] == "running":
    time.sleep(0.2)
# Messages: SMS a year ahead to groups of up to 10,000 (so they stay pending rows), one request per group.
group = api(setup, "POST", "/groups", {"name": "Everyone"})
api(setup, "POST", "/contacts/bulk", {"action": "add_to_group", "group_id": group["id"], "filter": {"source": "import"}})
ahead = time.strftime("%Y-%m-%dT09:00:00Z", time.gmtime(time.time() + 365 * 86400))
scheduled = 0
while scheduled < messages:
    answer = api(setup, "POST", "/messages", {"group_id": group["id"], "body": f"Reminder {scheduled // contacts}: your appointment is tomorrow",
                                               "scheduled_at": ahead})
    scheduled += min(contacts, 10_000)
# A campaign to every contact, sent now at the simulated provider's pace: the chart's day holds its sends.
campaign = api(setup, "POST", "/campaigns", {"name": "Winter sale", "channel": "sms", "audience": {"type": "groups", "group_ids": [group["id"]]},
                                             "content": {"body": "Hi {{first_name|there}}, the winter sale starts today"}, "throttle_per_second": 5000})
api(setup, "POST", f"/campaigns/{campaign['id']}/send")
while api(setup, "GET", f"/campaigns/{campaign['id']}")["state"] != "finished":
    time.sleep(0.5)
# Widget chats: a visitor each, one message each (ten: the widget takes ten new sessions a minute from one network).
origin = base.rstrip("/")
widget = api(setup, "POST", "/widgets", {"name": "Shop", "allowed_origins": ["https://shop.example"]})
for i in range(10):
    status, data = setup.call("POST", "/widget/api/session", json.dumps({"key": widget["public_key"]}), {"content-type": "application/json", "origin": origin})
    assert status == 201, f"widget session: {status} {data[:200]!r}"
    visitor = json.loads(data)["visitor_token"]
    status, data = setup.call("POST", "/widget/api/messages", json.dumps({"text": f"Question {i}: is the blue teapot in stock?"}),
                              {"content-type": "application/json", "origin": origin, "authorization": "Bearer " + visitor})
    assert status == 201, f"widget message: {status} {data[:200]!r}"
conversation = json.loads(data)["conversation_id"]
# A form with 200 submissions through the embed, as visitors send them.
newsletter = api(setup, "POST", "/forms", {"name": "Newsletter", "fields": [
    {"key": "name", "type": "text", "label": "Your name", "maps_to": "name"},
    {"key": "email", "type": "email", "label": "Email", "required": True, "maps_to": "email"}],
    "settings": {"allowed_origins": ["https://shop.example"], "spam": {"min_fill_seconds": 0, "per_network_per_minute": 100000}}})
for i in range(200):
    status, page = setup.call("GET", f"/forms/embed?key={newsletter['public_key']}")
    form_token = re.search(rb'"token":"([^"]+)"', page).group(1).decode()
    status, data = setup.call("POST", "/forms/submit", json.dumps({"key": newsletter["public_key"], "token": form_token,
                                                                    "answers": {"name": f"Reader {i}", "email": f"reader{i}@example.com"}}),
                              {"content-type": "application/json", "origin": "https://shop.example"})
    assert status == 201, f"form submission: {status} {data[:200]!r}"
# Calls: a number and 20 simulated test calls.
number = api(setup, "POST", "/voice/numbers", {"phone_number": "+12025550100", "name": "Front desk"})
for _ in range(20):
    call = api(setup, "POST", f"/voice/numbers/{number['id']}/test-calls", {"script": ["Hello?", "When are you open?", "Thanks, bye"]})
# A voice lab conversation, open (its page hands out a fresh ticket each time).
lab = api(setup, "POST", "/voice/lab", {"number_id": number["id"]})["call"]
# A community with 500 messages and a post held for review.
community = api(setup, "POST", "/communities", {"name": "Tea lovers"})
channels = api(setup, "GET", f"/communities/{community['id']}/channels")["data"]
for i in range(500):
    api(setup, "POST", f"/communities/{community['id']}/channels/{channels[0]['id']}/messages", {"body": f"Message {i} about oolong"})
# Fifty events this week, and a tracker with two scans, and a video project.
calendar = api(setup, "GET", "/calendars")["data"][0]
today = time.strftime("%Y-%m-%d", time.gmtime())
for i in range(50):
    api(setup, "POST", f"/calendars/{calendar['id']}/events", {"title": f"Meeting {i}", "start": f"{today}T{8 + i % 10:02d}:00", "end": f"{today}T{8 + i % 10:02d}:30"})
business = api(setup, "POST", "/seo/businesses", {"name": "Joe's Pizza", "cid": "555000111", "latitude": 40.7128, "longitude": -74.006})
tracker = api(setup, "POST", "/seo/trackers", {"business_id": business["id"], "keywords": ["pizza", "pizza delivery"],
                                               "grid": {"size": 5, "spacing": 1, "unit": "km", "zoom": 13}, "schedule": {"frequency": "weekly", "day": 4}})
for _ in range(2):
    scan = api(setup, "POST", f"/seo/trackers/{tracker['id']}/scans")
    while api(setup, "GET", f"/seo/scans/{scan['id']}")["status"] not in ("finished", "failed"):
        time.sleep(0.2)
project = api(setup, "POST", "/video/projects", {"name": "Teaser", "aspect_ratio": "1:1", "resolution": 360, "duration": 1,
                                                  "tracks": [{"kind": "text", "clips": [{"text": "Hello", "start": 0, "duration": 1}]}]})
print(f"filled: {contacts} contacts, {scheduled} messages and the other sections in {time.monotonic() - started:.1f} s")
some = api(setup, "GET", "/contacts?limit=1&q=" + urllib.parse.quote("Person 04242"))["data"][0]

# Signed in through the console's form, as a browser.
browser = Client()
status, page = browser.call("GET", "/console/signin")
token = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
form = urllib.parse.urlencode({"_csrf": token, "email": email, "password": password, "next": "/console/contacts"})
status, _ = browser.call("POST", "/console/signin", form, {"content-type": "application/x-www-form-urlencoded"})
assert status == 303 and "ozzi_access" in browser.cookies, f"sign-in answered {status}"

pages = [
    ("first-run (signed out)", "/", Client()),
    ("sign-in form", "/console/signin", Client()),
    ("contacts, first page", "/console/contacts", browser),
    ("contacts, search", "/console/contacts?q=" + urllib.parse.quote("person 0424"), browser),
    ("contacts, search as you type (results part)", "/console/contacts?q=" + urllib.parse.quote("person 0424") + "&part=results", browser),
    ("contacts, a group, 3rd page", None, browser),
    ("one contact, 10 messages of history", f"/console/contacts/{some['id']}", browser),
    ("messages, newest 50, with the day's chart", "/console/messages", browser),
    ("messages, filtered by status (pending)", "/console/messages?status=pending", browser),
    ("import form", "/console/contacts/import", browser),
    ("import report", f"/console/contacts/imports/{job['id']}", browser),
    ("inbox, 10 open chats", "/console/inbox", browser),
    ("one conversation", f"/console/inbox/{conversation}", browser),
    ("campaigns", "/console/campaigns", browser),
    ("new campaign (compose)", "/console/campaigns/new", browser),
    ("compose preview (part)", "/console/compose/preview?channel=sms&body=" + urllib.parse.quote("Hi {{first_name|there}}, see you soon"), browser),
    ("one campaign, 10,000 sent", f"/console/campaigns/{campaign['id']}", browser),
    ("forms", "/console/forms", browser),
    ("form builder", f"/console/forms/{newsletter['id']}", browser),
    ("form submissions, 200", f"/console/forms/{newsletter['id']}/submissions", browser),
    ("calls: dashboard and history", "/console/calls", browser),
    ("one call", f"/console/calls/{call['id']}", browser),
    ("numbers", "/console/calls/numbers", browser),
    ("voice lab: choose a number", "/console/calls/lab", browser),
    ("voice lab: a conversation", f"/console/calls/lab/{lab['id']}", browser),
    ("communities", "/console/communities", browser),
    ("a channel, 500 messages", f"/console/communities/{community['id']}/channels/{channels[0]['id']}", browser),
    ("review queue", f"/console/communities/{community['id']}/review", browser),
    ("community members", f"/console/communities/{community['id']}/members", browser),
    ("community audit log", f"/console/communities/{community['id']}/audit", browser),
    ("team calendar, 50 events this week", "/console/calendars", browser),
    ("local SEO trackers", "/console/seo", browser),
    ("a tracker: heatmap and trends", f"/console/seo/trackers/{tracker['id']}", browser),
    ("video projects", "/console/video", browser),
    ("one project with its renders", f"/console/video/projects/{project['id']}", browser),
]
# A later page of the group, by its cursor, as the Next link gives it.
cursor = None
for _ in range(2):
    status, html = browser.call("GET", "/console/contacts?group_id=" + group["id"] + (f"&cursor={cursor}" if cursor else ""))
    cursor = urllib.parse.unquote(re.search(rb'cursor=([^"&]+)"', html).group(1).decode())
pages[5] = (pages[5][0], "/console/contacts?group_id=" + group["id"] + "&cursor=" + urllib.parse.quote(cursor), browser)


def log_lines(offset):
    with open(host_log, "rb") as file:
        file.seek(offset)
        return file.read(), file.tell()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


print(f"{'page':48} {'server p50':>10} {'p99':>8} {'max':>8}   {'round trip p50':>14} {'p99':>8}  bytes")
worst = 0.0
for name, path, client in pages:
    for _ in range(100):
        status, body = client.call("GET", path)
        assert status == 200, f"{path}: {status} {body[:200]!r}"
    time.sleep(0.5)
    _, offset = log_lines(0)
    trips = []
    for _ in range(requests):
        t = time.perf_counter()
        status, body = client.call("GET", path)
        trips.append((time.perf_counter() - t) * 1000)
    time.sleep(0.5)  # the access log is written by a thread of its own
    text, _ = log_lines(offset)
    wanted = urllib.parse.urlparse(path).path
    served = [float(json.loads(line)["duration_ms"]) for line in text.splitlines()
              if line.startswith(b"{") and b'"duration_ms"' in line and json.loads(line).get("path") == wanted]
    assert len(served) >= requests, f"{len(served)} access-log lines for {wanted}, expected {requests}"
    p99 = percentile(served, 99)
    worst = max(worst, p99)
    print(f"{name:48} {statistics.median(served):8.2f}ms {p99:6.2f}ms {max(served):6.2f}ms   {statistics.median(trips):12.2f}ms {percentile(trips, 99):6.2f}ms  {len(body)}")
print(f"worst page p99 (server): {worst:.2f} ms; target < 20 ms: {'met' if worst < 20 else 'NOT met'} (ratio {worst / 20:.2f} of the budget)")
