/*
 * bench-query: DataScript's own query benchmark (its bench/ folder) on dh,
 * through the library API only; t/perf/datascript/bench.js runs the same
 * workload on DataScript and t/perf/run.sh prints the two side by side.
 *
 *   bench-query [-f FILE | -w FILE] [-n PERSONS] [-s SEED] [-t SECONDS] [-d DIR]
 *
 * The dataset: PERSONS (20,000) entities with :name, :last-name, :sex (a
 * keyword), :age (0-99) and :salary (0-99,999), drawn from a seeded
 * xorshift32 that bench.js repeats bit for bit.  -f loads the tx-data file
 * bench.js wrote (the schema, then one tx per 1,000 persons); without it the
 * same forms are generated here; -w writes them to FILE and exits, so
 * run.sh can check that both generators agree.
 *
 * Each query is read and parsed once; each timed run is one dh_query_run
 * into a fresh arena (the result is built, then freed).  pull-many mirrors
 * DataScript's pull_many: the pattern is compiled once, the entity ids are
 * collected outside the timing, and a run pulls every entity.  Timing:
 * warm-up (at least 3 runs and SECONDS), then at least 15 runs and SECONDS;
 * the median is printed.
 *
 * Output, one line per workload ('#' lines are comments), as bench.js:
 *   NAME MEDIAN_MS ROWS CHECKSUM RUNS
 * ROWS counts result tuples (pull-many: non-nil maps); CHECKSUM sums every
 * value that is not an entity id (numbers as themselves, strings and
 * keywords by their byte length), so the two sides can show they found the
 * same answer although they number entities differently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "pull.h"
#include "query.h"

#define BATCH 1000

static double min_s = 0.5;

static void
die(const char *what, const struct dh_err *e)
{
	fprintf(stderr, "bench-query: %s: %s\n", what, e ? e->message : "failed");
	exit(1);
}

static double
now_ms(void)
{
	return (double)dh_mono_ns() / 1e6;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* --- the dataset (keep in step with bench.js) --- */
static const char *names[] = {"Ivan", "Petr", "Sergei", "Oleg", "Yuri", "Dmitry", "Fedor", "Denis"};
static const char *last_names[] = {"Ivanov",  "Petrov",    "Sidorov",
				   "Kovalev", "Kuznetsov", "Voronoi"};
static const char *sexes[] = {"male", "female"};

static const char schema_tx[] =
	"[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
	" {:db/ident :last-name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
	" {:db/ident :sex :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}"
	" {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
	" {:db/ident :salary :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

static uint32_t rng;

