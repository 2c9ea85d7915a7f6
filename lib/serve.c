/*
 * serve: dh-serve's accept loop and connections (see serve.h).  A
 * connection is a thread: LMDB's write transaction belongs to the thread
 * that began it and a SQL transaction keeps it between statements, so a
 * session stays on its thread (lib/README, dh-serve).  The connections
 * share the store; each has its own SQL session.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <stdarg.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "dh.h"
#include "passwd.h"
#include "tls.h"
#include "pgwire-msg.h"
#include "serve.h"
#include "sql.h"
#include "sqltype.h"
#include "store.h"

enum { MAX_LISTEN = 8, OUT_FLUSH = 1 << 16 };

struct conn;

struct server {
	const struct dh_serve_opts *o;
	struct dh_store *st;
	volatile sig_atomic_t *stop;
	pthread_mutex_t mu;
	pthread_cond_t gone; /* a connection ended */
	struct conn *conns;  /* the live ones */
	int nconns;
	/* threads that ended, to join: a thread's own exit (its thread-specific
	 * destructors, libpg_query's memory) is over only when joined */
	pthread_t *done;
	size_t ndone, adone;
	int32_t next_pid;
	struct dh_passwd *pw; /* under mu; NULL: trust */
	struct dh_tls_server *tls; /* under mu; NULL: no TLS */
	/* statement_timeout: the watchdog thread cancels a statement whose
	 * deadline passed; tick wakes it when a deadline is set (monotonic) */
	pthread_cond_t tick;
	pthread_t watchdog;
	int quit;
	/* LISTEN: who listens to which channel (under mu) */
	struct listener {
		struct conn *c;
		char *channel;
		struct listener *next;
	} *listeners;
};

/* A prepared statement (Parse) and a portal (Bind).  A portal holds its
 * statement (counted), so a Close of the statement leaves it usable. */
struct pstmt {
	char *name;
	struct dh_sql_stmt *p;
	int refs;
	struct pstmt *next;
};

struct portal {
	char *name;
	struct pstmt *ps;
	struct dh_sql_params *params;
	int16_t *rformats;
	size_t nrformats;
	int ran;           /* executed: its rows are below */
	int empty;         /* an empty statement: EmptyQueryResponse */
	char *tag;
	struct dh_buf rows; /* DataRow messages, whole */
	size_t *offs;       /* where each row starts in rows */
	size_t nrows, aoffs, next;
	struct portal *next_portal;
};

struct conn {
	struct server *srv;
	int fd;
	int32_t pid;
	uint32_t key;
	volatile sig_atomic_t cancel; /* DH_CANCEL_USER, DH_CANCEL_TIMEOUT */
	int64_t deadline; /* the statement's timeout (monotonic ns), 0: none; under srv->mu */
	int64_t auth_deadline; /* end of startup and authentication (monotonic ns), 0: done */
	int auth_timed_out;    /* read_some gave up at auth_deadline */
	volatile sig_atomic_t running; /* a Query is being run: cancel applies */
	char peer[80];
	char user[64], database[128];
	struct dh_pgwire_reader rd;
	struct dh_buf out;
	struct dh_sql *sql;
	int copy_in;  /* a COPY FROM STDIN reads the client's CopyData */
	int copy_out; /* a COPY TO STDOUT is sending: CopyDone before its tag */
	int dead;     /* the connection broke during a statement: end it */
	struct dh_err fatal; /* why, when it is to be told (message set) */
	struct pstmt *stmts;
	struct portal *portals;
	/* NOTIFY: NotificationResponses waiting for the session to be idle
	 * (under srv->mu), and the eventfd that wakes it */
	struct dh_buf notes;
	int efd;
	struct dh_tls *tls; /* the connection is TLS */
	int at_ready; /* ReadyForQuery was the last thing sent */
	struct conn *next;
};

static void
logf_(struct server *s, const char *fmt, ...) DH_PRINTF(2, 3);

static void
logf_(struct server *s, const char *fmt, ...)
{
	FILE *f = s->o->log;
	if (!f)
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* one write per line: connections log from their own threads */
	flockfile(f);
	fprintf(f, "dh-serve: %s\n", line);
	fflush(f);
	funlockfile(f);
}

/* --- output --- */

static int
flush_out(struct conn *c)
{
	size_t off = 0;
	while (off < c->out.len) {
		ssize_t n = c->tls ? dh_tls_write(c->tls, c->out.p + off, c->out.len - off)
				   : send(c->fd, c->out.p + off, c->out.len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			dh_buf_reset(&c->out);
			return -1;
		}
		off += (size_t)n;
	}
	dh_buf_reset(&c->out);
	return 0;
}

/* A statement's NOTICEs and WARNINGs: they go out before the messages
 * of its result, or of its error (PostgreSQL sends each as raised). */
static void
send_notices(struct conn *c, const struct dh_sql_notice *n, size_t count)
{
	for (size_t i = 0; i < count; i++)
		dh_pgwire_notice(&c->out, n[i].severity, n[i].sqlstate, n[i].message, n[i].detail,
				 n[i].hint);
}

static void
send_error(struct conn *c, const char *severity, const struct dh_err *e)
{
	if (c->sql) {
		/* what the failed statement raised before its error */
		const struct dh_sql_notice *n;
		size_t count = dh_sql_notices(c->sql, &n);
		send_notices(c, n, count);
	}
	dh_pgwire_error_response(&c->out, severity, e, NULL);
	logf_(c->srv, "%s:  %s %s (%s@%s from %s)", severity, e->sqlstate[0] ? e->sqlstate :
							      dh_sqlstate(e->code),
	      e->message, c->user, c->database, c->peer);
}

/* --- LISTEN / NOTIFY: the hub (struct dh_sql_notify's hooks) --- */

static int read_some(struct conn *c);

static void
hub_listen(void *ctx, const char *channel)
{
	struct conn *c = ctx;
	struct server *s = c->srv;
	pthread_mutex_lock(&s->mu);
	struct listener *l = s->listeners;
	while (l && !(l->c == c && strcmp(l->channel, channel) == 0))
		l = l->next;
	if (!l) {
		l = xcalloc(1, sizeof(*l));
		l->c = c;
		l->channel = xstrdup(channel);
		l->next = s->listeners;
		s->listeners = l;
	}
	pthread_mutex_unlock(&s->mu);
}

/* channel NULL: every channel (UNLISTEN *, and the session's end). */
static void
hub_unlisten_locked(struct server *s, struct conn *c, const char *channel)
{
	for (struct listener **pp = &s->listeners; *pp;) {
		struct listener *l = *pp;
		if (l->c == c && (!channel || strcmp(l->channel, channel) == 0)) {
			*pp = l->next;
			free(l->channel);
			free(l);
		} else {
			pp = &l->next;
		}
	}
}

static void
hub_unlisten(void *ctx, const char *channel)
{
	struct conn *c = ctx;
	pthread_mutex_lock(&c->srv->mu);
	hub_unlisten_locked(c->srv, c, channel);
	pthread_mutex_unlock(&c->srv->mu);
}

static void
hub_notify(void *ctx, const char *channel, const char *payload)
{
	struct conn *c = ctx;
	struct server *s = c->srv;
	pthread_mutex_lock(&s->mu);
	for (struct listener *l = s->listeners; l; l = l->next) {
		if (strcmp(l->channel, channel) != 0)
			continue;
		dh_pgwire_notification(&l->c->notes, c->pid, channel, payload);
		if (l->c != c) {
			uint64_t one = 1;
			if (write(l->c->efd, &one, sizeof(one)) < 0) {
				/* the counter is full: it is awake anyway */
			}
		}
	}
	pthread_mutex_unlock(&s->mu);
}

static const struct dh_sql_notify notify_hooks = {hub_listen, hub_unlisten, hub_notify};

/* The session is idle outside a transaction: the notifications waiting
 * for it go out. */
static void
deliver_notes(struct conn *c)
{
	if (dh_sql_txstatus(c->sql) != 'I')
		return;
	pthread_mutex_lock(&c->srv->mu);
	if (c->notes.len) {
		dh_buf_add(&c->out, c->notes.p, c->notes.len);
		dh_buf_reset(&c->notes);
	}
	pthread_mutex_unlock(&c->srv->mu);
}

/* ReadyForQuery, after any notifications the session may now get. */
static void
ready_for_query(struct conn *c)
{
	deliver_notes(c);
	dh_pgwire_ready_for_query(&c->out, dh_sql_txstatus(c->sql));
	c->at_ready = 1;
}

/* Wait for the client's bytes; an idle session meanwhile gets the
 * notifications that arrive.  As read_some. */
