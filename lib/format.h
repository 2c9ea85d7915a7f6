/*
 * format: printing query results (query.h's struct dh_result) in the output
 * formats of dh-query.
 *
 * Calling sequence:
 *   struct dh_buf b;  dh_buf_init(&b, cap);
 *   dh_result_format(&b, DH_FMT_ALIGNED, &result);   appends; b owns the text
 *   fwrite(b.p, 1, b.len, stdout);  dh_buf_release(&b);
 *
 * Row order.  A set (REL without bag) and a collection (COLL without bag) are
 * printed sorted by dh_value_cmp, row by row, column by column, in every
 * format, so output is deterministic; a bag (:with), a tuple and a scalar
 * keep their given order.  r is never modified.
 *
 * Shapes.  Outside EDN the shape does not matter: every result is a table
 * of r->ncols columns named r->cols and r->nrows rows (a nil TUPLE or
 * SCALAR has 0 rows, a COLL one column).  With :keys/:strs/:syms the
 * columns hold the bare names and only EDN prints them differently.
 *
 *   aligned  psql's default output (border 1), byte for byte for the same
 *            cell texts: column names centered, then a line of '-' and '+',
 *            rows with " | " between cells, "(1 row)" / "(N rows)" and an
 *            empty line.  Numbers (long, double, bigdec, ref) are
 *            right-aligned: a column is numeric when it holds numbers and
 *            otherwise only nils (dh values have no column type).  Widths
 *            count display columns of UTF-8 as PostgreSQL 15 does
 *            (combining marks 0, East Asian wide 2, else 1).  Cells are
 *            shown as psql shows them: a newline starts another line of the
 *            cell and the line before ends in '+' (also in column names);
 *            tabs expand to the next multiple of 8; CR is shown as \r,
 *            other control characters as \xHH or \uHHHH, and bytes that are
 *            not UTF-8 as \xHH.  The last cell of a line has no trailing
 *            blanks unless right-aligned or continued.  No columns at all
 *            prints "--" and the footer.
 *   csv      RFC 4180 with "\n" line ends: a header line of the column
 *            names, then one record per row.  A field is quoted ("" for a
 *            quote inside) when it contains a comma, quote, CR or LF, starts
 *            or ends with a space or tab, is empty, or is exactly "\." (the
 *            COPY end marker).  nil is an empty unquoted field, the empty
 *            string "" (as PostgreSQL's COPY CSV).
 *   tsv      a header line, then fields separated by tabs, one row a line;
 *            backslash, tab, LF and CR are written \\ \t \n \r (PostgreSQL
 *            COPY text).  nil is an empty field, as a shell user splitting
 *            on tabs expects (not COPY's \N), so nil and "" look the same
 *            here; use csv or json to tell them apart.
 *   json     one JSON array of objects keyed by column name, in sqlite3's
 *            .mode json layout: "[{...},\n{...}]\n", one object a line;
 *            "[]\n" for no rows.  Keys keep column order.
 *   ndjson   one JSON object per line; nothing for no rows.
 *   edn      the Datalog result as DataScript 1.x prints it, ending in a
 *            newline: REL a set of tuples, one per line under the first
 *            ("#{[1 \"a\"]\n  [2 \"b\"]}", "#{}" when empty; equal rows
 *            once, as a set must); a bag a vector of tuples in given order
 *            ("[[1]\n [1]]"); COLL "[v1 v2 ...]" on one line; TUPLE "[a b]"
 *            or nil; SCALAR the value or nil.  With :keys/:strs/:syms a
 *            tuple becomes a map keyed by :name / "name" / name in column
 *            order ("{:name \"Ivan\", :age 30}"): REL a set of maps (a
 *            vector of maps for a bag), TUPLE one map.  COLL and SCALAR
 *            ignore keys, as DataScript does.
 *
 * Values.  Cells of aligned/csv/tsv are dh_value_print_text: strings raw,
 * keywords ":ns/name", int64 in full, refs unsigned, bigdecs with all their
 * digits and no M, doubles as dh_double_format ("1.0", "1.0E20") except
 * NaN, Infinity, -Infinity (PostgreSQL's spellings), instants RFC 3339 UTC,
 * uuids lower case, bools true/false, bytes base64 (psql shows bytea as
 * \x hex; dh's EDN uses base64, so text does too), collections as their EDN
 * text, nil empty.
 * JSON (dh_value_print_json): nil null, bools true/false, longs and refs
 * exact integers, bigdecs as their digits ("1.50" stays 1.50), doubles as
 * numbers in the shortest form that reads back ("1.0", "1.0E20") except
 * NaN, Infinity, -Infinity, which are strings "NaN", "Infinity",
 * "-Infinity"; instants, uuids, keywords (":ns/name"), bytes (base64)
 * strings; vectors, lists and sets arrays; maps objects whose keyword keys
 * lose their colon, string keys stay, and other keys become their EDN text
 * ("{\"1\":..}").  Strings escape quote, backslash and control characters
 * (\n \t ..., else \u00XX); UTF-8 passes through, and a byte that is not
 * UTF-8 becomes U+FFFD so the output is always valid JSON.
 * EDN values are dh_value_print_edn.
 *
 * Nothing here prints or exits.  On DH_ETOOLONG b holds a partial text and
 * b->overflow is set.
 */
#ifndef DH_FORMAT_H
#define DH_FORMAT_H

#include <stdio.h>

#include "query.h"
#include "util.h"

enum dh_format { DH_FMT_ALIGNED, DH_FMT_CSV, DH_FMT_TSV, DH_FMT_JSON, DH_FMT_NDJSON, DH_FMT_EDN };

/* "aligned", "csv", "tsv", "json", "ndjson", "edn" -> 0 and *out set, else
 * DH_EUSAGE (also for NULL).  dh_format_name is the inverse ("unknown" for
 * a value out of range); the names are static strings. */
int dh_format_from_name(const char *s, enum dh_format *out);
const char *dh_format_name(enum dh_format f);

/* Append r in format f to b (see above).  0, DH_ETOOLONG (b's cap), or
 * DH_EUSAGE for an f that is not an enum dh_format. */
int dh_result_format(struct dh_buf *b, enum dh_format f, const struct dh_result *r);

/* A SQL result: rows of PostgreSQL text forms (NULL for SQL NULL),
 * row-major, with column names; numeric[j] marks a column of PostgreSQL's
 * numeric category (right-aligned as psql does; JSON numbers), boolean[j]
 * a bool column ('t'/'f': JSON true/false).  Both may be NULL. */
struct dh_rows {
	size_t ncols, nrows;
	const char *const *cols;
	const int *numeric, *boolean;
	const char *const *cells;
};
/* Append t in format f: aligned (psql's layout, NULL as nothing), csv,
 * tsv, json, ndjson as for results; edn is not a table format and prints
 * aligned.  0 or DH_ETOOLONG. */
int dh_rows_format(struct dh_buf *b, enum dh_format f, const struct dh_rows *t);

/* Display columns of the UTF-8 text s[0..n) as PostgreSQL 15 counts them
 * (combining marks 0, East Asian wide 2, else 1). */
size_t dh_text_width(const char *s, size_t n);

/* One value as JSON / as plain text (the aligned/csv/tsv cell form, before
 * quoting or escaping).  0 or DH_ETOOLONG. */
int dh_value_print_json(struct dh_buf *b, const struct dh_value *v);
int dh_value_print_text(struct dh_buf *b, const struct dh_value *v);

#endif
