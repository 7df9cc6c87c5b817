/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * vesp: route-based IPsec (ESP) tunnel interfaces.
 *
 * The one source of truth for the kernel module and userspace: rtnetlink
 * link attributes for "ip link add ... type vesp" and, later, the generic
 * netlink family "vesp".
 */
#ifndef _UAPI_LINUX_VESP_H
#define _UAPI_LINUX_VESP_H

#include <linux/types.h>

/** VESP_LINK_KIND - rtnl_link_ops kind, as in "ip link add ... type vesp" */
#define VESP_LINK_KIND "vesp"

/**
 * enum vesp_link_flags - bits of %IFLA_VESP_FLAGS
 * @VESP_LINK_F_COPY_DSCP: copy the DSCP of the inner packet to the outer
 *	header instead of sending outer packets with DSCP 0
 * @VESP_LINK_F_CARRIER_LIVENESS: the carrier follows liveness: it is off
 *	while no peer has a live path and a usable outbound SA, so that
 *	routing daemons withdraw routes through the device at once. Without
 *	it the carrier is always on.
 * @VESP_LINK_F_ALL: every defined flag; others are rejected
 */
enum vesp_link_flags {
	VESP_LINK_F_COPY_DSCP		= 1U << 0,
	VESP_LINK_F_CARRIER_LIVENESS	= 1U << 1,

	VESP_LINK_F_ALL			= VESP_LINK_F_COPY_DSCP |
					  VESP_LINK_F_CARRIER_LIVENESS,
};

/**
 * enum vesp_link_attrs - attributes nested in IFLA_INFO_DATA of a vesp link
 * @IFLA_VESP_UNSPEC: unused
 * @IFLA_VESP_FWMARK: u32, firewall mark set on outer (ESP) packets, used to
 *	route the underlay by policy; 0 (default) sets no mark
 * @IFLA_VESP_FLAGS: u32, &enum vesp_link_flags; unknown bits are rejected
 * @__IFLA_VESP_MAX: one past the last attribute
 * @IFLA_VESP_MAX: the last attribute
 *
 * The attributes are validated strictly: unknown types, wrong lengths and
 * trailing data are rejected with an extended ACK message.
 */
enum vesp_link_attrs {
	IFLA_VESP_UNSPEC,
	IFLA_VESP_FWMARK,
	IFLA_VESP_FLAGS,

	__IFLA_VESP_MAX
};

#define IFLA_VESP_MAX (__IFLA_VESP_MAX - 1)

/*
 * The generic netlink family "vesp".
 *
 * Every request names a device with %VESP_A_IFINDEX or %VESP_A_IFNAME.
 * Requests that change state need CAP_NET_ADMIN in the device's netns.
 * Objects nest under their top-level attribute: %VESP_A_PEER, and inside
 * a peer %VESP_A_PEER_PATH and %VESP_A_PEER_SA. Key material
 * is accepted by %VESP_CMD_SA_NEW and never returned.
 */
#define VESP_GENL_NAME		"vesp"
#define VESP_GENL_VERSION	1
#define VESP_MCGRP_EVENTS	"events"

