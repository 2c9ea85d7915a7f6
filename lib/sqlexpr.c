/*
 * sqlexpr: pg_query expression nodes -> the typed tree, as PostgreSQL 15's
 * parse_expr.c transforms them (literals as make_const types them, A_Expr
 * by kind, BETWEEN and IN rewritten the way transformAExprBetween and
 * transformAExprIn do, CASE/COALESCE/GREATEST with their common types,
 * casts, arrays and subscripts), the statement compiler's hooks for
 * columns, aggregates, sublinks and session functions, and the output
 * column names (FigureColname).  Resolution itself is sqlexpr-res.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sqlexpr-int.h"
#include "sqljson.h"

static int compile(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out);

struct dh_sqlx *
dh_sqlx_const(struct dh_arena *a, uint32_t type, int32_t typmod, const struct dh_value *v)
{
	struct dh_sqlx *x = dh__sqlx_node(a, SX_CONST, type, typmod, -1, 0);
	x->val = *v;
	return x;
}

struct dh_sqlx *
dh_sqlx_slot(struct dh_arena *a, int slot, int levelsup, uint32_t type, int32_t typmod,
	     const char *name)
{
	struct dh_sqlx *x = dh__sqlx_node(a, SX_SLOT, type, typmod, -1, 0);
	x->slot = slot;
	x->levelsup = levelsup;
	if (name)
		x->name = name;
	return x;
}

int
dh_sqlx_is_const(const struct dh_sqlx *x)
{
	switch (x->k) {
	case SX_SLOT:
	case SX_PARAM:
	case SX_SUBLINK:
		return 0;
	case SX_CALL:
	case SX_FUNC:
		if (x->volatile_)
			return 0;
		break;
	default:
		break;
	}
	for (int i = 0; i < x->nargs; i++)
		if (x->args[i] && !dh_sqlx_is_const(x->args[i]))
			return 0;
	return 1;
}

static int
unsupported(struct dh_sqlx_cc *cc, int location, const char *what)
{
	int rc = dh_err_sql(cc->err, "0A000", "%s is not supported yet", what);
	return dh__sqlx_pos(cc, rc, location);
}

static const char *
str_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

/* The last name of a qualified name list (operator or function). */
static const char *
last_name(PgQuery__Node **names, size_t n)
{
	return n ? str_of(names[n - 1]) : NULL;
}

/* --- literals --- */

static int
literal(struct dh_sqlx_cc *cc, const PgQuery__AConst *c, struct dh_sqlx **out)
{
	struct dh_value v;
	uint32_t type = DH_OID_UNKNOWN;
	memset(&v, 0, sizeof(v));
	if (c->isnull) {
		v.type = DH_T_NONE;
	} else {
		switch (c->val_case) {
		case PG_QUERY__A__CONST__VAL_IVAL:
			type = DH_OID_INT4;
			v.type = DH_T_LONG;
			v.i = c->ival->ival;
			break;
		case PG_QUERY__A__CONST__VAL_FVAL: {
			/* an integer too large for int4 is int8, then numeric */
			const char *s = c->fval->fval;
			const char *d = s + (*s == '-' || *s == '+');
			int digits = *d != '\0' && strspn(d, "0123456789") == strlen(d);
			if (digits) {
				char *end;
				long long ll;
				errno = 0;
				ll = strtoll(s, &end, 10);
				if (errno == 0 && *end == '\0') {
					type = ll >= INT32_MIN && ll <= INT32_MAX ? DH_OID_INT4
										  : DH_OID_INT8;
					v.type = DH_T_LONG;
					v.i = ll;
					break;
				}
			}
			type = DH_OID_NUMERIC;
			int rc = dh_sqltype_in(DH_OID_NUMERIC, -1, s, strlen(s), cc->env, cc->a, &v,
					       cc->err);
			if (rc)
				return dh__sqlx_pos(cc, rc, c->location);
			break;
		}
		case PG_QUERY__A__CONST__VAL_BOOLVAL:
			type = DH_OID_BOOL;
			v.type = DH_T_BOOL;
			v.b = c->boolval->boolval ? 1 : 0;
			break;
		case PG_QUERY__A__CONST__VAL_SVAL:
			v.type = DH_T_STRING;
			v.s.p = c->sval->sval;
			v.s.n = strlen(c->sval->sval);
			break;
		case PG_QUERY__A__CONST__VAL_BSVAL:
			return unsupported(cc, c->location, "type bit");
		default:
			v.type = DH_T_NONE;
			break;
		}
	}
	*out = dh_sqlx_const(cc->a, type, -1, &v);
	(*out)->location = c->location;
	return 0;
}

/* --- type names --- */

static int
type_name(struct dh_sqlx_cc *cc, const PgQuery__TypeName *tn, uint32_t *oid, int32_t *typmod)
{
	int32_t mods[8];
	int nmods = 0, rc;
	const char *name = NULL;
	char buf[256];
	if (tn->n_names == 2 && str_of(tn->names[0]) &&
	    !strcmp(str_of(tn->names[0]), "pg_catalog")) {
		name = str_of(tn->names[1]);
	} else if (tn->n_names == 1) {
		name = str_of(tn->names[0]);
		/* plain "char" here was written quoted: the one-byte type */
		if (name && !strcmp(name, "char"))
			name = "\"char\"";
	}
	if (!name) {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (size_t i = 0; i < tn->n_names; i++) {
			if (i)
				dh_buf_addc(&b, '.');
			dh_buf_adds(&b, str_of(tn->names[i]) ? str_of(tn->names[i]) : "?");
		}
		rc = dh_err_sql(cc->err, "42704", "type \"%s\" does not exist", (const char *)b.p);
		dh_buf_release(&b);
		return dh__sqlx_pos(cc, rc, tn->location);
	}
	if (tn->pct_type || tn->setof)
		return unsupported(cc, tn->location, "this type name");
	for (size_t i = 0; i < tn->n_typmods; i++) {
		const PgQuery__Node *m = tn->typmods[i];
		if (nmods == 8)
			break;
		if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
			mods[nmods++] = m->a_const->ival->ival;
		} else {
			rc = dh_err_sql(cc->err, "22P02", "type modifiers must be simple constants "
							   "or identifiers");
			return dh__sqlx_pos(cc, rc, tn->location);
		}
	}
	snprintf(buf, sizeof(buf), "%s", name);
	rc = dh_sqltype_parse(buf, mods, nmods, (int)tn->n_array_bounds, oid, typmod, cc->err);
	if (rc)
		return dh__sqlx_pos(cc, rc, tn->location);
	return 0;
}

int
dh_sqlx_type_name(struct dh_sqlx_cc *cc, const PgQuery__TypeName *tn, uint32_t *oid,
		  int32_t *typmod)
{
	return type_name(cc, tn, oid, typmod);
}

/* --- columns, parameters --- */

static int
column_ref(struct dh_sqlx_cc *cc, const PgQuery__ColumnRef *cr, struct dh_sqlx **out)
{
	const char *names[8];
	int n = 0, levels = 0, rc;
	for (size_t i = 0; i < cr->n_fields && n < 8; i++) {
		const PgQuery__Node *f = cr->fields[i];
		if (f->node_case == PG_QUERY__NODE__NODE_A_STAR)
			names[n++] = "*";
		else
			names[n++] = str_of(f) ? str_of(f) : "?";
	}
	for (const struct dh_sqlx_scope *s = cc->scope; s; s = s->outer, levels++) {
		int slot;
		uint32_t type;
		int32_t typmod;
		if (!s->column)
			continue;
		rc = s->column(s->ctx, names, n, cr->location, &slot, &type, &typmod, cc->err);
		if (rc < 0)
			return dh__sqlx_pos(cc, rc, cr->location);
		if (rc == 0) {
			*out = dh_sqlx_slot(cc->a, slot, levels, type, typmod, names[n - 1]);
			(*out)->location = cr->location;
			return 0;
		}
	}
	if (n > 1 && strcmp(names[n - 1], "*") != 0)
		rc = dh_err_sql(cc->err, "42P01", "missing FROM-clause entry for table \"%s\"",
				names[n - 2]);
	else if (n == 1)
		rc = dh_err_sql(cc->err, "42703", "column \"%s\" does not exist", names[0]);
	else
		rc = dh_err_sql(cc->err, "42P01", "missing FROM-clause entry for table \"%s\"",
				names[0]);
	return dh__sqlx_pos(cc, rc, cr->location);
}

static int
param_ref(struct dh_sqlx_cc *cc, const PgQuery__ParamRef *p, struct dh_sqlx **out)
{
	int k, rc;
	uint32_t *types = cc->param_types;
	int cap = cc->param_cap;
	if (!types && cc->env) {
		/* the statement's parameters (the extended protocol) */
		types = cc->env->param_types;
		cap = cc->env->nparams;
	}
	if (p->number < 1 || p->number > cap || !types) {
		rc = dh_err_sql(cc->err, "42P02", "there is no parameter $%d", p->number);
		return dh__sqlx_pos(cc, rc, p->location);
	}
	k = p->number - 1;
	if (cc->nparams < k + 1)
		cc->nparams = k + 1;
	*out = dh__sqlx_node(cc->a, SX_PARAM, types[k] ? types[k] : DH_OID_UNKNOWN, -1,
			     p->location, 0);
	(*out)->slot = k;
	return 0;
}