static uint32_t
rint_(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

/* The whole tx-data text bench.js writes with --edn. */
static void
gen_dataset(struct dh_buf *b, long n, uint32_t seed)
{
	rng = seed ? seed : 1;
	dh_buf_printf(b, "; persons.edn: DataScript's benchmark dataset, %ld persons, seed %lu\n", n,
		      (unsigned long)seed);
	dh_buf_printf(b, "; written by t/perf/datascript/bench.js; the schema, then one tx per line\n");
	dh_buf_printf(b, "%s\n", schema_tx);
	for (long i = 0; i < n; i += BATCH) {
		dh_buf_addc(b, '[');
		for (long j = i; j < i + BATCH && j < n; j++) {
			const char *nm = names[rint_(8)];
			const char *ln = last_names[rint_(6)];
			const char *sx = sexes[rint_(2)];
			uint32_t age = rint_(100);
			uint32_t sal = rint_(100000);
			dh_buf_printf(b, "%s{:name \"%s\" :last-name \"%s\" :sex :%s :age %lu :salary %lu}",
				      j > i ? " " : "", nm, ln, sx, (unsigned long)age,
				      (unsigned long)sal);
		}
		dh_buf_addc(b, ']');
		dh_buf_addc(b, '\n');
	}
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct dh_buf b;
	char chunk[65536];
	size_t n;
	if (!f) {
		perror(path);
		exit(1);
	}
	dh_buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dh_buf_add(&b, chunk, n);
	fclose(f);
	return dh_buf_detach(&b, len);
}

/* Transact every form of text. */
static void
load(struct dh_conn *c, const char *text, size_t len)
{
	struct dh_arena a;
	struct dh_err e;
	struct dh_tx_report r;
	size_t off = 0;
	dh_arena_init(&a);
	for (;;) {
		struct dh_edn *form;
		size_t used;
		if (dh_edn_parse(&a, text + off, len - off, &form, &used, &e))
			die("persons tx-data", &e);
		if (!form)
			break;
		if (dh_transact(c, form, text + off, used, &a, &r, &e))
			die("load", &e);
		off += used;
		dh_arena_release(&a);
	}
	dh_arena_release(&a);
}

/* The datoms of the five person attributes: DataScript's datom count. */
static long
count_datoms(struct dh_conn *c)
{
	static const char *attrs[] = {"name", "last-name", "sex", "age", "salary"};
	struct dh_snapshot *s;
	struct dh_arena a;
	struct dh_err e;
	long n = 0;
	int rc = 0;
	if (dh_snapshot_open(c, NULL, &s, &e))
		die("snapshot", &e);
	dh_arena_init(&a);
	for (size_t i = 0; i < 5; i++) {
		const struct dh_attr *at = dh_schema_attr(dh_snapshot_schema(s), attrs[i],
							  strlen(attrs[i]));
		struct dh_datom pat = {.a = at ? at->id : 0}, d;
		struct dh_iter *it;
		if (!at)
			die(attrs[i], NULL);
		if (dh_iter_open(dh_snapshot_view(s), DH_AEVT, &pat, 1, &a, &it, &e))
			die("count", &e);
		while ((rc = dh_iter_next(it, &d, &e)) == 1)
			n++;
		dh_iter_close(it);
		if (rc < 0)
			die("count", &e);
		dh_arena_release(&a);
	}
	dh_snapshot_close(s);
	return n;
}

/* --- checksums, as bench.js computes them --- */
static double
valsum(const struct dh_value *v)
{
	switch (v->type) {
	case DH_T_LONG:
		return (double)v->i;
	case DH_T_STRING:
	case DH_T_KEYWORD:
		return (double)v->s.n;
	default:
		return 0;
	}
}

struct sample {
	long rows;
	double sum;
};

/* Time run(ctx) as bench.js times its queries; returns the median ms. */
static double
bench(void (*run)(void *ctx, struct sample *out), void *ctx, struct sample *out, long *runs)
{
	size_t cap = 1024, n = 0;
	double *t = xmalloc(cap * sizeof(*t));
	double start = now_ms();
	for (int i = 0; i < 3 || now_ms() - start < min_s * 1000; i++)
		run(ctx, out);
	start = now_ms();
	while (n < 15 || (now_ms() - start < min_s * 1000 && n < 100000)) {
		double t0 = now_ms();
		run(ctx, out);
		if (n == cap)
			t = xrealloc(t, (cap *= 2) * sizeof(*t));
		t[n++] = now_ms() - t0;
	}
	qsort(t, n, sizeof(*t), cmpd);
	double m = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	free(t);
	*runs = (long)n;
	return m;
}

struct qctx {
	struct dh_query *q;
	struct dh_query_env env;
};

static void
run_query(void *ctx, struct sample *out)
{
	struct qctx *qc = ctx;
	struct dh_arena a;
	struct dh_result r;
	struct dh_err e;
	dh_arena_init(&a);
	if (dh_query_run(qc->q, &qc->env, &a, &r, &e))
		die("query", &e);
	out->rows = (long)r.nrows;
	out->sum = 0;
	/* column 0 of a relation is ?e; a scalar's one value is summed */
	size_t first = r.shape == DH_FIND_SCALAR ? 0 : 1;
	for (size_t i = 0; i < r.nrows; i++)
		for (size_t j = first; j < r.ncols; j++)
			out->sum += valsum(&r.rows[i * r.ncols + j]);
	dh_arena_release(&a);
}

struct pctx {
	struct dh_view *view;
	const struct dh_schema *schema;
	struct dh_pull *p;
	uint64_t *eids;
	size_t n;
};

static void
run_pull(void *ctx, struct sample *out)
{
	struct pctx *pc = ctx;
	struct dh_arena a;
	struct dh_err e;
	struct dh_puller *pl;
	dh_arena_init(&a);
	out->rows = 0;
	out->sum = 0;
	if (dh_puller_open(pc->view, pc->schema, pc->p, &pl, &e))
		die("pull", &e);
	for (size_t i = 0; i < pc->n; i++) {
		struct dh_value v;
		if (dh_puller_pull(pl, pc->eids[i], &a, &v, &e))
			die("pull", &e);
		if (v.type != DH_T_COLL)
			continue;
		out->rows++;
		for (size_t k = 1; k < v.coll->n; k += 2)
			out->sum += valsum(&v.coll->items[k]);
	}
	dh_puller_close(pl);
	dh_arena_release(&a);
}

static void
report(const char *name, double ms, const struct sample *s, long runs)
{
	printf("%s %.4f %ld %.0f %ld\n", name, ms, s->rows, s->sum, runs);
	fflush(stdout);
}

static const struct {
	const char *name, *text, *in;
} queries[] = {
	{"q1", "[:find ?e :where [?e :name \"Ivan\"]]", NULL},
	{"q2", "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a]]", NULL},
	{"q3", "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a] [?e :sex :male]]", NULL},
	{"q4",
	 "[:find ?e ?l ?a :where [?e :name \"Ivan\"] [?e :last-name ?l] [?e :age ?a] [?e :sex "
	 ":male]]",
	 NULL},
	{"qpred1", "[:find ?e ?s :where [?e :salary ?s] [(> ?s 50000)]]", NULL},
	{"qpred2", "[:find ?e ?s :in $ ?min_s :where [?e :salary ?s] [(> ?s ?min_s)]]", "50000"},
	/* not in DataScript's set: see bench.js */
	{"q1-count", "[:find (count ?e) . :where [?e :name \"Ivan\"]]", NULL},
};

/* -q NAME: run only that workload (for a profiler); NULL runs them all */
static const char *only;

static int
wanted(const char *name)
{
	return !only || !strcmp(only, name);
}

static void
bench_queries(struct dh_conn *c)
{
	struct dh_err e;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		struct dh_snapshot *s;
		struct dh_arena qa;
		struct dh_edn *form, *in = NULL;
		const struct dh_edn *ins[1];
		size_t used;
		struct qctx qc;
		struct sample smp;
		long runs;
		const char *t = queries[i].text;
		if (!wanted(queries[i].name))
			continue;
		if (dh_snapshot_open(c, NULL, &s, &e))
			die("snapshot", &e);
		dh_arena_init(&qa);
		memset(&qc, 0, sizeof(qc));
		if (dh_edn_parse(&qa, t, strlen(t), &form, &used, &e) ||
		    dh_query_parse(&qa, form, t, strlen(t), &qc.q, &e))
			die(queries[i].name, &e);
		qc.env.nsrc = 1;
		qc.env.src[0].name = "$";
		qc.env.src[0].view = dh_snapshot_view(s);
		qc.env.src[0].schema = dh_snapshot_schema(s);
		if (queries[i].in) {
			if (dh_edn_parse(&qa, queries[i].in, strlen(queries[i].in), &in, &used, &e))
				die(queries[i].name, &e);
			ins[0] = in;
			qc.env.nin = 1;
			qc.env.in = ins;
		}
		double ms = bench(run_query, &qc, &smp, &runs);
		report(queries[i].name, ms, &smp, runs);
		dh_arena_release(&qa);
		dh_snapshot_close(s);
	}
}

