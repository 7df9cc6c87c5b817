// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 cryptography (ike/crypto_*.c) against published vectors:
 *  - HMAC-SHA2: RFC 4231 test cases 1 and 2;
 *  - SKEYSEED, rekey SKEYSEED and prf+: NIST CAVP SP 800-135 IKEv2 samples,
 *    as carried in NSS (gtests/common/testvectors/ike-sha{256,384,512}-vectors.h);
 *  - ECDH: RFC 5903 §8.1 and §8.2; X25519: RFC 7748 §6.1;
 *  - the SK payload with ChaCha20-Poly1305: RFC 7634 Appendix B.
 * Where no one publishes a vector (MODP-2048 padding, Child SA key split,
 * SK with AES-GCM and AES-CBC+HMAC), the expected bytes come from
 * tests/vectors/gen_vectors.py, an independent Python implementation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "ike/crypto.h"
#include "ike/payload.h"
#include "ike/wire.h"
#include "lib/testutil.h"

#define MAX 512

struct hexbuf {
	uint8_t b[MAX];
	size_t n;
};

static struct hexbuf hx(const char *hex)
{
	struct hexbuf h;

	h.n = hex_decode(hex, h.b, sizeof(h.b));
	return h;
}

static struct ike_chunk ck(const struct hexbuf *h)
{
	return ike_chunk(h->b, h->n);
}

#define assert_hex_equal(ptr, len, hex) do { \
	struct hexbuf want_ = hx(hex); \
	assert_int_equal((len), want_.n); \
	assert_memory_equal((ptr), want_.b, want_.n); \
} while (0)

/* ------------------------------------------------------------------ prf */

static void test_prf_rfc4231(void **state)
{
	static const struct {
		uint16_t prf;
		const char *key, *data, *mac;
	} v[] = {
		/* test case 1: key 0x0b * 20, "Hi There" */
		{ IKE_PRF_HMAC_SHA2_256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ IKE_PRF_HMAC_SHA2_384, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6" },
		{ IKE_PRF_HMAC_SHA2_512, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
		/* test case 2: "Jefe", "what do ya want for nothing?" */
		{ IKE_PRF_HMAC_SHA2_256, "4a656665",
		  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ IKE_PRF_HMAC_SHA2_384, "4a656665",
		  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		  "8e2240ca5e69e2c78b3239ecfab21649" },
		{ IKE_PRF_HMAC_SHA2_512, "4a656665",
		  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	};
	uint8_t out[IKE_PRF_MAX_LEN];
	struct ike_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct hexbuf key = hx(v[i].key), data = hx(v[i].data);
		struct ike_chunk parts[3];

		parts[0] = ck(&data);
		assert_int_equal(ike_prf(v[i].prf, ck(&key), parts, 1, out, &err), 0);
		assert_hex_equal(out, ike_prf_len(v[i].prf), v[i].mac);

		/* the data may come in pieces */
		parts[0] = ike_chunk(data.b, 3);
		parts[1] = ike_chunk(NULL, 0);
		parts[2] = ike_chunk(data.b + 3, data.n - 3);
		memset(out, 0, sizeof(out));
		assert_int_equal(ike_prf(v[i].prf, ck(&key), parts, 3, out, &err), 0);
		assert_hex_equal(out, ike_prf_len(v[i].prf), v[i].mac);
	}
	assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA1, ike_chunk("k", 1), NULL, 0, out, &err), -1);
	assert_int_equal(ike_prf_len(IKE_PRF_AES128_XCBC), 0);
}

/* NIST CAVP IKEv2 samples: one set per PRF. */
struct nist_ikev2 {
	uint16_t prf;
	const char *ni, *nr, *gir, *skeyseed;
	const char *gir_new, *skeyseed_rekey;	/* with SK_d = first prf_len of dkm */
	const char *spi_i, *spi_r, *dkm;	/* prf+(SKEYSEED, Ni|Nr|SPIi|SPIr), 132 bytes */
};

static const struct nist_ikev2 nist[] = {
	{ IKE_PRF_HMAC_SHA2_256, "3f302be1abcb28e1", "8c332ee006064c9b",
	  "0f4d257d7a58fc4545c7d7a88119eee5d5c9690c5b4c989171d3abbfd99d1d29",
	  "5f00d1bd2c58ec224b1e6b71fa0f19a1faa7a193952c444411b47c1a9d8ba6fe",
	  "25f3b12d6f282739256e39bf54eda53b60ffcf379bb7bcc90c27b4c4c578616c",
	  "2d63f6debc92048b4fef3889c4c99ca67d6496e0fac14a2bca9a2d6566ff2398",
	  "40dac39e1e1a8640", "8619a1cf9a6e4c07",
	  "0b137d669b0947d7d026d593f0305ad401ff0c471357d695778a9c7f4b4869ece98aca531"
	  "188d16041b3bb936d2dbb3b4993a6e768a809160de45d0283f273a6cdf6854379e31be72b"
	  "8d3d1fa990cf9c5b015ca9f918a7df6253c958114a09d4e1c19bdcd4db14b29d98db1a74a"
	  "d405c588662c14a04d0d36aa4ab55e90f8986d12d4aad" },
	{ IKE_PRF_HMAC_SHA2_384, "fd1b572a8e735591", "6013b0ef88dacd3d",
	  "d3288cd87565101e88fe3bad918f31939d8dd26ff1071f8b2d7f447524e58d7c",
	  "69fe7a1ac94adaeb711295f5fe004b1a8d6a0b65d05692758ce8ad2f7a45f59d7d0b596f5"
	  "1f7dfcf3330061888f6a94f",
	  "3358f620539473aee8d07e779764c4c6a9aabddc79a28e136b3bac021dbde44a",
	  "e0548c1682e13bce454026b3b1bdf42985b24e4e7408095a7c529de38c3d1fcb04c9fe686"
	  "8042a34c9614c6c99e3fcea",
	  "2116ad07ce61f749", "24880e55f11a65b7",
	  "4f904c2025c90c817ea5ff9b662a6fdb445a73b57cdf09eacd379b95e1f03cacb04cd6dee"
	  "da4f952191dd9bc1f7a9502471a648d74dc06d38112de48a42501f6b1a3ad55c2099cd9a6"
	  "48e5f17e5bf3e34bf9b5953decb768a34f875fe2b78dca0c2fcca81ec1a412006dfaed38f"
	  "a06882e61f4c148105fb8e231fdb33c4d484c001721d4" },
	{ IKE_PRF_HMAC_SHA2_512, "97c41a9b0a03e74c", "a659fd06e1746600",
	  "276255c3eaace5c6db32b609aa86c0ef07bba4bf2dc4c262995efd95ca607c3f",
	  "d6e74966b75fd2afab48be319d63d97c8a5d2ffe2e320763a462c664b36c3a944067d867c"
	  "3a55fd8a7e5cca64b22e24415987e15549f09a81b455adaa5303df8",
	  "bb4015f7727b35532021336a9e4a6370ac8729b01fbb8f15d52236820fac4709",
	  "ecdaf3ccb990abc898a453b03fd56f9975275f150e1e571b0560b3cb2ee67289e82b899cd"
	  "c2129fd821fe8aebea796f190765c25798f5883f923526551f16a4b",
	  "ff43c5c689b95481", "e2ba607f30079bb7",
	  "22259105314717dc73c210919ee9cb3ded774dc087e866aa3960404c0ed7b8e78e79b9938"
	  "88388e2e5cb238d4bfcb4cdee9da074a26e329d6c2f2f660cc9c711c941a2fb3d85a2e5d0"
	  "1e579c8f2c9d00fa6fabe76a137b00c7ff1b291899906588c26f073d819063238c4c844f0"
	  "f8d221b65b76dbc9ed6f6368e5dba86b3e81b60eb44a1" },
};

