// SPDX-License-Identifier: GPL-2.0
/*
 * CREATE_CHILD_SA rekeying of Child SAs between two IKE SAs in one process
 * (ike_pair.h): the order of kernel operations that loses no packet, PFS,
 * a child the peer does not know, and simultaneous rekeys resolved by the
 * lowest nonce (RFC 7296 §2.8.1), for either end winning; and rekeying
 * the IKE SA itself (§1.3.2, §2.18).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike_pair.h"


/* Up to the first child, then forget the kernel calls made so far. */
static void establish(void)
{
	end_start(&I);
	end_start(&R);
	assert_int_equal(ike_manager_initiate(&I.m), IKE_MANAGER_OK);
	settle(&I, &R);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.num_calls, 2);
	I.num_calls = R.num_calls = 0;
}

/* The one child left at @e, checked to be alone and installed. */
static const struct ike_child_sa *only_child(const struct end *e)
{
	const struct ike_child_sa *found = NULL;

	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		if (e->sa.children[i].state == IKE_CHILD_FREE)
			continue;
		assert_null(found);
		found = &e->sa.children[i];
	}
	assert_non_null(found);
	assert_int_equal(found->state, IKE_CHILD_INSTALLED);
	return found;
}

static void assert_pair(void)
{
	const struct ike_child_sa *i = only_child(&I), *r = only_child(&R);

	assert_int_equal(i->spi_out, r->spi_in);
	assert_int_equal(r->spi_out, i->spi_in);
	assert_true(ike_manager_idle(&I.m));
	assert_true(ike_manager_idle(&R.m));
}

static void test_rekey_order(void **state)
{
	uint32_t i_old_in, i_old_out, i_new_in, i_new_out;
	const struct kernel_call *c;

	(void)state;
	establish();
	i_old_in = I.sa.children[0].spi_in;
	i_old_out = I.sa.children[0].spi_out;
	/*
	 * I  HDR #2, SK {N(REKEY_SA), SA, Ni, TSi, TSr}  -->
	 *                                           R  new inbound, new outbound idle
	 *                        <--  HDR #2, SK {SA, Nr, TSi, TSr}
	 *    new inbound, new outbound active, old outbound removed
	 */
	assert_int_equal(ike_manager_rekey_child(&I.m, i_old_in), IKE_MANAGER_OK);
	assert_int_equal(peek(&I).exchange, IKE_EXCHANGE_CREATE_CHILD_SA);
	deliver(&I, &R);
	assert_int_equal(R.num_calls, 2);
	assert_false(call(&R, 0, 'a', VESP_SA_DIR_IN)->active);
	assert_false(call(&R, 1, 'a', VESP_SA_DIR_OUT)->active);
	deliver(&R, &I);
	assert_int_equal(I.num_calls, 3);
	i_new_in = call(&I, 0, 'a', VESP_SA_DIR_IN)->spi;
	c = call(&I, 1, 'a', VESP_SA_DIR_OUT);
	assert_true(c->active);
	i_new_out = c->spi;
	assert_int_equal(call(&I, 2, 'd', VESP_SA_DIR_OUT)->spi, i_old_out);
	assert_int_equal(i_new_out, R.calls[0].spi);
	assert_int_not_equal(i_new_in, i_old_in);
	/* the new keys are not the old ones */
	assert_memory_not_equal(I.calls[1].sa.enc_key, R.calls[1].sa.enc_key, 36);

	/*
	 * I  HDR #3, SK {D(ESP, old SPIi)}  -->
	 *                                   R  new outbound active, old removed
	 *                    <--  HDR #3, SK {D(ESP, old SPIr)}
	 *    old inbound removed
	 */
	assert_int_equal(peek(&I).exchange, IKE_EXCHANGE_INFORMATIONAL);
	assert_int_equal(peek(&I).message_id, 3);
	deliver(&I, &R);
	assert_int_equal(R.num_calls, 5);
	assert_int_equal(call(&R, 2, 's', VESP_SA_DIR_OUT)->spi, i_new_in);
	assert_int_equal(call(&R, 3, 'd', VESP_SA_DIR_OUT)->spi, i_old_in);
	assert_int_equal(call(&R, 4, 'd', VESP_SA_DIR_IN)->spi, i_old_out);
	deliver(&R, &I);
	assert_int_equal(I.num_calls, 4);
	assert_int_equal(call(&I, 3, 'd', VESP_SA_DIR_IN)->spi, i_old_in);
	assert_pair();
	assert_int_equal(only_child(&I)->spi_in, i_new_in);
}

