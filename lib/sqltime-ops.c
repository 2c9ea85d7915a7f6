/*
 * sqltime-ops: the date/time types in sqltype's catalog.  The type ops of
 * date, time, timestamp, timestamptz and interval (text and binary I/O,
 * btree order, hash, typmod coercion), and their rows of pg_operator,
 * pg_proc and pg_cast, each a thin adapter from sqltype's calling
 * convention (struct dh_value arguments, struct dh_sqlcall) to lib/sqltime.h.
 * sqltype-hooks.c lists what this file exports.
 *
 * The session's DateStyle, IntervalStyle and TimeZone come from
 * env->time; without one (a NULL env or env->time) PostgreSQL's defaults
 * apply: ISO, MDY, postgres, UTC.  Functions that need the transaction's
 * start (now(), current_date, age(x)) are the SQL layer's, not here.
 * timetz is sqltime-timetz.c's.
 */
#include <stdio.h>
#include <string.h>

#include "sqltime.h"
#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

#define T_DATE DH_SQLTIME_DATE
#define T_TIME DH_SQLTIME_TIME
#define T_TS DH_SQLTIME_TIMESTAMP
#define T_TSTZ DH_SQLTIME_TIMESTAMPTZ
#define T_IV DH_SQLTIME_INTERVAL

/* PostgreSQL's defaults, for calls without a session (no 'now': input of
 * 'now' and 'today' gets a fresh clock, see type_in) */
static const struct dh_sqltime_settings default_settings = {
    NULL, DH_DATESTYLE_ISO, DH_DATEORDER_MDY, DH_INTSTYLE_POSTGRES, 0, 0, NULL};

static const struct dh_sqltime_settings *
tset(const struct dh_sqlenv *env)
{
	return env && env->time ? env->time : &default_settings;
}

static enum dh_sqltime_type
kind_of(uint32_t oid)
{
	switch (oid) {
	case DH_OID_DATE:
		return T_DATE;
	case DH_OID_TIME:
		return T_TIME;
	case DH_OID_TIMESTAMP:
		return T_TS;
	case DH_OID_TIMESTAMPTZ:
		return T_TSTZ;
	default:
		return T_IV;
	}
}

static struct dh_value
v_date(int64_t d)
{
	struct dh_value v = {.type = DH_T_LONG};
	v.i = d;
	return v;
}

static struct dh_value
v_ts(int64_t ts)
{
	struct dh_value v = {.type = DH_T_INSTANT};
	v.i = ts;
	return v;
}

/* interval argument: always 16 bytes when it comes from here */
static struct dh_interval
iv_of(const struct dh_value *v)
{
	struct dh_interval iv = {0, 0, 0};
	dh_sqltime_interval_get(v, &iv);
	return iv;
}

static int
iv_result(struct dh_sqlcall *c, int rc, const struct dh_interval *iv, struct dh_value *out)
{
	if (rc == 0)
		dh_sqltime_interval_put(iv, c->arena, out);
	return rc;
}

/* a text argument as the NUL-terminated string sqltime's functions want */
static const char *
cstr(struct dh_sqlcall *c, const struct dh_value *v)
{
	return dh__sqlstr(c->arena, v->s.p, v->s.n);
}

/* --- typmods --- */

#define IM(b) (1 << (b))
enum { F_MONTH = 1, F_YEAR = 2, F_DAY = 3, F_HOUR = 10, F_MINUTE = 11, F_SECOND = 12 };
#define INTERVAL_FULL_RANGE 0x7FFF
#define INTERVAL_FULL_PRECISION 0xFFFF
#define USECS_PER_HOUR INT64_C(3600000000)
#define USECS_PER_MINUTE INT64_C(60000000)

/* PostgreSQL's AdjustIntervalForTypmod: drop the fields the range leaves
 * out, round the seconds to the precision */
static int
interval_typmod(struct dh_interval *iv, int32_t typmod, struct dh_err *err)
{
	int range = (typmod >> 16) & 0x7FFF, prec = typmod & 0xFFFF;
	if (typmod < 0)
		return 0;
	if (range == INTERVAL_FULL_RANGE) {
		/* nothing */
	} else if (range == IM(F_YEAR)) {
		iv->month = (iv->month / 12) * 12;
		iv->day = 0;
		iv->time = 0;
	} else if (range == IM(F_MONTH) || range == (IM(F_YEAR) | IM(F_MONTH))) {
		iv->day = 0;
		iv->time = 0;
	} else if (range == IM(F_DAY)) {
		iv->time = 0;
	} else if (range == IM(F_HOUR) || range == (IM(F_DAY) | IM(F_HOUR))) {
		iv->time = (iv->time / USECS_PER_HOUR) * USECS_PER_HOUR;
	} else if (range == IM(F_MINUTE) || range == (IM(F_DAY) | IM(F_HOUR) | IM(F_MINUTE)) ||
		   range == (IM(F_HOUR) | IM(F_MINUTE))) {
		iv->time = (iv->time / USECS_PER_MINUTE) * USECS_PER_MINUTE;
	} else if (range == IM(F_SECOND) ||
		   range == (IM(F_DAY) | IM(F_HOUR) | IM(F_MINUTE) | IM(F_SECOND)) ||
		   range == (IM(F_HOUR) | IM(F_MINUTE) | IM(F_SECOND)) ||
		   range == (IM(F_MINUTE) | IM(F_SECOND))) {
		/* the precision below */
	} else {
		return dh_err_sql(err, SQLSTATE_INTERNAL, "unrecognized interval typmod: %d",
				  (int)typmod);
	}
	if (prec != INTERVAL_FULL_PRECISION) {
		if (prec > 6)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "interval(%d) precision must be between %d and %d", prec,
					  0, 6);
		dh_sqltime_interval_round(iv, prec);
	}
	return 0;
}

