/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's addresses coming and going (rtnetlink RTM_NEWADDR and
 * RTM_DELADDR in the daemon's netns): a tunnel whose path loses its local
 * address moves IKE and ESP to another path at once, without waiting for
 * its requests to go unanswered.
 */
#ifndef VESPD_ADDRWATCH_H
#define VESPD_ADDRWATCH_H

#include <stdbool.h>
#include <sys/socket.h>

/* A socket subscribed to IPv4 and IPv6 address changes; -1 (errno). */
int vespd_addrwatch_open(void);

/*
 * Read what is waiting on @fd and call @fn for each address added
 * (@gone false) or removed (@gone true).
 */
void vespd_addrwatch_read(int fd, void (*fn)(void *arg, const struct sockaddr_storage *addr,
					     bool gone),
			  void *arg);

#endif /* VESPD_ADDRWATCH_H */
