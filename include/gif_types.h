/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structures shared by the BPF datapath (bpf/) and gifctl (ctl/): map keys, map values and the
 * counter ABI. Everything here is ABI: fields and counters are only ever appended.
 */
#ifndef GIF_TYPES_H
#define GIF_TYPES_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define GIF_ABI_VERSION 1

/* Capacity of gif_rx (endpoint pairs) and gif_tx (gif devices). */
#define GIF_MAX_TUNNELS 65536

/* struct gif_pair.family and struct gif_tunnel.family use the AF_* values. */
#define GIF_AF_NONE 0
#define GIF_AF_INET 2
#define GIF_AF_INET6 10

/* Key of gif_rx: a tunnel's outer addresses as this host sees them. IPv4 uses bytes 0-3. */
struct gif_pair {
	__u32 family;
	__u8 local[16];
	__u8 remote[16];
};

/* gif_tunnel.flags */
#define GIF_F_PMTUDISC 0x01		/* IPv4 outer: set DF */
#define GIF_F_INGRESS_FILTER 0x02	/* decapsulate only if the route back leaves via the arrival iface */

#define GIF_TTL_INHERIT 0		/* gif_tunnel.ttl: copy the inner TTL / hop limit */
#define GIF_DSCP_INHERIT 0xff		/* gif_tunnel.dscp: copy the inner DSCP */
#define GIF_DEFAULT_TTL 64

enum gif_ecn_mode {
	GIF_ECN_NORMAL = 0,	/* RFC 6040 normal mode */
	GIF_ECN_COMPAT = 1,	/* outer Not-ECT */
	GIF_ECN_OFF = 2,	/* BSD gif: outer ECN ignored on decapsulation */
};

/*
 * One tunnel's whole configuration: the only element of an inner map named gif_tunnel. gifctl
 * fills an inner map, freezes it, and only then publishes it in gif_tx (by device) and gif_rx
 * (by pair); it is never written again. A re-configuration publishes a new inner map, so the
 * datapath always sees one whole configuration, old or new. family == GIF_AF_NONE: a gif device
 * without endpoints.
 */
struct gif_tunnel {
	__u32 ifindex;		/* the gif device */
	__u32 peer_ifindex;	/* its hidden veth end: XDP redirect target, FIB lookup input */
	__u32 family;
	__u32 mtu;		/* the gif device's MTU when configured */
	__u8 local[16];
	__u8 remote[16];
	__u8 gif_mac[6];	/* destination MAC of decapsulated frames (the gif device's) */
	__u8 ttl;
	__u8 dscp;
	__u8 ecn;
	__u8 flags;
	__u8 pad[2];
};

/* Value of gif_meta[0]: identifies the network namespace a set of gif maps belongs to. */
struct gif_meta {
	__u64 netns_cookie;
	__u32 abi_version;
	__u32 pad;
};

/* Where an underlay decapsulates (struct gif_underlay.mode). */
enum gif_decap_mode {
	GIF_DECAP_XDP = 0,	/* gif_xdp_rx in XDP, native or generic */
	GIF_DECAP_TC = 1,	/* gif_tc_rx at the TC ingress */
};

/*
 * Value of gif_underlays (created by gifctl, keyed by ifindex): an underlay gifctl attached to.
 * A map made before mode existed has 16-byte values: its underlays are all XDP.
 */
struct gif_underlay {
	char name[16];
	__u32 mode;		/* enum gif_decap_mode */
};

/*
 * Per-tunnel counters, one slot per CPU in gif_stats, keyed by the gif device's ifindex; key 0
 * holds what no tunnel claimed. Indices are ABI: append only, never renumber.
 */
#define GIF_COUNTER_LIST(X)                                                                        \
	X(RX_PACKETS, rx_packets)                                                                  \
	X(RX_BYTES, rx_bytes)                                                                      \
	X(TX_PACKETS, tx_packets)                                                                  \
	X(TX_BYTES, tx_bytes)                                                                      \
	X(RX_NO_TUNNEL, rx_no_tunnel)                                                              \
	X(RX_INNER_MISMATCH, rx_inner_mismatch)                                                    \
	X(RX_FRAGMENT, rx_fragment)                                                                \
	X(RX_MALFORMED, rx_malformed)                                                              \
	X(TX_NO_TUNNEL, tx_no_tunnel)                                                              \
	X(TX_NOT_IP, tx_not_ip)                                                                    \
	X(TX_NO_ROUTE, tx_no_route)                                                                \
	X(TX_TOO_BIG, tx_too_big)                                                                  \
	X(TX_LOOP, tx_loop)                                                                        \
	X(TX_ERROR, tx_error)                                                                      \
	X(RX_ECN_CE_NOT_ECT, rx_ecn_ce_not_ect)                                                    \
	X(RX_ECN_NOT_ECT, rx_ecn_not_ect)                                                          \
	X(RX_MARTIAN, rx_martian)                                                                  \
	X(RX_INGRESS_FILTER, rx_ingress_filter)                                                    \
	X(TX_PTB_SENT, tx_ptb_sent)                                                                \
	X(RX_ERROR, rx_error)

#define GIF_COUNTER_ENUM(id, name) GIF_C_##id,
enum gif_counter { GIF_COUNTER_LIST(GIF_COUNTER_ENUM) GIF_C_USED };
#undef GIF_COUNTER_ENUM

/* Room for counters added later without changing the value size. */
#define GIF_COUNTERS 32

/* An initializer of the counters' names, indexed by enum gif_counter. */
#define GIF_COUNTER_STRING(id, name) [GIF_C_##id] = #name,
#define GIF_COUNTER_NAMES GIF_COUNTER_LIST(GIF_COUNTER_STRING)

#define GIF_COUNTER_FIELD(id, name) __u64 name;
struct gif_stats {
	union {
		__u64 c[GIF_COUNTERS];
		/* The same slots by name, for `bpftool map dump name gif_stats`. */
		struct {
			GIF_COUNTER_LIST(GIF_COUNTER_FIELD)
		};
	};
};
#undef GIF_COUNTER_FIELD

#endif
