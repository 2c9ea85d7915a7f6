/*
 * sqlnum: PostgreSQL's numeric type on BIGDEC values: input and output,
 * typmods, binary form, comparison, conversions and the arithmetic and
 * functions of PostgreSQL 15 with its result scales (select_div_scale, the
 * scales of sqrt, exp, ln, log and power) and its errors.
 *
 * Values arrive and leave as canonical bigdec text (datom.h): the fraction
 * digits are the display scale, so "1.50" and "1.5" are different values
 * that compare equal, as in PostgreSQL.  Non-finite values are the texts
 * "NaN", "Infinity" and "-Infinity".  Inside, a number is a struct num in
 * PostgreSQL's own layout: base-10000 digits with a weight, a sign and a
 * display scale, so that rounding positions, scale rules and the binary
 * form come out as PostgreSQL's.
 *
 * Arithmetic here is exact where PostgreSQL's is exact (+ - * / to the
 * chosen scale, mod, rounding) and carries guard digits where PostgreSQL
 * approximates (sqrt is exact; exp, ln, log and non-integer powers carry
 * more guard digits than PostgreSQL, so they are correctly rounded except
 * when the true value lies within ~1e-20 of a rounding boundary).
 *
 * Temporaries live in a scratch arena per call (freed at the end); results
 * go to the caller's arena.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltype-int.h"

#define NBASE 10000
#define HALF_NBASE 5000
#define DEC_DIGITS 4

#define NPOS 0
#define NNEG 1
#define NNAN 2
#define NPINF 3
#define NNINF 4

#define MAX_PRECISION 1000
#define MAX_DISPLAY_SCALE 1000
#define MIN_DISPLAY_SCALE 0
#define MAX_RESULT_SCALE (MAX_PRECISION * 2)
#define MIN_SIG_DIGITS 16
#define WEIGHT_MAX 32767
#define WEIGHT_MIN (-32768)
#define DSCALE_MAX 0x3FFF
/* Guard digits beyond PostgreSQL's, for exp/ln/power */
#define GUARD 12

struct num {
	int sign;
	int weight; /* weight of d[0]: value = sum d[i] * NBASE^(weight - i) */
	int ndigits;
	int dscale;
	int32_t *d;
};

static const int round_powers[4] = {0, 1000, 100, 10};

static int
is_special(const struct num *x)
{
	return x->sign == NNAN || x->sign == NPINF || x->sign == NNINF;
}

static void
set_zero(struct num *x)
{
	x->sign = NPOS;
	x->weight = 0;
	x->ndigits = 0;
	x->d = NULL;
}

static void
set_special(struct num *x, int sign)
{
	set_zero(x);
	x->sign = sign;
	x->dscale = 0;
}

static int32_t *
dalloc(struct dh_arena *a, int n)
{
	return dh_arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
}

static void
num_copy(struct dh_arena *a, const struct num *src, struct num *dst)
{
	int32_t *d = dalloc(a, src->ndigits);
	if (src->ndigits)
		memcpy(d, src->d, (size_t)src->ndigits * sizeof(int32_t));
	*dst = *src;
	dst->d = d;
}

static void
num_int(struct dh_arena *a, int64_t v, struct num *x)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int32_t tmp[6];
	int n = 0;
	set_zero(x);
	x->dscale = 0;
	if (v == 0)
		return;
	x->sign = v < 0 ? NNEG : NPOS;
	while (u) {
		tmp[n++] = (int32_t)(u % NBASE);
		u /= NBASE;
	}
	x->d = dalloc(a, n);
	for (int i = 0; i < n; i++)
		x->d[i] = tmp[n - 1 - i];
	x->ndigits = n;
	x->weight = n - 1;
}

/* Drop leading and trailing zero digits; a zero gets weight 0, sign +. */
static void
strip(struct num *x)
{
	while (x->ndigits > 0 && x->d[0] == 0) {
		x->d++;
		x->weight--;
		x->ndigits--;
	}
	while (x->ndigits > 0 && x->d[x->ndigits - 1] == 0)
		x->ndigits--;
	if (x->ndigits == 0) {
		x->weight = 0;
		x->sign = NPOS;
		x->d = NULL;
	}
}

/* --- text --- */

/* From decimal digits dig[0..nd) (values 0-9) whose first digit has decimal
 * weight dweight (10^dweight). */
static void
from_dec(struct dh_arena *a, int neg, const unsigned char *dig, int nd, int dweight,
	 int dscale, struct num *x)
{
	int weight, offset, ndigits;
	if (dweight >= 0)
		weight = (dweight + 1 + DEC_DIGITS - 1) / DEC_DIGITS - 1;
	else
		weight = -((-dweight - 1) / DEC_DIGITS + 1);
	offset = (weight + 1) * DEC_DIGITS - (dweight + 1);
	ndigits = (nd + offset + DEC_DIGITS - 1) / DEC_DIGITS;
	x->sign = neg ? NNEG : NPOS;
	x->weight = weight;
	x->dscale = dscale;
	x->ndigits = ndigits;
	x->d = dalloc(a, ndigits);
	for (int i = 0; i < ndigits; i++) {
		int v = 0;
		for (int k = 0; k < DEC_DIGITS; k++) {
			int j = i * DEC_DIGITS + k - offset;
			v = v * 10 + (j >= 0 && j < nd ? dig[j] : 0);
		}
		x->d[i] = v;
	}
	strip(x);
}

/* Canonical bigdec text (or NaN/Infinity/-Infinity) -> num.  Tolerates any
 * -?digits(.digits)? text; -1 on anything else. */
static int
from_text(struct dh_arena *a, const char *s, size_t n, struct num *x)
{
	size_t i = 0, nd = 0;
	int neg = 0, dweight = -1, dscale = 0, seen_dp = 0;
	unsigned char *dig;

	if (n == 3 && memcmp(s, "NaN", 3) == 0) {
		set_special(x, NNAN);
		return 0;
	}
	if (n == 8 && memcmp(s, "Infinity", 8) == 0) {
		set_special(x, NPINF);
		return 0;
	}
	if (n == 9 && memcmp(s, "-Infinity", 9) == 0) {
		set_special(x, NNINF);
		return 0;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	dig = dh_arena_alloc(a, n + 1);
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			dig[nd++] = (unsigned char)(s[i] - '0');
			if (seen_dp)
				dscale++;
			else
				dweight++;
		} else if (s[i] == '.' && !seen_dp) {
			seen_dp = 1;
		} else {
			return -1;
		}
	}
	if (nd == 0)
		return -1;
	from_dec(a, neg, dig, (int)nd, dweight, dscale, x);
	return 0;
}

/* num -> text in arena (PostgreSQL's get_str_from_var / numeric_out). */
static char *
to_text(struct dh_arena *a, const struct num *x, size_t *len)
{
	int dscale = x->dscale, i, d;
	char *str, *cp, *endcp;
	int32_t dig;

	if (x->sign == NNAN || x->sign == NPINF || x->sign == NNINF) {
		const char *t = x->sign == NNAN ? "NaN" : x->sign == NPINF ? "Infinity" : "-Infinity";
		*len = strlen(t);
		return dh_arena_strdup(a, t);
	}
	i = (x->weight + 1) * DEC_DIGITS;
	if (i <= 0)
		i = 1;
	str = dh_arena_alloc(a, (size_t)i + (size_t)dscale + DEC_DIGITS + 2);
	cp = str;
	if (x->sign == NNEG)
		*cp++ = '-';
	if (x->weight < 0) {
		d = x->weight + 1;
		*cp++ = '0';
	} else {
		for (d = 0; d <= x->weight; d++) {
			int putit = d > 0, p = 1000;
			dig = d < x->ndigits ? x->d[d] : 0;
			for (int k = 0; k < DEC_DIGITS - 1; k++, p /= 10) {
				int d1 = dig / p;
				dig -= d1 * p;
				putit |= d1 > 0;
				if (putit)
					*cp++ = (char)('0' + d1);
			}
			*cp++ = (char)('0' + dig);
		}
	}
	if (dscale > 0) {
		*cp++ = '.';
		endcp = cp + dscale;
		for (i = 0; i < dscale; d++, i += DEC_DIGITS) {
			int p = 1000;
			dig = d >= 0 && d < x->ndigits ? x->d[d] : 0;
			for (int k = 0; k < DEC_DIGITS; k++, p /= 10) {
				int d1 = dig / p;
				dig -= d1 * p;
				*cp++ = (char)('0' + d1);
			}
		}
		cp = endcp;
	}
	*cp = '\0';
	*len = (size_t)(cp - str);
	return str;
}

/* --- results --- */

static int
overflow_err(struct dh_err *err)
{
	return dh_err_sql(err, SQLSTATE_RANGE, "value overflows numeric format");
}

/* PostgreSQL's make_result: the value must fit the stored format. */
static int
make_result(const struct num *x0, struct dh_arena *out_a, struct dh_value *out,
	    struct dh_err *err)
{
	struct num x = *x0;
	size_t len;
	char *t;
	if (!is_special(&x)) {
		strip(&x);
		if (x.weight > WEIGHT_MAX || x.weight < WEIGHT_MIN || x.dscale > DSCALE_MAX ||
		    x.dscale < 0)
			return overflow_err(err);
	}
	t = to_text(out_a, &x, &len);
	out->type = DH_T_BIGDEC;
	out->s.p = t;
	out->s.n = len;
	return 0;
}

static int
bad_value(struct dh_err *err)
{
	return dh_err_sql(err, SQLSTATE_INTERNAL, "invalid numeric value");
}

/* A value argument -> num; ints and doubles are accepted too (as their
 * exact or %.15g values) so that callers may pass any numeric-ish value. */
static int
get_num(struct dh_arena *a, const struct dh_value *v, struct num *x, struct dh_err *err)
{
	switch (v->type) {
	case DH_T_BIGDEC:
		if (from_text(a, v->s.p, v->s.n, x))
			return bad_value(err);
		return 0;
	case DH_T_LONG:
		num_int(a, v->i, x);
		return 0;
	default:
		return bad_value(err);
	}
}

/* --- comparison --- */

