/* SPDX-License-Identifier: GPL-2.0 */
/* Parsers for command-line values: pure functions, no privileges needed (unit-tested). */
#ifndef GIF_PARSE_H
#define GIF_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "gif_types.h"

/*
 * Each parser returns true on success; on failure it writes a reason (without the input, which
 * the caller quotes) to err.
 */
bool parse_ifname(const char *s, char *err, size_t errlen);
/* SRC and DST of a tunnel: both IPv4 or both IPv6, unicast, distinct. */
bool parse_endpoints(const char *src, const char *dst, struct gif_pair *pair, char *err,
		     size_t errlen);
bool parse_seconds(const char *s, double *out);

/* Options of `tunnel set`; a field < 0 (mtu: 0) was not given. */
struct tunnel_opts {
	int ttl;		/* 1-255, or GIF_TTL_INHERIT */
	int dscp;		/* 0-63, or GIF_DSCP_INHERIT */
	int ecn;		/* enum gif_ecn_mode */
	int pmtudisc;		/* 0 / 1 */
	int ingress_filter;	/* 0 / 1 */
	unsigned int mtu;
};

#define TUNNEL_OPTS_USAGE                                                                          \
	"[ttl N|inherit] [dscp N|inherit] [ecn normal|compat|off] [pmtudisc on|off] [mtu N] "      \
	"[ingress-filter on|off]"

/* No option given: every field keeps its value. */
extern const struct tunnel_opts no_tunnel_opts;

/* Keyword/value pairs, each at most once, names matched exactly. */
bool parse_tunnel_opts(int argc, char **argv, struct tunnel_opts *opts, char *err, size_t errlen);
/* Sets in BASE the options GIVEN has. */
void merge_tunnel_opts(struct tunnel_opts *base, const struct tunnel_opts *given);
/* Applies the options given to a configuration. */
void apply_tunnel_opts(const struct tunnel_opts *opts, struct gif_tunnel *cfg);

/* How `attach IFACE [mode xdp|tc]` decapsulates; ATTACH_AUTO: no mode given, gifctl chooses. */
enum attach_mode { ATTACH_AUTO, ATTACH_XDP, ATTACH_TC };
/* "xdp" or "tc" (exact names); false for anything else. */
bool parse_attach_mode(const char *s, enum attach_mode *mode);
/* "xdp", "tc"; NULL for ATTACH_AUTO. */
const char *attach_mode_name(enum attach_mode mode);

/* Names of option values, as `show` prints them. */
const char *ecn_name(int ecn);

/* "198.18.0.1" / "2001:db8::1" for an address of the pair's family. */
const char *addr_str(__u32 family, const __u8 *addr, char *buf, size_t len);
/* "198.18.0.1 -> 198.18.0.2" for a tunnel's local and remote addresses. */
const char *pair_str(const struct gif_pair *pair, char *buf, size_t len);

#endif
