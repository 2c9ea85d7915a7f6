/*
 * pull: pull patterns (see pull.h).  Semantics follow DataScript 1.x, the
 * project's oracle; where DataScript is quirky or silent the choice is noted
 * here and in pull.h.
 *
 * A pattern compiles into a tree of struct dh_pull nodes, each a list of
 * attribute specs; a recursive spec ({:a ...}, {:a 3}) points back at the
 * node that holds it, so the tree can be a graph.  Pulling walks the data
 * with an explicit stack of frames, one per entity being pulled, so neither
 * deep data nor long recursion chains touch the C stack.  Recursion stops as
 * in DataScript: a recursive or component ref to an entity already on the
 * path from the root gives {:db/id N}, and {:a N} counts levels per spec.
 */
#include <stdint.h>
#include <string.h>

#include "datom.h"
#include "edn.h"
#include "index.h"
#include "pull.h"
#include "schema.h"
#include "tx.h"
#include "util.h"

/* Datomic's default for cardinality-many and reverse attributes; DataScript
 * 1.8 has it for cardinality-many only (reverse refs come unlimited). */
#define DEFAULT_LIMIT 1000
#define NO_KEY_SLOT UINT32_MAX

enum spec_kind { SPEC_ATTR, SPEC_REVERSE, SPEC_DBID };

struct spec {
	enum spec_kind kind;
	const struct dh_attr *at; /* the forward attribute (not for SPEC_DBID) */
	struct dh_value key;	  /* in the pattern's arena; copied per pull */
	uint32_t slot;		  /* index into a pull's key/default copies */
	int64_t limit;		  /* 0: no limit */
	int single;		  /* one value or map, not a vector */
	int has_default;
	struct dh_value def;
	/* refs: NULL gives {:db/id N}; recursive specs point at their own node */
	const struct dh_pull *sub;
	int component; /* refs to it check the path, as recursion does */
	int recursive;
	int64_t rec_limit; /* 0: unlimited ("...") */
	uint32_t rec_id;
	const struct dh_edn *form;
};

struct dh_pull {
	int wildcard;
	int has_dbid;
	size_t n;
	struct spec *specs;
	/* at the root: how many slots and recursion counters the tree uses */
	uint32_t nslots, nrec;
};

/* What a plain component attribute pulls: everything. */
static const struct dh_pull wildcard_pull = {.wildcard = 1};

static const struct dh_value dbid_key = {.type = DH_T_KEYWORD, .s = {"db/id", 5}};

/* ------------------------------------------------------------------ values */


static struct dh_value
make_coll(struct dh_arena *a, enum dh_coll_kind kind, const struct dh_value *items, size_t n)
{
	struct dh_coll *c = dh_arena_alloc(a, sizeof(*c));
	c->kind = kind;
	c->n = n;
	c->items = dh_arena_alloc(a, (n ? n : 1) * sizeof(*c->items));
	if (n)
		memcpy(c->items, items, n * sizeof(*items));
	return (struct dh_value){.type = DH_T_COLL, .coll = c};
}

static struct dh_value
dbid_map(struct dh_arena *a, uint64_t e)
{
	struct dh_value kv[2] = {dbid_key, {.type = DH_T_LONG, .i = (int64_t)e}};
	return make_coll(a, DH_COLL_MAP, kv, 2);
}

/* ----------------------------------------------------------------- parsing */

struct pc {
	struct dh_arena *a;
	const struct dh_schema *s;
	const char *text;
	size_t len;
	struct dh_err *err;
	uint32_t nslots, nrec;
};

static int pfail(struct pc *pc, const struct dh_edn *form, int code, const char *fmt, ...)
    DH_PRINTF(4, 5);

static int
pfail(struct pc *pc, const struct dh_edn *form, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dh_err_vset(pc->err, code, fmt, ap);
	va_end(ap);
	if (pc->err && form && pc->text)
		pc->err->position = dh_edn_charpos(pc->text, pc->len, form->pos);
	return code;
}

