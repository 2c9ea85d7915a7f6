/*
 * qexec: the planner and executor of queries (see query-int.h).
 *
 * A clause list is evaluated from a seed relation.  Each step the planner
 * (plan_next) picks, among the clauses that are ready, the cheapest by
 * estimates: predicates and functions as soon as their inputs are bound,
 * then data patterns connected to what is bound (a cartesian product only
 * when nothing connected is left), or/not/rule calls when their join
 * variables are.  A pattern joins by index lookups per row (bound values
 * pushed into the index prefix, comparison predicates on a pattern's value
 * into a range) or by a scan and a hash join, whichever the estimates say
 * is cheaper.  Estimates come from the per-attribute counts the store keeps
 * and from short probes of the indexes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pull.h"
#include "query-int.h"

/* --- relations --- */

struct rel {
	int ncols;
	int *cols; /* variable per column */
	size_t n, cap;
	struct dh_value *d; /* n * ncols */
};

static struct rel *
rel_new(int ncols, const int *cols)
{
	struct rel *r = xcalloc(1, sizeof(*r));
	r->ncols = ncols;
	r->cols = xmalloc((size_t)(ncols ? ncols : 1) * sizeof(int));
	if (ncols)
		memcpy(r->cols, cols, (size_t)ncols * sizeof(int));
	return r;
}

static void
rel_free(struct rel *r)
{
	if (!r)
		return;
	free(r->cols);
	free(r->d);
	free(r);
}

static struct dh_value *
rel_push(struct rel *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->d = xrealloc(r->d, r->cap * (size_t)(r->ncols ? r->ncols : 1) * sizeof(*r->d));
	}
	return &r->d[r->n++ * (size_t)r->ncols];
}

static inline struct dh_value *
rel_row(const struct rel *r, size_t i)
{
	return &r->d[i * (size_t)r->ncols];
}

static int
rel_col(const struct rel *r, int var)
{
	for (int i = 0; i < r->ncols; i++)
		if (r->cols[i] == var)
			return i;
	return -1;
}

static struct rel *
rel_unit(void)
{
	struct rel *r = rel_new(0, NULL);
	rel_push(r);
	return r;
}

/* --- hashing rows on some columns --- */

struct rowhash {
	size_t mask;
	size_t *head; /* bucket -> row index + 1 */
	size_t *next; /* row -> next row index + 1 */
};

static uint64_t
key_hash(const struct dh_value *row, const int *kc, int nk)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < nk; i++)
		h = (h ^ q_value_hash(&row[kc[i]])) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static int
key_eq(const struct dh_value *a, const int *ac, const struct dh_value *b, const int *bc, int nk)
{
	for (int i = 0; i < nk; i++)
		if (!dh_value_eq(&a[ac[i]], &b[bc[i]]))
			return 0;
	return 1;
}

static void
rowhash_build(struct rowhash *h, const struct rel *r, const int *kc, int nk)
{
	size_t sz = 16;
	while (sz < 2 * r->n)
		sz <<= 1;
	h->mask = sz - 1;
	h->head = xcalloc(sz, sizeof(size_t));
	h->next = xcalloc(r->n ? r->n : 1, sizeof(size_t));
	for (size_t i = r->n; i-- > 0;) {
		size_t b = key_hash(rel_row(r, i), kc, nk) & h->mask;
		h->next[i] = h->head[b];
		h->head[b] = i + 1;
	}
}

static void
rowhash_free(struct rowhash *h)
{
	free(h->head);
	free(h->next);
}

/* A growing set of rows (for distinct projections and fixpoints). */
struct rowset {
	struct rel *r;
	size_t mask, used;
	size_t *slot; /* row index + 1 */
	int *all;     /* 0..ncols-1 */
};

static void
rowset_init(struct rowset *s, struct rel *r)
{
	s->r = r;
	s->mask = 63;
	s->used = 0;
	s->slot = xcalloc(64, sizeof(size_t));
	s->all = xmalloc((size_t)(r->ncols ? r->ncols : 1) * sizeof(int));
	for (int i = 0; i < r->ncols; i++)
		s->all[i] = i;
}

static void
rowset_free(struct rowset *s)
{
	free(s->slot);
	free(s->all);
}

static void
rowset_grow(struct rowset *s)
{
	size_t nsz = 2 * (s->mask + 1);
	size_t *ns = xcalloc(nsz, sizeof(size_t));
	for (size_t i = 0; i <= s->mask; i++) {
		if (!s->slot[i])
			continue;
		size_t b = key_hash(rel_row(s->r, s->slot[i] - 1), s->all, s->r->ncols) & (nsz - 1);
		while (ns[b])
			b = (b + 1) & (nsz - 1);
		ns[b] = s->slot[i];
	}
	free(s->slot);
	s->slot = ns;
	s->mask = nsz - 1;
}

/* Is row (ncols values) in the set?  With add, append it when not. 1: was there. */
static int
rowset_put(struct rowset *s, const struct dh_value *row, int add)
{
	if (add && 2 * (s->used + 1) > s->mask + 1)
		rowset_grow(s);
	size_t b = key_hash(row, s->all, s->r->ncols) & s->mask;
	while (s->slot[b]) {
		if (key_eq(rel_row(s->r, s->slot[b] - 1), s->all, row, s->all, s->r->ncols))
			return 1;
		b = (b + 1) & s->mask;
	}
	if (add) {
		struct dh_value *d = rel_push(s->r);
		memcpy(d, row, (size_t)s->r->ncols * sizeof(*d));
		s->slot[b] = s->r->n;
		s->used++;
	}
	return 0;
}

struct qx;
static int check_cancel(struct qx *x);

/* Distinct projection of r onto vars (all must be columns of r), or NULL
 * when the cancel flag is set meanwhile (DH_ECANCELED in x->err): r can
 * be large, and hashing every row costs more than making it did. */
static struct rel *
rel_project(struct qx *x, const struct rel *r, const int *vars, int nv, int dedupe)
{
	struct rel *out = rel_new(nv, vars);
	struct rowset s;
	rowset_init(&s, out);
	int *pc = xmalloc((size_t)(nv ? nv : 1) * sizeof(int));
	for (int i = 0; i < nv; i++)
		pc[i] = rel_col(r, vars[i]);
	struct dh_value *tmp = xmalloc((size_t)(nv ? nv : 1) * sizeof(*tmp));
	for (size_t i = 0; i < r->n && out; i++) {
		if (check_cancel(x)) {
			rel_free(out);
			out = NULL;
			break;
		}
		const struct dh_value *row = rel_row(r, i);
		if (!dedupe) {
			/* the caller knows the rows are distinct: no hashing */
			struct dh_value *o = rel_push(out);
			for (int j = 0; j < nv; j++)
				o[j] = row[pc[j]];
			continue;
		}
		for (int j = 0; j < nv; j++)
			tmp[j] = row[pc[j]];
		rowset_put(&s, tmp, 1);
	}
	free(tmp);
	free(pc);
	rowset_free(&s);
	return out;
}

/* Natural join of r and p on their shared variables, into *out.  A join on
 * no variables is a cartesian product, as large as the inputs multiplied,
 * so it polls env.cancel: 0 or DH_ECANCELED (*out NULL). */
static int
rel_join(struct qx *x, const struct rel *r, const struct rel *p, struct rel **out)
{
	int rc = 0;
	int nk = 0, *rk = xmalloc((size_t)(p->ncols + 1) * sizeof(int)),
	    *pk = xmalloc((size_t)(p->ncols + 1) * sizeof(int));
	int nextra = 0, *extra = xmalloc((size_t)(p->ncols + 1) * sizeof(int));
	for (int j = 0; j < p->ncols; j++) {
		int c = rel_col(r, p->cols[j]);
		if (c >= 0) {
			rk[nk] = c;
			pk[nk++] = j;
		} else {
			extra[nextra++] = j;
		}
	}
	int *cols = xmalloc((size_t)(r->ncols + nextra + 1) * sizeof(int));
	memcpy(cols, r->cols, (size_t)r->ncols * sizeof(int));
	for (int j = 0; j < nextra; j++)
		cols[r->ncols + j] = p->cols[extra[j]];
	struct rel *res = rel_new(r->ncols + nextra, cols);
	free(cols);
	struct rowhash h;
	rowhash_build(&h, p, pk, nk);
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		const struct dh_value *row = rel_row(r, i);
		size_t b = key_hash(row, rk, nk) & h.mask;
		for (size_t k = h.head[b]; k; k = h.next[k - 1]) {
			const struct dh_value *prow = rel_row(p, k - 1);
			if (!key_eq(row, rk, prow, pk, nk))
				continue;
			if ((rc = check_cancel(x)))
				break;
			struct dh_value *o = rel_push(res);
			row = rel_row(r, i);
			memcpy(o, row, (size_t)r->ncols * sizeof(*o));
			for (int j = 0; j < nextra; j++)
				o[r->ncols + j] = prow[extra[j]];
		}
	}
	rowhash_free(&h);
	free(rk);
	free(pk);
	free(extra);
	if (rc) {
		rel_free(res);
		res = NULL;
	}
	*out = res;
	return rc;
}

/* --- the execution context --- */

struct attr_stats {
	uint64_t a;
	uint64_t count;
	double ndv;   /* distinct values, estimated; 0: unknown yet */
	double fanout; /* values per entity, estimated; 0: unknown yet */
};

struct qsrc {
	struct dh_view *view;
	const struct dh_schema *schema;
	struct dh_iter *it[DH_INDEX__COUNT];
	struct attr_stats *stats;
	size_t nstats;
	uint64_t total; /* datoms, estimated */
};

struct fixrel {
	int rule, src;
	struct rel *r;
};

struct qx {
	struct dh_query *q;
	const struct dh_query_env *env;
	struct dh_arena *a;
	struct dh_err *err;
	int nsrc;
	struct qsrc src[DH_QUERY_MAX_SOURCES];
	/* rules */
	struct fixrel *fix;
	size_t nfix;
	int cur_scc;              /* SCC being computed, -1 none */
	struct rel **scc_full;    /* per rule id, while computing cur_scc */
	struct rel **scc_delta;
	const struct clause *delta_clause;
	int depth;
	/* explain */
	struct dh_buf *explain;
	/* the planner's count of a pattern's constant value, per clause */
	struct probe {
		const struct clause *c;
		int src;
		double n;
	} *probes;
	size_t nprobes, aprobes;
	/* pull: per :find element (and one for a standalone pull), made once */
	struct dh_puller **pullers;
	int npullers;
};

/* Every step reads the flag: a load beside a step's work, and a step can
 * be costly (an SQL predicate over a large value) where one in 1024 left
 * seconds between reads. */
static int
check_cancel(struct qx *x)
{
	if (x->env->cancel && *x->env->cancel)
		return dh_err_canceled(x->err, *x->env->cancel);
	return 0;
}

static int
get_iter(struct qx *x, int src, enum dh_index idx, const struct dh_datom *pat, int ncomp,
	 const struct dh_value *from, struct dh_iter **out)
{
	struct qsrc *s = &x->src[src];
	int rc;
	if (!s->it[idx])
		rc = dh_iter_open(s->view, idx, pat, ncomp, x->a, &s->it[idx], x->err);
	else
		rc = 0;
	if (rc == 0 && (from || s->it[idx]))
		rc = dh_iter_seek(s->it[idx], pat, ncomp, from, x->err);
	*out = s->it[idx];
	return rc;
}

