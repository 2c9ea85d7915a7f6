/*
 * sqltype: the type catalog (pg_type's rows for PostgreSQL 15's built-in
 * types), type names as SQL writes them, typmods and format_type, and the
 * dispatch of I/O, comparison, hashing, casts and function calls to the
 * implementations in sqltype-io.c, sqlnum.c, sqltype-ops.c and the hooks.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltype-int.h"

#define TM_TIME DH_TYPMOD_TIME
#define TM_INTERVAL DH_TYPMOD_INTERVAL
#define TM_BIT DH_TYPMOD_BIT

struct row {
	struct dh_sqltype t;
	const char *modname; /* the name format_type prints before a typmod */
	const char *suffix;  /* what follows the typmod: " with time zone" */
};

#define B(oid_, name_, sql_, len_, cat_, pref_, arr_, rep_, tm_)                                   \
	{                                                                                          \
		{oid_, name_, sql_, len_, cat_, pref_, 'b', 0, arr_, rep_, tm_, NULL}, NULL, NULL  \
	}
#define P(oid_, name_, len_, arr_)                                                                 \
	{                                                                                          \
		{oid_, name_, name_, len_, 'P', 0, 'p', 0, arr_, DH_T_NONE, DH_TYPMOD_NONE, NULL}, \
		    NULL, NULL                                                                     \
	}
#define A(oid_, name_, sql_, elem_, tm_)                                                           \
	{                                                                                          \
		{oid_, name_, sql_, -1, 'A', 0, 'b', elem_, 0, DH_T_COLL, tm_, NULL}, NULL, NULL   \
	}
#define BT(oid_, name_, sql_, len_, cat_, pref_, arr_, rep_, tm_, mod_, suf_)                      \
	{                                                                                          \
		{oid_, name_, sql_, len_, cat_, pref_, 'b', 0, arr_, rep_, tm_, NULL}, mod_, suf_  \
	}
#define AT(oid_, name_, sql_, elem_, tm_, mod_, suf_)                                              \
	{                                                                                          \
		{oid_, name_, sql_, -1, 'A', 0, 'b', elem_, 0, DH_T_COLL, tm_, NULL}, mod_, suf_   \
	}

