/*
 * sqlc-srf: the set-returning functions a FROM item may call besides
 * generate_series and unnest (which sqlc-from.c runs itself): json's and
 * jsonb's each, each_text, array_elements, array_elements_text,
 * object_keys; jsonb_path_query (sqljson-path.c); regexp_matches and
 * regexp_split_to_table (sqlstr.c); and
 * json(b)_populate_record[set] (first argument NULL::table) and
 * json(b)_to_record[set] (a column definition list), whose columns come
 * from the table or the list (dh__sqlc_srf_record).  sqlc-from.c asks dh__sqlc_srf_known whether a name is one
 * of them, compiles the arguments, and then dh__sqlc_srf_resolve checks
 * and coerces them and fills in the scan's columns; at run time
 * dh__sqlc_srf_rows turns the function's result (a vector of rows, see
 * lib/sqljson.h) into rows of the scan's width.  A lone set-returning call
 * in a select list (these, generate_series, unnest) becomes such a FROM
 * item too (dh__sqlc_srf_rewrite).
 */
#include <string.h>

#include "sqlarray.h"
#include "sqlc-int.h"
#include "sqljson.h"

#define J DH_OID_JSON
#define JB DH_OID_JSONB
#define TX DH_OID_TEXT

struct sqlc_srfdef {
	const char *name;
	int minargs, maxargs;
	uint32_t args[4]; /* the arguments' types */
	int ncols;
	const char *colnames[2]; /* NULL: named after the FROM item's alias */
	uint32_t types[2];
	/* json's: the one argument a document */
	int (*json)(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
	int as_text;
	/* the others: a function of the (non-NULL) arguments */
	dh_sqlfn fn;
	/* json(b)_populate_record[set], json(b)_to_record[set]: REC_* */
	int record;
};

/* the record functions: their columns a table's (populate: the first
 * argument NULL::table) or a column definition list's (to_record); one row
 * or (SET) one per element of an array of objects */
enum { REC_POPULATE = 1, REC_TO = 2, REC_SET = 4 };

static int
object_keys(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
	    struct dh_value *out, struct dh_err *err)
{
	(void)as_text;
	return dh_json_object_keys(t, doc, a, out, err);
}

static int
partition_ancestors(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	struct dh_coll *l = dh_arena_alloc(c->arena, sizeof(*l));
	struct dh_value *it = dh_arena_alloc(c->arena, sizeof(*it));
	it[0] = argv[0];
	l->kind = DH_COLL_VECTOR;
	l->n = 1;
	l->items = it;
	*out = (struct dh_value){.type = DH_T_COLL, .coll = l};
	return 0;
}

/* information_schema._pg_expandarray(anyarray): (x, n) per element of
 * the first dimension, as its SQL body ($1[s], s - lower + 1) gives them;
 * the elements of a multi-dimensional array are NULL there */
static int
expandarray(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	struct dh_array arr;
	int rc = dh_array_unpack(&argv[0], c->arena, &arr, c->err);
	if (rc)
		return rc;
	size_t n = arr.ndim ? (size_t)arr.dims[0] : 0;
	struct dh_coll *l = dh_arena_alloc(c->arena, sizeof(*l));
	l->kind = DH_COLL_VECTOR;
	l->n = n;
	l->items = dh_arena_alloc(c->arena, (n ? n : 1) * sizeof(*l->items));
	for (size_t i = 0; i < n; i++) {
		struct dh_coll *row = dh_arena_alloc(c->arena, sizeof(*row));
		row->kind = DH_COLL_VECTOR;
		row->n = 2;
		row->items = dh_arena_alloc(c->arena, 2 * sizeof(*row->items));
		row->items[0] = arr.ndim == 1 ? arr.e[i] : (struct dh_value){.type = DH_T_NONE};
		row->items[1] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)i + 1};
		l->items[i] = (struct dh_value){.type = DH_T_COLL, .coll = row};
	}
	*out = (struct dh_value){.type = DH_T_COLL, .coll = l};
	return 0;
}

