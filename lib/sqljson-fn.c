/*
 * sqljson-fn: json and jsonb operators and functions over the trees of
 * sqljson.c, each following the PostgreSQL 15 function of the same name
 * (jsonfuncs.c, jsonb_op.c, json.c, jsonb.c), including its error texts.
 *
 * jsonb values are parsed from their canonical text, changed as trees and
 * written back; json values are parsed and their results cut verbatim from
 * the input (PostgreSQL keeps json text as given).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sqljson.h"
#include "sqljson-int.h"

#define ISCONT(j) ((j)->kind == DH_JSON_ARRAY || (j)->kind == DH_JSON_OBJECT)

static void
set_null(struct dh_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = DH_T_NONE;
}

static void
set_str(struct dh_value *out, struct dh_arena *a, const char *s, size_t n)
{
	out->type = DH_T_STRING;
	out->s.p = dh_arena_strndup(a, s ? s : "", n);
	out->s.n = n;
}

static void
set_bool(struct dh_value *out, int b)
{
	out->type = DH_T_BOOL;
	out->b = !!b;
}

static void
set_buf(struct dh_value *out, struct dh_arena *a, struct dh_buf *b)
{
	set_str(out, a, (char *)b->p, b->len);
}

static int
is_null(const struct dh_value *v)
{
	return v == NULL || v->type == DH_T_NONE;
}

/* Parse a document of type t.  decode: de-escape strings (PostgreSQL's
 * json functions that look at strings do, and so fail on \u0000). */
static int
doc_parse(enum dh_jtype t, const struct dh_value *v, int decode, struct dh_arena *a,
	  struct dh_json **j, struct dh_err *err)
{
	unsigned fl = t == DH_JSONB ? DH_JPARSE_JSONB : decode ? DH_JPARSE_DECODE : 0;
	return dh_json_parse(v->s.p, v->s.n, fl, a, j, err);
}

/* A node as a value of type t: jsonb canonical text or json's source. */
static int
node_value(enum dh_jtype t, const struct dh_json *j, struct dh_arena *a, struct dh_value *out)
{
	if (t == DH_JSONB)
		return dh__jsonb_value(j, a, out);
	set_str(out, a, j->src, j->srcn);
	return 0;
}

/* A node as text (->>): strings de-escaped, null is NULL, the rest as
 * written (json) or canonical (jsonb). */
static int
node_text(enum dh_jtype t, const struct dh_json *j, struct dh_arena *a, struct dh_value *out)
{
	if (j->kind == DH_JSON_NULL) {
		set_null(out);
		return 0;
	}
	if (j->kind == DH_JSON_STRING) {
		set_str(out, a, j->s, j->sn);
		return 0;
	}
	return node_value(t, j, a, out);
}

/* Object member by key; json: the last of duplicates. */
static const struct dh_json *
obj_get(const struct dh_json *o, const char *k, size_t kn)
{
	const struct dh_json *r = NULL;
	for (size_t i = 0; i < o->n; i++) {
		const struct dh_json *key = &o->items[2 * i];
		if (key->sn == kn && memcmp(key->s, k, kn) == 0)
			r = &o->items[2 * i + 1];
	}
	return r;
}

/* strtoint() as PostgreSQL's path code uses it: the whole text must be an
 * int (leading blanks and a sign allowed). */
static int
text_to_int(const char *s, size_t n, int *out)
{
	char buf[64];
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (memchr(s, 0, n))
		return -1;
	char *end;
	errno = 0;
	long l = strtol(buf, &end, 10);
	if (end == buf || *end != 0 || errno != 0 || l < INT_MIN || l > INT_MAX)
		return -1;
	*out = (int)l;
	return 0;
}

static const struct dh_json *
arr_get(const struct dh_json *arr, long long idx)
{
	if (idx < 0)
		idx += (long long)arr->n;
	if (idx < 0 || idx >= (long long)arr->n)
		return NULL;
	return &arr->items[idx];
}

/* --- -> ->> #> #>> --------------------------------------------------------- */

int
dh_json_get(enum dh_jtype t, const struct dh_value *doc, const struct dh_value *sel, int as_text,
	    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	const struct dh_json *r = NULL;
	set_null(out);
	if (is_null(doc) || is_null(sel))
		return 0;
	int rc = doc_parse(t, doc, 1, a, &j, err);
	if (rc)
		return rc;
	if (sel->type == DH_T_LONG) {
		if (j->kind == DH_JSON_ARRAY) {
			if (sel->i >= INT_MIN && sel->i <= INT_MAX)
				r = arr_get(j, sel->i);
		} else if (t == DH_JSONB && !ISCONT(j)) {
			/* a raw scalar is a one-element array to jsonb_array_element */
			if (sel->i == 0 || sel->i == -1)
				r = j;
		}
	} else if (j->kind == DH_JSON_OBJECT) {
		r = obj_get(j, sel->s.p, sel->s.n);
	}
	if (!r)
		return 0;
	return as_text ? node_text(t, r, a, out) : node_value(t, r, a, out);
}

int
dh_json_get_path(enum dh_jtype t, const struct dh_value *doc, const struct dh_value *path,
		 int as_text, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc) || is_null(path))
		return 0;
	const struct dh_coll *p = path->coll;
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].type == DH_T_NONE)
			return 0;
	int rc = doc_parse(t, doc, 1, a, &j, err);
	if (rc)
		return rc;
	const struct dh_json *cur = j;
	for (size_t i = 0; i < p->n && cur; i++) {
		const struct dh_value *e = &p->items[i];
		if (cur->kind == DH_JSON_OBJECT) {
			cur = obj_get(cur, e->s.p, e->s.n);
		} else if (cur->kind == DH_JSON_ARRAY) {
			int idx;
			if (text_to_int(e->s.p, e->s.n, &idx))
				cur = NULL;
			else
				cur = arr_get(cur, idx);
		} else {
			cur = NULL;
		}
	}
	if (!cur)
		return 0;
	return as_text ? node_text(t, cur, a, out) : node_value(t, cur, a, out);
}

/* --- containment and existence --------------------------------------------- */