/* --- operators --- */

static int
op_expr(struct dh_sqlx_cc *cc, const char *name, const PgQuery__Node *l, const PgQuery__Node *r,
	int location, struct dh_sqlx **out)
{
	struct dh_sqlx *lx = NULL, *rx;
	int rc;
	if (l && (rc = compile(cc, l, &lx)))
		return rc;
	if ((rc = compile(cc, r, &rx)))
		return rc;
	return dh__sqlx_make_op(cc, name, lx, rx, location, out);
}

static struct dh_sqlx *
bool_node(struct dh_sqlx_cc *cc, enum dh_sqlx_kind k, struct dh_sqlx *a, struct dh_sqlx *b,
	  int location)
{
	struct dh_sqlx *x = dh__sqlx_node(cc->a, k, DH_OID_BOOL, -1, location, b ? 2 : 1);
	x->args[0] = a;
	if (b)
		x->args[1] = b;
	return x;
}

/* a simple "l op r" on raw nodes, coerced to boolean for construct */
static int
cmp_raw(struct dh_sqlx_cc *cc, const char *op, const PgQuery__Node *l, const PgQuery__Node *r,
	int location, const char *construct, struct dh_sqlx **out)
{
	int rc = op_expr(cc, op, l, r, location, out);
	if (rc)
		return rc;
	return dh_sqlx_coerce_bool(cc, *out, construct, out);
}

static int
between(struct dh_sqlx_cc *cc, const PgQuery__AExpr *e, struct dh_sqlx **out)
{
	const PgQuery__Node *a = e->lexpr, *b, *c;
	struct dh_sqlx *x1, *x2, *x3, *x4;
	int rc, loc = e->location;
	if (!e->rexpr || e->rexpr->node_case != PG_QUERY__NODE__NODE_LIST ||
	    e->rexpr->list->n_items != 2)
		return unsupported(cc, loc, "this BETWEEN");
	b = e->rexpr->list->items[0];
	c = e->rexpr->list->items[1];
	switch (e->kind) {
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
		if ((rc = cmp_raw(cc, ">=", a, b, loc, "AND", &x1)) ||
		    (rc = cmp_raw(cc, "<=", a, c, loc, "AND", &x2)))
			return rc;
		*out = bool_node(cc, SX_AND, x1, x2, loc);
		return 0;
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
		if ((rc = cmp_raw(cc, "<", a, b, loc, "OR", &x1)) ||
		    (rc = cmp_raw(cc, ">", a, c, loc, "OR", &x2)))
			return rc;
		*out = bool_node(cc, SX_OR, x1, x2, loc);
		return 0;
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
		if ((rc = cmp_raw(cc, ">=", a, b, loc, "AND", &x1)) ||
		    (rc = cmp_raw(cc, "<=", a, c, loc, "AND", &x2)) ||
		    (rc = cmp_raw(cc, ">=", a, c, loc, "AND", &x3)) ||
		    (rc = cmp_raw(cc, "<=", a, b, loc, "AND", &x4)))
			return rc;
		*out = bool_node(cc, SX_OR, bool_node(cc, SX_AND, x1, x2, loc),
				 bool_node(cc, SX_AND, x3, x4, loc), loc);
		return 0;
	default:
		if ((rc = cmp_raw(cc, "<", a, b, loc, "OR", &x1)) ||
		    (rc = cmp_raw(cc, ">", a, c, loc, "OR", &x2)) ||
		    (rc = cmp_raw(cc, "<", a, c, loc, "OR", &x3)) ||
		    (rc = cmp_raw(cc, ">", a, b, loc, "OR", &x4)))
			return rc;
		*out = bool_node(cc, SX_AND, bool_node(cc, SX_OR, x1, x2, loc),
				 bool_node(cc, SX_OR, x3, x4, loc), loc);
		return 0;
	}
}

static int
is_null_const(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_A_CONST && n->a_const->isnull;
}

static int sublink(struct dh_sqlx_cc *cc, const PgQuery__SubLink *sl, struct dh_sqlx **out);

static int
is_row(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_ROW_EXPR;
}

/* whether a compiled expression reads columns of this level (IN's "Vars") */
static int
has_vars(const struct dh_sqlx *x)
{
	if (x->k == SX_SLOT && x->levelsup == 0)
		return 1;
	for (int i = 0; i < x->nargs; i++)
		if (x->args[i] && has_vars(x->args[i]))
			return 1;
	return 0;
}

/* the operator node's function, for IN, ANY, DISTINCT and NULLIF, whose
 * nodes call it themselves: lhs and rhs coerced to its argument types */
static int
cmp_op(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx **l, struct dh_sqlx **r,
       uint32_t rtype_for_lookup, int location, struct dh_sqlx *into, const char *needbool)
{
	struct dh_sqlx *f;
	int rc;
	(void)rtype_for_lookup;
	rc = dh__sqlx_make_op(cc, name, *l, *r, location, &f);
	if (rc)
		return rc;
	if (f->type != DH_OID_BOOL && needbool) {
		rc = dh_err_sql(cc->err, "42804", "%s requires = operator to yield boolean",
				needbool);
		return dh__sqlx_pos(cc, rc, location);
	}
	*l = f->args[0];
	*r = f->args[1];
	into->fn = f->fn;
	into->strict = f->strict;
	into->argtypes = f->argtypes;
	return 0;
}

/* x op ANY/ALL (array): make_scalar_array_op */
static int
scalar_array_op(struct dh_sqlx_cc *cc, const char *name, int all, struct dh_sqlx *l,
		struct dh_sqlx *arr, int location, struct dh_sqlx **out)
{
	struct sx_cand c;
	uint32_t elem, actual[2], declared[2], rettype, atype;
	struct dh_sqlx *x;
	int rc;
	if (arr->type == DH_OID_UNKNOWN) {
		elem = DH_OID_UNKNOWN;
	} else {
		elem = dh__sqlx_elem(arr->type);
		if (!elem) {
			rc = dh_err_sql(cc->err, "42809",
					"op ANY/ALL (array) requires array on right side");
			return dh__sqlx_pos(cc, rc, location);
		}
	}
	rc = dh__sqlx_oper(cc, name, l->type, elem, location, &c);
	if (rc)
		return rc;
	actual[0] = l->type;
	actual[1] = elem;
	declared[0] = c.args[0];
	declared[1] = c.args[1];
	rettype = dh__sqlx_poly(cc, actual, declared, 2, c.result, location);
	if (!rettype)
		return dh__sqlx_pos(cc, DH_ESQL, location);
	if (rettype != DH_OID_BOOL) {
		rc = dh_err_sql(cc->err, "42809",
				"op ANY/ALL (array) requires operator to yield boolean");
		return dh__sqlx_pos(cc, rc, location);
	}
	if (dh__sqlx_is_poly(c.args[1])) {
		atype = arr->type;
	} else {
		atype = dh__sqlx_array_of(declared[1]);
		if (!atype) {
			rc = dh_err_sql(cc->err, "42704", "could not find array type for data type %s",
					dh__sqlx_typename(cc, declared[1]));
			return dh__sqlx_pos(cc, rc, location);
		}
	}
	if (declared[0] != l->type && declared[0] != DH_OID_ANY &&
	    (rc = dh__sqlx_coerce_type(cc, l, declared[0], -1, SX_COERCE_IMPLICIT, l->location,
				       &l)) != 0)
		return rc < 0 ? rc : dh__sqlx_pos(cc, DH_ESQL, location);
	if (atype != arr->type &&
	    (rc = dh__sqlx_coerce_type(cc, arr, atype, -1, SX_COERCE_IMPLICIT, arr->location,
				       &arr)) != 0)
		return rc < 0 ? rc : dh__sqlx_pos(cc, DH_ESQL, location);
	x = dh__sqlx_node(cc->a, SX_ANYALL, DH_OID_BOOL, -1, location, 2);
	x->args[0] = l;
	x->args[1] = arr;
	x->op = all;
	x->fn = c.fn;
	x->strict = !(c.flags & SXF_NONSTRICT);
	x->argtypes = dh_arena_memdup(cc->a, declared, sizeof(declared));
	*out = x;
	return 0;
}

