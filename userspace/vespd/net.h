/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE sockets: UDP on the IKE port and on the NAT-T port, IPv4 and IPv6
 * apart. A peer that supports NAT detection may move IKE to the NAT-T port
 * (RFC 7296 section 2.23) even where there is no NAT; there every IKE
 * message starts with the four zero bytes of the non-ESP marker (RFC 3948).
 */
#ifndef VESPD_NET_H
#define VESPD_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct vespd_net {
	int fd4;
	int fd6;
	int natt4;		/* -1 without a NAT-T port */
	int natt6;
	uint16_t natt_port;
};

/* The length of the non-ESP marker before IKE on the NAT-T port. */
#define VESPD_NON_ESP_MARKER_LEN 4

/*
 * Bind both families to @port and, unless it is 0, to @natt_port on every
 * address; -1 (errno) on failure.
 */
int vespd_net_open(struct vespd_net *net, uint16_t port, uint16_t natt_port);
void vespd_net_close(struct vespd_net *net);

/*
 * Send @buf to @to (whose port is used as is) from the address of @from
 * (NULL: routing picks it); to the NAT-T port it goes from ours, behind
 * the non-ESP marker.
 */
int vespd_net_send(struct vespd_net *net, const struct sockaddr_storage *from,
		   const struct sockaddr_storage *to, const uint8_t *buf, size_t len);

/*
 * Read one datagram from @fd: its sender into @from and the local address
 * it came to into @to (family 0 if the kernel did not say). -1 (errno).
 */
ssize_t vespd_net_recv(int fd, uint8_t *buf, size_t cap, struct sockaddr_storage *from,
		       struct sockaddr_storage *to);

/*
 * The IKE message in a datagram of @len bytes read from the NAT-T socket:
 * its offset past the non-ESP marker, or -1 for ESP in UDP (not supported).
 */
int vespd_net_natt_offset(const uint8_t *buf, size_t len);

/* Whether @a and @b are the same address (ports ignored). */
int vespd_net_same_addr(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b);

#endif /* VESPD_NET_H */
