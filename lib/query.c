/*
 * query: Datalog text -> struct dh_query (see query.h, query-int.h).
 *
 * Parsing checks the shape of the query and names its variables; it does
 * not look at any database.  Attributes, idents and lookup refs are
 * resolved when the query is planned against its sources (qexec.c).
 */
#include <stdarg.h>
#include <string.h>

#include "query-int.h"
#include "tx.h"

int
q_err(struct dh_query *q, struct dh_err *err, int code, const struct dh_edn *at, const char *fmt,
      ...)
{
	va_list ap;
	va_start(ap, fmt);
	dh_err_vset(err, code, fmt, ap);
	va_end(ap);
	if (err && at && q && q->text)
		err->position = dh_edn_charpos(q->text, q->len, at->pos);
	return code;
}

int
q_var(struct scope *sc, struct dh_arena *a, const char *name, size_t n)
{
	for (int i = 0; i < sc->nvars; i++)
		if (strlen(sc->names[i]) == n && memcmp(sc->names[i], name, n) == 0)
			return i;
	if (sc->nvars == Q_MAXVARS)
		return -1;
	if (sc->nvars == sc->cap) {
		int nc = sc->cap ? 2 * sc->cap : 16;
		const char **nn = dh_arena_alloc(a, (size_t)nc * sizeof(*nn));
		if (sc->nvars)
			memcpy(nn, sc->names, (size_t)sc->nvars * sizeof(*nn));
		sc->names = nn;
		sc->cap = nc;
	}
	sc->names[sc->nvars] = dh_arena_strndup(a, name, n);
	return sc->nvars++;
}

static int
is_var(const struct dh_edn *x)
{
	return x && x->kind == DH_EDN_SYMBOL && x->s.n > 1 && x->s.p[0] == '?';
}
static int
is_blank(const struct dh_edn *x)
{
	return x && x->kind == DH_EDN_SYMBOL && x->s.p[0] == '_';
}
static int
is_src(const struct dh_edn *x)
{
	return x && x->kind == DH_EDN_SYMBOL && x->s.p[0] == '$';
}
static int
is_sym(const struct dh_edn *x, const char *s)
{
	return dh_edn_is_symbol(x, s);
}

