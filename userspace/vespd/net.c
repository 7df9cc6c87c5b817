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
		/* which of our addresses a message came to: MOBIKE needs it */
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	} else {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
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

/* The port @fd is bound to. */
static uint16_t port_of_fd(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
		     ((struct sockaddr_in *)&ss)->sin_port);
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ?
		     ((const struct sockaddr_in6 *)ss)->sin6_port :
		     ((const struct sockaddr_in *)ss)->sin_port);
}

int vespd_net_send(struct vespd_net *net, const struct sockaddr_storage *from,
		   const struct sockaddr_storage *to, const uint8_t *buf, size_t len)
{
	static const uint8_t marker[VESPD_NON_ESP_MARKER_LEN];
	bool natt = net->natt_port && port_of(to) == net->natt_port;
	bool v6 = to->ss_family == AF_INET6;
	struct iovec iov[2] = {
		{ .iov_base = (void *)marker, .iov_len = sizeof(marker) },
		{ .iov_base = (void *)buf, .iov_len = len },
	};
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} control;
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
	memset(&control, 0, sizeof(control));
	if (from && from->ss_family == to->ss_family) {
		struct cmsghdr *cm;

		msg.msg_control = control.buf;
		msg.msg_controllen = v6 ? CMSG_SPACE(sizeof(struct in6_pktinfo)) :
				     CMSG_SPACE(sizeof(struct in_pktinfo));
		cm = CMSG_FIRSTHDR(&msg);
		if (v6) {
			struct in6_pktinfo pi = {
				.ipi6_addr = ((const struct sockaddr_in6 *)from)->sin6_addr,
			};

			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in_pktinfo pi = {
				.ipi_spec_dst = ((const struct sockaddr_in *)from)->sin_addr,
			};

			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	}
	return sendmsg(fd, &msg, 0) < 0 ? -1 : 0;
}

ssize_t vespd_net_recv(int fd, uint8_t *buf, size_t cap, struct sockaddr_storage *from,
		       struct sockaddr_storage *to)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg = {
		.msg_name = from,
		.msg_namelen = sizeof(*from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	ssize_t n = recvmsg(fd, &msg, 0);

	memset(to, 0, sizeof(*to));
	if (n < 0)
		return n;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *s4 = (struct sockaddr_in *)to;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			s4->sin_family = AF_INET;
			s4->sin_addr = pi.ipi_addr;
			s4->sin_port = htons(port_of_fd(fd));
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)to;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			s6->sin6_family = AF_INET6;
			s6->sin6_addr = pi.ipi6_addr;
			s6->sin6_port = htons(port_of_fd(fd));
		}
	}
	return n;
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
