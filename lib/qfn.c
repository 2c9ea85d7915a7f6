/*
 * qfn: the built-in predicates, functions and aggregates of the Datalog
 * engine (see query-int.h for the calling side).
 *
 * Semantics follow Clojure as DataScript and Datomic expose it: = is
 * Clojure's = ((= 1 1.0) is false, (= 1.5M 1.50M) true, vectors equal lists
 * with the same items), == compares numbers across types, < and friends
 * compare any two values of one type (numbers across types), false and nil
 * are the only falsy values.  Numbers are long (overflow is an error, never
 * a silent wrap), double, and bigdec (exact + - * /).  There are no ratios:
 * (/ 3 2) is 1.5, (/ 4 2) is 2.  Regexes are POSIX extended syntax and are
 * plain strings (EDN has no regex literal): (re-pattern s) only checks s.
 *
 * Everything a function returns lives in the caller's arena (c->a).
 */
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "datom.h"
#include "edn.h"
#include "index.h"
#include "query-int.h"
#include "schema.h"
#include "util.h"

/* --- errors and small value helpers --- */

static void
set_pos(struct qfn_ctx *c)
{
	if (c->err && c->form && c->q && c->q->text)
		c->err->position = dh_edn_charpos(c->q->text, c->q->len, c->form->pos);
}

static int DH_PRINTF(3, 4)
fn_err(struct qfn_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dh_err_vset(c->err, code, fmt, ap);
	va_end(ap);
	set_pos(c);
	return code;
}

static const char *
tname(const struct dh_value *v)
{
	static const char *const kinds[] = {"vector", "list", "set", "map"};
	if (v->type == DH_T_NONE)
		return "nil";
	if (v->type == DH_T_COLL)
		return (unsigned)v->coll->kind < 4 ? kinds[v->coll->kind] : "collection";
	return dh_type_name(v->type);
}

static struct dh_value
v_bool(int b)
{
	struct dh_value v = {.type = DH_T_BOOL};
	v.b = !!b;
	return v;
}

static struct dh_value
v_long(int64_t i)
{
	struct dh_value v = {.type = DH_T_LONG};
	v.i = i;
	return v;
}

static struct dh_value
v_double(double d)
{
	struct dh_value v = {.type = DH_T_DOUBLE};
	v.d = d;
	return v;
}

static struct dh_value
v_nil(void)
{
	struct dh_value v = {.type = DH_T_NONE};
	return v;
}

static struct dh_value
v_str(struct dh_arena *a, enum dh_type t, const char *p, size_t n)
{
	struct dh_value v = {.type = t};
	v.s.p = dh_arena_strndup(a, p, n);
	v.s.n = n;
	return v;
}

static struct dh_value
v_coll(struct dh_arena *a, enum dh_coll_kind kind, const struct dh_value *items, size_t n)
{
	struct dh_coll *co = dh_arena_alloc(a, sizeof(*co));
	co->kind = kind;
	co->n = n;
	co->items = n ? dh_arena_memdup(a, items, n * sizeof(*items)) : NULL;
	struct dh_value v = {.type = DH_T_COLL};
	v.coll = co;
	return v;
}

/* Move a built text into the arena as a value; the buffer is released. */
static int
buf_value(struct qfn_ctx *c, const char *fname, struct dh_buf *b, enum dh_type t,
	  struct dh_value *out)
{
	if (b->overflow) {
		dh_buf_release(b);
		return fn_err(c, DH_ETOOLONG, "function %s: result is longer than %zu bytes", fname,
			      DH_VALUE_MAX_BYTES);
	}
	*out = v_str(c->a, t, b->len ? (const char *)b->p : "", b->len);
	dh_buf_release(b);
	return 0;
}

/* --- UTF-8 --- */

/* The code point at p[*i] (advancing *i), or -1 for a byte that does not
 * start a valid sequence (it then counts as one character, as in
 * dh_edn_charpos). */