/* Generic EDN -> value (no schema). */
int
q_edn_value(struct dh_arena *a, const struct dh_edn *x, struct dh_value *out, struct dh_err *err)
{
	memset(out, 0, sizeof(*out));
	switch (x->kind) {
	case DH_EDN_NIL:
		out->type = DH_T_NONE;
		return 0;
	case DH_EDN_BOOL:
		out->type = DH_T_BOOL;
		out->b = x->b;
		return 0;
	case DH_EDN_INT:
		out->type = DH_T_LONG;
		out->i = x->i;
		return 0;
	case DH_EDN_BIGINT:
	case DH_EDN_BIGDEC:
		if (dh_bigdec_parse(x->s.p, x->s.n, a, out))
			return dh_err_set(err, DH_EBADVALUE, "invalid number %.*s",
					  (int)(x->s.n > 60 ? 60 : x->s.n), x->s.p);
		return 0;
	case DH_EDN_FLOAT:
		out->type = DH_T_DOUBLE;
		out->d = x->d;
		return 0;
	case DH_EDN_CHAR: {
		char buf[8];
		int n = 0;
		uint32_t c = x->ch;
		if (c < 0x80)
			buf[n++] = (char)c;
		else if (c < 0x800) {
			buf[n++] = (char)(0xc0 | (c >> 6));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			buf[n++] = (char)(0xe0 | (c >> 12));
			buf[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			buf[n++] = (char)(0xf0 | (c >> 18));
			buf[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
			buf[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		}
		out->type = DH_T_STRING;
		out->s.p = dh_arena_memdup(a, buf, (size_t)n);
		out->s.n = (size_t)n;
		return 0;
	}
	case DH_EDN_STRING:
		out->type = DH_T_STRING;
		out->s.p = x->s.p;
		out->s.n = x->s.n;
		return 0;
	case DH_EDN_KEYWORD:
		out->type = DH_T_KEYWORD;
		out->s.p = x->s.p;
		out->s.n = x->s.n;
		return 0;
	case DH_EDN_SYMBOL:
		/* a quoted symbol as data: keep its text */
		out->type = DH_T_STRING;
		out->s.p = x->s.p;
		out->s.n = x->s.n;
		return 0;
	case DH_EDN_TAGGED:
		if (strcmp(x->tagged.tag, "inst") == 0 || strcmp(x->tagged.tag, "uuid") == 0 ||
		    strcmp(x->tagged.tag, "bytes") == 0) {
			return dh_tx_value(x, DH_T_NONE, a, out, err);
		}
		return dh_err_set(err, DH_EBADVALUE, "unknown tag #%s", x->tagged.tag);
	case DH_EDN_LIST:
	case DH_EDN_VECTOR:
	case DH_EDN_SET:
	case DH_EDN_MAP: {
		struct dh_coll *c = dh_arena_zalloc(a, sizeof(*c));
		c->kind = x->kind == DH_EDN_LIST     ? DH_COLL_LIST
			  : x->kind == DH_EDN_VECTOR ? DH_COLL_VECTOR
			  : x->kind == DH_EDN_SET    ? DH_COLL_SET
						     : DH_COLL_MAP;
		c->n = x->coll.n;
		c->items = dh_arena_alloc(a, (c->n ? c->n : 1) * sizeof(*c->items));
		for (size_t i = 0; i < c->n; i++) {
			int rc = q_edn_value(a, x->coll.items[i], &c->items[i], err);
			if (rc)
				return rc;
		}
		out->type = DH_T_COLL;
		out->coll = c;
		return 0;
	}
	}
	return dh_err_set(err, DH_EBADVALUE, "unsupported value");
}

/* --- parsing --- */

struct pctx {
	struct dh_query *q;
	struct dh_arena *a;
	struct dh_err *err;
	struct scope *sc;
	int is_rule;
};

static int parse_clauses(struct pctx *p, struct dh_edn *const *items, size_t n, int *ncl,
			 struct clause ***out);

static int
add_var(struct pctx *p, const struct dh_edn *x, int *v)
{
	*v = q_var(p->sc, p->a, x->s.p, x->s.n);
	if (*v < 0)
		return q_err(p->q, p->err, DH_ETOOLONG, x, "too many variables (more than %d)",
			     Q_MAXVARS);
	return 0;
}

static int
parse_term(struct pctx *p, const struct dh_edn *x, struct term *t, struct vset *vars)
{
	memset(t, 0, sizeof(*t));
	t->form = x;
	if (is_var(x)) {
		t->k = TK_VAR;
		int rc = add_var(p, x, &t->var);
		if (rc)
			return rc;
		vs_add(vars, t->var);
		return 0;
	}
	if (is_blank(x)) {
		t->k = TK_BLANK;
		return 0;
	}
	if (x->kind == DH_EDN_SYMBOL)
		return q_err(p->q, p->err, DH_EBADQUERY, x,
			     "unexpected symbol %.*s: expected a variable, _ or a constant",
			     (int)x->s.n, x->s.p);
	t->k = TK_CONST;
	return q_edn_value(p->a, x, &t->val, p->err) ? q_err(p->q, p->err, p->err->code, x, "%s",
							    p->err->message)
						   : 0;
}

static int
parse_binding(struct pctx *p, struct clause *c, const struct dh_edn *b)
{
	if (is_var(b) || is_blank(b)) {
		c->bk = BK_SCALAR;
		c->nb = 1;
		c->bv = dh_arena_alloc(p->a, sizeof(int));
		c->bv[0] = -1;
		if (is_var(b)) {
			int rc = add_var(p, b, &c->bv[0]);
			if (rc)
				return rc;
			vs_add(&c->vars, c->bv[0]);
		}
		return 0;
	}
	if (b->kind != DH_EDN_VECTOR || b->coll.n == 0)
		goto bad;
	const struct dh_edn *const *it = (const struct dh_edn *const *)b->coll.items;
	size_t n = b->coll.n;
	if (n == 1 && it[0]->kind == DH_EDN_VECTOR) {
		c->bk = BK_REL;
		it = (const struct dh_edn *const *)it[0]->coll.items;
		n = b->coll.items[0]->coll.n;
		if (n == 0)
			goto bad;
	} else if (n == 2 && is_sym(it[1], "...")) {
		c->bk = BK_COLL;
		n = 1;
	} else {
		c->bk = BK_TUPLE;
	}
	c->nb = (int)n;
	c->bv = dh_arena_alloc(p->a, n * sizeof(int));
	for (size_t i = 0; i < n; i++) {
		c->bv[i] = -1;
		if (is_var(it[i])) {
			int rc = add_var(p, it[i], &c->bv[i]);
			if (rc)
				return rc;
			vs_add(&c->vars, c->bv[i]);
		} else if (!is_blank(it[i])) {
			b = it[i];
			goto bad;
		}
	}
	return 0;
bad:
	return q_err(p->q, p->err, DH_EBADQUERY, b,
		     "invalid binding: expected ?x, [?a ?b], [?x ...] or [[?a ?b]]");
}

/* [(f args...) binding?] */
static int
parse_fn_clause(struct pctx *p, const struct dh_edn *x, struct clause *c)
{
	const struct dh_edn *call = x->coll.items[0];
	if (call->coll.n == 0 || call->coll.items[0]->kind != DH_EDN_SYMBOL)
		return q_err(p->q, p->err, DH_EBADQUERY, call,
			     "expected a function call (name args...)");
	const struct dh_edn *fname = call->coll.items[0];
	unsigned flags = 0;
	c->fn = q_fn_lookup(fname->s.p, fname->s.n, &flags);
	c->name = dh_arena_strndup(p->a, fname->s.p, fname->s.n);
	if (c->fn < 0)
		return q_err(p->q, p->err, DH_EBADQUERY, fname, "unknown function %s", c->name);
	if (x->coll.n > 2)
		return q_err(p->q, p->err, DH_EBADQUERY, x->coll.items[2],
			     "unexpected form after the binding of %s", c->name);
	c->k = x->coll.n == 2 ? CK_FN : CK_PRED;
	if (c->k == CK_PRED && !(flags & FN_PRED))
		return q_err(p->q, p->err, DH_EBADQUERY, x,
			     "function %s needs a binding: [(%s ...) ?result]", c->name, c->name);
	size_t first = 1;
	if (flags & FN_NEEDS_SRC) {
		if (call->coll.n < 2 || !is_src(call->coll.items[1]))
			return q_err(p->q, p->err, DH_EBADQUERY, call,
				     "function %s takes a database as its first argument ($)",
				     c->name);
		c->src = -1;
		const struct dh_edn *s = call->coll.items[1];
		for (int i = 0; i < p->q->nsrcnames; i++)
			if (strlen(p->q->srcnames[i]) == s->s.n &&
			    memcmp(p->q->srcnames[i], s->s.p, s->s.n) == 0)
				c->src = i;
		if (c->src < 0)
			return q_err(p->q, p->err, DH_EBADQUERY, s, "unknown source %.*s",
				     (int)s->s.n, s->s.p);
		first = 2;
	}
	c->nt = (int)(call->coll.n - first);
	c->t = dh_arena_zalloc(p->a, (size_t)(c->nt ? c->nt : 1) * sizeof(*c->t));
	for (int i = 0; i < c->nt; i++) {
		int rc = parse_term(p, call->coll.items[first + (size_t)i], &c->t[i], &c->vars);
		if (rc)
			return rc;
	}
	if (c->k == CK_FN)
		return parse_binding(p, c, x->coll.items[1]);
	return 0;
}

static int
src_index(struct pctx *p, const struct dh_edn *s, int *out)
{
	for (int i = 0; i < p->q->nsrcnames; i++)
		if (strlen(p->q->srcnames[i]) == s->s.n &&
		    memcmp(p->q->srcnames[i], s->s.p, s->s.n) == 0) {
			*out = i;
			return 0;
		}
	return q_err(p->q, p->err, DH_EBADQUERY, s, "unknown source %.*s: not named in :in",
		     (int)s->s.n, s->s.p);
}

static int
parse_pattern(struct pctx *p, const struct dh_edn *x, struct clause *c)
{
	size_t first = 0;
	c->k = CK_PAT;
	if (x->coll.n && is_src(x->coll.items[0])) {
		int rc = src_index(p, x->coll.items[0], &c->src);
		if (rc)
			return rc;
		first = 1;
	}
	size_t n = x->coll.n - first;
	if (n == 0 || n > 5)
		return q_err(p->q, p->err, DH_EBADQUERY, x,
			     "a data pattern has 1 to 5 elements [e a v tx added], got %zu", n);
	c->nt = 5;
	c->t = dh_arena_zalloc(p->a, 5 * sizeof(*c->t));
	for (int i = 0; i < 5; i++) {
		if ((size_t)i < n) {
			int rc = parse_term(p, x->coll.items[first + (size_t)i], &c->t[i], &c->vars);
			if (rc)
				return rc;
		} else {
			c->t[i].k = TK_BLANK;
			c->t[i].form = x;
		}
	}
	return 0;
}

static int
parse_varlist(struct pctx *p, const struct dh_edn *x, struct clause *c)
{
	/* [?a ?b] or [[?req] ?b] */
	if (x->kind != DH_EDN_VECTOR || x->coll.n == 0)
		return q_err(p->q, p->err, DH_EBADQUERY, x, "expected a vector of join variables");
	int n = 0;
	int *v = dh_arena_alloc(p->a, (x->coll.n + 64) * sizeof(int) * 4);
	for (size_t i = 0; i < x->coll.n; i++) {
		const struct dh_edn *y = x->coll.items[i];
		if (y->kind == DH_EDN_VECTOR && i == 0) {
			for (size_t j = 0; j < y->coll.n; j++) {
				if (!is_var(y->coll.items[j]))
					return q_err(p->q, p->err, DH_EBADQUERY, y->coll.items[j],
						     "expected a variable");
				int rc = add_var(p, y->coll.items[j], &v[n]);
				if (rc)
					return rc;
				n++;
			}
			c->nreq = n;
			continue;
		}
		if (!is_var(y))
			return q_err(p->q, p->err, DH_EBADQUERY, y, "expected a variable");
		if (n >= (int)(x->coll.n + 64) * 4)
			break;
		int rc = add_var(p, y, &v[n]);
		if (rc)
			return rc;
		n++;
	}
	c->njoin = n;
	c->join = v;
	c->explicit_join = 1;
	for (int i = 0; i < n; i++)
		vs_add(&c->vars, v[i]);
	return 0;
}

static void
vs_union(struct vset *a, const struct vset *b)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(a->w); i++)
		a->w[i] |= b->w[i];
}

static int
parse_clause(struct pctx *p, const struct dh_edn *x, struct clause **out)
{
	struct clause *c = dh_arena_zalloc(p->a, sizeof(*c));
	c->form = x;
	*out = c;
	if (x->kind == DH_EDN_VECTOR) {
		if (x->coll.n >= 1 && x->coll.items[0]->kind == DH_EDN_LIST)
			return parse_fn_clause(p, x, c);
		return parse_pattern(p, x, c);
	}
	if (x->kind != DH_EDN_LIST || x->coll.n == 0)
		return q_err(p->q, p->err, DH_EBADQUERY, x,
			     "expected a clause: a data pattern [...], a predicate [(...)], or "
			     "(not ...), (or ...), (and ...), a rule call");
	size_t first = 0;
	if (is_src(x->coll.items[0])) {
		int rc = src_index(p, x->coll.items[0], &c->src);
		if (rc)
			return rc;
		first = 1;
	}
	if (first >= x->coll.n || x->coll.items[first]->kind != DH_EDN_SYMBOL)
		return q_err(p->q, p->err, DH_EBADQUERY, x, "expected not, or, and or a rule name");
	const struct dh_edn *head = x->coll.items[first];
	struct dh_edn *const *rest = x->coll.items + first + 1;
	size_t nrest = x->coll.n - first - 1;
	int rc;
	if (is_sym(head, "not") || is_sym(head, "not-join")) {
		c->k = CK_NOT;
		if (is_sym(head, "not-join")) {
			if (nrest == 0)
				return q_err(p->q, p->err, DH_EBADQUERY, x,
					     "not-join needs a vector of variables");
			if ((rc = parse_varlist(p, rest[0], c)))
				return rc;
			rest++, nrest--;
		}
		if (nrest == 0)
			return q_err(p->q, p->err, DH_EBADQUERY, x, "%.*s needs clauses",
				     (int)head->s.n, head->s.p);
		if ((rc = parse_clauses(p, rest, nrest, &c->nsub, &c->sub)))
			return rc;
		for (int i = 0; i < c->nsub; i++) {
			if (c->src && c->sub[i]->k == CK_PAT && c->sub[i]->src == 0)
				c->sub[i]->src = c->src;
			vs_union(&c->vars, &c->sub[i]->vars);
		}
		return 0;
	}
	if (is_sym(head, "or") || is_sym(head, "or-join")) {
		c->k = CK_OR;
		if (is_sym(head, "or-join")) {
			if (nrest == 0)
				return q_err(p->q, p->err, DH_EBADQUERY, x,
					     "or-join needs a vector of variables");
			if ((rc = parse_varlist(p, rest[0], c)))
				return rc;
			rest++, nrest--;
		}
		if (nrest == 0)
			return q_err(p->q, p->err, DH_EBADQUERY, x, "%.*s needs clauses",
				     (int)head->s.n, head->s.p);
		if ((rc = parse_clauses(p, rest, nrest, &c->nsub, &c->sub)))
			return rc;
		for (int i = 0; i < c->nsub; i++) {
			if (c->src && c->sub[i]->k == CK_PAT && c->sub[i]->src == 0)
				c->sub[i]->src = c->src;
			if (!c->explicit_join)
				vs_union(&c->vars, &c->sub[i]->vars);
		}
		if (!c->explicit_join) {
			/* (or ...) joins on every variable of its branches; a
			 * branch must bind those not bound outside (checked when
			 * it runs) */
			int n = 0;
			c->join = dh_arena_alloc(p->a, (size_t)p->sc->nvars * sizeof(int) + 1);
			for (int v = 0; v < p->sc->nvars; v++)
				if (vs_has(&c->vars, v))
					c->join[n++] = v;
			c->njoin = n;
		}
		return 0;
	}
	if (is_sym(head, "and")) {
		c->k = CK_AND;
		if ((rc = parse_clauses(p, rest, nrest, &c->nsub, &c->sub)))
			return rc;
		for (int i = 0; i < c->nsub; i++)
			vs_union(&c->vars, &c->sub[i]->vars);
		return 0;
	}
	/* a rule call */
	c->k = CK_RULE;
	c->name = dh_arena_strndup(p->a, head->s.p, head->s.n);
	c->nt = (int)nrest;
	c->t = dh_arena_zalloc(p->a, (nrest ? nrest : 1) * sizeof(*c->t));
	for (size_t i = 0; i < nrest; i++)
		if ((rc = parse_term(p, rest[i], &c->t[i], &c->vars)))
			return rc;
	return 0;
}

static int
parse_clauses(struct pctx *p, struct dh_edn *const *items, size_t n, int *ncl,
	      struct clause ***out)
{
	*out = dh_arena_zalloc(p->a, (n ? n : 1) * sizeof(**out));
	*ncl = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = parse_clause(p, items[i], &(*out)[i]);
		if (rc)
			return rc;
		(*ncl)++;
	}
	return 0;
}

