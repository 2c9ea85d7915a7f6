/*
 * sql: sessions and statement dispatch.  Text is parsed by libpg_query
 * (pg_query_parse_protobuf) into the protobuf-c node structs; syntax errors
 * come out as PostgreSQL reports them (42601 with the position).  Statement
 * kinds not implemented yet fail with 0A000 naming the statement.
 */
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dh.h"
#include "sql-int.h"
#include "sqlc-int.h"
#include "sql.h"
#include "sqlset.h"

struct savepoint {
	char *name;
	int marked;                  /* a dh_wtx savepoint exists for it (else: before any write) */
	struct dh_sqlset_snap *snap; /* the settings at the savepoint */
};

struct dh_sql {
	struct dh_store *st;
	struct dh_conn *conn;
	int in_block;     /* BEGIN ... COMMIT */
	int failed;       /* the block had an error: only ROLLBACK helps */
	int implicit;     /* running a text of several statements (an implicit block) */
	int queried;      /* the transaction ran a statement other than SET, SHOW, ... */
	int describing;   /* a Parse compiles a statement without running it */
	int may_join;     /* the statement's transaction ends without waiting for
			   * the client: its write may join a group commit */
	int sync_ahead;   /* dh_sql_set_sync_ahead's */
	struct dh_wtx *w; /* the write transaction, from the first write on */
	struct savepoint *sp;
	size_t nsp, asp;
	struct dh_sqlset *set;
	struct dh_snapshot *snap; /* the read outside a write txn: the statement's,
				   * or in a block the whole block's */
	uint64_t read_basis;      /* in a block: the tx its reads saw, 0 if none yet */
	struct dh_sqlenv env;
	uint64_t env_gen;		 /* the settings' gen env was read at */
	uint64_t tp_gen;		 /* the settings' gen the next three were read at */
	const char *tp_as_of, *tp_since; /* as_of_set's answer, cached */
	int tp_history;
	volatile sig_atomic_t *cancel;
	const struct dh_sql_copy *copy; /* COPY's data path, or NULL */
	void *copy_ctx;
	struct dh__sqlsess *sess; /* sqlc-fn.c's: sequences, the tx instant */
	struct dh__condefer *condefer; /* sqlc-con.c's: deferred constraints */
	struct dh__sqltemp *temp; /* sqlc-temp.c's: temporary tables */
	struct dh__sqlcursor *cursors; /* sqlcursor.c's: DECLAREd cursors */
	int (*deallocate)(void *ctx, const char *name, struct dh_err *err);
	void *deallocate_ctx;
	int snap_past;            /* snap is as_of, since or history */
	struct dh__sqlpc *pc;     /* statement shapes: the parse cache */
	const struct dh_sql_notify *nh; /* LISTEN/NOTIFY's hub, or NULL */
	void *nctx;
	struct note {             /* this transaction's LISTEN, UNLISTEN, NOTIFY */
		char kind;        /* 'L' 'U' 'N' */
		char *channel;    /* NULL: UNLISTEN * */
		char *payload;
	} *notes;
	size_t nnotes, anotes;
	int32_t backend_pid;
	int headers; /* dh_sql_set_headers */
	/* notices raised (dh__sql_notice) since the last call from outside:
	 * those from nshown on are not handed out yet; strings in na */
	struct dh_sql_notice *nt;
	size_t nnt, ant, nshown;
	struct dh_arena na;
	int quiet; /* dh__sql_quiet's depth */
	const struct dh_sql_dbhooks *dbh; /* CREATE / DROP DATABASE, or NULL */
	void *dbctx;
	struct catcache {         /* dh__sql_table's: tables of one schema state */
		const struct dh_schema *sc;
		uint64_t gen;
		struct dh_arena a;
		size_t n;
		struct catent {
			const char *name;
			struct dh_sqltable *t;
		} e[64];
		/* arenas of earlier states: a statement may still hold tables
		 * from them (a 65th table, a schema change mid-statement), so
		 * they are released when the statement ends */
		struct dh_arena *retired;
		size_t nretired;
	} cat;
};

const char *
dh_sql_setting(const struct dh_sql *s, const char *name)
{
	return dh_sqlset_get(s->set, name, NULL);
}

/* The catalog cache's arenas of earlier states, once no statement runs. */
static void
cat_retired_release(struct dh_sql *s)
{
	for (size_t i = 0; i < s->cat.nretired; i++)
		dh_arena_release(&s->cat.retired[i]);
	s->cat.nretired = 0;
}

void
dh_sql_set_cancel(struct dh_sql *s, volatile sig_atomic_t *flag)
{
	s->cancel = flag;
}

void
dh_sql_set_copy(struct dh_sql *s, const struct dh_sql_copy *hooks, void *ctx)
{
	s->copy = hooks;
	s->copy_ctx = ctx;
}

const struct dh_sql_copy *
dh__sql_copy(struct dh_sql *s, void **ctx)
{
	*ctx = s->copy_ctx;
	return s->copy;
}

int
dh_sql_open(struct dh_store *st, const char *db_branch, struct dh_sql **out, struct dh_err *err)
{
	struct dh_conn *c;
	*out = NULL;
	int rc = dh_conn_open(st, db_branch ? db_branch : "dh", &c, err);
	if (rc)
		return rc;
	struct dh_sql *s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->conn = c;
	s->env = (struct dh_sqlenv)DH_SQLENV_INIT;
	s->set = dh_sqlset_new();
	dh_arena_init(&s->na);
	*out = s;
	return 0;
}

/* --- notices --- */

/* client_min_messages' order: does it let severity through? */
static int
notice_wanted(struct dh_sql *s, const char *severity)
{
	static const char *const levels[] = {"log", "notice", "warning", "error"};
	const char *min = dh_sqlset_get(s->set, "client_min_messages", NULL);
	int want = 0, sev = strcmp(severity, "WARNING") == 0 ? 2 : 1;
	for (int i = 0; min && i < 4; i++)
		if (strcasecmp(min, levels[i]) == 0)
			want = i;
	return sev >= want; /* debug1..5 and log: everything */
}

void
dh__sql_notice(struct dh_sql *s, const char *severity, const char *sqlstate, const char *detail,
	       const char *fmt, ...)
{
	if (s->quiet || !notice_wanted(s, severity))
		return;
	if (s->nnt == s->ant) {
		s->ant = s->ant ? 2 * s->ant : 8;
		s->nt = xrealloc(s->nt, s->ant * sizeof(*s->nt));
	}
	va_list ap;
	va_start(ap, fmt);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *msg = dh_arena_strndup(&s->na, (const char *)b.p, b.len);
	char *det = detail ? dh_arena_strdup(&s->na, detail) : NULL;
	dh_buf_release(&b);
	dh__sqltemp_unname_str(s, msg);
	dh__sqltemp_unname_str(s, det);
	s->nt[s->nnt++] = (struct dh_sql_notice){severity, sqlstate, msg, det, NULL};
}

void
dh__sql_quiet(struct dh_sql *s, int on)
{
	s->quiet += on ? 1 : -1;
}

/* A new call from outside: what the last one left is gone. */
static void
notices_reset(struct dh_sql *s)
{
	s->nnt = s->nshown = 0;
	dh_arena_release(&s->na);
	dh_arena_init(&s->na);
}

size_t
dh_sql_notices(struct dh_sql *s, const struct dh_sql_notice **out)
{
	size_t n = s->nnt - s->nshown;
	*out = n ? s->nt + s->nshown : NULL;
	s->nshown = s->nnt;
	return n;
}

/* The caller's callback, given every result with the notices raised
 * since the one before. */
