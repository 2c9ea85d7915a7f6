/*
 * sqlc-int: the statement compiler's shared parts.
 *
 *   sqlc.c         dispatch, results (text cells), helpers for names
 *   sqlc-select.c  SELECT: FROM items into one qexec block (row patterns,
 *                  column lookups, WHERE as predicates), then grouping,
 *                  aggregates, projection, DISTINCT, ORDER BY, LIMIT
 *   sqlc-ddl.c     CREATE / DROP TABLE
 *   sqlc-dml.c     INSERT / UPDATE / DELETE, constraint checks
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

#endif
