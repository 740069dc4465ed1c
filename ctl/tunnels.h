/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunnel state in the maps. A tunnel's configuration lives in its own frozen inner map, published
 * in gif_tx under the device's ifindex and in gif_rx under its endpoint pair (gif_types.h).
 */
#ifndef GIF_TUNNELS_H
#define GIF_TUNNELS_H

#include <stddef.h>
#include <bpf/bpf.h>
#include "datapath.h"
#include "gif_types.h"

/* The configuration OUTER_FD (gif_rx or gif_tx) holds under KEY, and its inner map's id. */
int tun_lookup(int outer_fd, const void *key, struct gif_tunnel *out, __u32 *id);
/* The configuration published for gif device IFINDEX; -ENOENT when it is not a gif device. */
int tun_get(const struct datapath *dp, __u32 ifindex, struct gif_tunnel *out);
/* Every gif device's configuration, by ifindex; free(*out). */
int tun_list(const struct datapath *dp, struct gif_tunnel **out, size_t *count);
/* The gif device whose tunnel uses PAIR; -ENOENT when none. */
int tun_owner(const struct datapath *dp, const struct gif_pair *pair, __u32 *ifindex);

/* Creates a frozen inner map holding CFG; returns its fd or -errno. */
int tun_build(const struct datapath *dp, const struct gif_tunnel *cfg);
/* Publishes inner map INNER_FD for the device (replacing what it had, in one step). */
int tun_publish_dev(const struct datapath *dp, __u32 ifindex, int inner_fd);
/*
 * Publishes INNER_FD under PAIR. BPF_NOEXIST: a new pair, -EEXIST when it is taken (decided by
 * the kernel); BPF_EXIST: new options for the pair the tunnel already has.
 */
int tun_publish_pair(const struct datapath *dp, const struct gif_pair *pair, int inner_fd,
		     __u64 flags);
int tun_unpublish_dev(const struct datapath *dp, __u32 ifindex);
int tun_unpublish_pair(const struct datapath *dp, const struct gif_pair *pair);

/* The pair a configuration decapsulates (family GIF_AF_NONE: none). */
struct gif_pair tun_pair(const struct gif_tunnel *cfg);

/* Zeroed counters for IFINDEX, counters summed over CPUs, and their removal. */
int stats_create(const struct datapath *dp, __u32 ifindex);
int stats_read(const struct datapath *dp, __u32 ifindex, struct gif_stats *sum);
int stats_delete(const struct datapath *dp, __u32 ifindex);

#endif
