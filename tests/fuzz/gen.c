// SPDX-License-Identifier: GPL-2.0
/*
 * Packet generators of the datapath fuzzer. Every packet depends only on (seed, program, index):
 * its random stream is seeded from the three, so any one packet can be made again alone
 * (pktfuzz --start INDEX --count 1). The first indices are a systematic sweep (every truncation
 * offset of canonical tunnel packets of the four family combinations, every IHL, version, outer
 * protocol, length-field offset, IPv6 extension-header chain shape, fragment, ECN pair, spoofed
 * address); random cases follow. Headers are built with the unit tests' packet builder (pkt.h).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "frames.h"
#include "pkt.h"
#include "pktfuzz.h"

#define ETH_HLEN 14

/* ---- randomness -------------------------------------------------------------------------- */

static __u64 splitmix(__u64 *x)
{
	__u64 z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void rng_init(struct rng *r, __u64 seed, __u64 salt, __u64 index)
{
	__u64 x = seed ^ (salt * 0xd1b54a32d192ed03ull);

	x = splitmix(&x) ^ index;
	r->s = splitmix(&x);
}

__u64 rng_next(struct rng *r)
{
	return splitmix(&r->s);
}

__u32 rng_below(struct rng *r, __u32 n)
{
	return (__u32)(((rng_next(r) >> 32) * (__u64)n) >> 32);
}

bool rng_chance(struct rng *r, __u32 num, __u32 den)
{
	return rng_below(r, den) < num;
}

void rng_bytes(struct rng *r, __u8 *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = rng_next(r);
}

/* A size: mostly small, sometimes around an MTU, rarely large. */
static size_t rng_size(struct rng *r, size_t max)
{
	size_t n;

	switch (rng_below(r, 8)) {
	case 0:
		n = rng_below(r, 4);
		break;
	case 1 ... 4:
		n = rng_below(r, 64);
		break;
	case 5:
		n = rng_below(r, 512);
		break;
	case 6:
		n = 1380 + rng_below(r, 140);
		break;
	default:
		n = rng_below(r, FZ_MAX_FRAME);
		break;
	}
	return n > max ? max : n;
}

/* ---- frames ------------------------------------------------------------------------------ */

/* A tunnel frame under construction, with the offsets the mutations need. */
struct frame {
	__u8 d[FZ_BUF];
	size_t len;
	int outer;		/* 4 / 6 */
	size_t ext_off, ext_len;	/* IPv6 extension headers after the fixed header */
	size_t inner;		/* offset of the inner packet */
	int inner_ver;
	size_t inner_len;
};

static void put16(__u8 *b, __u16 v)
{
	b[0] = v >> 8;
	b[1] = v;
}

static __u16 get16(const __u8 *b)
{
	return b[0] << 8 | b[1];
}

/* The inner packet: IPv4 (ICMP echo, UDP or a bare header, options sometimes) or IPv6 (UDP,
 * ICMPv6 echo or no next header; extension headers sometimes). */
static void make_inner(struct rng *r, int ver, size_t payload, bool egress, struct pkt *p)
{
	static const __u8 nh_v6[] = { PROTO_UDP, PROTO_ICMPV6, 59 };
	int kind = rng_below(r, 3);

	pkt_init(p);
	if (ver == 4) {
		__u8 opts[40];
		struct ip4_spec ip = {
			.tos = rng_next(r),
			.id = rng_next(r),
			.frag_off = rng_chance(r, 3, 4) ? IP4_DF : rng_chance(r, 1, 2) ? 0 : rng_next(r),
			.ttl = rng_chance(r, 1, 8) ? rng_below(r, 2) : rng_next(r),
			.protocol = kind == 0 ? PROTO_ICMP : kind == 1 ? PROTO_UDP : 253,
			.src = egress ? INNER4_LOCAL : INNER4_REMOTE,
			.dst = egress ? INNER4_REMOTE : INNER4_LOCAL,
			.opts = opts,
			.optlen = rng_chance(r, 1, 6) ? 4 * (1 + rng_below(r, 10)) : 0,
		};

		memset(opts, 1, sizeof(opts));
		if (ip.optlen)
			opts[ip.optlen - 1] = 0;
		pkt_ip4(p, &ip);
		if (kind == 0)
			pkt_icmp4_echo(p, rng_next(r), rng_next(r));
		else if (kind == 1)
			pkt_udp(p, rng_next(r), rng_next(r));
	} else {
		int next = nh_v6[kind];
		bool ext = rng_chance(r, 1, 6);
		struct ip6_spec ip6 = {
			.tclass = rng_next(r),
			.flow = rng_next(r) & 0xfffff,
			.nexthdr = ext ? PROTO_DSTOPTS : next,
			.hop_limit = rng_chance(r, 1, 8) ? rng_below(r, 2) : rng_next(r),
			.src = egress ? INNER6_LOCAL : INNER6_REMOTE,
			.dst = egress ? INNER6_REMOTE : INNER6_LOCAL,
		};
		static const __u8 el[] = { 4, 1, 4 };

		pkt_ip6(p, &ip6);
		if (ext)
			pkt_ip6_opts(p, next, el, sizeof(el));
		if (next == PROTO_UDP)
			pkt_udp(p, rng_next(r), rng_next(r));
		else if (next == PROTO_ICMPV6)
			pkt_icmp6_echo(p, rng_next(r), rng_next(r));
	}
	if (p->len + payload > FZ_MAX_FRAME - 100)
		payload = FZ_MAX_FRAME - 100 - p->len;
	pkt_payload(p, payload, rng_next(r));
	pkt_finish(p);
}

/* Outer addresses as bytes (IPv4 in the first 4). */
struct addrs {
	__u8 src[16], dst[16];
};

struct ospec {
	int ver;
	struct addrs a;
	__u8 tos;
	int ihl;		/* IPv4: 5..15 (options: router alert, NOPs, EOL) */
	__u16 frag_off;
	int proto;		/* outer protocol / last next header; -1: by the inner version */
	const __u8 *ext;	/* IPv6 extension headers (raw, next-header fields included) */
	size_t ext_len;
	int first_nh;		/* IPv6 next header of the fixed header when ext is given */
	size_t extra;		/* bytes after the inner packet inside the outer payload */
	size_t trailer;		/* bytes after the outer packet (Ethernet padding) */
};

static void build(const struct world *w, const struct ospec *s, const struct pkt *inner,
		  struct frame *f)
{
	static struct pkt p;
	int proto = s->proto >= 0 ? s->proto : inner->data[0] >> 4 == 4 ? PROTO_IPIP : PROTO_IPV6;
	size_t l3;

	pkt_init(&p);
	pkt_eth(&p, w->e->ul.mac, UL_REMOTE_MAC, s->ver == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
	l3 = p.len;
	if (s->ver == 4) {
		__u8 opts[40];
		struct ip4_spec ip = {
			.tos = s->tos,
			.id = 0xbeef,
			.frag_off = s->frag_off,
			.ttl = 64,
			.protocol = proto,
			.src = "0.0.0.0",
			.dst = "0.0.0.0",
			.opts = opts,
			.optlen = s->ihl > 5 ? (s->ihl - 5) * 4 : 0,
		};

		memset(opts, 1, sizeof(opts));
		if (ip.optlen >= 4) {
			opts[0] = 0x94;
			opts[1] = 4;
			opts[2] = opts[3] = 0;
		}
		if (ip.optlen)
			opts[ip.optlen - 1] = 0;
		pkt_ip4(&p, &ip);
		memcpy(p.data + l3 + 12, s->a.src, 4);
		memcpy(p.data + l3 + 16, s->a.dst, 4);
	} else {
		struct ip6_spec ip6 = {
			.tclass = s->tos,
			.flow = 0x12345,
			.nexthdr = s->ext_len ? s->first_nh : proto,
			.hop_limit = 64,
			.src = "::",
			.dst = "::",
		};

		pkt_ip6(&p, &ip6);
		memcpy(p.data + l3 + 8, s->a.src, 16);
		memcpy(p.data + l3 + 24, s->a.dst, 16);
		if (s->ext_len)
			pkt_raw(&p, s->ext, s->ext_len);
	}
	f->inner = p.len;
	pkt_raw(&p, inner->data, inner->len);
	pkt_payload(&p, s->extra, 0xe0);
	pkt_finish(&p);
	pkt_trailer(&p, s->trailer, 0);
	memcpy(f->d, p.data, p.len);
	f->len = p.len;
	f->outer = s->ver;
	f->ext_off = l3 + 40;
	f->ext_len = s->ver == 6 ? s->ext_len : 0;
	f->inner_ver = inner->data[0] >> 4;
	f->inner_len = inner->len;
}

/* IPv6 extension headers: N headers of the given next-header values, each HDRLEN[i] (8-byte units
 * minus one), the last one's next header LAST. Returns the length. */
static size_t ext_chain(__u8 *b, const int *types, const int *hdrlen, int n, int last)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		size_t len = (hdrlen[i] + 1) * 8;

		memset(b + off, 0, len);
		b[off] = i + 1 < n ? types[i + 1] : last;
		if (types[i] == PROTO_FRAGMENT) {
			len = 8;
			b[off + 1] = 0;
			put16(b + off + 2, 1);	/* offset 0, M */
		} else {
			b[off + 1] = hdrlen[i];
			b[off + 2] = 1;		/* PadN */
			b[off + 3] = len - 4;
		}
		off += len;
	}
	return off;
}

