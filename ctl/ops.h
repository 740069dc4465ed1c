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

int op_attach(struct datapath *dp, const char *iface);
int op_detach(struct datapath *dp, const char *iface);
/* Creates NAME if needed and sets its endpoints (PAIR NULL: none) and the options given. */
int op_tunnel_set(struct datapath *dp, const char *name, const struct gif_pair *pair,
		  const struct tunnel_opts *opts);
int op_destroy(struct datapath *dp, const char *name);

#endif
