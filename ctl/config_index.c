/* SPDX-License-Identifier: GPL-2.0 */
/* Sorted views of a configuration's tunnels (see config_index.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "config_index.h"

static int by_line(const struct config_tunnel *a, const struct config_tunnel *b)
{
	return (a->line > b->line) - (a->line < b->line);
}

static int cmp_name(const void *x, const void *y)
{
	const struct config_tunnel *a = *(const struct config_tunnel *const *)x;
	const struct config_tunnel *b = *(const struct config_tunnel *const *)y;

	return strcmp(a->name, b->name) ?: by_line(a, b);
}

static int cmp_pair(const void *x, const void *y)
{
	const struct config_tunnel *a = *(const struct config_tunnel *const *)x;
	const struct config_tunnel *b = *(const struct config_tunnel *const *)y;

	return memcmp(&a->pair, &b->pair, sizeof(a->pair)) ?: by_line(a, b);
}

int config_index_build(struct config_index *ix, const struct config *c)
{
	memset(ix, 0, sizeof(*ix));
	ix->by_name = calloc(c->ntunnels + 1, sizeof(*ix->by_name));
	ix->by_pair = calloc(c->ntunnels + 1, sizeof(*ix->by_pair));
	if (!ix->by_name || !ix->by_pair) {
		config_index_free(ix);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->ntunnels; i++) {
		ix->by_name[ix->n++] = &c->tunnels[i];
		if (c->tunnels[i].pair.family)
			ix->by_pair[ix->npairs++] = &c->tunnels[i];
	}
	qsort(ix->by_name, ix->n, sizeof(*ix->by_name), cmp_name);
	qsort(ix->by_pair, ix->npairs, sizeof(*ix->by_pair), cmp_pair);
	return 0;
}

void config_index_free(struct config_index *ix)
{
	free(ix->by_name);
	free(ix->by_pair);
	memset(ix, 0, sizeof(*ix));
}

static int key_name(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct config_tunnel *const *)elem)->name);
}

static int key_pair(const void *key, const void *elem)
{
	return memcmp(key, &(*(const struct config_tunnel *const *)elem)->pair,
		      sizeof(struct gif_pair));
}

const struct config_tunnel *config_index_name(const struct config_index *ix, const char *name)
{
	const struct config_tunnel *const *t = bsearch(name, ix->by_name, ix->n,
						       sizeof(*ix->by_name), key_name);

	return t ? *t : NULL;
}

const struct config_tunnel *config_index_pair(const struct config_index *ix,
					      const struct gif_pair *pair)
{
	const struct config_tunnel *const *t = bsearch(pair, ix->by_pair, ix->npairs,
						       sizeof(*ix->by_pair), key_pair);

	return t ? *t : NULL;
}
