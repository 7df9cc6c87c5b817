#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Independent computation of the IKEv2 vectors in tests/test_crypto.c that no
RFC or NIST file publishes: written from the RFC text with Python's hmac and
the 'cryptography' package, sharing no code with ike/. Run it to reproduce
the numbers (it is documentation, not part of `make check`):

    python3 tests/vectors/gen_vectors.py

The MODP-2048 prime is rebuilt from its definition in RFC 3526 §3.
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305


def prf(digest, key, data):
    return hmac.new(key, data, digest).digest()


def prf_plus(digest, key, seed, length):
    out, t, n = b"", b"", 1
    while len(out) < length:
        t = prf(digest, key, t + seed + bytes([n]))
        out += t
        n += 1
    return out[:length]


def pattern(start, n):
    return bytes((start + i) & 0xFF for i in range(n))


def show(name, data):
    print(f'{name} ({len(data)}): "{data.hex()}"')


def modp_2048_prime():
    # p = 2^2048 - 2^1984 - 1 + 2^64 * ( [2^1918 pi] + 124476 )
    bits = 1918
    one = 1 << (bits + 64)

    def atan_inv(x):
        s, t, n, sign = 0, one // x, 1, 1
        while t:
            s += sign * (t // n)
            t //= x * x
            n += 2
            sign = -sign
        return s

    pi = (16 * atan_inv(5) - 4 * atan_inv(239)) >> 64
    return 2**2048 - 2**1984 - 1 + 2**64 * (pi + 124476)


def modp_vector():
    """A key pair whose public value and shared secret both start with a
    zero byte, so the left padding of §3.4 and §2.14 is exercised."""
    p = modp_2048_prime()
    enc = lambda v: v.to_bytes(256, "big")
    counter = 0

    def candidates():
        nonlocal counter
        while True:
            counter += 1
            yield int.from_bytes(hashlib.sha256(b"vesp modp %d" % counter).digest(), "big")

    gen = candidates()
    x = next(v for v in gen if enc(pow(2, v, p))[0] == 0)
    gx = pow(2, x, p)
    y = next(v for v in gen if enc(pow(gx, v, p))[0] == 0)
    gy = pow(2, y, p)
    show("modp x", x.to_bytes(32, "big"))
    show("modp g^x", enc(gx))
    show("modp g^y", enc(gy))
    show("modp g^xy", enc(pow(gy, x, p)))


def child_vectors():
    """§2.17: KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr), split i->r then r->i,
    encryption key before integrity key."""
    sk_d, ni, nr, gir = pattern(0x10, 32), pattern(0x40, 32), pattern(0x80, 32), pattern(0xC0, 32)
    km = prf_plus(hashlib.sha256, sk_d, ni + nr, 72)
    show("child gcm256 encr_i", km[:36])
    show("child gcm256 encr_r", km[36:72])
    km = prf_plus(hashlib.sha256, sk_d, gir + ni + nr, 96)
    show("child cbc128/sha256 pfs encr_i", km[:16])
    show("child cbc128/sha256 pfs integ_i", km[16:48])
    show("child cbc128/sha256 pfs encr_r", km[48:64])
    show("child cbc128/sha256 pfs integ_r", km[64:96])


def sa_keys_vector():
    """§2.14 with an AEAD suite (no SK_a*): AES-GCM-256 + PRF-HMAC-SHA2-384."""
    skeyseed, ni, nr = pattern(0x01, 48), pattern(0x21, 32), pattern(0x61, 32)
    spis = struct.pack(">QQ", 0x1122334455667788, 0x99AABBCCDDEEFF00)
    km = prf_plus(hashlib.sha384, skeyseed, ni + nr + spis, 3 * 48 + 2 * 36)
    show("sa sk_d", km[0:48])
    show("sa sk_ei", km[48:84])
    show("sa sk_er", km[84:120])
    show("sa sk_pi", km[120:168])
    show("sa sk_pr", km[168:216])


def sk_message(inner_next, body_len):
    """IKE header (INFORMATIONAL, initiator, message ID 2) and SK header."""
    total = 28 + 4 + body_len
    hdr = struct.pack(">QQBBBBII", 0x0001020304050607, 0x08090A0B0C0D0E0F,
                      46, 0x20, 37, 0x08, 2, total)
    return hdr + struct.pack(">BBH", inner_next, 0, 4 + body_len)


# The inner payload: Delete of one ESP SPI (§3.11)
INNER = struct.pack(">BBHBBHI", 0, 0, 12, 3, 4, 1, 0x12345678)


def sk_aead(name, aead, key_salt, key_len):
    iv = pattern(0xA0, 8)
    plain = INNER + b"\x00"                    # no padding, pad length 0
    head = sk_message(42, 8 + len(plain) + 16)
    nonce = key_salt[key_len:] + iv
    ct = aead(key_salt[:key_len]).encrypt(nonce, plain, head)   # ct | tag
    show(f"sk {name} message", head + iv + ct)


def sk_cbc(name, key, integ_key, digest, icv_len):
    iv = pattern(0xB0, 16)
    pad = (16 - (len(INNER) + 1) % 16) % 16
    plain = INNER + bytes(pad) + bytes([pad])   # zero padding (§3.14)
    head = sk_message(42, 16 + len(plain) + icv_len)
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ct = enc.update(plain) + enc.finalize()
    msg = head + iv + ct
    show(f"sk {name} message", msg + hmac.new(integ_key, msg, digest).digest()[:icv_len])


if __name__ == "__main__":
    modp_vector()
    child_vectors()
    sa_keys_vector()
    sk_aead("aes128gcm16", AESGCM, pattern(0x00, 20), 16)
    sk_aead("aes256gcm16", AESGCM, pattern(0x20, 36), 32)
    sk_aead("chacha20poly1305", ChaCha20Poly1305, pattern(0x40, 36), 32)
    sk_cbc("aes128-sha256", pattern(0x60, 16), pattern(0x70, 32), hashlib.sha256, 16)
    sk_cbc("aes256-sha512", pattern(0x80, 32), pattern(0x90, 64), hashlib.sha512, 32)
    for d in (hashlib.sha256, hashlib.sha384, hashlib.sha512):
        # RFC 4231 test case 2, as a cross-check of this script's HMAC
        show(f"rfc4231 tc2 {d().name}", prf(d, b"Jefe", b"what do ya want for nothing?"))
