"""Plays the console's voice testing lab against the host over real sockets: opens a lab conversation through
the API, then speaks ConversationRelay on the socket it names, with the ticket in the query as a browser must.
Prints ONE JSON object of what it saw; the Swift test asserts on it (this script fails only on unexpected
exceptions).

Usage: voice_lab.py BASE_URL API_TOKEN NUMBER_ID CALLER OTHER_CALL_ID

Checks, in order: POST /api/v1/voice/lab (201: the call and its socket path); the socket refused without a
ticket, with a tampered one, and with this call's ticket on OTHER_CALL_ID (a phone call's socket); setup; a
knowledge answer streamed until last:true; "Who am I?" (lookup_caller: a `lab.tool` running, then done with its
result, then the agent's words); a long answer interrupted after three words (a `lab.interrupted`, and no word of
it after that); "Thanks, goodbye" (end_call, then an `end` frame). Every receive has a timeout.
"""
import asyncio
import json
import sys
import urllib.error
import urllib.request

from voice_relay import connect, next_frame, refused

# Each receive bounds a hang, not a speed: at the start of the PostgreSQL pass, with every test's host
# starting at once, one of these turns took over 60 s.
TIMEOUT = 180
seen = {"errors": {}, "unexpected_frames": []}


def api(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, method=method, data=data,
                                     headers={"authorization": "Bearer " + token, "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


async def turn(socket, words, name, until_end=False):
    """Sends a prompt; every frame until the answer's last:true (and then an `end`, when `until_end`): its words,
    tool frames and other frames."""
    await socket.send(json.dumps({"type": "prompt", "voicePrompt": words, "lang": "en-US", "last": True}))
    tokens, tools, others = [], [], []
    while True:
        frame = await next_frame(socket, TIMEOUT)
        kind = frame.get("type")
        if kind == "lab.tool":
            tools.append(frame)
        elif kind == "text":
            if frame.get("last") is True and not until_end:
                break
            if frame.get("last") is True:
                continue
            tokens.append(frame.get("token", ""))
        else:
            others.append(frame)
            if kind == "end":
                break
    seen[name] = {"answer": "".join(tokens).strip(), "tokens": len(tokens), "tools": tools, "others": others}
    return seen[name]


async def interrupt(socket):
    """A long answer cut off after three words: the lab acknowledges the interrupt, and no word of that answer
    comes after the acknowledgement (the frames of the next second are recorded)."""
    await socket.send(json.dumps({"type": "prompt", "voicePrompt": "Tell me everything you can do", "lang": "en-US", "last": True}))
    heard = []
    while len(heard) < 3:
        frame = await next_frame(socket, TIMEOUT)
        if frame.get("type") == "text" and frame.get("token"):
            heard.append(frame["token"])
    await socket.send(json.dumps({"type": "interrupt", "utteranceUntilInterrupt": "".join(heard), "durationUntilInterruptMs": 900}))
    before_ack = []
    while True:
        frame = await next_frame(socket, TIMEOUT)
        if frame.get("type") == "lab.interrupted":
            break
        before_ack.append(frame)
    after = []
    try:
        while True:
            after.append(await next_frame(socket, 1.0))
    except asyncio.TimeoutError:
        pass
    seen["interrupt"] = {"heard": "".join(heard), "before_ack": before_ack, "after_ack": after}


async def main():
    base, token, number_id, caller, other_call = sys.argv[1:6]
    status, opened = api("POST", base + "/api/v1/voice/lab", token, {"number_id": number_id, "from": caller})
    seen["open_status"], seen["opened"] = status, opened
    if status != 201:
        return
    path = opened["socket_path"]
    seen["call_id"] = call_id = opened["call"]["id"]
    socket_url = base.replace("http://", "ws://") + path
    bare = socket_url.split("?")[0]
    ticket = path.split("ticket=", 1)[1]
    seen["no_ticket"] = await refused(bare, {})
    seen["tampered_ticket"] = await refused(bare + "?ticket=" + ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB"), {})
    seen["ticket_on_other_call"] = await refused(bare.replace(call_id, other_call) + "?ticket=" + ticket, {})
    try:
        async with connect(socket_url, {}) as socket:
            await socket.send(json.dumps({"type": "setup", "sessionId": "VX" + "0" * 32, "callSid": opened["call"]["call_sid"], "from": caller,
                                          "to": opened["call"]["to"], "direction": "inbound", "customParameters": {"callId": call_id}}))
            await turn(socket, "What are your opening hours?", "hours")
            await turn(socket, "Who am I?", "who")
            await interrupt(socket)
            await turn(socket, "Thanks, goodbye", "goodbye", until_end=True)
    except Exception as error:  # a timeout or a closed socket is an observation
        seen["errors"]["conversation"] = f"{type(error).__name__}: {error}"[:300]


asyncio.run(main())
print(json.dumps(seen))
