#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Independent dissector for the e2e tests: read a pcap, print one JSON object per line for every
IPv4/IPv6 packet whose protocol / next header is 4 (IPv4 inside) or 41 (IPv6 inside).
With --plain (dissect.py --plain PCAP), every IPv4/IPv6 packet instead, without the inner_ keys:
what a capture on a gif device holds.

Keys: family (4|6), src, dst, proto, ttl (TTL or hop limit), tos (TOS or traffic class),
df (IPv4 only), id (IPv4 only), csum_ok (IPv4 header checksum recomputed; true for IPv6),
len_ok (total / payload length matches the captured frame), flow (IPv6 only: the flow label),
inner_version, inner_src, inner_dst, inner_proto, inner_tos, inner_sport (TCP/UDP inner packets
only). Works on the raw bytes, so nothing is "fixed up" by scapy.
Run with Debian's /usr/bin/python3 (python3-scapy).
"""
import json
import sys

from scapy.layers.inet import IP  # not scapy.all: it takes seconds to import
from scapy.layers.inet6 import IPv6
from scapy.utils import RawPcapReader, checksum


def l3(raw):
    """Offset of the first IP header in an Ethernet frame (VLAN tags skipped), or None."""
    off, etype = 12, int.from_bytes(raw[12:14], "big")
    while etype in (0x8100, 0x88A8):
        off += 4
        etype = int.from_bytes(raw[off:off + 2], "big")
    return off + 2 if etype in (0x0800, 0x86DD) else None


def inner(payload, proto):
    ip = IP(payload) if proto == 4 else IPv6(payload)
    rec = {
        "inner_version": ip.version,
        "inner_src": ip.src,
        "inner_dst": ip.dst,
        "inner_proto": ip.proto if proto == 4 else ip.nh,
        "inner_tos": ip.tos if proto == 4 else ip.tc,
    }
    if rec["inner_proto"] in (6, 17) and hasattr(ip.payload, "sport"):
        rec["inner_sport"] = ip.payload.sport
    return rec


def outer(pkt, plain=False):
    off = l3(pkt)
    if off is None:
        return None
    hdr, rest = pkt[off:], len(pkt) - off
    if hdr[0] >> 4 == 4:
        ip = IP(hdr)
        ihl = ip.ihl * 4
        if ip.proto not in (4, 41) and not plain:
            return None
        return dict(family=4, src=ip.src, dst=ip.dst, proto=ip.proto, ttl=ip.ttl, tos=ip.tos,
                    df=bool(ip.flags & 2), id=ip.id, csum_ok=checksum(hdr[:ihl]) == 0,
                    len_ok=ip.len == rest,
                    **({} if plain else inner(hdr[ihl:ip.len], ip.proto)))
    if hdr[0] >> 4 == 6:
        ip = IPv6(hdr)
        if ip.nh not in (4, 41) and not plain:
            return None
        return dict(family=6, src=ip.src, dst=ip.dst, proto=ip.nh, ttl=ip.hlim, tos=ip.tc,
                    flow=ip.fl, csum_ok=True, len_ok=ip.plen + 40 == rest,
                    **({} if plain else inner(hdr[40:40 + ip.plen], ip.nh)))
    return None


def main():
    plain = sys.argv[1] == "--plain"
    for pkt, _ in RawPcapReader(sys.argv[-1]):
        rec = outer(pkt, plain)
        if rec:
            print(json.dumps(rec, sort_keys=True))


if __name__ == "__main__":
    main()
