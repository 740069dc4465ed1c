/* SPDX-License-Identifier: GPL-2.0 */
/* Verifying and repairing this namespace's gifctl state (see check.c). */
#ifndef GIF_CHECK_H
#define GIF_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include "datapath.h"

/*
 * Prints one line per violation to OUT (NULL: nowhere; " (repaired)" appended when REPAIR fixed
 * it) and returns how many are left. DP may hold no datapath (rx_fd < 0): devices are still
 * checked.
 */
int check_namespace(struct datapath *dp, bool repair, FILE *out);

#endif
