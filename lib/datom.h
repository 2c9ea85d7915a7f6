/*
 * datom: values and datoms, and their order-preserving key encoding.
 *
 * A datom is [e a v tx added].  e, a and tx are entity ids (uint64); v is a
 * struct dh_value of one of the types below.  The key encoding of a value
 * (dh_value_encode) is prefix-free and sorts, as raw bytes (memcmp, LMDB's
 * default order), exactly as dh_value_cmp orders the values:
 *   - values of different types sort by type, in the order of enum dh_type;
 *   - long, instant: numeric; double: numeric, with -0.0 == 0.0 (stored as
 *     0.0) and every NaN equal to one NaN that sorts after +Infinity
 *     (PostgreSQL's float order); bigdec: numeric, then by scale (1.5 < 1.50),
 *     with -Infinity first and Infinity, NaN last;
 *   - string, keyword, bytes: bytewise (for UTF-8, code point order);
 *   - uuid: bytewise on the 16 bytes; boolean: false < true; ref: numeric.
 * Strings, keywords and bytes whose encoding would pass DH_KEY_INLINE_MAX
 * bytes are "spilled": the key holds a prefix, a marker and a 16-byte digest
 * of the whole value; the caller keeps the whole value elsewhere (the store's
 * value table).  Spilled values sort exactly against everything except other
 * spilled values with the same prefix, which sort by digest; equality stays
 * exact.
 *
 * Memory: values point at bytes they do not own (s.p); decoding copies into
 * the caller's arena.  Nothing here allocates from the heap except through
 * an arena or a dh_buf.
 */
#ifndef DH_DATOM_H
#define DH_DATOM_H

#include <stdint.h>
#include <stddef.h>

#include "util.h"

enum dh_type {
	DH_T_NONE = 0, /* no value: never stored */
	DH_T_BOOL,
	DH_T_LONG,
	DH_T_BIGDEC,
	DH_T_DOUBLE,
	DH_T_INSTANT,
	DH_T_UUID,
	DH_T_STRING,
	DH_T_KEYWORD,
	DH_T_BYTES,
	DH_T_REF,
	DH_T__COUNT,
	/* Values that exist only in query results (pull maps, tuples, the
	 * collections of aggregates such as distinct) and are never stored or
	 * encoded.  They sort after every stored type. */
	DH_T_COLL = 32,
};

enum dh_coll_kind { DH_COLL_VECTOR, DH_COLL_LIST, DH_COLL_SET, DH_COLL_MAP };
struct dh_value;
/* A collection value: items[0..n); for a map items[2k] is a key and
 * items[2k+1] its value (n counts both, as in struct dh_edn). */
struct dh_coll {
	enum dh_coll_kind kind;
	size_t n;
	struct dh_value *items;
};

struct dh_value {
	enum dh_type type;
	union {
		int b;         /* BOOL: 0 or 1 */
		int64_t i;     /* LONG; INSTANT: microseconds since 1970-01-01T00:00:00Z */
		double d;      /* DOUBLE */
		uint64_t ref;  /* REF: an entity id */
		const struct dh_coll *coll; /* COLL */
		unsigned char uuid[16];
		/* STRING: UTF-8 text; KEYWORD: "ns/name" or "name" (no colon);
		 * BYTES: raw bytes; BIGDEC: canonical decimal text, see below.
		 * p[n] need not be NUL. */
		struct {
			const char *p;
			size_t n;
		} s;
	};
};

/* A deep copy of v whose bytes (strings, keywords, bytes, bigdec text,
 * collection items) live in arena a. */
struct dh_value dh_value_copy(struct dh_arena *a, const struct dh_value *v);

/* Type names as in schema (:db.type/<name>) and in messages. */
const char *dh_type_name(enum dh_type t);        /* "long", "string", ... */
enum dh_type dh_type_from_name(const char *name, size_t n); /* DH_T_NONE if unknown */

/* --- key encoding --- */
#define DH_KEY_INLINE_MAX 256 /* max encoded bytes of an inline value */
#define DH_VALUE_DIGEST 16
/* Largest encoding dh_value_encode can produce (a spilled value). */
#define DH_VALUE_ENC_MAX (DH_KEY_INLINE_MAX + 4 + DH_VALUE_DIGEST)
/* Maximum length of a string, keyword or bytes value (an "over-long value"
 * beyond it is DH_ETOOLONG), and the most digits (integer and fraction
 * together) of a bigdec's canonical text: 400, so that every bigdec key stays
 * inline (two digits a byte) within DH_KEY_INLINE_MAX. */
#define DH_VALUE_MAX_BYTES ((size_t)64 << 20)
#define DH_BIGDEC_MAX_DIGITS 400

/* Append the key encoding of v to b.  Sets *spilled (if not NULL) to 1 when
 * the value was spilled (see above), else 0.  Returns 0, DH_ETOOLONG (string
 * over DH_VALUE_MAX_BYTES, or b's cap), or DH_EBADVALUE (bigdec text not
 * canonical, type DH_T_NONE). */