/* ---- addresses --------------------------------------------------------------------------- */

/* A device whose tunnel has outer family VER (4/6), gif0/gif6 most of the time. */
static int pick_tunnel(const struct world *w, struct rng *r, int ver)
{
	int want = ver == 4 ? GIF_AF_INET : GIF_AF_INET6, main = ver == 4 ? DEV_GIF4 : DEV_GIF6;

	if (rng_chance(r, 3, 4))
		return main;
	for (int tries = 0; tries < 32; tries++) {
		int d = rng_below(r, ENV_NDEV);

		if (w->cfg[d].family == (__u32)want)
			return d;
	}
	return main;
}

static void addrs_of(const struct world *w, int dev, struct addrs *a)
{
	memcpy(a->src, w->cfg[dev].remote, 16);
	memcpy(a->dst, w->cfg[dev].local, 16);
}

static void parse_addr(int ver, const char *s, __u8 *out)
{
	memset(out, 0, 16);
	if (inet_pton(ver == 4 ? AF_INET : AF_INET6, s, out) != 1)
		abort();
}

static const char *const martians4[] = { "0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1",
					 "239.255.255.250", "240.0.0.1", "255.255.255.255" };
static const char *const martians6[] = { "::", "::1", "ff02::1", "ff05::2", "::ffff:198.18.0.2",
					 "::ffff:0.0.0.0" };

/* Spoofed addresses: forged source, foreign destination, reflection, martian source. */
static void spoof(const struct world *w, struct rng *r, int ver, int variant, struct addrs *a)
{
	int dev = pick_tunnel(w, r, ver), alen = ver == 4 ? 4 : 16;

	addrs_of(w, dev, a);
	switch (variant) {
	case 0:	/* forged source: one bit of the configured remote flipped */
		a->src[rng_below(r, alen)] ^= 1 << rng_below(r, 8);
		break;
	case 1:	/* foreign destination */
		a->dst[rng_below(r, alen)] ^= 1 << rng_below(r, 8);
		break;
	case 2: {	/* reflection: our own packet coming back */
		struct addrs b = *a;

		memcpy(a->src, b.dst, 16);
		memcpy(a->dst, b.src, 16);
		break;
	}
	case 3:	/* martian source */
		if (ver == 4)
			parse_addr(4, martians4[rng_below(r, 7)], a->src);
		else
			parse_addr(6, martians6[rng_below(r, 6)], a->src);
		break;
	case 4:	/* random source */
		rng_bytes(r, a->src, alen);
		break;
	default:	/* random destination */
		rng_bytes(r, a->dst, alen);
		break;
	}
}

