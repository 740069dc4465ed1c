/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changes in progress, noted in the lock file: one line per network namespace (its cookie) whose
 * change has begun and not ended, followed by the name of the device the change is creating while
 * it creates one ("COOKIE NAME"). A gifctl killed mid-change leaves its line; the next change in
 * that namespace repairs it (check.c) before doing its own. The name lets the repair delete a
 * veth pair killed before it got gifctl's alias: nothing else proves it is gifctl's.
 */
#ifndef GIF_JOURNAL_H
#define GIF_JOURNAL_H

#include <linux/types.h>
#include <net/if.h>
#include <stdbool.h>

/* All need the configuration lock held. */
bool journal_pending(__u64 cookie);
/* A fresh line for COOKIE (what an earlier line noted is dropped). */
int journal_begin(__u64 cookie);
int journal_end(__u64 cookie);
/* Notes that COOKIE's change creates device NAME (NULL: creates none). */
int journal_note(__u64 cookie, const char *name);
/* The device COOKIE's interrupted change was creating: true and NAME filled, or false. */
bool journal_creating(__u64 cookie, char name[IF_NAMESIZE]);

#endif
