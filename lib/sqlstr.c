/*
 * sqlstr: PostgreSQL 15's string functions and pattern matching that
 * sqltype's tables do not have: LIKE and ILIKE (like_match.c's algorithm,
 * backslash the default escape, like_escape), SIMILAR TO (translated into
 * a regular expression as similar_escape does), the regular expression
 * operators and regexp_replace/regexp_match, and the common text
 * functions (lower, upper, initcap, substr, position, replace, trim, pad,
 * left, right, repeat, reverse, split_part, concat, concat_ws, format,
 * quote_*, md5, to_hex, ascii, chr, translate, overlay, string_to_array,
 * array_to_string, ...).  sqlexpr consults these tables after sqltype's
 * catalog, skipping any row the catalog has itself.
 *
 * Text is UTF-8 and positions count characters, as in a PostgreSQL
 * database with encoding UTF8.  Case mapping and the regular expressions'
 * character classes are those of the C.UTF-8 locale (towlower_l, regcomp
 * under uselocale), as in a cluster initialized with --locale=C.UTF-8.
 *
 * Regular expressions are POSIX extended (regcomp with REG_EXTENDED), not
 * PostgreSQL's ARE: ARE's escapes are translated (the class shorthands \d
 * \s \w, the word constraints \m \M \y \Y, \t \n ...), the rest refused
 * (0A000); no lookahead, non-greedy
 * quantifiers taken as greedy, back references refused (0A000: glibc's
 * matcher is exponential on them).  Patterns are checked first as ARE
 * checks them (a quantifier without operand or after another, bounds past
 * 255, a brace starting no bound being a literal) and refused when their
 * repetitions would expand too far ("too complex"), so regcomp never sees
 * what would make it blow up; error texts are PostgreSQL's.  The tests
 * list the remaining differences.
 */
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "crypto.h"
#include "sqlarray.h"
#include "sqlexpr-int.h"

typedef const struct dh_value *argv_t;

#define O(t) DH_OID_##t

/* --- UTF-8 --- */

static size_t
u8len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

/* length of the character at p (at most n) */
static size_t
u8next(const char *p, size_t n)
{
	size_t l = u8len((unsigned char)*p);
	return l > n ? n : l;
}

static size_t
u8count(const char *p, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i += u8next(p + i, n - i))
		c++;
	return c;
}

/* byte offset of character k (clamped to n) */
static size_t
u8off(const char *p, size_t n, size_t k)
{
	size_t i = 0;
	while (k > 0 && i < n) {
		i += u8next(p + i, n - i);
		k--;
	}
	return i;
}

static uint32_t
u8dec(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t l = u8next(s, n);
	uint32_t c;
	*len = l;
	switch (l) {
	case 1:
		return p[0];
	case 2:
		c = p[0] & 0x1f;
		break;
	case 3:
		c = p[0] & 0x0f;
		break;
	default:
		c = p[0] & 0x07;
		break;
	}
	for (size_t i = 1; i < l; i++)
		c = (c << 6) | (p[i] & 0x3f);
	return c;
}

static size_t
u8enc(uint32_t c, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | (c >> 6));
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (c >> 12));
		o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (c >> 18));
	o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* --- the C.UTF-8 locale, for case mapping and regular expressions --- */

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void
utf8_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!utf8_locale)
		utf8_locale = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
}

static locale_t
utf8(void)
{
	pthread_once(&utf8_once, utf8_init);
	return utf8_locale;
}

static uint32_t
fold(uint32_t c, int upper)
{
	locale_t l = utf8();
	if (c < 0x80)
		return upper ? (c >= 'a' && c <= 'z' ? c - 32 : c) : (c >= 'A' && c <= 'Z' ? c + 32 : c);
	if (!l)
		return c;
	return (uint32_t)(upper ? towupper_l((wint_t)c, l) : towlower_l((wint_t)c, l));
}

static int
is_alnum(uint32_t c)
{
	locale_t l = utf8();
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
	return l ? iswalnum_l((wint_t)c, l) : 0;
}

/* --- results --- */

static int
ret_str(struct dh_sqlcall *c, const char *p, size_t n, struct dh_value *o)
{
	(void)c;
	o->type = DH_T_STRING;
	o->s.p = p;
	o->s.n = n;
	return 0;
}

static int
ret_buf(struct dh_sqlcall *c, struct dh_buf *b, struct dh_value *o)
{
	char *p;
	size_t n = b->len;
	if (b->overflow) {
		dh_buf_release(b);
		return dh_err_sql(c->err, "54000", "requested length too large");
	}
	p = dh_arena_alloc(c->arena, n + 1);
	if (n)
		memcpy(p, b->p, n);
	p[n] = '\0';
	dh_buf_release(b);
	return ret_str(c, p, n, o);
}

static int
ret_long(int64_t i, struct dh_value *o)
{
	o->type = DH_T_LONG;
	o->i = i;
	return 0;
}

static int
ret_bool(int b, struct dh_value *o)
{
	o->type = DH_T_BOOL;
	o->b = b ? 1 : 0;
	return 0;
}

/* text of a bpchar argument, without its padding (bpchar's LIKE etc.) */
static void
arg_text(struct dh_sqlcall *c, int i, argv_t a, const char **p, size_t *n)
{
	*p = a[i].s.p;
	*n = a[i].s.n;
	(void)c;
}

/* --- case --- */

static int
casemap(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int mode)
{
	const char *s = a[0].s.p;
	size_t n = a[0].s.n, i = 0, k = 0;
	char *r = dh_arena_alloc(c->arena, n * 2 + 4);
	int prev_alnum = 0;
	while (i < n) {
		size_t l;
		uint32_t ch = u8dec(s + i, n - i, &l);
		uint32_t m;
		if (mode == 2) /* initcap */
			m = fold(ch, !prev_alnum);
		else
			m = fold(ch, mode);
		prev_alnum = is_alnum(ch);
		if (u8len((unsigned char)s[i]) != l || ch > 0x10ffff) {
			memcpy(r + k, s + i, l);
			k += l;
		} else {
			size_t el = u8enc(m, r + k);
			k += el;
		}
		i += l;
	}
	return ret_str(c, r, k, o);
}

static int
f_lower(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return casemap(c, a, o, 0);
}

static int
f_upper(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return casemap(c, a, o, 1);
}

static int
f_initcap(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return casemap(c, a, o, 2);
}

/* --- LIKE --- */

enum { LIKE_FALSE = 0, LIKE_TRUE = 1, LIKE_ABORT = -1, LIKE_ERROR = -2 };

static int
like_err(struct dh_err *err)
{
	dh_err_sql(err, "22025", "LIKE pattern must not end with escape character");
	return LIKE_ERROR;
}

/* like_match.c's MatchText: p is bytes, t's characters advance whole
 * (bytes when bytewise) */
static int
match_text(const char *t, size_t tlen, const char *p, size_t plen, int bytewise,
	   struct dh_err *err)
{
	if (plen == 1 && *p == '%')
		return LIKE_TRUE;
	while (tlen > 0 && plen > 0) {
		if (*p == '\\') {
			p++, plen--;
			if (plen == 0)
				return like_err(err);
			if (*p != *t)
				return LIKE_FALSE;
		} else if (*p == '%') {
			char first;
			p++, plen--;
			while (plen > 0) {
				if (*p == '%') {
					p++, plen--;
				} else if (*p == '_') {
					size_t l;
					if (tlen == 0)
						return LIKE_ABORT;
					l = bytewise ? 1 : u8next(t, tlen);
					t += l, tlen -= l;
					p++, plen--;
				} else {
					break;
				}
			}
			if (plen == 0)
				return LIKE_TRUE;
			if (*p == '\\') {
				if (plen < 2)
					return like_err(err);
				first = p[1];
			} else {
				first = *p;
			}
			while (tlen > 0) {
				size_t l;
				if (*t == first) {
					int m = match_text(t, tlen, p, plen, bytewise, err);
					if (m != LIKE_FALSE)
						return m;
				}
				l = bytewise ? 1 : u8next(t, tlen);
				t += l, tlen -= l;
			}
			return LIKE_ABORT;
		} else if (*p == '_') {
			size_t l = bytewise ? 1 : u8next(t, tlen);
			t += l, tlen -= l;
			p++, plen--;
			continue;
		} else if (*p != *t) {
			return LIKE_FALSE;
		}
		t++, tlen--;
		p++, plen--;
	}
	if (tlen > 0)
		return LIKE_FALSE;
	while (plen > 0 && *p == '%')
		p++, plen--;
	if (plen == 0)
		return LIKE_TRUE;
	return LIKE_ABORT;
}

int
dh__sqlx_like(const char *s, size_t sn, const char *p, size_t pn, int icase, struct dh_err *err)
{
	int m = match_text(s, sn, p, pn, icase < 0, err);
	(void)icase;
	if (m == LIKE_ERROR)
		return -1;
	return m == LIKE_TRUE;
}

static char *
lowered(struct dh_sqlcall *c, const char *s, size_t n, size_t *outn)
{
	struct dh_value in = {.type = DH_T_STRING}, out;
	in.s.p = s;
	in.s.n = n;
	casemap(c, &in, &out, 0);
	*outn = out.s.n;
	return (char *)out.s.p;
}

static int
like_common(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int icase, int negate,
	    int bytewise)
{
	const char *s, *p;
	size_t sn, pn;
	int m;
	arg_text(c, 0, a, &s, &sn);
	p = a[1].s.p;
	pn = a[1].s.n;
	if (icase) {
		s = lowered(c, s, sn, &sn);
		p = lowered(c, p, pn, &pn);
	}
	m = match_text(s, sn, p, pn, bytewise, c->err);
	if (m == LIKE_ERROR)
		return DH_ESQL;
	return ret_bool((m == LIKE_TRUE) != negate, o);
}

static int
f_like(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return like_common(c, a, o, 0, 0, 0);
}

static int
f_notlike(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return like_common(c, a, o, 0, 1, 0);
}