struct deliver {
	struct dh_sql *s;
	dh_sql_cb cb;
	void *ctx;
};

static int
deliver(void *ctx, const struct dh_sql_result *r)
{
	struct deliver *d = ctx;
	struct dh_sql_result with = *r;
	with.nnotices = dh_sql_notices(d->s, &with.notices);
	return d->cb(d->ctx, &with);
}

/* End the transaction: commit (keep settings) or roll back (restore them). */
static void
notes_clear(struct dh_sql *s)
{
	for (size_t i = 0; i < s->nnotes; i++) {
		free(s->notes[i].channel);
		free(s->notes[i].payload);
	}
	s->nnotes = 0;
}

/* The committed transaction's LISTEN, UNLISTEN, then NOTIFY, to the hub. */
static void
notes_deliver(struct dh_sql *s)
{
	for (size_t i = 0; i < s->nnotes; i++) {
		struct note *n = &s->notes[i];
		if (n->kind == 'L')
			s->nh->listen(s->nctx, n->channel);
		else if (n->kind == 'U')
			s->nh->unlisten(s->nctx, n->channel);
	}
	for (size_t i = 0; i < s->nnotes; i++)
		if (s->notes[i].kind == 'N')
			s->nh->notify(s->nctx, s->notes[i].channel, s->notes[i].payload);
	notes_clear(s);
}

static int
note_add(struct dh_sql *s, char kind, const char *channel, const char *payload,
	 struct dh_err *err)
{
	if (!s->nh)
		return dh_err_sql(err, "0A000",
				  "LISTEN, UNLISTEN and NOTIFY are not supported outside dh-serve");
	if (kind == 'N') {
		if (!channel || !*channel)
			return dh_err_sql(err, "22023", "channel name cannot be empty");
		if (strlen(channel) >= 64)
			return dh_err_sql(err, "22023", "channel name too long");
		if (payload && strlen(payload) >= 8000)
			return dh_err_sql(err, "22023", "payload string too long");
		/* one of each distinct notification per transaction */
		for (size_t i = 0; i < s->nnotes; i++)
			if (s->notes[i].kind == 'N' && strcmp(s->notes[i].channel, channel) == 0 &&
			    strcmp(s->notes[i].payload, payload ? payload : "") == 0)
				return 0;
	}
	if (s->nnotes == s->anotes) {
		s->anotes = s->anotes ? 2 * s->anotes : 8;
		s->notes = xrealloc(s->notes, s->anotes * sizeof(*s->notes));
	}
	s->notes[s->nnotes++] = (struct note){kind, channel ? xstrdup(channel) : NULL,
					      xstrdup(payload ? payload : "")};
	return 0;
}

int
dh__sql_notify(struct dh_sql *s, const char *channel, const char *payload, struct dh_err *err)
{
	return note_add(s, 'N', channel, payload, err);
}

int32_t
dh__sql_backend_pid(struct dh_sql *s)
{
	return s->backend_pid ? s->backend_pid : (int32_t)getpid();
}

void
dh_sql_set_notify(struct dh_sql *s, const struct dh_sql_notify *hooks, void *ctx)
{
	s->nh = hooks;
	s->nctx = ctx;
}

void
dh_sql_set_dbhooks(struct dh_sql *s, const struct dh_sql_dbhooks *hooks, void *ctx)
{
	s->dbh = hooks;
	s->dbctx = ctx;
}

void
dh_sql_set_headers(struct dh_sql *s, int on)
{
	s->headers = on;
}

int
dh__sql_headers(struct dh_sql *s)
{
	return s->headers;
}

void
dh_sql_set_backend_pid(struct dh_sql *s, int32_t pid)
{
	s->backend_pid = pid;
}

static int
tx_end(struct dh_sql *s, int commit, struct dh_err *err)
{
	int rc = 0;
	if (s->w) {
		/* deferred constraints are checked last: a violation rolls
		 * the transaction back */
		if (commit && (rc = dh__sqlcon_commit(s, err)) != 0)
			commit = 0;
		/* then ON COMMIT DROP and DELETE ROWS */
		if (commit && (rc = dh__sqltemp_commit(s, err)) != 0)
			commit = 0;
		if (commit) {
			struct dh_tx_report rep;
			rc = dh_wtx_commit(s->w, &rep, err);
		} else {
			/* sqlc-fn.c: aborts, or keeps just the sequences' advances */
			dh__sqlsess_rollback(s, s->w, 1, NULL);
		}
		s->w = NULL;
	}
	dh__sqlsess_txend(s);
	dh__sqlcon_txend(s);
	dh__sqltemp_txend(s);
	dh__sqlcur_txend(s, commit && !rc);
	dh_sqlset_end(s->set, commit && !rc);
	for (size_t i = 0; i < s->nsp; i++) {
		free(s->sp[i].name);
		dh_sqlset_snap_free(s->sp[i].snap);
	}
	s->nsp = 0;
	s->in_block = 0;
	s->failed = 0;
	if (s->snap) {
		dh_snapshot_close(s->snap);
		s->snap = NULL;
	}
	s->read_basis = 0;
	s->queried = 0;
	if (commit && !rc && s->nh)
		notes_deliver(s);
	else
		notes_clear(s);
	return rc;
}

void
dh_sql_close(struct dh_sql *s)
{
	if (!s)
		return;
	tx_end(s, 0, NULL);
	dh__sqlcur_free_all(s);
	if (s->temp) {
		/* the session's temporary tables end with it */
		struct dh_err e = {0};
		if (dh__sqltemp_drop_all(s, &e) == 0)
			tx_end(s, 1, &e);
		else
			tx_end(s, 0, NULL);
		dh__sqltemp_free(s->temp);
	}
	dh__sqlsess_free(s->sess);
	dh__sqlcon_defer_free(s->condefer);
	dh_arena_release(&s->cat.a);
	cat_retired_release(s);
	free(s->cat.retired);
	dh__sqlpc_free(s->pc);
	notes_clear(s);
	free(s->notes);
	free(s->nt);
	dh_arena_release(&s->na);
	dh_sqlset_free(s->set);
	free(s->sp);
	dh_conn_close(s->conn);
	free(s);
}

void
dh_sql_shutdown(void)
{
	/* pg_query_exit crashes on a thread that never parsed (a dh-query run
	 * of describe commands only); pg_query_init sets the memory up if it
	 * is not */
	pg_query_init();
	pg_query_exit();
}

char
dh_sql_txstatus(const struct dh_sql *s)
{
	return !s->in_block ? 'I' : s->failed ? 'E' : 'T';
}

/* The node's message name ("SelectStmt"), for messages. */
static const char *
node_name(const PgQuery__Node *n)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, n->node_case);
	if (!f || !f->descriptor)
		return "unknown";
	return ((const ProtobufCMessageDescriptor *)f->descriptor)->short_name;
}

/* Character position (1-based) of byte offset off in text. */
static int
char_pos(const char *text, size_t off)
{
	return dh_edn_charpos(text, strlen(text), off);
}

/* One statement being run. */
struct stmt {
	struct dh_sql *s;
	const char *text; /* the whole text, NUL-terminated */
	int location;     /* byte offset of the statement */
	int len;          /* its length, 0: to the end */
	dh_sql_cb cb;
	void *ctx;
	struct dh_err *err;
};

static int
emit(struct stmt *x, const char *tag)
{
	struct dh_sql_result r = {.tag = tag};
	return x->cb ? x->cb(x->ctx, &r) : 0;
}

int
dh__sql_at(struct dh__sqlrun *r, int location, int rc)
{
	if (r->err && r->text && location >= 0 && r->err->position == 0)
		r->err->position = char_pos(r->text, (size_t)location);
	return rc;
}