static void test_rekey_by_responder_with_pfs(void **state)
{
	static const char *const esp[] = { "aes128gcm16-x25519-noesn", NULL };
	unsigned int dh_before;

	(void)state;
	add_proposals(I.config.child_proposals, &I.config.num_child_proposals,
		      IKE_PROTO_ESP, esp);
	add_proposals(R.config.child_proposals, &R.config.num_child_proposals,
		      IKE_PROTO_ESP, esp);
	establish();
	/* the first child took its keys from IKE_SA_INIT (§1.2) */
	assert_int_equal(I.sa.children[0].suite.dh, IKE_DH_NONE);
	assert_int_equal(R.sa.children[0].suite.dh, IKE_DH_NONE);
	dh_before = I.dh_created;
	/* the IKE SA's responder rekeys: its window starts at #0 */
	assert_int_equal(ike_manager_rekey_child(&R.m, R.sa.children[0].spi_in),
			 IKE_MANAGER_OK);
	assert_int_equal(peek(&R).message_id, 0);
	settle(&R, &I);
	assert_pair();
	/* a fresh key exchange at both ends: PFS */
	assert_int_equal(I.dh_created, dh_before + 1);
	assert_int_equal(only_child(&I)->suite.dh, IKE_DH_CURVE25519);
	assert_int_equal(only_child(&R)->suite.dh, IKE_DH_CURVE25519);
	/* and again the other way round */
	dh_before = R.dh_created;
	ike_manager_rekey_child(&I.m, only_child(&I)->spi_in);
	settle(&I, &R);
	assert_pair();
	assert_int_equal(R.dh_created, dh_before + 1);
	assert_int_equal(only_child(&R)->suite.dh, IKE_DH_CURVE25519);
	assert_int_equal(call(&R, 0, 'a', VESP_SA_DIR_IN)->sa.enc_key_len, 20);
}

/* The Nonce of @from's oldest datagram, opened with @to's keys. */
static void nonce_of(struct end *from, struct end *to, uint8_t *nonce, size_t *len)
{
	static uint8_t plain[IKE_MESSAGE_MAX_LEN];
	static struct ike_message msg;
	const struct ike_payload *n;
	struct ike_error err;

	assert_int_equal(ike_message_open(&to->sa, &msg, from->out[0], from->out_len[0],
					  plain, sizeof(plain), NULL, &err), 0);
	n = ike_message_find(&msg, IKE_PAYLOAD_NONCE);
	assert_non_null(n);
	memcpy(nonce, n->body.ptr, n->body.len);
	*len = n->body.len;
}

/*
 * KEYMAT's first keys are for the direction from the CREATE_CHILD_SA
 * initiator to its responder (§2.17), whatever the IKE SA's roles: when
 * the IKE SA's responder rekeys, its outbound SA takes encr_i. Two ends
 * of one implementation agree even when both get it wrong; only the keys
 * themselves show it.
 */
