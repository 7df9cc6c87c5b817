// SPDX-License-Identifier: GPL-2.0
/* IKE identities: see identity.h. */
#include "identity.h"

#include <arpa/inet.h>
#include <string.h>

#include <openssl/err.h>

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

/* "C=CH, O=vesp, CN=moon": attribute=value pairs, first RDN first. */
static int dn(struct ike_identity *id, const char *text, struct ike_error *err)
{
	char buf[IKE_ID_MAX_LEN + 1], *save = NULL;
	X509_NAME *name = X509_NAME_new();
	uint8_t *p = id->data;
	int ret = -1, n;

	if (!name || strlen(text) >= sizeof(buf)) {
		ike_error_set(err, 0, "%s: DN '%s' too long", __func__, text);
		goto out;
	}
	strcpy(buf, text);
	for (char *rdn = strtok_r(buf, ",", &save); rdn;
	     rdn = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(rdn, '=');

		while (*rdn == ' ')
			rdn++;
		if (!eq || eq == rdn || !eq[1]) {
			ike_error_set(err, 0, "%s: '%s' in DN is not ATTR=value",
				      __func__, rdn);
			goto out;
		}
		*eq = '\0';
		for (char *end = eq; end > rdn && end[-1] == ' '; )
			*--end = '\0';
		if (!X509_NAME_add_entry_by_txt(name, rdn, MBSTRING_UTF8,
						(const unsigned char *)eq + 1,
						-1, -1, 0)) {
			ike_error_set(err, 0, "%s: unknown DN attribute '%s'",
				      __func__, rdn);
			goto out;
		}
	}
	n = i2d_X509_NAME(name, NULL);
	if (X509_NAME_entry_count(name) == 0 || n <= 0 ||
	    (size_t)n > sizeof(id->data)) {
		ike_error_set(err, 0, "%s: DN '%s' empty or too long", __func__, text);
		goto out;
	}
	i2d_X509_NAME(name, &p);
	id->type = IKE_ID_DER_ASN1_DN;
	id->len = (size_t)n;
	ret = 0;
out:
	ERR_clear_error();
	X509_NAME_free(name);
	return ret;
}

int ike_identity_from_string(struct ike_identity *id, const char *text,
			     struct ike_error *err)
{
	memset(id, 0, sizeof(*id));
	if (!strncmp(text, "keyid:", 6))
		return key_id(id, text + 6, err);
	if (!strncmp(text, "fqdn:", 5))
		return fqdn(id, text + 5, err);
	if (!strncmp(text, "dn:", 3))
		return dn(id, text + 3, err);
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

bool ike_identity_dn_equal(struct ike_chunk der, const X509_NAME *name)
{
	const uint8_t *p = der.ptr;
	X509_NAME *other = d2i_X509_NAME(NULL, &p, (long)der.len);
	bool equal = other && p == der.ptr + der.len &&
		     X509_NAME_cmp(other, name) == 0;

	X509_NAME_free(other);
	ERR_clear_error();
	return equal;
}

bool ike_identity_matches(const struct ike_identity *id,
			  const struct ike_payload *p)
{
	const uint8_t *der = id->data;
	X509_NAME *name;
	bool equal;

	if (p->u.id.type != id->type)
		return false;
	if (id->type != IKE_ID_DER_ASN1_DN)
		return p->u.id.data.len == id->len &&
		       !memcmp(p->u.id.data.ptr, id->data, id->len);
	name = d2i_X509_NAME(NULL, &der, (long)id->len);
	equal = name && ike_identity_dn_equal(p->u.id.data, name);
	X509_NAME_free(name);
	return equal;
}

int ike_identity_build(struct ike_builder *b, uint8_t payload_type,
		       const struct ike_identity *id)
{
	return ike_build_id(b, payload_type, id->type, id->data, id->len);
}
