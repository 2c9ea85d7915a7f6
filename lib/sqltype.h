/*
 * sqltype: PostgreSQL 15's data types as the SQL layer sees them.  The type
 * catalog (pg_type's rows: OIDs, names, lengths, categories, array types),
 * type modifiers ("varchar(20)", "numeric(10,2)") and format_type, the text
 * and binary forms of each type (what typinput/typoutput/typsend/typreceive
 * do), comparison and hashing, the cast matrix (pg_cast) and the operators
 * and functions on these types (pg_operator, pg_proc), all with PostgreSQL's
 * results, error messages and SQLSTATEs.
 *
 * Values are struct dh_value in the representation lib/README fixes:
 *   bool -> BOOL      int2 int4 int8 oid -> LONG      float4 float8 -> DOUBLE
 *   numeric -> BIGDEC text: the canonical bigdec text of datom.h, whose
 *       fraction digits are the display scale ("1.50" is 1.50, not 1.5), or
 *       one of "NaN", "Infinity", "-Infinity"
 *   text varchar bpchar name "char" -> STRING (bpchar with its padding;
 *       "char" is 0 or 1 byte, 0 for '\0')
 *   bytea -> BYTES    uuid -> UUID    NULL -> NONE
 *   oid and the reg* types -> LONG holding the unsigned 32-bit value
 * A float4 is a double holding a float's value.  Types implemented by other
 * modules (date/time, json, arrays) keep their representation there.
 * Numeric values may be as long as PostgreSQL's (131072 digits before the
 * point, 16383 after); storing one in the datom store limits it to
 * DH_BIGDEC_MAX_DIGITS digits (DH_ETOOLONG beyond).
 *
 * Calling sequence, as the SQL compiler uses it:
 *
 *   const struct dh_sqltype *t;
 *   uint32_t oid; int32_t typmod;
 *   dh_sqltype_parse_text("numeric(10,2)", 13, &oid, &typmod, err);
 *   t = dh_sqltype_by_oid(oid);
 *   dh_sqltype_in(oid, typmod, "1.234", 5, env, arena, &v, err);   v = 1.23
 *   dh_sqltype_out(oid, &v, env, &buf);                           "1.23"
 *   op = dh_sqlop_find("+", DH_OID_NUMERIC, DH_OID_NUMERIC);
 *   dh_sqlfn_call(op->fn, &call, args, &result);
 *   dh_sqlcast_value(DH_OID_NUMERIC, -1, DH_OID_INT4, -1, 1, &v, ...);
 *
 * Memory: results (values, text) go into the caller's arena or dh_buf.  A
 * result may share bytes with an argument (a cast that keeps the value, a
 * bpchar without its padding) or point at static text ('true'): keep the
 * arguments alive as long as the result.  Nothing here keeps pointers after
 * returning.  The catalog tables are static and immutable (thread-safe).
 *
 * Errors: functions that can fail return 0 or a negative DH_E* code and fill
 * the caller's struct dh_err.  SQL errors are DH_ESQL with PostgreSQL's
 * SQLSTATE in err->sqlstate and its message text (and DETAIL where
 * PostgreSQL gives one), e.g. 22P02 invalid input syntax for type integer:
 * "abc", 22003 integer out of range, 22012 division by zero.
 *
 * NULL: operators and functions here are strict.  dh_sqlfn_call returns a
 * NONE value when any argument is NONE without calling the function; the
 * functions themselves must not be called with NONE arguments.
 *
 * Types in other modules plug in through lib/sqltype-hooks.c: a module
 * defines a const struct dh_sqltype_ops for each of its types (the catalog
 * row, OID, names, typlen, category, typmod kind, is already here) and
 * tables of operators, functions and casts in the formats below;
 * sqltype-hooks.c lists them (the one place to edit when such a module
 * lands).  A hook's ops take precedence over a default here: the reg*
 * types read and print plain OIDs ("-" for 0) until the SQL layer hooks
 * ops that look names up in its catalog.  Operator, function and cast
 * lookups search this module's tables first, then the hooks' in order.
 */
