/*
 * sqlnum: the arithmetic of PostgreSQL's numeric type (exact +, -, *,
 * division to a scale, rounding, square root, exp, ln, log, powers) with
 * PostgreSQL 15's result scales (select_div_scale, the scales of sqrt, exp,
 * ln, log and power) and its errors.  sqlnum-fn.c puts it to work on BIGDEC
 * values; sqlnum-int.h is what the two share.
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

#include "sqlnum-int.h"

static const int round_powers[4] = {0, 1000, 100, 10};

int
dh__nv_is_special(const struct num *x)
{
	return x->sign == NNAN || x->sign == NPINF || x->sign == NNINF;
}

void
dh__nv_set_zero(struct num *x)
{
	x->sign = NPOS;
	x->weight = 0;
	x->ndigits = 0;
	x->d = NULL;
}

void
dh__nv_set_special(struct num *x, int sign)
{
	dh__nv_set_zero(x);
	x->sign = sign;
	x->dscale = 0;
}

int32_t *
dh__nv_dalloc(struct dh_arena *a, int n)
{
	return dh_arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
}

static void
num_copy(struct dh_arena *a, const struct num *src, struct num *dst)
{
	int32_t *d = dh__nv_dalloc(a, src->ndigits);
	if (src->ndigits)
		memcpy(d, src->d, (size_t)src->ndigits * sizeof(int32_t));
	*dst = *src;
	dst->d = d;
}

void
dh__nv_from_int64(struct dh_arena *a, int64_t v, struct num *x)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int32_t tmp[6];
	int n = 0;
	dh__nv_set_zero(x);
	x->dscale = 0;
	if (v == 0)
		return;
	x->sign = v < 0 ? NNEG : NPOS;
	while (u) {
		tmp[n++] = (int32_t)(u % NBASE);
		u /= NBASE;
	}
	x->d = dh__nv_dalloc(a, n);
	for (int i = 0; i < n; i++)
		x->d[i] = tmp[n - 1 - i];
	x->ndigits = n;
	x->weight = n - 1;
}

/* Drop leading and trailing zero digits; a zero gets weight 0, sign +. */
void
dh__nv_strip(struct num *x)
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
void
dh__nv_from_dec(struct dh_arena *a, int neg, const unsigned char *dig, int nd, int dweight,
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
	x->d = dh__nv_dalloc(a, ndigits);
	for (int i = 0; i < ndigits; i++) {
		int v = 0;
		for (int k = 0; k < DEC_DIGITS; k++) {
			int j = i * DEC_DIGITS + k - offset;
			v = v * 10 + (j >= 0 && j < nd ? dig[j] : 0);
		}
		x->d[i] = v;
	}
	dh__nv_strip(x);
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
		dh__nv_set_special(x, NNAN);
		return 0;
	}
	if (n == 8 && memcmp(s, "Infinity", 8) == 0) {
		dh__nv_set_special(x, NPINF);
		return 0;
	}
	if (n == 9 && memcmp(s, "-Infinity", 9) == 0) {
		dh__nv_set_special(x, NNINF);
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
	dh__nv_from_dec(a, neg, dig, (int)nd, dweight, dscale, x);
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
		const char *t = x->sign == NNAN	   ? "NaN"
				: x->sign == NPINF ? "Infinity"
						   : "-Infinity";
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

int
dh__nv_overflow_err(struct dh_err *err)
{
	return dh_err_sql(err, SQLSTATE_RANGE, "value overflows numeric format");
}

/* PostgreSQL's dh__nv_result: the value must fit the stored format. */
int
dh__nv_result(const struct num *x0, struct dh_arena *out_a, struct dh_value *out,
	      struct dh_err *err)
{
	struct num x = *x0;
	size_t len;
	char *t;
	if (!dh__nv_is_special(&x)) {
		dh__nv_strip(&x);
		if (x.weight > WEIGHT_MAX || x.weight < WEIGHT_MIN || x.dscale > DSCALE_MAX ||
		    x.dscale < 0)
			return dh__nv_overflow_err(err);
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
int
dh__nv_get(struct dh_arena *a, const struct dh_value *v, struct num *x, struct dh_err *err)
{
	switch (v->type) {
	case DH_T_BIGDEC:
		if (from_text(a, v->s.p, v->s.n, x))
			return bad_value(err);
		return 0;
	case DH_T_LONG:
		dh__nv_from_int64(a, v->i, x);
		return 0;
	default:
		return bad_value(err);
	}
}

/* --- comparison --- */

int
dh__nv_cmp_abs(const struct num *a, const struct num *b)
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
int
dh__nv_cmp_num(const struct num *a, const struct num *b)
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
		return dh__nv_cmp_abs(a, b);
	}
	if (b->sign == NPOS)
		return -1;
	return dh__nv_cmp_abs(b, a);
}

/* total order: -Inf < finite < Inf < NaN */
int
dh__nv_cmp_total(const struct num *a, const struct num *b)
{
	static const int rank[] = {[NPOS] = 1, [NNEG] = 1, [NNAN] = 3, [NPINF] = 2, [NNINF] = 0};
	int ra = rank[a->sign], rb = rank[b->sign];
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra != 1)
		return 0;
	return dh__nv_cmp_num(a, b);
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
	rd = dh__nv_dalloc(ta, res_ndigits);
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
	dh__nv_strip(r);
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
	rd = dh__nv_dalloc(ta, res_ndigits);
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
	dh__nv_strip(r);
}

