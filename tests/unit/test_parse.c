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

/* The fields of struct tunnel_opts, one per option. */
enum opt_field { F_TTL, F_DSCP, F_ECN, F_PMTUDISC, F_INGRESS, F_MTU, NFIELDS };

static const char *const field_names[NFIELDS] = {
	"ttl", "dscp", "ecn", "pmtudisc", "ingress_filter", "mtu",
};

static long long opts_field(const struct tunnel_opts *o, enum opt_field f)
{
	const long long v[NFIELDS] = { o->ttl, o->dscp, o->ecn, o->pmtudisc, o->ingress_filter,
				       o->mtu };

	return v[f];
}

/* What parse_tunnel_opts leaves in a field whose option was not given. */
static long long unset(enum opt_field f)
{
	return f == F_MTU ? 0 : -1;
}

struct opt_value_case {
	const char *key, *val;
	enum opt_field field;
	long long want;
};

static const struct opt_value_case opt_value_cases[] = {
	{ "ttl", "1", F_TTL, 1 },
	{ "ttl", "64", F_TTL, 64 },
	{ "ttl", "255", F_TTL, 255 },
	{ "ttl", "inherit", F_TTL, GIF_TTL_INHERIT },
	{ "dscp", "0", F_DSCP, 0 },
	{ "dscp", "46", F_DSCP, 46 },
	{ "dscp", "63", F_DSCP, 63 },
	{ "dscp", "inherit", F_DSCP, GIF_DSCP_INHERIT },
	{ "ecn", "normal", F_ECN, GIF_ECN_NORMAL },
	{ "ecn", "compat", F_ECN, GIF_ECN_COMPAT },
	{ "ecn", "off", F_ECN, GIF_ECN_OFF },
	{ "pmtudisc", "on", F_PMTUDISC, 1 },
	{ "pmtudisc", "off", F_PMTUDISC, 0 },
	{ "ingress-filter", "on", F_INGRESS, 1 },
	{ "ingress-filter", "off", F_INGRESS, 0 },
	{ "mtu", "1280", F_MTU, 1280 },
	{ "mtu", "9000", F_MTU, 9000 },
};

/* Checks every field of O: WANT in FIELD (none: NFIELDS), the others not given. */
static void expect_opts(const struct tunnel_opts *o, enum opt_field field, long long want)
{
	for (int f = 0; f < NFIELDS; f++) {
		long long w = f == (int)field ? want : unset(f);

		CHECK(opts_field(o, f) == w, "%s: %lld, expected %lld", field_names[f],
		      opts_field(o, f), w);
	}
}

static void test_opt_values(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_value_cases); i++) {
		const struct opt_value_case *c = &opt_value_cases[i];
		char *argv[] = { (char *)c->key, (char *)c->val };
		struct tunnel_opts o;
		char err[160] = "";

		if (!test_start("parse: tunnel option \"%s %s\" accepted", c->key, c->val))
			continue;
		if (CHECK(parse_tunnel_opts(2, argv, &o, err, sizeof(err)), "rejected: %s", err))
			expect_opts(&o, c->field, c->want);
		test_end();
	}
}

static void test_opts_all(void)
{
	char *none[] = { NULL };
	char *all[] = { "ingress-filter", "on", "mtu", "1400", "pmtudisc", "off",
			"ecn", "compat", "dscp", "inherit", "ttl", "200" };
	struct tunnel_opts o;
	char err[160] = "";

	if (test_start("parse: no tunnel options: every field not given")) {
		if (CHECK(parse_tunnel_opts(0, none, &o, err, sizeof(err)), "rejected: %s", err))
			expect_opts(&o, NFIELDS, 0);
		test_end();
	}
	if (test_start("parse: all six tunnel options at once, in reverse order")) {
		if (CHECK(parse_tunnel_opts(ARRAY_SIZE(all), all, &o, err, sizeof(err)),
			  "rejected: %s", err)) {
			ASSERT_EQ(o.ttl, 200, "ttl");
			ASSERT_EQ(o.dscp, GIF_DSCP_INHERIT, "dscp");
			ASSERT_EQ(o.ecn, GIF_ECN_COMPAT, "ecn");
			ASSERT_EQ(o.pmtudisc, 0, "pmtudisc");
			ASSERT_EQ(o.ingress_filter, 1, "ingress_filter");
			ASSERT_EQ(o.mtu, 1400, "mtu");
		}
		test_end();
	}
}

struct opt_reject_case {
	const char *args[7];	/* NULL-terminated */
	const char *err;	/* the whole message */
};

