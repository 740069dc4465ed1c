/* SPDX-License-Identifier: GPL-2.0 */
/* rtnetlink over libmnl: one lazily opened socket, link queries and changes, veth pairs, routes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>

#include "netlink.h"

/* Receive buffer: at least MNL_SOCKET_BUFFER_SIZE; the kernel fills up to 32 KiB per dump part. */
#define NL_RECV_SIZE 32768

static struct mnl_socket *nl_sock;
static unsigned int nl_seq;
static bool nl_ended;	/* the kernel has ended the current request (ACK, error or NLMSG_DONE) */

/*
 * NLMSG_ERROR (the ACK, or the request's error) and NLMSG_DONE (end of a dump, with an error when
 * the dump failed) both start with an int errno and end the request.
 */
static int nl_end_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	nl_ended = true;
	if (!*err)
		return MNL_CB_STOP;
	errno = *err < 0 ? -*err : *err;
	return MNL_CB_ERROR;
}

/* Not const: libmnl 1.0.4 takes a mnl_cb_t *. */
static mnl_cb_t nl_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = nl_end_cb,
	[NLMSG_DONE] = nl_end_cb,
};

/*
 * Sends NLH with NLM_F_ACK (ignored by the kernel for dumps, which end with NLMSG_DONE) and passes
 * every reply to CB until the kernel ends the request. Returns 0 or a negative errno: the kernel's,
 * or a local one, after which replies may still be queued: then the socket is dropped and the next
 * request opens a fresh one.
 */
static int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[NL_RECV_SIZE];
	unsigned int portid;
	ssize_t len;
	int ret;

	nl_ended = false;
	if (!nl_sock) {
		nl_sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
		if (!nl_sock)
			return -errno;
		if (mnl_socket_bind(nl_sock, 0, MNL_SOCKET_AUTOPID) < 0)
			goto fail;
	}
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl_seq;
	portid = mnl_socket_get_portid(nl_sock);
	if (mnl_socket_sendto(nl_sock, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	do {
		len = mnl_socket_recvfrom(nl_sock, buf, sizeof(buf));
		if (len < 0)
			goto fail;
		ret = mnl_cb_run2(buf, len, nlh->nlmsg_seq, portid, cb, data, nl_ctl_cbs,
				  MNL_ARRAY_SIZE(nl_ctl_cbs));
	} while (ret > MNL_CB_STOP);
	if (ret == MNL_CB_STOP)
		return 0;
fail:
	ret = errno ? -errno : -EPROTO;
	if (!nl_ended) {
		mnl_socket_close(nl_sock);
		nl_sock = NULL;
	}
	return ret;
}

/* Starts a request on link IFINDEX (0: none) in BUF, a MNL_SOCKET_BUFFER_SIZE buffer. */
static struct nlmsghdr *link_msg(char *buf, __u16 type, __u16 flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* Strings come from callers: refuse what does not fit instead of overflowing the buffer. */
static bool put_str(struct nlmsghdr *nlh, __u16 type, const char *s)
{
	return mnl_attr_put_strz_check(nlh, MNL_SOCKET_BUFFER_SIZE, type, s);
}

static __u32 attr_u32(const struct nlattr *a)
{
	return mnl_attr_validate(a, MNL_TYPE_U32) < 0 ? 0 : mnl_attr_get_u32(a);
}

static void attr_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t len = strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));

	if (len >= size)
		len = size - 1;
	memcpy(dst, mnl_attr_get_payload(a), len);
	dst[len] = '\0';
}

/* Fills the struct nl_link DATA from an RTM_NEWLINK message. */
static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *n;
	struct nl_link *l = data;
	bool other_netns = false;

	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			attr_str(l->name, sizeof(l->name), a);
			break;
		case IFLA_IFALIAS:
			attr_str(l->alias, sizeof(l->alias), a);
			break;
		case IFLA_MTU:
			l->mtu = attr_u32(a);
			break;
		case IFLA_LINK:
			l->link_ifindex = attr_u32(a);
			break;
		case IFLA_LINK_NETNSID:	/* the peer is in another namespace: not ours to look up */
			other_netns = true;
			break;
		case IFLA_ADDRESS:
			if (mnl_attr_get_payload_len(a) == sizeof(l->mac))
				memcpy(l->mac, mnl_attr_get_payload(a), sizeof(l->mac));
			break;
		case IFLA_LINKINFO:
			mnl_attr_for_each_nested(n, a) {
				if (mnl_attr_get_type(n) == IFLA_INFO_KIND)
					attr_str(l->kind, sizeof(l->kind), n);
			}
			break;
		case IFLA_XDP:
			mnl_attr_for_each_nested(n, a) {
				if (mnl_attr_get_type(n) == IFLA_XDP_PROG_ID)
					l->xdp_prog_id = attr_u32(n);
				else if (mnl_attr_get_type(n) == IFLA_XDP_ATTACHED &&
					 mnl_attr_validate(n, MNL_TYPE_U8) == 0)
					l->xdp_attached = mnl_attr_get_u8(n);
			}
			break;
		}
	}
	if (other_netns)
		l->link_ifindex = 0;
	return MNL_CB_OK;
}

/* RTM_GETLINK for NAME (when non-NULL) or IFINDEX, or for every link with NLM_F_DUMP. */
static int link_get(const char *name, int ifindex, __u16 flags, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, flags, ifindex);

	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (name && !put_str(nlh, IFLA_IFNAME, name))
		return -EMSGSIZE;
	return nl_talk(nlh, cb, data);
}