static int
err_at(struct stmt *x, int location, int rc)
{
	if (x->err && location >= 0)
		x->err->position = char_pos(x->text, (size_t)location);
	return rc;
}

static int
savepoint_find(struct dh_sql *s, const char *name)
{
	for (size_t i = s->nsp; i-- > 0;)
		if (strcmp(s->sp[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Drop the savepoints above index keep (their names and snapshots). */
static void
savepoints_drop(struct dh_sql *s, size_t keep)
{
	while (s->nsp > keep) {
		struct savepoint *p = &s->sp[--s->nsp];
		free(p->name);
		dh_sqlset_snap_free(p->snap);
	}
}

/* Set one of the transaction_* parameters (SET TRANSACTION, BEGIN's
 * modes, SET transaction_isolation) with PostgreSQL's checks: a running
 * transaction block fixes its characteristics at its first query, and a
 * subtransaction cannot change them (25001). */
static int
set_tx_param(struct stmt *x, const char *name, const char *value)
{
	struct dh_sql *s = x->s;
	char *old = xstrdup(dh_sqlset_get(s->set, name, NULL));
	int rc = dh_sqlset_set(s->set, name, value, 1, x->err);
	if (rc || !s->in_block)
		goto out;
	const char *now = dh_sqlset_get(s->set, name, NULL);
	const char *why = NULL;
	if (strcmp(name, "transaction_isolation") == 0 && strcmp(old, now) != 0)
		why = s->queried ? "SET TRANSACTION ISOLATION LEVEL must be called before any query"
		      : s->nsp	 ? "SET TRANSACTION ISOLATION LEVEL must not be called in a "
				   "subtransaction"
				 : NULL;
	else if (strcmp(name, "transaction_read_only") == 0 && strcmp(old, "on") == 0 &&
		 strcmp(now, "off") == 0)
		why = s->nsp	  ? "cannot set transaction read-write mode inside a read-only "
				    "transaction"
		      : s->queried ? "transaction read-write mode must be set before any query"
				   : NULL;
	else if (strcmp(name, "transaction_deferrable") == 0)
		why = s->nsp	  ? "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a "
				    "subtransaction"
		      : s->queried ? "SET TRANSACTION [NOT] DEFERRABLE must be called before any query"
				   : NULL;
	if (why) {
		dh_sqlset_set(s->set, name, old, 1, NULL);
		rc = dh_err_sql(x->err, "25001", "%s", why);
	}
out:
	free(old);
	return rc;
}

/* The transaction modes of BEGIN, START TRANSACTION and SET TRANSACTION
 * (DefElems transaction_isolation 'serializable', transaction_read_only
 * 1, ...); session: SET SESSION CHARACTERISTICS, the default_ ones.
 * dh's transactions are serializable whatever is set: the settings only
 * say what the client asked for. */
static int
set_tx_modes(struct stmt *x, PgQuery__Node **opts, size_t n, int session)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		const PgQuery__DefElem *d = opts[i]->def_elem;
		const PgQuery__Node *a = d->arg;
		char value[64] = "";
		if (a && a->node_case == PG_QUERY__NODE__NODE_A_CONST) {
			const PgQuery__AConst *c = a->a_const;
			if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
				snprintf(value, sizeof(value), "%s", c->sval->sval);
			else if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
				snprintf(value, sizeof(value), "%d", c->ival->ival);
		}
		if (session) {
			char name[64];
			snprintf(name, sizeof(name), "default_%s", d->defname);
			rc = dh_sqlset_set(x->s->set, name, value, 0, x->err);
		} else {
			rc = set_tx_param(x, d->defname, value);
		}
	}
	return rc;
}

static int
run_transaction(struct stmt *x, const PgQuery__TransactionStmt *t)
{
	struct dh_sql *s = x->s;
	int rc, i;
	switch (t->kind) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START: {
		const char *tag = t->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START
				      ? "START TRANSACTION"
				      : "BEGIN";
		if (s->in_block)
			dh__sql_notice(s, "WARNING", "25001", NULL,
				       "there is already a transaction in progress");
		s->in_block = 1;
		if ((rc = set_tx_modes(x, t->options, t->n_options, 0)))
			return rc;
		return emit(x, tag);
	}
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
		/* in a text of several statements, COMMIT ends its implicit
		 * transaction (with PostgreSQL's warning); the statements
		 * after it run in a new one */
		if (!s->in_block)
			dh__sql_notice(s, "WARNING", "25P01", NULL,
				       "there is no transaction in progress");
		if (!s->in_block && s->implicit) {
			if ((rc = tx_end(s, 1, x->err)))
				return rc;
			return emit(x, "COMMIT");
		}
		if (!s->in_block)
			return emit(x, "COMMIT");
		if (s->failed) {
			tx_end(s, 0, NULL);
			return emit(x, "ROLLBACK");
		}
		if ((rc = tx_end(s, 1, x->err)))
			return rc;
		return emit(x, "COMMIT");
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
		if (!s->in_block)
			dh__sql_notice(s, "WARNING", "25P01", NULL,
				       "there is no transaction in progress");
		if (s->in_block || s->implicit)
			tx_end(s, 0, NULL);
		return emit(x, "ROLLBACK");
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
		if (!s->in_block)
			return dh_err_sql(x->err, "25P01",
					  "SAVEPOINT can only be used in transaction blocks");
		if (s->nsp == s->asp) {
			s->asp = s->asp ? 2 * s->asp : 8;
			s->sp = xrealloc(s->sp, s->asp * sizeof(*s->sp));
		}
		if (s->w && (rc = dh_wtx_savepoint(s->w, x->err)))
			return rc;
		s->sp[s->nsp++] = (struct savepoint){xstrdup(t->savepoint_name), s->w != NULL,
						     dh_sqlset_save(s->set)};
		return emit(x, "SAVEPOINT");
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO: {
		int release = t->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE;
		const char *what = release ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT";
		if (!s->in_block)
			return dh_err_sql(x->err, "25P01", "%s can only be used in transaction blocks",
					  what);
		if ((i = savepoint_find(s, t->savepoint_name)) < 0)
			return dh_err_sql(x->err, "3B001", "savepoint \"%s\" does not exist",
					  t->savepoint_name);
		/* savepoints inside the one named go; the named one goes on
		 * release and stays (rolled back) on rollback */
		for (size_t k = s->nsp; k-- > (size_t)i + 1;)
			if (s->sp[k].marked && s->w &&
			    (rc = release ? dh_wtx_release(s->w, x->err) : dh_wtx_rollback(s->w, x->err)))
				return rc;
		savepoints_drop(s, (size_t)i + 1);
		struct savepoint *p = &s->sp[i];
		dh__sqlcur_savepoint_end(s, (size_t)i, !release);
		if (release) {
			if (p->marked && s->w && (rc = dh_wtx_release(s->w, x->err)))
				return rc;
			savepoints_drop(s, (size_t)i);
			return emit(x, "RELEASE");
		}
		if (p->marked && s->w) {
			if ((rc = dh_wtx_rollback(s->w, x->err)) ||
			    (rc = dh__sqlsess_rollback(s, s->w, 0, x->err)) ||
			    (rc = dh_wtx_savepoint(s->w, x->err)))
				return rc;
		} else if (s->w) {
			/* set before the first write: undo every write (but
			 * sequences' advances, sqlc-fn.c) */
			dh__sqlsess_rollback(s, s->w, 1, NULL);
			s->w = NULL;
			for (size_t k = 0; k < s->nsp; k++)
				s->sp[k].marked = 0;
		}
		dh_sqlset_restore(s->set, p->snap);
		s->failed = 0;
		return emit(x, "ROLLBACK");
	}
	default:
		return dh_err_sql(x->err, "0A000", "prepared transactions are not supported");
	}
}

/* PostgreSQL's quote_identifier, for list parameters (search_path): quoted
 * unless all lower-case letters, digits and '_', not starting with a
 * digit.  (Key words are not looked up: 'user' stays bare.) */
static void
quote_ident(struct dh_buf *b, const char *id)
{
	int plain = *id && !isdigit((unsigned char)*id);
	for (const char *p = id; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || isdigit((unsigned char)*p) || *p == '_';
	if (plain) {
		dh_buf_adds(b, id);
		return;
	}
	dh_buf_addc(b, '"');
	for (const char *p = id; *p; p++) {
		if (*p == '"')
			dh_buf_addc(b, '"');
		dh_buf_addc(b, *p);
	}
	dh_buf_addc(b, '"');
}

/* The text of a SET argument: a constant or a name, as PostgreSQL's
 * flatten_set_variable_args writes it. */
static int
set_arg_text(struct stmt *x, const PgQuery__Node *n, int quote, struct dh_buf *b)
{
	if (n->node_case == PG_QUERY__NODE__NODE_A_CONST) {
		const PgQuery__AConst *c = n->a_const;
		switch (c->val_case) {
		case PG_QUERY__A__CONST__VAL_SVAL:
			if (quote)
				quote_ident(b, c->sval->sval);
			else
				dh_buf_adds(b, c->sval->sval);
			return 0;
		case PG_QUERY__A__CONST__VAL_IVAL:
			dh_buf_printf(b, "%d", c->ival->ival);
			return 0;
		case PG_QUERY__A__CONST__VAL_FVAL:
			dh_buf_adds(b, c->fval->fval);
			return 0;
		case PG_QUERY__A__CONST__VAL_BOOLVAL:
			dh_buf_adds(b, c->boolval->boolval ? "true" : "false");
			return 0;
		default:
			break;
		}
	}
	return err_at(x, -1,
		      dh_err_sql(x->err, "0A000", "this kind of SET value is not supported yet"));
}

static int
run_set(struct stmt *x, const PgQuery__VariableSetStmt *v)
{
	struct dh_sql *s = x->s;
	int rc = 0;
	/* SET LOCAL outside a block lasts only for its own statement: no
	 * effect; PostgreSQL warns before it looks at the setting */
	if (v->is_local && !s->in_block && !s->implicit)
		dh__sql_notice(s, "WARNING", "25P01", NULL,
			       "SET LOCAL can only be used in transaction blocks");
	switch (v->kind) {
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
		dh_sqlset_reset_all(s->set);
		return emit(x, "RESET");
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI:
		if (strcmp(v->name, "TRANSACTION") == 0) {
			if (!s->in_block && !s->implicit)
				dh__sql_notice(s, "WARNING", "25P01", NULL,
					       "SET TRANSACTION can only be used in transaction "
					       "blocks");
			rc = set_tx_modes(x, v->args, v->n_args, 0);
		} else if (strcmp(v->name, "SESSION CHARACTERISTICS") == 0) {
			rc = set_tx_modes(x, v->args, v->n_args, 1);
		} else {
			rc = dh_err_sql(x->err, "0A000", "SET %s is not supported", v->name);
		}
		return rc ? rc : emit(x, "SET");
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
		if ((rc = dh_sqlset_set(s->set, v->name, NULL, v->is_local, x->err)))
			return rc;
		return emit(x, v->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ? "RESET" : "SET");
	case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
		break;
	default:
		return dh_err_sql(x->err, "0A000", "SET ... FROM CURRENT is not supported");
	}
	int list = dh_sqlset_list_kind(s->set, v->name);
	if (list < 0)
		return dh_err_sql(x->err, "42704", "unrecognized configuration parameter \"%s\"",
				  v->name);
	if (v->n_args > 1 && list == 0)
		return dh_err_sql(x->err, "22023", "SET %s takes only one argument", v->name);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < v->n_args && rc == 0; i++) {
		if (i)
			dh_buf_adds(&b, ", ");
		rc = set_arg_text(x, v->args[i], list == 1, &b);
	}
	const char *value = b.p ? (const char *)b.p : "";
	if (rc == 0) {
		/* transaction_x.y is a placeholder like any dotted name */
		if (strncmp(v->name, "transaction_", 12) == 0 && !strchr(v->name, '.'))
			rc = set_tx_param(x, v->name, value);
		else
			rc = dh_sqlset_set(s->set, v->name, value, v->is_local, x->err);
	}
	if (rc == 0)
		rc = emit(x, "SET");
	dh_buf_release(&b);
	return rc;
}

static int
run_show(struct stmt *x, const PgQuery__VariableShowStmt *v)
{
	struct dh_sql *s = x->s;
	int rc;
	if (strcasecmp(v->name, "all") == 0) {
		static const struct dh_sql_col all_cols[] = {
		    {"name", 25, -1, 0, 0}, {"setting", 25, -1, 0, 0}, {"description", 25, -1, 0, 0}};
		size_t n = 0, cap = 64;
		const char **cells = xcalloc(3 * cap, sizeof(*cells));
		const char *name, *value, *desc;
		while (dh_sqlset_nth(s->set, n, &name, &value, &desc)) {
			if (n == cap) {
				cap *= 2;
				cells = xrealloc(cells, 3 * cap * sizeof(*cells));
			}
			cells[3 * n] = name;
			cells[3 * n + 1] = value;
			cells[3 * n + 2] = desc;
			n++;
		}
		struct dh_sql_result r = {.tag = "SHOW", .ncols = 3, .cols = all_cols,
					  .nrows = n, .cells = cells};
		rc = x->cb ? x->cb(x->ctx, &r) : 0;
		free(cells);
		return rc;
	}
	const char *canon, *cell = dh_sqlset_get(s->set, v->name, &canon);
	if (!cell)
		return dh_err_sql(x->err, "42704", "unrecognized configuration parameter \"%s\"",
				  v->name);
	/* the column is named as PostgreSQL spells the parameter (TimeZone) */
	struct dh_sql_col col = {.name = canon, .type_oid = 25, .typmod = -1};
	struct dh_sql_result r = {.tag = "SHOW", .ncols = 1, .cols = &col, .nrows = 1,
				  .cells = &cell};
	return x->cb ? x->cb(x->ctx, &r) : 0;
}

/* The command a statement that writes is (as PostgreSQL's message names
 * it), or NULL for one a read-only transaction may run. */
static const char *
write_command(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		return "INSERT";
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		return "UPDATE";
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		return "DELETE";
	case PG_QUERY__NODE__NODE_MERGE_STMT:
		return "MERGE";
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		return "TRUNCATE TABLE";
	case PG_QUERY__NODE__NODE_COPY_STMT:
		return n->copy_stmt->is_from ? "COPY FROM" : NULL;
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		/* a temporary table is the session's own */
		return n->create_stmt->relation && n->create_stmt->relation->relpersistence &&
			       strcmp(n->create_stmt->relation->relpersistence, "t") == 0
			   ? NULL
			   : "CREATE TABLE";
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__IntoClause *in = n->create_table_as_stmt->into;
		return in && in->rel && in->rel->relpersistence &&
			       strcmp(in->rel->relpersistence, "t") == 0
			   ? NULL
			   : "CREATE TABLE AS";
	}
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		return "CREATE SEQUENCE";
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		return "ALTER SEQUENCE";
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		return "ALTER TABLE";
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		return "ALTER TABLE";
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return "CREATE INDEX";
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		return "CREATE VIEW";
	case PG_QUERY__NODE__NODE_COMMENT_STMT:
		return "COMMENT";
	case PG_QUERY__NODE__NODE_DROP_STMT:
		switch (n->drop_stmt->remove_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
			return "DROP SEQUENCE";
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
			return "DROP VIEW";
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
			return "DROP INDEX";
		default:
			return "DROP TABLE";
		}
	default:
		return NULL;
	}
}

