/* SPDX-License-Identifier: GPL-2.0 */
/* Fault injection (see fault.h); empty in production builds. */
#ifdef GIF_FAULT_INJECTION
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fault.h"

void fault_point(const char *step)
{
	const char *kill_at = getenv("GIFCTL_FAULT"), *trace = getenv("GIFCTL_FAULT_TRACE");
	struct timespec now;

	if (trace && !strcmp(trace, "time") && !clock_gettime(CLOCK_REALTIME, &now))
		fprintf(stderr, "fault-point %s %lld.%09ld\n", step, (long long)now.tv_sec, now.tv_nsec);
	else if (trace)
		fprintf(stderr, "fault-point %s\n", step);
	if (kill_at && !strcmp(kill_at, step))
		kill(getpid(), SIGKILL);
}
#else
typedef int gif_fault_injection_disabled;
#endif
