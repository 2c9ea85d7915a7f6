/*
 * dh-slt: a sqllogictest runner (the classic format of SQLite's
 * sqllogictest, t/slt/README) for two engines: dh through the SQL session
 * API (sql.h), and a real PostgreSQL server through libpq.
 *
 *   dh-slt [--engine dh|pg] [--uri URI] FILE...
 *
 * Each file runs against a fresh database: with dh a new store in a
 * temporary directory, with pg a new database created on the server (and
 * dropped afterwards).  skipif/onlyif compare with the name given by --as,
 * "postgresql" by default for both engines, since dh speaks PostgreSQL's
 * dialect.  The records of one file run in a child process, so a crash or a
 * hang of the engine costs that file's remaining records, not the run.
 *
 * Values are rendered by the column type letters as the reference runner's
 * engine interfaces render them (render() tells the rules); result hashes
 * are MD5 over the sorted values, each followed by a newline.  A labeled
 * query's expectation must agree with every other expectation of its label
 * (a check of the test file); each query passes or fails on its own result.
 *
 * Exit status: 0 when every record that ran passed, 1 when a record failed
 * or a file could not run, 2 on bad usage or an unreadable file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto.h"
#include "dh.h"
#include "sql.h"

#define USAGE                                                                                      \
	"usage: dh-slt [--engine dh|pg] [--uri URI] [--as NAME] [--timeout SEC]\n"                 \
	"              [--hash-threshold N] [--limit N] [--max-errors N] [--log FILE]\n"           \
	"              [--tsv] [-v] FILE...\n"

#define DEFAULT_HASH_THRESHOLD 8 /* the reference runner's */
#define BOOLOID 16
#define TOKMAX 200
#define SHOW_VALUES 24 /* values shown per side in a failure's details */

static struct {
	const char *engine; /* "dh" or "pg" */
	const char *uri;    /* pg: where to create the databases ("": libpq defaults) */
	const char *as;	    /* the engine name skipif/onlyif compare with */
	unsigned timeout;   /* seconds per record, 0 for none */
	int hash_threshold; /* -1: the file's (hash-threshold records) */
	long limit;	    /* statement and query records per file, 0 for all */
	long max_errors;    /* failures per file shown in detail */
	int verbose;
	int tsv;
	FILE *log;
} opt = {"dh", "", "postgresql", 60, -1, 0, 0, 0, 0, NULL};

/* ------------------------------------------------------------ the script */

enum kind { K_NONE, K_STATEMENT, K_QUERY, K_HASH_THRESHOLD, K_HALT, K_UNKNOWN };

struct line {
	char *s; /* NUL-terminated, no \r, "" if blank */
	int no;	 /* 1-based line number in the file */
};

/* A record is a run of non-blank lines; comment lines are gone. */
struct rec {
	int hdr;  /* index in lines[] of its header (after skipif/onlyif) */
	int end;  /* one past its last line */
	int skip; /* a condition leaves it out */
	enum kind kind;
};

struct script {
	const char *path;
	char *text;
	struct line *lines;
	int nlines;
	struct rec *recs;
	int nrecs;
	int stop;	     /* records run: [0, stop) */
	long nsq;	     /* statement and query records (what "records" counts) */
	long stmts, queries; /* records to run, of each kind */
	long skipped;	     /* statements and queries left out by conditions */
};

struct tok {
	char t[4][TOKMAX];
};

/* The first four whitespace-separated words of s, each cut at TOKMAX-1. */
static void
tokenize(const char *s, struct tok *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < 4; i++) {
		while (isspace((unsigned char)*s))
			s++;
		size_t n = 0;
		while (s[n] && !isspace((unsigned char)s[n]))
			n++;
		if (n == 0)
			break;
		memcpy(t->t[i], s, n < TOKMAX ? n : TOKMAX - 1);
		s += n;
	}
}

static enum kind
kind_of(const char *word)
{
	if (strcmp(word, "statement") == 0)
		return K_STATEMENT;
	if (strcmp(word, "query") == 0)
		return K_QUERY;
	if (strcmp(word, "hash-threshold") == 0)
		return K_HASH_THRESHOLD;
	if (strcmp(word, "halt") == 0)
		return K_HALT;
	return K_UNKNOWN;
}

static int
read_whole(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (dh_buf_add(&b, chunk, n))
			break;
	int bad = ferror(f) || b.overflow;
	fclose(f);
	if (bad) {
		dh_buf_release(&b);
		errno = bad && b.overflow ? EFBIG : EIO;
		return -1;
	}
	*text = dh_buf_detach(&b, len);
	return 0;
}

/* Read and split path into records, as the reference runner reads it: lines
 * lose a trailing \r, lines of spaces are blank, lines starting with '#' are
 * removed before anything else looks at the script. */
