// SPDX-License-Identifier: GPL-2.0
/* The program runs of prog.h. */
#include <string.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "prog.h"
#include "test.h"

const char *xdp_verdict(int v)
{
	static const char *const names[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					     "XDP_REDIRECT" };

	return v >= 0 && v < (int)ARRAY_SIZE(names) ? names[v] : "?";
}

const char *tc_verdict(int v)
{
	switch (v) {
	case TC_ACT_OK:
		return "TC_ACT_OK";
	case TC_ACT_SHOT:
		return "TC_ACT_SHOT";
	case TC_ACT_REDIRECT:
		return "TC_ACT_REDIRECT";
	default:
		return "?";
	}
}

int run_xdp(const struct env *e, __u32 ingress, const struct pkt *in, int want_ret,
	    const struct pkt *want, const struct ctr_delta *d, int nd)
{
	/* The kernel wants data_end to be the frame's length when a context is passed. */
	struct xdp_md ctx = { .data_end = in->len, .ingress_ifindex = ingress };
	struct env_counters before, after;
	__u8 out[PKT_MAX + 512];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in->data, .data_size_in = in->len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	int err;

	if (ingress) {
		opts.ctx_in = &ctx;
		opts.ctx_size_in = sizeof(ctx);
	}
	if (!env_counters_read(e, &before))
		return -1;
	err = bpf_prog_test_run_opts(e->dp.xdp_fd, &opts);
	if (!ASSERT_OK(err, "BPF_PROG_TEST_RUN"))
		return -1;
	CHECK(opts.retval == (__u32)want_ret, "verdict %s (%u), expected %s (%d)",
	      xdp_verdict(opts.retval), opts.retval, xdp_verdict(want_ret), want_ret);
	if (want)
		pkt_expect_eq("frame", out, opts.data_size_out, want->data, want->len, NULL);
	if (env_counters_read(e, &after))
		env_counters_expect(&before, &after, d, nd);
	if (test_verbose) {
		pkt_note_hex("input", in->data, in->len);
		pkt_note_hex("output", out, opts.data_size_out);
	}
	return opts.retval;
}

int run_tc(const struct env *e, __u32 ifindex, const struct pkt *in, __u8 *out, __u32 *out_len)
{
	struct __sk_buff ctx = { .ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in->data, .data_size_in = in->len,
		    .data_out = out, .data_size_out = PKT_MAX, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);
	int err = bpf_prog_test_run_opts(e->dp.tc_fd, &opts);

	if (!ASSERT_OK(err, "BPF_PROG_TEST_RUN"))
		return -1;
	*out_len = opts.data_size_out;
	if (test_verbose) {
		pkt_note_hex("input", in->data, in->len);
		pkt_note_hex("output", out, opts.data_size_out);
	}
	return opts.retval;
}

void check_ip4_csum(const __u8 *out, __u32 len)
{
	if (!CHECK(len >= 14 + 20, "output too short for an IPv4 header (%u bytes)", len))
		return;
	CHECK(pkt_csum_fold(pkt_csum_add(0, out + 14, 20)) == 0,
	      "outer IPv4 header checksum 0x%02x%02x does not verify", out[24], out[25]);
}
