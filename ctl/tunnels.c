/* SPDX-License-Identifier: GPL-2.0 */
/* Reading and publishing tunnel configurations and counters in the maps (see tunnels.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "tunnels.h"

static int errno_or(int err)
{
	return err < 0 ? err : -errno;
}

int tun_lookup(int outer_fd, const void *key, struct gif_tunnel *out, __u32 *id)
{
	__u32 inner_id, zero = 0;
	int fd, err;

	if (bpf_map_lookup_elem(outer_fd, key, &inner_id))
		return -errno;
	if (id)
		*id = inner_id;
	fd = bpf_map_get_fd_by_id(inner_id);
	if (fd < 0)
		return -errno;
	err = bpf_map_lookup_elem(fd, &zero, out) ? -errno : 0;
	close(fd);
	return err;
}

int tun_get(const struct datapath *dp, __u32 ifindex, struct gif_tunnel *out)
{
	return tun_lookup(dp->tx_fd, &ifindex, out, NULL);
}

static int by_ifindex(const void *a, const void *b)
{
	const struct gif_tunnel *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

int tun_list(const struct datapath *dp, struct gif_tunnel **out, size_t *count)
{
	struct gif_tunnel *list = NULL;
	size_t n = 0, cap = 0;
	__u32 key, *prev = NULL;

	while (!bpf_map_get_next_key(dp->tx_fd, prev, &key)) {
		prev = &key;
		if (n == cap) {
			struct gif_tunnel *grown;

			cap = cap ? cap * 2 : 16;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				free(list);
				return -ENOMEM;
			}
			list = grown;
		}
		/* An entry deleted between the two calls is simply not listed. */
		if (!tun_lookup(dp->tx_fd, &key, &list[n], NULL))
			n++;
	}
	if (n)
		qsort(list, n, sizeof(*list), by_ifindex);
	*out = list;
	*count = n;
	return 0;
}

int tun_owner(const struct datapath *dp, const struct gif_pair *pair, __u32 *ifindex)
{
	struct gif_tunnel cfg;
	int err = tun_lookup(dp->rx_fd, pair, &cfg, NULL);

	if (!err)
		*ifindex = cfg.ifindex;
	return err;
}

int tun_build(const struct datapath *dp, const struct gif_tunnel *cfg)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .btf_fd = dp->btf_fd,
		    .btf_key_type_id = dp->btf_key_id, .btf_value_type_id = dp->btf_value_id);
	__u32 zero = 0;
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gif_tunnel", sizeof(__u32), sizeof(*cfg), 1, &opts);
	if (fd < 0)
		return -errno;
	/* Frozen before it is published: the datapath never sees it change. */
	err = bpf_map_update_elem(fd, &zero, cfg, 0);
	if (!err)
		err = bpf_map_freeze(fd);
	if (err) {
		err = errno_or(err);
		close(fd);
		return err;
	}
	return fd;
}

int tun_publish_dev(const struct datapath *dp, __u32 ifindex, int inner_fd)
{
	return bpf_map_update_elem(dp->tx_fd, &ifindex, &inner_fd, BPF_ANY) ? -errno : 0;
}

int tun_publish_pair(const struct datapath *dp, const struct gif_pair *pair, int inner_fd,
		     __u64 flags)
{
	return bpf_map_update_elem(dp->rx_fd, pair, &inner_fd, flags) ? -errno : 0;
}

int tun_unpublish_dev(const struct datapath *dp, __u32 ifindex)
{
	return bpf_map_delete_elem(dp->tx_fd, &ifindex) ? -errno : 0;
}

int tun_unpublish_pair(const struct datapath *dp, const struct gif_pair *pair)
{
	return bpf_map_delete_elem(dp->rx_fd, pair) ? -errno : 0;
}

struct gif_pair tun_pair(const struct gif_tunnel *cfg)
{
	struct gif_pair pair = { .family = cfg->family };

	memcpy(pair.local, cfg->local, sizeof(pair.local));
	memcpy(pair.remote, cfg->remote, sizeof(pair.remote));
	return pair;
}

int stats_create(const struct datapath *dp, __u32 ifindex)
{
	struct gif_stats *zero = calloc(libbpf_num_possible_cpus(), sizeof(*zero));
	int err;

	if (!zero)
		return -ENOMEM;
	err = bpf_map_update_elem(dp->stats_fd, &ifindex, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	return err;
}

int stats_read(const struct datapath *dp, __u32 ifindex, struct gif_stats *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct gif_stats *per_cpu = calloc(ncpu, sizeof(*per_cpu));
	int err;

	if (!per_cpu)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	err = bpf_map_lookup_elem(dp->stats_fd, &ifindex, per_cpu) ? -errno : 0;
	for (int cpu = 0; !err && cpu < ncpu; cpu++)
		for (int i = 0; i < GIF_COUNTERS; i++)
			sum->c[i] += per_cpu[cpu].c[i];
	free(per_cpu);
	return err;
}

int stats_delete(const struct datapath *dp, __u32 ifindex)
{
	return bpf_map_delete_elem(dp->stats_fd, &ifindex) ? -errno : 0;
}
