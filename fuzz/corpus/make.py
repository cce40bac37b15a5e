#!/usr/bin/env python3
"""Writes the seed corpus: fuzz/corpus/http/* and fuzz/corpus/websocket/*.

Each file is one fuzz input: a flag byte, a split byte, then the payload (fuzz/Support/FuzzInput.swift).
Run it again after changing the seeds here; libFuzzer's own finds stay out of the repository.
"""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# Flag bits of the http target (fuzz/http/HTTPOptions.swift).
SMALL_LIMITS, MEDIUM_LIMITS, TINY_LIMITS = 1, 2, 3
STREAM_ALL, STREAM_S, STREAM_TINY = 1 << 2, 2 << 2, 3 << 2
ANSWER_EARLY, CONN_CLOSE, SHUTDOWN, TIMER = 0x10, 0x20, 0x40, 0x80
# Split byte: top three bits give the longest piece (1 << n), low five seed the cut.
BYTE_BY_BYTE, SMALL_PIECES, LARGE_PIECES = 0x00, 0x47, 0xE3


def write(target, name, flags, split, payload):
    folder = os.path.join(HERE, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(bytes([flags, split]) + payload)


def http():
    host = b"Host: example.test\r\n"
    get = b"GET /a?b=1&a=%41+x HTTP/1.1\r\n" + host + b"X-Request-Id: abc-123\r\n\r\n"
    seeds = {
        "get": (0, BYTE_BY_BYTE, get),
        "get-http10": (0, SMALL_PIECES, b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        "head-absolute-form": (0, LARGE_PIECES, b"HEAD http://example.test/x?y#z HTTP/1.1\r\n" + host + b"\r\n"),
        "post-content-length": (0, SMALL_PIECES, b"POST /submit HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\":[1,2,3]}"),
        "post-chunked": (0, BYTE_BY_BYTE, b"POST /c HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"),
        "chunked-trailer": (0, SMALL_PIECES, b"POST /c HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"),
        "chunk-extension": (0, SMALL_PIECES, b"POST /c HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n3;name=value;x\r\nabc\r\n0;last\r\n\r\n"),
        "pipelined": (0, LARGE_PIECES, get + b"POST /b HTTP/1.1\r\n" + host + b"Content-Length: 3\r\n\r\nabc" + b"GET /c HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n"),
        "pipelined-crlf-between": (0, SMALL_PIECES, get + b"\r\n\r\n" + get),
        "expect-continue": (0, SMALL_PIECES, b"PUT /u HTTP/1.1\r\n" + host + b"Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"),
        "expect-unknown": (0, SMALL_PIECES, b"PUT /u HTTP/1.1\r\n" + host + b"Expect: 200-ok\r\nContent-Length: 1\r\n\r\nx"),
        "upgrade-websocket": (0, LARGE_PIECES, b"GET /ws HTTP/1.1\r\n" + host + b"Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),
        "upgrade-bad-key": (0, SMALL_PIECES, b"GET /ws HTTP/1.1\r\n" + host + b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n"),
        "upgrade-h2c": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n" + host + b"Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n"),
        "connect": (0, SMALL_PIECES, b"CONNECT example.test:443 HTTP/1.1\r\n" + host + b"\r\n"),
        "options-star": (0, SMALL_PIECES, b"OPTIONS * HTTP/1.1\r\n" + host + b"\r\n"),
        "cl-and-te": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        "te-and-cl": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"),
        "duplicate-cl": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"),
        "duplicate-cl-same": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
        "te-gzip-chunked": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        "te-obs-fold": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
        "obs-fold": (0, BYTE_BY_BYTE, b"GET / HTTP/1.1\r\n" + host + b"X-Folded: first\r\n \tsecond\r\n\r\n"),
        "bare-lf": (0, SMALL_PIECES, b"GET / HTTP/1.1\nHost: example.test\n\nGET /2 HTTP/1.1\nHost: example.test\n\n"),
        "bare-cr": (0, SMALL_PIECES, b"GET / HTTP/1.1\rHost: example.test\r\r\n"),
        "te-http10": (0, SMALL_PIECES, b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        "no-host": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n\r\n"),
        "two-hosts": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n" + host + host + b"\r\n"),
        "http2-preface": (0, LARGE_PIECES, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        "http09": (0, SMALL_PIECES, b"GET /\r\n\r\n"),
        "space-before-colon": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n" + host + b"Content-Length : 5\r\n\r\nhello"),
        "control-in-value": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n" + host + b"X: a\x01b\r\n\r\n"),
        "nul-in-name": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n" + host + b"X\x00Y: a\r\n\r\n"),
        "obs-text-value": (0, SMALL_PIECES, b"GET /\xc3\xa9 HTTP/1.1\r\n" + host + b"X: caf\xc3\xa9 \xff\r\n\r\n"),
        "empty-value": (0, BYTE_BY_BYTE, b"GET / HTTP/1.1\r\n" + host + b"X-Empty:\r\nY:   \r\n\r\n"),
        "huge-content-length": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Content-Length: 99999999999999999999\r\n\r\n"),
        "chunk-size-overflow": (0, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n"),
        "header-at-limit": (SMALL_LIMITS, BYTE_BY_BYTE, b"GET / HTTP/1.1\r\n" + host + b"X-Long-Header-Name: " + b"v" * 60 + b"\r\n\r\n"),
        "body-over-limit": (SMALL_LIMITS, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Content-Length: 17\r\n\r\n" + b"x" * 17),
        "chunked-over-limit": (SMALL_LIMITS, SMALL_PIECES, b"POST / HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n10\r\n" + b"y" * 16 + b"\r\n1\r\nz\r\n0\r\n\r\n"),
        "streamed-upload": (STREAM_ALL, SMALL_PIECES, b"POST /upload HTTP/1.1\r\n" + host + b"Content-Length: 10\r\n\r\n0123456789" + get),
        "streamed-chunked": (STREAM_S, BYTE_BY_BYTE, b"POST /stream HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n"),
        "streamed-over-limit": (STREAM_TINY, SMALL_PIECES, b"POST /s HTTP/1.1\r\n" + host + b"Content-Length: 6\r\n\r\nabcdef"),
        "streamed-answer-early": (STREAM_ALL | ANSWER_EARLY, SMALL_PIECES, b"POST /s HTTP/1.1\r\n" + host + b"Expect: 100-continue\r\nContent-Length: 4\r\n\r\nabcd"),
        "streamed-cut-off": (STREAM_ALL, SMALL_PIECES, b"POST /s HTTP/1.1\r\n" + host + b"Content-Length: 40\r\n\r\nonly part"),
        "streamed-timeout": (STREAM_ALL | TIMER, SMALL_PIECES, b"PUT /s HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n5\r\nab"),
        "slow-head-timeout": (TIMER, BYTE_BY_BYTE, b"GET / HTTP/1.1\r\n" + host + b"X-Slow: "),
        "connection-close": (CONN_CLOSE, LARGE_PIECES, get + get),
        "shutdown-pipelined": (SHUTDOWN, LARGE_PIECES, get + get),
        "keep-alive-http10-pipelined": (MEDIUM_LIMITS, SMALL_PIECES, b"GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n"),
        "tiny-limits": (TINY_LIMITS, BYTE_BY_BYTE, b"GET /x HTTP/1.1\r\nHost: h\r\nA: b\r\n\r\n"),
        # Found while fuzzing: CR and any byte end a line in lax http-parser, so CR CR LF ends this head.
        "cr-cr-lf-ends-head": (STREAM_S, BYTE_BY_BYTE, b"POST /stream HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\nConnection: \r\r\n4\r\nabcd\r\n0\r\n\r\n"),
        # Found while fuzzing: a chunk that passes a streamed body's limit, cut byte by byte.
        "streamed-chunk-over-limit": (STREAM_S, BYTE_BY_BYTE, b"POST /stream HTTP/1.1\r\nHost: example\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4cd\r\n4\r\nefgh\r\n0\r\n\r\n"),
        # Found while fuzzing: a space ends a header name for http-parser but not for our byte check.
        "space-then-bad-byte-in-name": (0, SMALL_PIECES, b"GET / HTTP/1.1\r\n" + host + b"Content-Length \xba 5\r\n\r\nhello"),
    }
    for name, (flags, split, payload) in seeds.items():
        write("http", name, flags, split, payload)


def frame(opcode, payload=b"", fin=True, mask=b"\x37\xfa\x21\x3d", rsv=0, length=None):
    """One client frame; mask=None sends it unmasked (a protocol error from a client)."""
    n = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | rsv << 4 | opcode])
    bit = 0x80 if mask is not None else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 1 << 16:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if mask is None:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


# Flag bits of the websocket target (fuzz/websocket/WebSocketOptions.swift).
WS_MAX_16, WS_MAX_200, WS_MAX_4096 = 1, 2, 3
WS_ECHO, WS_SERVER_CLOSE, WS_GOING_AWAY, WS_NO_EOF = 0x04, 0x08, 0x10, 0x20


def close(code, reason=b""):
    return frame(8, struct.pack(">H", code) + reason)


def websocket():
    seeds = {
        "text": (0, BYTE_BY_BYTE, frame(1, b"Hello")),
        "binary": (0, SMALL_PIECES, frame(2, bytes(range(256)))),
        "fragmented-text": (0, SMALL_PIECES, frame(1, b"frag", fin=False) + frame(0, b"men", fin=False) + frame(0, b"ted")),
        "ping-between-fragments": (WS_ECHO, SMALL_PIECES, frame(1, b"a", fin=False) + frame(9, b"ping") + frame(0, b"b")),
        "ping-pong": (0, SMALL_PIECES, frame(9, b"p1") + frame(10, b"unsolicited") + frame(9)),
        "close-normal": (0, SMALL_PIECES, frame(1, b"bye") + close(1000, b"done") + frame(1, b"after close")),
        "close-empty": (0, SMALL_PIECES, frame(8)),
        "close-one-byte": (0, SMALL_PIECES, frame(8, b"\x03")),
        "close-bad-code": (0, SMALL_PIECES, close(1005)),
        "close-app-code": (0, SMALL_PIECES, close(4002, b"asked to")),
        "close-invalid-utf8-reason": (0, SMALL_PIECES, close(1000, b"\xff\xfe")),
        "unmasked": (0, SMALL_PIECES, frame(1, b"no mask", mask=None)),
        "rsv-bits": (0, SMALL_PIECES, frame(1, b"x", rsv=4)),
        "reserved-opcode": (0, SMALL_PIECES, frame(3, b"x") + frame(11)),
        "continuation-first": (0, SMALL_PIECES, frame(0, b"orphan")),
        "text-during-fragments": (0, SMALL_PIECES, frame(1, b"a", fin=False) + frame(1, b"b")),
        "fragmented-control": (0, SMALL_PIECES, frame(9, b"p", fin=False)),
        "long-control": (0, SMALL_PIECES, frame(9, b"x" * 126)),
        "invalid-utf8": (WS_ECHO, SMALL_PIECES, frame(1, b"\xc3\x28") + frame(1, b"still here")),
        "utf8-split-across-fragments": (0, BYTE_BY_BYTE, frame(1, b"caf\xc3", fin=False) + frame(0, b"\xa9")),
        "length-16": (WS_MAX_4096, LARGE_PIECES, frame(2, b"z" * 300)),
        "length-64": (0, LARGE_PIECES, frame(2, b"w" * 70000)[:80]),
        "length-64-huge": (0, SMALL_PIECES, frame(2, b"", length=1 << 62)),
        "length-64-top-bit": (0, SMALL_PIECES, frame(2, b"", length=(1 << 63) + 5)),
        "length-16-non-minimal": (0, SMALL_PIECES, b"\x82\xfe\x00\x05" + b"\x00" * 4 + b"abcde"),
        "over-max-message": (WS_MAX_16, SMALL_PIECES, frame(1, b"0123456789abcdefg")),
        "fragments-over-max": (WS_MAX_16, SMALL_PIECES, frame(2, b"0123456789", fin=False) + frame(0, b"0123456789")),
        "echo-many": (WS_ECHO, SMALL_PIECES, b"".join(frame(1, b"m%d" % i) for i in range(8))),
        "server-close": (WS_SERVER_CLOSE, SMALL_PIECES, frame(1, b"x") + close(1000)),
        "going-away": (WS_GOING_AWAY | WS_ECHO, SMALL_PIECES, frame(1, b"x") + frame(1, b"y")),
        "no-eof": (WS_NO_EOF, SMALL_PIECES, frame(1, b"partial", fin=False)),
        "zero-mask": (WS_MAX_200, SMALL_PIECES, frame(1, b"zero mask", mask=b"\0\0\0\0")),
        # Found while fuzzing: a ping read together with a protocol error gets no pong (wslay sends its close first).
        "ping-then-protocol-error": (0, SMALL_PIECES, frame(9, b"p1") + b"\xff\x00"),
        # Found while fuzzing: a close frame cut short, with a non-ASCII reason.
        "cut-close-non-ascii-reason": (0, SMALL_PIECES, frame(8, b"\x03\xe8\xc3\xa9\xff\xfe\x01\x02\x03\x04")[:14]),
    }
    for name, (flags, split, payload) in seeds.items():
        write("websocket", name, flags, split, payload)


if __name__ == "__main__":
    http()
    websocket()