static int
time_coerce(const struct dh_sqltype *t, const struct dh_value *v, int32_t typmod, int explicit_,
	    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc;
	(void)explicit_;
	*out = *v;
	if (typmod < 0)
		return 0;
	switch (kind_of(t->oid)) {
	case T_TIME:
		out->i = dh_sqltime_time_round(v->i, typmod > 6 ? 6 : typmod);
		return 0;
	case T_TS:
	case T_TSTZ:
		return dh_sqltime_timestamp_round(&out->i, typmod > 6 ? 6 : typmod, err);
	case T_IV: {
		struct dh_interval iv = iv_of(v);
		if ((rc = interval_typmod(&iv, typmod, err)))
			return rc;
		dh_sqltime_interval_put(&iv, a, out);
		return 0;
	}
	default:
		return 0;
	}
}

/* --- the type ops --- */

static int
type_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_sqltime_settings fresh;
	const struct dh_sqltime_settings *set = tset(env);
	enum dh_sqltime_type k = kind_of(t->oid);
	int rc;
	if (set == &default_settings) {
		/* 'now', 'today' read the clock when there is no session */
		dh_sqltime_settings_init(&fresh);
		set = &fresh;
	}
	switch (k) {
	case T_TIME:
		out->type = DH_T_LONG;
		return dh_sqltime_time_in(s, n, typmod, set, &out->i, err);
	case T_TS:
		out->type = DH_T_INSTANT;
		return dh_sqltime_timestamp_in(s, n, typmod, set, &out->i, err);
	case T_TSTZ:
		out->type = DH_T_INSTANT;
		return dh_sqltime_timestamptz_in(s, n, typmod, set, &out->i, err);
	case T_IV: {
		struct dh_interval iv;
		if ((rc = dh_sqltime_interval_in_typmod(s, n, typmod, set, &iv, err)) ||
		    (rc = interval_typmod(&iv, typmod, err)))
			return rc;
		dh_sqltime_interval_put(&iv, a, out);
		return 0;
	}
	default:
		return dh_sqltime_in(k, s, n, set, a, out, err);
	}
}

static int
type_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	return dh_sqltime_out(b, kind_of(t->oid), v, tset(env));
}

static int
type_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	(void)err;
	return dh_sqltime_send(b, kind_of(t->oid), v);
}

static int
type_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = dh_sqltime_recv(kind_of(t->oid), p, n, a, out, err);
	if (rc || typmod < 0)
		return rc;
	return time_coerce(t, out, typmod, 0, a, out, err);
}

static int
cmp64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
type_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	if (t->oid == DH_OID_INTERVAL) {
		struct dh_interval a = iv_of(x), b = iv_of(y);
		return dh_sqltime_interval_cmp(&a, &b);
	}
	return cmp64(x->i, y->i);
}

static uint64_t
type_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	if (t->oid == DH_OID_INTERVAL) {
		struct dh_interval iv = iv_of(v);
		return dh_sqltime_interval_hash(&iv);
	}
	return dh__hash_bytes(&v->i, sizeof(v->i), t->oid);
}

const struct dh_sqltype_ops dh__sqltime_type_ops = {
    type_in, type_out, type_send, type_recv, type_cmp, type_hash, time_coerce, NULL, NULL,
};

/* --- comparison operators --- */

static int
cmp_same(struct dh_sqlcall *c, argv_t a)
{
	(void)c;
	return cmp64(a[0].i, a[1].i);
}

static int
cmp_iv(struct dh_sqlcall *c, argv_t a)
{
	struct dh_interval x = iv_of(&a[0]), y = iv_of(&a[1]);
	(void)c;
	return dh_sqltime_interval_cmp(&x, &y);
}

#define XCMP(K, TA, TB)                                                                            \
	static int cmp_##K(struct dh_sqlcall *c, argv_t a)                                         \
	{                                                                                          \
		return dh_sqltime_cmp(TA, a[0].i, TB, a[1].i, tset(c->env));                       \
	}
XCMP(date_ts, T_DATE, T_TS)
XCMP(date_tstz, T_DATE, T_TSTZ)
XCMP(ts_date, T_TS, T_DATE)
XCMP(ts_tstz, T_TS, T_TSTZ)
XCMP(tstz_date, T_TSTZ, T_DATE)
XCMP(tstz_ts, T_TSTZ, T_TS)

#define CMP_FNS(K)                                                                                 \
	static int K##_eq(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(c, a) == 0);                                               \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_ne(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(c, a) != 0);                                               \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_lt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(c, a) < 0);                                                \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_le(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(c, a) <= 0);                                               \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_gt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(c, a) > 0);                                                \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_ge(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                      \
	{                                                                                          \
		*o = dh__v_bool(cmp_##K(c, a) >= 0);                                               \
		return 0;                                                                          \
	}                                                                                          \
	static int K##_cmp(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                     \
	{                                                                                          \
		*o = dh__v_long(cmp_##K(c, a));                                                    \
		return 0;                                                                          \
	}

CMP_FNS(same)
CMP_FNS(iv)
CMP_FNS(date_ts)
CMP_FNS(date_tstz)
CMP_FNS(ts_date)
CMP_FNS(ts_tstz)
CMP_FNS(tstz_date)
CMP_FNS(tstz_ts)

/* --- arithmetic --- */

static int
date_pli(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_date_pl_days(a[0].i, a[1].i, &o->i, c->err);
}

static int
int_pl_date(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_date_pl_days(a[1].i, a[0].i, &o->i, c->err);
}

static int
date_mii(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_date_mi_days(a[0].i, a[1].i, &o->i, c->err);
}

static int
date_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = dh__v_long(0);
	return dh_sqltime_date_mi_date(a[0].i, a[1].i, &o->i, c->err);
}

static int
datetime_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_pl_time(a[0].i, a[1].i, &o->i, c->err);
}

static int
timedate_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_pl_time(a[1].i, a[0].i, &o->i, c->err);
}

static int
date_pl_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	*o = v_ts(0);
	return dh_sqltime_date_pl_interval(a[0].i, &iv, &o->i, c->err);
}

static int
interval_pl_date(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[0]);
	*o = v_ts(0);
	return dh_sqltime_date_pl_interval(a[1].i, &iv, &o->i, c->err);
}

