/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF side of this network namespace: its maps and programs. gifctl keeps no pins (they do
 * not survive `ip netns exec`, kernel-facts §7): it finds the maps through the programs attached
 * in the namespace, recognised by name and by the netns cookie in gif_meta.
 */
#ifndef GIF_DATAPATH_H
#define GIF_DATAPATH_H

#include <linux/types.h>
#include <stdbool.h>

struct gif;

/* The datapath's programs. */
enum dp_prog_kind {
	DP_XDP_RX,	/* gif_xdp_rx: decapsulation in XDP on an underlay */
	DP_TC_TX,	/* gif_tc_tx: encapsulation on a gif device's egress */
	DP_TC_RX,	/* gif_tc_rx: decapsulation at an underlay's TC ingress */
	DP_NKINDS
};

struct datapath {
	int rx_fd, tx_fd, stats_fd, meta_fd;	/* maps; -1 when there is no datapath */
	int xdp_fd, tc_fd, tcrx_fd;		/* programs; -1 until found or loaded */
	__u32 rx_id;				/* gif_rx's id: what makes a program ours */
	int btf_fd;				/* types for inner maps */
	__u32 btf_key_id, btf_value_id;
	struct gif *skel;			/* when this run loaded the programs */
	int und_fd;				/* gif_underlays (underlays.h); -1 when none */
};

/* Capacity of gif_underlays. */
#define GIF_MAX_UNDERLAYS 1024

/* The current network namespace's cookie (unique while the system runs). */
__u64 netns_cookie(void);

/* Finds this namespace's datapath. 0 when found, -ENOENT when there is none, else -errno. */
int dp_find(struct datapath *dp);
/* Finds it, or creates it (maps and programs) when there is none. */
int dp_open(struct datapath *dp);
/*
 * Makes sure the program of KIND is usable (its fd in dp), loading what dp lacks onto the
 * existing maps. dp_need_programs(): the encapsulation program, what a gif device needs.
 */
int dp_need_prog(struct datapath *dp, enum dp_prog_kind kind);
int dp_need_programs(struct datapath *dp);
void dp_close(struct datapath *dp);
/*
 * Makes sure dp->und_fd is usable: gif_underlays, the record of the underlays gifctl attached.
 * The programs do not use it: it is bound to every program of the datapath (BPF_PROG_BIND_MAP),
 * so it lives, and is found, exactly as long as the datapath.
 */
int dp_need_underlays(struct datapath *dp);

/* True when program PROG_ID is gifctl's program of KIND using this datapath's maps. */
bool dp_owns(const struct datapath *dp, __u32 prog_id, enum dp_prog_kind kind);
/* The same for gif_xdp_rx and for gif_tc_tx. */
bool dp_owns_prog(const struct datapath *dp, __u32 prog_id);
bool dp_owns_tc_prog(const struct datapath *dp, __u32 prog_id);
/* True when program PROG_ID is a gifctl program of KIND, whichever maps it uses. */
bool prog_is_gif(__u32 prog_id, enum dp_prog_kind kind);

#endif