static const struct row rows[] = {
    /* base types */
    B(DH_OID_BOOL, "bool", "boolean", 1, 'B', 1, 1000, DH_T_BOOL, 0),
    B(DH_OID_BYTEA, "bytea", "bytea", -1, 'U', 0, 1001, DH_T_BYTES, 0),
    B(DH_OID_CHAR, "char", "\"char\"", 1, 'Z', 0, 1002, DH_T_STRING, 0),
    B(DH_OID_NAME, "name", "name", 64, 'S', 0, 1003, DH_T_STRING, 0),
    B(DH_OID_INT8, "int8", "bigint", 8, 'N', 0, 1016, DH_T_LONG, 0),
    B(DH_OID_INT2, "int2", "smallint", 2, 'N', 0, 1005, DH_T_LONG, 0),
    {{DH_OID_INT2VECTOR, "int2vector", "int2vector", -1, 'A', 0, 'b', DH_OID_INT2, 1006, DH_T_COLL,
      DH_TYPMOD_NONE, NULL},
     NULL,
     NULL},
    B(DH_OID_INT4, "int4", "integer", 4, 'N', 0, 1007, DH_T_LONG, 0),
    B(DH_OID_REGPROC, "regproc", "regproc", 4, 'N', 0, 1008, DH_T_LONG, 0),
    B(DH_OID_TEXT, "text", "text", -1, 'S', 1, 1009, DH_T_STRING, 0),
    B(DH_OID_OID, "oid", "oid", 4, 'N', 1, 1028, DH_T_LONG, 0),
    B(DH_OID_TID, "tid", "tid", 6, 'U', 0, 1010, DH_T_BYTES, 0),
    B(DH_OID_XID, "xid", "xid", 4, 'U', 0, 1011, DH_T_LONG, 0),
    B(DH_OID_CID, "cid", "cid", 4, 'U', 0, 1012, DH_T_LONG, 0),
    {{DH_OID_OIDVECTOR, "oidvector", "oidvector", -1, 'A', 0, 'b', DH_OID_OID, 1013, DH_T_COLL,
      DH_TYPMOD_NONE, NULL},
     NULL,
     NULL},
    B(DH_OID_JSON, "json", "json", -1, 'U', 0, 199, DH_T_STRING, 0),
    /* the catalogs' expression trees and privileges: named and typed, but
     * without text forms (sqlc-pgcat.c's catalogs hold them; see there) */
    B(DH_OID_PG_NODE_TREE, "pg_node_tree", "pg_node_tree", -1, 'Z', 0, 0, DH_T_STRING, 0),
    B(DH_OID_ACLITEM, "aclitem", "aclitem", 12, 'U', 0, DH_OID_ACLITEM_ARRAY, DH_T_STRING, 0),
    B(DH_OID_XML, "xml", "xml", -1, 'U', 0, 143, DH_T_STRING, 0),
    B(DH_OID_FLOAT4, "float4", "real", 4, 'N', 0, 1021, DH_T_DOUBLE, 0),
    B(DH_OID_FLOAT8, "float8", "double precision", 8, 'N', 1, 1022, DH_T_DOUBLE, 0),
    B(DH_OID_MONEY, "money", "money", 8, 'N', 0, 791, DH_T_LONG, 0),
    B(DH_OID_INET, "inet", "inet", -1, 'I', 1, 1041, DH_T_STRING, 0),
    BT(DH_OID_BPCHAR, "bpchar", "character", -1, 'S', 0, 1014, DH_T_STRING, DH_TYPMOD_LENGTH,
       "character", ""),
    BT(DH_OID_VARCHAR, "varchar", "character varying", -1, 'S', 0, 1015, DH_T_STRING,
       DH_TYPMOD_LENGTH, "character varying", ""),
    B(DH_OID_DATE, "date", "date", 4, 'D', 0, 1182, DH_T_LONG, 0),
    BT(DH_OID_TIME, "time", "time without time zone", 8, 'D', 0, 1183, DH_T_LONG, TM_TIME, "time",
       " without time zone"),
    BT(DH_OID_TIMESTAMP, "timestamp", "timestamp without time zone", 8, 'D', 0, 1115, DH_T_INSTANT,
       TM_TIME, "timestamp", " without time zone"),
    BT(DH_OID_TIMESTAMPTZ, "timestamptz", "timestamp with time zone", 8, 'D', 1, 1185, DH_T_INSTANT,
       TM_TIME, "timestamp", " with time zone"),
    BT(DH_OID_INTERVAL, "interval", "interval", 16, 'T', 1, 1187, DH_T_BYTES, TM_INTERVAL,
       "interval", ""),
    BT(DH_OID_TIMETZ, "timetz", "time with time zone", 12, 'D', 0, 1270, DH_T_BYTES, TM_TIME,
       "time", " with time zone"),
    BT(DH_OID_BIT, "bit", "bit", -1, 'V', 0, 1561, DH_T_BYTES, TM_BIT, "bit", ""),
    BT(DH_OID_VARBIT, "varbit", "bit varying", -1, 'V', 1, 1563, DH_T_BYTES, TM_BIT, "bit varying",
       ""),
    BT(DH_OID_NUMERIC, "numeric", "numeric", -1, 'N', 0, 1231, DH_T_BIGDEC, DH_TYPMOD_NUMERIC,
       "numeric", ""),
    B(DH_OID_REFCURSOR, "refcursor", "refcursor", -1, 'U', 0, 2201, DH_T_STRING, 0),
    B(DH_OID_REGPROCEDURE, "regprocedure", "regprocedure", 4, 'N', 0, 2207, DH_T_LONG, 0),
    B(DH_OID_REGOPER, "regoper", "regoper", 4, 'N', 0, 2208, DH_T_LONG, 0),
    B(DH_OID_REGOPERATOR, "regoperator", "regoperator", 4, 'N', 0, 2209, DH_T_LONG, 0),
    B(DH_OID_REGCLASS, "regclass", "regclass", 4, 'N', 0, 2210, DH_T_LONG, 0),
    B(DH_OID_REGTYPE, "regtype", "regtype", 4, 'N', 0, 2211, DH_T_LONG, 0),
    B(DH_OID_UUID, "uuid", "uuid", 16, 'U', 0, 2951, DH_T_UUID, 0),
    B(DH_OID_PG_LSN, "pg_lsn", "pg_lsn", 8, 'U', 0, 3221, DH_T_LONG, 0),
    B(DH_OID_REGCONFIG, "regconfig", "regconfig", 4, 'N', 0, 3735, DH_T_LONG, 0),
    B(DH_OID_JSONB, "jsonb", "jsonb", -1, 'U', 0, 3807, DH_T_STRING, 0),
    B(DH_OID_JSONPATH, "jsonpath", "jsonpath", -1, 'U', 0, 4073, DH_T_STRING, 0),
    B(DH_OID_REGNAMESPACE, "regnamespace", "regnamespace", 4, 'N', 0, 4090, DH_T_LONG, 0),
    B(DH_OID_REGROLE, "regrole", "regrole", 4, 'N', 0, 4097, DH_T_LONG, 0),
    B(DH_OID_REGCOLLATION, "regcollation", "regcollation", 4, 'N', 0, 4192, DH_T_LONG, 0),
    B(DH_OID_XID8, "xid8", "xid8", 8, 'U', 0, 271, DH_T_LONG, 0),
    /* pseudo-types */
    {{DH_OID_UNKNOWN, "unknown", "unknown", -2, 'X', 0, 'p', 0, 0, DH_T_STRING, DH_TYPMOD_NONE,
      NULL},
     NULL,
     NULL},
    P(DH_OID_RECORD, "record", -1, 2287),
    P(DH_OID_CSTRING, "cstring", -2, 1263),
    {{DH_OID_ANY, "any", "\"any\"", 4, 'P', 0, 'p', 0, 0, DH_T_NONE, DH_TYPMOD_NONE, NULL},
     NULL,
     NULL},
    P(DH_OID_ANYARRAY, "anyarray", -1, 0),
    P(DH_OID_VOID, "void", 4, 0),
    P(DH_OID_TRIGGER, "trigger", 4, 0),
    P(DH_OID_INTERNAL, "internal", 8, 0),
    P(DH_OID_ANYELEMENT, "anyelement", 4, 0),
    P(DH_OID_ANYNONARRAY, "anynonarray", 4, 0),
    P(DH_OID_ANYENUM, "anyenum", 4, 0),
    P(DH_OID_ANYRANGE, "anyrange", -1, 0),
    P(DH_OID_ANYMULTIRANGE, "anymultirange", -1, 0),
    P(DH_OID_ANYCOMPATIBLEMULTIRANGE, "anycompatiblemultirange", -1, 0),
    P(DH_OID_ANYCOMPATIBLE, "anycompatible", 4, 0),
    P(DH_OID_ANYCOMPATIBLEARRAY, "anycompatiblearray", -1, 0),
    P(DH_OID_ANYCOMPATIBLENONARRAY, "anycompatiblenonarray", 4, 0),
    P(DH_OID_ANYCOMPATIBLERANGE, "anycompatiblerange", -1, 0),
    /* array types */
    A(DH_OID_BOOL_ARRAY, "_bool", "boolean[]", DH_OID_BOOL, 0),
    A(DH_OID_BYTEA_ARRAY, "_bytea", "bytea[]", DH_OID_BYTEA, 0),
    A(DH_OID_CHAR_ARRAY, "_char", "\"char\"[]", DH_OID_CHAR, 0),
    A(DH_OID_NAME_ARRAY, "_name", "name[]", DH_OID_NAME, 0),
    A(DH_OID_INT8_ARRAY, "_int8", "bigint[]", DH_OID_INT8, 0),
    A(DH_OID_INT2_ARRAY, "_int2", "smallint[]", DH_OID_INT2, 0),
    A(DH_OID_INT2VECTOR_ARRAY, "_int2vector", "int2vector[]", DH_OID_INT2VECTOR, 0),
    A(DH_OID_INT4_ARRAY, "_int4", "integer[]", DH_OID_INT4, 0),
    A(DH_OID_REGPROC_ARRAY, "_regproc", "regproc[]", DH_OID_REGPROC, 0),
    A(DH_OID_TEXT_ARRAY, "_text", "text[]", DH_OID_TEXT, 0),
    A(DH_OID_OID_ARRAY, "_oid", "oid[]", DH_OID_OID, 0),
    A(DH_OID_TID_ARRAY, "_tid", "tid[]", DH_OID_TID, 0),
    A(DH_OID_XID_ARRAY, "_xid", "xid[]", DH_OID_XID, 0),
    A(DH_OID_CID_ARRAY, "_cid", "cid[]", DH_OID_CID, 0),
    A(DH_OID_OIDVECTOR_ARRAY, "_oidvector", "oidvector[]", DH_OID_OIDVECTOR, 0),
    A(DH_OID_JSON_ARRAY, "_json", "json[]", DH_OID_JSON, 0),
    A(DH_OID_XML_ARRAY, "_xml", "xml[]", DH_OID_XML, 0),
    A(DH_OID_FLOAT4_ARRAY, "_float4", "real[]", DH_OID_FLOAT4, 0),
    A(DH_OID_FLOAT8_ARRAY, "_float8", "double precision[]", DH_OID_FLOAT8, 0),
    A(DH_OID_MONEY_ARRAY, "_money", "money[]", DH_OID_MONEY, 0),
    A(DH_OID_INET_ARRAY, "_inet", "inet[]", DH_OID_INET, 0),
    AT(DH_OID_BPCHAR_ARRAY, "_bpchar", "character[]", DH_OID_BPCHAR, DH_TYPMOD_LENGTH, "character",
       ""),
    AT(DH_OID_VARCHAR_ARRAY, "_varchar", "character varying[]", DH_OID_VARCHAR, DH_TYPMOD_LENGTH,
       "character varying", ""),
    A(DH_OID_DATE_ARRAY, "_date", "date[]", DH_OID_DATE, 0),
    AT(DH_OID_TIME_ARRAY, "_time", "time without time zone[]", DH_OID_TIME, TM_TIME, "time",
       " without time zone"),
    AT(DH_OID_TIMESTAMP_ARRAY, "_timestamp", "timestamp without time zone[]", DH_OID_TIMESTAMP,
       TM_TIME, "timestamp", " without time zone"),
    AT(DH_OID_TIMESTAMPTZ_ARRAY, "_timestamptz", "timestamp with time zone[]", DH_OID_TIMESTAMPTZ,
       TM_TIME, "timestamp", " with time zone"),
    AT(DH_OID_INTERVAL_ARRAY, "_interval", "interval[]", DH_OID_INTERVAL, TM_INTERVAL, "interval",
       ""),
    AT(DH_OID_TIMETZ_ARRAY, "_timetz", "time with time zone[]", DH_OID_TIMETZ, TM_TIME, "time",
       " with time zone"),
    AT(DH_OID_BIT_ARRAY, "_bit", "bit[]", DH_OID_BIT, TM_BIT, "bit", ""),
    AT(DH_OID_VARBIT_ARRAY, "_varbit", "bit varying[]", DH_OID_VARBIT, TM_BIT, "bit varying", ""),
    AT(DH_OID_NUMERIC_ARRAY, "_numeric", "numeric[]", DH_OID_NUMERIC, DH_TYPMOD_NUMERIC, "numeric",
       ""),
    A(DH_OID_REFCURSOR_ARRAY, "_refcursor", "refcursor[]", DH_OID_REFCURSOR, 0),
    A(DH_OID_REGPROCEDURE_ARRAY, "_regprocedure", "regprocedure[]", DH_OID_REGPROCEDURE, 0),
    A(DH_OID_REGOPER_ARRAY, "_regoper", "regoper[]", DH_OID_REGOPER, 0),
    A(DH_OID_REGOPERATOR_ARRAY, "_regoperator", "regoperator[]", DH_OID_REGOPERATOR, 0),
    A(DH_OID_REGCLASS_ARRAY, "_regclass", "regclass[]", DH_OID_REGCLASS, 0),
    A(DH_OID_REGTYPE_ARRAY, "_regtype", "regtype[]", DH_OID_REGTYPE, 0),
    A(DH_OID_UUID_ARRAY, "_uuid", "uuid[]", DH_OID_UUID, 0),
    A(DH_OID_PG_LSN_ARRAY, "_pg_lsn", "pg_lsn[]", DH_OID_PG_LSN, 0),
    A(DH_OID_REGCONFIG_ARRAY, "_regconfig", "regconfig[]", DH_OID_REGCONFIG, 0),
    A(DH_OID_JSONB_ARRAY, "_jsonb", "jsonb[]", DH_OID_JSONB, 0),
    A(DH_OID_JSONPATH_ARRAY, "_jsonpath", "jsonpath[]", DH_OID_JSONPATH, 0),
    A(DH_OID_REGNAMESPACE_ARRAY, "_regnamespace", "regnamespace[]", DH_OID_REGNAMESPACE, 0),
    A(DH_OID_REGROLE_ARRAY, "_regrole", "regrole[]", DH_OID_REGROLE, 0),
    A(DH_OID_REGCOLLATION_ARRAY, "_regcollation", "regcollation[]", DH_OID_REGCOLLATION, 0),
    A(DH_OID_XID8_ARRAY, "_xid8", "xid8[]", DH_OID_XID8, 0),
    A(DH_OID_ACLITEM_ARRAY, "_aclitem", "aclitem[]", DH_OID_ACLITEM, 0),
    A(DH_OID_CSTRING_ARRAY, "_cstring", "cstring[]", DH_OID_CSTRING, 0),
    {{DH_OID_RECORD_ARRAY, "_record", "record[]", -1, 'P', 0, 'p', DH_OID_RECORD, 0, DH_T_COLL,
      DH_TYPMOD_NONE, NULL},
     NULL,
     NULL},
};

