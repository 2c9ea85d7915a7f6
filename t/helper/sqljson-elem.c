/*
 * sqljson-elem: the test element types (see sqljson-elem.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqljson-elem.h"

static int
bad_input(struct dh_err *err, const char *type, const char *s, size_t n)
{
	return dh_err_sql(err, "22P02", "invalid input syntax for type %s: \"%.*s\"", type, (int)n,
			  s);
}

static int
isblank_(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* --- int8 --- */

static int
int8_in(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	struct dh_err *err)
{
	char buf[64];
	size_t i = 0, e = n;
	while (i < e && isblank_(s[i]))
		i++;
	while (e > i && isblank_(s[e - 1]))
		e--;
	if (e - i == 0 || e - i >= sizeof(buf))
		return bad_input(err, "bigint", s, n);
	memcpy(buf, s + i, e - i);
	buf[e - i] = 0;
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (*end || !(buf[0] == '-' || buf[0] == '+' || (buf[0] >= '0' && buf[0] <= '9')))
		return bad_input(err, "bigint", s, n);
	if (errno == ERANGE)
		return dh_err_sql(err, "22003", "value \"%.*s\" is out of range for type bigint",
				  (int)n, s);
	out->type = DH_T_LONG;
	out->i = v;
	return 0;
}

static int
int8_out(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_printf(b, "%lld", (long long)v->i);
}

static int
int8_cmp(void *ctx, const struct dh_value *x, const struct dh_value *y)
{
	return x->i < y->i ? -1 : x->i > y->i;
}

static uint64_t
int8_hash(void *ctx, const struct dh_value *v)
{
	return (uint64_t)v->i * 0x9e3779b97f4a7c15ULL;
}

static int
int8_send(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_add_u64be(b, (uint64_t)v->i);
}

static int
int8_recv(void *ctx, const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
	  struct dh_err *err)
{
	if (n != 8)
		return dh_err_sql(err, "22P03", "incorrect binary data format");
	out->type = DH_T_LONG;
	out->i = (int64_t)dh_get_u64be(p);
	return 0;
}

/* --- text --- */

static int
text_in(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	struct dh_err *err)
{
	out->type = DH_T_STRING;
	out->s.p = dh_arena_strndup(a, s, n);
	out->s.n = n;
	return 0;
}

static int
text_out(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_add(b, v->s.p, v->s.n);
}

static int
text_cmp(void *ctx, const struct dh_value *x, const struct dh_value *y)
{
	size_t m = x->s.n < y->s.n ? x->s.n : y->s.n;
	int c = memcmp(x->s.p, y->s.p, m);
	if (c)
		return c < 0 ? -1 : 1;
	return x->s.n < y->s.n ? -1 : x->s.n > y->s.n;
}

static uint64_t
text_hash(void *ctx, const struct dh_value *v)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < v->s.n; i++)
		h = (h ^ (unsigned char)v->s.p[i]) * 0x100000001b3ULL;
	return h;
}

static int
text_send(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_add(b, v->s.p, v->s.n);
}

static int
text_recv(void *ctx, const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
	  struct dh_err *err)
{
	return text_in(ctx, (const char *)p, n, a, out, err);
}

/* --- bool --- */

static int
bool_in(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	struct dh_err *err)
{
	static const char *t[] = {"true", "yes", "on", "1"}, *f[] = {"false", "no", "off", "0"};
	size_t i = 0, e = n;
	while (i < e && isblank_(s[i]))
		i++;
	while (e > i && isblank_(s[e - 1]))
		e--;
	size_t len = e - i;
	const char *p = s + i;
	out->type = DH_T_BOOL;
	if (len > 0) {
		for (int k = 0; k < 4; k++) {
			size_t need = (k == 2) ? 2 : 1; /* "o" alone is ambiguous */
			if (len >= need && len <= strlen(t[k]) && strncasecmp(p, t[k], len) == 0) {
				out->b = 1;
				return 0;
			}
			if (len >= need && len <= strlen(f[k]) && strncasecmp(p, f[k], len) == 0) {
				out->b = 0;
				return 0;
			}
		}
	}
	return bad_input(err, "boolean", s, n);
}

static int
bool_out(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_addc(b, v->b ? 't' : 'f');
}

static int
bool_cmp(void *ctx, const struct dh_value *x, const struct dh_value *y)
{
	return x->b - y->b;
}

static uint64_t
bool_hash(void *ctx, const struct dh_value *v)
{
	return (uint64_t)v->b;
}