#ifndef DH_SQLTYPE_H
#define DH_SQLTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "datom.h"
#include "util.h"

/* --- pg_type OIDs (PostgreSQL 15) --- */
enum {
	DH_OID_BOOL = 16,
	DH_OID_BYTEA = 17,
	DH_OID_CHAR = 18, /* "char", the one-byte internal type */
	DH_OID_NAME = 19,
	DH_OID_INT8 = 20,
	DH_OID_INT2 = 21,
	DH_OID_INT2VECTOR = 22,
	DH_OID_INT4 = 23,
	DH_OID_REGPROC = 24,
	DH_OID_TEXT = 25,
	DH_OID_OID = 26,
	DH_OID_TID = 27,
	DH_OID_XID = 28,
	DH_OID_CID = 29,
	DH_OID_OIDVECTOR = 30,
	DH_OID_PG_NODE_TREE = 194,
	DH_OID_ACLITEM = 1033,
	DH_OID_JSON = 114,
	DH_OID_XML = 142,
	DH_OID_FLOAT4 = 700,
	DH_OID_FLOAT8 = 701,
	DH_OID_UNKNOWN = 705,
	DH_OID_MONEY = 790,
	DH_OID_INET = 869,
	DH_OID_BPCHAR = 1042,
	DH_OID_VARCHAR = 1043,
	DH_OID_DATE = 1082,
	DH_OID_TIME = 1083,
	DH_OID_TIMESTAMP = 1114,
	DH_OID_TIMESTAMPTZ = 1184,
	DH_OID_INTERVAL = 1186,
	DH_OID_TIMETZ = 1266,
	DH_OID_BIT = 1560,
	DH_OID_VARBIT = 1562,
	DH_OID_NUMERIC = 1700,
	DH_OID_REFCURSOR = 1790,
	DH_OID_REGPROCEDURE = 2202,
	DH_OID_REGOPER = 2203,
	DH_OID_REGOPERATOR = 2204,
	DH_OID_REGCLASS = 2205,
	DH_OID_REGTYPE = 2206,
	DH_OID_UUID = 2950,
	DH_OID_PG_LSN = 3220,
	DH_OID_REGCONFIG = 3734,
	DH_OID_JSONB = 3802,
	DH_OID_JSONPATH = 4072,
	DH_OID_REGNAMESPACE = 4089,
	DH_OID_REGROLE = 4096,
	DH_OID_REGCOLLATION = 4191,
	DH_OID_XID8 = 5069,
	/* pseudo-types */
	DH_OID_RECORD = 2249,
	DH_OID_CSTRING = 2275,
	DH_OID_ANY = 2276,
	DH_OID_ANYARRAY = 2277,
	DH_OID_VOID = 2278,
	DH_OID_TRIGGER = 2279,
	DH_OID_INTERNAL = 2281,
	DH_OID_ANYELEMENT = 2283,
	DH_OID_ANYNONARRAY = 2776,
	DH_OID_ANYENUM = 3500,
	DH_OID_ANYRANGE = 3831,
	DH_OID_ANYMULTIRANGE = 4537,
	DH_OID_ANYCOMPATIBLEMULTIRANGE = 4538,
	DH_OID_ANYCOMPATIBLE = 5077,
	DH_OID_ANYCOMPATIBLEARRAY = 5078,
	DH_OID_ANYCOMPATIBLENONARRAY = 5079,
	DH_OID_ANYCOMPATIBLERANGE = 5080,
	/* array types of the base types above */
	DH_OID_BOOL_ARRAY = 1000,
	DH_OID_BYTEA_ARRAY = 1001,
	DH_OID_CHAR_ARRAY = 1002,
	DH_OID_NAME_ARRAY = 1003,
	DH_OID_INT2_ARRAY = 1005,
	DH_OID_INT2VECTOR_ARRAY = 1006,
	DH_OID_INT4_ARRAY = 1007,
	DH_OID_REGPROC_ARRAY = 1008,
	DH_OID_TEXT_ARRAY = 1009,
	DH_OID_TID_ARRAY = 1010,
	DH_OID_XID_ARRAY = 1011,
	DH_OID_CID_ARRAY = 1012,
	DH_OID_OIDVECTOR_ARRAY = 1013,
	DH_OID_BPCHAR_ARRAY = 1014,
	DH_OID_VARCHAR_ARRAY = 1015,
	DH_OID_INT8_ARRAY = 1016,
	DH_OID_FLOAT4_ARRAY = 1021,
	DH_OID_FLOAT8_ARRAY = 1022,
	DH_OID_OID_ARRAY = 1028,
	DH_OID_INET_ARRAY = 1041,
	DH_OID_CSTRING_ARRAY = 1263,
	DH_OID_TIMESTAMP_ARRAY = 1115,
	DH_OID_DATE_ARRAY = 1182,
	DH_OID_TIME_ARRAY = 1183,
	DH_OID_TIMESTAMPTZ_ARRAY = 1185,
	DH_OID_INTERVAL_ARRAY = 1187,
	DH_OID_NUMERIC_ARRAY = 1231,
	DH_OID_TIMETZ_ARRAY = 1270,
	DH_OID_BIT_ARRAY = 1561,
	DH_OID_VARBIT_ARRAY = 1563,
	DH_OID_MONEY_ARRAY = 791,
	DH_OID_XML_ARRAY = 143,
	DH_OID_JSON_ARRAY = 199,
	DH_OID_REFCURSOR_ARRAY = 2201,
	DH_OID_REGPROCEDURE_ARRAY = 2207,
	DH_OID_REGOPER_ARRAY = 2208,
	DH_OID_REGOPERATOR_ARRAY = 2209,
	DH_OID_REGCLASS_ARRAY = 2210,
	DH_OID_REGTYPE_ARRAY = 2211,
	DH_OID_RECORD_ARRAY = 2287,
	DH_OID_UUID_ARRAY = 2951,
	DH_OID_PG_LSN_ARRAY = 3221,
	DH_OID_REGCONFIG_ARRAY = 3735,
	DH_OID_JSONB_ARRAY = 3807,
	DH_OID_JSONPATH_ARRAY = 4073,
	DH_OID_REGNAMESPACE_ARRAY = 4090,
	DH_OID_REGROLE_ARRAY = 4097,
	DH_OID_REGCOLLATION_ARRAY = 4192,
	DH_OID_XID8_ARRAY = 271,
	DH_OID_ACLITEM_ARRAY = 1034,
};

