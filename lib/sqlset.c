/*
 * sqlset: configuration parameters (see sqlset.h).  The table below is
 * the part of PostgreSQL 15's guc.c a client can see: names as PostgreSQL
 * spells them, defaults, types, ranges, units and descriptions.  Time
 * zones and DateStyle are checked by sqltime, which also gives their
 * canonical text.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlset.h"
#include "sqltime.h"

enum ptype { P_BOOL, P_INT, P_ENUM, P_STRING };

enum {
	F_FIXED = 1,	   /* cannot be changed (55P02) */
	F_LIST_QUOTE = 2,  /* a list of identifiers (search_path) */
	F_LIST = 4,	   /* a list (DateStyle) */
	F_MS = 8,	   /* integer in milliseconds, time units allowed */
	F_NO_RESET_ALL = 16,
	F_TZ = 32,	   /* checked as a time zone */
	F_DATESTYLE = 64,
	F_ENCODING = 128,
	F_ON_ONLY = 256, /* a bool dh honours only as on */
};

struct pdef {
	const char *name;
	const char *boot;
	enum ptype type;
	int flags;
	int min, max;
	const char *values; /* enum: comma-separated */
	const char *desc;
};

/* In name order (case-insensitive), as SHOW ALL lists them. */
static const struct pdef defs[] = {
	{"application_name", "", P_STRING, 0, 0, 0, NULL,
	 "Sets the application name to be reported in statistics and logs."},
	{"bytea_output", "hex", P_ENUM, 0, 0, 0, "escape,hex", "Sets the output format for bytea."},
	{"client_encoding", "UTF8", P_STRING, F_ENCODING, 0, 0, NULL,
	 "Sets the client's character set encoding."},
	{"client_min_messages", "notice", P_ENUM, 0, 0, 0,
	 "debug5,debug4,debug3,debug2,debug1,log,notice,warning,error",
	 "Sets the message levels that are sent to the client."},
	{"DateStyle", "ISO, MDY", P_STRING, F_LIST | F_DATESTYLE, 0, 0, NULL,
	 "Sets the display format for date and time values."},
	{"default_transaction_deferrable", "off", P_BOOL, 0, 0, 0, NULL,
	 "Sets the default deferrable status of new transactions."},
	{"default_transaction_isolation", "read committed", P_ENUM, 0, 0, 0,
	 "serializable,repeatable read,read committed,read uncommitted",
	 "Sets the transaction isolation level of each new transaction."},
	{"default_transaction_read_only", "off", P_BOOL, 0, 0, 0, NULL,
	 "Sets the default read-only status of new transactions."},
	{"dh.as_of", "", P_STRING, 0, 0, 0, NULL,
	 "Reads the database as of a transaction id or an instant."},
	{"dh.history", "off", P_BOOL, 0, 0, 0, NULL,
	 "Reads every assertion and retraction, not only the current state."},
	{"dh.since", "", P_STRING, 0, 0, 0, NULL,
	 "Reads only what was asserted after a transaction id or an instant."},
	{"extra_float_digits", "1", P_INT, 0, -15, 3, NULL,
	 "Sets the number of digits displayed for floating-point values."},
	{"idle_in_transaction_session_timeout", "0", P_INT, F_MS, 0, INT_MAX, NULL,
	 "Sets the maximum allowed idle time between queries, when in a transaction."},
	{"integer_datetimes", "on", P_BOOL, F_FIXED, 0, 0, NULL,
	 "Shows whether datetimes are integer based."},
	{"IntervalStyle", "postgres", P_ENUM, 0, 0, 0,
	 "postgres,postgres_verbose,sql_standard,iso_8601",
	 "Sets the display format for interval values."},
	{"is_superuser", "on", P_BOOL, F_FIXED, 0, 0, NULL,
	 "Shows whether the current user is a superuser."},
	{"lock_timeout", "0", P_INT, F_MS, 0, INT_MAX, NULL,
	 "Sets the maximum allowed duration of any wait for a lock."},
	{"max_identifier_length", "63", P_INT, F_FIXED, 63, 63, NULL,
	 "Shows the maximum identifier length."},
	/* CREATE INDEX's limit (sqlc-alter.c); pgjdbc's getImportedKeys reads it */
	{"max_index_keys", "32", P_INT, F_FIXED, 32, 32, NULL,
	 "Shows the maximum number of index keys."},
	{"search_path", "\"$user\", public", P_STRING, F_LIST | F_LIST_QUOTE, 0, 0, NULL,
	 "Sets the schema search order for names that are not schema-qualified."},
	{"server_encoding", "UTF8", P_STRING, F_FIXED, 0, 0, NULL,
	 "Shows the server (database) character set encoding."},
	{"server_version", "15.0", P_STRING, F_FIXED, 0, 0, NULL, "Shows the server version."},
	{"server_version_num", "150000", P_INT, F_FIXED, 150000, 150000, NULL,
	 "Shows the server version as an integer."},
	{"standard_conforming_strings", "on", P_BOOL, F_ON_ONLY, 0, 0, NULL,
	 "Causes '...' strings to treat backslashes literally."},
	{"statement_timeout", "0", P_INT, F_MS, 0, INT_MAX, NULL,
	 "Sets the maximum allowed duration of any statement."},
	{"synchronous_commit", "on", P_ENUM, 0, 0, 0, "local,remote_write,remote_apply,on,off",
	 "Sets the current transaction's synchronization level."},
	{"TimeZone", "UTC", P_STRING, F_TZ, 0, 0, NULL,
	 "Sets the time zone for displaying and interpreting time stamps."},
	{"transaction_deferrable", "off", P_BOOL, F_NO_RESET_ALL, 0, 0, NULL,
	 "Whether to defer a read-only serializable transaction until it can be executed "
	 "with no possible serialization failures."},
	{"transaction_isolation", "read committed", P_ENUM, F_NO_RESET_ALL, 0, 0,
	 "serializable,repeatable read,read committed,read uncommitted",
	 "Sets the current transaction's isolation level."},
	{"transaction_read_only", "off", P_BOOL, F_NO_RESET_ALL, 0, 0, NULL,
	 "Sets the current transaction's read-only status."},
};

