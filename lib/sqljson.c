/*
 * sqljson: the json/jsonb core: PostgreSQL's JSON lexer and parser (with
 * its error reports), jsonb normalisation, text output, comparison and
 * hashing.  Operators and functions are in sqljson-fn.c.
 *
 * The lexer and parser follow src/common/jsonapi.c of PostgreSQL 15 step by
 * step, because the error a bad input gets depends on the order in which
 * PostgreSQL looks at tokens (the token after a scalar is lexed before the
 * scalar is handed on, so its lexical error wins).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sqljson.h"
#include "sqljson-int.h"

/* --- lexer ---------------------------------------------------------------- */

enum tok {
	T_INVALID,
	T_STRING,
	T_NUMBER,
	T_OBJ_START,
	T_OBJ_END,
	T_ARR_START,
	T_ARR_END,
	T_COMMA,
	T_COLON,
	T_TRUE,
	T_FALSE,
	T_NULL,
	T_END,
};

/* PostgreSQL's JsonParseErrorType, as far as UTF-8 input reaches. */
enum jerr {
	J_OK,
	J_ESCAPING_INVALID,
	J_ESCAPING_REQUIRED,
	J_EXPECTED_END,
	J_EXPECTED_ARRAY_NEXT,
	J_EXPECTED_COLON,
	J_EXPECTED_JSON,
	J_EXPECTED_MORE,
	J_EXPECTED_OBJECT_FIRST,
	J_EXPECTED_OBJECT_NEXT,
	J_EXPECTED_STRING,
	J_INVALID_TOKEN,
	J_CODE_POINT_ZERO,
	J_UNICODE_FORMAT,
	J_HIGH_SURROGATE,
	J_LOW_SURROGATE,
	J_DEPTH,
	J_REPORTED, /* err already filled (numeric overflow) */
};

enum pctx {
	P_VALUE,
	P_STRING,
	P_ARRAY_NEXT,
	P_OBJECT_START,
	P_OBJECT_LABEL,
	P_OBJECT_NEXT,
	P_END,
};

struct lex {
	const char *input, *end;
	const char *tok_start, *tok_end; /* tok_start NULL at the end */
	const char *line_start;
	int line;
	enum tok type;
	unsigned flags;
	struct dh_arena *a;
	struct dh_buf sbuf; /* decoded string of the current token */
	int depth;
	struct dh_err *err;
};

#define ALNUM(c)                                                                                 \
	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || ((c) >= '0' && (c) <= '9') || \
	 (c) == '_' || ((unsigned char)(c) & 0x80))

static int
mblen_utf8(const char *s, const char *end)
{
	unsigned char c = (unsigned char)*s;
	int n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (s + n > end)
		n = (int)(end - s);
	return n > 0 ? n : 1;
}

static void
put_utf8(struct dh_buf *b, unsigned cp)
{
	unsigned char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	dh_buf_add(b, u, n);
}