static int
wait_input(struct conn *c)
{
	for (;;) {
		if (c->tls && dh_tls_pending(c->tls))
			return read_some(c); /* decrypted bytes already here */
		struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN}, {.fd = c->efd, .events = POLLIN}};
		int n = poll(p, c->efd >= 0 ? 2 : 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0;
		if (p[0].revents)
			return read_some(c);
		uint64_t v;
		if (read(c->efd, &v, sizeof(v)) < 0) {
			/* nothing to read: another wake-up took it */
		}
		if (c->at_ready) {
			deliver_notes(c);
			if (flush_out(c))
				return 0;
		}
	}
}

/* --- CREATE DATABASE / DROP DATABASE (--allow-create-database) --- */

/* The database part of a session's "DB[:BRANCH]". */
static int
same_db(const char *db_branch, const char *name)
{
	const char *colon = strchr(db_branch, ':');
	size_t n = colon ? (size_t)(colon - db_branch) : strlen(db_branch);
	if (!*db_branch)
		return strcmp(name, "dh") == 0; /* the default database */
	return strlen(name) == n && strncmp(db_branch, name, n) == 0;
}

static int
db_create(void *ctx, const char *name, struct dh_err *err)
{
	struct conn *c = ctx;
	int rc = dh_name_check("database", name, err);
	if (rc == 0)
		rc = dh_db_create(c->srv->st, name, 0, err);
	if (rc == DH_EDBEXISTS)
		return dh_err_sql(err, "42P04", "database \"%s\" already exists", name);
	return rc;
}

static int
db_drop(void *ctx, const char *name, int missing_ok, struct dh_err *err)
{
	struct conn *c = ctx;
	struct server *s = c->srv;
	if (same_db(c->database, name))
		return dh_err_sql(err, "55006", "cannot drop the currently open database");
	int others = 0;
	pthread_mutex_lock(&s->mu);
	for (struct conn *o = s->conns; o; o = o->next)
		if (o != c && o->sql && same_db(o->database, name))
			others++;
	pthread_mutex_unlock(&s->mu);
	if (others) {
		dh_err_sql(err, "55006", "database \"%s\" is being accessed by other users", name);
		dh_err_detail(err, "There %s %d other session%s using the database.",
			      others == 1 ? "is" : "are", others, others == 1 ? "" : "s");
		return DH_ESQL;
	}
	int rc = dh_db_drop(s->st, name, err);
	if (rc == DH_ENODB)
		return missing_ok ? 0
				  : dh_err_sql(err, "3D000", "database \"%s\" does not exist", name);
	return rc;
}

static const struct dh_sql_dbhooks db_hooks = {db_create, db_drop};

/* --- statement_timeout --- */

static int64_t
mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The setting's milliseconds (SHOW's text: "0", "1500ms", "2s", "5min",
 * "1h", "1d"). */
static int64_t
timeout_ms(const char *v)
{
	if (!v)
		return 0;
	char *end;
	double n = strtod(v, &end);
	static const struct {
		const char *unit;
		double ms;
	} units[] = {{"", 1}, {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(units); i++)
		if (strcmp(end, units[i].unit) == 0)
			return n > 0 ? (int64_t)(n * units[i].ms) : 0;
	return 0;
}

/* A statement starts: its deadline, if statement_timeout is set. */
static void
deadline_start(struct conn *c)
{
	int64_t ms = timeout_ms(dh_sql_setting(c->sql, "statement_timeout"));
	if (ms <= 0)
		return;
	pthread_mutex_lock(&c->srv->mu);
	c->deadline = mono_ns() + ms * 1000000;
	pthread_cond_signal(&c->srv->tick);
	pthread_mutex_unlock(&c->srv->mu);
}

static void
deadline_end(struct conn *c)
{
	pthread_mutex_lock(&c->srv->mu);
	c->deadline = 0;
	pthread_mutex_unlock(&c->srv->mu);
}

static void *
watchdog_main(void *arg)
{
	struct server *s = arg;
	pthread_mutex_lock(&s->mu);
	while (!s->quit) {
		int64_t now = mono_ns(), next = now + 1000000000;
		for (struct conn *c = s->conns; c; c = c->next) {
			if (!c->deadline)
				continue;
			if (now >= c->deadline) {
				c->cancel = DH_CANCEL_TIMEOUT;
				c->deadline = 0;
			} else if (c->deadline < next) {
				next = c->deadline;
			}
		}
		struct timespec ts = {(time_t)(next / 1000000000), (long)(next % 1000000000)};
		pthread_cond_timedwait(&s->tick, &s->mu, &ts);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* --- a statement's results --- */

struct qctx {
	struct conn *c;
	int any;
	int described; /* the statement's RowDescription went out */
};

static int
is_row_tag(const char *tag)
{
	/* statements that describe rows even when they have no columns */
	return strncmp(tag, "SELECT", 6) == 0 || strncmp(tag, "FETCH", 5) == 0 ||
	       strncmp(tag, "SHOW", 4) == 0 || strncmp(tag, "EXPLAIN", 7) == 0;
}

static int row_description(struct conn *c, const struct dh_sql_col *cols, int ncols,
			   const int16_t *formats, size_t nformats);
static int binary_result(struct conn *c, const struct dh_sql_result *r);

static int
on_result(void *ctx, const struct dh_sql_result *r)
{
	struct qctx *q = ctx;
	struct conn *c = q->c;
	q->any = 1;
	send_notices(c, r->notices, r->nnotices);
	if (r->header) {
		q->described = 1;
		return row_description(c, r->cols, r->ncols, NULL, 0);
	}
	if (r->binary)
		return binary_result(c, r);
	if (r->ncols > 0 || is_row_tag(r->tag)) {
		int rc = q->described ? 0 : row_description(c, r->cols, r->ncols, NULL, 0);
		q->described = 0;
		for (size_t i = 0; i < r->nrows && rc == 0; i++) {
			size_t at = dh_pgwire_data_row_begin(&c->out, (size_t)r->ncols);
			for (int k = 0; k < r->ncols && rc == 0; k++) {
				const char *v = r->cells[i * (size_t)r->ncols + (size_t)k];
				rc = dh_pgwire_data_row_cell(&c->out, v, v ? (int32_t)strlen(v) : -1);
			}
			if (rc == 0)
				rc = dh_pgwire_end(&c->out, at);
			if (rc == 0 && c->out.len >= OUT_FLUSH && flush_out(c))
				return DH_EIO;
		}
		if (rc)
			return rc;
	}
	if (c->copy_out) {
		dh_pgwire_copy_done(&c->out);
		c->copy_out = 0;
	}
	dh_pgwire_command_complete(&c->out, r->tag);
	if (c->out.len >= OUT_FLUSH && flush_out(c))
		return DH_EIO;
	return 0;
}

/* --- COPY's sub-protocol (the session's struct dh_sql_copy hooks) --- */

static int read_some(struct conn *c);

static int
copy_begin_in(void *ctx, int ncols, int format, struct dh_err *err)
{
	struct conn *c = ctx;
	(void)format; /* csv is text on the wire: overall format 0 */
	int16_t *f = xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof(*f));
	int rc = dh_pgwire_copy_in_response(&c->out, 0, f, (size_t)ncols);
	free(f);
	if (rc)
		return dh_err_set(err, rc, "too many columns for COPY");
	dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_COPY_IN);
	c->copy_in = 1;
	if (flush_out(c)) {
		c->dead = 1;
		return DH_EIO;
	}
	return 0;
}

/* The next CopyData's bytes; 0 at CopyDone; CopyFail is the statement's
 * error; Flush and Sync are ignored, as PostgreSQL does. */
static int
copy_read(void *ctx, const char **p, size_t *n, struct dh_err *err)
{
	struct conn *c = ctx;
	struct dh_pgwire_msg m;
	for (;;) {
		int rc = dh_pgwire_reader_next(&c->rd, &m, &c->fatal);
		if (rc < 0) {
			c->dead = 1;
			return DH_EIO;
		}
		if (rc == 0) {
			int got = read_some(c);
			if (got < 0) {
				dh_err_sql(&c->fatal, "08P01", "message too large");
				c->dead = 1;
				return DH_EIO;
			}
			if (got == 0) {
				/* PostgreSQL's CopyGetData: an ERROR, then the
				 * connection is gone anyway */
				logf_(c->srv, "unexpected EOF on client connection with an open "
					      "transaction (from %s)",
				      c->peer);
				c->dead = 1;
				return DH_EIO;
			}
			continue;
		}
		switch (m.type) {
		case 'd':
			*p = (const char *)m.p;
			*n = m.n;
			return 1;
		case 'c':
			dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_NORMAL);
			c->copy_in = 0;
			return 0;
		case 'f': {
			const char *why = "";
			dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_NORMAL);
			c->copy_in = 0;
			if (dh_pgwire_decode_copy_fail(&m, &why, err))
				return DH_EPROTOCOL;
			return dh_err_sql(err, "57014", "COPY from stdin failed: %s", why);
		}
		default: /* H, S */
			break;
		}
	}
}

