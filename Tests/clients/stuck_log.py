"""A host whose log output nobody reads: its stderr is a pipe this script holds open and never drains.

Usage: stuck_log.py OZZI CONFIG DATA_DIR REQUESTS. Starts OZZI serve with the access log on, sends
keep-alive requests until the pipe is full, then REQUESTS more, and prints JSON: pipe_full (the pipe could
take no more), answered_while_full, answered (200s in all), failed; then stops the host.
"""
import fcntl
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
    fcntl.fcntl(read_end, fcntl.F_SETFL, os.O_NONBLOCK)
    size = fcntl.fcntl(read_end, fcntl.F_GETPIPE_SZ)

    def pipe_full():
        pending = int.from_bytes(fcntl.ioctl(read_end, 0x541B, b"\0\0\0\0"), "little")  # FIONREAD
        return pending >= size - 4096

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

    # First fill the pipe (the log is written in batches, by a thread of its own: poll until it is full).
    deadline = time.monotonic() + 60
    while not pipe_full() and time.monotonic() < deadline and ask(100):
        time.sleep(0.01)
    out["pipe_full"] = pipe_full()
    # Then the host must go on answering with its log output stuck.
    before = out["answered"]
    ask(requests)
    out["answered_while_full"] = out["answered"] - before
finally:
    host.send_signal(signal.SIGKILL)
    host.wait()
    os.close(read_end)
print(json.dumps(out))