static int
contains(const struct dh_json *v, const struct dh_json *c)
{
	if (v->kind != c->kind)
		return 0;
	if (v->kind == DH_JSON_OBJECT) {
		if (v->n < c->n)
			return 0;
		for (size_t i = 0; i < c->n; i++) {
			const struct dh_json *ck = &c->items[2 * i], *cv = &c->items[2 * i + 1];
			const struct dh_json *lv = obj_get(v, ck->s, ck->sn);
			if (!lv)
				return 0;
			if (ISCONT(lv) || ISCONT(cv)) {
				if (!ISCONT(lv) || !ISCONT(cv) || !contains(lv, cv))
					return 0;
			} else if (lv->kind != cv->kind || dh__json_scalar_cmp(lv, cv) != 0) {
				return 0;
			}
		}
		return 1;
	}
	/* arrays */
	for (size_t i = 0; i < c->n; i++) {
		const struct dh_json *ce = &c->items[i];
		size_t k;
		if (!ISCONT(ce)) {
			for (k = 0; k < v->n; k++) {
				const struct dh_json *ve = &v->items[k];
				if (ve->kind == ce->kind && dh__json_scalar_cmp(ve, ce) == 0)
					break;
			}
		} else {
			for (k = 0; k < v->n; k++)
				if (ISCONT(&v->items[k]) && contains(&v->items[k], ce))
					break;
		}
		if (k == v->n)
			return 0;
	}
	return 1;
}

/* A top-level scalar as PostgreSQL's one-element raw scalar array. */
static void
as_raw_array(const struct dh_json *j, struct dh_json *box)
{
	memset(box, 0, sizeof(*box));
	box->kind = DH_JSON_ARRAY;
	box->n = 1;
	box->items = (struct dh_json *)j;
}

int
dh_jsonb_contains(const struct dh_value *a, const struct dh_value *b, struct dh_arena *ar,
		  struct dh_value *out, struct dh_err *err)
{
	struct dh_json *ja, *jb, boxa, boxb;
	set_null(out);
	if (is_null(a) || is_null(b))
		return 0;
	int rc = doc_parse(DH_JSONB, a, 1, ar, &ja, err);
	if (!rc)
		rc = doc_parse(DH_JSONB, b, 1, ar, &jb, err);
	if (rc)
		return rc;
	int sa = !ISCONT(ja), sb = !ISCONT(jb);
	if (sa && !sb) {
		set_bool(out, 0); /* a raw scalar contains no array */
		return 0;
	}
	if (sa)
		as_raw_array(ja, &boxa), ja = &boxa;
	if (sb)
		as_raw_array(jb, &boxb), jb = &boxb;
	set_bool(out, contains(ja, jb));
	return 0;
}

static int
has_key(const struct dh_json *j, const char *k, size_t kn)
{
	if (j->kind == DH_JSON_OBJECT)
		return obj_get(j, k, kn) != NULL;
	if (j->kind == DH_JSON_ARRAY) {
		for (size_t i = 0; i < j->n; i++)
			if (j->items[i].kind == DH_JSON_STRING && j->items[i].sn == kn &&
			    memcmp(j->items[i].s, k, kn) == 0)
				return 1;
		return 0;
	}
	return j->kind == DH_JSON_STRING && j->sn == kn && memcmp(j->s, k, kn) == 0;
}

int
dh_jsonb_exists(const struct dh_value *doc, const struct dh_value *key, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc) || is_null(key))
		return 0;
	int rc = doc_parse(DH_JSONB, doc, 1, a, &j, err);
	if (rc)
		return rc;
	set_bool(out, has_key(j, key->s.p, key->s.n));
	return 0;
}

int
dh_jsonb_exists_any(const struct dh_value *doc, const struct dh_value *keys, int all,
		    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc) || is_null(keys))
		return 0;
	int rc = doc_parse(DH_JSONB, doc, 1, a, &j, err);
	if (rc)
		return rc;
	const struct dh_coll *c = keys->coll;
	for (size_t i = 0; i < c->n; i++) {
		if (c->items[i].type == DH_T_NONE)
			continue;
		int h = has_key(j, c->items[i].s.p, c->items[i].s.n);
		if (all && !h) {
			set_bool(out, 0);
			return 0;
		}
		if (!all && h) {
			set_bool(out, 1);
			return 0;
		}
	}
	set_bool(out, all);
	return 0;
}

/* --- || - #- ----------------------------------------------------------------- */

struct nvec {
	struct dh_json *v;
	size_t n, alloc;
};

static void
nvec_add(struct nvec *nv, const struct dh_json *j)
{
	if (nv->n == nv->alloc) {
		nv->alloc = nv->alloc ? 2 * nv->alloc : 8;
		nv->v = xrealloc(nv->v, nv->alloc * sizeof(*nv->v));
	}
	nv->v[nv->n++] = *j;
}

/* Finish a node from a vector: items copied into the arena. */
static void
nvec_finish(struct nvec *nv, struct dh_json *out, enum dh_json_kind kind, struct dh_arena *a)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->n = kind == DH_JSON_OBJECT ? nv->n / 2 : nv->n;
	out->items = nv->n ? dh_arena_memdup(a, nv->v, nv->n * sizeof(*nv->v)) : NULL;
	free(nv->v);
	memset(nv, 0, sizeof(*nv));
	if (kind == DH_JSON_OBJECT)
		dh__json_object_normalise(out);
}

int
dh_jsonb_concat(const struct dh_value *l, const struct dh_value *r, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	struct dh_json *jl, *jr, res;
	struct nvec nv = {0};
	set_null(out);
	if (is_null(l) || is_null(r))
		return 0;
	int rc = doc_parse(DH_JSONB, l, 1, a, &jl, err);
	if (!rc)
		rc = doc_parse(DH_JSONB, r, 1, a, &jr, err);
	if (rc)
		return rc;
	if (jl->kind == DH_JSON_OBJECT && jr->kind == DH_JSON_OBJECT) {
		for (size_t i = 0; i < 2 * jl->n; i++)
			nvec_add(&nv, &jl->items[i]);
		for (size_t i = 0; i < 2 * jr->n; i++)
			nvec_add(&nv, &jr->items[i]);
		nvec_finish(&nv, &res, DH_JSON_OBJECT, a);
	} else {
		const struct dh_json *side[2] = {jl, jr};
		for (int s = 0; s < 2; s++) {
			if (side[s]->kind == DH_JSON_ARRAY)
				for (size_t i = 0; i < side[s]->n; i++)
					nvec_add(&nv, &side[s]->items[i]);
			else
				nvec_add(&nv, side[s]);
		}
		nvec_finish(&nv, &res, DH_JSON_ARRAY, a);
	}
	return dh__jsonb_value(&res, a, out);
}