static int
f_ilike(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return like_common(c, a, o, 1, 0, 0);
}

static int
f_notilike(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return like_common(c, a, o, 1, 1, 0);
}

static int
f_bytealike(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return like_common(c, a, o, 0, 0, 1);
}

static int
f_byteanotlike(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return like_common(c, a, o, 0, 1, 1);
}

static int
bad_escape(struct dh_sqlcall *c)
{
	dh_err_sql(c->err, "22025", "invalid escape string");
	dh_err_hint(c->err, "Escape string must be empty or one character.");
	return DH_ESQL;
}

/* like_escape(pattern, escape): the pattern with \ as its escape */
static int
f_like_escape(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *p = a[0].s.p, *e = a[1].s.p;
	size_t pn = a[0].s.n, en = a[1].s.n, el, k = 0;
	char *r = dh_arena_alloc(c->arena, pn * 2 + 1);
	int after = 0;
	if (en == 0) {
		for (size_t i = 0; i < pn; i++) {
			if (p[i] == '\\')
				r[k++] = '\\';
			r[k++] = p[i];
		}
		return ret_str(c, r, k, o);
	}
	el = u8next(e, en);
	if (el != en)
		return bad_escape(c);
	if (*e == '\\')
		return ret_str(c, p, pn, o);
	for (size_t i = 0; i < pn;) {
		size_t l = u8next(p + i, pn - i);
		if (l == el && !memcmp(p + i, e, el) && !after) {
			r[k++] = '\\';
			after = 1;
		} else if (p[i] == '\\') {
			r[k++] = '\\';
			if (!after)
				r[k++] = '\\';
			after = 0;
		} else {
			memcpy(r + k, p + i, l);
			k += l;
			after = 0;
		}
		i += l;
	}
	return ret_str(c, r, k, o);
}

/* --- regular expressions --- */

/* PostgreSQL's texts for the POSIX error codes (its regerrs.h) */
static int
regex_error(struct dh_sqlcall *c, int code, regex_t *re)
{
	const char *msg;
	(void)re;
	switch (code) {
	case REG_ECOLLATE:
		msg = "invalid collating element";
		break;
	case REG_ECTYPE:
		msg = "invalid character class";
		break;
	case REG_EESCAPE:
		msg = "invalid escape \\ sequence";
		break;
	case REG_ESUBREG:
		msg = "invalid backreference number";
		break;
	case REG_EBRACK:
		msg = "brackets [] not balanced";
		break;
	case REG_EPAREN:
#ifdef REG_ERPAREN
	case REG_ERPAREN:
#endif
		msg = "parentheses () not balanced";
		break;
	case REG_EBRACE:
		msg = "braces {} not balanced";
		break;
	case REG_BADBR:
		msg = "invalid repetition count(s)";
		break;
	case REG_ERANGE:
		msg = "invalid character range";
		break;
	case REG_ESPACE:
		msg = "out of memory";
		break;
	case REG_BADRPT:
		msg = "quantifier operand invalid";
		break;
#ifdef REG_ESIZE
	case REG_ESIZE:
		msg = "regular expression is too complex";
		break;
#endif
	default:
		msg = "invalid regexp (reg version 0.8)";
		break;
	}
	dh_err_sql(c->err, "2201B", "invalid regular expression: %s", msg);
	return DH_ESQL;
}

/* What PostgreSQL's ARE parser rejects and glibc's regcomp would accept
 * or blow up on: a quantifier without an operand or right after another
 * (a lone ? after one is ARE's non-greedy mark, taken here as greedy),
 * bounds past 255 (DUPMAX) or inverted, back references (0A000 here), and
 * patterns whose repetitions expand past what regcomp builds in
 * reasonable time ("too complex", which ARE also has). */
#define REGEX_MAX_COST 20000

static int
regex_check(struct dh_sqlcall *c, const char *p, size_t n)
{
	struct {
		long s, l;
	} stack[64];
	int depth = 0, last_quant = 0, have_atom = 0;
	long S = 0, L = 0;
	const char *err = NULL;
	for (size_t i = 0; i < n && !err; i++) {
		char ch = p[i];
		long f = 0;
		if (ch == '\\') {
			if (i + 1 < n && p[i + 1] >= '1' && p[i + 1] <= '9') {
				dh_err_sql(c->err, "0A000", "back references in regular expressions are "
							     "not supported");
				return DH_ESQL;
			}
			i++;
			S += 1, L = 1, have_atom = 1, last_quant = 0;
			continue;
		}
		if (ch == '[') {
			size_t j = i + 1;
			if (j < n && p[j] == '^')
				j++;
			if (j < n && p[j] == ']')
				j++;
			while (j < n && p[j] != ']') {
				if (p[j] == '[' && j + 1 < n && (p[j + 1] == ':' || p[j + 1] == '.' ||
								 p[j + 1] == '=')) {
					char close = p[j + 1];
					j += 2;
					while (j + 1 < n && !(p[j] == close && p[j + 1] == ']'))
						j++;
					j += 2;
					continue;
				}
				j++;
			}
			i = j;
			S += 1, L = 1, have_atom = 1, last_quant = 0;
			continue;
		}
		switch (ch) {
		case '(':
			if (depth == 64) {
				err = "regular expression is too complex";
				break;
			}
			stack[depth].s = S;
			stack[depth].l = L;
			depth++;
			S = 0, L = 0, have_atom = 0, last_quant = 0;
			continue;
		case ')':
			if (depth == 0) {
				S += 1, L = 1, have_atom = 1, last_quant = 0;
				continue;
			}
			depth--;
			L = S > 0 ? S : 1;
			S = stack[depth].s + L;
			have_atom = 1, last_quant = 0;
			continue;
		case '|':
			L = 0, have_atom = 0, last_quant = 0;
			continue;
		case '*':
		case '+':
			f = 2;
			break;
		case '?':
			if (last_quant == 1) {
				last_quant = 2; /* non-greedy mark */
				continue;
			}
			f = 2;
			break;
		case '{': {
			size_t j = i + 1;
			long m = -1, k = -1;
			if (j >= n || p[j] < '0' || p[j] > '9') {
				S += 1, L = 1, have_atom = 1, last_quant = 0;
				continue;
			}
			m = 0;
			while (j < n && p[j] >= '0' && p[j] <= '9' && m <= 1000)
				m = m * 10 + (p[j++] - '0');
			k = m;
			if (j < n && p[j] == ',') {
				j++;
				k = -1;
				if (j < n && p[j] >= '0' && p[j] <= '9') {
					k = 0;
					while (j < n && p[j] >= '0' && p[j] <= '9' && k <= 1000)
						k = k * 10 + (p[j++] - '0');
				}
			}
			if (j >= n || p[j] != '}') {
				err = "braces {} not balanced";
				break;
			}
			if (m > 255 || k > 255 || (k >= 0 && m > k)) {
				err = "invalid repetition count(s)";
				break;
			}
			f = (k >= 0 ? k : m) + 1;
			i = j;
			break;
		}
		default:
			S += 1, L = 1, have_atom = 1, last_quant = 0;
			continue;
		}
		if (err)
			break;
		/* a quantifier */
		if (!have_atom || last_quant) {
			err = "quantifier operand invalid";
			break;
		}
		S += L * (f - 1);
		L *= f;
		last_quant = 1;
		if (S > REGEX_MAX_COST || L > REGEX_MAX_COST)
			err = "regular expression is too complex";
	}
	if (err) {
		dh_err_sql(c->err, "2201B", "invalid regular expression: %s", err);
		return DH_ESQL;
	}
	return 0;
}

/* An ARE escape \\e as POSIX ERE spells it, into b: the class shorthands
 * (\\d \\s \\w and their complements; inside brackets only the positive
 * ones, as ARE allows), the constraint escapes glibc has under other names
 * (\\m \\M \\y \\Y), the character entries (\\t \\n ...); any other
 * escaped character stands for itself, as in ARE (glibc would read \\b or
 * \\w its own way). */
static int
are_escape(struct dh_sqlcall *c, char e, int inclass, struct dh_buf *b)
{
	static const struct {
		char e;
		const char *out, *inclass;
	} map[] = {
	    {'d', "[[:digit:]]", "[:digit:]"},	   {'D', "[^[:digit:]]", NULL},
	    {'s', "[[:space:]]", "[:space:]"},	   {'S', "[^[:space:]]", NULL},
	    {'w', "[[:alnum:]_]", "[:alnum:]_"},   {'W', "[^[:alnum:]_]", NULL},
	    {'m', "\\<", NULL},			   {'M', "\\>", NULL},
	    {'y', "\\b", NULL},			   {'Y', "\\B", NULL},
	    {'A', "^", NULL},			   {'Z', "$", NULL},
	    {'t', "\t", "\t"},			   {'n', "\n", "\n"},
	    {'r', "\r", "\r"},			   {'f', "\f", "\f"},
	    {'v', "\v", "\v"},			   {'a', "\a", "\a"},
	    {'e', "\033", "\033"},
	};
	for (size_t k = 0; k < DH_ARRAY_SIZE(map); k++) {
		if (map[k].e != e)
			continue;
		if (inclass && !map[k].inclass) {
			/* ARE allows [\D]; a POSIX bracket cannot hold a complement */
			dh_err_sql(c->err, "0A000",
				   "regular expression escape \\%c inside brackets is not supported", e);
			return DH_ESQL;
		}
		dh_buf_adds(b, inclass ? map[k].inclass : map[k].out);
		return 0;
	}
	if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
		/* \\x, \\u, \\B, \\c... : ARE escapes not translated here */
		dh_err_sql(c->err, "0A000", "regular expression escape \\%c is not supported", e);
		return DH_ESQL;
	}
	if (inclass) {
		/* a bracket takes its characters literally in ERE */
		dh_buf_addc(b, e);
		return 0;
	}
	dh_buf_addc(b, '\\');
	dh_buf_addc(b, e);
	return 0;
}

/* a flag of ours for regex_compile: basic, not extended */
#define REG_BASIC_FLAG (1 << 20)

