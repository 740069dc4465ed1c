/* SPDX-License-Identifier: GPL-2.0 */
/* Internet checksum over IPv4 headers. */
#ifndef GIF_CSUM_BPF_H
#define GIF_CSUM_BPF_H

#include "common.bpf.h"

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Checksum of a 20-byte IPv4 header held on the stack. */
static __always_inline __u16 ipv4_hdr_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < IPV4_HLEN / 2; i++)
		sum += w[i];
	return csum_fold(sum);
}

/* True when the IPv4 header at ip (hlen bytes, options included) in the packet checks out. */
static __always_inline bool ipv4_pkt_csum_ok(const struct iphdr *ip, __u32 hlen, const void *end)
{
	__u64 sum = 0;

	for (int i = 0; i < 60 / 4; i++) {
		const __u32 *w = (const __u32 *)ip + i;

		if (i * 4 >= hlen)
			break;
		/* Keeps the compiler from rewriting the bounds check as arithmetic on end. */
		asm volatile("" : "+r"(w));
		if ((const void *)(w + 1) > end)
			return false;
		sum += *w;
	}
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return csum_fold((sum & 0xffff) + (sum >> 16)) == 0;
}

#endif
