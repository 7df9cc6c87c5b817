// SPDX-License-Identifier: GPL-2.0
/* Address changes from rtnetlink: see addrwatch.h. */
#include "addrwatch.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

int vespd_addrwatch_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The address of one RTM_NEWADDR/RTM_DELADDR into @ss; false if it has none. */
static bool address_of(const struct nlmsghdr *h, struct sockaddr_storage *ss)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa));
	const void *local = NULL, *address = NULL;
	size_t alen = ifa->ifa_family == AF_INET6 ? 16 : 4;

	if (len < 0 || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return false;
	for (const struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len);
	     rta = RTA_NEXT(rta, len)) {
		if (RTA_PAYLOAD(rta) != alen)
			continue;
		if (rta->rta_type == IFA_LOCAL)
			local = RTA_DATA(rta);
		else if (rta->rta_type == IFA_ADDRESS)
			address = RTA_DATA(rta);
	}
	/* on a point-to-point link IFA_ADDRESS is the other end: IFA_LOCAL is ours */
	if (!local)
		local = address;
	if (!local)
		return false;
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = ifa->ifa_family;
	if (ifa->ifa_family == AF_INET)
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, local, 4);
	else
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, local, 16);
	return true;
}

void vespd_addrwatch_read(int fd, void (*fn)(void *arg, const struct sockaddr_storage *addr,
					     bool gone),
			  void *arg)
{
	static char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_storage ss;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		int len = (int)n;

		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type != RTM_NEWADDR && h->nlmsg_type != RTM_DELADDR)
				continue;
			if (address_of(h, &ss))
				fn(arg, &ss, h->nlmsg_type == RTM_DELADDR);
		}
	}
}