/* --- :find --- */

static int
parse_find_elem(struct pctx *p, const struct dh_edn *x, struct find_elem *f)
{
	memset(f, 0, sizeof(*f));
	f->form = x;
	if (is_var(x)) {
		f->k = FE_VAR;
		f->label = dh_arena_strndup(p->a, x->s.p, x->s.n);
		return add_var(p, x, &f->var);
	}
	if (x->kind == DH_EDN_LIST && x->coll.n >= 2 && x->coll.items[0]->kind == DH_EDN_SYMBOL) {
		struct dh_buf b;
		dh_buf_init(&b, 4096);
		dh_edn_print(&b, x);
		f->label = dh_arena_strndup(p->a, (const char *)b.p, b.len);
		dh_buf_release(&b);
		const struct dh_edn *h = x->coll.items[0];
		if (is_sym(h, "pull")) {
			size_t i = 1;
			f->k = FE_PULL;
			if (x->coll.n == 4 && is_src(x->coll.items[1])) {
				int rc = src_index(p, x->coll.items[1], &f->src);
				if (rc)
					return rc;
				i = 2;
			}
			if (x->coll.n != i + 2 || !is_var(x->coll.items[i]))
				return q_err(p->q, p->err, DH_EBADQUERY, x,
					     "expected (pull ?e pattern) or (pull $src ?e pattern)");
			f->pattern = x->coll.items[i + 1];
			if (f->pattern->kind != DH_EDN_VECTOR)
				return q_err(p->q, p->err, DH_EBADQUERY, f->pattern,
					     "a pull pattern is a vector");
			return add_var(p, x->coll.items[i], &f->var);
		}
		f->k = FE_AGG;
		f->agg = q_agg_lookup(h->s.p, h->s.n);
		if (f->agg < 0)
			return q_err(p->q, p->err, DH_EBADQUERY, h, "unknown aggregate %.*s",
				     (int)h->s.n, h->s.p);
		const struct dh_edn *arg = x->coll.items[x->coll.n - 1];
		if (x->coll.n == 3) {
			const struct dh_edn *n = x->coll.items[1];
			if (n->kind != DH_EDN_INT || n->i < 0)
				return q_err(p->q, p->err, DH_EBADQUERY, n,
					     "expected a count: (%.*s n ?x)", (int)h->s.n, h->s.p);
			f->has_n = 1;
			f->n = n->i;
		} else if (x->coll.n != 2) {
			return q_err(p->q, p->err, DH_EBADQUERY, x,
				     "expected (aggregate ?x) or (aggregate n ?x)");
		}
		if (!is_var(arg))
			return q_err(p->q, p->err, DH_EBADQUERY, arg,
				     "the argument of an aggregate must be a variable");
		return add_var(p, arg, &f->var);
	}
	return q_err(p->q, p->err, DH_EBADQUERY, x,
		     "expected a variable, an aggregate (count ?x) or (pull ?e pattern) in :find");
}

