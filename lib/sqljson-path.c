/*
 * sqljson-path: PostgreSQL 15's SQL/JSON path language (jsonpath.c,
 * jsonpath_gram.y, jsonpath_exec.c): the jsonpath type (input checks the
 * syntax, the value is the canonical text PostgreSQL prints), its
 * evaluation over jsonb in lax and strict mode, the functions
 * jsonb_path_exists, _match, _query (sqlc-srf.c makes its rows),
 * _query_array, _query_first and the operators @? and @@, as rows of
 * sqltype's catalog (sqltype-hooks.c lists them).
 *
 * The language here: $, @, $name, last, literals, .key ."key" .* [*]
 * [i, j to k] .** (with levels), ?(filter), + - * / % and unary - +,
 * == != <> < <= > >= && || !, exists(), (...) is unknown, starts with, and
 * the methods .type() .size() .double() .abs() .floor() .ceiling().
 * like_regex, .keyvalue() and .datetime() fail with 0A000.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqljson-int.h"
#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

enum jpk {
	JP_ROOT,
	JP_CURRENT,
	JP_VAR,
	JP_LAST,
	JP_NUM,
	JP_STR,
	JP_BOOL,
	JP_NULL,
	JP_KEY,
	JP_ANYKEY,
	JP_ANYARRAY,
	JP_INDEX,
	JP_ANY,
	JP_FILTER,
	JP_METHOD,
	/* binary, by priority */
	JP_OR,
	JP_AND,
	JP_EQ,
	JP_NE,
	JP_LT,
	JP_LE,
	JP_GT,
	JP_GE,
	JP_STARTS,
	JP_ADD,
	JP_SUB,
	JP_MUL,
	JP_DIV,
	JP_MOD,
	/* unary */
	JP_PLUS,
	JP_MINUS,
	JP_NOT,
	JP_ISUNKNOWN,
	JP_EXISTS,
};

struct jp {
	enum jpk k;
	const char *s; /* KEY, STR, VAR, METHOD: the text; NUM: canonical numeric */
	size_t sn;
	int b;
	struct jp *l, *r; /* operands; FILTER, NOT, EXISTS, ISUNKNOWN: l */
	struct jp **from, **to; /* INDEX: subscripts (to NULL: single) */
	int nidx;
	uint32_t first, last; /* ANY: levels, UINT32_MAX for last */
	struct jp *next;
};

#define LEVEL_LAST UINT32_MAX

static int
is_pred(enum jpk k)
{
	return (k >= JP_OR && k <= JP_STARTS) || k == JP_NOT || k == JP_ISUNKNOWN || k == JP_EXISTS;
}

/* --- lexer --- */

enum tok {
	T_END,
	T_PUNCT, /* one or two characters in tk.s */
	T_STR,	 /* a quoted string (decoded) */
	T_NUM,
	T_IDENT, /* a bare word (keywords too) */
	T_VAR,	 /* $name or $"name" (decoded) */
};

struct lex {
	const char *p, *end, *input;
	struct dh_arena *a;
	struct dh_err *err;
	enum tok t;
	const char *s; /* token text (decoded for strings) */
	size_t sn;
	const char *at; /* where the token starts, for messages */
	size_t atn;
};

static int
syntax_error(struct lex *lx, const char *what)
{
	if (lx->t == T_END)
		return dh_err_sql(lx->err, "42601", "%s at end of jsonpath input", what);
	return dh_err_sql(lx->err, "42601", "%s at or near \"%.*s\" of jsonpath input", what,
			  (int)lx->atn, lx->at);
}

static int
is_other(unsigned char c)
{
	return c >= 0x80 || (c > ' ' && !strchr("?%$.[]{}()|&!=<>@#,*:-+/\\\"", c));
}

