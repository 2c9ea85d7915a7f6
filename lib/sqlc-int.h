/*
 * sqlc-int: the statement compiler's shared parts.
 *
 *   sqlc.c         dispatch, results (text cells), helpers for names
 *   sqlc-select.c  SELECT: FROM items into one qexec block (row patterns,
 *                  column lookups, WHERE as predicates), then grouping,
 *                  aggregates, projection, DISTINCT, ORDER BY, LIMIT
 *   sqlc-ddl.c     CREATE / DROP TABLE
 *   sqlc-dml.c     INSERT / UPDATE / DELETE, constraint checks
 *   sqlc-seq.c     sequences: CREATE / ALTER / DROP SEQUENCE, nextval & co
 *   sqlc-fn.c      functions that need the session or the store (nextval,
 *                  now(), current_setting, version(), dh_current_tx(), ...)
 *                  and the session's state behind them
 *
 * Rows between the nodes are arrays of struct dh_value ("slots"); a
 * compiled expression (sqlexpr.h) reads a row by slot index.
 */
#ifndef DH_SQLC_INT_H
#define DH_SQLC_INT_H

#include "query-int.h"
#include "sql-int.h"

/* A FROM item over a table. */
struct sqlc_rte {
	const char *alias; /* the name that qualifies its columns */
	struct dh_sqltable *t;
	int evar;   /* the block's variable of the row entity */
	int *cslot; /* per column: its slot, -1 until used */
	int eslot;  /* db_id's slot, -1 until used */
	int location;
};

/* A slot of the block's rows: a table column (col >= 0), a db_id (col
 * -1). */
struct sqlc_slot {
	int var;
	int rte, col;
	uint32_t type;
	int32_t typmod;
};

struct sqlc_agg;
struct lookup;

/* One SELECT being compiled and run. */
struct sqlc_sel {
	struct dh__sqlrun *r;
	struct dh_arena *a;
	struct dh_view *view;
	const struct dh_schema *schema;
	struct sqlc_rte *rt;
	int nrt, art;
	struct sqlc_slot *sl;
	int nsl, asl;
	/* the block */
	struct dh_query *q;
	struct clause **cl;
	int ncl, acl;
	/* compile contexts */
	struct dh_sqlx_scope base, grouped;
	struct dh_sqlx_cc cc;
	int phase; /* 0: base expressions; 1: after grouping */
	/* grouping */
	int has_group, has_agg;
	int ngroup;
	struct dh_sqlx **group;
	struct sqlc_agg *aggs;
	int nagg, aagg;
	int col_outside_agg, col_outside_loc;
	const char *col_outside_name;
	int in_agg;
	struct lookup *lookups; /* the column lookups' iterators, closed after the run */
};

/* sqlc.c */
int dh__sqlc_emit(struct dh__sqlrun *r, const char *tag, int ncols, const struct dh_sql_col *cols,
		  const struct dh_value *rows, size_t nrows);
const char *dh__sqlc_str(const PgQuery__Node *n); /* a String node's text, else NULL */
int dh__sqlc_parse_expr(struct dh__sqlrun *r, const char *text, PgQuery__ParseResult **tree,
			const PgQuery__Node **expr);
char *dh__sqlc_deparse_expr(struct dh_arena *a, const PgQuery__Node *n);

/* sqlc-select.c */
void dh__sqlc_sel_init(struct sqlc_sel *S, struct dh__sqlrun *r);
int dh__sqlc_sel_open(struct sqlc_sel *S);
int dh__sqlc_add_table(struct sqlc_sel *S, const PgQuery__RangeVar *rv, struct sqlc_rte **out);
int dh__sqlc_slot_of(struct sqlc_sel *S, int rte, int col);
int dh__sqlc_where(struct sqlc_sel *S, const PgQuery__Node *w);
int dh__sqlc_run_block(struct sqlc_sel *S, struct dh_value **rows, size_t *nrows);
int dh__sqlc_select(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, int emit,
		    struct dh_sql_col **cols, int *ncols, struct dh_value **rows, size_t *nrows);

/* sqlc-ddl.c */
#define SQLC_MAXKEY 32
/* A column being defined (CREATE TABLE, ALTER TABLE ADD COLUMN). */
struct sqlc_coldef {
	const char *name;
	uint32_t oid;
	int32_t typmod;
	int notnull;
	int serial;           /* serial, bigserial, smallserial */
	char identity;        /* 'a' always, 'd' by default, 0 */
	PgQuery__Node **idopts; /* the identity's sequence options */
	size_t nidopts;
	const char *seqname;  /* serial and identity: the sequence's name */
	const char *dflt;     /* DEFAULT's text */
	int dflt_const;       /* ... which is a constant */
	int location;
};
/* A constraint being defined; names resolve to column indexes. */
struct sqlc_conspec {
	char kind; /* 'p' 'u' 'c' 'f' */
	const char *name; /* given or chosen */
	int location;
	int ncols;
	const char *colnames[SQLC_MAXKEY];
	int cols[SQLC_MAXKEY];
	const PgQuery__Node *expr; /* CHECK */
	const char *exprtext;
	const char *firstcol;      /* the first column the CHECK reads (its name) */
	int no_inherit;
	const PgQuery__RangeVar *pktable; /* FOREIGN KEY */
	struct dh_sqltable *ref;
	int nrefcols;
	const char *refnames[SQLC_MAXKEY];
	int refcols[SQLC_MAXKEY];
	char del, upd;
};
int dh__sqlc_coldef(struct dh__sqlrun *r, const char *table, const PgQuery__ColumnDef *cd,
		    struct sqlc_coldef *c, struct sqlc_conspec **cons, int *ncons);
