/*
 * dh-sql-diff: the differential SQL test.  Runs the cases of t/sql/NAME.test
 * (t/sql/README describes the format) on a real PostgreSQL 15 and on dh,
 * compares what each statement gives and prints TAP, one test point per
 * case.
 *
 *   dh-sql-diff [options] FILE.test...
 *
 * Every case runs in a fresh database on both sides: on PostgreSQL a new
 * session on a database of its own whose schemas were dropped and the
 * schema public made anew; on dh a new store file with one database "dh"
 * and a session over it (dh_sql_open).  Each statement (the text up to a
 * line ending in ';', possibly several SQL statements: one simple Query) is
 * sent to both, and they must agree on: how many results came, each
 * result's command tag, whether it has rows, column names, type OIDs and
 * typmods, the rows (as multisets unless the case says "ordered"), the
 * error's SQLSTATE (with the position for 42601, the constraint or column
 * name PostgreSQL's error names in class 23), the transaction status
 * after it (idle, in a block, failed block), and the NOTICEs and WARNINGs
 * it gave, in order, with their details (BEGIN in a block, COMMIT outside
 * one, DROP ... IF EXISTS's "skipping", DROP ... CASCADE's list).  A
 * statement's notices are compared as one list, apart from its results.
 *
 * dh runs in a child process, one per file, so a crash or a hang
 * (--timeout) fails that case only (the next case gets a new child); a
 * crash, a hang, a child that exits non-zero (a sanitizer report) or a
 * broken case (PostgreSQL fails a statement not marked "error", or the
 * reverse) is never a TODO.  Cases named in --todo are expected to
 * disagree today: they print "not ok ... # TODO reason", and "ok ... #
 * TODO" once they agree (automake counts that XPASS as a failure, so the
 * list must shrink).
 *
 * Options:
 *   --pg CONNINFO     the PostgreSQL server (default $PG_URI, else libpq's
 *                     defaults); databases dh_sql_diff_PID (and _PID_2)
 *                     are created there and dropped at the end
 *   --todo FILE       the cases expected to disagree (FILE/CASE a line);
 *                     may be given more than once
 *   --write-todo      rewrite the (last) --todo file from this run's
 *                     failures, less the cases on the other --todo files
 *   --self-check      the "dh" side is PostgreSQL too (a second database,
 *                     with other planner settings): every case must agree
 *   --other-init SQL  with --self-check: run SQL on the second database's
 *                     session before each case (t4001 makes the sides
 *                     differ on purpose this way)
 *   --dump            only run PostgreSQL and print what it says
 *   --timeout SEC     per case and side (default 10, or $DH_SQL_DIFF_TIMEOUT)
 *   --scratch DIR     where the stores go (default $TMPDIR or /tmp)
 *   -k, --match GLOB  only the cases whose FILE/CASE matches GLOB
 *   --strict-messages also compare error messages, details and positions
 *   --no-fork         run dh in this process (for a debugger; no timeout)
 *   -v, --verbose     full diagnostics for TODO cases too
 *   --wire simple|extended
 *                     dh is a dh-serve reached through libpq (and so is
 *                     PostgreSQL, the same way): each statement as one
 *                     Query, or each SQL statement of it through Parse,
 *                     Describe, Bind and Execute (t/sql/README, Over the
 *                     wire); per case a new session on a new database that
 *                     the runner makes in the served store
 *   --serve CONNINFO  with --wire: the dh-serve (default $DH_SERVE_URI)
 *   --serve-store PATH  with --wire: the store it serves (default
 *                     $DH_SERVE_STORE)
 *
 * DH_SQL_DIFF_FAULT="crash:ID,hang:ID,exit:ID,lie:ID,exit-after:ID" makes
 * the dh child of case ID (FILE/CASE) abort, hang, exit 3, or answer every
 * statement with the command tag "LIE" instead of running it, or run it and
 * exit 3 after the file's last case (as a leak report would), so that t4001
 * can check that the runner catches each.
 *
 * Exit status: 0 when every case agreed or is a TODO, 1 otherwise, 2 on a
 * usage error, an unreadable or malformed case file, or no PostgreSQL.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dh.h"
#include "sql.h"

#define MAX_KEYS 16
#define SHOW_ROWS 25

enum { ORD_NONE, ORD_ALL, ORD_KEYS };

struct stmt {
	const char *sql; /* the text sent, ending in ';' */
	size_t len;
	int line;  /* of its first line */
	int setup; /* it comes from a setup block */
	int order; /* ORD_* */
	int nkeys; /* ORD_KEYS: the sort key columns, 0-based */
	int keys[MAX_KEYS];
	int expect_error; /* PostgreSQL must fail it */
	int message;	  /* compare the error's message and detail too */
};

struct tcase {
	const char *path; /* the file */
	const char *id;	  /* "stem/name" */
	int line;
	struct stmt *stmts; /* the setup block's first */
	size_t nstmts;
	int todo;
	int selected;
};

/* What one statement gave on one side. */
struct result {
	int rows; /* a row description came: a query, RETURNING, SHOW */
	const char *tag;
	int ncols;
	const char **names;
	uint32_t *oids;
	int32_t *typmods;
	size_t nrows;
	const char **cells; /* nrows * ncols; NULL for SQL NULL */
};

struct outcome {
	size_t nres;
	struct result *res;
	int failed;
	char sqlstate[6];
	const char *message, *detail, *constraint, *column;
	int position;
	char txstatus;
	size_t nwarn;
	const char **warnings; /* "NOTICE:  message\nDETAIL:  ...", in order */
	int copy_in;	       /* a COPY FROM STDIN began (the runner failed it) */
};

struct side {
	struct outcome *out; /* one per statement run */
	size_t n;
	const char *died; /* a crash, timeout, lost connection: never a TODO */
};

enum verdict { V_AGREE, V_DIFFER, V_BROKEN, V_DIED };

/* ------------------------------------------------------------ globals */

static const char *pg_conninfo;
static const char *scratch_dir;
static const char *todo_path;	   /* the last --todo: the one --write-todo rewrites */
static const char *todo_paths[8]; /* every --todo, in order */
static int ntodo_paths;
static const char *match_glob;
static const char *other_init;
static int self_check, dump_mode, write_todo, strict_messages, no_fork, verbose;
/* --wire: dh is a dh-serve reached through libpq (serve_conninfo), on a
 * new database of its store (serve_store) per case */
enum { WIRE_NONE, WIRE_SIMPLE, WIRE_EXTENDED };
static int wire;
static const char *serve_conninfo, *serve_store;
static unsigned timeout_s = 10;
static struct dh_arena file_arena; /* case files and cases: the whole run */
static struct tcase *cases;
static size_t ncases, ccases;
static char **todo_lines; /* the todo files' entries, as read */
static size_t ntodo;
static size_t ntodo_earlier; /* of them, those of the --todo files before the last */
static char *todo_head;	     /* the last todo file's opening comment lines */
static PGconn *pg_main, *pg_other; /* the sessions cases run in */
/* their databases, named for this process so that runs can share a server */
static char DB_MAIN[64], DB_OTHER[64];

static void DH_PRINTF(1, 2) bail(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(2);
}

static void *
arena_grow(struct dh_arena *a, void *old, size_t n, size_t size)
{
	/* the old block stays in the arena until the case ends */
	void *p = dh_arena_alloc(a, (n ? n : 1) * size);
	if (old && n > 1)
		memcpy(p, old, (n - 1) * size);
	return p;
}

static double
now_s(void)
{
	return (double)dh_mono_ns() / 1e9;
}

/* ------------------------------------------------------------ case files */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		bail("cannot open '%s': %s", path, strerror(errno));
	struct dh_buf b;
	dh_buf_init(&b, 0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dh_buf_add(&b, chunk, n);
	if (ferror(f))
		bail("cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	char *s = dh_buf_detach(&b, len);
	dh_buf_release(&b);
	return s;
}

static int
valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* Directive words, for the statement that follows. */
struct directives {
	int order, nkeys, keys[MAX_KEYS], expect_error, message, any;
};

/* Is line (NUL-terminated, no newline) a directive line?  Fill d if so. */
static int
parse_directives(const char *path, int lineno, char *line, struct directives *d)
{
	char *save = NULL;
	char *w = strtok_r(line, " \t", &save);
	if (!w || (strcmp(w, "ordered") && strcmp(w, "error") && strcmp(w, "message")))
		return 0;
	for (; w; w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, "ordered")) {
			d->order = ORD_ALL;
		} else if (!strcmp(w, "error")) {
			d->expect_error = 1;
		} else if (!strcmp(w, "message")) {
			d->message = 1;
		} else if (d->order && w[0] >= '1' && w[0] <= '9') {
			/* ordered 1,3: the columns the ORDER BY sorts by */
			char *p = w;
			d->order = ORD_KEYS;
			while (*p) {
				char *end;
				long k = strtol(p, &end, 10);
				if (end == p || k < 1 || k > 1000 || d->nkeys == MAX_KEYS)
					bail("%s:%d: bad column list '%s'", path, lineno, w);
				d->keys[d->nkeys++] = (int)k - 1;
				p = *end == ',' ? end + 1 : end;
				if (*end && *end != ',')
					bail("%s:%d: bad column list '%s'", path, lineno, w);
			}
		} else {
			bail("%s:%d: unknown directive '%s'", path, lineno, w);
		}
	}
	if (d->order && d->expect_error)
		bail("%s:%d: a statement is either ordered or an error", path, lineno);
	d->any = 1;
	return 1;
}

static const char *
file_stem(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".test"))
		n -= 5;
	return dh_arena_strndup(&file_arena, b, n);
}

static void
add_stmt(struct stmt **v, size_t *n, const struct stmt *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = *s;
}

static void
finish_case(struct tcase *c, const struct stmt *setup, size_t nsetup, struct stmt *own, size_t nown)
{
	if (!c)
		return;
	if (nown == 0)
		bail("%s:%d: case '%s' has no statements", c->path, c->line, c->id);
	c->nstmts = nsetup + nown;
	c->stmts = dh_arena_alloc(&file_arena, c->nstmts * sizeof(*c->stmts));
	if (nsetup)
		memcpy(c->stmts, setup, nsetup * sizeof(*setup));
	memcpy(c->stmts + nsetup, own, nown * sizeof(*own));
}

