/*
 * sqlc-int: the statement compiler's shared parts.
 *
 *   sqlc.c         dispatch, results (text cells), stored expressions
 *   sqlc-from.c    FROM: tables, derived tables, joins; blocks of clauses
 *                  run by qexec; column references
 *   sqlc-query.c   a query: select list, WHERE, grouping, HAVING,
 *                  DISTINCT, ORDER BY, LIMIT; VALUES; UNION/INTERSECT/
 *                  EXCEPT; subqueries in expressions; WITH
 *   sqlc-agg.c     aggregates, grouping, row hashing and sorting
 *   sqlc-ddl.c     CREATE / DROP TABLE
 *   sqlc-dml.c     INSERT / UPDATE / DELETE, constraint checks
 *   sqlc-seq.c     sequences: CREATE / ALTER / DROP SEQUENCE, nextval & co
 *   sqlc-fn.c      functions that need the session or the store (nextval,
 *                  now(), current_setting, version(), dh_current_tx(), ...)
 *                  and the session's state behind them
 *
 * Compiling and running are separate: a query is compiled once and run
 * once, or once per outer row when it is a correlated subquery.
 *
 * Rows.  A query's FROM items own "slots": every column that an
 * expression reads gets one, and all of a query's rows are arrays of its
 * slots (full width; a slot not filled is NONE).  Base tables joined by
 * commas and inner joins share one block: a qexec clause list (row
 * patterns, column lookups, WHERE conjuncts as predicates) planned like a
 * Datalog :where.  An outer join runs its two sides as blocks of their
 * own, joins their rows, and feeds the result into the enclosing block as
 * a relation-binding clause, as derived tables (subqueries, VALUES, WITH
 * references) do.  After the block, rows may be grouped: then expressions
 * read rows of group keys followed by aggregate results.
 */
#ifndef DH_SQLC_INT_H
#define DH_SQLC_INT_H

#include "query-int.h"
#include "sql-int.h"

struct sqlc_q;
struct sqlc_sel;
struct lookup;
struct rowcache;

/* An enclosing query's columns as a subquery sees them: resolving one
 * marks the subquery (and those between) correlated. */
struct sqlc_proxy {
	struct dh_sqlx_scope scope;
	struct sqlc_sel *sub; /* the query whose scope chain this is in */
	struct sqlc_sel *at;  /* the enclosing query resolving the name */
};

/* A block: the clauses one qexec run plans together. */
struct sqlc_block {
	struct clause **cl;
	int ncl, acl;
	int empty; /* a constant condition is false */
};

enum sqlc_rtek { RTE_TABLE, RTE_DERIVED, RTE_JOIN };

/* A FROM item whose columns can be named. */
struct sqlc_rte {
	enum sqlc_rtek k;
	const char *alias; /* NULL: its columns are reachable unqualified only */
	int ncols;
	const char **colnames;
	uint32_t *types;
	int32_t *typmods;
	int *cslot; /* per column: its slot, -1 until used */
	int eslot;  /* TABLE: db_id's slot, -1 until used */
	int block;  /* the block whose run fills its slots */
	int location;
	int hidden_cols; /* JOIN: USING columns hide the sides' same-named ones */
	/* RTE_TABLE */
	struct dh_sqltable *t;
	int evar;
	/* RTE_DERIVED: rows of a query (or a WITH's, or a function's) bound
	 * by a clause */
	struct sqlc_q *sub;
	struct sqlc_fnscan *fn;
	int lateral;        /* reads earlier FROM items: these slots */
	int *lat_slots;
	int nlat;
	struct sqlc_cte *cte;
	int rowvar;
	uint32_t relid; /* a view or sequence: its pg_class OID (0: none) */
	/* RTE_JOIN: the USING / NATURAL merged columns of a join */
	struct sqlc_join *join;
};

/* An outer join (or a join with USING that needs merged columns). */
struct sqlc_join {
	int type;          /* PG_QUERY__JOIN_TYPE__JOIN_* */
	int lblock, rblock;
	int block;         /* the block it feeds */
	int lo, hi;        /* rtes [lo, hi) are under it; left side [lo, mid) */
	int mid;
	struct dh_sqlx **on; /* conditions over full-width rows */
	int non, aon;
	const PgQuery__Node *quals;
	int nusing;
	int *lcol, *rcol;  /* USING: slots of the left and right columns */
	struct sqlc_rte *merged; /* the merged columns (slots filled here) */
	int rowvar;
	int *vars;         /* at run: the vars it binds */
	int nvars;
	/* LATERAL: the left side's slots the right side reads (bound in the
	 * right block per left row), and the slots of FROM items before the
	 * join that either side reads (the join's relation clause's inputs) */
	int *lslots, nlslots;
	int *xslots, nxslots;
};

struct dh__pgcat_rel;

/* A function in FROM: generate_series, unnest. */
struct sqlc_fnscan {
	int kind; /* 0 generate_series, 1 unnest, 2 sqlc-srf.c's, 3 a catalog
		   * relation (sqlc-pgcat.c's pgrel) */
	const struct dh__pgcat_rel *pgrel;
	struct dh_sqlx *args[4];
	int nargs;
	uint32_t type;
	int ordinality;
	/* kind 2: the function, its columns (a NULL name: the alias's) */
	const struct sqlc_srfdef *srf;
	int ncols;
	const char *const *colnames;
	const uint32_t *coltypes;
	const int32_t *coltypmods; /* NULL: all -1 */
};
/* sqlc-srf.c: is name one of its set-returning functions; check and
 * coerce f's compiled arguments and set its columns (42883 function
 * jsonb_each(integer) does not exist); its rows (ncols + ordinality wide)
 * for argument values args, in S's arena. */