int nl_link_get(const char *name, struct nl_link *out)
{
	return link_get(name, 0, 0, link_cb, out);
}

int nl_link_get_by_index(int ifindex, struct nl_link *out)
{
	return link_get(NULL, ifindex, 0, link_cb, out);
}

struct link_array {
	struct nl_link *v;
	size_t n, cap;
};

static int link_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_array *la = data;
	int ret;

	if (la->n == la->cap) {
		size_t cap = la->cap ? 2 * la->cap : 16;
		struct nl_link *v = realloc(la->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		la->v = v;
		la->cap = cap;
	}
	ret = link_cb(nlh, &la->v[la->n]);
	if (ret == MNL_CB_OK)
		la->n++;
	return ret;
}

static int by_ifindex(const void *a, const void *b)
{
	int x = ((const struct nl_link *)a)->ifindex, y = ((const struct nl_link *)b)->ifindex;

	return (x > y) - (x < y);
}

const struct nl_link *nl_link_find(const struct nl_link *links, size_t n, int ifindex)
{
	struct nl_link key = { .ifindex = ifindex };

	return n ? bsearch(&key, links, n, sizeof(*links), by_ifindex) : NULL;
}

int nl_link_list(struct nl_link **out, size_t *count)
{
	struct link_array la = {};
	int ret, tries = 3;

	/* -EINTR: links changed during the dump (NLM_F_DUMP_INTR), so dump again. */
	do {
		la.n = 0;
		ret = link_get(NULL, 0, NLM_F_DUMP, link_list_cb, &la);
	} while (ret == -EINTR && --tries);
	if (ret) {
		free(la.v);
		la.v = NULL;
		la.n = 0;
	}
	/* Kernels before 6.7 dump in hash order. */
	if (la.n)
		qsort(la.v, la.n, sizeof(*la.v), by_ifindex);
	*out = la.v;
	*count = la.n;
	return ret;
}

/*
 * One queue each way, as veth uses by default, but asked for: without IFLA_NUM_*_QUEUES the veth
 * driver allocates one per CPU and then trims them (veth_init_queues), which waits for an RCU grace
 * period under RTNL (netif_set_real_num_tx_queues) for each end.
 */
static void put_one_queue(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
}

int nl_veth_create(const char *name, const char *peer, unsigned int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *info, *info_data, *peer_info;

	if (!put_str(nlh, IFLA_IFNAME, name))
		return -EMSGSIZE;
	/* Given at creation, not set later: a change walks the namespace's whole IPv6 FIB. */
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	put_one_queue(nlh);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	info_data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_info = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* VETH_INFO_PEER holds a struct ifinfomsg (zeroed: down), then the peer's attributes. */
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	if (!put_str(nlh, IFLA_IFNAME, peer))
		return -EMSGSIZE;
	put_one_queue(nlh);
	mnl_attr_nest_end(nlh, peer_info);
	mnl_attr_nest_end(nlh, info_data);
	mnl_attr_nest_end(nlh, info);
	return nl_talk(nlh, NULL, NULL);
}

int nl_link_delete(int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return nl_talk(link_msg(buf, RTM_DELLINK, 0, ifindex), NULL, NULL);
}

int nl_link_set_flags(int ifindex, unsigned int flags, unsigned int change)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_SETLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_flags = flags & change;
	ifi->ifi_change = change;
	return nl_talk(nlh, NULL, NULL);
}

int nl_link_set_up(int ifindex, bool up)
{
	return nl_link_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP);
}

int nl_link_set_mtu(int ifindex, unsigned int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_SETLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nlh, NULL, NULL);
}

int nl_link_set_addr_gen_none(int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_SETLINK, 0, ifindex);
	struct nlattr *af_spec, *inet6;

	af_spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	inet6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, inet6);
	mnl_attr_nest_end(nlh, af_spec);
	return nl_talk(nlh, NULL, NULL);
}

int nl_link_set_alias(int ifindex, const char *alias)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_SETLINK, 0, ifindex);

	if (!put_str(nlh, IFLA_IFALIAS, alias))
		return -EMSGSIZE;
	return nl_talk(nlh, NULL, NULL);
}

struct route_res {
	int oif;
	unsigned int mtu;
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_res *r = data;
	const struct nlattr *a, *n;

	mnl_attr_for_each(a, nlh, sizeof(struct rtmsg)) {
		if (mnl_attr_get_type(a) == RTA_OIF) {
			r->oif = attr_u32(a);
		} else if (mnl_attr_get_type(a) == RTA_METRICS) {
			mnl_attr_for_each_nested(n, a) {
				if (mnl_attr_get_type(n) == RTAX_MTU)
					r->mtu = attr_u32(n);
			}
		}
	}
	return MNL_CB_OK;
}

int nl_route_get(int family, const void *dst, const void *src, int *oif, unsigned int *mtu)
{
	size_t alen = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct route_res r = {};
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int ret;

	if (!alen)
		return -EAFNOSUPPORT;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = alen * 8;
	mnl_attr_put(nlh, RTA_DST, alen, dst);
	if (src) {
		rtm->rtm_src_len = alen * 8;
		mnl_attr_put(nlh, RTA_SRC, alen, src);
	}
	ret = nl_talk(nlh, route_cb, &r);
	if (ret)
		return ret;
	if (oif)
		*oif = r.oif;
	if (mtu)
		*mtu = r.mtu;
	return 0;
}
