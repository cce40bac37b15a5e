"""A name server for tests, on 127.0.0.1: UDP and TCP on one free port, records from a JSON zone file
that is read again for every query (so a test can change what it serves).

Zone file: {"name": {"TXT": [...], "MX": [[10, "host"]], "A": ["1.2.3.4"], "AAAA": [...], "CNAME": "target",
"rcode": "NXDOMAIN" | "SERVFAIL" | "REFUSED", "truncate": true, "decoys": true, "drop": N}, ...}.
A TXT value is a string (cut into 255-byte character-strings) or a list of character-strings.
`truncate`: UDP answers carry TC and no records, so the client must ask over TCP. `decoys`: before the
answer, a UDP reply with another id and one for another question. `drop`: the first N UDP queries for the
name get no answer. A name not in the file is NXDOMAIN; a CNAME is followed as a recursive server does.

Prints `PORT <n>` once listening and `<udp|tcp> <name> <type>` for each query.
"""
import json
import socket
import struct
import sys
import threading

from dnslib import AAAA, CNAME, MX, QTYPE, RCODE, RR, TXT, A, DNSLabel, DNSRecord

zone_path = sys.argv[1]
drops = {}
lock = threading.Lock()


def log(line):
    with lock:
        print(line, flush=True)


def load():
    with open(zone_path) as f:
        return {key.lower().rstrip("."): value for key, value in json.load(f).items()}


def chunks(value):
    if isinstance(value, list):
        return [part.encode() for part in value]
    data = value.encode()
    return [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]


def rdata(kind, value):
    if kind == "TXT":
        return TXT(chunks(value))
    if kind == "MX":
        return MX(value[1], value[0])
    if kind == "A":
        return A(value)
    if kind == "AAAA":
        return AAAA(value)
    raise ValueError(kind)


def answer(request, protocol):
    zone = load()
    qname = str(request.q.qname).rstrip(".")
    qtype = QTYPE[request.q.qtype]
    log(f"{protocol} {qname} {qtype}")
    entry = zone.get(qname.lower())
    reply = request.reply()
    if entry is None:
        reply.header.rcode = RCODE.NXDOMAIN
        return reply, {}
    if "rcode" in entry:
        reply.header.rcode = getattr(RCODE, entry["rcode"])
        return reply, entry
    if protocol == "udp" and entry.get("truncate"):
        reply.header.tc = 1
        return reply, entry
    owner, hops = qname, 0
    while entry is not None and hops < 8:
        if "CNAME" in entry and qtype != "CNAME":
            reply.add_answer(RR(owner, QTYPE.CNAME, rdata=CNAME(entry["CNAME"]), ttl=60))
            owner = entry["CNAME"].rstrip(".")
            entry, hops = zone.get(owner.lower()), hops + 1
            continue
        if qtype == "CNAME" and "CNAME" in entry:
            reply.add_answer(RR(owner, QTYPE.CNAME, rdata=CNAME(entry["CNAME"]), ttl=60))
        for value in entry.get(qtype, []) if qtype != "CNAME" else []:
            reply.add_answer(RR(owner, getattr(QTYPE, qtype), rdata=rdata(qtype, value), ttl=60))
        break
    return reply, zone.get(qname.lower(), {})


def serve_udp(sock):
    while True:
        data, peer = sock.recvfrom(65535)
        try:
            request = DNSRecord.parse(data)
        except Exception:
            continue
        reply, entry = answer(request, "udp")
        key = str(request.q.qname).lower()
        with lock:
            dropped = drops.get(key, 0)
            if dropped < entry.get("drop", 0):
                drops[key] = dropped + 1
                continue
        if entry.get("decoys"):
            wrong_id = DNSRecord.parse(reply.pack())
            wrong_id.header.id = (reply.header.id + 1) % 65536
            sock.sendto(wrong_id.pack(), peer)
            other = DNSRecord.question("decoy." + str(request.q.qname), QTYPE[request.q.qtype]).reply()
            other.header.id = reply.header.id
            other.add_answer(RR(str(request.q.qname), request.q.qtype, rdata=TXT([b"decoy"]), ttl=60)
                             if request.q.qtype == QTYPE.TXT else RR(str(request.q.qname), QTYPE.A, rdata=A("192.0.2.66")))
            sock.sendto(other.pack(), peer)
        sock.sendto(reply.pack(), peer)


def read_exactly(conn, count):
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve_tcp_connection(conn):
    with conn:
        while True:
            header = read_exactly(conn, 2)
            if header is None:
                return
            data = read_exactly(conn, struct.unpack("!H", header)[0])
            if data is None:
                return
            reply, _ = answer(DNSRecord.parse(data), "tcp")
            packed = reply.pack()
            conn.sendall(struct.pack("!H", len(packed)) + packed)


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_tcp_connection, args=(conn,), daemon=True).start()


def bind():
    # A free port for both protocols: take one for UDP, then the same for TCP (retry if TCP's is taken).
    for _ in range(100):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        tcp.listen(16)
        return udp, tcp, port
    raise SystemExit("no free port")


udp, tcp, port = bind()
threading.Thread(target=serve_tcp, args=(tcp,), daemon=True).start()
log(f"PORT {port}")
serve_udp(udp)
