/*
 * edn: the EDN reader and printer (see edn.h).
 *
 * The reader is recursive descent over a byte range that need not be
 * NUL-terminated.  Every recursion (collection, tag, #_ discard) passes
 * through one depth counter, so hostile input cannot exhaust the C stack.
 * Positions are kept as byte offsets while reading and converted to
 * character positions only when an error is reported.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "util.h"

struct reader {
	struct dh_arena *a;
	const unsigned char *s;
	size_t len, i;
	int depth;
	struct dh_err *err;
};

static int read_next(struct reader *r, struct dh_edn **out);

/* --- characters and UTF-8 --- */

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       c == ',';
}

/* Characters that end a token; a backslash starts a character literal. */
static int
is_delim(int c)
{
	return is_ws(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' ||
	       c == '"' || c == ';' || c == '\\';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Characters that may begin a symbol.  Non-ASCII letters are accepted (as
 * Clojure does) so attribute names need not be English; they are validated
 * as UTF-8 later. */
static int
is_sym_start(int c)
{
	return is_alpha(c) || c >= 0x80 || (c && strchr(".*+!-_?$%&=<>/", c));
}

static int
is_sym_char(int c)
{
	return is_sym_start(c) || is_digit(c) || c == ':' || c == '#' || c == '\'';
}

/* Decode one UTF-8 sequence from p[0..n).  Returns its length, or 0 when it
 * is truncated, overlong, a surrogate or beyond U+10FFFF. */
static size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t k;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t j = 1; j < k; j++) {
		if ((p[j] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[j] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

static size_t
utf8_encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	} else if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Invalid bytes count as one character each, so positions stay meaningful
 * in input that is not UTF-8 at all. */
int
dh_edn_charpos(const char *text, size_t len, size_t byteoff)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n = 0;
	uint32_t c;

	if (byteoff > len)
		byteoff = len;
	while (i < byteoff) {
		size_t k = utf8_decode(s + i, len - i, &c);
		i += k ? k : 1;
		n++;
	}
	return n >= INT32_MAX ? INT32_MAX : (int)n + 1;
}

/* --- errors --- */

static int fail_code(struct reader *r, int code, size_t off, const char *fmt, ...) DH_PRINTF(4, 5);

static int
fail_code(struct reader *r, int code, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dh_err_vset(r->err, code, fmt, ap);
	va_end(ap);
	if (r->err)
		r->err->position = dh_edn_charpos((const char *)r->s, r->len, off);
	return code;
}

#define fail(r, off, ...) fail_code(r, DH_EBADEDN, off, __VA_ARGS__)

static int
fail_eof(struct reader *r)
{
	return fail(r, r->len, "unexpected end of input");
}

static int
enter(struct reader *r, size_t off)
{
	if (++r->depth > DH_EDN_MAX_DEPTH)
		return fail_code(r, DH_ETOOLONG, off, "forms nested deeper than %d levels",
				 DH_EDN_MAX_DEPTH);
	return 0;
}

/* Describe the character at off for a message: 'x', or U+XXXX when it is not
 * printable ASCII, or the byte when it is not UTF-8. */
static const char *
describe_char(struct reader *r, size_t off, char *buf, size_t size)
{
	uint32_t c;
	size_t k = utf8_decode(r->s + off, r->len - off, &c);

	if (k == 0)
		snprintf(buf, size, "byte 0x%02x", r->s[off]);
	else if (c > 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", (int)c);
	else
		snprintf(buf, size, "character U+%04" PRIX32, c);
	return buf;
}

static int
fail_unexpected(struct reader *r, size_t off, const char *after)
{
	char buf[32];
	return fail(r, off, "unexpected %s%s", describe_char(r, off, buf, sizeof(buf)), after);
}

/* Tokens quoted in messages are cut at a character boundary so a huge token
 * cannot fill the message, and cannot be cut inside a UTF-8 sequence. */
static int
quote_len(const unsigned char *p, size_t n)
{
	size_t k = 0;

	if (n <= 40)
		return (int)n;
	while (k < 40) {
		uint32_t c;
		size_t m = utf8_decode(p + k, n - k, &c);
		k += m ? m : 1;
	}
	return (int)k;
}

/* --- nodes --- */

static struct dh_edn *
new_node(struct reader *r, enum dh_edn_kind kind, size_t pos)
{
	struct dh_edn *x = dh_arena_zalloc(r->a, sizeof(*x));
	x->kind = kind;
	x->pos = pos;
	x->end = r->i;
	return x;
}

static const char *
kind_name(enum dh_edn_kind kind)
{
	switch (kind) {
	case DH_EDN_LIST:
		return "list";
	case DH_EDN_VECTOR:
		return "vector";
	case DH_EDN_MAP:
		return "map";
	case DH_EDN_SET:
		return "set";
	default:
		return "form";
	}
}

/* --- whitespace, comments, discards --- */

static int
skip_space(struct reader *r, int discards)
{
	while (r->i < r->len) {
		unsigned char c = r->s[r->i];
		if (is_ws(c)) {
			r->i++;
		} else if (c == ';') {
			while (r->i < r->len && r->s[r->i] != '\n')
				r->i++;
		} else if (discards && c == '#' && r->i + 1 < r->len && r->s[r->i + 1] == '_') {
			struct dh_edn *junk;
			int rc = enter(r, r->i);
			r->i += 2;
			if (!rc)
				rc = skip_space(r, 1);
			if (!rc && r->i >= r->len)
				rc = fail_eof(r);
			if (!rc)
				rc = read_next(r, &junk);
			r->depth--;
			if (rc)
				return rc;
		} else {
			break;
		}
	}
	return 0;
}

/* --- tokens: numbers, symbols, keywords --- */

static size_t
token_end(struct reader *r, size_t i)
{
	while (i < r->len && !is_delim(r->s[i]))
		i++;
	return i;
}

/* Check that every character of the token is a symbol constituent and valid
 * UTF-8, pointing the error at the first one that is not. */
static int
check_token_chars(struct reader *r, size_t start, size_t end, const char *what)
{
	for (size_t i = start; i < end;) {
		uint32_t c;
		size_t k = utf8_decode(r->s + i, end - i, &c);
		if (k == 0)
			return fail(r, i, "invalid UTF-8 in %s", what);
		if (!is_sym_char(r->s[i])) {
			char buf[32];
			return fail(r, i, "invalid %s in %s", describe_char(r, i, buf, sizeof(buf)),
				    what);
		}
		i += k;
	}
	return 0;
}

/* One side of ns/name.  Keywords may start with a digit (":1" is common in
 * data converted from JSON); symbols may not, or they would read as numbers. */
static int
valid_part(const unsigned char *p, size_t n, int digit_ok)
{
	if (n == 0)
		return 0;
	if (p[0] == ':' || p[0] == '#' || p[0] == '\'' || (!digit_ok && is_digit(p[0])))
		return 0;
	if (n > 1 && (p[0] == '+' || p[0] == '-' || p[0] == '.') && is_digit(p[1]) && !digit_ok)
		return 0;
	return 1;
}

static int
valid_symbol(const unsigned char *p, size_t n, int digit_ok)
{
	const unsigned char *slash;

	if (n == 1 && p[0] == '/')
		return 1;
	if (n == 0 || p[n - 1] == ':')
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (p[i] == ':' && p[i + 1] == ':')
			return 0;
	slash = memchr(p, '/', n);
	if (!slash)
		return valid_part(p, n, digit_ok);
	size_t ns = (size_t)(slash - p);
	if (memchr(slash + 1, '/', n - ns - 1))
		return 0;
	return valid_part(p, ns, digit_ok) && valid_part(slash + 1, n - ns - 1, digit_ok);
}

static int
read_symbol(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i, end = token_end(r, start), n = end - start;
	const unsigned char *p = r->s + start;
	struct dh_edn *x;
	int rc;

	if ((rc = check_token_chars(r, start, end, "symbol")))
		return rc;
	if (!valid_symbol(p, n, 0))
		return fail(r, start, "invalid symbol '%.*s'", quote_len(p, n), p);
	r->i = end;
	if (n == 3 && !memcmp(p, "nil", 3)) {
		x = new_node(r, DH_EDN_NIL, start);
	} else if ((n == 4 && !memcmp(p, "true", 4)) || (n == 5 && !memcmp(p, "false", 5))) {
		x = new_node(r, DH_EDN_BOOL, start);
		x->b = n == 4;
	} else {
		x = new_node(r, DH_EDN_SYMBOL, start);
		x->s.p = dh_arena_strndup(r->a, (const char *)p, n);
		x->s.n = n;
	}
	*out = x;
	return 0;
}

static int
read_keyword(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i, end = token_end(r, start + 1), n = end - start - 1;
	const unsigned char *p = r->s + start + 1;
	struct dh_edn *x;
	int rc;

	if ((rc = check_token_chars(r, start + 1, end, "keyword")))
		return rc;
	if (!valid_symbol(p, n, 1))
		return fail(r, start, "invalid keyword ':%.*s'", quote_len(p, n), p);
	r->i = end;
	x = new_node(r, DH_EDN_KEYWORD, start);
	x->s.p = dh_arena_strndup(r->a, (const char *)p, n);
	x->s.n = n;
	*out = x;
	return 0;
}

/* Digits with an optional sign, checked against int64 range; anything that
 * does not fit becomes a BIGINT holding the text. */
static int
read_number(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i, end = token_end(r, start), n = end - start, i = 0, d;
	const unsigned char *p = r->s + start;
	int neg = 0, is_float = 0;
	struct dh_edn *x;

	if (p[0] == '+' || p[0] == '-')
		neg = p[i++] == '-';
	d = i;
	while (i < n && is_digit(p[i]))
		i++;
	if (i - d > 1 && p[d] == '0')
		goto bad;
	if (i == n || (p[i] == 'N' && i + 1 == n)) {
		uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		int big = i < n;
		for (size_t j = d; j < i && !big; j++) {
			unsigned dig = p[j] - '0';
			if (v > (lim - dig) / 10)
				big = 1;
			else
				v = v * 10 + dig;
		}
		r->i = end;
		if (!big) {
			x = new_node(r, DH_EDN_INT, start);
			x->i = neg ? (int64_t)(0 - v) : (int64_t)v;
		} else {
			/* canonical text: no '+', and no "-0", so equality is memcmp */
			int zero = i - d == 1 && p[d] == '0';
			size_t from = neg && !zero ? 0 : d;
			x = new_node(r, DH_EDN_BIGINT, start);
			x->s.p = dh_arena_strndup(r->a, (const char *)p + from, i - from);
			x->s.n = i - from;
		}
		*out = x;
		return 0;
	}
	if (p[i] == '.') {
		i++;
		while (i < n && is_digit(p[i]))
			i++;
		is_float = 1;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == n || !is_digit(p[i]))
			goto bad;
		while (i < n && is_digit(p[i]))
			i++;
		is_float = 1;
	}
	if (i + 1 == n && p[i] == 'M') {
		size_t from = p[0] == '+' ? 1 : 0;
		r->i = end;
		x = new_node(r, DH_EDN_BIGDEC, start);
		x->s.p = dh_arena_strndup(r->a, (const char *)p + from, i - from);
		x->s.n = i - from;
		*out = x;
		return 0;
	}
	if (i != n || !is_float)
		goto bad;
	/* strtod needs a terminated copy; the syntax is already checked, so it
	 * cannot wander into hex or "inf" */
	char tmp[64];
	char *copy = n < sizeof(tmp) ? tmp : dh_arena_alloc(r->a, n + 1);
	memcpy(copy, p, n);
	copy[n] = 0;
	r->i = end;
	x = new_node(r, DH_EDN_FLOAT, start);
	x->d = strtod(copy, NULL);
	*out = x;
	return 0;
bad:
	if (check_token_chars(r, start, end, "number"))
		return DH_EBADEDN;
	return fail(r, start, "invalid number '%.*s'", quote_len(p, n), p);
}

/* --- strings and characters --- */

static int
hex4(const unsigned char *p, uint32_t *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		int c = p[k], h;
		if (is_digit(c))
			h = c - '0';
		else if (c >= 'a' && c <= 'f')
			h = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			h = c - 'A' + 10;
		else
			return 0;
		*v = *v << 4 | (uint32_t)h;
	}
	return 1;
}

/* Two passes: find the closing quote first (escapes only shrink), so the
 * output can be allocated once. */
static int
read_string(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i, end = start + 1, i, n = 0;
	struct dh_edn *x;
	char *buf;

	while (end < r->len && r->s[end] != '"')
		end += r->s[end] == '\\' ? 2 : 1;
	if (end >= r->len)
		return fail(r, start, "unterminated string");
	buf = dh_arena_alloc(r->a, end - start);
	for (i = start + 1; i < end;) {
		unsigned char c = r->s[i];
		uint32_t cp, lo;
		if (c == 0)
			return fail(r, i, "unexpected NUL byte in string");
		if (c != '\\') {
			size_t k = utf8_decode(r->s + i, end - i, &cp);
			if (k == 0)
				return fail(r, i, "invalid UTF-8 in string");
			memcpy(buf + n, r->s + i, k);
			n += k;
			i += k;
			continue;
		}
		switch (r->s[i + 1]) {
		case '"':
		case '\\':
			buf[n++] = (char)r->s[i + 1];
			break;
		case 'n':
			buf[n++] = '\n';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'r':
			buf[n++] = '\r';
			break;
		case 'b':
			buf[n++] = '\b';
			break;
		case 'f':
			buf[n++] = '\f';
			break;
		case 'u':
			if (end - i < 6 || !hex4(r->s + i + 2, &cp))
				return fail(r, i, "invalid \\u escape in string");
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return fail(r, i, "unpaired surrogate \\u%.4s in string",
					    r->s + i + 2);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				/* a UTF-16 pair, as JSON-minded writers produce */
				if (end - i < 12 || r->s[i + 6] != '\\' || r->s[i + 7] != 'u' ||
				    !hex4(r->s + i + 8, &lo) || lo < 0xdc00 || lo > 0xdfff)
					return fail(r, i, "unpaired surrogate \\u%.4s in string",
						    r->s + i + 2);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			n += utf8_encode(cp, buf + n);
			i += 6;
			continue;
		default: {
			/* the first pass guarantees a character before end */
			char what[32];
			c = r->s[i + 1];
			if (c > 0x20 && c < 0x7f)
				return fail(r, i, "invalid escape '\\%c' in string", c);
			return fail(r, i, "invalid escape in string: %s after '\\'",
				    describe_char(r, i + 1, what, sizeof(what)));
		}
		}
		i += 2;
	}
	buf[n] = 0;
	r->i = end + 1;
	x = new_node(r, DH_EDN_STRING, start);
	x->s.p = buf;
	x->s.n = n;
	*out = x;
	return 0;
}

static const struct {
	const char *name;
	uint32_t ch;
} char_names[] = {
    {"newline", '\n'}, {"return", '\r'},   {"space", ' '},
    {"tab", '\t'},     {"formfeed", '\f'}, {"backspace", '\b'},
};

/* After the backslash the first character is taken whatever it is, so \( and
 * \" work; the rest of the token names the character. */
static int
read_char(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i, i = start + 1, end, n;
	const unsigned char *p = r->s + i;
	struct dh_edn *x;
	uint32_t c;
	size_t k;

	if (i >= r->len)
		return fail_eof(r);
	k = utf8_decode(p, r->len - i, &c);
	if (k == 0)
		return fail(r, i, "invalid UTF-8 in character literal");
	if (c < 0x21 || c == 0x7f)
		return fail_unexpected(r, i, " after '\\'");
	end = token_end(r, i + k);
	n = end - i;
	if (n == k)
		goto found;
	for (size_t j = 0; j < DH_ARRAY_SIZE(char_names); j++)
		if (strlen(char_names[j].name) == n && !memcmp(p, char_names[j].name, n)) {
			c = char_names[j].ch;
			goto found;
		}
	if (n == 5 && p[0] == 'u' && hex4(p + 1, &c)) {
		if (c >= 0xd800 && c <= 0xdfff)
			return fail(r, start, "invalid character literal '\\%.5s': a surrogate", p);
		goto found;
	}
	if (check_token_chars(r, i + k, end, "character literal"))
		return DH_EBADEDN;
	return fail(r, start, "invalid character literal '\\%.*s'", quote_len(p, n), p);
found:
	r->i = end;
	x = new_node(r, DH_EDN_CHAR, start);
	x->ch = c;
	*out = x;
	return 0;
}

/* --- collections --- */

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

/* Consistent with dh_edn_equal: INT and BIGINT hash their decimal text,
 * 0.0 and -0.0 hash alike, maps and sets add their members' hashes so order
 * does not matter. */
static uint64_t
hash_form(const struct dh_edn *x)
{
	uint64_t h = 1469598103934665603ull + (uint64_t)x->kind, sum = 0;
	char tmp[24];

	switch (x->kind) {
	case DH_EDN_NIL:
		return 1;
	case DH_EDN_BOOL:
		return 2 + (uint64_t)x->b;
	case DH_EDN_INT:
		return hash_bytes(3, tmp, (size_t)snprintf(tmp, sizeof(tmp), "%" PRId64, x->i));
	case DH_EDN_BIGINT:
		return hash_bytes(3, x->s.p, x->s.n);
	case DH_EDN_FLOAT:
		if (isnan(x->d))
			return 4;
		if (x->d == 0)
			return 5;
		return hash_bytes(h, &x->d, sizeof(x->d));
	case DH_EDN_CHAR:
		return mix(h, x->ch);
	case DH_EDN_BIGDEC:
	case DH_EDN_STRING:
	case DH_EDN_SYMBOL:
	case DH_EDN_KEYWORD:
		return hash_bytes(h, x->s.p, x->s.n);
	case DH_EDN_LIST:
	case DH_EDN_VECTOR:
		for (size_t i = 0; i < x->coll.n; i++)
			h = mix(h, hash_form(x->coll.items[i]));
		return h;
	case DH_EDN_MAP:
		for (size_t i = 0; i + 1 < x->coll.n; i += 2)
			sum += mix(hash_form(x->coll.items[i]), hash_form(x->coll.items[i + 1]));
		return mix(h, sum);
	case DH_EDN_SET:
		for (size_t i = 0; i < x->coll.n; i++)
			sum += hash_form(x->coll.items[i]);
		return mix(h, sum);
	case DH_EDN_TAGGED:
		return mix(hash_bytes(h, x->tagged.tag, strlen(x->tagged.tag)),
			   hash_form(x->tagged.val));
	}
	return h;
}

/* An open-addressing table over the members of a map (its keys) or a set,
 * so duplicate checks and order-insensitive equality stay linear: a hostile
 * set of a million elements must not cost a trillion comparisons.  Up to
 * SMALL_COLL members (the usual tx-data entity), pairwise is cheaper. */
#define SMALL_COLL 16

struct members {
	struct dh_edn *const *items;
	size_t stride, mask, *slot;
	uint64_t *hash;
};

static void
members_init(struct members *t, struct dh_arena *a, struct dh_edn *const *items, size_t m,
	     size_t stride)
{
	size_t size = 16;

	while (size < 2 * m)
		size *= 2;
	t->items = items;
	t->stride = stride;
	t->mask = size - 1;
	t->slot = dh_arena_alloc(a, size * sizeof(*t->slot));
	t->hash = dh_arena_alloc(a, m * sizeof(*t->hash));
	for (size_t i = 0; i < size; i++)
		t->slot[i] = SIZE_MAX;
}

/* The index of a member equal to k (whose hash is h), or SIZE_MAX; when
 * there is none and insert is not SIZE_MAX, member insert goes in. */
static size_t
members_find(struct members *t, const struct dh_edn *k, uint64_t h, size_t insert)
{
	size_t s;

	for (s = h & t->mask; t->slot[s] != SIZE_MAX; s = (s + 1) & t->mask)
		if (t->hash[t->slot[s]] == h && dh_edn_equal(t->items[t->slot[s] * t->stride], k))
			return t->slot[s];
	if (insert != SIZE_MAX) {
		t->slot[s] = insert;
		t->hash[insert] = h;
	}
	return SIZE_MAX;
}

/* Index of the first member equal to an earlier one, or n. */
static size_t
find_dup(struct dh_arena *a, struct dh_edn **items, size_t n, size_t stride)
{
	size_t m = n / stride;
	struct members t;

	if (m <= SMALL_COLL) {
		for (size_t i = 1; i < m; i++)
			for (size_t j = 0; j < i; j++)
				if (dh_edn_equal(items[i * stride], items[j * stride]))
					return i * stride;
		return n;
	}
	members_init(&t, a, items, m, stride);
	for (size_t i = 0; i < m; i++)
		if (members_find(&t, items[i * stride], hash_form(items[i * stride]), i) !=
		    SIZE_MAX)
			return i * stride;
	return n;
}

static int
fail_dup(struct reader *r, const struct dh_edn *x, const char *what, const char *where)
{
	struct dh_buf b;
	int rc, n;

	dh_buf_init(&b, 256);
	dh_edn_print(&b, x);
	n = quote_len(b.p, b.len);
	rc = fail(r, x->pos, "duplicate %s %.*s%s in %s", what, n, (char *)b.p,
		  (size_t)n < b.len || b.overflow ? "..." : "", where);
	dh_buf_release(&b);
	return rc;
}

/* r->i is just past the opening bracket; start is where the form began ('#'
 * for a set). */
static int
read_coll(struct reader *r, enum dh_edn_kind kind, unsigned char closer, size_t start,
	  struct dh_edn **out)
{
	struct dh_edn **items = NULL, *x;
	size_t n = 0, cap = 0, dup;
	int rc;

	if ((rc = enter(r, start)))
		return rc;
	for (;;) {
		struct dh_edn *item;
		if ((rc = skip_space(r, 1)))
			return rc;
		if (r->i >= r->len) {
			rc = fail(r, start, "unterminated %s", kind_name(kind));
			dh_err_detail(r->err, "expected '%c' before the end of input", closer);
			return rc;
		}
		unsigned char c = r->s[r->i];
		if (c == closer)
			break;
		if (c == ')' || c == ']' || c == '}') {
			rc = fail(r, r->i, "unexpected '%c'", c);
			dh_err_detail(r->err, "the %s at position %d is not closed",
				      kind_name(kind),
				      dh_edn_charpos((const char *)r->s, r->len, start));
			return rc;
		}
		if ((rc = read_next(r, &item)))
			return rc;
		if (n == cap) {
			/* arena growth: the old array is garbage until the arena
			 * goes, at most as large as the final one */
			struct dh_edn **bigger;
			cap = cap ? 2 * cap : 8;
			bigger = dh_arena_alloc(r->a, cap * sizeof(*bigger));
			if (n)
				memcpy(bigger, items, n * sizeof(*items));
			items = bigger;
		}
		items[n++] = item;
	}
	r->i++;
	r->depth--;
	if (kind == DH_EDN_MAP && n % 2)
		return fail(r, start, "map literal must contain an even number of forms");
	if (kind == DH_EDN_MAP && (dup = find_dup(r->a, items, n, 2)) < n)
		return fail_dup(r, items[dup], "key", "map");
	if (kind == DH_EDN_SET && (dup = find_dup(r->a, items, n, 1)) < n)
		return fail_dup(r, items[dup], "element", "set");
	x = new_node(r, kind, start);
	x->coll.items = items;
	x->coll.n = n;
	*out = x;
	return 0;
}

/* --- dispatch: #{ #_ ## #tag --- */

static int
read_dispatch(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i, end;
	const unsigned char *p;
	struct dh_edn *x, *val;
	int rc;

	if (start + 1 >= r->len)
		return fail_eof(r);
	p = r->s + start + 1;
	if (p[0] == '{') {
		r->i += 2;
		return read_coll(r, DH_EDN_SET, '}', start, out);
	}
	end = token_end(r, start + 1);
	if (p[0] == '#') {
		size_t n = end - start - 2;
		double d;
		if (n == 3 && !memcmp(p + 1, "NaN", 3))
			d = (double)NAN;
		else if (n == 3 && !memcmp(p + 1, "Inf", 3))
			d = (double)INFINITY;
		else if (n == 4 && !memcmp(p + 1, "-Inf", 4))
			d = -(double)INFINITY;
		else if (check_token_chars(r, start + 2, end, "symbolic value"))
			return DH_EBADEDN;
		else
			return fail(r, start, "invalid symbolic value '##%.*s'",
				    quote_len(p + 1, n), p + 1);
		r->i = end;
		x = new_node(r, DH_EDN_FLOAT, start);
		x->d = d;
		*out = x;
		return 0;
	}
	if (!is_alpha(p[0]))
		return fail_unexpected(r, start + 1, " after '#'");
	if ((rc = check_token_chars(r, start + 1, end, "tag")))
		return rc;
	if (!valid_symbol(p, end - start - 1, 0))
		return fail(r, start, "invalid tag '#%.*s'", quote_len(p, end - start - 1), p);
	r->i = end;
	if ((rc = enter(r, start)))
		return rc;
	if ((rc = skip_space(r, 1)))
		return rc;
	if (r->i >= r->len)
		return fail_eof(r);
	if ((rc = read_next(r, &val)))
		return rc;
	r->depth--;
	x = new_node(r, DH_EDN_TAGGED, start);
	x->tagged.tag = dh_arena_strndup(r->a, (const char *)p, end - start - 1);
	x->tagged.val = val;
	*out = x;
	return 0;
}

/* Read the form starting at r->i, which is not whitespace and not the end. */
static int
read_next(struct reader *r, struct dh_edn **out)
{
	size_t start = r->i;
	unsigned char c = r->s[start];

	switch (c) {
	case '(':
		r->i++;
		return read_coll(r, DH_EDN_LIST, ')', start, out);
	case '[':
		r->i++;
		return read_coll(r, DH_EDN_VECTOR, ']', start, out);
	case '{':
		r->i++;
		return read_coll(r, DH_EDN_MAP, '}', start, out);
	case '"':
		return read_string(r, out);
	case '\\':
		return read_char(r, out);
	case ':':
		return read_keyword(r, out);
	case '#':
		return read_dispatch(r, out);
	}
	if (is_digit(c) ||
	    ((c == '+' || c == '-') && start + 1 < r->len && is_digit(r->s[start + 1])))
		return read_number(r, out);
	if (is_sym_start(c))
		return read_symbol(r, out);
	return fail_unexpected(r, start, "");
}

/* --- entry points --- */

int
dh_edn_parse(struct dh_arena *a, const char *text, size_t len, struct dh_edn **out, size_t *used,
	     struct dh_err *err)
{
	struct reader r = {a, (const unsigned char *)text, len, 0, 0, err};
	int rc;

	*out = NULL;
	if ((rc = skip_space(&r, 1)))
		goto out;
	if (r.i < len) {
		if ((rc = read_next(&r, out)))
			goto out;
		/* not discards: an error in the next form belongs to the next call */
		skip_space(&r, 0);
	}
out:
	if (rc)
		*out = NULL;
	if (used)
		*used = r.i;
	return rc;
}

int
dh_edn_parse_all(struct dh_arena *a, const char *text, size_t len, struct dh_edn **out,
		 struct dh_err *err)
{
	struct reader r = {a, (const unsigned char *)text, len, 0, 0, err};
	struct dh_edn **items = NULL, *x;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	for (;;) {
		struct dh_edn *item;
		if ((rc = skip_space(&r, 1)))
			return rc;
		if (r.i >= len)
			break;
		if ((rc = read_next(&r, &item)))
			return rc;
		if (n == cap) {
			struct dh_edn **bigger;
			cap = cap ? 2 * cap : 8;
			bigger = dh_arena_alloc(a, cap * sizeof(*bigger));
			if (n)
				memcpy(bigger, items, n * sizeof(*items));
			items = bigger;
		}
		items[n++] = item;
	}
	x = new_node(&r, DH_EDN_VECTOR, 0);
	x->coll.items = items;
	x->coll.n = n;
	*out = x;
	return 0;
}

/* A scanner, not a parser: it only tracks bracket depth, strings, comments
 * and character literals, which is all a REPL needs to decide whether to
 * prompt for another line. */
int
dh_edn_complete(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t depth = 0;

	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '"':
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= len)
				return 0;
			break;
		case ';':
			while (i < len && s[i] != '\n')
				i++;
			break;
		case '\\':
			i++; /* \( \" \; are characters, not syntax */
			break;
		case '(':
		case '[':
		case '{':
			depth++;
			break;
		case ')':
		case ']':
		case '}':
			if (depth == 0)
				return 1; /* unmatched: let the parser say so */
			depth--;
			break;
		}
	}
	return depth == 0;
}

