/*
 * edn: a reader and printer for EDN (https://github.com/edn-format/edn), the
 * text form of tx-data and Datalog queries.
 *
 * Calling sequence:
 *   struct dh_arena a; dh_arena_init(&a);
 *   struct dh_edn *form; size_t used; struct dh_err err;
 *   rc = dh_edn_parse(&a, text, len, &form, &used, &err);
 *   ... form is NULL at end of input; used = bytes consumed ...
 *   dh_arena_release(&a);             frees every node
 *
 * Nodes live in the caller's arena and are never freed one by one.  The
 * reader never reads past len (input need not be NUL-terminated), limits
 * nesting to DH_EDN_MAX_DEPTH, and reports errors as DH_EBADEDN with
 * err->position set to the 1-based character (not byte) position of the
 * offending character in the whole input, like PostgreSQL.  For an
 * unterminated string or collection that is the opening quote or bracket;
 * for "unexpected end of input" it is one past the last character.
 *
 * Dialect notes (EDN leaves these open or Clojure differs):
 *   - Strings must be valid UTF-8 (no overlong forms, surrogates or code
 *     points past U+10FFFF).  A raw NUL byte is an error outside comments;
 *     the escape \u0000 is accepted and counted in s.n.  \uXXXX surrogate
 *     pairs are combined; a lone surrogate is an error.  Escapes: \" \\ \n
 *     \t \r \b \f \uXXXX.
 *   - Symbols and keywords may contain non-ASCII letters (valid UTF-8), as in
 *     Clojure; a keyword may begin with a digit (":1"), a symbol may not.
 *     Integers and floats may not have leading zeros ("012" is an error).
 *   - BIGINT text is canonical: no '+', no leading zeros, "0" not "-0".
 *   - Floats are read with strtod, so LC_NUMERIC must be "C" (the default
 *     unless a program calls setlocale(LC_NUMERIC/LC_ALL, "")).
 */
#ifndef DH_EDN_H
#define DH_EDN_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define DH_EDN_MAX_DEPTH 512

enum dh_edn_kind {
	DH_EDN_NIL,
	DH_EDN_BOOL,
	DH_EDN_INT,     /* fits int64 */
	DH_EDN_BIGINT,  /* "123N", or an integer outside int64: s holds digits with sign */
	DH_EDN_FLOAT,   /* d */
	DH_EDN_BIGDEC,  /* "1.5M": s holds the text without the M */
	DH_EDN_CHAR,    /* \a \newline \u00e9: ch is the code point */
	DH_EDN_STRING,  /* s: unescaped UTF-8, NUL-terminated (n excludes the NUL) */
	DH_EDN_SYMBOL,  /* s: "foo", "ns/foo", "?x", "$", "%", "..." */
	DH_EDN_KEYWORD, /* s: without the colon: "db/id", "find" */
	DH_EDN_LIST,
	DH_EDN_VECTOR,
	DH_EDN_MAP,     /* items[2k] is a key, items[2k+1] its value */
	DH_EDN_SET,
	DH_EDN_TAGGED,  /* #tag value: tag without '#', e.g. "inst", "uuid" */
};

struct dh_edn {
	enum dh_edn_kind kind;
	size_t pos, end; /* byte offsets of the form in the input: [pos, end) */
	union {
		int b;
		int64_t i;
		double d;
		uint32_t ch;
		struct {
			const char *p;
			size_t n;
		} s;
		struct {
			struct dh_edn **items;
			size_t n; /* for maps, 2 * number of entries */
		} coll;
		struct {
			const char *tag;
			struct dh_edn *val;
		} tagged;
	};
};

/* Read one form from text[0..len).  Skips whitespace, commas, ; comments and
 * #_ discards first.  On success returns 0, sets *out (NULL when only
 * whitespace/comments remained) and *used (bytes consumed, including trailing
 * whitespace up to the next form or end).  Errors: DH_EBADEDN (syntax: what
 * was expected and found), DH_ETOOLONG (nesting deeper than
 * DH_EDN_MAX_DEPTH).  Maps with duplicate keys and sets with duplicate
 * elements are errors, as EDN says.  Positions in err are relative to text.
 * Trailing #_ discards are not consumed (an error in one belongs to the next
 * call).  On error *out is NULL and *used is where reading stopped. */
int dh_edn_parse(struct dh_arena *a, const char *text, size_t len, struct dh_edn **out,
		 size_t *used, struct dh_err *err);

/* Read every form of text into *out (a DH_EDN_VECTOR-kind node holding them,
 * pos 0, end len).  Errors as dh_edn_parse; *out is NULL on error. */
int dh_edn_parse_all(struct dh_arena *a, const char *text, size_t len, struct dh_edn **out,
		     struct dh_err *err);

/* Is text[0..len) a complete input, for a line-by-line REPL?  Returns 1 when
 * every bracket opened is closed and no string is open (errors such as an
 * unmatched closer count as complete so the parser can report them), 0 when
 * more input is needed.  Ignores comments and strings correctly. */
int dh_edn_complete(const char *text, size_t len);

/* Append x to b as EDN text (canonical spacing: one space between items, maps
 * as {:a 1, :b 2}).  Floats always show a '.' or exponent and use the fewest
 * digits (15 to 17) that read back as the same double; strings escape
 * \" \\ \n \t \r and other control characters as \uXXXX.  Whatever the reader
 * returns prints as text that reads back dh_edn_equal.  A NULL x prints as
 * nil.  Returns 0, or DH_ETOOLONG when b's cap was passed (b->overflow). */
int dh_edn_print(struct dh_buf *b, const struct dh_edn *x);

/* Equality of two forms (structural; maps and sets order-insensitive, in
 * linear expected time).  INT and BIGINT compare by value (1 equals 1N); an
 * INT never equals a FLOAT; a list never equals a vector; ##NaN equals ##NaN
 * and 0.0 equals -0.0.  The reader's duplicate checks use the same rule.
 * Two NULLs are equal. */
int dh_edn_equal(const struct dh_edn *x, const struct dh_edn *y);

/* Helpers for walking forms. */
int dh_edn_is_keyword(const struct dh_edn *x, const char *kw); /* kw without ':' */
int dh_edn_is_symbol(const struct dh_edn *x, const char *sym);
/* Value for keyword key kw (without ':') in map m, or NULL (also when m is
 * NULL or not a map). */
const struct dh_edn *dh_edn_map_get(const struct dh_edn *m, const char *kw);
/* Convert a byte offset in text to a 1-based character position (UTF-8 code
 * points; a byte that is not valid UTF-8 counts as one).  byteoff is clamped
 * to len. */
int dh_edn_charpos(const char *text, size_t len, size_t byteoff);

#endif
