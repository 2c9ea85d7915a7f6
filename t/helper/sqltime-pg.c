/*
 * sqltime-pg: the differential test of lib/sqltime against a real
 * PostgreSQL.  Reads case files (format in t/sqltime/README), evaluates
 * each case as SQL in PostgreSQL and through the sqltime API, and compares
 * the text results (or SQLSTATE and message of errors).  PostgreSQL is the
 * oracle: no expected answer is written down anywhere.
 *
 *   sqltime-pg [-v] CONNINFO FILE...
 *
 * Output is TAP, one test per case; a case marked '!' is a known
 * difference and reported as TODO.  The last line counts them:
 * "N passed, N failed" (known differences are neither).  Exit 0 when no
 * case failed, 1 otherwise, 2 on usage or connection errors.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "sqltime.h"

#define MAXARGS 8

static PGconn *conn;
static struct dh_sqltime_settings set;
static struct dh_sqltime_tz *cur_tz;
static int verbose;
static int n_test, n_pass, n_fail, n_todo, n_todo_fixed;

/* --- results --- */

struct res {
	char text[4096]; /* value text, "NULL", or "ERROR 22007: message" */
};

static void
res_err(struct res *r, const struct dh_err *e)
{
	snprintf(r->text, sizeof r->text, "ERROR %s: %s", e->sqlstate, e->message);
}

static void
res_str(struct res *r, const char *s)
{
	snprintf(r->text, sizeof r->text, "%s", s);
}

static void
res_buf(struct res *r, struct dh_buf *b)
{
	res_str(r, b->len ? (const char *)b->p : "");
}

