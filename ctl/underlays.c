/* SPDX-License-Identifier: GPL-2.0 */
/* The record of the underlays gifctl attached to, and attaching decapsulation there (underlays.h). */
#include <errno.h>
#include <linux/if_link.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "tc.h"
#include "underlays.h"

/* A gif_underlays map made before struct gif_underlay had a mode holds only the name. */
static __u32 value_size(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.value_size;
}

int und_record(struct datapath *dp, __u32 ifindex, const char *name, enum gif_decap_mode mode)
{
	struct gif_underlay u = { .mode = mode };
	int err = dp_need_underlays(dp);

	if (err)
		return err;
	if (mode != GIF_DECAP_XDP && value_size(dp->und_fd) < sizeof(u))
		return -EOPNOTSUPP;
	strncpy(u.name, name, sizeof(u.name) - 1);
	return bpf_map_update_elem(dp->und_fd, &ifindex, &u, BPF_ANY) ? -errno : 0;
}

int und_forget(const struct datapath *dp, __u32 ifindex)
{
	if (dp->und_fd < 0 || !bpf_map_delete_elem(dp->und_fd, &ifindex) || errno == ENOENT)
		return 0;
	return -errno;
}

int und_get(const struct datapath *dp, __u32 ifindex, struct gif_underlay *u)
{
	memset(u, 0, sizeof(*u));
	if (dp->und_fd < 0 || bpf_map_lookup_elem(dp->und_fd, &ifindex, u))
		return -ENOENT;
	u->name[sizeof(u->name) - 1] = '\0';
	return 0;
}

int und_next(const struct datapath *dp, const __u32 *prev, __u32 *ifindex, struct gif_underlay *u)
{
	if (dp->und_fd < 0 || bpf_map_get_next_key(dp->und_fd, prev, ifindex))
		return -ENOENT;
	und_get(dp, *ifindex, u);
	return 0;
}

const char *decap_mode_name(enum gif_decap_mode mode)
{
	return mode == GIF_DECAP_TC ? "tc" : "xdp";
}

int und_attach_xdp(const struct datapath *dp, int ifindex, bool *generic)
{
	int err = bpf_xdp_attach(ifindex, dp->xdp_fd,
				 XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_DRV_MODE, NULL);

	*generic = false;
	if (err == -EOPNOTSUPP || err == -EINVAL) {
		debug("native XDP on ifindex %d failed (%s); trying generic", ifindex,
		      strerror(-err));
		*generic = true;
		err = bpf_xdp_attach(ifindex, dp->xdp_fd,
				     XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_SKB_MODE, NULL);
	}
	return err;
}

int und_detach_xdp(const struct nl_link *link)
{
	int fd = bpf_prog_get_fd_by_id(link->xdp_prog_id), err;
	__u32 mode = link->xdp_attached == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;

	if (fd < 0)
		return -errno;
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = fd);
	err = bpf_xdp_detach(link->ifindex, mode, &opts);
	close(fd);
	return err;
}

int und_attach_tc(const struct datapath *dp, int ifindex)
{
	return tc_filter_attach(ifindex, true, dp->tcrx_fd);
}

int und_detach_tc(int ifindex)
{
	return tc_filter_detach(ifindex, true);
}

__u32 und_tc_prog_id(int ifindex)
{
	return tc_filter_prog_id(ifindex, true);
}

unsigned int und_attached(const struct datapath *dp, const struct nl_link *link)
{
	unsigned int on = 0;

	if (dp->rx_fd < 0)
		return 0;
	if (link->xdp_prog_id && dp_owns(dp, link->xdp_prog_id, DP_XDP_RX))
		on |= DECAP_ON(GIF_DECAP_XDP);
	if (dp_owns(dp, und_tc_prog_id(link->ifindex), DP_TC_RX))
		on |= DECAP_ON(GIF_DECAP_TC);
	return on;
}

size_t und_live(const struct datapath *dp, const struct nl_link *links, size_t n, size_t *idx,
		enum gif_decap_mode *modes)
{
	struct gif_underlay u;
	size_t live = 0;

	for (size_t i = 0; i < n; i++) {
		enum gif_decap_mode mode = GIF_DECAP_XDP;

		if (dp->rx_fd < 0)
			break;
		if (!links[i].xdp_prog_id || !dp_owns(dp, links[i].xdp_prog_id, DP_XDP_RX)) {
			if (und_get(dp, links[i].ifindex, &u) || u.mode != GIF_DECAP_TC ||
			    !dp_owns(dp, und_tc_prog_id(links[i].ifindex), DP_TC_RX))
				continue;
			mode = GIF_DECAP_TC;
		}
		idx[live] = i;
		modes[live++] = mode;
	}
	return live;
}
