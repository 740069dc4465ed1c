/* SPDX-License-Identifier: GPL-2.0 */
/* `gifctl dump`: this namespace's whole configuration in the file format of `apply`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "dump.h"
#include "log.h"
#include "netlink.h"
#include "tunnels.h"
#include "underlays.h"

static void opts_of(const struct gif_tunnel *cfg, unsigned int mtu, struct tunnel_opts *o)
{
	o->ttl = cfg->ttl;
	o->dscp = cfg->dscp;
	o->ecn = cfg->ecn;
	o->pmtudisc = !!(cfg->flags & GIF_F_PMTUDISC);
	o->ingress_filter = !!(cfg->flags & GIF_F_INGRESS_FILTER);
	o->mtu = mtu;
}

/* The underlays where dp decapsulates now, each with its mode (explicit, as every option). */
static int attachments_of(const struct datapath *dp, const struct nl_link *links, size_t n,
			  struct config *out)
{
	enum gif_decap_mode *modes = calloc(n + 1, sizeof(*modes));
	size_t *idx = calloc(n + 1, sizeof(*idx));
	int err;

	if (modes && idx)
		out->nattach = und_live(dp, links, n, idx, modes);
	for (size_t i = 0; i < out->nattach; i++) {
		memcpy(out->attach[i].name, links[idx[i]].name, IF_NAMESIZE);
		out->attach[i].mode = modes[i] == GIF_DECAP_TC ? ATTACH_TC : ATTACH_XDP;
	}
	err = modes && idx ? 0 : -ENOMEM;
	free(modes);
	free(idx);
	return err;
}

int config_from_system(const struct datapath *dp, struct config *out)
{
	struct gif_tunnel *list = NULL;
	struct nl_link *links = NULL;
	size_t nlinks = 0, n = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (dp->rx_fd < 0)
		return 0;
	if ((err = nl_link_list(&links, &nlinks)) || (err = tun_list(dp, &list, &n)))
		goto out;
	out->attach = calloc(nlinks + 1, sizeof(*out->attach));
	out->tunnels = calloc(n + 1, sizeof(*out->tunnels));
	if (!out->attach || !out->tunnels) {
		err = -ENOMEM;
		goto out;
	}
	if ((err = attachments_of(dp, links, nlinks, out)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct nl_link *l = nl_link_find(links, nlinks, (int)list[i].ifindex);
		struct config_tunnel *t = &out->tunnels[out->ntunnels];

		if (!l)
			continue;
		memcpy(t->name, l->name, IF_NAMESIZE);
		t->pair = tun_pair(&list[i]);
		opts_of(&list[i], l->mtu, &t->opts);
		out->ntunnels++;
	}
out:
	free(links);
	free(list);
	if (err)
		config_free(out);
	return err;
}

int cmd_dump(int argc, char **argv)
{
	struct config c;
	struct datapath dp;
	int err;

	(void)argv;
	if (argc)
		return usage_error("dump", "too many arguments");
	err = dp_find(&dp);
	if (!err || err == -ENOENT)
		err = config_from_system(&dp, &c);
	else
		memset(&c, 0, sizeof(c));
	dp_close(&dp);
	if (err)
		return fail(NULL, "cannot read the configuration: %s%s", strerror(-err),
			    err == -EPERM ? " (gifctl needs root: CAP_NET_ADMIN and CAP_BPF)" : "");
	config_write(stdout, &c);
	config_free(&c);
	return EXIT_OK;
}