static struct attr_stats *
stats_of(struct qx *x, int src, const struct dh_attr *at)
{
	struct qsrc *s = &x->src[src];
	for (size_t i = 0; i < s->nstats; i++)
		if (s->stats[i].a == at->id)
			return &s->stats[i];
	s->stats = xrealloc(s->stats, (s->nstats + 1) * sizeof(*s->stats));
	struct attr_stats *st = &s->stats[s->nstats++];
	memset(st, 0, sizeof(*st));
	st->a = at->id;
	uint64_t n = 0;
	struct dh_err e;
	if (dh_view_attr_count(s->view, at->id, &n, &e) == 0)
		st->count = n;
	return st;
}

/* Sample the first datoms of an attribute in AVET and AEVT for the number
 * of distinct values and values per entity. */
static void
stats_sample(struct qx *x, int src, const struct dh_attr *at, struct attr_stats *st)
{
	enum { SAMPLE = 256, HOPS = 64 };
	if (st->ndv > 0)
		return;
	st->ndv = (double)st->count;
	st->fanout = 1;
	if (at->unique || st->count <= 1)
		return;
	struct dh_datom pat = {.a = at->id}, d;
	struct dh_iter *it;
	struct dh_err e;
	struct dh_arena tmp;
	dh_arena_init(&tmp);
	if (dh_iter_open(x->src[src].view, DH_AVET, &pat, 1, &tmp, &it, &e) == 0) {
		struct dh_value last = {0};
		int seen = 0, distinct = 0, hops = 0, r;
		while (seen < SAMPLE && dh_iter_next(it, &d, &e) == 1) {
			if (!seen || !dh_value_eq(&last, &d.v))
				distinct++;
			last = d.v;
			seen++;
		}
		if (seen)
			st->ndv = (double)st->count * distinct / seen;
		/* The first values alone mislead when a few values have many
		 * datoms each (:sex): hop from value to value, and if the
		 * hops reach the end, the count of values is exact. */
		if (seen == SAMPLE) {
			hops = 1;
			while (hops <= HOPS && dh_iter_seek_past(it, &pat, 1, &last, &e) == 0 &&
			       (r = dh_iter_next(it, &d, &e)) == 1) {
				last = d.v;
				hops++;
			}
			if (hops <= HOPS)
				st->ndv = hops;
			else if (st->ndv < hops)
				st->ndv = hops;
		}
		dh_iter_close(it);
	}
	if (at->many && dh_iter_open(x->src[src].view, DH_AEVT, &pat, 1, &tmp, &it, &e) == 0) {
		uint64_t laste = 0;
		int seen = 0, ents = 0;
		while (seen < SAMPLE && dh_iter_next(it, &d, &e) == 1) {
			if (!seen || d.e != laste)
				ents++;
			laste = d.e;
			seen++;
		}
		if (ents)
			st->fanout = (double)seen / ents;
		dh_iter_close(it);
	}
	dh_arena_release(&tmp);
	if (st->ndv < 1)
		st->ndv = 1;
}

/* --- resolving constants of patterns against a source --- */

/* Entity id of a value in e position: a long, an ident keyword, a lookup
 * ref [:attr value].  0: no such entity. */
static int
resolve_eid(struct qx *x, int src, const struct dh_value *v, const struct dh_edn *at,
	    uint64_t *out)
{
	const struct dh_schema *s = x->src[src].schema;
	*out = 0;
	if (v->type == DH_T_LONG) {
		*out = v->i > 0 ? (uint64_t)v->i : 0;
		return 0;
	}
	if (v->type == DH_T_KEYWORD) {
		const struct dh_ident *id = dh_schema_ident(s, v->s.p, v->s.n);
		if (id)
			*out = id->e;
		return 0;
	}
	if (v->type == DH_T_COLL && v->coll->kind == DH_COLL_VECTOR && v->coll->n == 2 &&
	    v->coll->items[0].type == DH_T_KEYWORD) {
		const struct dh_value *k = &v->coll->items[0];
		const struct dh_attr *a = dh_schema_attr(s, k->s.p, k->s.n);
		if (!a)
			return q_err(x->q, x->err, DH_ENOATTR, at, "attribute :%.*s does not exist",
				     (int)k->s.n, k->s.p);
		if (!a->unique)
			return q_err(x->q, x->err, DH_EBADQUERY, at,
				     "lookup ref attribute :%s is not unique", a->ident);
		struct dh_value want = v->coll->items[1];
		if (a->type == DH_T_REF) {
			uint64_t r;
			int rc = resolve_eid(x, src, &want, at, &r);
			if (rc || !r)
				return rc;
			want = (struct dh_value){.type = DH_T_REF, .ref = r};
		} else if (a->type == DH_T_DOUBLE && want.type == DH_T_LONG) {
			want = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)want.i};
		}
		struct dh_datom pat = {.a = a->id, .v = want}, d;
		struct dh_iter *it;
		int rc = get_iter(x, src, DH_AVET, &pat, 2, NULL, &it);
		if (rc)
			return rc;
		rc = dh_iter_next(it, &d, x->err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			*out = d.e;
		return 0;
	}
	if (v->type == DH_T_NONE)
		return 0;
	return q_err(x->q, x->err, DH_EDATATYPE, at,
		     "expected an entity id, an ident or a lookup ref, got a %s",
		     v->type == DH_T_COLL ? "collection" : dh_type_name(v->type));
}

/* Convert a value for matching the v position of attribute at: refs to
 * entity ids, numbers to the attribute's type.  Returns 1 convertible, 0 no
 * datom can match, < 0 error. */
static int
value_for_attr(struct qx *x, int src, const struct dh_attr *at, const struct dh_value *v,
	       const struct dh_edn *form, struct dh_value *out)
{
	*out = *v;
	if (!at || at->type == DH_T_NONE)
		return v->type != DH_T_NONE && v->type != DH_T_COLL;
	if (at->type == DH_T_REF) {
		uint64_t e;
		int rc = resolve_eid(x, src, v, form, &e);
		if (rc)
			return rc;
		if (!e)
			return 0;
		*out = (struct dh_value){.type = DH_T_REF, .ref = e};
		return 1;
	}
	if (v->type == at->type)
		return 1;
	if (at->type == DH_T_DOUBLE && v->type == DH_T_LONG) {
		*out = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)v->i};
		return 1;
	}
	return 0;
}

/* A value out of the index, as the engine sees it. */
static inline void
out_value(const struct dh_value *in, struct dh_value *o)
{
	if (in->type == DH_T_REF) {
		o->type = DH_T_LONG;
		o->i = (int64_t)in->ref;
	} else {
		*o = *in;
	}
}

static const struct dh_attr *
attr_of_value(struct qx *x, int src, const struct dh_value *v)
{
	const struct dh_schema *s = x->src[src].schema;
	if (v->type == DH_T_KEYWORD)
		return dh_schema_attr(s, v->s.p, v->s.n);
	if (v->type == DH_T_LONG && v->i > 0)
		return dh_schema_attr_id(s, (uint64_t)v->i);
	return NULL;
}

/* --- planning --- */

enum method { M_NONE, M_LOOKUP, M_SCAN_JOIN, M_FILTER, M_BIND, M_NOT, M_OR, M_RULE };

struct choice {
	int ci; /* clause index */
	enum method m;
	enum dh_index idx;
	int ncomp;
	double est_rows; /* rows after the step */
	double per_row;  /* matches per input row (lookups) */
	double cost;
	/* a range on the value of an attribute scan */
	int has_lo, has_hi, lo_incl, hi_incl;
	struct dh_value lo, hi;
};

static int
term_bound(const struct term *t, const struct vset *b)
{
	return t->k == TK_CONST || (t->k == TK_VAR && vs_has(b, t->var));
}

/* Is source src bound?  A query whose :in names no source at all ([:find
 * ?x :in ?y ...]) has none, yet its patterns and pulls read "$". */
static int
need_src(struct qx *x, int src, const struct dh_edn *at)
{
	if (x->src[src].view)
		return 0;
	return q_err(x->q, x->err, DH_EUSAGE, at, "no database was given for %s",
		     src < x->q->nsrcnames ? x->q->srcnames[src] : "$");
}

/* The attribute of a pattern when its a position is a constant.  Every use
 * of a pattern starts here, so this is where an unbound source is caught. */
static int
pattern_attr(struct qx *x, const struct clause *c, int src, const struct dh_attr **out)
{
	*out = NULL;
	int rc = need_src(x, src, c->form);
	if (rc)
		return rc;
	const struct term *ta = &c->t[1];
	if (ta->k != TK_CONST)
		return 0;
	const struct dh_attr *a = attr_of_value(x, src, &ta->val);
	if (!a) {
		if (ta->val.type == DH_T_KEYWORD)
			return q_err(x->q, x->err, DH_ENOATTR, ta->form,
				     "attribute :%.*s does not exist", (int)ta->val.s.n,
				     ta->val.s.p);
		return q_err(x->q, x->err, DH_ENOATTR, ta->form,
			     "the attribute position needs an attribute ident or id");
	}
	*out = a;
	return 0;
}

static int
clause_src(struct qx *x, const struct clause *c, int dflt)
{
	(void)x;
	return c->src ? c->src : dflt;
}

/* Estimate a pattern: index, prefix length, matches per bound row. */
static int
estimate_pattern(struct qx *x, const struct clause *c, int src, const struct vset *bound,
		 enum dh_index *idx, int *ncomp, double *per_row, int consts_only)
{
	const struct dh_attr *at;
	int rc = pattern_attr(x, c, src, &at);
	if (rc)
		return rc;
	struct vset none;
	memset(&none, 0, sizeof(none));
	const struct vset *b = consts_only ? &none : bound;
	int eb = term_bound(&c->t[0], b), ab = term_bound(&c->t[1], b),
	    vb = term_bound(&c->t[2], b);
	double total = (double)(x->src[src].total ? x->src[src].total : 1000);
	/* the datom count is at hand; the sample (values per entity, distinct
	 * values) is read only where the estimate needs it: a point lookup
	 * does not */
	struct attr_stats *st = at ? stats_of(x, src, at) : NULL;
	double cnt = st ? (double)st->count : total;
	if (eb && ab) {
		*idx = DH_EAVT;
		*ncomp = vb ? 3 : 2;
		if (!vb && at && at->many)
			stats_sample(x, src, at, st);
		*per_row = vb ? 0.9 : (at && at->many ? st->fanout : 1);
	} else if (eb) {
		*idx = DH_EAVT;
		*ncomp = 1;
		*per_row = 8;
	} else if (ab && vb) {
		*idx = DH_AVET;
		*ncomp = 2;
		if (at && !at->unique && c->t[2].k != TK_CONST)
			stats_sample(x, src, at, st);
		*per_row = at ? (at->unique ? 1 : c->t[2].k == TK_CONST ? 1 : cnt / st->ndv) : cnt / 10;
		if (at && c->t[2].k == TK_CONST && !at->unique) {
			/* a constant value: count it, up to a bound, once per clause */
			size_t pi = 0;
			while (pi < x->nprobes && (x->probes[pi].c != c || x->probes[pi].src != src))
				pi++;
			if (pi < x->nprobes) {
				*per_row = x->probes[pi].n;
				return 0;
			}
			struct dh_value v;
			int ok = value_for_attr(x, src, at, &c->t[2].val, c->t[2].form, &v);
			if (ok < 0)
				return ok;
			double n = 0;
			if (ok) {
				struct dh_datom pat = {.a = at->id, .v = v}, d;
				struct dh_iter *it;
				struct dh_arena tmp;
				struct dh_err e;
				dh_arena_init(&tmp);
				if (dh_iter_open(x->src[src].view, DH_AVET, &pat, 2, &tmp, &it, &e) ==
				    0) {
					while (n < 1000 && dh_iter_next(it, &d, &e) == 1)
						n++;
					dh_iter_close(it);
				}
				dh_arena_release(&tmp);
				if (n >= 1000) {
					stats_sample(x, src, at, st);
					if (cnt / st->ndv > n)
						n = cnt / st->ndv;
				}
			}
			if (x->nprobes == x->aprobes) {
				x->aprobes = x->aprobes ? 2 * x->aprobes : 8;
				x->probes = xrealloc(x->probes, x->aprobes * sizeof(*x->probes));
			}
			x->probes[x->nprobes++] = (struct probe){c, src, n};
			*per_row = n;
		}
	} else if (ab) {
		*idx = DH_AEVT;
		*ncomp = 1;
		*per_row = cnt;
	} else {
		*idx = DH_EAVT;
		*ncomp = 0;
		*per_row = vb ? total / 100 : total;
	}
	return 0;
}

