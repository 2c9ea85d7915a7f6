/*
 * sqlset: a SQL session's configuration parameters, PostgreSQL's GUCs as a
 * client sees them.  Each parameter has a type (bool, integer with an
 * optional time unit, enum, string) and PostgreSQL 15's rules for the text
 * SET accepts and the text SHOW prints ("1500ms", "on", "ISO, MDY",
 * "America/New_York"); names are case-insensitive, SHOW names them as
 * PostgreSQL spells them (TimeZone, DateStyle).  A name with a dot is a
 * custom parameter ("myapp.user_id"), made by its first SET.
 *
 * Values are transactional as in PostgreSQL: a SET is undone by the
 * rollback of its transaction, a SET LOCAL ends with its transaction
 * either way, and a snapshot taken at a savepoint puts both back on
 * ROLLBACK TO.  The session (sql.c) decides when transactions and
 * savepoints begin and end and calls in here.
 *
 *   struct dh_sqlset *g = dh_sqlset_new();
 *   dh_sqlset_set(g, "TimeZone", "Europe/Oslo", 0, &err);
 *   dh_sqlset_get(g, "timezone", &canon);       "Europe/Oslo", "TimeZone"
 *   dh_sqlset_end(g, commit);                   at COMMIT / ROLLBACK
 *   dh_sqlset_free(g);
 */
#ifndef DH_SQLSET_H
#define DH_SQLSET_H

#include <stddef.h>

#include "util.h"

struct dh_sqlset;
struct dh_sqlset_snap;

/* Every known parameter at its default (PostgreSQL 15's, as a session of
 * a fresh server shows them: TimeZone UTC, DateStyle 'ISO, MDY', ...). */
struct dh_sqlset *dh_sqlset_new(void);
void dh_sqlset_free(struct dh_sqlset *g);

/* The value SHOW prints, or NULL if the parameter is unknown (a custom one
 * never set).  *canon (if not NULL) gets the name as PostgreSQL spells it.
 * Valid until the next call that changes g. */
const char *dh_sqlset_get(const struct dh_sqlset *g, const char *name, const char **canon);
/* A number that changes whenever any value changes: what a caller derived
 * from the values stays true while it is the same. */
uint64_t dh_sqlset_gen(const struct dh_sqlset *g);

/* SET name = value (value NULL: SET name TO DEFAULT, RESET name), for the
 * rest of the session (local 0) or of the transaction (local 1).  The text
 * is checked and made canonical as PostgreSQL does.  Errors (DH_ESQL):
 * 42704 unrecognized configuration parameter "x", 42602 invalid
 * configuration parameter name, 22023 invalid value for parameter "x":
 * "y" (with PostgreSQL's HINT or DETAIL) / N is outside the valid range
 * for parameter "x" (A .. B) / parameter "x" requires a Boolean value,
 * 55P02 parameter "x" cannot be changed, 0A000 for values dh cannot honour
 * (client_encoding other than UTF8, standard_conforming_strings off). */
int dh_sqlset_set(struct dh_sqlset *g, const char *name, const char *value, int local,
		  struct dh_err *err);
/* Does name take a list (SET search_path = a, b)?  1 = a list of names
 * that SET quotes as identifiers where needed (search_path), 2 = a plain
 * list (DateStyle), 0 = one value only, -1 = unknown parameter. */
int dh_sqlset_list_kind(const struct dh_sqlset *g, const char *name);
/* RESET ALL (parameters that RESET ALL leaves alone stay). */
void dh_sqlset_reset_all(struct dh_sqlset *g);

/* The transaction ended: commit keeps SETs (SET LOCALs end), rollback
 * restores every value of its start; the transaction_* parameters return
 * to their default_transaction_* values either way. */
void dh_sqlset_end(struct dh_sqlset *g, int commit);
/* A savepoint: _save takes a snapshot (heap), _restore puts the values
 * back (ROLLBACK TO; the snapshot stays valid), _snap_free frees it. */
struct dh_sqlset_snap *dh_sqlset_save(const struct dh_sqlset *g);
void dh_sqlset_restore(struct dh_sqlset *g, const struct dh_sqlset_snap *s);
void dh_sqlset_snap_free(struct dh_sqlset_snap *s);

/* SHOW ALL: the i-th parameter in name order (custom parameters are not
 * listed, as in PostgreSQL): 1 and the fields, or 0 past the end. */
int dh_sqlset_nth(const struct dh_sqlset *g, size_t i, const char **name, const char **value,
		  const char **desc);

#endif
