/*
 * dh-test-tool: lib internals for shell tests (git's test-tool).
 *
 *   dh-test-tool load STORE DB N     N durable one-datom transactions of
 *                                    :load/n 0..N-1; prints "ack N" after each
 *                                    commit returns (for kill -9 tests)
 *   dh-test-tool scram-verifier PASSWORD [ITERATIONS]
 *                                    prints a new SCRAM-SHA-256 verifier
 *   dh-test-tool scram-login VERIFIER PASSWORD
 *                                    runs a SCRAM exchange in process: our
 *                                    client (RFC 5802's formulas) with the
 *                                    password against our server with the
 *                                    verifier; prints "ok" (exit 0) or the
 *                                    server's error (exit 1); also checks
 *                                    the password as cleartext against the
 *                                    verifier, which must agree
 *   dh-test-tool scram-serve PORTFILE USER VERIFIER
 *                                    a one-connection login server on
 *                                    127.0.0.1 (port written to PORTFILE):
 *                                    the codec and the SCRAM exchange over a
 *                                    real socket, so libpq's SCRAM client
 *                                    can be checked against ours.  USER has
 *                                    VERIFIER; any other user gets the mock
 *                                    exchange.  After a login every Query is
 *                                    answered with one row: the user name
 *                                    (as "select current_user" would).  Not
 *                                    dh-serve: no SQL, no TLS, one client.
 *   dh-test-tool copy-fuzz STORE SEED N
 *                                    COPY's parsers, fuzz-ish: N rounds of
 *                                    random rows (strings of delimiters,
 *                                    quotes, backslashes, line ends, dots,
 *                                    NULLs) copied out in text and csv
 *                                    with several options, copied back in
 *                                    with the data cut into random pieces
 *                                    (and the end marker or not), copied
 *                                    out again: the same bytes; random
 *                                    bytes copied in end in success or an
 *                                    error, never a crash.  Prints "ok N"
 *                                    (exit 0) or the first difference.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dh.h"
#include "pgwire-msg.h"
#include "scram.h"
#include "sql.h"

static int
load(const char *path, const char *db, long n)
{
	struct dh_store *st;
	struct dh_conn *c;
	struct dh_err e;
	struct dh_arena a;
	struct dh_tx_report r;
	if (dh_store_open(path, DH_STORE_CREATE, &st, &e) || dh_db_ensure_default(st, &e) ||
	    dh_conn_open(st, db, &c, &e)) {
		fprintf(stderr, "dh-test-tool: %s\n", e.message);
		return 1;
	}
	dh_arena_init(&a);
	const char *schema = "[{:db/ident :load/n :db/valueType :db.type/long "
			     ":db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]";
	dh_transact_text(c, schema, strlen(schema), &a, &r, &e); /* may exist already */
	for (long i = 0; i < n; i++) {
		char tx[64];
		int len = snprintf(tx, sizeof(tx), "[{:load/n %ld}]", i);
		dh_arena_release(&a);
		if (dh_transact_text(c, tx, (size_t)len, &a, &r, &e)) {
			fprintf(stderr, "dh-test-tool: %s\n", e.message);
			return 1;
		}
		printf("ack %ld\n", i);
		fflush(stdout);
	}
	dh_arena_release(&a);
	dh_conn_close(c);
	dh_store_close(st);
	return 0;
}

static int
scram_verifier(const char *password, int iterations)
{
	struct dh_buf b;
	struct dh_err e;
	dh_buf_init(&b, 0);
	if (dh_scram_verifier_make(password, iterations, &b, &e)) {
		fprintf(stderr, "dh-test-tool: %s\n", e.message);
		return 1;
	}
	printf("%s\n", (char *)b.p);
	dh_buf_release(&b);
	return 0;
}