static int
script_load(struct script *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	size_t len;
	if (read_whole(path, &s->text, &len))
		return -1;
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += s->text[i] == '\n';
	s->lines = xcalloc(cap, sizeof(*s->lines));
	char *p = s->text, *end = s->text + len;
	int no = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		no++;
		*e = 0;
		if (e > p && e[-1] == '\r')
			*--e = 0;
		char *q = p;
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (q == e)
			*p = 0;
		if (*p != '#')
			s->lines[s->nlines++] = (struct line){p, no};
		p = nl ? nl + 1 : end;
	}

	s->recs = xcalloc((size_t)s->nlines / 2 + 1, sizeof(*s->recs));
	for (int i = 0; i < s->nlines;) {
		if (!s->lines[i].s[0]) {
			i++;
			continue;
		}
		if (opt.limit > 0 && s->nsq >= opt.limit)
			break;
		int j = i;
		while (j < s->nlines && s->lines[j].s[0])
			j++;
		struct rec *r = &s->recs[s->nrecs++];
		r->end = j;
		r->hdr = i;
		struct tok t;
		for (;; r->hdr++) {
			if (r->hdr == j) {
				r->kind = K_NONE;
				break;
			}
			tokenize(s->lines[r->hdr].s, &t);
			int is_skip = strcmp(t.t[0], "skipif") == 0;
			if (!is_skip && strcmp(t.t[0], "onlyif") != 0) {
				r->kind = kind_of(t.t[0]);
				s->nsq += r->kind == K_STATEMENT || r->kind == K_QUERY;
				break;
			}
			int match = strcasecmp(t.t[1], opt.as) == 0;
			if (is_skip == match)
				r->skip = 1;
		}
		i = j;
	}

	s->stop = s->nrecs;
	for (int i = 0; i < s->nrecs; i++) {
		const struct rec *r = &s->recs[i];
		if (r->skip) {
			s->skipped += r->kind == K_STATEMENT || r->kind == K_QUERY;
			continue;
		}
		if (r->kind == K_HALT || r->kind == K_UNKNOWN) {
			s->stop = i;
			break;
		}
		s->stmts += r->kind == K_STATEMENT;
		s->queries += r->kind == K_QUERY;
	}
	return 0;
}

static void
script_release(struct script *s)
{
	free(s->recs);
	free(s->lines);
	free(s->text);
}

/* Lines [from, to) joined by newlines. */
static char *
join_lines(struct dh_arena *a, const struct script *s, int from, int to)
{
	size_t n = 1;
	for (int i = from; i < to; i++)
		n += strlen(s->lines[i].s) + 1;
	char *out = dh_arena_alloc(a, n), *p = out;
	for (int i = from; i < to; i++) {
		size_t k = strlen(s->lines[i].s);
		if (i > from)
			*p++ = '\n';
		memcpy(p, s->lines[i].s, k);
		p += k;
	}
	*p = 0;
	return out;
}

/* ------------------------------------------------------------ results */

/* One statement's outcome, as either engine reports it. */
struct rset {
	int ok;
	char sqlstate[6];
	const char *message;
	int ncols;
	const uint32_t *oids;
	size_t nrows;
	const char *const *cells; /* nrows * ncols, NULL for SQL NULL */
};

/* The decimal number at the start of v (after blanks): [sign] digits
 * [. digits] [e [sign] digits], at least one digit.  Its length, or 0; *real
 * is set when it has a fraction or an exponent. */
static size_t
number_prefix(const char *v, int *real)
{
	size_t i = 0, digits = 0;
	*real = 0;
	if (v[i] == '+' || v[i] == '-')
		i++;
	while (isdigit((unsigned char)v[i]))
		i++, digits++;
	if (v[i] == '.') {
		size_t f = i + 1, fdigits = 0;
		while (isdigit((unsigned char)v[f]))
			f++, fdigits++;
		if (digits + fdigits > 0) {
			i = f;
			digits += fdigits;
			*real = 1;
		}
	}
	if (digits == 0)
		return 0;
	if (v[i] == 'e' || v[i] == 'E') {
		size_t e = i + 1;
		if (v[e] == '+' || v[e] == '-')
			e++;
		if (isdigit((unsigned char)v[e])) {
			while (isdigit((unsigned char)v[e]))
				e++;
			i = e;
			*real = 1;
		}
	}
	return i;
}

/* A value's integer, as sqlite3_column_int() and ODBC's SQL_C_SLONG give
 * it: a number written whole in any notation truncates toward zero ("3.7"
 * -> 3, "-1e-05" -> 0), other text gives its leading integer ("12ab" -> 12,
 * "abc" -> 0), out-of-range values saturate to 64 bits and the result goes
 * through a C int, wrapping like theirs. */
static int
slt_int(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	int real;
	size_t n = number_prefix(v, &real);
	long long x;
	if (n > 0 && v[n] == 0 && real) {
		double d = strtod(v, NULL);
		if (d != d)
			x = 0;
		else if (d >= 9223372036854775807.0)
			x = INT64_MAX;
		else if (d <= -9223372036854775808.0)
			x = INT64_MIN;
		else
			x = (long long)d;
	} else {
		/* the leading [sign] digits: strtoll stops where they end and
		 * saturates on overflow */
		x = strtoll(v, NULL, 10);
		if (!isdigit((unsigned char)v[v[0] == '+' || v[0] == '-']))
			x = 0;
	}
	return (int)(unsigned int)(unsigned long long)x;
}

/* A value's double, as sqlite3_column_double() gives it: the leading decimal
 * number, 0 if none. */
static double
slt_real(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	int real;
	size_t n = number_prefix(v, &real);
	if (n == 0)
		return 0.0;
	char *z = xstrndup(v, n);
	double d = strtod(z, NULL);
	free(z);
	return d;
}

