/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU counters: plain increments, no atomics (XDP and TC run with migration disabled). */
#ifndef GIF_STATS_BPF_H
#define GIF_STATS_BPF_H

#include "maps.bpf.h"

static __always_inline void count(__u32 key, enum gif_counter c)
{
	struct gif_stats *s = bpf_map_lookup_elem(&gif_stats, &key);

	if (s)
		s->c[c]++;
}

static __always_inline void count_traffic(__u32 key, enum gif_counter packets, __u64 n, __u64 bytes)
{
	struct gif_stats *s = bpf_map_lookup_elem(&gif_stats, &key);

	if (s) {
		s->c[packets] += n;
		s->c[packets + 1] += bytes;
	}
}

#endif
