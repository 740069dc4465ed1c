/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gifctl datapath: gif_xdp_rx decapsulates on every attached underlay, gif_tc_tx
 * encapsulates on every gif device's egress. Both only read maps; counters are per CPU.
 */
#include "decap.bpf.h"
#include "encap.bpf.h"

SEC("xdp")
int gif_xdp_rx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct outer o = {};
	enum outer_verdict v;
	struct gif_tunnel t;
	__u32 len;

	if ((void *)(eth + 1) > end || !datapath_armed())
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		v = parse_outer4(data + ETH_HLEN, end, &o);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		v = parse_outer6(data + ETH_HLEN, end, &o);
	else
		return XDP_PASS;

	if (v != OUTER_TUNNEL) {
		if (v == OUTER_MALFORMED)
			count(0, GIF_C_RX_MALFORMED);
		else if (v == OUTER_FRAGMENT)
			count(0, GIF_C_RX_FRAGMENT);
		return XDP_PASS;
	}
	if (!tunnel_by_pair(&o.key, &t)) {
		count(0, GIF_C_RX_NO_TUNNEL);
		return XDP_PASS;
	}
	if (o.outer_len > GIF_MAX_OUTER_LEN)
		return XDP_PASS;
	len = inner_len(data + ETH_HLEN + o.outer_len, end, o.inner_proto, o.payload_len);
	if (!len) {
		count(t.ifindex, GIF_C_RX_INNER_MISMATCH);
		return XDP_PASS;
	}
	if (!strip_outer(ctx, &o, len, &t))
		return XDP_DROP;
	count_traffic(t.ifindex, GIF_C_RX_PACKETS, 1, len);
	return bpf_redirect(t.peer_ifindex, 0);
}

SEC("tc")
int gif_tc_tx(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex, len = skb->len - ETH_HLEN, oif;
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
	if (!push_outer(skb, &t, &in)) {
		count(ifindex, GIF_C_TX_ERROR);
		return TC_ACT_SHOT;
	}
	err = route_outer(skb, &t, in.tos, &oif, &nh);
	if (err != GIF_C_USED) {
		count(ifindex, err);
		return TC_ACT_SHOT;
	}
	count_traffic(ifindex, GIF_C_TX_PACKETS, skb->gso_segs ?: 1, len);
	return bpf_redirect_neigh(oif, &nh, sizeof(nh), 0);
}

char LICENSE[] SEC("license") = "GPL";
