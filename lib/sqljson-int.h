/*
 * sqljson-int: what sqljson.c (the core) shares with sqljson-fn.c (the
 * operators and functions).  Not part of the API.
 */
#ifndef DH_SQLJSON_INT_H
#define DH_SQLJSON_INT_H

#include "sqljson.h"

/* Sort an object's pairs as jsonb stores them and drop duplicate keys,
 * keeping the last given. */
void dh__json_object_normalise(struct dh_json *o);
/* Numeric comparison of canonical numeric texts. */
int dh__json_num_cmp(const char *a, size_t an, const char *b, size_t bn);
/* Scalars of one kind: <0, 0, >0. */
int dh__json_scalar_cmp(const struct dh_json *a, const struct dh_json *b);
void dh__jsonb_write_scalar(struct dh_buf *b, const struct dh_json *j);
/* The tree as a jsonb value (canonical text) in arena a. */
int dh__jsonb_value(const struct dh_json *j, struct dh_arena *a, struct dh_value *out);

#endif
