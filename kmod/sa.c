// SPDX-License-Identifier: GPL-2.0
/*
 * vesp security associations: creation with their crypto transform,
 * reference counting, lifetimes, and the table that finds inbound SAs by
 * SPI when ESP arrives.
 */

#include <crypto/authenc.h>
#include <linux/hashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/vesp.h>
#include <net/netlink.h>

#include "device.h"
#include "main.h"
#include "peer.h"
#include "sa.h"
#include "trailer.h"

#define VESP_SPI_HASH_BITS	10

/*
 * Inbound SAs of every device, by (underlay netns, SPI). Writers hold
 * vesp_spi_lock; the receive path reads under RCU.
 */
static DEFINE_HASHTABLE(vesp_spi_table, VESP_SPI_HASH_BITS);
static DEFINE_SPINLOCK(vesp_spi_lock);

#define VESP_AEAD_SALT_LEN	4
#define VESP_ICV_LEN		16
#define VESP_HMAC_SHA256_KEY_LEN 32

static u32 vesp_spi_hash(const struct net *net, __be32 spi)
{
	return hash_32((__force u32)spi ^ net_hash_mix(net), VESP_SPI_HASH_BITS);
}

/* Builds the key blob that authenc() takes: a parameter rtattr, then keys. */
static int vesp_sa_setkey_authenc(struct crypto_aead *aead,
				  const struct vesp_sa_config *cfg)
{
	struct crypto_authenc_key_param *param;
	unsigned int len;
	struct rtattr *rta;
	u8 *key, *p;
	int ret;

	len = RTA_SPACE(sizeof(*param)) + cfg->auth_key_len + cfg->enc_key_len;
	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;

	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(cfg->enc_key_len);
	p = key + RTA_SPACE(sizeof(*param));
	memcpy(p, cfg->auth_key, cfg->auth_key_len);
	p += cfg->auth_key_len;
	if (cfg->enc_key_len)
		memcpy(p, cfg->enc_key, cfg->enc_key_len);

	ret = crypto_aead_setkey(aead, key, len);
	kfree_sensitive(key);
	return ret;
}

/*
 * Checks that the keys fit the algorithm and names the transform. The
 * geniv templates make the IV from the sequence number (seqiv: unique per
 * key, enough for counter modes) or by chaining (echainiv: unpredictable,
 * as CBC needs), exactly as the kernel's own ESP does, so both ends agree.
 */
static const char *vesp_sa_alg_name(const struct vesp_sa_config *cfg,
				    struct netlink_ext_ack *extack)
{
	unsigned int cipher_len = cfg->enc_key_len - VESP_AEAD_SALT_LEN;

	switch (cfg->alg) {
	case VESP_SA_ALG_AES_GCM_16:
		if (cfg->enc_key_len <= VESP_AEAD_SALT_LEN ||
		    (cipher_len != 16 && cipher_len != 32)) {
			NL_SET_ERR_MSG(extack,
				       "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt");
			return NULL;
		}
		if (cfg->auth_key_len) {
			NL_SET_ERR_MSG(extack, "AES-GCM takes no integrity key");
			return NULL;
		}
		return "seqiv(rfc4106(gcm(aes)))";
	case VESP_SA_ALG_CHACHA20_POLY1305:
		if (cfg->enc_key_len != 32 + VESP_AEAD_SALT_LEN) {
			NL_SET_ERR_MSG(extack,
				       "ChaCha20-Poly1305 needs a 32-byte key followed by a 4-byte salt");
			return NULL;
		}
		if (cfg->auth_key_len) {
			NL_SET_ERR_MSG(extack,
				       "ChaCha20-Poly1305 takes no integrity key");
			return NULL;
		}
		return "seqiv(rfc7539esp(chacha20,poly1305))";
	case VESP_SA_ALG_AES_CBC_HMAC_SHA256:
		if (cfg->enc_key_len != 16 && cfg->enc_key_len != 32) {
			NL_SET_ERR_MSG(extack, "AES-CBC needs a 16- or 32-byte key");
			return NULL;
		}
		if (cfg->auth_key_len != VESP_HMAC_SHA256_KEY_LEN) {
			NL_SET_ERR_MSG(extack,
				       "HMAC-SHA2-256 needs a 32-byte integrity key");
			return NULL;
		}
		return cfg->esn ?
		       "echainiv(authencesn(hmac(sha256),cbc(aes)))" :
		       "echainiv(authenc(hmac(sha256),cbc(aes)))";
	case VESP_SA_ALG_NULL_HMAC_SHA256:
		if (cfg->enc_key_len) {
			NL_SET_ERR_MSG(extack, "NULL encryption takes no cipher key");
			return NULL;
		}
		if (cfg->auth_key_len != VESP_HMAC_SHA256_KEY_LEN) {
			NL_SET_ERR_MSG(extack,
				       "HMAC-SHA2-256 needs a 32-byte integrity key");
			return NULL;
		}
		return cfg->esn ?
		       "authencesn(hmac(sha256),ecb(cipher_null))" :
		       "authenc(hmac(sha256),ecb(cipher_null))";
	}
	NL_SET_ERR_MSG(extack, "unknown algorithm");
	return NULL;
}

