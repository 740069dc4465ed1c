// SPDX-License-Identifier: GPL-2.0
/*
 * build/fuzz/pktfuzz [--prog xdp|tc|both] [--seed N] [--count N] [--start I] [--phase-len N]
 *                    [--check-every N] [--keep-going] [-v]
 *
 * Runs COUNT packets per program (indices START..START+COUNT-1) through gif_xdp_rx and gif_tc_tx
 * with BPF_PROG_TEST_RUN (repeat 1), in a private network namespace holding the unit tests' rig,
 * and checks every result against the reference model (oracle.c): the verdict, the output byte for
 * byte, and every counter of every key (compared every --check-every packets). Every packet depends
 * only on (seed, program, index), so one packet is reproduced with --start INDEX --count 1. Tunnel
 * options change every --phase-len packets (ttl, dscp, ecn, pmtudisc, ingress-filter), derived from
 * the seed too; phase 0 is the rig's defaults.
 *
 * Exit status: 0 no violation, 1 a violation (details, hexdumps and the reproducing command are
 * printed), 2 usage or setup error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "env.h"
#include "log.h"
#include "netlink.h"
#include "netns.h"
#include "prog.h"
#include "pktfuzz.h"
#include "test.h"
#include "tunnels.h"

#define ETH_HLEN_FZ 14
#define SALT_XDP 1
#define SALT_TC 2
#define SALT_PHASE 3

static uint64_t seed = 1;
static uint64_t count = 100000, start;
static uint64_t phase_len = 8192, check_every = 64;
static bool keep_going, verbose_run;
static const char *progs = "both";
static const char *self = "build/fuzz/pktfuzz";

static uint64_t violations;
static int printed;

/* ---- reporting ------------------------------------------------------------------------------ */

static void hexdump(const char *what, const __u8 *b, size_t len, const __u8 *other, size_t olen)
{
	printf("    %s (%zu bytes):\n", what, len);
	for (size_t off = 0; off < len; off += 16) {
		printf("      %04zx ", off);
		for (size_t i = off; i < off + 16 && i < len; i++) {
			bool diff = other && (i >= olen || other[i] != b[i]);

			printf("%c%02x", diff ? '*' : ' ', b[i]);
		}
		printf("\n");
	}
}

static void repro(const char *prog, uint64_t index, uint64_t n, bool every)
{
	printf("    reproduce: %s --prog %s --seed %" PRIu64 " --start %" PRIu64 " --count %" PRIu64
	       " --phase-len %" PRIu64 "%s -v\n", self, prog, seed, index, n, phase_len,
	       every ? " --check-every 1" : "");
}

/* Counts a violation and prints its first line; true when its details should be printed too
 * (the first 20 violations). */