static enum jerr
lex_string(struct lex *lx)
{
	const char *s = lx->tok_start + 1, *end = lx->end;
	int hi = -1;
	int decode = (lx->flags & DH_JPARSE_DECODE) != 0;
	dh_buf_reset(&lx->sbuf);
#define FAIL_START(code)                                                                         \
	do {                                                                                      \
		lx->tok_end = s;                                                                  \
		return code;                                                                      \
	} while (0)
#define FAIL_END(code)                                                                           \
	do {                                                                                      \
		lx->tok_end = s + mblen_utf8(s, end);                                             \
		return code;                                                                      \
	} while (0)
	for (;; s++) {
		if (s >= end)
			FAIL_START(J_INVALID_TOKEN);
		if (*s == '"')
			break;
		if ((unsigned char)*s < 32)
			FAIL_START(J_ESCAPING_REQUIRED);
		if (*s == '\\') {
			s++;
			if (s >= end)
				FAIL_START(J_INVALID_TOKEN);
			if (*s == 'u') {
				unsigned ch = 0;
				for (int i = 1; i <= 4; i++) {
					s++;
					if (s >= end)
						FAIL_START(J_INVALID_TOKEN);
					if (*s >= '0' && *s <= '9')
						ch = ch * 16 + (unsigned)(*s - '0');
					else if (*s >= 'a' && *s <= 'f')
						ch = ch * 16 + (unsigned)(*s - 'a' + 10);
					else if (*s >= 'A' && *s <= 'F')
						ch = ch * 16 + (unsigned)(*s - 'A' + 10);
					else
						FAIL_END(J_UNICODE_FORMAT);
				}
				if (!decode)
					continue;
				if (ch >= 0xd800 && ch <= 0xdbff) {
					if (hi != -1)
						FAIL_END(J_HIGH_SURROGATE);
					hi = (int)ch;
					continue;
				} else if (ch >= 0xdc00 && ch <= 0xdfff) {
					if (hi == -1)
						FAIL_END(J_LOW_SURROGATE);
					ch = 0x10000 + (((unsigned)hi - 0xd800) << 10) + (ch - 0xdc00);
					hi = -1;
				}
				if (hi != -1)
					FAIL_END(J_LOW_SURROGATE);
				if (ch == 0)
					FAIL_END(J_CODE_POINT_ZERO);
				put_utf8(&lx->sbuf, ch);
			} else if (decode) {
				if (hi != -1)
					FAIL_END(J_LOW_SURROGATE);
				static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
				const char *f = *s ? strchr(from, *s) : NULL;
				if (!f) {
					lx->tok_start = s;
					FAIL_END(J_ESCAPING_INVALID);
				}
				dh_buf_addc(&lx->sbuf, to[f - from]);
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				lx->tok_start = s;
				FAIL_END(J_ESCAPING_INVALID);
			}
		} else if (decode) {
			if (hi != -1)
				FAIL_END(J_LOW_SURROGATE);
			dh_buf_addc(&lx->sbuf, *s);
		}
	}
	if (hi != -1)
		FAIL_END(J_LOW_SURROGATE);
	lx->tok_end = s + 1;
	return J_OK;
#undef FAIL_START
#undef FAIL_END
}

static enum jerr
lex_number(struct lex *lx, const char *s)
{
	const char *end = lx->end;
	int error = 0;
	if (s < end && *s == '0')
		s++;
	else if (s < end && *s >= '1' && *s <= '9')
		do
			s++;
		while (s < end && *s >= '0' && *s <= '9');
	else
		error = 1;
	if (s < end && *s == '.') {
		s++;
		if (s == end || *s < '0' || *s > '9')
			error = 1;
		else
			do
				s++;
			while (s < end && *s >= '0' && *s <= '9');
	}
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < end && (*s == '+' || *s == '-'))
			s++;
		if (s == end || *s < '0' || *s > '9')
			error = 1;
		else
			do
				s++;
			while (s < end && *s >= '0' && *s <= '9');
	}
	for (; s < end && ALNUM(*s); s++)
		error = 1;
	lx->tok_end = s;
	return error ? J_INVALID_TOKEN : J_OK;
}

static enum jerr
lex_next(struct lex *lx)
{
	const char *s = lx->tok_end, *end = lx->end;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		if (*s++ == '\n') {
			lx->line++;
			lx->line_start = s;
		}
	}
	lx->tok_start = s;
	if (s >= end) {
		lx->tok_start = NULL;
		lx->tok_end = s;
		lx->type = T_END;
		return J_OK;
	}
	switch (*s) {
	case '{':
		lx->type = T_OBJ_START;
		break;
	case '}':
		lx->type = T_OBJ_END;
		break;
	case '[':
		lx->type = T_ARR_START;
		break;
	case ']':
		lx->type = T_ARR_END;
		break;
	case ',':
		lx->type = T_COMMA;
		break;
	case ':':
		lx->type = T_COLON;
		break;
	case '"':
		lx->type = T_STRING;
		return lex_string(lx);
	case '-':
		lx->type = T_NUMBER;
		return lex_number(lx, s + 1);
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		lx->type = T_NUMBER;
		return lex_number(lx, s);
	default: {
		const char *p = s;
		while (p < end && ALNUM(*p))
			p++;
		if (p == s) {
			lx->tok_end = s + 1;
			return J_INVALID_TOKEN;
		}
		lx->tok_end = p;
		if (p - s == 4 && memcmp(s, "true", 4) == 0)
			lx->type = T_TRUE;
		else if (p - s == 4 && memcmp(s, "null", 4) == 0)
			lx->type = T_NULL;
		else if (p - s == 5 && memcmp(s, "false", 5) == 0)
			lx->type = T_FALSE;
		else
			return J_INVALID_TOKEN;
		return J_OK;
	}
	}
	lx->tok_end = s + 1;
	return J_OK;
}