static int
copy_begin_out(void *ctx, int ncols, int format, struct dh_err *err)
{
	struct conn *c = ctx;
	(void)format;
	int16_t *f = xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof(*f));
	int rc = dh_pgwire_copy_out_response(&c->out, 0, f, (size_t)ncols);
	free(f);
	if (rc)
		return dh_err_set(err, rc, "too many columns for COPY");
	c->copy_out = 1;
	return 0;
}

static int
copy_write(void *ctx, const char *p, size_t n, struct dh_err *err)
{
	struct conn *c = ctx;
	int rc = dh_pgwire_copy_data(&c->out, p, n);
	if (rc)
		return dh_err_set(err, rc, "COPY line too long");
	if (c->out.len >= OUT_FLUSH && flush_out(c)) {
		c->dead = 1;
		return DH_EIO;
	}
	return 0;
}

static const struct dh_sql_copy copy_hooks = {copy_begin_in, copy_read, copy_begin_out,
					      copy_write};

static int
run_query(struct conn *c, const char *sql, size_t len)
{
	struct server *s = c->srv;
	if (s->o->log_queries)
		logf_(s, "statement: %.*s (%s@%s)", (int)(len > 1000 ? 1000 : len), sql, c->user,
		      c->database);
	struct qctx q = {.c = c};
	struct dh_err e = {0};
	c->cancel = 0;
	c->running = 1;
	deadline_start(c);
	int rc = dh_sql_exec(c->sql, sql, len, on_result, &q, &e);
	deadline_end(c);
	c->running = 0;
	c->cancel = 0;
	c->copy_out = 0; /* an error mid-COPY TO: no CopyDone */
	if (c->copy_in) {
		/* an error mid-COPY FROM: the client's further CopyData, then
		 * its CopyDone or CopyFail, are ignored in the normal phase */
		dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_NORMAL);
		c->copy_in = 0;
	}
	if (c->dead) {
		if (c->fatal.message[0]) {
			send_error(c, "FATAL", &c->fatal);
			flush_out(c);
		}
		return -1;
	}
	if (rc == DH_EIO && !e.message[0])
		return -1; /* the client went away while results were sent */
	if (rc)
		send_error(c, "ERROR", &e);
	else if (!q.any)
		dh_pgwire_empty_query(&c->out);
	ready_for_query(c);
	return flush_out(c);
}

/* --- the extended protocol --- */

static void
pstmt_unref(struct pstmt *ps)
{
	if (ps && --ps->refs == 0) {
		dh_sql_stmt_free(ps->p);
		free(ps->name);
		free(ps);
	}
}

static struct pstmt **
pstmt_find(struct conn *c, const char *name)
{
	struct pstmt **pp = &c->stmts;
	while (*pp && strcmp((*pp)->name, name) != 0)
		pp = &(*pp)->next;
	return pp;
}

static void
pstmt_close(struct conn *c, const char *name)
{
	struct pstmt **pp = pstmt_find(c, name), *ps = *pp;
	if (ps) {
		*pp = ps->next;
		pstmt_unref(ps);
	}
}

static void
portal_free(struct portal *pt)
{
	pstmt_unref(pt->ps);
	dh_sql_params_free(pt->params);
	free(pt->rformats);
	free(pt->tag);
	free(pt->offs);
	dh_buf_release(&pt->rows);
	free(pt->name);
	free(pt);
}

static struct portal **
portal_find(struct conn *c, const char *name)
{
	struct portal **pp = &c->portals;
	while (*pp && strcmp((*pp)->name, name) != 0)
		pp = &(*pp)->next_portal;
	return pp;
}

static void
portal_close(struct conn *c, const char *name)
{
	struct portal **pp = portal_find(c, name), *pt = *pp;
	if (pt) {
		*pp = pt->next_portal;
		portal_free(pt);
	}
}

/* Portals end with their transaction. */
static void
portals_close_all(struct conn *c)
{
	while (c->portals) {
		struct portal *pt = c->portals;
		c->portals = pt->next_portal;
		portal_free(pt);
	}
}

static void
ext_release(struct conn *c)
{
	portals_close_all(c);
	while (c->stmts) {
		struct pstmt *ps = c->stmts;
		c->stmts = ps->next;
		pstmt_unref(ps);
	}
}

static int
row_description(struct conn *c, const struct dh_sql_col *cols, int ncols, const int16_t *formats,
		size_t nformats)
{
	struct dh_pgwire_field *f = xcalloc((size_t)(ncols ? ncols : 1), sizeof(*f));
	for (int i = 0; i < ncols; i++) {
		const struct dh_sqltype *t = dh_sqltype_by_oid(cols[i].type_oid);
		f[i] = (struct dh_pgwire_field){
		    .name = cols[i].name,
		    .table_oid = cols[i].table_oid,
		    .attnum = cols[i].attnum,
		    .type_oid = cols[i].type_oid,
		    .typlen = t ? t->typlen : -1,
		    .typmod = cols[i].typmod,
		    .format = (int16_t)dh_pgwire_format(formats, nformats, (size_t)i)};
	}
	int rc = dh_pgwire_row_description(&c->out, f, (size_t)ncols);
	free(f);
	return rc;
}

struct pctx {
	struct conn *c;
	struct portal *pt;
	struct dh_err *err;
};

/* A cell in binary: the value's typsend (a result without values: its
 * text read back first). */
static int
binary_cell(const struct dh_sql_result *r, size_t i, int k, struct dh_buf *b, struct dh_err *err)
{
	uint32_t type = r->cols[k].type_oid;
	if (r->values)
		return dh_sqltype_send(type, &r->values[i * (size_t)r->ncols + (size_t)k], b, err);
	const char *s = r->cells[i * (size_t)r->ncols + (size_t)k];
	struct dh_arena a;
	struct dh_value v;
	struct dh_sqlenv env = DH_SQLENV_INIT;
	dh_arena_init(&a);
	int rc = dh_sqltype_in(type, -1, s, strlen(s), &env, &a, &v, err);
	if (rc == 0)
		rc = dh_sqltype_send(type, &v, b, err);
	dh_arena_release(&a);
	return rc;
}

/* A simple Query's FETCH from a BINARY cursor: its rows in binary, as
 * PostgreSQL's exec_simple_query sends them. */
static int
binary_result(struct conn *c, const struct dh_sql_result *r)
{
	int16_t one = 1;
	struct dh_buf bin;
	struct dh_err e = {0};
	int rc = row_description(c, r->cols, r->ncols, &one, 1);
	dh_buf_init(&bin, 0);
	for (size_t i = 0; i < r->nrows && rc == 0; i++) {
		size_t at = dh_pgwire_data_row_begin(&c->out, (size_t)r->ncols);
		for (int k = 0; k < r->ncols && rc == 0; k++) {
			bin.len = 0;
			if (!r->cells[i * (size_t)r->ncols + (size_t)k])
				rc = dh_pgwire_data_row_cell(&c->out, NULL, -1);
			else if ((rc = binary_cell(r, i, k, &bin, &e)) == 0)
				rc = dh_pgwire_data_row_cell(&c->out, bin.p, (int32_t)bin.len);
		}
		if (rc == 0)
			rc = dh_pgwire_end(&c->out, at);
		if (rc == 0 && c->out.len >= OUT_FLUSH && flush_out(c))
			rc = DH_EIO;
	}
	dh_buf_release(&bin);
	if (rc)
		return rc;
	dh_pgwire_command_complete(&c->out, r->tag);
	if (c->out.len >= OUT_FLUSH && flush_out(c))
		return DH_EIO;
	return 0;
}