static void
bench_pull_many(struct dh_conn *c)
{
	static const char pattern[] = "[:name :last-name :age :sex :salary]";
	struct dh_snapshot *s;
	struct dh_arena pa;
	struct dh_err e;
	struct dh_edn *form;
	struct dh_iter *it;
	struct dh_datom d;
	struct pctx pc;
	struct sample smp;
	size_t used, cap = 1024;
	long runs;
	int rc;
	if (dh_snapshot_open(c, NULL, &s, &e))
		die("snapshot", &e);
	dh_arena_init(&pa);
	memset(&pc, 0, sizeof(pc));
	pc.view = dh_snapshot_view(s);
	pc.schema = dh_snapshot_schema(s);
	if (dh_edn_parse(&pa, pattern, strlen(pattern), &form, &used, &e) ||
	    dh_pull_parse(&pa, form, pc.schema, pattern, strlen(pattern), &pc.p, &e))
		die("pull pattern", &e);
	/* every entity with a :name, in id order (AEVT), as bench.js sorts them */
	const struct dh_attr *at = dh_schema_attr(pc.schema, "name", 4);
	if (!at)
		die("pull-many", NULL);
	struct dh_datom pat = {.a = at->id};
	pc.eids = xmalloc(cap * sizeof(*pc.eids));
	if (dh_iter_open(pc.view, DH_AEVT, &pat, 1, &pa, &it, &e))
		die("pull-many eids", &e);
	while ((rc = dh_iter_next(it, &d, &e)) == 1) {
		if (pc.n == cap)
			pc.eids = xrealloc(pc.eids, (cap *= 2) * sizeof(*pc.eids));
		pc.eids[pc.n++] = d.e;
	}
	if (rc < 0)
		die("pull-many eids", &e);
	dh_iter_close(it);
	double ms = bench(run_pull, &pc, &smp, &runs);
	report("pull-many", ms, &smp, runs);
	free(pc.eids);
	dh_arena_release(&pa);
	dh_snapshot_close(s);
}

