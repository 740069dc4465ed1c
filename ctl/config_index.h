/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A configuration's tunnels sorted by name and by endpoint pair, so that files and namespaces of
 * thousands of tunnels are matched in O(n log n): a scan of every tunnel for each tunnel made
 * `gifctl apply` of 10,000 tunnels spend most of its own time comparing names.
 */
#ifndef GIF_CONFIG_INDEX_H
#define GIF_CONFIG_INDEX_H

#include "config.h"

struct config_index {
	const struct config_tunnel **by_name;	/* every tunnel, by name, then line */
	const struct config_tunnel **by_pair;	/* the tunnels with endpoints, by pair, then line */
	size_t n, npairs;
};

/* Indexes C's tunnels, which must not move or change while the index is used; -ENOMEM. */
int config_index_build(struct config_index *ix, const struct config *c);
void config_index_free(struct config_index *ix);

/* A tunnel with this name or this pair (family set), or NULL. */
const struct config_tunnel *config_index_name(const struct config_index *ix, const char *name);
const struct config_tunnel *config_index_pair(const struct config_index *ix,
					      const struct gif_pair *pair);

#endif
