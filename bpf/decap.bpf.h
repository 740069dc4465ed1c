/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decapsulation, in XDP (gif_xdp_rx) or at TC ingress (gif_tc_rx): the checks both make, and how
 * each strips the outer headers before handing the inner packet to the gif device.
 */
#ifndef GIF_DECAP_BPF_H
#define GIF_DECAP_BPF_H

#include "parse.bpf.h"
#include "ecn.bpf.h"
#include "route.bpf.h"
#include "stats.bpf.h"

/*
 * The outer headers of the frame at data (LEN bytes: end - data in XDP, skb->len in TC, where
 * only data .. end is readable): true for a tunnel packet from a possible source, with *o filled
 * in. Malformed packets, fragments and martian sources are counted; whatever is refused here
 * belongs to the stack.
 */
static __always_inline bool decap_outer(void *data, void *end, __u32 len, struct outer *o)
{
	struct ethhdr *eth = data;
	enum outer_verdict v;

	if ((void *)(eth + 1) > end)
		return false;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		v = parse_outer4(data + ETH_HLEN, end, len - ETH_HLEN, o);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		v = parse_outer6(data + ETH_HLEN, end, len - ETH_HLEN, o);
	else
		return false;
	if (v == OUTER_MALFORMED)
		count(0, GIF_C_RX_MALFORMED);
	else if (v == OUTER_FRAGMENT)
		count(0, GIF_C_RX_FRAGMENT);
	if (v != OUTER_TUNNEL)
		return false;
	if (is_martian(&o->key)) {
		count(0, GIF_C_RX_MARTIAN);
		return false;
	}
	return true;
}

enum decap_verdict {
	DECAP_GO,	/* a packet of tunnel *t: strip the outer headers, deliver to its peer */
	DECAP_PASS,	/* not (validly) ours: to the stack, unchanged */
	DECAP_DROP,	/* ours but refused (ingress filter, RFC 6040 CE over Not-ECT) */
};

/*
 * The tunnel of an outer header decap_outer() accepted (into *t) and the checks of the inner
 * packet (*len: its length), whose header must be in the linear part; RFC 6040 is applied to it.
 * CTX: the program's context, XDP (xdp true) or a socket buffer. Every refusal is counted.
 */
static __always_inline enum decap_verdict decap_tunnel(void *ctx, bool xdp, const struct outer *o,
							struct gif_tunnel *t, __u32 *len)
{
	void *data, *end, *inner;
	__u32 off;

	if (!tunnel_by_pair(&o->key, t)) {
		count(0, GIF_C_RX_NO_TUNNEL);
		return DECAP_PASS;
	}
	/* Bounds the offset in the register the verifier sees, not in a stack copy of it. */
	off = o->outer_len;
	asm volatile("" : "+r"(off));
	if (off > GIF_MAX_OUTER_LEN)
		return DECAP_PASS;
	/* Read again: fewer registers live across the lookups. */
	if (xdp) {
		data = (void *)(long)((struct xdp_md *)ctx)->data;
		end = (void *)(long)((struct xdp_md *)ctx)->data_end;
	} else {
		data = (void *)(long)((struct __sk_buff *)ctx)->data;
		end = (void *)(long)((struct __sk_buff *)ctx)->data_end;
	}
	inner = data + ETH_HLEN + off;
	*len = inner_len(inner, end, o->inner_proto, o->payload_len);
	if (!*len) {
		count(t->ifindex, GIF_C_RX_INNER_MISMATCH);
		return DECAP_PASS;
	}
	if ((t->flags & GIF_F_INGRESS_FILTER) && !route_back_via(ctx, xdp, t)) {
		count(t->ifindex, GIF_C_RX_INGRESS_FILTER);
		return DECAP_DROP;
	}
	if (t->ecn != GIF_ECN_OFF) {
		enum ecn_verdict e = apply_ecn(inner, end, o->inner_proto, o->ecn);

		if (e == ECN_DROP) {
			count(t->ifindex, GIF_C_RX_ECN_CE_NOT_ECT);
			return DECAP_DROP;
		}
		if (e == ECN_OK_NOT_ECT)
			count(t->ifindex, GIF_C_RX_ECN_NOT_ECT);
	}
	return DECAP_GO;
}

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

/* Room for IPv4 options or IPv6 extension headers in the first pull, after the outer header. */
#define TC_PULL_OPTIONS 40
/* The most pull_inner() can ask for. */
#define TC_PULL_MAX (ETH_HLEN + GIF_MAX_OUTER_LEN + IPV6_HLEN)