/* The text sqllogictest compares for one value of a column declared type
 * (T, I or R), given its PostgreSQL text form v (NULL for SQL NULL) and
 * type oid.  The rules are the reference runner's (sqllogictest.c with its
 * SQLite and ODBC engine interfaces): NULL is "NULL" whatever the type; I is
 * printf("%d") of the value's C int; R is printf("%.3f") of its double; T
 * is the text, "(empty)" when empty, with every byte outside ' '..'~'
 * (control characters, and each byte of a multibyte character) as '@'.
 * Booleans are 1 and 0 first, which is what both reference engines give:
 * SQLite has no boolean type, and psqlODBC turns t/f into 1/0 whatever the
 * C type asked for. */
static char *
render(struct dh_arena *a, char type, uint32_t oid, const char *v)
{
	if (!v)
		return "NULL";
	if (oid == BOOLOID)
		v = v[0] == 't' ? "1" : "0";
	switch (type) {
	case 'I':
		return dh_arena_printf(a, "%d", slt_int(v));
	case 'R':
		return dh_arena_printf(a, "%.3f", slt_real(v));
	default:
		if (!v[0])
			return "(empty)";
		char *z = dh_arena_strdup(a, v);
		for (unsigned char *p = (unsigned char *)z; *p; p++)
			if (*p < ' ' || *p > '~')
				*p = '@';
		return z;
	}
}

static int sort_ncols;

static int
cmp_rows(const void *pa, const void *pb)
{
	const char *const *a = pa, *const *b = pb;
	for (int i = 0; i < sort_ncols; i++) {
		int c = strcmp(a[i], b[i]);
		if (c)
			return c;
	}
	return 0;
}

/* MD5 in hex of the values, each followed by a newline. */
static void
md5_values(char *const *v, size_t n, char out[33])
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		dh_buf_adds(&b, v[i]);
		dh_buf_addc(&b, '\n');
	}
	unsigned char d[16];
	dh_md5(b.p ? b.p : (const unsigned char *)"", b.len, d);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	dh_buf_release(&b);
}

/* The hash a query's expected lines stand for: the one they state ("N
 * values hashing to H"), else the hash of the lines as values. */
static void
expected_hash(char *const *exp, size_t n, char out[33])
{
	char h[33];
	int k;
	if (n >= 1 && sscanf(exp[0], "%*d values hashing to %32s%n", h, &k) == 1 && !exp[0][k] &&
	    strlen(h) == 32) {
		memcpy(out, h, 33);
		return;
	}
	md5_values(exp, n, out);
}

/* ------------------------------------------------------------ labels */

struct label {
	struct label *next;
	char hash[33];
	char name[];
};

#define NLABEL 4096
static struct label *labels[NLABEL];

static unsigned
label_bucket(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % NLABEL;
}

/* 0 if hash agrees with the label's first hash (or is its first), else 1. */
static int
label_check(struct dh_arena *a, const char *name, const char *hash)
{
	unsigned b = label_bucket(name);
	for (struct label *l = labels[b]; l; l = l->next)
		if (strcmp(l->name, name) == 0)
			return strcmp(l->hash, hash) != 0;
	size_t n = strlen(name);
	struct label *l = dh_arena_alloc(a, sizeof(*l) + n + 1);
	memcpy(l->name, name, n + 1);
	memcpy(l->hash, hash, 33);
	l->next = labels[b];
	labels[b] = l;
	return 0;
}

/* ------------------------------------------------------------ engines */

struct engine {
	const char *name;
	/* the engine cancels a statement after opt.timeout: 1 on its own (a
	 * server's statement_timeout), 2 when the alarm sets slt_cancel */
	int own_timeout;
	/* parent, before the child: make the fresh database in *where */
	int (*prepare)(int seq, char *where, size_t n);
	/* child: connect to it */
	int (*open)(const char *where, void **conn, char *why, size_t n);
	/* child: run sql; out and everything in it live in a */
	void (*exec)(void *conn, const char *sql, struct dh_arena *a, struct rset *out);
	void (*close)(void *conn);
	/* parent, after the child: remove the database */
	void (*cleanup)(const char *where);
};

/* -- PostgreSQL through libpq */