/* ---- mutations --------------------------------------------------------------------------- */

static void fix_outer_csum(struct frame *f)
{
	__u8 *ip = f->d + ETH_HLEN;
	size_t hlen = (ip[0] & 15) * 4;

	if (f->outer != 4 || f->len < ETH_HLEN + 20 || hlen < 12 || ETH_HLEN + hlen > f->len)
		return;
	put16(ip + 10, 0);
	put16(ip + 10, pkt_csum_fold(pkt_csum_add(0, ip, hlen)));
}

static void fix_inner_csum(struct frame *f)
{
	__u8 *ip = f->d + f->inner;
	size_t hlen = (ip[0] & 15) * 4;

	if (f->inner + 20 > f->len || ip[0] >> 4 != 4 || hlen < 12 || f->inner + hlen > f->len)
		return;
	put16(ip + 10, 0);
	put16(ip + 10, pkt_csum_fold(pkt_csum_add(0, ip, hlen)));
}

/* A length value near CORRECT, or an extreme. */
static __u16 length_value(struct rng *r, int correct)
{
	static const __u16 extreme[] = { 0, 1, 8, 19, 20, 39, 40, 41, 0x7fff, 0x8000, 0xfffe, 0xffff };
	int v;

	if (rng_chance(r, 1, 4))
		return extreme[rng_below(r, sizeof(extreme) / sizeof(extreme[0]))];
	if (rng_chance(r, 1, 8))
		return rng_next(r);
	v = correct + (int)rng_below(r, 81) - 40;
	return v < 0 ? 0 : v;
}

static void mutate(struct rng *r, struct frame *f)
{
	static const __u8 interesting[] = { 0, 1, 4, 5, 6, 0x0f, 0x10, 0x29, 0x2c, 0x3c, 0x40,
					    0x45, 0x46, 0x4f, 0x60, 0x7f, 0x80, 0xfe, 0xff };
	size_t l3 = ETH_HLEN, n;
	__u8 *d = f->d;

	if (!f->len)
		return;
	switch (rng_below(r, 16)) {
	case 0:	/* truncation */
		f->len = ETH_HLEN + rng_below(r, f->len - ETH_HLEN + 1);
		break;
	case 1:	/* bit flips, mostly in the headers */
		for (n = 1 + rng_below(r, 8); n; n--) {
			size_t at = rng_chance(r, 3, 4) && f->len > 100 ? rng_below(r, 100)
								       : rng_below(r, f->len);
			d[at] ^= 1 << rng_below(r, 8);
		}
		break;
	case 2:	/* an interesting byte in the headers */
		d[rng_below(r, f->len < 120 ? f->len : 120)] =
			interesting[rng_below(r, sizeof(interesting))];
		break;
	case 3:	/* outer length field */
		if (f->outer == 4 && f->len >= l3 + 4)
			put16(d + l3 + 2, length_value(r, get16(d + l3 + 2)));
		else if (f->outer == 6 && f->len >= l3 + 6)
			put16(d + l3 + 4, length_value(r, get16(d + l3 + 4)));
		break;
	case 4:	/* inner length field */
		if (f->inner_ver == 4 && f->len >= f->inner + 4)
			put16(d + f->inner + 2, length_value(r, get16(d + f->inner + 2)));
		else if (f->inner_ver == 6 && f->len >= f->inner + 6)
			put16(d + f->inner + 4, length_value(r, get16(d + f->inner + 4)));
		break;
	case 5:	/* outer IHL, any value */
		if (f->outer == 4)
			d[l3] = (d[l3] & 0xf0) | rng_below(r, 16);
		break;
	case 6:	/* inner IHL, any value */
		if (f->inner < f->len)
			d[f->inner] = (d[f->inner] & 0xf0) | rng_below(r, 16);
		break;
	case 7:	/* versions */
		if (rng_chance(r, 1, 2))
			d[l3] = (d[l3] & 0x0f) | rng_below(r, 16) << 4;
		else if (f->inner < f->len)
			d[f->inner] = (d[f->inner] & 0x0f) | rng_below(r, 16) << 4;
		break;
	case 8:	/* outer protocol / next header */
		if (f->outer == 4)
			d[l3 + 9] = rng_chance(r, 1, 2) ? d[l3 + 9] ^ (4 ^ 41) : rng_next(r);
		else if (f->ext_len && rng_chance(r, 1, 2))
			d[f->ext_off + 8 * rng_below(r, f->ext_len / 8)] = rng_next(r);
		else
			d[l3 + 6] = rng_chance(r, 1, 2) ? d[l3 + 6] ^ (4 ^ 41) : rng_next(r);
		break;
	case 9:	/* an extension header's length */
		if (f->ext_len)
			d[f->ext_off + 1] = rng_chance(r, 1, 2) ? rng_below(r, 4) : rng_next(r);
		else
			d[l3 + 1] ^= 1 << rng_below(r, 8);
		break;
	case 10:	/* ECN fields */
		if (f->outer == 4)
			d[l3 + 1] = (d[l3 + 1] & ~3) | rng_below(r, 4);
		else
			d[l3 + 1] = (d[l3 + 1] & ~0x30) | rng_below(r, 4) << 4;
		if (f->inner + 2 <= f->len) {
			if (f->inner_ver == 4)
				d[f->inner + 1] = (d[f->inner + 1] & ~3) | rng_below(r, 4);
			else
				d[f->inner + 1] = (d[f->inner + 1] & ~0x30) | rng_below(r, 4) << 4;
		}
		break;
	case 11:	/* bytes appended (padding or garbage) */
		n = rng_below(r, 64);
		if (f->len + n <= FZ_MAX_FRAME) {
			if (rng_chance(r, 1, 2))
				memset(d + f->len, 0, n);
			else
				rng_bytes(r, d + f->len, n);
			f->len += n;
		}
		break;
	case 12:	/* EtherType */
		put16(d + 12, rng_chance(r, 1, 2) ? get16(d + 12) ^ (0x0800 ^ 0x86dd) : rng_next(r));
		break;
	case 13:	/* fragment fields */
		if (f->outer == 4)
			put16(d + l3 + 6, rng_chance(r, 1, 2) ? 0x2000 : rng_next(r));
		else
			d[l3 + 6] = PROTO_FRAGMENT;
		break;
	case 14:	/* a byte range overwritten with random bytes */
		n = 1 + rng_below(r, 16);
		{
			size_t at = rng_below(r, f->len);

			if (at + n > f->len)
				n = f->len - at;
			rng_bytes(r, d + at, n);
		}
		break;
	default:	/* bytes cut out of the middle */
		if (f->len > ETH_HLEN + 2) {
			size_t at = ETH_HLEN + rng_below(r, f->len - ETH_HLEN);

			n = 1 + rng_below(r, 24);
			if (at + n > f->len)
				n = f->len - at;
			memmove(d + at, d + at + n, f->len - at - n);
			f->len -= n;
		}
		break;
	}
}