/* Short EDN text of a form for messages, in the pattern's arena. */
static const char *
show(struct pc *pc, const struct dh_edn *x)
{
	struct dh_buf b;
	dh_buf_init(&b, 80);
	dh_edn_print(&b, x);
	if (b.overflow)
		dh_buf_adds(&b, "...");
	char *s = dh_arena_strndup(pc->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

static int
is_word(const struct dh_edn *x, const char *w)
{
	size_t n = strlen(w);
	return (x->kind == DH_EDN_SYMBOL || x->kind == DH_EDN_KEYWORD ||
		x->kind == DH_EDN_STRING) &&
	       x->s.n == n && memcmp(x->s.p, w, n) == 0;
}

/* *, "*" and :* (DataScript takes all three). */
static int
is_wildcard(const struct dh_edn *x)
{
	return is_word(x, "*");
}

static int
is_seq(const struct dh_edn *x)
{
	return x->kind == DH_EDN_VECTOR || x->kind == DH_EDN_LIST;
}

/* An EDN form as a value: scalars as dh_tx_value reads them, symbols as
 * strings, collections as DH_T_COLL.  Into the pattern's arena. */
static int
edn_value(struct pc *pc, const struct dh_edn *x, struct dh_value *out)
{
	int rc;
	switch (x->kind) {
	case DH_EDN_NIL:
		*out = (struct dh_value){.type = DH_T_NONE};
		return 0;
	case DH_EDN_SYMBOL:
		*out = (struct dh_value){.type = DH_T_STRING};
		out->s.p = dh_arena_strndup(pc->a, x->s.p, x->s.n);
		out->s.n = x->s.n;
		return 0;
	case DH_EDN_VECTOR:
	case DH_EDN_LIST:
	case DH_EDN_SET:
	case DH_EDN_MAP: {
		struct dh_value *items =
		    dh_arena_alloc(pc->a, (x->coll.n ? x->coll.n : 1) * sizeof(*items));
		for (size_t i = 0; i < x->coll.n; i++)
			if ((rc = edn_value(pc, x->coll.items[i], &items[i])))
				return rc;
		static const enum dh_coll_kind kinds[] = {
		    [DH_EDN_VECTOR] = DH_COLL_VECTOR,
		    [DH_EDN_LIST] = DH_COLL_LIST,
		    [DH_EDN_SET] = DH_COLL_SET,
		    [DH_EDN_MAP] = DH_COLL_MAP,
		};
		*out = make_coll(pc->a, kinds[x->kind], items, x->coll.n);
		return 0;
	}
	default:
		break;
	}
	struct dh_value v;
	struct dh_err e = {0};
	if ((rc = dh_tx_value(x, DH_T_NONE, pc->a, &v, &e)))
		return pfail(pc, x, DH_EBADEDN, "cannot use %s as a value in a pull pattern: %s",
			     show(pc, x), e.message);
	*out = dh_value_copy(pc->a, &v);
	return 0;
}

/* Resolve an attribute name (keyword form x) into sp: :db/id, :ns/a, or the
 * reverse :ns/_a (also :_a), and set the spec's defaults. */
static int
resolve_attr(struct pc *pc, const struct dh_edn *x, struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->form = x;
	if (x->kind != DH_EDN_KEYWORD || is_wildcard(x))
		return pfail(pc, x, DH_EBADEDN, "expected an attribute name, found %s",
			     show(pc, x));
	const char *name = x->s.p;
	size_t n = x->s.n;
	sp->key.type = DH_T_KEYWORD;
	sp->key.s.p = dh_arena_strndup(pc->a, name, n);
	sp->key.s.n = n;
	if (n == 5 && memcmp(name, "db/id", 5) == 0) {
		sp->kind = SPEC_DBID;
		sp->single = 1;
		return 0;
	}
	const struct dh_attr *at = dh_schema_attr(pc->s, name, n);
	const char *slash = memchr(name, '/', n);
	size_t pre = slash ? (size_t)(slash - name) + 1 : 0; /* "ns/" */
	if (!at && pre < n && name[pre] == '_') {
		/* an attribute literally named :ns/_a wins over the reverse reading */
		char *fwd = dh_arena_alloc(pc->a, n);
		memcpy(fwd, name, pre);
		memcpy(fwd + pre, name + pre + 1, n - pre - 1);
		fwd[n - 1] = 0;
		at = dh_schema_attr(pc->s, fwd, n - 1);
		if (!at)
			return pfail(pc, x, DH_ENOATTR, "attribute :%s does not exist", fwd);
		if (at->type != DH_T_REF)
			return pfail(pc, x, DH_EBADEDN,
				     "reverse attribute :%.*s needs :%s to be a ref", (int)n, name,
				     fwd);
		sp->kind = SPEC_REVERSE;
		sp->at = at;
		/* DataScript: a reverse component ref is one parent, not a vector */
		sp->single = at->component;
		sp->component = at->component;
		sp->limit = sp->single ? 0 : DEFAULT_LIMIT;
		return 0;
	}
	if (!at)
		return pfail(pc, x, DH_ENOATTR, "attribute :%.*s does not exist", (int)n, name);
	sp->kind = SPEC_ATTR;
	sp->at = at;
	sp->single = !at->many;
	sp->limit = at->many ? DEFAULT_LIMIT : 0;
	if (at->component && at->type == DH_T_REF) {
		/* DataScript pulls components whole, by * and by name alike */
		sp->component = 1;
		sp->sub = &wildcard_pull;
	}
	return 0;
}

static int
set_limit(struct pc *pc, struct spec *sp, const struct dh_edn *opt, const struct dh_edn *val)
{
	if (sp->kind == SPEC_DBID || (sp->kind == SPEC_ATTR && !sp->at->many))
		return pfail(pc, opt, DH_EBADEDN,
			     "attribute %s is not cardinality many: it takes no limit",
			     show(pc, sp->form));
	if (val->kind == DH_EDN_NIL) {
		sp->limit = 0;
		return 0;
	}
	if (val->kind != DH_EDN_INT || val->i <= 0)
		return pfail(pc, val, DH_EBADEDN,
			     "expected a positive integer or nil as the limit, found %s",
			     show(pc, val));
	if (!sp->single) /* a reverse component is one map whatever the limit */
		sp->limit = val->i;
	return 0;
}

static int
set_default(struct pc *pc, struct spec *sp, const struct dh_edn *val)
{
	int rc = edn_value(pc, val, &sp->def);
	if (rc)
		return rc;
	sp->has_default = sp->def.type != DH_T_NONE; /* DataScript: nil means none */
	return 0;
}

static int
set_as(struct pc *pc, struct spec *sp, const struct dh_edn *val)
{
	switch (val->kind) {
	case DH_EDN_STRING:
	case DH_EDN_KEYWORD:
	case DH_EDN_SYMBOL: /* no symbol values: symbols become strings */
	case DH_EDN_INT:
	case DH_EDN_BOOL:
		return edn_value(pc, val, &sp->key);
	default:
		return pfail(pc, val, DH_EBADEDN,
			     "expected a keyword, string, symbol or integer after :as, found %s",
			     show(pc, val));
	}
}

/* One attribute spec: :a, [:a opt val ...], (:a opt val ...), (limit :a n),
 * (default :a v).  Maps and * are handled by the caller. */
static int
parse_attr_spec(struct pc *pc, const struct dh_edn *x, struct spec *sp)
{
	int rc;
	if (x->kind == DH_EDN_KEYWORD && !is_wildcard(x))
		return resolve_attr(pc, x, sp);
	if (!is_seq(x))
		return pfail(
		    pc, x, DH_EBADEDN,
		    "expected an attribute, *, a map or an attribute with options, found %s",
		    show(pc, x));
	size_t n = x->coll.n;
	struct dh_edn **it = x->coll.items;
	if (n == 0)
		return pfail(pc, x, DH_EBADEDN,
			     "expected an attribute with options, found an empty %s",
			     x->kind == DH_EDN_LIST ? "list" : "vector");
	if (n == 3 && (is_word(it[0], "limit") || is_word(it[0], "default"))) {
		if ((rc = resolve_attr(pc, it[1], sp)))
			return rc;
		sp->form = it[1];
		return is_word(it[0], "limit") ? set_limit(pc, sp, it[0], it[2])
					       : set_default(pc, sp, it[2]);
	}
	if ((rc = resolve_attr(pc, it[0], sp)))
		return rc;
	for (size_t i = 1; i < n; i += 2) {
		const struct dh_edn *opt = it[i];
		if (!(opt->kind == DH_EDN_KEYWORD &&
		      (is_word(opt, "as") || is_word(opt, "limit") || is_word(opt, "default"))))
			return pfail(pc, opt, DH_EBADEDN,
				     "expected :as, :limit or :default, found %s", show(pc, opt));
		if (i + 1 == n)
			return pfail(pc, opt, DH_EBADEDN, "expected a value after %s",
				     show(pc, opt));
		/* a repeated option: the later one wins, as in DataScript */
		if (is_word(opt, "as"))
			rc = set_as(pc, sp, it[i + 1]);
		else if (is_word(opt, "limit"))
			rc = set_limit(pc, sp, opt, it[i + 1]);
		else
			rc = set_default(pc, sp, it[i + 1]);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_pattern(struct pc *pc, const struct dh_edn *x, int depth, struct dh_pull **out);

/* The value of a map entry: a sub-pattern, ... or a recursion limit. */
static int
parse_map_value(struct pc *pc, struct dh_pull *self, const struct dh_edn *v, struct spec *sp,
		int depth)
{
	if (sp->kind == SPEC_DBID || (sp->kind == SPEC_ATTR && sp->at->type != DH_T_REF))
		return pfail(pc, sp->form, DH_EBADEDN,
			     "attribute %s is not a ref: it takes no sub-pattern",
			     show(pc, sp->form));
	if (is_seq(v)) {
		struct dh_pull *sub;
		int rc = parse_pattern(pc, v, depth + 1, &sub);
		if (rc)
			return rc;
		sp->sub = sub;
		sp->recursive = 0;
		return 0;
	}
	if ((v->kind == DH_EDN_SYMBOL || v->kind == DH_EDN_STRING) && is_word(v, "...")) {
		sp->rec_limit = 0;
	} else if (v->kind == DH_EDN_INT && v->i > 0) {
		sp->rec_limit = v->i;
	} else {
		return pfail(pc, v, DH_EBADEDN,
			     "expected a sub-pattern, ... or a positive recursion limit, found %s",
			     show(pc, v));
	}
	sp->recursive = 1;
	sp->sub = self; /* recursion repeats the pattern the map is in */
	sp->rec_id = pc->nrec++;
	return 0;
}

/* Add sp to p unless p has a spec of the same attribute already: the first
 * one wins (DataScript 1.8.1 keeps the first of [:a (:a :as "x")] too, though
 * not always; see t/unit/pull-t.c). */
static void
add_spec(struct pc *pc, struct dh_pull *p, struct spec *sp)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct spec *o = &p->specs[i];
		if (o->kind == sp->kind && o->at == sp->at)
			return;
	}
	sp->slot = pc->nslots++;
	if (sp->kind == SPEC_DBID)
		p->has_dbid = 1;
	p->specs[p->n++] = *sp;
}

static int
parse_pattern(struct pc *pc, const struct dh_edn *x, int depth, struct dh_pull **out)
{
	int rc;
	if (depth > DH_EDN_MAX_DEPTH)
		return pfail(pc, x, DH_ETOOLONG, "pull pattern is nested too deeply");
	if (!is_seq(x))
		return pfail(pc, x, DH_EBADEDN, "expected a pull pattern (a vector), found %s",
			     show(pc, x));
	size_t cap = 0;
	for (size_t i = 0; i < x->coll.n; i++)
		cap += x->coll.items[i]->kind == DH_EDN_MAP ? x->coll.items[i]->coll.n / 2 : 1;
	struct dh_pull *p = dh_arena_zalloc(pc->a, sizeof(*p));
	p->specs = dh_arena_zalloc(pc->a, (cap ? cap : 1) * sizeof(*p->specs));
	for (size_t i = 0; i < x->coll.n; i++) {
		const struct dh_edn *item = x->coll.items[i];
		struct spec sp;
		if (is_wildcard(item)) {
			p->wildcard = 1;
			continue;
		}
		if (item->kind != DH_EDN_MAP) {
			if ((rc = parse_attr_spec(pc, item, &sp)))
				return rc;
			add_spec(pc, p, &sp);
			continue;
		}
		if (item->coll.n == 0)
			return pfail(pc, item, DH_EBADEDN,
				     "expected a map of ref attributes to sub-patterns, found {}");
		for (size_t j = 0; j < item->coll.n; j += 2) {
			if ((rc = parse_attr_spec(pc, item->coll.items[j], &sp)) ||
			    (rc = parse_map_value(pc, p, item->coll.items[j + 1], &sp, depth)))
				return rc;
			add_spec(pc, p, &sp);
		}
	}
	*out = p;
	return 0;
}

int
dh_pull_parse(struct dh_arena *a, const struct dh_edn *pattern, const struct dh_schema *s,
	      const char *text, size_t len, struct dh_pull **out, struct dh_err *err)
{
	struct pc pc = {.a = a, .s = s, .text = text, .len = len, .err = err};
	struct dh_pull *p;
	*out = NULL;
	if (!pattern)
		return dh_err_set(err, DH_EBADEDN,
				  "expected a pull pattern (a vector), found nothing");
	int rc = parse_pattern(&pc, pattern, 0, &p);
	if (rc)
		return rc;
	p->nslots = pc.nslots;
	p->nrec = pc.nrec;
	*out = p;
	return 0;
}

/* ----------------------------------------------------------------- pulling */

struct vec {
	struct dh_value *p;
	size_t n, alloc;
};

static void
vec_push(struct vec *v, struct dh_value x)
{
	if (v->n == v->alloc) {
		v->alloc = v->alloc ? 2 * v->alloc : 8;
		v->p = xrealloc(v->p, v->alloc * sizeof(*v->p));
	}
	v->p[v->n++] = x;
}

/* One entity being pulled. */
struct frame {
	const struct dh_pull *pat;
	uint64_t e;
	int phase;	   /* wildcard: 0 :db/id, 1 attributes present, 2 the rest */
	size_t i;	   /* position within the phase */
	uint64_t *present; /* wildcard: attribute ids of e, ascending */
	size_t npresent, apresent;
	struct vec kv; /* the result map's keys and values */
	/* the attribute whose refs are being pulled one by one */
	const struct spec *cur;
	struct dh_value cur_key;
	uint64_t *ids;
	size_t nids, aids, ii;
	struct vec vals;
	/* undone when the frame is popped */
	int on_path;
	int rec_saved;
	uint32_t rec_id;
	int64_t rec_old;
};

#define REC_UNSET INT64_MIN

/* The entities on the path from the root that a recursive or component ref
 * entered, as a hash set that is only ever popped in push order: chains are
 * threaded newest first, so a pop unlinks the head of its chain. */
struct path {
	size_t *head; /* nb buckets, SIZE_MAX: empty */
	size_t nb;
	struct {
		uint64_t e;
		size_t next;
	} * ent;
	size_t n, alloc;
};

static size_t
path_bucket(const struct path *p, uint64_t e)
{
	e ^= e >> 33;
	e *= 0xff51afd7ed558ccdull;
	e ^= e >> 33;
	return (size_t)e & (p->nb - 1);
}

static int
path_has(const struct path *p, uint64_t e)
{
	if (!p->nb)
		return 0;
	for (size_t i = p->head[path_bucket(p, e)]; i != SIZE_MAX; i = p->ent[i].next)
		if (p->ent[i].e == e)
			return 1;
	return 0;
}

static void
path_push(struct path *p, uint64_t e)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 64;
		p->ent = xrealloc(p->ent, p->alloc * sizeof(*p->ent));
	}
	if (p->n + 1 > p->nb / 2) {
		/* rebuilding in push order keeps every chain newest first */
		p->nb = p->nb ? 2 * p->nb : 64;
		free(p->head);
		p->head = xmalloc(p->nb * sizeof(*p->head));
		for (size_t b = 0; b < p->nb; b++)
			p->head[b] = SIZE_MAX;
		for (size_t i = 0; i < p->n; i++) {
			size_t b = path_bucket(p, p->ent[i].e);
			p->ent[i].next = p->head[b];
			p->head[b] = i;
		}
	}
	size_t b = path_bucket(p, e);
	p->ent[p->n].e = e;
	p->ent[p->n].next = p->head[b];
	p->head[b] = p->n++;
}