static int
date_mi_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	*o = v_ts(0);
	return dh_sqltime_date_mi_interval(a[0].i, &iv, &o->i, c->err);
}

static int
time_pl_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	(void)c;
	*o = v_date(dh_sqltime_time_pl_interval(a[0].i, &iv));
	return 0;
}

static int
interval_pl_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[0]);
	(void)c;
	*o = v_date(dh_sqltime_time_pl_interval(a[1].i, &iv));
	return 0;
}

static int
time_mi_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	(void)c;
	*o = v_date(dh_sqltime_time_mi_interval(a[0].i, &iv));
	return 0;
}

static int
time_mi_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv;
	dh_sqltime_time_mi_time(a[0].i, a[1].i, &iv);
	return iv_result(c, 0, &iv, o);
}

static int
ts_pl_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	*o = v_ts(0);
	return dh_sqltime_timestamp_pl_interval(a[0].i, &iv, &o->i, c->err);
}

static int
interval_pl_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[0]);
	*o = v_ts(0);
	return dh_sqltime_timestamp_pl_interval(a[1].i, &iv, &o->i, c->err);
}

static int
ts_mi_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	*o = v_ts(0);
	return dh_sqltime_timestamp_mi_interval(a[0].i, &iv, &o->i, c->err);
}

static int
tstz_pl_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	*o = v_ts(0);
	return dh_sqltime_timestamptz_pl_interval(a[0].i, &iv, tset(c->env), &o->i, c->err);
}

static int
interval_pl_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[0]);
	*o = v_ts(0);
	return dh_sqltime_timestamptz_pl_interval(a[1].i, &iv, tset(c->env), &o->i, c->err);
}

static int
tstz_mi_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv = iv_of(&a[1]);
	*o = v_ts(0);
	return dh_sqltime_timestamptz_mi_interval(a[0].i, &iv, tset(c->env), &o->i, c->err);
}

static int
ts_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval iv;
	return iv_result(c, dh_sqltime_timestamp_mi(a[0].i, a[1].i, &iv, c->err), &iv, o);
}

static int
interval_pl(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[0]), y = iv_of(&a[1]), r;
	return iv_result(c, dh_sqltime_interval_pl(&x, &y, &r, c->err), &r, o);
}

static int
interval_mi(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[0]), y = iv_of(&a[1]), r;
	return iv_result(c, dh_sqltime_interval_mi(&x, &y, &r, c->err), &r, o);
}

static int
interval_um(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[0]), r;
	return iv_result(c, dh_sqltime_interval_um(&x, &r, c->err), &r, o);
}

static int
interval_mul(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[0]), r;
	return iv_result(c, dh_sqltime_interval_mul(&x, a[1].d, &r, c->err), &r, o);
}

static int
mul_d_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[1]), r;
	return iv_result(c, dh_sqltime_interval_mul(&x, a[0].d, &r, c->err), &r, o);
}

static int
interval_div(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[0]), r;
	return iv_result(c, dh_sqltime_interval_div(&x, a[1].d, &r, c->err), &r, o);
}

/* date_larger and friends (the min/max aggregates' transition functions) */
static int
larger_same(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = cmp_same(c, a) >= 0 ? a[0] : a[1];
	return 0;
}

static int
smaller_same(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = cmp_same(c, a) <= 0 ? a[0] : a[1];
	return 0;
}

static int
larger_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = cmp_iv(c, a) > 0 ? a[0] : a[1];
	return 0;
}

static int
smaller_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = cmp_iv(c, a) < 0 ? a[0] : a[1];
	return 0;
}

/* --- functions --- */

static int
extract_k(struct dh_sqlcall *c, argv_t a, struct dh_value *o, enum dh_sqltime_type k, int numeric)
{
	struct dh_interval iv = {0, 0, 0};
	int64_t x = 0;
	int rc;
	if (k == T_IV)
		iv = iv_of(&a[1]);
	else
		x = a[1].i;
	if (!numeric)
		return dh_sqltime_date_part(cstr(c, &a[0]), k, x, &iv, tset(c->env), o, c->err);
	rc = dh_sqltime_extract(cstr(c, &a[0]), k, x, &iv, tset(c->env), c->arena, o, c->err);
	if (rc == 0 && o->type == DH_T_DOUBLE) {
		/* numeric +-Infinity */
		const char *s = o->d < 0 ? "-Infinity" : "Infinity";
		o->type = DH_T_BIGDEC;
		o->s.p = s;
		o->s.n = strlen(s);
	}
	return rc;
}

#define EXTRACT_FNS(K, T)                                                                          \
	static int extract_##K(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                 \
	{                                                                                          \
		return extract_k(c, a, o, T, 1);                                                   \
	}                                                                                          \
	static int part_##K(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                    \
	{                                                                                          \
		return extract_k(c, a, o, T, 0);                                                   \
	}
EXTRACT_FNS(date, T_DATE)
EXTRACT_FNS(time, T_TIME)
EXTRACT_FNS(ts, T_TS)
EXTRACT_FNS(tstz, T_TSTZ)
EXTRACT_FNS(iv, T_IV)

static int
trunc_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_trunc(cstr(c, &a[0]), T_TS, a[1].i, NULL, tset(c->env), &o->i,
				     c->err);
}

static int
trunc_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_trunc(cstr(c, &a[0]), T_TSTZ, a[1].i, NULL, tset(c->env), &o->i,
				     c->err);
}

static int
trunc_tstz_zone(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_trunc(cstr(c, &a[0]), T_TSTZ, a[1].i, cstr(c, &a[2]), tset(c->env),
				     &o->i, c->err);
}

static int
trunc_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[1]), r;
	return iv_result(c, dh_sqltime_date_trunc_interval(cstr(c, &a[0]), &x, &r, c->err), &r, o);
}

static int
age_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval r;
	return iv_result(c, dh_sqltime_age(T_TS, a[0].i, a[1].i, tset(c->env), &r, c->err), &r, o);
}

static int
age_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval r;
	return iv_result(c, dh_sqltime_age(T_TSTZ, a[0].i, a[1].i, tset(c->env), &r, c->err), &r,
			 o);
}