static void test_skeyseed_nist(void **state)
{
	uint8_t out[IKE_PRF_MAX_LEN];
	struct ike_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(nist) / sizeof(nist[0]); i++) {
		struct hexbuf ni = hx(nist[i].ni), nr = hx(nist[i].nr),
			      gir = hx(nist[i].gir), gir_new = hx(nist[i].gir_new),
			      dkm = hx(nist[i].dkm);
		size_t len = ike_prf_len(nist[i].prf);

		assert_int_equal(ike_skeyseed(nist[i].prf, ck(&ni), ck(&nr), ck(&gir),
					      out, &err), 0);
		assert_hex_equal(out, len, nist[i].skeyseed);

		/* §2.18: the old SA's SK_d keys the new SKEYSEED */
		assert_int_equal(ike_skeyseed_rekey(nist[i].prf, ike_chunk(dkm.b, len),
						    ck(&gir_new), ck(&ni), ck(&nr),
						    out, &err), 0);
		assert_hex_equal(out, len, nist[i].skeyseed_rekey);
	}
}

static void test_prf_plus_nist(void **state)
{
	uint8_t out[MAX];
	struct ike_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(nist) / sizeof(nist[0]); i++) {
		struct hexbuf ni = hx(nist[i].ni), nr = hx(nist[i].nr),
			      spi_i = hx(nist[i].spi_i), spi_r = hx(nist[i].spi_r),
			      seed = hx(nist[i].skeyseed), dkm = hx(nist[i].dkm);
		struct ike_chunk parts[] = { ck(&ni), ck(&nr), ck(&spi_i), ck(&spi_r) };
		/* one block, less than one block, several blocks with a partial one */
		size_t lens[] = { ike_prf_len(nist[i].prf), 15, 132 };

		for (size_t j = 0; j < 3; j++) {
			memset(out, 0, sizeof(out));
			assert_int_equal(ike_prf_plus(nist[i].prf, ck(&seed), parts, 4,
						      out, lens[j], &err), 0);
			assert_memory_equal(out, dkm.b, lens[j]);
			/* nothing written past the requested length */
			assert_int_equal(out[lens[j]], 0);
		}
	}
}

static void test_prf_plus_limits(void **state)
{
	static uint8_t out[255 * 32 + 1];
	struct ike_chunk seed = ike_chunk("s", 1);
	struct ike_error err;

	(void)state;
	/* the counter is one octet: 255 blocks at most */
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, ike_chunk("k", 1), &seed, 1,
				      out, 255 * 32, &err), 0);
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, ike_chunk("k", 1), &seed, 1,
				      out, 255 * 32 + 1, &err), -1);
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA1, ike_chunk("k", 1), &seed, 1,
				      out, 20, &err), -1);
}

/* ----------------------------------------------------------------- keys */

/*
 * The NIST prf+ output split as §2.14 orders it, for AES-CBC-128 with
 * HMAC-SHA2-256-128 and PRF-HMAC-SHA2-256: 32+32+32+16+16 = 128 bytes, and
 * the first 4 bytes of SK_pi, cover all 132 bytes of the vector.
 */
static void test_sa_keys_split_nist(void **state)
{
	const struct nist_ikev2 *v = &nist[0];
	struct ike_suite suite = {
		.protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_CBC,
		.encr_key_bits = 128, .integ = IKE_INTEG_HMAC_SHA2_256_128,
		.prf = IKE_PRF_HMAC_SHA2_256, .dh = IKE_DH_CURVE25519,
	};
	struct hexbuf ni = hx(v->ni), nr = hx(v->nr), seed = hx(v->skeyseed),
		      spi_i = hx(v->spi_i), spi_r = hx(v->spi_r), dkm = hx(v->dkm);
	struct ike_sa_keys keys;
	struct ike_error err;

	(void)state;
	assert_int_equal(ike_sa_keys_derive(&keys, &suite, ck(&seed), ck(&ni), ck(&nr),
					    ike_get_be64(spi_i.b), ike_get_be64(spi_r.b),
					    &err), 0);
	assert_int_equal(keys.sizes.prf_key, 32);
	assert_int_equal(keys.sizes.integ_key, 32);
	assert_int_equal(keys.sizes.encr_key, 16);
	assert_memory_equal(keys.sk_d, dkm.b, 32);
	assert_memory_equal(keys.sk_ai, dkm.b + 32, 32);
	assert_memory_equal(keys.sk_ar, dkm.b + 64, 32);
	assert_memory_equal(keys.sk_ei, dkm.b + 96, 16);
	assert_memory_equal(keys.sk_er, dkm.b + 112, 16);
	assert_memory_equal(keys.sk_pi, dkm.b + 128, 4);

	ike_sa_keys_clear(&keys);
	for (size_t i = 0; i < sizeof(keys.sk_d); i++)
		assert_int_equal(keys.sk_d[i], 0);
}

