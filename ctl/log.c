/* SPDX-License-Identifier: GPL-2.0 */
/* Error and debug messages, and libbpf's messages demoted to -v. */
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "log.h"

int verbose;
const char *cmd_name = "";

static void vprefixed(const char *obj, const char *fmt, va_list ap)
{
	if (*cmd_name || obj)
		fprintf(stderr, "gifctl: %s%s%s: ", cmd_name, *cmd_name && obj ? " " : "",
			obj ? obj : "");
	else
		fputs("gifctl: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int fail(const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprefixed(obj, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprefixed(NULL, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (usage: gifctl %s)\n", usage);
	return EXIT_USAGE;
}

void debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fputs("gifctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose || (level == LIBBPF_DEBUG && verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