int dh__sqlc_srf_known(const char *name);
/* The record functions (json_populate_record, jsonb_to_recordset, ...):
 * dh__sqlc_srf_record compiles the call itself (a NULL::table first
 * argument, rf's column definition list) and sets f's columns. */
int dh__sqlc_srf_is_record(const char *name);
/* Where rf's column definition list starts, for errors (-1: none). */
int dh__sqlc_coldef_location(const PgQuery__RangeFunction *rf);
int dh__sqlc_srf_record(struct sqlc_sel *S, const char *name, const PgQuery__RangeFunction *rf,
			const PgQuery__FuncCall *fc, struct sqlc_fnscan *f);
int dh__sqlc_srf_resolve(struct sqlc_sel *S, const char *name, int location,
			 struct sqlc_fnscan *f);
int dh__sqlc_srf_rows(struct sqlc_sel *S, const struct sqlc_fnscan *f,
		      const struct dh_value *args, struct dh_value **rowsp, size_t *np);
/* A select list with one set-returning function call as an item (and no
 * grouping, aggregates or windows) as the same query with the
 * call moved into FROM as a LATERAL item, which gives PostgreSQL's rows;
 * else st itself.  The copy lives in S's arena. */
int dh__sqlc_srf_rewrite(struct sqlc_sel *S, const PgQuery__SelectStmt *st,
			 const PgQuery__SelectStmt **out);
/* The FROM item's alias the rewrite uses (a star does not list it). */
#define SQLC_SRF_ALIAS "?srf?"

/* A WITH query. */
struct sqlc_cte {
	const char *name;
	const PgQuery__CommonTableExpr *def;
	struct sqlc_q *q;
	int recursive;
	int compiling; /* its definition is being compiled */
	int iterating; /* a recursive one is running its recursive term */
	int64_t want;  /* > 0: rows enough for the one query reading it
			* (SELECT ... FROM cte LIMIT n): recursion may stop */
	/* recursive: the non-recursive term and the recursive one */
	struct sqlc_q *base, *rec;
	struct dh_sqlx **recconv; /* the recursive term's columns coerced, or NULL */
	int union_all;
	/* rows, once run */
	int done;
	struct dh_value *rows;
	size_t nrows;
	struct dh_value *work; /* recursive: the working table */
	size_t nwork;
	int ncols;
	struct dh_sql_col *cols;
	int no_returning; /* a data-modifying query without RETURNING */
	struct sqlc_cte *next;
};

/* A compiled query: SELECT, VALUES, or a set operation. */
enum sqlc_qk { Q_SELECT, Q_VALUES, Q_SETOP };
struct sqlc_q {
	enum sqlc_qk k;
	struct dh__sqlrun *r;
	struct sqlc_sel *sel;       /* Q_SELECT */
	struct dh_sqlx **vals;      /* Q_VALUES: nvr rows of ncols */
	int nvr;
	int op, all;                /* Q_SETOP */
	struct sqlc_q *l, *rq;
	struct dh_sqlx **lconv, **rconv; /* per column: the side's value coerced */
	int ncols;
	struct dh_sql_col *cols;
	int loc; /* where its first column's expression is, -1: nowhere */
	int *locs; /* SELECT: each column's */
	/* ORDER BY / LIMIT of VALUES and set operations (over the output) */
	struct sqlc_sort *sort;
	int nsort;
	struct dh_sqlx *limit, *offset;
	struct sqlc_cte *ctes;      /* WITH of this query */
	int correlated;             /* reads an outer query's columns */
	int cached;                 /* uncorrelated: rows kept after one run */
	struct dh_value *crows;
	size_t cn;
};

/* A sort key over a row of values. */
struct sqlc_sort {
	struct dh_sqlx *x;
	int col; /* >= 0: an output column */
	int desc, nulls_first;
	uint32_t type;
};

enum sqlc_aggk {
	AG_COUNT, AG_COUNT_STAR, AG_SUM, AG_AVG, AG_MIN, AG_MAX, AG_BOOL_AND, AG_BOOL_OR,
	AG_STRING_AGG, AG_ARRAY_AGG, AG_VAR_SAMP, AG_VAR_POP, AG_STDDEV_SAMP, AG_STDDEV_POP,
	AG_GROUPING, /* GROUPING(...): the keys' bits */
	AG_JSON_AGG, AG_JSONB_AGG, AG_JSON_OBJECT_AGG, AG_JSONB_OBJECT_AGG,
};

struct sqlc_win;

/* An aggregate call (or a window function's place among them). */
struct sqlc_agg {
	enum sqlc_aggk k;
	int distinct;
	struct dh_sqlx *arg, *arg2, *filter;
	uint32_t argtype, type;
	const struct dh_sqlop *plus, *times; /* on the accumulator's type */
	struct sqlc_sort *order; /* ORDER BY inside the call */
	int norder;
	struct sqlc_win *win; /* a window function: filled by the window pass */
	int *gkeys;           /* AG_GROUPING: the keys it names */
	int ngkeys;
};
struct sqlc_aggst;

enum sqlc_winfn {
	W_AGG, W_ROW_NUMBER, W_RANK, W_DENSE_RANK, W_PERCENT_RANK, W_CUME_DIST, W_NTILE, W_LAG,
	W_LEAD, W_FIRST_VALUE, W_LAST_VALUE, W_NTH_VALUE
};