static int
scram_login(const char *verifier, const char *password)
{
	static const unsigned char mock_key[32];
	struct dh_scram_verifier v;
	struct dh_scram s;
	struct dh_scram_client c;
	struct dh_buf cm, sm;
	struct dh_err e;
	int rc;
	if (dh_scram_verifier_parse(verifier, &v, &e)) {
		fprintf(stderr, "dh-test-tool: %s: %s\n", e.message, e.detail);
		return 2;
	}
	dh_buf_init(&cm, 0);
	dh_buf_init(&sm, 0);
	dh_scram_begin(&s, "tester", &v, mock_key, NULL, 0);
	rc = dh_scram_client_first(&c, NULL, password, NULL, NULL, 0, &cm);
	if (!rc)
		rc = dh_scram_step(&s, "SCRAM-SHA-256", cm.p, cm.len, &sm, &e);
	if (rc == DH_SCRAM_CONTINUE) {
		dh_buf_reset(&cm);
		rc = dh_scram_client_final(&c, sm.p, sm.len, &cm, &e);
		dh_buf_reset(&sm);
		if (!rc)
			rc = dh_scram_step(&s, NULL, cm.p, cm.len, &sm, &e);
		if (!rc)
			rc = dh_scram_client_verify(&c, sm.p, sm.len, &e);
	}
	if ((rc == 0) != (dh_scram_verify_plain(&v, password) == 1)) {
		fprintf(stderr, "dh-test-tool: the exchange and the cleartext check disagree\n");
		rc = 3;
	} else if (rc) {
		printf("%s %s\n", e.sqlstate, e.message);
		rc = 1;
	} else {
		printf("ok\n");
	}
	dh_scram_client_release(&c);
	dh_scram_release(&s);
	dh_buf_release(&cm);
	dh_buf_release(&sm);
	return rc;
}

