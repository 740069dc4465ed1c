/* SPDX-License-Identifier: GPL-2.0 */
/* gifctl: global options and the dispatch table (exact command names, no prefixes). */
#include <stdio.h>
#include <string.h>
#include "change.h"
#include "commands.h"
#include "lock.h"
#include "log.h"
#include "output.h"
#include "parse.h"

#define GLOBAL_USAGE "[-j] [-p] [-s] [-v] [-w SECONDS] COMMAND ..."

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
} commands[] = {
	{ "attach", cmd_attach, "attach IFACE [mode xdp|tc]",
	  "attach the decapsulation datapath (XDP or TC ingress) to an underlay" },
	{ "detach", cmd_detach, "detach IFACE", "remove gifctl's decapsulation from an underlay" },
	{ "tunnel", cmd_tunnel, "tunnel set GIF SRC DST [OPTION VALUE]... | tunnel delete GIF",
	  "create GIF if needed and set its endpoints and options / remove its endpoints" },
	{ "destroy", cmd_destroy, "destroy GIF", "remove GIF and everything gifctl holds for it" },
	{ "show", cmd_show, "show [GIF]", "show gif devices, their endpoints and the underlays" },
	{ "stats", cmd_stats, "stats [GIF]", "show per-tunnel counters, drop reasons included" },
	{ "dump", cmd_dump, "dump", "print the whole configuration in the format apply reads" },
	{ "apply", cmd_apply, "apply [--dry-run] FILE",
	  "make the configuration match FILE (- for stdin), all or nothing" },
	{ "check", cmd_check, "check [--repair]",
	  "verify (and repair) every invariant between maps, devices and programs" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void help(FILE *f)
{
	fprintf(f, "usage: gifctl " GLOBAL_USAGE "\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s\n      %s\n", commands[i].usage, commands[i].summary);
	fprintf(f, "\ntunnel options:\n  %s\n", TUNNEL_OPTS_USAGE);
	fprintf(f, "\noptions:\n"
		   "  -j          JSON output\n"
		   "  -p          pretty JSON output (implies -j)\n"
		   "  -s          show: add each tunnel's counters\n"
		   "  -v          verbose: say what is done, and libbpf's messages\n"
		   "  -w SECONDS  wait at most SECONDS for the configuration lock\n"
		   "  -h, --help  this help; `gifctl COMMAND --help` for one command\n");
}

static bool wants_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help") || !strcmp(arg, "help");
}

/* `gifctl COMMAND ... --help`: help is asked for anywhere after the command's name. */
static bool command_help(int argc, char **argv, const struct command *c)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: gifctl %s\n  %s\n", c->usage, c->summary);
			if (c->run == cmd_tunnel)
				printf("options:\n  %s\n", TUNNEL_OPTS_USAGE);
			return true;
		}
	return false;
}

int main(int argc, char **argv)
{
	bool json = false, pretty = false;
	int i = 1, rc;

	log_setup_libbpf();
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "-j")) {
			json = true;
		} else if (!strcmp(opt, "-p")) {
			json = pretty = true;
		} else if (!strcmp(opt, "-s")) {
			show_stats = 1;
		} else if (!strcmp(opt, "-v")) {
			verbose++;
		} else if (!strcmp(opt, "-w")) {
			if (i + 1 >= argc)
				return usage_error(GLOBAL_USAGE, "-w needs SECONDS");
			if (!parse_seconds(argv[++i], &lock_wait))
				return usage_error(GLOBAL_USAGE, "invalid -w value '%s': expected "
							       "seconds, e.g. 1 or 0.5", argv[i]);
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			help(stdout);
			return EXIT_OK;
		} else {
			return usage_error(GLOBAL_USAGE, "unknown option '%s'", opt);
		}
	}
	if (i >= argc)
		return usage_error(GLOBAL_USAGE, "missing COMMAND (try 'gifctl --help')");
	if (wants_help(argv[i])) {
		help(stdout);
		return EXIT_OK;
	}
	out_init(json, pretty);
	for (size_t c = 0; c < NCOMMANDS; c++) {
		if (strcmp(argv[i], commands[c].name))
			continue;
		cmd_name = commands[c].name;
		if (command_help(argc - i - 1, argv + i + 1, &commands[c]))
			return EXIT_OK;
		rc = commands[c].run(argc - i - 1, argv + i + 1);
		end_change(rc);
		return rc;
	}
	return usage_error(GLOBAL_USAGE, "unknown command '%s' (try 'gifctl --help')", argv[i]);
}