/* A parameter's values: now, after a commit (what SET LOCAL does not
 * touch), and at the start of the transaction (what a rollback restores). */
struct param {
	const struct pdef *def; /* NULL: a custom parameter */
	char *name;
	char *value, *commit, *at_begin;
};

struct dh_sqlset {
	struct param *p;
	size_t n, cap;
	uint64_t gen; /* counts changes of any value (dh_sqlset_gen) */
	int ended;        /* dh_sqlset_end ran, at gen end_gen */
	uint64_t end_gen;
	/* p's indexes + 1 by the hash of the lower-cased name (find): a
	 * statement reads a dozen settings, and a scan of a hundred names
	 * with strcasecmp each time showed in profiles */
	uint32_t *hidx;
	size_t hcap;
};

struct dh_sqlset_snap {
	size_t n;
	char **v; /* value, commit per parameter */
};

static void
put(struct dh_sqlset *g, char **slot, const char *v)
{
	/* the end of every statement's transaction puts each value back:
	 * equal text is no change (no copy, and gen stays) */
	if (*slot == v || (*slot && strcmp(*slot, v) == 0))
		return;
	g->gen++;
	char *c = xstrdup(v);
	free(*slot);
	*slot = c;
}

static size_t
name_hash(const char *name)
{
	uint32_t h = 2166136261u;
	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static void
hash_put(struct dh_sqlset *g, size_t i)
{
	size_t j = name_hash(g->p[i].name) & (g->hcap - 1);
	while (g->hidx[j])
		j = (j + 1) & (g->hcap - 1);
	g->hidx[j] = (uint32_t)i + 1;
}

static struct param *
add(struct dh_sqlset *g, const struct pdef *def, const char *name, const char *v)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->p = xrealloc(g->p, g->cap * sizeof(*g->p));
	}
	struct param *x = &g->p[g->n++];
	g->gen++;
	x->def = def;
	x->name = xstrdup(name);
	x->value = xstrdup(v);
	x->commit = xstrdup(v);
	x->at_begin = xstrdup(v);
	if (2 * g->n > g->hcap) {
		free(g->hidx);
		g->hcap = g->hcap ? 2 * g->hcap : 256;
		g->hidx = xcalloc(g->hcap, sizeof(*g->hidx));
		for (size_t i = 0; i < g->n; i++)
			hash_put(g, i);
	} else {
		hash_put(g, g->n - 1);
	}
	return x;
}

struct dh_sqlset *
dh_sqlset_new(void)
{
	struct dh_sqlset *g = xcalloc(1, sizeof(*g));
	for (size_t i = 0; i < DH_ARRAY_SIZE(defs); i++)
		add(g, &defs[i], defs[i].name, defs[i].boot);
	return g;
}

void
dh_sqlset_free(struct dh_sqlset *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		free(g->p[i].name);
		free(g->p[i].value);
		free(g->p[i].commit);
		free(g->p[i].at_begin);
	}
	free(g->p);
	free(g->hidx);
	free(g);
}

