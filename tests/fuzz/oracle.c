// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model of the datapath, from the README ("What the datapath checks", the options
 * table, the counters) and RFC 6040, written byte by byte without bpf/'s code. For every frame it
 * predicts the verdict, the exact output (decapsulated: Ethernet + the inner packet, ECN applied;
 * encapsulated: the outer header with every field + the unmodified inner packet) and which
 * counters move.
 */
#include <string.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "pktfuzz.h"

#define ETH_HLEN 14
#define PROTO_IPIP 4
#define PROTO_IPV6 41
#define NH_HOP 0
#define NH_FRAG 44
#define NH_DST 60
/* The documented limits of the outer IPv6 walk (bpf/parse.bpf.h: 8 headers, 512 bytes). */
#define MAX_EXTHDRS 8
#define MAX_OUTER_LEN 512

static __u16 be16(const __u8 *b)
{
	return b[0] << 8 | b[1];
}

int world_dev_by_ifindex(const struct world *w, __u32 ifindex)
{
	for (int i = 0; i < ENV_NDEV; i++)
		if (ifindex && w->e->gif[i].link.ifindex == (int)ifindex)
			return i;
	return -1;
}

static void delta(struct fz_delta *d, int *nd, int key, int c, long long n)
{
	if (*nd < FZ_MAX_DELTAS)
		d[(*nd)++] = (struct fz_delta){ key, c, n };
}

/* ------------------------------------------------------------------------------------------ */
/* Decapsulation                                                                               */

enum outer_kind { K_OTHER, K_MALFORMED, K_FRAGMENT, K_TUNNEL };

struct outer_info {
	int family;		/* 2 / 10 */
	__u8 local[16], remote[16];
	size_t hlen;		/* outer header bytes, options and extension headers included */
	size_t payload;		/* bytes after them, as the outer header's length says */
	int proto;		/* 4 / 41 */
	int ecn;
};

static bool is_ipip(int p)
{
	return p == PROTO_IPIP || p == PROTO_IPV6;
}

static enum outer_kind outer4(const __u8 *l3, size_t avail, struct outer_info *o,
			      const char **why)
{
	size_t hlen, tot;

	if (avail < 20 || !is_ipip(l3[9]))
		return *why = "IPv4, not IP-in-IP", K_OTHER;
	hlen = (l3[0] & 15) * 4;
	tot = be16(l3 + 2);
	if (l3[0] >> 4 != 4)
		return *why = "outer IPv4 version wrong", K_MALFORMED;
	if (hlen < 20)
		return *why = "outer IHL < 5", K_MALFORMED;
	if (tot < hlen)
		return *why = "outer total length < header length", K_MALFORMED;
	if (tot > avail)
		return *why = "outer total length beyond the frame", K_MALFORMED;
	if (pkt_csum_fold(pkt_csum_add(0, l3, hlen)) != 0)
		return *why = "outer header checksum wrong", K_MALFORMED;
	if (be16(l3 + 6) & 0x3fff)
		return *why = "outer IPv4 fragment", K_FRAGMENT;
	o->family = GIF_AF_INET;
	memset(o->local, 0, 16);
	memset(o->remote, 0, 16);
	memcpy(o->local, l3 + 16, 4);
	memcpy(o->remote, l3 + 12, 4);
	o->hlen = hlen;
	o->payload = tot - hlen;
	o->proto = l3[9];
	o->ecn = l3[1] & 3;
	return K_TUNNEL;
}

static enum outer_kind outer6(const __u8 *l3, size_t avail, struct outer_info *o,
			      const char **why)
{
	size_t off = 40, plen;
	int nh, i;

	if (avail < 40)
		return *why = "IPv6 shorter than its header", K_OTHER;
	nh = l3[6];
	plen = be16(l3 + 4);
	for (i = 0; i < MAX_EXTHDRS && !is_ipip(nh); i++) {
		if (nh == NH_FRAG)
			return *why = "outer IPv6 fragment header", K_FRAGMENT;
		if (nh != NH_DST && !(nh == NH_HOP && i == 0))
			return *why = "IPv6 next header neither IP-in-IP nor skippable", K_OTHER;
		if (off + 2 > avail)
			return *why = "IPv6 extension header beyond the frame", K_OTHER;
		nh = l3[off];
		off += (l3[off + 1] + 1) * 8;
		if (off > MAX_OUTER_LEN)
			return *why = "IPv6 extension headers longer than 512 bytes", K_OTHER;
	}
	if (!is_ipip(nh))
		return *why = "more than 8 IPv6 extension headers", K_OTHER;
	if (l3[0] >> 4 != 6)
		return *why = "outer IPv6 version wrong", K_MALFORMED;
	if (plen == 0)
		return *why = "outer IPv6 payload length 0", K_MALFORMED;
	if (off > 40 + plen)
		return *why = "extension headers beyond the payload length", K_MALFORMED;
	if (40 + plen > avail)
		return *why = "outer payload length beyond the frame", K_MALFORMED;
	o->family = GIF_AF_INET6;
	memcpy(o->local, l3 + 24, 16);
	memcpy(o->remote, l3 + 8, 16);
	o->hlen = off;
	o->payload = 40 + plen - off;
	o->proto = nh;
	o->ecn = (l3[1] >> 4) & 3;
	return K_TUNNEL;
}

