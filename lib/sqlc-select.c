/*
 * sqlc-select: SELECT.  The FROM items (tables, joined by commas, CROSS
 * and INNER JOIN) and the WHERE conjuncts become one qexec clause list,
 * exactly as a Datalog :where: a row pattern per table ([?e :t/db-row]),
 * a lookup per column used (bound to NULL when the entity lacks the
 * attribute), and each conjunct a predicate over the columns it reads;
 * an equality of a column with a constant becomes an index pattern
 * ([?e :t/col v]), so qexec's planner can start from it.  Above the block
 * run grouping and aggregates, HAVING, the select list, DISTINCT, ORDER
 * BY and LIMIT/OFFSET, over rows of slots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlc-int.h"

/* --- the block: tables, columns, predicates --- */

static struct clause *
new_clause(struct sqlc_sel *S, enum ckind k, int nt)
{
	struct clause *c = dh_arena_zalloc(S->a, sizeof(*c));
	c->k = k;
	/* patterns always have their five positions [e a v tx added] */
	if (k == CK_PAT)
		nt = 5;
	c->nt = nt;
	c->t = dh_arena_zalloc(S->a, (size_t)(nt ? nt : 1) * sizeof(*c->t));
	for (int i = 0; i < nt; i++)
		c->t[i].k = TK_BLANK;
	if (S->ncl == S->acl) {
		S->acl = S->acl ? 2 * S->acl : 16;
		struct clause **n = dh_arena_alloc(S->a, (size_t)S->acl * sizeof(*n));
		if (S->ncl)
			memcpy(n, S->cl, (size_t)S->ncl * sizeof(*n));
		S->cl = n;
	}
	S->cl[S->ncl++] = c;
	return c;
}

static void
term_var(struct clause *c, int i, int var)
{
	c->t[i].k = TK_VAR;
	c->t[i].var = var;
	vs_add(&c->vars, var);
}

static void
term_const(struct clause *c, int i, struct dh_value v)
{
	c->t[i].k = TK_CONST;
	c->t[i].val = v;
}

static int
new_var(struct sqlc_sel *S, const char *hint)
{
	char name[64];
	snprintf(name, sizeof(name), "?%s%d", hint, S->q->sc.nvars);
	return q_var(&S->q->sc, S->a, name, strlen(name));
}

/* Optional column lookup: the value of attribute attr of entity args[0],
 * or NONE. */
struct lookup {
	struct sqlc_sel *S;
	uint64_t attr;
	int many;
	struct dh_iter *it;
	struct lookup *next;
};

static int
lookup_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
	  struct dh_err *err)
{
	struct lookup *l = ctx;
	(void)nargs;
	out->type = DH_T_NONE;
	if (args[0].type != DH_T_LONG && args[0].type != DH_T_REF)
		return 0;
	uint64_t e = args[0].type == DH_T_LONG ? (uint64_t)args[0].i : args[0].ref;
	struct dh_datom pat = {.e = e, .a = l->attr}, d;
	int rc = l->it ? dh_iter_seek(l->it, &pat, 2, NULL, err)
		       : dh_iter_open(l->S->view, DH_EAVT, &pat, 2, l->S->a, &l->it, err);
	if (rc)
		return rc;
	rc = dh_iter_next(l->it, &d, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		if (d.v.type == DH_T_REF)
			*out = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)d.v.ref};
		else
			*out = d.v;
	}
	return 0;
}

int
dh__sqlc_slot_of(struct sqlc_sel *S, int rte, int col)
{
	struct sqlc_rte *t = &S->rt[rte];
	int *slotp = col < 0 ? &t->eslot : &t->cslot[col];
	if (*slotp >= 0)
		return *slotp;
	if (S->nsl == S->asl) {
		S->asl = S->asl ? 2 * S->asl : 16;
		struct sqlc_slot *n = dh_arena_alloc(S->a, (size_t)S->asl * sizeof(*n));
		if (S->nsl)
			memcpy(n, S->sl, (size_t)S->nsl * sizeof(*n));
		S->sl = n;
	}
	struct sqlc_slot *s = &S->sl[S->nsl];
	s->rte = rte;
	s->col = col;
	if (col < 0) {
		s->var = t->evar;
		s->type = DH_OID_INT8;
		s->typmod = -1;
	} else {
		const struct dh_sqlcol *c = &t->t->cols[col];
		s->type = c->type;
		s->typmod = c->typmod;
		s->var = new_var(S, "c");
		struct clause *cl = new_clause(S, CK_FN, 1);
		term_var(cl, 0, t->evar);
		cl->nb = 1;
		cl->bv = dh_arena_alloc(S->a, sizeof(int));
		cl->bv[0] = s->var;
		vs_add(&cl->vars, s->var);
		cl->bk = BK_SCALAR;
		cl->nullable = 1;
		cl->name = c->ident;
		struct lookup *l = dh_arena_zalloc(S->a, sizeof(*l));
		l->S = S;
		l->next = S->lookups;
		S->lookups = l;
		l->attr = c->attr;
		l->many = c->many;
		cl->cb = lookup_cb;
		cl->cbctx = l;
	}
	*slotp = S->nsl;
	return S->nsl++;
}

