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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dh.h"
#include "scram.h"

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

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3], atol(argv[4]));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "scram-verifier") == 0)
		return scram_verifier(argv[2], argc == 4 ? atoi(argv[3]) : 0);
	if (argc == 4 && strcmp(argv[1], "scram-login") == 0)
		return scram_login(argv[2], argv[3]);
	fprintf(stderr, "usage: dh-test-tool load STORE DB N\n"
			"       dh-test-tool scram-verifier PASSWORD [ITERATIONS]\n"
			"       dh-test-tool scram-login VERIFIER PASSWORD\n");
	return 2;
}
