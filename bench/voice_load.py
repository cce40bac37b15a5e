"""The voice-agent benchmark's driver (bench/voice.sh runs it): plays Twilio's ConversationRelay against a
running host whose voice agent asks Tests/clients/openai_stub.py, and measures

- the reference: the stub model asked directly, TURNS streaming requests, TURN_SESSIONS at a time (what no
  answer through the host can beat): request -> first piece, and -> first words (the first non-empty
  content, the piece the agent can speak);
- turns: TURN_SESSIONS calls at once, each a signed POST /voice/incoming (its own CallSid), the
  ConversationRelay URL from the TwiML, the signed WebSocket, setup, then its share of TURNS prompts one
  after the other, each read to last:true; the host's own figures from GET /voice/status (prompt received ->
  first words written, the model's request -> first piece, the difference: the agent's overhead), read
  before and after, with the client's prompt sent -> first text frame as a cross-check;
- sessions: SESSIONS calls opened at once (webhook, signed socket, setup, one prompt answered), all held
  open together, the host's RSS (/proc/PID/status) before and while they are open.

Setup (an account's API key comes from the caller): PUT /api/v1/sms/settings (Twilio, a made-up account
and token: nothing is sent to Twilio) and POST /api/v1/voice/numbers. Any setup step answered unexpectedly
stops the run (exit 2) with the server's answer; a session that fails, an answer that is not the stub's,
or turns the host did not count stop it with exit 1. Missing the target does not: the summary says so.

Usage: voice_load.py --base http://127.0.0.1:PORT --key API_KEY --pid HOST_PID --llm-url http://127.0.0.1:P/v1
                     --llm-key KEY [--llm-model M] [--turns 1000] [--turn-sessions 20] [--sessions 1000]
                     [--first-token-ms 200] [--open-concurrency 100] [--expect-answer TEXT]
"""
import argparse
import asyncio
import base64
import concurrent.futures
import hashlib
import hmac
import http.client
import json
import math
import secrets
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

import websockets

TIMEOUT = 60
WS_MAJOR = int(websockets.__version__.split(".")[0])
TARGET_P99_MS = 5.0

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--base", required=True, help="the host, http://127.0.0.1:PORT")
parser.add_argument("--key", required=True, help="an API key (admin) of a fresh account")
parser.add_argument("--pid", required=True, type=int, help="the host's process, for its RSS")
parser.add_argument("--llm-url", required=True, help="the stub model's base URL, http://127.0.0.1:P/v1")
parser.add_argument("--llm-key", required=True)
parser.add_argument("--llm-model", default="bench-model")
parser.add_argument("--turns", type=int, default=1000)
parser.add_argument("--turn-sessions", type=int, default=20)
parser.add_argument("--sessions", type=int, default=1000)
parser.add_argument("--first-token-ms", type=float, default=200, help="the stub's STUB_FIRST_TOKEN_MS")
parser.add_argument("--open-concurrency", type=int, default=100, help="calls being set up at once in the sessions phase")
parser.add_argument("--expect-answer", default="Hello there, how can I help?",
                    help="what every answer must say (the stub's); empty: not checked")
args = parser.parse_args()

base = args.base.rstrip("/")
host_port = urllib.parse.urlsplit(base).netloc
ACCOUNT = "AC" + secrets.token_hex(16)
AUTH_TOKEN = secrets.token_hex(16)
NUMBER, CALLER = "+12025550180", "+12025550181"
PROMPT = "What are your opening hours?"


