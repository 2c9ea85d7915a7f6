/*
 * sqlnum-fn: PostgreSQL's numeric type as SQL sees it: text input (with its
 * syntax and errors), output, typmods (numeric(p,s) and its overflow
 * errors), the binary form, comparison, conversions to and from the other
 * numeric types, and the operators and functions, with PostgreSQL 15's
 * result scales and special-value rules.  The arithmetic is sqlnum.c's.
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
	dh__nv_round(ta, x, scale);
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
					dh_err_detail(
					    err,
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
		dh__nv_set_special(&x, NNAN);
		cp += 3;
	} else if (strncase_prefix(cp, "infinity")) {
		dh__nv_set_special(&x, NPINF);
		cp += 8;
	} else if (strncase_prefix(cp, "+infinity")) {
		dh__nv_set_special(&x, NPINF);
		cp += 9;
	} else if (strncase_prefix(cp, "-infinity")) {
		dh__nv_set_special(&x, NNINF);
		cp += 9;
	} else if (strncase_prefix(cp, "inf")) {
		dh__nv_set_special(&x, NPINF);
		cp += 3;
	} else if (strncase_prefix(cp, "+inf")) {
		dh__nv_set_special(&x, NPINF);
		cp += 4;
	} else if (strncase_prefix(cp, "-inf")) {
		dh__nv_set_special(&x, NNINF);
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
				rc = dh__nv_overflow_err(err);
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
		dh__nv_from_dec(&ta, neg, dig, nd, dweight, dscale, &x);
		if ((rc = apply_typmod(&ta, &x, typmod, err)))
			goto out;
		rc = dh__nv_result(&x, a, out, err);
		goto out;
	}
	while (*cp) {
		if (!dh__sqlisspace((unsigned char)*cp))
			goto syntax;
		cp++;
	}
	if ((rc = apply_typmod_special(&x, typmod, err)))
		goto out;
	rc = dh__nv_result(&x, a, out, err);
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
dh__num_coerce(const struct dh_value *v, int32_t typmod, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err)
{
	struct dh_arena ta;
	struct num x;
	int rc;
	dh_arena_init(&ta);
	if ((rc = dh__nv_get(&ta, v, &x, err)))
		goto out;
	if (dh__nv_is_special(&x)) {
		if ((rc = apply_typmod_special(&x, typmod, err)))
			goto out;
	} else if ((rc = apply_typmod(&ta, &x, typmod, err))) {
		goto out;
	}
	rc = dh__nv_result(&x, a, out, err);
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
	if ((rc = dh__nv_get(&ta, v, &x, err)))
		goto out;
	if (dh__nv_is_special(&x)) {
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
	case 0x0000:
		x.sign = NPOS;
		break;
	case 0x4000:
		x.sign = NNEG;
		break;
	case 0xC000:
		x.sign = NNAN;
		break;
	case 0xD000:
		x.sign = NPINF;
		break;
	case 0xF000:
		x.sign = NNINF;
		break;
	default:
		rc = dh_err_sql(err, SQLSTATE_BINARY, "invalid sign in external \"numeric\" value");
		goto out;
	}
	if ((dscale & DSCALE_MAX) != dscale) {
		rc =
		    dh_err_sql(err, SQLSTATE_BINARY, "invalid scale in external \"numeric\" value");
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
	x.d = dh__nv_dalloc(&ta, len);
	for (int i = 0; i < len; i++) {
		int d = (int16_t)(p[8 + 2 * i] << 8 | p[9 + 2 * i]);
		if (d < 0 || d >= NBASE) {
			rc = dh_err_sql(err, SQLSTATE_BINARY,
					"invalid digit in external \"numeric\" value");
			goto out;
		}
		x.d[i] = d;
	}
	if (!dh__nv_is_special(&x)) {
		dh__nv_strip(&x);
		dh__nv_trunc(&ta, &x, x.dscale);
		if ((rc = apply_typmod(&ta, &x, typmod, err)))
			goto out;
	} else {
		dh__nv_set_special(&x, x.sign);
		if ((rc = apply_typmod_special(&x, typmod, err)))
			goto out;
	}
	rc = dh__nv_result(&x, a, out, err);
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
	if (dh__nv_get(&ta, v1, &x, NULL) || dh__nv_get(&ta, v2, &y, NULL))
		c = dh_bigdec_cmp_num(v1->s.p, v1->s.n, v2->s.p, v2->s.n);
	else
		c = dh__nv_cmp_total(&x, &y);
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
	if ((rc = dh__nv_get(&ta, v, &x, err)))
		goto out;
	if (x.sign == NNAN) {
		rc = dh_err_sql(err, SQLSTATE_NOTSUP, "cannot convert NaN to %s", tname[width]);
		goto out;
	}
	if (dh__nv_is_special(&x)) {
		rc =
		    dh_err_sql(err, SQLSTATE_NOTSUP, "cannot convert infinity to %s", tname[width]);
		goto out;
	}
	if (!dh__nv_to_int64(&ta, &x, &r) || (width == 4 && (r < INT32_MIN || r > INT32_MAX)) ||
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
		if ((rc = dh__nv_get(&ta, out, &x, err)) == 0)
			rc = dh__nv_result(&x, a, out, err);
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
#define FN_BEGIN(nargs)                                                                            \
	struct dh_arena ta;                                                                        \
	struct num x[nargs];                                                                       \
	int rc = 0;                                                                                \
	dh_arena_init(&ta);                                                                        \
	for (int i_ = 0; i_ < (nargs); i_++)                                                       \
		if ((rc = dh__nv_get(&ta, &argv[i_], &x[i_], c->err)))                             \
	goto out
#define FN_END                                                                                     \
	out:                                                                                       \
	dh_arena_release(&ta);                                                                     \
	return rc

static int
result_num(struct dh_sqlcall *c, const struct num *r, struct dh_value *out)
{
	return dh__nv_result(r, c->arena, out, c->err);
}

static int
result_special(struct dh_sqlcall *c, int sign, struct dh_value *out)
{
	struct num r;
	dh__nv_set_special(&r, sign);
	return dh__nv_result(&r, c->arena, out, c->err);
}

static int
result_int(struct dh_sqlcall *c, int64_t v, struct dh_value *out)
{
	struct dh_arena ta;
	struct num r;
	int rc;
	dh_arena_init(&ta);
	dh__nv_from_int64(&ta, v, &r);
	rc = dh__nv_result(&r, c->arena, out, c->err);
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
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		int s1 = x[0].sign, s2 = x[1].sign;
		if (s1 == NNAN || s2 == NNAN || (s1 == NPINF && s2 == NNINF) ||
		    (s1 == NNINF && s2 == NPINF))
			rc = result_special(c, NNAN, out);
		else
			rc = result_special(c, dh__nv_is_special(&x[0]) ? s1 : s2, out);
		goto out;
	}
	{
		struct num r;
		dh__nv_add(&ta, &x[0], &x[1], &r);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_sub(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		int s1 = x[0].sign, s2 = x[1].sign;
		if (s1 == NNAN || s2 == NNAN || (s1 == NPINF && s2 == NPINF) ||
		    (s1 == NNINF && s2 == NNINF))
			rc = result_special(c, NNAN, out);
		else if (dh__nv_is_special(&x[0]))
			rc = result_special(c, s1, out);
		else
			rc = result_special(c, s2 == NPINF ? NNINF : NPINF, out);
		goto out;
	}
	{
		struct num r;
		dh__nv_sub(&ta, &x[0], &x[1], &r);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_mul(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
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
		dh__nv_mul(&ta, &x[0], &x[1], &r, x[0].dscale + x[1].dscale);
		if (r.dscale > DSCALE_MAX)
			dh__nv_round(&ta, &r, DSCALE_MAX);
		rc = result_num(c, &r, out);
	}
	FN_END;
}

/* the special cases shared by / and div() */
static int
div_special(struct dh_sqlcall *c, const struct num *a, const struct num *b, struct dh_value *out)
{
	if (a->sign == NNAN || b->sign == NNAN)
		return result_special(c, NNAN, out);
	if (dh__nv_is_special(a)) {
		int s;
		if (dh__nv_is_special(b))
			return result_special(c, NNAN, out);
		s = sign_of(b);
		if (s == 0)
			return dh__nv_divzero_err(c->err);
		return result_special(c, (sign_of(a) * s) > 0 ? NPINF : NNINF, out);
	}
	return result_int(c, 0, out);
}

