/* SPDX-License-Identifier: GPL-2.0 */
/* The test suites main.c runs, in this order; each reports its own cases (test.h). */
#ifndef GIF_UNIT_SUITES_H
#define GIF_UNIT_SUITES_H

void test_parse(void);		/* test_parse.c: command-line parsers and address formatting */
void test_names(void);		/* test_names.c: gif peer device names */
void test_config_index(void);	/* test_config_index.c: tunnels by name and pair, repeats */
void test_output(void);		/* test_output.c: text and JSON output */
void test_xdp(void);		/* test_xdp.c: gif_xdp_rx decapsulation under BPF_PROG_TEST_RUN */
void test_tc(void);		/* test_tc.c: gif_tc_tx encapsulation under BPF_PROG_TEST_RUN */
void test_options(void);	/* test_options.c: per-tunnel options on encapsulation */
void test_ecn(void);		/* test_ecn.c: ECN on decapsulation (RFC 6040), per ecn mode */
void test_martian(void);	/* test_martian.c: martian outer sources never decapsulated */
void test_ingress(void);	/* test_ingress.c: the ingress filter (route back via arrival) */

#endif