static enum jerr
parse_error(struct lex *lx, enum pctx c)
{
	if (lx->tok_start == NULL || lx->type == T_END)
		return J_EXPECTED_MORE;
	switch (c) {
	case P_END:
		return J_EXPECTED_END;
	case P_VALUE:
		return J_EXPECTED_JSON;
	case P_STRING:
		return J_EXPECTED_STRING;
	case P_ARRAY_NEXT:
		return J_EXPECTED_ARRAY_NEXT;
	case P_OBJECT_START:
		return J_EXPECTED_OBJECT_FIRST;
	case P_OBJECT_LABEL:
		return J_EXPECTED_COLON;
	case P_OBJECT_NEXT:
		return J_EXPECTED_OBJECT_NEXT;
	}
	return J_EXPECTED_JSON;
}

static enum jerr
expect(struct lex *lx, enum pctx c, enum tok t)
{
	if (lx->type == t)
		return lex_next(lx);
	return parse_error(lx, c);
}

/* A growable vector of nodes while a container is parsed. */
struct nodes {
	struct dh_json *v;
	size_t n, alloc;
};

static struct dh_json *
nodes_push(struct nodes *ns)
{
	if (ns->n == ns->alloc) {
		ns->alloc = ns->alloc ? ns->alloc * 2 : 8;
		ns->v = xrealloc(ns->v, ns->alloc * sizeof(*ns->v));
	}
	struct dh_json *j = &ns->v[ns->n++];
	memset(j, 0, sizeof(*j));
	return j;
}

static enum jerr parse_value(struct lex *lx, struct dh_json *out);

static enum jerr
parse_scalar(struct lex *lx, struct dh_json *out)
{
	enum tok t = lx->type;
	const char *start = lx->tok_start, *tend = lx->tok_end;
	char *str = NULL;
	size_t strn = 0;
	switch (t) {
	case T_STRING:
		if (lx->flags & DH_JPARSE_DECODE) {
			strn = lx->sbuf.len;
			str = dh_arena_strndup(lx->a, lx->sbuf.len ? (char *)lx->sbuf.p : "", strn);
		}
		break;
	case T_NUMBER:
	case T_TRUE:
	case T_FALSE:
	case T_NULL:
		break;
	default:
		return parse_error(lx, P_VALUE);
	}
	enum jerr r = lex_next(lx);
	if (r)
		return r;
	out->src = start;
	out->srcn = (size_t)(tend - start);
	switch (t) {
	case T_STRING:
		out->kind = DH_JSON_STRING;
		out->s = str;
		out->sn = strn;
		break;
	case T_NUMBER:
		out->kind = DH_JSON_NUMBER;
		out->s = start;
		out->sn = out->srcn;
		if ((lx->flags & DH_JPARSE_JSONB) == DH_JPARSE_JSONB &&
		    dh_json_numeric(start, out->srcn, lx->a, &out->s, &out->sn, lx->err))
			return J_REPORTED;
		break;
	case T_TRUE:
	case T_FALSE:
		out->kind = DH_JSON_BOOL;
		out->b = t == T_TRUE;
		break;
	default:
		out->kind = DH_JSON_NULL;
		break;
	}
	return J_OK;
}

static int
key_cmp(const void *pa, const void *pb)
{
	const struct dh_json *a = pa, *b = pb;
	if (a[0].sn != b[0].sn)
		return a[0].sn < b[0].sn ? -1 : 1;
	int c = memcmp(a[0].s, b[0].s, a[0].sn);
	if (c)
		return c;
	/* equal keys: the later one first, so it is the one kept */
	return a < b ? 1 : -1;
}

void
dh__json_object_normalise(struct dh_json *o)
{
	if (o->n < 2)
		return;
	/* sort pairs (2 nodes each) by key, ties: later first; keep the first */
	qsort(o->items, o->n, 2 * sizeof(struct dh_json), key_cmp);
	size_t w = 0;
	for (size_t i = 0; i < o->n; i++) {
		if (w > 0 && o->items[2 * (w - 1)].sn == o->items[2 * i].sn &&
		    memcmp(o->items[2 * (w - 1)].s, o->items[2 * i].s, o->items[2 * i].sn) == 0)
			continue;
		if (w != i) {
			o->items[2 * w] = o->items[2 * i];
			o->items[2 * w + 1] = o->items[2 * i + 1];
		}
		w++;
	}
	o->n = w;
}