/* AEAD suite: no SK_a*, SK_e* carry the salt. Vector: gen_vectors.py */
static void test_sa_keys_aead(void **state)
{
	struct ike_suite suite = {
		.protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_GCM_16,
		.encr_key_bits = 256, .prf = IKE_PRF_HMAC_SHA2_384,
		.dh = IKE_DH_ECP_384,
	};
	uint8_t seed[48], ni[32], nr[32];
	struct ike_sa_keys keys;
	struct ike_error err;

	(void)state;
	for (int i = 0; i < 48; i++)
		seed[i] = (uint8_t)(0x01 + i);
	for (int i = 0; i < 32; i++) {
		ni[i] = (uint8_t)(0x21 + i);
		nr[i] = (uint8_t)(0x61 + i);
	}
	assert_int_equal(ike_sa_keys_derive(&keys, &suite, ike_chunk(seed, 48),
					    ike_chunk(ni, 32), ike_chunk(nr, 32),
					    0x1122334455667788ULL, 0x99aabbccddeeff00ULL,
					    &err), 0);
	assert_int_equal(keys.sizes.integ_key, 0);
	assert_hex_equal(keys.sk_d, keys.sizes.prf_key,
			 "2b4724e2bfceef975a4eb6532a581583dcd8f3b9670913fc71c695321bf1f103"
			 "601bc3092c953aea5b40e59d2800dfcb");
	assert_hex_equal(keys.sk_ei, keys.sizes.encr_key,
			 "d63ef2dbe82c860275cd270cca12271085ddc1373040aaece9a1c42bd4dd1c69"
			 "1f44a7d5");
	assert_hex_equal(keys.sk_er, keys.sizes.encr_key,
			 "17cf14685597e68327ac6f800773af1e3208a245c41ca95b94feaa3fe9beb02f"
			 "cd4e5895");
	assert_hex_equal(keys.sk_pi, keys.sizes.prf_key,
			 "f829627b68fe5c27ba11806016cb30aa6bb5d6c50c34e46d66b05013be9a41e1"
			 "6336bc704ca4d2e93a19cda4683054af");
	assert_hex_equal(keys.sk_pr, keys.sizes.prf_key,
			 "e54df8ff3698d86bf108a25a578cdc8f616086a87acf05eaeecc66e4d02b7e6c"
			 "57328e21ead6f0f2519f2ff26d74c7ae");
	ike_sa_keys_clear(&keys);
}

/* §2.17 KEYMAT split, with and without PFS. Vectors: gen_vectors.py */
static void test_child_keys(void **state)
{
	struct ike_suite gcm = { .protocol = IKE_PROTO_ESP, .encr = IKE_ENCR_AES_GCM_16,
				 .encr_key_bits = 256 };
	struct ike_suite cbc = { .protocol = IKE_PROTO_ESP, .encr = IKE_ENCR_AES_CBC,
				 .encr_key_bits = 128,
				 .integ = IKE_INTEG_HMAC_SHA2_256_128,
				 .dh = IKE_DH_CURVE25519 };
	uint8_t sk_d[32], ni[32], nr[32], gir[32];
	struct ike_child_keys keys;
	struct ike_error err;

	(void)state;
	for (int i = 0; i < 32; i++) {
		sk_d[i] = (uint8_t)(0x10 + i);
		ni[i] = (uint8_t)(0x40 + i);
		nr[i] = (uint8_t)(0x80 + i);
		gir[i] = (uint8_t)(0xc0 + i);
	}
	assert_int_equal(ike_child_keys_derive(&keys, &gcm, IKE_PRF_HMAC_SHA2_256,
					       ike_chunk(sk_d, 32), ike_chunk(NULL, 0),
					       ike_chunk(ni, 32), ike_chunk(nr, 32),
					       &err), 0);
	assert_hex_equal(keys.encr_i, keys.sizes.encr_key,
			 "af9e3904d836b96a34db4ca690f2adbbba6229694f1fc11c02fd030383050307734b437e");
	assert_hex_equal(keys.encr_r, keys.sizes.encr_key,
			 "2052d1ddc3fdd6b242aefc414a55139a324f4c2c6b4d6e73edf1773ac1abf1c817685365");
	assert_int_equal(keys.sizes.integ_key, 0);

	assert_int_equal(ike_child_keys_derive(&keys, &cbc, IKE_PRF_HMAC_SHA2_256,
					       ike_chunk(sk_d, 32), ike_chunk(gir, 32),
					       ike_chunk(ni, 32), ike_chunk(nr, 32),
					       &err), 0);
	assert_hex_equal(keys.encr_i, keys.sizes.encr_key, "2a286918d519a88f41819b5402e8633a");
	assert_hex_equal(keys.integ_i, keys.sizes.integ_key,
			 "85fea25587249c185d9f86e35215d4268bdf5c76ca8363ab3d87c400e36fe99f");
	assert_hex_equal(keys.encr_r, keys.sizes.encr_key, "cad3c11386ca77da0c7d7a71a7d630ed");
	assert_hex_equal(keys.integ_r, keys.sizes.integ_key,
			 "6f8e6aebbbd758d01f7965575e88b2abdfaf5a75a2ae64be8c232d26641ddd41");
	ike_child_keys_clear(&keys);

	/* an IKE suite is not a Child SA suite */
	gcm.protocol = IKE_PROTO_IKE;
	gcm.prf = IKE_PRF_HMAC_SHA2_256;
	assert_int_equal(ike_child_keys_derive(&keys, &gcm, IKE_PRF_HMAC_SHA2_256,
					       ike_chunk(sk_d, 32), ike_chunk(NULL, 0),
					       ike_chunk(ni, 32), ike_chunk(nr, 32),
					       &err), -1);
}

