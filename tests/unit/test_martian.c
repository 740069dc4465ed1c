// SPDX-License-Identifier: GPL-2.0
/*
 * Martian outer sources (IPv4 0/8, 127/8, multicast, class E, broadcast; IPv6 ::, ::1, ff00::/8,
 * ::ffff:0:0/96) are never decapsulated: gif_xdp_rx passes the frame unchanged and counts
 * rx_martian on key 0, before looking for a tunnel (gifctl configures none with such a remote:
 * the frames are just sent to this host's tunnel address, and a few with such a pair published
 * in gif_rx directly). The addresses next to each class are not martian: no tunnel has them
 * either, so they count rx_no_tunnel instead.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "frames.h"
#include "prog.h"
#include "suites.h"
#include "test.h"
#include "tunnels.h"

struct martian_case {
	int outer;		/* IP version */
	const char *src;
	bool martian;
	const char *why;
};

static const struct martian_case cases[] = {
	{ 4, "0.0.0.0", true, "0/8" },
	{ 4, "0.255.255.255", true, "0/8" },
	{ 4, "1.0.0.0", false, "after 0/8" },
	{ 4, "126.255.255.255", false, "before 127/8" },
	{ 4, "127.0.0.1", true, "127/8" },
	{ 4, "127.255.255.254", true, "127/8" },
	{ 4, "128.0.0.1", false, "after 127/8" },
	{ 4, "223.255.255.255", false, "before multicast" },
	{ 4, "224.0.0.1", true, "multicast" },
	{ 4, "239.255.255.255", true, "multicast" },
	{ 4, "240.0.0.1", true, "class E" },
	{ 4, "255.255.255.254", true, "class E" },
	{ 4, "255.255.255.255", true, "broadcast" },
	{ 6, "::", true, "unspecified" },
	{ 6, "::1", true, "loopback" },
	{ 6, "::2", false, "next to loopback" },
	{ 6, "::1:1", false, "::1 with another bit set" },
	{ 6, "ff00::", true, "multicast" },
	{ 6, "ff02::1", true, "multicast" },
	{ 6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true, "multicast" },
	{ 6, "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false, "before multicast" },
	{ 6, "::ffff:0.0.0.0", true, "IPv4-mapped" },
	{ 6, "::ffff:198.18.0.2", true, "IPv4-mapped (the gif0 remote)" },
	{ 6, "::ffff:255.255.255.255", true, "IPv4-mapped" },
	{ 6, "::fffe:198.18.0.2", false, "next to IPv4-mapped" },
	{ 6, "::1:ffff:198.18.0.2", false, "next to IPv4-mapped" },
	{ 6, "0:0:0:1::ffff:198.18.0.2", false, "next to IPv4-mapped" },
	{ 6, "::198.18.0.2", false, "IPv4-compatible (deprecated, not martian)" },
};

/* Sends FS carrying an inner packet of INNER_VERSION to gif_xdp_rx; expects it passed
 * unchanged, counting CTR on key 0. */
static void expect_passed(const struct frame_spec *fs, int inner_version, enum gif_counter ctr)
{
	const struct inner_spec spec = {
		.version = inner_version, .tos = INNER_TOS, .payload = 16,
	};
	struct ctr_delta d = { ENV_KEY0, ctr, 1 };
	const struct env *e = env_get();
	struct pkt inner, in;

	if (!e)
		return;
	build_inner(&inner, &spec);
	build_frame(&in, fs, &inner, e);
	run_xdp(e, 0, &in, XDP_PASS, &in, &d, 1);
}

static void run_case(const struct martian_case *c)
{
	const struct frame_spec fs = { .outer = c->outer, .src = c->src };

	if (!test_start("martian: IPv%d outer source %s (%s): %s", c->outer, c->src, c->why,
			c->martian ? "passed, rx_martian" : "not martian, rx_no_tunnel"))
		return;
	expect_passed(&fs, c->outer, c->martian ? GIF_C_RX_MARTIAN : GIF_C_RX_NO_TUNNEL);
	test_end();
}

/*
 * The other inner version under each outer one, so that every combination sees the check; and
 * the check comes before the tunnel lookup: an inner packet the outer protocol does not announce
 * (which a tunnel would count as rx_inner_mismatch) from a martian source is just a martian.
 */
static void test_other_inner(void)
{
	static const struct {
		int outer, inner;
		__u8 proto;	/* 0: by the inner version */
		const char *src;
	} mixed[] = {
		{ 4, 6, 0, "127.0.0.1" },
		{ 4, 6, 0, "255.255.255.255" },
		{ 6, 4, 0, "::1" },
		{ 6, 4, 0, "::ffff:198.18.0.2" },
		{ 4, 6, PROTO_IPIP, "0.0.0.0" },
		{ 6, 4, PROTO_IPV6, "ff02::1" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(mixed); i++) {
		const struct frame_spec fs = {
			.outer = mixed[i].outer, .proto = mixed[i].proto, .src = mixed[i].src,
		};

		if (!test_start("martian: %din%d%s from %s: passed, rx_martian", mixed[i].inner,
				mixed[i].outer, mixed[i].proto ? " under the wrong protocol" : "",
				mixed[i].src))
			continue;
		expect_passed(&fs, mixed[i].inner, GIF_C_RX_MARTIAN);
		test_end();
	}
}

/*
 * A martian is not decapsulated even when gif_rx has a tunnel for its pair (gifctl refuses such
 * an endpoint; the pair is published here directly): the check does not rely on the lookup.
 * DEV's configuration with the remote SRC is published for that pair alone, then removed.
 */
static void test_published(enum env_dev dev, const char *src)
{
	const int outer = dev == DEV_GIF4 ? 4 : 6;
	const struct frame_spec fs = { .outer = outer, .src = src };
	const struct env *e;
	struct gif_tunnel cfg;
	struct gif_pair pair;
	int inner, err;

	if (!test_start("martian: IPv%d outer source %s with a tunnel for the pair: passed, "
			"rx_martian", outer, src))
		return;
	e = env_get();
	if (!e)
		goto out;
	cfg = e->gif[dev].cfg;
	memset(cfg.remote, 0, sizeof(cfg.remote));
	if (!CHECK(inet_pton(outer == 4 ? AF_INET : AF_INET6, src, cfg.remote) == 1,
		   "bad address %s", src))
		goto out;
	pair = tun_pair(&cfg);
	inner = tun_build(&e->dp, &cfg);
	if (!CHECK(inner >= 0, "tun_build: %s", strerror(-inner)))
		goto out;
	err = tun_publish_pair(&e->dp, &pair, inner, BPF_NOEXIST);
	close(inner);
	if (!ASSERT_OK(err, "publishing the pair"))
		goto out;
	expect_passed(&fs, outer, GIF_C_RX_MARTIAN);
	ASSERT_OK(tun_unpublish_pair(&e->dp, &pair), "removing the pair");
out:
	test_end();
}

void test_martian(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_other_inner();
	test_published(DEV_GIF4, "127.0.0.1");
	test_published(DEV_GIF4, "224.0.0.1");
	test_published(DEV_GIF6, "::ffff:198.18.0.2");
	test_published(DEV_GIF6, "ff02::1");
}
