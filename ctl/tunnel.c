/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gifctl tunnel set GIF SRC DST` and `gifctl tunnel delete GIF`. Re-addressing is
 * make-before-break: the new pair is published (uniqueness decided by the kernel, BPF_NOEXIST),
 * the device switches to the new configuration in one map update, then the old pair goes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <bpf/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "ops.h"
#include "device.h"
#include "fault.h"
#include "change.h"
#include "log.h"
#include "parse.h"
#include "switches.h"
#include "tunnels.h"

#define SET_USAGE "tunnel set GIF SRC DST " TUNNEL_OPTS_USAGE
#define DELETE_USAGE "tunnel delete GIF"

/* Explains an -EEXIST from publishing PAIR: which device has it. */
static int pair_taken(const struct datapath *dp, const char *name, const struct gif_pair *pair)
{
	char buf[128], owner[IF_NAMESIZE] = "another device";
	struct nl_link link;
	__u32 ifindex;

	if (!tun_owner(dp, pair, &ifindex) && !nl_link_get_by_index(ifindex, &link))
		snprintf(owner, sizeof(owner), "%s", link.name);
	return fail(name, "%s is already used by %s", pair_str(pair, buf, sizeof(buf)), owner);
}

static void fill_defaults(struct gif_tunnel *cfg, const struct nl_link *gif, int peer_ifindex)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ifindex = gif->ifindex;
	cfg->peer_ifindex = peer_ifindex;
	memcpy(cfg->gif_mac, gif->mac, sizeof(cfg->gif_mac));
	cfg->ttl = GIF_DEFAULT_TTL;
	cfg->dscp = GIF_DSCP_INHERIT;
	cfg->ecn = GIF_ECN_NORMAL;
	cfg->flags = GIF_F_PMTUDISC;
}

static void set_pair(struct gif_tunnel *cfg, const struct gif_pair *pair)
{
	cfg->family = pair->family;
	memcpy(cfg->local, pair->local, sizeof(cfg->local));
	memcpy(cfg->remote, pair->remote, sizeof(cfg->remote));
}

/*
 * The MTU GIF gets: the one asked for (refused when the underlay cannot carry it, or below 1280,
 * the IPv6 minimum, since a gif device carries both families); else the default on a new device;
 * else the current one, lowered when the underlay towards the new pair needs it.
 */
static int choose_mtu(const char *name, const struct nl_link *gif, const struct gif_pair *pair,
		      unsigned int wanted, bool created, unsigned int *mtu)
{
	unsigned int max = gif_default_mtu(pair->family, pair->local, pair->remote);

	if (wanted) {
		if (wanted < 1280)
			return fail(name, "mtu %u is below 1280, the minimum for IPv6 inside", wanted);
		if (max && wanted > max)
			return fail(name, "mtu %u is more than the underlay carries (at most %u)",
				    wanted, max);
		*mtu = wanted;
	} else if (!max) {
		*mtu = created ? 1280 : gif->mtu;
		debug("no route to the remote endpoint yet: MTU %u", *mtu);
	} else {
		*mtu = created || gif->mtu > max ? max : gif->mtu;
	}
	return EXIT_OK;
}

/* Warns when the route to the remote endpoint leads into a gif device (the datapath drops such
 * packets and counts them as tx_loop). */
static void warn_loop(const struct datapath *dp, const char *name, const struct gif_pair *pair)
{
	struct gif_tunnel via;
	struct nl_link link;
	char buf[INET6_ADDRSTRLEN];
	int oif;

	if (nl_route_get(pair->family, pair->remote, NULL, &oif, NULL) || tun_get(dp, oif, &via) ||
	    nl_link_get_by_index(oif, &link))
		return;
	fprintf(stderr, "gifctl: %s %s: warning: the route to %s goes through gif device %s; "
			"its packets would loop and are dropped\n", cmd_name, name,
		addr_str(pair->family, pair->remote, buf, sizeof(buf)), link.name);
}

/*
 * Publishes CFG in place of OLD: the new pair first (make), then the device's switch, then the old
 * pair goes (break). Without a new pair (tunnel delete) that is: encapsulation stops, then
 * decapsulation. A device CREATED by `apply` is switched later, with others (switches.h).
 */
static int publish(const struct datapath *dp, const char *name, const struct gif_tunnel *old,
		   const struct gif_tunnel *cfg, bool created)
{
	struct gif_pair pair = tun_pair(cfg), old_pair = tun_pair(old);
	bool has_new = cfg->family != GIF_AF_NONE, has_old = old->family != GIF_AF_NONE;
	bool same_pair = has_new && has_old && !memcmp(&pair, &old_pair, sizeof(pair));
	int inner = tun_build(dp, cfg), err = 0;

	if (inner < 0)
		return fail(name, "cannot create the tunnel map: %s", strerror(-inner));
	fault_point("config-built");
	if (has_new)
		err = tun_publish_pair(dp, &pair, inner, same_pair ? BPF_EXIST : BPF_NOEXIST);
	if (err) {
		close(inner);
		return err == -EEXIST ? pair_taken(dp, name, &pair)
		       : err == -E2BIG ? fail(name, "the tunnel map is full (%d pairs)", GIF_MAX_TUNNELS)
				       : fail(name, "cannot publish the pair: %s", strerror(-err));
	}
	fault_point("pair-published");
	if (created && has_new && switches_deferred()) {
		int rc = switches_add(dp, name, cfg->ifindex, &pair, inner);

		close(inner);
		if (rc)
			tun_unpublish_pair(dp, &pair);
		else
			fault_point("switch-queued");
		return rc;
	}
	err = tun_publish_dev(dp, cfg->ifindex, inner);
	close(inner);
	if (err) {
		if (has_new && !same_pair)
			tun_unpublish_pair(dp, &pair);
		return switch_failed(name, err);
	}
	fault_point("device-switched");
	if (has_old && !same_pair && (err = tun_unpublish_pair(dp, &old_pair)))
		return fail(name, "cannot remove the old pair: %s", strerror(-err));
	fault_point("old-pair-removed");
	return EXIT_OK;
}

/* Creates gif device NAME with its counters; OLD gets the defaults a new tunnel starts from. */
static int create_device(struct datapath *dp, const char *name, unsigned int mtu,
			 struct nl_link *gif, struct gif_tunnel *old)
{
	struct nl_link peer;
	int err = dp_need_programs(dp);

	if (err)
		return fail(name, "cannot load the datapath: %s", strerror(-err));
	change_creates(name);	/* a kill before its alias is set leaves a pair only this proves ours */
	if (gif_device_create(dp, name, mtu, gif, &peer))
		return EXIT_FAIL;
	fault_point("device-created");
	fill_defaults(old, gif, peer.ifindex);
	old->mtu = gif->mtu;
	if ((err = stats_create(dp, gif->ifindex))) {
		gif_device_delete(gif->ifindex);
		return fail(name, "cannot create counters: %s", strerror(-err));
	}
	fault_point("counters-created");
	return EXIT_OK;
}

int op_tunnel_set(struct datapath *dp, const char *name, const struct gif_pair *pair,
		  const struct tunnel_opts *opts)
{
	struct gif_tunnel old = {}, cfg;
	struct nl_link gif = {};
	unsigned int mtu = 0;
	bool created;
	__u32 owner;
	int rc, err;

	err = nl_link_get(name, &gif);
	if (!err && tun_get(dp, gif.ifindex, &old))
		return fail(name, "exists and is not a gif device");
	if (err && err != -ENODEV)
		return fail(name, "%s", strerror(-err));
	created = err == -ENODEV;
	if (pair && !tun_owner(dp, pair, &owner) && owner != (__u32)gif.ifindex) {
		struct nl_link gone;

		if (nl_link_get_by_index(owner, &gone) != -ENODEV)
			return pair_taken(dp, name, pair);
		/* Its device was deleted behind gifctl's back: what it held is stale. */
		tun_unpublish_pair(dp, pair);
		tun_unpublish_dev(dp, owner);
		stats_delete(dp, owner);
	}
	if (!pair)
		mtu = opts->mtu ? opts->mtu : gif.mtu;
	else if ((rc = choose_mtu(name, &gif, pair, opts->mtu, created, &mtu)))
		return rc;
	if (created && (rc = create_device(dp, name, mtu, &gif, &old)))
		return rc;

	cfg = old;
	if (pair)
		set_pair(&cfg, pair);
	else
		set_pair(&cfg, &(struct gif_pair){ .family = GIF_AF_NONE });
	apply_tunnel_opts(opts, &cfg);
	cfg.mtu = mtu ? mtu : gif.mtu;
	if (!created && !memcmp(&cfg, &old, sizeof(cfg)))
		return EXIT_OK;	/* nothing to change */

	if (cfg.mtu != gif.mtu && (err = nl_link_set_mtu(gif.ifindex, cfg.mtu))) {
		rc = fail(name, "cannot set mtu %u: %s", cfg.mtu, strerror(-err));
		goto out;
	}
	fault_point("mtu-set");
	rc = publish(dp, name, &old, &cfg, created);
	if (rc && !created && cfg.mtu != gif.mtu)
		nl_link_set_mtu(gif.ifindex, gif.mtu);
	if (!rc && pair)
		warn_loop(dp, name, pair);
out:
	if (rc && created) {
		stats_delete(dp, gif.ifindex);
		gif_device_delete(gif.ifindex);
	}
	return rc;
}

/* Opens the datapath (creating it when CREATE), runs OP, closes it. */
static int with_datapath(const char *name, bool create,
			 int (*op)(struct datapath *dp, const char *name, void *arg), void *arg)
{
	struct datapath dp;
	int err = create ? dp_open(&dp) : dp_find(&dp), rc;

	if (err && err != -ENOENT)
		rc = fail(name, "cannot load the datapath: %s", strerror(-err));
	else
		rc = op(&dp, name, arg);	/* without a datapath, NAME is no gif device */
	dp_close(&dp);
	return rc;
}

struct set_args {
	const struct gif_pair *pair;
	const struct tunnel_opts *opts;
};

static int set_op(struct datapath *dp, const char *name, void *arg)
{
	const struct set_args *a = arg;

	return op_tunnel_set(dp, name, a->pair, a->opts);
}

/* tunnel delete: the device must be a gif device; its endpoints go, its options stay. */
static int delete_op(struct datapath *dp, const char *name, void *arg)
{
	struct gif_tunnel cfg;
	struct nl_link gif;
	int rc = gif_find(dp, name, &gif, &cfg);

	(void)arg;
	if (rc || cfg.family == GIF_AF_NONE)
		return rc;
	return op_tunnel_set(dp, name, NULL, &no_tunnel_opts);
}

static int tunnel_set(int argc, char **argv)
{
	struct tunnel_opts opts;
	struct gif_pair pair;
	char err_buf[160];
	int rc;

	if (argc < 3)
		return usage_error(SET_USAGE, "missing arguments");
	if (!parse_ifname(argv[0], err_buf, sizeof(err_buf)))
		return usage_error(SET_USAGE, "'%s': %s", argv[0], err_buf);
	if (!parse_endpoints(argv[1], argv[2], &pair, err_buf, sizeof(err_buf)) ||
	    !parse_tunnel_opts(argc - 3, argv + 3, &opts, err_buf, sizeof(err_buf)))
		return usage_error(SET_USAGE, "%s", err_buf);
	if ((rc = begin_change(argv[0])))
		return rc;
	return with_datapath(argv[0], true, set_op, &(struct set_args){ &pair, &opts });
}

static int tunnel_delete(int argc, char **argv)
{
	char err_buf[160];
	int rc;

	if (argc != 1)
		return usage_error(DELETE_USAGE, argc ? "too many arguments" : "missing GIF");
	if (!parse_ifname(argv[0], err_buf, sizeof(err_buf)))
		return usage_error(DELETE_USAGE, "'%s': %s", argv[0], err_buf);
	if ((rc = begin_change(argv[0])))
		return rc;
	return with_datapath(argv[0], false, delete_op, NULL);
}

int cmd_tunnel(int argc, char **argv)
{
	if (argc && !strcmp(argv[0], "set")) {
		cmd_name = "tunnel set";
		return tunnel_set(argc - 1, argv + 1);
	}
	if (argc && !strcmp(argv[0], "delete")) {
		cmd_name = "tunnel delete";
		return tunnel_delete(argc - 1, argv + 1);
	}
	return usage_error("tunnel { set GIF SRC DST | delete GIF }",
			   argc ? "unknown subcommand '%s'" : "missing subcommand%s",
			   argc ? argv[0] : "");
}