static enum jerr
parse_container(struct lex *lx, struct dh_json *out, int obj)
{
	struct nodes ns = {0};
	enum jerr r;
	const char *start = lx->tok_start;
	if (++lx->depth > DH_JSON_MAX_DEPTH)
		return J_DEPTH;
	r = lex_next(lx); /* past { or [ */
	if (r)
		goto out;
	if (obj) {
		if (lx->type == T_STRING) {
			for (;;) {
				/* parse_object_field */
				if (lx->type != T_STRING) {
					r = parse_error(lx, P_STRING);
					goto out;
				}
				struct dh_json *k = nodes_push(&ns);
				k->kind = DH_JSON_STRING;
				k->src = lx->tok_start;
				k->srcn = (size_t)(lx->tok_end - lx->tok_start);
				if (lx->flags & DH_JPARSE_DECODE) {
					k->sn = lx->sbuf.len;
					k->s = dh_arena_strndup(
						lx->a, lx->sbuf.len ? (char *)lx->sbuf.p : "", k->sn);
				}
				if ((r = lex_next(lx)) || (r = expect(lx, P_OBJECT_LABEL, T_COLON)))
					goto out;
				struct dh_json *v = nodes_push(&ns);
				if ((r = parse_value(lx, v)))
					goto out;
				if (lx->type != T_COMMA)
					break;
				if ((r = lex_next(lx)))
					goto out;
			}
		} else if (lx->type != T_OBJ_END) {
			r = parse_error(lx, P_OBJECT_START);
			goto out;
		}
		out->kind = DH_JSON_OBJECT;
		out->src = start;
		out->srcn = (size_t)(lx->tok_end - start);
		if ((r = expect(lx, P_OBJECT_NEXT, T_OBJ_END)))
			goto out;
	} else {
		if (lx->type != T_ARR_END) {
			for (;;) {
				struct dh_json *v = nodes_push(&ns);
				if ((r = parse_value(lx, v)))
					goto out;
				if (lx->type != T_COMMA)
					break;
				if ((r = lex_next(lx)))
					goto out;
			}
		}
		out->kind = DH_JSON_ARRAY;
		out->src = start;
		out->srcn = (size_t)(lx->tok_end - start);
		if ((r = expect(lx, P_ARRAY_NEXT, T_ARR_END)))
			goto out;
	}
	out->n = obj ? ns.n / 2 : ns.n;
	out->items = ns.n ? dh_arena_memdup(lx->a, ns.v, ns.n * sizeof(*ns.v)) : NULL;
	if (obj && (lx->flags & DH_JPARSE_JSONB) == DH_JPARSE_JSONB)
		dh__json_object_normalise(out);
	lx->depth--;
out:
	free(ns.v);
	return r;
}

static enum jerr
parse_value(struct lex *lx, struct dh_json *out)
{
	if (lx->type == T_OBJ_START || lx->type == T_ARR_START)
		return parse_container(lx, out, lx->type == T_OBJ_START);
	return parse_scalar(lx, out);
}

