"""Sends malformed and smuggling requests, each on a fresh connection, through http.client's parser.

Usage: malformed.py PORT. Prints JSON: {case: {"status": int, "closed": bool, "code": str}}.
"""
import http.client
import json
import socket
import sys

from shared_reader import SharedReader

port = int(sys.argv[1])
ONLY = sys.argv[2:] or None
CASES = {
    "content_length_and_chunked": b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad_chunk_size": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "control_byte_in_value": b"GET /hello HTTP/1.1\r\nHost: t\r\nX-Bad: a\x01b\r\n\r\n",
    "space_in_header_name": b"GET /hello HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n",
    "duplicate_content_length": b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    "missing_host": b"GET /hello HTTP/1.1\r\n\r\n",
    "garbage": b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n",
    "bad_version": b"GET /hello HTTP/9.7\r\nHost: t\r\n\r\n",
    "unknown_transfer_coding": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "headers_too_large": b"GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
    "body_too_large": b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 999999999\r\n\r\nabc",
    "chunked_body_too_large": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"8000\r\n" + b"b" * 0x8000 + b"\r\n") * 40,
    "unknown_expectation": b"POST /echo HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\nhi",
    "connect_method": b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    # Lenient framing that http-parser reads one way and a strict front proxy another (all 400).
    "framing_bytes_after_chunk_data": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
    "framing_bytes_after_streamed_chunk_data": b"POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
    "framing_bare_lf_in_chunk_extension": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2;a\nb\r\n{}\r\n0\r\n\r\n",
    "framing_nul_in_chunk_extension": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2;a\x00b\r\n{}\r\n0\r\n\r\n",
    "framing_bare_lf_after_chunk_size": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n",
    "framing_obs_fold_transfer_encoding": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:\r\n chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "framing_obs_fold_content_length": b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length:\r\n\t2\r\n\r\n{}",
    "framing_bare_lf_line_ends": b"GET /hello HTTP/1.1\nHost: t\n\n",
    "framing_cr_without_lf_ends_head": b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\rX{}",
    "framing_tab_in_request_line": b"GET /hel\tlo HTTP/1.1\r\nHost: t\r\n\r\n",
    "framing_space_before_colon": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "framing_tab_before_colon": b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding\t: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "absolute_form_other_scheme": b"GET ftp://127.0.0.1/hello HTTP/1.1\r\nHost: t\r\n\r\n",
    "absolute_form_userinfo": b"GET http://user@127.0.0.1/hello HTTP/1.1\r\nHost: t\r\n\r\n",
    "absolute_form_bad_port": b"GET http://127.0.0.1:99999/hello HTTP/1.1\r\nHost: t\r\n\r\n",
}


results = {}
for name, payload in CASES.items():
    if ONLY and name not in ONLY:
        continue
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        sock.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass
    wrapped = SharedReader(sock)
    response = http.client.HTTPResponse(wrapped, method="GET")
    response.begin()
    body = response.read()
    try:
        code = json.loads(body)["error"]["code"]
    except Exception:
        code = None
    try:
        closed = wrapped.reader.read() == b""
    except ConnectionResetError:
        closed = True
    except TimeoutError:
        closed = False
    results[name] = {"status": response.status, "closed": closed, "code": code}
    sock.close()
print(json.dumps(results))
