/* SPDX-License-Identifier: GPL-2.0 */
/* A foreign XDP program for tests: gifctl must neither replace nor remove it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int foreign_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
