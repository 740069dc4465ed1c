/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encapsulation in TC: build the outer header (every field set) in front of the inner packet and
 * find the underlay the kernel's route to the remote endpoint selects.
 */
#ifndef GIF_ENCAP_BPF_H
#define GIF_ENCAP_BPF_H

#include "csum.bpf.h"
#include "route.bpf.h"
#include "stats.bpf.h"

struct inner {
	__u8 proto;	/* IPPROTO_IPIP or IPPROTO_IPV6: the outer protocol field */
	__u8 tos;	/* DSCP and ECN of the inner packet */
	__u8 ttl;	/* TTL or hop limit of the inner packet */
};

/* Reads the inner header's version, traffic class and TTL; false when it is not IP or disagrees
 * with skb->protocol. */
static __always_inline bool read_inner(struct __sk_buff *skb, struct inner *in)
{
	void *p = (void *)(long)skb->data + ETH_HLEN, *end = (void *)(long)skb->data_end;
	__u8 b[9];

	/* Straight from the packet when the header is linear, as it nearly always is. */
	if (p + sizeof(b) <= end)
		__builtin_memcpy(b, p, sizeof(b));
	else if (bpf_skb_load_bytes(skb, ETH_HLEN, b, sizeof(b)))
		return false;
	if (skb->protocol == bpf_htons(ETH_P_IP) && b[0] >> 4 == 4) {
		in->proto = IPPROTO_IPIP;
		in->tos = b[1];
		in->ttl = b[8];
		return true;
	}
	if (skb->protocol == bpf_htons(ETH_P_IPV6) && b[0] >> 4 == 6) {
		in->proto = IPPROTO_IPV6;
		in->tos = (b[0] << 4) | (b[1] >> 4);
		in->ttl = b[7];
		return true;
	}
	return false;
}

/*
 * Random keys of the flow-label hash, set by gifctl when it loads the datapath: labels should not
 * be predictable (RFC 6437 §3). One per hashed word (8 of addresses, ports, protocol), one offset.
 */
const volatile __u64 flow_hash_key[11];

/*
 * The inner flow's hash, for the IPv6 flow label (RFC 6438): the packet's own when it has one
 * (sockets, NICs with RSS), else a hash of the inner addresses, protocol and TCP/UDP ports. The
 * kernel's flow dissector (bpf_get_hash_recalc: about 9 % of the 6in6 path) only hashes what
 * arrives with the inner headers beyond the linear part.
 */
static __always_inline __u32 inner_flow_hash(struct __sk_buff *skb, const struct inner *in)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 ports = 0, *w = data + ETH_HLEN, n;
	__u64 h = flow_hash_key[10];
	__u8 proto;

	if (skb->hash)
		return skb->hash;
	if (in->proto == IPPROTO_IPV6) {
		struct ipv6hdr *ip6 = data + ETH_HLEN;

		if ((void *)(ip6 + 1) > end)
			return bpf_get_hash_recalc(skb);
		proto = ip6->nexthdr;
		w += 2;		/* source and destination: words 2 to 9 */
		n = 8;
		if ((void *)(ip6 + 1) + 4 <= end)
			ports = *(__u32 *)(ip6 + 1);
	} else {
		struct iphdr *ip = data + ETH_HLEN;
		__u32 *l4;

		if ((void *)(ip + 1) > end)
			return bpf_get_hash_recalc(skb);
		l4 = (void *)ip + ip->ihl * 4;
		proto = ip->protocol;
		w += 3;		/* source and destination: words 3 and 4 */
		n = 2;
		if (!(ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) && (void *)(l4 + 1) <= end)
			ports = *l4;
	}
	/* Multilinear (strongly universal with random keys); the multiplications are independent. */
#pragma unroll
	for (int i = 0; i < 8; i++)
		if (i < n)
			h += (__u64)w[i] * flow_hash_key[i];
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
		h += (__u64)ports * flow_hash_key[8];
	h += (__u64)proto * flow_hash_key[9];
	return h >> 32;
}

/* The outer traffic class: DSCP fixed or inherited; ECN copied (RFC 6040 normal mode and BSD's
 * "off") or Not-ECT (compatibility mode). */
static __always_inline __u8 outer_tos(const struct gif_tunnel *t, const struct inner *in)
{
	__u8 dscp = t->dscp == GIF_DSCP_INHERIT ? in->tos >> 2 : t->dscp;

	return dscp << 2 | (t->ecn == GIF_ECN_COMPAT ? 0 : in->tos & 3);
}

static __always_inline __u8 outer_ttl(const struct gif_tunnel *t, const struct inner *in)
{
	return t->ttl == GIF_TTL_INHERIT ? in->ttl : t->ttl;
}

/* INNER_LEN: the inner packet's length, without the Ethernet header. */
static __always_inline void build_outer4(struct iphdr *ip, __u32 inner_len,
					 const struct gif_tunnel *t, const struct inner *in)
{
	bool df = t->flags & GIF_F_PMTUDISC;

	*ip = (struct iphdr){
		.version = 4,
		.ihl = 5,
		.tos = outer_tos(t, in),
		.tot_len = bpf_htons(IPV4_HLEN + inner_len),
		/* An ID only matters if the packet may be fragmented (RFC 6864). */
		.id = df ? 0 : bpf_get_prandom_u32(),
		.frag_off = df ? bpf_htons(IP_DF) : 0,
		.ttl = outer_ttl(t, in),
		.protocol = in->proto,
	};
	__builtin_memcpy(&ip->saddr, t->local, 4);
	__builtin_memcpy(&ip->daddr, t->remote, 4);
	ip->check = ipv4_hdr_csum(ip);
}