#define TTL_RANGE "expected 1-255 or inherit"
#define DSCP_RANGE "expected 0-63 or inherit"

static const struct opt_reject_case opt_reject_cases[] = {
	{ { "ttl", "0" }, "invalid ttl '0': " TTL_RANGE },
	{ { "ttl", "256" }, "invalid ttl '256': " TTL_RANGE },
	{ { "ttl", "-1" }, "invalid ttl '-1': " TTL_RANGE },
	{ { "ttl", "1x" }, "invalid ttl '1x': " TTL_RANGE },
	{ { "ttl", "" }, "invalid ttl '': " TTL_RANGE },
	{ { "ttl", " 1" }, "invalid ttl ' 1': " TTL_RANGE },
	{ { "ttl", "+1" }, "invalid ttl '+1': " TTL_RANGE },
	{ { "ttl", "0x10" }, "invalid ttl '0x10': " TTL_RANGE },
	{ { "ttl", "4294967297" }, "invalid ttl '4294967297': " TTL_RANGE },	/* 2^32 + 1 */
	{ { "ttl", "18446744073709551617" }, "invalid ttl '18446744073709551617': " TTL_RANGE },
	{ { "ttl", "Inherit" }, "invalid ttl 'Inherit': " TTL_RANGE },
	{ { "dscp", "64" }, "invalid dscp '64': " DSCP_RANGE },
	{ { "dscp", "-1" }, "invalid dscp '-1': " DSCP_RANGE },
	{ { "dscp", "1x" }, "invalid dscp '1x': " DSCP_RANGE },
	{ { "dscp", "" }, "invalid dscp '': " DSCP_RANGE },
	{ { "dscp", "255" }, "invalid dscp '255': " DSCP_RANGE },
	{ { "ecn", "NORMAL" }, "invalid ecn 'NORMAL': expected normal, compat or off" },
	{ { "ecn", "on" }, "invalid ecn 'on': expected normal, compat or off" },
	{ { "ecn", "" }, "invalid ecn '': expected normal, compat or off" },
	{ { "pmtudisc", "yes" }, "invalid pmtudisc 'yes': expected on or off" },
	{ { "pmtudisc", "1" }, "invalid pmtudisc '1': expected on or off" },
	{ { "pmtudisc", "" }, "invalid pmtudisc '': expected on or off" },
	{ { "ingress-filter", "true" }, "invalid ingress-filter 'true': expected on or off" },
	{ { "mtu", "0" }, "invalid mtu '0': expected a number of bytes" },
	{ { "mtu", "65536" }, "invalid mtu '65536': expected a number of bytes" },
	{ { "mtu", "-1" }, "invalid mtu '-1': expected a number of bytes" },
	{ { "mtu", "" }, "invalid mtu '': expected a number of bytes" },
	{ { "foo", "1" }, "unknown option 'foo'" },
	{ { "TTL", "1" }, "unknown option 'TTL'" },
	{ { "ttl=1" }, "unknown option 'ttl=1'" },
	{ { "ingress_filter", "on" }, "unknown option 'ingress_filter'" },
	{ { "", "1" }, "unknown option ''" },
	{ { "ttl", "inherit", "bogus", "1" }, "unknown option 'bogus'" },
	{ { "ttl", "1", "ttl", "2" }, "option 'ttl' given twice" },
	{ { "ecn", "off", "dscp", "1", "ecn", "off" }, "option 'ecn' given twice" },
	{ { "ttl" }, "option 'ttl' needs a value" },
	{ { "dscp", "1", "ingress-filter" }, "option 'ingress-filter' needs a value" },
	{ { "pmtudisc", "on", "ecn", "bad" }, "invalid ecn 'bad': expected normal, compat or off" },
};

/* "a b c" of a NULL-terminated list, an argument quoted when empty or holding a space. */
static const char *joined(const char *const *args, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; args[i] && n < len; i++) {
		bool quote = !*args[i] || strchr(args[i], ' ');

		n += snprintf(buf + n, len - n, quote ? "%s'%s'" : "%s%s", i ? " " : "", args[i]);
	}
	return buf;
}

static void test_opt_rejects(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_reject_cases); i++) {
		const struct opt_reject_case *c = &opt_reject_cases[i];
		char err[160] = "", shown[128];
		struct tunnel_opts o;
		int argc = 0;

		while (c->args[argc])
			argc++;
		if (!test_start("parse: tunnel options \"%s\" rejected",
				joined(c->args, shown, sizeof(shown))))
			continue;
		if (CHECK(!parse_tunnel_opts(argc, (char **)c->args, &o, err, sizeof(err)),
			  "accepted"))
			ASSERT_STREQ(err, c->err, "error text");
		test_end();
	}
}