static int
hexv(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
put_utf8(struct dh_buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		dh_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		dh_buf_addc(b, (char)(0xc0 | (cp >> 6)));
		dh_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		dh_buf_addc(b, (char)(0xe0 | (cp >> 12)));
		dh_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		dh_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		dh_buf_addc(b, (char)(0xf0 | (cp >> 18)));
		dh_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		dh_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		dh_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* a quoted string at lx->p (after the quote) */
static int
lex_string(struct lex *lx)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	while (lx->p < lx->end && *lx->p != '"') {
		char c = *lx->p++;
		if (c != '\\') {
			dh_buf_addc(&b, c);
			continue;
		}
		if (lx->p >= lx->end)
			break;
		c = *lx->p++;
		switch (c) {
		case 'b':
			dh_buf_addc(&b, '\b');
			break;
		case 'f':
			dh_buf_addc(&b, '\f');
			break;
		case 'n':
			dh_buf_addc(&b, '\n');
			break;
		case 'r':
			dh_buf_addc(&b, '\r');
			break;
		case 't':
			dh_buf_addc(&b, '\t');
			break;
		case 'v':
			dh_buf_addc(&b, '\v');
			break;
		case 'x': {
			int h1 = lx->p < lx->end ? hexv(lx->p[0]) : -1;
			int h2 = lx->p + 1 < lx->end ? hexv(lx->p[1]) : -1;
			if (h1 < 0 || h2 < 0 || (h1 == 0 && h2 == 0)) {
				dh_buf_release(&b);
				lx->t = T_END;
				return dh_err_sql(lx->err, "42601",
						  "invalid hexadecimal character sequence at or near "
						  "\"\\x\" of jsonpath input");
			}
			put_utf8(&b, (uint32_t)(h1 * 16 + h2));
			lx->p += 2;
			break;
		}
		case 'u': {
			uint32_t cp = 0;
			int ok = 1;
			if (lx->p < lx->end && *lx->p == '{') {
				int nd = 0;
				lx->p++;
				while (lx->p < lx->end && hexv(*lx->p) >= 0 && nd < 6)
					cp = cp * 16 + (uint32_t)hexv(*lx->p++), nd++;
				ok = nd > 0 && lx->p < lx->end && *lx->p == '}';
				lx->p += ok;
			} else {
				for (int i = 0; i < 4 && ok; i++) {
					int h = lx->p < lx->end ? hexv(*lx->p) : -1;
					ok = h >= 0;
					if (ok)
						cp = cp * 16 + (uint32_t)h, lx->p++;
				}
			}
			if (!ok || cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
				dh_buf_release(&b);
				return dh_err_sql(lx->err, ok && cp == 0 ? "22P05" : "42601",
						  ok && cp == 0 ? "unsupported Unicode escape sequence"
								: "invalid Unicode escape sequence at or near "
								  "\"\\u\" of jsonpath input");
			}
			put_utf8(&b, cp);
			break;
		}
		default:
			dh_buf_addc(&b, c);
			break;
		}
	}
	if (lx->p >= lx->end) {
		dh_buf_release(&b);
		return dh_err_sql(lx->err, "42601",
				  "unterminated quoted string at end of jsonpath input");
	}
	lx->p++;
	lx->s = dh_arena_strndup(lx->a, b.len ? (const char *)b.p : "", b.len);
	lx->sn = b.len;
	dh_buf_release(&b);
	return 0;
}

static int
lex_next(struct lex *lx)
{
	const char *p;
	while (lx->p < lx->end && strchr(" \t\n\r\f", *lx->p))
		lx->p++;
	p = lx->at = lx->p;
	if (p >= lx->end) {
		lx->t = T_END;
		lx->atn = 0;
		return 0;
	}
	if (*p == '"') {
		lx->p++;
		lx->t = T_STR;
		lx->atn = 1;
		return lex_string(lx);
	}
	if (*p == '$') {
		lx->p++;
		if (lx->p < lx->end && *lx->p == '"') {
			int rc;
			lx->p++;
			if ((rc = lex_string(lx)))
				return rc;
			lx->t = T_VAR;
		} else if (lx->p < lx->end && is_other((unsigned char)*lx->p)) {
			const char *s = lx->p;
			while (lx->p < lx->end && is_other((unsigned char)*lx->p))
				lx->p++;
			lx->t = T_VAR;
			lx->s = s;
			lx->sn = (size_t)(lx->p - s);
		} else {
			lx->t = T_PUNCT;
			lx->s = p;
			lx->sn = 1;
		}
		lx->atn = (size_t)(lx->p - p);
		return 0;
	}
	if ((*p >= '0' && *p <= '9') || (*p == '.' && p + 1 < lx->end && p[1] >= '0' && p[1] <= '9')) {
		const char *q = p;
		while (q < lx->end && *q >= '0' && *q <= '9')
			q++;
		if (q < lx->end && *q == '.' && q + 1 < lx->end && q[1] >= '0' && q[1] <= '9') {
			q++;
			while (q < lx->end && *q >= '0' && *q <= '9')
				q++;
		} else if (q < lx->end && *q == '.' && q > p &&
			   !(q + 1 < lx->end && is_other((unsigned char)q[1]))) {
			q++; /* "1." */
		}
		if (q < lx->end && (*q == 'e' || *q == 'E')) {
			const char *e = q + 1;
			if (e < lx->end && (*e == '+' || *e == '-'))
				e++;
			if (e < lx->end && *e >= '0' && *e <= '9') {
				while (e < lx->end && *e >= '0' && *e <= '9')
					e++;
				q = e;
			}
		}
		if (q < lx->end && is_other((unsigned char)*q) && !(*q >= '0' && *q <= '9')) {
			lx->t = T_NUM;
			lx->atn = (size_t)(q - p) + 1;
			return dh_err_sql(lx->err, "42601",
					  "trailing junk after numeric literal at or near \"%.*s\" of "
					  "jsonpath input",
					  (int)lx->atn, p);
		}
		lx->t = T_NUM;
		lx->s = p;
		lx->sn = (size_t)(q - p);
		lx->p = q;
		lx->atn = lx->sn;
		return 0;
	}
	if (is_other((unsigned char)*p)) {
		while (lx->p < lx->end && is_other((unsigned char)*lx->p))
			lx->p++;
		lx->t = T_IDENT;
		lx->s = p;
		lx->sn = (size_t)(lx->p - p);
		lx->atn = lx->sn;
		return 0;
	}
	{
		static const char *const two[] = {"==", "!=", "<>", "<=", ">=", "&&", "||", "**"};
		lx->t = T_PUNCT;
		lx->s = p;
		lx->sn = 1;
		for (size_t i = 0; i < DH_ARRAY_SIZE(two); i++)
			if (p + 1 < lx->end && p[0] == two[i][0] && p[1] == two[i][1])
				lx->sn = 2;
		lx->p += lx->sn;
		lx->atn = lx->sn;
	}
	return 0;
}

static int
is_p(const struct lex *lx, const char *s)
{
	return lx->t == T_PUNCT && lx->sn == strlen(s) && !memcmp(lx->s, s, lx->sn);
}

static int
is_word(const struct lex *lx, const char *w)
{
	return lx->t == T_IDENT && lx->sn == strlen(w) && !memcmp(lx->s, w, lx->sn);
}

/* --- parser --- */

struct parser {
	struct lex lx;
	int in_filter, in_subscript;
};

static struct jp *
node(struct parser *ps, enum jpk k)
{
	struct jp *n = dh_arena_zalloc(ps->lx.a, sizeof(*n));
	n->k = k;
	return n;
}

static int parse_or(struct parser *ps, struct jp **out);

static int
expect(struct parser *ps, const char *p)
{
	if (!is_p(&ps->lx, p))
		return syntax_error(&ps->lx, "syntax error");
	return lex_next(&ps->lx);
}

static int
number(struct parser *ps, const char *s, size_t n, struct jp **out)
{
	struct jp *j = node(ps, JP_NUM);
	int rc = dh_json_numeric(s, n, ps->lx.a, &j->s, &j->sn, ps->lx.err);
	*out = j;
	return rc;
}

static int
uint_level(struct parser *ps, uint32_t *out)
{
	struct lex *lx = &ps->lx;
	if (is_word(lx, "last")) {
		*out = LEVEL_LAST;
		return lex_next(lx);
	}
	if (lx->t != T_NUM)
		return syntax_error(lx, "syntax error");
	*out = (uint32_t)strtoul(dh_arena_strndup(lx->a, lx->s, lx->sn), NULL, 10);
	return lex_next(lx);
}

static const char *const methods[] = {"type",	 "size",     "double",	 "ceiling",
				      "floor",	 "abs",	     "keyvalue", "datetime"};

/* accessors after a primary */
static int
parse_accessors(struct parser *ps, struct jp *head)
{
	struct lex *lx = &ps->lx;
	struct jp *tail = head;
	int rc;
	while (tail->next)
		tail = tail->next;
	for (;;) {
		struct jp *n = NULL;
		if (is_p(lx, ".")) {
			if ((rc = lex_next(lx)))
				return rc;
			if (is_p(lx, "*")) {
				n = node(ps, JP_ANYKEY);
				if ((rc = lex_next(lx)))
					return rc;
			} else if (is_p(lx, "**")) {
				n = node(ps, JP_ANY);
				n->first = 0;
				n->last = LEVEL_LAST;
				if ((rc = lex_next(lx)))
					return rc;
				if (is_p(lx, "{")) {
					if ((rc = lex_next(lx)) || (rc = uint_level(ps, &n->first)))
						return rc;
					n->last = n->first;
					if (is_word(lx, "to") &&
					    ((rc = lex_next(lx)) || (rc = uint_level(ps, &n->last))))
						return rc;
					if ((rc = expect(ps, "}")))
						return rc;
				}
			} else if (lx->t == T_IDENT || lx->t == T_STR) {
				int quoted = lx->t == T_STR;
				const char *s = lx->s;
				size_t sn = lx->sn;
				if ((rc = lex_next(lx)))
					return rc;
				if (!quoted && is_p(lx, "(")) {
					int m = -1;
					for (size_t i = 0; i < DH_ARRAY_SIZE(methods); i++)
						if (strlen(methods[i]) == sn && !memcmp(methods[i], s, sn))
							m = (int)i;
					if (m < 0)
						return syntax_error(lx, "syntax error");
					if (m >= 6)
						return dh_err_sql(lx->err, "0A000",
								  "jsonpath item method .%s() is not "
								  "supported",
								  methods[m]);
					n = node(ps, JP_METHOD);
					n->s = methods[m];
					n->sn = strlen(methods[m]);
					if ((rc = lex_next(lx)) || (rc = expect(ps, ")")))
						return rc;
				} else {
					n = node(ps, JP_KEY);
					n->s = s;
					n->sn = sn;
				}
			} else if (lx->t == T_VAR) {
				return syntax_error(lx, "syntax error");
			} else {
				return syntax_error(lx, "syntax error");
			}
		} else if (is_p(lx, "**")) {
			return syntax_error(lx, "syntax error");
		} else if (is_p(lx, "[")) {
			if ((rc = lex_next(lx)))
				return rc;
			if (is_p(lx, "*")) {
				n = node(ps, JP_ANYARRAY);
				if ((rc = lex_next(lx)) || (rc = expect(ps, "]")))
					return rc;
			} else {
				struct jp *from[64], *to[64];
				int k = 0;
				ps->in_subscript++;
				for (;;) {
					if (k == 64)
						return dh_err_sql(lx->err, "54000", "too many subscripts");
					to[k] = NULL;
					if ((rc = parse_or(ps, &from[k])))
						return rc;
					if (is_word(lx, "to") &&
					    ((rc = lex_next(lx)) || (rc = parse_or(ps, &to[k]))))
						return rc;
					k++;
					if (!is_p(lx, ","))
						break;
					if ((rc = lex_next(lx)))
						return rc;
				}
				ps->in_subscript--;
				if ((rc = expect(ps, "]")))
					return rc;
				n = node(ps, JP_INDEX);
				n->nidx = k;
				n->from = dh_arena_memdup(lx->a, from, (size_t)k * sizeof(*from));
				n->to = dh_arena_memdup(lx->a, to, (size_t)k * sizeof(*to));
			}
		} else if (is_p(lx, "?")) {
			if ((rc = lex_next(lx)) || (rc = expect(ps, "(")))
				return rc;
			n = node(ps, JP_FILTER);
			ps->in_filter++;
			if ((rc = parse_or(ps, &n->l)))
				return rc;
			ps->in_filter--;
			if (!is_pred(n->l->k))
				return syntax_error(lx, "syntax error");
			if ((rc = expect(ps, ")")))
				return rc;
		} else {
			return 0;
		}
		tail->next = n;
		tail = n;
	}
}

static int
parse_primary(struct parser *ps, struct jp **out)
{
	struct lex *lx = &ps->lx;
	struct jp *n = NULL;
	int rc;
	if (is_p(lx, "$")) {
		n = node(ps, JP_ROOT);
	} else if (is_p(lx, "@")) {
		if (!ps->in_filter)
			return dh_err_sql(lx->err, "42601", "@ is not allowed in root expressions");
		n = node(ps, JP_CURRENT);
	} else if (lx->t == T_VAR) {
		n = node(ps, JP_VAR);
		n->s = lx->s;
		n->sn = lx->sn;
	} else if (lx->t == T_NUM) {
		if ((rc = number(ps, lx->s, lx->sn, &n)))
			return rc;
	} else if (lx->t == T_STR) {
		n = node(ps, JP_STR);
		n->s = lx->s;
		n->sn = lx->sn;
	} else if (is_word(lx, "true") || is_word(lx, "false")) {
		n = node(ps, JP_BOOL);
		n->b = is_word(lx, "true");
	} else if (is_word(lx, "null")) {
		n = node(ps, JP_NULL);
	} else if (is_word(lx, "last")) {
		if (!ps->in_subscript)
			return dh_err_sql(lx->err, "42601", "LAST is allowed only in array subscripts");
		n = node(ps, JP_LAST);
	} else if (is_word(lx, "exists")) {
		if ((rc = lex_next(lx)) || (rc = expect(ps, "(")))
			return rc;
		n = node(ps, JP_EXISTS);
		if ((rc = parse_or(ps, &n->l)))
			return rc;
		if (is_pred(n->l->k))
			return syntax_error(lx, "syntax error");
		if ((rc = expect(ps, ")")))
			return rc;
		*out = n;
		return 0;
	} else if (is_word(lx, "like_regex")) {
		return dh_err_sql(lx->err, "0A000", "like_regex in jsonpath is not supported");
	} else if (is_p(lx, "(")) {
		if ((rc = lex_next(lx)) || (rc = parse_or(ps, &n)) || (rc = expect(ps, ")")))
			return rc;
		if (is_pred(n->k)) {
			if (is_word(lx, "is")) {
				struct jp *u = node(ps, JP_ISUNKNOWN);
				if ((rc = lex_next(lx)))
					return rc;
				if (!is_word(lx, "unknown"))
					return syntax_error(lx, "syntax error");
				u->l = n;
				n = u;
				if ((rc = lex_next(lx)))
					return rc;
			}
			*out = n;
			return 0;
		}
		*out = n;
		return parse_accessors(ps, n);
	} else {
		return syntax_error(lx, "syntax error");
	}
	if ((rc = lex_next(lx)))
		return rc;
	*out = n;
	return parse_accessors(ps, n);
}

static int
parse_unary(struct parser *ps, struct jp **out)
{
	struct lex *lx = &ps->lx;
	int rc;
	if (is_p(lx, "-") || is_p(lx, "+")) {
		int minus = is_p(lx, "-");
		struct jp *a;
		if ((rc = lex_next(lx)) || (rc = parse_unary(ps, &a)))
			return rc;
		if (is_pred(a->k))
			return syntax_error(lx, "syntax error");
		/* makeItemUnary folds a sign into a numeric literal */
		if (a->k == JP_NUM && !a->next) {
			if (minus) {
				if (dh__json_num_cmp(a->s, a->sn, "0", 1) == 0)
					;
				else if (a->s[0] == '-')
					a->s++, a->sn--;
				else {
					char *t = dh_arena_alloc(lx->a, a->sn + 2);
					t[0] = '-';
					memcpy(t + 1, a->s, a->sn);
					t[a->sn + 1] = '\0';
					a->s = t;
					a->sn++;
				}
			}
			*out = a;
			return 0;
		}
		*out = node(ps, minus ? JP_MINUS : JP_PLUS);
		(*out)->l = a;
		return 0;
	}
	return parse_primary(ps, out);
}

static int
parse_binary(struct parser *ps, int level, struct jp **out)
{
	/* level 0: * / %, 1: + -, 2: comparisons and starts with */
	static const struct {
		const char *p;
		enum jpk k;
		int level;
	} ops[] = {{"*", JP_MUL, 0}, {"/", JP_DIV, 0}, {"%", JP_MOD, 0}, {"+", JP_ADD, 1},
		   {"-", JP_SUB, 1},  {"==", JP_EQ, 2}, {"!=", JP_NE, 2}, {"<>", JP_NE, 2},
		   {"<", JP_LT, 2},   {"<=", JP_LE, 2}, {">", JP_GT, 2},  {">=", JP_GE, 2}};
	struct lex *lx = &ps->lx;
	struct jp *l, *r, *n;
	int rc = level == 0 ? parse_unary(ps, &l) : parse_binary(ps, level - 1, &l);
	if (rc)
		return rc;
	for (;;) {
		enum jpk k = 0;
		int found = 0;
		for (size_t i = 0; i < DH_ARRAY_SIZE(ops); i++)
			if (ops[i].level == level && is_p(lx, ops[i].p)) {
				k = ops[i].k;
				found = 1;
			}
		if (level == 2 && is_word(lx, "like_regex"))
			return dh_err_sql(lx->err, "0A000", "like_regex in jsonpath is not supported");
		if (level == 2 && is_word(lx, "starts")) {
			if ((rc = lex_next(lx)))
				return rc;
			if (!is_word(lx, "with"))
				return syntax_error(lx, "syntax error");
			k = JP_STARTS;
			found = 1;
		}
		if (!found)
			break;
		if ((rc = lex_next(lx)))
			return rc;
		if (k == JP_STARTS) {
			if (lx->t == T_STR) {
				r = node(ps, JP_STR);
			} else if (lx->t == T_VAR) {
				r = node(ps, JP_VAR);
			} else {
				return syntax_error(lx, "syntax error");
			}
			r->s = lx->s;
			r->sn = lx->sn;
			if ((rc = lex_next(lx)))
				return rc;
		} else if ((rc = level == 0 ? parse_unary(ps, &r) : parse_binary(ps, level - 1, &r))) {
			return rc;
		}
		if (is_pred(l->k) || is_pred(r->k))
			return syntax_error(lx, "syntax error");
		n = node(ps, k);
		n->l = l;
		n->r = r;
		l = n;
		if (level == 2)
			break; /* comparisons do not chain */
	}
	*out = l;
	return 0;
}

static int
parse_not(struct parser *ps, struct jp **out)
{
	struct lex *lx = &ps->lx;
	int rc;
	if (is_p(lx, "!")) {
		struct jp *n = node(ps, JP_NOT);
		if ((rc = lex_next(lx)) || (rc = expect(ps, "(")) || (rc = parse_or(ps, &n->l)) ||
		    (rc = expect(ps, ")")))
			return rc;
		if (!is_pred(n->l->k))
			return syntax_error(lx, "syntax error");
		*out = n;
		return 0;
	}
	return parse_binary(ps, 2, out);
}

static int
parse_and(struct parser *ps, struct jp **out)
{
	struct lex *lx = &ps->lx;
	struct jp *l, *n;
	int rc = parse_not(ps, &l);
	while (!rc && is_p(lx, "&&")) {
		n = node(ps, JP_AND);
		n->l = l;
		if ((rc = lex_next(lx)) || (rc = parse_not(ps, &n->r)))
			return rc;
		if (!is_pred(n->l->k) || !is_pred(n->r->k))
			return syntax_error(lx, "syntax error");
		l = n;
	}
	*out = l;
	return rc;
}

static int
parse_or(struct parser *ps, struct jp **out)
{
	struct lex *lx = &ps->lx;
	struct jp *l, *n;
	int rc = parse_and(ps, &l);
	while (!rc && is_p(lx, "||")) {
		n = node(ps, JP_OR);
		n->l = l;
		if ((rc = lex_next(lx)) || (rc = parse_and(ps, &n->r)))
			return rc;
		if (!is_pred(n->l->k) || !is_pred(n->r->k))
			return syntax_error(lx, "syntax error");
		l = n;
	}
	*out = l;
	return rc;
}

/* the path s[0..n): its mode and tree */
static int
parse_path(const char *s, size_t n, struct dh_arena *a, int *lax, struct jp **out,
	   struct dh_err *err)
{
	struct parser ps = {{s, s + n, s, a, err, T_END, NULL, 0, NULL, 0}, 0, 0};
	int rc;
	*lax = 1;
	if ((rc = lex_next(&ps.lx)))
		return rc;
	if (is_word(&ps.lx, "strict") || is_word(&ps.lx, "lax")) {
		*lax = is_word(&ps.lx, "lax");
		if ((rc = lex_next(&ps.lx)))
			return rc;
	}
	if ((rc = parse_or(&ps, out)))
		return rc;
	if (ps.lx.t != T_END)
		return syntax_error(&ps.lx, "syntax error");
	return 0;
}

/* --- printing (printJsonPathItem) --- */

static int
priority(enum jpk k)
{
	switch (k) {
	case JP_OR:
		return 0;
	case JP_AND:
		return 1;
	case JP_EQ:
	case JP_NE:
	case JP_LT:
	case JP_LE:
	case JP_GT:
	case JP_GE:
	case JP_STARTS:
		return 2;
	case JP_ADD:
	case JP_SUB:
		return 3;
	case JP_MUL:
	case JP_DIV:
	case JP_MOD:
		return 4;
	case JP_PLUS:
	case JP_MINUS:
		return 5;
	default:
		return 6;
	}
}

static const char *
opname(enum jpk k)
{
	switch (k) {
	case JP_OR:
		return "||";
	case JP_AND:
		return "&&";
	case JP_EQ:
		return "==";
	case JP_NE:
		return "!=";
	case JP_LT:
		return "<";
	case JP_LE:
		return "<=";
	case JP_GT:
		return ">";
	case JP_GE:
		return ">=";
	case JP_STARTS:
		return "starts with";
	case JP_ADD:
		return "+";
	case JP_SUB:
		return "-";
	case JP_MUL:
		return "*";
	case JP_DIV:
		return "/";
	default:
		return "%";
	}
}

static void
print_item(struct dh_buf *b, const struct jp *v, int in_key, int brackets)
{
	switch (v->k) {
	case JP_NULL:
		dh_buf_adds(b, "null");
		break;
	case JP_KEY:
		if (in_key)
			dh_buf_addc(b, '.');
		dh_json_write_string(b, v->s, v->sn);
		break;
	case JP_STR:
		dh_json_write_string(b, v->s, v->sn);
		break;
	case JP_VAR:
		dh_buf_addc(b, '$');
		dh_json_write_string(b, v->s, v->sn);
		break;
	case JP_NUM:
		dh_buf_add(b, v->s, v->sn);
		break;
	case JP_BOOL:
		dh_buf_adds(b, v->b ? "true" : "false");
		break;
	case JP_OR:
	case JP_AND:
	case JP_EQ:
	case JP_NE:
	case JP_LT:
	case JP_LE:
	case JP_GT:
	case JP_GE:
	case JP_STARTS:
	case JP_ADD:
	case JP_SUB:
	case JP_MUL:
	case JP_DIV:
	case JP_MOD:
		if (brackets)
			dh_buf_addc(b, '(');
		print_item(b, v->l, 0, priority(v->l->k) <= priority(v->k));
		dh_buf_addc(b, ' ');
		dh_buf_adds(b, opname(v->k));
		dh_buf_addc(b, ' ');
		print_item(b, v->r, 0, priority(v->r->k) <= priority(v->k));
		if (brackets)
			dh_buf_addc(b, ')');
		break;
	case JP_PLUS:
	case JP_MINUS:
		if (brackets)
			dh_buf_addc(b, '(');
		dh_buf_addc(b, v->k == JP_PLUS ? '+' : '-');
		print_item(b, v->l, 0, priority(v->l->k) <= priority(v->k));
		if (brackets)
			dh_buf_addc(b, ')');
		break;
	case JP_FILTER:
		dh_buf_adds(b, "?(");
		print_item(b, v->l, 0, 0);
		dh_buf_addc(b, ')');
		break;
	case JP_NOT:
		dh_buf_adds(b, "!(");
		print_item(b, v->l, 0, 0);
		dh_buf_addc(b, ')');
		break;
	case JP_ISUNKNOWN:
		dh_buf_addc(b, '(');
		print_item(b, v->l, 0, 0);
		dh_buf_adds(b, ") is unknown");
		break;
	case JP_EXISTS:
		dh_buf_adds(b, "exists (");
		print_item(b, v->l, 0, 0);
		dh_buf_addc(b, ')');
		break;
	case JP_CURRENT:
		dh_buf_addc(b, '@');
		break;
	case JP_ROOT:
		dh_buf_addc(b, '$');
		break;
	case JP_LAST:
		dh_buf_adds(b, "last");
		break;
	case JP_ANYARRAY:
		dh_buf_adds(b, "[*]");
		break;
	case JP_ANYKEY:
		if (in_key)
			dh_buf_addc(b, '.');
		dh_buf_addc(b, '*');
		break;
	case JP_INDEX:
		dh_buf_addc(b, '[');
		for (int i = 0; i < v->nidx; i++) {
			if (i)
				dh_buf_addc(b, ',');
			print_item(b, v->from[i], 0, 0);
			if (v->to[i]) {
				dh_buf_adds(b, " to ");
				print_item(b, v->to[i], 0, 0);
			}
		}
		dh_buf_addc(b, ']');
		break;
	case JP_ANY:
		if (in_key)
			dh_buf_addc(b, '.');
		if (v->first == 0 && v->last == LEVEL_LAST)
			dh_buf_adds(b, "**");
		else if (v->first == v->last) {
			if (v->first == LEVEL_LAST)
				dh_buf_adds(b, "**{last}");
			else
				dh_buf_printf(b, "**{%u}", v->first);
		} else if (v->first == LEVEL_LAST)
			dh_buf_printf(b, "**{last to %u}", v->last);
		else if (v->last == LEVEL_LAST)
			dh_buf_printf(b, "**{%u to last}", v->first);
		else
			dh_buf_printf(b, "**{%u to %u}", v->first, v->last);
		break;
	case JP_METHOD:
		dh_buf_printf(b, ".%.*s()", (int)v->sn, v->s);
		break;
	}
	if (v->next)
		print_item(b, v->next, 1, 1);
}

int
dh_jsonpath_in(const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err)
{
	struct jp *j;
	struct dh_buf b;
	int lax, rc;
	if ((rc = parse_path(s, n, a, &lax, &j, err)))
		return rc;
	dh_buf_init(&b, 0);
	if (!lax)
		dh_buf_adds(&b, "strict ");
	print_item(&b, j, 0, 1);
	out->type = DH_T_STRING;
	out->s.n = b.len;
	out->s.p = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return 0;
}

/* --- evaluation (jsonpath_exec.c) --- */

/* a suppressed error (silent, or inside a predicate) */
#define JP_SOFT (-1000)

enum jpb { JPB_FALSE, JPB_TRUE, JPB_UNKNOWN };

struct items {
	const struct dh_json **v;
	size_t n, cap;
};

struct cx {
	struct dh_arena *a;
	struct dh_err *err;
	const struct dh_json *root, *vars;
	int lax;
	int throw_errors;
	int ignore_structural; /* lax, or inside .** */
	int64_t last;	       /* the innermost array's last index, -1 outside */
	const struct dh_json *current;
};

static void
push(struct cx *cx, struct items *it, const struct dh_json *v)
{
	if (!it)
		return;
	if (it->n == it->cap) {
		size_t nc = it->cap ? 2 * it->cap : 8;
		const struct dh_json **nv = dh_arena_alloc(cx->a, nc * sizeof(*nv));
		if (it->n)
			memcpy(nv, it->v, it->n * sizeof(*nv));
		it->v = nv;
		it->cap = nc;
	}
	it->v[it->n++] = v;
}

/* RETURN_ERROR: thrown, or a soft error */
static int
jerr(struct cx *cx, const char *state, const char *fmt, const char *arg)
{
	if (!cx->throw_errors)
		return JP_SOFT;
	dh_err_sql(cx->err, state, fmt, arg);
	return DH_ESQL;
}

static struct dh_json *
new_item(struct cx *cx, enum dh_json_kind k)
{
	struct dh_json *j = dh_arena_zalloc(cx->a, sizeof(*j));
	j->kind = k;
	return j;
}

static struct dh_json *
new_num(struct cx *cx, const struct dh_value *v)
{
	struct dh_json *j = new_item(cx, DH_JSON_NUMBER);
	j->s = v->s.p;
	j->sn = v->s.n;
	return j;
}

static struct dh_json *
new_str(struct cx *cx, const char *s)
{
	struct dh_json *j = new_item(cx, DH_JSON_STRING);
	j->s = s;
	j->sn = strlen(s);
	return j;
}

static int exec_item(struct cx *cx, const struct jp *jp, const struct dh_json *v, struct items *found,
		     int unwrap);
static enum jpb exec_bool(struct cx *cx, const struct jp *jp, const struct dh_json *v, int *rc);

/* apply jp's next item to v, or collect v */
static int
exec_next(struct cx *cx, const struct jp *jp, const struct dh_json *v, struct items *found)
{
	if (!jp->next) {
		push(cx, found, v);
		return 0;
	}
	return exec_item(cx, jp->next, v, found, cx->lax);
}

/* each element of the array v through jp (lax's automatic unwrapping) */
static int
exec_unwrap(struct cx *cx, const struct jp *jp, const struct dh_json *v, struct items *found)
{
	int rc;
	for (size_t i = 0; i < v->n; i++)
		if ((rc = exec_item(cx, jp, &v->items[i], found, 0)))
			return rc;
	return 0;
}

/* an expression's items, arrays among them unwrapped in lax mode */
static int
exec_unwrapped_result(struct cx *cx, const struct jp *jp, const struct dh_json *v,
		      struct items *out)
{
	struct items tmp = {0};
	int rc = exec_item(cx, jp, v, &tmp, cx->lax);
	if (rc)
		return rc;
	for (size_t i = 0; i < tmp.n; i++) {
		if (cx->lax && tmp.v[i]->kind == DH_JSON_ARRAY) {
			for (size_t k = 0; k < tmp.v[i]->n; k++)
				push(cx, out, &tmp.v[i]->items[k]);
		} else {
			push(cx, out, tmp.v[i]);
		}
	}
	return 0;
}

static int
numeric_of(const struct dh_json *j, struct dh_value *out)
{
	if (j->kind != DH_JSON_NUMBER)
		return -1;
	out->type = DH_T_BIGDEC;
	out->s.p = j->s;
	out->s.n = j->sn;
	return 0;
}

static int
exec_binary_arith(struct cx *cx, const struct jp *jp, const struct dh_json *v,
		  struct items *found)
{
	struct items l = {0}, r = {0};
	struct dh_value args[2], res;
	struct dh_sqlcall c = {cx->a, cx->err, NULL, 2, NULL, O(NUMERIC)};
	dh_sqlfn fn;
	int rc, save = cx->throw_errors;
	if ((rc = exec_unwrapped_result(cx, jp->l, v, &l)) ||
	    (rc = exec_unwrapped_result(cx, jp->r, v, &r)))
		return rc;
	if (l.n != 1 || numeric_of(l.v[0], &args[0]))
		return jerr(cx, "22038", "left operand of jsonpath operator %s is not a single "
					 "numeric value",
			    opname(jp->k));
	if (r.n != 1 || numeric_of(r.v[0], &args[1]))
		return jerr(cx, "22038", "right operand of jsonpath operator %s is not a single "
					 "numeric value",
			    opname(jp->k));
	fn = jp->k == JP_ADD ? dh__num_add : jp->k == JP_SUB ? dh__num_sub
		 : jp->k == JP_MUL ? dh__num_mul : jp->k == JP_DIV ? dh__num_div : dh__num_mod;
	if ((rc = fn(&c, args, &res))) {
		if (!save) {
			dh_err_clear(cx->err);
			return JP_SOFT;
		}
		return rc;
	}
	return exec_next(cx, jp, new_num(cx, &res), found);
}

static int
exec_unary_arith(struct cx *cx, const struct jp *jp, const struct dh_json *v, struct items *found)
{
	struct items s = {0};
	int rc;
	if ((rc = exec_unwrapped_result(cx, jp->l, v, &s)))
		return rc;
	for (size_t i = 0; i < s.n; i++) {
		struct dh_value x, r;
		struct dh_sqlcall c = {cx->a, cx->err, NULL, 1, NULL, O(NUMERIC)};
		if (numeric_of(s.v[i], &x))
			return jerr(cx, "2203B", "operand of unary jsonpath operator %s is not a "
						 "numeric value",
				    jp->k == JP_PLUS ? "+" : "-");
		if (jp->k == JP_MINUS) {
			if ((rc = dh__num_uminus(&c, &x, &r)))
				return rc;
		} else {
			r = x;
		}
		if ((rc = exec_next(cx, jp, new_num(cx, &r), found)))
			return rc;
	}
	return 0;
}

/* the numbers of an array subscript, truncated toward zero */
static int
array_index(struct cx *cx, const struct jp *jp, const struct dh_json *v, int64_t *out)
{
	struct items s = {0};
	struct dh_value x, t;
	struct dh_sqlcall c = {cx->a, cx->err, NULL, 1, NULL, O(NUMERIC)};
	int rc = exec_item(cx, jp, v, &s, cx->lax);
	if (rc)
		return rc;
	if (s.n != 1 || numeric_of(s.v[0], &x))
		return jerr(cx, "22033", "jsonpath array subscript is not a single numeric value",
			    NULL);
	if ((rc = dh__num_trunc(&c, &x, &t)) || (rc = dh__num_to_int(&t, 4, out, cx->err))) {
		dh_err_clear(cx->err);
		return jerr(cx, "22033", "jsonpath array subscript is out of integer range", NULL);
	}
	return 0;
}

static int
exec_any(struct cx *cx, const struct jp *next, const struct dh_json *v, struct items *found,
	 uint32_t level, uint32_t first, uint32_t last)
{
	int rc;
	if (level > last)
		return 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct dh_json *e = v->kind == DH_JSON_OBJECT ? &v->items[2 * i + 1]
								    : &v->items[i];
		int container = e->kind == DH_JSON_ARRAY || e->kind == DH_JSON_OBJECT;
		/* **{last}: the leaves only */
		if (level >= first || (first == LEVEL_LAST && last == LEVEL_LAST && !container)) {
			if (next) {
				int save = cx->ignore_structural;
				cx->ignore_structural = 1;
				rc = exec_item(cx, next, e, found, cx->lax);
				cx->ignore_structural = save;
				if (rc)
					return rc;
			} else {
				push(cx, found, e);
			}
		}
		if (level < last && (e->kind == DH_JSON_ARRAY || e->kind == DH_JSON_OBJECT) &&
		    (rc = exec_any(cx, next, e, found, level + 1, first, last)))
			return rc;
	}
	return 0;
}

