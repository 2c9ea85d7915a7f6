/*
 * sqltime-timetz: time with time zone in sqltype's catalog (sqltype-hooks.c
 * lists what this file exports): its type ops, comparison operators and
 * casts (time and timestamptz to timetz, timetz to time), as
 * PostgreSQL 15's date.c has them.  A value is BYTES of 12: the time of
 * day in microseconds (int64) and the zone in seconds west of UTC
 * (int32), host order (dh_sqltype_timetz_put, get); a column stores the
 * same bytes (equal values have equal bytes; order comes from the type's
 * cmp, not the bytes').  The session's settings come
 * from env->time as in sqltime-ops.c.
 */
#include <string.h>

#include "sqltime.h"
#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

#define USECS_PER_DAY INT64_C(86400000000)

void
dh_sqltype_timetz_put(int64_t t, int zone, struct dh_arena *a, struct dh_value *out)
{
	char *p = dh_arena_alloc(a, 12);
	int32_t z = zone;
	memcpy(p, &t, 8);
	memcpy(p + 8, &z, 4);
	out->type = DH_T_BYTES;
	out->s.p = p;
	out->s.n = 12;
}

static void
get(const struct dh_value *v, int64_t *t, int *zone)
{
	int32_t z = 0;
	*t = 0;
	if (v->type == DH_T_BYTES && v->s.n == 12) {
		memcpy(t, v->s.p, 8);
		memcpy(&z, v->s.p + 8, 4);
	}
	*zone = z;
}

static const struct dh_sqltime_settings *
tset(const struct dh_sqlenv *env, struct dh_sqltime_settings *fresh)
{
	if (env && env->time)
		return env->time;
	dh_sqltime_settings_init(fresh);
	return fresh;
}

static int
timetz_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	  const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_sqltime_settings fresh;
	int64_t tm;
	int zone, rc;
	(void)t;
	if ((rc = dh_sqltime_timetz_in(s, n, typmod > 6 ? 6 : typmod, tset(env, &fresh), &tm, &zone,
				       err)))
		return rc;
	dh_sqltype_timetz_put(tm, zone, a, out);
	return 0;
}

static int
timetz_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	   struct dh_buf *b)
{
	int64_t tm;
	int zone;
	(void)t, (void)env;
	get(v, &tm, &zone);
	return dh_sqltime_timetz_out(b, tm, zone);
}

static int
timetz_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	    struct dh_err *err)
{
	unsigned char w[12];
	int64_t tm;
	int zone;
	(void)t, (void)err;
	get(v, &tm, &zone);
	dh_put_u64be(w, (uint64_t)tm);
	dh_put_u32be(w + 8, (uint32_t)zone);
	return dh_buf_add(b, w, 12);
}

static int
timetz_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int64_t tm;
	int32_t zone;
	(void)t;
	if (n != 12)
		return dh_err_sql(err, "22P03", "invalid binary data");
	tm = (int64_t)dh_get_u64be(p);
	zone = (int32_t)dh_get_u32be(p + 8);
	if (tm < 0 || tm > USECS_PER_DAY)
		return dh_err_sql(err, "22008", "time out of range");
	if (zone < -15 * 3600 - 59 * 60 - 59 || zone > 15 * 3600 + 59 * 60 + 59)
		return dh_err_sql(err, "22009", "time zone displacement out of range");
	if (typmod >= 0)
		tm = dh_sqltime_time_round(tm, typmod > 6 ? 6 : typmod);
	dh_sqltype_timetz_put(tm, zone, a, out);
	return 0;
}

/* timetz_cmp_internal: by the UTC instant, then by the zone */
static int
cmp(const struct dh_value *x, const struct dh_value *y)
{
	int64_t t1, t2;
	int z1, z2;
	get(x, &t1, &z1);
	get(y, &t2, &z2);
	t1 += (int64_t)z1 * 1000000;
	t2 += (int64_t)z2 * 1000000;
	if (t1 != t2)
		return t1 < t2 ? -1 : 1;
	return z1 > z2 ? 1 : z1 < z2 ? -1 : 0;
}

static int
timetz_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	(void)t;
	return cmp(x, y);
}

static uint64_t
timetz_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	return dh__hash_bytes(v->s.p, v->s.n, t->oid);
}

