// SPDX-License-Identifier: GPL-2.0
/* Key material: see key.h. */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* Longest key file accepted: a 64-byte key in hex with room for line breaks. */
#define KEY_FILE_MAX 512

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int vesp_key_from_hex(struct vesp_key *key, const char *hex, size_t hex_len,
		      const char *what, struct vesp_error *err)
{
	size_t i = 0, digits = 0;
	int high = 0, value;

	vesp_key_wipe(key);
	while (i < hex_len && is_space(hex[i]))
		i++;
	if (hex_len - i >= 2 && hex[i] == '0' && (hex[i + 1] == 'x' || hex[i + 1] == 'X'))
		i += 2;
	for (; i < hex_len; i++) {
		if (is_space(hex[i]))
			continue;
		value = hex_value(hex[i]);
		if (value < 0) {
			vesp_key_wipe(key);
			return vesp_error_set(err, EINVAL, "invalid %s: not hexadecimal", what);
		}
		if (digits % 2 == 0) {
			high = value;
		} else {
			if (key->len == sizeof(key->bytes)) {
				vesp_key_wipe(key);
				return vesp_error_set(err, EINVAL, "invalid %s: longer than %zu bytes",
						      what, sizeof(key->bytes));
			}
			key->bytes[key->len++] = (uint8_t)(high << 4 | value);
		}
		digits++;
	}
	if (digits % 2) {
		vesp_key_wipe(key);
		return vesp_error_set(err, EINVAL, "invalid %s: odd number of hex digits", what);
	}
	if (!key->len)
		return vesp_error_set(err, EINVAL, "invalid %s: empty", what);
	return 0;
}

/* Read all of @fd into @buf; the length read, or -1 with errno (EFBIG: too long). */
static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;

	for (;;) {
		if (used == size) {
			char probe;

			n = read(fd, &probe, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n != 0) {
				explicit_bzero(&probe, sizeof(probe));
				errno = n < 0 ? errno : EFBIG;
				return -1;
			}
			return (ssize_t)used;
		}
		n = read(fd, buf + used, size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return (ssize_t)used;
		used += (size_t)n;
	}
}

int vesp_key_from_arg(struct vesp_key *key, const char *arg, const char *what,
		      struct vesp_error *err)
{
	bool from_stdin = !strcmp(arg, "-");
	const char *path = arg + 1;
	char text[KEY_FILE_MAX];
	ssize_t len;
	int fd, ret, saved;

	if (!from_stdin && arg[0] != '@')
		return vesp_key_from_hex(key, arg, strlen(arg), what, err);

	fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return vesp_error_set(err, errno, "cannot open %s file \"%s\": %s", what, path,
				      strerror(errno));
	len = read_all(fd, text, sizeof(text));
	saved = errno;
	if (!from_stdin)
		close(fd);
	if (len < 0) {
		explicit_bzero(text, sizeof(text));
		if (from_stdin)
			return vesp_error_set(err, saved, "cannot read %s from standard input: %s",
					      what, saved == EFBIG ? "too long" : strerror(saved));
		return vesp_error_set(err, saved, "cannot read %s file \"%s\": %s", what, path,
				      saved == EFBIG ? "too long" : strerror(saved));
	}
	ret = vesp_key_from_hex(key, text, (size_t)len, what, err);
	explicit_bzero(text, sizeof(text));
	return ret;
}

static int check_one(const struct vesp_key *key, size_t need, const char *what,
		     const struct vesp_algorithm *alg, const char *holds, struct vesp_error *err)
{
	if (!need && key->len)
		return vesp_error_set(err, EINVAL, "%s takes no %s", alg->name, what);
	if (need && !key->len)
		return vesp_error_set(err, EINVAL, "%s needs %s (%zu bytes: %s)", alg->name, what,
				      need, holds);
	if (key->len != need)
		return vesp_error_set(err, EINVAL,
				      "%s for %s must be %zu bytes (%s), got %zu", what,
				      alg->name, need, holds, key->len);
	return 0;
}

int vesp_key_check_lengths(const struct vesp_sa_keys *keys, const struct vesp_algorithm *alg,
			   struct vesp_error *err)
{
	if (check_one(&keys->enc, alg->enc_key_len, "enc-key", alg, alg->enc_key_help, err))
		return -1;
	return check_one(&keys->auth, alg->auth_key_len, "auth-key", alg,
			 "HMAC-SHA2-256 key", err);
}

void vesp_key_wipe(struct vesp_key *key)
{
	explicit_bzero(key, sizeof(*key));
}

void vesp_sa_keys_wipe(struct vesp_sa_keys *keys)
{
	explicit_bzero(keys, sizeof(*keys));
}
