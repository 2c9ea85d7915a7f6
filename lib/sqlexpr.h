/*
 * sqlexpr: SQL scalar expressions.  A pg_query expression node is compiled
 * once (at plan time) into a typed tree, with PostgreSQL 15's rules: the
 * types of unknown literals, operator and function resolution (exact
 * match, then implicit casts, preferred types, unknown-literal
 * heuristics, as parse_oper.c / parse_func.c do), implicit casts inserted,
 * common types (CASE, COALESCE, IN lists, GREATEST).  The tree is then
 * evaluated per row with three-valued logic.
 *
 * The statement compiler (sqlc) owns everything that is not a scalar
 * expression: it tells the compiler what a column reference means, what an
 * aggregate, window function or subquery yields, and implements the
 * functions that need the session or store (nextval, now(), dh_*), all
 * through struct dh_sqlx_scope.  Values follow lib/README's runtime
 * representation (sqltype.h); NULL is DH_T_NONE.
 *
 *   struct dh_sqlx_cc cc = { arena, err, env, &scope, params };
 *   struct dh_sqlx *x;
 *   dh_sqlx_compile(&cc, node, &x);            x->type, x->typmod
 *   dh_sqlx_coerce(&cc, x, DH_OID_INT4, -1, DH_CAST_ASSIGNMENT, "price", &x);
 *   struct dh_sqlx_run r = { arena, err, env, row, NULL, params, rctx };
 *   dh_sqlx_eval(x, &r, &v);
 *
 * Errors are DH_ESQL with PostgreSQL's SQLSTATE, message and character
 * position (err->position, 1-based, from the node's location + 1):
 * 42883 operator does not exist: integer + text (with HINT), 42725
 * operator is not unique, 42804 argument of WHERE must be type boolean,
 * not type integer (dh_sqlx_coerce's "where" wording via what), 22012
 * division by zero at run time, ...
 */
#ifndef DH_SQLEXPR_H
#define DH_SQLEXPR_H

#include <stdint.h>

#include <pg_query/pg_query.pb-c.h>

#include "datom.h"
#include "sqltype.h"
#include "util.h"

struct dh_sqlx;

/* What a name in an expression means: the statement compiler's answers.
 * Each hook returns 0 (found: fills the outputs), 1 (not mine: the
 * compiler tries the outer scope, then reports the PostgreSQL error), or a
 * negative DH_E* error it has filled in (42702 column reference "x" is
 * ambiguous, 42803 aggregate functions are not allowed in WHERE, ...).
 * A hook may be NULL (never mine). */
struct dh_sqlx_scope {
	void *ctx;
	const struct dh_sqlx_scope *outer; /* the enclosing query (correlation) */

	/* A ColumnRef's fields: names[0..n) ("t", "col" / "col" / "s", "t",
	 * "col"); whole-row and "t.*" references come here with names[n-1]
	 * == "*" only inside expressions (row(t.*)): not supported yet
	 * (0A000) is a fine answer.  Found: the value is slot *slot of the
	 * row at this scope's level. */
	int (*column)(void *ctx, const char *const *names, int n, int location, int *slot,
		      uint32_t *type, int32_t *typmod, struct dh_err *err);

	/* An aggregate or window call (FuncCall with agg_star, agg_distinct,
	 * agg_order, agg_filter, over, or a name the statement compiler knows
	 * as an aggregate: count, sum, ...): the compiler calls this before
	 * looking the name up as a scalar function.  Found: the result is
	 * slot *slot of the row (the statement compiler computes it in its
	 * grouping or window node and places it there). */
	int (*aggregate)(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type,
			 int32_t *typmod, struct dh_err *err);

	/* A sublink (EXISTS, IN (SELECT), = ANY (SELECT), scalar, ARRAY): the
	 * statement compiler plans the subquery and returns a handle and the
	 * type its evaluation yields (bool for EXISTS/ANY/ALL/IN, the column's
	 * type for EXPR, its array type for ARRAY).  For ANY/ALL/IN the
	 * compiler passes the compiled test expression (left side) with its
	 * type; the hook resolves the operator itself (dh_sqlx_oper may
	 * help).  At run time the handle is evaluated through
	 * dh_sqlx_run.sublink. */
	int (*sublink)(void *ctx, const PgQuery__SubLink *sl, struct dh_sqlx *test,
		       void **handle, uint32_t *type, int32_t *typmod, struct dh_err *err);

