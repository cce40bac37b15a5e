"""Parses an RFC 5322 message from stdin with Python's email package (policy.default) and prints what a
mail client would see, as JSON: decoded headers, addresses, parts, defects, the longest raw line."""
import email
import email.policy
import json
import sys

raw = sys.stdin.buffer.read()
message = email.message_from_bytes(raw, policy=email.policy.default)


def mailboxes(name):
    header = message[name]
    if header is None:
        return None
    return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]


def defects(part):
    found = [type(d).__name__ for d in part.defects]
    for name, value in part.items():
        found += [f"{name}: {type(d).__name__}" for d in getattr(value, "defects", ())]
    return found


parts = []
for part in message.walk():
    if part.is_multipart():
        continue
    parts.append({
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "encoding": part["Content-Transfer-Encoding"],
        "content": part.get_content(),
        "defects": defects(part),
    })

lines = raw.split(b"\r\n")
print(json.dumps({
    "headers": [[name, str(value)] for name, value in message.items()],
    "from": mailboxes("From"),
    "to": mailboxes("To"),
    "reply_to": mailboxes("Reply-To"),
    "subject": message["Subject"],
    "date": message["Date"].datetime.isoformat() if message["Date"] else None,
    "message_id": message["Message-ID"],
    "content_type": message.get_content_type(),
    "boundary": message.get_boundary(),
    "parts": parts,
    "defects": defects(message),
    "longest_line": max(len(line) for line in lines),
    "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
    "bare_cr": b"\r" in raw.replace(b"\r\n", b""),
    "ends_crlf": raw.endswith(b"\r\n"),
}))