static void
drop_key(const struct dh_json *j, const char *k, size_t kn, struct dh_json *res, struct dh_arena *a)
{
	struct nvec nv = {0};
	if (j->kind == DH_JSON_OBJECT) {
		for (size_t i = 0; i < j->n; i++) {
			const struct dh_json *key = &j->items[2 * i];
			if (key->sn == kn && memcmp(key->s, k, kn) == 0)
				continue;
			nvec_add(&nv, key);
			nvec_add(&nv, &j->items[2 * i + 1]);
		}
		nvec_finish(&nv, res, DH_JSON_OBJECT, a);
	} else {
		for (size_t i = 0; i < j->n; i++) {
			const struct dh_json *e = &j->items[i];
			if (e->kind == DH_JSON_STRING && e->sn == kn && memcmp(e->s, k, kn) == 0)
				continue;
			nvec_add(&nv, e);
		}
		nvec_finish(&nv, res, DH_JSON_ARRAY, a);
	}
}

int
dh_jsonb_delete(const struct dh_value *doc, const struct dh_value *what, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j, res;
	set_null(out);
	if (is_null(doc) || is_null(what))
		return 0;
	int rc = doc_parse(DH_JSONB, doc, 1, a, &j, err);
	if (rc)
		return rc;
	if (!ISCONT(j))
		return dh_err_sql(err, "22023", "cannot delete from scalar");
	if (what->type == DH_T_LONG) {
		if (j->kind == DH_JSON_OBJECT)
			return dh_err_sql(err, "22023",
					  "cannot delete from object using integer index");
		if (j->n == 0) {
			*out = *doc;
			return 0;
		}
		long long idx = what->i;
		if (idx < 0)
			idx += (long long)j->n;
		if (idx < 0 || idx >= (long long)j->n) {
			*out = *doc;
			return 0;
		}
		struct nvec nv = {0};
		for (size_t i = 0; i < j->n; i++)
			if ((long long)i != idx)
				nvec_add(&nv, &j->items[i]);
		nvec_finish(&nv, &res, DH_JSON_ARRAY, a);
		return dh__jsonb_value(&res, a, out);
	}
	if (what->type == DH_T_COLL) {
		const struct dh_coll *c = what->coll;
		if (c->n == 0 || j->n == 0) {
			*out = *doc;
			return 0;
		}
		struct dh_json cur = *j;
		for (size_t i = 0; i < c->n; i++) {
			if (c->items[i].type == DH_T_NONE)
				continue;
			drop_key(&cur, c->items[i].s.p, c->items[i].s.n, &res, a);
			cur = res;
		}
		return dh__jsonb_value(&cur, a, out);
	}
	if (j->n == 0) {
		*out = *doc;
		return 0;
	}
	drop_key(j, what->s.p, what->s.n, &res, a);
	return dh__jsonb_value(&res, a, out);
}

/* setPath() of jsonfuncs.c: op is one of these. */
enum {
	OP_CREATE = 1,
	OP_DELETE = 2,
	OP_REPLACE = 4,
	OP_INSERT_BEFORE = 8,
	OP_INSERT_AFTER = 16,
	/* jsonb subscript assignment (jsonb_set_element): missing path
	 * elements are created, arrays padded with nulls */
	OP_FILL_GAPS = 32,
};
#define OP_CREATE_OR_INSERT (OP_CREATE | OP_INSERT_BEFORE | OP_INSERT_AFTER)

struct setpath {
	const struct dh_coll *path;
	const struct dh_json *newval;
	int op;
	struct dh_arena *a;
	struct dh_err *err;
};

static int set_path(struct setpath *sp, const struct dh_json *j, size_t level, struct dh_json *res,
		    int *drop);

static int
scalar_key_err(struct dh_err *err)
{
	dh_err_sql(err, "22023", "cannot replace existing key");
	dh_err_detail(err, "The path assumes key is a composite object, but it is a scalar value.");
	return DH_ESQL;
}

static const struct dh_json json_null = {.kind = DH_JSON_NULL};

static void
push_nulls(struct nvec *nv, long long n)
{
	for (long long i = 0; i < n; i++)
		nvec_add(nv, &json_null);
}

/* push_path() of jsonfuncs.c: the chain of new containers for path
 * elements level+1.. (an array for an integer element, padded with
 * nulls, else an object), the new value innermost, in *res. */
static void
push_path(struct setpath *sp, size_t level, struct dh_json *res)
{
	struct dh_json cur = *sp->newval;
	for (size_t i = sp->path->n; i-- > level + 1;) {
		const struct dh_value *pe = &sp->path->items[i];
		struct nvec nv = {0};
		struct dh_json *in = dh_arena_memdup(sp->a, &cur, sizeof(cur));
		int idx;
		if (text_to_int(pe->s.p, pe->s.n, &idx)) {
			struct dh_json key = {.kind = DH_JSON_STRING, .s = pe->s.p, .sn = pe->s.n};
			nvec_add(&nv, &key);
			nvec_add(&nv, in);
			nvec_finish(&nv, &cur, DH_JSON_OBJECT, sp->a);
		} else {
			push_nulls(&nv, idx);
			nvec_add(&nv, in);
			nvec_finish(&nv, &cur, DH_JSON_ARRAY, sp->a);
		}
	}
	*res = cur;
}

