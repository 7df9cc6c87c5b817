/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of command line values: numbers, identifiers, SPIs, directions
 * and lifetimes with units. Every parser is strict (no sign, no spaces, no
 * trailing text, no overflow) and on failure fills a vesp_error that quotes
 * the bad value: invalid SPI "0x1g".
 */
#ifndef VESP_LIB_PARSE_H
#define VESP_LIB_PARSE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Decimal, or hexadecimal with "0x". @what names the value in errors ("fwmark"). */
int vesp_parse_u32(const char *text, uint32_t *value, const char *what, struct vesp_error *err);
int vesp_parse_u64(const char *text, uint64_t *value, const char *what, struct vesp_error *err);

/* A device name as the kernel accepts it: 1..15 bytes, no '/', ':' or whitespace. */
int vesp_parse_ifname(const char *text, struct vesp_error *err);

/* A peer or path identifier: a u32 other than 0. */
int vesp_parse_id(const char *text, uint32_t *id, const char *what, struct vesp_error *err);

/* An SPI: decimal or "0x..." hex; 0..255 are reserved (RFC 4303 §2.1). */
int vesp_parse_spi(const char *text, uint32_t *spi, struct vesp_error *err);

/* "in" or "out", as enum vesp_sa_dir. */
int vesp_parse_dir(const char *text, uint8_t *dir, struct vesp_error *err);

/* A byte count with an optional binary unit: K, M, G, T (1024^n), e.g. "100M". */
int vesp_parse_bytes(const char *text, uint64_t *bytes, const char *what,
		     struct vesp_error *err);

/* A packet count with an optional decimal unit: k, M, G (1000^n), e.g. "10M". */
int vesp_parse_packets(const char *text, uint64_t *packets, const char *what,
		       struct vesp_error *err);

/* A duration with an optional unit: s, m, h, d (seconds by default), e.g. "8h". */
int vesp_parse_seconds(const char *text, uint32_t *seconds, const char *what,
		       struct vesp_error *err);

/* An anti-replay window: 0..VESP_REPLAY_WINDOW_MAX packets. */
/*
 * A duration in milliseconds: "100", "100ms" or "2s", at most @max ms;
 * "off" is 0 when @off_allowed.
 */
int vesp_parse_milliseconds(const char *text, uint32_t *ms, uint32_t max, bool off_allowed,
			    const char *what, struct vesp_error *err);

/* "on" or "off". */
int vesp_parse_on_off(const char *text, bool *on, const char *what, struct vesp_error *err);

int vesp_parse_replay_window(const char *text, uint32_t *window, struct vesp_error *err);

/*
 * The shortest text that vesp_parse_bytes()/..._seconds() read back as
 * @value ("100M", "1h"); for display. @buf of at least 24 bytes.
 */
const char *vesp_format_bytes(uint64_t value, char *buf, size_t size);
const char *vesp_format_packets(uint64_t value, char *buf, size_t size);
const char *vesp_format_seconds(uint64_t value, char *buf, size_t size);

#endif /* VESP_LIB_PARSE_H */