static bool violation(const char *prog, uint64_t index, const char *gen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool violation(const char *prog, uint64_t index, const char *gen, const char *fmt, ...)
{
	va_list ap;

	violations++;
	if (printed++ >= 20)
		return false;
	printf("VIOLATION %s packet %" PRIu64 " (seed %" PRIu64 ", generator: %s): ", prog, index,
	       seed, gen);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return true;
}

/* ---- the world -------------------------------------------------------------------------------- */

static struct world world;

static int world_init(const struct env *e)
{
	struct nl_link lo, link;
	int err;

	world.e = e;
	for (int i = 0; i < ENV_NDEV; i++) {
		const struct gif_tunnel *t = &e->gif[i].cfg;
		unsigned int mtu = 0;
		int oif = 0;

		world.cfg[i] = *t;
		world.route_oif[i] = 0;
		world.route_mtu[i] = 0;
		if (t->family == GIF_AF_NONE)
			continue;
		/* The kernel's own route lookup (rtnetlink), not the datapath's. */
		if (nl_route_get(t->family, t->remote, t->local, &oif, &mtu) &&
		    nl_route_get(t->family, t->remote, NULL, &oif, &mtu))
			continue;
		if (!mtu && !nl_link_get_by_index(oif, &link))
			mtu = link.mtu;
		world.route_oif[i] = oif;
		world.route_mtu[i] = mtu;
	}
	err = nl_link_get("lo", &lo);
	if (err)
		return err;
	world.lo_ifindex = lo.ifindex;
	return 0;
}

/* gif_rx must hold exactly the pairs the model believes in (read with the bpf syscall). */
static bool world_matches_maps(void)
{
	struct gif_pair key, *prev = NULL;
	int n = 0, want = 0;

	for (int i = 0; i < ENV_NDEV; i++)
		want += world.cfg[i].family != GIF_AF_NONE;
	while (!bpf_map_get_next_key(world.e->dp.rx_fd, prev, &key)) {
		struct gif_tunnel t;
		bool known = false;

		prev = &key;
		n++;
		for (int i = 0; i < ENV_NDEV; i++)
			known |= world.cfg[i].family == key.family &&
				 !memcmp(world.cfg[i].local, key.local, 16) &&
				 !memcmp(world.cfg[i].remote, key.remote, 16);
		if (!known || tun_lookup(world.e->dp.rx_fd, &key, &t, NULL)) {
			printf("pktfuzz: gif_rx holds a pair the model does not know\n");
			return false;
		}
	}
	if (n != want)
		printf("pktfuzz: gif_rx holds %d pairs, the model %d\n", n, want);
	return n == want;
}

/* The options of phase P: the rig's defaults for P == 0, else derived from the seed. */
static void phase_config(uint64_t p, struct gif_tunnel *cfg)
{
	struct rng r;

	for (int i = 0; i < ENV_NDEV; i++)
		cfg[i] = world.e->gif[i].cfg;
	if (!p)
		return;
	rng_init(&r, seed, SALT_PHASE, p);
	for (int i = 0; i < ENV_NDEV; i++) {
		struct gif_tunnel *t = &cfg[i];
		bool main = i == DEV_GIF4 || i == DEV_GIF6;

		if (t->family == GIF_AF_NONE)
			continue;
		if (main) {
			int k = rng_below(&r, 3);

			t->ttl = k == 0 ? GIF_DEFAULT_TTL : k == 1 ? GIF_TTL_INHERIT
								 : 1 + rng_below(&r, 255);
			t->dscp = rng_chance(&r, 1, 2) ? GIF_DSCP_INHERIT : rng_below(&r, 64);
			t->flags = rng_chance(&r, 3, 4) ? GIF_F_PMTUDISC : 0;
		}
		t->ecn = rng_below(&r, 3);
		if (rng_chance(&r, 1, 4))
			t->flags |= GIF_F_INGRESS_FILTER;
	}
}

static int phase_apply(uint64_t p)
{
	struct gif_tunnel cfg[ENV_NDEV];

	phase_config(p, cfg);
	for (int i = 0; i < ENV_NDEV; i++) {
		if (!memcmp(&cfg[i], &world.cfg[i], sizeof(cfg[i])))
			continue;
		if (!env_tunnel_set(world.e, i, &cfg[i])) {
			printf("pktfuzz: cannot publish phase %" PRIu64 "'s options for %s\n", p,
			       env_key_name(i));
			return -1;
		}
		world.cfg[i] = cfg[i];
	}
	if (verbose_run)
		printf("phase %" PRIu64 ": gif0 ttl %u dscp %u ecn %u flags %#x; gif6 ttl %u dscp %u "
		       "ecn %u flags %#x\n", p, cfg[DEV_GIF4].ttl, cfg[DEV_GIF4].dscp,
		       cfg[DEV_GIF4].ecn, cfg[DEV_GIF4].flags, cfg[DEV_GIF6].ttl,
		       cfg[DEV_GIF6].dscp, cfg[DEV_GIF6].ecn, cfg[DEV_GIF6].flags);
	return 0;
}

/* ---- counters --------------------------------------------------------------------------------- */

struct counters {
	long long c[ENV_NDEV + 1][GIF_COUNTERS];
};

static struct counters base, expected;

static int counters_read(struct counters *out)
{
	for (int k = 0; k <= ENV_NDEV; k++) {
		__u32 key = k == ENV_KEY0 ? 0 : world.e->gif[k].link.ifindex;
		struct gif_stats s;
		int err = stats_read(&world.e->dp, key, &s);

		if (err)
			return err;
		for (int c = 0; c < GIF_COUNTERS; c++)
			out->c[k][c] = s.c[c];
	}
	return 0;
}

static const char *const counter_names[] = { GIF_COUNTER_NAMES };

/* Compares the counters with the model's running totals; false after reporting a difference. */
static bool counters_check(const char *prog, uint64_t from, uint64_t to)
{
	struct counters now;
	bool ok = true;

	if (counters_read(&now)) {
		printf("pktfuzz: cannot read the counters\n");
		return false;
	}
	for (int k = 0; k <= ENV_NDEV; k++)
		for (int c = 0; c < GIF_COUNTERS; c++) {
			long long got = now.c[k][c] - base.c[k][c], want = expected.c[k][c];

			if (got == want)
				continue;
			if (ok) {
				violations++;
				printf("VIOLATION %s counters after packets %" PRIu64 "-%" PRIu64
				       " (seed %" PRIu64 "):\n", prog, from, to - 1, seed);
			}
			ok = false;
			printf("    %s %s: %lld, model %lld\n", env_key_name(k),
			       c < GIF_C_USED ? counter_names[c] : "(unused)", got, want);
		}
	if (!ok) {
		repro(prog, from, to - from, true);
		/* Continue from the kernel's values so one difference is reported once. */
		for (int k = 0; k <= ENV_NDEV; k++)
			for (int c = 0; c < GIF_COUNTERS; c++)
				expected.c[k][c] = now.c[k][c] - base.c[k][c];
	}
	return ok;
}

static void add_deltas(const struct fz_delta *d, int nd)
{
	for (int i = 0; i < nd; i++)
		expected.c[d[i].key][d[i].c] += d[i].n;
}

/* ---- outcome statistics ------------------------------------------------------------------------ */

struct tally {
	const char *why;
	int verdict;
	uint64_t n;
};

static struct tally tallies[64];
static int ntallies;

static void tally(const char *why, int verdict)
{
	for (int i = 0; i < ntallies; i++)
		if (tallies[i].why == why && tallies[i].verdict == verdict) {
			tallies[i].n++;
			return;
		}
	if (ntallies < 64)
		tallies[ntallies++] = (struct tally){ why, verdict, 1 };
}

static void tally_print(bool xdp)
{
	for (int i = 0; i < ntallies; i++)
		printf("    %9" PRIu64 "  %-14s %s\n", tallies[i].n,
		       tallies[i].verdict < 0 ? "(refused)"
		       : xdp		      ? xdp_verdict(tallies[i].verdict)
					      : tc_verdict(tallies[i].verdict),
		       tallies[i].why);
	ntallies = 0;
}

/* ---- the runs ------------------------------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The checksum residue of an IPv4 header: what an incremental update must preserve. */
static __u16 residue(const __u8 *h, size_t len)
{
	__u16 r = ~pkt_csum_fold(pkt_csum_add(0, h, len)) & 0xffff;

	return r == 0xffff ? 0 : r;
}

/* PROG: "xdp" (gif_xdp_rx), or "tc-rx" (gif_tc_rx on the same frame, its verdict mapped to XDP's). */
static bool check_xdp(const char *prog, uint64_t index, const struct xdp_case *c,
		      const struct xdp_expect *x, int err, __u32 ret, const __u8 *out, __u32 out_len)
{
	const char *bad = NULL;

	if (x->verdict < 0) {
		if (!err)
			bad = "the test run accepted a frame shorter than Ethernet";
	} else if (err) {
		violation(prog, index, c->gen, "BPF_PROG_TEST_RUN failed: %s (harness)",
			  strerror(errno));
		return !keep_going;
	} else if ((int)ret != x->verdict) {
		bad = "wrong verdict";
	} else if (ret == XDP_PASS && (out_len != c->len || memcmp(out, c->data, c->len))) {
		bad = "passed frame was altered";
	} else if (ret == XDP_REDIRECT) {
		if (out_len != x->out_len) {
			bad = "decapsulated frame has the wrong length";
		} else {
			for (size_t i = 0; i < out_len && !bad; i++)
				if (out[i] != x->out[i] &&
				    !(x->csum_off && (i == x->csum_off || i == x->csum_off + 1)))
					bad = "decapsulated frame differs from Ethernet + inner packet";
			if (!bad && x->csum_off) {
				size_t hl = (out[ETH_HLEN_FZ] & 15) * 4;
				const __u8 *orig = c->data + x->inner_in;

				if (residue(orig, hl) != residue(out + ETH_HLEN_FZ, hl))
					bad = "inner IPv4 checksum not updated with the ECN field";
			}
		}
	}
	if (!bad)
		return false;
	if (violation(prog, index, c->gen, "%s: got %s (%d), model %s (%s); %s", bad,
		      err ? "refused" : xdp_verdict(ret), err ? -errno : (int)ret,
		      x->verdict < 0 ? "refused" : xdp_verdict(x->verdict), x->why,
		      c->ingress ? "ctx ingress set" : "ingress lo")) {
		hexdump("input", c->data, c->len, NULL, 0);
		if (!err)
			hexdump("output", out, out_len, x->verdict == XDP_REDIRECT ? x->out : c->data,
				x->verdict == XDP_REDIRECT ? x->out_len : c->len);
		if (x->verdict == XDP_REDIRECT)
			hexdump("model", x->out, x->out_len, NULL, 0);
		repro("xdp", index, 1, false);
	}
	return !keep_going;
}

static bool check_tc(uint64_t index, const struct tc_case *c, const struct tc_expect *x, int err,
		     __u32 ret, const __u8 *out, __u32 out_len)
{
	const char *bad = NULL;

	if (x->verdict < 0) {
		if (!err)
			bad = "the test run accepted a frame shorter than Ethernet";
	} else if (err && x->refusable) {
		return false;
	} else if (err) {
		violation("tc", index, c->gen, "BPF_PROG_TEST_RUN failed: %s (harness)",
			  strerror(errno));
		return !keep_going;
	} else if ((int)ret != x->verdict) {
		bad = "wrong verdict";
	} else if (ret == TC_ACT_REDIRECT) {
		if (out_len != x->out_len) {
			bad = "encapsulated frame has the wrong length";
		} else {
			for (size_t i = 0; i < out_len && !bad; i++)
				if ((out[i] ^ x->out[i]) & x->mask[i])
					bad = "encapsulated frame differs from outer header + inner "
					      "packet";
			if (!bad && out[12] == 0x08 &&
			    pkt_csum_fold(pkt_csum_add(0, out + ETH_HLEN_FZ, 20)))
				bad = "outer IPv4 header checksum wrong";
		}
	}
	if (!bad)
		return false;
	if (violation("tc", index, c->gen, "%s: got %s (%d), model %s (%s); ifindex %u%s", bad,
		      err ? "refused" : tc_verdict(ret), err ? -errno : (int)ret,
		      x->verdict < 0 ? "refused" : tc_verdict(x->verdict), x->why, c->ifindex,
		      c->gso_size ? " (GSO)" : "")) {
		hexdump("input", c->data, c->len, NULL, 0);
		if (!err)
			hexdump("output", out, out_len, x->verdict == TC_ACT_REDIRECT ? x->out : NULL,
				x->out_len);
		if (x->verdict == TC_ACT_REDIRECT)
			hexdump("model", x->out, x->out_len, NULL, 0);
		repro("tc", index, 1, false);
	}
	return !keep_going;
}

/*
 * The same frame through gif_tc_rx, the decapsulation at TC ingress (on ul0, arrival as the XDP
 * run's), its verdict as XDP's: TC_ACT_REDIRECT, _OK, _SHOT are XDP_REDIRECT, _PASS, _DROP. False
 * when the TC test run cannot take the frame (an IP frame shorter than its network header).
 */
static bool run_tc_rx(const struct xdp_case *c, __u8 *out, int *err, __u32 *ret, __u32 *out_len)
{
	__u16 type = c->len >= 14 ? c->data[12] << 8 | c->data[13] : 0;
	struct __sk_buff ctx = { .ifindex = (__u32)world.e->ul.ifindex,
				 .ingress_ifindex = c->ingress ?: 1 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = c->data, .data_size_in = c->len,
		    .data_out = out, .data_size_out = FZ_BUF + 512, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);

	if (c->len < 14u + (type == 0x0800 ? 20 : type == 0x86dd ? 40 : 0))
		return false;
	*err = bpf_prog_test_run_opts(world.e->dp.tcrx_fd, &opts) ? -1 : 0;
	*ret = opts.retval == TC_ACT_REDIRECT ? XDP_REDIRECT :
	       opts.retval == TC_ACT_SHOT ? XDP_DROP : opts.retval == TC_ACT_OK ? XDP_PASS : 99;
	*out_len = opts.data_size_out;
	return true;
}

static int run(bool xdp)
{
	static struct xdp_case xc;
	static struct xdp_expect xx;
	static struct tc_case tcc;
	static struct tc_expect tx;
	static __u8 out[FZ_BUF + 512];
	const char *prog = xdp ? "xdp" : "tc";
	uint64_t phase = (uint64_t)-1, last_check = start, v0 = violations;
	size_t nsys = xdp ? gen_xdp_systematic_count(&world) : gen_tc_systematic_count(&world);
	int fd = xdp ? world.e->dp.xdp_fd : world.e->dp.tc_fd;
	double t0, gen_time = 0, run_time = 0;

	memset(&expected, 0, sizeof(expected));
	if (counters_read(&base)) {
		printf("pktfuzz: cannot read the counters\n");
		return -1;
	}
	t0 = now_s();
	for (uint64_t i = start; i < start + count; i++) {
		struct rng r;
		double ta, tb;
		__u32 ret, out_len;
		int err;

		if (i / phase_len != phase) {
			/* counters are compared before options change, to keep ranges short */
			if (i != start && !counters_check(prog, last_check, i) && !keep_going)
				return 1;
			last_check = i;
			phase = i / phase_len;
			if (phase_apply(phase))
				return -1;
		}
		rng_init(&r, seed, xdp ? SALT_XDP : SALT_TC, i);
		ta = now_s();
		if (xdp) {
			gen_xdp(&world, &r, i, &xc);
			xdp_model(&world, &xc, &xx);
		} else {
			gen_tc(&world, &r, i, &tcc);
			tc_model(&world, &tcc, &tx);
		}
		tb = now_s();
		gen_time += tb - ta;
		if (xdp) {
			struct xdp_md ctx = { .data_end = xc.len, .ingress_ifindex = xc.ingress };
			LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = xc.data,
				    .data_size_in = xc.len, .data_out = out,
				    .data_size_out = sizeof(out), .repeat = 1);

			if (xc.ingress) {
				opts.ctx_in = &ctx;
				opts.ctx_size_in = sizeof(ctx);
			}
			err = bpf_prog_test_run_opts(fd, &opts) ? -1 : 0;
			ret = opts.retval;
			out_len = opts.data_size_out;
		} else {
			struct __sk_buff ctx = { .ifindex = tcc.ifindex, .gso_size = tcc.gso_size,
						 .gso_segs = tcc.gso_segs };
			LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = tcc.data,
				    .data_size_in = tcc.len, .data_out = out,
				    .data_size_out = sizeof(out), .ctx_in = &ctx,
				    .ctx_size_in = sizeof(ctx), .repeat = 1);

			err = bpf_prog_test_run_opts(fd, &opts) ? -1 : 0;
			ret = opts.retval;
			out_len = opts.data_size_out;
		}
		run_time += now_s() - tb;
		if (verbose_run)
			printf("%s %" PRIu64 " %s [%s] %zu bytes: %s, model %s (%s)\n", prog, i,
			       i < nsys ? "sys" : "rnd", xdp ? xc.gen : tcc.gen,
			       xdp ? xc.len : tcc.len,
			       err ? "refused" : xdp ? xdp_verdict(ret) : tc_verdict(ret),
			       xdp ? (xx.verdict < 0 ? "refused" : xdp_verdict(xx.verdict))
				   : (tx.verdict < 0 ? "refused" : tc_verdict(tx.verdict)),
			       xdp ? xx.why : tx.why);
		if (verbose_run && count <= 16) {
			hexdump("input", xdp ? xc.data : tcc.data, xdp ? xc.len : tcc.len, NULL, 0);
			if (!err)
				hexdump("output", out, out_len, NULL, 0);
		}
		if (xdp) {
			tally(xx.why, xx.verdict);
			if (check_xdp("xdp", i, &xc, &xx, err, ret, out, out_len))
				return 1;
			if (!err)
				add_deltas(xx.d, xx.nd);
			if (!err && run_tc_rx(&xc, out, &err, &ret, &out_len)) {
				if (check_xdp("tc-rx", i, &xc, &xx, err, ret, out, out_len))
					return 1;
				if (!err)
					add_deltas(xx.d, xx.nd);
			}
		} else {
			tally(err && tx.refusable ? "IP EtherType but shorter than an IP header: "
						    "refused by the test run (kernel 6.18)"
						  : tx.why,
			      err && tx.refusable ? -1 : tx.verdict);
			if (check_tc(i, &tcc, &tx, err, ret, out, out_len))
				return 1;
			if (!err)
				add_deltas(tx.d, tx.nd);
		}
		if ((i + 1 - last_check) >= check_every || i + 1 == start + count) {
			if (!counters_check(prog, last_check, i + 1) && !keep_going)
				return 1;
			last_check = i + 1;
		}
	}
	{
		double t = now_s() - t0;

		printf("pktfuzz: %s: %" PRIu64 " packets (indices %" PRIu64 "-%" PRIu64
		       ", %zu systematic), seed %" PRIu64 ": %" PRIu64 " violations; %.1f s, "
		       "%.0f packets/s (test runs %.1f s, generation and model %.1f s)\n",
		       prog, count, start, start + count - 1,
		       nsys > start ? (size_t)(nsys - start < count ? nsys - start : count) : 0,
		       seed, violations - v0, t, count / t, run_time, gen_time);
		printf("  outcomes (model):\n");
		tally_print(xdp);
		printf("  reproduce: %s --prog %s --seed %" PRIu64 " --start %" PRIu64 " --count %" PRIu64
		       " --phase-len %" PRIu64 "\n", self, prog, seed, start, count, phase_len);
	}
	phase_apply(0);
	return violations > v0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pktfuzz [--prog xdp|tc|both] [--seed N] [--count N] [--start INDEX]\n"
		   "               [--phase-len N] [--check-every N] [--keep-going] [-v]\n");
}

