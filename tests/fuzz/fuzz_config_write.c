// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of config_write() -> config_parse(), the way `gifctl dump | gifctl apply -`
 * goes: a configuration gifctl could hold (names parse_ifname() accepts, endpoint pairs
 * parse_endpoints() accepts, options in range), built from the input, must be written in a form
 * that parses back to the same configuration.
 *
 * Input: records separated by NUL bytes; a record starting with 'a' is `attach NAME` (NAME the
 * rest), any other is a tunnel: byte 0 the option choices, bytes 1-2 the address family and
 * endpoint bytes seed, the rest the name.
 */
#include <arpa/inet.h>
#include "config.h"
#include "fuzz_common.h"

#define MAX_ITEMS 16

static bool taken(const struct config *c, const char *name, const struct gif_pair *pair)
{
	for (size_t i = 0; i < c->ntunnels; i++)
		if (!strcmp(c->tunnels[i].name, name) ||
		    (pair->family && !memcmp(&c->tunnels[i].pair, pair, sizeof(*pair))))
			return true;
	return false;
}

static void tunnel_from(struct config *c, const uint8_t *r, size_t n, char *err)
{
	struct config_tunnel *t = &c->tunnels[c->ntunnels];
	char name[64], l[INET6_ADDRSTRLEN], rem[INET6_ADDRSTRLEN];
	uint8_t a[16], b[16];
	int fam;

	if (n < 4 || n - 3 >= sizeof(name))
		return;
	memcpy(name, r + 3, n - 3);
	name[n - 3] = '\0';
	if (!parse_ifname(name, err, 160))
		return;
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	fam = r[1] % 3;
	if (fam) {
		for (int i = 0; i < 16; i++) {
			a[i] = r[2] * 7 + i * 13 + 1;
			b[i] = r[2] * 11 + i * 5 + 2;
		}
		a[0] = b[0] = fam == 1 ? 198 : 0x20;
		inet_ntop(fam == 1 ? AF_INET : AF_INET6, a, l, sizeof(l));
		inet_ntop(fam == 1 ? AF_INET : AF_INET6, b, rem, sizeof(rem));
		if (!parse_endpoints(l, rem, &t->pair, err, 160))
			return;
	}
	if (taken(c, t->name, &t->pair))
		return;
	t->opts = default_tunnel_opts;
	t->opts.ttl = r[0] & 1 ? GIF_TTL_INHERIT : 1 + r[0] % 255;
	t->opts.dscp = r[0] & 2 ? GIF_DSCP_INHERIT : r[0] % 64;
	t->opts.ecn = r[0] % 3;
	t->opts.pmtudisc = !!(r[0] & 4);
	t->opts.ingress_filter = !!(r[0] & 8);
	t->opts.mtu = r[0] & 16 ? 1280 + r[0] : 0;
	c->ntunnels++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c = {}, back;
	char err[160], *text = NULL;
	size_t len, start = 0;
	FILE *f;

	c.attach = calloc(MAX_ITEMS, sizeof(*c.attach));
	c.tunnels = calloc(MAX_ITEMS, sizeof(*c.tunnels));
	for (size_t i = 0; i <= size && c.nattach < MAX_ITEMS && c.ntunnels < MAX_ITEMS; i++) {
		const uint8_t *r = data + start;
		size_t n = i - start;

		if (i < size && data[i])
			continue;
		start = i + 1;
		if (n && r[0] == 'a' && n - 1 < IF_NAMESIZE) {
			char name[IF_NAMESIZE];
			bool dup = false;

			memcpy(name, r + 1, n - 1);
			name[n - 1] = '\0';
			for (size_t k = 0; k < c.nattach; k++)
				dup |= !strcmp(c.attach[k].name, name);
			if (!dup && parse_ifname(name, err, sizeof(err)))
				snprintf(c.attach[c.nattach++].name, IF_NAMESIZE, "%s", name);
		} else if (n) {
			tunnel_from(&c, r, n, err);
		}
	}
	f = open_memstream(&text, &len);
	config_write(f, &c);
	fclose(f);
	FUZZ_REQUIRE(!config_parse(text, len, &back, err, sizeof(err)),
		     "gifctl could hold this configuration, but its file does not parse: %s\n%s",
		     err, text);
	FUZZ_REQUIRE(back.nattach == c.nattach && back.ntunnels == c.ntunnels,
		     "%zu/%zu attach, %zu/%zu tunnels after writing and parsing:\n%s", c.nattach,
		     back.nattach, c.ntunnels, back.ntunnels, text);
	for (size_t i = 0; i < c.nattach; i++)
		FUZZ_REQUIRE(!strcmp(c.attach[i].name, back.attach[i].name),
			     "attach '%s' parsed back as '%s':\n%s", c.attach[i].name,
			     back.attach[i].name, text);
	for (size_t i = 0; i < c.ntunnels; i++) {
		const struct config_tunnel *x = &c.tunnels[i], *y = &back.tunnels[i];

		FUZZ_REQUIRE(!strcmp(x->name, y->name), "tunnel '%s' parsed back as '%s':\n%s",
			     x->name, y->name, text);
		FUZZ_REQUIRE(!memcmp(&x->pair, &y->pair, sizeof(x->pair)) &&
				     !memcmp(&x->opts, &y->opts, sizeof(x->opts)),
			     "tunnel '%s' parsed back differently:\n%s", x->name, text);
	}
	config_free(&back);
	config_free(&c);
	free(text);
	return 0;
}
