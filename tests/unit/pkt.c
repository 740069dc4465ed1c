// SPDX-License-Identifier: GPL-2.0
/* The packet builder of pkt.h and the hexdump comparison. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkt.h"
#include "test.h"

static void put16(__u8 *b, __u16 v)
{
	b[0] = v >> 8;
	b[1] = v;
}

static void put32(__u8 *b, __u32 v)
{
	put16(b, v >> 16);
	put16(b + 2, v);
}

static __u16 get16(const __u8 *b)
{
	return b[0] << 8 | b[1];
}

/* Test data is constant: a bad address is a bug in the test, not a failure of the datapath. */
static void addr(int family, const char *s, __u8 *out)
{
	if (inet_pton(family, s, out) != 1) {
		fprintf(stderr, "pkt: bad address '%s'\n", s);
		abort();
	}
}

static __u8 *push(struct pkt *p, enum pkt_hdr_type type, size_t len)
{
	__u8 *b = p->data + p->len;

	if (p->len + len > PKT_MAX || p->nhdr == PKT_MAX_HDRS) {
		fprintf(stderr, "pkt: packet too long\n");
		abort();
	}
	p->hdr[p->nhdr].type = type;
	p->hdr[p->nhdr].off = p->len;
	p->nhdr++;
	memset(b, 0, len);
	p->len += len;
	return b;
}

void pkt_init(struct pkt *p)
{
	p->len = 0;
	p->nhdr = 0;
}

void pkt_eth(struct pkt *p, const __u8 dst[6], const __u8 src[6], __u16 type)
{
	__u8 *b = push(p, PKT_ETH, 14);

	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	put16(b + 12, type);
}

void pkt_arp(struct pkt *p, const __u8 sha[6], const char *spa, const char *tpa)
{
	__u8 *b = push(p, PKT_ARP, 28);

	put16(b, 1);		/* Ethernet */
	put16(b + 2, ETHERTYPE_IPV4);
	b[4] = 6;
	b[5] = 4;
	put16(b + 6, 1);	/* request */
	memcpy(b + 8, sha, 6);
	addr(AF_INET, spa, b + 14);
	/* target hardware address: zero */
	addr(AF_INET, tpa, b + 24);
}

void pkt_ip4(struct pkt *p, const struct ip4_spec *s)
{
	__u8 *b = push(p, PKT_IP4, 20 + s->optlen);

	if (s->optlen % 4 || s->optlen > 40) {
		fprintf(stderr, "pkt: bad IPv4 option length %zu\n", s->optlen);
		abort();
	}
	b[0] = 0x40 | (20 + s->optlen) / 4;
	b[1] = s->tos;
	/* 2-3: total length, pkt_finish() */
	put16(b + 4, s->id);
	put16(b + 6, s->frag_off);
	b[8] = s->ttl;
	b[9] = s->protocol;
	/* 10-11: checksum, pkt_finish() */
	addr(AF_INET, s->src, b + 12);
	addr(AF_INET, s->dst, b + 16);
	if (s->optlen)
		memcpy(b + 20, s->opts, s->optlen);
}

void pkt_ip6(struct pkt *p, const struct ip6_spec *s)
{
	__u8 *b = push(p, PKT_IP6, 40);

	put32(b, 6u << 28 | (__u32)s->tclass << 20 | (s->flow & 0xfffff));
	/* 4-5: payload length, pkt_finish() */
	b[6] = s->nexthdr;
	b[7] = s->hop_limit;
	addr(AF_INET6, s->src, b + 8);
	addr(AF_INET6, s->dst, b + 24);
}

void pkt_ip6_opts(struct pkt *p, __u8 nexthdr, const __u8 *opts, size_t optlen)
{
	size_t len = (2 + optlen + 7) / 8 * 8, pad = len - 2 - optlen;
	__u8 *b = push(p, PKT_IP6_OPTS, len);

	b[0] = nexthdr;
	b[1] = len / 8 - 1;
	memcpy(b + 2, opts, optlen);
	if (pad == 1) {
		b[2 + optlen] = 0;		/* Pad1 */
	} else if (pad >= 2) {
		b[2 + optlen] = 1;		/* PadN */
		b[3 + optlen] = pad - 2;
	}
}

void pkt_ip6_frag(struct pkt *p, __u8 nexthdr, __u16 offset, bool more, __u32 id)
{
	__u8 *b = push(p, PKT_IP6_FRAG, 8);

	b[0] = nexthdr;
	put16(b + 2, offset << 3 | more);
	put32(b + 4, id);
}

void pkt_icmp4(struct pkt *p, __u8 type, __u8 code, __u32 rest)
{
	__u8 *b = push(p, PKT_ICMP4, 8);

	b[0] = type;
	b[1] = code;
	put32(b + 4, rest);
}

void pkt_icmp6(struct pkt *p, __u8 type, __u8 code, __u32 rest)
{
	__u8 *b = push(p, PKT_ICMP6, 8);

	b[0] = type;
	b[1] = code;
	put32(b + 4, rest);
}

void pkt_icmp4_echo(struct pkt *p, __u16 id, __u16 seq)
{
	pkt_icmp4(p, 8, 0, (__u32)id << 16 | seq);
}

void pkt_icmp6_echo(struct pkt *p, __u16 id, __u16 seq)
{
	pkt_icmp6(p, 128, 0, (__u32)id << 16 | seq);
}

void pkt_udp(struct pkt *p, __u16 sport, __u16 dport)
{
	__u8 *b = push(p, PKT_UDP, 8);

	put16(b, sport);
	put16(b + 2, dport);
}

void pkt_payload(struct pkt *p, size_t len, __u8 seed)
{
	__u8 *b = p->data + p->len;

	if (p->len + len > PKT_MAX)
		abort();
	for (size_t i = 0; i < len; i++)
		b[i] = seed + i * 7;
	p->len += len;
}