	/* Functions that need the session or the store (nextval, currval,
	 * setval, lastval, now()/current_timestamp's transaction instant,
	 * current_setting, set_config, version(), current_database(),
	 * dh_branches(), dh_current_tx(), ...), consulted before the built-in
	 * catalog: name is lower case, args already compiled (types known).
	 * Found: *id is passed back to dh_sqlx_run.call at run time, *type
	 * and *typmod are the result's; *volatile_ set if it must not be
	 * folded at compile time. */
	/* Any expression node, before it is compiled: found means the
	 * statement compiler has its value in slot *slot already (a GROUP BY
	 * expression after grouping).  Only the innermost scope's is asked. */
	int (*node)(void *ctx, const PgQuery__Node *n, int *slot, uint32_t *type, int32_t *typmod,
		    struct dh_err *err);

	int (*function)(void *ctx, const char *name, int nargs, struct dh_sqlx *const *args,
			int location, int *id, uint32_t *type, int32_t *typmod, int *volatile_,
			struct dh_err *err);

	/* A relation of this scope named name (a FROM item's alias), for a
	 * whole-row reference as the argument of row_to_json, to_json,
	 * to_jsonb (t, t.*): found: its columns in order, their names and
	 * where the row has them (slots[i], types[i], typmods[i]; arrays in
	 * the scope's memory). */
	int (*relation)(void *ctx, const char *name, int location, int *ncols,
			const char *const **colnames, const int **slots, const uint32_t **types,
			const int32_t **typmods, struct dh_err *err);
};

/* Compile context. */
struct dh_sqlx_cc {
	struct dh_arena *a; /* the tree lives here */
	struct dh_err *err;
	const struct dh_sqlenv *env;
	const struct dh_sqlx_scope *scope; /* may be NULL: no columns */
	/* Parameters $1..$n: types[i] 0 = unknown, which the compiler infers
	 * from the first use (as PostgreSQL does for Parse without types) and
	 * writes back; nparams grows to the highest $n seen (up to cap). */
	uint32_t *param_types;
	int nparams, param_cap;
	const char *text; /* the statement's text, for error positions; may be NULL */
};

/* Node kinds of the compiled tree.  The statement compiler may build
 * trees itself (SX_SLOT for a column it computed, SX_CONST). */
enum dh_sqlx_kind {
	SX_CONST,    /* val */
	SX_SLOT,     /* row[slot] at level levelsup (0: this row) */
	SX_PARAM,    /* params[slot] */
	SX_FUNC,     /* fn(args) strict or not (see strict) */
	SX_CAST,     /* cast(args[0]) */
	SX_AND,      /* 3VL over args */
	SX_OR,
	SX_NOT,
	SX_CASE,     /* args: [test?] when1 then1 ... [else] */
	SX_COALESCE,
	SX_NULLIF,
	SX_GREATEST,
	SX_LEAST,
	SX_ISNULL,   /* flags: negated */
	SX_BOOLTEST, /* IS [NOT] TRUE/FALSE/UNKNOWN */
	SX_DISTINCT, /* IS [NOT] DISTINCT FROM */
	SX_IN,       /* args[0] IN (args[1..]) with op */
	SX_ANYALL,   /* args[0] op ANY/ALL (array args[1]) */
	SX_ARRAY,    /* ARRAY[args] */
	SX_SUBSCRIPT,
	SX_SUBLINK,  /* handle, via dh_sqlx_run.sublink */
	SX_CALL,     /* id, via dh_sqlx_run.call */
	SX_OTHER,    /* room for the implementation's own kinds */
};

/* A compiled expression.  The implementation may extend the node (its
 * own members after these); users read only these. */
struct dh_sqlx {
	enum dh_sqlx_kind k;
	uint32_t type; /* result type OID (DH_OID_UNKNOWN for an unresolved literal) */
	int32_t typmod;
	int location;  /* 0-based offset in the text, -1 if none */
	int slot, levelsup;  /* SX_SLOT, SX_PARAM */
	struct dh_value val; /* SX_CONST */
	int nargs;
	struct dh_sqlx **args;
	const struct dh_sqlop *oper; /* SX_FUNC made from an operator, else NULL */
	const char *name; /* the output column name PostgreSQL would give
			   * ("?column?", "sum", "price", "int4", "case") */

