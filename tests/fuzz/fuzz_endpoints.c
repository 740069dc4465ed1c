// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of parse_endpoints(): SRC and DST are the input split at its first NUL (or
 * newline). Accepted pairs are of one family, unicast, distinct, and survive formatting with
 * addr_str()/pair_str() and parsing again unchanged.
 */
#include <arpa/inet.h>
#include "fuzz_common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *src = s, *dst;
	size_t errlen = fuzz_errlen(data, size);
	char *err = malloc(errlen), l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], buf[128];
	struct gif_pair pair, again;
	unsigned char raw[16];
	bool ok;

	/* SRC, then DST after the first NUL byte, or else after the first newline */
	dst = memchr(s, '\0', size);
	if (!dst)
		dst = memchr(s, '\n', size);
	if (dst)
		*dst++ = '\0';
	else
		dst = s + size;
	memset(err, 'x', errlen);
	ok = parse_endpoints(src, dst, &pair, err, errlen);
	if (!ok) {
		fuzz_check_err(err, errlen);
		goto out;
	}
	FUZZ_REQUIRE(pair.family == GIF_AF_INET || pair.family == GIF_AF_INET6, "family %u",
		     pair.family);
	FUZZ_REQUIRE(memcmp(pair.local, pair.remote, 16), "same address accepted");
	/* What inet_pton itself makes of the strings. */
	FUZZ_REQUIRE(inet_pton(pair.family, src, raw) == 1 &&
			     !memcmp(raw, pair.local, pair.family == GIF_AF_INET ? 4 : 16),
		     "source '%s' parsed differently", src);
	FUZZ_REQUIRE(inet_pton(pair.family, dst, raw) == 1 &&
			     !memcmp(raw, pair.remote, pair.family == GIF_AF_INET ? 4 : 16),
		     "destination '%s' parsed differently", dst);
	if (pair.family == GIF_AF_INET) {
		for (int i = 4; i < 16; i++)
			FUZZ_REQUIRE(!pair.local[i] && !pair.remote[i], "IPv4 pair not zero-padded");
		FUZZ_REQUIRE(pair.local[0] && pair.local[0] < 224 && pair.local[0] != 127 &&
				     pair.remote[0] && pair.remote[0] < 224 && pair.remote[0] != 127,
			     "non-unicast IPv4 endpoint accepted");
	} else {
		FUZZ_REQUIRE(pair.local[0] != 0xff && pair.remote[0] != 0xff,
			     "multicast IPv6 endpoint accepted");
	}
	/* Round trip through the formatting show and error messages use. */
	addr_str(pair.family, pair.local, l, sizeof(l));
	addr_str(pair.family, pair.remote, r, sizeof(r));
	FUZZ_REQUIRE(parse_endpoints(l, r, &again, buf, sizeof(buf)) &&
			     !memcmp(&pair, &again, sizeof(pair)),
		     "'%s' '%s' does not parse back to itself", l, r);
	pair_str(&pair, buf, sizeof(buf));
	FUZZ_REQUIRE(strstr(buf, " -> "), "pair_str: %s", buf);
out:
	free(err);
	free(s);
	return 0;
}
