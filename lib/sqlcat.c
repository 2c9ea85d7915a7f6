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

/* clang-format off */
/* Constraints, indexes, sequences, views, identity columns: added later,
 * so installed on their own (a store made before has the first set). */
#define A1(id, type, doc)                                                                         \
	" {:db/ident :dh.sql/" id " :db/valueType :db.type/" type                                  \
	" :db/cardinality :db.cardinality/one :db/doc \"SQL: " doc "\"}"
#define AU(id, doc)                                                                               \
	" {:db/ident :dh.sql/" id " :db/valueType :db.type/string"                                \
	" :db/cardinality :db.cardinality/one :db/unique :db.unique/identity"                     \
	" :db/doc \"SQL: " doc "\"}"
static const char bootstrap2_edn[] =
    "[" A1("constraint", "string", "a constraint's name (unique per table)")
	A1("on", "ref", "the table entity a constraint or an index is on")
	A1("kind", "string", "a constraint's kind: p, u, c, f (pg_constraint.contype)")
	A1("columns", "string", "a key's attribute ids in order, comma-separated")
	A1("expr", "string", "a CHECK constraint's expression")
	A1("references", "ref", "the table entity a foreign key references")
	A1("ref-columns", "string", "the referenced attribute ids, comma-separated")
	A1("on-delete", "string", "a foreign key's ON DELETE action: a r c n d")
	A1("on-update", "string", "a foreign key's ON UPDATE action: a r c n d")
	AU("index", "the name of the index this entity describes")
	A1("unique", "boolean", "the index is UNIQUE")
	A1("keys", "string", "an index's key list as SQL")
	A1("identity", "string", "a column is GENERATED a(lways) or d (by default) AS IDENTITY")
	A1("seq", "ref", "the sequence a column owns (serial, identity)")
	AU("sequence", "the name of the sequence this entity describes")
	A1("seq-type", "string", "a sequence's data type")
	A1("seq-start", "long", "a sequence's START")
	A1("seq-increment", "long", "a sequence's INCREMENT")
	A1("seq-min", "long", "a sequence's MINVALUE")
	A1("seq-max", "long", "a sequence's MAXVALUE")
	A1("seq-cache", "long", "a sequence's CACHE")
	A1("seq-cycle", "boolean", "a sequence CYCLEs")
	A1("seq-last", "long", "a sequence's last_value")
	A1("seq-called", "boolean", "a sequence's is_called")
	A1("seq-owner", "ref", "OWNED BY: the column (attribute) a sequence belongs to")
	AU("view", "the name of the view this entity describes")
	A1("view-sql", "string", "a view's SELECT")
	A1("view-columns", "string", "a view's column names, one a line")
	" {:db/ident :dh.sql/depends :db/valueType :db.type/ref"
	" :db/cardinality :db.cardinality/many"
	" :db/doc \"SQL: the tables and columns a view reads\"}]";
/* Comments and deferrable constraints: added later again. */
static const char bootstrap3_edn[] =
    "[" A1("comment", "string", "COMMENT ON: the description of a table, column, sequence, "
				"view or index")
	A1("deferrable", "string", "a DEFERRABLE constraint: i(nitially immediate) or "
				   "d(eferred)") "]";
/* clang-format on */

int
dh__sqlcat_bootstrap(struct dh_sql *s, const struct dh_schema *sc, struct dh_arena *a,
		     struct dh_err *err)
{
	/* sc is stale after a write: look before writing */
	int need1 = !dh_schema_attr(sc, "dh.sql/table", 12);
	int need2 = !dh_schema_attr(sc, "dh.sql/depends", 14);
	int need3 = !dh_schema_attr(sc, "dh.sql/comment", 14);
	int rc = 0;
	if (need1)
		rc = dh__sql_transact_edn(s, bootstrap_edn, a, err);
	if (rc == 0 && need2)
		rc = dh__sql_transact_edn(s, bootstrap2_edn, a, err);
	if (rc == 0 && need3)
		rc = dh__sql_transact_edn(s, bootstrap3_edn, a, err);
	return rc;
}

/* Names.  A table's name is its attributes' namespace and a column's the
 * attribute's name, so a SQL name must become a keyword part: letters,
 * digits, _, bytes of UTF-8 and the symbol characters -.*+!?=<>&% stay;
 * any other byte (a space, a quote, '/', '$', a leading digit or
 * punctuation) becomes $XX, its code in upper-case hex ("Order Items" is
 * :Order$20Items/...).  $XX reads back only where it could have been
 * made, so a Datalog name holding a '$' keeps it. */
