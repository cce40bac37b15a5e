"""After a crash: compares the api worker's messages with what the Twilio stub received.

Usage: twilio_crash_check.py DATABASE STUB_PORT. DATABASE is the api's SQLite file, or a postgresql:// URL
(the api worker's schema `api` there, read with psql). Each message has its own number, so the stub's requests
count sends per message. Prints JSON: counts by status, sends, max_sends, and violations: a number the
stub got more than once; a message the stub got that is not sent, delivered, undelivered or under review;
a message marked sent that the stub never got.
"""
import collections
import json
import sqlite3
import subprocess
import sys
import urllib.request

database, port = sys.argv[1], sys.argv[2]
# The database first, then the stub: a host still sending can only add requests after the read, and a
# message is marked sent only after the stub got it, so what the database says is sent is in the list read
# after it (read the other way round, a send landing between the reads looks like one the stub never got).
if database.startswith("postgres"):
    out = subprocess.run(["psql", database, "-At", "-F", "\t", "-c", "SELECT to_phone, status FROM api.messages"],
                         check=True, capture_output=True, text=True).stdout
    rows = [tuple(line.split("\t")) for line in out.splitlines() if line]
else:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    rows = db.execute("SELECT to_phone, status FROM messages").fetchall()
with urllib.request.urlopen(f"http://127.0.0.1:{port}/requests", timeout=60) as response:
    requests = json.loads(response.read())
sends = collections.Counter(dict(r["fields"]).get("To") for r in requests)
status = dict(rows)
by_status = collections.Counter(status.values())
violations = []
for number, count in sends.items():
    if count > 1:
        violations.append(f"{number} sent {count} times")
    if status.get(number) not in ("sent", "delivered", "undelivered", "review"):
        violations.append(f"{number} reached the provider but is {status.get(number)}")
for number, state in status.items():
    if state in ("sent", "delivered") and sends[number] == 0:
        violations.append(f"{number} is {state} but the provider never got it")
print(json.dumps({"messages": len(rows), "by_status": by_status, "sends": sum(sends.values()),
                  "max_sends": max(sends.values(), default=0), "violations": violations[:20]}))
