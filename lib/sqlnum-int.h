/*
 * sqlnum-int: what the two files of PostgreSQL's numeric type share.
 * sqlnum.c holds the arithmetic on struct num (base-10000 digits, weight,
 * sign, display scale: PostgreSQL's NumericVar), sqlnum-fn.c the text and
 * binary forms, typmods, conversions and the SQL functions on BIGDEC values.
 * Temporaries of the arithmetic live in the scratch arena ta a function
 * gets; every function may be given the same struct num as argument and
 * result.
 */
#ifndef DH_SQLNUM_INT_H
#define DH_SQLNUM_INT_H

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

/* constructing and normalizing (strip: no leading or trailing zero digits) */
int dh__nv_is_special(const struct num *x);
void dh__nv_set_zero(struct num *x);
void dh__nv_set_special(struct num *x, int sign);
int32_t *dh__nv_dalloc(struct dh_arena *a, int n);
void dh__nv_from_int64(struct dh_arena *a, int64_t v, struct num *x);
void dh__nv_strip(struct num *x);
void dh__nv_from_dec(struct dh_arena *a, int neg, const unsigned char *dig, int nd, int dweight,
		     int dscale, struct num *x);
/* errors, BIGDEC values in and out (result checks PostgreSQL's storage
 * limits: weight in int16, scale up to 16383) */
int dh__nv_overflow_err(struct dh_err *err);
int dh__nv_result(const struct num *x0, struct dh_arena *out_a, struct dh_value *out,
		  struct dh_err *err);
int dh__nv_get(struct dh_arena *a, const struct dh_value *v, struct num *x, struct dh_err *err);
/* comparison: cmp on finite values, cmp_total with -Inf < finite < Inf < NaN */
int dh__nv_cmp_abs(const struct num *a, const struct num *b);
int dh__nv_cmp_num(const struct num *a, const struct num *b);
int dh__nv_cmp_total(const struct num *a, const struct num *b);
/* arithmetic; rscale is the result's display scale (decimal digits after
 * the point), rounding half away from zero; div rounds or truncates */
void dh__nv_add(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r);
void dh__nv_sub(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r);
void dh__nv_round(struct dh_arena *ta, struct num *x, int rscale);
void dh__nv_trunc(struct dh_arena *ta, struct num *x, int rscale);
void dh__nv_mul(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
		int rscale);
int dh__nv_divzero_err(struct dh_err *err);
int dh__nv_div(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
	       int rscale, int round, struct dh_err *err);
int dh__nv_select_div_scale(const struct num *a, const struct num *b);
int dh__nv_mod(struct dh_arena *ta, const struct num *a, const struct num *b, struct num *r,
	       struct dh_err *err);
void dh__nv_ceil(struct dh_arena *ta, const struct num *x, struct num *r);
void dh__nv_floor(struct dh_arena *ta, const struct num *x, struct num *r);
int dh__nv_sqrt(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
		struct dh_err *err);
double dh__nv_to_double(struct dh_arena *ta, const struct num *x);
int dh__nv_exp(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
	       struct dh_err *err);
int dh__nv_estimate_ln_dweight(struct dh_arena *ta, const struct num *x);
int dh__nv_ln(struct dh_arena *ta, const struct num *arg, struct num *r, int rscale,
	      struct dh_err *err);
int dh__nv_clamp_scale(int rscale);
int dh__nv_log(struct dh_arena *ta, const struct num *base, const struct num *num, struct num *r,
	       struct dh_err *err);
int dh__nv_is_integral(const struct num *x);
int dh__nv_to_int64(struct dh_arena *ta, const struct num *x0, int64_t *out);
int dh__nv_power(struct dh_arena *ta, const struct num *base, const struct num *ex, struct num *r,
		 struct dh_err *err);

#endif
