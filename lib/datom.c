/*
 * datom: values, their order-preserving key encoding, and the text forms of
 * the scalar types.  See datom.h for the contract.
 *
 * Key encoding: a tag byte 0x10 + enum dh_type (so types sort in enum
 * order), then
 *   BOOL     1 byte, 0 or 1
 *   LONG     8 bytes big-endian of (uint64)i ^ 1<<63
 *   INSTANT  the same, of the microseconds
 *   REF      8 bytes big-endian
 *   DOUBLE   -0.0 -> 0.0, any NaN -> 0x7ff8000000000000; then the bits with
 *            all bits flipped if the sign is set, else the sign bit flipped;
 *            8 bytes big-endian
 *   UUID     the 16 bytes
 *   STRING, KEYWORD, BYTES
 *            the bytes with 0x00 -> 01 01 and 0x01 -> 01 02, then 00.  When
 *            that body would pass STR_BUDGET bytes the value spills: the
 *            longest prefix whose escaped form fits STR_BUDGET, then 01 03,
 *            then the 16-byte digest.  An inline key is at most
 *            DH_KEY_INLINE_MAX bytes, a spilled one 1 + 254 + 2 + 16.
 *   BIGDEC   a class byte: 00 -Infinity, 01 negative, 02 zero, 03 positive,
 *            04 Infinity, 05 NaN (PostgreSQL numeric's order).  A nonzero
 *            value is 0.d1d2...dk x 10^E with d1 != 0 and dk != 0; then
 *              E + 0x8000 as 2 bytes big-endian,
 *              the digits two to a byte as nibbles d+1 (1..10), an odd last
 *              digit padded with a 0 nibble,
 *              a 00 terminator (below every digit byte, so 0.12 < 0.123),
 *            and for negatives those bytes complemented (larger magnitude
 *            first).  Last, for every class, the scale (fraction digits of
 *            the canonical text) as 2 bytes big-endian, never complemented:
 *            1.5 < 1.50 and -1.5 < -1.50, ties being the only difference.
 *            The non-finite classes have no digits and scale 0.
 * All of it is prefix-free, and decoding accepts only what encoding
 * produces (canonical form), so a key has exactly one reading.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "crypto.h"
#include "datom.h"

#define TAG_BASE 0x10
#define SIGN64 ((uint64_t)1 << 63)
#define CANON_NAN ((uint64_t)0x7ff8000000000000)

/* Escaped body bytes an inline string may use: tag and terminator make it
 * DH_KEY_INLINE_MAX.  Spilled prefixes use the same budget, which is what
 * keeps them sorting exactly against inline values (see value_cmp tests). */
#define STR_BUDGET (DH_KEY_INLINE_MAX - 2)
#define ESC 0x01
#define ESC_SPILL 0x03

#define BD_NINF 0x00
#define BD_NEG 0x01
#define BD_ZERO 0x02
#define BD_POS 0x03
#define BD_PINF 0x04
#define BD_NAN 0x05

/* The class of a non-finite bigdec text, or -1. */
static int
bd_special(const char *s, size_t n)
{
	if (n == 3 && memcmp(s, "NaN", 3) == 0)
		return BD_NAN;
	if (n == 8 && memcmp(s, "Infinity", 8) == 0)
		return BD_PINF;
	if (n == 9 && memcmp(s, "-Infinity", 9) == 0)
		return BD_NINF;
	return -1;
}

/* A bigdec encodes to at most tag, class, exponent, digits, terminator and
 * scale; keep that inline (LMDB keys are short). */
_Static_assert(1 + 1 + 2 + (DH_BIGDEC_MAX_DIGITS + 1) / 2 + 1 + 2 <= DH_KEY_INLINE_MAX,
	       "bigdec encoding must fit a key");
_Static_assert(1 + STR_BUDGET + 2 + DH_VALUE_DIGEST <= DH_VALUE_ENC_MAX,
	       "spilled encoding must fit DH_VALUE_ENC_MAX");

/* --- type names --- */

static const char *const type_names[DH_T__COUNT] = {
	[DH_T_NONE] = "none",
	[DH_T_BOOL] = "boolean",
	[DH_T_LONG] = "long",
	[DH_T_BIGDEC] = "bigdec",
	[DH_T_DOUBLE] = "double",
	[DH_T_INSTANT] = "instant",
	[DH_T_UUID] = "uuid",
	[DH_T_STRING] = "string",
	[DH_T_KEYWORD] = "keyword",
	[DH_T_BYTES] = "bytes",
	[DH_T_REF] = "ref",
};

const char *
dh_type_name(enum dh_type t)
{
	if ((unsigned)t >= DH_T__COUNT)
		return "unknown";
	return type_names[t];
}

enum dh_type
dh_type_from_name(const char *name, size_t n)
{
	for (int t = DH_T_NONE + 1; t < DH_T__COUNT; t++)
		if (strlen(type_names[t]) == n && memcmp(type_names[t], name, n) == 0)
			return (enum dh_type)t;
	return DH_T_NONE;
}