static void
pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* A connection to opt.uri, or to database db on the same server. */
static PGconn *
pg_connect(const char *db)
{
	const char *keys[] = {"dbname", db ? "dbname" : NULL, NULL};
	const char *vals[] = {opt.uri, db, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (c)
		PQsetNoticeProcessor(c, pg_quiet, NULL);
	return c;
}

static int
pg_admin(const char *sql)
{
	PGconn *c = pg_connect(NULL);
	int rc = 0;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "dh-slt: cannot connect to '%s': %s", opt.uri, PQerrorMessage(c));
		rc = -1;
	} else {
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "dh-slt: %s: %s", sql, PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

static int
pg_prepare(int seq, char *where, size_t n)
{
	snprintf(where, n, "dh_slt_%ld_%d", (long)getpid(), seq);
	char sql[256];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0", where);
	return pg_admin(sql);
}

static int
pg_open(const char *where, void **conn, char *why, size_t n)
{
	PGconn *c = pg_connect(where);
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(why, n, "cannot connect to database '%s': %s", where, PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	/* A slow record fails on its own; commits need not wait for the disk
	 * (neither changes what a statement does). */
	char sql[128];
	snprintf(sql, sizeof(sql), "SET statement_timeout = %u; SET synchronous_commit = off",
		 opt.timeout * 1000);
	PGresult *r = PQexec(c, sql);
	PQclear(r);
	*conn = c;
	return 0;
}

static void
pg_exec(void *conn, const char *sql, struct dh_arena *a, struct rset *out)
{
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(r);
	memset(out, 0, sizeof(*out));
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK || st == PGRES_EMPTY_QUERY) {
		out->ok = 1;
		out->ncols = st == PGRES_TUPLES_OK ? PQnfields(r) : 0;
		out->nrows = out->ncols ? (size_t)PQntuples(r) : 0;
		uint32_t *oids = dh_arena_alloc(a, sizeof(*oids) * (size_t)(out->ncols + 1));
		const char **cells =
		    dh_arena_alloc(a, sizeof(*cells) * (out->nrows * (size_t)out->ncols + 1));
		for (int c = 0; c < out->ncols; c++)
			oids[c] = PQftype(r, c);
		for (size_t i = 0; i < out->nrows; i++)
			for (int c = 0; c < out->ncols; c++)
				cells[i * (size_t)out->ncols + (size_t)c] =
				    PQgetisnull(r, (int)i, c)
					? NULL
					: dh_arena_strdup(a, PQgetvalue(r, (int)i, c));
		out->oids = oids;
		out->cells = cells;
	} else {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		snprintf(out->sqlstate, sizeof(out->sqlstate), "%s", state ? state : "");
		out->message = dh_arena_strdup(a, msg ? msg : PQerrorMessage(conn));
	}
	PQclear(r);
}

static void
pg_close(void *conn)
{
	PQfinish(conn);
}

static void
pg_cleanup(const char *where)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", where);
	pg_admin(sql);
}

/* -- dh through sql.h */

/* Set by the alarm: the dh session cancels the running statement (57014). */
static volatile sig_atomic_t slt_cancel;

struct dh_conn_ctx {
	struct dh_store *st;
	struct dh_sql *sql;
};

