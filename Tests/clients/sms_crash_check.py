"""After a crash: compares the api worker's messages with the simulated provider's send log.

Usage: sms_crash_check.py DATA_DIR. Prints JSON: counts by status, how many claimed sends were marked
dispatched (the provider may have them: a restart sends these to review), sends per message, and violations:
a message the provider took more than once; a message the provider took that is not sent, delivered,
undelivered or under review; a message marked sent or delivered that the provider never took.
"""
import collections
import json
import sqlite3
import sys

data = sys.argv[1]
sends = collections.Counter()
try:
    with open(f"{data}/api/simulated-sms.log") as log:
        for line in log:
            parts = line.split()
            if len(parts) == 3:
                sends[parts[0]] += 1
except FileNotFoundError:
    pass
db = sqlite3.connect(f"file:{data}/api/d1/api.sqlite?mode=ro", uri=True, timeout=10)
rows = db.execute("SELECT id, status FROM messages").fetchall()
status = dict(rows)
by_status = collections.Counter(status.values())
dispatched = db.execute("SELECT count(*) FROM messages WHERE status = 'sending' AND dispatched = 1").fetchone()[0]
taken_ok = {"sent", "delivered", "undelivered", "review"}
violations = []
for message, count in sends.items():
    if count > 1:
        violations.append(f"{message} sent {count} times")
    if status.get(message) not in taken_ok:
        violations.append(f"{message} was taken by the provider but is {status.get(message)}")
for message, state in status.items():
    if state in ("sent", "delivered") and sends[message] == 0:
        violations.append(f"{message} is {state} but the provider never took it")
print(json.dumps({"messages": len(rows), "by_status": by_status, "dispatched": dispatched, "sends": sum(sends.values()),
                  "max_sends": max(sends.values(), default=0), "violations": violations[:20]}))
