"""Verifies a message's DKIM-Signature with dkimpy, the key record served from the command line
instead of DNS. Usage: dkim_verify.py MESSAGE_FILE 'selector._domainkey.domain.' 'v=DKIM1; k=rsa; p=...'
Prints {"verified": bool, "log": "..."}."""
import io
import json
import logging
import sys

import dkim

path, name, record = sys.argv[1], sys.argv[2], sys.argv[3]
asked = []


def dnsfunc(query, timeout=5):
    text = query.decode() if isinstance(query, bytes) else query
    asked.append(text)
    return record.encode() if text.rstrip(".") == name.rstrip(".") else None


log = io.StringIO()
logger = logging.getLogger("dkim")
logger.addHandler(logging.StreamHandler(log))
logger.setLevel(logging.DEBUG)
with open(path, "rb") as f:
    message = f.read()
verified = dkim.verify(message, logger=logger, dnsfunc=dnsfunc)
print(json.dumps({"verified": bool(verified), "asked": asked, "log": log.getvalue()}))
