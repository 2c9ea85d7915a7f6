/*
 * dh-query: run SQL, Datalog, tx-data and commands against a dh store, from
 * -c, -f, a pipe or an interactive readline prompt.  See dh-query(1).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "dh.h"
#include "opts.h"
#include "shell.h"

static struct dh_shell *g_shell;
static volatile sig_atomic_t g_cancel;

static void
on_sigint(int sig)
{
	(void)sig;
	g_cancel = 1;
}

static int
usage(FILE *f, int code)
{
	fprintf(f, "%s\n", DH_QUERY_USAGE);
	return code;
}

/* Read a whole file (or stdin for "-") into buf. */
static int
slurp(const char *path, struct dh_buf *buf)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char tmp[65536];
	size_t n;
	if (!f) {
		fprintf(stderr, "dh-query: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (dh_buf_add(buf, tmp, n)) {
			fprintf(stderr, "dh-query: '%s' is too large\n", path);
			return 1;
		}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		fprintf(stderr, "dh-query: cannot read '%s'\n", path);
		return 1;
	}
	return 0;
}

/* --- tab completion --- */
static char **g_cands;
static size_t g_ncands, g_acands;

static void
add_cand(void *ctx, const char *c)
{
	if (g_ncands == g_acands) {
		g_acands = g_acands ? 2 * g_acands : 32;
		g_cands = xrealloc(g_cands, g_acands * sizeof(*g_cands));
	}
	g_cands[g_ncands++] = xstrdup(c);
}

static char *
complete_gen(const char *text, int state)
{
	static size_t i;
	if (state == 0) {
		for (size_t j = 0; j < g_ncands; j++)
			free(g_cands[j]);
		g_ncands = 0;
		i = 0;
		dh_shell_candidates(g_shell, text, add_cand, NULL);
	}
	return i < g_ncands ? xstrdup(g_cands[i++]) : NULL;
}

static char **
complete(const char *text, int start, int end)
{
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, complete_gen);
}

static int
interactive(void)
{
	struct dh_buf stmt;
	char histfile[4096] = "";
	const char *home = getenv("HOME");
	int status = 0;
	if (home)
		snprintf(histfile, sizeof(histfile), "%s/.dh_history", home);
	using_history();
	if (histfile[0])
		read_history(histfile);
	rl_readline_name = "dh-query";
	rl_basic_word_break_characters = " \t\n[]{}()\"";
	rl_completer_word_break_characters = (char *)" \t\n[]{}()\"";
	rl_attempted_completion_function = complete;
	dh_buf_init(&stmt, 0);
	char state = '=';
	for (;;) {
		/* psql's prompts: '=' or what an unfinished statement is in,
		 * then '*' in a transaction block, '!' in a failed one */
		char tx = dh_shell_txstatus(g_shell), prompt[16];
		snprintf(prompt, sizeof(prompt), "dh%c%s> ", stmt.len ? state : '=',
			 tx == 'T' ? "*" : tx == 'E' ? "!" : "");
		char *line = readline(prompt);
		if (!line)
			break;
		if (stmt.len)
			dh_buf_addc(&stmt, '\n');
		dh_buf_adds(&stmt, line);
		free(line);
		if (!dh_shell_complete((const char *)stmt.p, stmt.len, &state))
			continue;
		add_history((const char *)stmt.p);
		int rc = dh_shell_exec(g_shell, (const char *)stmt.p, stmt.len);
		dh_buf_reset(&stmt);
		if (rc == 3)
			break;
	}
	if (histfile[0])
		write_history(histfile);
	for (size_t j = 0; j < g_ncands; j++)
		free(g_cands[j]);
	free(g_cands);
	dh_buf_release(&stmt);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},  {"database", required_argument, NULL, 'd'},
		{"command", required_argument, NULL, 'c'}, {"file", required_argument, NULL, 'f'},
		{"as-of", required_argument, NULL, 'A'},   {"since", required_argument, NULL, 'S'},
		{"history", no_argument, NULL, 'H'},       {"no-sync", no_argument, NULL, 'N'},
		{"continue", no_argument, NULL, 'C'},      {"help", no_argument, NULL, 'h'},
		{"format", required_argument, NULL, 'F'},  {"in", required_argument, NULL, 'I'},
		{NULL, 0, NULL, 0}};
	struct dh_shell_opts o = {0};
	/* -c and -f run in the order given */
	char **inputs = xcalloc((size_t)argc + 1, sizeof(*inputs));
	const char **qin = xcalloc((size_t)argc + 1, sizeof(*qin));
	int *isfile = xcalloc((size_t)argc + 1, sizeof(*isfile));
	int ninputs = 0, c, rc = 0;
	struct dh_err err;

	while ((c = getopt_long(argc, argv, "s:d:c:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.store = optarg; break;
		case 'd': o.dbref = optarg; break;
		case 'c': inputs[ninputs] = optarg; isfile[ninputs++] = 0; break;
		case 'f': inputs[ninputs] = optarg; isfile[ninputs++] = 1; break;
		case 'A': o.as_of = optarg; break;
		case 'S': o.since = optarg; break;
		case 'H': o.history = 1; break;
		case 'N': o.nosync = 1; break;
		case 'C': o.cont = 1; break;
		case 'F': o.format = optarg; break;
		case 'I': qin[o.nin++] = optarg; break;
		case 'h': rc = usage(stdout, 0); goto out;
		default: rc = usage(stderr, 2); goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dh-query: unexpected argument '%s'\n", argv[optind]);
		rc = usage(stderr, 2);
		goto out;
	}
	dh_err_clear(&err);
	o.in = qin;
	o.tty = isatty(1);
	o.cancel = &g_cancel;
	o.copy_in = stdin;
	/* SIGINT cancels the running statement, not the session */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (dh_shell_open(&o, stdout, stderr, &g_shell, &err)) {
		dh_print_error(stderr, "dh-query", &err, NULL, 0);
		rc = 1;
		goto out;
	}
	if (ninputs == 0 && isatty(0)) {
		rc = interactive();
	} else {
		if (ninputs == 0) {
			/* like psql reading a pipe: no FILE:LINE before messages */
			inputs[0] = (char *)"-";
			isfile[0] = 2;
			ninputs = 1;
		}
		for (int i = 0; i < ninputs; i++) {
			struct dh_buf b;
			dh_buf_init(&b, 0);
			int r;
			if (isfile[i]) {
				/* psql -f - names standard input <stdin> in messages */
				const char *name = isfile[i] == 2		   ? NULL
						   : strcmp(inputs[i], "-") ? inputs[i]
									    : "<stdin>";
				r = slurp(inputs[i], &b);
				if (r == 0)
					r = dh_shell_run(g_shell, (const char *)b.p, b.len, 0, name);
			} else {
				r = dh_shell_run(g_shell, inputs[i], strlen(inputs[i]), 1, NULL);
			}
			dh_buf_release(&b);
			if (r == 3)
				break;
			if (r) {
				rc = 1;
				if (!o.cont)
					break;
			}
		}
	}
	dh_shell_close(g_shell);
	if (fflush(stdout) != 0)
		rc = 1;
out:
	free(qin);
	free(inputs);
	free(isfile);
	return rc;
}