/* compile pattern p (flags: REG_ICASE...) under the UTF-8 locale */
static int
regex_compile(struct dh_sqlcall *c, const char *p, size_t pn, int flags, regex_t *re)
{
	char *z = dh_arena_strndup(c->arena, p, pn);
	locale_t l = utf8(), old = (locale_t)0;
	int rc;
	if (!(flags & REG_BASIC_FLAG)) {
		struct dh_buf b;
		int inclass = 0;
		if ((rc = regex_check(c, p, pn)))
			return rc;
		/* a brace that starts no bound is a literal in ARE, an error in ERE */
		dh_buf_init(&b, 0);
		for (size_t i = 0; i < pn; i++) {
			if (p[i] == '\\' && i + 1 < pn) {
				if ((rc = are_escape(c, p[i + 1], inclass, &b))) {
					dh_buf_release(&b);
					return rc;
				}
				i++;
				continue;
			}
			if (inclass) {
				if (p[i] == ']')
					inclass = 0;
			} else if (p[i] == '[') {
				inclass = 1;
				if (i + 1 < pn && p[i + 1] == '^')
					dh_buf_addc(&b, p[i++]);
				if (i + 1 < pn && p[i + 1] == ']')
					dh_buf_addc(&b, p[i++]);
			} else if (p[i] == '{' && (i + 1 >= pn || p[i + 1] < '0' || p[i + 1] > '9')) {
				dh_buf_addc(&b, '\\');
			}
			dh_buf_addc(&b, p[i]);
		}
		z = dh_arena_strndup(c->arena, b.len ? (const char *)b.p : "", b.len);
		dh_buf_release(&b);
	}
	if (l)
		old = uselocale(l);
	rc = regcomp(re, z, (flags & REG_BASIC_FLAG) ? (flags & ~REG_BASIC_FLAG) : (REG_EXTENDED | flags));
	if (l)
		uselocale(old);
	if (rc) {
		int r = regex_error(c, rc, re);
		return r;
	}
	return 0;
}

static int
regex_exec(regex_t *re, const char *s, size_t nmatch, regmatch_t *m, int eflags)
{
	locale_t l = utf8(), old = (locale_t)0;
	int rc;
	if (l)
		old = uselocale(l);
	rc = regexec(re, s, nmatch, m, eflags);
	if (l)
		uselocale(old);
	return rc;
}

/* the next match in s[pos..sn), offsets relative to pos; the search sees
 * the text before pos (REG_STARTEND), so ^ and the word constraints know
 * where they are */
static int
regex_exec_at(regex_t *re, const char *s, size_t pos, size_t sn, size_t nmatch, regmatch_t *m)
{
	int rc;
	m[0].rm_so = (regoff_t)pos;
	m[0].rm_eo = (regoff_t)sn;
	rc = regex_exec(re, s, nmatch, m, REG_STARTEND);
	if (rc == 0)
		for (size_t g = 0; g < nmatch; g++)
			if (m[g].rm_so >= 0) {
				m[g].rm_so -= (regoff_t)pos;
				m[g].rm_eo -= (regoff_t)pos;
			}
	return rc;
}

static int
regex_match(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int icase, int negate)
{
	const char *s;
	size_t sn;
	regex_t re;
	int rc;
	arg_text(c, 0, a, &s, &sn);
	if ((rc = regex_compile(c, a[1].s.p, a[1].s.n, REG_NOSUB | (icase ? REG_ICASE : 0), &re)))
		return rc;
	rc = regex_exec(&re, dh_arena_strndup(c->arena, s, sn), 0, NULL, 0);
	regfree(&re);
	return ret_bool((rc == 0) != negate, o);
}

static int
f_re(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regex_match(c, a, o, 0, 0);
}

static int
f_nre(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regex_match(c, a, o, 0, 1);
}

static int
f_ire(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regex_match(c, a, o, 1, 0);
}

static int
f_nire(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regex_match(c, a, o, 1, 1);
}

/* similar_escape: SQL's SIMILAR TO pattern as a POSIX regular expression
 * (PostgreSQL writes "(?:" groups for ARE; ERE groups capture, which
 * matching does not notice) */
static int
similar_escape(struct dh_sqlcall *c, const char *p, size_t pn, const char *e, size_t en,
	       struct dh_value *o, int *nquotesp)
{
	struct dh_buf b;
	int after = 0, inclass = 0, nquotes = 0;
	size_t classpos = 0;
	if (e && en > 0 && u8next(e, en) != en)
		return bad_escape(c);
	if (e && en == 0)
		e = NULL;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "^(");
	for (size_t i = 0; i < pn;) {
		size_t l = u8next(p + i, pn - i);
		char ch = p[i];
		if (after) {
			if (ch == '"' && !inclass) {
				if (nquotes == 0)
					dh_buf_adds(&b, ")(");
				else if (nquotes == 1)
					dh_buf_adds(&b, ")(");
				else {
					dh_buf_release(&b);
					dh_err_sql(c->err, "2200C", "SQL regular expression may not "
								    "contain more than two escape-double-quote separators");
					return DH_ESQL;
				}
				nquotes++;
			} else {
				dh_buf_addc(&b, '\\');
				dh_buf_add(&b, p + i, l);
			}
			after = 0;
		} else if (e && l == en && !memcmp(p + i, e, en)) {
			after = 1;
		} else if (inclass) {
			if (ch == '\\')
				dh_buf_addc(&b, '\\');
			dh_buf_add(&b, p + i, l);
			if (ch == ']' && b.len > classpos + 1)
				inclass = 0;
		} else if (ch == '[') {
			dh_buf_addc(&b, '[');
			inclass = 1;
			classpos = b.len - 1;
			if (i + 1 < pn && p[i + 1] == '^') {
				dh_buf_addc(&b, '^');
				classpos++;
				i++;
			}
		} else if (ch == '%') {
			dh_buf_adds(&b, ".*");
		} else if (ch == '_') {
			dh_buf_addc(&b, '.');
		} else if (ch == '(') {
			dh_buf_addc(&b, '(');
		} else if (ch == '\\' || ch == '.' || ch == '^' || ch == '$') {
			dh_buf_addc(&b, '\\');
			dh_buf_addc(&b, ch);
		} else {
			dh_buf_add(&b, p + i, l);
		}
		i += l;
	}
	dh_buf_adds(&b, ")$");
	if (nquotesp)
		*nquotesp = nquotes;
	return ret_buf(c, &b, o);
}

static int
f_similar_escape1(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return similar_escape(c, a[0].s.p, a[0].s.n, "\\", 1, o, NULL);
}

static int
f_similar_escape2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	if (a[0].type == DH_T_NONE) {
		o->type = DH_T_NONE;
		return 0;
	}
	if (a[1].type == DH_T_NONE)
		return similar_escape(c, a[0].s.p, a[0].s.n, NULL, 0, o, NULL);
	return similar_escape(c, a[0].s.p, a[0].s.n, a[1].s.p, a[1].s.n, o, NULL);
}

/* regexp_replace(source, pattern, replacement [, flags]): PostgreSQL's
 * flags; n, m, p, w all make newlines special (POSIX has one such mode) */
enum { RF_LITERAL = 1, RF_BASIC = 2, RF_EXPANDED = 4 };

static int
regex_flags(struct dh_sqlcall *c, argv_t a, int i, int *cflags, int *global, int *mode)
{
	*cflags = 0;
	*global = 0;
	*mode = 0;
	if (i < 0)
		return 0;
	for (size_t k = 0; k < a[i].s.n; k++) {
		switch (a[i].s.p[k]) {
		case 'g':
			*global = 1;
			break;
		case 'i':
			*cflags |= REG_ICASE;
			break;
		case 'c':
			*cflags &= ~REG_ICASE;
			break;
		case 'n':
		case 'm':
		case 'p':
		case 'w':
			*cflags |= REG_NEWLINE;
			break;
		case 's':
			*cflags &= ~REG_NEWLINE;
			break;
		case 'q':
			*mode = (*mode & ~(RF_BASIC | RF_EXPANDED)) | RF_LITERAL;
			break;
		case 'b':
			*mode = (*mode & ~RF_LITERAL) | RF_BASIC;
			break;
		case 'e':
			*mode &= ~(RF_LITERAL | RF_BASIC);
			break;
		case 'x':
			*mode |= RF_EXPANDED;
			break;
		case 't':
			*mode &= ~RF_EXPANDED;
			break;
		default:
			dh_err_sql(c->err, "22023", "invalid regular expression option: \"%.*s\"",
				   (int)u8next(a[i].s.p + k, a[i].s.n - k), a[i].s.p + k);
			return DH_ESQL;
		}
	}
	return 0;
}

/* the pattern as regcomp should see it for mode's flags */
static int
regex_prepare(struct dh_sqlcall *c, const char *p, size_t pn, int mode, int cflags, regex_t *re)
{
	struct dh_buf b;
	int rc;
	if (!(mode & (RF_LITERAL | RF_EXPANDED)))
		return regex_compile(c, p, pn, cflags | ((mode & RF_BASIC) ? REG_BASIC_FLAG : 0), re);
	dh_buf_init(&b, 0);
	if (mode & RF_LITERAL) {
		for (size_t i = 0; i < pn; i++) {
			if (strchr("\\^$.[]|()*+?{}", p[i]))
				dh_buf_addc(&b, '\\');
			dh_buf_addc(&b, p[i]);
		}
	} else {
		/* expanded: blanks and # comments outside brackets go */
		int inclass = 0;
		for (size_t i = 0; i < pn; i++) {
			char ch = p[i];
			if (ch == '\\' && i + 1 < pn) {
				dh_buf_add(&b, p + i, 2);
				i++;
			} else if (inclass) {
				dh_buf_addc(&b, ch);
				if (ch == ']')
					inclass = 0;
			} else if (ch == '[') {
				dh_buf_addc(&b, ch);
				inclass = 1;
			} else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
				continue;
			} else if (ch == '#') {
				while (i < pn && p[i] != '\n')
					i++;
			} else {
				dh_buf_addc(&b, ch);
			}
		}
	}
	rc = regex_compile(c, b.len ? (const char *)b.p : "", b.len, cflags | ((mode & RF_BASIC) ? REG_BASIC_FLAG : 0),
			   re);
	dh_buf_release(&b);
	return rc;
}