/* --- session settings that change text forms --- */

struct dh_sqltime_settings; /* lib/sqltime.h */
/* What the I/O functions and operators read from the session.  A NULL env
 * means PostgreSQL's defaults; so does a NULL time (DateStyle ISO, MDY,
 * IntervalStyle postgres, TimeZone UTC).  The date/time types read
 * DateStyle, IntervalStyle, TimeZone and the zone cache from time; input
 * of 'now' and 'today' reads time->now (the transaction start), or the
 * clock without a session. */
struct dh_sqlenv_cat;
struct dh_sqlenv {
	int extra_float_digits;			/* -15..3; > 0 (default 1): shortest exact */
	int bytea_output_escape;		/* 0 (default): hex; 1: escape */
	const struct dh_sqltime_settings *time; /* DateStyle, TimeZone, ...; NULL: defaults */
	/* The running statement's parameters $1..$nparams (the extended
	 * protocol's): their types, where a 0 (unknown) is inferred from the
	 * parameter's first use and written back, and once bound their values
	 * (NULL while a statement is only compiled).  Expressions whose compile
	 * and run contexts give none of their own read these. */
	uint32_t *param_types;
	int nparams;
	const struct dh_value *params;
	const struct dh_sqlenv_cat *cat;	/* names of the reg* types; NULL: none */
};
/* The catalog behind the reg* types' names (regclass, regtype,
 * regnamespace, regrole): the SQL layer's, for the statement running.
 * in: name (as the type's input reads it: "public.t", "\"My T\"") -> its
 * OID, or an error (42P01 relation "x" does not exist, 42704 ...); 1 (no
 * error) to leave the name to the type's own input (regtype's type names).
 * out: the OID's name appended to b, or 1 (nothing appended) when it
 * names nothing (the number is printed, as PostgreSQL does). */