static uint64_t number(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "pktfuzz: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "start", required_argument, NULL, 'S' },
		{ "phase-len", required_argument, NULL, 'L' },
		{ "check-every", required_argument, NULL, 'C' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct env *e;
	int opt, rc = 0, err;

	self = argv[0];
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'P':
			progs = optarg;
			if (strcmp(progs, "xdp") && strcmp(progs, "tc") && strcmp(progs, "both")) {
				usage(stderr);
				return 2;
			}
			break;
		case 's':
			seed = number(optarg, "seed");
			break;
		case 'n':
			count = number(optarg, "count");
			break;
		case 'S':
			start = number(optarg, "start");
			break;
		case 'L':
			phase_len = number(optarg, "phase length");
			if (!phase_len)
				phase_len = 1;
			break;
		case 'C':
			check_every = number(optarg, "check interval");
			if (!check_every)
				check_every = 1;
			break;
		case 'k':
			keep_going = true;
			break;
		case 'v':
			verbose_run = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_setup_libbpf();
	err = netns_enter();
	if (err) {
		fprintf(stderr, "pktfuzz: cannot enter a private network namespace: %s (run as "
				"root)\n", strerror(-err));
		return 2;
	}
	test_start("pktfuzz: datapath rig");
	e = env_get();
	if (!e) {
		test_end();
		return 2;
	}
	if ((err = world_init(e))) {
		fprintf(stderr, "pktfuzz: cannot read the rig's routes: %s\n", strerror(-err));
		return 2;
	}
	if (!world_matches_maps())
		return 2;
	printf("pktfuzz: seed %" PRIu64 ", %" PRIu64 " packets per program from index %" PRIu64
	       ", options change every %" PRIu64 " packets, counters checked every %" PRIu64 "\n",
	       seed, count, start, phase_len, check_every);
	if (strcmp(progs, "tc"))
		rc |= run(true);
	if ((rc == 0 || keep_going) && rc >= 0 && strcmp(progs, "xdp"))
		rc |= run(false);
	env_put();
	if (rc < 0)
		return 2;
	if (violations)
		printf("pktfuzz: FAIL: %" PRIu64 " violation(s) (seed %" PRIu64 ")\n", violations,
		       seed);
	return violations ? 1 : 0;
}