static int
regexp_replace(struct dh_sqlcall *c, argv_t a, int flagarg, struct dh_value *o)
{
	regex_t re;
	regmatch_t m[10];
	struct dh_buf b;
	int cflags, global, mode, rc;
	char *s;
	size_t pos = 0, sn = a[0].s.n;
	if ((rc = regex_flags(c, a, flagarg, &cflags, &global, &mode)))
		return rc;
	if ((rc = regex_prepare(c, a[1].s.p, a[1].s.n, mode, cflags, &re)))
		return rc;
	s = dh_arena_strndup(c->arena, a[0].s.p, sn);
	dh_buf_init(&b, 0);
	while (pos <= sn) {
		if (regex_exec_at(&re, s, pos, sn, 10, m) != 0)
			break;
		dh_buf_add(&b, s + pos, (size_t)m[0].rm_so);
		for (size_t k = 0; k < a[2].s.n; k++) {
			char ch = a[2].s.p[k];
			if (ch == '\\' && k + 1 < a[2].s.n) {
				char d = a[2].s.p[k + 1];
				int g = d == '&' ? 0 : (d >= '1' && d <= '9') ? d - '0' : -1;
				if (g >= 0) {
					if (m[g].rm_so >= 0)
						dh_buf_add(&b, s + pos + m[g].rm_so,
							   (size_t)(m[g].rm_eo - m[g].rm_so));
					k++;
					continue;
				}
				if (d == '\\') {
					dh_buf_addc(&b, '\\');
					k++;
					continue;
				}
			}
			dh_buf_addc(&b, ch);
		}
		if (m[0].rm_eo == m[0].rm_so) {
			/* an empty match: copy one character and go on */
			if (pos + (size_t)m[0].rm_eo >= sn) {
				pos = sn + 1;
				break;
			}
			size_t l = u8next(s + pos + m[0].rm_eo, sn - pos - (size_t)m[0].rm_eo);
			dh_buf_add(&b, s + pos + m[0].rm_eo, l);
			pos += (size_t)m[0].rm_eo + l;
		} else {
			pos += (size_t)m[0].rm_eo;
		}
		if (!global)
			break;
	}
	if (pos <= sn)
		dh_buf_add(&b, s + pos, sn - pos);
	regfree(&re);
	return ret_buf(c, &b, o);
}

static int
f_regexp_replace3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_replace(c, a, -1, o);
}

static int
f_regexp_replace4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_replace(c, a, 3, o);
}

/* regexp_like(string, pattern [, flags]) */
static int
regexp_like(struct dh_sqlcall *c, argv_t a, int flagarg, struct dh_value *o)
{
	regex_t re;
	int cflags, global, mode, rc;
	if ((rc = regex_flags(c, a, flagarg, &cflags, &global, &mode)))
		return rc;
	if (global) {
		dh_err_sql(c->err, "22023", "%s does not support the \"global\" option",
			   "regexp_like()");
		return DH_ESQL;
	}
	if ((rc = regex_prepare(c, a[1].s.p, a[1].s.n, mode, cflags | REG_NOSUB, &re)))
		return rc;
	rc = regex_exec(&re, dh_arena_strndup(c->arena, a[0].s.p, a[0].s.n), 0, NULL, 0);
	regfree(&re);
	return ret_bool(rc == 0, o);
}

static int
f_regexp_like2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_like(c, a, -1, o);
}

static int
f_regexp_like3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_like(c, a, 2, o);
}

/* regexp_match(string, pattern [, flags]): the captures (or the whole
 * match) as text[], NULL when there is no match */
static int
regexp_match(struct dh_sqlcall *c, argv_t a, int flagarg, struct dh_value *o)
{
	regex_t re;
	regmatch_t m[10];
	int cflags, global, mode, rc;
	char *s;
	struct dh_value *items;
	struct dh_coll *coll;
	size_t n;
	if ((rc = regex_flags(c, a, flagarg, &cflags, &global, &mode)))
		return rc;
	if (global) {
		dh_err_sql(c->err, "22023", "%s does not support the \"global\" option",
			   "regexp_match()");
		dh_err_hint(c->err, "Use the regexp_matches function instead.");
		return DH_ESQL;
	}
	if ((rc = regex_prepare(c, a[1].s.p, a[1].s.n, mode, cflags, &re)))
		return rc;
	s = dh_arena_strndup(c->arena, a[0].s.p, a[0].s.n);
	if (regex_exec(&re, s, 10, m, 0) != 0) {
		regfree(&re);
		o->type = DH_T_NONE;
		return 0;
	}
	n = re.re_nsub ? (re.re_nsub < 9 ? re.re_nsub : 9) : 1;
	items = dh_arena_alloc(c->arena, sizeof(*items) * n);
	for (size_t i = 0; i < n; i++) {
		size_t g = re.re_nsub ? i + 1 : 0;
		if (m[g].rm_so < 0) {
			items[i].type = DH_T_NONE;
			continue;
		}
		items[i].type = DH_T_STRING;
		items[i].s.p = s + m[g].rm_so;
		items[i].s.n = (size_t)(m[g].rm_eo - m[g].rm_so);
	}
	regfree(&re);
	coll = dh_arena_alloc(c->arena, sizeof(*coll));
	coll->kind = DH_COLL_VECTOR;
	coll->n = n;
	coll->items = items;
	o->type = DH_T_COLL;
	o->coll = coll;
	return 0;
}

static int
f_regexp_match2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_match(c, a, -1, o);
}

static int
f_regexp_match3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_match(c, a, 2, o);
}

/* regexp_count(string, pattern [, start [, flags]]) */
static int
regexp_count(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	regex_t re;
	regmatch_t m[1];
	int cflags = 0, global, mode = 0, rc;
	int64_t start = c->nargs > 2 ? a[2].i : 1, count = 0;
	char *s;
	size_t pos, sn = a[0].s.n;
	if (start <= 0) {
		dh_err_sql(c->err, "22023", "invalid value for parameter \"%s\": %d", "start",
			   (int)start);
		return DH_ESQL;
	}
	if (c->nargs > 3 && (rc = regex_flags(c, a, 3, &cflags, &global, &mode)))
		return rc;
	if ((rc = regex_prepare(c, a[1].s.p, a[1].s.n, mode, cflags, &re)))
		return rc;
	s = dh_arena_strndup(c->arena, a[0].s.p, sn);
	pos = u8off(s, sn, (size_t)(start - 1));
	while (pos <= sn && regex_exec_at(&re, s, pos, sn, 1, m) == 0) {
		count++;
		if (m[0].rm_eo == m[0].rm_so) {
			if (pos + (size_t)m[0].rm_eo >= sn)
				break;
			pos += (size_t)m[0].rm_eo + u8next(s + pos + m[0].rm_eo, sn - pos - (size_t)m[0].rm_eo);
		} else {
			pos += (size_t)m[0].rm_eo;
		}
	}
	regfree(&re);
	return ret_long(count, o);
}

/* The matches of pattern a[1] in a[0] (flags a[flagarg], or none) as
 * PostgreSQL's setup_regexp_matches finds them: each next search starts
 * where the last match ended (one character further after an empty one);
 * ignore_degenerate skips the empty matches at the end of the string or
 * right after the previous match (the splitting functions).  *mp gets the
 * matches' byte offsets, 10 regmatch_t per match (the groups), *np their
 * number, *nsub the pattern's groups; *sp the string's copy. */
static int
regex_all(struct dh_sqlcall *c, argv_t a, int flagarg, const char *fname, int split,
	  regmatch_t **mp, size_t *np, size_t *nsub, char **sp)
{
	regex_t re;
	regmatch_t m[10], *out = NULL;
	int cflags, global, mode, rc;
	size_t pos = 0, sn = a[0].s.n, n = 0, cap = 0, prev_end = 0;
	char *s;
	if ((rc = regex_flags(c, a, flagarg, &cflags, &global, &mode)))
		return rc;
	if (split) {
		if (global) {
			dh_err_sql(c->err, "22023", "%s does not support the \"global\" option",
				   fname);
			return DH_ESQL;
		}
		global = 1;
	}
	if ((rc = regex_prepare(c, a[1].s.p, a[1].s.n, mode, cflags, &re)))
		return rc;
	s = dh_arena_strndup(c->arena, a[0].s.p, sn);
	while (pos <= sn && regex_exec_at(&re, s, pos, sn, 10, m) == 0) {
		size_t so = pos + (size_t)m[0].rm_so, eo = pos + (size_t)m[0].rm_eo;
		if (!split || (so < sn && eo > prev_end)) {
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				out = xrealloc(out, cap * 10 * sizeof(*out));
			}
			for (int g = 0; g < 10; g++) {
				out[n * 10 + (size_t)g] = m[g];
				if (m[g].rm_so >= 0) {
					out[n * 10 + (size_t)g].rm_so += (regoff_t)pos;
					out[n * 10 + (size_t)g].rm_eo += (regoff_t)pos;
				}
			}
			n++;
			prev_end = eo;
		}
		if (!global)
			break;
		if (so == eo) {
			if (eo >= sn)
				break;
			eo += u8next(s + eo, sn - eo);
		}
		pos = eo;
	}
	*nsub = re.re_nsub < 9 ? re.re_nsub : 9;
	regfree(&re);
	*mp = dh_arena_memdup(c->arena, out ? (void *)out : (void *)m, (n ? n : 1) * 10 * sizeof(*out));
	free(out);
	*np = n;
	*sp = s;
	return 0;
}