static int
dh_prepare(int seq, char *where, size_t n)
{
	(void)seq;
	const char *tmp = getenv("TMPDIR");
	snprintf(where, n, "%s/dh-slt.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(where)) {
		fprintf(stderr, "dh-slt: cannot create a directory '%s': %s\n", where,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int
dh_open(const char *where, void **conn, char *why, size_t n)
{
	struct dh_conn_ctx *c = xcalloc(1, sizeof(*c));
	struct dh_err e;
	dh_err_clear(&e);
	char path[4096];
	snprintf(path, sizeof(path), "%s/slt.store", where);
	if (dh_store_open(path, DH_STORE_CREATE | DH_STORE_NOSYNC, &c->st, &e) ||
	    dh_db_ensure_default(c->st, &e) || dh_sql_open(c->st, NULL, &c->sql, &e)) {
		snprintf(why, n, "cannot open a dh session on '%s': %s", path, e.message);
		if (c->st)
			dh_store_close(c->st);
		free(c);
		return -1;
	}
	dh_sql_set_cancel(c->sql, &slt_cancel);
	*conn = c;
	return 0;
}

struct dh_collect {
	struct dh_arena *a;
	struct rset *out;
};

/* Keep a copy of the statement's result; the last statement's wins, as with
 * PQexec. */
static int
dh_on_result(void *ctx, const struct dh_sql_result *r)
{
	struct dh_collect *k = ctx;
	struct rset *out = k->out;
	size_t n = r->nrows * (size_t)r->ncols;
	uint32_t *oids = dh_arena_alloc(k->a, sizeof(*oids) * (size_t)(r->ncols + 1));
	const char **cells = dh_arena_alloc(k->a, sizeof(*cells) * (n + 1));
	for (int c = 0; c < r->ncols; c++)
		oids[c] = r->cols[c].type_oid;
	for (size_t i = 0; i < n; i++)
		cells[i] = r->cells[i] ? dh_arena_strdup(k->a, r->cells[i]) : NULL;
	out->ncols = r->ncols;
	out->nrows = r->nrows;
	out->oids = oids;
	out->cells = cells;
	return 0;
}

static void
dh_exec(void *conn, const char *sql, struct dh_arena *a, struct rset *out)
{
	struct dh_conn_ctx *c = conn;
	struct dh_collect k = {a, out};
	struct dh_err e;
	dh_err_clear(&e);
	memset(out, 0, sizeof(*out));
	int rc = dh_sql_exec(c->sql, sql, strlen(sql), dh_on_result, &k, &e);
	if (rc == 0) {
		out->ok = 1;
		return;
	}
	out->ok = 0;
	out->ncols = 0;
	out->nrows = 0;
	snprintf(out->sqlstate, sizeof(out->sqlstate), "%s",
		 e.sqlstate[0] ? e.sqlstate : dh_sqlstate(rc));
	out->message = dh_arena_strdup(a, e.message[0] ? e.message : dh_strerror(rc));
}

static void
dh_close(void *conn)
{
	struct dh_conn_ctx *c = conn;
	dh_sql_close(c->sql);
	dh_store_close(c->st);
	free(c);
}

static void
dh_cleanup(const char *where)
{
	DIR *d = opendir(where);
	if (d) {
		struct dirent *de;
		char path[4096];
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", where, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(where);
}

static const struct engine engines[] = {
    {"dh", 2, dh_prepare, dh_open, dh_exec, dh_close, dh_cleanup},
    {"pg", 1, pg_prepare, pg_open, pg_exec, pg_close, pg_cleanup},
};

/* ------------------------------------------------------------ running */

/* What a file's child reports, in memory shared with the parent: the parent
 * reads it even when the child died. */
struct stats {
	long stmt_ok, stmt_fail, query_ok, query_fail;
	long label_mismatch; /* expectations of one label that disagree */
	long failures;	     /* failing records seen (for --max-errors) */
	int cur_line;	     /* line of the record running */
	int done;	     /* the child got to the end */
	char why[512];	     /* why the child stopped early */
};

struct run {
	const struct engine *eng;
	struct script *s;
	struct stats *st;
	void *conn;
	int hash_threshold;
	struct dh_arena labels; /* the label table, whole file */
};

/* the alarm cancels the statement through slt_cancel (engine dh) */
static int alarm_cancels;

static void
on_alarm(int sig)
{
	(void)sig;
	if (alarm_cancels && !slt_cancel) {
		/* the record fails with 57014; the file goes on unless the
		 * engine does not stop within the backstop */
		slt_cancel = 1;
		alarm(10);
		return;
	}
	/* The engine cannot be interrupted: the file ends here; the parent
	 * counts what did not run. */
	_exit(124);
}

static void
show_values(const char *title, char *const *v, size_t n)
{
	fprintf(stderr, "  %s (%zu):\n", title, n);
	for (size_t i = 0; i < n && i < SHOW_VALUES; i++)
		fprintf(stderr, "    %s\n", v[i]);
	if (n > SHOW_VALUES)
		fprintf(stderr, "    ... %zu more\n", n - SHOW_VALUES);
}

/* sql on one line, for the log */
static void
log_sql(const char *sql)
{
	for (const char *p = sql; *p; p++)
		fputc(*p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p, opt.log);
}

/* A record failed: count it, and tell as much as the options ask. */
static void
failed(struct run *R, int line, const char *reason, const char *sql, const struct rset *rs,
       char *const *exp, size_t nexp, char *const *got, size_t ngot)
{
	struct stats *st = R->st;
	st->failures++;
	const char *state = rs && !rs->ok ? rs->sqlstate : "";
	const char *msg = rs && !rs->ok && rs->message ? rs->message : "";
	if (opt.verbose || st->failures <= opt.max_errors) {
		fprintf(stderr, "%s:%d: %s", R->s->path, line, reason);
		if (*state || *msg)
			fprintf(stderr, ": [%s] %s", state, msg);
		fputc('\n', stderr);
	}
	if (st->failures <= opt.max_errors) {
		fprintf(stderr, "  sql:\n");
		for (const char *p = sql; *p;) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);
			fprintf(stderr, "    %.*s\n", n, p);
			p += n + (nl != NULL);
		}
		if (exp)
			show_values("expected", exp, nexp);
		if (got)
			show_values("got", got, ngot);
	}
	if (opt.log) {
		fprintf(opt.log, "%s\t%d\t%s\t%s\t", R->s->path, line, reason, state);
		for (const char *p = msg; *p; p++)
			fputc(*p == '\n' || *p == '\t' ? ' ' : *p, opt.log);
		fputc('\t', opt.log);
		log_sql(sql);
		fputc('\n', opt.log);
		fflush(opt.log);
	}
	fflush(stderr);
}

static void
exec_record(struct run *R, const char *sql, struct dh_arena *a, struct rset *rs)
{
	/* With an engine that cancels on its own the alarm is a backstop (a
	 * server that stopped answering). */
	slt_cancel = 0;
	alarm_cancels = R->eng->own_timeout == 2;
	if (opt.timeout)
		alarm(R->eng->own_timeout == 1 ? opt.timeout + 10 : opt.timeout);
	R->eng->exec(R->conn, sql, a, rs);
	alarm(0);
}

static void
run_statement(struct run *R, const struct rec *r, struct dh_arena *a)
{
	const struct script *s = R->s;
	int line = s->lines[r->hdr].no;
	struct tok t;
	tokenize(s->lines[r->hdr].s, &t);
	char *sql = join_lines(a, s, r->hdr + 1, r->end);
	int want_ok = strcmp(t.t[1], "ok") == 0;
	if (!want_ok && strcmp(t.t[1], "error") != 0) {
		R->st->stmt_fail++;
		failed(R, line, "statement argument should be 'ok' or 'error'", sql, NULL, NULL, 0,
		       NULL, 0);
		return;
	}
	struct rset rs;
	exec_record(R, sql, a, &rs);
	if (rs.ok == want_ok) {
		R->st->stmt_ok++;
		return;
	}
	R->st->stmt_fail++;
	failed(R, line, want_ok ? "statement failed" : "statement succeeded, wanted an error", sql,
	       &rs, NULL, 0, NULL, 0);
}

/* The query's parts: SQL up to "----", expected lines after it. */
static void
query_parts(const struct script *s, const struct rec *r, struct dh_arena *a, char **sql,
	    char ***exp, size_t *nexp)
{
	int i = r->hdr + 1;
	while (i < r->end && strcmp(s->lines[i].s, "----") != 0)
		i++;
	*sql = join_lines(a, s, r->hdr + 1, i);
	int from = i < r->end ? i + 1 : r->end;
	*nexp = (size_t)(r->end - from);
	*exp = dh_arena_alloc(a, sizeof(char *) * (*nexp + 1));
	for (size_t k = 0; k < *nexp; k++)
		(*exp)[k] = s->lines[from + (int)k].s;
}

/* Check a labeled query's expectation against its label's (skipped records
 * too, as the reference runner does). */
static void
check_label(struct run *R, const struct rec *r, const char *label, char *const *exp, size_t nexp)
{
	if (!label[0])
		return;
	char h[33];
	expected_hash(exp, nexp, h);
	if (label_check(&R->labels, label, h)) {
		R->st->label_mismatch++;
		fprintf(stderr,
			"%s:%d: labeled result [%s] does not agree with previous values (in the "
			"test file)\n",
			R->s->path, R->s->lines[r->hdr].no, label);
	}
}

static void
run_query(struct run *R, const struct rec *r, struct dh_arena *a)
{
	const struct script *s = R->s;
	int line = s->lines[r->hdr].no;
	struct tok t;
	tokenize(s->lines[r->hdr].s, &t);
	const char *types = t.t[1], *sort = t.t[2], *label = t.t[3];
	char *sql, **exp;
	size_t nexp;
	query_parts(s, r, a, &sql, &exp, &nexp);
	check_label(R, r, label, exp, nexp);

	const char *bad = NULL;
	if (!types[0])
		bad = "missing type string";
	for (const char *p = types; *p && !bad; p++)
		if (*p != 'T' && *p != 'I' && *p != 'R')
			bad = dh_arena_printf(a, "unknown type character '%c' in type string", *p);
	if (!bad && sort[0] && strcmp(sort, "nosort") && strcmp(sort, "rowsort") &&
	    strcmp(sort, "valuesort"))
		bad = dh_arena_printf(a, "unknown sort method '%s'", sort);
	if (bad) {
		R->st->query_fail++;
		failed(R, line, bad, sql, NULL, NULL, 0, NULL, 0);
		return;
	}

	struct rset rs;
	exec_record(R, sql, a, &rs);
	if (!rs.ok) {
		R->st->query_fail++;
		failed(R, line, "query failed", sql, &rs, exp, nexp, NULL, 0);
		return;
	}
	int ncols = (int)strlen(types);
	if (rs.ncols != ncols) {
		R->st->query_fail++;
		failed(R, line,
		       dh_arena_printf(a, "wrong number of result columns: expected %d, got %d",
				       ncols, rs.ncols),
		       sql, NULL, exp, nexp, NULL, 0);
		return;
	}
	size_t n = rs.nrows * (size_t)ncols;
	char **got = dh_arena_alloc(a, sizeof(char *) * (n + 1));
	for (size_t i = 0; i < n; i++)
		got[i] =
		    render(a, types[i % (size_t)ncols], rs.oids[i % (size_t)ncols], rs.cells[i]);
	if (strcmp(sort, "rowsort") == 0 && rs.nrows > 1) {
		sort_ncols = ncols;
		qsort(got, rs.nrows, sizeof(char *) * (size_t)ncols, cmp_rows);
	} else if (strcmp(sort, "valuesort") == 0 && n > 1) {
		sort_ncols = 1;
		qsort(got, n, sizeof(char *), cmp_rows);
	}

	int ht = opt.hash_threshold >= 0 ? opt.hash_threshold : R->hash_threshold;
	int same;
	if (ht > 0 && n > (size_t)ht) {
		char h[33];
		md5_values(got, n, h);
		char *line1 = dh_arena_printf(a, "%zu values hashing to %s", n, h);
		same = nexp == 1 && strcmp(exp[0], line1) == 0;
		if (!same) {
			R->st->query_fail++;
			/* show the values too, as they are what one debugs */
			char *both[2] = {line1, NULL};
			failed(R, line, "wrong result hash", sql, NULL, exp, nexp, both, 1);
			if (R->st->failures <= opt.max_errors)
				show_values("got values", got, n);
			return;
		}
	} else {
		same = nexp == n;
		for (size_t i = 0; same && i < n; i++)
			same = strcmp(exp[i], got[i]) == 0;
		if (!same) {
			R->st->query_fail++;
			failed(R, line, "wrong result", sql, NULL, exp, nexp, got, n);
			return;
		}
	}
	R->st->query_ok++;
}

/* The child's work: every record of the file, in order. */
static int
run_script(const struct engine *eng, struct script *s, const char *where, struct stats *st)
{
	struct run R = {eng, s, st, NULL, DEFAULT_HASH_THRESHOLD, {0}};
	dh_arena_init(&R.labels);
	memset(labels, 0, sizeof(labels));
	if (eng->open(where, &R.conn, st->why, sizeof(st->why)))
		return 1;
	signal(SIGALRM, on_alarm);
	struct dh_arena a;
	dh_arena_init(&a);
	for (int i = 0; i < s->stop; i++) {
		const struct rec *r = &s->recs[i];
		st->cur_line = s->lines[r->hdr < r->end ? r->hdr : r->end - 1].no;
		if (r->skip) {
			if (r->kind == K_QUERY) {
				struct tok t;
				char *sql, **exp;
				size_t nexp;
				tokenize(s->lines[r->hdr].s, &t);
				query_parts(s, r, &a, &sql, &exp, &nexp);
				check_label(&R, r, t.t[3], exp, nexp);
			}
		} else if (r->kind == K_STATEMENT) {
			run_statement(&R, r, &a);
		} else if (r->kind == K_QUERY) {
			run_query(&R, r, &a);
		} else if (r->kind == K_HASH_THRESHOLD) {
			struct tok t;
			tokenize(s->lines[r->hdr].s, &t);
			R.hash_threshold = atoi(t.t[1]);
		}
		dh_arena_release(&a);
	}
	if (s->stop < s->nrecs) {
		const struct rec *r = &s->recs[s->stop];
		if (r->kind == K_HALT) {
			if (opt.verbose)
				fprintf(stderr, "%s:%d: halt\n", s->path, s->lines[r->hdr].no);
		} else {
			snprintf(st->why, sizeof(st->why), "unknown record type at line %d: '%s'",
				 s->lines[r->hdr].no, s->lines[r->hdr].s);
		}
	}
	eng->close(R.conn);
	dh_arena_release(&R.labels);
	st->done = 1;
	return st->why[0] ? 1 : 0;
}

/* ------------------------------------------------------------ reporting */

struct result {
	const char *path;
	long records, skipped;
	long stmt_ok, stmt_fail, query_ok, query_fail;
	long label_mismatch;
	double seconds;
	char why[600]; /* the file stopped early (or did not run): why */
};

static double
pass_pct(const struct result *r, int *none)
{
	long ok = r->stmt_ok + r->query_ok;
	long all = ok + r->stmt_fail + r->query_fail;
	*none = all == 0;
	return all ? 100.0 * (double)ok / (double)all : 0.0;
}

static void
print_line(const struct result *r)
{
	int none;
	double pct = pass_pct(r, &none);
	printf("%s: %ld records: statements %ld ok, %ld failed; queries %ld ok, %ld failed; "
	       "%ld skipped; ",
	       r->path, r->records, r->stmt_ok, r->stmt_fail, r->query_ok, r->query_fail,
	       r->skipped);
	if (none)
		printf("nothing ran");
	else
		printf("%.2f%% pass", pct);
	printf(" (%.1f s)\n", r->seconds);
	if (r->why[0])
		printf("%s: %s\n", r->path, r->why);
	if (r->label_mismatch)
		printf("%s: %ld labeled expectations disagree with their label\n", r->path,
		       r->label_mismatch);
	fflush(stdout);
}

static void
print_table(const struct result *res, int n)
{
	struct result tot;
	memset(&tot, 0, sizeof(tot));
	tot.path = "total";
	for (int i = 0; i < n; i++) {
		tot.records += res[i].records;
		tot.skipped += res[i].skipped;
		tot.stmt_ok += res[i].stmt_ok;
		tot.stmt_fail += res[i].stmt_fail;
		tot.query_ok += res[i].query_ok;
		tot.query_fail += res[i].query_fail;
		tot.seconds += res[i].seconds;
	}
	int w = 5;
	for (int i = 0; i < n; i++)
		if ((int)strlen(res[i].path) > w)
			w = (int)strlen(res[i].path);
	const char *fmt_h = opt.tsv ? "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n"
				    : "%-*s %8s %8s %9s %9s %10s %8s %8s %8s\n";
	if (opt.tsv)
		printf(fmt_h, "file", "records", "stmt_ok", "stmt_fail", "query_ok", "query_fail",
		       "skipped", "pass_pct", "seconds");
	else
		printf(fmt_h, w, "file", "records", "stmt ok", "stmt fail", "query ok",
		       "query fail", "skipped", "pass %", "time s");
	for (int i = 0; i <= n; i++) {
		const struct result *r = i < n ? &res[i] : &tot;
		if (i == n && (opt.tsv || n < 2))
			break;
		int none;
		double pct = pass_pct(r, &none);
		char p[32];
		if (none)
			snprintf(p, sizeof(p), "-");
		else
			snprintf(p, sizeof(p), "%.2f", pct);
		if (opt.tsv)
			printf("%s\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%s\t%.1f\n", r->path, r->records,
			       r->stmt_ok, r->stmt_fail, r->query_ok, r->query_fail, r->skipped, p,
			       r->seconds);
		else
			printf("%-*s %8ld %8ld %9ld %9ld %10ld %8ld %8s %8.1f\n", w, r->path,
			       r->records, r->stmt_ok, r->stmt_fail, r->query_ok, r->query_fail,
			       r->skipped, p, r->seconds);
	}
}

/* Run one file in a child process; fill *res.  0 if it ran to its end. */
static int
run_file(const struct engine *eng, const char *path, int seq, struct result *res)
{
	memset(res, 0, sizeof(*res));
	res->path = path;
	struct script s;
	if (script_load(&s, path)) {
		fprintf(stderr, "dh-slt: cannot read '%s': %s\n", path, strerror(errno));
		return -2;
	}
	res->records = s.nsq;
	res->skipped = s.skipped;
	uint64_t t0 = dh_mono_ns();
	char where[4096];
	int rc = 0;
	if (eng->prepare(seq, where, sizeof(where))) {
		snprintf(res->why, sizeof(res->why), "no fresh database to run in");
		res->stmt_fail = s.stmts;
		res->query_fail = s.queries;
		script_release(&s);
		return -1;
	}
	struct stats *st =
	    mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		dh_die_oom(sizeof(*st));
	memset(st, 0, sizeof(*st));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(res->why, sizeof(res->why), "cannot fork: %s", strerror(errno));
		rc = -1;
	} else if (pid == 0) {
		int code = run_script(eng, &s, where, st);
		script_release(&s);
		if (opt.log)
			fclose(opt.log);
		exit(code);
	} else {
		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!st->done) {
			if (WIFEXITED(status) && WEXITSTATUS(status) == 124)
				snprintf(res->why, sizeof(res->why),
					 "the record at line %d ran over %u s; the file stopped "
					 "there",
					 st->cur_line, opt.timeout);
			else if (WIFSIGNALED(status))
				snprintf(res->why, sizeof(res->why),
					 "the run died of signal %d at line %d", WTERMSIG(status),
					 st->cur_line);
			else if (st->why[0])
				snprintf(res->why, sizeof(res->why), "%s", st->why);
			else
				snprintf(res->why, sizeof(res->why),
					 "the run exited with status %d at line %d",
					 WEXITSTATUS(status), st->cur_line);
			rc = -1;
		} else if (st->why[0]) {
			snprintf(res->why, sizeof(res->why), "%s", st->why);
			rc = -1;
		}
	}
	/* What did not run counts as failed. */
	res->stmt_ok = st->stmt_ok;
	res->query_ok = st->query_ok;
	res->stmt_fail = s.stmts - st->stmt_ok;
	res->query_fail = s.queries - st->query_ok;
	res->label_mismatch = st->label_mismatch;
	munmap(st, sizeof(*st));
	eng->cleanup(where);
	res->seconds = (double)(dh_mono_ns() - t0) / 1e9;
	script_release(&s);
	return rc;
}

