/* SPDX-License-Identifier: GPL-2.0 */
/* begin_change() / end_change(): lock, repair, journal (see change.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "change.h"
#include "check.h"
#include "datapath.h"
#include "fault.h"
#include "journal.h"
#include "lock.h"
#include "log.h"

static bool begun;

/* Brings the namespace back to a consistent state; what it finds goes to stderr with -v. */
static void repair(const char *why)
{
	struct datapath dp;
	int err = dp_find(&dp);

	debug("%s: repairing", why);
	if (!err || err == -ENOENT)
		check_namespace(&dp, true, verbose ? stderr : NULL);
	dp_close(&dp);
}

int begin_change(const char *obj)
{
	__u64 cookie = netns_cookie();
	int rc = config_lock(obj), err;

	if (rc)
		return rc;
	if (journal_pending(cookie))
		repair("an earlier change in this namespace was interrupted");
	err = journal_begin(cookie);
	if (err)
		return fail(obj, "cannot note the change in %s: %s", GIF_LOCK_PATH, strerror(-err));
	begun = true;
	fault_point("begun");
	return EXIT_OK;
}

void change_creates(const char *name)
{
	if (begun)
		journal_note(netns_cookie(), name);
}

void end_change(int rc)
{
	if (!begun)
		return;
	/* A failure undoes its own steps (a device it created included: the note goes first, so a
	 * pair that was there before is not taken for its own); the repair catches what an undo
	 * could not. */
	if (rc) {
		journal_note(netns_cookie(), NULL);
		repair("the change failed");
	}
	journal_end(netns_cookie());
}