static int
set_path_object(struct setpath *sp, const struct dh_json *j, size_t level, struct dh_json *res)
{
	const struct dh_value *pe = &sp->path->items[level];
	size_t plen = sp->path->n;
	struct nvec nv = {0};
	int done = 0, rc = 0;
	struct dh_json newkey = {.kind = DH_JSON_STRING, .s = pe->s.p, .sn = pe->s.n};
	if (j->n == 0 && (sp->op & OP_CREATE_OR_INSERT) && level == plen - 1) {
		nvec_add(&nv, &newkey);
		nvec_add(&nv, sp->newval);
	}
	for (size_t i = 0; i < j->n; i++) {
		const struct dh_json *k = &j->items[2 * i], *v = &j->items[2 * i + 1];
		if (!done && k->sn == pe->s.n && memcmp(k->s, pe->s.p, k->sn) == 0) {
			done = 1;
			if (level == plen - 1) {
				if (sp->op & (OP_INSERT_BEFORE | OP_INSERT_AFTER)) {
					rc = dh_err_sql(sp->err, "22023", "cannot replace existing key");
					dh_err_hint(sp->err, "Try using the function jsonb_set to "
							     "replace key value.");
					goto out;
				}
				if (!(sp->op & OP_DELETE)) {
					nvec_add(&nv, k);
					nvec_add(&nv, sp->newval);
				}
			} else {
				struct dh_json sub;
				int drop = 0;
				if ((rc = set_path(sp, v, level + 1, &sub, &drop)))
					goto out;
				nvec_add(&nv, k);
				nvec_add(&nv, &sub);
			}
		} else {
			if ((sp->op & OP_CREATE_OR_INSERT) && !done && level == plen - 1 &&
			    i == j->n - 1) {
				nvec_add(&nv, &newkey);
				nvec_add(&nv, sp->newval);
			}
			nvec_add(&nv, k);
			nvec_add(&nv, v);
		}
	}
	if (!done && (sp->op & OP_FILL_GAPS) && level < plen - 1) {
		struct dh_json sub;
		push_path(sp, level, &sub);
		nvec_add(&nv, &newkey);
		nvec_add(&nv, dh_arena_memdup(sp->a, &sub, sizeof(sub)));
	}
	nvec_finish(&nv, res, DH_JSON_OBJECT, sp->a);
out:
	free(nv.v);
	return rc;
}

static int
set_path_array(struct setpath *sp, const struct dh_json *j, size_t level, struct dh_json *res)
{
	const struct dh_value *pe = &sp->path->items[level];
	size_t plen = sp->path->n;
	long long nelems = (long long)j->n, idx;
	struct nvec nv = {0};
	int done = 0, rc = 0, ii;
	if (text_to_int(pe->s.p, pe->s.n, &ii)) {
		char *c = dh_arena_strndup(sp->a, pe->s.p, pe->s.n);
		return dh_err_sql(sp->err, "22P02",
				  "path element at position %zu is not an integer: \"%s\"",
				  level + 1, c);
	}
	idx = ii;
	if (idx < 0) {
		if (-idx > nelems) {
			if (sp->op & OP_FILL_GAPS) /* JB_PATH_CONSISTENT_POSITION */
				return dh_err_sql(sp->err, "22023",
						  "path element at position %zu is out of range: %d",
						  level + 1, ii);
			idx = INT_MIN;
		} else {
			idx = nelems + idx;
		}
	}
	if (!(sp->op & OP_FILL_GAPS) && idx > 0 && idx > nelems)
		idx = nelems;
	if ((idx == INT_MIN || nelems == 0) && level == plen - 1 &&
	    (sp->op & OP_CREATE_OR_INSERT)) {
		if ((sp->op & OP_FILL_GAPS) && nelems == 0 && idx > 0)
			push_nulls(&nv, idx);
		nvec_add(&nv, sp->newval);
		done = 1;
	}
	for (long long i = 0; i < nelems; i++) {
		const struct dh_json *e = &j->items[i];
		if (i == idx && level < plen) {
			done = 1;
			if (level == plen - 1) {
				if (sp->op & (OP_INSERT_BEFORE | OP_CREATE))
					nvec_add(&nv, sp->newval);
				if (sp->op & (OP_INSERT_AFTER | OP_INSERT_BEFORE))
					nvec_add(&nv, e);
				if (sp->op & (OP_INSERT_AFTER | OP_REPLACE))
					nvec_add(&nv, sp->newval);
			} else {
				struct dh_json sub;
				int drop = 0;
				if ((rc = set_path(sp, e, level + 1, &sub, &drop)))
					goto out;
				nvec_add(&nv, &sub);
			}
		} else {
			nvec_add(&nv, e);
		}
	}
	if ((sp->op & OP_CREATE_OR_INSERT) && !done && level == plen - 1) {
		if ((sp->op & OP_FILL_GAPS) && idx > nelems)
			push_nulls(&nv, idx - nelems);
		nvec_add(&nv, sp->newval);
		done = 1;
	}
	if (!done && (sp->op & OP_FILL_GAPS) && level < plen - 1) {
		struct dh_json sub;
		if (idx > 0)
			push_nulls(&nv, idx - nelems);
		push_path(sp, level, &sub);
		nvec_add(&nv, dh_arena_memdup(sp->a, &sub, sizeof(sub)));
	}
	nvec_finish(&nv, res, DH_JSON_ARRAY, sp->a);
out:
	free(nv.v);
	return rc;
}

static int
set_path(struct setpath *sp, const struct dh_json *j, size_t level, struct dh_json *res, int *drop)
{
	if (sp->path->items[level].type == DH_T_NONE)
		return dh_err_sql(sp->err, "22004", "path element at position %zu is null",
				  level + 1);
	if (j->kind == DH_JSON_OBJECT)
		return set_path_object(sp, j, level, res);
	if (j->kind == DH_JSON_ARRAY)
		return set_path_array(sp, j, level, res);
	if (sp->op & OP_FILL_GAPS)
		return scalar_key_err(sp->err);
	*res = *j;
	return 0;
}