int dh__sqlc_conspec(struct dh__sqlrun *r, const PgQuery__Constraint *cc,
		     struct sqlc_conspec **cons, int *ncons, struct sqlc_conspec **out);
/* Columns, CHECK expressions and names of cons[first_new..ncons) on t;
 * then the foreign keys' referenced sides. */
int dh__sqlc_resolve_cons(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons,
			  int ncons, int first_new);
int dh__sqlc_resolve_fks(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons,
			 int ncons, int first_new);
/* Constraint entities for cons[first_new..ncons) (t->eid and the columns'
 * attrs set). */
int dh__sqlc_write_cons(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons,
			int ncons, int first_new);
void dh__sqlc_column_edn(struct dh_buf *b, const char *table, const struct sqlc_coldef *c,
			 int ordinal, int unique_identity);
int dh__sqlc_create_table(struct dh__sqlrun *r, const PgQuery__CreateStmt *st);
int dh__sqlc_drop(struct dh__sqlrun *r, const PgQuery__DropStmt *st);

/* sqlc-dml.c */
int dh__sqlc_insert(struct dh__sqlrun *r, const PgQuery__InsertStmt *st);
int dh__sqlc_update(struct dh__sqlrun *r, const PgQuery__UpdateStmt *st);
int dh__sqlc_delete(struct dh__sqlrun *r, const PgQuery__DeleteStmt *st);

/* sqlc-con.c: a statement's constraints (see the file's comment) */
struct sqlc_ukey;
struct sqlc_rowlog;
struct sqlc_con {
	struct dh__sqlrun *r;
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int nchk;
	struct dh_sqlx **chk; /* CHECK constraints, compiled over the table's row */
	const char **chkname;
	int nuk;
	struct sqlc_ukey *uk; /* unique keys: primary key, UNIQUE, unique indexes */
	struct sqlc_rowlog *log; /* rows changed, for the foreign keys */
	size_t nlog, alog;
};
/* checks: compile the CHECK constraints too. */
int dh__sqlcon_open(struct sqlc_con *cx, struct dh__sqlrun *r, struct dh_wtx *w,
		    struct dh_sqltable *t, int checks);
void dh__sqlcon_close(struct sqlc_con *cx);
/* A new row (old: the row before, NULL for INSERT; rows are ncols + 1
 * values, the last db_id): CHECK (23514), unique keys (23505), then
 * logged.  The arrays must live until dh__sqlcon_after. */
int dh__sqlcon_row(struct sqlc_con *cx, const struct dh_value *old, const struct dh_value *nu,
		   uint64_t e);
int dh__sqlcon_check(struct sqlc_con *cx, const struct dh_value *vals);
/* Which unique key (only: that one, -1 any) vals collide on: 0 none, 1
 * an existing row (*holder), 2 a row of this statement; < 0 error. */
int dh__sqlcon_unique(struct sqlc_con *cx, const struct dh_value *vals, const struct dh_value *old,
		      uint64_t self, int only, int *which, uint64_t *holder);
void dh__sqlcon_unique_add(struct sqlc_con *cx, const struct dh_value *vals, uint64_t e);
int dh__sqlcon_unique_err(struct sqlc_con *cx, int which, const struct dh_value *vals);
int dh__sqlcon_ukey_index(struct sqlc_con *cx, const char *name);
int dh__sqlcon_ukey_cols(struct sqlc_con *cx, int u, const int **cols);
void dh__sqlcon_log(struct sqlc_con *cx, uint64_t e, const struct dh_value *old,
		    const struct dh_value *nu);
/* After the statement's writes: foreign keys both ways, with actions. */
int dh__sqlcon_after(struct sqlc_con *cx);
int dh__sqlc_check_notnull(struct dh__sqlrun *r, const struct dh_sqltable *t,
			   const struct dh_value *vals);
void dh__sqlc_row_text(struct dh__sqlrun *r, const struct dh_sqltable *t,
		       const struct dh_value *vals, struct dh_buf *b);
/* A value as the column's attribute stores it (refs, keywords); 0A000. */
int dh__sqlc_storable(struct dh__sqlrun *r, const struct dh_sqlcol *c, const struct dh_value *v,
		      struct dh_value *out);
