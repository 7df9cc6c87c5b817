// SPDX-License-Identifier: GPL-2.0
/* Parsing of command line values: see parse.h. */
#include "parse.h"

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/vesp.h>

struct unit {
	char suffix;
	uint64_t factor;
};

static const struct unit byte_units[] = {
	{ 'K', 1ULL << 10 }, { 'M', 1ULL << 20 }, { 'G', 1ULL << 30 }, { 'T', 1ULL << 40 },
	{ 0, 0 }
};

static const struct unit packet_units[] = {
	{ 'k', 1000ULL }, { 'M', 1000000ULL }, { 'G', 1000000000ULL }, { 0, 0 }
};

static const struct unit time_units[] = {
	{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 0, 0 }
};

static int digit_value(char c, unsigned int base)
{
	int value = -1;

	if (c >= '0' && c <= '9')
		value = c - '0';
	else if (c >= 'a' && c <= 'f')
		value = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		value = c - 'A' + 10;
	return value >= 0 && (unsigned int)value < base ? value : -1;
}

/*
 * Read an unsigned number at @text (decimal, or hex after "0x" when
 * @allow_hex) and leave *@end after it; false on no digits or overflow.
 */
static bool read_number(const char *text, bool allow_hex, uint64_t *value, const char **end)
{
	unsigned int base = 10;
	const char *p = text;
	uint64_t result = 0;
	int digit;

	if (allow_hex && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p, base) < 0)
		return false;
	for (; (digit = digit_value(*p, base)) >= 0; p++) {
		if (result > (UINT64_MAX - (uint64_t)digit) / base)
			return false;
		result = result * base + (uint64_t)digit;
	}
	*value = result;
	*end = p;
	return true;
}

/* A number with an optional unit from @units; false if malformed or > @max. */
static bool read_with_unit(const char *text, const struct unit *units, uint64_t max,
			   uint64_t *value)
{
	const struct unit *unit;
	const char *end;
	uint64_t number;

	if (!read_number(text, false, &number, &end))
		return false;
	if (*end) {
		for (unit = units; unit->suffix; unit++)
			if (unit->suffix == *end)
				break;
		if (!unit->suffix || end[1])
			return false;
		if (number > max / unit->factor)
			return false;
		number *= unit->factor;
	}
	if (number > max)
		return false;
	*value = number;
	return true;
}

int vesp_parse_u64(const char *text, uint64_t *value, const char *what, struct vesp_error *err)
{
	const char *end;

	if (!read_number(text, true, value, &end) || *end)
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	return 0;
}

int vesp_parse_u32(const char *text, uint32_t *value, const char *what, struct vesp_error *err)
{
	uint64_t wide;

	if (vesp_parse_u64(text, &wide, what, err))
		return -1;
	if (wide > UINT32_MAX)
		return vesp_error_set(err, ERANGE, "invalid %s \"%s\": larger than %u", what,
				      text, UINT32_MAX);
	*value = (uint32_t)wide;
	return 0;
}

int vesp_parse_ifname(const char *text, struct vesp_error *err)
{
	size_t len = strlen(text), i;

	if (!len || len >= IF_NAMESIZE || !strcmp(text, ".") || !strcmp(text, ".."))
		return vesp_error_set(err, EINVAL, "invalid device name \"%s\"", text);
	for (i = 0; i < len; i++)
		if (text[i] == '/' || text[i] == ':' || text[i] == ' ' || text[i] == '\t' ||
		    text[i] == '\n' || text[i] == '\r' || text[i] == '\v' || text[i] == '\f')
			return vesp_error_set(err, EINVAL, "invalid device name \"%s\"", text);
	return 0;
}

int vesp_parse_id(const char *text, uint32_t *id, const char *what, struct vesp_error *err)
{
	if (vesp_parse_u32(text, id, what, err))
		return -1;
	if (!*id)
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\": must not be 0", what, text);
	return 0;
}