/* CREATE DATABASE / DROP DATABASE, through the program's hooks. */
static int
run_database(struct stmt *x, const PgQuery__Node *n)
{
	struct dh_sql *s = x->s;
	int create = n->node_case == PG_QUERY__NODE__NODE_CREATEDB_STMT;
	const char *what = create ? "CREATE DATABASE" : "DROP DATABASE";
	if (!s->dbh)
		return dh_err_sql(x->err, "0A000",
				  "%s is not allowed here: dh-serve --allow-create-database allows "
				  "it, dh-admin does it",
				  what);
	if (s->in_block || s->implicit)
		return dh_err_sql(x->err, "25001", "%s cannot run inside a transaction block",
				  what);
	if (!create) {
		const PgQuery__DropdbStmt *d = n->dropdb_stmt;
		if (d->n_options)
			return dh_err_sql(x->err, "0A000", "DROP DATABASE ... WITH (%s) is not supported",
					  d->options[0]->def_elem->defname);
		int rc = s->dbh->drop(s->dbctx, d->dbname, 0, x->err);
		if (rc && d->missing_ok && x->err && strcmp(x->err->sqlstate, "3D000") == 0) {
			dh_err_clear(x->err);
			dh__sql_notice(s, "NOTICE", "00000", NULL,
				       "database \"%s\" does not exist, skipping", d->dbname);
			rc = 0;
		}
		return rc ? rc : emit(x, what);
	}
	const PgQuery__CreatedbStmt *c = n->createdb_stmt;
	for (size_t i = 0; i < c->n_options; i++) {
		const PgQuery__DefElem *o = c->options[i]->def_elem;
		const char *v = o->arg ? dh__sqlc_str(o->arg) : NULL;
		/* the owner is the one role; the templates are empty and UTF8 is
		 * the store's encoding: anything else would be ignored silently */
		if (strcmp(o->defname, "owner") == 0 ||
		    (strcmp(o->defname, "template") == 0 && v &&
		     (strcmp(v, "template0") == 0 || strcmp(v, "template1") == 0)) ||
		    (strcmp(o->defname, "encoding") == 0 && v &&
		     (strcasecmp(v, "UTF8") == 0 || strcasecmp(v, "UTF-8") == 0)))
			continue;
		return dh_err_sql(x->err, "0A000", "CREATE DATABASE ... %s is not supported",
				  o->defname);
	}
	int rc = s->dbh->create(s->dbctx, c->dbname, x->err);
	return rc ? rc : emit(x, what);
}