static struct dh_value *
ret_vector(struct dh_sqlcall *c, struct dh_value *items, size_t n, struct dh_value *o)
{
	struct dh_coll *coll = dh_arena_alloc(c->arena, sizeof(*coll));
	coll->kind = DH_COLL_VECTOR;
	coll->n = n;
	coll->items = items;
	o->type = DH_T_COLL;
	o->coll = coll;
	return o;
}

/* regexp_matches(string, pattern [, flags]): a vector of text[], one per
 * match (a set-returning function: sqlc-srf.c makes its rows) */
int
dh_sqlx_regexp_matches(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *o)
{
	regmatch_t *m;
	size_t n, nsub;
	char *s;
	int rc = regex_all(c, a, c->nargs > 2 ? 2 : -1, "regexp_matches()", 0, &m, &n, &nsub, &s);
	if (rc)
		return rc;
	struct dh_value *rows = dh_arena_alloc(c->arena, (n ? n : 1) * sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		size_t k = nsub ? nsub : 1;
		struct dh_value *items = dh_arena_alloc(c->arena, k * sizeof(*items));
		for (size_t j = 0; j < k; j++) {
			const regmatch_t *g = &m[i * 10 + (nsub ? j + 1 : 0)];
			if (g->rm_so < 0)
				items[j].type = DH_T_NONE;
			else
				ret_str(c, s + g->rm_so, (size_t)(g->rm_eo - g->rm_so), &items[j]);
		}
		ret_vector(c, items, k, &rows[i]);
	}
	ret_vector(c, rows, n, o);
	return 0;
}

/* regexp_split_to_table / regexp_split_to_array(string, pattern [, flags]):
 * the pieces between the matches, as a vector of text (the array's value
 * too) */
static int
regexp_split(struct dh_sqlcall *c, const struct dh_value *a, const char *fname,
	     struct dh_value *o)
{
	regmatch_t *m;
	size_t n, nsub, prev = 0;
	char *s;
	int rc = regex_all(c, a, c->nargs > 2 ? 2 : -1, fname, 1, &m, &n, &nsub, &s);
	if (rc)
		return rc;
	struct dh_value *items = dh_arena_alloc(c->arena, (n + 1) * sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		ret_str(c, s + prev, (size_t)m[i * 10].rm_so - prev, &items[i]);
		prev = (size_t)m[i * 10].rm_eo;
	}
	ret_str(c, s + prev, a[0].s.n - prev, &items[n]);
	ret_vector(c, items, n + 1, o);
	return 0;
}

int
dh_sqlx_regexp_split(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *o)
{
	return regexp_split(c, a, "regexp_split_to_table()", o);
}

static int
f_regexp_split_to_array(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return regexp_split(c, a, "regexp_split_to_array()", o);
}

static int
f_set_returning(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)a;
	(void)o;
	dh_err_sql(c->err, "0A000", "set-returning functions are not supported in expressions yet");
	return DH_ESQL;
}

/* substring(string from pattern): the first parenthesized group's match,
 * or the whole match */
static int
f_substring_re(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	regex_t re;
	regmatch_t m[2];
	int rc;
	char *s;
	if ((rc = regex_compile(c, a[1].s.p, a[1].s.n, 0, &re)))
		return rc;
	s = dh_arena_strndup(c->arena, a[0].s.p, a[0].s.n);
	rc = regex_exec(&re, s, 2, m, 0);
	if (rc != 0) {
		regfree(&re);
		o->type = DH_T_NONE;
		return 0;
	}
	if (re.re_nsub > 0) {
		regfree(&re);
		if (m[1].rm_so < 0) {
			o->type = DH_T_NONE;
			return 0;
		}
		return ret_str(c, s + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so), o);
	}
	regfree(&re);
	return ret_str(c, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so), o);
}

/* substring(string SIMILAR pattern ESCAPE escape): the part between the
 * escape-double-quote separators, or the whole match without them */
static int
f_substring_similar(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_value re_text;
	regex_t re;
	regmatch_t m[3];
	int nquotes = 0, rc;
	char *s;
	if ((rc = similar_escape(c, a[1].s.p, a[1].s.n, a[2].s.p, a[2].s.n, &re_text, &nquotes)))
		return rc;
	if ((rc = regex_compile(c, re_text.s.p, re_text.s.n, 0, &re)))
		return rc;
	s = dh_arena_strndup(c->arena, a[0].s.p, a[0].s.n);
	rc = regex_exec(&re, s, 3, m, 0);
	regfree(&re);
	if (rc != 0) {
		o->type = DH_T_NONE;
		return 0;
	}
	/* "^(" A ")(" B ")(" C ")$": B is group 2 */
	int g = nquotes ? 2 : 0;
	if (m[g].rm_so < 0) {
		o->type = DH_T_NONE;
		return 0;
	}
	return ret_str(c, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so), o);
}

/* --- substrings and positions --- */

/* text_substring: characters from start (1-based) for len (< 0: to the end) */
static int
substring(struct dh_sqlcall *c, const char *s, size_t n, int64_t start, int64_t len,
	  int have_len, struct dh_value *o)
{
	int64_t s1 = start < 1 ? 1 : start, e;
	size_t from, to;
	if (have_len) {
		if (len < 0) {
			dh_err_sql(c->err, "22011", "negative substring length not allowed");
			return DH_ESQL;
		}
		e = start + len;
		if (e < 1)
			return ret_str(c, "", 0, o);
		if (e <= s1)
			return ret_str(c, "", 0, o);
		from = u8off(s, n, (size_t)(s1 - 1));
		to = u8off(s, n, (size_t)(e - 1));
	} else {
		from = u8off(s, n, (size_t)(s1 - 1));
		to = n;
	}
	if (from > n)
		from = n;
	return ret_str(c, s + from, to - from, o);
}

static int
f_substr2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return substring(c, a[0].s.p, a[0].s.n, a[1].i, 0, 0, o);
}

static int
f_substr3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return substring(c, a[0].s.p, a[0].s.n, a[1].i, a[2].i, 1, o);
}

static int
f_bytea_substr2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t s1 = a[1].i < 1 ? 1 : a[1].i;
	size_t n = a[0].s.n, from = (size_t)(s1 - 1) < n ? (size_t)(s1 - 1) : n;
	o->type = DH_T_BYTES;
	o->s.p = a[0].s.p + from;
	o->s.n = n - from;
	return 0;
}

static int
f_bytea_substr3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t s1 = a[1].i < 1 ? 1 : a[1].i, e;
	size_t n = a[0].s.n, from, to;
	if (a[2].i < 0) {
		dh_err_sql(c->err, "22011", "negative substring length not allowed");
		return DH_ESQL;
	}
	e = a[1].i + a[2].i;
	o->type = DH_T_BYTES;
	if (e <= s1) {
		o->s.p = a[0].s.p;
		o->s.n = 0;
		return 0;
	}
	from = (size_t)(s1 - 1) < n ? (size_t)(s1 - 1) : n;
	to = (size_t)(e - 1) < n ? (size_t)(e - 1) : n;
	o->s.p = a[0].s.p + from;
	o->s.n = to - from;
	return 0;
}

static const char *
find(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == nd[0] && !memcmp(h + i, nd, nn))
			return h + i;
	return NULL;
}

/* position(substring in string) = strpos(string, substring) */
static int
f_strpos(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *f = find(a[0].s.p, a[0].s.n, a[1].s.p, a[1].s.n);
	(void)c;
	if (!f)
		return ret_long(0, o);
	return ret_long((int64_t)u8count(a[0].s.p, (size_t)(f - a[0].s.p)) + 1, o);
}

static int
f_starts_with(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	return ret_bool(a[1].s.n <= a[0].s.n && !memcmp(a[0].s.p, a[1].s.p, a[1].s.n), o);
}

static int
f_replace(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	const char *s = a[0].s.p, *f;
	size_t n = a[0].s.n;
	if (a[1].s.n == 0 || n == 0)
		return ret_str(c, s, n, o);
	dh_buf_init(&b, 0);
	while ((f = find(s, n, a[1].s.p, a[1].s.n))) {
		dh_buf_add(&b, s, (size_t)(f - s));
		dh_buf_add(&b, a[2].s.p, a[2].s.n);
		n -= (size_t)(f - s) + a[1].s.n;
		s = f + a[1].s.n;
	}
	dh_buf_add(&b, s, n);
	return ret_buf(c, &b, o);
}

/* --- trim, pad --- */

static int
in_set(const char *ch, size_t l, const char *set, size_t sn)
{
	for (size_t i = 0; i < sn;) {
		size_t k = u8next(set + i, sn - i);
		if (k == l && !memcmp(set + i, ch, l))
			return 1;
		i += k;
	}
	return 0;
}

static int
trim(struct dh_sqlcall *c, argv_t a, int nargs, int left, int right, struct dh_value *o)
{
	const char *s = a[0].s.p, *set = nargs > 1 ? a[1].s.p : " ";
	size_t n = a[0].s.n, sn = nargs > 1 ? a[1].s.n : 1, i = 0, j = n;
	if (left)
		while (i < n) {
			size_t l = u8next(s + i, n - i);
			if (!in_set(s + i, l, set, sn))
				break;
			i += l;
		}
	if (right)
		while (j > i) {
			size_t k = j - 1;
			while (k > i && ((unsigned char)s[k] & 0xc0) == 0x80)
				k--;
			if (!in_set(s + k, j - k, set, sn))
				break;
			j = k;
		}
	return ret_str(c, s + i, j - i, o);
}

static int
f_btrim1(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return trim(c, a, 1, 1, 1, o);
}
static int
f_btrim2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return trim(c, a, 2, 1, 1, o);
}
static int
f_ltrim1(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return trim(c, a, 1, 1, 0, o);
}
static int
f_ltrim2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return trim(c, a, 2, 1, 0, o);
}
static int
f_rtrim1(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return trim(c, a, 1, 0, 1, o);
}
static int
f_rtrim2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return trim(c, a, 2, 0, 1, o);
}

