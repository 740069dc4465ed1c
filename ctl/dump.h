/* SPDX-License-Identifier: GPL-2.0 */
/* The running configuration of this namespace, as `dump` prints it and `apply` restores it. */
#ifndef GIF_DUMP_H
#define GIF_DUMP_H

#include "config.h"
#include "datapath.h"

/* Attachments and every gif device (options and MTU explicit); 0 or -errno. */
int config_from_system(const struct datapath *dp, struct config *out);

#endif