static struct param *
find(const struct dh_sqlset *g, const char *name)
{
	if (!g->hcap)
		return NULL;
	for (size_t j = name_hash(name) & (g->hcap - 1); g->hidx[j]; j = (j + 1) & (g->hcap - 1))
		if (strcasecmp(g->p[g->hidx[j] - 1].name, name) == 0)
			return &g->p[g->hidx[j] - 1];
	return NULL;
}

uint64_t
dh_sqlset_gen(const struct dh_sqlset *g)
{
	return g->gen;
}

const char *
dh_sqlset_get(const struct dh_sqlset *g, const char *name, const char **canon)
{
	struct param *x = find(g, name);
	if (canon)
		*canon = x ? x->name : NULL;
	return x ? x->value : NULL;
}

int
dh_sqlset_list_kind(const struct dh_sqlset *g, const char *name)
{
	struct param *x = find(g, name);
	if (!x)
		return strchr(name, '.') ? 0 : -1;
	if (!x->def)
		return 0;
	return x->def->flags & F_LIST_QUOTE ? 1 : x->def->flags & F_LIST ? 2 : 0;
}

/* PostgreSQL's valid_custom_variable_name: identifiers joined by dots. */
static int
custom_name_ok(const char *name)
{
	int dots = 0, at_start = 1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p == '.') {
			if (at_start)
				return 0;
			dots++;
			at_start = 1;
		} else if (*p == '_' || *p >= 0x80 || isalpha(*p) ||
			   (!at_start && (isdigit(*p) || *p == '$'))) {
			at_start = 0;
		} else {
			return 0;
		}
	}
	return dots > 0 && !at_start;
}

/* parse_bool: on/off, true/false, yes/no, 1/0 and unique prefixes */
static int
parse_bool(const char *v, int *out)
{
	size_t n = strlen(v);
	if (n == 0)
		return -1;
	if (strncasecmp(v, "true", n) == 0 || strncasecmp(v, "yes", n) == 0 ||
	    (n >= 2 && strncasecmp(v, "on", n) == 0) || strcmp(v, "1") == 0) {
		*out = 1;
		return 0;
	}
	if (strncasecmp(v, "false", n) == 0 || strncasecmp(v, "no", n) == 0 ||
	    (n >= 2 && strncasecmp(v, "off", n) == 0) || strcmp(v, "0") == 0) {
		*out = 0;
		return 0;
	}
	return -1;
}

static const struct {
	const char *unit;
	double ms;
} time_units[] = {{"us", 0.001}, {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000},
		  {"d", 86400000}};

/* parse_int: an integer (or a number, rounded), with a time unit for F_MS
 * parameters.  0, -1 not a number, -2 bad unit, -3 out of int range. */
static int
parse_int(const char *v, int flags, double *out)
{
	char *end;
	while (isspace((unsigned char)*v))
		v++;
	errno = 0;
	double d = strtod(v, &end);
	if (end == v || errno == ERANGE || isnan(d))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end) {
		if (!(flags & F_MS))
			return -1;
		size_t i;
		for (i = 0; i < DH_ARRAY_SIZE(time_units); i++) {
			size_t k = strlen(time_units[i].unit);
			if (strncmp(end, time_units[i].unit, k) == 0) {
				const char *r = end + k;
				while (isspace((unsigned char)*r))
					r++;
				if (!*r)
					break;
			}
		}
		if (i == DH_ARRAY_SIZE(time_units))
			return -2;
		d *= time_units[i].ms;
	}
	d = rint(d);
	if (d < INT_MIN || d > INT_MAX)
		return -3;
	*out = d;
	return 0;
}

/* An F_MS value as PostgreSQL shows it: in the largest unit that holds it
 * exactly. */
static void
show_ms(struct dh_buf *b, long v)
{
	static const struct {
		const char *u;
		long ms;
	} u[] = {{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}};
	if (v != 0)
		for (size_t i = 0; i < DH_ARRAY_SIZE(u); i++)
			if (v % u[i].ms == 0) {
				dh_buf_printf(b, "%ld%s", v / u[i].ms, u[i].u);
				return;
			}
	dh_buf_printf(b, v ? "%ldms" : "%ld", v);
}

static int
bad_value(struct dh_err *err, const char *name, const char *v)
{
	return dh_err_sql(err, "22023", "invalid value for parameter \"%s\": \"%s\"", name, v);
}

/* PostgreSQL's DETAIL for a bad DateStyle: the first word it does not
 * know, else a conflict. */
