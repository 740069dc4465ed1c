/* SPDX-License-Identifier: GPL-2.0 */
/* rtnetlink operations gifctl needs (links, veth pairs, routes), over libmnl. */
#ifndef GIF_NETLINK_H
#define GIF_NETLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct nl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];		/* IFLA_INFO_KIND ("veth", ...), "" when absent */
	char alias[64];		/* IFLA_IFALIAS, "" when absent */
	int link_ifindex;	/* IFLA_LINK (a veth's peer), 0 when absent or in another netns */
	unsigned int mtu;
	unsigned int flags;	/* ifi_flags: IFF_UP, IFF_NOARP, ... */
	unsigned char mac[6];	/* IFLA_ADDRESS, zero when absent */
	__u32 xdp_prog_id;	/* IFLA_XDP_PROG_ID, 0 when none */
	__u8 xdp_attached;	/* IFLA_XDP_ATTACHED: XDP_ATTACHED_NONE/DRV/SKB/HW/MULTI */
};

/* Every function returns 0 or a negative errno. The first call opens one socket per process. */
int nl_link_get(const char *name, struct nl_link *out);	/* -ENODEV if absent */
int nl_link_get_by_index(int ifindex, struct nl_link *out);	/* -ENODEV if absent */
/* All links of this netns, sorted by ifindex; free(*out). */
int nl_link_list(struct nl_link **out, size_t *count);
/* The link with IFINDEX in a list from nl_link_list(), or NULL. */
const struct nl_link *nl_link_find(const struct nl_link *links, size_t n, int ifindex);

/*
 * Creates a veth pair NAME <-> PEER, both down (NLM_F_EXCL: -EEXIST if either name is taken), NAME
 * with MTU (0: the kernel's default).
 */
int nl_veth_create(const char *name, const char *peer, unsigned int mtu);
int nl_link_delete(int ifindex);
int nl_link_set_up(int ifindex, bool up);
int nl_link_set_mtu(int ifindex, unsigned int mtu);
/* ifi_flags = (ifi_flags & ~change) | (flags & change), e.g. IFF_NOARP. */
int nl_link_set_flags(int ifindex, unsigned int flags, unsigned int change);
/* IFLA_INET6_ADDR_GEN_MODE = IN6_ADDR_GEN_MODE_NONE: no link-local address, no DAD, no RS. */
int nl_link_set_addr_gen_none(int ifindex);
int nl_link_set_alias(int ifindex, const char *alias);

/*
 * RTM_GETROUTE for DST (from SRC when non-NULL), family AF_INET or AF_INET6, addresses in
 * network order. Returns the output ifindex and the route's MTU (RTAX_MTU, 0 when the route has
 * none).
 */
int nl_route_get(int family, const void *dst, const void *src, int *oif, unsigned int *mtu);

#endif
