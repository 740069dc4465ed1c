/* SPDX-License-Identifier: GPL-2.0 */
/* Finding, creating and loading this network namespace's datapath (see datapath.h). */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "datapath.h"
#include "gif.skel.h"
#include "gif_types.h"
#include "log.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* Indexed by enum dp_prog_kind. */
static const char *const prog_names[] = { "gif_xdp_rx", "gif_tc_tx", "gif_tc_rx" };

__u64 netns_cookie(void)
{
	__u64 cookie = 0;
	socklen_t len = sizeof(cookie);
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len);
		close(fd);
	}
	return cookie;
}

static void dp_init(struct datapath *dp)
{
	memset(dp, 0, sizeof(*dp));
	dp->rx_fd = dp->tx_fd = dp->stats_fd = dp->meta_fd = -1;
	dp->xdp_fd = dp->tc_fd = dp->tcrx_fd = dp->btf_fd = dp->und_fd = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void dp_close(struct datapath *dp)
{
	close_fd(&dp->rx_fd);
	close_fd(&dp->tx_fd);
	close_fd(&dp->stats_fd);
	close_fd(&dp->meta_fd);
	close_fd(&dp->xdp_fd);
	close_fd(&dp->tc_fd);
	close_fd(&dp->tcrx_fd);
	close_fd(&dp->btf_fd);
	close_fd(&dp->und_fd);
	gif__destroy(dp->skel);
	dp->skel = NULL;
}

static int prog_map_ids(int prog_fd, __u32 *ids, __u32 *n)
{
	struct bpf_prog_info info = { .nr_map_ids = *n, .map_ids = (__u64)(unsigned long)ids };
	__u32 len = sizeof(info);
	int err = bpf_obj_get_info_by_fd(prog_fd, &info, &len);

	if (err)
		return err;
	*n = info.nr_map_ids < *n ? info.nr_map_ids : *n;
	return 0;
}

static int *map_slot(struct datapath *dp, const char *name)
{
	if (!strcmp(name, "gif_rx"))
		return &dp->rx_fd;
	if (!strcmp(name, "gif_tx"))
		return &dp->tx_fd;
	if (!strcmp(name, "gif_stats"))
		return &dp->stats_fd;
	if (!strcmp(name, "gif_meta"))
		return &dp->meta_fd;
	if (!strcmp(name, "gif_underlays"))
		return &dp->und_fd;
	return NULL;
}

/* Opens the maps of a gif program into a scratch datapath; true when they serve this netns. */
static bool adopt_maps(int prog_fd, __u64 cookie, struct datapath *dp)
{
	__u32 ids[16], n = 16, zero = 0;
	struct gif_meta meta;

	if (prog_map_ids(prog_fd, ids, &n))
		return false;
	for (__u32 i = 0; i < n; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(ids[i]);
		int *slot;

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !(slot = map_slot(dp, info.name)) ||
		    *slot >= 0) {
			close(fd);
			continue;
		}
		*slot = fd;
		if (slot == &dp->rx_fd)
			dp->rx_id = info.id;
	}
	return dp->rx_fd >= 0 && dp->tx_fd >= 0 && dp->stats_fd >= 0 && dp->meta_fd >= 0 &&
	       !bpf_map_lookup_elem(dp->meta_fd, &zero, &meta) && meta.netns_cookie == cookie &&
	       meta.abi_version == GIF_ABI_VERSION;
}

static int prog_kind(int fd, __u32 *id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -1;
	*id = info.id;
	for (int i = 0; i < DP_NKINDS; i++)
		if (!strcmp(info.name, prog_names[i]))
			return i;
	return -1;
}

/* The BTF ids inner maps are created with, so that bpftool prints their fields. */
static int find_inner_btf(struct datapath *dp)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	struct btf *btf;
	int key, value;

	if (bpf_obj_get_info_by_fd(dp->meta_fd, &info, &len) || !info.btf_id)
		return -ENOENT;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return -errno;
	key = btf__find_by_name_kind(btf, "__u32", BTF_KIND_TYPEDEF);
	value = btf__find_by_name_kind(btf, "gif_tunnel", BTF_KIND_STRUCT);
	btf__free(btf);
	if (key < 0 || value < 0)
		return -ENOENT;
	dp->btf_fd = bpf_btf_get_fd_by_id(info.btf_id);
	if (dp->btf_fd < 0)
		return -errno;
	dp->btf_key_id = key;
	dp->btf_value_id = value;
	return 0;
}