static void
read_case_file(const char *path)
{
	size_t len;
	char *text = slurp(path, &len);
	const char *stem = file_stem(path);
	size_t first = ncases;
	struct stmt *setup = NULL, *own = NULL;
	size_t nsetup = 0, nown = 0;
	int in_setup = 0;
	struct tcase *cur = NULL;
	struct directives d = {0};
	struct dh_buf sql;
	int sql_line = 0;
	dh_buf_init(&sql, 0);

	char *p = text, *end = text + len;
	for (int lineno = 1; p < end; lineno++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);
		p = nl ? nl + 1 : end;
		size_t t = strlen(line);
		while (t && (line[t - 1] == ' ' || line[t - 1] == '\t' || line[t - 1] == '\r'))
			line[--t] = 0;

		if (sql.len == 0) {
			if (t == 0 || line[0] == '#') {
				free(line);
				continue;
			}
			if (!strncmp(line, "case ", 5) || !strcmp(line, "setup")) {
				if (d.any)
					bail("%s:%d: directives without a statement", path, lineno);
				if (in_setup) {
					free(setup);
					setup = own;
					nsetup = nown;
				} else {
					finish_case(cur, setup, nsetup, own, nown);
					free(own);
				}
				own = NULL;
				nown = 0;
				in_setup = !strcmp(line, "setup");
				cur = NULL;
				if (in_setup) {
					free(line);
					continue;
				}
				const char *name = line + 5;
				while (*name == ' ')
					name++;
				if (!valid_name(name))
					bail("%s:%d: a case name is letters, digits and -_. ('%s')",
					     path, lineno, name);
				const char *id = dh_arena_printf(&file_arena, "%s/%s", stem, name);
				for (size_t i = first; i < ncases; i++)
					if (!strcmp(cases[i].id, id))
						bail("%s:%d: a second case '%s'", path, lineno,
						     name);
				if (ncases == ccases) {
					ccases = ccases ? 2 * ccases : 256;
					cases = xrealloc(cases, ccases * sizeof(*cases));
				}
				cur = &cases[ncases++];
				memset(cur, 0, sizeof(*cur));
				cur->path = path;
				cur->id = id;
				cur->line = lineno;
				free(line);
				continue;
			}
			char *copy = xstrdup(line);
			int is_dir = parse_directives(path, lineno, copy, &d);
			free(copy);
			if (is_dir) {
				free(line);
				continue;
			}
			if (!cur && !in_setup)
				bail("%s:%d: a statement outside a case or setup block", path,
				     lineno);
			sql_line = lineno;
		} else if (t == 0) {
			bail("%s:%d: the statement of line %d does not end in ';'", path, lineno,
			     sql_line);
		} else {
			/* a directive or a case inside a statement: a ';' is missing */
			struct directives dd = {0};
			char *copy = xstrdup(line);
			int is_dir = parse_directives(path, lineno, copy, &dd);
			free(copy);
			if (is_dir || !strcmp(line, "setup") ||
			    (!strncmp(line, "case ", 5) && valid_name(line + 5)))
				bail("%s:%d: '%s' inside the statement of line %d (a missing ';'?)",
				     path, lineno, line, sql_line);
			dh_buf_addc(&sql, '\n');
		}
		dh_buf_add(&sql, line, t);
		if (t && line[t - 1] == ';') {
			struct stmt s = {0};
			s.sql = dh_arena_strndup(&file_arena, (const char *)sql.p, sql.len);
			s.len = sql.len;
			s.line = sql_line;
			s.setup = in_setup;
			s.order = d.order;
			s.nkeys = d.nkeys;
			memcpy(s.keys, d.keys, sizeof(s.keys));
			s.expect_error = d.expect_error;
			s.message = d.message;
			add_stmt(&own, &nown, &s);
			memset(&d, 0, sizeof(d));
			dh_buf_reset(&sql);
		}
		free(line);
	}
	if (sql.len)
		bail("%s:%d: the last statement does not end in ';'", path, sql_line);
	if (d.any)
		bail("%s: directives at the end of the file", path);
	if (in_setup)
		bail("%s: a setup block with no case after it", path);
	finish_case(cur, setup, nsetup, own, nown);
	free(own);
	free(setup);
	dh_buf_release(&sql);
	free(text);
}

/* ------------------------------------------------------------ the todo list */

static void
read_todo_file(const char *path, int last)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && write_todo && last)
			return;
		bail("cannot open '%s': %s", path, strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int head = 1;
	struct dh_buf h;
	dh_buf_init(&h, 0);
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (head && line[0] == '#')
			dh_buf_add(&h, line, (size_t)n);
		else
			head = 0;
		while (n && (line[n - 1] == '\n' || line[n - 1] == ' ' || line[n - 1] == '\t' ||
			     line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0 || line[0] == '#')
			continue;
		todo_lines = xrealloc(todo_lines, (ntodo + 1) * sizeof(*todo_lines));
		todo_lines[ntodo++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	if (last && h.len)
		todo_head = dh_buf_detach(&h, NULL);
	dh_buf_release(&h);
}

/* Several --todo files: a case on any is a TODO; --write-todo rewrites the
 * last, with the cases that disagree and are on none of the others (the
 * wire's list beside t/sql/todo). */
static void
read_todo(void)
{
	for (int i = 0; i < ntodo_paths; i++) {
		read_todo_file(todo_paths[i], i == ntodo_paths - 1);
		if (i < ntodo_paths - 1)
			ntodo_earlier = ntodo;
	}
}

/* Is id on a --todo file before the last? */
static int
todo_earlier(const char *id)
{
	for (size_t i = 0; i < ntodo_earlier; i++)
		if (!strcmp(todo_lines[i], id))
			return 1;
	return 0;
}

static struct tcase *
find_case(const char *id)
{
	for (size_t i = 0; i < ncases; i++)
		if (!strcmp(cases[i].id, id))
			return &cases[i];
	return NULL;
}

/* Is stem one of the files of this run? */
static int
stem_known(const char *id)
{
	const char *slash = strchr(id, '/');
	size_t n = slash ? (size_t)(slash - id) : strlen(id);
	for (size_t i = 0; i < ncases; i++)
		if (!strncmp(cases[i].id, id, n) && cases[i].id[n] == '/')
			return 1;
	return 0;
}

/* ------------------------------------------------------------ PostgreSQL */

static void
add_warning(struct dh_arena *a, struct outcome *o, const char *msg)
{
	o->warnings = arena_grow(a, o->warnings, ++o->nwarn, sizeof(*o->warnings));
	o->warnings[o->nwarn - 1] = dh_arena_strdup(a, msg ? msg : "(no message)");
}

/* A notice as the outcomes hold it: severity, message, detail and hint as
 * psql prints them. */
static char *
notice_text(struct dh_arena *a, const char *sev, const char *msg, const char *detail,
	    const char *hint)
{
	return dh_arena_printf(a, "%s:  %s%s%s%s%s", sev ? sev : "(no severity)",
			       msg ? msg : "(no message)", detail ? "\nDETAIL:  " : "",
			       detail ? detail : "", hint ? "\nHINT:  " : "", hint ? hint : "");
}

/* Where the server's NOTICEs and WARNINGs go while a statement runs
 * (PostgreSQL's, or dh-serve's with --wire). */
static struct {
	struct dh_arena *a;
	struct outcome *o;
} pg_notice_to;

/* ReadyForQuery messages libpq found while it expected nothing (see
 * ext_copy_resync) */
static int stray_ready;

static void
pg_on_notice(void *arg, const PGresult *r)
{
	(void)arg;
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	if (msg && strstr(msg, "message type 0x5a arrived from server while idle"))
		stray_ready++;
	/* the server's have a SQLSTATE; libpq's own notices do not */
	if (pg_notice_to.o && sev && PQresultErrorField(r, PG_DIAG_SQLSTATE))
		add_warning(pg_notice_to.a, pg_notice_to.o,
			    notice_text(pg_notice_to.a, sev, msg,
					PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL),
					PQresultErrorField(r, PG_DIAG_MESSAGE_HINT)));
}

/* A session on dbname of the server conninfo names (libpq's defaults for
 * NULL), set up as the cases expect; NULL with *why (malloc'ed) when it
 * cannot connect. */
static PGconn *
connect_to(const char *conninfo, const char *dbname, int shaken, char **why)
{
	char opts[512];
	/* The second database of --self-check plans differently, so a case
	 * whose answer depends on the plan (ties under ORDER BY, LIMIT without
	 * ORDER BY) shows up there. */
	snprintf(
	    opts, sizeof(opts),
	    "-c statement_timeout=%us -c lock_timeout=%us -c TimeZone=UTC -c DateStyle=ISO,MDY "
	    "-c IntervalStyle=postgres -c extra_float_digits=1%s",
	    timeout_s, timeout_s, shaken ? " -c enable_hashagg=off -c enable_hashjoin=off" : "");
	const char *kw[] = {"dbname",		"dbname",	   "options",
			    "application_name", "client_encoding", NULL};
	const char *val[] = {
	    conninfo ? conninfo : "", dbname, opts, "dh-sql-diff", "UTF8", NULL};
	if (!dbname)
		kw[1] = NULL;
	PGconn *c = PQconnectdbParams(kw, val, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		char *msg = xstrdup(PQerrorMessage(c));
		size_t n = strlen(msg);
		while (n && msg[n - 1] == '\n')
			msg[--n] = 0;
		PQfinish(c);
		*why = msg;
		return NULL;
	}
	PQsetNoticeReceiver(c, pg_on_notice, NULL);
	return c;
}

static PGconn *
pg_connect(const char *dbname, int shaken)
{
	char *why = NULL;
	PGconn *c = connect_to(pg_conninfo, dbname, shaken, &why);
	if (!c)
		bail("cannot connect to PostgreSQL: %s", why);
	return c;
}

static void
pg_must(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char *msg = xstrdup(PQresultErrorMessage(r));
		PQclear(r);
		bail("PostgreSQL: %s: %s", sql, msg);
	}
	PQclear(r);
}

static void
pg_check_version(PGconn *c)
{
	int v = PQserverVersion(c);
	if (v / 10000 != 15)
		bail("the oracle must be PostgreSQL 15, this server is %d.%d", v / 10000,
		     v % 10000);
}

static void
pg_create_db(PGconn *admin, const char *name)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	pg_must(admin, sql);
	/* byte order for text (COLLATE "C"), Unicode case mapping and
	 * character classes */
	snprintf(sql, sizeof(sql),
		 "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
		 "LC_CTYPE 'C.UTF-8'",
		 name);
	pg_must(admin, sql);
}

/* A session that is as good as new, on a database emptied of everything
 * cases create.  Reconnecting for every case costs more than the case
 * (a new backend warms its caches), so the session is reused: rolled back
 * and DISCARD ALL (settings, prepared statements, cursors, temporary
 * tables, sequences' currval and lastval), as a connection pool does. */
static PGconn *
pg_fresh(PGconn **slot, const char *dbname, int shaken)
{
	PGconn *c = *slot;
	if (c && (PQstatus(c) != CONNECTION_OK || PQtransactionStatus(c) == PQTRANS_ACTIVE ||
		  PQtransactionStatus(c) == PQTRANS_UNKNOWN)) {
		PQfinish(c);
		c = NULL;
	}
	if (!c)
		c = pg_connect(dbname, shaken);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		pg_must(c, "ROLLBACK");
	pg_must(c, "DISCARD ALL");
	PGresult *r = PQexec(c, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; "
				"SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
				"AND nspname NOT IN ('information_schema', 'public')");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		bail("PostgreSQL: cannot empty database %s: %s", dbname, PQresultErrorMessage(r));
	for (int i = 0; i < PQntuples(r); i++) {
		char *id = PQescapeIdentifier(c, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));
		char sql[512];
		snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", id);
		PQfreemem(id);
		pg_must(c, sql);
	}
	PQclear(r);
	if (shaken && other_init)
		pg_must(c, other_init);
	*slot = c;
	return c;
}

static char
pg_txstatus(PGconn *c)
{
	switch (PQtransactionStatus(c)) {
	case PQTRANS_IDLE:
		return 'I';
	case PQTRANS_INTRANS:
		return 'T';
	case PQTRANS_INERROR:
		return 'E';
	default:
		return '?';
	}
}

static const char *
pg_field(struct dh_arena *a, const PGresult *r, int code)
{
	const char *s = PQresultErrorField(r, code);
	return s ? dh_arena_strdup(a, s) : NULL;
}

/* An error result into o; -1 when it carries no SQLSTATE (libpq's own:
 * the connection is gone). */