static int
ident_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The scope hook for column references in base expressions. */
static int
col_hook(void *ctx, const char *const *names, int n, int location, int *slot, uint32_t *type,
	 int32_t *typmod, struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	const char *qual = n >= 2 ? names[n - 2] : NULL;
	const char *col = names[n - 1];
	if (n > 3 || strcmp(col, "*") == 0)
		return 1;
	int found_rte = -1, found_col = -2;
	for (int i = 0; i < S->nrt; i++) {
		struct sqlc_rte *t = &S->rt[i];
		if (qual && !ident_eq(qual, t->alias))
			continue;
		int c = -2;
		for (int k = 0; k < t->t->ncols; k++)
			if (ident_eq(t->t->cols[k].name, col))
				c = k;
		if (c == -2 && strcmp(col, "db_id") == 0)
			c = -1;
		if (c == -2)
			continue;
		if (found_rte >= 0) {
			dh_err_sql(err, "42702", "column reference \"%s\" is ambiguous", col);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
		found_rte = i;
		found_col = c;
	}
	if (found_rte < 0) {
		if (qual) {
			int known = 0;
			for (int i = 0; i < S->nrt; i++)
				known |= ident_eq(qual, S->rt[i].alias);
			if (!known) {
				dh_err_sql(err, "42P01", "missing FROM-clause entry for table \"%s\"",
					   qual);
				return dh__sql_at(S->r, location, DH_ESQL);
			}
			dh_err_sql(err, "42703", "column %s.%s does not exist", qual, col);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
		return 1;
	}
	int s = dh__sqlc_slot_of(S, found_rte, found_col);
	if (S->phase == 1) {
		/* after grouping: a grouped column or an error */
		if (S->in_agg) {
			*slot = s;
		} else {
			int g = -1;
			for (int i = 0; i < S->ngroup; i++)
				if (S->group[i]->k == SX_SLOT && S->group[i]->slot == s &&
				    S->group[i]->levelsup == 0)
					g = i;
			if (g < 0) {
				if (!S->has_group) {
					S->col_outside_agg = 1;
					if (!S->col_outside_name) {
						S->col_outside_name =
						    dh_arena_printf(S->a, "%s.%s", S->rt[found_rte].alias,
								    col);
						S->col_outside_loc = location;
					}
					*slot = s; /* fails later if aggregates appear */
				} else {
					dh_err_sql(err, "42803",
						   "column \"%s.%s\" must appear in the GROUP BY clause "
						   "or be used in an aggregate function",
						   S->rt[found_rte].alias, col);
					return dh__sql_at(S->r, location, DH_ESQL);
				}
			} else {
				*slot = g;
			}
		}
	} else {
		*slot = s;
	}
	*type = S->sl[s].type;
	*typmod = S->sl[s].typmod;
	return 0;
}

/* --- aggregates --- */

enum aggk { AG_COUNT, AG_COUNT_STAR, AG_SUM, AG_AVG, AG_MIN, AG_MAX, AG_BOOL_AND, AG_BOOL_OR,
	    AG_STRING_AGG };

struct sqlc_agg {
	enum aggk k;
	int distinct;
	struct dh_sqlx *arg, *arg2, *filter;
	uint32_t argtype, type;
	const struct dh_sqlop *plus; /* sum/avg: the addition */
};

static int
agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type, int32_t *typmod,
	 struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	static const struct {
		const char *n;
		enum aggk k;
	} known[] = {{"count", AG_COUNT}, {"sum", AG_SUM},	   {"avg", AG_AVG},
		     {"min", AG_MIN},	  {"max", AG_MAX},	   {"bool_and", AG_BOOL_AND},
		     {"bool_or", AG_BOOL_OR}, {"every", AG_BOOL_AND}, {"string_agg", AG_STRING_AGG}};
	int ki = -1;
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(known); i++)
		if (strcmp(name, known[i].n) == 0)
			ki = (int)i;
	if (ki < 0) {
		if (fc->over || fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter) {
			dh_err_sql(err, "0A000", "%s %s is not supported yet",
				   fc->over ? "window function" : "aggregate", name ? name : "?");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		return 1;
	}
	if (fc->over) {
		dh_err_sql(err, "0A000", "window functions are not supported yet");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (S->phase == 0 || S->in_agg) {
		dh_err_sql(err, "42803", S->in_agg ? "aggregate function calls cannot be nested"
						   : "aggregate functions are not allowed in WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fc->n_agg_order) {
		dh_err_sql(err, "0A000", "ORDER BY in aggregates is not supported yet");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	struct sqlc_agg g;
	memset(&g, 0, sizeof(g));
	g.k = known[ki].k;
	g.distinct = fc->agg_distinct;
	int rc;
	S->in_agg = 1;
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = &S->grouped;
	size_t want = g.k == AG_STRING_AGG ? 2 : 1;
	if (fc->agg_star) {
		if (g.k != AG_COUNT) {
			S->in_agg = 0;
			dh_err_sql(err, "42809", "%s(*) is not an aggregate", name);
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		g.k = AG_COUNT_STAR;
	} else if (fc->n_args != want) {
		S->in_agg = 0;
		dh_err_sql(err, "42883", "function %s with %zu arguments does not exist", name,
			   fc->n_args);
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	} else {
		if ((rc = dh_sqlx_compile(&cc, fc->args[0], &g.arg)) ||
		    (rc = dh_sqlx_resolve_unknown(&cc, g.arg, &g.arg))) {
			S->in_agg = 0;
			return rc;
		}
		if (want == 2 && ((rc = dh_sqlx_compile(&cc, fc->args[1], &g.arg2)) ||
				  (rc = dh_sqlx_coerce(&cc, g.arg2, DH_OID_TEXT, -1, DH_CAST_IMPLICIT,
						       NULL, &g.arg2)))) {
			S->in_agg = 0;
			return rc;
		}
		g.argtype = g.arg->type;
	}
	if (fc->agg_filter &&
	    ((rc = dh_sqlx_compile(&cc, fc->agg_filter, &g.filter)) ||
	     (rc = dh_sqlx_coerce_bool(&cc, g.filter, "FILTER", &g.filter)))) {
		S->in_agg = 0;
		return rc;
	}
	S->in_agg = 0;
	uint32_t t = g.argtype;
	switch (g.k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		g.type = DH_OID_INT8;
		break;
	case AG_SUM:
	case AG_AVG:
		if (t == DH_OID_INT2 || t == DH_OID_INT4)
			g.type = g.k == AG_SUM ? DH_OID_INT8 : DH_OID_NUMERIC;
		else if (t == DH_OID_INT8 || t == DH_OID_NUMERIC)
			g.type = DH_OID_NUMERIC;
		else if (t == DH_OID_FLOAT4)
			g.type = g.k == AG_SUM ? DH_OID_FLOAT4 : DH_OID_FLOAT8;
		else if (t == DH_OID_FLOAT8)
			g.type = DH_OID_FLOAT8;
		else if (t == DH_OID_INTERVAL)
			g.type = DH_OID_INTERVAL;
		else {
			dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
				   dh_sqltype_by_oid(t) ? dh_sqltype_by_oid(t)->sqlname : "?");
			dh_err_hint(err, "No function matches the given name and argument types. "
					 "You might need to add explicit type casts.");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		if (g.type != t) {
			cc.scope = &S->grouped;
			S->in_agg = 1;
			rc = dh_sqlx_coerce(&cc, g.arg, g.type, -1, DH_CAST_IMPLICIT, NULL, &g.arg);
			S->in_agg = 0;
			if (rc)
				return rc;
		}
		g.plus = dh_sqlop_find("+", g.type, g.type);
		break;
	case AG_MIN:
	case AG_MAX:
		g.type = t;
		break;
	case AG_BOOL_AND:
	case AG_BOOL_OR:
		g.type = DH_OID_BOOL;
		S->in_agg = 1;
		rc = dh_sqlx_coerce_bool(&cc, g.arg, name, &g.arg);
		S->in_agg = 0;
		if (rc)
			return rc;
		break;
	case AG_STRING_AGG:
		g.type = DH_OID_TEXT;
		S->in_agg = 1;
		rc = dh_sqlx_coerce(&cc, g.arg, DH_OID_TEXT, -1, DH_CAST_IMPLICIT, NULL, &g.arg);
		S->in_agg = 0;
		if (rc)
			return rc;
		break;
	}
	if (S->nagg == S->aagg) {
		S->aagg = S->aagg ? 2 * S->aagg : 8;
		struct sqlc_agg *n = dh_arena_alloc(S->a, (size_t)S->aagg * sizeof(*n));
		if (S->nagg)
			memcpy(n, S->aggs, (size_t)S->nagg * sizeof(*n));
		S->aggs = n;
	}
	S->aggs[S->nagg] = g;
	S->has_agg = 1;
	*slot = S->ngroup + S->nagg++;
	*type = g.type;
	*typmod = -1;
	return 0;
}

static int
no_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type, int32_t *typmod,
	    struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	(void)slot, (void)type, (void)typmod;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	static const char *const aggs[] = {"count", "sum",	"avg",	"min",
					   "max",   "bool_and", "bool_or", "every",
					   "string_agg", "array_agg", "stddev", "variance"};
	int is_agg = fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter;
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(aggs); i++)
		is_agg |= strcmp(name, aggs[i]) == 0;
	if (fc->over) {
		dh_err_sql(err, "42P20", "window functions are not allowed in WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (!is_agg)
		return 1;
	dh_err_sql(err, "42803", "aggregate functions are not allowed in WHERE");
	return dh__sql_at(S->r, fc->location, DH_ESQL);
}

void
dh__sqlc_sel_init(struct sqlc_sel *S, struct dh__sqlrun *r)
{
	memset(S, 0, sizeof(*S));
	S->r = r;
	S->a = r->a;
	S->q = dh_arena_zalloc(S->a, sizeof(*S->q));
	S->q->a = S->a;
	S->q->shape = DH_FIND_REL;
	S->base = (struct dh_sqlx_scope){.ctx = S, .column = col_hook, .aggregate = no_agg_hook};
	S->grouped = (struct dh_sqlx_scope){.ctx = S, .column = col_hook, .aggregate = agg_hook};
	S->cc.a = S->a;
	S->cc.err = r->err;
	S->cc.env = dh__sql_env(r->s);
	S->cc.scope = &S->base;
	S->cc.text = r->text;
}

int
dh__sqlc_sel_open(struct sqlc_sel *S)
{
	if (S->view)
		return 0;
	return dh__sql_view(S->r->s, &S->view, &S->schema, S->r->err);
}

int
dh__sqlc_add_table(struct sqlc_sel *S, const PgQuery__RangeVar *rv, struct sqlc_rte **out)
{
	int rc = dh__sqlc_sel_open(S);
	if (rc)
		return rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(S->r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(S->r, rv->location, DH_ESQL);
	}
	struct dh_sqltable *t;
	if ((rc = dh__sqlcat_table(S->view, S->schema, rv->relname, S->a, &t, S->r->err)))
		return dh__sql_at(S->r, rv->location, rc);
	const char *alias = rv->alias && rv->alias->aliasname ? rv->alias->aliasname : rv->relname;
	for (int i = 0; i < S->nrt; i++)
		if (strcmp(S->rt[i].alias, alias) == 0) {
			dh_err_sql(S->r->err, "42712", "table name \"%s\" specified more than once",
				   alias);
			return dh__sql_at(S->r, rv->location, DH_ESQL);
		}
	if (S->nrt == S->art) {
		S->art = S->art ? 2 * S->art : 4;
		struct sqlc_rte *n = dh_arena_alloc(S->a, (size_t)S->art * sizeof(*n));
		if (S->nrt)
			memcpy(n, S->rt, (size_t)S->nrt * sizeof(*n));
		S->rt = n;
	}
	struct sqlc_rte *e = &S->rt[S->nrt++];
	memset(e, 0, sizeof(*e));
	e->alias = alias;
	e->t = t;
	e->location = rv->location;
	e->eslot = -1;
	e->cslot = dh_arena_alloc(S->a, (size_t)(t->ncols + 1) * sizeof(int));
	for (int i = 0; i < t->ncols; i++)
		e->cslot[i] = -1;
	e->evar = new_var(S, "e");
	if (t->marker) {
		struct clause *c = new_clause(S, CK_PAT, 2);
		term_var(c, 0, e->evar);
		term_const(c, 1, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)t->marker});
	} else if (t->ncols == 1) {
		struct clause *c = new_clause(S, CK_PAT, 2);
		term_var(c, 0, e->evar);
		term_const(c, 1, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)t->cols[0].attr});
	} else {
		/* a Datalog namespace: the entities with any of its attributes */
		struct clause *c = new_clause(S, CK_OR, 0);
		vs_add(&c->vars, e->evar);
		c->nsub = t->ncols;
		c->sub = dh_arena_alloc(S->a, (size_t)t->ncols * sizeof(*c->sub));
		c->njoin = c->nreq = 0;
		c->join = dh_arena_alloc(S->a, sizeof(int));
		c->join[0] = e->evar;
		c->njoin = 1;
		c->explicit_join = 1;
		for (int i = 0; i < t->ncols; i++) {
			struct clause *b = dh_arena_zalloc(S->a, sizeof(*b));
			b->k = CK_PAT;
			b->nt = 5;
			b->t = dh_arena_zalloc(S->a, 5 * sizeof(*b->t));
			for (int k = 0; k < 5; k++)
				b->t[k].k = TK_BLANK;
			term_var(b, 0, e->evar);
			term_const(b, 1,
				   (struct dh_value){.type = DH_T_LONG, .i = (int64_t)t->cols[i].attr});
			c->sub[i] = b;
		}
	}
	if (out)
		*out = e;
	return 0;
}

/* A predicate over slots: a compiled condition, evaluated per row. */
struct pred {
	struct sqlc_sel *S;
	const struct dh_sqlx *x;
	int n;
	int *slots;
	struct dh_value *row;
};

static int
pred_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
	struct dh_err *err)
{
	struct pred *p = ctx;
	if (!p->row)
		p->row = dh_arena_zalloc(p->S->a, (size_t)(p->S->nsl + 1) * sizeof(*p->row));
	for (int i = 0; i < nargs; i++)
		p->row[p->slots[i]] = args[i];
	struct dh_arena tmp;
	dh_arena_init(&tmp);
	struct dh_sqlx_run run = {.a = &tmp, .err = err, .env = p->S->cc.env, .row = p->row};
	int rc = dh_sqlx_test(p->x, &run);
	dh_arena_release(&tmp);
	if (rc < 0)
		return rc;
	*out = (struct dh_value){.type = DH_T_BOOL, .b = rc};
	return 0;
}

