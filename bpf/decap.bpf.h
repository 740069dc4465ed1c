/* SPDX-License-Identifier: GPL-2.0 */
/* Decapsulation in XDP: strip the outer headers and hand the inner packet to the gif device. */
#ifndef GIF_DECAP_BPF_H
#define GIF_DECAP_BPF_H

#include "parse.bpf.h"
#include "stats.bpf.h"

/*
 * Replaces the Ethernet + outer headers with a fresh Ethernet header addressed to the gif device
 * and trims anything after the inner packet (Ethernet padding). Returns false when the frame
 * could not be adjusted; the frame is then unusable and must be dropped.
 */
static __always_inline bool strip_outer(struct xdp_md *ctx, const struct outer *o, __u32 len,
					const struct gif_tunnel *t)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 src[ETH_ALEN];
	__s64 excess;

	if ((void *)(eth + 1) > end)
		return false;
	__builtin_memcpy(src, eth->h_source, ETH_ALEN);
	excess = (end - data) - (ETH_HLEN + o->outer_len + len);
	if (bpf_xdp_adjust_head(ctx, o->outer_len))
		return false;
	if (excess > 0 && bpf_xdp_adjust_tail(ctx, -excess))
		return false;

	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return false;
	__builtin_memcpy(eth->h_dest, t->gif_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = bpf_htons(o->inner_proto == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6);
	return true;
}

#endif
