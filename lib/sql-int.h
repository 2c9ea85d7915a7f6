/*
 * sql-int: what the SQL statement compiler shares with the session.
 *
 *   sql.c      sessions: parsing, transaction state, settings, dispatch
 *   sqlcat.c   the catalog: tables and columns read from the schema and the
 *              :dh.sql metadata on attribute entities
 *   sqlc.c     statements: DDL, DML, SELECT (compiled into qexec blocks
 *              plus the nodes above them), results
 *
 * A statement runs with a struct dh__sqlrun: the session, the text, the
 * result callback and an arena that lives until the statement ends.
 */
#ifndef DH_SQL_INT_H
#define DH_SQL_INT_H

#include <signal.h>

#include <pg_query/pg_query.pb-c.h>

#include "dh.h"
#include "sql.h"
#include "sqlexpr.h"
#include "sqltype.h"

struct dh__sqlrun {
	struct dh_sql *s;
	const char *text; /* the whole text, NUL-terminated */
	int location;     /* byte offset of the statement in text */
	int len;          /* its length (0: to the end) */
	dh_sql_cb cb;
	void *ctx;
	struct dh_err *err;
	struct dh_arena *a; /* freed when the statement ends */
	/* a statement whose WITH modifies data: its sub-statements' writes
	 * wait here until it ends (sqlc-dml.c) */
	struct sqlc_defer *defer;
	/* Describe (the extended protocol's Parse): compile, run nothing, and
	 * at the point where a statement would start running hand back its
	 * result columns with dh__sqlc_described */
	int describe;
	int ndcols;
	const struct dh_sql_col *dcols;
};
/* dh__sqlc_stmt's answer in describe mode: compiled, columns in r. */
#define DH__SQLC_DESCRIBED 2

/* --- the parse cache (sqlparse.c) --- */

/* The cache of statement shapes of a session. */
struct dh__sqlpc;
struct dh__sqlpc *dh__sqlpc_new(void);
void dh__sqlpc_free(struct dh__sqlpc *c);
/* Where a tree from the cache points: its locations are in text (the
 * first text of its shape), whose tokens from[i] are the parsed text's
 * to[i].  text is NULL for a tree parsed from the text itself. */
struct dh__sqltok;
struct dh__sqlpos {
	const char *text;
	size_t textlen, ntok;
	const struct dh__sqltok *from;
	struct dh__sqltok *to;
	struct dh__sqlshape *held; /* the cache's kept tree this statement holds */
};
/* Parse z (len bytes, NUL-terminated) into *tree, in arena a, through
 * cache c (NULL: parse).  42601 with the position for a syntax error.
 * Release *pos after the statement. */
int dh__sqlpc_parse(struct dh__sqlpc *c, const char *z, size_t len, struct dh_arena *a,
		    PgQuery__ParseResult **tree, struct dh__sqlpos *pos, struct dh_err *err);
/* A character position (from 1) in pos->text as the same place in z. */
int dh__sqlpc_fixpos(const struct dh__sqlpos *pos, const char *z, size_t len, int charpos);
void dh__sqlpos_release(struct dh__sqlpos *pos);

/* --- session services (sql.c) --- */

struct dh_sqltable;

/* The view a statement reads and its schema: the write transaction's (its
 * own writes) if one is open, else a snapshot taken for this statement
 * with dh.as_of / dh.since / dh.history applied.  Errors: as
 * dh_snapshot_open, 22023 for a bad dh.as_of. */
int dh__sql_view(struct dh_sql *s, struct dh_view **v, const struct dh_schema **sc,
		 struct dh_err *err);
/* Table name as dh__sqlcat_table reads it from (v, sc), dh__sql_view's,
 * through the session's cache of the catalog: kept while the schema state
 * (sc->gen: a catalog write changes the schema) is the same and the view
 * is the branch's present (not dh.as_of, since or history).  *out is a
 * copy in a whose arrays the cache owns: read only, valid until the
 * statement ends. */
int dh__sql_table(struct dh_sql *s, struct dh_view *v, const struct dh_schema *sc,
		  const char *name, struct dh_arena *a, struct dh_sqltable **out,
		  struct dh_err *err);
/* The session's write transaction, begun on first use.  25006 while
 * dh.as_of (or since/history) is set: a past state is read only. */
