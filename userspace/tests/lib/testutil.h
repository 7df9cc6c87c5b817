/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the unit tests. */
#ifndef VESP_TESTUTIL_H
#define VESP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode @hex (whitespace ignored, as vectors are printed in RFCs) into
 * @out; aborts the test binary on malformed input or overflow, because a
 * broken vector must never pass silently. Returns the number of bytes.
 */
size_t hex_decode(const char *hex, uint8_t *out, size_t cap);

/* Run every test of @tests (cmocka) with TAP output; returns failures. */
#define run_tap_tests(name, tests) \
	(cmocka_set_message_output(CM_OUTPUT_TAP), \
	 cmocka_run_group_tests_name(name, tests, NULL, NULL))

#endif /* VESP_TESTUTIL_H */
