// SPDX-License-Identifier: GPL-2.0
/* The libvesp data model: see model.h. */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

_Static_assert(VESP_A_MAX < 64 && VESP_A_PATH_MAX < 64 && VESP_A_SA_MAX < 64 &&
	       VESP_A_STATS_MAX < 64, "present masks hold one bit per attribute");

/*
 * Grow @array of @count elements of @size by one zeroed element: the new
 * array, or NULL (with @array untouched) when memory runs out.
 */
static void *grow_by_one(void *array, size_t count, size_t size)
{
	char *grown = realloc(array, (count + 1) * size);

	if (grown)
		memset(grown + count * size, 0, size);
	return grown;
}

struct vesp_dev_info *vesp_model_dev(struct vesp_dev_list *list, uint32_t ifindex,
				     const char *ifname)
{
	struct vesp_dev_info *dev;
	void *grown;
	size_t i;

	for (i = 0; i < list->n_devs; i++) {
		dev = &list->devs[i];
		if (ifindex && dev->ifindex == ifindex)
			return dev;
		/* a device first known by name only, or a name-only lookup */
		if (ifname && !strcmp(dev->ifname, ifname) && (!dev->ifindex || !ifindex)) {
			if (ifindex) {
				dev->ifindex = ifindex;
				vesp_mark(&dev->present, VESP_A_IFINDEX);
			}
			return dev;
		}
	}
	grown = grow_by_one(list->devs, list->n_devs, sizeof(*dev));
	if (!grown)
		return NULL;
	list->devs = grown;
	dev = &list->devs[list->n_devs++];
	dev->ifindex = ifindex;
	if (ifindex)
		vesp_mark(&dev->present, VESP_A_IFINDEX);
	if (ifname) {
		memcpy(dev->ifname, ifname, strnlen(ifname, sizeof(dev->ifname) - 1));
		vesp_mark(&dev->present, VESP_A_IFNAME);
	}
	return dev;
}

struct vesp_peer *vesp_model_peer(struct vesp_dev_info *dev, uint32_t id)
{
	struct vesp_peer *peer;
	void *grown;
	size_t i;

	for (i = 0; i < dev->n_peers; i++)
		if (dev->peers[i].id == id)
			return &dev->peers[i];
	grown = grow_by_one(dev->peers, dev->n_peers, sizeof(*peer));
	if (!grown)
		return NULL;
	dev->peers = grown;
	peer = &dev->peers[dev->n_peers++];
	peer->id = id;
	return peer;
}

struct vesp_path *vesp_model_path(struct vesp_peer *peer, uint32_t id)
{
	struct vesp_path *path;
	void *grown;
	size_t i;

	for (i = 0; i < peer->n_paths; i++)
		if (peer->paths[i].id == id)
			return &peer->paths[i];
	grown = grow_by_one(peer->paths, peer->n_paths, sizeof(*path));
	if (!grown)
		return NULL;
	peer->paths = grown;
	path = &peer->paths[peer->n_paths++];
	path->id = id;
	vesp_mark(&path->present, VESP_A_PATH_ID);
	return path;
}

struct vesp_sa *vesp_model_sa(struct vesp_peer *peer, uint8_t dir, uint32_t spi)
{
	struct vesp_sa *sa;
	void *grown;
	size_t i;

	for (i = 0; i < peer->n_sas; i++)
		if (peer->sas[i].dir == dir && peer->sas[i].spi == spi)
			return &peer->sas[i];
	grown = grow_by_one(peer->sas, peer->n_sas, sizeof(*sa));
	if (!grown)
		return NULL;
	peer->sas = grown;
	sa = &peer->sas[peer->n_sas++];
	sa->dir = dir;
	sa->spi = spi;
	vesp_mark(&sa->present, VESP_A_SA_DIR);
	vesp_mark(&sa->present, VESP_A_SA_SPI);
	return sa;
}

int vesp_model_add_prefix(struct vesp_peer *peer, const struct vesp_prefix *prefix)
{
	struct vesp_prefix *slot;
	void *grown;
	size_t i;

	for (i = 0; i < peer->n_prefixes; i++)
		if (vesp_prefix_equal(&peer->prefixes[i], prefix))
			return 0;
	grown = grow_by_one(peer->prefixes, peer->n_prefixes, sizeof(*slot));
	if (!grown)
		return -1;
	peer->prefixes = grown;
	slot = &peer->prefixes[peer->n_prefixes++];
	*slot = *prefix;
	return 0;
}

