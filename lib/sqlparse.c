/*
 * sqlparse: SQL text to libpg_query's tree, through a cache of shapes.
 *
 * pg_query_parse_protobuf parses, then packs the tree into protobuf bytes
 * that the caller unpacks: for a short statement the packing and
 * unpacking cost more than everything dh does with it.  Statements come
 * in shapes (the same INSERT or point SELECT with other constants), so a
 * session keeps, per shape, the tree of the first text (packed, and
 * unpacked once), and a text of a known shape is not parsed: the kept tree
 * gets the text's own literals as its constants.
 *
 * The shape (the key) is the text with each literal replaced by its class
 * (an integer that fits int32, another number, a string), comments and
 * runs of white space by one space.  Two texts of one key differ only in
 * their literals' contents and in the amount of white space, so
 * PostgreSQL's lexer makes the same tokens of both and its grammar the
 * same tree (an integer literal's class decides between its Integer and
 * Float nodes; a minus sign folded into a constant is folded for both).
 * The lexer here is conservative: a text with anything it does not model
 * exactly (E'' B'' X'' N'' U&'' strings, a backslash in a string, string
 * continuation, dollar quoting, parameters, a number run into a word) is
 * parsed every time, as is a text of several statements or of a statement
 * other than SELECT, INSERT, UPDATE and DELETE.
 *
 * A shape is kept only when each of its literals is exactly one A_Const
 * of the tree (at the literal, or at a minus sign just before it that the
 * grammar folded in); then, for a new text, constant i of the tree (in a
 * fixed walk order) gets literal i's value and location.  Every other
 * location in the tree points into the first text: the statement runs
 * against that text (dh__sqlpc_parse hands it back), and an error's
 * position is carried over to the new text token by token
 * (dh__sqlpc_fixpos).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "sqlc-int.h"
#include "util.h"

enum { LIT_INT = 'i', LIT_NUM = 'f', LIT_STR = 's' };

struct dh__sqltok {
	uint32_t off, len;
	char lit; /* 0, or LIT_* */
};

struct lexed {
	struct dh__sqltok *t;
	size_t n, cap;
	struct dh_buf key;
};

struct dh__sqlshape {
	char *key;
	size_t keylen;
	uint64_t hash;
	int ok;          /* 0: this shape is parsed every time */
	char *text;      /* the first text: the tree's locations point into it */
	size_t textlen;
	uint8_t *packed; /* its tree */
	size_t npacked;
	size_t ntok;
	struct dh__sqltok *toks;  /* the first text's tokens */
	size_t nlit;
	uint32_t *which;   /* literal i is constant which[i] in walk order */
	uint8_t *negated;  /* ... with a minus sign folded in */
	/* The tree itself, unpacked once and handed out again with new
	 * constants, while no statement holds it (busy); every user treats
	 * a tree as read only (lib/README).  orphan: dropped from the cache
	 * while busy, freed at release. */
	struct dh_arena ta;
	PgQuery__ParseResult *tree;
	PgQuery__AConst **konst; /* its constants in walk order */
	int busy, orphan;
};

#define NSHAPES 256

struct dh__sqlpc {
	struct dh__sqlshape *s[NSHAPES]; /* open addressing by hash */
	size_t n;
};

struct dh__sqlpc *
dh__sqlpc_new(void)
{
	return xcalloc(1, sizeof(struct dh__sqlpc));
}

static void
shape_free(struct dh__sqlshape *s)
{
	if (!s)
		return;
	free(s->key);
	free(s->text);
	free(s->packed);
	free(s->toks);
	free(s->which);
	free(s->negated);
	free(s->konst);
	dh_arena_release(&s->ta);
	free(s);
}

static void
clear(struct dh__sqlpc *c)
{
	for (size_t i = 0; i < NSHAPES; i++) {
		if (c->s[i] && c->s[i]->busy)
			c->s[i]->orphan = 1;
		else
			shape_free(c->s[i]);
		c->s[i] = NULL;
	}
	c->n = 0;
}

void
dh__sqlpc_free(struct dh__sqlpc *c)
{
	if (!c)
		return;
	clear(c);
	free(c);
}

/* The SQLSTATE of a grammar error: libpg_query keeps only the message, and
 * a few of gram.y's errors are not syntax errors. */
static const char *
parse_error_state(const char *msg)
{
	static const char *const windowing[] = {
	    "frame start cannot be UNBOUNDED FOLLOWING",
	    "frame starting from following row cannot end with current row",
	    "frame end cannot be UNBOUNDED PRECEDING",
	    "frame starting from current row cannot have preceding rows",
	    "frame starting from following row cannot have preceding rows",
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(windowing); i++)
		if (strcmp(msg, windowing[i]) == 0)
			return "42P20";
	/* the lexer's check of a string constant's bytes (E'\0') */
	if (strncmp(msg, "invalid byte sequence for encoding", 34) == 0)
		return "22021";
	return "42601";
}