static int
timetz_coerce(const struct dh_sqltype *t, const struct dh_value *v, int32_t typmod, int explicit_,
	      struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int64_t tm;
	int zone;
	(void)t, (void)explicit_, (void)err;
	*out = *v;
	if (typmod < 0)
		return 0;
	get(v, &tm, &zone);
	dh_sqltype_timetz_put(dh_sqltime_time_round(tm, typmod > 6 ? 6 : typmod), zone, a, out);
	return 0;
}

const struct dh_sqltype_ops dh__sqltimetz_type_ops = {
    timetz_in, timetz_out, timetz_send, timetz_recv, timetz_cmp, timetz_hash, timetz_coerce,
    NULL,      NULL,
};

#define CMPFN(name, expr)                                                                          \
	static int name(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                        \
	{                                                                                          \
		int r = cmp(&a[0], &a[1]);                                                         \
		(void)c;                                                                           \
		*o = dh__v_bool(expr);                                                             \
		return 0;                                                                          \
	}
CMPFN(eq, r == 0)
CMPFN(ne, r != 0)
CMPFN(lt, r < 0)
CMPFN(le, r <= 0)
CMPFN(gt, r > 0)
CMPFN(ge, r >= 0)

static int
timetz_cmp_fn(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	o->type = DH_T_LONG;
	o->i = cmp(&a[0], &a[1]);
	return 0;
}

#define OP(n, f_, pro)                                                                             \
	{                                                                                          \
		.name = n, .left = O(TIMETZ), .right = O(TIMETZ), .result = O(BOOL), .fn = f_,     \
		.proname = pro                                                                     \
	}

const struct dh_sqlop dh__sqltimetz_ops[] = {
    OP("=", eq, "timetz_eq"), OP("<>", ne, "timetz_ne"), OP("<", lt, "timetz_lt"),
    OP("<=", le, "timetz_le"), OP(">", gt, "timetz_gt"), OP(">=", ge, "timetz_ge"),
};
const size_t dh__sqltimetz_ops_n = DH_ARRAY_SIZE(dh__sqltimetz_ops);

const struct dh_sqlproc dh__sqltimetz_procs[] = {
    {.name = "timetz_cmp", .nargs = 2, .args = {O(TIMETZ), O(TIMETZ)}, .result = O(INT4),
     .fn = timetz_cmp_fn, .prosrc = "timetz_cmp"},
};
const size_t dh__sqltimetz_procs_n = DH_ARRAY_SIZE(dh__sqltimetz_procs);

/* --- casts --- */

static int
time_to_timetz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_sqltime_settings fresh;
	dh_sqltype_timetz_put(a[0].i, dh_sqltime_time_zone_now(a[0].i, tset(c->env, &fresh)), c->arena,
			  o);
	return 0;
}

static int
timetz_to_time(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t tm;
	int zone;
	(void)c;
	get(&a[0], &tm, &zone);
	o->type = DH_T_LONG;
	o->i = tm;
	return 0;
}

static int
tstz_to_timetz(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_sqltime_settings fresh;
	int64_t tm;
	int zone, isnull, rc;
	rc = dh_sqltime_timestamptz_to_timetz(a[0].i, tset(c->env, &fresh), &tm, &zone, &isnull,
					      c->err);
	if (rc)
		return rc;
	if (isnull)
		o->type = DH_T_NONE;
	else
		dh_sqltype_timetz_put(tm, zone, c->arena, o);
	return 0;
}

static int
same(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	(void)c;
	*o = a[0];
	return 0;
}

const struct dh_sqlcast dh__sqltimetz_casts[] = {
    {O(TIME), O(TIMETZ), DH_CAST_IMPLICIT, DH_CAST_FUNCTION, time_to_timetz},
    {O(TIMETZ), O(TIME), DH_CAST_ASSIGNMENT, DH_CAST_FUNCTION, timetz_to_time},
    {O(TIMESTAMPTZ), O(TIMETZ), DH_CAST_ASSIGNMENT, DH_CAST_FUNCTION, tstz_to_timetz},
    {O(TIMETZ), O(TIMETZ), DH_CAST_IMPLICIT, DH_CAST_FUNCTION, same},
};
const size_t dh__sqltimetz_casts_n = DH_ARRAY_SIZE(dh__sqltimetz_casts);
