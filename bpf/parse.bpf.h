/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of an arriving frame's outer IPv4/IPv6 header for decapsulation: bounds-checked, IPv4
 * options honoured, IPv6 hop-by-hop and destination-options headers skipped (Linux ip6tnl peers
 * add an encapsulation-limit option by default).
 */
#ifndef GIF_PARSE_BPF_H
#define GIF_PARSE_BPF_H

#include "csum.bpf.h"

/* 6.1 verifier: BPF_END leaves the register unbounded; re-bound it. */
static __always_inline __u32 ntohs_bounded(__u16 v)
{
	__u32 r = bpf_ntohs(v);

	barrier_var(r);
	return r & 0xffff;
}

/* Extension headers walked before giving up on an IPv6 packet. */
#define GIF_MAX_EXTHDRS 8
/* Outer headers longer than this (options, extension headers) are not decapsulated. */
#define GIF_MAX_OUTER_LEN 512

enum outer_verdict {
	OUTER_TUNNEL,		/* a tunnel packet: key, outer_len, inner_proto and payload_len set */
	OUTER_OTHER,		/* not IP-in-IP: leave it to the stack, uncounted */
	OUTER_MALFORMED,	/* claims to be IP-in-IP but its outer header is inconsistent */
	OUTER_FRAGMENT,		/* an outer fragment: cannot be reassembled here */
};

struct outer {
	struct gif_pair key;
	__u32 outer_len;	/* outer IP header bytes, options/extension headers included */
	__u32 payload_len;	/* bytes after the outer headers, as the outer header says */
	__u8 inner_proto;	/* IPPROTO_IPIP or IPPROTO_IPV6 */
	__u8 ecn;		/* the outer ECN field */
};

static __always_inline bool is_ipip(__u8 proto)
{
	return proto == IPPROTO_IPIP || proto == IPPROTO_IPV6;
}

/*
 * l3: the outer IP header; end: the end of what is readable there; l3len: the packet's bytes from
 * l3 on (XDP: end - l3; TC: the paged part of the packet too).
 */
static __always_inline enum outer_verdict parse_outer4(void *l3, void *end, __u32 l3len,
						       struct outer *o)
{
	struct iphdr *ip = l3;
	__u32 hlen, tot_len;

	if ((void *)(ip + 1) > end || !is_ipip(ip->protocol))
		return OUTER_OTHER;
	hlen = ip->ihl * 4;
	tot_len = ntohs_bounded(ip->tot_len);
	if (ip->version != 4 || hlen < IPV4_HLEN || tot_len < hlen || tot_len > l3len)
		return OUTER_MALFORMED;
	if (!ipv4_pkt_csum_ok(ip, hlen, end))
		return OUTER_MALFORMED;
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return OUTER_FRAGMENT;
	o->key.family = AF_INET;
	__builtin_memcpy(o->key.local, &ip->daddr, 4);
	__builtin_memcpy(o->key.remote, &ip->saddr, 4);
	o->outer_len = hlen;
	o->payload_len = tot_len - hlen;
	o->inner_proto = ip->protocol;
	o->ecn = ip->tos & 3;
	return OUTER_TUNNEL;
}

static __always_inline enum outer_verdict parse_outer6(void *l3, void *end, __u32 l3len,
						       struct outer *o)
{
	struct ipv6hdr *ip6 = l3;
	__u32 off = IPV6_HLEN, plen;
	__u8 nexthdr;

	if ((void *)(ip6 + 1) > end)
		return OUTER_OTHER;
	nexthdr = ip6->nexthdr;
	plen = ntohs_bounded(ip6->payload_len);

#pragma unroll
	for (int i = 0; i < GIF_MAX_EXTHDRS; i++) {
		struct ipv6_opt_hdr *opt;

		if (is_ipip(nexthdr))
			break;
		if (nexthdr == NEXTHDR_FRAGMENT)
			return OUTER_FRAGMENT;
		if (nexthdr != NEXTHDR_DEST && !(nexthdr == NEXTHDR_HOP && i == 0))
			return OUTER_OTHER;
		opt = l3 + off;
		if ((void *)(opt + 1) > end)
			return OUTER_OTHER;
		nexthdr = opt->nexthdr;
		off += (opt->hdrlen + 1) * 8;
		if (off > GIF_MAX_OUTER_LEN)
			return OUTER_OTHER;
	}
	if (!is_ipip(nexthdr))
		return OUTER_OTHER;
	if (ip6->version != 6 || plen == 0 || off > IPV6_HLEN + plen ||
	    IPV6_HLEN + plen > l3len)
		return OUTER_MALFORMED;
	o->key.family = AF_INET6;
	__builtin_memcpy(o->key.local, &ip6->daddr, 16);
	__builtin_memcpy(o->key.remote, &ip6->saddr, 16);
	o->outer_len = off;
	o->payload_len = IPV6_HLEN + plen - off;
	o->inner_proto = nexthdr;
	o->ecn = (ip6->flow_lbl[0] >> 4) & 3;
	return OUTER_TUNNEL;
}

/*
 * A source no tunnel may have: IPv4 0/8, 127/8, multicast, class E and broadcast; IPv6 unspecified,
 * loopback, multicast and IPv4-mapped.
 */
static __always_inline bool is_martian(const struct gif_pair *key)
{
	const __u8 *a = key->remote;
	const __u32 *w = (const __u32 *)a;

	if (key->family == AF_INET)
		return a[0] == 0 || a[0] == 127 || a[0] >= 224;
	if (a[0] == 0xff)
		return true;
	if (w[0] || w[1])
		return false;
	return (w[2] == 0 && (w[3] == 0 || w[3] == bpf_htonl(1))) || w[2] == bpf_htonl(0xffff);
}

/*
 * Length of the inner packet at inner (avail bytes available after the outer headers), or 0 when
 * its version disagrees with the outer protocol or its lengths do not fit.
 */
static __always_inline __u32 inner_len(void *inner, void *end, __u8 proto, __u32 avail)
{
	if (proto == IPPROTO_IPIP) {
		struct iphdr *ip = inner;
		__u32 len;

		if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
			return 0;
		len = ntohs_bounded(ip->tot_len);
		return len >= ip->ihl * 4 && len <= avail ? len : 0;
	} else {
		struct ipv6hdr *ip6 = inner;
		__u32 len;

		if ((void *)(ip6 + 1) > end || ip6->version != 6)
			return 0;
		len = IPV6_HLEN + ntohs_bounded(ip6->payload_len);
		return len <= avail ? len : 0;
	}
}

#endif
