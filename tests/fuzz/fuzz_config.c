// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of config_parse() (the file of `gifctl apply`): any bytes. A failure says
 * "line N: ..." for a line that exists; an accepted configuration holds valid names, unique
 * names and pairs, and is written by config_write() in a form that parses back to the same
 * configuration.
 */
#include "config.h"
#include "fuzz_common.h"

static void same(const struct config *a, const struct config *b)
{
	FUZZ_REQUIRE(a->nattach == b->nattach && a->ntunnels == b->ntunnels,
		     "round trip: %zu/%zu attach, %zu/%zu tunnels", a->nattach, b->nattach,
		     a->ntunnels, b->ntunnels);
	for (size_t i = 0; i < a->nattach; i++)
		FUZZ_REQUIRE(!strcmp(a->attach[i].name, b->attach[i].name), "attach %s / %s",
			     a->attach[i].name, b->attach[i].name);
	for (size_t i = 0; i < a->ntunnels; i++) {
		const struct config_tunnel *x = &a->tunnels[i], *y = &b->tunnels[i];

		FUZZ_REQUIRE(!strcmp(x->name, y->name), "tunnel %s / %s", x->name, y->name);
		FUZZ_REQUIRE(!memcmp(&x->pair, &y->pair, sizeof(x->pair)), "%s: pair differs",
			     x->name);
		FUZZ_REQUIRE(!memcmp(&x->opts, &y->opts, sizeof(x->opts)),
			     "%s: options differ (ttl %d/%d dscp %d/%d ecn %d/%d pmtudisc %d/%d "
			     "ingress %d/%d mtu %u/%u)", x->name, x->opts.ttl, y->opts.ttl,
			     x->opts.dscp, y->opts.dscp, x->opts.ecn, y->opts.ecn, x->opts.pmtudisc,
			     y->opts.pmtudisc, x->opts.ingress_filter, y->opts.ingress_filter,
			     x->opts.mtu, y->opts.mtu);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t errlen = fuzz_errlen(data, size), lines = 1, len;
	char *err = malloc(errlen), *text = NULL, *copy = malloc(size ? size : 1), buf[256];
	struct config c, again;
	unsigned int at;
	FILE *f;

	/* a private copy, exactly SIZE bytes: reading past it is an overflow */
	memcpy(copy, data, size);
	memset(err, 'x', errlen);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (config_parse(copy, size, &c, err, errlen)) {
		fuzz_check_err(err, errlen);
		FUZZ_REQUIRE(c.nattach == 0 && c.ntunnels == 0 && !c.attach && !c.tunnels,
			     "a failed parse left a configuration");
		if (errlen >= 32) {
			FUZZ_REQUIRE(sscanf(err, "line %u: ", &at) == 1 && at >= 1 && at <= lines,
				     "error '%s' (input has %zu lines)", err, lines);
		}
		goto out;
	}
	for (size_t i = 0; i < c.nattach; i++)
		FUZZ_REQUIRE(parse_ifname(c.attach[i].name, buf, sizeof(buf)), "attach '%s'",
			     c.attach[i].name);
	for (size_t i = 0; i < c.ntunnels; i++) {
		FUZZ_REQUIRE(parse_ifname(c.tunnels[i].name, buf, sizeof(buf)), "tunnel '%s'",
			     c.tunnels[i].name);
		for (size_t j = 0; j < i; j++) {
			FUZZ_REQUIRE(strcmp(c.tunnels[i].name, c.tunnels[j].name), "%s twice",
				     c.tunnels[i].name);
			FUZZ_REQUIRE(!c.tunnels[i].pair.family ||
					     memcmp(&c.tunnels[i].pair, &c.tunnels[j].pair,
						    sizeof(struct gif_pair)),
				     "%s and %s share a pair", c.tunnels[i].name,
				     c.tunnels[j].name);
		}
	}
	f = open_memstream(&text, &len);
	config_write(f, &c);
	fclose(f);
	FUZZ_REQUIRE(!config_parse(text, len, &again, buf, sizeof(buf)),
		     "config_write output does not parse: %s\n%s", buf, text);
	same(&c, &again);
	config_free(&again);
	config_free(&c);
	free(text);
out:
	free(copy);
	free(err);
	return 0;
}
