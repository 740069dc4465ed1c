// SPDX-License-Identifier: GPL-2.0
/*
 * ECN on decapsulation by gif_xdp_rx, per the tunnel's ecn mode: every cell of the RFC 6040
 * section 4.2 table (outer x inner ECN field) on the four combinations in mode normal and in mode
 * off, and the cells that matter in mode compat (which decapsulates as normal). The expected
 * inner packet is built with the ECN field the table gives (IPv4: checksum and all, by pkt.h).
 */
#include <stdio.h>
#include <linux/bpf.h>
#include "frames.h"
#include "prog.h"
#include "suites.h"
#include "test.h"

/* ECN codepoints. */
#define NOT_ECT 0
#define ECT1 1
#define ECT0 2
#define CE 3
#define DROP -1

static const char *const ecn_names[] = { "Not-ECT", "ECT(1)", "ECT(0)", "CE" };

/*
 * RFC 6040 section 4.2, Figure 4: the inner ECN field after decapsulation, [inner][outer]; DROP
 * where the RFC drops. Outer ECT over an inner Not-ECT ("(!!!)") is delivered unchanged and
 * counted as rx_ecn_not_ect.
 */
static const int rfc6040[4][4] = {
	/*              outer:  Not-ECT  ECT(1)   ECT(0)   CE */
	[NOT_ECT] =	      { NOT_ECT, NOT_ECT, NOT_ECT, DROP },
	[ECT1] =	      { ECT1,	 ECT1,	  ECT1,	   CE },
	[ECT0] =	      { ECT0,	 ECT1,	  ECT0,	   CE },
	[CE] =		      { CE,	 CE,	  CE,	   CE },
};

/* Inner DSCP EF and outer DSCP AF11: neither may change, whatever the ECN fields. */
#define INNER_DSCP 0xb8
#define OUTER_DSCP 0x28

static const char *const mode_names[] = {
	[GIF_ECN_NORMAL] = "normal", [GIF_ECN_COMPAT] = "compat", [GIF_ECN_OFF] = "off"
};

/* The cells where mode compat is tested: the drop, the counted one, and both changes. */
static bool compat_cell(int inner, int outer)
{
	return (inner == NOT_ECT && (outer == CE || outer == ECT0)) ||
	       (inner == ECT0 && (outer == CE || outer == ECT1));
}

static void run_cell(const struct combo *k, int mode, int inner_ecn, int outer_ecn)
{
	int result = mode == GIF_ECN_OFF ? inner_ecn : rfc6040[inner_ecn][outer_ecn];
	struct inner_spec spec = {
		.version = k->inner, .tos = INNER_DSCP | inner_ecn, .payload = 24,
	};
	const struct frame_spec fs = { .outer = k->outer, .tos = OUTER_DSCP | outer_ecn };
	struct ctr_delta d[3];
	struct gif_tunnel cfg;
	struct pkt inner, in, delivered, want;
	const struct env *e;
	int nd = 0;

	if (!test_start("ecn: decap %s %s, outer %s over inner %s: %s", k->name, mode_names[mode],
			ecn_names[outer_ecn], ecn_names[inner_ecn],
			result == DROP ? "dropped"
			: result == inner_ecn ? "unchanged" : ecn_names[result]))
		return;
	e = env_get();
	if (!e)
		goto out;
	cfg = e->gif[k->dev].cfg;
	cfg.ecn = mode;
	if (!env_tunnel_set(e, k->dev, &cfg))
		goto reset;
	build_inner(&inner, &spec);
	build_frame(&in, &fs, &inner, e);
	if (result == DROP) {
		d[nd++] = (struct ctr_delta){ k->dev, GIF_C_RX_ECN_CE_NOT_ECT, 1 };
		run_xdp(e, 0, &in, XDP_DROP, NULL, d, nd);
		goto reset;
	}
	spec.tos = INNER_DSCP | result;
	build_inner(&delivered, &spec);
	build_decapped(&want, &delivered, e, k->dev, UL_REMOTE_MAC);
	d[nd++] = (struct ctr_delta){ k->dev, GIF_C_RX_PACKETS, 1 };
	d[nd++] = (struct ctr_delta){ k->dev, GIF_C_RX_BYTES, inner.len };
	if (mode != GIF_ECN_OFF && inner_ecn == NOT_ECT && outer_ecn != NOT_ECT)
		d[nd++] = (struct ctr_delta){ k->dev, GIF_C_RX_ECN_NOT_ECT, 1 };
	run_xdp(e, 0, &in, XDP_REDIRECT, &want, d, nd);
reset:
	env_tunnel_reset(e, k->dev);
out:
	test_end();
}

void test_ecn(void)
{
	static const int modes[] = { GIF_ECN_NORMAL, GIF_ECN_OFF, GIF_ECN_COMPAT };

	for (size_t m = 0; m < ARRAY_SIZE(modes); m++)
		for (int k = 0; k < NCOMBOS; k++)
			for (int outer = 0; outer < 4; outer++)
				for (int inner = 0; inner < 4; inner++)
					if (modes[m] != GIF_ECN_COMPAT || compat_cell(inner, outer))
						run_cell(&combos[k], modes[m], inner, outer);
}
