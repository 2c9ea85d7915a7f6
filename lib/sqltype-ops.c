/*
 * sqltype-ops: the operators, functions and casts of the scalar types
 * (pg_operator, pg_proc and pg_cast rows with their implementations) for
 * integers, floats, text, bool and the rest; numeric's live in sqlnum.c and
 * are listed here.  Overflow, division by zero and domain errors are
 * PostgreSQL 15's, SQLSTATE and message.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

/* --- integers --- */

static const char *
int_name(int w)
{
	return w == 2 ? "smallint" : w == 4 ? "integer" : "bigint";
}

static int
int_range_err(struct dh_sqlcall *c, int w)
{
	return dh_err_sql(c->err, SQLSTATE_RANGE, "%s out of range", int_name(w));
}

static int
divzero(struct dh_sqlcall *c)
{
	return dh_err_sql(c->err, SQLSTATE_DIVZERO, "division by zero");
}

static int
fits(int64_t v, int w)
{
	if (w == 2)
		return v >= INT16_MIN && v <= INT16_MAX;
	if (w == 4)
		return v >= INT32_MIN && v <= INT32_MAX;
	return 1;
}

static int
int_result(struct dh_sqlcall *c, int w, int overflow, int64_t v, struct dh_value *out)
{
	if (overflow || !fits(v, w))
		return int_range_err(c, w);
	*out = dh__v_long(v);
	return 0;
}

static int
int_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int64_t r;
	int ovf = __builtin_add_overflow(a[0].i, a[1].i, &r);
	return int_result(c, w, ovf, r, o);
}

static int
int_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int64_t r;
	int ovf = __builtin_sub_overflow(a[0].i, a[1].i, &r);
	return int_result(c, w, ovf, r, o);
}

static int
int_mul(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int64_t r;
	int ovf = __builtin_mul_overflow(a[0].i, a[1].i, &r);
	return int_result(c, w, ovf, r, o);
}

static int
int_div(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	if (a[1].i == 0)
		return divzero(c);
	if (a[1].i == -1) {
		if (a[0].i == INT64_MIN)
			return int_range_err(c, w);
		return int_result(c, w, 0, -a[0].i, o);
	}
	return int_result(c, w, 0, a[0].i / a[1].i, o);
}

static int
int_mod(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	if (a[1].i == 0)
		return divzero(c);
	if (a[1].i == -1) {
		*o = dh__v_long(0);
		return 0;
	}
	*o = dh__v_long(a[0].i % a[1].i);
	return 0;
}

static int
int_um(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	if (a[0].i == INT64_MIN)
		return int_range_err(c, w);
	return int_result(c, w, 0, -a[0].i, o);
}

static int
int_abs(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	if (a[0].i == INT64_MIN)
		return int_range_err(c, w);
	return int_result(c, w, 0, a[0].i < 0 ? -a[0].i : a[0].i, o);
}

static int
int_up(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	*o = a[0];
	return 0;
}

static int
int_and(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	*o = dh__v_long(a[0].i & a[1].i);
	return 0;
}

static int
int_or(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	*o = dh__v_long(a[0].i | a[1].i);
	return 0;
}

static int
int_xor(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	*o = dh__v_long(a[0].i ^ a[1].i);
	return 0;
}

static int
int_not(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	*o = dh__v_long(~a[0].i);
	return 0;
}

/* C's << and >> as PostgreSQL's int2shl/int4shl/int8shl compile on x86-64:
 * the count taken modulo the width of the (promoted) operand. */
static int
int_shl(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int64_t v = a[0].i, n = a[1].i;
	if (w == 8)
		*o = dh__v_long((int64_t)((uint64_t)v << (n & 63)));
	else if (w == 4)
		*o = dh__v_long((int32_t)((uint32_t)(int32_t)v << (n & 31)));
	else
		*o = dh__v_long((int16_t)(uint16_t)((uint32_t)(int32_t)v << (n & 31)));
	return 0;
}

static int
int_shr(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int64_t v = a[0].i, n = a[1].i;
	if (w == 8)
		*o = dh__v_long(v >> (n & 63));
	else if (w == 4)
		*o = dh__v_long((int32_t)v >> (n & 31));
	else
		*o = dh__v_long((int16_t)((int32_t)v >> (n & 31)));
	return 0;
}

static int64_t
gcd64(struct dh_sqlcall *c, int64_t a1, int64_t a2, int w, int *err)
{
	int64_t min = w == 4 ? INT32_MIN : INT64_MIN, swap;
	int64_t x1 = a1 < 0 ? a1 : -a1, x2 = a2 < 0 ? a2 : -a2;
	*err = 0;
	if (x1 > x2) {
		swap = a1;
		a1 = a2;
		a2 = swap;
	}
	if (a1 == min) {
		if (a2 == 0 || a2 == min) {
			*err = 1;
			return 0;
		}
		if (a2 == -1)
			return 1;
	}
	while (a2 != 0) {
		swap = a2;
		a2 = a1 % a2;
		a1 = swap;
	}
	return a1 < 0 ? -a1 : a1;
}

static int
int_gcd(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int e;
	int64_t g = gcd64(c, a[0].i, a[1].i, w, &e);
	if (e)
		return int_range_err(c, w);
	*o = dh__v_long(g);
	return 0;
}

static int
int_lcm(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int e;
	int64_t g, r;
	if (a[0].i == 0 || a[1].i == 0) {
		*o = dh__v_long(0);
		return 0;
	}
	g = gcd64(c, a[0].i, a[1].i, w, &e);
	if (e)
		return int_range_err(c, w);
	if (__builtin_mul_overflow(a[0].i / g, a[1].i, &r) || !fits(r, w) ||
	    r == (w == 4 ? INT32_MIN : INT64_MIN))
		return int_range_err(c, w);
	*o = dh__v_long(r < 0 ? -r : r);
	return 0;
}

#define INT_FNS(W)                                                                                 \
	static int i##W##_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		return int_pl(c, a, o, W);                                                         \
	}                                                                                          \
	static int i##W##_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		return int_mi(c, a, o, W);                                                         \
	}                                                                                          \
	static int i##W##_mul(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_mul(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_div(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_div(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_mod(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_mod(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_um(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		return int_um(c, a, o, W);                                                         \
	}                                                                                          \
	static int i##W##_abs(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_abs(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_up(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		return int_up(c, a, o, W);                                                         \
	}                                                                                          \
	static int i##W##_and(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_and(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_or(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		return int_or(c, a, o, W);                                                         \
	}                                                                                          \
	static int i##W##_xor(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_xor(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_not(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_not(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_shl(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_shl(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_shr(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_shr(c, a, o, W);                                                        \
	}
#define INT_GCD_FNS(W)                                                                             \
	static int i##W##_gcd(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_gcd(c, a, o, W);                                                        \
	}                                                                                          \
	static int i##W##_lcm(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return int_lcm(c, a, o, W);                                                        \
	}

INT_FNS(2)
INT_FNS(4)
INT_FNS(8)
INT_GCD_FNS(4)
INT_GCD_FNS(8)

/* --- floats --- */

static int
fl_overflow(struct dh_sqlcall *c)
{
	return dh_err_sql(c->err, SQLSTATE_RANGE, "value out of range: overflow");
}

static int
fl_underflow(struct dh_sqlcall *c)
{
	return dh_err_sql(c->err, SQLSTATE_RANGE, "value out of range: underflow");
}

