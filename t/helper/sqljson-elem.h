/*
 * sqljson-elem: small element types for the array tests (int8, text, bool,
 * float8): text and binary I/O, comparison and hashing close enough to
 * PostgreSQL's for the values the tests use.  The real ones come from the
 * type catalog (lib/sqltype.h).
 */
#ifndef DH_SQLJSON_ELEM_H
#define DH_SQLJSON_ELEM_H

#include "sqlarray.h"

/* "int8", "text", "bool", "float8"; NULL for another name. */
const struct dh_array_elem *test_elem(const char *name);

#endif
