/*
 * sqlc-srf: the set-returning functions a FROM item may call besides
 * generate_series and unnest (which sqlc-from.c runs itself): json's and
 * jsonb's each, each_text, array_elements, array_elements_text,
 * object_keys; regexp_matches and regexp_split_to_table (sqlstr.c).  sqlc-from.c asks dh__sqlc_srf_known whether a name is one
 * of them, compiles the arguments, and then dh__sqlc_srf_resolve checks
 * and coerces them and fills in the scan's columns; at run time
 * dh__sqlc_srf_rows turns the function's result (a vector of rows, see
 * lib/sqljson.h) into rows of the scan's width.  A lone set-returning call
 * in a select list (these, generate_series, unnest) becomes such a FROM
 * item too (dh__sqlc_srf_rewrite).
 */
#include <string.h>

#include "sqlc-int.h"
#include "sqljson.h"

#define J DH_OID_JSON
#define JB DH_OID_JSONB
#define TX DH_OID_TEXT

struct sqlc_srfdef {
	const char *name;
	int minargs, maxargs;
	uint32_t args[3]; /* the arguments' types */
	int ncols;
	const char *colnames[2]; /* NULL: named after the FROM item's alias */
	uint32_t types[2];
	/* json's: the one argument a document */
	int (*json)(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
	int as_text;
	/* the others: a function of the (non-NULL) arguments */
	dh_sqlfn fn;
};

static int
object_keys(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
	    struct dh_value *out, struct dh_err *err)
{
	(void)as_text;
	return dh_json_object_keys(t, doc, a, out, err);
}

#define JSRF(name, arg, ncols, c1, c2, t1, t2, fn, as_text)                                        \
	{                                                                                          \
		name, 1, 1, {arg}, ncols, {c1, c2}, {t1, t2}, fn, as_text, NULL                    \
	}

static const struct sqlc_srfdef srfs[] = {
    JSRF("json_each", J, 2, "key", "value", TX, J, dh_json_each, 0),
    JSRF("json_each_text", J, 2, "key", "value", TX, TX, dh_json_each, 1),
    JSRF("jsonb_each", JB, 2, "key", "value", TX, JB, dh_json_each, 0),
    JSRF("jsonb_each_text", JB, 2, "key", "value", TX, TX, dh_json_each, 1),
    JSRF("json_array_elements", J, 1, "value", NULL, J, 0, dh_json_array_elements, 0),
    JSRF("json_array_elements_text", J, 1, "value", NULL, TX, 0, dh_json_array_elements, 1),
    JSRF("jsonb_array_elements", JB, 1, "value", NULL, JB, 0, dh_json_array_elements, 0),
    JSRF("jsonb_array_elements_text", JB, 1, "value", NULL, TX, 0, dh_json_array_elements, 1),
    JSRF("json_object_keys", J, 1, NULL, NULL, TX, 0, object_keys, 0),
    JSRF("jsonb_object_keys", JB, 1, NULL, NULL, TX, 0, object_keys, 0),
    {"regexp_matches", 2, 3, {TX, TX, TX}, 1, {NULL}, {DH_OID_TEXT_ARRAY}, NULL, 0,
     dh_sqlx_regexp_matches},
    {"regexp_split_to_table", 2, 3, {TX, TX, TX}, 1, {NULL}, {TX}, NULL, 0,
     dh_sqlx_regexp_split},
};

int
dh__sqlc_srf_known(const char *name)
{
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0)
			return 1;
	return 0;
}

static int
no_such_function(struct sqlc_sel *S, const char *name, int location, const struct sqlc_fnscan *f)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (int i = 0; i < f->nargs; i++) {
		const struct dh_sqltype *t = dh_sqltype_by_oid(f->args[i]->type);
		dh_buf_printf(&b, "%s%s", i ? ", " : "", t ? t->sqlname : "unknown");
	}
	dh_err_clear(S->r->err);
	dh_err_sql(S->r->err, "42883", "function %s(%.*s) does not exist", name, (int)b.len,
		   b.len ? (const char *)b.p : "");
	dh_buf_release(&b);
	dh_err_hint(S->r->err, "No function matches the given name and argument types. You "
			       "might need to add explicit type casts.");
	return dh__sql_at(S->r, location, DH_ESQL);
}