struct dh_sqlenv_cat {
	void *ctx;
	int (*in)(void *ctx, uint32_t type, const char *name, uint32_t *oid, struct dh_err *err);
	int (*out)(void *ctx, uint32_t type, uint32_t oid, struct dh_buf *b);
};
#define DH_SQLENV_INIT {.extra_float_digits = 1}

/* --- the catalog --- */

struct dh_sqltype;

/* Typmod kinds: how "(...)" after a type name is read and printed. */
enum dh_typmod_kind {
	DH_TYPMOD_NONE = 0, /* no modifiers allowed */
	DH_TYPMOD_LENGTH,   /* varchar(n), bpchar(n): typmod n + 4 */
	DH_TYPMOD_NUMERIC,  /* numeric(p) or (p,s): ((p << 16) | (s & 0x7ff)) + 4 */
	DH_TYPMOD_TIME,	    /* time, timetz, timestamp, timestamptz: (p), 0..6 */
	DH_TYPMOD_INTERVAL, /* interval: fields mask << 16 | precision */
	DH_TYPMOD_BIT,	    /* bit(n), varbit(n): typmod n */
	DH_TYPMOD_HOOK,	    /* the type's ops->typmod_in / typmod_out decide */
};

/* What a type's implementation provides; any member may be NULL (the
 * operation is then unsupported: 0A000 for in/out/send/recv, byte order
 * for cmp).  A type row without ops (ops == NULL) can still be named,
 * formatted and cast by relabeling.  Every function receives the row it was
 * called for, so one ops struct may serve several types. */
struct dh_sqltype_ops {
	/* Text input: s[0..n) (need not be NUL-terminated; a NUL ends it
	 * early), applying typmod (-1: none) as an assignment would, as
	 * PostgreSQL's input functions do (casts call it with -1 and then
	 * coerce).  The value goes into *out; its bytes into arena a. */
	int (*in)(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
		  const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err);
	/* Text output appended to b; DH_ETOOLONG past b's cap. */
	int (*out)(const struct dh_sqltype *t, const struct dh_value *v,
		   const struct dh_sqlenv *env, struct dh_buf *b);
	/* Binary send (typsend): the bytes without the length word. */
	int (*send)(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
		    struct dh_err *err);
	/* Binary receive (typreceive) of p[0..n), all of it. */
	int (*recv)(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
		    struct dh_arena *a, struct dh_value *out, struct dh_err *err);
	/* btree order: <0, 0, >0 (non-NONE values of this type). */
	int (*cmp)(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y);
	/* Hash consistent with cmp == 0. */
	uint64_t (*hash)(const struct dh_sqltype *t, const struct dh_value *v);
	/* Length coercion to typmod (the cast pg_type names after the type:
	 * varchar(x, typmod, explicit), numeric(x, typmod), ...).  explicit_:
	 * an explicit cast (varchar/bpchar truncate instead of failing). */
	int (*coerce)(const struct dh_sqltype *t, const struct dh_value *v, int32_t typmod,
		      int explicit_, struct dh_arena *a, struct dh_value *out, struct dh_err *err);
	/* The modifiers as typmodin gets them -> typmod, and what format_type
	 * prints after the type's name for a typmod >= 0 (PostgreSQL's
	 * typmodout: "(3) with time zone").  Used for DH_TYPMOD_HOOK; for the
	 * date/time kinds, which have built-in defaults, only when set. */
	int (*typmod_in)(const struct dh_sqltype *t, const int32_t *mods, int nmods,
			 int32_t *typmod, struct dh_err *err);
	int (*typmod_out)(const struct dh_sqltype *t, int32_t typmod, struct dh_buf *b);
};

