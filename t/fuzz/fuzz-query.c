/*
 * fuzz-query: libFuzzer target for the Datalog query parser and engine.
 *
 * The bytes are EDN text as dh-query reads it: the first form is the query
 * ([:find ...], {:find ...} or (pull ...)), the forms after it are its :in
 * inputs in order, as dh-query --in gives them, read as a text apart from
 * the query's (scalars, tuples, collections, relations, the rules for %);
 * a source the :in names besides $ ($before) is opened from its input as
 * dh-query does: a tx id, or a map {:as-of t :since t :history true}.
 * Whatever the bytes:
 *   - dh_query_form_is_query and dh_query_parse must not crash; a parse
 *     error has its code, a message and a position inside the text;
 *   - a query that parses is explained and run against a small store; an
 *     error is never one of the "cannot happen" kind (internal, corrupt,
 *     I/O), and a result prints in every output format, the EDN output
 *     reading back.
 *
 * The store is made on the first call in a new directory under $TMPDIR (or
 * /tmp), reopened read-only so no query can write, and removed at exit.  It
 * holds the people of t/datalog (a unique identity, a unique value, a ref,
 * a component, cardinality-many refs and keywords, a double, a boolean)
 * grown to 36 people, and the accounts of t/datalog/time.edn with their
 * history over five transactions (uuid, bigdec, instant), so the seeds in
 * corpus-query/ find data.
 *
 * Budget.  The engine has no step or memory limit of its own, only
 * env.cancel, which it polls while it works.  A watchdog thread sets it
 * when a query has run DH_FUZZ_QUERY_MS milliseconds (default 250) or grown
 * the resident set by DH_FUZZ_QUERY_MB megabytes (default 256), so a
 * cartesian product or a recursive rule over everything ends in DH_ECANCELED
 * instead of hanging the fuzzer or exhausting its memory.  Whether a query
 * is cut short depends on the machine's speed, so a result is not checked
 * against anything that needs it whole.  A query that runs on for two
 * seconds after its flag was set (or past libFuzzer's -timeout, or beyond
 * -rss_limit_mb) does work that env.cancel does not reach: a finding, and
 * an abort here, so that the replay of a reproducer fails too.
 *
 * mk/fuzz.am builds it with libFuzzer (t/fuzz/fuzz-query, which make check
 * and make fuzz run with -dict=t/fuzz/query.dict over t/fuzz/corpus-query),
 * and with replay.c's main() instead (t/fuzz/fuzz-query-replay FILE|DIR...),
 * so any build reruns the corpus or a crash file; with DH_FUZZ_VERBOSE=1 in
 * the environment it prints each query's result (EDN) or error.
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dh.h"
#include "format.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;

/* ------------------------------------------------------------ the store */

static const char schema_tx[] =
    "[{:db/ident :person/name :db/valueType :db.type/string"
    "  :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
    " {:db/ident :person/email :db/valueType :db.type/string"
    "  :db/cardinality :db.cardinality/one :db/unique :db.unique/value}"
    " {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/salary :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/height :db/valueType :db.type/double"
    "  :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/active :db/valueType :db.type/boolean"
    "  :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/city :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/nick :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/tags :db/valueType :db.type/keyword"
    "  :db/cardinality :db.cardinality/many}"
    " {:db/ident :person/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}"
    " {:db/ident :person/parent :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/address :db/valueType :db.type/ref"
    "  :db/cardinality :db.cardinality/one :db/isComponent true}"
    " {:db/ident :address/street :db/valueType :db.type/string"
    "  :db/cardinality :db.cardinality/one}"
    " {:db/ident :address/zip :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
    " {:db/ident :acct/id :db/valueType :db.type/uuid"
    "  :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
    " {:db/ident :acct/owner :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
    " {:db/ident :acct/balance :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}"
    " {:db/ident :acct/opened :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}"
    " {:db/ident :acct/status :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}"
    " {:db/ident :acct/tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
    " {:db/ident :acct/limit :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

/* t/datalog's people and accounts, entities named by lookup refs across
 * transactions (the addresses, which have no unique attribute, are bound
 * in the first) */
