/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gifctl tunnel set GIF SRC DST` and `gifctl tunnel delete GIF`. Re-addressing is
 * make-before-break: the new pair is published (uniqueness decided by the kernel, BPF_NOEXIST),
 * the device switches to the new configuration in one map update, then the old pair goes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "device.h"
#include "lock.h"
#include "log.h"
#include "parse.h"
#include "tunnels.h"

#define SET_USAGE "tunnel set GIF SRC DST"
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

static void fill_config(struct gif_tunnel *cfg, const struct nl_link *gif, int peer_ifindex,
			const struct gif_pair *pair)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ifindex = gif->ifindex;
	cfg->peer_ifindex = peer_ifindex;
	cfg->family = pair->family;
	cfg->mtu = gif->mtu;
	memcpy(cfg->local, pair->local, sizeof(cfg->local));
	memcpy(cfg->remote, pair->remote, sizeof(cfg->remote));
	memcpy(cfg->gif_mac, gif->mac, sizeof(cfg->gif_mac));
	cfg->ttl = GIF_DEFAULT_TTL;
	cfg->dscp = GIF_DSCP_INHERIT;
	cfg->ecn = GIF_ECN_NORMAL;
	cfg->flags = GIF_F_PMTUDISC;
}

/* Lowers GIF's MTU when the underlay towards the new pair cannot carry it (never raises it,
 * except on a new device, which gets the default). */
static int fit_mtu(struct nl_link *gif, const struct gif_pair *pair, bool created)
{
	unsigned int mtu = gif_default_mtu(pair->family, pair->local, pair->remote);
	int err;

	if (!mtu) {
		mtu = 1280;
		debug("no route to the remote endpoint yet; MTU %u", mtu);
	}
	if (!created && gif->mtu <= mtu)
		return 0;
	err = nl_link_set_mtu(gif->ifindex, mtu);
	if (!err)
		gif->mtu = mtu;
	return err;
}

static int tunnel_set(int argc, char **argv)
{
	struct gif_tunnel old = {}, cfg;
	struct nl_link gif, peer;
	struct gif_pair pair, old_pair;
	struct datapath dp;
	const char *name;
	char err_buf[160];
	bool created = false;
	int rc, err, inner = -1;

	if (argc != 3)
		return usage_error(SET_USAGE, argc < 3 ? "missing arguments" : "too many arguments");
	name = argv[0];
	if (!parse_ifname(name, err_buf, sizeof(err_buf)))
		return usage_error(SET_USAGE, "'%s': %s", name, err_buf);
	if (!parse_endpoints(argv[1], argv[2], &pair, err_buf, sizeof(err_buf)))
		return usage_error(SET_USAGE, "%s", err_buf);
	if ((rc = config_lock(argv[0])))
		return rc;

	err = dp_open(&dp);
	if (err) {
		rc = fail(name, "cannot load the datapath: %s", strerror(-err));
		goto out;
	}
	err = nl_link_get(name, &gif);
	if (!err) {
		if (tun_get(&dp, gif.ifindex, &old)) {
			rc = fail(name, "exists and is not a gif device");
			goto out;
		}
		old_pair = tun_pair(&old);
		if (!memcmp(&old_pair, &pair, sizeof(pair)))
			goto out;	/* the same pair again: nothing to change */
	} else if (err != -ENODEV) {
		rc = fail(name, "%s", strerror(-err));
		goto out;
	}
	if (!tun_owner(&dp, &pair, &(__u32){ 0 })) {
		rc = pair_taken(&dp, name, &pair);
		goto out;
	}
	if (err == -ENODEV) {
		if ((err = dp_need_programs(&dp))) {
			rc = fail(name, "cannot load the datapath: %s", strerror(-err));
			goto out;
		}
		if (gif_device_create(&dp, name, &gif, &peer)) {
			rc = EXIT_FAIL;
			goto out;
		}
		created = true;
		old.peer_ifindex = peer.ifindex;
		if ((err = stats_create(&dp, gif.ifindex))) {
			rc = fail(name, "cannot create counters: %s", strerror(-err));
			goto out;
		}
	}
	if ((err = fit_mtu(&gif, &pair, created))) {
		rc = fail(name, "cannot set the MTU: %s", strerror(-err));
		goto out;
	}

	fill_config(&cfg, &gif, old.peer_ifindex, &pair);
	inner = tun_build(&dp, &cfg);
	if (inner < 0) {
		rc = fail(name, "cannot create the tunnel map: %s", strerror(-inner));
		goto out;
	}
	err = tun_publish_pair(&dp, &pair, inner);
	if (err) {
		rc = err == -EEXIST ? pair_taken(&dp, name, &pair)
				    : fail(name, "cannot publish the pair: %s", strerror(-err));
		goto out;
	}
	err = tun_publish_dev(&dp, gif.ifindex, inner);
	if (err) {
		tun_unpublish_pair(&dp, &pair);
		rc = fail(name, "cannot publish the tunnel: %s", strerror(-err));
		goto out;
	}
	if (old.family != GIF_AF_NONE)
		tun_unpublish_pair(&dp, &old_pair);
out:
	if (rc && created) {
		stats_delete(&dp, gif.ifindex);
		gif_device_delete(gif.ifindex);
	}
	if (inner >= 0)
		close(inner);
	dp_close(&dp);
	return rc;
}

static int tunnel_delete(int argc, char **argv)
{
	struct gif_tunnel old, cfg;
	struct gif_pair old_pair;
	struct datapath dp;
	struct nl_link gif;
	char err_buf[160];
	int rc, err, inner;

	if (argc != 1)
		return usage_error(DELETE_USAGE, argc ? "too many arguments" : "missing GIF");
	if (!parse_ifname(argv[0], err_buf, sizeof(err_buf)))
		return usage_error(DELETE_USAGE, "'%s': %s", argv[0], err_buf);
	if ((rc = config_lock(argv[0])))
		return rc;
	if ((rc = gif_lookup(&dp, argv[0], &gif, &old)))
		return rc;
	if (old.family == GIF_AF_NONE)
		goto out;
	old_pair = tun_pair(&old);
	cfg = old;
	cfg.family = GIF_AF_NONE;
	memset(cfg.local, 0, sizeof(cfg.local));
	memset(cfg.remote, 0, sizeof(cfg.remote));
	/* Stop encapsulating first, then stop decapsulating. */
	inner = tun_build(&dp, &cfg);
	err = inner < 0 ? inner : tun_publish_dev(&dp, gif.ifindex, inner);
	if (inner >= 0)
		close(inner);
	if (!err)
		err = tun_unpublish_pair(&dp, &old_pair);
	if (err)
		rc = fail(argv[0], "cannot remove the endpoints: %s", strerror(-err));
out:
	dp_close(&dp);
	return rc;
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
