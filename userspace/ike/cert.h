/* SPDX-License-Identifier: GPL-2.0 */
/*
 * X.509 credentials for signature authentication (RFC 7296 §3.6, §3.7,
 * RFC 7427): our certificate and private key, the CAs we trust, and what
 * IKE_AUTH does with them.
 *
 * Everything is kept as DER bytes inside the configuration, not as OpenSSL
 * objects: a configuration stays a plain value that can be compared with
 * memcmp() on reload and copied freely, and an unchanged file keeps its SAs.
 * The objects are made when IKE_AUTH needs them (once per IKE SA).
 */
#ifndef IKE_CERT_H
#define IKE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "chunk.h"
#include "error.h"
#include "identity.h"
#include "payload.h"

#define IKE_CERT_MAX_LEN 2048	/* a DER certificate, RSA-4096 included */
#define IKE_KEY_MAX_LEN 2560	/* a DER private key, RSA-4096 included */
#define IKE_MAX_CAS 4
#define IKE_CERTREQ_HASH_LEN 20	/* SHA-1 of a CA's SubjectPublicKeyInfo */

struct ike_cert_config {
	bool enabled;		/* authenticate both ends with signatures */
	size_t cert_len;
	uint8_t cert[IKE_CERT_MAX_LEN];
	size_t key_len;
	uint8_t key[IKE_KEY_MAX_LEN];	/* wiped by ike_cert_config_clear() */
	size_t num_cas;
	size_t ca_len[IKE_MAX_CAS];
	uint8_t ca[IKE_MAX_CAS][IKE_CERT_MAX_LEN];
};

/* Wipe the private key. */
void ike_cert_config_clear(struct ike_cert_config *c);

/*
 * Read PEM files into @c: the first certificate of @path (set_cert), the
 * private key (set_key), or every certificate of @path as trusted CAs
 * (add_cas). The key's PEM and DER copies are wiped after use.
 */
int ike_cert_config_set_cert(struct ike_cert_config *c, const char *path,
			     struct ike_error *err);
int ike_cert_config_set_key(struct ike_cert_config *c, const char *path,
			    struct ike_error *err);
int ike_cert_config_add_cas(struct ike_cert_config *c, const char *path,
			    struct ike_error *err);

/*
 * Whether our certificate and key go together and certify @id; an unset
 * @id (type 0) becomes the certificate's subject DN, and a DN @id that
 * names the subject takes its exact encoding.
 */
int ike_cert_config_check(const struct ike_cert_config *c,
			  struct ike_identity *id, struct ike_error *err);

/* Our private key and certificate as OpenSSL objects, or NULL. */
EVP_PKEY *ike_cert_private_key(const struct ike_cert_config *c,
			       struct ike_error *err);
X509 *ike_cert_own(const struct ike_cert_config *c, struct ike_error *err);

/* Whether @x certifies the identity @type/@data: see vespd.conf(5). */
bool ike_cert_names_id(X509 *x, uint8_t type, struct ike_chunk data);

/* CERT with our certificate; CERTREQ naming the CAs we trust. */
int ike_cert_build_cert(const struct ike_cert_config *c, struct ike_builder *b);
int ike_cert_build_certreq(const struct ike_cert_config *c,
			   struct ike_builder *b, struct ike_error *err);

/*
 * The peer's public key from @msg: its first X.509 CERT payload must chain
 * up to one of our CAs (further CERT payloads may be intermediates), be
 * valid now, and certify the identity in @id. AUTHENTICATION_FAILED in
 * @err otherwise. The caller frees the key.
 */
EVP_PKEY *ike_cert_verify_peer(const struct ike_cert_config *c,
			       const struct ike_message *msg,
			       const struct ike_payload *id,
			       struct ike_error *err);

#endif /* IKE_CERT_H */
