/* SPDX-License-Identifier: GPL-2.0 */
/* Includes and the constants vmlinux.h lacks (it carries types and enums, not #defines). */
#ifndef GIF_COMMON_BPF_H
#define GIF_COMMON_BPF_H

/*
 * Packet headers are wire formats with fixed offsets: relocating their fields against the running
 * kernel's BTF (preserve_access_index) is pointless and has mis-relocated fields inside
 * anonymous unions (iphdr saddr/daddr). The datapath reads no kernel-internal structures.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "gif_types.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define IP_DF 0x4000
#define IPV4_HLEN 20
#define IPV6_HLEN 40

#define NEXTHDR_HOP 0
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_DEST 60

#define EINVAL 22

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

#define AF_INET GIF_AF_INET
#define AF_INET6 GIF_AF_INET6

#endif
