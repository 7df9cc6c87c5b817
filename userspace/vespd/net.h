/* SPDX-License-Identifier: GPL-2.0 */
/* The IKE sockets: UDP on one port, IPv4 and IPv6 apart. */
#ifndef VESPD_NET_H
#define VESPD_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct vespd_net {
	int fd4;
	int fd6;
};

/* Bind both families to @port on every address; -1 (errno) on failure. */
int vespd_net_open(struct vespd_net *net, uint16_t port);
void vespd_net_close(struct vespd_net *net);

/* Send @buf to @to (whose port is used as is). */
int vespd_net_send(struct vespd_net *net, const struct sockaddr_storage *to,
		   const uint8_t *buf, size_t len);

/* Whether @a and @b are the same address (ports ignored). */
int vespd_net_same_addr(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b);

#endif /* VESPD_NET_H */
