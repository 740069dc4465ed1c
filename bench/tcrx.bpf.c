/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gif_tc_rx: the decapsulation of gif_xdp_rx (bpf/gif.bpf.c) done at the underlay's TC ingress
 * instead of in XDP, for the benchmark's comparison of the two paths (kernel-facts §3). It uses
 * the datapath's own maps and helpers and makes the same checks: outer header consistency (IPv4
 * checksum, lengths; IPv6 extension headers), fragments, martian sources, exact pair match, inner
 * header agreement, ingress filter, RFC 6040 ECN, counters. Differences, all inherent to TC:
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
#include "bpf/ecn.bpf.h"
#include "bpf/route.bpf.h"

/* Enough for Ethernet + IPv6 + IPv6 inner header: the common case needs one pull. */
#define PULL_FIRST (ETH_HLEN + IPV6_HLEN + IPV6_HLEN)

static __always_inline enum outer_verdict tc_outer4(void *l3, void *end, __u32 l3len,
						    struct outer *o)
{
	struct iphdr *ip = l3;
	__u32 hlen, tot_len;

	if ((void *)(ip + 1) > end || !is_ipip(ip->protocol))
		return OUTER_OTHER;
	hlen = ip->ihl * 4;
	tot_len = bpf_ntohs(ip->tot_len);
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

static __always_inline enum outer_verdict tc_outer6(void *l3, void *end, __u32 l3len,
						    struct outer *o)
{
	struct ipv6hdr *ip6 = l3;
	__u32 off = IPV6_HLEN, plen;
	__u8 nexthdr;

	if ((void *)(ip6 + 1) > end)
		return OUTER_OTHER;
	nexthdr = ip6->nexthdr;
	plen = bpf_ntohs(ip6->payload_len);
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
	if (ip6->version != 6 || plen == 0 || off > IPV6_HLEN + plen || IPV6_HLEN + plen > l3len)
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

static __always_inline int not_ours(enum outer_verdict v)
{
	if (v == OUTER_MALFORMED)
		count(0, GIF_C_RX_MALFORMED);
	else if (v == OUTER_FRAGMENT)
		count(0, GIF_C_RX_FRAGMENT);
	return TC_ACT_OK;
}

SEC("tc")
int gif_tc_rx(struct __sk_buff *skb)
{
	__u32 len, off, skb_len = skb->len, segs = skb->gso_segs ?: 1;
	void *data, *end, *inner;
	struct outer o = {};
	enum outer_verdict v;
	struct gif_tunnel t;
	struct ethhdr *eth;
	__u64 flags;

	if (skb->protocol != bpf_htons(ETH_P_IP) && skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	if (!datapath_armed())
		return TC_ACT_OK;
	/* Headers linear and writable (the ECN update writes the inner header). */
	if (bpf_skb_pull_data(skb, skb_len < PULL_FIRST ? skb_len : PULL_FIRST))
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		v = tc_outer4(data + ETH_HLEN, end, skb_len - ETH_HLEN, &o);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		v = tc_outer6(data + ETH_HLEN, end, skb_len - ETH_HLEN, &o);
	else
		return TC_ACT_OK;
	if (v != OUTER_TUNNEL)
		return not_ours(v);
	if (is_martian(&o.key)) {
		count(0, GIF_C_RX_MARTIAN);
		return TC_ACT_OK;
	}
	if (!tunnel_by_pair(&o.key, &t)) {
		count(0, GIF_C_RX_NO_TUNNEL);
		return TC_ACT_OK;
	}
	if (ETH_HLEN + o.outer_len + IPV6_HLEN > PULL_FIRST) {
		/* Long outer headers (IPv4 options, IPv6 extension headers): pull the inner one too. */
		__u32 want = ETH_HLEN + o.outer_len + IPV6_HLEN;

		if (bpf_skb_pull_data(skb, want < skb_len ? want : skb_len))
			return TC_ACT_OK;
	}
	/* Bounds the offset in the register the verifier sees, not in a stack copy of it. */
	off = o.outer_len;
	asm volatile("" : "+r"(off));
	if (off > GIF_MAX_OUTER_LEN)
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	inner = data + ETH_HLEN + off;
	len = inner_len(inner, end, o.inner_proto, o.payload_len);
	if (!len) {
		count(t.ifindex, GIF_C_RX_INNER_MISMATCH);
		return TC_ACT_OK;
	}
	if (t.flags & GIF_F_INGRESS_FILTER) {
		struct bpf_fib_lookup fib;

		fib_towards_remote(&fib, &t);
		if (!fib_found(bpf_fib_lookup(skb, &fib, sizeof(fib), 0)) ||
		    fib.ifindex != skb->ingress_ifindex) {
			count(t.ifindex, GIF_C_RX_INGRESS_FILTER);
			return TC_ACT_SHOT;
		}
	}
	if (t.ecn != GIF_ECN_OFF) {
		enum ecn_verdict e = apply_ecn(inner, end, o.inner_proto, o.ecn);

		if (e == ECN_DROP) {
			count(t.ifindex, GIF_C_RX_ECN_CE_NOT_ECT);
			return TC_ACT_SHOT;
		}
		if (e == ECN_OK_NOT_ECT)
			count(t.ifindex, GIF_C_RX_ECN_NOT_ECT);
	}
	flags = BPF_F_ADJ_ROOM_FIXED_GSO | (o.inner_proto == IPPROTO_IPIP ?
					    BPF_F_ADJ_ROOM_DECAP_L3_IPV4 :
					    BPF_F_ADJ_ROOM_DECAP_L3_IPV6);
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