static int
exec_method(struct cx *cx, const struct jp *jp, const struct dh_json *v, struct items *found,
	    int unwrap)
{
	const char *m = jp->s;
	struct dh_value x, r;
	struct dh_sqlcall c = {cx->a, cx->err, NULL, 1, NULL, O(NUMERIC)};
	int rc;
	if (!strcmp(m, "type")) {
		static const char *const names[] = {"null",    "string", "number",
						    "boolean", "array",	 "object"};
		return exec_next(cx, jp, new_str(cx, names[v->kind]), found);
	}
	if (!strcmp(m, "size")) {
		struct dh_value n = {.type = DH_T_BIGDEC};
		char buf[32];
		if (v->kind != DH_JSON_ARRAY && !cx->lax) {
			if (!cx->ignore_structural)
				return jerr(cx, "22039",
					    "jsonpath item method .%s() can only be applied to an "
					    "array",
					    "size");
			return 0;
		}
		snprintf(buf, sizeof buf, "%zu", v->kind == DH_JSON_ARRAY ? v->n : (size_t)1);
		n.s.p = dh_arena_strdup(cx->a, buf);
		n.s.n = strlen(buf);
		return exec_next(cx, jp, new_num(cx, &n), found);
	}
	if (unwrap && v->kind == DH_JSON_ARRAY)
		return exec_unwrap(cx, jp, v, found);
	if (!strcmp(m, "double")) {
		double d;
		char *txt, *end;
		if (v->kind == DH_JSON_NUMBER || v->kind == DH_JSON_STRING) {
			txt = dh_arena_strndup(cx->a, v->s, v->sn);
			d = strtod(txt, &end);
			if (v->kind == DH_JSON_STRING && (end == txt || *end))
				return jerr(cx, "22036",
					    "string argument of jsonpath item method .%s() is not a "
					    "valid representation of a double precision number",
					    "double");
			if (isinf(d) || isnan(d))
				return jerr(cx, "22036",
					    "numeric argument of jsonpath item method .%s() is out of "
					    "range for type double precision",
					    "double");
			if ((rc = dh__num_from_double(d, 0, cx->a, &r, cx->err)))
				return rc;
			return exec_next(cx, jp, new_num(cx, &r), found);
		}
		return jerr(cx, "22036",
			    "jsonpath item method .%s() can only be applied to a string or numeric "
			    "value",
			    "double");
	}
	if (numeric_of(v, &x))
		return jerr(cx, "22036",
			    "jsonpath item method .%s() can only be applied to a numeric value", m);
	if (!strcmp(m, "abs"))
		rc = dh__num_abs(&c, &x, &r);
	else if (!strcmp(m, "floor"))
		rc = dh__num_floor(&c, &x, &r);
	else
		rc = dh__num_ceil(&c, &x, &r);
	if (rc)
		return rc;
	return exec_next(cx, jp, new_num(cx, &r), found);
}