static void
path_pop(struct path *p)
{
	size_t i = --p->n;
	p->head[path_bucket(p, p->ent[i].e)] = p->ent[i].next;
}

/* Specs made up for attributes that * finds, one per attribute per pull. */
struct wspec {
	uint64_t a; /* 0: empty slot */
	struct spec *sp;
};

struct ctx {
	struct dh_view *v;
	const struct dh_schema *s;
	const struct dh_pull *root;
	struct dh_arena *out;
	struct dh_err *err;
	struct dh_arena tmp; /* decoded datoms of one attribute read */
	struct frame *fr;
	size_t nfr, afr;
	struct path path;
	int64_t *rec_left; /* per recursive spec: levels left, or REC_UNSET */
	/* per spec slot: key and default copied into out, once */
	struct dh_value *keys, *defs;
	unsigned char *copied;
	struct wspec *ws;
	size_t nws, aws;
	/* one iterator per index, opened once and re-positioned per read */
	struct dh_iter *it[2]; /* EAVT, VAET */
};

/* An iterator over idx positioned on the first ncomp components of pat. */
static int
ctx_iter(struct ctx *c, enum dh_index idx, const struct dh_datom *pat, int ncomp,
	 struct dh_iter **out)
{
	struct dh_iter **it = &c->it[idx == DH_VAET];
	*out = NULL;
	int rc = *it ? dh_iter_seek(*it, pat, ncomp, NULL, c->err)
		     : dh_iter_open(c->v, idx, pat, ncomp, &c->tmp, it, c->err);
	if (rc == 0)
		*out = *it;
	return rc;
}

