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

/* gif_tc_rx's verdict for gif_xdp_rx's. */
static int tc_rx_verdict(int xdp)
{
	return xdp == XDP_REDIRECT ? TC_ACT_REDIRECT : xdp == XDP_DROP ? TC_ACT_SHOT : TC_ACT_OK;
}

/* One run of gif_xdp_rx (XDP) or gif_tc_rx (on ul0's ingress), checked as run_xdp() says. */
static int run_one(const struct env *e, bool xdp, __u32 ingress, const struct pkt *in,
		   int want_ret, const struct pkt *want, const struct ctr_delta *d, int nd)
{
	/* The kernel wants data_end to be the frame's length when a context is passed. */
	struct xdp_md ctx = { .data_end = in->len, .ingress_ifindex = ingress };
	/* As in XDP, no arrival device given is lo's (ifindex 1). */
	struct __sk_buff skb = { .ifindex = (__u32)e->ul.ifindex, .ingress_ifindex = ingress ?: 1 };
	struct env_counters before, after;
	__u8 out[PKT_MAX + 512];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in->data, .data_size_in = in->len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	const char *prog = xdp ? "gif_xdp_rx" : "gif_tc_rx";
	int err, ret = xdp ? want_ret : tc_rx_verdict(want_ret);

	if (xdp && ingress) {
		opts.ctx_in = &ctx;
		opts.ctx_size_in = sizeof(ctx);
	} else if (!xdp) {
		opts.ctx_in = &skb;
		opts.ctx_size_in = sizeof(skb);
	}
	if (!env_counters_read(e, &before))
		return -1;
	err = bpf_prog_test_run_opts(xdp ? e->dp.xdp_fd : e->dp.tcrx_fd, &opts);
	if (!ASSERT_OK(err, xdp ? "BPF_PROG_TEST_RUN of gif_xdp_rx" : "BPF_PROG_TEST_RUN of gif_tc_rx"))
		return -1;
	CHECK(opts.retval == (__u32)ret, "%s: verdict %s (%u), expected %s (%d)", prog,
	      xdp ? xdp_verdict(opts.retval) : tc_verdict(opts.retval), opts.retval,
	      xdp ? xdp_verdict(ret) : tc_verdict(ret), ret);
	if (want)
		pkt_expect_eq(xdp ? "frame out of gif_xdp_rx" : "frame out of gif_tc_rx", out,
			      opts.data_size_out, want->data, want->len, NULL);
	if (env_counters_read(e, &after))
		env_counters_expect(&before, &after, d, nd);
	if (test_verbose) {
		pkt_note_hex("input", in->data, in->len);
		pkt_note_hex(xdp ? "output of gif_xdp_rx" : "output of gif_tc_rx", out,
			     opts.data_size_out);
	}
	return opts.retval;
}

/* The test run of a TC program refuses (-EINVAL) an IP frame shorter than its network header. */
static bool tc_runs(const struct pkt *in)
{
	__u16 type = in->len >= 14 ? in->data[12] << 8 | in->data[13] : 0;

	return in->len >= 14u + (type == ETHERTYPE_IPV4 ? 20 : type == ETHERTYPE_IPV6 ? 40 : 0);
}

int run_xdp(const struct env *e, __u32 ingress, const struct pkt *in, int want_ret,
	    const struct pkt *want, const struct ctr_delta *d, int nd)
{
	int ret = run_one(e, true, ingress, in, want_ret, want, d, nd);

	if (ret >= 0 && tc_runs(in) && run_one(e, false, ingress, in, want_ret, want, d, nd) < 0)
		return -1;
	return ret;
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