/* executeItemOptUnwrapTarget */
static int
exec_item(struct cx *cx, const struct jp *jp, const struct dh_json *v, struct items *found,
	  int unwrap)
{
	int rc;
	switch (jp->k) {
	case JP_OR:
	case JP_AND:
	case JP_EQ:
	case JP_NE:
	case JP_LT:
	case JP_LE:
	case JP_GT:
	case JP_GE:
	case JP_STARTS:
	case JP_NOT:
	case JP_ISUNKNOWN:
	case JP_EXISTS: {
		enum jpb b = exec_bool(cx, jp, v, &rc);
		struct dh_json *r;
		if (rc)
			return rc;
		r = new_item(cx, b == JPB_UNKNOWN ? DH_JSON_NULL : DH_JSON_BOOL);
		r->b = b == JPB_TRUE;
		return exec_next(cx, jp, r, found);
	}
	case JP_ADD:
	case JP_SUB:
	case JP_MUL:
	case JP_DIV:
	case JP_MOD:
		return exec_binary_arith(cx, jp, v, found);
	case JP_PLUS:
	case JP_MINUS:
		return exec_unary_arith(cx, jp, v, found);
	case JP_ROOT:
		return exec_next(cx, jp, cx->root, found);
	case JP_CURRENT:
		return exec_next(cx, jp, cx->current, found);
	case JP_VAR: {
		const struct dh_json *val = NULL;
		for (size_t i = 0; cx->vars && i < cx->vars->n; i++)
			if (cx->vars->items[2 * i].sn == jp->sn &&
			    !memcmp(cx->vars->items[2 * i].s, jp->s, jp->sn))
				val = &cx->vars->items[2 * i + 1];
		if (!val) {
			dh_err_sql(cx->err, "42704", "could not find jsonpath variable \"%.*s\"",
				   (int)jp->sn, jp->s);
			return DH_ESQL;
		}
		return exec_next(cx, jp, val, found);
	}
	case JP_LAST: {
		struct dh_json *r;
		char buf[32];
		if (cx->last < -1) {
			dh_err_sql(cx->err, "XX000", "evaluating jsonpath LAST outside of array subscript");
			return DH_ESQL;
		}
		r = new_item(cx, DH_JSON_NUMBER);
		snprintf(buf, sizeof buf, "%lld", (long long)cx->last);
		r->s = dh_arena_strdup(cx->a, buf);
		r->sn = strlen(buf);
		return exec_next(cx, jp, r, found);
	}
	case JP_NUM: {
		struct dh_json *r = new_item(cx, DH_JSON_NUMBER);
		r->s = jp->s;
		r->sn = jp->sn;
		return exec_next(cx, jp, r, found);
	}
	case JP_STR: {
		struct dh_json *r = new_item(cx, DH_JSON_STRING);
		r->s = jp->s;
		r->sn = jp->sn;
		return exec_next(cx, jp, r, found);
	}
	case JP_BOOL: {
		struct dh_json *r = new_item(cx, DH_JSON_BOOL);
		r->b = jp->b;
		return exec_next(cx, jp, r, found);
	}
	case JP_NULL:
		return exec_next(cx, jp, new_item(cx, DH_JSON_NULL), found);
	case JP_KEY:
		if (v->kind == DH_JSON_OBJECT) {
			for (size_t i = 0; i < v->n; i++)
				if (v->items[2 * i].sn == jp->sn &&
				    !memcmp(v->items[2 * i].s, jp->s, jp->sn))
					return exec_next(cx, jp, &v->items[2 * i + 1], found);
			if (!cx->ignore_structural) {
				char *k = dh_arena_strndup(cx->a, jp->s, jp->sn);
				return jerr(cx, "2203A", "JSON object does not contain key \"%s\"", k);
			}
			return 0;
		}
		if (unwrap && v->kind == DH_JSON_ARRAY)
			return exec_unwrap(cx, jp, v, found);
		if (!cx->ignore_structural)
			return jerr(cx, "2203A",
				    "jsonpath member accessor can only be applied to an object", NULL);
		return 0;
	case JP_ANYKEY:
		if (v->kind == DH_JSON_OBJECT) {
			for (size_t i = 0; i < v->n; i++)
				if ((rc = exec_next(cx, jp, &v->items[2 * i + 1], found)))
					return rc;
			return 0;
		}
		if (unwrap && v->kind == DH_JSON_ARRAY)
			return exec_unwrap(cx, jp, v, found);
		if (!cx->ignore_structural)
			return jerr(cx, "2203C",
				    "jsonpath wildcard member accessor can only be applied to an "
				    "object",
				    NULL);
		return 0;
	case JP_ANYARRAY:
		if (v->kind == DH_JSON_ARRAY) {
			for (size_t i = 0; i < v->n; i++)
				if ((rc = exec_next(cx, jp, &v->items[i], found)))
					return rc;
			return 0;
		}
		if (cx->lax)
			return exec_next(cx, jp, v, found);
		if (!cx->ignore_structural)
			return jerr(cx, "22039",
				    "jsonpath wildcard array accessor can only be applied to an array",
				    NULL);
		return 0;
	case JP_INDEX: {
		int64_t size, save_last = cx->last;
		if (v->kind != DH_JSON_ARRAY && !cx->lax) {
			if (!cx->ignore_structural)
				return jerr(cx, "22039",
					    "jsonpath array accessor can only be applied to an array",
					    NULL);
			return 0;
		}
		size = v->kind == DH_JSON_ARRAY ? (int64_t)v->n : 1;
		cx->last = size - 1;
		for (int i = 0; i < jp->nidx; i++) {
			int64_t from, to;
			if ((rc = array_index(cx, jp->from[i], v, &from)))
				goto index_out;
			to = from;
			if (jp->to[i] && (rc = array_index(cx, jp->to[i], v, &to)))
				goto index_out;
			if (!cx->ignore_structural && (from < 0 || from > to || to >= size)) {
				rc = jerr(cx, "22033", "jsonpath array subscript is out of bounds",
					  NULL);
				goto index_out;
			}
			if (from < 0)
				from = 0;
			if (to >= size)
				to = size - 1;
			for (int64_t k = from; k <= to; k++) {
				const struct dh_json *e = v->kind == DH_JSON_ARRAY ? &v->items[k] : v;
				if ((rc = exec_next(cx, jp, e, found)))
					goto index_out;
			}
		}
		rc = 0;
	index_out:
		cx->last = save_last;
		return rc;
	}
	case JP_ANY:
		if (jp->first == 0) {
			int save = cx->ignore_structural;
			cx->ignore_structural = 1;
			rc = exec_next(cx, jp, v, found);
			cx->ignore_structural = save;
			if (rc && rc != JP_SOFT)
				return rc;
		}
		if (v->kind == DH_JSON_ARRAY || v->kind == DH_JSON_OBJECT)
			return exec_any(cx, jp->next, v, found, 1, jp->first, jp->last);
		return 0;
	case JP_FILTER: {
		const struct dh_json *save = cx->current;
		enum jpb b;
		if (unwrap && v->kind == DH_JSON_ARRAY)
			return exec_unwrap(cx, jp, v, found);
		cx->current = v;
		b = exec_bool(cx, jp->l, v, &rc);
		cx->current = save;
		if (rc)
			return rc;
		if (b != JPB_TRUE)
			return 0;
		return exec_next(cx, jp, v, found);
	}
	case JP_METHOD:
		return exec_method(cx, jp, v, found, unwrap);
	}
	return 0;
}