int
dh__num_div(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		rc = div_special(c, &x[0], &x[1], out);
		goto out;
	}
	{
		struct num r;
		int rscale = dh__nv_select_div_scale(&x[0], &x[1]);
		if ((rc = dh__nv_div(&ta, &x[0], &x[1], &r, rscale, 1, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_div_trunc(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		rc = div_special(c, &x[0], &x[1], out);
		goto out;
	}
	{
		struct num r;
		if ((rc = dh__nv_div(&ta, &x[0], &x[1], &r, 0, 0, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_mod(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(2);
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		if (x[0].sign == NNAN || x[1].sign == NNAN) {
			rc = result_special(c, NNAN, out);
		} else if (dh__nv_is_special(&x[0])) {
			if (sign_of(&x[1]) == 0)
				rc = dh__nv_divzero_err(c->err);
			else
				rc = result_special(c, NNAN, out);
		} else {
			rc = result_num(c, &x[0], out);
		}
		goto out;
	}
	{
		struct num r;
		if ((rc = dh__nv_mod(&ta, &x[0], &x[1], &r, c->err)))
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
	if (dh__nv_is_special(&x[0])) {
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
		dh__nv_round(&ta, &x[0], scale);
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
	if (dh__nv_is_special(&x[0])) {
		rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		int scale = c->nargs > 1 ? arg_int32(&argv[1]) : 0;
		if (scale < -(WEIGHT_MAX + 1) * DEC_DIGITS)
			scale = -(WEIGHT_MAX + 1) * DEC_DIGITS;
		if (scale > DSCALE_MAX)
			scale = DSCALE_MAX;
		dh__nv_trunc(&ta, &x[0], scale);
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
	if (!dh__nv_is_special(&x[0]))
		dh__nv_ceil(&ta, &x[0], &x[0]);
	rc = result_num(c, &x[0], out);
	FN_END;
}

int
dh__num_floor(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (!dh__nv_is_special(&x[0]))
		dh__nv_floor(&ta, &x[0], &x[0]);
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
	if (dh__nv_is_special(&x[0])) {
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
		rscale = dh__nv_clamp_scale(rscale);
		if ((rc = dh__nv_sqrt(&ta, &x[0], &r, rscale, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_exp(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (dh__nv_is_special(&x[0])) {
		if (x[0].sign == NNINF)
			rc = result_int(c, 0, out);
		else
			rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		struct num r;
		double val = dh__nv_to_double(&ta, &x[0]);
		int rscale;
		val *= 0.434294481903252;
		if (val < -MAX_RESULT_SCALE)
			val = -MAX_RESULT_SCALE;
		if (val > MAX_RESULT_SCALE)
			val = MAX_RESULT_SCALE;
		rscale = MIN_SIG_DIGITS - (int)val;
		if (rscale < x[0].dscale)
			rscale = x[0].dscale;
		rscale = dh__nv_clamp_scale(rscale);
		if ((rc = dh__nv_exp(&ta, &x[0], &r, rscale, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

int
dh__num_ln(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (dh__nv_is_special(&x[0])) {
		if (x[0].sign == NNINF)
			rc = dh_err_sql(c->err, SQLSTATE_LOG,
					"cannot take logarithm of a negative number");
		else
			rc = result_num(c, &x[0], out);
		goto out;
	}
	{
		struct num r;
		int rscale = MIN_SIG_DIGITS - dh__nv_estimate_ln_dweight(&ta, &x[0]);
		if (rscale < x[0].dscale)
			rscale = x[0].dscale;
		rscale = dh__nv_clamp_scale(rscale);
		if ((rc = dh__nv_ln(&ta, &x[0], &r, rscale, c->err)))
			goto out;
		rc = result_num(c, &r, out);
	}
	FN_END;
}

static int
log_special(struct dh_sqlcall *c, const struct num *b, const struct num *n, struct dh_value *out)
{
	int s1, s2;
	if (b->sign == NNAN || n->sign == NNAN)
		return result_special(c, NNAN, out);
	s1 = sign_of(b);
	s2 = sign_of(n);
	if (s1 < 0 || s2 < 0)
		return dh_err_sql(c->err, SQLSTATE_LOG,
				  "cannot take logarithm of a negative number");
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
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		rc = log_special(c, &x[0], &x[1], out);
		goto out;
	}
	{
		struct num r;
		if ((rc = dh__nv_log(&ta, &x[0], &x[1], &r, c->err)))
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
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		struct num one;
		int s1, s2;
		dh__nv_from_int64(&ta, 1, &one);
		if (x[0].sign == NNAN) {
			if (!dh__nv_is_special(&x[1]) && x[1].ndigits == 0)
				rc = result_int(c, 1, out);
			else
				rc = result_special(c, NNAN, out);
			goto out;
		}
		if (x[1].sign == NNAN) {
			if (!dh__nv_is_special(&x[0]) && dh__nv_cmp_num(&x[0], &one) == 0)
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
		if (s1 < 0 && !(dh__nv_is_special(&x[1]) || dh__nv_is_integral(&x[1]))) {
			rc = dh_err_sql(c->err, SQLSTATE_POWER,
					"a negative number raised to a non-integer power yields "
					"a complex result");
			goto out;
		}
		if (!dh__nv_is_special(&x[0]) && dh__nv_cmp_num(&x[0], &one) == 0) {
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
		if (dh__nv_is_special(&x[1])) {
			int gt1;
			if (dh__nv_is_special(&x[0])) {
				gt1 = 1;
			} else {
				struct num m1 = one, ab = x[0];
				m1.sign = NNEG;
				if (dh__nv_cmp_num(&x[0], &m1) == 0) {
					rc = result_int(c, 1, out);
					goto out;
				}
				ab.sign = NPOS;
				gt1 = dh__nv_cmp_num(&ab, &one) > 0;
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
		if ((rc = dh__nv_power(&ta, &x[0], &x[1], &r, c->err)))
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
	int c = dh__nv_cmp_abs(a, b);
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
		dh__nv_mod(ta, &x, &y, &m, NULL);
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
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
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
	if (dh__nv_is_special(&x[0]) || dh__nv_is_special(&x[1])) {
		rc = result_special(c, NNAN, out);
		goto out;
	}
	{
		struct num r;
		int dscale = x[0].dscale > x[1].dscale ? x[0].dscale : x[1].dscale;
		if (x[0].ndigits == 0 || x[1].ndigits == 0) {
			dh__nv_set_zero(&r);
		} else {
			gcd_num(&ta, &x[0], &x[1], &r);
			dh__nv_div(&ta, &x[0], &r, &r, 0, 0, c->err);
			dh__nv_mul(&ta, &x[1], &r, &r, x[1].dscale);
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
	if (dh__nv_is_special(&x[0]))
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
	if (dh__nv_is_special(&x[0]))
		*out = (struct dh_value){.type = DH_T_NONE};
	else
		*out = dh__v_long(min_scale(&x[0]));
	FN_END;
}

int
dh__num_trim_scale(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	FN_BEGIN(1);
	if (!dh__nv_is_special(&x[0]))
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
		if (dh__nv_is_special(op) || dh__nv_is_special(b1) || dh__nv_is_special(b2)) {
			if (op->sign == NNAN || b1->sign == NNAN || b2->sign == NNAN) {
				rc = dh_err_sql(
				    c->err, SQLSTATE_BUCKET,
				    "operand, lower bound, and upper bound cannot be NaN");
				goto out;
			}
			if (dh__nv_is_special(b1) || dh__nv_is_special(b2)) {
				rc = dh_err_sql(c->err, SQLSTATE_BUCKET,
						"lower and upper bounds must be finite");
				goto out;
			}
		}
		cmp = dh__nv_cmp_num(b1, b2);
		if (cmp == 0) {
			rc = dh_err_sql(c->err, SQLSTATE_BUCKET,
					"lower bound cannot equal upper bound");
			goto out;
		}
		if ((cmp < 0 && dh__nv_cmp_total(op, b1) < 0) ||
		    (cmp > 0 && dh__nv_cmp_total(op, b1) > 0)) {
			res = 0;
		} else if ((cmp < 0 && dh__nv_cmp_total(op, b2) >= 0) ||
			   (cmp > 0 && dh__nv_cmp_total(op, b2) <= 0)) {
			res = count + 1;
		} else {
			/* PostgreSQL 15's compute_bucket: the quotient is rounded at
			 * dh__nv_select_div_scale, then 1 is added and the sum floored */
			struct num o, w, cn, q, one;
			dh__nv_from_int64(&ta, count, &cn);
			dh__nv_from_int64(&ta, 1, &one);
			if (cmp < 0) {
				dh__nv_sub(&ta, op, b1, &o);
				dh__nv_sub(&ta, b2, b1, &w);
			} else {
				dh__nv_sub(&ta, b1, op, &o);
				dh__nv_sub(&ta, b1, b2, &w);
			}
			dh__nv_mul(&ta, &o, &cn, &o, o.dscale);
			dh__nv_div(&ta, &o, &w, &q, dh__nv_select_div_scale(&o, &w), 1, c->err);
			dh__nv_add(&ta, &q, &one, &q);
			dh__nv_floor(&ta, &q, &q);
			dh__nv_to_int64(&ta, &q, &res);
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
		return dh__nv_overflow_err(c->err);
	dh_arena_init(&ta);
	dh__nv_from_int64(&ta, n, &r);
	for (int64_t k = n - 1; k > 1; k--) {
		dh__nv_from_int64(&ta, k, &f);
		dh__nv_mul(&ta, &r, &f, &r, 0);
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

/* PostgreSQL's numeric_stddev_internal: variance or standard deviation
 * (sample or population) from N, sum(X) and sum(X*X), all exact. */
int
dh_sqlnum_variance(int64_t n, const struct dh_value *sumx, const struct dh_value *sumx2,
		   int sample, int stddev, struct dh_arena *a, struct dh_value *out,
		   struct dh_err *err)
{
	out->type = DH_T_NONE;
	if (n == 0 || (sample && n == 1))
		return 0;
	struct dh_arena ta;
	dh_arena_init(&ta);
	struct num vn, vsx, vsx2, vnm1, t1, t2, res;
	int rc = 0;
	dh__nv_from_int64(&ta, n, &vn);
	if ((rc = dh__nv_get(&ta, sumx, &vsx, err)) || (rc = dh__nv_get(&ta, sumx2, &vsx2, err)))
		goto out;
	if (dh__nv_is_special(&vsx) || dh__nv_is_special(&vsx2)) {
		/* NaN or infinities: NaN, as PostgreSQL's NaN count path gives */
		dh__nv_set_special(&res, 0);
		rc = dh__nv_result(&res, a, out, err);
		goto out;
	}
	dh__nv_mul(&ta, &vsx, &vsx, &t1, vsx.dscale * 2);    /* sumX^2 */
	dh__nv_mul(&ta, &vn, &vsx2, &t2, vn.dscale + vsx2.dscale); /* N * sumX2 */
	dh__nv_sub(&ta, &t2, &t1, &t2);
	struct num zero;
	dh__nv_set_zero(&zero);
	if (dh__nv_cmp_num(&t2, &zero) <= 0) {
		/* roundoff may make it negative: PostgreSQL's const_zero */
		dh__nv_set_zero(&res);
		res.dscale = 0;
		rc = dh__nv_result(&res, a, out, err);
		goto out;
	}
	if (sample)
		dh__nv_from_int64(&ta, n - 1, &t1);
	else
		dh__nv_from_int64(&ta, n, &t1);
	dh__nv_mul(&ta, &vn, &t1, &vnm1, 0);
	int rscale = dh__nv_select_div_scale(&t2, &vnm1);
	if ((rc = dh__nv_div(&ta, &t2, &vnm1, &res, rscale, 1, err)))
		goto out;
	if (stddev && (rc = dh__nv_sqrt(&ta, &res, &res, rscale, err)))
		goto out;
	rc = dh__nv_result(&res, a, out, err);
out:
	dh_arena_release(&ta);
	return rc;
}
