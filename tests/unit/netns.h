/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test binary's private network namespace and the few rtnetlink requests the test rig needs
 * beyond ctl/netlink.h (addresses, neighbours, routes). Every function returns 0 or -errno.
 */
#ifndef GIF_UNIT_NETNS_H
#define GIF_UNIT_NETNS_H

#include <stdbool.h>

/* Moves this process into a new network namespace and brings lo up. Call before any socket. */
int netns_enter(void);
/* True once netns_enter() succeeded: nothing may touch the network before. */
bool netns_private(void);

/* ADDR/PREFIX on IFINDEX, without duplicate address detection (IPv6). */
int netns_addr_add(int ifindex, int family, const char *addr, int prefix);
/* A permanent neighbour entry ADDR -> MAC on IFINDEX. */
int netns_neigh_add(int ifindex, int family, const char *addr, const unsigned char mac[6]);
/* A route DST/PREFIX out of IFINDEX (on-link, no gateway). */
int netns_route_add(int family, const char *dst, int prefix, int ifindex);
/* Writes VALUE to /proc/sys/PATH. */
int netns_sysctl(const char *path, const char *value);

#endif
