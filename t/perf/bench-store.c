/*
 * bench-store: the store's numbers against the physical limit, measured in
 * one run: raw LMDB doing the same key work is the peer.  Prints a table of
 * medians over REPS runs and the ratio dh/peer (or peer/dh for throughputs,
 * so > 1 always means "dh is that many times slower").
 *
 *   bench-store [-n DATOMS] [-r REPS] [-d DIR]
 *
 * Workloads:
 *   load     bulk load of N datoms (no-sync, one sync at the end) through
 *            dh_transact, vs N sorted mdb_put(MDB_APPEND) of keys of the same
 *            size in one LMDB file, also synced once
 *   lookup   point lookup by a unique attribute (AVET) vs mdb_get
 *   commit   durable single-datom transactions vs durable single-put LMDB txs
 *   branch   branch creation at 10k, 100k and N datoms (must be flat)
 * Only this benchmark, not libdh, includes lmdb.h besides store.c.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"

static const char *dir = "/tmp";
static int reps = 3;

static double
now_s(void)
{
	return (double)dh_mono_ns() / 1e9;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmpd);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
die(const char *what, const struct dh_err *e)
{
	fprintf(stderr, "bench-store: %s: %s\n", what, e ? e->message : "failed");
	exit(1);
}

static void
path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/bench-%ld-%s", dir, (long)getpid(), name);
}

static void
rm(const char *p)
{
	char lock[4200];
	snprintf(lock, sizeof(lock), "%s-lock", p);
	unlink(p);
	unlink(lock);
}

/* Load n datoms (n/2 entities with :item/id and :item/name) into a new store. */
static double
dh_load(const char *p, long n, struct dh_store **keep)
{
	struct dh_store *st;
	struct dh_conn *c;
	struct dh_err e;
	struct dh_arena a;
	struct dh_tx_report r;
	struct dh_buf b;
	rm(p);
	if (dh_store_open(p, DH_STORE_CREATE | DH_STORE_NOSYNC, &st, &e) ||
	    dh_db_ensure_default(st, &e) || dh_conn_open(st, "dh", &c, &e))
		die("open", &e);
	dh_arena_init(&a);
	const char *schema = "[{:db/ident :item/id :db/valueType :db.type/long "
			     ":db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
			     " {:db/ident :item/name :db/valueType :db.type/string "
			     ":db/cardinality :db.cardinality/one}]";
	if (dh_transact_text(c, schema, strlen(schema), &a, &r, &e))
		die("schema", &e);
	dh_buf_init(&b, 0);
	double t0 = now_s();
	long per = 5000; /* entities per tx: 10k datoms */
	for (long i = 0; i < n / 2; i += per) {
		dh_buf_reset(&b);
		dh_buf_addc(&b, '[');
		for (long j = i; j < i + per && j < n / 2; j++)
			dh_buf_printf(&b, "{:item/id %ld :item/name \"item %08ld\"}", j, j);
		dh_buf_addc(&b, ']');
		dh_arena_release(&a);
		if (dh_transact_text(c, (const char *)b.p, b.len, &a, &r, &e))
			die("load", &e);
	}
	if (dh_store_sync(st, &e))
		die("sync", &e);
	double t = now_s() - t0;
	dh_buf_release(&b);
	dh_arena_release(&a);
	dh_conn_close(c);
	if (keep)
		*keep = st;
	else
		dh_store_close(st);
	return t;
}

static void
mkkey(unsigned char *k, long i)
{
	/* seg | a | e | value: the size of a dh EAVT key for these datoms */
	memset(k, 0, 30);
	dh_put_u64be(k + 4, (uint64_t)i);
	snprintf((char *)k + 12, 18, "item %08ld", i % 100000000);
}

