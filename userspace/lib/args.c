// SPDX-License-Identifier: GPL-2.0
/* The command line grammar of vesp objects: see args.h. */
#include "args.h"

#include <errno.h>
#include <string.h>

#include "address.h"
#include "parse.h"

/* The value after keyword argv[*i], moving *i onto it. */
static const char *value_of(int argc, char **argv, int *i, struct vesp_error *err)
{
	if (*i + 1 >= argc) {
		vesp_error_syntax(err, "\"%s\" needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int unknown_word(const char *word, struct vesp_error *err)
{
	return vesp_error_syntax(err, "unexpected argument \"%s\"", word);
}

static int given_twice(const char *word, struct vesp_error *err)
{
	return vesp_error_syntax(err, "\"%s\" given twice", word);
}

static int missing(const char *what, struct vesp_error *err)
{
	return vesp_error_syntax(err, "missing %s", what);
}

/* Largest liveness interval and hold-down the kernel accepts, in ms. */
#define LIVENESS_MS_MAX		30000
#define LIVENESS_INTERVAL_MIN	10

/*
 * One liveness setting at argv[*i] ("liveness MS|off", "multiplier N",
 * "hold-down MS", "roaming on|off"), moving *i onto its value. Returns 1
 * when argv[*i] is one, 0 when it is another word, -1 on a bad value.
 */
static int liveness_word(int argc, char **argv, int *i, struct vesp_peer *peer,
			 struct vesp_error *err)
{
	static const struct {
		const char *word;
		unsigned int attr;
	} words[] = {
		{ "liveness", VESP_A_PEER_LIVENESS_INTERVAL },
		{ "multiplier", VESP_A_PEER_LIVENESS_MULTIPLIER },
		{ "hold-down", VESP_A_PEER_HOLD_DOWN },
		{ "roaming", VESP_A_PEER_ROAMING },
	};
	const char *value;
	unsigned int attr = 0;
	uint32_t number;
	size_t k;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (!strcmp(argv[*i], words[k].word))
			attr = words[k].attr;
	if (!attr)
		return 0;
	if (vesp_has(peer->present, attr))
		return given_twice(argv[*i], err);
	value = value_of(argc, argv, i, err);
	if (!value)
		return -1;
	switch (attr) {
	case VESP_A_PEER_LIVENESS_INTERVAL:
		if (vesp_parse_milliseconds(value, &peer->liveness_interval, LIVENESS_MS_MAX, true,
					    "liveness interval", err))
			return -1;
		if (peer->liveness_interval && peer->liveness_interval < LIVENESS_INTERVAL_MIN)
			return vesp_error_set(err, ERANGE,
					      "invalid liveness interval \"%s\": off or %d to %d ms",
					      value, LIVENESS_INTERVAL_MIN, LIVENESS_MS_MAX);
		break;
	case VESP_A_PEER_LIVENESS_MULTIPLIER:
		if (vesp_parse_u32(value, &number, "multiplier", err))
			return -1;
		if (number < 1 || number > UINT8_MAX)
			return vesp_error_set(err, ERANGE, "invalid multiplier \"%s\": 1 to 255",
					      value);
		peer->liveness_multiplier = (uint8_t)number;
		break;
	case VESP_A_PEER_HOLD_DOWN:
		if (vesp_parse_milliseconds(value, &peer->hold_down, LIVENESS_MS_MAX, false,
					    "hold-down", err))
			return -1;
		break;
	case VESP_A_PEER_ROAMING:
		if (vesp_parse_on_off(value, &peer->roaming, "roaming", err))
			return -1;
		break;
	}
	vesp_mark(&peer->present, attr);
	return 1;
}

/* An empty @peer with the id in argv[0]. */
static int peer_start(int argc, char **argv, struct vesp_peer *peer, struct vesp_error *err)
{
	memset(peer, 0, sizeof(*peer));
	if (argc < 1)
		return missing("peer id", err);
	return vesp_parse_id(argv[0], &peer->id, "peer id", err);
}

int vesp_args_peer(int argc, char **argv, struct vesp_peer *peer, struct vesp_error *err)
{
	struct vesp_prefix prefix;
	const char *value;
	int i, ret;

	if (peer_start(argc, argv, peer, err))
		return -1;
	for (i = 1; i < argc; i++) {
		ret = liveness_word(argc, argv, &i, peer, err);
		if (ret < 0)
			goto err_free;
		if (ret)
			continue;
		if (strcmp(argv[i], "prefix")) {
			unknown_word(argv[i], err);
			goto err_free;
		}
		value = value_of(argc, argv, &i, err);
		if (!value || vesp_parse_prefix(value, &prefix, err))
			goto err_free;
		if (vesp_model_add_prefix(peer, &prefix)) {
			vesp_error_set(err, ENOMEM, "out of memory");
			goto err_free;
		}
	}
	return 0;

err_free:
	vesp_peer_free(peer);
	return -1;
}

int vesp_args_peer_set(int argc, char **argv, struct vesp_peer *peer, struct vesp_error *err)
{
	int i, ret;

	if (peer_start(argc, argv, peer, err))
		return -1;
	for (i = 1; i < argc; i++) {
		ret = liveness_word(argc, argv, &i, peer, err);
		if (ret < 0)
			return -1;
		if (!ret)
			return unknown_word(argv[i], err);
	}
	if (!peer->present)
		return missing("what to set (liveness, multiplier, hold-down, roaming)", err);
	return 0;
}

int vesp_args_peer_id(int argc, char **argv, uint32_t *peer_id, struct vesp_error *err)
{
	if (argc < 1)
		return missing("peer id", err);
	if (argc > 1)
		return unknown_word(argv[1], err);
	return vesp_parse_id(argv[0], peer_id, "peer id", err);
}

/* "PEER ID", the start of every path command. */
static int path_ids(int argc, char **argv, uint32_t *peer_id, struct vesp_path *path,
		    struct vesp_error *err)
{
	memset(path, 0, sizeof(*path));
	if (argc < 1)
		return missing("peer id", err);
	if (argc < 2)
		return missing("path id", err);
	if (vesp_parse_id(argv[0], peer_id, "peer id", err) ||
	    vesp_parse_id(argv[1], &path->id, "path id", err))
		return -1;
	vesp_mark(&path->present, VESP_A_PATH_ID);
	return 0;
}

int vesp_args_path_add(int argc, char **argv, uint32_t *peer_id, struct vesp_path *path,
		       struct vesp_error *err)
{
	const char *local_text = NULL, *remote_text = NULL, *value;
	int i;

	if (path_ids(argc, argv, peer_id, path, err))
		return -1;
	for (i = 2; i < argc; i++) {
		const char *word = argv[i];
		unsigned int attr;

		if (!strcmp(word, "remote"))
			attr = VESP_A_PATH_REMOTE;
		else if (!strcmp(word, "local"))
			attr = VESP_A_PATH_LOCAL;
		else if (!strcmp(word, "priority"))
			attr = VESP_A_PATH_PRIORITY;
		else
			return unknown_word(word, err);
		if (vesp_has(path->present, attr))
			return given_twice(word, err);
		value = value_of(argc, argv, &i, err);
		if (!value)
			return -1;
		if (attr == VESP_A_PATH_REMOTE) {
			remote_text = value;
			if (vesp_parse_addr(value, &path->remote, "remote address", err))
				return -1;
		} else if (attr == VESP_A_PATH_LOCAL) {
			local_text = value;
			if (vesp_parse_addr(value, &path->local, "local address", err))
				return -1;
		} else if (vesp_parse_u32(value, &path->priority, "priority", err)) {
			return -1;
		}
		vesp_mark(&path->present, attr);
	}
	if (!remote_text)
		return missing("remote address", err);
	if (local_text && path->local.family != path->remote.family)
		return vesp_error_set(err, EINVAL,
				      "local address \"%s\" and remote address \"%s\" differ in family",
				      local_text, remote_text);
	vesp_mark(&path->present, VESP_A_PATH_FAMILY);
	return 0;
}

int vesp_args_path_del(int argc, char **argv, uint32_t *peer_id, struct vesp_path *path,
		       struct vesp_error *err)
{
	if (path_ids(argc, argv, peer_id, path, err))
		return -1;
	if (argc > 2)
		return unknown_word(argv[2], err);
	return 0;
}

/* The limits of an SA by keyword; false when @word is none of them. */
static bool is_limit(const char *word, unsigned int *attr)
{
	static const struct {
		const char *word;
		unsigned int attr;
	} limits[] = {
		{ "soft-bytes", VESP_A_SA_SOFT_BYTES },
		{ "hard-bytes", VESP_A_SA_HARD_BYTES },
		{ "soft-packets", VESP_A_SA_SOFT_PACKETS },
		{ "hard-packets", VESP_A_SA_HARD_PACKETS },
		{ "soft-time", VESP_A_SA_SOFT_SECONDS },
		{ "hard-time", VESP_A_SA_HARD_SECONDS },
	};
	size_t i;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		if (!strcmp(word, limits[i].word)) {
			*attr = limits[i].attr;
			return true;
		}
	}
	return false;
}

static int parse_limit(const char *word, unsigned int attr, const char *value,
		       struct vesp_sa *sa, struct vesp_error *err)
{
	struct vesp_lifetimes *life = &sa->lifetimes;
	int ret = -1;

	if (vesp_has(sa->present, attr))
		return given_twice(word, err);
	switch (attr) {
	case VESP_A_SA_SOFT_BYTES:
		ret = vesp_parse_bytes(value, &life->soft_bytes, word, err);
		break;
	case VESP_A_SA_HARD_BYTES:
		ret = vesp_parse_bytes(value, &life->hard_bytes, word, err);
		break;
	case VESP_A_SA_SOFT_PACKETS:
		ret = vesp_parse_packets(value, &life->soft_packets, word, err);
		break;
	case VESP_A_SA_HARD_PACKETS:
		ret = vesp_parse_packets(value, &life->hard_packets, word, err);
		break;
	case VESP_A_SA_SOFT_SECONDS:
		ret = vesp_parse_seconds(value, &life->soft_seconds, word, err);
		break;
	case VESP_A_SA_HARD_SECONDS:
		ret = vesp_parse_seconds(value, &life->hard_seconds, word, err);
		break;
	}
	if (!ret)
		vesp_mark(&sa->present, attr);
	return ret;
}

/* "PEER in|out", the start of most SA commands. */
static int sa_peer_and_dir(int argc, char **argv, struct vesp_sa_args *args,
			   struct vesp_error *err)
{
	memset(args, 0, sizeof(*args));
	if (argc < 1)
		return missing("peer id", err);
	if (argc < 2)
		return missing("direction (in or out)", err);
	if (vesp_parse_id(argv[0], &args->peer_id, "peer id", err) ||
	    vesp_parse_dir(argv[1], &args->sa.dir, err))
		return -1;
	vesp_mark(&args->sa.present, VESP_A_SA_DIR);
	return 0;
}

/* Read the key argument @value into @key; a hex key is wiped from argv. */
static int read_key(char *value, const char *word, struct vesp_key *key, struct vesp_error *err)
{
	bool on_command_line = strcmp(value, "-") && value[0] != '@';
	int ret;

	if (key->len)
		return given_twice(word, err);
	ret = vesp_key_from_arg(key, value, word, err);
	if (on_command_line)
		explicit_bzero(value, strlen(value));
	return ret;
}

static int sa_add_word(int argc, char **argv, int *i, struct vesp_sa_args *args,
		       struct vesp_error *err)
{
	struct vesp_sa *sa = &args->sa;
	const char *word = argv[*i];
	unsigned int attr = 0;
	const char *value;

	if (!strcmp(word, "esn") || !strcmp(word, "active")) {
		attr = word[0] == 'e' ? VESP_A_SA_ESN : VESP_A_SA_ACTIVE;
		if (vesp_has(sa->present, attr))
			return given_twice(word, err);
		vesp_mark(&sa->present, attr);
		if (attr == VESP_A_SA_ESN)
			sa->esn = true;
		else
			sa->active = true;
		return 0;
	}
	if (strcmp(word, "spi") && strcmp(word, "alg") && strcmp(word, "enc-key") &&
	    strcmp(word, "auth-key") && strcmp(word, "replay-window") && !is_limit(word, &attr))
		return unknown_word(word, err);
	value = value_of(argc, argv, i, err);
	if (!value)
		return -1;

	if (!strcmp(word, "enc-key"))
		return read_key(argv[*i], word, &args->keys.enc, err);
	if (!strcmp(word, "auth-key"))
		return read_key(argv[*i], word, &args->keys.auth, err);
	if (!strcmp(word, "spi")) {
		if (vesp_has(sa->present, VESP_A_SA_SPI))
			return given_twice(word, err);
		if (vesp_parse_spi(value, &sa->spi, err))
			return -1;
		vesp_mark(&sa->present, VESP_A_SA_SPI);
		return 0;
	}
	if (!strcmp(word, "alg")) {
		if (args->alg)
			return given_twice(word, err);
		args->alg = vesp_algorithm_by_name(value);
		if (!args->alg)
			return vesp_error_set(err, EINVAL, "unknown algorithm \"%s\"", value);
		sa->alg = args->alg->alg;
		vesp_mark(&sa->present, VESP_A_SA_ALG);
		return 0;
	}
	if (!strcmp(word, "replay-window")) {
		if (vesp_has(sa->present, VESP_A_SA_REPLAY_WINDOW))
			return given_twice(word, err);
		if (vesp_parse_replay_window(value, &sa->replay_window, err))
			return -1;
		vesp_mark(&sa->present, VESP_A_SA_REPLAY_WINDOW);
		return 0;
	}
	return parse_limit(word, attr, value, sa, err);
}

int vesp_args_sa_add(int argc, char **argv, struct vesp_sa_args *args, struct vesp_error *err)
{
	int i, stdin_keys = 0;

	if (sa_peer_and_dir(argc, argv, args, err))
		return -1;
	for (i = 2; i < argc; i++) {
		if ((!strcmp(argv[i], "enc-key") || !strcmp(argv[i], "auth-key")) &&
		    i + 1 < argc && !strcmp(argv[i + 1], "-") && ++stdin_keys > 1) {
			vesp_error_set(err, EINVAL, "only one key can be read from standard input");
			goto err_wipe;
		}
	}
	for (i = 2; i < argc; i++)
		if (sa_add_word(argc, argv, &i, args, err))
			goto err_wipe;
	if (!vesp_has(args->sa.present, VESP_A_SA_SPI)) {
		missing("spi", err);
		goto err_wipe;
	}
	if (!args->alg) {
		missing("alg", err);
		goto err_wipe;
	}
	if (vesp_key_check_lengths(&args->keys, args->alg, err))
		goto err_wipe;
	return 0;

err_wipe:
	vesp_sa_keys_wipe(&args->keys);
	/* argv may still hold hex keys not yet reached */
	for (i = 3; i < argc; i++)
		if ((!strcmp(argv[i - 1], "enc-key") || !strcmp(argv[i - 1], "auth-key")) &&
		    strcmp(argv[i], "-") && argv[i][0] != '@')
			explicit_bzero(argv[i], strlen(argv[i]));
	return -1;
}

int vesp_args_sa_set(int argc, char **argv, struct vesp_sa_args *args, struct vesp_error *err)
{
	struct vesp_sa *sa = &args->sa;
	const char *value;
	unsigned int attr;
	int i;

	if (sa_peer_and_dir(argc, argv, args, err))
		return -1;
	if (argc < 3)
		return missing("SPI", err);
	if (vesp_parse_spi(argv[2], &sa->spi, err))
		return -1;
	vesp_mark(&sa->present, VESP_A_SA_SPI);
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "active")) {
			if (sa->active)
				return given_twice(argv[i], err);
			sa->active = true;
			vesp_mark(&sa->present, VESP_A_SA_ACTIVE);
			continue;
		}
		if (!is_limit(argv[i], &attr))
			return unknown_word(argv[i], err);
		value = value_of(argc, argv, &i, err);
		if (!value || parse_limit(argv[i - 1], attr, value, sa, err))
			return -1;
	}
	if (sa->present == ((1ULL << VESP_A_SA_DIR) | (1ULL << VESP_A_SA_SPI)))
		return missing("what to change (active, or a limit such as soft-time)", err);
	return 0;
}