/* One pg_type row. */
struct dh_sqltype {
	uint32_t oid;
	const char *typname; /* pg_type.typname: "int4", "_int4", "bpchar" */
	const char *sqlname; /* format_type without typmod: "integer", "integer[]" */
	int16_t typlen;	     /* pg_type.typlen: 4, 8, -1 varlena, -2 cstring */
	char category;	     /* pg_type.typcategory: 'N', 'S', 'A', ... */
	char preferred;	     /* pg_type.typispreferred */
	char typtype;	     /* 'b' base, 'p' pseudo */
	uint32_t elem;	     /* array types: the element type; else 0 */
	uint32_t array;	     /* the array type of this type; 0 if none */
	enum dh_type rep;    /* runtime representation (NONE for pseudo-types) */
	enum dh_typmod_kind typmod_kind;
	const struct dh_sqltype_ops *ops; /* NULL: in another module (see hooks) */
};

/* The row of a type OID; NULL if unknown.  Its ops member is NULL for the
 * rows here: call dh_sqltype_ops_of for the implementation. */
const struct dh_sqltype *dh_sqltype_by_oid(uint32_t oid);
/* The ops of a type: the hooks' (sqltype-hooks.c), which take precedence,
 * else sqltype's own; NULL if no module implements the type. */
const struct dh_sqltype_ops *dh_sqltype_ops_of(const struct dh_sqltype *t);
/* The i-th row (i = 0, 1, ...; NULL past the last), to list pg_type. */
const struct dh_sqltype *dh_sqltype_at(size_t i);

/* A type as written in SQL: name (lower case, the keywords' spellings
 * "integer", "int", "double precision", "character varying", "timestamp
 * with time zone", "decimal", "real", ..., or any typname; "\"char\"" for
 * the one-byte type, since plain "char" means character(1)), its integer
 * modifiers mods[0..nmods) and array_dims (>0: an array of it).  Sets *oid
 * and *typmod (-1 if none; "char"/"character"/"bit" without a length get
 * 1, and float(p) becomes real or double precision, as the SQL grammar
 * does).  The modifiers are what PostgreSQL's typmodin receives: for
 * interval, [fields mask, precision] as the grammar builds them ("interval
 * day to second(3)" is [7176, 3]).  Errors: 42704 type "x" does not exist,
 * 22023 for bad modifiers with PostgreSQL's messages (length for type varchar must be
 * at least 1, NUMERIC precision 1001 must be between 1 and 1000, ...),
 * 42601 type modifier is not allowed for type "x". */
int dh_sqltype_parse(const char *name, const int32_t *mods, int nmods, int array_dims,
		     uint32_t *oid, int32_t *typmod, struct dh_err *err);
/* The same from text: "varchar(20)", "numeric(10, 2)", "int[]",
 * "double precision", "timestamp(3) with time zone", "interval day to
 * second(3)", "\"char\"" (case-insensitive, blanks collapse).  Errors as
 * dh_sqltype_parse's, and 42601 syntax error in type name "x". */
int dh_sqltype_parse_text(const char *s, size_t n, uint32_t *oid, int32_t *typmod,
			  struct dh_err *err);
/* format_type(oid, typmod) appended to b: "character varying(20)",
 * "numeric(10,2)", "integer[]", "bpchar" (bpchar with typmod -1), "???"
 * for an unknown OID.  with_typmod 0 is format_type(oid, NULL): no
 * modifiers, and bpchar prints as "character". */
int dh_sqltype_format(uint32_t oid, int32_t typmod, int with_typmod, struct dh_buf *b);
/* The typmod encodings, for callers that build typmods themselves. */
int32_t dh_sqltype_typmod_length(int32_t n);		 /* n + 4 */
int32_t dh_sqltype_typmod_numeric(int32_t p, int32_t s); /* ((p << 16) | (s & 0x7ff)) + 4 */

