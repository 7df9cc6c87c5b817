// SPDX-License-Identifier: GPL-2.0
/* The IKE sockets: see net.h. */
#include "net.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

static int open_one(int family, uint16_t port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;

	if (fd < 0)
		return -1;
	if (family == AF_INET6) {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		/* IPv4 has its own socket */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	} else {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	}
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET6 ?
		 sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int vespd_net_open(struct vespd_net *net, uint16_t port)
{
	net->fd4 = open_one(AF_INET, port);
	if (net->fd4 < 0)
		return -1;
	net->fd6 = open_one(AF_INET6, port);
	/* a host without IPv6 still runs IKE over IPv4 */
	if (net->fd6 < 0 && errno != EAFNOSUPPORT) {
		close(net->fd4);
		return -1;
	}
	return 0;
}

void vespd_net_close(struct vespd_net *net)
{
	if (net->fd4 >= 0)
		close(net->fd4);
	if (net->fd6 >= 0)
		close(net->fd6);
	net->fd4 = net->fd6 = -1;
}

int vespd_net_send(struct vespd_net *net, const struct sockaddr_storage *to,
		   const uint8_t *buf, size_t len)
{
	int fd = to->ss_family == AF_INET6 ? net->fd6 : net->fd4;
	socklen_t alen = to->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
			 sizeof(struct sockaddr_in);

	if (fd < 0)
		return -1;
	return sendto(fd, buf, len, 0, (const struct sockaddr *)to, alen) < 0 ? -1 : 0;
}

int vespd_net_same_addr(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			       &((const struct sockaddr_in *)b)->sin_addr, 4);
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return 0;
}