static const struct spec *
wildcard_spec(struct ctx *c, uint64_t a)
{
	if ((c->nws + 1) * 2 > c->aws) {
		size_t oa = c->aws;
		struct wspec *old = c->ws;
		c->aws = oa ? 2 * oa : 64;
		c->ws = xcalloc(c->aws, sizeof(*c->ws));
		for (size_t i = 0; i < oa; i++)
			if (old[i].a) {
				size_t j =
				    (size_t)(old[i].a * 0x9e3779b97f4a7c15ull) & (c->aws - 1);
				while (c->ws[j].a)
					j = (j + 1) & (c->aws - 1);
				c->ws[j] = old[i];
			}
		free(old);
	}
	size_t j = (size_t)(a * 0x9e3779b97f4a7c15ull) & (c->aws - 1);
	while (c->ws[j].a && c->ws[j].a != a)
		j = (j + 1) & (c->aws - 1);
	if (c->ws[j].a)
		return c->ws[j].sp;
	const struct dh_attr *at = dh_schema_attr_id(c->s, a);
	if (!at)
		return NULL; /* an attribute whose ident was retracted: nothing to call it */
	struct spec *sp = dh_arena_zalloc(c->out, sizeof(*sp));
	sp->kind = SPEC_ATTR;
	sp->at = at;
	sp->key.type = DH_T_KEYWORD;
	sp->key.s.n = strlen(at->ident);
	sp->key.s.p = dh_arena_strndup(c->out, at->ident, sp->key.s.n);
	sp->slot = NO_KEY_SLOT;
	sp->single = !at->many;
	sp->limit = at->many ? DEFAULT_LIMIT : 0;
	if (at->component && at->type == DH_T_REF) {
		sp->component = 1;
		sp->sub = &wildcard_pull;
	}
	c->ws[j].a = a;
	c->ws[j].sp = sp;
	c->nws++;
	return sp;
}