static void test_key_sizes(void **state)
{
	static const struct {
		uint16_t encr, bits, integ;
		size_t encr_key, integ_key, iv, icv, block;
	} v[] = {
		{ IKE_ENCR_AES_GCM_16, 128, 0, 20, 0, 8, 16, 1 },
		{ IKE_ENCR_AES_GCM_16, 256, 0, 36, 0, 8, 16, 1 },
		{ IKE_ENCR_CHACHA20_POLY1305, 0, 0, 36, 0, 8, 16, 1 },
		{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128, 16, 32, 16, 16, 16 },
		{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192, 32, 48, 16, 24, 16 },
		{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256, 32, 64, 16, 32, 16 },
	};
	struct ike_key_sizes sizes;
	struct ike_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct ike_suite s = { .protocol = IKE_PROTO_IKE, .encr = v[i].encr,
				       .encr_key_bits = v[i].bits, .integ = v[i].integ,
				       .prf = IKE_PRF_HMAC_SHA2_512 };

		assert_int_equal(ike_key_sizes_for(&sizes, &s, &err), 0);
		assert_int_equal(sizes.encr_key, v[i].encr_key);
		assert_int_equal(sizes.integ_key, v[i].integ_key);
		assert_int_equal(sizes.iv, v[i].iv);
		assert_int_equal(sizes.icv, v[i].icv);
		assert_int_equal(sizes.block, v[i].block);
		assert_int_equal(sizes.prf_key, 64);
	}
	{
		struct ike_suite s = { .protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_GCM_16,
				       .encr_key_bits = 256, .prf = IKE_PRF_HMAC_SHA2_256,
				       .integ = IKE_INTEG_HMAC_SHA2_256_128 };

		/* a MAC next to an AEAD cipher */
		assert_int_equal(ike_key_sizes_for(&sizes, &s, &err), -1);
		s.integ = 0;
		s.encr_key_bits = 100;
		assert_int_equal(ike_key_sizes_for(&sizes, &s, &err), -1);
		s.encr = IKE_ENCR_CHACHA20_POLY1305;
		s.encr_key_bits = 256;	/* fixed-size cipher, no Key Length */
		assert_int_equal(ike_key_sizes_for(&sizes, &s, &err), -1);
	}
}

/* ------------------------------------------------------------------- DH */

static void check_pair(uint16_t group, const char *priv, const char *pub,
		       const char *peer, const char *shared)
{
	struct hexbuf x = hx(priv), gx = hx(pub), gy = hx(peer);
	uint8_t out[IKE_DH_SHARED_MAX_LEN];
	struct ike_error err;
	struct ike_dh *dh;
	size_t len;

	dh = ike_dh_from_keypair(group, ck(&x), ck(&gx), &err);
	if (!dh)
		fail_msg("group %u: %s", group, err.text);
	assert_int_equal(ike_dh_group(dh), group);
	assert_int_equal(ike_dh_public(dh, out, sizeof(out), &len, &err), 0);
	assert_int_equal(len, ike_dh_public_len(group));
	assert_memory_equal(out, gx.b, gx.n);
	assert_int_equal(ike_dh_shared(dh, ck(&gy), out, sizeof(out), &len, &err), 0);
	assert_int_equal(len, ike_dh_shared_len(group));
	assert_hex_equal(out, len, shared);
	ike_dh_free(dh);
}

#define P256_I "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433"
#define P256_GI "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180" \
		"5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3"
#define P256_R "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53"
#define P256_GR "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63" \
		"56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB"
#define P256_GIR "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE"

/* RFC 5903 §8.1: the KE data is x | y, the shared secret x only. */
static void test_dh_rfc5903_p256(void **state)
{
	(void)state;
	assert_int_equal(ike_dh_public_len(IKE_DH_ECP_256), 64);
	check_pair(IKE_DH_ECP_256, P256_I, P256_GI, P256_GR, P256_GIR);
	check_pair(IKE_DH_ECP_256, P256_R, P256_GR, P256_GI, P256_GIR);
}

/* RFC 5903 §8.2 */
static void test_dh_rfc5903_p384(void **state)
{
	(void)state;
	assert_int_equal(ike_dh_public_len(IKE_DH_ECP_384), 96);
	check_pair(IKE_DH_ECP_384,
		   "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655"
		   "E35B5380 41E649EE 3FAEF896 783AB194",
		   "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72 B4C55EE6"
		   "DE3AC808 ACB4BDB4 C88732AE E95F41AA"
		   "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815 35A0F38E"
		   "EB9FCFF3 C2C947DA E69B4C63 4573A81C",
		   "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D"
		   "0D1AC43A 0336DEF9 6FDA41D0 774A3571"
		   "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF"
		   "F83FA401 42209DFF 5EAAD96D B9E6386C",
		   "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4"
		   "D6031355 69B9E9D0 9CF5D4A2 70F59746");
}

#define X25519_A "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define X25519_A_PUB "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define X25519_B "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define X25519_B_PUB "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define X25519_K "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

/* RFC 7748 §6.1, in the encoding of RFC 8031 §2 (raw 32 bytes) */
static void test_dh_rfc7748_x25519(void **state)
{
	struct hexbuf a = hx(X25519_A);
	uint8_t out[32];
	struct ike_error err;
	struct ike_dh *dh;
	size_t len;

	(void)state;
	check_pair(IKE_DH_CURVE25519, X25519_A, X25519_A_PUB, X25519_B_PUB, X25519_K);
	check_pair(IKE_DH_CURVE25519, X25519_B, X25519_B_PUB, X25519_A_PUB, X25519_K);
	/* the public value may be left out: it follows from the private key */
	dh = ike_dh_from_keypair(IKE_DH_CURVE25519, ck(&a), ike_chunk(NULL, 0), &err);
	assert_non_null(dh);
	assert_int_equal(ike_dh_public(dh, out, sizeof(out), &len, &err), 0);
	assert_hex_equal(out, len, X25519_A_PUB);
	ike_dh_free(dh);
}

/*
 * MODP-2048 with a public value and a shared secret that both begin with a
 * zero byte: §3.4 and §2.14 want them padded to the modulus length.
 * Vector: gen_vectors.py (plain modular exponentiation in Python).
 */
#define MODP_X "181d331486e34fc4309622d91e1ea7d4a5f44404c2d74b17326fdbf755d0c829"
#define MODP_GX \
	"0080914b7ff96636e2ac2dd6e241af33e68bdf349db32a594039cf427017164c0954d206c0bf2340570402aabfbdfd88" \
	"1f26f7f4aa29c4fa9766b50b8a886ece92572fb177ab7e5565fca42bd53946aa4fac2ec385933ad2e195e0ffb767470c" \
	"9df0a2e04366a39c08413e42a648f2a445cbeb711a07aadda56f3c6fe6e894c458160af73ebace6b5f727a7700c6ef58" \
	"94823a9e67e088a5b326901b3133de881b713847c4f530b157ac4dca42c7e563282928c302f1459a1c38590e7817c6e6" \
	"00eb1e59b0b468376faf78ffb81ea6ef0661e1f061ca0d73e43739b9a2b448fc6cc24181ff1ba39e6d48f3c012b8f8a0" \
	"cfbb6aaac67c4b26eea305717ddebe47"