static int vesp_sa_init_crypto(struct vesp_sa *sa,
			       const struct vesp_sa_config *cfg,
			       struct netlink_ext_ack *extack)
{
	const char *name = vesp_sa_alg_name(cfg, extack);
	struct crypto_aead *aead;
	int ret;

	if (!name)
		return -EINVAL;
	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG(extack,
			       "the kernel's crypto API lacks this algorithm");
		return PTR_ERR(aead);
	}
	sa->aead = aead;

	if (cfg->alg == VESP_SA_ALG_AES_GCM_16 ||
	    cfg->alg == VESP_SA_ALG_CHACHA20_POLY1305)
		ret = crypto_aead_setkey(aead, cfg->enc_key, cfg->enc_key_len);
	else
		ret = vesp_sa_setkey_authenc(aead, cfg);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		return ret;
	}
	ret = crypto_aead_setauthsize(aead, VESP_ICV_LEN);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the ICV length");
		return ret;
	}
	sa->ivlen = crypto_aead_ivsize(aead);
	sa->icvlen = VESP_ICV_LEN;
	sa->blocksize = crypto_aead_blocksize(aead);
	if (!vesp_trailer_blksize_ok(sa->blocksize)) {
		NL_SET_ERR_MSG(extack, "unexpected cipher block size");
		return -EINVAL;
	}
	return 0;
}

static void vesp_sa_free_work(struct work_struct *work)
{
	struct vesp_sa *sa = container_of(to_rcu_work(work), struct vesp_sa,
					  free_work);

	/* Freeing a transform may sleep: done here, not in an RCU callback. */
	crypto_free_aead(sa->aead);
	vesp_replay_free(sa->replay);
	if (sa->vesp)
		dev_put(sa->vesp->dev);
	kfree_sensitive(sa);
}

/**
 * vesp_sa_create() - make an SA with its keyed transform
 * @cfg: what userspace asked for, already checked against the policy
 * @extack: where to say what is wrong
 *
 * The SA is not yet reachable: the caller adds it to a peer.
 *
 * Return: the SA with one reference, or an ERR_PTR().
 */
struct vesp_sa *vesp_sa_create(const struct vesp_sa_config *cfg,
			       struct netlink_ext_ack *extack)
{
	struct vesp_sa *sa;
	int ret;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	INIT_HLIST_NODE(&sa->spi_node);
	INIT_LIST_HEAD(&sa->peer_entry);
	INIT_RCU_WORK(&sa->free_work, vesp_sa_free_work);
	refcount_set(&sa->refcnt, 1);
	sa->spi = cpu_to_be32(cfg->spi);
	sa->dir = cfg->dir;
	sa->alg = cfg->alg;
	sa->esn = cfg->esn;
	sa->limits = cfg->limits;
	sa->added = ktime_get_seconds();

	ret = vesp_sa_init_crypto(sa, cfg, extack);
	if (ret)
		goto err_free;

	if (sa->dir == VESP_SA_DIR_IN) {
		sa->replay = vesp_replay_alloc(cfg->replay_window, cfg->esn,
					       GFP_KERNEL);
		if (IS_ERR(sa->replay)) {
			ret = PTR_ERR(sa->replay);
			sa->replay = NULL;
			goto err_free;
		}
	} else {
		vesp_seq_init(&sa->seq, cfg->esn);
	}
	return sa;

err_free:
	if (sa->aead)
		crypto_free_aead(sa->aead);
	kfree_sensitive(sa);
	return ERR_PTR(ret);
}

/**
 * vesp_sa_put() - drop a reference; the last one frees the SA
 * @sa: the SA
 *
 * Freeing waits for an RCU grace period, so readers that found the SA
 * under RCU may still use it until they leave their read-side section.
 */