void vesp_peer_free(struct vesp_peer *peer)
{
	free(peer->prefixes);
	free(peer->paths);
	free(peer->sas);
	memset(peer, 0, sizeof(*peer));
}

void vesp_dev_info_free(struct vesp_dev_info *dev)
{
	size_t i;

	for (i = 0; i < dev->n_peers; i++)
		vesp_peer_free(&dev->peers[i]);
	free(dev->peers);
	memset(dev, 0, sizeof(*dev));
}

void vesp_dev_list_free(struct vesp_dev_list *list)
{
	size_t i;

	for (i = 0; i < list->n_devs; i++)
		vesp_dev_info_free(&list->devs[i]);
	free(list->devs);
	memset(list, 0, sizeof(*list));
}

static const char *const stats_names[VESP_A_STATS_MAX + 1] = {
	[VESP_A_STATS_RX_UNKNOWN_SPI]	  = "rx_unknown_spi",
	[VESP_A_STATS_RX_REPLAY]	  = "rx_replay",
	[VESP_A_STATS_RX_AUTH_FAIL]	  = "rx_auth_fail",
	[VESP_A_STATS_RX_BAD_PADDING]	  = "rx_bad_padding",
	[VESP_A_STATS_RX_BAD_LENGTH]	  = "rx_bad_length",
	[VESP_A_STATS_RX_BAD_NEXT_HEADER] = "rx_bad_next_header",
	[VESP_A_STATS_RX_POLICY]	  = "rx_policy",
	[VESP_A_STATS_RX_SA_EXPIRED]	  = "rx_sa_expired",
	[VESP_A_STATS_TX_NO_PEER]	  = "tx_no_peer",
	[VESP_A_STATS_TX_NO_SA]		  = "tx_no_sa",
	[VESP_A_STATS_TX_NO_PATH]	  = "tx_no_path",
	[VESP_A_STATS_TX_SEQ_EXHAUSTED]	  = "tx_seq_exhausted",
	[VESP_A_STATS_TX_TOO_BIG]	  = "tx_too_big",
	[VESP_A_STATS_TX_BAD_PROTOCOL]	  = "tx_bad_protocol",
	[VESP_A_STATS_CRYPTO_ERROR]	  = "crypto_error",
};

const char *vesp_stats_name(unsigned int attr)
{
	return attr <= VESP_A_STATS_MAX ? stats_names[attr] : NULL;
}

const char *vesp_dir_name(uint8_t dir)
{
	switch (dir) {
	case VESP_SA_DIR_IN:
		return "in";
	case VESP_SA_DIR_OUT:
		return "out";
	}
	return NULL;
}

const char *vesp_expire_reason_name(uint8_t reason)
{
	switch (reason) {
	case VESP_SA_EXPIRE_SOFT:
		return "soft";
	case VESP_SA_EXPIRE_HARD:
		return "hard";
	case VESP_SA_EXPIRE_SEQ:
		return "seq";
	}
	return NULL;
}

const char *vesp_path_state_name(uint8_t state)
{
	switch (state) {
	case VESP_PATH_STATE_UP:
		return "up";
	case VESP_PATH_STATE_DOWN:
		return "down";
	}
	return NULL;
}

const char *vesp_path_event_name(uint8_t event)
{
	switch (event) {
	case VESP_PATH_EVENT_UP:
		return "up";
	case VESP_PATH_EVENT_DOWN:
		return "down";
	case VESP_PATH_EVENT_SWITCHED:
		return "switched";
	case VESP_PATH_EVENT_ROAMED:
		return "roamed";
	}
	return NULL;
}

const char *vesp_link_flag_name(uint32_t flag)
{
	switch (flag) {
	case VESP_LINK_F_COPY_DSCP:
		return "copy-dscp";
	case VESP_LINK_F_CARRIER_LIVENESS:
		return "carrier-liveness";
	}
	return NULL;
}

size_t vesp_addr_len(uint16_t family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	}
	return 0;
}

bool vesp_addr_is_unspecified(const struct vesp_addr *addr)
{
	size_t i, len = vesp_addr_len(addr->family);

	for (i = 0; i < len; i++)
		if (addr->bytes[i])
			return false;
	return true;
}

bool vesp_addr_equal(const struct vesp_addr *a, const struct vesp_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->bytes, b->bytes, vesp_addr_len(a->family));
}

bool vesp_prefix_equal(const struct vesp_prefix *a, const struct vesp_prefix *b)
{
	return a->len == b->len && vesp_addr_equal(&a->addr, &b->addr);
}