#define JSRF(name, arg, ncols, c1, c2, t1, t2, fn, as_text)                                        \
	{                                                                                          \
		name, 1, 1, {arg}, ncols, {c1, c2}, {t1, t2}, fn, as_text, NULL, 0                 \
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
     dh_sqlx_regexp_matches, 0},
    {"regexp_split_to_table", 2, 3, {TX, TX, TX}, 1, {NULL}, {TX}, NULL, 0,
     dh_sqlx_regexp_split, 0},
    {"jsonb_path_query", 2, 4, {JB, DH_OID_JSONPATH, JB, DH_OID_BOOL}, 1, {NULL}, {JB}, NULL, 0,
     dh_jsonpath_query, 0},
    /* pgjdbc's getPrimaryKeys and getIndexInfo (x: the element type) */
    {"_pg_expandarray", 1, 1, {0}, 2, {"x", "n"}, {0, DH_OID_INT4}, NULL, 0, expandarray, 0},
    /* psql's \d: dh has no partitions, so a relation's ancestors are itself */
    {"pg_partition_ancestors", 1, 1, {DH_OID_REGCLASS}, 1, {"relid"}, {DH_OID_REGCLASS}, NULL, 0,
     partition_ancestors, 0},
#define REC(name, arg, how)                                                                        \
	{                                                                                          \
		name, 1, 1, {arg}, 0, {NULL}, {0}, NULL, 0, NULL, how                              \
	}
    REC("json_populate_record", J, REC_POPULATE),
    REC("jsonb_populate_record", JB, REC_POPULATE),
    REC("json_populate_recordset", J, REC_POPULATE | REC_SET),
    REC("jsonb_populate_recordset", JB, REC_POPULATE | REC_SET),
    REC("json_to_record", J, REC_TO),
    REC("jsonb_to_record", JB, REC_TO),
    REC("json_to_recordset", J, REC_TO | REC_SET),
    REC("jsonb_to_recordset", JB, REC_TO | REC_SET),
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
dh__sqlc_coldef_location(const PgQuery__RangeFunction *rf)
{
	const PgQuery__Node *n = rf->n_coldeflist ? rf->coldeflist[0] : NULL;
	return n && n->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF ? n->column_def->location : -1;
}

int
dh__sqlc_srf_is_record(const char *name)
{
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0)
			return srfs[i].record != 0;
	return 0;
}

/* The table a populate function's first argument names: NULL::t (a
 * NULL cast to a table's row type); *t NULL when it is something else */
static int
base_table(struct sqlc_sel *S, const char *name, const PgQuery__Node *n,
	   struct dh_sqltable **t)
{
	const PgQuery__TypeCast *tc;
	const char *tname;
	int rc;
	*t = NULL;
	if (n->node_case != PG_QUERY__NODE__NODE_TYPE_CAST)
		return 0;
	tc = n->type_cast;
	if (!tc->arg || tc->arg->node_case != PG_QUERY__NODE__NODE_A_CONST || !tc->arg->a_const->isnull ||
	    !tc->type_name || tc->type_name->n_names != 1 || tc->type_name->n_array_bounds)
		return 0;
	tname = dh__sqlc_str(tc->type_name->names[0]);
	if (!tname)
		return 0;
	{
		/* a type's name is not a table's */
		struct dh_err e = {0};
		uint32_t oid;
		int32_t tm;
		if (dh_sqltype_parse(tname, NULL, 0, 0, &oid, &tm, &e) == 0)
			return 0;
		dh_err_clear(&e);
	}
	if ((rc = dh__sqlc_sel_open(S)))
		return rc;
	rc = dh__sql_table(S->r->s, S->view, S->schema, tname, S->a, t, S->r->err);
	if (rc) {
		/* not a table: PostgreSQL's message for the type */
		dh_err_clear(S->r->err);
		dh_err_sql(S->r->err, "42704", "type \"%s\" does not exist", tname);
		return dh__sql_at(S->r, tc->type_name->location, DH_ESQL);
	}
	(void)name;
	return 0;
}

