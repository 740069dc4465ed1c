/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gifctl datapath: gif_xdp_rx (XDP) or gif_tc_rx (TC ingress) decapsulates on every attached
 * underlay, gif_tc_tx encapsulates on every gif device's egress. They only read maps; counters
 * are per CPU.
 */
#include "decap.bpf.h"
#include "ecn.bpf.h"
#include "encap.bpf.h"
#include "ptb.bpf.h"

SEC("xdp")
int gif_xdp_rx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	enum decap_verdict v;
	struct outer o = {};
	struct gif_tunnel t;
	__u32 len;

	if (!datapath_armed() || !decap_outer(data, end, end - data, &o))
		return XDP_PASS;
	v = decap_tunnel(ctx, true, &o, &t, &len);
	if (v != DECAP_GO)
		return v == DECAP_DROP ? XDP_DROP : XDP_PASS;
	if (!strip_outer(ctx, &o, len, &t)) {
		count(t.ifindex, GIF_C_RX_ERROR);
		return XDP_DROP;
	}
	count_traffic(t.ifindex, GIF_C_RX_PACKETS, 1, len);
	return bpf_redirect(t.peer_ifindex, 0);
}

/*
 * gif_xdp_rx's decapsulation on an skb, for underlays where XDP costs more than it saves (veth:
 * XDP turns packets into frames and loses GSO, README "Device model"). Same checks and counters;
 * lengths are checked against skb->len, since a GRO packet's payload is not in the linear part.
 * The inner packet goes to the hidden peer's egress and so arrives on the gif device exactly as
 * the XDP path's frames do (counted in its RX, GRO'd by its NAPI); a GSO packet stays one packet
 * and counts its segments.
 */
SEC("tc")
int gif_tc_rx(struct __sk_buff *skb)
{
	__u32 len, skb_len = skb->len, segs = skb->gso_segs ?: 1;
	enum decap_verdict v;
	struct outer o = {};
	struct gif_tunnel t;

	if (skb->protocol != bpf_htons(ETH_P_IP) && skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	if (!datapath_armed() || !pull_outer(skb) ||
	    !decap_outer((void *)(long)skb->data, (void *)(long)skb->data_end, skb_len, &o) ||
	    !pull_inner(skb, &o))
		return TC_ACT_OK;
	v = decap_tunnel(skb, false, &o, &t, &len);
	if (v != DECAP_GO)
		return v == DECAP_DROP ? TC_ACT_SHOT : TC_ACT_OK;
	if (!strip_outer_skb(skb, &o, len, &t)) {
		count(t.ifindex, GIF_C_RX_ERROR);
		return TC_ACT_SHOT;
	}
	/* A hash the underlay computed is the outer pair's, one for every flow of the tunnel: the
	 * kernel's tunnels clear it too (iptunnel_pull_header), so that RPS and a re-encapsulation's
	 * flow label hash the inner flow. */
	bpf_set_hash_invalid(skb);
	count_traffic(t.ifindex, GIF_C_RX_PACKETS, segs, skb->len - ETH_HLEN);
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