/* ---- XDP cases ---------------------------------------------------------------------------- */

static const int combo_inner[4] = { 4, 6, 4, 6 }, combo_outer[4] = { 4, 4, 6, 6 };

/* A valid tunnel packet of combination COMBO over gif0/gif6, of shape SHAPE (0: plain, 1: outer
 * options / extension headers, 2: Ethernet padding and bytes after the inner packet). */
static void canonical(const struct world *w, int combo, int shape, struct frame *f)
{
	static const int types[3] = { PROTO_HOPOPTS, PROTO_DSTOPTS, PROTO_DSTOPTS };
	static const int lens[3] = { 0, 1, 0 };
	struct inner_spec is = { .version = combo_inner[combo], .tos = INNER_TOS, .payload = 8 };
	struct ospec s = { .ver = combo_outer[combo], .ihl = 5, .proto = -1, .tos = 0 };
	__u8 ext[64];
	struct pkt inner;

	build_inner(&inner, &is);
	addrs_of(w, s.ver == 4 ? DEV_GIF4 : DEV_GIF6, &s.a);
	if (shape == 1) {
		s.ihl = 15;
		s.first_nh = PROTO_HOPOPTS;
		s.ext = ext;
		s.ext_len = s.ver == 6 ? ext_chain(ext, types, lens, 3, is.version == 4 ? 4 : 41) : 0;
	} else if (shape == 2) {
		s.extra = 5;
		s.trailer = 18;
	}
	build(w, &s, &inner, f);
}

struct sys_family {
	const char *name;
	size_t n;
};

/* Truncation sweep bases: 4 combinations x 3 shapes. */
static struct frame bases[12];
static size_t base_trunc_total;

static void bases_init(const struct world *w)
{
	if (base_trunc_total)
		return;
	for (int i = 0; i < 12; i++) {
		canonical(w, i / 3, i % 3, &bases[i]);
		base_trunc_total += bases[i].len - ETH_HLEN + 1;
	}
}

enum {
	SYS_TRUNC,
	SYS_IHL_OUTER,
	SYS_IHL_INNER,
	SYS_EXT,
	SYS_LEN,
	SYS_VERSION,
	SYS_PROTO,
	SYS_FRAG,
	SYS_ECN,
	SYS_SPOOF,
	SYS_ETHERTYPE,
	NSYS
};

#define EXT_SHAPES 50
#define LEN_DELTAS 98
static const __u16 ethertypes[] = { 0x0000, 0x05dc, 0x0600, 0x0806, 0x8100, 0x88a8, 0x88cc,
				    0x8847, 0x86de, 0x0801, 0xffff };

static size_t sys_count(int fam)
{
	switch (fam) {
	case SYS_TRUNC:
		return base_trunc_total;
	case SYS_IHL_OUTER:
		return 2 * 3 * 16 * 2;
	case SYS_IHL_INNER:
		return 2 * 2 * 16;
	case SYS_EXT:
		return 2 * EXT_SHAPES;
	case SYS_LEN:
		return 4 * 2 * LEN_DELTAS;
	case SYS_VERSION:
		return 4 * 2 * 16;
	case SYS_PROTO:
		return 2 * 256;
	case SYS_FRAG:
		return 2 * 5 + 2 * 4;
	case SYS_ECN:
		return 4 * 16;
	case SYS_SPOOF:
		return 4 * 16;
	case SYS_ETHERTYPE:
		return 2 * sizeof(ethertypes) / sizeof(ethertypes[0]);
	}
	return 0;
}

size_t gen_xdp_systematic_count(const struct world *w)
{
	size_t n = 0;

	bases_init(w);
	for (int fam = 0; fam < NSYS; fam++)
		n += sys_count(fam);
	return n;
}