/* --- the lexer --- */

static int
is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static int
ident_start(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80;
}

static int
ident_cont(unsigned char ch)
{
	return ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '$';
}

static int
is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static void
push(struct lexed *L, size_t off, size_t len, char lit)
{
	if (L->n == L->cap) {
		L->cap = L->cap ? 2 * L->cap : 64;
		L->t = xrealloc(L->t, L->cap * sizeof(*L->t));
	}
	L->t[L->n++] = (struct dh__sqltok){(uint32_t)off, (uint32_t)len, lit};
}

/* Tokens and key of z[0..n): 0, or -1 for a text to parse every time. */
static int
lex(const char *z, size_t n, struct lexed *L)
{
	const unsigned char *p = (const unsigned char *)z;
	size_t i = 0;
	int space = 0;
	if (n > 65536)
		return -1;
	while (i < n) {
		unsigned char ch = p[i];
		if (is_space(ch)) {
			i++;
			space = 1;
			continue;
		}
		if (ch == '-' && i + 1 < n && p[i + 1] == '-') {
			while (i < n && p[i] != '\n' && p[i] != '\r')
				i++;
			space = 1;
			continue;
		}
		if (ch == '/' && i + 1 < n && p[i + 1] == '*') {
			int depth = 0;
			while (i < n) {
				if (p[i] == '/' && i + 1 < n && p[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (p[i] == '*' && i + 1 < n && p[i + 1] == '/') {
					i += 2;
					if (--depth == 0)
						break;
				} else {
					i++;
				}
			}
			if (depth)
				return -1;
			space = 1;
			continue;
		}
		if (space && L->key.len)
			dh_buf_addc(&L->key, ' ');
		space = 0;
		size_t s = i;
		if (ch == '\'') {
			i++;
			for (;;) {
				if (i >= n)
					return -1;
				if (p[i] == '\\')
					return -1;
				if (p[i] == '\'') {
					if (i + 1 < n && p[i + 1] == '\'') {
						i += 2;
						continue;
					}
					i++;
					break;
				}
				i++;
			}
			/* 'a' 'b' across a newline is one literal: not modelled */
			size_t k = i;
			while (k < n && (is_space(p[k]) || p[k] == '-' || p[k] == '/')) {
				if (p[k] == '-' || p[k] == '/') {
					if (k + 1 < n && p[k + 1] == p[k] && p[k] == '-')
						return -1;
					if (k + 1 < n && p[k] == '/' && p[k + 1] == '*')
						return -1;
					break;
				}
				k++;
			}
			if (k < n && p[k] == '\'')
				return -1;
			push(L, s, i - s, LIT_STR);
			dh_buf_addc(&L->key, '\x01');
			dh_buf_addc(&L->key, LIT_STR);
			continue;
		}
		if (is_digit(ch) || (ch == '.' && i + 1 < n && is_digit(p[i + 1]))) {
			int frac = 0;
			while (i < n && is_digit(p[i]))
				i++;
			if (i < n && p[i] == '.') {
				if (i + 1 < n && p[i + 1] == '.')
					return -1; /* 1..2 */
				frac = 1;
				i++;
				while (i < n && is_digit(p[i]))
					i++;
			}
			if (i < n && (p[i] == 'e' || p[i] == 'E')) {
				size_t k = i + 1;
				if (k < n && (p[k] == '+' || p[k] == '-'))
					k++;
				if (k >= n || !is_digit(p[k]))
					return -1;
				while (k < n && is_digit(p[k]))
					k++;
				i = k;
				frac = 1;
			}
			if (i < n && (ident_cont(p[i]) || p[i] == '.'))
				return -1; /* 123abc, 1.2.3 */
			char cls = LIT_NUM;
			if (!frac) {
				/* PostgreSQL's lexer: Integer if it fits int32 */
				uint64_t v = 0;
				size_t k = s;
				while (k < i && v <= INT32_MAX)
					v = v * 10 + (uint64_t)(p[k++] - '0');
				if (v <= INT32_MAX)
					cls = LIT_INT;
			}
			push(L, s, i - s, cls);
			dh_buf_addc(&L->key, '\x01');
			dh_buf_addc(&L->key, cls);
			continue;
		}
		if (ident_start(ch)) {
			while (i < n && ident_cont(p[i]))
				i++;
			size_t len = i - s;
			if (i < n && (p[i] == '\'' || p[i] == '&') && len == 1) {
				unsigned char c0 = (unsigned char)(p[s] | 0x20);
				if (c0 == 'e' || c0 == 'b' || c0 == 'x' || c0 == 'n' || c0 == 'u')
					return -1;
			}
			push(L, s, len, 0);
			dh_buf_add(&L->key, z + s, len);
			continue;
		}
		if (ch == '"') {
			i++;
			for (;;) {
				if (i >= n)
					return -1;
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						i += 2;
						continue;
					}
					i++;
					break;
				}
				i++;
			}
			push(L, s, i - s, 0);
			dh_buf_add(&L->key, z + s, i - s);
			continue;
		}
		if (ch == '$' || ch == '\\' || ch < 0x20)
			return -1;
		/* anything else: one character of its own (operators too: the
		 * key keeps them and where white space was, so PostgreSQL makes
		 * the same operator tokens of every text of the key) */
		i++;
		push(L, s, 1, 0);
		dh_buf_addc(&L->key, (char)ch);
	}
	return 0;
}

