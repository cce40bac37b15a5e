"""Plays Twilio against the host's voice agent: the incoming-call webhook, the ConversationRelay WebSocket,
the `<Connect action>` callback and the call status callback, all signed as Twilio signs them. Prints ONE
JSON object of what it saw; the Swift test asserts on it (this script only fails on unexpected exceptions).

Usage: voice_relay.py BASE_URL API_TOKEN ACCOUNT_SID AUTH_TOKEN NUMBER CALLER TRANSFER

Checks, in order: POST /voice/incoming unsigned and wrongly signed (403);
signed, the TwiML (Connect action, every ConversationRelay attribute, the Parameters); the relay's WebSocket
handshake without and with a bad X-Twilio-Signature (refused) and with a good one; setup; garbage frames
(not JSON, unknown type, no type, binary) leave the socket open; the knowledge answer streamed until
last:true; a prompt in another language is preceded by a `language` message; an interrupt after three tokens stops the answer (frames for 2 s after it are recorded); DTMF "1"
speaks the menu; a 2 MiB frame (limit 1 MiB) closes the socket (its close code is recorded); a reconnect
with the same callSid keeps the conversation; the tools lookup_caller ("Who am I?"), send_sms and
transfer_to_human (an `end` frame with handoffData); POST /voice/action signed (a <Dial>) and unsigned;
POST /voice/status-callback; GET /api/v1/calls/{callId}. Every receive has a timeout, so it never hangs.
"""
import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import websockets


def sign(url, params, token):
    """Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token, url + key+value for params sorted by key))."""
    items = params.items() if isinstance(params, dict) else params
    data = url + "".join(key + value for key, value in sorted(items))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


