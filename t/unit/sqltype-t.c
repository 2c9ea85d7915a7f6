/*
 * sqltype-t: unit tests of lib/sqltype (the PostgreSQL types).  The
 * expectations here were checked by hand against PostgreSQL 15; the
 * systematic comparison with a live PostgreSQL is t/helper/sqltype-pg
 * (t4100).  This file covers what that test cannot see: hashing, the
 * btree order, NULL strictness, the hooks, the API's edges.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime.h"
#include "sqltype.h"
#include "tap.h"

static struct dh_arena arena;
static struct dh_err err;

static struct dh_value
in(uint32_t oid, int32_t typmod, const char *s)
{
	struct dh_value v = {.type = DH_T_NONE};
	memset(&err, 0, sizeof(err));
	if (dh_sqltype_in(oid, typmod, s, strlen(s), NULL, &arena, &v, &err))
		v.type = DH_T_NONE;
	return v;
}

static const char *
out(uint32_t oid, const struct dh_value *v)
{
	struct dh_buf b;
	char *s;
	dh_buf_init(&b, 0);
	dh_sqltype_out(oid, v, NULL, &b);
	s = dh_arena_strdup(&arena, (const char *)b.p);
	dh_buf_release(&b);
	return s;
}

/* in then out */
static const char *
io(uint32_t oid, int32_t typmod, const char *s)
{
	struct dh_value v = in(oid, typmod, s);
	if (v.type == DH_T_NONE)
		return dh_arena_printf(&arena, "ERROR %s %s", err.sqlstate, err.message);
	return out(oid, &v);
}

static const char *
fmt(const char *type)
{
	uint32_t oid;
	int32_t tm;
	struct dh_buf b;
	char *s;
	memset(&err, 0, sizeof(err));
	if (dh_sqltype_parse_text(type, strlen(type), &oid, &tm, &err))
		return dh_arena_printf(&arena, "ERROR %s %s", err.sqlstate, err.message);
	dh_buf_init(&b, 0);
	dh_sqltype_format(oid, tm, 1, &b);
	s = dh_arena_printf(&arena, "%u %d %s", oid, (int)tm, (const char *)b.p);
	dh_buf_release(&b);
	return s;
}

/* name(args...) on values given as text of the proc's argument types */
static const char *
call(const char *name, int nargs, const uint32_t *types, const char *const *args)
{
	const struct dh_sqlproc *p = dh_sqlproc_find(name, nargs, types);
	struct dh_value argv[4], r;
	struct dh_sqlcall c = {&arena, &err, NULL, nargs, types, 0};
	if (!p)
		return "no such function";
	for (int i = 0; i < nargs; i++)
		argv[i] = in(types[i], -1, args[i]);
	memset(&err, 0, sizeof(err));
	if (dh_sqlfn_call(p->fn, &c, argv, &r))
		return dh_arena_printf(&arena, "ERROR %s %s", err.sqlstate, err.message);
	if (r.type == DH_T_NONE)
		return "NULL";
	return out(p->result, &r);
}

static const char *
binop(const char *op, uint32_t l, const char *a, uint32_t r, const char *b)
{
	const struct dh_sqlop *o = dh_sqlop_find(op, l, r);
	struct dh_value argv[2], res;
	uint32_t types[2] = {l, r};
	struct dh_sqlcall c = {&arena, &err, NULL, 2, types, 0};
	if (!o)
		return "no such operator";
	argv[0] = in(l, -1, a);
	argv[1] = in(r, -1, b);
	memset(&err, 0, sizeof(err));
	if (dh_sqlfn_call(o->fn, &c, argv, &res))
		return dh_arena_printf(&arena, "ERROR %s %s", err.sqlstate, err.message);
	return out(o->result, &res);
}

static void
test_catalog(void)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(DH_OID_INT4), *u;
	int arrays_ok = 1, n = 0;
	ok(t && strcmp(t->typname, "int4") == 0 && strcmp(t->sqlname, "integer") == 0 &&
	       t->typlen == 4 && t->category == 'N' && t->array == DH_OID_INT4_ARRAY &&
	       t->rep == DH_T_LONG,
	   "int4's row");
	ok(dh_sqltype_by_oid(12345) == NULL, "an unknown OID has no row");
	for (size_t i = 0; (u = dh_sqltype_at(i)); i++, n++) {
		const struct dh_sqltype *a = u->array ? dh_sqltype_by_oid(u->array) : NULL;
		if (u->array && (!a || a->elem != u->oid))
			arrays_ok = 0;
	}
	ok(n > 100, "the catalog lists %d types", n);
	ok(arrays_ok, "every array type names its element type");
	t = dh_sqltype_by_oid(DH_OID_FLOAT8);
	ok(t->preferred && t->category == 'N', "float8 is the preferred numeric type");
	t = dh_sqltype_by_oid(DH_OID_TEXT);
	ok(t->preferred && t->category == 'S', "text is the preferred string type");
	t = dh_sqltype_by_oid(DH_OID_TIMESTAMPTZ);
	ok(t && t->rep == DH_T_INSTANT && t->typmod_kind != DH_TYPMOD_NONE,
	   "timestamptz is in the catalog with its typmod");
	ok(dh_sqltype_ops_of(dh_sqltype_by_oid(DH_OID_NUMERIC)) != NULL, "numeric has ops here");
	ok(dh_sqltype_ops_of(dh_sqltype_by_oid(DH_OID_DATE)) != NULL,
	   "date's ops come from the hooks");
	ok(dh_sqltype_ops_of(dh_sqltype_by_oid(DH_OID_TIMETZ)) != NULL,
	   "timetz's ops come from the hooks");
	ok(dh_sqltype_ops_of(dh_sqltype_by_oid(DH_OID_BIT)) == NULL, "bit has no ops yet");
}

