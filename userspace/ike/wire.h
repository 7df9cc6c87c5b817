/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Big-endian field access for IKE wire formats. Byte-wise so that any
 * alignment is fine and the code reads the same on every host.
 */
#ifndef IKE_WIRE_H
#define IKE_WIRE_H

#include <stdint.h>

static inline uint16_t ike_get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t ike_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t ike_get_be64(const uint8_t *p)
{
	return (uint64_t)ike_get_be32(p) << 32 | ike_get_be32(p + 4);
}

/* Read @len (0..8) bytes as a big-endian number: SPIs of any size. */
static inline uint64_t ike_get_be(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < len; i++)
		v = v << 8 | p[i];
	return v;
}

static inline void ike_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ike_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void ike_put_be64(uint8_t *p, uint64_t v)
{
	ike_put_be32(p, (uint32_t)(v >> 32));
	ike_put_be32(p + 4, (uint32_t)v);
}

/* Write the low @len (0..8) bytes of @v big-endian. */
static inline void ike_put_be(uint8_t *p, uint64_t v, unsigned int len)
{
	for (unsigned int i = len; i > 0; i--) {
		p[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

#endif /* IKE_WIRE_H */