/* One IPv6 extension-header chain shape (0 .. EXT_SHAPES-1) over gif6. */
static void sys_ext(const struct world *w, int shape, int inner_ver, struct frame *f)
{
	int types[24], lens[24], n = 0, last = inner_ver == 4 ? 4 : 41, i;
	struct inner_spec is = { .version = inner_ver, .payload = 8 };
	struct ospec s = { .ver = 6, .ihl = 5, .proto = -1 };
	static __u8 ext[2048];
	struct pkt inner;

	memset(lens, 0, sizeof(lens));
	if (shape < 13) {		/* 0..12 destination options headers */
		for (n = 0; n < shape; n++)
			types[n] = PROTO_DSTOPTS;
	} else if (shape < 24) {	/* hop-by-hop, then 0..10 destination options */
		types[n++] = PROTO_HOPOPTS;
		for (i = 0; i < shape - 13; i++)
			types[n++] = PROTO_DSTOPTS;
	} else if (shape == 24) {	/* hop-by-hop not first */
		types[n++] = PROTO_DSTOPTS;
		types[n++] = PROTO_HOPOPTS;
	} else if (shape == 25) {	/* hop-by-hop twice */
		types[n++] = PROTO_HOPOPTS;
		types[n++] = PROTO_HOPOPTS;
	} else if (shape < 30) {	/* a fragment header at position 0..3 */
		for (i = 0; i < shape - 26; i++)
			types[n++] = PROTO_DSTOPTS;
		types[n++] = PROTO_FRAGMENT;
	} else if (shape < 33) {	/* a routing header at position 0..2 */
		for (i = 0; i < shape - 30; i++)
			types[n++] = PROTO_DSTOPTS;
		types[n++] = 43;
	} else if (shape < 37) {	/* a chain ending in something else */
		static const int ends[] = { 59, 253, 6, 17 };

		types[n++] = PROTO_DSTOPTS;
		last = ends[shape - 33];
	} else if (shape < 44) {	/* one long header around the 512-byte limit */
		static const int h[] = { 57, 58, 59, 60, 61, 63, 255 };

		types[n] = PROTO_DSTOPTS;
		lens[n++] = h[shape - 37];
	} else if (shape < 46) {	/* two headers crossing the limit together */
		types[n] = PROTO_DSTOPTS;
		lens[n++] = 57;
		types[n] = PROTO_DSTOPTS;
		lens[n++] = shape - 44;
	} else if (shape == 46) {	/* a loop: destination options pointing at themselves */
		for (n = 0; n < 20; n++)
			types[n] = PROTO_DSTOPTS;
		last = PROTO_DSTOPTS;
	} else if (shape == 47) {	/* a chain running off the end of the frame */
		types[n++] = PROTO_DSTOPTS;
		types[n++] = PROTO_DSTOPTS;
		last = PROTO_DSTOPTS;
	} else {			/* a header longer than the payload length says */
		types[n] = PROTO_DSTOPTS;
		lens[n++] = shape == 48 ? 20 : 3;
	}
	build_inner(&inner, &is);
	addrs_of(w, DEV_GIF6, &s.a);
	s.ext = ext;
	s.first_nh = n ? types[0] : last;
	s.ext_len = n ? ext_chain(ext, types, lens, n, last) : 0;
	if (!n)
		s.proto = last;
	build(w, &s, &inner, f);
	if (shape == 47)	/* cut right after the last extension header */
		f->len = f->ext_off + s.ext_len;
	if (shape >= 48) {	/* the payload length ends inside the header */
		put16(f->d + ETH_HLEN + 4, shape == 48 ? 16 : 8);
	}
}