/* README: sources no tunnel may have. */
static bool martian(const struct outer_info *o)
{
	static const __u8 zero[16], one[16] = { [15] = 1 };
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };
	const __u8 *a = o->remote;

	if (o->family == GIF_AF_INET)
		return a[0] == 0 || a[0] == 127 || a[0] >= 224;
	return a[0] == 0xff || !memcmp(a, zero, 16) || !memcmp(a, one, 16) ||
	       !memcmp(a, mapped, 12);
}

static int tunnel_for(const struct world *w, const struct outer_info *o)
{
	for (int i = 0; i < ENV_NDEV; i++) {
		const struct gif_tunnel *t = &w->cfg[i];

		if (t->family == (__u32)o->family && !memcmp(t->local, o->local, 16) &&
		    !memcmp(t->remote, o->remote, 16))
			return i;
	}
	return -1;
}

/* The inner packet's length when it agrees with the outer protocol and fits, else 0. */
static size_t inner_length(const __u8 *in, size_t avail, const struct outer_info *o)
{
	size_t len;

	if (o->proto == PROTO_IPIP) {
		if (avail < 20 || in[0] >> 4 != 4 || (in[0] & 15) < 5)
			return 0;
		len = be16(in + 2);
		return len >= (size_t)(in[0] & 15) * 4 && len <= o->payload ? len : 0;
	}
	if (avail < 40 || in[0] >> 4 != 6)
		return 0;
	len = 40 + be16(in + 4);
	return len <= o->payload ? len : 0;
}

/* RFC 6040 section 4.2 (normal and compatibility mode decapsulate alike). */
static int ecn_table(int inner, int outer)
{
	if (outer == 3)
		return 3;
	if (outer == 1 && inner == 2)
		return 1;
	return inner;
}

