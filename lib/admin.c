/*
 * admin: dh-admin's commands (see admin.h and dh-admin(1)).  Quiet on
 * success unless verbose, so cron mails only on trouble.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "admin.h"
#include "dh.h"
#include "opts.h"
#include "passwd.h"
#include "scram.h"

void
dh_admin_help(FILE *f)
{
	fprintf(f, "%s\n\n"
		   "commands:\n"
		   "  create [--if-not-exists] [--schema-on-read] db\n"
		   "  drop [--if-exists] db\n"
		   "  list [--json]\n"
		   "  branch db[:from] new [--at tx|time]\n"
		   "  delete-branch db:branch\n"
		   "  info [--json]\n"
		   "  check\n"
		   "  backup dest\n"
		   "  passwd [--file f] [--delete] user\n"
		   "  help\n",
		DH_ADMIN_USAGE);
}

static int
usage_err(FILE *errf, const char *fmt, const char *arg)
{
	fprintf(errf, "dh-admin: ");
	fprintf(errf, fmt, arg);
	fprintf(errf, "\n%s\n", DH_ADMIN_USAGE);
	return 2;
}

static int
report(FILE *errf, const struct dh_err *e, int verbose)
{
	fprintf(errf, "dh-admin: %s (SQLSTATE %s)\n", e->message, e->sqlstate);
	if (e->hint[0])
		fprintf(errf, "dh-admin: hint: %s\n", e->hint);
	return 1;
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int
open_store(const struct dh_admin_opts *o, int create, struct dh_store **st, struct dh_err *e)
{
	unsigned flags = (create ? DH_STORE_CREATE : 0) | (o->nosync ? DH_STORE_NOSYNC : 0);
	int rc = dh_store_open(dh_opts_store(o->store), flags, st, e);
	if (rc == 0 && create && dh_store_created(*st))
		rc = dh_db_ensure_default(*st, e);
	return rc;
}

/* Parse the command's own options: a tiny getopt_long over argv[1..]. */
struct cmdopt {
	const char *name;
	int has_arg;
	int *flag;
	const char **arg;
};

static int
parse_cmd(int argc, char **argv, const struct cmdopt *opts, char **pos, int maxpos, int *npos,
	  FILE *errf)
{
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const struct cmdopt *c = opts;
			const char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (; c && c->name; c++)
				if (strlen(c->name) == n && memcmp(c->name, a + 2, n) == 0)
					break;
			if (!c || !c->name)
				return usage_err(errf, "unknown option '%s'", a);
			if (c->has_arg) {
				if (eq)
					*c->arg = eq + 1;
				else if (i + 1 < argc)
					*c->arg = argv[++i];
				else
					return usage_err(errf, "option '%s' needs an argument", a);
			} else {
				if (eq)
					return usage_err(errf, "option '%s' takes no argument", a);
				*c->flag = 1;
			}
		} else if (a[0] == '-' && a[1]) {
			return usage_err(errf, "unknown option '%s'", a);
		} else {
			if (*npos == maxpos)
				return usage_err(errf, "unexpected argument '%s'", a);
			pos[(*npos)++] = argv[i];
		}
	}
	return 0;
}

static void
print_time(FILE *f, int64_t us)
{
	char buf[DH_INSTANT_STRLEN];
	dh_instant_format(us, buf);
	fputs(buf, f);
}

static int
cmd_list(struct dh_store *st, int json, FILE *out, struct dh_err *e)
{
	struct dh_arena a;
	struct dh_db_info *dbs;
	size_t n;
	dh_arena_init(&a);
	int rc = dh_db_list(st, &a, &dbs, &n, e);
	if (rc == 0 && !json)
		fprintf(out, "%-20s %-20s %12s %-27s %12s\n", "database", "branch", "head_tx",
			"head_time", "datoms");
	for (size_t i = 0; rc == 0 && i < n; i++)
		for (size_t j = 0; j < dbs[i].nbranches; j++) {
			struct dh_branch_info *b = &dbs[i].branches[j];
			if (json) {
				fputs("{\"database\":", out);
				json_str(out, dbs[i].name);
				fputs(",\"branch\":", out);
				json_str(out, b->name);
				fprintf(out, ",\"head_tx\":%llu,\"head_time\":\"",
					(unsigned long long)b->head_tx);
				print_time(out, b->head_instant);
				fprintf(out, "\",\"datoms\":%llu,\"parent\":", (unsigned long long)b->datoms);
				if (b->parent[0])
					json_str(out, b->parent);
				else
					fputs("null", out);
				fprintf(out, ",\"fork_tx\":%llu,\"schema\":\"%s\"}\n",
					(unsigned long long)b->fork_tx,
					dbs[i].flags & DH_DB_SCHEMA_ON_READ ? "read" : "write");
			} else {
				fprintf(out, "%-20s %-20s %12llu ", dbs[i].name, b->name,
					(unsigned long long)b->head_tx);
				char buf[DH_INSTANT_STRLEN];
				dh_instant_format(b->head_instant, buf);
				fprintf(out, "%-27s %12llu\n", buf, (unsigned long long)b->datoms);
			}
		}
	dh_arena_release(&a);
	return rc;
}

