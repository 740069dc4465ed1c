/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants between maps, devices and attachments, verified by `gifctl check` and restored
 * by `check --repair` and by the first change after an interrupted one (README "Crash
 * consistency"). A device's gif_tx entry is the truth: gif_rx entries, counters and devices that
 * disagree with it are brought in line with it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "check.h"
#include "commands.h"
#include "device.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "netlink.h"
#include "parse.h"
#include "tunnels.h"
#include "underlays.h"

struct checker {
	struct datapath *dp;
	struct nl_link *links;
	size_t nlinks;
	bool repair;
	FILE *out;	/* where violations are reported; NULL: nowhere */
	int left;	/* violations not repaired */
};

/* Reports one violation; REPAIRED says whether it was fixed. */
static void violation(struct checker *c, bool repaired, const char *fmt, ...)
{
	va_list ap;

	c->left += !repaired;
	if (!c->out)
		return;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fprintf(c->out, "%s\n", repaired ? " (repaired)" : "");
}

static const struct nl_link *link_at(const struct checker *c, int ifindex)
{
	return nl_link_find(c->links, c->nlinks, ifindex);
}

static const char *link_name(const struct checker *c, int ifindex)
{
	const struct nl_link *l = link_at(c, ifindex);

	return l ? l->name : "(gone)";
}

/* Removes what gifctl holds for a device that is gone: its pair (if still its own), its entry
 * and its counters. */
static bool forget_device(struct checker *c, __u32 ifindex, const struct gif_tunnel *cfg)
{
	struct gif_pair pair = tun_pair(cfg);
	struct gif_tunnel owner;

	if (cfg->family != GIF_AF_NONE && !tun_lookup(c->dp->rx_fd, &pair, &owner, NULL) &&
	    owner.ifindex == ifindex)
		tun_unpublish_pair(c->dp, &pair);
	stats_delete(c->dp, ifindex);
	return !tun_unpublish_dev(c->dp, ifindex);
}

/* Publishes inner map ID under PAIR (the device's own configuration). */
static bool republish_pair(struct checker *c, const struct gif_pair *pair, __u32 id, __u64 flags)
{
	int fd = bpf_map_get_fd_by_id(id);
	bool ok = fd >= 0 && !tun_publish_pair(c->dp, pair, fd, flags);

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool republish_with_mac(struct checker *c, struct gif_tunnel cfg, const __u8 *mac)
{
	struct gif_pair pair = tun_pair(&cfg);
	int fd, err;

	memcpy(cfg.gif_mac, mac, sizeof(cfg.gif_mac));
	fd = tun_build(c->dp, &cfg);
	if (fd < 0)
		return false;
	err = cfg.family == GIF_AF_NONE ? 0 : tun_publish_pair(c->dp, &pair, fd, BPF_EXIST);
	if (!err)
		err = tun_publish_dev(c->dp, cfg.ifindex, fd);
	close(fd);
	return !err;
}

/* The device side of one gif_tx entry: device, peer, program, MAC, pair, counters. */
static void check_device(struct checker *c, __u32 key, const struct gif_tunnel *cfg, __u32 id)
{
	const struct nl_link *gif = link_at(c, key), *peer = link_at(c, cfg->peer_ifindex);
	struct gif_pair pair = tun_pair(cfg);
	char buf[128];
	struct gif_tunnel rx;
	struct gif_stats sum;
	__u32 rx_id;
	bool fixed;

	if (cfg->ifindex != key) {
		violation(c, c->repair && !tun_unpublish_dev(c->dp, key),
			  "gif_tx entry %u holds the configuration of ifindex %u", key, cfg->ifindex);
		return;
	}
	if (!gif || !peer || gif->link_ifindex != peer->ifindex) {
		violation(c, c->repair && forget_device(c, key, cfg),
			  "ifindex %u: gif device or its peer deleted behind gifctl's back", key);
		return;
	}
	if (!dp_owns_tc_prog(c->dp, gif_tc_prog_id(key))) {
		fixed = c->repair && !dp_need_programs(c->dp) && !gif_attach_tc(key, c->dp->tc_fd);
		violation(c, fixed, "%s: encapsulation program not attached", gif->name);
	}
	if (!(peer->flags & IFF_UP))
		violation(c, c->repair && !nl_link_set_up(peer->ifindex, true),
			  "%s: peer %s is down (decapsulated packets cannot arrive)", gif->name,
			  peer->name);
	if (memcmp(gif->mac, cfg->gif_mac, sizeof(cfg->gif_mac))) {
		fixed = c->repair && republish_with_mac(c, *cfg, gif->mac);
		violation(c, fixed, "%s: MAC address changed behind gifctl's back", gif->name);
		/* the device now has a new configuration: its pair is checked against that one */
		if (fixed && bpf_map_lookup_elem(c->dp->tx_fd, &key, &id))
			return;
	}
	if (gif->mtu != cfg->mtu)
		violation(c, c->repair && !nl_link_set_mtu(key, cfg->mtu),
			  "%s: MTU %u, gifctl configured %u (interrupted change, or changed behind "
			  "gifctl's back)", gif->name, gif->mtu, cfg->mtu);
	if (stats_read(c->dp, key, &sum))
		violation(c, c->repair && !stats_create(c->dp, key), "%s: counters missing",
			  gif->name);
	if (cfg->family == GIF_AF_NONE)
		return;
	pair_str(&pair, buf, sizeof(buf));
	if (tun_lookup(c->dp->rx_fd, &pair, &rx, &rx_id))
		violation(c, c->repair && republish_pair(c, &pair, id, BPF_NOEXIST),
			  "%s: %s is not decapsulated (interrupted change)", gif->name, buf);
	else if (rx.ifindex != key)
		violation(c, false, "%s: %s is also used by %s", gif->name, buf,
			  link_name(c, rx.ifindex));
	else if (rx_id != id)
		violation(c, c->repair && republish_pair(c, &pair, id, BPF_EXIST),
			  "%s: decapsulation and encapsulation use different configurations "
			  "(interrupted change)", gif->name);
}

static void check_tx(struct checker *c)
{
	__u32 key, *prev = NULL;

	while (!bpf_map_get_next_key(c->dp->tx_fd, prev, &key)) {
		struct gif_tunnel cfg;
		__u32 id;

		if (tun_lookup(c->dp->tx_fd, &key, &cfg, &id))
			violation(c, c->repair && !tun_unpublish_dev(c->dp, key),
				  "gif_tx entry %u is unreadable", key);
		else
			check_device(c, key, &cfg, id);
		/* The walk restarts when the entry just handled was deleted. */
		prev = bpf_map_lookup_elem(c->dp->tx_fd, &key, &id) ? NULL : &key;
	}
}

/* Every decapsulation entry must be the pair of its device's current configuration. */
static void check_rx(struct checker *c)
{
	struct gif_pair key, *prev = NULL;

	while (!bpf_map_get_next_key(c->dp->rx_fd, prev, &key)) {
		struct gif_tunnel cfg, dev;
		struct gif_pair dev_pair;
		char buf[128];
		__u32 id;

		pair_str(&key, buf, sizeof(buf));
		prev = &key;
		if (tun_lookup(c->dp->rx_fd, &key, &cfg, NULL) ||
		    tun_lookup(c->dp->tx_fd, &cfg.ifindex, &dev, NULL) ||
		    (dev_pair = tun_pair(&dev), memcmp(&dev_pair, &key, sizeof(key)))) {
			violation(c, c->repair && !tun_unpublish_pair(c->dp, &key),
				  "%s: decapsulated for %s, whose tunnel does not have it "
				  "(interrupted change)", buf, link_name(c, cfg.ifindex));
			if (bpf_map_lookup_elem(c->dp->rx_fd, &key, &id))
				prev = NULL;
		}
	}
}

static void check_stats(struct checker *c)
{
	struct gif_tunnel cfg;
	struct gif_stats sum;
	__u32 key, *prev = NULL;

	if (stats_read(c->dp, 0, &sum))
		violation(c, c->repair && !stats_create(c->dp, 0), "counters of key 0 missing");
	while (!bpf_map_get_next_key(c->dp->stats_fd, prev, &key)) {
		prev = &key;
		if (key && tun_get(c->dp, key, &cfg)) {
			violation(c, c->repair && !stats_delete(c->dp, key),
				  "counters of ifindex %u belong to no gif device", key);
			if (c->repair)
				prev = NULL;
		}
	}
}

/*
 * A veth pair named like a gif device and its peer, unknown to the maps, and carrying gifctl's
 * alias: an interrupted creation (or a destroy interrupted after its entries went); so is the one
 * an interrupted change noted it was creating. Any other may be anybody's pair: reported, never
 * deleted.
 */
static void check_orphans(struct checker *c)
{
	char creating[IF_NAMESIZE] = "";	/* killed before its alias: the journal says (journal.h) */
	struct gif_tunnel cfg;

	journal_creating(netns_cookie(), creating);

	for (size_t i = 0; i < c->nlinks; i++) {
		const struct nl_link *l = &c->links[i], *peer;
		char want[IF_NAMESIZE];

		if (strcmp(l->kind, "veth") || !(peer = link_at(c, l->link_ifindex)))
			continue;
		gif_peer_name(l->name, want);
		if (strcmp(peer->name, want) || (c->dp->tx_fd >= 0 && !tun_get(c->dp, l->ifindex, &cfg)))
			continue;
		if (strcmp(l->alias, GIF_ALIAS) && strcmp(l->name, creating))
			violation(c, false, "%s: named like a gif device but not one; if it is an "
				  "interrupted creation, delete it with 'ip link del %s'", l->name,
				  l->name);
		else
			violation(c, c->repair && !gif_device_delete(l->ifindex),
				  "%s: gif device unknown to gifctl's maps (interrupted change)",
				  l->name);
	}
}

/* Underlays running a gif program that does not use this namespace's maps. */
static void check_underlays(struct checker *c)
{
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct nl_link *l = &c->links[i];

		if (!l->xdp_prog_id || !prog_is_gif(l->xdp_prog_id, DP_XDP_RX) ||
		    (c->dp->rx_fd >= 0 && dp_owns_prog(c->dp, l->xdp_prog_id)))
			continue;
		violation(c, false, "%s: runs a gif XDP program of another datapath (id %u); "
			  "remove it with 'ip link set dev %s xdp off', then 'gifctl attach %s'",
			  l->name, l->xdp_prog_id, l->name, l->name);
	}
}

/* What to run to free the place of gifctl's program of MODE on underlay NAME. */
static void remedy(char *buf, size_t len, const char *name, enum gif_decap_mode mode)
{
	if (mode == GIF_DECAP_XDP)
		snprintf(buf, len, "'ip link set dev %s xdp off', then 'gifctl attach %s mode xdp'",
			 name, name);
	else
		snprintf(buf, len, "'tc filter del dev %s ingress pref 1', then 'gifctl attach %s mode "
			 "tc'", name, name);
}

/*
 * One recorded underlay: the program of its recorded mode must be gifctl's and attached; gifctl's
 * program of the other mode must not be (a mode switch cut short: the record decides which stays).
 */
static void check_attachment(struct checker *c, const struct nl_link *l, enum gif_decap_mode mode)
{
	enum gif_decap_mode other = mode == GIF_DECAP_XDP ? GIF_DECAP_TC : GIF_DECAP_XDP;
	const char *what = mode == GIF_DECAP_XDP ? "XDP" : "TC";
	__u32 id = mode == GIF_DECAP_XDP ? l->xdp_prog_id : und_tc_prog_id(l->ifindex);
	unsigned int on = und_attached(c->dp, l);
	enum dp_prog_kind kind = mode == GIF_DECAP_XDP ? DP_XDP_RX : DP_TC_RX;
	char fix[160];
	bool generic;

	if (id && prog_is_gif(id, kind) && !dp_owns(c->dp, id, kind)) {
		/* Reported by check_underlays() (XDP); another datapath's TC program likewise. */
		if (c->repair)
			und_forget(c->dp, l->ifindex);
		return;
	}
	if (id && !(on & DECAP_ON(mode))) {
		remedy(fix, sizeof(fix), l->name, mode);
		violation(c, c->repair && !und_forget(c->dp, l->ifindex),
			  "%s: gifctl's %s program was replaced by program %u behind gifctl's back "
			  "(--repair forgets the attachment; to attach again: %s)", l->name, what, id,
			  fix);
		return;
	}
	if (!id)
		violation(c, c->repair && !dp_need_prog(c->dp, kind) &&
			     !(mode == GIF_DECAP_XDP ? und_attach_xdp(c->dp, l->ifindex, &generic)
						     : und_attach_tc(c->dp, l->ifindex)),
			  "%s: gifctl's %s program was removed behind gifctl's back (--repair "
			  "attaches it again)", l->name, what);
	if (on & DECAP_ON(other))
		violation(c, c->repair && !(other == GIF_DECAP_XDP ? und_detach_xdp(l)
								   : und_detach_tc(l->ifindex)),
			  "%s: gifctl's %s program runs beside the %s one it was switched to "
			  "(interrupted change)", l->name, other == GIF_DECAP_XDP ? "XDP" : "TC",
			  what);
}

/* The underlays gifctl recorded as attached (underlays.h). */
static void check_attachments(struct checker *c)
{
	struct { __u32 ifindex; struct gif_underlay u; } *und;
	__u32 n = 0, *prev = NULL;

	if (c->dp->und_fd < 0 || !(und = calloc(GIF_MAX_UNDERLAYS, sizeof(*und))))
		return;
	while (n < GIF_MAX_UNDERLAYS && !und_next(c->dp, prev, &und[n].ifindex, &und[n].u))
		prev = &und[n++].ifindex;
	for (__u32 i = 0; i < n; i++) {
		const struct nl_link *l = link_at(c, und[i].ifindex);

		if (l)
			check_attachment(c, l, und[i].u.mode);
		else if (c->repair)	/* gone with its device */
			und_forget(c->dp, und[i].ifindex);
	}
	free(und);
}

int check_namespace(struct datapath *dp, bool repair, FILE *out)
{
	struct checker c = { .dp = dp, .repair = repair, .out = out };
	int err = nl_link_list(&c.links, &c.nlinks);

	if (err) {
		violation(&c, false, "cannot list links: %s", strerror(-err));
		return c.left;
	}
	if (dp->rx_fd >= 0) {
		check_tx(&c);
		check_rx(&c);
		check_stats(&c);
	}
	check_orphans(&c);
	check_underlays(&c);
	check_attachments(&c);
	free(c.links);
	return c.left;
}

int cmd_check(int argc, char **argv)
{
	__u64 cookie = netns_cookie();
	bool repair = argc == 1 && !strcmp(argv[0], "--repair");
	struct datapath dp;
	int rc, err, left;
	bool pending;

	if (argc > 1 || (argc == 1 && !repair))
		return usage_error("check [--repair]", argc > 1 ? "too many arguments"
							       : "unknown option '%s'", argv[0]);
	if ((rc = config_lock(NULL)))
		return rc;
	err = dp_find(&dp);
	if (err && err != -ENOENT) {
		dp_close(&dp);
		return fail(NULL, "cannot read the datapath: %s", strerror(-err));
	}
	left = check_namespace(&dp, repair, stdout);
	dp_close(&dp);
	pending = journal_pending(cookie);
	if (pending && repair)
		pending = journal_end(cookie) != 0;
	if (pending) {
		printf("a change in this namespace was interrupted and is not repaired yet\n");
		left++;
	}
	return left ? EXIT_FAIL : EXIT_OK;
}