#define JUSTIFY(K)                                                                                 \
	static int K(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                           \
	{                                                                                          \
		struct dh_interval x = iv_of(&a[0]), r;                                            \
		return iv_result(c, dh_sqltime_##K(&x, &r, c->err), &r, o);                        \
	}
JUSTIFY(justify_days)
JUSTIFY(justify_hours)
JUSTIFY(justify_interval)

static int
isfinite_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	*o = dh__v_bool(dh_sqltime_isfinite(a[0].i));
	return 0;
}

static int
isfinite_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	(void)a;
	*o = dh__v_bool(1);
	return 0;
}

static int
make_date(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_make_date(a[0].i, a[1].i, a[2].i, &o->i, c->err);
}

static int
make_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_make_time(a[0].i, a[1].i, a[2].d, &o->i, c->err);
}

static int
make_timestamp(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_make_timestamp(a[0].i, a[1].i, a[2].i, a[3].i, a[4].i, a[5].d, &o->i,
					 c->err);
}

static int
make_timestamptz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_make_timestamptz(a[0].i, a[1].i, a[2].i, a[3].i, a[4].i, a[5].d, NULL,
					   tset(c->env), &o->i, c->err);
}

static int
make_timestamptz_at(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_make_timestamptz(a[0].i, a[1].i, a[2].i, a[3].i, a[4].i, a[5].d,
					   cstr(c, &a[6]), tset(c->env), &o->i, c->err);
}

/* make_interval(years, months, weeks, days, hours, mins, secs), each
 * defaulting to 0 */
static int
make_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval r;
	int64_t f[6] = {0, 0, 0, 0, 0, 0};
	double secs = c->nargs > 6 ? a[6].d : 0;
	for (int i = 0; i < 6 && i < c->nargs; i++)
		f[i] = a[i].i;
	return iv_result(
	    c, dh_sqltime_make_interval(f[0], f[1], f[2], f[3], f[4], f[5], secs, &r, c->err), &r,
	    o);
}

/* timezone(zone, x): x AT TIME ZONE zone */
static int
tz_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_at_zone(cstr(c, &a[0]), T_TS, a[1].i, tset(c->env), &o->i, c->err);
}

static int
tz_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_at_zone(cstr(c, &a[0]), T_TSTZ, a[1].i, tset(c->env), &o->i, c->err);
}

static int
itz_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval z = iv_of(&a[0]);
	*o = v_ts(0);
	return dh_sqltime_at_izone(&z, T_TS, a[1].i, tset(c->env), &o->i, c->err);
}

static int
itz_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval z = iv_of(&a[0]);
	*o = v_ts(0);
	return dh_sqltime_at_izone(&z, T_TSTZ, a[1].i, tset(c->env), &o->i, c->err);
}

static int
date_bin(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval s = iv_of(&a[0]);
	*o = v_ts(0);
	return dh_sqltime_date_bin(&s, a[1].i, a[2].i, &o->i, c->err);
}

static int
to_timestamp_f(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_to_timestamp_float(a[0].d, &o->i, c->err);
}

static int
to_timestamp_fmt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_to_timestamp(a[0].s.p, a[0].s.n, a[1].s.p, a[1].s.n, tset(c->env), &o->i,
				       c->err);
}

static int
to_date_fmt(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_to_date(a[0].s.p, a[0].s.n, a[1].s.p, a[1].s.n, tset(c->env), &o->i,
				  c->err);
}

static int
to_char_k(struct dh_sqlcall *c, argv_t a, struct dh_value *o, enum dh_sqltime_type k)
{
	struct dh_interval iv = {0, 0, 0};
	struct dh_buf b;
	int isnull = 0, rc;
	if (k == T_IV)
		iv = iv_of(&a[0]);
	dh_buf_init(&b, 0);
	rc = dh_sqltime_to_char(&b, k, k == T_IV ? 0 : a[0].i, &iv, a[1].s.p, a[1].s.n,
				tset(c->env), &isnull, c->err);
	if (rc == 0) {
		if (isnull)
			*o = (struct dh_value){.type = DH_T_NONE};
		else
			*o = dh__v_string(dh_arena_strndup(c->arena, (const char *)b.p, b.len),
					  b.len);
	}
	dh_buf_release(&b);
	return rc;
}

static int
to_char_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_char_k(c, a, o, T_TS);
}

static int
to_char_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_char_k(c, a, o, T_TSTZ);
}

static int
to_char_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_char_k(c, a, o, T_IV);
}

/* --- casts --- */

static int
same(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	*o = a[0];
	return 0;
}

static int
date_to_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_to_timestamp(a[0].i, &o->i, c->err);
}

static int
date_to_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_date_to_timestamptz(a[0].i, tset(c->env), &o->i, c->err);
}

static int
ts_to_date(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_timestamp_to_date(a[0].i, &o->i, c->err);
}

static int
tstz_to_date(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_date(0);
	return dh_sqltime_timestamptz_to_date(a[0].i, tset(c->env), &o->i, c->err);
}

static int
ts_to_tstz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_timestamp_to_timestamptz(a[0].i, tset(c->env), &o->i, c->err);
}

static int
tstz_to_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	*o = v_ts(0);
	return dh_sqltime_timestamptz_to_timestamp(a[0].i, tset(c->env), &o->i, c->err);
}

static int
ts_to_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int isnull = 0;
	(void)c;
	*o = v_date(0);
	dh_sqltime_timestamp_to_time(a[0].i, &o->i, &isnull);
	if (isnull)
		*o = (struct dh_value){.type = DH_T_NONE};
	return 0;
}

static int
tstz_to_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int isnull = 0, rc;
	*o = v_date(0);
	rc = dh_sqltime_timestamptz_to_time(a[0].i, tset(c->env), &o->i, &isnull, c->err);
	if (rc == 0 && isnull)
		*o = (struct dh_value){.type = DH_T_NONE};
	return rc;
}

static int
time_to_interval(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval r;
	dh_sqltime_time_to_interval(a[0].i, &r);
	return iv_result(c, 0, &r, o);
}

