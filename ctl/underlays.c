/* SPDX-License-Identifier: GPL-2.0 */
/* The record of the underlays gifctl attached to, and attaching XDP to one (see underlays.h). */
#include <errno.h>
#include <linux/if_link.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "underlays.h"

int und_record(struct datapath *dp, __u32 ifindex, const char *name)
{
	char value[IF_NAMESIZE] = "";
	int err = dp_need_underlays(dp);

	if (err)
		return err;
	strncpy(value, name, sizeof(value) - 1);
	return bpf_map_update_elem(dp->und_fd, &ifindex, value, BPF_ANY) ? -errno : 0;
}

int und_forget(const struct datapath *dp, __u32 ifindex)
{
	if (dp->und_fd < 0 || !bpf_map_delete_elem(dp->und_fd, &ifindex) || errno == ENOENT)
		return 0;
	return -errno;
}

int und_next(const struct datapath *dp, const __u32 *prev, __u32 *ifindex, char name[IF_NAMESIZE])
{
	if (dp->und_fd < 0 || bpf_map_get_next_key(dp->und_fd, prev, ifindex))
		return -ENOENT;
	if (bpf_map_lookup_elem(dp->und_fd, ifindex, name))
		name[0] = '\0';
	name[IF_NAMESIZE - 1] = '\0';
	return 0;
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