static int
send_all(int fd, struct dh_buf *b)
{
	size_t off = 0;
	while (off < b->len) {
		ssize_t n = write(fd, b->p + off, b->len - off);
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	dh_buf_reset(b);
	return 0;
}

static int
scram_serve(const char *portfile, const char *user, const char *verifier)
{
	static const unsigned char mock_key[32] = "dh-test-tool scram-serve mockkey";
	struct sockaddr_in sa = {0};
	socklen_t salen = sizeof(sa);
	struct dh_scram_verifier v;
	struct dh_pgwire_reader r;
	struct dh_pgwire_msg m;
	struct dh_pgwire_startup st;
	struct dh_scram s;
	struct dh_arena a;
	struct dh_buf out, sasl;
	struct dh_err e;
	unsigned char in[4096];
	int ls, fd, rc = 0, in_sasl = 0, done = 0;
	const char *who = "";

	if (dh_scram_verifier_parse(verifier, &v, &e)) {
		fprintf(stderr, "dh-test-tool: %s: %s\n", e.message, e.detail);
		return 2;
	}
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&sa, &salen)) {
		perror("dh-test-tool: listen");
		return 1;
	}
	FILE *pf = fopen(portfile, "w");
	if (!pf || fprintf(pf, "%d\n", ntohs(sa.sin_port)) < 0 || fclose(pf)) {
		perror(portfile);
		return 1;
	}
	fd = accept(ls, NULL, NULL);
	close(ls);
	if (fd < 0) {
		perror("dh-test-tool: accept");
		return 1;
	}
	dh_pgwire_reader_init(&r);
	dh_arena_init(&a);
	dh_buf_init(&out, 0);
	dh_buf_init(&sasl, 0);
	memset(&s, 0, sizeof(s));
	dh_arena_init(&s.a);
	memset(&e, 0, sizeof(e));
	while (!done) {
		ssize_t n = read(fd, in, sizeof(in));
		if (n <= 0) {
			rc = dh_pgwire_reader_eof(&r, &e);
			break;
		}
		dh_pgwire_reader_feed(&r, in, (size_t)n);
		while (!done && (rc = dh_pgwire_reader_next(&r, &m, &e)) == 1) {
			if (m.kind == DH_PGWIRE_K_SSL || m.kind == DH_PGWIRE_K_GSS) {
				dh_pgwire_ssl_answer(&out, 'N');
				if ((rc = dh_pgwire_reader_answered(&r, &m, 'N', &e)))
					break;
			} else if (m.kind == DH_PGWIRE_K_CANCEL) {
				done = 1;
			} else if (m.kind == DH_PGWIRE_K_STARTUP) {
				if ((rc = dh_pgwire_decode_startup(&m, &a, &st, &e)))
					break;
				if (who[0])
					free((char *)who);
				who = xstrdup(st.user);
				if (st.negotiate)
					dh_pgwire_negotiate_protocol(&out, DH_PGWIRE_PROTO_LATEST,
								     st.proto_names, st.nproto);
				dh_scram_release(&s);
				dh_scram_begin(&s, who, strcmp(who, user) == 0 ? &v : NULL,
					       mock_key, NULL, 0);
				const char *names[2];
				size_t k = dh_scram_mechanisms(&s, names);
				dh_pgwire_auth_sasl(&out, names, k);
				dh_pgwire_reader_set_phase(&r, DH_PGWIRE_SASL);
			} else if (r.phase == DH_PGWIRE_SASL) {
				const unsigned char *d = NULL;
				size_t dn = 0;
				const char *mech = NULL;
				if (!in_sasl) {
					struct dh_pgwire_sasl_initial si;
					if ((rc = dh_pgwire_decode_sasl_initial(&m, &si, &e)))
						break;
					mech = si.mechanism;
					d = si.data;
					dn = si.len < 0 ? 0 : (size_t)si.len;
					in_sasl = 1;
				} else {
					dh_pgwire_decode_sasl_response(&m, &d, &dn, &e);
				}
				dh_buf_reset(&sasl);
				rc = dh_scram_step(&s, mech, d, dn, &sasl, &e);
				if (rc == DH_SCRAM_CONTINUE) {
					dh_pgwire_auth_sasl_continue(&out, sasl.p, sasl.len);
				} else if (rc == 0) {
					dh_pgwire_auth_sasl_final(&out, sasl.p, sasl.len);
					dh_pgwire_auth_ok(&out);
					dh_pgwire_parameter_status(&out, "server_version", "15.0");
					dh_pgwire_parameter_status(&out, "server_encoding", "UTF8");
					dh_pgwire_parameter_status(&out, "client_encoding", "UTF8");
					dh_pgwire_parameter_status(&out, "DateStyle", "ISO, MDY");
					dh_pgwire_parameter_status(&out, "integer_datetimes", "on");
					dh_pgwire_parameter_status(&out, "standard_conforming_strings",
								   "on");
					dh_pgwire_parameter_status(&out, "is_superuser", "off");
					dh_pgwire_parameter_status(&out, "session_authorization", who);
					dh_pgwire_backend_key_data(&out, (int32_t)getpid(), 0x5eed);
					dh_pgwire_ready_for_query(&out, 'I');
					dh_pgwire_reader_set_phase(&r, DH_PGWIRE_NORMAL);
				} else {
					break;
				}
				rc = 0;
			} else if (m.type == 'Q') {
				struct dh_pgwire_field f = {"current_user", 0, 0, 19, 64, -1, 0};
				struct dh_pgwire_value val = {(const unsigned char *)who,
							      (int32_t)strlen(who)};
				dh_pgwire_row_description(&out, &f, 1);
				dh_pgwire_data_row(&out, &val, 1);
				dh_pgwire_command_complete(&out, "SELECT 1");
				dh_pgwire_ready_for_query(&out, 'I');
			} else if (m.type == 'X') {
				done = 1;
			} else {
				rc = dh_err_set(&e, DH_ENOTSUP, "dh-test-tool serves no message %c",
						m.type);
				break;
			}
			dh_arena_release(&a);
		}
		if (rc < 0)
			break;
		if (send_all(fd, &out))
			break;
	}
	if (rc < 0) {
		dh_buf_reset(&out);
		dh_pgwire_error_response(&out, "FATAL", &e, NULL);
		send_all(fd, &out);
		fprintf(stderr, "dh-test-tool: FATAL %s %s\n", e.sqlstate, e.message);
	}
	close(fd);
	dh_scram_release(&s);
	if (who[0])
		free((char *)who);
	dh_buf_release(&out);
	dh_buf_release(&sasl);
	dh_pgwire_reader_release(&r);
	return rc < 0 ? 1 : 0;
}

