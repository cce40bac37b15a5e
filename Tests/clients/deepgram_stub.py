"""A local stand-in for Deepgram's prerecorded transcription API (POST /v1/listen with the audio as the body),
checking the wire format strictly and recording every request for the test to check exactly.

Usage: deepgram_stub.py API_KEY. Prints "PORT <n>" once listening on 127.0.0.1 (HTTP/1.1, keep-alive, a
thread per connection, Content-Length on every answer).

POST /v1/listen is recorded first, refused or not, as {method, path, query ({name: value}, the last of a
repeated name), authorization (the header or null), content_type, body_bytes, audio ({format, sample_rate,
channels, duration} read from a WAV or FLAC header, or null)}. Then, checked in this order, each refusal
in Deepgram's error shape {"err_code", "err_msg", "request_id"}:
- `Authorization` other than "Token API_KEY" -> 401 {"err_code": "INVALID_AUTH", "err_msg": "Invalid credentials."};
- a query without model=nova-3, smart_format=true, punctuate=true, utterances=true and a language
  (letters, digits and hyphens), or with a parameter given twice -> 400 "Bad Request" naming each problem;
- a Content-Type that is not audio/* (parameters allowed) -> 415 "UNSUPPORTED_MEDIA_TYPE";
- an empty body, or one whose header does not match its Content-Type (audio/wav and audio/x-wav: RIFF
  ... WAVE; audio/flac: fLaC and its STREAMINFO) -> 400 {"err_code": "Bad Request", "err_msg": "Bad Request:
  failed to process audio: corrupt or unsupported data"};
- a scripted failure, if any is queued (GET /_control/fail) -> its status with {"err_code": "INTERNAL_SERVER_ERROR"
  (or "TOO_MANY_REQUESTS" for 429, with `Retry-After: 2`), "err_msg": "scripted failure"}; only valid,
  authorised requests consume one, in order;
- else 200, an answer shaped as Deepgram's: {"metadata": {transaction_key, request_id, sha256 (of the body),
  created, duration, channels: 1, models: [id], model_info: {id: {name, version, arch}}}, "results":
  {"channels": [{"alternatives": [{"transcript", "confidence", "words": [{word, start, end, confidence,
  punctuated_word}]}]}], "utterances": [{start, end, confidence, channel: 0, transcript, words, speaker: 0,
  id}]}}. The transcript is the stub's text (GET /_control/transcript), its words spread evenly over the
  audio's duration (each word in its slot's middle 90%, times rounded to 3 decimals); `word` is the
  punctuated word lowercased without its punctuation; an utterance ends at each word ending in . ? or !.
  With no text (an empty transcript set), the alternative has transcript "" and words [] (Deepgram's answer
  to silence).

Controls (not recorded):
- GET /_control/fail?status=S&times=N (S 400-599, N >= 1, default 1) queues N failures of status S.
- GET /_control/transcript?text=T sets the text (default "Hello, world. This is a test of the captions.").
- GET /_control/reset clears the recorded requests and the queued failures and restores the text.
- GET /requests answers the recorded /v1/listen requests as a JSON array, oldest first.
Anything else -> 404 {"err_code": "NOT_FOUND", "err_msg": "Not found.", "request_id"}.
"""
import datetime
import hashlib
import json
import re
import struct
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

if len(sys.argv) != 2:
    sys.exit("usage: deepgram_stub.py API_KEY")
API_KEY = sys.argv[1]

DEFAULT_TEXT = "Hello, world. This is a test of the captions."
MODEL_ID = "1abfe86b-e047-4eed-858a-35e5625b41ee"
LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
REQUIRED = {"model": "nova-3", "smart_format": "true", "punctuate": "true", "utterances": "true"}

lock = threading.Lock()
received = []
failures = []
state = {"text": DEFAULT_TEXT}


def refusal(status, code, message, headers=None):
    return status, {"err_code": code, "err_msg": message, "request_id": str(uuid.uuid4())}, headers or {}


def wav_info(body):
    """(sample_rate, channels, duration) of a PCM WAV, walking its chunks; None if it is not one."""
    if len(body) < 12 or body[:4] != b"RIFF" or body[8:12] != b"WAVE":
        return None
    offset, rate, channels, width, data = 12, None, None, None, None
    while offset + 8 <= len(body):
        name, size = body[offset:offset + 4], struct.unpack("<I", body[offset + 4:offset + 8])[0]
        if name == b"fmt " and size >= 16:
            _, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[offset + 8:offset + 24])
            width = bits // 8
        elif name == b"data":
            data = min(size, len(body) - offset - 8)
            break
        offset += 8 + size + (size & 1)
    if not rate or not channels or not width or data is None:
        return None
    return rate, channels, data / (rate * channels * width)


def flac_info(body):
    """(sample_rate, channels, duration) from a FLAC stream's STREAMINFO; None if it is not one."""
    if len(body) < 42 or body[:4] != b"fLaC" or body[4] & 0x7F != 0:
        return None
    info = body[8:42]
    rate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4)
    channels = ((info[12] >> 1) & 0x7) + 1
    samples = ((info[13] & 0x0F) << 32) | (info[14] << 24) | (info[15] << 16) | (info[16] << 8) | info[17]
    if rate == 0:
        return None
    return rate, channels, samples / rate


