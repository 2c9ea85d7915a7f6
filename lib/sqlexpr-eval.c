/*
 * sqlexpr-eval: evaluation of the compiled tree, with PostgreSQL's
 * three-valued logic and its order of evaluation: AND and OR stop at the
 * first false or true operand (the planner's constant folding and the
 * executor agree on that for constants), CASE and COALESCE evaluate only
 * what they need, a function's arguments are all evaluated before a
 * strict function sees a NULL among them, and x IN (list) evaluates the
 * whole list (it is an array) before comparing.  Everything allocated goes
 * into the run's arena.
 */
#include <string.h>

#include "sqlarray.h"
#include "sqljson.h"
#include "sqlexpr-int.h"

struct ev {
	const struct dh_sqlx_run *r;
	const struct dh_value *casetest;
};

static int eval(const struct dh_sqlx *x, struct ev *e, struct dh_value *out);

static int
internal(struct ev *e, const char *what)
{
	return dh_err_sql(e->r->err, "XX000", "cannot evaluate %s", what);
}

static void
set_bool(struct dh_value *out, int b)
{
	out->type = DH_T_BOOL;
	out->b = b ? 1 : 0;
}

static void
set_null(struct dh_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = DH_T_NONE;
}

/* Arguments into argv (on the stack for few, else the arena). */
static int
eval_args(const struct dh_sqlx *x, int from, struct ev *e, struct dh_value *stack, int cap,
	  struct dh_value **argv)
{
	int n = x->nargs - from;
	struct dh_value *v = n <= cap ? stack
				      : dh_arena_alloc(e->r->a, sizeof(*v) * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++) {
		int rc = eval(x->args[from + i], e, &v[i]);
		if (rc)
			return rc;
	}
	*argv = v;
	return 0;
}

static int
call_fn(const struct dh_sqlx *x, struct ev *e, dh_sqlfn fn, int nargs, const uint32_t *types,
	uint32_t rettype, const struct dh_value *argv, int strict, struct dh_value *out)
{
	struct dh_sqlcall c = {e->r->a, e->r->err, e->r->env, nargs, types, rettype};
	(void)x;
	if (strict)
		for (int i = 0; i < nargs; i++)
			if (argv[i].type == DH_T_NONE) {
				set_null(out);
				return 0;
			}
	set_null(out);
	return fn(&c, argv, out);
}

/* a comparison function's verdict: 1, 0, or -1 for NULL */
static int
cmp_call(const struct dh_sqlx *x, struct ev *e, const struct dh_value *a, const struct dh_value *b,
	 int *verdict)
{
	struct dh_value argv[2] = {*a, *b}, r;
	int rc = call_fn(x, e, x->fn, 2, x->argtypes, DH_OID_BOOL, argv, x->strict, &r);
	if (rc)
		return rc;
	*verdict = r.type == DH_T_NONE ? -1 : r.type == DH_T_BOOL ? r.b : 1;
	return 0;
}

/* ScalarArrayOpExpr over elems[0..n) */
static int
any_all(const struct dh_sqlx *x, struct ev *e, const struct dh_value *l,
	const struct dh_value *elems, size_t n, struct dh_value *out)
{
	int all = x->op, anynull = 0;
	if (n == 0) {
		set_bool(out, all);
		return 0;
	}
	if (l->type == DH_T_NONE && x->strict) {
		set_null(out);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int v, rc;
		if (elems[i].type == DH_T_NONE && x->strict) {
			anynull = 1;
			continue;
		}
		if ((rc = cmp_call(x, e, l, &elems[i], &v)))
			return rc;
		if (v < 0) {
			anynull = 1;
		} else if (!all && v) {
			set_bool(out, 1);
			return 0;
		} else if (all && !v) {
			set_bool(out, 0);
			return 0;
		}
	}
	if (anynull)
		set_null(out);
	else
		set_bool(out, all);
	return 0;
}

/* an array's elements in row-major order */
static int
flatten(struct ev *e, const struct dh_value *arr, struct dh_array *fa)
{
	return dh_array_unpack(arr, e->r->a, fa, e->r->err);
}