/* --- printer --- */

static void
print_double(struct dh_buf *b, double d)
{
	char tmp[40];

	if (isnan(d)) {
		dh_buf_adds(b, "##NaN");
		return;
	}
	if (isinf(d)) {
		dh_buf_adds(b, d > 0 ? "##Inf" : "##-Inf");
		return;
	}
	/* the shortest of these that reads back as the same double */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	dh_buf_adds(b, tmp);
	if (!strpbrk(tmp, ".e"))
		dh_buf_adds(b, ".0");
}

static void
print_char(struct dh_buf *b, uint32_t c)
{
	char tmp[4];

	for (size_t j = 0; j < DH_ARRAY_SIZE(char_names); j++)
		if (char_names[j].ch == c) {
			dh_buf_printf(b, "\\%s", char_names[j].name);
			return;
		}
	if (c > 0x20 && c < 0x7f) {
		dh_buf_printf(b, "\\%c", (int)c);
	} else if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
		/* not a character (a hand-built node): print one that reads */
		dh_buf_adds(b, "\\ufffd");
	} else if (c < 0x10000) {
		dh_buf_printf(b, "\\u%04" PRIx32, c);
	} else {
		/* no \u form beyond the BMP: the character itself */
		dh_buf_addc(b, '\\');
		dh_buf_add(b, tmp, utf8_encode(c, tmp));
	}
}