static void test_rekey_by_responder_keys(void **state)
{
	uint8_t ni[IKE_NONCE_MAX_LEN], nr[IKE_NONCE_MAX_LEN];
	struct ike_child_keys keys;
	struct ike_error err;
	size_t ni_len, nr_len;

	(void)state;
	establish();
	assert_int_equal(ike_manager_rekey_child(&R.m, R.sa.children[0].spi_in),
			 IKE_MANAGER_OK);
	nonce_of(&R, &I, ni, &ni_len);
	deliver(&R, &I);
	nonce_of(&I, &R, nr, &nr_len);
	deliver(&I, &R);
	assert_int_equal(ike_child_keys_derive(&keys, &R.sa.children[0].suite,
					       R.sa.suite.prf,
					       ike_chunk(R.sa.keys.sk_d,
							 R.sa.keys.sizes.prf_key),
					       ike_chunk(NULL, 0), ike_chunk(ni, ni_len),
					       ike_chunk(nr, nr_len), &err), 0);
	/* the rekey's initiator: new inbound, then new outbound */
	assert_memory_equal(call(&R, 0, 'a', VESP_SA_DIR_IN)->sa.enc_key, keys.encr_r, 36);
	assert_memory_equal(call(&R, 1, 'a', VESP_SA_DIR_OUT)->sa.enc_key, keys.encr_i, 36);
	/* its responder: the same, the other way round */
	assert_memory_equal(call(&I, 0, 'a', VESP_SA_DIR_IN)->sa.enc_key, keys.encr_i, 36);
	assert_memory_equal(call(&I, 1, 'a', VESP_SA_DIR_OUT)->sa.enc_key, keys.encr_r, 36);
	ike_child_keys_clear(&keys);
	settle(&R, &I);
	assert_pair();
}

static void test_rekey_unknown_child(void **state)
{
	const struct ike_child_sa *before;

	(void)state;
	establish();
	/* the responder lost the child: CHILD_SA_NOT_FOUND, nothing changes */
	R.sa.children[0].spi_out ^= 0x1000;
	assert_int_equal(ike_manager_rekey_child(&I.m, I.sa.children[0].spi_in),
			 IKE_MANAGER_OK);
	settle(&I, &R);
	assert_int_equal(I.m.error.notify, IKE_N_CHILD_SA_NOT_FOUND);
	assert_int_equal(I.num_calls + R.num_calls, 0);
	before = only_child(&I);
	assert_int_equal(before->state, IKE_CHILD_INSTALLED);
	assert_false(before->rekeying);
}

/*
 * Both ends rekey the same child at once. @i_low: the nonces of the
 * initiator's exchange are the lowest, so its new child is redundant.
 *
 *   I  CREATE_CHILD_SA #2 (EA)   -->  <--  CREATE_CHILD_SA #0 (EB)   R
 *      answers EB                <--  -->  answers EA
 *   each end now holds the child of EA and the child of EB
 *   loser: D(its new child)      -->
 *   winner: D(old child)         -->
 */
static void collide(bool i_low)
{
	uint32_t i_old_in = I.sa.children[0].spi_in, r_old_in = R.sa.children[0].spi_in;
	const struct end *loser = i_low ? &I : &R;

	/* the mock's counters make the nonces: pick who draws the lowest */
	I.next = i_low ? 0x00 : 0x40;
	R.next = i_low ? 0x40 : 0x00;
	ike_manager_rekey_child(&I.m, i_old_in);
	ike_manager_rekey_child(&R.m, r_old_in);
	deliver(&I, &R);	/* EA request */
	deliver(&R, &I);	/* EB request */
	assert_true(I.sa.children[0].collided);
	assert_true(R.sa.children[0].collided);
	deliver(&R, &I);	/* EA response */
	deliver(&I, &R);	/* EB response */
	settle(&I, &R);
	assert_pair();
	/* the loser never made its own exchange's outbound SA active */
	for (size_t i = 0; i < loser->num_calls; i++) {
		const struct kernel_call *c = &loser->calls[i];

		if (c->op == 'a' && c->dir == VESP_SA_DIR_OUT)
			assert_false(c->active);
	}
	/* the old child is gone everywhere */
	assert_null(ike_sa_find_child(&I.sa, i_old_in, true));
	assert_null(ike_sa_find_child(&R.sa, r_old_in, true));
}

