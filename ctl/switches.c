/* SPDX-License-Identifier: GPL-2.0 */
/* Batched switches of new gif devices (see switches.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "device.h"
#include "fault.h"
#include "log.h"
#include "switches.h"
#include "tunnels.h"

/* At most this many inner map descriptors are held (RLIMIT_NOFILE is often 1024). */
#define SWITCHES_MAX 256

static struct {
	bool on;
	size_t n;
	__u32 ifindex[SWITCHES_MAX];
	int fd[SWITCHES_MAX];
	struct gif_pair pair[SWITCHES_MAX];
	char name[SWITCHES_MAX][IF_NAMESIZE];
} q;

void switches_begin(void)
{
	q.on = true;
}

bool switches_deferred(void)
{
	return q.on;
}

int switches_add(const struct datapath *dp, const char *name, __u32 ifindex,
		 const struct gif_pair *pair, int inner_fd)
{
	int fd, rc;

	if (q.n == SWITCHES_MAX && (rc = switches_flush(dp)))
		return rc;
	fd = fcntl(inner_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return fail(name, "cannot keep the tunnel map: %s", strerror(errno));
	q.ifindex[q.n] = ifindex;
	q.fd[q.n] = fd;
	q.pair[q.n] = *pair;
	snprintf(q.name[q.n], IF_NAMESIZE, "%s", name);
	q.n++;
	return EXIT_OK;
}

/* Removes the first N queued entries (published or undone). */
static void drop(size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(q.fd[i]);
	q.n -= n;
	memmove(q.ifindex, q.ifindex + n, q.n * sizeof(q.ifindex[0]));
	memmove(q.fd, q.fd + n, q.n * sizeof(q.fd[0]));
	memmove(q.pair, q.pair + n, q.n * sizeof(q.pair[0]));
	memmove(q.name, q.name + n, q.n * sizeof(q.name[0]));
}

int switch_failed(const char *name, int err)
{
	if (err == -E2BIG)
		return fail(name, "the tunnel map is full (%d devices)", GIF_MAX_TUNNELS);
	return fail(name, "cannot publish the tunnel: %s", strerror(-err));
}

int switches_flush(const struct datapath *dp)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 count = q.n;
	int err;

	if (!q.n)
		return EXIT_OK;
	err = bpf_map_update_batch(dp->tx_fd, q.ifindex, q.fd, &count, &opts);
	/* A failed batch counts the elements before the failing one; a count left at N means none
	 * was done (a kernel without batches for this map type). */
	if (err && count >= q.n)
		count = 0;
	fault_point("devices-switched");
	drop(count);
	/* What the batch left, one by one: an error then names its device. */
	while (q.n) {
		if ((err = tun_publish_dev(dp, q.ifindex[0], q.fd[0])))
			return switch_failed(q.name[0], err);
		drop(1);
	}
	return EXIT_OK;
}

void switches_end(const struct datapath *dp)
{
	for (size_t i = 0; i < q.n; i++) {
		tun_unpublish_pair(dp, &q.pair[i]);
		stats_delete(dp, q.ifindex[i]);
		gif_device_delete(q.ifindex[i]);
	}
	drop(q.n);
	q.on = false;
}