static void
print_string(struct dh_buf *b, const char *p, size_t n)
{
	size_t run = 0;

	dh_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *esc = NULL;
		char tmp[8];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\t')
			esc = "\\t";
		else if (c == '\r')
			esc = "\\r";
		else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			esc = tmp;
		}
		if (!esc)
			continue;
		dh_buf_add(b, p + run, i - run);
		dh_buf_adds(b, esc);
		run = i + 1;
	}
	dh_buf_add(b, p + run, n - run);
	dh_buf_addc(b, '"');
}

static void
print_form(struct dh_buf *b, const struct dh_edn *x)
{
	const char *open = "", *close = "";

	if (b->overflow)
		return;
	if (!x) {
		dh_buf_adds(b, "nil");
		return;
	}
	switch (x->kind) {
	case DH_EDN_NIL:
		dh_buf_adds(b, "nil");
		return;
	case DH_EDN_BOOL:
		dh_buf_adds(b, x->b ? "true" : "false");
		return;
	case DH_EDN_INT:
		dh_buf_printf(b, "%" PRId64, x->i);
		return;
	case DH_EDN_BIGINT:
		dh_buf_add(b, x->s.p, x->s.n);
		dh_buf_addc(b, 'N');
		return;
	case DH_EDN_FLOAT:
		print_double(b, x->d);
		return;
	case DH_EDN_BIGDEC:
		dh_buf_add(b, x->s.p, x->s.n);
		dh_buf_addc(b, 'M');
		return;
	case DH_EDN_CHAR:
		print_char(b, x->ch);
		return;
	case DH_EDN_STRING:
		print_string(b, x->s.p, x->s.n);
		return;
	case DH_EDN_KEYWORD:
		dh_buf_addc(b, ':');
		dh_buf_add(b, x->s.p, x->s.n);
		return;
	case DH_EDN_SYMBOL:
		dh_buf_add(b, x->s.p, x->s.n);
		return;
	case DH_EDN_TAGGED:
		dh_buf_printf(b, "#%s ", x->tagged.tag);
		print_form(b, x->tagged.val);
		return;
	case DH_EDN_LIST:
		open = "(";
		close = ")";
		break;
	case DH_EDN_VECTOR:
		open = "[";
		close = "]";
		break;
	case DH_EDN_MAP:
		open = "{";
		close = "}";
		break;
	case DH_EDN_SET:
		open = "#{";
		close = "}";
		break;
	}
	dh_buf_adds(b, open);
	for (size_t i = 0; i < x->coll.n && !b->overflow; i++) {
		if (i > 0)
			dh_buf_adds(b, x->kind == DH_EDN_MAP && i % 2 == 0 ? ", " : " ");
		print_form(b, x->coll.items[i]);
	}
	dh_buf_adds(b, close);
}