/* The spec's key, in the result's arena. */
static struct dh_value
spec_key(struct ctx *c, const struct spec *sp)
{
	if (sp->slot == NO_KEY_SLOT)
		return sp->key;
	if (!c->copied[sp->slot]) {
		c->keys[sp->slot] = dh_value_copy(c->out, &sp->key);
		if (sp->has_default)
			c->defs[sp->slot] = dh_value_copy(c->out, &sp->def);
		c->copied[sp->slot] = 1;
	}
	return c->keys[sp->slot];
}

/* Add key -> val to the map; a key that is there already is overwritten, as
 * assoc does (only :as can make two specs give one key). */
static void
map_put(struct frame *f, struct dh_value key, struct dh_value val)
{
	for (size_t i = 0; i < f->kv.n; i += 2)
		if (dh_value_eq(&f->kv.p[i], &key)) {
			f->kv.p[i + 1] = val;
			return;
		}
	vec_push(&f->kv, key);
	vec_push(&f->kv, val);
}

static int
push_frame(struct ctx *c, const struct dh_pull *pat, uint64_t e)
{
	if (c->nfr >= DH_PULL_MAX_DEPTH)
		return dh_err_set(c->err, DH_ETOOLONG,
				  "pull result nested deeper than %d entities at entity %llu",
				  DH_PULL_MAX_DEPTH, (unsigned long long)e);
	if (c->nfr == c->afr) {
		size_t oa = c->afr;
		c->afr = oa ? 2 * oa : 16;
		c->fr = xrealloc(c->fr, c->afr * sizeof(*c->fr));
		memset(c->fr + oa, 0, (c->afr - oa) * sizeof(*c->fr));
	}
	/* a frame keeps its buffers from the entities it held before */
	struct frame *f = &c->fr[c->nfr++], keep = *f;
	memset(f, 0, sizeof(*f));
	f->present = keep.present;
	f->apresent = keep.apresent;
	f->kv = (struct vec){.p = keep.kv.p, .alloc = keep.kv.alloc};
	f->ids = keep.ids;
	f->aids = keep.aids;
	f->vals = (struct vec){.p = keep.vals.p, .alloc = keep.vals.alloc};
	f->pat = pat;
	f->e = e;
	return 0;
}

