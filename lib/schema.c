/*
 * schema: the attribute cache (see schema.h).
 */
#include <string.h>

#include "util.h"
#include "schema.h"

void
dh_schema_init(struct dh_schema *s)
{
	memset(s, 0, sizeof(*s));
	dh_arena_init(&s->arena);
}

void
dh_schema_release(struct dh_schema *s)
{
	free(s->idents);
	free(s->by_e);
	dh_arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

static uint64_t
hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static void
grow(struct dh_schema *s)
{
	size_t ocap = s->cap;
	struct dh_ident *old = s->idents;
	s->cap = ocap ? 2 * ocap : 256;
	s->idents = xcalloc(s->cap, sizeof(*s->idents));
	free(s->by_e);
	s->by_e = xcalloc(s->cap, sizeof(*s->by_e));
	s->n = 0;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].ident) {
			struct dh_ident *x = dh_schema_put(s, old[i].e, old[i].ident,
							   strlen(old[i].ident));
			x->attr = old[i].attr;
		}
	free(old);
}

static struct dh_ident **
slot_e(const struct dh_schema *s, uint64_t e)
{
	size_t i = hash_u64(e) & (s->cap - 1);
	while (s->by_e[i] && s->by_e[i]->e != e)
		i = (i + 1) & (s->cap - 1);
	return &s->by_e[i];
}

struct dh_ident *
dh_schema_put(struct dh_schema *s, uint64_t e, const char *ident, size_t n)
{
	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	/* an entity has one ident: renaming frees the old name's slot lazily by
	 * leaving it pointing at the entity, which lookups then check */
	size_t i = dh_hash_bytes(ident, n) & (s->cap - 1);
	while (s->idents[i].ident &&
	       !(strlen(s->idents[i].ident) == n && memcmp(s->idents[i].ident, ident, n) == 0))
		i = (i + 1) & (s->cap - 1);
	struct dh_ident *x = &s->idents[i];
	struct dh_ident **se = slot_e(s, e);
	if (!x->ident) {
		x->ident = dh_arena_strndup(&s->arena, ident, n);
		s->n++;
	}
	x->e = e;
	if (*se && *se != x) {
		x->attr = (*se)->attr;
		if (x->attr)
			x->attr->ident = x->ident;
		(*se)->e = 0; /* the old name no longer resolves */
	}
	*se = x;
	return x;
}

const struct dh_ident *
dh_schema_ident(const struct dh_schema *s, const char *ident, size_t n)
{
	if (!s->cap)
		return NULL;
	size_t i = dh_hash_bytes(ident, n) & (s->cap - 1);
	while (s->idents[i].ident) {
		if (strlen(s->idents[i].ident) == n && memcmp(s->idents[i].ident, ident, n) == 0)
			return s->idents[i].e ? &s->idents[i] : NULL;
		i = (i + 1) & (s->cap - 1);
	}
	return NULL;
}

const struct dh_ident *
dh_schema_entity(const struct dh_schema *s, uint64_t e)
{
	if (!s->cap || !e)
		return NULL;
	return *slot_e(s, e);
}

const struct dh_attr *
dh_schema_attr(const struct dh_schema *s, const char *ident, size_t n)
{
	const struct dh_ident *x = dh_schema_ident(s, ident, n);
	return x ? x->attr : NULL;
}

const struct dh_attr *
dh_schema_attr_id(const struct dh_schema *s, uint64_t a)
{
	const struct dh_ident *x = dh_schema_entity(s, a);
	return x ? x->attr : NULL;
}

/* --- the system schema --- */

#define KW(x) {.type = DH_T_KEYWORD, .s = {x, sizeof(x) - 1}}
#define REF(x) {.type = DH_T_REF, .ref = (x)}
#define BOOL(x) {.type = DH_T_BOOL, .b = (x)}
#define STR(x) {.type = DH_T_STRING, .s = {x, sizeof(x) - 1}}
#define D(id, attr, val) {.e = (id), .a = (attr), .v = val, .added = 1}
#define ATTR(id, name, type, card)                                                               \
	D(id, DH_A_IDENT, KW(name)), D(id, DH_A_VALUETYPE, REF(DH_E_TYPE(type))),                  \
	    D(id, DH_A_CARDINALITY, REF(card))
#define ENUM(id, name) D(id, DH_A_IDENT, KW(name))

