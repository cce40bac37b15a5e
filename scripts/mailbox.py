#!/usr/bin/env python3
"""The token of an account email's link, read from what a host's simulated system sender kept.

Without a mail provider (SYSTEM_EMAIL_PROVIDER = simulated, the default) every account email (sign-up
verification, password reset, invitation) is kept as an mbox blob of the api worker's FILES bucket, under
the host's data folder (`.ozzi` for `make run`): `<data>/<worker>/r2/<bucket>/blobs/`. This prints the
token of the newest such email to ADDRESS whose link goes to LINK (its `#token=` fragment), waiting for
the email's job to run; it exits 1 naming what it looked for when there is none.

    python3 scripts/mailbox.py me@example.com                    # sign-up's link: POST /api/v1/auth/verify-email
    python3 scripts/mailbox.py me@example.com --link password-reset --data /tmp/host/data
"""

import argparse
import email
import email.policy
import glob
import os
import re
import sys
import time

LINKS = {
    "verify-email": "/api/v1/auth/verify-email",
    "password-reset": "/api/v1/auth/password-reset",
    "invitation": "/api/v1/invitations/accept",
}


def tokens(data: str, address: str, path: str):
    """(modified, token) of each kept email to `address` with a link to `path`."""
    link = re.compile(re.escape(path) + r"#token=([A-Za-z0-9_-]+)")
    for blob in glob.glob(f"{data}/*/r2/*/blobs/*"):
        with open(blob, "rb") as file:
            raw = file.read()
        # A system email is a pack of its own: an mbox `From ` line, then the message.
        if not raw.startswith(b"From "):
            continue
        message = email.message_from_bytes(raw.split(b"\n", 1)[1], policy=email.policy.default)
        if address.lower() not in str(message["To"]).lower():
            continue
        body = message.get_body(("plain",))
        found = link.search(body.get_content()) if body else None
        if found:
            yield os.path.getmtime(blob), found.group(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("address")
    parser.add_argument("--data", default=".ozzi", help="the host's data folder (--data-dir; default .ozzi)")
    parser.add_argument("--link", choices=sorted(LINKS), default="verify-email")
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait for the email (default 30)")
    args = parser.parse_args()
    deadline = time.monotonic() + args.wait
    while True:
        found = max(tokens(args.data, args.address, LINKS[args.link]), default=None)
        if found:
            print(found[1])
            return 0
        if time.monotonic() > deadline:
            print(f"no email to {args.address} with a link to {LINKS[args.link]} in {args.data}", file=sys.stderr)
            return 1
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
