/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses of ctl/'s pure parsers (fuzz_*.c): input as a C string, an
 * error buffer exactly as large as the length the parser is told (so AddressSanitizer sees any
 * write past it), and a check that aborts with a message (libFuzzer then saves the input).
 */
#ifndef GIF_FUZZ_COMMON_H
#define GIF_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_REQUIRE(cond, ...)                                                                    \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: property violated: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* DATA as a NUL-terminated heap string (embedded NULs end it early, as they would in argv). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An error buffer of a size between 1 and 192 that depends on the input: short buffers test
 * that messages are truncated, never overflowed. */
static inline size_t fuzz_errlen(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h % 4 == 0 ? 1 + h / 4 % 24 : 160 + h / 4 % 33;
}

/* The message a failed parse left: NUL-terminated inside the buffer, non-empty when it can be. */
static inline void fuzz_check_err(const char *err, size_t errlen)
{
	FUZZ_REQUIRE(memchr(err, '\0', errlen) != NULL, "error message not terminated");
	FUZZ_REQUIRE(errlen < 2 || err[0] != '\0', "failure without a message");
}

#endif