static void
report(struct lex *lx, enum jerr e)
{
	struct dh_err *err = lx->err;
	const char *ts = lx->tok_start, *te = lx->tok_end;
	int tl = ts ? (int)(te - ts) : 0;
	if (e == J_REPORTED)
		return;
	if (e == J_DEPTH) {
		dh_err_sql(err, "54001", "stack depth limit exceeded");
		dh_err_hint(err,
			    "Increase the configuration parameter \"max_stack_depth\" (currently "
			    "2048kB), after ensuring the platform's stack depth limit is adequate.");
		return;
	}
	if (e == J_CODE_POINT_ZERO)
		dh_err_sql(err, "22P05", "unsupported Unicode escape sequence");
	else
		dh_err_sql(err, "22P02", "invalid input syntax for type json");
	switch (e) {
	case J_ESCAPING_INVALID:
		dh_err_detail(err, "Escape sequence \"\\%.*s\" is invalid.", tl, ts);
		break;
	case J_ESCAPING_REQUIRED:
		dh_err_detail(err, "Character with value 0x%02x must be escaped.",
			      (unsigned char)*te);
		break;
	case J_EXPECTED_END:
		dh_err_detail(err, "Expected end of input, but found \"%.*s\".", tl, ts);
		break;
	case J_EXPECTED_ARRAY_NEXT:
		dh_err_detail(err, "Expected \",\" or \"]\", but found \"%.*s\".", tl, ts);
		break;
	case J_EXPECTED_COLON:
		dh_err_detail(err, "Expected \":\", but found \"%.*s\".", tl, ts);
		break;
	case J_EXPECTED_JSON:
		dh_err_detail(err, "Expected JSON value, but found \"%.*s\".", tl, ts);
		break;
	case J_EXPECTED_MORE:
		dh_err_detail(err, "The input string ended unexpectedly.");
		break;
	case J_EXPECTED_OBJECT_FIRST:
		dh_err_detail(err, "Expected string or \"}\", but found \"%.*s\".", tl, ts);
		break;
	case J_EXPECTED_OBJECT_NEXT:
		dh_err_detail(err, "Expected \",\" or \"}\", but found \"%.*s\".", tl, ts);
		break;
	case J_EXPECTED_STRING:
		dh_err_detail(err, "Expected string, but found \"%.*s\".", tl, ts);
		break;
	case J_INVALID_TOKEN:
		dh_err_detail(err, "Token \"%.*s\" is invalid.", tl, ts);
		break;
	case J_CODE_POINT_ZERO:
		dh_err_detail(err, "\\u0000 cannot be converted to text.");
		break;
	case J_UNICODE_FORMAT:
		dh_err_detail(err, "\"\\u\" must be followed by four hexadecimal digits.");
		break;
	case J_HIGH_SURROGATE:
		dh_err_detail(err, "Unicode high surrogate must not follow a high surrogate.");
		break;
	case J_LOW_SURROGATE:
		dh_err_detail(err, "Unicode low surrogate must follow a high surrogate.");
		break;
	default:
		break;
	}
	/* CONTEXT: PostgreSQL's report_json_context */
	const char *ls = lx->line_start, *cs = ls, *ce = te;
	while (ce - cs >= 50)
		cs += mblen_utf8(cs, lx->end);
	if (cs - ls <= 3)
		cs = ls;
	const char *prefix = cs > ls ? "..." : "";
	const char *suffix =
		(lx->type != T_END && ce < lx->end && *ce != '\n' && *ce != '\r') ? "..." : "";
	dh_err_context(err, "JSON data, line %d: %s%.*s%s", lx->line, prefix, (int)(ce - cs), cs,
		       suffix);
}

int
dh_json_parse(const char *s, size_t n, unsigned flags, struct dh_arena *a, struct dh_json **out,
	      struct dh_err *err)
{
	struct lex lx = {0};
	struct dh_json *j = dh_arena_zalloc(a, sizeof(*j));
	enum jerr r;
	lx.input = s;
	lx.end = s + n;
	lx.tok_end = s;
	lx.line_start = s;
	lx.line = 1;
	lx.flags = flags;
	lx.a = a;
	lx.err = err;
	dh_buf_init(&lx.sbuf, 0);
	r = lex_next(&lx);
	if (!r)
		r = parse_value(&lx, j);
	if (!r)
		r = expect(&lx, P_END, T_END);
	if (r) {
		report(&lx, r);
		dh_buf_release(&lx.sbuf);
		return DH_ESQL;
	}
	dh_buf_release(&lx.sbuf);
	*out = j;
	return 0;
}

/* --- numbers --------------------------------------------------------------- */

int
dh_json_numeric(const char *s, size_t n, struct dh_arena *a, const char **out, size_t *outn,
		struct dh_err *err)
{
	const char *p = s, *e = s + n;
	int neg = 0;
	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	size_t nd = 0, nfrac = 0;
	char *digits = dh_arena_alloc(a, n + 1);
	for (; p < e && *p >= '0' && *p <= '9'; p++)
		digits[nd++] = *p;
	if (p < e && *p == '.') {
		for (p++; p < e && *p >= '0' && *p <= '9'; p++, nfrac++)
			digits[nd++] = *p;
	}
	long long ex = 0;
	if (p < e && (*p == 'e' || *p == 'E')) {
		int eneg = 0;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < e && *p >= '0' && *p <= '9'; p++) {
			if (ex < INT_MAX)
				ex = ex * 10 + (*p - '0');
		}
		if (eneg)
			ex = -ex;
	}
	if (ex >= INT_MAX / 2 || ex <= -(INT_MAX / 2))
		return dh_err_sql(err, "22003", "value overflows numeric format");
	/* value = digits * 10^(ex - nfrac); the point sits after `point`
	 * digits of the digit string (may be <= 0 or > nd) */
	long long point = (long long)nd - (long long)nfrac + ex;
	long long dscale = (long long)nfrac - ex;
	if (dscale < 0)
		dscale = 0;
	/* leading zeros */
	size_t lz = 0;
	while (lz < nd && digits[lz] == '0')
		lz++;
	int zero = lz == nd;
	long long intdigits = point - (long long)lz; /* significant integer digits */
	if (!zero && intdigits > 131072)
		return dh_err_sql(err, "22003", "value overflows numeric format");
	if (dscale > 16383)
		return dh_err_sql(err, "22003", "value overflows numeric format");
	struct dh_buf b;
	dh_buf_init(&b, 0);
	if (neg && !zero)
		dh_buf_addc(&b, '-');
	if (zero || intdigits <= 0) {
		dh_buf_addc(&b, '0');
	} else {
		for (long long i = (long long)lz; i < point; i++)
			dh_buf_addc(&b, i < (long long)nd ? digits[i] : '0');
	}
	if (dscale > 0) {
		dh_buf_addc(&b, '.');
		for (long long i = point; i < point + dscale; i++)
			dh_buf_addc(&b, i >= 0 && i < (long long)nd ? digits[i] : '0');
	}
	*outn = b.len;
	*out = dh_arena_strndup(a, (char *)b.p, b.len);
	dh_buf_release(&b);
	return 0;
}

