/*
 * sqlarray: PostgreSQL 15's arrays: text input and output, binary send and
 * receive, comparison and hashing, operators and functions, subscripts and
 * slices, ANY/ALL, and a storage encoding for the datom store.
 *
 * Representation (lib/README, "SQL"): an array value at run time is a
 * DH_T_COLL vector of elements of the element type, NULL elements
 * DH_T_NONE.  A multi-dimensional array is a vector of vectors (one level a
 * dimension, all sub-vectors of a level the same length): '{{1,2},{3,4}}'
 * is [[1 2] [3 4]].  Arrays of arrays do not exist in SQL, so a vector
 * element is always a sub-array.  The empty array '{}' is the empty vector.
 * Lower bounds are 1, except for arrays that come from input such as
 * '[0:1]={1,2}' (or a prepend onto one, a slice assignment...): such an
 * array is a DH_COLL_LIST of two items, a vector of DH_T_LONG lower bounds
 * (one a dimension) and the data vector as above.  Every function here
 * accepts and returns both forms.
 *
 * Storage (dh_array_encode): DH_T_BYTES, canonical and order-preserving
 * for one-dimensional arrays whose element encodings are (numbers, text in
 * C collation, bool, uuid): for each element in row-major order a tag byte
 * (0x02: a value as dh_value_encode writes it; 0x04: a string-like value,
 * its type byte and its bytes with 0x00 written 0x00 0xff, closed by 0x00
 * 0x01; 0x03: NULL, after every value as array_cmp sorts it), then 0x00,
 * then the number of dimensions (a byte) and per dimension its length and
 * lower bound (32-bit big-endian, sign bit flipped).  It decodes without
 * the element type.
 *
 * The element type: the caller passes a struct dh_array_elem with the
 * element type's text and binary I/O, comparison and hash (the type
 * catalog fills these in for each SQL type).  Element values are the
 * runtime values of that type (int8 DH_T_LONG, text DH_T_STRING, ...).
 *
 * Errors: 0 or DH_ESQL with PostgreSQL's SQLSTATE and texts (22P02
 * malformed array literal with DETAIL, 2202E array subscript errors, 54000
 * too many dimensions, 0A000, 22004, 22000, 22P03 binary format), or an
 * element callback's error as it returned it.  Memory: results in the
 * caller's arena; inputs are borrowed.  SQL NULL arguments (DH_T_NONE)
 * give NULL results where PostgreSQL's function is strict.
 */
#ifndef DH_SQLARRAY_H
#define DH_SQLARRAY_H

#include <stddef.h>
#include <stdint.h>

#include "datom.h"
#include "util.h"

#define DH_ARRAY_MAXDIM 6

/* The element type's operations.  in/out are the type's text I/O (out
 * appends PostgreSQL's text form of a non-NULL value to b); cmp is its
 * btree order (<0, 0, >0) and equality; hash agrees with cmp's equality;
 * send/recv its binary form (recv reads exactly p[0..n)).  ctx is handed to
 * each.  Any of send/recv/hash may be NULL if never used. */
