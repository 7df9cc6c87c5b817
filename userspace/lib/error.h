/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error reporting for libvesp.
 *
 * The library never prints. A failing call fills a struct vesp_error: a
 * one-line description for the user ("invalid SPI \"0x1g\""), and, when the
 * kernel refused a request, its extended ACK message word for word.
 */
#ifndef VESP_LIB_ERROR_H
#define VESP_LIB_ERROR_H

#include <stdbool.h>

#define VESP_ERROR_TEXT_LEN 256

struct vesp_error {
	/* errno-style code (positive), 0 when none applies */
	int errnum;
	/* one line, no trailing newline, never key material */
	char text[VESP_ERROR_TEXT_LEN];
	/*
	 * NLMSGERR_ATTR_MSG as the kernel sent it: set on failure, and on
	 * success when the kernel attached a warning to its ACK.
	 */
	char kernel_message[VESP_ERROR_TEXT_LEN];
	/* NLMSGERR_ATTR_MISS_TYPE: a required attribute that was missing, or 0 */
	unsigned int kernel_missing_attr;
	/* the command line was malformed (missing or extra words), not a value */
	bool syntax;
};

/* Fill @err (which may be NULL) and return -1, for `return vesp_error_set(...)`. */
int vesp_error_set(struct vesp_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like vesp_error_set(), for a malformed command line: sets @err->syntax. */
int vesp_error_syntax(struct vesp_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clear @err (which may be NULL). */
void vesp_error_clear(struct vesp_error *err);

/* True when the kernel sent a message with its answer. */
bool vesp_error_has_kernel_message(const struct vesp_error *err);

#endif /* VESP_LIB_ERROR_H */
