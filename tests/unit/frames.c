// SPDX-License-Identifier: GPL-2.0
/* Inner packets and tunnel frames of frames.h. */
#include <string.h>
#include "frames.h"

const struct combo combos[NCOMBOS] = {
	{ "4in4", 4, 4, DEV_GIF4 },
	{ "6in4", 6, 4, DEV_GIF4 },
	{ "4in6", 4, 6, DEV_GIF6 },
	{ "6in6", 6, 6, DEV_GIF6 },
};

void build_inner(struct pkt *p, const struct inner_spec *s)
{
	pkt_init(p);
	if (s->version == 4) {
		struct ip4_spec ip = {
			.tos = s->tos,
			.id = 0x1234,
			.frag_off = IP4_DF,
			.ttl = s->ttl ? s->ttl : 63,
			.protocol = s->bare ? 253 : PROTO_ICMP,
			.src = s->src ? s->src : INNER4_REMOTE,
			.dst = s->dst ? s->dst : INNER4_LOCAL,
		};

		pkt_ip4(p, &ip);
		if (!s->bare)
			pkt_icmp4_echo(p, 0x4242, 7);
	} else {
		struct ip6_spec ip6 = {
			.tclass = s->tos,
			.flow = 0x5a5a5,
			.nexthdr = s->bare ? 59 : s->icmp6 ? PROTO_ICMPV6 : PROTO_UDP,
			.hop_limit = s->ttl ? s->ttl : 63,
			.src = s->src ? s->src : INNER6_REMOTE,
			.dst = s->dst ? s->dst : INNER6_LOCAL,
		};

		pkt_ip6(p, &ip6);
		if (!s->bare && s->icmp6)
			pkt_icmp6_echo(p, 0x4242, 7);
		else if (!s->bare)
			pkt_udp(p, 40000, 7);
	}
	pkt_payload(p, s->payload, s->version);
	pkt_finish(p);
}

void build_inner_egress(struct pkt *p, const struct inner_spec *s)
{
	struct inner_spec out = *s;

	if (!out.src)
		out.src = out.version == 4 ? INNER4_LOCAL : INNER6_LOCAL;
	if (!out.dst)
		out.dst = out.version == 4 ? INNER4_REMOTE : INNER6_REMOTE;
	build_inner(p, &out);
}

/* IPv4 options filling LEN bytes: a router alert, NOPs, an end of options list. */
static void ip4_options(__u8 *o, size_t len)
{
	memset(o, 1, len);	/* NOP */
	if (len >= 4) {
		o[0] = 0x94;	/* router alert, copied */
		o[1] = 4;
		o[2] = 0;
		o[3] = 0;
	}
	o[len - 1] = 0;		/* end of options list */
}

static __u8 ext_proto(enum ext_hdr x)
{
	return x == EXT_HBH ? PROTO_HOPOPTS : x == EXT_DST ? PROTO_DSTOPTS : PROTO_FRAGMENT;
}

static void push_ext(struct pkt *f, enum ext_hdr x, __u8 nexthdr)
{
	/* Router alert (MLD), as hop-by-hop headers usually carry. */
	static const __u8 ra[] = { 5, 2, 0, 0 };
	/* Tunnel encapsulation limit 4 (RFC 2473), what Linux ip6tnl adds by default. */
	static const __u8 encap_limit[] = { 4, 1, 4 };

	if (x == EXT_HBH)
		pkt_ip6_opts(f, nexthdr, ra, sizeof(ra));
	else if (x == EXT_DST)
		pkt_ip6_opts(f, nexthdr, encap_limit, sizeof(encap_limit));
	else
		pkt_ip6_frag(f, nexthdr, 0, true, 0xdeadbeef);
}