/* IN (list): transformAExprIn */
static int
in_list(struct dh_sqlx_cc *cc, const PgQuery__AExpr *e, struct dh_sqlx **out)
{
	const char *name = last_name(e->name, e->n_name);
	int not_in = name && !strcmp(name, "<>"), rc, n, nvars = 0, nnon = 0;
	const PgQuery__List *items;
	struct dh_sqlx *l, **rx, **non, *result = NULL;
	if (!e->rexpr || e->rexpr->node_case != PG_QUERY__NODE__NODE_LIST)
		return unsupported(cc, e->location, "this IN");
	if (is_row(e->lexpr))
		return unsupported(cc, e->location, "row IN");
	items = e->rexpr->list;
	n = (int)items->n_items;
	if ((rc = compile(cc, e->lexpr, &l)))
		return rc;
	rx = dh_arena_alloc(cc->a, sizeof(*rx) * (size_t)(n + 1));
	non = dh_arena_alloc(cc->a, sizeof(*non) * (size_t)(n + 1));
	non[nnon++] = l;
	for (int i = 0; i < n; i++) {
		if (is_row(items->items[i]))
			return unsupported(cc, e->location, "row IN");
		if ((rc = compile(cc, items->items[i], &rx[i])))
			return rc;
		if (has_vars(rx[i]))
			nvars++;
		else
			non[nnon++] = rx[i];
	}
	if (nnon - 1 > 1) {
		int failed;
		uint32_t st = dh__sqlx_common(cc, non, nnon, NULL, &failed);
		uint32_t at = 0;
		if (st) {
			for (int i = 0; i < nnon; i++)
				if (!dh__sqlx_can_coerce(1, &non[i]->type, &st, SX_COERCE_IMPLICIT))
					st = 0;
		}
		if (st && st != DH_OID_RECORD)
			at = dh__sqlx_array_of(st);
		if (at) {
			struct dh_sqlx *arr = dh__sqlx_node(cc->a, SX_ARRAY, at, -1, e->location,
							    nnon - 1);
			for (int i = 1; i < nnon; i++) {
				rc = dh__sqlx_coerce_common(cc, non[i], st, "IN", &arr->args[i - 1]);
				if (rc)
					return rc;
			}
			rc = scalar_array_op(cc, not_in ? "<>" : "=", not_in, l, arr, e->location,
					     &result);
			if (rc)
				return rc;
			/* only the items with columns remain, each by itself */
			int k = 0;
			for (int i = 0; i < n; i++)
				if (has_vars(rx[i]))
					rx[k++] = rx[i];
			n = k;
		}
	}
	for (int i = 0; i < n; i++) {
		struct dh_sqlx *cmp;
		rc = dh__sqlx_make_op(cc, not_in ? "<>" : "=", l, rx[i], e->location, &cmp);
		if (rc)
			return rc;
		if ((rc = dh_sqlx_coerce_bool(cc, cmp, "IN", &cmp)))
			return rc;
		result = result ? bool_node(cc, not_in ? SX_AND : SX_OR, result, cmp, e->location)
				: cmp;
	}
	(void)nvars;
	*out = result;
	return 0;
}

/* (a, b) op (c, d): make_row_comparison_op.  = and <> are AND and OR of
 * the pairs; <, <=, >, >= decide at the first pair that is not equal. */
static int
row_compare(struct dh_sqlx_cc *cc, const char *name, const PgQuery__RowExpr *l,
	    const PgQuery__RowExpr *r, int location, struct dh_sqlx **out)
{
	size_t n = l->n_args;
	int rc, ordered = !strcmp(name, "<") || !strcmp(name, "<=") || !strcmp(name, ">") ||
			  !strcmp(name, ">=");
	struct dh_sqlx *x = NULL, **cmps;
	if (n != r->n_args) {
		rc = dh_err_sql(cc->err, "42601", "unequal number of entries in row expressions");
		return dh__sqlx_pos(cc, rc, location);
	}
	if (n == 0) {
		rc = dh_err_sql(cc->err, "0A000", "cannot compare rows of zero length");
		return dh__sqlx_pos(cc, rc, location);
	}
	cmps = dh_arena_alloc(cc->a, sizeof(*cmps) * n);
	for (size_t i = 0; i < n; i++) {
		rc = op_expr(cc, name, l->args[i], r->args[i], location, &cmps[i]);
		if (rc)
			return rc;
		if (cmps[i]->type != DH_OID_BOOL) {
			rc = dh_err_sql(cc->err, "42804",
					"row comparison operator must yield type boolean, not type %s",
					dh__sqlx_typename(cc, cmps[i]->type));
			return dh__sqlx_pos(cc, rc, location);
		}
	}
	if (n == 1) {
		*out = cmps[0];
		return 0;
	}
	if (!ordered && strcmp(name, "=") && strcmp(name, "<>")) {
		rc = dh_err_sql(cc->err, "42883",
				"could not determine interpretation of row comparison operator %s",
				name);
		dh_err_hint(cc->err, "Row comparison operators must be associated with btree "
				     "operator families.");
		return dh__sqlx_pos(cc, rc, location);
	}
	if (!ordered) {
		x = cmps[0];
		for (size_t i = 1; i < n; i++)
			x = bool_node(cc, !strcmp(name, "=") ? SX_AND : SX_OR, x, cmps[i], location);
		*out = x;
		return 0;
	}
	x = dh__sqlx_node(cc->a, SX_OTHER, DH_OID_BOOL, -1, location, (int)(2 * n));
	x->op = SXO_ROWCMP;
	x->slot = !strcmp(name, "<=") || !strcmp(name, ">=");
	for (size_t i = 0; i < n; i++) {
		struct dh_sqlx *eq;
		rc = op_expr(cc, "=", l->args[i], r->args[i], location, &eq);
		if (rc)
			return rc;
		x->args[2 * i] = cmps[i];
		x->args[2 * i + 1] = eq;
	}
	*out = x;
	return 0;
}

/* (a, b) IS [NOT] DISTINCT FROM (c, d): any pair distinct */
static int
row_distinct(struct dh_sqlx_cc *cc, const PgQuery__RowExpr *l, const PgQuery__RowExpr *r,
	     int notd, int location, struct dh_sqlx **out)
{
	struct dh_sqlx *x = NULL;
	int rc;
	if (l->n_args != r->n_args) {
		rc = dh_err_sql(cc->err, "42601", "unequal number of entries in row expressions");
		return dh__sqlx_pos(cc, rc, location);
	}
	for (size_t i = 0; i < l->n_args; i++) {
		struct dh_sqlx *a, *b, *d;
		if ((rc = compile(cc, l->args[i], &a)) || (rc = compile(cc, r->args[i], &b)))
			return rc;
		d = dh__sqlx_node(cc->a, SX_DISTINCT, DH_OID_BOOL, -1, location, 2);
		if ((rc = cmp_op(cc, "=", &a, &b, 0, location, d, "IS DISTINCT FROM")))
			return rc;
		d->args[0] = a;
		d->args[1] = b;
		x = x ? bool_node(cc, SX_OR, x, d, location) : d;
	}
	if (!x) {
		struct dh_value f = {.type = DH_T_BOOL, .b = 0};
		x = dh_sqlx_const(cc->a, DH_OID_BOOL, -1, &f);
	}
	*out = notd ? bool_node(cc, SX_NOT, x, NULL, location) : x;
	return 0;
}

static int
a_expr(struct dh_sqlx_cc *cc, const PgQuery__AExpr *e, struct dh_sqlx **out)
{
	const char *name = last_name(e->name, e->n_name);
	struct dh_sqlx *l, *r, *x;
	int rc;
	switch (e->kind) {
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
	case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
		if (!name)
			return unsupported(cc, e->location, "this operator");
		if (is_row(e->lexpr) && is_row(e->rexpr))
			return row_compare(cc, name, e->lexpr->row_expr, e->rexpr->row_expr,
					   e->location, out);
		if (is_row(e->lexpr) && e->rexpr &&
		    e->rexpr->node_case == PG_QUERY__NODE__NODE_SUB_LINK &&
		    e->rexpr->sub_link->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK) {
			/* row op (SELECT ...): a ROWCOMPARE sublink, as
			 * transformAExprOp makes it */
			PgQuery__SubLink *sl =
			    dh_arena_memdup(cc->a, e->rexpr->sub_link, sizeof(*sl));
			sl->sub_link_type = PG_QUERY__SUB_LINK_TYPE__ROWCOMPARE_SUBLINK;
			sl->testexpr = e->lexpr;
			sl->n_oper_name = e->n_name;
			sl->oper_name = e->name;
			sl->location = e->location;
			return sublink(cc, sl, out);
		}
		if (!e->rexpr)
			return dh__sqlx_pos(cc,
					    dh_err_sql(cc->err, "42601",
						       "postfix operators are not supported"),
					    e->location);
		return op_expr(cc, name, e->lexpr, e->rexpr, e->location, out);
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
		if ((rc = compile(cc, e->lexpr, &l)) || (rc = compile(cc, e->rexpr, &r)))
			return rc;
		return scalar_array_op(cc, name, e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL,
				       l, r, e->location, out);
	case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
		int notd = e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT;
		if (is_row(e->lexpr) && is_row(e->rexpr))
			return row_distinct(cc, e->lexpr->row_expr, e->rexpr->row_expr, notd,
					    e->location, out);
		if ((rc = compile(cc, e->lexpr, &l)) || (rc = compile(cc, e->rexpr, &r)))
			return rc;
		/* against an undecorated NULL: a null test of the other side */
		if (is_null_const(e->rexpr) || is_null_const(e->lexpr)) {
			x = dh__sqlx_node(cc->a, SX_ISNULL, DH_OID_BOOL, -1, e->location, 1);
			x->args[0] = is_null_const(e->rexpr) ? l : r;
			x->op = !notd;
			*out = x;
			return 0;
		}
		x = dh__sqlx_node(cc->a, SX_DISTINCT, DH_OID_BOOL, -1, e->location, 2);
		rc = cmp_op(cc, name ? name : "=", &l, &r, 0, e->location, x, "IS DISTINCT FROM");
		if (rc)
			return rc;
		x->args[0] = l;
		x->args[1] = r;
		x->op = notd;
		*out = x;
		return 0;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
		if ((rc = compile(cc, e->lexpr, &l)) || (rc = compile(cc, e->rexpr, &r)))
			return rc;
		x = dh__sqlx_node(cc->a, SX_NULLIF, 0, -1, e->location, 2);
		rc = cmp_op(cc, "=", &l, &r, 0, e->location, x, "NULLIF");
		if (rc)
			return rc;
		x->args[0] = l;
		x->args[1] = r;
		x->type = l->type;
		x->typmod = l->typmod;
		*out = x;
		return 0;
	case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
		return in_list(cc, e, out);
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM:
		return between(cc, e, out);
	default:
		return unsupported(cc, e->location, "this expression");
	}
}

