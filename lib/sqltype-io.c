/*
 * sqltype-io: the text and binary forms, comparison, hashing and length
 * coercion of the scalar types other than numeric (bool, int2/4/8, oid,
 * float4/8, text, varchar, bpchar, name, "char", bytea, uuid), each as
 * PostgreSQL 15's input, output, send and receive functions behave,
 * messages included.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltype-int.h"

/* --- shared helpers --- */

int
dh__sqlisspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *
dh__sqlstr(struct dh_arena *a, const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);
	return dh_arena_strndup(a, s, z ? (size_t)(z - s) : n);
}

int
dh__sqlerr_syntax(struct dh_err *err, const char *type, const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);
	int len = (int)(z ? (size_t)(z - s) : n);
	return dh_err_sql(err, SQLSTATE_SYNTAX, "invalid input syntax for type %s: \"%.*s\"", type,
			  len, s);
}

struct dh_value
dh__v_bool(int b)
{
	struct dh_value v = {.type = DH_T_BOOL};
	v.b = !!b;
	return v;
}

struct dh_value
dh__v_long(int64_t i)
{
	struct dh_value v = {.type = DH_T_LONG};
	v.i = i;
	return v;
}

struct dh_value
dh__v_double(double d)
{
	struct dh_value v = {.type = DH_T_DOUBLE};
	v.d = d;
	return v;
}

struct dh_value
dh__v_string(const char *p, size_t n)
{
	struct dh_value v = {.type = DH_T_STRING};
	v.s.p = p;
	v.s.n = n;
	return v;
}

static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
dh__hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h ^ n);
}

uint64_t
dh__hash_double(double d)
{
	uint64_t u;
	if (isnan(d))
		return 0x7ff8dead7ff8beefULL;
	if (d == 0)
		d = 0; /* -0 hashes as 0 */
	memcpy(&u, &d, sizeof(u));
	return mix64(u ^ 0x9e3779b97f4a7c15ULL);
}

/* --- UTF-8 --- */

static int
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

/* characters in s[0..n) */
static size_t
mb_strlen(const char *s, size_t n)
{
	size_t i = 0, c = 0;
	while (i < n) {
		i += (size_t)utf8_len((unsigned char)s[i]);
		c++;
	}
	return c;
}

/* bytes of the first `chars` characters of s[0..n) */
static size_t
mb_charclip(const char *s, size_t n, size_t chars)
{
	size_t i = 0, c = 0;
	while (i < n && c < chars) {
		size_t l = (size_t)utf8_len((unsigned char)s[i]);
		if (i + l > n)
			break;
		i += l;
		c++;
	}
	return i;
}

/* at most `bytes` bytes of s[0..n) at a character boundary */
static size_t
mb_byteclip(const char *s, size_t n, size_t bytes)
{
	size_t i = 0;
	while (i < n) {
		size_t l = (size_t)utf8_len((unsigned char)s[i]);
		if (i + l > bytes)
			break;
		i += l;
	}
	return i;
}

/* PostgreSQL's pg_verify_mbstr for UTF8: 0 or 22021 with its message. */
static int
utf8_verify(const unsigned char *s, size_t n, struct dh_err *err)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t l = 1;
		int ok = 1;
		if (c == 0) {
			ok = 0;
		} else if (c >= 0x80) {
			l = (size_t)utf8_len(c);
			if (l == 1 || i + l > n) {
				ok = 0;
			} else {
				unsigned char c1 = s[i + 1];
				switch (c) {
				case 0xe0:
					ok = c1 >= 0xa0 && c1 <= 0xbf;
					break;
				case 0xed:
					ok = c1 >= 0x80 && c1 <= 0x9f;
					break;
				case 0xf0:
					ok = c1 >= 0x90 && c1 <= 0xbf;
					break;
				case 0xf4:
					ok = c1 >= 0x80 && c1 <= 0x8f;
					break;
				default:
					ok = (c >= 0xc2 && c <= 0xf4) && c1 >= 0x80 && c1 <= 0xbf;
				}
				for (size_t k = 2; ok && k < l; k++)
					ok = s[i + k] >= 0x80 && s[i + k] <= 0xbf;
			}
		}
		if (!ok) {
			char buf[8 * 5 + 1];
			size_t jl = (size_t)utf8_len(c), p = 0;
			if (jl > n - i)
				jl = n - i;
			if (jl > 8)
				jl = 8;
			for (size_t j = 0; j < jl; j++)
				p += (size_t)snprintf(buf + p, sizeof(buf) - p,
						      j ? " 0x%02x" : "0x%02x", s[i + j]);
			return dh_err_sql(err, SQLSTATE_ENCODING,
					  "invalid byte sequence for encoding \"UTF8\": %s", buf);
		}
		i += l;
	}
	return 0;
}

int
dh_sqltype_utf8_verify(const void *s, size_t n, struct dh_err *err)
{
	return utf8_verify(s, n, err);
}

/* --- binary helpers --- */

static int
recv_exact(size_t n, size_t want, struct dh_err *err)
{
	if (n < want)
		return dh_err_sql(err, SQLSTATE_PROTOCOL, "insufficient data left in message");
	if (n > want)
		return dh_err_sql(err, SQLSTATE_BINARY, "incorrect binary data format");
	return 0;
}

