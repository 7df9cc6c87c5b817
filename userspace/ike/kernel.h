/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one seam between the IKE engine and the vesp module: install, activate
 * and delete the ESP SAs of a peer. The daemon passes an implementation on
 * libvesp's netlink requests; tests pass a mock that records the calls.
 *
 * Loss-free rekeying relies on the order the engine calls these in: the new
 * inbound SA first (the peer may use it as soon as it has the response),
 * then the new outbound SA made active in one step, and the old inbound SA
 * only when the peer deletes it (packets in flight still decrypt).
 *
 * When MOBIKE (RFC 4555) moves an IKE SA, path_set moves the peer's ESP
 * with it: its SAs stay, only the addresses outer packets use change.
 */
#ifndef IKE_KERNEL_H
#define IKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "nat.h"

#define IKE_KERNEL_ENC_KEY_MAX 36	/* AES-256 or ChaCha20 key + salt */
#define IKE_KERNEL_AUTH_KEY_MAX 32	/* HMAC-SHA2-256 */

/* One ESP SA in the module's terms (uapi/linux/vesp.h). */
struct ike_kernel_sa {
	uint32_t spi;
	uint8_t dir;		/* enum vesp_sa_dir */
	uint32_t alg;		/* enum vesp_sa_alg */
	bool esn;
	size_t enc_key_len;
	uint8_t enc_key[IKE_KERNEL_ENC_KEY_MAX];	/* key | salt for AEAD */
	size_t auth_key_len;
	uint8_t auth_key[IKE_KERNEL_AUTH_KEY_MAX];
};

struct ike_kernel {
	/* VESP_CMD_SA_NEW; an outbound SA with @active replaces the active one */
	int (*sa_add)(void *ctx, uint32_t peer_id, const struct ike_kernel_sa *sa,
		      bool active, struct ike_error *err);
	/* VESP_CMD_SA_SET: make an installed outbound SA the active one */
	int (*sa_activate)(void *ctx, uint32_t peer_id, uint32_t spi,
			   struct ike_error *err);
	/* VESP_CMD_SA_DEL */
	int (*sa_del)(void *ctx, uint32_t peer_id, uint8_t dir, uint32_t spi,
		      struct ike_error *err);
	/*
	 * Outbound ESP of the peer goes from @local (family 0: routing
	 * chooses) to @remote from now on: the path between them becomes
	 * the active one, added when the peer has none such. Optional.
	 */
	int (*path_set)(void *ctx, uint32_t peer_id, const struct ike_endpoint *local,
			const struct ike_endpoint *remote, struct ike_error *err);
	void *ctx;
};

void ike_kernel_sa_clear(struct ike_kernel_sa *sa);

#endif /* IKE_KERNEL_H */