static int *prog_slot(struct datapath *dp, enum dp_prog_kind kind)
{
	return kind == DP_XDP_RX ? &dp->xdp_fd : kind == DP_TC_TX ? &dp->tc_fd : &dp->tcrx_fd;
}

int dp_find(struct datapath *dp)
{
	__u64 cookie = netns_cookie();
	__u32 id = 0, prog_id;
	int walk;

	dp_init(dp);
	while (!(walk = bpf_prog_get_next_id(id, &id))) {
		struct datapath found;
		int fd = bpf_prog_get_fd_by_id(id);
		int kind;

		if (fd < 0)
			continue;
		kind = prog_kind(fd, &prog_id);
		dp_init(&found);
		if (kind < 0 || !adopt_maps(fd, cookie, &found) ||
		    (dp->rx_fd >= 0 && found.rx_id != dp->rx_id)) {
			close(fd);
			dp_close(&found);
			continue;
		}
		if (dp->rx_fd < 0) {
			*dp = found;
		} else {
			dp_close(&found);
		}
		if (*prog_slot(dp, kind) < 0)
			*prog_slot(dp, kind) = fd;
		else
			close(fd);
		/* Enough: another program is loaded if needed (any copy on these maps is ours). */
		if (dp->tc_fd >= 0 && (dp->xdp_fd >= 0 || dp->tcrx_fd >= 0))
			break;
	}
	if (walk && walk != -ENOENT)
		return walk;	/* e.g. -EPERM without CAP_SYS_ADMIN: not "no datapath" */
	if (dp->rx_fd < 0)
		return -ENOENT;
	return find_inner_btf(dp);
}

bool dp_owns(const struct datapath *dp, __u32 prog_id, enum dp_prog_kind kind)
{
	__u32 ids[16], n = 16, id;
	int fd = prog_id ? bpf_prog_get_fd_by_id(prog_id) : -1;
	bool ours = false;

	if (fd < 0)
		return false;
	if (prog_kind(fd, &id) == (int)kind && !prog_map_ids(fd, ids, &n))
		for (__u32 i = 0; i < n; i++) {
			struct bpf_map_info info = {};
			__u32 len = sizeof(info);
			int mfd = bpf_map_get_fd_by_id(ids[i]);

			if (mfd < 0)
				continue;
			if (!bpf_obj_get_info_by_fd(mfd, &info, &len) && info.id == dp->rx_id)
				ours = true;
			close(mfd);
		}
	close(fd);
	return ours;
}

bool dp_owns_prog(const struct datapath *dp, __u32 prog_id)
{
	return dp_owns(dp, prog_id, DP_XDP_RX);
}

bool dp_owns_tc_prog(const struct datapath *dp, __u32 prog_id)
{
	return dp_owns(dp, prog_id, DP_TC_TX);
}

bool prog_is_gif(__u32 prog_id, enum dp_prog_kind kind)
{
	int fd = bpf_prog_get_fd_by_id(prog_id);
	__u32 id;
	bool gif = fd >= 0 && prog_kind(fd, &id) == (int)kind;

	if (fd >= 0)
		close(fd);
	return gif;
}

static int create_underlays(struct datapath *dp)
{
	dp->und_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "gif_underlays", sizeof(__u32),
				    sizeof(struct gif_underlay), GIF_MAX_UNDERLAYS, NULL);
	return dp->und_fd < 0 ? -errno : 0;
}

static struct bpf_program *skel_prog(struct gif *skel, enum dp_prog_kind kind)
{
	return kind == DP_XDP_RX ? skel->progs.gif_xdp_rx : kind == DP_TC_TX ? skel->progs.gif_tc_tx
									  : skel->progs.gif_tc_rx;
}

