/* SPDX-License-Identifier: GPL-2.0 */
/* gifctl's TC filters through libbpf's netlink requests (see tc.h). */
#include <errno.h>
#include <bpf/libbpf.h>
#include "tc.h"

#define GIF_TC_HANDLE 0x6966	/* "if" */
#define GIF_TC_PRIORITY 1

int tc_filter_attach(int ifindex, bool ingress, int prog_fd)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = GIF_TC_HANDLE, .priority = GIF_TC_PRIORITY,
		    .prog_fd = prog_fd, .flags = BPF_TC_F_REPLACE);
	int err = bpf_tc_hook_create(&hook);

	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &opts);
}

__u32 tc_filter_prog_id(int ifindex, bool ingress)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = GIF_TC_HANDLE, .priority = GIF_TC_PRIORITY);

	return bpf_tc_query(&hook, &opts) ? 0 : opts.prog_id;
}

int tc_filter_detach(int ifindex, bool ingress)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = GIF_TC_HANDLE, .priority = GIF_TC_PRIORITY);

	return bpf_tc_detach(&hook, &opts);
}