static int
is_strlike(enum dh_type t)
{
	return t == DH_T_STRING || t == DH_T_KEYWORD || t == DH_T_BYTES;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* --- bigdec text --- */

/* A canonical bigdec text taken apart.  Digit i of the whole number (integer
 * digits then fraction digits) is bd_digit(d, i). */
struct bd {
	int neg;
	const char *ip, *fp;
	size_t in, fn;
};

static int
bd_digit(const struct bd *d, size_t i)
{
	return (i < d->in ? d->ip[i] : d->fp[i - d->in]) - '0';
}

/* Split canonical text; DH_EBADVALUE if it is not canonical, DH_ETOOLONG
 * past DH_BIGDEC_MAX_DIGITS digits. */
static int
bd_split(const char *s, size_t n, struct bd *d)
{
	size_t i = 0;
	int nonzero = 0;
	memset(d, 0, sizeof(*d));
	if (i < n && s[i] == '-') {
		d->neg = 1;
		i++;
	}
	d->ip = s + i;
	while (i < n && is_digit(s[i]))
		nonzero |= s[i++] != '0';
	d->in = (size_t)(s + i - d->ip);
	if (d->in == 0 || (d->in > 1 && d->ip[0] == '0'))
		return DH_EBADVALUE;
	d->fp = s + i;
	if (i < n && s[i] == '.') {
		d->fp = s + ++i;
		while (i < n && is_digit(s[i]))
			nonzero |= s[i++] != '0';
		d->fn = (size_t)(s + i - d->fp);
		if (d->fn == 0)
			return DH_EBADVALUE;
	}
	if (i != n || (d->neg && !nonzero))
		return DH_EBADVALUE;
	if (d->in + d->fn > DH_BIGDEC_MAX_DIGITS)
		return DH_ETOOLONG;
	return 0;
}

/* Magnitude comparison of split texts: integer parts have no leading zeros,
 * so length decides first; fractions compare with implicit trailing zeros. */
static int
bd_cmp_mag(const struct bd *a, const struct bd *b)
{
	if (a->in != b->in)
		return a->in < b->in ? -1 : 1;
	int c = memcmp(a->ip, b->ip, a->in);
	if (c)
		return c < 0 ? -1 : 1;
	size_t m = a->fn > b->fn ? a->fn : b->fn;
	for (size_t i = 0; i < m; i++) {
		int x = i < a->fn ? a->fp[i] : '0';
		int y = i < b->fn ? b->fp[i] : '0';
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

int
dh_bigdec_cmp_num(const char *a, size_t an, const char *b, size_t bn)
{
	struct bd x, y;
	int sa = bd_special(a, an), sb = bd_special(b, bn);
	if (sa >= 0 || sb >= 0) {
		/* a finite value ranks as the positive class */
		int ra = sa >= 0 ? sa : BD_POS, rb = sb >= 0 ? sb : BD_POS;
		return ra < rb ? -1 : ra > rb;
	}
	if (bd_split(a, an, &x) || bd_split(b, bn, &y)) {
		/* not canonical: still a total order, never a crash */
		int c = memcmp(a, b, an < bn ? an : bn);
		if (c)
			return c < 0 ? -1 : 1;
		return an < bn ? -1 : an > bn;
	}
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	int c = bd_cmp_mag(&x, &y);
	return x.neg ? -c : c;
}

int
dh_bigdec_parse(const char *s, size_t n, struct dh_arena *a, struct dh_value *out)
{
	size_t i = 0, i0, i1, f0, f1;
	int neg = 0;
	int64_t exp = 0;

	if (n > DH_VALUE_MAX_BYTES)
		return DH_ETOOLONG;
	if (n && s[n - 1] == 'M')
		n--;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	i0 = i;
	while (i < n && is_digit(s[i]))
		i++;
	i1 = f0 = f1 = i;
	if (i < n && s[i] == '.') {
		f0 = ++i;
		while (i < n && is_digit(s[i]))
			i++;
		f1 = i;
	}
	if (i1 == i0 && f1 == f0)
		return DH_EBADVALUE;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		size_t e0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		e0 = i;
		while (i < n && is_digit(s[i])) {
			/* clamp: anything this big is too long anyway (or zero) */
			if (exp < 1000000000)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (i == e0)
			return DH_EBADVALUE;
		if (eneg)
			exp = -exp;
	}
	if (i != n)
		return DH_EBADVALUE;

	/* The digits D = s[i0..i1) s[f0..f1), read as an integer, times
	 * 10^-scale.  The integer part is D up to intend, less leading zeros,
	 * followed by -scale zeros when scale < 0. */
	size_t in = i1 - i0, fn = f1 - f0, len = in + fn, fnz;
	for (fnz = 0; fnz < len; fnz++)
		if ((fnz < in ? s[i0 + fnz] : s[f0 + fnz - in]) != '0')
			break;
	int zero = fnz == len;
	int64_t scale = (int64_t)fn - exp;
	size_t fracn = scale > 0 ? (size_t)scale : 0;
	size_t pad = scale < 0 && !zero ? (size_t)-scale : 0;
	if (fracn > DH_BIGDEC_MAX_DIGITS || pad > DH_BIGDEC_MAX_DIGITS)
		return DH_ETOOLONG;
	size_t intend = len > fracn ? len - fracn : 0;
	size_t intd = intend > fnz ? intend - fnz : 0; /* integer digits taken from D */
	size_t intn = intd + pad ? intd + pad : 1;
	if (intn + fracn > DH_BIGDEC_MAX_DIGITS)
		return DH_ETOOLONG;

	neg = neg && !zero;
	size_t tn = (size_t)neg + intn + (fracn ? 1 + fracn : 0), k = 0;
	char *t = dh_arena_alloc(a, tn + 1);
	if (neg)
		t[k++] = '-';
	if (intd + pad == 0)
		t[k++] = '0';
	for (size_t j = fnz; j < intend; j++)
		t[k++] = j < in ? s[i0 + j] : s[f0 + j - in];
	for (size_t j = 0; j < pad; j++)
		t[k++] = '0';
	if (fracn) {
		t[k++] = '.';
		for (size_t j = 0; j < fracn; j++) {
			/* fraction digit j is D[len - fracn + j], zero left of D */
			if (len + j < fracn) {
				t[k++] = '0';
			} else {
				size_t x = len + j - fracn;
				t[k++] = x < in ? s[i0 + x] : s[f0 + x - in];
			}
		}
	}
	t[k] = 0;
	out->type = DH_T_BIGDEC;
	out->s.p = t;
	out->s.n = k;
	return 0;
}

/* --- encoding --- */

static uint64_t
double_key(double d)
{
	uint64_t u;
	if (isnan(d)) {
		u = CANON_NAN;
	} else {
		if (d == 0)
			d = 0.0; /* folds -0.0 */
		memcpy(&u, &d, sizeof(u));
	}
	return (u & SIGN64) ? ~u : u ^ SIGN64;
}

static int
encode_str(struct dh_buf *b, const struct dh_value *v, int *spilled)
{
	unsigned char k[DH_VALUE_ENC_MAX];
	const unsigned char *s = (const unsigned char *)v->s.p;
	size_t kn = 0, i;

	if (v->s.n > DH_VALUE_MAX_BYTES)
		return DH_ETOOLONG;
	k[kn++] = (unsigned char)(TAG_BASE + v->type);
	for (i = 0; i < v->s.n; i++) {
		size_t w = s[i] <= ESC ? 2 : 1;
		if (kn - 1 + w > STR_BUDGET)
			break;
		if (s[i] <= ESC) {
			k[kn++] = ESC;
			k[kn++] = (unsigned char)(s[i] + 1);
		} else {
			k[kn++] = s[i];
		}
	}
	if (i == v->s.n) {
		k[kn++] = 0;
	} else {
		k[kn++] = ESC;
		k[kn++] = ESC_SPILL;
		dh_value_digest(v, k + kn);
		kn += DH_VALUE_DIGEST;
		*spilled = 1;
	}
	return dh_buf_add(b, k, kn);
}

static int
encode_bigdec(struct dh_buf *b, const struct dh_value *v)
{
	unsigned char k[DH_KEY_INLINE_MAX];
	size_t kn = 0, len, f, l;
	struct bd d;
	int rc, special = bd_special(v->s.p, v->s.n);

	if (special >= 0) {
		unsigned char sk[4] = {TAG_BASE + DH_T_BIGDEC, (unsigned char)special, 0, 0};
		return dh_buf_add(b, sk, sizeof(sk));
	}
	if ((rc = bd_split(v->s.p, v->s.n, &d)))
		return rc;
	len = d.in + d.fn;
	for (f = 0; f < len && bd_digit(&d, f) == 0; f++)
		;
	k[kn++] = TAG_BASE + DH_T_BIGDEC;
	if (f == len) {
		k[kn++] = BD_ZERO;
	} else {
		unsigned char x = d.neg ? 0xff : 0;
		for (l = len - 1; bd_digit(&d, l) == 0; l--)
			;
		uint16_t e = (uint16_t)((int)d.in - (int)f + 0x8000);
		k[kn++] = d.neg ? BD_NEG : BD_POS;
		k[kn++] = (unsigned char)(e >> 8) ^ x;
		k[kn++] = (unsigned char)e ^ x;
		for (size_t i = f; i <= l; i += 2) {
			int hi = bd_digit(&d, i) + 1;
			int lo = i + 1 <= l ? bd_digit(&d, i + 1) + 1 : 0;
			k[kn++] = (unsigned char)(hi << 4 | lo) ^ x;
		}
		k[kn++] = x;
	}
	k[kn++] = (unsigned char)(d.fn >> 8);
	k[kn++] = (unsigned char)d.fn;
	return dh_buf_add(b, k, kn);
}

int
dh_value_encode(struct dh_buf *b, const struct dh_value *v, int *spilled)
{
	unsigned char k[1 + 16];
	int dummy;

	if (!spilled)
		spilled = &dummy;
	*spilled = 0;
	k[0] = (unsigned char)(TAG_BASE + v->type);
	switch (v->type) {
	case DH_T_BOOL:
		k[1] = v->b ? 1 : 0;
		return dh_buf_add(b, k, 2);
	case DH_T_LONG:
	case DH_T_INSTANT:
		dh_put_u64be(k + 1, (uint64_t)v->i ^ SIGN64);
		return dh_buf_add(b, k, 9);
	case DH_T_REF:
		dh_put_u64be(k + 1, v->ref);
		return dh_buf_add(b, k, 9);
	case DH_T_DOUBLE:
		dh_put_u64be(k + 1, double_key(v->d));
		return dh_buf_add(b, k, 9);
	case DH_T_UUID:
		memcpy(k + 1, v->uuid, 16);
		return dh_buf_add(b, k, 17);
	case DH_T_STRING:
	case DH_T_KEYWORD:
	case DH_T_BYTES:
		return encode_str(b, v, spilled);
	case DH_T_BIGDEC:
		return encode_bigdec(b, v);
	default:
		return DH_EBADVALUE;
	}
}

void
dh_value_digest(const struct dh_value *v, unsigned char out[DH_VALUE_DIGEST])
{
	unsigned char h[32];
	if (is_strlike(v->type) || v->type == DH_T_BIGDEC) {
		dh_sha256(v->s.p, v->s.n, h);
	} else {
		/* only string-likes spill; hash the key so this is still defined */
		struct dh_buf b;
		dh_buf_init(&b, DH_VALUE_ENC_MAX);
		if (dh_value_encode(&b, v, NULL))
			b.len = 0;
		dh_sha256(b.p, b.len, h);
		dh_buf_release(&b);
	}
	memcpy(out, h, DH_VALUE_DIGEST);
}

/* --- decoding --- */

static int
decode_str(const unsigned char *p, size_t n, struct dh_value *v, struct dh_arena *a,
	   const unsigned char **digest)
{
	size_t i = 1, raw = 0;
	int spill = 0;

	for (;;) {
		if (i >= n || i - 1 > STR_BUDGET)
			return DH_ECORRUPT;
		if (p[i] == 0)
			break;
		if (p[i] == ESC) {
			if (i + 1 >= n || p[i + 1] < 1 || p[i + 1] > ESC_SPILL)
				return DH_ECORRUPT;
			if (p[i + 1] == ESC_SPILL) {
				spill = 1;
				break;
			}
			i += 2;
		} else {
			i++;
		}
		raw++;
	}
	size_t body = i - 1, end;
	if (body > STR_BUDGET)
		return DH_ECORRUPT;
	if (spill) {
		/* a spilled prefix is the longest that fits: one more byte would not */
		if (body + 1 < STR_BUDGET || n - i < 2 + DH_VALUE_DIGEST)
			return DH_ECORRUPT;
		end = i + 2 + DH_VALUE_DIGEST;
	} else {
		end = i + 1;
	}
	if (v) {
		unsigned char *s = dh_arena_alloc(a, raw + 1);
		size_t k = 0;
		for (size_t j = 1; j < i; j++)
			s[k++] = p[j] == ESC ? (unsigned char)(p[++j] - 1) : p[j];
		s[k] = 0;
		v->type = (enum dh_type)(p[0] - TAG_BASE);
		v->s.p = (const char *)s;
		v->s.n = raw;
	}
	if (digest)
		*digest = spill ? p + i + 2 : NULL;
	return (int)end;
}

/* Nibble-packed digit j (0-based) of a bigdec at q, already uncomplemented
 * by x; -1 for the pad nibble. */
static int
bd_nibble(const unsigned char *q, unsigned char x, size_t j)
{
	unsigned char c = q[j / 2] ^ x;
	return (j % 2 ? c & 0x0f : c >> 4) - 1;
}

static int
decode_bigdec(const unsigned char *p, size_t n, struct dh_value *v, struct dh_arena *a)
{
	size_t i = 1, k = 0;
	int neg = 0, e = 0;
	const unsigned char *q = NULL;
	unsigned char x = 0;

	if (i < n && (p[i] == BD_NINF || p[i] == BD_PINF || p[i] == BD_NAN)) {
		static const char *const text[] = {[BD_NINF] = "-Infinity", [BD_PINF] = "Infinity",
						   [BD_NAN] = "NaN"};
		const char *t = text[p[i]];
		if (n - i < 3 || p[i + 1] || p[i + 2])
			return DH_ECORRUPT;
		if (v) {
			v->type = DH_T_BIGDEC;
			v->s.p = dh_arena_strdup(a, t);
			v->s.n = strlen(t);
		}
		return (int)i + 3;
	}
	if (i >= n || p[i] < BD_NEG || p[i] > BD_POS)
		return DH_ECORRUPT;
	neg = p[i] == BD_NEG;
	if (p[i++] != BD_ZERO) {
		x = neg ? 0xff : 0;
		if (n - i < 2)
			return DH_ECORRUPT;
		e = (int)(((unsigned)(p[i] ^ x) << 8 | (p[i + 1] ^ x))) - 0x8000;
		i += 2;
		if (e > DH_BIGDEC_MAX_DIGITS || e < -DH_BIGDEC_MAX_DIGITS)
			return DH_ECORRUPT;
		q = p + i;
		for (;;) {
			if (i >= n)
				return DH_ECORRUPT;
			unsigned char c = p[i++] ^ x;
			if (c == 0)
				break;
			int hi = c >> 4, lo = c & 0x0f;
			if (hi < 1 || hi > 10 || lo > 10)
				return DH_ECORRUPT;
			k += lo ? 2 : 1;
			if (k > DH_BIGDEC_MAX_DIGITS)
				return DH_ECORRUPT;
			/* a pad nibble ends the digits: the terminator must follow */
			if (!lo && (i >= n || (p[i] ^ x) != 0))
				return DH_ECORRUPT;
		}
		/* canonical: no leading or trailing zero digits */
		if (k == 0 || bd_nibble(q, x, 0) == 0 || bd_nibble(q, x, k - 1) == 0)
			return DH_ECORRUPT;
	}
	if (n - i < 2)
		return DH_ECORRUPT;
	size_t scale = (size_t)p[i] << 8 | p[i + 1];
	i += 2;
	size_t intn = e > 0 ? (size_t)e : 1;
	if ((k && (int64_t)scale < (int64_t)k - e) || intn + scale > DH_BIGDEC_MAX_DIGITS)
		return DH_ECORRUPT;
	if (v) {
		size_t tn = (size_t)neg + intn + (scale ? 1 + scale : 0), m = 0;
		char *t = dh_arena_alloc(a, tn + 1);
		if (neg)
			t[m++] = '-';
		/* digit i of the significand has place value 10^(e-1-i) */
		for (int j = 0; j < e; j++)
			t[m++] = (char)('0' + ((size_t)j < k ? bd_nibble(q, x, (size_t)j) : 0));
		if (e <= 0)
			t[m++] = '0';
		if (scale)
			t[m++] = '.';
		for (size_t j = 0; j < scale; j++) {
			int64_t d = (int64_t)e + (int64_t)j;
			int digit = d >= 0 && d < (int64_t)k ? bd_nibble(q, x, (size_t)d) : 0;
			t[m++] = (char)('0' + digit);
		}
		t[m] = 0;
		v->type = DH_T_BIGDEC;
		v->s.p = t;
		v->s.n = m;
	}
	return (int)i;
}

/* Decode (v != NULL) or just measure (v == NULL) one value. */
static int
value_scan(const unsigned char *p, size_t n, struct dh_value *v, struct dh_arena *a,
	   const unsigned char **digest)
{
	if (digest)
		*digest = NULL;
	if (n < 1 || p[0] <= TAG_BASE + DH_T_NONE || p[0] >= TAG_BASE + DH_T__COUNT)
		return DH_ECORRUPT;
	enum dh_type t = (enum dh_type)(p[0] - TAG_BASE);
	uint64_t u;
	switch (t) {
	case DH_T_BOOL:
		if (n < 2 || p[1] > 1)
			return DH_ECORRUPT;
		if (v) {
			v->type = t;
			v->b = p[1];
		}
		return 2;
	case DH_T_LONG:
	case DH_T_INSTANT:
	case DH_T_REF:
	case DH_T_DOUBLE:
		if (n < 9)
			return DH_ECORRUPT;
		u = dh_get_u64be(p + 1);
		if (t == DH_T_DOUBLE) {
			u = (u & SIGN64) ? u ^ SIGN64 : ~u;
			/* only 0.0 and the one NaN are ever written */
			if (u == SIGN64)
				return DH_ECORRUPT;
			if ((u & 0x7ff0000000000000) == 0x7ff0000000000000 &&
			    (u & 0x000fffffffffffff) && u != CANON_NAN)
				return DH_ECORRUPT;
		}
		if (v) {
			v->type = t;
			if (t == DH_T_DOUBLE)
				memcpy(&v->d, &u, sizeof(u));
			else if (t == DH_T_REF)
				v->ref = u;
			else
				v->i = (int64_t)(u ^ SIGN64);
		}
		return 9;
	case DH_T_UUID:
		if (n < 17)
			return DH_ECORRUPT;
		if (v) {
			v->type = t;
			memcpy(v->uuid, p + 1, 16);
		}
		return 17;
	case DH_T_STRING:
	case DH_T_KEYWORD:
	case DH_T_BYTES:
		return decode_str(p, n, v, a, digest);
	case DH_T_BIGDEC:
		return decode_bigdec(p, n, v, a);
	default:
		return DH_ECORRUPT;
	}
}

int
dh_value_decode(const unsigned char *p, size_t n, struct dh_value *v, struct dh_arena *a,
		const unsigned char **digest)
{
	return value_scan(p, n, v, a, digest);
}

int
dh_value_skip(const unsigned char *p, size_t n)
{
	return value_scan(p, n, NULL, NULL, NULL);
}

/* --- comparison --- */

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int
dh_value_cmp(const struct dh_value *a, const struct dh_value *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	switch (a->type) {
	case DH_T_BOOL:
		return (!!a->b) - (!!b->b);
	case DH_T_LONG:
	case DH_T_INSTANT:
		return a->i < b->i ? -1 : a->i > b->i;
	case DH_T_REF:
		return cmp_u64(a->ref, b->ref);
	case DH_T_DOUBLE:
		if (isnan(a->d))
			return isnan(b->d) ? 0 : 1;
		if (isnan(b->d))
			return -1;
		return a->d < b->d ? -1 : a->d > b->d;
	case DH_T_UUID: {
		int c = memcmp(a->uuid, b->uuid, 16);
		return c < 0 ? -1 : c > 0;
	}
	case DH_T_STRING:
	case DH_T_KEYWORD:
	case DH_T_BYTES: {
		size_t m = a->s.n < b->s.n ? a->s.n : b->s.n;
		int c = m ? memcmp(a->s.p, b->s.p, m) : 0;
		if (c)
			return c < 0 ? -1 : 1;
		return cmp_u64(a->s.n, b->s.n);
	}
	case DH_T_BIGDEC: {
		int c = dh_bigdec_cmp_num(a->s.p, a->s.n, b->s.p, b->s.n);
		if (c)
			return c;
		struct bd x, y;
		if (bd_split(a->s.p, a->s.n, &x) || bd_split(b->s.p, b->s.n, &y))
			return 0; /* equal bytes: cmp_num fell back to memcmp */
		return cmp_u64(x.fn, y.fn);
	}
	case DH_T_COLL: {
		const struct dh_coll *x = a->coll, *y = b->coll;
		if (x->kind != y->kind)
			return x->kind < y->kind ? -1 : 1;
		size_t m = x->n < y->n ? x->n : y->n;
		for (size_t i = 0; i < m; i++) {
			int c = dh_value_cmp(&x->items[i], &y->items[i]);
			if (c)
				return c;
		}
		return cmp_u64(x->n, y->n);
	}
	default:
		return 0;
	}
}

int
dh_value_eq(const struct dh_value *a, const struct dh_value *b)
{
	return dh_value_cmp(a, b) == 0;
}

/* --- doubles --- */

void
dh_double_format(double d, char out[40])
{
	char tmp[40];
	int p;

	if (isnan(d)) {
		memcpy(out, "##NaN", 6);
		return;
	}
	if (isinf(d)) {
		memcpy(out, d > 0 ? "##Inf" : "##-Inf", d > 0 ? 6 : 7);
		return;
	}
	/* Shortest %g that reads back exactly.  Normal doubles round-trip at
	 * 15 digits whenever a shorter form exists (their ulp is far below the
	 * 15-digit spacing); subnormals, with few bits, may need fewer, so for
	 * them every precision is tried. */
	p = fpclassify(d) == FP_SUBNORMAL ? 1 : 15;
	for (; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*g", p, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	if (p == 17)
		snprintf(tmp, sizeof(tmp), "%.17g", d);

	/* EDN/Clojure style: the mantissa always has a '.', the exponent is
	 * "E" with no '+' and no leading zeros: 1e+20 -> 1.0E20. */
	char *e = strchr(tmp, 'e');
	size_t mlen = e ? (size_t)(e - tmp) : strlen(tmp), k = 0;
	memcpy(out, tmp, mlen);
	k = mlen;
	if (!memchr(tmp, '.', mlen)) {
		out[k++] = '.';
		out[k++] = '0';
	}
	if (e) {
		const char *x = e + 1;
		out[k++] = 'E';
		if (*x == '-')
			out[k++] = *x++;
		else if (*x == '+')
			x++;
		while (*x == '0' && x[1])
			x++;
		while (*x)
			out[k++] = *x++;
	}
	out[k] = 0;
}

/* --- instants --- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): exact for any year, no time zone, no libc. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Read exactly w digits at s[*i]; -1 if they are not there. */
static int
fixed_num(const char *s, size_t n, size_t *i, int w)
{
	int v = 0;
	if (n - *i < (size_t)w)
		return -1;
	for (int j = 0; j < w; j++) {
		char c = s[*i + (size_t)j];
		if (!is_digit(c))
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)w;
	return v;
}

int
dh_instant_parse(const char *s, size_t n, int64_t *us)
{
	size_t i = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, off = 0;

	y = fixed_num(s, n, &i, 4);
	if (y < 1 || i >= n || s[i++] != '-')
		return DH_EBADTIME;
	mo = fixed_num(s, n, &i, 2);
	if (mo < 1 || mo > 12 || i >= n || s[i++] != '-')
		return DH_EBADTIME;
	d = fixed_num(s, n, &i, 2);
	if (d < 1 || d > days_in_month(y, mo))
		return DH_EBADTIME;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return DH_EBADTIME;
		i++;
		h = fixed_num(s, n, &i, 2);
		if (h < 0 || h > 23 || i >= n || s[i++] != ':')
			return DH_EBADTIME;
		mi = fixed_num(s, n, &i, 2);
		if (mi < 0 || mi > 59)
			return DH_EBADTIME;
		if (i < n && s[i] == ':') {
			i++;
			sec = fixed_num(s, n, &i, 2);
			if (sec < 0 || sec > 59)
				return DH_EBADTIME;
			if (i < n && s[i] == '.') {
				int nd = 0;
				i++;
				while (i < n && is_digit(s[i])) {
					if (++nd > 9)
						return DH_EBADTIME;
					if (nd <= 6)
						frac = frac * 10 + (s[i] - '0');
					i++;
				}
				if (nd == 0)
					return DH_EBADTIME;
				for (; nd < 6; nd++)
					frac *= 10;
			}
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1, oh, om;
			oh = fixed_num(s, n, &i, 2);
			if (i < n && s[i] == ':')
				i++;
			om = fixed_num(s, n, &i, 2);
			if (oh < 0 || oh > 23 || om < 0 || om > 59)
				return DH_EBADTIME;
			off = sign * (oh * 60 + om);
		}
		if (i != n)
			return DH_EBADTIME;
	}
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
		       (int64_t)off * 60;
	*us = secs * 1000000 + frac;
	return 0;
}

void
dh_instant_format(int64_t us, char out[DH_INSTANT_STRLEN])
{
	int64_t secs = us / 1000000, frac = us % 1000000, y, days, rem;
	int m, d, k;

	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	k = snprintf(out, DH_INSTANT_STRLEN, y >= 0 && y <= 9999 ? "%04lld" : "%+05lld",
		     (long long)y);
	k += snprintf(out + k, DH_INSTANT_STRLEN - (size_t)k, "-%02d-%02dT%02d:%02d:%02d", m, d,
		      (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (frac && frac % 1000 == 0)
		k += snprintf(out + k, DH_INSTANT_STRLEN - (size_t)k, ".%03d", (int)(frac / 1000));
	else if (frac)
		k += snprintf(out + k, DH_INSTANT_STRLEN - (size_t)k, ".%06d", (int)frac);
	snprintf(out + k, DH_INSTANT_STRLEN - (size_t)k, "Z");
}

/* --- uuids --- */

int
dh_uuid_parse(const char *s, size_t n, unsigned char out[16])
{
	unsigned char u[16];
	size_t i = 0, k = 0;

	if (n != 36)
		return DH_EBADVALUE;
	while (i < n) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return DH_EBADVALUE;
			continue;
		}
		int hi = dh_hexval(s[i]), lo = dh_hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return DH_EBADVALUE;
		u[k++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	memcpy(out, u, 16);
	return 0;
}

void
dh_uuid_format(const unsigned char u[16], char out[DH_UUID_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[u[i] >> 4];
		out[k++] = hex[u[i] & 15];
	}
	out[k] = 0;
}

/* --- base64 --- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
dh_base64_encode(struct dh_buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	char q[4];
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i += 3) {
		uint32_t x = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			x |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			x |= s[i + 2];
		q[0] = b64[x >> 18];
		q[1] = b64[x >> 12 & 63];
		q[2] = i + 1 < n ? b64[x >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[x & 63] : '=';
		rc = dh_buf_add(b, q, 4);
	}
	return rc;
}

static int
b64val(int c)
{
	const char *x = c ? strchr(b64, c) : NULL;
	return x ? (int)(x - b64) : -1;
}

int
dh_base64_decode(const char *s, size_t n, struct dh_arena *a, unsigned char **out,
		 size_t *outlen)
{
	size_t pad = 0, k = 0;

	if (n % 4)
		return DH_EBADVALUE;
	if (n && s[n - 1] == '=')
		pad = n > 1 && s[n - 2] == '=' ? 2 : 1;
	unsigned char *r = dh_arena_alloc(a, n / 4 * 3 + 1);
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		uint32_t x = 0;
		int last = i + 4 == n, keep = last ? 4 - (int)pad : 4;
		for (int j = 0; j < 4; j++) {
			v[j] = j < keep ? b64val((unsigned char)s[i + (size_t)j]) : 0;
			if (v[j] < 0)
				return DH_EBADVALUE;
			x = x << 6 | (uint32_t)v[j];
		}
		/* canonical only: the bits under the padding must be zero */
		if ((keep == 2 && (x & 0xffff)) || (keep == 3 && (x & 0xff)))
			return DH_EBADVALUE;
		r[k++] = (unsigned char)(x >> 16);
		if (keep > 2)
			r[k++] = (unsigned char)(x >> 8);
		if (keep > 3)
			r[k++] = (unsigned char)x;
	}
	r[k] = 0;
	*out = r;
	*outlen = k;
	return 0;
}

/* --- EDN text --- */

static int
print_string(struct dh_buf *b, const char *s, size_t n)
{
	int rc = dh_buf_addc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[8];
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(u, sizeof(u), "\\u%04x", c);
				esc = u;
			}
		}
		if (!esc)
			continue;
		/* copy the plain run before the escape in one piece */
		rc = dh_buf_add(b, s + run, i - run);
		if (rc == 0)
			rc = dh_buf_adds(b, esc);
		run = i + 1;
	}
	if (rc == 0)
		rc = dh_buf_add(b, s + run, n - run);
	if (rc == 0)
		rc = dh_buf_addc(b, '"');
	return rc;
}

