/*
 * tx: from EDN tx-data to datoms in the indexes (see tx.h for the rules).
 *
 * Phases, each over the whole tx-data before the next starts:
 *   1. expand   forms -> raw ops with symbolic entities (tempids, lookup refs)
 *   2. resolve  lookup refs and idents against the db before; upserts bind
 *               tempids; remaining tempids get fresh entity ids
 *   3. derive   retractEntity, retract-attribute, cas and cardinality-one
 *               implicit retractions, against the db before
 *   4. check    conflicts within the tx, uniqueness, schema rules
 *   5. apply    write the datoms, the tx entity, the log and the catalog
 */
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "dh.h"
#include "tx.h"

enum ekind { ENT_ID, ENT_TEMP, ENT_LOOKUP, ENT_TX };

struct ent {
	enum ekind kind;
	uint64_t id;       /* ENT_ID, and once resolved */
	int temp;          /* ENT_TEMP: index into tempids */
	const struct dh_attr *la; /* ENT_LOOKUP */
	const struct dh_edn *lv;
	const struct dh_edn *form;
};

enum opkind { OP_ADD, OP_RETRACT, OP_RETRACT_ATTR, OP_RETRACT_ENTITY, OP_CAS };

struct rop {
	enum opkind kind;
	struct ent e;
	const struct dh_attr *a;
	const struct dh_edn *v; /* value form; for refs an entity form */
	const struct dh_edn *old; /* cas */
	struct ent ve;          /* ref values, resolved like entities */
	int has_ve;
	struct dh_value val;
	const struct dh_edn *form;
};

struct tempid {
	const char *name; /* NULL for the implicit tempid of a map without :db/id */
	uint64_t e;
	const struct dh_edn *form;
};

/* final ops, one per datom */
struct fop {
	uint64_t e;
	const struct dh_attr *a;
	struct dh_value v;
	int added;
	const struct dh_edn *form;
};

struct txc {
	struct dh_conn *conn;
	struct dh_view *view;
	struct dh_schema *schema;
	struct dh_arena *a;     /* report lifetime */
	struct dh_arena tmp;    /* this transaction */
	struct dh_err *err;
	const char *text;
	size_t textlen;
	unsigned dbflags;
	uint64_t tx, next_eid;
	uint64_t first_new; /* ids from here on were made by this tx: no past */
	struct rop *ops;
	size_t nops, aops;
	struct tempid *temps;
	size_t ntemps, atemps;
	struct fop *fops;
	size_t nfops, afops;
	/* hash of final ops by e|a|value encoding, and of card-one e|a */
	struct slot {
		const unsigned char *k;
		size_t kn;
		size_t idx;
	} *hash;
	size_t hcap, hn;
	struct dh_buf kb;
	int schema_changed;
	int64_t tx_instant; /* from the tx-data, or 0 */
};

static int
fail_at(struct txc *t, const struct dh_edn *form, int code, const char *fmt, ...)
	DH_PRINTF(4, 5);

