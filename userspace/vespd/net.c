// SPDX-License-Identifier: GPL-2.0
/* The IKE sockets: see net.h. */
#include "net.h"

#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/uio.h>
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

/* An IPv4 and an IPv6 socket on @port: -1 (errno) if IPv4 fails. */
static int open_pair(int *fd4, int *fd6, uint16_t port)
{
	*fd4 = open_one(AF_INET, port);
	if (*fd4 < 0)
		return -1;
	*fd6 = open_one(AF_INET6, port);
	/* a host without IPv6 still runs IKE over IPv4 */
	if (*fd6 < 0 && errno != EAFNOSUPPORT) {
		int saved = errno;

		close(*fd4);
		errno = saved;
		return -1;
	}
	return 0;
}

int vespd_net_open(struct vespd_net *net, uint16_t port, uint16_t natt_port)
{
	net->natt4 = net->natt6 = -1;
	net->natt_port = natt_port;
	if (open_pair(&net->fd4, &net->fd6, port) < 0)
		return -1;
	if (natt_port && open_pair(&net->natt4, &net->natt6, natt_port) < 0) {
		vespd_net_close(net);
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
	if (net->natt4 >= 0)
		close(net->natt4);
	if (net->natt6 >= 0)
		close(net->natt6);
	net->fd4 = net->fd6 = net->natt4 = net->natt6 = -1;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ?
		     ((const struct sockaddr_in6 *)ss)->sin6_port :
		     ((const struct sockaddr_in *)ss)->sin_port);
}

int vespd_net_send(struct vespd_net *net, const struct sockaddr_storage *to,
		   const uint8_t *buf, size_t len)
{
	static const uint8_t marker[VESPD_NON_ESP_MARKER_LEN];
	bool natt = net->natt_port && port_of(to) == net->natt_port;
	bool v6 = to->ss_family == AF_INET6;
	struct iovec iov[2] = {
		{ .iov_base = (void *)marker, .iov_len = sizeof(marker) },
		{ .iov_base = (void *)buf, .iov_len = len },
	};
	struct msghdr msg = {
		.msg_name = (void *)to,
		.msg_namelen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
		.msg_iov = natt ? iov : iov + 1,
		.msg_iovlen = natt ? 2 : 1,
	};
	int fd = natt ? (v6 ? net->natt6 : net->natt4) : (v6 ? net->fd6 : net->fd4);

	if (fd < 0) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return sendmsg(fd, &msg, 0) < 0 ? -1 : 0;
}

int vespd_net_natt_offset(const uint8_t *buf, size_t len)
{
	static const uint8_t marker[VESPD_NON_ESP_MARKER_LEN];

	if (len < sizeof(marker) || memcmp(buf, marker, sizeof(marker)))
		return -1;
	return sizeof(marker);
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
