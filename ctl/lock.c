/* SPDX-License-Identifier: GPL-2.0 */
/* The global configuration lock, interruptible while waiting (kernel-facts §6). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
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

static int open_lock_file(const char *obj)
{
	struct stat st;
	int fd = open(GIF_LOCK_PATH, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return fail(obj, "cannot open %s: %s%s", GIF_LOCK_PATH, strerror(errno),
			    errno == ELOOP	  ? " (refusing to follow a symlink)"
			    : errno == EACCES ? " (gifctl needs root: CAP_NET_ADMIN and CAP_BPF)"
					      : ""), -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		close(fd);
		return fail(obj, "%s is not a regular file private to its owner; refusing to use it",
			    GIF_LOCK_PATH), -1;
	}
	return fd;
}

/* True while the path still names the file we locked: if it was deleted or replaced, another
 * gifctl would lock a different file, so we must lock the new one instead. */
static bool still_the_lock(int fd)
{
	struct stat a, b;

	return !fstat(fd, &a) && !lstat(GIF_LOCK_PATH, &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static int lock_fd = -1;

int config_lock_fd(void)
{
	return lock_fd;
}

int config_lock(const char *obj)
{
	struct itimerval timer = { 0 };
	bool timing = false;
	int fd;

	catch(SIGINT);
	catch(SIGTERM);
	catch(SIGALRM);
	if (lock_wait >= 0) {
		timer.it_value.tv_sec = (time_t)lock_wait;
		timer.it_value.tv_usec = (suseconds_t)((lock_wait - (time_t)lock_wait) * 1e6);
		if (!timer.it_value.tv_sec && !timer.it_value.tv_usec)
			timer.it_value.tv_usec = 1;
	}
	for (;;) {
		int err = 0;

		if ((fd = open_lock_file(obj)) < 0)
			return EXIT_FAIL;
		if (flock(fd, LOCK_EX | LOCK_NB) && (err = errno) == EWOULDBLOCK) {
			debug("waiting for %s (held by pid %ld)", GIF_LOCK_PATH, lock_holder(fd));
			if (lock_wait >= 0 && !timing)
				setitimer(ITIMER_REAL, &timer, NULL);
			timing = true;
			do
				err = flock(fd, LOCK_EX) ? errno : 0;
			while (!caught && err == EINTR);
			if (caught)
				return wait_failed(fd, obj);
		}
		if (err)
			return fail(obj, "cannot lock %s: %s", GIF_LOCK_PATH, strerror(err));
		if (still_the_lock(fd))
			break;
		close(fd);
	}
	memset(&timer, 0, sizeof(timer));
	setitimer(ITIMER_REAL, &timer, NULL);
	defer_signals();
	lock_fd = fd;
	return EXIT_OK;
}