#define MODP_GY \
	"6b4ace6b13ac790eff7cf02e878a9d9e164f7d7698753516f83b0dbeb1ad0a32051d337d835e4d8e6b903ada96c7c3d2" \
	"86be3295dbbd355be864fae96510d3167bf3a5f83a97dd753421a003d6b83ec6e1b0f0d4dfefda7a807297616101ae45" \
	"31daaf31b36440084fc714b3a4ef3f5d4665ca56ac9dcf10cb9850adb69de6c907df3589336acc50a6f7f6ec8796c6b4" \
	"388f32725c2594b7dc00e161085948ae2a36be09d3910eef2230479feb582da6e4d1b7ea4f59946777570421e76cbb32" \
	"2310688540ab5ac0c8bd16c04637bd39e511cb6245a2df721fc928e49d0f9a35d79da4f25cc626a065cb8782ac17186a" \
	"32af7cf4022a8fa1a91c978579afc74c"
#define MODP_GXY \
	"006d014fc1a05ec4183f460e36141e274efb9dc145b3678165a7555a46913612a322a53c9114dae79d7cb3db6501e334" \
	"bca73d8f0aeb89e6f0a3c8d4ed72f6153973f22eaa31c5bacb79419bd4bf8a5ca2ca04d7bef50961c95bf963f04320a3" \
	"395c17a111895ba87164d7fbea20a8fee16f68d5e64ff00b214090700dfb7e8be8a586c4fd7c0402a722567c31082e91" \
	"b9d11f84ca05ea0cc0216ea3361146ec315e57b1d5caf3f6c5376ef7c3a026124e0e2158319bc0563729530fee51cf50" \
	"c20288f8a59dc64aadc0135b1487ff1cd1d862b8553e5fd3aceb2e54a571b12c406adce0a00f8db079f86c8decb83cc6" \
	"2c4ad0c250d4c4777e86192c3d76bad2"
/* RFC 3526 §3, the 2048-bit MODP prime */
#define MODP_P \
	"ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd" \
	"ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed" \
	"ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f" \
	"83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b" \
	"e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510" \
	"15728e5a8aacaa68ffffffffffffffff"

static void test_dh_modp2048_vector(void **state)
{
	(void)state;
	assert_int_equal(ike_dh_public_len(IKE_DH_MODP_2048), 256);
	check_pair(IKE_DH_MODP_2048, MODP_X, MODP_GX, MODP_GY, MODP_GXY);
}

/* Fresh key pairs of every group agree with each other. */
static void test_dh_generate_agree(void **state)
{
	static const uint16_t groups[] = { IKE_DH_MODP_2048, IKE_DH_ECP_256,
					   IKE_DH_ECP_384, IKE_DH_CURVE25519 };
	uint8_t pa[IKE_DH_PUBLIC_MAX_LEN], pb[IKE_DH_PUBLIC_MAX_LEN];
	uint8_t sa[IKE_DH_SHARED_MAX_LEN], sb[IKE_DH_SHARED_MAX_LEN];
	struct ike_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct ike_dh *a = ike_dh_generate(groups[i], &err);
		struct ike_dh *b = ike_dh_generate(groups[i], &err);
		size_t la, lb, lsa, lsb;

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(ike_dh_public(a, pa, sizeof(pa), &la, &err), 0);
		assert_int_equal(ike_dh_public(b, pb, sizeof(pb), &lb, &err), 0);
		assert_int_equal(la, ike_dh_public_len(groups[i]));
		assert_false(la == lb && !memcmp(pa, pb, la));
		assert_int_equal(ike_dh_shared(a, ike_chunk(pb, lb), sa, sizeof(sa), &lsa, &err), 0);
		assert_int_equal(ike_dh_shared(b, ike_chunk(pa, la), sb, sizeof(sb), &lsb, &err), 0);
		assert_int_equal(lsa, ike_dh_shared_len(groups[i]));
		assert_int_equal(lsa, lsb);
		assert_memory_equal(sa, sb, lsa);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	assert_null(ike_dh_generate(IKE_DH_MODP_3072, &err));
	assert_false(ike_dh_supported(IKE_DH_CURVE448));
}