/*
 * Makes the packet's first WANT bytes linear and writable (the ECN update writes the inner
 * header), and nothing beyond them: payload pulled out of the paged part lands in a reallocated
 * head, and the receiving socket can then no longer merge the packet into its queue
 * (TCPRcvCoalesce stayed at 0 for 4in4 TCP while 94 bytes were pulled).
 */
static __always_inline bool pull_linear(struct __sk_buff *skb, __u32 want)
{
	if (want > skb->len)
		want = skb->len;
	/* Already linear, as nearly every packet is: no helper call. (Writes to the packet make the
	 * verifier unclone it in the program's prologue.) */
	if (want <= TC_PULL_MAX && (void *)(long)skb->data + want <= (void *)(long)skb->data_end)
		return true;
	return !bpf_skb_pull_data(skb, want);
}

/* Before parsing: the outer header of skb->protocol's family, with room for its options. */
static __always_inline bool pull_outer(struct __sk_buff *skb)
{
	bool v4 = skb->protocol == bpf_htons(ETH_P_IP);

	return pull_linear(skb, ETH_HLEN + (v4 ? IPV4_HLEN : IPV6_HLEN) + TC_PULL_OPTIONS);
}

/* After parsing: the whole outer header and the fixed part of the inner one. */
static __always_inline bool pull_inner(struct __sk_buff *skb, const struct outer *o)
{
	bool v4 = o->inner_proto == IPPROTO_IPIP;

	return pull_linear(skb, ETH_HLEN + o->outer_len + (v4 ? IPV4_HLEN : IPV6_HLEN));
}

/*
 * Kernels before 6.3 refuse DECAP_L3_* (-EINVAL). Without it skb->protocol keeps the outer family
 * (the gif device's receive side, eth_type_trans, sets it again from the EtherType written by
 * strip_outer_skb), but what is left must hold a header of that family: a 4in6 inner packet
 * shorter than an IPv6 header (never a GSO one) is first turned IPv4 by bpf_skb_change_proto(),
 * which removes 20 of the outer header's bytes.
 */
static __always_inline long adjust_room_pre_6_3(struct __sk_buff *skb, const struct outer *o,
						__s32 diff)
{
	if (o->inner_proto == IPPROTO_IPIP && skb->protocol == bpf_htons(ETH_P_IPV6) &&
	    !skb->gso_size && (__s64)skb->len - ETH_HLEN + diff < IPV6_HLEN) {
		if (bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0))
			return -1;
		diff += IPV6_HLEN - IPV4_HLEN;
	}
	return bpf_skb_adjust_room(skb, diff, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_FIXED_GSO);
}

/*
 * The socket-buffer form of strip_outer(): removes the outer headers behind the Ethernet header
 * with bpf_skb_adjust_room(), keeping GSO packets whole (FIXED_GSO: the inner segments keep their
 * size), trims the Ethernet padding of short packets and addresses the frame to the gif device.
 * False when the packet could not be adjusted.
 */
static __always_inline bool strip_outer_skb(struct __sk_buff *skb, const struct outer *o,
					    __u32 len, const struct gif_tunnel *t)
{
	bool v4 = o->inner_proto == IPPROTO_IPIP;
	__u16 proto = bpf_htons(v4 ? ETH_P_IP : ETH_P_IPV6);
	/* decap_tunnel() bounded outer_len by GIF_MAX_OUTER_LEN. */
	__s32 diff = -(__s32)(o->outer_len & 0xfff);
	struct ethhdr *eth;
	long err;

	err = bpf_skb_adjust_room(skb, diff, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_FIXED_GSO | (v4 ?
				  BPF_F_ADJ_ROOM_DECAP_L3_IPV4 : BPF_F_ADJ_ROOM_DECAP_L3_IPV6));
	if (err == -EINVAL)
		err = adjust_room_pre_6_3(skb, o, diff);
	if (err)
		return false;
	if (!skb->gso_size && skb->len > ETH_HLEN + len &&
	    bpf_skb_change_tail(skb, ETH_HLEN + len, 0))
		return false;
	eth = (void *)(long)skb->data;
	if ((void *)(eth + 1) > (void *)(long)skb->data_end)
		return false;
	__builtin_memcpy(eth->h_dest, t->gif_mac, ETH_ALEN);
	eth->h_proto = proto;
	return true;
}

#endif
