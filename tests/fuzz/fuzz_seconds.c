// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness of parse_seconds() (-w SECONDS): accepted values are plain non-negative
 * decimal numbers of at most a year, equal to what strtod makes of them. */
#include <math.h>
#include "fuzz_common.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *end;
	double v = -12345, ref;

	if (parse_seconds(s, &v)) {
		FUZZ_REQUIRE(isfinite(v) && v >= 0 && v <= 86400.0 * 365, "'%s' -> %g", s, v);
		FUZZ_REQUIRE((*s >= '0' && *s <= '9') || *s == '.', "'%s' accepted", s);
		FUZZ_REQUIRE(!strpbrk(s, "xX \t\n\v\f\r"), "'%s' accepted", s);
		ref = strtod(s, &end);
		FUZZ_REQUIRE(ref == v && *end == '\0', "'%s' -> %g, strtod %g", s, v, ref);
	} else {
		FUZZ_REQUIRE(v == -12345, "'%s' refused but *out written", s);
	}
	free(s);
	return 0;
}
