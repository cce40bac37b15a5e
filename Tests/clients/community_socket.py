"""Speaks a community's live WebSocket (`/api/v1/communities/{id}/live`) with the `websockets` library
(Debian python3-websockets) as two members' apps would, and prints one JSON object of what it saw.

Usage: community_socket.py BASE_URL COMMUNITY_ID OWNER_TOKEN A_TOKEN A_USER_ID B_TOKEN B_USER_ID OUTSIDER_TOKEN

A and B are plain members; the owner runs the community. A is listed in a private channel ("secret"),
B is not. What it does, in order (the Swift test, CommunityLiveTests, asserts on the output):

1. An outsider's handshake is refused (403). A and B connect without `after` and get `ready`.
2. The burst: three posters (owner, A, B) post 40 messages each into #general, and A posts 20 into #secret,
   from threads at once. Midway A's TCP connection is cut (no close frame), posts go on while A is away,
   and A reconnects with `?after=` the last seq it received while the posts are still going. A closing
   message (seq S1) tells both clients the burst is over.
3. Replays: `?after=` the first ready's seq gives each member exactly what they saw live (A's through its
   cut), then ready at the latest seq; `?after=` a seq in the middle, exactly the later ones.
4. Edits, a delete, reactions, in #general and in #secret, then a closing message (S2). Before them a
   second private channel is made without A, then A is listed in it: A must learn of it then, B never
   (A's socket may also be sent its creation, when that reaches the socket after A was listed).
   A replay after S1 gives B exactly what it saw; A also #secret-2's creation (it may see it now).
5. The owner removes B: B's socket gets `member.removed` and closes with 4403; B's handshake is then 403.

Every wait gives up only after 60 s without progress (the CI machine is slow and busy); one that does is
named in `timeouts` rather than aborting, so the test still gets everything else that was seen.
"""
import asyncio
import json
import sys
import threading
import traceback
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import websockets

base, community = sys.argv[1].rstrip("/"), sys.argv[2]
owner_token, a_token, a_id, b_token, b_id, outsider_token = sys.argv[3:9]
ws_base = "ws://" + base.split("://", 1)[1]
api = f"/api/v1/communities/{community}"
# websockets 14 renamed the handshake's header argument (and its legacy client keeps the old name).
HEADERS = "additional_headers" if int(websockets.__version__.split(".")[0]) >= 14 else "extra_headers"
WAIT = 60  # seconds, for every condition

POSTERS = 3           # into #general: the owner, A and B
PER_POSTER = 40
SECRET_POSTS = 20     # A into #secret
GATE_AT = 15          # each general poster waits here (the secret one at 8) until A's connection is cut
SECRET_GATE_AT = 8
DROP_AFTER = 20       # A's connection is cut once it has this many message.created
AWAY_POSTS = 10       # posts made while A is away, before it reconnects

seen = {"timeouts": []}


