/* SPDX-License-Identifier: GPL-2.0 */
/* Creating, readying and deleting gif devices (see device.h and README "Device model"). */
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "device.h"
#include "gif_types.h"
#include "fault.h"
#include "log.h"
#include "tc.h"
#include "tunnels.h"

void gif_peer_name(const char *name, char peer[IF_NAMESIZE])
{
	__u32 h = 2166136261u;	/* FNV-1a */

	if (strlen(name) + 3 < IF_NAMESIZE) {
		snprintf(peer, IF_NAMESIZE, "%s-gp", name);
		return;
	}
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(peer, IF_NAMESIZE, "gp-%08x", h);
}

static int write_sysctl(const char *fmt, const char *dev)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), fmt, dev);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, "1", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

static int set_gro(const char *dev, bool on)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_SGRO, .data = on };
	struct ifreq ifr = { .ifr_data = (void *)&ev };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		err = -errno;
	close(fd);
	return err;
}

/*
 * XDP_REDIRECT into the peer needs NAPI on GIF, which a veth enables with GRO; the kernel only
 * acts on a GRO change while the device is up (kernel-facts §3). GIF stays up, as BSD's gif does
 * once configured: IPv6 peer routes of addresses added while a device is down are not restored
 * when it comes up.
 */
static int enable_napi(const struct nl_link *gif)
{
	int err = nl_link_set_up(gif->ifindex, true);

	return err ? err : set_gro(gif->name, true);
}

int gif_attach_tc(int ifindex, int prog_fd)
{
	return tc_filter_attach(ifindex, false, prog_fd);
}

__u32 gif_tc_prog_id(int ifindex)
{
	return tc_filter_prog_id(ifindex, false);
}

/* Each step of readying the pair, in order; errors name the step. */
static int ready_pair(const struct datapath *dp, const struct nl_link *gif,
		      const struct nl_link *peer, const char **step)
{
	int err;

	if ((err = nl_link_set_flags(gif->ifindex, IFF_NOARP, IFF_NOARP)) ||
	    (err = nl_link_set_flags(peer->ifindex, IFF_NOARP, IFF_NOARP))) {
		*step = "setting NOARP";
		return err;
	}
	fault_point("noarp-set");
	if ((err = nl_link_set_addr_gen_none(peer->ifindex))) {
		*step = "disabling IPv6 addresses on the peer";
		return err;
	}
	if ((err = nl_link_set_alias(gif->ifindex, GIF_ALIAS)) ||
	    (err = nl_link_set_alias(peer->ifindex, "gifctl peer (do not configure)"))) {
		*step = "setting the alias";
		return err;
	}
	fault_point("alias-set");
	/* bpf_fib_lookup() refuses to route from a device that does not forward. */
	if ((err = write_sysctl("/proc/sys/net/ipv4/conf/%s/forwarding", peer->name)) ||
	    (err = write_sysctl("/proc/sys/net/ipv6/conf/%s/forwarding", peer->name))) {
		*step = "enabling forwarding on the peer";
		return err;
	}
	fault_point("forwarding-set");
	if ((err = nl_link_set_up(peer->ifindex, true))) {
		*step = "bringing the peer up";
		return err;
	}
	fault_point("peer-up");
	/* While GIF is down: a qdisc grafted on a running device waits for an RCU grace period. */
	if ((err = gif_attach_tc(gif->ifindex, dp->tc_fd))) {
		*step = "attaching the TC program";
		return err;
	}
	fault_point("tc-attached");
	if ((err = enable_napi(gif))) {
		*step = "enabling GRO/NAPI";
		return err;
	}
	return 0;
}

int gif_device_create(const struct datapath *dp, const char *name, unsigned int mtu,
		      struct nl_link *gif, struct nl_link *peer)
{
	char peer_name[IF_NAMESIZE];
	const char *step = "creating the veth pair";
	int err;

	memset(gif, 0, sizeof(*gif));
	gif_peer_name(name, peer_name);
	err = nl_veth_create(name, peer_name, mtu);
	if (err == -EEXIST)
		return fail(name, "cannot create the device: '%s' or its peer '%s' already exists",
			    name, peer_name), err;
	fault_point("veth-created");
	if (!err && (err = nl_link_get(name, gif)) == 0 &&
	    (err = nl_link_get(peer_name, peer)) == 0)
		err = ready_pair(dp, gif, peer, &step);
	if (err) {
		fail(name, "%s: %s", step, strerror(-err));
		if (gif->ifindex > 0)
			gif_device_delete(gif->ifindex);
	}
	return err;
}

int gif_device_delete(int ifindex)
{
	return nl_link_delete(ifindex);
}

unsigned int gif_default_mtu(int family, const __u8 *local, const __u8 *remote)
{
	unsigned int overhead = family == GIF_AF_INET ? 20 : 40, mtu = 0;
	struct nl_link link;
	int oif;

	if (nl_route_get(family, remote, local, &oif, &mtu) &&
	    nl_route_get(family, remote, NULL, &oif, &mtu))
		return 0;
	if (!mtu && !nl_link_get_by_index(oif, &link))
		mtu = link.mtu;
	return mtu > overhead ? mtu - overhead : 0;
}

int gif_find(const struct datapath *dp, const char *name, struct nl_link *link,
	     struct gif_tunnel *cfg)
{
	int err = nl_link_get(name, link);

	if (err == -ENODEV)
		return fail(name, "no such device");
	if (err)
		return fail(name, "%s", strerror(-err));
	if (dp->tx_fd < 0 || tun_get(dp, link->ifindex, cfg))
		return fail(name, "not a gif device");
	return EXIT_OK;
}

int gif_lookup(struct datapath *dp, const char *name, struct nl_link *link,
	       struct gif_tunnel *cfg)
{
	int err = dp_find(dp), rc;

	if (err && err != -ENOENT)
		rc = fail(name, "cannot read the datapath: %s", strerror(-err));
	else if (!(rc = gif_find(dp, name, link, cfg)))
		return EXIT_OK;
	dp_close(dp);
	return rc;
}

int select_tunnels(struct datapath *dp, const char *name, struct gif_tunnel **list, size_t *n)
{
	struct nl_link link;
	int err, rc;

	*list = NULL;
	*n = 0;
	if (name) {
		struct gif_tunnel one;

		if ((rc = gif_lookup(dp, name, &link, &one)))
			return rc;
		if (!(*list = malloc(sizeof(one))))
			return fail(name, "out of memory");
		**list = one;
		*n = 1;
		return EXIT_OK;
	}
	err = dp_find(dp);
	if (err == -ENOENT)
		return EXIT_OK;
	if (err || (err = tun_list(dp, list, n)))
		return fail(NULL, "cannot read the datapath: %s%s", strerror(-err),
			    err == -EPERM ? " (gifctl needs root: CAP_NET_ADMIN and CAP_BPF)" : "");
	return EXIT_OK;
}