static void
usage(FILE *f)
{
	fputs(USAGE, f);
}

static long
num_arg(const char *name, const char *v, long min)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min) {
		fprintf(stderr, "dh-slt: bad %s '%s'\n", name, v);
		usage(stderr);
		exit(2);
	}
	return x;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"engine", required_argument, NULL, 'e'},
	    {"uri", required_argument, NULL, 'U'},
	    {"as", required_argument, NULL, 'a'},
	    {"timeout", required_argument, NULL, 't'},
	    {"hash-threshold", required_argument, NULL, 'H'},
	    {"limit", required_argument, NULL, 'n'},
	    {"max-errors", required_argument, NULL, 'm'},
	    {"log", required_argument, NULL, 'l'},
	    {"tsv", no_argument, NULL, 'T'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	long max_errors = -1;
	int c;
	while ((c = getopt_long(argc, argv, "e:U:a:t:H:n:m:l:Tvh", lo, NULL)) != -1) {
		switch (c) {
		case 'e':
			opt.engine = optarg;
			break;
		case 'U':
			opt.uri = optarg;
			break;
		case 'a':
			opt.as = optarg;
			break;
		case 't':
			opt.timeout = (unsigned)num_arg("timeout", optarg, 0);
			break;
		case 'H':
			opt.hash_threshold = (int)num_arg("hash threshold", optarg, 0);
			break;
		case 'n':
			opt.limit = num_arg("limit", optarg, 0);
			break;
		case 'm':
			max_errors = num_arg("max-errors", optarg, 0);
			break;
		case 'l':
			opt.log = fopen(optarg, "a");
			if (!opt.log) {
				fprintf(stderr, "dh-slt: cannot open '%s': %s\n", optarg,
					strerror(errno));
				return 2;
			}
			break;
		case 'T':
			opt.tsv = 1;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	opt.max_errors = max_errors >= 0 ? max_errors : opt.verbose ? 10 : 0;
	const struct engine *eng = NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(engines); i++)
		if (strcmp(opt.engine, engines[i].name) == 0)
			eng = &engines[i];
	if (!eng || optind >= argc) {
		if (!eng)
			fprintf(stderr, "dh-slt: unknown engine '%s' (dh or pg)\n", opt.engine);
		usage(stderr);
		return 2;
	}

	int nfiles = argc - optind, status = 0;
	struct result *res = xcalloc((size_t)nfiles, sizeof(*res));
	for (int i = 0; i < nfiles; i++) {
		int rc = run_file(eng, argv[optind + i], i, &res[i]);
		if (rc == -2) {
			status = 2;
			break;
		}
		if (rc || res[i].stmt_fail || res[i].query_fail)
			status = status ? status : 1;
		if (!opt.tsv)
			print_line(&res[i]);
	}
	if (status != 2) {
		if (!opt.tsv && nfiles > 1)
			putchar('\n');
		if (opt.tsv || nfiles > 1)
			print_table(res, nfiles);
	}
	free(res);
	if (opt.log)
		fclose(opt.log);
	return status;
}