/* compareItems: one pair */
static enum jpb
compare(enum jpk op, const struct dh_json *a, const struct dh_json *b)
{
	int cmp;
	if (a->kind != b->kind) {
		if (a->kind == DH_JSON_NULL || b->kind == DH_JSON_NULL)
			return op == JP_NE ? JPB_TRUE : JPB_FALSE;
		return JPB_UNKNOWN;
	}
	switch (a->kind) {
	case DH_JSON_NULL:
		cmp = 0;
		break;
	case DH_JSON_BOOL:
		cmp = a->b == b->b ? 0 : a->b ? 1 : -1;
		break;
	case DH_JSON_NUMBER:
		cmp = dh__json_num_cmp(a->s, a->sn, b->s, b->sn);
		break;
	case DH_JSON_STRING: {
		size_t n = a->sn < b->sn ? a->sn : b->sn;
		cmp = memcmp(a->s, b->s, n);
		if (cmp == 0)
			cmp = a->sn < b->sn ? -1 : a->sn > b->sn;
		if (op == JP_EQ)
			return cmp == 0 ? JPB_TRUE : JPB_FALSE;
		break;
	}
	default:
		return JPB_UNKNOWN;
	}
	switch (op) {
	case JP_EQ:
		return cmp == 0 ? JPB_TRUE : JPB_FALSE;
	case JP_NE:
		return cmp != 0 ? JPB_TRUE : JPB_FALSE;
	case JP_LT:
		return cmp < 0 ? JPB_TRUE : JPB_FALSE;
	case JP_GT:
		return cmp > 0 ? JPB_TRUE : JPB_FALSE;
	case JP_LE:
		return cmp <= 0 ? JPB_TRUE : JPB_FALSE;
	default:
		return cmp >= 0 ? JPB_TRUE : JPB_FALSE;
	}
}

