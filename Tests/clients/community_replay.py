"""What one member's live socket of a community replays: connects to `/api/v1/communities/{id}/live?after=N`
with the `websockets` library, reads every frame before `ready`, and prints one JSON object:
{"events": [{"seq": ..., "event": ..., "data": {...}}, ...], "last_seq": N}. A refused handshake prints
{"refused": STATUS}.

Usage: community_replay.py BASE_URL COMMUNITY_ID TOKEN AFTER
"""
import asyncio
import json
import sys

import websockets

base, community, token, after = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4]
url = "ws://" + base.split("://", 1)[1] + f"/api/v1/communities/{community}/live?after={after}"
# websockets 14 renamed the handshake's header argument (and its legacy client keeps the old name).
HEADERS = "additional_headers" if int(websockets.__version__.split(".")[0]) >= 14 else "extra_headers"


async def main():
    try:
        async with websockets.connect(url, open_timeout=60, **{HEADERS: {"Authorization": "Bearer " + token}}) as socket:
            events = []
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), 60))
                if frame["type"] == "ready":
                    return {"events": events, "last_seq": frame["last_seq"]}
                events.append({key: frame.get(key) for key in ("seq", "event", "channel_id", "data")})
    except Exception as error:  # a refused handshake, whichever websockets raised it
        status = getattr(error, "status_code", None) or getattr(getattr(error, "response", None), "status_code", None)
        if status is None:
            raise
        return {"refused": status}


print(json.dumps(asyncio.run(main())))