/* The statement's result, kept in the portal: Execute hands it out. */
static int
portal_result(void *ctx, const struct dh_sql_result *r)
{
	struct pctx *q = ctx;
	struct conn *c = q->c;
	struct portal *pt = q->pt;
	send_notices(c, r->notices, r->nnotices);
	if (r->header)
		return 0; /* Execute sends no RowDescription */
	if (!r->tag) {
		pt->empty = 1;
		return 0;
	}
	if (c->copy_out) {
		dh_pgwire_copy_done(&c->out);
		c->copy_out = 0;
	}
	free(pt->tag);
	pt->tag = xstrdup(r->tag);
	struct dh_buf bin;
	dh_buf_init(&bin, 0);
	int rc = 0;
	for (size_t i = 0; i < r->nrows && rc == 0; i++) {
		if (pt->nrows == pt->aoffs) {
			pt->aoffs = pt->aoffs ? 2 * pt->aoffs : 64;
			pt->offs = xrealloc(pt->offs, pt->aoffs * sizeof(*pt->offs));
		}
		pt->offs[pt->nrows++] = pt->rows.len;
		size_t at = dh_pgwire_data_row_begin(&pt->rows, (size_t)r->ncols);
		for (int k = 0; k < r->ncols && rc == 0; k++) {
			const char *v = r->cells[i * (size_t)r->ncols + (size_t)k];
			if (!v) {
				rc = dh_pgwire_data_row_cell(&pt->rows, NULL, -1);
			} else if (dh_pgwire_format(pt->rformats, pt->nrformats, (size_t)k) == 1) {
				bin.len = 0;
				if ((rc = binary_cell(r, i, k, &bin, q->err)) == 0)
					rc = dh_pgwire_data_row_cell(&pt->rows, bin.p,
								     (int32_t)bin.len);
			} else {
				rc = dh_pgwire_data_row_cell(&pt->rows, v, (int32_t)strlen(v));
			}
		}
		if (rc == 0)
			rc = dh_pgwire_end(&pt->rows, at);
	}
	dh_buf_release(&bin);
	return rc;
}

static int
ext_parse(struct conn *c, const struct dh_pgwire_msg *m, struct dh_err *e)
{
	struct dh_arena a;
	struct dh_pgwire_parse p;
	dh_arena_init(&a);
	int rc = dh_pgwire_decode_parse(m, &a, &p, e);
	if (rc == 0 && c->srv->o->log_queries)
		logf_(c->srv, "parse %s: %.1000s (%s@%s)", *p.name ? p.name : "<unnamed>", p.query,
		      c->user, c->database);
	if (rc == 0 && *p.name && *pstmt_find(c, p.name))
		rc = dh_err_sql(e, "42P05", "prepared statement \"%s\" already exists", p.name);
	if (rc == 0 && p.nparams > 65535)
		rc = dh_err_sql(e, "08P01", "too many parameters");
	struct dh_sql_stmt *st = NULL;
	if (rc == 0)
		rc = dh_sql_prepare(c->sql, p.query, strlen(p.query), p.types, (int)p.nparams, &st,
				    e);
	if (rc == 0) {
		if (!*p.name)
			pstmt_close(c, "");
		struct pstmt *ps = xcalloc(1, sizeof(*ps));
		ps->name = xstrdup(p.name);
		ps->p = st;
		ps->refs = 1;
		ps->next = c->stmts;
		c->stmts = ps;
		dh_pgwire_parse_complete(&c->out);
	}
	dh_arena_release(&a);
	return rc;
}

static int
ext_bind(struct conn *c, const struct dh_pgwire_msg *m, struct dh_err *e)
{
	struct dh_arena a;
	struct dh_pgwire_bind b;
	dh_arena_init(&a);
	int rc = dh_pgwire_decode_bind(m, &a, &b, e);
	struct pstmt *ps = NULL;
	if (rc == 0 && !(ps = *pstmt_find(c, b.statement)))
		rc = *b.statement ? dh_err_sql(e, "26000", "prepared statement \"%s\" does not exist",
					       b.statement)
				  : dh_err_sql(e, "26000", "unnamed prepared statement does not exist");
	if (rc == 0 && *b.portal && *portal_find(c, b.portal))
		rc = dh_err_sql(e, "42P03", "cursor \"%s\" already exists", b.portal);
	const uint32_t *types = NULL;
	const struct dh_sql_col *cols = NULL;
	int ncols = 0, rows = 0, nparams = 0;
	if (rc == 0) {
		nparams = dh_sql_stmt_params(ps->p, &types);
		rows = dh_sql_stmt_columns(ps->p, &cols, &ncols);
		rc = dh_pgwire_check_bind(&b, (size_t)nparams, rows ? ncols : -1, e);
		/* a Bind that does not fit its statement is an ERROR (the
		 * connection goes on), not a broken message */
		if (rc == DH_EPROTOCOL && strstr(e->message, "requires"))
			rc = dh_err_sql(e, "08P01",
					"bind message supplies %zu parameters, but prepared "
					"statement \"%s\" requires %d",
					b.nparams, b.statement, nparams);
		else if (rc == DH_EPROTOCOL) {
			char msg[sizeof(e->message)];
			snprintf(msg, sizeof(msg), "%s", e->message);
			rc = dh_err_sql(e, "08P01", "%s", msg);
		}
	}
	struct dh_sql_params *params = NULL;
	if (rc == 0) {
		const char **data = xcalloc(b.nparams + 1, sizeof(*data));
		int32_t *lens = xcalloc(b.nparams + 1, sizeof(*lens));
		int16_t *fmts = xcalloc(b.nparams + 1, sizeof(*fmts));
		for (size_t i = 0; i < b.nparams; i++) {
			data[i] = (const char *)b.params[i].p;
			lens[i] = b.params[i].len;
			fmts[i] = (int16_t)dh_pgwire_format(b.pformats, b.npformats, i);
		}
		rc = dh_sql_bind(c->sql, ps->p, (int)b.nparams, data, lens, fmts, &params, e);
		free(data);
		free(lens);
		free(fmts);
	}
	if (rc == 0) {
		if (!*b.portal)
			portal_close(c, "");
		struct portal *pt = xcalloc(1, sizeof(*pt));
		pt->name = xstrdup(b.portal);
		pt->ps = ps;
		ps->refs++;
		pt->params = params;
		pt->nrformats = b.nrformats;
		pt->rformats = xcalloc(b.nrformats + 1, sizeof(*pt->rformats));
		if (b.nrformats) /* else b.rformats may be NULL */
			memcpy(pt->rformats, b.rformats, b.nrformats * sizeof(*pt->rformats));
		dh_buf_init(&pt->rows, 0);
		pt->next_portal = c->portals;
		c->portals = pt;
		dh_pgwire_bind_complete(&c->out);
	}
	dh_arena_release(&a);
	return rc;
}

/* Describe of a portal that is a SQL cursor (DECLARE): portals and
 * cursors share one namespace, and psycopg's named cursors describe
 * theirs so. */
static int
describe_cursor(struct conn *c, const char *name, struct dh_err *e)
{
	const struct dh_sql_col *cols;
	int ncols;
	if (!dh_sql_cursor_columns(c->sql, name, &cols, &ncols))
		return dh_err_sql(e, "34000", "portal \"%s\" does not exist", name);
	return row_description(c, cols, ncols, NULL, 0);
}

/* DEALLOCATE (sql.c's hook): the named statements Parse made; ALL (name
 * NULL) leaves the unnamed one, as PostgreSQL does. */
static int
sql_deallocate(void *ctx, const char *name, struct dh_err *e)
{
	struct conn *c = ctx;
	if (name) {
		if (!*pstmt_find(c, name))
			return dh_err_sql(e, "26000", "prepared statement \"%s\" does not exist",
					  name);
		pstmt_close(c, name);
		return 0;
	}
	struct pstmt **pp = &c->stmts;
	while (*pp) {
		struct pstmt *ps = *pp;
		if (*ps->name) {
			*pp = ps->next;
			pstmt_unref(ps);
		} else {
			pp = &ps->next;
		}
	}
	return 0;
}

static int
ext_describe(struct conn *c, const struct dh_pgwire_msg *m, struct dh_err *e)
{
	struct dh_pgwire_target t;
	int rc = dh_pgwire_decode_describe(m, &t, e);
	if (rc)
		return rc;
	const struct dh_sql_col *cols;
	int ncols, rows;
	if (t.what == 'S') {
		struct pstmt *ps = *pstmt_find(c, t.name);
		if (!ps)
			return *t.name ? dh_err_sql(e, "26000",
						    "prepared statement \"%s\" does not exist", t.name)
				       : dh_err_sql(e, "26000",
						    "unnamed prepared statement does not exist");
		const uint32_t *types;
		int n = dh_sql_stmt_params(ps->p, &types);
		dh_pgwire_parameter_description(&c->out, types, (size_t)n);
		rows = dh_sql_stmt_columns(ps->p, &cols, &ncols);
		if (!rows)
			return dh_pgwire_no_data(&c->out);
		return row_description(c, cols, ncols, NULL, 0);
	}
	struct portal *pt = *portal_find(c, t.name);
	if (!pt)
		return describe_cursor(c, t.name, e);
	rows = dh_sql_stmt_columns(pt->ps->p, &cols, &ncols);
	if (!rows)
		return dh_pgwire_no_data(&c->out);
	return row_description(c, cols, ncols, pt->rformats, pt->nrformats);
}