static void
slots_used(const struct dh_sqlx *x, char *used)
{
	if (x->k == SX_SLOT && x->levelsup == 0)
		used[x->slot] = 1;
	for (int i = 0; i < x->nargs; i++)
		if (x->args[i])
			slots_used(x->args[i], used);
}

/* Types whose datom equality is SQL's equality: an equality with a
 * constant can be an index lookup. */
static int
index_safe(uint32_t t)
{
	switch (t) {
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
	case DH_OID_TEXT:
	case DH_OID_VARCHAR:
	case DH_OID_BOOL:
	case DH_OID_UUID:
	case DH_OID_DATE:
	case DH_OID_TIMESTAMP:
	case DH_OID_TIMESTAMPTZ:
	case DH_OID_BYTEA:
		return 1;
	default:
		return 0;
	}
}

/* col = constant, both of the column's type: an index pattern. */
static int
try_index_eq(struct sqlc_sel *S, const struct dh_sqlx *x)
{
	if (x->k != SX_FUNC || x->nargs != 2 || !x->op || strcmp(x->op->name, "=") != 0)
		return 0;
	const struct dh_sqlx *a = x->args[0], *b = x->args[1];
	if (a->k != SX_SLOT)
		a = x->args[1], b = x->args[0];
	if (a->k != SX_SLOT || a->levelsup || !dh_sqlx_is_const(b) || a->type != b->type ||
	    !index_safe(a->type))
		return 0;
	const struct sqlc_slot *s = &S->sl[a->slot];
	if (s->col < 0)
		return 0;
	struct dh_value v;
	struct dh_err e2;
	struct dh_sqlx_run run = {.a = S->a, .err = &e2, .env = S->cc.env};
	if (dh_sqlx_eval(b, &run, &v) || v.type == DH_T_NONE)
		return 0;
	const struct dh_sqlcol *c = &S->rt[s->rte].t->cols[s->col];
	if (v.type != c->rep)
		return 0;
	struct clause *cl = new_clause(S, CK_PAT, 3);
	term_var(cl, 0, S->rt[s->rte].evar);
	term_const(cl, 1, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)c->attr});
	term_const(cl, 2, v);
	return 1;
}