/* The longest text repeat() and the pads make.  A fuzzing build (clang's
 * convention; mk/fuzz.am's t/fuzz/libdh-fuzz.a) stops at 1 MB, so that one
 * call over one value does not take seconds of ASan and coverage time,
 * out of reach of the cancel flag. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define MAX_TEXT ((size_t)1 << 20)
#else
#define MAX_TEXT ((size_t)1 << 28)
#endif

static int
too_large(struct dh_sqlcall *c)
{
	dh_err_sql(c->err, "54000", "requested length too large");
	return DH_ESQL;
}

static int
pad(struct dh_sqlcall *c, argv_t a, int nargs, int left, struct dh_value *o)
{
	const char *s = a[0].s.p, *fill = nargs > 2 ? a[2].s.p : " ";
	size_t n = a[0].s.n, fn = nargs > 2 ? a[2].s.n : 1, have = u8count(s, n), want, k, fi = 0;
	int64_t len = a[1].i < 0 ? 0 : a[1].i;
	struct dh_buf b;
	want = (size_t)len;
	if (want > MAX_TEXT)
		return too_large(c);
	if (have >= want || fn == 0)
		return ret_str(c, s, u8off(s, n, want), o);
	dh_buf_init(&b, 0);
	if (!left)
		dh_buf_add(&b, s, n);
	{
		/* whole copies of the fill in chunks of about 4 kB, then the rest */
		size_t fc = u8count(fill, fn), need = want - have, per = fn < 4096 ? 4096 / fn : 1;
		char *chunk = dh_arena_alloc(c->arena, per * fn);
		for (size_t r = 0; r < per; r++)
			memcpy(chunk + r * fn, fill, fn);
		while (need >= per * fc && !b.overflow) {
			dh_buf_add(&b, chunk, per * fn);
			need -= per * fc;
		}
		for (k = 0; k < need; k++) {
			size_t l = u8next(fill + fi, fn - fi);
			dh_buf_add(&b, fill + fi, l);
			fi += l;
			if (fi >= fn)
				fi = 0;
		}
	}
	if (left)
		dh_buf_add(&b, s, n);
	return ret_buf(c, &b, o);
}

static int
f_lpad2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return pad(c, a, 2, 1, o);
}
static int
f_lpad3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return pad(c, a, 3, 1, o);
}
static int
f_rpad2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return pad(c, a, 2, 0, o);
}
static int
f_rpad3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return pad(c, a, 3, 0, o);
}

static int
f_left(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *s = a[0].s.p;
	size_t n = a[0].s.n, cnt = u8count(s, n);
	int64_t k = a[1].i;
	size_t keep = k >= 0 ? (size_t)k : ((size_t)-k >= cnt ? 0 : cnt - (size_t)-k);
	return ret_str(c, s, u8off(s, n, keep), o);
}

static int
f_right(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *s = a[0].s.p;
	size_t n = a[0].s.n, cnt = u8count(s, n), skip;
	int64_t k = a[1].i;
	if (k >= 0)
		skip = (size_t)k >= cnt ? 0 : cnt - (size_t)k;
	else
		skip = (size_t)-k >= cnt ? cnt : (size_t)-k;
	skip = u8off(s, n, skip);
	return ret_str(c, s + skip, n - skip, o);
}

static int
f_repeat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t k = a[1].i < 0 ? 0 : a[1].i;
	size_t n = a[0].s.n;
	char *r;
	if (n && (uint64_t)k > MAX_TEXT / n)
		return too_large(c);
	r = dh_arena_alloc(c->arena, n * (size_t)k + 1);
	if (n && k) {
		/* one copy, then double what is there */
		size_t have = n, total = n * (size_t)k;
		memcpy(r, a[0].s.p, n);
		while (have < total) {
			size_t m = have < total - have ? have : total - have;
			memcpy(r + have, r, m);
			have += m;
		}
	}
	return ret_str(c, r, n * (size_t)k, o);
}

static int
f_reverse(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *s = a[0].s.p;
	size_t n = a[0].s.n;
	char *r = dh_arena_alloc(c->arena, n + 1);
	for (size_t i = 0; i < n;) {
		size_t l = u8next(s + i, n - i);
		memcpy(r + n - i - l, s + i, l);
		i += l;
	}
	return ret_str(c, r, n, o);
}

static int
f_split_part(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *s = a[0].s.p, *d = a[1].s.p;
	size_t n = a[0].s.n, dn = a[1].s.n;
	int64_t k = a[2].i, count = 0;
	const char *starts[1];
	(void)starts;
	if (k == 0) {
		dh_err_sql(c->err, "22023", "field position must not be zero");
		return DH_ESQL;
	}
	if (n == 0)
		return ret_str(c, "", 0, o);
	if (dn == 0)
		return (k == 1 || k == -1) ? ret_str(c, s, n, o) : ret_str(c, "", 0, o);
	/* count the fields */
	{
		const char *p = s, *f;
		size_t left = n;
		count = 1;
		while ((f = find(p, left, d, dn))) {
			count++;
			left -= (size_t)(f - p) + dn;
			p = f + dn;
		}
	}
	if (k < 0)
		k = count + k + 1;
	if (k < 1 || k > count)
		return ret_str(c, "", 0, o);
	{
		const char *p = s, *f;
		size_t left = n;
		for (int64_t i = 1; i < k; i++) {
			f = find(p, left, d, dn);
			left -= (size_t)(f - p) + dn;
			p = f + dn;
		}
		f = find(p, left, d, dn);
		return ret_str(c, p, f ? (size_t)(f - p) : left, o);
	}
}

static int
f_translate(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *s = a[0].s.p, *from = a[1].s.p, *to = a[2].s.p;
	size_t n = a[0].s.n, fn = a[1].s.n, tn = a[2].s.n;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < n;) {
		size_t l = u8next(s + i, n - i), fi = 0, idx = 0;
		int found = 0;
		while (fi < fn) {
			size_t fl = u8next(from + fi, fn - fi);
			if (fl == l && !memcmp(from + fi, s + i, l)) {
				found = 1;
				break;
			}
			fi += fl;
			idx++;
		}
		if (!found) {
			dh_buf_add(&b, s + i, l);
		} else {
			size_t ti = u8off(to, tn, idx);
			if (ti < tn)
				dh_buf_add(&b, to + ti, u8next(to + ti, tn - ti));
		}
		i += l;
	}
	return ret_buf(c, &b, o);
}

static int
overlay(struct dh_sqlcall *c, argv_t a, int64_t count, struct dh_value *o)
{
	int64_t start = a[2].i;
	struct dh_value left, right;
	struct dh_buf b;
	int rc;
	if (start <= 0) {
		dh_err_sql(c->err, "22011", "negative substring length not allowed");
		return DH_ESQL;
	}
	if ((rc = substring(c, a[0].s.p, a[0].s.n, 1, start - 1, 1, &left)))
		return rc;
	if ((rc = substring(c, a[0].s.p, a[0].s.n, start + count, 0, 0, &right)))
		return rc;
	dh_buf_init(&b, 0);
	dh_buf_add(&b, left.s.p, left.s.n);
	dh_buf_add(&b, a[1].s.p, a[1].s.n);
	dh_buf_add(&b, right.s.p, right.s.n);
	return ret_buf(c, &b, o);
}

static int
f_overlay3(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlay(c, a, (int64_t)u8count(a[1].s.p, a[1].s.n), o);
}

static int
f_overlay4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlay(c, a, a[3].i, o);
}

/* --- concat, format, quoting --- */

/* the text of argument i as its type's output function prints it */
static int
arg_out(struct dh_sqlcall *c, argv_t a, int i, struct dh_buf *b)
{
	uint32_t t = c->argtypes ? c->argtypes[i] : DH_OID_TEXT;
	int rc;
	if (t == DH_OID_UNKNOWN || a[i].type == DH_T_STRING) {
		if (t == DH_OID_UNKNOWN || dh__sqlx_category(t) == 'S') {
			return dh_buf_add(b, a[i].s.p, a[i].s.n);
		}
	}
	rc = dh_sqltype_out(t, &a[i], c->env, b);
	if (rc)
		return dh_err_sql(c->err, "0A000", "output of type %u is not supported", t);
	return 0;
}

static int
f_concat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	int rc;
	dh_buf_init(&b, 0);
	for (int i = 0; i < c->nargs; i++) {
		if (a[i].type == DH_T_NONE)
			continue;
		if ((rc = arg_out(c, a, i, &b)) && rc != DH_ETOOLONG) {
			dh_buf_release(&b);
			return rc;
		}
	}
	return ret_buf(c, &b, o);
}

static int
f_concat_ws(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	int rc, first = 1;
	if (a[0].type == DH_T_NONE) {
		o->type = DH_T_NONE;
		return 0;
	}
	dh_buf_init(&b, 0);
	for (int i = 1; i < c->nargs; i++) {
		if (a[i].type == DH_T_NONE)
			continue;
		if (!first)
			dh_buf_add(&b, a[0].s.p, a[0].s.n);
		first = 0;
		if ((rc = arg_out(c, a, i, &b)) && rc != DH_ETOOLONG) {
			dh_buf_release(&b);
			return rc;
		}
	}
	return ret_buf(c, &b, o);
}

static int
f_num_nulls(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t k = 0;
	for (int i = 0; i < c->nargs; i++)
		k += a[i].type == DH_T_NONE;
	return ret_long(k, o);
}

static int
f_num_nonnulls(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t k = 0;
	for (int i = 0; i < c->nargs; i++)
		k += a[i].type != DH_T_NONE;
	return ret_long(k, o);
}

/* PostgreSQL 15's keywords that are not unreserved: quote_ident quotes
 * them (kwlist.h, categories COL_NAME, TYPE_FUNC_NAME and RESERVED) */
static const char *const keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral",
    "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national",
    "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
    "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
    "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim",
    "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose",
    "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement",
    "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
    "xmlserialize", "xmltable",
};