static void
frame_release(struct frame *f)
{
	free(f->present);
	free(f->kv.p);
	free(f->ids);
	free(f->vals.p);
}

/* Pop the top frame, undoing what entering it did. */
static void
pop_frame(struct ctx *c)
{
	struct frame *f = &c->fr[--c->nfr];
	if (f->on_path)
		path_pop(&c->path);
	if (f->rec_saved)
		c->rec_left[f->rec_id] = f->rec_old;
}

/* The attribute ids of f->e, for *. */
static int
list_present(struct ctx *c, struct frame *f)
{
	struct dh_datom pat = {.e = f->e}, d;
	struct dh_iter *it;
	int rc = ctx_iter(c, DH_EAVT, &pat, 1, &it);
	if (rc)
		goto out;
	while ((rc = dh_iter_next(it, &d, c->err)) == 1) {
		if (f->npresent && f->present[f->npresent - 1] == d.a)
			continue;
		if (f->npresent == f->apresent) {
			f->apresent = f->apresent ? 2 * f->apresent : 16;
			f->present = xrealloc(f->present, f->apresent * sizeof(*f->present));
		}
		f->present[f->npresent++] = d.a;
	}
out:
	dh_arena_release(&c->tmp);
	return rc < 0 ? rc : 0;
}

static int
is_present(const struct frame *f, uint64_t a)
{
	size_t lo = 0, hi = f->npresent;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->present[mid] < a)
			lo = mid + 1;
		else if (f->present[mid] > a)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

static const struct spec *
explicit_spec(const struct dh_pull *p, uint64_t a)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->specs[i].kind == SPEC_ATTR && p->specs[i].at->id == a)
			return &p->specs[i];
	return NULL;
}

static const struct spec wildcard_dbid = {.kind = SPEC_DBID,
					  .key = {.type = DH_T_KEYWORD, .s = {"db/id", 5}},
					  .slot = NO_KEY_SLOT,
					  .single = 1};

/* The next spec f pulls, or NULL when it is done.  Without *: the pattern's
 * specs in order.  With *: :db/id, then every attribute of the entity in
 * attribute id order (an explicit spec overriding the made-up one), then the
 * pattern's other specs in order. */