int vesp_args_sa_activate(int argc, char **argv, struct vesp_sa_args *args,
			  struct vesp_error *err)
{
	memset(args, 0, sizeof(*args));
	if (argc < 1)
		return missing("peer id", err);
	if (argc < 2)
		return missing("SPI", err);
	if (argc > 2)
		return unknown_word(argv[2], err);
	if (vesp_parse_id(argv[0], &args->peer_id, "peer id", err) ||
	    vesp_parse_spi(argv[1], &args->sa.spi, err))
		return -1;
	args->sa.dir = VESP_SA_DIR_OUT;
	args->sa.active = true;
	vesp_mark(&args->sa.present, VESP_A_SA_SPI);
	vesp_mark(&args->sa.present, VESP_A_SA_DIR);
	vesp_mark(&args->sa.present, VESP_A_SA_ACTIVE);
	return 0;
}

int vesp_args_sa_del(int argc, char **argv, struct vesp_sa_args *args, struct vesp_error *err)
{
	if (sa_peer_and_dir(argc, argv, args, err))
		return -1;
	if (argc < 3)
		return missing("SPI", err);
	if (argc > 3)
		return unknown_word(argv[3], err);
	if (vesp_parse_spi(argv[2], &args->sa.spi, err))
		return -1;
	vesp_mark(&args->sa.present, VESP_A_SA_SPI);
	return 0;
}

