// SPDX-License-Identifier: GPL-2.0
/* gif_peer_name (ctl/device.c): NAME-gp, or gp-<FNV-1a of NAME> when that does not fit. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include "device.h"
#include "suites.h"
#include "test.h"

/* FNV-1a, 32 bits (the README's "8 hex digits of a hash of the name"). */
static unsigned int fnv1a(const char *s)
{
	unsigned int h = 0x811c9dc5;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x01000193;
	}
	return h;
}

struct peer_case {
	const char *name;
	const char *peer;	/* NULL: gp-<hash> */
};

static const struct peer_case cases[] = {
	{ "gif0", "gif0-gp" },
	{ "a", "a-gp" },
	{ "abcdefghijkl", "abcdefghijkl-gp" },	/* 12 + 3 = 15: fits */
	{ "abcdefghijklm", NULL },		/* 13: does not */
	{ "abcdefghijklmno", NULL },
};

void test_names(void)
{
	char peer[IF_NAMESIZE], other[IF_NAMESIZE], want[IF_NAMESIZE];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct peer_case *c = &cases[i];

		if (!test_start("names: peer of \"%s\"", c->name))
			continue;
		if (c->peer)
			snprintf(want, sizeof(want), "%s", c->peer);
		else
			snprintf(want, sizeof(want), "gp-%08x", fnv1a(c->name));
		memset(peer, 0, sizeof(peer));
		gif_peer_name(c->name, peer);
		ASSERT_STREQ(peer, want, "peer name");
		test_end();
	}
	if (test_start("names: long names differing in the last character")) {
		gif_peer_name("abcdefghijklmn1", peer);
		gif_peer_name("abcdefghijklmn2", other);
		CHECK(strcmp(peer, other), "both peers are %s", peer);
		test_end();
	}
}
