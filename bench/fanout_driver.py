"""The community fan-out benchmark's driver (bench/fanout.sh starts the host and says what is measured).

    fanout_driver.py --port PORT --data DATA_DIR --host-pid PID [--members 1000] [--messages 200] [--rate 0]

1. Accounts: the owner and MEMBERS members sign up (POST /api/v1/auth/signup), each from its own loopback
   address (sign-ups and mailed-token spends are limited per client network: 20 an hour, 30 per 10
   minutes), and verify their address with the link the simulated system sender kept in the host's data
   folder (read here in one pass over the bucket's blobs, not once per account as scripts/mailbox.py does).
2. The owner makes a public, open community; every member joins it (POST .../join).
3. Every member opens the community's live socket and waits for `ready`. The sockets are plain TCP with a
   minimal WebSocket client (below) rather than the `websockets` library, for one reason: each socket asks
   the kernel for receive timestamps (SO_TIMESTAMPNS), the time the host's frame reached the member's
   socket. The driver reads 1,000 sockets on one core; a frame it reads late is still stamped when it
   arrived, so the driver's own speed does not enter that figure. On loopback the frame reaches the
   member's socket inside the host's own write (the receive side runs in that call, on core 0), so the
   stamp is when the host wrote it. The time the driver read it is kept too (that one includes the
   driver), and the difference between the two says how far the driver lagged.
4. The owner posts MESSAGES messages into #general over one keep-alive connection, its send time (ns, the
   wall clock) in the body. With --rate 0 (the default) each post waits until every socket has the
   previous message; with --rate R they go out R a second whatever the sockets do.

Every (message, socket) delivery's delay is measured from just before the POST's first byte is written.
"""
import argparse
import base64
import email
import email.policy
import glob
import http.client
import json
import os
import re
import select
import socket
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# Linux's SO_TIMESTAMPNS (and its control message, SCM_TIMESTAMPNS): Python's socket module lacks the name.
SO_TIMESTAMPNS = 35
CMSG_SPACE = socket.CMSG_SPACE(16)  # one struct timespec
PASSWORD = "correct horse battery"
TARGET_MS = 50.0
DELIVERY_TIMEOUT_S = 10.0  # a delivery not there this long after its POST counts as missing


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", required=True, help="the host's --data-dir (where the sign-up emails are kept)")
    parser.add_argument("--host-pid", type=int, required=True, help="for the host's RSS and CPU time")
    parser.add_argument("--members", type=int, default=1000, help="connected members (default 1000)")
    parser.add_argument("--messages", type=int, default=200, help="messages posted (default 200)")
    parser.add_argument("--rate", type=float, default=0, help="posts a second; 0 (default): each waits for the last to reach everyone")
    return parser.parse_args()


ARGS = parse_args()
HOST = f"127.0.0.1:{ARGS.port}"


# ---------------------------------------------------------------------------------------------------------
# The host's own figures, read from /proc.

TICKS = os.sysconf("SC_CLK_TCK")