/* A window function call. */
struct sqlc_win {
	enum sqlc_winfn fn;
	struct sqlc_agg agg; /* W_AGG */
	struct dh_sqlx *args[3];
	int nargs;
	struct dh_sqlx **part;
	int npart;
	struct sqlc_sort *ord;
	int nord;
	int frame; /* PostgreSQL's FRAMEOPTION_* bits */
	struct dh_sqlx *soff, *eoff;
	int slot;  /* where its value goes in a row */
	uint32_t type;
};

/* One SELECT. */
struct sqlc_sel {
	struct dh__sqlrun *r;
	struct dh_arena *a;
	struct sqlc_sel *parent;    /* the query this one is a subquery of */
	struct sqlc_q *q;           /* the query it belongs to */
	int setop_leaf;             /* a set operation's operand: unknown
				     * literals in the select list stay so */
	struct dh_view *view;
	const struct dh_schema *schema;
	struct sqlc_rte *rt;
	int nrt, art;
	struct {
		int var, rte, col;
		uint32_t type;
		int32_t typmod;
	} *sl;
	int nsl, asl;
	struct dh_query *dq;        /* the variables' scope */
	struct sqlc_block *blocks;
	int nblocks, ablocks;
	struct sqlc_join **joins;
	int njoins, ajoins;
	int cur_block;              /* where FROM items go while compiling */
	/* compile contexts */
	struct dh_sqlx_scope base, grouped;
	struct dh_sqlx_cc cc;
	int phase; /* 0: rows of slots; 1: after grouping */
	/* grouping */
	int has_group, has_agg;
	int ngroup;
	struct dh_sqlx **group;
	const PgQuery__Node **group_src; /* the GROUP BY items' expressions */
	uint64_t *sets; /* grouping sets as masks of the keys; NULL: one, all keys */
	int nsets;
	struct sqlc_agg *aggs;
	int nagg, aagg;
	int col_outside_agg, col_outside_loc;
	const char *col_outside_name;
	int in_agg;
	int in_win; /* compiling a window call: 1 its arguments, 2 its window */
	const char *win_forbidden; /* "GROUP BY", "HAVING": no window calls here */
	int in_join_on;
	struct sqlc_win **wins;
	int nwins, awins;
	PgQuery__Node **window_clause; /* WINDOW w AS (...) */
	size_t nwindow_clause;
	struct lookup *lookups;
	struct rowcache *rowcaches; /* sqlc-from.c: per FROM table, its columns */
	/* variables a block binds that its row identities determine (the
	 * value of a card-one join column): not found, yet rows stay distinct */
	struct vset det;
	/* the select list and the rest */
	int nt;
	struct dh_sqlx **tl;
	const char **tnames;
	struct dh_sqlx *having;
	struct sqlc_sort *sort;
	int nsort;
	int distinct;
	int with_ties;
	struct dh_sqlx **distinct_on;
	int ndistinct_on;
	struct dh_sqlx *limit, *offset;
	struct sqlc_cte *ctes; /* the WITH queries it can name */
	/* the parent's slots this query (or one inside it) reads: the
	 * parent must fill them before running it */
	int *outer_refs;
	int nouter_refs, aouter_refs;
	struct sqlc_proxy *proxies; /* the enclosing queries' scopes, seen from here */
	int from_hidden; /* compiling a non-LATERAL FROM item: its columns are not visible */
	/* at run: the enclosing query's current row (correlation) */
	const struct dh_sqlx_run *outer;
	/* UPDATE / DELETE: the target's name while its FROM items compile */
	const char *hidden_target;
	/* the FROM item and column the column hook found last (-1: none),
	 * and per select list item, the one it names (rte -1: an
	 * expression): RowDescription's table OID and attnum */
	int ref_rte, ref_col;
	struct sqlc_origin {
		int rte, col;
	} *torig;
};

/* sqlc.c */
/* Describe mode (r->describe): the statement's result columns, instead
 * of running it; returns DH__SQLC_DESCRIBED. */
int dh__sqlc_described(struct dh__sqlrun *r, int ncols, const struct dh_sql_col *cols);
int dh__sqlc_emit(struct dh__sqlrun *r, const char *tag, int ncols, const struct dh_sql_col *cols,
		  const struct dh_value *rows, size_t nrows);
const char *dh__sqlc_str(const PgQuery__Node *n); /* a String node's text, else NULL */
int dh__sqlc_parse_expr(struct dh__sqlrun *r, const char *text, PgQuery__ParseResult **tree,
			const PgQuery__Node **expr);
char *dh__sqlc_deparse_expr(struct dh_arena *a, const PgQuery__Node *n);
const char *dh__sqlc_node_name(const PgQuery__Node *n);
/* Is v a select list's * or t.* ? */
int dh__sqlc_is_star(const PgQuery__Node *v);
/* The message a Node holds (its one set member), or NULL. */
const ProtobufCMessage *dh__sqlc_node_inner(const PgQuery__Node *n);
int dh__sqlc_node_eq(const ProtobufCMessage *a, const ProtobufCMessage *b);
/* Call fn on each message m holds (a Node: the one it is), in field
 * order, until fn returns non-zero: that value, else 0. */
int dh__sqlc_each_child(const ProtobufCMessage *m, int (*fn)(const ProtobufCMessage *c, void *ctx),
			void *ctx);