/**
 * enum vesp_cmd - commands of the vesp family
 * @VESP_CMD_UNSPEC: unused
 * @VESP_CMD_DEV_GET: get one device (doit) or every device of the netns
 *	(dump; only the named one if the request names one): %VESP_A_IFINDEX,
 *	%VESP_A_IFNAME, %VESP_A_FWMARK, %VESP_A_PEER_COUNT, %VESP_A_FLAGS
 * @VESP_CMD_DEV_SET: change device settings: %VESP_A_FWMARK, %VESP_A_FLAGS
 * @VESP_CMD_PEER_NEW: add a peer (%VESP_A_PEER with %VESP_A_PEER_ID and
 *	its prefixes), or with %NLM_F_REPLACE replace an existing peer's
 *	prefixes
 * @VESP_CMD_PEER_DEL: delete a peer with its paths and SAs
 * @VESP_CMD_PEER_GET: get one peer (doit) or dump a device's peers, each
 *	with its prefixes, paths and SAs (without keys)
 * @VESP_CMD_PATH_NEW: add an underlay path to a peer
 * @VESP_CMD_PATH_DEL: delete a path
 * @VESP_CMD_SA_NEW: install an SA for a peer
 * @VESP_CMD_SA_SET: make an outbound SA the active one (atomically), or
 *	change an SA's lifetimes
 * @VESP_CMD_SA_DEL: delete an SA
 * @VESP_CMD_SA_GET: get one SA (doit) or dump a device's SAs
 * @VESP_CMD_STATS_GET: the device's drop counters, %VESP_A_STATS
 * @VESP_CMD_SA_EXPIRE_NTF: notification: an SA reached a soft or hard
 *	limit (%VESP_A_PEER_SA with %VESP_A_SA_EXPIRE_REASON)
 * @VESP_CMD_ACQUIRE_NTF: notification: traffic for a peer found no usable
 *	outbound SA (%VESP_A_PEER with %VESP_A_PEER_ID); rate limited
 * @VESP_CMD_PEER_SET: change an existing peer's liveness and roaming
 *	settings (%VESP_A_PEER with %VESP_A_PEER_ID and any of
 *	%VESP_A_PEER_LIVENESS_INTERVAL, %VESP_A_PEER_LIVENESS_MULTIPLIER,
 *	%VESP_A_PEER_HOLD_DOWN, %VESP_A_PEER_ROAMING); the others keep
 *	their value
 * @VESP_CMD_PATH_NTF: notification: a path went up or down, the active
 *	path changed, or a path roamed (%VESP_A_PEER with %VESP_A_PEER_ID
 *	and one %VESP_A_PEER_PATH carrying %VESP_A_PATH_EVENT)
 * @__VESP_CMD_MAX: one past the last command
 * @VESP_CMD_MAX: the last command
 */
enum vesp_cmd {
	VESP_CMD_UNSPEC,
	VESP_CMD_DEV_GET,
	VESP_CMD_DEV_SET,
	VESP_CMD_PEER_NEW,
	VESP_CMD_PEER_DEL,
	VESP_CMD_PEER_GET,
	VESP_CMD_PATH_NEW,
	VESP_CMD_PATH_DEL,
	VESP_CMD_SA_NEW,
	VESP_CMD_SA_SET,
	VESP_CMD_SA_DEL,
	VESP_CMD_SA_GET,
	VESP_CMD_STATS_GET,
	VESP_CMD_SA_EXPIRE_NTF,
	VESP_CMD_ACQUIRE_NTF,
	VESP_CMD_PEER_SET,
	VESP_CMD_PATH_NTF,

	__VESP_CMD_MAX
};

#define VESP_CMD_MAX (__VESP_CMD_MAX - 1)

/**
 * enum vesp_attr - top-level attributes
 * @VESP_A_UNSPEC: unused
 * @VESP_A_IFINDEX: u32, the device
 * @VESP_A_IFNAME: string, the device, when no ifindex is given
 * @VESP_A_FWMARK: u32, mark on outer packets (same as %IFLA_VESP_FWMARK)
 * @VESP_A_PEER_COUNT: u32, read-only: number of peers
 * @VESP_A_PEER: nest, &enum vesp_peer_attr
 * @VESP_A_STATS: nest, &enum vesp_stats_attr
 * @VESP_A_PAD: padding for 64-bit attributes
 * @VESP_A_FLAGS: u32, &enum vesp_link_flags (same as %IFLA_VESP_FLAGS);
 *	unknown bits are rejected
 * @__VESP_A_MAX: one past the last attribute
 * @VESP_A_MAX: the last attribute
 */
enum vesp_attr {
	VESP_A_UNSPEC,
	VESP_A_IFINDEX,
	VESP_A_IFNAME,
	VESP_A_FWMARK,
	VESP_A_PEER_COUNT,
	VESP_A_PEER,
	VESP_A_STATS,
	VESP_A_PAD,
	VESP_A_FLAGS,

	__VESP_A_MAX
};

#define VESP_A_MAX (__VESP_A_MAX - 1)

