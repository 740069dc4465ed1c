/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gifctl's TC filters: one direct-action BPF filter per hook, under a fixed handle and priority,
 * on the device's clsact qdisc (created when missing, never deleted: others may have filters on
 * it, kernel-facts §8). Kernels before 6.6 have no tcx, so this is the form that works everywhere.
 */
#ifndef GIF_TC_H
#define GIF_TC_H

#include <stdbool.h>
#include <linux/types.h>

/* Attaches PROG_FD to IFINDEX's ingress (INGRESS) or egress hook, replacing gifctl's filter. */
int tc_filter_attach(int ifindex, bool ingress, int prog_fd);
/* The program id of gifctl's filter there; 0 when there is none. */
__u32 tc_filter_prog_id(int ifindex, bool ingress);
/* Deletes gifctl's filter there; -ENOENT when there is none. */
int tc_filter_detach(int ifindex, bool ingress);

#endif
