/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line grammar of vesp objects, read into the data model.
 *
 * Each parser takes the words after the device name ("vesp sa add vesp0
 * <these words>") and fills the model, or fails with a one-line error that
 * quotes the bad word. Keys given as hex on the command line are wiped
 * from argv once read, which shortens the time they are visible in ps;
 * "@FILE" and "-" avoid it entirely.
 */
#ifndef VESP_LIB_ARGS_H
#define VESP_LIB_ARGS_H

#include "algorithm.h"
#include "error.h"
#include "key.h"
#include "model.h"

/* "ID [prefix P ...]": the peer and its prefixes (free with vesp_peer_free()). */
int vesp_args_peer(int argc, char **argv, struct vesp_peer *peer, struct vesp_error *err);

/*
 * "ID [liveness MS|off] [multiplier N] [hold-down MS] [roaming on|off]":
 * the peer's liveness settings (VESP_CMD_PEER_SET), marked in
 * @peer->present. "vesp_args_peer" takes the same words after the id.
 */
int vesp_args_peer_set(int argc, char **argv, struct vesp_peer *peer, struct vesp_error *err);

/* "ID": a peer id alone. */
int vesp_args_peer_id(int argc, char **argv, uint32_t *peer_id, struct vesp_error *err);

/* "PEER ID remote ADDR [local ADDR] [priority N]" */
int vesp_args_path_add(int argc, char **argv, uint32_t *peer_id, struct vesp_path *path,
		       struct vesp_error *err);

/* "PEER ID" */
int vesp_args_path_del(int argc, char **argv, uint32_t *peer_id, struct vesp_path *path,
		       struct vesp_error *err);

struct vesp_sa_args {
	uint32_t peer_id;
	struct vesp_sa sa;
	struct vesp_sa_keys keys;		/* wipe with vesp_sa_keys_wipe() */
	const struct vesp_algorithm *alg;
};

/*
 * "PEER in|out spi SPI alg ALG enc-key KEY [auth-key KEY] [esn]
 * [replay-window N] [active] [LIMIT VALUE ...]", KEY being hex, @FILE or -,
 * LIMIT one of soft-bytes, hard-bytes, soft-packets, hard-packets,
 * soft-time, hard-time. On failure no key bytes remain in @args.
 */
int vesp_args_sa_add(int argc, char **argv, struct vesp_sa_args *args, struct vesp_error *err);

/* "PEER in|out SPI [active] [LIMIT VALUE ...]": change an SA (VESP_CMD_SA_SET). */
int vesp_args_sa_set(int argc, char **argv, struct vesp_sa_args *args, struct vesp_error *err);

/* "PEER SPI": make the outbound SA SPI active. */
int vesp_args_sa_activate(int argc, char **argv, struct vesp_sa_args *args,
			  struct vesp_error *err);

/* "PEER in|out SPI" */
int vesp_args_sa_del(int argc, char **argv, struct vesp_sa_args *args, struct vesp_error *err);

/* "[fwmark N] [copy-dscp on|off] [carrier-liveness on|off]", at least one */
int vesp_args_dev_set(int argc, char **argv, struct vesp_dev_settings *set,
		      struct vesp_error *err);

#endif /* VESP_LIB_ARGS_H */