static int
send_be(struct dh_buf *b, uint64_t v, int bytes)
{
	unsigned char p[8];
	for (int i = bytes - 1; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
	return dh_buf_add(b, p, (size_t)bytes);
}

static uint64_t
get_be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

static int
cmp3(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* --- bool --- */

static int
strncase_eq(const char *s, const char *word, size_t n)
{
	/* pg_strncasecmp(s, word, n) == 0 */
	for (size_t i = 0; i < n; i++) {
		int a = tolower((unsigned char)s[i]), b = (unsigned char)word[i];
		if (a != b)
			return 0;
		if (a == 0)
			break;
	}
	return 1;
}

static int
parse_bool(const char *v, size_t len, int *out)
{
	switch (*v) {
	case 't':
	case 'T':
		if (strncase_eq(v, "true", len))
			return *out = 1, 1;
		break;
	case 'f':
	case 'F':
		if (strncase_eq(v, "false", len))
			return *out = 0, 1;
		break;
	case 'y':
	case 'Y':
		if (strncase_eq(v, "yes", len))
			return *out = 1, 1;
		break;
	case 'n':
	case 'N':
		if (strncase_eq(v, "no", len))
			return *out = 0, 1;
		break;
	case 'o':
	case 'O':
		if (strncase_eq(v, "on", len > 2 ? len : 2))
			return *out = 1, 1;
		if (strncase_eq(v, "off", len > 2 ? len : 2))
			return *out = 0, 1;
		break;
	case '1':
		if (len == 1)
			return *out = 1, 1;
		break;
	case '0':
		if (len == 1)
			return *out = 0, 1;
		break;
	default:
		break;
	}
	return 0;
}

static int
bool_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	char *str = dh__sqlstr(a, s, n), *p = str;
	size_t len;
	int b;
	while (dh__sqlisspace((unsigned char)*p))
		p++;
	len = strlen(p);
	while (len > 0 && dh__sqlisspace((unsigned char)p[len - 1]))
		len--;
	if (!parse_bool(p, len, &b))
		return dh__sqlerr_syntax(err, "boolean", s, n);
	*out = dh__v_bool(b);
	return 0;
}

static int
bool_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	return dh_buf_addc(b, v->b ? 't' : 'f');
}

static int
bool_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	return dh_buf_addc(b, v->b ? 1 : 0);
}

static int
bool_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = recv_exact(n, 1, err);
	if (!rc)
		*out = dh__v_bool(p[0] != 0);
	return rc;
}

static int
bool_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	return cmp3(x->b, y->b);
}

static uint64_t
bool_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	return mix64((uint64_t)v->b + 0x51);
}

/* --- integers --- */

static const char *
int_typename(uint32_t oid)
{
	return oid == DH_OID_INT2 ? "smallint" : oid == DH_OID_INT4 ? "integer" : "bigint";
}

static int
int_width(uint32_t oid)
{
	return oid == DH_OID_INT2 ? 2 : oid == DH_OID_INT4 ? 4 : 8;
}

/* PostgreSQL's pg_strtoint16/32/64: accumulate negatively so the most
 * negative value parses; overflow is detected digit by digit (before any
 * trailing junk is seen). */
static int
int_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
       const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *str = dh__sqlstr(a, s, n), *p = str;
	int width = int_width(t->oid), neg = 0;
	int64_t min = width == 2 ? INT16_MIN : width == 4 ? INT32_MIN : INT64_MIN, acc = 0;
	while (*p && dh__sqlisspace((unsigned char)*p))
		p++;
	if (*p == '-') {
		p++;
		neg = 1;
	} else if (*p == '+') {
		p++;
	}
	if (!isdigit((unsigned char)*p))
		goto syntax;
	while (*p && isdigit((unsigned char)*p)) {
		int dg = *p++ - '0';
		if (acc < min / 10 || (acc == min / 10 && -dg < min % 10))
			goto range;
		acc = acc * 10 - dg;
	}
	while (*p && dh__sqlisspace((unsigned char)*p))
		p++;
	if (*p)
		goto syntax;
	if (!neg) {
		if (acc == min)
			goto range;
		acc = -acc;
	}
	*out = dh__v_long(acc);
	return 0;
syntax:
	return dh__sqlerr_syntax(err, int_typename(t->oid), s, n);
range:
	return dh_err_sql(err, SQLSTATE_RANGE, "value \"%s\" is out of range for type %s", str,
			  int_typename(t->oid));
}

static int
int_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	struct dh_buf *b)
{
	/* digits by hand: printf's machinery was a tenth of printing a
	 * join's rows */
	char d[24], *q = d + sizeof(d);
	uint64_t u = v->i < 0 ? 0 - (uint64_t)v->i : (uint64_t)v->i;
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v->i < 0)
		*--q = '-';
	return dh_buf_add(b, q, (size_t)(d + sizeof(d) - q));
}

static int
int_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b, struct dh_err *err)
{
	return send_be(b, (uint64_t)v->i, int_width(t->oid));
}

static int
int_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	 struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int w = int_width(t->oid);
	int rc = recv_exact(n, (size_t)w, err);
	if (rc)
		return rc;
	uint64_t u = get_be(p, w);
	if (w == 2)
		*out = dh__v_long((int16_t)u);
	else if (w == 4)
		*out = dh__v_long((int32_t)u);
	else
		*out = dh__v_long((int64_t)u);
	return 0;
}