static const char *const data_tx[] = {
    "[{:db/id \"dave\" :person/name \"Dave\" :person/email \"dave@example.com\" :person/age 70"
    "  :person/salary 3000 :person/height 1.75 :person/active false :person/city \"Bergen\""
    "  :person/tags [:retired]}"
    " {:db/id \"alice\" :person/name \"Alice\" :person/email \"alice@example.com\""
    "  :person/age 45 :person/salary 7000 :person/height 1.68 :person/active true"
    "  :person/city \"Oslo\" :person/nick \"Ali\" :person/tags [:dev :ops]"
    "  :person/address \"addr-a\"}"
    " {:db/id \"bob\" :person/name \"Bob\" :person/email \"bob@example.com\" :person/age 42"
    "  :person/salary 6500 :person/height 1.82 :person/active true :person/city \"Berlin\""
    "  :person/nick \"Bobby\" :person/tags [:dev] :person/address \"addr-b\"}"
    " {:db/id \"carol\" :person/name \"Carol\" :person/email \"carol@example.com\""
    "  :person/age 20 :person/salary 2500 :person/height 1.7 :person/active true"
    "  :person/city \"Oslo\" :person/tags [:design :dev]}"
    " {:db/id \"erin\" :person/name \"Erin\" :person/email \"erin@example.com\" :person/age 2"
    "  :person/height 0.9 :person/active false :person/city \"Oslo\"}"
    " {:db/id \"frank\" :person/name \"Frank\" :person/age 33 :person/salary 4000"
    "  :person/height 1.75 :person/active false :person/city \"Paris\" :person/tags [:ops]}"
    " {:db/id \"addr-a\" :address/street \"Main St 1\" :address/zip \"0150\"}"
    " {:db/id \"addr-b\" :address/street \"Elm St 9\" :address/zip \"10115\"}]",
    "[[:db/add [:person/name \"Alice\"] :person/parent [:person/name \"Dave\"]]"
    " [:db/add [:person/name \"Bob\"] :person/parent [:person/name \"Dave\"]]"
    " [:db/add [:person/name \"Carol\"] :person/parent [:person/name \"Alice\"]]"
    " [:db/add [:person/name \"Erin\"] :person/parent [:person/name \"Carol\"]]"
    " [:db/add [:person/name \"Alice\"] :person/friend [:person/name \"Bob\"]]"
    " [:db/add [:person/name \"Alice\"] :person/friend [:person/name \"Carol\"]]"
    " [:db/add [:person/name \"Bob\"] :person/friend [:person/name \"Alice\"]]"
    " [:db/add [:person/name \"Carol\"] :person/friend [:person/name \"Erin\"]]"
    " [:db/add [:person/name \"Carol\"] :person/friend [:person/name \"Frank\"]]"
    " [:db/add [:person/name \"Frank\"] :person/friend [:person/name \"Alice\"]]]",
    "[{:db/id \"a1\" :acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000001\""
    "  :acct/owner \"Ann\" :acct/balance 100.00M :acct/opened #inst \"2020-01-01T00:00:00Z\""
    "  :acct/status :open :acct/tags [\"gold\"] :acct/limit 500}"
    " {:db/id \"a2\" :acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000002\""
    "  :acct/owner \"Ben\" :acct/balance 50.5M :acct/opened #inst \"2021-06-15T12:30:00Z\""
    "  :acct/status :open}]",
    "[[:db/add [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000001\"] :acct/balance 80.00M]"
    " [:db/add [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000002\"] :acct/tags \"new\"]]",
    "[{:db/id \"a3\" :acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000003\""
    "  :acct/owner \"Cat\" :acct/balance 12.25M :acct/opened #inst \"2022-03-01T00:00:00Z\""
    "  :acct/status :open}"
    " [:db/retract [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000002\"]"
    "  :acct/tags \"new\"]]",
    "[[:db/add [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000002\"] :acct/status :closed]"
    " [:db/add [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000001\"] :acct/tags \"silver\"]"
    " [:db/retract [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000001\"]"
    "  :acct/tags \"gold\"]]",
    "[[:db/retractEntity [:acct/id #uuid \"6f1d3a2e-0000-4000-8000-000000000003\"]]]",
};

#define NMORE 30 /* people besides the six of t/datalog */

static const char *const cities[] = {"Oslo", "Bergen", "Berlin", "Paris", "Lima"};
static const char *const tags[] = {":dev", ":ops", ":design", ":retired"};

/* NMORE people: some nicknames, tags, addresses, parents and friends
 * among each other and the six above. */
