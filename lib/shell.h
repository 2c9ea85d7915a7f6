/*
 * shell: what dh-query does with its input.  bin/dh-query.c owns the
 * terminal (readline); this module runs text: EDN tx-data vectors are
 * transacted, Datalog queries ([:find ...], {:find ...}, (pull ...)) run and
 * print in the chosen format, backslash commands run; anything else is SQL,
 * which arrives with its own issue (0A000 for now).
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
};
struct dh_shell;

/* Open the store (creating it, with the default database, if missing) and
 * connect.  Errors as dh_store_open and dh_conn_open. */
int dh_shell_open(const struct dh_shell_opts *o, FILE *out, FILE *errf, struct dh_shell **out_sh,
		  struct dh_err *err);
/* Run all statements in text.  Returns 0 when all succeeded, 1 after an
 * error (printed; stops at the first unless --continue), 3 when \q was read.
 * An error in one of the opts' inputs (--in) is reported here too. */
int dh_shell_exec(struct dh_shell *sh, const char *text, size_t n);
/* Does text hold complete statements (for line-by-line input)? */
int dh_shell_complete(const char *text, size_t n);
void dh_shell_help(FILE *f);
/* Attribute idents and backslash commands, for tab completion: calls fn for
 * each candidate starting with prefix. */
void dh_shell_candidates(struct dh_shell *sh, const char *prefix,
			 void (*fn)(void *ctx, const char *cand), void *ctx);
void dh_shell_close(struct dh_shell *sh);
#endif