static int
int_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	return cmp3(x->i, y->i);
}

static uint64_t
num_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	switch (v->type) {
	case DH_T_LONG:
		return dh__hash_double((double)v->i);
	case DH_T_DOUBLE:
		return dh__hash_double(v->d);
	case DH_T_BIGDEC:
		return dh__hash_double(dh_sqlnum_to_double(v, NULL));
	default:
		return 0;
	}
}

/* --- oid --- */

static int
oid_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
       const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *str = dh__sqlstr(a, s, n);
	char *end;
	unsigned long cvt;
	uint32_t r;
	if (*str == '\0')
		return dh__sqlerr_syntax(err, "oid", s, n);
	errno = 0;
	cvt = strtoul(str, &end, 10);
	if (errno && errno != ERANGE && errno != EINVAL)
		return dh__sqlerr_syntax(err, "oid", s, n);
	if (end == str && *str != '\0')
		return dh__sqlerr_syntax(err, "oid", s, n);
	if (errno == ERANGE)
		goto range;
	while (*end && dh__sqlisspace((unsigned char)*end))
		end++;
	if (*end)
		return dh__sqlerr_syntax(err, "oid", s, n);
	r = (uint32_t)cvt;
	if (cvt != (unsigned long)r && cvt != (unsigned long)(long)(int32_t)r)
		goto range;
	*out = dh__v_long(r);
	return 0;
range:
	return dh_err_sql(err, SQLSTATE_RANGE, "value \"%s\" is out of range for type oid", str);
}

static int
oid_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	struct dh_buf *b)
{
	return dh_buf_printf(b, "%" PRIu32, (uint32_t)v->i);
}

static int
oid_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b, struct dh_err *err)
{
	return send_be(b, (uint32_t)v->i, 4);
}

static int
oid_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	 struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = recv_exact(n, 4, err);
	if (!rc)
		*out = dh__v_long((uint32_t)get_be(p, 4));
	return rc;
}

/* --- reg* (regclass, regtype, ...) without a catalog ---
 * PostgreSQL reads and prints these as names found in the system catalogs.
 * Here, without a catalog, only what needs none: a numeric OID, and "-"
 * for 0.  The SQL layer overrides these ops through the hooks with
 * lookups in its catalog. */

static int
reg_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
       const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *str = dh__sqlstr(a, s, n);
	if (strcmp(str, "-") == 0) {
		*out = dh__v_long(0);
		return 0;
	}
	if (str[0] >= '0' && str[0] <= '9' && strspn(str, "0123456789") == strlen(str))
		return oid_in(t, s, n, typmod, env, a, out, err);
	if (env && env->cat) {
		uint32_t oid;
		int rc = env->cat->in(env->cat->ctx, t->oid, str, &oid, err);
		if (rc <= 0) {
			if (rc == 0)
				*out = dh__v_long(oid);
			return rc;
		}
	}
	if (t->oid == DH_OID_REGTYPE) {
		/* regtypein: a type name as SQL writes it, modifiers ignored */
		uint32_t oid;
		int32_t tm;
		int rc = dh_sqltype_parse_text(str, strlen(str), &oid, &tm, err);
		if (rc == 0)
			*out = dh__v_long(oid);
		return rc;
	}
	return dh_err_sql(err, SQLSTATE_NOTSUP, "looking up %s names is not supported here",
			  t->typname);
}

static int
reg_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	struct dh_buf *b)
{
	if (v->i == 0)
		return dh_buf_addc(b, '-');
	if (env && env->cat && env->cat->out(env->cat->ctx, t->oid, (uint32_t)v->i, b) == 0)
		return 0;
	if (t->oid == DH_OID_REGTYPE && dh_sqltype_by_oid((uint32_t)v->i))
		return dh_sqltype_format((uint32_t)v->i, -1, 0, b); /* format_type_be */
	return oid_out(t, v, env, b);
}

/* --- int2vector, oidvector: the catalogs' key lists, "1 3" --- */

static int
vector_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	  const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *str = dh__sqlstr(a, s, n), *p = str;
	size_t cnt = 0, cap = 8;
	struct dh_value *items = dh_arena_alloc(a, cap * sizeof(*items));
	for (;;) {
		while (*p && dh__sqlisspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && !dh__sqlisspace((unsigned char)*q))
			q++;
		struct dh_value x;
		int rc = t->oid == DH_OID_INT2VECTOR
			     ? dh_sqltype_in(DH_OID_INT2, -1, p, (size_t)(q - p), env, a, &x, err)
			     : oid_in(t, p, (size_t)(q - p), -1, env, a, &x, err);
		if (rc)
			return rc;
		if (cnt == cap) {
			struct dh_value *ni = dh_arena_alloc(a, 2 * cap * sizeof(*ni));
			memcpy(ni, items, cnt * sizeof(*ni));
			items = ni;
			cap *= 2;
		}
		items[cnt++] = x;
		p = q;
	}
	struct dh_coll *c = dh_arena_alloc(a, sizeof(*c));
	c->kind = DH_COLL_VECTOR;
	c->n = cnt;
	c->items = items;
	*out = (struct dh_value){.type = DH_T_COLL, .coll = c};
	return 0;
}