int dh_value_encode(struct dh_buf *b, const struct dh_value *v, int *spilled);
/* Decode one value from p[0..n).  Returns the number of bytes consumed (> 0)
 * or DH_ECORRUPT, also for bytes dh_value_encode never writes (a -0.0, a NaN
 * payload, a non-canonical bigdec, an over-long inline string), so a valid
 * key has exactly one reading.  String-like values and bigdecs are copied
 * into arena a (NUL-terminated).  For a spilled value, v holds the inline
 * prefix and *digest (if not NULL) points at its DH_VALUE_DIGEST-byte digest
 * inside p; otherwise *digest is set to NULL. */
int dh_value_decode(const unsigned char *p, size_t n, struct dh_value *v, struct dh_arena *a,
		    const unsigned char **digest);
/* Length of the encoded value at p[0..n) without decoding it; DH_ECORRUPT if
 * malformed. */
int dh_value_skip(const unsigned char *p, size_t n);
/* Digest used for spilled values: first DH_VALUE_DIGEST bytes of SHA-256 of
 * the raw value bytes (s.p[0..s.n)). */
void dh_value_digest(const struct dh_value *v, unsigned char out[DH_VALUE_DIGEST]);

/* Total order, consistent with the encoding for non-spilled values and with
 * exact values always: <0, 0, >0.  DH_T_NONE (nil) sorts first; collections
 * sort last, by kind, then item by item, then by length. */
int dh_value_cmp(const struct dh_value *a, const struct dh_value *b);
int dh_value_eq(const struct dh_value *a, const struct dh_value *b);

/* Print v as EDN: 42, 1.5, 1.0, ##NaN, ##Inf, ##-Inf, true, "str" (escaped),
 * :ns/name, 1.50M, #inst "2026-11-21T10:00:00.123456Z", #uuid "...",
 * #bytes "base64", refs as plain integers, DH_T_NONE as nil, collections as
 * [..] (..) #{..} {k v, ...}.  0 or DH_ETOOLONG. */
int dh_value_print_edn(struct dh_buf *b, const struct dh_value *v);

/* --- bigdec: canonical text is  -?(0|[1-9][0-9]*)(\.[0-9]+)?  without an
 * exponent; trailing fractional zeros are kept (they are the scale); "-0" and
 * "-0.00" are written without the sign.  The texts "NaN", "Infinity" and
 * "-Infinity" are canonical too (SQL numeric's special values): they sort
 * -Infinity < every number < Infinity < NaN, and print in EDN as ##NaN,
 * ##Inf, ##-Inf (EDN has no bigdec for them; they read back as doubles).
 * Parsing does not produce them.  Parsing accepts an optional sign,
 * digits with optional fraction, an optional exponent (e/E), and optional
 * trailing 'M'; the result is canonical text in arena a.  Exponents move
 * the point: 1.5e3 -> "1500", 15e-1 -> "1.5".  DH_EBADVALUE on bad text,
 * DH_ETOOLONG beyond DH_BIGDEC_MAX_DIGITS digits. */
int dh_bigdec_parse(const char *s, size_t n, struct dh_arena *a, struct dh_value *out);
/* Compare two canonical bigdec texts numerically (1.5 == 1.50 here). */
int dh_bigdec_cmp_num(const char *a, size_t an, const char *b, size_t bn);

/* --- instants: RFC 3339.  Parsing accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM",
 * "...:SS", fractions of 1-9 digits (truncated to microseconds), and a zone
 * of "Z", "+HH:MM", "-HH:MM", "+HHMM" or none (UTC); 'T' or ' ' between
 * date and time; years 0001-9999.  Formatting is UTC with 'Z', fraction
 * omitted when zero, else 3 digits when whole milliseconds, else 6; a year
 * outside 0000-9999 gets a sign ("+10000-01-01T00:00:00Z").  Instants
 * outside 0001-9999 format but do not parse back.  Leap seconds (":60")
 * are refused.
 * DH_EBADTIME on bad text. */
int dh_instant_parse(const char *s, size_t n, int64_t *us);
#define DH_INSTANT_STRLEN 40
void dh_instant_format(int64_t us, char out[DH_INSTANT_STRLEN]);

/* --- uuids: 8-4-4-4-12 hex, either case; formatted lower case. */
int dh_uuid_parse(const char *s, size_t n, unsigned char out[16]); /* 0 or DH_EBADVALUE */
#define DH_UUID_STRLEN 37
void dh_uuid_format(const unsigned char u[16], char out[DH_UUID_STRLEN]);

/* --- base64 (RFC 4648, with padding) --- */
int dh_base64_encode(struct dh_buf *b, const void *p, size_t n);
/* Decode into arena a; DH_EBADVALUE on bad input (whitespace not allowed). */
int dh_base64_decode(const char *s, size_t n, struct dh_arena *a, unsigned char **out, size_t *outlen);

/* --- doubles: shortest text that reads back to the same double, in
 * EDN/Clojure style: the mantissa always has a '.', an exponent is written
 * 'E' without '+' or leading zeros ("1.0", "-2.5", "1.0E20", "1.5E-7");
 * NaN and infinities as EDN's ##NaN, ##Inf, ##-Inf. */
void dh_double_format(double d, char out[40]);

/* --- datoms --- */
struct dh_datom {
	uint64_t e, a, tx;
	struct dh_value v;
	int added;
};

#endif
