/* SPDX-License-Identifier: GPL-2.0 */
/* `gifctl stats [GIF]`: per-tunnel counters summed over CPUs, and what no tunnel claimed. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "device.h"
#include "log.h"
#include "output.h"
#include "tunnels.h"

static const char *const counter_names[GIF_C_USED] = { GIF_COUNTER_NAMES };

void print_counters(const struct gif_stats *s)
{
	for (int i = 0; i < GIF_C_USED; i++) {
		char fmt[48];

		out_text(i % 4 ? "  " : "\n\t");
		snprintf(fmt, sizeof(fmt), "%s %%llu", counter_names[i]);
		out_uint(counter_names[i], fmt, s->c[i]);
	}
	out_text("\n");
}

/* One object: the device's name and index (index 0: what no tunnel claimed), then its counters. */
static int print_entry(const struct datapath *dp, __u32 ifindex)
{
	char name[IF_NAMESIZE];
	struct gif_stats sum;
	int err = stats_read(dp, ifindex, &sum);

	if (err)
		return err;
	out_obj_begin();
	if (ifindex)
		out_str("name", "%s:", if_indextoname(ifindex, name) ? name : "?");
	else
		out_text("(no tunnel):");
	out_uint("ifindex", " index %llu", ifindex);
	print_counters(&sum);
	out_obj_end();
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	struct gif_tunnel *list;
	struct datapath dp;
	size_t n;
	int rc, err = 0;

	if (argc > 1)
		return usage_error("stats [GIF]", "too many arguments");
	if ((rc = select_tunnels(&dp, argc ? argv[0] : NULL, &list, &n)))
		goto out;
	out_list_begin();
	for (size_t i = 0; !err && i < n; i++)
		err = print_entry(&dp, list[i].ifindex);
	if (!err && argc == 0 && dp.stats_fd >= 0)
		err = print_entry(&dp, 0);
	out_list_end();
	if (err)
		rc = fail(argc ? argv[0] : NULL, "cannot read counters: %s", strerror(-err));
out:
	free(list);
	dp_close(&dp);
	return rc;
}
