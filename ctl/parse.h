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

/* "198.18.0.1" / "2001:db8::1" for an address of the pair's family. */
const char *addr_str(__u32 family, const __u8 *addr, char *buf, size_t len);
/* "198.18.0.1 -> 198.18.0.2" for a tunnel's local and remote addresses. */
const char *pair_str(const struct gif_pair *pair, char *buf, size_t len);

#endif
