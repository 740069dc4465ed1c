// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness of parse_ifname(): accepted exactly when the kernel's rules and gifctl's own
 * (no control characters, no leading '#', which starts a comment in configuration files) allow
 * the name. */
#include <stdbool.h>
#include "fuzz_common.h"
#include "parse.h"

static bool valid_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 15 || !strcmp(s, ".") || !strcmp(s, "..") || *s == '#')
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	size_t errlen = fuzz_errlen(data, size);
	char *err = malloc(errlen);
	bool ok;

	memset(err, 'x', errlen);
	ok = parse_ifname(s, err, errlen);
	FUZZ_REQUIRE(ok == valid_name(s), "parse_ifname(\"%s\") = %d", s, ok);
	if (!ok)
		fuzz_check_err(err, errlen);
	free(err);
	free(s);
	return 0;
}