static int
add_conjunct(struct sqlc_sel *S, const PgQuery__Node *n)
{
	if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < n->bool_expr->n_args; i++) {
			int rc = add_conjunct(S, n->bool_expr->args[i]);
			if (rc)
				return rc;
		}
		return 0;
	}
	struct dh_sqlx *x;
	int rc = dh_sqlx_compile(&S->cc, n, &x);
	if (rc || (rc = dh_sqlx_coerce_bool(&S->cc, x, "WHERE", &x)))
		return rc;
	if (try_index_eq(S, x))
		return 0;
	char *used = dh_arena_zalloc(S->a, (size_t)S->nsl + 1);
	slots_used(x, used);
	struct pred *p = dh_arena_zalloc(S->a, sizeof(*p));
	p->S = S;
	p->x = x;
	p->slots = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
	for (int i = 0; i < S->nsl; i++)
		if (used[i])
			p->slots[p->n++] = i;
	struct clause *c = new_clause(S, CK_PRED, p->n);
	for (int i = 0; i < p->n; i++)
		term_var(c, i, S->sl[p->slots[i]].var);
	c->cb = pred_cb;
	c->cbctx = p;
	c->name = "sql-where";
	if (p->n == 0) {
		/* a constant condition: evaluate it once */
		struct dh_value v;
		if ((rc = pred_cb(p, 0, NULL, &v, S->r->err)))
			return rc;
		S->ncl--;
		if (!v.b) {
			/* nothing passes: a pattern that matches nothing */
			struct clause *f = new_clause(S, CK_PRED, 0);
			f->cb = pred_cb;
			f->cbctx = p;
			f->name = "false";
			S->q->ncl = -1; /* marks the block empty */
		}
	}
	return 0;
}

int
dh__sqlc_where(struct sqlc_sel *S, const PgQuery__Node *w)
{
	if (!w)
		return 0;
	int phase = S->phase;
	S->phase = 0;
	S->cc.scope = &S->base;
	int rc = add_conjunct(S, w);
	S->phase = phase;
	return rc;
}

static int
add_from(struct sqlc_sel *S, const PgQuery__Node *n, const PgQuery__Node **quals, int *nq)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_RANGE_VAR:
		return dh__sqlc_add_table(S, n->range_var, NULL);
	case PG_QUERY__NODE__NODE_JOIN_EXPR: {
		const PgQuery__JoinExpr *j = n->join_expr;
		if (j->jointype != PG_QUERY__JOIN_TYPE__JOIN_INNER || j->is_natural ||
		    j->n_using_clause || j->alias)
			return dh_err_sql(S->r->err, "0A000",
					  "%s joins are not supported yet",
					  j->is_natural ? "NATURAL"
					  : j->n_using_clause ? "USING"
					  : j->jointype == PG_QUERY__JOIN_TYPE__JOIN_LEFT ? "LEFT"
					  : j->jointype == PG_QUERY__JOIN_TYPE__JOIN_RIGHT ? "RIGHT"
					  : j->jointype == PG_QUERY__JOIN_TYPE__JOIN_FULL ? "FULL"
											  : "aliased");
		int rc = add_from(S, j->larg, quals, nq);
		if (rc || (rc = add_from(S, j->rarg, quals, nq)))
			return rc;
		if (j->quals)
			quals[(*nq)++] = j->quals;
		return 0;
	}
	default: {
		const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
		    &pg_query__node__descriptor, n->node_case);
		return dh_err_sql(S->r->err, "0A000", "%s in FROM is not supported yet",
				  f && f->descriptor
				      ? ((const ProtobufCMessageDescriptor *)f->descriptor)->short_name
				      : "this item");
	}
	}
}

/* Run the block: rows of S->nsl slots each. */
int
dh__sqlc_run_block(struct sqlc_sel *S, struct dh_value **rows, size_t *nrows)
{
	*rows = NULL;
	*nrows = 0;
	if (S->nrt == 0) {
		/* no FROM: one empty row, unless a constant condition said no */
		*rows = dh_arena_zalloc(S->a, sizeof(struct dh_value));
		*nrows = S->q->ncl < 0 ? 0 : 1;
		return 0;
	}
	if (S->q->ncl < 0)
		return 0;
	struct dh_query *q = S->q;
	q->where = S->cl;
	q->ncl = S->ncl;
	/* every table's entity is found, so the set of tuples is SQL's bag */
	int nfind = S->nsl + S->nrt;
	q->find = dh_arena_zalloc(S->a, (size_t)nfind * sizeof(*q->find));
	q->nfind = 0;
	for (int i = 0; i < S->nsl; i++)
		q->find[q->nfind++] = (struct find_elem){.k = FE_VAR, .var = S->sl[i].var};
	for (int i = 0; i < S->nrt; i++)
		if (S->rt[i].eslot < 0)
			q->find[q->nfind++] = (struct find_elem){.k = FE_VAR, .var = S->rt[i].evar};
	q->shape = DH_FIND_REL;
	q->nsrcnames = 1;
	q->srcnames[0] = "$";
	struct dh_query_env env;
	memset(&env, 0, sizeof(env));
	env.nsrc = 1;
	env.src[0] = (struct dh_source){"$", S->view, S->schema};
	env.cancel = dh__sql_cancel(S->r->s);
	struct dh_result res;
	int rc = dh_query_run(q, &env, S->a, &res, S->r->err);
	for (struct lookup *l = S->lookups; l; l = l->next)
		if (l->it) {
			dh_iter_close(l->it);
			l->it = NULL;
		}
	if (rc)
		return rc;
	/* keep the slot columns */
	size_t w = (size_t)S->nsl;
	struct dh_value *out = dh_arena_alloc(S->a, (res.nrows ? res.nrows : 1) * (w ? w : 1) *
							sizeof(*out));
	for (size_t i = 0; i < res.nrows; i++)
		memcpy(out + i * w, res.rows + i * res.ncols, w * sizeof(*out));
	*rows = out;
	*nrows = res.nrows;
	return 0;
}

