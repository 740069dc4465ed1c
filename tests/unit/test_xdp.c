// SPDX-License-Identifier: GPL-2.0
/*
 * gif_xdp_rx under BPF_PROG_TEST_RUN (repeat 1, one frame per run): table-driven like Katran's
 * tests. Each case builds the arriving frame and, independently, the frame expected out of the
 * program, then compares the verdict, every output byte and every counter of every key.
 */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "frames.h"
#include "prog.h"
#include "suites.h"
#include "test.h"

enum xdp_expect {
	X_DECAP,	/* XDP_REDIRECT, the inner packet for the tunnel's device; rx_packets/bytes */
	X_OTHER,	/* XDP_PASS, unchanged, no counter */
	X_NO_TUNNEL,	/* XDP_PASS, unchanged, rx_no_tunnel on key 0 */
	X_MISMATCH,	/* XDP_PASS, unchanged, rx_inner_mismatch on the tunnel's device */
	X_MALFORMED,	/* XDP_PASS, unchanged, rx_malformed on key 0 */
	X_FRAGMENT,	/* XDP_PASS, unchanged, rx_fragment on key 0 */
};

struct xdp_case {
	const char *name;
	struct inner_spec inner;
	struct frame_spec frame;
	enum xdp_expect expect;
	bool by_dev;		/* the tunnel is DEV, not gif0/gif6 by the outer version */
	enum env_dev dev;
	void (*mangle)(struct pkt *f);	/* changes the finished frame */
	bool ce;		/* X_DECAP: the inner ECN field must arrive as CE (RFC 6040) */
};

#define IN4 { .version = 4, .tos = INNER_TOS, .payload = 32 }
#define IN6 { .version = 6, .tos = INNER_TOS, .payload = 32 }
#define OUT4 .outer = 4
#define OUT6 .outer = 6

/* ---- frame changes after building, each keeping every other field consistent ------------- */

static void set_ip4_csum20(struct pkt *f, size_t off)
{
	__u8 *b = f->data + off;
	__u16 c;

	b[10] = b[11] = 0;
	c = pkt_csum_fold(pkt_csum_add(0, b, 20));
	b[10] = c >> 8;
	b[11] = c;
}

static void outer_ihl4(struct pkt *f)
{
	f->data[14] = 0x44;
	set_ip4_csum20(f, 14);
}

static void outer_ihl0(struct pkt *f)
{
	f->data[14] = 0x40;
	set_ip4_csum20(f, 14);
}

static void outer_version5(struct pkt *f)
{
	f->data[14] = 0x55;
	set_ip4_csum20(f, 14);
}

static void outer_bad_csum(struct pkt *f)
{
	f->data[14 + 11] ^= 0x01;
}

static void outer_tot_len_below_ihl(struct pkt *f)
{
	f->data[14 + 2] = 0;
	f->data[14 + 3] = 19;
	set_ip4_csum20(f, 14);
}

static void outer_tot_len_beyond_frame(struct pkt *f)
{
	__u16 len = (f->data[16] << 8 | f->data[17]) + 1;

	f->data[16] = len >> 8;
	f->data[17] = len;
	set_ip4_csum20(f, 14);
}

static void outer6_version7(struct pkt *f)
{
	f->data[14] = (f->data[14] & 0x0f) | 0x70;
}

static void outer6_plen0(struct pkt *f)
{
	f->data[14 + 4] = 0;
	f->data[14 + 5] = 0;
}

static void outer6_plen_beyond_frame(struct pkt *f)
{
	f->data[14 + 5] += 1;
}

/* The inner IPv4 header of a 4in4 frame with a 20-byte outer header. */
static void inner_ihl4(struct pkt *f)
{
	f->data[34] = 0x44;
	set_ip4_csum20(f, 34);
}

static void inner_tot_len_beyond_outer(struct pkt *f)
{
	__u16 len = (f->data[36] << 8 | f->data[37]) + 1;

	f->data[36] = len >> 8;
	f->data[37] = len;
	set_ip4_csum20(f, 34);
}

