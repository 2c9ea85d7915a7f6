/*
 * fuzz-sql: libFuzzer target for SQL text, parsed, compiled, planned and
 * run.  The bytes are what a client sends as one simple Query: any number
 * of statements, run by dh_sql_exec in a session of its own over a small
 * store, inside a transaction block that is rolled back at the end.
 * Whatever the bytes:
 *   - nothing crashes, reads or writes out of bounds, leaks or overflows
 *     (ASan, UBSan);
 *   - an error is an SQL error with a SQLSTATE, a message and a position
 *     inside the text, never one of the "cannot happen" kind (XX000
 *     internal, XX001 corrupt, 58030 I/O);
 *   - every result has a tag, named columns and cells that are strings or
 *     NULL;
 *   - a statement stops soon after the session's cancel flag is set (see
 *     the budget below).
 *
 * The store is made on the first call in a new directory under $TMPDIR (or
 * /tmp) and removed at exit.  Its database "fz" has tables made by SQL
 * (ints, text, numeric with typmods, dates, timestamps, interval, jsonb,
 * uuid, bytea, NULLs, primary keys, defaults), a table made by
 * Datalog tx-data (person: a unique identity, a cardinality-many string and
 * ref, an instant), and some history: rows updated and deleted in later
 * transactions, so SET dh.as_of finds older states.  corpus-sql/ seeds
 * read these tables (sql.dict names them too).
 *
 * One input, one state.  Each input gets a new session, BEGIN, its text,
 * then the session is closed (an open transaction rolls back), so nothing
 * it does lasts: a session's settings die with it, and the writes of an
 * uncommitted transaction are never seen.  But the text may end the block
 * itself (COMMIT, END, ROLLBACK then statements in implicit transactions,
 * which commit at the end of the text); rejecting such texts would be
 * fragile (COMMIT AND CHAIN, END, a ROLLBACK followed by DDL, ...) and
 * would leave commits untested.  So the fuzzer lets them commit, and after
 * each input compares the branch's head tx with the pristine store's: when
 * it moved, the store is closed and a copy of the pristine file, kept
 * beside it, is put in its place.  Every input therefore starts from the
 * same store (a crash replays alone), and the store never grows.
 *
 * Budget.  The statement compiler has no step or memory limit of its own,
 * only the session's cancel flag (dh_sql_set_cancel), which it polls while
 * it works.  A watchdog thread sets the flag when the text has used
 * DH_FUZZ_SQL_MS milliseconds of CPU (default 250; or eight times that of
 * wall clock) or grown the resident set by DH_FUZZ_SQL_MB megabytes
 * (default 256), so a cartesian product, a recursive CTE without end or
 * generate_series(1, 1e18) ends in 57014 instead of hanging the fuzzer.  A
 * text that runs on for two seconds of CPU after its flag was set does
 * work the flag does not reach: a finding, and an abort here, so that the
 * replay of a reproducer fails too.
 *
 * mk/sqlfuzz.am builds it in mk/fuzz.am's scheme: t/fuzz/fuzz-sql with
 * libFuzzer (make check and make fuzz FUZZ_TARGETS=sql run it with
 * -dict=t/fuzz/sql.dict over t/fuzz/corpus-sql), t/fuzz/fuzz-sql-replay
 * FILE|DIR... with replay.c's main() in every build.  With
 * DH_FUZZ_VERBOSE=1 in the environment it prints each statement's tag and
 * rows, or the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dh.h"
#include "sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;

/* ------------------------------------------------------------ the store */