static void
datestyle_detail(const char *v, struct dh_err *err)
{
	static const char *const words[] = {"iso", "sql", "postgres*", "german", "ymd", "dmy",
					    "euro*", "mdy", "us", "noneuro*", "default"};
	const char *p = v;
	while (*p) {
		char w[64];
		size_t k = 0;
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			if (k + 1 < sizeof(w))
				w[k++] = (char)tolower((unsigned char)*p++);
			else
				p++;
		w[k] = 0;
		size_t i;
		for (i = 0; i < DH_ARRAY_SIZE(words); i++) {
			size_t n = strlen(words[i]);
			if (words[i][n - 1] == '*' ? strncmp(w, words[i], n - 1) == 0
						   : strcmp(w, words[i]) == 0)
				break;
		}
		if (i == DH_ARRAY_SIZE(words)) {
			dh_err_detail(err, "Unrecognized key word: \"%s\".", w);
			return;
		}
	}
	dh_err_detail(err, "Conflicting \"datestyle\" specifications.");
}

/* Check v against x's type; the canonical text goes to b.  Messages name
 * the parameter as the statement did (PostgreSQL's parse errors), those of
 * the zone and DateStyle checks as PostgreSQL spells it (its check hooks). */
static int
check(const struct param *x, const char *name, const char *v, struct dh_buf *b,
      struct dh_err *err)
{
	const struct pdef *d = x->def;
	if (!d) {
		dh_buf_adds(b, v);
		return 0;
	}
	switch (d->type) {
	case P_BOOL: {
		int on;
		if (parse_bool(v, &on))
			return dh_err_sql(err, "22023", "parameter \"%s\" requires a Boolean value",
					  name);
		if (!on && (d->flags & F_ON_ONLY))
			return dh_err_sql(err, "0A000", "%s = off is not supported", name);
		dh_buf_adds(b, on ? "on" : "off");
		return 0;
	}
	case P_INT: {
		double n;
		int r = parse_int(v, d->flags, &n);
		if (r == -2) {
			bad_value(err, name, v);
			dh_err_hint(err, "Valid units for this parameter are \"us\", \"ms\", \"s\", "
					 "\"min\", \"h\", and \"d\".");
			return DH_ESQL;
		}
		if (r)
			return bad_value(err, name, v);
		if (n < d->min || n > d->max)
			return dh_err_sql(err, "22023",
					  "%.0f%s is outside the valid range for parameter \"%s\" "
					  "(%d .. %d)",
					  n, d->flags & F_MS ? " ms" : "", name, d->min, d->max);
		if (d->flags & F_MS)
			show_ms(b, (long)n);
		else
			dh_buf_printf(b, "%.0f", n);
		return 0;
	}
	case P_ENUM: {
		const char *p = d->values;
		while (*p) {
			size_t k = strcspn(p, ",");
			if (strlen(v) == k && strncasecmp(p, v, k) == 0) {
				dh_buf_add(b, p, k);
				return 0;
			}
			p += k + (p[k] == ',');
		}
		bad_value(err, name, v);
		struct dh_buf h;
		dh_buf_init(&h, 0);
		for (p = d->values; *p; p++)
			if (*p == ',')
				dh_buf_adds(&h, ", ");
			else
				dh_buf_addc(&h, *p);
		dh_err_hint(err, "Available values: %s.", (const char *)h.p);
		dh_buf_release(&h);
		return DH_ESQL;
	}
	case P_STRING:
		break;
	}
	if (d->flags & F_TZ) {
		struct dh_sqltime_tz *tz;
		if (dh_sqltime_tz_load(v, &tz, err))
			return DH_ESQL;
		dh_buf_adds(b, dh_sqltime_tz_name(tz));
		dh_sqltime_tz_free(tz);
		return 0;
	}
	if (d->flags & F_DATESTYLE) {
		/* a partial DateStyle ('German') keeps the rest of the current one */
		struct dh_sqltime_settings t;
		dh_sqltime_settings_init(&t);
		dh_sqltime_set_datestyle(&t, x->value, NULL, NULL);
		if (dh_sqltime_set_datestyle(&t, v, b, err) == 0)
			return 0;
		if (err && !err->detail[0])
			datestyle_detail(v, err);
		return DH_ESQL;
	}
	if (d->flags & F_ENCODING) {
		char k[16];
		size_t j = 0;
		for (const char *p = v; *p && j + 1 < sizeof(k); p++)
			if (isalnum((unsigned char)*p))
				k[j++] = (char)tolower((unsigned char)*p);
		k[j] = 0;
		if (strcmp(k, "utf8") && strcmp(k, "unicode"))
			return dh_err_sql(err, "0A000", "client_encoding \"%s\" is not supported", v);
		dh_buf_adds(b, "UTF8");
		return 0;
	}
	dh_buf_adds(b, v);
	return 0;
}