static void
quote_ident(const char *s, size_t n, struct dh_buf *b)
{
	int safe = n > 0 && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_');
	for (size_t i = 0; safe && i < n; i++)
		safe = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
	if (safe)
		for (size_t k = 0; k < DH_ARRAY_SIZE(keywords); k++)
			if (strlen(keywords[k]) == n && !memcmp(keywords[k], s, n)) {
				safe = 0;
				break;
			}
	if (safe) {
		dh_buf_add(b, s, n);
		return;
	}
	dh_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			dh_buf_addc(b, '"');
		dh_buf_addc(b, s[i]);
	}
	dh_buf_addc(b, '"');
}

static void
quote_literal(const char *s, size_t n, struct dh_buf *b)
{
	if (memchr(s, '\\', n))
		dh_buf_addc(b, 'E');
	dh_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			dh_buf_addc(b, s[i]);
		dh_buf_addc(b, s[i]);
	}
	dh_buf_addc(b, '\'');
}

static int
f_quote_ident(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	quote_ident(a[0].s.p, a[0].s.n, &b);
	return ret_buf(c, &b, o);
}

static int
f_quote_literal(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	quote_literal(a[0].s.p, a[0].s.n, &b);
	return ret_buf(c, &b, o);
}

/* quote_literal(anyelement): the value's text, quoted */
static int
f_quote_any(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf v, b;
	int rc;
	if (a[0].type == DH_T_NONE) {
		if (c->nargs == 1 && c->rettype == DH_OID_TEXT && c->argtypes &&
		    c->argtypes[0] != DH_OID_TEXT)
			o->type = DH_T_NONE;
		return 0;
	}
	dh_buf_init(&v, 0);
	if ((rc = arg_out(c, a, 0, &v))) {
		dh_buf_release(&v);
		return rc;
	}
	dh_buf_init(&b, 0);
	quote_literal((const char *)v.p, v.len, &b);
	dh_buf_release(&v);
	return ret_buf(c, &b, o);
}

static int
f_quote_nullable_any(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	if (a[0].type == DH_T_NONE)
		return ret_str(c, "NULL", 4, o);
	return f_quote_any(c, a, o);
}

static int
f_quote_nullable(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	if (a[0].type == DH_T_NONE)
		return ret_str(c, "NULL", 4, o);
	return f_quote_literal(c, a, o);
}

static int
fmt_err(struct dh_sqlcall *c, const char *msg, int hint)
{
	dh_err_sql(c->err, "22023", "%s", msg);
	if (hint)
		dh_err_hint(c->err, "For a single \"%%\" use \"%%%%\".");
	return DH_ESQL;
}

static void
add_spaces(struct dh_buf *b, size_t n)
{
	static const char spaces[] = "                                                                "
				     "                                                                ";
	while (n > 0 && !b->overflow) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		dh_buf_add(b, spaces, k);
		n -= k;
	}
}

/* format(fmt, args...): %[n$][-][width]{s,I,L}, %% */
static int
f_format(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *f = a[0].s.p, *end;
	size_t fn = a[0].s.n;
	struct dh_buf b, t;
	int next = 1, rc = 0;
	if (a[0].type == DH_T_NONE) {
		o->type = DH_T_NONE;
		return 0;
	}
	end = f + fn;
	dh_buf_init(&b, 0);
	dh_buf_init(&t, 0);
	for (const char *p = f; p < end; p++) {
		int argn = -1, left = 0, width = 0, have_width = 0;
		if (*p != '%') {
			dh_buf_addc(&b, *p);
			continue;
		}
		if (++p >= end) {
			rc = fmt_err(c, "unterminated format() type specifier", 1);
			goto out;
		}
		if (*p == '%') {
			dh_buf_addc(&b, '%');
			continue;
		}
		/* n$ or a width */
		if (*p >= '0' && *p <= '9') {
			int v = 0;
			const char *q = p;
			while (q < end && *q >= '0' && *q <= '9') {
				if (v > (INT32_MAX - (*q - '0')) / 10) {
					dh_err_sql(c->err, "22003", "number is out of range");
					rc = DH_ESQL;
					goto out;
				}
				v = v * 10 + (*q - '0');
				q++;
			}
			if (q >= end) {
				rc = fmt_err(c, "unterminated format() type specifier", 1);
				goto out;
			}
			if (*q == '$') {
				if (v == 0) {
					rc = fmt_err(c, "format specifies argument 0, but arguments are "
							"numbered from 1",
						     0);
					goto out;
				}
				argn = v;
				p = q + 1;
			} else {
				width = v;
				have_width = 1;
				p = q;
			}
		}
		if (!have_width) {
			if (p < end && *p == '-') {
				left = 1;
				p++;
			}
			if (p < end && *p == '*') {
				rc = fmt_err(c, "width from an argument (*) is not supported", 0);
				goto out;
			}
			while (p < end && *p >= '0' && *p <= '9') {
				if (width > (INT32_MAX - (*p - '0')) / 10) {
					dh_err_sql(c->err, "22003", "number is out of range");
					rc = DH_ESQL;
					goto out;
				}
				width = width * 10 + (*p - '0');
				p++;
			}
		}
		if (p >= end) {
			rc = fmt_err(c, "unterminated format() type specifier", 1);
			goto out;
		}
		if (*p != 's' && *p != 'I' && *p != 'L') {
			char m[128];
			snprintf(m, sizeof(m), "unrecognized format() type specifier \"%.*s\"",
				 (int)u8next(p, (size_t)(end - p)), p);
			rc = fmt_err(c, m, 1);
			goto out;
		}
		if (argn < 0)
			argn = next;
		/* before next = argn + 1: %2147483647$s must not overflow */
		if (argn >= c->nargs) {
			rc = fmt_err(c, "too few arguments for format()", 0);
			goto out;
		}
		next = argn + 1;
		dh_buf_reset(&t);
		if (a[argn].type == DH_T_NONE) {
			if (*p == 'I') {
				dh_err_sql(c->err, "22004",
					   "null values cannot be formatted as an SQL identifier");
				rc = DH_ESQL;
				goto out;
			}
			if (*p == 'L')
				dh_buf_adds(&t, "NULL");
		} else {
			struct dh_buf v;
			dh_buf_init(&v, 0);
			if ((rc = arg_out(c, a, argn, &v)) && rc != DH_ETOOLONG) {
				dh_buf_release(&v);
				goto out;
			}
			rc = 0;
			if (*p == 's')
				dh_buf_add(&t, v.p, v.len);
			else if (*p == 'I')
				quote_ident((const char *)v.p, v.len, &t);
			else
				quote_literal((const char *)v.p, v.len, &t);
			dh_buf_release(&v);
		}
		{
			size_t chars = u8count((const char *)t.p, t.len);
			size_t padn = (size_t)width > chars ? (size_t)width - chars : 0;
			if (padn > MAX_TEXT) {
				rc = too_large(c);
				goto out;
			}
			if (!left)
				add_spaces(&b, padn);
			dh_buf_add(&b, t.p, t.len);
			if (left)
				add_spaces(&b, padn);
		}
	}
out:
	dh_buf_release(&t);
	if (rc) {
		dh_buf_release(&b);
		return rc;
	}
	return ret_buf(c, &b, o);
}

/* --- bytes, codes --- */

static int
f_md5(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	unsigned char d[16];
	char *r = dh_arena_alloc(c->arena, 33);
	dh_md5(a[0].s.p, a[0].s.n, d);
	for (int i = 0; i < 16; i++)
		snprintf(r + 2 * i, 3, "%02x", d[i]);
	return ret_str(c, r, 32, o);
}

static int
to_hex(struct dh_sqlcall *c, uint64_t v, struct dh_value *o)
{
	char *r = dh_arena_alloc(c->arena, 20);
	snprintf(r, 20, "%" PRIx64, v);
	return ret_str(c, r, strlen(r), o);
}

static int
f_to_hex4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_hex(c, (uint32_t)(int32_t)a[0].i, o);
}

static int
f_to_hex8(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_hex(c, (uint64_t)a[0].i, o);
}

static int
f_ascii(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	size_t l;
	(void)c;
	if (a[0].s.n == 0)
		return ret_long(0, o);
	return ret_long(u8dec(a[0].s.p, a[0].s.n, &l), o);
}

static int
f_chr(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t v = a[0].i;
	uint32_t u = (uint32_t)(int32_t)v;
	char *r;
	if (v < 0) {
		dh_err_sql(c->err, "22023", "character number must be positive");
		return DH_ESQL;
	}
	if (v == 0) {
		dh_err_sql(c->err, "54000", "null character not permitted");
		return DH_ESQL;
	}
	if (u > 0x10ffff) {
		dh_err_sql(c->err, "54000", "requested character too large for encoding: %d",
			   (int)v);
		return DH_ESQL;
	}
	if (u >= 0xd800 && u <= 0xdfff) {
		dh_err_sql(c->err, "54000", "requested character not valid for encoding: %d",
			   (int)v);
		return DH_ESQL;
	}
	r = dh_arena_alloc(c->arena, 5);
	return ret_str(c, r, u8enc(u, r), o);
}

static int
f_bit_length(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	return ret_long((int64_t)a[0].s.n * 8, o);
}

/* --- arrays of text --- */

static int
elem_in(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	struct dh_err *err)
{
	const struct dh_array_elem *et = ctx;
	return dh_sqltype_in(et->oid, -1, s, n, NULL, a, out, err);
}

static int
elem_out(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	const struct dh_array_elem *et = ctx;
	return dh_sqltype_out(et->oid, v, NULL, b);
}

static int
elem_cmp(void *ctx, const struct dh_value *x, const struct dh_value *y)
{
	const struct dh_array_elem *et = ctx;
	return dh_sqltype_cmp(et->oid, x, y);
}

static void
elem_of(uint32_t oid, struct dh_array_elem *et)
{
	memset(et, 0, sizeof(*et));
	et->oid = oid;
	et->delim = ',';
	et->ctx = et;
	et->in = elem_in;
	et->out = elem_out;
	et->cmp = elem_cmp;
}