/* HASH: the inner flow's (inner_flow_hash). */
static __always_inline void build_outer6(struct ipv6hdr *ip6, __u32 inner_len,
					 const struct gif_tunnel *t, const struct inner *in,
					 __u32 hash)
{
	/* A flow label from the inner flow's hash spreads tunnels over ECMP paths (RFC 6438). */
	__u32 label = hash & 0xfffff;
	__u8 tos = outer_tos(t, in);

	*ip6 = (struct ipv6hdr){
		.version = 6,
		.priority = tos >> 4,
		.flow_lbl = { (tos & 0xf) << 4 | label >> 16, label >> 8, label },
		.payload_len = bpf_htons(inner_len),
		.nexthdr = in->proto,
		.hop_limit = outer_ttl(t, in),
	};
	__builtin_memcpy(&ip6->saddr, t->local, 16);
	__builtin_memcpy(&ip6->daddr, t->remote, 16);
}

/*
 * Grows the packet by the outer header and writes it, with an Ethernet header whose destination
 * is unicast: bpf_redirect_neigh drops frames addressed to multicast (kernel-facts §2), which
 * inner multicast (ND, MLD, routing protocols) would otherwise be. The headers are built on the
 * stack and written straight into the packet, which adjust_room left linear and writable.
 */
static __always_inline bool push_outer(struct __sk_buff *skb, const struct gif_tunnel *t,
				       const struct inner *in)
{
	bool v4 = t->family == AF_INET;
	__u64 flags = BPF_F_ADJ_ROOM_FIXED_GSO |
		      (v4 ? BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 : BPF_F_ADJ_ROOM_ENCAP_L3_IPV6);
	union {
		struct iphdr ip;
		struct ipv6hdr ip6;
	} h;
	struct ethhdr *eth;
	void *data, *end;

	/* Built before the room is made: the flow hash reads the inner headers where they are now. */
	if (v4)
		build_outer4(&h.ip, skb->len - ETH_HLEN, t, in);
	else
		build_outer6(&h.ip6, skb->len - ETH_HLEN, t, in, inner_flow_hash(skb, in));
	if (bpf_skb_adjust_room(skb, v4 ? IPV4_HLEN : IPV6_HLEN, BPF_ADJ_ROOM_MAC, flags))
		return false;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	eth = data;
	if (v4) {
		if (data + ETH_HLEN + IPV4_HLEN > end)
			return false;
		__builtin_memcpy(data + ETH_HLEN, &h.ip, IPV4_HLEN);
	} else {
		if (data + ETH_HLEN + IPV6_HLEN > end)
			return false;
		__builtin_memcpy(data + ETH_HLEN, &h.ip6, IPV6_HLEN);
	}
	__builtin_memcpy(eth->h_dest, t->gif_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, t->gif_mac, ETH_ALEN);
	eth->h_proto = bpf_htons(v4 ? ETH_P_IP : ETH_P_IPV6);
	return true;
}

static __always_inline __u32 outer_hlen(const struct gif_tunnel *t)
{
	return t->family == AF_INET ? IPV4_HLEN : IPV6_HLEN;
}

/*
 * The length on the outer path of the packet (for a GSO packet: of each segment it becomes), outer
 * header included: the inner network and transport headers plus gso_size. Headers other than TCP
 * and UDP count as none, which errs towards letting the packet through.
 */
static __always_inline __u32 outer_path_len(struct __sk_buff *skb, const struct gif_tunnel *t,
					    const struct inner *in)
{
	__u32 outer = outer_hlen(t), l3 = IPV6_HLEN, l4 = 0;
	__u8 b[1], proto;

	if (!skb->gso_size)
		return outer + skb->len - ETH_HLEN;
	if (in->proto == IPPROTO_IPIP) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN, b, 1))
			return 0;
		l3 = (b[0] & 0xf) * 4;
		if (bpf_skb_load_bytes(skb, ETH_HLEN + 9, &proto, 1))
			return 0;
	} else if (bpf_skb_load_bytes(skb, ETH_HLEN + 6, &proto, 1)) {
		return 0;
	}
	if (proto == IPPROTO_TCP && !bpf_skb_load_bytes(skb, ETH_HLEN + l3 + 12, b, 1))
		l4 = (b[0] >> 4) * 4;
	else if (proto == IPPROTO_UDP)
		l4 = 8;
	return outer + l3 + l4 + skb->gso_size;
}

/*
 * The route to the remote endpoint (route.bpf.h), looked up before the outer header is pushed.
 * Returns the counter to bump on failure, or GIF_C_USED on success with *oif and *nh set. The
 * packet's size on the outer path (outer_path_len) is checked against the route's MTU whether or
 * not the next hop is resolved yet; when it is too big, *mtu is the route's MTU.
 */
static __always_inline enum gif_counter route_outer(struct __sk_buff *skb,
						    const struct gif_tunnel *t,
						    const struct inner *in, __u32 *oif,
						    struct bpf_redir_neigh *nh, __u32 *mtu)
{
	struct bpf_fib_lookup fib;
	int rc;

	fib_towards_remote(&fib, t);
	if (t->family == AF_INET)
		fib.tos = outer_tos(t, in);
	fib.tot_len = outer_path_len(skb, t, in);
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		*mtu = fib.mtu_result;
		return GIF_C_TX_TOO_BIG;
	}
	if (!fib_found(rc))
		return GIF_C_TX_NO_ROUTE;
	if (is_gif_device(fib.ifindex) || fib.ifindex == t->peer_ifindex)
		return GIF_C_TX_LOOP;

	*oif = fib.ifindex;
	nh->nh_family = fib.family;
	if (fib.family == AF_INET)
		nh->ipv4_nh = fib.ipv4_dst;
	else
		__builtin_memcpy(nh->ipv6_nh, fib.ipv6_dst, 16);
	return GIF_C_USED;
}

#endif