void vesp_sa_put(struct vesp_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->refcnt))
		queue_rcu_work(vesp_wq, &sa->free_work);
}

/**
 * vesp_sa_hash_insert() - make an inbound SA reachable by its SPI
 * @sa: the SA
 * @net: the underlay netns where its ESP arrives
 * @extack: where to say what is wrong
 *
 * Return: 0, or -EEXIST if the SPI is taken in @net.
 */
int vesp_sa_hash_insert(struct vesp_sa *sa, struct net *net,
			struct netlink_ext_ack *extack)
{
	u32 bucket = vesp_spi_hash(net, sa->spi);
	struct vesp_sa *other;

	sa->net = net;
	spin_lock_bh(&vesp_spi_lock);
	hash_for_each_possible(vesp_spi_table, other, spi_node, bucket) {
		if (other->spi == sa->spi && net_eq(other->net, net)) {
			spin_unlock_bh(&vesp_spi_lock);
			NL_SET_ERR_MSG(extack,
				       "the inbound SPI is in use in this netns");
			return -EEXIST;
		}
	}
	hash_add_rcu(vesp_spi_table, &sa->spi_node, bucket);
	spin_unlock_bh(&vesp_spi_lock);
	return 0;
}

/**
 * vesp_sa_hash_remove() - stop finding an inbound SA by its SPI
 * @sa: the SA; nothing happens if it was never inserted
 */
void vesp_sa_hash_remove(struct vesp_sa *sa)
{
	spin_lock_bh(&vesp_spi_lock);
	if (!hlist_unhashed(&sa->spi_node))
		hash_del_rcu(&sa->spi_node);
	spin_unlock_bh(&vesp_spi_lock);
}

/**
 * vesp_sa_lookup_rcu() - find the inbound SA for arriving ESP
 * @net: the netns the ESP arrived in
 * @spi: the SPI from the ESP header
 *
 * Context: RCU read-side critical section; the SA stays valid inside it.
 * Return: the SA or NULL.
 */
struct vesp_sa *vesp_sa_lookup_rcu(const struct net *net, __be32 spi)
{
	struct vesp_sa *sa;

	hash_for_each_possible_rcu(vesp_spi_table, sa, spi_node,
				   vesp_spi_hash(net, spi)) {
		if (sa->spi == spi && net_eq(sa->net, net))
			return sa;
	}
	return NULL;
}

/**
 * vesp_sa_usable() - may the SA still carry traffic
 * @sa: the SA
 *
 * Return: false once a hard limit was reached or the SA was removed.
 */
bool vesp_sa_usable(const struct vesp_sa *sa)
{
	return !test_bit(VESP_SA_HARD_EXPIRED, &sa->state) &&
	       !test_bit(VESP_SA_UNLINKED, &sa->state);
}

static bool vesp_limit_reached(u64 limit, u64 value)
{
	return limit && value >= limit;
}

/**
 * vesp_sa_account() - count a packet against the SA's lifetimes
 * @sa: the SA
 * @bytes: inner bytes of the packet
 *
 * Reaching a limit marks the SA and leaves the rest (events, deletion) to
 * the device's expiry work, which runs in process context.
 */
void vesp_sa_account(struct vesp_sa *sa, unsigned int bytes)
{
	u64 packets = atomic64_inc_return(&sa->packets);
	u64 total = atomic64_add_return(bytes, &sa->bytes);
	const struct vesp_sa_limits *l = &sa->limits;
	bool kick = false;

	if ((vesp_limit_reached(READ_ONCE(l->hard_packets), packets) ||
	     vesp_limit_reached(READ_ONCE(l->hard_bytes), total)) &&
	    !test_and_set_bit(VESP_SA_HARD_EXPIRED, &sa->state))
		kick = true;
	if ((vesp_limit_reached(READ_ONCE(l->soft_packets), packets) ||
	     vesp_limit_reached(READ_ONCE(l->soft_bytes), total)) &&
	    !test_and_set_bit(VESP_SA_SOFT_EXPIRED, &sa->state))
		kick = true;
	if (kick)
		vesp_device_kick_expiry(sa->vesp);
}

/**
 * vesp_sa_last_seq() - sequence number to report to userspace
 * @sa: the SA
 *
 * Return: outbound, the last number sent; inbound, the highest one
 * authenticated.
 */
u64 vesp_sa_last_seq(const struct vesp_sa *sa)
{
	if (sa->dir == VESP_SA_DIR_OUT)
		return vesp_seq_last(&sa->seq);
	return vesp_replay_top(sa->replay);
}