int
dh_sqlset_set(struct dh_sqlset *g, const char *name, const char *value, int local,
	      struct dh_err *err)
{
	struct param *x = find(g, name);
	if (!x) {
		if (!strchr(name, '.'))
			return dh_err_sql(err, "42704", "unrecognized configuration parameter \"%s\"",
					  name);
		if (!custom_name_ok(name)) {
			dh_err_sql(err, "42602", "invalid configuration parameter name \"%s\"", name);
			dh_err_detail(err, "Custom parameter names must be two or more simple "
					   "identifiers separated by dots.");
			return DH_ESQL;
		}
		/* a placeholder: exists from now on, "" when rolled back */
		x = add(g, NULL, name, "");
		put(g, &x->commit, "");
		put(g, &x->at_begin, "");
	}
	if (x->def && (x->def->flags & F_FIXED))
		return dh_err_sql(err, "55P02", "parameter \"%s\" cannot be changed", name);
	if (!value) {
		const char *boot = x->def ? x->def->boot : "";
		put(g, &x->value, boot);
		if (!local)
			put(g, &x->commit, boot);
		return 0;
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	int rc = check(x, name, value, &b, err);
	if (rc == 0) {
		put(g, &x->value, b.p ? (const char *)b.p : "");
		if (!local)
			put(g, &x->commit, x->value);
	}
	dh_buf_release(&b);
	return rc;
}

void
dh_sqlset_reset_all(struct dh_sqlset *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct param *x = &g->p[i];
		if (x->def && (x->def->flags & (F_FIXED | F_NO_RESET_ALL)))
			continue;
		const char *boot = x->def ? x->def->boot : "";
		put(g, &x->value, boot);
		put(g, &x->commit, boot);
	}
}

void
dh_sqlset_end(struct dh_sqlset *g, int commit)
{
	/* nothing changed since the last end (gen counts every change): the
	 * values, their commits and their begins are one already, and the
	 * transaction characteristics are the defaults' */
	if (g->ended && g->gen == g->end_gen)
		return;
	for (size_t i = 0; i < g->n; i++) {
		struct param *x = &g->p[i];
		if (commit) {
			put(g, &x->value, x->commit);
			put(g, &x->at_begin, x->commit);
		} else {
			put(g, &x->value, x->at_begin);
			put(g, &x->commit, x->at_begin);
		}
	}
	/* a new transaction starts with the defaults' characteristics */
	static const char *const tx[][2] = {
	    {"transaction_isolation", "default_transaction_isolation"},
	    {"transaction_read_only", "default_transaction_read_only"},
	    {"transaction_deferrable", "default_transaction_deferrable"}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(tx); i++) {
		struct param *x = find(g, tx[i][0]), *d = find(g, tx[i][1]);
		put(g, &x->value, d->value);
		put(g, &x->commit, d->value);
		put(g, &x->at_begin, d->value);
	}
	g->ended = 1;
	g->end_gen = g->gen;
}

struct dh_sqlset_snap *
dh_sqlset_save(const struct dh_sqlset *g)
{
	struct dh_sqlset_snap *s = xcalloc(1, sizeof(*s));
	s->n = g->n;
	s->v = xcalloc(2 * g->n + 1, sizeof(*s->v));
	for (size_t i = 0; i < g->n; i++) {
		s->v[2 * i] = xstrdup(g->p[i].value);
		s->v[2 * i + 1] = xstrdup(g->p[i].commit);
	}
	return s;
}

void
dh_sqlset_restore(struct dh_sqlset *g, const struct dh_sqlset_snap *s)
{
	for (size_t i = 0; i < g->n; i++) {
		struct param *x = &g->p[i];
		/* parameters made after the savepoint go back to their start */
		put(g, &x->value, i < s->n ? s->v[2 * i] : x->at_begin);
		put(g, &x->commit, i < s->n ? s->v[2 * i + 1] : x->at_begin);
	}
}

void
dh_sqlset_snap_free(struct dh_sqlset_snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < 2 * s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s);
}

int
dh_sqlset_nth(const struct dh_sqlset *g, size_t i, const char **name, const char **value,
	      const char **desc)
{
	/* the known parameters come first, in the table's (name) order */
	if (i >= DH_ARRAY_SIZE(defs))
		return 0;
	*name = g->p[i].name;
	*value = g->p[i].value;
	*desc = g->p[i].def->desc;
	return 1;
}
