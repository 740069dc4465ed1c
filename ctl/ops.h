/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The changes gifctl makes, on an open datapath with the configuration lock held: shared by the
 * single commands and by `apply`. Each says what went wrong and returns an exit status; a failed
 * operation undoes its own steps.
 */
#ifndef GIF_OPS_H
#define GIF_OPS_H

#include "datapath.h"
#include "parse.h"

/* ATTACH_AUTO (parse.h) is TC ingress on veth and on drivers without native XDP, native XDP
 * otherwise (and whatever is attached already). */
#define ATTACH_USAGE "attach IFACE [mode xdp|tc]"

int op_attach_mode(struct datapath *dp, const char *iface, enum attach_mode how);
int op_detach(struct datapath *dp, const char *iface);
/* Creates NAME if needed and sets its endpoints (PAIR NULL: none) and the options given. */
int op_tunnel_set(struct datapath *dp, const char *name, const struct gif_pair *pair,
		  const struct tunnel_opts *opts);
int op_destroy(struct datapath *dp, const char *name);

#endif
