/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The underlays gifctl attached its decapsulation to, recorded in gif_underlays (ifindex ->
 * struct gif_underlay: name and mode, datapath.h), so that `gifctl check` can tell an underlay
 * whose program was removed or replaced behind gifctl's back from one gifctl never attached to;
 * and the two ways of decapsulating there: gif_xdp_rx in XDP, gif_tc_rx at TC ingress.
 */
#ifndef GIF_UNDERLAYS_H
#define GIF_UNDERLAYS_H

#include <net/if.h>
#include <linux/types.h>
#include "datapath.h"
#include "gif_types.h"
#include "netlink.h"

/* Records IFINDEX (named NAME) as attached in MODE; -E2BIG when GIF_MAX_UNDERLAYS are recorded. */
int und_record(struct datapath *dp, __u32 ifindex, const char *name, enum gif_decap_mode mode);
/* Forgets IFINDEX; 0 also when it was not recorded. */
int und_forget(const struct datapath *dp, __u32 ifindex);
/* The record of IFINDEX: 0, or -ENOENT. */
int und_get(const struct datapath *dp, __u32 ifindex, struct gif_underlay *u);
/* The recorded underlay after PREV (NULL: the first): 0, or -ENOENT at the end. */
int und_next(const struct datapath *dp, const __u32 *prev, __u32 *ifindex, struct gif_underlay *u);

const char *decap_mode_name(enum gif_decap_mode mode);

/* Attaches dp's XDP program to IFINDEX unless it has one: native, else generic. Sets *GENERIC. */
int und_attach_xdp(const struct datapath *dp, int ifindex, bool *generic);
/* Removes gifctl's XDP program from LINK, only if it is still LINK->xdp_prog_id. */
int und_detach_xdp(const struct nl_link *link);
/* Attaches dp's TC-ingress program to IFINDEX (replacing gifctl's filter there, none other). */
int und_attach_tc(const struct datapath *dp, int ifindex);
int und_detach_tc(int ifindex);
/* The program of gifctl's TC-ingress filter on IFINDEX; 0 when none. */
__u32 und_tc_prog_id(int ifindex);

/* Which of dp's decapsulation programs run on LINK (bits: 1 << enum gif_decap_mode). */
#define DECAP_ON(mode) (1u << (mode))
unsigned int und_attached(const struct datapath *dp, const struct nl_link *link);

/*
 * The underlays among LINKS (N) where dp decapsulates now: each one's index in LINKS into IDX
 * and its mode into MODES (both N long). XDP is found on every link, TC only on recorded
 * underlays (a query each). Returns how many.
 */
size_t und_live(const struct datapath *dp, const struct nl_link *links, size_t n, size_t *idx,
		enum gif_decap_mode *modes);

#endif
