/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath rig of the BPF tests, built once in the binary's private network namespace with
 * the real control-plane code (dp_open, gif_device_create, tun_build/tun_publish_*, stats_*):
 *
 *   ul0 <-> ul1        underlay veth; ul0 has 198.18.0.1/24 and 2001:db8:ff::1/64, permanent
 *                      neighbours 198.18.0.2 and 2001:db8:ff::4 -> UL_REMOTE_MAC (none for
 *                      2001:db8:ff::2 and 198.18.0.4: bpf_fib_lookup says NO_NEIGH for them)
 *   ul2 <-> ul3        a second underlay veth, no tunnel's route: ul2 has 198.18.1.1/24 and
 *                      2001:db8:fe::1/64 (another arrival device for the ingress filter)
 *   gif0 (DEV_GIF4)    198.18.0.1 -> 198.18.0.2
 *   gif6 (DEV_GIF6)    2001:db8:ff::1 -> 2001:db8:ff::2
 *   gifnone            a gif device without endpoints (family GIF_AF_NONE)
 *   gifnr4, gifnr6     tunnels to remotes without a route (198.19.99.2, 2001:db8:ee::2)
 *   gifloop            198.18.0.1 -> 198.19.50.2, routed into gif0 (198.19.50.0/24 dev gif0)
 *   gifnn4             198.18.0.1 -> 198.18.0.4, on ul0's subnet, no neighbour entry
 *   gifnb6             2001:db8:ff::1 -> 2001:db8:ff::4, with a permanent neighbour
 *
 * IPv6 is disabled on the gif devices so that nothing the stack sends (DAD, RS, MLD) runs the
 * TC program behind the tests' backs and moves counters.
 */
#ifndef GIF_UNIT_ENV_H
#define GIF_UNIT_ENV_H

#include "datapath.h"
#include "gif_types.h"
#include "netlink.h"

#define TUN4_LOCAL "198.18.0.1"
#define TUN4_REMOTE "198.18.0.2"
#define TUN6_LOCAL "2001:db8:ff::1"
#define TUN6_REMOTE "2001:db8:ff::2"
#define NOROUTE4_REMOTE "198.19.99.2"
#define NOROUTE6_REMOTE "2001:db8:ee::2"
#define LOOP_REMOTE "198.19.50.2"
#define LOOP_PREFIX "198.19.50.0"
#define NONEIGH4_REMOTE "198.18.0.4"
#define NEIGH6_REMOTE "2001:db8:ff::4"

enum env_dev {
	DEV_GIF4,
	DEV_GIF6,
	DEV_NONE,
	DEV_NOROUTE4,
	DEV_NOROUTE6,
	DEV_LOOP,
	DEV_NONEIGH4,
	DEV_NEIGH6,
	ENV_NDEV
};

/* Counters key 0 (traffic no tunnel claimed), next to the env_dev indices. */
#define ENV_KEY0 ENV_NDEV

struct env_gif {
	struct nl_link link, peer;
	struct gif_tunnel cfg;
};

struct env {
	struct datapath dp;
	struct env_gif gif[ENV_NDEV];
	struct nl_link ul, ul2;
};

extern const unsigned char UL_REMOTE_MAC[6];

/* The rig, set up on first use; NULL (with the reason noted in the current case) on failure. */
const struct env *env_get(void);
void env_put(void);

/*
 * Publishes CFG as DEV's tunnel (same pair, new options), the way `gifctl tunnel set` changes a
 * tunnel's options (ctl/tunnel.c publish(): tun_build, tun_publish_pair BPF_EXIST,
 * tun_publish_dev). Returns true when done; records a failure in the current case otherwise.
 * env_tunnel_reset() publishes the rig's own configuration (e->gif[dev].cfg) again.
 */
bool env_tunnel_set(const struct env *e, int dev, const struct gif_tunnel *cfg);
bool env_tunnel_reset(const struct env *e, int dev);

/* Every counter of every key (ENV_KEY0 and each device) at one moment. */
struct env_counters {
	struct gif_stats s[ENV_NDEV + 1];
};

struct ctr_delta {
	int key;		/* an env_dev or ENV_KEY0 */
	enum gif_counter c;
	long long n;
};

bool env_counters_read(const struct env *e, struct env_counters *out);
/*
 * Checks that between BEFORE and AFTER exactly the counters in D (N of them) moved, each by its n,
 * and no other counter of any key moved. Returns true when so; notes each difference.
 */
#define env_counters_expect(before, after, d, n)                                                   \
	env_counters_expect_at(__FILE__, __LINE__, before, after, d, n)
bool env_counters_expect_at(const char *file, int line, const struct env_counters *before,
			    const struct env_counters *after, const struct ctr_delta *d, int n);

const char *env_key_name(int key);
/* A device's tunnel endpoints as configured (NULL for DEV_NONE). */
const char *env_local(int dev);
const char *env_remote(int dev);

#endif