static void test_collision_initiator_lower_nonce(void **state)
{
	(void)state;
	establish();
	collide(true);
	/* R's exchange won: its child is what both use */
	assert_int_equal(only_child(&R)->spi_in, R.m.rekey.child.child.spi_in);
}

static void test_collision_responder_lower_nonce(void **state)
{
	(void)state;
	establish();
	collide(false);
	assert_int_equal(only_child(&I)->spi_in, I.m.rekey.child.child.spi_in);
}

static void test_collision_request_after_response(void **state)
{
	uint8_t held[IKE_MESSAGE_MAX_LEN];
	uint32_t old_in;
	size_t held_len;

	(void)state;
	establish();
	old_in = I.sa.children[0].spi_in;
	/*
	 * I  CREATE_CHILD_SA #2 (EA)  -->  <--  CREATE_CHILD_SA #0 (EB, delayed)
	 *                             <--  EA response: I's rekey is done
	 *    D(old)                   -->       (queued behind EB's answer)
	 *    EB arrives: its child is rekeyed already:  <-- N(CHILD_SA_NOT_FOUND)
	 */
	ike_manager_rekey_child(&I.m, old_in);
	ike_manager_rekey_child(&R.m, R.sa.children[0].spi_in);
	held_len = take(&R, held);		/* EB, delayed */
	deliver(&I, &R);			/* EA request: R marks the collision */
	assert_true(R.sa.children[0].collided);
	deliver(&R, &I);			/* EA response: I switches over */
	assert_int_equal(ike_manager_receive(&I.m, held, held_len), IKE_MANAGER_OK);
	settle(&I, &R);
	assert_int_equal(R.m.error.notify, IKE_N_CHILD_SA_NOT_FOUND);
	/* EA's child is what both use, the old one is gone */
	assert_pair();
	assert_int_equal(only_child(&I)->spi_in, I.m.rekey.child.child.spi_in);
	assert_null(ike_sa_find_child(&I.sa, old_in, true));
}

static void assert_same_ike_keys(const struct ike_sa *a, const struct ike_sa *b)
{
	size_t prf = a->keys.sizes.prf_key, enc = a->keys.sizes.encr_key;

	assert_int_equal(a->spi_i, b->spi_i);
	assert_int_equal(a->spi_r, b->spi_r);
	assert_memory_equal(a->keys.sk_d, b->keys.sk_d, prf);
	assert_memory_equal(a->keys.sk_ei, b->keys.sk_ei, enc);
	assert_memory_equal(a->keys.sk_er, b->keys.sk_er, enc);
}

