/*
 * shell-int: what shell.c shares with shell-describe.c, psql's describe
 * commands over the SQL catalog.
 *
 *   rc = dh__shell_describe(sql, "\\dt", 3, " w*", 3, DH_FMT_ALIGNED, &out, &msg, &err);
 *   print out to stdout, each line of msg to stderr (psql's
 *   "error: Did not find any relation named ..."), err as an ERROR if rc < 0
 */
#ifndef DH_SHELL_INT_H
#define DH_SHELL_INT_H

#include "format.h"
#include "sql.h"
#include "util.h"

/* Run the describe command cmd[0..cn) ("\d", "\d+", "\dt", "\dvS", ...)
 * with its arguments args[0..n) in session s.  Returns 2 if cmd is not a
 * describe command this module knows (nothing done), 0 when done (out
 * holds what goes to standard output in format fmt, msg lines for
 * standard error, each starting with its level, "error: " or "warning: ",
 * as psql shows them in a script), 1 when done but failed as psql fails (\d NAME found
 * nothing: msg says so), or a negative DH_E* with err set (25P02 in a
 * failed transaction block, store errors, an error of the query that finds
 * a view's column types). */
int dh__shell_describe(struct dh_sql *s, const char *cmd, size_t cn, const char *args, size_t n,
		       enum dh_format fmt, struct dh_buf *out, struct dh_buf *msg,
		       struct dh_err *err);

#endif