/* --- the tree --- */

struct consts {
	PgQuery__AConst **c;
	size_t n, cap;
};

static int
collect(const ProtobufCMessage *m, void *ctx)
{
	struct consts *k = ctx;
	if (m->descriptor == &pg_query__a__const__descriptor) {
		if (k->n == k->cap) {
			k->cap = k->cap ? 2 * k->cap : 16;
			k->c = xrealloc(k->c, k->cap * sizeof(*k->c));
		}
		k->c[k->n++] = (PgQuery__AConst *)m;
		return 0;
	}
	return dh__sqlc_each_child(m, collect, k);
}

static struct dh__sqlshape **
slot(struct dh__sqlpc *c, const char *key, size_t n, uint64_t h)
{
	size_t i = (size_t)h % NSHAPES;
	for (;;) {
		struct dh__sqlshape *s = c->s[i];
		if (!s || (s->hash == h && s->keylen == n && memcmp(s->key, key, n) == 0))
			return &c->s[i];
		i = (i + 1) % NSHAPES;
	}
}

static int
cacheable_stmt(const PgQuery__ParseResult *t)
{
	if (t->n_stmts != 1 || !t->stmts[0]->stmt)
		return 0;
	switch (t->stmts[0]->stmt->node_case) {
	case PG_QUERY__NODE__NODE_SELECT_STMT:
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		return 1;
	default:
		return 0;
	}
}

/* Learn the shape of text z from its tree: is every literal one
 * constant?  Fills s->which and s->negated; 0 if not. */
static int
learn(struct dh__sqlshape *s, const struct lexed *L, const PgQuery__ParseResult *t)
{
	if (!cacheable_stmt(t))
		return 0;
	struct consts k = {0};
	collect(&t->base, &k);
	size_t nlit = 0;
	for (size_t i = 0; i < L->n; i++)
		nlit += L->t[i].lit != 0;
	s->nlit = nlit;
	s->which = xcalloc(nlit ? nlit : 1, sizeof(*s->which));
	s->negated = xcalloc(nlit ? nlit : 1, sizeof(*s->negated));
	uint8_t *used = xcalloc(k.n ? k.n : 1, 1);
	int ok = 1;
	size_t li = 0;
	for (size_t i = 0; i < L->n && ok; i++) {
		const struct dh__sqltok *tk = &L->t[i];
		if (!tk->lit)
			continue;
		int32_t at = (int32_t)tk->off, minus = -1;
		if (i > 0 && L->t[i - 1].len == 1 && !L->t[i - 1].lit &&
		    s->text[L->t[i - 1].off] == '-')
			minus = (int32_t)L->t[i - 1].off;
		size_t found = k.n;
		int neg = 0, hits = 0;
		for (size_t j = 0; j < k.n; j++) {
			if (k.c[j]->location == at || (minus >= 0 && k.c[j]->location == minus)) {
				found = j;
				neg = k.c[j]->location == minus;
				hits++;
			}
		}
		if (hits != 1 || used[found]) {
			ok = 0;
			break;
		}
		const PgQuery__AConst *ac = k.c[found];
		int want = tk->lit == LIT_INT   ? PG_QUERY__A__CONST__VAL_IVAL
			   : tk->lit == LIT_NUM ? PG_QUERY__A__CONST__VAL_FVAL
						: PG_QUERY__A__CONST__VAL_SVAL;
		if (ac->isnull || (int)ac->val_case != want)
			ok = 0;
		used[found] = 1;
		s->which[li] = (uint32_t)found;
		s->negated[li] = (uint8_t)neg;
		li++;
	}
	free(used);
	free(k.c);
	return ok;
}

