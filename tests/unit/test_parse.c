// SPDX-License-Identifier: GPL-2.0
/* The command-line parsers and address formatting of ctl/parse.c: pure functions, no BPF. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "parse.h"
#include "suites.h"
#include "test.h"

struct ifname_case {
	const char *name;
	const char *err;	/* NULL: accepted; else a phrase the error must contain */
};

static const struct ifname_case ifname_cases[] = {
	{ "gif0", NULL },
	{ "a", NULL },
	{ "abcdefghijklmno", NULL },		/* 15 characters: the most the kernel takes */
	{ "gif-0_x.y", NULL },
	{ "g\xc3\xaf" "f0", NULL },		/* UTF-8: the kernel takes any byte but '/', ':', space */
	{ "", "empty" },
	{ "abcdefghijklmnop", "longer than 15" },	/* 16 */
	{ "a/b", "'/'" },
	{ "a:b", "':'" },
	{ "a b", "spaces" },
	{ "a\tb", "control characters" },
	{ ".", "invalid interface name" },
	{ "..", "invalid interface name" },
};

/* S with control characters as \xNN, for test names. */
static const char *printable(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 5 < len; s++)
		n += snprintf(buf + n, len - n, (unsigned char)*s < 0x20 ? "\\x%02x" : "%c",
			      (unsigned char)*s);
	buf[n] = '\0';
	return buf;
}

static void test_ifname(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(ifname_cases); i++) {
		const struct ifname_case *c = &ifname_cases[i];
		char err[160] = "", shown[64];
		bool ok;

		if (!test_start("parse: ifname \"%s\" %s",
				printable(c->name, shown, sizeof(shown)),
				c->err ? "rejected" : "accepted"))
			continue;
		ok = parse_ifname(c->name, err, sizeof(err));
		if (!c->err) {
			CHECK(ok, "rejected: %s", err);
		} else if (CHECK(!ok, "accepted")) {
			ASSERT_STRSTR(err, c->err, "error text");
		}
		test_end();
	}
}

struct endpoints_case {
	const char *src, *dst;
	int family;		/* expected on success; 0: rejected */
	const char *err;	/* phrase the error must contain */
};

static const struct endpoints_case endpoints_cases[] = {
	{ "198.18.0.1", "198.18.0.2", GIF_AF_INET, NULL },
	{ "2001:db8:ff::1", "2001:db8:ff::2", GIF_AF_INET6, NULL },
	{ "2001:db8::1", "2001:db8:0:0:1::2", GIF_AF_INET6, NULL },
	{ "198.18.0.1", "2001:db8::2", 0, "must both be IPv4 or both IPv6" },
	{ "2001:db8::1", "198.18.0.2", 0, "must both be IPv4 or both IPv6" },
	{ "garbage", "198.18.0.2", 0, "invalid source address 'garbage'" },
	{ "198.18.0.1", "nope", 0, "invalid destination address 'nope'" },
	{ "198.18.0.256", "198.18.0.2", 0, "invalid source address" },
	{ "", "198.18.0.2", 0, "invalid source address" },
	{ "198.18.0.1 ", "198.18.0.2", 0, "invalid source address" },
	{ "224.0.0.1", "198.18.0.2", 0, "source address '224.0.0.1' is not a unicast address" },
	{ "198.18.0.1", "239.1.2.3", 0, "destination address '239.1.2.3' is not a unicast" },
	{ "198.18.0.1", "255.255.255.255", 0, "destination address '255.255.255.255' is not" },
	{ "0.0.0.0", "198.18.0.2", 0, "source address '0.0.0.0' is not a unicast address" },
	{ "198.18.0.1", "0.0.0.0", 0, "destination address '0.0.0.0' is not a unicast" },
	{ "::", "2001:db8::2", 0, "source address '::' is not a unicast address" },
	{ "2001:db8::1", "::", 0, "destination address '::' is not a unicast address" },
	{ "2001:db8::1", "ff02::1", 0, "destination address 'ff02::1' is not a unicast" },
	{ "ff0e::1", "2001:db8::2", 0, "source address 'ff0e::1' is not a unicast" },
	{ "127.0.0.1", "198.18.0.2", 0, "source address '127.0.0.1' is a loopback address" },
	{ "2001:db8::1", "::1", 0, "destination address '::1' is a loopback address" },
	{ "::ffff:198.18.0.1", "2001:db8::2", 0, "is an IPv4-mapped address" },
	{ "2001:db8::1", "fe80::2", 0, "destination address 'fe80::2' is link-local" },
	{ "198.18.0.1", "198.18.0.1", 0, "same address" },
	{ "2001:db8::1", "2001:0db8:0:0::1", 0, "same address" },
};