def die(message, code=2):
    print(f"FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def say(text):
    print(text, flush=True)


# --- HTTP (setup, webhooks, status) -------------------------------------------------------------------

def request(method, path, body=None, headers=None):
    """(status, body bytes); the whole URL's path below base."""
    connection = http.client.HTTPConnection(host_port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body, headers or {})
        answer = connection.getresponse()
        return answer.status, answer.read()
    except (OSError, http.client.HTTPException) as error:
        raise RuntimeError(f"{method} {base}{path}: {type(error).__name__}: {error}") from None
    finally:
        connection.close()


def api(method, path, body, expect):
    try:
        status, data = request(method, "/api/v1" + path, json.dumps(body),
                               {"content-type": "application/json", "authorization": "Bearer " + args.key})
    except RuntimeError as error:
        die(str(error))
    if status != expect:
        die(f"{method} /api/v1{path}: expected {expect}, the server answered {status}: {data[:2000].decode('utf-8', 'replace')}")
    return json.loads(data or b"null")


def voice_status():
    try:
        status, data = request("GET", "/voice/status")
    except RuntimeError as error:
        die(str(error), 1)
    if status != 200:
        die(f"GET /voice/status: {status} {data[:2000].decode('utf-8', 'replace')}", 1)
    answer = json.loads(data)
    turns = answer.get("turns")
    if not isinstance(turns, dict) or not all(isinstance(turns.get(k), dict) for k in ("overhead_ms", "first_token_ms", "model_first_token_ms")):
        die(f"GET /voice/status has no turns {{count, overhead_ms, first_token_ms, model_first_token_ms}}: {answer}", 1)
    return answer


def sign(url, params, token):
    """Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token, url + key+value for params sorted by key))."""
    data = url + "".join(key + value for key, value in sorted(params.items()))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def incoming(call_sid):
    """The signed incoming-call webhook -> (ConversationRelay URL, its Parameters)."""
    url = base + "/voice/incoming"
    form = {"CallSid": call_sid, "AccountSid": ACCOUNT, "From": CALLER, "To": NUMBER, "CallStatus": "ringing",
            "Direction": "inbound", "CallerName": "Bench Caller"}
    status, data = request("POST", "/voice/incoming", urllib.parse.urlencode(form),
                           {"content-type": "application/x-www-form-urlencoded", "user-agent": "TwilioProxy/1.1",
                            "x-twilio-signature": sign(url, form, AUTH_TOKEN)})
    text = data.decode("utf-8", "replace")
    try:
        relay = ET.fromstring(text).find("Connect/ConversationRelay") if status == 200 else None
    except ET.ParseError:
        relay = None
    if relay is None or not relay.get("url"):
        raise RuntimeError(f"POST /voice/incoming ({call_sid}): {status}, no ConversationRelay url: {text[:1000]}")
    return relay.get("url"), {p.get("name"): p.get("value") for p in relay.findall("Parameter")}


def rss_kb():
    """(VmRSS, RssAnon) of the host in KiB."""
    values = {}
    with open(f"/proc/{args.pid}/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "RssAnon"):
                values[name] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("RssAnon", 0)


def percentile(values, p):
    """Nearest rank, as the host computes it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(len(ordered) * p) - 1))] if ordered else float("nan")


def p50_p99(values):
    return percentile(values, 0.5), percentile(values, 0.99)


# --- The relay socket ---------------------------------------------------------------------------------

def connect(url):
    options = dict(open_timeout=TIMEOUT, close_timeout=10, compression=None, max_size=2 ** 20, ping_interval=None)
    headers = {"X-Twilio-Signature": sign(url, {}, AUTH_TOKEN)}
    if WS_MAJOR >= 14:
        options["additional_headers"] = headers
    else:
        options["extra_headers"] = headers
    return websockets.connect(url, **options)


def setup_frame(call_sid, parameters):
    return json.dumps({"type": "setup", "sessionId": "VX" + secrets.token_hex(16), "accountSid": ACCOUNT, "callSid": call_sid,
                       "from": CALLER, "to": NUMBER, "direction": "inbound", "callStatus": "RINGING",
                       "customParameters": parameters})


async def ask(socket, text):
    """Sends a prompt and reads text frames to last:true -> (ms to the first text frame, the answer)."""
    started = time.perf_counter()
    await socket.send(json.dumps({"type": "prompt", "voicePrompt": text, "lang": "en-US", "last": True}))
    first, tokens = None, []
    while True:
        raw = await asyncio.wait_for(socket.recv(), TIMEOUT)
        frame = json.loads(raw) if isinstance(raw, str) else {"binary": len(raw)}
        if frame.get("type") != "text":
            raise RuntimeError(f"a {frame.get('type')!r} frame while answering {text!r}: {str(frame)[:500]}")
        if first is None:
            first = time.perf_counter()
        tokens.append(frame.get("token", ""))
        if frame.get("last") is True:
            answer = "".join(tokens).strip()
            if args.expect_answer and answer != args.expect_answer:
                raise RuntimeError(f"the answer to {text!r} was {answer!r}, not the stub model's {args.expect_answer!r}")
            return (first - started) * 1000, answer


async def open_call(pool):
    """A new call: webhook, signed socket, setup -> (call sid, socket)."""
    call_sid = "CA" + secrets.token_hex(16)
    url, parameters = await asyncio.get_running_loop().run_in_executor(pool, incoming, call_sid)
    socket = await connect(url)
    await socket.send(setup_frame(call_sid, parameters))
    return call_sid, socket


# --- Phases -------------------------------------------------------------------------------------------

async def reference(count, concurrency):
    """The stub asked directly, keep-alive connections: -> ([ms to first piece], [ms to first words])."""
    target = urllib.parse.urlsplit(args.llm_url)
    path = target.path.rstrip("/") + "/chat/completions"
    pieces, words = [], []
    shares = [count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)]

    async def worker(n):
        reader, writer = await asyncio.open_connection(target.hostname, target.port)
        try:
            for _ in range(n):
                body = json.dumps({"model": args.llm_model, "stream": True, "messages": [
                    {"role": "system", "content": "You are a friendly phone assistant."},
                    {"role": "user", "content": PROMPT}]}).encode()
                started = time.perf_counter()
                writer.write((f"POST {path} HTTP/1.1\r\nHost: {target.netloc}\r\nContent-Type: application/json\r\n"
                              f"Accept: text/event-stream\r\nAuthorization: Bearer {args.llm_key}\r\n"
                              f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
                await writer.drain()
                status = int((await reader.readline()).split()[1])
                headers = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                if status != 200 or "chunked" not in headers.get("transfer-encoding", ""):
                    data = await reader.read(int(headers.get("content-length", "0") or 0))
                    die(f"the stub model answered {status} {headers}: {data[:500]!r}", 1)
                first_piece = first_words = None
                pending = b""
                while True:
                    size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        await reader.readline()
                        break
                    chunk = await reader.readexactly(size + 2)
                    now = time.perf_counter()
                    pending += chunk[:-2]
                    while b"\n\n" in pending:
                        event, pending = pending.split(b"\n\n", 1)
                        if not event.startswith(b"data: ") or event == b"data: [DONE]":
                            continue
                        if first_piece is None:
                            first_piece = now
                        choices = json.loads(event[6:]).get("choices") or []
                        if first_words is None and any((c.get("delta") or {}).get("content") for c in choices):
                            first_words = now
                if first_piece is None or first_words is None:
                    die("the stub model streamed no words", 1)
                pieces.append((first_piece - started) * 1000)
                words.append((first_words - started) * 1000)
        finally:
            writer.close()

    await asyncio.gather(*(worker(n) for n in shares if n))
    return pieces, words


async def turns_phase(pool, count, concurrency):
    """-> client-side ms from prompt sent to first text frame, one per turn."""
    samples = []
    shares = [count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)]

    async def call(n, share):
        call_sid, socket = await open_call(pool)
        try:
            for i in range(share):
                first, _ = await ask(socket, f"{PROMPT} ({n}.{i})")
                samples.append(first)
        finally:
            await socket.close()

    results = await asyncio.gather(*(call(n, share) for n, share in enumerate(shares) if share), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        die(f"{len(failed)} of {len(results)} calls failed in the turns phase; the first: {type(failed[0]).__name__}: {failed[0]}", 1)
    return samples


async def sessions_phase(pool, count):
    """-> (seconds to open and answer all, [first-text ms], RSS before, RSS open, RSS after closing, status while open)."""
    gate = asyncio.Semaphore(args.open_concurrency)
    sockets, firsts, errors = [], [], []

    async def call():
        try:
            async with gate:
                _, socket = await open_call(pool)
                sockets.append(socket)
            first, _ = await ask(socket, PROMPT)
            firsts.append(first)
        except Exception as error:  # noted, reported after every other call has had its chance
            errors.append(f"{type(error).__name__}: {error}")

    before = rss_kb()
    started = time.perf_counter()
    await asyncio.gather(*(call() for _ in range(count)))
    seconds = time.perf_counter() - started
    try:
        if errors:
            die(f"{len(errors)} of {count} calls failed in the sessions phase ({len(sockets)} sockets opened); "
                f"the first: {errors[0]}", 1)
        await asyncio.sleep(1)  # whatever the last answers left behind settles
        held = rss_kb()
        status = await asyncio.get_running_loop().run_in_executor(pool, voice_status)
        still_open = sum(1 for s in sockets if s.state.name == "OPEN")
        if still_open != count:
            die(f"only {still_open} of {count} sockets were still open after every call was answered", 1)
    finally:
        await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    await asyncio.sleep(2)
    return seconds, firsts, before, held, rss_kb(), status


def fmt(value):
    return f"{value:.2f}"


async def main():
    if args.turns < 1 or args.turn_sessions < 1 or args.sessions < 1:
        die("--turns, --turn-sessions and --sessions must be at least 1")
    # Setup: the workspace's Twilio account (its token signs the webhooks) and the number the agent answers.
    api("PUT", "/sms/settings", {"provider": "twilio", "account_sid": ACCOUNT, "auth_token": AUTH_TOKEN, "from_number": NUMBER}, 200)
    api("POST", "/voice/numbers", {"phone_number": NUMBER, "name": "Bench", "greeting": "Hi",
                                   "knowledge": [{"topic": "opening hours", "answer": "We are open from nine to five, Monday to Friday."}]}, 201)
    start = voice_status()
    if start["turns"]["count"] != 0:
        say(f"note: the host had already counted {start['turns']['count']} answers; its percentiles include them")
    pool = concurrent.futures.ThreadPoolExecutor(32)

    # The reference: the stub model alone, as many requests, as many at once.
    ref_pieces, ref_words = await reference(args.turns, args.turn_sessions)
    rp, rw = p50_p99(ref_pieces), p50_p99(ref_words)
    say(f"reference, the stub model asked directly ({args.turns:,} streamed requests, {args.turn_sessions} at a time, "
        f"STUB_FIRST_TOKEN_MS {args.first_token_ms:g}): first piece p50 {fmt(rp[0])} ms, p99 {fmt(rp[1])} ms; "
        f"first words p50 {fmt(rw[0])} ms, p99 {fmt(rw[1])} ms")

    # Turns.
    started = time.perf_counter()
    client = await turns_phase(pool, args.turns, args.turn_sessions)
    seconds = time.perf_counter() - started
    after = voice_status()
    counted = after["turns"]["count"] - start["turns"]["count"]
    if counted != args.turns:
        die(f"the host counted {counted} answers for {args.turns} turns: {after}", 1)
    turns = after["turns"]
    overhead, first_token, model = turns["overhead_ms"], turns["first_token_ms"], turns["model_first_token_ms"]
    cp = p50_p99(client)
    minus_stub = p50_p99([c - args.first_token_ms for c in client])
    say(f"turns: {args.turns:,} over {args.turn_sessions} calls at once in {seconds:.1f} s, every answer {args.expect_answer!r}"
        if args.expect_answer else f"turns: {args.turns:,} over {args.turn_sessions} calls at once in {seconds:.1f} s")
    say(f"  host: overhead (prompt received -> first words written, minus the model's first piece) p50 {fmt(overhead['p50'])} ms, "
        f"p99 {fmt(overhead['p99'])} ms, max {fmt(overhead['max'])} ms")
    say(f"  host: prompt -> first words p50 {fmt(first_token['p50'])} ms, p99 {fmt(first_token['p99'])} ms; "
        f"the model's request -> first piece p50 {fmt(model['p50'])} ms, p99 {fmt(model['p99'])} ms")
    say(f"  client: prompt sent -> first text frame p50 {fmt(cp[0])} ms, p99 {fmt(cp[1])} ms; minus {args.first_token_ms:g} ms: "
        f"p50 {fmt(minus_stub[0])} ms, p99 {fmt(minus_stub[1])} ms; minus the stub's own first words (reference): "
        f"p50 {fmt(cp[0] - rw[0])} ms, p99 {fmt(cp[1] - rw[1])} ms")

    # Sessions.
    opened, firsts, before, held, closed, status = await sessions_phase(pool, args.sessions)
    fp = p50_p99(firsts)
    per_session = (held[0] - before[0]) * 1024 / args.sessions
    per_session_anon = (held[1] - before[1]) * 1024 / args.sessions
    say(f"sessions: {args.sessions:,} calls opened and answered in {opened:.1f} s ({args.open_concurrency} being set up at once), "
        f"all held open; first words under that load p50 {fmt(fp[0])} ms, p99 {fmt(fp[1])} ms")
    say(f"  host RSS {before[0] / 1024:.1f} MiB -> {held[0] / 1024:.1f} MiB with all open: {per_session:,.0f} bytes per session "
        f"(anonymous memory {before[1] / 1024:.1f} -> {held[1] / 1024:.1f} MiB: {per_session_anon:,.0f} bytes per session); "
        f"{closed[0] / 1024:.1f} MiB after closing them")
    say(f"  /voice/status while open: live_calls {status.get('live_calls')}, sessions {status.get('sessions')}, "
        f"answers counted {status['turns']['count']}")
    if isinstance(status.get("live_calls"), (int, float)) and status["live_calls"] < args.sessions:
        say(f"  note: live_calls {status['live_calls']} < {args.sessions} sockets open")
    pool.shutdown()

    # Summary.
    p99 = overhead["p99"]
    verdict = "MET" if p99 < TARGET_P99_MS else "MISSED"
    say("")
    say("== voice agent: summary ==")
    say(f"agent overhead per turn, {args.turns:,} turns, model first token {args.first_token_ms:g} ms: p50 {fmt(overhead['p50'])} ms, "
        f"p99 {fmt(p99)} ms -> target p99 < {TARGET_P99_MS:g} ms {verdict} (p99 is {p99 / TARGET_P99_MS:.2f}x the target)")
    say(f"first words through the host vs the stub asked directly (client side, p50): {cp[0]:.1f} / {rw[0]:.1f} ms = {cp[0] / rw[0]:.3f}x")
    say(f"{args.sessions:,} concurrent call sessions: all answered; {per_session / 1024:,.1f} KiB RSS per session "
        f"({per_session_anon / 1024:,.1f} KiB anonymous); no target")
    say("")
    say("For bench/RESULTS.md:")
    say("| what | figure |")
    say("|---|---|")
    say(f"| agent overhead per turn (host: prompt received -> first words written, minus the model's request -> first piece), "
        f"{args.turns:,} turns over {args.turn_sessions} calls, stub model first token {args.first_token_ms:g} ms "
        f"| p50 {fmt(overhead['p50'])} ms, **p99 {fmt(p99)} ms** (target < {TARGET_P99_MS:g} ms: {verdict}, {p99 / TARGET_P99_MS:.2f}x), "
        f"max {fmt(overhead['max'])} ms |")
    say(f"| prompt -> first words (host) / the model's first piece (host) | p50 {fmt(first_token['p50'])} / {fmt(model['p50'])} ms, "
        f"p99 {fmt(first_token['p99'])} / {fmt(model['p99'])} ms |")
    say(f"| client: prompt sent -> first text frame, and the stub asked directly (reference, same run) "
        f"| p50 {fmt(cp[0])} vs {fmt(rw[0])} ms, p99 {fmt(cp[1])} vs {fmt(rw[1])} ms |")
    say(f"| {args.sessions:,} concurrent calls (signed webhook + relay socket + setup + one answer each), held open "
        f"| host RSS {before[0] / 1024:.0f} -> {held[0] / 1024:.0f} MiB: **{per_session:,.0f} bytes per session**; "
        f"first words p50 {fmt(fp[0])} ms, p99 {fmt(fp[1])} ms; opened in {opened:.1f} s |")


asyncio.run(main())