static double
lmdb_load(const char *p, long n, MDB_env **keep)
{
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi dbi;
	rm(p);
	mdb_env_create(&env);
	mdb_env_set_mapsize(env, (size_t)1 << 36);
	if (mdb_env_open(env, p, MDB_NOSUBDIR | MDB_NOSYNC, 0644))
		die("lmdb open", NULL);
	double t0 = now_s();
	for (long i = 0; i < n;) {
		mdb_txn_begin(env, NULL, 0, &t);
		mdb_dbi_open(t, NULL, 0, &dbi);
		for (long j = 0; j < 10000 && i < n; j++, i++) {
			unsigned char k[30], v[9] = {0};
			mkkey(k, i);
			MDB_val kv = {30, k}, vv = {9, v};
			if (mdb_put(t, dbi, &kv, &vv, MDB_APPEND))
				die("lmdb put", NULL);
		}
		if (mdb_txn_commit(t))
			die("lmdb commit", NULL);
	}
	mdb_env_sync(env, 1);
	double s = now_s() - t0;
	if (keep)
		*keep = env;
	else
		mdb_env_close(env);
	return s;
}

static unsigned long long rng = 88172645463325252ull;
static long
rnd(long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (long)(rng % (unsigned long long)n);
}

static double
dh_lookups(struct dh_store *st, long n, long count)
{
	struct dh_conn *c;
	struct dh_snapshot *s;
	struct dh_err e;
	struct dh_arena a;
	if (dh_conn_open(st, "dh", &c, &e) || dh_snapshot_open(c, NULL, &s, &e))
		die("snapshot", &e);
	const struct dh_attr *at = dh_schema_attr(dh_snapshot_schema(s), "item/id", 7);
	dh_arena_init(&a);
	double t0 = now_s();
	for (long i = 0; i < count; i++) {
		struct dh_iter *it;
		struct dh_datom pat = {.a = at->id, .v = {.type = DH_T_LONG, .i = rnd(n / 2)}}, d;
		if (dh_iter_open(dh_snapshot_view(s), DH_AVET, &pat, 2, &a, &it, &e) ||
		    dh_iter_next(it, &d, &e) != 1)
			die("lookup", &e);
		dh_iter_close(it);
		if (i % 1024 == 0)
			dh_arena_release(&a);
	}
	double t = now_s() - t0;
	dh_arena_release(&a);
	dh_snapshot_close(s);
	dh_conn_close(c);
	return count / t;
}

static double
lmdb_lookups(MDB_env *env, long n, long count)
{
	MDB_txn *t;
	MDB_dbi dbi;
	mdb_txn_begin(env, NULL, MDB_RDONLY, &t);
	mdb_dbi_open(t, NULL, 0, &dbi);
	double t0 = now_s();
	for (long i = 0; i < count; i++) {
		unsigned char k[30];
		mkkey(k, rnd(n));
		MDB_val kv = {30, k}, vv;
		if (mdb_get(t, dbi, &kv, &vv))
			die("mdb_get", NULL);
	}
	double s = now_s() - t0;
	mdb_txn_abort(t);
	return count / s;
}

static double
dh_commits(int count)
{
	char p[4096];
	struct dh_store *st;
	struct dh_conn *c;
	struct dh_err e;
	struct dh_arena a;
	struct dh_tx_report r;
	path(p, sizeof(p), "commit.store");
	rm(p);
	if (dh_store_open(p, DH_STORE_CREATE, &st, &e) || dh_db_ensure_default(st, &e) ||
	    dh_conn_open(st, "dh", &c, &e))
		die("open", &e);
	dh_arena_init(&a);
	const char *schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality "
			     ":db.cardinality/one}]";
	if (dh_transact_text(c, schema, strlen(schema), &a, &r, &e))
		die("schema", &e);
	double t0 = now_s();
	for (int i = 0; i < count; i++) {
		char tx[64];
		int n = snprintf(tx, sizeof(tx), "[{:n %d}]", i);
		dh_arena_release(&a);
		if (dh_transact_text(c, tx, (size_t)n, &a, &r, &e))
			die("commit", &e);
	}
	double t = now_s() - t0;
	dh_arena_release(&a);
	dh_conn_close(c);
	dh_store_close(st);
	rm(p);
	return count / t;
}

