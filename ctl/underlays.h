/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The underlays gifctl attached its XDP program to, recorded in gif_underlays (ifindex -> name,
 * datapath.h), so that `gifctl check` can tell an underlay whose program was removed or replaced
 * behind gifctl's back from one gifctl never attached to.
 */
#ifndef GIF_UNDERLAYS_H
#define GIF_UNDERLAYS_H

#include <net/if.h>
#include <linux/types.h>
#include "datapath.h"

/* Records IFINDEX (named NAME) as attached; -E2BIG when GIF_MAX_UNDERLAYS are recorded. */
int und_record(struct datapath *dp, __u32 ifindex, const char *name);
/* Forgets IFINDEX; 0 also when it was not recorded. */
int und_forget(const struct datapath *dp, __u32 ifindex);
/* The recorded underlay after PREV (NULL: the first): 0, or -ENOENT at the end. */
int und_next(const struct datapath *dp, const __u32 *prev, __u32 *ifindex, char name[IF_NAMESIZE]);

/* Attaches dp's XDP program to IFINDEX unless it has one: native, else generic. Sets *GENERIC. */
int und_attach_xdp(const struct datapath *dp, int ifindex, bool *generic);

#endif
