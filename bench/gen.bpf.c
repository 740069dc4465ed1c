/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark's traffic generator, run with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES
 * (bench/gifbench.c). Live frames are recycled without their bytes being rewritten (kernel-facts
 * §11), and the paths under test rewrite headers in place (decapsulation writes an Ethernet header
 * over the outer IP header; forwarding decrements the TTL), so every run writes the whole header
 * stack again from a template: Ethernet, outer IPv4/IPv6 (tunnel frames), inner IPv4/IPv6 and
 * UDP, with fresh checksums. The payload behind them is never written by any path under test.
 *
 * Packet n belongs to flow n & flow_mask (inner UDP source port and inner source address) and to
 * tunnel n & tun_mask: for tunnel frames the outer source (the remote endpoint) is
 * remote_base + tunnel; for plain frames (encapsulation tests) the inner destination is
 * dst_base + tunnel, so that routes can spread them over several gif devices.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "gen.h"

struct gen_cfg cfg;	/* written by gifbench before the run */
__u64 seq;		/* packets generated: one CPU runs the generator, so no atomics */

static __always_inline __u16 csum_ip4(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		if (i != 5)
			sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Adds N to the last 32-bit word of an address (host-order arithmetic). */
static __always_inline void addr_add(__be32 *w, __u32 n)
{
	*w = bpf_htonl(bpf_ntohl(*w) + n);
}

/*
 * Writes one frame: HLEN bytes of headers from the template, then the per-packet fields.
 * OL: outer header length (0: no outer header), IL: inner header length (20 or 40).
 */
static __always_inline int gen_frame(struct xdp_md *ctx, const int ol, const int il)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	const int hlen = ETH_HLEN_ + ol + il + 8;
	__u64 n = seq++;
	__u32 flow = n & cfg.flow_mask, tun = n & cfg.tun_mask;
	struct udphdr *udp;

	if (data + hlen > end)
		return XDP_ABORTED;
	__builtin_memcpy(data, cfg.tmpl, hlen);

	if (ol == 20) {
		struct iphdr *o = data + ETH_HLEN_;

		addr_add(&o->saddr, tun);
		o->check = csum_ip4(o);
	} else if (ol == 40) {
		struct ipv6hdr *o = data + ETH_HLEN_;

		addr_add(&o->saddr.in6_u.u6_addr32[3], tun);
	}
	if (il == 20) {
		struct iphdr *i = data + ETH_HLEN_ + ol;

		addr_add(&i->saddr, flow >> 16);
		if (!ol)
			addr_add(&i->daddr, tun);
		i->check = csum_ip4(i);
	} else {
		struct ipv6hdr *i = data + ETH_HLEN_ + ol;

		addr_add(&i->saddr.in6_u.u6_addr32[3], flow >> 16);
		if (!ol)
			addr_add(&i->daddr.in6_u.u6_addr32[3], tun);
	}
	udp = data + ETH_HLEN_ + ol + il;
	udp->source = bpf_htons(flow & 0xffff);

	if (cfg.action == GEN_REDIRECT)
		return bpf_redirect(cfg.ifindex, 0);
	return cfg.action == GEN_PASS ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int gen(struct xdp_md *ctx)
{
	switch (cfg.layout) {
	case GEN_4IN4:
		return gen_frame(ctx, 20, 20);
	case GEN_6IN4:
		return gen_frame(ctx, 20, 40);
	case GEN_4IN6:
		return gen_frame(ctx, 40, 20);
	case GEN_6IN6:
		return gen_frame(ctx, 40, 40);
	case GEN_PLAIN4:
		return gen_frame(ctx, 0, 20);
	case GEN_PLAIN6:
		return gen_frame(ctx, 0, 40);
	}
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