def call(method, path, token, body=None):
    request = urllib.request.Request(base + api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"content-type": "application/json", "authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            data = answer.read()
            return json.loads(data) if data else None
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None


async def until(condition, what, progress=lambda: None, seconds=WAIT):
    """Waits for `condition`; False (and `what` noted in timeouts) when `seconds` pass first without
    `progress()` changing (a slow machine that still moves gets the time it needs)."""
    loop = asyncio.get_running_loop()
    deadline, last = loop.time() + seconds, progress()
    while not condition():
        if progress() != last:
            deadline, last = loop.time() + seconds, progress()
        if loop.time() > deadline:
            seen["timeouts"].append(what)
            return False
        await asyncio.sleep(0.05)
    return True


def connect(token, after=None):
    url = f"{ws_base}{api}/live" + ("" if after is None else f"?after={after}")
    return websockets.connect(url, open_timeout=WAIT, close_timeout=10, ping_timeout=WAIT, max_size=2 ** 24,
                              **{HEADERS: {"Authorization": "Bearer " + token}})


def refusal(error):
    """The HTTP status of a refused handshake, whichever websockets raised it."""
    if hasattr(error, "status_code"):
        return error.status_code
    return getattr(getattr(error, "response", None), "status_code", None)


def close_code(closed):
    received = getattr(closed, "rcvd", None)
    return received.code if received is not None else getattr(closed, "code", 1006)


async def handshake_status(token):
    try:
        async with connect(token) as socket:
            await asyncio.wait_for(socket.recv(), WAIT)
            return 101
    except websockets.exceptions.InvalidHandshake as error:
        return refusal(error)


class Member:
    """One member's app: every event its sockets delivered, in arrival order, across reconnects."""

    def __init__(self, name, token):
        self.name, self.token = name, token
        self.events = []      # the event frames, as sent
        self.readies = []     # {"after", "last_seq", "replayed"} per connection
        self.last = None      # the seq of the last event (or ready) received: what a reconnect resumes after
        self.socket = None
        self.task = None
        self.closed = None    # the close code when the server closed the socket
        self.drop_after = None  # cut the connection once this many message.created arrived
        self.dropped = asyncio.Event()
        self.cut = False      # this connection was cut by us (its end is not the server's close)

    def seqs(self):
        return [e["seq"] for e in self.events]

    def created(self):
        return [e for e in self.events if e["event"] == "message.created"]

    async def connect(self, after=None):
        """Opens a socket, reads the replay through `ready`, then listens in a task."""
        self.socket = await connect(self.token, after)
        self.cut = False
        replayed = 0
        while True:
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), WAIT))
            if frame["type"] == "ready":
                self.readies.append({"after": after, "last_seq": frame["last_seq"], "replayed": replayed})
                if self.last is None or frame["last_seq"] > self.last:
                    self.last = frame["last_seq"]
                break
            self.take(frame)
            replayed += 1
        self.task = asyncio.create_task(self.listen())

    def take(self, frame):
        if frame["type"] == "event":
            self.events.append(frame)
            self.last = frame["seq"]
        else:
            seen.setdefault("unexpected_frames", []).append([self.name, frame])

    async def listen(self):
        try:
            while True:
                self.take(json.loads(await self.socket.recv()))
                if self.drop_after is not None and len(self.created()) >= self.drop_after and not self.dropped.is_set():
                    # Cut the TCP connection as a lost network does: no close frame, nothing more read. Frames
                    # the library already read are still taken; the reconnect resumes after the last of them.
                    self.cut = True
                    self.socket.transport.abort()
                    self.dropped.set()
        except websockets.exceptions.ConnectionClosed as closed:
            if not self.cut:
                self.closed = close_code(closed)

    async def close(self):
        await self.socket.close()
        await self.task


async def replay(token, after):
    """A fresh socket's replay after `after`: the events before ready, and ready's last_seq."""
    async with connect(token, after) as socket:
        events = []
        while True:
            frame = json.loads(await asyncio.wait_for(socket.recv(), WAIT))
            if frame["type"] == "ready":
                return events, frame["last_seq"]
            events.append(frame)


def summary(event, channels, bodies):
    """An event as the test names it: [type, channel name, what changed], with people as "A"/"B" and
    messages by the text they were posted with."""
    data = event["data"]
    names = {a_id: "A", b_id: "B"}
    channel = channels.get(event["channel_id"] or data.get("channel_id"))
    what = {
        "message.created": lambda: data["body"],
        "message.edited": lambda: [bodies.get(data["id"]), data["body"]],
        "message.deleted": lambda: bodies.get(data["id"]),
        "reaction.added": lambda: [bodies.get(data["message_id"]), data["emoji"], data["count"], names.get(data["user_id"])],
        "channel.created": lambda: data["name"],
        "channel.members_changed": lambda: [names.get(u, u) for u in data["added"]],
        "member.removed": lambda: names.get(data["user_id"], data["user_id"]),
    }.get(event["event"], lambda: None)()
    return [event["event"], channel, what]


def increasing(seqs):
    return all(a < b for a, b in zip(seqs, seqs[1:]))