int
dh__sqlc_srf_record(struct sqlc_sel *S, const char *name, const PgQuery__RangeFunction *rf,
		    const PgQuery__FuncCall *fc, struct sqlc_fnscan *f)
{
	const struct sqlc_srfdef *s = NULL;
	struct dh_err *err = S->r->err;
	const PgQuery__Node *doc;
	const char **names;
	uint32_t *types;
	int32_t *typmods;
	int n = 0, rc;
	for (size_t i = 0; i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, name) == 0)
			s = &srfs[i];
	if (!s || (int)fc->n_args != ((s->record & REC_POPULATE) ? 2 : 1)) {
		f->nargs = 0;
		return no_such_function(S, name, fc->location, f);
	}
	if (s->record & REC_POPULATE) {
		struct dh_sqltable *t;
		if ((rc = base_table(S, name, fc->args[0], &t)))
			return rc;
		if (!t) {
			dh_err_sql(err, "0A000",
				   "%s is supported only with NULL::table as its first argument", name);
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		if (rf->n_coldeflist) {
			dh_err_sql(err, "42601", "a column definition list is redundant for a function "
						 "returning a named composite type");
			return dh__sql_at(S->r, dh__sqlc_coldef_location(rf), DH_ESQL);
		}
		n = t->ncols;
		names = dh_arena_alloc(S->a, ((size_t)n + 1) * sizeof(*names));
		types = dh_arena_alloc(S->a, ((size_t)n + 1) * sizeof(*types));
		typmods = dh_arena_alloc(S->a, ((size_t)n + 1) * sizeof(*typmods));
		for (int i = 0; i < n; i++) {
			names[i] = t->cols[i].name;
			types[i] = t->cols[i].type;
			typmods[i] = t->cols[i].typmod;
		}
		doc = fc->args[1];
	} else {
		if (!rf->n_coldeflist) {
			dh_err_sql(err, "42601", "a column definition list is required for functions "
						 "returning \"record\"");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		n = (int)rf->n_coldeflist;
		names = dh_arena_alloc(S->a, ((size_t)n + 1) * sizeof(*names));
		types = dh_arena_alloc(S->a, ((size_t)n + 1) * sizeof(*types));
		typmods = dh_arena_alloc(S->a, ((size_t)n + 1) * sizeof(*typmods));
		for (int i = 0; i < n; i++) {
			const PgQuery__ColumnDef *cd = rf->coldeflist[i]->column_def;
			if (rf->coldeflist[i]->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF ||
			    !cd->type_name)
				return dh_err_sql(err, "0A000", "this column definition is not supported");
			names[i] = cd->colname;
			for (int k = 0; k < i; k++)
				if (strcmp(names[k], names[i]) == 0) {
					dh_err_sql(err, "42701", "column name \"%s\" specified more than once",
						   names[i]);
					return dh__sql_at(S->r, cd->location, DH_ESQL);
				}
			if ((rc = dh_sqlx_type_name(&S->cc, cd->type_name, &types[i], &typmods[i])))
				return rc;
		}
		doc = fc->args[0];
	}
	f->nargs = 1;
	if ((rc = dh_sqlx_compile(&S->cc, doc, &f->args[0])))
		return rc;
	/* no implicit cast reaches json or jsonb: an unknown literal or the type */
	if ((f->args[0]->type != DH_OID_UNKNOWN && f->args[0]->type != s->args[0]) ||
	    dh_sqlx_coerce(&S->cc, f->args[0], s->args[0], -1, DH_CAST_IMPLICIT, NULL, &f->args[0]))
		return no_such_function(S, name, fc->location, f);
	f->srf = s;
	f->ncols = n;
	f->colnames = names;
	f->coltypes = types;
	f->coltypmods = typmods;
	f->type = n ? types[0] : DH_OID_TEXT;
	return 0;
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
	if (s->fn == expandarray) {
		/* anyarray: an array, or int2vector and oidvector (the catalogs'
		 * key lists) */
		const struct dh_sqltype *t = dh_sqltype_by_oid(f->args[0]->type);
		if (!t || !t->elem)
			return no_such_function(S, name, location, f);
		uint32_t *ct = dh_arena_alloc(S->a, 2 * sizeof(*ct));
		ct[0] = t->elem;
		ct[1] = DH_OID_INT4;
		f->srf = s;
		f->ncols = 2;
		f->colnames = s->colnames;
		f->coltypes = ct;
		f->type = ct[0];
		return 0;
	}
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

/* --- the record functions' rows (jsonfuncs.c's populate_record) --- */

struct recctx {
	struct sqlc_sel *S;
	enum dh_jtype jt; /* the document's type */
	const char *colname;
};

static int populate_field(struct recctx *x, const struct dh_json *v, uint32_t type, int32_t typmod,
			  struct dh_value *out);

/* populate_scalar: the text the type's input function reads */
static int
populate_scalar(struct recctx *x, const struct dh_json *v, uint32_t type, int32_t typmod,
		struct dh_value *out)
{
	struct sqlc_sel *S = x->S;
	struct dh_buf b;
	const char *str;
	size_t n;
	int rc;
	dh_buf_init(&b, 0);
	if (x->jt == DH_JSON) {
		if (v->kind == DH_JSON_STRING && (type == J || type == JB)) {
			dh_json_write_string(&b, v->s, v->sn);
		} else if (v->kind == DH_JSON_STRING) {
			dh_buf_add(&b, v->s, v->sn);
		} else {
			dh_buf_add(&b, v->src, v->srcn);
		}
	} else if (type == J || type == JB) {
		dh_jsonb_write(&b, v, 0);
	} else if (v->kind == DH_JSON_STRING) {
		dh_buf_add(&b, v->s, v->sn);
	} else if (v->kind == DH_JSON_BOOL) {
		dh_buf_adds(&b, v->b ? "true" : "false");
	} else if (v->kind == DH_JSON_NUMBER) {
		dh_buf_add(&b, v->s, v->sn);
	} else {
		dh_jsonb_write(&b, v, 0);
	}
	str = b.len ? dh_arena_strndup(S->a, (const char *)b.p, b.len) : "";
	n = b.len;
	dh_buf_release(&b);
	rc = dh_sqltype_in(type, typmod, str, n, S->cc.env, S->a, out, S->r->err);
	if (rc && rc != DH_ESQL && !S->r->err->sqlstate[0])
		dh_err_sql(S->r->err, dh_sqlstate(rc), "%s", dh_strerror(rc));
	return rc;
}

/* populate_array: a JSON array (of arrays, for more dimensions) as an
 * array of elem, nested vectors.  As populate_array_dim_jsonb: the first
 * way down to a non-array fixes the dimensions; below them every element
 * is a value (a sub-array too, read as text); above them every element
 * must be an array of the size its siblings have. */
struct arrctx {
	int ndims; /* 0: not known yet */
	size_t dims[7], sizes[7];
	int known[7];
};

static int
expected_array(struct recctx *x, const struct arrctx *ac, int ndim)
{
	struct sqlc_sel *S = x->S;
	dh_err_sql(S->r->err, "22P02", "expected JSON array");
	if (ndim <= 0) {
		dh_err_hint(S->r->err, "See the value of key \"%s\".", x->colname);
	} else {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (int i = 0; i < ndim; i++)
			dh_buf_printf(&b, "[%zu]", ac->sizes[i]);
		dh_err_hint(S->r->err, "See the array element %.*s of key \"%s\".", (int)b.len,
			    (const char *)b.p, x->colname);
		dh_buf_release(&b);
	}
	return DH_ESQL;
}

static int
populate_dim(struct recctx *x, struct arrctx *ac, const struct dh_json *v, uint32_t elem,
	     int ndim, struct dh_value *out)
{
	struct sqlc_sel *S = x->S;
	struct dh_coll *c;
	int rc;
	if (v->kind != DH_JSON_ARRAY)
		return expected_array(x, ac, ndim - 1);
	if (ndim > 6)
		return dh_err_sql(S->r->err, "54000", "number of array dimensions (%d) exceeds the "
						      "maximum allowed (6)",
				  ndim);
	if (ac->ndims <= 0 && (v->n == 0 || v->items[0].kind != DH_JSON_ARRAY))
		ac->ndims = ndim;
	c = dh_arena_alloc(S->a, sizeof(*c));
	c->kind = DH_COLL_VECTOR;
	c->n = v->n;
	c->items = dh_arena_alloc(S->a, (v->n + 1) * sizeof(*c->items));
	ac->sizes[ndim - 1] = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct dh_json *e = &v->items[i];
		if (ac->ndims > 0 && ndim >= ac->ndims) {
			if ((rc = populate_field(x, e, elem, -1, &c->items[i])))
				return rc;
		} else {
			if ((rc = populate_dim(x, ac, e, elem, ndim + 1, &c->items[i])))
				return rc;
			/* populate_array_check_dimension */
			if (!ac->known[ndim]) {
				ac->known[ndim] = 1;
				ac->dims[ndim] = e->n;
			} else if (ac->dims[ndim] != e->n) {
				dh_err_sql(S->r->err, "22P02", "malformed JSON array");
				dh_err_detail(S->r->err, "Multidimensional arrays must have sub-arrays "
							 "with matching dimensions.");
				return DH_ESQL;
			}
		}
		ac->sizes[ndim - 1]++;
	}
	out->type = DH_T_COLL;
	out->coll = c;
	return 0;
}

/* populate_record_field: NULL for JSON null; a string read by the type's
 * input function, also for an array; arrays element by element */
static int
populate_field(struct recctx *x, const struct dh_json *v, uint32_t type, int32_t typmod,
	       struct dh_value *out)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(type);
	if (!v || v->kind == DH_JSON_NULL) {
		out->type = DH_T_NONE;
		return 0;
	}
	if (t && t->category == 'A' && t->elem && v->kind != DH_JSON_STRING) {
		struct arrctx ac;
		int rc;
		memset(&ac, 0, sizeof(ac));
		if ((rc = populate_dim(x, &ac, v, t->elem, 1, out)))
			return rc;
		/* a dimension of length 0 makes the empty array, '{}' */
		for (int d = 1; d < ac.ndims; d++)
			if (ac.known[d] && ac.dims[d] == 0) {
				struct dh_coll *e = dh_arena_zalloc(x->S->a, sizeof(*e));
				e->kind = DH_COLL_VECTOR;
				out->coll = e;
				break;
			}
		return 0;
	}
	return populate_scalar(x, v, type, typmod, out);
}

