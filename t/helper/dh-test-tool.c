/*
 * dh-test-tool: lib internals for shell tests (git's test-tool).
 *
 *   dh-test-tool load STORE DB N     N durable one-datom transactions of
 *                                    :load/n 0..N-1; prints "ack N" after each
 *                                    commit returns (for kill -9 tests)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dh.h"

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

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3], atol(argv[4]));
	fprintf(stderr, "usage: dh-test-tool load STORE DB N\n");
	return 2;
}
