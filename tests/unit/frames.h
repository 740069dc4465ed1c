/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packets the datapath tests share: inner packets as a host behind the tunnel sends them,
 * and tunnel frames as the remote endpoint sends them over the underlay (built with pkt.h).
 */
#ifndef GIF_UNIT_FRAMES_H
#define GIF_UNIT_FRAMES_H

#include "env.h"
#include "pkt.h"

/* Inner addresses: the host behind the remote end (2) talks to the one behind us (1). */
#define INNER4_REMOTE "198.19.0.2"
#define INNER4_LOCAL "198.19.0.1"
#define INNER6_REMOTE "2001:db8:1::2"
#define INNER6_LOCAL "2001:db8:1::1"

/* The four family combinations, each over the rig's tunnel of its outer family. */
struct combo {
	const char *name;	/* "6in4": inner in outer */
	int inner, outer;	/* IP versions */
	enum env_dev dev;	/* gif0 (IPv4 outer) or gif6 (IPv6 outer) */
};

#define NCOMBOS 4
extern const struct combo combos[NCOMBOS];

/* DSCP EF (46) with ECT(1): every bit of the traffic class is visible. */
#define INNER_TOS 0xb9

struct inner_spec {
	int version;		/* 4: ICMP echo, 6: UDP datagram (ICMPv6 echo with icmp6) */
	bool icmp6;
	bool bare;		/* the IP header alone (protocol 253 / next header 59) */
	__u8 tos;		/* TOS / traffic class */
	__u8 ttl;		/* TTL / hop limit; 0: 63 */
	const char *src, *dst;	/* NULL: INNER*_REMOTE -> INNER*_LOCAL */
	size_t payload;		/* bytes after the ICMP/UDP header */
};

void build_inner(struct pkt *p, const struct inner_spec *s);
/* An inner packet as this side sends it: INNER*_LOCAL -> INNER*_REMOTE unless given. */
void build_inner_egress(struct pkt *p, const struct inner_spec *s);

enum ext_hdr { EXT_NONE, EXT_HBH, EXT_DST, EXT_FRAG };

/* A tunnel frame arriving on ul0 from the remote endpoint. */
struct frame_spec {
	int outer;		/* outer IP version */
	__u8 tos;		/* outer TOS / traffic class */
	__u8 proto;		/* outer protocol / final next header; 0: by the inner version */
	const char *src, *dst;	/* outer addresses; NULL: the gif0/gif6 tunnel's remote, local */
	__u8 ihl;		/* IPv4: 6..15 adds options (router alert, NOPs, EOL); 0: 5 */
	__u16 frag_off;		/* IPv4: flags and fragment offset */
	enum ext_hdr ext[3];	/* IPv6: extension headers in order, EXT_NONE ends */
	size_t extra;		/* bytes inside the outer payload after the inner packet */
	size_t trailer;		/* bytes after the outer packet (Ethernet padding) */
	__u8 trailer_byte;	/* their value */
};

/* The underlay frame carrying INNER. */
void build_frame(struct pkt *f, const struct frame_spec *s, const struct pkt *inner,
		 const struct env *e);
/* The decapsulated frame: Ethernet to the gif device's MAC from SRC_MAC, then exactly INNER. */
void build_decapped(struct pkt *x, const struct pkt *inner, const struct env *e, int dev,
		    const __u8 src_mac[6]);

/*
 * The frame leaving gif device DEV: Ethernet to ETH_DST (NULL: the device's MAC, what its NOARP
 * neighbours resolve to) from the device's MAC, EtherType TYPE (0: by INNER's IP version), then
 * INNER (any bytes: an ARP body too).
 */
void build_egress(struct pkt *p, const struct env *e, int dev, const struct pkt *inner,
		  const __u8 *eth_dst, __u16 type);

/* The outer header fields gif_tc_tx takes from the tunnel's options and the inner packet. */
struct outer_spec {
	__u8 tos;		/* TOS / traffic class */
	__u8 ttl;		/* TTL / hop limit */
	__u16 frag_off;		/* IPv4: flags (IP4_DF or 0) */
	__u16 id;		/* IPv4: identification */
};

/*
 * The frame gif_tc_tx makes of INNER on DEV: Ethernet (both addresses the gif device's;
 * bpf_redirect_neigh fills them in), the outer header with every field set, INNER unmodified.
 * MASK (PKT_MAX) gets 0xff for every byte compared, less for the IPv6 flow label (a hash).
 */
void build_encapped(struct pkt *x, __u8 *mask, const struct env *e, int dev,
		    const struct pkt *inner, const struct outer_spec *o);

#endif
