/*
 * sqlc-srf: the set-returning functions a FROM item may call besides
 * generate_series and unnest (which sqlc-from.c runs itself): json's and
 * jsonb's each, each_text, array_elements, array_elements_text,
 * object_keys.  sqlc-from.c asks dh__sqlc_srf_known whether a name is one
 * of them, compiles the arguments, and then dh__sqlc_srf_resolve checks
 * and coerces them and fills in the scan's columns; at run time
 * dh__sqlc_srf_rows turns the function's result (a vector of rows, see
 * lib/sqljson.h) into rows of the scan's width.
 */
#include <string.h>

#include "sqlc-int.h"
#include "sqljson.h"

#define J DH_OID_JSON
#define JB DH_OID_JSONB
#define TX DH_OID_TEXT

struct sqlc_srfdef {
	const char *name;
	uint32_t arg; /* the one argument's type */
	int ncols;
	const char *colnames[2]; /* NULL: named after the FROM item's alias */
	uint32_t types[2];
	int (*fn)(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
		  struct dh_value *out, struct dh_err *err);
	int as_text;
};

static int
object_keys(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
	    struct dh_value *out, struct dh_err *err)
{
	(void)as_text;
	return dh_json_object_keys(t, doc, a, out, err);
}

static const struct sqlc_srfdef srfs[] = {
    {"json_each", J, 2, {"key", "value"}, {TX, J}, dh_json_each, 0},
    {"json_each_text", J, 2, {"key", "value"}, {TX, TX}, dh_json_each, 1},
    {"jsonb_each", JB, 2, {"key", "value"}, {TX, JB}, dh_json_each, 0},
    {"jsonb_each_text", JB, 2, {"key", "value"}, {TX, TX}, dh_json_each, 1},
    {"json_array_elements", J, 1, {"value"}, {J}, dh_json_array_elements, 0},
    {"json_array_elements_text", J, 1, {"value"}, {TX}, dh_json_array_elements, 1},
    {"jsonb_array_elements", JB, 1, {"value"}, {JB}, dh_json_array_elements, 0},
    {"jsonb_array_elements_text", JB, 1, {"value"}, {TX}, dh_json_array_elements, 1},
    {"json_object_keys", J, 1, {NULL}, {TX}, object_keys, 0},
    {"jsonb_object_keys", JB, 1, {NULL}, {TX}, object_keys, 0},
};

int
dh__sqlc_srf_known(const char *name)
{
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0)
			return 1;
	return 0;
}

int
dh__sqlc_srf_resolve(struct sqlc_sel *S, const char *name, int location, struct sqlc_fnscan *f)
{
	const struct sqlc_srfdef *s = NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0)
			s = &srfs[i];
	/* no implicit cast reaches json or jsonb: an unknown literal or the type */
	if (!s || f->nargs != 1 ||
	    (f->args[0]->type != DH_OID_UNKNOWN && f->args[0]->type != s->arg)) {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (int i = 0; i < f->nargs; i++) {
			const struct dh_sqltype *t = dh_sqltype_by_oid(f->args[i]->type);
			dh_buf_printf(&b, "%s%s", i ? ", " : "", t ? t->sqlname : "unknown");
		}
		dh_err_sql(S->r->err, "42883", "function %s(%.*s) does not exist", name,
			   (int)b.len, b.len ? (const char *)b.p : "");
		dh_buf_release(&b);
		dh_err_hint(S->r->err, "No function matches the given name and argument types. You "
				       "might need to add explicit type casts.");
		return dh__sql_at(S->r, location, DH_ESQL);
	}
	int rc = dh_sqlx_coerce(&S->cc, f->args[0], s->arg, -1, DH_CAST_IMPLICIT, NULL,
				&f->args[0]);
	if (rc)
		return rc;
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
	if (args[0].type == DH_T_NONE)
		return 0; /* strict: no rows */
	rc = s->fn(s->arg == JB ? DH_JSONB : DH_JSON, &args[0], s->as_text, S->a, &res,
		   S->r->err);
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