/* sqlc-from.c */
void dh__sqlc_sel_init(struct sqlc_sel *S, struct dh__sqlrun *r, struct sqlc_sel *parent);
int dh__sqlc_sel_open(struct sqlc_sel *S);
int dh__sqlc_add_table(struct sqlc_sel *S, const PgQuery__RangeVar *rv, struct sqlc_rte **out);
int dh__sqlc_from(struct sqlc_sel *S, PgQuery__Node **items, size_t n);
int dh__sqlc_slot_of(struct sqlc_sel *S, int rte, int col);
/* Where column col of FROM item rte comes from (PostgreSQL's
 * markTargetEntry): sets out's table_oid and attnum, 0 and 0 when it is
 * no relation's column. */
void dh__sqlc_col_origin(const struct sqlc_sel *S, int rte, int col, struct dh_sql_col *out);
/* The rows of a one-block query ordered by the column in slot (desc,
 * nulls_first as ORDER BY says) of which the first want are needed: read
 * in the column's index order, in rounds, until there are want (and a
 * round's whole, so every row before the last is there).  *done 0 when
 * the query, the column or its type does not allow it: run the block. */
int dh__sqlc_run_topn(struct sqlc_sel *S, int slot, int desc, int nulls_first, size_t want,
		      struct dh_value **rows, size_t *nrows, int *done);
/* A slot no FROM item fills (a window function's result). */
int dh__sqlc_pseudo_slot(struct sqlc_sel *S, uint32_t type);
int dh__sqlc_node_hook(void *ctx, const PgQuery__Node *n, int *slot, uint32_t *type,
		       int32_t *typmod, struct dh_err *err);
int dh__sqlc_col_hook(void *ctx, const char *const *names, int n, int location, int *slot,
		      uint32_t *type, int32_t *typmod, struct dh_err *err);
int dh__sqlc_where(struct sqlc_sel *S, const PgQuery__Node *w);
/* Run block 0 (and what feeds it): rows of S->nsl slots. */
int dh__sqlc_run_block(struct sqlc_sel *S, struct dh_value **rows, size_t *nrows);
struct sqlc_cte *dh__sqlc_cte_find(struct sqlc_sel *S, const char *name);
/* Fill a run context's hooks (subqueries, session functions). */
void dh__sqlc_run_hooks(struct sqlc_sel *S, struct dh_sqlx_run *r);
/* A scope with no columns but subqueries (LIMIT, OFFSET, VALUES). */
struct dh_sqlx_scope dh__sqlc_limit_scope(struct sqlc_sel *S);

/* sqlc-query.c */
int dh__sqlc_query(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, struct sqlc_sel *parent,
		   struct sqlc_q **out);
int dh__sqlc_query_in(struct dh__sqlrun *r, const PgQuery__SelectStmt *st,
		      struct sqlc_sel *parent, struct sqlc_cte *visible, struct sqlc_q **out);
int dh__sqlc_query_run(struct sqlc_q *q, const struct dh_sqlx_run *outer, struct dh_value **rows,
		       size_t *nrows);
int dh__sqlc_cte_rows(struct sqlc_cte *c, const struct dh_sqlx_run *outer);
/* A WITH clause's queries, each seeing visible and the ones before it:
 * *out is the new list (its head the last query).  Data-modifying ones
 * run here (r->defer's top WITH only, else 0A000). */
int dh__sqlc_with(struct dh__sqlrun *r, const PgQuery__WithClause *wc, struct sqlc_sel *parent,
		  struct sqlc_cte *visible, struct sqlc_cte **out);
int dh__sqlc_select(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, int emit,
		    struct dh_sql_col **cols, int *ncols, struct dh_value **rows, size_t *nrows);

/* sqlc-agg.c */
int dh__sqlc_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type,
		      int32_t *typmod, struct dh_err *err);
int dh__sqlc_no_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type,
			 int32_t *typmod, struct dh_err *err);
int dh__sqlc_group(struct sqlc_sel *S, const struct dh_value *rows, size_t n, size_t w,
		   struct dh_value **out, size_t *nout);
int dh__sqlc_agg_kind(const char *name); /* enum sqlc_aggk, -1 if not one */
int dh__sqlc_has_agg(const ProtobufCMessage *m);
int dh__sqlc_agg_build(struct sqlc_sel *S, const PgQuery__FuncCall *fc, int kind, int window,
		       struct sqlc_agg *g);
size_t dh__sqlc_aggst_size(void);
int dh__sqlc_agg_step(struct sqlc_sel *S, const struct sqlc_agg *g, struct sqlc_aggst *st,
		      const struct dh_value *row);
int dh__sqlc_agg_final(struct sqlc_sel *S, const struct sqlc_agg *g, struct sqlc_aggst *st,
		       struct dh_value *out);
void dh__sqlc_aggst_release(struct sqlc_aggst *st);
int dh__sqlc_window_slot(struct sqlc_sel *S, struct sqlc_win *w, uint32_t type);
/* The grouped row's slot of slot's value, a column functionally dependent
 * on the group keys (sqlc-from.c decides which). */
int dh__sqlc_agg_dependent(struct sqlc_sel *S, int slot);
/* Is rte a table whose primary key columns are all group keys (of every
 * grouping set)?  Then its columns may be read after grouping. */
int dh__sqlc_pk_grouped(struct sqlc_sel *S, int rte);
int dh__sqlc_grouping(struct sqlc_sel *S, const PgQuery__GroupingFunc *gf, int *slot);

/* sqlc-window.c */
int dh__sqlc_window_hook(struct sqlc_sel *S, const PgQuery__FuncCall *fc, int aggkind, int *slot,
			 uint32_t *type, int32_t *typmod);