/* --- AND, OR, NOT, null and boolean tests --- */

static int
bool_expr(struct dh_sqlx_cc *cc, const PgQuery__BoolExpr *b, struct dh_sqlx **out)
{
	enum dh_sqlx_kind k;
	const char *what;
	struct dh_sqlx *x;
	int rc;
	switch (b->boolop) {
	case PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR:
		k = SX_AND, what = "AND";
		break;
	case PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR:
		k = SX_OR, what = "OR";
		break;
	default:
		k = SX_NOT, what = "NOT";
		break;
	}
	x = dh__sqlx_node(cc->a, k, DH_OID_BOOL, -1, b->location, (int)b->n_args);
	for (size_t i = 0; i < b->n_args; i++) {
		if ((rc = compile(cc, b->args[i], &x->args[i])) ||
		    (rc = dh_sqlx_coerce_bool(cc, x->args[i], what, &x->args[i])))
			return rc;
	}
	*out = x;
	return 0;
}

/* --- anonymous record types --- */

enum { RECORD_SHAPES = 256 };
static struct {
	int n;
	const char **names;
	uint32_t *types;
} shapes[RECORD_SHAPES];
static int nshapes;
static pthread_mutex_t shapes_lock = PTHREAD_MUTEX_INITIALIZER;

int32_t
dh_sqlx_record_typmod(int n, const char *const *names, const uint32_t *types)
{
	int32_t tm = -1;
	pthread_mutex_lock(&shapes_lock);
	for (int i = 0; i < nshapes && tm < 0; i++) {
		int same = shapes[i].n == n;
		for (int k = 0; same && k < n; k++)
			same = types[k] == shapes[i].types[k] &&
			       strcmp(names[k], shapes[i].names[k]) == 0;
		if (same)
			tm = i;
	}
	if (tm < 0 && nshapes < RECORD_SHAPES) {
		shapes[nshapes].n = n;
		shapes[nshapes].names = xcalloc((size_t)n + 1, sizeof(char *));
		shapes[nshapes].types = xcalloc((size_t)n + 1, sizeof(uint32_t));
		for (int k = 0; k < n; k++) {
			shapes[nshapes].names[k] = xstrdup(names[k]);
			shapes[nshapes].types[k] = types[k];
		}
		tm = nshapes++;
	}
	pthread_mutex_unlock(&shapes_lock);
	return tm;
}

int
dh_sqlx_record_shape(int32_t typmod, int *n, const char *const **names, const uint32_t **types)
{
	int rc = -1;
	pthread_mutex_lock(&shapes_lock);
	if (typmod >= 0 && typmod < nshapes) {
		*n = shapes[typmod].n;
		*names = shapes[typmod].names;
		*types = shapes[typmod].types;
		rc = 0;
	}
	pthread_mutex_unlock(&shapes_lock);
	return rc;
}

/* (x).name of a record whose shape is known (ParseFuncOrColumn's field
 * selection); other field selections are not supported yet */
static int
field_select(struct dh_sqlx_cc *cc, struct dh_sqlx *base, const char *name, int location,
	     struct dh_sqlx **out)
{
	int n;
	const char *const *names;
	const uint32_t *types;
	if (base->type != DH_OID_RECORD || !name ||
	    dh_sqlx_record_shape(base->typmod, &n, &names, &types))
		return unsupported(cc, location, "field selection");
	for (int k = 0; k < n; k++)
		if (strcmp(names[k], name) == 0) {
			struct dh_sqlx *x =
			    dh__sqlx_node(cc->a, SX_OTHER, types[k], -1, base->location, 1);
			x->op = SXO_FIELD;
			x->slot = k;
			x->args[0] = base;
			x->name = names[k];
			*out = x;
			return 0;
		}
	int rc = dh_err_sql(cc->err, "42703", "could not identify column \"%s\" in record data type",
			    name);
	return dh__sqlx_pos(cc, rc, location);
}

static int
row_expr(struct dh_sqlx_cc *cc, const PgQuery__RowExpr *re, struct dh_sqlx **out)
{
	struct dh_sqlx *x = dh__sqlx_node(cc->a, SX_OTHER, DH_OID_RECORD, -1, re->location,
					  (int)re->n_args);
	int rc;
	x->op = SXO_ROW;
	x->name = "row";
	for (size_t i = 0; i < re->n_args; i++) {
		if ((rc = compile(cc, re->args[i], &x->args[i])))
			return rc;
		if ((rc = dh_sqlx_resolve_unknown(cc, x->args[i], &x->args[i])))
			return rc;
	}
	if (re->n_colnames && re->n_colnames == re->n_args) {
		/* named fields (the parser writes none: sqlc-srf.c's rewrite
		 * of a function's record does): a value of a known shape */
		const char **names = dh_arena_alloc(cc->a, re->n_args * sizeof(*names));
		uint32_t *types = dh_arena_alloc(cc->a, re->n_args * sizeof(*types));
		for (size_t i = 0; i < re->n_args; i++) {
			names[i] = str_of(re->colnames[i]);
			types[i] = x->args[i]->type;
			if (!names[i])
				return unsupported(cc, re->location, "this ROW expression");
		}
		x->typmod = dh_sqlx_record_typmod((int)re->n_args, names, types);
		if (x->typmod < 0)
			return unsupported(cc, re->location, "this many record types");
		x->op = SXO_RECORD;
	}
	*out = x;
	return 0;
}

static int
null_test(struct dh_sqlx_cc *cc, const PgQuery__NullTest *t, struct dh_sqlx **out)
{
	struct dh_sqlx *x = dh__sqlx_node(cc->a, SX_ISNULL, DH_OID_BOOL, -1, t->location, 1);
	int rc;
	if (is_row(t->arg))
		rc = row_expr(cc, t->arg->row_expr, &x->args[0]);
	else
		rc = compile(cc, t->arg, &x->args[0]);
	if (rc)
		return rc;
	x->op = t->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
	*out = x;
	return 0;
}

static int
bool_test(struct dh_sqlx_cc *cc, const PgQuery__BooleanTest *t, struct dh_sqlx **out)
{
	static const char *const names[] = {"",		"IS TRUE",    "IS NOT TRUE",
					    "IS FALSE", "IS NOT FALSE", "IS UNKNOWN",
					    "IS NOT UNKNOWN"};
	struct dh_sqlx *x = dh__sqlx_node(cc->a, SX_BOOLTEST, DH_OID_BOOL, -1, t->location, 1);
	int rc, k = (int)t->booltesttype;
	if (k < 1 || k > 6)
		return unsupported(cc, t->location, "this boolean test");
	if ((rc = compile(cc, t->arg, &x->args[0])) ||
	    (rc = dh_sqlx_coerce_bool(cc, x->args[0], names[k], &x->args[0])))
		return rc;
	x->op = k;
	*out = x;
	return 0;
}

/* --- CASE, COALESCE, GREATEST/LEAST --- */

static int32_t
common_typmod(struct dh_sqlx **xs, int n, uint32_t type)
{
	int32_t m = n ? xs[0]->typmod : -1;
	for (int i = 0; i < n; i++)
		if (xs[i]->type != type || xs[i]->typmod != m)
			return -1;
	return m;
}