/* Entity e's row of t (ncols + 1 values, the last db_id). */
int dh__sqlc_read_row(struct dh__sqlrun *r, struct dh_view *v, const struct dh_sqltable *t,
		      uint64_t e, struct dh_value *vals);
/* Parse a stored expression's text ("SELECT text"); the tree lives in
 * r->a (values compiled from it may point into it). */
int dh__sqlc_parse_stored(struct dh__sqlrun *r, const char *text, const PgQuery__Node **expr);
int dh__sqlc_default_value(struct dh__sqlrun *r, const struct dh_sqlcol *c, struct dh_value *out);
int dh__sqlc_compile_default(struct dh__sqlrun *r, const struct dh_sqlcol *c,
			     struct dh_sqlx **out);
/* A scope whose slot i is column i of t; a CHECK expression over it. */
void dh__sqlc_table_scope(struct dh_sqlx_scope *s, const struct dh_sqltable *t);
int dh__sqlc_compile_check(struct dh__sqlrun *r, const struct dh_sqltable *t,
			   const PgQuery__Node *e, const char *text, struct dh_sqlx **out);

/* sqlc-fn.c: session functions, reached through dh_sqlx_scope.function
 * (compile: 0 found, 1 not a session function, < 0 error) and
 * dh_sqlx_run.call (run: the id dh__sqlc_function gave).  The scopes'
 * ctx may be any; S may be NULL (only S->r is used, and r is given to
 * the call). */
int dh__sqlc_function(struct sqlc_sel *S, const char *name, int nargs,
		      struct dh_sqlx *const *args, int location, int *id, uint32_t *type,
		      int32_t *typmod, int *volatile_, struct dh_err *err);
int dh__sqlc_call(struct dh__sqlrun *r, int id, int nargs, const struct dh_value *args,
		  struct dh_value *out);
/* Ready-made hooks for scopes and runs whose ctx is a struct dh__sqlrun. */
int dh__sqlc_fn_hook(void *r, const char *name, int nargs, struct dh_sqlx *const *args,
		     int location, int *id, uint32_t *type, int32_t *typmod, int *volatile_,
		     struct dh_err *err);
int dh__sqlc_call_hook(void *r, int id, int nargs, const struct dh_value *args,
		       const struct dh_sqlx_run *run, struct dh_value *out);
/* The transaction's start instant (now()), taken at its first use. */
int64_t dh__sqlsess_now(struct dh_sql *s);
/* Session memory of sequences: currval (mode 1 nextval, 2 setval: set;
 * 0: ask, returns 1 if defined), and the states to write again after a
 * rollback. */
int dh__sqlsess_currval(struct dh_sql *s, uint64_t eid, int64_t v, int mode);
int64_t dh__sqlsess_currval_get(struct dh_sql *s, uint64_t eid);
void dh__sqlsess_remember(struct dh_sql *s, uint64_t eid, int64_t last, int called, int absolute,
			  int64_t inc);

/* sqlc-seq.c */
struct dh__seqopts {
	int restart;
	int owned_by;                      /* OWNED BY given */
	const char *owner_table, *owner_col; /* NULL table: NONE */
	const char *name;                  /* SEQUENCE NAME (identity) */
};
int dh__sqlc_create_seq(struct dh__sqlrun *r, const PgQuery__CreateSeqStmt *st);
int dh__sqlc_alter_seq(struct dh__sqlrun *r, const PgQuery__AlterSeqStmt *st);
/* Read sequence options into q (create: from the defaults). */
int dh__sqlseq_options(struct dh__sqlrun *r, PgQuery__Node *const *opts, size_t nopts,
		       struct dh_sqlseq *q, int create, struct dh__seqopts *o);
/* Write q (create: a new entity, q->eid set). */
int dh__sqlseq_write(struct dh__sqlrun *r, struct dh_sqlseq *q, int create);
int dh__sqlseq_owner(struct dh__sqlrun *r, const char *table, const char *col, uint64_t *attr);
int dh__sqlseq_state(struct dh_wtx *w, const struct dh_schema *sc, uint64_t eid, int64_t last,
		     int called, struct dh_arena *a, struct dh_err *err);
int dh__sqlseq_nextval(struct dh__sqlrun *r, const struct dh_value *name, int64_t *out);
int dh__sqlseq_nextval_eid(struct dh__sqlrun *r, uint64_t eid, int64_t *out);
int dh__sqlseq_currval(struct dh__sqlrun *r, const struct dh_value *name, int64_t *out);
int dh__sqlseq_setval(struct dh__sqlrun *r, const struct dh_value *name, int64_t v, int called);
/* 42P07 if name is taken by a table, sequence, view or index. */
int dh__sqlc_relation_exists(struct dh__sqlrun *r, const char *name, int location);
/* t_col_suffix, made unique as PostgreSQL does (col may be NULL). */
const char *dh__sqlc_choose_name(struct dh__sqlrun *r, const char *t, const char *col,
				 const char *suffix);

#endif