static int
ext_execute(struct conn *c, const struct dh_pgwire_msg *m, struct dh_err *e)
{
	struct dh_pgwire_execute x;
	int rc = dh_pgwire_decode_execute(m, &x, e);
	if (rc)
		return rc;
	struct portal *pt = *portal_find(c, x.portal);
	if (!pt)
		return dh_err_sql(e, "34000", "portal \"%s\" does not exist", x.portal);
	const struct dh_sql_col *cols;
	int ncols, rows = dh_sql_stmt_columns(pt->ps->p, &cols, &ncols);
	if (!pt->ran) {
		struct pctx q = {c, pt, e};
		pt->ran = 1;
		c->cancel = 0;
		c->running = 1;
		deadline_start(c);
		dh_sql_set_sync_ahead(c->sql, dh_pgwire_reader_sync_next(&c->rd));
		rc = dh_sql_execute(c->sql, pt->ps->p, pt->params, portal_result, &q, e);
		deadline_end(c);
		c->running = 0;
		c->cancel = 0;
		c->copy_out = 0;
		if (c->copy_in) {
			dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_NORMAL);
			c->copy_in = 0;
		}
		if (c->dead)
			return DH_EIO;
		if (rc)
			return rc;
	}
	if (pt->empty)
		return dh_pgwire_empty_query(&c->out);
	size_t left = pt->nrows - pt->next, n = left;
	if (x.max_rows > 0 && (size_t)x.max_rows < left)
		n = (size_t)x.max_rows;
	for (size_t i = pt->next; i < pt->next + n; i++) {
		size_t end = i + 1 < pt->nrows ? pt->offs[i + 1] : pt->rows.len;
		dh_buf_add(&c->out, pt->rows.p + pt->offs[i], end - pt->offs[i]);
		if (c->out.len >= OUT_FLUSH && flush_out(c))
			return DH_EIO;
	}
	pt->next += n;
	if (n < left)
		return dh_pgwire_portal_suspended(&c->out);
	if (rows && pt->tag && strncmp(pt->tag, "SELECT ", 7) == 0) {
		/* a SELECT's count is of the rows this Execute sent */
		char tag[32];
		snprintf(tag, sizeof(tag), "SELECT %zu", n);
		return dh_pgwire_command_complete(&c->out, tag);
	}
	return dh_pgwire_command_complete(&c->out, pt->tag ? pt->tag : "");
}

static int
ext_close(struct conn *c, const struct dh_pgwire_msg *m, struct dh_err *e)
{
	struct dh_pgwire_target t;
	int rc = dh_pgwire_decode_close(m, &t, e);
	if (rc)
		return rc;
	if (t.what == 'S')
		pstmt_close(c, t.name);
	else
		portal_close(c, t.name);
	return dh_pgwire_close_complete(&c->out);
}

/* Sync: the implicit transaction ends; portals end with a transaction. */
static int
ext_sync(struct conn *c)
{
	struct dh_err e = {0};
	if (dh_sql_sync(c->sql, &e))
		send_error(c, "ERROR", &e);
	if (dh_sql_txstatus(c->sql) == 'I')
		portals_close_all(c);
	ready_for_query(c);
	return flush_out(c);
}

/* --- authentication --- */

/* The next message of the startup phase: 1, 0 when the client went away,
 * < 0 with e set. */
static int
next_msg(struct conn *c, struct dh_pgwire_msg *m, struct dh_err *e)
{
	for (;;) {
		int rc = dh_pgwire_reader_next(&c->rd, m, e);
		if (rc != 0)
			return rc;
		if (flush_out(c))
			return 0;
		int got = read_some(c);
		if (got < 0)
			return dh_err_sql(e, "08P01", "message too large");
		if (got == 0)
			return 0;
	}
}

/* Password authentication against the file: 1 the user is in, 0 the
 * client went away, < 0 the error to send as FATAL (28P01 for a wrong
 * password and for a user not in the file alike). */
static int
authenticate(struct conn *c, struct dh_err *e)
{
	struct server *s = c->srv;
	struct dh_scram_verifier v;
	unsigned char mock[32];
	pthread_mutex_lock(&s->mu);
	int found = dh_passwd_lookup(s->pw, c->user, &v);
	memcpy(mock, dh_passwd_mock_key(s->pw), sizeof(mock));
	pthread_mutex_unlock(&s->mu);
	struct dh_pgwire_msg m;
	int rc;
	if (s->o->auth == DH_SERVE_AUTH_PASSWORD) {
		const char *pass;
		dh_pgwire_auth_cleartext(&c->out);
		dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_PASSWORD);
		if ((rc = next_msg(c, &m, e)) <= 0)
			return rc;
		if ((rc = dh_pgwire_decode_password(&m, &pass, e)))
			return rc;
		if (found && dh_scram_verify_plain(&v, pass))
			return 1;
		return dh_err_sql(e, "28P01", "password authentication failed for user \"%s\"",
				  c->user);
	}
	struct dh_scram sc;
	struct dh_buf out;
	const char *mechs[2];
	/* over TLS, SCRAM-SHA-256-PLUS binds the exchange to the certificate */
	unsigned char ep[64];
	size_t nep = c->tls ? dh_tls_end_point(c->tls, ep) : 0;
	dh_scram_begin(&sc, c->user, found ? &v : NULL, mock, nep ? ep : NULL, nep);
	dh_buf_init(&out, 0);
	size_t nm = dh_scram_mechanisms(&sc, mechs);
	dh_pgwire_auth_sasl(&c->out, mechs, nm);
	dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_SASL);
	rc = next_msg(c, &m, e);
	if (rc > 0) {
		struct dh_pgwire_sasl_initial si;
		if ((rc = dh_pgwire_decode_sasl_initial(&m, &si, e)) == 0)
			rc = dh_scram_step(&sc, si.mechanism, si.data,
					   si.len < 0 ? 0 : (size_t)si.len, &out, e);
		while (rc == DH_SCRAM_CONTINUE) {
			const unsigned char *data;
			size_t len;
			dh_pgwire_auth_sasl_continue(&c->out, out.p, out.len);
			out.len = 0;
			if ((rc = next_msg(c, &m, e)) <= 0) {
				if (rc == 0)
					rc = -1000; /* gone */
				break;
			}
			if ((rc = dh_pgwire_decode_sasl_response(&m, &data, &len, e)) == 0)
				rc = dh_scram_step(&sc, NULL, data, len, &out, e);
		}
		if (rc == 0) {
			dh_pgwire_auth_sasl_final(&c->out, out.p, out.len);
			rc = 1;
		} else if (rc == -1000) {
			rc = 0;
		}
	}
	dh_scram_release(&sc);
	dh_buf_release(&out);
	return rc;
}

/* SIGHUP: read the password file again; keep the old one if the new one
 * does not load. */
static void
reload_passwd(struct server *s)
{
	struct dh_passwd *pw = NULL;
	struct dh_err e = {0};
	if (dh_passwd_load(s->o->passwd, &pw, &e)) {
		logf_(s, "the password file was not reloaded: %s", e.message);
		return;
	}
	pthread_mutex_lock(&s->mu);
	struct dh_passwd *old = s->pw;
	s->pw = pw;
	pthread_mutex_unlock(&s->mu);
	dh_passwd_free(old);
	logf_(s, "reloaded the password file %s", s->o->passwd);
}

/* SIGHUP: load the TLS certificate and key again; keep the old ones if
 * the new ones do not load.  Sessions keep the context they began with. */
static void
reload_tls(struct server *s)
{
	struct dh_tls_server *ts = NULL;
	struct dh_err e = {0};
	if (dh_tls_server_new(s->o->tls_cert, s->o->tls_key, &ts, &e)) {
		logf_(s, "the TLS certificate was not reloaded: %s", e.message);
		return;
	}
	pthread_mutex_lock(&s->mu);
	struct dh_tls_server *old = s->tls;
	s->tls = ts;
	pthread_mutex_unlock(&s->mu);
	dh_tls_server_free(old);
	logf_(s, "reloaded the TLS certificate %s", s->o->tls_cert);
}

/* --- startup --- */

/* Reads wait at most until the authentication deadline (a socket receive
 * timeout, which TLS's reads obey too). */
static int
auth_wait_left(struct conn *c)
{
	if (!c->auth_deadline)
		return 1;
	int64_t left = c->auth_deadline - mono_ns();
	if (left <= 0) {
		c->auth_timed_out = 1;
		return 0;
	}
	struct timeval tv = {(time_t)(left / 1000000000), (suseconds_t)(left % 1000000000 / 1000)};
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 1;
}

