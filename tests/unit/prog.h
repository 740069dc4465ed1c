/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs of the datapath programs under BPF_PROG_TEST_RUN (repeat 1, one frame per run), shared by
 * the XDP and TC suites.
 */
#ifndef GIF_UNIT_PROG_H
#define GIF_UNIT_PROG_H

#include "env.h"
#include "pkt.h"

const char *xdp_verdict(int v);
const char *tc_verdict(int v);

/*
 * Runs IN through gif_xdp_rx once, arriving on device INGRESS (struct xdp_md ingress_ifindex; 0:
 * the test run's default, lo); checks the verdict, the output (WANT; NULL: not compared, as for a
 * dropped frame) and that the counters moved by exactly D. Then the same through gif_tc_rx, the
 * same decapsulation at the TC ingress of ul0 (arrival INGRESS, 0: ul0), which must give the same
 * frame and counters, its verdict the TC one for WANT_RET (TC_ACT_REDIRECT, _OK or _SHOT); not
 * for IP frames shorter than their network header, which a TC test run refuses.
 * Returns gif_xdp_rx's verdict, or -1 when a run itself failed.
 */
int run_xdp(const struct env *e, __u32 ingress, const struct pkt *in, int want_ret,
	    const struct pkt *want, const struct ctr_delta *d, int nd);

/* Runs IN through gif_tc_tx as the egress of device IFINDEX; output into OUT (PKT_MAX). Returns
 * the verdict, or -1 when the run itself failed. */
int run_tc(const struct env *e, __u32 ifindex, const struct pkt *in, __u8 *out, __u32 *out_len);

/* The outer IPv4 header's checksum (after 14 bytes of Ethernet), verified on its own. */
void check_ip4_csum(const __u8 *out, __u32 len);

#endif