static int
vector_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	   struct dh_buf *b)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && v->type == DH_T_COLL && i < v->coll->n; i++)
		rc = dh_buf_printf(b, i ? " %" PRId64 : "%" PRId64,
				   t->oid == DH_OID_OIDVECTOR ? (int64_t)(uint32_t)v->coll->items[i].i
							       : v->coll->items[i].i);
	return rc;
}

static int
vector_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	size_t nx = x->coll->n, ny = y->coll->n;
	for (size_t i = 0; i < nx && i < ny; i++) {
		int64_t a = x->coll->items[i].i, b = y->coll->items[i].i;
		if (a != b)
			return a < b ? -1 : 1;
	}
	return nx < ny ? -1 : nx > ny;
}

static uint64_t
vector_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < v->coll->n; i++)
		h = (h ^ (uint64_t)v->coll->items[i].i) * 1099511628211ULL;
	return h;
}

/* --- floats --- */

/* Is the decimal m * 10^e exactly the long double x?  (strtold may round a
 * nearby decimal onto x; the exact expansion of x settles it.) */
static int
exactly(uint64_t m, int e, long double x)
{
	char buf[48], ex[128], *p;
	uint64_t m2 = 0;
	int e2, nd = 0;
	snprintf(buf, sizeof(buf), "%" PRIu64 "e%d", m, e);
	if (strtold(buf, NULL) != x)
		return 0;
	snprintf(ex, sizeof(ex), "%.80Le", x);
	for (p = ex; *p && *p != 'e'; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (nd < 19) {
			m2 = m2 * 10 + (uint64_t)(*p - '0');
			nd++;
		} else if (*p != '0') {
			return 0;
		}
	}
	e2 = atoi(p + 1) - (nd - 1);
	while (m2 && m2 % 10 == 0) {
		m2 /= 10;
		e2++;
	}
	while (m && m % 10 == 0) {
		m /= 10;
		e++;
	}
	return m == m2 && e == e2;
}

/* A candidate decimal m * 10^e: does it read back as the double (float)
 * d, from strictly inside d's rounding interval?  PostgreSQL's Ryu is built
 * without STRICTLY_SHORTEST, so a decimal exactly on the boundary between d
 * and its neighbor does not count even when it would read back as d. */
static int
roundtrips(uint64_t m, int e, double d, int is_float4)
{
	char buf[48];
	long double lo, hi;
	snprintf(buf, sizeof(buf), "%" PRIu64 "e%d", m, e);
	if (is_float4) {
		float f = (float)d;
		if (strtof(buf, NULL) != f)
			return 0;
		lo = ((long double)f + (long double)nextafterf(f, 0.0f)) / 2;
		hi = ((long double)f + (long double)nextafterf(f, INFINITY)) / 2;
	} else {
		if (strtod(buf, NULL) != d)
			return 0;
		lo = ((long double)d + (long double)nextafter(d, 0.0)) / 2;
		hi = ((long double)d + (long double)nextafter(d, INFINITY)) / 2;
	}
	return !exactly(m, e, lo) && !exactly(m, e, hi);
}

/* The p-digit decimal nearest to d that reads back as d, if there is one:
 * the correctly rounded one, or, when that falls just outside d's rounding
 * interval, its neighbor on the other side of d. */
static int
candidate(double d, int is_float4, int p, uint64_t *mo, int *eo)
{
	char buf[48], b2[48];
	uint64_t m = 0, m2;
	int e;
	double cv;
	snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
	for (char *q = buf; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			m = m * 10 + (uint64_t)(*q - '0');
	e = atoi(strchr(buf, 'e') + 1) - (p - 1);
	*mo = m;
	*eo = e;
	if (roundtrips(m, e, d, is_float4))
		return 1;
	snprintf(b2, sizeof(b2), "%" PRIu64 "e%d", m, e);
	cv = is_float4 ? (double)strtof(b2, NULL) : strtod(b2, NULL);
	m2 = cv > d ? m - 1 : m + 1;
	if (m2 > 0 && roundtrips(m2, e, d, is_float4)) {
		*mo = m2;
		return 1;
	}
	return 0;
}

/* The shortest decimal that reads back as d (d finite, > 0), choosing the
 * one nearest to d among those of that length: what Ryu (PostgreSQL's
 * double_to_shortest_decimal) produces.  Sets *m and *e: d ~ m * 10^e,
 * m without trailing zeros.  A length that works makes every longer one
 * work, so the shortest is found by bisection. */
static void
shortest(double d, int is_float4, uint64_t *mo, int *eo)
{
	int lo = 1, hi = is_float4 ? 9 : 17;
	uint64_t m;
	int e;
	if (!candidate(d, is_float4, hi, &m, &e)) {
		/* not seen: 17 (9) digits always identify a double (float) */
		candidate(d, is_float4, hi, &m, &e);
	} else {
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			uint64_t mm;
			int me;
			if (candidate(d, is_float4, mid, &mm, &me)) {
				hi = mid;
				m = mm;
				e = me;
			} else {
				lo = mid + 1;
			}
		}
	}
	while (m % 10 == 0 && m) {
		m /= 10;
		e++;
	}
	*mo = m;
	*eo = e;
}

