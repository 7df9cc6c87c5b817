// SPDX-License-Identifier: GPL-2.0
/* vespd.conf: see config.h. */
#include "config.h"
#include "ike/manager.h"
#include "lib/address.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#define LINE_MAX_LEN 1024
#define IKE_PORT 500

/* The state of one parse, for messages that name the place. */
struct parser {
	const char *path;
	int line;
	struct ike_error *err;
	struct vespd_config *cfg;
	struct vespd_tunnel *tunnel;	/* the current section, or NULL */
	/* which way the section names its paths: "local"/"remote", "path" */
	int single_line, path_line;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	char what[IKE_ERROR_TEXT_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ike_error_set(p->err, 0, "%s:%d: %s", p->path, p->line, what);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_addr(struct parser *p, const char *value,
		      struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, value, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(IKE_PORT);
		return 0;
	}
	if (inet_pton(AF_INET6, value, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(IKE_PORT);
		return 0;
	}
	return fail(p, "invalid address '%s'", value);
}

/* "30", "30s", "15m", "4h", "1d" into seconds. */
static int parse_duration(struct parser *p, const char *value, unsigned int *out)
{
	unsigned long n, unit = 1;
	char *end;

	errno = 0;
	n = strtoul(value, &end, 10);
	if (end == value || errno)
		return fail(p, "invalid duration '%s'", value);
	switch (*end) {
	case '\0': case 's': break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return fail(p, "invalid duration '%s' (units: s, m, h, d)", value);
	}
	if (*end && end[1])
		return fail(p, "invalid duration '%s'", value);
	if (n > UINT_MAX / unit)
		return fail(p, "duration '%s' too long", value);
	*out = (unsigned int)(n * unit);
	return 0;
}

/* "100ms", "2s", "1m" (a bare number is milliseconds) into milliseconds. */
static int parse_millis(struct parser *p, const char *key, const char *value,
			unsigned int min, unsigned int max, unsigned int *out)
{
	unsigned long n, unit = 1;
	char *end;

	errno = 0;
	n = strtoul(value, &end, 10);
	if (end == value || errno || *value == '-')
		return fail(p, "invalid %s '%s'", key, value);
	if (!strcmp(end, "s"))
		unit = 1000;
	else if (!strcmp(end, "m"))
		unit = 60000;
	else if (*end && strcmp(end, "ms"))
		return fail(p, "invalid %s '%s' (units: ms, s, m)", key, value);
	if (n > max / unit || (n * unit < min && n))
		return fail(p, "%s '%s' out of range (%u ms to %u ms, or 0)", key, value,
			    min, max);
	*out = (unsigned int)(n * unit);
	return 0;
}

static int parse_uint(struct parser *p, const char *key, const char *value,
		      unsigned long min, unsigned long max, unsigned int *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(value, &end, 10);
	if (end == value || *end || errno || *value == '-' || n < min || n > max)
		return fail(p, "invalid %s '%s' (%lu to %lu)", key, value, min, max);
	*out = (unsigned int)n;
	return 0;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	size_t n = a->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		   sizeof(struct sockaddr_in);

	return a->ss_family == b->ss_family && (!a->ss_family || !memcmp(a, b, n));
}

/*
 * "path = local ADDRESS remote ADDRESS [priority N]", the words in any
 * order, local optional: one more underlay path of the tunnel.
 */
static int parse_path(struct parser *p, char *value)
{
	struct vespd_tunnel *t = p->tunnel;
	struct vespd_path path = { .priority = 0 };
	char *save = NULL, *word, *arg;
	bool have_priority = false;

	if (p->single_line)
		return fail(p, "'path' and 'local'/'remote' (line %d) in one tunnel",
			    p->single_line);
	if (t->num_paths == VESPD_MAX_PATHS)
		return fail(p, "more than %d paths", VESPD_MAX_PATHS);
	for (word = strtok_r(value, " \t", &save); word;
	     word = strtok_r(NULL, " \t", &save)) {
		arg = strtok_r(NULL, " \t", &save);
		if (!arg)
			return fail(p, "path: '%s' wants a value", word);
		if (!strcmp(word, "local") && !path.local.ss_family) {
			if (parse_addr(p, arg, &path.local) < 0)
				return -1;
		} else if (!strcmp(word, "remote") && !path.remote.ss_family) {
			if (parse_addr(p, arg, &path.remote) < 0)
				return -1;
		} else if (!strcmp(word, "priority") && !have_priority) {
			unsigned int prio;

			if (parse_uint(p, "path priority", arg, 0, UINT32_MAX, &prio) < 0)
				return -1;
			path.priority = prio;
			have_priority = true;
		} else {
			return fail(p, "path: unexpected '%s' (want local ADDRESS remote "
				    "ADDRESS [priority N], each once)", word);
		}
	}
	if (!path.remote.ss_family)
		return fail(p, "path without 'remote ADDRESS'");
	if (path.local.ss_family && path.local.ss_family != path.remote.ss_family)
		return fail(p, "path: local and remote addresses of different families");
	for (size_t i = 0; i < t->num_paths; i++)
		if (same_addr(&t->paths[i].local, &path.local) &&
		    same_addr(&t->paths[i].remote, &path.remote))
			return fail(p, "the same path twice");
	/* sorted by priority, equal ones in the order given */
	{
		size_t at = t->num_paths;

		while (at && t->paths[at - 1].priority > path.priority)
			at--;
		memmove(&t->paths[at + 1], &t->paths[at],
			(t->num_paths - at) * sizeof(path));
		t->paths[at] = path;
		t->num_paths++;
	}
	p->path_line = p->line;
	return 0;
}

/* "local" or "remote": the one path of the single form. */
static int parse_single(struct parser *p, const char *key, const char *value,
			struct sockaddr_storage *ss)
{
	if (p->path_line)
		return fail(p, "'%s' and 'path' (line %d) in one tunnel", key, p->path_line);
	p->single_line = p->line;
	return parse_addr(p, value, ss);
}

/* "500000", "100k", "64M", "2G" (powers of 1000): bytes or packets. */
static int parse_count(struct parser *p, const char *value, uint64_t *out)
{
	unsigned long long n, unit = 1;
	char *end;

	errno = 0;
	n = strtoull(value, &end, 10);
	if (end == value || errno || *value == '-')
		return fail(p, "invalid count '%s'", value);
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': unit = 1000; break;
	case 'M': unit = 1000000; break;
	case 'G': unit = 1000000000; break;
	default: return fail(p, "invalid count '%s' (units: k, M, G)", value);
	}
	if (*end && end[1])
		return fail(p, "invalid count '%s'", value);
	/* the hard limit is half as much again: keep it in 64 bits */
	if (n > UINT64_MAX / 2 / unit)
		return fail(p, "count '%s' too large", value);
	*out = n * unit;
	return 0;
}

/* 0 to 10 retransmissions: 10 waits 1 s, 2 s ... 1024 s, over half an hour. */
static int parse_tries(struct parser *p, const char *value, unsigned int *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(value, &end, 10);
	if (end == value || *end || errno || n > 10 || *value == '-')
		return fail(p, "invalid retransmit-tries '%s' (0 to 10)", value);
	*out = (unsigned int)n;
	return 0;
}

static int parse_bool(struct parser *p, const char *value, bool *out)
{
	if (!strcmp(value, "yes") || !strcmp(value, "true"))
		*out = true;
	else if (!strcmp(value, "no") || !strcmp(value, "false"))
		*out = false;
	else
		return fail(p, "'%s' is neither yes nor no", value);
	return 0;
}

/* A comma-separated list of proposals for @protocol. */
static int parse_proposals(struct parser *p, char *value, uint8_t protocol,
			   struct ike_proposal *out, size_t *num)
{
	struct ike_error err;
	char *save = NULL;

