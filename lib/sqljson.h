/*
 * sqljson: PostgreSQL 15's json and jsonb types, their operators and
 * functions, exactly as PostgreSQL behaves (results, error SQLSTATEs,
 * messages, DETAIL and CONTEXT lines).
 *
 * Representation (lib/README, "SQL"): a json value is a DH_T_STRING holding
 * the input text verbatim (after validation); a jsonb value is a DH_T_STRING
 * holding jsonb's canonical text output: object keys de-duplicated keeping
 * the last, sorted by length then bytewise; `{"a": 1, "b": [1, 2]}` spacing;
 * numbers as numeric's text (1.0 stays 1.0, 1e2 is 100).  Stored values use
 * the same representation.  SQL NULL is DH_T_NONE everywhere.
 *
 * Calling sequence:
 *   struct dh_value v;  dh_jsonb_in(text, len, arena, &v, &err)   SQL input
 *   dh_jsonb_get(&v, &key, 0, arena, &out, &err)                  v -> key
 *   dh_jsonb_cmp(&a, &b)                                           ORDER BY
 *
 * Most functions take the json type they work on (DH_JSON or DH_JSONB) and
 * values in the representation above; they trust that a jsonb value is
 * canonical text (it came from dh_jsonb_in or from a function here) and
 * that a json value is valid json.  Text arguments and results are
 * DH_T_STRING, integer ones DH_T_LONG, booleans DH_T_BOOL, text[] arguments
 * DH_T_COLL vectors of DH_T_STRING / DH_T_NONE (lib/sqlarray.h), sets
 * (set-returning functions) DH_T_COLL vectors of rows.
 *
 * Errors: functions return 0 or DH_ESQL with err's SQLSTATE, message,
 * DETAIL, HINT and CONTEXT as PostgreSQL 15 reports them (22P02 invalid
 * input syntax, 22P05 unsupported Unicode escape sequence, 22023 invalid
 * parameter value, 22004 null value not allowed, 22003 numeric overflow,
 * 54001 nesting too deep).  DH_ETOOLONG when a result passes a buffer cap.
 *
 * Memory: every result (text, trees, collections) is allocated in the
 * caller's arena and lives as long as it; nothing is freed one by one.
 * Inputs are borrowed and never modified; results may point into them.
 */
#ifndef DH_SQLJSON_H
#define DH_SQLJSON_H

#include <stddef.h>
#include <stdint.h>

#include "datom.h"
#include "util.h"

/* The two SQL types. */
enum dh_jtype { DH_JSON, DH_JSONB };

/* --- the parsed tree ------------------------------------------------------
 * Kinds in jsonb's sort order (null < string < number < boolean < array <
 * object, with PostgreSQL's twists; see dh_jsonb_cmp). */
enum dh_json_kind {
	DH_JSON_NULL,
	DH_JSON_STRING,
	DH_JSON_NUMBER,
	DH_JSON_BOOL,
	DH_JSON_ARRAY,
	DH_JSON_OBJECT,
};

struct dh_json {
	enum dh_json_kind kind;
	int b;         /* BOOL */
	const char *s; /* STRING: decoded UTF-8 (NULL when not decoded, see
			* DH_JPARSE_DECODE); NUMBER: its text (numeric's
			* canonical text in a jsonb tree) */
	size_t sn;
	size_t n;               /* ARRAY: elements; OBJECT: pairs */
	struct dh_json *items;  /* ARRAY: n elements; OBJECT: 2n (key, value)... */
	const char *src;        /* the value's verbatim text in the input */
	size_t srcn;
};

/* Nesting deeper than this is PostgreSQL's stack-depth error (54001); its
 * own limit depends on its stack and is about 14500. */
#define DH_JSON_MAX_DEPTH 10000

/* dh_json_parse flags.  DECODE: de-escape strings, and refuse \u0000
 * (22P05) and unpaired UTF-16 surrogates (22P02), as jsonb input and json's
 * processing functions do; without it strings are only checked, as json
 * input does.  JSONB: DECODE, plus numbers become numeric's canonical text
 * (22003 "value overflows numeric format" past numeric's range) and objects
 * are sorted and de-duplicated as jsonb stores them. */
#define DH_JPARSE_DECODE 1u
#define DH_JPARSE_JSONB 3u

