// SPDX-License-Identifier: GPL-2.0
/* The harness of test.h: case filter, failure notes and result reporting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "test.h"

bool test_verbose;

static const char **filters;
static int nfilters;

static char name[128];
static bool running, failed, muted;
static int case_failures;
static char *notes;
static size_t notes_len, notes_cap;
static int ncases, nfailed;

void test_add_filter(const char *f)
{
	const char **grown = realloc(filters, (nfilters + 1) * sizeof(*filters));

	if (!grown)
		abort();
	filters = grown;
	filters[nfilters++] = f;
}

static bool selected(const char *n)
{
	if (!nfilters)
		return true;
	for (int i = 0; i < nfilters; i++)
		if (strstr(n, filters[i]))
			return true;
	return false;
}

bool test_start(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (!selected(name))
		return false;
	running = true;
	failed = false;
	case_failures = 0;
	muted = false;
	notes_len = 0;
	if (notes)
		notes[0] = '\0';
	return true;
}

static void vnote(const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if (notes_len + n + 2 > notes_cap) {
		size_t cap = (notes_len + n + 2) * 2;
		char *grown = realloc(notes, cap);

		if (!grown)
			abort();
		notes = grown;
		notes_cap = cap;
	}
	vsnprintf(notes + notes_len, n + 1, fmt, ap);
	notes_len += n;
	notes[notes_len++] = '\n';
	notes[notes_len] = '\0';
}

void test_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(fmt, ap);
	va_end(ap);
}

bool test_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (ok)
		return true;
	failed = true;
	case_failures++;
	if (muted)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	test_note("%s:%d: %s", file, line, msg);
	return false;
}

void test_end(void)
{
	const char *results = getenv("GIF_RESULTS");

	if (!running)
		return;
	running = false;
	ncases++;
	if (failed)
		nfailed++;
	printf("    TEST: %-60s [%s]\n", name, failed ? "FAIL" : " OK ");
	if ((failed || test_verbose) && notes_len) {
		for (char *line = notes, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			printf("        %.*s\n", (int)(nl - line), line);
		}
	}
	fflush(stdout);
	if (results && *results) {
		FILE *f = fopen(results, "a");

		if (f) {
			fprintf(f, "%s %s\n", failed ? "FAIL" : "PASS", name);
			fclose(f);
		} else {
			fprintf(stderr, "unit_tests: cannot append to %s\n", results);
		}
	}
}

int test_case_failures(void)
{
	return case_failures;
}

void test_mute(bool mute)
{
	muted = mute;
}

int test_count(void)
{
	return ncases;
}

int test_failures(void)
{
	return nfailed;
}
