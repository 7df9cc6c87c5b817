/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer, for output in the `ip -j` convention.
 *
 * It tracks nesting so commas fall where they belong, escapes strings
 * (quotes, backslashes, control characters; bytes that are not UTF-8
 * become U+FFFD) and writes compact JSON on one line.
 */
#ifndef VESP_LIB_JSON_H
#define VESP_LIB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VESP_JSON_MAX_DEPTH 16

struct vesp_json {
	FILE *out;
	unsigned int depth;
	/* per level: something was written, so the next value needs a comma */
	bool needs_comma[VESP_JSON_MAX_DEPTH];
	/* a key was just written: the next value belongs to it */
	bool after_key;
};

void vesp_json_init(struct vesp_json *json, FILE *out);

void vesp_json_object_begin(struct vesp_json *json);
void vesp_json_object_end(struct vesp_json *json);
void vesp_json_array_begin(struct vesp_json *json);
void vesp_json_array_end(struct vesp_json *json);

/* A key in the current object; the next call writes its value. */
void vesp_json_key(struct vesp_json *json, const char *key);

void vesp_json_string(struct vesp_json *json, const char *value);
void vesp_json_u64(struct vesp_json *json, uint64_t value);
void vesp_json_bool(struct vesp_json *json, bool value);
void vesp_json_null(struct vesp_json *json);

/* key and value at once */
void vesp_json_kv_string(struct vesp_json *json, const char *key, const char *value);
void vesp_json_kv_u64(struct vesp_json *json, const char *key, uint64_t value);
void vesp_json_kv_bool(struct vesp_json *json, const char *key, bool value);

/* Write @text as a quoted, escaped JSON string to @out. */
void vesp_json_write_escaped(FILE *out, const char *text);

#endif /* VESP_LIB_JSON_H */