/* A call of a window function without OVER: 42809 (returns DH_ESQL), or 1
 * when fc is not one. */
int dh__sqlc_window_no_over(struct sqlc_sel *S, const PgQuery__FuncCall *fc);
/* Compute every window function of S over rows (stride w), in place. */
int dh__sqlc_windows(struct sqlc_sel *S, struct dh_value *rows, size_t n, size_t w);
/* Hash table of rows by their first nk columns (stride w): put row i,
 * returning the index of an equal row put before (then *isnew 0). */
struct sqlc_rowtab {
	size_t cap, n;
	size_t *idx;
};
size_t dh__sqlc_rowtab_put(struct sqlc_rowtab *t, const struct dh_value *rows, size_t w,
			   const uint32_t *types, int nk, size_t i, int *isnew);
void dh__sqlc_rowtab_free(struct sqlc_rowtab *t);
/* Sort row indexes ord[0..n) of rows (stride w) by keys at offset off,
 * stably: 0, or 57014 when r's session is cancelled meanwhile. */
int dh__sqlc_sort(struct dh__sqlrun *r, size_t *ord, size_t n, const struct dh_value *rows, size_t w,
		  size_t off, const struct sqlc_sort *keys, int nk);

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
	const struct dh_sqlseq *seqlike; /* LIKE: the identity's options from this */
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
	char deferrable; /* 0, 'i' DEFERRABLE (INITIALLY IMMEDIATE), 'd' INITIALLY DEFERRED */
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
/* CREATE TABLE AS, SELECT INTO: table into->rel made of sel's columns
 * and filled with its rows (into->skip_data: not).  Tag SELECT n, or
 * CREATE TABLE AS when no query ran. */
int dh__sqlc_create_table_as(struct dh__sqlrun *r, const PgQuery__IntoClause *into,
			     const PgQuery__SelectStmt *sel, int if_not_exists);
void dh__sqlc_edn_str(struct dh_buf *b, const char *s);
/* Retract every datom of attribute a (a column's values). */
int dh__sqlc_retract_attr(struct dh__sqlrun *r, struct dh_wtx *w, uint64_t a);
/* The objects a DROP takes with it, as PostgreSQL's
 * reportDependentObjects reports them: _add one (what: "view v", on: what
 * it depends on, "table t"; strings that live as long as the statement)
 * with a sort key (an entity id: its age, as PostgreSQL's OIDs, or the
 * order found).  _end sorts them by key (sort 1), by key descending (-1)
 * or not (0); with cascade it raises the NOTICE ("drop cascades to view
 * v", or "drop cascades to N other objects" with the list as DETAIL) and
 * returns 0; without, any dependent is 2BP01 "cannot drop WHAT because
 * other objects depend on it" (WHAT NULL: several objects were named)
 * with "view v depends on table t" lines as DETAIL. */
struct dh__sqlc_dep {
	uint64_t key;
	const char *what, *on;
};
struct dh__sqlc_cascade {
	struct dh__sqlc_dep *v;
	size_t n, cap;
};
void dh__sqlc_cascade_add(struct dh__sqlrun *r, struct dh__sqlc_cascade *c, uint64_t key,
			  const char *what, const char *on);
int dh__sqlc_cascade_end(struct dh__sqlrun *r, struct dh__sqlc_cascade *c, int sort, int cascade,
			 const char *what);
int dh__sqlc_name_ok(struct dh__sqlrun *r, const char *what, const char *name, int location);

/* sqlc-alter.c */
/* Every row of t: ncols + 1 values each (the last db_id). */
int dh__sqlc_all_rows(struct dh__sqlrun *r, struct dh_sqltable *t, struct dh_value **rows,
		      size_t *n);
int dh__sqlc_alter_table(struct dh__sqlrun *r, const PgQuery__AlterTableStmt *st);
int dh__sqlc_rename(struct dh__sqlrun *r, const PgQuery__RenameStmt *st);
int dh__sqlc_truncate(struct dh__sqlrun *r, const PgQuery__TruncateStmt *st);
/* sqlc-vacuum.c: VACUUM and ANALYZE, PostgreSQL's checks and no work. */
int dh__sqlc_vacuum(struct dh__sqlrun *r, const PgQuery__VacuumStmt *st);
int dh__sqlc_create_index(struct dh__sqlrun *r, const PgQuery__IndexStmt *st);
int dh__sqlc_create_view(struct dh__sqlrun *r, const PgQuery__ViewStmt *st);
int dh__sqlc_drop(struct dh__sqlrun *r, const PgQuery__DropStmt *st);
/* COMMENT ON TABLE, COLUMN, VIEW, SEQUENCE, INDEX: :dh.sql/comment on
 * the object's entity (IS NULL or '' removes it). */
int dh__sqlc_comment(struct dh__sqlrun *r, const PgQuery__CommentStmt *st);

/* sqlc-dml.c */
int dh__sqlc_insert(struct dh__sqlrun *r, const PgQuery__InsertStmt *st);
int dh__sqlc_update(struct dh__sqlrun *r, const PgQuery__UpdateStmt *st);
int dh__sqlc_delete(struct dh__sqlrun *r, const PgQuery__DeleteStmt *st);
/* sqlc-temp.c: a statement's names of the session's temporary tables
 * rewritten to their stored (prefixed) names (*out a copy in r->a, or n);
 * CREATE TEMP: *out the RangeVar to create (the prefixed name; oncommit a
 * PgQuery__OnCommitAction to run at COMMIT), then _created marks the new
 * table's attributes :db/noHistory. */
