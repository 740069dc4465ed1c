/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gifctl attach IFACE [mode xdp|tc]` and `gifctl detach IFACE`: the decapsulation program on an
 * underlay, gif_xdp_rx in XDP or gif_tc_rx at the TC ingress.
 */
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
	return attached == XDP_ATTACHED_DRV ? "native XDP" : attached == XDP_ATTACHED_SKB ?
		"generic XDP" : "offloaded XDP";
}

/* How LINK decapsulates now, for messages: "TC ingress", "native XDP", ... */
static const char *attached_name(const struct nl_link *link, unsigned int on)
{
	return on & DECAP_ON(GIF_DECAP_XDP) ? xdp_mode_name(link->xdp_attached) : "TC ingress";
}

/* Refuses a program gifctl did not load where MODE's program goes. */
static int refuse_foreign(const struct datapath *dp, const struct nl_link *link,
			  enum gif_decap_mode mode)
{
	__u32 tc_id;

	if (mode == GIF_DECAP_XDP && link->xdp_prog_id && !dp_owns_prog(dp, link->xdp_prog_id))
		return fail(link->name, "has an XDP program gifctl did not load (id %u); not "
			    "replacing it", link->xdp_prog_id);
	if (mode == GIF_DECAP_TC && (tc_id = und_tc_prog_id(link->ifindex)) &&
	    !dp_owns(dp, tc_id, DP_TC_RX))
		return fail(link->name, "has a TC ingress filter gifctl did not load (program %u) "
			    "at gifctl's handle and priority; not replacing it", tc_id);
	return EXIT_OK;
}

static int record(struct datapath *dp, const struct nl_link *link, enum gif_decap_mode mode)
{
	int err = und_record(dp, link->ifindex, link->name, mode);

	if (!err)
		return EXIT_OK;
	return fail(link->name, "cannot record the attachment: %s", err == -E2BIG ?
		    "gifctl is attached to too many underlays (" STR(GIF_MAX_UNDERLAYS) ")" :
		    err == -EOPNOTSUPP ? "the datapath predates TC mode (detach every underlay "
		    "and destroy every gif device to reload it)" : strerror(-err));
}

/*
 * Attaches MODE's program to LINK (a switch adds it beside the other one). AUTOMATIC: XDP falls
 * back to TC ingress, not to generic XDP, when the driver has no native XDP. Sets *MODE to the
 * mode attached and *HOW to how, for the user.
 */
static int attach_program(struct datapath *dp, const struct nl_link *link,
			  enum gif_decap_mode *mode, bool automatic, const char **how)
{
	bool generic = false;
	int err;

	if (*mode == GIF_DECAP_XDP) {
		err = automatic ? bpf_xdp_attach(link->ifindex, dp->xdp_fd, XDP_FLAGS_UPDATE_IF_NOEXIST |
						 XDP_FLAGS_DRV_MODE, NULL)
				: und_attach_xdp(dp, link->ifindex, &generic);
		if (err == -ERANGE)
			return fail(link->name, "cannot attach XDP: the MTU is too large for native "
				    "XDP on this device (a veth takes about 3500 at most)");
		if (!automatic || (err != -EOPNOTSUPP && err != -EINVAL)) {
			*how = generic ? "generic XDP: the driver has no native XDP" : "native XDP";
			return err ? fail(link->name, "cannot attach XDP: %s", strerror(-err)) : 0;
		}
		debug("%s: no native XDP (%s): TC ingress instead", link->name, strerror(-err));
		*mode = GIF_DECAP_TC;
		if (record(dp, link, *mode))
			return EXIT_FAIL;
	}
	if ((err = dp_need_prog(dp, DP_TC_RX)))
		return fail(link->name, "cannot load the datapath: %s", strerror(-err));
	if ((err = und_attach_tc(dp, link->ifindex)))
		return fail(link->name, "cannot attach to the TC ingress: %s", strerror(-err));
	*how = !automatic ? "TC ingress" : !strcmp(link->kind, "veth") ?
	       "TC ingress: the default on veth" : "TC ingress: the driver has no native XDP";
	return EXIT_OK;
}

/* Removes gifctl's program of MODE from LINK (only gifctl's). */
static int detach_program(const struct datapath *dp, const struct nl_link *link,
			  enum gif_decap_mode mode)
{
	int err;

	if (mode == GIF_DECAP_XDP) {
		/* Removed only if it is still the one inspected (XDP_FLAGS_REPLACE). */
		err = dp_owns_prog(dp, link->xdp_prog_id) ? und_detach_xdp(link) : -ENOENT;
		if (err)
			return fail(link->name, "cannot detach XDP: %s", strerror(-err));
	} else if ((err = und_detach_tc(link->ifindex))) {
		return fail(link->name, "cannot detach from the TC ingress: %s", strerror(-err));
	}
	return EXIT_OK;
}

/*
 * Make-before-break: the new program decapsulates beside the old one (XDP runs first and takes
 * what it decapsulates) before the record says so and the old one goes, so no packet finds
 * neither. A kill in between leaves both: the repair keeps the recorded one (check.c).
 */
static int switch_mode(struct datapath *dp, const struct nl_link *link, enum gif_decap_mode mode,
		       unsigned int on, const char **how)
{
	enum gif_decap_mode attached = mode;

	*how = mode == GIF_DECAP_TC ? "TC ingress" : xdp_mode_name(link->xdp_attached);
	if (!(on & DECAP_ON(mode)) && attach_program(dp, link, &attached, false, how))
		return EXIT_FAIL;
	fault_point("decap-attached");
	if (record(dp, link, mode)) {
		detach_program(dp, link, mode);
		return EXIT_FAIL;
	}
	fault_point("underlay-recorded");
	return detach_program(dp, link, mode == GIF_DECAP_XDP ? GIF_DECAP_TC : GIF_DECAP_XDP);
}

int op_attach_mode(struct datapath *dp, const char *name, enum attach_mode how)
{
	enum gif_decap_mode mode = how == ATTACH_TC ? GIF_DECAP_TC : GIF_DECAP_XDP;
	const char *done = "";
	struct nl_link link;
	unsigned int on;
	int rc, err;

	if ((rc = find_underlay(dp, name, &link)))
		return rc;
	on = und_attached(dp, &link);
	if (on && (how == ATTACH_AUTO || on == DECAP_ON(mode))) {
		printf("%s: already attached (%s)\n", name, attached_name(&link, on));
		return EXIT_OK;
	}
	/* The default: TC on veth (XDP there loses GSO: BENCHMARKS.md), else XDP if native. */
	if (how == ATTACH_AUTO && !strcmp(link.kind, "veth"))
		mode = GIF_DECAP_TC;
	if ((err = dp_need_prog(dp, mode == GIF_DECAP_TC ? DP_TC_RX : DP_XDP_RX)))
		return fail(name, "cannot load the datapath: %s", strerror(-err));
	fault_point("datapath-ready");
	if ((rc = refuse_foreign(dp, &link, mode)))
		return rc;
	if (on) {
		if ((rc = switch_mode(dp, &link, mode, on, &done)))
			return rc;
		printf("%s: switched from %s to %s\n", name, attached_name(&link, on), done);
		return EXIT_OK;
	}
	/* Recorded first: an attachment cut short is one `check --repair` completes. */
	if ((rc = record(dp, &link, mode)))
		return rc;
	fault_point("underlay-recorded");
	if ((rc = attach_program(dp, &link, &mode, how == ATTACH_AUTO, &done))) {
		und_forget(dp, link.ifindex);
		return rc;
	}
	printf("%s: attached (%s)\n", name, done);
	return EXIT_OK;
}

int op_detach(struct datapath *dp, const char *name)
{
	struct nl_link link;
	unsigned int on;
	int rc;

	if ((rc = find_underlay(dp, name, &link)))
		return rc;
	on = und_attached(dp, &link);
	if (!on && link.xdp_prog_id)
		return fail(name, "has an XDP program gifctl did not load (id %u); not removing it",
			    link.xdp_prog_id);
	if (!on)
		return fail(name, "gifctl is not attached here");
	/* The XDP program first: it takes what it decapsulates before TC could see it. */
	if ((on & DECAP_ON(GIF_DECAP_XDP)) && (rc = detach_program(dp, &link, GIF_DECAP_XDP)))
		return rc;
	fault_point("decap-detached");
	if ((on & DECAP_ON(GIF_DECAP_TC)) && (rc = detach_program(dp, &link, GIF_DECAP_TC)))
		return rc;
	und_forget(dp, link.ifindex);
	return EXIT_OK;
}

/* `[mode xdp|tc]` after IFACE. */
static int parse_mode(int argc, char **argv, enum attach_mode *how)
{
	*how = ATTACH_AUTO;
	if (argc == 1)
		return EXIT_OK;
	if (argc > 3 || strcmp(argv[1], "mode"))
		return usage_error(ATTACH_USAGE, "too many arguments");
	if (argc == 2)
		return usage_error(ATTACH_USAGE, "missing MODE after 'mode'");
	if (parse_attach_mode(argv[2], how))
		return EXIT_OK;
	/* The usage status, in the one-line form of an error about the object. */
	fail(argv[0], "unknown mode '%s' (xdp, tc)", argv[2]);
	return EXIT_USAGE;
}

/* Takes the lock, opens the datapath (creating it when CREATE) and runs the operation. */
static int run_on_iface(const char *name, bool create, enum attach_mode how)
{
	struct datapath dp;
	int rc, err;

	if ((rc = begin_change(name)))
		return rc;
	err = create ? dp_open(&dp) : dp_find(&dp);
	if (err && err != -ENOENT)
		rc = fail(name, "cannot load the datapath: %s", strerror(-err));
	else
		rc = create ? op_attach_mode(&dp, name, how) : op_detach(&dp, name);
	dp_close(&dp);
	return rc;
}

int cmd_attach(int argc, char **argv)
{
	enum attach_mode how;
	int rc;

	if ((rc = parse_iface(argc > 1 ? 1 : argc, argv, ATTACH_USAGE)) ||
	    (rc = parse_mode(argc, argv, &how)))
		return rc;
	return run_on_iface(argv[0], true, how);
}

int cmd_detach(int argc, char **argv)
{
	int rc = parse_iface(argc, argv, "detach IFACE");

	return rc ? rc : run_on_iface(argv[0], false, ATTACH_AUTO);
}
