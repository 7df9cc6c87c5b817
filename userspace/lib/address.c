// SPDX-License-Identifier: GPL-2.0
/* Addresses and prefixes: see address.h. */
#include "address.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* inet_pton without the error message; 0 on success. */
static int addr_from_text(const char *text, struct vesp_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, text, addr->bytes) == 1) {
		addr->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, addr->bytes) == 1) {
		addr->family = AF_INET6;
		return 0;
	}
	memset(addr, 0, sizeof(*addr));
	return -1;
}

int vesp_parse_addr(const char *text, struct vesp_addr *addr, const char *what,
		    struct vesp_error *err)
{
	if (addr_from_text(text, addr))
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	return 0;
}

/* Parse a prefix length: decimal digits only, at most @max. */
static int length_from_text(const char *text, unsigned int max, uint8_t *len)
{
	unsigned int value = 0;

	if (!*text || strlen(text) > 3)
		return -1;
	for (; *text; text++) {
		if (*text < '0' || *text > '9')
			return -1;
		value = value * 10 + (unsigned int)(*text - '0');
	}
	if (value > max)
		return -1;
	*len = (uint8_t)value;
	return 0;
}

/* Clear the bits of @addr past @len; true when any was set. */
static bool clear_host_bits(struct vesp_addr *addr, uint8_t len)
{
	size_t i, addr_len = vesp_addr_len(addr->family);
	bool had_host_bits = false;
	uint8_t keep;

	for (i = 0; i < addr_len; i++) {
		if (len >= (i + 1) * 8)
			continue;
		keep = len > i * 8 ? (uint8_t)(0xff << (8 - (len - i * 8))) : 0;
		if (addr->bytes[i] & (uint8_t)~keep)
			had_host_bits = true;
		addr->bytes[i] &= keep;
	}
	return had_host_bits;
}

int vesp_parse_prefix(const char *text, struct vesp_prefix *prefix, struct vesp_error *err)
{
	char addr_text[VESP_PREFIX_TEXT_LEN], suggestion[VESP_PREFIX_TEXT_LEN];
	const char *slash = strchr(text, '/');
	size_t addr_text_len = slash ? (size_t)(slash - text) : strlen(text);
	unsigned int max;

	memset(prefix, 0, sizeof(*prefix));
	if (addr_text_len >= sizeof(addr_text))
		return vesp_error_set(err, EINVAL, "invalid prefix \"%s\"", text);
	memcpy(addr_text, text, addr_text_len);
	addr_text[addr_text_len] = '\0';
	if (addr_from_text(addr_text, &prefix->addr))
		return vesp_error_set(err, EINVAL, "invalid prefix \"%s\"", text);

	max = (unsigned int)vesp_addr_len(prefix->addr.family) * 8;
	if (!slash) {
		prefix->len = (uint8_t)max;
		return 0;
	}
	if (length_from_text(slash + 1, max, &prefix->len))
		return vesp_error_set(err, EINVAL,
				      "invalid prefix \"%s\": length must be 0..%u", text, max);
	if (clear_host_bits(&prefix->addr, prefix->len))
		return vesp_error_set(err, EINVAL,
				      "invalid prefix \"%s\": host bits set (did you mean %s?)",
				      text,
				      vesp_format_prefix(prefix, suggestion, sizeof(suggestion)));
	return 0;
}

const char *vesp_format_addr(const struct vesp_addr *addr, char *buf, size_t size)
{
	if (!vesp_addr_len(addr->family) ||
	    !inet_ntop(addr->family, addr->bytes, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

const char *vesp_format_prefix(const struct vesp_prefix *prefix, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];

	if (!vesp_addr_len(prefix->addr.family)) {
		snprintf(buf, size, "?");
		return buf;
	}
	snprintf(buf, size, "%s/%u", vesp_format_addr(&prefix->addr, addr, sizeof(addr)),
		 prefix->len);
	return buf;
}