static int
read_some(struct conn *c)
{
	unsigned char tmp[16384];
	if (!auth_wait_left(c))
		return 0;
	for (;;) {
		ssize_t n = c->tls ? dh_tls_read(c->tls, tmp, sizeof(tmp))
				   : recv(c->fd, tmp, sizeof(tmp), 0);
		if (n < 0 && errno == EINTR && !c->tls)
			continue;
		if (n <= 0) {
			if (c->auth_deadline && mono_ns() >= c->auth_deadline)
				c->auth_timed_out = 1;
			return 0;
		}
		if (dh_pgwire_reader_feed(&c->rd, tmp, (size_t)n))
			return -1;
		return 1;
	}
}

/* Apply one startup parameter as a setting (SET name TO 'value'). */
static int
startup_setting(struct conn *c, const char *name, const char *value, struct dh_err *e)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "SET ");
	dh_buf_add_quoted(&b, name, '"');
	dh_buf_adds(&b, " TO ");
	dh_buf_add_quoted(&b, value, '\'');
	int rc = dh_sql_exec(c->sql, (const char *)b.p, b.len, NULL, NULL, e);
	dh_buf_release(&b);
	return rc;
}

/* "-c name=value --name=value ..." (the options parameter, PostgreSQL's
 * command-line switches; backslash escapes a space) */
static int
startup_options(struct conn *c, const char *opts, struct dh_err *e)
{
	char *w = xstrdup(opts), *words[64];
	int n = 0, rc = 0;
	for (char *p = w; *p && n < 64;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *start = p, *d = p;
		while (*p && *p != ' ') {
			if (*p == '\\' && p[1])
				p++;
			*d++ = *p++;
		}
		if (*p)
			p++;
		*d = 0;
		words[n++] = start;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		const char *kv = NULL;
		if (strcmp(words[i], "-c") == 0 && i + 1 < n)
			kv = words[++i];
		else if (strncmp(words[i], "-c", 2) == 0 && words[i][2])
			kv = words[i] + 2;
		else if (strncmp(words[i], "--", 2) == 0)
			kv = words[i] + 2;
		const char *eq = kv ? strchr(kv, '=') : NULL;
		if (!eq) {
			rc = dh_err_sql(e, "42601", "invalid command-line argument for server process: %s",
					words[i]);
			break;
		}
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - kv), kv);
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		rc = startup_setting(c, name, eq + 1, e);
	}
	free(w);
	return rc;
}

static const char *const reported[] = {
    "application_name",	 "client_encoding",	 "DateStyle",
    "default_transaction_read_only", "in_hot_standby", "integer_datetimes",
    "IntervalStyle",	 "is_superuser",	 "server_encoding",
    "server_version",	 "session_authorization", "standard_conforming_strings",
    "TimeZone",
};

static const char *
reported_value(struct conn *c, const char *name)
{
	const char *v = dh_sql_setting(c->sql, name);
	if (v)
		return v;
	/* the ones sessions do not keep as settings */
	if (strcmp(name, "in_hot_standby") == 0 || strcmp(name, "default_transaction_read_only") == 0)
		return "off";
	if (strcmp(name, "is_superuser") == 0 || strcmp(name, "integer_datetimes") == 0 ||
	    strcmp(name, "standard_conforming_strings") == 0)
		return "on";
	if (strcmp(name, "session_authorization") == 0)
		return c->user;
	if (strcmp(name, "server_encoding") == 0 || strcmp(name, "client_encoding") == 0)
		return "UTF8";
	if (strcmp(name, "application_name") == 0)
		return "";
	return NULL;
}

static int
too_many(struct conn *c)
{
	struct server *s = c->srv;
	int max = s->o->max_connections > 0 ? s->o->max_connections : 100;
	pthread_mutex_lock(&s->mu);
	int n = s->nconns;
	pthread_mutex_unlock(&s->mu);
	return n > max;
}

static void
do_cancel(struct server *s, const struct dh_pgwire_cancel *k)
{
	pthread_mutex_lock(&s->mu);
	for (struct conn *c = s->conns; c; c = c->next)
		if (c->pid == k->pid && c->key == k->key && c->running)
			c->cancel = DH_CANCEL_USER;
	pthread_mutex_unlock(&s->mu);
}

/* The startup message's strings point into the reader's buffer, which
 * the authentication's messages reuse: copies in a. */
static void
startup_keep(struct dh_pgwire_startup *su, struct dh_arena *a)
{
#define KEEP(x) ((x) ? dh_arena_strdup(a, (x)) : NULL)
	su->user = KEEP(su->user);
	su->database = KEEP(su->database);
	su->options = KEEP(su->options);
	su->replication = KEEP(su->replication);
	for (size_t i = 0; i < su->nparams; i++) {
		su->names[i] = KEEP(su->names[i]);
		su->values[i] = KEEP(su->values[i]);
	}
	for (size_t i = 0; i < su->nproto; i++) {
		su->proto_names[i] = KEEP(su->proto_names[i]);
		su->proto_values[i] = KEEP(su->proto_values[i]);
	}
#undef KEEP
}

/* 1: the session is ready; 0: the connection ends (answered or not). */
static int startup_auth(struct conn *c, struct dh_arena *a);

static int
startup(struct conn *c, struct dh_arena *a)
{
	struct server *s = c->srv;
	int secs = s->o->auth_timeout > 0 ? s->o->auth_timeout : 60;
	c->auth_deadline = mono_ns() + (int64_t)secs * 1000000000;
	int ok = startup_auth(c, a);
	if (c->auth_timed_out) {
		/* as PostgreSQL: a client that never sent its startup packet
		 * is dropped quietly, one in the middle of authenticating
		 * hears why */
		logf_(s, "canceling authentication due to timeout (from %s)", c->peer);
		if (c->user[0]) {
			struct dh_err e = {0};
			dh_err_sql(&e, "57014", "canceling authentication due to timeout");
			send_error(c, "FATAL", &e);
			flush_out(c);
		}
		ok = 0;
	}
	c->auth_deadline = 0;
	struct timeval none = {0, 0};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	return ok;
}

