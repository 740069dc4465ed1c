/* SPDX-License-Identifier: GPL-2.0 */
/* A program with an atomic add and a spin lock: proves the no-atomics check can see them. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct locked {
	struct bpf_spin_lock lock;
	__u64 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} probe_counts SEC(".maps");

SEC("xdp")
int atomic_probe(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct locked *v = bpf_map_lookup_elem(&probe_counts, &zero);

	if (v) {
		__sync_fetch_and_add(&v->n, 1);
		bpf_spin_lock(&v->lock);
		v->n++;
		bpf_spin_unlock(&v->lock);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