static int
case_expr(struct dh_sqlx_cc *cc, const PgQuery__CaseExpr *c, struct dh_sqlx **out)
{
	int nw = (int)c->n_args, simple = c->arg != NULL, rc, failed;
	int nargs = simple + 2 * nw + 1;
	struct dh_sqlx *x = dh__sqlx_node(cc->a, SX_CASE, 0, -1, c->location, nargs);
	struct dh_sqlx *test = NULL, *placeholder = NULL, **results;
	uint32_t ptype;
	if (simple) {
		if ((rc = compile(cc, c->arg, &test)))
			return rc;
		if (test->type == DH_OID_UNKNOWN &&
		    (rc = dh__sqlx_coerce_common(cc, test, DH_OID_TEXT, "CASE", &test)))
			return rc;
		placeholder = dh__sqlx_node(cc->a, SX_OTHER, test->type, test->typmod, -1, 0);
		placeholder->op = SXO_CASETEST;
		x->args[0] = test;
		x->op = 1;
	}
	results = dh_arena_alloc(cc->a, sizeof(*results) * (size_t)(nw + 1));
	for (int i = 0; i < nw; i++) {
		const PgQuery__Node *wn = c->args[i];
		const PgQuery__CaseWhen *w;
		struct dh_sqlx *cond, *res;
		if (wn->node_case != PG_QUERY__NODE__NODE_CASE_WHEN)
			return unsupported(cc, c->location, "this CASE");
		w = wn->case_when;
		if ((rc = compile(cc, w->expr, &cond)))
			return rc;
		if (simple && (rc = dh__sqlx_make_op(cc, "=", placeholder, cond, w->location, &cond)))
			return rc;
		if ((rc = dh_sqlx_coerce_bool(cc, cond, "CASE/WHEN", &cond)))
			return rc;
		if ((rc = compile(cc, w->result, &res)))
			return rc;
		x->args[simple + 2 * i] = cond;
		x->args[simple + 2 * i + 1] = res;
		results[i + 1] = res;
	}
	if (c->defresult) {
		if ((rc = compile(cc, c->defresult, &results[0])))
			return rc;
	} else {
		struct dh_value none = {.type = DH_T_NONE};
		results[0] = dh_sqlx_const(cc->a, DH_OID_UNKNOWN, -1, &none);
	}
	ptype = dh__sqlx_common(cc, results, nw + 1, "CASE", &failed);
	if (failed)
		return DH_ESQL;
	if ((rc = dh__sqlx_coerce_common(cc, results[0], ptype, "CASE/ELSE", &results[0])))
		return rc;
	for (int i = 0; i < nw; i++) {
		struct dh_sqlx **r = &x->args[simple + 2 * i + 1];
		if ((rc = dh__sqlx_coerce_common(cc, *r, ptype, "CASE/WHEN", r)))
			return rc;
		results[i + 1] = *r;
	}
	x->args[nargs - 1] = results[0];
	x->type = ptype;
	x->typmod = common_typmod(results, nw + 1, ptype);
	*out = x;
	return 0;
}

static int
list_common(struct dh_sqlx_cc *cc, enum dh_sqlx_kind k, PgQuery__Node **args, size_t n,
	    const char *construct, int location, struct dh_sqlx **out)
{
	struct dh_sqlx *x = dh__sqlx_node(cc->a, k, 0, -1, location, (int)n);
	uint32_t t;
	int rc, failed;
	for (size_t i = 0; i < n; i++)
		if ((rc = compile(cc, args[i], &x->args[i])))
			return rc;
	t = dh__sqlx_common(cc, x->args, (int)n, construct, &failed);
	if (failed)
		return DH_ESQL;
	for (size_t i = 0; i < n; i++)
		if ((rc = dh__sqlx_coerce_common(cc, x->args[i], t, construct, &x->args[i])))
			return rc;
	x->type = t;
	x->typmod = common_typmod(x->args, (int)n, t);
	*out = x;
	return 0;
}

/* --- casts --- */

static int array_expr(struct dh_sqlx_cc *cc, const PgQuery__AArrayExpr *a, uint32_t atype,
		      uint32_t etype, int32_t typmod, struct dh_sqlx **out);

static int
type_cast(struct dh_sqlx_cc *cc, const PgQuery__TypeCast *tc, struct dh_sqlx **out)
{
	uint32_t oid;
	int32_t typmod;
	struct dh_sqlx *x;
	int rc, location;
	if (!tc->type_name)
		return unsupported(cc, tc->location, "this cast");
	if ((rc = type_name(cc, tc->type_name, &oid, &typmod)))
		return rc;
	if (tc->arg && tc->arg->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR &&
	    dh__sqlx_elem(oid))
		rc = array_expr(cc, tc->arg->a_array_expr, oid, dh__sqlx_elem(oid), typmod, &x);
	else
		rc = compile(cc, tc->arg, &x);
	if (rc)
		return rc;
	location = tc->location >= 0 ? tc->location : tc->type_name->location;
	rc = dh__sqlx_coerce_type(cc, x, oid, typmod, SX_COERCE_EXPLICIT, location, out);
	if (rc > 0) {
		rc = dh_err_sql(cc->err, "42846", "cannot cast type %s to %s",
				dh__sqlx_typename(cc, x->type), dh__sqlx_typename(cc, oid));
		return dh__sqlx_pos(cc, rc, location >= 0 ? location : x->location);
	}
	if (rc == 0 && *out != x) {
		/* an explicit cast is explicit also when it only relabels */
		if ((*out)->k == SX_CAST)
			(*out)->op |= SX_CAST_EXPLICIT;
	} else if (rc == 0 && (*out)->k == SX_CONST && typmod >= 0) {
		(*out)->typmod = typmod;
	}
	return rc;
}

/* --- arrays and subscripts --- */

static int
array_expr(struct dh_sqlx_cc *cc, const PgQuery__AArrayExpr *a, uint32_t atype, uint32_t etype,
	   int32_t typmod, struct dh_sqlx **out)
{
	int n = (int)a->n_elements, multi = 0, rc, failed;
	struct dh_sqlx *x = dh__sqlx_node(cc->a, SX_ARRAY, 0, -1, a->location, n);
	uint32_t ct;
	for (int i = 0; i < n; i++) {
		const PgQuery__Node *e = a->elements[i];
		if (e->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
			rc = array_expr(cc, e->a_array_expr, atype, etype, typmod, &x->args[i]);
			multi = 1;
		} else {
			rc = compile(cc, e, &x->args[i]);
			if (!rc && !multi && dh__sqlx_elem(x->args[i]->type))
				multi = 1;
		}
		if (rc)
			return rc;
	}
	if (atype) {
		ct = multi ? atype : etype;
		for (int i = 0; i < n; i++) {
			struct dh_sqlx *e = x->args[i];
			rc = dh__sqlx_coerce_type(cc, e, ct, typmod, SX_COERCE_EXPLICIT, -1,
						  &x->args[i]);
			if (rc > 0) {
				rc = dh_err_sql(cc->err, "42846", "cannot cast type %s to %s",
						dh__sqlx_typename(cc, e->type),
						dh__sqlx_typename(cc, ct));
				return dh__sqlx_pos(cc, rc, e->location);
			}
			if (rc)
				return rc;
		}
	} else {
		if (n == 0) {
			rc = dh_err_sql(cc->err, "42P18", "cannot determine type of empty array");
			dh_err_hint(cc->err, "Explicitly cast to the desired type, for example "
					     "ARRAY[]::integer[].");
			return dh__sqlx_pos(cc, rc, a->location);
		}
		ct = dh__sqlx_common(cc, x->args, n, "ARRAY", &failed);
		if (failed)
			return DH_ESQL;
		if (multi) {
			atype = ct;
			etype = dh__sqlx_elem(ct);
			if (!etype) {
				rc = dh_err_sql(cc->err, "42704",
						"could not find element type for data type %s",
						dh__sqlx_typename(cc, ct));
				return dh__sqlx_pos(cc, rc, a->location);
			}
		} else {
			etype = ct;
			atype = dh__sqlx_array_of(ct);
			if (!atype) {
				rc = dh_err_sql(cc->err, "42704",
						"could not find array type for data type %s",
						dh__sqlx_typename(cc, ct));
				return dh__sqlx_pos(cc, rc, a->location);
			}
		}
		for (int i = 0; i < n; i++)
			if ((rc = dh__sqlx_coerce_common(cc, x->args[i], ct, "ARRAY", &x->args[i])))
				return rc;
	}
	x->type = atype;
	x->typmod = -1;
	x->op = multi;
	x->name = "array";
	*out = x;
	return 0;
}

static int
subscript_expr(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out)
{
	struct dh_sqlx *s;
	int rc;
	if ((rc = compile(cc, n, &s)))
		return rc;
	rc = dh__sqlx_coerce_type(cc, s, DH_OID_INT4, -1, SX_COERCE_ASSIGNMENT, -1, out);
	if (rc > 0) {
		rc = dh_err_sql(cc->err, "42804", "array subscript must have type integer");
		return dh__sqlx_pos(cc, rc, s->location);
	}
	return rc;
}

/* jsonb_subscript_transform: an integer or a text subscript */
static int
jsonb_subscript_expr(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out)
{
	struct dh_sqlx *s;
	uint32_t want[2] = {DH_OID_INT4, DH_OID_TEXT};
	int rc;
	if ((rc = compile(cc, n, &s)))
		return rc;
	for (int i = s->type == DH_OID_UNKNOWN ? 1 : 0; i < 2; i++)
		if (dh__sqlx_can_coerce(1, &s->type, &want[i], SX_COERCE_IMPLICIT))
			return dh__sqlx_coerce_type(cc, s, want[i], -1, SX_COERCE_IMPLICIT, -1, out);
	rc = dh_err_sql(cc->err, "42804", "subscript type %s is not supported",
			dh__sqlx_typename(cc, s->type));
	dh_err_hint(cc->err, "jsonb subscript must be coercible to either integer or text.");
	return dh__sqlx_pos(cc, rc, s->location);
}

/* One subscripting operation: the run ind[0..n) of A_Indices on base, as
 * an SX_SUBSCRIPT node with extra more arguments left for the caller. */
