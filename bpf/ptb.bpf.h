/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Too big" replies. A packet that fits GIF but not the outer path (the underlay's MTU shrank after
 * the tunnel was set, or a router on the path reported a smaller one) is turned into an ICMP
 * "fragmentation needed" (IPv4) or Packet Too Big (IPv6) carrying the tunnel's MTU on that path,
 * and handed back to GIF's own receive side, from where the stack delivers or forwards it to the
 * sender: the kernel's tunnels do the same (ip_tunnel's tnl_update_pmtu).
 *
 * Its source is the packet's destination: the only address of the inner family the datapath
 * knows, and one whose route leads back through GIF, so that reverse-path filters pass it. (A
 * local address would be dropped on receipt as a martian source.)
 */
#ifndef GIF_PTB_BPF_H
#define GIF_PTB_BPF_H

#include "csum.bpf.h"
#include "encap.bpf.h"

#define BPF_F_INGRESS 1
#define IPPROTO_ICMP 1
#define IPPROTO_ICMPV6 58
#define ICMP_DEST_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMPV6_PKT_TOOBIG 2
#define PTB_HOP_LIMIT 64
/* Bytes of the offending packet quoted: its headers and more, within bpf_csum_diff()'s limit. */
#define PTB_QUOTE 256

/* ICMP types that are errors themselves, which must never be answered with one (RFC 1812 4.3.2.7) */
static __always_inline bool icmp_is_error(__u8 type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/*
 * True when the packet may be answered (RFC 1812 4.3.2.7, RFC 4443 2.4): not a non-first
 * fragment, not to or from a multicast or broadcast address, not itself an ICMP error. Fills
 * *src and *dst with the packet's addresses.
 */
static __always_inline bool ptb_allowed(struct __sk_buff *skb, const struct inner *in, __u8 *src,
					__u8 *dst)
{
	__u8 l4 = 0;

	if (in->proto == IPPROTO_IPIP) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)))
			return false;
		if (ip.frag_off & bpf_htons(IP_OFFSET))
			return false;
		__builtin_memcpy(src, &ip.saddr, 4);
		__builtin_memcpy(dst, &ip.daddr, 4);
		if (dst[0] >= 224 || src[0] >= 224 || src[0] == 0)
			return false;
		if (ip.protocol == IPPROTO_ICMP &&
		    (bpf_skb_load_bytes(skb, ETH_HLEN + ip.ihl * 4, &l4, 1) || icmp_is_error(l4)))
			return false;
		return true;
	}
	struct ipv6hdr ip6;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6)))
		return false;
	__builtin_memcpy(src, &ip6.saddr, 16);
	__builtin_memcpy(dst, &ip6.daddr, 16);
	if (dst[0] == 0xff || src[0] == 0xff)
		return false;
	/* ICMPv6 errors are types 0-127 */
	if (ip6.nexthdr == IPPROTO_ICMPV6 &&
	    (bpf_skb_load_bytes(skb, ETH_HLEN + IPV6_HLEN, &l4, 1) || l4 < 128))
		return false;
	return true;
}

/* Sum of the first PTB_QUOTE bytes after the new headers of length HLEN (not folded). */
static __always_inline __s64 quote_sum(struct __sk_buff *skb, __u32 hlen)
{
	void *data, *end, *quote;

	if (bpf_skb_pull_data(skb, ETH_HLEN + hlen + PTB_QUOTE))
		return -1;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	quote = data + ETH_HLEN + hlen;
	if (quote + PTB_QUOTE > end)
		return -1;
	return bpf_csum_diff(NULL, 0, quote, PTB_QUOTE, 0);
}

/* The ICMP(v6) message header: type, code, checksum, then the MTU field */
struct ptb_icmp {
	__u8 type;
	__u8 code;
	__u16 csum;
	__u32 mtu;	/* IPv4: 16 unused bits, then the 16-bit next-hop MTU */
};