/* The bound of a range that a variable bound in r gives: its least value
 * (lo) or its greatest (hi) over r's rows, when r is small and every value
 * has the attribute's type.  The predicate still filters afterwards, so a
 * range that covers every row's bound is enough. */
static const struct dh_value *
bound_extreme(const struct rel *r, int var, int lo, enum dh_type type)
{
	int col = r ? rel_col(r, var) : -1;
	if (col < 0 || r->n == 0 || r->n > 1024)
		return NULL;
	const struct dh_value *best = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct dh_value *v = &rel_row(r, i)[col];
		if (v->type != type)
			return NULL;
		if (!best || (lo ? dh_value_cmp(v, best) < 0 : dh_value_cmp(v, best) > 0))
			best = v;
	}
	return best;
}

/* Comparison predicates on a variable and a constant (or a variable bound
 * in r), for range scans. */
static void
find_range(struct qx *x, struct clause **cl, int n, const char *done, int var,
	   const struct dh_attr *at, const struct rel *r, struct choice *ch)
{
	for (int i = 0; i < n; i++) {
		const struct clause *c = cl[i];
		if (done[i] || c->k != CK_PRED || c->nt != 2)
			continue;
		const char *nm = q_fn_name(c->fn);
		int op; /* 0 <, 1 <=, 2 >, 3 >= */
		if (strcmp(nm, "<") == 0)
			op = 0;
		else if (strcmp(nm, "<=") == 0)
			op = 1;
		else if (strcmp(nm, ">") == 0)
			op = 2;
		else if (strcmp(nm, ">=") == 0)
			op = 3;
		else
			continue;
		const struct term *l = &c->t[0], *rt = &c->t[1], *other;
		if (l->k == TK_VAR && l->var == var) {
			other = rt;
		} else if (rt->k == TK_VAR && rt->var == var) {
			other = l;
			op ^= 2; /* c < ?v  is  ?v > c */
		} else {
			continue;
		}
		const struct dh_value *k = NULL;
		if (other->k == TK_CONST)
			k = &other->val;
		else if (other->k == TK_VAR && other->var != var)
			k = bound_extreme(r, other->var, op >= 2, at->type);
		if (!k || k->type != at->type)
			continue;
		if (op >= 2) {
			if (!ch->has_lo || dh_value_cmp(k, &ch->lo) > 0) {
				ch->has_lo = 1;
				ch->lo = *k;
				ch->lo_incl = op == 3;
			}
		} else {
			if (!ch->has_hi || dh_value_cmp(k, &ch->hi) < 0) {
				ch->has_hi = 1;
				ch->hi = *k;
				ch->hi_incl = op == 1;
			}
		}
	}
	(void)x;
}

static int
fn_ready(const struct clause *c, const struct vset *b)
{
	for (int i = 0; i < c->nt; i++)
		if (c->t[i].k == TK_VAR && !vs_has(b, c->t[i].var))
			return 0;
	return 1;
}

static int
shares(const struct vset *a, const struct vset *b)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(a->w); i++)
		if (a->w[i] & b->w[i])
			return 1;
	return 0;
}

struct rule;
static struct rule *find_rule(struct qx *x, const char *name);

/* The variables of a not / or clause that join with the outside: explicit
 * ones, or those also used outside it (needed). */
static void
join_vars(const struct clause *c, const struct vset *outside, int nvars, int *out, int *n)
{
	*n = 0;
	if (c->explicit_join || c->k == CK_OR) {
		for (int i = 0; i < c->njoin; i++)
			out[(*n)++] = c->join[i];
		return;
	}
	for (int v = 0; v < nvars; v++)
		if (vs_has(&c->vars, v) && vs_has(outside, v))
			out[(*n)++] = v;
}

/* Pick the next step for clause list cl given the bound variables and the
 * current number of rows.  outside: variables needed outside each clause
 * (used by not).  Returns 0 with ch->ci = -1 when no clause is ready. */
static int
plan_next(struct qx *x, struct clause **cl, int n, const char *done, const struct vset *bound,
	  const struct rel *cur, double rows, int dflt_src, const struct vset *outside_of_all,
	  int nvars, struct choice *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->ci = -1;
	int any_bound = 0;
	for (size_t i = 0; i < DH_ARRAY_SIZE(bound->w); i++)
		any_bound |= bound->w[i] != 0;
	/* 1. filters and functions whose inputs are bound: at once */
	for (int i = 0; i < n; i++) {
		if (done[i])
			continue;
		const struct clause *c = cl[i];
		if ((c->k == CK_PRED || c->k == CK_FN) && fn_ready(c, bound)) {
			ch->ci = i;
			ch->m = c->k == CK_PRED ? M_FILTER : M_BIND;
			ch->est_rows = c->k == CK_PRED ? rows * 0.5 : rows;
			return 0;
		}
	}
	/* 2. not, when its join variables are bound */
	for (int i = 0; i < n; i++) {
		if (done[i] || cl[i]->k != CK_NOT)
			continue;
		struct vset outside = *outside_of_all;
		for (int j = 0; j < n; j++)
			if (j != i)
				for (size_t w = 0; w < DH_ARRAY_SIZE(outside.w); w++)
					outside.w[w] |= cl[j]->vars.w[w];
		int jv[Q_MAXVARS], nj, ok = 1;
		join_vars(cl[i], &outside, nvars, jv, &nj);
		for (int k = 0; k < nj; k++)
			ok &= vs_has(bound, jv[k]);
		if (ok) {
			ch->ci = i;
			ch->m = M_NOT;
			ch->est_rows = rows * 0.5;
			return 0;
		}
	}
	/* 3. the cheapest pattern, or/rule call: connected ones first */
	double best = -1;
	int best_conn = 0;
	for (int i = 0; i < n; i++) {
		if (done[i])
			continue;
		const struct clause *c = cl[i];
		struct choice cand;
		memset(&cand, 0, sizeof(cand));
		cand.ci = i;
		int conn = !any_bound || rows <= 1 || shares(&c->vars, bound);
		if (c->k == CK_PAT) {
			int src = clause_src(x, c, dflt_src);
			enum dh_index idx, sidx;
			int ncomp, sncomp;
			double per, sper;
			int rc = estimate_pattern(x, c, src, bound, &idx, &ncomp, &per, 0);
			if (rc)
				return rc;
			rc = estimate_pattern(x, c, src, bound, &sidx, &sncomp, &sper, 1);
			if (rc)
				return rc;
			/* range on the value of an attribute scan */
			const struct dh_attr *at = NULL;
			pattern_attr(x, c, src, &at);
			if (at && sidx == DH_AEVT && c->t[2].k == TK_VAR &&
			    !vs_has(bound, c->t[2].var) && at->type != DH_T_REF) {
				find_range(x, cl, n, done, c->t[2].var, at, cur, &cand);
				if (cand.has_lo || cand.has_hi) {
					sidx = DH_AVET;
					sper = sper / 3;
				}
			}
			double lookup = rows * (4 + per);
			double scan = sper + rows;
			if (ncomp > sncomp && lookup <= scan) {
				cand.m = M_LOOKUP;
				cand.idx = idx;
				cand.ncomp = ncomp;
				cand.cost = lookup;
				cand.per_row = per;
				cand.est_rows = rows * per;
				cand.has_lo = cand.has_hi = 0;
			} else {
				cand.m = M_SCAN_JOIN;
				cand.idx = sidx;
				cand.ncomp = sncomp;
				cand.cost = scan;
				cand.per_row = sper;
				cand.est_rows = ncomp > sncomp ? rows * per : rows * sper;
			}
		} else if (c->k == CK_OR || c->k == CK_RULE) {
			/* required variables first */
			int ok = 1;
			if (c->k == CK_OR)
				for (int k = 0; k < c->nreq; k++)
					ok &= vs_has(bound, c->join[k]);
			if (!ok)
				continue;
			int nb = 0;
			for (int k = 0; k < c->nt; k++)
				nb += term_bound(&c->t[k], bound);
			cand.m = c->k == CK_OR ? M_OR : M_RULE;
			cand.cost = (shares(&c->vars, bound) || nb ? rows * 20 : 1e6) + 10;
			cand.est_rows = rows * 4;
			if (c->k == CK_RULE) {
				struct rule *ru = find_rule(x, c->name);
				if (ru && ru->b[0].nreq)
					for (int k = 0; k < ru->b[0].nreq && k < c->nt; k++)
						ok &= term_bound(&c->t[k], bound);
				if (!ok)
					continue;
			}
		} else {
			continue;
		}
		if (best < 0 || (conn && !best_conn) || (conn == best_conn && cand.cost < best)) {
			best = cand.cost;
			best_conn = conn;
			*ch = cand;
		}
	}
	return 0;
}

/* --- executing steps --- */

static int eval_list(struct qx *x, struct clause **cl, int n, struct rel *seed, int dflt_src,
		     const struct vset *needed, int nvars, const char **names, struct rel **out);

/* An empty relation over the distinct variables of a pattern. */
static struct rel *
pattern_rel(const struct clause *c)
{
	int sc[5], ns = 0;
	for (int i = 0; i < 5; i++)
		if (c->t[i].k == TK_VAR) {
			int dup = 0;
			for (int j = 0; j < ns; j++)
				dup |= sc[j] == c->t[i].var;
			if (!dup)
				sc[ns++] = c->t[i].var;
		}
	return rel_new(ns, sc);
}