void
dh__nv_add(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	struct num t;
	int dscale = a->dscale > b->dscale ? a->dscale : b->dscale;
	if (a->sign == b->sign) {
		int s = a->sign;
		add_abs(ta, a, b, &t);
		t.sign = t.ndigits ? s : NPOS;
	} else {
		int c = dh__nv_cmp_abs(a, b);
		if (c == 0) {
			dh__nv_set_zero(&t);
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

void
dh__nv_sub(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r)
{
	struct num nb = *b;
	if (nb.ndigits)
		nb.sign = nb.sign == NPOS ? NNEG : NPOS;
	dh__nv_add(ta, a, &nb, r);
}

/* --- rounding --- */

/* Round to rscale decimal digits after the point (rscale < 0: before it),
 * half away from zero; dscale becomes rscale. */
void
dh__nv_round(struct dh_arena *ta, struct num *x, int rscale)
{
	int di, nd, carry;
	int32_t *arr;
	x->dscale = rscale;
	di = (x->weight + 1) * DEC_DIGITS + rscale;
	if (di < 0) {
		dh__nv_set_zero(x);
		return;
	}
	nd = (di + DEC_DIGITS - 1) / DEC_DIGITS;
	di %= DEC_DIGITS;
	if (!(nd < x->ndigits || (nd == x->ndigits && di > 0)))
		return;
	/* arr[0] takes a carry out of the top digit */
	arr = dh__nv_dalloc(ta, nd + 1);
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
	dh__nv_strip(x);
	x->dscale = rscale;
}

void
dh__nv_trunc(struct dh_arena *ta, struct num *x, int rscale)
{
	int di, nd;
	x->dscale = rscale;
	di = (x->weight + 1) * DEC_DIGITS + rscale;
	if (di <= 0) {
		dh__nv_set_zero(x);
		return;
	}
	nd = (di + DEC_DIGITS - 1) / DEC_DIGITS;
	if (nd <= x->ndigits) {
		int32_t *arr = dh__nv_dalloc(ta, nd);
		memcpy(arr, x->d, (size_t)nd * sizeof(int32_t));
		di %= DEC_DIGITS;
		if (di > 0)
			arr[nd - 1] -= arr[nd - 1] % round_powers[di];
		x->d = arr;
		x->ndigits = nd;
		dh__nv_strip(x);
	}
	x->dscale = rscale;
}

/* --- multiplication and division --- */

/* Exact product, then rounded to rscale.  The schoolbook product runs on
 * pairs of digits (base 10^8) in 64-bit columns, which are carried every
 * thousand rows before they could overflow. */
void
dh__nv_mul(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r, int rscale)
{
	const uint64_t B2 = (uint64_t)NBASE * NBASE;
	int na = a->ndigits, nb = b->ndigits, pa, pb, np;
	uint64_t *A, *Bp, *acc;
	int32_t *rd;
	struct num t;
	if (na == 0 || nb == 0) {
		dh__nv_set_zero(r);
		r->dscale = rscale;
		return;
	}
	/* pair the digits, a trailing zero digit making the count even */
	pa = (na + 1) / 2;
	pb = (nb + 1) / 2;
	A = dh_arena_alloc(ta, (size_t)pa * sizeof(uint64_t));
	Bp = dh_arena_alloc(ta, (size_t)pb * sizeof(uint64_t));
	for (int i = 0; i < pa; i++)
		A[i] = (uint64_t)a->d[2 * i] * NBASE +
		       (2 * i + 1 < na ? (uint64_t)a->d[2 * i + 1] : 0);
	for (int j = 0; j < pb; j++)
		Bp[j] = (uint64_t)b->d[2 * j] * NBASE +
			(2 * j + 1 < nb ? (uint64_t)b->d[2 * j + 1] : 0);
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
	rd = dh__nv_dalloc(ta, 2 * np);
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
	dh__nv_strip(&t);
	if (rscale < t.dscale)
		dh__nv_round(ta, &t, rscale);
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
	rd = dh__nv_dalloc(ta, x->ndigits + 2);
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
	dh__nv_strip(x);
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
	int32_t *u = dh__nv_dalloc(ta, ul + 1), *v = dh__nv_dalloc(ta, vl);
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

int
dh__nv_divzero_err(struct dh_err *err)
{
	return dh_err_sql(err, SQLSTATE_DIVZERO, "division by zero");
}

/* a / b to rscale digits, rounded half away from zero or truncated. */
int
dh__nv_div(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r, int rscale,
	   int round, struct dh_err *err)
{
	int qweight, res_ndigits, ul;
	int32_t *u, *q;
	struct num t;
	if (b->ndigits == 0)
		return dh__nv_divzero_err(err);
	if (a->ndigits == 0) {
		dh__nv_set_zero(r);
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
	u = dh__nv_dalloc(ta, ul);
	for (int i = 0; i < ul; i++)
		u[i] = i < a->ndigits ? a->d[i] : 0;
	q = dh__nv_dalloc(ta, res_ndigits);
	long_div(ta, u, ul, b->d, b->ndigits, q);
	t.sign = a->sign == b->sign ? NPOS : NNEG;
	t.weight = qweight;
	t.ndigits = res_ndigits;
	t.d = q;
	t.dscale = rscale;
	dh__nv_strip(&t);
	if (round)
		dh__nv_round(ta, &t, rscale);
	else
		dh__nv_trunc(ta, &t, rscale);
	*r = t;
	return 0;
}

/* PostgreSQL's dh__nv_select_div_scale. */
int
dh__nv_select_div_scale(const struct num *a, const struct num *b)
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
int
dh__nv_mod(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
	   struct dh_err *err)
{
	struct num q, p;
	int rc = dh__nv_div(ta, a, b, &q, 0, 0, err);
	if (rc)
		return rc;
	dh__nv_mul(ta, b, &q, &p, b->dscale);
	dh__nv_sub(ta, a, &p, r);
	return 0;
}

void
dh__nv_ceil(struct dh_arena *ta, const struct num *x, struct num *r)
{
	struct num t = *x, one;
	dh__nv_trunc(ta, &t, 0);
	if (x->sign == NPOS && dh__nv_cmp_num(x, &t) != 0) {
		dh__nv_from_int64(ta, 1, &one);
		dh__nv_add(ta, &t, &one, &t);
	}
	*r = t;
}

void
dh__nv_floor(struct dh_arena *ta, const struct num *x, struct num *r)
{
	struct num t = *x, one;
	dh__nv_trunc(ta, &t, 0);
	if (x->sign == NNEG && dh__nv_cmp_num(x, &t) != 0) {
		dh__nv_from_int64(ta, 1, &one);
		dh__nv_sub(ta, &t, &one, &t);
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
	dh__nv_strip(&t);
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
	x->d = dh__nv_dalloc(ta, n);
	if (n > 0)
		memcpy(x->d, d, (size_t)n * sizeof(int32_t));
	dh__nv_strip(x);
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
		dh__nv_from_int64(ta, (int64_t)x, s);
		dh__nv_from_int64(ta, (int64_t)(v - x * x), r);
		return;
	}
	dl = dh__nv_dalloc(ta, L);
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
	dh__nv_add(ta, &t, &a1, &t);
	dh__nv_add(ta, &s1, &s1, &dv);
	dh__nv_div(ta, &t, &dv, &q, 0, 0, NULL);
	dh__nv_mul(ta, &q, &dv, &u, 0);
	dh__nv_sub(ta, &t, &u, &u);
	/* s = s1 b + q, r = u b + a0 - q^2 */
	if (s1.ndigits)
		s1.weight += blen;
	dh__nv_add(ta, &s1, &q, s);
	if (u.ndigits)
		u.weight += blen;
	dh__nv_add(ta, &u, &a0, r);
	dh__nv_mul(ta, &q, &q, &qq, 0);
	dh__nv_sub(ta, r, &qq, r);
	if (r->ndigits && r->sign == NNEG) {
		dh__nv_from_int64(ta, 1, &one);
		dh__nv_add(ta, r, s, r);
		dh__nv_sub(ta, s, &one, s);
		dh__nv_add(ta, r, s, r);
	}
	s->dscale = 0;
	r->dscale = 0;
}

/* sqrt rounded to rscale (rscale may be negative). */
int
dh__nv_sqrt(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
	    struct dh_err *err)
{
	struct num n, s;
	int k = rscale + 1;
	if (arg->ndigits == 0) {
		dh__nv_set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	if (arg->sign == NNEG)
		return dh_err_sql(err, SQLSTATE_POWER,
				  "cannot take square root of a negative number");
	shift10(ta, arg, 2 * k, &n);
	dh__nv_trunc(ta, &n, 0);
	if (n.ndigits == 0) {
		dh__nv_set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	{
		struct num rem;
		sqrtrem(ta, &n, &s, &rem);
	}
	shift10(ta, &s, -k, &s);
	dh__nv_round(ta, &s, rscale);
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
	dh__nv_round(ta, x, sig - 1 - dweight_of(x));
}

double
dh__nv_to_double(struct dh_arena *ta, const struct num *x)
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
int
dh__nv_exp(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
	   struct dh_err *err)
{
	double val = dh__nv_to_double(ta, arg);
	int dweight, ndiv2 = 0, sig, local;
	struct num x, res, term, one;
	if (fabs(val) >= MAX_RESULT_SCALE * 3) {
		if (val > 0)
			return dh__nv_overflow_err(err);
		dh__nv_set_zero(r);
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
		dh__nv_from_int64(ta, (int64_t)1 << ndiv2, &p);
		dh__nv_div(ta, arg, &p, &x, local + 2, 1, err);
	}
	dh__nv_from_int64(ta, 1, &one);
	dh__nv_add(ta, &one, &x, &res);
	term = x;
	for (int n = 2;; n++) {
		struct num dn;
		dh__nv_mul(ta, &term, &x, &term, local);
		dh__nv_from_int64(ta, n, &dn);
		dh__nv_div(ta, &term, &dn, &term, local, 1, err);
		if (term.ndigits == 0)
			break;
		dh__nv_add(ta, &res, &term, &res);
	}
	while (ndiv2-- > 0) {
		dh__nv_mul(ta, &res, &res, &res, res.dscale * 2);
		round_sig(ta, &res, sig);
	}
	dh__nv_round(ta, &res, rscale);
	*r = res;
	return 0;
}

/* PostgreSQL's dh__nv_estimate_ln_dweight (it decides result scales). */
int
dh__nv_estimate_ln_dweight(struct dh_arena *ta, const struct num *x)
{
	struct num p9, p11;
	if (x->sign != NPOS)
		return 0;
	from_text(ta, "0.9", 3, &p9);
	from_text(ta, "1.1", 3, &p11);
	if (dh__nv_cmp_num(x, &p9) >= 0 && dh__nv_cmp_num(x, &p11) <= 0) {
		struct num one, t;
		dh__nv_from_int64(ta, 1, &one);
		dh__nv_sub(ta, x, &one, &t);
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
int
dh__nv_ln(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale, struct dh_err *err)
{
	struct num x, p9, p11, one, z, z2, sum, term, t, fact;
	int nsqrt = 0, local;
	if (arg->ndigits == 0)
		return dh_err_sql(err, SQLSTATE_LOG, "cannot take logarithm of zero");
	if (arg->sign == NNEG)
		return dh_err_sql(err, SQLSTATE_LOG, "cannot take logarithm of a negative number");
	from_text(ta, "0.9", 3, &p9);
	from_text(ta, "1.1", 3, &p11);
	dh__nv_from_int64(ta, 1, &one);
	x = *arg;
	while (dh__nv_cmp_num(&x, &p9) <= 0 || dh__nv_cmp_num(&x, &p11) >= 0) {
		local = rscale - dweight_of(&x) / 2 + GUARD + (int)((nsqrt + 1) * 0.302) + 2;
		dh__nv_sqrt(ta, &x, &x, local, err);
		nsqrt++;
	}
	local = rscale + (int)((nsqrt + 1) * 0.301029995663981) + GUARD;
	dh__nv_sub(ta, &x, &one, &t);
	dh__nv_add(ta, &x, &one, &z);
	dh__nv_div(ta, &t, &z, &z, local, 1, err);
	dh__nv_mul(ta, &z, &z, &z2, local);
	sum = z;
	term = z;
	for (int n = 3;; n += 2) {
		struct num dn;
		dh__nv_mul(ta, &term, &z2, &term, local);
		dh__nv_from_int64(ta, n, &dn);
		dh__nv_div(ta, &term, &dn, &t, local, 1, err);
		if (t.ndigits == 0)
			break;
		dh__nv_add(ta, &sum, &t, &sum);
	}
	dh__nv_from_int64(ta, 1, &fact);
	for (int i = 0; i < nsqrt + 1; i++)
		mul_small(ta, &fact, 2);
	dh__nv_mul(ta, &sum, &fact, &sum, sum.dscale);
	dh__nv_round(ta, &sum, rscale);
	*r = sum;
	return 0;
}

int
dh__nv_clamp_scale(int rscale)
{
	if (rscale < MIN_DISPLAY_SCALE)
		rscale = MIN_DISPLAY_SCALE;
	if (rscale > MAX_DISPLAY_SCALE)
		rscale = MAX_DISPLAY_SCALE;
	return rscale;
}

/* log_base(num), PostgreSQL's log_var scale rules. */
int
dh__nv_log(struct dh_arena *ta, const struct num *base, const struct num *num, struct num *r,
	   struct dh_err *err)
{
	int bdw = dh__nv_estimate_ln_dweight(ta, base), ndw = dh__nv_estimate_ln_dweight(ta, num);
	int rdw = ndw - bdw, rscale, brs, nrs, rc;
	struct num lb, ln;
	rscale = MIN_SIG_DIGITS - rdw;
	if (rscale < base->dscale)
		rscale = base->dscale;
	if (rscale < num->dscale)
		rscale = num->dscale;
	rscale = dh__nv_clamp_scale(rscale);
	brs = rscale + rdw - bdw + 8 + GUARD;
	if (brs < MIN_DISPLAY_SCALE)
		brs = MIN_DISPLAY_SCALE;
	nrs = rscale + rdw - ndw + 8 + GUARD;
	if (nrs < MIN_DISPLAY_SCALE)
		nrs = MIN_DISPLAY_SCALE;
	if ((rc = dh__nv_ln(ta, base, &lb, brs, err)) || (rc = dh__nv_ln(ta, num, &ln, nrs, err)))
		return rc;
	return dh__nv_div(ta, &ln, &lb, r, rscale, 1, err);
}

int
dh__nv_is_integral(const struct num *x)
{
	return x->ndigits == 0 || x->ndigits <= x->weight + 1;
}

/* |x| <= INT64 range after rounding to an integer */
int
dh__nv_to_int64(struct dh_arena *ta, const struct num *x0, int64_t *out)
{
	struct num x = *x0;
	uint64_t v = 0, lim;
	dh__nv_round(ta, &x, 0);
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
		dh__nv_from_int64(ta, 1, r);
		r->dscale = rscale;
		return 0;
	case 1:
		*r = *base;
		dh__nv_round(ta, r, rscale);
		return 0;
	case -1: {
		struct num one;
		dh__nv_from_int64(ta, 1, &one);
		return dh__nv_div(ta, &one, base, r, rscale, 1, err);
	}
	case 2:
		dh__nv_mul(ta, base, base, r, rscale);
		return 0;
	default:
		break;
	}
	if (base->ndigits == 0) {
		if (e < 0)
			return dh__nv_divzero_err(err);
		dh__nv_set_zero(r);
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
		return dh__nv_overflow_err(err);
	if (f + 1 < -rscale || f + 1 < -MAX_DISPLAY_SCALE) {
		dh__nv_set_zero(r);
		r->dscale = rscale;
		return 0;
	}
	if (f > (WEIGHT_MAX + 2) * DEC_DIGITS)
		return dh__nv_overflow_err(err);
	neg = e < 0;
	mask = neg ? (unsigned int)(-(int64_t)e) : (unsigned int)e;
	/* Exact when the exact power is of modest size; else keep sig digits. */
	{
		double exact_digits = (double)mask * base->ndigits;
		sig = exact_digits <= 1500
			  ? 0
			  : 1 + rscale + (int)f + (int)log(fabs((double)e)) + 8 + GUARD;
		if (sig < 0)
			sig = GUARD;
	}
	bp = *base;
	bp.sign = NPOS;
	if (mask & 1)
		res = bp;
	else
		dh__nv_from_int64(ta, 1, &res);
	while ((mask >>= 1) > 0) {
		dh__nv_mul(ta, &bp, &bp, &bp, bp.dscale * 2);
		if (sig)
			round_sig(ta, &bp, sig);
		if (mask & 1) {
			dh__nv_mul(ta, &bp, &res, &res, bp.dscale + res.dscale);
			if (sig)
				round_sig(ta, &res, sig);
		}
		if (bp.weight > WEIGHT_MAX || res.weight > WEIGHT_MAX) {
			if (!neg)
				return dh__nv_overflow_err(err);
			dh__nv_set_zero(r);
			r->dscale = rscale;
			return 0;
		}
	}
	if (base->sign == NNEG && (e & 1) && res.ndigits)
		res.sign = NNEG;
	if (neg) {
		struct num one;
		dh__nv_from_int64(ta, 1, &one);
		return dh__nv_div(ta, &one, &res, r, rscale, 1, err);
	}
	dh__nv_round(ta, &res, rscale);
	*r = res;
	return 0;
}

/* PostgreSQL 15's power_var. */
int
dh__nv_power(struct dh_arena *ta, const struct num *base, const struct num *ex, struct num *r,
	     struct dh_err *err)
{
	int res_neg = 0, lndw, local, rscale, sig, rc;
	struct num absb, lnb, lnn;
	double val;
	if (dh__nv_is_integral(ex)) {
		int64_t e64;
		if (dh__nv_to_int64(ta, ex, &e64) && e64 >= INT32_MIN && e64 <= INT32_MAX) {
			rscale = MIN_SIG_DIGITS;
			if (rscale < base->dscale)
				rscale = base->dscale;
			rscale = dh__nv_clamp_scale(rscale);
			return power_int(ta, base, (int)e64, rscale, r, err);
		}
	}
	if (base->ndigits == 0) {
		dh__nv_set_zero(r);
		r->dscale = MIN_SIG_DIGITS;
		return 0;
	}
	if (base->sign == NNEG) {
		if (!dh__nv_is_integral(ex))
			return dh_err_sql(
			    err, SQLSTATE_POWER,
			    "a negative number raised to a non-integer power yields a "
			    "complex result");
		if (ex->ndigits > 0 && ex->ndigits == ex->weight + 1 &&
		    (ex->d[ex->ndigits - 1] & 1))
			res_neg = 1;
		absb = *base;
		absb.sign = NPOS;
		base = &absb;
	}
	lndw = dh__nv_estimate_ln_dweight(ta, base);
	local = 8 - lndw;
	if (local < MIN_DISPLAY_SCALE)
		local = MIN_DISPLAY_SCALE;
	if (local > MAX_DISPLAY_SCALE)
		local = MAX_DISPLAY_SCALE;
	if ((rc = dh__nv_ln(ta, base, &lnb, local + GUARD, err)))
		return rc;
	dh__nv_mul(ta, &lnb, ex, &lnn, local + GUARD);
	val = dh__nv_to_double(ta, &lnn);
	if (fabs(val) > MAX_RESULT_SCALE * 3.01) {
		if (val > 0)
			return dh__nv_overflow_err(err);
		dh__nv_set_zero(r);
		r->dscale = MAX_DISPLAY_SCALE;
		return 0;
	}
	val *= 0.434294481903252;
	rscale = MIN_SIG_DIGITS - (int)val;
	if (rscale < base->dscale)
		rscale = base->dscale;
	if (rscale < ex->dscale)
		rscale = ex->dscale;
	rscale = dh__nv_clamp_scale(rscale);
	sig = rscale + (int)val;
	if (sig < 0)
		sig = 0;
	local = sig - lndw + 8 + GUARD;
	if (local < MIN_DISPLAY_SCALE)
		local = MIN_DISPLAY_SCALE;
	if ((rc = dh__nv_ln(ta, base, &lnb, local, err)))
		return rc;
	dh__nv_mul(ta, &lnb, ex, &lnn, local);
	if ((rc = dh__nv_exp(ta, &lnn, r, rscale, err)))
		return rc;
	if (res_neg && r->ndigits > 0)
		r->sign = NNEG;
	return 0;
}
