/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unit tests' harness: one test case at a time, assertions that record a failure and let the
 * case go on (so one run shows everything that is wrong), and the reporting contract of
 * tests/run.sh: "    TEST: <name> [ OK ]|[FAIL]" on stdout, "PASS|FAIL <name>" appended to
 * $GIF_RESULTS. Details of a failure are printed under its TEST line, indented.
 */
#ifndef GIF_UNIT_TEST_H
#define GIF_UNIT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

extern bool test_verbose;

/* -t NAME: only run the cases whose name contains NAME (any of them, when given several). */
void test_add_filter(const char *name);

/* Starts a case; false when the filter skips it (then do not call test_end()). */
bool test_start(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the current case. */
void test_end(void);
/* Number of cases reported and of those that failed. */
int test_count(void);
int test_failures(void);

/* Number of failed checks in the current case so far. */
int test_case_failures(void);
/* While muted, failed checks count but add no notes (for loops that would repeat them). */
void test_mute(bool mute);

/* A line of detail printed under the TEST line when the case fails (always with -v). */
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Records the current case as failed when !ok, with a "file:line: message" note. Returns ok. */
bool test_check(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define CHECK(cond, fmt, ...) test_check(!!(cond), __FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define ASSERT_TRUE(cond, what) CHECK(cond, "%s: expected %s", what, #cond)

#define ASSERT_EQ(actual, expected, what)                                                          \
	({                                                                                         \
		long long __a = (long long)(actual), __e = (long long)(expected);                  \
		CHECK(__a == __e, "%s: actual %lld != expected %lld", what, __a, __e);             \
	})

/* ERR is 0 or a negative errno (the control plane's convention). */
#define ASSERT_OK(err, what)                                                                       \
	({                                                                                         \
		long long __r = (long long)(err);                                                  \
		CHECK(__r == 0, "%s: error %lld (%s)", what, __r, strerror(__r < 0 ? -__r : __r));  \
	})

#define ASSERT_STREQ(actual, expected, what)                                                       \
	({                                                                                         \
		const char *__a = (actual), *__e = (expected);                                     \
		CHECK(__a && !strcmp(__a, __e), "%s: actual \"%s\" != expected \"%s\"", what,        \
		      __a ? __a : "(null)", __e);                                                  \
	})

#define ASSERT_STRSTR(haystack, needle, what)                                                      \
	({                                                                                         \
		const char *__h = (haystack), *__n = (needle);                                     \
		CHECK(__h && strstr(__h, __n), "%s: \"%s\" does not contain \"%s\"", what,            \
		      __h ? __h : "(null)", __n);                                                  \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