int dh__sql_wtx(struct dh_sql *s, struct dh_wtx **w, struct dh_err *err);
/* Run tx-data (EDN text) in the write transaction: DDL's schema writes. */
int dh__sql_transact_edn(struct dh_sql *s, const char *edn, struct dh_arena *a,
			 struct dh_err *err);
const struct dh_sqlenv *dh__sql_env(struct dh_sql *s);
const char *dh__sql_get(struct dh_sql *s, const char *name);
/* Changes whenever any setting's value may have changed (dh_sqlset_gen):
 * what was read from the settings before is still good while it stays. */
uint64_t dh__sql_setgen(struct dh_sql *s);
struct dh_conn *dh__sql_conn(struct dh_sql *s);
volatile sig_atomic_t *dh__sql_cancel(struct dh_sql *s);
/* pg_notify(channel, payload): queued for the commit (sql.h's hub);
 * 0A000 without a hub, 22023 for an empty channel or a payload too long.
 * The session's pg_backend_pid(). */
int dh__sql_notify(struct dh_sql *s, const char *channel, const char *payload,
		   struct dh_err *err);
int32_t dh__sql_backend_pid(struct dh_sql *s);
/* Does the session want a SELECT's columns before its rows (sql.h)? */
int dh__sql_headers(struct dh_sql *s);
/* The COPY hooks dh_sql_set_copy gave (NULL: none) and their ctx. */
const struct dh_sql_copy *dh__sql_copy(struct dh_sql *s, void **ctx);
/* Read the catalog from outside any statement (dh-query's describe
 * commands): fn gets the view a statement would read now (dh__sql_view's);
 * what it borrows from v and sc is gone when it returns.  25P02 in a
 * failed transaction block, else fn's result. */
int dh__sql_read(struct dh_sql *s,
		 int (*fn)(void *ctx, struct dh_view *v, const struct dh_schema *sc,
			   struct dh_err *err),
		 void *ctx, struct dh_err *err);

/* The session's state kept by the statement compiler (sqlc-fn.c):
 * sequences' currval and this transaction's advances, the transaction's
 * instant.  sql.c owns the slot and calls the hooks below. */
struct dh__sqlsess;
struct dh__sqlsess **dh__sql_sess(struct dh_sql *s);
void dh__sqlsess_free(struct dh__sqlsess *ss);
/* The session's DateStyle, IntervalStyle, TimeZone and transaction
 * instant as sqltime wants them (struct dh_sqlenv's time); valid until
 * the next call. */
const struct dh_sqltime_settings *dh__sqlsess_time(struct dh_sql *s);
/* The transaction ended (commit or rollback done). */
void dh__sqlsess_txend(struct dh_sql *s);
/* Roll back: whole (the transaction: w is consumed, committed with just
 * the sequences' states if any advanced, else aborted) or after w
 * rolled back to a savepoint (the states are written again in w). */
int dh__sqlsess_rollback(struct dh_sql *s, struct dh_wtx *w, int whole, struct dh_err *err);

/* The transaction's deferred constraints (sqlc-con.c); sql.c owns the
 * slot.  _commit checks the pending ones (before the write transaction
 * commits: an error fails the COMMIT), _txend forgets them and SET
 * CONSTRAINTS' modes. */
struct dh__condefer;
struct dh__condefer **dh__sql_condefer(struct dh_sql *s);
int dh__sqlcon_commit(struct dh_sql *s, struct dh_err *err);
void dh__sqlcon_txend(struct dh_sql *s);
void dh__sqlcon_defer_free(struct dh__condefer *d);

/* The session's temporary tables (sqlc-temp.c); sql.c owns the slot.
 * _commit runs ON COMMIT DROP / DELETE ROWS in the write transaction
 * (an error fails the COMMIT), _txend forgets the ON COMMIT DROP ones,
 * _drop_all drops every temporary table of the session in its
 * transaction (at its end), _unname takes the session's prefix out of an
 * error's texts. */
struct dh__sqltemp;
struct dh__sqltemp **dh__sql_temp(struct dh_sql *s);
int dh__sqltemp_commit(struct dh_sql *s, struct dh_err *err);
void dh__sqltemp_txend(struct dh_sql *s);
int dh__sqltemp_drop_all(struct dh_sql *s, struct dh_err *err);
void dh__sqltemp_unname(struct dh_sql *s, struct dh_err *err);
/* The same for one text (changed in place). */
void dh__sqltemp_unname_str(struct dh_sql *s, char *text);
void dh__sqltemp_free(struct dh__sqltemp *tp);