/* The SQL tables, each text one dh_sql_exec (one transaction). */
static const char *const setup_sql[] = {
    "CREATE TABLE dept (name text PRIMARY KEY, budget numeric(12,2), city text,"
    " founded date);"
    "CREATE TABLE emp (id int PRIMARY KEY, name text NOT NULL, dept text,"
    " salary numeric(10,2), hired date, boss int, active boolean DEFAULT true,"
    " rating float8, note varchar(20));"
    "CREATE TABLE t (a int, b text, c numeric, d date, e float8);"
    "CREATE TABLE ev (id bigint PRIMARY KEY, at timestamptz, ts timestamp, dur interval,"
    " data jsonb, code char(3), u uuid, raw bytea, small smallint, r real, tm time);",

    "INSERT INTO dept VALUES ('eng', 1000000.00, 'Oslo', '2001-02-03'),"
    " ('ops', 250000.50, 'Bergen', '1999-12-31'), ('sales', NULL, 'Oslo', NULL),"
    " ('empty', 0, NULL, '2020-02-29');"
    "INSERT INTO emp VALUES"
    " (1, 'Ada', 'eng', 9000.00, '2010-01-04', NULL, true, 4.5, 'founder'),"
    " (2, 'Bob', 'eng', 7000.50, '2012-06-30', 1, true, 3.25, NULL),"
    " (3, 'Cy', 'ops', 5000.00, '2015-03-01', 1, false, NULL, 'part-time'),"
    " (4, 'Di', 'ops', NULL, NULL, 3, true, 2.0, NULL),"
    " (5, 'Ed', NULL, 4200.10, '2019-11-11', 2, NULL, 'NaN', ''),"
    " (6, 'Flo', 'sales', 6100.00, '2021-01-01', 1, true, -1.5e10, 'remote'),"
    " (7, 'Gus', 'eng', 7000.50, '2012-06-30', 2, true, 3.25, 'twin of Bob'),"
    " (8, 'Hal', 'nowhere', 1.00, '1970-01-01', 99, false, 0, 'orphan');"
    "INSERT INTO t VALUES (1, 'a', 1.5, '2024-01-01', 0.5), (2, 'b', -2, '2024-02-29', NULL),"
    " (2, 'b', -2, '2024-02-29', NULL), (NULL, NULL, NULL, NULL, NULL),"
    " (3, 'Ab', 1e20, '0001-01-01', 'Infinity'), (-2147483648, '', 0.000001, '9999-12-31', -0.0),"
    " (2147483647, 'long text with spaces', 'NaN', NULL, 1e-300);"
    "INSERT INTO ev VALUES"
    " (1, '2024-03-10 01:30:00+00', '2024-03-10 01:30:00', '1 day 02:03:04',"
    "  '{\"a\": 1, \"b\": [1, 2, {\"c\": null}]}', 'abc', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
    "  '\\x00ff41', 1, 1.5, '12:34:56'),"
    " (2, '1999-12-31 23:59:59.999999+02', NULL, '-3 mons', '[]', 'x',"
    "  '00000000-0000-0000-0000-000000000000', '', -32768, 'Infinity', '00:00'),"
    " (3, NULL, '2000-02-29 12:00', NULL, '\"s\"', NULL, NULL, NULL, 32767, NULL, NULL),"
    " (4, 'infinity', '-infinity', '1 year 2 mons 3 days', '{\"a\": 2}', 'abc',"
    "  'ffffffff-ffff-ffff-ffff-ffffffffffff', '\\x', 0, -0.25, '23:59:59.999999');",

    /* history: later states of some rows */
    "UPDATE emp SET salary = salary * 1.10, note = 'raised' WHERE dept = 'eng';"
    "DELETE FROM t WHERE a = 3;",
    "INSERT INTO t VALUES (4, 'd', 4.25, '2024-04-04', 4);"
    "UPDATE dept SET budget = 1, city = 'Trondheim' WHERE name = 'ops';",
    "DELETE FROM emp WHERE id = 8;"
    "UPDATE ev SET data = '{\"a\": 3}' WHERE id = 4;",
};

/* person: a namespace made by Datalog, read by SQL as a table */
static const char *const setup_tx[] = {
    "[{:db/ident :person/name :db/valueType :db.type/string"
    "  :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
    " {:db/ident :person/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/score :db/valueType :db.type/double"
    "  :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/born :db/valueType :db.type/instant"
    "  :db/cardinality :db.cardinality/one}"
    " {:db/ident :person/tags :db/valueType :db.type/string"
    "  :db/cardinality :db.cardinality/many}"
    " {:db/ident :person/friend :db/valueType :db.type/ref"
    "  :db/cardinality :db.cardinality/many}]",
    "[{:db/id \"a\" :person/name \"Alice\" :person/age 45 :person/score 1.5"
    "  :person/born #inst \"1979-05-01T00:00:00Z\" :person/tags [\"x\" \"y\"]"
    "  :person/friend [\"b\" \"c\"]}"
    " {:db/id \"b\" :person/name \"Bob\" :person/age 42 :person/tags [\"y\"]"
    "  :person/friend [\"a\"]}"
    " {:db/id \"c\" :person/name \"Carol\" :person/score -0.5}"
    " {:db/id \"d\" :person/name \"Dan\" :person/age 7}]",
    ("[[:db/add [:person/name \"Carol\"] :person/age 20]"
     " [:db/retract [:person/name \"Alice\"] :person/tags \"x\"]]"),
};

