"""A host whose log output nobody reads: its stderr is a pipe this script holds open and never drains.

Usage: stuck_log.py OZZI CONFIG DATA_DIR REQUESTS. Starts OZZI serve with the access log on, sends
REQUESTS keep-alive requests, and prints JSON: answered (200s), failed, pipe_full (the pipe could take
no more), then stops the host.
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
    for _ in range(requests):
        try:
            conn.request("GET", "/api/v1/status")
            response = conn.getresponse()
            response.read()
            out["answered" if response.status == 200 else "failed"] += 1
        except (OSError, http.client.HTTPException):
            out["failed"] += 1
            break
    # The pipe really is full: a write to it would block (64 KiB of unread log).
    fcntl.fcntl(read_end, fcntl.F_SETFL, os.O_NONBLOCK)
    size = fcntl.fcntl(read_end, fcntl.F_GETPIPE_SZ)
    pending = int.from_bytes(fcntl.ioctl(read_end, 0x541B, b"\0\0\0\0"), "little")  # FIONREAD
    out["pipe_full"] = pending >= size - 4096
finally:
    host.send_signal(signal.SIGKILL)
    host.wait()
    os.close(read_end)
print(json.dumps(out))
