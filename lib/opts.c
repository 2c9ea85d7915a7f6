/*
 * opts: store and database lookup shared by every program (see opts.h).
 */
#include <stdlib.h>
#include <string.h>

#include "opts.h"

const char *
dh_opts_store(const char *opt)
{
	const char *env = getenv("DH_STORE");
	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return "dh.store";
}

const char *
dh_opts_dbref(const char *opt)
{
	const char *env = getenv("DH_DATABASE");
	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return "dh";
}

void
dh_print_error(FILE *f, const char *prog, const struct dh_err *err, const char *text,
	       size_t textlen)
{
	if (prog)
		fprintf(f, "%s: ", prog);
	/* psql's verbose form: scripts can match the SQLSTATE */
	fprintf(f, "ERROR:  %s: %s\n", err->sqlstate[0] ? err->sqlstate : "XX000", err->message);
	if (err->position > 0 && text) {
		/* find the line holding the character position */
		size_t i = 0, line = 1, start = 0;
		int ch = 1;
		while (i < textlen && ch < err->position) {
			if (text[i] == '\n') {
				line++;
				start = i + 1;
			}
			i++;
			while (i < textlen && ((unsigned char)text[i] & 0xc0) == 0x80)
				i++;
			ch++;
		}
		size_t end = start;
		while (end < textlen && text[end] != '\n')
			end++;
		char head[32];
		int hn = snprintf(head, sizeof(head), "LINE %zu: ", line);
		fprintf(f, "%s%.*s\n", head, (int)(end - start), text + start);
		int col = 0;
		for (size_t j = start; j < i && j < end; j++)
			if (((unsigned char)text[j] & 0xc0) != 0x80)
				col++;
		fprintf(f, "%*s^\n", hn + col, "");
	}
	if (err->detail[0])
		fprintf(f, "DETAIL:  %s\n", err->detail);
	if (err->hint[0])
		fprintf(f, "HINT:  %s\n", err->hint);
}
