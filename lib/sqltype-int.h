/*
 * sqltype-int: what the files of the sqltype module share.  sqltype.c holds
 * the catalog, type names, typmods, dispatch and casts; sqltype-io.c the
 * text and binary forms of the scalar types other than numeric;
 * sqltype-ops.c the operators and functions on them and the operator,
 * function and cast tables; sqlnum.c and sqlnum-fn.c the numeric type
 * (sqlnum-int.h between them); sqltype-hooks.c the list of types,
 * operators, functions and casts other modules implement.
 */
#ifndef DH_SQLTYPE_INT_H
#define DH_SQLTYPE_INT_H

#include "sqlarray.h"
#include "sqltype.h"

/* --- errors --- */
#define SQLSTATE_SYNTAX "22P02"	  /* invalid_text_representation */
#define SQLSTATE_RANGE "22003"	  /* numeric_value_out_of_range */
#define SQLSTATE_DIVZERO "22012"  /* division_by_zero */
#define SQLSTATE_TOOLONG "22001"  /* string_data_right_truncation */
#define SQLSTATE_PARAM "22023"	  /* invalid_parameter_value */
#define SQLSTATE_BINARY "22P03"	  /* invalid_binary_representation */
#define SQLSTATE_PROTOCOL "08P01" /* protocol_violation */
#define SQLSTATE_NOTSUP "0A000"	  /* feature_not_supported */
#define SQLSTATE_LOG "2201E"	  /* invalid_argument_for_logarithm */
#define SQLSTATE_POWER "2201F"	  /* invalid_argument_for_power_function */
#define SQLSTATE_BUCKET "2201G"	  /* invalid_argument_for_width_bucket_function */
#define SQLSTATE_ENCODING "22021" /* character_not_in_repertoire */
#define SQLSTATE_INTERNAL "XX000"

/* "invalid input syntax for type %s: \"%s\"" with the input as given. */
int dh__sqlerr_syntax(struct dh_err *err, const char *type, const char *s, size_t n);
/* The input s[0..n) as a NUL-terminated copy in a (cut at a NUL). */
char *dh__sqlstr(struct dh_arena *a, const char *s, size_t n);
int dh__sqlisspace(int c);

/* --- hashing --- */
uint64_t dh__hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t dh__hash_double(double d);

/* --- values --- */
struct dh_value dh__v_bool(int b);
struct dh_value dh__v_long(int64_t i);
struct dh_value dh__v_double(double d);
struct dh_value dh__v_string(const char *p, size_t n);

/* --- floats (sqltype-io.c) --- */
/* float8out / float4out: shortest exact ("Ryu") text when
 * extra_float_digits > 0, else %.{15 + efd}g style. */
int dh__float_out(double d, int is_float4, int extra_float_digits, struct dh_buf *b);
/* float8in / float4in on the NUL-terminated s; type_name in messages. */
int dh__float8_in(const char *s, double *out, struct dh_err *err);
int dh__float4_in(const char *s, double *out, struct dh_err *err);

/* --- numeric (sqlnum.c) --- */
int dh__num_in(const char *s, size_t n, int32_t typmod, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err);
int dh__num_out(const struct dh_value *v, struct dh_buf *b);
int dh__num_send(const struct dh_value *v, struct dh_buf *b, struct dh_err *err);
int dh__num_recv(const unsigned char *p, size_t n, int32_t typmod, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err);
int dh__num_cmp(const struct dh_value *x, const struct dh_value *y);
int dh__num_coerce(const struct dh_value *v, int32_t typmod, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err);
int dh__num_typmod_in(const int32_t *mods, int nmods, int32_t *typmod, struct dh_err *err);
/* numeric -> int of the given width (2, 4, 8), rounding half away from zero */
int dh__num_to_int(const struct dh_value *v, int width, int64_t *out, struct dh_err *err);
/* float8/float4 -> numeric (through %.15g / %.6g, as PostgreSQL) */
int dh__num_from_double(double d, int is_float4, struct dh_arena *a, struct dh_value *out,
			struct dh_err *err);
/* numeric -> float8/float4 (through the text and float8in / float4in) */
int dh__num_to_float(const struct dh_value *v, int is_float4, double *out, struct dh_err *err);