	*num = 0;
	for (char *tok = strtok_r(value, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (*num == IKE_MAX_PROPOSALS)
			return fail(p, "more than 16 proposals in '%s'", tok);
		if (ike_proposal_from_string(&out[*num], protocol, tok, &err) < 0)
			return fail(p, "%s", err.text);
		if (protocol == IKE_PROTO_ESP) {
			struct ike_suite suite;

			/* each alternative must be something the module runs */
			if (ike_suite_from_proposal(&suite, &out[*num], &err) < 0 ||
			    !ike_child_suite_supported(&suite))
				return fail(p, "ESP proposal '%s' not supported by the module",
					    tok);
		}
		out[*num].number = (uint8_t)(*num + 1);
		(*num)++;
	}
	return *num ? 0 : fail(p, "empty proposal list");
}

static int read_psk_file(struct parser *p, const char *path, struct ike_sa_config *c)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return fail(p, "cannot open key file '%s'", path);
	n = fread(c->psk, 1, sizeof(c->psk), f);
	/* one more byte means the key was longer than we keep */
	if (n == sizeof(c->psk) && fgetc(f) != EOF)
		n = 0;
	fclose(f);
	while (n && (c->psk[n - 1] == '\n' || c->psk[n - 1] == '\r'))
		n--;
	if (!n) {
		OPENSSL_cleanse(c->psk, sizeof(c->psk));
		return fail(p, "key file '%s' empty or over 128 bytes", path);
	}
	c->psk_len = n;
	return 0;
}

/* "auth = psk" (the default) or "pubkey": certificates and signatures. */
static int parse_auth(struct parser *p, const char *value, struct ike_sa_config *c)
{
	if (!strcmp(value, "psk"))
		c->cert.enabled = false;
	else if (!strcmp(value, "pubkey"))
		c->cert.enabled = true;
	else
		return fail(p, "auth '%s' is neither psk nor pubkey", value);
	return 0;
}

/* cert, key, ca: PEM files into the tunnel's credentials. */
static int read_pem(struct parser *p, const char *key, const char *path,
		    struct ike_cert_config *c)
{
	struct ike_error err;
	int ret;

