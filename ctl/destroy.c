/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gifctl destroy GIF`: pause before detach. Decapsulation stops first (the pair goes), then
 * encapsulation (the device's entry goes), and only then is the device, the redirect target of
 * both, deleted; its counters last.
 */
#include <errno.h>
#include <string.h>
#include "change.h"
#include "commands.h"
#include "device.h"
#include "fault.h"
#include "log.h"
#include "ops.h"
#include "parse.h"
#include "tunnels.h"

int op_destroy(struct datapath *dp, const char *name)
{
	struct gif_tunnel cfg;
	struct gif_pair pair;
	struct nl_link gif;
	int rc = gif_find(dp, name, &gif, &cfg), err = 0;

	if (rc)
		return rc;
	pair = tun_pair(&cfg);
	if (cfg.family != GIF_AF_NONE)
		err = tun_unpublish_pair(dp, &pair);
	fault_point("pair-removed");
	if (!err)
		err = tun_unpublish_dev(dp, gif.ifindex);
	fault_point("device-entry-removed");
	if (!err)
		err = gif_device_delete(gif.ifindex);
	fault_point("device-deleted");
	if (!err)
		err = stats_delete(dp, gif.ifindex);
	return err ? fail(name, "cannot destroy: %s", strerror(-err)) : EXIT_OK;
}

int cmd_destroy(int argc, char **argv)
{
	struct datapath dp;
	char err_buf[160];
	int rc, err;

	if (argc != 1)
		return usage_error("destroy GIF", argc ? "too many arguments" : "missing GIF");
	if (!parse_ifname(argv[0], err_buf, sizeof(err_buf)))
		return usage_error("destroy GIF", "'%s': %s", argv[0], err_buf);
	if ((rc = begin_change(argv[0])))
		return rc;
	err = dp_find(&dp);
	if (err && err != -ENOENT)
		rc = fail(argv[0], "cannot read the datapath: %s", strerror(-err));
	else
		rc = op_destroy(&dp, argv[0]);
	dp_close(&dp);
	return rc;
}
