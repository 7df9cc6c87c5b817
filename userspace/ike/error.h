/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error reporting for the IKE library.
 *
 * The library never prints: every failing call fills a struct ike_error that
 * the caller may log, and, when the failure is the peer's fault, names the
 * Notify type the daemon should answer with (RFC 7296 §3.10.1).
 */
#ifndef IKE_ERROR_H
#define IKE_ERROR_H

#include <stdint.h>

#define IKE_ERROR_TEXT_LEN 192

struct ike_error {
	/* Notify error type to send back, 0 when the failure is local. */
	uint16_t notify;
	/* Notification Data for UNSUPPORTED_CRITICAL_PAYLOAD: the payload type. */
	uint8_t notify_data;
	/* "function: what went wrong (got X < need Y)" */
	char text[IKE_ERROR_TEXT_LEN];
};

/* Fill @err (which may be NULL) and return -1, so callers can `return ike_error_set(...)`. */
int ike_error_set(struct ike_error *err, uint16_t notify, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clear @err (which may be NULL). */
void ike_error_clear(struct ike_error *err);

#endif /* IKE_ERROR_H */