/* The session's SQL cursors (sqlcursor.c); sql.c owns the slot.
 * _declare, _fetch (FETCH and MOVE) and _close run the statements
 * (dh__sqlc_stmt dispatches them; in describe mode a FETCH describes the
 * cursor's columns, a DECLARE its query); _txend drops the cursors the
 * transaction's end ends (commit: all but WITH HOLD; rollback: also the
 * held ones it declared); _savepoint_end moves those declared above level
 * savepoints down to it (release) or drops them (rollback to the
 * savepoint at index level); _free_all drops every one. */
struct dh__sqlcursor;
struct dh__sqlcursor **dh__sql_cursors(struct dh_sql *s);
/* In a transaction block, or the implicit block of several statements
 * in one text (PostgreSQL's IsTransactionBlock). */
int dh__sql_txblock(struct dh_sql *s);
/* The number of savepoints open. */
size_t dh__sql_level(struct dh_sql *s);
int dh__sqlcur_declare(struct dh__sqlrun *r, const PgQuery__DeclareCursorStmt *d);
int dh__sqlcur_fetch(struct dh__sqlrun *r, const PgQuery__FetchStmt *f);
int dh__sqlcur_close(struct dh__sqlrun *r, const PgQuery__ClosePortalStmt *c);
void dh__sqlcur_txend(struct dh_sql *s, int commit);
void dh__sqlcur_savepoint_end(struct dh_sql *s, size_t level, int rollback);
void dh__sqlcur_free_all(struct dh_sql *s);

/* A NOTICE or WARNING (sql.h's struct dh_sql_notice) for the running
 * statement, if client_min_messages lets it through: it goes out with
 * the statement's next result, or before its error.  detail may be NULL.
 * The session's temporary-table prefix is taken out of the texts.  While
 * dh__sql_quiet holds (the session's own DROPs of temporary tables, as
 * PostgreSQL's PERFORM_DELETION_QUIETLY) nothing is raised. */
void dh__sql_notice(struct dh_sql *s, const char *severity, const char *sqlstate,
		    const char *detail, const char *fmt, ...) DH_PRINTF(5, 6);
/* on: 1 to begin a quiet stretch, 0 to end it (they nest). */
void dh__sql_quiet(struct dh_sql *s, int on);

/* Error helpers: set err->position from a node location (byte offset in
 * the text, -1 for none). */
int dh__sql_at(struct dh__sqlrun *r, int location, int rc);

/* --- the catalog (sqlcat.c) --- */

struct dh_sqlcol {
	const char *name;
	uint64_t attr;      /* the attribute's id */
	const char *ident;  /* "widget/sku" */
	uint32_t type;      /* pg_type OID */
	int32_t typmod;
	int notnull;
	const char *dflt;   /* DEFAULT expression text, or NULL */
	int ordinal;        /* 1-based position */
	enum dh_type rep;   /* the attribute's value type */
	int many;           /* cardinality many (Datalog-made): an array */
	char identity;      /* GENERATED 'a'lways / by 'd'efault AS IDENTITY, or 0 */
	uint64_t seq;       /* the sequence the column owns (serial, identity), or 0 */
};

/* A constraint (pg_constraint's contype): 'p' primary key, 'u' unique, 'c'
 * check, 'f' foreign key.  Stored as a constraint entity (:dh.sql/constraint
 * name, :dh.sql/on the table entity, :dh.sql/kind, :dh.sql/columns the key's
 * attribute ids in order, ...), so names and keys survive renames. */
struct dh_sqlcon {
	const char *name;
	uint64_t eid;
	char kind;
	const char *table;  /* the table it is on (for refby: the referencing one) */
	uint64_t table_eid;
	int ncols;
	int *cols;          /* own constraints: column indexes in key order */
	uint64_t *attrs;    /* the key's attributes, in order */
	const char *expr;   /* CHECK: the expression's SQL text */
	/* FOREIGN KEY */
	const char *reftable;
	uint64_t reftable_eid;
	uint64_t *refattrs; /* the referenced columns' attributes (ncols) */
	char ondelete, onupdate; /* 'a' no action, 'r' restrict, 'c' cascade,
				  * 'n' set null, 'd' set default */
	char deferrable;         /* 0, 'i' DEFERRABLE INITIALLY IMMEDIATE, 'd'
				  * INITIALLY DEFERRED */
};