def audio_info(media_type, body):
    if media_type in ("audio/wav", "audio/x-wav", "audio/wave"):
        found, name = wav_info(body), "wav"
    elif media_type in ("audio/flac", "audio/x-flac"):
        found, name = flac_info(body), "flac"
    else:
        return None
    if found is None:
        return None
    rate, channels, duration = found
    return {"format": name, "sample_rate": rate, "channels": channels, "duration": round(duration, 3)}


def transcript(text, duration, body):
    punctuated = text.split()
    slot = duration / len(punctuated) if punctuated else 0
    words = []
    for index, token in enumerate(punctuated):
        plain = re.sub(r"[^\w'-]", "", token).lower() or token.lower()
        words.append({"word": plain, "start": round(index * slot + slot * 0.05, 3),
                      "end": round((index + 1) * slot - slot * 0.05, 3),
                      "confidence": round(0.99 - (index % 7) * 0.01, 4), "punctuated_word": token})
    utterances, current = [], []
    for word in words:
        current.append(word)
        if word["punctuated_word"][-1] in ".?!" or word is words[-1]:
            utterances.append({"start": current[0]["start"], "end": current[-1]["end"], "confidence": 0.97,
                               "channel": 0, "transcript": " ".join(w["punctuated_word"] for w in current),
                               "words": [dict(w, speaker=0, speaker_confidence=0.9) for w in current],
                               "speaker": 0, "id": str(uuid.uuid4())})
            current = []
    request_id = str(uuid.uuid4())
    return {
        "metadata": {"transaction_key": "deprecated", "request_id": request_id,
                     "sha256": hashlib.sha256(body).hexdigest(),
                     "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                     "duration": round(duration, 3), "channels": 1, "models": [MODEL_ID],
                     "model_info": {MODEL_ID: {"name": "general-nova-3", "version": "2024-12-20.0", "arch": "nova-3"}}},
        "results": {"channels": [{"alternatives": [{"transcript": " ".join(punctuated),
                                                    "confidence": 0.97 if words else 0.0, "words": words}]}],
                    "utterances": utterances},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or "0"))

    def do_GET(self):
        self.read_body()
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/requests":
            with lock:
                return self.answer(200, received)
        self.answer(*self.control(url.path, query))

    def control(self, path, query):
        with lock:
            if path == "/_control/reset":
                received.clear()
                failures.clear()
                state["text"] = DEFAULT_TEXT
                return 200, {"reset": True}, {}
            if path == "/_control/transcript":
                state["text"] = query.get("text", "")
                return 200, {"text": state["text"]}, {}
            if path == "/_control/fail":
                try:
                    status = int(query["status"])
                    times = int(query.get("times", "1"))
                except (KeyError, ValueError):
                    return refusal(400, "Bad Request", "status must be an integer, times an integer if given")
                if not 400 <= status <= 599 or times < 1:
                    return refusal(400, "Bad Request", "status must be 400-599 and times >= 1")
                failures.extend([status] * times)
                return 200, {"queued": len(failures)}, {}
        return refusal(404, "NOT_FOUND", "Not found.")

    def do_POST(self):
        body = self.read_body()
        url = urlsplit(self.path)
        if url.path != "/v1/listen":
            return self.answer(*refusal(404, "NOT_FOUND", "Not found."))
        pairs = parse_qs(url.query, keep_blank_values=True)
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        info = audio_info(media_type, body)
        with lock:
            received.append({"method": self.command, "path": url.path,
                             "query": {key: values[-1] for key, values in pairs.items()},
                             "authorization": self.headers.get("Authorization"),
                             "content_type": self.headers.get("Content-Type"), "body_bytes": len(body), "audio": info})
        self.answer(*self.listen(pairs, media_type, body, info))

    def listen(self, pairs, media_type, body, info):
        if self.headers.get("Authorization") != "Token " + API_KEY:
            return refusal(401, "INVALID_AUTH", "Invalid credentials.")
        problems = [f"{name} given {len(values)} times" for name, values in pairs.items() if len(values) > 1]
        problems += [f"{name} must be {value}, not {pairs.get(name, ['(missing)'])[-1]}"
                     for name, value in REQUIRED.items() if pairs.get(name, [None])[-1] != value]
        language = pairs.get("language", [""])[-1]
        if not LANGUAGE.fullmatch(language):
            problems.append(f"language must be a language tag, not {language or '(missing)'}")
        if problems:
            return refusal(400, "Bad Request", "Bad Request: " + "; ".join(problems))
        if not media_type.startswith("audio/"):
            return refusal(415, "UNSUPPORTED_MEDIA_TYPE", f"Unsupported media type: {self.headers.get('Content-Type')}")
        if not body or info is None:
            return refusal(400, "Bad Request", "Bad Request: failed to process audio: corrupt or unsupported data")
        with lock:
            if failures:
                status = failures.pop(0)
                if status == 429:
                    return refusal(429, "TOO_MANY_REQUESTS", "scripted failure", {"Retry-After": "2"})
                return refusal(status, "INTERNAL_SERVER_ERROR", "scripted failure")
            text = state["text"]
        return 200, transcript(text, info["duration"], body), {}

    def not_found(self):
        self.read_body()
        self.answer(*refusal(404, "NOT_FOUND", "Not found."))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = not_found


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


server = Server(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