static int
take_error(const PGresult *r, struct dh_arena *a, struct outcome *o, const char **died)
{
	const char *ss = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (!ss) {
		*died = dh_arena_printf(a, "PostgreSQL: %s", PQresultErrorMessage(r));
		return -1;
	}
	o->failed = 1;
	snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", ss);
	o->message = pg_field(a, r, PG_DIAG_MESSAGE_PRIMARY);
	o->detail = pg_field(a, r, PG_DIAG_MESSAGE_DETAIL);
	o->constraint = pg_field(a, r, PG_DIAG_CONSTRAINT_NAME);
	o->column = pg_field(a, r, PG_DIAG_COLUMN_NAME);
	const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
	o->position = pos ? atoi(pos) : 0;
	return 0;
}

static int pg_run_query(PGconn *c, const struct stmt *s, struct dh_arena *a, struct outcome *o,
			const char **died);
static int ext_run_query(PGconn *c, const struct stmt *s, struct dh_arena *a, struct outcome *o,
			 const char **died);

/* Run one statement on PostgreSQL.  0, or -1 when the connection is gone
 * (side->died says why). */
static int
pg_run(PGconn *c, const struct stmt *s, struct dh_arena *a, struct outcome *o, const char **died)
{
	memset(o, 0, sizeof(*o));
	pg_notice_to.a = a;
	pg_notice_to.o = o;
	int rc = wire == WIRE_EXTENDED ? ext_run_query(c, s, a, o, died)
				       : pg_run_query(c, s, a, o, died);
	pg_notice_to.o = NULL;
	return rc;
}

/* Take the results of what was sent on c (up to PQgetResult's NULL) into
 * o: rows and tags, the error.  0, or -1 when the connection is gone. */
static int
collect_results(PGconn *c, struct dh_arena *a, struct outcome *o, const char **died)
{
	PGresult *r;
	while ((r = PQgetResult(c)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			o->res = arena_grow(a, o->res, ++o->nres, sizeof(*o->res));
			struct result *res = &o->res[o->nres - 1];
			memset(res, 0, sizeof(*res));
			res->rows = st == PGRES_TUPLES_OK;
			res->tag = dh_arena_strdup(a, PQcmdStatus(r));
			if (res->rows) {
				int nc = PQnfields(r);
				size_t nr = (size_t)PQntuples(r);
				res->ncols = nc;
				res->nrows = nr;
				res->names = dh_arena_alloc(a, (size_t)nc * sizeof(char *) + 1);
				res->oids = dh_arena_alloc(a, (size_t)nc * sizeof(uint32_t) + 1);
				res->typmods = dh_arena_alloc(a, (size_t)nc * sizeof(int32_t) + 1);
				for (int k = 0; k < nc; k++) {
					res->names[k] = dh_arena_strdup(a, PQfname(r, k));
					res->oids[k] = PQftype(r, k);
					res->typmods[k] = PQfmod(r, k);
				}
				res->cells =
				    dh_arena_alloc(a, nr * (size_t)nc * sizeof(char *) + 1);
				for (size_t i = 0; i < nr; i++)
					for (int k = 0; k < nc; k++)
						res->cells[i * (size_t)nc + (size_t)k] =
						    PQgetisnull(r, (int)i, k)
							? NULL
							: dh_arena_strndup(
							      a, PQgetvalue(r, (int)i, k),
							      (size_t)PQgetlength(r, (int)i, k));
			}
		} else if (st == PGRES_FATAL_ERROR) {
			if (take_error(r, a, o, died)) {
				PQclear(r);
				return -1;
			}
		} else if (st == PGRES_COPY_IN) {
			o->copy_in = 1;
			PQputCopyEnd(c, "dh-sql-diff does not run COPY");
		} else if (st == PGRES_COPY_OUT) {
			char *buf;
			while (PQgetCopyData(c, &buf, 0) > 0)
				PQfreemem(buf);
			*died = "COPY is not supported by dh-sql-diff";
		} else if (st != PGRES_EMPTY_QUERY) {
			*died = dh_arena_printf(a, "PostgreSQL: unexpected %s: %s", PQresStatus(st),
						PQresultErrorMessage(r));
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	if (PQstatus(c) != CONNECTION_OK) {
		*died = dh_arena_printf(a, "PostgreSQL: connection lost: %s", PQerrorMessage(c));
		return -1;
	}
	return 0;
}

/* The simple protocol: the statement's text as one Query, as psql sends it. */
static int
pg_run_query(PGconn *c, const struct stmt *s, struct dh_arena *a, struct outcome *o,
	     const char **died)
{
	if (!PQsendQuery(c, s->sql)) {
		*died = dh_arena_printf(a, "PostgreSQL: %s", PQerrorMessage(c));
		return -1;
	}
	if (collect_results(c, a, o, died))
		return -1;
	o->txstatus = pg_txstatus(c);
	return 0;
}

/* Can c be part of an identifier or keyword (so a quote or '$' after it
 * starts no string)? */
static int
ident_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (c & 0x80);
}

/* The end of the dollar-quoted string at t[i] ('$'), or 0 when t[i] starts
 * none ($1, a '$' inside a word). */
static size_t
dollar_end(const char *t, size_t len, size_t i)
{
	if (i > 0 && ident_char((unsigned char)t[i - 1]))
		return 0;
	size_t j = i + 1;
	if (j < len && !((t[j] >= '0' && t[j] <= '9') || t[j] == '$'))
		while (j < len && ident_char((unsigned char)t[j]) && t[j] != '$')
			j++;
	if (j >= len || t[j] != '$')
		return 0;
	size_t tag = j + 1 - i;
	for (size_t k = j + 1; k + tag <= len; k++)
		if (!memcmp(t + k, t + i, tag))
			return k + tag;
	return len; /* unterminated: PostgreSQL says so */
}

/* The SQL statements of a case's statement, for the extended protocol,
 * which takes one per Parse: the text cut after each ';' that is outside
 * quotes ('...', E'...', "...", $tag$...$tag$), comments (-- and nested
 * slash-star ones) and parentheses, as psql cuts its input; leading blanks
 * go.  A piece of only blanks and comments is left out, unless the whole
 * text is (then it is the one piece: an empty query).  The pieces are
 * NUL-terminated in a. */
static const char **
split_statements(struct dh_arena *a, const char *t, size_t len, size_t *n)
{
	const char **v = NULL;
	size_t np = 0, start = 0, i = 0;
	int depth = 0, token = 0;
	while (i <= len) {
		if (i == len || (t[i] == ';' && depth == 0)) {
			size_t end = i < len ? i + 1 : len;
			if (token) {
				while (start < end && (t[start] == ' ' || t[start] == '\t' ||
						       t[start] == '\n' || t[start] == '\r'))
					start++;
				v = arena_grow(a, v, ++np, sizeof(*v));
				v[np - 1] = dh_arena_strndup(a, t + start, end - start);
			}
			start = end;
			token = 0;
			i++;
			continue;
		}
		char ch = t[i];
		if (ch == '-' && i + 1 < len && t[i + 1] == '-') {
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (ch == '/' && i + 1 < len && t[i + 1] == '*') {
			int nest = 1;
			i += 2;
			while (i < len && nest) {
				if (t[i] == '/' && i + 1 < len && t[i + 1] == '*')
					nest++, i += 2;
				else if (t[i] == '*' && i + 1 < len && t[i + 1] == '/')
					nest--, i += 2;
				else
					i++;
			}
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			i++;
			continue;
		}
		token = 1;
		if (ch == '\'' || ch == '"') {
			/* E'...' takes backslash escapes; '' and "" are a quote */
			int esc = ch == '\'' && i > 0 && (t[i - 1] == 'E' || t[i - 1] == 'e') &&
				  (i < 2 || !ident_char((unsigned char)t[i - 2]));
			for (i++; i < len; i++) {
				if (esc && t[i] == '\\') {
					i++;
				} else if (t[i] == ch) {
					if (i + 1 < len && t[i + 1] == ch)
						i++;
					else
						break;
				}
			}
			i++;
			continue;
		}
		if (ch == '$') {
			size_t end = dollar_end(t, len, i);
			i = end ? end : i + 1;
			continue;
		}
		if (ch == '(')
			depth++;
		else if (ch == ')' && depth > 0)
			depth--;
		i++;
	}
	if (np == 0) {
		v = arena_grow(a, v, ++np, sizeof(*v));
		v[0] = dh_arena_strndup(a, t, len);
	}
	*n = np;
	return v;
}

/* After a synchronous libpq call: 0 it went well, 1 the statement failed
 * (in o), -1 the connection is gone. */
static int
ext_step(PGconn *c, PGresult *r, struct dh_arena *a, struct outcome *o, const char **died)
{
	int rc = 0;
	if (!r) {
		*died = dh_arena_printf(a, "PostgreSQL: %s", PQerrorMessage(c));
		return -1;
	}
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_FATAL_ERROR)
		rc = take_error(r, a, o, died) ? -1 : 1;
	else if (st != PGRES_COMMAND_OK) {
		*died = dh_arena_printf(a, "PostgreSQL: unexpected %s: %s", PQresStatus(st),
					PQresultErrorMessage(r));
		rc = -1;
	}
	return rc;
}

/* A COPY FROM STDIN run through the extended protocol leaves libpq two
 * Syncs behind it (Execute's, and PQputCopyEnd's own).  A server in COPY
 * IN mode ignores a Sync; one that fails the COPY before it reads any data
 * (cannot copy to a view, ...) answers both, outside it, with
 * ReadyForQuery, and the second comes after libpq thinks the statement
 * done: the next call would take it for its own.  Only our CopyFail's
 * error shows that the server read in COPY mode (past Execute's Sync);
 * after any other, wait for the second ReadyForQuery, which libpq
 * reports as arriving while idle (stray_ready no longer seen; libpq may
 * have met it already, in the same read as the first).  -1 when it does
 * not come. */
static int
ext_copy_resync(PGconn *c, const struct outcome *o, int seen, struct dh_arena *a,
		const char **died)
{
	if (!o->copy_in || (o->failed && o->message && strstr(o->message, "dh-sql-diff does not run COPY")))
		return 0;
	double deadline = now_s() + timeout_s;
	for (;;) {
		if (!PQconsumeInput(c)) {
			*died = dh_arena_printf(a, "PostgreSQL: %s", PQerrorMessage(c));
			return -1;
		}
		(void)PQisBusy(c); /* parses what came */
		if (stray_ready != seen)
			return 0;
		double left = deadline - now_s();
		if (left <= 0) {
			*died = "no ReadyForQuery for the second Sync after a failed COPY";
			return -1;
		}
		struct pollfd pfd = {PQsocket(c), POLLIN, 0};
		if (poll(&pfd, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR) {
			*died = dh_arena_printf(a, "poll: %s", strerror(errno));
			return -1;
		}
	}
}

/* The extended protocol: each SQL statement of the text on its own, as a
 * driver sends it: Parse (PQprepare, the unnamed statement, no parameters)
 * and Sync; Describe of the statement and Sync; Bind, Describe of the
 * portal, Execute and Sync (PQsendQueryPrepared).  What Describe says is
 * a result of its own, "(Describe: N parameters)" with the columns.  The
 * first error stops the text, as in a simple Query. */
static int
ext_run_query(PGconn *c, const struct stmt *s, struct dh_arena *a, struct outcome *o,
	      const char **died)
{
	size_t n;
	const char **piece = split_statements(a, s->sql, s->len, &n);
	for (size_t i = 0; i < n && !o->failed; i++) {
		PGresult *r = PQprepare(c, "", piece[i], 0, NULL);
		int rc = ext_step(c, r, a, o, died);
		PQclear(r);
		if (rc < 0)
			return -1;
		if (rc)
			break;
		r = PQdescribePrepared(c, "");
		rc = ext_step(c, r, a, o, died);
		if (rc == 0) {
			o->res = arena_grow(a, o->res, ++o->nres, sizeof(*o->res));
			struct result *res = &o->res[o->nres - 1];
			memset(res, 0, sizeof(*res));
			int nc = PQnfields(r);
			res->tag = dh_arena_printf(a, "(Describe: %d parameters)", PQnparams(r));
			res->rows = nc > 0;
			res->ncols = nc;
			res->names = dh_arena_alloc(a, (size_t)nc * sizeof(char *) + 1);
			res->oids = dh_arena_alloc(a, (size_t)nc * sizeof(uint32_t) + 1);
			res->typmods = dh_arena_alloc(a, (size_t)nc * sizeof(int32_t) + 1);
			res->cells = dh_arena_alloc(a, 1);
			for (int k = 0; k < nc; k++) {
				res->names[k] = dh_arena_strdup(a, PQfname(r, k));
				res->oids[k] = PQftype(r, k);
				res->typmods[k] = PQfmod(r, k);
			}
		}
		PQclear(r);
		if (rc < 0)
			return -1;
		if (rc)
			break;
		int seen = stray_ready;
		if (!PQsendQueryPrepared(c, "", 0, NULL, NULL, NULL, 0)) {
			*died = dh_arena_printf(a, "PostgreSQL: %s", PQerrorMessage(c));
			return -1;
		}
		if (collect_results(c, a, o, died) || ext_copy_resync(c, o, seen, a, died))
			return -1;
	}
	o->txstatus = pg_txstatus(c);
	return 0;
}

static void
pg_run_case(PGconn *c, const struct tcase *tc, struct dh_arena *a, struct side *sd)
{
	sd->out = dh_arena_zalloc(a, tc->nstmts * sizeof(*sd->out));
	for (size_t i = 0; i < tc->nstmts; i++) {
		if (pg_run(c, &tc->stmts[i], a, &sd->out[i], &sd->died))
			return;
		sd->n = i + 1;
	}
}

/* ------------------------------------------------------------ dh, in a child */

/* A child process runs dh for the cases of one file, one after another,
 * each on a fresh store, and streams frames to the parent:
 *   case:u32 len:u32 payload    one statement's records (len > 0)
 *   case:u32 0                  the case is done
 * case is the case's index in cases[].  A payload is 'R' records (one per
 * result) and an 'E', or an 'X':
 *   'R' rows:u8 tag:str notice:str ncols:u32 (name:str oid:u32 typmod:u32)*
 *       nrows:u64 cell:str*
 *   'E' failed:u8 sqlstate:str message:str detail:str position:u32 txstatus:u8
 *   'X' message:str    (dh could not open the store, database or session)
 *   'W' text:str       (a NOTICE or WARNING: notice_text's, before the
 *                      'R' or 'E' it came with; the 'R' notice is NULL)
 *   'D' message:str    (--wire: the connection to dh-serve broke)
 * str is u32 length + bytes, length 0xffffffff for NULL.
 *
 * One child per file, not per case: a sanitizer's leak check at exit costs
 * more than most cases.  A crash or a hang ends the child and fails the
 * case it was in; the next case gets a new child. */

static long run_pid;
static int exit_after; /* DH_SQL_DIFF_FAULT exit-after: the child's exit status */

static void
put_u32(struct dh_buf *b, uint32_t v)
{
	unsigned char x[4];
	dh_put_u32be(x, v);
	dh_buf_add(b, x, 4);
}

static void
put_str(struct dh_buf *b, const char *s)
{
	if (!s) {
		put_u32(b, 0xffffffffu);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	dh_buf_add(b, s, n);
}

static void
put_notices(struct dh_buf *b, const struct dh_sql_notice *v, size_t n)
{
	struct dh_arena a;
	dh_arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		dh_buf_addc(b, 'W');
		put_str(b, notice_text(&a, v[i].severity, v[i].message, v[i].detail, v[i].hint));
	}
	dh_arena_release(&a);
}

static int
dh_on_result(void *ctx, const struct dh_sql_result *r)
{
	struct dh_buf *b = ctx;
	put_notices(b, r->notices, r->nnotices);
	dh_buf_addc(b, 'R');
	dh_buf_addc(b, r->ncols > 0 || r->nrows > 0);
	put_str(b, r->tag ? r->tag : "(null tag)");
	put_str(b, NULL);
	put_u32(b, (uint32_t)(r->ncols > 0 ? r->ncols : 0));
	for (int k = 0; k < r->ncols; k++) {
		put_str(b, r->cols[k].name ? r->cols[k].name : "(null name)");
		put_u32(b, r->cols[k].type_oid);
		put_u32(b, (uint32_t)r->cols[k].typmod);
	}
	size_t nr = r->ncols > 0 ? r->nrows : 0;
	unsigned char x[8];
	dh_put_u64be(x, (uint64_t)nr);
	dh_buf_add(b, x, 8);
	for (size_t i = 0; i < nr * (size_t)r->ncols; i++)
		put_str(b, r->cells[i]);
	return 0;
}

static void
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the parent gave up on us */
		s += w;
		n -= (size_t)w;
	}
}