void pkt_raw(struct pkt *p, const void *data, size_t len)
{
	memcpy(push(p, PKT_RAW, len), data, len);
}

void pkt_trailer(struct pkt *p, size_t len, __u8 byte)
{
	if (p->len + len > PKT_MAX)
		abort();
	memset(p->data + p->len, byte, len);
	p->len += len;
}

size_t pkt_hdr_off(const struct pkt *p, int n)
{
	if (n >= p->nhdr)
		abort();
	return p->hdr[n].off;
}

__u32 pkt_csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *b = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(b + i);
	if (i < len)
		sum += b[i] << 8;
	return sum;
}

__u16 pkt_csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

void pkt_ip4_fix_csum(struct pkt *p, size_t off)
{
	__u8 *b = p->data + off;

	put16(b + 10, 0);
	put16(b + 10, pkt_csum_fold(pkt_csum_add(0, b, (b[0] & 0xf) * 4)));
}

/* Checksum of an upper-layer header at header N over the rest of the packet, pseudo-header of the
 * nearest enclosing IP header included. */
static __u16 l4_csum(const struct pkt *p, int n, __u8 proto)
{
	size_t off = p->hdr[n].off, len = p->len - off;
	__u32 sum = 0;
	__u8 ph[8];
	int i;

	for (i = n - 1; i >= 0; i--)
		if (p->hdr[i].type == PKT_IP4 || p->hdr[i].type == PKT_IP6)
			break;
	if (i < 0)
		abort();
	if (p->hdr[i].type == PKT_IP4) {
		sum = pkt_csum_add(sum, p->data + p->hdr[i].off + 12, 8);
		ph[0] = 0;
		ph[1] = proto;
		put16(ph + 2, len);
		sum = pkt_csum_add(sum, ph, 4);
	} else {
		sum = pkt_csum_add(sum, p->data + p->hdr[i].off + 8, 32);
		put32(ph, len);
		put32(ph + 4, proto);
		sum = pkt_csum_add(sum, ph, 8);
	}
	return pkt_csum_fold(pkt_csum_add(sum, p->data + off, len));
}

void pkt_finish(struct pkt *p)
{
	for (int n = p->nhdr - 1; n >= 0; n--) {
		size_t off = p->hdr[n].off;
		__u8 *b = p->data + off;
		__u16 c;

		switch (p->hdr[n].type) {
		case PKT_IP4:
			put16(b + 2, p->len - off);
			pkt_ip4_fix_csum(p, off);
			break;
		case PKT_IP6:
			put16(b + 4, p->len - off - 40);
			break;
		case PKT_ICMP4:
			put16(b + 2, 0);
			put16(b + 2, pkt_csum_fold(pkt_csum_add(0, b, p->len - off)));
			break;
		case PKT_ICMP6:
			put16(b + 2, 0);
			put16(b + 2, l4_csum(p, n, PROTO_ICMPV6));
			break;
		case PKT_UDP:
			put16(b + 4, p->len - off);
			put16(b + 6, 0);
			c = l4_csum(p, n, PROTO_UDP);
			put16(b + 6, c ? c : 0xffff);
			break;
		default:
			break;
		}
	}
}

static void hex_row(char *out, size_t size, const __u8 *b, size_t len, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < from + 16; i++) {
		if (i < len)
			n += snprintf(out + n, size - n, "%02x ", b[i]);
		else
			n += snprintf(out + n, size - n, "   ");
	}
}

void pkt_note_hex(const char *what, const void *data, size_t len)
{
	char row[64];

	test_note("%s (%zu bytes):", what, len);
	for (size_t off = 0; off < len; off += 16) {
		hex_row(row, sizeof(row), data, len, off);
		test_note("  %04zx  %s", off, row);
	}
}

static bool byte_eq(const __u8 *g, size_t glen, const __u8 *w, size_t wlen, const __u8 *mask,
		    size_t i)
{
	__u8 m = mask ? mask[i] : 0xff;

	if (i >= glen || i >= wlen)
		return i >= glen && i >= wlen;
	return (g[i] & m) == (w[i] & m);
}

static bool partial_mask(const __u8 *mask, size_t len)
{
	for (size_t i = 0; mask && i < len; i++)
		if (mask[i] != 0xff)
			return true;
	return false;
}

bool pkt_expect_eq_at(const char *file, int line, const char *what, const void *got, size_t glen,
		      const void *want, size_t wlen, const __u8 *mask)
{
	const __u8 *g = got, *w = want;
	size_t max = glen > wlen ? glen : wlen, ndiff = 0;
	char grow[64], wrow[64], marks[64];

	for (size_t i = 0; i < max; i++)
		ndiff += !byte_eq(g, glen, w, wlen, mask, i);
	if (!ndiff)
		return true;
	test_check(false, file, line, "%s: %zu bytes, expected %zu; %zu byte(s) differ (^^)", what,
		   glen, wlen, ndiff);
	test_note("  offset  output                                            expected");
	for (size_t off = 0; off < max; off += 16) {
		size_t n = 0;

		hex_row(grow, sizeof(grow), g, glen, off);
		hex_row(wrow, sizeof(wrow), w, wlen, off);
		for (size_t i = off; i < off + 16; i++)
			n += snprintf(marks + n, sizeof(marks) - n, "%s",
				      i < max && !byte_eq(g, glen, w, wlen, mask, i) ? "^^ " : "   ");
		test_note("  %04zx    %s  %s", off, grow, wrow);
		if (strchr(marks, '^'))
			test_note("          %s", marks);
	}
	if (partial_mask(mask, wlen))
		test_note("  (bits outside the mask, such as the IPv6 flow label, not compared)");
	return false;
}