static const struct dh_json *
field(const struct dh_json *obj, const char *key)
{
	const struct dh_json *r = NULL;
	size_t kn = strlen(key);
	/* the last of duplicate keys (json keeps them; jsonb has one) */
	for (size_t i = 0; i < obj->n; i++)
		if (obj->items[2 * i].sn == kn && memcmp(obj->items[2 * i].s, key, kn) == 0)
			r = &obj->items[2 * i + 1];
	return r;
}

static int
record_row(struct recctx *x, const struct sqlc_fnscan *f, const struct dh_json *obj,
	   struct dh_value *row)
{
	int rc;
	for (int k = 0; k < f->ncols; k++) {
		x->colname = f->colnames[k];
		if ((rc = populate_field(x, field(obj, f->colnames[k]), f->coltypes[k],
					 f->coltypmods ? f->coltypmods[k] : -1, &row[k])))
			return rc;
	}
	return 0;
}

static int
record_rows(struct sqlc_sel *S, const struct sqlc_fnscan *f, const struct dh_value *doc,
	    struct dh_value **rowsp, size_t *np)
{
	const struct sqlc_srfdef *s = f->srf;
	struct recctx x = {S, s->args[0] == JB ? DH_JSONB : DH_JSON, NULL};
	struct dh_json *j;
	size_t w = (size_t)f->ncols + (size_t)f->ordinality, n;
	struct dh_value *out;
	int rc;
	if ((rc = dh_json_parse(doc->s.p, doc->s.n, x.jt == DH_JSONB ? DH_JPARSE_JSONB : DH_JPARSE_DECODE,
				S->a, &j, S->r->err)))
		return rc;
	if (!(s->record & REC_SET)) {
		if (j->kind != DH_JSON_OBJECT)
			return dh_err_sql(S->r->err, "22023", "cannot call %s on %s",
					  "populate_composite",
					  j->kind == DH_JSON_ARRAY ? "an array" : "a scalar");
		n = 1;
	} else {
		if (j->kind != DH_JSON_ARRAY) {
			if (x.jt == DH_JSONB)
				return dh_err_sql(S->r->err, "22023", "cannot call %s on a non-array",
						  s->name);
			return dh_err_sql(S->r->err, "22023", "cannot call %s on %s", s->name,
					  j->kind == DH_JSON_OBJECT ? "an object" : "a scalar");
		}
		n = j->n;
		for (size_t i = 0; i < n; i++)
			if (j->items[i].kind != DH_JSON_OBJECT)
				return dh_err_sql(S->r->err, "22023",
						  "argument of %s must be an array of objects", s->name);
	}
	out = dh_arena_alloc(S->a, (n ? n : 1) * (w ? w : 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct dh_json *obj = (s->record & REC_SET) ? &j->items[i] : j;
		if ((rc = record_row(&x, f, obj, &out[i * w])))
			return rc;
		if (f->ordinality)
			out[i * w + (size_t)f->ncols] =
			    (struct dh_value){.type = DH_T_LONG, .i = (int64_t)i + 1};
	}
	*rowsp = out;
	*np = n;
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
	if (s->record)
		return record_rows(S, f, &args[0], rowsp, np);
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
		if (strcmp(srfs[i].name, name) == 0) {
			/* information_schema's is not on the search path */
			if (srfs[i].fn == expandarray)
				return fc->n_funcname == 2 &&
				       strcmp(dh__sqlc_str(fc->funcname[0]), "information_schema") == 0;
			return srfs[i].ncols == 1 || srfs[i].ncols == 2;
		}
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

/* Finding the set-returning calls of a select list: how many, the last
 * one, and whether one is where PostgreSQL refuses it (CASE, COALESCE). */
struct srf_find {
	int n;
	const PgQuery__Node *call;
	const PgQuery__Node *calls[16]; /* the first ones */
	const char *refused; /* "CASE", "COALESCE" */
	int refused_at;
	int depth_case, depth_coalesce;
};

static int srf_find_cb(const ProtobufCMessage *m, void *ctx);

static int
srf_find_node(const ProtobufCMessage *m, struct srf_find *f)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (d == &pg_query__sub_link__descriptor)
		return 0; /* a subquery's own */
	if (d == &pg_query__node__descriptor) {
		const PgQuery__Node *n = (const PgQuery__Node *)m;
		if (srf_call(n)) {
			if (f->n < (int)DH_ARRAY_SIZE(f->calls))
				f->calls[f->n] = n;
			f->n++;
			f->call = n;
			if (!f->refused && (f->depth_case || f->depth_coalesce)) {
				f->refused = f->depth_case ? "CASE" : "COALESCE";
				f->refused_at = n->func_call->location;
			}
		}
		return dh__sqlc_each_child(m, srf_find_cb, f);
	}
	int c = d == &pg_query__case_expr__descriptor,
	    co = d == &pg_query__coalesce_expr__descriptor;
	f->depth_case += c;
	f->depth_coalesce += co;
	int rc = dh__sqlc_each_child(m, srf_find_cb, f);
	f->depth_case -= c;
	f->depth_coalesce -= co;
	return rc;
}

static int
srf_find_cb(const ProtobufCMessage *m, void *ctx)
{
	return srf_find_node(m, ctx);
}

/* A copy of m with the node from (a Node inside it) replaced by to: only
 * the messages on the path to it are copied.  NULL if from is not in m. */
static ProtobufCMessage *
replace_node(struct dh_arena *a, const ProtobufCMessage *m, const ProtobufCMessage *from,
	     ProtobufCMessage *to)
{
	if (m == from)
		return to;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (d == &pg_query__sub_link__descriptor)
		return NULL;
	const char *base = (const char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + fd->quantifier_offset);
			ProtobufCMessage *const *v =
			    *(ProtobufCMessage *const *const *)(base + fd->offset);
			for (size_t k = 0; k < n; k++) {
				ProtobufCMessage *c = v[k] ? replace_node(a, v[k], from, to) : NULL;
				if (!c)
					continue;
				char *cp = dh_arena_memdup(a, m, d->sizeof_message);
				ProtobufCMessage **nv = dh_arena_memdup(a, v, n * sizeof(*nv));
				nv[k] = c;
				*(ProtobufCMessage ***)(cp + fd->offset) = nv;
				return (ProtobufCMessage *)cp;
			}
		} else {
			const ProtobufCMessage *c0 =
			    *(const ProtobufCMessage *const *)(base + fd->offset);
			ProtobufCMessage *c = c0 ? replace_node(a, c0, from, to) : NULL;
			if (!c)
				continue;
			char *cp = dh_arena_memdup(a, m, d->sizeof_message);
			*(ProtobufCMessage **)(cp + fd->offset) = c;
			return (ProtobufCMessage *)cp;
		}
	}
	return NULL;
}