int
dh_edn_print(struct dh_buf *b, const struct dh_edn *x)
{
	print_form(b, x);
	return b->overflow ? DH_ETOOLONG : 0;
}

/* --- equality and helpers --- */

static int
same_text(const struct dh_edn *x, const struct dh_edn *y)
{
	return x->s.n == y->s.n && !memcmp(x->s.p, y->s.p, x->s.n);
}

/* BIGINT text is canonical, so an INT equals a BIGINT exactly when their
 * decimal texts match (1 and 1N are the same number). */
static int
int_equals_big(int64_t i, const struct dh_edn *big)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, i);
	return (size_t)n == big->s.n && !memcmp(tmp, big->s.p, big->s.n);
}

/* Maps and sets of the same kind and size: members are unique (the reader
 * checks), so every member of x being in y means equal. */
static int
equal_unordered(const struct dh_edn *x, const struct dh_edn *y)
{
	size_t stride = x->kind == DH_EDN_MAP ? 2 : 1, m = x->coll.n / stride;
	struct dh_edn *const *xi = x->coll.items, *const *yi = y->coll.items;
	struct dh_arena a;
	struct members t;
	int eq = 1;

	if (m <= SMALL_COLL) {
		for (size_t i = 0; i < m && eq; i++) {
			size_t j = 0;
			while (j < m && !dh_edn_equal(xi[i * stride], yi[j * stride]))
				j++;
			eq = j < m &&
			     (stride == 1 || dh_edn_equal(xi[i * stride + 1], yi[j * stride + 1]));
		}
		return eq;
	}
	dh_arena_init(&a);
	members_init(&t, &a, yi, m, stride);
	for (size_t j = 0; j < m; j++)
		members_find(&t, yi[j * stride], hash_form(yi[j * stride]), j);
	for (size_t i = 0; i < m && eq; i++) {
		size_t j = members_find(&t, xi[i * stride], hash_form(xi[i * stride]), SIZE_MAX);
		eq = j != SIZE_MAX &&
		     (stride == 1 || dh_edn_equal(xi[i * stride + 1], yi[j * stride + 1]));
	}
	dh_arena_release(&a);
	return eq;
}