static double
lmdb_commits(int count)
{
	char p[4096];
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi dbi;
	path(p, sizeof(p), "commit.lmdb");
	rm(p);
	mdb_env_create(&env);
	mdb_env_set_mapsize(env, (size_t)1 << 30);
	if (mdb_env_open(env, p, MDB_NOSUBDIR, 0644))
		die("lmdb open", NULL);
	double t0 = now_s();
	for (int i = 0; i < count; i++) {
		unsigned char k[30], v[9] = {0};
		mkkey(k, i);
		MDB_val kv = {30, k}, vv = {9, v};
		mdb_txn_begin(env, NULL, 0, &t);
		mdb_dbi_open(t, NULL, 0, &dbi);
		mdb_put(t, dbi, &kv, &vv, 0);
		if (mdb_txn_commit(t))
			die("lmdb commit", NULL);
	}
	double s = now_s() - t0;
	mdb_env_close(env);
	rm(p);
	return count / s;
}

static double
branch_time(struct dh_store *st, int k)
{
	struct dh_err e;
	char name[32];
	snprintf(name, sizeof(name), "b%d", k);
	double t0 = now_s();
	if (dh_branch_create(st, "dh", "main", name, NULL, &e))
		die("branch", &e);
	return now_s() - t0;
}

int
main(int argc, char **argv)
{
	long n = 1000000;
	int c;
	while ((c = getopt(argc, argv, "n:r:d:")) != -1) {
		if (c == 'n')
			n = atol(optarg);
		else if (c == 'r')
			reps = atoi(optarg);
		else if (c == 'd')
			dir = optarg;
		else {
			fprintf(stderr, "usage: bench-store [-n datoms] [-r reps] [-d dir]\n");
			return 2;
		}
	}
	if (reps < 1 || reps > 99 || n < 20000)
		return 2;
	char pd[4096], pl[4096];
	path(pd, sizeof(pd), "load.store");
	path(pl, sizeof(pl), "load.lmdb");
	double ld[100], ll[100], kd[100], kl[100], cd[100], cl[100];
	for (int r = 0; r < reps; r++) {
		struct dh_store *st;
		MDB_env *env;
		ld[r] = n / dh_load(pd, n, &st);
		ll[r] = n / lmdb_load(pl, n, &env);
		kd[r] = dh_lookups(st, n, 100000);
		kl[r] = lmdb_lookups(env, n, 100000);
		dh_store_close(st);
		mdb_env_close(env);
		cd[r] = dh_commits(200);
		cl[r] = lmdb_commits(200);
	}
	rm(pd);
	rm(pl);
	printf("%-34s %14s %14s %8s\n", "workload", "dh", "raw lmdb", "ratio");
	double a = median(ld, reps), b = median(ll, reps);
	printf("%-34s %12.0f/s %12.0f/s %7.1fx\n", "bulk load (datoms)", a, b, b / a);
	a = median(kd, reps), b = median(kl, reps);
	printf("%-34s %12.0f/s %12.0f/s %7.1fx\n", "point lookup by unique attr", a, b, b / a);
	a = median(cd, reps), b = median(cl, reps);
	printf("%-34s %12.0f/s %12.0f/s %7.1fx\n", "durable single-datom commits", a, b, b / a);
	/* branch creation, flat in the size of the data */
	long sizes[3] = {10000, 100000, n};
	double base = 0;
	for (int s = 0; s < 3; s++) {
		struct dh_store *st;
		double bt[100];
		/* microsecond timings: take more samples than the other rows */
		int breps = reps * 5 > 99 ? 99 : reps * 5;
		dh_load(pd, sizes[s], &st);
		for (int r = 0; r < breps; r++)
			bt[r] = branch_time(st, r);
		dh_store_close(st);
		rm(pd);
		double m = median(bt, breps) * 1e6;
		if (s == 0)
			base = m;
		char label[64];
		snprintf(label, sizeof(label), "branch creation at %ld datoms", sizes[s]);
		printf("%-34s %12.0fus %14s %7.2fx\n", label, m, "(vs 10k)", m / base);
	}
	return 0;
}