/* float8 as PostgreSQL prints it (shortest exact, extra_float_digits 1) */
static void
fmt_float8(char *out, size_t n, double d)
{
	char buf[64];
	int p, exp;
	if (isnan(d)) {
		snprintf(out, n, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, n, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		snprintf(out, n, signbit(d) ? "-0" : "0");
		return;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* buf: [-]d.ddde[+-]XX */
	char digits[32];
	int nd = 0, neg = buf[0] == '-';
	const char *q = buf + neg;
	for (; *q && *q != 'e'; q++)
		if (isdigit((unsigned char)*q))
			digits[nd++] = *q;
	digits[nd] = '\0';
	exp = atoi(q + 1);
	char *o = out;
	size_t left = n;
#define PUT(...)                                                                                  \
	do {                                                                                      \
		int k_ = snprintf(o, left, __VA_ARGS__);                                          \
		o += k_;                                                                          \
		left -= (size_t)k_;                                                               \
	} while (0)
	if (neg)
		PUT("-");
	if (exp >= -4 && exp < 15) {
		if (exp < 0) {
			PUT("0.");
			for (int i = 0; i < -exp - 1; i++)
				PUT("0");
			PUT("%s", digits);
		} else {
			for (int i = 0; i <= exp; i++)
				PUT("%c", i < nd ? digits[i] : '0');
			if (nd > exp + 1)
				PUT(".%s", digits + exp + 1);
		}
	} else {
		PUT("%c", digits[0]);
		if (nd > 1)
			PUT(".%s", digits + 1);
		PUT("e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
	}
#undef PUT
}

static void
res_value(struct res *r, const struct dh_value *v)
{
	switch (v->type) {
	case DH_T_NONE:
		res_str(r, "NULL");
		break;
	case DH_T_DOUBLE:
		fmt_float8(r->text, sizeof r->text, v->d);
		break;
	case DH_T_BIGDEC:
		snprintf(r->text, sizeof r->text, "%.*s", (int)v->s.n, v->s.p);
		break;
	case DH_T_LONG:
		snprintf(r->text, sizeof r->text, "%lld", (long long)v->i);
		break;
	default:
		res_str(r, "?");
	}
}

/* --- PostgreSQL side --- */

static void
sql_quote(struct dh_buf *b, const char *s)
{
	dh_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			dh_buf_addc(b, '\'');
		dh_buf_addc(b, *s);
	}
	dh_buf_addc(b, '\'');
}

/* template: %1..%8 quoted literal, %r1..%r8 raw */
static void
build_sql(struct dh_buf *b, const char *tmpl, char **args, int nargs)
{
	dh_buf_adds(b, "SELECT ");
	for (const char *p = tmpl; *p; p++) {
		if (*p == '%') {
			int raw = 0;
			if (p[1] == 'r') {
				raw = 1;
				p++;
			}
			int k = p[1] - '1';
			p++;
			if (k >= 0 && k < nargs) {
				if (raw)
					dh_buf_adds(b, args[k]);
				else
					sql_quote(b, args[k]);
			}
			continue;
		}
		dh_buf_addc(b, *p);
	}
}

static int
pg_cmd(const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "sqltime-pg: %s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	return ok ? 0 : -1;
}

static void
pg_eval(const char *sql, struct res *r)
{
	PGresult *res;
	pg_cmd("SAVEPOINT c");
	res = PQexec(conn, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (PQntuples(res) != 1 || PQnfields(res) != 1)
			res_str(r, "?rows");
		else if (PQgetisnull(res, 0, 0))
			res_str(r, "NULL");
		else
			res_str(r, PQgetvalue(res, 0, 0));
		PQclear(res);
		pg_cmd("RELEASE SAVEPOINT c");
		return;
	}
	snprintf(r->text, sizeof r->text, "ERROR %s: %s",
		 PQresultErrorField(res, PG_DIAG_SQLSTATE) ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
							   : "?",
		 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			 ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
			 : "?");
	PQclear(res);
	pg_cmd("ROLLBACK TO SAVEPOINT c");
}

/* --- our side --- */

struct ctx {
	struct dh_arena arena;
	struct dh_err err;
	struct res *r;
	int failed;
};

#define CHECK(call)                                                                               \
	do {                                                                                      \
		if ((call) != 0) {                                                                \
			res_err(c->r, &c->err);                                                   \
			c->failed = 1;                                                            \
			return;                                                                   \
		}                                                                                 \
	} while (0)

static int
arg_date(struct ctx *c, const char *s, int64_t *v)
{
	return dh_sqltime_date_in(s, strlen(s), &set, v, &c->err);
}
static int
arg_time(struct ctx *c, const char *s, int64_t *v)
{
	return dh_sqltime_time_in(s, strlen(s), -1, &set, v, &c->err);
}
static int
arg_ts(struct ctx *c, const char *s, int64_t *v)
{
	return dh_sqltime_timestamp_in(s, strlen(s), -1, &set, v, &c->err);
}
static int
arg_tstz(struct ctx *c, const char *s, int64_t *v)
{
	return dh_sqltime_timestamptz_in(s, strlen(s), -1, &set, v, &c->err);
}
static int
arg_iv(struct ctx *c, const char *s, struct dh_interval *v)
{
	return dh_sqltime_interval_in(s, strlen(s), &set, v, &c->err);
}
static int
arg_int(struct ctx *c, const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (end == s || *end || errno || x > INT32_MAX || x < INT32_MIN)
		return dh_err_sql(&c->err, "22P02", "invalid input syntax for type integer: \"%s\"",
				  s);
	*v = x;
	return 0;
}
static int
arg_float(struct ctx *c, const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	if (end == s || *end)
		return dh_err_sql(&c->err, "22P02",
				  "invalid input syntax for type double precision: \"%s\"", s);
	return 0;
}

static void
out_date(struct ctx *c, int64_t v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltime_date_out(&b, v, &set);
	res_buf(c->r, &b);
	dh_buf_release(&b);
}
static void
out_time(struct ctx *c, int64_t v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltime_time_out(&b, v);
	res_buf(c->r, &b);
	dh_buf_release(&b);
}
static void
out_ts(struct ctx *c, int64_t v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltime_timestamp_out(&b, v, &set);
	res_buf(c->r, &b);
	dh_buf_release(&b);
}
static void
out_tstz(struct ctx *c, int64_t v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltime_timestamptz_out(&b, v, &set);
	res_buf(c->r, &b);
	dh_buf_release(&b);
}
static void
out_iv(struct ctx *c, const struct dh_interval *v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltime_interval_out(&b, v, &set);
	res_buf(c->r, &b);
	dh_buf_release(&b);
}
static void
out_int(struct ctx *c, int64_t v)
{
	snprintf(c->r->text, sizeof c->r->text, "%lld", (long long)v);
}
static void
out_bool(struct ctx *c, int v)
{
	res_str(c->r, v ? "t" : "f");
}
static void
out_hex(struct ctx *c, struct dh_buf *b)
{
	char *o = c->r->text;
	o += snprintf(o, 8, "\\x");
	for (size_t i = 0; i < b->len; i++)
		o += snprintf(o, 4, "%02x", b->p[i]);
}

/* --- the operations --- */

enum kind { K_DATE = 1, K_TIME, K_TS, K_TSTZ, K_IV, K_INT, K_FLOAT, K_TEXT };

struct op {
	const char *name;
	const char *sql;
	int nargs;
	void (*run)(struct ctx *c, char **a);
};

static int
parse_kind(struct ctx *c, int k, const char *s, int64_t *i, struct dh_interval *iv, double *d)
{
	switch (k) {
	case K_DATE:
		return arg_date(c, s, i);
	case K_TIME:
		return arg_time(c, s, i);
	case K_TS:
		return arg_ts(c, s, i);
	case K_TSTZ:
		return arg_tstz(c, s, i);
	case K_IV:
		return arg_iv(c, s, iv);
	case K_INT:
		return arg_int(c, s, i);
	case K_FLOAT:
		return arg_float(c, s, d);
	}
	return 0;
}

static void
out_kind(struct ctx *c, int k, int64_t v, const struct dh_interval *iv)
{
	switch (k) {
	case K_DATE:
		out_date(c, v);
		break;
	case K_TIME:
		out_time(c, v);
		break;
	case K_TS:
		out_ts(c, v);
		break;
	case K_TSTZ:
		out_tstz(c, v);
		break;
	case K_IV:
		out_iv(c, iv);
		break;
	default:
		out_int(c, v);
	}
}

/* input / output round trips */
static void
run_in(struct ctx *c, char **a, int k, int typmod)
{
	int64_t v = 0;
	struct dh_interval iv;
	const char *s = a[typmod >= -1 ? 0 : 0];
	int p = -1;
	if (typmod == -2) {
		/* a[0] is the precision, a[1] the text */
		p = atoi(a[0]);
		s = a[1];
	}
	switch (k) {
	case K_TIME:
		CHECK(dh_sqltime_time_in(s, strlen(s), p, &set, &v, &c->err));
		break;
	case K_TS:
		CHECK(dh_sqltime_timestamp_in(s, strlen(s), p, &set, &v, &c->err));
		break;
	case K_TSTZ:
		CHECK(dh_sqltime_timestamptz_in(s, strlen(s), p, &set, &v, &c->err));
		break;
	case K_IV:
		CHECK(arg_iv(c, s, &iv));
		if (p >= 0)
			dh_sqltime_interval_round(&iv, p);
		break;
	default:
		CHECK(parse_kind(c, k, s, &v, &iv, NULL));
	}
	out_kind(c, k, v, &iv);
}
static void r_date(struct ctx *c, char **a) { run_in(c, a, K_DATE, -1); }
static void r_time(struct ctx *c, char **a) { run_in(c, a, K_TIME, -1); }
static void r_ts(struct ctx *c, char **a) { run_in(c, a, K_TS, -1); }
static void r_tstz(struct ctx *c, char **a) { run_in(c, a, K_TSTZ, -1); }
static void r_iv(struct ctx *c, char **a) { run_in(c, a, K_IV, -1); }
static void r_time_p(struct ctx *c, char **a) { run_in(c, a, K_TIME, -2); }
static void r_ts_p(struct ctx *c, char **a) { run_in(c, a, K_TS, -2); }
static void r_tstz_p(struct ctx *c, char **a) { run_in(c, a, K_TSTZ, -2); }
static void r_iv_p(struct ctx *c, char **a) { run_in(c, a, K_IV, -2); }

#define BIN(fname, k1, k2, body)                                                                  \
	static void fname(struct ctx *c, char **a)                                               \
	{                                                                                         \
		int64_t x = 0, y = 0, r = 0;                                                      \
		struct dh_interval ix = {0, 0, 0}, iy = {0, 0, 0}, ir = {0, 0, 0};              \
		double dx = 0, dy = 0;                                                            \
		(void)r;                                                                          \
		(void)ir;                                                                         \
		(void)dx;                                                                         \
		(void)dy;                                                                         \
		(void)ix;                                                                         \
		(void)iy;                                                                         \
		(void)x;                                                                          \
		(void)y;                                                                          \
		CHECK(parse_kind(c, k1, a[0], &x, &ix, &dx));                                     \
		if (k2)                                                                           \
			CHECK(parse_kind(c, k2, a[1], &y, &iy, &dy));                             \
		body;                                                                             \
	}

BIN(r_date_pl_int, K_DATE, K_INT, CHECK(dh_sqltime_date_pl_days(x, y, &r, &c->err)); out_date(c, r))
BIN(r_date_mi_int, K_DATE, K_INT, CHECK(dh_sqltime_date_mi_days(x, y, &r, &c->err)); out_date(c, r))
BIN(r_date_mi_date, K_DATE, K_DATE, CHECK(dh_sqltime_date_mi_date(x, y, &r, &c->err)); out_int(c, r))
BIN(r_date_pl_iv, K_DATE, K_IV, CHECK(dh_sqltime_date_pl_interval(x, &iy, &r, &c->err)); out_ts(c, r))
BIN(r_date_mi_iv, K_DATE, K_IV, CHECK(dh_sqltime_date_mi_interval(x, &iy, &r, &c->err)); out_ts(c, r))
BIN(r_date_pl_time, K_DATE, K_TIME, CHECK(dh_sqltime_date_pl_time(x, y, &r, &c->err)); out_ts(c, r))
BIN(r_ts_pl_iv, K_TS, K_IV, CHECK(dh_sqltime_timestamp_pl_interval(x, &iy, &r, &c->err)); out_ts(c, r))
BIN(r_ts_mi_iv, K_TS, K_IV, CHECK(dh_sqltime_timestamp_mi_interval(x, &iy, &r, &c->err)); out_ts(c, r))
BIN(r_tstz_pl_iv, K_TSTZ, K_IV,
    CHECK(dh_sqltime_timestamptz_pl_interval(x, &iy, &set, &r, &c->err)); out_tstz(c, r))
BIN(r_tstz_mi_iv, K_TSTZ, K_IV,
    CHECK(dh_sqltime_timestamptz_mi_interval(x, &iy, &set, &r, &c->err)); out_tstz(c, r))
BIN(r_ts_mi_ts, K_TS, K_TS, CHECK(dh_sqltime_timestamp_mi(x, y, &ir, &c->err)); out_iv(c, &ir))
BIN(r_tstz_mi_tstz, K_TSTZ, K_TSTZ, CHECK(dh_sqltime_timestamp_mi(x, y, &ir, &c->err)); out_iv(c, &ir))
BIN(r_time_pl_iv, K_TIME, K_IV, out_time(c, dh_sqltime_time_pl_interval(x, &iy)))
BIN(r_time_mi_iv, K_TIME, K_IV, out_time(c, dh_sqltime_time_mi_interval(x, &iy)))
BIN(r_time_mi_time, K_TIME, K_TIME, dh_sqltime_time_mi_time(x, y, &ir); out_iv(c, &ir))
BIN(r_iv_pl_iv, K_IV, K_IV, CHECK(dh_sqltime_interval_pl(&ix, &iy, &ir, &c->err)); out_iv(c, &ir))
BIN(r_iv_mi_iv, K_IV, K_IV, CHECK(dh_sqltime_interval_mi(&ix, &iy, &ir, &c->err)); out_iv(c, &ir))
BIN(r_iv_um, K_IV, 0, CHECK(dh_sqltime_interval_um(&ix, &ir, &c->err)); out_iv(c, &ir))
BIN(r_iv_mul, K_IV, K_FLOAT, CHECK(dh_sqltime_interval_mul(&ix, dy, &ir, &c->err)); out_iv(c, &ir))
BIN(r_iv_div, K_IV, K_FLOAT, CHECK(dh_sqltime_interval_div(&ix, dy, &ir, &c->err)); out_iv(c, &ir))
BIN(r_iv_cmp, K_IV, K_IV, out_int(c, dh_sqltime_interval_cmp(&ix, &iy)))
BIN(r_iv_hasheq, K_IV, K_IV,
    out_bool(c, dh_sqltime_interval_hash(&ix) == dh_sqltime_interval_hash(&iy)))
BIN(r_date_cmp_ts, K_DATE, K_TS,
    out_int(c, dh_sqltime_cmp(DH_SQLTIME_DATE, x, DH_SQLTIME_TIMESTAMP, y, &set)))
BIN(r_date_cmp_tstz, K_DATE, K_TSTZ,
    out_int(c, dh_sqltime_cmp(DH_SQLTIME_DATE, x, DH_SQLTIME_TIMESTAMPTZ, y, &set)))
BIN(r_ts_cmp_tstz, K_TS, K_TSTZ,
    out_int(c, dh_sqltime_cmp(DH_SQLTIME_TIMESTAMP, x, DH_SQLTIME_TIMESTAMPTZ, y, &set)))
BIN(r_date_to_ts, K_DATE, 0, CHECK(dh_sqltime_date_to_timestamp(x, &r, &c->err)); out_ts(c, r))
BIN(r_date_to_tstz, K_DATE, 0,
    CHECK(dh_sqltime_date_to_timestamptz(x, &set, &r, &c->err)); out_tstz(c, r))
BIN(r_ts_to_date, K_TS, 0, CHECK(dh_sqltime_timestamp_to_date(x, &r, &c->err)); out_date(c, r))
BIN(r_tstz_to_date, K_TSTZ, 0,
    CHECK(dh_sqltime_timestamptz_to_date(x, &set, &r, &c->err)); out_date(c, r))
BIN(r_ts_to_tstz, K_TS, 0,
    CHECK(dh_sqltime_timestamp_to_timestamptz(x, &set, &r, &c->err)); out_tstz(c, r))
BIN(r_tstz_to_ts, K_TSTZ, 0,
    CHECK(dh_sqltime_timestamptz_to_timestamp(x, &set, &r, &c->err)); out_ts(c, r))
BIN(r_ts_to_time, K_TS, 0, {
	int isnull;
	dh_sqltime_timestamp_to_time(x, &r, &isnull);
	if (isnull)
		res_str(c->r, "NULL");
	else
		out_time(c, r);
})
BIN(r_tstz_to_time, K_TSTZ, 0, {
	int isnull;
	CHECK(dh_sqltime_timestamptz_to_time(x, &set, &r, &isnull, &c->err));
	if (isnull)
		res_str(c->r, "NULL");
	else
		out_time(c, r);
})
BIN(r_time_to_iv, K_TIME, 0, dh_sqltime_time_to_interval(x, &ir); out_iv(c, &ir))
BIN(r_iv_to_time, K_IV, 0, out_time(c, dh_sqltime_interval_to_time(&ix)))
BIN(r_justify_days, K_IV, 0, CHECK(dh_sqltime_justify_days(&ix, &ir, &c->err)); out_iv(c, &ir))
BIN(r_justify_hours, K_IV, 0, CHECK(dh_sqltime_justify_hours(&ix, &ir, &c->err)); out_iv(c, &ir))
BIN(r_justify_iv, K_IV, 0, CHECK(dh_sqltime_justify_interval(&ix, &ir, &c->err)); out_iv(c, &ir))
BIN(r_age_ts, K_TS, K_TS,
    CHECK(dh_sqltime_age(DH_SQLTIME_TIMESTAMP, x, y, &set, &ir, &c->err)); out_iv(c, &ir))
BIN(r_age_tstz, K_TSTZ, K_TSTZ,
    CHECK(dh_sqltime_age(DH_SQLTIME_TIMESTAMPTZ, x, y, &set, &ir, &c->err)); out_iv(c, &ir))
BIN(r_age1_ts, K_TS, 0,
    CHECK(dh_sqltime_age1(DH_SQLTIME_TIMESTAMP, x, &set, &ir, &c->err)); out_iv(c, &ir))
BIN(r_age1_tstz, K_TSTZ, 0,
    CHECK(dh_sqltime_age1(DH_SQLTIME_TIMESTAMPTZ, x, &set, &ir, &c->err)); out_iv(c, &ir))
BIN(r_isfinite_date, K_DATE, 0, out_bool(c, dh_sqltime_isfinite(x)))
BIN(r_isfinite_ts, K_TS, 0, out_bool(c, dh_sqltime_isfinite(x)))
BIN(r_isfinite_iv, K_IV, 0, out_bool(c, 1))
BIN(r_to_timestamp_f, K_FLOAT, 0,
    CHECK(dh_sqltime_to_timestamp_float(dx, &r, &c->err)); out_tstz(c, r))

static void
r_send(struct ctx *c, char **a, int k, enum dh_sqltime_type t)
{
	struct dh_value v;
	struct dh_buf b;
	int64_t x = 0;
	struct dh_interval iv;
	CHECK(parse_kind(c, k, a[0], &x, &iv, NULL));
	if (k == K_IV)
		dh_sqltime_interval_put(&iv, &c->arena, &v);
	else {
		v.type = (k == K_DATE || k == K_TIME) ? DH_T_LONG : DH_T_INSTANT;
		v.i = x;
	}
	dh_buf_init(&b, 0);
	dh_sqltime_send(&b, t, &v);
	/* and back */
	struct dh_value back;
	if (dh_sqltime_recv(t, b.p, b.len, &c->arena, &back, &c->err) != 0 ||
	    (k == K_IV ? memcmp(back.s.p, v.s.p, 16) != 0 : back.i != v.i))
		res_str(c->r, "recv does not invert send");
	else
		out_hex(c, &b);
	dh_buf_release(&b);
}
static void r_send_date(struct ctx *c, char **a) { r_send(c, a, K_DATE, DH_SQLTIME_DATE); }
static void r_send_time(struct ctx *c, char **a) { r_send(c, a, K_TIME, DH_SQLTIME_TIME); }
static void r_send_ts(struct ctx *c, char **a) { r_send(c, a, K_TS, DH_SQLTIME_TIMESTAMP); }
static void r_send_tstz(struct ctx *c, char **a) { r_send(c, a, K_TSTZ, DH_SQLTIME_TIMESTAMPTZ); }
static void r_send_iv(struct ctx *c, char **a) { r_send(c, a, K_IV, DH_SQLTIME_INTERVAL); }

static void
r_trunc(struct ctx *c, char **a, int k)
{
	int64_t x, r;
	struct dh_interval iv, ir;
	if (k == K_IV) {
		CHECK(arg_iv(c, a[1], &iv));
		CHECK(dh_sqltime_date_trunc_interval(a[0], &iv, &ir, &c->err));
		out_iv(c, &ir);
		return;
	}
	CHECK(parse_kind(c, k, a[1], &x, NULL, NULL));
	CHECK(dh_sqltime_date_trunc(a[0], k == K_TS ? DH_SQLTIME_TIMESTAMP : DH_SQLTIME_TIMESTAMPTZ,
				    x, a[2], &set, &r, &c->err));
	out_kind(c, k, r, NULL);
}
static void r_trunc_ts(struct ctx *c, char **a) { a[2] = NULL; r_trunc(c, a, K_TS); }
static void r_trunc_tstz(struct ctx *c, char **a) { a[2] = NULL; r_trunc(c, a, K_TSTZ); }
static void r_trunc_tstz_zone(struct ctx *c, char **a) { r_trunc(c, a, K_TSTZ); }
static void r_trunc_iv(struct ctx *c, char **a) { r_trunc(c, a, K_IV); }

static void
r_extract(struct ctx *c, char **a, int k, int numeric)
{
	int64_t x = 0;
	struct dh_interval iv = {0, 0, 0};
	struct dh_value v;
	enum dh_sqltime_type t = k == K_DATE ? DH_SQLTIME_DATE
			       : k == K_TIME ? DH_SQLTIME_TIME
			       : k == K_TS   ? DH_SQLTIME_TIMESTAMP
			       : k == K_TSTZ ? DH_SQLTIME_TIMESTAMPTZ
					     : DH_SQLTIME_INTERVAL;
	CHECK(parse_kind(c, k, a[1], &x, &iv, NULL));
	if (numeric)
		CHECK(dh_sqltime_extract(a[0], t, x, &iv, &set, &c->arena, &v, &c->err));
	else
		CHECK(dh_sqltime_date_part(a[0], t, x, &iv, &set, &v, &c->err));
	if (numeric && v.type == DH_T_DOUBLE)
		res_str(c->r, v.d < 0 ? "-Infinity" : "Infinity");
	else
		res_value(c->r, &v);
}
static void r_extract_date(struct ctx *c, char **a) { r_extract(c, a, K_DATE, 1); }
static void r_extract_time(struct ctx *c, char **a) { r_extract(c, a, K_TIME, 1); }
static void r_extract_ts(struct ctx *c, char **a) { r_extract(c, a, K_TS, 1); }
static void r_extract_tstz(struct ctx *c, char **a) { r_extract(c, a, K_TSTZ, 1); }
static void r_extract_iv(struct ctx *c, char **a) { r_extract(c, a, K_IV, 1); }
static void r_part_date(struct ctx *c, char **a) { r_extract(c, a, K_DATE, 0); }
static void r_part_time(struct ctx *c, char **a) { r_extract(c, a, K_TIME, 0); }
static void r_part_ts(struct ctx *c, char **a) { r_extract(c, a, K_TS, 0); }
static void r_part_tstz(struct ctx *c, char **a) { r_extract(c, a, K_TSTZ, 0); }
static void r_part_iv(struct ctx *c, char **a) { r_extract(c, a, K_IV, 0); }

static void
r_make_date(struct ctx *c, char **a)
{
	int64_t y, m, d, r;
	CHECK(arg_int(c, a[0], &y));
	CHECK(arg_int(c, a[1], &m));
	CHECK(arg_int(c, a[2], &d));
	CHECK(dh_sqltime_make_date(y, m, d, &r, &c->err));
	out_date(c, r);
}
static void
r_make_time(struct ctx *c, char **a)
{
	int64_t h, m, r;
	double s;
	CHECK(arg_int(c, a[0], &h));
	CHECK(arg_int(c, a[1], &m));
	CHECK(arg_float(c, a[2], &s));
	CHECK(dh_sqltime_make_time(h, m, s, &r, &c->err));
	out_time(c, r);
}
static void
r_make_ts(struct ctx *c, char **a, int k, int zone)
{
	int64_t v[5], r;
	double s;
	for (int i = 0; i < 5; i++)
		CHECK(arg_int(c, a[i], &v[i]));
	CHECK(arg_float(c, a[5], &s));
	if (k == K_TS) {
		CHECK(dh_sqltime_make_timestamp(v[0], v[1], v[2], v[3], v[4], s, &r, &c->err));
		out_ts(c, r);
	} else {
		CHECK(dh_sqltime_make_timestamptz(v[0], v[1], v[2], v[3], v[4], s,
						  zone ? a[6] : NULL, &set, &r, &c->err));
		out_tstz(c, r);
	}
}
static void r_make_timestamp(struct ctx *c, char **a) { r_make_ts(c, a, K_TS, 0); }
static void r_make_timestamptz(struct ctx *c, char **a) { r_make_ts(c, a, K_TSTZ, 0); }
static void r_make_timestamptz_z(struct ctx *c, char **a) { r_make_ts(c, a, K_TSTZ, 1); }
static void
r_make_interval(struct ctx *c, char **a)
{
	int64_t v[6];
	double s;
	struct dh_interval r;
	for (int i = 0; i < 6; i++)
		CHECK(arg_int(c, a[i], &v[i]));
	CHECK(arg_float(c, a[6], &s));
	CHECK(dh_sqltime_make_interval(v[0], v[1], v[2], v[3], v[4], v[5], s, &r, &c->err));
	out_iv(c, &r);
}

static void
r_at_zone(struct ctx *c, char **a, int k)
{
	int64_t x, r;
	CHECK(parse_kind(c, k, a[0], &x, NULL, NULL));
	CHECK(dh_sqltime_at_zone(a[1], k == K_TS ? DH_SQLTIME_TIMESTAMP : DH_SQLTIME_TIMESTAMPTZ, x,
				 &set, &r, &c->err));
	out_kind(c, k == K_TS ? K_TSTZ : K_TS, r, NULL);
}
static void r_at_zone_ts(struct ctx *c, char **a) { r_at_zone(c, a, K_TS); }
static void r_at_zone_tstz(struct ctx *c, char **a) { r_at_zone(c, a, K_TSTZ); }
static void
r_at_izone(struct ctx *c, char **a, int k)
{
	int64_t x, r;
	struct dh_interval iv;
	CHECK(parse_kind(c, k, a[0], &x, NULL, NULL));
	CHECK(arg_iv(c, a[1], &iv));
	CHECK(dh_sqltime_at_izone(&iv, k == K_TS ? DH_SQLTIME_TIMESTAMP : DH_SQLTIME_TIMESTAMPTZ, x,
				  &set, &r, &c->err));
	out_kind(c, k == K_TS ? K_TSTZ : K_TS, r, NULL);
}
static void r_at_izone_ts(struct ctx *c, char **a) { r_at_izone(c, a, K_TS); }
static void r_at_izone_tstz(struct ctx *c, char **a) { r_at_izone(c, a, K_TSTZ); }

static void
r_date_bin(struct ctx *c, char **a, int k)
{
	int64_t x, o, r;
	struct dh_interval iv;
	CHECK(arg_iv(c, a[0], &iv));
	CHECK(parse_kind(c, k, a[1], &x, NULL, NULL));
	CHECK(parse_kind(c, k, a[2], &o, NULL, NULL));
	CHECK(dh_sqltime_date_bin(&iv, x, o, &r, &c->err));
	out_kind(c, k, r, NULL);
}
static void r_date_bin_ts(struct ctx *c, char **a) { r_date_bin(c, a, K_TS); }
static void r_date_bin_tstz(struct ctx *c, char **a) { r_date_bin(c, a, K_TSTZ); }

static void
r_series(struct ctx *c, char **a, int k)
{
	int64_t x, stop, cur;
	struct dh_interval step, zero = {0, 0, 0};
	struct dh_buf b;
	int n = 0, dir;
	CHECK(parse_kind(c, k, a[0], &x, NULL, NULL));
	CHECK(parse_kind(c, k, a[1], &stop, NULL, NULL));
	CHECK(arg_iv(c, a[2], &step));
	CHECK(dh_sqltime_series_check(&step, &c->err));
	dir = dh_sqltime_interval_cmp(&step, &zero);
	dh_buf_init(&b, 0);
	for (cur = x; dir > 0 ? cur <= stop : cur >= stop; n++) {
		struct dh_buf e;
		dh_buf_init(&e, 0);
		if (k == K_TS)
			dh_sqltime_timestamp_out(&e, cur, &set);
		else
			dh_sqltime_timestamptz_out(&e, cur, &set);
		dh_buf_adds(&b, n ? ",\"" : "{\"");
		dh_buf_add(&b, e.p, e.len);
		dh_buf_addc(&b, '"');
		dh_buf_release(&e);
		int rc = k == K_TS ? dh_sqltime_timestamp_pl_interval(cur, &step, &cur, &c->err)
				   : dh_sqltime_timestamptz_pl_interval(cur, &step, &set, &cur,
									&c->err);
		if (rc || n > 1000)
			break;
	}
	if (n == 0)
		res_str(c->r, "NULL");
	else {
		dh_buf_addc(&b, '}');
		res_buf(c->r, &b);
	}
	dh_buf_release(&b);
}
static void r_series_ts(struct ctx *c, char **a) { r_series(c, a, K_TS); }
static void r_series_tstz(struct ctx *c, char **a) { r_series(c, a, K_TSTZ); }

static void
r_now(struct ctx *c, char **a)
{
	out_tstz(c, dh_sqltime_now(&set));
}
static void
r_current_date(struct ctx *c, char **a)
{
	int64_t d;
	CHECK(dh_sqltime_current_date(&set, &d, &c->err));
	out_date(c, d);
}
static void
r_localtimestamp(struct ctx *c, char **a)
{
	int64_t d;
	CHECK(dh_sqltime_localtimestamp(&set, -1, &d, &c->err));
	out_ts(c, d);
}
static void
r_localtime(struct ctx *c, char **a)
{
	int64_t d;
	dh_sqltime_localtime(&set, -1, &d);
	out_time(c, d);
}

static void
r_to_char(struct ctx *c, char **a, int k)
{
	int64_t x = 0;
	struct dh_interval iv = {0, 0, 0};
	struct dh_buf b;
	int isnull = 0;
	CHECK(parse_kind(c, k, a[0], &x, &iv, NULL));
	dh_buf_init(&b, 0);
	if (dh_sqltime_to_char(&b, k == K_TS ? DH_SQLTIME_TIMESTAMP
				 : k == K_TSTZ ? DH_SQLTIME_TIMESTAMPTZ
					       : DH_SQLTIME_INTERVAL,
			       x, &iv, a[1], strlen(a[1]), &set, &isnull, &c->err) != 0)
		res_err(c->r, &c->err);
	else if (isnull)
		res_str(c->r, "NULL");
	else
		res_buf(c->r, &b);
	dh_buf_release(&b);
}
static void r_to_char_ts(struct ctx *c, char **a) { r_to_char(c, a, K_TS); }
static void r_to_char_tstz(struct ctx *c, char **a) { r_to_char(c, a, K_TSTZ); }
static void r_to_char_iv(struct ctx *c, char **a) { r_to_char(c, a, K_IV); }
static void
r_to_timestamp(struct ctx *c, char **a)
{
	int64_t r;
	CHECK(dh_sqltime_to_timestamp(a[0], strlen(a[0]), a[1], strlen(a[1]), &set, &r, &c->err));
	out_tstz(c, r);
}
static void
r_to_date(struct ctx *c, char **a)
{
	int64_t r;
	CHECK(dh_sqltime_to_date(a[0], strlen(a[0]), a[1], strlen(a[1]), &set, &r, &c->err));
	out_date(c, r);
}

static const struct op ops[] = {
	{"date", "%1::date", 1, r_date},
	{"time", "%1::time", 1, r_time},
	{"timestamp", "%1::timestamp", 1, r_ts},
	{"timestamptz", "%1::timestamptz", 1, r_tstz},
	{"interval", "%1::interval", 1, r_iv},
	{"time_p", "%2::time(%r1)", 2, r_time_p},
	{"timestamp_p", "%2::timestamp(%r1)", 2, r_ts_p},
	{"timestamptz_p", "%2::timestamptz(%r1)", 2, r_tstz_p},
	{"interval_p", "%2::interval(%r1)", 2, r_iv_p},
	{"date+int", "%1::date + %2::int", 2, r_date_pl_int},
	{"date-int", "%1::date - %2::int", 2, r_date_mi_int},
	{"date-date", "%1::date - %2::date", 2, r_date_mi_date},
	{"date+interval", "%1::date + %2::interval", 2, r_date_pl_iv},
	{"date-interval", "%1::date - %2::interval", 2, r_date_mi_iv},
	{"date+time", "%1::date + %2::time", 2, r_date_pl_time},
	{"timestamp+interval", "%1::timestamp + %2::interval", 2, r_ts_pl_iv},
	{"timestamp-interval", "%1::timestamp - %2::interval", 2, r_ts_mi_iv},
	{"timestamptz+interval", "%1::timestamptz + %2::interval", 2, r_tstz_pl_iv},
	{"timestamptz-interval", "%1::timestamptz - %2::interval", 2, r_tstz_mi_iv},
	{"timestamp-timestamp", "%1::timestamp - %2::timestamp", 2, r_ts_mi_ts},
	{"timestamptz-timestamptz", "%1::timestamptz - %2::timestamptz", 2, r_tstz_mi_tstz},
	{"time+interval", "%1::time + %2::interval", 2, r_time_pl_iv},
	{"time-interval", "%1::time - %2::interval", 2, r_time_mi_iv},
	{"time-time", "%1::time - %2::time", 2, r_time_mi_time},
	{"interval+interval", "%1::interval + %2::interval", 2, r_iv_pl_iv},
	{"interval-interval", "%1::interval - %2::interval", 2, r_iv_mi_iv},
	{"-interval", "- %1::interval", 1, r_iv_um},
	{"interval*float8", "%1::interval * %2::float8", 2, r_iv_mul},
	{"interval/float8", "%1::interval / %2::float8", 2, r_iv_div},
	{"interval_cmp", "interval_cmp(%1::interval, %2::interval)", 2, r_iv_cmp},
	{"interval_hasheq", "interval_hash(%1::interval) = interval_hash(%2::interval)", 2,
	 r_iv_hasheq},
	{"date_cmp_timestamp", "date_cmp_timestamp(%1::date, %2::timestamp)", 2, r_date_cmp_ts},
	{"date_cmp_timestamptz", "date_cmp_timestamptz(%1::date, %2::timestamptz)", 2,
	 r_date_cmp_tstz},
	{"timestamp_cmp_timestamptz", "timestamp_cmp_timestamptz(%1::timestamp, %2::timestamptz)",
	 2, r_ts_cmp_tstz},
	{"date::timestamp", "%1::date::timestamp", 1, r_date_to_ts},
	{"date::timestamptz", "%1::date::timestamptz", 1, r_date_to_tstz},
	{"timestamp::date", "%1::timestamp::date", 1, r_ts_to_date},
	{"timestamptz::date", "%1::timestamptz::date", 1, r_tstz_to_date},
	{"timestamp::timestamptz", "%1::timestamp::timestamptz", 1, r_ts_to_tstz},
	{"timestamptz::timestamp", "%1::timestamptz::timestamp", 1, r_tstz_to_ts},
	{"timestamp::time", "%1::timestamp::time", 1, r_ts_to_time},
	{"timestamptz::time", "%1::timestamptz::time", 1, r_tstz_to_time},
	{"time::interval", "%1::time::interval", 1, r_time_to_iv},
	{"interval::time", "%1::interval::time", 1, r_iv_to_time},
	{"justify_days", "justify_days(%1::interval)", 1, r_justify_days},
	{"justify_hours", "justify_hours(%1::interval)", 1, r_justify_hours},
	{"justify_interval", "justify_interval(%1::interval)", 1, r_justify_iv},
	{"age", "age(%1::timestamp, %2::timestamp)", 2, r_age_ts},
	{"agetz", "age(%1::timestamptz, %2::timestamptz)", 2, r_age_tstz},
	{"age1", "age(%1::timestamp)", 1, r_age1_ts},
	{"age1tz", "age(%1::timestamptz)", 1, r_age1_tstz},
	{"isfinite_date", "isfinite(%1::date)", 1, r_isfinite_date},
	{"isfinite_timestamp", "isfinite(%1::timestamp)", 1, r_isfinite_ts},
	{"isfinite_timestamptz", "isfinite(%1::timestamptz)", 1, r_isfinite_ts},
	{"isfinite_interval", "isfinite(%1::interval)", 1, r_isfinite_iv},
	{"to_timestamp_f", "to_timestamp(%1::float8)", 1, r_to_timestamp_f},
	{"send_date", "date_send(%1::date)", 1, r_send_date},
	{"send_time", "time_send(%1::time)", 1, r_send_time},
	{"send_timestamp", "timestamp_send(%1::timestamp)", 1, r_send_ts},
	{"send_timestamptz", "timestamptz_send(%1::timestamptz)", 1, r_send_tstz},
	{"send_interval", "interval_send(%1::interval)", 1, r_send_iv},
	{"date_trunc", "date_trunc(%1, %2::timestamp)", 2, r_trunc_ts},
	{"date_trunc_tz", "date_trunc(%1, %2::timestamptz)", 2, r_trunc_tstz},
	{"date_trunc_zone", "date_trunc(%1, %2::timestamptz, %3)", 3, r_trunc_tstz_zone},
	{"date_trunc_interval", "date_trunc(%1, %2::interval)", 2, r_trunc_iv},
	{"extract_date", "extract(%r1 from %2::date)", 2, r_extract_date},
	{"extract_time", "extract(%r1 from %2::time)", 2, r_extract_time},
	{"extract", "extract(%r1 from %2::timestamp)", 2, r_extract_ts},
	{"extract_tz", "extract(%r1 from %2::timestamptz)", 2, r_extract_tstz},
	{"extract_interval", "extract(%r1 from %2::interval)", 2, r_extract_iv},
	{"date_part_date", "date_part(%1, %2::date)", 2, r_part_date},
	{"date_part_time", "date_part(%1, %2::time)", 2, r_part_time},
	{"date_part", "date_part(%1, %2::timestamp)", 2, r_part_ts},
	{"date_part_tz", "date_part(%1, %2::timestamptz)", 2, r_part_tstz},
	{"date_part_interval", "date_part(%1, %2::interval)", 2, r_part_iv},
	{"make_date", "make_date(%1::int, %2::int, %3::int)", 3, r_make_date},
	{"make_time", "make_time(%1::int, %2::int, %3::float8)", 3, r_make_time},
	{"make_timestamp", "make_timestamp(%1::int, %2::int, %3::int, %4::int, %5::int, %6::float8)",
	 6, r_make_timestamp},
	{"make_timestamptz",
	 "make_timestamptz(%1::int, %2::int, %3::int, %4::int, %5::int, %6::float8)", 6,
	 r_make_timestamptz},
	{"make_timestamptz_zone",
	 "make_timestamptz(%1::int, %2::int, %3::int, %4::int, %5::int, %6::float8, %7)", 7,
	 r_make_timestamptz_z},
	{"make_interval",
	 "make_interval(%1::int, %2::int, %3::int, %4::int, %5::int, %6::int, %7::float8)", 7,
	 r_make_interval},
	{"at_zone", "%1::timestamp AT TIME ZONE %2", 2, r_at_zone_ts},
	{"at_zone_tz", "%1::timestamptz AT TIME ZONE %2", 2, r_at_zone_tstz},
	{"at_izone", "%1::timestamp AT TIME ZONE %2::interval", 2, r_at_izone_ts},
	{"at_izone_tz", "%1::timestamptz AT TIME ZONE %2::interval", 2, r_at_izone_tstz},
	{"date_bin", "date_bin(%1::interval, %2::timestamp, %3::timestamp)", 3, r_date_bin_ts},
	{"date_bin_tz", "date_bin(%1::interval, %2::timestamptz, %3::timestamptz)", 3,
	 r_date_bin_tstz},
	{"series", "(SELECT array_agg(x)::text FROM generate_series(%1::timestamp, "
		   "%2::timestamp, %3::interval) x)",
	 3, r_series_ts},
	{"series_tz", "(SELECT array_agg(x)::text FROM generate_series(%1::timestamptz, "
		      "%2::timestamptz, %3::interval) x)",
	 3, r_series_tstz},
	{"now", "now()", 0, r_now},
	{"current_date", "current_date", 0, r_current_date},
	{"localtimestamp", "localtimestamp", 0, r_localtimestamp},
	{"localtime", "localtime", 0, r_localtime},
	{"to_char", "to_char(%1::timestamp, %2)", 2, r_to_char_ts},
	{"to_char_tz", "to_char(%1::timestamptz, %2)", 2, r_to_char_tstz},
	{"to_char_interval", "to_char(%1::interval, %2)", 2, r_to_char_iv},
	{"to_timestamp", "to_timestamp(%1, %2)", 2, r_to_timestamp},
	{"to_date", "to_date(%1, %2)", 2, r_to_date},
};

/* --- the case files --- */

static char *
trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
apply_set(const char *name, const char *value)
{
	struct dh_buf sql;
	struct dh_err err = {0};
	int rc = 0;
	dh_buf_init(&sql, 0);
	dh_buf_printf(&sql, "SET %s = ", name);
	sql_quote(&sql, value);
	if (pg_cmd((char *)sql.p) != 0)
		rc = -1;
	dh_buf_release(&sql);
	if (!strcasecmp(name, "TimeZone")) {
		struct dh_sqltime_tz *tz;
		if (dh_sqltime_tz_load(value, &tz, &err) != 0) {
			fprintf(stderr, "sqltime-pg: %s\n", err.message);
			return -1;
		}
		dh_sqltime_tz_free(cur_tz);
		cur_tz = tz;
		set.tz = tz;
	} else if (!strcasecmp(name, "DateStyle"))
		rc |= dh_sqltime_set_datestyle(&set, value, NULL, &err);
	else if (!strcasecmp(name, "IntervalStyle"))
		rc |= dh_sqltime_set_intervalstyle(&set, value, &err);
	return rc;
}

static int
pg_now(int64_t *now)
{
	PGresult *res = PQexec(conn, "SELECT (extract(epoch from now()) * 1000000)::int8");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return -1;
	}
	*now = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0, nfile = 0, pfile = 0;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!f) {
		fprintf(stderr, "sqltime-pg: cannot open '%s'\n", path);
		return -1;
	}
	/* a fresh session state per file */
	pg_cmd("RESET ALL");
	dh_sqltime_tz_free(cur_tz);
	cur_tz = NULL;
	set.tz = NULL;
	set.datestyle = DH_DATESTYLE_ISO;
	set.dateorder = DH_DATEORDER_MDY;
	set.intervalstyle = DH_INTSTYLE_POSTGRES;
	pg_cmd("SET TimeZone = 'UTC'");
	pg_cmd("BEGIN");
	if (pg_now(&set.now) != 0)
		return -1;
	set.statement_now = set.now;
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line), *args[MAXARGS] = {0};
		int nargs = 0, known = 0;
		lineno++;
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "set ", 4)) {
			char *name = trim(s + 4), *value = strchr(name, ' ');
			if (!value) {
				fprintf(stderr, "%s:%d: set NAME VALUE\n", path, lineno);
				return -1;
			}
			*value++ = '\0';
			if (apply_set(name, trim(value)) != 0) {
				fprintf(stderr, "%s:%d: bad setting\n", path, lineno);
				return -1;
			}
			continue;
		}
		if (*s == '!') {
			known = 1;
			s = trim(s + 1);
		}
		/* OP | arg | arg ... */
		char *op = s, *bar = strchr(s, '|');
		if (bar) {
			*bar = '\0';
			char *p = bar + 1;
			while (p && nargs < MAXARGS) {
				char *nb = strchr(p, '|');
				if (nb)
					*nb = '\0';
				args[nargs++] = trim(p);
				p = nb ? nb + 1 : NULL;
			}
		}
		op = trim(op);
		const struct op *o = NULL;
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			if (!strcmp(ops[i].name, op))
				o = &ops[i];
		if (!o || o->nargs != nargs) {
			fprintf(stderr, "%s:%d: unknown operation '%s' with %d arguments\n", path,
				lineno, op, nargs);
			return -1;
		}
		/* args may be written 'quoted' to keep spaces at the ends */
		for (int i = 0; i < nargs; i++) {
			size_t n = strlen(args[i]);
			if (n >= 2 && args[i][0] == '\'' && args[i][n - 1] == '\'') {
				args[i][n - 1] = '\0';
				args[i]++;
			}
		}
		struct dh_buf sql;
		struct res want, got;
		struct ctx c;
		char *argcopy[MAXARGS + 1] = {0};
		dh_buf_init(&sql, 0);
		build_sql(&sql, o->sql, args, nargs);
		pg_eval((char *)sql.p, &want);
		memset(&c, 0, sizeof c);
		dh_arena_init(&c.arena);
		c.r = &got;
		got.text[0] = '\0';
		for (int i = 0; i < nargs; i++)
			argcopy[i] = args[i];
		o->run(&c, argcopy);
		dh_arena_release(&c.arena);
		n_test++;
		nfile++;
		int same = strcmp(want.text, got.text) == 0;
		if (known) {
			if (same) {
				n_todo_fixed++;
				printf("ok %d - %s:%d %s # TODO known difference now agrees\n", n_test,
				       base, lineno, (char *)sql.p);
			} else {
				n_todo++;
				printf("not ok %d - %s:%d %s # TODO known difference\n", n_test, base,
				       lineno, (char *)sql.p);
				printf("#   postgres: %s\n#   sqltime:  %s\n", want.text, got.text);
			}
		} else if (same) {
			n_pass++;
			pfile++;
			printf("ok %d - %s:%d %s\n", n_test, base, lineno, (char *)sql.p);
			if (verbose)
				printf("#   %s\n", got.text);
		} else {
			n_fail++;
			printf("not ok %d - %s:%d %s\n", n_test, base, lineno, (char *)sql.p);
			printf("#   postgres: %s\n#   sqltime:  %s\n", want.text, got.text);
		}
		dh_buf_release(&sql);
	}
	fclose(f);
	pg_cmd("COMMIT");
	printf("# %s: %d cases, %d agree\n", base, nfile, pfile);
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-v")) {
		verbose = 1;
		i++;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: sqltime-pg [-v] CONNINFO FILE...\n");
		return 2;
	}
	conn = PQconnectdb(argv[i++]);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "sqltime-pg: %s", PQerrorMessage(conn));
		return 2;
	}
	dh_sqltime_settings_init(&set);
	set.zones = dh_sqltime_zones_new();
	for (; i < argc; i++)
		if (run_file(argv[i]) != 0)
			return 2;
	printf("1..%d\n", n_test);
	printf("# %d known differences, %d known differences that now agree\n", n_todo,
	       n_todo_fixed);
	printf("%d passed, %d failed\n", n_pass, n_fail);
	dh_sqltime_zones_free(set.zones);
	dh_sqltime_tz_free(cur_tz);
	PQfinish(conn);
	return n_fail ? 1 : 0;
}
