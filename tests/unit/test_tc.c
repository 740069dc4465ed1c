// SPDX-License-Identifier: GPL-2.0
/*
 * gif_tc_tx under BPF_PROG_TEST_RUN (repeat 1, one packet per run), as the egress of a gif
 * device (ctx ifindex). Test runs return the redirect verdict without redirecting; the output is
 * the encapsulated packet, compared with one built independently (the IPv6 flow label, a hash,
 * masked), and the outer IPv4 checksum is verified on its own.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "frames.h"
#include "suites.h"
#include "test.h"

struct tc_case {
	const char *name;
	enum env_dev dev;
	struct inner_spec inner;	/* version 0: an ARP request */
	__u16 ethertype;		/* 0: by the inner version */
	const __u8 *eth_dst;		/* NULL: the gif device's MAC (its NOARP neighbours') */
	int verdict;			/* TC_ACT_REDIRECT, or TC_ACT_SHOT counting CTR on DEV */
	enum gif_counter ctr;
};

static const __u8 MCAST_ALL_NODES[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

#define IN4 { .version = 4, .tos = INNER_TOS, .payload = 32 }
#define IN6 { .version = 6, .tos = INNER_TOS, .payload = 32 }
#define REDIRECT .verdict = TC_ACT_REDIRECT
#define SHOT(c) .verdict = TC_ACT_SHOT, .ctr = (c)

static const struct tc_case cases[] = {
	/* The four combinations. */
	{ .name = "encap 4in4", .dev = DEV_GIF4, .inner = IN4, REDIRECT },
	{ .name = "encap 6in4", .dev = DEV_GIF4, .inner = IN6, REDIRECT },
	{ .name = "encap 4in6", .dev = DEV_GIF6, .inner = IN4, REDIRECT },
	{ .name = "encap 6in6", .dev = DEV_GIF6, .inner = IN6, REDIRECT },

	/* DSCP and ECN copied, whatever they are. */
	{ .name = "encap 4in4, TOS 0x00",
	  .dev = DEV_GIF4, .inner = { .version = 4, .tos = 0x00, .payload = 8 }, REDIRECT },
	{ .name = "encap 4in4, TOS 0xff (DSCP 63, CE)",
	  .dev = DEV_GIF4, .inner = { .version = 4, .tos = 0xff, .payload = 8 }, REDIRECT },
	{ .name = "encap 6in4, traffic class 0x03 (CE)",
	  .dev = DEV_GIF4, .inner = { .version = 6, .tos = 0x03, .payload = 8 }, REDIRECT },
	{ .name = "encap 4in6, TOS 0x22 (DSCP 8, ECT(0))",
	  .dev = DEV_GIF6, .inner = { .version = 4, .tos = 0x22, .payload = 8 }, REDIRECT },
	{ .name = "encap 6in6, traffic class 0xff",
	  .dev = DEV_GIF6, .inner = { .version = 6, .tos = 0xff, .payload = 8 }, REDIRECT },

	/* Inner multicast: the Ethernet destination becomes unicast (bpf_redirect_neigh). */
	{ .name = "encap 6in4, inner ff02::1 to 33:33:00:00:00:01",
	  .dev = DEV_GIF4, .inner = { .version = 6, .icmp6 = true, .dst = "ff02::1", .payload = 8 },
	  .eth_dst = MCAST_ALL_NODES, REDIRECT },
	{ .name = "encap 6in6, inner ff02::1 to 33:33:00:00:00:01",
	  .dev = DEV_GIF6, .inner = { .version = 6, .icmp6 = true, .dst = "ff02::1", .payload = 8 },
	  .eth_dst = MCAST_ALL_NODES, REDIRECT },

	/*
	 * Sizes: an empty inner payload, and the largest that fits ul0's MTU (1500); one more
	 * byte than that is tx_too_big, whether the next hop's neighbour entry is resolved
	 * (gif0, gifnb6: bpf_fib_lookup says SUCCESS) or not yet (gifnn4, gif6: NO_NEIGH).
	 */
	{ .name = "encap 4in4, 28-byte inner packet",
	  .dev = DEV_GIF4, .inner = { .version = 4 }, REDIRECT },
	{ .name = "encap 4in4, 1480-byte inner packet (outer 1500)",
	  .dev = DEV_GIF4, .inner = { .version = 4, .payload = 1480 - 28 }, REDIRECT },
	{ .name = "encap 4in4, 1480-byte inner, neighbour unresolved",
	  .dev = DEV_NONEIGH4, .inner = { .version = 4, .payload = 1480 - 28 }, REDIRECT },
	{ .name = "encap 6in6, 1460-byte inner packet (outer 1500)",
	  .dev = DEV_GIF6, .inner = { .version = 6, .payload = 1460 - 48 }, REDIRECT },
	{ .name = "encap 6in6, 1460-byte inner, neighbour resolved",
	  .dev = DEV_NEIGH6, .inner = { .version = 6, .payload = 1460 - 48 }, REDIRECT },
	{ .name = "4in4, 1500-byte inner (outer 1520 > MTU): dropped",
	  .dev = DEV_GIF4, .inner = { .version = 4, .payload = 1500 - 28 },
	  SHOT(GIF_C_TX_TOO_BIG) },
	{ .name = "4in4, 1500-byte inner, neighbour unresolved: dropped",
	  .dev = DEV_NONEIGH4, .inner = { .version = 4, .payload = 1500 - 28 },
	  SHOT(GIF_C_TX_TOO_BIG) },
	{ .name = "6in6, 1500-byte inner (outer 1540 > MTU): dropped",
	  .dev = DEV_NEIGH6, .inner = { .version = 6, .payload = 1500 - 48 },
	  SHOT(GIF_C_TX_TOO_BIG) },
	{ .name = "6in6, 1500-byte inner, neighbour unresolved: dropped",
	  .dev = DEV_GIF6, .inner = { .version = 6, .payload = 1500 - 48 },
	  SHOT(GIF_C_TX_TOO_BIG) },

	/* What cannot be encapsulated. */
	{ .name = "no endpoints (GIF_AF_NONE): dropped",
	  .dev = DEV_NONE, .inner = IN4, SHOT(GIF_C_TX_NO_TUNNEL) },
	{ .name = "ARP request: dropped",
	  .dev = DEV_GIF4, .inner = { .version = 0 }, SHOT(GIF_C_TX_NOT_IP) },
	{ .name = "EtherType IPv4 carrying IPv6: dropped",
	  .dev = DEV_GIF4, .inner = IN6, .ethertype = ETHERTYPE_IPV4, SHOT(GIF_C_TX_NOT_IP) },
	{ .name = "EtherType IPv6 carrying IPv4: dropped",
	  .dev = DEV_GIF6, .inner = IN4, .ethertype = ETHERTYPE_IPV6, SHOT(GIF_C_TX_NOT_IP) },
	{ .name = "4in4, no route to the remote: dropped",
	  .dev = DEV_NOROUTE4, .inner = IN4, SHOT(GIF_C_TX_NO_ROUTE) },
	{ .name = "6in6, no route to the remote: dropped",
	  .dev = DEV_NOROUTE6, .inner = IN6, SHOT(GIF_C_TX_NO_ROUTE) },
	{ .name = "4in4, route to the remote via a gif device: dropped",
	  .dev = DEV_LOOP, .inner = IN4, SHOT(GIF_C_TX_LOOP) },
};

static const char *tc_verdict(int v)
{
	switch (v) {
	case TC_ACT_OK:
		return "TC_ACT_OK";
	case TC_ACT_SHOT:
		return "TC_ACT_SHOT";
	case TC_ACT_REDIRECT:
		return "TC_ACT_REDIRECT";
	default:
		return "?";
	}
}

/* An inner packet as this side sends it: from INNER*_LOCAL to INNER*_REMOTE unless given. */
static void build_inner_egress(struct pkt *p, const struct inner_spec *s)
{
	struct inner_spec out = *s;

	if (!out.src)
		out.src = out.version == 4 ? INNER4_LOCAL : INNER6_LOCAL;
	if (!out.dst)
		out.dst = out.version == 4 ? INNER4_REMOTE : INNER6_REMOTE;
	build_inner(p, &out);
}

/* The frame leaving the gif device: Ethernet (to its MAC unless ETH_DST) + INNER. */
static void build_egress(struct pkt *p, const struct tc_case *c, const struct pkt *inner,
			 const struct env *e)
{
	const __u8 *mac = e->gif[c->dev].link.mac;
	__u16 type = c->ethertype ? c->ethertype
		   : c->inner.version == 6 ? ETHERTYPE_IPV6
		   : c->inner.version == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_ARP;

	pkt_init(p);
	pkt_eth(p, c->eth_dst ? c->eth_dst : mac, mac, type);
	if (c->inner.version)
		pkt_raw(p, inner->data, inner->len);
	else
		pkt_arp(p, mac, INNER4_LOCAL, INNER4_REMOTE);
	pkt_finish(p);
}

/*
 * The encapsulated frame as the README specifies it: Ethernet (both addresses
 * the gif device's; bpf_redirect_neigh fills them in), the outer header with every field set,
 * the inner packet unmodified. MASK gets 0xff for every byte compared, less for the flow label.
 */
static void build_encapped(struct pkt *x, __u8 *mask, const struct tc_case *c,
			   const struct pkt *inner, const struct env *e)
{
	const struct env_gif *g = &e->gif[c->dev];
	__u8 proto = c->inner.version == 4 ? PROTO_IPIP : PROTO_IPV6;
	bool v4 = g->cfg.family == GIF_AF_INET;

	pkt_init(x);
	pkt_eth(x, g->link.mac, g->link.mac, v4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
	if (v4) {
		struct ip4_spec ip = {
			.tos = c->inner.tos,
			.id = 0,
			.frag_off = IP4_DF,
			.ttl = 64,
			.protocol = proto,
			.src = env_local(c->dev),
			.dst = env_remote(c->dev),
		};

		pkt_ip4(x, &ip);
	} else {
		struct ip6_spec ip6 = {
			.tclass = c->inner.tos,
			.flow = 0,
			.nexthdr = proto,
			.hop_limit = 64,
			.src = env_local(c->dev),
			.dst = env_remote(c->dev),
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

/* Runs IN through gif_tc_tx as the egress of device IFINDEX; output into OUT (PKT_MAX). */
static int run_tc(const struct env *e, __u32 ifindex, const struct pkt *in, __u8 *out,
		  __u32 *out_len)
{
	struct __sk_buff ctx = { .ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in->data, .data_size_in = in->len,
		    .data_out = out, .data_size_out = PKT_MAX, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);
	int err = bpf_prog_test_run_opts(e->dp.tc_fd, &opts);

	if (!ASSERT_OK(err, "BPF_PROG_TEST_RUN"))
		return -1;
	*out_len = opts.data_size_out;
	if (test_verbose) {
		pkt_note_hex("input", in->data, in->len);
		pkt_note_hex("output", out, opts.data_size_out);
	}
	return opts.retval;
}

/* The outer IPv4 header's checksum, verified without the expected packet. */
static void check_ip4_csum(const __u8 *out, __u32 len)
{
	if (!CHECK(len >= 14 + 20, "output too short for an IPv4 header (%u bytes)", len))
		return;
	CHECK(pkt_csum_fold(pkt_csum_add(0, out + 14, 20)) == 0,
	      "outer IPv4 header checksum 0x%02x%02x does not verify", out[24], out[25]);
}

static void run_case(const struct tc_case *c)
{
	struct env_counters before, after;
	struct pkt inner, in, want;
	__u8 out[PKT_MAX], mask[PKT_MAX];
	const struct env *e;
	__u32 out_len = 0;
	int verdict;

	if (!test_start("tc: %s", c->name))
		return;
	e = env_get();
	if (!e || !env_counters_read(e, &before))
		goto out;
	if (c->inner.version)
		build_inner_egress(&inner, &c->inner);
	build_egress(&in, c, &inner, e);

	verdict = run_tc(e, e->gif[c->dev].link.ifindex, &in, out, &out_len);
	if (verdict < 0)
		goto out;
	CHECK(verdict == c->verdict, "verdict %s (%d), expected %s (%d)", tc_verdict(verdict),
	      verdict, tc_verdict(c->verdict), c->verdict);
	if (c->verdict == TC_ACT_REDIRECT) {
		struct ctr_delta d[] = {
			{ c->dev, GIF_C_TX_PACKETS, 1 },
			{ c->dev, GIF_C_TX_BYTES, inner.len },
		};

		build_encapped(&want, mask, c, &inner, e);
		pkt_expect_eq("encapsulated frame", out, out_len, want.data, want.len, mask);
		if (e->gif[c->dev].cfg.family == GIF_AF_INET)
			check_ip4_csum(out, out_len);
		if (env_counters_read(e, &after))
			env_counters_expect(&before, &after, d, ARRAY_SIZE(d));
	} else {
		struct ctr_delta d = { c->dev, c->ctr, 1 };

		if (env_counters_read(e, &after))
			env_counters_expect(&before, &after, &d, 1);
	}
out:
	test_end();
}

/* A device gifctl does not manage (ul0): dropped, and no counter of any tunnel moves. */
static void test_not_gif(void)
{
	struct tc_case c = { .dev = DEV_GIF4, .inner = IN4 };
	struct env_counters before, after;
	struct pkt inner, in;
	__u8 out[PKT_MAX];
	const struct env *e;
	__u32 out_len;
	int verdict;

	if (!test_start("tc: egress of ul0 (not a gif device): dropped"))
		return;
	e = env_get();
	if (e && env_counters_read(e, &before)) {
		build_inner_egress(&inner, &c.inner);
		build_egress(&in, &c, &inner, e);
		verdict = run_tc(e, e->ul.ifindex, &in, out, &out_len);
		if (verdict >= 0) {
			CHECK(verdict == TC_ACT_SHOT, "verdict %s (%d), expected TC_ACT_SHOT",
			      tc_verdict(verdict), verdict);
			if (env_counters_read(e, &after))
				env_counters_expect(&before, &after, NULL, 0);
		}
	}
	test_end();
}

/* RFC 6438: the flow label comes from the inner flow, so one flow keeps one label. */
static void test_flow_label(void)
{
	struct tc_case c = { .dev = DEV_GIF6, .inner = IN6 };
	__u8 out[2][PKT_MAX];
	struct pkt inner, in;
	const struct env *e;
	__u32 len[2] = { 0, 0 };
	__u32 label[2];

	if (!test_start("tc: encap 6in6, same flow label for the same flow"))
		return;
	e = env_get();
	if (!e)
		goto out;
	build_inner_egress(&inner, &c.inner);
	build_egress(&in, &c, &inner, e);
	for (int i = 0; i < 2; i++)
		if (run_tc(e, e->gif[DEV_GIF6].link.ifindex, &in, out[i], &len[i]) != TC_ACT_REDIRECT)
			CHECK(false, "run %d: not redirected", i + 1);
	if (!CHECK(len[0] >= 54 && len[1] >= 54, "outputs too short (%u, %u)", len[0], len[1]))
		goto out;
	for (int i = 0; i < 2; i++)
		label[i] = (out[i][15] & 0x0f) << 16 | out[i][16] << 8 | out[i][17];
	CHECK(label[0] == label[1], "flow label 0x%05x then 0x%05x", label[0], label[1]);
	test_note("flow label 0x%05x", label[0]);
out:
	test_end();
}

void test_tc(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_not_gif();
	test_flow_label();
}