/* DEALLOCATE: the statements are the program's (dh_sql_set_deallocate). */
static int
run_deallocate(struct stmt *x, const PgQuery__DeallocateStmt *d)
{
	struct dh_sql *s = x->s;
	const char *name = d->name && *d->name ? d->name : NULL;
	int rc = 0;
	if (s->deallocate)
		rc = s->deallocate(s->deallocate_ctx, name, x->err);
	else if (name)
		rc = dh_err_sql(x->err, "26000", "prepared statement \"%s\" does not exist", name);
	if (rc)
		return rc;
	return emit(x, name ? "DEALLOCATE" : "DEALLOCATE ALL");
}

/* May n run in an aborted block (COMMIT, ROLLBACK, ROLLBACK TO)? */
static int
ends_block(const PgQuery__Node *n)
{
	if (n->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT)
		return 0;
	PgQuery__TransactionStmtKind k = n->transaction_stmt->kind;
	return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO;
}

static int
run_stmt(struct stmt *x, const PgQuery__Node *n)
{
	struct dh_sql *s = x->s;
	if (s->cancel && *s->cancel)
		return dh_err_canceled(x->err, *s->cancel);
	if (s->failed && !ends_block(n))
		return dh_err_sql(x->err, "25P02",
				  "current transaction is aborted, commands ignored until end "
				  "of transaction block");
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		return run_transaction(x, n->transaction_stmt);
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		return run_set(x, n->variable_set_stmt);
	case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
		return run_show(x, n->variable_show_stmt);
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
		return run_database(x, n);
	case PG_QUERY__NODE__NODE_LISTEN_STMT: {
		int rc = note_add(s, 'L', n->listen_stmt->conditionname, NULL, x->err);
		return rc ? rc : emit(x, "LISTEN");
	}
	case PG_QUERY__NODE__NODE_UNLISTEN_STMT: {
		const char *ch = n->unlisten_stmt->conditionname;
		int rc = note_add(s, 'U', ch && *ch ? ch : NULL, NULL, x->err);
		return rc ? rc : emit(x, "UNLISTEN");
	}
	case PG_QUERY__NODE__NODE_NOTIFY_STMT: {
		int rc = note_add(s, 'N', n->notify_stmt->conditionname, n->notify_stmt->payload,
				  x->err);
		return rc ? rc : emit(x, "NOTIFY");
	}
	case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
		return run_deallocate(x, n->deallocate_stmt);
	default: {
		const char *cmd, *ro = dh_sqlset_get(s->set, "transaction_read_only", NULL);
		if (ro && strcmp(ro, "on") == 0 && (cmd = write_command(n)))
			return dh_err_sql(x->err, "25006",
					  "cannot execute %s in a read-only transaction", cmd);
		struct dh_arena a;
		dh_arena_init(&a);
		/* the transaction's snapshot is taken: its characteristics are fixed */
		s->queried = 1;
		struct dh__sqlrun r = {.s = s,
				       .text = x->text,
				       .location = x->location,
				       .len = x->len,
				       .cb = x->cb,
				       .ctx = x->ctx,
				       .err = x->err,
				       .a = &a};
		int rc = dh__sqlc_stmt(&r, n);
		if (s->snap && !s->in_block) {
			dh_snapshot_close(s->snap);
			s->snap = NULL;
		}
		dh_arena_release(&a);
		if (rc && s->temp)
			dh__sqltemp_unname(s, x->err);
		if (rc == 1)
			return err_at(x, x->location,
				      dh_err_sql(x->err, "0A000", "%s is not supported yet",
						 node_name(n)));
		return rc;
	}
	}
}

/* --- services for the statement compiler (sql-int.h) --- */

static int
as_of_set(struct dh_sql *s, const char **as_of, const char **since, int *history)
{
	const char *v;
	uint64_t gen = dh_sqlset_gen(s->set);
	if (s->tp_gen != gen) {
		/* a statement asks several times: read the six settings once per
		 * change of any setting (the strings live as long as that) */
		s->tp_gen = gen;
		s->tp_as_of = s->tp_since = NULL;
		s->tp_history = 0;
		if ((v = dh_sql_setting(s, "dh.as_of")) && *v)
			s->tp_as_of = v;
		else if ((v = dh_sql_setting(s, "datahike.as_of")) && *v)
			s->tp_as_of = v;
		if ((v = dh_sql_setting(s, "dh.since")) && *v)
			s->tp_since = v;
		else if ((v = dh_sql_setting(s, "datahike.since")) && *v)
			s->tp_since = v;
		if (((v = dh_sql_setting(s, "dh.history")) &&
		     (strcasecmp(v, "on") == 0 || strcasecmp(v, "true") == 0)) ||
		    ((v = dh_sql_setting(s, "datahike.history")) &&
		     (strcasecmp(v, "on") == 0 || strcasecmp(v, "true") == 0)))
			s->tp_history = 1;
	}
	*as_of = s->tp_as_of;
	*since = s->tp_since;
	*history = s->tp_history;
	return *as_of || *since || *history;
}