/* an operand's items without throwing (executeItemOptUnwrapResultNoThrow) */
static int
operand(struct cx *cx, const struct jp *jp, const struct dh_json *v, int unwrap, struct items *out)
{
	int save = cx->throw_errors, rc;
	cx->throw_errors = 0;
	rc = unwrap ? exec_unwrapped_result(cx, jp, v, out) : exec_item(cx, jp, v, out, cx->lax);
	cx->throw_errors = save;
	return rc;
}

/* executePredicate: existential over the pairs */
static enum jpb
predicate(struct cx *cx, const struct jp *jp, const struct dh_json *v, int *rcp)
{
	struct items l = {0}, r = {0};
	int rc, error = 0, found = 0;
	*rcp = 0;
	if ((rc = operand(cx, jp->l, v, 1, &l)) == JP_SOFT)
		return JPB_UNKNOWN;
	if (rc) {
		*rcp = rc;
		return JPB_UNKNOWN;
	}
	if ((rc = operand(cx, jp->r, v, jp->k != JP_STARTS, &r)) == JP_SOFT)
		return JPB_UNKNOWN;
	if (rc) {
		*rcp = rc;
		return JPB_UNKNOWN;
	}
	for (size_t i = 0; i < l.n; i++)
		for (size_t k = 0; k < r.n; k++) {
			enum jpb b;
			if (jp->k == JP_STARTS) {
				if (l.v[i]->kind != DH_JSON_STRING || r.v[k]->kind != DH_JSON_STRING)
					b = JPB_UNKNOWN;
				else
					b = l.v[i]->sn >= r.v[k]->sn &&
						    !memcmp(l.v[i]->s, r.v[k]->s, r.v[k]->sn)
						? JPB_TRUE
						: JPB_FALSE;
			} else {
				b = compare(jp->k, l.v[i], r.v[k]);
			}
			if (b == JPB_UNKNOWN) {
				if (!cx->lax)
					return JPB_UNKNOWN;
				error = 1;
			} else if (b == JPB_TRUE) {
				if (cx->lax)
					return JPB_TRUE;
				found = 1;
			}
		}
	if (found)
		return JPB_TRUE;
	return error ? JPB_UNKNOWN : JPB_FALSE;
}