static void sys_case(const struct world *w, size_t i, struct xdp_case *c, struct frame *f)
{
	int fam = 0;

	while (fam < NSYS && i >= sys_count(fam))
		i -= sys_count(fam++);
	c->ingress = w->e->ul.ifindex;
	switch (fam) {
	case SYS_TRUNC: {
		int b = 0;

		while (i >= bases[b].len - ETH_HLEN + 1)
			i -= bases[b++].len - ETH_HLEN + 1;
		*f = bases[b];
		f->len = ETH_HLEN + i;
		c->gen = "sweep: truncation";
		break;
	}
	case SYS_IHL_OUTER: {	/* combos 4in4/6in4 x option bytes {0, 8, 40} x IHL x checksum */
		static const int optw[3] = { 5, 7, 15 };
		int combo = i / 96, opt = i / 32 % 3, ihl = i / 2 % 16, fix = i % 2;
		struct inner_spec is = { .version = combo ? 6 : 4, .payload = 8 };
		struct ospec s = { .ver = 4, .ihl = optw[opt], .proto = -1 };
		struct pkt inner;

		build_inner(&inner, &is);
		addrs_of(w, DEV_GIF4, &s.a);
		build(w, &s, &inner, f);
		f->d[ETH_HLEN] = 0x40 | ihl;
		if (fix)
			fix_outer_csum(f);
		c->gen = "sweep: outer IHL";
		break;
	}
	case SYS_IHL_INNER: {	/* combos 4in4/4in6 x inner option bytes {0, 8} x IHL */
		int outer = i / 32 ? 6 : 4, opt = i / 16 % 2, ihl = i % 16;
		struct ospec s = { .ver = outer, .ihl = 5, .proto = -1 };
		__u8 opts[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };
		struct ip4_spec ip = { .ttl = 9, .protocol = PROTO_UDP, .src = INNER4_REMOTE,
				       .dst = INNER4_LOCAL, .opts = opts, .optlen = opt * 8 };
		struct pkt inner;

		pkt_init(&inner);
		pkt_ip4(&inner, &ip);
		pkt_udp(&inner, 1, 2);
		pkt_payload(&inner, 12, 3);
		pkt_finish(&inner);
		inner.data[0] = 0x40 | ihl;
		addrs_of(w, outer == 4 ? DEV_GIF4 : DEV_GIF6, &s.a);
		build(w, &s, &inner, f);
		fix_inner_csum(f);
		c->gen = "sweep: inner IHL";
		break;
	}
	case SYS_EXT:
		sys_ext(w, i % EXT_SHAPES, i / EXT_SHAPES ? 4 : 6, f);
		c->gen = "sweep: IPv6 extension headers";
		break;
	case SYS_LEN: {	/* combo x (outer, inner) x delta */
		static const int extreme[7] = { 0, 1, 19, 20, 39, 40, 0xffff };
		int combo = i / (2 * LEN_DELTAS), which = i / LEN_DELTAS % 2, k = i % LEN_DELTAS;
		size_t at;
		int v;

		canonical(w, combo, 2, f);
		at = which == 0 ? ETH_HLEN + (f->outer == 4 ? 2 : 4)
				: f->inner + (f->inner_ver == 4 ? 2 : 4);
		v = k < 91 ? get16(f->d + at) + k - 45 : extreme[k - 91];
		put16(f->d + at, v < 0 ? 0 : v);
		fix_outer_csum(f);
		fix_inner_csum(f);
		c->gen = which ? "sweep: inner length field" : "sweep: outer length field";
		break;
	}
	case SYS_VERSION: {
		int combo = i / 32, inner = i / 16 % 2, v = i % 16;

		canonical(w, combo, 0, f);
		if (inner)
			f->d[f->inner] = (f->d[f->inner] & 0x0f) | v << 4;
		else
			f->d[ETH_HLEN] = (f->d[ETH_HLEN] & 0x0f) | v << 4;
		fix_outer_csum(f);
		fix_inner_csum(f);
		c->gen = inner ? "sweep: inner version" : "sweep: outer version";
		break;
	}
	case SYS_PROTO:
		canonical(w, i / 256 ? 2 : 0, 0, f);
		f->d[ETH_HLEN + (f->outer == 4 ? 9 : 6)] = i % 256;
		fix_outer_csum(f);
		c->gen = "sweep: outer protocol";
		break;
	case SYS_FRAG:
		if (i < 10) {	/* IPv4: MF, offset 1, largest offset, both, DF only */
			static const __u16 fo[5] = { 0x2000, 0x0001, 0x1fff, 0x2fff, 0x4000 };

			canonical(w, i / 5, 0, f);
			put16(f->d + ETH_HLEN + 6, fo[i % 5]);
			fix_outer_csum(f);
		} else {	/* IPv6: a fragment header first, after a destination header, ... */
			int shape = 26 + (i - 10) % 4;

			sys_ext(w, shape, (i - 10) / 4 ? 4 : 6, f);
		}
		c->gen = "sweep: fragments";
		break;
	case SYS_ECN: {
		int combo = i / 16, oe = i / 4 % 4, ie = i % 4;

		canonical(w, combo, 0, f);
		if (f->outer == 4)
			f->d[ETH_HLEN + 1] = (f->d[ETH_HLEN + 1] & ~3) | oe;
		else
			f->d[ETH_HLEN + 1] = (f->d[ETH_HLEN + 1] & ~0x30) | oe << 4;
		if (f->inner_ver == 4)
			f->d[f->inner + 1] = (f->d[f->inner + 1] & ~3) | ie;
		else
			f->d[f->inner + 1] = (f->d[f->inner + 1] & ~0x30) | ie << 4;
		fix_outer_csum(f);
		fix_inner_csum(f);
		c->gen = "sweep: ECN pairs";
		break;
	}
	case SYS_SPOOF: {
		int combo = i / 16, v = i % 16;
		struct rng r;
		struct inner_spec is = { .version = combo_inner[combo], .payload = 8 };
		struct ospec s = { .ver = combo_outer[combo], .ihl = 5, .proto = -1 };
		struct pkt inner;

		rng_init(&r, 0x5b00f, combo, v);
		build_inner(&inner, &is);
		if (v < 12) {
			spoof(w, &r, s.ver, v % 6, &s.a);
		} else {	/* the right pair, the wrong inner version */
			addrs_of(w, s.ver == 4 ? DEV_GIF4 : DEV_GIF6, &s.a);
			s.proto = is.version == 4 ? PROTO_IPV6 : PROTO_IPIP;
		}
		build(w, &s, &inner, f);
		if (v >= 14)	/* protocol right, inner version nibble wrong */
			f->d[f->inner] = (f->d[f->inner] & 0x0f) | (v == 14 ? 0 : 5) << 4;
		c->gen = v < 12 ? "sweep: spoofed addresses" : "sweep: wrong inner version";
		break;
	}
	case SYS_ETHERTYPE:
		canonical(w, i % 2 ? 2 : 0, 0, f);
		put16(f->d + 12, ethertypes[i / 2]);
		c->gen = "sweep: EtherType";
		break;
	}
}

/* A random valid tunnel packet (random combination, tunnel, options, ECN, sizes). */
static void random_valid(const struct world *w, struct rng *r, struct frame *f, int spoof_variant)
{
	int combo = rng_below(r, 4), ver = combo_outer[combo];
	struct ospec s = { .ver = ver, .ihl = 5, .proto = -1, .tos = rng_next(r) };
	static __u8 ext[1024];
	struct pkt inner;

	make_inner(r, combo_inner[combo], rng_size(r, 1400), false, &inner);
	if (spoof_variant >= 0)
		spoof(w, r, ver, spoof_variant, &s.a);
	else
		addrs_of(w, pick_tunnel(w, r, ver), &s.a);
	if (ver == 4 && rng_chance(r, 1, 4))
		s.ihl = 5 + rng_below(r, 11);
	if (ver == 6 && rng_chance(r, 1, 3)) {
		int types[12], lens[12], n = 1 + rng_below(r, rng_chance(r, 1, 4) ? 12 : 3);
		size_t total = 0;

		for (int i = 0; i < n; i++) {
			types[i] = i == 0 && rng_chance(r, 1, 2) ? PROTO_HOPOPTS : PROTO_DSTOPTS;
			if (rng_chance(r, 1, 16))
				types[i] = rng_chance(r, 1, 2) ? PROTO_FRAGMENT : rng_next(r) & 0xff;
			lens[i] = rng_chance(r, 1, 8) ? rng_below(r, 70) : rng_below(r, 3);
			/* ext[] holds 1024 bytes */
			if (total + (lens[i] + 1) * 8 > sizeof(ext) - 8 * (n - i))
				lens[i] = 0;
			total += (lens[i] + 1) * 8;
		}
		s.ext = ext;
		s.first_nh = types[0];
		s.ext_len = ext_chain(ext, types, lens, n, combo_inner[combo] == 4 ? 4 : 41);
		if (ETH_HLEN + 40 + s.ext_len + inner.len > FZ_MAX_FRAME - 64)
			s.ext_len = 0, s.first_nh = -1;
	}
	if (ver == 4 && rng_chance(r, 1, 16))
		s.frag_off = rng_chance(r, 1, 2) ? 0x2000 : rng_next(r) & 0x3fff;
	if (rng_chance(r, 1, 4))
		s.extra = rng_below(r, 32);
	if (rng_chance(r, 1, 4))
		s.trailer = rng_below(r, 46);
	if (ETH_HLEN + 100 + s.ext_len + inner.len + s.extra + s.trailer > FZ_MAX_FRAME)
		s.extra = s.trailer = 0;
	build(w, &s, &inner, f);
}