int
dh__sql_view(struct dh_sql *s, struct dh_view **v, const struct dh_schema **sc, struct dh_err *err)
{
	int rc;
	if (s->w) {
		*v = dh_wtx_view(s->w);
		return dh_wtx_schema(s->w, sc, err);
	}
	if (!s->snap) {
		struct dh_view_spec spec = {DH_VIEW_CURRENT, NULL, NULL};
		const char *as_of, *since;
		int history;
		as_of_set(s, &as_of, &since, &history);
		spec.as_of = as_of;
		if (since) {
			spec.mode = DH_VIEW_SINCE;
			spec.since = since;
		}
		if (history)
			spec.mode = DH_VIEW_HISTORY;
		if ((rc = dh_snapshot_open(s->conn, &spec, &s->snap, err)))
			return rc;
		s->snap_past = as_of || since || history;
		if (s->in_block && !s->read_basis && !as_of && !since && !history)
			s->read_basis = dh_snapshot_view(s->snap)->basis;
	}
	*v = dh_snapshot_view(s->snap);
	*sc = dh_snapshot_schema(s->snap);
	return 0;
}

int
dh__sql_table(struct dh_sql *s, struct dh_view *v, const struct dh_schema *sc, const char *name,
	      struct dh_arena *a, struct dh_sqltable **out, struct dh_err *err)
{
	struct catcache *c = &s->cat;
	int present = s->w ? v == dh_wtx_view(s->w)
			   : s->snap && !s->snap_past && v == dh_snapshot_view(s->snap);
	if (!present)
		return dh__sqlcat_table(v, sc, name, a, out, err);
	if (c->sc != sc || c->gen != sc->gen || c->n == sizeof(c->e) / sizeof(c->e[0])) {
		c->retired = xrealloc(c->retired, (c->nretired + 1) * sizeof(*c->retired));
		c->retired[c->nretired++] = c->a;
		dh_arena_init(&c->a);
		c->sc = sc;
		c->gen = sc->gen;
		c->n = 0;
	}
	struct dh_sqltable *t = NULL;
	for (size_t i = 0; i < c->n && !t; i++)
		if (strcmp(c->e[i].name, name) == 0)
			t = c->e[i].t;
	if (!t) {
		int rc = dh__sqlcat_table(v, sc, name, &c->a, &t, err);
		if (rc)
			return rc;
		c->e[c->n++] = (struct catent){dh_arena_strdup(&c->a, name), t};
	}
	*out = dh_arena_alloc(a, sizeof(**out));
	**out = *t;
	return 0;
}

int
dh__sql_wtx(struct dh_sql *s, struct dh_wtx **w, struct dh_err *err)
{
	const char *as_of, *since;
	int history, rc;
	if (as_of_set(s, &as_of, &since, &history))
		return dh_err_sql(err, "25006",
				  "cannot write while dh.as_of, dh.since or dh.history is set: a "
				  "past state is read only");
	/* a Parse compiles a write in a read-only transaction (nothing is
	 * written; describe gives the transaction back): PostgreSQL refuses
	 * it when it runs */
	const char *ro = dh_sqlset_get(s->set, "transaction_read_only", NULL);
	if (!s->w && ro && strcmp(ro, "on") == 0 && !s->describing)
		return dh_err_sql(err, "25006", "cannot write in a read-only transaction");
	if (!s->w && s->describing) {
		/* a Parse compiles against the current state and gives the
		 * transaction back: it must not wait for (or hold up) writers,
		 * as PostgreSQL's Parse takes no lock a writer holds */
		if ((rc = dh_wtx_begin_flags(s->conn, DH_WTX_READONLY, &s->w, err)))
			return rc;
		*w = s->w;
		return 0;
	}
	if (!s->w) {
		/* a statement's snapshot stays open until the statement ends: a
		 * SELECT calling nextval() still reads through it */
		if ((rc = dh_wtx_begin_flags(s->conn, s->may_join && !s->in_block ? DH_WTX_SHORT : 0,
					     &s->w, err)))
			return rc;
		/* serializable: a block that read a state others have since
		 * changed must not write on top of what it read */
		if (s->read_basis && dh_wtx_view(s->w)->basis != s->read_basis) {
			dh_wtx_abort(s->w);
			s->w = NULL;
			return dh_err_sql(err, "40001",
					  "could not serialize access due to concurrent update");
		}
		/* the base mark: a rollback returns to it and keeps what
		 * sequences handed out (sqlc-fn.c, dh__sqlsess_rollback) */
		if ((rc = dh_wtx_savepoint(s->w, err))) {
			dh_wtx_abort(s->w);
			s->w = NULL;
			return rc;
		}
		/* savepoints made before the first write start here */
		for (size_t i = 0; i < s->nsp; i++)
			if (!s->sp[i].marked) {
				if ((rc = dh_wtx_savepoint(s->w, err)))
					return rc;
				s->sp[i].marked = 1;
			}
	}
	*w = s->w;
	return 0;
}

int
dh__sql_transact_edn(struct dh_sql *s, const char *edn, struct dh_arena *a, struct dh_err *err)
{
	struct dh_wtx *w;
	int rc = dh__sql_wtx(s, &w, err);
	if (rc)
		return rc;
	struct dh_edn *form;
	size_t used;
	if ((rc = dh_edn_parse(a, edn, strlen(edn), &form, &used, err)))
		return rc;
	struct dh_tx_report rep;
	return dh_wtx_transact(w, form, edn, strlen(edn), a, &rep, err);
}

struct dh__sqlsess **
dh__sql_sess(struct dh_sql *s)
{
	return &s->sess;
}

struct dh__sqlcursor **
dh__sql_cursors(struct dh_sql *s)
{
	return &s->cursors;
}

int
dh__sql_txblock(struct dh_sql *s)
{
	return s->in_block || s->implicit;
}

size_t
dh__sql_level(struct dh_sql *s)
{
	return s->nsp;
}

void
dh_sql_set_deallocate(struct dh_sql *s, int (*fn)(void *ctx, const char *name, struct dh_err *err),
		      void *ctx)
{
	s->deallocate = fn;
	s->deallocate_ctx = ctx;
}

struct dh__sqltemp **
dh__sql_temp(struct dh_sql *s)
{
	return &s->temp;
}

struct dh__condefer **
dh__sql_condefer(struct dh_sql *s)
{
	return &s->condefer;
}

const struct dh_sqlenv *
dh__sql_env(struct dh_sql *s)
{
	uint64_t gen = dh_sqlset_gen(s->set);
	if (s->env_gen != gen) {
		const char *v = dh_sql_setting(s, "extra_float_digits");
		s->env.extra_float_digits = v ? atoi(v) : 1;
		v = dh_sql_setting(s, "bytea_output");
		s->env.bytea_output_escape = v && strcasecmp(v, "escape") == 0;
		s->env_gen = gen;
	}
	s->env.time = dh__sqlsess_time(s);
	return &s->env;
}

const char *
dh__sql_get(struct dh_sql *s, const char *name)
{
	return dh_sql_setting(s, name);
}

uint64_t
dh__sql_setgen(struct dh_sql *s)
{
	return dh_sqlset_gen(s->set);
}

struct dh_conn *
dh__sql_conn(struct dh_sql *s)
{
	return s->conn;
}