/* --- values --- */

/* Text input of type oid (typinput + length coercion to typmod as an
 * assignment would: varchar(3) fails on 'abcd').  s[0..n) need not be
 * NUL-terminated.  Errors as PostgreSQL's: 22P02 invalid input syntax for
 * type integer: "abc", 22003 value "99999999999" is out of range for type
 * integer, 22001 value too long for type character varying(3), 22003
 * numeric field overflow (with DETAIL), 22023 invalid hexadecimal digit,
 * 22021 invalid byte sequence for encoding "UTF8" (string types check
 * their input, as PostgreSQL's receive path does), ...; 0A000 if no module
 * implements the type's input. */
int dh_sqltype_in(uint32_t oid, int32_t typmod, const char *s, size_t n,
		  const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err);
/* Text output (typoutput) appended to b: exactly what PostgreSQL prints.
 * A NONE value appends nothing (the caller prints NULL its own way).
 * DH_ETOOLONG past b's cap; DH_ENOTSUP if no module implements the type. */
/* PostgreSQL's pg_verify_mbstr for UTF8 over n bytes: 0, or 22021
 * "invalid byte sequence for encoding \"UTF8\": 0x.." (a NUL too). */
int dh_sqltype_utf8_verify(const void *s, size_t n, struct dh_err *err);
int dh_sqltype_out(uint32_t oid, const struct dh_value *v, const struct dh_sqlenv *env,
		   struct dh_buf *b);
/* Binary send (typsend) appended to b: int2/4/8 and oid big-endian, float4
 * and float8 IEEE big-endian, numeric as ndigits, weight, sign, dscale
 * (int16 each) and base-10000 digits, bool one byte, text-likes and bytea
 * raw, uuid 16 bytes. */
int dh_sqltype_send(uint32_t oid, const struct dh_value *v, struct dh_buf *b, struct dh_err *err);
/* Binary receive (typreceive) of p[0..n) then length coercion to typmod.
 * Errors: 08P01 insufficient data left in message / incorrect binary data
 * format, 22P03 invalid ... in external "numeric" value, 22021 invalid byte
 * sequence for encoding "UTF8". */