/* OID -> row, and each row's operations, computed once: comparing and
 * hashing look a type up per value, and a scan of the table each time
 * showed in GROUP BY's profile.  Built-in OIDs are below OID_DIRECT. */
enum { OID_DIRECT = 8192 };
static uint16_t by_oid[OID_DIRECT]; /* row index + 1, or 0 */
static const struct dh_sqltype_ops *row_ops[DH_ARRAY_SIZE(rows)];
static pthread_once_t oid_once = PTHREAD_ONCE_INIT, ops_once = PTHREAD_ONCE_INIT;

static const struct dh_sqltype_ops *
ops_lookup(const struct dh_sqltype *t)
{
	const struct dh_sqltype_ops *ops;
	if (t->ops)
		return t->ops;
	/* the hooks first, so that a module can replace a default here (the
	 * SQL layer's catalog lookups for regclass and friends) */
	if ((ops = dh__sqltype_hook_ops(t->oid)))
		return ops;
	return dh__sqltype_own_ops(t->oid);
}

static void
oid_init(void)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(rows); i++)
		if (rows[i].t.oid < OID_DIRECT && !by_oid[rows[i].t.oid])
			by_oid[rows[i].t.oid] = (uint16_t)(i + 1);
}

static void
ops_init(void)
{
	/* the hooks look types up: by_oid's own once */
	for (size_t i = 0; i < DH_ARRAY_SIZE(rows); i++)
		row_ops[i] = ops_lookup(&rows[i].t);
}

static const struct row *
row_of(uint32_t oid)
{
	pthread_once(&oid_once, oid_init);
	if (oid < OID_DIRECT)
		return by_oid[oid] ? &rows[by_oid[oid] - 1] : NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(rows); i++)
		if (rows[i].t.oid == oid)
			return &rows[i];
	return NULL;
}