static __always_inline int write_ptb4(struct __sk_buff *skb, const __u8 *src, const __u8 *dst,
				      __u32 mtu)
{
	struct iphdr ip = {
		.version = 4,
		.ihl = 5,
		.tot_len = bpf_htons(IPV4_HLEN + sizeof(struct ptb_icmp) + PTB_QUOTE),
		.ttl = PTB_HOP_LIMIT,
		.protocol = IPPROTO_ICMP,
	};
	struct ptb_icmp icmp = {
		.type = ICMP_DEST_UNREACH,
		.code = ICMP_FRAG_NEEDED,
		.mtu = bpf_htonl(mtu & 0xffff),
	};
	__s64 sum = quote_sum(skb, IPV4_HLEN + sizeof(icmp));

	if (sum < 0)
		return -1;
	__builtin_memcpy(&ip.saddr, dst, 4);
	__builtin_memcpy(&ip.daddr, src, 4);
	ip.check = ipv4_hdr_csum(&ip);
	icmp.csum = csum_fold(bpf_csum_diff(NULL, 0, (void *)&icmp, sizeof(icmp), sum));
	if (bpf_skb_store_bytes(skb, ETH_HLEN, &ip, sizeof(ip), 0))
		return -1;
	return bpf_skb_store_bytes(skb, ETH_HLEN + IPV4_HLEN, &icmp, sizeof(icmp), 0);
}

static __always_inline int write_ptb6(struct __sk_buff *skb, const __u8 *src, const __u8 *dst,
				      __u32 mtu)
{
	__u32 len = sizeof(struct ptb_icmp) + PTB_QUOTE;
	struct ipv6hdr ip6 = {
		.version = 6,
		.payload_len = bpf_htons(len),
		.nexthdr = IPPROTO_ICMPV6,
		.hop_limit = PTB_HOP_LIMIT,
	};
	struct ptb_icmp icmp = {
		.type = ICMPV6_PKT_TOOBIG,
		.mtu = bpf_htonl(mtu),
	};
	/* RFC 8200 8.1: the upper-layer length and next header follow the two addresses. */
	__u32 pseudo[2] = { bpf_htonl(len), bpf_htonl(IPPROTO_ICMPV6) };
	__s64 sum = quote_sum(skb, IPV6_HLEN + sizeof(icmp));

	if (sum < 0)
		return -1;
	__builtin_memcpy(&ip6.saddr, dst, 16);
	__builtin_memcpy(&ip6.daddr, src, 16);
	sum = bpf_csum_diff(NULL, 0, (void *)&ip6.saddr, 32, sum);
	sum = bpf_csum_diff(NULL, 0, pseudo, sizeof(pseudo), sum);
	icmp.csum = csum_fold(bpf_csum_diff(NULL, 0, (void *)&icmp, sizeof(icmp), sum));
	if (bpf_skb_store_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6), 0))
		return -1;
	return bpf_skb_store_bytes(skb, ETH_HLEN + IPV6_HLEN, &icmp, sizeof(icmp), 0);
}

/*
 * Turns the inner packet in skb into the "too big" message for MTU (the tunnel's MTU on the outer
 * path) and returns the verdict sending it back into GIF; TC_ACT_SHOT when the packet must not be
 * answered or cannot be rewritten. Counts GIF_C_TX_PTB_SENT for every message sent.
 */
static __always_inline int send_too_big(struct __sk_buff *skb, const struct gif_tunnel *t,
					const struct inner *in, __u32 mtu)
{
	bool v4 = in->proto == IPPROTO_IPIP;
	__u32 hlen = (v4 ? IPV4_HLEN : IPV6_HLEN) + sizeof(struct ptb_icmp);
	struct ethhdr eth = { .h_proto = skb->protocol };
	__u8 src[16], dst[16];
	int rc;

	if (skb->len < ETH_HLEN + PTB_QUOTE || !ptb_allowed(skb, in, src, dst))
		return TC_ACT_SHOT;
	/* Trimming linearises the packet and ends its segmentation offload. */
	if (bpf_skb_change_tail(skb, ETH_HLEN + PTB_QUOTE, 0) ||
	    bpf_skb_adjust_room(skb, hlen, BPF_ADJ_ROOM_MAC, 0))
		return TC_ACT_SHOT;
	rc = v4 ? write_ptb4(skb, src, dst, mtu) : write_ptb6(skb, src, dst, mtu);
	__builtin_memcpy(eth.h_dest, t->gif_mac, ETH_ALEN);
	__builtin_memcpy(eth.h_source, t->gif_mac, ETH_ALEN);
	if (rc || bpf_skb_store_bytes(skb, 0, &eth, sizeof(eth), 0))
		return TC_ACT_SHOT;
	count(t->ifindex, GIF_C_TX_PTB_SENT);
	return bpf_redirect(skb->ifindex, BPF_F_INGRESS);
}

#endif