/* What a peer sends is checked before it is used. */
static void test_dh_rejects_bad_peer_values(void **state)
{
	struct hexbuf i = hx(P256_I), gi = hx(P256_GI), gr = hx(P256_GR);
	struct hexbuf x = hx(MODP_X), gx = hx(MODP_GX), p = hx(MODP_P);
	struct hexbuf a = hx(X25519_A);
	uint8_t out[IKE_DH_SHARED_MAX_LEN], bad[IKE_DH_PUBLIC_MAX_LEN];
	struct ike_error err;
	struct ike_dh *dh;
	size_t len;

	(void)state;
	dh = ike_dh_from_keypair(IKE_DH_ECP_256, ck(&i), ck(&gi), &err);
	assert_non_null(dh);
	/* wrong length, including the SEC1 form with its 0x04 octet */
	assert_int_equal(ike_dh_shared(dh, ike_chunk(gr.b, 63), out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	bad[0] = 0x04;
	memcpy(bad + 1, gr.b, 64);
	assert_int_equal(ike_dh_shared(dh, ike_chunk(bad, 65), out, sizeof(out), &len, &err), -1);
	/* a point off the curve */
	memcpy(bad, gr.b, 64);
	bad[63] ^= 1;
	assert_int_equal(ike_dh_shared(dh, ike_chunk(bad, 64), out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	ike_dh_free(dh);

	/* MODP: 0, 1 and p-1 are not acceptable public values */
	dh = ike_dh_from_keypair(IKE_DH_MODP_2048, ck(&x), ck(&gx), &err);
	assert_non_null(dh);
	memset(bad, 0, 256);
	assert_int_equal(ike_dh_shared(dh, ike_chunk(bad, 256), out, sizeof(out), &len, &err), -1);
	bad[255] = 1;
	assert_int_equal(ike_dh_shared(dh, ike_chunk(bad, 256), out, sizeof(out), &len, &err), -1);
	memcpy(bad, p.b, 256);
	bad[255] -= 1;
	assert_int_equal(ike_dh_shared(dh, ike_chunk(bad, 256), out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	ike_dh_free(dh);

	/* X25519: the zero point gives an all-zero secret (RFC 8031 §2.3) */
	dh = ike_dh_from_keypair(IKE_DH_CURVE25519, ck(&a), ike_chunk(NULL, 0), &err);
	assert_non_null(dh);
	memset(bad, 0, 32);
	assert_int_equal(ike_dh_shared(dh, ike_chunk(bad, 32), out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	ike_dh_free(dh);
}

static void test_dh_keypair_must_match(void **state)
{
	struct hexbuf i = hx(P256_I), gr = hx(P256_GR), gi = hx(P256_GI);
	struct hexbuf a = hx(X25519_A), b_pub = hx(X25519_B_PUB);
	struct hexbuf x = hx(MODP_X), gy = hx(MODP_GY);
	struct ike_error err;

	(void)state;
	assert_null(ike_dh_from_keypair(IKE_DH_ECP_256, ck(&i), ck(&gr), &err));
	assert_null(ike_dh_from_keypair(IKE_DH_CURVE25519, ck(&a), ck(&b_pub), &err));
	assert_null(ike_dh_from_keypair(IKE_DH_MODP_2048, ck(&x), ck(&gy), &err));
	/* the public value of the wrong group size */
	assert_null(ike_dh_from_keypair(IKE_DH_ECP_384, ck(&i), ck(&gi), &err));
}

/* ------------------------------------------------------------------- SK */

/* Build header + SK around @plain and encrypt; returns the message length. */
static size_t seal(const struct ike_sk_cipher *c, const struct ike_header *hdr,
		   uint8_t inner_next, const uint8_t *plain, size_t plain_len,
		   const uint8_t *iv, uint8_t *buf, size_t cap, size_t *sk_off)
{
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	ike_builder_init_message(&b, buf, cap, hdr);
	assert_int_equal(ike_build_sk(&b, inner_next, ike_sk_body_len(c, plain_len),
				      sk_off), 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	if (ike_sk_encrypt(c, buf, len, *sk_off, plain, plain_len, iv, &err) < 0)
		fail_msg("%s", err.text);
	return len;
}

/*
 * RFC 7634 Appendix B: an INFORMATIONAL request carrying
 * N(SET_WINDOW_SIZE=10) protected with ChaCha20-Poly1305.
 */
static void test_sk_rfc7634_ikev2(void **state)
{
	struct ike_header hdr = {
		.spi_i = 0xc0c1c2c3c4c5c6c7ULL, .spi_r = 0xd0d1d2d3d4d5d6d7ULL,
		.major_version = 2, .exchange = IKE_EXCHANGE_INFORMATIONAL,
		.flags = 0, .message_id = 9,
	};
	struct ike_suite suite = { .protocol = IKE_PROTO_IKE,
				   .encr = IKE_ENCR_CHACHA20_POLY1305,
				   .prf = IKE_PRF_HMAC_SHA2_256 };
	struct hexbuf key = hx("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
			       "a0a1a2a3");
	struct hexbuf iv = hx("1011121314151617");
	const char *expect =
		/* IKE header and SK generic header: the AAD */
		"c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e202500000000090000004529000029"
		/* IV */
		"1011121314151617"
		/* ciphertext and ICV */
		"610394701f8d017f7c12924889" "6b71bfe25236efd7cdc67066906315b2";
	uint8_t inner[64], buf[256], plain[256], window[4];
	const struct ike_payload *n;
	struct ike_sk_cipher c;
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t inner_len, len, sk_off, plain_len;

	(void)state;
	assert_int_equal(ike_sk_cipher_init(&c, &suite, key.b, NULL, &err), 0);
	ike_put_be32(window, 10);
	ike_builder_init_chain(&b, inner, sizeof(inner));
	ike_build_notify(&b, 0, 0, 0, IKE_N_SET_WINDOW_SIZE, window, 4);
	assert_int_equal(ike_builder_finish(&b, &inner_len, &err), 0);

	len = seal(&c, &hdr, b.first_payload, inner, inner_len, iv.b, buf,
		   sizeof(buf), &sk_off);
	assert_hex_equal(buf, len, expect);

	/* and back */
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	n = ike_message_find(&msg, IKE_PAYLOAD_SK);
	assert_int_equal(ike_sk_decrypt(&c, buf, len, n->u.sk.header_offset, plain,
					sizeof(plain), &plain_len, &err), 0);
	assert_int_equal(plain_len, 12);
	assert_int_equal(ike_message_parse_inner(&msg, plain, plain_len, &err), 0);
	n = ike_message_find_notify(&msg, IKE_N_SET_WINDOW_SIZE);
	assert_non_null(n);
	assert_int_equal(ike_get_be32(n->u.notify.data.ptr), 10);
}

/* Independent vectors (gen_vectors.py): INFORMATIONAL with Delete(ESP 0x12345678). */
static const struct sk_vector {
	const char *name;
	struct ike_suite suite;
	uint8_t key_start, integ_start;	/* keys are counting byte patterns */
	uint8_t iv_start;
	const char *message;
} sk_vectors[] = {
	{ "aes128gcm16", { .protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_GCM_16,
			   .encr_key_bits = 128, .prf = IKE_PRF_HMAC_SHA2_256 },
	  0x00, 0, 0xa0,
	  "000102030405060708090a0b0c0d0e0f2e20250800000002000000452a000029a0a1a2a3a4a5a6a7"
	  "d2f9c753cd0fdd569f29a53c4e8db46a922ba82bff1cd37ec44ed7c2aa" },
	{ "aes256gcm16", { .protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_GCM_16,
			   .encr_key_bits = 256, .prf = IKE_PRF_HMAC_SHA2_256 },
	  0x20, 0, 0xa0,
	  "000102030405060708090a0b0c0d0e0f2e20250800000002000000452a000029a0a1a2a3a4a5a6a7"
	  "638fc787452ee93d3d6cff9f9aa55104a2a521543f95cb62c3f343ac2b" },
	{ "chacha20poly1305", { .protocol = IKE_PROTO_IKE,
				.encr = IKE_ENCR_CHACHA20_POLY1305,
				.prf = IKE_PRF_HMAC_SHA2_256 },
	  0x40, 0, 0xa0,
	  "000102030405060708090a0b0c0d0e0f2e20250800000002000000452a000029a0a1a2a3a4a5a6a7"
	  "2238ba783c4e323aa9f3add287940e6ebe084427c7e8bf6229dda1e768" },
	{ "aes128-sha256", { .protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_CBC,
			     .encr_key_bits = 128, .integ = IKE_INTEG_HMAC_SHA2_256_128,
			     .prf = IKE_PRF_HMAC_SHA2_256 },
	  0x60, 0x70, 0xb0,
	  "000102030405060708090a0b0c0d0e0f2e20250800000002000000502a000034b0b1b2b3b4b5b6b7"
	  "b8b9babbbcbdbebfe835780e9664593cca1cfd99269f33dbe5a56f5b2b7480909ee95bf9d3cd1e7d" },
	{ "aes256-sha512", { .protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_CBC,
			     .encr_key_bits = 256, .integ = IKE_INTEG_HMAC_SHA2_512_256,
			     .prf = IKE_PRF_HMAC_SHA2_256 },
	  0x80, 0x90, 0xb0,
	  "000102030405060708090a0b0c0d0e0f2e20250800000002000000602a000044b0b1b2b3b4b5b6b7"
	  "b8b9babbbcbdbebf99543f64d2c422270e1329dcb40dd4972ddecec60804b38e90fea63538a25f0a"
	  "66ca774c56712b1bcd753787bd49b0df" },
};

static const struct ike_header sk_vector_header = {
	.spi_i = 0x0001020304050607ULL, .spi_r = 0x08090a0b0c0d0e0fULL,
	.major_version = 2, .exchange = IKE_EXCHANGE_INFORMATIONAL,
	.flags = IKE_FLAG_INITIATOR, .message_id = 2,
};

static void pattern(uint8_t *p, size_t n, uint8_t start)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

static void test_sk_vectors(void **state)
{
	uint8_t ekey[IKE_ENCR_KEY_MAX_LEN], akey[IKE_INTEG_KEY_MAX_LEN], iv[16];
	uint8_t inner[64], buf[256], plain[256], spi[4];
	const struct ike_payload *p;
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t inner_len, len, sk_off, plain_len;

	(void)state;
	ike_put_be32(spi, 0x12345678);
	ike_builder_init_chain(&b, inner, sizeof(inner));
	ike_build_delete(&b, IKE_PROTO_ESP, 4, 1, spi);
	assert_int_equal(ike_builder_finish(&b, &inner_len, &err), 0);

	for (size_t i = 0; i < sizeof(sk_vectors) / sizeof(sk_vectors[0]); i++) {
		const struct sk_vector *v = &sk_vectors[i];
		struct ike_sk_cipher c;

		pattern(ekey, sizeof(ekey), v->key_start);
		pattern(akey, sizeof(akey), v->integ_start);
		pattern(iv, sizeof(iv), v->iv_start);
		assert_int_equal(ike_sk_cipher_init(&c, &v->suite, ekey, akey, &err), 0);
		len = seal(&c, &sk_vector_header, IKE_PAYLOAD_DELETE, inner, inner_len,
			   iv, buf, sizeof(buf), &sk_off);
		assert_hex_equal(buf, len, v->message);

		assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
		assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain, sizeof(plain),
						&plain_len, &err), 0);
		assert_int_equal(plain_len, inner_len);
		assert_int_equal(ike_message_parse_inner(&msg, plain, plain_len, &err), 0);
		p = ike_message_find(&msg, IKE_PAYLOAD_DELETE);
		assert_non_null(p);
		assert_int_equal(ike_get_be32(p->u.del.spis.ptr), 0x12345678);
	}
}

/* Every suite, plaintext sizes around the block size, then tampering. */
static void test_sk_round_trip_and_tamper(void **state)
{
	static const size_t sizes[] = { 0, 1, 14, 15, 16, 17, 100, 1000 };
	uint8_t ekey[IKE_ENCR_KEY_MAX_LEN], akey[IKE_INTEG_KEY_MAX_LEN], iv[16];
	uint8_t data[1000], buf[1200], plain[1200];
	struct ike_error err;

	(void)state;
	pattern(data, sizeof(data), 7);
	pattern(ekey, sizeof(ekey), 0x33);
	pattern(akey, sizeof(akey), 0x55);
	pattern(iv, sizeof(iv), 0x77);
	for (size_t i = 0; i < sizeof(sk_vectors) / sizeof(sk_vectors[0]); i++) {
		const struct ike_suite *suite = &sk_vectors[i].suite;
		struct ike_sk_cipher c, other;
		uint8_t other_ekey[IKE_ENCR_KEY_MAX_LEN], other_akey[IKE_INTEG_KEY_MAX_LEN];

		assert_int_equal(ike_sk_cipher_init(&c, suite, ekey, akey, &err), 0);
		/* the peer's keys for the other direction, say */
		memcpy(other_ekey, ekey, sizeof(other_ekey));
		memcpy(other_akey, akey, sizeof(other_akey));
		other_ekey[0] ^= 0x80;
		other_akey[0] ^= 0x80;
		assert_int_equal(ike_sk_cipher_init(&other, suite, other_ekey, other_akey,
						    &err), 0);

		for (size_t j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			size_t n = sizes[j], len, sk_off, plain_len, body;

			len = seal(&c, &sk_vector_header, IKE_PAYLOAD_NONE, data, n, iv,
				   buf, sizeof(buf), &sk_off);
			body = len - sk_off - IKE_PAYLOAD_HEADER_LEN;
			assert_int_equal((body - c.sizes.iv - c.sizes.icv) % c.sizes.block, 0);
			assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain,
							sizeof(plain), &plain_len, &err), 0);
			assert_int_equal(plain_len, n);
			assert_memory_equal(plain, data, n);

			/* the wrong key */
			assert_int_equal(ike_sk_decrypt(&other, buf, len, sk_off, plain,
							sizeof(plain), &plain_len, &err), -1);
			assert_int_equal(err.notify, 0);

			/* any flipped bit: header (AAD / MAC input), IV, ciphertext, ICV */
			for (size_t pos = 0; pos < len; pos += 1 + len / 16) {
				buf[pos] ^= 0x01;
				assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain,
								sizeof(plain), &plain_len,
								&err), -1);
				buf[pos] ^= 0x01;
			}
			buf[len - 1] ^= 0x80;
			assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain,
							sizeof(plain), &plain_len, &err), -1);
		}
	}
}

/* Keys derived for an IKE SA protect each direction with its own keys. */
static void test_sk_directions(void **state)
{
	struct ike_suite suite = { .protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_CBC,
				   .encr_key_bits = 256,
				   .integ = IKE_INTEG_HMAC_SHA2_384_192,
				   .prf = IKE_PRF_HMAC_SHA2_384, .dh = IKE_DH_ECP_384 };
	uint8_t seed[48] = { 1 }, ni[32] = { 2 }, nr[32] = { 3 }, iv[16] = { 4 };
	uint8_t buf[256], plain[256], data[40] = { 5 };
	struct ike_sk_cipher from_i, from_r;
	struct ike_sa_keys keys;
	struct ike_error err;
	size_t len, sk_off, plain_len;

	(void)state;
	assert_int_equal(ike_sa_keys_derive(&keys, &suite, ike_chunk(seed, 48),
					    ike_chunk(ni, 32), ike_chunk(nr, 32), 1, 2,
					    &err), 0);
	assert_int_equal(ike_sk_cipher_from_keys(&from_i, &keys, true, &err), 0);
	assert_int_equal(ike_sk_cipher_from_keys(&from_r, &keys, false, &err), 0);
	assert_ptr_equal(from_i.encr_key, keys.sk_ei);
	assert_ptr_equal(from_r.integ_key, keys.sk_ar);

	len = seal(&from_i, &sk_vector_header, IKE_PAYLOAD_NONE, data, sizeof(data),
		   iv, buf, sizeof(buf), &sk_off);
	assert_int_equal(ike_sk_decrypt(&from_i, buf, len, sk_off, plain, sizeof(plain),
					&plain_len, &err), 0);
	assert_int_equal(ike_sk_decrypt(&from_r, buf, len, sk_off, plain, sizeof(plain),
					&plain_len, &err), -1);
	ike_sa_keys_clear(&keys);
}

static void test_sk_rejects_malformed(void **state)
{
	const struct ike_suite *cbc = &sk_vectors[3].suite, *gcm = &sk_vectors[0].suite;
	uint8_t ekey[IKE_ENCR_KEY_MAX_LEN], akey[IKE_INTEG_KEY_MAX_LEN];
	uint8_t buf[256], plain[256], data[20] = { 0 }, iv[16] = { 0 };
	struct ike_sk_cipher c;
	struct ike_builder b;
	struct ike_error err;
	size_t len, sk_off, plain_len;
	uint8_t mac[EVP_MAX_MD_SIZE];
	size_t mac_len = 0;
	EVP_CIPHER_CTX *ctx;
	int n;

	(void)state;
	pattern(ekey, sizeof(ekey), 1);
	pattern(akey, sizeof(akey), 2);
	assert_int_equal(ike_sk_cipher_init(&c, gcm, ekey, NULL, &err), 0);

	/* encrypt: the reserved body must fit the plaintext exactly */
	ike_builder_init_message(&b, buf, sizeof(buf), &sk_vector_header);
	ike_build_sk(&b, 0, ike_sk_body_len(&c, sizeof(data)) + 1, &sk_off);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_sk_encrypt(&c, buf, len, sk_off, data, sizeof(data), iv,
					&err), -1);

	/* decrypt: an SK body too short for IV and ICV */
	ike_builder_init_message(&b, buf, sizeof(buf), &sk_vector_header);
	ike_build_sk(&b, 0, 8 + 16, &sk_off);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain, sizeof(plain),
					&plain_len, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	/* the SK length must reach the end of the message */
	assert_int_equal(ike_sk_decrypt(&c, buf, len - 1, sk_off, plain, sizeof(plain),
					&plain_len, &err), -1);

	/* CBC: ciphertext not a whole number of blocks */
	assert_int_equal(ike_sk_cipher_init(&c, cbc, ekey, akey, &err), 0);
	assert_int_equal(ike_sk_cipher_init(&c, cbc, ekey, NULL, &err), -1);
	assert_int_equal(ike_sk_cipher_init(&c, cbc, ekey, akey, &err), 0);
	ike_builder_init_message(&b, buf, sizeof(buf), &sk_vector_header);
	ike_build_sk(&b, 0, 16 + 20 + 16, &sk_off);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain, sizeof(plain),
					&plain_len, &err), -1);
	assert_non_null(strstr(err.text, "not whole blocks"));

	/*
	 * CBC: authentic message whose pad length claims more than the block
	 * (made by hand with EVP, as ike_sk_encrypt pads correctly).
	 */
	ike_builder_init_message(&b, buf, sizeof(buf), &sk_vector_header);
	ike_build_sk(&b, 0, 16 + 16 + 16, &sk_off);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	memset(plain, 0, 16);
	plain[15] = 16;		/* 16 + 1 > 16 */
	ctx = EVP_CIPHER_CTX_new();
	assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, ekey,
					    buf + sk_off + 4), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_EncryptUpdate(ctx, buf + sk_off + 4 + 16, &n, plain, 16), 1);
	EVP_CIPHER_CTX_free(ctx);
	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA2-256", NULL, akey, 32, buf,
				  len - 16, mac, sizeof(mac), &mac_len));
	memcpy(buf + len - 16, mac, 16);
	assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain, sizeof(plain),
					&plain_len, &err), -1);
	assert_non_null(strstr(err.text, "padding"));
	/* with a sane pad length the same construction decrypts */
	plain[15] = 15;
	ctx = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, ekey, buf + sk_off + 4);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	EVP_EncryptUpdate(ctx, buf + sk_off + 4 + 16, &n, plain, 16);
	EVP_CIPHER_CTX_free(ctx);
	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA2-256", NULL, akey, 32, buf,
				  len - 16, mac, sizeof(mac), &mac_len));
	memcpy(buf + len - 16, mac, 16);
	assert_int_equal(ike_sk_decrypt(&c, buf, len, sk_off, plain, sizeof(plain),
					&plain_len, &err), 0);
	assert_int_equal(plain_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prf_rfc4231),
		cmocka_unit_test(test_skeyseed_nist),
		cmocka_unit_test(test_prf_plus_nist),
		cmocka_unit_test(test_prf_plus_limits),
		cmocka_unit_test(test_sa_keys_split_nist),
		cmocka_unit_test(test_sa_keys_aead),
		cmocka_unit_test(test_child_keys),
		cmocka_unit_test(test_key_sizes),
		cmocka_unit_test(test_dh_rfc5903_p256),
		cmocka_unit_test(test_dh_rfc5903_p384),
		cmocka_unit_test(test_dh_rfc7748_x25519),
		cmocka_unit_test(test_dh_modp2048_vector),
		cmocka_unit_test(test_dh_generate_agree),
		cmocka_unit_test(test_dh_rejects_bad_peer_values),
		cmocka_unit_test(test_dh_keypair_must_match),
		cmocka_unit_test(test_sk_rfc7634_ikev2),
		cmocka_unit_test(test_sk_vectors),
		cmocka_unit_test(test_sk_round_trip_and_tamper),
		cmocka_unit_test(test_sk_directions),
		cmocka_unit_test(test_sk_rejects_malformed),
	};

	return run_tap_tests("crypto", tests);
}