const struct dh_sqltype *
dh_sqltype_by_oid(uint32_t oid)
{
	const struct row *r = row_of(oid);
	return r ? &r->t : NULL;
}

const struct dh_sqltype *
dh_sqltype_at(size_t i)
{
	return i < DH_ARRAY_SIZE(rows) ? &rows[i].t : NULL;
}

const struct dh_sqltype_ops *
dh_sqltype_ops_of(const struct dh_sqltype *t)
{
	if (!t)
		return NULL;
	pthread_once(&ops_once, ops_init);
	/* a type of the table (every one callers have): its row's */
	const struct row *r = row_of(t->oid);
	if (r && &r->t == t)
		return row_ops[r - rows];
	return ops_lookup(t);
}

/* --- typmods --- */

int32_t
dh_sqltype_typmod_length(int32_t n)
{
	return n + 4;
}

int32_t
dh_sqltype_typmod_numeric(int32_t p, int32_t s)
{
	return ((p << 16) | (s & 0x7ff)) + 4;
}

#define INTERVAL_FULL_RANGE 0x7FFF
#define INTERVAL_FULL_PRECISION 0xFFFF
#define IM(b) (1 << (b))
enum { F_MONTH = 1, F_YEAR = 2, F_DAY = 3, F_HOUR = 10, F_MINUTE = 11, F_SECOND = 12 };

static const struct {
	int mask;
	const char *text;
} interval_fields[] = {
    {IM(F_YEAR), " year"},
    {IM(F_MONTH), " month"},
    {IM(F_DAY), " day"},
    {IM(F_HOUR), " hour"},
    {IM(F_MINUTE), " minute"},
    {IM(F_SECOND), " second"},
    {IM(F_YEAR) | IM(F_MONTH), " year to month"},
    {IM(F_DAY) | IM(F_HOUR), " day to hour"},
    {IM(F_DAY) | IM(F_HOUR) | IM(F_MINUTE), " day to minute"},
    {IM(F_DAY) | IM(F_HOUR) | IM(F_MINUTE) | IM(F_SECOND), " day to second"},
    {IM(F_HOUR) | IM(F_MINUTE), " hour to minute"},
    {IM(F_HOUR) | IM(F_MINUTE) | IM(F_SECOND), " hour to second"},
    {IM(F_MINUTE) | IM(F_SECOND), " minute to second"},
    {INTERVAL_FULL_RANGE, ""},
};

static const char *
interval_fieldtext(int mask)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(interval_fields); i++)
		if (interval_fields[i].mask == mask)
			return interval_fields[i].text;
	return NULL;
}

static int
typmod_in(const struct row *r, const int32_t *mods, int nmods, int32_t *typmod, struct dh_err *err)
{
	const struct dh_sqltype *t = &r->t;
	const struct dh_sqltype *base = t->elem ? dh_sqltype_by_oid(t->elem) : t;
	const struct dh_sqltype_ops *ops;
	switch (t->typmod_kind) {
	case DH_TYPMOD_NONE:
		return dh_err_sql(err, "42601", "type modifier is not allowed for type \"%s\"",
				  base->typname);
	case DH_TYPMOD_LENGTH: {
		const char *nm = base->oid == DH_OID_BPCHAR ? "char" : "varchar";
		if (nmods != 1)
			return dh_err_sql(err, SQLSTATE_PARAM, "invalid type modifier");
		if (mods[0] < 1)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "length for type %s must be at least 1", nm);
		if (mods[0] > 10485760)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "length for type %s cannot exceed %d", nm, 10485760);
		*typmod = mods[0] + 4;
		return 0;
	}
	case DH_TYPMOD_NUMERIC:
		return dh__num_typmod_in(mods, nmods, typmod, err);
	case TM_BIT: {
		const char *nm = base->oid == DH_OID_BIT ? "bit" : "varbit";
		if (nmods != 1)
			return dh_err_sql(err, SQLSTATE_PARAM, "invalid type modifier");
		if (mods[0] < 1)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "length for type %s must be at least 1", nm);
		if (mods[0] > 83886080)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "length for type %s cannot exceed %d", nm, 83886080);
		*typmod = mods[0];
		return 0;
	}
	case TM_TIME: {
		const char *nm =
		    (base->oid == DH_OID_TIME || base->oid == DH_OID_TIMETZ) ? "TIME" : "TIMESTAMP";
		const char *tz = (base->oid == DH_OID_TIMETZ || base->oid == DH_OID_TIMESTAMPTZ)
				     ? " WITH TIME ZONE"
				     : "";
		if ((ops = dh_sqltype_ops_of(base)) && ops->typmod_in)
			return ops->typmod_in(base, mods, nmods, typmod, err);
		if (nmods != 1)
			return dh_err_sql(err, SQLSTATE_PARAM, "invalid type modifier");
		if (mods[0] < 0)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "%s(%d)%s precision must not be negative", nm,
					  (int)mods[0], tz);
		/* PostgreSQL warns and reduces a precision above 6 */
		*typmod = mods[0] > 6 ? 6 : mods[0];
		return 0;
	}
	case TM_INTERVAL:
		if ((ops = dh_sqltype_ops_of(base)) && ops->typmod_in)
			return ops->typmod_in(base, mods, nmods, typmod, err);
		if (nmods > 0 && !interval_fieldtext(mods[0]))
			return dh_err_sql(err, SQLSTATE_PARAM, "invalid INTERVAL type modifier");
		if (nmods == 1) {
			*typmod = mods[0] != INTERVAL_FULL_RANGE
				      ? ((mods[0] & 0x7FFF) << 16) | INTERVAL_FULL_PRECISION
				      : -1;
			return 0;
		}
		if (nmods == 2) {
			int32_t p = mods[1];
			if (p < 0)
				return dh_err_sql(err, SQLSTATE_PARAM,
						  "INTERVAL(%d) precision must not be negative",
						  (int)p);
			if (p > 6)
				p = 6;
			*typmod = ((mods[0] & 0x7FFF) << 16) | (p & 0xFFFF);
			return 0;
		}
		return dh_err_sql(err, SQLSTATE_PARAM, "invalid INTERVAL type modifier");
	case DH_TYPMOD_HOOK:
		if ((ops = dh_sqltype_ops_of(base)) && ops->typmod_in)
			return ops->typmod_in(base, mods, nmods, typmod, err);
		return dh_err_sql(err, "42601", "type modifier is not allowed for type \"%s\"",
				  base->typname);
	}
	return dh_err_sql(err, SQLSTATE_INTERNAL, "unknown typmod kind");
}