/* Parse s[0..n) (UTF-8) into a tree in arena a.  Errors: 22P02 "invalid
 * input syntax for type json" with PostgreSQL's DETAIL (Token "x" is
 * invalid., Expected ":", but found "2"., ...) and CONTEXT ("JSON data,
 * line 1: ..."); 22P05; 22003; 54001 "stack depth limit exceeded". */
int dh_json_parse(const char *s, size_t n, unsigned flags, struct dh_arena *a,
		  struct dh_json **out, struct dh_err *err);

/* Append jsonb's text output of the tree (canonical spacing) to b; with
 * pretty, jsonb_pretty's 4-space layout.  0 or DH_ETOOLONG. */
int dh_jsonb_write(struct dh_buf *b, const struct dh_json *j, int pretty);
/* Append s[0..n) as a JSON string literal (PostgreSQL's escape_json:
 * \" \\ \b \f \n \r \t, other controls as \u00xx, the rest verbatim). */
int dh_json_write_string(struct dh_buf *b, const char *s, size_t n);

/* Canonical numeric text of a JSON number token (numeric_in then
 * numeric_out): "1e2" -> "100", "-0.0" -> "0.0".  22003 past numeric's
 * range. */
int dh_json_numeric(const char *s, size_t n, struct dh_arena *a, const char **out,
		    size_t *outn, struct dh_err *err);

/* --- input, output, send/recv -------------------------------------------- */

/* json_in: validate; out = the text itself (copied into a). */
int dh_json_in(const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err);
/* jsonb_in: out = canonical text. */
int dh_jsonb_in(const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
		struct dh_err *err);
/* Text output is the value's string itself (json verbatim, jsonb canonical).
 * Binary: json is its text; jsonb is a version byte 1 then the text.
 * Receive validates as input does; jsonb_recv refuses another version
 * with PostgreSQL's XX000 "unsupported jsonb version number %d". */
int dh_json_send(struct dh_buf *b, const struct dh_value *v);
int dh_jsonb_send(struct dh_buf *b, const struct dh_value *v);
int dh_json_recv(const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
		 struct dh_err *err);
int dh_jsonb_recv(const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err);

/* Cast json -> jsonb (parse and normalise) and jsonb -> json (the text). */
int dh_json_to_jsonb(const struct dh_value *json, struct dh_arena *a, struct dh_value *out,
		     struct dh_err *err);

/* --- comparison (btree jsonb_ops) and hashing ----------------------------
 * PostgreSQL's order: object > array > boolean > number > string > null;
 * objects with more pairs first greater, then key by key and value by value
 * (keys in storage order: by length, then bytes); arrays by element count,
 * then element by element; a top-level scalar sorts against a top-level
 * array as PostgreSQL's one-element "raw scalar" array does (so '1' > '[]').
 * Numbers compare numerically (1.0 = 1).  Values must be canonical jsonb
 * text.  Hash: equal values hash alike (not PostgreSQL's hash values). */
int dh_jsonb_cmp(const struct dh_value *a, const struct dh_value *b);
int dh_jsonb_eq(const struct dh_value *a, const struct dh_value *b);
uint64_t dh_jsonb_hash(const struct dh_value *v);
/* Compare two trees the same way (jsonb trees: numbers canonical). */
int dh_json_tree_cmp(const struct dh_json *a, const struct dh_json *b);

/* --- operators -------------------------------------------------------------
 * All take t (DH_JSON or DH_JSONB), json/jsonb values, return 0 or DH_ESQL,
 * set *out (DH_T_NONE for SQL NULL) in arena a.  SQL NULL arguments give a
 * NULL result (the functions are strict) unless said otherwise. */

/* -> and ->>: sel is a DH_T_STRING key or a DH_T_LONG index (negative from
 * the end).  as_text: ->> (strings de-escaped, JSON null -> NULL). */
