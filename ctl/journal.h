/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changes in progress, noted in the lock file: one line per network namespace (its cookie) whose
 * change has begun and not ended. A gifctl killed mid-change leaves its line; the next change in
 * that namespace repairs it (check.c) before doing its own.
 */
#ifndef GIF_JOURNAL_H
#define GIF_JOURNAL_H

#include <linux/types.h>
#include <stdbool.h>

/* All need the configuration lock held. */
bool journal_pending(__u64 cookie);
int journal_begin(__u64 cookie);
int journal_end(__u64 cookie);

#endif
