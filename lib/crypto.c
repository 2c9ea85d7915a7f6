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

size_t
dh_sha2(int bits, const void *p, size_t n, unsigned char *out)
{
	unsigned int len = 64;
	const EVP_MD *md = bits == 224 ? EVP_sha224() : bits == 384 ? EVP_sha384()
						 : bits == 512 ? EVP_sha512() : EVP_sha256();
	if (!EVP_Digest(p, n, out, &len, md, NULL))
		abort();
	return len;
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
