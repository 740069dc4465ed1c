/* SPDX-License-Identifier: GPL-2.0 */
/* Error and debug messages (control characters escaped), and libbpf's messages demoted to -v. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "log.h"

int verbose;
const char *cmd_name = "";

/* Writes S with control characters escaped (\xNN): names and addresses in messages come from
 * the command line or the kernel, and must not move the cursor, clear the screen or add lines. */
static void put_escaped(const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
}

static void put_vescaped(const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	put_escaped(msg);
	free(msg);
}

static void vprefixed(const char *obj, const char *fmt, va_list ap)
{
	fputs("gifctl: ", stderr);
	if (*cmd_name || obj) {
		fprintf(stderr, "%s%s", cmd_name, *cmd_name && obj ? " " : "");
		put_escaped(obj ? obj : "");
		fputs(": ", stderr);
	}
	put_vescaped(fmt, ap);
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
	put_vescaped(fmt, ap);
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
