/* SPDX-License-Identifier: GPL-2.0 */
/* The one global configuration lock: an exclusive flock(2) held for a whole change. */
#ifndef GIF_LOCK_H
#define GIF_LOCK_H

#define GIF_LOCK_PATH "/run/gifctl.lock"

extern double lock_wait;	/* -w SECONDS; < 0: wait as long as it takes */

/*
 * Waits for the lock, at most lock_wait seconds (< 0: without a bound); OBJ names what the
 * command changes, for messages. Returns EXIT_OK once held, or the exit
 * status to leave with after printing why: 130 on SIGINT, 143 on SIGTERM, EXIT_FAIL on timeout
 * or error. While held, SIGINT/SIGTERM/SIGHUP are deferred so a change is never cut in half.
 */
int config_lock(const char *obj);
/* The locked file's descriptor while the lock is held, else -1 (journal.c keeps notes in it). */
int config_lock_fd(void);

#endif