static void
test_names(void)
{
	is_str(fmt("varchar(20)"), "1043 24 character varying(20)", "varchar(20)");
	is_str(fmt("CHARACTER VARYING ( 3 )"), "1043 7 character varying(3)", "case and blanks");
	is_str(fmt("numeric(10,2)"), "1700 655366 numeric(10,2)", "numeric(10,2) typmod");
	is_str(fmt("decimal(5)"), "1700 327684 numeric(5,0)", "decimal(5) is numeric(5,0)");
	is_str(fmt("numeric(3,-2)"), "1700 198658 numeric(3,-2)", "negative scale");
	is_str(fmt("char"), "1042 5 character(1)", "char is character(1)");
	is_str(fmt("bpchar"), "1042 -1 bpchar", "bpchar has no length");
	is_str(fmt("\"char\""), "18 -1 \"char\"", "quoted \"char\" is the one-byte type");
	is_str(fmt("double precision"), "701 -1 double precision", "double precision");
	is_str(fmt("float(24)"), "700 -1 real", "float(24) is real");
	is_str(fmt("float(25)"), "701 -1 double precision", "float(25) is double");
	is_str(fmt("int[]"), "1007 -1 integer[]", "int[]");
	is_str(fmt("varchar(5)[]"), "1015 9 character varying(5)[]", "varchar(5)[]");
	is_str(fmt("timestamp(3) with time zone"), "1184 3 timestamp(3) with time zone",
	       "timestamp(3) with time zone");
	is_str(fmt("interval day to second(2)"), "1186 470286338 interval day to second(2)",
	       "interval day to second(2)");
	is_str(fmt("varchar(0)"), "ERROR 22023 length for type varchar must be at least 1",
	       "varchar(0)");
	is_str(fmt("numeric(1001)"),
	       "ERROR 22023 NUMERIC precision 1001 must be between 1 and 1000", "numeric(1001)");
	is_str(fmt("int4(3)"), "ERROR 42601 type modifier is not allowed for type \"int4\"",
	       "int4(3)");
	is_str(fmt("nosuch"), "ERROR 42704 type \"nosuch\" does not exist", "unknown type");
	is_int(dh_sqltype_typmod_numeric(10, 2), 655366, "numeric typmod encoding");
	is_int(dh_sqltype_typmod_length(20), 24, "length typmod encoding");
}