/* Set constant c from literal z[tk] (negated: with a minus sign). */
static int
set_const(PgQuery__AConst *c, const char *z, const struct dh__sqltok *tk, int neg, int32_t loc,
	  struct dh_arena *a)
{
	const char *p = z + tk->off;
	c->location = loc;
	switch (tk->lit) {
	case LIT_INT: {
		int64_t v = 0;
		for (uint32_t i = 0; i < tk->len; i++)
			v = v * 10 + (p[i] - '0');
		c->ival->ival = (int32_t)(neg ? -v : v);
		return 0;
	}
	case LIT_NUM: {
		char *f = dh_arena_alloc(a, tk->len + 2), *q = f;
		if (neg)
			*q++ = '-';
		memcpy(q, p, tk->len);
		q[tk->len] = 0;
		c->fval->fval = f;
		return 0;
	}
	default: {
		/* 'it''s' */
		char *sv = dh_arena_alloc(a, tk->len), *q = sv;
		for (uint32_t i = 1; i + 1 < tk->len; i++) {
			*q++ = p[i];
			if (p[i] == '\'')
				i++;
		}
		*q = 0;
		c->sval->sval = sv;
		return 0;
	}
	}
}

/* protobuf-c's allocator over an arena: the tree is freed all at once */
static void *
pb_alloc(void *data, size_t n)
{
	return dh_arena_alloc(data, n);
}

static void
pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

static PgQuery__ParseResult *
unpack(struct dh_arena *a, const uint8_t *p, size_t n)
{
	ProtobufCAllocator pa = {pb_alloc, pb_free, a};
	return pg_query__parse_result__unpack(&pa, n, p);
}

/* Set the constants k (walk order) of shape s's tree from text z's literals. */
static void
set_consts(const struct dh__sqlshape *s, const struct lexed *L, const char *z, PgQuery__AConst **k,
	   struct dh_arena *a)
{
	size_t li = 0;
	for (size_t i = 0; i < L->n; i++) {
		const struct dh__sqltok *tk = &L->t[i];
		if (!tk->lit)
			continue;
		int neg = s->negated[li];
		/* the tree's other locations are in the first text: this
		 * one too, so that all of them agree */
		int32_t loc = (int32_t)(neg ? s->toks[i - 1].off : s->toks[i].off);
		set_const(k[s->which[li]], z, tk, neg, loc, a);
		li++;
	}
}

/* A tree of its own for text z of shape s (NULL if the packed tree does
 * not unpack), in arena a. */
static PgQuery__ParseResult *
fresh_tree(const struct dh__sqlshape *s, const struct lexed *L, const char *z,
	   struct dh_arena *a)
{
	PgQuery__ParseResult *t = unpack(a, s->packed, s->npacked);
	if (!t)
		return NULL;
	struct consts k = {0};
	collect(&t->base, &k);
	set_consts(s, L, z, k.c, a);
	free(k.c);
	return t;
}

#ifdef DH_CHECKED
/* Checked builds (the sanitizer build) prove the rule that makes keeping a
 * tree safe: the kept tree, with this text's constants, packs to the same
 * bytes as a fresh copy with them.  A statement that wrote into its tree
 * fails here, at the next text of its shape. */
static void
check_kept(const struct dh__sqlshape *s, const struct lexed *L, const char *z, struct dh_arena *a)
{
	PgQuery__ParseResult *f = fresh_tree(s, L, z, a);
	size_t n1 = pg_query__parse_result__get_packed_size(s->tree);
	size_t n2 = pg_query__parse_result__get_packed_size(f);
	uint8_t *p1 = xmalloc(n1 + 1), *p2 = xmalloc(n2 + 1);
	pg_query__parse_result__pack(s->tree, p1);
	pg_query__parse_result__pack(f, p2);
	if (n1 != n2 || memcmp(p1, p2, n1) != 0) {
		fprintf(stderr, "sqlparse: a statement wrote into its parse tree: %s\n", s->text);
		abort();
	}
	free(p1);
	free(p2);
}
#endif