static void
more_people(struct dh_buf *b)
{
	static const char *const six[] = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank"};
	dh_buf_addc(b, '[');
	for (int i = 0; i < NMORE; i++) {
		dh_buf_printf(b,
			      "{:db/id \"p%d\" :person/name \"P%02d\" :person/age %d"
			      " :person/height %d.%02d :person/active %s :person/city \"%s\"",
			      i, i, 18 + (i * 7) % 60, 1 + i % 2, (i * 13) % 100,
			      i % 3 ? "true" : "false", cities[i % 5]);
		if (i % 4)
			dh_buf_printf(b, " :person/salary %d", 1000 + 250 * i);
		if (i % 5 == 0)
			dh_buf_printf(b, " :person/nick \"N%d\" :person/email \"p%d@example.com\"",
				      i, i);
		if (i % 3)
			dh_buf_printf(b, " :person/tags [%s %s]", tags[i % 4], tags[(i / 4) % 4]);
		if (i % 6 == 1)
			dh_buf_printf(b,
				      " :person/address {:address/street \"Side St %d\""
				      " :address/zip \"%05d\"}",
				      i, 1000 * i);
		if (i > 0)
			dh_buf_printf(b, " :person/parent \"p%d\"", i / 2);
		else
			dh_buf_printf(b, " :person/parent [:person/name \"Erin\"]");
		dh_buf_printf(b, " :person/friend [\"p%d\" [:person/name \"%s\"]]",
			      (i * 7 + 3) % NMORE, six[i % 6]);
		dh_buf_adds(b, "}\n");
	}
	dh_buf_addc(b, ']');
}

static struct dh_store *store;
static struct dh_conn *conn;
static char store_dir[4096], store_path[4200], lock_path[4200];

static void
die(const char *what, const struct dh_err *err)
{
	fprintf(stderr, "fuzz-query: %s: %s\n", what, err ? err->message : "failed");
	abort();
}

static void
remove_store(void)
{
	dh_conn_close(conn);
	dh_store_close(store);
	conn = NULL;
	store = NULL;
	unlink(store_path);
	unlink(lock_path);
	rmdir(store_dir);
}

static void
transact(const char *text, size_t n)
{
	struct dh_arena a;
	struct dh_tx_report rep;
	struct dh_err err;
	dh_arena_init(&a);
	if (dh_transact_text(conn, text, n, &a, &rep, &err))
		die("cannot load the store", &err);
	dh_arena_release(&a);
}

static void
open_store(void)
{
	struct dh_err err;
	struct dh_buf b;
	const char *tmp = getenv("TMPDIR");
	snprintf(store_dir, sizeof(store_dir), "%s/fuzz-query.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(store_dir)) {
		perror(store_dir);
		abort();
	}
	snprintf(store_path, sizeof(store_path), "%s/q.store", store_dir);
	snprintf(lock_path, sizeof(lock_path), "%s/q.store-lock", store_dir);
	atexit(remove_store);
	if (dh_store_open(store_path, DH_STORE_CREATE | DH_STORE_NOSYNC, &store, &err) ||
	    dh_db_create(store, "fz", 0, &err) || dh_conn_open(store, "fz", &conn, &err))
		die("cannot create the store", &err);
	transact(schema_tx, strlen(schema_tx));
	for (size_t i = 0; i < sizeof(data_tx) / sizeof(data_tx[0]); i++)
		transact(data_tx[i], strlen(data_tx[i]));
	dh_buf_init(&b, 0);
	more_people(&b);
	transact((const char *)b.p, b.len);
	dh_buf_release(&b);
	dh_conn_close(conn);
	dh_store_close(store);
	if (dh_store_open(store_path, DH_STORE_RDONLY, &store, &err) ||
	    dh_conn_open(store, "fz", &conn, &err))
		die("cannot reopen the store read-only", &err);
}

/* ------------------------------------------------------------ the budget */

static volatile sig_atomic_t cancel_flag;
static pthread_mutex_t budget_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t deadline_ns; /* 0: no query is running */
static uint64_t cancel_ns;   /* when the watchdog set cancel_flag */
static long rss_limit_pages;
static uint64_t budget_ms = 250;
static long budget_mb = 256;

static long
rss_pages(void)
{
	long size = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss;
}

/* Under the mutex, so a late check of one query cannot cancel the next. */
static void *
watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&budget_mu);
		if (deadline_ns && !cancel_flag &&
		    (dh_mono_ns() > deadline_ns || rss_pages() > rss_limit_pages)) {
			cancel_flag = 1;
			cancel_ns = dh_mono_ns();
		}
		pthread_mutex_unlock(&budget_mu);
	}
	return NULL;
}

static void
budget_start(void)
{
	pthread_mutex_lock(&budget_mu);
	cancel_flag = 0;
	rss_limit_pages = rss_pages() + budget_mb * (1024 * 1024 / sysconf(_SC_PAGESIZE));
	deadline_ns = dh_mono_ns() + budget_ms * 1000000;
	pthread_mutex_unlock(&budget_mu);
}

