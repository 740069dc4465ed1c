/* SPDX-License-Identifier: GPL-2.0 */
/* Parsers for interface names, endpoint addresses and durations; address formatting. */
#include <arpa/inet.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static bool reason(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return false;
}

/*
 * The kernel's rules (dev_valid_name): 1-15 bytes, not "." or "..", no '/', ':' or white space.
 * Control characters, which the kernel allows, are refused too: they garble every listing.
 */
bool parse_ifname(const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s);

	if (len == 0)
		return reason(err, errlen, "empty interface name");
	if (len >= IF_NAMESIZE)
		return reason(err, errlen, "interface name longer than 15 characters");
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return reason(err, errlen, "invalid interface name");
	if (*s == '#')	/* would start a comment in a configuration file (dump, apply) */
		return reason(err, errlen, "interface names may not start with '#'");
	for (; *s; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s <= 0x20 || *s == 0x7f)
			return reason(err, errlen,
				      "interface names may not contain '/', ':', spaces or "
				      "control characters");
	return true;
}

static int parse_addr(const char *s, __u8 out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		return GIF_AF_INET;
	if (inet_pton(AF_INET6, s, out) == 1)
		return GIF_AF_INET6;
	return GIF_AF_NONE;
}

/* Why ADDR cannot be a tunnel endpoint, or NULL when it can. */
static const char *unusable_addr(int family, const __u8 *a)
{
	static const __u8 zero[16], loopback[16] = { [15] = 1 };
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (family == GIF_AF_INET) {
		if (a[0] == 0 || a[0] >= 224)
			return "is not a unicast address";
		if (a[0] == 127)
			return "is a loopback address";
		return NULL;
	}
	if (!memcmp(a, zero, 16) || a[0] == 0xff)
		return "is not a unicast address";
	if (!memcmp(a, loopback, 16))
		return "is a loopback address";
	if (!memcmp(a, mapped, 12))
		return "is an IPv4-mapped address (use the IPv4 form)";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "is link-local (an endpoint needs a global or unique-local address)";
	return NULL;
}

bool parse_endpoints(const char *src, const char *dst, struct gif_pair *pair, char *err,
		     size_t errlen)
{
	const char *why;
	int sf, df;

	memset(pair, 0, sizeof(*pair));
	sf = parse_addr(src, pair->local);
	df = parse_addr(dst, pair->remote);
	if (!sf) {
		snprintf(err, errlen, "invalid source address '%s'", src);
		return false;
	}
	if (!df) {
		snprintf(err, errlen, "invalid destination address '%s'", dst);
		return false;
	}
	if (sf != df)
		return reason(err, errlen, "source and destination must both be IPv4 or both IPv6");
	if ((why = unusable_addr(sf, pair->local))) {
		snprintf(err, errlen, "source address '%s' %s", src, why);
		return false;
	}
	if ((why = unusable_addr(df, pair->remote))) {
		snprintf(err, errlen, "destination address '%s' %s", dst, why);
		return false;
	}
	if (!memcmp(pair->local, pair->remote, 16))
		return reason(err, errlen, "source and destination are the same address");
	pair->family = sf;
	return true;
}

bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	/* strtod alone would take leading blanks, signs and hexadecimal. */
	if (!((*s >= '0' && *s <= '9') || *s == '.') || strpbrk(s, "xX"))
		return false;
	v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < 0 || v > 86400 * 365)
		return false;
	*out = v;
	return true;
}