static int
cmp_abs(const struct num *a, const struct num *b)
{
	int i1 = 0, i2 = 0, w1 = a->weight, w2 = b->weight;
	while (w1 > w2 && i1 < a->ndigits) {
		if (a->d[i1++] != 0)
			return 1;
		w1--;
	}
	while (w2 > w1 && i2 < b->ndigits) {
		if (b->d[i2++] != 0)
			return -1;
		w2--;
	}
	if (w1 == w2) {
		while (i1 < a->ndigits && i2 < b->ndigits) {
			int s = a->d[i1++] - b->d[i2++];
			if (s)
				return s > 0 ? 1 : -1;
		}
	}
	while (i1 < a->ndigits)
		if (a->d[i1++] != 0)
			return 1;
	while (i2 < b->ndigits)
		if (b->d[i2++] != 0)
			return -1;
	return 0;
}

/* finite values */
static int
cmp_num(const struct num *a, const struct num *b)
{
	if (a->ndigits == 0) {
		if (b->ndigits == 0)
			return 0;
		return b->sign == NNEG ? 1 : -1;
	}
	if (b->ndigits == 0)
		return a->sign == NPOS ? 1 : -1;
	if (a->sign == NPOS) {
		if (b->sign == NNEG)
			return 1;
		return cmp_abs(a, b);
	}
	if (b->sign == NPOS)
		return -1;
	return cmp_abs(b, a);
}

/* total order: -Inf < finite < Inf < NaN */
static int
cmp_total(const struct num *a, const struct num *b)
{
	static const int rank[] = {[NPOS] = 1, [NNEG] = 1, [NNAN] = 3, [NPINF] = 2, [NNINF] = 0};
	int ra = rank[a->sign], rb = rank[b->sign];
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra != 1)
		return 0;
	return cmp_num(a, b);
}

/* --- addition --- */

static void
add_abs(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	int res_weight = (a->weight > b->weight ? a->weight : b->weight) + 1;
	int res_dscale = a->dscale > b->dscale ? a->dscale : b->dscale;
	int rs1 = a->ndigits - a->weight - 1, rs2 = b->ndigits - b->weight - 1;
	int res_rscale = rs1 > rs2 ? rs1 : rs2;
	int res_ndigits = res_rscale + res_weight + 1;
	int32_t *rd;
	int carry = 0, i1, i2;
	if (res_ndigits <= 0)
		res_ndigits = 1;
	rd = dalloc(ta, res_ndigits);
	i1 = res_rscale + a->weight + 1;
	i2 = res_rscale + b->weight + 1;
	for (int i = res_ndigits - 1; i >= 0; i--) {
		i1--;
		i2--;
		if (i1 >= 0 && i1 < a->ndigits)
			carry += a->d[i1];
		if (i2 >= 0 && i2 < b->ndigits)
			carry += b->d[i2];
		if (carry >= NBASE) {
			rd[i] = carry - NBASE;
			carry = 1;
		} else {
			rd[i] = carry;
			carry = 0;
		}
	}
	r->d = rd;
	r->ndigits = res_ndigits;
	r->weight = res_weight;
	r->dscale = res_dscale;
	strip(r);
}

/* |a| >= |b| */
static void
sub_abs(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	int res_weight = a->weight;
	int res_dscale = a->dscale > b->dscale ? a->dscale : b->dscale;
	int rs1 = a->ndigits - a->weight - 1, rs2 = b->ndigits - b->weight - 1;
	int res_rscale = rs1 > rs2 ? rs1 : rs2;
	int res_ndigits = res_rscale + res_weight + 1;
	int32_t *rd;
	int borrow = 0, i1, i2;
	if (res_ndigits <= 0)
		res_ndigits = 1;
	rd = dalloc(ta, res_ndigits);
	i1 = res_rscale + a->weight + 1;
	i2 = res_rscale + b->weight + 1;
	for (int i = res_ndigits - 1; i >= 0; i--) {
		i1--;
		i2--;
		if (i1 >= 0 && i1 < a->ndigits)
			borrow += a->d[i1];
		if (i2 >= 0 && i2 < b->ndigits)
			borrow -= b->d[i2];
		if (borrow < 0) {
			rd[i] = borrow + NBASE;
			borrow = -1;
		} else {
			rd[i] = borrow;
			borrow = 0;
		}
	}
	r->d = rd;
	r->ndigits = res_ndigits;
	r->weight = res_weight;
	r->dscale = res_dscale;
	strip(r);
}

static void
add_num(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	struct num t;
	int dscale = a->dscale > b->dscale ? a->dscale : b->dscale;
	if (a->sign == b->sign) {
		int s = a->sign;
		add_abs(ta, a, b, &t);
		t.sign = t.ndigits ? s : NPOS;
	} else {
		int c = cmp_abs(a, b);
		if (c == 0) {
			set_zero(&t);
		} else if (c > 0) {
			sub_abs(ta, a, b, &t);
			t.sign = a->sign;
		} else {
			sub_abs(ta, b, a, &t);
			t.sign = b->sign;
		}
	}
	t.dscale = dscale;
	*r = t;
}

static void
sub_num(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	struct num nb = *b;
	if (nb.ndigits)
		nb.sign = nb.sign == NPOS ? NNEG : NPOS;
	add_num(ta, a, &nb, r);
}

/* --- rounding --- */

/* Round to rscale decimal digits after the point (rscale < 0: before it),
 * half away from zero; dscale becomes rscale. */
static void
round_num(struct dh_arena *ta, struct num *x, int rscale)
{
	int di, nd, carry;
	int32_t *arr;
	x->dscale = rscale;
	di = (x->weight + 1) * DEC_DIGITS + rscale;
	if (di < 0) {
		set_zero(x);
		return;
	}
	nd = (di + DEC_DIGITS - 1) / DEC_DIGITS;
	di %= DEC_DIGITS;
	if (!(nd < x->ndigits || (nd == x->ndigits && di > 0)))
		return;
	/* arr[0] takes a carry out of the top digit */
	arr = dalloc(ta, nd + 1);
	arr[0] = 0;
	for (int i = 0; i < nd; i++)
		arr[i + 1] = x->d[i];
	if (di == 0) {
		carry = x->d[nd] >= HALF_NBASE ? 1 : 0;
	} else {
		int p = round_powers[di], extra = arr[nd] % p;
		arr[nd] -= extra;
		carry = 0;
		if (extra >= p / 2) {
			int v = arr[nd] + p;
			if (v >= NBASE) {
				v -= NBASE;
				carry = 1;
			}
			arr[nd] = v;
		}
		nd--; /* the digit just rounded is done */
	}
	for (int i = nd; carry && i >= 0; i--) {
		int v = arr[i] + carry;
		if (v >= NBASE) {
			arr[i] = v - NBASE;
			carry = 1;
		} else {
			arr[i] = v;
			carry = 0;
		}
	}
	x->d = arr;
	x->weight += 1;
	x->ndigits = (int)((di == 0) ? nd + 1 : nd + 2);
	strip(x);
	x->dscale = rscale;
}

static void
trunc_num(struct dh_arena *ta, struct num *x, int rscale)
{
	int di, nd;
	x->dscale = rscale;
	di = (x->weight + 1) * DEC_DIGITS + rscale;
	if (di <= 0) {
		set_zero(x);
		return;
	}
	nd = (di + DEC_DIGITS - 1) / DEC_DIGITS;
	if (nd <= x->ndigits) {
		int32_t *arr = dalloc(ta, nd);
		memcpy(arr, x->d, (size_t)nd * sizeof(int32_t));
		di %= DEC_DIGITS;
		if (di > 0)
			arr[nd - 1] -= arr[nd - 1] % round_powers[di];
		x->d = arr;
		x->ndigits = nd;
		strip(x);
	}
	x->dscale = rscale;
}

/* --- multiplication and division --- */

/* Exact product, then rounded to rscale.  The schoolbook product runs on
 * pairs of digits (base 10^8) in 64-bit columns, which are carried every
 * thousand rows before they could overflow. */
static void
mul_num(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
	int rscale)
{
	const uint64_t B2 = (uint64_t)NBASE * NBASE;
	int na = a->ndigits, nb = b->ndigits, pa, pb, np;
	uint64_t *A, *Bp, *acc;
	int32_t *rd;
	struct num t;
	if (na == 0 || nb == 0) {
		set_zero(r);
		r->dscale = rscale;
		return;
	}
	/* pair the digits, a trailing zero digit making the count even */
	pa = (na + 1) / 2;
	pb = (nb + 1) / 2;
	A = dh_arena_alloc(ta, (size_t)pa * sizeof(uint64_t));
	Bp = dh_arena_alloc(ta, (size_t)pb * sizeof(uint64_t));
	for (int i = 0; i < pa; i++)
		A[i] = (uint64_t)a->d[2 * i] * NBASE + (2 * i + 1 < na ? (uint64_t)a->d[2 * i + 1] : 0);
	for (int j = 0; j < pb; j++)
		Bp[j] = (uint64_t)b->d[2 * j] * NBASE + (2 * j + 1 < nb ? (uint64_t)b->d[2 * j + 1] : 0);
	np = pa + pb;
	acc = dh_arena_zalloc(ta, (size_t)np * sizeof(uint64_t));
	for (int i = 0; i < pa; i++) {
		uint64_t ai = A[i];
		uint64_t *col = acc + i + 1;
		if (ai)
			for (int j = 0; j < pb; j++)
				col[j] += ai * Bp[j];
		if (i % 1000 == 999) {
			uint64_t carry = 0;
			for (int k = np - 1; k >= 0; k--) {
				uint64_t v = acc[k] + carry;
				acc[k] = v % B2;
				carry = v / B2;
			}
		}
	}
	rd = dalloc(ta, 2 * np);
	{
		uint64_t carry = 0;
		for (int k = np - 1; k >= 0; k--) {
			uint64_t v = acc[k] + carry;
			uint64_t lo = v % B2;
			carry = v / B2;
			rd[2 * k] = (int32_t)(lo / NBASE);
			rd[2 * k + 1] = (int32_t)(lo % NBASE);
		}
	}
	t.sign = a->sign == b->sign ? NPOS : NNEG;
	t.weight = a->weight + b->weight + 1;
	t.ndigits = 2 * np;
	t.d = rd;
	t.dscale = a->dscale + b->dscale;
	strip(&t);
	if (rscale < t.dscale)
		round_num(ta, &t, rscale);
	t.dscale = rscale;
	*r = t;
}

