// SPDX-License-Identifier: GPL-2.0
/* The datapath rig of env.h, built with gifctl's own control-plane code. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "device.h"
#include "env.h"
#include "netns.h"
#include "parse.h"
#include "test.h"
#include "tunnels.h"

const unsigned char UL_REMOTE_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

#define UL2_ADDR4 "198.18.1.1"
#define UL2_ADDR6 "2001:db8:fe::1"

static const struct {
	const char *name;
	const char *local, *remote;	/* NULL: no endpoints */
} devs[ENV_NDEV] = {
	[DEV_GIF4] = { "gif0", TUN4_LOCAL, TUN4_REMOTE },
	[DEV_GIF6] = { "gif6", TUN6_LOCAL, TUN6_REMOTE },
	[DEV_NONE] = { "gifnone", NULL, NULL },
	[DEV_NOROUTE4] = { "gifnr4", TUN4_LOCAL, NOROUTE4_REMOTE },
	[DEV_NOROUTE6] = { "gifnr6", TUN6_LOCAL, NOROUTE6_REMOTE },
	[DEV_LOOP] = { "gifloop", TUN4_LOCAL, LOOP_REMOTE },
	[DEV_NONEIGH4] = { "gifnn4", TUN4_LOCAL, NONEIGH4_REMOTE },
	[DEV_NEIGH6] = { "gifnb6", TUN6_LOCAL, NEIGH6_REMOTE },
};

static const char *const counter_names[] = { GIF_COUNTER_NAMES };

static struct env env;
static int state;	/* 0: not tried, 1: ready, -1: failed (why says why) */
static char why[256];

static int failed(int err, const char *step)
{
	snprintf(why, sizeof(why), "%s: %s", step, strerror(err < 0 ? -err : err));
	return err ? err : -EINVAL;
}

/* A veth pair NAME <-> PEER, both up, NAME with ADDR4/24 and ADDR6/64, read into *LINK. */
static int setup_veth(const char *name, const char *peer, const char *addr4, const char *addr6,
		      struct nl_link *link)
{
	struct nl_link other;
	char step[64];
	int err;

	snprintf(step, sizeof(step), "setting up veth %s/%s", name, peer);
	if ((err = nl_veth_create(name, peer, 0)) || (err = nl_link_get(name, link)) ||
	    (err = nl_link_get(peer, &other)) || (err = nl_link_set_up(other.ifindex, true)) ||
	    (err = nl_link_set_up(link->ifindex, true)) ||
	    (err = netns_addr_add(link->ifindex, AF_INET, addr4, 24)) ||
	    (err = netns_addr_add(link->ifindex, AF_INET6, addr6, 64)))
		return failed(err, step);
	return 0;
}

static int setup_underlay(void)
{
	int err;

	if ((err = setup_veth("ul0", "ul1", TUN4_LOCAL, TUN6_LOCAL, &env.ul)) ||
	    (err = setup_veth("ul2", "ul3", UL2_ADDR4, UL2_ADDR6, &env.ul2)))
		return err;
	if ((err = netns_neigh_add(env.ul.ifindex, AF_INET, TUN4_REMOTE, UL_REMOTE_MAC)) ||
	    (err = netns_neigh_add(env.ul.ifindex, AF_INET6, NEIGH6_REMOTE, UL_REMOTE_MAC)))
		return failed(err, "adding ul0's neighbours");
	return 0;
}

/* One gif device and its tunnel, the way `gifctl tunnel set` makes them (ctl/tunnel.c). */
static int setup_gif(int i)
{
	struct env_gif *g = &env.gif[i];
	struct gif_tunnel *cfg = &g->cfg;
	struct gif_pair pair = { .family = GIF_AF_NONE };
	char err_buf[160], step[64];
	int err, inner;

	snprintf(step, sizeof(step), "creating %s", devs[i].name);
	if ((err = gif_device_create(&env.dp, devs[i].name, 0, &g->link, &g->peer)) ||
	    (err = nl_link_get(devs[i].name, &g->link)))
		return failed(err, step);
	if ((err = stats_create(&env.dp, g->link.ifindex)))
		return failed(err, "creating counters");
	if (devs[i].local &&
	    !parse_endpoints(devs[i].local, devs[i].remote, &pair, err_buf, sizeof(err_buf))) {
		snprintf(why, sizeof(why), "%s: %s", devs[i].name, err_buf);
		return -EINVAL;
	}
	memset(cfg, 0, sizeof(*cfg));
	cfg->ifindex = g->link.ifindex;
	cfg->peer_ifindex = g->peer.ifindex;
	cfg->family = pair.family;
	cfg->mtu = g->link.mtu;
	memcpy(cfg->local, pair.local, sizeof(cfg->local));
	memcpy(cfg->remote, pair.remote, sizeof(cfg->remote));
	memcpy(cfg->gif_mac, g->link.mac, sizeof(cfg->gif_mac));
	cfg->ttl = GIF_DEFAULT_TTL;
	cfg->dscp = GIF_DSCP_INHERIT;
	cfg->ecn = GIF_ECN_NORMAL;
	cfg->flags = GIF_F_PMTUDISC;

	inner = tun_build(&env.dp, cfg);
	if (inner < 0)
		return failed(inner, "building the tunnel map");
	err = pair.family == GIF_AF_NONE ? 0 : tun_publish_pair(&env.dp, &pair, inner, BPF_NOEXIST);
	if (!err)
		err = tun_publish_dev(&env.dp, g->link.ifindex, inner);
	close(inner);
	return err ? failed(err, "publishing the tunnel") : 0;
}