int dh__sqltemp_rewrite(struct dh__sqlrun *r, const PgQuery__Node *n, const PgQuery__Node **out);
int dh__sqltemp_create(struct dh__sqlrun *r, const PgQuery__RangeVar *rv, int oncommit,
		       PgQuery__RangeVar **out);
int dh__sqltemp_created(struct dh__sqlrun *r, const char *name);
/* Is name (stored) one of the session's temporary tables; does tree n
 * (rewritten) read one? */
int dh__sqltemp_is(struct dh_sql *s, const char *name);
int dh__sqltemp_reads(struct dh_sql *s, const PgQuery__Node *n);
/* sqlc-view.c: parse trees the statement owns.  _copy_node: a deep copy
 * of n in arena a (to change: the session's trees are read only).
 * _walk: w->fn on m and every message below it, pre-order (a Node before
 * its member; fn may overwrite a Node in place); fn returns 1 to skip
 * the children, < 0 to stop (returned).  w->depth counts the subqueries
 * (SubLink, RangeSubselect) above the message. */
PgQuery__Node *dh__sqlc_copy_node(struct dh_arena *a, const PgQuery__Node *n);
struct sqlc_walk {
	int (*fn)(struct sqlc_walk *w, ProtobufCMessage *m);
	int depth;
	void *ctx;
};
int dh__sqlc_walk(struct sqlc_walk *w, ProtobufCMessage *m);
/* sqlc-view.c: an INSERT, UPDATE or DELETE n whose target is a view,
 * rewritten onto the view's base table (*out a copy in r->a; n itself when
 * the target is no view).  55000 for a view that is not automatically
 * updatable, 0A000 for a read-only column it assigns, 42703. */
int dh__sqlc_view_rewrite(struct dh__sqlrun *r, const PgQuery__Node *n, const PgQuery__Node **out);
/* A statement whose own WITH holds INSERT, UPDATE or DELETE (wc): run n
 * with every sub-statement reading the state before it, then write what
 * they all changed (in the order they ran), then the foreign keys, then
 * hand over n's result.  PostgreSQL's one snapshot per statement. */
int dh__sqlc_defer_run(struct dh__sqlrun *r, const PgQuery__Node *n,
		       const PgQuery__WithClause *wc);
/* wc's data-modifying query stmt (a node of it), run now with the WITH
 * queries visible: c gets its RETURNING columns and rows. */
int dh__sqlc_dml_cte(struct dh__sqlrun *r, const PgQuery__WithClause *wc, const PgQuery__Node *stmt,
		     struct sqlc_cte *visible, struct sqlc_cte *c);
/* Rows into table t (a new one: no defaults, keys or checks), as INSERT
 * writes them; ncols values a row in column order. */
int dh__sqlc_fill_table(struct dh__sqlrun *r, const char *table, const struct dh_value *rows,
			size_t nrows, int ncols);

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
const char *dh__sqlcon_ukey_name(struct sqlc_con *cx, int u);
/* Do rows[0..n) (ncols + 1 values each) repeat a key of unique key u
 * among themselves?  1 with *dup the second row of a pair, 0, < 0. */
int dh__sqlcon_dups(struct sqlc_con *cx, int u, const struct dh_value *rows, size_t n, size_t *dup);
/* Unique key u's parts: column indexes (-1: an expression) and, for an
 * index on expressions, each part's text (*ktext NULL otherwise). */
int dh__sqlcon_ukey_cols(struct sqlc_con *cx, int u, const int **cols, const char *const **ktext);
/* "Key (a, lower(b))=(1, x)" of unique key which for row vals. */
void dh__sqlcon_key_text(struct sqlc_con *cx, int which, const struct dh_value *vals,
			 struct dh_buf *b);
/* Does index ix's key list read column col (by name)? */
int dh__sqlc_index_reads(struct dh__sqlrun *r, const struct dh_sqlindex *ix, const char *col);
/* An index key expression compiled over t's row (slot i column i): 42P17
 * for a volatile function. */
int dh__sqlc_index_expr(struct dh__sqlrun *r, const struct dh_sqltable *t, const PgQuery__Node *e,
			struct dh_sqlx **out);
void dh__sqlcon_log(struct sqlc_con *cx, uint64_t e, const struct dh_value *old,
		    const struct dh_value *nu);
/* After the statement's writes: foreign keys both ways, with actions. */
int dh__sqlcon_after(struct sqlc_con *cx);
/* Deferred constraints (DEFERRABLE, SET CONSTRAINTS): is constraint eid
 * (declared: its :dh.sql/deferrable, 0 if none) deferred now, in a
 * transaction block?  Then a statement skips it and notes it pending:
 * checked over the whole table at COMMIT (dh__sqlcon_commit, sql-int.h). */
int dh__sqlcon_deferred(struct dh_sql *s, uint64_t eid, char declared);
void dh__sqlcon_pending(struct dh_sql *s, const char *table, uint64_t eid);
int dh__sqlc_set_constraints(struct dh__sqlrun *r, const PgQuery__ConstraintsSetStmt *st);
int dh__sqlc_check_notnull(struct dh__sqlrun *r, const struct dh_sqltable *t,
			   const struct dh_value *vals);
void dh__sqlc_row_text(struct dh__sqlrun *r, const struct dh_sqltable *t,
		       const struct dh_value *vals, struct dh_buf *b);
/* A value as the column's attribute stores it (refs, keywords, arrays as
 * their text form); 0A000.  Strings and bytes live in r->a. */