static int
next_spec(struct ctx *c, struct frame *f, const struct spec **out)
{
	const struct dh_pull *p = f->pat;
	*out = NULL;
	if (!p->wildcard) {
		if (f->i < p->n)
			*out = &p->specs[f->i++];
		return 0;
	}
	for (;;) {
		switch (f->phase) {
		case 0: {
			int rc = list_present(c, f);
			if (rc)
				return rc;
			f->phase = 1;
			f->i = 0;
			if (!p->has_dbid) {
				*out = &wildcard_dbid;
				return 0;
			}
			break;
		}
		case 1:
			while (f->i < f->npresent) {
				uint64_t a = f->present[f->i++];
				const struct spec *sp = explicit_spec(p, a);
				if (!sp)
					sp = wildcard_spec(c, a);
				if (sp) {
					*out = sp;
					return 0;
				}
			}
			f->phase = 2;
			f->i = 0;
			break;
		default:
			while (f->i < p->n) {
				const struct spec *sp = &p->specs[f->i++];
				if (sp->kind == SPEC_ATTR && is_present(f, sp->at->id))
					continue;
				*out = sp;
				return 0;
			}
			return 0;
		}
	}
}

/* Does the attribute being pulled have all the values it may take? */
static int
cur_full(const struct frame *f)
{
	const struct spec *sp = f->cur;
	return sp->single ? f->vals.n >= 1 : sp->limit && (int64_t)f->vals.n >= sp->limit;
}

/* The attribute's values are all in: put them into the map. */
static void
finish_attr(struct ctx *c, struct frame *f)
{
	const struct spec *sp = f->cur;
	if (f->vals.n)
		map_put(f, f->cur_key,
			sp->single ? f->vals.p[0]
				   : make_coll(c->out, DH_COLL_VECTOR, f->vals.p, f->vals.n));
	f->vals.n = 0;
	f->nids = f->ii = 0;
	f->cur = NULL;
}

/* Read the values of spec sp on f->e.  Plain values and refs that give
 * {:db/id N} go straight into f->vals; refs that need pulling of their own
 * are queued in f->ids for the main loop. */
static int
start_spec(struct ctx *c, struct frame *f, const struct spec *sp)
{
	struct dh_value key = spec_key(c, sp);
	if (sp->kind == SPEC_DBID) {
		map_put(f, key, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)f->e});
		return 0;
	}
	int reverse = sp->kind == SPEC_REVERSE;
	int plain_refs = !sp->sub && !sp->recursive;
	struct dh_datom pat = {.e = f->e, .a = sp->at->id}, d;
	if (reverse)
		pat.v = (struct dh_value){.type = DH_T_REF, .ref = f->e};
	struct dh_iter *it;
	size_t count = 0;
	f->cur = sp;
	f->cur_key = key;
	int rc = ctx_iter(c, reverse ? DH_VAET : DH_EAVT, &pat, 2, &it);
	if (rc)
		goto out;
	while (!cur_full(f) && (rc = dh_iter_next(it, &d, c->err)) == 1) {
		count++;
		if (!reverse && d.v.type != DH_T_REF) {
			vec_push(&f->vals, dh_value_copy(c->out, &d.v));
			continue;
		}
		uint64_t id = reverse ? d.e : d.v.ref;
		if (plain_refs) {
			vec_push(&f->vals, dbid_map(c->out, id));
			continue;
		}
		if (f->nids == f->aids) {
			f->aids = f->aids ? 2 * f->aids : 16;
			f->ids = xrealloc(f->ids, f->aids * sizeof(*f->ids));
		}
		f->ids[f->nids++] = id;
		/* a single ref pulls its first value only, even if that is nil */
		if (sp->single)
			break;
	}
out:
	dh_arena_release(&c->tmp);
	if (rc < 0) {
		f->cur = NULL;
		return rc;
	}
	if (count == 0 && sp->has_default)
		map_put(f, key, c->defs[sp->slot]);
	if (f->nids == 0)
		finish_attr(c, f);
	return 0;
}

/* Pull ref id of the current attribute: either a value now (*now set) or a
 * new frame on the stack.  DataScript's ref-frame. */
static int
enter_ref(struct ctx *c, size_t fi, uint64_t id, struct dh_value *now, int *have_now)
{
	const struct spec *sp = c->fr[fi].cur;
	*have_now = 0;
	if (!sp->recursive && !sp->component)
		return push_frame(c, sp->sub, id);
	if (path_has(&c->path, id)) {
		*now = dbid_map(c->out, id);
		*have_now = 1;
		return 0;
	}
	int64_t left = sp->recursive ? c->rec_left[sp->rec_id] : REC_UNSET;
	if (left != REC_UNSET && left <= 0) {
		*now = (struct dh_value){.type = DH_T_NONE};
		*have_now = 1;
		return 0;
	}
	int rc = push_frame(c, sp->sub, id);
	if (rc)
		return rc;
	struct frame *f = &c->fr[c->nfr - 1];
	path_push(&c->path, id);
	f->on_path = 1;
	if (sp->recursive && (left != REC_UNSET || sp->rec_limit)) {
		f->rec_saved = 1;
		f->rec_id = sp->rec_id;
		f->rec_old = left;
		c->rec_left[sp->rec_id] = left != REC_UNSET ? left - 1 : sp->rec_limit - 1;
	}
	return 0;
}