/* Join a data pattern into r. */
static int
step_pattern(struct qx *x, const struct clause *c, const struct choice *ch, int src,
	     struct rel *r, struct rel **out)
{
	int rc;
	const struct dh_attr *at = NULL;
	if ((rc = pattern_attr(x, c, src, &at)))
		return rc;
	const struct dh_schema *schema = x->src[src].schema;
	int hist = x->src[src].view->mode == DH_VIEW_HISTORY;
	/* where each position comes from: -2 const, -1 free/blank, else column */
	int from[5], newcol[5];
	int nnew = 0, newvars[5];
	for (int i = 0; i < 5; i++) {
		const struct term *t = &c->t[i];
		newcol[i] = -1;
		if (t->k == TK_CONST)
			from[i] = -2;
		else if (t->k == TK_VAR && rel_col(r, t->var) >= 0)
			from[i] = rel_col(r, t->var);
		else {
			from[i] = -1;
			if (t->k == TK_VAR) {
				int dup = -1;
				for (int j = 0; j < nnew; j++)
					if (newvars[j] == t->var)
						dup = j;
				if (dup < 0) {
					newcol[i] = r->ncols + nnew;
					newvars[nnew++] = t->var;
				} else {
					newcol[i] = r->ncols + dup; /* checked for equality */
				}
			}
		}
	}
	int *cols = xmalloc((size_t)(r->ncols + nnew + 1) * sizeof(int));
	memcpy(cols, r->cols, (size_t)r->ncols * sizeof(int));
	memcpy(cols + r->ncols, newvars, (size_t)nnew * sizeof(int));
	struct rel *o = rel_new(r->ncols + nnew, cols);
	free(cols);
	/* which positions feed the index prefix */
	static const int order[DH_INDEX__COUNT][3] = {{0, 1, 2}, {1, 0, 2}, {1, 2, 0}, {2, 1, 0}};
	int lookup = ch->m == M_LOOKUP;
	struct dh_value *rowbuf = xmalloc((size_t)(o->ncols + 1) * sizeof(*rowbuf));
	/* scan-join: scan once with constants only, join by hash */
	struct rel *scanned = NULL;
	const struct rel *drive = r;
	struct rel *unit = NULL;
	if (!lookup) {
		unit = rel_unit();
		drive = unit;
	}
	for (size_t ri = 0; ri < drive->n; ri++) {
		const struct dh_value *row = rel_row(drive, ri);
		if ((rc = check_cancel(x)))
			goto out;
		/* bound values of e a v for this row */
		struct dh_value pv[5];
		int have[5] = {0};
		for (int i = 0; i < 5; i++) {
			if (from[i] == -2) {
				pv[i] = c->t[i].val;
				have[i] = 1;
			} else if (from[i] >= 0 && lookup) {
				pv[i] = row[from[i]];
				have[i] = 1;
			}
		}
		struct dh_datom pat = {0};
		const struct dh_attr *rat = at;
		if (have[1] && !rat) {
			rat = attr_of_value(x, src, &pv[1]);
			if (!rat)
				continue; /* not an attribute: nothing matches */
		}
		if (have[0]) {
			if ((rc = resolve_eid(x, src, &pv[0], c->t[0].form, &pat.e)))
				goto out;
			if (!pat.e)
				continue;
		}
		if (rat)
			pat.a = rat->id;
		struct dh_value want_v;
		int have_v = 0;
		if (have[2]) {
			int ok = value_for_attr(x, src, rat, &pv[2], c->t[2].form, &want_v);
			if (ok < 0) {
				rc = ok;
				goto out;
			}
			if (!ok) {
				if (rat)
					continue;
				/* a free attribute: compare as the engine sees values */
			} else {
				have_v = 1;
			}
			pat.v = want_v;
		}
		/* the prefix the plan chose, clipped to what this row has */
		enum dh_index idx = ch->idx;
		int ncomp = 0;
		int want_ncomp = lookup ? ch->ncomp : ch->ncomp;
		for (int k = 0; k < want_ncomp; k++) {
			int pos = order[idx][k];
			int ok = pos == 2 ? have_v : have[pos];
			if (!ok)
				break;
			ncomp++;
		}
		if (idx == DH_VAET && ncomp == 0)
			idx = DH_EAVT;
		const struct dh_value *fromv = NULL;
		if (idx == DH_AVET && ncomp == 1 && ch->has_lo)
			fromv = &ch->lo;
		struct dh_datom d;
		/* the caller's copy of the entity's value, instead of a seek:
		 * 1 d is it, 2 used up (or the entity has none) */
		int cached = 0;
		if (lookup && c->eread && have[0] && rat && !hist && c->t[3].k == TK_BLANK &&
		    c->t[4].k == TK_BLANK) {
			int er = c->eread(c->ectx, pat.e, &d.v, x->err);
			if (er < 0) {
				rc = er;
				goto out;
			}
			if (er == 1) {
				cached = d.v.type == DH_T_NONE ? 2 : 1;
				d.e = pat.e;
				d.a = pat.a;
				d.tx = 0;
				d.added = 1;
			}
		}
		struct dh_iter *it = NULL;
		if (!cached && (rc = get_iter(x, src, idx, &pat, ncomp, fromv, &it)))
			goto out;
		for (;;) {
			if (cached) {
				if (cached == 2) {
					rc = 0;
					break;
				}
				cached = 2;
			} else if ((rc = dh_iter_next(it, &d, x->err)) != 1) {
				break;
			}
			if ((rc = check_cancel(x)))
				goto out;
			if (idx == DH_AVET && ncomp == 1 && ch->has_hi) {
				int cmp = dh_value_cmp(&d.v, &ch->hi);
				if (cmp > 0 || (cmp == 0 && !ch->hi_incl))
					break;
			}
			if (idx == DH_AVET && ncomp == 1 && ch->has_lo && !ch->lo_incl &&
			    dh_value_cmp(&d.v, &ch->lo) == 0)
				continue;
			/* positions not in the prefix */
			if (have[0] && d.e != pat.e)
				continue;
			if (have[1] && d.a != pat.a)
				continue;
			struct dh_value dv;
			out_value(&d.v, &dv);
			if (have[2]) {
				if (have_v) {
					if (!dh_value_eq(&d.v, &want_v))
						continue;
				} else if (!dh_value_eq(&dv, &pv[2])) {
					continue;
				}
			}
			struct dh_value vals[5];
			vals[0] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)d.e};
			const struct dh_ident *aid = NULL;
			if (c->t[1].k == TK_VAR) {
				aid = dh_schema_entity(schema, d.a);
				if (aid)
					vals[1] = (struct dh_value){.type = DH_T_KEYWORD,
								    .s = {aid->ident,
									  strlen(aid->ident)}};
				else
					vals[1] = (struct dh_value){.type = DH_T_LONG,
								    .i = (int64_t)d.a};
			}
			vals[2] = dv;
			vals[3] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)d.tx};
			vals[4] = (struct dh_value){.type = DH_T_BOOL, .b = hist ? d.added : 1};
			if (have[3] && !dh_value_eq(&vals[3], &pv[3]))
				continue;
			if (have[4] && !dh_value_eq(&vals[4], &pv[4]))
				continue;
			/* new columns, with repeated variables checked */
			struct rel *dest = lookup ? o : NULL;
			if (!lookup) {
				if (!scanned)
					scanned = pattern_rel(c);
				dest = scanned;
			}
			int ok = 1;
			if (lookup) {
				memcpy(rowbuf, row, (size_t)r->ncols * sizeof(*rowbuf));
				int filled[5] = {0};
				for (int i = 0; i < 5 && ok; i++) {
					if (newcol[i] < 0)
						continue;
					int slot = newcol[i] - r->ncols;
					if (filled[slot])
						ok = dh_value_eq(&rowbuf[newcol[i]], &vals[i]);
					else
						rowbuf[newcol[i]] = vals[i];
					filled[slot] = 1;
				}
			} else {
				int nf = 0;
				for (int i = 0; i < 5 && ok; i++) {
					if (c->t[i].k != TK_VAR)
						continue;
					int col = rel_col(scanned, c->t[i].var);
					if (col < nf)
						ok = dh_value_eq(&rowbuf[col], &vals[i]);
					else
						rowbuf[nf++] = vals[i];
				}
			}
			if (!ok)
				continue;
			struct dh_value *dst = rel_push(dest);
			memcpy(dst, rowbuf, (size_t)dest->ncols * sizeof(*dst));
			if (lookup)
				row = rel_row(drive, ri);
		}
		if (rc < 0)
			goto out;
		rc = 0;
	}
	if (!lookup) {
		if (!scanned)
			scanned = pattern_rel(c);
		rel_free(o);
		if (r->ncols == 0 && r->n == 1) {
			/* joined with the unit relation: the scan is the result */
			o = scanned;
			scanned = NULL;
		} else {
			rc = rel_join(x, r, scanned, &o);
		}
	}
