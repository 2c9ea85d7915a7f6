/*
 * wtx-t: unit tests of multi-statement write transactions (dh_wtx_* in
 * dh.h): statements see each other's writes, commit records the net change
 * under one tx id, abort leaves nothing, an unchanged transaction records
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "tap.h"

static struct dh_store *st;
static struct dh_conn *conn;
static struct dh_arena arena;
static struct dh_err err;

static struct dh_edn *
edn(const char *text)
{
	struct dh_edn *x;
	size_t used;
	if (dh_edn_parse(&arena, text, strlen(text), &x, &used, &err)) {
		printf("Bail out! edn: %s\n", err.message);
		exit(1);
	}
	return x;
}

static int
stmt(struct dh_wtx *w, const char *text, struct dh_tx_report *rep)
{
	return dh_wtx_transact(w, edn(text), text, strlen(text), &arena, rep, &err);
}

/* Datoms [e a v] visible in view v with attribute ident (any e), counted. */
static long
count_attr(struct dh_view *v, const struct dh_schema *s, const char *ident)
{
	const struct dh_attr *at = dh_schema_attr(s, ident, strlen(ident));
	if (!at)
		return -1;
	struct dh_datom pat = {.a = at->id}, d;
	struct dh_iter *it;
	long n = 0;
	if (dh_iter_open(v, DH_AEVT, &pat, 1, &arena, &it, &err))
		return -1;
	while (dh_iter_next(it, &d, &err) == 1)
		n++;
	dh_iter_close(it);
	return n;
}

/* The same through a fresh snapshot with spec (NULL: current). */
static long
count_in(const struct dh_view_spec *spec, const char *ident)
{
	struct dh_snapshot *s;
	if (dh_snapshot_open(conn, spec, &s, &err))
		return -2;
	long n = count_attr(dh_snapshot_view(s), dh_snapshot_schema(s), ident);
	dh_snapshot_close(s);
	return n;
}

/* Values of attribute ident in AVET order (rev: backwards) as "v v v". */
static const char *
avet_list(const struct dh_view_spec *spec, const char *ident, int rev)
{
	static char out[4096];
	struct dh_snapshot *s;
	out[0] = 0;
	if (dh_snapshot_open(conn, spec, &s, &err))
		return "error";
	const struct dh_schema *sc = dh_snapshot_schema(s);
	const struct dh_attr *at = dh_schema_attr(sc, ident, strlen(ident));
	struct dh_datom pat = {.a = at ? at->id : 0}, d;
	struct dh_iter *it;
	if ((rev ? dh_iter_open_rev : dh_iter_open)(dh_snapshot_view(s), DH_AVET, &pat, 1, &arena,
						    &it, &err)) {
		dh_snapshot_close(s);
		return "error";
	}
	while (dh_iter_next(it, &d, &err) == 1) {
		size_t n = strlen(out);
		snprintf(out + n, sizeof(out) - n, "%s%lld", n ? " " : "", (long long)d.v.i);
	}
	dh_iter_close(it);
	dh_snapshot_close(s);
	return out;
}