int
dh__sqlc_srf_resolve(struct sqlc_sel *S, const char *name, int location, struct sqlc_fnscan *f)
{
	const struct sqlc_srfdef *s = NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0 && f->nargs >= srfs[i].minargs &&
		    f->nargs <= srfs[i].maxargs)
			s = &srfs[i];
	if (!s)
		return no_such_function(S, name, location, f);
	for (int i = 0; i < f->nargs; i++) {
		/* no implicit cast reaches json or jsonb: an unknown literal or the type */
		if (s->json && f->args[i]->type != DH_OID_UNKNOWN && f->args[i]->type != s->args[i])
			return no_such_function(S, name, location, f);
		if (dh_sqlx_coerce(&S->cc, f->args[i], s->args[i], -1, DH_CAST_IMPLICIT, NULL,
				   &f->args[i]))
			return no_such_function(S, name, location, f);
	}
	f->srf = s;
	f->ncols = s->ncols;
	f->colnames = s->colnames;
	f->coltypes = s->types;
	f->type = s->types[0];
	return 0;
}

int
dh__sqlc_srf_rows(struct sqlc_sel *S, const struct sqlc_fnscan *f, const struct dh_value *args,
		  struct dh_value **rowsp, size_t *np)
{
	const struct sqlc_srfdef *s = f->srf;
	struct dh_value res;
	size_t w = (size_t)s->ncols + (size_t)f->ordinality, n = 0;
	int rc;
	*np = 0;
	*rowsp = NULL;
	for (int i = 0; i < f->nargs; i++)
		if (args[i].type == DH_T_NONE)
			return 0; /* strict: no rows */
	if (s->json) {
		rc = s->json(s->args[0] == JB ? DH_JSONB : DH_JSON, &args[0], s->as_text, S->a, &res,
			     S->r->err);
	} else {
		struct dh_sqlcall c = {S->a, S->r->err, S->cc.env, f->nargs, s->args, s->types[0]};
		rc = s->fn(&c, args, &res);
	}
	if (rc || res.type != DH_T_COLL)
		return rc;
	n = res.coll->n;
	struct dh_value *out = dh_arena_alloc(S->a, (n ? n : 1) * w * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct dh_value *it = &res.coll->items[i];
		for (int k = 0; k < s->ncols; k++)
			out[i * w + (size_t)k] =
			    s->ncols == 1 ? *it
					  : (it->type == DH_T_COLL && it->coll->n > (size_t)k
						 ? it->coll->items[k]
						 : (struct dh_value){.type = DH_T_NONE});
		if (f->ordinality)
			out[i * w + (size_t)s->ncols] =
			    (struct dh_value){.type = DH_T_LONG, .i = (int64_t)i + 1};
	}
	*rowsp = out;
	*np = n;
	return 0;
}

/* --- set-returning functions in the select list --- */