void xdp_model(const struct world *w, const struct xdp_case *c, struct xdp_expect *x)
{
	const __u8 *f = c->data, *l3 = f + ETH_HLEN;
	size_t avail = c->len - ETH_HLEN, len;
	struct outer_info o;
	enum outer_kind k;
	const struct gif_tunnel *t;
	__u8 *in;
	int dev, et;

	x->nd = 0;
	x->dev = -1;
	x->out_len = 0;
	x->csum_off = 0;
	if (c->len < ETH_HLEN) {
		x->verdict = -1;
		x->why = "shorter than an Ethernet header (the test run refuses it)";
		return;
	}
	x->verdict = XDP_PASS;
	et = be16(f + 12);
	if (et == 0x0800) {
		k = outer4(l3, avail, &o, &x->why);
	} else if (et == 0x86dd) {
		k = outer6(l3, avail, &o, &x->why);
	} else {
		x->why = "not IPv4 or IPv6";
		return;
	}
	if (k == K_OTHER)
		return;
	if (k == K_MALFORMED) {
		delta(x->d, &x->nd, ENV_KEY0, GIF_C_RX_MALFORMED, 1);
		return;
	}
	if (k == K_FRAGMENT) {
		delta(x->d, &x->nd, ENV_KEY0, GIF_C_RX_FRAGMENT, 1);
		return;
	}
	if (martian(&o)) {
		x->why = "martian outer source";
		delta(x->d, &x->nd, ENV_KEY0, GIF_C_RX_MARTIAN, 1);
		return;
	}
	dev = tunnel_for(w, &o);
	if (dev < 0) {
		x->why = "no tunnel has this outer pair";
		delta(x->d, &x->nd, ENV_KEY0, GIF_C_RX_NO_TUNNEL, 1);
		return;
	}
	x->dev = dev;
	t = &w->cfg[dev];
	len = inner_length(l3 + o.hlen, avail - o.hlen, &o);
	if (!len) {
		x->why = "inner header disagrees with the outer protocol or does not fit";
		delta(x->d, &x->nd, dev, GIF_C_RX_INNER_MISMATCH, 1);
		return;
	}
	if ((t->flags & GIF_F_INGRESS_FILTER) &&
	    !(w->route_oif[dev] && w->route_oif[dev] == (int)(c->ingress ? c->ingress
									  : w->lo_ifindex))) {
		x->verdict = XDP_DROP;
		x->why = "ingress filter: the route back does not leave through the arrival device";
		delta(x->d, &x->nd, dev, GIF_C_RX_INGRESS_FILTER, 1);
		return;
	}

	/* The decapsulated frame: Ethernet to the gif device from the sender, the inner packet. */
	memcpy(x->out, t->gif_mac, 6);
	memcpy(x->out + 6, f + 6, 6);
	x->out[12] = o.proto == PROTO_IPIP ? 0x08 : 0x86;
	x->out[13] = o.proto == PROTO_IPIP ? 0x00 : 0xdd;
	memcpy(x->out + ETH_HLEN, l3 + o.hlen, len);
	x->out_len = ETH_HLEN + len;
	x->inner_in = ETH_HLEN + o.hlen;
	x->why = "decapsulated";
	in = x->out + ETH_HLEN;

	if (t->ecn != GIF_ECN_OFF) {
		bool v4 = o.proto == PROTO_IPIP;
		int ie = v4 ? in[1] & 3 : (in[1] >> 4) & 3, ne;

		if (ie == 0 && o.ecn == 3) {
			x->verdict = XDP_DROP;
			x->why = "ECN: outer CE over a Not-ECT inner packet";
			x->out_len = 0;
			delta(x->d, &x->nd, dev, GIF_C_RX_ECN_CE_NOT_ECT, 1);
			return;
		}
		if (ie == 0 && o.ecn) {
			delta(x->d, &x->nd, dev, GIF_C_RX_ECN_NOT_ECT, 1);
			x->why = "decapsulated; outer ECT over a Not-ECT inner packet (counted)";
		}
		ne = ie == 0 ? 0 : ecn_table(ie, o.ecn);
		if (ne != ie) {
			x->why = "decapsulated; inner ECN field updated (RFC 6040)";
			if (v4) {
				in[1] = (in[1] & ~3) | ne;
				x->csum_off = ETH_HLEN + 10;
			} else {
				in[1] = (in[1] & ~0x30) | ne << 4;
			}
		}
	}
	x->verdict = XDP_REDIRECT;
	delta(x->d, &x->nd, dev, GIF_C_RX_PACKETS, 1);
	delta(x->d, &x->nd, dev, GIF_C_RX_BYTES, len);
}

/* ------------------------------------------------------------------------------------------ */
/* Encapsulation                                                                               */

static bool is_gif_dev_or_peer(const struct world *w, int dev, int ifindex)
{
	if (ifindex == w->e->gif[dev].peer.ifindex)
		return true;
	return world_dev_by_ifindex(w, ifindex) >= 0;
}

/* bpf_skb_load_bytes(OFF, 1) of the frame, -1 past its end */
static int byte_at(const struct tc_case *c, size_t off)
{
	return off < c->len ? c->data[off] : -1;
}

/* The outer path length gif_tc_tx checks against the route (bpf/encap.bpf.h outer_path_len). */
static size_t outer_path_len(const struct tc_case *c, bool v4_inner, size_t hdr)
{
	size_t l3 = 40, l4 = 0;
	int proto, b;

	if (!c->gso_size)
		return c->len - ETH_HLEN + hdr;
	if (v4_inner)
		l3 = (c->data[ETH_HLEN] & 0xf) * 4;
	proto = c->data[ETH_HLEN + (v4_inner ? 9 : 6)];
	if (proto == 6 && (b = byte_at(c, ETH_HLEN + l3 + 12)) >= 0)
		l4 = (b >> 4) * 4;
	else if (proto == 17)
		l4 = 8;
	return hdr + l3 + l4 + c->gso_size;
}

#define PTB_QUOTE 256

/* RFC 1812 / RFC 4443 as bpf/ptb.bpf.h applies them: may this packet be answered? */
static bool ptb_allowed(const struct tc_case *c, bool v4)
{
	const __u8 *ip = c->data + ETH_HLEN;
	int type;

	if (v4) {
		if (c->len < ETH_HLEN + 20 || (be16(ip + 6) & 0x1fff))
			return false;
		if (ip[16] >= 224 || ip[12] >= 224 || ip[12] == 0)
			return false;
		type = byte_at(c, ETH_HLEN + (ip[0] & 0xf) * 4);
		return ip[9] != 1 || (type >= 0 && type != 3 && type != 4 && type != 5 &&
				      type != 11 && type != 12);
	}
	if (c->len < ETH_HLEN + 40 || ip[24] == 0xff || ip[8] == 0xff)
		return false;
	type = byte_at(c, ETH_HLEN + 40);
	return ip[6] != 58 || type >= 128;
}