/* An index made by CREATE INDEX (a UNIQUE one enforces its key); the
 * indexes of PRIMARY KEY and UNIQUE constraints are the constraints. */
struct dh_sqlindex {
	const char *name;
	uint64_t eid;
	int unique;
	int ncols;
	int *cols;          /* column indexes; -1 for an expression */
	const char *keys;   /* the key list's SQL text: "email", "lower(b)", "a, b DESC" */
};

struct dh_sqltable {
	const char *name;
	uint64_t eid;      /* the :dh.sql/table entity; 0 for a Datalog namespace */
	uint64_t marker;   /* the row-marker attribute (:T/db-row), 0 if none */
	int ncols;
	struct dh_sqlcol *cols;
	int npk;
	int *pk;           /* column indexes of the primary key */
	const char *pkname; /* "widget_pkey" */
	int ncons;
	struct dh_sqlcon *cons;  /* every constraint on the table, by name */
	int nrefby;
	struct dh_sqlcon *refby; /* foreign keys of any table referencing this one */
	int nidx;
	struct dh_sqlindex *idx; /* CREATE INDEX indexes, by name */
};

/* Table name (case-sensitive, as folded by the parser) in schema sc; NULL
 * with 42P01 if none.  Memory in a. */
int dh__sqlcat_table(struct dh_view *v, const struct dh_schema *sc, const char *name,
		     struct dh_arena *a, struct dh_sqltable **out, struct dh_err *err);
/* Every table, sorted by name. */
int dh__sqlcat_tables(struct dh_view *v, const struct dh_schema *sc, struct dh_arena *a,
		      struct dh_sqltable ***out, int *n, struct dh_err *err);
/* A SQL name as a keyword part (a table's namespace, a column's
 * attribute name): bytes a keyword cannot hold become $XX; _unkw reads
 * one back (n bytes).  Memory in a. */
const char *dh__sqlcat_kw(struct dh_arena *a, const char *name);
const char *dh__sqlcat_unkw(struct dh_arena *a, const char *kw, size_t n);
/* The value type a column of SQL type oid is stored as. */
enum dh_type dh__sqlcat_rep(uint32_t oid);
/* A sequence: its definition and state (the :dh.sql/seq-* data on the
 * entity :dh.sql/sequence NAME). */
struct dh_sqlseq {
	const char *name;
	uint64_t eid;
	uint32_t type;       /* int2, int4 or int8 */
	int64_t start, inc, min, max, cache;
	int cycle;
	int64_t last;        /* last_value */
	int called;          /* is_called */
	uint64_t owner;      /* OWNED BY: the column's attribute, or 0 */
};
/* 1 (no error set) if there is no sequence name. */
int dh__sqlcat_seq(struct dh_view *v, const struct dh_schema *sc, const char *name,
		   struct dh_arena *a, struct dh_sqlseq *out, struct dh_err *err);
int dh__sqlcat_seq_eid(struct dh_view *v, const struct dh_schema *sc, uint64_t eid,
		       struct dh_arena *a, struct dh_sqlseq *out, struct dh_err *err);

/* A view: its SELECT's SQL text and its column names (ncols of them).
 * Returns 1 (no error set) if there is no view name. */
struct dh_sqlview {
	const char *name;
	uint64_t eid;
	const char *sql;
	int ncols;
	const char **cols;
};
int dh__sqlcat_view_info(struct dh_view *v, const struct dh_schema *sc, const char *name,
			 struct dh_arena *a, struct dh_sqlview *out, struct dh_err *err);
/* The same, just the SQL text (a SELECT whose output columns already carry
 * the view's column names). */
int dh__sqlcat_view(struct dh_view *v, const struct dh_schema *sc, const char *name,
		    struct dh_arena *a, const char **sql, struct dh_err *err);

/* What kind of relation name is: 'r' table, 'S' sequence, 'v' view, 'i'
 * index (CREATE INDEX, or a primary key's or unique constraint's), 0 none
 * (pg_class.relkind). */
