/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath fuzzer (build/fuzz/pktfuzz): packets generated from a deterministic seed are run
 * through gif_xdp_rx and gif_tc_tx with BPF_PROG_TEST_RUN on the unit tests' rig (tests/unit/env.h,
 * linked, not copied), and every result is checked against a reference model of the behaviour the
 * README documents (oracle.c), written independently of bpf/.
 *
 *   gen.c      generators: random bytes, valid tunnel packets of the four family combinations,
 *              their mutations (truncation, bit flips, length fields, IHL, versions, IPv6
 *              extension-header chains, fragments, spoofed addresses), and a systematic sweep
 *   oracle.c   the model: for each packet the verdict, the exact output and the counters
 *   pktfuzz.c  main: runs, compares, reports, reproduces
 */
#ifndef GIF_PKTFUZZ_H
#define GIF_PKTFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "env.h"
#include "pkt.h"	/* pkt_csum_add, pkt_csum_fold */

/* Largest frame generated: BPF_PROG_TEST_RUN takes at most about a page less headroom. */
#define FZ_MAX_FRAME 3400
#define FZ_BUF 4608

/* ---- deterministic randomness: one independent stream per (seed, program, packet index) ---- */

struct rng {
	__u64 s;
};

void rng_init(struct rng *r, __u64 seed, __u64 salt, __u64 index);
__u64 rng_next(struct rng *r);
/* Uniform in [0, n) (n > 0). */
__u32 rng_below(struct rng *r, __u32 n);
/* True with probability num/den. */
bool rng_chance(struct rng *r, __u32 num, __u32 den);
void rng_bytes(struct rng *r, __u8 *b, size_t n);

/* ---- the world the model predicts in: the rig's tunnels, their current options, routes ---- */

struct world {
	const struct env *e;
	struct gif_tunnel cfg[ENV_NDEV];	/* what is published now */
	int route_oif[ENV_NDEV];		/* oif of the route to the remote, 0 = none */
	unsigned int route_mtu[ENV_NDEV];	/* the MTU of that route */
	bool route_neigh[ENV_NDEV];		/* unused by the model, for -v */
	__u32 lo_ifindex;
};

/* One counter movement the model expects (key: an env_dev or ENV_KEY0). */
struct fz_delta {
	int key;
	int c;
	long long n;
};

#define FZ_MAX_DELTAS 4

/* ---- XDP ---- */

struct xdp_case {
	__u8 data[FZ_BUF];
	size_t len;
	__u32 ingress;		/* ctx ingress_ifindex; 0: no ctx (the test run uses lo) */
	const char *gen;	/* generator that made it, for reports */
};

struct xdp_expect {
	int verdict;		/* XDP_*; -1: BPF_PROG_TEST_RUN itself must refuse (frame < 14 B) */
	const char *why;	/* the model's reason */
	int dev;		/* tunnel the pair matched, -1 none */
	__u8 out[FZ_BUF];	/* XDP_REDIRECT: the decapsulated frame */
	size_t out_len;
	size_t inner_in;	/* offset of the inner packet in the input */
	size_t csum_off;	/* != 0: an inner IPv4 checksum at this offset of out was updated
				 * incrementally; compared by checksum residue, not by value */
	struct fz_delta d[FZ_MAX_DELTAS];
	int nd;
};

void xdp_model(const struct world *w, const struct xdp_case *c, struct xdp_expect *x);

/* ---- TC ---- */

struct tc_case {
	__u8 data[FZ_BUF];
	size_t len;
	__u32 ifindex;		/* ctx ifindex: the device whose egress it leaves */
	__u32 gso_size, gso_segs;
	const char *gen;
};

struct tc_expect {
	int verdict;		/* TC_ACT_*; -1: the test run must refuse */
	bool refusable;		/* the test run may refuse it instead (kernel-dependent) */
	const char *why;
	int dev;
	__u8 out[FZ_BUF];	/* TC_ACT_REDIRECT: the encapsulated frame */
	size_t out_len;
	__u8 mask[FZ_BUF];	/* bits of out that are compared (IPv4 ID with DF clear and the
				 * IPv6 flow label are not predictable) */
	struct fz_delta d[FZ_MAX_DELTAS];
	int nd;
};

void tc_model(const struct world *w, const struct tc_case *c, struct tc_expect *x);

/* ---- generators (gen.c) ---- */

/* Systematic cases (every truncation offset of canonical packets, every IHL, ...) come first. */
size_t gen_xdp_systematic_count(const struct world *w);
size_t gen_tc_systematic_count(const struct world *w);
void gen_xdp(const struct world *w, struct rng *r, __u64 index, struct xdp_case *c);
void gen_tc(const struct world *w, struct rng *r, __u64 index, struct tc_case *c);

/* Which env device an ifindex is (-1: none). */
int world_dev_by_ifindex(const struct world *w, __u32 ifindex);


#endif
