// SPDX-License-Identifier: GPL-2.0
/* IKE identities: see identity.h. */
#include "identity.h"

#include <arpa/inet.h>
#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int key_id(struct ike_identity *id, const char *hex,
		  struct ike_error *err)
{
	size_t n = strlen(hex);

	if (n == 0 || n % 2 || n / 2 > sizeof(id->data))
		return ike_error_set(err, 0, "%s: key id '%s' is not 1..%zu hex bytes",
				     __func__, hex, sizeof(id->data));
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return ike_error_set(err, 0, "%s: key id '%s' is not hex",
					     __func__, hex);
		id->data[i] = (uint8_t)(hi << 4 | lo);
	}
	id->type = IKE_ID_KEY_ID;
	id->len = n / 2;
	return 0;
}

static int fqdn(struct ike_identity *id, const char *name, struct ike_error *err)
{
	size_t n = strlen(name);

	/* §3.5: no terminating NUL, no empty name */
	if (n == 0 || n > sizeof(id->data))
		return ike_error_set(err, 0, "%s: name '%s' empty or too long",
				     __func__, name);
	id->type = IKE_ID_FQDN;
	id->len = n;
	memcpy(id->data, name, n);
	return 0;
}

int ike_identity_from_string(struct ike_identity *id, const char *text,
			     struct ike_error *err)
{
	memset(id, 0, sizeof(*id));
	if (!strncmp(text, "keyid:", 6))
		return key_id(id, text + 6, err);
	if (!strncmp(text, "fqdn:", 5))
		return fqdn(id, text + 5, err);
	if (inet_pton(AF_INET, text, id->data) == 1) {
		id->type = IKE_ID_IPV4_ADDR;
		id->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, text, id->data) == 1) {
		id->type = IKE_ID_IPV6_ADDR;
		id->len = 16;
		return 0;
	}
	return fqdn(id, text, err);
}

bool ike_identity_matches(const struct ike_identity *id,
			  const struct ike_payload *p)
{
	return p->u.id.type == id->type && p->u.id.data.len == id->len &&
	       !memcmp(p->u.id.data.ptr, id->data, id->len);
}

int ike_identity_build(struct ike_builder *b, uint8_t payload_type,
		       const struct ike_identity *id)
{
	return ike_build_id(b, payload_type, id->type, id->data, id->len);
}