static int
startup_auth(struct conn *c, struct dh_arena *a)
{
	struct server *s = c->srv;
	struct dh_err e = {0};
	struct dh_pgwire_msg m;
	for (;;) {
		int rc = dh_pgwire_reader_next(&c->rd, &m, &e);
		if (rc < 0) {
			send_error(c, "FATAL", &e);
			flush_out(c);
			return 0;
		}
		if (rc == 0) {
			int got = read_some(c);
			if (got <= 0) {
				if (got == 0 && !c->auth_timed_out && dh_pgwire_reader_eof(&c->rd, &e))
					logf_(s, "%s (from %s)", e.message, c->peer);
				return 0;
			}
			continue;
		}
		if (m.kind == DH_PGWIRE_K_SSL && !c->tls) {
			/* SIGHUP may replace it meanwhile: this handshake keeps
			 * its own reference */
			pthread_mutex_lock(&s->mu);
			struct dh_tls_server *ts = dh_tls_server_ref(s->tls);
			pthread_mutex_unlock(&s->mu);
			if (ts) {
				dh_pgwire_ssl_answer(&c->out, 'S');
				int bad = flush_out(c);
				/* bytes sent before the handshake were not encrypted */
				if (!bad && dh_pgwire_reader_answered(&c->rd, &m, 'S', &e)) {
					logf_(s, "%s (from %s)", e.message, c->peer);
					bad = 1;
				}
				if (!bad && !auth_wait_left(c))
					bad = 1;
				if (!bad && dh_tls_accept(ts, c->fd, &c->tls, &e)) {
					logf_(s, "%s (from %s)", e.message, c->peer);
					bad = 1;
				}
				dh_tls_server_free(ts);
				if (bad)
					return 0;
				continue;
			}
		}
		if (m.kind == DH_PGWIRE_K_SSL || m.kind == DH_PGWIRE_K_GSS) {
			/* no TLS configured, no GSSAPI: the client may go on in
			 * the clear */
			dh_pgwire_ssl_answer(&c->out, 'N');
			if (flush_out(c))
				return 0;
			if (dh_pgwire_reader_answered(&c->rd, &m, 'N', &e)) {
				send_error(c, "FATAL", &e);
				flush_out(c);
				return 0;
			}
			continue;
		}
		if (m.kind == DH_PGWIRE_K_CANCEL) {
			struct dh_pgwire_cancel k;
			if (dh_pgwire_decode_cancel(&m, &k, &e) == 0)
				do_cancel(s, &k);
			return 0;
		}
		struct dh_pgwire_startup su;
		if ((rc = dh_pgwire_decode_startup(&m, a, &su, &e))) {
			send_error(c, "FATAL", &e);
			flush_out(c);
			return 0;
		}
		snprintf(c->user, sizeof(c->user), "%.63s", su.user);
		snprintf(c->database, sizeof(c->database), "%s", su.database);
		if (too_many(c)) {
			dh_err_sql(&e, "53300", "sorry, too many clients already");
			send_error(c, "FATAL", &e);
			flush_out(c);
			return 0;
		}
		if (su.replication && strcmp(su.replication, "false") != 0 &&
		    strcmp(su.replication, "off") != 0 && strcmp(su.replication, "0") != 0) {
			dh_err_sql(&e, "0A000", "replication connections are not supported");
			send_error(c, "FATAL", &e);
			flush_out(c);
			return 0;
		}
		startup_keep(&su, a);
		if (s->pw && (rc = authenticate(c, &e)) <= 0) {
			if (rc < 0) {
				send_error(c, "FATAL", &e);
				flush_out(c);
			}
			return 0;
		}
		if ((rc = dh_sql_open(s->st, su.database, &c->sql, &e))) {
			if (rc == DH_ENODB || rc == DH_ENOBRANCH) {
				struct dh_err e2 = {0};
				dh_err_sql(&e2, "3D000", "database \"%s\" does not exist", su.database);
				e = e2;
			}
			send_error(c, "FATAL", &e);
			flush_out(c);
			return 0;
		}
		dh_sql_set_cancel(c->sql, &c->cancel);
		dh_sql_set_notify(c->sql, &notify_hooks, c);
		dh_sql_set_backend_pid(c->sql, c->pid);
		dh_sql_set_headers(c->sql, 1);
		if (s->o->allow_create_database)
			dh_sql_set_dbhooks(c->sql, &db_hooks, c);
		dh_sql_set_copy(c->sql, &copy_hooks, c);
		if (su.negotiate)
			dh_pgwire_negotiate_protocol(&c->out, DH_PGWIRE_PROTO_LATEST, su.proto_names,
						     su.nproto);
		/* authenticated, or trust: the listening address allowed it
		 * (dh_serve_run) */
		dh_pgwire_auth_ok(&c->out);
		rc = 0;
		for (size_t i = 0; i < su.nparams && rc == 0; i++)
			rc = startup_setting(c, su.names[i], su.values[i], &e);
		if (rc == 0 && su.options)
			rc = startup_options(c, su.options, &e);
		if (rc) {
			send_error(c, "FATAL", &e);
			flush_out(c);
			return 0;
		}
		for (size_t i = 0; i < DH_ARRAY_SIZE(reported); i++) {
			const char *v = reported_value(c, reported[i]);
			if (v)
				dh_pgwire_parameter_status(&c->out, reported[i], v);
		}
		dh_pgwire_backend_key_data(&c->out, c->pid, c->key);
		ready_for_query(c);
		dh_pgwire_reader_set_phase(&c->rd, DH_PGWIRE_NORMAL);
		if (c->tls)
			logf_(s, "connection: %s user=%s database=%s tls=%s cipher=%s", c->peer,
			      c->user, c->database, dh_tls_version(c->tls), dh_tls_cipher(c->tls));
		else
			logf_(s, "connection: %s user=%s database=%s", c->peer, c->user,
			      c->database);
		return flush_out(c) == 0;
	}
}

/* --- the session --- */

static void
session(struct conn *c)
{
	struct server *s = c->srv;
	struct dh_err e = {0};
	struct dh_pgwire_msg m;
	int skipping = 0; /* an extended-protocol error: skip to Sync */
	dh_sql_set_deallocate(c->sql, sql_deallocate, c);
	for (;;) {
		int rc = dh_pgwire_reader_next(&c->rd, &m, &e);
		if (rc < 0) {
			send_error(c, "FATAL", &e);
			flush_out(c);
			return;
		}
		if (rc == 0) {
			if (flush_out(c))
				return;
			int got = wait_input(c);
			if (got < 0) {
				dh_err_sql(&e, "08P01", "message too large");
				send_error(c, "FATAL", &e);
				flush_out(c);
				return;
			}
			if (got == 0) {
				if (*s->stop) {
					dh_err_sql(&e, "57P01",
						   "terminating connection due to administrator "
						   "command");
					send_error(c, "FATAL", &e);
					flush_out(c);
				} else if (dh_pgwire_reader_eof(&c->rd, &e)) {
					logf_(s, "%s (from %s)", e.message, c->peer);
				} else if (dh_sql_txstatus(c->sql) != 'I') {
					logf_(s, "unexpected EOF on client connection with an open "
						 "transaction (from %s)",
					      c->peer);
				}
				return;
			}
			continue;
		}
		c->at_ready = 0;
		if (skipping && m.type != 'S' && m.type != 'X')
			continue; /* after an error, up to Sync */
		switch (m.type) {
		case 'Q': {
			const char *sql;
			size_t len;
			/* a simple query ends the unnamed statement and portal */
			pstmt_close(c, "");
			portal_close(c, "");
			if (dh_pgwire_decode_query(&m, &sql, &len, &e)) {
				send_error(c, "FATAL", &e);
				flush_out(c);
				return;
			}
			/* the text is borrowed from the reader: keep a copy */
			char *copy = xmalloc(len + 1);
			memcpy(copy, sql, len);
			copy[len] = 0;
			rc = run_query(c, copy, len);
			free(copy);
			if (dh_sql_txstatus(c->sql) == 'I')
				portals_close_all(c);
			if (rc)
				return;
			break;
		}
		case 'X':
			return;
		case 'S':
			skipping = 0;
			if (ext_sync(c))
				return;
			break;
		case 'H':
			if (flush_out(c))
				return;
			break;
		case 'd':
		case 'c':
		case 'f':
			break; /* copy messages outside a COPY are ignored, as PostgreSQL does */
		case 'P':
		case 'B':
		case 'D':
		case 'E':
		case 'C': {
			memset(&e, 0, sizeof(e));
			rc = m.type == 'P'   ? ext_parse(c, &m, &e)
			     : m.type == 'B' ? ext_bind(c, &m, &e)
			     : m.type == 'D' ? ext_describe(c, &m, &e)
			     : m.type == 'E' ? ext_execute(c, &m, &e)
					     : ext_close(c, &m, &e);
			if (c->dead) {
				if (c->fatal.message[0]) {
					send_error(c, "FATAL", &c->fatal);
					flush_out(c);
				}
				return;
			}
			if (rc == DH_EPROTOCOL) {
				/* a malformed message ends the connection */
				if (!e.sqlstate[0])
					snprintf(e.sqlstate, sizeof(e.sqlstate), "08P01");
				send_error(c, "FATAL", &e);
				flush_out(c);
				return;
			}
			if (rc == DH_EIO && !e.message[0])
				return;
			if (rc) {
				send_error(c, "ERROR", &e);
				dh_sql_abort(c->sql);
				/* PostgreSQL sends an error at once, Sync or not */
				if (flush_out(c))
					return;
				skipping = 1;
			}
			break;
		}
		case 'F':
			/* the function-call sub-protocol: an error, then ready */
			dh_err_sql(&e, "0A000", "the function call message is not supported");
			send_error(c, "ERROR", &e);
			ready_for_query(c);
			if (flush_out(c))
				return;
			break;
		default:
			dh_err_sql(&e, "08P01", "invalid frontend message type %d", m.type);
			send_error(c, "FATAL", &e);
			flush_out(c);
			return;
		}
	}
}

/* A connection's whole life, in the calling thread; c is freed.  A
 * connection on a thread of its own (joinable) is recorded for reap(). */
