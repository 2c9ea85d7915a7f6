/*
 * crypto: the one door to OpenSSL's libcrypto.  Digests, HMAC and PBKDF2
 * (for SCRAM, lib/scram.c), random bytes; TLS helpers join later.  Nothing
 * else in libdh includes OpenSSL headers.  The functions cannot fail except
 * by aborting (OpenSSL out of memory), and dh_random_bytes.
 */
#ifndef DH_CRYPTO_H
#define DH_CRYPTO_H
#include <stddef.h>

/* SHA-256 of p[0..n) into out[32]. */
void dh_sha256(const void *p, size_t n, unsigned char out[32]);
/* SHA-224, -256, -384 or -512 (bits) of p[0..n) into out (64 bytes of
 * room); returns the digest's length. */
size_t dh_sha2(int bits, const void *p, size_t n, unsigned char *out);
/* MD5 of p[0..n) into out[16].  Not for security: for formats that are
 * defined with MD5, such as sqllogictest's result hashes. */
void dh_md5(const void *p, size_t n, unsigned char out[16]);
/* Fill out[0..n) with cryptographically strong random bytes; 0 or DH_EIO. */
int dh_random_bytes(void *out, size_t n);
/* HMAC-SHA-256 (RFC 2104) of p[0..n) under key[0..keylen) into out[32]. */
void dh_hmac_sha256(const void *key, size_t keylen, const void *p, size_t n,
		    unsigned char out[32]);
/* PBKDF2 (RFC 8018) with HMAC-SHA-256: outlen bytes derived from the
 * password and salt in iterations rounds (>= 1) into out.  SCRAM's Hi()
 * is this with outlen 32. */
void dh_pbkdf2_sha256(const void *pass, size_t passlen, const void *salt, size_t saltlen,
		      unsigned iterations, unsigned char *out, size_t outlen);
/* 1 when a[0..n) and b[0..n) are equal, else 0, in time that depends on n
 * only (for comparing secrets: keys, proofs, cancel keys). */
int dh_memeq_ct(const void *a, const void *b, size_t n);

#endif
