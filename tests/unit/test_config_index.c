// SPDX-License-Identifier: GPL-2.0
/*
 * config_index (ctl/config_index.c): every tunnel of a large configuration is found by name and
 * by pair, nothing else is; config_parse names the first line repeating an earlier one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "config_index.h"
#include "suites.h"
#include "test.h"

#define N_TUNNELS 2000

/* Tunnel I: "tI" on line I + 1, 198.18.0.1 -> 198.19.I/256.I%256 (none when I % 7 == 3). */
static void make_tunnel(struct config_tunnel *t, unsigned int i)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "t%u", i);
	t->line = i + 1;
	if (i % 7 == 3)
		return;
	t->pair.family = GIF_AF_INET;
	memcpy(t->pair.local, (__u8[]){ 198, 18, 0, 1 }, 4);
	memcpy(t->pair.remote, (__u8[]){ 198, 19, i / 256, i % 256 }, 4);
}

static void test_lookups(void)
{
	struct config c = { .ntunnels = N_TUNNELS };
	struct config_index ix;
	struct config_tunnel absent;
	int missed = 0;

	if (!test_start("config index: %d tunnels found by name and pair, absent ones not",
			N_TUNNELS))
		return;
	c.tunnels = calloc(N_TUNNELS, sizeof(*c.tunnels));
	/* Stored in an order unlike both sort orders. */
	for (unsigned int i = 0; c.tunnels && i < N_TUNNELS; i++)
		make_tunnel(&c.tunnels[i], (i * 769) % N_TUNNELS);
	if (ASSERT_TRUE(c.tunnels, "allocation") && ASSERT_OK(config_index_build(&ix, &c), "build")) {
		for (unsigned int i = 0; i < N_TUNNELS; i++) {
			const struct config_tunnel *t = &c.tunnels[i];

			missed += config_index_name(&ix, t->name) != t;
			missed += t->pair.family && config_index_pair(&ix, &t->pair) != t;
		}
		ASSERT_EQ(missed, 0, "tunnels not found as themselves");
		make_tunnel(&absent, N_TUNNELS);
		CHECK(!config_index_name(&ix, absent.name), "%s found", absent.name);
		CHECK(!config_index_name(&ix, ""), "empty name found");
		CHECK(!config_index_pair(&ix, &absent.pair), "the pair of %s found", absent.name);
		make_tunnel(&absent, 3);
		CHECK(!config_index_pair(&ix, &absent.pair), "a tunnel without endpoints found");
		ASSERT_EQ(ix.npairs, N_TUNNELS - (N_TUNNELS + 3) / 7, "tunnels with endpoints");
		config_index_free(&ix);
	}
	free(c.tunnels);
	test_end();
}

/* A file of N_TUNNELS distinct tunnels, then LAST (with a newline) appended. */
static char *file_with(const char *last)
{
	size_t cap = N_TUNNELS * 64 + 256, n = 0;
	char *text = malloc(cap);

	for (unsigned int i = 0; text && i < N_TUNNELS; i++)
		n += snprintf(text + n, cap - n, "tunnel t%u 198.18.0.1 198.19.%u.%u\n", i, i / 256,
			      i % 256);
	if (text)
		snprintf(text + n, cap - n, "%s\n", last);
	return text;
}

static void test_repeats(void)
{
	static const struct {
		const char *last, *err;
	} cases[] = {
		/* 2000 tunnels in file order; the answer must not depend on the sort orders. */
		{ "tunnel t1999 198.18.0.1 198.19.200.1",
		  "line 2001: t1999 is configured on line 2000 already" },
		{ "tunnel u 198.18.0.1 198.19.0.17", "line 2001: u uses the endpoints of t17 (line 18)" },
		/* Repeating two tunnels: the one on the earlier line is named. */
		{ "tunnel t5 198.18.0.1 198.19.0.9", "line 2001: t5 is configured on line 6 already" },
		{ "tunnel t9 198.18.0.1 198.19.0.5", "line 2001: t9 uses the endpoints of t5 (line 6)" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text, err[256] = "";
		struct config c;

		if (!test_start("config parse: %d lines, then \"%s\"", N_TUNNELS, cases[i].last))
			continue;
		text = file_with(cases[i].last);
		if (ASSERT_TRUE(text, "allocation") &&
		    CHECK(config_parse(text, strlen(text), &c, err, sizeof(err)), "parsed"))
			ASSERT_STREQ(err, cases[i].err, "error");
		free(text);
		test_end();
	}
}

void test_config_index(void)
{
	test_lookups();
	test_repeats();
}
