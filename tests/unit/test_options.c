// SPDX-License-Identifier: GPL-2.0
/*
 * gif_tc_tx with each value of each per-tunnel option (struct gif_tunnel ttl, dscp, ecn, flags
 * GIF_F_PMTUDISC) on the four combinations. A case publishes gif0 or gif6 with the option, as
 * `gifctl tunnel set ... OPTION VALUE` would, encapsulates one packet, compares every output byte
 * with a frame built from the option's specified effect (the IPv6 flow label masked; with
 * pmtudisc off, the random IPv4 ID taken as sent), and restores the rig's configuration.
 */
#include <stdio.h>
#include <linux/pkt_cls.h>
#include "frames.h"
#include "prog.h"
#include "suites.h"
#include "test.h"

enum opt { OPT_TTL, OPT_DSCP, OPT_ECN, OPT_PMTUDISC };

struct opt_case {
	const char *name;	/* the option and what the inner packet has */
	enum opt opt;
	int value;		/* the field's value in struct gif_tunnel (pmtudisc: 0/1) */
	__u8 tos, ttl;		/* the inner TOS / traffic class and TTL / hop limit */
	__u8 out_tos, out_ttl;	/* the outer header's, as the option specifies */
};

/* DSCP 10 (AF11): the ECN rows' inner DSCP, kept whatever the ECN field. */
#define AF11 0x28

static const struct opt_case cases[] = {
	/* ttl N|inherit: the outer TTL / hop limit; inherit copies the inner one. */
	{ "ttl 1", OPT_TTL, 1, INNER_TOS, 63, INNER_TOS, 1 },
	{ "ttl 200", OPT_TTL, 200, INNER_TOS, 63, INNER_TOS, 200 },
	{ "ttl 255", OPT_TTL, 255, INNER_TOS, 63, INNER_TOS, 255 },
	{ "ttl inherit, inner TTL 1", OPT_TTL, GIF_TTL_INHERIT, INNER_TOS, 1, INNER_TOS, 1 },
	{ "ttl inherit, inner TTL 100", OPT_TTL, GIF_TTL_INHERIT, INNER_TOS, 100, INNER_TOS, 100 },
	{ "ttl inherit, inner TTL 255", OPT_TTL, GIF_TTL_INHERIT, INNER_TOS, 255, INNER_TOS, 255 },

	/* dscp N|inherit: the outer DSCP; the ECN field is copied (ecn normal) either way. */
	{ "dscp 0, inner 0xb9 (46, ECT(1))", OPT_DSCP, 0, 0xb9, 63, 0x01, 64 },
	{ "dscp 46, inner 0x02 (0, ECT(0))", OPT_DSCP, 46, 0x02, 63, 0xba, 64 },
	{ "dscp 46, inner 0xff (63, CE)", OPT_DSCP, 46, 0xff, 63, 0xbb, 64 },
	{ "dscp 63, inner 0x29 (10, ECT(1))", OPT_DSCP, 63, 0x29, 63, 0xfd, 64 },
	{ "dscp inherit, inner 0x8b (34, CE)", OPT_DSCP, GIF_DSCP_INHERIT, 0x8b, 63, 0x8b, 64 },
	{ "dscp inherit, inner 0x00", OPT_DSCP, GIF_DSCP_INHERIT, 0x00, 63, 0x00, 64 },

	/* ecn: normal and off copy the inner ECN field, compat sends Not-ECT. */
	{ "ecn normal, inner Not-ECT", OPT_ECN, GIF_ECN_NORMAL, AF11 | 0, 63, AF11 | 0, 64 },
	{ "ecn normal, inner ECT(1)", OPT_ECN, GIF_ECN_NORMAL, AF11 | 1, 63, AF11 | 1, 64 },
	{ "ecn normal, inner ECT(0)", OPT_ECN, GIF_ECN_NORMAL, AF11 | 2, 63, AF11 | 2, 64 },
	{ "ecn normal, inner CE", OPT_ECN, GIF_ECN_NORMAL, AF11 | 3, 63, AF11 | 3, 64 },
	{ "ecn compat, inner Not-ECT", OPT_ECN, GIF_ECN_COMPAT, AF11 | 0, 63, AF11, 64 },
	{ "ecn compat, inner ECT(1)", OPT_ECN, GIF_ECN_COMPAT, AF11 | 1, 63, AF11, 64 },
	{ "ecn compat, inner ECT(0)", OPT_ECN, GIF_ECN_COMPAT, AF11 | 2, 63, AF11, 64 },
	{ "ecn compat, inner CE", OPT_ECN, GIF_ECN_COMPAT, AF11 | 3, 63, AF11, 64 },
	{ "ecn off, inner Not-ECT", OPT_ECN, GIF_ECN_OFF, AF11 | 0, 63, AF11 | 0, 64 },
	{ "ecn off, inner ECT(1)", OPT_ECN, GIF_ECN_OFF, AF11 | 1, 63, AF11 | 1, 64 },
	{ "ecn off, inner ECT(0)", OPT_ECN, GIF_ECN_OFF, AF11 | 2, 63, AF11 | 2, 64 },
	{ "ecn off, inner CE", OPT_ECN, GIF_ECN_OFF, AF11 | 3, 63, AF11 | 3, 64 },

	/* pmtudisc: DF on an IPv4 outer header (and a random ID without it); IPv6: no effect. */
	{ "pmtudisc on", OPT_PMTUDISC, 1, INNER_TOS, 63, INNER_TOS, 64 },
	{ "pmtudisc off", OPT_PMTUDISC, 0, INNER_TOS, 63, INNER_TOS, 64 },
};

