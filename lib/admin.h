/*
 * admin: the commands of dh-admin.  bin/dh-admin.c parses global options and
 * calls dh_admin_run with the command's words; output goes to out, errors to
 * errf.  Returns the exit code: 0 success, 1 failure, 2 usage error.
 */
#ifndef DH_ADMIN_H
#define DH_ADMIN_H
#include <stdio.h>

struct dh_admin_opts {
	const char *store;
	int verbose;
	int nosync;
	/* passwd reads the password from here (NULL: stdin): a terminal is
	 * asked twice with echo off, anything else gives one line */
	FILE *in;
};

#define DH_ADMIN_USAGE "usage: dh-admin [-s store] [-v] [--no-sync] command [argument ...]"

int dh_admin_run(const struct dh_admin_opts *o, int argc, char **argv, FILE *out, FILE *errf);
void dh_admin_help(FILE *f);
#endif
