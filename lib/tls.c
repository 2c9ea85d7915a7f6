/*
 * tls: dh-serve's TLS through libssl (see tls.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tls.h"

struct dh_tls_server {
	SSL_CTX *ctx;
	_Atomic int refs; /* dh_tls_server_new's and dh_tls_server_ref's */
};

struct dh_tls {
	SSL *ssl;
};

/* OpenSSL's last error as text (and the queue cleared). */
static const char *
ossl_reason(char *buf, size_t n)
{
	unsigned long e = ERR_get_error();
	if (!e)
		snprintf(buf, n, "%s", errno ? strerror(errno) : "unknown error");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

int
dh_tls_server_new(const char *cert_file, const char *key_file, struct dh_tls_server **out,
		  struct dh_err *err)
{
	char why[256];
	*out = NULL;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx)
		return dh_err_set(err, DH_EIO, "cannot make a TLS context: %s",
				  ossl_reason(why, sizeof(why)));
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* PostgreSQL's choices: no session tickets or cache, no renegotiation */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	int rc = 0;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1)
		rc = dh_err_set(err, DH_EIO, "cannot load TLS certificate '%s': %s", cert_file,
				ossl_reason(why, sizeof(why)));
	else if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1)
		rc = dh_err_set(err, DH_EIO, "cannot load TLS key '%s': %s", key_file,
				ossl_reason(why, sizeof(why)));
	else if (SSL_CTX_check_private_key(ctx) != 1)
		rc = dh_err_set(err, DH_EIO, "TLS certificate '%s' and key '%s' do not match",
				cert_file, key_file);
	if (rc) {
		SSL_CTX_free(ctx);
		return rc;
	}
	struct dh_tls_server *ts = xcalloc(1, sizeof(*ts));
	ts->ctx = ctx;
	ts->refs = 1;
	*out = ts;
	return 0;
}

struct dh_tls_server *
dh_tls_server_ref(struct dh_tls_server *ts)
{
	if (ts)
		ts->refs++;
	return ts;
}

void
dh_tls_server_free(struct dh_tls_server *ts)
{
	if (!ts || --ts->refs > 0)
		return;
	SSL_CTX_free(ts->ctx); /* connections hold their own references */
	free(ts);
}

int
dh_tls_accept(struct dh_tls_server *ts, int fd, struct dh_tls **out, struct dh_err *err)
{
	char why[256];
	*out = NULL;
	SSL *ssl = SSL_new(ts->ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		return dh_err_sql(err, "08P01", "could not accept SSL connection: %s",
				  ossl_reason(why, sizeof(why)));
	}
	int r;
	while ((r = SSL_accept(ssl)) <= 0) {
		int e = SSL_get_error(ssl, r);
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		const char *reason = e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && !errno)
					 ? "EOF detected"
					 : ossl_reason(why, sizeof(why));
		SSL_free(ssl);
		return dh_err_sql(err, "08P01", "could not accept SSL connection: %s", reason);
	}
	struct dh_tls *t = xcalloc(1, sizeof(*t));
	t->ssl = ssl;
	*out = t;
	return 0;
}

ssize_t
dh_tls_read(struct dh_tls *t, void *buf, size_t n)
{
	for (;;) {
		int r = SSL_read(t->ssl, buf, n > INT32_MAX ? INT32_MAX : (int)n);
		if (r > 0)
			return r;
		int e = SSL_get_error(t->ssl, r);
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		ERR_clear_error();
		return e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
	}
}

ssize_t
dh_tls_write(struct dh_tls *t, const void *p, size_t n)
{
	size_t off = 0;
	while (off < n) {
		size_t want = n - off;
		int r = SSL_write(t->ssl, (const char *)p + off,
				  want > INT32_MAX ? INT32_MAX : (int)want);
		if (r > 0) {
			off += (size_t)r;
			continue;
		}
		int e = SSL_get_error(t->ssl, r);
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		ERR_clear_error();
		return -1;
	}
	return (ssize_t)n;
}

int
dh_tls_pending(struct dh_tls *t)
{
	return SSL_pending(t->ssl) > 0;
}

size_t
dh_tls_end_point(struct dh_tls *t, unsigned char out[64])
{
	X509 *cert = SSL_get_certificate(t->ssl); /* the server's own: not counted */
	if (!cert)
		return 0;
	int md_nid, pk_nid;
	if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &md_nid, &pk_nid))
		return 0;
	const EVP_MD *md;
	if (md_nid == NID_md5 || md_nid == NID_sha1)
		md = EVP_sha256();
	else if (!(md = EVP_get_digestbynid(md_nid)))
		return 0;
	unsigned int len = 0;
	if (X509_digest(cert, md, out, &len) != 1)
		return 0;
	return len;
}

const char *
dh_tls_version(struct dh_tls *t)
{
	return SSL_get_version(t->ssl);
}

const char *
dh_tls_cipher(struct dh_tls *t)
{
	return SSL_get_cipher_name(t->ssl);
}

void
dh_tls_free(struct dh_tls *t)
{
	if (!t)
		return;
	SSL_shutdown(t->ssl);
	SSL_free(t->ssl);
	free(t);
}