/* One frame: the payload b (empty: the case is done). */
static void
send_frame(int fd, size_t idx, const struct dh_buf *b)
{
	unsigned char h[8];
	dh_put_u32be(h, (uint32_t)idx);
	dh_put_u32be(h + 4, (uint32_t)(b ? b->len : 0));
	write_all(fd, h, 8);
	if (b && b->len)
		write_all(fd, b->p, b->len);
}

static void
store_path(char *buf, size_t n, size_t idx)
{
	snprintf(buf, n, "%s/dh-sql-diff.%ld.%zu.store", scratch_dir, run_pid, idx);
}

static void
remove_store(size_t idx)
{
	char path[4096], lock[4200];
	store_path(path, sizeof(path), idx);
	snprintf(lock, sizeof(lock), "%s-lock", path);
	unlink(path);
	unlink(lock);
}

static void
put_end(struct dh_buf *b, int failed, const struct dh_err *err, char txstatus)
{
	dh_buf_addc(b, 'E');
	dh_buf_addc(b, failed);
	put_str(b, failed ? err->sqlstate : NULL);
	put_str(b, failed ? err->message : NULL);
	put_str(b, failed && err->detail[0] ? err->detail : NULL);
	put_u32(b, failed ? (uint32_t)err->position : 0);
	dh_buf_addc(b, txstatus);
}

/* DH_SQL_DIFF_FAULT: does the dh child of case tc fail on purpose?  1 when
 * it answered the case itself (a lie) on fd. */
static int
inject_fault(const struct tcase *tc, size_t idx, int fd)
{
	const char *id = tc->id;
	const char *f = getenv("DH_SQL_DIFF_FAULT");
	size_t n = strlen(id);
	while (f && *f) {
		const char *colon = strchr(f, ':');
		if (!colon)
			return 0;
		const char *end = strchr(colon, ',');
		size_t len = end ? (size_t)(end - colon - 1) : strlen(colon + 1);
		if (len == n && !strncmp(colon + 1, id, n)) {
			if (!strncmp(f, "crash:", 6))
				abort();
			if (!strncmp(f, "hang:", 5))
				for (;;)
					pause();
			if (!strncmp(f, "exit:", 5))
				_exit(3);
			if (!strncmp(f, "exit-after:", 11))
				exit_after = 3;
			if (!strncmp(f, "lie:", 4)) {
				struct dh_buf b;
				dh_buf_init(&b, 0);
				for (size_t i = 0; i < tc->nstmts; i++) {
					struct dh_sql_result r = {.tag = "LIE"};
					dh_buf_reset(&b);
					dh_on_result(&b, &r);
					put_end(&b, 0, NULL, 'I');
					send_frame(fd, idx, &b);
				}
				send_frame(fd, idx, NULL);
				dh_buf_release(&b);
				return 1;
			}
		}
		f = end ? end + 1 : NULL;
	}
	return 0;
}

/* COPY FROM STDIN: as on the PostgreSQL side, the client fails the COPY
 * (PQputCopyEnd with a reason): the statement's checks before the data
 * compare, then both give 57014. */
static int
copy_begin_in(void *ctx, int ncols, int format, struct dh_err *err)
{
	(void)ctx, (void)ncols, (void)format, (void)err;
	return 0;
}

static int
copy_read(void *ctx, const char **p, size_t *n, struct dh_err *err)
{
	(void)ctx, (void)p, (void)n;
	return dh_err_sql(err, "57014", "COPY from stdin failed: dh-sql-diff does not run COPY");
}

static const struct dh_sql_copy copy_hooks = {copy_begin_in, copy_read, NULL, NULL};

/* Run case idx on a fresh dh store, sending its frames to fd. */
static void
dh_run_case(const struct tcase *tc, size_t idx, int fd)
{
	struct dh_err err = {0};
	struct dh_store *st = NULL;
	struct dh_sql *s = NULL;
	struct dh_buf b;
	char path[4096];
	dh_buf_init(&b, 0);
	store_path(path, sizeof(path), idx);
	int rc = dh_store_open(path, DH_STORE_CREATE | DH_STORE_NOSYNC, &st, &err);
	if (!rc)
		rc = dh_db_create(st, "dh", 0, &err);
	if (!rc)
		rc = dh_sql_open(st, "dh", &s, &err);
	if (!rc)
		dh_sql_set_copy(s, &copy_hooks, NULL);
	if (rc) {
		dh_buf_addc(&b, 'X');
		put_str(&b, err.message);
		send_frame(fd, idx, &b);
		goto out;
	}
	for (size_t i = 0; i < tc->nstmts; i++) {
		dh_buf_reset(&b);
		dh_err_clear(&err);
		rc = dh_sql_exec(s, tc->stmts[i].sql, tc->stmts[i].len, dh_on_result, &b, &err);
		if (rc) {
			const struct dh_sql_notice *v;
			size_t n = dh_sql_notices(s, &v);
			put_notices(&b, v, n);
		}
		put_end(&b, rc != 0, &err, dh_sql_txstatus(s));
		send_frame(fd, idx, &b);
	}
out:
	dh_sql_close(s);
	if (st)
		dh_store_close(st);
	remove_store(idx);
	send_frame(fd, idx, NULL);
	dh_buf_release(&b);
}

/* --wire: one statement's outcome as the frame's records. */
static void
put_outcome(struct dh_buf *b, const struct outcome *o)
{
	for (size_t i = 0; i < o->nres; i++) {
		const struct result *r = &o->res[i];
		dh_buf_addc(b, 'R');
		dh_buf_addc(b, r->rows);
		put_str(b, r->tag);
		put_str(b, NULL);
		put_u32(b, (uint32_t)r->ncols);
		for (int k = 0; k < r->ncols; k++) {
			put_str(b, r->names[k]);
			put_u32(b, r->oids[k]);
			put_u32(b, (uint32_t)r->typmods[k]);
		}
		unsigned char x[8];
		dh_put_u64be(x, (uint64_t)r->nrows);
		dh_buf_add(b, x, 8);
		for (size_t j = 0; j < r->nrows * (size_t)r->ncols; j++)
			put_str(b, r->cells[j]);
	}
	for (size_t i = 0; i < o->nwarn; i++) {
		dh_buf_addc(b, 'W');
		put_str(b, o->warnings[i]);
	}
	dh_buf_addc(b, 'E');
	dh_buf_addc(b, o->failed);
	put_str(b, o->failed ? o->sqlstate : NULL);
	put_str(b, o->failed ? o->message : NULL);
	put_str(b, o->failed ? o->detail : NULL);
	put_u32(b, o->failed ? (uint32_t)o->position : 0);
	dh_buf_addc(b, o->txstatus);
}

