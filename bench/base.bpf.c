/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The baselines the datapath is measured against, and the benchmark's packet sinks. None of
 * them parses a packet: each does the least its path needs, with constants from cfg.
 *
 *   xdp_redirect  XDP on the underlay: redirect every frame, unchanged, into the gif peer
 *   xdp_strip     XDP on the underlay: remove a fixed number of bytes after the Ethernet header,
 *                 write a fixed Ethernet header, redirect into the gif peer; the frames that
 *                 reach the gif device are then byte for byte those gif_xdp_rx delivers
 *   tc_redirect   TC on the gif device's egress: redirect every packet, unchanged, to the underlay
 *   tc_drop       TC ingress sink: drop
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "gen.h"

#define TC_ACT_SHOT 2

struct base_cfg cfg;

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	return bpf_redirect(cfg.ifindex, 0);
}

SEC("xdp")
int xdp_strip(struct xdp_md *ctx)
{
	void *data, *end;

	if (bpf_xdp_adjust_head(ctx, cfg.strip))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + ETH_HLEN_ > end)
		return XDP_DROP;
	__builtin_memcpy(data, cfg.eth, ETH_HLEN_);
	return bpf_redirect(cfg.ifindex, 0);
}

SEC("tc")
int tc_redirect(struct __sk_buff *skb)
{
	return bpf_redirect(cfg.ifindex, 0);
}

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