/* --- copy-fuzz --- */

struct fz {
	struct dh_buf out; /* COPY TO's lines */
	const char *in;    /* COPY FROM's data, handed in pieces */
	size_t inlen, inpos;
	unsigned long long rnd;
};

static unsigned
fz_rand(struct fz *f, unsigned n)
{
	f->rnd = f->rnd * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((f->rnd >> 33) % n);
}

static int
fz_begin(void *ctx, int ncols, int format, struct dh_err *err)
{
	(void)ctx, (void)ncols, (void)format, (void)err;
	return 0;
}

static int
fz_read(void *ctx, const char **p, size_t *n, struct dh_err *err)
{
	struct fz *f = ctx;
	(void)err;
	if (f->inpos >= f->inlen)
		return 0;
	size_t k = 1 + fz_rand(f, 17);
	if (k > f->inlen - f->inpos)
		k = f->inlen - f->inpos;
	*p = f->in + f->inpos;
	*n = k;
	f->inpos += k;
	return 1;
}

static int
fz_write(void *ctx, const char *p, size_t n, struct dh_err *err)
{
	struct fz *f = ctx;
	(void)err;
	dh_buf_add(&f->out, p, n);
	return 0;
}

static const struct dh_sql_copy fz_hooks = {fz_begin, fz_read, fz_begin, fz_write};

static int
fz_exec(struct dh_sql *s, const char *q, struct dh_err *err)
{
	dh_err_clear(err);
	return dh_sql_exec(s, q, strlen(q), NULL, NULL, err);
}