const char *addr_str(__u32 family, const __u8 *addr, char *buf, size_t len)
{
	if (!inet_ntop(family == GIF_AF_INET ? AF_INET : AF_INET6, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *pair_str(const struct gif_pair *pair, char *buf, size_t len)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s -> %s", addr_str(pair->family, pair->local, l, sizeof(l)),
		 addr_str(pair->family, pair->remote, r, sizeof(r)));
	return buf;
}

static bool parse_uint(const char *s, unsigned int lo, unsigned int hi, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int parse_on_off(const char *s)
{
	return !strcmp(s, "on") ? 1 : !strcmp(s, "off") ? 0 : -1;
}

static const char *const ecn_names[] = {
	[GIF_ECN_NORMAL] = "normal", [GIF_ECN_COMPAT] = "compat", [GIF_ECN_OFF] = "off"
};

bool parse_attach_mode(const char *s, enum attach_mode *mode)
{
	*mode = !strcmp(s, "xdp") ? ATTACH_XDP : !strcmp(s, "tc") ? ATTACH_TC : ATTACH_AUTO;
	return *mode != ATTACH_AUTO;
}

const char *attach_mode_name(enum attach_mode mode)
{
	return mode == ATTACH_XDP ? "xdp" : mode == ATTACH_TC ? "tc" : NULL;
}

const char *ecn_name(int ecn)
{
	return ecn >= 0 && ecn < 3 ? ecn_names[ecn] : "?";
}

/* One option's value into opts; false with a reason when it is invalid. */
static bool parse_one_opt(const char *key, const char *val, struct tunnel_opts *o, char *err,
			  size_t errlen)
{
	unsigned int n;

	if (!strcmp(key, "ttl")) {
		if (!strcmp(val, "inherit"))
			o->ttl = GIF_TTL_INHERIT;
		else if (parse_uint(val, 1, 255, &n))
			o->ttl = n;
		else
			goto bad;
	} else if (!strcmp(key, "dscp")) {
		if (!strcmp(val, "inherit"))
			o->dscp = GIF_DSCP_INHERIT;
		else if (parse_uint(val, 0, 63, &n))
			o->dscp = n;
		else
			goto bad;
	} else if (!strcmp(key, "ecn")) {
		for (o->ecn = 2; o->ecn >= 0 && strcmp(val, ecn_names[o->ecn]); o->ecn--)
			;
		if (o->ecn < 0)
			goto bad;
	} else if (!strcmp(key, "pmtudisc")) {
		if ((o->pmtudisc = parse_on_off(val)) < 0)
			goto bad;
	} else if (!strcmp(key, "ingress-filter")) {
		if ((o->ingress_filter = parse_on_off(val)) < 0)
			goto bad;
	} else if (!strcmp(key, "mtu")) {
		if (!parse_uint(val, 1, 65535, &o->mtu))
			goto bad;
	}
	return true;
bad:
	snprintf(err, errlen, "invalid %s '%s': expected %s", key, val,
		 !strcmp(key, "ttl")	       ? "1-255 or inherit"
		 : !strcmp(key, "dscp")	       ? "0-63 or inherit"
		 : !strcmp(key, "ecn")	       ? "normal, compat or off"
		 : !strcmp(key, "mtu")	       ? "a number of bytes"
					       : "on or off");
	return false;
}

const struct tunnel_opts no_tunnel_opts = { -1, -1, -1, -1, -1, 0 };

bool parse_tunnel_opts(int argc, char **argv, struct tunnel_opts *o, char *err, size_t errlen)
{
	static const char *const keys[] = { "ttl", "dscp", "ecn", "pmtudisc", "mtu",
					    "ingress-filter" };
	bool seen[6] = { false };

	*o = no_tunnel_opts;
	for (int i = 0; i < argc; i += 2) {
		size_t k = 0;

		while (k < 6 && strcmp(argv[i], keys[k]))
			k++;
		if (k == 6) {
			snprintf(err, errlen, "unknown option '%s'", argv[i]);
			return false;
		}
		if (seen[k]) {
			snprintf(err, errlen, "option '%s' given twice", argv[i]);
			return false;
		}
		seen[k] = true;
		if (i + 1 >= argc) {
			snprintf(err, errlen, "option '%s' needs a value", argv[i]);
			return false;
		}
		if (!parse_one_opt(argv[i], argv[i + 1], o, err, errlen))
			return false;
	}
	return true;
}

void merge_tunnel_opts(struct tunnel_opts *base, const struct tunnel_opts *given)
{
	if (given->ttl >= 0)
		base->ttl = given->ttl;
	if (given->dscp >= 0)
		base->dscp = given->dscp;
	if (given->ecn >= 0)
		base->ecn = given->ecn;
	if (given->pmtudisc >= 0)
		base->pmtudisc = given->pmtudisc;
	if (given->ingress_filter >= 0)
		base->ingress_filter = given->ingress_filter;
	if (given->mtu)
		base->mtu = given->mtu;
}

void apply_tunnel_opts(const struct tunnel_opts *o, struct gif_tunnel *cfg)
{
	if (o->ttl >= 0)
		cfg->ttl = o->ttl;
	if (o->dscp >= 0)
		cfg->dscp = o->dscp;
	if (o->ecn >= 0)
		cfg->ecn = o->ecn;
	if (o->pmtudisc >= 0)
		cfg->flags = (cfg->flags & ~GIF_F_PMTUDISC) | (o->pmtudisc ? GIF_F_PMTUDISC : 0);
	if (o->ingress_filter >= 0)
		cfg->flags = (cfg->flags & ~GIF_F_INGRESS_FILTER) |
			     (o->ingress_filter ? GIF_F_INGRESS_FILTER : 0);
	if (o->mtu)
		cfg->mtu = o->mtu;
}
