/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gif_tc_rx: the decapsulation of gif_xdp_rx (bpf/gif.bpf.c) done at the underlay's TC ingress
 * instead of in XDP, for the benchmark's comparison of the two paths (kernel-facts §3). It uses
 * the datapath's own maps and its code (bpf/decap.bpf.h: decap_outer and decap_tunnel), so it
 * makes the same checks: outer header consistency (IPv4 checksum, lengths; IPv6 extension
 * headers), fragments, martian sources, exact pair match, inner header agreement, ingress filter,
 * RFC 6040 ECN, counters. Differences, all inherent to TC:
 *
 *   - lengths are checked against skb->len (a GRO packet's payload is not in the linear area);
 *   - the outer header is removed with bpf_skb_adjust_room(BPF_ADJ_ROOM_MAC, DECAP_L3_*,
 *     FIXED_GSO), so GRO/GSO packets stay whole (XDP on a veth loses GSO, kernel-facts §3);
 *   - the packet is redirected to the hidden peer's egress, so it arrives on the gif device
 *     through the veth exactly as the XDP path's frames do (counted in its RX, GRO'd by its NAPI).
 *
 * Not part of the datapath: built and attached by bench/gifbench.c (`gifbench tcrx`).
 */
#include "bpf/decap.bpf.h"

/* Enough for Ethernet + IPv6 + IPv6 inner header: the common case needs one pull. */
#define PULL_FIRST (ETH_HLEN + IPV6_HLEN + IPV6_HLEN)

SEC("tc")
int gif_tc_rx(struct __sk_buff *skb)
{
	__u32 len, off, skb_len = skb->len, segs = skb->gso_segs ?: 1;
	enum decap_verdict v;
	struct outer o = {};
	struct gif_tunnel t;
	__u64 flags;

	if (skb->protocol != bpf_htons(ETH_P_IP) && skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	if (!datapath_armed())
		return TC_ACT_OK;
	/* Headers linear and writable (the ECN update writes the inner header). */
	if (bpf_skb_pull_data(skb, skb_len < PULL_FIRST ? skb_len : PULL_FIRST))
		return TC_ACT_OK;
	if (!decap_outer((void *)(long)skb->data, (void *)(long)skb->data_end, skb_len, &o))
		return TC_ACT_OK;
	off = o.outer_len;
	if (ETH_HLEN + off + IPV6_HLEN > PULL_FIRST) {
		/* Long outer headers (IPv4 options, IPv6 extension headers): the inner one too. */
		__u32 want = ETH_HLEN + off + IPV6_HLEN;

		if (bpf_skb_pull_data(skb, want < skb_len ? want : skb_len))
			return TC_ACT_OK;
	}
	v = decap_tunnel(skb, false, &o, &t, &len);
	if (v != DECAP_GO)
		return v == DECAP_DROP ? TC_ACT_SHOT : TC_ACT_OK;
	flags = BPF_F_ADJ_ROOM_FIXED_GSO | (o.inner_proto == IPPROTO_IPIP ?
					    BPF_F_ADJ_ROOM_DECAP_L3_IPV4 :
					    BPF_F_ADJ_ROOM_DECAP_L3_IPV6);
	/* decap_tunnel() bounded outer_len by GIF_MAX_OUTER_LEN. */
	off &= 0xfff;
	if (bpf_skb_adjust_room(skb, -(__s32)off, BPF_ADJ_ROOM_MAC, flags))
		return TC_ACT_SHOT;
	/* Ethernet padding behind the inner packet (only short, hence never GSO, packets). */
	if (!skb->gso_size && skb->len > ETH_HLEN + len &&
	    bpf_skb_change_tail(skb, ETH_HLEN + len, 0))
		return TC_ACT_SHOT;
	{
		__u16 proto = bpf_htons(o.inner_proto == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6);

		if (bpf_skb_store_bytes(skb, 0, t.gif_mac, ETH_ALEN, 0) ||
		    bpf_skb_store_bytes(skb, 12, &proto, sizeof(proto), 0))
			return TC_ACT_SHOT;
	}
	count_traffic(t.ifindex, GIF_C_RX_PACKETS, segs, skb_len - ETH_HLEN - off);
	return bpf_redirect(t.peer_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