static void
test_io(void)
{
	is_str(io(DH_OID_INT4, -1, " -17 "), "-17", "int4 with blanks");
	is_str(io(DH_OID_INT4, -1, "abc"),
	       "ERROR 22P02 invalid input syntax for type integer: \"abc\"", "int4 syntax error");
	is_str(io(DH_OID_INT4, -1, "99999999999"),
	       "ERROR 22003 value \"99999999999\" is out of range for type integer",
	       "int4 out of range");
	is_str(io(DH_OID_INT2, -1, "-32768"), "-32768", "int2 minimum");
	is_str(io(DH_OID_INT8, -1, "-9223372036854775808"), "-9223372036854775808", "int8 minimum");
	is_str(io(DH_OID_NUMERIC, -1, "1.50"), "1.50", "numeric keeps its scale");
	is_str(io(DH_OID_NUMERIC, -1, "1.5e3"), "1500", "numeric exponent");
	is_str(io(DH_OID_NUMERIC, -1, "-0.00"), "0.00", "numeric has no negative zero");
	is_str(io(DH_OID_NUMERIC, dh_sqltype_typmod_numeric(4, 2), "1.235"), "1.24",
	       "numeric(4,2) rounds half away from zero");
	is_str(io(DH_OID_NUMERIC, dh_sqltype_typmod_numeric(4, 2), "123.4"),
	       "ERROR 22003 numeric field overflow", "numeric(4,2) overflow");
	ok(strcmp(err.detail, "A field with precision 4, scale 2 must round to an absolute "
			      "value less than 10^2.") == 0,
	   "numeric field overflow detail");
	is_str(io(DH_OID_NUMERIC, -1, " -inf "), "-Infinity", "numeric -inf");
	is_str(io(DH_OID_FLOAT8, -1, "0.1"), "0.1", "float8 0.1");
	is_str(io(DH_OID_FLOAT8, -1, "1e100"), "1e+100", "float8 1e+100");
	is_str(io(DH_OID_FLOAT8, -1, "1.2345678901234567e-05"), "1.2345678901234568e-05",
	       "float8 shortest exact");
	is_str(io(DH_OID_FLOAT8, -1, "123456789012345"), "123456789012345", "float8 15 digits");
	is_str(io(DH_OID_FLOAT8, -1, "-0"), "-0", "float8 -0");
	is_str(io(DH_OID_FLOAT4, -1, "1.5e10"), "1.5000001e+10",
	       "float4: no decimal on an interval bound");
	is_str(io(DH_OID_FLOAT4, -1, "1e40"), "ERROR 22003 \"1e40\" is out of range for type real",
	       "float4 overflow");
	is_str(io(DH_OID_BOOL, -1, " of "), "f", "bool 'of'");
	is_str(io(DH_OID_BOOL, -1, "o"), "ERROR 22P02 invalid input syntax for type boolean: \"o\"",
	       "bool 'o' is ambiguous");
	is_str(io(DH_OID_BYTEA, -1, "\\x DE ad"), "\\xdead", "bytea hex with blanks");
	is_str(io(DH_OID_BYTEA, -1, "a\\\\b\\001"), "\\x615c6201", "bytea escape format");
	is_str(io(DH_OID_BYTEA, -1, "\\x1"),
	       "ERROR 22023 invalid hexadecimal data: odd number of digits", "bytea odd digits");
	is_str(io(DH_OID_UUID, -1, "{A0EEBC999C0B4EF8BB6D6BB9BD380A11}"),
	       "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "uuid in braces without hyphens");
	is_str(io(DH_OID_BPCHAR, 9, "ab"), "ab   ", "char(5) pads");
	is_str(io(DH_OID_BPCHAR, 7, "abc   "), "abc", "char(3) cuts blanks");
	is_str(io(DH_OID_VARCHAR, 7, "abcd"),
	       "ERROR 22001 value too long for type character varying(3)", "varchar(3) too long");
	is_str(io(DH_OID_NAME, -1,
		  "0123456789012345678901234567890123456789012345678901234567890123456789"),
	       "012345678901234567890123456789012345678901234567890123456789012",
	       "name cuts at 63 bytes");
	is_str(io(DH_OID_OID, -1, "-1"), "4294967295", "oid -1");
	is_str(io(DH_OID_BPCHAR, 7, "\xdd"),
	       "ERROR 22021 invalid byte sequence for encoding \"UTF8\": 0xdd",
	       "string input checks UTF-8");
	is_str(io(DH_OID_TIMETZ, -1, "10:00+02"), "10:00:00+02", "timetz keeps its zone");
	is_str(io(DH_OID_TIMETZ, 0, "10:00:00.6-05:30"), "10:00:01-05:30",
	       "timetz(0) rounds, keeps minutes of the zone");
	is_str(io(DH_OID_BIT, -1, "101"), "ERROR 0A000 input of type bit is not supported",
	       "bit needs its module");
}

static void
test_binary(void)
{
	static const struct {
		uint32_t oid;
		const char *text, *hex;
	} cases[] = {
	    {DH_OID_INT2, "-2", "fffe"},
	    {DH_OID_INT4, "258", "00000102"},
	    {DH_OID_INT8, "-1", "ffffffffffffffff"},
	    {DH_OID_FLOAT8, "1.5", "3ff8000000000000"},
	    {DH_OID_FLOAT4, "1.5", "3fc00000"},
	    {DH_OID_BOOL, "t", "01"},
	    {DH_OID_NUMERIC, "-12345.678", "0003000140000003000109291a7c"},
	    {DH_OID_NUMERIC, "0.00", "0000000000000002"},
	    {DH_OID_NUMERIC, "NaN", "00000000c0000000"},
	    {DH_OID_TEXT, "hé", "68c3a9"},
	    {DH_OID_BYTEA, "\\x00ff", "00ff"},
	    {DH_OID_UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	     "a0eebc999c0b4ef8bb6d6bb9bd380a11"},
	    {DH_OID_OID, "4294967295", "ffffffff"},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(cases); i++) {
		struct dh_value v = in(cases[i].oid, -1, cases[i].text), back;
		struct dh_buf b;
		char hex[128] = "";
		int rc;
		dh_buf_init(&b, 0);
		dh_sqltype_send(cases[i].oid, &v, &b, &err);
		for (size_t k = 0; k < b.len && 2 * k + 2 < sizeof(hex); k++)
			snprintf(hex + 2 * k, 3, "%02x", b.p[k]);
		is_str(hex, cases[i].hex, "send %s", cases[i].text);
		rc = dh_sqltype_recv(cases[i].oid, -1, b.p, b.len, &arena, &back, &err);
		ok(rc == 0 && strcmp(out(cases[i].oid, &back), cases[i].text) == 0, "recv %s",
		   cases[i].text);
		dh_buf_release(&b);
	}
	{
		unsigned char two[2] = {0, 1};
		struct dh_value v;
		memset(&err, 0, sizeof(err));
		ok(dh_sqltype_recv(DH_OID_INT4, -1, two, 2, &arena, &v, &err) == DH_ESQL &&
		       strcmp(err.sqlstate, "08P01") == 0,
		   "int4 from 2 bytes: insufficient data");
		memset(&err, 0, sizeof(err));
		unsigned char bad[2] = {0xc3, 0x28};
		ok(dh_sqltype_recv(DH_OID_TEXT, -1, bad, 2, &arena, &v, &err) == DH_ESQL &&
		       strcmp(err.message,
			      "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28") == 0,
		   "text recv checks UTF-8");
	}
}

static void
test_order_and_hash(void)
{
	struct dh_value i1 = in(DH_OID_INT4, -1, "1"), l1 = in(DH_OID_INT8, -1, "1"),
			n1 = in(DH_OID_NUMERIC, -1, "1.00"), n1b = in(DH_OID_NUMERIC, -1, "1"),
			f1 = in(DH_OID_FLOAT8, -1, "1"), r1 = in(DH_OID_FLOAT4, -1, "1");
	struct dh_value fnan = in(DH_OID_FLOAT8, -1, "NaN"), nnan = in(DH_OID_NUMERIC, -1, "NaN"),
			finf = in(DH_OID_FLOAT8, -1, "Infinity"),
			ninf = in(DH_OID_NUMERIC, -1, "Infinity"), fz = in(DH_OID_FLOAT8, -1, "0"),
			fnz = in(DH_OID_FLOAT8, -1, "-0");
	struct dh_value none = {.type = DH_T_NONE};
	uint64_t h = dh_sqltype_hash(DH_OID_INT4, &i1);
	ok(h == dh_sqltype_hash(DH_OID_INT8, &l1) && h == dh_sqltype_hash(DH_OID_NUMERIC, &n1) &&
	       h == dh_sqltype_hash(DH_OID_NUMERIC, &n1b) &&
	       h == dh_sqltype_hash(DH_OID_FLOAT8, &f1) && h == dh_sqltype_hash(DH_OID_FLOAT4, &r1),
	   "1 hashes alike as int4, int8, numeric 1.00 and 1, float8, float4");
	ok(dh_sqltype_hash(DH_OID_FLOAT8, &fnan) == dh_sqltype_hash(DH_OID_NUMERIC, &nnan),
	   "NaN hashes alike as float8 and numeric");
	ok(dh_sqltype_hash(DH_OID_FLOAT8, &finf) == dh_sqltype_hash(DH_OID_NUMERIC, &ninf),
	   "Infinity hashes alike as float8 and numeric");
	ok(dh_sqltype_hash(DH_OID_FLOAT8, &fz) == dh_sqltype_hash(DH_OID_FLOAT8, &fnz),
	   "-0 and 0 hash alike");
	ok(dh_sqltype_hash(DH_OID_INT4, &i1) != dh_sqltype_hash(DH_OID_INT4, &fz) ||
	       fz.type != i1.type,
	   "different values hash apart");
	{
		struct dh_value a = in(DH_OID_BPCHAR, 7, "a"), t = in(DH_OID_TEXT, -1, "a"),
				t2 = in(DH_OID_TEXT, -1, "a ");
		ok(dh_sqltype_hash(DH_OID_BPCHAR, &a) == dh_sqltype_hash(DH_OID_TEXT, &t),
		   "'a'::char(3) hashes as 'a'::text");
		ok(dh_sqltype_hash(DH_OID_TEXT, &t) != dh_sqltype_hash(DH_OID_TEXT, &t2),
		   "text keeps its trailing blank");
		ok(dh_sqltype_cmp(DH_OID_BPCHAR, &a,
				  &(struct dh_value){.type = DH_T_STRING, .s = {"a", 1}}) == 0,
		   "bpchar compares without trailing blanks");
	}
	ok(dh_sqltype_cmp(DH_OID_NUMERIC, &n1, &n1b) == 0, "1.00 = 1");
	ok(dh_sqltype_cmp(DH_OID_NUMERIC, &nnan, &ninf) > 0, "numeric NaN > Infinity");
	ok(dh_sqltype_cmp(DH_OID_FLOAT8, &fnan, &finf) > 0, "float NaN > Infinity");
	ok(dh_sqltype_cmp(DH_OID_FLOAT8, &fnan, &fnan) == 0, "float NaN = NaN");
	ok(dh_sqltype_cmp(DH_OID_FLOAT8, &fz, &fnz) == 0, "float -0 = 0");
	ok(dh_sqltype_cmp(DH_OID_INT4, &none, &i1) > 0 &&
	       dh_sqltype_cmp(DH_OID_INT4, &i1, &none) < 0,
	   "NULL sorts last");
	{
		struct dh_value a = in(DH_OID_TEXT, -1, "B"), b = in(DH_OID_TEXT, -1, "a"),
				c = in(DH_OID_TEXT, -1, "\xc3\xa9");
		ok(dh_sqltype_cmp(DH_OID_TEXT, &a, &b) < 0 &&
		       dh_sqltype_cmp(DH_OID_TEXT, &b, &c) < 0,
		   "text in C collation: B < a < e-acute");
	}
}

static void
test_casts(void)
{
	struct dh_sqlcast c;
	struct dh_value v = in(DH_OID_NUMERIC, -1, "2.5"), r;
	ok(dh_sqlcast_find(DH_OID_INT4, DH_OID_INT8, &c) && c.context == DH_CAST_IMPLICIT &&
	       c.method == DH_CAST_FUNCTION,
	   "int4 -> int8 is implicit");
	ok(dh_sqlcast_find(DH_OID_INT8, DH_OID_INT4, &c) && c.context == DH_CAST_ASSIGNMENT,
	   "int8 -> int4 is assignment");
	ok(dh_sqlcast_find(DH_OID_INT4, DH_OID_TEXT, &c) && c.context == DH_CAST_ASSIGNMENT &&
	       c.method == DH_CAST_INOUT,
	   "int4 -> text is an assignment I/O cast");
	ok(dh_sqlcast_find(DH_OID_TEXT, DH_OID_INT4, &c) && c.context == DH_CAST_EXPLICIT &&
	       c.method == DH_CAST_INOUT,
	   "text -> int4 is an explicit I/O cast");
	ok(dh_sqlcast_find(DH_OID_VARCHAR, DH_OID_TEXT, &c) && c.method == DH_CAST_BINARY,
	   "varchar -> text is binary");
	ok(!dh_sqlcast_find(DH_OID_BYTEA, DH_OID_INT4, &c), "bytea -> int4: none");
	ok(dh_sqlcast_value(DH_OID_NUMERIC, -1, DH_OID_INT4, -1, 1, &v, NULL, &arena, &r, &err) ==
		   0 &&
	       r.i == 3,
	   "2.5::numeric::int4 is 3 (half away from zero)");
	v = in(DH_OID_FLOAT8, -1, "2.5");
	ok(dh_sqlcast_value(DH_OID_FLOAT8, -1, DH_OID_INT4, -1, 1, &v, NULL, &arena, &r, &err) ==
		   0 &&
	       r.i == 2,
	   "2.5::float8::int4 is 2 (half to even)");
	v = in(DH_OID_TEXT, -1, "abcd");
	ok(dh_sqlcast_value(DH_OID_TEXT, -1, DH_OID_VARCHAR, 7, 1, &v, NULL, &arena, &r, &err) ==
		   0 &&
	       r.s.n == 3,
	   "explicit cast to varchar(3) truncates");
	memset(&err, 0, sizeof(err));
	ok(dh_sqlcast_value(DH_OID_TEXT, -1, DH_OID_VARCHAR, 7, 0, &v, NULL, &arena, &r, &err) ==
		   DH_ESQL &&
	       strcmp(err.sqlstate, "22001") == 0,
	   "assignment to varchar(3) fails");
	memset(&err, 0, sizeof(err));
	ok(dh_sqlcast_value(DH_OID_BYTEA, -1, DH_OID_INT4, -1, 1, &v, NULL, &arena, &r, &err) ==
		   DH_ESQL &&
	       strcmp(err.message, "cannot cast type bytea to integer") == 0,
	   "no cast: 42846 cannot cast type bytea to integer");
	v = in(DH_OID_BOOL, -1, "t");
	ok(dh_sqlcast_value(DH_OID_BOOL, -1, DH_OID_TEXT, -1, 1, &v, NULL, &arena, &r, &err) == 0 &&
	       r.s.n == 4 && memcmp(r.s.p, "true", 4) == 0,
	   "true::text is 'true'");
	v.type = DH_T_NONE;
	ok(dh_sqlcast_value(DH_OID_BOOL, -1, DH_OID_TEXT, -1, 1, &v, NULL, &arena, &r, &err) == 0 &&
	       r.type == DH_T_NONE,
	   "NULL casts to NULL");
}

static int
never(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	abort();
}

static void
test_functions(void)
{
	static const uint32_t nn[] = {DH_OID_NUMERIC, DH_OID_NUMERIC};
	static const uint32_t ni[] = {DH_OID_NUMERIC, DH_OID_INT4};
	static const uint32_t n1[] = {DH_OID_NUMERIC};
	static const uint32_t d1[] = {DH_OID_FLOAT8};
	const struct dh_sqlop *o = NULL;
	int plus = 0;
	struct dh_value args[2] = {{.type = DH_T_NONE}, {.type = DH_T_LONG}}, r;
	struct dh_sqlcall c = {&arena, &err, NULL, 2, NULL, 0};

	while ((o = dh_sqlop_next("+", o)))
		plus++;
	ok(plus > 15, "%d operators named +", plus);
	o = dh_sqlop_find("+", DH_OID_INT2, DH_OID_INT8);
	ok(o && o->result == DH_OID_INT8 && strcmp(o->proname, "int28pl") == 0, "int2 + int8");
	ok(dh_sqlop_find("-", 0, DH_OID_NUMERIC) != NULL, "prefix - numeric");
	ok(dh_sqlfn_call(never, &c, args, &r) == 0 && r.type == DH_T_NONE,
	   "strict: a NULL argument gives NULL without a call");
	is_str(binop("/", DH_OID_NUMERIC, "1", DH_OID_NUMERIC, "3"), "0.33333333333333333333",
	       "1/3: 20 digits (select_div_scale)");
	is_str(binop("*", DH_OID_NUMERIC, "1.50", DH_OID_NUMERIC, "2.0"), "3.000",
	       "product scale is the sum");
	is_str(binop("+", DH_OID_INT4, "2147483647", DH_OID_INT4, "1"),
	       "ERROR 22003 integer out of range", "int4 overflow");
	is_str(binop("/", DH_OID_INT8, "-9223372036854775808", DH_OID_INT8, "-1"),
	       "ERROR 22003 bigint out of range", "INT64_MIN / -1");
	is_str(binop("/", DH_OID_INT2, "1", DH_OID_INT2, "0"), "ERROR 22012 division by zero",
	       "int2 division by zero");
	is_str(binop("*", DH_OID_FLOAT8, "1e308", DH_OID_FLOAT8, "10"),
	       "ERROR 22003 value out of range: overflow", "float8 overflow");
	is_str(binop("<<", DH_OID_INT4, "1", DH_OID_INT4, "33"), "2", "shift count modulo 32");
	is_str(binop("||", DH_OID_TEXT, "ab", DH_OID_TEXT, "c"), "abc", "text || text");
	is_str(binop("^", DH_OID_NUMERIC, "2", DH_OID_NUMERIC, "100"),
	       "1267650600228229401496703205376.0000000000000000", "2^100 with scale 16");
	is_str(call("round", 2, ni, (const char *[]){"2.345", "2"}), "2.35", "round(2.345, 2)");
	is_str(call("round", 2, ni, (const char *[]){"1234.5", "-2"}), "1200", "round(1234.5, -2)");
	is_str(call("sqrt", 1, n1, (const char *[]){"2"}), "1.414213562373095", "sqrt(2)");
	is_str(call("exp", 1, n1, (const char *[]){"1"}), "2.7182818284590452", "exp(1)");
	is_str(call("ln", 1, n1, (const char *[]){"10"}), "2.3025850929940457", "ln(10)");
	is_str(call("log", 2, nn, (const char *[]){"2", "1024"}), "10.0000000000000000",
	       "log(2, 1024)");
	is_str(call("mod", 2, nn, (const char *[]){"-7.5", "2"}), "-1.5", "mod(-7.5, 2)");
	is_str(call("scale", 1, n1, (const char *[]){"NaN"}), "NULL", "scale(NaN) is NULL");
	is_str(call("sqrt", 1, d1, (const char *[]){"-1"}),
	       "ERROR 2201F cannot take square root of a negative number", "sqrt(-1)");
	is_str(call("ln", 1, n1, (const char *[]){"0"}),
	       "ERROR 2201E cannot take logarithm of zero", "ln(0)");
	ok(dh_sqlproc_find("round", 2, ni) &&
	       dh_sqlproc_find("round", 2, ni)->result == DH_OID_NUMERIC,
	   "round(numeric, integer) returns numeric");
	ok(dh_sqlproc_find("round", 1, (const uint32_t[]){DH_OID_TEXT}) == NULL, "no round(text)");
}

static void
test_settings(void)
{
	struct dh_sqlenv env = DH_SQLENV_INIT;
	struct dh_value v = in(DH_OID_FLOAT8, -1, "0.1"), b = in(DH_OID_BYTEA, -1, "\\x5c01");
	struct dh_buf buf;
	env.extra_float_digits = 0;
	v.d = 1.0 / 3;
	dh_buf_init(&buf, 0);
	dh_sqltype_out(DH_OID_FLOAT8, &v, &env, &buf);
	is_str((const char *)buf.p, "0.333333333333333", "extra_float_digits 0: 15 digits");
	dh_buf_reset(&buf);
	env.bytea_output_escape = 1;
	dh_sqltype_out(DH_OID_BYTEA, &b, &env, &buf);
	is_str((const char *)buf.p, "\\\\\\001", "bytea_output escape");
	dh_buf_release(&buf);
}

/* date/time through the catalog without a session, and what the session's
 * settings change (t4100 always runs with settings) */
static void
test_datetime(void)
{
	struct dh_sqltime_settings set;
	struct dh_sqltime_tz *tz = NULL;
	struct dh_sqlenv env = DH_SQLENV_INIT;
	struct dh_value a, b, r, argv[2];
	uint32_t types[2] = {DH_OID_DATE, DH_OID_TIMESTAMPTZ};
	struct dh_sqlcall call = {&arena, &err, NULL, 2, types, DH_OID_BOOL};
	const struct dh_sqlop *op;
	struct dh_sqlcast c;
	struct dh_buf buf;
	int64_t before = dh_now_us();

	is_str(io(DH_OID_TIMESTAMPTZ, -1, "2020-06-01 12:00+02"), "2020-06-01 10:00:00+00",
	       "no env: timestamptz in UTC");
	is_str(io(DH_OID_DATE, -1, "1/2/2020"), "2020-01-02", "no env: DateStyle ISO, MDY");
	is_str(io(DH_OID_INTERVAL, -1, "P1Y2M"), "1 year 2 mons", "no env: IntervalStyle postgres");
	a = in(DH_OID_TIMESTAMPTZ, -1, "now");
	ok(a.type == DH_T_INSTANT && a.i >= before && a.i <= dh_now_us() + 1000000,
	   "no env: 'now' reads the clock");
	a = in(DH_OID_INTERVAL, -1, "1 mon");
	b = in(DH_OID_INTERVAL, -1, "30 days");
	ok(dh_sqltype_cmp(DH_OID_INTERVAL, &a, &b) == 0 &&
	       dh_sqltype_hash(DH_OID_INTERVAL, &a) == dh_sqltype_hash(DH_OID_INTERVAL, &b),
	   "'1 mon' = '30 days', hashed alike");
	ok(dh_sqlcast_find(DH_OID_DATE, DH_OID_TEXT, &c) && c.method == DH_CAST_INOUT &&
	       c.context == DH_CAST_ASSIGNMENT,
	   "date -> text is an assignment I/O cast");
	ok(dh_sqlcast_find(DH_OID_TIMESTAMPTZ, DH_OID_TIMESTAMP, &c) &&
	       c.method == DH_CAST_FUNCTION && c.context == DH_CAST_ASSIGNMENT,
	   "timestamptz -> timestamp is an assignment cast function");
	ok(dh_sqlproc_find("make_interval", 7,
			   (const uint32_t[]){DH_OID_INT4, DH_OID_INT4, DH_OID_INT4, DH_OID_INT4,
					      DH_OID_INT4, DH_OID_INT4, DH_OID_FLOAT8}) != NULL,
	   "a function of 7 arguments");

	/* date = timestamptz depends on the session's zone */
	dh_sqltime_settings_init(&set);
	memset(&err, 0, sizeof(err));
	ok(dh_sqltime_tz_load("Asia/Tokyo", &tz, &err) == 0, "load Asia/Tokyo");
	set.tz = tz;
	op = dh_sqlop_find("=", DH_OID_DATE, DH_OID_TIMESTAMPTZ);
	argv[0] = in(DH_OID_DATE, -1, "2020-06-01");
	argv[1] = in(DH_OID_TIMESTAMPTZ, -1, "2020-05-31 15:00+00");
	ok(op && dh_sqlfn_call(op->fn, &call, argv, &r) == 0 && r.type == DH_T_BOOL && !r.b,
	   "date = timestamptz, no env: UTC midnight");
	env.time = &set;
	call.env = &env;
	ok(op && dh_sqlfn_call(op->fn, &call, argv, &r) == 0 && r.type == DH_T_BOOL && r.b,
	   "date = timestamptz in Asia/Tokyo: Tokyo midnight");
	dh_buf_init(&buf, 0);
	dh_sqltype_out(DH_OID_TIMESTAMPTZ, &argv[1], &env, &buf);
	is_str((const char *)buf.p, "2020-06-01 00:00:00+09",
	       "timestamptz out in the session zone");
	dh_buf_release(&buf);
	dh_sqltime_tz_free(tz);
}

/* arrays and json through the catalog: what t4100 cannot see */
static void
test_arrays_json(void)
{
	struct dh_value a, b, r, argv[2];
	uint32_t types[2] = {DH_OID_INT4_ARRAY, DH_OID_INT4};
	struct dh_sqlcall call = {&arena, &err, NULL, 2, types, DH_OID_INT4_ARRAY};
	const struct dh_sqlop *op;
	const struct dh_sqlproc *p;
	struct dh_sqlcast c;

	is_str(io(DH_OID_INT4_ARRAY, -1, "{1,NULL,3}"), "{1,NULL,3}", "int4[] round trip");
	is_str(io(DH_OID_DATE_ARRAY, -1, "{2020-01-02}"), "{2020-01-02}",
	       "date[] without a session");
	is_str(io(DH_OID_TIMETZ_ARRAY, -1, "{10:00+02}"), "{10:00:00+02}", "timetz[] round trip");
	is_str(io(DH_OID_BIT_ARRAY, -1, "{1}"), "ERROR 0A000 input of type bit is not supported",
	       "an array of a type without ops");
	ok(dh_sqltype_ops_of(dh_sqltype_by_oid(DH_OID_INT2VECTOR)) !=
	       dh_sqltype_ops_of(dh_sqltype_by_oid(DH_OID_INT2_ARRAY)),
	   "int2vector is not an array type here");
	is_str(io(DH_OID_INT2VECTOR, -1, " 1  3 "), "1 3", "int2vector's text form: blank-separated");
	is_str(io(DH_OID_OIDVECTOR, -1, "4294967295 0"), "4294967295 0", "oidvector's text form");
	a = in(DH_OID_NUMERIC_ARRAY, -1, "{1.0,2}");
	b = in(DH_OID_NUMERIC_ARRAY, -1, "{1,2.00}");
	ok(dh_sqltype_cmp(DH_OID_NUMERIC_ARRAY, &a, &b) == 0 &&
	       dh_sqltype_hash(DH_OID_NUMERIC_ARRAY, &a) ==
		   dh_sqltype_hash(DH_OID_NUMERIC_ARRAY, &b),
	   "{1.0,2} = {1,2.00}, hashed alike");
	a = in(DH_OID_JSONB, -1, "{\"a\": 1.0}");
	b = in(DH_OID_JSONB, -1, "{\"a\": 1}");
	ok(dh_sqltype_cmp(DH_OID_JSONB, &a, &b) == 0 &&
	       dh_sqltype_hash(DH_OID_JSONB, &a) == dh_sqltype_hash(DH_OID_JSONB, &b),
	   "jsonb 1.0 = 1, hashed alike");
	ok(dh_sqlcast_find(DH_OID_INT4_ARRAY, DH_OID_TEXT_ARRAY, &c) &&
	       c.context == DH_CAST_ASSIGNMENT && c.method == DH_CAST_FUNCTION,
	   "int4[] -> text[]: the element cast's context");
	ok(dh_sqlcast_find(DH_OID_INT4_ARRAY, DH_OID_INT8_ARRAY, &c) &&
	       c.context == DH_CAST_IMPLICIT,
	   "int4[] -> int8[] is implicit");
	ok(!dh_sqlcast_find(DH_OID_INT4_ARRAY, DH_OID_UUID_ARRAY, &c), "int4[] -> uuid[]: none");

	/* a non-strict operator takes its NULL argument */
	op = dh_sqlop_find("||", DH_OID_ANYCOMPATIBLEARRAY, DH_OID_ANYCOMPATIBLE);
	ok(op && op->nonstrict, "array || element is non-strict");
	argv[0] = in(DH_OID_INT4_ARRAY, -1, "{1}");
	argv[1] = (struct dh_value){.type = DH_T_NONE};
	ok(op && op->fn(&call, argv, &r) == 0 && r.type == DH_T_COLL, "{1} || NULL");
	is_str(out(DH_OID_INT4_ARRAY, &r), "{1,NULL}", "{1} || NULL is {1,NULL}");
	/* polymorphic functions need the argument types */
	call.argtypes = NULL;
	memset(&err, 0, sizeof(err));
	op = dh_sqlop_find("=", DH_OID_ANYARRAY, DH_OID_ANYARRAY);
	argv[1] = argv[0];
	ok(op && dh_sqlfn_call(op->fn, &call, argv, &r) == DH_ESQL &&
	       strcmp(err.sqlstate, "42804") == 0,
	   "anyarray = anyarray without argtypes: 42804");
	p = dh_sqlproc_find("jsonb_extract_path", 2,
			    (const uint32_t[]){DH_OID_JSONB, DH_OID_TEXT_ARRAY});
	ok(p && p->variadic == DH_OID_TEXT, "jsonb_extract_path is VARIADIC text[]");
	p = dh_sqlproc_find(
	    "jsonb_set", 4,
	    (const uint32_t[]){DH_OID_JSONB, DH_OID_TEXT_ARRAY, DH_OID_JSONB, DH_OID_BOOL});
	ok(p && p->ndefaults == 1, "jsonb_set's last argument has a default");
}

int
main(void)
{
	dh_arena_init(&arena);
	test_catalog();
	test_names();
	test_io();
	test_binary();
	test_order_and_hash();
	test_casts();
	test_functions();
	test_settings();
	test_datetime();
	test_arrays_json();
	dh_arena_release(&arena);
	return tap_done();
}
