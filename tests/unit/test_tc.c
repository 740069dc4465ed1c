// SPDX-License-Identifier: GPL-2.0
/*
 * gif_tc_tx under BPF_PROG_TEST_RUN (repeat 1, one packet per run), as the egress of a gif
 * device (ctx ifindex). Test runs return the redirect verdict without redirecting; the output is
 * the encapsulated packet, compared with one built independently (the IPv6 flow label, a hash,
 * masked), and the outer IPv4 checksum is verified on its own.
 */
#include <stdio.h>
#include <string.h>
#include <linux/pkt_cls.h>
#include "frames.h"
#include "prog.h"
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
	__u32 ptb_mtu;			/* a redirect of the "too big" message for this MTU */
};

static const __u8 MCAST_ALL_NODES[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

#define IN4 { .version = 4, .tos = INNER_TOS, .payload = 32 }
#define IN6 { .version = 6, .tos = INNER_TOS, .payload = 32 }
#define REDIRECT .verdict = TC_ACT_REDIRECT
#define SHOT(c) .verdict = TC_ACT_SHOT, .ctr = (c)
#define TOO_BIG(mtu) .verdict = TC_ACT_REDIRECT, .ptb_mtu = (mtu)

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
	{ .name = "4in4, 1500-byte inner (outer 1520 > MTU): frag needed, mtu 1480",
	  .dev = DEV_GIF4, .inner = { .version = 4, .payload = 1500 - 28 }, TOO_BIG(1480) },
	{ .name = "4in4, 1500-byte inner, neighbour unresolved: frag needed, mtu 1480",
	  .dev = DEV_NONEIGH4, .inner = { .version = 4, .payload = 1500 - 28 }, TOO_BIG(1480) },
	{ .name = "6in6, 1500-byte inner (outer 1540 > MTU): packet too big, mtu 1460",
	  .dev = DEV_NEIGH6, .inner = { .version = 6, .payload = 1500 - 48 }, TOO_BIG(1460) },
	{ .name = "6in6, 1500-byte inner, neighbour unresolved: packet too big, mtu 1460",
	  .dev = DEV_GIF6, .inner = { .version = 6, .payload = 1500 - 48 }, TOO_BIG(1460) },
	{ .name = "6in4, 1500-byte inner: packet too big, mtu 1480",
	  .dev = DEV_GIF4, .inner = { .version = 6, .payload = 1500 - 48 }, TOO_BIG(1480) },
	{ .name = "4in6, 1500-byte inner: frag needed, mtu 1460",
	  .dev = DEV_GIF6, .inner = { .version = 4, .payload = 1500 - 28 }, TOO_BIG(1460) },
	{ .name = "4in4, 1500-byte inner to 224.0.0.5: dropped, not answered",
	  .dev = DEV_GIF4, .inner = { .version = 4, .dst = "224.0.0.5", .payload = 1500 - 28 },
	  SHOT(GIF_C_TX_TOO_BIG) },
	{ .name = "6in6, 1500-byte inner to ff0e::1: dropped, not answered",
	  .dev = DEV_GIF6, .inner = { .version = 6, .dst = "ff0e::1", .payload = 1500 - 48 },
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

/*
 * What gif_tc_tx sends back into the gif device for an INNER too big for the outer path: an ICMP
 * "fragmentation needed" or ICMPv6 Packet Too Big for MTU, from INNER's destination to its source,
 * quoting INNER's first 256 bytes.
 */
static void build_too_big(struct pkt *x, const struct env *e, const struct tc_case *c,
			  const struct pkt *inner)
{
	const __u8 *mac = e->gif[c->dev].link.mac;
	bool v4 = c->inner.version == 4;
	const char *src = c->inner.src ? c->inner.src : v4 ? INNER4_LOCAL : INNER6_LOCAL;
	const char *dst = c->inner.dst ? c->inner.dst : v4 ? INNER4_REMOTE : INNER6_REMOTE;
	__u32 mtu = c->ptb_mtu;

	pkt_init(x);
	if (v4) {
		pkt_eth(x, mac, mac, ETHERTYPE_IPV4);
		pkt_ip4(x, &(struct ip4_spec){ .ttl = 64, .protocol = PROTO_ICMP, .src = dst,
					       .dst = src });
		pkt_icmp4(x, 3, 4, mtu);
	} else {
		pkt_eth(x, mac, mac, ETHERTYPE_IPV6);
		pkt_ip6(x, &(struct ip6_spec){ .nexthdr = PROTO_ICMPV6, .hop_limit = 64, .src = dst,
					       .dst = src });
		pkt_icmp6(x, 2, 0, mtu);
	}
	pkt_raw(x, inner->data, 256);
	pkt_finish(x);
}

/*
 * The frame leaving the case's gif device, and in INNER the IP packet it carries (an ARP
 * request's body for version 0).
 */
static void build_tc_input(struct pkt *in, const struct tc_case *c, struct pkt *inner,
			   const struct env *e)
{
	if (c->inner.version) {
		build_inner_egress(inner, &c->inner);
	} else {
		pkt_init(inner);
		pkt_arp(inner, e->gif[c->dev].link.mac, INNER4_LOCAL, INNER4_REMOTE);
	}
	build_egress(in, e, c->dev, inner, c->eth_dst,
		     c->ethertype ? c->ethertype : c->inner.version ? 0 : ETHERTYPE_ARP);
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
	build_tc_input(&in, c, &inner, e);

	verdict = run_tc(e, e->gif[c->dev].link.ifindex, &in, out, &out_len);
	if (verdict < 0)
		goto out;
	CHECK(verdict == c->verdict, "verdict %s (%d), expected %s (%d)", tc_verdict(verdict),
	      verdict, tc_verdict(c->verdict), c->verdict);
	if (c->ptb_mtu) {
		struct ctr_delta d[] = {
			{ c->dev, GIF_C_TX_TOO_BIG, 1 },
			{ c->dev, GIF_C_TX_PTB_SENT, 1 },
		};

		build_too_big(&want, e, c, &inner);
		pkt_expect_eq("too-big message", out, out_len, want.data, want.len, NULL);
		if (env_counters_read(e, &after))
			env_counters_expect(&before, &after, d, ARRAY_SIZE(d));
	} else if (c->verdict == TC_ACT_REDIRECT) {
		struct ctr_delta d[] = {
			{ c->dev, GIF_C_TX_PACKETS, 1 },
			{ c->dev, GIF_C_TX_BYTES, inner.len },
		};
		/* The rig's options: TOS copied, TTL 64, DF set (and ID 0). */
		struct outer_spec o = { .tos = c->inner.tos, .ttl = 64, .frag_off = IP4_DF };

		build_encapped(&want, mask, e, c->dev, &inner, &o);
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
		build_tc_input(&in, &c, &inner, e);
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

/* The outer IPv6 flow label of an encapsulated frame. */
static __u32 label_of(const __u8 *out)
{
	return (out[15] & 0x0f) << 16 | out[16] << 8 | out[17];
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
	build_tc_input(&in, &c, &inner, e);
	for (int i = 0; i < 2; i++)
		if (run_tc(e, e->gif[DEV_GIF6].link.ifindex, &in, out[i], &len[i]) != TC_ACT_REDIRECT)
			CHECK(false, "run %d: not redirected", i + 1);
	if (!CHECK(len[0] >= 54 && len[1] >= 54, "outputs too short (%u, %u)", len[0], len[1]))
		goto out;
	for (int i = 0; i < 2; i++)
		label[i] = label_of(out[i]);
	CHECK(label[0] == label[1], "flow label 0x%05x then 0x%05x", label[0], label[1]);
	test_note("flow label 0x%05x", label[0]);
out:
	test_end();
}

/*
 * RFC 6438 again: different inner flows get different labels, whether they differ in an address
 * (inner IPv4 and IPv6) or only in a port. Sixteen flows collide in 20 bits with a probability
 * near 1e-4; one collision is allowed.
 */
static void test_flow_label_spread(const char *what, const struct inner_spec *spec, bool by_port)
{
	struct tc_case c = { .dev = DEV_GIF6, .inner = *spec };
	__u32 label[16], distinct = 0;
	char src[16][48];
	__u8 out[PKT_MAX];
	struct pkt inner, in;
	const struct env *e;
	__u32 len;

	if (!test_start("tc: encap %s, 16 flows differing %s: 16 flow labels", what,
			by_port ? "in the source port" : "in the source address"))
		return;
	e = env_get();
	if (!e)
		goto out;
	for (int i = 0; i < 16; i++) {
		if (!by_port) {
			snprintf(src[i], sizeof(src[i]), spec->version == 4 ? "198.19.0.%d" : "2001:db8:1::%x",
				 100 + i);
			c.inner.src = src[i];
		}
		build_tc_input(&in, &c, &inner, e);
		if (by_port)	/* the inner UDP source port, behind Ethernet and IPv6 */
			in.data[14 + 40 + 1] = i;
		len = 0;
		if (!CHECK(run_tc(e, e->gif[DEV_GIF6].link.ifindex, &in, out, &len) == TC_ACT_REDIRECT &&
			   len >= 54, "flow %d: not encapsulated", i))
			goto out;
		label[i] = label_of(out);
		distinct++;
		for (int j = 0; j < i; j++)
			if (label[j] == label[i]) {
				distinct--;
				break;
			}
	}
	CHECK(distinct >= 15, "%u distinct labels for 16 flows", distinct);
	test_note("%u distinct labels, first 0x%05x, last 0x%05x", distinct, label[0], label[15]);
out:
	test_end();
}

void test_tc(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_not_gif();
	test_flow_label();
	test_flow_label_spread("6in6", &(struct inner_spec)IN6, false);
	test_flow_label_spread("4in6", &(struct inner_spec)IN4, false);
	test_flow_label_spread("6in6", &(struct inner_spec)IN6, true);
}