async def main():
    loop = asyncio.get_running_loop()
    general = next(c["id"] for c in call("GET", "/channels", owner_token)["data"] if c["name"] == "general")

    # 1. Only members may listen.
    seen["outsider_handshake"] = await handshake_status(outsider_token)

    a, b = Member("A", a_token), Member("B", b_token)
    await a.connect()
    await b.connect()
    seen["ready"] = [a.readies[0]["last_seq"], b.readies[0]["last_seq"]]
    start = a.readies[0]["last_seq"]

    secret = call("POST", "/channels", owner_token, {"name": "secret", "private": True, "member_ids": [a_id]})["id"]
    channels = {general: "general", secret: "secret"}

    # 2. The burst. Posters wait at the gate until A's connection is cut, so the cut happens mid-burst and
    # the posts after it reach A only through the reconnect's replay or live after it.
    lock = threading.Lock()
    posted = {"general": [], "secret": [], "count": 0}
    a_cut = threading.Event()
    wrong = []

    def poster(token, channel, label, count, gate_at):
        for n in range(count):
            if n == gate_at:
                a_cut.wait(WAIT * 10)  # set once A is cut, or when main gives up (finally, below)
            body = f"{label} {n}"
            message = call("POST", f"/channels/{channel}/messages", token, {"body": body})
            if not (isinstance(message["id"], int) and message["body"] == body and message["channel_id"] == channel):
                wrong.append(message)
            with lock:
                posted[channels[channel]].append(message["id"])
                posted["count"] += 1

    def progress():
        return posted["count"], len(a.events), len(b.events)

    a.drop_after = DROP_AFTER
    with ThreadPoolExecutor(max_workers=POSTERS + 1) as pool:
        posts = [loop.run_in_executor(pool, poster, token, general, label, PER_POSTER, GATE_AT)
                 for token, label in [(owner_token, "owner"), (a_token, "a"), (b_token, "b")]]
        posts.append(loop.run_in_executor(pool, poster, a_token, secret, "hush", SECRET_POSTS, SECRET_GATE_AT))
        try:
            if await until(a.dropped.is_set, "A had DROP_AFTER messages to be cut after", progress):
                await asyncio.wait_for(a.task, WAIT)  # takes what the library had read, then sees the cut
                with lock:
                    posted_at_cut = posted["count"]
                a_cut.set()
                await until(lambda: posted["count"] >= posted_at_cut + AWAY_POSTS, "posts while A was away", progress)
                seen["a_cut_after_seq"] = a.last
                a.drop_after = None
                await a.connect(after=a.last)
        finally:
            a_cut.set()  # never leave the posters waiting (the pool's end waits for them)
        for done in asyncio.as_completed(posts):
            await done
    seen["a_reconnect"] = a.readies[1:] if len(a.readies) > 1 else None
    seen["posting_errors"] = wrong

    end_of_burst = call("POST", f"/channels/{general}/messages", owner_token, {"body": "end of burst"})["id"]
    await until(lambda: end_of_burst in a.seqs(), "A saw the end of the burst", progress)
    await until(lambda: end_of_burst in b.seqs(), "B saw the end of the burst", progress)

    def created_in(member, channel):
        return [e["seq"] for e in member.created() if e["channel_id"] == channel]

    seen["posted_general"] = sorted(posted["general"]) + [end_of_burst]
    seen["posted_secret"] = sorted(posted["secret"])
    seen["a_general"] = created_in(a, general)
    seen["b_general"] = created_in(b, general)
    seen["a_secret"] = created_in(a, secret)

    # What each saw of the burst, in order: B's is A's without #secret's (B is not listed there).
    seen["a_seqs_increasing"] = increasing(a.seqs())
    seen["b_seqs_increasing"] = increasing(b.seqs())
    seen["a_count"], seen["b_count"] = len(a.events), len(b.events)
    seen["b_is_a_without_private"] = same_without_private(a, b, {secret})

    # A replay gives exactly what was seen live after the seq given (the whole burst, through A's cut),
    # then ready at the latest seq; one from the middle of the burst, exactly the later ones.
    middle = seen["posted_general"][len(seen["posted_general"]) // 2]
    for member in (a, b):
        name = member.name.lower()
        events, last_seq = await replay(member.token, start)
        seen[f"{name}_replay_is_live"] = events == member.events
        seen[f"{name}_replay_ready"] = [last_seq, member.last]
        later, _ = await replay(member.token, middle)
        seen[f"{name}_replay_from_middle_is_live"] = later == [e for e in member.events if e["seq"] > middle] and len(later) > 0

    # 3. Edits, a delete and reactions, public and private, in this order. A second private channel is
    # made without A, then A is listed in it: A learns of it then (not at its creation); B never does.
    secret2 = call("POST", "/channels", owner_token, {"name": "secret-2", "private": True})["id"]
    channels[secret2] = "secret-2"
    call("POST", f"/channels/{secret2}/members", owner_token, {"add": [a_id]})
    call("POST", f"/channels/{secret2}/messages", a_token, {"body": "welcome"})
    owner_posts = [e["seq"] for e in b.created() if e["data"]["body"].startswith("owner ")]
    call("PATCH", f"/channels/{general}/messages/{owner_posts[0]}", owner_token, {"body": "owner 0, edited"})
    call("PUT", f"/channels/{general}/messages/{owner_posts[1]}/reactions/{urllib.parse.quote('👍', safe='')}", a_token)
    call("DELETE", f"/channels/{general}/messages/{owner_posts[2]}", owner_token)
    hush = posted["secret"][0]
    call("PATCH", f"/channels/{secret}/messages/{hush}", a_token, {"body": "hush 0, edited"})
    call("PUT", f"/channels/{secret}/messages/{hush}/reactions/{urllib.parse.quote('🎉', safe='')}", a_token)
    end_of_changes = call("POST", f"/channels/{general}/messages", owner_token, {"body": "end of changes"})["id"]
    await until(lambda: end_of_changes in a.seqs(), "A saw the end of the changes", progress)
    await until(lambda: end_of_changes in b.seqs(), "B saw the end of the changes", progress)

    bodies = {e["seq"]: e["data"]["body"] for e in a.created()}
    seen["a_changes"] = [summary(e, channels, bodies) for e in a.events if e["seq"] > end_of_burst]
    seen["b_changes"] = [summary(e, channels, bodies) for e in b.events if e["seq"] > end_of_burst]
    seen["a_seqs_increasing"] = seen["a_seqs_increasing"] and increasing(a.seqs())
    seen["b_seqs_increasing"] = seen["b_seqs_increasing"] and increasing(b.seqs())
    private = {secret, secret2}
    seen["b_private"] = [e for e in b.events if e["channel_id"] in private or e["data"].get("channel_id") in private]
    seen["b_is_a_without_private"] = seen["b_is_a_without_private"] and same_without_private(a, b, private)
    # A replay answers by what the member may see now: A, listed in #secret-2 since, is replayed its creation.
    later, _ = await replay(a.token, end_of_burst)
    seen["a_replay_of_changes"] = [summary(e, channels, bodies) for e in later]
    later, _ = await replay(b.token, end_of_burst)
    seen["b_replay_of_changes_is_live"] = later == [e for e in b.events if e["seq"] > end_of_burst]

    # 4. B is removed: told, then the socket closes with 4403; A is told too and stays connected.
    seen_before = len(b.events)
    call("DELETE", f"/members/{b_id}", owner_token)
    await until(lambda: b.task.done(), "B's socket closed after the removal")
    await until(lambda: any(e["event"] == "member.removed" for e in a.events), "A saw B's removal")
    seen["b_after_removal"] = [summary(e, channels, bodies) for e in b.events[seen_before:]]
    seen["b_close_code"] = b.closed
    seen["a_saw_removal"] = [summary(e, channels, bodies) for e in a.events if e["event"] == "member.removed"]
    seen["a_still_open"] = not a.task.done()
    seen["b_handshake_after_removal"] = await handshake_status(b_token)
    await a.close()


def same_without_private(a, b, private):
    """Whether B saw exactly A's events, in A's order, less those about the private channels."""
    def public(e):
        return e["channel_id"] not in private and e["data"].get("channel_id") not in private
    return [[e["seq"], e["event"]] for e in b.events] == [[e["seq"], e["event"]] for e in a.events if public(e)]


try:
    asyncio.run(main())
except Exception:
    seen["error"] = traceback.format_exc()
print(json.dumps(seen))
