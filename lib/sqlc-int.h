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
int dh__sqlc_create_table(struct dh__sqlrun *r, const PgQuery__CreateStmt *st);
int dh__sqlc_drop(struct dh__sqlrun *r, const PgQuery__DropStmt *st);

/* sqlc-dml.c */
int dh__sqlc_insert(struct dh__sqlrun *r, const PgQuery__InsertStmt *st);
int dh__sqlc_update(struct dh__sqlrun *r, const PgQuery__UpdateStmt *st);
int dh__sqlc_delete(struct dh__sqlrun *r, const PgQuery__DeleteStmt *st);

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
