// SPDX-License-Identifier: GPL-2.0
/*
 * build/unit_tests [-v] [-t NAME]...: runs every unit test case (those whose name contains a NAME
 * with -t), in a private network namespace of its own, so that the BPF tests never see the
 * host's network or the host's gifctl state. Must run as root for the BPF tests. Exit status 1
 * when a case failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "env.h"
#include "log.h"
#include "netns.h"
#include "suites.h"
#include "test.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: unit_tests [-v] [-t NAME]...\n"
		   "  -t NAME  run only the cases whose name contains NAME (repeatable)\n"
		   "  -v       print each case's details, and libbpf's messages\n");
}

int main(int argc, char **argv)
{
	static void (*const suites[])(void) = {
		test_parse, test_names, test_config_index, test_output, test_xdp, test_tc,
		test_options, test_ecn, test_martian, test_ingress,
	};
	int opt, err;

	while ((opt = getopt(argc, argv, "t:vh")) != -1) {
		switch (opt) {
		case 't':
			test_add_filter(optarg);
			break;
		case 'v':
			test_verbose = true;
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	log_setup_libbpf();

	/* First of all, before any socket: the BPF tests build their rig in here. */
	err = netns_enter();
	if (err)
		fprintf(stderr, "unit_tests: cannot enter a private network namespace: %s; "
				"the datapath tests will fail (run as root)\n", strerror(-err));

	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		suites[i]();
	env_put();

	printf("unit_tests: %d passed, %d failed\n", test_count() - test_failures(),
	       test_failures());
	if (!test_count())
		fprintf(stderr, "unit_tests: no test case matched\n");
	return test_failures() || !test_count() ? 1 : 0;
}