static int
kw_keep(unsigned char c, int first)
{
	if (c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	if (first)
		return 0;
	return (c >= '0' && c <= '9') || (c && strchr("-.*+!?=<>&%", c));
}

const char *
dh__sqlcat_kw(struct dh_arena *a, const char *name)
{
	size_t n = strlen(name);
	char *out = dh_arena_alloc(a, 3 * n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (kw_keep(c, i == 0)) {
			*o++ = (char)c;
			continue;
		}
		snprintf(o, 4, "$%02X", c);
		o += 3;
	}
	*o = 0;
	return out;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

const char *
dh__sqlcat_unkw(struct dh_arena *a, const char *kw, size_t n)
{
	char *out = dh_arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (kw[i] == '$' && i + 2 < n) {
			int h = hexval(kw[i + 1]), l = hexval(kw[i + 2]);
			if (h >= 0 && l >= 0 && (h || l) &&
			    !kw_keep((unsigned char)(h * 16 + l), o == out)) {
				*o++ = (char)(h * 16 + l);
				i += 2;
				continue;
			}
		}
		*o++ = kw[i];
	}
	*o = 0;
	return out;
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
			return DH_T_STRING; /* arrays: their text form (sqlc-con.c) */
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

/* Every datom of entity e (borrowed into a). */
static int
entity(struct dh_view *v, uint64_t e, struct dh_arena *a, struct dh_datom **out, size_t *n,
       struct dh_err *err)
{
	struct dh_iter *it;
	struct dh_datom pat = {.e = e}, d;
	size_t cap = 16;
	*n = 0;
	*out = dh_arena_alloc(a, cap * sizeof(**out));
	int rc = dh_iter_open(v, DH_EAVT, &pat, 1, a, &it, err);
	if (rc)
		return rc;
	while ((rc = dh_iter_next(it, &d, err)) == 1) {
		if (*n == cap) {
			struct dh_datom *nd = dh_arena_alloc(a, 2 * cap * sizeof(*nd));
			memcpy(nd, *out, cap * sizeof(*nd));
			*out = nd;
			cap *= 2;
		}
		(*out)[(*n)++] = d;
	}
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

/* The entities whose attribute a has value val (AVET). */
static int
having(struct dh_view *v, const struct dh_attr *a, const struct dh_value *val, struct dh_arena *ar,
       uint64_t **out, size_t *n, struct dh_err *err)
{
	*n = 0;
	*out = NULL;
	if (!a)
		return 0;
	struct dh_iter *it;
	struct dh_datom pat = {.a = a->id, .v = *val}, d;
	size_t cap = 0;
	int rc = dh_iter_open(v, DH_AVET, &pat, 2, ar, &it, err);
	if (rc)
		return rc;
	while ((rc = dh_iter_next(it, &d, err)) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			uint64_t *ne = dh_arena_alloc(ar, cap * sizeof(*ne));
			if (*n)
				memcpy(ne, *out, *n * sizeof(*ne));
			*out = ne;
		}
		(*out)[(*n)++] = d.e;
	}
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

int
dh__sqlcat_having(struct dh_view *v, const struct dh_schema *sc, const char *ident,
		  const struct dh_value *val, struct dh_arena *a, uint64_t **out, size_t *n,
		  struct dh_err *err)
{
	return having(v, dh_schema_attr(sc, ident, strlen(ident)), val, a, out, n, err);
}

int
dh__sqlcat_entity(struct dh_view *v, uint64_t e, struct dh_arena *a, struct dh_datom **out,
		  size_t *n, struct dh_err *err)
{
	return entity(v, e, a, out, n, err);
}

int
dh__sqlcat_find(struct dh_view *v, const struct dh_schema *sc, const char *ident, const char *value,
		struct dh_arena *a, uint64_t *e, struct dh_err *err)
{
	const struct dh_attr *at = dh_schema_attr(sc, ident, strlen(ident));
	struct dh_value val = {.type = DH_T_STRING, .s = {value, strlen(value)}};
	uint64_t *es;
	size_t n;
	*e = 0;
	int rc = having(v, at, &val, a, &es, &n, err);
	if (rc == 0 && n)
		*e = es[0];
	return rc;
}

static const char *
vstr(struct dh_arena *a, const struct dh_value *v)
{
	return v->type == DH_T_STRING ? dh_arena_strndup(a, v->s.p, v->s.n) : NULL;
}

/* "12,15" -> attribute ids */
static int
id_list(struct dh_arena *a, const struct dh_value *v, uint64_t **out)
{
	int n = 0;
	*out = NULL;
	if (v->type != DH_T_STRING)
		return 0;
	*out = dh_arena_alloc(a, (v->s.n / 2 + 2) * sizeof(**out));
	const char *p = v->s.p, *end = v->s.p + v->s.n;
	while (p < end) {
		uint64_t x = 0;
		while (p < end && *p >= '0' && *p <= '9')
			x = x * 10 + (uint64_t)(*p++ - '0');
		(*out)[n++] = x;
		while (p < end && (*p < '0' || *p > '9'))
			p++;
	}
	return n;
}

static const struct dh_attr *
sqlattr(const struct dh_schema *sc, const char *name)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "dh.sql/%s", name);
	return dh_schema_attr(sc, buf, strlen(buf));
}

static int
is_attr(const struct dh_datom *d, const struct dh_attr *a)
{
	return a && d->a == a->id;
}

/* A constraint entity's data into c (cols not mapped). */
static int
read_con(struct dh_view *v, const struct dh_schema *sc, uint64_t e, struct dh_arena *a,
	 struct dh_sqlcon *c, struct dh_err *err)
{
	struct dh_datom *ds;
	size_t n;
	int rc = entity(v, e, a, &ds, &n, err);
	if (rc)
		return rc;
	memset(c, 0, sizeof(*c));
	c->eid = e;
	c->ondelete = c->onupdate = 'a';
	const struct dh_attr *a_name = sqlattr(sc, "constraint"), *a_on = sqlattr(sc, "on"),
			     *a_kind = sqlattr(sc, "kind"), *a_cols = sqlattr(sc, "columns"),
			     *a_expr = sqlattr(sc, "expr"), *a_ref = sqlattr(sc, "references"),
			     *a_rcols = sqlattr(sc, "ref-columns"),
			     *a_del = sqlattr(sc, "on-delete"), *a_upd = sqlattr(sc, "on-update"),
			     *a_defer = sqlattr(sc, "deferrable");
	int nref = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dh_datom *d = &ds[i];
		if (is_attr(d, a_name))
			c->name = vstr(a, &d->v);
		else if (is_attr(d, a_on))
			c->table_eid = d->v.ref;
		else if (is_attr(d, a_kind) && d->v.type == DH_T_STRING && d->v.s.n)
			c->kind = d->v.s.p[0];
		else if (is_attr(d, a_cols))
			c->ncols = id_list(a, &d->v, &c->attrs);
		else if (is_attr(d, a_expr))
			c->expr = vstr(a, &d->v);
		else if (is_attr(d, a_ref))
			c->reftable_eid = d->v.ref;
		else if (is_attr(d, a_rcols))
			nref = id_list(a, &d->v, &c->refattrs);
		else if (is_attr(d, a_del) && d->v.type == DH_T_STRING && d->v.s.n)
			c->ondelete = d->v.s.p[0];
		else if (is_attr(d, a_upd) && d->v.type == DH_T_STRING && d->v.s.n)
			c->onupdate = d->v.s.p[0];
		else if (is_attr(d, a_defer) && d->v.type == DH_T_STRING && d->v.s.n)
			c->deferrable = d->v.s.p[0];
	}
	(void)nref;
	if (!c->name)
		c->name = "?";
	return 0;
}

