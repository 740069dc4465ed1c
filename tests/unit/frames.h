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

/* DSCP EF (46) with ECT(1): every bit of the traffic class is visible. */
#define INNER_TOS 0xb9

struct inner_spec {
	int version;		/* 4: ICMP echo, 6: UDP datagram (ICMPv6 echo with icmp6) */
	bool icmp6;
	bool bare;		/* the IP header alone (protocol 253 / next header 59) */
	__u8 tos;		/* TOS / traffic class */
	const char *src, *dst;	/* NULL: INNER*_REMOTE -> INNER*_LOCAL */
	size_t payload;		/* bytes after the ICMP/UDP header */
};

void build_inner(struct pkt *p, const struct inner_spec *s);

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

#endif