# The known answer from /work/shared/protocols.md.
assert sign("https://mycompany.com/myapp.php?foo=1&bar=2",
            {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234", "From": "+12349013030",
             "To": "+18005551212"}, "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="

TIMEOUT = 60
WS_MAJOR = int(websockets.__version__.split(".")[0])
seen = {"unexpected_frames": [], "errors": {}}
# Keys a failed step leaves unset still appear, as null.
seen.update(dict.fromkeys(("hours_answer", "interrupt_heard", "after_interrupt_frames", "menu_answer", "huge_close_code",
                           "who_answer", "sms_answer", "handoff_frames", "handoff_data", "call")))


def new_call_sid():
    return "CA" + secrets.token_hex(16)


def http(method, url, form=None, headers=None):
    """(status, content type, body text) of a request; HTTP errors are answers too."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    fields = {"content-type": "application/x-www-form-urlencoded"} if form is not None else {}
    fields.update(headers or {})
    request = urllib.request.Request(url, method=method, data=data, headers=fields)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status, answer.headers.get("content-type"), answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type"), error.read().decode("utf-8", "replace")


def twilio_post(url, form, signature="good"):
    """POST a form as Twilio does; signature is "good", "bad" (wrong token) or None (no header)."""
    headers = {"user-agent": "TwilioProxy/1.1"}
    if signature == "good":
        headers["x-twilio-signature"] = sign(url, form, auth_token)
    elif signature == "bad":
        headers["x-twilio-signature"] = sign(url, form, auth_token + "x")
    return http("POST", url, form, headers)


def connect(url, headers):
    options = dict(open_timeout=TIMEOUT, close_timeout=10, compression=None, max_size=2 ** 22)
    if WS_MAJOR >= 14:
        options["additional_headers"] = headers
    else:
        options["extra_headers"] = headers
    return websockets.connect(url, **options)


def close_info(closed):
    rcvd = getattr(closed, "rcvd", None)
    return {"code": rcvd.code if rcvd else 1006, "reason": rcvd.reason if rcvd else None}


async def refused(url, headers):
    """What a handshake gets: {"refused": bool, "status": HTTP status or None, "detail": ...}."""
    try:
        async with connect(url, headers) as socket:
            try:
                frame = await asyncio.wait_for(socket.recv(), 5)
                return {"refused": False, "status": 101, "detail": f"accepted, then sent {frame!r}"[:300]}
            except asyncio.TimeoutError:
                return {"refused": False, "status": 101, "detail": "accepted and kept open"}
            except websockets.ConnectionClosed as closed:
                return {"refused": False, "status": 101, "detail": f"accepted, then closed {close_info(closed)['code']}"}
    except websockets.ConnectionClosed as closed:
        return {"refused": False, "status": 101, "detail": f"closed {close_info(closed)['code']}"}
    except websockets.InvalidHandshake as error:
        status = getattr(error, "status_code", None)
        if status is None and getattr(error, "response", None) is not None:
            status = getattr(error.response, "status_code", None)
        return {"refused": True, "status": status, "detail": f"{type(error).__name__}: {error}"[:300]}
    except (OSError, asyncio.TimeoutError, EOFError) as error:
        return {"refused": True, "status": None, "detail": f"{type(error).__name__}: {error}"[:300]}


async def next_frame(socket, timeout=TIMEOUT):
    raw = await asyncio.wait_for(socket.recv(), timeout)
    if isinstance(raw, bytes):
        return {"binary": len(raw)}
    try:
        return json.loads(raw)
    except ValueError:
        return {"not_json": raw[:300]}


async def drain(socket, seconds):
    """Every frame arriving within `seconds`; stops early if the socket closes (noted as a "closed" entry)."""
    frames = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            frames.append(await next_frame(socket, left))
        except asyncio.TimeoutError:
            break
        except websockets.ConnectionClosed as closed:
            frames.append({"closed": close_info(closed)})
            break
    return frames


async def answer(socket, step):
    """Text frames until one with last:true: (tokens, frames). Others go to unexpected_frames."""
    tokens, frames = [], []
    while True:
        frame = await next_frame(socket)
        frames.append(frame)
        if frame.get("type") != "text":
            seen["unexpected_frames"].append({"step": step, "frame": frame})
            continue
        if frame.get("last") is True:
            return tokens, frames
        tokens.append(frame.get("token", ""))


def setup_frame(session_id, call_sid, parameters):
    return json.dumps({"type": "setup", "sessionId": session_id, "accountSid": account_sid, "callSid": call_sid,
                       "from": caller, "to": number, "direction": "inbound", "callStatus": "RINGING",
                       "customParameters": parameters})


def prompt(text, lang="en-US"):
    return json.dumps({"type": "prompt", "voicePrompt": text, "lang": lang, "last": True})


async def step(name, work):
    """Runs one step; a timeout or a closed socket is an observation, recorded under errors[name]."""
    try:
        return await work
    except asyncio.TimeoutError:
        seen["errors"][name] = "timeout"
    except websockets.ConnectionClosed as closed:
        seen["errors"][name] = f"connection closed {close_info(closed)}"
    except websockets.InvalidHandshake as error:
        seen["errors"][name] = f"{type(error).__name__}: {error}"
    except OSError as error:
        seen["errors"][name] = f"{type(error).__name__}: {error}"
    return None


async def main():
    incoming = base + "/voice/incoming"
    call_sid = new_call_sid()
    session_id = "VX" + secrets.token_hex(16)
    seen["call_sid"] = call_sid
    seen["session_id"] = session_id

    def incoming_form(sid):
        return {"CallSid": sid, "AccountSid": account_sid, "From": caller, "To": number, "CallStatus": "ringing",
                "Direction": "inbound", "CallerName": "Ada Lovelace"}

    # a. Unsigned and wrongly signed webhooks (their own CallSids, so a wrong acceptance touches nothing else).
    seen["incoming_unsigned_status"] = twilio_post(incoming, incoming_form(new_call_sid()), None)[0]
    seen["incoming_bad_signature_status"] = twilio_post(incoming, incoming_form(new_call_sid()), "bad")[0]

    # b. The signed webhook and its TwiML.
    status, content_type, twiml = twilio_post(incoming, incoming_form(call_sid))
    seen["incoming_status"] = status
    seen["incoming_content_type"] = content_type
    seen["twiml"] = twiml
    connect_element = relay = None
    try:
        root = ET.fromstring(twiml)
        seen["twiml_root"] = root.tag
        connect_element = root.find("Connect")
        relay = connect_element.find("ConversationRelay") if connect_element is not None else None
    except ET.ParseError as error:
        seen["errors"]["twiml"] = f"ParseError: {error}"
    seen["connect_action"] = connect_element.get("action") if connect_element is not None else None
    seen["relay_attributes"] = dict(relay.attrib) if relay is not None else None
    parameters = {p.get("name"): p.get("value") for p in relay.findall("Parameter")} if relay is not None else {}
    seen["relay_parameters"] = parameters
    ws_url = (seen["relay_attributes"] or {}).get("url")
    seen["ws_url"] = ws_url
    call_id = parameters.get("callId") or (ws_url.rstrip("/").rsplit("/", 1)[-1] if ws_url else None)
    seen["call_id"] = call_id
    if not ws_url:
        raise RuntimeError(f"no ConversationRelay url in the TwiML (status {status}): {twiml[:500]}")

    # c. Handshakes without a signature and with a bad one.
    seen["ws_unsigned"] = await refused(ws_url, {})
    seen["ws_unsigned_refused"] = seen["ws_unsigned"]["refused"]
    seen["ws_bad_signature"] = await refused(ws_url, {"X-Twilio-Signature": sign(ws_url, {}, auth_token + "x")})
    seen["ws_bad_signature_refused"] = seen["ws_bad_signature"]["refused"]

    good = {"X-Twilio-Signature": sign(ws_url, {}, auth_token)}
    async with connect(ws_url, good) as socket:
        # d. setup; whatever the host says right after it is recorded (it need not say anything).
        await socket.send(setup_frame(session_id, call_sid, parameters))
        seen["after_setup_frames"] = await drain(socket, 0.5)

        # e. Garbage must not close the socket (the next step proves it is still open).
        for garbage in ("not json", json.dumps({"type": "nonsense"}), json.dumps({"no": "type"}), b"\x00\x01\x02\xff"):
            await socket.send(garbage)
        seen["after_garbage_frames"] = await drain(socket, 0.5)

        # f. The knowledge answer.
        async def hours():
            await socket.send(prompt("What are your opening hours?"))
            tokens, _ = await answer(socket, "hours")
            seen["hours_tokens"] = tokens
            seen["hours_answer"] = "".join(tokens)
        await step("hours", hours())

        # g. Interrupt a long answer after three tokens.
        async def interrupt():
            await socket.send(prompt("Tell me about yourself"))
            tokens = []
            while len([t for t in tokens if t.strip()]) < 3:
                frame = await next_frame(socket)
                if frame.get("type") != "text":
                    seen["unexpected_frames"].append({"step": "interrupt", "frame": frame})
                    continue
                if frame.get("last") is True:
                    seen["interrupt_answer_ended_early"] = True
                    break
                tokens.append(frame.get("token", ""))
            heard = "".join(tokens).strip()
            seen["interrupt_tokens_before"] = tokens
            seen["interrupt_heard"] = heard
            await socket.send(json.dumps({"type": "interrupt", "utteranceUntilInterrupt": heard,
                                          "durationUntilInterruptMs": "460"}))
            after = await drain(socket, 2.0)
            seen["after_interrupt_frames"] = after
            seen["after_interrupt_last_seen"] = any(f.get("type") == "text" and f.get("last") is True for f in after)
        await step("interrupt", interrupt())

        # g2. The caller switches language: a `language` message comes before the answer, once; back to en-US likewise.
        async def language():
            await socket.send(prompt("What are your opening hours?", lang="es-ES"))
            first = await next_frame(socket)
            seen["language_frame"] = first
            await answer(socket, "language")
            await socket.send(prompt("What are your opening hours?", lang="en-US"))
            seen["language_back_frame"] = await next_frame(socket)
            await answer(socket, "language")
        await step("language", language())

        # h. DTMF speaks the menu.
        async def menu():
            await socket.send(json.dumps({"type": "dtmf", "digit": "1"}))
            tokens, _ = await answer(socket, "menu")
            seen["menu_answer"] = "".join(tokens)
        await step("menu", menu())

        # i. A 2 MiB frame (the host's limit is 1 MiB): the host should close with 1009.
        async def huge():
            size = 2 * 1024 * 1024
            head = '{"type":"prompt","lang":"en-US","last":true,"voicePrompt":"'
            filler = base64.b64encode(os.urandom(size)).decode()[:size - len(head) - 2]  # incompressible
            frame = head + filler + '"}'
            seen["huge_frame_bytes"] = len(frame)
            if socket.state.name in ("CLOSING", "CLOSED"):  # an earlier step closed it: nothing to learn here
                seen["errors"]["huge"] = "socket already closed before the huge frame"
                return
            try:
                await socket.send(frame)
            except websockets.ConnectionClosed as closed:
                seen["huge_close_code"] = close_info(closed)["code"]
                seen["huge_close_reason"] = close_info(closed)["reason"]
                return
            except OSError as error:  # the host may reset the connection while the frame is still going out
                seen["huge_send_error"] = f"{type(error).__name__}: {error}"
            frames = []
            try:
                while True:
                    frames.append(await next_frame(socket))
            except websockets.ConnectionClosed as closed:
                seen["huge_close_code"] = close_info(closed)["code"]
                seen["huge_close_reason"] = close_info(closed)["reason"]
            finally:
                seen["huge_frames_before_close"] = frames
        await step("huge", huge())

    # Reconnect: same callSid, same sessionId, the conversation goes on.
    async def reconnected():
        async with connect(ws_url, good) as socket:
            await socket.send(setup_frame(session_id, call_sid, parameters))
            seen["reconnect_after_setup_frames"] = await drain(socket, 0.5)

            await socket.send(prompt("Who am I?"))
            tokens, _ = await answer(socket, "who")
            seen["who_answer"] = "".join(tokens)

            await socket.send(prompt("Please text me your address"))
            tokens, _ = await answer(socket, "sms")
            seen["sms_answer"] = "".join(tokens)

            # k. Handoff: every frame until `end`.
            await socket.send(prompt("Can I speak to a person?"))
            frames = []
            seen["handoff_frames"] = frames
            while True:
                frame = await next_frame(socket)
                frames.append(frame)
                if frame.get("type") == "end":
                    break
                if frame.get("type") != "text":
                    seen["unexpected_frames"].append({"step": "handoff", "frame": frame})
            seen["handoff_text"] = "".join(f.get("token", "") for f in frames if f.get("type") == "text")
            raw = frame.get("handoffData")
            seen["handoff_data_raw"] = raw
            seen["handoff_data_type"] = type(raw).__name__
            try:
                seen["handoff_data"] = json.loads(raw) if isinstance(raw, str) else raw
            except ValueError:
                seen["handoff_data"] = None
            seen["after_end_frames"] = await drain(socket, 1.0)
    await step("reconnect", reconnected())

    # l. The <Connect action> callback, unsigned first (must change nothing), then signed.
    action_url = seen["connect_action"] or base + "/voice/action"
    raw = seen.get("handoff_data_raw")
    action_form = {"CallSid": call_sid, "AccountSid": account_sid, "From": caller, "To": number,
                   "CallStatus": "in-progress", "SessionId": session_id, "SessionStatus": "ended",
                   "SessionDuration": "42",
                   "HandoffData": raw if isinstance(raw, str) else json.dumps(raw) if raw is not None else ""}
    seen["action_unsigned_status"] = twilio_post(action_url, action_form, None)[0]
    status, content_type, body = twilio_post(action_url, action_form)
    seen["action_status"] = status
    seen["action_content_type"] = content_type
    seen["action_body"] = body
    seen["dial"] = None
    seen["transfer"] = transfer
    seen["action_hangup"] = False
    try:
        root = ET.fromstring(body)
        dial = root.find("Dial")
        if dial is not None:
            seen["dial"] = "".join(dial.itertext()).strip()
        seen["dial_is_transfer"] = seen["dial"] == transfer
        seen["action_hangup"] = root.find("Hangup") is not None
    except ET.ParseError as error:
        seen["errors"]["action_twiml"] = f"ParseError: {error}"

    # m. The call status callback.
    status_form = {"CallSid": call_sid, "AccountSid": account_sid, "CallStatus": "completed", "CallDuration": "42",
                   "Timestamp": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()), "SequenceNumber": "3",
                   "Direction": "inbound", "From": caller, "To": number}
    seen["status_callback_status"] = twilio_post(base + "/voice/status-callback", status_form)[0]

    # n. The call as the api shows it (waits up to 10 s for the status callback to land).
    for _ in range(100):
        status, _, body = http("GET", f"{base}/api/v1/calls/{call_id}", headers={"authorization": "Bearer " + api_token})
        seen["call_status_code"] = status
        try:
            seen["call"] = json.loads(body)
        except ValueError:
            seen["call"] = body
        if status == 200 and isinstance(seen["call"], dict) and seen["call"].get("status") == "completed":
            break
        await asyncio.sleep(0.1)


if __name__ == "__main__":
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    base, api_token, account_sid, auth_token, number, caller, transfer = sys.argv[1:8]
    base = base.rstrip("/")
    try:
        asyncio.run(main())
        code = 0
    except Exception as error:  # unexpected: report what was seen, then fail
        seen["fatal"] = f"{type(error).__name__}: {error}"
        code = 1
    print(json.dumps(seen))
    sys.exit(code)
