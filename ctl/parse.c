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

/* The kernel's rules (dev_valid_name): 1-15 bytes, not "." or "..", no '/', ':' or space. */
bool parse_ifname(const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s);

	if (len == 0)
		return reason(err, errlen, "empty interface name");
	if (len >= IF_NAMESIZE)
		return reason(err, errlen, "interface name longer than 15 characters");
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return reason(err, errlen, "invalid interface name");
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == ' ' || (unsigned char)*s <= 0x20 ||
		    (unsigned char)*s >= 0x7f)
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

static bool addr_is_unusable(int family, const __u8 *a)
{
	static const __u8 zero[16];

	if (family == GIF_AF_INET)
		return a[0] == 0 || a[0] >= 224 || !memcmp(a, "\xff\xff\xff\xff", 4);
	return !memcmp(a, zero, 16) || a[0] == 0xff;
}

bool parse_endpoints(const char *src, const char *dst, struct gif_pair *pair, char *err,
		     size_t errlen)
{
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
	if (addr_is_unusable(sf, pair->local)) {
		snprintf(err, errlen, "source address '%s' is not a unicast address", src);
		return false;
	}
	if (addr_is_unusable(df, pair->remote)) {
		snprintf(err, errlen, "destination address '%s' is not a unicast address", dst);
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
	double v = strtod(s, &end);

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