def host_cpu_s():
    """User + system CPU seconds the host has used so far (all its threads)."""
    with open(f"/proc/{ARGS.host_pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cores_busy_s():
    """Busy seconds of cores 0 and 1 so far, whoever used them (/proc/stat): beside the host's and the
    driver's own CPU, they show whether anything else ran on the two cores during the measurement."""
    busy = {}
    with open("/proc/stat") as f:
        for line in f:
            name, *ticks = line.split()
            if name in ("cpu0", "cpu1"):
                ticks = [int(t) for t in ticks]
                busy[name] = (sum(ticks[:8]) - ticks[3] - ticks[4]) / TICKS  # all but idle and iowait
    return busy["cpu0"], busy["cpu1"]


def host_rss_mb():
    with open(f"/proc/{ARGS.host_pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def percentile(ordered, p):
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def spread_ms(samples_ns):
    """p50 / p90 / p99 / max in ms, of nanosecond samples."""
    ordered = sorted(samples_ns)
    return [percentile(ordered, p) / 1e6 for p in (0.5, 0.9, 0.99)] + [ordered[-1] / 1e6]


def fmt(values):
    return " / ".join(f"{v:.2f}" for v in values)


# ---------------------------------------------------------------------------------------------------------
# HTTP: one request per connection from a chosen source address (rate limits are per client network), or
# over a kept connection (the poster).

def call(method, path, body=None, token=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", ARGS.port, timeout=120, source_address=(source, 0))
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    connection.request(method, "/api/v1" + path, None if body is None else json.dumps(body), headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    if answer.status >= 300:
        raise RuntimeError(f"{method} {path}: {answer.status} {data[:300]}")
    return json.loads(data) if data else None


def source_of(i):
    """Account i's own loopback address (127.10.0.1 onwards, 250 per /24)."""
    return f"127.10.{i // 250}.{i % 250 + 1}"


# ---------------------------------------------------------------------------------------------------------
# 1. Accounts.

VERIFY_LINK = re.compile(r"/api/v1/auth/verify-email#token=([A-Za-z0-9_-]+)")


def mailed_tokens(addresses, deadline_s=120):
    """address -> its sign-up link's token, from the kept emails (an mbox blob each, as scripts/mailbox.py
    reads them); each blob is parsed once, and the folder is walked until every address has one."""
    found, seen = {}, set()
    wanted = set(addresses)
    deadline = time.monotonic() + deadline_s
    while not wanted <= found.keys():
        for blob in glob.glob(f"{ARGS.data}/*/r2/*/blobs/*"):
            if blob in seen:
                continue
            with open(blob, "rb") as f:
                raw = f.read()
            if not raw.startswith(b"From "):
                seen.add(blob)
                continue
            message = email.message_from_bytes(raw.split(b"\n", 1)[1], policy=email.policy.default)
            body = message.get_body(("plain",))
            link = VERIFY_LINK.search(body.get_content()) if body else None
            if link is None:
                continue  # maybe still being written: look again next pass
            seen.add(blob)
            found[str(message["To"]).strip().lower()] = link.group(1)
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(wanted - found.keys())} sign-up emails never arrived in {ARGS.data}")
        time.sleep(0.2)
    return found


def sign_up_all(count):
    """`count` verified accounts: [(access_token, user_id)], account 0 the owner."""
    addresses = [f"fanout{i}@example.com" for i in range(count)]
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: call("POST", "/auth/signup", {"email": addresses[i], "password": PASSWORD}, source=source_of(i)),
                      range(count)))
    signed = time.monotonic()
    tokens = mailed_tokens(addresses)
    mailed = time.monotonic()

    def verify(i):
        answer = call("POST", "/auth/verify-email", {"token": tokens[addresses[i]]}, source=source_of(i))
        return answer["access_token"], answer["user"]["id"]

    with ThreadPoolExecutor(16) as pool:
        accounts = list(pool.map(verify, range(count)))
    done = time.monotonic()
    print(f"{count:,} accounts: sign-ups {signed - started:.1f} s ({count / (signed - started):,.0f}/s), emails found "
          f"{mailed - signed:.1f} s later, verified in {done - mailed:.1f} s", flush=True)
    return accounts


# ---------------------------------------------------------------------------------------------------------
# 3. A minimal WebSocket client: the handshake with a bearer token, then unmasked server frames.

class Member:
    """One member's live socket and what it has read so far."""

    def __init__(self, index, token, path):
        self.index = index
        self.buffer = self.partial = b""
        self.closed = None
        self.sock = socket.create_connection(("127.0.0.1", ARGS.port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buffer:
            self.read_blocking()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"member {index}: handshake answered {head[:200]!r}")
        # Then `ready` (no `after`: nothing is replayed).
        while True:
            frames = self.frames()
            if any(json.loads(f).get("type") == "ready" for f in frames):
                break
            self.read_blocking()
        # From here on: stamped by the kernel, read by the poll loop.
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.setblocking(False)

    def read_blocking(self):
        data = self.sock.recv(65536)
        if not data:
            raise RuntimeError(f"member {self.index}: the host closed the socket during the handshake")
        self.buffer += data

    def read(self):
        """(bytes, kernel receive time in ns or None) of one non-blocking read."""
        data, ancillary, _, _ = self.sock.recvmsg(65536, CMSG_SPACE)
        stamp = None
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                stamp = seconds * 1_000_000_000 + nanoseconds
        self.buffer += data
        return data, stamp

    def frames(self):
        """The whole text frames in the buffer (a fragmented message is joined; pings are answered)."""
        texts, partial = [], self.partial
        buffer = self.buffer
        while len(buffer) >= 2:
            first, second = buffer[0], buffer[1]
            length, at = second & 0x7F, 2
            if length == 126:
                if len(buffer) < 4:
                    break
                length, at = struct.unpack(">H", buffer[2:4])[0], 4
            elif length == 127:
                if len(buffer) < 10:
                    break
                length, at = struct.unpack(">Q", buffer[2:10])[0], 10
            if len(buffer) < at + length:
                break
            payload, buffer = buffer[at:at + length], buffer[at + length:]
            opcode = first & 0x0F
            if opcode in (0, 1):
                partial += payload
                if first & 0x80:
                    texts.append(partial)
                    partial = b""
            elif opcode == 8:
                self.closed = payload
            elif opcode == 9:  # a ping: a client's pong is masked (with a zero mask here, which is allowed)
                self.sock.send(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
        self.buffer, self.partial = buffer, partial
        return texts


# ---------------------------------------------------------------------------------------------------------
# 4. The poster: raw HTTP/1.1 on one kept connection, its answers read by the same poll loop as the sockets.

class Poster:
    def __init__(self, token, path):
        self.path, self.token = path, token
        self.sock = socket.create_connection(("127.0.0.1", ARGS.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.buffer = b""
        self.waiting = []  # message numbers whose answers are still to come, in order

    def post(self, k):
        """Sends message k; returns the ns time taken just before its first byte is written."""
        sent = time.time_ns()
        body = json.dumps({"body": f"fanout {k} {sent}"}).encode()
        request = (f"POST {self.path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {self.token}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        self.sock.setblocking(True)  # a few hundred bytes: the kernel takes them at once
        self.sock.sendall(request)
        self.sock.setblocking(False)
        self.waiting.append(k)
        return sent

    def answers(self):
        """(k, status) of each complete answer read now."""
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return []
        if not data:
            raise RuntimeError("the host closed the poster's connection")
        self.buffer += data
        done = []
        while b"\r\n\r\n" in self.buffer:
            head, rest = self.buffer.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            if len(rest) < length:
                break
            self.buffer = rest[length:]
            done.append((self.waiting.pop(0), int(head.split(b" ", 2)[1])))
        return done


# ---------------------------------------------------------------------------------------------------------

def main():
    members, messages = ARGS.members, ARGS.messages
    accounts = sign_up_all(members + 1)
    owner_token = accounts[0][0]
    community = call("POST", "/communities", {"name": "Bench", "visibility": "public", "join_policy": "open"}, token=owner_token)["id"]
    channel = next(c["id"] for c in call("GET", f"/communities/{community}/channels", token=owner_token)["data"] if c["name"] == "general")

    # 2. Joins, 16 at a time; each one's latency too (a join is one transaction and one live event).
    def join(i):
        started = time.perf_counter_ns()
        call("POST", f"/communities/{community}/join", token=accounts[i][0], source=source_of(i))
        return time.perf_counter_ns() - started

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        joins = list(pool.map(join, range(1, members + 1)))
    took = time.monotonic() - started
    p50, _, p99, worst = spread_ms(joins)
    print(f"{members:,} joins in {took:.1f} s ({members / took:,.0f}/s, 16 at a time): p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.2f} ms",
          flush=True)

    # 3. The sockets, 32 handshakes at a time.
    rss_before = host_rss_mb()
    started = time.monotonic()
    live = f"/api/v1/communities/{community}/live"
    with ThreadPoolExecutor(32) as pool:
        sockets = list(pool.map(lambda i: Member(i, accounts[i + 1][0], live), range(members)))
    took = time.monotonic() - started
    time.sleep(1)
    rss_held = host_rss_mb()
    print(f"{members:,} live sockets open (each got ready) in {took:.1f} s: host RSS {rss_before:.0f} MB -> {rss_held:.0f} MB, "
          f"{(rss_held - rss_before) * 1024 * 1024 / members:,.0f} bytes per socket", flush=True)

    # 4. The posts.
    poll = select.epoll()
    by_fd = {m.sock.fileno(): m for m in sockets}
    for fd in by_fd:
        poll.register(fd, select.EPOLLIN)
    poster = Poster(owner_token, f"/api/v1/communities/{community}/channels/{channel}/messages")
    poll.register(poster.sock.fileno(), select.EPOLLIN)

    sent = {}                      # k -> ns before the POST
    answered = {}                  # k -> (status, ns the answer was read)
    got = [0] * messages           # k -> sockets that have it
    seen = set()                   # (k, member) already counted
    kernel, read, lag = [], [], []  # per delivery: POST -> kernel stamp, POST -> driver's read, stamp -> read (ns)
    per_message_last = {}          # k -> the latest kernel stamp among its deliveries
    duplicates = unstamped = unexpected = 0
    body_pattern = re.compile(r"fanout (\d+) (\d+)")

    host_cpu0, driver_cpu0, cores0 = host_cpu_s(), time.process_time(), cores_busy_s()
    wall0 = time.monotonic()
    next_k = 0
    while True:
        now = time.monotonic()
        # Post the next message when its time has come: the previous one everywhere (and answered), or the
        # rate's slot; a message that has not reached everyone after DELIVERY_TIMEOUT_S is given up.
        if next_k < messages:
            if ARGS.rate > 0:
                due = now >= wall0 + next_k / ARGS.rate
            else:
                last = next_k - 1
                due = next_k == 0 or (last in answered and got[last] == members) or \
                    time.time_ns() - sent[last] > DELIVERY_TIMEOUT_S * 1e9
            if due:
                sent[next_k] = poster.post(next_k)
                next_k += 1
        elif all(g == members for g in got) and len(answered) == messages:
            break
        elif time.time_ns() - sent[messages - 1] > DELIVERY_TIMEOUT_S * 1e9:
            break
        timeout = 0.001 if ARGS.rate > 0 else 0.1
        for fd, _ in poll.poll(timeout):
            if fd == poster.sock.fileno():
                for k, status in poster.answers():
                    answered[k] = (status, time.time_ns())
                continue
            member = by_fd[fd]
            try:
                data, stamp = member.read()
            except BlockingIOError:
                continue
            read_at = time.time_ns()
            if not data:
                poll.unregister(fd)
                print(f"member {member.index}: the host closed the socket (close frame {member.closed!r})", flush=True)
                continue
            for text in member.frames():
                event = json.loads(text)
                if event.get("type") != "event" or event.get("event") != "message.created":
                    unexpected += 1
                    continue
                k, at = map(int, body_pattern.fullmatch(event["data"]["body"]).groups())
                if (k, member.index) in seen:
                    duplicates += 1
                    continue
                seen.add((k, member.index))
                got[k] += 1
                read.append(read_at - at)
                if stamp is None:
                    unstamped += 1
                    continue
                kernel.append(stamp - at)
                lag.append(read_at - stamp)
                per_message_last[k] = max(per_message_last.get(k, 0), stamp)
    wall = time.monotonic() - wall0
    host_cpu, driver_cpu = host_cpu_s() - host_cpu0, time.process_time() - driver_cpu0
    core0, core1 = (after - before for after, before in zip(cores_busy_s(), cores0))
    rss_after = host_rss_mb()

    expected = members * messages
    delivered = len(seen)
    statuses = {}
    for status, _ in answered.values():
        statuses[status] = statuses.get(status, 0) + 1
    post_answer = [answered[k][1] - sent[k] for k in answered]
    all_reached = [per_message_last[k] - sent[k] for k in per_message_last if got[k] == members]

    mode = f"{ARGS.rate:g} posts/s" if ARGS.rate > 0 else "one at a time (each once the last has reached every socket)"
    print(f"\n{messages} messages to {members:,} sockets, {mode}, in {wall:.1f} s ({messages / wall:.1f} messages/s, "
          f"{delivered / wall:,.0f} deliveries/s)")
    print(f"deliveries: {delivered:,} of {expected:,}, missing {expected - delivered:,}, duplicates {duplicates}, "
          f"other frames {unexpected}, without a kernel stamp {unstamped}; POST answers {statuses}")
    rows = [("delivery, POST -> member's socket (kernel)", kernel), ("delivery, POST -> the driver read it", read),
            ("driver lag, kernel stamp -> read", lag), ("message, POST -> its last socket (kernel)", all_reached),
            ("POST answered (201)", post_answer)]
    print(f"  {'':<44} p50 / p90 / p99 / max (ms)")
    for label, samples in rows:
        if samples:
            print(f"  {label:<44} {fmt(spread_ms(samples))}")
    print(f"host: CPU {host_cpu:.2f} s over {wall:.1f} s ({host_cpu / wall:.0%} of core 0), {host_cpu / messages * 1e3:.2f} ms per message, "
          f"{host_cpu / max(delivered, 1) * 1e6:.1f} µs per delivery; RSS {rss_held:.0f} MB -> {rss_after:.0f} MB")
    print(f"driver: CPU {driver_cpu:.2f} s over {wall:.1f} s ({driver_cpu / wall:.0%} of core 1), "
          f"{driver_cpu / max(delivered, 1) * 1e6:.1f} µs per delivery")
    # Loopback's receive side runs in softirq on core 0 and may be counted there rather than to the host;
    # much more than that beside the host and the driver means other work shared the cores.
    print(f"cores: 0 busy {core0 / wall:.0%} (host {host_cpu / wall:.0%}), 1 busy {core1 / wall:.0%} (driver {driver_cpu / wall:.0%}); "
          f"load average {open('/proc/loadavg').read().split()[0]}")
    if core0 - host_cpu > 0.1 * wall or core1 - driver_cpu > 0.1 * wall:
        print("WARNING: other work used cores 0-1 during the posts (more than 10% of a core): these figures are not clean")
    if kernel and all_reached:
        p99, last99 = spread_ms(kernel)[2], spread_ms(all_reached)[2]
        met = p99 < TARGET_MS and delivered == expected
        print(f"target (p99 < {TARGET_MS:.0f} ms, every member reached): delivery p99 {p99:.2f} ms = {p99 / TARGET_MS:.2f}x the target, "
              f"{'met' if met else 'NOT met'}; the last socket of a message p99 {last99:.2f} ms = {last99 / TARGET_MS:.2f}x")
    for m in sockets:
        m.sock.close()
    return 0 if delivered == expected else 1


if __name__ == "__main__":
    sys.exit(main())
