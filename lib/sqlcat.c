/*
 * sqlcat: the SQL catalog, read from the database itself.  A table is an
 * attribute namespace; its columns are the attributes "table/column".
 * Tables made by SQL have a table entity (:dh.sql/table "widget", with
 * :dh.sql/pk) and carry their SQL types, order, defaults and NOT NULL on
 * the attribute entities (:dh.sql/type, :dh.sql/ordinal, :dh.sql/default,
 * :dh.sql/notnull), plus the row marker attribute "widget/db-row" that
 * every SQL insert asserts.  A namespace made from Datalog has none of
 * these: its columns come in attribute order with types from the value
 * types.  Nothing is cached: the schema is read from the view it is for,
 * so time travel and branches see their own tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql-int.h"

#define MARKER "db-row"

static const char bootstrap_edn[] =
    "[{:db/ident :dh.sql/table :db/valueType :db.type/string"
    " :db/cardinality :db.cardinality/one :db/unique :db.unique/identity"
    " :db/doc \"SQL: the name of the table this entity describes\"}"
    " {:db/ident :dh.sql/pk :db/valueType :db.type/string"
    " :db/cardinality :db.cardinality/one"
    " :db/doc \"SQL: the primary key's columns, comma-separated\"}"
    " {:db/ident :dh.sql/type :db/valueType :db.type/string"
    " :db/cardinality :db.cardinality/one"
    " :db/doc \"SQL: a column's type, as format_type prints it\"}"
    " {:db/ident :dh.sql/ordinal :db/valueType :db.type/long"
    " :db/cardinality :db.cardinality/one"
    " :db/doc \"SQL: a column's position in its table, from 1\"}"
    " {:db/ident :dh.sql/default :db/valueType :db.type/string"
    " :db/cardinality :db.cardinality/one"
    " :db/doc \"SQL: a column's DEFAULT expression\"}"
    " {:db/ident :dh.sql/notnull :db/valueType :db.type/boolean"
    " :db/cardinality :db.cardinality/one"
    " :db/doc \"SQL: the column is NOT NULL\"}]";

int
dh__sqlcat_bootstrap(struct dh_sql *s, const struct dh_schema *sc, struct dh_arena *a,
		     struct dh_err *err)
{
	if (dh_schema_attr(sc, "dh.sql/table", 12))
		return 0;
	return dh__sql_transact_edn(s, bootstrap_edn, a, err);
}

enum dh_type
dh__sqlcat_rep(uint32_t oid)
{
	switch (oid) {
	case DH_OID_BOOL:
		return DH_T_BOOL;
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
	case DH_OID_OID:
	case DH_OID_DATE:
	case DH_OID_TIME:
		return DH_T_LONG;
	case DH_OID_NUMERIC:
		return DH_T_BIGDEC;
	case DH_OID_FLOAT4:
	case DH_OID_FLOAT8:
		return DH_T_DOUBLE;
	case DH_OID_TIMESTAMP:
	case DH_OID_TIMESTAMPTZ:
		return DH_T_INSTANT;
	case DH_OID_UUID:
		return DH_T_UUID;
	case DH_OID_TEXT:
	case DH_OID_VARCHAR:
	case DH_OID_BPCHAR:
	case DH_OID_NAME:
	case DH_OID_JSON:
	case DH_OID_JSONB:
		return DH_T_STRING;
	case DH_OID_BYTEA:
	case DH_OID_INTERVAL:
		return DH_T_BYTES;
	default: {
		const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
		if (t && t->elem)
			return DH_T_BYTES; /* arrays: dh_array_encode's form */
		return DH_T_NONE;
	}
	}
}

/* The SQL type of a Datalog attribute. */
static void
datalog_type(const struct dh_attr *at, uint32_t *oid)
{
	switch (at->type) {
	case DH_T_BOOL:
		*oid = DH_OID_BOOL;
		break;
	case DH_T_LONG:
	case DH_T_REF:
		*oid = DH_OID_INT8;
		break;
	case DH_T_BIGDEC:
		*oid = DH_OID_NUMERIC;
		break;
	case DH_T_DOUBLE:
		*oid = DH_OID_FLOAT8;
		break;
	case DH_T_INSTANT:
		*oid = DH_OID_TIMESTAMPTZ;
		break;
	case DH_T_UUID:
		*oid = DH_OID_UUID;
		break;
	case DH_T_BYTES:
		*oid = DH_OID_BYTEA;
		break;
	default: /* string, keyword, untyped */
		*oid = DH_OID_TEXT;
		break;
	}
}