int
dh__sqlpc_parse(struct dh__sqlpc *c, const char *z, size_t len, struct dh_arena *a,
		PgQuery__ParseResult **tree, struct dh__sqlpos *pos, struct dh_err *err)
{
	struct lexed L = {0};
	dh_buf_init(&L.key, 0);
	memset(pos, 0, sizeof(*pos));
	*tree = NULL;
	int rc = 0, cacheable = c && lex(z, len, &L) == 0;
	struct dh__sqlshape **sp = NULL, *s = NULL;
	uint64_t h = 0;
	if (cacheable) {
		h = dh_hash_bytes((const char *)L.key.p, L.key.len);
		sp = slot(c, (const char *)L.key.p, L.key.len, h);
		s = *sp;
	}
	if (s && s->ok && s->ntok == L.n) {
		PgQuery__ParseResult *t;
		if (!s->busy && !s->tree) {
			dh_arena_init(&s->ta);
			if ((s->tree = unpack(&s->ta, s->packed, s->npacked))) {
				struct consts k = {0};
				collect(&s->tree->base, &k);
				s->konst = k.c;
			}
		}
		if (!s->busy && s->tree) {
			t = s->tree;
			s->busy = 1;
			pos->held = s;
			set_consts(s, &L, z, s->konst, a);
#ifdef DH_CHECKED
			check_kept(s, &L, z, a);
#endif
		} else if (!(t = fresh_tree(s, &L, z, a))) {
			/* (the kept tree is in use by a statement run from inside
			 * another: this one gets a copy of its own) */
			rc = dh_err_set(err, DH_EINTERNAL, "cannot read the parse tree");
			goto out;
		}
		*tree = t;
		pos->text = s->text;
		pos->textlen = s->textlen;
		pos->ntok = L.n;
		pos->from = s->toks;
		pos->to = L.t; /* handed over */
		L.t = NULL;
		goto out;
	}
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(z);
	if (pr.error) {
		rc = dh_err_sql(err, parse_error_state(pr.error->message), "%s", pr.error->message);
		if (err && pr.error->cursorpos > 0)
			err->position = pr.error->cursorpos;
		pg_query_free_protobuf_parse_result(pr);
		goto out;
	}
	PgQuery__ParseResult *t =
	    unpack(a, (const uint8_t *)pr.parse_tree.data, pr.parse_tree.len);
	if (!t) {
		pg_query_free_protobuf_parse_result(pr);
		rc = dh_err_set(err, DH_EINTERNAL, "cannot read the parse tree");
		goto out;
	}
	*tree = t;
	if (cacheable && !s) {
		if (c->n >= NSHAPES / 2) {
			clear(c);
			sp = slot(c, (const char *)L.key.p, L.key.len, h);
		}
		s = xcalloc(1, sizeof(*s));
		s->key = xmalloc(L.key.len + 1);
		memcpy(s->key, L.key.p, L.key.len);
		s->keylen = L.key.len;
		s->hash = h;
		s->text = xmalloc(len + 1);
		memcpy(s->text, z, len);
		s->text[len] = 0;
		s->textlen = len;
		s->ok = learn(s, &L, t);
		if (s->ok) {
			s->packed = xmalloc(pr.parse_tree.len ? pr.parse_tree.len : 1);
			memcpy(s->packed, pr.parse_tree.data, pr.parse_tree.len);
			s->npacked = pr.parse_tree.len;
			s->ntok = L.n;
			s->toks = L.t;
			L.t = NULL;
		}
		*sp = s;
		c->n++;
	}
	pg_query_free_protobuf_parse_result(pr);
out:
	free(L.t);
	dh_buf_release(&L.key);
	return rc;
}

static int
char_to_byte(const char *p, size_t n, int charpos, size_t *out)
{
	size_t b = 0;
	int ch = 1;
	while (b < n && ch < charpos) {
		b++;
		while (b < n && ((unsigned char)p[b] & 0xc0) == 0x80)
			b++;
		ch++;
	}
	*out = b;
	return ch == charpos;
}

int
dh__sqlpc_fixpos(const struct dh__sqlpos *pos, const char *z, size_t len, int charpos)
{
	if (!pos->text || charpos <= 0)
		return charpos;
	size_t b;
	if (!char_to_byte(pos->text, pos->textlen, charpos, &b))
		return charpos;
	/* the token at or before byte b of the first text, the same token's
	 * place in z */
	size_t nb = len;
	for (size_t i = pos->ntok; i-- > 0;) {
		if (pos->from[i].off <= b) {
			size_t in = b - pos->from[i].off;
			if (in >= pos->to[i].len && in > 0)
				in = pos->to[i].len ? pos->to[i].len - 1 : 0;
			nb = pos->to[i].off + in;
			break;
		}
	}
	return dh_edn_charpos(z, len, nb);
}

void
dh__sqlpos_release(struct dh__sqlpos *pos)
{
	struct dh__sqlshape *s = pos->held;
	if (s) {
		s->busy = 0;
		if (s->orphan)
			shape_free(s);
	}
	free(pos->to);
	memset(pos, 0, sizeof(*pos));
}