static const struct dh_datom bootstrap[] = {
	ATTR(DH_A_IDENT, "db/ident", DH_T_KEYWORD, DH_E_CARD_ONE),
	D(DH_A_IDENT, DH_A_UNIQUE, REF(DH_E_UNIQUE_IDENTITY)),
	ATTR(DH_A_VALUETYPE, "db/valueType", DH_T_REF, DH_E_CARD_ONE),
	ATTR(DH_A_CARDINALITY, "db/cardinality", DH_T_REF, DH_E_CARD_ONE),
	ATTR(DH_A_UNIQUE, "db/unique", DH_T_REF, DH_E_CARD_ONE),
	ATTR(DH_A_INDEX, "db/index", DH_T_BOOL, DH_E_CARD_ONE),
	ATTR(DH_A_ISCOMPONENT, "db/isComponent", DH_T_BOOL, DH_E_CARD_ONE),
	ATTR(DH_A_NOHISTORY, "db/noHistory", DH_T_BOOL, DH_E_CARD_ONE),
	ATTR(DH_A_DOC, "db/doc", DH_T_STRING, DH_E_CARD_ONE),
	ATTR(DH_A_TXINSTANT, "db/txInstant", DH_T_INSTANT, DH_E_CARD_ONE),
	D(DH_A_TXINSTANT, DH_A_INDEX, BOOL(1)),
	ENUM(DH_E_TYPE(DH_T_BOOL), "db.type/boolean"),
	ENUM(DH_E_TYPE(DH_T_LONG), "db.type/long"),
	ENUM(DH_E_TYPE(DH_T_BIGDEC), "db.type/bigdec"),
	ENUM(DH_E_TYPE(DH_T_DOUBLE), "db.type/double"),
	ENUM(DH_E_TYPE(DH_T_INSTANT), "db.type/instant"),
	ENUM(DH_E_TYPE(DH_T_UUID), "db.type/uuid"),
	ENUM(DH_E_TYPE(DH_T_STRING), "db.type/string"),
	ENUM(DH_E_TYPE(DH_T_KEYWORD), "db.type/keyword"),
	ENUM(DH_E_TYPE(DH_T_BYTES), "db.type/bytes"),
	ENUM(DH_E_TYPE(DH_T_REF), "db.type/ref"),
	ENUM(DH_E_CARD_ONE, "db.cardinality/one"),
	ENUM(DH_E_CARD_MANY, "db.cardinality/many"),
	ENUM(DH_E_UNIQUE_IDENTITY, "db.unique/identity"),
	ENUM(DH_E_UNIQUE_VALUE, "db.unique/value"),
	D(DH_A_DOC, DH_A_DOC, STR("documentation string of an entity")),
};

size_t
dh_schema_bootstrap(const struct dh_datom **out)
{
	*out = bootstrap;
	return DH_ARRAY_SIZE(bootstrap);
}

/* Apply one schema datom to the attribute of entity e. */
static void
apply_prop(struct dh_schema *s, const struct dh_datom *d)
{
	struct dh_ident **se = slot_e(s, d->e);
	if (!*se)
		return; /* properties of an entity without an ident: not an attribute */
	struct dh_attr *at = (*se)->attr;
	if (!at) {
		at = dh_arena_zalloc(&s->arena, sizeof(*at));
		at->id = d->e;
		at->ident = (*se)->ident;
		(*se)->attr = at;
	}
	switch (d->a) {
	case DH_A_VALUETYPE:
		if (d->v.ref > DH_E_TYPE(DH_T_NONE) && d->v.ref < DH_E_TYPE(DH_T__COUNT))
			at->type = (enum dh_type)(d->v.ref - DH_E_TYPE(0));
		break;
	case DH_A_CARDINALITY:
		at->many = d->v.ref == DH_E_CARD_MANY;
		break;
	case DH_A_UNIQUE:
		at->unique = d->v.ref == DH_E_UNIQUE_IDENTITY ? DH_UNIQUE_IDENTITY
			     : d->v.ref == DH_E_UNIQUE_VALUE  ? DH_UNIQUE_VALUE
							       : DH_UNIQUE_NONE;
		break;
	case DH_A_INDEX:
		at->index = d->v.b;
		break;
	case DH_A_ISCOMPONENT:
		at->component = d->v.b;
		break;
	case DH_A_NOHISTORY:
		at->nohistory = d->v.b;
		break;
	case DH_A_DOC:
		at->doc = dh_arena_strndup(&s->arena, d->v.s.p, d->v.s.n);
		break;
	}
}

int
dh_schema_load(struct dh_schema *s, struct dh_view *v, struct dh_err *err)
{
	struct dh_arena tmp;
	struct dh_iter *it = NULL;
	struct dh_datom d;
	int rc = 0;
	struct dh_view cur = *v;
	cur.mode = DH_VIEW_CURRENT;
	dh_arena_init(&tmp);
	for (uint64_t a = DH_A_IDENT; a <= DH_A_DOC && rc == 0; a++) {
		struct dh_datom pat = {.a = a};
		rc = dh_iter_open(&cur, DH_AEVT, &pat, 1, &tmp, &it, err);
		if (rc)
			break;
		while ((rc = dh_iter_next(it, &d, err)) == 1) {
			if (a == DH_A_IDENT) {
				if (d.v.type == DH_T_KEYWORD)
					dh_schema_put(s, d.e, d.v.s.p, d.v.s.n);
			} else {
				apply_prop(s, &d);
			}
		}
		dh_iter_close(it);
		it = NULL;
		dh_arena_release(&tmp);
	}
	dh_arena_release(&tmp);
	return rc < 0 ? rc : 0;
}