/**
 * enum vesp_peer_attr - attributes of a peer
 * @VESP_A_PEER_UNSPEC: unused
 * @VESP_A_PEER_ID: u32, chosen by userspace, unique in the device, not 0
 * @VESP_A_PEER_PREFIX: nest, &enum vesp_prefix_attr, repeated: the inner
 *	networks reached through this peer. Outbound traffic picks the peer by
 *	longest prefix match on its destination; decrypted traffic from the
 *	peer must have its source inside them.
 * @VESP_A_PEER_PATH: nest, &enum vesp_path_attr (one per request; repeated
 *	in replies)
 * @VESP_A_PEER_SA: nest, &enum vesp_sa_attr (one per request; repeated in
 *	replies)
 * @VESP_A_PEER_PAD: padding
 * @VESP_A_PEER_LIVENESS_INTERVAL: u32, milliseconds between liveness
 *	probes on each path, 10..30000; 0 (the default) turns liveness off:
 *	no probes, no automatic failover, the preferred path is always used
 * @VESP_A_PEER_LIVENESS_MULTIPLIER: u8, 1..255 (default 3): a path is dead
 *	once it has carried no authenticated packet for this many intervals
 * @VESP_A_PEER_HOLD_DOWN: u32, milliseconds, at most 30000 (default
 *	1000): a better path must have been alive this long before outbound
 *	traffic moves back to it
 * @VESP_A_PEER_ROAMING: u8, 0 (default) or 1: an authenticated inbound
 *	packet from a new outer source address moves the path it arrived on
 *	to that address
 * @VESP_A_PEER_PATH_SWITCHES: u32, read-only: how often the module moved
 *	outbound traffic to another path by itself
 * @__VESP_A_PEER_MAX: one past the last attribute
 * @VESP_A_PEER_MAX: the last attribute
 */
enum vesp_peer_attr {
	VESP_A_PEER_UNSPEC,
	VESP_A_PEER_ID,
	VESP_A_PEER_PREFIX,
	VESP_A_PEER_PATH,
	VESP_A_PEER_SA,
	VESP_A_PEER_PAD,
	VESP_A_PEER_LIVENESS_INTERVAL,
	VESP_A_PEER_LIVENESS_MULTIPLIER,
	VESP_A_PEER_HOLD_DOWN,
	VESP_A_PEER_ROAMING,
	VESP_A_PEER_PATH_SWITCHES,

	__VESP_A_PEER_MAX
};

#define VESP_A_PEER_MAX (__VESP_A_PEER_MAX - 1)

/**
 * enum vesp_prefix_attr - an inner network
 * @VESP_A_PREFIX_UNSPEC: unused
 * @VESP_A_PREFIX_FAMILY: u16, AF_INET or AF_INET6
 * @VESP_A_PREFIX_ADDR: binary, 4 or 16 bytes in network order; bits past
 *	the prefix length must be zero
 * @VESP_A_PREFIX_LEN: u8, 0..32 or 0..128
 * @__VESP_A_PREFIX_MAX: one past the last attribute
 * @VESP_A_PREFIX_MAX: the last attribute
 */
enum vesp_prefix_attr {
	VESP_A_PREFIX_UNSPEC,
	VESP_A_PREFIX_FAMILY,
	VESP_A_PREFIX_ADDR,
	VESP_A_PREFIX_LEN,

	__VESP_A_PREFIX_MAX
};

#define VESP_A_PREFIX_MAX (__VESP_A_PREFIX_MAX - 1)

/**
 * enum vesp_path_state - liveness of a path
 * @VESP_PATH_STATE_DOWN: no authenticated packet arrived on the path for
 *	the detect time, or the peer says it does not hear this end on it
 * @VESP_PATH_STATE_UP: the path carries ESP both ways
 */
enum vesp_path_state {
	VESP_PATH_STATE_DOWN = 1,
	VESP_PATH_STATE_UP,
};

/**
 * enum vesp_path_event - what %VESP_CMD_PATH_NTF reports
 * @VESP_PATH_EVENT_UP: the path came alive
 * @VESP_PATH_EVENT_DOWN: the path died
 * @VESP_PATH_EVENT_SWITCHED: outbound ESP now takes this path;
 *	%VESP_A_PATH_PREVIOUS_ID names the one it took before
 * @VESP_PATH_EVENT_ROAMED: an authenticated packet from a new outer source
 *	address moved the path's remote there; %VESP_A_PATH_PREVIOUS_REMOTE
 *	holds the old one
 */
