/*
 * format: printing query results (query.h's struct dh_result) in the output
 * formats of dh-query.
 *
 *   aligned  psql-like table: header, separator line, rows, "(N rows)"
 *   csv      RFC 4180, header line, quoting only when needed
 *   tsv      tab-separated, header line; tabs/newlines/backslashes escaped
 *            as \t \n \\ (PostgreSQL COPY text style)
 *   json     one JSON array of objects keyed by column name
 *   ndjson   one JSON object per line
 *   edn      the Datalog result as EDN: a set of tuples #{[..] ..} for a
 *            relation (one tuple per line), [..] for a collection, a tuple,
 *            a scalar, and maps for :keys/:strs/:syms
 *
 * Values print exactly: int64 in full, bigdecs with all their digits,
 * instants RFC 3339 UTC, uuids, keywords with their colon, bytes base64
 * (#bytes "..." in EDN), nil as an empty cell (aligned/csv/tsv) / null (JSON).
 * In JSON: integers and bigdecs are numbers (bigdecs written with their
 * digits), doubles are numbers except NaN/Infinity/-Infinity, which are
 * strings; instants, uuids, keywords (":ns/name"), bytes (base64) strings;
 * collections arrays; maps objects whose keyword keys lose their colon.
 * In aligned/csv/tsv cells, collections print as EDN.
 */
#ifndef DH_FORMAT_H
#define DH_FORMAT_H

#include <stdio.h>

#include "query.h"
#include "util.h"

enum dh_format { DH_FMT_ALIGNED, DH_FMT_CSV, DH_FMT_TSV, DH_FMT_JSON, DH_FMT_NDJSON, DH_FMT_EDN };

/* "aligned", "csv", "tsv", "json", "ndjson", "edn" -> 0, else DH_EUSAGE. */
int dh_format_from_name(const char *s, enum dh_format *out);
const char *dh_format_name(enum dh_format f);

/* Append r in format f to b.  Rows of a set (REL without bag) are printed in
 * dh_value_cmp order, so output is deterministic.  0 or DH_ETOOLONG. */
int dh_result_format(struct dh_buf *b, enum dh_format f, const struct dh_result *r);

/* One value as JSON / as plain text (the aligned/csv cell form). */
int dh_value_print_json(struct dh_buf *b, const struct dh_value *v);
int dh_value_print_text(struct dh_buf *b, const struct dh_value *v);

#endif
