/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the benchmark BPF programs (bench/) and their driver (bench/gifbench.c). */
#ifndef GIF_BENCH_GEN_H
#define GIF_BENCH_GEN_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ETH_HLEN_ 14
#define GEN_TMPL_MAX 128

/* Frame layouts: tunnel frames (outer + inner) and plain inner frames. */
enum gen_layout {
	GEN_4IN4,
	GEN_6IN4,
	GEN_4IN6,
	GEN_6IN6,
	GEN_PLAIN4,
	GEN_PLAIN6,
};

enum gen_action {
	GEN_REDIRECT,	/* bpf_redirect(ifindex): out of that device (a veth: into its peer) */
	GEN_PASS,	/* XDP_PASS: received by the test run's ingress device */
	GEN_DROP,	/* XDP_DROP: measures the generator alone */
};

struct gen_cfg {
	__u32 layout;		/* enum gen_layout */
	__u32 action;		/* enum gen_action */
	__u32 ifindex;		/* GEN_REDIRECT target */
	__u32 flow_mask;	/* flows - 1 (a power of two) */
	__u32 tun_mask;		/* tunnels - 1 (a power of two) */
	__u32 pad;
	__u8 tmpl[GEN_TMPL_MAX];	/* the headers with flow 0 / tunnel 0, checksums not needed */
};

/* Configuration of the baseline programs (bench/base.bpf.c). */
struct base_cfg {
	__u32 ifindex;		/* redirect target */
	__u32 strip;		/* bytes removed after the Ethernet header (xdp_strip) */
	__u8 eth[ETH_HLEN_];	/* Ethernet header written by xdp_strip */
	__u8 pad[2];
};

#endif
