// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the unit tests: see testutil.h. */
#include "testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t len = 0;
	int high = -1;

	for (const char *p = hex; *p; p++) {
		int v;

		if (isspace((unsigned char)*p))
			continue;
		v = nibble(*p);
		if (v < 0) {
			fprintf(stderr, "hex_decode: bad character '%c' in vector\n", *p);
			abort();
		}
		if (high < 0) {
			high = v;
			continue;
		}
		if (len >= cap) {
			fprintf(stderr, "hex_decode: vector longer than %zu bytes\n", cap);
			abort();
		}
		out[len++] = (uint8_t)(high << 4 | v);
		high = -1;
	}
	if (high >= 0) {
		fprintf(stderr, "hex_decode: odd number of hex digits\n");
		abort();
	}
	return len;
}
