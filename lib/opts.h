/*
 * opts: what every program shares on its command line.  The store is -s PATH,
 * else $DH_STORE, else ./dh.store; the database is -d DB[:BRANCH], else
 * $DH_DATABASE, else "dh" (branch "main").
 */
#ifndef DH_OPTS_H
#define DH_OPTS_H
#include <stdio.h>
#include "util.h"

const char *dh_opts_store(const char *opt);
const char *dh_opts_dbref(const char *opt);
/* Print an error like psql's verbose mode: "ERROR:  SQLSTATE: message", DETAIL/HINT lines and,
 * when err->position is set and text is given, the line with a caret. */
void dh_print_error(FILE *f, const char *prog, const struct dh_err *err, const char *text,
		    size_t textlen);
#endif