/* Numeric comparison of two canonical numeric texts. */
int
dh__json_num_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int na = an && a[0] == '-', nb = bn && b[0] == '-';
	if (na != nb)
		return na ? -1 : 1;
	if (na) {
		a++, an--, b++, bn--;
	}
	size_t ia = 0, ib = 0;
	while (ia < an && a[ia] != '.')
		ia++;
	while (ib < bn && b[ib] != '.')
		ib++;
	int c = 0;
	/* integer parts have no leading zeros except a lone "0" */
	if (ia != ib)
		c = ia < ib ? -1 : 1;
	else {
		c = memcmp(a, b, ia);
		if (!c) {
			const char *fa = ia < an ? a + ia + 1 : "", *fb = ib < bn ? b + ib + 1 : "";
			size_t la = ia < an ? an - ia - 1 : 0, lb = ib < bn ? bn - ib - 1 : 0;
			for (size_t i = 0; i < la || i < lb; i++) {
				char ca = i < la ? fa[i] : '0', cb = i < lb ? fb[i] : '0';
				if (ca != cb) {
					c = ca < cb ? -1 : 1;
					break;
				}
			}
		}
	}
	c = c < 0 ? -1 : c > 0;
	return na ? -c : c;
}

/* --- output ---------------------------------------------------------------- */

int
dh_json_write_string(struct dh_buf *b, const char *s, size_t n)
{
	dh_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\b':
			dh_buf_add(b, "\\b", 2);
			break;
		case '\f':
			dh_buf_add(b, "\\f", 2);
			break;
		case '\n':
			dh_buf_add(b, "\\n", 2);
			break;
		case '\r':
			dh_buf_add(b, "\\r", 2);
			break;
		case '\t':
			dh_buf_add(b, "\\t", 2);
			break;
		case '"':
			dh_buf_add(b, "\\\"", 2);
			break;
		case '\\':
			dh_buf_add(b, "\\\\", 2);
			break;
		default:
			if (c < ' ')
				dh_buf_printf(b, "\\u%04x", c);
			else
				dh_buf_addc(b, c);
		}
	}
	return dh_buf_addc(b, '"');
}

void
dh__jsonb_write_scalar(struct dh_buf *b, const struct dh_json *j)
{
	switch (j->kind) {
	case DH_JSON_NULL:
		dh_buf_add(b, "null", 4);
		break;
	case DH_JSON_BOOL:
		dh_buf_adds(b, j->b ? "true" : "false");
		break;
	case DH_JSON_NUMBER:
		dh_buf_add(b, j->s, j->sn);
		break;
	case DH_JSON_STRING:
		dh_json_write_string(b, j->s, j->sn);
		break;
	default:
		break;
	}
}

static void
indent(struct dh_buf *b, int pretty, int level)
{
	if (!pretty)
		return;
	dh_buf_addc(b, '\n');
	for (int i = 0; i < level * 4; i++)
		dh_buf_addc(b, ' ');
}

/* JsonbToCStringWorker as a recursion: a container opening right after a
 * key, and the very first token, get no indentation. */