int
dh_edn_equal(const struct dh_edn *x, const struct dh_edn *y)
{
	if (!x || !y)
		return x == y;
	if (x->kind == DH_EDN_INT && y->kind == DH_EDN_BIGINT)
		return int_equals_big(x->i, y);
	if (x->kind == DH_EDN_BIGINT && y->kind == DH_EDN_INT)
		return int_equals_big(y->i, x);
	if (x->kind != y->kind)
		return 0;
	switch (x->kind) {
	case DH_EDN_NIL:
		return 1;
	case DH_EDN_BOOL:
		return !x->b == !y->b;
	case DH_EDN_INT:
		return x->i == y->i;
	case DH_EDN_FLOAT:
		/* NaN equals itself here, or a printed NaN would never read back
		 * equal */
		return x->d == y->d || (isnan(x->d) && isnan(y->d));
	case DH_EDN_CHAR:
		return x->ch == y->ch;
	case DH_EDN_BIGINT:
	case DH_EDN_BIGDEC:
	case DH_EDN_STRING:
	case DH_EDN_SYMBOL:
	case DH_EDN_KEYWORD:
		return same_text(x, y);
	case DH_EDN_TAGGED:
		return !strcmp(x->tagged.tag, y->tagged.tag) &&
		       dh_edn_equal(x->tagged.val, y->tagged.val);
	case DH_EDN_LIST:
	case DH_EDN_VECTOR:
		if (x->coll.n != y->coll.n)
			return 0;
		for (size_t i = 0; i < x->coll.n; i++)
			if (!dh_edn_equal(x->coll.items[i], y->coll.items[i]))
				return 0;
		return 1;
	case DH_EDN_MAP:
	case DH_EDN_SET:
		return x->coll.n == y->coll.n && equal_unordered(x, y);
	}
	return 0;
}

int
dh_edn_is_keyword(const struct dh_edn *x, const char *kw)
{
	return x && x->kind == DH_EDN_KEYWORD && strlen(kw) == x->s.n &&
	       !memcmp(x->s.p, kw, x->s.n);
}

int
dh_edn_is_symbol(const struct dh_edn *x, const char *sym)
{
	return x && x->kind == DH_EDN_SYMBOL && strlen(sym) == x->s.n &&
	       !memcmp(x->s.p, sym, x->s.n);
}

const struct dh_edn *
dh_edn_map_get(const struct dh_edn *m, const char *kw)
{
	if (!m || m->kind != DH_EDN_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->coll.n; i += 2)
		if (dh_edn_is_keyword(m->coll.items[i], kw))
			return m->coll.items[i + 1];
	return NULL;
}
