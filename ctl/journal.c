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

static int journal_write(const char *buf, size_t n)
{
	if (pwrite(config_lock_fd(), buf, n, 0) != (ssize_t)n || ftruncate(config_lock_fd(), n))
		return -errno;
	return 0;
}

/* The line of COOKIE in buf ("COOKIE\n" or "COOKIE NAME\n"), or NULL. */
static char *find_line(char *buf, __u64 cookie)
{
	char id[24];
	size_t len = snprintf(id, sizeof(id), "%" PRIu64, (uint64_t)cookie);

	for (char *p = buf; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, id, len) && (p[len] == '\n' || p[len] == ' '))
			return p;
		if (!strchr(p, '\n'))
			break;
	}
	return NULL;
}

/* Removes COOKIE's line from buf (N bytes); returns the new length. */
static ssize_t remove_line(char *buf, ssize_t n, __u64 cookie)
{
	char *line = find_line(buf, cookie), *end;

	if (!line)
		return n;
	end = strchr(line, '\n');
	end = end ? end + 1 : buf + n;
	memmove(line, end, buf + n - end + 1);
	return n - (end - line);
}

/* Replaces COOKIE's line by "COOKIE[ NAME]\n" at the end. */
static int write_line(__u64 cookie, const char *name)
{
	char buf[JOURNAL_MAX], line[24 + IF_NAMESIZE + 2];
	ssize_t n = journal_read(buf);
	int len = snprintf(line, sizeof(line), "%" PRIu64 "%s%s\n", (uint64_t)cookie,
			   name ? " " : "", name ? name : "");

	if (n < 0)
		return n;
	n = remove_line(buf, n, cookie);
	if (n + len >= JOURNAL_MAX) {
		/* Lines of namespaces deleted since cannot be told apart from live ones: keep the
		 * newer half; an older interruption then waits for `gifctl check --repair`. */
		char *keep = strchr(buf + n / 2, '\n');

		n = keep ? buf + n - (keep + 1) : 0;
		if (keep)
			memmove(buf, keep + 1, n);
	}
	memcpy(buf + n, line, len);
	return journal_write(buf, n + len);
}

bool journal_pending(__u64 cookie)
{
	char buf[JOURNAL_MAX];

	return journal_read(buf) > 0 && find_line(buf, cookie);
}

int journal_begin(__u64 cookie)
{
	return write_line(cookie, NULL);
}

int journal_note(__u64 cookie, const char *name)
{
	return write_line(cookie, name);
}

int journal_end(__u64 cookie)
{
	char buf[JOURNAL_MAX];
	ssize_t n = journal_read(buf), left;

	if (n < 0)
		return n;
	left = remove_line(buf, n, cookie);
	return left == n ? 0 : journal_write(buf, left);
}

bool journal_creating(__u64 cookie, char name[IF_NAMESIZE])
{
	char buf[JOURNAL_MAX], *line, *sp, *nl;

	if (journal_read(buf) <= 0 || !(line = find_line(buf, cookie)))
		return false;
	sp = strchr(line, ' ');
	nl = strchr(line, '\n');
	if (!sp || (nl && nl < sp) || (nl ? nl : line + strlen(line)) - (sp + 1) >= IF_NAMESIZE)
		return false;
	snprintf(name, IF_NAMESIZE, "%.*s", (int)((nl ? nl : line + strlen(line)) - (sp + 1)),
		 sp + 1);
	return name[0] != '\0';
}
