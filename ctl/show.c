/* SPDX-License-Identifier: GPL-2.0 */
/* `gifctl show [GIF]`: every gif device, its endpoints and the underlays gifctl is attached to. */
#include <arpa/inet.h>
#include <stdio.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "device.h"
#include "log.h"
#include "output.h"
#include "parse.h"
#include "tunnels.h"
#include "underlays.h"

int show_stats;

struct view {
	struct nl_link *links;
	size_t nlinks;
	const char **underlays;
	const char **modes;		/* "xdp" or "tc", by underlay */
	const char **labels;		/* text: "ua (tc)" */
	size_t nunderlays;
};

static const struct nl_link *link_by_index(const struct view *v, int ifindex)
{
	return nl_link_find(v->links, v->nlinks, ifindex);
}

/* Text: "underlays ua (tc) ub (xdp)"; JSON: "underlays": names, "underlay_modes": modes. */
static void show_underlays(const struct view *v)
{
	out_text("underlays");
	out_strs("underlays", " %s", out_is_json() ? v->underlays : v->labels, v->nunderlays);
	if (out_is_json())
		out_strs("underlay_modes", "", v->modes, v->nunderlays);
	out_text("%s", v->nunderlays ? "" : " (none)");
}

static void show_tunnel(const struct datapath *dp, const struct view *v,
			const struct gif_tunnel *t)
{
	struct gif_stats sum;
	const struct nl_link *gif = link_by_index(v, t->ifindex);
	const struct nl_link *peer = link_by_index(v, t->peer_ifindex);
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];
	bool has_pair = t->family != GIF_AF_NONE;

	if (!gif)
		return;	/* deleted behind our back; `gifctl check` reports it */
	out_obj_begin();
	out_str("name", "%s:", gif->name);
	out_text(" flags=<%s>", gif->flags & IFF_UP ? "UP" : "DOWN");
	out_uint("mtu", " mtu %llu", gif->mtu);
	out_uint("ifindex", " index %llu", gif->ifindex);
	out_str("peer", " peer %s", peer ? peer->name : NULL);
	out_text("\n\ttunnel ");
	if (has_pair) {
		out_str("family", "%s ", t->family == GIF_AF_INET ? "inet" : "inet6");
		out_str("src", "%s", addr_str(t->family, t->local, local, sizeof(local)));
		out_str("dst", " --> %s", addr_str(t->family, t->remote, remote, sizeof(remote)));
	} else {
		out_text("(no endpoints)");
	}
	out_text("\n\t");
	if (t->ttl == GIF_TTL_INHERIT)
		out_str("ttl", "ttl %s", "inherit");
	else
		out_uint("ttl", "ttl %llu", t->ttl);
	if (t->dscp == GIF_DSCP_INHERIT)
		out_str("dscp", " dscp %s", "inherit");
	else
		out_uint("dscp", " dscp %llu", t->dscp);
	out_str("ecn", " ecn %s", ecn_name(t->ecn));
	out_bool("pmtudisc", " pmtudisc %s", t->flags & GIF_F_PMTUDISC);
	out_bool("ingress_filter", " ingress-filter %s", t->flags & GIF_F_INGRESS_FILTER);
	out_text("\n\t");
	show_underlays(v);
	if (show_stats && !stats_read(dp, t->ifindex, &sum))
		print_counters(&sum);
	else
		out_text("\n");
	out_obj_end();
}

static int collect_underlays(const struct datapath *dp, struct view *v)
{
	enum gif_decap_mode *modes;
	size_t n, *idx;
	int err = nl_link_list(&v->links, &v->nlinks);

	if (err)
		return err;
	n = v->nlinks ? v->nlinks : 1;
	v->underlays = calloc(n, sizeof(*v->underlays));
	v->modes = calloc(n, sizeof(*v->modes));
	v->labels = calloc(n, sizeof(*v->labels));
	modes = calloc(n, sizeof(*modes));
	idx = calloc(n, sizeof(*idx));
	if (!v->underlays || !v->modes || !v->labels || !modes || !idx) {
		free(modes);
		free(idx);
		return -ENOMEM;
	}
	v->nunderlays = und_live(dp, v->links, v->nlinks, idx, modes);
	for (size_t i = 0; i < v->nunderlays && !err; i++) {
		v->underlays[i] = v->links[idx[i]].name;
		v->modes[i] = decap_mode_name(modes[i]);
		if (asprintf((char **)&v->labels[i], "%s (%s)", v->underlays[i], v->modes[i]) < 0) {
			v->labels[i] = NULL;
			err = -ENOMEM;
		}
	}
	free(modes);
	free(idx);
	return err;
}

static void free_view(struct view *v)
{
	for (size_t i = 0; v->labels && i < v->nunderlays; i++)
		free((char *)v->labels[i]);
	free(v->labels);
	free(v->modes);
	free(v->underlays);
	free(v->links);
}

int cmd_show(int argc, char **argv)
{
	struct view v = {};
	struct gif_tunnel *list;
	struct datapath dp;
	size_t n;
	int rc, err;

	if (argc > 1)
		return usage_error("show [GIF]", "too many arguments");
	if ((rc = select_tunnels(&dp, argc ? argv[0] : NULL, &list, &n)))
		goto out;
	if ((err = collect_underlays(&dp, &v))) {
		rc = fail(NULL, "cannot list links: %s", strerror(-err));
		goto out;
	}
	out_list_begin();
	if (!n && !out_is_json()) {
		show_underlays(&v);
		out_text("\n");
	}
	for (size_t i = 0; i < n; i++)
		show_tunnel(&dp, &v, &list[i]);
	out_list_end();
out:
	free(list);
	free_view(&v);
	dp_close(&dp);
	return rc;
}