static int
interval_to_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_interval x = iv_of(&a[0]);
	(void)c;
	*o = v_date(dh_sqltime_interval_to_time(&x));
	return 0;
}

/* --- the tables --- */

#define OP(n, l, r, res, f_, pro)                                                                  \
	{                                                                                          \
		.name = n, .left = l, .right = r, .result = res, .fn = f_, .proname = pro          \
	}
#define CMPOPS(L, R, K, P)                                                                         \
	OP("=", L, R, O(BOOL), K##_eq, P "_eq"), OP("<>", L, R, O(BOOL), K##_ne, P "_ne"),         \
	    OP("<", L, R, O(BOOL), K##_lt, P "_lt"), OP("<=", L, R, O(BOOL), K##_le, P "_le"),     \
	    OP(">", L, R, O(BOOL), K##_gt, P "_gt"), OP(">=", L, R, O(BOOL), K##_ge, P "_ge")
/* cross-type names put the operation in the middle: date_lt_timestamp */
#define XCMPOPS(L, R, K, P1, P2)                                                                   \
	OP("=", L, R, O(BOOL), K##_eq, P1 "_eq_" P2),                                              \
	    OP("<>", L, R, O(BOOL), K##_ne, P1 "_ne_" P2),                                         \
	    OP("<", L, R, O(BOOL), K##_lt, P1 "_lt_" P2),                                          \
	    OP("<=", L, R, O(BOOL), K##_le, P1 "_le_" P2),                                         \
	    OP(">", L, R, O(BOOL), K##_gt, P1 "_gt_" P2),                                          \
	    OP(">=", L, R, O(BOOL), K##_ge, P1 "_ge_" P2)

const struct dh_sqlop dh__sqltime_ops[] = {
    CMPOPS(O(DATE), O(DATE), same, "date"),
    CMPOPS(O(TIME), O(TIME), same, "time"),
    CMPOPS(O(TIMESTAMP), O(TIMESTAMP), same, "timestamp"),
    CMPOPS(O(TIMESTAMPTZ), O(TIMESTAMPTZ), same, "timestamptz"),
    CMPOPS(O(INTERVAL), O(INTERVAL), iv, "interval"),
    XCMPOPS(O(DATE), O(TIMESTAMP), date_ts, "date", "timestamp"),
    XCMPOPS(O(DATE), O(TIMESTAMPTZ), date_tstz, "date", "timestamptz"),
    XCMPOPS(O(TIMESTAMP), O(DATE), ts_date, "timestamp", "date"),
    XCMPOPS(O(TIMESTAMP), O(TIMESTAMPTZ), ts_tstz, "timestamp", "timestamptz"),
    XCMPOPS(O(TIMESTAMPTZ), O(DATE), tstz_date, "timestamptz", "date"),
    XCMPOPS(O(TIMESTAMPTZ), O(TIMESTAMP), tstz_ts, "timestamptz", "timestamp"),
    OP("+", O(DATE), O(INT4), O(DATE), date_pli, "date_pli"),
    OP("+", O(INT4), O(DATE), O(DATE), int_pl_date, "integer_pl_date"),
    OP("-", O(DATE), O(INT4), O(DATE), date_mii, "date_mii"),
    OP("-", O(DATE), O(DATE), O(INT4), date_mi, "date_mi"),
    OP("+", O(DATE), O(TIME), O(TIMESTAMP), datetime_pl, "datetime_pl"),
    OP("+", O(TIME), O(DATE), O(TIMESTAMP), timedate_pl, "timedate_pl"),
    OP("+", O(DATE), O(INTERVAL), O(TIMESTAMP), date_pl_interval, "date_pl_interval"),
    OP("+", O(INTERVAL), O(DATE), O(TIMESTAMP), interval_pl_date, "interval_pl_date"),
    OP("-", O(DATE), O(INTERVAL), O(TIMESTAMP), date_mi_interval, "date_mi_interval"),
    OP("+", O(TIME), O(INTERVAL), O(TIME), time_pl_interval, "time_pl_interval"),
    OP("+", O(INTERVAL), O(TIME), O(TIME), interval_pl_time, "interval_pl_time"),
    OP("-", O(TIME), O(INTERVAL), O(TIME), time_mi_interval, "time_mi_interval"),
    OP("-", O(TIME), O(TIME), O(INTERVAL), time_mi_time, "time_mi_time"),
    OP("+", O(TIMESTAMP), O(INTERVAL), O(TIMESTAMP), ts_pl_interval, "timestamp_pl_interval"),
    OP("+", O(INTERVAL), O(TIMESTAMP), O(TIMESTAMP), interval_pl_ts, "interval_pl_timestamp"),
    OP("-", O(TIMESTAMP), O(INTERVAL), O(TIMESTAMP), ts_mi_interval, "timestamp_mi_interval"),
    OP("-", O(TIMESTAMP), O(TIMESTAMP), O(INTERVAL), ts_mi, "timestamp_mi"),
    OP("+", O(TIMESTAMPTZ), O(INTERVAL), O(TIMESTAMPTZ), tstz_pl_interval,
       "timestamptz_pl_interval"),
    OP("+", O(INTERVAL), O(TIMESTAMPTZ), O(TIMESTAMPTZ), interval_pl_tstz,
       "interval_pl_timestamptz"),
    OP("-", O(TIMESTAMPTZ), O(INTERVAL), O(TIMESTAMPTZ), tstz_mi_interval,
       "timestamptz_mi_interval"),
    OP("-", O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(INTERVAL), ts_mi, "timestamptz_mi"),
    OP("+", O(INTERVAL), O(INTERVAL), O(INTERVAL), interval_pl, "interval_pl"),
    OP("-", O(INTERVAL), O(INTERVAL), O(INTERVAL), interval_mi, "interval_mi"),
    OP("-", 0, O(INTERVAL), O(INTERVAL), interval_um, "interval_um"),
    OP("*", O(INTERVAL), O(FLOAT8), O(INTERVAL), interval_mul, "interval_mul"),
    OP("*", O(FLOAT8), O(INTERVAL), O(INTERVAL), mul_d_interval, "mul_d_interval"),
    OP("/", O(INTERVAL), O(FLOAT8), O(INTERVAL), interval_div, "interval_div"),
};
const size_t dh__sqltime_ops_n = DH_ARRAY_SIZE(dh__sqltime_ops);

/* (s1, e1) OVERLAPS (s2, e2): timestamp_overlaps' rules, NULL ends
 * included; the four points are instants or times (int64, one order) */
static int
overlaps_points(const struct dh_value *p, struct dh_value *o)
{
	int64_t s1 = p[0].i, e1 = p[1].i, s2 = p[2].i, e2 = p[3].i, t;
	int e1null = p[1].type == DH_T_NONE, e2null = p[3].type == DH_T_NONE;
	o->type = DH_T_NONE;
	if (p[0].type == DH_T_NONE) {
		if (e1null)
			return 0;
		s1 = e1;
		e1null = 1;
	} else if (!e1null && s1 > e1) {
		t = s1, s1 = e1, e1 = t;
	}
	if (p[2].type == DH_T_NONE) {
		if (e2null)
			return 0;
		s2 = e2;
		e2null = 1;
	} else if (!e2null && s2 > e2) {
		t = s2, s2 = e2, e2 = t;
	}
	if (s1 > s2) {
		if (e2null)
			return 0;
		if (s1 < e2)
			return *o = dh__v_bool(1), 0;
		if (e1null)
			return 0;
		return *o = dh__v_bool(0), 0;
	}
	if (s1 < s2) {
		if (e1null)
			return 0;
		if (s2 < e1)
			return *o = dh__v_bool(1), 0;
		if (e2null)
			return 0;
		return *o = dh__v_bool(0), 0;
	}
	if (e1null || e2null)
		return 0;
	return *o = dh__v_bool(1), 0;
}

/* the overlaps whose second or fourth argument is an interval (PostgreSQL's
 * SQL functions: ($1, $1 + $2) overlaps ($3, $3 + $4)); add: point +
 * interval, NULL for a point argument */
static int
overlaps_with(struct dh_sqlcall *c, argv_t a, struct dh_value *o, dh_sqlfn add2, dh_sqlfn add4)
{
	struct dh_value p[4] = {a[0], a[1], a[2], a[3]};
	int rc;
	if (add2 && a[0].type != DH_T_NONE && a[1].type != DH_T_NONE &&
	    (rc = add2(c, &a[0], &p[1])))
		return rc;
	else if (add2 && (a[0].type == DH_T_NONE || a[1].type == DH_T_NONE))
		p[1].type = DH_T_NONE;
	if (add4 && a[2].type != DH_T_NONE && a[3].type != DH_T_NONE &&
	    (rc = add4(c, &a[2], &p[3])))
		return rc;
	else if (add4 && (a[2].type == DH_T_NONE || a[3].type == DH_T_NONE))
		p[3].type = DH_T_NONE;
	return overlaps_points(p, o);
}

static int
overlaps(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, NULL, NULL);
}

static int
overlaps_ts_iv_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, ts_pl_interval, ts_pl_interval);
}

static int
overlaps_ts_iv_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, ts_pl_interval, NULL);
}

static int
overlaps_ts_ts_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, NULL, ts_pl_interval);
}

static int
overlaps_tstz_iv_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, tstz_pl_interval, tstz_pl_interval);
}

