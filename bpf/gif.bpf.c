/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gifctl datapath: gif_xdp_rx decapsulates on every attached underlay, gif_tc_tx
 * encapsulates on every gif device's egress. Both only read maps; counters are per CPU.
 */
#include "decap.bpf.h"
#include "ecn.bpf.h"
#include "encap.bpf.h"
#include "ptb.bpf.h"

/* The verdict for a frame that is not (or not validly) a packet of one of our tunnels. */
static __always_inline int not_ours(enum outer_verdict v)
{
	if (v == OUTER_MALFORMED)
		count(0, GIF_C_RX_MALFORMED);
	else if (v == OUTER_FRAGMENT)
		count(0, GIF_C_RX_FRAGMENT);
	return XDP_PASS;
}

SEC("xdp")
int gif_xdp_rx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct outer o = {};
	enum outer_verdict v;
	struct gif_tunnel t;
	__u32 len, off;
	void *inner;

	if ((void *)(eth + 1) > end || !datapath_armed())
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		v = parse_outer4(data + ETH_HLEN, end, &o);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		v = parse_outer6(data + ETH_HLEN, end, &o);
	else
		return XDP_PASS;
	if (v != OUTER_TUNNEL)
		return not_ours(v);
	if (is_martian(&o.key)) {
		count(0, GIF_C_RX_MARTIAN);
		return XDP_PASS;
	}
	if (!tunnel_by_pair(&o.key, &t)) {
		count(0, GIF_C_RX_NO_TUNNEL);
		return XDP_PASS;
	}
	/* Bounds the offset in the register the verifier sees, not in a stack copy of it. */
	off = o.outer_len;
	asm volatile("" : "+r"(off));
	if (off > GIF_MAX_OUTER_LEN)
		return XDP_PASS;
	inner = data + ETH_HLEN + off;
	len = inner_len(inner, end, o.inner_proto, o.payload_len);
	if (!len) {
		count(t.ifindex, GIF_C_RX_INNER_MISMATCH);
		return XDP_PASS;
	}
	if ((t.flags & GIF_F_INGRESS_FILTER) && !route_back_via(ctx, &t)) {
		count(t.ifindex, GIF_C_RX_INGRESS_FILTER);
		return XDP_DROP;
	}
	if (t.ecn != GIF_ECN_OFF) {
		enum ecn_verdict e = apply_ecn(inner, end, o.inner_proto, o.ecn);

		if (e == ECN_DROP) {
			count(t.ifindex, GIF_C_RX_ECN_CE_NOT_ECT);
			return XDP_DROP;
		}
		if (e == ECN_OK_NOT_ECT)
			count(t.ifindex, GIF_C_RX_ECN_NOT_ECT);
	}
	if (!strip_outer(ctx, &o, len, &t))
		return XDP_DROP;
	count_traffic(t.ifindex, GIF_C_RX_PACKETS, 1, len);
	return bpf_redirect(t.peer_ifindex, 0);
}

SEC("tc")
int gif_tc_tx(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex, len = skb->len - ETH_HLEN, oif, mtu = 0;
	/* adjust_room resets gso_segs: read the segment count first. */
	__u32 segs = skb->gso_segs ?: 1;
	struct bpf_redir_neigh nh = {};
	enum gif_counter err;
	struct gif_tunnel t;
	struct inner in;

	if (!datapath_armed() || !tunnel_by_dev(ifindex, &t) || t.family == GIF_AF_NONE) {
		count(ifindex, GIF_C_TX_NO_TUNNEL);
		return TC_ACT_SHOT;
	}
	if (!read_inner(skb, &in)) {
		count(ifindex, GIF_C_TX_NOT_IP);
		return TC_ACT_SHOT;
	}
	err = route_outer(skb, &t, &in, &oif, &nh, &mtu);
	if (err != GIF_C_USED) {
		count(ifindex, err);
		if (err == GIF_C_TX_TOO_BIG)
			return send_too_big(skb, &t, &in, mtu - outer_hlen(&t));
		return TC_ACT_SHOT;
	}
	if (!push_outer(skb, &t, &in)) {
		count(ifindex, GIF_C_TX_ERROR);
		return TC_ACT_SHOT;
	}
	count_traffic(ifindex, GIF_C_TX_PACKETS, segs, len);
	return bpf_redirect_neigh(oif, &nh, sizeof(nh), 0);
}

char LICENSE[] SEC("license") = "GPL";