/* A query must end soon after its cancel flag is set: the engine polls it
 * every 1024 steps.  Seconds later means a loop that does not poll. */
static void
budget_stop(const char *what)
{
	uint64_t late = 0;
	pthread_mutex_lock(&budget_mu);
	deadline_ns = 0;
	if (cancel_flag)
		late = dh_mono_ns() - cancel_ns;
	pthread_mutex_unlock(&budget_mu);
	if (late > (uint64_t)2000 * 1000000) {
		fprintf(stderr,
			"%s ran %.1f s after its cancel flag was set: a loop does not poll "
			"env.cancel\n",
			what, (double)late / 1e9);
		abort();
	}
}

static void
setup(void)
{
	pthread_t t;
	const char *s;
	if ((s = getenv("DH_FUZZ_QUERY_MS")) && atoi(s) > 0)
		budget_ms = (uint64_t)atoi(s);
	if ((s = getenv("DH_FUZZ_QUERY_MB")) && atoi(s) > 0)
		budget_mb = atoi(s);
	open_store();
	if (pthread_create(&t, NULL, watchdog, NULL)) {
		perror("pthread_create");
		abort();
	}
	pthread_detach(t);
}

/* ------------------------------------------------------------ sources */

struct sources {
	int n;
	struct dh_snapshot *snap[DH_QUERY_MAX_SOURCES];
};

static int
spec_time(const struct dh_edn *x, char *buf, size_t n, struct dh_err *err)
{
	if (x->kind == DH_EDN_INT)
		snprintf(buf, n, "%lld", (long long)x->i);
	else if (x->kind == DH_EDN_STRING)
		snprintf(buf, n, "%s", x->s.p);
	else if (x->kind == DH_EDN_TAGGED && strcmp(x->tagged.tag, "inst") == 0 &&
		 x->tagged.val->kind == DH_EDN_STRING)
		snprintf(buf, n, "%s", x->tagged.val->s.p);
	else
		return dh_err_set(err, DH_EUSAGE, "a source input is a tx id, an #inst or a map");
	return 0;
}

/* env.open_source: a view of the one database, as dh-query's inputs give it */
static int
open_source(void *ctx, const struct dh_edn *spec, struct dh_source *out, struct dh_err *err)
{
	struct sources *ss = ctx;
	struct dh_view_spec vs = {.mode = DH_VIEW_CURRENT};
	char asof[64], since[64];
	const struct dh_edn *t = spec, *si = NULL, *hi = NULL;
	int rc;
	if (ss->n == DH_QUERY_MAX_SOURCES)
		return dh_err_set(err, DH_EUSAGE, "too many sources");
	if (spec->kind == DH_EDN_MAP) {
		t = dh_edn_map_get(spec, "as-of");
		si = dh_edn_map_get(spec, "since");
		hi = dh_edn_map_get(spec, "history");
	}
	if (t) {
		if ((rc = spec_time(t, asof, sizeof(asof), err)))
			return rc;
		vs.as_of = asof;
	}
	if (si) {
		if ((rc = spec_time(si, since, sizeof(since), err)))
			return rc;
		vs.since = since;
		vs.mode = DH_VIEW_SINCE;
	}
	if (hi && hi->kind == DH_EDN_BOOL && hi->b)
		vs.mode = DH_VIEW_HISTORY;
	if ((rc = dh_snapshot_open(conn, &vs, &ss->snap[ss->n], err)))
		return rc;
	out->name = "";
	out->view = dh_snapshot_view(ss->snap[ss->n]);
	out->schema = dh_snapshot_schema(ss->snap[ss->n]);
	ss->n++;
	return 0;
}

/* ------------------------------------------------------------ one input */

/* Errors a query may not end with, whatever its text: they mean the engine
 * or the store broke. */
static void
check_error(int rc, const struct dh_err *err, size_t size, const char *what)
{
	if (rc == DH_EINTERNAL || rc == DH_ENOMEM || rc == DH_EIO || rc == DH_ECORRUPT ||
	    rc == DH_ECHECKFAIL || rc == DH_EREADONLY || err->code != rc || !err->message[0] ||
	    err->position < 0 || (size_t)err->position > size + 1) {
		fprintf(stderr, "%s: unexpected error %d (%s, err.code %d) at %d: %s\n", what, rc,
			dh_strerror(rc), err->code, err->position, err->message);
		abort();
	}
}

