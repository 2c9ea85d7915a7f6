/*
 * crypto: thin wrappers over OpenSSL's libcrypto (see crypto.h).
 *
 * libcrypto is loaded on first use, not linked: a linked libcrypto binds
 * all its symbols and runs its constructors at every start, 1.2 ms of the
 * 4.3 ms dh-query needs for "SELECT 1", and most runs never hash.  The
 * prototypes still come from OpenSSL's headers; a program that links
 * libcrypto itself (for TLS) gets the same library back from dlopen.
 */
#include <dlfcn.h>
#include <pthread.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util.h"
#include "crypto.h"

#ifndef DH_CRYPTO_SONAME
#define DH_CRYPTO_SONAME "libcrypto.so.3"
#endif

static struct {
	int (*digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *,
		      ENGINE *);
	const EVP_MD *(*sha224)(void), *(*sha256)(void), *(*sha384)(void), *(*sha512)(void);
	const EVP_MD *(*md5)(void);
	int (*rand_bytes)(unsigned char *, int);
	unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t,
			       unsigned char *, unsigned int *);
	int (*pbkdf2)(const char *, int, const unsigned char *, int, int, const EVP_MD *, int,
		      unsigned char *);
} fn;
static pthread_once_t fn_once = PTHREAD_ONCE_INIT;

static void
fn_load(void)
{
	void *h = dlopen(DH_CRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h) {
		*(void **)&fn.digest = dlsym(h, "EVP_Digest");
		*(void **)&fn.sha224 = dlsym(h, "EVP_sha224");
		*(void **)&fn.sha256 = dlsym(h, "EVP_sha256");
		*(void **)&fn.sha384 = dlsym(h, "EVP_sha384");
		*(void **)&fn.sha512 = dlsym(h, "EVP_sha512");
		*(void **)&fn.md5 = dlsym(h, "EVP_md5");
		*(void **)&fn.rand_bytes = dlsym(h, "RAND_bytes");
		*(void **)&fn.hmac = dlsym(h, "HMAC");
		*(void **)&fn.pbkdf2 = dlsym(h, "PKCS5_PBKDF2_HMAC");
	}
	if (!fn.digest || !fn.sha224 || !fn.sha256 || !fn.sha384 || !fn.sha512 || !fn.md5 ||
	    !fn.rand_bytes || !fn.hmac || !fn.pbkdf2) {
		/* as a linked library that is missing stops a program at its
		 * start: the installation is broken */
		fprintf(stderr, "dh: cannot load %s: %s\n", DH_CRYPTO_SONAME,
			h ? "a function is missing" : dlerror());
		abort();
	}
}

void
dh_sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	pthread_once(&fn_once, fn_load);
	if (!fn.digest(p, n, out, &len, fn.sha256(), NULL))
		abort();
}

size_t
dh_sha2(int bits, const void *p, size_t n, unsigned char *out)
{
	unsigned int len = 64;
	pthread_once(&fn_once, fn_load);
	const EVP_MD *md = bits == 224 ? fn.sha224() : bits == 384 ? fn.sha384()
				   : bits == 512 ? fn.sha512() : fn.sha256();
	if (!fn.digest(p, n, out, &len, md, NULL))
		abort();
	return len;
}

void
dh_md5(const void *p, size_t n, unsigned char out[16])
{
	unsigned int len = 16;
	pthread_once(&fn_once, fn_load);
	if (!fn.digest(p, n, out, &len, fn.md5(), NULL))
		abort();
}

int
dh_random_bytes(void *out, size_t n)
{
	pthread_once(&fn_once, fn_load);
	return fn.rand_bytes(out, (int)n) == 1 ? 0 : DH_EIO;
}

void
dh_hmac_sha256(const void *key, size_t keylen, const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	static const unsigned char none;
	pthread_once(&fn_once, fn_load);
	/* OpenSSL takes a NULL key of length 0 as "reuse the last key" */
	if (!fn.hmac(fn.sha256(), keylen ? key : &none, (int)keylen, p ? p : &none, n, out, &len))
		abort();
}

void
dh_pbkdf2_sha256(const void *pass, size_t passlen, const void *salt, size_t saltlen,
		 unsigned iterations, unsigned char *out, size_t outlen)
{
	static const unsigned char none;
	pthread_once(&fn_once, fn_load);
	if (!fn.pbkdf2(passlen ? pass : (const void *)&none, (int)passlen,
		       saltlen ? salt : &none, (int)saltlen, (int)iterations, fn.sha256(),
		       (int)outlen, out))
		abort();
}

int
dh_memeq_ct(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