/* Without getrandom() flow labels are still per flow, only predictable. */
static void random_flow_hash_keys(__u64 *key, size_t n)
{
	if (getrandom(key, n * sizeof(*key), 0) == (ssize_t)(n * sizeof(*key)))
		return;
	for (size_t i = 0; i < n; i++)
		key[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
}

/*
 * Loads the programs whose fds dp lacks (each verification costs time: a tunnel creation needs
 * only the encapsulation program); onto dp's maps when it has them, else all of them onto new
 * maps that it arms.
 */
static int load_programs(struct datapath *dp)
{
	struct gif *skel = gif__open();
	bool fresh = dp->rx_fd < 0;
	int err;

	if (!skel)
		return -errno;
	random_flow_hash_keys(skel->rodata->flow_hash_key,
			      sizeof(skel->rodata->flow_hash_key) / sizeof(__u64));
	bpf_map__set_autocreate(skel->maps.gif_tunnel_btf, false);
	for (int k = 0; k < DP_NKINDS; k++)
		bpf_program__set_autoload(skel_prog(skel, k), fresh || *prog_slot(dp, k) < 0);
	if (!fresh &&
	    ((err = bpf_map__reuse_fd(skel->maps.gif_rx, dp->rx_fd)) ||
	     (err = bpf_map__reuse_fd(skel->maps.gif_tx, dp->tx_fd)) ||
	     (err = bpf_map__reuse_fd(skel->maps.gif_stats, dp->stats_fd)) ||
	     (err = bpf_map__reuse_fd(skel->maps.gif_meta, dp->meta_fd))))
		goto out;
	err = gif__load(skel);
	if (err)
		goto out;
	if (fresh) {
		struct gif_meta meta = { .netns_cookie = netns_cookie(),
					 .abi_version = GIF_ABI_VERSION };
		int ncpu = libbpf_num_possible_cpus();
		struct gif_stats *zero = calloc(ncpu, sizeof(*zero));
		__u32 key = 0;

		/* Counters for unclaimed traffic first: the datapath is armed by gif_meta. */
		err = zero ? bpf_map_update_elem(bpf_map__fd(skel->maps.gif_stats), &key, zero, 0)
			   : -ENOMEM;
		free(zero);
		if (!err)
			err = bpf_map_update_elem(bpf_map__fd(skel->maps.gif_meta), &key, &meta, 0);
		if (err)
			goto out;
		dp->rx_fd = dup(bpf_map__fd(skel->maps.gif_rx));
		dp->tx_fd = dup(bpf_map__fd(skel->maps.gif_tx));
		dp->stats_fd = dup(bpf_map__fd(skel->maps.gif_stats));
		dp->meta_fd = dup(bpf_map__fd(skel->maps.gif_meta));
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);

		bpf_obj_get_info_by_fd(dp->rx_fd, &info, &len);
		dp->rx_id = info.id;
		err = find_inner_btf(dp);
		if (!err)
			err = create_underlays(dp);
		if (err)
			goto out;
	}
	for (int k = 0; k < DP_NKINDS; k++) {
		int fd = bpf_program__fd(skel_prog(skel, k));

		if (fd < 0)
			continue;
		/* The record of the underlays lives as long as any program of the datapath. */
		if (dp->und_fd >= 0 && (err = bpf_prog_bind_map(fd, dp->und_fd, NULL)))
			goto out;
		if (*prog_slot(dp, k) < 0)
			*prog_slot(dp, k) = dup(fd);
	}
	dp->skel = skel;
	return 0;
out:
	gif__destroy(skel);
	return err < 0 ? err : -err;
}

int dp_open(struct datapath *dp)
{
	int err = dp_find(dp);

	if (err == -ENOENT) {
		dp_close(dp);
		dp_init(dp);
		return load_programs(dp);
	}
	return err;
}

/* True when program FD is a gif program using the maps of the datapath whose gif_rx is RX_ID. */
static bool uses_maps(int fd, __u32 rx_id)
{
	__u32 ids[16], n = 16, id;

	if (prog_kind(fd, &id) < 0 || prog_map_ids(fd, ids, &n))
		return false;
	for (__u32 i = 0; i < n; i++)
		if (ids[i] == rx_id)
			return true;
	return false;
}

int dp_need_underlays(struct datapath *dp)
{
	__u32 id = 0;
	int err;

	if (dp->und_fd >= 0)
		return 0;
	if (dp->rx_fd < 0)
		return -ENOENT;
	/* A datapath made before gif_underlays existed: bind it to every program it has. */
	if ((err = create_underlays(dp)))
		return err;
	while (!bpf_prog_get_next_id(id, &id)) {
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		err = uses_maps(fd, dp->rx_id) ? bpf_prog_bind_map(fd, dp->und_fd, NULL) : 0;
		close(fd);
		if (err)
			break;
	}
	if (err)
		close_fd(&dp->und_fd);
	return err;
}

int dp_need_prog(struct datapath *dp, enum dp_prog_kind kind)
{
	return *prog_slot(dp, kind) >= 0 ? 0 : load_programs(dp);
}

int dp_need_programs(struct datapath *dp)
{
	return dp_need_prog(dp, DP_TC_TX);
}