/* Append what format_type prints after the base name for typmod. */
static int
typmod_out(const struct row *r, int32_t typmod, struct dh_buf *b)
{
	const struct dh_sqltype *t = &r->t;
	const struct dh_sqltype *base = t->elem ? dh_sqltype_by_oid(t->elem) : t;
	const struct dh_sqltype_ops *ops;
	switch (t->typmod_kind) {
	case DH_TYPMOD_LENGTH:
		return typmod >= 4 ? dh_buf_printf(b, "(%d)", (int)(typmod - 4)) : 0;
	case DH_TYPMOD_NUMERIC:
		if (typmod < 4)
			return 0;
		return dh_buf_printf(b, "(%d,%d)", ((typmod - 4) >> 16) & 0xffff,
				     (((typmod - 4) & 0x7ff) ^ 1024) - 1024);
	case TM_BIT:
		return typmod >= 0 ? dh_buf_printf(b, "(%d)", (int)typmod) : 0;
	case TM_TIME:
		if ((ops = dh_sqltype_ops_of(base)) && ops->typmod_out)
			return ops->typmod_out(base, typmod, b);
		if (typmod >= 0)
			return dh_buf_printf(b, "(%d)%s", (int)typmod, r->suffix);
		return dh_buf_adds(b, r->suffix);
	case TM_INTERVAL: {
		const char *f;
		if ((ops = dh_sqltype_ops_of(base)) && ops->typmod_out)
			return ops->typmod_out(base, typmod, b);
		if (typmod < 0)
			return 0;
		f = interval_fieldtext((typmod >> 16) & 0x7FFF);
		if (!f)
			f = "";
		if ((typmod & 0xFFFF) != INTERVAL_FULL_PRECISION)
			return dh_buf_printf(b, "%s(%d)", f, typmod & 0xFFFF);
		return dh_buf_adds(b, f);
	}
	case DH_TYPMOD_HOOK:
		if ((ops = dh_sqltype_ops_of(base)) && ops->typmod_out)
			return ops->typmod_out(base, typmod, b);
		return 0;
	default:
		return 0;
	}
}

int
dh_sqltype_format(uint32_t oid, int32_t typmod, int with_typmod, struct dh_buf *b)
{
	const struct row *r = row_of(oid);
	int rc;
	if (!r)
		return dh_buf_adds(b, "???");
	if (!with_typmod) {
		if (oid == DH_OID_BPCHAR)
			return dh_buf_adds(b, "character");
		return dh_buf_adds(b, r->t.sqlname);
	}
	if (typmod < 0 || !r->modname) {
		/* bpchar without a typmod is not character(1): PostgreSQL
		 * prints its own name so that it reads back the same */
		if (oid == DH_OID_BPCHAR)
			return dh_buf_adds(b, "bpchar");
		if (oid == DH_OID_BPCHAR_ARRAY)
			return dh_buf_adds(b, "bpchar[]");
		/* the same for bit, which is bit(1) when written plainly */
		if (oid == DH_OID_BIT)
			return dh_buf_adds(b, "\"bit\"");
		if (oid == DH_OID_BIT_ARRAY)
			return dh_buf_adds(b, "\"bit\"[]");
		return dh_buf_adds(b, r->t.sqlname);
	}
	rc = dh_buf_adds(b, r->modname);
	rc |= typmod_out(r, typmod, b);
	if (r->t.elem)
		rc |= dh_buf_adds(b, "[]");
	return rc ? DH_ETOOLONG : 0;
}

/* --- type names --- */

enum { DEF_NONE, DEF_ONE, DEF_FLOAT };
static const struct {
	const char *name;
	uint32_t oid;
	int deflt;
} aliases[] = {
    {"int", DH_OID_INT4, 0},
    {"integer", DH_OID_INT4, 0},
    {"smallint", DH_OID_INT2, 0},
    {"bigint", DH_OID_INT8, 0},
    {"real", DH_OID_FLOAT4, 0},
    {"float", DH_OID_FLOAT8, DEF_FLOAT},
    {"double precision", DH_OID_FLOAT8, 0},
    {"boolean", DH_OID_BOOL, 0},
    {"decimal", DH_OID_NUMERIC, 0},
    {"dec", DH_OID_NUMERIC, 0},
    {"character varying", DH_OID_VARCHAR, 0},
    {"char varying", DH_OID_VARCHAR, 0},
    {"national character varying", DH_OID_VARCHAR, 0},
    {"national char varying", DH_OID_VARCHAR, 0},
    {"nchar varying", DH_OID_VARCHAR, 0},
    {"character", DH_OID_BPCHAR, DEF_ONE},
    {"char", DH_OID_BPCHAR, DEF_ONE},
    {"nchar", DH_OID_BPCHAR, DEF_ONE},
    {"national character", DH_OID_BPCHAR, DEF_ONE},
    {"national char", DH_OID_BPCHAR, DEF_ONE},
    {"\"char\"", DH_OID_CHAR, 0},
    {"timestamp with time zone", DH_OID_TIMESTAMPTZ, 0},
    {"timestamp without time zone", DH_OID_TIMESTAMP, 0},
    {"time with time zone", DH_OID_TIMETZ, 0},
    {"time without time zone", DH_OID_TIME, 0},
    {"bit", DH_OID_BIT, DEF_ONE},
    {"bit varying", DH_OID_VARBIT, 0},
};

int
dh_sqltype_parse(const char *name, const int32_t *mods, int nmods, int array_dims, uint32_t *oid,
		 int32_t *typmod, struct dh_err *err)
{
	const struct row *r = NULL;
	uint32_t o = 0;
	int deflt = DEF_NONE, rc;
	int32_t one = 1;
	for (size_t i = 0; i < DH_ARRAY_SIZE(aliases); i++)
		if (strcmp(name, aliases[i].name) == 0) {
			o = aliases[i].oid;
			deflt = aliases[i].deflt;
			break;
		}
	if (!o) {
		for (size_t i = 0; i < DH_ARRAY_SIZE(rows); i++)
			if (strcmp(name, rows[i].t.typname) == 0 && strcmp(name, "char") != 0) {
				o = rows[i].t.oid;
				break;
			}
	}
	if (!o)
		return dh_err_sql(err, "42704", "type \"%s\" does not exist", name);
	if (deflt == DEF_FLOAT && nmods > 0) {
		if (nmods != 1 || mods[0] < 1)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "precision for type float must be at least 1 bit");
		if (mods[0] > 53)
			return dh_err_sql(err, SQLSTATE_PARAM,
					  "precision for type float must be less than 54 bits");
		o = mods[0] <= 24 ? DH_OID_FLOAT4 : DH_OID_FLOAT8;
		nmods = 0;
	}
	if (deflt == DEF_ONE && nmods == 0) {
		mods = &one;
		nmods = 1;
	}
	r = row_of(o);
	*typmod = -1;
	if (nmods > 0 && (rc = typmod_in(r, mods, nmods, typmod, err)))
		return rc;
	if (array_dims > 0) {
		if (!r->t.array)
			return dh_err_sql(err, "42704",
					  "could not find array type for data type %s",
					  r->t.sqlname);
		o = r->t.array;
	}
	*oid = o;
	return 0;
}