static void
rm_store(const char *p)
{
	char lock[4200];
	snprintf(lock, sizeof(lock), "%s-lock", p);
	unlink(p);
	unlink(lock);
}

int
main(int argc, char **argv)
{
	const char *file = NULL, *write_to = NULL, *dir = "/tmp";
	long n = 20000;
	uint32_t seed = 42;
	int opt;
	while ((opt = getopt(argc, argv, "f:w:n:s:t:d:q:")) != -1) {
		if (opt == 'f')
			file = optarg;
		else if (opt == 'w')
			write_to = optarg;
		else if (opt == 'n')
			n = atol(optarg);
		else if (opt == 's')
			seed = (uint32_t)strtoul(optarg, NULL, 10);
		else if (opt == 't')
			min_s = atof(optarg);
		else if (opt == 'd')
			dir = optarg;
		else if (opt == 'q')
			only = optarg;
		else
			goto usage;
	}
	if (optind != argc || n < 1 || min_s < 0 || (file && write_to))
		goto usage;

	char *text;
	size_t len;
	if (file) {
		text = slurp(file, &len);
	} else {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		gen_dataset(&b, n, seed);
		if (write_to) {
			FILE *f = fopen(write_to, "wb");
			if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f)) {
				perror(write_to);
				return 1;
			}
			return 0;
		}
		text = dh_buf_detach(&b, &len);
	}

	char path[4096];
	struct dh_store *st;
	struct dh_conn *c;
	struct dh_err e;
	snprintf(path, sizeof(path), "%s/bench-query-%ld.store", dir, (long)getpid());
	rm_store(path);
	if (dh_store_open(path, DH_STORE_CREATE | DH_STORE_NOSYNC, &st, &e) ||
	    dh_db_create(st, "bench", 0, &e) || dh_conn_open(st, "bench", &c, &e))
		die("open", &e);
	printf("# dh, %s, %s\n", file ? file : "generated dataset", path);
	/* Load: parse + transact every tx, no fsync (DataScript keeps its db in
	 * memory); one run, like bench.js. */
	double t0 = now_ms();
	load(c, text, len);
	double ms = now_ms() - t0;
	struct sample ld = {count_datoms(c), 0};
	report("load", ms, &ld, 1);
	free(text);

	bench_queries(c);
	if (wanted("pull-many"))
		bench_pull_many(c);

	dh_conn_close(c);
	dh_store_close(st);
	rm_store(path);
	return 0;
usage:
	fprintf(stderr, "usage: bench-query [-f file | -w file] [-n persons] [-s seed] "
			"[-t seconds] [-d dir] [-q workload]\n");
	return 2;
}