	/* The implementation's members (users leave them alone; the
	 * constructors below zero them): */
	int op;		 /* the kind's variant: SX_ISNULL 1 = IS NOT NULL;
			  * SX_BOOLTEST the PgQuery__BoolTestType; SX_DISTINCT 1
			  * = IS NOT DISTINCT; SX_IN, SX_ANYALL 1 = ALL (NOT IN);
			  * SX_CASE 1 = simple CASE (args[0] the test); SX_CAST
			  * 1 = explicit; SX_ARRAY 1 = of sub-arrays; SX_SUBSCRIPT
			  * 1 = slice; SX_OTHER the enum in sqlexpr-int.h.  An IN
			  * list compiles as PostgreSQL's does: x = ANY (SX_ANYALL)
			  * over an SX_ARRAY of the items without columns, OR'ed
			  * with one comparison per item with columns */
	int strict;	 /* SX_FUNC: any NULL argument gives NULL */
	int volatile_;	 /* SX_FUNC, SX_CALL: not constant */
	dh_sqlfn fn;	 /* SX_FUNC; the comparison of SX_IN, SX_ANYALL,
			  * SX_DISTINCT, SX_NULLIF */
	const uint32_t *argtypes;      /* SX_FUNC: the types fn is called with */
	const struct dh_sqlcast *cast; /* SX_CAST: the pathway (a length
					* coercion is a relabeling one) */
	void *handle;		       /* SX_SUBLINK */
	int id;			       /* SX_CALL */
};

/* A type name as written (int, varchar(3), text[]): its OID and typmod;
 * 42704 type "x" does not exist. */
int dh_sqlx_type_name(struct dh_sqlx_cc *cc, const PgQuery__TypeName *tn, uint32_t *oid,
		      int32_t *typmod);

/* Compile an expression node.  A literal stays unknown-typed until
 * something needs its type (dh_sqlx_resolve_unknown, coerce). */
int dh_sqlx_compile(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out);

/* Coerce x to type (typmod) in context ctx (enum dh_castctx: implicit,
 * assignment, explicit), as PostgreSQL's coerce_to_target_type: an
 * unknown literal is read as the type; otherwise a cast pathway allowed
 * in ctx, else 42804.  what: for the error message, e.g. the column name
 * in INSERT ("column \"price\" is of type integer but expression is of
 * type text") or NULL for the generic form.  *out may be x itself. */
int dh_sqlx_coerce(struct dh_sqlx_cc *cc, struct dh_sqlx *x, uint32_t type, int32_t typmod,
		   int ctx, const char *what, struct dh_sqlx **out);

/* A condition (WHERE, HAVING, ON, CHECK, CASE WHEN): coerce to bool;
 * 42804 "argument of WHERE must be type boolean, not type integer" with
 * construct = "WHERE". */
int dh_sqlx_coerce_bool(struct dh_sqlx_cc *cc, struct dh_sqlx *x, const char *construct,
			struct dh_sqlx **out);

/* Unknown literals left at the top of a select list become text, as in
 * PostgreSQL 10+. */
int dh_sqlx_resolve_unknown(struct dh_sqlx_cc *cc, struct dh_sqlx *x, struct dh_sqlx **out);

/* select_common_type over xs[0..n) for construct ("UNION", "CASE",
 * "VALUES", "COALESCE"): *type and *typmod (typmod kept only if all
 * agree); 42804 "UNION types integer and text cannot be matched". */
int dh_sqlx_common_type(struct dh_sqlx_cc *cc, struct dh_sqlx *const *xs, int n,
			const char *construct, uint32_t *type, int32_t *typmod);

/* Resolve binary operator name for operand types (left 0 for prefix), as
 * PostgreSQL's oper(): for sublinks, IN, and the statement compiler's
 * join/sort equality.  NULL with err set (42883) if none. */
const struct dh_sqlop *dh_sqlx_oper(struct dh_sqlx_cc *cc, const char *name, uint32_t left,
				    uint32_t right, int location);

/* Does an expression resolve a call to the built-in function name with
 * exactly these declared argument types (pg_proc.proargtypes; a VARIADIC
 * "any" one ends in DH_OID_ANY)?  1 or 0.  The catalogs list only the
 * functions it answers 1 for (sqlc-pgcat-proc.c). */
int dh_sqlx_has_func(const char *name, int nargs, const uint32_t *args);

/* The operator call l name r (l NULL: prefix), resolved and coerced as in
 * an expression: for conditions the statement compiler builds (USING). */