static int
overlaps_tstz_iv_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, tstz_pl_interval, NULL);
}

static int
overlaps_tstz_ts_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, NULL, tstz_pl_interval);
}

static int
overlaps_time_iv_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, time_pl_interval, time_pl_interval);
}

static int
overlaps_time_iv_ts(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, time_pl_interval, NULL);
}

static int
overlaps_time_ts_iv(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return overlaps_with(c, a, o, NULL, time_pl_interval);
}

#define PR1(n, a1, res, f_, src)                                                                   \
	{                                                                                          \
		.name = n, .nargs = 1, .args = {a1}, .result = res, .fn = f_, .prosrc = src        \
	}
#define PR2(n, a1, a2, res, f_, src)                                                               \
	{                                                                                          \
		.name = n, .nargs = 2, .args = {a1, a2}, .result = res, .fn = f_, .prosrc = src    \
	}
#define PR3(n, a1, a2, a3, res, f_, src)                                                           \
	{                                                                                          \
		.name = n, .nargs = 3, .args = {a1, a2, a3}, .result = res, .fn = f_,              \
		.prosrc = src                                                                      \
	}
#define PRN(n, na, a, res, f_, src, ndef)                                                          \
	{                                                                                          \
		.name = n, .nargs = na, .args = a, .result = res, .fn = f_, .prosrc = src,         \
		.ndefaults = ndef                                                                  \
	}
#define PRNAMED(n, na, a, res, f_, src, ndef, names)                                               \
	{                                                                                          \
		.name = n, .nargs = na, .args = a, .result = res, .fn = f_, .prosrc = src,         \
		.ndefaults = ndef, .argnames = names                                               \
	}
#define A3(a, b, c)                                                                                \
	{                                                                                          \
		a, b, c                                                                            \
	}
#define A6(a, b, c, d, e, f)                                                                       \
	{                                                                                          \
		a, b, c, d, e, f                                                                   \
	}
#define A7(a, b, c, d, e, f, g)                                                                    \
	{                                                                                          \
		a, b, c, d, e, f, g                                                                \
	}
#define I4 O(INT4)
#define F8 O(FLOAT8)

