"""Reads a Server-Sent Events stream and prints each event as one line: EVENT <id> <type> <data-json>.

Usage: sse_client.py URL TOKEN [LAST_EVENT_ID]. Prints "OPEN <status>" once the response head arrives.
"""
import http.client
import sys
from urllib.parse import urlparse

url, token = urlparse(sys.argv[1]), sys.argv[2]
headers = {"Authorization": "Bearer " + token, "Accept": "text/event-stream"}
if len(sys.argv) > 3:
    headers["Last-Event-ID"] = sys.argv[3]
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
conn.request("GET", url.path + ("?" + url.query if url.query else ""), headers=headers)
response = conn.getresponse()
print("OPEN", response.status, response.getheader("content-type"), flush=True)
event = {}
while True:
    line = response.fp.readline()
    if not line:
        break
    line = line.decode().rstrip("\r\n")
    if line == "":
        if "data" in event or "event" in event:
            print("EVENT", event.get("id", "-"), event.get("event", "message"), event.get("data", ""), flush=True)
        event = {}
    elif line.startswith(":"):
        print("COMMENT", line[1:].strip(), flush=True)
    else:
        name, _, value = line.partition(":")
        event[name] = value[1:] if value.startswith(" ") else value