static struct dh_store *store;
static uint64_t pristine_head;
static char store_dir[4096], store_path[4200], lock_path[4200], pristine_path[4200];
static unsigned long restores;

static void
die(const char *what, const struct dh_err *err)
{
	fprintf(stderr, "fuzz-sql: %s: %s\n", what, err ? err->message : "failed");
	abort();
}

static void
remove_store(void)
{
	dh_store_close(store);
	store = NULL;
	dh_sql_shutdown();
	if (verbose)
		fprintf(stderr, "fuzz-sql: the store was restored %lu times\n", restores);
	unlink(store_path);
	unlink(lock_path);
	unlink(pristine_path);
	rmdir(store_dir);
}

/* The head tx of fz:main: what a commit moves. */
static uint64_t
head_tx(void)
{
	struct dh_arena a;
	struct dh_db_info *dbs;
	struct dh_err err;
	size_t n;
	uint64_t head = 0;
	dh_arena_init(&a);
	if (dh_db_list(store, &a, &dbs, &n, &err))
		die("cannot list the databases", &err);
	if (n != 1 || strcmp(dbs[0].name, "fz") != 0 || dbs[0].nbranches != 1)
		die("the store has other databases or branches than fz:main", NULL);
	head = dbs[0].branches[0].head_tx;
	dh_arena_release(&a);
	return head;
}

static void
copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	ssize_t n;
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || out < 0) {
		perror(in < 0 ? from : to);
		abort();
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			perror(to);
			abort();
		}
	if (n < 0 || close(out)) {
		perror(n < 0 ? from : to);
		abort();
	}
	close(in);
}

static void
reopen(void)
{
	struct dh_err err;
	if (store)
		dh_store_close(store);
	copy_file(pristine_path, store_path);
	if (dh_store_open(store_path, DH_STORE_NOSYNC, &store, &err))
		die("cannot open the store", &err);
}

