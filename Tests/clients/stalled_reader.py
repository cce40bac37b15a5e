"""A client that asks for more than the host can buffer and then reads nothing, holding its socket open.

Usage: stalled_reader.py PORT MODE. MODE `stream`: one GET of a 64 MiB streamed body (the handler's writer
waits for the socket to drain); `pipelined`: ten pipelined POST /echo of 1 MiB each (whole answers queued
after the response completed). Prints SENT once the requests are out, then holds the socket for 120 s
without reading (the test watches the host's side).
"""
import socket
import sys
import time

port, mode = int(sys.argv[1]), sys.argv[2]
sock = socket.create_connection(("127.0.0.1", port), timeout=30)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
if mode == "stream":
    data = b"GET /flood?bytes=67108864&tag=stalled HTTP/1.1\r\nHost: t\r\n\r\n"
else:
    body = b"x" * (1 << 20)
    data = b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body) * 10
# The host stops reading once its answers back up: send what it takes, until it takes nothing for 2 s.
sock.setblocking(False)
sent, idle_since = 0, time.monotonic()
while sent < len(data) and time.monotonic() - idle_since < 2:
    try:
        sent += sock.send(data[sent:sent + 65536])
        idle_since = time.monotonic()
    except BlockingIOError:
        time.sleep(0.05)
    except OSError:
        break  # the host already cut us off: what the test waits for
print("SENT %d" % sent, flush=True)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    time.sleep(0.5)
sock.close()