/* The words of s in reverse order. */
static const char *
reversed(const char *s)
{
	static char out[4096];
	size_t n = strlen(s), k = 0;
	/* words from the end */
	while (n > 0) {
		size_t e = n;
		while (n > 0 && s[n - 1] != ' ')
			n--;
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%.*s", k ? " " : "", (int)(e - n),
				      s + n);
		if (n > 0)
			n--;
	}
	out[k] = 0;
	return out;
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	struct dh_tx_report rep, fin;
	struct dh_wtx *w;
	snprintf(dir, sizeof(dir), "%s/wtx-t.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/s.dh", dir);
	dh_arena_init(&arena);
	if (dh_store_open(path, DH_STORE_CREATE, &st, &err) || dh_db_create(st, "dh", 0, &err) ||
	    dh_conn_open(st, "dh", &conn, &err)) {
		printf("Bail out! %s\n", err.message);
		return 1;
	}

	/* schema and data in one transaction: the second statement uses the
	 * attribute the first installed */
	ok(dh_wtx_begin(conn, &w, &err) == 0, "begin");
	ok(stmt(w, "[{:db/ident :w/name :db/valueType :db.type/string "
		   ":db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]",
		&rep) == 0,
	   "statement 1 installs :w/name");
	uint64_t tx = dh_wtx_tx(w);
	ok(stmt(w, "[{:w/name \"a\"} {:w/name \"b\"} {:w/name \"c\"}]", &rep) == 0 &&
	       rep.tx == tx && rep.ndatoms == 3,
	   "statement 2 uses it, under the same tx id");
	if (!ok(stmt(w, "[[:db/retract [:w/name \"b\"] :w/name \"b\"]]", &rep) == 0 &&
		    rep.ndatoms == 1,
		"statement 3 sees statement 2's entity through a lookup ref"))
		tap_diag("%s", err.message);
	{
		struct dh_schema s;
		dh_schema_init(&s);
		dh_schema_load(&s, dh_wtx_view(w), &err);
		ok(count_attr(dh_wtx_view(w), &s, "w/name") == 2, "the transaction reads its writes");
		dh_schema_release(&s);
	}
	ok(count_in(NULL, "w/name") == -1, "others do not see it before commit");
	ok(dh_wtx_commit(w, &fin, &err) == 0 && fin.tx == tx && fin.instant > 0, "commit");
	ok(count_in(NULL, "w/name") == 2, "after commit: the net rows");
	struct dh_view_spec hs = {.mode = DH_VIEW_HISTORY};
	ok(count_in(&hs, "w/name") == 2, "history: \"b\" never was, its assert and retract cancel");
	char asof[32];
	snprintf(asof, sizeof(asof), "%d", 64); /* the bootstrap tx */
	struct dh_view_spec before = {.mode = DH_VIEW_CURRENT, .as_of = asof};
	long nb = count_in(&before, "w/name");
	if (!ok(nb == 0, "as of the tx before (the bootstrap): no datom"))
		tap_diag("got %ld: %s", nb, err.message);

	/* abort */
	ok(dh_wtx_begin(conn, &w, &err) == 0 && stmt(w, "[{:w/name \"d\"}]", &rep) == 0,
	   "a second transaction writes");
	dh_wtx_abort(w);
	ok(count_in(NULL, "w/name") == 2, "abort leaves nothing");

	/* nothing changed: nothing recorded */
	ok(dh_wtx_begin(conn, &w, &err) == 0 && stmt(w, "[{:w/name \"a\"}]", &rep) == 0 &&
	       rep.ndatoms == 0,
	   "a redundant statement changes nothing");
	ok(dh_wtx_commit(w, &fin, &err) == 0 && fin.tx == 0, "and commit records no tx");

	/* an error in a statement: the caller aborts; earlier ones vanish too */
	ok(dh_wtx_begin(conn, &w, &err) == 0 && stmt(w, "[{:w/name \"e\"}]", &rep) == 0,
	   "a third transaction writes");
	ok(stmt(w, "[{:w/nope 1}]", &rep) == DH_ENOATTR, "a bad statement fails");
	dh_wtx_abort(w);
	ok(count_in(NULL, "w/name") == 2, "and the abort drops the good one too");

	/* savepoints */
	ok(dh_wtx_begin(conn, &w, &err) == 0 && stmt(w, "[{:w/name \"g\"}]", &rep) == 0,
	   "savepoints: a first write");
	ok(dh_wtx_savepoint(w, &err) == 0 && stmt(w, "[{:w/name \"h\"}]", &rep) == 0,
	   "a write after a savepoint");
	ok(dh_wtx_savepoint(w, &err) == 0 && stmt(w, "[{:w/name \"i\"}]", &rep) == 0,
	   "and after a nested one");
	ok(dh_wtx_rollback(w, &err) == 0, "roll back the inner one");
	ok(dh_wtx_release(w, &err) == 0, "release the outer one");
	ok(dh_wtx_rollback(w, &err) == DH_EUSAGE, "no savepoint left");
	ok(dh_wtx_savepoint(w, &err) == 0 && stmt(w, "[{:w/name \"j\"}]", &rep) == 0,
	   "a savepoint left open at commit");
	ok(dh_wtx_commit(w, &fin, &err) == 0 && fin.tx > 0, "commit");
	ok(count_in(NULL, "w/name") == 5, "g, h and j landed; i was rolled back");

	/* single dh_transact still works and reports its instant datom */
	ok(dh_transact_text(conn, "[{:w/name \"f\"}]", 15, &arena, &rep, &err) == 0 &&
	       rep.ndatoms == 2 && rep.datoms[1].a == 9 /* :db/txInstant */,
	   "dh_transact reports the datom and the tx instant");
	ok(count_in(NULL, "w/name") == 6, "and it landed");

	/* backwards iteration: the forward order reversed, over a branch's
	 * layers and in an as-of view (history tables) */
	const char *attr = "[{:db/ident :r/n :db/valueType :db.type/long "
			   ":db/cardinality :db.cardinality/one}]";
	ok(dh_transact_text(conn, attr, strlen(attr), &arena, &rep, &err) == 0,
	   "an attribute to iterate");
	char txt[2048];
	size_t tl = (size_t)snprintf(txt, sizeof(txt), "[");
	for (int i = 0; i < 30; i++)
		tl += (size_t)snprintf(txt + tl, sizeof(txt) - tl, "{:db/id \"e%d\" :r/n %d}", i,
				       (i * 7) % 30 - 10);
	snprintf(txt + tl, sizeof(txt) - tl, "]");
	ok(dh_transact_text(conn, txt, strlen(txt), &arena, &rep, &err) == 0, "30 values");
	uint64_t t1 = rep.tx;
	const char *more = "[{:r/n 100} {:r/n -100} {:r/n 3}]";
	ok(dh_transact_text(conn, more, strlen(more), &arena, &rep, &err) == 0,
	   "more values");
	const char *fw = avet_list(NULL, "r/n", 0);
	char want[4096];
	snprintf(want, sizeof(want), "%s", reversed(fw));
	const char *bw = avet_list(NULL, "r/n", 1);
	if (!ok(strcmp(bw, want) == 0, "backwards is forwards reversed"))
		tap_diag("forwards [%s]\nbackwards [%s]", fw, bw);
	ok(strlen(fw) > 60, "(of many values: %s)", fw);
	char t1s[32];
	snprintf(t1s, sizeof(t1s), "%llu", (unsigned long long)t1);
	struct dh_view_spec past = {DH_VIEW_CURRENT, t1s, NULL};
	fw = avet_list(&past, "r/n", 0);
	snprintf(want, sizeof(want), "%s", reversed(fw));
	bw = avet_list(&past, "r/n", 1);
	if (!ok(strcmp(bw, want) == 0 && strstr(want, "100") == NULL, "... as of an earlier tx too"))
		tap_diag("forwards [%s]\nbackwards [%s]", want, bw);
	/* a branch: its own layer over its parent's */
	struct dh_conn *main_conn = conn;
	const char *onb = "[{:r/n 50} {:r/n -50}]";
	ok(dh_branch_create(st, "dh", "main", "b", NULL, &err) == 0 &&
	       dh_conn_open(st, "dh:b", &conn, &err) == 0 &&
	       dh_transact_text(conn, onb, strlen(onb), &arena, &rep, &err) == 0,
	   "a branch with writes of its own");
	snprintf(want, sizeof(want), "%s", reversed(avet_list(NULL, "r/n", 0)));
	bw = avet_list(NULL, "r/n", 1);
	if (!ok(strcmp(bw, want) == 0 && strstr(bw, "100 50 19") && strstr(bw, "-10 -50 -100"),
		"... and over a branch's layers"))
		tap_diag("want [%s]\nbackwards [%s] %s", want, bw, err.message);
	dh_conn_close(conn);
	conn = main_conn;

	dh_conn_close(conn);
	dh_store_close(st);
	dh_arena_release(&arena);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