static void
write_node(struct dh_buf *b, const struct dh_json *j, int pretty, int level, int nolead)
{
	const char *sep = pretty ? "," : ", ";
	if (j->kind == DH_JSON_ARRAY) {
		indent(b, pretty && !nolead, level);
		dh_buf_addc(b, '[');
		for (size_t i = 0; i < j->n; i++) {
			if (i)
				dh_buf_adds(b, sep);
			const struct dh_json *e = &j->items[i];
			if (e->kind == DH_JSON_ARRAY || e->kind == DH_JSON_OBJECT)
				write_node(b, e, pretty, level + 1, 0);
			else {
				indent(b, pretty, level + 1);
				dh__jsonb_write_scalar(b, e);
			}
		}
		indent(b, pretty, level);
		dh_buf_addc(b, ']');
	} else if (j->kind == DH_JSON_OBJECT) {
		indent(b, pretty && !nolead, level);
		dh_buf_addc(b, '{');
		for (size_t i = 0; i < j->n; i++) {
			if (i)
				dh_buf_adds(b, sep);
			indent(b, pretty, level + 1);
			dh_json_write_string(b, j->items[2 * i].s, j->items[2 * i].sn);
			dh_buf_add(b, ": ", 2);
			const struct dh_json *v = &j->items[2 * i + 1];
			if (v->kind == DH_JSON_ARRAY || v->kind == DH_JSON_OBJECT)
				write_node(b, v, pretty, level + 1, 1);
			else
				dh__jsonb_write_scalar(b, v);
		}
		indent(b, pretty, level);
		dh_buf_addc(b, '}');
	} else {
		dh__jsonb_write_scalar(b, j);
	}
}

int
dh_jsonb_write(struct dh_buf *b, const struct dh_json *j, int pretty)
{
	write_node(b, j, pretty, 0, 1);
	return b->overflow ? DH_ETOOLONG : 0;
}

int
dh__jsonb_value(const struct dh_json *j, struct dh_arena *a, struct dh_value *out)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	int rc = dh_jsonb_write(&b, j, 0);
	if (!rc) {
		out->type = DH_T_STRING;
		out->s.n = b.len;
		out->s.p = dh_arena_strndup(a, (char *)b.p, b.len);
	}
	dh_buf_release(&b);
	return rc;
}

/* --- input ------------------------------------------------------------------ */

int
dh_json_in(const char *s, size_t n, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	struct dh_arena tmp;
	dh_arena_init(&tmp);
	int rc = dh_json_parse(s, n, 0, &tmp, &j, err);
	dh_arena_release(&tmp);
	if (rc)
		return rc;
	out->type = DH_T_STRING;
	out->s.p = dh_arena_strndup(a, s, n);
	out->s.n = n;
	return 0;
}

int
dh_jsonb_in(const char *s, size_t n, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_json *j;
	struct dh_arena tmp;
	dh_arena_init(&tmp);
	int rc = dh_json_parse(s, n, DH_JPARSE_JSONB, &tmp, &j, err);
	if (!rc)
		rc = dh__jsonb_value(j, a, out);
	dh_arena_release(&tmp);
	return rc;
}

int
dh_json_to_jsonb(const struct dh_value *json, struct dh_arena *a, struct dh_value *out,
		 struct dh_err *err)
{
	if (json->type == DH_T_NONE) {
		out->type = DH_T_NONE;
		return 0;
	}
	return dh_jsonb_in(json->s.p, json->s.n, a, out, err);
}

int
dh_json_send(struct dh_buf *b, const struct dh_value *v)
{
	return dh_buf_add(b, v->s.p, v->s.n);
}

int
dh_jsonb_send(struct dh_buf *b, const struct dh_value *v)
{
	dh_buf_addc(b, 1);
	return dh_buf_add(b, v->s.p, v->s.n);
}

int
dh_json_recv(const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
	     struct dh_err *err)
{
	return dh_json_in((const char *)p, n, a, out, err);
}

int
dh_jsonb_recv(const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
	      struct dh_err *err)
{
	if (n < 1 || p[0] != 1)
		return dh_err_sql(err, "XX000", "unsupported jsonb version number %d",
				  n < 1 ? 0 : p[0]);
	return dh_jsonb_in((const char *)p + 1, n - 1, a, out, err);
}

/* --- comparison and hashing ------------------------------------------------- */

static int
str_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return an == bn ? 0 : an < bn ? -1 : 1;
}