/* Reads "interval day to second" style fields; returns the mask or -1. */
static int
interval_words(const char *w)
{
	static const struct {
		const char *s;
		int mask;
	} f[] = {
	    {"year", IM(F_YEAR)},
	    {"month", IM(F_MONTH)},
	    {"day", IM(F_DAY)},
	    {"hour", IM(F_HOUR)},
	    {"minute", IM(F_MINUTE)},
	    {"second", IM(F_SECOND)},
	    {"year to month", IM(F_YEAR) | IM(F_MONTH)},
	    {"day to hour", IM(F_DAY) | IM(F_HOUR)},
	    {"day to minute", IM(F_DAY) | IM(F_HOUR) | IM(F_MINUTE)},
	    {"day to second", IM(F_DAY) | IM(F_HOUR) | IM(F_MINUTE) | IM(F_SECOND)},
	    {"hour to minute", IM(F_HOUR) | IM(F_MINUTE)},
	    {"hour to second", IM(F_HOUR) | IM(F_MINUTE) | IM(F_SECOND)},
	    {"minute to second", IM(F_MINUTE) | IM(F_SECOND)},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(f); i++)
		if (strcmp(w, f[i].s) == 0)
			return f[i].mask;
	return -1;
}

int
dh_sqltype_parse_text(const char *s, size_t n, uint32_t *oid, int32_t *typmod, struct dh_err *err)
{
	char name[128], rest[128];
	int32_t mods[4];
	int nmods = 0, dims = 0, in_rest = 0, have_mods = 0;
	size_t nl = 0, rl = 0, i = 0;
	name[0] = rest[0] = '\0';
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (dh__sqlisspace(c)) {
			i++;
			continue;
		}
		if (c == '(') {
			i++;
			have_mods = 1;
			for (;;) {
				char *end;
				long v;
				char num[32];
				size_t k = 0;
				while (i < n && dh__sqlisspace((unsigned char)s[i]))
					i++;
				while (i < n && k < sizeof(num) - 1 &&
				       (isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == '+'))
					num[k++] = s[i++];
				num[k] = '\0';
				v = strtol(num, &end, 10);
				if (k == 0 || *end || nmods == 4)
					goto syntax;
				mods[nmods++] = (int32_t)v;
				while (i < n && dh__sqlisspace((unsigned char)s[i]))
					i++;
				if (i < n && s[i] == ',') {
					i++;
					continue;
				}
				if (i < n && s[i] == ')') {
					i++;
					break;
				}
				goto syntax;
			}
			in_rest = 1;
			continue;
		}
		if (c == '[') {
			i++;
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
			if (i >= n || s[i] != ']')
				goto syntax;
			i++;
			dims++;
			continue;
		}
		/* a word, or a quoted name: taken as written ("char" stays
		 * quoted, the one-byte type's name) */
		{
			char *dst = in_rest ? rest : name;
			size_t *dl = in_rest ? &rl : &nl;
			if (*dl && *dl < 127)
				dst[(*dl)++] = ' ';
			if (c == '"') {
				size_t j = i + 1;
				while (j < n && s[j] != '"')
					j++;
				if (j >= n)
					goto syntax;
				if (j - i - 1 == 4 && memcmp(s + i + 1, "char", 4) == 0) {
					if (*dl + 6 < 127) {
						memcpy(dst + *dl, "\"char\"", 6);
						*dl += 6;
					}
				} else {
					for (size_t k = i + 1; k < j && *dl < 127; k++)
						dst[(*dl)++] = s[k];
				}
				dst[*dl] = '\0';
				i = j + 1;
				continue;
			}
			while (i < n && !dh__sqlisspace((unsigned char)s[i]) && s[i] != '(' &&
			       s[i] != '[') {
				if (*dl < 127)
					dst[(*dl)++] = (char)tolower((unsigned char)s[i]);
				i++;
			}
			dst[*dl] = '\0';
		}
	}
	if (nl == 0)
		goto syntax;
	if (rl) {
		/* "timestamp(3) with time zone" */
		if (strcmp(rest, "with time zone") == 0 || strcmp(rest, "without time zone") == 0) {
			if (nl + 1 + rl >= sizeof(name))
				goto syntax;
			name[nl++] = ' ';
			memcpy(name + nl, rest, rl + 1);
		} else {
			goto syntax;
		}
	}
	if (strncmp(name, "interval", 8) == 0 && (name[8] == ' ' || name[8] == '\0')) {
		int mask = INTERVAL_FULL_RANGE;
		if (name[8] == ' ' && (mask = interval_words(name + 9)) < 0)
			goto syntax;
		if (have_mods) {
			if (nmods != 1)
				goto syntax;
			mods[1] = mods[0];
			mods[0] = mask;
			nmods = 2;
		} else if (mask != INTERVAL_FULL_RANGE) {
			mods[0] = mask;
			nmods = 1;
		}
		return dh_sqltype_parse("interval", mods, nmods, dims, oid, typmod, err);
	}
	return dh_sqltype_parse(name, mods, nmods, dims, oid, typmod, err);
syntax:
	return dh_err_sql(err, "42601", "syntax error in type name \"%.*s\"", (int)n, s);
}

/* --- dispatch --- */

static int
no_support(struct dh_err *err, const char *what, uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	return dh_err_sql(err, SQLSTATE_NOTSUP, "%s of type %s is not supported", what,
			  t ? t->sqlname : "unknown");
}

int
dh_sqltype_in(uint32_t oid, int32_t typmod, const char *s, size_t n, const struct dh_sqlenv *env,
	      struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (!ops || !ops->in)
		return no_support(err, "input", oid);
	return ops->in(t, s, n, typmod, env, a, out, err);
}

int
dh_sqltype_out(uint32_t oid, const struct dh_value *v, const struct dh_sqlenv *env,
	       struct dh_buf *b)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (v->type == DH_T_NONE)
		return 0;
	if (!ops || !ops->out)
		return DH_ENOTSUP;
	return ops->out(t, v, env, b);
}

int
dh_sqltype_send(uint32_t oid, const struct dh_value *v, struct dh_buf *b, struct dh_err *err)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (v->type == DH_T_NONE)
		return 0;
	if (!ops || !ops->send)
		return no_support(err, "binary output", oid);
	return ops->send(t, v, b, err);
}