static int
copy_fuzz(const char *path, unsigned long long seed, long rounds)
{
	static const char *const bits[] = {"a", "b",  ",",  "\t", "\n",	      "\r", "\\", "\"", "'",
					   ".", "\\.", "N", "\\N", " ", "\xc3\xa9", ";",  "|",  "x"};
	static const char *const opts[] = {
	    "", "(FORMAT csv)", "(FORMAT csv, HEADER)", "(DELIMITER '|', NULL 'nil')",
	    "(FORMAT csv, DELIMITER ';', QUOTE '''', ESCAPE '\\', NULL 'N')", "(HEADER)"};
	struct dh_err err = {0};
	struct dh_store *st = NULL;
	struct dh_sql *s = NULL;
	struct fz f = {.rnd = seed * 2654435761ull + 1};
	struct dh_buf q, first;
	int rc = 1;
	dh_buf_init(&f.out, 0);
	dh_buf_init(&q, 0);
	dh_buf_init(&first, 0);
	if (dh_store_open(path, DH_STORE_CREATE | DH_STORE_NOSYNC, &st, &err) ||
	    dh_db_create(st, "dh", 0, &err) || dh_sql_open(st, "dh", &s, &err))
		goto fail;
	dh_sql_set_copy(s, &fz_hooks, &f);
	if (fz_exec(s, "CREATE TABLE src (id int, a text, b text, c int)", &err) ||
	    fz_exec(s, "CREATE TABLE dst (id int, a text, b text, c int)", &err))
		goto fail;
	for (long r = 0; r < rounds; r++) {
		dh_buf_reset(&q);
		dh_buf_adds(&q, "TRUNCATE src; INSERT INTO src VALUES ");
		int nrows = 1 + (int)fz_rand(&f, 6);
		for (int i = 0; i < nrows; i++) {
			dh_buf_printf(&q, "%s(%d", i ? ", " : "", i);
			for (int c = 0; c < 2; c++) {
				if (fz_rand(&f, 6) == 0) {
					dh_buf_adds(&q, ", NULL");
					continue;
				}
				dh_buf_adds(&q, ", '");
				int len = (int)fz_rand(&f, 8);
				for (int k = 0; k < len; k++)
					for (const char *b = bits[fz_rand(&f, DH_ARRAY_SIZE(bits))]; *b;
					     b++) {
						if (*b == '\'')
							dh_buf_addc(&q, '\'');
						dh_buf_addc(&q, *b);
					}
				dh_buf_addc(&q, '\'');
			}
			dh_buf_printf(&q, ", %s)", fz_rand(&f, 4) ? "7" : "NULL");
		}
		if (fz_exec(s, (const char *)q.p, &err))
			goto fail;
		for (size_t o = 0; o < DH_ARRAY_SIZE(opts); o++) {
			char stmt[256];
			f.out.len = 0;
			snprintf(stmt, sizeof(stmt), "COPY (SELECT * FROM src ORDER BY id) TO STDOUT %s",
				 opts[o]);
			if (fz_exec(s, stmt, &err))
				goto fail;
			dh_buf_reset(&first);
			dh_buf_add(&first, f.out.p, f.out.len);
			size_t want = first.len;
			if (fz_rand(&f, 3) == 0)
				dh_buf_adds(&first, "\\.\n"); /* the end marker is optional */
			f.in = (const char *)first.p;
			f.inlen = first.len;
			f.inpos = 0;
			snprintf(stmt, sizeof(stmt), "TRUNCATE dst; COPY dst FROM STDIN %s", opts[o]);
			if (fz_exec(s, stmt, &err))
				goto fail;
			f.out.len = 0;
			snprintf(stmt, sizeof(stmt), "COPY (SELECT * FROM dst ORDER BY id) TO STDOUT %s",
				 opts[o]);
			if (fz_exec(s, stmt, &err))
				goto fail;
			if (f.out.len != want || memcmp(f.out.p, first.p, want) != 0) {
				fprintf(stderr,
					"round %ld, COPY %s: copied in and out again differs\n"
					"--- first\n%.*s--- then\n%.*s",
					r, opts[o], (int)want, (const char *)first.p, (int)f.out.len,
					(const char *)f.out.p);
				goto out;
			}
		}
		/* random bytes: success or an SQL error, never a crash */
		static const char junkc[] = "a,\t\n\r\\\".N'|\x80\xc3\0001";
		char junk[64];
		size_t jn = fz_rand(&f, sizeof(junk));
		for (size_t k = 0; k < jn; k++)
			junk[k] = junkc[fz_rand(&f, sizeof(junkc) - 1)];
		f.in = junk;
		f.inlen = jn;
		f.inpos = 0;
		const char *stmt = fz_rand(&f, 2) ? "COPY dst FROM STDIN" : "COPY dst FROM STDIN CSV";
		dh_err_clear(&err);
		if (dh_sql_exec(s, stmt, strlen(stmt), NULL, NULL, &err) && !err.sqlstate[0] &&
		    !err.code) {
			fprintf(stderr, "round %ld: random bytes: an error without a code: %s\n", r,
				err.message);
			goto out;
		}
	}
	printf("ok %ld\n", rounds);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "dh-test-tool: %s\n", err.message);
out:
	if (s)
		dh_sql_close(s);
	if (st)
		dh_store_close(st);
	dh_sql_shutdown();
	dh_buf_release(&f.out);
	dh_buf_release(&q);
	dh_buf_release(&first);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "copy-fuzz") == 0)
		return copy_fuzz(argv[2], strtoull(argv[3], NULL, 10), atol(argv[4]));
	if (argc == 5 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3], atol(argv[4]));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "scram-verifier") == 0)
		return scram_verifier(argv[2], argc == 4 ? atoi(argv[3]) : 0);
	if (argc == 4 && strcmp(argv[1], "scram-login") == 0)
		return scram_login(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "scram-serve") == 0)
		return scram_serve(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: dh-test-tool load STORE DB N\n"
			"       dh-test-tool scram-verifier PASSWORD [ITERATIONS]\n"
			"       dh-test-tool scram-login VERIFIER PASSWORD\n"
			"       dh-test-tool scram-serve PORTFILE USER VERIFIER\n"
			"       dh-test-tool copy-fuzz STORE SEED N\n");
	return 2;
}
