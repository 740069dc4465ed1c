// SPDX-License-Identifier: GPL-2.0
/*
 * The ingress filter (GIF_F_INGRESS_FILTER, `ingress-filter on`): gif_xdp_rx decapsulates a
 * tunnel's packet only when the route back to its remote leaves through the device it arrived on
 * (struct xdp_md ingress_ifindex: ul0, the rig's underlay, or ul2, a second veth); otherwise it
 * drops it and counts rx_ingress_filter. Without the flag, the arrival device does not matter.
 */
#include <stdio.h>
#include <linux/bpf.h>
#include "frames.h"
#include "prog.h"
#include "suites.h"
#include "test.h"

enum arrival {
	VIA_UL0,	/* where the routes to the rig's remotes lead */
	VIA_UL2,	/* another underlay */
	VIA_DEFAULT,	/* no context: the test run's default device, lo */
};

static const char *const arrival_names[] = { "ul0", "ul2", "lo (no context)" };

struct ingress_case {
	const char *name;
	enum env_dev dev;
	int inner;		/* inner IP version */
	bool filter;
	enum arrival via;
	bool ce_not_ect;	/* outer CE over an inner Not-ECT (ECN drops it) */
	enum gif_counter drop;	/* the counter of a drop; GIF_C_USED: decapsulated */
};

static const struct ingress_case cases[] = {
	{ "4in4, filter on", DEV_GIF4, 4, true, VIA_DEFAULT, false, GIF_C_RX_INGRESS_FILTER },
	{ "6in6, filter on", DEV_GIF6, 6, true, VIA_DEFAULT, false, GIF_C_RX_INGRESS_FILTER },
	{ "gifnn4 (route back via ul0, neighbour unresolved), filter on",
	  DEV_NONEIGH4, 4, true, VIA_UL0, false, GIF_C_USED },
	{ "gifnn4 (route back via ul0, neighbour unresolved), filter on",
	  DEV_NONEIGH4, 6, true, VIA_UL2, false, GIF_C_RX_INGRESS_FILTER },
	{ "gifnb6 (route back via ul0, neighbour resolved), filter on",
	  DEV_NEIGH6, 6, true, VIA_UL0, false, GIF_C_USED },
	{ "gifnb6 (route back via ul0, neighbour resolved), filter on",
	  DEV_NEIGH6, 4, true, VIA_UL2, false, GIF_C_RX_INGRESS_FILTER },
	{ "gifnr4 (no route back), filter on",
	  DEV_NOROUTE4, 4, true, VIA_UL0, false, GIF_C_RX_INGRESS_FILTER },
	{ "gifnr6 (no route back), filter on",
	  DEV_NOROUTE6, 6, true, VIA_UL0, false, GIF_C_RX_INGRESS_FILTER },
	{ "gifnr4 (no route back), filter off",
	  DEV_NOROUTE4, 4, false, VIA_UL2, false, GIF_C_USED },
	/* The filter comes before ECN: outer CE over inner Not-ECT counts only what drops it. */
	{ "4in4 outer CE over inner Not-ECT, filter on",
	  DEV_GIF4, 4, true, VIA_UL2, true, GIF_C_RX_INGRESS_FILTER },
	{ "4in4 outer CE over inner Not-ECT, filter on",
	  DEV_GIF4, 4, true, VIA_UL0, true, GIF_C_RX_ECN_CE_NOT_ECT },
	{ "6in6 outer CE over inner Not-ECT, filter on",
	  DEV_GIF6, 6, true, VIA_UL2, true, GIF_C_RX_INGRESS_FILTER },
};

static __u32 arrival_ifindex(const struct env *e, enum arrival via)
{
	return via == VIA_UL0 ? e->ul.ifindex : via == VIA_UL2 ? e->ul2.ifindex : 0;
}

/* C, named NAME, with an inner packet of PAYLOAD bytes after its ICMP/UDP header. */
static void run_case(const struct ingress_case *c, const char *name, size_t payload)
{
	const struct inner_spec spec = {
		.version = c->inner, .tos = c->ce_not_ect ? 0xb8 : INNER_TOS, .payload = payload,
	};
	struct ctr_delta d[2] = { { c->dev, c->drop, 1 } };
	struct frame_spec fs = { .tos = c->ce_not_ect ? 0x03 : 0 };
	const char *verdict = c->drop == GIF_C_USED ? "decapsulated"
			    : c->drop == GIF_C_RX_INGRESS_FILTER ? "dropped (rx_ingress_filter)"
			    : "dropped (rx_ecn_ce_not_ect)";
	struct gif_tunnel cfg;
	struct pkt inner, in, want;
	const struct env *e;

	if (!test_start("ingress: %s, from %s: %s", name, arrival_names[c->via], verdict))
		return;
	e = env_get();
	if (!e)
		goto out;
	cfg = e->gif[c->dev].cfg;
	cfg.flags &= ~GIF_F_INGRESS_FILTER;
	if (c->filter)
		cfg.flags |= GIF_F_INGRESS_FILTER;
	if (!env_tunnel_set(e, c->dev, &cfg))
		goto reset;
	fs.outer = cfg.family == GIF_AF_INET ? 4 : 6;
	fs.src = env_remote(c->dev);
	fs.dst = env_local(c->dev);
	build_inner(&inner, &spec);
	build_frame(&in, &fs, &inner, e);
	if (c->drop == GIF_C_USED) {
		d[0] = (struct ctr_delta){ c->dev, GIF_C_RX_PACKETS, 1 };
		d[1] = (struct ctr_delta){ c->dev, GIF_C_RX_BYTES, inner.len };
		build_decapped(&want, &inner, e, c->dev, UL_REMOTE_MAC);
		run_xdp(e, arrival_ifindex(e, c->via), &in, XDP_REDIRECT, &want, d, 2);
	} else {
		run_xdp(e, arrival_ifindex(e, c->via), &in, XDP_DROP, NULL, d, 1);
	}
reset:
	env_tunnel_reset(e, c->dev);
out:
	test_end();
}

/* Each combination, filter on and off, from ul0 and from ul2. */
static void test_combos(void)
{
	for (int k = 0; k < NCOMBOS; k++) {
		for (int filter = 1; filter >= 0; filter--) {
			for (enum arrival via = VIA_UL0; via <= VIA_UL2; via++) {
				struct ingress_case c = {
					.dev = combos[k].dev,
					.inner = combos[k].inner,
					.filter = filter,
					.via = via,
					.drop = filter && via != VIA_UL0 ? GIF_C_RX_INGRESS_FILTER
									 : GIF_C_USED,
				};
				char name[64];

				snprintf(name, sizeof(name), "%s, filter %s", combos[k].name,
					 filter ? "on" : "off");
				run_case(&c, name, 24);
			}
		}
	}
}

/*
 * Longer than the route back's MTU (1500): on an skb, bpf_fib_lookup() also checks the packet
 * against it (FRAG_NEEDED), which says nothing about where the route leads.
 */
static void test_long(void)
{
	for (int v = 4; v <= 6; v += 2) {
		struct ingress_case c = { .dev = v == 4 ? DEV_GIF4 : DEV_GIF6, .inner = v,
					  .filter = true, .via = VIA_UL0, .drop = GIF_C_USED };
		char name[64];

		snprintf(name, sizeof(name), "%din%d, 1600-byte inner packet, filter on", v, v);
		run_case(&c, name, 1600 - (v == 4 ? 28 : 48));
	}
}

void test_ingress(void)
{
	test_combos();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i], cases[i].name, 24);
	test_long();
}