static int
table_name(struct dh_view *v, const struct dh_schema *sc, uint64_t e, struct dh_arena *a,
	   const char **out, struct dh_err *err)
{
	struct dh_value x;
	int rc = get1(v, e, sqlattr(sc, "table"), a, &x, err);
	*out = rc == 0 ? vstr(a, &x) : NULL;
	if (!*out)
		*out = "?";
	return rc;
}

static int
con_cmp(const void *x, const void *y)
{
	return strcmp(((const struct dh_sqlcon *)x)->name, ((const struct dh_sqlcon *)y)->name);
}

static int
idx_cmp(const void *x, const void *y)
{
	return strcmp(((const struct dh_sqlindex *)x)->name, ((const struct dh_sqlindex *)y)->name);
}

static int
col_of_attr(const struct dh_sqltable *t, uint64_t attr)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].attr == attr)
			return i;
	return -1;
}

/* Constraints, indexes and the foreign keys pointing here. */
static int
load_cons(struct dh_view *v, const struct dh_schema *sc, struct dh_sqltable *t, struct dh_arena *a,
	  struct dh_err *err)
{
	const struct dh_attr *a_on = sqlattr(sc, "on"), *a_ref = sqlattr(sc, "references");
	if (!t->eid || !a_on)
		return 0;
	struct dh_value tv = {.type = DH_T_REF, .ref = t->eid};
	uint64_t *es;
	size_t n;
	int rc = having(v, a_on, &tv, a, &es, &n, err);
	if (rc)
		return rc;
	t->cons = dh_arena_zalloc(a, (n + 1) * sizeof(*t->cons));
	t->idx = dh_arena_zalloc(a, (n + 1) * sizeof(*t->idx));
	const struct dh_attr *a_idx = sqlattr(sc, "index"), *a_uniq = sqlattr(sc, "unique"),
			     *a_keys = sqlattr(sc, "keys"), *a_cols = sqlattr(sc, "columns");
	for (size_t i = 0; i < n; i++) {
		struct dh_value x;
		if ((rc = get1(v, es[i], a_idx, a, &x, err)))
			return rc;
		if (x.type == DH_T_STRING) {
			struct dh_sqlindex *ix = &t->idx[t->nidx++];
			ix->name = vstr(a, &x);
			ix->eid = es[i];
			if ((rc = get1(v, es[i], a_uniq, a, &x, err)))
				return rc;
			ix->unique = x.type == DH_T_BOOL && x.b;
			if ((rc = get1(v, es[i], a_keys, a, &x, err)))
				return rc;
			ix->keys = vstr(a, &x);
			if ((rc = get1(v, es[i], a_cols, a, &x, err)))
				return rc;
			uint64_t *attrs;
			ix->ncols = id_list(a, &x, &attrs);
			ix->cols = dh_arena_alloc(a, (size_t)(ix->ncols + 1) * sizeof(int));
			for (int k = 0; k < ix->ncols; k++)
				ix->cols[k] = attrs[k] ? col_of_attr(t, attrs[k]) : -1;
			continue;
		}
		struct dh_sqlcon *c = &t->cons[t->ncons];
		if ((rc = read_con(v, sc, es[i], a, c, err)))
			return rc;
		if (!c->kind)
			continue;
		t->ncons++;
		c->table = t->name;
		c->cols = dh_arena_alloc(a, (size_t)(c->ncols + 1) * sizeof(int));
		for (int k = 0; k < c->ncols; k++)
			c->cols[k] = col_of_attr(t, c->attrs[k]);
		if (c->kind == 'f' &&
		    (rc = table_name(v, sc, c->reftable_eid, a, &c->reftable, err)))
			return rc;
		if (c->kind == 'p') {
			t->npk = c->ncols;
			t->pk = c->cols;
			t->pkname = c->name;
		}
	}
	qsort(t->cons, (size_t)t->ncons, sizeof(*t->cons), con_cmp);
	qsort(t->idx, (size_t)t->nidx, sizeof(*t->idx), idx_cmp);
	if ((rc = having(v, a_ref, &tv, a, &es, &n, err)))
		return rc;
	t->refby = dh_arena_zalloc(a, (n + 1) * sizeof(*t->refby));
	for (size_t i = 0; i < n; i++) {
		struct dh_sqlcon *c = &t->refby[t->nrefby];
		if ((rc = read_con(v, sc, es[i], a, c, err)))
			return rc;
		if (c->kind != 'f')
			continue;
		t->nrefby++;
		c->reftable = t->name;
		if ((rc = table_name(v, sc, c->table_eid, a, &c->table, err)))
			return rc;
	}
	return 0;
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
	const struct dh_attr *a_ident = sqlattr(sc, "identity"), *a_seq = sqlattr(sc, "seq");
	struct dh_sqltable *t = dh_arena_alloc(a, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->name = dh_arena_strndup(a, ns, n);
	/* the attributes' namespace */
	ns = dh__sqlcat_kw(a, t->name);
	size_t sn = n;
	n = strlen(ns);
	int rc;
	if (a_table) {
		struct dh_iter *it;
		struct dh_datom pat = {.a = a_table->id,
				       .v = {.type = DH_T_STRING, .s = {t->name, sn}}},
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
		if (!id->ident || !id->attr || strncmp(id->ident, ns, n) != 0 ||
		    id->ident[n] != '/')
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
		c->name = dh__sqlcat_unkw(a, cname, strlen(cname));
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
		if (t->eid) {
			if ((rc = get1(v, c->attr, a_ident, a, &x, err)))
				return rc;
			if (x.type == DH_T_STRING && x.s.n)
				c->identity = x.s.p[0];
			if ((rc = get1(v, c->attr, a_seq, a, &x, err)))
				return rc;
			if (x.type == DH_T_REF)
				c->seq = x.ref;
		}
	}
	if (t->ncols == 0 && !t->eid)
		return 0;
	if (t->ncols) /* a table of no columns: cols is NULL */
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
	/* a primary key constraint entity, if any, replaces :dh.sql/pk's */
	if ((rc = load_cons(v, sc, t, a, err)))
		return rc;
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
		const char *name = dh__sqlcat_unkw(a, id->ident, nl);
		int seen = 0;
		for (int k = 0; k < cnt && !seen; k++)
			seen = strcmp(ts[k]->name, name) == 0;
		if (seen)
			continue;
		struct dh_sqltable *t;
		if ((rc = load(v, sc, name, strlen(name), a, &t, err)))
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

int
dh__sqlcat_seq_eid(struct dh_view *v, const struct dh_schema *sc, uint64_t eid, struct dh_arena *a,
		   struct dh_sqlseq *q, struct dh_err *err)
{
	struct dh_datom *ds;
	size_t n;
	int rc = entity(v, eid, a, &ds, &n, err);
	if (rc)
		return rc;
	memset(q, 0, sizeof(*q));
	q->eid = eid;
	q->type = DH_OID_INT8;
	q->inc = 1;
	q->cache = 1;
	const struct dh_attr *a_name = sqlattr(sc, "sequence"), *a_type = sqlattr(sc, "seq-type"),
			     *a_start = sqlattr(sc, "seq-start"),
			     *a_inc = sqlattr(sc, "seq-increment"), *a_min = sqlattr(sc, "seq-min"),
			     *a_max = sqlattr(sc, "seq-max"), *a_cache = sqlattr(sc, "seq-cache"),
			     *a_cycle = sqlattr(sc, "seq-cycle"), *a_last = sqlattr(sc, "seq-last"),
			     *a_called = sqlattr(sc, "seq-called"),
			     *a_owner = sqlattr(sc, "seq-owner");
	for (size_t i = 0; i < n; i++) {
		const struct dh_datom *d = &ds[i];
		if (is_attr(d, a_name))
			q->name = vstr(a, &d->v);
		else if (is_attr(d, a_type) && d->v.type == DH_T_STRING)
			q->type =
			    d->v.s.n == 8 && memcmp(d->v.s.p, "smallint", 8) == 0  ? DH_OID_INT2
			    : d->v.s.n == 7 && memcmp(d->v.s.p, "integer", 7) == 0 ? DH_OID_INT4
										   : DH_OID_INT8;
		else if (is_attr(d, a_start))
			q->start = d->v.i;
		else if (is_attr(d, a_inc))
			q->inc = d->v.i;
		else if (is_attr(d, a_min))
			q->min = d->v.i;
		else if (is_attr(d, a_max))
			q->max = d->v.i;
		else if (is_attr(d, a_cache))
			q->cache = d->v.i;
		else if (is_attr(d, a_cycle))
			q->cycle = d->v.b;
		else if (is_attr(d, a_last))
			q->last = d->v.i;
		else if (is_attr(d, a_called))
			q->called = d->v.b;
		else if (is_attr(d, a_owner))
			q->owner = d->v.ref;
	}
	return q->name ? 0 : 1;
}

int
dh__sqlcat_seq(struct dh_view *v, const struct dh_schema *sc, const char *name, struct dh_arena *a,
	       struct dh_sqlseq *out, struct dh_err *err)
{
	uint64_t e;
	int rc = dh__sqlcat_find(v, sc, "dh.sql/sequence", name, a, &e, err);
	if (rc)
		return rc;
	if (!e)
		return 1;
	return dh__sqlcat_seq_eid(v, sc, e, a, out, err);
}

int
dh__sqlcat_view_info(struct dh_view *v, const struct dh_schema *sc, const char *name,
		     struct dh_arena *a, struct dh_sqlview *out, struct dh_err *err)
{
	uint64_t e;
	memset(out, 0, sizeof(*out));
	int rc = dh__sqlcat_find(v, sc, "dh.sql/view", name, a, &e, err);
	if (rc)
		return rc;
	if (!e)
		return 1;
	out->name = dh_arena_strdup(a, name);
	out->eid = e;
	struct dh_value x;
	if ((rc = get1(v, e, sqlattr(sc, "view-sql"), a, &x, err)))
		return rc;
	out->sql = vstr(a, &x);
	if ((rc = get1(v, e, sqlattr(sc, "view-columns"), a, &x, err)))
		return rc;
	if (x.type == DH_T_STRING && x.s.n) {
		out->cols = dh_arena_alloc(a, (x.s.n + 2) * sizeof(*out->cols));
		const char *p = x.s.p, *end = x.s.p + x.s.n;
		for (;;) {
			const char *q = memchr(p, '\n', (size_t)(end - p));
			if (!q)
				q = end;
			out->cols[out->ncols++] = dh_arena_strndup(a, p, (size_t)(q - p));
			if (q == end)
				break;
			p = q + 1;
		}
	}
	if (!out->sql)
		out->sql = "SELECT";
	return 0;
}

int
dh__sqlcat_view(struct dh_view *v, const struct dh_schema *sc, const char *name, struct dh_arena *a,
		const char **sql, struct dh_err *err)
{
	struct dh_sqlview vi;
	int rc = dh__sqlcat_view_info(v, sc, name, a, &vi, err);
	*sql = rc == 0 ? vi.sql : NULL;
	return rc;
}

int
dh__sqlcat_relkind(struct dh_view *v, const struct dh_schema *sc, const char *name,
		   struct dh_arena *a, char *kind, struct dh_err *err)
{
	static const struct {
		const char *ident;
		char kind;
	} kinds[] = {{"dh.sql/sequence", 'S'}, {"dh.sql/view", 'v'}, {"dh.sql/index", 'i'}};
	uint64_t e;
	int rc;
	*kind = 0;
	struct dh_sqltable *t;
	if ((rc = load(v, sc, name, strlen(name), a, &t, err)))
		return rc;
	if (t) {
		*kind = 'r';
		return 0;
	}
	for (size_t i = 0; i < DH_ARRAY_SIZE(kinds); i++) {
		if ((rc = dh__sqlcat_find(v, sc, kinds[i].ident, name, a, &e, err)))
			return rc;
		if (e) {
			*kind = kinds[i].kind;
			return 0;
		}
	}
	/* a primary key's or unique constraint's index */
	const struct dh_attr *a_con = sqlattr(sc, "constraint"), *a_kind = sqlattr(sc, "kind");
	struct dh_value val = {.type = DH_T_STRING, .s = {name, strlen(name)}};
	uint64_t *es;
	size_t n;
	if ((rc = having(v, a_con, &val, a, &es, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct dh_value x;
		if ((rc = get1(v, es[i], a_kind, a, &x, err)))
			return rc;
		if (x.type == DH_T_STRING && x.s.n && (x.s.p[0] == 'p' || x.s.p[0] == 'u')) {
			*kind = 'i';
			return 0;
		}
	}
	return 0;
}

int
dh__sqlcat_names(struct dh_view *v, const struct dh_schema *sc, const char *ident,
		 struct dh_arena *a, const char ***names, uint64_t **eids, size_t *n,
		 struct dh_err *err)
{
	const struct dh_attr *at = dh_schema_attr(sc, ident, strlen(ident));
	size_t cap = 0;
	*n = 0;
	*names = NULL;
	*eids = NULL;
	if (!at)
		return 0;
	struct dh_iter *it;
	struct dh_datom pat = {.a = at->id}, d;
	int rc = dh_iter_open(v, DH_AEVT, &pat, 1, a, &it, err);
	if (rc)
		return rc;
	while ((rc = dh_iter_next(it, &d, err)) == 1) {
		if (d.v.type != DH_T_STRING)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			const char **nn = dh_arena_alloc(a, cap * sizeof(*nn));
			uint64_t *ne = dh_arena_alloc(a, cap * sizeof(*ne));
			if (*n) {
				memcpy(nn, *names, *n * sizeof(*nn));
				memcpy(ne, *eids, *n * sizeof(*ne));
			}
			*names = nn;
			*eids = ne;
		}
		(*names)[*n] = vstr(a, &d.v);
		(*eids)[(*n)++] = d.e;
	}
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}