int
dh_sqltype_recv(uint32_t oid, int32_t typmod, const unsigned char *p, size_t n, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (!ops || !ops->recv)
		return no_support(err, "binary input", oid);
	return ops->recv(t, p, n, typmod, a, out, err);
}

int
dh_sqltype_coerce(uint32_t oid, const struct dh_value *v, int32_t typmod, int explicit_,
		  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (v->type == DH_T_NONE || typmod < 0 || !ops || !ops->coerce) {
		*out = *v;
		return 0;
	}
	return ops->coerce(t, v, typmod, explicit_, a, out, err);
}

static int
raw_cmp(const struct dh_value *a, const struct dh_value *b)
{
	return dh_value_cmp(a, b);
}

int
dh_sqltype_cmp(uint32_t oid, const struct dh_value *a, const struct dh_value *b)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (a->type == DH_T_NONE || b->type == DH_T_NONE)
		return (a->type == DH_T_NONE) - (b->type == DH_T_NONE);
	if (!ops || !ops->cmp)
		return raw_cmp(a, b);
	return ops->cmp(t, a, b);
}

uint64_t
dh_sqltype_hash(uint32_t oid, const struct dh_value *v)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	const struct dh_sqltype_ops *ops = dh_sqltype_ops_of(t);
	if (v->type == DH_T_NONE)
		return 0x4e554c4cULL;
	if (ops && ops->hash)
		return ops->hash(t, v);
	switch (v->type) {
	case DH_T_STRING:
	case DH_T_BYTES:
	case DH_T_BIGDEC:
	case DH_T_KEYWORD:
		return dh__hash_bytes(v->s.p, v->s.n, oid);
	case DH_T_DOUBLE:
		return dh__hash_double(v->d);
	case DH_T_UUID:
		return dh__hash_bytes(v->uuid, 16, oid);
	default:
		return dh__hash_bytes(&v->i, sizeof(v->i), oid);
	}
}

/* --- functions and operators --- */

int
dh_sqlfn_call(dh_sqlfn fn, struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out)
{
	for (int i = 0; i < c->nargs; i++)
		if (argv[i].type == DH_T_NONE) {
			*out = (struct dh_value){.type = DH_T_NONE};
			return 0;
		}
	return fn(c, argv, out);
}

/* The tables in order: ours, then each hook table. */
static const struct dh_sqlop *
op_table(int i, size_t *n)
{
	if (i == 0) {
		*n = dh__sqlops_n;
		return dh__sqlops;
	}
	return dh__sqlop_hook_table(i - 1, n);
}

/* Every operator of every table in iteration order, and for each the next
 * of the same name: resolving "=" walked the tables with strcmp once per
 * candidate, a tenth of a point query.  Built once (the tables are
 * static): a name's first operator by open addressing, then a chain. */
enum { OPS_MAXTAB = 16, OPS_HASH = 4096, OPS_MAX = 8192 };
static struct {
	const struct dh_sqlop *tab[OPS_MAXTAB];
	size_t n[OPS_MAXTAB], base[OPS_MAXTAB];
	int ntab;
	/* static, not allocated: a process keeps them to its end, and
	 * valgrind's leak check counts what is still reachable */
	const struct dh_sqlop *flat[OPS_MAX];
	uint32_t next[OPS_MAX]; /* flat index + 1 of the next of the same name, or 0 */
	struct {
		const char *name;
		uint32_t first, last; /* flat indexes */
	} by_name[OPS_HASH];
} opx;
static pthread_once_t opx_once = PTHREAD_ONCE_INIT;

static size_t
op_slot(const char *name)
{
	size_t i = dh_hash_bytes(name, strlen(name)) % OPS_HASH;
	while (opx.by_name[i].name && strcmp(opx.by_name[i].name, name) != 0)
		i = (i + 1) % OPS_HASH;
	return i;
}

static void
opx_init(void)
{
	size_t total = 0, n;
	const struct dh_sqlop *t;
	for (int i = 0; i < OPS_MAXTAB && (t = op_table(i, &n)); i++) {
		opx.tab[i] = t;
		opx.n[i] = n;
		opx.base[i] = total;
		opx.ntab = i + 1;
		total += n;
	}
	if (total > OPS_MAX)
		abort(); /* grow OPS_MAX */
	size_t names = 0;
	for (int i = 0; i < opx.ntab; i++)
		for (size_t k = 0; k < opx.n[i]; k++) {
			size_t f = opx.base[i] + k;
			opx.flat[f] = &opx.tab[i][k];
			size_t s = op_slot(opx.flat[f]->name);
			if (!opx.by_name[s].name) {
				if (++names > OPS_HASH / 2)
					abort(); /* grow OPS_HASH */
				opx.by_name[s].name = opx.flat[f]->name;
				opx.by_name[s].first = (uint32_t)f;
			} else {
				opx.next[opx.by_name[s].last] = (uint32_t)f + 1;
			}
			opx.by_name[s].last = (uint32_t)f;
		}
}

const struct dh_sqlop *
dh_sqlop_next(const char *name, const struct dh_sqlop *prev)
{
	pthread_once(&opx_once, opx_init);
	if (prev) {
		for (int i = 0; i < opx.ntab; i++)
			if (prev >= opx.tab[i] && prev < opx.tab[i] + opx.n[i]) {
				size_t f = opx.base[i] + (size_t)(prev - opx.tab[i]);
				size_t total = opx.base[opx.ntab - 1] + opx.n[opx.ntab - 1];
				if (strcmp(prev->name, name) != 0) {
					/* prev of another name: the next of this one */
					for (size_t k = f + 1; k < total; k++)
						if (strcmp(opx.flat[k]->name, name) == 0)
							return opx.flat[k];
					return NULL;
				}
				return opx.next[f] ? opx.flat[opx.next[f] - 1] : NULL;
			}
		return NULL;
	}
	size_t s = op_slot(name);
	return opx.by_name[s].name ? opx.flat[opx.by_name[s].first] : NULL;
}

const struct dh_sqlop *
dh_sqlop_find(const char *name, uint32_t left, uint32_t right)
{
	const struct dh_sqlop *o = NULL;
	while ((o = dh_sqlop_next(name, o)))
		if (o->left == left && o->right == right)
			return o;
	return NULL;
}

/* pg_operator.oprcom and oprnegate, by name (every comparison and
 * commutative arithmetic operator here has its mirror image) */