static PgQuery__Node *
col_ref(struct dh_arena *a, const char *rel, const char *col, int location)
{
	PgQuery__Node *cn = dh_arena_zalloc(a, sizeof(*cn));
	PgQuery__ColumnRef *cr = dh_arena_zalloc(a, sizeof(*cr));
	pg_query__column_ref__init(cr);
	cr->n_fields = 2;
	cr->fields = dh_arena_alloc(a, 2 * sizeof(*cr->fields));
	cr->fields[0] = str_node(a, rel);
	cr->fields[1] = str_node(a, col);
	cr->location = location;
	pg_query__node__init(cn);
	cn->node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
	cn->column_ref = cr;
	return cn;
}

/* ROW("?srf?".c1, ...) with the field names (sqlexpr's named record) */
static PgQuery__Node *
row_of(struct dh_arena *a, const char *const *cols, int n, int location)
{
	PgQuery__Node *rn = dh_arena_zalloc(a, sizeof(*rn));
	PgQuery__RowExpr *re = dh_arena_zalloc(a, sizeof(*re));
	pg_query__row_expr__init(re);
	re->n_args = re->n_colnames = (size_t)n;
	re->args = dh_arena_alloc(a, (size_t)n * sizeof(*re->args));
	re->colnames = dh_arena_alloc(a, (size_t)n * sizeof(*re->colnames));
	for (int k = 0; k < n; k++) {
		re->args[k] = col_ref(a, SQLC_SRF_ALIAS, cols[k], location);
		re->colnames[k] = str_node(a, cols[k]);
	}
	re->location = location;
	pg_query__node__init(rn);
	rn->node_case = PG_QUERY__NODE__NODE_ROW_EXPR;
	rn->row_expr = re;
	return rn;
}

