#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Wire helpers for the interop tests (tests/vm/test_interop.sh). Standard library only: in the
emulated guest, importing scapy costs 10-20 s.

  wire.py dissect PCAP   one JSON object a line per IPv4/IPv6 packet carrying IPv4 (protocol 4) or
                         IPv6 (41), after IPv6 hop-by-hop / destination-options headers. Keys:
                         family, src, dst, ttl (TTL / hop limit), tos (TOS / traffic class), dscp,
                         ecn, df and id (IPv4), flowlabel (IPv6), exthdrs (list of next-header
                         numbers walked), encap_limit (RFC 2473 option value, or null), csum_ok
                         (IPv4 header checksum), len_ok, inner_version, inner_src, inner_dst,
                         inner_proto, inner_ttl, inner_tos, inner_dscp, inner_ecn, and for an
                         IPv4 inner packet inner_df, inner_id, inner_csum_ok.
  wire.py plain PCAP     the same keys without inner_* for every IPv4/IPv6 packet: what a capture
                         on a tunnel device holds (Ethernet, raw IP or Linux cooked link types).
  wire.py check dissect|plain PCAP
                         check the packets (as dissect / plain gives them) against rules read
                         from stdin, one a line: NAME<TAB>COUNT<TAB>SELECT<TAB>WANT. SELECT and
                         WANT are space-separated K=V (V is JSON when it parses, else a string;
                         "@KEY" means the packet's own KEY field). The packets having every
                         SELECT K=V must number COUNT ("N" exactly, "N+" at least) and each must
                         have every WANT K=V; WANT "@distinct=KEY": KEY takes more than one value
                         among them. Prints "PASS<TAB>NAME" or "FAIL<TAB>NAME<TAB>why" a rule.
  wire.py inject IFACE DSTMAC OSRC ODST ISRC IDST COUNT [otos=N[,N...]] [itos=N[,N...]]
                         send COUNT ICMP / ICMPv6 echo requests ISRC->IDST (id 0x4747) inside an
                         outer IPv4 (DF set) or IPv6 header OSRC->ODST, as Ethernet frames on
                         IFACE through an AF_PACKET socket; otos / itos: outer / inner TOS or
                         traffic class. With lists (of one length), COUNT packets per pair.
"""
import ipaddress
import json
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ntop(fam, b):
    return socket.inet_ntop(socket.AF_INET if fam == 4 else socket.AF_INET6, b)


def ip_header(b):
    """Fields of the IP header at b, the offset of its payload and the payload's protocol."""
    if len(b) >= 20 and b[0] >> 4 == 4:
        ihl = (b[0] & 15) * 4
        tot = struct.unpack("!H", b[2:4])[0]
        return dict(family=4, src=ntop(4, b[12:16]), dst=ntop(4, b[16:20]), ttl=b[8],
                    tos=b[1], df=bool(b[6] & 0x40), id=struct.unpack("!H", b[4:6])[0],
                    csum_ok=csum(b[:ihl]) == 0, len_ok=tot == len(b)), ihl, b[9]
    if len(b) >= 40 and b[0] >> 4 == 6:
        vtf = struct.unpack("!I", b[0:4])[0]
        plen = struct.unpack("!H", b[4:6])[0]
        h = dict(family=6, src=ntop(6, b[8:24]), dst=ntop(6, b[24:40]), ttl=b[7],
                 tos=(vtf >> 20) & 0xFF, flowlabel=vtf & 0xFFFFF, csum_ok=True,
                 len_ok=plen + 40 == len(b), exthdrs=[], encap_limit=None)
        nh, off = b[6], 40
        while nh in (0, 60) and off + 8 <= len(b):
            h["exthdrs"].append(nh)
            hlen = (b[off + 1] + 1) * 8
            opt = off + 2
            while opt < off + hlen and opt < len(b):
                if b[opt] == 0:		# Pad1
                    opt += 1
                    continue
                if b[opt] == 4 and opt + 2 < len(b):	# tunnel encapsulation limit
                    h["encap_limit"] = b[opt + 2]
                opt += 2 + b[opt + 1]
            nh, off = b[off], off + hlen
        return h, off, nh
    return None, 0, 0


def with_dscp_ecn(d, prefix=""):
    if prefix + "tos" in d:
        d[prefix + "dscp"] = d[prefix + "tos"] >> 2
        d[prefix + "ecn"] = d[prefix + "tos"] & 3
    return d


def frames(path):
    """(link type, bytes) of each packet of a pcap file"""
    with open(path, "rb") as f:
        magic = f.read(24)
        if len(magic) < 24:
            return
        endian = "<" if magic[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        linktype = struct.unpack(endian + "I", magic[20:24])[0]
        while len(rec := f.read(16)) == 16:
            caplen = struct.unpack(endian + "IIII", rec)[2]
            yield linktype, f.read(caplen)


def l3(linktype, pkt):
    """the IP packet in a frame of the given link type, or None"""
    if linktype == 1:		# Ethernet (VLAN tags skipped)
        off, et = 12, pkt[12:14]
        while et in (b"\x81\x00", b"\x88\xa8"):
            off += 4
            et = pkt[off:off + 2]
        return pkt[off + 2:] if et in (b"\x08\x00", b"\x86\xdd") else None
    if linktype in (101, 228, 229, 12, 14):	# raw IP
        return pkt
    if linktype == 113:		# Linux cooked v1
        return pkt[16:] if pkt[14:16] in (b"\x08\x00", b"\x86\xdd") else None
    if linktype == 276:		# Linux cooked v2
        return pkt[20:] if pkt[0:2] in (b"\x08\x00", b"\x86\xdd") else None
    return None


def packets(path, plain=False):
    for lt, pkt in frames(path):
        b = l3(lt, pkt)
        if b is None:
            continue
        h, off, nh = ip_header(b)
        if h is None:
            continue
        h["proto"] = nh
        if plain:
            yield with_dscp_ecn(h)
            continue
        if nh not in (4, 41):
            continue
        i, _, inh = ip_header(b[off:])
        if i is not None:
            h.update(inner_version=i["family"], inner_src=i["src"], inner_dst=i["dst"],
                     inner_proto=inh, inner_ttl=i["ttl"], inner_tos=i["tos"])
            if i["family"] == 4:
                h.update(inner_df=i["df"], inner_id=i["id"], inner_csum_ok=i["csum_ok"])
        yield with_dscp_ecn(with_dscp_ecn(h), "inner_")


def dissect(path, plain=False):
    for h in packets(path, plain):
        print(json.dumps(h, sort_keys=True))


def kvs(text):
    out = []
    for arg in text.split():
        key, val = arg.split("=", 1)
        try:
            val = json.loads(val)
        except ValueError:
            pass
        out.append((key, val))
    return out


def check(mode, path):
    pkts = list(packets(path, mode == "plain"))
    for line in sys.stdin:
        if not line.strip():
            continue
        name, count, sel, want = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
        got = [p for p in pkts if all(p.get(k) == v for k, v in kvs(sel))]
        bad = []
        n = int(count.rstrip("+"))
        if len(got) < n or (len(got) != n and not count.endswith("+")):
            bad.append(f"{len(got)} of {len(pkts)} packets have {sel or 'anything'}, want {count}")
        for key, val in kvs(want):
            if key == "@distinct":
                if len({p.get(val) for p in got}) < 2:
                    bad.append(f"{val} the same in all {len(got)}: {got[0].get(val) if got else None}")
                continue
            seen = set()
            ref = isinstance(val, str) and val.startswith("@")
            for p in got:
                exp = p.get(val[1:]) if ref else val
                if p.get(key) != exp:
                    seen.add(f"{key}: got {json.dumps(p.get(key))}, want {json.dumps(exp)}" +
                             (f" ({val})" if ref else ""))
            bad.extend(sorted(seen)[:4])
        print("PASS\t" + name if not bad else "FAIL\t%s\t%s" % (name, "; ".join(bad)))


def build_ip(src, dst, proto, tos, payload, df=True, ttl=64):
    if ":" in src:
        return struct.pack("!IHBB16s16s", (6 << 28) | (tos << 20), len(payload), proto, ttl,
                           socket.inet_pton(socket.AF_INET6, src),
                           socket.inet_pton(socket.AF_INET6, dst)) + payload
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0x4747,
                    0x4000 if df else 0, ttl, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def echo(src, dst, tos, seq):
    data = b"gifctl-interop" * 4
    if ":" in src:
        icmp = struct.pack("!BBHHH", 128, 0, 0, 0x4747, seq) + data
        pseudo = (socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) +
                  struct.pack("!IxxxB", len(icmp), 58))
        icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
        return build_ip(src, dst, 58, tos, icmp)
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4747, seq) + data
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    return build_ip(src, dst, 1, tos, icmp)


def inject(iface, dstmac, osrc, odst, isrc, idst, count, *opts):
    tos = {"otos": [0], "itos": [0]}
    for opt in opts:
        key, val = opt.split("=", 1)
        if key not in tos:
            sys.exit(f"inject: unknown option {key}")
        tos[key] = [int(v, 0) for v in val.split(",")]
    if len(tos["otos"]) != len(tos["itos"]):
        tos["otos" if len(tos["otos"]) == 1 else "itos"] *= max(map(len, tos.values()))
    ipaddress.ip_address(osrc), ipaddress.ip_address(isrc)	# validate
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    src_mac = s.getsockname()[4]
    et = b"\x86\xdd" if ":" in osrc else b"\x08\x00"
    for otos, itos in zip(tos["otos"], tos["itos"]):
        for seq in range(int(count)):
            inner = echo(isrc, idst, itos, seq)
            outer = build_ip(osrc, odst, 41 if ":" in isrc else 4, otos, inner)
            s.send(bytes.fromhex(dstmac.replace(":", "")) + src_mac + et + outer)
            time.sleep(0.01)


if __name__ == "__main__":
    cmds = {"dissect": dissect, "plain": lambda p: dissect(p, True), "check": check,
            "inject": inject}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