int dh__sqlc_storable(struct dh__sqlrun *r, const struct dh_sqlcol *c, const struct dh_value *v,
		      struct dh_value *out);
/* The inverse: a datom's value d of column c (NULL: no column, only refs
 * and keywords) as the SQL value; arrays are parsed into arena a (22P02 on
 * a string Datalog stored that is no array of the column's type). */
int dh__sqlc_loaded(const struct dh_sqlcol *c, const struct dh_value *d, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
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

/* sqlc-copy.c: COPY FROM STDIN / TO STDOUT through the session's hooks. */
int dh__sqlc_copy(struct dh__sqlrun *r, const PgQuery__CopyStmt *st);
/* PostgreSQL's defGetBoolean of an option (no value: true; 0/1, true/false,
 * on/off): 0 with *out set, or 42601 "%s requires a Boolean value".  An
 * option named "header" also takes "match": then 2 (COPY's HEADER MATCH). */
int dh__sqlc_def_bool(struct dh__sqlrun *r, const PgQuery__DefElem *d, int *out);

/* sqlc-pgcat.c: pg_catalog and information_schema (see the file's
 * comment).  OIDs: DH_PGCAT_OID_BASE + 2 * entity id (+ 1: a table's row
 * type, a constraint's index); the fixed ones are PostgreSQL's. */
enum {
	DH_PGCAT_OID_BASE = 16384,
	DH_PGCAT_NSP_CATALOG = 11,
	DH_PGCAT_NSP_PUBLIC = 2200,
	DH_PGCAT_NSP_INFO = 13207,
	DH_PGCAT_NSP_TEMP = 16384, /* the session's temporary tables (no entity has it) */
	DH_PGCAT_ROLE = 10,	   /* the session's user */
	DH_PGCAT_ROLE_DBOWNER = 6171,
	DH_PGCAT_DATABASE = 16385, /* the session's database */
	DH_PGCAT_MAXRELS = 64,
};
/* Objects' entity ids are below DH_PGCAT_EID_MAX (2^30), so their OIDs
 * stay below DH_PGCAT_RULE_BASE; a view's _RETURN rule (pg_rewrite) is
 * DH_PGCAT_RULE_BASE + the view's entity id, which no object's OID can
 * be. */
#define DH_PGCAT_EID_MAX (UINT64_C(1) << 30)
#define DH_PGCAT_RULE_BASE (UINT64_C(16384) + (UINT64_C(1) << 31))
uint32_t dh__pgcat_rule_oid(uint64_t view); /* 0: out of range */
/* A pg_class row: a catalog relation (sys), a table, an index (con: a
 * PRIMARY KEY's or UNIQUE constraint's, else ix), a sequence, a view. */
struct pgc_rel {
	uint32_t oid, nsp, reltype;
	const char *name;
	char kind;
	int natts;
	uint64_t eid;
	const struct dh__pgcat_rel *sys;
	const struct dh_sqltable *t;
	const struct dh_sqlcon *con;
	const struct dh_sqlindex *ix;
	struct dh_sqlseq *seq;
	struct dh_sqlview *view;
	uint32_t *vtypes; /* a view's column types, once compiled */
	int32_t *vtypmods;
	const char *comment;
};
struct pgc_comment {
	uint64_t eid;
	const char *text;
};
/* The catalog of one statement's view, built on first use and dropped
 * when the next statement starts (the session keeps it: sqlc-fn.c). */
struct dh__pgcat {
	struct dh_arena a;
	struct dh_sql *s;
	struct dh_err *err;
	int ready, building;
	struct dh_view *v;
	const struct dh_schema *sc;
	const char *user, *db;
	struct pgc_rel *rels; /* sorted by OID */
	size_t nrels, arels;
	struct dh_sqltable **tabs;
	int ntabs;
	struct pgc_comment *com; /* by entity id */
	size_t ncom;
	/* each relation's rows, once computed */
	char done[DH_PGCAT_MAXRELS];
	struct dh_value *rows[DH_PGCAT_MAXRELS];
	size_t nrows[DH_PGCAT_MAXRELS];
};
/* Is rv a catalog relation?  0 with *out NULL when it is not (a user
 * table), 42P01 for pg_catalog.nosuch, 0A000 for one dh lacks. */
int dh__sqlc_pgcat_find(struct sqlc_sel *S, const PgQuery__RangeVar *rv,
			const struct dh__pgcat_rel **out);
void dh__sqlc_pgcat_cols(const struct dh__pgcat_rel *rel, int *ncols, const char *const **names,
			 const uint32_t **types, const int32_t **typmods);
const char *dh__sqlc_pgcat_name(const struct dh__pgcat_rel *rel);
/* 0A000 when the columns the query reads (cslot >= 0) include one dh
 * cannot fill truthfully. */
int dh__sqlc_pgcat_check(struct sqlc_sel *S, const struct dh__pgcat_rel *rel, const int *cslot);
/* The relation's rows (its columns in order), valid until the statement
 * ends. */
int dh__sqlc_pgcat_rows(struct sqlc_sel *S, const struct dh__pgcat_rel *rel,
			struct dh_value **rows, size_t *n);
/* The session's snapshot of the catalog for this statement. */
int dh__pgcat_get(struct dh_sql *s, struct dh__pgcat **out, struct dh_err *err);
void dh__pgcat_reset(struct dh__pgcat *pc);
void dh__pgcat_free(struct dh__pgcat *pc);
uint32_t dh__pgcat_oid(uint64_t eid, int odd); /* 0: out of range */
/* sqlc-pgcat-proc.c: the built-in functions pg_catalog's regproc columns
 * name, with PostgreSQL 15's OIDs and names: a function's name (NULL: not
 * one of them), a name's OID (0: none), and a type's typsubscript,
 * typinput, typoutput, typreceive, typsend, typmodin, typmodout and
 * typanalyze (type 0: a table's row type; NULL: a type not listed). */
enum { DH_PGPROC_NTYPCOLS = 8 };
const char *dh__pgproc_name(uint32_t oid);
uint32_t dh__pgproc_oid(const char *name);
const uint32_t *dh__pgproc_type(uint32_t type);
/* sqlc-pgcat-proc.c: pg_proc's rows, the built-in functions dh implements
 * with PostgreSQL 15's OIDs and columns (a table taken from PostgreSQL 15,
 * each row kept only while dh_sqlx_has_func says dh resolves it), and what
 * pg_get_function_result, _arguments and _identity_arguments print for
 * them.  All in pg_catalog, owned by the bootstrap role. */
struct dh__pgfn {
	uint32_t oid;
	const char *name;
	uint32_t lang; /* 12 internal, 14 sql */
	float cost, rows;
	uint32_t variadic, support;
	/* prokind provolatile proparallel, then proisstrict proretset
	 * proleakproof as t or f */
	const char *flags;
	int nargdefaults;
	uint32_t rettype;
	const char *argtypes;		 /* proargtypes' OIDs: "25 23" */
	const char *allargtypes;	 /* proallargtypes' the same; NULL */
	const char *argmodes, *argnames; /* comma-separated; NULL: none */
	const char *argdefaults;	 /* pg_get_expr of proargdefaults */
	const char *src, *sqlbody;	 /* prosrc; pg_get_function_sqlbody */
	const char *result, *args, *identargs;
	int nsame; /* PostgreSQL 15's functions of this name */
};
/* The rows in OID order: pass NULL first, then the previous one; NULL at
 * the end. */
const struct dh__pgfn *dh__pgfn_next(const struct dh__pgfn *prev);
const struct dh__pgfn *dh__pgfn_by_oid(uint32_t oid); /* NULL: none */
/* The row named name (the first of them), NULL if none. */
const struct dh__pgfn *dh__pgfn_named(const char *name);
/* pg_class.oid of a table (0: out of range), of a catalog relation */
uint32_t dh__pgcat_table_oid(const struct dh_sqltable *t);
uint32_t dh__pgcat_rel_oid(const struct dh__pgcat_rel *rel);
const struct pgc_rel *dh__pgcat_rel(struct dh__pgcat *pc, uint32_t oid);
const struct pgc_rel *dh__pgcat_rel_named(struct dh__pgcat *pc, const char *name, uint32_t nsp);
const char *dh__pgcat_comment(struct dh__pgcat *pc, uint64_t eid);
const char *dh__pgcat_nsp_name(uint32_t nsp); /* NULL: no such namespace */
uint32_t dh__pgcat_typcoll(uint32_t type);
int dh__pgcat_view_types(struct dh__pgcat *pc, struct pgc_rel *r, struct dh_err *err);
/* sqlc-pgcat-fn.c: the functions psql's catalog queries call
 * (format_type, pg_get_expr, pg_table_is_visible, ...), as session
 * functions (ids from DH_PGCAT_FN_BASE), and the reg* types' names. */
enum { DH_PGCAT_FN_BASE = 1000 };
int dh__sqlc_pgcat_function(const char *name, int nargs, struct dh_sqlx *const *args, int *id,
			    uint32_t *type, int32_t *typmod, int *volatile_, struct dh_err *err);
int dh__sqlc_pgcat_call(struct dh__sqlrun *r, int id, int nargs, const struct dh_value *args,
			struct dh_value *out);
extern const struct dh_sqlenv_cat dh__pgcat_envcat;
/* sqlc-fn.c: the session's slot for its catalog snapshot. */
struct dh__pgcat **dh__sqlsess_pgcat(struct dh_sql *s);

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

/* A statement starts (sqlc.c): its instant, and the transaction's if it
 * is the first.  dh__sqlsess_now: the transaction's instant (now()). */
void dh__sqlsess_stmt(struct dh_sql *s);
int64_t dh__sqlsess_now(struct dh_sql *s);
/* Session memory of sequences: currval (mode 1 nextval, 2 setval: set;
 * 0: ask, returns 1 if defined), and the states to write again after a
 * rollback. */
int dh__sqlsess_currval(struct dh_sql *s, uint64_t eid, int64_t v, int mode);
int64_t dh__sqlsess_currval_get(struct dh_sql *s, uint64_t eid);
void dh__sqlsess_remember(struct dh_sql *s, uint64_t eid, int64_t last, int called, int absolute,
			  int64_t inc);
/* Tables created or truncated in the transaction, by table entity, under
 * w's savepoint marks: PostgreSQL's rd_createSubid and
 * rd_newRelfilenodeSubid, which COPY FREEZE asks for.  _newrel records that
 * table eid was created (created 1) or emptied by TRUNCATE (0) now, in w's
 * innermost savepoint; _isnewrel says (1) whether either happened in the
 * innermost savepoint or in one since released into it (a truncation
 * rolled back is forgotten, as PostgreSQL forgets it).  Forgotten when the
 * write transaction ends. */
void dh__sqlsess_newrel(struct dh_sql *s, struct dh_wtx *w, uint64_t eid, int created);
int dh__sqlsess_isnewrel(struct dh_sql *s, struct dh_wtx *w, uint64_t eid);

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