/* The inner IPv6 header of a 6in6 frame without extension headers. */
static void inner6_plen_beyond_outer(struct pkt *f)
{
	f->data[54 + 5] += 1;
}

/* The first extension header of an IPv6-outer frame claims 168 bytes, beyond the payload. */
static void outer6_ext_beyond_payload(struct pkt *f)
{
	f->data[14 + 40 + 1] = 20;
}

static void vlan_tag(struct pkt *f)
{
	/* 802.1Q tag 100 between the MAC addresses and the EtherType. */
	memmove(f->data + 16, f->data + 12, f->len - 12);
	f->data[12] = 0x81;
	f->data[13] = 0x00;
	f->data[14] = 0x00;
	f->data[15] = 100;
	f->len += 4;
}

static const struct xdp_case cases[] = {
	/* The four combinations. */
	{ .name = "decap 4in4", .inner = IN4, .frame = { OUT4 }, .expect = X_DECAP },
	{ .name = "decap 6in4", .inner = IN6, .frame = { OUT4 }, .expect = X_DECAP },
	{ .name = "decap 4in6", .inner = IN4, .frame = { OUT6 }, .expect = X_DECAP },
	{ .name = "decap 6in6", .inner = IN6, .frame = { OUT6 }, .expect = X_DECAP },
	{ .name = "decap 4in4, outer DF set",
	  .inner = IN4, .frame = { OUT4, .frag_off = IP4_DF }, .expect = X_DECAP },
	{ .name = "decap 4in4 to gifnr4 (same local address as gif0)",
	  .inner = IN4, .frame = { OUT4, .src = NOROUTE4_REMOTE }, .expect = X_DECAP,
	  .by_dev = true, .dev = DEV_NOROUTE4 },
	{ .name = "decap 6in6 to gifnr6 (same local address as gif6)",
	  .inner = IN6, .frame = { OUT6, .src = NOROUTE6_REMOTE }, .expect = X_DECAP,
	  .by_dev = true, .dev = DEV_NOROUTE6 },
	{ .name = "decap 4in4, empty inner payload",
	  .inner = { .version = 4 }, .frame = { OUT4 }, .expect = X_DECAP },
	/* At TC ingress before 6.3, shorter than the outer family's header (decap.bpf.h). */
	{ .name = "decap 4in6, 28-byte inner packet",
	  .inner = { .version = 4 }, .frame = { OUT6 }, .expect = X_DECAP },
	{ .name = "decap 4in6, 20-byte inner packet (IP header alone)",
	  .inner = { .version = 4, .bare = true }, .frame = { OUT6 }, .expect = X_DECAP },
	{ .name = "decap 6in6, 1400-byte inner payload",
	  .inner = { .version = 6, .payload = 1400 }, .frame = { OUT6 }, .expect = X_DECAP },

	/* Bytes the inner packet does not claim are trimmed. */
	{ .name = "decap 4in4, 54-byte frame padded to 60: padding trimmed",
	  .inner = { .version = 4, .bare = true }, .frame = { OUT4, .trailer = 6 },
	  .expect = X_DECAP },
	{ .name = "decap 4in4, padding of 0xff bytes trimmed",
	  .inner = { .version = 4, .bare = true },
	  .frame = { OUT4, .trailer = 6, .trailer_byte = 0xff }, .expect = X_DECAP },
	{ .name = "decap 6in4, 20 bytes after the outer packet trimmed",
	  .inner = IN6, .frame = { OUT4, .trailer = 20 }, .expect = X_DECAP },
	{ .name = "decap 6in6, 10 bytes after the outer packet trimmed",
	  .inner = IN6, .frame = { OUT6, .trailer = 10 }, .expect = X_DECAP },
	{ .name = "decap 4in4, outer payload > inner packet: trimmed",
	  .inner = IN4, .frame = { OUT4, .extra = 12 }, .expect = X_DECAP },
	{ .name = "decap 4in6, outer payload > inner packet: trimmed",
	  .inner = IN4, .frame = { OUT6, .extra = 12 }, .expect = X_DECAP },

	/* Not this host's tunnels. */
	{ .name = "4in4 from an unknown source: passed",
	  .inner = IN4, .frame = { OUT4, .src = "198.18.0.9" }, .expect = X_NO_TUNNEL },
	{ .name = "4in4 to an unknown destination: passed",
	  .inner = IN4, .frame = { OUT4, .dst = "198.18.0.9" }, .expect = X_NO_TUNNEL },
	{ .name = "4in4 with the pair swapped: passed",
	  .inner = IN4, .frame = { OUT4, .src = TUN4_LOCAL, .dst = TUN4_REMOTE },
	  .expect = X_NO_TUNNEL },
	{ .name = "6in6 from an unknown source: passed",
	  .inner = IN6, .frame = { OUT6, .src = "2001:db8:ff::9" }, .expect = X_NO_TUNNEL },
	{ .name = "6in6 to an unknown destination: passed",
	  .inner = IN6, .frame = { OUT6, .dst = "2001:db8:ff::9" }, .expect = X_NO_TUNNEL },
	{ .name = "6in6 with the pair swapped: passed",
	  .inner = IN6, .frame = { OUT6, .src = TUN6_LOCAL, .dst = TUN6_REMOTE },
	  .expect = X_NO_TUNNEL },
	{ .name = "IPv4 protocol 17 (UDP) between the endpoints: passed",
	  .inner = IN4, .frame = { OUT4, .proto = PROTO_UDP }, .expect = X_OTHER },
	{ .name = "IPv6 next header 17 (UDP) between the endpoints: passed",
	  .inner = IN6, .frame = { OUT6, .proto = PROTO_UDP }, .expect = X_OTHER },
	{ .name = "IPv6 next header 47 (GRE) between the endpoints: passed",
	  .inner = IN6, .frame = { OUT6, .proto = 47 }, .expect = X_OTHER },

	/* The inner packet must be what the outer protocol says, and fit. */
	{ .name = "IPv6 inner under IPv4 protocol 4: passed",
	  .inner = IN6, .frame = { OUT4, .proto = PROTO_IPIP }, .expect = X_MISMATCH },
	{ .name = "IPv4 inner under IPv4 protocol 41: passed",
	  .inner = IN4, .frame = { OUT4, .proto = PROTO_IPV6 }, .expect = X_MISMATCH },
	{ .name = "IPv6 inner under IPv6 next header 4: passed",
	  .inner = IN6, .frame = { OUT6, .proto = PROTO_IPIP }, .expect = X_MISMATCH },
	{ .name = "IPv4 inner under IPv6 next header 41: passed",
	  .inner = IN4, .frame = { OUT6, .proto = PROTO_IPV6 }, .expect = X_MISMATCH },
	{ .name = "4in4, inner IHL 4: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MISMATCH, .mangle = inner_ihl4 },
	{ .name = "4in4, inner total length > outer payload: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MISMATCH,
	  .mangle = inner_tot_len_beyond_outer },
	{ .name = "6in6, inner payload length > outer payload: passed",
	  .inner = IN6, .frame = { OUT6 }, .expect = X_MISMATCH, .mangle = inner6_plen_beyond_outer },

	/* Inconsistent outer headers. */
	{ .name = "4in4, outer IHL 4: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MALFORMED, .mangle = outer_ihl4 },
	{ .name = "4in4, outer IHL 0: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MALFORMED, .mangle = outer_ihl0 },
	{ .name = "4in4, outer version 5: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MALFORMED, .mangle = outer_version5 },
	{ .name = "4in4, outer header checksum wrong: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MALFORMED, .mangle = outer_bad_csum },
	{ .name = "4in4, outer IHL 8 with a wrong checksum: passed",
	  .inner = IN4, .frame = { OUT4, .ihl = 8 }, .expect = X_MALFORMED,
	  .mangle = outer_bad_csum },
	{ .name = "4in4, outer total length < header: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MALFORMED, .mangle = outer_tot_len_below_ihl },
	{ .name = "4in4, outer total length > frame: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_MALFORMED,
	  .mangle = outer_tot_len_beyond_frame },
	{ .name = "6in6, outer version 7: passed",
	  .inner = IN6, .frame = { OUT6 }, .expect = X_MALFORMED, .mangle = outer6_version7 },
	{ .name = "6in6, outer payload length 0: passed",
	  .inner = IN6, .frame = { OUT6 }, .expect = X_MALFORMED, .mangle = outer6_plen0 },
	{ .name = "6in6, outer payload length > frame: passed",
	  .inner = IN6, .frame = { OUT6 }, .expect = X_MALFORMED,
	  .mangle = outer6_plen_beyond_frame },

	/* Outer IPv6 extension headers. */
	{ .name = "decap 4in6 after a destination options header",
	  .inner = IN4, .frame = { OUT6, .ext = { EXT_DST } }, .expect = X_DECAP },
	{ .name = "decap 6in6 after a destination options header",
	  .inner = IN6, .frame = { OUT6, .ext = { EXT_DST } }, .expect = X_DECAP },
	{ .name = "decap 6in6 after two destination options headers",
	  .inner = IN6, .frame = { OUT6, .ext = { EXT_DST, EXT_DST } }, .expect = X_DECAP },
	{ .name = "decap 4in6 after hop-by-hop and destination options",
	  .inner = IN4, .frame = { OUT6, .ext = { EXT_HBH, EXT_DST } }, .expect = X_DECAP },
	{ .name = "decap 6in6 after a hop-by-hop header",
	  .inner = IN6, .frame = { OUT6, .ext = { EXT_HBH } }, .expect = X_DECAP },
	{ .name = "6in6, hop-by-hop after dest. options: passed",
	  .inner = IN6, .frame = { OUT6, .ext = { EXT_DST, EXT_HBH } }, .expect = X_OTHER },
	{ .name = "6in6, dest. options longer than the payload: passed",
	  .inner = IN6, .frame = { OUT6, .ext = { EXT_DST } }, .expect = X_MALFORMED,
	  .mangle = outer6_ext_beyond_payload },
	/*
	 * ECN on decapsulation (RFC 6040 section 4.2, gif_types.h GIF_ECN_NORMAL; only GIF_ECN_OFF
	 * ignores the outer ECN field): outer CE marks an ECN-capable inner packet CE; otherwise
	 * the inner field is kept.
	 */
	{ .name = "decap 4in4, outer ECT(0), inner ECT(1): inner kept",
	  .inner = IN4, .frame = { OUT4, .tos = 0x02 }, .expect = X_DECAP },
	{ .name = "decap 6in6, outer ECT(1), inner ECT(1): inner kept",
	  .inner = IN6, .frame = { OUT6, .tos = 0x01 }, .expect = X_DECAP },
	{ .name = "decap 4in4, outer CE, inner ECT(1): inner CE (RFC 6040)",
	  .inner = IN4, .frame = { OUT4, .tos = 0x03 }, .expect = X_DECAP, .ce = true },
	{ .name = "decap 6in4, outer CE, inner ECT(1): inner CE (RFC 6040)",
	  .inner = IN6, .frame = { OUT4, .tos = 0x03 }, .expect = X_DECAP, .ce = true },
	{ .name = "decap 4in6, outer CE, inner ECT(0): inner CE (RFC 6040)",
	  .inner = { .version = 4, .tos = 0xb8 | 0x02, .payload = 32 },
	  .frame = { OUT6, .tos = 0x03 }, .expect = X_DECAP, .ce = true },
	{ .name = "decap 6in6, outer CE, inner ECT(0): inner CE (RFC 6040)",
	  .inner = { .version = 6, .tos = 0xb8 | 0x02, .payload = 32 },
	  .frame = { OUT6, .tos = 0x03 }, .expect = X_DECAP, .ce = true },
	{ .name = "decap 6in6, outer CE, inner CE: inner kept",
	  .inner = { .version = 6, .tos = 0xbb, .payload = 32 }, .frame = { OUT6, .tos = 0x03 },
	  .expect = X_DECAP },

	/* Outer fragments. */
	{ .name = "6in6 with a fragment header: passed",
	  .inner = IN6, .frame = { OUT6, .ext = { EXT_FRAG } }, .expect = X_FRAGMENT },
	{ .name = "4in6, dest. options then fragment header: passed",
	  .inner = IN4, .frame = { OUT6, .ext = { EXT_DST, EXT_FRAG } }, .expect = X_FRAGMENT },
	{ .name = "4in4 with MF set: passed",
	  .inner = IN4, .frame = { OUT4, .frag_off = IP4_MF }, .expect = X_FRAGMENT },
	{ .name = "4in4 with fragment offset 185: passed",
	  .inner = IN4, .frame = { OUT4, .frag_off = 185 }, .expect = X_FRAGMENT },
	{ .name = "6in4 last fragment (offset 1, DF clear): passed",
	  .inner = IN6, .frame = { OUT4, .frag_off = 1 }, .expect = X_FRAGMENT },

	/* Not IP. */
	{ .name = "4in4 in an 802.1Q-tagged frame: passed",
	  .inner = IN4, .frame = { OUT4 }, .expect = X_OTHER, .mangle = vlan_tag },
};

static void run_case(const struct xdp_case *c)
{
	const struct env *e;
	struct pkt inner, in, want;
	struct ctr_delta d = { ENV_KEY0, GIF_C_RX_NO_TUNNEL, 1 };
	struct ctr_delta traffic[2];
	int dev = c->by_dev ? c->dev : c->frame.outer == 4 ? DEV_GIF4 : DEV_GIF6;

	if (!test_start("xdp: %s", c->name))
		return;
	e = env_get();
	if (!e)
		goto out;
	build_inner(&inner, &c->inner);
	build_frame(&in, &c->frame, &inner, e);
	if (c->mangle)
		c->mangle(&in);

	switch (c->expect) {
	case X_DECAP:
		if (c->ce) {
			struct inner_spec marked = c->inner;
			struct pkt ce;

			marked.tos |= 0x03;
			build_inner(&ce, &marked);
			build_decapped(&want, &ce, e, dev, UL_REMOTE_MAC);
		} else {
			build_decapped(&want, &inner, e, dev, UL_REMOTE_MAC);
		}
		traffic[0] = (struct ctr_delta){ dev, GIF_C_RX_PACKETS, 1 };
		traffic[1] = (struct ctr_delta){ dev, GIF_C_RX_BYTES, inner.len };
		run_xdp(e, 0, &in, XDP_REDIRECT, &want, traffic, 2);
		goto out;
	case X_OTHER:
		run_xdp(e, 0, &in, XDP_PASS, &in, NULL, 0);
		goto out;
	case X_NO_TUNNEL:
		break;
	case X_MISMATCH:
		d = (struct ctr_delta){ dev, GIF_C_RX_INNER_MISMATCH, 1 };
		break;
	case X_MALFORMED:
		d.c = GIF_C_RX_MALFORMED;
		break;
	case X_FRAGMENT:
		d.c = GIF_C_RX_FRAGMENT;
		break;
	}
	run_xdp(e, 0, &in, XDP_PASS, &in, &d, 1);
out:
	test_end();
}

/* Every IHL with options: the options are skipped, the inner packet delivered. */
static void test_ihl(void)
{
	for (int version = 4; version <= 6; version += 2) {
		for (__u8 ihl = 6; ihl <= 15; ihl++) {
			struct xdp_case c = {
				.inner = { .version = version, .tos = INNER_TOS, .payload = 16 },
				.frame = { .outer = 4, .ihl = ihl },
				.expect = X_DECAP,
			};
			char name[80];

			if (version == 6 && ihl != 6 && ihl != 15)
				continue;
			snprintf(name, sizeof(name), "decap %din4, outer IHL %u (%u bytes of options)",
				 version, ihl, (ihl - 5) * 4);
			c.name = name;
			run_case(&c);
		}
	}
}

struct trunc_case {
	const char *name;
	struct inner_spec inner;
	struct frame_spec frame;
	size_t counted_from;	/* shortest length that counts rx_malformed (a full outer header) */
};

static const struct trunc_case trunc_cases[] = {
	{ "4in4", IN4, { OUT4 }, 14 + 20 },
	{ "6in6", IN6, { OUT6 }, 14 + 40 },
	{ "6in4, outer IHL 15", IN6, { OUT4, .ihl = 15 }, 14 + 20 },
	/* The walk needs each extension header's first two bytes. */
	{ "4in6 with HBH and DO headers", IN4,
	  { OUT6, .ext = { EXT_HBH, EXT_DST } }, 14 + 40 + 8 + 2 },
};

/*
 * Every truncation of a valid frame, from a bare Ethernet header to one byte short: never
 * decapsulated, always passed unchanged, rx_malformed once the outer header is complete. One run
 * per length; the notes are those of the first failing length, then the list of all of them.
 */
static void test_truncated(const struct trunc_case *t)
{
	struct pkt inner, full, in;
	const struct env *e;
	char bad[512] = "";
	size_t nbad = 0, n = 0;

	if (!test_start("xdp: %s, every truncation: passed", t->name))
		return;
	e = env_get();
	if (!e)
		goto out;
	build_inner(&inner, &t->inner);
	build_frame(&full, &t->frame, &inner, e);
	for (size_t len = 14; len < full.len; len++) {
		struct ctr_delta d = { ENV_KEY0, GIF_C_RX_MALFORMED, len >= t->counted_from };
		int failures = test_case_failures();

		in = full;
		in.len = len;
		test_mute(nbad > 0);
		run_xdp(e, 0, &in, XDP_PASS, &in, &d, 1);
		test_mute(false);
		if (test_case_failures() > failures) {
			if (!nbad)
				test_note("  (the notes above are for length %zu of %zu)", len, full.len);
			nbad++;
			if (n + 8 < sizeof(bad))
				n += snprintf(bad + n, sizeof(bad) - n, " %zu", len);
		}
	}
	CHECK(!nbad, "%zu of %zu lengths failed:%s", nbad, full.len - 14, bad);
out:
	test_end();
}

/* An ARP request for the local endpoint's address: not IP, passed untouched. */
static void test_arp(void)
{
	const struct env *e;
	struct pkt in;
	static const __u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (!test_start("xdp: ARP request for the local endpoint: passed"))
		return;
	e = env_get();
	if (e) {
		pkt_init(&in);
		pkt_eth(&in, bcast, UL_REMOTE_MAC, ETHERTYPE_ARP);
		pkt_arp(&in, UL_REMOTE_MAC, TUN4_REMOTE, TUN4_LOCAL);
		pkt_finish(&in);
		pkt_trailer(&in, 18, 0);
		run_xdp(e, 0, &in, XDP_PASS, &in, NULL, 0);
	}
	test_end();
}

/* The shortest frame BPF_PROG_TEST_RUN accepts for XDP: a bare Ethernet header. */
static void test_eth_only(void)
{
	const struct env *e;
	struct pkt in;

	if (!test_start("xdp: bare Ethernet header (IPv4 type, no payload): passed"))
		return;
	e = env_get();
	if (e) {
		pkt_init(&in);
		pkt_eth(&in, e->ul.mac, UL_REMOTE_MAC, ETHERTYPE_IPV4);
		run_xdp(e, 0, &in, XDP_PASS, &in, NULL, 0);
	}
	test_end();
}

void test_xdp(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_ihl();
	test_arp();
	test_eth_only();
	for (size_t i = 0; i < ARRAY_SIZE(trunc_cases); i++)
		test_truncated(&trunc_cases[i]);
}