static void test_endpoints(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(endpoints_cases); i++) {
		const struct endpoints_case *c = &endpoints_cases[i];
		struct gif_pair pair, want = { .family = c->family };
		char err[160] = "";
		bool ok;

		if (!test_start("parse: endpoints \"%s\" \"%s\" %s", c->src, c->dst,
				c->family ? "accepted" : "rejected"))
			continue;
		memset(&pair, 0xa5, sizeof(pair));
		ok = parse_endpoints(c->src, c->dst, &pair, err, sizeof(err));
		if (c->family) {
			int af = c->family == GIF_AF_INET ? AF_INET : AF_INET6;

			inet_pton(af, c->src, want.local);
			inet_pton(af, c->dst, want.remote);
			if (CHECK(ok, "rejected: %s", err))
				CHECK(!memcmp(&pair, &want, sizeof(pair)),
				      "pair: family %u, or the addresses (zero-padded) differ",
				      pair.family);
		} else if (CHECK(!ok, "accepted")) {
			ASSERT_STRSTR(err, c->err, "error text");
			ASSERT_EQ(pair.family, GIF_AF_NONE, "family of a rejected pair");
		}
		test_end();
	}
}

struct seconds_case {
	const char *s;
	bool ok;
	double v;
};

static const struct seconds_case seconds_cases[] = {
	{ "0", true, 0 },	{ "1", true, 1 },	  { "0.5", true, 0.5 },
	{ "1e3", true, 1000 },	{ "86400", true, 86400 }, { "31536000", true, 31536000 },
	{ "31536001", false, 0 },	{ "-1", false, 0 },	  { "", false, 0 },
	{ "abc", false, 0 },	{ "1s", false, 0 },	  { "1.5.2", false, 0 },
	{ "inf", false, 0 },	{ "nan", false, 0 },	  { " 1", false, 0 },
	{ "0x10", false, 0 },	{ "+1", false, 0 },
};

static void test_seconds(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(seconds_cases); i++) {
		const struct seconds_case *c = &seconds_cases[i];
		double v = -42;
		bool ok;

		if (!test_start("parse: seconds \"%s\" %s", c->s,
				c->ok ? "accepted" : "rejected"))
			continue;
		ok = parse_seconds(c->s, &v);
		if (c->ok && CHECK(ok, "rejected"))
			CHECK(v == c->v, "value %g, expected %g", v, c->v);
		if (!c->ok) {
			CHECK(!ok, "accepted as %g", v);
			CHECK(v == -42, "output written on failure (%g)", v);
		}
		test_end();
	}
}

static void test_format(void)
{
	struct gif_pair p4 = { .family = GIF_AF_INET }, p6 = { .family = GIF_AF_INET6 };
	char buf[128], small[8];

	inet_pton(AF_INET, "198.18.0.1", p4.local);
	inet_pton(AF_INET, "198.18.0.2", p4.remote);
	inet_pton(AF_INET6, "2001:db8:ff::1", p6.local);
	inet_pton(AF_INET6, "2001:db8:0:0:1:0:0:2", p6.remote);

	if (test_start("parse: addr_str IPv4")) {
		ASSERT_STREQ(addr_str(GIF_AF_INET, p4.local, buf, sizeof(buf)), "198.18.0.1",
			     "addr_str");
		test_end();
	}
	if (test_start("parse: addr_str IPv6, compressed")) {
		ASSERT_STREQ(addr_str(GIF_AF_INET6, p6.local, buf, sizeof(buf)), "2001:db8:ff::1",
			     "addr_str");
		ASSERT_STREQ(addr_str(GIF_AF_INET6, p6.remote, buf, sizeof(buf)),
			     "2001:db8::1:0:0:2", "addr_str");
		test_end();
	}
	if (test_start("parse: addr_str into a too small buffer gives \"?\"")) {
		ASSERT_STREQ(addr_str(GIF_AF_INET, p4.local, small, sizeof(small)), "?",
			     "addr_str");
		test_end();
	}
	if (test_start("parse: pair_str IPv4 and IPv6")) {
		ASSERT_STREQ(pair_str(&p4, buf, sizeof(buf)), "198.18.0.1 -> 198.18.0.2",
			     "pair_str");
		ASSERT_STREQ(pair_str(&p6, buf, sizeof(buf)), "2001:db8:ff::1 -> 2001:db8::1:0:0:2",
			     "pair_str");
		test_end();
	}
	if (test_start("parse: pair_str truncates to the buffer")) {
		ASSERT_STREQ(pair_str(&p4, small, sizeof(small)), "198.18.", "pair_str");
		test_end();
	}
}

void test_parse(void)
{
	test_ifname();
	test_endpoints();
	test_seconds();
	test_format();
}