static int
run(struct ctx *c, struct dh_value *out)
{
	int rc;
	for (;;) {
		size_t fi = c->nfr - 1;
		struct frame *f = &c->fr[fi];
		if (f->cur && f->ii < f->nids && !cur_full(f)) {
			struct dh_value now;
			int have_now;
			if ((rc = enter_ref(c, fi, f->ids[f->ii++], &now, &have_now)))
				return rc;
			if (have_now && now.type != DH_T_NONE)
				vec_push(&c->fr[fi].vals, now);
			continue;
		}
		if (f->cur) {
			finish_attr(c, f);
			continue;
		}
		const struct spec *sp;
		if ((rc = next_spec(c, f, &sp)))
			return rc;
		if (sp) {
			if ((rc = start_spec(c, f, sp)))
				return rc;
			continue;
		}
		/* the entity is done: a map, or nil when nothing was found */
		struct dh_value r = {.type = DH_T_NONE};
		if (f->kv.n)
			r = make_coll(c->out, DH_COLL_MAP, f->kv.p, f->kv.n);
		pop_frame(c);
		if (c->nfr == 0) {
			*out = r;
			return 0;
		}
		if (r.type != DH_T_NONE)
			vec_push(&c->fr[c->nfr - 1].vals, r);
	}
}

struct dh_puller {
	struct ctx c;
};

int
dh_puller_open(struct dh_view *v, const struct dh_schema *s, const struct dh_pull *p,
	       struct dh_puller **out, struct dh_err *err)
{
	*out = NULL;
	if (v->mode == DH_VIEW_HISTORY)
		return dh_err_set(err, DH_ENOTSUP, "pull is not supported on a history view");
	struct dh_puller *pl = xcalloc(1, sizeof(*pl));
	struct ctx *c = &pl->c;
	c->v = v;
	c->s = s;
	c->root = p;
	dh_arena_init(&c->tmp);
	c->rec_left = xmalloc((p->nrec ? p->nrec : 1) * sizeof(*c->rec_left));
	c->keys = xcalloc(p->nslots ? p->nslots : 1, sizeof(*c->keys));
	c->defs = xcalloc(p->nslots ? p->nslots : 1, sizeof(*c->defs));
	c->copied = xcalloc(p->nslots ? p->nslots : 1, 1);
	*out = pl;
	return 0;
}

int
dh_puller_pull(struct dh_puller *pl, uint64_t e, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err)
{
	struct ctx *c = &pl->c;
	const struct dh_pull *p = c->root;
	int rc;
	*out = (struct dh_value){.type = DH_T_NONE};
	/* what an earlier pull copied into its arena is not in this one */
	c->out = a;
	c->err = err;
	for (uint32_t i = 0; i < p->nrec; i++)
		c->rec_left[i] = REC_UNSET;
	memset(c->copied, 0, p->nslots ? p->nslots : 1);
	if (c->nws) {
		memset(c->ws, 0, c->aws * sizeof(*c->ws));
		c->nws = 0;
	}
	rc = push_frame(c, p, e);
	if (rc == 0)
		rc = run(c, out);
	while (c->nfr)
		pop_frame(c);
	c->path.n = 0;
	for (size_t b = 0; b < c->path.nb; b++)
		c->path.head[b] = SIZE_MAX;
	dh_arena_release(&c->tmp);
	return rc;
}

void
dh_puller_close(struct dh_puller *pl)
{
	if (!pl)
		return;
	struct ctx *c = &pl->c;
	for (int i = 0; i < 2; i++)
		dh_iter_close(c->it[i]);
	for (size_t i = 0; i < c->afr; i++)
		frame_release(&c->fr[i]);
	free(c->fr);
	free(c->path.head);
	free(c->path.ent);
	free(c->rec_left);
	free(c->keys);
	free(c->defs);
	free(c->copied);
	free(c->ws);
	dh_arena_release(&c->tmp);
	free(pl);
}

int
dh_pull_entity(struct dh_view *v, const struct dh_schema *s, const struct dh_pull *p, uint64_t e,
	       struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_puller *pl;
	*out = (struct dh_value){.type = DH_T_NONE};
	int rc = dh_puller_open(v, s, p, &pl, err);
	if (rc == 0)
		rc = dh_puller_pull(pl, e, a, out, err);
	dh_puller_close(pl);
	return rc;
}