const struct dh_sqlop *
dh_sqlop_commutator(const struct dh_sqlop *o)
{
	static const char *const pairs[][2] = {
	    {"=", "="},	  {"<>", "<>"}, {"<", ">"},   {">", "<"},   {"<=", ">="},
	    {">=", "<="}, {"+", "+"},	{"*", "*"},   {"&", "&"},   {"|", "|"},
	    {"#", "#"},	  {"@>", "<@"}, {"<@", "@>"}, {"&&", "&&"},
	};
	if (!o || o->left == 0)
		return NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(pairs); i++)
		if (strcmp(o->name, pairs[i][0]) == 0)
			return dh_sqlop_find(pairs[i][1], o->right, o->left);
	return NULL;
}

const struct dh_sqlop *
dh_sqlop_negator(const struct dh_sqlop *o)
{
	static const char *const pairs[][2] = {
	    {"=", "<>"}, {"<>", "="}, {"<", ">="}, {">=", "<"}, {">", "<="}, {"<=", ">"},
	};
	if (!o || o->left == 0)
		return NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(pairs); i++)
		if (strcmp(o->name, pairs[i][0]) == 0)
			return dh_sqlop_find(pairs[i][1], o->left, o->right);
	return NULL;
}

static const struct dh_sqlproc *
proc_table(int i, size_t *n)
{
	if (i == 0) {
		*n = dh__sqlprocs_n;
		return dh__sqlprocs;
	}
	return dh__sqlproc_hook_table(i - 1, n);
}

const struct dh_sqlproc *
dh_sqlproc_next(const char *name, const struct dh_sqlproc *prev)
{
	const struct dh_sqlproc *tab;
	size_t n, j = 0;
	int i = 0;
	if (prev) {
		for (; (tab = proc_table(i, &n)); i++)
			if (prev >= tab && prev < tab + n)
				break;
		if (!tab)
			return NULL;
		j = (size_t)(prev - tab) + 1;
	}
	for (; (tab = proc_table(i, &n)); i++, j = 0)
		for (; j < n; j++)
			if (strcmp(tab[j].name, name) == 0)
				return &tab[j];
	return NULL;
}

const struct dh_sqlproc *
dh_sqlproc_find(const char *name, int nargs, const uint32_t *args)
{
	const struct dh_sqlproc *p = NULL;
	while ((p = dh_sqlproc_next(name, p))) {
		int ok = p->nargs == nargs;
		for (int k = 0; ok && k < nargs; k++)
			ok = p->args[k] == args[k];
		if (ok)
			return p;
	}
	return NULL;
}

/* --- casts --- */

static const struct dh_sqlcast *
cast_table(int i, size_t *n)
{
	if (i == 0) {
		*n = dh__sqlcasts_n;
		return dh__sqlcasts;
	}
	return dh__sqlcast_hook_table(i - 1, n);
}

int
dh_sqlcast_find(uint32_t source, uint32_t target, struct dh_sqlcast *out)
{
	const struct dh_sqlcast *tab;
	const struct dh_sqltype *s, *t;
	size_t n;
	for (int i = 0; (tab = cast_table(i, &n)); i++)
		for (size_t j = 0; j < n; j++)
			if (tab[j].source == source && tab[j].target == target) {
				*out = tab[j];
				return 1;
			}
	if (source == target) {
		*out = (struct dh_sqlcast){source, target, DH_CAST_IMPLICIT, DH_CAST_BINARY, NULL};
		return 1;
	}
	/* arrays: the element types' cast, element by element */
	if (dh__sqlarray_cast_find(source, target, out))
		return 1;
	s = dh_sqltype_by_oid(source);
	t = dh_sqltype_by_oid(target);
	if (!s || !t || s->typtype == 'p' || t->typtype == 'p')
		return 0;
	if (t->category == 'S') {
		*out = (struct dh_sqlcast){source, target, DH_CAST_ASSIGNMENT, DH_CAST_INOUT, NULL};
		return 1;
	}
	if (s->category == 'S') {
		*out = (struct dh_sqlcast){source, target, DH_CAST_EXPLICIT, DH_CAST_INOUT, NULL};
		return 1;
	}
	return 0;
}

int
dh_sqlcast_value(uint32_t source, int32_t srctypmod, uint32_t target, int32_t dsttypmod,
		 int explicit_, const struct dh_value *v, const struct dh_sqlenv *env,
		 struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_sqlcast c;
	int rc;
	if (v->type == DH_T_NONE) {
		*out = *v;
		return 0;
	}
	if (!dh_sqlcast_find(source, target, &c)) {
		struct dh_buf b1, b2;
		dh_buf_init(&b1, 0);
		dh_buf_init(&b2, 0);
		dh_sqltype_format(source, -1, 0, &b1);
		dh_sqltype_format(target, -1, 0, &b2);
		rc = dh_err_sql(err, "42846", "cannot cast type %s to %s", (char *)b1.p,
				(char *)b2.p);
		dh_buf_release(&b1);
		dh_buf_release(&b2);
		return rc;
	}
	return dh_sqlcast_apply(&c, srctypmod, dsttypmod, explicit_, v, env, a, out, err);
}

int
dh_sqlcast_apply(const struct dh_sqlcast *cast, int32_t srctypmod, int32_t dsttypmod, int explicit_,
		 const struct dh_value *v, const struct dh_sqlenv *env, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err)
{
	struct dh_sqlcast c = *cast;
	uint32_t source = c.source, target = c.target;
	struct dh_value tmp;
	int rc;
	if (v->type == DH_T_NONE) {
		*out = *v;
		return 0;
	}
	/* a binary cast with a function relabels a value whose representation
	 * here differs (int4 -1 is oid 4294967295) */
	if (c.method == DH_CAST_BINARY && c.fn)
		c.method = DH_CAST_FUNCTION;
	switch (c.method) {
	case DH_CAST_BINARY:
		tmp = *v;
		break;
	case DH_CAST_FUNCTION: {
		struct dh_sqlcall call = {a, err, env, 1, &source, target};
		if ((rc = c.fn(&call, v, &tmp)))
			return rc;
		break;
	}
	case DH_CAST_INOUT: {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		if ((rc = dh_sqltype_out(source, v, env, &b))) {
			dh_buf_release(&b);
			return rc == DH_ENOTSUP ? no_support(err, "output", source) : rc;
		}
		rc = dh_sqltype_in(target, -1, (const char *)b.p, b.len, env, a, &tmp, err);
		dh_buf_release(&b);
		if (rc)
			return rc;
		break;
	}
	default:
		return dh_err_sql(err, SQLSTATE_INTERNAL, "bad cast method");
	}
	/* the length coercion, unless the value already has that typmod */
	if (dsttypmod >= 0 && !(source == target && srctypmod == dsttypmod))
		return dh_sqltype_coerce(target, &tmp, dsttypmod, explicit_, a, out, err);
	*out = tmp;
	return 0;
}
