/* SPDX-License-Identifier: GPL-2.0 */
/* A view of bytes owned by someone else: a received datagram, a key buffer. */
#ifndef IKE_CHUNK_H
#define IKE_CHUNK_H

#include <stddef.h>
#include <stdint.h>

struct ike_chunk {
	const uint8_t *ptr;
	size_t len;
};

static inline struct ike_chunk ike_chunk(const void *ptr, size_t len)
{
	return (struct ike_chunk){ .ptr = ptr, .len = len };
}

#endif /* IKE_CHUNK_H */
