/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map of the datapath, and the lookups that read a tunnel from them. The programs only read
 * these maps; gifctl writes them (README "Maps" has the key/value of each).
 */
#ifndef GIF_MAPS_BPF_H
#define GIF_MAPS_BPF_H

#include "common.bpf.h"

/* Inner map: one whole, frozen tunnel configuration (struct gif_tunnel in gif_types.h). */
struct gif_tunnel_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gif_tunnel);
};

/* Never created: makes the compiler emit struct gif_tunnel's BTF, which inner maps are typed with. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gif_tunnel);
} gif_tunnel_btf SEC(".maps");

/* Decapsulation: outer (local, remote) pair -> tunnel. Inserted with BPF_NOEXIST: pairs are unique. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, GIF_MAX_TUNNELS);
	__type(key, struct gif_pair);
	__array(values, struct gif_tunnel_map);
} gif_rx SEC(".maps");

/* Encapsulation: gif device ifindex -> tunnel; every gif device has an entry. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, GIF_MAX_TUNNELS);
	__type(key, __u32);
	__array(values, struct gif_tunnel_map);
} gif_tx SEC(".maps");

/* Per-CPU counters by gif ifindex (0: traffic no tunnel claimed); allocated per tunnel. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, GIF_MAX_TUNNELS + 1);
	__type(key, __u32);
	__type(value, struct gif_stats);
} gif_stats SEC(".maps");

/* Which network namespace these maps serve. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gif_meta);
} gif_meta SEC(".maps");

/*
 * Makes the calling program reference every map, so gifctl can find all of them from any one
 * attached program (it keeps no pins: kernel-facts §7).
 */
static __always_inline void hold_all_maps(void)
{
	void *volatile m;

	m = &gif_rx;
	m = &gif_tx;
	m = &gif_stats;
	(void)m;
}

/* The datapath stays inert until gifctl has written gif_meta for the current ABI. */
static __always_inline bool datapath_armed(void)
{
	__u32 zero = 0;
	struct gif_meta *meta;

	hold_all_maps();
	meta = bpf_map_lookup_elem(&gif_meta, &zero);

	return meta && meta->abi_version == GIF_ABI_VERSION;
}

static __always_inline bool same_addr(const __u8 *a, const __u8 *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

/*
 * Copies the tunnel behind an outer map entry to *t. The copy is validated against the key the
 * caller looked up, because a hash element can be reused for another key while we hold it
 * (kernel-facts §4); the inner map itself is frozen, so a validated copy is one whole config.
 */
static __always_inline bool copy_tunnel(void *inner, struct gif_tunnel *t)
{
	__u32 zero = 0;
	struct gif_tunnel *v;

	if (!inner)
		return false;
	v = bpf_map_lookup_elem(inner, &zero);
	if (!v)
		return false;
	__builtin_memcpy(t, v, sizeof(*t));
	return true;
}

static __always_inline bool tunnel_by_pair(const struct gif_pair *key, struct gif_tunnel *t)
{
	return copy_tunnel(bpf_map_lookup_elem(&gif_rx, key), t) && t->family == key->family &&
	       same_addr(t->local, key->local) && same_addr(t->remote, key->remote);
}

static __always_inline bool tunnel_by_dev(__u32 ifindex, struct gif_tunnel *t)
{
	return copy_tunnel(bpf_map_lookup_elem(&gif_tx, &ifindex), t) && t->ifindex == ifindex;
}

static __always_inline bool is_gif_device(__u32 ifindex)
{
	return bpf_map_lookup_elem(&gif_tx, &ifindex) != NULL;
}

#endif
