/* SPDX-License-Identifier: GPL-2.0 */
/* ECN on decapsulation: RFC 6040 section 4.2, applied to the inner header in place. */
#ifndef GIF_ECN_BPF_H
#define GIF_ECN_BPF_H

#include "parse.bpf.h"

#define ECN_NOT_ECT 0
#define ECN_ECT1 1
#define ECN_ECT0 2
#define ECN_CE 3

enum ecn_verdict {
	ECN_OK,
	ECN_OK_NOT_ECT,	/* outer ECT over inner Not-ECT: delivered unchanged, counted (RFC "(!!!)") */
	ECN_DROP,	/* outer CE over inner Not-ECT */
};

/* The inner ECN field the RFC 6040 table gives for an inner and outer field. */
static __always_inline __u8 ecn_decap(__u8 inner, __u8 outer)
{
	if (outer == ECN_CE)
		return ECN_CE;
	if (outer == ECN_ECT1 && inner == ECN_ECT0)
		return ECN_ECT1;
	return inner;
}

/* RFC 1624 incremental update of a checksum for one 16-bit word changing from old to new. */
static __always_inline __u16 csum_replace(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + new;

	return csum_fold(sum);
}

/*
 * Applies the outer ECN field to the inner header at inner (bounds re-checked here). IPv4 inner:
 * the header checksum is updated; IPv6 inner: the traffic class, which has no checksum.
 */
static __always_inline enum ecn_verdict apply_ecn(void *inner, void *end, __u8 proto, __u8 outer)
{
	__u8 *b = inner;
	__u8 in, out;

	if ((void *)(b + IPV4_HLEN) > end)
		return ECN_OK;	/* cannot happen: inner_len() checked that the header fits */
	in = proto == IPPROTO_IPIP ? b[1] & 3 : (b[1] >> 4) & 3;
	if (in == ECN_NOT_ECT)
		return outer == ECN_CE ? ECN_DROP : outer ? ECN_OK_NOT_ECT : ECN_OK;
	out = ecn_decap(in, outer);
	if (out == in)
		return ECN_OK;
	if (proto == IPPROTO_IPIP) {
		struct iphdr *ip = inner;
		__u16 old = *(__u16 *)ip;

		b[1] = (b[1] & ~3) | out;
		ip->check = csum_replace(ip->check, old, *(__u16 *)ip);
	} else {
		b[1] = (b[1] & ~0x30) | out << 4;
	}
	return ECN_OK;
}

#endif