void gen_xdp(const struct world *w, struct rng *r, __u64 index, struct xdp_case *c)
{
	static struct frame f;
	size_t nsys = gen_xdp_systematic_count(w);
	int kind;

	c->ingress = rng_chance(r, 7, 10) ? w->e->ul.ifindex : rng_chance(r, 1, 2) ? w->e->ul2.ifindex
										    : 0;
	if (index < nsys) {
		sys_case(w, index, c, &f);
		goto out;
	}
	kind = rng_below(r, 100);
	if (kind < 8) {	/* random bytes, sometimes dressed as IP-in-IP to get further */
		f.len = rng_size(r, FZ_MAX_FRAME);
		if (f.len < ETH_HLEN)
			f.len = ETH_HLEN + rng_below(r, 60);
		rng_bytes(r, f.d, f.len);
		f.outer = 4;
		f.inner = ETH_HLEN + 20;
		f.inner_ver = 4;
		f.ext_len = 0;
		if (rng_chance(r, 1, 2)) {
			int v6 = rng_chance(r, 1, 2);

			put16(f.d + 12, v6 ? 0x86dd : 0x0800);
			if (f.len > ETH_HLEN + 40) {
				f.d[ETH_HLEN] = (f.d[ETH_HLEN] & 0x0f) | (v6 ? 0x60 : 0x40);
				f.d[ETH_HLEN + (v6 ? 6 : 9)] = rng_chance(r, 1, 2) ? 4 : 41;
			}
			if (rng_chance(r, 1, 2) && f.len > ETH_HLEN + 40) {
				struct addrs a;

				addrs_of(w, pick_tunnel(w, r, v6 ? 6 : 4), &a);
				memcpy(f.d + ETH_HLEN + (v6 ? 8 : 12), a.src, v6 ? 16 : 4);
				memcpy(f.d + ETH_HLEN + (v6 ? 24 : 16), a.dst, v6 ? 16 : 4);
			}
			f.outer = v6 ? 6 : 4;
			f.inner = ETH_HLEN + (v6 ? 40 : 20);
			if (rng_chance(r, 1, 2))
				fix_outer_csum(&f);
		}
		c->gen = "random bytes";
	} else if (kind < 20) {
		random_valid(w, r, &f, -1);
		c->gen = "valid tunnel packet";
	} else if (kind < 30) {
		random_valid(w, r, &f, rng_below(r, 6));
		c->gen = "spoofed addresses";
	} else {
		int n = 1 + rng_below(r, rng_chance(r, 1, 4) ? 6 : 2);

		random_valid(w, r, &f, rng_chance(r, 1, 8) ? (int)rng_below(r, 6) : -1);
		while (n--)
			mutate(r, &f);
		if (rng_chance(r, 1, 2))
			fix_outer_csum(&f);
		if (rng_chance(r, 1, 2))
			fix_inner_csum(&f);
		c->gen = "mutated tunnel packet";
	}
out:
	memcpy(c->data, f.d, f.len);
	c->len = f.len;
}

/* ---- TC cases ------------------------------------------------------------------------------ */

/* The frame leaving gif device DEV: Ethernet from the device, INNER after it. */
static void egress_frame(const struct world *w, struct rng *r, int dev, const struct pkt *inner,
			 struct tc_case *c)
{
	static const __u8 mcast4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
			  mcast6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
			  bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const __u8 *mac = w->e->gif[dev >= 0 ? dev : DEV_GIF4].link.mac;
	int v = inner->len ? inner->data[0] >> 4 : 4;

	switch (rng_below(r, 8)) {
	case 0:
		memcpy(c->data, mcast4, 6);
		break;
	case 1:
		memcpy(c->data, mcast6, 6);
		break;
	case 2:
		memcpy(c->data, bcast, 6);
		break;
	case 3:
		rng_bytes(r, c->data, 6);
		break;
	default:
		memcpy(c->data, mac, 6);
		break;
	}
	memcpy(c->data + 6, mac, 6);
	put16(c->data + 12, v == 6 ? 0x86dd : 0x0800);
	memcpy(c->data + ETH_HLEN, inner->data, inner->len);
	c->len = ETH_HLEN + inner->len;
}

static const int tc_devs_sys[] = { DEV_GIF4, DEV_GIF6, DEV_NONE, DEV_NOROUTE4, DEV_NOROUTE6,
				   DEV_LOOP, DEV_NONEIGH4, DEV_NEIGH6 };
#define TC_SIZES 7
#define TC_NTYPES 7
static const __u16 tc_types[TC_NTYPES] = { 0x0800, 0x86dd, 0x0806, 0x8100, 0x05dc, 0x0000,
					   0xffff };

static struct pkt tc_base[2];
static size_t tc_trunc_total;

static void tc_bases_init(void)
{
	struct inner_spec is4 = { .version = 4, .tos = INNER_TOS, .payload = 20 },
			  is6 = { .version = 6, .tos = INNER_TOS, .payload = 20 };

	if (tc_trunc_total)
		return;
	build_inner_egress(&tc_base[0], &is4);
	build_inner_egress(&tc_base[1], &is6);
	tc_trunc_total = 2 * 2 * (tc_base[0].len + 1) + 2 * 2 * (tc_base[1].len + 1);
}

