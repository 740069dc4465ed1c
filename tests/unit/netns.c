// SPDX-License-Identifier: GPL-2.0
/* A private network namespace and rtnetlink requests for the test rig (see netns.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include "netlink.h"
#include "netns.h"

static bool private_netns;

int netns_enter(void)
{
	struct nl_link lo;
	int err;

	if (unshare(CLONE_NEWNET))
		return -errno;
	private_netns = true;
	err = nl_link_get("lo", &lo);
	return err ? err : nl_link_set_up(lo.ifindex, true);
}

bool netns_private(void)
{
	return private_netns;
}

/* Sends one request with NLM_F_ACK and returns the kernel's answer. */
static int talk(struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned int portid;
	int ret;

	if (!private_netns)
		return -EPERM;
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	do {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0)
			goto fail;
		ret = mnl_cb_run(buf, ret, nlh->nlmsg_seq, portid, NULL, NULL);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		goto fail;
	mnl_socket_close(nl);
	return 0;
fail:
	ret = -errno;
	mnl_socket_close(nl);
	return ret;
}

static int put_addr(struct nlmsghdr *nlh, __u16 type, int family, const char *s)
{
	unsigned char a[16];

	if (inet_pton(family, s, a) != 1)
		return -EINVAL;
	mnl_attr_put(nlh, type, family == AF_INET ? 4 : 16, a);
	return 0;
}

int netns_addr_add(int ifindex, int family, const char *addr, int prefix)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int err;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_index = ifindex;
	if ((err = put_addr(nlh, IFA_LOCAL, family, addr)) ||
	    (err = put_addr(nlh, IFA_ADDRESS, family, addr)))
		return err;
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return talk(nlh);
}

int netns_neigh_add(int ifindex, int family, const char *addr, const unsigned char mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *nd;
	int err;

	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = family;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_PERMANENT;
	if ((err = put_addr(nlh, NDA_DST, family, addr)))
		return err;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return talk(nlh);
}

int netns_route_add(int family, const char *dst, int prefix, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int err;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if ((err = put_addr(nlh, RTA_DST, family, dst)))
		return err;
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return talk(nlh);
}

int netns_sysctl(const char *path, const char *value)
{
	char full[256];
	size_t len = strlen(value);
	int fd, err = 0;

	if (!private_netns)
		return -EPERM;
	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		err = -errno;
	close(fd);
	return err;
}