static int
srf_call(const PgQuery__Node *n)
{
	const PgQuery__FuncCall *fc;
	const char *name;
	if (!n || n->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
		return 0;
	fc = n->func_call;
	name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	if (fc->over || fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter ||
	    !name)
		return 0;
	if (strcmp(name, "generate_series") == 0)
		return fc->n_args == 2 || fc->n_args == 3;
	if (strcmp(name, "unnest") == 0)
		return fc->n_args == 1;
	for (size_t i = 0; i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0)
			return srfs[i].ncols == 1;
	return 0;
}

static PgQuery__Node *
str_node(struct dh_arena *a, const char *s)
{
	PgQuery__Node *n = dh_arena_zalloc(a, sizeof(*n));
	PgQuery__String *v = dh_arena_zalloc(a, sizeof(*v));
	pg_query__node__init(n);
	pg_query__string__init(v);
	v->sval = (char *)s;
	n->node_case = PG_QUERY__NODE__NODE_STRING;
	n->string = v;
	return n;
}

int
dh__sqlc_srf_rewrite(struct sqlc_sel *S, const PgQuery__SelectStmt *st,
		     const PgQuery__SelectStmt **out)
{
	static const char alias[] = "?srf?", col[] = "?srf_value?";
	struct dh_arena *a = S->a;
	int k = -1;
	*out = st;
	if (st->n_group_clause || st->having_clause || st->n_window_clause)
		return 0;
	for (size_t i = 0; i < st->n_target_list; i++) {
		const PgQuery__ResTarget *t = st->target_list[i]->res_target;
		if (!srf_call(t->val))
			continue;
		if (k >= 0)
			return 0; /* several: they run in lockstep, not as a join */
		k = (int)i;
	}
	if (k < 0)
		return 0;
	for (size_t i = 0; i < st->n_target_list; i++)
		if (dh__sqlc_has_agg(&st->target_list[i]->base))
			return 0;
	/* SELECT f(x) AS c, ... FROM items  =>
	 * SELECT "?srf?"."?srf_value?" AS c, ... FROM items, LATERAL f(x) "?srf?"("?srf_value?"):
	 * the rows of each input row's set, in order, and none for an empty
	 * set, as PostgreSQL 10 and later run a lone set-returning function */
	const PgQuery__ResTarget *t = st->target_list[k]->res_target;
	const PgQuery__FuncCall *fc = t->val->func_call;
	PgQuery__SelectStmt *ns = dh_arena_memdup(a, st, sizeof(*st));
	PgQuery__Node **tl = dh_arena_memdup(a, st->target_list,
					     st->n_target_list * sizeof(*tl));
	PgQuery__Node **from = dh_arena_alloc(a, (st->n_from_clause + 1) * sizeof(*from));
	PgQuery__ResTarget *rt = dh_arena_memdup(a, t, sizeof(*t));
	PgQuery__Node *tn = dh_arena_zalloc(a, sizeof(*tn));
	PgQuery__Node *cn = dh_arena_zalloc(a, sizeof(*cn));
	PgQuery__ColumnRef *cr = dh_arena_zalloc(a, sizeof(*cr));
	PgQuery__Node *fn = dh_arena_zalloc(a, sizeof(*fn));
	PgQuery__RangeFunction *rf = dh_arena_zalloc(a, sizeof(*rf));
	PgQuery__Node *ln = dh_arena_zalloc(a, sizeof(*ln));
	PgQuery__List *l = dh_arena_zalloc(a, sizeof(*l));
	PgQuery__Alias *al = dh_arena_zalloc(a, sizeof(*al));
	pg_query__column_ref__init(cr);
	cr->n_fields = 2;
	cr->fields = dh_arena_alloc(a, 2 * sizeof(*cr->fields));
	cr->fields[0] = str_node(a, alias);
	cr->fields[1] = str_node(a, col);
	cr->location = t->val->func_call->location;
	pg_query__node__init(cn);
	cn->node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
	cn->column_ref = cr;
	if (!rt->name || !*rt->name)
		rt->name = (char *)dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	rt->val = cn;
	pg_query__node__init(tn);
	tn->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
	tn->res_target = rt;
	tl[k] = tn;
	pg_query__list__init(l);
	l->n_items = 1;
	l->items = dh_arena_alloc(a, sizeof(*l->items));
	l->items[0] = t->val;
	pg_query__node__init(ln);
	ln->node_case = PG_QUERY__NODE__NODE_LIST;
	ln->list = l;
	pg_query__alias__init(al);
	al->aliasname = (char *)alias;
	al->n_colnames = 1;
	al->colnames = dh_arena_alloc(a, sizeof(*al->colnames));
	al->colnames[0] = str_node(a, col);
	pg_query__range_function__init(rf);
	rf->lateral = 1;
	rf->n_functions = 1;
	rf->functions = dh_arena_alloc(a, sizeof(*rf->functions));
	rf->functions[0] = ln;
	rf->alias = al;
	pg_query__node__init(fn);
	fn->node_case = PG_QUERY__NODE__NODE_RANGE_FUNCTION;
	fn->range_function = rf;
	if (st->n_from_clause)
		memcpy(from, st->from_clause, st->n_from_clause * sizeof(*from));
	from[st->n_from_clause] = fn;
	ns->from_clause = from;
	ns->n_from_clause = st->n_from_clause + 1;
	ns->target_list = tl;
	*out = ns;
	return 0;
}