static int
subscripts(struct dh_sqlx_cc *cc, struct dh_sqlx *base, PgQuery__Node *const *ind, size_t n,
	   int extra, struct dh_sqlx **out)
{
	int slice = 0, nsub = (int)n, k = 0, rc;
	int jsonb = base->type == DH_OID_JSONB;
	uint32_t elem = dh__sqlx_elem(base->type);
	struct dh_sqlx *x;
	for (size_t m = 0; m < n; m++)
		slice |= ind[m]->a_indices->is_slice;
	if (!elem && !jsonb) {
		rc = dh_err_sql(cc->err, "42804",
				"cannot subscript type %s because it does not support subscripting",
				dh__sqlx_typename(cc, base->type));
		return dh__sqlx_pos(cc, rc, base->location);
	}
	if (jsonb && slice) {
		rc = dh_err_sql(cc->err, "42804", "jsonb subscript does not support slices");
		return dh__sqlx_pos(cc, rc, base->location);
	}
	x = dh__sqlx_node(cc->a, SX_SUBSCRIPT, jsonb ? DH_OID_JSONB : slice ? base->type : elem,
			  jsonb ? -1 : base->typmod, base->location, 1 + 2 * nsub + extra);
	x->args[0] = base;
	x->op = slice ? SX_SUB_SLICE : 0;
	for (size_t m = 0; m < n; m++) {
		const PgQuery__AIndices *ai = ind[m]->a_indices;
		struct dh_sqlx *lo = NULL, *hi = NULL;
		if (jsonb) {
			if ((rc = jsonb_subscript_expr(cc, ai->uidx, &hi)))
				return rc;
		} else if (slice) {
			if (ai->is_slice) {
				if (ai->lidx && (rc = subscript_expr(cc, ai->lidx, &lo)))
					return rc;
				if (ai->uidx && (rc = subscript_expr(cc, ai->uidx, &hi)))
					return rc;
			} else {
				/* a[2][1:2]: a plain subscript in a slice is 1:n */
				struct dh_value one = {.type = DH_T_LONG, .i = 1};
				lo = dh_sqlx_const(cc->a, DH_OID_INT4, -1, &one);
				if ((rc = subscript_expr(cc, ai->uidx, &hi)))
					return rc;
			}
		} else if ((rc = subscript_expr(cc, ai->uidx, &hi))) {
			return rc;
		}
		x->args[1 + 2 * k] = lo;
		x->args[2 + 2 * k] = hi;
		k++;
	}
	*out = x;
	return 0;
}

static int
indirection(struct dh_sqlx_cc *cc, const PgQuery__AIndirection *ind, struct dh_sqlx **out)
{
	struct dh_sqlx *base;
	int rc;
	size_t i = 0;
	if ((rc = compile(cc, ind->arg, &base)))
		return rc;
	while (i < ind->n_indirection) {
		size_t j = i;
		if (ind->indirection[i]->node_case == PG_QUERY__NODE__NODE_STRING) {
			if ((rc = field_select(cc, base, str_of(ind->indirection[i]),
					       base->location, &base)))
				return rc;
			i++;
			continue;
		}
		if (ind->indirection[i]->node_case != PG_QUERY__NODE__NODE_A_INDICES)
			return unsupported(cc, base->location, "field selection");
		/* a run of subscripts is one subscripting operation */
		while (j < ind->n_indirection &&
		       ind->indirection[j]->node_case == PG_QUERY__NODE__NODE_A_INDICES)
			j++;
		if ((rc = subscripts(cc, base, ind->indirection + i, j - i, 0, &base)))
			return rc;
		i = j;
	}
	*out = base;
	return 0;
}

int
dh_sqlx_assign_subscripts(struct dh_sqlx_cc *cc, struct dh_sqlx *base,
			  PgQuery__Node *const *ind, size_t n, struct dh_sqlx *val,
			  const char *what, struct dh_sqlx **out)
{
	struct dh_sqlx *x, *v;
	uint32_t want;
	int rc;
	for (size_t i = 0; i < n; i++)
		if (ind[i]->node_case != PG_QUERY__NODE__NODE_A_INDICES)
			return unsupported(cc, base->location, "assignment to a field");
	if ((rc = subscripts(cc, base, ind, n, 1, &x)))
		return rc;
	/* what is assigned: an element, a slice (an array), a jsonb value */
	want = x->type;
	rc = dh__sqlx_coerce_type(cc, val, want, x->op & SX_SUB_SLICE ? base->typmod : -1,
				  SX_COERCE_ASSIGNMENT, val->location, &v);
	if (rc > 0) {
		rc = dh_err_sql(cc->err, "42804",
				"subscripted assignment to \"%s\" requires type %s but expression "
				"is of type %s",
				what, dh__sqlx_typename(cc, want), dh__sqlx_typename(cc, val->type));
		dh_err_hint(cc->err, "You will need to rewrite or cast the expression.");
		return dh__sqlx_pos(cc, rc, val->location);
	}
	if (rc)
		return rc;
	x->args[x->nargs - 1] = v;
	x->type = base->type;
	x->typmod = base->typmod;
	x->op |= SX_SUB_ASSIGN;
	*out = x;
	return 0;
}

/* --- function calls --- */

/* row_to_json(t), to_json(t), to_jsonb(t) (or t.*) where t names a FROM
 * item and no column: the call over t's columns, as PostgreSQL's
 * composite_to_json sees the row: row_to_json and to_json print it with
 * DH_JSON_ROW_FN, to_jsonb builds the object as jsonb_build_object.
 * Returns 1 when the argument is no such reference. */