enum vesp_path_event {
	VESP_PATH_EVENT_UP = 1,
	VESP_PATH_EVENT_DOWN,
	VESP_PATH_EVENT_SWITCHED,
	VESP_PATH_EVENT_ROAMED,
};

/**
 * enum vesp_path_attr - an underlay path to a peer
 * @VESP_A_PATH_UNSPEC: unused
 * @VESP_A_PATH_ID: u32, unique within the peer, not 0
 * @VESP_A_PATH_FAMILY: u16, AF_INET or AF_INET6, of both addresses
 * @VESP_A_PATH_LOCAL: binary, 4 or 16 bytes: source address of outer
 *	packets; all zeroes lets routing choose
 * @VESP_A_PATH_REMOTE: binary, 4 or 16 bytes: the peer's address
 * @VESP_A_PATH_PRIORITY: u32, lower is preferred (default 0)
 * @VESP_A_PATH_ACTIVE: flag, read-only: outbound ESP uses this path
 * @VESP_A_PATH_STATE: u8, read-only, &enum vesp_path_state; only while
 *	the peer's liveness is on
 * @VESP_A_PATH_LAST_RX: u32, read-only: milliseconds since the last
 *	authenticated packet that arrived on the path, noted while liveness
 *	or roaming is on; absent if none was
 * @VESP_A_PATH_HEARD_BY_PEER: flag, read-only: the peer's latest probe on
 *	this path, within the detect time, says it hears this end
 * @VESP_A_PATH_PROBES_SENT: u64, read-only: liveness probes sent on it
 * @VESP_A_PATH_PROBES_RECEIVED: u64, read-only: vesp probes received on it
 * @VESP_A_PATH_STATE_CHANGES: u32, read-only: how often it went up or down
 * @VESP_A_PATH_PAD: padding for 64-bit attributes
 * @VESP_A_PATH_EVENT: u8, in %VESP_CMD_PATH_NTF only, &enum vesp_path_event
 * @VESP_A_PATH_PREVIOUS_ID: u32, in %VESP_PATH_EVENT_SWITCHED only: the
 *	path outbound ESP took before, absent if none
 * @VESP_A_PATH_PREVIOUS_REMOTE: binary, in %VESP_PATH_EVENT_ROAMED only:
 *	the remote address before the move
 * @__VESP_A_PATH_MAX: one past the last attribute
 * @VESP_A_PATH_MAX: the last attribute
 */
enum vesp_path_attr {
	VESP_A_PATH_UNSPEC,
	VESP_A_PATH_ID,
	VESP_A_PATH_FAMILY,
	VESP_A_PATH_LOCAL,
	VESP_A_PATH_REMOTE,
	VESP_A_PATH_PRIORITY,
	VESP_A_PATH_ACTIVE,
	VESP_A_PATH_STATE,
	VESP_A_PATH_LAST_RX,
	VESP_A_PATH_HEARD_BY_PEER,
	VESP_A_PATH_PROBES_SENT,
	VESP_A_PATH_PROBES_RECEIVED,
	VESP_A_PATH_STATE_CHANGES,
	VESP_A_PATH_PAD,
	VESP_A_PATH_EVENT,
	VESP_A_PATH_PREVIOUS_ID,
	VESP_A_PATH_PREVIOUS_REMOTE,

	__VESP_A_PATH_MAX
};

#define VESP_A_PATH_MAX (__VESP_A_PATH_MAX - 1)

/**
 * enum vesp_sa_dir - direction of an SA
 * @VESP_SA_DIR_IN: decrypts what the peer sends; several may be valid
 * @VESP_SA_DIR_OUT: encrypts what is sent to the peer; one is active
 */
enum vesp_sa_dir {
	VESP_SA_DIR_IN = 1,
	VESP_SA_DIR_OUT,
};