int dh_sqlx_op(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx *l, struct dh_sqlx *r,
	       int location, struct dh_sqlx **out);

/* An assignment to a subscripted target (UPDATE t SET a[2] = v, a[1:2] =
 * v, j['k'] = v; INSERT INTO t (a[1]) ...): base is the target's current
 * value (a column's slot), ind[0..n) the target's indirection, val the
 * compiled source, coerced here to the element (array slice, jsonb) type
 * in assignment context (42804 subscripted assignment to "what" requires
 * type integer but expression is of type text).  *out computes the
 * target's whole new value, of base's type; at run time it fails as
 * PostgreSQL's array_set_element / jsonb_set_element do.  A field
 * selection in ind is 0A000. */
int dh_sqlx_assign_subscripts(struct dh_sqlx_cc *cc, struct dh_sqlx *base,
			      PgQuery__Node *const *ind, size_t n, struct dh_sqlx *val,
			      const char *what, struct dh_sqlx **out);

/* A constant node; a slot node (the statement compiler's columns). */
struct dh_sqlx *dh_sqlx_const(struct dh_arena *a, uint32_t type, int32_t typmod,
			      const struct dh_value *v);
struct dh_sqlx *dh_sqlx_slot(struct dh_arena *a, int slot, int levelsup, uint32_t type,
			     int32_t typmod, const char *name);

/* A ROW constructor's compiled fields ((a, b) IN (SELECT ...), row op
 * (SELECT ...)): their number, or -1 when x is not one.  A sublink whose
 * test is a row gets the fields' values as a vector (DH_T_COLL). */
int dh_sqlx_row_fields(const struct dh_sqlx *x, struct dh_sqlx *const **fields);

/* Whether x is constant (no slots, params, sublinks, volatile calls):
 * then dh_sqlx_eval with an empty row gives its value. */
int dh_sqlx_is_const(const struct dh_sqlx *x);

/* Set-returning functions of sqlstr.c, called by the statement compiler's
 * function scans (sqlc-srf.c) with checked text arguments (string,
 * pattern [, flags]; c->nargs of them): the set as a vector in c->arena,
 * one item per row.  regexp_matches: text[] items (the groups, or the
 * whole match); regexp_split_to_table: text items.  2201B, 22023 as
 * PostgreSQL's. */
int dh_sqlx_regexp_matches(struct dh_sqlcall *c, const struct dh_value *argv,
			   struct dh_value *out);
int dh_sqlx_regexp_split(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out);

/* Run context. */
struct dh_sqlx_run {
	struct dh_arena *a; /* results go here (per row or per statement) */
	struct dh_err *err;
	const struct dh_sqlenv *env;
	const struct dh_value *row;       /* this level's slots */
	const struct dh_sqlx_run *outer;  /* levelsup 1 reads outer->row, ... */
	const struct dh_value *params;
	void *ctx; /* the statement compiler's, for the hooks below */
	int (*sublink)(void *ctx, void *handle, const struct dh_sqlx_run *r,
		       const struct dh_value *test, struct dh_value *out);
	int (*call)(void *ctx, int id, int nargs, const struct dh_value *args,
		    const struct dh_sqlx_run *r, struct dh_value *out);
};

/* Anonymous record types, as PostgreSQL blesses RECORD typmods: a row of
 * named, typed fields (the OUT columns of a function returning several,
 * information_schema._pg_expandarray's (x, n)).  dh_sqlx_record_typmod
 * interns a shape for the process and returns the typmod that names it
 * (-1: the table of shapes is full); dh_sqlx_record_shape reads one back
 * (-1: no such typmod).  A RECORD value of such a typmod is a vector of
 * its fields; (value).field selects one.  The names are copied. */
int32_t dh_sqlx_record_typmod(int n, const char *const *names, const uint32_t *types);
int dh_sqlx_record_shape(int32_t typmod, int *n, const char *const **names,
			 const uint32_t **types);

/* Evaluate: *out is the value (DH_T_NONE for NULL).  Bytes in r->a. */
int dh_sqlx_eval(const struct dh_sqlx *x, const struct dh_sqlx_run *r, struct dh_value *out);

/* A condition's outcome: 1 true, 0 false or NULL, < 0 error. */
int dh_sqlx_test(const struct dh_sqlx *x, const struct dh_sqlx_run *r);

#endif
