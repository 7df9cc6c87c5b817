// SPDX-License-Identifier: GPL-2.0
/* A streaming JSON writer: see json.h. */
#include "json.h"

#include <inttypes.h>
#include <stddef.h>

void vesp_json_init(struct vesp_json *json, FILE *out)
{
	*json = (struct vesp_json){ .out = out };
}

/* Before any value or key: the comma that separates it from the previous one. */
static void separate(struct vesp_json *json)
{
	if (json->after_key) {
		json->after_key = false;
		return;
	}
	if (json->needs_comma[json->depth])
		fputc(',', json->out);
	json->needs_comma[json->depth] = true;
}

static void open_level(struct vesp_json *json, char bracket)
{
	separate(json);
	fputc(bracket, json->out);
	if (json->depth + 1 < VESP_JSON_MAX_DEPTH)
		json->depth++;
	json->needs_comma[json->depth] = false;
}

static void close_level(struct vesp_json *json, char bracket)
{
	if (json->depth)
		json->depth--;
	fputc(bracket, json->out);
}

void vesp_json_object_begin(struct vesp_json *json)
{
	open_level(json, '{');
}

void vesp_json_object_end(struct vesp_json *json)
{
	close_level(json, '}');
}

void vesp_json_array_begin(struct vesp_json *json)
{
	open_level(json, '[');
}

void vesp_json_array_end(struct vesp_json *json)
{
	close_level(json, ']');
}

void vesp_json_key(struct vesp_json *json, const char *key)
{
	separate(json);
	vesp_json_write_escaped(json->out, key);
	fputc(':', json->out);
	json->after_key = true;
}

void vesp_json_string(struct vesp_json *json, const char *value)
{
	separate(json);
	vesp_json_write_escaped(json->out, value);
}

void vesp_json_u64(struct vesp_json *json, uint64_t value)
{
	separate(json);
	fprintf(json->out, "%" PRIu64, value);
}

void vesp_json_bool(struct vesp_json *json, bool value)
{
	separate(json);
	fputs(value ? "true" : "false", json->out);
}

void vesp_json_null(struct vesp_json *json)
{
	separate(json);
	fputs("null", json->out);
}

void vesp_json_kv_string(struct vesp_json *json, const char *key, const char *value)
{
	vesp_json_key(json, key);
	vesp_json_string(json, value);
}

void vesp_json_kv_u64(struct vesp_json *json, const char *key, uint64_t value)
{
	vesp_json_key(json, key);
	vesp_json_u64(json, value);
}

void vesp_json_kv_bool(struct vesp_json *json, const char *key, bool value)
{
	vesp_json_key(json, key);
	vesp_json_bool(json, value);
}

/*
 * Length of the well-formed UTF-8 sequence at @s (2..4), or 0 when it is
 * not one (overlong forms, surrogates and values past U+10FFFF included).
 */
static size_t utf8_sequence_length(const unsigned char *s)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void vesp_json_write_escaped(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len;

	fputc('"', out);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(out, "\\u%04x", *s);
			} else if (*s < 0x80) {
				fputc(*s, out);
			} else if ((len = utf8_sequence_length(s))) {
				fwrite(s, 1, len, out);
				s += len;
				continue;
			} else {
				fputs("\\ufffd", out);
			}
		}
		s++;
	}
	fputc('"', out);
}