struct dh_array_elem {
	uint32_t oid; /* element type OID (array_send writes it) */
	char delim;   /* ',' for every type but box */
	void *ctx;
	int (*in)(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err);
	int (*out)(void *ctx, const struct dh_value *v, struct dh_buf *b);
	int (*cmp)(void *ctx, const struct dh_value *x, const struct dh_value *y);
	uint64_t (*hash)(void *ctx, const struct dh_value *v);
	int (*send)(void *ctx, const struct dh_value *v, struct dh_buf *b);
	int (*recv)(void *ctx, const unsigned char *p, size_t n, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
};

/* The flat view of an array, PostgreSQL's own layout: dims, lower bounds,
 * elements in row-major order.  ndim 0 is the empty array. */
struct dh_array {
	int ndim;
	int dims[DH_ARRAY_MAXDIM];
	int lbs[DH_ARRAY_MAXDIM];
	size_t n;
	struct dh_value *e;
};
/* Value -> flat view (elements borrowed from v; arrays in a).  2202E if
 * the vectors are not rectangular. */
int dh_array_unpack(const struct dh_value *v, struct dh_arena *a, struct dh_array *out,
		    struct dh_err *err);
/* Flat view -> value (vectors in a). */
void dh_array_pack(const struct dh_array *arr, struct dh_arena *a, struct dh_value *out);

/* --- text and binary I/O --------------------------------------------------- */

/* array_in: '{1,2,3}', '{{1,2},{3,4}}', '{"a b",NULL,"\""}', '[0:1]={1,2}'.
 * 22P02 "malformed array literal: "..."" with PostgreSQL's DETAIL; element
 * errors from et->in. */
int dh_array_in(const struct dh_array_elem *et, const char *s, size_t n, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err);
/* array_out: appends the text form to b. */
int dh_array_out(const struct dh_array_elem *et, const struct dh_value *v, struct dh_buf *b);
/* array_send / array_recv (PostgreSQL's binary array format). */
int dh_array_send(const struct dh_array_elem *et, const struct dh_value *v, struct dh_buf *b);
int dh_array_recv(const struct dh_array_elem *et, const unsigned char *p, size_t n,
		  struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* Storage encoding (see above): DH_T_BYTES in a; decode is its inverse
 * (DH_ECORRUPT on bytes encode never writes). */
int dh_array_encode(const struct dh_value *v, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err);
int dh_array_decode(const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err);

/* --- comparison --------------------------------------------------------------- */

/* array_cmp: element by element (NULL equals NULL and sorts after values),
 * then by element count, dimensions, lower bounds.  eq: array_eq. */
int dh_array_cmp(const struct dh_array_elem *et, const struct dh_value *x,
		 const struct dh_value *y);
int dh_array_eq(const struct dh_array_elem *et, const struct dh_value *x,
		const struct dh_value *y);
uint64_t dh_array_hash(const struct dh_array_elem *et, const struct dh_value *v);

/* --- operators and functions --------------------------------------------------
 * *out: DH_T_BOOL, DH_T_LONG, an array, text (DH_T_STRING), or DH_T_NONE. */

/* @> (x contains y; <@ swapped) and && (overlap). */
int dh_array_contains(const struct dh_array_elem *et, const struct dh_value *x,
		      const struct dh_value *y, struct dh_arena *a, struct dh_value *out,
		      struct dh_err *err);
int dh_array_overlap(const struct dh_array_elem *et, const struct dh_value *x,
		     const struct dh_value *y, struct dh_arena *a, struct dh_value *out,
		     struct dh_err *err);
/* array || array (array_cat: 2202E "cannot concatenate incompatible arrays"),
 * array || elem (array_append), elem || array (array_prepend; 22000 for a
 * multi-dimensional array).  A NULL array is empty to append/prepend. */
int dh_array_cat(const struct dh_value *x, const struct dh_value *y, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err);
int dh_array_append(const struct dh_value *arr, const struct dh_value *elem, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
int dh_array_prepend(const struct dh_value *elem, const struct dh_value *arr, struct dh_arena *a,
		     struct dh_value *out, struct dh_err *err);
/* array_length(a, dim), array_lower, array_upper: DH_T_LONG or NULL;
 * cardinality: DH_T_LONG; array_ndims: DH_T_LONG or NULL; array_dims:
 * text "[1:2][1:3]" or NULL. */
int dh_array_length(const struct dh_value *arr, int64_t dim, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);
int dh_array_lower(const struct dh_value *arr, int64_t dim, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err);
int dh_array_upper(const struct dh_value *arr, int64_t dim, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err);
int dh_array_cardinality(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
			 struct dh_err *err);
int dh_array_ndims(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
		   struct dh_err *err);
int dh_array_dims(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err);
/* array_remove (0A000 for multi-dimensional), array_replace; NULL matches
 * NULL. */
int dh_array_remove(const struct dh_array_elem *et, const struct dh_value *arr,
		    const struct dh_value *elem, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err);
int dh_array_replace(const struct dh_array_elem *et, const struct dh_value *arr,
		     const struct dh_value *search, const struct dh_value *repl, struct dh_arena *a,
		     struct dh_value *out, struct dh_err *err);
/* array_position(arr, elem [, start]) (start NULL pointer: none; a NULL
 * start value is 22004) and array_positions (an int array). */
int dh_array_position(const struct dh_array_elem *et, const struct dh_value *arr,
		      const struct dh_value *elem, const struct dh_value *start, struct dh_arena *a,
		      struct dh_value *out, struct dh_err *err);
int dh_array_positions(const struct dh_array_elem *et, const struct dh_value *arr,
		       const struct dh_value *elem, struct dh_arena *a, struct dh_value *out,
		       struct dh_err *err);
/* array_to_string(arr, delim [, null_str]) (null_str NULL pointer: not
 * given) and string_to_array(str, delim [, null_str]) (elements through
 * et->in; delim NULL splits into characters, '' keeps the string whole). */
int dh_array_to_string(const struct dh_array_elem *et, const struct dh_value *arr,
		       const struct dh_value *delim, const struct dh_value *null_str,
		       struct dh_arena *a, struct dh_value *out, struct dh_err *err);
int dh_string_to_array(const struct dh_array_elem *et, const struct dh_value *str,
		       const struct dh_value *delim, const struct dh_value *null_str,
		       struct dh_arena *a, struct dh_value *out, struct dh_err *err);
/* unnest: the elements in row-major order, as a vector (the rows). */
int dh_array_unnest(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
		    struct dh_err *err);
/* ARRAY[v0, v1, ...] with n items; sub_arrays: the items are arrays (the
 * result gains a dimension; 2202E when they do not match; NULL and empty
 * items make '{}' when all are so).  array_agg is the same over rows, with
 * its own errors for array inputs; no rows: NULL. */
int dh_array_construct(const struct dh_value *items, size_t n, int sub_arrays,
		       struct dh_arena *a, struct dh_value *out, struct dh_err *err);
int dh_array_agg(const struct dh_value *rows, size_t n, int of_arrays, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err);
/* Subscripts: arr[s1][s2]... (nsub subscripts, each DH_T_LONG or NULL);
 * out of range or fewer/more subscripts than dimensions: NULL.  Slices:
 * arr[lo1:hi1]... where lo/hi NULL pointers are omitted bounds (a[:2]) and
 * NULL values make the result NULL; the result has lower bounds 1 and is
 * '{}' when empty. */
int dh_array_subscript(const struct dh_value *arr, const struct dh_value *subs, int nsub,
		       struct dh_arena *a, struct dh_value *out, struct dh_err *err);
int dh_array_slice(const struct dh_value *arr, const struct dh_value *const *lo,
		   const struct dh_value *const *hi, int nsub, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err);

/* Assignment arr[s1]...[sn] := src (PostgreSQL's array_set_element; the
 * subscripts are hi[], lo[] unused) or, with slice, arr[lo1:hi1]... := src
 * (array_set_slice; src an array whose first elements fill the slice in
 * row-major order; NULL lo/hi pointers are omitted bounds).  A NULL arr
 * is taken as '{}', which gets the subscripts as its bounds; a
 * one-dimensional array grows to the subscripts, with NULLs in between
 * (a subscript below the lower bound moves it).  A NULL src is stored as
 * a NULL element, and leaves the array as it is for a slice.  Errors:
 * 22004 array subscript in assignment must not be null, 2202E wrong
 * number of array subscripts, array subscript out of range (past a
 * multi-dimensional array's bounds), source array too small, upper bound
 * cannot be less than lower bound, array slice subscript must provide both
 * boundaries (on an empty array); 54000 array size exceeds the maximum. */
int dh_array_assign(const struct dh_value *arr, const struct dh_value *const *lo,
		    const struct dh_value *const *hi, int nsub, int slice, const struct dh_value *src,
		    struct dh_arena *a, struct dh_value *out, struct dh_err *err);

/* x op ANY (arr) / x op ALL (arr) in three-valued logic: pred(ctx, x, e)
 * returns 1 (true), 0 (false) or -1 (NULL); it is called with NULL x and
 * elements too (a strict operator returns -1 for them).  ANY: true if some
 * element gives true, else NULL if some gives NULL, else false (an empty
 * array: false).  ALL: false if some gives false, else NULL if some gives
 * NULL, else true.  A NULL array gives NULL.  *out: DH_T_BOOL or NULL. */
typedef int (*dh_array_pred)(void *ctx, const struct dh_value *x, const struct dh_value *e);
int dh_array_any(const struct dh_value *x, const struct dh_value *arr, int all,
		 dh_array_pred pred, void *ctx, struct dh_value *out);
/* The usual predicate: x = e by et->cmp, NULL if either is NULL.  ctx is
 * the struct dh_array_elem. */
int dh_array_pred_eq(void *ctx, const struct dh_value *x, const struct dh_value *e);

#endif
