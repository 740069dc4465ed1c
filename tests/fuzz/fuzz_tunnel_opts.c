// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of parse_tunnel_opts() and apply_tunnel_opts(): the arguments after
 * `tunnel set GIF SRC DST` are the input split at NUL bytes. Accepted options are known keywords,
 * each once, with values in their documented ranges, and land in the configuration unchanged.
 */
#include "fuzz_common.h"
#include "parse.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "ttl", "dscp", "ecn", "pmtudisc", "mtu",
					    "ingress-filter" };
	char *s = fuzz_cstr(data, size), *argv[MAX_ARGS + 1];
	size_t errlen = fuzz_errlen(data, size);
	char *err = malloc(errlen);
	struct tunnel_opts o;
	struct gif_tunnel cfg, before;
	int argc = 0, seen[6] = { 0 };

	/* argv: the NUL-separated words (an empty input is no argument at all) */
	for (char *p = s; size && p <= s + size && argc < MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	memset(err, 'x', errlen);
	if (!parse_tunnel_opts(argc, argv, &o, err, errlen)) {
		fuzz_check_err(err, errlen);
		goto out;
	}
	FUZZ_REQUIRE(argc % 2 == 0, "odd argument count %d accepted", argc);
	for (int i = 0; i < argc; i += 2) {
		int k = 0;

		while (k < 6 && strcmp(argv[i], keys[k]))
			k++;
		FUZZ_REQUIRE(k < 6, "unknown option '%s' accepted", argv[i]);
		FUZZ_REQUIRE(!seen[k]++, "option '%s' accepted twice", argv[i]);
	}
	FUZZ_REQUIRE(seen[0] ? o.ttl >= 0 && o.ttl <= 255 : o.ttl == -1, "ttl %d", o.ttl);
	FUZZ_REQUIRE(seen[1] ? (o.dscp >= 0 && o.dscp <= 63) || o.dscp == GIF_DSCP_INHERIT
			     : o.dscp == -1, "dscp %d", o.dscp);
	FUZZ_REQUIRE(seen[2] ? o.ecn >= 0 && o.ecn <= 2 : o.ecn == -1, "ecn %d", o.ecn);
	FUZZ_REQUIRE(seen[3] ? o.pmtudisc == 0 || o.pmtudisc == 1 : o.pmtudisc == -1, "pmtudisc");
	FUZZ_REQUIRE(seen[4] ? o.mtu >= 1 && o.mtu <= 65535 : o.mtu == 0, "mtu %u", o.mtu);
	FUZZ_REQUIRE(seen[5] ? o.ingress_filter == 0 || o.ingress_filter == 1
			     : o.ingress_filter == -1, "ingress-filter");

	memset(&cfg, 0xa5, sizeof(cfg));
	before = cfg;
	apply_tunnel_opts(&o, &cfg);
	FUZZ_REQUIRE(cfg.ttl == (seen[0] ? o.ttl : before.ttl), "ttl not applied");
	FUZZ_REQUIRE(cfg.dscp == (seen[1] ? o.dscp : before.dscp), "dscp not applied");
	FUZZ_REQUIRE(cfg.ecn == (seen[2] ? o.ecn : before.ecn), "ecn not applied");
	FUZZ_REQUIRE(!!(cfg.flags & GIF_F_PMTUDISC) ==
			     (seen[3] ? o.pmtudisc : !!(before.flags & GIF_F_PMTUDISC)),
		     "pmtudisc not applied");
	FUZZ_REQUIRE(!!(cfg.flags & GIF_F_INGRESS_FILTER) ==
			     (seen[5] ? o.ingress_filter : !!(before.flags & GIF_F_INGRESS_FILTER)),
		     "ingress-filter not applied");
	FUZZ_REQUIRE((cfg.flags & ~(GIF_F_PMTUDISC | GIF_F_INGRESS_FILTER)) ==
			     (before.flags & ~(GIF_F_PMTUDISC | GIF_F_INGRESS_FILTER)),
		     "other flags changed");
	FUZZ_REQUIRE(cfg.mtu == (seen[4] ? o.mtu : before.mtu), "mtu not applied");
	FUZZ_REQUIRE(cfg.ifindex == before.ifindex && cfg.family == before.family &&
			     !memcmp(cfg.local, before.local, 16) &&
			     !memcmp(cfg.remote, before.remote, 16),
		     "options changed the endpoints");
out:
	free(err);
	free(s);
	return 0;
}
