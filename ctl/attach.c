/* SPDX-License-Identifier: GPL-2.0 */
/* `gifctl attach IFACE` and `gifctl detach IFACE`: the decapsulation program on an underlay. */
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "commands.h"
#include "ops.h"
#include "device.h"
#include "fault.h"
#include "change.h"
#include "log.h"
#include "parse.h"
#include "tunnels.h"
#include "underlays.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static int parse_iface(int argc, char **argv, const char *usage)
{
	char err[128];

	if (argc != 1)
		return usage_error(usage, argc ? "too many arguments" : "missing IFACE");
	if (!parse_ifname(argv[0], err, sizeof(err)))
		return usage_error(usage, "'%s': %s", argv[0], err);
	return EXIT_OK;
}

/* True when IFINDEX is a gif device or the hidden peer of one (known from the maps alone: a
 * veth's IFLA_LINK may be an ifindex in another namespace). */
static bool is_gif_or_peer(const struct datapath *dp, int ifindex)
{
	struct gif_tunnel cfg, *list;
	bool gif = false;
	size_t n;

	if (dp->rx_fd < 0)
		return false;
	if (!tun_get(dp, ifindex, &cfg))
		return true;
	if (tun_list(dp, &list, &n))
		return false;
	for (size_t i = 0; i < n && !gif; i++)
		gif = (int)list[i].peer_ifindex == ifindex;
	free(list);
	return gif;
}

/* The underlay named NAME; refuses gif devices and their peers. */
static int find_underlay(const struct datapath *dp, const char *name, struct nl_link *link)
{
	int err = nl_link_get(name, link);

	if (err)
		return fail(name, "%s", err == -ENODEV ? "no such device" : strerror(-err));
	if (is_gif_or_peer(dp, link->ifindex))
		return fail(name, "is a gif device, not an underlay");
	return EXIT_OK;
}

static const char *xdp_mode_name(__u8 attached)
{
	return attached == XDP_ATTACHED_DRV ? "native" : attached == XDP_ATTACHED_SKB ? "generic" :
										"offloaded";
}

int op_attach(struct datapath *dp, const char *name)
{
	struct nl_link link;
	bool generic;
	int rc, err = dp_need_programs(dp);

	if (err)
		return fail(name, "cannot load the datapath: %s", strerror(-err));
	fault_point("datapath-ready");
	if ((rc = find_underlay(dp, name, &link)))
		return rc;
	if (link.xdp_prog_id && !dp_owns_prog(dp, link.xdp_prog_id))
		return fail(name, "has an XDP program gifctl did not load (id %u); not replacing it",
			    link.xdp_prog_id);
	/* Recorded first: an attachment cut short is one `check --repair` completes. */
	err = und_record(dp, link.ifindex, link.name);
	if (err)
		return fail(name, "cannot record the attachment: %s", err == -E2BIG ?
			    "gifctl is attached to too many underlays (" STR(GIF_MAX_UNDERLAYS) ")" :
			    strerror(-err));
	if (link.xdp_prog_id) {
		printf("%s: already attached (%s XDP)\n", name, xdp_mode_name(link.xdp_attached));
		return EXIT_OK;
	}
	err = und_attach_xdp(dp, link.ifindex, &generic);
	if (err) {
		und_forget(dp, link.ifindex);
		return fail(name, "cannot attach XDP: %s", err == -ERANGE ?
			    "the MTU is too large for native XDP on this device (a veth takes "
			    "about 3500 at most)" : strerror(-err));
	}
	printf("%s: attached (%s)\n", name, generic ? "generic XDP: the driver has no native XDP"
						     : "native XDP");
	return EXIT_OK;
}

int op_detach(struct datapath *dp, const char *name)
{
	struct nl_link link;
	__u32 mode;
	int rc, err, fd;

	if ((rc = find_underlay(dp, name, &link)))
		return rc;
	if (!link.xdp_prog_id)
		return fail(name, "gifctl is not attached here");
	if (dp->rx_fd < 0 || !dp_owns_prog(dp, link.xdp_prog_id))
		return fail(name, "has an XDP program gifctl did not load (id %u); not removing it",
			    link.xdp_prog_id);
	/* Removes the program only if it is still the one inspected (XDP_FLAGS_REPLACE). */
	fd = bpf_prog_get_fd_by_id(link.xdp_prog_id);
	if (fd < 0)
		return fail(name, "cannot detach XDP: %s", strerror(errno));
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = fd);
	mode = link.xdp_attached == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	err = bpf_xdp_detach(link.ifindex, mode, &opts);
	close(fd);
	if (err)
		return fail(name, "cannot detach XDP: %s", strerror(-err));
	und_forget(dp, link.ifindex);
	return EXIT_OK;
}

/* Parses IFACE, takes the lock, opens the datapath (creating it when CREATE) and runs OP. */
static int run_on_iface(int argc, char **argv, const char *usage, bool create,
			int (*op)(struct datapath *dp, const char *name))
{
	struct datapath dp;
	int rc, err;

	if ((rc = parse_iface(argc, argv, usage)) || (rc = begin_change(argv[0])))
		return rc;
	err = create ? dp_open(&dp) : dp_find(&dp);
	if (err && err != -ENOENT)
		rc = fail(argv[0], "cannot load the datapath: %s", strerror(-err));
	else
		rc = op(&dp, argv[0]);
	dp_close(&dp);
	return rc;
}

int cmd_attach(int argc, char **argv)
{
	return run_on_iface(argc, argv, "attach IFACE", true, op_attach);
}

int cmd_detach(int argc, char **argv)
{
	return run_on_iface(argc, argv, "detach IFACE", false, op_detach);
}