/**
 * enum vesp_sa_alg - ESP transforms
 * @VESP_SA_ALG_AES_GCM_16: AES-GCM with a 16-byte ICV (RFC 4106);
 *	%VESP_A_SA_ENC_KEY is the 16- or 32-byte key followed by the 4-byte
 *	salt
 * @VESP_SA_ALG_CHACHA20_POLY1305: RFC 7634; %VESP_A_SA_ENC_KEY is the
 *	32-byte key followed by the 4-byte salt
 * @VESP_SA_ALG_AES_CBC_HMAC_SHA256: AES-CBC (RFC 3602) with a 16- or 32-byte
 *	%VESP_A_SA_ENC_KEY and HMAC-SHA2-256-128 (RFC 4868) with a 32-byte
 *	%VESP_A_SA_AUTH_KEY
 * @VESP_SA_ALG_NULL_HMAC_SHA256: no encryption (RFC 2410), integrity only
 *	with HMAC-SHA2-256-128 and a 32-byte %VESP_A_SA_AUTH_KEY
 */
enum vesp_sa_alg {
	VESP_SA_ALG_AES_GCM_16 = 1,
	VESP_SA_ALG_CHACHA20_POLY1305,
	VESP_SA_ALG_AES_CBC_HMAC_SHA256,
	VESP_SA_ALG_NULL_HMAC_SHA256,
};

/**
 * enum vesp_sa_expire_reason - why %VESP_CMD_SA_EXPIRE_NTF was sent
 * @VESP_SA_EXPIRE_SOFT: a soft lifetime was reached; rekey now
 * @VESP_SA_EXPIRE_HARD: a hard lifetime was reached; the SA is deleted
 * @VESP_SA_EXPIRE_SEQ: the outbound sequence number is close to its end;
 *	the SA stops before it would wrap
 */
enum vesp_sa_expire_reason {
	VESP_SA_EXPIRE_SOFT = 1,
	VESP_SA_EXPIRE_HARD,
	VESP_SA_EXPIRE_SEQ,
};

/** VESP_REPLAY_WINDOW_MAX - the largest anti-replay window, in packets */
#define VESP_REPLAY_WINDOW_MAX	4096

/**
 * enum vesp_sa_attr - attributes of an SA
 * @VESP_A_SA_UNSPEC: unused
 * @VESP_A_SA_SPI: u32, the SPI (host order here, network order on the
 *	wire); 0..255 are reserved. Inbound SPIs are unique in the underlay
 *	netns across all vesp devices, outbound ones within their peer.
 * @VESP_A_SA_DIR: u8, &enum vesp_sa_dir
 * @VESP_A_SA_ALG: u32, &enum vesp_sa_alg
 * @VESP_A_SA_ENC_KEY: binary, write-only: cipher key (and salt)
 * @VESP_A_SA_AUTH_KEY: binary, write-only: integrity key
 * @VESP_A_SA_ESN: flag: 64-bit extended sequence numbers (RFC 4304)
 * @VESP_A_SA_REPLAY_WINDOW: u32, inbound: anti-replay window in packets,
 *	0 turns it off, at most %VESP_REPLAY_WINDOW_MAX (default 64)
 * @VESP_A_SA_ACTIVE: flag: the outbound SA in use. On %VESP_CMD_SA_NEW the
 *	new SA becomes active at once; on %VESP_CMD_SA_SET it replaces the
 *	active one atomically.
 * @VESP_A_SA_SOFT_BYTES: u64, soft lifetime in bytes (0: none)
 * @VESP_A_SA_HARD_BYTES: u64, hard lifetime in bytes (0: none)
 * @VESP_A_SA_SOFT_PACKETS: u64, soft lifetime in packets (0: none)
 * @VESP_A_SA_HARD_PACKETS: u64, hard lifetime in packets (0: none)
 * @VESP_A_SA_SOFT_SECONDS: u32, soft lifetime in seconds (0: none)
 * @VESP_A_SA_HARD_SECONDS: u32, hard lifetime in seconds (0: none)
 * @VESP_A_SA_SEQ: u64, read-only: outbound, the last sequence number sent;
 *	inbound, the highest authenticated one received
 * @VESP_A_SA_PACKETS: u64, read-only: packets processed
 * @VESP_A_SA_BYTES: u64, read-only: inner bytes processed
 * @VESP_A_SA_AGE: u32, read-only: seconds since the SA was installed
 * @VESP_A_SA_EXPIRE_REASON: u8, in %VESP_CMD_SA_EXPIRE_NTF only,
 *	&enum vesp_sa_expire_reason
 * @VESP_A_SA_PAD: padding for 64-bit attributes
 * @__VESP_A_SA_MAX: one past the last attribute
 * @VESP_A_SA_MAX: the last attribute
 */