static int
array_coerce(const struct dh_sqlx *x, struct ev *e, const struct dh_value *v,
	     struct dh_value *out)
{
	struct dh_array fa;
	int rc = flatten(e, v, &fa);
	if (rc)
		return rc;
	if (fa.n) {
		struct dh_value *ne = dh_arena_alloc(e->r->a, sizeof(*ne) * fa.n);
		for (size_t i = 0; i < fa.n; i++) {
			if (fa.e[i].type == DH_T_NONE) {
				ne[i] = fa.e[i];
				continue;
			}
			rc = dh_sqlcast_apply(x->cast, -1, x->typmod, x->op & SX_CAST_EXPLICIT,
					      &fa.e[i], e->r->env, e->r->a, &ne[i], e->r->err);
			if (rc)
				return rc;
		}
		fa.e = ne;
	}
	dh_array_pack(&fa, e->r->a, out);
	return 0;
}

/* jsonb subscripts as the text[] path #> and jsonb_set_element take:
 * NULL if one is NULL */
static int
jsonb_path(struct ev *e, const struct dh_value *const *hi, int nsub, struct dh_value *path)
{
	struct dh_coll *c = dh_arena_zalloc(e->r->a, sizeof(*c));
	c->kind = DH_COLL_VECTOR;
	c->n = (size_t)nsub;
	c->items = dh_arena_zalloc(e->r->a, sizeof(*c->items) * (size_t)(nsub ? nsub : 1));
	for (int i = 0; i < nsub; i++) {
		if (hi[i]->type == DH_T_NONE)
			return 1;
		if (hi[i]->type == DH_T_LONG) {
			const char *t = dh_arena_printf(e->r->a, "%lld", (long long)hi[i]->i);
			c->items[i] = (struct dh_value){.type = DH_T_STRING};
			c->items[i].s.p = t;
			c->items[i].s.n = strlen(t);
		} else {
			c->items[i] = *hi[i];
		}
	}
	*path = (struct dh_value){.type = DH_T_COLL, .coll = c};
	return 0;
}

/* jsonb_subscript_assign: a NULL document is an empty object (an array
 * when the first subscript is an integer), a NULL value JSON null */
static int
jsonb_assign(const struct dh_sqlx *x, struct ev *e, const struct dh_value *doc,
	     const struct dh_value *const *hi, int nsub, const struct dh_value *val,
	     struct dh_value *out)
{
	struct dh_value path, d = *doc, v = *val;
	if (jsonb_path(e, hi, nsub, &path))
		return dh_err_sql(e->r->err, "22004",
				  "jsonb subscript in assignment must not be null");
	if (d.type == DH_T_NONE) {
		int arr = x->args[2]->type != DH_OID_TEXT;
		d = (struct dh_value){.type = DH_T_STRING};
		d.s.p = arr ? "[]" : "{}";
		d.s.n = 2;
	}
	if (v.type == DH_T_NONE) {
		v = (struct dh_value){.type = DH_T_STRING};
		v.s.p = "null";
		v.s.n = 4;
	}
	return dh_jsonb_set_element(&d, &path, &v, e->r->a, out, e->r->err);
}

