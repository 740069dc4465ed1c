/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame of every command that changes state: the global lock, then the repair of an
 * interrupted change in this namespace, then a journal note that a change is in progress, which
 * end_change() removes once the command is over.
 */
#ifndef GIF_CHANGE_H
#define GIF_CHANGE_H

/* Returns EXIT_OK, or the exit status to leave with (the lock could not be had). */
int begin_change(const char *obj);
/* Notes in the journal that the change is about to create device NAME (see journal.h). */
void change_creates(const char *name);
/* Called once the command is over, with its exit status; a no-op when no change began. */
void end_change(int rc);

#endif
