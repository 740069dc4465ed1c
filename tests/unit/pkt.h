/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet builder for the datapath tests, independent of the BPF code: headers are appended outer
 * first with every field given, byte by byte in network order (no kernel header structs), and
 * pkt_finish() then fills in every length and checksum, innermost first. Expected packets are
 * built with it too, never copied from a program's output.
 */
#ifndef GIF_UNIT_PKT_H
#define GIF_UNIT_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define PKT_MAX 4096
#define PKT_MAX_HDRS 16

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd

#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_IPIP 4
#define PROTO_UDP 17
#define PROTO_IPV6 41
#define PROTO_FRAGMENT 44
#define PROTO_ICMPV6 58
#define PROTO_DSTOPTS 60

#define IP4_DF 0x4000
#define IP4_MF 0x2000

enum pkt_hdr_type {
	PKT_ETH,
	PKT_ARP,
	PKT_IP4,
	PKT_IP6,
	PKT_IP6_OPTS,	/* hop-by-hop or destination options */
	PKT_IP6_FRAG,
	PKT_ICMP4,
	PKT_ICMP6,
	PKT_UDP,
	PKT_RAW,	/* bytes pkt_finish() leaves alone (e.g. a finished inner packet) */
};

struct pkt {
	__u8 data[PKT_MAX];
	size_t len;
	int nhdr;
	struct {
		enum pkt_hdr_type type;
		size_t off;
	} hdr[PKT_MAX_HDRS];
};

struct ip4_spec {
	__u8 tos;
	__u16 id;
	__u16 frag_off;		/* flags and offset in 8-byte units, host order */
	__u8 ttl;
	__u8 protocol;
	const char *src, *dst;
	const __u8 *opts;	/* options, optlen a multiple of 4 (<= 40); IHL follows */
	size_t optlen;
};

struct ip6_spec {
	__u8 tclass;
	__u32 flow;		/* 20 bits */
	__u8 nexthdr;
	__u8 hop_limit;
	const char *src, *dst;
};

void pkt_init(struct pkt *p);
void pkt_eth(struct pkt *p, const __u8 dst[6], const __u8 src[6], __u16 type);
/* An ARP request (Ethernet/IPv4) from SHA/SPA for TPA. */
void pkt_arp(struct pkt *p, const __u8 sha[6], const char *spa, const char *tpa);
void pkt_ip4(struct pkt *p, const struct ip4_spec *s);
void pkt_ip6(struct pkt *p, const struct ip6_spec *s);
/*
 * An IPv6 hop-by-hop or destination options header (same layout; the previous header's next
 * header says which) holding OPTS (TLVs), padded with Pad1/PadN to a multiple of 8 bytes.
 */
void pkt_ip6_opts(struct pkt *p, __u8 nexthdr, const __u8 *opts, size_t optlen);
void pkt_ip6_frag(struct pkt *p, __u8 nexthdr, __u16 offset, bool more, __u32 id);
/* An ICMP(v6) header: TYPE, CODE, and the 32 bits after the checksum (REST, host order). */
void pkt_icmp4(struct pkt *p, __u8 type, __u8 code, __u32 rest);
void pkt_icmp6(struct pkt *p, __u8 type, __u8 code, __u32 rest);
void pkt_icmp4_echo(struct pkt *p, __u16 id, __u16 seq);
void pkt_icmp6_echo(struct pkt *p, __u16 id, __u16 seq);
void pkt_udp(struct pkt *p, __u16 sport, __u16 dport);
/* LEN bytes of a pattern that depends on SEED (payload of the last header). */
void pkt_payload(struct pkt *p, size_t len, __u8 seed);
void pkt_raw(struct pkt *p, const void *data, size_t len);
/* Lengths and checksums of every header, innermost first. */
void pkt_finish(struct pkt *p);
/* Bytes after the end of every header's length (Ethernet padding); call after pkt_finish(). */
void pkt_trailer(struct pkt *p, size_t len, __u8 byte);

/* Offset of the Nth header (0: the first pushed). */
size_t pkt_hdr_off(const struct pkt *p, int n);
/* Recomputes the IPv4 header checksum of the header at OFF (after changing it). */
void pkt_ip4_fix_csum(struct pkt *p, size_t off);

/* Internet checksum (RFC 1071) arithmetic. */
__u32 pkt_csum_add(__u32 sum, const void *data, size_t len);
__u16 pkt_csum_fold(__u32 sum);

/*
 * Compares a program's output with the expected packet, byte by byte under MASK (NULL: every bit
 * counts; else (got & mask) == (want & mask), mask as long as WANT). On a mismatch, records a
 * failure named WHAT with a hexdump of both, differing bytes marked. Returns true when equal.
 */
#define pkt_expect_eq(what, got, glen, want, wlen, mask)                                           \
	pkt_expect_eq_at(__FILE__, __LINE__, what, got, glen, want, wlen, mask)
bool pkt_expect_eq_at(const char *file, int line, const char *what, const void *got, size_t glen,
		      const void *want, size_t wlen, const __u8 *mask);
/* Notes a hexdump of DATA (for -v). */
void pkt_note_hex(const char *what, const void *data, size_t len);

#endif