	if (!strcmp(key, "cert"))
		ret = ike_cert_config_set_cert(c, path, &err);
	else if (!strcmp(key, "key"))
		ret = ike_cert_config_set_key(c, path, &err);
	else
		ret = ike_cert_config_add_cas(c, path, &err);
	return ret < 0 ? fail(p, "%s", err.text) : 0;
}

static int parse_id(struct parser *p, const char *value, struct ike_identity *id)
{
	struct ike_error err;

	if (ike_identity_from_string(id, value, &err) < 0)
		return fail(p, "%s", err.text);
	return 0;
}

static int parse_peer_id(struct parser *p, const char *value, uint32_t *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(value, &end, 0);
	if (end == value || *end || errno || n == 0 || n > UINT32_MAX)
		return fail(p, "invalid peer-id '%s' (1 to 4294967295)", value);
	*out = (uint32_t)n;
	return 0;
}

/* The range of addresses of @prefix, any protocol and port. */
static void prefix_to_ts(const struct vesp_prefix *prefix, struct ike_ts *ts)
{
	size_t n = prefix->addr.family == AF_INET6 ? 16 : 4;

	memset(ts, 0, sizeof(*ts));
	ts->type = n == 16 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 0xffff;
	memcpy(ts->start_addr, prefix->addr.bytes, n);
	memcpy(ts->end_addr, prefix->addr.bytes, n);
	for (size_t bit = prefix->len; bit < n * 8; bit++)
		ts->end_addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
}

/*
 * "10.0.2.0/24, fd00:2::/64" into @ts (the selectors), and into @prefixes
 * (what the module peer is given) when not NULL.
 */
static int parse_prefixes(struct parser *p, const char *key, char *value,
			  struct vesp_prefix *prefixes, struct ike_ts *ts,
			  size_t *num)
{
	struct vesp_prefix scratch, *prefix;
	struct vesp_error verr;
	char *save = NULL;
	size_t n = 0;

	for (char *tok = strtok_r(value, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (n == IKE_MAX_TS)
			return fail(p, "more than %d prefixes in '%s'", IKE_MAX_TS, key);
		prefix = prefixes ? &prefixes[n] : &scratch;
		if (vesp_parse_prefix(tok, prefix, &verr) < 0)
			return fail(p, "%s", verr.text);
		for (size_t i = 0; prefixes && i < n; i++)
			if (vesp_prefix_equal(&prefixes[i], prefix))
				return fail(p, "prefix '%s' twice in '%s'", tok, key);
		prefix_to_ts(prefix, &ts[n++]);
	}
	if (!n)
		return fail(p, "empty prefix list in '%s'", key);
	*num = n;
	return 0;
}

static int set_key(struct parser *p, const char *key, char *value)
{
	struct vespd_tunnel *t = p->tunnel;
	struct ike_sa_config *c = &t->ike;

	if (!strcmp(key, "device")) {
		if (!*value || strlen(value) >= sizeof(t->device))
			return fail(p, "invalid device name '%s'", value);
		strcpy(t->device, value);
		return 0;
	}
	if (!strcmp(key, "peer-id"))
		return parse_peer_id(p, value, &c->peer_id);
	if (!strcmp(key, "local"))
		return parse_single(p, key, value, &t->local);
	if (!strcmp(key, "remote"))
		return parse_single(p, key, value, &t->remote);
	if (!strcmp(key, "path"))
		return parse_path(p, value);
	if (!strcmp(key, "path-liveness"))
		return parse_millis(p, key, value, 10, 60000, &t->path_liveness.interval_ms);
	if (!strcmp(key, "path-liveness-multiplier"))
		return parse_uint(p, key, value, 1, 255, &t->path_liveness.multiplier);
	if (!strcmp(key, "path-hold-down"))
		return parse_millis(p, key, value, 0, 3600000,
				    &t->path_liveness.hold_down_ms);
	if (!strcmp(key, "roaming"))
		return parse_bool(p, value, &t->path_liveness.roaming);
	if (!strcmp(key, "mobike"))
		return parse_bool(p, value, &t->ike.mobike);
	if (!strcmp(key, "local-id"))
		return parse_id(p, value, &c->local_id);
	if (!strcmp(key, "remote-id"))
		return parse_id(p, value, &c->remote_id);
	if (!strcmp(key, "psk-file"))
		return read_psk_file(p, value, c);
	if (!strcmp(key, "auth"))
		return parse_auth(p, value, c);
	if (!strcmp(key, "cert") || !strcmp(key, "key") || !strcmp(key, "ca"))
		return read_pem(p, key, value, &c->cert);
	if (!strcmp(key, "ike"))
		return parse_proposals(p, value, IKE_PROTO_IKE, c->proposals,
				       &c->num_proposals);
	if (!strcmp(key, "esp"))
		return parse_proposals(p, value, IKE_PROTO_ESP, c->child_proposals,
				       &c->num_child_proposals);
	if (!strcmp(key, "initiate"))
		return parse_bool(p, value, &t->initiate);
	if (!strcmp(key, "ike-lifetime"))
		return parse_duration(p, value, &t->ike_lifetime);
	if (!strcmp(key, "child-lifetime"))
		return parse_duration(p, value, &t->child_lifetime);
	if (!strcmp(key, "child-lifetime-bytes"))
		return parse_count(p, value, &t->child_bytes);
	if (!strcmp(key, "child-lifetime-packets"))
		return parse_count(p, value, &t->child_packets);
	if (!strcmp(key, "liveness"))
		return parse_duration(p, value, &t->liveness);
	if (!strcmp(key, "remote-prefixes")) {
		if (parse_prefixes(p, key, value, t->remote_prefixes, c->ts_remote,
				   &t->num_remote_prefixes) < 0)
			return -1;
		c->num_ts_remote = t->num_remote_prefixes;
		return 0;
	}
	if (!strcmp(key, "local-prefixes"))
		return parse_prefixes(p, key, value, NULL, c->ts_local, &c->num_ts_local);
	if (!strcmp(key, "retransmit-tries"))
		return parse_tries(p, value, &t->retransmit_tries);
	return fail(p, "unknown key '%s'", key);
}

static int new_tunnel(struct parser *p, const char *name)
{
	struct vespd_config *cfg = p->cfg;
	struct vespd_tunnel *more, *t;

	if (!*name || strlen(name) >= VESPD_NAME_LEN || strpbrk(name, " \t/"))
		return fail(p, "invalid tunnel name '%s'", name);
	if (vespd_config_find(cfg, name))
		return fail(p, "tunnel '%s' defined twice", name);
	more = realloc(cfg->tunnels, (cfg->num_tunnels + 1) * sizeof(*more));
	if (!more)
		return fail(p, "out of memory");
	cfg->tunnels = more;
	t = &cfg->tunnels[cfg->num_tunnels++];
	memset(t, 0, sizeof(*t));
	strcpy(t->name, name);
	t->line = p->line;
	/* defaults: route-based, rekeyed well before strongSwan's 24h/8h */
	t->initiate = true;
	t->ike_lifetime = 4 * 3600;
	t->child_lifetime = 3600;
	t->liveness = 30;
	t->retransmit_tries = IKE_RETRANSMIT_DEFAULT.retries;
	t->path_liveness.multiplier = 3;
	t->path_liveness.hold_down_ms = 1000;
	t->ike.mobike = true;
	p->single_line = p->path_line = 0;
	ike_sa_config_default_ts(&t->ike);
	t->remote_prefixes[0].addr.family = AF_INET;
	t->remote_prefixes[1].addr.family = AF_INET6;
	t->num_remote_prefixes = 2;
	p->tunnel = t;
	return 0;
}

static int section(struct parser *p, char *line)
{
	char *end = strchr(line, ']');

	if (!end || end[1])
		return fail(p, "malformed section header '%s'", line);
	*end = '\0';
	line = trim(line + 1);
	if (strncmp(line, "tunnel", 6) || !isspace((unsigned char)line[6]))
		return fail(p, "unknown section '%s' (want [tunnel NAME])", line);
	return new_tunnel(p, trim(line + 6));
}

/*
 * With certificates: cert, key and ca, which go together; local-id
 * defaults to the certificate's subject and must be certified by it.
 */
static int complete_cert(struct parser *p, struct vespd_tunnel *t,
			 const char **missing)
{
	struct ike_cert_config *c = &t->ike.cert;
	struct ike_error err;

	if (!c->enabled) {
		if (c->cert_len || c->key_len || c->num_cas)
			return ike_error_set(p->err, 0, "%s:%d: tunnel '%s' has "
					     "'cert', 'key' or 'ca' but not "
					     "'auth = pubkey'", p->path, t->line,
					     t->name);
		return 0;
	}
	if (!c->cert_len)
		*missing = "cert";
	else if (!c->key_len)
		*missing = "key";
	else if (!c->num_cas)
		*missing = "ca";
	else if (ike_cert_config_check(c, &t->ike.local_id, &err) < 0)
		return ike_error_set(p->err, 0, "%s:%d: tunnel '%s': %s", p->path,
				     t->line, t->name, err.text);
	return 0;
}

/* The first key a tunnel cannot do without that it lacks, or NULL. */
static const char *lacking(const struct vespd_tunnel *t)
{
	if (!t->device[0])
		return "device";
	if (!t->ike.peer_id)
		return "peer-id";
	if (!t->remote.ss_family && !t->num_paths)
		return "remote";
	if (!t->ike.local_id.type)
		return "local-id";
	if (!t->ike.psk_len && !t->ike.cert.enabled)
		return "psk-file";
	if (!t->ike.num_proposals)
		return "ike";
	if (!t->ike.num_child_proposals)
		return "esp";
	return NULL;
}

/*
 * The single form is one path of priority 0; with "path" lines the first
 * (preferred) one's addresses stand in "local" and "remote", which IKE
 * starts from.
 */
static void complete_paths(struct vespd_tunnel *t)
{
	if (!t->num_paths) {
		t->paths[0].local = t->local;
		t->paths[0].remote = t->remote;
		t->num_paths = 1;
	} else {
		t->local = t->paths[0].local;
		t->remote = t->paths[0].remote;
	}
	/* MOBIKE offers the peer the paths' local addresses */
	for (size_t i = 0; i < t->num_paths; i++) {
		const struct sockaddr_storage *ss = &t->paths[i].local;
		struct ike_endpoint *ep = &t->ike.local_addrs[t->ike.num_local_addrs];

		if (ss->ss_family == AF_INET) {
			ep->family = AF_INET;
			memcpy(ep->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		} else if (ss->ss_family == AF_INET6) {
			ep->family = AF_INET6;
			memcpy(ep->addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		} else {
			continue;
		}
		t->ike.num_local_addrs++;
	}
}

static int complete(struct parser *p, struct vespd_tunnel *t)
{
	const char *missing = NULL;

	if (complete_cert(p, t, &missing) < 0)
		return -1;
	if (!missing)
		missing = lacking(t);
	if (!missing) {
		complete_paths(t);
		return 0;
	}
	p->line = t->line;
	return ike_error_set(p->err, 0, "%s:%d: tunnel '%s' lacks '%s'", p->path,
			     t->line, t->name, missing);
}

/* A remote prefix of @t that @o has too, or NULL. */
static const struct vesp_prefix *shared_prefix(const struct vespd_tunnel *t,
					       const struct vespd_tunnel *o)
{
	for (size_t a = 0; a < t->num_remote_prefixes; a++)
		for (size_t b = 0; b < o->num_remote_prefixes; b++)
			if (vesp_prefix_equal(&t->remote_prefixes[a], &o->remote_prefixes[b]))
				return &t->remote_prefixes[a];
	return NULL;
}

/*
 * Tunnels on one device are told apart by peer-id, and the module sends
 * to the peer whose prefix matches (a prefix given to a second peer moves
 * to it): two tunnels there must differ in both.
 */
static int check_shared_device(struct parser *p, size_t i)
{
	const struct vespd_tunnel *t = &p->cfg->tunnels[i];
	char text[VESP_PREFIX_TEXT_LEN];
	const struct vesp_prefix *same;

	for (size_t j = 0; j < i; j++) {
		const struct vespd_tunnel *o = &p->cfg->tunnels[j];

		if (strcmp(o->device, t->device))
			continue;
		if (o->ike.peer_id == t->ike.peer_id)
			return ike_error_set(p->err, 0, "%s:%d: tunnel '%s' has the "
					     "device and peer-id of tunnel '%s' (%s, %u)",
					     p->path, t->line, t->name, o->name,
					     t->device, t->ike.peer_id);
		same = shared_prefix(t, o);
		if (same)
			return ike_error_set(p->err, 0, "%s:%d: tunnel '%s' has remote "
					     "prefix %s of tunnel '%s' on device %s",
					     p->path, t->line, t->name,
					     vesp_format_prefix(same, text, sizeof(text)),
					     o->name, t->device);
	}
	return 0;
}

static int parse_line(struct parser *p, char *line)
{
	char *eq, *key, *value;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	if (*line == '[')
		return section(p, line);
	eq = strchr(line, '=');
	if (!eq)
		return fail(p, "expected 'key = value', got '%s'", line);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!p->tunnel)
		return fail(p, "'%s' outside a [tunnel NAME] section", key);
	return set_key(p, key, value);
}

int vespd_config_parse(struct vespd_config *cfg, FILE *f, const char *path,
		       struct ike_error *err)
{
	struct parser p = { .path = path, .err = err, .cfg = cfg };
	char line[LINE_MAX_LEN];
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		p.line++;
		if (!strchr(line, '\n') && !feof(f))
			ret = fail(&p, "line longer than %d bytes", LINE_MAX_LEN - 1);
		else
			ret = parse_line(&p, line);
	}
	for (size_t i = 0; ret == 0 && i < cfg->num_tunnels; i++)
		ret = complete(&p, &cfg->tunnels[i]);
	for (size_t i = 0; ret == 0 && i < cfg->num_tunnels; i++)
		ret = check_shared_device(&p, i);
	OPENSSL_cleanse(line, sizeof(line));
	if (ret < 0)
		vespd_config_free(cfg);
	return ret;
}

int vespd_config_load(struct vespd_config *cfg, const char *path,
		      struct ike_error *err)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return ike_error_set(err, 0, "%s: %s", path, strerror(errno));
	ret = vespd_config_parse(cfg, f, path, err);
	fclose(f);
	return ret;
}

const struct vespd_tunnel *vespd_config_find(const struct vespd_config *cfg,
					     const char *name)
{
	for (size_t i = 0; i < cfg->num_tunnels; i++)
		if (!strcmp(cfg->tunnels[i].name, name))
			return &cfg->tunnels[i];
	return NULL;
}

void vespd_config_free(struct vespd_config *cfg)
{
	for (size_t i = 0; i < cfg->num_tunnels; i++)
		ike_sa_config_clear(&cfg->tunnels[i].ike);
	free(cfg->tunnels);
	memset(cfg, 0, sizeof(*cfg));
}
