/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Switching new gif devices to their configuration in batches. Each update of gif_tx, a hash of
 * maps, waits for an RCU grace period before the syscall returns; `apply` creating many tunnels
 * queues their switches instead and publishes them with BPF_MAP_UPDATE_BATCH, which waits once
 * per batch (measured on 6.18; older kernels wait per element: no slower than one by one).
 * Only devices created by the same change are queued, after their pair is published: until
 * switched, a device is unknown to gif_tx, so a crash leaves what a creation cut short leaves
 * (README "Crash consistency": rolled back). gif_rx is not batched: batches refuse BPF_NOEXIST.
 */
#ifndef GIF_SWITCHES_H
#define GIF_SWITCHES_H

#include <stdbool.h>
#include "datapath.h"
#include "gif_types.h"

/* From now on, switches_add() queues; until then (and after switches_end()) nothing is queued. */
void switches_begin(void);
bool switches_deferred(void);
/*
 * Queues the switch of new device NAME (IFINDEX, its counters made, PAIR published with INNER_FD's
 * configuration; INNER_FD stays the caller's). A full queue is published first. EXIT_OK, or
 * EXIT_FAIL after saying why; then NAME is not queued (nor undone).
 */
int switches_add(const struct datapath *dp, const char *name, __u32 ifindex,
		 const struct gif_pair *pair, int inner_fd);
/* Says why publishing NAME's configuration in gif_tx failed with ERR; EXIT_FAIL. */
int switch_failed(const char *name, int err);
/* Publishes the queue in gif_tx. EXIT_OK, or EXIT_FAIL after saying why (the rest undone). */
int switches_flush(const struct datapath *dp);
/* Undoes what is queued: each device's pair, counters and device go. Ends deferring. */
void switches_end(const struct datapath *dp);

#endif
