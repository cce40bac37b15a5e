"""bench/calendar.sh's driver: sets up the team through the API, then times the team view and its reference."""
import http.client
import json
import random
import statistics
import subprocess
import sys
import time

base, data, members, requests = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ZONES = ["America/New_York", "Europe/London", "Asia/Calcutta", "Australia/Sydney", "America/Los_Angeles"]
random.seed(22)


host, port = base.split("//")[1].split("/")[0].split(":")
prefix = "/" + base.split("//")[1].split("/", 1)[1]
connections = {}


def call(method, path, body=None, token=None, workspace=None, source="127.0.0.1"):
    """One request on a kept-alive connection from `source` (sign-up is limited per client address: each
    few members sign up from an address of their own, as people on their own machines do)."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    if workspace:
        headers["x-workspace-id"] = workspace
    if source not in connections:
        connections[source] = http.client.HTTPConnection(host, int(port), source_address=(source, 0))
    connection = connections[source]
    connection.request(method, prefix + path, body=None if body is None else json.dumps(body).encode(), headers=headers)
    answer = connection.getresponse()
    raw = answer.read()
    if answer.status >= 400:
        sys.exit(f"{method} {path}: {answer.status} {raw.decode()}")
    return json.loads(raw) if raw else None


def sign_up(email, source="127.0.0.1"):
    call("POST", "/auth/signup", {"email": email, "password": "correct horse battery"}, source=source)
    token = subprocess.run([sys.executable, "scripts/mailbox.py", email, "--data", data], check=True, capture_output=True, text=True).stdout.strip()
    return call("POST", "/auth/verify-email", {"token": token}, source=source)["access_token"]


owner = sign_up("owner@example.com")
workspace = call("POST", "/workspaces", {"name": "Bench team"}, owner)["id"]
tokens = [owner]
for i in range(1, members):
    invite = call("POST", f"/workspaces/{workspace}/invitations", {"email": f"member{i}@example.com"}, owner)["token"]
    token = sign_up(f"member{i}@example.com", source=f"127.0.1.{i // 10 + 1}")
    call("POST", "/invitations/accept", {"token": invite}, token)
    tokens.append(token)

made = 0
calendars = []
for i, token in enumerate(tokens):
    calendar = call("GET", "/calendars", token=token, workspace=workspace)["data"][0]["id"]
    calendars.append(calendar)
    call("PATCH", f"/calendars/{calendar}", {"time_zone": ZONES[i % len(ZONES)]}, token, workspace)
    post = lambda body: call("POST", f"/calendars/{calendar}/events", body, token, workspace)
    standup = post({"title": "Stand-up", "start": "2026-11-02T09:30", "end": "2026-11-02T09:45", "recurrence": "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"})
    call("PUT", f"/calendars/events/{standup['id']}/occurrences/2026-11-10T09:30:00", {"start": "2026-11-10T10:30"}, token, workspace)
    call("DELETE", f"/calendars/events/{standup['id']}/occurrences/2026-11-17T09:30:00", None, token, workspace)
    post({"title": "One-to-one", "start": "2026-10-07T14:00", "recurrence": "FREQ=WEEKLY;BYDAY=WE"})
    post({"title": "Review", "start": "2026-01-29T16:00", "recurrence": "FREQ=MONTHLY;BYDAY=-1TH"})
    post({"title": "Offsite", "start": f"2026-11-{random.randint(2, 27):02d}"})
    for _ in range(20):
        day, hour = random.randint(1, 30), random.randint(8, 17)
        post({"title": "Meeting", "start": f"2026-11-{day:02d}T{hour:02d}:00", "end": f"2026-11-{day:02d}T{hour:02d}:45"})
    made += 24

month = "from=2026-11-01&to=2026-12-01&time_zone=Europe/Paris"


def timed(path, count):
    times = []
    answer = None
    for _ in range(count):
        started = time.perf_counter()
        answer = call("GET", path, token=owner, workspace=workspace)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times, answer


timed(f"/calendars/team?{month}", 5)  # warm
team, answer = timed(f"/calendars/team?{month}", requests)
occurrences = sum(len(m["occurrences"]) for m in answer["members"])
one, _ = timed(f"/calendars/{calendars[1]}/events?{month}", requests)
p = lambda times, q: times[min(len(times) - 1, int(len(times) * q))]
print(f"team view: {members} members, {made} events made through the API, {occurrences} occurrences in the month")
print(f"  GET /calendars/team (1 month), {requests} requests: p50 {p(team, 0.5):.2f} ms, p99 {p(team, 0.99):.2f} ms")
print(f"  reference, one member's month x {members}: p50 {members * p(one, 0.5):.2f} ms, p99 {members * p(one, 0.99):.2f} ms"
      f" (one: p50 {p(one, 0.5):.3f} ms, p99 {p(one, 0.99):.3f} ms)")
print(f"  ratio (team p99 / {members} single p99s): {p(team, 0.99) / (members * p(one, 0.99)):.3f}")
