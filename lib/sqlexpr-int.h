/*
 * sqlexpr-int: what the files of the sqlexpr module share.  sqlexpr.c
 * turns pg_query nodes into the typed tree (parse_expr.c's part) and names
 * output columns (FigureColname); sqlexpr-res.c resolves types as
 * parse_oper.c, parse_func.c and parse_coerce.c do (candidates, implicit
 * casts, polymorphic types, common types, coercions); sqlexpr-eval.c
 * evaluates the tree; sqlstr.c holds the string functions, LIKE, SIMILAR TO
 * and regular expressions that sqltype's tables lack, in tables this module
 * consults after sqltype's catalog.
 */
#ifndef DH_SQLEXPR_INT_H
#define DH_SQLEXPR_INT_H

#include "sqlexpr.h"

/* SX_OTHER's variants (x->op) */
enum sx_other {
	SXO_CASETEST = 1, /* the value of a simple CASE's test */
	SXO_ARRAYCOERCE,  /* args[0] an array, cast element by element (cast) */
	SXO_ROW,	  /* ROW(...): only IS [NOT] NULL looks into it */
	SXO_ROWCMP,	  /* (a, b) < (c, d): args op1, eq1, op2, eq2, ...;
			   * slot 1 when equal rows satisfy it (<=, >=) */
	SXO_RECORD,	  /* a row of named fields (a RowExpr with colnames, as
			   * sqlc-srf.c writes one): a vector, typmod its shape */
	SXO_FIELD,	  /* (args[0]).field: item slot of the record */
};

/* x->op of SX_SUBSCRIPT: a slice; an assignment (args: the array, lo and
 * hi per subscript (NULL pointers for omitted bounds), the new value last;
 * the result is the whole new array, or jsonb document) */
#define SX_SUB_SLICE 1
#define SX_SUB_ASSIGN 2

/* x->op of SX_CAST: bit 1 explicit (varchar truncates) */
#define SX_CAST_EXPLICIT 1

/* --- this module's own functions and operators (sqlstr.c) --- */

/* Flags of a function row. */
enum {
	SXF_NONSTRICT = 1, /* called with NULL arguments */
	SXF_VARIADIC = 2,  /* VARIADIC "any" after the nargs fixed ones */
	SXF_VOLATILE = 4,
	SXF_VARARRAY = 8,  /* a catalog VARIADIC elem[]: the arguments past
			    * the fixed ones are passed as one array */
};
struct dh__sqlfunc {
	const char *name;
	int nargs;
	uint32_t args[DH_SQLPROC_MAXARGS];
	uint32_t result;
	dh_sqlfn fn;
	int flags;
};
extern const struct dh__sqlfunc dh__sqlx_funcs[];
extern const size_t dh__sqlx_funcs_n;
extern const struct dh_sqlop dh__sqlx_ops[];
extern const size_t dh__sqlx_ops_n;

/* --- resolution (sqlexpr-res.c) --- */

/* A candidate operator or function: the catalog's row, or this module's. */
struct sx_cand {
	int nargs;
	uint32_t args[16];
	uint32_t result;
	dh_sqlfn fn;
	int flags; /* SXF_* */
	const char *name;
};

/* Coercion contexts, ordered as PostgreSQL's CoercionContext */
enum { SX_COERCE_IMPLICIT = 0, SX_COERCE_ASSIGNMENT = 1, SX_COERCE_EXPLICIT = 2 };

/* Pathway kinds (find_coercion_pathway) */
enum sx_path {
	SX_PATH_NONE = 0,
	SX_PATH_RELABEL,
	SX_PATH_FUNC,
	SX_PATH_ARRAY,
	SX_PATH_IO,
};
enum sx_path dh__sqlx_pathway(uint32_t target, uint32_t source, int ctx, struct dh_sqlcast *c);
int dh__sqlx_can_coerce(int nargs, const uint32_t *in, const uint32_t *want, int ctx);
int dh__sqlx_ctx(int castctx); /* enum dh_castctx -> SX_COERCE_* */

const struct dh_sqltype *dh__sqlx_type(uint32_t oid);
char dh__sqlx_category(uint32_t oid);
int dh__sqlx_is_poly(uint32_t oid);
uint32_t dh__sqlx_elem(uint32_t oid);
uint32_t dh__sqlx_array_of(uint32_t oid);

/* The type's name as format_type_be prints it, in the compile arena. */
const char *dh__sqlx_typename(struct dh_sqlx_cc *cc, uint32_t oid);
const char *dh__sqlx_typename_mod(struct dh_sqlx_cc *cc, uint32_t oid, int32_t typmod);

/* Select among candidates for input types (func_match_argtypes +
 * func_select_candidate): index, -1 none, -2 ambiguous. */
int dh__sqlx_select(struct sx_cand *cs, int nc, const uint32_t *in, int nargs);
/* enforce_generic_type_consistency: resolves declared[] in place, returns
 * the result type, 0 with err set on failure. */
uint32_t dh__sqlx_poly(struct dh_sqlx_cc *cc, const uint32_t *actual, uint32_t *declared,
		       int nargs, uint32_t rettype, int location);

/* Operator resolution: builds the node (SX_FUNC) with coerced args.
 * left NULL for prefix. */
int dh__sqlx_make_op(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx *l,
		     struct dh_sqlx *r, int location, struct dh_sqlx **out);
/* Resolve an operator for types, giving the candidate (with declared types
 * resolved) and its result. */
int dh__sqlx_oper(struct dh_sqlx_cc *cc, const char *name, uint32_t lt, uint32_t rt,
		  int location, struct sx_cand *out);
/* Function call by name with compiled args. */
int dh__sqlx_make_func(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx **args,
		       int nargs, int location, const PgQuery__FuncCall *fc, struct dh_sqlx **out);

/* coerce_type: x to type/typmod in context (SX_COERCE_*), with location for
 * errors; returns 0, 1 if no pathway (no error set), or < 0. */
int dh__sqlx_coerce_type(struct dh_sqlx_cc *cc, struct dh_sqlx *x, uint32_t type,
			 int32_t typmod, int ctx, int location, struct dh_sqlx **out);
/* coerce_to_common_type: implicit, else 42846 "%s could not convert type
 * %s to %s". */
int dh__sqlx_coerce_common(struct dh_sqlx_cc *cc, struct dh_sqlx *x, uint32_t type,
			   const char *construct, struct dh_sqlx **out);
/* select_common_type with construct NULL: 0 type if none (no error). */
uint32_t dh__sqlx_common(struct dh_sqlx_cc *cc, struct dh_sqlx *const *xs, int n,
			 const char *construct, int *failed);

/* Nodes */
struct dh_sqlx *dh__sqlx_node(struct dh_arena *a, enum dh_sqlx_kind k, uint32_t type,
			      int32_t typmod, int location, int nargs);
void dh__sqlx_leftmost(struct dh_sqlx *x);
/* err->position from a 0-based location */
int dh__sqlx_pos(struct dh_sqlx_cc *cc, int rc, int location);

/* --- evaluation helpers shared with sqlstr.c --- */
int dh__sqlx_like(const char *s, size_t sn, const char *p, size_t pn, int icase,
		  struct dh_err *err);

#endif