/* Multiply the digits of x (in place, x owned) by a small factor. */
static void
mul_small(struct dh_arena *ta, struct num *x, int f)
{
	int32_t *rd;
	int64_t carry = 0;
	if (x->ndigits == 0 || f == 1)
		return;
	rd = dalloc(ta, x->ndigits + 2);
	for (int i = x->ndigits - 1; i >= 0; i--) {
		int64_t v = (int64_t)x->d[i] * f + carry;
		rd[i + 2] = (int32_t)(v % NBASE);
		carry = v / NBASE;
	}
	rd[1] = (int32_t)(carry % NBASE);
	rd[0] = (int32_t)(carry / NBASE);
	x->d = rd;
	x->ndigits += 2;
	x->weight += 2;
	strip(x);
}

/* Quotient digits of u[0..ul) / v[0..vl) (v[0] != 0, ul >= vl): q has
 * ul - vl + 1 digits, truncated (Knuth's algorithm D, base NBASE). */
static void
long_div(struct dh_arena *ta, const int32_t *u0, int ul, const int32_t *v0, int vl, int32_t *q)
{
	int m = ul - vl;
	if (vl == 1) {
		int64_t rem = 0, dv = v0[0];
		for (int j = 0; j <= m; j++) {
			int64_t cur = rem * NBASE + u0[j];
			q[j] = (int32_t)(cur / dv);
			rem = cur % dv;
		}
		return;
	}
	int32_t *u = dalloc(ta, ul + 1), *v = dalloc(ta, vl);
	int d = NBASE / (v0[0] + 1);
	int64_t carry = 0;
	/* normalize so that v[0] >= NBASE / 2 */
	for (int i = vl - 1; i >= 0; i--) {
		int64_t t = (int64_t)v0[i] * d + carry;
		v[i] = (int32_t)(t % NBASE);
		carry = t / NBASE;
	}
	carry = 0;
	for (int i = ul - 1; i >= 0; i--) {
		int64_t t = (int64_t)u0[i] * d + carry;
		u[i + 1] = (int32_t)(t % NBASE);
		carry = t / NBASE;
	}
	u[0] = (int32_t)carry;
	for (int j = 0; j <= m; j++) {
		int64_t num = (int64_t)u[j] * NBASE + u[j + 1];
		int64_t qhat = num / v[0], rhat = num % v[0];
		while (qhat >= NBASE || qhat * v[1] > rhat * NBASE + u[j + 2]) {
			qhat--;
			rhat += v[0];
			if (rhat >= NBASE)
				break;
		}
		/* u[j..j+vl] -= qhat * v */
		int64_t borrow = 0;
		carry = 0;
		for (int i = vl - 1; i >= 0; i--) {
			int64_t p = qhat * v[i] + carry;
			carry = p / NBASE;
			int64_t t = u[j + i + 1] - (p % NBASE) - borrow;
			if (t < 0) {
				t += NBASE;
				borrow = 1;
			} else {
				borrow = 0;
			}
			u[j + i + 1] = (int32_t)t;
		}
		int64_t t = u[j] - carry - borrow;
		if (t < 0) {
			/* qhat was one too large: add v back */
			u[j] = (int32_t)(t + NBASE);
			qhat--;
			carry = 0;
			for (int i = vl - 1; i >= 0; i--) {
				int64_t s = (int64_t)u[j + i + 1] + v[i] + carry;
				u[j + i + 1] = (int32_t)(s % NBASE);
				carry = s / NBASE;
			}
			u[j] = (int32_t)((u[j] + carry) % NBASE);
		} else {
			u[j] = (int32_t)t;
		}
		q[j] = (int32_t)qhat;
	}
}

static int
divzero_err(struct dh_err *err)
{
	return dh_err_sql(err, SQLSTATE_DIVZERO, "division by zero");
}