/* --- the upper nodes --- */

struct target {
	struct dh_sqlx *x;
	const char *name;
	const PgQuery__Node *src; /* a select-list item, NULL for a star's column */
	int location;
};

static int
eval_row(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row,
	 struct dh_value *out)
{
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row};
	return dh_sqlx_eval(x, &run, out);
}

/* Hash table of rows by some columns, for grouping and DISTINCT. */
struct rowtab {
	size_t cap, n;
	size_t *idx; /* row index + 1, 0 empty */
};

static uint64_t
key_hash(const struct dh_value *k, const uint32_t *types, int n)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < n; i++)
		h = (h ^ dh_sqltype_hash(types[i], &k[i])) * 1099511628211ull;
	return h;
}

/* NULLs group together (IS NOT DISTINCT FROM). */
static int
key_eq(const struct dh_value *a, const struct dh_value *b, const uint32_t *types, int n)
{
	for (int i = 0; i < n; i++) {
		int an = a[i].type == DH_T_NONE, bn = b[i].type == DH_T_NONE;
		if (an || bn) {
			if (an != bn)
				return 0;
			continue;
		}
		if (dh_sqltype_cmp(types[i], &a[i], &b[i]) != 0)
			return 0;
	}
	return 1;
}

/* Find the key among keys[] (stride w) or add it as row n; returns the
 * row index and sets *isnew. */
static size_t
rowtab_put(struct rowtab *t, const struct dh_value *keys, size_t w, const uint32_t *types,
	   int nk, size_t n, int *isnew)
{
	if ((t->n + 1) * 2 > t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 64;
		size_t *ni = xcalloc(nc, sizeof(*ni));
		for (size_t i = 0; i < t->cap; i++)
			if (t->idx[i]) {
				size_t r = t->idx[i] - 1;
				uint64_t h = key_hash(keys + r * w, types, nk);
				size_t j = h & (nc - 1);
				while (ni[j])
					j = (j + 1) & (nc - 1);
				ni[j] = t->idx[i];
			}
		free(t->idx);
		t->idx = ni;
		t->cap = nc;
	}
	uint64_t h = key_hash(keys + n * w, types, nk);
	size_t j = h & (t->cap - 1);
	while (t->idx[j]) {
		size_t r = t->idx[j] - 1;
		if (key_eq(keys + r * w, keys + n * w, types, nk)) {
			*isnew = 0;
			return r;
		}
		j = (j + 1) & (t->cap - 1);
	}
	t->idx[j] = n + 1;
	t->n++;
	*isnew = 1;
	return n;
}

/* Aggregate state per group. */
struct aggst {
	struct dh_value v; /* running value (sum, min, max, bool, count) */
	int64_t n;
	struct dh_buf *str; /* string_agg */
	struct rowtab seen; /* DISTINCT */
	struct dh_value *seenv;
	size_t nseen, aseen;
};

static int
agg_step(struct sqlc_sel *S, struct sqlc_agg *g, struct aggst *st, const struct dh_value *row)
{
	int rc;
	if (g->filter) {
		struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row};
		if ((rc = dh_sqlx_test(g->filter, &run)) <= 0)
			return rc;
	}
	if (g->k == AG_COUNT_STAR) {
		st->n++;
		return 0;
	}
	struct dh_value v, d = {.type = DH_T_NONE};
	if ((rc = eval_row(S, g->arg, row, &v)))
		return rc;
	if (v.type == DH_T_NONE)
		return 0;
	if (g->arg2 && (rc = eval_row(S, g->arg2, row, &d)))
		return rc;
	if (g->distinct) {
		if (st->nseen == st->aseen) {
			st->aseen = st->aseen ? 2 * st->aseen : 16;
			st->seenv = xrealloc(st->seenv, st->aseen * sizeof(*st->seenv));
		}
		st->seenv[st->nseen] = v;
		int isnew;
		uint32_t t = g->arg->type;
		rowtab_put(&st->seen, st->seenv, 1, &t, 1, st->nseen, &isnew);
		if (!isnew)
			return 0;
		st->nseen++;
	}
	st->n++;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		break;
	case AG_SUM:
	case AG_AVG:
		if (st->v.type == DH_T_NONE) {
			st->v = v;
		} else {
			struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env,
					       .nargs = 2};
			struct dh_value args[2] = {st->v, v};
			if (!g->plus)
				return dh_err_sql(S->r->err, "XX000", "no addition for this type");
			if ((rc = dh_sqlfn_call(g->plus->fn, &c, args, &st->v)))
				return rc;
		}
		break;
	case AG_MIN:
	case AG_MAX:
		if (st->v.type == DH_T_NONE) {
			st->v = v;
		} else {
			int cmp = dh_sqltype_cmp(g->type, &v, &st->v);
			if ((g->k == AG_MIN && cmp < 0) || (g->k == AG_MAX && cmp > 0))
				st->v = v;
		}
		break;
	case AG_BOOL_AND:
		if (st->v.type == DH_T_NONE)
			st->v = v;
		else
			st->v.b = st->v.b && v.b;
		break;
	case AG_BOOL_OR:
		if (st->v.type == DH_T_NONE)
			st->v = v;
		else
			st->v.b = st->v.b || v.b;
		break;
	case AG_STRING_AGG:
		if (!st->str) {
			st->str = dh_arena_zalloc(S->a, sizeof(*st->str));
			dh_buf_init(st->str, 0);
		} else if (d.type == DH_T_STRING) {
			dh_buf_add(st->str, d.s.p, d.s.n);
		}
		dh_buf_add(st->str, v.s.p, v.s.n);
		break;
	}
	return 0;
}

static int
agg_final(struct sqlc_sel *S, struct sqlc_agg *g, struct aggst *st, struct dh_value *out)
{
	free(st->seen.idx);
	free(st->seenv);
	out->type = DH_T_NONE;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		*out = (struct dh_value){.type = DH_T_LONG, .i = st->n};
		return 0;
	case AG_AVG: {
		if (st->n == 0)
			return 0;
		struct dh_value cnt;
		if (g->type == DH_OID_NUMERIC) {
			dh_sqlnum_from_int64(st->n, S->a, &cnt);
		} else if (g->type == DH_OID_FLOAT8) {
			cnt = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)st->n};
		} else {
			cnt = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)st->n};
		}
		uint32_t rt = g->type == DH_OID_INTERVAL ? DH_OID_FLOAT8 : g->type;
		const struct dh_sqlop *div = dh_sqlop_find("/", g->type, rt);
		if (!div)
			return dh_err_sql(S->r->err, "0A000", "avg of this type is not supported yet");
		struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env, .nargs = 2};
		struct dh_value args[2] = {st->v, cnt};
		return dh_sqlfn_call(div->fn, &c, args, out);
	}
	case AG_STRING_AGG:
		if (st->str) {
			*out = (struct dh_value){.type = DH_T_STRING};
			out->s.p = dh_arena_strndup(S->a, (const char *)st->str->p, st->str->len);
			out->s.n = st->str->len;
			dh_buf_release(st->str);
		}
		return 0;
	default:
		*out = st->v;
		return 0;
	}
}