static int
path_op(const struct dh_value *doc, const struct dh_value *path, const struct dh_value *val,
	int op, const char *scalar_msg, struct dh_arena *a, struct dh_value *out,
	struct dh_err *err)
{
	struct dh_json *j, *nv = NULL, res;
	int rc = doc_parse(DH_JSONB, doc, 1, a, &j, err);
	if (rc)
		return rc;
	if (val && (rc = doc_parse(DH_JSONB, val, 1, a, &nv, err)))
		return rc;
	if (!ISCONT(j))
		return dh_err_sql(err, "22023", "%s", scalar_msg);
	if ((op == OP_REPLACE || op == OP_DELETE) && j->n == 0) {
		*out = *doc;
		return 0;
	}
	if (path->coll->n == 0) {
		*out = *doc;
		return 0;
	}
	struct setpath sp = {path->coll, nv, op, a, err};
	int drop = 0;
	if ((rc = set_path(&sp, j, 0, &res, &drop)))
		return rc;
	return dh__jsonb_value(&res, a, out);
}

int
dh_jsonb_set_element(const struct dh_value *doc, const struct dh_value *path,
		     const struct dh_value *val, struct dh_arena *a, struct dh_value *out,
		     struct dh_err *err)
{
	struct dh_json *j, *nv, res;
	int rc, drop = 0;
	set_null(out);
	if ((rc = doc_parse(DH_JSONB, doc, 1, a, &j, err)) ||
	    (rc = doc_parse(DH_JSONB, val, 1, a, &nv, err)))
		return rc;
	if (!ISCONT(j))
		return scalar_key_err(err);
	struct setpath sp = {path->coll, nv, OP_CREATE | OP_FILL_GAPS, a, err};
	if ((rc = set_path(&sp, j, 0, &res, &drop)))
		return rc;
	return dh__jsonb_value(&res, a, out);
}

int
dh_jsonb_delete_path(const struct dh_value *doc, const struct dh_value *path, struct dh_arena *a,
		     struct dh_value *out, struct dh_err *err)
{
	set_null(out);
	if (is_null(doc) || is_null(path))
		return 0;
	return path_op(doc, path, NULL, OP_DELETE, "cannot delete path in scalar", a, out, err);
}

int
dh_jsonb_set(const struct dh_value *doc, const struct dh_value *path, const struct dh_value *val,
	     int create_missing, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	set_null(out);
	if (is_null(doc) || is_null(path) || is_null(val))
		return 0;
	return path_op(doc, path, val, create_missing ? OP_CREATE : OP_REPLACE,
		       "cannot set path in scalar", a, out, err);
}

int
dh_jsonb_insert(const struct dh_value *doc, const struct dh_value *path, const struct dh_value *val,
		int after, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	set_null(out);
	if (is_null(doc) || is_null(path) || is_null(val))
		return 0;
	return path_op(doc, path, val, after ? OP_INSERT_AFTER : OP_INSERT_BEFORE,
		       "cannot set path in scalar", a, out, err);
}

/* --- functions -------------------------------------------------------------- */

int
dh_json_typeof(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
	       struct dh_value *out, struct dh_err *err)
{
	static const char *names[] = {"null", "string", "number", "boolean", "array", "object"};
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(t, doc, 0, a, &j, err);
	if (rc)
		return rc;
	set_str(out, a, names[j->kind], strlen(names[j->kind]));
	return 0;
}

int
dh_json_array_length(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
		     struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(t, doc, 0, a, &j, err);
	if (rc)
		return rc;
	if (j->kind == DH_JSON_OBJECT)
		return dh_err_sql(err, "22023", "cannot get array length of a non-array");
	if (j->kind != DH_JSON_ARRAY)
		return dh_err_sql(err, "22023", "cannot get array length of a scalar");
	out->type = DH_T_LONG;
	out->i = (int64_t)j->n;
	return 0;
}

static struct dh_value *
rows_new(struct dh_arena *a, size_t n, struct dh_value *out)
{
	struct dh_coll *c = dh_arena_zalloc(a, sizeof(*c));
	c->kind = DH_COLL_VECTOR;
	c->n = n;
	c->items = n ? dh_arena_zalloc(a, n * sizeof(struct dh_value)) : NULL;
	out->type = DH_T_COLL;
	out->coll = c;
	return c->items;
}

int
dh_json_object_keys(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(t, doc, 1, a, &j, err);
	if (rc)
		return rc;
	const char *fn = t == DH_JSONB ? "jsonb_object_keys" : "json_object_keys";
	if (j->kind == DH_JSON_ARRAY)
		return dh_err_sql(err, "22023", "cannot call %s on an array", fn);
	if (j->kind != DH_JSON_OBJECT)
		return dh_err_sql(err, "22023", "cannot call %s on a scalar", fn);
	struct dh_value *rows = rows_new(a, j->n, out);
	for (size_t i = 0; i < j->n; i++)
		set_str(&rows[i], a, j->items[2 * i].s, j->items[2 * i].sn);
	return 0;
}

int
dh_json_each(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
	     struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(t, doc, 1, a, &j, err);
	if (rc)
		return rc;
	if (j->kind != DH_JSON_OBJECT) {
		if (t == DH_JSONB)
			return dh_err_sql(err, "22023", "cannot call %s on a non-object",
					  as_text ? "jsonb_each_text" : "jsonb_each");
		if (j->kind == DH_JSON_ARRAY)
			return dh_err_sql(err, "22023", "cannot deconstruct an array as an object");
		return dh_err_sql(err, "22023", "cannot deconstruct a scalar");
	}
	struct dh_value *rows = rows_new(a, j->n, out);
	for (size_t i = 0; i < j->n; i++) {
		struct dh_value *pair = rows_new(a, 2, &rows[i]);
		set_str(&pair[0], a, j->items[2 * i].s, j->items[2 * i].sn);
		if (as_text)
			rc = node_text(t, &j->items[2 * i + 1], a, &pair[1]);
		else
			rc = node_value(t, &j->items[2 * i + 1], a, &pair[1]);
		if (rc)
			return rc;
	}
	return 0;
}