static int
subscript(const struct dh_sqlx *x, struct ev *e, struct dh_value *out)
{
	struct dh_value arr, *vals;
	int assign = (x->op & SX_SUB_ASSIGN) != 0, slice = x->op & SX_SUB_SLICE;
	int nsub = (x->nargs - 1 - assign) / 2, rc;
	if ((rc = eval(x->args[0], e, &arr)))
		return rc;
	vals = dh_arena_zalloc(e->r->a, sizeof(*vals) * (size_t)(2 * nsub + 2));
	for (int i = 1; i < x->nargs; i++)
		if (x->args[i] && (rc = eval(x->args[i], e, &vals[i - 1])))
			return rc;
	if (assign) {
		const struct dh_value **lo = dh_arena_alloc(e->r->a, sizeof(*lo) * (size_t)nsub);
		const struct dh_value **hi = dh_arena_alloc(e->r->a, sizeof(*hi) * (size_t)nsub);
		for (int i = 0; i < nsub; i++) {
			lo[i] = x->args[1 + 2 * i] ? &vals[2 * i] : NULL;
			hi[i] = x->args[2 + 2 * i] ? &vals[2 * i + 1] : NULL;
		}
		if (x->type == DH_OID_JSONB)
			return jsonb_assign(x, e, &arr, hi, nsub, &vals[2 * nsub], out);
		return dh_array_assign(&arr, lo, hi, nsub, slice, &vals[2 * nsub], e->r->a, out,
				       e->r->err);
	}
	if (arr.type == DH_T_NONE) {
		set_null(out);
		return 0;
	}
	if (x->args[0]->type == DH_OID_JSONB) {
		const struct dh_value **hi = dh_arena_alloc(e->r->a, sizeof(*hi) * (size_t)nsub);
		struct dh_value path;
		for (int i = 0; i < nsub; i++)
			hi[i] = &vals[2 * i + 1];
		if (jsonb_path(e, hi, nsub, &path)) {
			set_null(out);
			return 0;
		}
		return dh_json_get_path(DH_JSONB, &arr, &path, 0, e->r->a, out, e->r->err);
	}
	if (!slice) {
		struct dh_value *subs = dh_arena_alloc(e->r->a, sizeof(*subs) * (size_t)nsub);
		for (int i = 0; i < nsub; i++)
			subs[i] = vals[2 * i + 1];
		return dh_array_subscript(&arr, subs, nsub, e->r->a, out, e->r->err);
	}
	{
		const struct dh_value **lo = dh_arena_alloc(e->r->a, sizeof(*lo) * (size_t)nsub);
		const struct dh_value **hi = dh_arena_alloc(e->r->a, sizeof(*hi) * (size_t)nsub);
		for (int i = 0; i < nsub; i++) {
			lo[i] = x->args[1 + 2 * i] ? &vals[2 * i] : NULL;
			hi[i] = x->args[2 + 2 * i] ? &vals[2 * i + 1] : NULL;
		}
		return dh_array_slice(&arr, lo, hi, nsub, e->r->a, out, e->r->err);
	}
}