int
dh_value_print_edn(struct dh_buf *b, const struct dh_value *v)
{
	char tmp[48];
	int rc;

	switch (v->type) {
	case DH_T_BOOL:
		return dh_buf_adds(b, v->b ? "true" : "false");
	case DH_T_LONG:
		return dh_buf_printf(b, "%lld", (long long)v->i);
	case DH_T_REF:
		return dh_buf_printf(b, "%llu", (unsigned long long)v->ref);
	case DH_T_BIGDEC:
		/* EDN has no bigdec NaN or infinity: print the double's */
		switch (bd_special(v->s.p, v->s.n)) {
		case BD_NAN:
			return dh_buf_adds(b, "##NaN");
		case BD_PINF:
			return dh_buf_adds(b, "##Inf");
		case BD_NINF:
			return dh_buf_adds(b, "##-Inf");
		}
		rc = dh_buf_add(b, v->s.p, v->s.n);
		return rc ? rc : dh_buf_addc(b, 'M');
	case DH_T_DOUBLE:
		dh_double_format(v->d, tmp);
		return dh_buf_adds(b, tmp);
	case DH_T_INSTANT:
		dh_instant_format(v->i, tmp);
		return dh_buf_printf(b, "#inst \"%s\"", tmp);
	case DH_T_UUID:
		dh_uuid_format(v->uuid, tmp);
		return dh_buf_printf(b, "#uuid \"%s\"", tmp);
	case DH_T_STRING:
		return print_string(b, v->s.p, v->s.n);
	case DH_T_KEYWORD:
		rc = dh_buf_addc(b, ':');
		return rc ? rc : dh_buf_add(b, v->s.p, v->s.n);
	case DH_T_BYTES:
		rc = dh_buf_adds(b, "#bytes \"");
		if (rc == 0)
			rc = dh_base64_encode(b, v->s.p, v->s.n);
		return rc ? rc : dh_buf_addc(b, '"');
	case DH_T_COLL: {
		static const char *const open[] = {"[", "(", "#{", "{"};
		static const char *const close[] = {"]", ")", "}", "}"};
		const struct dh_coll *c = v->coll;
		rc = dh_buf_adds(b, open[c->kind]);
		for (size_t i = 0; rc == 0 && i < c->n; i++) {
			if (i)
				rc = dh_buf_adds(b, c->kind == DH_COLL_MAP && i % 2 == 0 ? ", " : " ");
			if (rc == 0)
				rc = dh_value_print_edn(b, &c->items[i]);
		}
		return rc ? rc : dh_buf_adds(b, close[c->kind]);
	}
	default:
		return dh_buf_adds(b, "nil");
	}
}

struct dh_value
dh_value_copy(struct dh_arena *a, const struct dh_value *v)
{
	struct dh_value r = *v;
	switch (v->type) {
	case DH_T_STRING:
	case DH_T_KEYWORD:
	case DH_T_BYTES:
	case DH_T_BIGDEC:
		r.s.p = dh_arena_strndup(a, v->s.p ? v->s.p : "", v->s.n);
		break;
	case DH_T_COLL: {
		struct dh_coll *c = dh_arena_alloc(a, sizeof(*c));
		c->kind = v->coll->kind;
		c->n = v->coll->n;
		c->items = dh_arena_alloc(a, (c->n ? c->n : 1) * sizeof(*c->items));
		for (size_t i = 0; i < c->n; i++)
			c->items[i] = dh_value_copy(a, &v->coll->items[i]);
		r.coll = c;
		break;
	}
	default:
		break;
	}
	return r;
}