/* A device flag word: "carrier-liveness" for VESP_LINK_F_CARRIER_LIVENESS, ... */
static uint32_t flag_by_word(const char *word)
{
	uint32_t flag;

	for (flag = 1; flag && flag <= VESP_LINK_F_ALL; flag <<= 1)
		if (vesp_link_flag_name(flag) && !strcmp(vesp_link_flag_name(flag), word))
			return flag;
	return 0;
}

int vesp_args_dev_set(int argc, char **argv, struct vesp_dev_settings *set,
		      struct vesp_error *err)
{
	uint32_t flag;
	bool on;
	int i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "fwmark")) {
			if (vesp_has(set->present, VESP_A_FWMARK))
				return given_twice(argv[i], err);
			if (!value_of(argc, argv, &i, err) ||
			    vesp_parse_u32(argv[i], &set->fwmark, "fwmark", err))
				return -1;
			vesp_mark(&set->present, VESP_A_FWMARK);
			continue;
		}
		flag = flag_by_word(argv[i]);
		if (!flag)
			return unknown_word(argv[i], err);
		if ((set->flags_on | set->flags_off) & flag)
			return given_twice(argv[i], err);
		if (!value_of(argc, argv, &i, err) || vesp_parse_on_off(argv[i], &on, argv[i - 1], err))
			return -1;
		if (on)
			set->flags_on |= flag;
		else
			set->flags_off |= flag;
		vesp_mark(&set->present, VESP_A_FLAGS);
	}
	if (!set->present)
		return missing("what to set (fwmark, copy-dscp, carrier-liveness)", err);
	return 0;
}