out:
	free(rowbuf);
	rel_free(scanned);
	rel_free(unit);
	if (rc < 0) {
		rel_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int
step_fn(struct qx *x, const struct clause *c, int src, struct rel *r, struct rel **out)
{
	struct qfn_ctx fc = {.a = x->a, .err = x->err, .view = x->src[src].view,
			     .schema = x->src[src].schema, .q = x->q, .form = c->form};
	if (c->src)
		fc.view = x->src[c->src].view, fc.schema = x->src[c->src].schema;
	struct dh_value *args = xmalloc((size_t)(c->nt + 1) * sizeof(*args));
	int *argcol = xmalloc((size_t)(c->nt + 1) * sizeof(int));
	for (int i = 0; i < c->nt; i++)
		argcol[i] = c->t[i].k == TK_VAR ? rel_col(r, c->t[i].var) : -1;
	struct rel *o = NULL;
	int rc = 0;
	if (c->k == CK_PRED) {
		o = rel_new(r->ncols, r->cols);
		for (size_t i = 0; i < r->n; i++) {
			const struct dh_value *row = rel_row(r, i);
			if ((rc = check_cancel(x)))
				break;
			for (int k = 0; k < c->nt; k++)
				args[k] = argcol[k] >= 0 ? row[argcol[k]] : c->t[k].val;
			struct dh_value res;
			if ((rc = c->cb ? c->cb(c->cbctx, c->nt, args, &res, x->err)
					: q_fn_call(&fc, c->fn, c->nt, args, &res)))
				break;
			if (c->cb ? res.type == DH_T_BOOL && res.b : q_truthy(&res))
				memcpy(rel_push(o), row, (size_t)r->ncols * sizeof(*row));
		}
		goto done;
	}
	/* a function binding: new columns for unbound binding vars, equality
	 * for bound ones */
	int nb = c->nb, bcol[64], nnew = 0, newvars[64];
	if (nb > 64) {
		rc = q_err(x->q, x->err, DH_EBADQUERY, c->form, "too many binding variables");
		goto done;
	}
	for (int k = 0; k < nb; k++) {
		bcol[k] = -1;
		if (c->bv[k] < 0)
			continue;
		int col = rel_col(r, c->bv[k]);
		if (col >= 0) {
			bcol[k] = col;
			continue;
		}
		int dup = -1;
		for (int j = 0; j < nnew; j++)
			if (newvars[j] == c->bv[k])
				dup = j;
		if (dup < 0) {
			bcol[k] = r->ncols + nnew;
			newvars[nnew++] = c->bv[k];
		} else {
			bcol[k] = r->ncols + dup;
		}
	}
	int *cols = xmalloc((size_t)(r->ncols + nnew + 1) * sizeof(int));
	memcpy(cols, r->cols, (size_t)r->ncols * sizeof(int));
	memcpy(cols + r->ncols, newvars, (size_t)nnew * sizeof(int));
	o = rel_new(r->ncols + nnew, cols);
	free(cols);
	struct dh_value *buf = xmalloc((size_t)(o->ncols + 1) * sizeof(*buf));
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		const struct dh_value *row = rel_row(r, i);
		if ((rc = check_cancel(x)))
			break;
		for (int k = 0; k < c->nt; k++)
			args[k] = argcol[k] >= 0 ? row[argcol[k]] : c->t[k].val;
		struct dh_value res;
		if ((rc = c->cb ? c->cb(c->cbctx, c->nt, args, &res, x->err)
				: q_fn_call(&fc, c->fn, c->nt, args, &res)))
			break;
		if (res.type == DH_T_NONE && !c->nullable)
			continue;
		/* the tuples this result binds */
		const struct dh_value *tuples = &res;
		size_t ntup = 1;
		if (c->bk == BK_COLL || c->bk == BK_REL) {
			if (res.type != DH_T_COLL || res.coll->kind == DH_COLL_MAP) {
				rc = q_err(x->q, x->err, DH_EDATATYPE, c->form,
					   "function %s returned a %s, not a collection, for a "
					   "collection binding",
					   c->name,
					   res.type == DH_T_COLL ? "map" : dh_type_name(res.type));
				break;
			}
			tuples = res.coll->items;
			ntup = res.coll->n;
		}
		for (size_t t = 0; t < ntup; t++) {
			const struct dh_value *tv = &tuples[t];
			const struct dh_value *parts = tv;
			size_t nparts = 1;
			if (c->bk == BK_TUPLE || c->bk == BK_REL) {
				if (tv->type != DH_T_COLL || tv->coll->kind == DH_COLL_MAP ||
				    tv->coll->n < (size_t)nb) {
					rc = q_err(x->q, x->err, DH_EDATATYPE, c->form,
						   "function %s: cannot bind %d variables from its "
						   "result",
						   c->name, nb);
					break;
				}
				parts = tv->coll->items;
				nparts = tv->coll->n;
			}
			(void)nparts;
			memcpy(buf, row, (size_t)r->ncols * sizeof(*buf));
			int ok = 1;
			char filled[64] = {0};
			for (int k = 0; k < nb && ok; k++) {
				if (bcol[k] < 0)
					continue;
				if (bcol[k] < r->ncols ||
				    (filled[bcol[k] - r->ncols] && bcol[k] >= r->ncols)) {
					ok = dh_value_eq(&buf[bcol[k]], &parts[k]);
				} else {
					buf[bcol[k]] = parts[k];
					filled[bcol[k] - r->ncols] = 1;
				}
				if (parts[k].type == DH_T_NONE && !c->nullable)
					ok = 0;
			}
			if (ok)
				memcpy(rel_push(o), buf, (size_t)o->ncols * sizeof(*buf));
			row = rel_row(r, i);
		}
	}
	free(buf);
done:
	free(args);
	free(argcol);
	if (rc) {
		rel_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* A clause that maps each row to at most one row with at most one new
 * column: a filter, or a function binding one new variable to a scalar.
 * A run of them evaluates in one pass (step_fns). */
static int
row_local(const struct clause *c, const struct vset *bound)
{
	if (c->k == CK_PRED)
		return 1;
	return c->k == CK_FN && c->bk == BK_SCALAR && c->nb == 1 && c->bv[0] >= 0 &&
	       !vs_has(bound, c->bv[0]);
}

/* Filters and scalar bindings run[0..nrun) over r in one pass: each row
 * goes through every clause in order, as separate steps would take it,
 * without a relation in between. */
static int
step_fns(struct qx *x, struct clause **cl, const int *run, int nrun, int dflt_src, struct rel *r,
	 struct rel **out)
{
	int *cols = xmalloc((size_t)(r->ncols + nrun + 1) * sizeof(int));
	memcpy(cols, r->cols, (size_t)r->ncols * sizeof(int));
	int nc = r->ncols, maxt = 1;
	struct fused {
		const struct clause *c;
		struct qfn_ctx fc;
		int *argcol;
		int dest; /* the new column of a binding, -1 for a filter */
	} *f = xcalloc((size_t)nrun, sizeof(*f));
	struct rel tmp = {.ncols = 0, .cols = cols};
	for (int j = 0; j < nrun; j++) {
		const struct clause *c = cl[run[j]];
		int src = clause_src(x, c, dflt_src);
		f[j].c = c;
		f[j].fc = (struct qfn_ctx){.a = x->a, .err = x->err, .view = x->src[src].view,
					   .schema = x->src[src].schema, .q = x->q,
					   .form = c->form};
		if (c->src)
			f[j].fc.view = x->src[c->src].view, f[j].fc.schema = x->src[c->src].schema;
		f[j].argcol = xmalloc((size_t)(c->nt + 1) * sizeof(int));
		tmp.ncols = nc;
		for (int i = 0; i < c->nt; i++)
			f[j].argcol[i] = c->t[i].k == TK_VAR ? rel_col(&tmp, c->t[i].var) : -1;
		f[j].dest = -1;
		if (c->k == CK_FN) {
			f[j].dest = nc;
			cols[nc++] = c->bv[0];
		}
		if (c->nt > maxt)
			maxt = c->nt;
	}
	struct rel *o = rel_new(nc, cols);
	free(cols);
	/* at most one row out per row in */
	o->cap = r->n ? r->n : 1;
	o->d = xmalloc(o->cap * (size_t)(nc ? nc : 1) * sizeof(*o->d));
	struct dh_value *args = xmalloc((size_t)maxt * sizeof(*args));
	int rc = 0;
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		if ((i & 255) == 0 && (rc = check_cancel(x)))
			break;
		struct dh_value *row = &o->d[o->n * (size_t)nc];
		memcpy(row, rel_row(r, i), (size_t)r->ncols * sizeof(*row));
		int keep = 1;
		for (int j = 0; j < nrun && keep; j++) {
			const struct clause *c = f[j].c;
			for (int k = 0; k < c->nt; k++)
				args[k] = f[j].argcol[k] >= 0 ? row[f[j].argcol[k]] : c->t[k].val;
			struct dh_value res;
			if ((rc = c->cb ? c->cb(c->cbctx, c->nt, args, &res, x->err)
					: q_fn_call(&f[j].fc, c->fn, c->nt, args, &res)))
				break;
			if (f[j].dest < 0)
				keep = c->cb ? res.type == DH_T_BOOL && res.b : q_truthy(&res);
			else if (res.type == DH_T_NONE && !c->nullable)
				keep = 0;
			else
				row[f[j].dest] = res;
		}
		if (keep && rc == 0)
			o->n++;
	}
	for (int j = 0; j < nrun; j++)
		free(f[j].argcol);
	free(f);
	free(args);
	if (rc) {
		rel_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int
step_not(struct qx *x, const struct clause *c, const int *jv, int nj, int src, struct rel *r,
	 int nvars, const char **names, struct rel **out)
{
	struct rel *seed = rel_project(x, r, jv, nj, 1);
	if (!seed)
		return DH_ECANCELED;
	struct vset need;
	memset(&need, 0, sizeof(need));
	for (int i = 0; i < nj; i++)
		vs_add(&need, jv[i]);
	struct rel *res = NULL;
	int rc = eval_list(x, c->sub, c->nsub, seed, src, &need, nvars, names, &res);
	rel_free(seed);
	if (rc)
		return rc;
	struct rel *keys = rel_project(x, res, jv, nj, 1);
	rel_free(res);
	if (!keys)
		return DH_ECANCELED;
	int *kc = xmalloc((size_t)(nj + 1) * sizeof(int)), *rc_ = xmalloc((size_t)(nj + 1) * sizeof(int));
	for (int i = 0; i < nj; i++) {
		kc[i] = i;
		rc_[i] = rel_col(r, jv[i]);
	}
	struct rowhash h;
	rowhash_build(&h, keys, kc, nj);
	struct rel *o = rel_new(r->ncols, r->cols);
	for (size_t i = 0; i < r->n; i++) {
		const struct dh_value *row = rel_row(r, i);
		size_t b = key_hash(row, rc_, nj) & h.mask;
		int found = 0;
		for (size_t k = h.head[b]; k && !found; k = h.next[k - 1])
			found = key_eq(row, rc_, rel_row(keys, k - 1), kc, nj);
		if (!found)
			memcpy(rel_push(o), row, (size_t)r->ncols * sizeof(*row));
	}
	rowhash_free(&h);
	free(kc);
	free(rc_);
	rel_free(keys);
	*out = o;
	return 0;
}

static int
step_or(struct qx *x, const struct clause *c, int src, struct rel *r, int nvars,
	const char **names, struct rel **out)
{
	/* seed: the join variables already bound */
	int nb = 0, *bv = xmalloc((size_t)(c->njoin + 1) * sizeof(int));
	for (int i = 0; i < c->njoin; i++)
		if (rel_col(r, c->join[i]) >= 0)
			bv[nb++] = c->join[i];
	struct rel *seed = rel_project(x, r, bv, nb, 1);
	free(bv);
	if (!seed)
		return DH_ECANCELED;
	struct vset need;
	memset(&need, 0, sizeof(need));
	for (int i = 0; i < c->njoin; i++)
		vs_add(&need, c->join[i]);
	struct rel *u = rel_new(c->njoin, c->join);
	struct rowset us;
	rowset_init(&us, u);
	int rc = 0;
	for (int bi = 0; bi < c->nsub && rc == 0; bi++) {
		struct clause *b = c->sub[bi];
		struct clause **bcl = b->k == CK_AND ? b->sub : &c->sub[bi];
		int bn = b->k == CK_AND ? b->nsub : 1;
		struct rel *res = NULL;
		if ((rc = eval_list(x, bcl, bn, seed, src, &need, nvars, names, &res)))
			break;
		for (int i = 0; i < c->njoin; i++)
			if (rel_col(res, c->join[i]) < 0) {
				rc = q_err(x->q, x->err, DH_EBADQUERY, b->form,
					   "this branch of or does not bind %s",
					   names[c->join[i]]);
				break;
			}
		if (rc == 0) {
			struct rel *p = rel_project(x, res, c->join, c->njoin, 1);
			if (!p)
				rc = DH_ECANCELED;
			for (size_t i = 0; p && i < p->n; i++)
				rowset_put(&us, rel_row(p, i), 1);
			rel_free(p);
		}
		rel_free(res);
	}
	rel_free(seed);
	rowset_free(&us);
	if (rc) {
		rel_free(u);
		return rc;
	}
	rc = rel_join(x, r, u, out);
	rel_free(u);
	return rc;
}

/* --- rules --- */

static struct rule *
find_rule(struct qx *x, const char *name)
{
	for (int i = 0; i < x->q->nrules; i++)
		if (strcmp(x->q->rules[i].name, name) == 0)
			return &x->q->rules[i];
	return NULL;
}

/* Which rules does a clause list call? */
static void
calls_of(struct qx *x, struct clause **cl, int n, char *calls)
{
	for (int i = 0; i < n; i++) {
		const struct clause *c = cl[i];
		if (c->k == CK_RULE) {
			struct rule *r = find_rule(x, c->name);
			if (r)
				calls[r - x->q->rules] = 1;
		}
		if (c->nsub)
			calls_of(x, c->sub, c->nsub, calls);
	}
}

/* SCCs of the rule call graph (Floyd-Warshall on reachability: rule sets
 * are small). */
static void
rules_analyze(struct qx *x)
{
	int n = x->q->nrules;
	char *reach = xcalloc((size_t)(n * n + 1), 1);
	for (int i = 0; i < n; i++)
		for (int b = 0; b < x->q->rules[i].nbodies; b++)
			calls_of(x, x->q->rules[i].b[b].cl, x->q->rules[i].b[b].ncl, reach + i * n);
	for (int k = 0; k < n; k++)
		for (int i = 0; i < n; i++)
			if (reach[i * n + k])
				for (int j = 0; j < n; j++)
					if (reach[k * n + j])
						reach[i * n + j] = 1;
	for (int i = 0; i < n; i++) {
		struct rule *r = &x->q->rules[i];
		r->recursive = reach[i * n + i];
		r->scc = i;
		for (int j = 0; j < i; j++)
			if (reach[i * n + j] && reach[j * n + i]) {
				r->scc = x->q->rules[j].scc;
				break;
			}
	}
	free(reach);
}

static int rule_fixpoint(struct qx *x, int scc, int src, struct rel **out_for, int want);

/* Turn a relation over a rule's head positions (cols 0..nargs-1 as
 * pseudo-variables) into one over the caller's variables, filtering
 * constants and repeated variables; then join it into r. */
static int
join_rule_result(struct qx *x, const struct clause *c, const struct rel *res, struct rel *r,
		 struct rel **out)
{
	int nv = 0, vars[256], pos[256];
	for (int i = 0; i < c->nt && i < 256; i++) {
		if (c->t[i].k != TK_VAR)
			continue;
		int dup = 0;
		for (int j = 0; j < nv; j++)
			dup |= vars[j] == c->t[i].var;
		if (!dup) {
			vars[nv] = c->t[i].var;
			pos[nv++] = i;
		}
	}
	struct rel *u = rel_new(nv, vars);
	for (size_t k = 0; k < res->n; k++) {
		const struct dh_value *row = rel_row(res, k);
		int ok = 1;
		for (int i = 0; i < c->nt && ok; i++) {
			if (c->t[i].k == TK_CONST)
				ok = dh_value_eq(&row[i], &c->t[i].val);
			else if (c->t[i].k == TK_VAR)
				for (int j = 0; j < nv; j++)
					if (vars[j] == c->t[i].var && pos[j] != i)
						ok &= dh_value_eq(&row[pos[j]], &row[i]);
		}
		if (!ok)
			continue;
		struct dh_value *o = rel_push(u);
		for (int j = 0; j < nv; j++)
			o[j] = row[pos[j]];
	}
	int rc = rel_join(x, r, u, out);
	rel_free(u);
	return rc;
}

/* Evaluate one body of a rule from a seed over its head variables; the
 * result has columns = head positions (as pseudo-variables 0..nargs-1). */
static int
eval_body(struct qx *x, struct rule *ru, struct rule_body *b, struct rel *seed, int src,
	  struct rel *acc, struct rowset *accset)
{
	struct vset need;
	memset(&need, 0, sizeof(need));
	for (int i = 0; i < b->nhead; i++)
		vs_add(&need, b->head[i]);
	struct rel *res = NULL;
	x->depth++;
	if (x->depth > 200) {
		x->depth--;
		return dh_err_set(x->err, DH_ETOOLONG, "rules nest too deeply (rule %s)", ru->name);
	}
	int rc = eval_list(x, b->cl, b->ncl, seed, src, &need, b->sc.nvars, b->sc.names, &res);
	x->depth--;
	if (rc)
		return rc;
	int hc[256];
	for (int i = 0; i < b->nhead && i < 256; i++) {
		hc[i] = rel_col(res, b->head[i]);
		if (hc[i] < 0) {
			rel_free(res);
			return dh_err_set(x->err, DH_EBADQUERY,
					  "unsafe rule %s: variable %s is not bound by its body",
					  ru->name, b->sc.names[b->head[i]]);
		}
	}
	struct dh_value tmp[256];
	for (size_t k = 0; k < res->n; k++) {
		const struct dh_value *row = rel_row(res, k);
		for (int i = 0; i < b->nhead; i++)
			tmp[i] = row[hc[i]];
		rowset_put(accset, tmp, 1);
	}
	rel_free(res);
	(void)acc;
	return 0;
}

static int
step_rule(struct qx *x, const struct clause *c, int src, struct rel *r, struct rel **out)
{
	struct rule *ru = find_rule(x, c->name);
	if (!ru)
		return q_err(x->q, x->err, DH_EBADQUERY, c->form, "unknown rule %s%s", c->name,
			     x->q->nrules ? "" : " (no rules were given: pass them as % in :in)");
	if (ru->nargs != c->nt)
		return q_err(x->q, x->err, DH_EBADQUERY, c->form,
			     "rule %s takes %d arguments, got %d", ru->name, ru->nargs, c->nt);
	int rsrc = c->src ? c->src : src;
	int pseudo[256];
	for (int i = 0; i < ru->nargs && i < 256; i++)
		pseudo[i] = i;
	/* inside the fixpoint of its own SCC: the relation being computed */
	if (x->cur_scc >= 0 && ru->scc == x->cur_scc) {
		int id = (int)(ru - x->q->rules);
		struct rel *use = c == x->delta_clause ? x->scc_delta[id] : x->scc_full[id];
		return join_rule_result(x, c, use, r, out);
	}
	if (ru->recursive) {
		struct rel *full = NULL;
		int rc = rule_fixpoint(x, ru->scc, rsrc, &full, (int)(ru - x->q->rules));
		if (rc)
			return rc;
		return join_rule_result(x, c, full, r, out);
	}
	/* not recursive: each body from a seed of the bound arguments */
	struct rel *acc = rel_new(ru->nargs, pseudo);
	struct rowset as;
	rowset_init(&as, acc);
	int rc = 0;
	for (int bi = 0; bi < ru->nbodies && rc == 0; bi++) {
		struct rule_body *b = &ru->b[bi];
		/* seed columns: head vars whose argument is bound */
		int sv[256], ns = 0, argsrc[256];
		for (int i = 0; i < c->nt; i++) {
			const struct term *t = &c->t[i];
			int bound = t->k == TK_CONST || (t->k == TK_VAR && rel_col(r, t->var) >= 0);
			int dup = 0;
			for (int j = 0; j < ns; j++)
				dup |= sv[j] == b->head[i];
			if (bound && !dup) {
				argsrc[ns] = i;
				sv[ns++] = b->head[i];
			}
		}
		struct rel *seed = rel_new(ns, sv);
		struct rowset ss;
		rowset_init(&ss, seed);
		struct dh_value tmp[256];
		for (size_t k = 0; k < r->n; k++) {
			const struct dh_value *row = rel_row(r, k);
			for (int j = 0; j < ns; j++) {
				const struct term *t = &c->t[argsrc[j]];
				tmp[j] = t->k == TK_CONST ? t->val : row[rel_col(r, t->var)];
			}
			rowset_put(&ss, tmp, 1);
		}
		rowset_free(&ss);
		rc = eval_body(x, ru, b, seed, rsrc, acc, &as);
		rel_free(seed);
	}
	rowset_free(&as);
	if (rc == 0)
		rc = join_rule_result(x, c, acc, r, out);
	rel_free(acc);
	return rc;
}

/* Does a clause list call a rule of scc (directly, not through others)? */
static void
scc_calls(struct qx *x, struct clause **cl, int n, int scc, const struct clause **found,
	  int *nfound)
{
	for (int i = 0; i < n; i++) {
		if (cl[i]->k == CK_RULE) {
			struct rule *r = find_rule(x, cl[i]->name);
			if (r && r->scc == scc && *nfound < 64)
				found[(*nfound)++] = cl[i];
		}
		if (cl[i]->nsub)
			scc_calls(x, cl[i]->sub, cl[i]->nsub, scc, found, nfound);
	}
}

/* Semi-naive evaluation of the rules of one SCC against source src. */
static int
rule_fixpoint(struct qx *x, int scc, int src, struct rel **out, int want)
{
	for (size_t i = 0; i < x->nfix; i++)
		if (x->fix[i].rule == want && x->fix[i].src == src) {
			*out = x->fix[i].r;
			return 0;
		}
	int n = x->q->nrules;
	struct rel **full = xcalloc((size_t)n, sizeof(*full)), **delta = xcalloc((size_t)n, sizeof(*delta));
	struct rowset *fs = xcalloc((size_t)n, sizeof(*fs));
	int pseudo[256];
	for (int i = 0; i < 256; i++)
		pseudo[i] = i;
	for (int i = 0; i < n; i++)
		if (x->q->rules[i].scc == scc) {
			full[i] = rel_new(x->q->rules[i].nargs, pseudo);
			delta[i] = rel_new(x->q->rules[i].nargs, pseudo);
			rowset_init(&fs[i], full[i]);
		}
	int save_scc = x->cur_scc;
	struct rel **save_full = x->scc_full, **save_delta = x->scc_delta;
	const struct clause *save_dc = x->delta_clause;
	x->cur_scc = scc;
	x->scc_full = full;
	x->scc_delta = delta;
	int rc = 0;
	for (int round = 0; rc == 0; round++) {
		struct rel **fresh = xcalloc((size_t)n, sizeof(*fresh));
		struct rowset *freshs = xcalloc((size_t)n, sizeof(*freshs));
		for (int i = 0; i < n; i++)
			if (full[i]) {
				fresh[i] = rel_new(x->q->rules[i].nargs, pseudo);
				rowset_init(&freshs[i], fresh[i]);
			}
		for (int i = 0; i < n && rc == 0; i++) {
			if (!full[i])
				continue;
			struct rule *ru = &x->q->rules[i];
			for (int bi = 0; bi < ru->nbodies && rc == 0; bi++) {
				struct rule_body *b = &ru->b[bi];
				const struct clause *occ[64];
				int nocc = 0;
				scc_calls(x, b->cl, b->ncl, scc, occ, &nocc);
				struct rel *unit = rel_unit();
				if (round == 0) {
					if (nocc == 0) {
						x->delta_clause = NULL;
						rc = eval_body(x, ru, b, unit, src, fresh[i],
							       &freshs[i]);
					}
				} else {
					for (int k = 0; k < nocc && rc == 0; k++) {
						x->delta_clause = occ[k];
						rc = eval_body(x, ru, b, unit, src, fresh[i],
							       &freshs[i]);
					}
				}
				rel_free(unit);
				if (rc == 0)
					rc = check_cancel(x);
			}
		}
		/* delta = fresh - full; full += delta */
		int grew = 0;
		for (int i = 0; i < n; i++) {
			if (!full[i])
				continue;
			if (rc == 0) {
				delta[i]->n = 0;
				for (size_t k = 0; k < fresh[i]->n; k++) {
					const struct dh_value *row = rel_row(fresh[i], k);
					if (!rowset_put(&fs[i], row, 1)) {
						memcpy(rel_push(delta[i]), row,
						       (size_t)delta[i]->ncols * sizeof(*row));
						grew = 1;
					}
				}
			}
			rowset_free(&freshs[i]);
			rel_free(fresh[i]);
		}
		free(fresh);
		free(freshs);
		if (!grew)
			break;
	}
	x->cur_scc = save_scc;
	x->scc_full = save_full;
	x->scc_delta = save_delta;
	x->delta_clause = save_dc;
	for (int i = 0; i < n; i++) {
		if (!full[i])
			continue;
		rowset_free(&fs[i]);
		rel_free(delta[i]);
		if (rc == 0) {
			x->fix = xrealloc(x->fix, (x->nfix + 1) * sizeof(*x->fix));
			x->fix[x->nfix++] = (struct fixrel){i, src, full[i]};
			if (i == want)
				*out = full[i];
		} else {
			rel_free(full[i]);
		}
	}
	free(full);
	free(delta);
	free(fs);
	return rc;
}

/* --- evaluating a clause list --- */

static void
explain_line(struct qx *x, const char *names[], const struct clause *c, const struct choice *ch,
	     const struct dh_schema *s)
{
	struct dh_buf *b = x->explain;
	static const char *const mname[] = {"", "lookup", "scan", "filter", "bind", "not", "or",
					    "rule"};
	dh_buf_printf(b, "%*s", 2 * x->depth + 2, "");
	size_t start = b->len;
	if (c->form)
		dh_edn_print(b, c->form);
	else
		dh_buf_adds(b, c->name ? c->name : "(sql)");
	size_t w = b->len - start;
	dh_buf_printf(b, "%*s", w < 44 ? (int)(44 - w) : 1, "");
	dh_buf_adds(b, mname[ch->m]);
	if (ch->m == M_LOOKUP || ch->m == M_SCAN_JOIN) {
		dh_buf_printf(b, " %s", dh_index_name(ch->idx));
		static const char *const comp[DH_INDEX__COUNT][3] = {
			{"e", "a", "v"}, {"a", "e", "v"}, {"a", "v", "e"}, {"v", "a", "e"}};
		if (ch->ncomp)
			dh_buf_adds(b, " on");
		for (int i = 0; i < ch->ncomp; i++)
			dh_buf_printf(b, "%s%s", i ? "," : " ", comp[ch->idx][i]);
		if (ch->has_lo || ch->has_hi) {
			dh_buf_adds(b, " range ");
			if (ch->has_lo) {
				dh_buf_adds(b, ch->lo_incl ? "[" : "(");
				dh_value_print_edn(b, &ch->lo);
			} else {
				dh_buf_adds(b, "(-inf");
			}
			dh_buf_adds(b, ", ");
			if (ch->has_hi) {
				dh_value_print_edn(b, &ch->hi);
				dh_buf_adds(b, ch->hi_incl ? "]" : ")");
			} else {
				dh_buf_adds(b, "+inf)");
			}
		}
		if (ch->m == M_LOOKUP)
			dh_buf_printf(b, " (~%.0f per row)", ch->per_row);
		else
			dh_buf_printf(b, " (~%.0f datoms) + hash join", ch->per_row);
	}
	dh_buf_printf(b, "  rows~%.0f\n", ch->est_rows);
	(void)names;
	(void)s;
}

static int
eval_list(struct qx *x, struct clause **cl, int n, struct rel *seed, int dflt_src,
	  const struct vset *needed, int nvars, const char **names, struct rel **out)
{
	char *done = xcalloc((size_t)(n + 1), 1);
	struct rel *r = rel_new(seed->ncols, seed->cols);
	for (size_t i = 0; i < seed->n; i++)
		memcpy(rel_push(r), rel_row(seed, i), (size_t)seed->ncols * sizeof(struct dh_value));
	int rc = 0;
	int dry = x->explain != NULL;
	double est = (double)r->n;
	struct vset bound;
	memset(&bound, 0, sizeof(bound));
	for (int i = 0; i < r->ncols; i++)
		vs_add(&bound, r->cols[i]);
	for (int left = n; left > 0 && rc == 0; left--) {
		struct choice ch;
		double rows = dry ? est : (double)r->n;
		if ((rc = plan_next(x, cl, n, done, &bound, r, rows, dflt_src, needed, nvars, &ch)))
			break;
		if (ch.ci < 0) {
			/* nothing ready: name what is missing */
			for (int i = 0; i < n; i++) {
				if (done[i])
					continue;
				const struct clause *c = cl[i];
				for (int k = 0; k < c->nt; k++)
					if (c->t[k].k == TK_VAR && !vs_has(&bound, c->t[k].var))
						return free(done), rel_free(r),
						       q_err(x->q, x->err, DH_EBADQUERY, c->t[k].form,
							     "insufficient bindings: %s is not bound "
							     "before it is used here",
							     names[c->t[k].var]);
				return free(done), rel_free(r),
				       q_err(x->q, x->err, DH_EBADQUERY, c->form,
					     "insufficient bindings for this clause: bind its join "
					     "variables first");
			}
			break;
		}
		struct clause *c = cl[ch.ci];
		done[ch.ci] = 1;
		int src = clause_src(x, c, dflt_src);
		if (dry) {
			explain_line(x, names, c, &ch, x->src[src].schema);
			if (c->k == CK_NOT || c->k == CK_OR) {
				x->depth++;
				struct rel *tmp = NULL;
				if (c->k == CK_NOT)
					rc = eval_list(x, c->sub, c->nsub, seed, src, needed, nvars,
						       names, &tmp);
				else
					for (int b = 0; b < c->nsub && rc == 0; b++) {
						struct clause *br = c->sub[b];
						rc = eval_list(x, br->k == CK_AND ? br->sub : &c->sub[b],
							       br->k == CK_AND ? br->nsub : 1, seed, src,
							       needed, nvars, names, &tmp);
						rel_free(tmp);
						tmp = NULL;
					}
				rel_free(tmp);
				x->depth--;
			}
			for (int v = 0; v < nvars; v++)
				if (vs_has(&c->vars, v) && (c->k != CK_NOT))
					vs_add(&bound, v);
			est = ch.est_rows < 1 && ch.est_rows > 0 ? 1 : ch.est_rows;
			continue;
		}
		struct rel *next = NULL;
		switch (c->k) {
		case CK_PAT:
			rc = step_pattern(x, c, &ch, src, r, &next);
			break;
		case CK_PRED:
		case CK_FN: {
			/* the filters and bindings ready after this one, as
			 * plan_next would pick them, run in the same pass */
			int run[32], nrun = 0;
			struct vset b2 = bound;
			if (row_local(c, &b2)) {
				run[nrun++] = ch.ci;
				if (c->k == CK_FN)
					vs_add(&b2, c->bv[0]);
				for (int j = 0; j < n && nrun < (int)DH_ARRAY_SIZE(run); j++) {
					const struct clause *cj = cl[j];
					if (done[j] || (cj->k != CK_PRED && cj->k != CK_FN) ||
					    !fn_ready(cj, &b2))
						continue;
					if (!row_local(cj, &b2))
						break;
					done[j] = 1;
					run[nrun++] = j;
					if (cj->k == CK_FN)
						vs_add(&b2, cj->bv[0]);
					j = -1; /* plan_next takes the first ready */
				}
			}
			if (nrun > 1) {
				rc = step_fns(x, cl, run, nrun, dflt_src, r, &next);
				left -= nrun - 1;
			} else {
				rc = step_fn(x, c, src, r, &next);
			}
			break;
		}
		case CK_NOT: {
			struct vset outside = *needed;
			for (int j = 0; j < n; j++)
				if (j != ch.ci)
					for (size_t w = 0; w < DH_ARRAY_SIZE(outside.w); w++)
						outside.w[w] |= cl[j]->vars.w[w];
			for (int i = 0; i < r->ncols; i++)
				vs_add(&outside, r->cols[i]);
			int *jv = xmalloc(sizeof(int) * (size_t)(nvars + 1)), nj;
			join_vars(c, &outside, nvars, jv, &nj);
			if (nj == 0 && !c->explicit_join) {
				free(jv);
				rc = q_err(x->q, x->err, DH_EBADQUERY, c->form,
					   "insufficient bindings: none of the variables of this "
					   "(not ...) is bound outside it");
				break;
			}
			rc = step_not(x, c, jv, nj, src, r, nvars, names, &next);
			free(jv);
			break;
		}
		case CK_OR:
			rc = step_or(x, c, src, r, nvars, names, &next);
			break;
		case CK_AND: {
			rc = eval_list(x, c->sub, c->nsub, r, src, needed, nvars, names, &next);
			break;
		}
		case CK_RULE:
			rc = step_rule(x, c, src, r, &next);
			break;
		}
		if (rc)
			break;
		rel_free(r);
		r = next;
		for (int i = 0; i < r->ncols; i++)
			vs_add(&bound, r->cols[i]);
		if (r->n == 0) {
			/* nothing can come back: the rest only needs its variables
			 * named, as columns of the empty relation */
			int *cols = xmalloc((size_t)(r->ncols + nvars + 1) * sizeof(int));
			int nc = r->ncols;
			memcpy(cols, r->cols, (size_t)nc * sizeof(int));
			for (int i = 0; i < n; i++)
				if (!done[i] && cl[i]->k != CK_NOT)
					for (int v = 0; v < nvars; v++)
						if (vs_has(&cl[i]->vars, v) && !vs_has(&bound, v)) {
							vs_add(&bound, v);
							cols[nc++] = v;
						}
			free(r->cols);
			r->cols = cols;
			r->ncols = nc;
			break;
		}
	}
	free(done);
	if (rc) {
		rel_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* --- inputs, find, aggregation --- */

static int
bind_inputs(struct qx *x, struct rel **out)
{
	struct dh_query *q = x->q;
	const struct dh_query_env *env = x->env;
	struct rel *r = rel_unit();
	size_t nextin = 0;
	int nsrc = 0, rc = 0;
	for (int i = 0; i < q->nin && rc == 0; i++) {
		struct input *in = &q->in[i];
		if (in->k == IN_SRC) {
			if ((size_t)nsrc < env->nsrc) {
				x->src[nsrc].view = env->src[nsrc].view;
				x->src[nsrc].schema = env->src[nsrc].schema;
			} else if (env->open_source && nextin < env->nin) {
				struct dh_source s;
				if ((rc = env->open_source(env->open_ctx, env->in[nextin++], &s,
							   x->err)))
					break;
				x->src[nsrc].view = s.view;
				x->src[nsrc].schema = s.schema;
			} else {
				rc = q_err(q, x->err, DH_EUSAGE, in->form,
					   "no database was given for %s", in->name);
				break;
			}
			nsrc++;
			continue;
		}
		if (nextin >= env->nin) {
			rc = q_err(q, x->err, DH_EUSAGE, in->form,
				   "missing input for :in element %d", i + 1);
			break;
		}
		const struct dh_edn *form = env->in[nextin++];
		if (in->k == IN_BLANK)
			continue;
		if (in->k == IN_RULES) {
			if ((rc = q_parse_rules(q, form, x->err)))
				break;
			rules_analyze(x);
			continue;
		}
		struct dh_value v;
		if ((rc = q_edn_value(x->a, form, &v, x->err)))
			break;
		/* rows of this input */
		const struct dh_value *rows = &v;
		size_t nrows = 1;
		if (in->k == IN_COLL || in->k == IN_REL) {
			if (v.type != DH_T_COLL || v.coll->kind == DH_COLL_MAP) {
				rc = dh_err_set(x->err, DH_EUSAGE,
						"input for %s must be a collection", q->sc.names[in->vars[0] >= 0 ? in->vars[0] : 0]);
				break;
			}
			rows = v.coll->items;
			nrows = v.coll->n;
		}
		int nv = in->nv, cols[64], pos[64], nc = 0;
		for (int k = 0; k < nv && k < 64; k++)
			if (in->vars[k] >= 0) {
				cols[nc] = in->vars[k];
				pos[nc++] = k;
			}
		struct rel *p = rel_new(nc, cols);
		for (size_t k = 0; k < nrows; k++) {
			const struct dh_value *parts = &rows[k];
			if (in->k == IN_TUPLE || in->k == IN_REL) {
				if (rows[k].type != DH_T_COLL || rows[k].coll->n < (size_t)nv) {
					rc = dh_err_set(x->err, DH_EUSAGE,
							"input tuple for :in element %d needs %d values",
							i + 1, nv);
					break;
				}
				parts = rows[k].coll->items;
			}
			struct dh_value *o = rel_push(p);
			for (int j = 0; j < nc; j++)
				o[j] = parts[pos[j]];
		}
		struct rel *j;
		if (rc == 0 && (rc = rel_join(x, r, p, &j)) == 0) {
			rel_free(r);
			r = j;
		}
		rel_free(p);
	}
	if (rc == 0 && nsrc == 0 && q->nsrcnames) {
		/* a query without :in $ still reads the default source */
		if (env->nsrc == 0)
			rc = dh_err_set(x->err, DH_EUSAGE, "no database was given");
		else {
			x->src[0].view = env->src[0].view;
			x->src[0].schema = env->src[0].schema;
			nsrc = 1;
		}
	}
	if (rc == 0 && nextin < env->nin && q->has_in)
		rc = dh_err_set(x->err, DH_EUSAGE, "%zu inputs given but the query's :in takes %zu",
				env->nin, nextin);
	x->nsrc = nsrc;
	for (int i = 0; i < nsrc; i++) {
		uint64_t t = 0;
		/* a rough size of the database for estimates */
		struct dh_err e;
		uint64_t c;
		if (dh_view_attr_count(x->src[i].view, DH_A_TXINSTANT, &c, &e) == 0)
			t = c * 8;
		x->src[i].total = t ? t : 1000;
	}
	if (rc) {
		rel_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

static void
qx_release(struct qx *x)
{
	for (int i = 0; i < DH_QUERY_MAX_SOURCES; i++) {
		for (int k = 0; k < DH_INDEX__COUNT; k++)
			dh_iter_close(x->src[i].it[k]);
		free(x->src[i].stats);
	}
	free(x->probes);
	for (int i = 0; i < x->npullers; i++)
		dh_puller_close(x->pullers[i]);
	free(x->pullers);
	for (size_t i = 0; i < x->nfix; i++)
		rel_free(x->fix[i].r);
	free(x->fix);
}

/* Pull eid through pattern; slot (a :find index, or nfind for a standalone
 * pull) keeps the compiled pattern and its cursors for the next row. */
static int
do_pull(struct qx *x, int slot, int src, const struct dh_edn *pattern, const struct dh_value *eid,
	const struct dh_edn *at, struct dh_value *out)
{
	int rc = need_src(x, src, at);
	if (rc)
		return rc;
	if (!x->pullers) {
		x->npullers = x->q->nfind + 1;
		x->pullers = xcalloc((size_t)x->npullers, sizeof(*x->pullers));
	}
	if (!x->pullers[slot]) {
		struct dh_pull *p;
		if ((rc = dh_pull_parse(x->a, pattern, x->src[src].schema, x->q->text, x->q->len,
					&p, x->err)) ||
		    (rc = dh_puller_open(x->src[src].view, x->src[src].schema, p,
					 &x->pullers[slot], x->err)))
			return rc;
	}
	uint64_t e;
	if ((rc = resolve_eid(x, src, eid, at, &e)))
		return rc;
	if (!e) {
		out->type = DH_T_NONE;
		return 0;
	}
	return dh_puller_pull(x->pullers[slot], e, x->a, out, x->err);
}

static int
run_find(struct qx *x, struct rel *r, struct dh_result *res)
{
	struct dh_query *q = x->q;
	int nagg = 0;
	for (int i = 0; i < q->nfind; i++)
		nagg += q->find[i].k == FE_AGG;
	/* the projection: group vars (find vars and pull vars), with vars,
	 * aggregate vars */
	int pv[Q_MAXVARS], np = 0;
	struct vset in;
	memset(&in, 0, sizeof(in));
#define ADDV(v)                                                                                   \
	do {                                                                                      \
		if (!vs_has(&in, (v))) {                                                          \
			vs_add(&in, (v));                                                         \
			pv[np++] = (v);                                                           \
		}                                                                                 \
	} while (0)
	for (int i = 0; i < q->nfind; i++)
		if (q->find[i].k != FE_AGG)
			ADDV(q->find[i].var);
	int ngroup = np;
	for (int i = 0; i < q->nwith; i++)
		ADDV(q->with[i]);
	for (int i = 0; i < q->nfind; i++)
		if (q->find[i].k == FE_AGG)
			ADDV(q->find[i].var);
#undef ADDV
	for (int i = 0; i < np; i++)
		if (rel_col(r, pv[i]) < 0) {
			if (r->n == 0)
				goto empty;
			return dh_err_set(x->err, DH_EBADQUERY, "variable %s is not bound",
					  q->sc.names[pv[i]]);
		}
	/* a caller that knows the found columns distinct (SQL's blocks:
	 * every row identity is found, the rest they determine) skips the
	 * dedupe */
	int distinct = q->distinct_rows && !q->nwith && !nagg;
	int pulls = 0;
	for (int i = 0; i < q->nfind; i++)
		pulls += q->find[i].k == FE_PULL;
	if (distinct && !pulls) {
		/* the rows straight from r, in the caller's layout (SQL's
		 * slots) when it gave one: no projection in between */
		size_t w = q->row_w ? (size_t)q->row_w : (size_t)q->nfind;
		int rc = 0;
		int *col = xmalloc((size_t)(q->nfind + 1) * sizeof(int));
		for (int i = 0; i < q->nfind; i++)
			col[i] = rel_col(r, q->find[i].var);
		res->ncols = (size_t)q->nfind;
		res->cols = dh_arena_alloc(x->a, (size_t)q->nfind * sizeof(char *));
		for (int i = 0; i < q->nfind; i++)
			res->cols[i] = q->keys ? q->keynames[i] : q->find[i].label;
		res->nrows = r->n;
		res->rows = q->row_w ? dh_arena_zalloc(x->a, (r->n ? r->n : 1) * w * sizeof(struct dh_value))
				     : dh_arena_alloc(x->a, (r->n ? r->n : 1) * w * sizeof(struct dh_value));
		for (size_t k = 0; k < r->n; k++) {
			if ((k & 4095) == 0 && (rc = check_cancel(x)))
				break;
			const struct dh_value *row = rel_row(r, k);
			struct dh_value *o = &res->rows[k * w];
			for (int i = 0; i < q->nfind; i++) {
				int at = q->row_w ? q->row_pos[i] : i;
				if (at >= 0)
					o[at] = row[col[i]];
			}
		}
		free(col);
		return rc;
	}
	q->row_w = 0; /* the rows come in the find layout */
	struct rel *p;
	p = rel_project(x, r, pv, np, !distinct);
	if (!p)
		return DH_ECANCELED;
	res->ncols = (size_t)q->nfind;
	res->cols = dh_arena_alloc(x->a, (size_t)q->nfind * sizeof(char *));
	for (int i = 0; i < q->nfind; i++)
		res->cols[i] = q->keys ? q->keynames[i] : q->find[i].label;
	res->bag = q->nwith > 0 && !nagg;
	int rc = 0;
	struct qfn_ctx fc = {.a = x->a, .err = x->err, .q = x->q};
	if (!nagg) {
		res->nrows = p->n;
		res->rows = dh_arena_alloc(x->a, (p->n ? p->n : 1) * (size_t)q->nfind *
							  sizeof(struct dh_value));
		for (size_t k = 0; k < p->n && rc == 0; k++) {
			const struct dh_value *row = rel_row(p, k);
			struct dh_value *o = &res->rows[k * (size_t)q->nfind];
			for (int i = 0; i < q->nfind && rc == 0; i++) {
				const struct find_elem *f = &q->find[i];
				const struct dh_value *v = &row[rel_col(p, f->var)];
				if (f->k == FE_PULL)
					rc = do_pull(x, i, f->src, f->pattern, v, f->form, &o[i]);
				else
					o[i] = *v;
			}
		}
		rel_free(p);
		return rc;
	}
	/* group */
	int gc[Q_MAXVARS];
	for (int i = 0; i < ngroup; i++)
		gc[i] = i;
	struct rowhash h;
	rowhash_build(&h, p, gc, ngroup);
	char *seen = xcalloc(p->n + 1, 1);
	size_t ngroups = 0;
	res->rows = dh_arena_alloc(x->a, (p->n ? p->n : 1) * (size_t)q->nfind * sizeof(struct dh_value));
	struct dh_value *vals = xmalloc((p->n + 1) * sizeof(*vals));
	size_t *members = xmalloc((p->n + 1) * sizeof(size_t));
	for (size_t k = 0; k < p->n && rc == 0; k++) {
		if (seen[k])
			continue;
		const struct dh_value *row = rel_row(p, k);
		size_t nm = 0;
		size_t b = key_hash(row, gc, ngroup) & h.mask;
		for (size_t j = h.head[b]; j; j = h.next[j - 1])
			if (!seen[j - 1] && key_eq(row, gc, rel_row(p, j - 1), gc, ngroup)) {
				seen[j - 1] = 1;
				members[nm++] = j - 1;
			}
		struct dh_value *o = &res->rows[ngroups++ * (size_t)q->nfind];
		for (int i = 0; i < q->nfind && rc == 0; i++) {
			const struct find_elem *f = &q->find[i];
			int col = rel_col(p, f->var);
			if (f->k == FE_VAR) {
				o[i] = row[col];
			} else if (f->k == FE_PULL) {
				rc = do_pull(x, i, f->src, f->pattern, &row[col], f->form, &o[i]);
			} else {
				for (size_t m = 0; m < nm; m++)
					vals[m] = rel_row(p, members[m])[col];
				fc.form = f->form;
				rc = q_agg_call(&fc, f->agg, f->has_n, f->n, vals, nm, &o[i]);
			}
		}
	}
	res->nrows = ngroups;
	free(vals);
	free(members);
	free(seen);
	rowhash_free(&h);
	rel_free(p);
	return rc;
empty:
	res->ncols = (size_t)q->nfind;
	res->cols = dh_arena_alloc(x->a, (size_t)q->nfind * sizeof(char *));
	for (int i = 0; i < q->nfind; i++)
		res->cols[i] = q->keys ? q->keynames[i] : q->find[i].label;
	res->nrows = 0;
	res->rows = NULL;
	return 0;
}

static int
run(struct dh_query *q, const struct dh_query_env *env, struct dh_arena *a, struct dh_result *res,
    struct dh_buf *explain, struct dh_err *err)
{
	struct qx x;
	memset(&x, 0, sizeof(x));
	x.q = q;
	x.env = env;
	x.a = a;
	x.err = err;
	x.cur_scc = -1;
	x.explain = explain;
	q->nrules = 0;
	q->rules = NULL;
	memset(res, 0, sizeof(*res));
	res->shape = q->shape;
	res->keys = q->keys;
	struct rel *r = NULL, *w = NULL;
	int rc = bind_inputs(&x, &r);
	if (rc)
		goto out;
	res->basis = x.src[0].view ? x.src[0].view->basis : 0;
	if (q->pull_pattern) {
		/* a standalone pull */
		res->shape = DH_FIND_SCALAR;
		res->ncols = 1;
		res->cols = dh_arena_alloc(a, sizeof(char *));
		res->cols[0] = "pull";
		struct dh_value eid;
		if ((rc = q_edn_value(a, q->pull_eid, &eid, err)))
			goto out;
		res->rows = dh_arena_alloc(a, sizeof(struct dh_value));
		if (explain) {
			dh_buf_adds(explain, "  pull one entity through eavt\n");
			goto out;
		}
		if ((rc = do_pull(&x, q->nfind, 0, q->pull_pattern, &eid, q->pull_eid, &res->rows[0])))
			goto out;
		res->nrows = res->rows[0].type == DH_T_NONE ? 0 : 1;
		goto out;
	}
	struct vset need;
	memset(&need, 0, sizeof(need));
	for (int i = 0; i < q->nfind; i++)
		vs_add(&need, q->find[i].var);
	for (int i = 0; i < q->nwith; i++)
		vs_add(&need, q->with[i]);
	if (explain)
		dh_buf_printf(explain, "  inputs  rows=%zu\n", r->n);
	if ((rc = eval_list(&x, q->where, q->ncl, r, 0, &need, q->sc.nvars, q->sc.names, &w)))
		goto out;
	if (explain)
		goto out;
	if ((rc = run_find(&x, w, res)))
		goto out;
	if (res->shape == DH_FIND_TUPLE || res->shape == DH_FIND_SCALAR) {
		if (res->nrows > 1)
			res->nrows = 1;
		if (res->shape == DH_FIND_SCALAR)
			res->ncols = 1;
	} else if (res->shape == DH_FIND_COLL) {
		res->ncols = 1; /* rows keep their stride of nfind == 1 */
	}
out:
	rel_free(r);
	rel_free(w);
	qx_release(&x);
	return rc;
}

int
dh_query_run(struct dh_query *q, const struct dh_query_env *env, struct dh_arena *a,
	     struct dh_result *out, struct dh_err *err)
{
	return run(q, env, a, out, NULL, err);
}

int
dh_query_explain(struct dh_query *q, const struct dh_query_env *env, struct dh_arena *a,
		 struct dh_buf *b, struct dh_err *err)
{
	struct dh_result r;
	return run(q, env, a, &r, b, err);
}