static enum jpb
exec_bool(struct cx *cx, const struct jp *jp, const struct dh_json *v, int *rcp)
{
	enum jpb a, b;
	*rcp = 0;
	switch (jp->k) {
	case JP_AND:
		a = exec_bool(cx, jp->l, v, rcp);
		if (*rcp || a == JPB_FALSE)
			return a;
		b = exec_bool(cx, jp->r, v, rcp);
		return b == JPB_TRUE ? a : b;
	case JP_OR:
		a = exec_bool(cx, jp->l, v, rcp);
		if (*rcp || a == JPB_TRUE)
			return a;
		b = exec_bool(cx, jp->r, v, rcp);
		return b == JPB_FALSE ? a : b;
	case JP_NOT:
		a = exec_bool(cx, jp->l, v, rcp);
		return a == JPB_UNKNOWN ? a : a == JPB_TRUE ? JPB_FALSE : JPB_TRUE;
	case JP_ISUNKNOWN:
		a = exec_bool(cx, jp->l, v, rcp);
		return a == JPB_UNKNOWN ? JPB_TRUE : JPB_FALSE;
	case JP_EXISTS: {
		struct items s = {0};
		int rc = operand(cx, jp->l, v, 0, &s);
		if (rc == JP_SOFT)
			return JPB_UNKNOWN;
		if (rc) {
			*rcp = rc;
			return JPB_UNKNOWN;
		}
		return s.n ? JPB_TRUE : JPB_FALSE;
	}
	default:
		return predicate(cx, jp, v, rcp);
	}
}