static void
conn_run(struct conn *c, int joinable)
{
	struct server *s = c->srv;
	struct dh_arena a;
	dh_arena_init(&a);
	if (startup(c, &a))
		session(c);
	dh_arena_release(&a);
	/* libpg_query frees this thread's parser memory at its exit itself
	 * (a thread-specific key's destructor): no dh_sql_shutdown here */
	ext_release(c);
	if (c->sql)
		dh_sql_close(c->sql);
	dh_pgwire_reader_release(&c->rd);
	dh_buf_release(&c->out);
	dh_tls_free(c->tls);
	close(c->fd);
	pthread_mutex_lock(&s->mu);
	hub_unlisten_locked(s, c, NULL);
	for (struct conn **p = &s->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	s->nconns--;
	if (joinable) {
		if (s->ndone == s->adone) {
			s->adone = s->adone ? 2 * s->adone : 16;
			s->done = xrealloc(s->done, s->adone * sizeof(*s->done));
		}
		s->done[s->ndone++] = pthread_self();
	}
	pthread_cond_broadcast(&s->gone);
	pthread_mutex_unlock(&s->mu);
	dh_buf_release(&c->notes);
	if (c->efd >= 0)
		close(c->efd);
	free(c);
}

static void *
conn_main(void *arg)
{
	conn_run(arg, 1);
	return NULL;
}

/* Join the threads that ended. */
static void
reap(struct server *s)
{
	pthread_mutex_lock(&s->mu);
	size_t n = s->ndone;
	pthread_t *t = s->done;
	s->done = NULL;
	s->ndone = s->adone = 0;
	pthread_mutex_unlock(&s->mu);
	for (size_t i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* --- listening --- */

static int
loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return 0;
}

static void
name_of(const struct sockaddr *sa, socklen_t len, char *out, size_t n)
{
	char h[64], p[16];
	if (getnameinfo(sa, len, h, sizeof(h), p, sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(out, n, "?");
	else
		snprintf(out, n, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
}

static int
listen_all(const struct dh_serve_opts *o, int *fds, int *nfds, struct dh_err *err)
{
	const char *host = o->host ? o->host : "127.0.0.1";
	const char *port = o->port ? o->port : "5432";
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	int g = getaddrinfo(strcmp(host, "*") == 0 ? NULL : host, port, &hints, &res);
	if (g)
		return dh_err_set(err, DH_EUSAGE, "cannot resolve '%s' port '%s': %s", host, port,
				  gai_strerror(g));
	int rc = 0;
	*nfds = 0;
	for (struct addrinfo *ai = res; ai && *nfds < MAX_LISTEN; ai = ai->ai_next) {
		if (!loopback(ai->ai_addr) && !o->insecure && !o->passwd) {
			rc = dh_err_set(err, DH_EUSAGE,
					"refusing to listen on non-loopback address '%s' without "
					"authentication (give --passwd, or --insecure to allow "
					"anyone who can connect)",
					host);
			break;
		}
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 128)) {
			rc = dh_err_set(err, DH_EIO, "cannot listen on '%s' port '%s': %s", host,
					port, strerror(errno));
			close(fd);
			break;
		}
		fds[(*nfds)++] = fd;
	}
	freeaddrinfo(res);
	if (rc == 0 && *nfds == 0)
		rc = dh_err_set(err, DH_EIO, "cannot listen on '%s' port '%s'", host, port);
	if (rc)
		for (int i = 0; i < *nfds; i++)
			close(fds[i]);
	return rc;
}

/* --- the server --- */

/* The password file, TLS, and the watchdog; s->st is the caller's. */
static int
server_init(struct server *s, const struct dh_serve_opts *o, volatile sig_atomic_t *stop,
	    struct dh_err *err)
{
	*s = (struct server){.o = o, .stop = stop, .next_pid = (int32_t)getpid()};
	int rc = o->passwd ? dh_passwd_load(o->passwd, &s->pw, err) : 0;
	if (rc == 0 && (o->tls_cert || o->tls_key)) {
		if (!o->tls_cert || !o->tls_key)
			rc = dh_err_set(err, DH_EUSAGE, "TLS needs both a certificate and a key");
		else
			rc = dh_tls_server_new(o->tls_cert, o->tls_key, &s->tls, err);
	}
	if (rc) {
		dh_passwd_free(s->pw);
		return rc;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->gone, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->tick, &ca);
	pthread_condattr_destroy(&ca);
	pthread_create(&s->watchdog, NULL, watchdog_main, s);
	return 0;
}

/* After the last connection ended. */
static void
server_release(struct server *s)
{
	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	pthread_cond_signal(&s->tick);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->watchdog, NULL);
	pthread_cond_destroy(&s->tick);
	pthread_cond_destroy(&s->gone);
	pthread_mutex_destroy(&s->mu);
	dh_passwd_free(s->pw);
	dh_tls_server_free(s->tls);
}

/* A new connection on fd, counted among the live ones. */
static struct conn *
conn_new(struct server *s, int fd, const char *peer)
{
	struct conn *c = xcalloc(1, sizeof(*c));
	c->srv = s;
	c->fd = fd;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	dh_pgwire_reader_init(&c->rd);
	if (s->o->max_message_size)
		dh_pgwire_reader_set_limit(&c->rd, s->o->max_message_size);
	dh_buf_init(&c->out, 0);
	dh_buf_init(&c->notes, 0);
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	unsigned char k[4];
	if (dh_random_bytes(k, sizeof(k)))
		memset(k, 0, sizeof(k));
	memcpy(&c->key, k, sizeof(c->key));
	pthread_mutex_lock(&s->mu);
	c->pid = ++s->next_pid;
	c->next = s->conns;
	s->conns = c;
	s->nconns++;
	pthread_mutex_unlock(&s->mu);
	return c;
}

/* A connection that never ran (its thread did not start). */
static void
conn_discard(struct conn *c)
{
	struct server *s = c->srv;
	pthread_mutex_lock(&s->mu);
	for (struct conn **p = &s->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	s->nconns--;
	pthread_mutex_unlock(&s->mu);
	dh_pgwire_reader_release(&c->rd);
	dh_buf_release(&c->out);
	dh_buf_release(&c->notes);
	if (c->efd >= 0)
		close(c->efd);
	close(c->fd);
	free(c);
}

int
dh_serve_run(const struct dh_serve_opts *o, volatile sig_atomic_t *stop, struct dh_err *err)
{
	struct server s;
	int fds[MAX_LISTEN], nfds = 0;
	/* a connection is a socket and an eventfd: as many as allowed */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	int rc = server_init(&s, o, stop, err);
	if (rc)
		return rc;
	rc = dh_store_open(o->store, DH_STORE_GROUP, &s.st, err);
	if (rc == 0 && (rc = listen_all(o, fds, &nfds, err)))
		dh_store_close(s.st);
	if (rc) {
		server_release(&s);
		return rc;
	}
	logf_(&s, "listening on %s port %s, store %s", o->host ? o->host : "127.0.0.1",
	      o->port ? o->port : "5432", o->store);
	if (o->ready)
		o->ready(o->ready_ctx, o->host ? o->host : "127.0.0.1", o->port ? o->port : "5432");
	struct pollfd pfd[MAX_LISTEN];
	while (!*stop) {
		reap(&s);
		if (o->reload && *o->reload) {
			*o->reload = 0;
			if (o->passwd)
				reload_passwd(&s);
			if (o->tls_cert)
				reload_tls(&s);
		}
		for (int i = 0; i < nfds; i++)
			pfd[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		int n = poll(pfd, (nfds_t)nfds, 200);
		if (n <= 0)
			continue;
		for (int i = 0; i < nfds && !*stop; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			struct sockaddr_storage peer;
			socklen_t plen = sizeof(peer);
			int fd = accept4(fds[i], (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			char name[80];
			name_of((struct sockaddr *)&peer, plen, name, sizeof(name));
			struct conn *c = conn_new(&s, fd, name);
			pthread_t t;
			if (pthread_create(&t, NULL, conn_main, c)) {
				logf_(&s, "cannot start a thread for %s: %s", c->peer, strerror(errno));
				conn_discard(c);
			}
		}
	}
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	/* the sessions see their input end; a running statement finishes */
	pthread_mutex_lock(&s.mu);
	for (struct conn *c = s.conns; c; c = c->next)
		shutdown(c->fd, SHUT_RD);
	while (s.nconns > 0)
		pthread_cond_wait(&s.gone, &s.mu);
	pthread_mutex_unlock(&s.mu);
	reap(&s);
	logf_(&s, "shut down");
	server_release(&s);
	dh_store_close(s.st);
	return 0;
}

/* --- for tests and fuzzing: connections without listening --- */

struct dh_serve {
	struct server s;
	volatile sig_atomic_t no_stop;
};

int
dh_serve_new(struct dh_store *st, const struct dh_serve_opts *o, volatile sig_atomic_t *stop,
	     struct dh_serve **out, struct dh_err *err)
{
	struct dh_serve *sv = xcalloc(1, sizeof(*sv));
	int rc = server_init(&sv->s, o, stop ? stop : &sv->no_stop, err);
	if (rc) {
		free(sv);
		*out = NULL;
		return rc;
	}
	sv->s.st = st;
	*out = sv;
	return 0;
}

void
dh_serve_conn(struct dh_serve *sv, int fd, const char *peer)
{
	conn_run(conn_new(&sv->s, fd, peer ? peer : "test"), 0);
}

void
dh_serve_free(struct dh_serve *sv)
{
	if (!sv)
		return;
	pthread_mutex_lock(&sv->s.mu);
	assert(sv->s.nconns == 0); /* every dh_serve_conn returned */
	pthread_mutex_unlock(&sv->s.mu);
	server_release(&sv->s);
	free(sv);
}