struct apply_case {
	const char *name;
	enum opt_field field;
	int value;		/* the option's, as parse_tunnel_opts gives it */
	__u8 flags;		/* the configuration's flags before */
	long long want;		/* the configuration's field after (ttl, dscp, ecn, flags, mtu) */
};

#define F_BOTH (GIF_F_PMTUDISC | GIF_F_INGRESS_FILTER)

static const struct apply_case apply_cases[] = {
	{ "ttl 200", F_TTL, 200, F_BOTH, 200 },
	{ "ttl inherit", F_TTL, GIF_TTL_INHERIT, F_BOTH, GIF_TTL_INHERIT },
	{ "dscp 0", F_DSCP, 0, F_BOTH, 0 },
	{ "dscp inherit", F_DSCP, GIF_DSCP_INHERIT, F_BOTH, GIF_DSCP_INHERIT },
	{ "ecn normal", F_ECN, GIF_ECN_NORMAL, F_BOTH, GIF_ECN_NORMAL },
	{ "ecn compat", F_ECN, GIF_ECN_COMPAT, F_BOTH, GIF_ECN_COMPAT },
	{ "pmtudisc off, ingress filter on", F_PMTUDISC, 0, F_BOTH, GIF_F_INGRESS_FILTER },
	{ "pmtudisc on, ingress filter off", F_PMTUDISC, 1, 0, GIF_F_PMTUDISC },
	{ "pmtudisc on, already on", F_PMTUDISC, 1, F_BOTH, F_BOTH },
	{ "ingress-filter off, pmtudisc on", F_INGRESS, 0, F_BOTH, GIF_F_PMTUDISC },
	{ "ingress-filter on, pmtudisc off", F_INGRESS, 1, 0, GIF_F_INGRESS_FILTER },
	{ "ingress-filter off, already off", F_INGRESS, 0, 0, 0 },
	{ "mtu 1400", F_MTU, 1400, F_BOTH, 1400 },
	{ "no option", NFIELDS, 0, F_BOTH, 0 },
};

/* A configuration with every byte set, none of the fields at a value a case gives. */
static void apply_base(struct gif_tunnel *cfg, __u8 flags)
{
	memset(cfg, 0x5a, sizeof(*cfg));
	cfg->ttl = 7;
	cfg->dscp = 9;
	cfg->ecn = GIF_ECN_OFF;
	cfg->flags = flags;
	cfg->mtu = 1300;
}

static void test_apply(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(apply_cases); i++) {
		const struct apply_case *c = &apply_cases[i];
		struct tunnel_opts o = { -1, -1, -1, -1, -1, 0 };
		struct gif_tunnel cfg, want;

		if (!test_start("parse: apply_tunnel_opts %s: only that field changes", c->name))
			continue;
		apply_base(&cfg, c->flags);
		want = cfg;
		switch (c->field) {
		case F_TTL:
			o.ttl = c->value;
			want.ttl = c->want;
			break;
		case F_DSCP:
			o.dscp = c->value;
			want.dscp = c->want;
			break;
		case F_ECN:
			o.ecn = c->value;
			want.ecn = c->want;
			break;
		case F_PMTUDISC:
			o.pmtudisc = c->value;
			want.flags = c->want;
			break;
		case F_INGRESS:
			o.ingress_filter = c->value;
			want.flags = c->want;
			break;
		case F_MTU:
			o.mtu = c->value;
			want.mtu = c->want;
			break;
		case NFIELDS:
			break;
		}
		apply_tunnel_opts(&o, &cfg);
		CHECK(!memcmp(&cfg, &want, sizeof(cfg)),
		      "configuration: ttl %u dscp %u ecn %u flags 0x%x mtu %u, expected ttl %u "
		      "dscp %u ecn %u flags 0x%x mtu %u, or another byte changed",
		      cfg.ttl, cfg.dscp, cfg.ecn, cfg.flags, cfg.mtu, want.ttl, want.dscp,
		      want.ecn, want.flags, want.mtu);
		test_end();
	}
}

void test_parse(void)
{
	test_ifname();
	test_endpoints();
	test_seconds();
	test_format();
	test_opt_values();
	test_opts_all();
	test_opt_rejects();
	test_apply();
}