int dh_json_get(enum dh_jtype t, const struct dh_value *doc, const struct dh_value *sel,
		int as_text, struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* #> and #>>: path is a text[] (a vector); NULL elements give NULL. */
int dh_json_get_path(enum dh_jtype t, const struct dh_value *doc, const struct dh_value *path,
		     int as_text, struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* @> (a contains b); <@ is the arguments swapped.  *out is DH_T_BOOL. */
int dh_jsonb_contains(const struct dh_value *a, const struct dh_value *b, struct dh_arena *ar,
		      struct dh_value *out, struct dh_err *err);
/* ? (key a string), ?| (any, keys a text[]), ?& (all). */
int dh_jsonb_exists(const struct dh_value *doc, const struct dh_value *key, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
int dh_jsonb_exists_any(const struct dh_value *doc, const struct dh_value *keys, int all,
			struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* || */
int dh_jsonb_concat(const struct dh_value *l, const struct dh_value *r, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
/* -: what is a DH_T_STRING key, DH_T_LONG index or text[] vector of keys.
 * 22023 "cannot delete from scalar", "cannot delete from object using
 * integer index". */
int dh_jsonb_delete(const struct dh_value *doc, const struct dh_value *what, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
/* #- */
int dh_jsonb_delete_path(const struct dh_value *doc, const struct dh_value *path,
			 struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* jsonb_set(doc, path, val, create_missing) and jsonb_insert(doc, path, val,
 * insert_after). */
int dh_jsonb_set(const struct dh_value *doc, const struct dh_value *path,
		 const struct dh_value *val, int create_missing, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err);
int dh_jsonb_insert(const struct dh_value *doc, const struct dh_value *path,
		    const struct dh_value *val, int after, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err);

/* Subscript assignment doc[p1]...[pn] := val (jsonb_set_element): path a
 * text[] vector of non-NULL keys or indexes, doc and val non-NULL.  Unlike
 * jsonb_set, missing keys along the path are created (objects, or arrays
 * for integer elements), arrays are padded with nulls up to the index, and
 * a scalar on the path is 22023 "cannot replace existing key"; a negative
 * index before the start is 22023 "path element at position N is out of
 * range: I". */
int dh_jsonb_set_element(const struct dh_value *doc, const struct dh_value *path,
			 const struct dh_value *val, struct dh_arena *a, struct dh_value *out,
			 struct dh_err *err);

/* --- functions ------------------------------------------------------------ */

/* json(b)_typeof: "object", "array", "string", "number", "boolean", "null". */
int dh_json_typeof(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err);
/* json(b)_array_length: DH_T_LONG. */
int dh_json_array_length(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
			 struct dh_value *out, struct dh_err *err);
/* Set-returning functions give NULL (no rows) for a NULL document. */
/* json(b)_object_keys: a vector of DH_T_STRING keys (json: every key as
 * written, duplicates too). */
int dh_json_object_keys(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
			struct dh_value *out, struct dh_err *err);
/* json(b)_each / _each_text: a vector of [key, value] vectors; value is
 * json/jsonb, or with as_text text (DH_T_NONE for a JSON null). */
int dh_json_each(enum dh_jtype t, const struct dh_value *doc, int as_text, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err);
/* json(b)_array_elements / _text: a vector of values. */
int dh_json_array_elements(enum dh_jtype t, const struct dh_value *doc, int as_text,
			   struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* json(b)_strip_nulls: object fields whose value is null are dropped, at
 * every depth.  json's result is re-emitted without whitespace. */
int dh_json_strip_nulls(enum dh_jtype t, const struct dh_value *doc, struct dh_arena *a,
			struct dh_value *out, struct dh_err *err);
/* jsonb_pretty */
int dh_jsonb_pretty(const struct dh_value *doc, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err);

/* --- SQL values into json: to_json, the builders, the aggregates ---------
 * A value of another SQL type is given as its PostgreSQL text output plus
 * its category (PostgreSQL's JsonTypeCategory):
 *   NUMERIC  int2/4/8, numeric, float4/8: verbatim if it is a JSON number,
 *            else a string ("NaN", "Infinity")
 *   BOOL     "t"/"true"... -> true/false (text "t" or "f", or "true"/"false")
 *   DATE, TIMESTAMP, TIMESTAMPTZ: text as PostgreSQL prints it with
 *            DateStyle ISO ("2020-01-01 10:00:00+05:30"), written as JSON
 *            wants it ("2020-01-01T10:00:00+05:30"); infinities as is
 *   JSON     json text, inserted verbatim (jsonb: parsed)
 *   JSONB    jsonb canonical text
 *   ARRAY    v is a DH_T_COLL vector (nested for more dimensions) of the
 *            elements' text forms (DH_T_STRING, DH_T_NONE for NULL);
 *            elemcat is their category
 *   COMPOSITE v is the row already as json text (row_to_json's output)
 *   OTHER    anything else (text, uuid, ...): a JSON string of the text.
 * v is DH_T_NONE for SQL NULL. */
enum dh_json_cat {
	DH_JCAT_NULL,
	DH_JCAT_NUMERIC,
	DH_JCAT_BOOL,
	DH_JCAT_DATE,
	DH_JCAT_TIMESTAMP,
	DH_JCAT_TIMESTAMPTZ,
	DH_JCAT_JSON,
	DH_JCAT_JSONB,
	DH_JCAT_ARRAY,
	DH_JCAT_COMPOSITE,
	DH_JCAT_OTHER,
};
struct dh_json_datum {
	enum dh_json_cat cat;
	enum dh_json_cat elemcat; /* ARRAY only */
	struct dh_value v;
};

/* The datum of a value v (DH_T_NONE for NULL) of SQL type oid, as
 * to_json sees it: its text output in DateStyle ISO and the rest of env
 * (NULL: the defaults), arrays as their elements' texts (in arena a).
 * Errors: 0A000 for a type without text output.  (sqljson-ops.c: it
 * needs the type catalog, lib/sqltype.h.) */
struct dh_sqlenv;
int dh_sqljson_datum(uint32_t oid, const struct dh_value *v, const struct dh_sqlenv *env,
		     struct dh_arena *a, struct dh_json_datum *d, struct dh_err *err);

/* to_json / to_jsonb: *out is json / jsonb; NULL for a NULL value. */
int dh_to_json(enum dh_jtype t, const struct dh_json_datum *d, struct dh_arena *a,
	       struct dh_value *out, struct dh_err *err);
/* json(b)_build_array(args), json(b)_build_object(k1, v1, ...).  Errors
 * 22023 "argument list must have even number of elements" (with HINT),
 * null keys, and keys that are arrays, composites or json. */
int dh_json_build_array(enum dh_jtype t, const struct dh_json_datum *args, size_t n,
			struct dh_arena *a, struct dh_value *out, struct dh_err *err);
int dh_json_build_object(enum dh_jtype t, const struct dh_json_datum *args, size_t n,
			 struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* The catalog's name for the json of a whole-row reference: sqlexpr
 * compiles row_to_json(t) into DH_JSON_ROW_FN('col1', t.col1, ...)
 * (VARIADIC "any", dh_json_row of the pairs); not a name SQL can call
 * unquoted. */
#define DH_JSON_ROW_FN "?row_to_json?"
/* json(b)_agg over vals[0..n) in order; NULL (DH_T_NONE) for no rows. */
int dh_json_agg(enum dh_jtype t, const struct dh_json_datum *vals, size_t n, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err);
/* json(b)_object_agg over (keys[i], vals[i]); 22023 "field name must not be
 * null". */
int dh_json_object_agg(enum dh_jtype t, const struct dh_json_datum *keys,
		       const struct dh_json_datum *vals, size_t n, struct dh_arena *a,
		       struct dh_value *out, struct dh_err *err);
/* row_to_json(row) / to_jsonb(row) of a record: names[i] and vals[i]. */
int dh_json_row(enum dh_jtype t, const char *const *names, const struct dh_json_datum *vals,
		size_t n, struct dh_arena *a, struct dh_value *out, struct dh_err *err);

/* --- jsonpath (sqljson-path.c) ------------------------------------------ */

/* jsonpath_in: s[0..n) checked and printed as PostgreSQL prints it
 * ('$.a' -> '$."a"'); 42601 "syntax error at or near ... of jsonpath
 * input"; 0A000 for like_regex, .keyvalue(), .datetime(). */
int dh_jsonpath_in(const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
		   struct dh_err *err);
/* jsonb_path_query(target, path [, vars [, silent]]) as a dh_sqlfn (of
 * lib/sqltype.h): the items as a vector of jsonb values. */
struct dh_sqlcall;
int dh_jsonpath_query(struct dh_sqlcall *c, const struct dh_value *argv, struct dh_value *out);

#endif