void build_frame(struct pkt *f, const struct frame_spec *s, const struct pkt *inner,
		 const struct env *e)
{
	__u8 inner_version = inner->data[0] >> 4;
	__u8 proto = s->proto ? s->proto : inner_version == 4 ? PROTO_IPIP : PROTO_IPV6;

	pkt_init(f);
	pkt_eth(f, e->ul.mac, UL_REMOTE_MAC, s->outer == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
	if (s->outer == 4) {
		__u8 opts[40];
		struct ip4_spec ip = {
			.tos = s->tos,
			.id = 0xbeef,
			.frag_off = s->frag_off,
			.ttl = 64,
			.protocol = proto,
			.src = s->src ? s->src : TUN4_REMOTE,
			.dst = s->dst ? s->dst : TUN4_LOCAL,
			.opts = opts,
			.optlen = s->ihl > 5 ? (s->ihl - 5) * 4 : 0,
		};

		if (ip.optlen)
			ip4_options(opts, ip.optlen);
		pkt_ip4(f, &ip);
	} else {
		struct ip6_spec ip6 = {
			.tclass = s->tos,
			.flow = 0x12345,
			.nexthdr = s->ext[0] ? ext_proto(s->ext[0]) : proto,
			.hop_limit = 64,
			.src = s->src ? s->src : TUN6_REMOTE,
			.dst = s->dst ? s->dst : TUN6_LOCAL,
		};

		pkt_ip6(f, &ip6);
		for (int i = 0; i < 3 && s->ext[i]; i++)
			push_ext(f, s->ext[i], i + 1 < 3 && s->ext[i + 1] ? ext_proto(s->ext[i + 1])
									  : proto);
	}
	pkt_raw(f, inner->data, inner->len);
	pkt_payload(f, s->extra, 0xe0);
	pkt_finish(f);
	pkt_trailer(f, s->trailer, s->trailer_byte);
}

static __u16 ethertype_of(const struct pkt *inner)
{
	return inner->data[0] >> 4 == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
}

void build_decapped(struct pkt *x, const struct pkt *inner, const struct env *e, int dev,
		    const __u8 src_mac[6])
{
	pkt_init(x);
	pkt_eth(x, e->gif[dev].link.mac, src_mac, ethertype_of(inner));
	pkt_raw(x, inner->data, inner->len);
}

void build_egress(struct pkt *p, const struct env *e, int dev, const struct pkt *inner,
		  const __u8 *eth_dst, __u16 type)
{
	const __u8 *mac = e->gif[dev].link.mac;

	pkt_init(p);
	pkt_eth(p, eth_dst ? eth_dst : mac, mac, type ? type : ethertype_of(inner));
	pkt_raw(p, inner->data, inner->len);
}

void build_encapped(struct pkt *x, __u8 *mask, const struct env *e, int dev,
		    const struct pkt *inner, const struct outer_spec *o)
{
	const struct env_gif *g = &e->gif[dev];
	__u8 proto = inner->data[0] >> 4 == 4 ? PROTO_IPIP : PROTO_IPV6;
	bool v4 = g->cfg.family == GIF_AF_INET;

	pkt_init(x);
	pkt_eth(x, g->link.mac, g->link.mac, v4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
	if (v4) {
		struct ip4_spec ip = {
			.tos = o->tos,
			.id = o->id,
			.frag_off = o->frag_off,
			.ttl = o->ttl,
			.protocol = proto,
			.src = env_local(dev),
			.dst = env_remote(dev),
		};

		pkt_ip4(x, &ip);
	} else {
		struct ip6_spec ip6 = {
			.tclass = o->tos,
			.flow = 0,
			.nexthdr = proto,
			.hop_limit = o->ttl,
			.src = env_local(dev),
			.dst = env_remote(dev),
		};

		pkt_ip6(x, &ip6);
	}
	pkt_raw(x, inner->data, inner->len);
	pkt_finish(x);
	memset(mask, 0xff, x->len);
	if (!v4) {
		mask[14 + 1] = 0xf0;	/* traffic class low nibble | flow label */
		mask[14 + 2] = 0;
		mask[14 + 3] = 0;
	}
}