static int setup(void)
{
	int err;

	if (!netns_private()) {
		snprintf(why, sizeof(why), "not in a private network namespace (run as root)");
		return -EPERM;
	}
	if ((err = setup_underlay()))
		return err;
	/* Devices created from now on have no IPv6: the stack sends nothing through gif devices. */
	if ((err = netns_sysctl("net/ipv6/conf/default/disable_ipv6", "1")))
		return failed(err, "disabling IPv6 on new devices");
	if ((err = dp_open(&env.dp)))
		return failed(err, "dp_open");
	for (int k = 0; k < DP_NKINDS; k++)
		if ((err = dp_need_prog(&env.dp, k)))
			return failed(err, "dp_need_prog");
	for (int i = 0; i < ENV_NDEV; i++)
		if ((err = setup_gif(i)))
			return err;
	if ((err = netns_route_add(AF_INET, LOOP_PREFIX, 24, env.gif[DEV_GIF4].link.ifindex)))
		return failed(err, "adding the route " LOOP_PREFIX "/24 dev gif0");
	return 0;
}

bool env_tunnel_set(const struct env *e, int dev, const struct gif_tunnel *cfg)
{
	struct gif_pair pair = tun_pair(cfg);
	int inner = tun_build(&e->dp, cfg), err;

	if (!CHECK(inner >= 0, "tun_build(%s): %s", devs[dev].name, strerror(-inner)))
		return false;
	err = pair.family == GIF_AF_NONE ? 0 : tun_publish_pair(&e->dp, &pair, inner, BPF_EXIST);
	if (!err)
		err = tun_publish_dev(&e->dp, e->gif[dev].link.ifindex, inner);
	close(inner);
	return CHECK(!err, "publishing %s's configuration: %s", devs[dev].name, strerror(-err));
}

bool env_tunnel_reset(const struct env *e, int dev)
{
	return env_tunnel_set(e, dev, &e->gif[dev].cfg);
}

const struct env *env_get(void)
{
	if (!state)
		state = setup() ? -1 : 1;
	if (state < 0) {
		CHECK(false, "no datapath rig: %s", why);
		return NULL;
	}
	return &env;
}

void env_put(void)
{
	if (state > 0)
		dp_close(&env.dp);
	state = 0;
}

const char *env_key_name(int key)
{
	return key == ENV_KEY0 ? "key 0" : devs[key].name;
}

const char *env_local(int dev)
{
	return devs[dev].local;
}

const char *env_remote(int dev)
{
	return devs[dev].remote;
}

bool env_counters_read(const struct env *e, struct env_counters *out)
{
	bool ok = true;

	for (int k = 0; k <= ENV_NDEV; k++) {
		__u32 key = k == ENV_KEY0 ? 0 : e->gif[k].link.ifindex;
		int err = stats_read(&e->dp, key, &out->s[k]);

		ok &= CHECK(!err, "stats_read(%s): %s", env_key_name(k), strerror(-err));
	}
	return ok;
}

bool env_counters_expect_at(const char *file, int line, const struct env_counters *before,
			    const struct env_counters *after, const struct ctr_delta *d, int n)
{
	bool ok = true;

	for (int k = 0; k <= ENV_NDEV; k++) {
		for (int c = 0; c < GIF_COUNTERS; c++) {
			long long want = 0, got = after->s[k].c[c] - before->s[k].c[c];

			for (int i = 0; i < n; i++)
				if (d[i].key == k && (int)d[i].c == c)
					want += d[i].n;
			if (got != want)
				ok = test_check(false, file, line,
						"counter %s %s moved by %lld, expected %lld",
						env_key_name(k),
						c < GIF_C_USED ? counter_names[c] : "(unused)", got,
						want);
		}
	}
	return ok;
}
