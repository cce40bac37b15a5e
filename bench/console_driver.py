"""bench/console.sh's driver: fills a workspace, signs in through the console's form, then times each page.

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
print(f"filled: {contacts} contacts, {scheduled} messages in {time.monotonic() - started:.1f} s")
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