const struct dh_sqlproc dh__sqltime_procs[] = {
    PR2("date_part", O(TEXT), O(DATE), F8, part_date, "select date_part($1, $2::timestamp)"),
    PR2("date_part", O(TEXT), O(TIME), F8, part_time, "time_part"),
    PR2("date_part", O(TEXT), O(TIMESTAMP), F8, part_ts, "timestamp_part"),
    PR2("date_part", O(TEXT), O(TIMESTAMPTZ), F8, part_tstz, "timestamptz_part"),
    PR2("date_part", O(TEXT), O(INTERVAL), F8, part_iv, "interval_part"),
    PR2("extract", O(TEXT), O(DATE), O(NUMERIC), extract_date, "extract_date"),
    PR2("extract", O(TEXT), O(TIME), O(NUMERIC), extract_time, "extract_time"),
    PR2("extract", O(TEXT), O(TIMESTAMP), O(NUMERIC), extract_ts, "extract_timestamp"),
    PR2("extract", O(TEXT), O(TIMESTAMPTZ), O(NUMERIC), extract_tstz, "extract_timestamptz"),
    PR2("extract", O(TEXT), O(INTERVAL), O(NUMERIC), extract_iv, "extract_interval"),
    PR2("date_trunc", O(TEXT), O(TIMESTAMP), O(TIMESTAMP), trunc_ts, "timestamp_trunc"),
    PR2("date_trunc", O(TEXT), O(TIMESTAMPTZ), O(TIMESTAMPTZ), trunc_tstz, "timestamptz_trunc"),
    PR3("date_trunc", O(TEXT), O(TIMESTAMPTZ), O(TEXT), O(TIMESTAMPTZ), trunc_tstz_zone,
	"timestamptz_trunc_zone"),
    PR2("date_trunc", O(TEXT), O(INTERVAL), O(INTERVAL), trunc_iv, "interval_trunc"),
    PR2("age", O(TIMESTAMP), O(TIMESTAMP), O(INTERVAL), age_ts, "timestamp_age"),
    PR2("age", O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(INTERVAL), age_tstz, "timestamptz_age"),
    PR1("justify_days", O(INTERVAL), O(INTERVAL), justify_days, "interval_justify_days"),
    PR1("justify_hours", O(INTERVAL), O(INTERVAL), justify_hours, "interval_justify_hours"),
    PR1("justify_interval", O(INTERVAL), O(INTERVAL), justify_interval,
	"interval_justify_interval"),
    PR1("isfinite", O(DATE), O(BOOL), isfinite_ts, "date_finite"),
    PR1("isfinite", O(TIMESTAMP), O(BOOL), isfinite_ts, "timestamp_finite"),
    PR1("isfinite", O(TIMESTAMPTZ), O(BOOL), isfinite_ts, "timestamp_finite"),
    PR1("isfinite", O(INTERVAL), O(BOOL), isfinite_iv, "interval_finite"),
    PRNAMED("make_date", 3, A3(I4, I4, I4), O(DATE), make_date, "make_date", 0,
	    "year month day"),
    PRNAMED("make_time", 3, A3(I4, I4, F8), O(TIME), make_time, "make_time", 0, "hour min sec"),
    PRNAMED("make_timestamp", 6, A6(I4, I4, I4, I4, I4, F8), O(TIMESTAMP), make_timestamp,
	    "make_timestamp", 0, "year month mday hour min sec"),
    PRNAMED("make_timestamptz", 6, A6(I4, I4, I4, I4, I4, F8), O(TIMESTAMPTZ), make_timestamptz,
	    "make_timestamptz", 0, "year month mday hour min sec"),
    PRNAMED("make_timestamptz", 7, A7(I4, I4, I4, I4, I4, F8, O(TEXT)), O(TIMESTAMPTZ),
	    make_timestamptz_at, "make_timestamptz_at_timezone", 0,
	    "year month mday hour min sec timezone"),
    /* every argument has a default: 0 */
    PRNAMED("make_interval", 7, A7(I4, I4, I4, I4, I4, I4, F8), O(INTERVAL), make_interval,
	    "make_interval", 7, "years=0 months=0 weeks=0 days=0 hours=0 mins=0 secs=0.0"),
    PR2("timezone", O(TEXT), O(TIMESTAMP), O(TIMESTAMPTZ), tz_ts, "timestamp_zone"),
    PR2("timezone", O(TEXT), O(TIMESTAMPTZ), O(TIMESTAMP), tz_tstz, "timestamptz_zone"),
    PR2("timezone", O(INTERVAL), O(TIMESTAMP), O(TIMESTAMPTZ), itz_ts, "timestamp_izone"),
    PR2("timezone", O(INTERVAL), O(TIMESTAMPTZ), O(TIMESTAMP), itz_tstz, "timestamptz_izone"),
    PR3("date_bin", O(INTERVAL), O(TIMESTAMP), O(TIMESTAMP), O(TIMESTAMP), date_bin,
	"timestamp_bin"),
    PR3("date_bin", O(INTERVAL), O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(TIMESTAMPTZ), date_bin,
	"timestamptz_bin"),
    PR1("to_timestamp", F8, O(TIMESTAMPTZ), to_timestamp_f, "float8_timestamptz"),
    PR2("to_timestamp", O(TEXT), O(TEXT), O(TIMESTAMPTZ), to_timestamp_fmt, "to_timestamp"),
    PR2("to_date", O(TEXT), O(TEXT), O(DATE), to_date_fmt, "to_date"),
    PR2("to_char", O(TIMESTAMP), O(TEXT), O(TEXT), to_char_ts, "timestamp_to_char"),
    PR2("to_char", O(TIMESTAMPTZ), O(TEXT), O(TEXT), to_char_tstz, "timestamptz_to_char"),
    PR2("to_char", O(INTERVAL), O(TEXT), O(TEXT), to_char_iv, "interval_to_char"),
#define OVL(t1, t2, t3, t4, f_, src)                                                                \
	{                                                                                          \
		.name = "overlaps", .nargs = 4, .args = {t1, t2, t3, t4}, .result = O(BOOL),       \
		.fn = f_, .prosrc = src, .nonstrict = 1                                            \
	}
    OVL(O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(TIMESTAMPTZ), overlaps, "overlaps_timestamp"),
    OVL(O(TIMESTAMPTZ), O(INTERVAL), O(TIMESTAMPTZ), O(INTERVAL), overlaps_tstz_iv_iv, "sql"),
    OVL(O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(INTERVAL), overlaps_tstz_ts_iv, "sql"),
    OVL(O(TIMESTAMPTZ), O(INTERVAL), O(TIMESTAMPTZ), O(TIMESTAMPTZ), overlaps_tstz_iv_ts, "sql"),
    OVL(O(TIMESTAMP), O(TIMESTAMP), O(TIMESTAMP), O(TIMESTAMP), overlaps, "overlaps_timestamp"),
    OVL(O(TIMESTAMP), O(INTERVAL), O(TIMESTAMP), O(INTERVAL), overlaps_ts_iv_iv, "sql"),
    OVL(O(TIMESTAMP), O(TIMESTAMP), O(TIMESTAMP), O(INTERVAL), overlaps_ts_ts_iv, "sql"),
    OVL(O(TIMESTAMP), O(INTERVAL), O(TIMESTAMP), O(TIMESTAMP), overlaps_ts_iv_ts, "sql"),
    OVL(O(TIME), O(TIME), O(TIME), O(TIME), overlaps, "overlaps_time"),
    OVL(O(TIME), O(INTERVAL), O(TIME), O(INTERVAL), overlaps_time_iv_iv, "sql"),
    OVL(O(TIME), O(TIME), O(TIME), O(INTERVAL), overlaps_time_ts_iv, "sql"),
    OVL(O(TIME), O(INTERVAL), O(TIME), O(TIME), overlaps_time_iv_ts, "sql"),
    PR2("date_cmp", O(DATE), O(DATE), I4, same_cmp, "date_cmp"),
    PR2("time_cmp", O(TIME), O(TIME), I4, same_cmp, "time_cmp"),
    PR2("timestamp_cmp", O(TIMESTAMP), O(TIMESTAMP), I4, same_cmp, "timestamp_cmp"),
    PR2("timestamptz_cmp", O(TIMESTAMPTZ), O(TIMESTAMPTZ), I4, same_cmp, "timestamp_cmp"),
    PR2("interval_cmp", O(INTERVAL), O(INTERVAL), I4, iv_cmp, "interval_cmp"),
    PR2("date_cmp_timestamp", O(DATE), O(TIMESTAMP), I4, date_ts_cmp, "date_cmp_timestamp"),
    PR2("date_cmp_timestamptz", O(DATE), O(TIMESTAMPTZ), I4, date_tstz_cmp, "date_cmp_timestamptz"),
    PR2("timestamp_cmp_date", O(TIMESTAMP), O(DATE), I4, ts_date_cmp, "timestamp_cmp_date"),
    PR2("timestamp_cmp_timestamptz", O(TIMESTAMP), O(TIMESTAMPTZ), I4, ts_tstz_cmp,
	"timestamp_cmp_timestamptz"),
    PR2("timestamptz_cmp_date", O(TIMESTAMPTZ), O(DATE), I4, tstz_date_cmp, "timestamptz_cmp_date"),
    PR2("timestamptz_cmp_timestamp", O(TIMESTAMPTZ), O(TIMESTAMP), I4, tstz_ts_cmp,
	"timestamptz_cmp_timestamp"),
    PR2("date_larger", O(DATE), O(DATE), O(DATE), larger_same, "date_larger"),
    PR2("date_smaller", O(DATE), O(DATE), O(DATE), smaller_same, "date_smaller"),
    PR2("time_larger", O(TIME), O(TIME), O(TIME), larger_same, "time_larger"),
    PR2("time_smaller", O(TIME), O(TIME), O(TIME), smaller_same, "time_smaller"),
    PR2("timestamp_larger", O(TIMESTAMP), O(TIMESTAMP), O(TIMESTAMP), larger_same,
	"timestamp_larger"),
    PR2("timestamp_smaller", O(TIMESTAMP), O(TIMESTAMP), O(TIMESTAMP), smaller_same,
	"timestamp_smaller"),
    PR2("timestamptz_larger", O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(TIMESTAMPTZ), larger_same,
	"timestamp_larger"),
    PR2("timestamptz_smaller", O(TIMESTAMPTZ), O(TIMESTAMPTZ), O(TIMESTAMPTZ), smaller_same,
	"timestamp_smaller"),
    PR2("interval_larger", O(INTERVAL), O(INTERVAL), O(INTERVAL), larger_iv, "interval_larger"),
    PR2("interval_smaller", O(INTERVAL), O(INTERVAL), O(INTERVAL), smaller_iv, "interval_smaller"),
};
const size_t dh__sqltime_procs_n = DH_ARRAY_SIZE(dh__sqltime_procs);