int
dh__float_out(double d, int is_float4, int efd, struct dh_buf *b)
{
	char digits[24];
	uint64_t m;
	int e, olength, nexp, rc = 0;
	if (isnan(d))
		return dh_buf_adds(b, "NaN");
	if (isinf(d))
		return dh_buf_adds(b, d > 0 ? "Infinity" : "-Infinity");
	if (efd <= 0) {
		int ndig = (is_float4 ? FLT_DIG : DBL_DIG) + efd;
		if (ndig < 1)
			ndig = 1;
		return dh_buf_printf(b, "%.*g", ndig, is_float4 ? (double)(float)d : d);
	}
	if (d == 0)
		return dh_buf_adds(b, signbit(d) ? "-0" : "0");
	if (d < 0) {
		rc = dh_buf_addc(b, '-');
		d = -d;
	}
	shortest(d, is_float4, &m, &e);
	olength = snprintf(digits, sizeof(digits), "%" PRIu64, m);
	nexp = e + olength;
	if (-4 < nexp && nexp <= (is_float4 ? 6 : 15)) {
		if (nexp <= 0) {
			rc |= dh_buf_adds(b, "0.");
			for (int i = 0; i < -nexp; i++)
				rc |= dh_buf_addc(b, '0');
			rc |= dh_buf_add(b, digits, (size_t)olength);
		} else if (nexp < olength) {
			rc |= dh_buf_add(b, digits, (size_t)nexp);
			rc |= dh_buf_addc(b, '.');
			rc |= dh_buf_add(b, digits + nexp, (size_t)(olength - nexp));
		} else {
			rc |= dh_buf_add(b, digits, (size_t)olength);
			for (int i = olength; i < nexp; i++)
				rc |= dh_buf_addc(b, '0');
		}
	} else {
		int x = nexp - 1;
		rc |= dh_buf_addc(b, digits[0]);
		if (olength > 1) {
			rc |= dh_buf_addc(b, '.');
			rc |= dh_buf_add(b, digits + 1, (size_t)(olength - 1));
		}
		rc |= dh_buf_printf(b, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
	}
	return rc ? DH_ETOOLONG : 0;
}

static int
special_float(const char *num, double *val, const char **end)
{
	static const struct {
		const char *s;
		double v;
	} words[] = {
	    {"nan", NAN},
	    {"infinity", INFINITY},
	    {"+infinity", INFINITY},
	    {"-infinity", -INFINITY},
	    {"inf", INFINITY},
	    {"+inf", INFINITY},
	    {"-inf", -INFINITY},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(words); i++) {
		size_t l = strlen(words[i].s);
		if (strncase_eq(num, words[i].s, l)) {
			*val = words[i].v;
			*end = num + l;
			return 1;
		}
	}
	return 0;
}

/* PostgreSQL's float8in_internal / float4in */
static int
float_in_common(const char *orig, int is_float4, double *out, struct dh_err *err)
{
	const char *num = orig, *endc;
	const char *tname = is_float4 ? "real" : "double precision";
	char *endptr;
	double val;
	while (*num && dh__sqlisspace((unsigned char)*num))
		num++;
	if (*num == '\0')
		goto syntax;
	errno = 0;
	if (is_float4)
		val = strtof(num, &endptr);
	else
		val = strtod(num, &endptr);
	endc = endptr;
	if (endptr == num || errno != 0) {
		int save = errno;
		if (special_float(num, &val, &endc)) {
			/* ok */
		} else if (save == ERANGE) {
			if (val == 0.0 || isinf(val)) {
				if (is_float4)
					return dh_err_sql(err, SQLSTATE_RANGE,
							  "\"%s\" is out of range for type real",
							  orig);
				return dh_err_sql(
				    err, SQLSTATE_RANGE,
				    "\"%.*s\" is out of range for type double precision",
				    (int)(endptr - num), num);
			}
		} else {
			goto syntax;
		}
	}
	while (*endc && dh__sqlisspace((unsigned char)*endc))
		endc++;
	if (*endc)
		goto syntax;
	*out = val;
	return 0;
syntax:
	return dh_err_sql(err, SQLSTATE_SYNTAX, "invalid input syntax for type %s: \"%s\"", tname,
			  orig);
}

int
dh__float8_in(const char *s, double *out, struct dh_err *err)
{
	return float_in_common(s, 0, out, err);
}

int
dh__float4_in(const char *s, double *out, struct dh_err *err)
{
	return float_in_common(s, 1, out, err);
}

static int
float_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	 const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	double d;
	int rc = float_in_common(dh__sqlstr(a, s, n), t->oid == DH_OID_FLOAT4, &d, err);
	if (!rc)
		*out = dh__v_double(d);
	return rc;
}

static int
float_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	  struct dh_buf *b)
{
	return dh__float_out(v->d, t->oid == DH_OID_FLOAT4, env ? env->extra_float_digits : 1, b);
}

static int
float_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	   struct dh_err *err)
{
	if (t->oid == DH_OID_FLOAT4) {
		float f = (float)v->d;
		uint32_t u;
		memcpy(&u, &f, 4);
		return send_be(b, u, 4);
	} else {
		uint64_t u;
		memcpy(&u, &v->d, 8);
		return send_be(b, u, 8);
	}
}

static int
float_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	   struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int w = t->oid == DH_OID_FLOAT4 ? 4 : 8, rc = recv_exact(n, (size_t)w, err);
	if (rc)
		return rc;
	if (w == 4) {
		uint32_t u = (uint32_t)get_be(p, 4);
		float f;
		memcpy(&f, &u, 4);
		*out = dh__v_double(f);
	} else {
		uint64_t u = get_be(p, 8);
		double d;
		memcpy(&d, &u, 8);
		*out = dh__v_double(d);
	}
	return 0;
}