int
dh_json_array_elements(enum dh_jtype t, const struct dh_value *doc, int as_text,
		       struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(t, doc, as_text, a, &j, err);
	if (rc)
		return rc;
	const char *fn = t == DH_JSONB ? (as_text ? "jsonb_array_elements_text" : "jsonb_array_elements")
				       : (as_text ? "json_array_elements_text" : "json_array_elements");
	if (j->kind != DH_JSON_ARRAY) {
		if (t == DH_JSONB)
			return dh_err_sql(err, "22023", "cannot extract elements from %s",
					  j->kind == DH_JSON_OBJECT ? "an object" : "a scalar");
		if (j->kind == DH_JSON_OBJECT)
			return dh_err_sql(err, "22023", "cannot call %s on a non-array", fn);
		return dh_err_sql(err, "22023", "cannot call %s on a scalar", fn);
	}
	struct dh_value *rows = rows_new(a, j->n, out);
	for (size_t i = 0; i < j->n; i++) {
		if (as_text)
			rc = node_text(t, &j->items[i], a, &rows[i]);
		else
			rc = node_value(t, &j->items[i], a, &rows[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static void
strip(struct dh_json *j, struct dh_arena *a)
{
	if (j->kind == DH_JSON_ARRAY) {
		for (size_t i = 0; i < j->n; i++)
			strip(&j->items[i], a);
	} else if (j->kind == DH_JSON_OBJECT) {
		size_t w = 0;
		for (size_t i = 0; i < j->n; i++) {
			if (j->items[2 * i + 1].kind == DH_JSON_NULL)
				continue;
			j->items[2 * w] = j->items[2 * i];
			j->items[2 * w + 1] = j->items[2 * i + 1];
			strip(&j->items[2 * w + 1], a);
			w++;
		}
		j->n = w;
	}
}

/* json_strip_nulls' output: tokens without whitespace, strings re-escaped. */
static void
write_compact(struct dh_buf *b, const struct dh_json *j)
{
	if (j->kind == DH_JSON_ARRAY) {
		dh_buf_addc(b, '[');
		for (size_t i = 0; i < j->n; i++) {
			if (i)
				dh_buf_addc(b, ',');
			write_compact(b, &j->items[i]);
		}
		dh_buf_addc(b, ']');
	} else if (j->kind == DH_JSON_OBJECT) {
		dh_buf_addc(b, '{');
		for (size_t i = 0; i < j->n; i++) {
			if (i)
				dh_buf_addc(b, ',');
			dh_json_write_string(b, j->items[2 * i].s, j->items[2 * i].sn);
			dh_buf_addc(b, ':');
			write_compact(b, &j->items[2 * i + 1]);
		}
		dh_buf_addc(b, '}');
	} else if (j->kind == DH_JSON_STRING) {
		dh_json_write_string(b, j->s, j->sn);
	} else {
		dh_buf_add(b, j->src, j->srcn);
	}
}

int
dh_json_strip_nulls(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(t, doc, 1, a, &j, err);
	if (rc)
		return rc;
	strip(j, a);
	if (t == DH_JSONB)
		return dh__jsonb_value(j, a, out);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	write_compact(&b, j);
	set_buf(out, a, &b);
	dh_buf_release(&b);
	return 0;
}

int
dh_jsonb_pretty(const struct dh_value *doc, struct dh_arena *a, struct dh_value *out,
		struct dh_err *err)
{
	struct dh_json *j;
	set_null(out);
	if (is_null(doc))
		return 0;
	int rc = doc_parse(DH_JSONB, doc, 1, a, &j, err);
	if (rc)
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	rc = dh_jsonb_write(&b, j, 1);
	set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}

/* --- SQL values into json ----------------------------------------------------- */

/* PostgreSQL's IsValidJsonNumber. */
static int
valid_json_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/* ISO text of a date/time value as JsonEncodeDateTime writes it: 'T'
 * between date and time, a zone with minutes ("+05" -> "+05:00"). */
static void
encode_datetime(struct dh_buf *b, const char *s, size_t n, enum dh_json_cat cat)
{
	const char *bc = NULL;
	if (n >= 3 && memcmp(s + n - 3, " BC", 3) == 0) {
		bc = " BC";
		n -= 3;
	}
	const char *sp = cat == DH_JCAT_DATE ? NULL : memchr(s, ' ', n);
	if (!sp) {
		dh_buf_add(b, s, n);
	} else {
		dh_buf_add(b, s, (size_t)(sp - s));
		dh_buf_addc(b, 'T');
		const char *t = sp + 1, *e = s + n;
		const char *z = NULL;
		if (cat == DH_JCAT_TIMESTAMPTZ)
			for (const char *q = t; q < e; q++)
				if (*q == '+' || *q == '-') {
					z = q;
					break;
				}
		if (!z) {
			dh_buf_add(b, t, (size_t)(e - t));
		} else {
			dh_buf_add(b, t, (size_t)(e - t));
			if (e - z == 3)
				dh_buf_add(b, ":00", 3);
		}
	}
	if (bc)
		dh_buf_adds(b, bc);
}

static int datum_json(struct dh_buf *b, const struct dh_json_datum *d, int key,
		      struct dh_err *err);

static int
array_json(struct dh_buf *b, const struct dh_value *v, enum dh_json_cat elemcat,
	   struct dh_err *err)
{
	dh_buf_addc(b, '[');
	for (size_t i = 0; i < v->coll->n; i++) {
		const struct dh_value *e = &v->coll->items[i];
		if (i)
			dh_buf_addc(b, ',');
		if (e->type == DH_T_COLL) {
			int rc = array_json(b, e, elemcat, err);
			if (rc)
				return rc;
		} else {
			struct dh_json_datum d = {e->type == DH_T_NONE ? DH_JCAT_NULL : elemcat,
						  DH_JCAT_NULL, *e};
			int rc = datum_json(b, &d, 0, err);
			if (rc)
				return rc;
		}
	}
	return dh_buf_addc(b, ']');
}

static int
key_must_be_scalar(const struct dh_json_datum *d, struct dh_err *err)
{
	if (d->cat == DH_JCAT_ARRAY || d->cat == DH_JCAT_COMPOSITE || d->cat == DH_JCAT_JSON ||
	    d->cat == DH_JCAT_JSONB)
		return dh_err_sql(err, "22023",
				  "key value must be scalar, not array, composite, or json");
	return 0;
}

/* datum_to_json(): one value's json text appended to b. */
static int
datum_json(struct dh_buf *b, const struct dh_json_datum *d, int key, struct dh_err *err)
{
	const struct dh_value *v = &d->v;
	if (d->cat == DH_JCAT_NULL || v->type == DH_T_NONE) {
		dh_buf_add(b, "null", 4);
		return 0;
	}
	if (key) {
		int rc = key_must_be_scalar(d, err);
		if (rc)
			return rc;
	}
	switch (d->cat) {
	case DH_JCAT_BOOL: {
		int t = v->type == DH_T_BOOL ? v->b : (v->s.n && (v->s.p[0] == 't' || v->s.p[0] == 'T'));
		if (key)
			dh_buf_adds(b, t ? "\"true\"" : "\"false\"");
		else
			dh_buf_adds(b, t ? "true" : "false");
		break;
	}
	case DH_JCAT_NUMERIC:
		if (!key && valid_json_number(v->s.p, v->s.n))
			dh_buf_add(b, v->s.p, v->s.n);
		else
			dh_json_write_string(b, v->s.p, v->s.n);
		break;
	case DH_JCAT_DATE:
	case DH_JCAT_TIMESTAMP:
	case DH_JCAT_TIMESTAMPTZ: {
		struct dh_buf t;
		dh_buf_init(&t, 0);
		encode_datetime(&t, v->s.p, v->s.n, d->cat);
		dh_json_write_string(b, (char *)t.p, t.len);
		dh_buf_release(&t);
		break;
	}
	case DH_JCAT_JSON:
	case DH_JCAT_JSONB:
	case DH_JCAT_COMPOSITE:
		dh_buf_add(b, v->s.p, v->s.n);
		break;
	case DH_JCAT_ARRAY:
		return array_json(b, v, d->elemcat, err);
	default:
		dh_json_write_string(b, v->s.p, v->s.n);
		break;
	}
	return b->overflow ? DH_ETOOLONG : 0;
}

static int datum_jsonb(const struct dh_json_datum *d, int key, struct dh_arena *a,
		       struct dh_json *out, struct dh_err *err);

static int
array_jsonb(const struct dh_value *v, enum dh_json_cat elemcat, struct dh_arena *a,
	    struct dh_json *out, struct dh_err *err)
{
	memset(out, 0, sizeof(*out));
	out->kind = DH_JSON_ARRAY;
	out->n = v->coll->n;
	out->items = out->n ? dh_arena_zalloc(a, out->n * sizeof(struct dh_json)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		const struct dh_value *e = &v->coll->items[i];
		int rc;
		if (e->type == DH_T_COLL)
			rc = array_jsonb(e, elemcat, a, &out->items[i], err);
		else {
			struct dh_json_datum d = {e->type == DH_T_NONE ? DH_JCAT_NULL : elemcat,
						  DH_JCAT_NULL, *e};
			rc = datum_jsonb(&d, 0, a, &out->items[i], err);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static void
jstring(struct dh_json *out, const char *s, size_t n)
{
	memset(out, 0, sizeof(*out));
	out->kind = DH_JSON_STRING;
	out->s = s;
	out->sn = n;
}

/* datum_to_jsonb(): one value as a jsonb node. */
static int
datum_jsonb(const struct dh_json_datum *d, int key, struct dh_arena *a, struct dh_json *out,
	    struct dh_err *err)
{
	const struct dh_value *v = &d->v;
	memset(out, 0, sizeof(*out));
	if (d->cat == DH_JCAT_NULL || v->type == DH_T_NONE) {
		out->kind = DH_JSON_NULL;
		return 0;
	}
	if (key) {
		int rc = key_must_be_scalar(d, err);
		if (rc)
			return rc;
	}
	switch (d->cat) {
	case DH_JCAT_BOOL: {
		int t = v->type == DH_T_BOOL ? v->b : (v->s.n && (v->s.p[0] == 't' || v->s.p[0] == 'T'));
		if (key)
			jstring(out, t ? "true" : "false", t ? 4 : 5);
		else {
			out->kind = DH_JSON_BOOL;
			out->b = t;
		}
		return 0;
	}
	case DH_JCAT_NUMERIC:
		if (key || memchr(v->s.p, 'N', v->s.n) || memchr(v->s.p, 'n', v->s.n)) {
			jstring(out, v->s.p, v->s.n);
			return 0;
		}
		out->kind = DH_JSON_NUMBER;
		return dh_json_numeric(v->s.p, v->s.n, a, &out->s, &out->sn, err);
	case DH_JCAT_DATE:
	case DH_JCAT_TIMESTAMP:
	case DH_JCAT_TIMESTAMPTZ: {
		struct dh_buf t;
		dh_buf_init(&t, 0);
		encode_datetime(&t, v->s.p, v->s.n, d->cat);
		jstring(out, dh_arena_strndup(a, (char *)t.p, t.len), t.len);
		dh_buf_release(&t);
		return 0;
	}
	case DH_JCAT_JSON:
	case DH_JCAT_JSONB:
	case DH_JCAT_COMPOSITE: {
		struct dh_json *j;
		int rc = dh_json_parse(v->s.p, v->s.n, DH_JPARSE_JSONB, a, &j, err);
		if (!rc)
			*out = *j;
		return rc;
	}
	case DH_JCAT_ARRAY:
		return array_jsonb(v, d->elemcat, a, out, err);
	default:
		jstring(out, v->s.p, v->s.n);
		return 0;
	}
}

int
dh_to_json(enum dh_jtype t, const struct dh_json_datum *d, struct dh_arena *a,
	   struct dh_value *out, struct dh_err *err)
{
	int rc;
	set_null(out);
	if (d->v.type == DH_T_NONE)
		return 0; /* to_json is strict */
	if (t == DH_JSONB) {
		struct dh_json j;
		if ((rc = datum_jsonb(d, 0, a, &j, err)))
			return rc;
		return dh__jsonb_value(&j, a, out);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	rc = datum_json(&b, d, 0, err);
	if (!rc)
		set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}

int
dh_json_build_array(enum dh_jtype t, const struct dh_json_datum *args, size_t n,
		    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = 0;
	set_null(out);
	if (t == DH_JSONB) {
		struct dh_json arr = {.kind = DH_JSON_ARRAY, .n = n};
		arr.items = n ? dh_arena_zalloc(a, n * sizeof(struct dh_json)) : NULL;
		for (size_t i = 0; i < n; i++)
			if ((rc = datum_jsonb(&args[i], 0, a, &arr.items[i], err)))
				return rc;
		return dh__jsonb_value(&arr, a, out);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (size_t i = 0; i < n && !rc; i++) {
		if (i)
			dh_buf_add(&b, ", ", 2);
		rc = datum_json(&b, &args[i], 0, err);
	}
	dh_buf_addc(&b, ']');
	if (!rc)
		set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}

int
dh_json_build_object(enum dh_jtype t, const struct dh_json_datum *args, size_t n,
		     struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = 0;
	const char *fn = t == DH_JSONB ? "jsonb_build_object" : "json_build_object";
	set_null(out);
	if (n % 2) {
		rc = dh_err_sql(err, "22023", "argument list must have even number of elements");
		dh_err_hint(err,
			    "The arguments of %s() must consist of alternating keys and values.",
			    fn);
		return rc;
	}
	for (size_t i = 0; i < n; i += 2) {
		if (args[i].cat == DH_JCAT_NULL || args[i].v.type == DH_T_NONE) {
			if (t == DH_JSONB)
				return dh_err_sql(err, "22023", "argument %zu: key must not be null",
						  i + 1);
			rc = dh_err_sql(err, "22023", "argument %zu cannot be null", i + 1);
			dh_err_hint(err, "Object keys should be text.");
			return rc;
		}
	}
	if (t == DH_JSONB) {
		struct dh_json obj = {.kind = DH_JSON_OBJECT, .n = n / 2};
		obj.items = n ? dh_arena_zalloc(a, n * sizeof(struct dh_json)) : NULL;
		for (size_t i = 0; i < n; i++)
			if ((rc = datum_jsonb(&args[i], i % 2 == 0, a, &obj.items[i], err)))
				return rc;
		dh__json_object_normalise(&obj);
		return dh__jsonb_value(&obj, a, out);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '{');
	for (size_t i = 0; i < n && !rc; i += 2) {
		if (i)
			dh_buf_add(&b, ", ", 2);
		rc = datum_json(&b, &args[i], 1, err);
		if (rc)
			break;
		dh_buf_add(&b, " : ", 3);
		rc = datum_json(&b, &args[i + 1], 0, err);
	}
	dh_buf_addc(&b, '}');
	if (!rc)
		set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}

int
dh_json_agg(enum dh_jtype t, const struct dh_json_datum *vals, size_t n, struct dh_arena *a,
	    struct dh_value *out, struct dh_err *err)
{
	int rc = 0;
	set_null(out);
	if (n == 0)
		return 0;
	if (t == DH_JSONB)
		return dh_json_build_array(t, vals, n, a, out, err);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (size_t i = 0; i < n && !rc; i++) {
		if (i) {
			dh_buf_add(&b, ", ", 2);
			if (vals[i].v.type != DH_T_NONE &&
			    (vals[i].cat == DH_JCAT_ARRAY || vals[i].cat == DH_JCAT_COMPOSITE))
				dh_buf_add(&b, "\n ", 2);
		}
		rc = datum_json(&b, &vals[i], 0, err);
	}
	dh_buf_addc(&b, ']');
	if (!rc)
		set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}

int
dh_json_object_agg(enum dh_jtype t, const struct dh_json_datum *keys,
		   const struct dh_json_datum *vals, size_t n, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err)
{
	int rc = 0;
	set_null(out);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (keys[i].cat == DH_JCAT_NULL || keys[i].v.type == DH_T_NONE)
			return dh_err_sql(err, "22023", "field name must not be null");
	if (t == DH_JSONB) {
		struct dh_json obj = {.kind = DH_JSON_OBJECT, .n = n};
		obj.items = dh_arena_zalloc(a, 2 * n * sizeof(struct dh_json));
		for (size_t i = 0; i < n; i++) {
			if ((rc = datum_jsonb(&keys[i], 1, a, &obj.items[2 * i], err)) ||
			    (rc = datum_jsonb(&vals[i], 0, a, &obj.items[2 * i + 1], err)))
				return rc;
		}
		dh__json_object_normalise(&obj);
		return dh__jsonb_value(&obj, a, out);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_add(&b, "{ ", 2);
	for (size_t i = 0; i < n && !rc; i++) {
		if (i)
			dh_buf_add(&b, ", ", 2);
		if ((rc = datum_json(&b, &keys[i], 1, err)))
			break;
		dh_buf_add(&b, " : ", 3);
		rc = datum_json(&b, &vals[i], 0, err);
	}
	dh_buf_add(&b, " }", 2);
	if (!rc)
		set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}

int
dh_json_row(enum dh_jtype t, const char *const *names, const struct dh_json_datum *vals, size_t n,
	    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = 0;
	set_null(out);
	if (t == DH_JSONB) {
		struct dh_json obj = {.kind = DH_JSON_OBJECT, .n = n};
		obj.items = n ? dh_arena_zalloc(a, 2 * n * sizeof(struct dh_json)) : NULL;
		for (size_t i = 0; i < n; i++) {
			jstring(&obj.items[2 * i], names[i], strlen(names[i]));
			if ((rc = datum_jsonb(&vals[i], 0, a, &obj.items[2 * i + 1], err)))
				return rc;
		}
		dh__json_object_normalise(&obj);
		return dh__jsonb_value(&obj, a, out);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '{');
	for (size_t i = 0; i < n && !rc; i++) {
		if (i)
			dh_buf_addc(&b, ',');
		dh_json_write_string(&b, names[i], strlen(names[i]));
		dh_buf_addc(&b, ':');
		rc = datum_json(&b, &vals[i], 0, err);
	}
	dh_buf_addc(&b, '}');
	if (!rc)
		set_buf(out, a, &b);
	dh_buf_release(&b);
	return rc;
}