int
dh__json_scalar_cmp(const struct dh_json *a, const struct dh_json *b)
{
	switch (a->kind) {
	case DH_JSON_NULL:
		return 0;
	case DH_JSON_STRING:
		return str_cmp(a->s, a->sn, b->s, b->sn);
	case DH_JSON_NUMBER:
		return dh__json_num_cmp(a->s, a->sn, b->s, b->sn);
	case DH_JSON_BOOL:
		return a->b == b->b ? 0 : a->b ? 1 : -1;
	default:
		return 0;
	}
}

static int
node_cmp(const struct dh_json *a, const struct dh_json *b)
{
	if (a->kind != b->kind)
		return a->kind > b->kind ? 1 : -1;
	if (a->kind == DH_JSON_ARRAY) {
		if (a->n != b->n)
			return a->n > b->n ? 1 : -1;
		for (size_t i = 0; i < a->n; i++) {
			int c = node_cmp(&a->items[i], &b->items[i]);
			if (c)
				return c;
		}
		return 0;
	}
	if (a->kind == DH_JSON_OBJECT) {
		if (a->n != b->n)
			return a->n > b->n ? 1 : -1;
		for (size_t i = 0; i < 2 * a->n; i++) {
			int c = node_cmp(&a->items[i], &b->items[i]);
			if (c)
				return c;
		}
		return 0;
	}
	return dh__json_scalar_cmp(a, b);
}

int
dh_json_tree_cmp(const struct dh_json *a, const struct dh_json *b)
{
	int sa = a->kind != DH_JSON_ARRAY && a->kind != DH_JSON_OBJECT;
	int sb = b->kind != DH_JSON_ARRAY && b->kind != DH_JSON_OBJECT;
	if (sa && sb)
		return node_cmp(a, b);
	/* a top-level scalar is a one-element "raw scalar" array */
	if (sa && b->kind == DH_JSON_ARRAY)
		return b->n != 1 ? (1 > b->n ? 1 : -1) : -1;
	if (sb && a->kind == DH_JSON_ARRAY)
		return a->n != 1 ? (a->n > 1 ? 1 : -1) : 1;
	if (sa)
		return -1; /* array < object */
	if (sb)
		return 1;
	return node_cmp(a, b);
}

static struct dh_json *
must_parse(const struct dh_value *v, struct dh_arena *a)
{
	struct dh_json *j;
	if (dh_json_parse(v->s.p, v->s.n, DH_JPARSE_JSONB, a, &j, NULL))
		abort(); /* not canonical jsonb: a caller bug */
	return j;
}

int
dh_jsonb_cmp(const struct dh_value *a, const struct dh_value *b)
{
	struct dh_arena ar;
	dh_arena_init(&ar);
	int c = dh_json_tree_cmp(must_parse(a, &ar), must_parse(b, &ar));
	dh_arena_release(&ar);
	return c;
}

int
dh_jsonb_eq(const struct dh_value *a, const struct dh_value *b)
{
	if (a->s.n == b->s.n && memcmp(a->s.p, b->s.p, a->s.n) == 0)
		return 1;
	return dh_jsonb_cmp(a, b) == 0;
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
node_hash(uint64_t h, const struct dh_json *j)
{
	unsigned char k = (unsigned char)j->kind;
	h = fnv(h, &k, 1);
	switch (j->kind) {
	case DH_JSON_STRING:
		h = fnv(h, j->s, j->sn);
		h = fnv(h, "", 1);
		break;
	case DH_JSON_NUMBER: {
		/* equal numbers differ only in trailing fractional zeros */
		size_t n = j->sn;
		if (memchr(j->s, '.', n)) {
			while (n && j->s[n - 1] == '0')
				n--;
			if (n && j->s[n - 1] == '.')
				n--;
		}
		h = fnv(h, j->s, n);
		h = fnv(h, "", 1);
		break;
	}
	case DH_JSON_BOOL:
		k = (unsigned char)j->b;
		h = fnv(h, &k, 1);
		break;
	case DH_JSON_ARRAY:
	case DH_JSON_OBJECT: {
		size_t n = j->kind == DH_JSON_OBJECT ? 2 * j->n : j->n;
		h = fnv(h, &j->n, sizeof(j->n));
		for (size_t i = 0; i < n; i++)
			h = node_hash(h, &j->items[i]);
		break;
	}
	default:
		break;
	}
	return h;
}

uint64_t
dh_jsonb_hash(const struct dh_value *v)
{
	struct dh_arena ar;
	dh_arena_init(&ar);
	uint64_t h = node_hash(0xcbf29ce484222325ULL, must_parse(v, &ar));
	dh_arena_release(&ar);
	return h;
}