volatile sig_atomic_t *
dh__sql_cancel(struct dh_sql *s)
{
	return s->cancel;
}


int
dh__sql_read(struct dh_sql *s,
	     int (*fn)(void *ctx, struct dh_view *v, const struct dh_schema *sc,
		       struct dh_err *err),
	     void *ctx, struct dh_err *err)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	if (s->failed)
		return dh_err_sql(err, "25P02",
				  "current transaction is aborted, commands ignored until end of "
				  "transaction block");
	int rc = dh__sql_view(s, &v, &sc, err);
	if (rc == 0) {
		/* as a query would: a block's snapshot is taken now */
		if (s->in_block)
			s->queried = 1;
		rc = fn(ctx, v, sc, err);
	}
	if (s->snap && !s->in_block) {
		dh_snapshot_close(s->snap);
		s->snap = NULL;
	}
	return rc;
}

/* COPY FROM STDIN waits for the client's data. */
static int
copy_from(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_COPY_STMT && n->copy_stmt->is_from;
}

void
dh_sql_set_sync_ahead(struct dh_sql *s, int on)
{
	s->sync_ahead = on;
}

int
dh_sql_exec(struct dh_sql *s, const char *text, size_t len, dh_sql_cb cb, void *ctx,
	    struct dh_err *err)
{
	/* libpg_query wants a NUL-terminated string */
	char *z = xmalloc(len + 1);
	memcpy(z, text, len);
	z[len] = 0;
	PgQuery__ParseResult *tree = NULL;
	/* PostgreSQL verifies the text's encoding before it parses it (22021):
	 * broken UTF-8 in a name would reach the catalog's keywords */
	struct dh_arena a;
	struct dh_value v;
	struct dh__sqlpos pos = {0};
	struct deliver d = {s, cb, ctx};
	dh_arena_init(&a);
	notices_reset(s);
	int rc = dh_sqltype_in(DH_OID_TEXT, -1, z, strlen(z), &s->env, &a, &v, err);
	if (rc)
		goto fail;
	if (!s->pc)
		s->pc = dh__sqlpc_new();
	if ((rc = dh__sqlpc_parse(s->pc, z, len, &a, &tree, &pos, err)))
		goto fail;
	s->implicit = tree->n_stmts > 1;
	/* a tree of the cache points into the first text of its shape */
	const char *tz = pos.text ? pos.text : z;
	for (size_t i = 0; i < tree->n_stmts && rc == 0; i++) {
		const PgQuery__RawStmt *rs = tree->stmts[i];
		struct stmt x = {s, tz, rs->stmt_location, rs->stmt_len, cb ? deliver : NULL, &d, err};
		s->may_join = !copy_from(rs->stmt);
		rc = run_stmt(&x, rs->stmt);
	}
	s->implicit = 0;
	s->may_join = 0;
	if (rc && err && err->position > 0)
		err->position = dh__sqlpc_fixpos(&pos, z, len, err->position);
	if (rc)
		goto fail;
	/* the implicit transaction of a text outside BEGIN ends with it */
	if (!s->in_block)
		rc = tx_end(s, 1, err);
	goto out;
fail:
	/* an error ends the implicit transaction, or fails the block */
	if (s->in_block)
		s->failed = 1;
	else
		tx_end(s, 0, NULL);
out:
	dh__sqlpos_release(&pos);
	dh_arena_release(&a);
	cat_retired_release(s);
	free(z);
	return rc;
}

/* --- the extended protocol (sql.h) --- */

struct dh_sql_stmt {
	struct dh_arena a;
	char *text; /* NUL-terminated */
	const PgQuery__Node *node; /* NULL: an empty statement */
	int location, len;
	int nparams;
	uint32_t *types;
	int rows; /* it returns rows: RowDescription */
	int ncols;
	struct dh_sql_col *cols;
};

struct dh_sql_params {
	struct dh_arena a;
	int n;
	struct dh_value *v;
};

struct maxparam {
	struct sqlc_walk w;
	int max;
};

static int
max_param_fn(struct sqlc_walk *w, ProtobufCMessage *m)
{
	struct maxparam *mp = (struct maxparam *)w;
	if (m->descriptor == &pg_query__param_ref__descriptor) {
		int k = ((PgQuery__ParamRef *)m)->number;
		if (k > mp->max)
			mp->max = k;
	}
	return 0;
}

static void
cols_copy(struct dh_sql_stmt *p, int n, const struct dh_sql_col *cols)
{
	p->rows = 1;
	p->ncols = n;
	p->cols = dh_arena_alloc(&p->a, (size_t)(n ? n : 1) * sizeof(*p->cols));
	for (int i = 0; i < n; i++) {
		p->cols[i] = cols[i];
		p->cols[i].name = dh_arena_strdup(&p->a, cols[i].name);
	}
}

/* Compile p without running it (dh__sqlc_stmt's describe mode): its
 * parameters' types and its result columns. */
static int
describe(struct dh_sql *s, struct dh_sql_stmt *p, struct dh_err *err)
{
	const PgQuery__Node *n = p->node;
	int rows = 1;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_SELECT_STMT: {
		/* SELECT INTO makes a table: a command without rows */
		const PgQuery__SelectStmt *st = n->select_stmt;
		while (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE && st->larg)
			st = st->larg;
		if (st->into_clause)
			return 0;
		break;
	}
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
	case PG_QUERY__NODE__NODE_FETCH_STMT:
		break;
	case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
		/* its query: the parameters' types; no rows */
		rows = 0;
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT: {
		static const struct dh_sql_col all[] = {
		    {"name", 25, -1, 0, 0}, {"setting", 25, -1, 0, 0}, {"description", 25, -1, 0, 0}};
		const char *canon, *name = n->variable_show_stmt->name;
		if (strcasecmp(name, "all") == 0) {
			cols_copy(p, 3, all);
			return 0;
		}
		if (!dh_sqlset_get(s->set, name, &canon))
			return dh_err_sql(err, "42704",
					  "unrecognized configuration parameter \"%s\"", name);
		struct dh_sql_col c = {.name = canon, .type_oid = 25, .typmod = -1};
		cols_copy(p, 1, &c);
		return 0;
	}
	default:
		return 0; /* other commands return no rows */
	}
	if (s->failed)
		return dh_err_sql(err, "25P02",
				  "current transaction is aborted, commands ignored until end of "
				  "transaction block");
	struct dh_arena a;
	dh_arena_init(&a);
	struct dh_wtx *w0 = s->w;
	struct dh__sqlrun r = {
	    .s = s, .text = p->text, .location = p->location, .len = p->len, .err = err, .a = &a};
	r.describe = 1;
	s->env.param_types = p->types;
	s->env.nparams = p->nparams;
	s->env.params = NULL;
	s->describing = 1;
	int rc = dh__sqlc_stmt(&r, n);
	s->describing = 0;
	if (rc == DH__SQLC_DESCRIBED) {
		rc = 0;
		if (rows && (r.ndcols > 0 || n->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ||
			     (n->node_case == PG_QUERY__NODE__NODE_FETCH_STMT &&
			      !n->fetch_stmt->ismove && r.dcols)))
			cols_copy(p, r.ndcols, r.dcols);
	} else if (rc == 0) {
		rc = dh_err_set(err, DH_EINTERNAL, "a statement ran while it was described");
	} else if (rc == 1) {
		rc = dh_err_sql(err, "0A000", "%s is not supported yet", node_name(n));
	}
	s->env.param_types = NULL;
	s->env.nparams = 0;
	s->describing = 0;
	if (!w0 && s->w) {
		/* a write statement took the write transaction to compile
		 * against its own writes: nothing was written, give it back */
		dh_wtx_abort(s->w);
		s->w = NULL;
		for (size_t i = 0; i < s->nsp; i++)
			s->sp[i].marked = 0;
	}
	if (s->snap && !s->in_block) {
		dh_snapshot_close(s->snap);
		s->snap = NULL;
	}
	dh_arena_release(&a);
	if (rc && s->temp)
		dh__sqltemp_unname(s, err);
	cat_retired_release(s);
	return rc;
}