static int
eval(const struct dh_sqlx *x, struct ev *e, struct dh_value *out)
{
	const struct dh_sqlx_run *r = e->r;
	struct dh_value stack[8], *argv, v, w;
	int rc;
	switch (x->k) {
	case SX_CONST:
		*out = x->val;
		return 0;
	case SX_SLOT: {
		const struct dh_sqlx_run *lv = r;
		for (int i = 0; i < x->levelsup && lv; i++)
			lv = lv->outer;
		if (!lv || !lv->row)
			return internal(e, "a column without a row");
		*out = lv->row[x->slot];
		return 0;
	}
	case SX_PARAM: {
		const struct dh_value *pv = r->params;
		if (!pv && r->env && r->env->params && x->slot < r->env->nparams)
			pv = r->env->params;
		if (!pv)
			set_null(out);
		else
			*out = pv[x->slot];
		return 0;
	}
	case SX_FUNC:
		if ((rc = eval_args(x, 0, e, stack, 8, &argv)))
			return rc;
		return call_fn(x, e, x->fn, x->nargs, x->argtypes, x->type, argv, x->strict, out);
	case SX_CAST:
		if ((rc = eval(x->args[0], e, &v)))
			return rc;
		if (v.type == DH_T_NONE) {
			set_null(out);
			return 0;
		}
		return dh_sqlcast_apply(x->cast, x->args[0]->typmod, x->typmod,
					x->op & SX_CAST_EXPLICIT, &v, r->env, r->a, out, r->err);
	case SX_AND:
	case SX_OR: {
		int anynull = 0, stop = x->k == SX_OR;
		for (int i = 0; i < x->nargs; i++) {
			if ((rc = eval(x->args[i], e, &v)))
				return rc;
			if (v.type == DH_T_NONE)
				anynull = 1;
			else if (!!v.b == stop) {
				set_bool(out, stop);
				return 0;
			}
		}
		if (anynull)
			set_null(out);
		else
			set_bool(out, !stop);
		return 0;
	}
	case SX_NOT:
		if ((rc = eval(x->args[0], e, &v)))
			return rc;
		if (v.type == DH_T_NONE)
			set_null(out);
		else
			set_bool(out, !v.b);
		return 0;
	case SX_CASE: {
		int simple = x->op, npairs = (x->nargs - simple - 1) / 2;
		const struct dh_value *saved = e->casetest;
		if (simple) {
			if ((rc = eval(x->args[0], e, &w)))
				return rc;
			e->casetest = &w;
		}
		for (int i = 0; i < npairs; i++) {
			rc = eval(x->args[simple + 2 * i], e, &v);
			if (rc) {
				e->casetest = saved;
				return rc;
			}
			if (v.type == DH_T_BOOL && v.b) {
				e->casetest = saved;
				return eval(x->args[simple + 2 * i + 1], e, out);
			}
		}
		e->casetest = saved;
		return eval(x->args[x->nargs - 1], e, out);
	}
	case SX_COALESCE:
		for (int i = 0; i < x->nargs; i++) {
			if ((rc = eval(x->args[i], e, out)))
				return rc;
			if (out->type != DH_T_NONE)
				return 0;
		}
		set_null(out);
		return 0;
	case SX_NULLIF: {
		int eq;
		if ((rc = eval(x->args[0], e, &v)) || (rc = eval(x->args[1], e, &w)))
			return rc;
		if (v.type != DH_T_NONE && w.type != DH_T_NONE) {
			if ((rc = cmp_call(x, e, &v, &w, &eq)))
				return rc;
			if (eq == 1) {
				set_null(out);
				return 0;
			}
		}
		*out = v;
		return 0;
	}
	case SX_GREATEST:
	case SX_LEAST: {
		int have = 0;
		set_null(out);
		for (int i = 0; i < x->nargs; i++) {
			if ((rc = eval(x->args[i], e, &v)))
				return rc;
			if (v.type == DH_T_NONE)
				continue;
			if (!have) {
				*out = v;
				have = 1;
			} else {
				int c = dh_sqltype_cmp(x->type, &v, out);
				if (x->k == SX_GREATEST ? c > 0 : c < 0)
					*out = v;
			}
		}
		return 0;
	}
	case SX_ISNULL: {
		const struct dh_sqlx *a = x->args[0];
		int isnull;
		if (a->k == SX_OTHER && a->op == SXO_ROW) {
			/* a row IS NULL when every field is, IS NOT NULL when none is */
			int nulls = 0;
			for (int i = 0; i < a->nargs; i++) {
				if ((rc = eval(a->args[i], e, &v)))
					return rc;
				nulls += v.type == DH_T_NONE;
			}
			set_bool(out, x->op ? nulls == 0 : nulls == a->nargs);
			return 0;
		}
		if ((rc = eval(a, e, &v)))
			return rc;
		isnull = v.type == DH_T_NONE;
		set_bool(out, x->op ? !isnull : isnull);
		return 0;
	}
	case SX_BOOLTEST: {
		int isnull, b, res = 0;
		if ((rc = eval(x->args[0], e, &v)))
			return rc;
		isnull = v.type == DH_T_NONE;
		b = !isnull && v.b;
		switch (x->op) {
		case 1: /* IS TRUE */
			res = !isnull && b;
			break;
		case 2: /* IS NOT TRUE */
			res = isnull || !b;
			break;
		case 3: /* IS FALSE */
			res = !isnull && !b;
			break;
		case 4: /* IS NOT FALSE */
			res = isnull || b;
			break;
		case 5: /* IS UNKNOWN */
			res = isnull;
			break;
		default: /* IS NOT UNKNOWN */
			res = !isnull;
			break;
		}
		set_bool(out, res);
		return 0;
	}
	case SX_DISTINCT: {
		int eq, distinct;
		if ((rc = eval(x->args[0], e, &v)) || (rc = eval(x->args[1], e, &w)))
			return rc;
		if (v.type == DH_T_NONE || w.type == DH_T_NONE) {
			distinct = (v.type == DH_T_NONE) != (w.type == DH_T_NONE);
		} else {
			if ((rc = cmp_call(x, e, &v, &w, &eq)))
				return rc;
			distinct = eq != 1;
		}
		set_bool(out, x->op ? !distinct : distinct);
		return 0;
	}
	case SX_IN:
		if ((rc = eval_args(x, 0, e, stack, 8, &argv)))
			return rc;
		return any_all(x, e, &argv[0], argv + 1, (size_t)(x->nargs - 1), out);
	case SX_ANYALL: {
		struct dh_array fa;
		if ((rc = eval(x->args[0], e, &v)))
			return rc;
		if (x->args[1]->k == SX_ARRAY && !x->args[1]->op) {
			/* an IN list: the items, without building the array */
			if ((rc = eval_args(x->args[1], 0, e, stack, 8, &argv)))
				return rc;
			return any_all(x, e, &v, argv, (size_t)x->args[1]->nargs, out);
		}
		if ((rc = eval(x->args[1], e, &w)))
			return rc;
		if (w.type == DH_T_NONE) {
			set_null(out);
			return 0;
		}
		if ((rc = flatten(e, &w, &fa)))
			return rc;
		return any_all(x, e, &v, fa.e, fa.n, out);
	}
	case SX_ARRAY:
		if ((rc = eval_args(x, 0, e, stack, 8, &argv)))
			return rc;
		if (argv == stack && x->nargs) {
			argv = dh_arena_memdup(r->a, stack, sizeof(*argv) * (size_t)x->nargs);
		}
		return dh_array_construct(argv, (size_t)x->nargs, x->op, r->a, out, r->err);
	case SX_SUBSCRIPT:
		return subscript(x, e, out);
	case SX_SUBLINK:
		if (x->nargs && x->args[0]->k == SX_OTHER && x->args[0]->op == SXO_ROW) {
			/* a row's fields: a vector for the hook */
			const struct dh_sqlx *rx = x->args[0];
			struct dh_coll *c = dh_arena_alloc(r->a, sizeof(*c));
			struct dh_value *items = dh_arena_alloc(
			    r->a, (size_t)(rx->nargs ? rx->nargs : 1) * sizeof(*items));
			for (int i = 0; i < rx->nargs; i++)
				if ((rc = eval(rx->args[i], e, &items[i])))
					return rc;
			c->kind = DH_COLL_VECTOR;
			c->n = (size_t)rx->nargs;
			c->items = items;
			v = (struct dh_value){.type = DH_T_COLL, .coll = c};
		} else if (x->nargs && (rc = eval(x->args[0], e, &v))) {
			return rc;
		}
		if (!r->sublink)
			return internal(e, "a subquery without a hook");
		set_null(out);
		return r->sublink(r->ctx, x->handle, r, x->nargs ? &v : NULL, out);
	case SX_CALL:
		if ((rc = eval_args(x, 0, e, stack, 8, &argv)))
			return rc;
		if (!r->call)
			return internal(e, "a session function without a hook");
		set_null(out);
		return r->call(r->ctx, x->id, x->nargs, argv, r, out);
	case SX_OTHER:
		switch (x->op) {
		case SXO_CASETEST:
			if (!e->casetest)
				return internal(e, "a CASE test outside CASE");
			*out = *e->casetest;
			return 0;
		case SXO_ARRAYCOERCE:
			if ((rc = eval(x->args[0], e, &v)))
				return rc;
			if (v.type == DH_T_NONE) {
				set_null(out);
				return 0;
			}
			return array_coerce(x, e, &v, out);
		case SXO_ROWCMP:
			for (int i = 0; i + 1 < x->nargs; i += 2) {
				if ((rc = eval(x->args[i + 1], e, &v)))
					return rc;
				if (v.type == DH_T_NONE) {
					set_null(out);
					return 0;
				}
				if (!v.b)
					return eval(x->args[i], e, out);
			}
			set_bool(out, x->slot);
			return 0;
		case SXO_RECORD: {
			struct dh_coll *c = dh_arena_alloc(r->a, sizeof(*c));
			c->kind = DH_COLL_VECTOR;
			c->n = (size_t)x->nargs;
			c->items = dh_arena_alloc(r->a, (c->n ? c->n : 1) * sizeof(*c->items));
			for (int i = 0; i < x->nargs; i++)
				if ((rc = eval(x->args[i], e, &c->items[i])))
					return rc;
			*out = (struct dh_value){.type = DH_T_COLL, .coll = c};
			return 0;
		}
		case SXO_FIELD:
			if ((rc = eval(x->args[0], e, &v)))
				return rc;
			if (v.type == DH_T_COLL && (size_t)x->slot < v.coll->n)
				*out = v.coll->items[x->slot];
			else
				set_null(out);
			return 0;
		default:
			return dh_err_sql(r->err, "0A000", "ROW expressions are not supported yet");
		}
	default:
		return internal(e, "this node");
	}
}

int
dh_sqlx_eval(const struct dh_sqlx *x, const struct dh_sqlx_run *r, struct dh_value *out)
{
	struct ev e = {r, NULL};
	return eval(x, &e, out);
}

int
dh_sqlx_test(const struct dh_sqlx *x, const struct dh_sqlx_run *r)
{
	struct dh_value v;
	int rc = dh_sqlx_eval(x, r, &v);
	if (rc)
		return rc;
	return v.type == DH_T_BOOL && v.b;
}
