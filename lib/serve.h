/*
 * serve: dh-serve's server, PostgreSQL's wire protocol (v3) over a store.
 * One thread per connection, each with its own SQL session (struct
 * dh_sql); pgwire-msg frames and encodes the messages.  The first stage:
 * startup (SSLRequest and GSSENCRequest answered 'N', protocol
 * negotiation, startup parameters as settings), trust authentication
 * (loopback only unless insecure), the simple query protocol, CancelRequest
 * and Terminate.  The extended protocol is answered 0A000 up to the next
 * Sync, so a client learns it and the connection stays usable.
 *
 *   struct dh_serve_opts o = {.store = path, .host = "127.0.0.1", ...};
 *   volatile sig_atomic_t stop = 0;          set by SIGTERM / SIGINT
 *   rc = dh_serve_run(&o, &stop, &err);
 *
 * dh_serve_run listens, serves until *stop becomes non-zero, then stops
 * accepting, ends every session (a running statement finishes; an open
 * transaction rolls back; the client gets FATAL 57P01), and returns 0.
 * Errors before serving: DH_EUSAGE (a non-loopback address without
 * authentication and without insecure), DH_EIO (cannot listen), the
 * password file's errors, store errors.  Log lines (one per connection and per error; every statement
 * with log_queries) go to o->log.
 */
#ifndef DH_SERVE_H
#define DH_SERVE_H

#include <signal.h>
#include <stdio.h>

#include "util.h"

struct dh_serve_opts {
	const char *store; /* path of the store file */
	const char *host;  /* NULL: 127.0.0.1 */
	const char *port;  /* NULL: 5432 */
	int max_connections; /* <= 0: 100 */
	int insecure;	     /* allow trust on a non-loopback address */
	/* password authentication against this password file (passwd.h);
	 * NULL: trust.  auth: DH_SERVE_AUTH_SCRAM (SCRAM-SHA-256; md5 too,
	 * since the file holds SCRAM verifiers, as PostgreSQL does) or
	 * DH_SERVE_AUTH_PASSWORD (cleartext, checked against the verifier).
	 * While *reload is non-zero the file is read again (SIGHUP); a file
	 * that does not load keeps the old one (logged). */
	const char *passwd;
	int auth;
	/* TLS (an SSLRequest is answered 'S'): PEM certificate chain and key
	 * files, both or neither */
	const char *tls_cert, *tls_key;
	int allow_create_database; /* CREATE / DROP DATABASE over SQL */
	/* the largest Query, Parse, Bind, CopyData or FunctionCall (bytes,
	 * the length word included, dh_pgwire_reader_set_limit); a longer one
	 * ends the connection with FATAL 08P01.  0: PostgreSQL's 1 GB - 2 */
	size_t max_message_size;
	/* seconds a client has from connecting to the end of authentication
	 * (PostgreSQL's authentication_timeout); 0: 60 */
	int auth_timeout;
	volatile sig_atomic_t *reload;
	int log_queries;
	FILE *log; /* NULL: no log */
	/* called once the sockets listen (tests wait for it), or NULL */
	void (*ready)(void *ctx, const char *host, const char *port);
	void *ready_ctx;
};

enum { DH_SERVE_AUTH_SCRAM = 0, DH_SERVE_AUTH_PASSWORD = 1 };

int dh_serve_run(const struct dh_serve_opts *o, volatile sig_atomic_t *stop, struct dh_err *err);

/*
 * For tests and fuzzing: a server that does not listen, whose connections
 * are file descriptors the caller has (one end of a socketpair), each run
 * in the calling thread by the code that runs dh_serve_run's.
 *
 *   dh_serve_new(st, &o, NULL, &sv, &err);
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
 *   (another thread writes the client's bytes to sp[1] and reads the answers)
 *   dh_serve_conn(sv, sp[0], "fuzz");     returns when the connection ends
 *   dh_serve_free(sv);
 *
 * dh_serve_new: the store st is the caller's (open, and kept open until
 * dh_serve_free); of o, store, host, port, insecure, ready and reload are
 * not used, the rest is as for dh_serve_run (o is borrowed until
 * dh_serve_free).  stop as dh_serve_run's (a session that waits for input
 * and finds it ended says 57P01 when *stop is set), or NULL.  Errors: the
 * password file's, DH_EUSAGE and the TLS files' errors; *out is then NULL.
 *
 * dh_serve_conn runs one connection's whole life on fd: startup,
 * authentication, its session; it returns when the peer closed, sent
 * Terminate, or an error ended the connection (after telling the client,
 * as dh-serve does), and closes fd.  Several threads may run connections of
 * one server at once: a CancelRequest on one reaches the others, NOTIFY
 * reaches their LISTENs.  The trust of a connection without --passwd is
 * not checked against its address (there is none).
 *
 * dh_serve_free: after every dh_serve_conn returned; sv may be NULL.
 */
struct dh_store;
struct dh_serve;
int dh_serve_new(struct dh_store *st, const struct dh_serve_opts *o, volatile sig_atomic_t *stop,
		 struct dh_serve **out, struct dh_err *err);
void dh_serve_conn(struct dh_serve *sv, int fd, const char *peer);
void dh_serve_free(struct dh_serve *sv);

#endif