size_t gen_tc_systematic_count(const struct world *w)
{
	(void)w;
	tc_bases_init();
	/* truncation; devices x inner version x size; EtherType x version on gif0 and gif6 */
	return tc_trunc_total + 10 * 2 * TC_SIZES + 2 * TC_NTYPES * 16;
}

void gen_tc(const struct world *w, struct rng *r, __u64 index, struct tc_case *c)
{
	static struct pkt inner;
	size_t nsys = gen_tc_systematic_count(w);
	int dev;

	c->gso_size = c->gso_segs = 0;
	if (index < nsys) {
		size_t i = index;

		if (i < tc_trunc_total) {	/* {gif0, gif6} x {IPv4, IPv6 inner} x every length */
			int which = 0;

			while (i >= tc_base[which % 2].len + 1) {
				i -= tc_base[which % 2].len + 1;
				which++;
			}
			dev = which / 2 ? DEV_GIF6 : DEV_GIF4;
			egress_frame(w, r, dev, &tc_base[which % 2], c);
			memcpy(c->data, w->e->gif[dev].link.mac, 6);
			c->len = ETH_HLEN + i;
			c->ifindex = w->e->gif[dev].link.ifindex;
			c->gen = "sweep: truncation";
			return;
		}
		i -= tc_trunc_total;
		if (i < 10 * 2 * TC_SIZES) {	/* every device (and two others) x version x size */
			int d = i / (2 * TC_SIZES), ver = i / TC_SIZES % 2 ? 6 : 4, k = i % TC_SIZES;
			struct inner_spec is = { .version = ver, .tos = INNER_TOS };
			size_t hdr, mtu, base;

			dev = d < 8 ? tc_devs_sys[d] : DEV_GIF4;
			hdr = w->cfg[dev].family == GIF_AF_INET6 ? 40 : 20;
			mtu = w->route_mtu[dev] ? w->route_mtu[dev] : 1500;
			base = ver == 4 ? 28 : 48;
			/* payloads: 0, 100, MTU-1, MTU, MTU+1 of the outer packet, 2000, 3000 */
			{
				const long want[TC_SIZES] = { 0, 100, (long)mtu - 1, (long)mtu,
							      (long)mtu + 1, 2000, 3000 };
				long p = k < 2 || k > 4 ? want[k] : want[k] - (long)hdr - (long)base;

				is.payload = p < 0 ? 0 : p;
			}
			build_inner_egress(&inner, &is);
			egress_frame(w, r, dev, &inner, c);
			memcpy(c->data, w->e->gif[dev].link.mac, 6);
			c->ifindex = d == 8 ? (__u32)w->e->ul.ifindex : d == 9 ? 0
					    : (__u32)w->e->gif[dev].link.ifindex;
			c->gen = "sweep: devices and sizes";
			return;
		}
		i -= 10 * 2 * TC_SIZES;
		{	/* EtherType x version nibble */
			int t = i / 16 % TC_NTYPES, v = i % 16;

			dev = i / (16 * TC_NTYPES) ? DEV_GIF6 : DEV_GIF4;
			egress_frame(w, r, dev, &tc_base[0], c);
			put16(c->data + 12, tc_types[t]);
			c->data[ETH_HLEN] = (c->data[ETH_HLEN] & 0x0f) | v << 4;
			c->ifindex = w->e->gif[dev].link.ifindex;
			c->gen = "sweep: EtherType and version";
			return;
		}
	}

	switch (rng_below(r, 20)) {
	case 0:
		dev = -1;
		c->ifindex = rng_chance(r, 1, 2) ? (__u32)w->e->ul.ifindex : 0;
		break;
	case 1 ... 4:
		dev = rng_below(r, ENV_NDEV);
		break;
	case 5 ... 12:
		dev = DEV_GIF4;
		break;
	default:
		dev = DEV_GIF6;
		break;
	}
	if (dev >= 0)
		c->ifindex = w->e->gif[dev].link.ifindex;
	if (rng_chance(r, 1, 10)) {
		c->len = ETH_HLEN + rng_size(r, FZ_MAX_FRAME - ETH_HLEN);
		rng_bytes(r, c->data, c->len);
		if (rng_chance(r, 1, 2))
			put16(c->data + 12, rng_chance(r, 1, 2) ? 0x0800 : 0x86dd);
		c->gen = "random bytes";
	} else {
		make_inner(r, rng_chance(r, 1, 2) ? 4 : 6, rng_size(r, 3000), true, &inner);
		egress_frame(w, r, dev, &inner, c);
		c->gen = "inner packet";
		if (rng_chance(r, 1, 3)) {
			c->gen = "mutated inner packet";
			switch (rng_below(r, 6)) {
			case 0:
				c->len = ETH_HLEN + rng_below(r, c->len - ETH_HLEN + 1);
				break;
			case 1:
				put16(c->data + 12, rng_chance(r, 1, 2) ? get16(c->data + 12) ^
									  (0x0800 ^ 0x86dd)
									: rng_next(r));
				break;
			case 2:
				c->data[ETH_HLEN] = (c->data[ETH_HLEN] & 0x0f) | rng_below(r, 16) << 4;
				break;
			case 3:
				for (int n = 1 + rng_below(r, 8); n; n--)
					c->data[ETH_HLEN + rng_below(r, c->len - ETH_HLEN)] ^=
						1 << rng_below(r, 8);
				break;
			case 4:
				put16(c->data + ETH_HLEN + (c->data[ETH_HLEN] >> 4 == 6 ? 4 : 2),
				      length_value(r, 60));
				break;
			default:
				rng_bytes(r, c->data + ETH_HLEN, c->len - ETH_HLEN < 40
									? c->len - ETH_HLEN : 40);
				break;
			}
		}
	}
	/* No GSO: BPF_PROG_TEST_RUN can set gso_size and gso_segs but not gso_type, and
	 * bpf_skb_adjust_room() refuses a GSO skb of no type (tx_error), which the stack never
	 * hands to the program. */
}