static int
f_string_to_array(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_array_elem et;
	if (a[0].type == DH_T_NONE) {
		o->type = DH_T_NONE;
		return 0;
	}
	elem_of(DH_OID_TEXT, &et);
	return dh_string_to_array(&et, &a[0], a[1].type == DH_T_NONE ? NULL : &a[1],
				  c->nargs > 2 && a[2].type != DH_T_NONE ? &a[2] : NULL, c->arena,
				  o, c->err);
}

static int
f_array_to_string(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_array_elem et;
	uint32_t elem = c->argtypes ? dh__sqlx_elem(c->argtypes[0]) : DH_OID_TEXT;
	if (a[0].type == DH_T_NONE || a[1].type == DH_T_NONE) {
		o->type = DH_T_NONE;
		return 0;
	}
	elem_of(elem ? elem : DH_OID_TEXT, &et);
	return dh_array_to_string(&et, &a[0], &a[1],
				  c->nargs > 2 && a[2].type != DH_T_NONE ? &a[2] : NULL, c->arena,
				  o, c->err);
}

/* --- the tables --- */

#define OPR(n, l, r, res, F)                                                                       \
	{                                                                                          \
		.name = n, .left = l, .right = r, .result = res, .fn = F, .proname = #F            \
	}
#define LIKEOPS(L, R)                                                                              \
	OPR("~~", L, R, O(BOOL), f_like), OPR("!~~", L, R, O(BOOL), f_notlike),                    \
	    OPR("~~*", L, R, O(BOOL), f_ilike), OPR("!~~*", L, R, O(BOOL), f_notilike),            \
	    OPR("~", L, R, O(BOOL), f_re), OPR("!~", L, R, O(BOOL), f_nre),                        \
	    OPR("~*", L, R, O(BOOL), f_ire), OPR("!~*", L, R, O(BOOL), f_nire)

const struct dh_sqlop dh__sqlx_ops[] = {
    LIKEOPS(O(TEXT), O(TEXT)),
    LIKEOPS(O(BPCHAR), O(TEXT)),
    LIKEOPS(O(NAME), O(TEXT)),
    OPR("~~", O(BYTEA), O(BYTEA), O(BOOL), f_bytealike),
    OPR("!~~", O(BYTEA), O(BYTEA), O(BOOL), f_byteanotlike),
    OPR("^@", O(TEXT), O(TEXT), O(BOOL), f_starts_with),
};
const size_t dh__sqlx_ops_n = DH_ARRAY_SIZE(dh__sqlx_ops);

#define F1(n, a1, res, fn)                                                                         \
	{                                                                                          \
		n, 1, {a1}, res, fn, 0                                                             \
	}
#define F2(n, a1, a2, res, fn)                                                                     \
	{                                                                                          \
		n, 2, {a1, a2}, res, fn, 0                                                         \
	}
#define F3(n, a1, a2, a3, res, fn)                                                                 \
	{                                                                                          \
		n, 3, {a1, a2, a3}, res, fn, 0                                                     \
	}
#define F4(n, a1, a2, a3, a4, res, fn)                                                             \
	{                                                                                          \
		n, 4, {a1, a2, a3, a4}, res, fn, 0                                                 \
	}
#define T O(TEXT)
#define I4 O(INT4)

/* gen_random_uuid(): a version 4 (random) UUID */
static int
f_gen_random_uuid(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)a;
	o->type = DH_T_UUID;
	if (dh_random_bytes(o->uuid, 16))
		return dh_err_sql(c->err, "XX000", "could not generate random values");
	o->uuid[6] = (unsigned char)((o->uuid[6] & 0x0f) | 0x40);
	o->uuid[8] = (unsigned char)((o->uuid[8] & 0x3f) | 0x80);
	return 0;
}

const struct dh__sqlfunc dh__sqlx_funcs[] = {
    {"gen_random_uuid", 0, {0}, O(UUID), f_gen_random_uuid, SXF_VOLATILE},
    F1("lower", T, T, f_lower),
    F1("upper", T, T, f_upper),
    F1("initcap", T, T, f_initcap),
    F2("like_escape", T, T, T, f_like_escape),
    F2("like_escape", O(BYTEA), O(BYTEA), O(BYTEA), f_like_escape),
    F2("like", T, T, O(BOOL), f_like),
    F2("notlike", T, T, O(BOOL), f_notlike),
    F2("textlike", T, T, O(BOOL), f_like),
    F1("similar_to_escape", T, T, f_similar_escape1),
    {"similar_to_escape", 2, {T, T}, T, f_similar_escape2, SXF_NONSTRICT},
    {"similar_escape", 2, {T, T}, T, f_similar_escape2, SXF_NONSTRICT},
    F2("textregexeq", T, T, O(BOOL), f_re),
    F3("regexp_replace", T, T, T, T, f_regexp_replace3),
    F4("regexp_replace", T, T, T, T, T, f_regexp_replace4),
    F2("regexp_like", T, T, O(BOOL), f_regexp_like2),
    F2("regexp_match", T, T, O(TEXT_ARRAY), f_regexp_match2),
    F3("regexp_match", T, T, T, O(TEXT_ARRAY), f_regexp_match3),
    F2("regexp_count", T, T, I4, regexp_count),
    F3("regexp_count", T, T, I4, I4, regexp_count),
    F4("regexp_count", T, T, I4, T, I4, regexp_count),
    F2("regexp_matches", T, T, O(TEXT_ARRAY), f_set_returning),
    F3("regexp_matches", T, T, T, O(TEXT_ARRAY), f_set_returning),
    F2("regexp_split_to_table", T, T, T, f_set_returning),
    F3("regexp_split_to_table", T, T, T, T, f_set_returning),
    F2("regexp_split_to_array", T, T, O(TEXT_ARRAY), f_regexp_split_to_array),
    F3("regexp_split_to_array", T, T, T, O(TEXT_ARRAY), f_regexp_split_to_array),
    F3("regexp_like", T, T, T, O(BOOL), f_regexp_like3),
    F2("substr", T, I4, T, f_substr2),
    F3("substr", T, I4, I4, T, f_substr3),
    F2("substring", T, I4, T, f_substr2),
    F3("substring", T, I4, I4, T, f_substr3),
    F2("substring", T, T, T, f_substring_re),
    F3("substring", T, T, T, T, f_substring_similar),
    F2("substr", O(BYTEA), I4, O(BYTEA), f_bytea_substr2),
    F3("substr", O(BYTEA), I4, I4, O(BYTEA), f_bytea_substr3),
    F2("substring", O(BYTEA), I4, O(BYTEA), f_bytea_substr2),
    F3("substring", O(BYTEA), I4, I4, O(BYTEA), f_bytea_substr3),
    F2("position", T, T, I4, f_strpos),
    F2("strpos", T, T, I4, f_strpos),
    F2("starts_with", T, T, O(BOOL), f_starts_with),
    F3("replace", T, T, T, T, f_replace),
    F1("btrim", T, T, f_btrim1),
    F2("btrim", T, T, T, f_btrim2),
    F1("ltrim", T, T, f_ltrim1),
    F2("ltrim", T, T, T, f_ltrim2),
    F1("rtrim", T, T, f_rtrim1),
    F2("rtrim", T, T, T, f_rtrim2),
    F2("lpad", T, I4, T, f_lpad2),
    F3("lpad", T, I4, T, T, f_lpad3),
    F2("rpad", T, I4, T, f_rpad2),
    F3("rpad", T, I4, T, T, f_rpad3),
    F2("left", T, I4, T, f_left),
    F2("right", T, I4, T, f_right),
    F2("repeat", T, I4, T, f_repeat),
    F1("reverse", T, T, f_reverse),
    F3("split_part", T, T, I4, T, f_split_part),
    F3("translate", T, T, T, T, f_translate),
    F3("overlay", T, T, I4, T, f_overlay3),
    F4("overlay", T, T, I4, I4, T, f_overlay4),
    {"concat", 0, {0}, T, f_concat, SXF_NONSTRICT | SXF_VARIADIC},
    {"concat_ws", 1, {T}, T, f_concat_ws, SXF_NONSTRICT | SXF_VARIADIC},
    {"format", 1, {T}, T, f_format, SXF_NONSTRICT},
    {"format", 1, {T}, T, f_format, SXF_NONSTRICT | SXF_VARIADIC},
    {"num_nulls", 0, {0}, I4, f_num_nulls, SXF_NONSTRICT | SXF_VARIADIC},
    {"num_nonnulls", 0, {0}, I4, f_num_nonnulls, SXF_NONSTRICT | SXF_VARIADIC},
    F1("quote_ident", T, T, f_quote_ident),
    F1("quote_literal", T, T, f_quote_literal),
    {"quote_nullable", 1, {T}, T, f_quote_nullable, SXF_NONSTRICT},
    F1("quote_literal", O(ANYELEMENT), T, f_quote_any),
    {"quote_nullable", 1, {O(ANYELEMENT)}, T, f_quote_nullable_any, SXF_NONSTRICT},
    F1("md5", T, T, f_md5),
    F1("md5", O(BYTEA), T, f_md5),
    F1("to_hex", I4, T, f_to_hex4),
    F1("to_hex", O(INT8), T, f_to_hex8),
    F1("ascii", T, I4, f_ascii),
    F1("chr", I4, T, f_chr),
    F1("bit_length", T, I4, f_bit_length),
    F1("bit_length", O(BYTEA), I4, f_bit_length),
    {"string_to_array", 2, {T, T}, O(TEXT_ARRAY), f_string_to_array, SXF_NONSTRICT},
    {"string_to_array", 3, {T, T, T}, O(TEXT_ARRAY), f_string_to_array, SXF_NONSTRICT},
    F2("array_to_string", O(ANYARRAY), T, T, f_array_to_string),
    {"array_to_string", 3, {O(ANYARRAY), T, T}, T, f_array_to_string, SXF_NONSTRICT},
};
const size_t dh__sqlx_funcs_n = DH_ARRAY_SIZE(dh__sqlx_funcs);
