/* SPDX-License-Identifier: GPL-2.0 */
/* The change journal kept in the lock file (see journal.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "journal.h"
#include "lock.h"

#define JOURNAL_MAX 4096

/* Reads the journal; returns its length or -errno. */
static ssize_t journal_read(char *buf)
{
	ssize_t n = pread(config_lock_fd(), buf, JOURNAL_MAX - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* The line of COOKIE in buf, or NULL. */
static char *find_line(char *buf, __u64 cookie)
{
	char line[32];
	size_t len = snprintf(line, sizeof(line), "%" PRIu64 "\n", (uint64_t)cookie);

	for (char *p = buf; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, line, len))
			return p;
		if (!strchr(p, '\n'))
			break;
	}
	return NULL;
}

bool journal_pending(__u64 cookie)
{
	char buf[JOURNAL_MAX];

	return journal_read(buf) > 0 && find_line(buf, cookie);
}

int journal_begin(__u64 cookie)
{
	char buf[JOURNAL_MAX], line[32];
	ssize_t n = journal_read(buf);
	int len = snprintf(line, sizeof(line), "%" PRIu64 "\n", (uint64_t)cookie);

	if (n < 0)
		return n;
	if (find_line(buf, cookie))
		return 0;
	if (n + len >= JOURNAL_MAX) {
		/* Lines of namespaces deleted since cannot be told apart from live ones: keep the
		 * newer half; an older interruption then waits for `gifctl check --repair`. */
		char *keep = strchr(buf + n / 2, '\n');

		n = keep ? buf + n - (keep + 1) : 0;
		if (keep)
			memmove(buf, keep + 1, n);
		if (pwrite(config_lock_fd(), buf, n, 0) != n || ftruncate(config_lock_fd(), n))
			return -errno;
	}
	return pwrite(config_lock_fd(), line, len, n) == len ? 0 : -errno;
}

int journal_end(__u64 cookie)
{
	char buf[JOURNAL_MAX], *line;
	ssize_t n = journal_read(buf);
	size_t len;

	if (n < 0)
		return n;
	if (!(line = find_line(buf, cookie)))
		return 0;
	len = strchr(line, '\n') + 1 - line;
	memmove(line, line + len, buf + n - (line + len));
	n -= len;
	if (pwrite(config_lock_fd(), buf, n, 0) != n || ftruncate(config_lock_fd(), n))
		return -errno;
	return 0;
}