static const char *
str_last(const PgQuery__AIndirection *ind)
{
	return dh__sqlc_str(ind->indirection[0]);
}

/* (call).field [...]: "?srf?".field, then the rest of the indirection */
static PgQuery__Node *
field_ref(struct dh_arena *a, const PgQuery__AIndirection *ind, int location)
{
	PgQuery__Node *cn = col_ref(a, SQLC_SRF_ALIAS, str_last(ind), location);
	if (ind->n_indirection == 1)
		return cn;
	PgQuery__Node *n = dh_arena_zalloc(a, sizeof(*n));
	PgQuery__AIndirection *ni = dh_arena_memdup(a, ind, sizeof(*ind));
	ni->arg = cn;
	ni->indirection++;
	ni->n_indirection--;
	pg_query__node__init(n);
	n->node_case = PG_QUERY__NODE__NODE_A_INDIRECTION;
	n->a_indirection = ni;
	return n;
}

/* The A_Indirection in m that selects a field of call, or NULL. */
struct find_field {
	const PgQuery__Node *call, *found;
};

static int
find_field_cb(const ProtobufCMessage *m, void *ctx)
{
	struct find_field *ff = ctx;
	if (m->descriptor == &pg_query__node__descriptor) {
		const PgQuery__Node *n = (const PgQuery__Node *)m;
		if (n->node_case == PG_QUERY__NODE__NODE_A_INDIRECTION &&
		    n->a_indirection->arg == ff->call && n->a_indirection->n_indirection &&
		    n->a_indirection->indirection[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
			ff->found = n;
			return 1;
		}
	}
	if (m->descriptor == &pg_query__sub_link__descriptor)
		return 0;
	return dh__sqlc_each_child(m, find_field_cb, ctx);
}

static const PgQuery__Node *
find_field_of(const PgQuery__Node *m, const PgQuery__Node *call)
{
	struct find_field ff = {call, NULL};
	find_field_cb(&m->base, &ff);
	return ff.found;
}

int
dh__sqlc_srf_rewrite(struct sqlc_sel *S, const PgQuery__SelectStmt *st,
		     const PgQuery__SelectStmt **out)
{
	static const char alias[] = SQLC_SRF_ALIAS, col[] = "?srf_value?";
	struct dh_arena *a = S->a;
	*out = st;
	struct srf_find f = {0};
	for (size_t i = 0; i < st->n_target_list; i++)
		srf_find_node(&st->target_list[i]->base, &f);
	if (f.refused) {
		dh_err_sql(S->r->err, "0A000", "set-returning functions are not allowed in %s",
			   f.refused);
		dh_err_hint(S->r->err,
			    "You might be able to move the set-returning function into a "
			    "LATERAL FROM item.");
		return dh__sql_at(S->r, f.refused_at, DH_ESQL);
	}
	if (f.n == 0)
		return 0;
	/* several run in lockstep, not as a join; after grouping, over the
	 * groups.  Several calls of one function with the same arguments
	 * give the same rows in lockstep: one FROM item serves them all */
	int grouped = st->n_group_clause || st->having_clause || st->n_window_clause;
	for (size_t i = 0; i < st->n_target_list && !grouped; i++)
		grouped = dh__sqlc_has_agg(&st->target_list[i]->base);
	int same = f.n <= (int)DH_ARRAY_SIZE(f.calls);
	for (int i = 1; same && i < f.n; i++)
		same = dh__sqlc_node_eq(&f.calls[0]->base, &f.calls[i]->base);
	if ((f.n > 1 && !same) || grouped) {
		dh_err_sql(S->r->err, "0A000", "%s in a select list %s not supported yet",
			   f.n > 1 ? "several set-returning functions" : "a set-returning function",
			   f.n > 1 ? "are" : "with grouping or aggregates is");
		return dh__sql_at(S->r, f.call->func_call->location, DH_ESQL);
	}
	/* SELECT f(x) AS c, ... FROM items  =>
	 * SELECT "?srf?"."?srf_value?" AS c, ... FROM items, LATERAL f(x) "?srf?"("?srf_value?"):
	 * the rows of each input row's set, in order, and none for an empty
	 * set, as PostgreSQL 10 and later run a lone set-returning function.
	 * A function of several columns (c1, c2): (f(x)).c1 is "?srf?".c1,
	 * f(x) the record ROW("?srf?".c1, "?srf?".c2) of named fields */
	const PgQuery__FuncCall *fc = f.call->func_call;
	const char *fname = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	const char *const *fcols = NULL;
	int nfcols = 1;
	for (size_t i = 0; i < DH_ARRAY_SIZE(srfs); i++)
		if (strcmp(srfs[i].name, fname) == 0 && srfs[i].ncols > 1) {
			fcols = srfs[i].colnames;
			nfcols = srfs[i].ncols;
		}
	PgQuery__SelectStmt *ns = dh_arena_memdup(a, st, sizeof(*st));
	PgQuery__Node **tl = dh_arena_memdup(a, st->target_list,
					     st->n_target_list * sizeof(*tl));
	PgQuery__Node **from = dh_arena_alloc(a, (st->n_from_clause + 1) * sizeof(*from));
	PgQuery__Node *fn = dh_arena_zalloc(a, sizeof(*fn));
	PgQuery__RangeFunction *rf = dh_arena_zalloc(a, sizeof(*rf));
	PgQuery__Node *ln = dh_arena_zalloc(a, sizeof(*ln));
	PgQuery__List *l = dh_arena_zalloc(a, sizeof(*l));
	PgQuery__Alias *al = dh_arena_zalloc(a, sizeof(*al));
	for (size_t i = 0; i < st->n_target_list; i++) {
		const PgQuery__ResTarget *t = st->target_list[i]->res_target;
		PgQuery__ResTarget *rt = NULL;
		const PgQuery__Node *val = t->val;
		for (int c = 0; c < f.n; c++) {
			const PgQuery__Node *call = f.calls[c], *from_n = call;
			PgQuery__Node *to;
			const PgQuery__Node *ind = fcols ? find_field_of(val, call) : NULL;
			int known = 0;
			for (int k = 0; ind && k < nfcols; k++)
				known |= strcmp(fcols[k], str_last(ind->a_indirection)) == 0;
			if (ind && !known) {
				dh_err_sql(S->r->err, "42703",
					   "could not identify column \"%s\" in record data type",
					   str_last(ind->a_indirection));
				return dh__sql_at(S->r, fc->location, DH_ESQL);
			}
			if (ind) {
				from_n = ind;
				to = field_ref(a, ind->a_indirection, fc->location);
			} else if (fcols) {
				to = row_of(a, fcols, nfcols, fc->location);
			} else {
				to = col_ref(a, alias, col, fc->location);
			}
			const PgQuery__Node *nv =
			    val == from_n ? to
					  : (const PgQuery__Node *)replace_node(a, &val->base,
										&from_n->base, &to->base);
			if (!nv)
				continue;
			if (!rt) {
				rt = dh_arena_memdup(a, t, sizeof(*t));
				/* named as the expression would be: a call its
				 * name, a field selection the field */
				if ((!rt->name || !*rt->name) && t->val == call)
					rt->name = (char *)fname;
				else if ((!rt->name || !*rt->name) && t->val == ind)
					rt->name = (char *)str_last(ind->a_indirection);
				else if ((!rt->name || !*rt->name) &&
					 t->val->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) {
					const PgQuery__FuncCall *oc = t->val->func_call;
					rt->name = (char *)dh__sqlc_str(oc->funcname[oc->n_funcname - 1]);
				}
			}
			val = nv;
		}
		if (!rt)
			continue;
		rt->val = (PgQuery__Node *)val;
		PgQuery__Node *tn = dh_arena_zalloc(a, sizeof(*tn));
		pg_query__node__init(tn);
		tn->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
		tn->res_target = rt;
		tl[i] = tn;
	}
	pg_query__list__init(l);
	l->n_items = 1;
	l->items = dh_arena_alloc(a, sizeof(*l->items));
	l->items[0] = (PgQuery__Node *)f.call;
	pg_query__node__init(ln);
	ln->node_case = PG_QUERY__NODE__NODE_LIST;
	ln->list = l;
	pg_query__alias__init(al);
	al->aliasname = (char *)alias;
	if (!fcols) {
		al->n_colnames = 1;
		al->colnames = dh_arena_alloc(a, sizeof(*al->colnames));
		al->colnames[0] = str_node(a, col);
	}
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
