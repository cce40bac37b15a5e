"""A host whose log output nobody reads: its stderr is a pipe this script holds open and never drains.

Usage: stuck_log.py OZZI CONFIG DATA_DIR REQUESTS. Starts OZZI serve with the access log on,
fills the pipe, then sends REQUESTS keep-alive requests, and prints JSON: pipe_full (the pipe could
take no more), answered_while_full, still_full, answered (200s in all), failed; then stops the host.
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

ozzi, config, data, requests = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()

read_end, write_end = os.pipe()
host = subprocess.Popen([ozzi, "serve", "--config", config, "--port", str(port), "--loops", "1", "--data-dir", data],
                        stdout=write_end, stderr=write_end)
os.close(write_end)
out = {"answered": 0, "failed": 0}
try:
    for _ in range(2000):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.01)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    # Fill the pipe ourselves, through a second, non-blocking opening of it (/proc/PID/fd/2 opens the
    # pipe anew, so the host's own descriptor stays blocking). Waiting for the host's log to fill it
    # is a race: its writes can leave pipe pages part-full, so the byte count never reaches the size.
    # A non-blocking write of one page is all or nothing; EAGAIN means no page is free.
    filler = os.open(f"/proc/{host.pid}/fd/2", os.O_WRONLY | os.O_NONBLOCK)
    page = b"#" * 4095 + b"\n"

    def pipe_full():
        try:
            os.write(filler, page)
            return False
        except BlockingIOError:
            return True

    def ask(count):
        for _ in range(count):
            try:
                conn.request("GET", "/api/v1/status")
                response = conn.getresponse()
                response.read()
                out["answered" if response.status == 200 else "failed"] += 1
            except (OSError, http.client.HTTPException):
                out["failed"] += 1
                return False
        return True

    for _ in range(64):
        if pipe_full():
            break
    out["pipe_full"] = pipe_full()
    # Then the host must go on answering with its log output stuck.
    before = out["answered"]
    ask(requests)
    out["answered_while_full"] = out["answered"] - before
    out["still_full"] = pipe_full()
finally:
    host.send_signal(signal.SIGKILL)
    host.wait()
    os.close(read_end)
print(json.dumps(out))