static int
setup_cb(void *ctx, const struct dh_sql_result *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static void
make_store(void)
{
	struct dh_err err;
	struct dh_sql *s;
	struct dh_conn *conn;
	const char *tmp = getenv("TMPDIR");
	snprintf(store_dir, sizeof(store_dir), "%s/fuzz-sql.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(store_dir)) {
		perror(store_dir);
		abort();
	}
	snprintf(store_path, sizeof(store_path), "%s/s.store", store_dir);
	snprintf(lock_path, sizeof(lock_path), "%s/s.store-lock", store_dir);
	snprintf(pristine_path, sizeof(pristine_path), "%s/pristine", store_dir);
	atexit(remove_store);
	if (dh_store_open(store_path, DH_STORE_CREATE | DH_STORE_NOSYNC, &store, &err) ||
	    dh_db_create(store, "fz", 0, &err) || dh_conn_open(store, "fz", &conn, &err))
		die("cannot create the store", &err);
	for (size_t i = 0; i < sizeof(setup_tx) / sizeof(setup_tx[0]); i++) {
		struct dh_arena a;
		struct dh_tx_report rep;
		dh_arena_init(&a);
		if (dh_transact_text(conn, setup_tx[i], strlen(setup_tx[i]), &a, &rep, &err))
			die("cannot load the store", &err);
		dh_arena_release(&a);
	}
	dh_conn_close(conn);
	if (dh_sql_open(store, "fz", &s, &err))
		die("cannot open a session", &err);
	for (size_t i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++) {
		if (dh_sql_exec(s, setup_sql[i], strlen(setup_sql[i]), setup_cb, NULL, &err)) {
			fprintf(stderr, "fuzz-sql: setup statement %zu: %s at %d\n", i,
				err.message, err.position);
			abort();
		}
		/* the tx ids for SET dh.as_of in the seeds */
		if (verbose)
			fprintf(stderr, "fuzz-sql: setup_sql[%zu] ends at tx %llu\n", i,
				(unsigned long long)head_tx());
	}
	dh_sql_close(s);
	dh_store_close(store);
	store = NULL;
	/* the store as every input finds it */
	copy_file(store_path, pristine_path);
	reopen();
	pristine_head = head_tx();
}

/* ------------------------------------------------------------ the budget */

/* Time is the running thread's CPU time, not the wall clock: the machines
 * that fuzz are shared, and under a load of five per core a quarter of a
 * second of wall clock is a twentieth of CPU, and two seconds of waiting
 * for a core is no sign of a loop that does not poll. */
static volatile sig_atomic_t cancel_flag;
static pthread_mutex_t budget_mu = PTHREAD_MUTEX_INITIALIZER;
static clockid_t run_clock;  /* the CPU clock of the thread running the text */
static int running;          /* a text is running */
static uint64_t deadline_ns; /* run_clock's time to set cancel_flag */
static uint64_t wall_deadline_ns; /* or the wall clock's, for a text that
				   * waits instead of working */
static uint64_t cancel_ns;   /* run_clock's time when the flag was set */
static long rss_limit_pages;
static uint64_t budget_ms = 250;
static long budget_mb = 256;

static uint64_t
cpu_ns(clockid_t c)
{
	struct timespec ts;
	if (clock_gettime(c, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

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

/* Under the mutex, so a late check of one text cannot cancel the next. */
static void *
watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&budget_mu);
		if (running && !cancel_flag) {
			uint64_t now = cpu_ns(run_clock);
			if (now > deadline_ns || dh_mono_ns() > wall_deadline_ns ||
			    rss_pages() > rss_limit_pages) {
				cancel_flag = 1;
				cancel_ns = now;
			}
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
	if (pthread_getcpuclockid(pthread_self(), &run_clock))
		run_clock = CLOCK_THREAD_CPUTIME_ID; /* never: the watchdog would read its own */
	rss_limit_pages = rss_pages() + budget_mb * (1024 * 1024 / sysconf(_SC_PAGESIZE));
	deadline_ns = cpu_ns(run_clock) + budget_ms * 1000000;
	wall_deadline_ns = dh_mono_ns() + 8 * budget_ms * 1000000;
	running = 1;
	pthread_mutex_unlock(&budget_mu);
}

/* The text must end soon after its cancel flag is set.  Two seconds of
 * CPU later means a loop that does not poll it.  The flag is cleared for
 * what follows (the ROLLBACK). */
static void
budget_stop(void)
{
	uint64_t late = 0;
	pthread_mutex_lock(&budget_mu);
	running = 0;
	if (cancel_flag)
		late = cpu_ns(run_clock) - cancel_ns;
	cancel_flag = 0;
	pthread_mutex_unlock(&budget_mu);
	if (verbose && late)
		printf("(canceled: ran %.3f s of CPU after the flag was set)\n", (double)late / 1e9);
	if (late > (uint64_t)2000 * 1000000) {
		fprintf(stderr,
			"fuzz-sql: the text ran %.1f s of CPU after its cancel flag was set: a "
			"loop does not poll the session's cancel flag\n",
			(double)late / 1e9);
		abort();
	}
}

static void
setup(void)
{
	pthread_t t;
	const char *s;
	verbose = (s = getenv("DH_FUZZ_VERBOSE")) && atoi(s) > 0;
	if ((s = getenv("DH_FUZZ_SQL_MS")) && atoi(s) > 0)
		budget_ms = (uint64_t)atoi(s);
	if ((s = getenv("DH_FUZZ_SQL_MB")) && atoi(s) > 0)
		budget_mb = atoi(s);
	make_store();
	if (pthread_create(&t, NULL, watchdog, NULL)) {
		perror("pthread_create");
		abort();
	}
	pthread_detach(t);
}

/* ------------------------------------------------------------ one input */

/* Every part of a result is readable (ASan checks the bytes). */
static int
check_result(void *ctx, const struct dh_sql_result *r)
{
	size_t n = 0;
	(void)ctx;
	if (!r->tag || !r->tag[0] || r->ncols < 0 || (r->ncols > 0 && !r->cols) ||
	    (r->nrows > 0 && r->ncols > 0 && !r->cells)) {
		fprintf(stderr, "fuzz-sql: a malformed result (tag %s, %d columns, %zu rows)\n",
			r->tag ? r->tag : "NULL", r->ncols, r->nrows);
		abort();
	}
	n += strlen(r->tag);
	for (size_t i = 0; i < r->nnotices; i++) {
		const struct dh_sql_notice *v = &r->notices[i];
		if (!v->severity || !v->sqlstate || strlen(v->sqlstate) != 5 || !v->message) {
			fprintf(stderr, "fuzz-sql: %s: a malformed notice\n", r->tag);
			abort();
		}
		n += strlen(v->message) + (v->detail ? strlen(v->detail) : 0);
	}
	for (int c = 0; c < r->ncols; c++) {
		if (!r->cols[c].name) {
			fprintf(stderr, "fuzz-sql: %s: column %d has no name\n", r->tag, c + 1);
			abort();
		}
		n += strlen(r->cols[c].name);
	}
	for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++)
		n += r->cells[i] ? strlen(r->cells[i]) : 0;
	if (verbose) {
		printf("%s (%zu bytes)\n", r->tag, n);
		for (size_t i = 0; i < r->nnotices; i++)
			printf("  %s:  %s\n", r->notices[i].severity, r->notices[i].message);
		for (size_t i = 0; i < r->nrows && i < 20; i++) {
			for (int c = 0; c < r->ncols; c++) {
				const char *cell = r->cells[i * (size_t)r->ncols + (size_t)c];
				printf("%s%.60s", c ? " | " : "  ", cell ? cell : "NULL");
			}
			putchar('\n');
		}
	}
	return 0;
}

/* Errors a text may not end with, whatever it is: they mean the compiler,
 * the engine or the store broke. */
static void
check_error(int rc, const struct dh_err *err, size_t size)
{
	if (rc == DH_EINTERNAL || rc == DH_ENOMEM || rc == DH_EIO || rc == DH_ECORRUPT ||
	    rc == DH_ECHECKFAIL || err->code != rc || !err->message[0] ||
	    strlen(err->sqlstate) != 5 || strcmp(err->sqlstate, "XX000") == 0 ||
	    strcmp(err->sqlstate, "XX001") == 0 || strcmp(err->sqlstate, "58030") == 0 ||
	    err->position < 0 || (size_t)err->position > size + 1) {
		fprintf(stderr, "fuzz-sql: unexpected error %d (%s, err.code %d) %s at %d: %s\n",
			rc, dh_strerror(rc), err->code, err->sqlstate, err->position,
			err->message);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dh_sql *s;
	struct dh_err err;
	int rc;

	if (!store)
		setup();
	if (verbose)
		printf("\n");
	if (dh_sql_open(store, "fz", &s, &err))
		die("cannot open a session", &err);
	dh_sql_set_cancel(s, &cancel_flag);
	if (dh_sql_exec(s, "BEGIN", 5, NULL, NULL, &err))
		die("BEGIN failed", &err);

	memset(&err, 0, sizeof(err));
	budget_start();
	rc = dh_sql_exec(s, (const char *)data, size, check_result, NULL, &err);
	budget_stop();
	if (rc) {
		check_error(rc, &err, size);
		if (verbose)
			printf("ERROR %s at %d: %s\n", err.sqlstate, err.position, err.message);
	}
	if (dh_sql_txstatus(s) != 'I' && dh_sql_exec(s, "ROLLBACK", 8, NULL, NULL, &err))
		die("ROLLBACK failed", &err);
	dh_sql_close(s);
	if (verbose)
		fflush(stdout); /* libFuzzer leaves by _exit */

	/* the text committed something: back to the pristine store */
	if (head_tx() != pristine_head) {
		restores++;
		reopen();
		if (head_tx() != pristine_head)
			die("the store did not restore", NULL);
	}
	return 0;
}