static void test_ike_rekey(void **state)
{
	uint8_t k[32], skeyseed[IKE_PRF_MAX_LEN];
	struct ike_chunk parts[3];
	struct ike_sa_keys expect;
	struct ike_error err;
	uint32_t child_in;

	(void)state;
	establish();
	child_in = I.sa.children[0].spi_in;
	ike_manager_set_spare(&I.m, &I.sa2);
	ike_manager_set_spare(&R.m, &R.sa2);
	/*
	 * I  HDR(old) #2, SK {SA(SPIi'), Ni, KEi}  -->
	 *                          <--  HDR(old) #2, SK {SA(SPIr'), Nr, KEr}
	 *    HDR(old) #3, SK {D(IKE)}              -->
	 *                          <--  HDR(old) #3, SK {}
	 */
	assert_int_equal(ike_manager_rekey_ike(&I.m), IKE_MANAGER_OK);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_REKEYED);
	assert_ptr_equal(R.m.successor, &R.sa2);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_REKEYED);
	assert_ptr_equal(I.m.successor, &I.sa2);
	assert_same_ike_keys(&I.sa2, &R.sa2);
	assert_int_not_equal(I.sa2.spi_i, I.sa.spi_i);
	assert_int_not_equal(I.sa2.spi_r, I.sa.spi_r);
	assert_true(I.sa2.initiator);
	assert_false(R.sa2.initiator);
	assert_memory_not_equal(I.sa2.keys.sk_d, I.sa.keys.sk_d, 32);

	/* §2.18 by hand: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) */
	parts[0] = ike_chunk(k, hex_decode(X25519_K, k, sizeof(k)));
	parts[1] = ike_chunk(I.sa2.ni, I.sa2.ni_len);
	parts[2] = ike_chunk(I.sa2.nr, I.sa2.nr_len);
	assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA2_256, ike_chunk(I.sa.keys.sk_d, 32),
				 parts, 3, skeyseed, &err), 0);
	assert_int_equal(ike_sa_keys_derive(&expect, &I.sa2.suite, ike_chunk(skeyseed, 32),
					    parts[1], parts[2], I.sa2.spi_i,
					    I.sa2.spi_r, &err), 0);
	assert_memory_equal(expect.sk_d, I.sa2.keys.sk_d, 32);
	assert_memory_equal(expect.sk_ei, I.sa2.keys.sk_ei, 36);
	ike_sa_keys_clear(&expect);

	/* the children moved over; the old SA goes without taking them along */
	assert_int_equal(I.sa2.children[0].spi_in, child_in);
	assert_int_equal(I.sa.children[0].state, IKE_CHILD_FREE);
	ike_manager_init(&I.m2, &I.sa2, &I.io, (struct ike_retransmit){ 1000, 3 });
	ike_manager_init(&R.m2, &R.sa2, &R.io, (struct ike_retransmit){ 1000, 3 });
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_CLOSED);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_CLOSED);
	assert_int_equal(I.num_calls + R.num_calls, 0);

	/* the new SA counts messages from 0 and carries on with the child */
	assert_int_equal(ike_manager_rekey_child(&I.m2, child_in), IKE_MANAGER_OK);
	assert_int_equal(peek(&I).message_id, 0);
	assert_int_equal(ike_get_be64(I.out[0]), I.sa2.spi_i);
	settle(&I, &R);
	assert_int_equal(I.m2.next_id, 2);
	assert_int_equal(I.num_calls, 4);
	assert_int_equal(R.num_calls, 5);
}

/* The one child of @sa, installed; NULL if there is none. */
static const struct ike_child_sa *child_of(const struct ike_sa *sa)
{
	const struct ike_child_sa *found = NULL;

	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		if (sa->children[i].state == IKE_CHILD_FREE)
			continue;
		assert_null(found);
		found = &sa->children[i];
		assert_int_equal(found->state, IKE_CHILD_INSTALLED);
	}
	return found;
}

/*
 * §2.8.2: both ends rekey the IKE SA at once, the requests cross.
 *
 * I  HDR(old) #2, SK {SA(SPIa1), Ni1, KEi}  -->  (EA)
 *        <--  HDR(old) #0, SK {SA(SPIb1), Ni2, KEi}  (EB)  R
 *    answers EB: SA(SPIa2), Nr2             -->
 *        <--  answers EA: SA(SPIb2), Nr1
 *
 * Both make both new SAs. The exchange holding the lowest of the four
 * nonces made the redundant SA: its maker deletes it, the other's maker
 * deletes the old SA, and the survivor has the children at both ends.
 * The mock's nonces count up from e->next: the lowest nonce is the first
 * nonce of the end whose counter starts lower, the one of its own request.
 */