/* Group rows (width w) by S->group and compute S->aggs: rows of ngroup +
 * nagg slots. */
static int
group_rows(struct sqlc_sel *S, const struct dh_value *rows, size_t n, size_t w,
	   struct dh_value **out, size_t *nout)
{
	int ng = S->ngroup, na = S->nagg, rc = 0;
	size_t ow = (size_t)(ng + na);
	uint32_t *types = dh_arena_alloc(S->a, (size_t)(ng + 1) * sizeof(*types));
	for (int i = 0; i < ng; i++)
		types[i] = S->group[i]->type;
	size_t cap = 16, cnt = 0;
	struct dh_value *keys = xmalloc(cap * (ow ? ow : 1) * sizeof(*keys));
	struct aggst *st = xcalloc(cap * (size_t)(na ? na : 1), sizeof(*st));
	struct rowtab tab = {0};
	for (size_t r = 0; r < n && rc == 0; r++) {
		const struct dh_value *row = rows + r * w;
		if (cnt == cap) {
			cap *= 2;
			keys = xrealloc(keys, cap * (ow ? ow : 1) * sizeof(*keys));
			st = xrealloc(st, cap * (size_t)(na ? na : 1) * sizeof(*st));
			memset(st + cnt * (size_t)na, 0, (cap - cnt) * (size_t)na * sizeof(*st));
		}
		struct dh_value *k = keys + cnt * ow;
		for (int i = 0; i < ng && rc == 0; i++)
			rc = eval_row(S, S->group[i], row, &k[i]);
		if (rc)
			break;
		int isnew = 1;
		size_t gi = ng ? rowtab_put(&tab, keys, ow, types, ng, cnt, &isnew) : 0;
		if (!ng)
			isnew = cnt == 0;
		if (isnew)
			cnt++;
		for (int i = 0; i < na && rc == 0; i++)
			rc = agg_step(S, &S->aggs[i], &st[gi * (size_t)na + (size_t)i], row);
	}
	if (rc == 0 && ng == 0 && cnt == 0)
		cnt = 1; /* aggregates without GROUP BY: one row even over nothing */
	struct dh_value *o = dh_arena_alloc(S->a, (cnt ? cnt : 1) * (ow ? ow : 1) * sizeof(*o));
	for (size_t g = 0; g < cnt && rc == 0; g++) {
		memcpy(o + g * ow, keys + g * ow, (size_t)ng * sizeof(*o));
		for (int i = 0; i < na && rc == 0; i++)
			rc = agg_final(S, &S->aggs[i], &st[g * (size_t)na + (size_t)i],
				       &o[g * ow + (size_t)ng + (size_t)i]);
	}
	free(keys);
	free(st);
	free(tab.idx);
	*out = o;
	*nout = rc ? 0 : cnt;
	return rc;
}

struct sortkey {
	struct dh_sqlx *x;
	int desc, nulls_first;
	uint32_t type;
};

struct sortctx {
	const struct sortkey *k;
	int nk;
	size_t w, off; /* row width, offset of the keys in a row */
	const struct dh_value *rows;
};

static const struct sortctx *sort_ctx; /* qsort has no context argument in C11 */

static int
row_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	const struct sortctx *c = sort_ctx;
	const struct dh_value *ra = c->rows + a * c->w + c->off, *rb = c->rows + b * c->w + c->off;
	for (int i = 0; i < c->nk; i++) {
		int an = ra[i].type == DH_T_NONE, bn = rb[i].type == DH_T_NONE, r;
		if (an || bn) {
			if (an && bn)
				continue;
			return an ? (c->k[i].nulls_first ? -1 : 1) : (c->k[i].nulls_first ? 1 : -1);
		}
		r = dh_sqltype_cmp(c->k[i].type, &ra[i], &rb[i]);
		if (r)
			return c->k[i].desc ? -r : r;
	}
	return a < b ? -1 : a > b; /* stable */
}

static int
const_int(struct sqlc_sel *S, const PgQuery__Node *n, const char *what, int64_t *out, int *isnull)
{
	struct dh_sqlx *x;
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = NULL;
	int rc = dh_sqlx_compile(&cc, n, &x);
	if (rc || (rc = dh_sqlx_coerce(&cc, x, DH_OID_INT8, -1, DH_CAST_IMPLICIT, NULL, &x)))
		return rc;
	struct dh_value v;
	if ((rc = eval_row(S, x, NULL, &v)))
		return rc;
	*isnull = v.type == DH_T_NONE;
	*out = *isnull ? 0 : v.i;
	if (!*isnull && *out < 0)
		return dh_err_sql(S->r->err, "2201W", "%s must not be negative", what);
	return 0;
}

/* Does an ORDER BY / GROUP BY item name an output column?  An ordinal or a
 * bare name equal to a target's. */
static int
target_ref(struct sqlc_sel *S, const PgQuery__Node *n, const struct target *tl, int nt,
	   const char *clause, int *out)
{
	*out = -1;
	if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
		int k = n->a_const->ival->ival;
		if (k < 1 || k > nt) {
			dh_err_sql(S->r->err, "42P10", "%s position %d is not in select list", clause,
				   k);
			return dh__sql_at(S->r, n->a_const->location, DH_ESQL);
		}
		*out = k - 1;
		return 0;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && n->column_ref->n_fields == 1) {
		const char *name = dh__sqlc_str(n->column_ref->fields[0]);
		int found = -1;
		for (int i = 0; name && i < nt; i++)
			if (tl[i].name && strcmp(tl[i].name, name) == 0) {
				if (found < 0)
					found = i;
			}
		/* for ORDER BY an output name wins over an input column; for
		 * GROUP BY an input column wins */
		if (found >= 0 && strcmp(clause, "GROUP BY") == 0) {
			int slot;
			uint32_t t;
			int32_t tm;
			struct dh_err e2;
			const char *names[1] = {name};
			int ph = S->phase;
			S->phase = 0;
			int rc = col_hook(S, names, 1, -1, &slot, &t, &tm, &e2);
			S->phase = ph;
			if (rc == 0)
				found = -1;
		}
		*out = found;
	}
	return 0;
}

static void
col_of(struct sqlc_sel *S, const struct dh_sqlx *x, struct dh_sql_col *c, const char *name)
{
	(void)S;
	c->name = name ? name : x->name ? x->name : "?column?";
	c->type_oid = x->type;
	c->typmod = x->typmod;
}