static int
float_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	double a = x->d, b = y->d;
	if (isnan(a))
		return isnan(b) ? 0 : 1;
	if (isnan(b))
		return -1;
	return a < b ? -1 : a > b;
}

/* --- numeric (sqlnum.c) --- */

static int
numeric_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	   const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out,
	   struct dh_err *err)
{
	return dh__num_in(s, n, typmod, a, out, err);
}

static int
numeric_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	    struct dh_buf *b)
{
	return dh__num_out(v, b);
}

static int
numeric_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	     struct dh_err *err)
{
	return dh__num_send(v, b, err);
}

static int
numeric_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	     struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	return dh__num_recv(p, n, typmod, a, out, err);
}

static int
numeric_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	return dh__num_cmp(x, y);
}

static int
numeric_coerce(const struct dh_sqltype *t, const struct dh_value *v, int32_t typmod, int explicit_,
	       struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	return dh__num_coerce(v, typmod, a, out, err);
}

/* --- text, varchar, bpchar, name --- */

static int
str_dup(struct dh_arena *a, const char *p, size_t n, struct dh_value *out)
{
	*out = dh__v_string(dh_arena_strndup(a, p, n), n);
	return 0;
}

static int
varchar_limit(const char *p, size_t n, int32_t typmod, int explicit_, size_t *len,
	      struct dh_err *err)
{
	size_t maxlen, clip;
	*len = n;
	if (typmod < 4)
		return 0;
	maxlen = (size_t)(typmod - 4);
	if (n <= maxlen)
		return 0;
	clip = mb_charclip(p, n, maxlen);
	if (!explicit_)
		for (size_t i = clip; i < n; i++)
			if (p[i] != ' ')
				return dh_err_sql(err, SQLSTATE_TOOLONG,
						  "value too long for type character varying(%d)",
						  (int)maxlen);
	*len = clip;
	return 0;
}

/* bpchar(x, typmod, explicit): clip (blanks only unless explicit) and pad */
static int
bpchar_fit(const char *p, size_t n, int32_t typmod, int explicit_, struct dh_arena *a,
	   struct dh_value *out, struct dh_err *err)
{
	size_t maxlen, charlen, len = n, bytes;
	char *r;
	if (typmod < 4)
		return str_dup(a, p, n, out);
	maxlen = (size_t)(typmod - 4);
	charlen = mb_strlen(p, n);
	if (charlen == maxlen)
		return str_dup(a, p, n, out);
	if (charlen > maxlen) {
		size_t clip = mb_charclip(p, n, maxlen);
		if (!explicit_)
			for (size_t i = clip; i < n; i++)
				if (p[i] != ' ')
					return dh_err_sql(err, SQLSTATE_TOOLONG,
							  "value too long for type character(%d)",
							  (int)maxlen);
		len = clip;
		bytes = len;
	} else {
		bytes = len + (maxlen - charlen);
	}
	r = dh_arena_alloc(a, bytes + 1);
	memcpy(r, p, len);
	memset(r + len, ' ', bytes - len);
	r[bytes] = '\0';
	*out = dh__v_string(r, bytes);
	return 0;
}

static int
text_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *z = memchr(s, '\0', n);
	size_t len;
	int rc;
	if (z)
		n = (size_t)(z - s);
	/* PostgreSQL checks the encoding of every string it receives before an
	 * input function sees it; so do we, where the characters matter */
	if ((rc = utf8_verify((const unsigned char *)s, n, err)))
		return rc;
	switch (t->oid) {
	case DH_OID_VARCHAR:
		/* varchar_input: only blanks may be cut */
		if ((rc = varchar_limit(s, n, typmod, 0, &len, err)))
			return rc;
		return str_dup(a, s, len, out);
	case DH_OID_BPCHAR:
		return bpchar_fit(s, n, typmod, 0, a, out, err);
	case DH_OID_NAME:
		if (n >= 64)
			n = mb_byteclip(s, n, 63);
		return str_dup(a, s, n, out);
	default:
		return str_dup(a, s, n, out);
	}
}

static int
text_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	return dh_buf_add(b, v->s.p, v->s.n);
}

static int
text_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	return dh_buf_add(b, v->s.p, v->s.n);
}

static int
text_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = utf8_verify(p, n, err);
	if (rc)
		return rc;
	if (t->oid == DH_OID_NAME && n >= 64) {
		dh_err_sql(err, "42622", "identifier too long");
		dh_err_detail(err, "Identifier must be less than %d characters.", 64);
		return DH_ESQL;
	}
	return text_in(t, (const char *)p, n, typmod, NULL, a, out, err);
}

static size_t
bpchar_truelen(const struct dh_value *v)
{
	size_t n = v->s.n;
	while (n > 0 && v->s.p[n - 1] == ' ')
		n--;
	return n;
}

static int
bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

static int
text_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	if (t->oid == DH_OID_BPCHAR)
		return bytes_cmp(x->s.p, bpchar_truelen(x), y->s.p, bpchar_truelen(y));
	return bytes_cmp(x->s.p, x->s.n, y->s.p, y->s.n);
}

