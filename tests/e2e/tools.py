#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic helpers for the e2e tests (Debian's /usr/bin/python3). Every call is bounded in time.

  tools.py serve ADDR PORT      accept one TCP connection, read to EOF, print "BYTES SHA256"
  tools.py send ADDR PORT N     connect (retrying up to 5 s), send N random bytes,
                                print "BYTES SHA256"
  tools.py inject IFACE DSTMAC OSRC ODST ISRC IDST COUNT [tos=OUTER/INNER...]
                                send COUNT ICMP echo requests ISRC->IDST wrapped in an outer
                                IPv4/IPv6 header OSRC->ODST (protocol 4 or 41), built by scapy;
                                with tos=: COUNT for each pair of outer / inner TOS or traffic
                                class given, in order (default 0/0); OSRC may be a list
                                (SRC1,SRC2,...): COUNT for each source
  tools.py match COUNT K=V... -- K=V...
                                stdin: a JSON array or one JSON object a line. Select the objects
                                with every K=V before "--" (COUNT of them: "N" exactly, "N+" at
                                least), each must have every K=V after it; prints what differs.
                                V is JSON when it parses, else a string. Derived keys: dscp and
                                inner_dscp (tos >> 2, inner_tos >> 2), ecn and inner_ecn
                                (tos & 3, inner_tos & 3). Several such checks in one call:
                                COUNT K=V... -- K=V... ++ COUNT K=V... -- K=V... ...