int dh__sqlcat_relkind(struct dh_view *v, const struct dh_schema *sc, const char *name,
		       struct dh_arena *a, char *kind, struct dh_err *err);

/* The entities whose attribute ident has value val (AVET); every datom
 * of entity e. */
int dh__sqlcat_having(struct dh_view *v, const struct dh_schema *sc, const char *ident,
		      const struct dh_value *val, struct dh_arena *a, uint64_t **out, size_t *n,
		      struct dh_err *err);
int dh__sqlcat_entity(struct dh_view *v, uint64_t e, struct dh_arena *a, struct dh_datom **out,
		      size_t *n, struct dh_err *err);

/* Every entity having the string attribute ident ("dh.sql/view",
 * "dh.sql/sequence"), in entity order: its value in names[i] (copied into
 * a), its id in eids[i]. */
int dh__sqlcat_names(struct dh_view *v, const struct dh_schema *sc, const char *ident,
		     struct dh_arena *a, const char ***names, uint64_t **eids, size_t *n,
		     struct dh_err *err);
/* The entity whose card-one string attribute ident is value, or 0. */
int dh__sqlcat_find(struct dh_view *v, const struct dh_schema *sc, const char *ident,
		    const char *value, struct dh_arena *a, uint64_t *e, struct dh_err *err);

/* The :dh.sql attributes exist (installs them with EDN if not). */
int dh__sqlcat_bootstrap(struct dh_sql *s, const struct dh_schema *sc, struct dh_arena *a,
			 struct dh_err *err);

/* --- catalog objects as PostgreSQL shows them (sqlcat-show.c) --- */

/* What the display reads: strings go into a, constants are read and
 * printed with env, attribute ids are named through sc. */
struct dh__sqlshow {
	struct dh_arena *a;
	const struct dh_sqlenv *env;
	const struct dh_schema *sc;
};
/* quote_identifier: s itself, or in double quotes when it must be. */
const char *dh__sqlshow_ident(struct dh_arena *a, const char *s);
/* 'text' with quotes doubled, appended to b. */
void dh__sqlshow_literal(struct dh_buf *b, const char *s, size_t n);
/* pg_get_expr of column c's default ("" if none; identity columns give
 * "generated ... as identity", which psql shows in the same place). */
const char *dh__sqlshow_default(struct dh__sqlshow *d, const struct dh_sqlcol *c);
/* pg_get_constraintdef of a CHECK on tb: "CHECK (...)". */
const char *dh__sqlshow_check(struct dh__sqlshow *d, const struct dh_sqltable *tb, const char *expr);
/* A literal (its SQL text: 100, -3, 1.5, 'x') compared with column c, as
 * the parser coerces it and ruleutils shows it, into b ("100::numeric");
 * *colcast the cast the column gets ("::text" for varchar) or NULL.  0
 * when unsure (b then holds nothing useful). */
int dh__sqlshow_compared(struct dh__sqlshow *d, const struct dh_sqlcol *c, const char *lit,
			 struct dh_buf *b, const char **colcast);
/* The attnums of tb's columns a CHECK expression names, in column
 * order (pg_constraint.conkey); at most max. */
int dh__sqlshow_check_cols(const struct dh_sqltable *tb, const char *expr, int64_t *out, int max);
/* pg_get_constraintdef of a foreign key. */
const char *dh__sqlshow_fk(struct dh__sqlshow *d, const struct dh_sqlcon *c);
/* A key's columns, "a, b" (cols: column indexes of tb). */
const char *dh__sqlshow_keycols(struct dh__sqlshow *d, const struct dh_sqltable *tb, const int *cols,
				int n);
/* The column name of attribute id, quoted as needed ("?" if unknown). */
const char *dh__sqlshow_attr(struct dh__sqlshow *d, uint64_t id);
/* An index key list split at its top-level commas (at most max), each
 * key without the ordering PostgreSQL leaves out; sort_out[i] gets the
 * ordering pg_get_indexdef shows (" DESC", " NULLS FIRST", ""). */
int dh__sqlshow_split_keys(struct dh__sqlshow *d, const char *keys, const char **out,
			   const char **sort_out, int max);

/* --- statements (sqlc.c) --- */

/* Run one statement; 1 if the statement kind is not the compiler's. */
int dh__sqlc_stmt(struct dh__sqlrun *r, const PgQuery__Node *n);

#endif