static struct dh_store *wire_st; /* the child's handle on dh-serve's store */

/* --wire: run case idx through libpq against dh-serve, on a database of
 * its own that the child makes in the store dh-serve serves (a new
 * session, a new database: as new as the embedded side's store). */
static void
wire_run_case(const struct tcase *tc, size_t idx, int fd)
{
	struct dh_err err = {0};
	struct dh_buf b;
	struct dh_arena a;
	PGconn *c = NULL;
	char db[64], *why = NULL;
	dh_buf_init(&b, 0);
	dh_arena_init(&a);
	snprintf(db, sizeof(db), "dh-sql-diff.%ld.%zu", run_pid, idx);
	int rc = wire_st ? 0 : dh_store_open(serve_store, DH_STORE_NOSYNC, &wire_st, &err);
	if (!rc)
		rc = dh_db_create(wire_st, db, 0, &err);
	if (rc)
		why = xstrdup(err.message);
	else
		c = connect_to(serve_conninfo, db, 0, &why);
	if (!c) {
		dh_buf_addc(&b, 'X');
		put_str(&b, why);
		send_frame(fd, idx, &b);
		goto out;
	}
	for (size_t i = 0; i < tc->nstmts; i++) {
		struct outcome o;
		const char *died = NULL;
		dh_buf_reset(&b);
		int lost = pg_run(c, &tc->stmts[i], &a, &o, &died);
		if (lost || died) {
			dh_buf_addc(&b, 'D');
			put_str(&b, died ? died : "lost the connection");
			send_frame(fd, idx, &b);
			break;
		}
		put_outcome(&b, &o);
		send_frame(fd, idx, &b);
	}
out:
	if (c)
		PQfinish(c);
	free(why);
	send_frame(fd, idx, NULL);
	dh_arena_release(&a);
	dh_buf_release(&b);
}

/* The dh side of case idx, its frames to fd. */
static void
side_run_case(const struct tcase *tc, size_t idx, int fd)
{
	if (wire)
		wire_run_case(tc, idx, fd);
	else
		dh_run_case(tc, idx, fd);
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint32_t
get_u32(struct reader *r)
{
	if (r->end - r->p < 4) {
		r->bad = 1;
		r->p = r->end;
		return 0;
	}
	uint32_t v = dh_get_u32be(r->p);
	r->p += 4;
	return v;
}

static const char *
get_str(struct reader *r, struct dh_arena *a)
{
	uint32_t n = get_u32(r);
	if (n == 0xffffffffu || r->bad)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		r->p = r->end;
		return NULL;
	}
	const char *s = dh_arena_strndup(a, (const char *)r->p, n);
	r->p += n;
	return s;
}