static void collide_ike(bool i_wins)
{
	struct end *maker = i_wins ? &R : &I, *other = i_wins ? &I : &R;
	uint32_t i_child = I.sa.children[0].spi_in, r_child = R.sa.children[0].spi_in;
	uint64_t old_spi_i = I.sa.spi_i;
	struct ike_header hdr;
	uint8_t buf[IKE_MESSAGE_MAX_LEN];

	ike_manager_set_spare(&I.m, &I.sa2);
	ike_manager_set_spare(&R.m, &R.sa2);
	I.next = i_wins ? 0xa0 : 0x40;
	R.next = i_wins ? 0x40 : 0xa0;
	assert_int_equal(ike_manager_rekey_ike(&I.m), IKE_MANAGER_OK);
	assert_int_equal(ike_manager_rekey_ike(&R.m), IKE_MANAGER_OK);
	/* each gets the other's request while its own is out: both answered */
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	assert_true(R.m.collision_pending);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);
	assert_true(I.m.collision_pending);
	assert_null(I.m.successor);
	/* each decides once its own is answered, both alike */
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_REKEYED);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_REKEYED);
	assert_ptr_equal(I.m.successor, &I.sa2);
	assert_ptr_equal(R.m.successor, &R.sa2);
	assert_false(I.m.collision_pending || R.m.collision_pending);
	assert_same_ike_keys(&I.sa2, &R.sa2);
	assert_int_not_equal(I.sa2.spi_i, old_spi_i);
	/* the survivor is the winner's own: its initiator is the winner */
	assert_int_equal(I.sa2.initiator, i_wins);
	assert_int_equal(R.sa2.initiator, !i_wins);

	/* the maker of the redundant SA deletes it, under that SA, once */
	assert_int_equal(maker->num_out, 1);
	hdr = peek(maker);
	assert_int_equal(hdr.exchange, IKE_EXCHANGE_INFORMATIONAL);
	assert_int_equal(hdr.message_id, 0);
	assert_int_not_equal(hdr.spi_i, I.sa2.spi_i);
	assert_int_not_equal(hdr.spi_i, old_spi_i);
	take(maker, buf);
	/* the other deletes the old SA */
	assert_int_equal(other->num_out, 1);
	assert_int_equal(peek(other).exchange, IKE_EXCHANGE_INFORMATIONAL);
	assert_int_equal(ike_get_be64(other->out[0]), old_spi_i);
	ike_manager_init(&I.m2, &I.sa2, &I.io, (struct ike_retransmit){ 1000, 3 });
	ike_manager_init(&R.m2, &R.sa2, &R.io, (struct ike_retransmit){ 1000, 3 });
	assert_int_equal(deliver(other, maker), IKE_MANAGER_CLOSED);
	assert_int_equal(deliver(maker, other), IKE_MANAGER_CLOSED);

	/* one IKE SA at each end, with the children: none lost or removed */
	assert_int_equal(I.num_calls + R.num_calls, 0);
	assert_null(child_of(&I.sa));
	assert_null(child_of(&R.sa));
	assert_int_equal(child_of(&I.sa2)->spi_in, i_child);
	assert_int_equal(child_of(&R.sa2)->spi_in, r_child);
	assert_int_equal(child_of(&I.sa2)->spi_out, r_child);

	/* and the survivor carries on: a child rekey under it */
	assert_int_equal(ike_manager_rekey_child(&I.m2, i_child), IKE_MANAGER_OK);
	assert_int_equal(peek(&I).message_id, 0);
	settle(&I, &R);
	assert_true(ike_manager_idle(&I.m2) && ike_manager_idle(&R.m2));
	assert_int_equal(child_of(&I.sa2)->spi_out, child_of(&R.sa2)->spi_in);
	assert_int_equal(child_of(&R.sa2)->spi_out, child_of(&I.sa2)->spi_in);
	assert_int_not_equal(child_of(&I.sa2)->spi_in, i_child);
}

static void test_ike_rekey_collision_responder_wins(void **state)
{
	(void)state;
	establish();
	collide_ike(false);
}

static void test_ike_rekey_collision_initiator_wins(void **state)
{
	(void)state;
	establish();
	collide_ike(true);
}