enum vesp_sa_attr {
	VESP_A_SA_UNSPEC,
	VESP_A_SA_SPI,
	VESP_A_SA_DIR,
	VESP_A_SA_ALG,
	VESP_A_SA_ENC_KEY,
	VESP_A_SA_AUTH_KEY,
	VESP_A_SA_ESN,
	VESP_A_SA_REPLAY_WINDOW,
	VESP_A_SA_ACTIVE,
	VESP_A_SA_SOFT_BYTES,
	VESP_A_SA_HARD_BYTES,
	VESP_A_SA_SOFT_PACKETS,
	VESP_A_SA_HARD_PACKETS,
	VESP_A_SA_SOFT_SECONDS,
	VESP_A_SA_HARD_SECONDS,
	VESP_A_SA_SEQ,
	VESP_A_SA_PACKETS,
	VESP_A_SA_BYTES,
	VESP_A_SA_AGE,
	VESP_A_SA_EXPIRE_REASON,
	VESP_A_SA_PAD,

	__VESP_A_SA_MAX
};

#define VESP_A_SA_MAX (__VESP_A_SA_MAX - 1)

/**
 * enum vesp_stats_attr - drop counters of a device (all u64, read-only)
 * @VESP_A_STATS_UNSPEC: unused
 * @VESP_A_STATS_RX_UNKNOWN_SPI: ESP for an SPI of this device that is gone
 * @VESP_A_STATS_RX_REPLAY: sequence number seen before or left of the window
 * @VESP_A_STATS_RX_AUTH_FAIL: ICV did not verify
 * @VESP_A_STATS_RX_BAD_PADDING: padding bytes not 1, 2, 3, ...
 * @VESP_A_STATS_RX_BAD_LENGTH: too short, or not a whole number of blocks
 * @VESP_A_STATS_RX_BAD_NEXT_HEADER: next header not IPv4 or IPv6
 * @VESP_A_STATS_RX_POLICY: inner source outside the peer's prefixes
 * @VESP_A_STATS_RX_SA_EXPIRED: inbound SA past its hard lifetime
 * @VESP_A_STATS_TX_NO_PEER: no peer's prefixes cover the destination
 * @VESP_A_STATS_TX_NO_SA: the peer has no usable outbound SA
 * @VESP_A_STATS_TX_NO_PATH: the peer has no path, or no route on it
 * @VESP_A_STATS_TX_SEQ_EXHAUSTED: the outbound SA ran out of sequence numbers
 * @VESP_A_STATS_TX_TOO_BIG: larger than the path MTU with DF set
 * @VESP_A_STATS_TX_BAD_PROTOCOL: neither IPv4 nor IPv6
 * @VESP_A_STATS_CRYPTO_ERROR: the crypto API failed for another reason
 * @VESP_A_STATS_PAD: padding
 * @__VESP_A_STATS_MAX: one past the last attribute
 * @VESP_A_STATS_MAX: the last attribute
 */
enum vesp_stats_attr {
	VESP_A_STATS_UNSPEC,
	VESP_A_STATS_RX_UNKNOWN_SPI,
	VESP_A_STATS_RX_REPLAY,
	VESP_A_STATS_RX_AUTH_FAIL,
	VESP_A_STATS_RX_BAD_PADDING,
	VESP_A_STATS_RX_BAD_LENGTH,
	VESP_A_STATS_RX_BAD_NEXT_HEADER,
	VESP_A_STATS_RX_POLICY,
	VESP_A_STATS_RX_SA_EXPIRED,
	VESP_A_STATS_TX_NO_PEER,
	VESP_A_STATS_TX_NO_SA,
	VESP_A_STATS_TX_NO_PATH,
	VESP_A_STATS_TX_SEQ_EXHAUSTED,
	VESP_A_STATS_TX_TOO_BIG,
	VESP_A_STATS_TX_BAD_PROTOCOL,
	VESP_A_STATS_CRYPTO_ERROR,
	VESP_A_STATS_PAD,

	__VESP_A_STATS_MAX
};

#define VESP_A_STATS_MAX (__VESP_A_STATS_MAX - 1)

#endif /* _UAPI_LINUX_VESP_H */