static int
get_u8(struct reader *r)
{
	if (r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

/* Decode one statement's payload into the next outcome of sd. */
static void
decode_statement(const unsigned char *p, size_t n, const struct tcase *tc, struct dh_arena *a,
		 struct side *sd)
{
	struct reader r = {p, p + n, 0};
	struct outcome cur = {0};
	while (!r.bad && r.p < r.end) {
		int kind = get_u8(&r);
		if (kind == 'X') {
			const char *m = get_str(&r, a);
			sd->died = dh_arena_printf(a, "dh could not open a session: %s",
						   m ? m : "(no message)");
			return;
		} else if (kind == 'D') {
			const char *m = get_str(&r, a);
			sd->died = dh_arena_printf(a, "dh-serve: %s", m ? m : "(no message)");
			return;
		} else if (kind == 'W') {
			const char *m = get_str(&r, a);
			add_warning(a, &cur, m);
		} else if (kind == 'R') {
			cur.res = arena_grow(a, cur.res, ++cur.nres, sizeof(*cur.res));
			struct result *res = &cur.res[cur.nres - 1];
			memset(res, 0, sizeof(*res));
			res->rows = get_u8(&r);
			res->tag = get_str(&r, a);
			const char *notice = get_str(&r, a);
			if (notice)
				add_warning(a, &cur, notice);
			uint32_t nc = get_u32(&r);
			if (r.bad || nc > (size_t)(r.end - r.p))
				break;
			res->ncols = (int)nc;
			res->names = dh_arena_alloc(a, nc * sizeof(char *) + 1);
			res->oids = dh_arena_alloc(a, nc * sizeof(uint32_t) + 1);
			res->typmods = dh_arena_alloc(a, nc * sizeof(int32_t) + 1);
			for (uint32_t k = 0; k < nc; k++) {
				res->names[k] = get_str(&r, a);
				res->oids[k] = get_u32(&r);
				res->typmods[k] = (int32_t)get_u32(&r);
			}
			if (r.end - r.p < 8)
				break;
			uint64_t nr = dh_get_u64be(r.p);
			r.p += 8;
			if (nc && nr > (uint64_t)(r.end - r.p) / 4 / nc)
				break;
			res->nrows = (size_t)nr;
			res->cells = dh_arena_alloc(a, (size_t)nr * nc * sizeof(char *) + 1);
			for (size_t i = 0; i < (size_t)nr * nc; i++)
				res->cells[i] = get_str(&r, a);
		} else if (kind == 'E') {
			cur.failed = get_u8(&r);
			const char *ss = get_str(&r, a);
			snprintf(cur.sqlstate, sizeof(cur.sqlstate), "%s", ss ? ss : "");
			cur.message = get_str(&r, a);
			cur.detail = get_str(&r, a);
			cur.position = (int)get_u32(&r);
			cur.txstatus = (char)get_u8(&r);
			if (r.bad || r.p != r.end || sd->n >= tc->nstmts)
				break;
			sd->out[sd->n++] = cur;
			return;
		} else {
			break;
		}
	}
	sd->died = "garbled output from the dh child";
}

/* Take the complete frames of case idx off the front of in; 1 when its
 * last one ("done") came, -1 on a frame of another case. */
static int
consume_frames(struct dh_buf *in, size_t idx, const struct tcase *tc, struct dh_arena *a,
	       struct side *sd)
{
	int done = 0;
	size_t off = 0;
	while (!done && in->len - off >= 8) {
		size_t ci = dh_get_u32be(in->p + off);
		size_t len = dh_get_u32be(in->p + off + 4);
		if (ci != idx) {
			done = -1;
			break;
		}
		if (in->len - off - 8 < len)
			break;
		if (len == 0)
			done = 1;
		else if (!sd->died)
			decode_statement(in->p + off + 8, len, tc, a, sd);
		off += 8 + len;
	}
	memmove(in->p, in->p + off, in->len - off);
	in->len -= off;
	return done;
}

/* The child running the cases [from, to) of a file. */
static struct {
	pid_t pid; /* 0: none */
	int fd;
	size_t from, to;
	struct dh_buf in; /* received, not consumed yet */
} kid;

static void
child_start(size_t from, size_t to)
{
	int fds[2];
	if (pipe(fds))
		bail("pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (pid == 0) {
		/* the child never touches the parent's PostgreSQL connections */
		close(fds[0]);
		for (size_t i = from; i < to; i++) {
			if (!cases[i].selected)
				continue;
			/* in case the parent is gone: a hang ends anyway */
			alarm(2 * timeout_s + 5);
			if (!inject_fault(&cases[i], i, fds[1]))
				side_run_case(&cases[i], i, fds[1]);
		}
		close(fds[1]);
		if (wire_st)
			dh_store_close(wire_st);
		exit(exit_after);
	}
	close(fds[1]);
	kid.pid = pid;
	kid.fd = fds[0];
	kid.from = from;
	kid.to = to;
	dh_buf_reset(&kid.in);
}

/* Wait for the child to end (killing it first if asked); its wait status. */
static int
child_reap(int kill_it)
{
	int status = 0;
	if (kill_it)
		kill(kid.pid, SIGKILL);
	close(kid.fd);
	while (waitpid(kid.pid, &status, 0) < 0 && errno == EINTR)
		;
	kid.pid = 0;
	return status;
}

static const char *
wait_status_text(struct dh_arena *a, int status)
{
	if (WIFSIGNALED(status))
		return dh_arena_printf(a, "died by signal %d (%s)", WTERMSIG(status),
				       strsignal(WTERMSIG(status)));
	return dh_arena_printf(a, "exited with status %d (a sanitizer report? see stderr)",
			       WEXITSTATUS(status));
}

/* Read the child's answer to case idx into sd, up to the timeout. */
static void
child_read_case(const struct tcase *tc, size_t idx, struct dh_arena *a, struct side *sd)
{
	double deadline = now_s() + timeout_s;
	for (;;) {
		int done = consume_frames(&kid.in, idx, tc, a, sd);
		if (done == 1)
			break;
		if (done < 0) {
			sd->died = "garbled output from the dh child (frames out of order)";
			child_reap(1);
			remove_store(idx);
			return;
		}
		double left = deadline - now_s();
		if (left <= 0) {
			child_reap(1);
			remove_store(idx);
			sd->died = dh_arena_printf(a, "dh timed out after %u s (statement %zu)",
						   timeout_s, sd->n + 1);
			return;
		}
		struct pollfd pfd = {kid.fd, POLLIN, 0};
		int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			bail("poll: %s", strerror(errno));
		if (pr == 0)
			continue;
		char chunk[65536];
		ssize_t n = read(kid.fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* the child ended in the middle of the case */
			int status = child_reap(0);
			remove_store(idx);
			sd->died = dh_arena_printf(a, "dh %s in statement %zu",
						   status ? wait_status_text(a, status)
							  : "exited before the case was done",
						   sd->n + 1);
			return;
		}
		dh_buf_add(&kid.in, chunk, (size_t)n);
	}
	if (!sd->died && sd->n < tc->nstmts)
		sd->died = dh_arena_printf(a, "dh ran %zu of %zu statements", sd->n, tc->nstmts);
}

/* After its last case: the child must exit cleanly (no sanitizer report of a
 * leak).  NULL when it did, else why not. */
static const char *
child_finish(struct dh_arena *a)
{
	if (!kid.pid)
		return NULL;
	double deadline = now_s() + timeout_s;
	int timed_out = 0;
	for (;;) {
		double left = deadline - now_s();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		struct pollfd pfd = {kid.fd, POLLIN, 0};
		int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		char chunk[4096];
		ssize_t n = read(kid.fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	int status = child_reap(timed_out);
	if (timed_out)
		return dh_arena_printf(a, "did not exit within %u s after its last case",
				       timeout_s);
	if (status)
		return dh_arena_printf(a, "%s after its last case", wait_status_text(a, status));
	return NULL;
}

/* The end of the cases of the file of case i. */
static size_t
file_end(size_t i)
{
	size_t j = i;
	while (j < ncases && cases[j].path == cases[i].path)
		j++;
	return j;
}

static void
dh_side(const struct tcase *tc, struct dh_arena *a, struct side *sd, PGconn *pg, struct side *pgsd)
{
	size_t idx = (size_t)(tc - cases);
	sd->out = dh_arena_zalloc(a, tc->nstmts * sizeof(*sd->out));
	if (no_fork) {
		pg_run_case(pg, tc, a, pgsd);
		/* the frames go through a temporary file instead of a pipe */
		FILE *f = tmpfile();
		if (!f)
			bail("cannot create a temporary file: %s", strerror(errno));
		side_run_case(tc, idx, fileno(f));
		size_t n;
		rewind(f);
		struct dh_buf b;
		dh_buf_init(&b, 0);
		char chunk[65536];
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			dh_buf_add(&b, chunk, n);
		fclose(f);
		if (consume_frames(&b, idx, tc, a, sd) != 1 && !sd->died)
			sd->died = "garbled output from dh";
		dh_buf_release(&b);
		return;
	}
	if (!kid.pid)
		child_start(idx, file_end(idx));
	/* PostgreSQL's side runs meanwhile */
	pg_run_case(pg, tc, a, pgsd);
	child_read_case(tc, idx, a, sd);
}

/* ------------------------------------------------------------ printing */

static const char *
type_name(uint32_t oid)
{
	static const struct {
		uint32_t oid;
		const char *name;
	} t[] = {
	    {16, "bool"},
	    {17, "bytea"},
	    {18, "char"},
	    {19, "name"},
	    {20, "int8"},
	    {21, "int2"},
	    {23, "int4"},
	    {25, "text"},
	    {26, "oid"},
	    {114, "json"},
	    {142, "xml"},
	    {700, "float4"},
	    {701, "float8"},
	    {705, "unknown"},
	    {790, "money"},
	    {869, "inet"},
	    {1000, "bool[]"},
	    {1001, "bytea[]"},
	    {1005, "int2[]"},
	    {1007, "int4[]"},
	    {1009, "text[]"},
	    {1015, "varchar[]"},
	    {1016, "int8[]"},
	    {1021, "float4[]"},
	    {1022, "float8[]"},
	    {1014, "bpchar[]"},
	    {1042, "bpchar"},
	    {1043, "varchar"},
	    {1082, "date"},
	    {1083, "time"},
	    {1114, "timestamp"},
	    {1115, "timestamp[]"},
	    {1182, "date[]"},
	    {1184, "timestamptz"},
	    {1185, "timestamptz[]"},
	    {1186, "interval"},
	    {1187, "interval[]"},
	    {1231, "numeric[]"},
	    {1266, "timetz"},
	    {1560, "bit"},
	    {1562, "varbit"},
	    {1700, "numeric"},
	    {2249, "record"},
	    {2278, "void"},
	    {2950, "uuid"},
	    {2951, "uuid[]"},
	    {3802, "jsonb"},
	    {3807, "jsonb[]"},
	    {199, "json[]"},
	    {2287, "record[]"},
	    {3904, "int4range"},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(t); i++)
		if (t[i].oid == oid)
			return t[i].name;
	return NULL;
}

static void
fmt_type(struct dh_buf *b, uint32_t oid, int32_t typmod)
{
	const char *n = type_name(oid);
	if (n)
		dh_buf_adds(b, n);
	else
		dh_buf_printf(b, "oid %u", oid);
	if (typmod == -1)
		return;
	/* as format_type() shows them */
	if ((oid == 1043 || oid == 1042) && typmod >= 4)
		dh_buf_printf(b, "(%d)", typmod - 4);
	else if (oid == 1700 && typmod >= 4)
		dh_buf_printf(b, "(%d,%d)", ((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff);
	else if (oid == 1083 || oid == 1114 || oid == 1184 || oid == 1266)
		dh_buf_printf(b, "(%d)", typmod);
	else
		dh_buf_printf(b, " (typmod %d)", typmod);
}

static void
fmt_cell(struct dh_buf *b, const char *s)
{
	if (!s) {
		dh_buf_adds(b, "NULL");
		return;
	}
	int quote =
	    !*s || !strcmp(s, "NULL") || s[0] == ' ' || s[strlen(s) - 1] == ' ' || s[0] == '\'';
	for (const char *p = s; *p; p++)
		if (*p == '|' || *p == '\n' || *p == '\t' || *p == '\r')
			quote = 1;
	if (!quote) {
		dh_buf_adds(b, s);
		return;
	}
	dh_buf_addc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			dh_buf_adds(b, "''");
		else if (*p == '\n')
			dh_buf_adds(b, "\\n");
		else if (*p == '\t')
			dh_buf_adds(b, "\\t");
		else if (*p == '\r')
			dh_buf_adds(b, "\\r");
		else
			dh_buf_addc(b, *p);
	}
	dh_buf_addc(b, '\'');
}

static void
fmt_row(struct dh_buf *b, const char *const *row, int ncols)
{
	for (int k = 0; k < ncols; k++) {
		if (k)
			dh_buf_adds(b, " | ");
		fmt_cell(b, row[k]);
	}
}

/* Print lines of text with a prefix ("#     " in TAP diagnostics). */
static void
print_prefixed(const char *prefix, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		printf("%s%.*s\n", prefix, (int)n, p);
		p += n + (nl != NULL);
	}
}

static void
fmt_error(struct dh_buf *b, const struct outcome *o)
{
	dh_buf_printf(b, "ERROR %s: %s", o->sqlstate[0] ? o->sqlstate : "(no SQLSTATE)",
		      o->message ? o->message : "(no message)");
	if (o->position)
		dh_buf_printf(b, " (position %d)", o->position);
	if (o->detail)
		dh_buf_printf(b, "\nDETAIL: %s", o->detail);
}

static void
fmt_result(struct dh_buf *b, const struct result *r, size_t maxrows)
{
	dh_buf_printf(b, "%s\n", r->tag ? r->tag : "(no tag)");
	if (!r->rows)
		return;
	for (int k = 0; k < r->ncols; k++) {
		dh_buf_adds(b, k ? " | " : "columns: ");
		dh_buf_adds(b, r->names[k] ? r->names[k] : "(null)");
		dh_buf_addc(b, ' ');
		fmt_type(b, r->oids[k], r->typmods[k]);
	}
	if (r->ncols == 0)
		dh_buf_adds(b, "(no columns)");
	dh_buf_addc(b, '\n');
	for (size_t i = 0; i < r->nrows && i < maxrows; i++) {
		fmt_row(b, r->cells + i * (size_t)r->ncols, r->ncols);
		dh_buf_addc(b, '\n');
	}
	if (r->nrows > maxrows)
		dh_buf_printf(b, "... (%zu rows)\n", r->nrows);
}

static void
fmt_outcome(struct dh_buf *b, const struct outcome *o, size_t maxrows)
{
	for (size_t i = 0; i < o->nres; i++)
		fmt_result(b, &o->res[i], maxrows);
	for (size_t i = 0; i < o->nwarn; i++)
		dh_buf_printf(b, "%s\n", o->warnings[i]);
	if (o->failed) {
		fmt_error(b, o);
		dh_buf_addc(b, '\n');
	}
	if (o->txstatus != 'I')
		dh_buf_printf(b, "(transaction status %c)\n", o->txstatus);
}

/* ------------------------------------------------------------ comparing */

static int sort_ncols;

static int
cmp_cell(const char *x, const char *y)
{
	if (!x || !y)
		return !x && !y ? 0 : !x ? -1 : 1;
	return strcmp(x, y);
}

static int
cmp_row(const void *a, const void *b)
{
	const char *const *x = *(const char *const *const *)a;
	const char *const *y = *(const char *const *const *)b;
	for (int k = 0; k < sort_ncols; k++) {
		int c = cmp_cell(x[k], y[k]);
		if (c)
			return c;
	}
	return 0;
}

/* A row with its group (runs of equal sort keys) for ordered comparison. */
struct grow {
	size_t group;
	const char *const *row;
};

static int
cmp_grow(const void *a, const void *b)
{
	const struct grow *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	for (int k = 0; k < sort_ncols; k++) {
		int c = cmp_cell(x->row[k], y->row[k]);
		if (c)
			return c;
	}
	return 0;
}

/* The rows of r in the order they compare in: sorted for an unordered
 * statement, as they came for "ordered", sorted within each run of equal
 * keys for "ordered K,...". */
static const char *const **
comparable_rows(const struct result *r, const struct stmt *s, struct dh_arena *a)
{
	const char *const **v = dh_arena_alloc(a, (r->nrows + 1) * sizeof(*v));
	for (size_t i = 0; i < r->nrows; i++)
		v[i] = r->cells + i * (size_t)r->ncols;
	sort_ncols = r->ncols;
	if (s->order == ORD_NONE) {
		qsort(v, r->nrows, sizeof(*v), cmp_row);
	} else if (s->order == ORD_KEYS) {
		struct grow *g = dh_arena_alloc(a, (r->nrows + 1) * sizeof(*g));
		size_t group = 0;
		for (size_t i = 0; i < r->nrows; i++) {
			if (i > 0)
				for (int k = 0; k < s->nkeys; k++)
					if (cmp_cell(v[i][s->keys[k]], v[i - 1][s->keys[k]])) {
						group++;
						break;
					}
			g[i].group = group;
			g[i].row = v[i];
		}
		qsort(g, r->nrows, sizeof(*g), cmp_grow);
		for (size_t i = 0; i < r->nrows; i++)
			v[i] = g[i].row;
	}
	return v;
}

struct mismatch {
	size_t stmt;	    /* index into the case's statements */
	const char *why;    /* one line */
	struct dh_buf more; /* extra detail lines (rows only one side has) */
};

static int
strs_differ(const char *x, const char *y)
{
	return (x == NULL) != (y == NULL) || (x && strcmp(x, y));
}

/* Compare the rows of two results with the same columns. */
static int
compare_rows(const struct result *p, const struct result *d, const struct stmt *s,
	     struct dh_arena *a, struct mismatch *m)
{
	const char *const **pv = comparable_rows(p, s, a);
	const char *const **dv = comparable_rows(d, s, a);
	int nc = p->ncols;
	sort_ncols = nc;
	if (s->order != ORD_NONE) {
		size_t n = p->nrows < d->nrows ? p->nrows : d->nrows;
		for (size_t i = 0; i < n; i++)
			if (cmp_row(&pv[i], &dv[i])) {
				dh_buf_printf(
				    &m->more,
				    "first difference at row %zu:\n  PostgreSQL: ", i + 1);
				fmt_row(&m->more, pv[i], nc);
				dh_buf_adds(&m->more, "\n  dh:         ");
				fmt_row(&m->more, dv[i], nc);
				dh_buf_addc(&m->more, '\n');
				m->why = p->nrows == d->nrows ? "rows differ (in order)"
							      : "rows differ (in order and count)";
				return 1;
			}
		if (p->nrows != d->nrows) {
			m->why = dh_arena_printf(a, "%zu rows, dh has %zu", p->nrows, d->nrows);
			return 1;
		}
		return 0;
	}
	/* multisets: walk the two sorted lists */
	size_t i = 0, j = 0, only_p = 0, only_d = 0;
	struct dh_buf bp, bd;
	dh_buf_init(&bp, 0);
	dh_buf_init(&bd, 0);
	while (i < p->nrows || j < d->nrows) {
		int c = i == p->nrows ? 1 : j == d->nrows ? -1 : cmp_row(&pv[i], &dv[j]);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			if (++only_p <= SHOW_ROWS) {
				dh_buf_adds(&bp, "  ");
				fmt_row(&bp, pv[i], nc);
				dh_buf_addc(&bp, '\n');
			}
			i++;
		} else {
			if (++only_d <= SHOW_ROWS) {
				dh_buf_adds(&bd, "  ");
				fmt_row(&bd, dv[j], nc);
				dh_buf_addc(&bd, '\n');
			}
			j++;
		}
	}
	if (only_p || only_d) {
		if (only_p)
			dh_buf_printf(&m->more, "rows only PostgreSQL has (%zu):\n%s", only_p,
				      (const char *)bp.p);
		if (only_d)
			dh_buf_printf(&m->more, "rows only dh has (%zu):\n%s", only_d,
				      (const char *)bd.p);
		m->why = p->nrows == d->nrows ? "rows differ" : "rows differ (and their count)";
	}
	dh_buf_release(&bp);
	dh_buf_release(&bd);
	return only_p || only_d;
}

static int
compare_result(const struct result *p, const struct result *d, const struct stmt *s,
	       struct dh_arena *a, struct mismatch *m)
{
	if (strs_differ(p->tag, d->tag)) {
		m->why = dh_arena_printf(a, "command tag '%s', dh says '%s'", p->tag,
					 d->tag ? d->tag : "(none)");
		return 1;
	}
	/* A result with no columns carries no row description in dh's API. */
	if (p->rows != d->rows && (p->ncols > 0 || d->ncols > 0)) {
		m->why = p->rows ? "PostgreSQL returns rows, dh does not"
				 : "dh returns rows, PostgreSQL does not";
		return 1;
	}
	if (!p->rows)
		return 0;
	if (p->ncols != d->ncols) {
		m->why = dh_arena_printf(a, "%d columns, dh has %d", p->ncols, d->ncols);
		return 1;
	}
	for (int k = 0; k < p->ncols; k++) {
		if (strs_differ(p->names[k], d->names[k])) {
			m->why = dh_arena_printf(a, "column %d is named '%s', dh says '%s'", k + 1,
						 p->names[k], d->names[k] ? d->names[k] : "(null)");
			return 1;
		}
		if (p->oids[k] != d->oids[k] || p->typmods[k] != d->typmods[k]) {
			struct dh_buf t;
			dh_buf_init(&t, 0);
			dh_buf_printf(&t, "column %d '%s' is ", k + 1, p->names[k]);
			fmt_type(&t, p->oids[k], p->typmods[k]);
			dh_buf_adds(&t, ", dh says ");
			fmt_type(&t, d->oids[k], d->typmods[k]);
			m->why = dh_arena_strdup(a, (const char *)t.p);
			dh_buf_release(&t);
			return 1;
		}
	}
	for (int k = 0; k < s->nkeys; k++)
		if (s->keys[k] >= p->ncols) {
			m->why = dh_arena_printf(a, "'ordered' names column %d of %d",
						 s->keys[k] + 1, p->ncols);
			return 2;
		}
	return compare_rows(p, d, s, a, m);
}

/* Does msg contain name in double quotes? */
static int
names(const char *msg, const char *name)
{
	if (!msg)
		return 0;
	size_t n = strlen(name);
	for (const char *p = strchr(msg, '"'); p; p = strchr(p + 1, '"'))
		if (!strncmp(p + 1, name, n) && p[1 + n] == '"')
			return 1;
	return 0;
}

/* Did PostgreSQL do what the case says (fail the statements marked "error"
 * and only those)?  0 yes, 1 no: the case is broken. */
static int
check_intent(const struct outcome *p, const struct stmt *s, struct dh_arena *a, struct mismatch *m)
{
	if (s->expect_error && !p->failed) {
		m->why = "the case is broken: PostgreSQL runs a statement marked 'error'";
		return 1;
	}
	if (!s->expect_error && p->failed) {
		m->why = dh_arena_printf(a, "the case is broken: PostgreSQL fails it (%s %s)",
					 p->sqlstate, p->message ? p->message : "");
		return 1;
	}
	return 0;
}

/* Compare one statement's outcomes: 0 agree, 1 differ, 2 the case is broken. */
static int
compare_outcome(const struct outcome *p, const struct outcome *d, const struct stmt *s,
		struct dh_arena *a, struct mismatch *m)
{
	size_t n = p->nres < d->nres ? p->nres : d->nres;
	for (size_t i = 0; i < n; i++) {
		int rc = compare_result(&p->res[i], &d->res[i], s, a, m);
		if (rc) {
			if (p->nres > 1)
				m->why = dh_arena_printf(a, "result %zu: %s", i + 1, m->why);
			return rc;
		}
	}
	if (p->failed != d->failed) {
		if (d->failed)
			m->why = dh_arena_printf(a, "dh fails: %s %s", d->sqlstate,
						 d->message ? d->message : "");
		else
			m->why = dh_arena_printf(a, "PostgreSQL fails with %s, dh does not",
						 p->sqlstate);
		return 1;
	}
	if (p->nres != d->nres) {
		m->why = dh_arena_printf(a, "%zu results, dh gives %zu", p->nres, d->nres);
		return 1;
	}
	if (p->failed) {
		if (strcmp(p->sqlstate, d->sqlstate)) {
			m->why = dh_arena_printf(a, "SQLSTATE %s, dh says %s (%s)", p->sqlstate,
						 d->sqlstate, d->message ? d->message : "");
			return 1;
		}
		if ((!strcmp(p->sqlstate, "42601") || strict_messages) &&
		    p->position != d->position) {
			m->why = dh_arena_printf(a, "%s at position %d, dh says position %d",
						 p->sqlstate, p->position, d->position);
			return 1;
		}
		if (!strncmp(p->sqlstate, "23", 2) && p->constraint &&
		    !names(d->message, p->constraint)) {
			m->why = dh_arena_printf(a, "dh's message does not name constraint \"%s\"",
						 p->constraint);
			return 1;
		}
		if (!strncmp(p->sqlstate, "23", 2) && p->column && !names(d->message, p->column)) {
			m->why = dh_arena_printf(a, "dh's message does not name column \"%s\"",
						 p->column);
			return 1;
		}
		if ((s->message || strict_messages) &&
		    (strs_differ(p->message, d->message) ||
		     (p->detail && strs_differ(p->detail, d->detail)))) {
			m->why = "error message differs";
			return 1;
		}
	}
	if (p->txstatus != d->txstatus) {
		m->why = dh_arena_printf(a, "transaction status %c after it, dh's is %c",
					 p->txstatus, d->txstatus);
		return 1;
	}
	for (size_t i = 0; i < p->nwarn || i < d->nwarn; i++)
		if (i >= p->nwarn || i >= d->nwarn || strcmp(p->warnings[i], d->warnings[i])) {
			m->why = dh_arena_printf(a, "notice %s, dh's %s",
						 i < p->nwarn ? p->warnings[i] : "(none)",
						 i < d->nwarn ? d->warnings[i] : "(none)");
			return 1;
		}
	return 0;
}

static void
print_stmt_sql(const struct stmt *s)
{
	print_prefixed("#     ", s->sql);
}

static void
diag_mismatch(const struct tcase *tc, const struct side *p, const struct side *d,
	      const struct mismatch *m, const char *other)
{
	const struct stmt *s = &tc->stmts[m->stmt];
	struct dh_buf b;
	dh_buf_init(&b, 0);
	const char *base = strrchr(tc->path, '/');
	printf("#   %s:%d: statement %zu%s: %s\n", base ? base + 1 : tc->path, s->line, m->stmt + 1,
	       s->setup ? " (setup)" : "", m->why);
	print_stmt_sql(s);
	if (m->stmt < p->n) {
		fmt_outcome(&b, &p->out[m->stmt], SHOW_ROWS);
		printf("#   PostgreSQL 15:\n");
		print_prefixed("#     ", (const char *)b.p);
	}
	if (m->stmt < d->n) {
		dh_buf_reset(&b);
		fmt_outcome(&b, &d->out[m->stmt], SHOW_ROWS);
		printf("#   %s:\n", other);
		print_prefixed("#     ", (const char *)b.p);
	}
	if (m->more.len) {
		print_prefixed("#   ", (const char *)m->more.p);
	}
	dh_buf_release(&b);
}

/* ------------------------------------------------------------ running */

struct tally {
	size_t run, agree, differ, broken, died, todo_fail, todo_pass, child_bad;
};

static int test_no;

static void
tap_line(int ok, const struct tcase *tc, int todo, const char *reason)
{
	printf("%s %d - %s", ok ? "ok" : "not ok", ++test_no, tc->id);
	if (todo) {
		printf(" # TODO ");
		for (const char *p = reason; *p; p++)
			putchar(*p == '\n' || *p == '#' ? ' ' : *p);
	}
	putchar('\n');
}

static void
dump_case(const struct tcase *tc)
{
	struct dh_arena a;
	dh_arena_init(&a);
	struct side p = {0};
	PGconn *c = pg_fresh(&pg_main, DB_MAIN, 0);
	pg_run_case(c, tc, &a, &p);
	printf("== %s (%s:%d)\n", tc->id, tc->path, tc->line);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < p.n; i++) {
		dh_buf_reset(&b);
		printf("%s\n", tc->stmts[i].sql);
		fmt_outcome(&b, &p.out[i], 1000);
		print_prefixed("  ", (const char *)b.p);
		const char *bad = NULL;
		if (tc->stmts[i].expect_error && !p.out[i].failed)
			bad = "runs, though marked 'error'";
		if (!tc->stmts[i].expect_error && p.out[i].failed)
			bad = "fails, though not marked 'error'";
		if (bad)
			printf("  !! the case is broken: PostgreSQL %s\n", bad);
	}
	if (p.died)
		printf("  !! %s\n", p.died);
	dh_buf_release(&b);
	dh_arena_release(&a);
}

/* Run one case on both sides; returns its verdict and prints its test point. */
static enum verdict
run_case(struct tcase *tc, struct tally *t)
{
	struct dh_arena a;
	dh_arena_init(&a);
	struct side p = {0}, d = {0};
	struct mismatch m = {0};
	dh_buf_init(&m.more, 0);
	const char *other = self_check		? "PostgreSQL 15 (the second database)"
			    : wire == WIRE_SIMPLE	? "dh-serve (simple protocol)"
			    : wire == WIRE_EXTENDED ? "dh-serve (extended protocol)"
						    : "dh";
	enum verdict v = V_AGREE;

	PGconn *pc = pg_fresh(&pg_main, DB_MAIN, 0);
	if (self_check) {
		PGconn *oc = pg_fresh(&pg_other, DB_OTHER, 1);
		pg_run_case(pc, tc, &a, &p);
		pg_run_case(oc, tc, &a, &d);
	} else {
		dh_side(tc, &a, &d, pc, &p);
	}

	/* 1. the case itself: PostgreSQL must do what the case says */
	if (p.died) {
		v = V_BROKEN;
		m.why = p.died;
		m.stmt = p.n < tc->nstmts ? p.n : tc->nstmts - 1;
	}
	for (size_t i = 0; v == V_AGREE && i < p.n; i++)
		if (check_intent(&p.out[i], &tc->stmts[i], &a, &m)) {
			v = V_BROKEN;
			m.stmt = i;
		}
	/* 2. the first statement where the sides differ */
	for (size_t i = 0; v == V_AGREE && i < p.n && i < d.n; i++) {
		int rc = compare_outcome(&p.out[i], &d.out[i], &tc->stmts[i], &a, &m);
		if (rc) {
			v = rc == 2 ? V_BROKEN : V_DIFFER;
			m.stmt = i;
		}
	}
	/* 3. a crash or a hang, even after a difference */
	if (v != V_BROKEN && (d.died || d.n < p.n)) {
		v = V_DIED;
		m.why = d.died ? d.died : "dh gave no outcome";
		m.stmt = d.n < tc->nstmts ? d.n : tc->nstmts - 1;
		dh_buf_reset(&m.more);
	}

	t->run++;
	int todo = tc->todo && !self_check;
	switch (v) {
	case V_AGREE:
		t->agree++;
		if (todo)
			t->todo_pass++;
		tap_line(1, tc, todo, "now agrees with PostgreSQL: remove it from the todo list");
		break;
	case V_DIFFER: {
		t->differ++;
		if (todo)
			t->todo_fail++;
		const char *reason =
		    dh_arena_printf(&a, "statement %zu: %s", m.stmt + 1, m.why ? m.why : "?");
		if (strlen(reason) > 200)
			reason = dh_arena_printf(&a, "%.197s...", reason);
		tap_line(0, tc, todo, reason);
		if (!todo || verbose)
			diag_mismatch(tc, &p, &d, &m, other);
		break;
	}
	case V_BROKEN:
		if (wire && todo) {
			/* split into one Sync each, a case written for one Query
			 * can be wrong about PostgreSQL itself: on a wire todo
			 * list (with the reason) it is a TODO */
			t->todo_fail++;
			tap_line(0, tc, todo,
				 dh_arena_printf(&a, "statement %zu: %.150s", m.stmt + 1,
						 m.why ? m.why : "?"));
			break;
		}
		/* fall through */
	case V_DIED:
		if (v == V_BROKEN)
			t->broken++;
		else
			t->died++;
		tap_line(0, tc, 0, "");
		diag_mismatch(tc, &p, &d, &m, other);
		if (todo)
			printf("#   (on the todo list, but a crash, a hang or a broken case is "
			       "never a "
			       "TODO)\n");
		break;
	}
	fflush(stdout);
	dh_buf_release(&m.more);
	dh_arena_release(&a);
	return v;
}

/* The dh child of a file is done: it must exit cleanly.  A failing test of
 * its own if it does not (a leak report at exit names no case). */
static void
finish_child(struct tally *t)
{
	if (!kid.pid)
		return;
	size_t from = kid.from;
	struct dh_arena a;
	dh_arena_init(&a);
	const char *why = child_finish(&a);
	if (why) {
		const char *base = strrchr(cases[from].path, '/');
		base = base ? base + 1 : cases[from].path;
		printf("not ok %d - %s: the dh child exits cleanly\n", ++test_no, base);
		printf("#   the dh child of %s %s: a sanitizer report (a leak?) on stderr\n"
		       "#   names no case; -k FILE/CASE runs one\n",
		       base, why);
		t->child_bad++;
	}
	fflush(stdout);
	dh_arena_release(&a);
}

/* ------------------------------------------------------------ the todo file */

static const char todo_header[] =
    "# t/sql/todo: the cases of t/sql/*.test where dh does not agree with\n"
    "# PostgreSQL 15 yet, one FILE/CASE a line.  t4000-sql-pg.sh reports them\n"
    "# as TODO; one that agrees becomes an unexpected pass (a failure) until it\n"
    "# leaves this list.  Regenerate it with \"make sql-todo\" in the build\n"
    "# tree (t/sql/README); by hand, only remove lines.\n";

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
rewrite_todo(const enum verdict *verdicts)
{
	char *tmp = dh_arena_printf(&file_arena, "%s.new", todo_path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		bail("cannot write '%s': %s", tmp, strerror(errno));
	fputs(todo_head ? todo_head : todo_header, f);
	/* The cases run are listed when they differ; not when they crashed,
	 * hung or are broken: those must be fixed, not waited for.  Cases left
	 * out by -k keep their entry; so do the entries of files not given. */
	size_t listed = 0;
	for (size_t i = 0; i < ncases; i++) {
		if (todo_earlier(cases[i].id))
			continue;
		if (cases[i].selected ? verdicts[i] == V_DIFFER : cases[i].todo) {
			fprintf(f, "%s\n", cases[i].id);
			listed++;
		}
	}
	char **keep = xcalloc(ntodo + 1, sizeof(*keep));
	size_t n = 0;
	for (size_t i = ntodo_earlier; i < ntodo; i++)
		if (!stem_known(todo_lines[i]))
			keep[n++] = todo_lines[i];
	qsort(keep, n, sizeof(*keep), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(keep[i], keep[i - 1]))
			fprintf(f, "%s\n", keep[i]);
	free(keep);
	if (fclose(f) != 0 || rename(tmp, todo_path) != 0)
		bail("cannot write '%s': %s", todo_path, strerror(errno));
	fprintf(stderr, "dh-sql-diff: wrote %s: %zu cases of this run disagree\n", todo_path,
		listed);
}

/* ------------------------------------------------------------ main */

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: dh-sql-diff [--pg CONNINFO] [--todo FILE [--write-todo]] [--self-check]\n"
		"                   [--other-init SQL] [--dump] [--timeout SEC] [--scratch DIR]\n"
		"                   [-k GLOB] [--strict-messages] [--no-fork] [-v]\n"
		"                   [--wire simple|extended --serve CONNINFO --serve-store PATH]\n"
		"                   FILE.test...\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"pg", required_argument, NULL, 'p'},
	    {"todo", required_argument, NULL, 't'},
	    {"write-todo", no_argument, NULL, 'W'},
	    {"self-check", no_argument, NULL, 'S'},
	    {"other-init", required_argument, NULL, 'O'},
	    {"dump", no_argument, NULL, 'D'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"scratch", required_argument, NULL, 's'},
	    {"match", required_argument, NULL, 'k'},
	    {"strict-messages", no_argument, NULL, 'M'},
	    {"no-fork", no_argument, NULL, 'F'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"wire", required_argument, NULL, 'w'},
	    {"serve", required_argument, NULL, 'C'},
	    {"serve-store", required_argument, NULL, 'Z'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *env = getenv("DH_SQL_DIFF_TIMEOUT");
	if (env && atoi(env) > 0)
		timeout_s = (unsigned)atoi(env);
	pg_conninfo = getenv("PG_URI");
	serve_conninfo = getenv("DH_SERVE_URI");
	serve_store = getenv("DH_SERVE_STORE");
	scratch_dir = getenv("TMPDIR");
	if (!scratch_dir || !*scratch_dir)
		scratch_dir = "/tmp";
	int ch;
	while ((ch = getopt_long(argc, argv, "k:vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			pg_conninfo = optarg;
			break;
		case 't':
			if (ntodo_paths == DH_ARRAY_SIZE(todo_paths)) {
				usage(stderr);
				return 2;
			}
			todo_path = todo_paths[ntodo_paths++] = optarg;
			break;
		case 'W':
			write_todo = 1;
			break;
		case 'S':
			self_check = 1;
			break;
		case 'O':
			other_init = optarg;
			break;
		case 'D':
			dump_mode = 1;
			break;
		case 'T':
			if (atoi(optarg) <= 0) {
				usage(stderr);
				return 2;
			}
			timeout_s = (unsigned)atoi(optarg);
			break;
		case 's':
			scratch_dir = optarg;
			break;
		case 'k':
			match_glob = optarg;
			break;
		case 'M':
			strict_messages = 1;
			break;
		case 'F':
			no_fork = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'w':
			if (!strcmp(optarg, "simple")) {
				wire = WIRE_SIMPLE;
			} else if (!strcmp(optarg, "extended")) {
				wire = WIRE_EXTENDED;
			} else {
				usage(stderr);
				return 2;
			}
			break;
		case 'C':
			serve_conninfo = optarg;
			break;
		case 'Z':
			serve_store = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc || (write_todo && (!todo_path || self_check || dump_mode)) ||
	    (other_init && !self_check) ||
	    (wire && !self_check && !dump_mode && (!serve_conninfo || !serve_store))) {
		usage(stderr);
		return 2;
	}
	dh_arena_init(&file_arena);
	for (int i = optind; i < argc; i++)
		read_case_file(argv[i]);
	read_todo();
	for (size_t i = 0; i < ncases; i++)
		cases[i].selected = !match_glob || fnmatch(match_glob, cases[i].id, 0) == 0;
	for (size_t i = 0; i < ntodo; i++) {
		struct tcase *c = find_case(todo_lines[i]);
		if (c)
			c->todo = 1;
	}

	run_pid = (long)getpid();
	dh_buf_init(&kid.in, 0);
	snprintf(DB_MAIN, sizeof(DB_MAIN), "dh_sql_diff_%ld", (long)getpid());
	snprintf(DB_OTHER, sizeof(DB_OTHER), "dh_sql_diff_%ld_2", (long)getpid());
	PGconn *admin = pg_connect(NULL, 0);
	pg_check_version(admin);
	pg_create_db(admin, DB_MAIN);
	if (self_check)
		pg_create_db(admin, DB_OTHER);

	if (dump_mode) {
		for (size_t i = 0; i < ncases; i++)
			if (cases[i].selected)
				dump_case(&cases[i]);
	} else {
		struct tally t = {0};
		enum verdict *verdicts = xcalloc(ncases + 1, sizeof(*verdicts));
		double start = now_s();
		for (size_t i = 0; i < ncases; i++) {
			if (!cases[i].selected)
				continue;
			if (kid.pid && (i < kid.from || i >= kid.to))
				finish_child(&t);
			verdicts[i] = run_case(&cases[i], &t);
		}
		finish_child(&t);
		/* a todo entry must name a case of the files run */
		size_t stale = 0;
		if (!match_glob && !write_todo)
			for (size_t i = 0; i < ntodo; i++)
				if (!find_case(todo_lines[i]) && stem_known(todo_lines[i])) {
					if (!stale++)
						printf("not ok %d - %s names only existing cases\n",
						       ++test_no,
						       ntodo_paths == 1 ? todo_path
									: "the todo files");
					printf("#   no case '%s'\n", todo_lines[i]);
				}
		printf("1..%d\n", test_no);
		if (self_check)
			printf("# self-check: %zu of %zu cases agree between two PostgreSQL 15 "
			       "databases\n",
			       t.agree, t.run);
		else if (wire)
			printf("# %zu of %zu cases agree with PostgreSQL 15 over the wire (%s "
			       "protocol)\n",
			       t.agree, t.run, wire == WIRE_SIMPLE ? "simple" : "extended");
		else
			printf("# %zu of %zu cases agree with PostgreSQL 15\n", t.agree, t.run);
		printf("# %zu differ (%zu of them on the todo list), %zu agree though on the todo "
		       "list, %zu broken cases, %zu crashes or timeouts; %.1f s\n",
		       t.differ, t.todo_fail, t.todo_pass, t.broken, t.died, now_s() - start);
		if (t.child_bad)
			printf("# %zu dh children did not exit cleanly\n", t.child_bad);
		if (write_todo)
			rewrite_todo(verdicts);
		free(verdicts);
		int bad = t.broken || t.died || stale || t.child_bad ||
			  (!write_todo && (t.todo_pass || t.differ > t.todo_fail));
		if (self_check)
			bad = t.agree != t.run;
		dh_buf_release(&kid.in);
		char sql[128];
		if (pg_main)
			PQfinish(pg_main);
		if (pg_other)
			PQfinish(pg_other);
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", DB_MAIN);
		pg_must(admin, sql);
		if (self_check) {
			snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", DB_OTHER);
			pg_must(admin, sql);
		}
		PQfinish(admin);
		for (size_t i = 0; i < ntodo; i++)
			free(todo_lines[i]);
		free(todo_lines);
		free(cases);
		dh_arena_release(&file_arena);
		return bad ? 1 : 0;
	}
	if (pg_main)
		PQfinish(pg_main);
	PQfinish(admin);
	for (size_t i = 0; i < ntodo; i++)
		free(todo_lines[i]);
	free(todo_lines);
	free(cases);
	dh_arena_release(&file_arena);
	return 0;
}
