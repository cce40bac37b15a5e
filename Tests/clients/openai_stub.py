"""A local OpenAI-compatible chat-completions server that streams scripted answers, recording every request.

Usage: openai_stub.py API_KEY. Prints "PORT <n>" once listening on 127.0.0.1.

POST /v1/chat/completions (also /chat/completions) needs `Authorization: Bearer API_KEY` (else 401 with an
OpenAI error JSON). With `"stream": true` it answers Server-Sent Events (`data: <chunk>\\n\\n`, then
`data: [DONE]\\n\\n`) over HTTP/1.1 chunked transfer encoding with keep-alive, each chunk written and flushed
on its own, 5 ms apart; otherwise one chat.completion JSON. Scripted answers come first, then the script chosen
by the last message:
- env STUB_ANSWERS, a JSON list of texts: each request (of the right key) takes the next as the whole answer's
  content, streamed in 16-character chunks, finish_reason "stop", then a usage chunk; once they are used up,
  the scripts below apply;
- role "tool": "The weather in Paris is sunny." in word chunks, finish_reason "stop", then a usage chunk;
- content contains "explode": content "Hel", "lo", then `data: {"error":{...,"type":"server_error"}}` and
  the connection closes without [DONE] (not streamed: 500 with that error);
- content contains "weather": two tool calls streamed in pieces, assembled by index: 0 = call_abc
  get_weather {"city":"Paris"} (arguments in 3 pieces), 1 = call_def lookup_caller {} (sent between the
  second and third piece of 0), finish_reason "tool_calls", then a usage chunk (choices: [], usage
  11/7/18);
- anything else: "Hello there, how can I help?" over several chunks, finish_reason "stop", usage chunk.
The first chunk waits `X-Stub-Delay-Ms` (request header) or env STUB_FIRST_TOKEN_MS milliseconds (default 0),
to play a model whose first token comes late. GET /requests answers every completions request received:
[{path, headers, body}] (body is the parsed JSON, or null when it was not JSON).
"""
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = sys.argv[1]
FIRST_TOKEN_MS = float(os.environ.get("STUB_FIRST_TOKEN_MS", "0") or 0)
GAP = 0.005
lock = threading.Lock()
received = []
answers = list(json.loads(os.environ.get("STUB_ANSWERS") or "[]"))

WEATHER = "The weather in Paris is sunny."
HELLO = ["Hello", " there,", " how", " can", " I help?"]


def text_of(message):
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def script(body):
    """(kind, pieces): the deltas to stream, each (delta, finish_reason)."""
    with lock:
        answer = answers.pop(0) if answers else None
    if answer is not None:
        return "text", [({"role": "assistant", "content": ""}, None)] + \
            [({"content": answer[i:i + 16]}, None) for i in range(0, len(answer), 16)] + [({}, "stop")]
    messages = body.get("messages") if isinstance(body, dict) else None
    last = messages[-1] if isinstance(messages, list) and messages else {}
    if isinstance(last, dict) and last.get("role") == "tool":
        words = WEATHER.split(" ")
        return "text", [({"role": "assistant", "content": ""}, None)] + \
            [({"content": (" " if i else "") + word}, None) for i, word in enumerate(words)] + [({}, "stop")]
    content = text_of(last).lower()
    if "explode" in content:
        return "explode", [({"role": "assistant", "content": "Hel"}, None), ({"content": "lo"}, None)]
    if "weather" in content:
        def call(index, **fields):
            return ({"tool_calls": [dict(index=index, **fields)]}, None)
        return "tools", [
            ({"role": "assistant"}, None),
            call(0, id="call_abc", type="function", function={"name": "get_weather", "arguments": ""}),
            call(0, function={"arguments": '{"ci'}),
            call(0, function={"arguments": 'ty":"Par'}),
            call(1, id="call_def", type="function", function={"name": "lookup_caller", "arguments": "{}"}),
            call(0, function={"arguments": 'is"}'}),
            ({}, "tool_calls"),
        ]
    return "text", [({"role": "assistant", "content": ""}, None)] + [({"content": c}, None) for c in HELLO] + [({}, "stop")]


USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
ERROR = {"error": {"message": "model overloaded", "type": "server_error", "param": None, "code": None}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/requests":
            with lock:
                return self.answer(200, received)
        self.answer(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raw = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return raw
                raw += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def do_POST(self):
        raw = self.read_body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if self.path not in ("/v1/chat/completions", "/chat/completions"):
            return self.answer(404, {"error": {"message": f"Unknown path {self.path}", "type": "invalid_request_error"}})
        with lock:
            received.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            return self.answer(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                               "param": None, "code": "invalid_api_key"}})
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self.answer(400, {"error": {"message": "messages is required", "type": "invalid_request_error",
                                               "param": "messages", "code": None}})
        delay = self.headers.get("X-Stub-Delay-Ms")
        delay = (float(delay) if delay else FIRST_TOKEN_MS) / 1000
        kind, pieces = script(body)
        model = body.get("model") or "stub-model"
        ident = "chatcmpl-" + uuid.uuid4().hex[:24]
        created = int(time.time())
        if body.get("stream") is True:
            return self.stream(kind, pieces, model, ident, created, delay)
        time.sleep(delay)
        if kind == "explode":
            return self.answer(500, ERROR)
        message = {"role": "assistant", "content": None}
        finish = None
        for delta, reason in pieces:
            finish = reason or finish
            if "content" in delta:
                message["content"] = (message["content"] or "") + delta["content"]
            for piece in delta.get("tool_calls", []):
                calls = message.setdefault("tool_calls", [])
                while len(calls) <= piece["index"]:
                    calls.append({"id": None, "type": "function", "function": {"name": None, "arguments": ""}})
                call = calls[piece["index"]]
                call["id"] = piece.get("id", call["id"])
                call["function"]["name"] = piece.get("function", {}).get("name", call["function"]["name"])
                call["function"]["arguments"] += piece.get("function", {}).get("arguments", "")
        self.answer(200, {"id": ident, "object": "chat.completion", "created": created, "model": model,
                          "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
                          "usage": USAGE})

    def stream(self, kind, pieces, model, ident, created, delay):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        if kind == "explode":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()

        def send(data):
            event = f"data: {data}\n\n".encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
            time.sleep(GAP)

        def chunk(choices, usage=None):
            body = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
                    "system_fingerprint": "fp_stub", "choices": choices}
            if usage is not None:
                body["usage"] = usage
            return json.dumps(body)

        try:
            time.sleep(delay)
            for delta, reason in pieces:
                send(chunk([{"index": 0, "delta": delta, "logprobs": None, "finish_reason": reason}]))
            if kind == "explode":
                send(json.dumps(ERROR))
            else:
                send(chunk([], USAGE))
                send("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up mid-stream


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