static int32_t
utf8_next(const unsigned char *p, size_t n, size_t *i)
{
	unsigned char b = p[*i];
	int len;
	uint32_t cp;
	if (b < 0x80) {
		(*i)++;
		return b;
	} else if (b >= 0xc2 && b < 0xe0) {
		len = 2;
		cp = b & 0x1f;
	} else if (b >= 0xe0 && b < 0xf0) {
		len = 3;
		cp = b & 0x0f;
	} else if (b >= 0xf0 && b < 0xf5) {
		len = 4;
		cp = b & 0x07;
	} else {
		(*i)++;
		return -1;
	}
	if (*i + (size_t)len > n) {
		(*i)++;
		return -1;
	}
	for (int k = 1; k < len; k++) {
		if ((p[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = cp << 6 | (p[*i + k] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
		(*i)++;
		return -1;
	}
	*i += (size_t)len;
	return (int32_t)cp;
}

static size_t
utf8_count(const char *s, size_t n)
{
	size_t i = 0, k = 0;
	while (i < n) {
		utf8_next((const unsigned char *)s, n, &i);
		k++;
	}
	return k;
}

/* Byte offset of code point k (k <= count). */
static size_t
utf8_offset(const char *s, size_t n, size_t k)
{
	size_t i = 0;
	while (k-- && i < n)
		utf8_next((const unsigned char *)s, n, &i);
	return i;
}

static void
utf8_put(struct dh_buf *b, uint32_t cp)
{
	unsigned char t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (unsigned char)(0xc0 | cp >> 6);
		t[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (unsigned char)(0xe0 | cp >> 12);
		t[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		t[0] = (unsigned char)(0xf0 | cp >> 18);
		t[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		t[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		t[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	dh_buf_add(b, t, n);
}

/* Java's Character.isWhitespace, which Clojure's trim and blank? use. */
static int
is_space_cp(int32_t c)
{
	return (c >= 9 && c <= 13) || (c >= 28 && c <= 32) || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a && c != 0x2007) || c == 0x2028 || c == 0x2029 ||
	       c == 0x205f || c == 0x3000;
}

/* Case mapping for ASCII, Latin-1, Latin Extended-A, basic Greek and
 * Cyrillic; other code points map to themselves (no locale, no special
 * casing such as German sharp s). */
static int32_t
cp_lower(int32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	if (((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	     (c >= 0x14a && c <= 0x177)) && !(c & 1))
		return c + 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && (c & 1))
		return c + 1;
	if (c == 0x178)
		return 0xff;
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 0x20;
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	return c;
}

static int32_t
cp_upper(int32_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z' ? c - 32 : c;
	if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
		return c - 0x20;
	if (c == 0xff)
		return 0x178;
	if (((c >= 0x101 && c <= 0x12f) || (c >= 0x133 && c <= 0x137) ||
	     (c >= 0x14b && c <= 0x177)) && (c & 1))
		return c - 1;
	if (((c >= 0x13a && c <= 0x148) || (c >= 0x17a && c <= 0x17e)) && !(c & 1))
		return c - 1;
	if (c == 0x3c2)
		return 0x3a3;
	if (c >= 0x3b1 && c <= 0x3c9)
		return c - 0x20;
	if (c >= 0x430 && c <= 0x44f)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	return c;
}

/* --- numbers --- */

/* libdh does not link libm (configure has no -lm), so the three libm
 * functions needed here are written out: trunc, and a correctly rounded
 * sqrt; fmod is not needed, Clojure's rem on doubles being n - d*trunc(n/d). */
static double
q_trunc(double d)
{
	if (!(d < 4503599627370496.0 && d > -4503599627370496.0))
		return d; /* already integral, or NaN */
	return (double)(int64_t)d;
}

/* floor(sqrt(n)) by the binary digit method; *rem = n - root^2. */
static uint64_t
isqrt128(unsigned __int128 n, unsigned __int128 *rem)
{
	unsigned __int128 res = 0, one = (unsigned __int128)1 << 126;
	while (one > n)
		one >>= 2;
	while (one) {
		if (n >= res + one) {
			n -= res + one;
			res = (res >> 1) + one;
		} else
			res >>= 1;
		one >>= 2;
	}
	*rem = n;
	return (uint64_t)res;
}

/* sqrt rounded to nearest even, from the integer square root of the
 * significand scaled to 57-58 bits (the remainder is the sticky bit). */
static double
q_sqrt(double x)
{
	if (isnan(x) || x < 0)
		return NAN;
	if (x == 0 || isinf(x))
		return x;
	uint64_t bits, m;
	memcpy(&bits, &x, sizeof(bits));
	int e = (int)((bits >> 52) & 0x7ff);
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (e == 0) {
		e = 1;
		while (!(m & (UINT64_C(1) << 52))) {
			m <<= 1;
			e--;
		}
	} else
		m |= UINT64_C(1) << 52;
	int ex = e - 1075; /* x = m * 2^ex */
	if (ex & 1) {
		m <<= 1;
		ex--;
	}
	unsigned __int128 rem;
	uint64_t r = isqrt128((unsigned __int128)m << 62, &rem);
	ex -= 62;
	int nb = 64 - __builtin_clzll(r), s = nb - 53;
	uint64_t keep = r >> s, dropped = r & ((UINT64_C(1) << s) - 1), half = UINT64_C(1) << (s - 1);
	if (dropped > half || (dropped == half && (rem != 0 || (keep & 1))))
		keep++;
	int p = s + ex / 2;
	uint64_t pb = (uint64_t)(p + 1023) << 52;
	double scale;
	memcpy(&scale, &pb, sizeof(scale));
	return (double)keep * scale;
}

enum { NC_NONE, NC_LONG, NC_BIGDEC, NC_DOUBLE };

static int
numcat(const struct dh_value *v)
{
	switch (v->type) {
	case DH_T_LONG:
		return NC_LONG;
	case DH_T_BIGDEC:
		return NC_BIGDEC;
	case DH_T_DOUBLE:
		return NC_DOUBLE;
	default:
		return NC_NONE;
	}
}

static double
bigdec_double(const struct dh_value *v)
{
	char t[DH_BIGDEC_MAX_DIGITS + 8];
	size_t n = v->s.n < sizeof(t) - 1 ? v->s.n : sizeof(t) - 1;
	memcpy(t, v->s.p, n);
	t[n] = 0;
	return strtod(t, NULL);
}

static double
to_double(const struct dh_value *v)
{
	switch (v->type) {
	case DH_T_LONG:
		return (double)v->i;
	case DH_T_DOUBLE:
		return v->d;
	case DH_T_BIGDEC:
		return bigdec_double(v);
	default:
		return NAN;
	}
}

static int
cmp_double(double a, double b)
{
	/* PostgreSQL's float order, as dh_value_cmp: NaN after +Inf */
	if (isnan(a))
		return isnan(b) ? 0 : 1;
	if (isnan(b))
		return -1;
	return a < b ? -1 : a > b;
}

/* Exact comparison of a long with a double. */
static int
cmp_long_double(int64_t l, double d)
{
	if (isnan(d))
		return -1;
	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	double t = q_trunc(d);
	int64_t ti = (int64_t)t;
	if (l != ti)
		return l < ti ? -1 : 1;
	return d > t ? -1 : d < t ? 1 : 0;
}

static int
bigdec_sign(const struct dh_value *v)
{
	int neg = v->s.n && v->s.p[0] == '-';
	for (size_t i = 0; i < v->s.n; i++)
		if (v->s.p[i] >= '1' && v->s.p[i] <= '9')
			return neg ? -1 : 1;
	return 0;
}

/* Exact decimal text of a number: glibc and musl print doubles exactly
 * ("%.1074f" reaches the smallest subnormal).  Returns 0, or for a double
 * that has no decimal text its rank: -2 -Inf, 2 +Inf, 3 NaN. */
#define DEC_TEXT_MAX 1500
static int
num_text(const struct dh_value *v, char *buf, const char **p, size_t *n)
{
	if (v->type == DH_T_BIGDEC) {
		*p = v->s.p;
		*n = v->s.n;
		return 0;
	}
	if (v->type == DH_T_DOUBLE) {
		if (isnan(v->d))
			return 3;
		if (isinf(v->d))
			return v->d > 0 ? 2 : -2;
		*n = (size_t)snprintf(buf, DEC_TEXT_MAX, "%.1074f", v->d);
	} else
		*n = (size_t)snprintf(buf, DEC_TEXT_MAX, "%lld", (long long)v->i);
	*p = buf;
	return 0;
}

/* Numeric order of two decimal texts -?digits(.digits)?, of any length. */
static int
dec_text_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *ip[2], *fp[2];
	size_t in[2], fn[2];
	int neg[2], zero[2];
	const char *s[2] = {a, b};
	size_t sn[2] = {an, bn};
	for (int k = 0; k < 2; k++) {
		const char *t = s[k], *end = s[k] + sn[k];
		neg[k] = t < end && *t == '-';
		t += neg[k];
		while (t < end - 1 && *t == '0' && t[1] != '.')
			t++;
		ip[k] = t;
		while (t < end && *t != '.')
			t++;
		in[k] = (size_t)(t - ip[k]);
		if (in[k] == 1 && ip[k][0] == '0')
			in[k] = 0;
		fp[k] = t < end ? t + 1 : end;
		fn[k] = (size_t)(end - fp[k]);
		while (fn[k] && fp[k][fn[k] - 1] == '0')
			fn[k]--;
		zero[k] = !in[k] && !fn[k];
		if (zero[k])
			neg[k] = 0;
	}
	if (neg[0] != neg[1])
		return neg[0] ? -1 : 1;
	int sign = neg[0] ? -1 : 1, c;
	if (in[0] != in[1])
		return in[0] < in[1] ? -sign : sign;
	if (in[0] && (c = memcmp(ip[0], ip[1], in[0])))
		return c < 0 ? -sign : sign;
	size_t m = fn[0] < fn[1] ? fn[0] : fn[1];
	if (m && (c = memcmp(fp[0], fp[1], m)))
		return c < 0 ? -sign : sign;
	if (fn[0] != fn[1])
		return fn[0] < fn[1] ? -sign : sign;
	return 0;
}

/* Numeric comparison of two numbers (numcat != NC_NONE). */
static int
num_cmp(const struct dh_value *x, const struct dh_value *y)
{
	int cx = numcat(x), cy = numcat(y);
	if (cx == NC_LONG && cy == NC_LONG)
		return x->i < y->i ? -1 : x->i > y->i;
	if (cx == NC_LONG && cy == NC_DOUBLE)
		return cmp_long_double(x->i, y->d);
	if (cx == NC_DOUBLE && cy == NC_LONG)
		return -cmp_long_double(y->i, x->d);
	if (cx == NC_DOUBLE && cy == NC_DOUBLE)
		return cmp_double(x->d, y->d);
	/* bigdec against bigdec, long or double: exactly (Clojure would round
	 * the bigdec to a double), so that the order stays transitive */
	char t1[DEC_TEXT_MAX], t2[DEC_TEXT_MAX];
	const char *p1, *p2;
	size_t n1, n2;
	int r1 = num_text(x, t1, &p1, &n1), r2 = num_text(y, t2, &p2, &n2);
	if (r1 || r2) /* a NaN or an infinity */
		return r1 == r2 ? 0 : r1 < r2 ? -1 : 1;
	return dec_text_cmp(p1, n1, p2, n2);
}

static int
num_is_zero(const struct dh_value *v)
{
	switch (numcat(v)) {
	case NC_LONG:
		return v->i == 0;
	case NC_DOUBLE:
		return v->d == 0;
	case NC_BIGDEC:
		return bigdec_sign(v) == 0;
	default:
		return 0;
	}
}

/* Exact decimals: digits d[0..n) (0-9, most significant first) scaled by
 * 10^-scale, as Java's BigDecimal does it (+ - keep the larger scale, *
 * adds them, / prefers the difference). */
struct dec {
	int neg;
	size_t scale, n;
	unsigned char *d;
};

static void
dec_from(struct dh_arena *a, const struct dh_value *v, struct dec *x)
{
	char t[24];
	const char *p;
	size_t n;
	if (v->type == DH_T_LONG) {
		uint64_t u = v->i < 0 ? (uint64_t)0 - (uint64_t)v->i : (uint64_t)v->i;
		n = (size_t)snprintf(t, sizeof(t), "%llu", (unsigned long long)u);
		p = t;
		x->neg = v->i < 0;
	} else {
		p = v->s.p;
		n = v->s.n;
		x->neg = n && p[0] == '-';
	}
	x->d = dh_arena_alloc(a, n + 1);
	x->n = 0;
	x->scale = 0;
	int frac = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '.')
			frac = 1;
		else if (p[i] >= '0' && p[i] <= '9') {
			x->d[x->n++] = (unsigned char)(p[i] - '0');
			x->scale += (size_t)frac;
		}
	}
	if (!x->n)
		x->d[x->n++] = 0;
}

static int
dec_value(struct qfn_ctx *c, const char *fname, const struct dec *x, struct dh_value *out)
{
	size_t n = x->n, s = x->scale, lead = 0;
	while (n - lead > s && lead < n && x->d[lead] == 0)
		lead++;
	size_t intn = n - lead > s ? n - lead - s : 1;
	if (intn + s > DH_BIGDEC_MAX_DIGITS)
		return fn_err(c, DH_ENUMRANGE, "function %s: bigdec result has more than %d digits",
			      fname, DH_BIGDEC_MAX_DIGITS);
	int nonzero = 0;
	for (size_t i = lead; i < n; i++)
		nonzero |= x->d[i];
	char *t = dh_arena_alloc(c->a, intn + s + 3), *q = t;
	if (x->neg && nonzero)
		*q++ = '-';
	if (n - lead > s)
		for (size_t i = lead; i < n - s; i++)
			*q++ = (char)('0' + x->d[i]);
	else
		*q++ = '0';
	if (s) {
		*q++ = '.';
		for (size_t k = s; k > 0; k--) {
			/* fraction digit at place 10^-(s-k+1): index n-k, or 0 if before d */
			*q++ = (char)('0' + (k <= n ? x->d[n - k] : 0));
		}
	}
	*q = 0;
	out->type = DH_T_BIGDEC;
	out->s.p = t;
	out->s.n = (size_t)(q - t);
	return 0;
}

static void
dec_rescale(struct dh_arena *a, struct dec *x, size_t scale)
{
	if (x->scale >= scale)
		return;
	size_t add = scale - x->scale;
	unsigned char *d = dh_arena_alloc(a, x->n + add);
	memcpy(d, x->d, x->n);
	memset(d + x->n, 0, add);
	x->d = d;
	x->n += add;
	x->scale = scale;
}

static int
mag_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	while (an && *a == 0)
		a++, an--;
	while (bn && *b == 0)
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	int c = an ? memcmp(a, b, an) : 0;
	return c < 0 ? -1 : c > 0;
}

/* r[0..rn) -= b[0..bn), both right-aligned; r >= b. */
static void
mag_sub(unsigned char *r, size_t rn, const unsigned char *b, size_t bn)
{
	int borrow = 0;
	for (size_t k = 0; k < rn; k++) {
		int v = r[rn - 1 - k] - borrow - (k < bn ? b[bn - 1 - k] : 0);
		borrow = v < 0;
		r[rn - 1 - k] = (unsigned char)(v + (borrow ? 10 : 0));
	}
}

static void
dec_add(struct dh_arena *a, struct dec x, struct dec y, int sub, struct dec *out)
{
	size_t s = x.scale > y.scale ? x.scale : y.scale;
	dec_rescale(a, &x, s);
	dec_rescale(a, &y, s);
	int yneg = y.neg ^ sub;
	size_t m = (x.n > y.n ? x.n : y.n) + 1;
	unsigned char *r = dh_arena_zalloc(a, m);
	out->scale = s;
	out->n = m;
	out->d = r;
	if (x.neg == yneg) {
		int carry = 0;
		for (size_t k = 0; k < m; k++) {
			int v = carry + (k < x.n ? x.d[x.n - 1 - k] : 0) + (k < y.n ? y.d[y.n - 1 - k] : 0);
			carry = v >= 10;
			r[m - 1 - k] = (unsigned char)(v % 10);
		}
		out->neg = x.neg;
	} else {
		const struct dec *big = &x, *small = &y;
		out->neg = x.neg;
		if (mag_cmp(x.d, x.n, y.d, y.n) < 0) {
			big = &y;
			small = &x;
			out->neg = yneg;
		}
		memcpy(r + m - big->n, big->d, big->n);
		mag_sub(r, m, small->d, small->n);
	}
}

static void
dec_mul(struct dh_arena *a, const struct dec *x, const struct dec *y, struct dec *out)
{
	size_t m = x->n + y->n;
	uint32_t *acc = xcalloc(m, sizeof(*acc));
	for (size_t i = 0; i < x->n; i++)
		for (size_t j = 0; j < y->n; j++)
			acc[i + j + 1] += (uint32_t)x->d[i] * y->d[j];
	/* at most 400*81 per column before carrying: no overflow */
	unsigned char *r = dh_arena_alloc(a, m);
	uint32_t carry = 0;
	for (size_t k = m; k-- > 0;) {
		uint32_t v = acc[k] + carry;
		r[k] = (unsigned char)(v % 10);
		carry = v / 10;
	}
	free(acc);
	out->neg = x->neg ^ y->neg;
	out->scale = x->scale + y->scale;
	out->n = m;
	out->d = r;
}

/* Exact quotient, with the smallest scale >= max(x.scale - y.scale, 0) that
 * holds it; DH_ENUMRANGE when the expansion does not terminate within the
 * digit limit (Java: "Non-terminating decimal expansion"). */
static int
dec_div(struct qfn_ctx *c, const char *fname, const struct dec *x, const struct dec *y,
	struct dec *out)
{
	size_t k0 = y->scale > x->scale ? y->scale - x->scale : 0;
	size_t maxq = x->n + k0 + DH_BIGDEC_MAX_DIGITS + 2;
	unsigned char *q = dh_arena_alloc(c->a, maxq);
	unsigned char *r = xcalloc(y->n + 1, 1);
	size_t rn = y->n + 1, qn = 0, k = 0;
	int rc = 0;
	for (;;) {
		int digit;
		if (qn < x->n)
			digit = x->d[qn];
		else if (k < k0 || mag_cmp(r, rn, NULL, 0) != 0) {
			if (qn >= maxq) {
				rc = fn_err(c, DH_ENUMRANGE,
					    "function %s: non-terminating decimal expansion", fname);
				goto out;
			}
			digit = 0;
			k++;
		} else
			break;
		memmove(r, r + 1, rn - 1);
		r[rn - 1] = (unsigned char)digit;
		int qd = 0;
		while (mag_cmp(r, rn, y->d, y->n) >= 0) {
			mag_sub(r, rn, y->d, y->n);
			qd++;
		}
		q[qn++] = (unsigned char)qd;
	}
	out->neg = x->neg ^ y->neg;
	out->scale = k + x->scale - y->scale; /* >= 0: k >= k0 */
	out->n = qn;
	out->d = q;
out:
	free(r);
	return rc;
}

enum aop { OP_ADD, OP_SUB, OP_MUL, OP_DIV };
static const char *const aop_verb[] = {"add", "subtract", "multiply", "divide"};

static int
not_number(struct qfn_ctx *c, const char *fname, const struct dh_value *v)
{
	return fn_err(c, DH_EDATATYPE, "function %s expects numbers, got %s", fname, tname(v));
}

static int
long_overflow(struct qfn_ctx *c, const char *fname)
{
	return fn_err(c, DH_ENUMRANGE, "function %s: long out of range", fname);
}

/* x op y with Clojure's contagion: any double makes a double, else any
 * bigdec a bigdec, else long (overflow is an error). */
static int
arith2(struct qfn_ctx *c, const char *fname, enum aop op, const struct dh_value *x,
       const struct dh_value *y, struct dh_value *out)
{
	int cx = numcat(x), cy = numcat(y);
	if (!cx || !cy) {
		if (cx || cy)
			return fn_err(c, DH_EDATATYPE, "function %s cannot %s %s and %s", fname,
				      aop_verb[op], tname(x), tname(y));
		return not_number(c, fname, cx ? y : x);
	}
	if (op == OP_DIV && cy != NC_DOUBLE && num_is_zero(y))
		return fn_err(c, DH_EDIVZERO, "function %s: division by zero", fname);
	if (cx == NC_DOUBLE || cy == NC_DOUBLE) {
		double a = to_double(x), b = to_double(y);
		*out = v_double(op == OP_ADD ? a + b : op == OP_SUB ? a - b : op == OP_MUL ? a * b : a / b);
		return 0;
	}
	if (cx == NC_LONG && cy == NC_LONG) {
		int64_t a = x->i, b = y->i, r = 0;
		int ovf = 0;
		switch (op) {
		case OP_ADD:
			ovf = __builtin_add_overflow(a, b, &r);
			break;
		case OP_SUB:
			ovf = __builtin_sub_overflow(a, b, &r);
			break;
		case OP_MUL:
			ovf = __builtin_mul_overflow(a, b, &r);
			break;
		case OP_DIV:
			if (a == INT64_MIN && b == -1)
				ovf = 1;
			else if (a % b == 0)
				r = a / b;
			else {
				*out = v_double((double)a / (double)b);
				return 0;
			}
			break;
		}
		if (ovf)
			return long_overflow(c, fname);
		*out = v_long(r);
		return 0;
	}
	struct dec a, b, r = {0};
	dec_from(c->a, x, &a);
	dec_from(c->a, y, &b);
	if (op == OP_ADD || op == OP_SUB)
		dec_add(c->a, a, b, op == OP_SUB, &r);
	else if (op == OP_MUL)
		dec_mul(c->a, &a, &b, &r);
	else {
		int rc = dec_div(c, fname, &a, &b, &r);
		if (rc)
			return rc;
	}
	return dec_value(c, fname, &r, out);
}

static int
arith_fold(struct qfn_ctx *c, const char *fname, enum aop op, int nargs,
	   const struct dh_value *args, struct dh_value *out)
{
	struct dh_value acc;
	int i = 0, rc;
	if (nargs == 0) {
		*out = v_long(op == OP_MUL ? 1 : 0);
		return 0;
	}
	if (nargs == 1 && (op == OP_SUB || op == OP_DIV)) {
		struct dh_value id = v_long(op == OP_SUB ? 0 : 1);
		return arith2(c, fname, op, &id, &args[0], out);
	}
	acc = args[i++];
	if (!numcat(&acc))
		return not_number(c, fname, &acc);
	for (; i < nargs; i++)
		if ((rc = arith2(c, fname, op, &acc, &args[i], &acc)))
			return rc;
	*out = acc;
	return 0;
}

/* quot, rem, mod: longs exactly, doubles as Clojure does them. */
enum { DV_QUOT, DV_REM, DV_MOD };
static int
divop(struct qfn_ctx *c, const char *fname, int which, const struct dh_value *x,
      const struct dh_value *y, struct dh_value *out)
{
	int cx = numcat(x), cy = numcat(y);
	if (!cx || !cy)
		return not_number(c, fname, cx ? y : x);
	if (cx == NC_BIGDEC || cy == NC_BIGDEC)
		return fn_err(c, DH_ENOTSUP, "function %s is not supported on bigdec values", fname);
	if (num_is_zero(y))
		return fn_err(c, DH_EDIVZERO, "function %s: division by zero", fname);
	if (cx == NC_LONG && cy == NC_LONG) {
		int64_t a = x->i, b = y->i, r = 0;
		if (b == -1) {
			if (which == DV_QUOT && a == INT64_MIN)
				return long_overflow(c, fname);
			r = which == DV_QUOT ? -a : 0;
		} else if (which == DV_QUOT)
			r = a / b;
		else {
			r = a % b;
			if (which == DV_MOD && r != 0 && ((r < 0) != (b < 0)))
				r += b;
		}
		*out = v_long(r);
		return 0;
	}
	double a = to_double(x), b = to_double(y), r;
	if (which == DV_QUOT)
		r = q_trunc(a / b);
	else {
		r = a - b * q_trunc(a / b);
		if (which == DV_MOD && r != 0 && ((r < 0) != (b < 0)))
			r += b;
	}
	*out = v_double(r);
	return 0;
}

/* --- comparison, equality, truth, hashing --- */

static int
cmp_named(struct qfn_ctx *c, const char *what, const struct dh_value *x,
	  const struct dh_value *y, int *cmp)
{
	if (numcat(x) && numcat(y)) {
		*cmp = num_cmp(x, y);
		return 0;
	}
	if (x->type != y->type || (x->type == DH_T_COLL && x->coll->kind != y->coll->kind))
		return fn_err(c, DH_EDATATYPE, "%s%scannot compare %s and %s", what ? what : "",
			      what ? " " : "", tname(x), tname(y));
	*cmp = dh_value_cmp(x, y);
	return 0;
}

int
q_compare(struct qfn_ctx *c, const struct dh_value *x, const struct dh_value *y, int *cmp)
{
	return cmp_named(c, NULL, x, y, cmp);
}

/* The order of q_compare for values known to be comparable (qsort). */
static int
cmp_plain(const void *pa, const void *pb)
{
	const struct dh_value *x = pa, *y = pb;
	if (numcat(x) && numcat(y))
		return num_cmp(x, y);
	return dh_value_cmp(x, y);
}

static int
cmp_plain_desc(const void *pa, const void *pb)
{
	return cmp_plain(pb, pa);
}

static int
cmp_total(const void *pa, const void *pb)
{
	return dh_value_cmp(pa, pb);
}

static int q_equal(const struct dh_value *x, const struct dh_value *y);

static int
coll_has(const struct dh_coll *co, size_t step, const struct dh_value *x, size_t *at)
{
	for (size_t i = 0; i < co->n; i += step)
		if (q_equal(&co->items[i], x)) {
			if (at)
				*at = i;
			return 1;
		}
	return 0;
}

/* Clojure's =: numbers equal only within one category (long, double,
 * bigdec: numerically, so 1.5M = 1.50M, and ##NaN is not = to itself);
 * vectors and lists equal by items; sets and maps regardless of order. */
static int
q_equal(const struct dh_value *x, const struct dh_value *y)
{
	int cx = numcat(x), cy = numcat(y);
	if (cx || cy) {
		if (cx != cy)
			return 0;
		if (cx == NC_DOUBLE)
			return x->d == y->d;
		return num_cmp(x, y) == 0;
	}
	if (x->type != y->type)
		return 0;
	if (x->type != DH_T_COLL)
		return dh_value_eq(x, y);
	const struct dh_coll *a = x->coll, *b = y->coll;
	int seqa = a->kind == DH_COLL_VECTOR || a->kind == DH_COLL_LIST;
	int seqb = b->kind == DH_COLL_VECTOR || b->kind == DH_COLL_LIST;
	if (a->n != b->n || (!(seqa && seqb) && a->kind != b->kind))
		return 0;
	if (seqa) {
		for (size_t i = 0; i < a->n; i++)
			if (!q_equal(&a->items[i], &b->items[i]))
				return 0;
		return 1;
	}
	size_t step = a->kind == DH_COLL_MAP ? 2 : 1;
	for (size_t i = 0; i < a->n; i += step) {
		size_t at;
		if (!coll_has(b, step, &a->items[i], &at))
			return 0;
		if (step == 2 && !q_equal(&a->items[i + 1], &b->items[at + 1]))
			return 0;
	}
	return 1;
}

int
q_truthy(const struct dh_value *v)
{
	if (v->type == DH_T_NONE)
		return 0;
	if (v->type == DH_T_BOOL)
		return v->b != 0;
	return 1;
}

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	h ^= 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return mix64(h ^ n);
}

/* Consistent with dh_value_eq: equal values hash equal.  Bigdec texts are
 * canonical, so equal bigdecs (same value, same scale) have equal bytes. */
uint64_t
q_value_hash(const struct dh_value *v)
{
	uint64_t h = mix64(0x9e3779b97f4a7c15ULL + (uint64_t)v->type);
	switch (v->type) {
	case DH_T_BOOL:
		return mix64(h ^ (uint64_t)(v->b != 0));
	case DH_T_LONG:
	case DH_T_INSTANT:
		return mix64(h ^ (uint64_t)v->i);
	case DH_T_REF:
		return mix64(h ^ v->ref);
	case DH_T_DOUBLE: {
		uint64_t u;
		double d = v->d;
		if (d == 0)
			d = 0.0;
		if (isnan(d))
			u = 0x7ff8000000000000ULL;
		else
			memcpy(&u, &d, sizeof(u));
		return mix64(h ^ u);
	}
	case DH_T_UUID:
		return hash_bytes(h, v->uuid, 16);
	case DH_T_STRING:
	case DH_T_KEYWORD:
	case DH_T_BYTES:
	case DH_T_BIGDEC:
		return hash_bytes(h, v->s.p, v->s.n);
	case DH_T_COLL:
		h = mix64(h ^ ((uint64_t)v->coll->kind << 56) ^ v->coll->n);
		for (size_t i = 0; i < v->coll->n; i++)
			h = mix64(h * 31 + q_value_hash(&v->coll->items[i]));
		return h;
	default:
		return h;
	}
}

/* --- text forms (str) --- */

/* Java's Double.toString, which Clojure's str uses: the shortest digits
 * that read back, plain between 10^-3 and 10^7 ("1.0", "0.001",
 * "1234567.0"), else computerized scientific ("1.0E7", "1.0E-4"). */
static void
java_double(struct dh_buf *b, double d)
{
	char t[40], dig[24];
	int p, k = 0, e;
	for (p = 0; p < 17; p++) {
		snprintf(t, sizeof(t), "%.*e", p, d);
		if (strtod(t, NULL) == d)
			break;
	}
	const char *q = t;
	if (*q == '-') {
		dh_buf_addc(b, '-');
		q++;
	}
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			dig[k++] = *q;
	e = atoi(q + 1);
	while (k > 1 && dig[k - 1] == '0')
		k--;
	if (d == 0) {
		dh_buf_adds(b, "0.0");
		return;
	}
	if (e >= -3 && e < 7) {
		if (e < 0) {
			dh_buf_adds(b, "0.");
			for (int i = 0; i < -e - 1; i++)
				dh_buf_addc(b, '0');
			dh_buf_add(b, dig, (size_t)k);
			return;
		}
		for (int i = 0; i <= e; i++)
			dh_buf_addc(b, i < k ? dig[i] : '0');
		dh_buf_addc(b, '.');
		if (k > e + 1)
			dh_buf_add(b, dig + e + 1, (size_t)(k - e - 1));
		else
			dh_buf_addc(b, '0');
		return;
	}
	dh_buf_addc(b, dig[0]);
	dh_buf_addc(b, '.');
	if (k > 1)
		dh_buf_add(b, dig + 1, (size_t)(k - 1));
	else
		dh_buf_addc(b, '0');
	dh_buf_printf(b, "E%d", e);
}

static void
text_form(struct dh_buf *b, const struct dh_value *v)
{
	char t[DH_INSTANT_STRLEN + 40];
	switch (v->type) {
	case DH_T_NONE:
		break;
	case DH_T_STRING:
	case DH_T_BIGDEC:
		dh_buf_add(b, v->s.p, v->s.n);
		break;
	case DH_T_KEYWORD:
		dh_buf_addc(b, ':');
		dh_buf_add(b, v->s.p, v->s.n);
		break;
	case DH_T_LONG:
		dh_buf_printf(b, "%lld", (long long)v->i);
		break;
	case DH_T_REF:
		dh_buf_printf(b, "%llu", (unsigned long long)v->ref);
		break;
	case DH_T_DOUBLE:
		/* Java's Double.toString names, not EDN's ##NaN */
		if (isnan(v->d))
			dh_buf_adds(b, "NaN");
		else if (isinf(v->d))
			dh_buf_adds(b, v->d > 0 ? "Infinity" : "-Infinity");
		else
			java_double(b, v->d);
		break;
	case DH_T_BOOL:
		dh_buf_adds(b, v->b ? "true" : "false");
		break;
	case DH_T_INSTANT:
		dh_instant_format(v->i, t);
		dh_buf_adds(b, t);
		break;
	case DH_T_UUID:
		dh_uuid_format(v->uuid, t);
		dh_buf_adds(b, t);
		break;
	case DH_T_BYTES:
		dh_base64_encode(b, v->s.p, v->s.n);
		break;
	default:
		dh_value_print_edn(b, v);
		break;
	}
}

/* --- regular expressions (POSIX extended) --- */

static int
rx_compile(struct qfn_ctx *c, const char *fname, const struct dh_value *pat, regex_t *re)
{
	if (pat->type != DH_T_STRING)
		return fn_err(c, DH_EDATATYPE, "function %s expects a pattern string, got %s", fname,
			      tname(pat));
	char *p = dh_arena_strndup(c->a, pat->s.p, pat->s.n);
	int e = regcomp(re, p, REG_EXTENDED);
	if (e) {
		char msg[256];
		regerror(e, re, msg, sizeof(msg));
		return fn_err(c, DH_EBADVALUE, "function %s: invalid regular expression \"%s\": %s",
			      fname, p, msg);
	}
	return 0;
}

/* re-find / re-matches: the match, or [match group1 ...] when the pattern
 * has groups (unmatched groups nil), or nil. */
static int
rx_match(struct qfn_ctx *c, const char *fname, int whole, const struct dh_value *pat,
	 const struct dh_value *s, struct dh_value *out)
{
	regex_t re;
	int rc;
	if (s->type != DH_T_STRING)
		return fn_err(c, DH_EDATATYPE, "function %s expects a string, got %s", fname,
			      tname(s));
	if ((rc = rx_compile(c, fname, pat, &re)))
		return rc;
	const char *str = dh_arena_strndup(c->a, s->s.p, s->s.n);
	size_t ng = re.re_nsub + 1;
	regmatch_t *m = dh_arena_alloc(c->a, ng * sizeof(*m));
	*out = v_nil();
	/* POSIX matches leftmost-longest: a whole-string match, if any, is the
	 * one found at offset 0. */
	if (regexec(&re, str, ng, m, 0) == 0 &&
	    (!whole || (m[0].rm_so == 0 && (size_t)m[0].rm_eo == s->s.n))) {
		if (ng == 1)
			*out = v_str(c->a, DH_T_STRING, str + m[0].rm_so,
				     (size_t)(m[0].rm_eo - m[0].rm_so));
		else {
			struct dh_value *items = dh_arena_alloc(c->a, ng * sizeof(*items));
			for (size_t i = 0; i < ng; i++)
				items[i] = m[i].rm_so < 0
						   ? v_nil()
						   : v_str(c->a, DH_T_STRING, str + m[i].rm_so,
							   (size_t)(m[i].rm_eo - m[i].rm_so));
			*out = v_coll(c->a, DH_COLL_VECTOR, items, ng);
		}
	}
	regfree(&re);
	return 0;
}

/* clojure.string/split: like Java's String.split, trailing empty strings
 * dropped; a zero-width match never splits at the start. */
static int
rx_split(struct qfn_ctx *c, const char *fname, const struct dh_value *s,
	 const struct dh_value *pat, struct dh_value *out)
{
	regex_t re;
	int rc;
	if (s->type != DH_T_STRING)
		return fn_err(c, DH_EDATATYPE, "function %s expects a string, got %s", fname,
			      tname(s));
	if ((rc = rx_compile(c, fname, pat, &re)))
		return rc;
	const char *str = dh_arena_strndup(c->a, s->s.p, s->s.n);
	size_t len = s->s.n, seg = 0, from = 0, n = 0, cap = 8;
	struct dh_value *items = xmalloc(cap * sizeof(*items));
	regmatch_t m;
	int found = 0;
	while (from <= len && regexec(&re, str + from, 1, &m, from ? REG_NOTBOL : 0) == 0) {
		size_t so = from + (size_t)m.rm_so, eo = from + (size_t)m.rm_eo;
		found = 1;
		if (n + 2 > cap)
			items = xrealloc(items, (cap *= 2) * sizeof(*items));
		if (so == eo) {
			if (so > seg && so < len) {
				items[n++] = v_str(c->a, DH_T_STRING, str + seg, so - seg);
				seg = so;
			}
			if (so >= len)
				break;
			utf8_next((const unsigned char *)str, len, &so);
			from = so;
			continue;
		}
		items[n++] = v_str(c->a, DH_T_STRING, str + seg, so - seg);
		seg = from = eo;
	}
	regfree(&re);
	if (n + 1 > cap)
		items = xrealloc(items, (cap += 1) * sizeof(*items));
	items[n++] = v_str(c->a, DH_T_STRING, str + seg, len - seg);
	if (found)
		while (n && items[n - 1].s.n == 0)
			n--;
	*out = v_coll(c->a, DH_COLL_VECTOR, items, n);
	free(items);
	return 0;
}

/* --- the function table --- */

enum fid {
	F_EQ, F_EQN, F_NEQ, F_LT, F_GT, F_LE, F_GE,
	F_ZERO, F_POS, F_NEG, F_EVEN, F_ODD,
	F_TYPEP, F_IDENTICAL, F_CONTAINS, F_DISTINCT, F_NOT, F_AND, F_OR, F_EMPTY,
	F_STARTS, F_ENDS, F_INCLUDES, F_BLANK,
	F_REFIND, F_REMATCHES, F_REPATTERN, F_SPLIT,
	F_STR, F_PRSTR, F_SUBS, F_COUNT,
	F_ADD, F_SUB, F_MUL, F_DIV, F_QUOT, F_REM, F_MOD, F_INC, F_DEC, F_MAX, F_MIN, F_ABS,
	F_IDENTITY, F_TUPLE, F_UNTUPLE, F_LIST, F_SET, F_HASHMAP, F_GET,
	F_GETELSE, F_GETSOME, F_MISSING,
	F_LOWER, F_UPPER, F_TRIM, F_TRIML, F_TRIMR, F_CAPITALIZE, F_REVERSE, F_JOIN,
	F_KEYWORD, F_NAME, F_NAMESPACE, F_COMPARE,
};

/* Type tests for F_TYPEP. */
enum {
	TP_NIL, TP_SOME, TP_TRUE, TP_FALSE, TP_STRING, TP_NUMBER, TP_INT, TP_DOUBLE, TP_DECIMAL,
	TP_KEYWORD, TP_BOOLEAN, TP_INST, TP_UUID, TP_BYTES, TP_COLL, TP_VECTOR, TP_LIST, TP_SET,
	TP_MAP,
};

struct fdef {
	const char *name;
	short fid, arg; /* arg: the type test of F_TYPEP */
	short min, max; /* argument counts, without a source; max -1: any */
	unsigned flags;
};

#define PF (FN_PRED | FN_FUNC)
#define SRC (FN_PRED | FN_FUNC | FN_NEEDS_SRC)
#define STR2(n, f, mn, mx) {"str/" n, f, 0, mn, mx, PF}, {"clojure.string/" n, f, 0, mn, mx, PF}
#define TP(n, t) {n, F_TYPEP, t, 1, 1, PF}

static const struct fdef fns[] = {
	{"=", F_EQ, 0, 1, -1, PF},
	{"==", F_EQN, 0, 1, -1, PF},
	{"not=", F_NEQ, 0, 1, -1, PF},
	{"!=", F_NEQ, 0, 1, -1, PF},
	{"<", F_LT, 0, 1, -1, PF},
	{">", F_GT, 0, 1, -1, PF},
	{"<=", F_LE, 0, 1, -1, PF},
	{">=", F_GE, 0, 1, -1, PF},
	{"zero?", F_ZERO, 0, 1, 1, PF},
	{"pos?", F_POS, 0, 1, 1, PF},
	{"neg?", F_NEG, 0, 1, 1, PF},
	{"even?", F_EVEN, 0, 1, 1, PF},
	{"odd?", F_ODD, 0, 1, 1, PF},
	TP("nil?", TP_NIL),
	TP("some?", TP_SOME),
	TP("true?", TP_TRUE),
	TP("false?", TP_FALSE),
	TP("string?", TP_STRING),
	TP("number?", TP_NUMBER),
	TP("int?", TP_INT),
	TP("integer?", TP_INT),
	TP("double?", TP_DOUBLE),
	TP("float?", TP_DOUBLE),
	TP("decimal?", TP_DECIMAL),
	TP("keyword?", TP_KEYWORD),
	TP("boolean?", TP_BOOLEAN),
	TP("inst?", TP_INST),
	TP("uuid?", TP_UUID),
	TP("bytes?", TP_BYTES),
	TP("coll?", TP_COLL),
	TP("vector?", TP_VECTOR),
	TP("list?", TP_LIST),
	TP("set?", TP_SET),
	TP("map?", TP_MAP),
	{"identical?", F_IDENTICAL, 0, 2, 2, PF},
	{"contains?", F_CONTAINS, 0, 2, 2, PF},
	{"distinct?", F_DISTINCT, 0, 1, -1, PF},
	{"not", F_NOT, 0, 1, 1, PF},
	{"and", F_AND, 0, 0, -1, PF},
	{"or", F_OR, 0, 0, -1, PF},
	{"empty?", F_EMPTY, 0, 1, 1, PF},
	STR2("starts-with?", F_STARTS, 2, 2),
	STR2("ends-with?", F_ENDS, 2, 2),
	STR2("includes?", F_INCLUDES, 2, 2),
	STR2("blank?", F_BLANK, 1, 1),
	{"re-find", F_REFIND, 0, 2, 2, PF},
	{"re-matches", F_REMATCHES, 0, 2, 2, PF},
	{"re-pattern", F_REPATTERN, 0, 1, 1, PF},
	STR2("split", F_SPLIT, 2, 2),
	{"str", F_STR, 0, 0, -1, PF},
	{"pr-str", F_PRSTR, 0, 0, -1, PF},
	{"subs", F_SUBS, 0, 2, 3, PF},
	{"count", F_COUNT, 0, 1, 1, PF},
	{"+", F_ADD, 0, 0, -1, PF},
	{"-", F_SUB, 0, 1, -1, PF},
	{"*", F_MUL, 0, 0, -1, PF},
	{"/", F_DIV, 0, 1, -1, PF},
	{"quot", F_QUOT, 0, 2, 2, PF},
	{"rem", F_REM, 0, 2, 2, PF},
	{"mod", F_MOD, 0, 2, 2, PF},
	{"inc", F_INC, 0, 1, 1, PF},
	{"dec", F_DEC, 0, 1, 1, PF},
	{"max", F_MAX, 0, 1, -1, PF},
	{"min", F_MIN, 0, 1, -1, PF},
	{"abs", F_ABS, 0, 1, 1, PF},
	{"identity", F_IDENTITY, 0, 1, 1, PF},
	{"ground", F_IDENTITY, 0, 1, 1, PF},
	{"tuple", F_TUPLE, 0, 0, -1, PF},
	{"vector", F_TUPLE, 0, 0, -1, PF},
	{"untuple", F_UNTUPLE, 0, 1, 1, PF},
	{"list", F_LIST, 0, 0, -1, PF},
	{"set", F_SET, 0, 1, 1, PF},
	{"hash-map", F_HASHMAP, 0, 0, -1, PF},
	{"get", F_GET, 0, 2, 3, PF},
	{"get-else", F_GETELSE, 0, 3, 3, SRC},
	{"get-some", F_GETSOME, 0, 2, -1, SRC},
	{"missing?", F_MISSING, 0, 2, 2, SRC},
	STR2("lower-case", F_LOWER, 1, 1),
	STR2("upper-case", F_UPPER, 1, 1),
	STR2("trim", F_TRIM, 1, 1),
	STR2("triml", F_TRIML, 1, 1),
	STR2("trimr", F_TRIMR, 1, 1),
	STR2("capitalize", F_CAPITALIZE, 1, 1),
	STR2("reverse", F_REVERSE, 1, 1),
	STR2("join", F_JOIN, 1, 2),
	{"keyword", F_KEYWORD, 0, 1, 2, PF},
	{"name", F_NAME, 0, 1, 1, PF},
	{"namespace", F_NAMESPACE, 0, 1, 1, PF},
	{"compare", F_COMPARE, 0, 2, 2, PF},
};

int
q_fn_lookup(const char *name, size_t n, unsigned *flags)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(fns); i++)
		if (strlen(fns[i].name) == n && memcmp(fns[i].name, name, n) == 0) {
			if (flags)
				*flags = fns[i].flags;
			return (int)i;
		}
	return -1;
}

const char *
q_fn_name(int fn)
{
	if (fn < 0 || (size_t)fn >= DH_ARRAY_SIZE(fns))
		return "?";
	return fns[fn].name;
}

/* --- function bodies --- */

static int
want_string(struct qfn_ctx *c, const char *fname, const struct dh_value *v)
{
	if (v->type == DH_T_STRING)
		return 0;
	return fn_err(c, DH_EDATATYPE, "function %s expects a string, got %s", fname, tname(v));
}

static int
want_long(struct qfn_ctx *c, const char *fname, const struct dh_value *v)
{
	if (v->type == DH_T_LONG)
		return 0;
	return fn_err(c, DH_EDATATYPE, "function %s expects a long, got %s", fname, tname(v));
}

static int
type_test(int t, const struct dh_value *v)
{
	int coll = v->type == DH_T_COLL;
	switch (t) {
	case TP_NIL:
		return v->type == DH_T_NONE;
	case TP_SOME:
		return v->type != DH_T_NONE;
	case TP_TRUE:
		return v->type == DH_T_BOOL && v->b;
	case TP_FALSE:
		return v->type == DH_T_BOOL && !v->b;
	case TP_STRING:
		return v->type == DH_T_STRING;
	case TP_NUMBER:
		return numcat(v) != NC_NONE;
	case TP_INT:
		return v->type == DH_T_LONG;
	case TP_DOUBLE:
		return v->type == DH_T_DOUBLE;
	case TP_DECIMAL:
		return v->type == DH_T_BIGDEC;
	case TP_KEYWORD:
		return v->type == DH_T_KEYWORD;
	case TP_BOOLEAN:
		return v->type == DH_T_BOOL;
	case TP_INST:
		return v->type == DH_T_INSTANT;
	case TP_UUID:
		return v->type == DH_T_UUID;
	case TP_BYTES:
		return v->type == DH_T_BYTES;
	case TP_COLL:
		return coll;
	case TP_VECTOR:
		return coll && v->coll->kind == DH_COLL_VECTOR;
	case TP_LIST:
		return coll && v->coll->kind == DH_COLL_LIST;
	case TP_SET:
		return coll && v->coll->kind == DH_COLL_SET;
	case TP_MAP:
		return coll && v->coll->kind == DH_COLL_MAP;
	}
	return 0;
}

static int
fn_compare_chain(struct qfn_ctx *c, const struct fdef *f, int nargs, const struct dh_value *args,
		 struct dh_value *out)
{
	char what[32];
	int res = 1, rc, cmp;
	snprintf(what, sizeof(what), "operator %s", f->name);
	/* Every pair is checked for comparability, as Clojure would throw on
	 * it, even after the answer is known. */
	for (int i = 0; i + 1 < nargs; i++) {
		if ((rc = cmp_named(c, what, &args[i], &args[i + 1], &cmp)))
			return rc;
		switch (f->fid) {
		case F_LT:
			res &= cmp < 0;
			break;
		case F_GT:
			res &= cmp > 0;
			break;
		case F_LE:
			res &= cmp <= 0;
			break;
		default:
			res &= cmp >= 0;
			break;
		}
	}
	if (nargs == 1 && (rc = cmp_named(c, what, &args[0], &args[0], &cmp)))
		return rc;
	*out = v_bool(res);
	return 0;
}

static int
fn_numeq(struct qfn_ctx *c, const char *fname, int nargs, const struct dh_value *args,
	 struct dh_value *out)
{
	int res = 1;
	for (int i = 0; i < nargs; i++)
		if (!numcat(&args[i]))
			return fn_err(c, DH_EDATATYPE, "operator %s cannot compare %s", fname,
				      tname(&args[i]));
	for (int i = 0; i + 1 < nargs; i++) {
		const struct dh_value *x = &args[i], *y = &args[i + 1];
		if ((x->type == DH_T_DOUBLE && isnan(x->d)) || (y->type == DH_T_DOUBLE && isnan(y->d)))
			res = 0;
		else if (num_cmp(x, y) != 0)
			res = 0;
	}
	*out = v_bool(res);
	return 0;
}

static int
fn_sign(struct qfn_ctx *c, const struct fdef *f, const struct dh_value *v, struct dh_value *out)
{
	int s;
	switch (numcat(v)) {
	case NC_LONG:
		s = v->i < 0 ? -1 : v->i > 0;
		break;
	case NC_DOUBLE:
		if (isnan(v->d)) {
			*out = v_bool(0);
			return 0;
		}
		s = v->d < 0 ? -1 : v->d > 0;
		break;
	case NC_BIGDEC:
		s = bigdec_sign(v);
		break;
	default:
		return not_number(c, f->name, v);
	}
	*out = v_bool(f->fid == F_ZERO ? s == 0 : f->fid == F_POS ? s > 0 : s < 0);
	return 0;
}

static int
fn_contains(struct qfn_ctx *c, const struct fdef *f, const struct dh_value *co,
	    const struct dh_value *k, struct dh_value *out)
{
	int res = 0;
	if (co->type == DH_T_NONE)
		res = 0;
	else if (co->type == DH_T_STRING)
		res = k->type == DH_T_LONG && k->i >= 0 &&
		      (uint64_t)k->i < utf8_count(co->s.p, co->s.n);
	else if (co->type == DH_T_COLL && co->coll->kind == DH_COLL_VECTOR)
		res = k->type == DH_T_LONG && k->i >= 0 && (uint64_t)k->i < co->coll->n;
	else if (co->type == DH_T_COLL && co->coll->kind == DH_COLL_SET)
		res = coll_has(co->coll, 1, k, NULL);
	else if (co->type == DH_T_COLL && co->coll->kind == DH_COLL_MAP)
		res = coll_has(co->coll, 2, k, NULL);
	else
		return fn_err(c, DH_EDATATYPE, "function %s is not supported on %s", f->name,
			      tname(co));
	*out = v_bool(res);
	return 0;
}

static int
fn_get(struct qfn_ctx *c, int nargs, const struct dh_value *args, struct dh_value *out)
{
	const struct dh_value *co = &args[0], *k = &args[1];
	size_t at;
	*out = nargs > 2 ? args[2] : v_nil();
	if (co->type == DH_T_COLL) {
		const struct dh_coll *x = co->coll;
		if (x->kind == DH_COLL_MAP && coll_has(x, 2, k, &at))
			*out = x->items[at + 1];
		else if (x->kind == DH_COLL_SET && coll_has(x, 1, k, &at))
			*out = x->items[at];
		else if (x->kind == DH_COLL_VECTOR && k->type == DH_T_LONG && k->i >= 0 &&
			 (uint64_t)k->i < x->n)
			*out = x->items[k->i];
	} else if (co->type == DH_T_STRING && k->type == DH_T_LONG && k->i >= 0 &&
		   (uint64_t)k->i < utf8_count(co->s.p, co->s.n)) {
		size_t i = utf8_offset(co->s.p, co->s.n, (size_t)k->i), j = i;
		utf8_next((const unsigned char *)co->s.p, co->s.n, &j);
		*out = v_str(c->a, DH_T_STRING, co->s.p + i, j - i);
	}
	return 0;
}

static int
fn_subs(struct qfn_ctx *c, const char *fname, int nargs, const struct dh_value *args,
	struct dh_value *out)
{
	int rc;
	if ((rc = want_string(c, fname, &args[0])) || (rc = want_long(c, fname, &args[1])) ||
	    (nargs > 2 && (rc = want_long(c, fname, &args[2]))))
		return rc;
	const struct dh_value *s = &args[0];
	size_t len = utf8_count(s->s.p, s->s.n);
	int64_t from = args[1].i, to = nargs > 2 ? args[2].i : (int64_t)len;
	if (from < 0 || to < from || (uint64_t)to > len)
		return fn_err(c, DH_ENUMRANGE,
			      "function %s: range %lld..%lld is out of bounds for a string of %zu "
			      "characters", fname, (long long)from, (long long)to, len);
	size_t i = utf8_offset(s->s.p, s->s.n, (size_t)from);
	size_t j = i + utf8_offset(s->s.p + i, s->s.n - i, (size_t)(to - from));
	*out = v_str(c->a, DH_T_STRING, s->s.p + i, j - i);
	return 0;
}

static int
fn_count(struct qfn_ctx *c, const char *fname, const struct dh_value *v, struct dh_value *out)
{
	switch (v->type) {
	case DH_T_NONE:
		*out = v_long(0);
		return 0;
	case DH_T_STRING:
		*out = v_long((int64_t)utf8_count(v->s.p, v->s.n));
		return 0;
	case DH_T_BYTES:
		*out = v_long((int64_t)v->s.n);
		return 0;
	case DH_T_COLL:
		*out = v_long((int64_t)(v->coll->kind == DH_COLL_MAP ? v->coll->n / 2 : v->coll->n));
		return 0;
	default:
		return fn_err(c, DH_EDATATYPE, "function %s is not supported on %s", fname,
			      tname(v));
	}
}

static int
fn_minmax(struct qfn_ctx *c, const struct fdef *f, int nargs, const struct dh_value *args,
	  struct dh_value *out)
{
	const struct dh_value *best = &args[0];
	for (int i = 0; i < nargs; i++)
		if (!numcat(&args[i]))
			return not_number(c, f->name, &args[i]);
	for (int i = 1; i < nargs; i++) {
		const struct dh_value *v = &args[i];
		if (best->type == DH_T_DOUBLE && isnan(best->d))
			break; /* Clojure: NaN is contagious */
		if (v->type == DH_T_DOUBLE && isnan(v->d)) {
			best = v;
			break;
		}
		int cmp = num_cmp(v, best);
		if (f->fid == F_MAX ? cmp > 0 : cmp < 0)
			best = v;
	}
	*out = *best;
	return 0;
}

static int
fn_abs(struct qfn_ctx *c, const char *fname, const struct dh_value *v, struct dh_value *out)
{
	switch (numcat(v)) {
	case NC_LONG:
		if (v->i == INT64_MIN)
			return long_overflow(c, fname);
		*out = v_long(v->i < 0 ? -v->i : v->i);
		return 0;
	case NC_DOUBLE:
		*out = v_double(signbit(v->d) ? -v->d : v->d);
		return 0;
	case NC_BIGDEC:
		*out = *v;
		if (v->s.n && v->s.p[0] == '-') {
			out->s.p++;
			out->s.n--;
		}
		return 0;
	default:
		return not_number(c, fname, v);
	}
}

/* lower-case, upper-case, capitalize, reverse: code point by code point;
 * bytes that are not UTF-8 pass through. */
static int
fn_case(struct qfn_ctx *c, const struct fdef *f, const struct dh_value *v, struct dh_value *out)
{
	int rc;
	if ((rc = want_string(c, f->name, v)))
		return rc;
	const unsigned char *p = (const unsigned char *)v->s.p;
	size_t n = v->s.n, i = 0;
	struct dh_buf b;
	dh_buf_init(&b, DH_VALUE_MAX_BYTES);
	if (f->fid == F_REVERSE) {
		size_t *starts = xmalloc((n + 1) * sizeof(*starts)), k = 0;
		while (i < n) {
			starts[k++] = i;
			utf8_next(p, n, &i);
		}
		starts[k] = n;
		while (k--)
			dh_buf_add(&b, p + starts[k], starts[k + 1] - starts[k]);
		free(starts);
		return buf_value(c, f->name, &b, DH_T_STRING, out);
	}
	for (size_t k = 0; i < n; k++) {
		size_t at = i;
		int32_t cp = utf8_next(p, n, &i);
		if (cp < 0) {
			dh_buf_add(&b, p + at, i - at);
			continue;
		}
		int up = f->fid == F_UPPER || (f->fid == F_CAPITALIZE && k == 0);
		utf8_put(&b, (uint32_t)(up ? cp_upper(cp) : cp_lower(cp)));
	}
	return buf_value(c, f->name, &b, DH_T_STRING, out);
}

static int
fn_trim(struct qfn_ctx *c, const struct fdef *f, const struct dh_value *v, struct dh_value *out)
{
	int rc;
	if ((rc = want_string(c, f->name, v)))
		return rc;
	const unsigned char *p = (const unsigned char *)v->s.p;
	size_t n = v->s.n, i = 0, from = 0, to = 0, last_end = 0;
	int seen = 0;
	/* from: after the leading space; to: the end of the last non-space */
	while (i < n) {
		size_t at = i;
		int32_t cp = utf8_next(p, n, &i);
		if (!is_space_cp(cp)) {
			if (!seen)
				from = at;
			seen = 1;
			last_end = i;
		}
	}
	to = last_end;
	if (!seen)
		from = to = f->fid == F_TRIMR ? 0 : n;
	if (f->fid == F_TRIML)
		to = n;
	if (f->fid == F_TRIMR)
		from = 0;
	if (f->fid == F_BLANK) {
		*out = v_bool(!seen);
		return 0;
	}
	*out = v_str(c->a, DH_T_STRING, v->s.p + from, to - from);
	return 0;
}

static int
fn_join(struct qfn_ctx *c, const char *fname, int nargs, const struct dh_value *args,
	struct dh_value *out)
{
	const struct dh_value *co = &args[nargs - 1];
	struct dh_buf b, sep;
	dh_buf_init(&b, DH_VALUE_MAX_BYTES);
	dh_buf_init(&sep, DH_VALUE_MAX_BYTES);
	if (nargs > 1)
		text_form(&sep, &args[0]);
	if (co->type == DH_T_STRING) {
		const unsigned char *p = (const unsigned char *)co->s.p;
		size_t i = 0;
		while (i < co->s.n) {
			size_t at = i;
			utf8_next(p, co->s.n, &i);
			if (at)
				dh_buf_add(&b, sep.p, sep.len);
			dh_buf_add(&b, p + at, i - at);
		}
	} else if (co->type == DH_T_COLL && co->coll->kind != DH_COLL_MAP) {
		for (size_t i = 0; i < co->coll->n; i++) {
			if (i)
				dh_buf_add(&b, sep.p, sep.len);
			text_form(&b, &co->coll->items[i]);
		}
	} else if (co->type != DH_T_NONE) {
		dh_buf_release(&b);
		dh_buf_release(&sep);
		return fn_err(c, DH_EDATATYPE, "function %s expects a collection, got %s", fname,
			      tname(co));
	}
	dh_buf_release(&sep);
	return buf_value(c, fname, &b, DH_T_STRING, out);
}

static int
fn_keyword(struct qfn_ctx *c, const char *fname, int nargs, const struct dh_value *args,
	   struct dh_value *out)
{
	if (nargs == 1) {
		const struct dh_value *v = &args[0];
		if (v->type == DH_T_NONE || v->type == DH_T_KEYWORD) {
			*out = *v;
			return 0;
		}
		if (v->type != DH_T_STRING)
			return want_string(c, fname, v);
		*out = v_str(c->a, DH_T_KEYWORD, v->s.p, v->s.n);
		return 0;
	}
	const struct dh_value *ns = &args[0], *nm = &args[1];
	int rc;
	if ((ns->type != DH_T_NONE && (rc = want_string(c, fname, ns))) ||
	    (rc = want_string(c, fname, nm)))
		return rc;
	if (ns->type == DH_T_NONE) {
		*out = v_str(c->a, DH_T_KEYWORD, nm->s.p, nm->s.n);
		return 0;
	}
	char *t = dh_arena_printf(c->a, "%.*s/%.*s", (int)ns->s.n, ns->s.p, (int)nm->s.n, nm->s.p);
	out->type = DH_T_KEYWORD;
	out->s.p = t;
	out->s.n = ns->s.n + 1 + nm->s.n;
	return 0;
}

static int
fn_name(struct qfn_ctx *c, const struct fdef *f, const struct dh_value *v, struct dh_value *out)
{
	if (v->type == DH_T_STRING && f->fid == F_NAME) {
		*out = *v;
		return 0;
	}
	if (v->type != DH_T_KEYWORD)
		return fn_err(c, DH_EDATATYPE, "function %s expects a keyword, got %s", f->name,
			      tname(v));
	const char *slash = memchr(v->s.p, '/', v->s.n);
	/* the keyword :/ has name "/" and no namespace */
	if (v->s.n == 1)
		slash = NULL;
	if (f->fid == F_NAME) {
		size_t off = slash ? (size_t)(slash - v->s.p) + 1 : 0;
		*out = v_str(c->a, DH_T_STRING, v->s.p + off, v->s.n - off);
	} else
		*out = slash ? v_str(c->a, DH_T_STRING, v->s.p, (size_t)(slash - v->s.p)) : v_nil();
	return 0;
}

static int
str_pred(struct qfn_ctx *c, const struct fdef *f, const struct dh_value *s,
	 const struct dh_value *x, struct dh_value *out)
{
	int rc;
	if ((rc = want_string(c, f->name, s)) || (rc = want_string(c, f->name, x)))
		return rc;
	int res;
	if (x->s.n > s->s.n)
		res = 0;
	else if (f->fid == F_STARTS)
		res = memcmp(s->s.p, x->s.p, x->s.n) == 0;
	else if (f->fid == F_ENDS)
		res = memcmp(s->s.p + s->s.n - x->s.n, x->s.p, x->s.n) == 0;
	else
		res = x->s.n == 0 || memmem(s->s.p, s->s.n, x->s.p, x->s.n) != NULL;
	*out = v_bool(res);
	return 0;
}

/* --- the database functions --- */

static int
entity_arg(struct qfn_ctx *c, const char *fname, const struct dh_value *v, uint64_t *e)
{
	if (v->type == DH_T_LONG && v->i > 0) {
		*e = (uint64_t)v->i;
		return 0;
	}
	if (v->type == DH_T_REF) {
		*e = v->ref;
		return 0;
	}
	return fn_err(c, DH_EDATATYPE, "function %s expects an entity id, got %s", fname,
		      v->type == DH_T_LONG ? "a non-positive long" : tname(v));
}

static int
attr_arg(struct qfn_ctx *c, const char *fname, const struct dh_value *v,
	 const struct dh_attr **at)
{
	if (v->type == DH_T_KEYWORD) {
		*at = dh_schema_attr(c->schema, v->s.p, v->s.n);
		if (!*at)
			return fn_err(c, DH_ENOATTR, "attribute :%.*s does not exist", (int)v->s.n,
				      v->s.p);
		return 0;
	}
	if (v->type == DH_T_LONG) {
		*at = v->i > 0 ? dh_schema_attr_id(c->schema, (uint64_t)v->i) : NULL;
		if (!*at)
			return fn_err(c, DH_ENOATTR, "attribute %lld does not exist", (long long)v->i);
		return 0;
	}
	return fn_err(c, DH_EDATATYPE, "function %s expects an attribute, got %s", fname,
		      tname(v));
}

/* The (first) value of [e a], *found 0 when there is none. */
static int
first_value(struct qfn_ctx *c, uint64_t e, const struct dh_attr *at, struct dh_value *v,
	    int *found)
{
	struct dh_datom pat = {.e = e, .a = at->id}, d;
	struct dh_iter *it = NULL;
	int rc;
	*found = 0;
	if ((rc = dh_iter_open(c->view, DH_EAVT, &pat, 2, c->a, &it, c->err)))
		goto out;
	while ((rc = dh_iter_next(it, &d, c->err)) == 1) {
		if (!d.added)
			continue;
		*v = d.v;
		if (v->type == DH_T_REF)
			*v = v_long((int64_t)d.v.ref);
		*found = 1;
		break;
	}
	if (rc > 0)
		rc = 0;
out:
	if (it)
		dh_iter_close(it);
	if (rc && c->err && !c->err->position)
		set_pos(c);
	return rc;
}

static int
fn_db(struct qfn_ctx *c, const struct fdef *f, int nargs, const struct dh_value *args,
      struct dh_value *out)
{
	const struct dh_attr *at;
	uint64_t e = 0;
	int rc, found = 0;
	struct dh_value v;
	if (!c->view || !c->schema)
		return fn_err(c, DH_EBADQUERY, "function %s needs a database source", f->name);
	if ((rc = entity_arg(c, f->name, &args[0], &e)))
		return rc;
	if (f->fid == F_GETSOME) {
		*out = v_nil();
		for (int i = 1; i < nargs; i++) {
			if ((rc = attr_arg(c, f->name, &args[i], &at)))
				return rc;
			if ((rc = first_value(c, e, at, &v, &found)))
				return rc;
			if (found) {
				struct dh_value pair[2];
				pair[0] = v_str(c->a, DH_T_KEYWORD, at->ident, strlen(at->ident));
				pair[1] = v;
				*out = v_coll(c->a, DH_COLL_VECTOR, pair, 2);
				break;
			}
		}
		return 0;
	}
	if ((rc = attr_arg(c, f->name, &args[1], &at)))
		return rc;
	if (f->fid == F_GETELSE) {
		if (at->many)
			return fn_err(c, DH_EBADQUERY,
				      "function get-else requires a cardinality-one attribute, :%s "
				      "is cardinality many", at->ident);
		if (args[2].type == DH_T_NONE)
			return fn_err(c, DH_EBADQUERY,
				      "function get-else: nil default value is not supported");
	}
	if ((rc = first_value(c, e, at, &v, &found)))
		return rc;
	if (f->fid == F_MISSING)
		*out = v_bool(!found);
	else
		*out = found ? v : args[2];
	return 0;
}

static int
arity_err(struct qfn_ctx *c, const struct fdef *f, int nargs)
{
	int extra = (f->flags & FN_NEEDS_SRC) ? 1 : 0;
	int mn = f->min + extra, mx = f->max < 0 ? -1 : f->max + extra;
	nargs += extra;
	if (mx < 0)
		return fn_err(c, DH_EBADQUERY, "function %s takes at least %d argument%s, got %d",
			      f->name, mn, mn == 1 ? "" : "s", nargs);
	if (mn == mx)
		return fn_err(c, DH_EBADQUERY, "function %s takes %d argument%s, got %d", f->name,
			      mn, mn == 1 ? "" : "s", nargs);
	if (mx == mn + 1)
		return fn_err(c, DH_EBADQUERY, "function %s takes %d or %d arguments, got %d",
			      f->name, mn, mx, nargs);
	return fn_err(c, DH_EBADQUERY, "function %s takes %d to %d arguments, got %d", f->name,
		      mn, mx, nargs);
}

int
q_fn_call(struct qfn_ctx *c, int fn, int nargs, const struct dh_value *args,
	  struct dh_value *out)
{
	if (fn < 0 || (size_t)fn >= DH_ARRAY_SIZE(fns))
		return fn_err(c, DH_EINTERNAL, "unknown built-in function %d", fn);
	const struct fdef *f = &fns[fn];
	const char *nm = f->name;
	int rc = 0;
	if (nargs < f->min || (f->max >= 0 && nargs > f->max))
		return arity_err(c, f, nargs);
	*out = v_nil();
	switch ((enum fid)f->fid) {
	case F_EQ:
	case F_NEQ: {
		int res = 1;
		for (int i = 0; i + 1 < nargs && res; i++)
			res = q_equal(&args[i], &args[i + 1]);
		*out = v_bool(f->fid == F_EQ ? res : !res);
		return 0;
	}
	case F_EQN:
		return fn_numeq(c, nm, nargs, args, out);
	case F_LT:
	case F_GT:
	case F_LE:
	case F_GE:
		return fn_compare_chain(c, f, nargs, args, out);
	case F_ZERO:
	case F_POS:
	case F_NEG:
		return fn_sign(c, f, &args[0], out);
	case F_EVEN:
	case F_ODD:
		if ((rc = want_long(c, nm, &args[0])))
			return rc;
		*out = v_bool((args[0].i % 2 == 0) == (f->fid == F_EVEN));
		return 0;
	case F_TYPEP:
		*out = v_bool(type_test(f->arg, &args[0]));
		return 0;
	case F_IDENTICAL:
		*out = v_bool(args[0].type == args[1].type && dh_value_eq(&args[0], &args[1]));
		return 0;
	case F_CONTAINS:
		return fn_contains(c, f, &args[0], &args[1], out);
	case F_DISTINCT: {
		int res = 1;
		for (int i = 0; i < nargs && res; i++)
			for (int j = i + 1; j < nargs && res; j++)
				res = !q_equal(&args[i], &args[j]);
		*out = v_bool(res);
		return 0;
	}
	case F_NOT:
		*out = v_bool(!q_truthy(&args[0]));
		return 0;
	case F_AND:
	case F_OR: {
		*out = f->fid == F_AND ? v_bool(1) : v_nil();
		for (int i = 0; i < nargs; i++) {
			*out = args[i];
			if (q_truthy(&args[i]) != (f->fid == F_AND))
				break;
		}
		return 0;
	}
	case F_EMPTY:
		if (args[0].type == DH_T_NONE)
			*out = v_bool(1);
		else if (args[0].type == DH_T_STRING)
			*out = v_bool(args[0].s.n == 0);
		else if (args[0].type == DH_T_COLL)
			*out = v_bool(args[0].coll->n == 0);
		else
			return fn_err(c, DH_EDATATYPE, "function %s is not supported on %s", nm,
				      tname(&args[0]));
		return 0;
	case F_STARTS:
	case F_ENDS:
	case F_INCLUDES:
		return str_pred(c, f, &args[0], &args[1], out);
	case F_BLANK:
		if (args[0].type == DH_T_NONE) {
			*out = v_bool(1);
			return 0;
		}
		return fn_trim(c, f, &args[0], out);
	case F_REFIND:
	case F_REMATCHES:
		return rx_match(c, nm, f->fid == F_REMATCHES, &args[0], &args[1], out);
	case F_REPATTERN: {
		regex_t re;
		if ((rc = rx_compile(c, nm, &args[0], &re)))
			return rc;
		regfree(&re);
		*out = args[0];
		return 0;
	}
	case F_SPLIT:
		return rx_split(c, nm, &args[0], &args[1], out);
	case F_STR:
	case F_PRSTR: {
		struct dh_buf b;
		dh_buf_init(&b, DH_VALUE_MAX_BYTES);
		for (int i = 0; i < nargs; i++) {
			if (f->fid == F_STR)
				text_form(&b, &args[i]);
			else {
				if (i)
					dh_buf_addc(&b, ' ');
				dh_value_print_edn(&b, &args[i]);
			}
		}
		return buf_value(c, nm, &b, DH_T_STRING, out);
	}
	case F_SUBS:
		return fn_subs(c, nm, nargs, args, out);
	case F_COUNT:
		return fn_count(c, nm, &args[0], out);
	case F_ADD:
		return arith_fold(c, nm, OP_ADD, nargs, args, out);
	case F_SUB:
		return arith_fold(c, nm, OP_SUB, nargs, args, out);
	case F_MUL:
		return arith_fold(c, nm, OP_MUL, nargs, args, out);
	case F_DIV:
		return arith_fold(c, nm, OP_DIV, nargs, args, out);
	case F_QUOT:
		return divop(c, nm, DV_QUOT, &args[0], &args[1], out);
	case F_REM:
		return divop(c, nm, DV_REM, &args[0], &args[1], out);
	case F_MOD:
		return divop(c, nm, DV_MOD, &args[0], &args[1], out);
	case F_INC:
	case F_DEC: {
		struct dh_value one = v_long(1);
		if (!numcat(&args[0]))
			return not_number(c, nm, &args[0]);
		return arith2(c, nm, f->fid == F_INC ? OP_ADD : OP_SUB, &args[0], &one, out);
	}
	case F_MAX:
	case F_MIN:
		return fn_minmax(c, f, nargs, args, out);
	case F_ABS:
		return fn_abs(c, nm, &args[0], out);
	case F_IDENTITY:
		*out = args[0];
		return 0;
	case F_TUPLE:
		*out = v_coll(c->a, DH_COLL_VECTOR, args, (size_t)nargs);
		return 0;
	case F_LIST:
		*out = v_coll(c->a, DH_COLL_LIST, args, (size_t)nargs);
		return 0;
	case F_UNTUPLE:
		if (args[0].type != DH_T_COLL ||
		    (args[0].coll->kind != DH_COLL_VECTOR && args[0].coll->kind != DH_COLL_LIST))
			return fn_err(c, DH_EDATATYPE, "function %s expects a tuple, got %s", nm,
				      tname(&args[0]));
		*out = args[0];
		return 0;
	case F_SET: {
		const struct dh_value *v = &args[0];
		if (v->type == DH_T_NONE) {
			*out = v_coll(c->a, DH_COLL_SET, NULL, 0);
			return 0;
		}
		if (v->type != DH_T_COLL || v->coll->kind == DH_COLL_MAP)
			return fn_err(c, DH_EDATATYPE, "function %s expects a collection, got %s", nm,
				      tname(v));
		/* distinct by =, in dh_value_cmp order for a stable result */
		size_t n = v->coll->n, k = 0;
		struct dh_value *items = dh_arena_alloc(c->a, (n ? n : 1) * sizeof(*items));
		memcpy(items, v->coll->items, n * sizeof(*items));
		qsort(items, n, sizeof(*items), cmp_total);
		for (size_t i = 0; i < n; i++) {
			int dup = 0;
			for (size_t j = 0; j < k && !dup; j++)
				dup = q_equal(&items[j], &items[i]);
			if (!dup)
				items[k++] = items[i];
		}
		*out = v_coll(c->a, DH_COLL_SET, items, k);
		return 0;
	}
	case F_HASHMAP: {
		if (nargs % 2)
			return fn_err(c, DH_EBADQUERY,
				      "function %s takes an even number of arguments, got %d", nm, nargs);
		struct dh_value *items = dh_arena_alloc(c->a, (nargs ? nargs : 1) * sizeof(*items));
		size_t k = 0;
		for (int i = 0; i < nargs; i += 2) {
			size_t j;
			for (j = 0; j < k; j += 2)
				if (q_equal(&items[j], &args[i]))
					break;
			items[j] = args[i];
			items[j + 1] = args[i + 1]; /* a later key wins */
			if (j == k)
				k += 2;
		}
		*out = v_coll(c->a, DH_COLL_MAP, items, k);
		return 0;
	}
	case F_GET:
		return fn_get(c, nargs, args, out);
	case F_GETELSE:
	case F_GETSOME:
	case F_MISSING:
		return fn_db(c, f, nargs, args, out);
	case F_LOWER:
	case F_UPPER:
	case F_CAPITALIZE:
	case F_REVERSE:
		return fn_case(c, f, &args[0], out);
	case F_TRIM:
	case F_TRIML:
	case F_TRIMR:
		return fn_trim(c, f, &args[0], out);
	case F_JOIN:
		return fn_join(c, nm, nargs, args, out);
	case F_KEYWORD:
		return fn_keyword(c, nm, nargs, args, out);
	case F_NAME:
	case F_NAMESPACE:
		return fn_name(c, f, &args[0], out);
	case F_COMPARE: {
		int cmp;
		if ((rc = cmp_named(c, "function compare", &args[0], &args[1], &cmp)))
			return rc;
		*out = v_long(cmp < 0 ? -1 : cmp > 0);
		return 0;
	}
	}
	return fn_err(c, DH_EINTERNAL, "built-in function %s has no body", nm);
}

/* --- aggregates --- */

enum agg {
	A_COUNT, A_COUNT_DISTINCT, A_SUM, A_AVG, A_MIN, A_MAX, A_MEDIAN, A_VARIANCE, A_STDDEV,
	A_DISTINCT, A_RAND, A_SAMPLE,
};
static const struct {
	const char *name;
	int n_ok, n_needed; /* takes (agg n ?x); needs it */
} aggs[] = {
	[A_COUNT] = {"count", 0, 0},
	[A_COUNT_DISTINCT] = {"count-distinct", 0, 0},
	[A_SUM] = {"sum", 0, 0},
	[A_AVG] = {"avg", 0, 0},
	[A_MIN] = {"min", 1, 0},
	[A_MAX] = {"max", 1, 0},
	[A_MEDIAN] = {"median", 0, 0},
	[A_VARIANCE] = {"variance", 0, 0},
	[A_STDDEV] = {"stddev", 0, 0},
	[A_DISTINCT] = {"distinct", 0, 0},
	[A_RAND] = {"rand", 1, 0},
	[A_SAMPLE] = {"sample", 1, 1},
};

int
q_agg_lookup(const char *name, size_t n)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(aggs); i++)
		if (strlen(aggs[i].name) == n && memcmp(aggs[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

const char *
q_agg_name(int agg)
{
	if (agg < 0 || (size_t)agg >= DH_ARRAY_SIZE(aggs))
		return "?";
	return aggs[agg].name;
}

/* All numbers, else DH_EDATATYPE naming the mixture. */
static int
agg_numbers(struct qfn_ctx *c, const char *aname, const struct dh_value *vals, size_t n)
{
	const struct dh_value *num = NULL, *other = NULL;
	for (size_t i = 0; i < n; i++) {
		if (numcat(&vals[i]))
			num = num ? num : &vals[i];
		else
			other = other ? other : &vals[i];
	}
	if (!other)
		return 0;
	if (num)
		return fn_err(c, DH_EDATATYPE, "aggregate %s over mixed types: %s and %s", aname,
			      tname(num), tname(other));
	return fn_err(c, DH_EDATATYPE, "aggregate %s over non-numbers: %s", aname, tname(other));
}

/* All pairwise comparable under q_compare. */
static int
agg_comparable(struct qfn_ctx *c, const char *aname, const struct dh_value *vals, size_t n)
{
	char what[48];
	int cmp;
	snprintf(what, sizeof(what), "aggregate %s", aname);
	for (size_t i = 1; i < n; i++) {
		int rc = cmp_named(c, what, &vals[0], &vals[i], &cmp);
		if (rc)
			return rc;
	}
	return 0;
}

static uint64_t
rnd_below(uint64_t n)
{
	uint64_t r;
	if (dh_random_bytes(&r, sizeof(r)) != 0) {
		/* no entropy source: still spread the picks */
		static uint64_t fallback = 0x243f6a8885a308d3ULL;
		r = mix64(fallback++ ^ (uint64_t)dh_mono_ns());
	}
	return n ? r % n : 0;
}

static size_t
sort_distinct(struct dh_value *vals, size_t n)
{
	size_t k = 0;
	qsort(vals, n, sizeof(*vals), cmp_total);
	for (size_t i = 0; i < n; i++)
		if (!k || !dh_value_eq(&vals[k - 1], &vals[i]))
			vals[k++] = vals[i];
	return k;
}

/* Mean and population variance in double, two passes for accuracy. */
static void
agg_moments(const struct dh_value *vals, size_t n, double *mean, double *var)
{
	double s = 0, q = 0;
	for (size_t i = 0; i < n; i++)
		s += to_double(&vals[i]);
	*mean = s / (double)n;
	for (size_t i = 0; i < n; i++) {
		double d = to_double(&vals[i]) - *mean;
		q += d * d;
	}
	*var = q / (double)n;
}

#define AGG_MAX_N ((int64_t)1 << 24)

int
q_agg_call(struct qfn_ctx *c, int agg, int has_n, int64_t an, struct dh_value *vals, size_t n,
	   struct dh_value *out)
{
	if (agg < 0 || (size_t)agg >= DH_ARRAY_SIZE(aggs))
		return fn_err(c, DH_EINTERNAL, "unknown aggregate %d", agg);
	const char *nm = aggs[agg].name;
	int rc;
	if (has_n && !aggs[agg].n_ok)
		return fn_err(c, DH_EBADQUERY, "aggregate %s takes 1 argument, got 2", nm);
	if (!has_n && aggs[agg].n_needed)
		return fn_err(c, DH_EBADQUERY, "aggregate %s takes 2 arguments, got 1", nm);
	if (has_n && (an < 0 || an > AGG_MAX_N))
		return fn_err(c, DH_ENUMRANGE, "aggregate %s: n must be between 0 and %lld, got %lld",
			      nm, (long long)AGG_MAX_N, (long long)an);
	*out = v_nil();
	switch ((enum agg)agg) {
	case A_COUNT:
		*out = v_long((int64_t)n);
		return 0;
	case A_COUNT_DISTINCT:
		*out = v_long((int64_t)sort_distinct(vals, n));
		return 0;
	case A_DISTINCT: {
		size_t k = sort_distinct(vals, n);
		*out = v_coll(c->a, DH_COLL_SET, vals, k);
		return 0;
	}
	case A_SUM: {
		struct dh_value acc = v_long(0);
		if ((rc = agg_numbers(c, nm, vals, n)))
			return rc;
		for (size_t i = 0; i < n; i++)
			if ((rc = arith2(c, "sum", OP_ADD, &acc, &vals[i], &acc)))
				return rc;
		*out = acc;
		return 0;
	}
	case A_AVG: {
		if ((rc = agg_numbers(c, nm, vals, n)))
			return rc;
		if (n == 0)
			return 0;
		int all_long = 1, any_double = 0;
		for (size_t i = 0; i < n; i++) {
			all_long &= vals[i].type == DH_T_LONG;
			any_double |= vals[i].type == DH_T_DOUBLE;
		}
		if (all_long) {
			/* exact: no overflow however many longs */
			__int128 s = 0;
			for (size_t i = 0; i < n; i++)
				s += vals[i].i;
			*out = v_double((double)s / (double)n);
		} else if (!any_double) {
			struct dh_value acc = v_long(0);
			for (size_t i = 0; i < n; i++)
				if ((rc = arith2(c, "avg", OP_ADD, &acc, &vals[i], &acc)))
					return rc;
			*out = v_double(to_double(&acc) / (double)n);
		} else {
			double mean, var;
			agg_moments(vals, n, &mean, &var);
			*out = v_double(mean);
		}
		return 0;
	}
	case A_VARIANCE:
	case A_STDDEV: {
		double mean, var;
		if ((rc = agg_numbers(c, nm, vals, n)))
			return rc;
		if (n == 0)
			return 0;
		agg_moments(vals, n, &mean, &var);
		*out = v_double(agg == A_STDDEV ? q_sqrt(var) : var);
		return 0;
	}
	case A_MEDIAN: {
		if ((rc = agg_numbers(c, nm, vals, n)))
			return rc;
		if (n == 0)
			return 0;
		qsort(vals, n, sizeof(*vals), cmp_plain);
		if (n % 2) {
			*out = vals[n / 2];
			return 0;
		}
		/* DataScript: (/ (+ lo hi) 2), so two longs stay a long when even */
		struct dh_value two = v_long(2), s;
		if ((rc = arith2(c, "median", OP_ADD, &vals[n / 2 - 1], &vals[n / 2], &s)))
			return rc;
		return arith2(c, "median", OP_DIV, &s, &two, out);
	}
	case A_MIN:
	case A_MAX: {
		if ((rc = agg_comparable(c, nm, vals, n)))
			return rc;
		if (!has_n) {
			if (n == 0)
				return 0;
			const struct dh_value *best = &vals[0];
			for (size_t i = 1; i < n; i++) {
				int cmp = cmp_plain(&vals[i], best);
				if (agg == A_MIN ? cmp < 0 : cmp > 0)
					best = &vals[i];
			}
			*out = *best;
			return 0;
		}
		qsort(vals, n, sizeof(*vals), agg == A_MIN ? cmp_plain : cmp_plain_desc);
		size_t k = (uint64_t)an < n ? (size_t)an : n;
		/* (max n ?x): the n largest, in ascending order as DataScript
		 * returns them */
		for (size_t i = 0; agg == A_MAX && i < k / 2; i++) {
			struct dh_value t = vals[i];
			vals[i] = vals[k - 1 - i];
			vals[k - 1 - i] = t;
		}
		*out = v_coll(c->a, DH_COLL_VECTOR, vals, k);
		return 0;
	}
	case A_RAND: {
		if (n == 0)
			return 0;
		if (!has_n) {
			*out = vals[rnd_below(n)];
			return 0;
		}
		struct dh_value *items = dh_arena_alloc(c->a, (size_t)(an ? an : 1) * sizeof(*items));
		for (int64_t i = 0; i < an; i++)
			items[i] = vals[rnd_below(n)];
		*out = v_coll(c->a, DH_COLL_VECTOR, items, (size_t)an);
		return 0;
	}
	case A_SAMPLE: {
		size_t k = sort_distinct(vals, n), m = (uint64_t)an < k ? (size_t)an : k;
		/* partial Fisher-Yates: the first m are a uniform sample */
		for (size_t i = 0; i < m; i++) {
			size_t j = i + (size_t)rnd_below(k - i);
			struct dh_value t = vals[i];
			vals[i] = vals[j];
			vals[j] = t;
		}
		*out = v_coll(c->a, DH_COLL_VECTOR, vals, m);
		return 0;
	}
	}
	return fn_err(c, DH_EINTERNAL, "aggregate %s has no body", nm);
}
