/*
 * crypto: the one door to OpenSSL's libcrypto.  Digests now; SCRAM and TLS
 * helpers join later.  Nothing else in libdh includes OpenSSL headers.
 * The functions cannot fail except by aborting (OpenSSL out of memory).
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

#endif
