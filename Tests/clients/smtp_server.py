"""A local mail submission server (aiosmtpd) for the SMTP client's tests.

Usage: smtp_server.py DIR --mode starttls|tls|plain --cert CERT --key KEY --user USER --password PASSWORD
Prints "PORT <n>" once listening on 127.0.0.1. starttls: plain connection, STARTTLS offered and required
before anything else; tls: TLS from the first byte; plain: no TLS at all (a client requiring it must give
up). AUTH (PLAIN or LOGIN) with USER/PASSWORD is required before MAIL, and only over TLS.

Every AUTH attempt is saved as DIR/auth-<n>.json {mechanism, login, ok, tls}; every message taken as
DIR/message-<n>.json {mail_from, rcpt_tos, data (latin-1 text of the bytes received), tls, authenticated,
queue_id}. Outcomes by recipient local part: temp-rcpt -> 451 to RCPT; bad-rcpt -> 550 to RCPT;
drop-rcpt -> the connection is closed at RCPT; temp-data -> 452 after the data; bad-data -> 554 after the
data; hang-data -> the data is saved, then no answer for 60 s; anything else -> 250 with a queue id.
"""
import asyncio
import json
import os
import secrets
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

args = sys.argv[1:]
directory = args[0]
options = dict(zip(args[1::2], args[2::2]))
mode = options["--mode"]
user, password = options["--user"], options["--password"]
counter = {"auth": 0, "message": 0}


def save(kind, record):
    counter[kind] += 1
    path = os.path.join(directory, f"{kind}-{counter[kind]}.json")
    with open(path + ".tmp", "w") as f:
        json.dump(record, f)
    os.rename(path + ".tmp", path)


def encrypted(server):
    return server.transport.get_extra_info("ssl_object") is not None


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    save("auth", {"mechanism": mechanism, "login": auth_data.login.decode() if isinstance(auth_data, LoginPassword) else None,
                  "ok": ok, "tls": encrypted(server)})
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local == "temp-rcpt":
            return "451 4.3.0 Try again later"
        if local == "bad-rcpt":
            return "550 5.1.1 No such user here"
        if local == "drop-rcpt":
            server.transport.close()
            return "421 closing"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        local = envelope.rcpt_tos[0].split("@")[0]
        queue_id = secrets.token_hex(6).upper()
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                  "data": envelope.original_content.decode("latin-1"), "tls": encrypted(server),
                  "authenticated": bool(session.authenticated),
                  "queue_id": queue_id}
        if local == "temp-data":
            return "452 4.3.1 Insufficient system storage"
        if local == "bad-data":
            return "554 5.7.1 Message refused"
        save("message", record)
        if local == "hang-data":
            await asyncio.sleep(60)
        return f"250 2.0.0 Ok: queued as {queue_id}"


def tls_context():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(options["--cert"], options["--key"])
    return context


async def main():
    # aiosmtpd counts only STARTTLS as TLS: on an implicit-TLS port it must be told AUTH may go ahead.
    kwargs = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": mode == "starttls",
              "hostname": "mx.test"}
    if mode == "starttls":
        kwargs.update(tls_context=tls_context(), require_starttls=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Handler(), **kwargs), "127.0.0.1", 0,
                                      ssl=tls_context() if mode == "tls" else None)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


asyncio.run(main())