/* The rig's configuration of DEV with the case's option. */
static struct gif_tunnel with_option(const struct env *e, int dev, enum opt opt, int value)
{
	struct gif_tunnel cfg = e->gif[dev].cfg;

	switch (opt) {
	case OPT_TTL:
		cfg.ttl = value;
		break;
	case OPT_DSCP:
		cfg.dscp = value;
		break;
	case OPT_ECN:
		cfg.ecn = value;
		break;
	case OPT_PMTUDISC:
		cfg.flags = (cfg.flags & ~GIF_F_PMTUDISC) | (value ? GIF_F_PMTUDISC : 0);
		break;
	}
	return cfg;
}

/* The identification field of the outer IPv4 header in OUT (0 when too short). */
static __u16 out_ip4_id(const __u8 *out, __u32 len)
{
	return len >= 14 + 20 ? out[14 + 4] << 8 | out[14 + 5] : 0;
}

/* Encapsulates INNER on DEV; true when redirected, with the frame in OUT. */
static bool encap_one(const struct env *e, int dev, const struct pkt *inner, __u8 *out,
		      __u32 *out_len)
{
	struct pkt in;
	int verdict;

	build_egress(&in, e, dev, inner, NULL, 0);
	verdict = run_tc(e, e->gif[dev].link.ifindex, &in, out, out_len);
	return verdict >= 0 && CHECK(verdict == TC_ACT_REDIRECT,
				     "verdict %s (%d), expected TC_ACT_REDIRECT",
				     tc_verdict(verdict), verdict);
}

static void run_case(const struct opt_case *c, const struct combo *k)
{
	const struct inner_spec spec = {
		.version = k->inner, .tos = c->tos, .ttl = c->ttl, .payload = 24,
	};
	struct env_counters before, after;
	__u8 out[PKT_MAX], mask[PKT_MAX];
	struct outer_spec o = { .tos = c->out_tos, .ttl = c->out_ttl, .frag_off = IP4_DF };
	struct gif_tunnel cfg;
	struct pkt inner, want;
	const struct env *e;
	__u32 out_len = 0;

	if (!test_start("opts: encap %s, %s", k->name, c->name))
		return;
	e = env_get();
	if (!e)
		goto out;
	cfg = with_option(e, k->dev, c->opt, c->value);
	if (!env_tunnel_set(e, k->dev, &cfg) || !env_counters_read(e, &before))
		goto reset;
	build_inner_egress(&inner, &spec);
	if (!encap_one(e, k->dev, &inner, out, &out_len))
		goto reset;
	if (c->opt == OPT_PMTUDISC && !c->value && k->outer == 4) {
		/* DF clear; the ID is random: expect the one sent, with the checksum it implies. */
		o.frag_off = 0;
		o.id = out_ip4_id(out, out_len);
	}
	build_encapped(&want, mask, e, k->dev, &inner, &o);
	pkt_expect_eq("encapsulated frame", out, out_len, want.data, want.len, mask);
	if (k->outer == 4)
		check_ip4_csum(out, out_len);
	if (env_counters_read(e, &after)) {
		struct ctr_delta d[] = {
			{ k->dev, GIF_C_TX_PACKETS, 1 },
			{ k->dev, GIF_C_TX_BYTES, inner.len },
		};

		env_counters_expect(&before, &after, d, ARRAY_SIZE(d));
	}
reset:
	env_tunnel_reset(e, k->dev);
out:
	test_end();
}

/*
 * pmtudisc off: the ID of an IPv4 outer header is random (RFC 6864: it matters once DF is
 * clear), so eight packets of one flow do not all carry the same ID.
 */
static void test_random_id(const struct combo *k)
{
	const struct inner_spec spec = { .version = k->inner, .tos = INNER_TOS, .payload = 8 };
	__u8 out[PKT_MAX];
	struct gif_tunnel cfg;
	struct pkt inner;
	const struct env *e;
	__u16 ids[8];
	bool varies = false;

	if (!test_start("opts: encap %s, pmtudisc off: the IPv4 ID varies", k->name))
		return;
	e = env_get();
	if (!e)
		goto out;
	cfg = with_option(e, k->dev, OPT_PMTUDISC, 0);
	if (!env_tunnel_set(e, k->dev, &cfg))
		goto reset;
	build_inner_egress(&inner, &spec);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		__u32 len = 0;

		if (!encap_one(e, k->dev, &inner, out, &len))
			goto reset;
		ids[i] = out_ip4_id(out, len);
		varies |= ids[i] != ids[0];
	}
	CHECK(varies, "%zu packets all had ID 0x%04x", ARRAY_SIZE(ids), ids[0]);
reset:
	env_tunnel_reset(e, k->dev);
out:
	test_end();
}

void test_options(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		for (int k = 0; k < NCOMBOS; k++)
			run_case(&cases[i], &combos[k]);
	for (int k = 0; k < NCOMBOS; k++)
		if (combos[k].outer == 4)
			test_random_id(&combos[k]);
}
