/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the crash-consistency tests, compiled only into build/gifctl-fault
 * (-DGIF_FAULT_INJECTION): GIFCTL_FAULT=STEP makes gifctl kill itself with SIGKILL when it
 * reaches STEP; GIFCTL_FAULT_TRACE=1 prints every step reached on stderr ("fault-point STEP"),
 * GIFCTL_FAULT_TRACE=time also the CLOCK_REALTIME time it was reached ("fault-point STEP S.NS",
 * the clock packet captures use).
 */
#ifndef GIF_FAULT_H
#define GIF_FAULT_H

#ifdef GIF_FAULT_INJECTION
void fault_point(const char *step);
#else
static inline void fault_point(const char *step)
{
	(void)step;
}
#endif

#endif