int vesp_parse_spi(const char *text, uint32_t *spi, struct vesp_error *err)
{
	if (vesp_parse_u32(text, spi, "SPI", err))
		return -1;
	if (*spi <= 255)
		return vesp_error_set(err, EINVAL, "invalid SPI \"%s\": 0..255 are reserved", text);
	return 0;
}

int vesp_parse_dir(const char *text, uint8_t *dir, struct vesp_error *err)
{
	if (!strcmp(text, "in"))
		*dir = VESP_SA_DIR_IN;
	else if (!strcmp(text, "out"))
		*dir = VESP_SA_DIR_OUT;
	else
		return vesp_error_set(err, EINVAL, "invalid direction \"%s\": must be in or out",
				      text);
	return 0;
}

int vesp_parse_bytes(const char *text, uint64_t *bytes, const char *what,
		     struct vesp_error *err)
{
	if (!read_with_unit(text, byte_units, UINT64_MAX, bytes))
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	return 0;
}

int vesp_parse_packets(const char *text, uint64_t *packets, const char *what,
		       struct vesp_error *err)
{
	if (!read_with_unit(text, packet_units, UINT64_MAX, packets))
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	return 0;
}

int vesp_parse_seconds(const char *text, uint32_t *seconds, const char *what,
		       struct vesp_error *err)
{
	uint64_t value;

	if (!read_with_unit(text, time_units, UINT32_MAX, &value))
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	*seconds = (uint32_t)value;
	return 0;
}

int vesp_parse_milliseconds(const char *text, uint32_t *ms, uint32_t max, bool off_allowed,
			    const char *what, struct vesp_error *err)
{
	uint64_t value, factor = 1;
	const char *end;

	if (off_allowed && !strcmp(text, "off")) {
		*ms = 0;
		return 0;
	}
	if (!read_number(text, false, &value, &end))
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	if (!strcmp(end, "s"))
		factor = 1000;
	else if (*end && strcmp(end, "ms"))
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\"", what, text);
	if (value > max / factor)
		return vesp_error_set(err, ERANGE, "invalid %s \"%s\": at most %u ms", what, text,
				      max);
	*ms = (uint32_t)(value * factor);
	return 0;
}

int vesp_parse_on_off(const char *text, bool *on, const char *what, struct vesp_error *err)
{
	if (!strcmp(text, "on"))
		*on = true;
	else if (!strcmp(text, "off"))
		*on = false;
	else
		return vesp_error_set(err, EINVAL, "invalid %s \"%s\": on or off", what, text);
	return 0;
}

int vesp_parse_replay_window(const char *text, uint32_t *window, struct vesp_error *err)
{
	if (vesp_parse_u32(text, window, "replay window", err))
		return -1;
	if (*window > VESP_REPLAY_WINDOW_MAX)
		return vesp_error_set(err, ERANGE, "invalid replay window \"%s\": at most %u",
				      text, VESP_REPLAY_WINDOW_MAX);
	return 0;
}

/* @value in the largest unit of @units that divides it exactly. */
static const char *format_with_unit(uint64_t value, const struct unit *units, char *buf,
				    size_t size)
{
	const struct unit *best = NULL, *unit;

	for (unit = units; unit->suffix; unit++)
		if (value && unit->factor > 1 && value % unit->factor == 0)
			best = unit;
	if (best)
		snprintf(buf, size, "%llu%c", (unsigned long long)(value / best->factor),
			 best->suffix);
	else
		snprintf(buf, size, "%llu", (unsigned long long)value);
	return buf;
}

const char *vesp_format_bytes(uint64_t value, char *buf, size_t size)
{
	return format_with_unit(value, byte_units, buf, size);
}

const char *vesp_format_packets(uint64_t value, char *buf, size_t size)
{
	return format_with_unit(value, packet_units, buf, size);
}

const char *vesp_format_seconds(uint64_t value, char *buf, size_t size)
{
	const char *text = format_with_unit(value, time_units, buf, size);

	/* a bare number of seconds reads better with its unit */
	if (value && value % 60)
		snprintf(buf, size, "%llus", (unsigned long long)value);
	return text;
}
