/*
 * shell: what dh-query does with its input.  bin/dh-query.c owns the
 * terminal (readline); this module runs text: EDN tx-data vectors are
 * transacted, Datalog queries ([:find ...], {:find ...}, (pull ...)) run and
 * print in the chosen format, backslash commands run; anything else (input
 * whose first token, after blanks and SQL comments, does not start EDN
 * with [ { ( # :) is SQL, run in one struct dh_sql session kept for the
 * whole run and printed as psql prints it.
 *
 *   dh_shell_open(&opts, out, errf, &sh, &err);
 *   while (more input) rc = dh_shell_exec(sh, text, n);   prints results
 *   dh_shell_close(sh);
 */
#ifndef DH_SHELL_H
#define DH_SHELL_H
#include <signal.h>
#include <stdio.h>
#include "util.h"

#define DH_QUERY_USAGE                                                                            \
	"usage: dh-query [-s store] [-d db[:branch]] [-c text]... [-f file] [--format f] "        \
	"[--as-of t] [--since t] [--history] [--in edn]... [--no-sync] [--continue]"

struct dh_shell_opts {
	const char *store, *dbref, *as_of, *since;
	int history, nosync, cont;
	const char *format; /* NULL: aligned on a terminal, else edn */
	int tty;            /* output is a terminal */
	size_t nin;
	const char *const *in; /* --in texts, in order */
	/* set from a SIGINT handler: cancels the running statement */
	volatile sig_atomic_t *cancel;
	/* where COPY ... FROM STDIN reads its data when it does not follow
	 * in a script (-c, the terminal): standard input, or NULL (none) */
	FILE *copy_in;
};
struct dh_shell;

/* Open the store (creating it, with the default database, if missing) and
 * connect.  Errors as dh_store_open and dh_conn_open. */
int dh_shell_open(const struct dh_shell_opts *o, FILE *out, FILE *errf, struct dh_shell **out_sh,
		  struct dh_err *err);
/* Run all statements in text.  Returns 0 when all succeeded, 1 after an
 * error (printed; stops at the first unless --continue), 3 when \q was read.
 * An error in one of the opts' inputs (--in) is reported here too.
 * SQL statements are split at ';' (outside quotes, comments, dollar quotes
 * and parentheses) and each is one simple query, as psql -f sends them;
 * with command set (-c), SQL is the rest of text as one query.  src names
 * a script for psql's "dh-query:FILE:LINE: " before SQL messages (NULL:
 * none, as for -c and the terminal).  dh_shell_exec is dh_shell_run(sh,
 * text, n, 0, NULL). */
int dh_shell_run(struct dh_shell *sh, const char *text, size_t n, int command, const char *src);
int dh_shell_exec(struct dh_shell *sh, const char *text, size_t n);
/* Does text hold complete statements (for line-by-line input)?  EDN when
 * its forms are closed, SQL when its last statement ended with ';'.  If
 * not, *state (if not NULL) tells what the text is inside, for psql's
 * prompt: '-' nothing special, '\'' a string, '"' a quoted name, '$' a
 * dollar quote, '*' a comment, '(' parentheses. */
int dh_shell_complete(const char *text, size_t n, char *state);
/* The SQL session's transaction status: 'I' idle (also before any SQL),
 * 'T' in a block, 'E' in a failed block. */
char dh_shell_txstatus(const struct dh_shell *sh);
void dh_shell_help(FILE *f);
/* Attribute idents and backslash commands, for tab completion: calls fn for
 * each candidate starting with prefix. */
void dh_shell_candidates(struct dh_shell *sh, const char *prefix,
			 void (*fn)(void *ctx, const char *cand), void *ctx);
/* Also frees the SQL parser's memory (dh_sql_shutdown) if SQL ran: call it
 * once, at the end of the program. */
void dh_shell_close(struct dh_shell *sh);
#endif