int dh_sqltype_recv(uint32_t oid, int32_t typmod, const unsigned char *p, size_t n,
		    struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* Length coercion of a value of type oid to typmod (what an assignment or
 * cast to "varchar(3)" does after the conversion itself).  explicit_: as in
 * a CAST (varchar/bpchar truncate silently). */
int dh_sqltype_coerce(uint32_t oid, const struct dh_value *v, int32_t typmod, int explicit_,
		      struct dh_arena *a, struct dh_value *out, struct dh_err *err);

/* btree comparison of two non-NONE values of type oid (PostgreSQL's default
 * btree opclass): NaN after every other float/numeric and equal to itself,
 * -0 == 0, numeric by value (1.5 == 1.50), bpchar ignoring trailing blanks,
 * text/varchar/name in C collation (bytewise, = code points), bytea
 * bytewise then by length, false < true, uuid bytewise.  NONE sorts after
 * everything (NULLS LAST, as PostgreSQL's default ASC). */
int dh_sqltype_cmp(uint32_t oid, const struct dh_value *a, const struct dh_value *b);
/* Hash, consistent with dh_sqltype_cmp within a type, and across types
 * where PostgreSQL's equality crosses them:
 *  - int2, int4, int8, oid, numeric, float4 and float8 hash a number by its
 *    value as a double (-0 as 0, every NaN alike, numeric NaN as float NaN,
 *    numeric Infinity as float Infinity), so 1::int4, 1::int8, 1.0::numeric
 *    and 1::float8 hash alike, and so does any pair that compares equal
 *    after PostgreSQL's implicit casts (int <-> numeric exactly; anything
 *    <-> float8 through the double).  Distinct large numbers may collide
 *    (they share a double); that costs time, never correctness.
 *  - text, varchar, name, bpchar hash their bytes, bpchar without trailing
 *    blanks (so 'a '::char(3) and 'a'::text hash alike, as bpchar = text
 *    compares after rtrim).
 *  - bool, bytea, uuid, "char" hash their bytes.
 * NONE hashes to a fixed value. */
uint64_t dh_sqltype_hash(uint32_t oid, const struct dh_value *v);

/* --- functions and operators --- */

/* How a function is called.  The function writes its result to *out (bytes
 * in arena), or fails with an SQL error in err. */
struct dh_sqlcall {
	struct dh_arena *arena;
	struct dh_err *err;
	const struct dh_sqlenv *env; /* may be NULL */
	int nargs;
	const uint32_t *argtypes; /* the actual argument types (polymorphic
				   * functions read them); may be NULL */
	uint32_t rettype;	  /* the resolved result type (a cast
				   * function's target), or 0 */
};
typedef int (*dh_sqlfn)(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out);

/* Strict call: NONE if any of argv[0..c->nargs) is NONE, else fn.  A
 * function or operator marked nonstrict is called directly instead (it
 * handles NONE arguments itself: array_append(NULL, 1) is {1}). */
int dh_sqlfn_call(dh_sqlfn fn, struct dh_sqlcall *c, const struct dh_value *argv,
		  struct dh_value *out);

/* One pg_operator row.  Prefix operators have left == 0. */
struct dh_sqlop {
	const char *name; /* "+", "||", "|/" */
	uint32_t left, right, result;
	dh_sqlfn fn;
	const char *proname; /* pg_operator.oprcode, e.g. "int4pl" */
	int nonstrict;	     /* 1: fn takes NULL arguments (see dh_sqlfn_call) */
};
/* The operator name(left, right) with exactly these types; NULL if none
 * (left 0 for prefix). */
const struct dh_sqlop *dh_sqlop_find(const char *name, uint32_t left, uint32_t right);
/* Iterate over the operators called name (candidates for resolution):
 * pass prev NULL first, then the previous result; NULL at the end. */
const struct dh_sqlop *dh_sqlop_next(const char *name, const struct dh_sqlop *prev);
/* PostgreSQL's oprcom (a op b == b com a: < for >, int42pl for int24pl) and
 * oprnegate (not (a op b) == a neg b: <> for =, >= for <); NULL if none. */
const struct dh_sqlop *dh_sqlop_commutator(const struct dh_sqlop *o);
const struct dh_sqlop *dh_sqlop_negator(const struct dh_sqlop *o);

/* One pg_proc row (the built-in functions on these types). */
#define DH_SQLPROC_MAXARGS 8 /* make_interval has 7 */
struct dh_sqlproc {
	const char *name; /* "round" */
	int nargs;
	uint32_t args[DH_SQLPROC_MAXARGS];
	uint32_t result;
	dh_sqlfn fn;
	const char *prosrc; /* the C function PostgreSQL names, e.g. "numeric_round" */
	/* pg_proc.pronargdefaults: the last ndefaults arguments may be left
	 * out; fn then sees fewer (c->nargs) and supplies the defaults itself */
	int ndefaults;
	/* pg_proc.provariadic: 0, or the element type of the last argument
	 * (an array of it) that collects the trailing arguments of a call
	 * (jsonb_extract_path(j, 'a', 'b') passes text[] {a,b}), or
	 * DH_OID_ANY for VARIADIC "any": fn then gets the arguments as they
	 * are, c->nargs of them, their types in c->argtypes */
	uint32_t variadic;
	int nonstrict; /* 1: fn takes NULL arguments (see dh_sqlfn_call) */
	/* pg_proc.proargnames for calls with named arguments (make_interval(days
	 * => 3)): the names, blank-separated, each with "=literal" when it has
	 * a default, which such a call gets for an argument it leaves out
	 * ("years=0 months=0 ... secs=0.0"); NULL: no names */
	const char *argnames;
};
const struct dh_sqlproc *dh_sqlproc_find(const char *name, int nargs, const uint32_t *args);
const struct dh_sqlproc *dh_sqlproc_next(const char *name, const struct dh_sqlproc *prev);

/* A time with time zone value: the time of day t (us) and the zone
 * (seconds west of UTC), its bytes in a (lib/sqltime-timetz.c). */
void dh_sqltype_timetz_put(int64_t t, int zone, struct dh_arena *a, struct dh_value *out);

/* --- casts (pg_cast) --- */

enum dh_castctx {
	DH_CAST_EXPLICIT = 'e',	  /* only CAST(x AS t) / x::t */
	DH_CAST_ASSIGNMENT = 'a', /* also INSERT/UPDATE targets */
	DH_CAST_IMPLICIT = 'i',	  /* also in expressions */
};
enum dh_castmethod {
	DH_CAST_FUNCTION = 'f', /* a conversion function */
	DH_CAST_BINARY = 'b',	/* same representation: relabel */
	DH_CAST_INOUT = 'i',	/* through the text form */
};
/* A cast function: converts argv[0] of type source into the target type
 * (without the length coercion, which dh_sqlcast_value adds). */
struct dh_sqlcast {
	uint32_t source, target;
	char context; /* enum dh_castctx */
	char method;  /* enum dh_castmethod */
	dh_sqlfn fn;  /* DH_CAST_FUNCTION; for DH_CAST_BINARY, non-NULL when the
		       * relabeling changes dh's representation (int4 <-> oid) */
};
/* The pathway from source to target as PostgreSQL's find_coercion_pathway
 * finds it: a pg_cast row, else an automatic I/O cast (to a string-category
 * type: assignment; from one: explicit), else none.  Same type: binary,
 * implicit.  Returns 1 and fills *out, or 0 if there is no cast.  Array
 * casts are the array module's (hooks). */
int dh_sqlcast_find(uint32_t source, uint32_t target, struct dh_sqlcast *out);
/* Convert v of type source (typmod srctypmod) to target(dsttypmod): the
 * cast (a function, a relabeling, or output-then-input), then the length
 * coercion to dsttypmod unless it is -1 or the value already has it (same
 * type, same typmod).  Does not check the cast's context (the caller, which
 * knows whether this is implicit, assignment or explicit, does); explicit_
 * only selects truncation for varchar/bpchar.  NONE in, NONE out.  Errors:
 * 42846 cannot cast type x to y, and the conversion's own. */
int dh_sqlcast_value(uint32_t source, int32_t srctypmod, uint32_t target, int32_t dsttypmod,
		     int explicit_, const struct dh_value *v, const struct dh_sqlenv *env,
		     struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* The same with a pathway found once by dh_sqlcast_find (at plan time), so
 * that converting each row does not search the cast tables. */
int dh_sqlcast_apply(const struct dh_sqlcast *c, int32_t srctypmod, int32_t dsttypmod,
		     int explicit_, const struct dh_value *v, const struct dh_sqlenv *env,
		     struct dh_arena *a, struct dh_value *out, struct dh_err *err);

/* --- numeric helpers other modules use --- */

/* Value of a numeric (BIGDEC) as a double the way numeric -> float8 does it
 * (through its text, correctly rounded; NaN, +-Infinity; +-HUGE_VAL beyond
 * range, with *overflow set if not NULL). */
double dh_sqlnum_to_double(const struct dh_value *v, int *overflow);
/* PostgreSQL's numeric variance / stddev (sample or population) from the
 * count, sum(X) and sum(X*X) (numerics, exact); NONE when undefined. */
int dh_sqlnum_variance(int64_t n, const struct dh_value *sumx, const struct dh_value *sumx2,
		       int sample, int stddev, struct dh_arena *a, struct dh_value *out,
		       struct dh_err *err);
/* A numeric from an int64 (scale 0) in arena a. */
void dh_sqlnum_from_int64(int64_t i, struct dh_arena *a, struct dh_value *out);

#endif