void
dh_sql_stmt_free(struct dh_sql_stmt *p)
{
	if (!p)
		return;
	dh_arena_release(&p->a);
	free(p);
}

int
dh_sql_prepare(struct dh_sql *s, const char *text, size_t len, const uint32_t *types, int ntypes,
	       struct dh_sql_stmt **out, struct dh_err *err)
{
	struct dh_sql_stmt *p = xcalloc(1, sizeof(*p));
	dh_arena_init(&p->a);
	notices_reset(s);
	p->text = dh_arena_strndup(&p->a, text, len);
	*out = NULL;
	struct dh_value v;
	PgQuery__ParseResult *tree;
	struct dh__sqlpos pos;
	int rc = dh_sqltype_in(DH_OID_TEXT, -1, p->text, len, &s->env, &p->a, &v, err);
	if (rc == 0 && (rc = dh__sqlpc_parse(NULL, p->text, len, &p->a, &tree, &pos, err)) == 0) {
		dh__sqlpos_release(&pos);
		if (tree->n_stmts > 1)
			rc = dh_err_sql(err, "42601",
					"cannot insert multiple commands into a prepared statement");
		else if (tree->n_stmts == 1) {
			p->node = tree->stmts[0]->stmt;
			p->location = tree->stmts[0]->stmt_location;
			p->len = tree->stmts[0]->stmt_len;
		}
	}
	/* PostgreSQL's exec_parse_message: an aborted block parses only what
	 * ends it */
	if (rc == 0 && s->failed && p->node && !ends_block(p->node))
		rc = dh_err_sql(err, "25P02",
				"current transaction is aborted, commands ignored until end of "
				"transaction block");
	if (rc)
		goto fail;
	/* $n beyond the types given are parameters too */
	struct maxparam mp = {{max_param_fn, 0, NULL}, ntypes};
	if (p->node)
		dh__sqlc_walk(&mp.w, (ProtobufCMessage *)p->node);
	if (mp.max > 65535) {
		rc = dh_err_sql(err, "54000", "too many parameters: %d", mp.max);
		goto fail;
	}
	p->nparams = mp.max;
	p->types = dh_arena_zalloc(&p->a, (size_t)(p->nparams + 1) * sizeof(*p->types));
	for (int i = 0; i < ntypes; i++) {
		uint32_t t = types[i];
		if (t == DH_OID_UNKNOWN)
			t = 0; /* as PostgreSQL: unknown is "infer" */
		if (t && !dh_sqltype_by_oid(t)) {
			rc = dh_err_sql(err, "0A000", "parameter $%d: type OID %u is not supported",
					i + 1, t);
			goto fail;
		}
		p->types[i] = t;
	}
	if (p->node) {
		rc = describe(s, p, err);
		notices_reset(s); /* the statement raises its notices when it runs */
		if (rc)
			goto fail;
	}
	for (int i = 0; i < p->nparams; i++)
		if (!p->types[i]) {
			rc = dh_err_sql(err, "42P18", "could not determine data type of parameter $%d",
					i + 1);
			goto fail;
		}
	*out = p;
	return 0;
fail:
	/* as an Execute's error: it fails the block, or ends the implicit
	 * transaction (the protocol skips to Sync) */
	if (s->in_block)
		s->failed = 1;
	else
		tx_end(s, 0, NULL);
	dh_sql_stmt_free(p);
	return rc;
}

int
dh_sql_stmt_params(const struct dh_sql_stmt *p, const uint32_t **types)
{
	*types = p->types;
	return p->nparams;
}

int
dh_sql_stmt_columns(const struct dh_sql_stmt *p, const struct dh_sql_col **cols, int *ncols)
{
	*cols = p->cols;
	*ncols = p->ncols;
	return p->rows;
}

void
dh_sql_params_free(struct dh_sql_params *v)
{
	if (!v)
		return;
	dh_arena_release(&v->a);
	free(v);
}

int
dh_sql_bind(struct dh_sql *s, const struct dh_sql_stmt *p, int n, const char *const *data,
	    const int32_t *lens, const int16_t *formats, struct dh_sql_params **out,
	    struct dh_err *err)
{
	*out = NULL;
	if (n != p->nparams)
		return dh_err_sql(err, "08P01",
				  "bind message supplies %d parameters, but prepared statement "
				  "requires %d",
				  n, p->nparams);
	struct dh_sql_params *v = xcalloc(1, sizeof(*v));
	dh_arena_init(&v->a);
	v->n = n;
	v->v = dh_arena_zalloc(&v->a, (size_t)(n ? n : 1) * sizeof(*v->v));
	int rc = 0;
	const struct dh_sqlenv *env = dh__sql_env(s);
	for (int i = 0; i < n && rc == 0; i++) {
		if (lens[i] < 0) {
			v->v[i].type = DH_T_NONE;
			continue;
		}
		if (formats[i] == 0) {
			rc = dh_sqltype_in(p->types[i], -1, data[i], (size_t)lens[i], env, &v->a,
					   &v->v[i], err);
		} else if (formats[i] == 1) {
			rc = dh_sqltype_recv(p->types[i], -1, (const unsigned char *)data[i],
					     (size_t)lens[i], &v->a, &v->v[i], err);
			/* bytes left over: PostgreSQL names the parameter (too
			 * few are the receive function's own 08P01) */
			if (rc && strcmp(err->sqlstate, "22P03") == 0)
				rc = dh_err_sql(err, "22P03",
						"incorrect binary data format in bind parameter %d",
						i + 1);
		} else {
			rc = dh_err_sql(err, "08P01", "unsupported format code: %d", formats[i]);
		}
	}
	if (rc) {
		dh_sql_params_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

int
dh_sql_execute(struct dh_sql *s, const struct dh_sql_stmt *p, const struct dh_sql_params *params,
	       dh_sql_cb cb, void *ctx, struct dh_err *err)
{
	notices_reset(s);
	if (!p->node) {
		struct dh_sql_result r = {0};
		return cb ? cb(ctx, &r) : 0;
	}
	s->env.param_types = p->types;
	s->env.nparams = p->nparams;
	s->env.params = params ? params->v : NULL;
	struct deliver d = {s, cb, ctx};
	struct stmt x = {s, p->text, p->location, p->len, cb ? deliver : NULL, &d, err};
	s->may_join = s->sync_ahead && !copy_from(p->node);
	int rc = run_stmt(&x, p->node);
	s->may_join = 0;
	s->env.param_types = NULL;
	s->env.nparams = 0;
	s->env.params = NULL;
	if (rc) {
		/* an error fails the block, or ends the implicit transaction
		 * (the protocol skips to Sync) */
		if (s->in_block)
			s->failed = 1;
		else
			tx_end(s, 0, NULL);
	}
	cat_retired_release(s);
	return rc;
}

void
dh_sql_abort(struct dh_sql *s)
{
	if (s->in_block)
		s->failed = 1;
	else
		tx_end(s, 0, NULL);
	cat_retired_release(s);
}

int
dh_sql_sync(struct dh_sql *s, struct dh_err *err)
{
	int rc = 0;
	notices_reset(s);
	if (!s->in_block)
		rc = tx_end(s, 1, err);
	cat_retired_release(s);
	return rc;
}