#define CF(s, t, ctx, fn)                                                                          \
	{                                                                                          \
		s, t, ctx, DH_CAST_FUNCTION, fn                                                    \
	}
#define IMP DH_CAST_IMPLICIT
#define ASG DH_CAST_ASSIGNMENT

const struct dh_sqlcast dh__sqltime_casts[] = {
    CF(O(DATE), O(TIMESTAMP), IMP, date_to_ts),
    CF(O(DATE), O(TIMESTAMPTZ), IMP, date_to_tstz),
    CF(O(TIME), O(TIME), IMP, same),
    CF(O(TIME), O(INTERVAL), IMP, time_to_interval),
    CF(O(TIMESTAMP), O(DATE), ASG, ts_to_date),
    CF(O(TIMESTAMP), O(TIME), ASG, ts_to_time),
    CF(O(TIMESTAMP), O(TIMESTAMP), IMP, same),
    CF(O(TIMESTAMP), O(TIMESTAMPTZ), IMP, ts_to_tstz),
    CF(O(TIMESTAMPTZ), O(DATE), ASG, tstz_to_date),
    CF(O(TIMESTAMPTZ), O(TIME), ASG, tstz_to_time),
    CF(O(TIMESTAMPTZ), O(TIMESTAMP), ASG, tstz_to_ts),
    CF(O(TIMESTAMPTZ), O(TIMESTAMPTZ), IMP, same),
    CF(O(INTERVAL), O(TIME), ASG, interval_to_time),
    CF(O(INTERVAL), O(INTERVAL), IMP, same),
};
const size_t dh__sqltime_casts_n = DH_ARRAY_SIZE(dh__sqltime_casts);