int
dh__sqlc_select(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, int emit,
		struct dh_sql_col **colsp, int *ncolsp, struct dh_value **rowsp, size_t *nrowsp)
{
	int rc;
	if (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
		return dh_err_sql(r->err, "0A000", "UNION, INTERSECT and EXCEPT are not supported yet");
	if (st->with_clause)
		return dh_err_sql(r->err, "0A000", "WITH is not supported yet");
	if (st->n_values_lists)
		return dh_err_sql(r->err, "0A000", "VALUES lists are not supported yet");
	if (st->into_clause)
		return dh_err_sql(r->err, "0A000", "SELECT INTO is not supported yet");
	if (st->n_window_clause)
		return dh_err_sql(r->err, "0A000", "WINDOW is not supported yet");
	/* FOR UPDATE needs nothing more: a writing transaction holds the
	 * store's one write lock from its first write on */
	struct sqlc_sel S_, *S = &S_;
	dh__sqlc_sel_init(S, r);
	const PgQuery__Node *quals[64];
	int nq = 0;
	for (size_t i = 0; i < st->n_from_clause; i++) {
		if (nq >= 60)
			return dh_err_sql(r->err, "54000", "too many joins");
		if ((rc = add_from(S, st->from_clause[i], quals, &nq)))
			return rc;
	}
	for (int i = 0; i < nq; i++)
		if ((rc = dh__sqlc_where(S, quals[i])))
			return rc;
	if ((rc = dh__sqlc_where(S, st->where_clause)))
		return rc;

	/* the select list, compiled after grouping (phase 1) */
	S->phase = 1;
	S->cc.scope = &S->grouped;
	S->has_group = st->n_group_clause > 0;
	int nt = 0, at = (int)st->n_target_list + 8;
	struct target *tl = dh_arena_zalloc(S->a, (size_t)at * sizeof(*tl));
	/* group keys first (they may name targets by ordinal or alias: those
	 * are resolved against the raw target expressions) */
	S->group = dh_arena_zalloc(S->a, (st->n_group_clause + 1) * sizeof(*S->group));
	for (size_t i = 0; i < st->n_target_list; i++) {
		const PgQuery__ResTarget *t = st->target_list[i]->res_target;
		if (t->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
			const PgQuery__ColumnRef *cr = t->val->column_ref;
			const PgQuery__Node *last = cr->fields[cr->n_fields - 1];
			if (last->node_case == PG_QUERY__NODE__NODE_A_STAR) {
				/* * or t.*: every column of the tables, in order */
				const char *qual =
				    cr->n_fields >= 2 ? dh__sqlc_str(cr->fields[cr->n_fields - 2]) : NULL;
				int any = 0;
				for (int k = 0; k < S->nrt; k++) {
					if (qual && strcmp(qual, S->rt[k].alias) != 0)
						continue;
					any = 1;
					for (int c = 0; c < S->rt[k].t->ncols; c++) {
						if (nt == at) {
							at *= 2;
							struct target *n2 = dh_arena_zalloc(
							    S->a, (size_t)at * sizeof(*n2));
							memcpy(n2, tl, (size_t)nt * sizeof(*tl));
							tl = n2;
						}
						int s = dh__sqlc_slot_of(S, k, c);
						tl[nt].x = dh_sqlx_slot(S->a, s, 0, S->sl[s].type,
									S->sl[s].typmod,
									S->rt[k].t->cols[c].name);
						tl[nt].name = S->rt[k].t->cols[c].name;
						tl[nt].src = NULL;
						tl[nt].location = cr->location;
						nt++;
					}
				}
				if (qual && !any) {
					dh_err_sql(r->err, "42P01",
						   "missing FROM-clause entry for table \"%s\"", qual);
					return dh__sql_at(r, cr->location, DH_ESQL);
				}
				if (!qual && S->nrt == 0) {
					dh_err_sql(r->err, "42601",
						   "SELECT * with no tables specified is not valid");
					return dh__sql_at(r, cr->location, DH_ESQL);
				}
				continue;
			}
		}
		if (nt == at) {
			at *= 2;
			struct target *n2 = dh_arena_zalloc(S->a, (size_t)at * sizeof(*n2));
			memcpy(n2, tl, (size_t)nt * sizeof(*tl));
			tl = n2;
		}
		tl[nt].name = t->name && *t->name ? t->name : NULL;
		tl[nt].x = NULL;
		tl[nt].src = t->val;
		tl[nt].location = t->location;
		nt++;
	}
	/* GROUP BY: expressions over the input (phase 0 scope) */
	for (size_t i = 0; i < st->n_group_clause; i++) {
		const PgQuery__Node *g = st->group_clause[i];
		if (g->node_case == PG_QUERY__NODE__NODE_GROUPING_SET)
			return dh_err_sql(r->err, "0A000",
					  "GROUPING SETS, ROLLUP and CUBE are not supported yet");
		int ti;
		/* map target indexes to the select list's items (stars expanded
		 * above are columns with names) */
		if ((rc = target_ref(S, g, tl, nt, "GROUP BY", &ti)))
			return rc;
		const PgQuery__Node *e = g;
		if (ti >= 0) {
			if (!tl[ti].src) {
				S->group[S->ngroup++] = tl[ti].x;
				continue;
			}
			e = tl[ti].src;
		}
		struct dh_sqlx *gx;
		int ph = S->phase;
		S->phase = 0;
		struct dh_sqlx_cc cc = S->cc;
		cc.scope = &S->base;
		rc = dh_sqlx_compile(&cc, e, &gx);
		if (rc == 0)
			rc = dh_sqlx_resolve_unknown(&cc, gx, &gx);
		S->phase = ph;
		if (rc)
			return rc;
		S->group[S->ngroup++] = gx;
	}
	/* the targets */
	for (int k = 0; k < nt; k++) {
		if (!tl[k].src) {
			/* a star's column: regrouped like any column reference */
			const struct sqlc_slot *sl = &S->sl[tl[k].x->slot];
			if (S->has_group) {
				int g = -1;
				for (int j = 0; j < S->ngroup; j++)
					if (S->group[j]->k == SX_SLOT && S->group[j]->slot == tl[k].x->slot)
						g = j;
				if (g < 0) {
					dh_err_sql(r->err, "42803",
						   "column \"%s.%s\" must appear in the GROUP BY clause "
						   "or be used in an aggregate function",
						   S->rt[sl->rte].alias, tl[k].name);
					return dh__sql_at(r, tl[k].location, DH_ESQL);
				}
				tl[k].x = dh_sqlx_slot(S->a, g, 0, tl[k].x->type, tl[k].x->typmod,
						       tl[k].name);
			} else if (!S->col_outside_name) {
				S->col_outside_agg = 1;
				S->col_outside_name =
				    dh_arena_printf(S->a, "%s.%s", S->rt[sl->rte].alias, tl[k].name);
				S->col_outside_loc = tl[k].location;
			}
			continue;
		}
		struct dh_sqlx *x;
		if ((rc = dh_sqlx_compile(&S->cc, tl[k].src, &x)) ||
		    (rc = dh_sqlx_resolve_unknown(&S->cc, x, &x)))
			return rc;
		tl[k].x = x;
		if (!tl[k].name)
			tl[k].name = x->name ? x->name : "?column?";
	}
	/* HAVING */
	struct dh_sqlx *having = NULL;
	if (st->having_clause) {
		if ((rc = dh_sqlx_compile(&S->cc, st->having_clause, &having)) ||
		    (rc = dh_sqlx_coerce_bool(&S->cc, having, "HAVING", &having)))
			return rc;
		S->has_agg = 1; /* HAVING makes the query grouped */
	}
	/* ORDER BY */
	int nk = (int)st->n_sort_clause;
	struct sortkey *keys = dh_arena_zalloc(S->a, (size_t)(nk + 1) * sizeof(*keys));
	int *keytarget = dh_arena_alloc(S->a, (size_t)(nk + 1) * sizeof(int));
	for (int i = 0; i < nk; i++) {
		const PgQuery__SortBy *sb = st->sort_clause[i]->sort_by;
		if (sb->n_use_op)
			return dh_err_sql(r->err, "0A000", "ORDER BY ... USING is not supported yet");
		keys[i].desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		keys[i].nulls_first = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
				      (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST &&
				       keys[i].desc);
		if ((rc = target_ref(S, sb->node, tl, nt, "ORDER BY", &keytarget[i])))
			return rc;
		if (keytarget[i] >= 0) {
			keys[i].x = tl[keytarget[i]].x;
		} else {
			if ((rc = dh_sqlx_compile(&S->cc, sb->node, &keys[i].x)) ||
			    (rc = dh_sqlx_resolve_unknown(&S->cc, keys[i].x, &keys[i].x)))
				return rc;
		}
		keys[i].type = keys[i].x->type;
	}
	int grouped = S->has_group || S->has_agg;
	if (grouped && !S->has_group && S->col_outside_agg) {
		dh_err_sql(r->err, "42803",
			   "column \"%s\" must appear in the GROUP BY clause or be used in an "
			   "aggregate function",
			   S->col_outside_name);
		return dh__sql_at(r, S->col_outside_loc, DH_ESQL);
	}
	int distinct = st->n_distinct_clause > 0;
	if (distinct && !(st->n_distinct_clause == 1 && st->distinct_clause[0] == NULL) &&
	    st->distinct_clause[0] != NULL)
		return dh_err_sql(r->err, "0A000", "DISTINCT ON is not supported yet");
	if (distinct)
		for (int i = 0; i < nk; i++)
			if (keytarget[i] < 0) {
				int found = 0;
				for (int k = 0; k < nt && !found; k++)
					found = tl[k].x == keys[i].x;
				if (!found) {
					dh_err_sql(r->err, "42P10",
						   "for SELECT DISTINCT, ORDER BY expressions must "
						   "appear in select list");
					return dh__sql_at(r, st->sort_clause[i]->sort_by->location,
							  DH_ESQL);
				}
			}
	int64_t limit = -1, offset = 0;
	int isnull;
	if (st->limit_count && (rc = const_int(S, st->limit_count, "LIMIT", &limit, &isnull)))
		return rc;
	if (st->limit_count && isnull)
		limit = -1;
	if (st->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES)
		return dh_err_sql(r->err, "0A000", "FETCH ... WITH TIES is not supported yet");
	if (st->limit_offset && (rc = const_int(S, st->limit_offset, "OFFSET", &offset, &isnull)))
		return rc;

	/* run */
	struct dh_value *rows;
	size_t n;
	if ((rc = dh__sqlc_run_block(S, &rows, &n)))
		return rc;
	size_t w = (size_t)S->nsl;
	if (grouped) {
		struct dh_value *g;
		size_t gn;
		if ((rc = group_rows(S, rows, n, w, &g, &gn)))
			return rc;
		rows = g;
		n = gn;
		w = (size_t)(S->ngroup + S->nagg);
	}
	/* HAVING, projection and sort keys: rows of nt + nk values */
	size_t ow = (size_t)(nt + nk);
	struct dh_value *out = dh_arena_alloc(S->a, (n ? n : 1) * (ow ? ow : 1) * sizeof(*out));
	size_t on = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dh_value *row = rows + i * w;
		if (having) {
			struct dh_sqlx_run run = {.a = S->a, .err = r->err, .env = S->cc.env,
						  .row = row};
			if ((rc = dh_sqlx_test(having, &run)) < 0)
				return rc;
			if (!rc)
				continue;
		}
		struct dh_value *o = out + on * ow;
		for (int k = 0; k < nt; k++)
			if ((rc = eval_row(S, tl[k].x, row, &o[k])))
				return rc;
		for (int k = 0; k < nk; k++) {
			if (keytarget[k] >= 0)
				o[nt + k] = o[keytarget[k]];
			else if ((rc = eval_row(S, keys[k].x, row, &o[nt + k])))
				return rc;
		}
		on++;
	}
	size_t *ord = xmalloc((on ? on : 1) * sizeof(*ord));
	for (size_t i = 0; i < on; i++)
		ord[i] = i;
	if (distinct) {
		uint32_t *types = dh_arena_alloc(S->a, (size_t)(nt + 1) * sizeof(*types));
		for (int k = 0; k < nt; k++)
			types[k] = tl[k].x->type;
		struct rowtab tab = {0};
		size_t m = 0;
		for (size_t i = 0; i < on; i++) {
			int isnew;
			/* compare against kept rows: put row i, keyed on its own index */
			rowtab_put(&tab, out, ow, types, nt, i, &isnew);
			if (isnew)
				ord[m++] = i;
		}
		free(tab.idx);
		on = m;
	}
	if (nk) {
		struct sortctx sc = {keys, nk, ow, (size_t)nt, out};
		sort_ctx = &sc;
		qsort(ord, on, sizeof(*ord), row_cmp);
		sort_ctx = NULL;
	}
	size_t from = (size_t)offset < on ? (size_t)offset : on;
	size_t cnt = on - from;
	if (limit >= 0 && (size_t)limit < cnt)
		cnt = (size_t)limit;
	struct dh_value *res = dh_arena_alloc(S->a, (cnt ? cnt : 1) * (size_t)(nt ? nt : 1) *
							sizeof(*res));
	for (size_t i = 0; i < cnt; i++)
		memcpy(res + i * (size_t)nt, out + ord[from + i] * ow, (size_t)nt * sizeof(*res));
	free(ord);
	struct dh_sql_col *cols = dh_arena_zalloc(S->a, (size_t)(nt + 1) * sizeof(*cols));
	for (int k = 0; k < nt; k++)
		col_of(S, tl[k].x, &cols[k], tl[k].name);
	if (colsp) {
		*colsp = cols;
		*ncolsp = nt;
		*rowsp = res;
		*nrowsp = cnt;
	}
	if (!emit)
		return 0;
	char *tag = dh_arena_printf(S->a, "SELECT %zu", cnt);
	return dh__sqlc_emit(r, tag, nt, cols, res, cnt);
}