/* Numeric operators and functions (dh_sqlfn) */
int dh__num_add(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_sub(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_mul(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_div(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_mod(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_pow(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_uminus(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_uplus(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_abs(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_round(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_round0(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_trunc(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_trunc0(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_ceil(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_floor(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_sign(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_sqrt(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_exp(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_ln(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_log(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_log10(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_div_trunc(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_gcd(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_lcm(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_scale(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_min_scale(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_trim_scale(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_width_bucket(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_factorial(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_larger(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
/* to_char(numeric | int, text), to_number(text, text) (sqlnum-fmt.c) */
int dh__num_to_char(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_int_to_char(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_float4_to_char(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_float8_to_char(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_to_number(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);
int dh__num_smaller(struct dh_sqlcall *c, const struct dh_value *a, struct dh_value *out);

/* --- tables (sqltype-ops.c, sqltype.c) --- */
extern const struct dh_sqlop dh__sqlops[];
extern const size_t dh__sqlops_n;
extern const struct dh_sqlproc dh__sqlprocs[];
extern const size_t dh__sqlprocs_n;
extern const struct dh_sqlcast dh__sqlcasts[];
extern const size_t dh__sqlcasts_n;
/* The scalar ops of sqltype-io.c, by OID (NULL if not one of ours). */
const struct dh_sqltype_ops *dh__sqltype_own_ops(uint32_t oid);

/* --- hooks (sqltype-hooks.c): other modules' types and tables --- */
/* The ops of a type another module implements; NULL if none. */
const struct dh_sqltype_ops *dh__sqltype_hook_ops(uint32_t oid);
/* Extra operator/function/cast tables from other modules: the i-th table
 * (i = 0, 1, ...) and its length; NULL after the last. */
const struct dh_sqlop *dh__sqlop_hook_table(int i, size_t *n);
const struct dh_sqlproc *dh__sqlproc_hook_table(int i, size_t *n);
const struct dh_sqlcast *dh__sqlcast_hook_table(int i, size_t *n);

/* The modules' adapters, listed by sqltype-hooks.c. */
/* sqltime-ops.c: date, time, timestamp, timestamptz, interval */
extern const struct dh_sqltype_ops dh__sqltime_type_ops;
extern const struct dh_sqlop dh__sqltime_ops[];
extern const size_t dh__sqltime_ops_n;
extern const struct dh_sqlproc dh__sqltime_procs[];
extern const size_t dh__sqltime_procs_n;
extern const struct dh_sqlcast dh__sqltime_casts[];
extern const size_t dh__sqltime_casts_n;
/* sqljson-ops.c: json, jsonb */
extern const struct dh_sqltype_ops dh__sqljson_json_ops;
extern const struct dh_sqltype_ops dh__sqljson_jsonb_ops;
extern const struct dh_sqlop dh__sqljson_ops[];
extern const size_t dh__sqljson_ops_n;
extern const struct dh_sqlproc dh__sqljson_procs[];
extern const size_t dh__sqljson_procs_n;
extern const struct dh_sqlcast dh__sqljson_casts[];
extern const size_t dh__sqljson_casts_n;
/* sqlarray-ops.c: every array type */
extern const struct dh_sqltype_ops dh__sqlarray_type_ops;
extern const struct dh_sqlop dh__sqlarray_ops[];
extern const size_t dh__sqlarray_ops_n;
extern const struct dh_sqlproc dh__sqlarray_procs[];
extern const size_t dh__sqlarray_procs_n;
/* sqljson-path.c: jsonpath */
extern const struct dh_sqltype_ops dh__sqljson_path_type_ops;
extern const struct dh_sqlop dh__sqljson_path_ops[];
extern const size_t dh__sqljson_path_ops_n;
extern const struct dh_sqlproc dh__sqljson_path_procs[];
extern const size_t dh__sqljson_path_procs_n;
/* sqltime-timetz.c: time with time zone */
extern const struct dh_sqltype_ops dh__sqltimetz_type_ops;
extern const struct dh_sqlop dh__sqltimetz_ops[];
extern const size_t dh__sqltimetz_ops_n;
extern const struct dh_sqlproc dh__sqltimetz_procs[];
extern const size_t dh__sqltimetz_procs_n;
extern const struct dh_sqlcast dh__sqltimetz_casts[];
extern const size_t dh__sqltimetz_casts_n;
/* sqlbytea.c: functions of bytea (get_byte, encode, sha256, convert_to...) */
extern const struct dh_sqlproc dh__sqlbytea_procs[];
extern const size_t dh__sqlbytea_procs_n;
/* The array element type elem as lib/sqlarray.h wants it: ctx->et, whose
 * callbacks are the catalog's for elem, with env (may be NULL); ctx must
 * outlive its use. */
struct dh__sqlelem {
	uint32_t oid;
	const struct dh_sqlenv *env;
	struct dh_array_elem et;
};
void dh__sqlarray_elem(uint32_t elem, const struct dh_sqlenv *env, struct dh__sqlelem *ctx);
/* An array value of type arrtype as the same nesting of its elements'
 * text forms (STRING, NONE for NULL), in a (to_json's arrays). */
int dh__sqlarray_texts(uint32_t arrtype, const struct dh_value *v, const struct dh_sqlenv *env,
		       struct dh_arena *a, struct dh_value *out);
/* The cast between two array types PostgreSQL makes from their element
 * types' cast (its context; converts element by element): 1 and *out, or
 * 0 if the element types have no cast. */
int dh__sqlarray_cast_find(uint32_t source, uint32_t target, struct dh_sqlcast *out);

#endif