static int
fail_at(struct txc *t, const struct dh_edn *form, int code, const char *fmt, ...)
{
	/* the arguments may point into t->err itself: format aside first */
	char msg[sizeof(t->err->message)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dh_err_set(t->err, code, "%s", msg);
	if (form && t->text && t->err)
		t->err->position = dh_edn_charpos(t->text, t->textlen, form->pos);
	return code;
}

/* Short EDN text of a form for messages. */
static const char *
show(struct txc *t, const struct dh_edn *x)
{
	if (!x)
		return "(typed op)";
	struct dh_buf b;
	dh_buf_init(&b, 200);
	dh_edn_print(&b, x);
	if (b.overflow)
		dh_buf_adds(&b, "...");
	char *s = dh_arena_strndup(&t->tmp, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

static const char *
showv(struct txc *t, const struct dh_value *v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_value_print_edn(&b, v);
	if (b.len > 200) {
		b.len = 200;
		dh_buf_adds(&b, "...");
	}
	char *s = dh_arena_strndup(&t->tmp, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

/* --- values --- */

int
dh_tx_value(const struct dh_edn *x, enum dh_type type, struct dh_arena *a, struct dh_value *out,
	    struct dh_err *err)
{
	memset(out, 0, sizeof(*out));
	if (type == DH_T_NONE) {
		switch (x->kind) {
		case DH_EDN_BOOL: type = DH_T_BOOL; break;
		case DH_EDN_INT: type = DH_T_LONG; break;
		case DH_EDN_BIGINT:
		case DH_EDN_BIGDEC: type = DH_T_BIGDEC; break;
		case DH_EDN_FLOAT: type = DH_T_DOUBLE; break;
		case DH_EDN_STRING: type = DH_T_STRING; break;
		case DH_EDN_KEYWORD: type = DH_T_KEYWORD; break;
		case DH_EDN_TAGGED:
			if (strcmp(x->tagged.tag, "inst") == 0)
				type = DH_T_INSTANT;
			else if (strcmp(x->tagged.tag, "uuid") == 0)
				type = DH_T_UUID;
			else if (strcmp(x->tagged.tag, "bytes") == 0)
				type = DH_T_BYTES;
			break;
		default:
			break;
		}
		if (type == DH_T_NONE)
			return dh_err_set(err, DH_EBADTYPE, "cannot store a value of this form");
	}
	out->type = type;
	int ok = 0;
	const struct dh_edn *tv = x->kind == DH_EDN_TAGGED ? x->tagged.val : NULL;
	switch (type) {
	case DH_T_BOOL:
		if ((ok = x->kind == DH_EDN_BOOL))
			out->b = x->b;
		break;
	case DH_T_LONG:
		if ((ok = x->kind == DH_EDN_INT))
			out->i = x->i;
		else if (x->kind == DH_EDN_BIGINT)
			return dh_err_set(err, DH_EBADVALUE, "integer %.*s is out of range for type long",
					  (int)(x->s.n > 60 ? 60 : x->s.n), x->s.p);
		break;
	case DH_T_DOUBLE:
		if (x->kind == DH_EDN_FLOAT) {
			out->d = x->d;
			ok = 1;
		} else if (x->kind == DH_EDN_INT) {
			out->d = (double)x->i;
			ok = 1;
		}
		break;
	case DH_T_BIGDEC:
		if (x->kind == DH_EDN_BIGDEC || x->kind == DH_EDN_BIGINT) {
			if (dh_bigdec_parse(x->s.p, x->s.n, a, out))
				return dh_err_set(err, DH_EBADVALUE, "invalid decimal '%.*s'",
						  (int)(x->s.n > 60 ? 60 : x->s.n), x->s.p);
			ok = 1;
		} else if (x->kind == DH_EDN_INT) {
			char buf[32];
			int n = snprintf(buf, sizeof(buf), "%lld", (long long)x->i);
			if (dh_bigdec_parse(buf, (size_t)n, a, out))
				return dh_err_set(err, DH_EBADVALUE, "invalid decimal '%s'", buf);
			ok = 1;
		}
		break;
	case DH_T_STRING:
		if ((ok = x->kind == DH_EDN_STRING))
			out->s.p = x->s.p, out->s.n = x->s.n;
		break;
	case DH_T_KEYWORD:
		if ((ok = x->kind == DH_EDN_KEYWORD))
			out->s.p = x->s.p, out->s.n = x->s.n;
		break;
	case DH_T_INSTANT:
		if (tv && strcmp(x->tagged.tag, "inst") == 0 && tv->kind == DH_EDN_STRING) {
			if (dh_instant_parse(tv->s.p, tv->s.n, &out->i))
				return dh_err_set(err, DH_EBADTIME, "invalid instant \"%.*s\"",
						  (int)(tv->s.n > 60 ? 60 : tv->s.n), tv->s.p);
			ok = 1;
		}
		break;
	case DH_T_UUID:
		if (tv && strcmp(x->tagged.tag, "uuid") == 0 && tv->kind == DH_EDN_STRING) {
			if (dh_uuid_parse(tv->s.p, tv->s.n, out->uuid))
				return dh_err_set(err, DH_EBADVALUE, "invalid uuid \"%.*s\"",
						  (int)(tv->s.n > 60 ? 60 : tv->s.n), tv->s.p);
			ok = 1;
		}
		break;
	case DH_T_BYTES:
		if (tv && strcmp(x->tagged.tag, "bytes") == 0 && tv->kind == DH_EDN_STRING) {
			unsigned char *p;
			size_t n;
			if (dh_base64_decode(tv->s.p, tv->s.n, a, &p, &n))
				return dh_err_set(err, DH_EBADVALUE, "invalid base64 in #bytes");
			out->s.p = (const char *)p;
			out->s.n = n;
			ok = 1;
		}
		break;
	case DH_T_REF:
		if ((ok = x->kind == DH_EDN_INT && x->i > 0))
			out->ref = (uint64_t)x->i;
		break;
	default:
		break;
	}
	if (!ok)
		return dh_err_set(err, DH_EBADTYPE, "expected a value of type %s",
				  dh_type_name(type));
	if ((type == DH_T_STRING || type == DH_T_BYTES || type == DH_T_KEYWORD) &&
	    out->s.n > DH_VALUE_MAX_BYTES)
		return dh_err_set(err, DH_ETOOLONG, "value of %zu bytes is longer than the limit of %zu",
				  out->s.n, DH_VALUE_MAX_BYTES);
	return 0;
}

/* --- phase 1: expand --- */

static struct rop *
new_op(struct txc *t, enum opkind k, const struct dh_edn *form)
{
	if (t->nops == t->aops) {
		t->aops = t->aops ? 2 * t->aops : 64;
		t->ops = xrealloc(t->ops, t->aops * sizeof(*t->ops));
	}
	struct rop *o = &t->ops[t->nops++];
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->form = form;
	return o;
}

static int
new_temp(struct txc *t, const char *name, const struct dh_edn *form)
{
	if (name)
		for (size_t i = 0; i < t->ntemps; i++)
			if (t->temps[i].name && strcmp(t->temps[i].name, name) == 0)
				return (int)i;
	if (t->ntemps == t->atemps) {
		t->atemps = t->atemps ? 2 * t->atemps : 32;
		t->temps = xrealloc(t->temps, t->atemps * sizeof(*t->temps));
	}
	t->temps[t->ntemps] = (struct tempid){name, 0, form};
	return (int)t->ntemps++;
}

/* Install an attribute on first use in a schema-on-read database. */
static const struct dh_attr *
auto_attr(struct txc *t, const char *ident, size_t n)
{
	uint64_t e = t->next_eid++;
	struct dh_ident *x = dh_schema_put(t->schema, e, ident, n);
	struct dh_attr *at = dh_arena_zalloc(&t->schema->arena, sizeof(*at));
	at->id = e;
	at->ident = x->ident;
	x->attr = at;
	/* the datoms that make it an attribute are added in phase 5 */
	struct rop *o = new_op(t, OP_ADD, NULL);
	o->e = (struct ent){.kind = ENT_ID, .id = e};
	o->a = dh_schema_attr_id(t->schema, DH_A_IDENT);
	o->val = (struct dh_value){.type = DH_T_KEYWORD, .s = {x->ident, n}};
	o = new_op(t, OP_ADD, NULL);
	o->e = (struct ent){.kind = ENT_ID, .id = e};
	o->a = dh_schema_attr_id(t->schema, DH_A_CARDINALITY);
	o->val = (struct dh_value){.type = DH_T_REF, .ref = DH_E_CARD_ONE};
	t->schema_changed = 1;
	return at;
}

static int
attr_of(struct txc *t, const struct dh_edn *k, const struct dh_attr **out)
{
	if (k->kind != DH_EDN_KEYWORD)
		return fail_at(t, k, DH_EBADTX, "attribute must be a keyword, not %s", show(t, k));
	const struct dh_attr *at = dh_schema_attr(t->schema, k->s.p, k->s.n);
	if (!at) {
		if ((t->dbflags & DH_DB_SCHEMA_ON_READ) && !(k->s.n > 3 && memcmp(k->s.p, "db/", 3) == 0) &&
		    !(k->s.n > 3 && memcmp(k->s.p, "db.", 3) == 0)) {
			at = auto_attr(t, k->s.p, k->s.n);
		} else {
			fail_at(t, k, DH_ENOATTR, "attribute :%.*s does not exist", (int)k->s.n,
				k->s.p);
			dh_err_hint(t->err, "install it first: [{:db/ident :%.*s :db/valueType "
					    ":db.type/string :db/cardinality :db.cardinality/one}]",
				    (int)k->s.n, k->s.p);
			return DH_ENOATTR;
		}
	}
	*out = at;
	return 0;
}

/* An entity position: id, tempid, lookup ref, ident or the tx. */
static int
ent_of(struct txc *t, const struct dh_edn *x, struct ent *out)
{
	memset(out, 0, sizeof(*out));
	out->form = x;
	switch (x->kind) {
	case DH_EDN_INT:
		if (x->i < 0) {
			char buf[24];
			snprintf(buf, sizeof(buf), "%lld", (long long)x->i);
			out->kind = ENT_TEMP;
			out->temp = new_temp(t, dh_arena_strdup(&t->tmp, buf), x);
			return 0;
		}
		if (x->i == 0)
			return fail_at(t, x, DH_ENOENTITY, "entity id 0 does not exist");
		if ((uint64_t)x->i >= t->next_eid)
			return fail_at(t, x, DH_ENOENTITY,
				       "entity id %lld does not exist (ids so far end at %llu)",
				       (long long)x->i, (unsigned long long)(t->next_eid - 1));
		out->kind = ENT_ID;
		out->id = (uint64_t)x->i;
		return 0;
	case DH_EDN_STRING:
		if ((x->s.n == 10 && memcmp(x->s.p, "datomic.tx", 10) == 0) ||
		    (x->s.n == 13 && memcmp(x->s.p, "db/current-tx", 13) == 0)) {
			out->kind = ENT_TX;
			return 0;
		}
		if (x->s.n == 0)
			return fail_at(t, x, DH_EBADTEMPID, "tempid must not be empty");
		out->kind = ENT_TEMP;
		out->temp = new_temp(t, x->s.p, x);
		return 0;
	case DH_EDN_KEYWORD: {
		if (x->s.n == 13 && memcmp(x->s.p, "db/current-tx", 13) == 0) {
			out->kind = ENT_TX;
			return 0;
		}
		const struct dh_ident *id = dh_schema_ident(t->schema, x->s.p, x->s.n);
		if (!id)
			return fail_at(t, x, DH_ENOENTITY, "no entity has ident :%.*s", (int)x->s.n,
				       x->s.p);
		out->kind = ENT_ID;
		out->id = id->e;
		return 0;
	}
	case DH_EDN_VECTOR:
		if (x->coll.n == 2 && x->coll.items[0]->kind == DH_EDN_KEYWORD) {
			int rc = attr_of(t, x->coll.items[0], &out->la);
			if (rc)
				return rc;
			if (out->la->unique == DH_UNIQUE_NONE)
				return fail_at(t, x, DH_EBADTX,
					       "lookup ref %s: attribute :%s is not unique", show(t, x),
					       out->la->ident);
			out->kind = ENT_LOOKUP;
			out->lv = x->coll.items[1];
			return 0;
		}
		break;
	default:
		break;
	}
	return fail_at(t, x, DH_EBADTEMPID,
		       "%s is not an entity: expected an entity id, a tempid, a lookup ref or an "
		       "ident",
		       show(t, x));
}

static int expand_map(struct txc *t, const struct dh_edn *m, struct ent *self);

/* The value of attribute at in an entity map or list form. */
static int
add_value(struct txc *t, struct ent *e, const struct dh_attr *at, const struct dh_edn *v,
	  const struct dh_edn *form)
{
	struct rop *o;
	if (at->type == DH_T_REF && v->kind == DH_EDN_MAP) {
		struct ent child;
		int rc = expand_map(t, v, &child);
		if (rc)
			return rc;
		o = new_op(t, OP_ADD, form);
		o->e = *e;
		o->a = at;
		o->v = v;
		o->ve = child;
		o->has_ve = 1;
		return 0;
	}
	o = new_op(t, OP_ADD, form);
	o->e = *e;
	o->a = at;
	o->v = v;
	if (at->type == DH_T_REF) {
		int rc = ent_of(t, v, &o->ve);
		if (rc)
			return rc;
		o->has_ve = 1;
	}
	return 0;
}

static int
is_lookup_shape(const struct dh_edn *v)
{
	return v->kind == DH_EDN_VECTOR && v->coll.n == 2 &&
	       v->coll.items[0]->kind == DH_EDN_KEYWORD;
}

static int
expand_map(struct txc *t, const struct dh_edn *m, struct ent *self)
{
	const struct dh_edn *id = dh_edn_map_get(m, "db/id");
	int rc;
	if (id) {
		if ((rc = ent_of(t, id, self)))
			return rc;
	} else {
		self->kind = ENT_TEMP;
		self->temp = new_temp(t, NULL, m);
		self->form = m;
	}
	for (size_t i = 0; i < m->coll.n; i += 2) {
		const struct dh_edn *k = m->coll.items[i], *v = m->coll.items[i + 1];
		if (dh_edn_is_keyword(k, "db/id"))
			continue;
		if (k->kind != DH_EDN_KEYWORD)
			return fail_at(t, k, DH_EBADTX, "attribute must be a keyword, not %s",
				       show(t, k));
		/* reverse reference :ns/_name */
		const char *slash = memchr(k->s.p, '/', k->s.n);
		if (slash && slash[1] == '_') {
			size_t pre = (size_t)(slash - k->s.p) + 1;
			char *fwd = dh_arena_alloc(&t->tmp, k->s.n);
			memcpy(fwd, k->s.p, pre);
			memcpy(fwd + pre, slash + 2, k->s.n - pre - 1);
			fwd[k->s.n - 1] = 0;
			const struct dh_attr *at = dh_schema_attr(t->schema, fwd, k->s.n - 1);
			if (!at)
				return fail_at(t, k, DH_ENOATTR, "attribute :%s does not exist", fwd);
			if (at->type != DH_T_REF)
				return fail_at(t, k, DH_EBADTX,
					       "reverse attribute :%.*s needs :%s to be a ref",
					       (int)k->s.n, k->s.p, fwd);
			int coll = (v->kind == DH_EDN_VECTOR || v->kind == DH_EDN_LIST ||
				    v->kind == DH_EDN_SET) &&
				   !is_lookup_shape(v);
			size_t n = coll ? v->coll.n : 1;
			for (size_t j = 0; j < n; j++) {
				const struct dh_edn *x = coll ? v->coll.items[j] : v;
				struct ent other;
				rc = x->kind == DH_EDN_MAP ? expand_map(t, x, &other) : ent_of(t, x, &other);
				if (rc)
					return rc;
				struct rop *o = new_op(t, OP_ADD, k);
				o->e = other;
				o->a = at;
				o->v = m;
				o->ve = *self;
				o->has_ve = 1;
			}
			continue;
		}
		const struct dh_attr *at;
		if ((rc = attr_of(t, k, &at)))
			return rc;
		int coll = (v->kind == DH_EDN_VECTOR || v->kind == DH_EDN_LIST ||
			    v->kind == DH_EDN_SET) &&
			   !(at->type == DH_T_REF && is_lookup_shape(v));
		if (coll && !at->many)
			return fail_at(t, v, DH_EBADTYPE,
				       "attribute :%s is cardinality one: it takes one value, not %s",
				       at->ident, show(t, v));
		size_t n = coll ? v->coll.n : 1;
		for (size_t j = 0; j < n; j++)
			if ((rc = add_value(t, self, at, coll ? v->coll.items[j] : v, k)))
				return rc;
	}
	return 0;
}

static int
expand_list(struct txc *t, const struct dh_edn *l)
{
	const struct dh_edn *op = l->coll.n ? l->coll.items[0] : NULL;
	size_t n = l->coll.n;
	int rc;
	struct rop *o;
	struct ent e;
	const struct dh_attr *at;
	if (!op || op->kind != DH_EDN_KEYWORD)
		return fail_at(t, l, DH_EBADTX, "list form must start with an operation keyword, "
						"e.g. :db/add");
	if (dh_edn_is_keyword(op, "db/add") || dh_edn_is_keyword(op, "db/retract")) {
		int add = dh_edn_is_keyword(op, "db/add");
		if (n != 4 && !(n == 3 && !add))
			return fail_at(t, l, DH_EBADTX, "%s takes an entity, an attribute and a value",
				       add ? ":db/add" : ":db/retract");
		if ((rc = ent_of(t, l->coll.items[1], &e)) || (rc = attr_of(t, l->coll.items[2], &at)))
			return rc;
		if (add)
			return add_value(t, &e, at, l->coll.items[3], l);
		o = new_op(t, n == 3 ? OP_RETRACT_ATTR : OP_RETRACT, l);
		o->e = e;
		o->a = at;
		if (n == 4) {
			o->v = l->coll.items[3];
			if (at->type == DH_T_REF) {
				if ((rc = ent_of(t, o->v, &o->ve)))
					return rc;
				o->has_ve = 1;
			}
		}
		if (e.kind == ENT_TEMP)
			return fail_at(t, l->coll.items[1], DH_EBADTEMPID,
				       "cannot retract from a tempid: %s", show(t, l->coll.items[1]));
		return 0;
	}
	if (dh_edn_is_keyword(op, "db/retractEntity") || dh_edn_is_keyword(op, "db.fn/retractEntity")) {
		if (n != 2)
			return fail_at(t, l, DH_EBADTX, ":db/retractEntity takes one entity");
		if ((rc = ent_of(t, l->coll.items[1], &e)))
			return rc;
		if (e.kind == ENT_TEMP || e.kind == ENT_TX)
			return fail_at(t, l->coll.items[1], DH_EBADTEMPID,
				       ":db/retractEntity needs an existing entity, not %s",
				       show(t, l->coll.items[1]));
		o = new_op(t, OP_RETRACT_ENTITY, l);
		o->e = e;
		return 0;
	}
	if (dh_edn_is_keyword(op, "db/cas") || dh_edn_is_keyword(op, "db.fn/cas")) {
		if (n != 5)
			return fail_at(t, l, DH_EBADTX,
				       ":db/cas takes an entity, an attribute, the old and the new value");
		if ((rc = ent_of(t, l->coll.items[1], &e)) || (rc = attr_of(t, l->coll.items[2], &at)))
			return rc;
		if (at->many)
			return fail_at(t, l->coll.items[2], DH_EBADTX,
				       ":db/cas needs a cardinality-one attribute; :%s is many",
				       at->ident);
		o = new_op(t, OP_CAS, l);
		o->e = e;
		o->a = at;
		o->old = l->coll.items[3];
		o->v = l->coll.items[4];
		if (at->type == DH_T_REF) {
			if ((rc = ent_of(t, o->v, &o->ve)))
				return rc;
			o->has_ve = 1;
		}
		return 0;
	}
	return fail_at(t, op, DH_EBADTX, "unknown operation %s", show(t, op));
}

/* --- phase 2: resolve --- */

/* Entity holding unique attribute a = v in the db before, or 0. */
static int
lookup_unique(struct txc *t, const struct dh_attr *a, const struct dh_value *v, uint64_t *e)
{
	struct dh_iter *it;
	struct dh_datom pat = {.a = a->id, .v = *v}, d;
	*e = 0;
	int rc = dh_iter_open(t->view, DH_AVET, &pat, 2, &t->tmp, &it, t->err);
	if (rc)
		return rc;
	rc = dh_iter_next(it, &d, t->err);
	if (rc == 1)
		*e = d.e;
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

static int
resolve_ent(struct txc *t, struct ent *e)
{
	if (e->kind == ENT_LOOKUP) {
		struct dh_value v;
		int rc = dh_tx_value(e->lv, e->la->type, &t->tmp, &v, t->err);
		if (rc)
			return fail_at(t, e->lv, rc, "lookup ref %s: %s", show(t, e->form),
				       t->err->message);
		if ((rc = lookup_unique(t, e->la, &v, &e->id)))
			return rc;
		if (!e->id)
			return fail_at(t, e->form, DH_ENOENTITY,
				       "lookup ref %s does not resolve to an entity", show(t, e->form));
		e->kind = ENT_ID;
	} else if (e->kind == ENT_TX) {
		e->id = t->tx;
	} else if (e->kind == ENT_TEMP) {
		e->id = t->temps[e->temp].e;
	}
	return 0;
}

static int
resolve(struct txc *t)
{
	int rc;
	/* values first: upserts need them */
	for (size_t i = 0; i < t->nops; i++) {
		struct rop *o = &t->ops[i];
		if (o->kind == OP_RETRACT_ENTITY || o->kind == OP_RETRACT_ATTR)
			continue;
		if (!o->v || o->has_ve)
			continue; /* auto-attribute ops carry their value already */
		rc = dh_tx_value(o->v, o->a->type, &t->tmp, &o->val, t->err);
		if (rc)
			return fail_at(t, o->v, rc, "value %s for attribute :%s: %s", show(t, o->v),
				       o->a->ident, t->err->message);
		if (o->kind == OP_CAS && o->old->kind != DH_EDN_NIL) {
			/* checked in derive; the old value must at least convert */
			struct dh_value tmp;
			if (o->a->type != DH_T_REF &&
			    (rc = dh_tx_value(o->old, o->a->type, &t->tmp, &tmp, t->err)))
				return fail_at(t, o->old, rc, "old value %s for attribute :%s: %s",
					       show(t, o->old), o->a->ident, t->err->message);
		}
	}
	/* lookup refs in entity and value positions */
	for (size_t i = 0; i < t->nops; i++) {
		struct rop *o = &t->ops[i];
		if (o->e.kind == ENT_LOOKUP && (rc = resolve_ent(t, &o->e)))
			return rc;
		if (o->has_ve && o->ve.kind == ENT_LOOKUP && (rc = resolve_ent(t, &o->ve)))
			return rc;
	}
	/* upserts: a tempid asserting a unique-identity value that exists */
	for (size_t i = 0; i < t->nops; i++) {
		struct rop *o = &t->ops[i];
		if (o->kind != OP_ADD || o->e.kind != ENT_TEMP || o->a->unique != DH_UNIQUE_IDENTITY ||
		    o->has_ve)
			continue;
		uint64_t found;
		if ((rc = lookup_unique(t, o->a, &o->val, &found)))
			return rc;
		struct tempid *tp = &t->temps[o->e.temp];
		if (!found)
			continue;
		if (tp->e && tp->e != found)
			return fail_at(t, o->form, DH_EUNIQUE,
				       "tempid %s resolves to two entities, %llu and %llu, through "
				       "unique attributes",
				       tp->name ? tp->name : "of an entity map", (unsigned long long)tp->e,
				       (unsigned long long)found);
		tp->e = found;
	}
	/* fresh ids for the rest, in order of appearance */
	for (size_t i = 0; i < t->ntemps; i++)
		if (!t->temps[i].e)
			t->temps[i].e = t->next_eid++;
	for (size_t i = 0; i < t->nops; i++) {
		struct rop *o = &t->ops[i];
		if ((rc = resolve_ent(t, &o->e)))
			return rc;
		if (o->has_ve) {
			if ((rc = resolve_ent(t, &o->ve)))
				return rc;
			o->val = (struct dh_value){.type = DH_T_REF, .ref = o->ve.id};
		}
	}
	return 0;
}

/* --- final op set --- */

static void
hkey(struct txc *t, char tag, uint64_t e, uint64_t a, const struct dh_value *v)
{
	unsigned char p[8];
	dh_buf_reset(&t->kb);
	dh_buf_addc(&t->kb, tag);
	dh_put_u64be(p, e);
	dh_buf_add(&t->kb, p, 8);
	dh_put_u64be(p, a);
	dh_buf_add(&t->kb, p, 8);
	if (v) {
		/* spilled values would compare by digest, which is exact */
		dh_value_encode(&t->kb, v, NULL);
	}
}

/* Find the slot of t->kb; *found says whether it holds it. */
static struct slot *
hfind(struct txc *t, int *found)
{
	if ((t->hn + 1) * 2 > t->hcap) {
		size_t ocap = t->hcap;
		struct slot *old = t->hash;
		size_t first = 16; /* a one-row statement's: zeroing 256 slots was a tenth of it */
		while (first < 4 * t->nops)
			first *= 2;
		t->hcap = ocap ? 2 * ocap : first;
		t->hash = xcalloc(t->hcap, sizeof(*t->hash));
		for (size_t i = 0; i < ocap; i++)
			if (old[i].k) {
				size_t j = dh_hash_bytes(old[i].k, old[i].kn) & (t->hcap - 1);
				while (t->hash[j].k)
					j = (j + 1) & (t->hcap - 1);
				t->hash[j] = old[i];
			}
		free(old);
	}
	size_t j = dh_hash_bytes(t->kb.p, t->kb.len) & (t->hcap - 1);
	while (t->hash[j].k) {
		if (t->hash[j].kn == t->kb.len && memcmp(t->hash[j].k, t->kb.p, t->kb.len) == 0) {
			*found = 1;
			return &t->hash[j];
		}
		j = (j + 1) & (t->hcap - 1);
	}
	*found = 0;
	return &t->hash[j];
}

static void
hput(struct txc *t, struct slot *s, size_t idx)
{
	s->k = dh_arena_memdup(&t->tmp, t->kb.p, t->kb.len);
	s->kn = t->kb.len;
	s->idx = idx;
	t->hn++;
}

/* Add a final op, detecting conflicts. */
static int
final_op(struct txc *t, uint64_t e, const struct dh_attr *a, const struct dh_value *v, int added,
	 const struct dh_edn *form)
{
	int found;
	hkey(t, 'D', e, a->id, v);
	struct slot *s = hfind(t, &found);
	if (found) {
		struct fop *f = &t->fops[s->idx];
		if (f->added == added)
			return 0;
		return fail_at(t, form ? form : f->form, DH_EBADTX,
			       "transaction both asserts and retracts [%llu :%s %s]",
			       (unsigned long long)e, a->ident, showv(t, v));
	}
	if (t->nfops == t->afops) {
		t->afops = t->afops ? 2 * t->afops : 64;
		t->fops = xrealloc(t->fops, t->afops * sizeof(*t->fops));
	}
	hput(t, s, t->nfops);
	t->fops[t->nfops++] = (struct fop){e, a, *v, added, form};
	if (added && !a->many) {
		hkey(t, 'C', e, a->id, NULL);
		s = hfind(t, &found);
		if (found) {
			struct fop *f = &t->fops[s->idx];
			return fail_at(t, form, DH_EBADTX,
				       "transaction asserts two values of cardinality-one attribute "
				       ":%s of entity %llu: %s and %s",
				       a->ident, (unsigned long long)e, showv(t, &f->v), showv(t, v));
		}
		hput(t, s, t->nfops - 1);
	}
	return 0;
}

/* Current datoms of e (and a, if a), via EAVT, appended as retractions. */
static int
retract_current(struct txc *t, uint64_t e, const struct dh_attr *a, const struct dh_edn *form,
		uint64_t **components, size_t *ncomp, size_t *acomp)
{
	struct dh_iter *it;
	struct dh_datom pat = {.e = e, .a = a ? a->id : 0}, d;
	int rc = dh_iter_open(t->view, DH_EAVT, &pat, a ? 2 : 1, &t->tmp, &it, t->err);
	if (rc)
		return rc;
	while ((rc = dh_iter_next(it, &d, t->err)) == 1) {
		const struct dh_attr *da = dh_schema_attr_id(t->schema, d.a);
		if (!da) {
			rc = fail_at(t, form, DH_ECORRUPT, "datom of entity %llu has unknown attribute %llu",
				     (unsigned long long)e, (unsigned long long)d.a);
			break;
		}
		if ((rc = final_op(t, d.e, da, &d.v, 0, form)))
			break;
		if (components && da->component && d.v.type == DH_T_REF) {
			if (*ncomp == *acomp) {
				*acomp = *acomp ? 2 * *acomp : 16;
				*components = xrealloc(*components, *acomp * sizeof(**components));
			}
			(*components)[(*ncomp)++] = d.v.ref;
		}
	}
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

static int
retract_entity(struct txc *t, uint64_t e0, const struct dh_edn *form)
{
	uint64_t *todo = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (e0 < DH_E_FIRST_FREE)
		return fail_at(t, form, DH_ESCHEMA, "cannot retract system entity %llu",
			       (unsigned long long)e0);
	todo = xmalloc(sizeof(*todo) * (cap = 16));
	todo[n++] = e0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint64_t e = todo[i];
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= todo[j] == e;
		if (seen)
			continue;
		rc = retract_current(t, e, NULL, form, &todo, &n, &cap);
		if (rc)
			break;
		/* and every reference to it */
		struct dh_iter *it;
		struct dh_datom pat = {.v = {.type = DH_T_REF, .ref = e}}, d;
		if ((rc = dh_iter_open(t->view, DH_VAET, &pat, 1, &t->tmp, &it, t->err)))
			break;
		while ((rc = dh_iter_next(it, &d, t->err)) == 1) {
			const struct dh_attr *da = dh_schema_attr_id(t->schema, d.a);
			if (da && (rc = final_op(t, d.e, da, &d.v, 0, form)))
				break;
		}
		dh_iter_close(it);
		rc = rc < 0 ? rc : 0;
	}
	free(todo);
	return rc;
}

/* --- phase 3: derive --- */

static int
derive(struct txc *t)
{
	int rc;
	/* explicit ops first, so conflicts name the user's forms */
	for (size_t i = 0; i < t->nops; i++) {
		struct rop *o = &t->ops[i];
		switch (o->kind) {
		case OP_ADD:
			rc = final_op(t, o->e.id, o->a, &o->val, 1, o->form);
			break;
		case OP_RETRACT:
			rc = final_op(t, o->e.id, o->a, &o->val, 0, o->form);
			break;
		case OP_RETRACT_ATTR:
			rc = retract_current(t, o->e.id, o->a, o->form, NULL, NULL, NULL);
			break;
		case OP_RETRACT_ENTITY:
			rc = retract_entity(t, o->e.id, o->form);
			break;
		case OP_CAS: {
			struct dh_iter *it;
			struct dh_datom pat = {.e = o->e.id, .a = o->a->id}, d;
			int have = 0;
			struct dh_value cur = {0};
			if ((rc = dh_iter_open(t->view, DH_EAVT, &pat, 2, &t->tmp, &it, t->err)))
				return rc;
			if ((rc = dh_iter_next(it, &d, t->err)) == 1) {
				have = 1;
				cur = d.v;
			}
			dh_iter_close(it);
			if (rc < 0)
				return rc;
			int match;
			if (o->old->kind == DH_EDN_NIL) {
				match = !have;
			} else {
				struct dh_value old;
				struct ent oe;
				if (o->a->type == DH_T_REF) {
					if ((rc = ent_of(t, o->old, &oe)) || (rc = resolve_ent(t, &oe)))
						return rc;
					old = (struct dh_value){.type = DH_T_REF, .ref = oe.id};
				} else if ((rc = dh_tx_value(o->old, o->a->type, &t->tmp, &old, t->err))) {
					return fail_at(t, o->old, rc, "%s", t->err->message);
				}
				match = have && dh_value_eq(&old, &cur);
			}
			if (!match) {
				fail_at(t, o->form, DH_ECAS,
					"compare-and-set of :%s on entity %llu failed: expected %s, found %s",
					o->a->ident, (unsigned long long)o->e.id, show(t, o->old),
					have ? showv(t, &cur) : "nil");
				return DH_ECAS;
			}
			rc = final_op(t, o->e.id, o->a, &o->val, 1, o->form);
			break;
		}
		}
		if (rc)
			return rc;
	}
	/* implicit retraction of the old value of cardinality-one attributes */
	size_t n = t->nfops;
	for (size_t i = 0; i < n; i++) {
		struct fop f = t->fops[i];
		if (!f.added || f.a->many || f.e >= t->first_new)
			continue;
		struct dh_iter *it;
		struct dh_datom pat = {.e = f.e, .a = f.a->id}, d;
		if ((rc = dh_iter_open(t->view, DH_EAVT, &pat, 2, &t->tmp, &it, t->err)))
			return rc;
		while ((rc = dh_iter_next(it, &d, t->err)) == 1) {
			if (dh_value_eq(&d.v, &f.v))
				continue;
			int found;
			hkey(t, 'D', d.e, d.a, &d.v);
			hfind(t, &found);
			if (found)
				continue; /* retracted explicitly already */
			if ((rc = final_op(t, d.e, f.a, &d.v, 0, f.form)))
				break;
		}
		dh_iter_close(it);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* --- phase 4: check --- */

/* A new value type for attribute e is fine once it has no values: SQL's
 * ALTER COLUMN TYPE retracts them all, changes the type, and asserts the
 * converted values, in three statements of one write transaction.  (The
 * history keeps the old values; a value's encoding carries its type.)
 * 1 if this tx sets another type and e has no values, 0 if not, < 0. */
static int
retype_ok(struct txc *t, uint64_t e)
{
	int other = 0;
	for (size_t i = 0; i < t->nfops && !other; i++)
		other = t->fops[i].e == e && t->fops[i].added && t->fops[i].a->id == DH_A_VALUETYPE;
	if (!other)
		return 0;
	struct dh_iter *it;
	struct dh_datom pat = {.a = e}, d;
	int rc = dh_iter_open(t->view, DH_AEVT, &pat, 1, &t->tmp, &it, t->err);
	if (rc)
		return rc;
	rc = dh_iter_next(it, &d, t->err);
	dh_iter_close(it);
	return rc < 0 ? rc : !rc;
}

static int
check_schema_op(struct txc *t, struct fop *f)
{
	if (f->e < DH_E_FIRST_FREE)
		return fail_at(t, f->form, DH_ESCHEMA, "cannot change system entity %llu",
			       (unsigned long long)f->e);
	const struct dh_attr *cur = dh_schema_attr_id(t->schema, f->e);
	int existing = cur && cur->type != DH_T_NONE;
	switch (f->a->id) {
	case DH_A_VALUETYPE: {
		int ok = existing && (f->added ? DH_E_TYPE(cur->type) != f->v.ref : 1)
			     ? retype_ok(t, f->e)
			     : 0;
		if (ok < 0)
			return ok;
		if (!f->added && existing && !ok)
			return fail_at(t, f->form, DH_ENOTSUP,
				       "cannot remove the value type of attribute :%s", cur->ident);
		if (f->added && (f->v.ref <= DH_E_TYPE(DH_T_NONE) || f->v.ref >= DH_E_TYPE(DH_T__COUNT)))
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       ":db/valueType must be one of :db.type/boolean, long, bigdec, "
				       "double, instant, uuid, string, keyword, bytes, ref");
		if (f->added && existing && DH_E_TYPE(cur->type) != f->v.ref && !ok)
			return fail_at(t, f->form, DH_ENOTSUP,
				       "cannot change the value type of attribute :%s from %s while "
				       "it has values",
				       cur->ident, dh_type_name(cur->type));
		break;
	}
	case DH_A_CARDINALITY:
		if (f->added && f->v.ref != DH_E_CARD_ONE && f->v.ref != DH_E_CARD_MANY)
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       ":db/cardinality must be :db.cardinality/one or many");
		if (f->added && cur && cur->many && f->v.ref == DH_E_CARD_ONE)
			return fail_at(t, f->form, DH_ENOTSUP,
				       "cannot change attribute :%s from cardinality many to one",
				       cur->ident);
		break;
	case DH_A_UNIQUE:
		if (f->added && f->v.ref != DH_E_UNIQUE_IDENTITY && f->v.ref != DH_E_UNIQUE_VALUE)
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       ":db/unique must be :db.unique/identity or :db.unique/value");
		if (f->added && cur && cur->unique == DH_UNIQUE_NONE) {
			/* existing values must already be unique */
			struct dh_iter *it;
			struct dh_datom pat = {.a = f->e}, d;
			struct dh_value prev = {0};
			uint64_t preve = 0;
			int rc = dh_iter_open(t->view, DH_AVET, &pat, 1, &t->tmp, &it, t->err);
			if (rc)
				return rc;
			while ((rc = dh_iter_next(it, &d, t->err)) == 1) {
				if (preve && dh_value_eq(&prev, &d.v) && preve != d.e) {
					rc = fail_at(t, f->form, DH_EUNIQUE,
						     "cannot make :%s unique: entities %llu and %llu "
						     "share the value %s",
						     cur->ident, (unsigned long long)preve,
						     (unsigned long long)d.e, showv(t, &d.v));
					break;
				}
				prev = d.v;
				preve = d.e;
			}
			dh_iter_close(it);
			if (rc < 0)
				return rc;
		}
		break;
	case DH_A_IDENT:
		if (f->added && f->v.type == DH_T_KEYWORD && f->v.s.n > 3 &&
		    (memcmp(f->v.s.p, "db/", 3) == 0 || memcmp(f->v.s.p, "db.", 3) == 0))
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       "ident :%.*s is in the reserved namespace db", (int)f->v.s.n,
				       f->v.s.p);
		break;
	}
	t->schema_changed = 1;
	return 0;
}

/* SQL's catalog (the data of the :dh.sql attributes on attribute and table entities,
 * sqlcat.c) is schema as well: its readers cache it per schema state.  A
 * sequence's state (seq-last, seq-called) changes with every nextval and
 * is not. */
static int
catalog_attr(const struct dh_attr *a)
{
	return strncmp(a->ident, "dh.sql/", 7) == 0 && strcmp(a->ident + 7, "seq-last") != 0 &&
	       strcmp(a->ident + 7, "seq-called") != 0;
}

static int
check(struct txc *t)
{
	int rc;
	for (size_t i = 0; i < t->nfops; i++) {
		struct fop *f = &t->fops[i];
		if (f->a->id <= DH_A_DOC && (rc = check_schema_op(t, f)))
			return rc;
		if (catalog_attr(f->a))
			t->schema_changed = 1;
		if (f->a->id == DH_A_TXINSTANT && f->added) {
			if (f->e != t->tx)
				return fail_at(t, f->form, DH_EBADTX,
					       ":db/txInstant can only be set on the transaction entity");
			t->tx_instant = f->v.i;
		}
		if (f->added && f->a->unique != DH_UNIQUE_NONE) {
			uint64_t other;
			if ((rc = lookup_unique(t, f->a, &f->v, &other)))
				return rc;
			if (other && other != f->e) {
				/* fine only if this tx retracts it */
				int found;
				hkey(t, 'D', other, f->a->id, &f->v);
				struct slot *s = hfind(t, &found);
				if (!found || t->fops[s->idx].added)
					return fail_at(t, f->form, DH_EUNIQUE,
						       "unique value %s of :%s already belongs to entity "
						       "%llu",
						       showv(t, &f->v), f->a->ident,
						       (unsigned long long)other);
			}
			int found;
			hkey(t, 'U', 0, f->a->id, &f->v);
			struct slot *s = hfind(t, &found);
			if (found && t->fops[s->idx].e != f->e)
				return fail_at(t, f->form, DH_EUNIQUE,
					       "transaction gives unique value %s of :%s to entities "
					       "%llu and %llu",
					       showv(t, &f->v), f->a->ident,
					       (unsigned long long)t->fops[s->idx].e,
					       (unsigned long long)f->e);
			if (!found)
				hput(t, s, i);
		}
	}
	/* a new attribute needs a type and a cardinality (schema-on-write) */
	for (size_t i = 0; i < t->nfops; i++) {
		struct fop *f = &t->fops[i];
		if (f->a->id != DH_A_VALUETYPE || !f->added || dh_schema_attr_id(t->schema, f->e))
			continue;
		int have_ident = 0, have_card = 0;
		for (size_t j = 0; j < t->nfops; j++) {
			struct fop *g = &t->fops[j];
			if (g->e != f->e || !g->added)
				continue;
			have_ident |= g->a->id == DH_A_IDENT;
			have_card |= g->a->id == DH_A_CARDINALITY;
		}
		const struct dh_ident *id = dh_schema_entity(t->schema, f->e);
		if (!have_ident && !id)
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       "an attribute needs a :db/ident");
		if (!have_card && !(t->dbflags & DH_DB_SCHEMA_ON_READ))
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       "attribute needs :db/cardinality (:db.cardinality/one or many)");
	}
	for (size_t i = 0; i < t->nfops; i++) {
		struct fop *f = &t->fops[i];
		if (f->a->id != DH_A_CARDINALITY || !f->added || t->dbflags & DH_DB_SCHEMA_ON_READ)
			continue;
		const struct dh_attr *cur = dh_schema_attr_id(t->schema, f->e);
		int typed = cur && cur->type != DH_T_NONE;
		for (size_t j = 0; j < t->nfops && !typed; j++)
			typed = t->fops[j].e == f->e && t->fops[j].added &&
				t->fops[j].a->id == DH_A_VALUETYPE;
		if (!typed)
			return fail_at(t, f->form, DH_EBADSCHEMA,
				       "attribute needs :db/valueType, e.g. :db.type/string");
	}
	return 0;
}

/* --- phase 5: apply --- */

/* A write transaction: one LMDB write txn in which one or more tx-data
 * statements apply under one tx id, committed (log record, tx instant,
 * catalog) as a whole. */
struct dh_wtx {
	struct dh_conn *conn;
	struct dh_txn *txn;
	struct dh__dbrec db;
	struct dh__brrec br;
	struct dh_view view;
	struct dh_count_pend counts; /* since the innermost savepoint (view.pend) */
	uint64_t tx, next_eid;
	uint64_t fresh_lo; /* lowest id dh_wtx_new_eid handed out since the last apply, or 0 */
	int64_t tx_instant; /* given by the tx-data, or 0 */
	int schema_changed;
	int always; /* record the tx even if it changed nothing (Datomic) */
	struct dh_arena a; /* the datoms below */
	struct dh_datom *datoms; /* every change, in order */
	size_t ndatoms, adatoms;
	/* savepoints, innermost last: each a nested LMDB txn and what to
	 * restore when it rolls back */
	struct savepoint {
		struct dh_txn *txn;
		struct dh__brrec br;
		size_t ndatoms;
		int schema_changed;
		int64_t tx_instant;
		uint64_t mark; /* dh_wtx_mark's id */
	} *sp;
	size_t nsp, asp;
	/* what became of every savepoint made (index: its mark - 1): 0 while
	 * it stands, the mark it was released into + 1, or FATE_UNDONE */
	uint64_t *fate;
	size_t nfate, afate;
};

#define FATE_UNDONE UINT64_MAX

/* The LMDB txn statements write into: the innermost savepoint's. */
static struct dh_txn *
cur_txn(struct dh_wtx *w)
{
	return w->nsp ? w->sp[w->nsp - 1].txn : w->txn;
}

int
dh_wtx_savepoint(struct dh_wtx *w, struct dh_err *err)
{
	struct dh_txn *child;
	/* counts pending belong to the txn the savepoint starts from */
	int rc = dh_index_count_flush(cur_txn(w), w->br.seg, &w->counts, err);
	if (rc || (rc = dh_txn_begin_nested(cur_txn(w), &child, err)))
		return rc;
	if (w->nsp == w->asp) {
		w->asp = w->asp ? 2 * w->asp : 8;
		w->sp = xrealloc(w->sp, w->asp * sizeof(*w->sp));
	}
	if (w->nfate == w->afate) {
		w->afate = w->afate ? 2 * w->afate : 8;
		w->fate = xrealloc(w->fate, w->afate * sizeof(*w->fate));
	}
	w->fate[w->nfate++] = 0;
	w->sp[w->nsp++] = (struct savepoint){child, w->br, w->ndatoms, w->schema_changed,
					     w->tx_instant, w->nfate};
	w->view.txn = child;
	return 0;
}

int
dh_wtx_release(struct dh_wtx *w, struct dh_err *err)
{
	if (!w->nsp)
		return dh_err_set(err, DH_EUSAGE, "no savepoint to release");
	struct dh_txn *child = w->sp[w->nsp - 1].txn;
	int rc = dh_index_count_flush(child, w->br.seg, &w->counts, err);
	if (rc)
		return rc;
	w->nsp--;
	w->fate[w->sp[w->nsp].mark - 1] = dh_wtx_mark(w) + 1;
	w->view.txn = cur_txn(w);
	return dh_txn_commit(child, err);
}

int
dh_wtx_rollback(struct dh_wtx *w, struct dh_err *err)
{
	if (!w->nsp)
		return dh_err_set(err, DH_EUSAGE, "no savepoint to roll back to");
	struct savepoint *p = &w->sp[--w->nsp];
	w->fate[p->mark - 1] = FATE_UNDONE;
	w->counts.n = 0; /* what the undone statements counted */
	dh_txn_abort(p->txn);
	w->br = p->br;
	w->ndatoms = p->ndatoms;
	w->schema_changed = p->schema_changed;
	w->tx_instant = p->tx_instant;
	w->view.txn = cur_txn(w);
	/* the schema cache may hold what the undone statements installed */
	dh__conn_schema_invalidate(w->conn);
	return 0;
}

uint64_t
dh_wtx_mark(const struct dh_wtx *w)
{
	return w->nsp ? w->sp[w->nsp - 1].mark : 0;
}

uint64_t
dh_wtx_mark_owner(const struct dh_wtx *w, uint64_t m)
{
	/* a release hands what was done under m to the savepoint below it,
	 * which may since have been released or rolled back in turn */
	while (m && m <= w->nfate && w->fate[m - 1]) {
		if (w->fate[m - 1] == FATE_UNDONE)
			return DH_WTX_UNDONE;
		m = w->fate[m - 1] - 1;
	}
	return m;
}

static int
apply(struct txc *t, struct dh_wtx *w, struct dh_tx_report *rep)
{
	int rc;
	if (t->tx_instant) {
		if (t->tx_instant <= w->db.last_instant)
			return fail_at(t, NULL, DH_EBADTX,
				       ":db/txInstant must be after the previous transaction's");
		if (t->tx_instant > dh_now_us())
			return fail_at(t, NULL, DH_EBADTX, ":db/txInstant must not be in the future");
		if (w->tx_instant && w->tx_instant != t->tx_instant)
			return fail_at(t, NULL, DH_EBADTX,
				       ":db/txInstant given twice in one transaction");
	}
	/* drop ops that change nothing: Datomic elides redundant datoms */
	size_t wi = 0, nret = 0;
	for (size_t i = 0; i < t->nfops; i++) {
		struct fop *f = &t->fops[i];
		rc = f->e >= t->first_new
			 ? 0
			 : dh_view_has(t->view, f->e, f->a->id, &f->v, NULL, t->err);
		if (rc < 0)
			return rc;
		if (rc == f->added)
			continue;
		t->fops[wi++] = *f;
		nret += !f->added;
	}
	t->nfops = wi;
	rep->tx = t->tx;
	rep->ndatoms = t->nfops;
	rep->datoms = dh_arena_alloc(t->a, (t->nfops ? t->nfops : 1) * sizeof(*rep->datoms));
	size_t ri = 0, ai = nret;
	for (size_t i = 0; i < t->nfops; i++) {
		struct fop *f = &t->fops[i];
		struct dh_datom *d = &rep->datoms[f->added ? ai++ : ri++];
		d->e = f->e;
		d->a = f->a->id;
		d->v = dh_value_copy(t->a, &f->v);
		d->tx = t->tx;
		d->added = f->added;
	}
	/* retractions first: a value can move between entities in one tx */
	for (size_t i = 0; i < rep->ndatoms; i++) {
		struct dh_datom *d = &rep->datoms[i];
		const struct dh_attr *at = dh_schema_attr_id(t->schema, d->a);
		rc = dh_index_write(t->view, d->e, d->a, &d->v, t->tx, d->added, !at->nohistory,
				    t->err);
		if (rc)
			return rc;
		w->br.datoms += d->added ? 1 : (uint64_t)-1;
	}
	/* per-attribute counts for the query planner */
	struct dh_attr_delta *deltas = dh_arena_alloc(t->a, (rep->ndatoms + 1) * sizeof(*deltas));
	for (size_t i = 0; i < rep->ndatoms; i++)
		deltas[i] = (struct dh_attr_delta){rep->datoms[i].a, rep->datoms[i].added ? 1 : -1};
	dh_index_count_defer(&w->counts, deltas, rep->ndatoms);
	rep->ntempids = 0;
	rep->tempids = dh_arena_alloc(t->a, (t->ntemps ? t->ntemps : 1) * sizeof(*rep->tempids));
	for (size_t i = 0; i < t->ntemps; i++)
		if (t->temps[i].name)
			rep->tempids[rep->ntempids++] = (struct dh_tempid){
			    dh_arena_strdup(t->a, t->temps[i].name), t->temps[i].e};
	/* the log record is written at commit, from every statement's datoms */
	for (size_t i = 0; i < rep->ndatoms; i++) {
		if (w->ndatoms == w->adatoms) {
			w->adatoms = w->adatoms ? 2 * w->adatoms : 64;
			w->datoms = xrealloc(w->datoms, w->adatoms * sizeof(*w->datoms));
		}
		struct dh_datom d = rep->datoms[i];
		d.v = dh_value_copy(&w->a, &d.v);
		w->datoms[w->ndatoms++] = d;
	}
	w->next_eid = t->next_eid;
	if (t->tx_instant)
		w->tx_instant = t->tx_instant;
	if (t->schema_changed) {
		w->schema_changed = 1;
		w->br.schema_tx = t->tx;
		/* the next statement must see this one's attributes */
		dh__conn_schema_invalidate(w->conn);
	}
	return 0;
}

int
dh_wtx_begin(struct dh_conn *c, struct dh_wtx **out, struct dh_err *err)
{
	return dh_wtx_begin_flags(c, 0, out, err);
}

int
dh_wtx_begin_flags(struct dh_conn *c, unsigned flags, struct dh_wtx **out, struct dh_err *err)
{
	struct dh_wtx *w = xcalloc(1, sizeof(*w));
	int rc;
	*out = NULL;
	w->conn = c;
	dh_arena_init(&w->a);
	unsigned tf = flags & DH_WTX_READONLY ? 0
					       : DH_TXN_WRITE | (flags & DH_WTX_SHORT ? DH_TXN_SHORT : 0);
	if ((rc = dh_txn_begin_flags(dh_conn_store(c), tf, &w->txn, err)))
		goto fail;
	if ((rc = dh__db_get(w->txn, dh_conn_db(c), &w->db, err)) ||
	    (rc = dh__branch_get(w->txn, w->db.id, dh_conn_db(c), dh_conn_branch(c), &w->br, err)))
		goto fail;
	dh__view_init(&w->view, w->txn, w->db.id, &w->br);
	w->view.pend = &w->counts;
	w->next_eid = w->db.next_eid;
	w->tx = w->next_eid++;
	*out = w;
	return 0;
fail:
	dh_wtx_abort(w);
	return rc;
}

struct dh_view *
dh_wtx_view(struct dh_wtx *w)
{
	return &w->view;
}

uint64_t
dh_wtx_tx(const struct dh_wtx *w)
{
	return w->tx;
}

void
dh_wtx_abort(struct dh_wtx *w)
{
	if (!w)
		return;
	while (w->nsp)
		dh_txn_abort(w->sp[--w->nsp].txn);
	free(w->sp);
	free(w->fate);
	free(w->counts.d);
	if (w->txn)
		dh_txn_abort(w->txn);
	if (w->ndatoms || w->schema_changed)
		dh__conn_schema_invalidate(w->conn);
	free(w->datoms);
	dh_arena_release(&w->a);
	free(w);
}

static int
datom_key_cmp(const void *x, const void *y)
{
	const struct dh_datom *a = x, *b = y;
	if (a->e != b->e)
		return a->e < b->e ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	int c = dh_value_cmp(&a->v, &b->v);
	if (c)
		return c;
	/* the order they happened in: tx is the same, so use the slot */
	return a->tx < b->tx ? -1 : a->tx > b->tx;
}

int
dh_wtx_commit(struct dh_wtx *w, struct dh_tx_report *rep, struct dh_err *err)
{
	int rc;
	size_t n = 0;
	int64_t now = dh_now_us();
	int64_t inst = w->tx_instant ? w->tx_instant
				     : now > w->db.last_instant ? now : w->db.last_instant + 1;
	memset(rep, 0, sizeof(*rep));
	while (w->nsp)
		if ((rc = dh_wtx_release(w, err)))
			goto out;
	/* The log keeps what the whole transaction changed: a datom asserted
	 * by one statement and retracted by a later one is no change.  Sort
	 * by datom, keeping the order of events (tx holds the sequence here). */
	int any_retraction = 0;
	for (size_t i = 0; i < w->ndatoms; i++) {
		w->datoms[i].tx = i;
		any_retraction |= !w->datoms[i].added;
	}
	/* Without retractions every datom is a different one (a statement
	 * drops an assertion of what is already there), and nothing nets
	 * out: the sort, n log n comparisons of values, is for the others. */
	if (w->ndatoms && any_retraction)
		qsort(w->datoms, w->ndatoms, sizeof(*w->datoms), datom_key_cmp);
	for (size_t i = 0; i < w->ndatoms && !any_retraction; i++) {
		struct dh_datom d = w->datoms[i];
		d.tx = w->tx;
		w->datoms[n++] = d;
	}
	for (size_t i = 0; i < w->ndatoms && any_retraction;) {
		size_t j = i;
		while (j + 1 < w->ndatoms && w->datoms[j + 1].e == w->datoms[i].e &&
		       w->datoms[j + 1].a == w->datoms[i].a &&
		       dh_value_cmp(&w->datoms[j + 1].v, &w->datoms[i].v) == 0)
			j++;
		/* each event flips the datom: it was !first.added before */
		if (w->datoms[i].added == w->datoms[j].added) {
			struct dh_datom d = w->datoms[j];
			d.tx = w->tx;
			w->datoms[n++] = d;
		}
		i = j + 1;
	}
	if (n == 0 && !w->always && !w->schema_changed && !w->tx_instant) {
		/* nothing changed: no transaction to record (ids stay unused) */
		dh_txn_abort(w->txn);
		w->txn = NULL;
		rep->tx = 0;
		dh_wtx_abort(w);
		return 0;
	}
	/* retractions first, then the tx entity's instant */
	struct dh_datom *all = dh_arena_alloc(&w->a, (n + 1) * sizeof(*all));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!w->datoms[i].added)
			all[k++] = w->datoms[i];
	for (size_t i = 0; i < n; i++)
		if (w->datoms[i].added)
			all[k++] = w->datoms[i];
	if (!w->tx_instant) {
		struct dh_datom d = {.e = w->tx, .a = DH_A_TXINSTANT, .tx = w->tx, .added = 1};
		d.v = (struct dh_value){.type = DH_T_INSTANT, .i = inst};
		if ((rc = dh_index_write(&w->view, d.e, d.a, &d.v, w->tx, 1, 1, err)))
			goto out;
		struct dh_attr_delta delta = {DH_A_TXINSTANT, 1};
		dh_index_count_defer(&w->counts, &delta, 1);
		w->br.datoms++;
		all[k++] = d;
	}
	if ((rc = dh_index_count_flush(w->txn, w->br.seg, &w->counts, err)) ||
	    (rc = dh__log_put(w->txn, w->br.seg, w->tx, inst, w->br.datoms, all, k, err)))
		goto out;
	w->db.next_eid = w->next_eid;
	w->db.last_instant = inst;
	w->br.head_tx = w->tx;
	w->br.head_instant = inst;
	if ((rc = dh__db_put(w->txn, dh_conn_db(w->conn), &w->db, err)) ||
	    (rc = dh__branch_put(w->txn, w->db.id, dh_conn_branch(w->conn), &w->br, err)))
		goto out;
	rc = dh_txn_commit(w->txn, err);
	w->txn = NULL;
	rep->tx = w->tx;
	rep->instant = inst;
	/* committed: the connection's cached schema stays true unless this
	 * transaction changed it (dh_wtx_abort drops it then) */
	if (rc == 0)
		w->ndatoms = 0;
out:
	dh_wtx_abort(w);
	return rc;
}

int
dh_wtx_transact(struct dh_wtx *w, const struct dh_edn *txdata, const char *text, size_t textlen,
		struct dh_arena *a, struct dh_tx_report *rep, struct dh_err *err)
{
	struct txc t;
	struct dh_conn *c = w->conn;
	int rc;

	memset(rep, 0, sizeof(*rep));
	memset(&t, 0, sizeof(t));
	t.conn = c;
	t.a = a;
	t.err = err;
	t.text = text;
	t.textlen = textlen;
	dh_arena_init(&t.tmp);
	dh_buf_init(&t.kb, 0);
	if (txdata->kind != DH_EDN_VECTOR && txdata->kind != DH_EDN_LIST) {
		rc = fail_at(&t, txdata, DH_EBADTX, "tx-data must be a vector of maps and lists");
		goto out;
	}
	t.view = &w->view;
	t.dbflags = w->db.flags;
	if ((rc = dh__conn_schema(c, &w->view, &w->br, &t.schema, err)))
		goto out;
	t.next_eid = w->next_eid;
	t.first_new = w->next_eid;
	t.tx = w->tx;
	for (size_t i = 0; i < txdata->coll.n; i++) {
		const struct dh_edn *f = txdata->coll.items[i];
		if (f->kind == DH_EDN_MAP)
			rc = expand_map(&t, f, &(struct ent){0});
		else if (f->kind == DH_EDN_VECTOR || f->kind == DH_EDN_LIST)
			rc = expand_list(&t, f);
		else
			rc = fail_at(&t, f, DH_EBADTX,
				     "tx-data element must be an entity map or a list form, not %s",
				     show(&t, f));
		if (rc)
			goto out;
	}
	if ((rc = resolve(&t)) || (rc = derive(&t)) || (rc = check(&t)) ||
	    (rc = apply(&t, w, rep)))
		goto out;
out:
	if (rc)
		/* the cached schema may hold attributes this statement made */
		dh__conn_schema_invalidate(c);
	free(t.ops);
	free(t.temps);
	free(t.fops);
	free(t.hash);
	dh_buf_release(&t.kb);
	dh_arena_release(&t.tmp);
	return rc;
}

uint64_t
dh_wtx_new_eid(struct dh_wtx *w)
{
	if (!w->fresh_lo)
		w->fresh_lo = w->next_eid;
	return w->next_eid++;
}

int
dh_wtx_schema(struct dh_wtx *w, const struct dh_schema **out, struct dh_err *err)
{
	struct dh_schema *s;
	int rc = dh__conn_schema(w->conn, &w->view, &w->br, &s, err);
	*out = rc ? NULL : s;
	return rc;
}

int
dh_wtx_apply(struct dh_wtx *w, const struct dh_txop *ops, size_t n, struct dh_arena *a,
	     struct dh_tx_report *rep, struct dh_err *err)
{
	struct txc t;
	struct dh_conn *c = w->conn;
	int rc;

	memset(rep, 0, sizeof(*rep));
	memset(&t, 0, sizeof(t));
	t.conn = c;
	t.a = a;
	t.err = err;
	dh_arena_init(&t.tmp);
	dh_buf_init(&t.kb, 0);
	t.view = &w->view;
	t.dbflags = w->db.flags;
	if ((rc = dh__conn_schema(c, &w->view, &w->br, &t.schema, err)))
		goto out;
	t.next_eid = w->next_eid;
	t.first_new = w->fresh_lo ? w->fresh_lo : w->next_eid;
	t.tx = w->tx;
	for (size_t i = 0; i < n; i++) {
		const struct dh_attr *at = dh_schema_attr_id(t.schema, ops[i].a);
		if (!at) {
			rc = dh_err_set(err, DH_ENOATTR, "attribute %llu does not exist",
					(unsigned long long)ops[i].a);
			goto out;
		}
		if (ops[i].v.type == DH_T_NONE || (at->type != DH_T_NONE && ops[i].v.type != at->type)) {
			rc = dh_err_set(err, DH_EBADTYPE, "value of type %s for attribute :%s of type %s",
					dh_type_name(ops[i].v.type), at->ident,
					dh_type_name(at->type));
			goto out;
		}
		struct rop *o = new_op(&t, ops[i].added ? OP_ADD : OP_RETRACT, NULL);
		o->e = (struct ent){.kind = ENT_ID, .id = ops[i].e};
		o->a = at;
		o->val = ops[i].v;
	}
	if ((rc = resolve(&t)) || (rc = derive(&t)) || (rc = check(&t)) ||
	    (rc = apply(&t, w, rep)))
		goto out;
	w->fresh_lo = 0;
out:
	if (rc)
		dh__conn_schema_invalidate(c);
	free(t.ops);
	free(t.temps);
	free(t.fops);
	free(t.hash);
	dh_buf_release(&t.kb);
	dh_arena_release(&t.tmp);
	return rc;
}

int
dh_transact(struct dh_conn *c, const struct dh_edn *txdata, const char *text, size_t textlen,
	    struct dh_arena *a, struct dh_tx_report *rep, struct dh_err *err)
{
	struct dh_wtx *w;
	struct dh_tx_report fin;
	memset(rep, 0, sizeof(*rep));
	int rc = dh_wtx_begin(c, &w, err);
	if (rc)
		return rc;
	if ((rc = dh_wtx_transact(w, txdata, text, textlen, a, rep, err))) {
		dh_wtx_abort(w);
		return rc;
	}
	/* an empty tx-data still makes a transaction (its instant), as Datomic */
	w->always = 1;
	int own_instant = !w->tx_instant;
	if ((rc = dh_wtx_commit(w, &fin, err)))
		return rc;
	rep->tx = fin.tx;
	rep->instant = fin.instant;
	if (own_instant) {
		/* the report lists the tx entity's :db/txInstant last, as it was written */
		struct dh_datom *d = dh_arena_alloc(a, (rep->ndatoms + 1) * sizeof(*d));
		if (rep->ndatoms)
			memcpy(d, rep->datoms, rep->ndatoms * sizeof(*d));
		d[rep->ndatoms++] = (struct dh_datom){
		    .e = fin.tx, .a = DH_A_TXINSTANT, .tx = fin.tx, .added = 1,
		    .v = {.type = DH_T_INSTANT, .i = fin.instant}};
		rep->datoms = d;
	}
	return 0;
}

int
dh_transact_text(struct dh_conn *c, const char *text, size_t n, struct dh_arena *a,
		 struct dh_tx_report *rep, struct dh_err *err)
{
	struct dh_edn *x;
	size_t used;
	int rc = dh_edn_parse(a, text, n, &x, &used, err);
	if (rc)
		return rc;
	if (!x)
		return dh_err_set(err, DH_EBADTX, "empty tx-data");
	if (used < n) {
		/* only whitespace may follow */
		struct dh_edn *y;
		size_t u2;
		rc = dh_edn_parse(a, text + used, n - used, &y, &u2, err);
		if (rc == 0 && y) {
			rc = dh_err_set(err, DH_EBADTX, "tx-data must be one vector");
			err->position = dh_edn_charpos(text, n, used + y->pos);
		}
		if (rc)
			return rc;
	}
	return dh_transact(c, x, text, n, a, rep, err);
}