static int
cmd_info(struct dh_store *st, int json, FILE *out, struct dh_err *e)
{
	struct dh_store_info si;
	struct dh_arena a;
	struct dh_db_info *dbs;
	size_t n, nbr = 0;
	dh_arena_init(&a);
	int rc = dh_store_info(st, &si, e);
	if (rc == 0)
		rc = dh_db_list(st, &a, &dbs, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		nbr += dbs[i].nbranches;
	if (rc == 0 && json) {
		fputs("{\"store\":", out);
		json_str(out, dh_store_path(st));
		fprintf(out,
			",\"file_bytes\":%llu,\"page_size\":%llu,\"pages_used\":%llu,"
			"\"commits\":%llu,"
			"\"databases\":%zu,\"branches\":%zu,\"readers\":%u,\"max_readers\":%u}\n",
			(unsigned long long)si.file_bytes, (unsigned long long)si.page_size,
			(unsigned long long)si.pages_used, (unsigned long long)si.last_txnid, n, nbr,
			si.readers_used, si.max_readers);
	} else if (rc == 0) {
		fprintf(out,
			"store:        %s\nfile bytes:   %llu\npage size:    %llu\npages used:   %llu\n"
			"commits:      %llu\n"
			"databases:    %zu\nbranches:     %zu\nreaders:      %u of %u\n",
			dh_store_path(st), (unsigned long long)si.file_bytes,
			(unsigned long long)si.page_size, (unsigned long long)si.pages_used,
			(unsigned long long)si.last_txnid, n, nbr, si.readers_used, si.max_readers);
	}
	dh_arena_release(&a);
	return rc;
}

/* One line from in (the line end dropped) into buf: 0, or -1 at EOF or
 * when it does not fit.  On a terminal the prompt goes to errf and the
 * typing is not echoed. */
static int
read_secret(FILE *in, FILE *errf, const char *prompt, char *buf, size_t n)
{
	int fd = fileno(in), tty = isatty(fd);
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, errf);
		fflush(errf);
		tcgetattr(fd, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	int rc = fgets(buf, (int)n, in) ? 0 : -1;
	if (tty) {
		tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', errf);
	}
	size_t len = rc == 0 ? strlen(buf) : 0;
	if (rc == 0 && (len == 0 || buf[len - 1] != '\n') && !feof(in))
		rc = -1; /* longer than buf */
	if (len && buf[len - 1] == '\n')
		buf[--len] = 0;
	if (len && buf[len - 1] == '\r')
		buf[--len] = 0;
	return rc;
}

/* passwd: the user's SCRAM verifier into the password file. */
static int
cmd_passwd(const struct dh_admin_opts *o, const char *file, const char *user, int del,
	   FILE *errf, struct dh_err *e)
{
	if (!file)
		file = getenv("DH_PASSWD");
	if (!file || !*file)
		file = "dh.passwd";
	if (del)
		return dh_passwd_set(file, user, NULL, e);
	FILE *in = o->in ? o->in : stdin;
	char pw[1024], again[1024];
	int tty = isatty(fileno(in));
	if (read_secret(in, errf, "Password: ", pw, sizeof(pw)))
		return dh_err_set(e, DH_EBADVALUE, "no password given (one line on standard input)");
	if (tty && (read_secret(in, errf, "Again: ", again, sizeof(again)) ||
		    strcmp(pw, again) != 0))
		return dh_err_set(e, DH_EBADVALUE, "the passwords do not match");
	struct dh_buf v;
	dh_buf_init(&v, 0);
	int rc = dh_scram_verifier_make(pw, 0, &v, e);
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(again, sizeof(again));
	if (rc == 0) {
		dh_buf_add(&v, "", 1);
		rc = dh_passwd_set(file, user, (const char *)v.p, e);
	}
	dh_buf_release(&v);
	return rc;
}

int
dh_admin_run(const struct dh_admin_opts *o, int argc, char **argv, FILE *out, FILE *errf)
{
	struct dh_err e;
	struct dh_store *st = NULL;
	char *pos[4];
	int npos, rc = 0, f1 = 0, f2 = 0;
	const char *at = NULL;
	dh_err_clear(&e);
	if (argc < 1)
		return usage_err(errf, "%s", "no command given");
	const char *cmd = argv[0];

	if (strcmp(cmd, "help") == 0) {
		dh_admin_help(out);
		return 0;
	}
	if (strcmp(cmd, "create") == 0) {
		struct cmdopt opts[] = {{"if-not-exists", 0, &f1, NULL}, {"schema-on-read", 0, &f2, NULL},
					{NULL, 0, NULL, NULL}};
		if ((rc = parse_cmd(argc, argv, opts, pos, 1, &npos, errf)))
			return rc;
		if (npos != 1)
			return usage_err(errf, "%s", "create needs a database name");
		if ((rc = dh_name_check("database", pos[0], &e)))
			return report(errf, &e, o->verbose);
		if ((rc = open_store(o, 1, &st, &e)) == 0) {
			rc = dh_db_create(st, pos[0], f2 ? DH_DB_SCHEMA_ON_READ : 0, &e);
			if (rc == DH_EDBEXISTS && f1)
				rc = 0;
			if (rc == 0 && o->verbose)
				fprintf(errf, "dh-admin: database '%s' ready\n", pos[0]);
		}
	} else if (strcmp(cmd, "drop") == 0) {
		struct cmdopt opts[] = {{"if-exists", 0, &f1, NULL}, {NULL, 0, NULL, NULL}};
		if ((rc = parse_cmd(argc, argv, opts, pos, 1, &npos, errf)))
			return rc;
		if (npos != 1)
			return usage_err(errf, "%s", "drop needs a database name");
		if ((rc = open_store(o, 0, &st, &e)) == 0) {
			rc = dh_db_drop(st, pos[0], &e);
			if (rc == DH_ENODB && f1)
				rc = 0;
		} else if (rc == DH_ENOSTORE && f1) {
			rc = 0;
		}
	} else if (strcmp(cmd, "list") == 0 || strcmp(cmd, "info") == 0) {
		struct cmdopt opts[] = {{"json", 0, &f1, NULL}, {NULL, 0, NULL, NULL}};
		if ((rc = parse_cmd(argc, argv, opts, pos, 0, &npos, errf)))
			return rc;
		if ((rc = open_store(o, 0, &st, &e)) == 0)
			rc = cmd[0] == 'l' ? cmd_list(st, f1, out, &e) : cmd_info(st, f1, out, &e);
	} else if (strcmp(cmd, "branch") == 0) {
		struct cmdopt opts[] = {{"at", 1, NULL, &at}, {NULL, 0, NULL, NULL}};
		char db[DH_NAME_MAX + 1], from[DH_NAME_MAX + 1];
		if ((rc = parse_cmd(argc, argv, opts, pos, 2, &npos, errf)))
			return rc;
		if (npos != 2)
			return usage_err(errf, "%s", "branch needs db[:from] and a new branch name");
		if ((rc = dh_dbref_parse(pos[0], db, from, &e)) ||
		    (rc = dh_name_check("branch", pos[1], &e)))
			return report(errf, &e, o->verbose);
		if ((rc = open_store(o, 1, &st, &e)) == 0)
			rc = dh_branch_create(st, db, from, pos[1], at, &e);
	} else if (strcmp(cmd, "delete-branch") == 0) {
		char db[DH_NAME_MAX + 1], br[DH_NAME_MAX + 1];
		if ((rc = parse_cmd(argc, argv, NULL, pos, 1, &npos, errf)))
			return rc;
		if (npos != 1 || !strchr(pos[0], ':'))
			return usage_err(errf, "%s", "delete-branch needs db:branch");
		if ((rc = dh_dbref_parse(pos[0], db, br, &e)))
			return report(errf, &e, o->verbose);
		if ((rc = open_store(o, 0, &st, &e)) == 0)
			rc = dh_branch_delete(st, db, br, &e);
	} else if (strcmp(cmd, "check") == 0) {
		uint64_t n = 0;
		if ((rc = parse_cmd(argc, argv, NULL, pos, 0, &npos, errf)))
			return rc;
		if ((rc = open_store(o, 0, &st, &e)) == 0)
			rc = dh_store_check(st, &n, &e);
		if (rc == 0 && o->verbose)
			fprintf(errf, "dh-admin: check passed: %llu index entries\n",
				(unsigned long long)n);
	} else if (strcmp(cmd, "backup") == 0) {
		if ((rc = parse_cmd(argc, argv, NULL, pos, 1, &npos, errf)))
			return rc;
		if (npos != 1)
			return usage_err(errf, "%s", "backup needs a destination file");
		if ((rc = open_store(o, 0, &st, &e)) == 0)
			rc = dh_store_backup(st, pos[0], &e);
		if (rc == 0 && o->verbose)
			fprintf(errf, "dh-admin: backup written to '%s'\n", pos[0]);
	} else if (strcmp(cmd, "passwd") == 0) {
		/* the password file, not the store */
		struct cmdopt opts[] = {{"file", 1, NULL, &at}, {"delete", 0, &f1, NULL},
					{NULL, 0, NULL, NULL}};
		if ((rc = parse_cmd(argc, argv, opts, pos, 1, &npos, errf)))
			return rc;
		if (npos != 1)
			return usage_err(errf, "%s", "passwd needs a user name");
		if ((rc = cmd_passwd(o, at, pos[0], f1, errf, &e)))
			return report(errf, &e, o->verbose);
		return 0;
	} else {
		return usage_err(errf, "unknown command '%s'", cmd);
	}
	dh_store_close(st);
	return rc ? report(errf, &e, o->verbose) : 0;
}