/* --- the SQL functions --- */

enum what { W_EXISTS, W_MATCH, W_QUERY, W_ARRAY, W_FIRST };

static int
run(struct dh_sqlcall *c, argv_t a, enum what w, int silent_op, struct dh_value *o)
{
	struct dh_json *doc, *vars = NULL;
	struct jp *path;
	struct items found = {0};
	struct cx cx = {0};
	int lax, rc, silent = silent_op;
	o->type = DH_T_NONE;
	if (c->nargs > 3 && a[3].type == DH_T_BOOL)
		silent = a[3].b;
	if ((rc = dh_json_parse(a[0].s.p, a[0].s.n, DH_JPARSE_JSONB, c->arena, &doc, c->err)) ||
	    (rc = parse_path(a[1].s.p, a[1].s.n, c->arena, &lax, &path, c->err)))
		return rc;
	if (c->nargs > 2 && a[2].type != DH_T_NONE) {
		if ((rc = dh_json_parse(a[2].s.p, a[2].s.n, DH_JPARSE_JSONB, c->arena, &vars,
					c->err)))
			return rc;
		if (vars->kind != DH_JSON_OBJECT) {
			dh_err_sql(c->err, "22023", "\"vars\" argument is not an object");
			dh_err_detail(c->err, "Jsonpath parameters should be encoded as key-value "
					      "pairs of \"vars\" object.");
			return DH_ESQL;
		}
	}
	cx.a = c->arena;
	cx.err = c->err;
	cx.root = doc;
	cx.vars = vars;
	cx.lax = lax;
	cx.ignore_structural = lax;
	cx.throw_errors = !silent;
	cx.last = -2;
	cx.current = doc;
	rc = exec_item(&cx, path, doc, &found, lax);
	if (rc && rc != JP_SOFT)
		return rc;
	switch (w) {
	case W_EXISTS:
		if (rc == JP_SOFT)
			return 0;
		*o = dh__v_bool(found.n > 0);
		return 0;
	case W_MATCH:
		if (found.n == 1 && found.v[0]->kind == DH_JSON_BOOL) {
			*o = dh__v_bool(found.v[0]->b);
			return 0;
		}
		if (found.n == 1 && found.v[0]->kind == DH_JSON_NULL)
			return 0;
		if (!silent)
			return dh_err_sql(c->err, "22038", "single boolean result is expected");
		return 0;
	case W_FIRST:
		if (found.n)
			return dh__jsonb_value(found.v[0], c->arena, o);
		return 0;
	case W_ARRAY: {
		struct dh_json arr = {.kind = DH_JSON_ARRAY, .n = found.n};
		arr.items = dh_arena_alloc(c->arena, (found.n + 1) * sizeof(*arr.items));
		for (size_t i = 0; i < found.n; i++)
			arr.items[i] = *found.v[i];
		return dh__jsonb_value(&arr, c->arena, o);
	}
	case W_QUERY: {
		struct dh_coll *coll = dh_arena_alloc(c->arena, sizeof(*coll));
		coll->kind = DH_COLL_VECTOR;
		coll->n = found.n;
		coll->items = dh_arena_alloc(c->arena, (found.n + 1) * sizeof(*coll->items));
		for (size_t i = 0; i < found.n; i++)
			if ((rc = dh__jsonb_value(found.v[i], c->arena, &coll->items[i])))
				return rc;
		o->type = DH_T_COLL;
		o->coll = coll;
		return 0;
	}
	}
	return 0;
}

int
dh_jsonpath_query(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return run(c, a, W_QUERY, 0, o);
}

static int
path_exists(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return run(c, a, W_EXISTS, 0, o);
}

static int
path_match(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return run(c, a, W_MATCH, 0, o);
}

static int
path_query_array(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return run(c, a, W_ARRAY, 0, o);
}

static int
path_query_first(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return run(c, a, W_FIRST, 0, o);
}

static int
exists_opr(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_sqlcall c2 = *c;
	c2.nargs = 2;
	return run(&c2, a, W_EXISTS, 1, o);
}

static int
match_opr(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_sqlcall c2 = *c;
	c2.nargs = 2;
	return run(&c2, a, W_MATCH, 1, o);
}

/* --- the type --- */

static int
type_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	(void)t, (void)typmod, (void)env;
	return dh_jsonpath_in(s, strnlen(s, n), a, out, err);
}

static int
type_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	(void)t, (void)env;
	return dh_buf_add(b, v->s.p, v->s.n);
}

/* jsonpath_send: a version byte (1) and the text */
static int
type_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	(void)t, (void)err;
	dh_buf_addc(b, 1);
	return dh_buf_add(b, v->s.p, v->s.n);
}

static int
type_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	(void)t, (void)typmod;
	if (n < 1 || p[0] != 1)
		return dh_err_sql(err, "XX000", "unsupported jsonpath version number: %d",
				  n ? p[0] : 0);
	return dh_jsonpath_in((const char *)p + 1, n - 1, a, out, err);
}

const struct dh_sqltype_ops dh__sqljson_path_type_ops = {
    type_in, type_out, type_send, type_recv, NULL, NULL, NULL, NULL, NULL,
};

const struct dh_sqlop dh__sqljson_path_ops[] = {
    {"@?", O(JSONB), O(JSONPATH), O(BOOL), exists_opr, "jsonb_path_exists_opr", 0},
    {"@@", O(JSONB), O(JSONPATH), O(BOOL), match_opr, "jsonb_path_match_opr", 0},
};
const size_t dh__sqljson_path_ops_n = DH_ARRAY_SIZE(dh__sqljson_path_ops);

#define PATHFN(n, res, f_)                                                                         \
	{                                                                                          \
		.name = n, .nargs = 4, .args = {O(JSONB), O(JSONPATH), O(JSONB), O(BOOL)},         \
		.result = res, .fn = f_, .prosrc = n, .ndefaults = 2,                              \
		.argnames = "target path vars={} silent=false"                                     \
	}

const struct dh_sqlproc dh__sqljson_path_procs[] = {
    PATHFN("jsonb_path_exists", O(BOOL), path_exists),
    PATHFN("jsonb_path_match", O(BOOL), path_match),
    PATHFN("jsonb_path_query_array", O(JSONB), path_query_array),
    PATHFN("jsonb_path_query_first", O(JSONB), path_query_first),
};
const size_t dh__sqljson_path_procs_n = DH_ARRAY_SIZE(dh__sqljson_path_procs);