static uint64_t
text_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	size_t n = t->oid == DH_OID_BPCHAR ? bpchar_truelen(v) : v->s.n;
	return dh__hash_bytes(v->s.p, n, 0x7e47);
}

static int
text_coerce(const struct dh_sqltype *t, const struct dh_value *v, int32_t typmod, int explicit_,
	    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	size_t len;
	int rc;
	if (t->oid == DH_OID_BPCHAR)
		return bpchar_fit(v->s.p, v->s.n, typmod, explicit_, a, out, err);
	if (t->oid == DH_OID_VARCHAR) {
		if ((rc = varchar_limit(v->s.p, v->s.n, typmod, explicit_, &len, err)))
			return rc;
		return str_dup(a, v->s.p, len, out);
	}
	*out = *v;
	return 0;
}

/* --- "char" --- */

static int
char_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *str = dh__sqlstr(a, s, n);
	size_t len = strlen(str);
#define ISOCT(c) ((c) >= '0' && (c) <= '7')
	if (len == 4 && str[0] == '\\' && ISOCT(str[1]) && ISOCT(str[2]) && ISOCT(str[3])) {
		char *r = dh_arena_alloc(a, 2);
		r[0] = (char)(((str[1] - '0') << 6) + ((str[2] - '0') << 3) + (str[3] - '0'));
		r[1] = '\0';
		*out = dh__v_string(r, r[0] ? 1 : 0);
		return 0;
	}
#undef ISOCT
	*out = dh__v_string(str, len ? 1 : 0);
	return 0;
}

static int
char_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	unsigned char c = v->s.n ? (unsigned char)v->s.p[0] : 0;
	if (c == 0)
		return 0;
	if (c & 0x80)
		return dh_buf_printf(b, "\\%03o", c);
	return dh_buf_addc(b, c);
}

static int
char_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	return dh_buf_addc(b, v->s.n ? (unsigned char)v->s.p[0] : 0);
}

static int
char_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = recv_exact(n, 1, err);
	if (!rc) {
		char *r = dh_arena_alloc(a, 2);
		r[0] = (char)p[0];
		r[1] = '\0';
		*out = dh__v_string(r, p[0] ? 1 : 0);
	}
	return rc;
}

static int
char_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	/* "char" compares as an unsigned byte; empty is 0 */
	int a = x->s.n ? (unsigned char)x->s.p[0] : 0, b = y->s.n ? (unsigned char)y->s.p[0] : 0;
	return cmp3(a, b);
}

/* --- bytea --- */

static int
bytea_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	 const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *str = dh__sqlstr(a, s, n);
	size_t len = strlen(str), o = 0;
	unsigned char *r;
	if (str[0] == '\\' && str[1] == 'x') {
		const char *p = str + 2, *end = str + len;
		r = dh_arena_alloc(a, (len - 2) / 2 + 1);
		while (p < end) {
			int v1, v2;
			if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
				p++;
				continue;
			}
			if ((v1 = dh_hexval((unsigned char)*p)) < 0)
				goto badhex;
			p++;
			if (p >= end)
				return dh_err_sql(err, SQLSTATE_PARAM,
						  "invalid hexadecimal data: odd number of digits");
			if ((v2 = dh_hexval((unsigned char)*p)) < 0)
				goto badhex;
			p++;
			r[o++] = (unsigned char)(v1 << 4 | v2);
			continue;
		badhex:
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "invalid hexadecimal digit: \"%.*s\"",
					  utf8_len((unsigned char)*p), p);
		}
	} else {
		const char *p = str;
		r = dh_arena_alloc(a, len + 1);
		while (*p) {
			if (p[0] != '\\') {
				r[o++] = (unsigned char)*p++;
			} else if (p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
				   p[3] >= '0' && p[3] <= '7') {
				r[o++] = (unsigned char)(((p[1] - '0') << 6) + ((p[2] - '0') << 3) +
							 (p[3] - '0'));
				p += 4;
			} else if (p[1] == '\\') {
				r[o++] = '\\';
				p += 2;
			} else {
				return dh_err_sql(err, SQLSTATE_SYNTAX,
						  "invalid input syntax for type bytea");
			}
		}
	}
	out->type = DH_T_BYTES;
	out->s.p = (const char *)r;
	out->s.n = o;
	return 0;
}

static int
bytea_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	  struct dh_buf *b)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)v->s.p;
	int rc = 0;
	if (env && env->bytea_output_escape) {
		for (size_t i = 0; i < v->s.n; i++) {
			if (p[i] == '\\')
				rc |= dh_buf_adds(b, "\\\\");
			else if (p[i] < 0x20 || p[i] > 0x7e)
				rc |= dh_buf_printf(b, "\\%03o", p[i]);
			else
				rc |= dh_buf_addc(b, p[i]);
		}
		return rc ? DH_ETOOLONG : 0;
	}
	rc = dh_buf_adds(b, "\\x");
	for (size_t i = 0; i < v->s.n && !rc; i++) {
		char two[2] = {hex[p[i] >> 4], hex[p[i] & 15]};
		rc = dh_buf_add(b, two, 2);
	}
	return rc;
}

static int
bytea_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	   struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	char *r = dh_arena_alloc(a, n + 1);
	memcpy(r, p, n);
	r[n] = '\0';
	out->type = DH_T_BYTES;
	out->s.p = r;
	out->s.n = n;
	return 0;
}

