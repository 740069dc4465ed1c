/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIB lookups of a tunnel's remote endpoint, made as if the packet arrived on the gif device's
 * hidden peer: gifctl enables forwarding there alone, and bpf_fib_lookup() requires it.
 */
#ifndef GIF_ROUTE_BPF_H
#define GIF_ROUTE_BPF_H

#include "maps.bpf.h"

static __always_inline void fib_towards_remote(struct bpf_fib_lookup *fib,
					       const struct gif_tunnel *t)
{
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = t->family;
	fib->ifindex = t->peer_ifindex;
	if (t->family == AF_INET) {
		__builtin_memcpy(&fib->ipv4_src, t->local, 4);
		__builtin_memcpy(&fib->ipv4_dst, t->remote, 4);
	} else {
		__builtin_memcpy(fib->ipv6_src, t->local, 16);
		__builtin_memcpy(fib->ipv6_dst, t->remote, 16);
	}
}

static __always_inline bool fib_found(int rc)
{
	return rc == BPF_FIB_LKUP_RET_SUCCESS || rc == BPF_FIB_LKUP_RET_NO_NEIGH;
}

/*
 * Ingress filter: true when the route back to the remote leaves through the arrival device. CTX is
 * an XDP context (xdp true) or a socket buffer (xdp false).
 */
static __always_inline bool route_back_via(void *ctx, bool xdp, const struct gif_tunnel *t)
{
	struct bpf_fib_lookup fib;
	long rc;

	fib_towards_remote(&fib, t);
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	/* On an skb the helper also checks the packet against the route's MTU (FRAG_NEEDED, with
	 * fib.ifindex set): irrelevant to where the route leads. */
	if (!fib_found(rc) && rc != BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return false;
	return fib.ifindex == (xdp ? ((struct xdp_md *)ctx)->ingress_ifindex :
			       ((struct __sk_buff *)ctx)->ingress_ifindex);
}

#endif
