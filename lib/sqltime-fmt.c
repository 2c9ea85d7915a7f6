/*
 * sqltime-fmt: to_char, to_timestamp and to_date (PostgreSQL's
 * formatting.c templates).
 */
#include "sqltime-int.h"

int
dh_sqltime_to_char(struct dh_buf *b, enum dh_sqltime_type t, int64_t ts,
		   const struct dh_interval *iv, const char *fmt, size_t fmtlen,
		   const struct dh_sqltime_settings *set, struct dh_err *err)
{
	return dh_err_sql(err, "0A000", "to_char is not supported yet");
}

int
dh_sqltime_to_timestamp(const char *s, size_t n, const char *fmt, size_t fmtlen,
			const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	return dh_err_sql(err, "0A000", "to_timestamp is not supported yet");
}

int
dh_sqltime_to_date(const char *s, size_t n, const char *fmt, size_t fmtlen,
		   const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	return dh_err_sql(err, "0A000", "to_date is not supported yet");
}