static int
bytea_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	return bytes_cmp(x->s.p, x->s.n, y->s.p, y->s.n);
}

static uint64_t
bytes_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	return dh__hash_bytes(v->s.p, v->s.n, t->oid);
}

/* --- uuid --- */

static int
uuid_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const char *src = dh__sqlstr(a, s, n);
	int braces = 0;
	out->type = DH_T_UUID;
	if (src[0] == '{') {
		src++;
		braces = 1;
	}
	for (int i = 0; i < 16; i++) {
		int h, l;
		if (src[0] == '\0' || src[1] == '\0')
			goto syntax;
		if ((h = dh_hexval((unsigned char)src[0])) < 0 ||
		    (l = dh_hexval((unsigned char)src[1])) < 0)
			goto syntax;
		out->uuid[i] = (unsigned char)(h << 4 | l);
		src += 2;
		if (src[0] == '-' && (i % 2) == 1 && i < 15)
			src++;
	}
	if (braces) {
		if (*src != '}')
			goto syntax;
		src++;
	}
	if (*src != '\0')
		goto syntax;
	return 0;
syntax:
	return dh__sqlerr_syntax(err, "uuid", s, n);
}

static int
uuid_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	char buf[DH_UUID_STRLEN];
	dh_uuid_format(v->uuid, buf);
	return dh_buf_adds(b, buf);
}

static int
uuid_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	return dh_buf_add(b, v->uuid, 16);
}

static int
uuid_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	int rc = recv_exact(n, 16, err);
	if (!rc) {
		out->type = DH_T_UUID;
		memcpy(out->uuid, p, 16);
	}
	return rc;
}

static int
uuid_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	int c = memcmp(x->uuid, y->uuid, 16);
	return c < 0 ? -1 : c > 0;
}

static uint64_t
uuid_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	return dh__hash_bytes(v->uuid, 16, 0x0dd);
}

/* --- the ops table --- */

static const struct dh_sqltype_ops bool_ops = {
    bool_in, bool_out, bool_send, bool_recv, bool_cmp, bool_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops int_ops = {
    int_in, int_out, int_send, int_recv, int_cmp, num_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops oid_ops = {
    oid_in, oid_out, oid_send, oid_recv, int_cmp, num_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops reg_ops = {
    reg_in, reg_out, oid_send, oid_recv, int_cmp, num_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops float_ops = {
    float_in, float_out, float_send, float_recv, float_cmp, num_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops numeric_ops = {
    numeric_in, numeric_out,	numeric_send, numeric_recv, numeric_cmp,
    num_hash,	numeric_coerce, NULL,	      NULL,
};
static const struct dh_sqltype_ops text_ops = {
    text_in, text_out, text_send, text_recv, text_cmp, text_hash, text_coerce, NULL, NULL,
};
/* aclitem: printed as stored (the catalogs hold PostgreSQL's text);
 * no input: dh has no GRANT */
static const struct dh_sqltype_ops aclitem_ops = {
    NULL, text_out, NULL, NULL, text_cmp, text_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops vector_ops = {
    vector_in, vector_out, NULL, NULL, vector_cmp, vector_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops char_ops = {
    char_in, char_out, char_send, char_recv, char_cmp, bytes_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops bytea_ops = {
    bytea_in, bytea_out, text_send, bytea_recv, bytea_cmp, bytes_hash, NULL, NULL, NULL,
};
static const struct dh_sqltype_ops uuid_ops = {
    uuid_in, uuid_out, uuid_send, uuid_recv, uuid_cmp, uuid_hash, NULL, NULL, NULL,
};

const struct dh_sqltype_ops *
dh__sqltype_own_ops(uint32_t oid)
{
	switch (oid) {
	case DH_OID_BOOL:
		return &bool_ops;
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
		return &int_ops;
	case DH_OID_OID:
	case DH_OID_XID: /* unsigned 32 bits, as oid (the catalogs' relfrozenxid) */
	case DH_OID_CID:
		return &oid_ops;
	case DH_OID_REGPROC:
	case DH_OID_REGPROCEDURE:
	case DH_OID_REGOPER:
	case DH_OID_REGOPERATOR:
	case DH_OID_REGCLASS:
	case DH_OID_REGTYPE:
	case DH_OID_REGCONFIG:
	case DH_OID_REGNAMESPACE:
	case DH_OID_REGROLE:
	case DH_OID_REGCOLLATION:
		return &reg_ops;
	case DH_OID_FLOAT4:
	case DH_OID_FLOAT8:
		return &float_ops;
	case DH_OID_NUMERIC:
		return &numeric_ops;
	case DH_OID_TEXT:
	case DH_OID_VARCHAR:
	case DH_OID_BPCHAR:
	case DH_OID_NAME:
	case DH_OID_UNKNOWN: /* an untyped literal reads and prints as itself */
	case DH_OID_VOID:    /* setseed()'s result: an empty string */
		return &text_ops;
	case DH_OID_CHAR:
		return &char_ops;
	case DH_OID_INT2VECTOR:
	case DH_OID_OIDVECTOR:
		return &vector_ops;
	case DH_OID_ACLITEM:
		return &aclitem_ops;
	case DH_OID_BYTEA:
		return &bytea_ops;
	case DH_OID_UUID:
		return &uuid_ops;
	default:
		return NULL;
	}
}