static int
whole_row_json(struct dh_sqlx_cc *cc, const char *name, const PgQuery__FuncCall *fc,
	       struct dh_sqlx **out)
{
	const PgQuery__ColumnRef *cr;
	const char *rel, *names[2];
	int levels = 0, rc, jsonb = !strcmp(name, "to_jsonb");
	if ((strcmp(name, "row_to_json") && strcmp(name, "to_json") && !jsonb) ||
	    fc->n_args != 1 || fc->args[0]->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
		return 1;
	cr = fc->args[0]->column_ref;
	if (cr->n_fields == 2 && cr->fields[1]->node_case == PG_QUERY__NODE__NODE_A_STAR)
		rel = str_of(cr->fields[0]);
	else if (cr->n_fields == 1)
		rel = str_of(cr->fields[0]);
	else
		return 1;
	if (!rel)
		return 1;
	for (const struct dh_sqlx_scope *s = cc->scope; s; s = s->outer, levels++) {
		const char *const *colnames;
		const int *slots;
		const uint32_t *types;
		const int32_t *typmods;
		struct dh_sqlx **args;
		int ncols, slot;
		uint32_t type;
		int32_t typmod;
		if (cr->n_fields == 1 && s->column) {
			/* a column of that name wins */
			names[0] = rel;
			rc = s->column(s->ctx, names, 1, cr->location, &slot, &type, &typmod, cc->err);
			if (rc <= 0) {
				if (rc < 0)
					dh_err_clear(cc->err);
				return 1;
			}
		}
		if (!s->relation)
			continue;
		rc = s->relation(s->ctx, rel, cr->location, &ncols, &colnames, &slots, &types,
				 &typmods, cc->err);
		if (rc < 0)
			return dh__sqlx_pos(cc, rc, cr->location);
		if (rc > 0)
			continue;
		args = dh_arena_alloc(cc->a, sizeof(*args) * (size_t)(2 * ncols + 1));
		for (int i = 0; i < ncols; i++) {
			struct dh_value k = {.type = DH_T_STRING};
			k.s.p = colnames[i];
			k.s.n = strlen(colnames[i]);
			args[2 * i] = dh_sqlx_const(cc->a, DH_OID_TEXT, -1, &k);
			args[2 * i + 1] =
			    dh_sqlx_slot(cc->a, slots[i], levels, types[i], typmods[i], colnames[i]);
			args[2 * i + 1]->location = cr->location;
		}
		rc = dh__sqlx_make_func(cc, jsonb ? "jsonb_build_object" : DH_JSON_ROW_FN, args,
					2 * ncols, fc->location, NULL, out);
		if (rc == 0)
			(*out)->name = name;
		return rc;
	}
	return 1;
}

/* A call with named arguments (f(a, x => 1)) as the positional call of the
 * first catalog function of that name whose proargnames take them, the
 * arguments it leaves out filled in with their defaults (unknown literals,
 * as PostgreSQL inserts the default expressions); *args and *n are the
 * compiled positional list.  42883 when no function takes the names. */
static int
named_args(struct dh_sqlx_cc *cc, const char *name, const PgQuery__FuncCall *fc,
	   struct dh_sqlx ***argsp, int *np)
{
	int n = (int)fc->n_args, rc;
	const struct dh_sqlproc *p = NULL;
	struct dh_sqlx **given = dh_arena_alloc(cc->a, sizeof(*given) * (size_t)(n + 1));
	const char **names = dh_arena_zalloc(cc->a, sizeof(*names) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const PgQuery__Node *a = fc->args[i];
		if (a->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR) {
			const PgQuery__NamedArgExpr *na = a->named_arg_expr;
			for (int j = 0; j < i; j++)
				if (names[j] && !strcmp(names[j], na->name)) {
					rc = dh_err_sql(cc->err, "42601",
							"argument name \"%s\" used more than once",
							na->name);
					return dh__sqlx_pos(cc, rc, na->location);
				}
			names[i] = na->name;
			a = na->arg;
		}
		if ((rc = compile(cc, a, &given[i])))
			return rc;
		if (!names[i] && i > 0 && names[i - 1]) {
			rc = dh_err_sql(cc->err, "42601",
					"positional argument cannot follow named argument");
			return dh__sqlx_pos(cc, rc, given[i]->location);
		}
	}
	while ((p = dh_sqlproc_next(name, p))) {
		const char *pn[DH_SQLPROC_MAXARGS], *def[DH_SQLPROC_MAXARGS];
		size_t pl[DH_SQLPROC_MAXARGS];
		struct dh_sqlx **out;
		int k = 0, ok = 1;
		if (!p->argnames || p->variadic)
			continue;
		for (const char *q = p->argnames; *q && k < p->nargs;) {
			while (*q == ' ')
				q++;
			pn[k] = q;
			while (*q && *q != ' ' && *q != '=')
				q++;
			pl[k] = (size_t)(q - pn[k]);
			def[k] = NULL;
			if (*q == '=') {
				def[k] = ++q;
				while (*q && *q != ' ')
					q++;
			}
			k++;
		}
		if (k != p->nargs || n > p->nargs)
			continue;
		out = dh_arena_zalloc(cc->a, sizeof(*out) * (size_t)(k + 1));
		for (int i = 0; i < n && ok; i++) {
			int at = i;
			if (names[i]) {
				at = -1;
				for (int j = 0; j < k; j++)
					if (strlen(names[i]) == pl[j] && !strncmp(names[i], pn[j], pl[j]))
						at = j;
			}
			ok = at >= 0 && !out[at];
			if (ok)
				out[at] = given[i];
		}
		for (int j = 0; j < k && ok; j++) {
			struct dh_value v = {.type = DH_T_STRING};
			if (out[j])
				continue;
			if (!def[j]) {
				ok = 0;
				break;
			}
			v.s.p = def[j];
			v.s.n = strcspn(def[j], " ");
			out[j] = dh_sqlx_const(cc->a, DH_OID_UNKNOWN, -1, &v);
			out[j]->location = fc->location;
		}
		if (!ok)
			continue;
		*argsp = out;
		*np = k;
		return 0;
	}
	{
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (int i = 0; i < n; i++) {
			const struct dh_sqltype *t = dh_sqltype_by_oid(given[i]->type);
			if (names[i])
				dh_buf_printf(&b, "%s%s => ", i ? ", " : "", names[i]);
			else if (i)
				dh_buf_adds(&b, ", ");
			dh_buf_adds(&b, t ? t->sqlname : "unknown");
		}
		rc = dh_err_sql(cc->err, "42883", "function %s(%.*s) does not exist", name,
				(int)b.len, b.len ? (const char *)b.p : "");
		dh_buf_release(&b);
		dh_err_hint(cc->err, "No function matches the given name and argument types. You "
				     "might need to add explicit type casts.");
		return dh__sqlx_pos(cc, rc, fc->location);
	}
}

static int
func_call(struct dh_sqlx_cc *cc, const PgQuery__FuncCall *fc, struct dh_sqlx **out)
{
	const char *name = last_name(fc->funcname, fc->n_funcname);
	int n = (int)fc->n_args, rc, levels = 0;
	struct dh_sqlx **args;
	const char *what = NULL;
	if (!name)
		return unsupported(cc, fc->location, "this function call");
	if (fc->n_funcname == 2 && str_of(fc->funcname[0]) &&
	    strcmp(str_of(fc->funcname[0]), "pg_catalog") != 0 &&
	    strcmp(str_of(fc->funcname[0]), "public") != 0) {
		rc = dh_err_sql(cc->err, "3F000", "schema \"%s\" does not exist",
				str_of(fc->funcname[0]));
		return dh__sqlx_pos(cc, rc, fc->location);
	}
	if (fc->n_funcname > 2) {
		rc = dh_err_sql(cc->err, "0A000", "cross-database references are not implemented: %s",
				name);
		return dh__sqlx_pos(cc, rc, fc->location);
	}
	for (const struct dh_sqlx_scope *s = cc->scope; s; s = s->outer, levels++) {
		int slot;
		uint32_t type;
		int32_t typmod;
		if (!s->aggregate)
			continue;
		rc = s->aggregate(s->ctx, fc, &slot, &type, &typmod, cc->err);
		if (rc < 0)
			return dh__sqlx_pos(cc, rc, fc->location);
		if (rc == 0) {
			*out = dh_sqlx_slot(cc->a, slot, levels, type, typmod, name);
			(*out)->location = fc->location;
			return 0;
		}
	}
	if (fc->func_variadic)
		return unsupported(cc, fc->location, "VARIADIC");
	if ((rc = whole_row_json(cc, name, fc, out)) <= 0)
		return rc;
	args = dh_arena_alloc(cc->a, sizeof(*args) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		if (fc->args[i]->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR) {
			if ((rc = named_args(cc, name, fc, &args, &n)))
				return rc;
			break;
		}
		if ((rc = compile(cc, fc->args[i], &args[i])))
			return rc;
	}
	for (const struct dh_sqlx_scope *s = cc->scope; s; s = s->outer) {
		int id, vol = 0;
		uint32_t type;
		int32_t typmod;
		struct dh_sqlx *x;
		if (!s->function)
			continue;
		rc = s->function(s->ctx, name, n, args, fc->location, &id, &type, &typmod, &vol,
				 cc->err);
		if (rc < 0)
			return dh__sqlx_pos(cc, rc, fc->location);
		if (rc == 0) {
			x = dh__sqlx_node(cc->a, SX_CALL, type, typmod, fc->location, n);
			for (int i = 0; i < n; i++)
				x->args[i] = args[i];
			x->id = id;
			x->volatile_ = vol;
			*out = x;
			return 0;
		}
	}
	if (fc->agg_star)
		what = "*";
	if (fc->n_funcname == 2 && !strcmp(str_of(fc->funcname[0]), "public"))
		rc = dh__sqlx_make_func(cc, "", args, n, fc->location, fc, out);
	else
		rc = dh__sqlx_make_func(cc, name, args, n, fc->location, fc, out);
	if (rc)
		return rc;
	if (what || fc->agg_distinct || fc->n_agg_order || fc->agg_filter || fc->over ||
	    fc->agg_within_group) {
		if (fc->over)
			rc = dh_err_sql(cc->err, "42809",
					"OVER specified, but %s is not a window function nor an "
					"aggregate function",
					name);
		else if (what)
			rc = dh_err_sql(cc->err, "42809",
					"%s(*) specified, but %s is not an aggregate function",
					name, name);
		else if (fc->agg_distinct)
			rc = dh_err_sql(cc->err, "42809",
					"DISTINCT specified, but %s is not an aggregate function",
					name);
		else if (fc->agg_within_group)
			rc = dh_err_sql(cc->err, "42809",
					"WITHIN GROUP specified, but %s is not an aggregate function",
					name);
		else if (fc->n_agg_order)
			rc = dh_err_sql(cc->err, "42809",
					"ORDER BY specified, but %s is not an aggregate function",
					name);
		else
			rc = dh_err_sql(cc->err, "42809",
					"FILTER specified, but %s is not an aggregate function",
					name);
		return dh__sqlx_pos(cc, rc, fc->location);
	}
	return 0;
}

static const char *const svf_names[] = {
    "",		    "current_date",   "current_time",	  "current_time",
    "current_timestamp", "current_timestamp", "localtime",	  "localtime",
    "localtimestamp",	 "localtimestamp",    "current_role",	  "current_user",
    "user",		 "session_user",      "current_catalog", "current_schema",
};

static int
sql_value_function(struct dh_sqlx_cc *cc, const PgQuery__SQLValueFunction *f, struct dh_sqlx **out)
{
	int op = (int)f->op, n = 0, rc;
	struct dh_sqlx *args[1];
	if (op < 1 || op > 15)
		return unsupported(cc, f->location, "this SQL value function");
	if (op == 3 || op == 5 || op == 7 || op == 9) {
		struct dh_value v = {.type = DH_T_LONG, .i = f->typmod};
		args[0] = dh_sqlx_const(cc->a, DH_OID_INT4, -1, &v);
		n = 1;
	}
	for (const struct dh_sqlx_scope *s = cc->scope; s; s = s->outer) {
		int id, vol = 0;
		uint32_t type;
		int32_t typmod;
		struct dh_sqlx *x;
		if (!s->function)
			continue;
		rc = s->function(s->ctx, svf_names[op], n, args, f->location, &id, &type, &typmod,
				 &vol, cc->err);
		if (rc < 0)
			return dh__sqlx_pos(cc, rc, f->location);
		if (rc == 0) {
			x = dh__sqlx_node(cc->a, SX_CALL, type, typmod, f->location, n);
			if (n)
				x->args[0] = args[0];
			x->id = id;
			x->volatile_ = vol;
			*out = x;
			return 0;
		}
	}
	return unsupported(cc, f->location, svf_names[op]);
}

/* --- sublinks --- */

int
dh_sqlx_row_fields(const struct dh_sqlx *x, struct dh_sqlx *const **fields)
{
	if (!x || x->k != SX_OTHER || x->op != SXO_ROW)
		return -1;
	*fields = x->args;
	return x->nargs;
}

static int
sublink(struct dh_sqlx_cc *cc, const PgQuery__SubLink *sl, struct dh_sqlx **out)
{
	struct dh_sqlx *test = NULL, *x;
	int rc;
	if (sl->testexpr) {
		if (is_row(sl->testexpr))
			rc = row_expr(cc, sl->testexpr->row_expr, &test);
		else
			rc = compile(cc, sl->testexpr, &test);
		if (rc)
			return rc;
	}
	for (const struct dh_sqlx_scope *s = cc->scope; s; s = s->outer) {
		void *handle;
		uint32_t type;
		int32_t typmod;
		if (!s->sublink)
			continue;
		rc = s->sublink(s->ctx, sl, test, &handle, &type, &typmod, cc->err);
		if (rc < 0)
			return dh__sqlx_pos(cc, rc, sl->location);
		if (rc == 0) {
			x = dh__sqlx_node(cc->a, SX_SUBLINK, type, typmod, sl->location, test ? 1 : 0);
			if (test)
				x->args[0] = test;
			x->handle = handle;
			x->op = (int)sl->sub_link_type;
			*out = x;
			return 0;
		}
	}
	return unsupported(cc, sl->location, "subquery");
}

/* --- collations --- */

static int
collate_clause(struct dh_sqlx_cc *cc, const PgQuery__CollateClause *c, struct dh_sqlx **out)
{
	const char *coll = last_name(c->collname, c->n_collname);
	int rc;
	if ((rc = compile(cc, c->arg, out)))
		return rc;
	if ((*out)->type == DH_OID_UNKNOWN &&
	    (rc = dh__sqlx_coerce_type(cc, *out, DH_OID_TEXT, -1, SX_COERCE_IMPLICIT,
				       (*out)->location, out)))
		return rc;
	if (dh__sqlx_category((*out)->type) != 'S') {
		rc = dh_err_sql(cc->err, "42804", "collations are not supported by type %s",
				dh__sqlx_typename(cc, (*out)->type));
		return dh__sqlx_pos(cc, rc, c->location);
	}
	if (!coll || (strcmp(coll, "C") && strcmp(coll, "POSIX") && strcmp(coll, "default") &&
		      strcmp(coll, "ucs_basic"))) {
		rc = dh_err_sql(cc->err, "42704", "collation \"%s\" for encoding \"UTF8\" does not exist",
				coll ? coll : "?");
		return dh__sqlx_pos(cc, rc, c->location);
	}
	return 0;
}

/* --- the dispatcher --- */

static int compile_node(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out);

static int
compile(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out)
{
	int rc = compile_node(cc, n, out);
	if (rc)
		return rc;
	switch ((*out)->k) {
	case SX_AND:
	case SX_OR:
	case SX_NOT:
	case SX_ISNULL:
	case SX_BOOLTEST:
	case SX_DISTINCT:
	case SX_NULLIF:
	case SX_ANYALL:
	case SX_IN:
	case SX_CALL:
	case SX_SUBLINK:
		dh__sqlx_leftmost(*out);
		break;
	default:
		break;
	}
	return 0;
}

static int
compile_node(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out)
{
	if (!n)
		return dh_err_sql(cc->err, "XX000", "missing expression");
	if (cc->scope && cc->scope->node && n->node_case != PG_QUERY__NODE__NODE_A_CONST) {
		int slot;
		uint32_t type;
		int32_t typmod;
		int rc = cc->scope->node(cc->scope->ctx, n, &slot, &type, &typmod, cc->err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			*out = dh_sqlx_slot(cc->a, slot, 0, type, typmod, NULL);
			return 0;
		}
	}
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST:
		return literal(cc, n->a_const, out);
	case PG_QUERY__NODE__NODE_COLUMN_REF:
		return column_ref(cc, n->column_ref, out);
	case PG_QUERY__NODE__NODE_PARAM_REF:
		return param_ref(cc, n->param_ref, out);
	case PG_QUERY__NODE__NODE_A_EXPR:
		return a_expr(cc, n->a_expr, out);
	case PG_QUERY__NODE__NODE_BOOL_EXPR:
		return bool_expr(cc, n->bool_expr, out);
	case PG_QUERY__NODE__NODE_NULL_TEST:
		return null_test(cc, n->null_test, out);
	case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
		return bool_test(cc, n->boolean_test, out);
	case PG_QUERY__NODE__NODE_CASE_EXPR:
		return case_expr(cc, n->case_expr, out);
	case PG_QUERY__NODE__NODE_COALESCE_EXPR:
		return list_common(cc, SX_COALESCE, n->coalesce_expr->args,
				   n->coalesce_expr->n_args, "COALESCE", n->coalesce_expr->location,
				   out);
	case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: {
		const PgQuery__MinMaxExpr *m = n->min_max_expr;
		int g = m->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST;
		return list_common(cc, g ? SX_GREATEST : SX_LEAST, m->args, m->n_args,
				   g ? "GREATEST" : "LEAST", m->location, out);
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		return type_cast(cc, n->type_cast, out);
	case PG_QUERY__NODE__NODE_FUNC_CALL:
		return func_call(cc, n->func_call, out);
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
		return sql_value_function(cc, n->sqlvalue_function, out);
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
		return array_expr(cc, n->a_array_expr, 0, 0, -1, out);
	case PG_QUERY__NODE__NODE_A_INDIRECTION:
		return indirection(cc, n->a_indirection, out);
	case PG_QUERY__NODE__NODE_SUB_LINK:
		return sublink(cc, n->sub_link, out);
	case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
		return collate_clause(cc, n->collate_clause, out);
	case PG_QUERY__NODE__NODE_ROW_EXPR:
		return row_expr(cc, n->row_expr, out);
	default:
		return unsupported(cc, -1, "this expression");
	}
}

/* --- output column names (FigureColname) --- */

/* 0: no name; 1: a weak name (cast, CASE); 2: a strong one */
static int
figure(const PgQuery__Node *n, const char **name)
{
	if (!n)
		return 0;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_COLUMN_REF: {
		const PgQuery__ColumnRef *c = n->column_ref;
		const char *s = c->n_fields ? str_of(c->fields[c->n_fields - 1]) : NULL;
		if (s) {
			*name = s;
			return 2;
		}
		return 0;
	}
	case PG_QUERY__NODE__NODE_A_INDIRECTION: {
		const PgQuery__AIndirection *ind = n->a_indirection;
		for (size_t i = ind->n_indirection; i > 0; i--) {
			const char *s = str_of(ind->indirection[i - 1]);
			if (s) {
				*name = s;
				return 2;
			}
		}
		return figure(ind->arg, name);
	}
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const char *s = last_name(n->func_call->funcname, n->func_call->n_funcname);
		if (s) {
			*name = s;
			return 2;
		}
		return 0;
	}
	case PG_QUERY__NODE__NODE_A_EXPR:
		if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) {
			*name = "nullif";
			return 2;
		}
		return 0;
	case PG_QUERY__NODE__NODE_TYPE_CAST: {
		int s = figure(n->type_cast->arg, name);
		const PgQuery__TypeName *tn = n->type_cast->type_name;
		if (s <= 1 && tn && tn->n_names) {
			const char *t = str_of(tn->names[tn->n_names - 1]);
			if (t) {
				*name = t;
				return 1;
			}
		}
		return s;
	}
	case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
		return figure(n->collate_clause->arg, name);
	case PG_QUERY__NODE__NODE_SUB_LINK: {
		const PgQuery__SubLink *sl = n->sub_link;
		switch (sl->sub_link_type) {
		case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
			*name = "exists";
			return 2;
		case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
			*name = "array";
			return 2;
		case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK: {
			const PgQuery__Node *q = sl->subselect;
			if (q && q->node_case == PG_QUERY__NODE__NODE_SELECT_STMT &&
			    q->select_stmt->n_target_list > 0 &&
			    q->select_stmt->target_list[0]->node_case ==
				PG_QUERY__NODE__NODE_RES_TARGET) {
				const PgQuery__ResTarget *rt =
				    q->select_stmt->target_list[0]->res_target;
				if (rt->name && rt->name[0]) {
					*name = rt->name;
				} else if (!figure(rt->val, name)) {
					*name = "?column?";
				}
				return 2;
			}
			return 0;
		}
		default:
			return 0;
		}
	}
	case PG_QUERY__NODE__NODE_CASE_EXPR: {
		int st = figure(n->case_expr->defresult, name);
		if (st <= 1) {
			*name = "case";
			return 1;
		}
		return st;
	}
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
		*name = "array"; /* ARRAY[] and ROW() name like functions */
		return 2;
	case PG_QUERY__NODE__NODE_ROW_EXPR:
		*name = "row";
		return 2;
	case PG_QUERY__NODE__NODE_COALESCE_EXPR:
		*name = "coalesce";
		return 2;
	case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
		*name = n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest"
										  : "least";
		return 2;
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
		int op = (int)n->sqlvalue_function->op;
		if (op >= 1 && op <= 15) {
			*name = svf_names[op];
			return 2;
		}
		return 0;
	}
	default:
		return 0;
	}
}

int
dh_sqlx_compile(struct dh_sqlx_cc *cc, const PgQuery__Node *n, struct dh_sqlx **out)
{
	const char *name = "?column?";
	int rc = compile(cc, n, out);
	if (rc)
		return rc;
	figure(n, &name);
	if ((*out)->name != name) {
		/* the node may be shared (a parameter, a column): copy it */
		struct dh_sqlx *x = dh_arena_memdup(cc->a, *out, sizeof(**out));
		x->name = name;
		*out = x;
	}
	return 0;
}