/* is4: the result is a float4 (rounded to float, checked as float) */
static int
fl_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int is4)
{
	double x = a[0].d, y = a[1].d, r = x + y;
	if (is4)
		r = (float)r;
	if (isinf(r) && !isinf(x) && !isinf(y))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
fl_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int is4)
{
	double x = a[0].d, y = a[1].d, r = x - y;
	if (is4)
		r = (float)r;
	if (isinf(r) && !isinf(x) && !isinf(y))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
fl_mul(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int is4)
{
	double x = a[0].d, y = a[1].d, r = x * y;
	if (is4)
		r = (float)r;
	if (isinf(r) && !isinf(x) && !isinf(y))
		return fl_overflow(c);
	if (r == 0.0 && x != 0.0 && y != 0.0)
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
fl_div(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int is4)
{
	double x = a[0].d, y = a[1].d, r;
	if (y == 0.0 && !isnan(x))
		return divzero(c);
	r = x / y;
	if (is4)
		r = (float)r;
	if (isinf(r) && !isinf(x))
		return fl_overflow(c);
	if (r == 0.0 && x != 0.0 && !isinf(y))
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

#define FL_FNS(N, IS4)                                                                             \
	static int N##_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		return fl_pl(c, a, o, IS4);                                                        \
	}                                                                                          \
	static int N##_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		return fl_mi(c, a, o, IS4);                                                        \
	}                                                                                          \
	static int N##_mul(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                     \
	{                                                                                          \
		return fl_mul(c, a, o, IS4);                                                       \
	}                                                                                          \
	static int N##_div(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                     \
	{                                                                                          \
		return fl_div(c, a, o, IS4);                                                       \
	}
FL_FNS(f4, 1)
FL_FNS(f8, 0)

static int
f_um(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(-a[0].d);
	return 0;
}

static int
f_up(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = a[0];
	return 0;
}

static int
f_abs(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(fabs(a[0].d));
	return 0;
}

static int
f8_sqrt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d, r;
	if (x < 0)
		return dh_err_sql(c->err, SQLSTATE_POWER,
				  "cannot take square root of a negative number");
	r = sqrt(x);
	if (isinf(r) && !isinf(x))
		return fl_overflow(c);
	if (r == 0.0 && x != 0.0)
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_cbrt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d, r = cbrt(x);
	if (isinf(r) && !isinf(x))
		return fl_overflow(c);
	if (r == 0.0 && x != 0.0)
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_pow(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d, y = a[1].d, r;
	if (isnan(x)) {
		*o = dh__v_double(isnan(y) || y != 0.0 ? NAN : 1.0);
		return 0;
	}
	if (isnan(y)) {
		*o = dh__v_double(x != 1.0 ? NAN : 1.0);
		return 0;
	}
	if (x == 0 && y < 0)
		return dh_err_sql(c->err, SQLSTATE_POWER,
				  "zero raised to a negative power is undefined");
	if (x < 0 && floor(y) != y)
		return dh_err_sql(
		    c->err, SQLSTATE_POWER,
		    "a negative number raised to a non-integer power yields a complex "
		    "result");
	if (isinf(y)) {
		double ax = fabs(x);
		if (ax == 1.0)
			r = 1.0;
		else if (y > 0.0)
			r = ax > 1.0 ? y : 0.0;
		else
			r = ax > 1.0 ? 0.0 : -y;
	} else if (isinf(x)) {
		if (y == 0.0)
			r = 1.0;
		else if (x > 0.0)
			r = y > 0.0 ? x : 0.0;
		else {
			double hy = y / 2;
			int odd = floor(hy) != hy;
			if (y > 0.0)
				r = odd ? x : -x;
			else
				r = odd ? -0.0 : 0.0;
		}
	} else {
		errno = 0;
		r = pow(x, y);
		if (errno == EDOM || isnan(r)) {
			if (x == 0.0)
				r = 0.0;
			else {
				double ax = fabs(x);
				if (ax == 1.0)
					r = 1.0;
				else if (y >= 0.0 ? (ax > 1.0) : (ax < 1.0))
					return fl_overflow(c);
				else
					return fl_underflow(c);
			}
		} else if (errno == ERANGE) {
			if (r != 0.0)
				return fl_overflow(c);
			return fl_underflow(c);
		} else {
			if (isinf(r))
				return fl_overflow(c);
			if (r == 0.0 && x != 0.0)
				return fl_underflow(c);
		}
	}
	*o = dh__v_double(r);
	return 0;
}

static int
f8_exp(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d, r;
	if (isnan(x))
		r = x;
	else if (isinf(x))
		r = x > 0.0 ? x : 0;
	else {
		errno = 0;
		r = exp(x);
		if (errno == ERANGE) {
			if (r != 0.0)
				return fl_overflow(c);
			return fl_underflow(c);
		} else if (isinf(r)) {
			return fl_overflow(c);
		} else if (r == 0.0) {
			return fl_underflow(c);
		}
	}
	*o = dh__v_double(r);
	return 0;
}

static int
f8_log_common(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int ten)
{
	double x = a[0].d, r;
	if (x == 0.0)
		return dh_err_sql(c->err, SQLSTATE_LOG, "cannot take logarithm of zero");
	if (x < 0)
		return dh_err_sql(c->err, SQLSTATE_LOG,
				  "cannot take logarithm of a negative number");
	r = ten ? log10(x) : log(x);
	if (isinf(r) && !isinf(x))
		return fl_overflow(c);
	if (r == 0.0 && x != 1.0)
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_ln(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_log_common(c, a, o, 0);
}

static int
f8_log10(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_log_common(c, a, o, 1);
}

static int
f8_round(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(rint(a[0].d));
	return 0;
}

static int
f8_trunc(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d;
	*o = dh__v_double(x >= 0 ? floor(x) : -floor(-x));
	return 0;
}

static int
f8_ceil(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(ceil(a[0].d));
	return 0;
}

static int
f8_floor(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(floor(a[0].d));
	return 0;
}

static int
f8_sign(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d;
	*o = dh__v_double(x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0);
	return 0;
}

static int
f8_pi(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(M_PI);
	return 0;
}

#define RADIANS_PER_DEGREE 0.0174532925199432957692

static int
f8_degrees(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_value v[2] = {a[0], dh__v_double(RADIANS_PER_DEGREE)};
	return fl_div(c, v, o, 0);
}

static int
f8_radians(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_value v[2] = {a[0], dh__v_double(RADIANS_PER_DEGREE)};
	return fl_mul(c, v, o, 0);
}

static int
out_of_range_input(struct dh_sqlcall *c)
{
	return dh_err_sql(c->err, SQLSTATE_RANGE, "input is out of range");
}

/* sin, cos, tan, cot: NaN passes, infinity and errno are "input is out of
 * range" */
static int
f8_trig(struct dh_sqlcall *c, argv_t a, struct dh_value *o, double (*f)(double), int cot)
{
	double x = a[0].d, r;
	if (isnan(x)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	errno = 0;
	r = f(x);
	if (errno != 0 || isinf(x))
		return out_of_range_input(c);
	if (cot)
		r = 1.0 / r;
	else if (isinf(r) && f != tan)
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_sin(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trig(c, a, o, sin, 0);
}
static int
f8_cos(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trig(c, a, o, cos, 0);
}
static int
f8_tan(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trig(c, a, o, tan, 0);
}
static int
f8_cot(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trig(c, a, o, tan, 1);
}

static int
f8_arc(struct dh_sqlcall *c, argv_t a, struct dh_value *o, double (*f)(double), int bounded)
{
	double x = a[0].d, r;
	if (isnan(x)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	if (bounded && (x < -1.0 || x > 1.0))
		return out_of_range_input(c);
	r = f(x);
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_asin(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_arc(c, a, o, asin, 1);
}
static int
f8_acos(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_arc(c, a, o, acos, 1);
}
static int
f8_atan(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_arc(c, a, o, atan, 0);
}

static int
f8_atan2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double r;
	if (isnan(a[0].d) || isnan(a[1].d)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	r = atan2(a[0].d, a[1].d);
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

/* Degree-based trigonometry, exact at the multiples of 30 and 45 degrees
 * as PostgreSQL's: the scaling constants are computed at run time with the
 * same libm, so that sin(30) / sin_30 is exactly 1. */
struct degconst {
	double sin_30, one_minus_cos_60, asin_0_5, acos_0_5, atan_1_0, tan_45, cot_45;
};

static double
sind_0_to_30(const struct degconst *k, double x)
{
	volatile double sin_x = sin(x * RADIANS_PER_DEGREE);
	return (sin_x / k->sin_30) / 2.0;
}

static double
cosd_0_to_60(const struct degconst *k, double x)
{
	volatile double one_minus_cos_x = 1.0 - cos(x * RADIANS_PER_DEGREE);
	return 1.0 - (one_minus_cos_x / k->one_minus_cos_60) / 2.0;
}

static double
sind_q1(const struct degconst *k, double x)
{
	return x <= 30.0 ? sind_0_to_30(k, x) : cosd_0_to_60(k, 90.0 - x);
}

static double
cosd_q1(const struct degconst *k, double x)
{
	return x <= 60.0 ? cosd_0_to_60(k, x) : sind_0_to_30(k, 90.0 - x);
}

static void
degconst_init(struct degconst *k)
{
	/* volatile operands keep the compiler from folding these with its own
	 * math library */
	volatile double thirty = 30.0, sixty = 60.0, half = 0.5, one = 1.0, ff = 45.0;
	k->sin_30 = sin(thirty * RADIANS_PER_DEGREE);
	k->one_minus_cos_60 = 1.0 - cos(sixty * RADIANS_PER_DEGREE);
	k->asin_0_5 = asin(half);
	k->acos_0_5 = acos(half);
	k->atan_1_0 = atan(one);
	k->tan_45 = sind_q1(k, ff) / cosd_q1(k, ff);
	k->cot_45 = cosd_q1(k, ff) / sind_q1(k, ff);
}

static double
asind_q1(const struct degconst *k, double x)
{
	if (x <= 0.5) {
		volatile double asin_x = asin(x);
		return (asin_x / k->asin_0_5) * 30.0;
	} else {
		volatile double acos_x = acos(x);
		return 90.0 - (acos_x / k->acos_0_5) * 60.0;
	}
}

static double
acosd_q1(const struct degconst *k, double x)
{
	if (x <= 0.5) {
		volatile double asin_x = asin(x);
		return 90.0 - (asin_x / k->asin_0_5) * 30.0;
	} else {
		volatile double acos_x = acos(x);
		return (acos_x / k->acos_0_5) * 60.0;
	}
}

enum { DEG_SIN, DEG_COS, DEG_TAN, DEG_COT };

static int
f8_trigd(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int which)
{
	struct degconst k;
	double x = a[0].d, r;
	int sign = 1;
	if (isnan(x)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	if (isinf(x))
		return out_of_range_input(c);
	degconst_init(&k);
	/* reduce to [0, 90] */
	x = fmod(x, 360.0);
	if (x < 0.0) {
		x = -x;
		if (which != DEG_COS)
			sign = -sign;
	}
	if (x > 180.0) {
		x = 360.0 - x;
		if (which != DEG_COS)
			sign = -sign;
	}
	if (x > 90.0) {
		x = 180.0 - x;
		if (which != DEG_SIN)
			sign = -sign;
	}
	switch (which) {
	case DEG_SIN:
		r = sign * sind_q1(&k, x);
		break;
	case DEG_COS:
		r = sign * cosd_q1(&k, x);
		break;
	case DEG_TAN: {
		volatile double t = sind_q1(&k, x) / cosd_q1(&k, x);
		r = sign * (t / k.tan_45);
		if (r == 0.0)
			r = 0.0;
		*o = dh__v_double(r);
		return 0;
	}
	default: {
		volatile double t = cosd_q1(&k, x) / sind_q1(&k, x);
		r = sign * (t / k.cot_45);
		if (r == 0.0)
			r = 0.0;
		*o = dh__v_double(r);
		return 0;
	}
	}
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_sind(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trigd(c, a, o, DEG_SIN);
}
static int
f8_cosd(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trigd(c, a, o, DEG_COS);
}
static int
f8_tand(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trigd(c, a, o, DEG_TAN);
}
static int
f8_cotd(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_trigd(c, a, o, DEG_COT);
}

static int
f8_arcd(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int cosine)
{
	struct degconst k;
	double x = a[0].d, r;
	if (isnan(x)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	degconst_init(&k);
	if (x < -1.0 || x > 1.0)
		return out_of_range_input(c);
	if (cosine)
		r = x >= 0.0 ? acosd_q1(&k, x) : 90.0 + asind_q1(&k, -x);
	else
		r = x >= 0.0 ? asind_q1(&k, x) : -asind_q1(&k, -x);
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_asind(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_arcd(c, a, o, 0);
}
static int
f8_acosd(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return f8_arcd(c, a, o, 1);
}

static int
f8_atand(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct degconst k;
	volatile double t;
	double r;
	if (isnan(a[0].d)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	degconst_init(&k);
	t = atan(a[0].d);
	r = (t / k.atan_1_0) * 45.0;
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_atan2d(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct degconst k;
	volatile double t;
	double r;
	if (isnan(a[0].d) || isnan(a[1].d)) {
		*o = dh__v_double(NAN);
		return 0;
	}
	degconst_init(&k);
	t = atan2(a[0].d, a[1].d);
	r = (t / k.atan_1_0) * 45.0;
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_sinh(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d, r;
	errno = 0;
	r = sinh(x);
	if (errno == ERANGE)
		r = x < 0 ? -INFINITY : INFINITY;
	*o = dh__v_double(r);
	return 0;
}

static int
f8_cosh(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double r;
	errno = 0;
	r = cosh(a[0].d);
	if (errno == ERANGE)
		r = INFINITY;
	if (r == 0.0)
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_tanh(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double r = tanh(a[0].d);
	if (isinf(r))
		return fl_overflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f8_asinh(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double(asinh(a[0].d));
	return 0;
}

static int
f8_acosh(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	if (a[0].d < 1.0)
		return out_of_range_input(c);
	*o = dh__v_double(acosh(a[0].d));
	return 0;
}

static int
f8_atanh(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d;
	if (x < -1.0 || x > 1.0)
		return out_of_range_input(c);
	*o = dh__v_double(x == -1.0 ? -INFINITY : x == 1.0 ? INFINITY : atanh(x));
	return 0;
}

/* PostgreSQL 15's width_bucket_float8 */
static int
f8_width_bucket(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double op = a[0].d, b1 = a[1].d, b2 = a[2].d;
	int64_t count = a[3].i, r = 0;
	if (count <= 0)
		return dh_err_sql(c->err, SQLSTATE_BUCKET, "count must be greater than zero");
	if (isnan(op) || isnan(b1) || isnan(b2))
		return dh_err_sql(c->err, SQLSTATE_BUCKET,
				  "operand, lower bound, and upper bound cannot be NaN");
	if (isinf(b1) || isinf(b2))
		return dh_err_sql(c->err, SQLSTATE_BUCKET, "lower and upper bounds must be finite");
	if (b1 < b2) {
		if (op < b1)
			r = 0;
		else if (op >= b2) {
			if (count == INT32_MAX)
				return int_range_err(c, 4);
			r = count + 1;
		} else
			r = (int64_t)(((double)count * ((op - b1) / (b2 - b1)))) + 1;
	} else if (b1 > b2) {
		if (op > b1)
			r = 0;
		else if (op <= b2) {
			if (count == INT32_MAX)
				return int_range_err(c, 4);
			r = count + 1;
		} else
			r = (int64_t)(((double)count * ((b1 - op) / (b1 - b2)))) + 1;
	} else {
		return dh_err_sql(c->err, SQLSTATE_BUCKET, "lower bound cannot equal upper bound");
	}
	*o = dh__v_long(r);
	return 0;
}

/* --- comparisons --- */

static int
cmp_int(argv_t a)
{
	return a[0].i < a[1].i ? -1 : a[0].i > a[1].i;
}

static int
cmp_float(argv_t a)
{
	double x = a[0].d, y = a[1].d;
	if (isnan(x))
		return isnan(y) ? 0 : 1;
	if (isnan(y))
		return -1;
	return x < y ? -1 : x > y;
}

static int
cmp_numeric(argv_t a)
{
	return dh__num_cmp(&a[0], &a[1]);
}

static int
cmp_text(argv_t a)
{
	size_t n = a[0].s.n < a[1].s.n ? a[0].s.n : a[1].s.n;
	int c = memcmp(a[0].s.p, a[1].s.p, n);
	if (c)
		return c < 0 ? -1 : 1;
	return a[0].s.n < a[1].s.n ? -1 : a[0].s.n > a[1].s.n;
}

static int
cmp_bpchar(argv_t a)
{
	struct dh_value v[2] = {a[0], a[1]};
	while (v[0].s.n > 0 && v[0].s.p[v[0].s.n - 1] == ' ')
		v[0].s.n--;
	while (v[1].s.n > 0 && v[1].s.p[v[1].s.n - 1] == ' ')
		v[1].s.n--;
	return cmp_text(v);
}

static int
cmp_bool(argv_t a)
{
	return a[0].b < a[1].b ? -1 : a[0].b > a[1].b;
}

static int
cmp_uuid(argv_t a)
{
	int c = memcmp(a[0].uuid, a[1].uuid, 16);
	return c < 0 ? -1 : c > 0;
}

static int
cmp_char(argv_t a)
{
	int x = a[0].s.n ? (unsigned char)a[0].s.p[0] : 0;
	int y = a[1].s.n ? (unsigned char)a[1].s.p[0] : 0;
	return x < y ? -1 : x > y;
}

#define CMP_FNS(K)                                                                                 \
	static int K##_eq(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(a) == 0);                                                  \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_ne(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(a) != 0);                                                  \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_lt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(a) < 0);                                                   \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_le(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(a) <= 0);                                                  \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_gt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(a) > 0);                                                   \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_ge(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(a) >= 0);                                                  \
		return 0;                                                                          \
	}

CMP_FNS(int)
CMP_FNS(float)
CMP_FNS(numeric)
CMP_FNS(text)
CMP_FNS(bpchar)
CMP_FNS(bool)
CMP_FNS(uuid)
CMP_FNS(char)

/* --- text --- */

static int
concat(struct dh_sqlcall *c, const char *p1, size_t n1, const char *p2, size_t n2,
       struct dh_value *o)
{
	char *r = dh_arena_alloc(c->arena, n1 + n2 + 1);
	memcpy(r, p1, n1);
	memcpy(r + n1, p2, n2);
	r[n1 + n2] = '\0';
	*o = dh__v_string(r, n1 + n2);
	return 0;
}

static int
textcat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return concat(c, a[0].s.p, a[0].s.n, a[1].s.p, a[1].s.n, o);
}

/* argument i of any type cast to text (anytextcat and textanycat are SQL
 * functions "select $1::text || $2": bool gives 'true', not 't') */
static int
arg_text(struct dh_sqlcall *c, argv_t a, int i, struct dh_buf *b)
{
	uint32_t t = c->argtypes ? c->argtypes[i] : DH_OID_TEXT;
	struct dh_value v;
	int rc = dh_sqlcast_value(t, -1, DH_OID_TEXT, -1, 1, &a[i], c->env, c->arena, &v, c->err);
	if (rc)
		return rc;
	return dh_buf_add(b, v.s.p, v.s.n);
}

static int
textanycat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	int rc;
	dh_buf_init(&b, 0);
	if (!(rc = arg_text(c, a, 1, &b)))
		rc = concat(c, a[0].s.p, a[0].s.n, (const char *)b.p, b.len, o);
	dh_buf_release(&b);
	return rc;
}

static int
anytextcat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_buf b;
	int rc;
	dh_buf_init(&b, 0);
	if (!(rc = arg_text(c, a, 0, &b)))
		rc = concat(c, (const char *)b.p, b.len, a[1].s.p, a[1].s.n, o);
	dh_buf_release(&b);
	return rc;
}

static int
bytea_cat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int rc = textcat(c, a, o);
	o->type = DH_T_BYTES;
	return rc;
}

static size_t
utf8_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

static int
text_length(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long((int64_t)utf8_chars(a[0].s.p, a[0].s.n));
	return 0;
}

static int
bpchar_length(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	size_t n = a[0].s.n;
	while (n > 0 && a[0].s.p[n - 1] == ' ')
		n--;
	*o = dh__v_long((int64_t)utf8_chars(a[0].s.p, n));
	return 0;
}

static int
octet_length(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long((int64_t)a[0].s.n);
	return 0;
}

/* --- casts --- */

static int
to_width(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	return int_result(c, w, 0, a[0].i, o);
}
static int
to_int2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_width(c, a, o, 2);
}
static int
to_int4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_width(c, a, o, 4);
}
static int
same_long(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = a[0];
	return 0;
}

static int
int_to_f8(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double((double)a[0].i);
	return 0;
}

static int
int_to_f4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_double((float)a[0].i);
	return 0;
}

static int
int_to_numeric(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	dh_sqlnum_from_int64(a[0].i, c->arena, o);
	return 0;
}

/* dtoi2/dtoi4/dtoi8/ftoi*: rint, then the range check */
static int
float_to_int(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	double x = rint(a[0].d);
	int ok;
	if (isnan(x))
		return int_range_err(c, w);
	if (w == 2)
		ok = x >= (double)INT16_MIN && x < -(double)INT16_MIN;
	else if (w == 4)
		ok = x >= (double)INT32_MIN && x < -(double)INT32_MIN;
	else
		ok = x >= (double)INT64_MIN && x < -(double)INT64_MIN;
	if (!ok)
		return int_range_err(c, w);
	*o = dh__v_long((int64_t)x);
	return 0;
}
static int
f_to_i2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return float_to_int(c, a, o, 2);
}
static int
f_to_i4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return float_to_int(c, a, o, 4);
}
static int
f_to_i8(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return float_to_int(c, a, o, 8);
}

static int
f8_to_f4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	double x = a[0].d;
	float r = (float)x;
	if (isinf(r) && !isinf(x))
		return fl_overflow(c);
	if (r == 0.0f && x != 0.0)
		return fl_underflow(c);
	*o = dh__v_double(r);
	return 0;
}

static int
f4_to_f8(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = a[0];
	return 0;
}

static int
f8_to_numeric(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh__num_from_double(a[0].d, 0, c->arena, o, c->err);
}

static int
f4_to_numeric(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh__num_from_double(a[0].d, 1, c->arena, o, c->err);
}

static int
numeric_to_int_w(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int w)
{
	int64_t r;
	int rc = dh__num_to_int(&a[0], w, &r, c->err);
	if (!rc)
		*o = dh__v_long(r);
	return rc;
}
static int
numeric_to_i2(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return numeric_to_int_w(c, a, o, 2);
}
static int
numeric_to_i4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return numeric_to_int_w(c, a, o, 4);
}
static int
numeric_to_i8(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return numeric_to_int_w(c, a, o, 8);
}

static int
numeric_to_f(struct dh_sqlcall *c, argv_t a, struct dh_value *o, int is4)
{
	double d;
	int rc = dh__num_to_float(&a[0], is4, &d, c->err);
	if (!rc)
		*o = dh__v_double(d);
	return rc;
}
static int
numeric_to_f8(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return numeric_to_f(c, a, o, 0);
}
static int
numeric_to_f4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return numeric_to_f(c, a, o, 1);
}

static int
numeric_same(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = a[0];
	return 0;
}

static int
int4_to_bool(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_bool(a[0].i != 0);
	return 0;
}

static int
bool_to_int4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long(a[0].b ? 1 : 0);
	return 0;
}

static int
bool_to_text(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = a[0].b ? dh__v_string("true", 4) : dh__v_string("false", 5);
	return 0;
}

static int
int8_to_oid(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	if (a[0].i < 0 || a[0].i > (int64_t)UINT32_MAX)
		return dh_err_sql(c->err, SQLSTATE_RANGE, "OID out of range");
	*o = a[0];
	return 0;
}

/* int4 <-> oid are binary-coercible in PostgreSQL: the same 32 bits */
static int
int4_to_oid(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long((uint32_t)(int32_t)a[0].i);
	return 0;
}

static int
oid_to_int4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long((int32_t)(uint32_t)a[0].i);
	return 0;
}

static int
int4_to_char(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	char *r;
	if (a[0].i < -128 || a[0].i > 127)
		return dh_err_sql(c->err, SQLSTATE_RANGE, "\"char\" out of range");
	r = dh_arena_alloc(c->arena, 2);
	r[0] = (char)(int8_t)a[0].i;
	r[1] = '\0';
	*o = dh__v_string(r, r[0] ? 1 : 0);
	return 0;
}

static int
char_to_int4(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long(a[0].s.n ? (int8_t)a[0].s.p[0] : 0);
	return 0;
}

/* char_text: the byte, or empty for \0 */
static int
char_to_text(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = a[0];
	return 0;
}

/* text_char and friends: the first byte */
static int
text_to_char(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_string(a[0].s.p, a[0].s.n ? 1 : 0);
	if (o->s.n && o->s.p[0] == '\0')
		o->s.n = 0;
	return 0;
}

/* bpchar -> text, varchar: rtrim1 */
static int
bpchar_to_text(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	size_t n = a[0].s.n;
	while (n > 0 && a[0].s.p[n - 1] == ' ')
		n--;
	*o = dh__v_string(a[0].s.p, n);
	return 0;
}

/* text_name: at most NAMEDATALEN - 1 bytes, at a character boundary */
static int
text_to_name(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_sqltype_in(DH_OID_NAME, -1, a[0].s.p, a[0].s.n, c->env, c->arena, o, c->err);
}

/* text -> regclass and friends: the target's input function (which needs
 * the catalog, so it comes from the hooks) */
static int
text_to_reg(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_sqltype_in(c->rettype, -1, a[0].s.p, a[0].s.n, c->env, c->arena, o, c->err);
}

static int
bpchar_to_name(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_value t;
	bpchar_to_text(c, a, &t);
	return text_to_name(c, &t, o);
}

/* --- the tables --- */

#define OP(n, l, r, res, f_, pro)                                                                  \
	{                                                                                          \
		.name = n, .left = l, .right = r, .result = res, .fn = f_, .proname = pro          \
	}
#define CMPOPS(L, R, K, P)                                                                         \
	OP("=", L, R, O(BOOL), K##_eq, P "eq"), OP("<>", L, R, O(BOOL), K##_ne, P "ne"),           \
	    OP("<", L, R, O(BOOL), K##_lt, P "lt"), OP("<=", L, R, O(BOOL), K##_le, P "le"),       \
	    OP(">", L, R, O(BOOL), K##_gt, P "gt"), OP(">=", L, R, O(BOOL), K##_ge, P "ge")
#define ARITH(L, R, RES, W, P)                                                                     \
	OP("+", L, R, RES, i##W##_pl, P "pl"), OP("-", L, R, RES, i##W##_mi, P "mi"),              \
	    OP("*", L, R, RES, i##W##_mul, P "mul"), OP("/", L, R, RES, i##W##_div, P "div")
#define INTOPS(T, W, P)                                                                            \
	ARITH(T, T, T, W, P), OP("%", T, T, T, i##W##_mod, P "mod"),                               \
	    OP("-", 0, T, T, i##W##_um, P "um"), OP("+", 0, T, T, i##W##_up, P "up"),              \
	    OP("@", 0, T, T, i##W##_abs, P "abs"), OP("&", T, T, T, i##W##_and, P "and"),          \
	    OP("|", T, T, T, i##W##_or, P "or"), OP("#", T, T, T, i##W##_xor, P "xor"),            \
	    OP("~", 0, T, T, i##W##_not, P "not"), OP("<<", T, O(INT4), T, i##W##_shl, P "shl"),   \
	    OP(">>", T, O(INT4), T, i##W##_shr, P "shr")

const struct dh_sqlop dh__sqlops[] = {
    /* integers */
    INTOPS(O(INT2), 2, "int2"),
    INTOPS(O(INT4), 4, "int4"),
    INTOPS(O(INT8), 8, "int8"),
    ARITH(O(INT2), O(INT4), O(INT4), 4, "int24"),
    ARITH(O(INT4), O(INT2), O(INT4), 4, "int42"),
    ARITH(O(INT2), O(INT8), O(INT8), 8, "int28"),
    ARITH(O(INT8), O(INT2), O(INT8), 8, "int82"),
    ARITH(O(INT4), O(INT8), O(INT8), 8, "int48"),
    ARITH(O(INT8), O(INT4), O(INT8), 8, "int84"),
    CMPOPS(O(INT2), O(INT2), int, "int2"),
    CMPOPS(O(INT4), O(INT4), int, "int4"),
    CMPOPS(O(INT8), O(INT8), int, "int8"),
    CMPOPS(O(INT2), O(INT4), int, "int24"),
    CMPOPS(O(INT4), O(INT2), int, "int42"),
    CMPOPS(O(INT2), O(INT8), int, "int28"),
    CMPOPS(O(INT8), O(INT2), int, "int82"),
    CMPOPS(O(INT4), O(INT8), int, "int48"),
    CMPOPS(O(INT8), O(INT4), int, "int84"),
    CMPOPS(O(OID), O(OID), int, "oid"),
    /* floats */
    OP("+", O(FLOAT4), O(FLOAT4), O(FLOAT4), f4_pl, "float4pl"),
    OP("-", O(FLOAT4), O(FLOAT4), O(FLOAT4), f4_mi, "float4mi"),
    OP("*", O(FLOAT4), O(FLOAT4), O(FLOAT4), f4_mul, "float4mul"),
    OP("/", O(FLOAT4), O(FLOAT4), O(FLOAT4), f4_div, "float4div"),
    OP("+", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_pl, "float8pl"),
    OP("-", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_mi, "float8mi"),
    OP("*", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_mul, "float8mul"),
    OP("/", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_div, "float8div"),
    OP("+", O(FLOAT4), O(FLOAT8), O(FLOAT8), f8_pl, "float48pl"),
    OP("-", O(FLOAT4), O(FLOAT8), O(FLOAT8), f8_mi, "float48mi"),
    OP("*", O(FLOAT4), O(FLOAT8), O(FLOAT8), f8_mul, "float48mul"),
    OP("/", O(FLOAT4), O(FLOAT8), O(FLOAT8), f8_div, "float48div"),
    OP("+", O(FLOAT8), O(FLOAT4), O(FLOAT8), f8_pl, "float84pl"),
    OP("-", O(FLOAT8), O(FLOAT4), O(FLOAT8), f8_mi, "float84mi"),
    OP("*", O(FLOAT8), O(FLOAT4), O(FLOAT8), f8_mul, "float84mul"),
    OP("/", O(FLOAT8), O(FLOAT4), O(FLOAT8), f8_div, "float84div"),
    OP("-", 0, O(FLOAT4), O(FLOAT4), f_um, "float4um"),
    OP("+", 0, O(FLOAT4), O(FLOAT4), f_up, "float4up"),
    OP("@", 0, O(FLOAT4), O(FLOAT4), f_abs, "float4abs"),
    OP("-", 0, O(FLOAT8), O(FLOAT8), f_um, "float8um"),
    OP("+", 0, O(FLOAT8), O(FLOAT8), f_up, "float8up"),
    OP("@", 0, O(FLOAT8), O(FLOAT8), f_abs, "float8abs"),
    OP("^", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_pow, "dpow"),
    OP("|/", 0, O(FLOAT8), O(FLOAT8), f8_sqrt, "dsqrt"),
    OP("||/", 0, O(FLOAT8), O(FLOAT8), f8_cbrt, "dcbrt"),
    CMPOPS(O(FLOAT4), O(FLOAT4), float, "float4"),
    CMPOPS(O(FLOAT8), O(FLOAT8), float, "float8"),
    CMPOPS(O(FLOAT4), O(FLOAT8), float, "float48"),
    CMPOPS(O(FLOAT8), O(FLOAT4), float, "float84"),
    /* numeric */
    OP("+", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_add, "numeric_add"),
    OP("-", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_sub, "numeric_sub"),
    OP("*", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_mul, "numeric_mul"),
    OP("/", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_div, "numeric_div"),
    OP("%", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_mod, "numeric_mod"),
    OP("^", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_pow, "numeric_power"),
    OP("-", 0, O(NUMERIC), O(NUMERIC), dh__num_uminus, "numeric_uminus"),
    OP("+", 0, O(NUMERIC), O(NUMERIC), dh__num_uplus, "numeric_uplus"),
    OP("@", 0, O(NUMERIC), O(NUMERIC), dh__num_abs, "numeric_abs"),
    CMPOPS(O(NUMERIC), O(NUMERIC), numeric, "numeric_"),
    /* strings */
    OP("||", O(TEXT), O(TEXT), O(TEXT), textcat, "textcat"),
    OP("||", O(TEXT), O(ANYNONARRAY), O(TEXT), textanycat, "textanycat"),
    OP("||", O(ANYNONARRAY), O(TEXT), O(TEXT), anytextcat, "anytextcat"),
    OP("||", O(BYTEA), O(BYTEA), O(BYTEA), bytea_cat, "byteacat"),
    CMPOPS(O(TEXT), O(TEXT), text, "text"),
    CMPOPS(O(NAME), O(NAME), text, "name"),
    CMPOPS(O(NAME), O(TEXT), text, "namete"),
    CMPOPS(O(TEXT), O(NAME), text, "textna"),
    CMPOPS(O(BPCHAR), O(BPCHAR), bpchar, "bpchar"),
    CMPOPS(O(CHAR), O(CHAR), char, "char"),
    CMPOPS(O(BYTEA), O(BYTEA), text, "bytea"),
    /* others */
    CMPOPS(O(BOOL), O(BOOL), bool, "bool"),
    CMPOPS(O(UUID), O(UUID), uuid, "uuid_"),
};
const size_t dh__sqlops_n = DH_ARRAY_SIZE(dh__sqlops);

/* pg_typeof("any"): the argument's resolved type, also for NULL */
static int
pg_typeof(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *o)
{
	(void)a;
	*o = dh__v_long(c->argtypes ? c->argtypes[0] : DH_OID_UNKNOWN);
	return 0;
}

#define PR1(n, a1, res, f_, src)                                                                   \
	{                                                                                          \
		.name = n, .nargs = 1, .args = {a1}, .result = res, .fn = f_, .prosrc = src        \
	}
#define PR2(n, a1, a2, res, f_, src)                                                               \
	{                                                                                          \
		.name = n, .nargs = 2, .args = {a1, a2}, .result = res, .fn = f_, .prosrc = src    \
	}
#define PR0(n, res, f_, src)                                                                       \
	{                                                                                          \
		.name = n, .nargs = 0, .result = res, .fn = f_, .prosrc = src                      \
	}

#define PRN(n, na, a, res, f_, src)                                                                \
	{                                                                                          \
		.name = n, .nargs = na, .args = a, .result = res, .fn = f_, .prosrc = src          \
	}
#define A4(x, y, z, w)                                                                             \
	{                                                                                          \
		x, y, z, w                                                                         \
	}

const struct dh_sqlproc dh__sqlprocs[] = {
    PR1("abs", O(INT2), O(INT2), i2_abs, "int2abs"),
    PR1("abs", O(INT4), O(INT4), i4_abs, "int4abs"),
    PR1("abs", O(INT8), O(INT8), i8_abs, "int8abs"),
    PR1("abs", O(FLOAT4), O(FLOAT4), f_abs, "float4abs"),
    PR1("abs", O(FLOAT8), O(FLOAT8), f_abs, "float8abs"),
    PR1("abs", O(NUMERIC), O(NUMERIC), dh__num_abs, "numeric_abs"),
    PR2("mod", O(INT2), O(INT2), O(INT2), i2_mod, "int2mod"),
    PR2("mod", O(INT4), O(INT4), O(INT4), i4_mod, "int4mod"),
    PR2("mod", O(INT8), O(INT8), O(INT8), i8_mod, "int8mod"),
    PR2("mod", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_mod, "numeric_mod"),
    PR2("div", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_div_trunc, "numeric_div_trunc"),
    PR2("gcd", O(INT4), O(INT4), O(INT4), i4_gcd, "int4gcd"),
    PR2("gcd", O(INT8), O(INT8), O(INT8), i8_gcd, "int8gcd"),
    PR2("gcd", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_gcd, "numeric_gcd"),
    PR2("lcm", O(INT4), O(INT4), O(INT4), i4_lcm, "int4lcm"),
    PR2("lcm", O(INT8), O(INT8), O(INT8), i8_lcm, "int8lcm"),
    PR2("lcm", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_lcm, "numeric_lcm"),
    PR1("round", O(FLOAT8), O(FLOAT8), f8_round, "dround"),
    PR1("round", O(NUMERIC), O(NUMERIC), dh__num_round0, "numeric_round"),
    PR2("round", O(NUMERIC), O(INT4), O(NUMERIC), dh__num_round, "numeric_round"),
    PR1("trunc", O(FLOAT8), O(FLOAT8), f8_trunc, "dtrunc"),
    PR1("trunc", O(NUMERIC), O(NUMERIC), dh__num_trunc0, "numeric_trunc"),
    PR2("trunc", O(NUMERIC), O(INT4), O(NUMERIC), dh__num_trunc, "numeric_trunc"),
    PR1("ceil", O(FLOAT8), O(FLOAT8), f8_ceil, "dceil"),
    PR1("ceil", O(NUMERIC), O(NUMERIC), dh__num_ceil, "numeric_ceil"),
    PR1("ceiling", O(FLOAT8), O(FLOAT8), f8_ceil, "dceil"),
    PR1("ceiling", O(NUMERIC), O(NUMERIC), dh__num_ceil, "numeric_ceil"),
    PR1("floor", O(FLOAT8), O(FLOAT8), f8_floor, "dfloor"),
    PR1("floor", O(NUMERIC), O(NUMERIC), dh__num_floor, "numeric_floor"),
    PR1("sign", O(FLOAT8), O(FLOAT8), f8_sign, "dsign"),
    PR1("sign", O(NUMERIC), O(NUMERIC), dh__num_sign, "numeric_sign"),
    PR1("sqrt", O(FLOAT8), O(FLOAT8), f8_sqrt, "dsqrt"),
    PR1("sqrt", O(NUMERIC), O(NUMERIC), dh__num_sqrt, "numeric_sqrt"),
    PR1("cbrt", O(FLOAT8), O(FLOAT8), f8_cbrt, "dcbrt"),
    PR2("power", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_pow, "dpow"),
    PR2("power", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_pow, "numeric_power"),
    PR2("pow", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_pow, "dpow"),
    PR2("pow", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_pow, "numeric_power"),
    PR1("exp", O(FLOAT8), O(FLOAT8), f8_exp, "dexp"),
    PR1("exp", O(NUMERIC), O(NUMERIC), dh__num_exp, "numeric_exp"),
    PR1("ln", O(FLOAT8), O(FLOAT8), f8_ln, "dlog1"),
    PR1("ln", O(NUMERIC), O(NUMERIC), dh__num_ln, "numeric_ln"),
    PR1("log", O(FLOAT8), O(FLOAT8), f8_log10, "dlog10"),
    PR1("log", O(NUMERIC), O(NUMERIC), dh__num_log10, "log(10, $1)"),
    PR2("log", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_log, "numeric_log"),
    PR1("log10", O(FLOAT8), O(FLOAT8), f8_log10, "dlog10"),
    PR1("log10", O(NUMERIC), O(NUMERIC), dh__num_log10, "log(10, $1)"),
    PR0("pi", O(FLOAT8), f8_pi, "dpi"),
    PR1("degrees", O(FLOAT8), O(FLOAT8), f8_degrees, "degrees"),
    PR1("radians", O(FLOAT8), O(FLOAT8), f8_radians, "radians"),
    PR1("sin", O(FLOAT8), O(FLOAT8), f8_sin, "dsin"),
    PR1("cos", O(FLOAT8), O(FLOAT8), f8_cos, "dcos"),
    PR1("tan", O(FLOAT8), O(FLOAT8), f8_tan, "dtan"),
    PR1("cot", O(FLOAT8), O(FLOAT8), f8_cot, "dcot"),
    PR1("asin", O(FLOAT8), O(FLOAT8), f8_asin, "dasin"),
    PR1("acos", O(FLOAT8), O(FLOAT8), f8_acos, "dacos"),
    PR1("atan", O(FLOAT8), O(FLOAT8), f8_atan, "datan"),
    PR2("atan2", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_atan2, "datan2"),
    PR1("sind", O(FLOAT8), O(FLOAT8), f8_sind, "dsind"),
    PR1("cosd", O(FLOAT8), O(FLOAT8), f8_cosd, "dcosd"),
    PR1("tand", O(FLOAT8), O(FLOAT8), f8_tand, "dtand"),
    PR1("cotd", O(FLOAT8), O(FLOAT8), f8_cotd, "dcotd"),
    PR1("asind", O(FLOAT8), O(FLOAT8), f8_asind, "dasind"),
    PR1("acosd", O(FLOAT8), O(FLOAT8), f8_acosd, "dacosd"),
    PR1("atand", O(FLOAT8), O(FLOAT8), f8_atand, "datand"),
    PR2("atan2d", O(FLOAT8), O(FLOAT8), O(FLOAT8), f8_atan2d, "datan2d"),
    PR1("sinh", O(FLOAT8), O(FLOAT8), f8_sinh, "dsinh"),
    PR1("cosh", O(FLOAT8), O(FLOAT8), f8_cosh, "dcosh"),
    PR1("tanh", O(FLOAT8), O(FLOAT8), f8_tanh, "dtanh"),
    PR1("asinh", O(FLOAT8), O(FLOAT8), f8_asinh, "dasinh"),
    PR1("acosh", O(FLOAT8), O(FLOAT8), f8_acosh, "dacosh"),
    PR1("atanh", O(FLOAT8), O(FLOAT8), f8_atanh, "datanh"),
    PR2("to_char", O(NUMERIC), O(TEXT), O(TEXT), dh__num_to_char, "numeric_to_char"),
    PR2("to_char", O(INT4), O(TEXT), O(TEXT), dh__num_int_to_char, "int4_to_char"),
    PR2("to_char", O(INT8), O(TEXT), O(TEXT), dh__num_int_to_char, "int8_to_char"),
    PR2("to_char", O(FLOAT4), O(TEXT), O(TEXT), dh__num_float4_to_char, "float4_to_char"),
    PR2("to_char", O(FLOAT8), O(TEXT), O(TEXT), dh__num_float8_to_char, "float8_to_char"),
    PR2("to_number", O(TEXT), O(TEXT), O(NUMERIC), dh__num_to_number, "numeric_to_number"),
    PRN("width_bucket", 4, A4(O(FLOAT8), O(FLOAT8), O(FLOAT8), O(INT4)), O(INT4), f8_width_bucket,
	"width_bucket_float8"),
    PRN("width_bucket", 4, A4(O(NUMERIC), O(NUMERIC), O(NUMERIC), O(INT4)), O(INT4),
	dh__num_width_bucket, "width_bucket_numeric"),
    PR1("scale", O(NUMERIC), O(INT4), dh__num_scale, "numeric_scale"),
    PR1("min_scale", O(NUMERIC), O(INT4), dh__num_min_scale, "numeric_min_scale"),
    PR1("trim_scale", O(NUMERIC), O(NUMERIC), dh__num_trim_scale, "numeric_trim_scale"),
    PR1("factorial", O(INT8), O(NUMERIC), dh__num_factorial, "numeric_fac"),
    PR2("numeric_larger", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_larger, "numeric_larger"),
    PR2("numeric_smaller", O(NUMERIC), O(NUMERIC), O(NUMERIC), dh__num_smaller, "numeric_smaller"),
    PR2("textcat", O(TEXT), O(TEXT), O(TEXT), textcat, "textcat"),
    PR1("length", O(TEXT), O(INT4), text_length, "textlen"),
    PR1("length", O(BPCHAR), O(INT4), bpchar_length, "bpcharlen"),
    PR1("length", O(BYTEA), O(INT4), octet_length, "byteaoctetlen"),
    PR1("char_length", O(TEXT), O(INT4), text_length, "textlen"),
    PR1("char_length", O(BPCHAR), O(INT4), bpchar_length, "bpcharlen"),
    PR1("character_length", O(TEXT), O(INT4), text_length, "textlen"),
    PR1("character_length", O(BPCHAR), O(INT4), bpchar_length, "bpcharlen"),
    PR1("octet_length", O(TEXT), O(INT4), octet_length, "textoctetlen"),
    PR1("octet_length", O(BPCHAR), O(INT4), octet_length, "bpcharoctetlen"),
    PR1("octet_length", O(BYTEA), O(INT4), octet_length, "byteaoctetlen"),
    {.name = "pg_typeof", .nargs = 1, .args = {O(ANY)}, .result = O(REGTYPE), .fn = pg_typeof,
     .prosrc = "pg_typeof", .nonstrict = 1},
};
const size_t dh__sqlprocs_n = DH_ARRAY_SIZE(dh__sqlprocs);

#define CF(s, t, ctx, fn)                                                                          \
	{                                                                                          \
		s, t, ctx, DH_CAST_FUNCTION, fn                                                    \
	}
#define CB(s, t, ctx)                                                                              \
	{                                                                                          \
		s, t, ctx, DH_CAST_BINARY, NULL                                                    \
	}
#define CBF(s, t, ctx, fn)                                                                         \
	{                                                                                          \
		s, t, ctx, DH_CAST_BINARY, fn                                                      \
	}
#define IMP DH_CAST_IMPLICIT
#define ASG DH_CAST_ASSIGNMENT
#define EXP DH_CAST_EXPLICIT
#define REGCASTS(R)                                                                                \
	CF(O(INT8), R, IMP, int8_to_oid), CBF(O(INT4), R, IMP, int4_to_oid),                       \
	    CF(O(INT2), R, IMP, int4_to_oid), CB(O(OID), R, IMP), CF(R, O(INT8), ASG, same_long),  \
	    CBF(R, O(INT4), ASG, oid_to_int4), CB(R, O(OID), IMP)

const struct dh_sqlcast dh__sqlcasts[] = {
    CF(O(CHAR), O(BPCHAR), ASG, char_to_text),
    CF(O(CHAR), O(VARCHAR), ASG, char_to_text),
    CF(O(CHAR), O(INT4), EXP, char_to_int4),
    CF(O(CHAR), O(TEXT), IMP, char_to_text),
    CF(O(INT8), O(FLOAT8), IMP, int_to_f8),
    CF(O(INT8), O(INT4), ASG, to_int4),
    CF(O(INT8), O(NUMERIC), IMP, int_to_numeric),
    CF(O(INT8), O(OID), IMP, int8_to_oid),
    CF(O(INT8), O(FLOAT4), IMP, int_to_f4),
    CF(O(INT8), O(INT2), ASG, to_int2),
    CF(O(BOOL), O(BPCHAR), ASG, bool_to_text),
    CF(O(BOOL), O(VARCHAR), ASG, bool_to_text),
    CF(O(BOOL), O(INT4), EXP, bool_to_int4),
    CF(O(BOOL), O(TEXT), ASG, bool_to_text),
    CF(O(BPCHAR), O(CHAR), ASG, text_to_char),
    CF(O(BPCHAR), O(BPCHAR), IMP, numeric_same),
    CF(O(BPCHAR), O(VARCHAR), IMP, bpchar_to_text),
    CF(O(BPCHAR), O(NAME), IMP, bpchar_to_name),
    CF(O(BPCHAR), O(TEXT), IMP, bpchar_to_text),
    CF(O(VARCHAR), O(CHAR), ASG, text_to_char),
    CB(O(VARCHAR), O(BPCHAR), IMP),
    CF(O(VARCHAR), O(VARCHAR), IMP, numeric_same),
    CF(O(VARCHAR), O(NAME), IMP, text_to_name),
    CB(O(VARCHAR), O(TEXT), IMP),
    CF(O(FLOAT8), O(INT8), ASG, f_to_i8),
    CF(O(FLOAT8), O(INT4), ASG, f_to_i4),
    CF(O(FLOAT8), O(NUMERIC), ASG, f8_to_numeric),
    CF(O(FLOAT8), O(FLOAT4), ASG, f8_to_f4),
    CF(O(FLOAT8), O(INT2), ASG, f_to_i2),
    CF(O(INT4), O(CHAR), EXP, int4_to_char),
    CF(O(INT4), O(INT8), IMP, same_long),
    CF(O(INT4), O(BOOL), EXP, int4_to_bool),
    CF(O(INT4), O(FLOAT8), IMP, int_to_f8),
    CF(O(INT4), O(NUMERIC), IMP, int_to_numeric),
    CBF(O(INT4), O(OID), IMP, int4_to_oid),
    CF(O(INT4), O(FLOAT4), IMP, int_to_f4),
    CF(O(INT4), O(INT2), ASG, to_int2),
    CF(O(NAME), O(BPCHAR), ASG, char_to_text),
    CF(O(NAME), O(VARCHAR), ASG, char_to_text),
    CF(O(NAME), O(TEXT), IMP, char_to_text),
    CF(O(NUMERIC), O(INT8), ASG, numeric_to_i8),
    CF(O(NUMERIC), O(FLOAT8), IMP, numeric_to_f8),
    CF(O(NUMERIC), O(INT4), ASG, numeric_to_i4),
    CF(O(NUMERIC), O(NUMERIC), IMP, numeric_same),
    CF(O(NUMERIC), O(FLOAT4), IMP, numeric_to_f4),
    CF(O(NUMERIC), O(INT2), ASG, numeric_to_i2),
    CF(O(OID), O(INT8), ASG, same_long),
    CBF(O(OID), O(INT4), ASG, oid_to_int4),
    CF(O(FLOAT4), O(INT8), ASG, f_to_i8),
    CF(O(FLOAT4), O(FLOAT8), IMP, f4_to_f8),
    CF(O(FLOAT4), O(INT4), ASG, f_to_i4),
    CF(O(FLOAT4), O(NUMERIC), ASG, f4_to_numeric),
    CF(O(FLOAT4), O(INT2), ASG, f_to_i2),
    CF(O(INT2), O(INT8), IMP, same_long),
    CF(O(INT2), O(FLOAT8), IMP, int_to_f8),
    CF(O(INT2), O(INT4), IMP, same_long),
    CF(O(INT2), O(NUMERIC), IMP, int_to_numeric),
    CF(O(INT2), O(OID), IMP, int4_to_oid),
    CF(O(INT2), O(FLOAT4), IMP, int_to_f4),
    CF(O(TEXT), O(CHAR), ASG, text_to_char),
    CB(O(TEXT), O(BPCHAR), IMP),
    CB(O(TEXT), O(VARCHAR), IMP),
    CF(O(TEXT), O(NAME), IMP, text_to_name),
    REGCASTS(O(REGPROC)),
    REGCASTS(O(REGPROCEDURE)),
    REGCASTS(O(REGOPER)),
    REGCASTS(O(REGOPERATOR)),
    REGCASTS(O(REGCLASS)),
    REGCASTS(O(REGTYPE)),
    REGCASTS(O(REGCONFIG)),
    REGCASTS(O(REGNAMESPACE)),
    REGCASTS(O(REGROLE)),
    REGCASTS(O(REGCOLLATION)),
    CF(O(TEXT), O(REGCLASS), IMP, text_to_reg),
    CF(O(VARCHAR), O(REGCLASS), IMP, text_to_reg),
    CB(O(INT2VECTOR), O(INT2_ARRAY), IMP),
    CB(O(OIDVECTOR), O(OID_ARRAY), IMP),
    CB(O(REGPROC), O(REGPROCEDURE), IMP),
    CB(O(REGPROCEDURE), O(REGPROC), IMP),
    CB(O(REGOPER), O(REGOPERATOR), IMP),
    CB(O(REGOPERATOR), O(REGOPER), IMP),
};
const size_t dh__sqlcasts_n = DH_ARRAY_SIZE(dh__sqlcasts);