/* The value of card-one attribute a of entity e, or NONE. */
static int
get1(struct dh_view *v, uint64_t e, const struct dh_attr *a, struct dh_arena *ar,
     struct dh_value *out, struct dh_err *err)
{
	out->type = DH_T_NONE;
	if (!a)
		return 0;
	struct dh_iter *it;
	struct dh_datom pat = {.e = e, .a = a->id}, d;
	int rc = dh_iter_open(v, DH_EAVT, &pat, 2, ar, &it, err);
	if (rc)
		return rc;
	rc = dh_iter_next(it, &d, err);
	if (rc == 1)
		*out = d.v;
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

static int
col_cmp(const void *x, const void *y)
{
	const struct dh_sqlcol *a = x, *b = y;
	return a->ordinal != b->ordinal ? (a->ordinal < b->ordinal ? -1 : 1)
					: (a->attr < b->attr ? -1 : a->attr > b->attr);
}

/* Build the table for namespace ns (n bytes); *out NULL if it has no
 * attributes. */
static int
load(struct dh_view *v, const struct dh_schema *sc, const char *ns, size_t n, struct dh_arena *a,
     struct dh_sqltable **out, struct dh_err *err)
{
	*out = NULL;
	const struct dh_attr *a_table = dh_schema_attr(sc, "dh.sql/table", 12);
	const struct dh_attr *a_pk = dh_schema_attr(sc, "dh.sql/pk", 9);
	const struct dh_attr *a_type = dh_schema_attr(sc, "dh.sql/type", 11);
	const struct dh_attr *a_ord = dh_schema_attr(sc, "dh.sql/ordinal", 14);
	const struct dh_attr *a_def = dh_schema_attr(sc, "dh.sql/default", 14);
	const struct dh_attr *a_nn = dh_schema_attr(sc, "dh.sql/notnull", 14);
	struct dh_sqltable *t = dh_arena_alloc(a, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->name = dh_arena_strndup(a, ns, n);
	int rc;
	if (a_table) {
		struct dh_iter *it;
		struct dh_datom pat = {.a = a_table->id,
				       .v = {.type = DH_T_STRING, .s = {t->name, n}}},
				d;
		if ((rc = dh_iter_open(v, DH_AVET, &pat, 2, a, &it, err)))
			return rc;
		rc = dh_iter_next(it, &d, err);
		if (rc == 1)
			t->eid = d.e;
		dh_iter_close(it);
		if (rc < 0)
			return rc;
	}
	int cap = 0;
	for (size_t i = 0; i < sc->cap; i++) {
		const struct dh_ident *id = &sc->idents[i];
		if (!id->ident || !id->attr || strncmp(id->ident, ns, n) != 0 || id->ident[n] != '/')
			continue;
		const char *cname = id->ident + n + 1;
		if (t->eid && strcmp(cname, MARKER) == 0) {
			t->marker = id->attr->id;
			continue;
		}
		if (t->ncols == cap) {
			cap = cap ? 2 * cap : 16;
			struct dh_sqlcol *nc = dh_arena_alloc(a, (size_t)cap * sizeof(*nc));
			if (t->ncols)
				memcpy(nc, t->cols, (size_t)t->ncols * sizeof(*nc));
			t->cols = nc;
		}
		struct dh_sqlcol *c = &t->cols[t->ncols++];
		memset(c, 0, sizeof(*c));
		c->name = cname;
		c->ident = id->ident;
		c->attr = id->attr->id;
		c->rep = id->attr->type;
		c->many = id->attr->many;
		c->typmod = -1;
		c->ordinal = 1 << 30;
		struct dh_value x;
		if ((rc = get1(v, c->attr, a_type, a, &x, err)))
			return rc;
		if (x.type == DH_T_STRING) {
			struct dh_err e2;
			if (dh_sqltype_parse_text(x.s.p, x.s.n, &c->type, &c->typmod, &e2))
				datalog_type(id->attr, &c->type);
		} else {
			datalog_type(id->attr, &c->type);
		}
		if ((rc = get1(v, c->attr, a_ord, a, &x, err)))
			return rc;
		if (x.type == DH_T_LONG)
			c->ordinal = (int)x.i;
		if ((rc = get1(v, c->attr, a_def, a, &x, err)))
			return rc;
		if (x.type == DH_T_STRING)
			c->dflt = dh_arena_strndup(a, x.s.p, x.s.n);
		if ((rc = get1(v, c->attr, a_nn, a, &x, err)))
			return rc;
		c->notnull = x.type == DH_T_BOOL && x.b;
	}
	if (t->ncols == 0 && !t->eid)
		return 0;
	qsort(t->cols, (size_t)t->ncols, sizeof(*t->cols), col_cmp);
	for (int i = 0; i < t->ncols; i++)
		t->cols[i].ordinal = i + 1;
	if (t->eid && a_pk) {
		struct dh_value x;
		if ((rc = get1(v, t->eid, a_pk, a, &x, err)))
			return rc;
		if (x.type == DH_T_STRING && x.s.n) {
			t->pk = dh_arena_alloc(a, (size_t)(t->ncols + 1) * sizeof(int));
			const char *p = x.s.p, *end = x.s.p + x.s.n;
			while (p < end) {
				const char *q = memchr(p, ',', (size_t)(end - p));
				if (!q)
					q = end;
				for (int i = 0; i < t->ncols; i++)
					if (strlen(t->cols[i].name) == (size_t)(q - p) &&
					    memcmp(t->cols[i].name, p, (size_t)(q - p)) == 0)
						t->pk[t->npk++] = i;
				p = q + 1;
			}
			size_t nn = strlen(t->name) + 6;
			char *pn = dh_arena_alloc(a, nn);
			snprintf(pn, nn, "%s_pkey", t->name);
			t->pkname = pn;
		}
	}
	*out = t;
	return 0;
}

int
dh__sqlcat_table(struct dh_view *v, const struct dh_schema *sc, const char *name,
		 struct dh_arena *a, struct dh_sqltable **out, struct dh_err *err)
{
	int rc = load(v, sc, name, strlen(name), a, out, err);
	if (rc)
		return rc;
	if (!*out)
		return dh_err_sql(err, "42P01", "relation \"%s\" does not exist", name);
	return 0;
}

static int
name_cmp(const void *x, const void *y)
{
	const struct dh_sqltable *const *a = x, *const *b = y;
	return strcmp((*a)->name, (*b)->name);
}

int
dh__sqlcat_tables(struct dh_view *v, const struct dh_schema *sc, struct dh_arena *a,
		  struct dh_sqltable ***out, int *n, struct dh_err *err)
{
	/* distinct namespaces of attributes, except the system's */
	int cap = 16, cnt = 0, rc;
	struct dh_sqltable **ts = dh_arena_alloc(a, (size_t)cap * sizeof(*ts));
	for (size_t i = 0; i < sc->cap; i++) {
		const struct dh_ident *id = &sc->idents[i];
		if (!id->ident || !id->attr)
			continue;
		const char *slash = strchr(id->ident, '/');
		if (!slash)
			continue;
		size_t nl = (size_t)(slash - id->ident);
		if ((nl == 2 && memcmp(id->ident, "db", 2) == 0) ||
		    (nl > 3 && memcmp(id->ident, "db.", 3) == 0) ||
		    (nl > 3 && memcmp(id->ident, "dh.", 3) == 0))
			continue;
		int seen = 0;
		for (int k = 0; k < cnt && !seen; k++)
			seen = strlen(ts[k]->name) == nl && memcmp(ts[k]->name, id->ident, nl) == 0;
		if (seen)
			continue;
		struct dh_sqltable *t;
		if ((rc = load(v, sc, id->ident, nl, a, &t, err)))
			return rc;
		if (!t)
			continue;
		if (cnt == cap) {
			cap *= 2;
			struct dh_sqltable **nt = dh_arena_alloc(a, (size_t)cap * sizeof(*nt));
			memcpy(nt, ts, (size_t)cnt * sizeof(*nt));
			ts = nt;
		}
		ts[cnt++] = t;
	}
	qsort(ts, (size_t)cnt, sizeof(*ts), name_cmp);
	*out = ts;
	*n = cnt;
	return 0;
}