/* The ICMP "fragmentation needed" / ICMPv6 Packet Too Big for MTU that replaces the frame. */
static void too_big_model(const struct gif_tunnel *t, const struct tc_case *c, bool v4,
			  unsigned int mtu, struct tc_expect *x)
{
	const __u8 *ip = c->data + ETH_HLEN;
	size_t hlen = (v4 ? 20 : 40) + 8;
	__u8 *o = x->out + ETH_HLEN, *icmp = o + hlen - 8;
	__u32 sum;

	x->out_len = ETH_HLEN + hlen + PTB_QUOTE;
	memset(x->mask, 0xff, x->out_len);
	memcpy(x->out, t->gif_mac, 6);
	memcpy(x->out + 6, t->gif_mac, 6);
	memcpy(x->out + 12, c->data + 12, 2);
	memset(o, 0, hlen);
	memcpy(o + hlen, ip, PTB_QUOTE);
	if (v4) {
		o[0] = 0x45;
		o[2] = (20 + 8 + PTB_QUOTE) >> 8;
		o[3] = (20 + 8 + PTB_QUOTE) & 0xff;
		o[8] = 64;
		o[9] = 1;
		memcpy(o + 12, ip + 16, 4);
		memcpy(o + 16, ip + 12, 4);
		sum = pkt_csum_fold(pkt_csum_add(0, o, 20));
		o[10] = sum >> 8;
		o[11] = sum;
		icmp[0] = 3;
		icmp[1] = 4;
		icmp[6] = mtu >> 8;
		icmp[7] = mtu;
		sum = pkt_csum_add(0, icmp, 8 + PTB_QUOTE);
	} else {
		__u8 pseudo[8] = { 0, 0, (8 + PTB_QUOTE) >> 8, (8 + PTB_QUOTE) & 0xff, 0, 0, 0, 58 };

		o[0] = 0x60;
		o[4] = (8 + PTB_QUOTE) >> 8;
		o[5] = (8 + PTB_QUOTE) & 0xff;
		o[6] = 58;
		o[7] = 64;
		memcpy(o + 8, ip + 24, 16);
		memcpy(o + 24, ip + 8, 16);
		icmp[0] = 2;
		icmp[4] = mtu >> 24;
		icmp[5] = mtu >> 16;
		icmp[6] = mtu >> 8;
		icmp[7] = mtu;
		sum = pkt_csum_add(pkt_csum_add(0, o + 8, 32), pseudo, sizeof(pseudo));
		sum = pkt_csum_add(sum, icmp, 8 + PTB_QUOTE);
	}
	sum = pkt_csum_fold(sum);
	icmp[2] = sum >> 8;
	icmp[3] = sum;
	x->verdict = TC_ACT_REDIRECT;
	x->why = "larger than the route's MTU: answered with ICMP too big";
}

