/* SPDX-License-Identifier: GPL-2.0 */
/* The global configuration lock, interruptible while waiting (kernel-facts §6). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>
#include "lock.h"
#include "log.h"

double lock_wait = -1;
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

/* Installs the handler without SA_RESTART, so that a blocking flock() returns EINTR. */
static void catch(int sig)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* The pid holding an flock on the file, from /proc/locks, or 0 when unknown. */
static long lock_holder(int fd)
{
	struct stat st;
	char line[256];
	long pid = 0;
	FILE *f;

	if (fstat(fd, &st) || !(f = fopen("/proc/locks", "re")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned int maj, min;
		unsigned long ino;
		long p;
		char type[16];

		if (sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%lu", type, &p, &maj, &min, &ino) == 5 &&
		    !strcmp(type, "FLOCK") && ino == st.st_ino &&
		    makedev(maj, min) == st.st_dev) {
			pid = p;
			break;
		}
	}
	fclose(f);
	return pid;
}

static void defer_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int wait_failed(int fd, const char *obj)
{
	long pid = lock_holder(fd);
	char holder[48] = "";

	if (pid)
		snprintf(holder, sizeof(holder), " held by pid %ld", pid);
	if (caught == SIGINT || caught == SIGTERM) {
		fail(obj, "interrupted while waiting for %s%s; nothing changed", GIF_LOCK_PATH,
		     holder);
		return 128 + caught;
	}
	return fail(obj, "timed out after %g s waiting for %s%s; nothing changed", lock_wait,
		    GIF_LOCK_PATH, holder);
}

int config_lock(const char *obj)
{
	struct itimerval timer = { 0 };
	struct stat st;
	int fd;

	fd = open(GIF_LOCK_PATH, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(obj, "cannot open %s: %s%s", GIF_LOCK_PATH, strerror(errno),
			    errno == ELOOP ? " (refusing to follow a symlink)" : "");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return fail(obj, "%s is not a regular file owned by us; refusing to use it",
			    GIF_LOCK_PATH);

	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		defer_signals();
		return EXIT_OK;
	}
	if (errno != EWOULDBLOCK)
		return fail(obj, "cannot lock %s: %s", GIF_LOCK_PATH, strerror(errno));
	debug("waiting for %s (held by pid %ld)", GIF_LOCK_PATH, lock_holder(fd));

	catch(SIGINT);
	catch(SIGTERM);
	catch(SIGALRM);
	if (lock_wait >= 0) {
		timer.it_value.tv_sec = (time_t)lock_wait;
		timer.it_value.tv_usec = (suseconds_t)((lock_wait - (time_t)lock_wait) * 1e6);
		if (!timer.it_value.tv_sec && !timer.it_value.tv_usec)
			return wait_failed(fd, obj);
		setitimer(ITIMER_REAL, &timer, NULL);
	}
	for (;;) {
		if (caught)
			return wait_failed(fd, obj);
		if (flock(fd, LOCK_EX) == 0)
			break;
		if (errno != EINTR)
			return fail(obj, "cannot lock %s: %s", GIF_LOCK_PATH, strerror(errno));
	}
	memset(&timer, 0, sizeof(timer));
	setitimer(ITIMER_REAL, &timer, NULL);
	defer_signals();
	return EXIT_OK;
}
