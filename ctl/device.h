/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gif device model: a veth pair. GIF is the end users address and route into; its hidden
 * peer (GIF-gp) is where decapsulated frames are redirected so that they arrive on GIF.
 */
#ifndef GIF_DEVICE_H
#define GIF_DEVICE_H

#include "datapath.h"
#include "gif_types.h"
#include "netlink.h"

/* The alias gifctl gives a gif device: what proves a device unknown to the maps is gifctl's. */
#define GIF_ALIAS "gifctl tunnel"

/* NAME-gp when that fits in 15 characters, else gp-XXXXXXXX from a hash of NAME. */
void gif_peer_name(const char *name, char peer[IF_NAMESIZE]);

/*
 * Creates the pair and readies it for the datapath (NOARP, peer up with forwarding, NAPI on GIF,
 * encapsulation program on GIF's egress), GIF with MTU (0: the kernel's default). On failure
 * nothing is left behind.
 */
int gif_device_create(const struct datapath *dp, const char *name, unsigned int mtu,
		      struct nl_link *gif, struct nl_link *peer);
/* The encapsulation program on a gif device's egress: attach (or replace), and its id (0: none). */
int gif_attach_tc(int ifindex, int prog_fd);
__u32 gif_tc_prog_id(int ifindex);
/* Deletes the pair (deleting either end deletes both). */
int gif_device_delete(int ifindex);

/* Finds gif device NAME in an open datapath: EXIT_OK, or EXIT_FAIL after saying why. */
int gif_find(const struct datapath *dp, const char *name, struct nl_link *link,
	     struct gif_tunnel *cfg);
/*
 * Finds gif device NAME: opens the datapath into *dp, fills *link and *cfg. Returns EXIT_OK, or
 * EXIT_FAIL after saying why (dp is then closed).
 */
int gif_lookup(struct datapath *dp, const char *name, struct nl_link *link,
	       struct gif_tunnel *cfg);

/*
 * The tunnel of gif device NAME, or with NAME NULL every tunnel (none when there is no
 * datapath): opens the datapath into *dp (close it whatever the result) and fills a malloc'ed
 * list. EXIT_OK, or EXIT_FAIL after saying why.
 */
int select_tunnels(struct datapath *dp, const char *name, struct gif_tunnel **list, size_t *n);

/* The MTU a gif device needs over the underlay the route to REMOTE uses; 0 when unknown. */
unsigned int gif_default_mtu(int family, const __u8 *local, const __u8 *remote);

#endif