"""
import hashlib
import json
import os
import socket
import struct
import sys
import time

TIMEOUT = 25


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(addr, port, delay=0):
    srv = socket.socket(family(addr), socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, int(port)))
    srv.listen(1)
    srv.settimeout(TIMEOUT)
    conn, _ = srv.accept()
    conn.settimeout(TIMEOUT)
    time.sleep(float(delay))  # the sender fills the receive queue meanwhile
    digest, total = hashlib.sha256(), 0
    while chunk := conn.recv(1 << 16):
        digest.update(chunk)
        total += len(chunk)
    print(total, digest.hexdigest())


def send(addr, port, nbytes):
    deadline = time.monotonic() + 5
    while True:
        try:
            conn = socket.create_connection((addr, int(port)), timeout=TIMEOUT)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    digest, left = hashlib.sha256(), int(nbytes)
    while left:
        chunk = os.urandom(min(left, 1 << 16))
        conn.sendall(chunk)
        digest.update(chunk)
        left -= len(chunk)
    conn.shutdown(socket.SHUT_WR)
    conn.recv(1)  # wait for the server's close: everything was read
    print(nbytes, digest.hexdigest())


def inject(iface, dstmac, osrc, odst, isrc, idst, count, *opts):
    # scapy.all takes seconds to import; the layers needed, a fraction of that
    from scapy.config import conf
    from scapy.layers.inet import ICMP, IP
    from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
    from scapy.layers.l2 import Ether
    from scapy.sendrecv import sendp
    conf.verb = 0
    from scapy.layers.inet6 import IPv6ExtHdrFragment
    # faults: frag (outer MF / fragment header), mismatch (the other protocol number than the
    # inner version's), badsum (outer IPv4 header checksum wrong)
    pairs, faults = [], {o for o in opts if o in ("frag", "mismatch", "badsum")}
    for opt in [o for o in opts if o not in faults] or ["tos=0/0"]:
        if not opt.startswith("tos=") or "/" not in opt:
            sys.exit(f"inject: bad option {opt}, want tos=OUTER/INNER, frag, mismatch or badsum")
        pairs.append([int(v, 0) for v in opt[4:].split("/", 1)])
    proto = (41 if ":" in isrc else 4) ^ (45 if "mismatch" in faults else 0)  # 4 <-> 41
    pkts = []
    for src in osrc.split(","):
        for otos, itos in pairs:
            inner = (IPv6(src=isrc, dst=idst, tc=itos) / ICMPv6EchoRequest(id=0x4747)
                     if ":" in isrc else IP(src=isrc, dst=idst, tos=itos) / ICMP(id=0x4747))
            if ":" in odst:
                if "frag" in faults:  # next header 44 (scapy's default for what follows)
                    out = IPv6(src=src, dst=odst, tc=otos) / IPv6ExtHdrFragment(nh=proto, m=1)
                else:
                    out = IPv6(src=src, dst=odst, nh=proto, tc=otos)
            else:
                out = IP(src=src, dst=odst, proto=proto, tos=otos,
                         flags="MF" if "frag" in faults else "DF")
                if "badsum" in faults:
                    out.chksum = 0x1234
            pkts += [Ether(dst=dstmac) / out / inner] * int(count)
    sendp(pkts, iface=iface, inter=0.01)


def send_paged(iface, src, dst, port, size, count):
    """COUNT UDP datagrams of SIZE payload bytes to DST:PORT, sent out of IFACE by a packet socket
    whose virtio-net header (PACKET_VNET_HDR) asks for a 14-byte linear part: a frame of a page or
    more then leaves with its IP and UDP headers in the paged part (net/packet packet_alloc_skb)"""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    ip = IPv6(src=src, dst=dst) if ":" in dst else IP(src=src, dst=dst)
    payload = bytes(range(256)) * (int(size) // 256 + 1)
    udp = UDP(sport=40000, dport=int(port)) / payload[:int(size)]
    frame = bytes(Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / ip / udp)
    vnet_hdr = struct.pack("<BBHHHH", 0, 0, 14, 0, 0, 0)  # no offloads, hdr_len 14
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.setsockopt(263, 15, 1)  # SOL_PACKET, PACKET_VNET_HDR
        s.bind((iface, 0))
        for _ in range(int(count)):
            s.send(vnet_hdr + frame)
            time.sleep(0.01)


def recv_udp(addr, port, count):
    """Prints the length and SHA-256 of each of COUNT datagrams to ADDR:PORT (until TIMEOUT)"""
    with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
        s.bind((addr, int(port)))
        s.settimeout(TIMEOUT)
        print("ready", flush=True)
        for _ in range(int(count)):
            data = s.recv(1 << 16)
            print(len(data), hashlib.sha256(data).hexdigest(), flush=True)


def match(*args):
    def kv(arg):
        key, val = arg.split("=", 1)
        try:
            return key, json.loads(val)
        except ValueError:
            return key, val

    def one(count, *args):
        split = args.index("--")
        sel, want = dict(map(kv, args[:split])), dict(map(kv, args[split + 1:]))
        got = [o for o in objs if all(o.get(k) == v for k, v in sel.items())]
        bad = sorted({f"{k}: got {json.dumps(o.get(k))}, want {json.dumps(v)}"
                      for o in got for k, v in want.items() if o.get(k) != v})
        n = int(count.rstrip("+"))
        if len(got) < n or (len(got) != n and not count.endswith("+")):
            bad.insert(0, f"{len(got)} of {len(objs)} objects have {sel}, want {count}")
        elif bad:
            bad.insert(0, f"of the objects with {sel}:")
        return bad

    text = sys.stdin.read()
    try:
        objs = json.loads(text)
    except ValueError:
        objs = [json.loads(line) for line in text.splitlines() if line.strip()]
    for obj in objs:
        for key in ("tos", "inner_tos"):
            if key in obj:
                obj[key.replace("tos", "dscp")] = obj[key] >> 2
                obj[key.replace("tos", "ecn")] = obj[key] & 3
    bad, group = [], []
    for arg in args + ("++",):
        if arg != "++":
            group.append(arg)
            continue
        bad += one(*group)
        group = []
    if bad:
        sys.exit("\n".join(bad))


if __name__ == "__main__":
    cmds = {"serve": serve, "send": send, "inject": inject, "match": match,
            "send_paged": send_paged, "recv_udp": recv_udp}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