/*
 * The requests cross at R only: R answers I's (EA) before I sees R's (EB).
 * I has rekeyed by then and refuses EB with TEMPORARY_FAILURE; R keeps
 * I's new SA, whether I's Delete of the old SA or the refusal comes first.
 */
static void collide_at_one_end(bool delete_first)
{
	uint8_t eb[IKE_MESSAGE_MAX_LEN], held[IKE_MESSAGE_MAX_LEN];
	uint32_t r_child = R.sa.children[0].spi_in;
	size_t eb_len, held_len;

	ike_manager_set_spare(&I.m, &I.sa2);
	ike_manager_set_spare(&R.m, &R.sa2);
	ike_manager_rekey_ike(&I.m);
	ike_manager_rekey_ike(&R.m);
	eb_len = take(&R, eb);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	assert_true(R.m.collision_pending);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_REKEYED);
	assert_int_equal(ike_manager_receive(&I.m, eb, eb_len), IKE_MANAGER_OK);
	/* I: its Delete of the old SA, then the refusal of EB */
	assert_int_equal(I.num_out, 2);
	if (delete_first) {
		assert_int_equal(deliver(&I, &R), IKE_MANAGER_REKEYED);
		assert_int_equal(deliver(&I, &R), IKE_MANAGER_CLOSED);
	} else {
		held_len = take(&I, held);
		assert_int_equal(deliver(&I, &R), IKE_MANAGER_REKEYED);
		assert_int_equal(R.m.error.notify, IKE_N_TEMPORARY_FAILURE);
		assert_int_equal(ike_manager_receive(&R.m, held, held_len),
				 IKE_MANAGER_CLOSED);
	}
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_CLOSED);
	assert_ptr_equal(R.m.successor, &R.sa2);
	assert_same_ike_keys(&I.sa2, &R.sa2);
	assert_true(I.sa2.initiator);
	assert_int_equal(child_of(&R.sa2)->spi_in, r_child);
	assert_int_equal(child_of(&I.sa2)->spi_out, r_child);
	assert_int_equal(I.num_calls + R.num_calls, 0);
	assert_int_equal(I.num_out + R.num_out, 0);
}

static void test_ike_rekey_collision_at_one_end(void **state)
{
	(void)state;
	establish();
	collide_at_one_end(false);
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	establish();
	collide_at_one_end(true);
}

static void test_ike_rekey_without_spare_refused(void **state)
{
	(void)state;
	establish();
	ike_manager_set_spare(&I.m, &I.sa2);
	/* R has no room: TEMPORARY_FAILURE, the old SA stays */
	ike_manager_rekey_ike(&I.m);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);
	assert_int_equal(I.m.error.notify, IKE_N_TEMPORARY_FAILURE);
	assert_null(I.m.successor);
	assert_true(ike_manager_idle(&I.m));
	assert_int_equal(I.sa.children[0].state, IKE_CHILD_INSTALLED);
	ike_manager_liveness(&I.m);
	settle(&I, &R);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
}

static void test_nonce_order(void **state)
{
	static const uint8_t a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 };

	(void)state;
	assert_true(ike_nonce_cmp(a, 3, b, 3) < 0);
	assert_true(ike_nonce_cmp(b, 3, a, 3) > 0);
	assert_true(ike_nonce_cmp(a, 2, a, 3) < 0);
	assert_int_equal(ike_nonce_cmp(a, 3, a, 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rekey_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_by_responder_with_pfs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rekey_by_responder_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_unknown_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collision_initiator_lower_nonce,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_collision_responder_lower_nonce,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_collision_request_after_response,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_rekey, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_rekey_collision_responder_wins,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_rekey_collision_initiator_wins,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_rekey_collision_at_one_end,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_rekey_without_spare_refused,
						setup, teardown),
		cmocka_unit_test(test_nonce_order),
	};

	return run_tap_tests("rekey", tests);
}
