/*
 * crypto: thin wrappers over OpenSSL's libcrypto (see crypto.h).
 */
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util.h"
#include "crypto.h"

void
dh_sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	if (!EVP_Digest(p, n, out, &len, EVP_sha256(), NULL))
		abort();
}

void
dh_md5(const void *p, size_t n, unsigned char out[16])
{
	unsigned int len = 16;
	if (!EVP_Digest(p, n, out, &len, EVP_md5(), NULL))
		abort();
}

int
dh_random_bytes(void *out, size_t n)
{
	return RAND_bytes(out, (int)n) == 1 ? 0 : DH_EIO;
}