/* a / b to rscale digits, rounded half away from zero or truncated. */
static int
div_num(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
	int rscale, int round, struct dh_err *err)
{
	int qweight, res_ndigits, ul;
	int32_t *u, *q;
	struct num t;
	if (b->ndigits == 0)
		return divzero_err(err);
	if (a->ndigits == 0) {
		set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	qweight = a->weight - b->weight;
	/* quotient digits through rscale (+1 decimal for rounding) */
	{
		int sc = rscale + (round ? 1 : 0);
		int fd = sc > 0 ? (sc + DEC_DIGITS - 1) / DEC_DIGITS : -((-sc) / DEC_DIGITS);
		res_ndigits = qweight + 1 + fd;
	}
	if (res_ndigits < 1)
		res_ndigits = 1;
	ul = res_ndigits + b->ndigits - 1;
	u = dalloc(ta, ul);
	for (int i = 0; i < ul; i++)
		u[i] = i < a->ndigits ? a->d[i] : 0;
	q = dalloc(ta, res_ndigits);
	long_div(ta, u, ul, b->d, b->ndigits, q);
	t.sign = a->sign == b->sign ? NPOS : NNEG;
	t.weight = qweight;
	t.ndigits = res_ndigits;
	t.d = q;
	t.dscale = rscale;
	strip(&t);
	if (round)
		round_num(ta, &t, rscale);
	else
		trunc_num(ta, &t, rscale);
	*r = t;
	return 0;
}

/* PostgreSQL's select_div_scale. */
static int
select_div_scale(const struct num *a, const struct num *b)
{
	int w1 = 0, w2 = 0, qweight, rscale;
	int32_t f1 = 0, f2 = 0;
	for (int i = 0; i < a->ndigits; i++) {
		f1 = a->d[i];
		if (f1 != 0) {
			w1 = a->weight - i;
			break;
		}
	}
	for (int i = 0; i < b->ndigits; i++) {
		f2 = b->d[i];
		if (f2 != 0) {
			w2 = b->weight - i;
			break;
		}
	}
	qweight = w1 - w2;
	if (f1 <= f2)
		qweight--;
	rscale = MIN_SIG_DIGITS - qweight * DEC_DIGITS;
	if (rscale < a->dscale)
		rscale = a->dscale;
	if (rscale < b->dscale)
		rscale = b->dscale;
	if (rscale < MIN_DISPLAY_SCALE)
		rscale = MIN_DISPLAY_SCALE;
	if (rscale > MAX_DISPLAY_SCALE)
		rscale = MAX_DISPLAY_SCALE;
	return rscale;
}

/* x - trunc(x / y) * y, dscale max of both */
static int
mod_num(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
	struct dh_err *err)
{
	struct num q, p;
	int rc = div_num(ta, a, b, &q, 0, 0, err);
	if (rc)
		return rc;
	mul_num(ta, b, &q, &p, b->dscale);
	sub_num(ta, a, &p, r);
	return 0;
}

static void
ceil_num(struct dh_arena *ta, const struct num *x, struct num *r)
{
	struct num t = *x, one;
	trunc_num(ta, &t, 0);
	if (x->sign == NPOS && cmp_num(x, &t) != 0) {
		num_int(ta, 1, &one);
		add_num(ta, &t, &one, &t);
	}
	*r = t;
}

static void
floor_num(struct dh_arena *ta, const struct num *x, struct num *r)
{
	struct num t = *x, one;
	trunc_num(ta, &t, 0);
	if (x->sign == NNEG && cmp_num(x, &t) != 0) {
		num_int(ta, 1, &one);
		sub_num(ta, &t, &one, &t);
	}
	*r = t;
}

/* Multiply by 10^e exactly (e may be negative); dscale follows. */
static void
shift10(struct dh_arena *ta, const struct num *x, int e, struct num *r)
{
	int q = e >= 0 ? e / DEC_DIGITS : -((-e + DEC_DIGITS - 1) / DEC_DIGITS);
	int m = e - q * DEC_DIGITS; /* 0..3 */
	struct num t;
	num_copy(ta, x, &t);
	if (m)
		mul_small(ta, &t, m == 1 ? 10 : m == 2 ? 100 : 1000);
	t.weight += q;
	t.dscale = x->dscale - e > 0 ? x->dscale - e : 0;
	strip(&t);
	*r = t;
}

/* Decimal weight of a nonzero finite x: floor(log10(|x|)). */
static int
dweight_of(const struct num *x)
{
	int32_t d = x->d[0];
	int w = x->weight * DEC_DIGITS;
	return w + (d >= 1000 ? 3 : d >= 100 ? 2 : d >= 10 ? 1 : 0);
}

/* A nonnegative integer from n dense base-NBASE limbs. */
static void
int_from_limbs(struct dh_arena *ta, const int32_t *d, int n, struct num *x)
{
	x->sign = NPOS;
	x->dscale = 0;
	x->ndigits = n;
	x->weight = n - 1;
	x->d = dalloc(ta, n);
	if (n > 0)
		memcpy(x->d, d, (size_t)n * sizeof(int32_t));
	strip(x);
}

/* Integer square root and remainder of a nonnegative integer n: s =
 * floor(sqrt(n)), r = n - s^2, by Zimmermann's Karatsuba square root
 * (recursing on the top half of n, then one division for the low half),
 * which keeps a 100,000-digit root to a few divisions of half its size. */
static void
sqrtrem(struct dh_arena *ta, const struct num *n, struct num *s, struct num *r)
{
	int L = n->ndigits ? n->weight + 1 : 0, blen;
	int32_t *dl;
	struct num top, a1, a0, s1, r1, t, dv, q, u, qq, one;
	if (L <= 4) {
		uint64_t v = 0, x;
		for (int i = 0; i < L; i++)
			v = v * NBASE + (uint64_t)(i < n->ndigits ? n->d[i] : 0);
		x = (uint64_t)sqrt((double)v);
		while (x * x > v)
			x--;
		while ((x + 1) * (x + 1) <= v)
			x++;
		num_int(ta, (int64_t)x, s);
		num_int(ta, (int64_t)(v - x * x), r);
		return;
	}
	dl = dalloc(ta, L);
	for (int i = 0; i < L; i++)
		dl[i] = i < n->ndigits ? n->d[i] : 0;
	/* n = a3 b^3 + a2 b^2 + a1 b + a0 with b = NBASE^blen and a3 >= b/4 */
	blen = L / 4;
	if (L % 4 == 0 && dl[0] < NBASE / 4)
		blen--;
	int_from_limbs(ta, dl, L - 2 * blen, &top);
	int_from_limbs(ta, dl + L - 2 * blen, blen, &a1);
	int_from_limbs(ta, dl + L - blen, blen, &a0);
	sqrtrem(ta, &top, &s1, &r1);
	/* (q, u) = divrem(r1 b + a1, 2 s1) */
	t = r1;
	if (t.ndigits)
		t.weight += blen;
	add_num(ta, &t, &a1, &t);
	add_num(ta, &s1, &s1, &dv);
	div_num(ta, &t, &dv, &q, 0, 0, NULL);
	mul_num(ta, &q, &dv, &u, 0);
	sub_num(ta, &t, &u, &u);
	/* s = s1 b + q, r = u b + a0 - q^2 */
	if (s1.ndigits)
		s1.weight += blen;
	add_num(ta, &s1, &q, s);
	if (u.ndigits)
		u.weight += blen;
	add_num(ta, &u, &a0, r);
	mul_num(ta, &q, &q, &qq, 0);
	sub_num(ta, r, &qq, r);
	if (r->ndigits && r->sign == NNEG) {
		num_int(ta, 1, &one);
		add_num(ta, r, s, r);
		sub_num(ta, s, &one, s);
		add_num(ta, r, s, r);
	}
	s->dscale = 0;
	r->dscale = 0;
}

/* sqrt rounded to rscale (rscale may be negative). */
static int
sqrt_num(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
	 struct dh_err *err)
{
	struct num n, s;
	int k = rscale + 1;
	if (arg->ndigits == 0) {
		set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	if (arg->sign == NNEG)
		return dh_err_sql(err, SQLSTATE_POWER, "cannot take square root of a negative number");
	shift10(ta, arg, 2 * k, &n);
	trunc_num(ta, &n, 0);
	if (n.ndigits == 0) {
		set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	{
		struct num rem;
		sqrtrem(ta, &n, &s, &rem);
	}
	shift10(ta, &s, -k, &s);
	round_num(ta, &s, rscale);
	s.dscale = rscale;
	*r = s;
	return 0;
}

/* Round to sig significant digits (keeps at least 0 decimals if sig small). */
static void
round_sig(struct dh_arena *ta, struct num *x, int sig)
{
	if (x->ndigits == 0)
		return;
	round_num(ta, x, sig - 1 - dweight_of(x));
}

static double
num_to_double_noovf(struct dh_arena *ta, const struct num *x)
{
	size_t len;
	char *t;
	if (x->sign == NNAN)
		return NAN;
	if (x->sign == NPINF)
		return HUGE_VAL;
	if (x->sign == NNINF)
		return -HUGE_VAL;
	t = to_text(ta, x, &len);
	return strtod(t, NULL);
}

/* e^arg rounded to rscale. */
static int
exp_num(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
	struct dh_err *err)
{
	double val = num_to_double_noovf(ta, arg);
	int dweight, ndiv2 = 0, sig, local;
	struct num x, res, term, one;
	if (fabs(val) >= MAX_RESULT_SCALE * 3) {
		if (val > 0)
			return overflow_err(err);
		set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	dweight = (int)(val * 0.434294481903252);
	if (fabs(val) > 0.01) {
		double v = val;
		while (fabs(v) > 0.01) {
			ndiv2++;
			v /= 2;
		}
	}
	sig = 1 + dweight + rscale + (int)(ndiv2 * 0.301029995663981) + 1;
	sig = (sig > 0 ? sig : 0) + GUARD;
	local = sig;
	x = *arg;
	if (ndiv2) {
		struct num p;
		num_int(ta, (int64_t)1 << ndiv2, &p);
		div_num(ta, arg, &p, &x, local + 2, 1, err);
	}
	num_int(ta, 1, &one);
	add_num(ta, &one, &x, &res);
	term = x;
	for (int n = 2;; n++) {
		struct num dn;
		mul_num(ta, &term, &x, &term, local);
		num_int(ta, n, &dn);
		div_num(ta, &term, &dn, &term, local, 1, err);
		if (term.ndigits == 0)
			break;
		add_num(ta, &res, &term, &res);
	}
	while (ndiv2-- > 0) {
		mul_num(ta, &res, &res, &res, res.dscale * 2);
		round_sig(ta, &res, sig);
	}
	round_num(ta, &res, rscale);
	*r = res;
	return 0;
}

/* PostgreSQL's estimate_ln_dweight (it decides result scales). */
static int
estimate_ln_dweight(struct dh_arena *ta, const struct num *x)
{
	struct num p9, p11;
	if (x->sign != NPOS)
		return 0;
	from_text(ta, "0.9", 3, &p9);
	from_text(ta, "1.1", 3, &p11);
	if (cmp_num(x, &p9) >= 0 && cmp_num(x, &p11) <= 0) {
		struct num one, t;
		num_int(ta, 1, &one);
		sub_num(ta, x, &one, &t);
		if (t.ndigits > 0)
			return t.weight * DEC_DIGITS + (int)log10(t.d[0]);
		return 0;
	}
	if (x->ndigits > 0) {
		int digits = x->d[0], dw = x->weight * DEC_DIGITS;
		double lnv;
		if (x->ndigits > 1) {
			digits = digits * NBASE + x->d[1];
			dw -= DEC_DIGITS;
		}
		lnv = log((double)digits) + dw * 2.302585092994046;
		return (int)log10(fabs(lnv));
	}
	return 0;
}

/* ln(arg) rounded to rscale. */
static int
ln_num(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
       struct dh_err *err)
{
	struct num x, p9, p11, one, z, z2, sum, term, t, fact;
	int nsqrt = 0, local;
	if (arg->ndigits == 0)
		return dh_err_sql(err, SQLSTATE_LOG, "cannot take logarithm of zero");
	if (arg->sign == NNEG)
		return dh_err_sql(err, SQLSTATE_LOG, "cannot take logarithm of a negative number");
	from_text(ta, "0.9", 3, &p9);
	from_text(ta, "1.1", 3, &p11);
	num_int(ta, 1, &one);
	x = *arg;
	while (cmp_num(&x, &p9) <= 0 || cmp_num(&x, &p11) >= 0) {
		local = rscale - dweight_of(&x) / 2 + GUARD + (int)((nsqrt + 1) * 0.302) + 2;
		sqrt_num(ta, &x, &x, local, err);
		nsqrt++;
	}
	local = rscale + (int)((nsqrt + 1) * 0.301029995663981) + GUARD;
	sub_num(ta, &x, &one, &t);
	add_num(ta, &x, &one, &z);
	div_num(ta, &t, &z, &z, local, 1, err);
	mul_num(ta, &z, &z, &z2, local);
	sum = z;
	term = z;
	for (int n = 3;; n += 2) {
		struct num dn;
		mul_num(ta, &term, &z2, &term, local);
		num_int(ta, n, &dn);
		div_num(ta, &term, &dn, &t, local, 1, err);
		if (t.ndigits == 0)
			break;
		add_num(ta, &sum, &t, &sum);
	}
	num_int(ta, 1, &fact);
	for (int i = 0; i < nsqrt + 1; i++)
		mul_small(ta, &fact, 2);
	mul_num(ta, &sum, &fact, &sum, sum.dscale);
	round_num(ta, &sum, rscale);
	*r = sum;
	return 0;
}

static int
clamp_scale(int rscale)
{
	if (rscale < MIN_DISPLAY_SCALE)
		rscale = MIN_DISPLAY_SCALE;
	if (rscale > MAX_DISPLAY_SCALE)
		rscale = MAX_DISPLAY_SCALE;
	return rscale;
}

/* log_base(num), PostgreSQL's log_var scale rules. */
static int
log_num(struct dh_arena *ta, const struct num *base, const struct num *num, struct num *r,
	struct dh_err *err)
{
	int bdw = estimate_ln_dweight(ta, base), ndw = estimate_ln_dweight(ta, num);
	int rdw = ndw - bdw, rscale, brs, nrs, rc;
	struct num lb, ln;
	rscale = MIN_SIG_DIGITS - rdw;
	if (rscale < base->dscale)
		rscale = base->dscale;
	if (rscale < num->dscale)
		rscale = num->dscale;
	rscale = clamp_scale(rscale);
	brs = rscale + rdw - bdw + 8 + GUARD;
	if (brs < MIN_DISPLAY_SCALE)
		brs = MIN_DISPLAY_SCALE;
	nrs = rscale + rdw - ndw + 8 + GUARD;
	if (nrs < MIN_DISPLAY_SCALE)
		nrs = MIN_DISPLAY_SCALE;
	if ((rc = ln_num(ta, base, &lb, brs, err)) || (rc = ln_num(ta, num, &ln, nrs, err)))
		return rc;
	return div_num(ta, &ln, &lb, r, rscale, 1, err);
}

static int
is_integral(const struct num *x)
{
	return x->ndigits == 0 || x->ndigits <= x->weight + 1;
}

/* |x| <= INT64 range after rounding to an integer */
static int
num_to_int64(struct dh_arena *ta, const struct num *x0, int64_t *out)
{
	struct num x = *x0;
	uint64_t v = 0, lim;
	round_num(ta, &x, 0);
	if (x.ndigits == 0) {
		*out = 0;
		return 1;
	}
	lim = x.sign == NNEG ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (int i = 0; i <= x.weight; i++) {
		uint64_t dg = i < x.ndigits ? (uint64_t)x.d[i] : 0;
		if (v > (lim - dg) / NBASE)
			return 0;
		v = v * NBASE + dg;
	}
	*out = x.sign == NNEG ? (int64_t)(0 - v) : (int64_t)v;
	return 1;
}

/* base^exp for an integer exp (PostgreSQL 15's power_var_int), rscale given */
static int
power_int(struct dh_arena *ta, const struct num *base, int e, int rscale, struct num *r,
	  struct dh_err *err)
{
	double f;
	int p, neg, sig;
	struct num res, bp;
	unsigned int mask;
	switch (e) {
	case 0:
		num_int(ta, 1, r);
		r->dscale = rscale;
		return 0;
	case 1:
		*r = *base;
		round_num(ta, r, rscale);
		return 0;
	case -1: {
		struct num one;
		num_int(ta, 1, &one);
		return div_num(ta, &one, base, r, rscale, 1, err);
	}
	case 2:
		mul_num(ta, base, base, r, rscale);
		return 0;
	default:
		break;
	}
	if (base->ndigits == 0) {
		if (e < 0)
			return divzero_err(err);
		set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	f = base->d[0];
	p = base->weight * DEC_DIGITS;
	for (int i = 1; i < base->ndigits && i * DEC_DIGITS < 16; i++) {
		f = f * NBASE + base->d[i];
		p -= DEC_DIGITS;
	}
	f = e * (log10(f) + p);
	if (f > 3 * SHRT_MAX * DEC_DIGITS)
		return overflow_err(err);
	if (f + 1 < -rscale || f + 1 < -MAX_DISPLAY_SCALE) {
		set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	if (f > (WEIGHT_MAX + 2) * DEC_DIGITS)
		return overflow_err(err);
	neg = e < 0;
	mask = neg ? (unsigned int)(-(int64_t)e) : (unsigned int)e;
	/* Exact when the exact power is of modest size; else keep sig digits. */
	{
		double exact_digits = (double)mask * base->ndigits;
		sig = exact_digits <= 1500 ? 0
					   : 1 + rscale + (int)f + (int)log(fabs((double)e)) + 8 + GUARD;
		if (sig < 0)
			sig = GUARD;
	}
	bp = *base;
	bp.sign = NPOS;
	if (mask & 1)
		res = bp;
	else
		num_int(ta, 1, &res);
	while ((mask >>= 1) > 0) {
		mul_num(ta, &bp, &bp, &bp, bp.dscale * 2);
		if (sig)
			round_sig(ta, &bp, sig);
		if (mask & 1) {
			mul_num(ta, &bp, &res, &res, bp.dscale + res.dscale);
			if (sig)
				round_sig(ta, &res, sig);
		}
		if (bp.weight > WEIGHT_MAX || res.weight > WEIGHT_MAX) {
			if (!neg)
				return overflow_err(err);
			set_zero(r);
			r->dscale = rscale;
			return 0;
		}
	}
	if (base->sign == NNEG && (e & 1) && res.ndigits)
		res.sign = NNEG;
	if (neg) {
		struct num one;
		num_int(ta, 1, &one);
		return div_num(ta, &one, &res, r, rscale, 1, err);
	}
	round_num(ta, &res, rscale);
	*r = res;
	return 0;
}

/* PostgreSQL 15's power_var. */
static int
power_num(struct dh_arena *ta, const struct num *base, const struct num *ex, struct num *r,
	  struct dh_err *err)
{
	int res_neg = 0, lndw, local, rscale, sig, rc;
	struct num absb, lnb, lnn;
	double val;
	if (is_integral(ex)) {
		int64_t e64;
		if (num_to_int64(ta, ex, &e64) && e64 >= INT32_MIN && e64 <= INT32_MAX) {
			rscale = MIN_SIG_DIGITS;
			if (rscale < base->dscale)
				rscale = base->dscale;
			rscale = clamp_scale(rscale);
			return power_int(ta, base, (int)e64, rscale, r, err);
		}
	}
	if (base->ndigits == 0) {
		set_zero(r);
		r->dscale = MIN_SIG_DIGITS;
		return 0;
	}
	if (base->sign == NNEG) {
		if (!is_integral(ex))
			return dh_err_sql(err, SQLSTATE_POWER,
					  "a negative number raised to a non-integer power yields a "
					  "complex result");
		if (ex->ndigits > 0 && ex->ndigits == ex->weight + 1 && (ex->d[ex->ndigits - 1] & 1))
			res_neg = 1;
		absb = *base;
		absb.sign = NPOS;
		base = &absb;
	}
	lndw = estimate_ln_dweight(ta, base);
	local = 8 - lndw;
	if (local < MIN_DISPLAY_SCALE)
		local = MIN_DISPLAY_SCALE;
	if (local > MAX_DISPLAY_SCALE)
		local = MAX_DISPLAY_SCALE;
	if ((rc = ln_num(ta, base, &lnb, local + GUARD, err)))
		return rc;
	mul_num(ta, &lnb, ex, &lnn, local + GUARD);
	val = num_to_double_noovf(ta, &lnn);
	if (fabs(val) > MAX_RESULT_SCALE * 3.01) {
		if (val > 0)
			return overflow_err(err);
		set_zero(r);
		r->dscale = MAX_DISPLAY_SCALE;
		return 0;
	}
	val *= 0.434294481903252;
	rscale = MIN_SIG_DIGITS - (int)val;
	if (rscale < base->dscale)
		rscale = base->dscale;
	if (rscale < ex->dscale)
		rscale = ex->dscale;
	rscale = clamp_scale(rscale);
	sig = rscale + (int)val;
	if (sig < 0)
		sig = 0;
	local = sig - lndw + 8 + GUARD;
	if (local < MIN_DISPLAY_SCALE)
		local = MIN_DISPLAY_SCALE;
	if ((rc = ln_num(ta, base, &lnb, local, err)))
		return rc;
	mul_num(ta, &lnb, ex, &lnn, local);
	if ((rc = exp_num(ta, &lnn, r, rscale, err)))
		return rc;
	if (res_neg && r->ndigits > 0)
		r->sign = NNEG;
	return 0;
}

/* --- typmods --- */

static int
typmod_valid(int32_t typmod)
{
	return typmod >= 4;
}
static int
typmod_precision(int32_t typmod)
{
	return ((typmod - 4) >> 16) & 0xffff;
}
static int
typmod_scale(int32_t typmod)
{
	return (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
}

int
dh__num_typmod_in(const int32_t *mods, int nmods, int32_t *typmod, struct dh_err *err)
{
	int32_t p, s = 0;
	if (nmods < 1 || nmods > 2)
		return dh_err_sql(err, SQLSTATE_PARAM, "invalid NUMERIC type modifier");
	p = mods[0];
	if (p < 1 || p > MAX_PRECISION)
		return dh_err_sql(err, SQLSTATE_PARAM,
				  "NUMERIC precision %d must be between 1 and %d", (int)p,
				  MAX_PRECISION);
	if (nmods == 2) {
		s = mods[1];
		if (s < -MAX_PRECISION || s > MAX_PRECISION)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "NUMERIC scale %d must be between %d and %d", (int)s,
					  -MAX_PRECISION, MAX_PRECISION);
	}
	*typmod = dh_sqltype_typmod_numeric(p, s);
	return 0;
}

/* PostgreSQL's apply_typmod */
static int
apply_typmod(struct dh_arena *ta, struct num *x, int32_t typmod, struct dh_err *err)
{
	int precision, scale, maxdigits, ddigits;
	if (!typmod_valid(typmod))
		return 0;
	precision = typmod_precision(typmod);
	scale = typmod_scale(typmod);
	maxdigits = precision - scale;
	round_num(ta, x, scale);
	if (x->dscale < 0)
		x->dscale = 0;
	ddigits = (x->weight + 1) * DEC_DIGITS;
	if (ddigits > maxdigits) {
		for (int i = 0; i < x->ndigits; i++) {
			int32_t dig = x->d[i];
			if (dig) {
				if (dig < 10)
					ddigits -= 3;
				else if (dig < 100)
					ddigits -= 2;
				else if (dig < 1000)
					ddigits -= 1;
				if (ddigits > maxdigits) {
					dh_err_sql(err, SQLSTATE_RANGE, "numeric field overflow");
					dh_err_detail(err,
						      "A field with precision %d, scale %d must round "
						      "to an absolute value less than %s%d.",
						      precision, scale, maxdigits ? "10^" : "",
						      maxdigits ? maxdigits : 1);
					return DH_ESQL;
				}
				break;
			}
			ddigits -= DEC_DIGITS;
		}
	}
	return 0;
}

static int
apply_typmod_special(const struct num *x, int32_t typmod, struct dh_err *err)
{
	if (x->sign == NNAN || !typmod_valid(typmod))
		return 0;
	dh_err_sql(err, SQLSTATE_RANGE, "numeric field overflow");
	dh_err_detail(err, "A field with precision %d, scale %d cannot hold an infinite value.",
		      typmod_precision(typmod), typmod_scale(typmod));
	return DH_ESQL;
}

/* --- input --- */

static int
strncase_prefix(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != word[i] || s[i] == '\0')
			return 0;
	return 1;
}

int
dh__num_in(const char *s0, size_t n, int32_t typmod, struct dh_arena *a, struct dh_value *out,
	   struct dh_err *err)
{
	struct dh_arena ta;
	const char *str, *cp;
	struct num x;
	int rc = 0;

	dh_arena_init(&ta);
	str = dh__sqlstr(&ta, s0, n);
	cp = str;
	while (*cp && dh__sqlisspace((unsigned char)*cp))
		cp++;
	if (strncase_prefix(cp, "nan")) {
		set_special(&x, NNAN);
		cp += 3;
	} else if (strncase_prefix(cp, "infinity")) {
		set_special(&x, NPINF);
		cp += 8;
	} else if (strncase_prefix(cp, "+infinity")) {
		set_special(&x, NPINF);
		cp += 9;
	} else if (strncase_prefix(cp, "-infinity")) {
		set_special(&x, NNINF);
		cp += 9;
	} else if (strncase_prefix(cp, "inf")) {
		set_special(&x, NPINF);
		cp += 3;
	} else if (strncase_prefix(cp, "+inf")) {
		set_special(&x, NPINF);
		cp += 4;
	} else if (strncase_prefix(cp, "-inf")) {
		set_special(&x, NNINF);
		cp += 4;
	} else {
		/* PostgreSQL's set_var_from_str */
		int neg = 0, have_dp = 0, dweight = -1, dscale = 0, nd = 0;
		unsigned char *dig = dh_arena_alloc(&ta, strlen(cp) + 1);
		if (*cp == '+')
			cp++;
		else if (*cp == '-') {
			neg = 1;
			cp++;
		}
		if (*cp == '.') {
			have_dp = 1;
			cp++;
		}
		if (!isdigit((unsigned char)*cp))
			goto syntax;
		while (*cp) {
			if (isdigit((unsigned char)*cp)) {
				dig[nd++] = (unsigned char)(*cp++ - '0');
				if (!have_dp)
					dweight++;
				else
					dscale++;
			} else if (*cp == '.') {
				if (have_dp)
					goto syntax;
				have_dp = 1;
				cp++;
			} else {
				break;
			}
		}
		if (*cp == 'e' || *cp == 'E') {
			long exponent;
			char *endptr;
			cp++;
			errno = 0;
			exponent = strtol(cp, &endptr, 10);
			if (endptr == cp)
				goto syntax;
			cp = endptr;
			if (exponent >= INT_MAX / 2 || exponent <= -(INT_MAX / 2)) {
				rc = overflow_err(err);
				goto out;
			}
			dweight += (int)exponent;
			dscale -= (int)exponent;
			if (dscale < 0)
				dscale = 0;
		}
		while (*cp) {
			if (!dh__sqlisspace((unsigned char)*cp))
				goto syntax;
			cp++;
		}
		from_dec(&ta, neg, dig, nd, dweight, dscale, &x);
		if ((rc = apply_typmod(&ta, &x, typmod, err)))
			goto out;
		rc = make_result(&x, a, out, err);
		goto out;
	}
	while (*cp) {
		if (!dh__sqlisspace((unsigned char)*cp))
			goto syntax;
		cp++;
	}
	if ((rc = apply_typmod_special(&x, typmod, err)))
		goto out;
	rc = make_result(&x, a, out, err);
	goto out;
syntax:
	rc = dh__sqlerr_syntax(err, "numeric", s0, n);
out:
	dh_arena_release(&ta);
	return rc;
}

int
dh__num_out(const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_add(b, v->s.p, v->s.n);
}

int
dh__num_coerce(const struct dh_value *v, int32_t typmod, struct dh_arena *a,
	       struct dh_value *out, struct dh_err *err)
{
	struct dh_arena ta;
	struct num x;
	int rc;
	dh_arena_init(&ta);
	if ((rc = get_num(&ta, v, &x, err)))
		goto out;
	if (is_special(&x)) {
		if ((rc = apply_typmod_special(&x, typmod, err)))
			goto out;
	} else if ((rc = apply_typmod(&ta, &x, typmod, err))) {
		goto out;
	}
	rc = make_result(&x, a, out, err);
out:
	dh_arena_release(&ta);
	return rc;
}

/* --- binary --- */

static const uint16_t wire_sign[] = {
	[NPOS] = 0x0000, [NNEG] = 0x4000, [NNAN] = 0xC000, [NPINF] = 0xD000, [NNINF] = 0xF000,
};

static int
put16(struct dh_buf *b, int v)
{
	unsigned char p[2] = {(unsigned char)((unsigned)v >> 8), (unsigned char)v};
	return dh_buf_add(b, p, 2);
}

int
dh__num_send(const struct dh_value *v, struct dh_buf *b, struct dh_err *err)
{
	struct dh_arena ta;
	struct num x;
	int rc;
	dh_arena_init(&ta);
	if ((rc = get_num(&ta, v, &x, err)))
		goto out;
	if (is_special(&x)) {
		/* PostgreSQL reads an infinity's (unused) header bits as dscale 32 */
		rc = put16(b, 0) || put16(b, 0) || put16(b, wire_sign[x.sign]) ||
		     put16(b, x.sign == NNAN ? 0 : 32);
	} else {
		rc = put16(b, x.ndigits) || put16(b, x.weight) || put16(b, wire_sign[x.sign]) ||
		     put16(b, x.dscale);
		for (int i = 0; !rc && i < x.ndigits; i++)
			rc = put16(b, x.d[i]);
	}
	if (rc)
		rc = DH_ETOOLONG;
out:
	dh_arena_release(&ta);
	return rc;
}

static int
insufficient(struct dh_err *err)
{
	return dh_err_sql(err, SQLSTATE_PROTOCOL, "insufficient data left in message");
}

int
dh__num_recv(const unsigned char *p, size_t n, int32_t typmod, struct dh_arena *a,
	     struct dh_value *out, struct dh_err *err)
{
	struct dh_arena ta;
	struct num x;
	int rc = 0, len;
	unsigned sign, dscale;
	dh_arena_init(&ta);
	if (n < 8) {
		rc = insufficient(err);
		goto out;
	}
	len = p[0] << 8 | p[1];
	x.weight = (int16_t)(p[2] << 8 | p[3]);
	sign = (unsigned)(p[4] << 8 | p[5]);
	dscale = (unsigned)(p[6] << 8 | p[7]);
	switch (sign) {
	case 0x0000: x.sign = NPOS; break;
	case 0x4000: x.sign = NNEG; break;
	case 0xC000: x.sign = NNAN; break;
	case 0xD000: x.sign = NPINF; break;
	case 0xF000: x.sign = NNINF; break;
	default:
		rc = dh_err_sql(err, SQLSTATE_BINARY, "invalid sign in external \"numeric\" value");
		goto out;
	}
	if ((dscale & DSCALE_MAX) != dscale) {
		rc = dh_err_sql(err, SQLSTATE_BINARY, "invalid scale in external \"numeric\" value");
		goto out;
	}
	x.dscale = (int)dscale;
	if (n < 8 + 2 * (size_t)len) {
		rc = insufficient(err);
		goto out;
	}
	if (n > 8 + 2 * (size_t)len) {
		rc = dh_err_sql(err, SQLSTATE_BINARY, "incorrect binary data format");
		goto out;
	}
	x.ndigits = len;
	x.d = dalloc(&ta, len);
	for (int i = 0; i < len; i++) {
		int d = (int16_t)(p[8 + 2 * i] << 8 | p[9 + 2 * i]);
		if (d < 0 || d >= NBASE) {
			rc = dh_err_sql(err, SQLSTATE_BINARY,
					"invalid digit in external \"numeric\" value");
			goto out;
		}
		x.d[i] = d;
	}
	if (!is_special(&x)) {
		strip(&x);
		trunc_num(&ta, &x, x.dscale);
		if ((rc = apply_typmod(&ta, &x, typmod, err)))
			goto out;
	} else {
		set_special(&x, x.sign);
		if ((rc = apply_typmod_special(&x, typmod, err)))
			goto out;
	}
	rc = make_result(&x, a, out, err);
out:
	dh_arena_release(&ta);
	return rc;
}

/* --- comparison and conversion --- */

int
dh__num_cmp(const struct dh_value *v1, const struct dh_value *v2)
{
	struct dh_arena ta;
	struct num x, y;
	int c;
	dh_arena_init(&ta);
	if (get_num(&ta, v1, &x, NULL) || get_num(&ta, v2, &y, NULL))
		c = dh_bigdec_cmp_num(v1->s.p, v1->s.n, v2->s.p, v2->s.n);
	else
		c = cmp_total(&x, &y);
	dh_arena_release(&ta);
	return c;
}

double
dh_sqlnum_to_double(const struct dh_value *v, int *overflow)
{
	char buf[64];
	char *s;
	double d;
	if (overflow)
		*overflow = 0;
	if (v->type == DH_T_LONG)
		return (double)v->i;
	if (v->type != DH_T_BIGDEC)
		return NAN;
	if (v->s.n == 3 && memcmp(v->s.p, "NaN", 3) == 0)
		return NAN;
	if (v->s.n == 8 && memcmp(v->s.p, "Infinity", 8) == 0)
		return INFINITY;
	if (v->s.n == 9 && memcmp(v->s.p, "-Infinity", 9) == 0)
		return -INFINITY;
	s = v->s.n < sizeof(buf) ? buf : xmalloc(v->s.n + 1);
	memcpy(s, v->s.p, v->s.n);
	s[v->s.n] = '\0';
	errno = 0;
	d = strtod(s, NULL);
	if (errno == ERANGE && overflow && (d == 0.0 || isinf(d)))
		*overflow = 1;
	if (s != buf)
		free(s);
	return d;
}

void
dh_sqlnum_from_int64(int64_t i, struct dh_arena *a, struct dh_value *out)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld", (long long)i);
	out->type = DH_T_BIGDEC;
	out->s.p = dh_arena_strndup(a, buf, (size_t)n);
	out->s.n = (size_t)n;
}

int
dh__num_to_int(const struct dh_value *v, int width, int64_t *out, struct dh_err *err)
{
	static const char *const tname[] = {[2] = "smallint", [4] = "integer", [8] = "bigint"};
	struct dh_arena ta;
	struct num x;
	int64_t r;
	int rc = 0;
	dh_arena_init(&ta);
	if ((rc = get_num(&ta, v, &x, err)))
		goto out;
	if (x.sign == NNAN) {
		rc = dh_err_sql(err, SQLSTATE_NOTSUP, "cannot convert NaN to %s", tname[width]);
		goto out;
	}
	if (is_special(&x)) {
		rc = dh_err_sql(err, SQLSTATE_NOTSUP, "cannot convert infinity to %s", tname[width]);
		goto out;
	}
	if (!num_to_int64(&ta, &x, &r) || (width == 4 && (r < INT32_MIN || r > INT32_MAX)) ||
	    (width == 2 && (r < INT16_MIN || r > INT16_MAX))) {
		rc = dh_err_sql(err, SQLSTATE_RANGE, "%s out of range", tname[width]);
		goto out;
	}
	*out = r;
out:
	dh_arena_release(&ta);
	return rc;
}

int
dh__num_from_double(double d, int is_float4, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err)
{
	char buf[DBL_DIG + 100];
	struct dh_arena ta;
	struct num x;
	int rc;
	if (isnan(d)) {
		*out = (struct dh_value){.type = DH_T_BIGDEC, .s = {"NaN", 3}};
		return 0;
	}
	if (isinf(d)) {
		if (d < 0)
			*out = (struct dh_value){.type = DH_T_BIGDEC, .s = {"-Infinity", 9}};
		else
			*out = (struct dh_value){.type = DH_T_BIGDEC, .s = {"Infinity", 8}};
		return 0;
	}
	snprintf(buf, sizeof(buf), "%.*g", is_float4 ? FLT_DIG : DBL_DIG, d);
	dh_arena_init(&ta);
	rc = dh__num_in(buf, strlen(buf), -1, &ta, out, err);
	if (!rc) {
		/* re-home the text in the caller's arena */
		if ((rc = get_num(&ta, out, &x, err)) == 0)
			rc = make_result(&x, a, out, err);
	}
	dh_arena_release(&ta);
	return rc;
}

int
dh__num_to_float(const struct dh_value *v, int is_float4, double *out, struct dh_err *err)
{
	char *s;
	int rc;
	if (v->type == DH_T_BIGDEC) {
		if (v->s.n == 3 && memcmp(v->s.p, "NaN", 3) == 0) {
			*out = NAN;
			return 0;
		}
		if (v->s.n == 8 && memcmp(v->s.p, "Infinity", 8) == 0) {
			*out = INFINITY;
			return 0;
		}
		if (v->s.n == 9 && memcmp(v->s.p, "-Infinity", 9) == 0) {
			*out = -INFINITY;
			return 0;
		}
	}
	s = xstrndup(v->s.p, v->s.n);
	rc = is_float4 ? dh__float4_in(s, out, err) : dh__float8_in(s, out, err);
	free(s);
	return rc;
}

/* --- the SQL functions --- */

/* Each SQL function unpacks its arguments into nums in a scratch arena,
 * computes, and packs the result into the caller's arena. */
#define FN_BEGIN(nargs)                                                                          \
	struct dh_arena ta;                                                                      \
	struct num x[nargs];                                                                     \
	int rc = 0;                                                                              \
	dh_arena_init(&ta);                                                                      \
	for (int i_ = 0; i_ < (nargs); i_++)                                                      \
		if ((rc = get_num(&ta, &argv[i_], &x[i_], c->err)))                               \
			goto out
#define FN_END                                                                                   \
	out:                                                                                     \
	dh_arena_release(&ta);                                                                   \
	return rc

static int
result_num(struct dh_sqlcall *c, const struct num *r, struct dh_value *out)
{
	return make_result(r, c->arena, out, c->err);
}

static int
result_special(struct dh_sqlcall *c, int sign, struct dh_value *out)
{
	struct num r;
	set_special(&r, sign);
	return make_result(&r, c->arena, out, c->err);
}

static int
result_int(struct dh_sqlcall *c, int64_t v, struct dh_value *out)
{
	struct dh_arena ta;
	struct num r;
	int rc;
	dh_arena_init(&ta);
	num_int(&ta, v, &r);
	rc = make_result(&r, c->arena, out, c->err);
	dh_arena_release(&ta);
	return rc;
}

/* sign of a value that may be infinite (not NaN) */
static int
sign_of(const struct num *x)
{
	if (x->sign == NPINF)
		return 1;
	if (x->sign == NNINF)
		return -1;
	if (x->ndigits == 0)
		return 0;
	return x->sign == NNEG ? -1 : 1;
}

int
dh__num_add(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		int s1 = x[0].sign, s2 = x[1].sign;
		if (s1 == NNAN || s2 == NNAN || (s1 == NPINF && s2 == NNINF) ||
		    (s1 == NNINF && s2 == NPINF))
			rc = result_special(c, NNAN, out);
		else
			rc = result_special(c, is_special(&x[0]) ? s1 : s2, out);
		goto out;
	}
	{
		struct num r;
		add_num(&ta, &x[0], &x[1], &r);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_sub(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		int s1 = x[0].sign, s2 = x[1].sign;
		if (s1 == NNAN || s2 == NNAN || (s1 == NPINF && s2 == NPINF) ||
		    (s1 == NNINF && s2 == NNINF))
			rc = result_special(c, NNAN, out);
		else if (is_special(&x[0]))
			rc = result_special(c, s1, out);
		else
			rc = result_special(c, s2 == NPINF ? NNINF : NPINF, out);
		goto out;
	}
	{
		struct num r;
		sub_num(&ta, &x[0], &x[1], &r);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_mul(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		int s;
		if (x[0].sign == NNAN || x[1].sign == NNAN) {
			rc = result_special(c, NNAN, out);
			goto out;
		}
		s = sign_of(&x[0]) * sign_of(&x[1]);
		rc = result_special(c, s == 0 ? NNAN : s > 0 ? NPINF : NNINF, out);
		goto out;
	}
	{
		struct num r;
		mul_num(&ta, &x[0], &x[1], &r, x[0].dscale + x[1].dscale);
		if (r.dscale > DSCALE_MAX)
			round_num(&ta, &r, DSCALE_MAX);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

/* the special cases shared by / and div() */
static int
div_special(struct dh_sqlcall *c, const struct num *a, const struct num *b,
	    struct dh_value *out)
{
	if (a->sign == NNAN || b->sign == NNAN)
		return result_special(c, NNAN, out);
	if (is_special(a)) {
		int s;
		if (is_special(b))
			return result_special(c, NNAN, out);
		s = sign_of(b);
		if (s == 0)
			return divzero_err(c->err);
		return result_special(c, (sign_of(a) * s) > 0 ? NPINF : NNINF, out);
	}
	return result_int(c, 0, out);
}

int
dh__num_div(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		rc = div_special(c, &x[0], &x[1], out);
		goto out;
	}
	{
		struct num r;
		int rscale = select_div_scale(&x[0], &x[1]);
		if ((rc = div_num(&ta, &x[0], &x[1], &r, rscale, 1, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_div_trunc(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		rc = div_special(c, &x[0], &x[1], out);
		goto out;
	}
	{
		struct num r;
		if ((rc = div_num(&ta, &x[0], &x[1], &r, 0, 0, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_mod(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		if (x[0].sign == NNAN || x[1].sign == NNAN) {
			rc = result_special(c, NNAN, out);
		} else if (is_special(&x[0])) {
			if (sign_of(&x[1]) == 0)
				rc = divzero_err(c->err);
			else
				rc = result_special(c, NNAN, out);
		} else {
			rc = result_num(c, &x[0], out);
		}
		goto out;
	}
	{
		struct num r;
		if ((rc = mod_num(&ta, &x[0], &x[1], &r, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_uminus(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (x[0].sign == NPINF)
		x[0].sign = NNINF;
	else if (x[0].sign == NNINF)
		x[0].sign = NPINF;
	else if (x[0].sign != NNAN && x[0].ndigits)
		x[0].sign = x[0].sign == NPOS ? NNEG : NPOS;
	rc = result_num(c, &x[0], out);
	FN_END;
}

int
dh__num_uplus(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	rc = result_num(c, &x[0], out);
	FN_END;
}

int
dh__num_abs(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (x[0].sign == NNINF)
		x[0].sign = NPINF;
	else if (x[0].sign == NNEG)
		x[0].sign = NPOS;
	rc = result_num(c, &x[0], out);
	FN_END;
}

static int
arg_int32(const struct dh_value *v)
{
	return v->type == DH_T_LONG ? (int)v->i : 0;
}

int
dh__num_round(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0])) {
		rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		/* the limits let the most significant digit round up and then
		 * overflow (an error), and keep the scale storable */
		int scale = c->nargs > 1 ? arg_int32(&argv[1]) : 0;
		if (scale < -(WEIGHT_MAX + 1) * DEC_DIGITS - 1)
			scale = -(WEIGHT_MAX + 1) * DEC_DIGITS - 1;
		if (scale > DSCALE_MAX)
			scale = DSCALE_MAX;
		round_num(&ta, &x[0], scale);
		if (scale < 0)
			x[0].dscale = 0;
		rc = result_num(c, &x[0], out);
	}
	FN_END;
}

int
dh__num_round0(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	struct dh_sqlcall c1 = *c;
	c1.nargs = 1;
	return dh__num_round(&c1, argv, out);
}

int
dh__num_trunc(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0])) {
		rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		int scale = c->nargs > 1 ? arg_int32(&argv[1]) : 0;
		if (scale < -(WEIGHT_MAX + 1) * DEC_DIGITS)
			scale = -(WEIGHT_MAX + 1) * DEC_DIGITS;
		if (scale > DSCALE_MAX)
			scale = DSCALE_MAX;
		trunc_num(&ta, &x[0], scale);
		if (scale < 0)
			x[0].dscale = 0;
		rc = result_num(c, &x[0], out);
	}
	FN_END;
}

int
dh__num_trunc0(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	struct dh_sqlcall c1 = *c;
	c1.nargs = 1;
	return dh__num_trunc(&c1, argv, out);
}

int
dh__num_ceil(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (!is_special(&x[0]))
		ceil_num(&ta, &x[0], &x[0]);
	rc = result_num(c, &x[0], out);
	FN_END;
}

int
dh__num_floor(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (!is_special(&x[0]))
		floor_num(&ta, &x[0], &x[0]);
	rc = result_num(c, &x[0], out);
	FN_END;
}

int
dh__num_sign(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (x[0].sign == NNAN)
		rc = result_special(c, NNAN, out);
	else
		rc = result_int(c, sign_of(&x[0]), out);
	FN_END;
}

int
dh__num_sqrt(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0])) {
		if (x[0].sign == NNINF)
			rc = dh_err_sql(c->err, SQLSTATE_POWER,
					"cannot take square root of a negative number");
		else
			rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		struct num r;
		int sweight = (x[0].weight + 1) * DEC_DIGITS / 2 - 1;
		int rscale = MIN_SIG_DIGITS - sweight;
		if (rscale < x[0].dscale)
			rscale = x[0].dscale;
		rscale = clamp_scale(rscale);
		if ((rc = sqrt_num(&ta, &x[0], &r, rscale, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_exp(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0])) {
		if (x[0].sign == NNINF)
			rc = result_int(c, 0, out);
		else
			rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		struct num r;
		double val = num_to_double_noovf(&ta, &x[0]);
		int rscale;
		val *= 0.434294481903252;
		if (val < -MAX_RESULT_SCALE)
			val = -MAX_RESULT_SCALE;
		if (val > MAX_RESULT_SCALE)
			val = MAX_RESULT_SCALE;
		rscale = MIN_SIG_DIGITS - (int)val;
		if (rscale < x[0].dscale)
			rscale = x[0].dscale;
		rscale = clamp_scale(rscale);
		if ((rc = exp_num(&ta, &x[0], &r, rscale, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_ln(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0])) {
		if (x[0].sign == NNINF)
			rc = dh_err_sql(c->err, SQLSTATE_LOG,
					"cannot take logarithm of a negative number");
		else
			rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		struct num r;
		int rscale = MIN_SIG_DIGITS - estimate_ln_dweight(&ta, &x[0]);
		if (rscale < x[0].dscale)
			rscale = x[0].dscale;
		rscale = clamp_scale(rscale);
		if ((rc = ln_num(&ta, &x[0], &r, rscale, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

static int
log_special(struct dh_sqlcall *c, const struct num *b, const struct num *n,
	    struct dh_value *out)
{
	int s1, s2;
	if (b->sign == NNAN || n->sign == NNAN)
		return result_special(c, NNAN, out);
	s1 = sign_of(b);
	s2 = sign_of(n);
	if (s1 < 0 || s2 < 0)
		return dh_err_sql(c->err, SQLSTATE_LOG, "cannot take logarithm of a negative number");
	if (s1 == 0 || s2 == 0)
		return dh_err_sql(c->err, SQLSTATE_LOG, "cannot take logarithm of zero");
	if (b->sign == NPINF)
		return n->sign == NPINF ? result_special(c, NNAN, out) : result_int(c, 0, out);
	return result_special(c, NPINF, out);
}

int
dh__num_log(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		rc = log_special(c, &x[0], &x[1], out);
		goto out;
	}
	{
		struct num r;
		if ((rc = log_num(&ta, &x[0], &x[1], &r, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

/* log(x) and log10(x): SQL functions "select log(10, $1)" */
int
dh__num_log10(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	struct dh_value args[2];
	struct dh_sqlcall c2 = *c;
	args[0] = (struct dh_value){.type = DH_T_BIGDEC, .s = {"10", 2}};
	args[1] = argv[0];
	c2.nargs = 2;
	return dh__num_log(&c2, args, out);
}

int
dh__num_pow(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		struct num one;
		int s1, s2;
		num_int(&ta, 1, &one);
		if (x[0].sign == NNAN) {
			if (!is_special(&x[1]) && x[1].ndigits == 0)
				rc = result_int(c, 1, out);
			else
				rc = result_special(c, NNAN, out);
			goto out;
		}
		if (x[1].sign == NNAN) {
			if (!is_special(&x[0]) && cmp_num(&x[0], &one) == 0)
				rc = result_int(c, 1, out);
			else
				rc = result_special(c, NNAN, out);
			goto out;
		}
		s1 = sign_of(&x[0]);
		s2 = sign_of(&x[1]);
		if (s1 == 0 && s2 < 0) {
			rc = dh_err_sql(c->err, SQLSTATE_POWER,
					"zero raised to a negative power is undefined");
			goto out;
		}
		if (s1 < 0 && !(is_special(&x[1]) || is_integral(&x[1]))) {
			rc = dh_err_sql(c->err, SQLSTATE_POWER,
					"a negative number raised to a non-integer power yields "
					"a complex result");
			goto out;
		}
		if (!is_special(&x[0]) && cmp_num(&x[0], &one) == 0) {
			rc = result_int(c, 1, out);
			goto out;
		}
		if (s2 == 0) {
			rc = result_int(c, 1, out);
			goto out;
		}
		if (s1 == 0 && s2 > 0) {
			rc = result_int(c, 0, out);
			goto out;
		}
		if (is_special(&x[1])) {
			int gt1;
			if (is_special(&x[0])) {
				gt1 = 1;
			} else {
				struct num m1 = one, ab = x[0];
				m1.sign = NNEG;
				if (cmp_num(&x[0], &m1) == 0) {
					rc = result_int(c, 1, out);
					goto out;
				}
				ab.sign = NPOS;
				gt1 = cmp_num(&ab, &one) > 0;
			}
			if (gt1 == (s2 > 0))
				rc = result_special(c, NPINF, out);
			else
				rc = result_int(c, 0, out);
			goto out;
		}
		if (x[0].sign == NPINF) {
			rc = s2 > 0 ? result_special(c, NPINF, out) : result_int(c, 0, out);
			goto out;
		}
		/* -Inf */
		if (s2 < 0) {
			rc = result_int(c, 0, out);
			goto out;
		}
		if (x[1].ndigits > 0 && x[1].ndigits == x[1].weight + 1 &&
		    (x[1].d[x[1].ndigits - 1] & 1))
			rc = result_special(c, NNINF, out);
		else
			rc = result_special(c, NPINF, out);
		goto out;
	}
	if (x[0].ndigits == 0 && x[1].ndigits && x[1].sign == NNEG) {
		rc = dh_err_sql(c->err, SQLSTATE_POWER,
				"zero raised to a negative power is undefined");
		goto out;
	}
	{
		struct num r;
		if ((rc = power_num(&ta, &x[0], &x[1], &r, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

static void
gcd_num(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	int dscale = a->dscale > b->dscale ? a->dscale : b->dscale;
	struct num x, y, m;
	int c = cmp_abs(a, b);
	if (c < 0) {
		const struct num *t = a;
		a = b;
		b = t;
	}
	if (c == 0 || b->ndigits == 0) {
		*r = *a;
		r->sign = r->ndigits ? NPOS : NPOS;
		r->dscale = dscale;
		return;
	}
	x = *a;
	y = *b;
	for (;;) {
		mod_num(ta, &x, &y, &m, NULL);
		if (m.ndigits == 0)
			break;
		x = y;
		y = m;
	}
	*r = y;
	r->sign = NPOS;
	r->dscale = dscale;
}

int
dh__num_gcd(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		rc = result_special(c, NNAN, out);
		goto out;
	}
	{
		struct num r;
		gcd_num(&ta, &x[0], &x[1], &r);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_lcm(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (is_special(&x[0]) || is_special(&x[1])) {
		rc = result_special(c, NNAN, out);
		goto out;
	}
	{
		struct num r;
		int dscale = x[0].dscale > x[1].dscale ? x[0].dscale : x[1].dscale;
		if (x[0].ndigits == 0 || x[1].ndigits == 0) {
			set_zero(&r);
		} else {
			gcd_num(&ta, &x[0], &x[1], &r);
			div_num(&ta, &x[0], &r, &r, 0, 0, c->err);
			mul_num(&ta, &x[1], &r, &r, x[1].dscale);
			if (r.ndigits)
				r.sign = NPOS;
		}
		r.dscale = dscale;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_scale(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0]))
		*out = (struct dh_value){.type = DH_T_NONE};
	else
		*out = dh__v_long(x[0].dscale);
	FN_END;
}

static int
min_scale(const struct num *x)
{
	int last = x->ndigits - 1, ms;
	while (last >= 0 && x->d[last] == 0)
		last--;
	if (last < 0)
		return 0;
	ms = (last - x->weight) * DEC_DIGITS;
	if (ms > 0) {
		int32_t d = x->d[last];
		while (d % 10 == 0) {
			ms--;
			d /= 10;
		}
		return ms;
	}
	return 0;
}

int
dh__num_min_scale(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (is_special(&x[0]))
		*out = (struct dh_value){.type = DH_T_NONE};
	else
		*out = dh__v_long(min_scale(&x[0]));
	FN_END;
}

int
dh__num_trim_scale(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (!is_special(&x[0]))
		x[0].dscale = min_scale(&x[0]);
	rc = result_num(c, &x[0], out);
	FN_END;
}

int
dh__num_width_bucket(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(3);
	{
		int64_t count = argv[3].i, res = 0;
		struct num *op = &x[0], *b1 = &x[1], *b2 = &x[2];
		int cmp;
		if (count <= 0) {
			rc = dh_err_sql(c->err, SQLSTATE_BUCKET, "count must be greater than zero");
			goto out;
		}
		if (is_special(op) || is_special(b1) || is_special(b2)) {
			if (op->sign == NNAN || b1->sign == NNAN || b2->sign == NNAN) {
				rc = dh_err_sql(c->err, SQLSTATE_BUCKET,
						"operand, lower bound, and upper bound cannot be NaN");
				goto out;
			}
			if (is_special(b1) || is_special(b2)) {
				rc = dh_err_sql(c->err, SQLSTATE_BUCKET,
						"lower and upper bounds must be finite");
				goto out;
			}
		}
		cmp = cmp_num(b1, b2);
		if (cmp == 0) {
			rc = dh_err_sql(c->err, SQLSTATE_BUCKET,
					"lower bound cannot equal upper bound");
			goto out;
		}
		if ((cmp < 0 && cmp_total(op, b1) < 0) || (cmp > 0 && cmp_total(op, b1) > 0)) {
			res = 0;
		} else if ((cmp < 0 && cmp_total(op, b2) >= 0) ||
			   (cmp > 0 && cmp_total(op, b2) <= 0)) {
			res = count + 1;
		} else {
			/* PostgreSQL 15's compute_bucket: the quotient is rounded at
			 * select_div_scale, then 1 is added and the sum floored */
			struct num o, w, cn, q, one;
			num_int(&ta, count, &cn);
			num_int(&ta, 1, &one);
			if (cmp < 0) {
				sub_num(&ta, op, b1, &o);
				sub_num(&ta, b2, b1, &w);
			} else {
				sub_num(&ta, b1, op, &o);
				sub_num(&ta, b1, b2, &w);
			}
			mul_num(&ta, &o, &cn, &o, o.dscale);
			div_num(&ta, &o, &w, &q, select_div_scale(&o, &w), 1, c->err);
			add_num(&ta, &q, &one, &q);
			floor_num(&ta, &q, &q);
			num_to_int64(&ta, &q, &res);
		}
		if (res > INT32_MAX) {
			rc = dh_err_sql(c->err, SQLSTATE_RANGE, "integer out of range");
			goto out;
		}
		*out = dh__v_long(res);
	}
	FN_END;
}

int
dh__num_factorial(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	struct dh_arena ta;
	struct num r, f;
	int64_t n = argv[0].i;
	int rc;
	if (n < 0)
		return dh_err_sql(c->err, SQLSTATE_RANGE,
				  "factorial of a negative number is undefined");
	if (n <= 1)
		return result_int(c, 1, out);
	if (n > 32177)
		return overflow_err(c->err);
	dh_arena_init(&ta);
	num_int(&ta, n, &r);
	for (int64_t k = n - 1; k > 1; k--) {
		num_int(&ta, k, &f);
		mul_num(&ta, &r, &f, &r, 0);
	}
	rc = result_num(c, &r, out);
	dh_arena_release(&ta);
	return rc;
}

int
dh__num_larger(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	*out = dh__num_cmp(&argv[0], &argv[1]) > 0 ? argv[0] : argv[1];
	out->s.p = dh_arena_strndup(c->arena, out->s.p, out->s.n);
	return 0;
}

int
dh__num_smaller(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	*out = dh__num_cmp(&argv[0], &argv[1]) < 0 ? argv[0] : argv[1];
	out->s.p = dh_arena_strndup(c->arena, out->s.p, out->s.n);
	return 0;
}
