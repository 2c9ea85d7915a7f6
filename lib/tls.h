/*
 * tls: dh-serve's TLS, the one door to OpenSSL's libssl (crypto.c is the
 * one to libcrypto's digests).  Linked only into programs that serve TLS.
 *
 *   struct dh_tls_server *ts;
 *   dh_tls_server_new(cert_file, key_file, &ts, &err);
 *   ... a client's SSLRequest answered 'S':
 *   struct dh_tls *t;
 *   dh_tls_accept(ts, fd, &t, &err);       the handshake, blocking
 *   dh_tls_read(t, buf, n) / dh_tls_write(t, p, n)
 *   dh_tls_free(t);                         close_notify, then free
 *   dh_tls_server_free(ts);                 connections keep their own
 *                                           reference to it (to its
 *                                           SSL_CTX); a handshake takes
 *                                           one with dh_tls_server_ref
 */
#ifndef DH_TLS_H
#define DH_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct dh_tls_server;
struct dh_tls;

/* A server context from a PEM certificate (chain) and private key file.
 * TLS 1.2 and newer.  DH_EIO "cannot load TLS certificate 'F': why",
 * "... key ...", "TLS certificate and key do not match". */
int dh_tls_server_new(const char *cert_file, const char *key_file, struct dh_tls_server **out,
		      struct dh_err *err);
/* Another reference to ts (a handshake that must outlive a reload);
 * dh_tls_server_free drops one, the last frees it. */
struct dh_tls_server *dh_tls_server_ref(struct dh_tls_server *ts);
void dh_tls_server_free(struct dh_tls_server *ts);

/* The server side of a handshake on fd: 0, or DH_EPROTOCOL with
 * OpenSSL's reason ("could not accept SSL connection: ..."). */
int dh_tls_accept(struct dh_tls_server *ts, int fd, struct dh_tls **out, struct dh_err *err);
/* Bytes read (> 0), 0 when the peer closed, < 0 on an error. */
ssize_t dh_tls_read(struct dh_tls *t, void *buf, size_t n);
/* All of p[0..n): n, or < 0 on an error. */
ssize_t dh_tls_write(struct dh_tls *t, const void *p, size_t n);
/* Decrypted bytes waiting (a read would not block). */
int dh_tls_pending(struct dh_tls *t);
/* tls-server-end-point channel binding data (RFC 5929): the hash of the
 * server's certificate, with its signature's hash (SHA-256 for MD5 and
 * SHA-1).  Its length, 0 if there is none. */
size_t dh_tls_end_point(struct dh_tls *t, unsigned char out[64]);
/* "TLSv1.3" and the cipher's name, for the log. */
const char *dh_tls_version(struct dh_tls *t);
const char *dh_tls_cipher(struct dh_tls *t);
void dh_tls_free(struct dh_tls *t);

#endif