static int
parse_find(struct pctx *p, struct dh_edn *const *items, size_t n, const struct dh_edn *at)
{
	struct dh_query *q = p->q;
	if (n == 0)
		return q_err(q, p->err, DH_EBADQUERY, at, ":find needs at least one element");
	q->shape = DH_FIND_REL;
	if (n == 2 && is_sym(items[1], ".")) {
		q->shape = DH_FIND_SCALAR;
		n = 1;
	} else if (n == 1 && items[0]->kind == DH_EDN_VECTOR) {
		const struct dh_edn *v = items[0];
		if (v->coll.n == 2 && is_sym(v->coll.items[1], "...")) {
			q->shape = DH_FIND_COLL;
			items = v->coll.items;
			n = 1;
		} else {
			q->shape = DH_FIND_TUPLE;
			items = v->coll.items;
			n = v->coll.n;
			if (n == 0)
				return q_err(q, p->err, DH_EBADQUERY, v, "empty :find tuple");
		}
	}
	q->nfind = (int)n;
	q->find = dh_arena_zalloc(p->a, n * sizeof(*q->find));
	for (size_t i = 0; i < n; i++) {
		if (is_sym(items[i], ".") || is_sym(items[i], "..."))
			return q_err(q, p->err, DH_EBADQUERY, items[i],
				     "misplaced %.*s in :find", (int)items[i]->s.n, items[i]->s.p);
		int rc = parse_find_elem(p, items[i], &q->find[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int
parse_in(struct pctx *p, struct dh_edn *const *items, size_t n)
{
	struct dh_query *q = p->q;
	q->nin = (int)n;
	q->in = dh_arena_zalloc(p->a, (n ? n : 1) * sizeof(*q->in));
	for (size_t i = 0; i < n; i++) {
		const struct dh_edn *x = items[i];
		struct input *in = &q->in[i];
		in->form = x;
		if (is_src(x)) {
			in->k = IN_SRC;
			in->name = dh_arena_strndup(p->a, x->s.p, x->s.n);
			for (int j = 0; j < q->nsrcnames; j++)
				if (strcmp(q->srcnames[j], in->name) == 0)
					return q_err(q, p->err, DH_EBADQUERY, x,
						     "source %s named twice in :in", in->name);
			if (q->nsrcnames == DH_QUERY_MAX_SOURCES)
				return q_err(q, p->err, DH_EBADQUERY, x, "too many sources");
			q->srcnames[q->nsrcnames++] = in->name;
			continue;
		}
		if (is_sym(x, "%")) {
			in->k = IN_RULES;
			continue;
		}
		if (is_blank(x)) {
			in->k = IN_BLANK;
			continue;
		}
		struct clause tmp;
		memset(&tmp, 0, sizeof(tmp));
		int rc = parse_binding(p, &tmp, x);
		if (rc)
			return rc;
		in->k = tmp.bk == BK_SCALAR ? IN_SCALAR
			: tmp.bk == BK_TUPLE ? IN_TUPLE
			: tmp.bk == BK_COLL  ? IN_COLL
					     : IN_REL;
		in->nv = tmp.nb;
		in->vars = tmp.bv;
	}
	return 0;
}

int
dh_query_form_is_query(const struct dh_edn *x)
{
	if (!x)
		return 0;
	if (x->kind == DH_EDN_VECTOR)
		return x->coll.n > 0 && dh_edn_is_keyword(x->coll.items[0], "find");
	if (x->kind == DH_EDN_MAP)
		return dh_edn_map_get(x, "find") != NULL;
	if (x->kind == DH_EDN_LIST)
		return x->coll.n > 0 && dh_edn_is_symbol(x->coll.items[0], "pull");
	return 0;
}

static int
section(const struct dh_edn *k, const char *name)
{
	return dh_edn_is_keyword(k, name);
}

/* Every variable of the :find and :with must be bound somewhere. */
static int
check_bound(struct pctx *p)
{
	struct dh_query *q = p->q;
	struct vset bound;
	memset(&bound, 0, sizeof(bound));
	for (int i = 0; i < q->ncl; i++)
		vs_union(&bound, &q->where[i]->vars);
	for (int i = 0; i < q->nin; i++)
		for (int j = 0; j < q->in[i].nv; j++)
			if (q->in[i].vars[j] >= 0)
				vs_add(&bound, q->in[i].vars[j]);
	for (int i = 0; i < q->nfind; i++)
		if (!vs_has(&bound, q->find[i].var))
			return q_err(q, p->err, DH_EBADQUERY, q->find[i].form,
				     "variable %s in :find is not bound by :in or :where",
				     q->sc.names[q->find[i].var]);
	for (int i = 0; i < q->nwith; i++)
		if (!vs_has(&bound, q->with[i]))
			return q_err(q, p->err, DH_EBADQUERY, NULL,
				     "variable %s in :with is not bound by :in or :where",
				     q->sc.names[q->with[i]]);
	return 0;
}

static int
parse_pull_form(struct pctx *p, const struct dh_edn *x)
{
	struct dh_query *q = p->q;
	/* (pull pattern eid), also (pull eid pattern) and (pull $ pattern eid) */
	size_t i = 1;
	if (x->coll.n == 4 && is_src(x->coll.items[1]))
		i = 2;
	if (x->coll.n != i + 2)
		return q_err(q, p->err, DH_EBADQUERY, x, "expected (pull pattern eid)");
	const struct dh_edn *a1 = x->coll.items[i], *a2 = x->coll.items[i + 1];
	int a1_is_pattern = a1->kind == DH_EDN_VECTOR;
	if (a1->kind == DH_EDN_VECTOR && a2->kind == DH_EDN_VECTOR) {
		/* a lookup ref is [:attr value] with a scalar value */
		const struct dh_edn *v = a1->coll.n == 2 ? a1->coll.items[1] : NULL;
		if (v && a1->coll.items[0]->kind == DH_EDN_KEYWORD && v->kind != DH_EDN_KEYWORD &&
		    v->kind != DH_EDN_MAP && v->kind != DH_EDN_LIST && v->kind != DH_EDN_VECTOR &&
		    !(v->kind == DH_EDN_SYMBOL) && !(v->kind == DH_EDN_STRING && v->s.n == 1 &&
						     v->s.p[0] == '*'))
			a1_is_pattern = 0;
	}
	q->pull_pattern = a1_is_pattern ? a1 : a2;
	q->pull_eid = a1_is_pattern ? a2 : a1;
	if (q->pull_pattern->kind != DH_EDN_VECTOR)
		return q_err(q, p->err, DH_EBADQUERY, q->pull_pattern, "a pull pattern is a vector");
	q->srcnames[0] = "$";
	q->nsrcnames = 1;
	return 0;
}

int
dh_query_parse(struct dh_arena *a, const struct dh_edn *form, const char *text, size_t len,
	       struct dh_query **out, struct dh_err *err)
{
	struct dh_query *q = dh_arena_zalloc(a, sizeof(*q));
	struct pctx p = {.q = q, .a = a, .err = err, .sc = &q->sc};
	q->text = text;
	q->len = len;
	q->a = a;
	*out = NULL;
	int rc;
	if (form->kind == DH_EDN_LIST) {
		if ((rc = parse_pull_form(&p, form)))
			return rc;
		*out = q;
		return 0;
	}
	/* gather the sections */
	struct dh_edn *const *find = NULL, *const *in = NULL, *const *where = NULL,
			     *const *with = NULL, *const *keys = NULL;
	size_t nfind = 0, nin = 0, nwhere = 0, nwith = 0, nkeys = 0;
	const struct dh_edn *find_at = form, *keys_at = NULL;
	int has_in = 0;
	if (form->kind == DH_EDN_VECTOR) {
		size_t i = 0;
		while (i < form->coll.n) {
			const struct dh_edn *k = form->coll.items[i];
			if (k->kind != DH_EDN_KEYWORD)
				return q_err(q, err, DH_EBADQUERY, k,
					     "expected a query keyword (:find, :in, :where, ...)");
			size_t j = i + 1;
			while (j < form->coll.n && form->coll.items[j]->kind != DH_EDN_KEYWORD)
				j++;
			struct dh_edn *const *items = form->coll.items + i + 1;
			size_t n = j - i - 1;
			if (section(k, "find")) {
				find = items, nfind = n, find_at = k;
			} else if (section(k, "in")) {
				in = items, nin = n, has_in = 1;
			} else if (section(k, "where")) {
				where = items, nwhere = n;
			} else if (section(k, "with")) {
				with = items, nwith = n;
			} else if (section(k, "keys") || section(k, "strs") || section(k, "syms")) {
				keys = items, nkeys = n, keys_at = k;
			} else {
				return q_err(q, err, DH_EBADQUERY, k, "unknown query section :%.*s",
					     (int)k->s.n, k->s.p);
			}
			i = j;
		}
		if (!find)
			return q_err(q, err, DH_EBADQUERY, form, "a query needs :find");
	} else if (form->kind == DH_EDN_MAP) {
		for (size_t i = 0; i < form->coll.n; i += 2) {
			const struct dh_edn *k = form->coll.items[i], *v = form->coll.items[i + 1];
			if (k->kind != DH_EDN_KEYWORD)
				return q_err(q, err, DH_EBADQUERY, k, "expected a query keyword");
			if (v->kind != DH_EDN_VECTOR && !section(k, "timeout"))
				return q_err(q, err, DH_EBADQUERY, v,
					     "the value of :%.*s must be a vector", (int)k->s.n,
					     k->s.p);
			if (section(k, "find"))
				find = v->coll.items, nfind = v->coll.n, find_at = k;
			else if (section(k, "in"))
				in = v->coll.items, nin = v->coll.n, has_in = 1;
			else if (section(k, "where"))
				where = v->coll.items, nwhere = v->coll.n;
			else if (section(k, "with"))
				with = v->coll.items, nwith = v->coll.n;
			else if (section(k, "keys") || section(k, "strs") || section(k, "syms"))
				keys = v->coll.items, nkeys = v->coll.n, keys_at = k;
			else if (!section(k, "timeout") && !section(k, "args"))
				return q_err(q, err, DH_EBADQUERY, k, "unknown query section :%.*s",
					     (int)k->s.n, k->s.p);
		}
		if (!find)
			return q_err(q, err, DH_EBADQUERY, form, "a query needs :find");
	} else {
		return q_err(q, err, DH_EBADQUERY, form, "expected a query [:find ...]");
	}
	/* :in first: it names the sources the clauses refer to */
	q->has_in = has_in;
	if (has_in) {
		if ((rc = parse_in(&p, in, nin)))
			return rc;
	} else {
		q->nin = 1;
		q->in = dh_arena_zalloc(a, sizeof(*q->in));
		q->in[0].k = IN_SRC;
		q->in[0].name = "$";
		q->srcnames[0] = "$";
		q->nsrcnames = 1;
	}
	if ((rc = parse_find(&p, find, nfind, find_at)))
		return rc;
	if (keys) {
		if ((size_t)q->nfind != nkeys)
			return q_err(q, err, DH_EBADQUERY, keys_at,
				     ":%.*s names %zu keys but :find has %d elements",
				     (int)keys_at->s.n, keys_at->s.p, nkeys, q->nfind);
		if (q->shape == DH_FIND_COLL || q->shape == DH_FIND_SCALAR)
			return q_err(q, err, DH_EBADQUERY, keys_at,
				     ":%.*s needs a relation or tuple :find", (int)keys_at->s.n,
				     keys_at->s.p);
		q->keys = section(keys_at, "keys")   ? DH_KEYS_KEYS
			  : section(keys_at, "strs") ? DH_KEYS_STRS
						     : DH_KEYS_SYMS;
		q->keynames = dh_arena_alloc(a, nkeys * sizeof(char *));
		for (size_t i = 0; i < nkeys; i++) {
			const struct dh_edn *k = keys[i];
			if (k->kind != DH_EDN_SYMBOL && k->kind != DH_EDN_KEYWORD &&
			    k->kind != DH_EDN_STRING)
				return q_err(q, err, DH_EBADQUERY, k, "expected a key name");
			q->keynames[i] = dh_arena_strndup(a, k->s.p, k->s.n);
		}
	}
	if (nwith) {
		q->with = dh_arena_alloc(a, nwith * sizeof(int));
		for (size_t i = 0; i < nwith; i++) {
			if (!is_var(with[i]))
				return q_err(q, err, DH_EBADQUERY, with[i],
					     ":with takes variables");
			if ((rc = add_var(&p, with[i], &q->with[q->nwith])))
				return rc;
			q->nwith++;
		}
	}
	if ((rc = parse_clauses(&p, where, nwhere, &q->ncl, &q->where)))
		return rc;
	if ((rc = check_bound(&p)))
		return rc;
	*out = q;
	return 0;
}

size_t
dh_query_nsources(const struct dh_query *q)
{
	return (size_t)q->nsrcnames;
}

size_t
dh_query_ninputs(const struct dh_query *q)
{
	size_t n = 0;
	for (int i = 0; i < q->nin; i++)
		n += q->in[i].k != IN_SRC;
	return n;
}

const char *
dh_query_source_name(const struct dh_query *q, size_t i)
{
	return i < (size_t)q->nsrcnames ? q->srcnames[i] : NULL;
}

/* --- rules: [[(name ?a ?b) clause ...] ...] --- */

int
q_parse_rules(struct dh_query *q, const struct dh_edn *form, struct dh_err *err)
{
	if (form->kind != DH_EDN_VECTOR)
		return dh_err_set(err, DH_EUSAGE, "rules must be a vector of [(name ?args) clauses]");
	size_t n = form->coll.n;
	struct rule *rules = dh_arena_zalloc(q->a, (n ? n : 1) * sizeof(*rules));
	int nr = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dh_edn *r = form->coll.items[i];
		if (r->kind != DH_EDN_VECTOR || r->coll.n < 1 || r->coll.items[0]->kind != DH_EDN_LIST ||
		    r->coll.items[0]->coll.n < 1 ||
		    r->coll.items[0]->coll.items[0]->kind != DH_EDN_SYMBOL)
			return dh_err_set(err, DH_EUSAGE,
					  "rule %zu: expected [(name ?args...) clauses...]", i + 1);
		const struct dh_edn *head = r->coll.items[0];
		const struct dh_edn *name = head->coll.items[0];
		struct rule *ru = NULL;
		for (int j = 0; j < nr; j++)
			if (strlen(rules[j].name) == name->s.n &&
			    memcmp(rules[j].name, name->s.p, name->s.n) == 0)
				ru = &rules[j];
		if (!ru) {
			ru = &rules[nr++];
			ru->name = dh_arena_strndup(q->a, name->s.p, name->s.n);
			ru->b = dh_arena_zalloc(q->a, n * sizeof(*ru->b));
			ru->nargs = -1;
		}
		struct rule_body *b = &ru->b[ru->nbodies++];
		b->form = r;
		struct pctx p = {.q = q, .a = q->a, .err = err, .sc = &b->sc, .is_rule = 1};
		/* head: (name ?a ?b) or (name [?req] ?b) */
		int nh = 0;
		int *hv = dh_arena_alloc(q->a, (head->coll.n + 8) * sizeof(int) * 8);
		for (size_t j = 1; j < head->coll.n; j++) {
			const struct dh_edn *y = head->coll.items[j];
			if (y->kind == DH_EDN_VECTOR && j == 1) {
				for (size_t k = 0; k < y->coll.n; k++) {
					if (!is_var(y->coll.items[k]))
						return dh_err_set(err, DH_EUSAGE,
								  "rule %s: expected variables",
								  ru->name);
					add_var(&p, y->coll.items[k], &hv[nh++]);
				}
				b->nreq = nh;
				continue;
			}
			if (!is_var(y))
				return dh_err_set(err, DH_EUSAGE, "rule %s: head takes variables",
						  ru->name);
			add_var(&p, y, &hv[nh++]);
		}
		if (ru->nargs >= 0 && ru->nargs != nh)
			return dh_err_set(err, DH_EUSAGE,
					  "rule %s: all bodies must take the same number of arguments",
					  ru->name);
		ru->nargs = nh;
		b->nhead = nh;
		b->head = hv;
		/* the body's positions are relative to the rules' text, which is
		 * not the query text: report without positions */
		const char *save = q->text;
		q->text = NULL;
		int rc = parse_clauses(&p, r->coll.items + 1, r->coll.n - 1, &b->ncl, &b->cl);
		q->text = save;
		if (rc)
			return rc;
		/* safety: every head variable must occur in the body */
		struct vset in_body;
		memset(&in_body, 0, sizeof(in_body));
		for (int j = 0; j < b->ncl; j++)
			vs_union(&in_body, &b->cl[j]->vars);
		for (int j = 0; j < nh; j++)
			if (!vs_has(&in_body, hv[j]))
				return dh_err_set(err, DH_EBADQUERY,
						  "unsafe rule %s: head variable %s does not occur "
						  "in its body",
						  ru->name, b->sc.names[hv[j]]);
	}
	q->rules = rules;
	q->nrules = nr;
	return 0;
}