static int
bool_send(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	return dh_buf_addc(b, v->b ? 1 : 0);
}

static int
bool_recv(void *ctx, const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
	  struct dh_err *err)
{
	if (n != 1)
		return dh_err_sql(err, "22P03", "incorrect binary data format");
	out->type = DH_T_BOOL;
	out->b = p[0] != 0;
	return 0;
}

/* --- float8 --- */

static int
float8_in(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	  struct dh_err *err)
{
	char buf[512];
	size_t i = 0, e = n;
	while (i < e && isblank_(s[i]))
		i++;
	while (e > i && isblank_(s[e - 1]))
		e--;
	if (e - i == 0 || e - i >= sizeof(buf))
		return bad_input(err, "double precision", s, n);
	memcpy(buf, s + i, e - i);
	buf[e - i] = 0;
	out->type = DH_T_DOUBLE;
	if (!strcasecmp(buf, "nan")) {
		out->d = NAN;
		return 0;
	}
	if (!strcasecmp(buf, "infinity") || !strcasecmp(buf, "+infinity") || !strcasecmp(buf, "inf"))
		out->d = INFINITY;
	else if (!strcasecmp(buf, "-infinity") || !strcasecmp(buf, "-inf"))
		out->d = -INFINITY;
	else {
		char *end;
		errno = 0;
		out->d = strtod(buf, &end);
		if (*end || end == buf || strchr(buf, 'x') || strchr(buf, 'X') ||
		    strchr(buf, 'n') || strchr(buf, 'N'))
			return bad_input(err, "double precision", s, n);
		if (errno == ERANGE && (out->d == 0 || isinf(out->d)))
			return dh_err_sql(err, "22003",
					  "\"%s\" is out of range for type double precision", buf);
	}
	return 0;
}

static int
float8_out(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	double d = v->d;
	char t[64];
	if (isnan(d))
		return dh_buf_adds(b, "NaN");
	if (isinf(d))
		return dh_buf_adds(b, d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return dh_buf_adds(b, signbit(d) ? "-0" : "0");
	/* shortest precision that reads back, formatted as PostgreSQL does:
	 * exponent form when the exponent is < -4 or >= 15 */
	int p;
	for (p = 1; p <= 17; p++) {
		snprintf(t, sizeof(t), "%.*e", p - 1, d);
		if (strtod(t, NULL) == d)
			break;
	}
	char *e = strchr(t, 'e');
	int ex = atoi(e + 1);
	if (ex < -4 || ex >= 15) {
		/* mantissa without trailing zeros, exponent with sign and 2+ digits */
		*e = 0;
		return dh_buf_printf(b, "%se%c%02d", t, ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
	}
	int dec = p - 1 - ex;
	if (dec < 0)
		dec = 0;
	return dh_buf_printf(b, "%.*f", dec, d);
}

static int
float8_cmp(void *ctx, const struct dh_value *x, const struct dh_value *y)
{
	int nx = isnan(x->d), ny = isnan(y->d);
	if (nx || ny)
		return nx - ny;
	return x->d < y->d ? -1 : x->d > y->d;
}

static uint64_t
float8_hash(void *ctx, const struct dh_value *v)
{
	double d = v->d == 0 ? 0 : v->d;
	uint64_t u;
	if (isnan(d))
		return 7;
	memcpy(&u, &d, 8);
	return u * 0x9e3779b97f4a7c15ULL;
}

static int
float8_send(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	uint64_t u;
	memcpy(&u, &v->d, 8);
	return dh_buf_add_u64be(b, u);
}

static int
float8_recv(void *ctx, const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
	    struct dh_err *err)
{
	if (n != 8)
		return dh_err_sql(err, "22P03", "incorrect binary data format");
	uint64_t u = dh_get_u64be(p);
	out->type = DH_T_DOUBLE;
	memcpy(&out->d, &u, 8);
	return 0;
}

static const struct dh_array_elem elems[] = {
	{20, ',', NULL, int8_in, int8_out, int8_cmp, int8_hash, int8_send, int8_recv},
	{25, ',', NULL, text_in, text_out, text_cmp, text_hash, text_send, text_recv},
	{16, ',', NULL, bool_in, bool_out, bool_cmp, bool_hash, bool_send, bool_recv},
	{701, ',', NULL, float8_in, float8_out, float8_cmp, float8_hash, float8_send, float8_recv},
};

const struct dh_array_elem *
test_elem(const char *name)
{
	static const char *names[] = {"int8", "text", "bool", "float8"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, names[i]))
			return &elems[i];
	return NULL;
}