void tc_model(const struct world *w, const struct tc_case *c, struct tc_expect *x)
{
	const __u8 *f = c->data;
	const struct gif_tunnel *t;
	int dev, proto, inner_ver;
	__u8 tos, ttl, itos, ittl, dscp;
	size_t hdr, tot;
	bool v4, gso = c->gso_size != 0;
	__u8 *o;

	x->nd = 0;
	x->dev = -1;
	x->out_len = 0;
	if (c->len < ETH_HLEN) {
		x->verdict = -1;
		x->why = "shorter than an Ethernet header (the test run refuses it)";
		return;
	}
	/* Kernel 6.18's test run wants a whole IPv4 / IPv6 header after an IP EtherType; others
	 * may run the program: then the model below holds. */
	x->refusable = (be16(f + 12) == 0x0800 && c->len < ETH_HLEN + 20) ||
		       (be16(f + 12) == 0x86dd && c->len < ETH_HLEN + 40);
	x->verdict = TC_ACT_SHOT;
	dev = world_dev_by_ifindex(w, c->ifindex);
	if (dev < 0) {
		x->why = "not a gif device (no counters to move)";
		return;
	}
	x->dev = dev;
	t = &w->cfg[dev];
	if (t->family == GIF_AF_NONE) {
		x->why = "gif device without endpoints";
		delta(x->d, &x->nd, dev, GIF_C_TX_NO_TUNNEL, 1);
		return;
	}
	/* skb->protocol is the EtherType (eth_type_trans; below 0x600 it is an 802.3 length). */
	proto = be16(f + 12);
	inner_ver = c->len > ETH_HLEN ? f[ETH_HLEN] >> 4 : -1;
	if (c->len < ETH_HLEN + 9 || !((proto == 0x0800 && inner_ver == 4) ||
				      (proto == 0x86dd && inner_ver == 6))) {
		x->why = "not an IP packet agreeing with its EtherType";
		delta(x->d, &x->nd, dev, GIF_C_TX_NOT_IP, 1);
		return;
	}
	v4 = t->family == GIF_AF_INET;
	hdr = v4 ? 20 : 40;
	tot = c->len - ETH_HLEN + hdr;
	if (!w->route_oif[dev]) {
		x->why = "no route to the remote endpoint";
		delta(x->d, &x->nd, dev, GIF_C_TX_NO_ROUTE, 1);
		return;
	}
	if (outer_path_len(c, inner_ver == 4, hdr) > w->route_mtu[dev]) {
		x->why = "larger than the route's MTU, not answered";
		delta(x->d, &x->nd, dev, GIF_C_TX_TOO_BIG, 1);
		if (c->len >= ETH_HLEN + PTB_QUOTE && ptb_allowed(c, inner_ver == 4)) {
			too_big_model(t, c, inner_ver == 4, w->route_mtu[dev] - hdr, x);
			delta(x->d, &x->nd, dev, GIF_C_TX_PTB_SENT, 1);
		}
		return;
	}
	if (is_gif_dev_or_peer(w, dev, w->route_oif[dev])) {
		x->why = "the route to the remote endpoint leads into a gif device";
		delta(x->d, &x->nd, dev, GIF_C_TX_LOOP, 1);
		return;
	}

	if (inner_ver == 4) {
		itos = f[ETH_HLEN + 1];
		ittl = f[ETH_HLEN + 8];
	} else {
		itos = (f[ETH_HLEN] << 4) | (f[ETH_HLEN + 1] >> 4);
		ittl = f[ETH_HLEN + 7];
	}
	dscp = t->dscp == GIF_DSCP_INHERIT ? itos >> 2 : t->dscp;
	tos = dscp << 2 | (t->ecn == GIF_ECN_COMPAT ? 0 : (itos & 3));
	ttl = t->ttl == GIF_TTL_INHERIT ? ittl : t->ttl;

	x->out_len = c->len + hdr;
	memset(x->mask, 0xff, x->out_len);
	o = x->out;
	memcpy(o, t->gif_mac, 6);
	memcpy(o + 6, t->gif_mac, 6);
	o[12] = v4 ? 0x08 : 0x86;
	o[13] = v4 ? 0x00 : 0xdd;
	o += ETH_HLEN;
	memset(o, 0, hdr);
	if (v4) {
		bool df = t->flags & GIF_F_PMTUDISC;

		o[0] = 0x45;
		o[1] = tos;
		o[2] = tot >> 8;
		o[3] = tot;
		/* ID: 0 with DF; random without (RFC 6864), not compared */
		if (!df)
			x->mask[ETH_HLEN + 4] = x->mask[ETH_HLEN + 5] = 0;
		o[6] = df ? 0x40 : 0;
		o[8] = ttl;
		o[9] = inner_ver == 4 ? PROTO_IPIP : PROTO_IPV6;
		memcpy(o + 12, t->local, 4);
		memcpy(o + 16, t->remote, 4);
		/* checksum: compared after the ID is known (pktfuzz.c), mask it here */
		x->mask[ETH_HLEN + 10] = x->mask[ETH_HLEN + 11] = 0;
	} else {
		size_t plen = tot - 40;

		o[0] = 0x60 | tos >> 4;
		o[1] = (tos & 0xf) << 4;	/* low nibble: flow label (a hash) */
		x->mask[ETH_HLEN + 1] = 0xf0;
		x->mask[ETH_HLEN + 2] = x->mask[ETH_HLEN + 3] = 0;
		o[4] = plen >> 8;
		o[5] = plen;
		o[6] = inner_ver == 4 ? PROTO_IPIP : PROTO_IPV6;
		o[7] = ttl;
		memcpy(o + 8, t->local, 16);
		memcpy(o + 24, t->remote, 16);
	}
	memcpy(o + hdr, f + ETH_HLEN, c->len - ETH_HLEN);
	x->verdict = TC_ACT_REDIRECT;
	x->why = "encapsulated";
	delta(x->d, &x->nd, dev, GIF_C_TX_PACKETS, gso && c->gso_segs ? c->gso_segs : 1);
	delta(x->d, &x->nd, dev, GIF_C_TX_BYTES, c->len - ETH_HLEN);
}