static void
check_result(const struct dh_result *r)
{
	struct dh_buf b;
	struct dh_arena a;
	struct dh_edn *x;
	struct dh_err err;
	size_t used;
	assert(r->nrows == 0 || r->rows);
	assert(r->shape != DH_FIND_TUPLE || r->nrows <= 1);
	assert(r->shape != DH_FIND_SCALAR || (r->nrows <= 1 && r->ncols == 1));
	assert(r->shape != DH_FIND_COLL || r->ncols == 1);
	for (size_t i = 0; i < r->ncols; i++)
		assert(r->cols[i]);
	dh_arena_init(&a);
	dh_buf_init(&b, (size_t)16 << 20);
	for (int f = DH_FMT_ALIGNED; f <= DH_FMT_EDN; f++) {
		dh_buf_reset(&b);
		int rc = dh_result_format(&b, (enum dh_format)f, r);
		assert(rc == 0 || rc == DH_ETOOLONG);
		if (rc || f != DH_FMT_EDN)
			continue;
		rc = dh_edn_parse(&a, (const char *)b.p, b.len, &x, &used, &err);
		if (rc) {
			fprintf(stderr, "the EDN result does not read back: %s at %d\n%s\n",
				err.message, err.position, (char *)b.p);
			abort();
		}
		if (verbose)
			fwrite(b.p, 1, b.len, stdout);
	}
	dh_buf_release(&b);
	dh_arena_release(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct dh_arena a;
	struct dh_edn *form, *inputs = NULL;
	struct dh_query *q = NULL;
	struct dh_err err;
	struct dh_snapshot *snap = NULL;
	struct sources ss = {0};
	struct dh_buf b;
	struct dh_result r;
	char *intext = NULL;
	size_t used;
	int rc;

	if (!store) {
		verbose = getenv("DH_FUZZ_VERBOSE") && atoi(getenv("DH_FUZZ_VERBOSE")) > 0;
		setup();
	}
	dh_arena_init(&a);
	dh_buf_init(&b, (size_t)16 << 20);
	if (verbose)
		putchar('\n');
	/* The query's text is its form alone and the inputs have a text of
	 * their own (an exact-size copy), as in dh-query: positions in the
	 * inputs' forms must not be taken for positions in the query. */
	if (dh_edn_parse(&a, text, size, &form, &used, &err) ||
	    (intext = xmemdup(text + used, size - used),
	     dh_edn_parse_all(&a, intext, size - used, &inputs, &err))) {
		if (verbose)
			printf("EDN error at %d: %s\n", err.position, err.message);
		goto out;
	}
	if (!form) /* nothing but blanks and comments */
		goto out;
	(void)dh_query_form_is_query(form);
	dh_err_clear(&err);
	rc = dh_query_parse(&a, form, text, used, &q, &err);
	if (rc) {
		check_error(rc, &err, used, "dh_query_parse");
		assert(!q);
		if (verbose)
			printf("parse error %s at %d: %s\n", err.sqlstate, err.position,
			       err.message);
		goto out;
	}
	assert(q);
	(void)dh_query_nsources(q);
	(void)dh_query_ninputs(q);
	(void)dh_query_source_name(q, 0);
	struct dh_view_spec spec = {.mode = DH_VIEW_CURRENT};
	if ((rc = dh_snapshot_open(conn, &spec, &snap, &err)))
		die("cannot open a snapshot", &err);
	struct dh_query_env env = {
	    .nsrc = 1,
	    .nin = inputs->coll.n,
	    .in = (const struct dh_edn *const *)inputs->coll.items,
	    .cancel = &cancel_flag,
	    .open_source = open_source,
	    .open_ctx = &ss,
	};
	env.src[0] = (struct dh_source){"$", dh_snapshot_view(snap), dh_snapshot_schema(snap)};

	dh_err_clear(&err);
	budget_start();
	rc = dh_query_explain(q, &env, &a, &b, &err);
	budget_stop("dh_query_explain");
	if (rc)
		check_error(rc, &err, used, "dh_query_explain");
	for (int i = 0; i < ss.n; i++)
		dh_snapshot_close(ss.snap[i]);
	ss.n = 0;

	dh_err_clear(&err);
	budget_start();
	rc = dh_query_run(q, &env, &a, &r, &err);
	budget_stop("dh_query_run");
	if (rc) {
		check_error(rc, &err, used, "dh_query_run");
		if (verbose)
			printf("error %s at %d: %s\n", err.sqlstate, err.position, err.message);
		goto out;
	}
	check_result(&r);
out:
	for (int i = 0; i < ss.n; i++)
		dh_snapshot_close(ss.snap[i]);
	dh_snapshot_close(snap);
	free(intext);
	dh_buf_release(&b);
	dh_arena_release(&a);
	return 0;
}
