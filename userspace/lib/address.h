/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4/IPv6 addresses and prefixes: parsing from and formatting to text. */
#ifndef VESP_LIB_ADDRESS_H
#define VESP_LIB_ADDRESS_H

#include <stddef.h>

#include "error.h"
#include "model.h"

/* "2001:db8::1/128" is the longest text a prefix needs, with its NUL. */
#define VESP_PREFIX_TEXT_LEN 64

/* Parse "192.0.2.1" or "2001:db8::1"; @what names the value in errors ("remote address"). */
int vesp_parse_addr(const char *text, struct vesp_addr *addr, const char *what,
		    struct vesp_error *err);

/*
 * Parse "10.0.0.0/24", "::/0", or a bare address meaning a host prefix.
 * Bits past the prefix length must be zero, as the kernel demands.
 */
int vesp_parse_prefix(const char *text, struct vesp_prefix *prefix, struct vesp_error *err);

/* Format into @buf (at least VESP_PREFIX_TEXT_LEN bytes); returns @buf, "?" if unknown family. */
const char *vesp_format_addr(const struct vesp_addr *addr, char *buf, size_t size);
const char *vesp_format_prefix(const struct vesp_prefix *prefix, char *buf, size_t size);

#endif /* VESP_LIB_ADDRESS_H */
