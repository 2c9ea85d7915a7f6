/*
 * sqltime-interval: interval input, PostgreSQL's DecodeInterval (units,
 * "ago", SQL standard "Y-M D H:M:S" forms, fractional spill: a fraction of
 * a month goes to days by 30, of a day to time by 24 h) and
 * DecodeISO8601Interval (P1Y2M3DT4H5M6S and the alternative formats).
 * The fields come from sqltime-parse.c's ParseDateTime.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime-int.h"

/* --- intervals --- */

static int
mul_add64(int64_t val, int64_t mul, int64_t *sum)
{
	int64_t p;
	if (__builtin_mul_overflow(val, mul, &p) || __builtin_add_overflow(*sum, p, sum))
		return 0;
	return 1;
}

static int
adjust_fract_usec(double frac, int64_t scale, struct st_itm *it)
{
	int64_t usec;
	if (frac == 0)
		return 1;
	frac *= (double)scale;
	usec = (int64_t)frac;
	frac -= (double)usec;
	if (frac > 0.5)
		usec++;
	else if (frac < -0.5)
		usec--;
	return !__builtin_add_overflow(it->usec, usec, &it->usec);
}

static int
adjust_fract_days(double frac, int scale, struct st_itm *it)
{
	int extra;
	if (frac == 0)
		return 1;
	frac *= scale;
	extra = (int)frac;
	if (__builtin_add_overflow(it->mday, extra, &it->mday))
		return 0;
	frac -= extra;
	return adjust_fract_usec(frac, USECS_PER_DAY, it);
}

static int
adjust_fract_years(double frac, int scale, struct st_itm *it)
{
	int extra = (int)rint(frac * scale * MONTHS_PER_YEAR);
	return !__builtin_add_overflow(it->mon, extra, &it->mon);
}

static int
adjust_usec(int64_t val, double fval, int64_t scale, struct st_itm *it)
{
	if (!mul_add64(val, scale, &it->usec))
		return 0;
	return adjust_fract_usec(fval, scale, it);
}

static int
adjust_days(int64_t val, int mul, struct st_itm *it)
{
	int days;
	if (val < INT_MIN || val > INT_MAX)
		return 0;
	return !__builtin_mul_overflow((int)val, mul, &days) &&
	       !__builtin_add_overflow(it->mday, days, &it->mday);
}

static int
adjust_months(int64_t val, struct st_itm *it)
{
	if (val < INT_MIN || val > INT_MAX)
		return 0;
	return !__builtin_add_overflow(it->mon, (int)val, &it->mon);
}

static int
adjust_years(int64_t val, int scale, struct st_itm *it)
{
	int years;
	if (val < INT_MIN || val > INT_MAX)
		return 0;
	return !__builtin_mul_overflow((int)val, scale, &years) &&
	       !__builtin_add_overflow(it->year, years, &it->year);
}

/* The fields of an interval typmod's range (PostgreSQL's INTERVAL_MASK):
 * they decide what a bare number or "a:b" means ('1'::interval hour). */
#define RANGE_FULL 0x7FFF
#define RM(b) (1 << (b))
enum { RF_MONTH = 1, RF_YEAR = 2, RF_DAY = 3, RF_HOUR = 10, RF_MINUTE = 11, RF_SECOND = 12 };

static int
decode_time_for_interval(char *str, int range, int *tmask, struct st_itm *it)
{
	char *cp;
	int dterr, min, sec = 0;
	int64_t hour, fsec = 0;
	*tmask = DTK_TIME_M;
	errno = 0;
	hour = strtoll(str, &cp, 10);
	if (errno == ERANGE)
		return DTERR_FIELD_OVERFLOW;
	if (*cp != ':')
		return DTERR_BAD_FORMAT;
	min = dh__st_strtoint(cp + 1, &cp, 10);
	if (errno == ERANGE)
		return DTERR_FIELD_OVERFLOW;
	if (*cp == '\0') {
		sec = 0;
		/* MINUTE TO SECOND takes two fields as mm:ss */
		if (range == (RM(RF_MINUTE) | RM(RF_SECOND))) {
			if (hour > INT_MAX || hour < INT_MIN)
				return DTERR_FIELD_OVERFLOW;
			sec = min;
			min = (int)hour;
			hour = 0;
		}
	} else if (*cp == '.') {
		dterr = dh__st_parse_fractional_second(cp, &fsec);
		if (dterr)
			return dterr;
		if (hour > INT_MAX || hour < INT_MIN)
			return DTERR_FIELD_OVERFLOW;
		sec = min;
		min = (int)hour;
		hour = 0;
	} else if (*cp == ':') {
		sec = dh__st_strtoint(cp + 1, &cp, 10);
		if (errno == ERANGE)
			return DTERR_FIELD_OVERFLOW;
		if (*cp == '.') {
			dterr = dh__st_parse_fractional_second(cp, &fsec);
			if (dterr)
				return dterr;
		} else if (*cp != '\0')
			return DTERR_BAD_FORMAT;
	} else
		return DTERR_BAD_FORMAT;
	if (hour < 0 || min < 0 || min > MINS_PER_HOUR - 1 || sec < 0 || sec > SECS_PER_MINUTE ||
	    fsec < 0 || fsec > USECS_PER_SEC)
		return DTERR_FIELD_OVERFLOW;
	it->usec = fsec;
	if (!mul_add64(hour, USECS_PER_HOUR, &it->usec) ||
	    !mul_add64(min, USECS_PER_MINUTE, &it->usec) ||
	    !mul_add64(sec, USECS_PER_SEC, &it->usec))
		return DTERR_FIELD_OVERFLOW;
	return 0;
}

static int
decode_interval(char **field, int *ftype, int nf, int range, int intstyle, int *dtype,
		struct st_itm *it)
{
	int force_negative = 0, is_before = 0;
	char *cp;
	int fmask = 0, tmask, type, uval, i, dterr;
	int64_t val;
	double fval;

	*dtype = DTK_DELTA;
	type = IGNORE_DTF;
	memset(it, 0, sizeof *it);

	if (intstyle == DH_INTSTYLE_SQL_STANDARD && nf > 0 && *field[0] == '-') {
		force_negative = 1;
		for (i = 1; i < nf; i++)
			if (*field[i] == '-' || *field[i] == '+') {
				force_negative = 0;
				break;
			}
	}

	for (i = nf - 1; i >= 0; i--) {
		switch (ftype[i]) {
		case DTK_TIME:
			dterr = decode_time_for_interval(field[i], range, &tmask, it);
			if (dterr)
				return dterr;
			if (force_negative && it->usec > 0)
				it->usec = -it->usec;
			type = DTK_DAY;
			break;

		case DTK_TZ:
			if (strchr(field[i] + 1, ':') != NULL &&
			    decode_time_for_interval(field[i] + 1, range, &tmask, it) == 0) {
				if (*field[i] == '-') {
					if (it->usec == INT64_MIN)
						return DTERR_FIELD_OVERFLOW;
					it->usec = -it->usec;
				}
				if (force_negative && it->usec > 0)
					it->usec = -it->usec;
				type = DTK_DAY;
				break;
			}
			/* fall through */
		case DTK_DATE:
		case DTK_NUMBER:
			if (type == IGNORE_DTF) {
				/* the typmod decides what the rightmost field is */
				switch (range) {
				case RM(RF_YEAR):
					type = DTK_YEAR;
					break;
				case RM(RF_MONTH):
				case RM(RF_YEAR) | RM(RF_MONTH):
					type = DTK_MONTH;
					break;
				case RM(RF_DAY):
					type = DTK_DAY;
					break;
				case RM(RF_HOUR):
				case RM(RF_DAY) | RM(RF_HOUR):
					type = DTK_HOUR;
					break;
				case RM(RF_MINUTE):
				case RM(RF_HOUR) | RM(RF_MINUTE):
				case RM(RF_DAY) | RM(RF_HOUR) | RM(RF_MINUTE):
					type = DTK_MINUTE;
					break;
				default:
					type = DTK_SECOND;
					break;
				}
			}
			errno = 0;
			val = strtoll(field[i], &cp, 10);
			if (errno == ERANGE)
				return DTERR_FIELD_OVERFLOW;
			if (*cp == '-') {
				/* SQL "years-months" */
				int val2 = dh__st_strtoint(cp + 1, &cp, 10);
				if (errno == ERANGE || val2 < 0 || val2 >= MONTHS_PER_YEAR)
					return DTERR_FIELD_OVERFLOW;
				if (*cp != '\0')
					return DTERR_BAD_FORMAT;
				type = DTK_MONTH;
				if (*field[i] == '-')
					val2 = -val2;
				if (__builtin_mul_overflow(val, MONTHS_PER_YEAR, &val) ||
				    __builtin_add_overflow(val, val2, &val))
					return DTERR_FIELD_OVERFLOW;
				fval = 0;
			} else if (*cp == '.') {
				dterr = dh__st_parse_fraction(cp, &fval);
				if (dterr)
					return dterr;
				if (*field[i] == '-')
					fval = -fval;
			} else if (*cp == '\0')
				fval = 0;
			else
				return DTERR_BAD_FORMAT;
			tmask = 0;
			if (force_negative) {
				if (val > 0)
					val = -val;
				if (fval > 0)
					fval = -fval;
			}
			switch (type) {
			case DTK_MICROSEC:
				if (!adjust_usec(val, fval, 1, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(MICROSECOND);
				break;
			case DTK_MILLISEC:
				if (!adjust_usec(val, fval, 1000, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(MILLISECOND);
				break;
			case DTK_SECOND:
				if (!adjust_usec(val, fval, USECS_PER_SEC, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = fval == 0 ? DTK_M(SECOND) : DTK_ALL_SECS_M;
				break;
			case DTK_MINUTE:
				if (!adjust_usec(val, fval, USECS_PER_MINUTE, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(MINUTE);
				break;
			case DTK_HOUR:
				if (!adjust_usec(val, fval, USECS_PER_HOUR, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(HOUR);
				type = DTK_DAY;
				break;
			case DTK_DAY:
				if (!adjust_days(val, 1, it) ||
				    !adjust_fract_usec(fval, USECS_PER_DAY, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(DAY);
				break;
			case DTK_WEEK:
				if (!adjust_days(val, 7, it) || !adjust_fract_days(fval, 7, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(WEEK);
				break;
			case DTK_MONTH:
				if (!adjust_months(val, it) ||
				    !adjust_fract_days(fval, DAYS_PER_MONTH, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(MONTH);
				break;
			case DTK_YEAR:
				if (!adjust_years(val, 1, it) || !adjust_fract_years(fval, 1, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(YEAR);
				break;
			case DTK_DECADE:
				if (!adjust_years(val, 10, it) || !adjust_fract_years(fval, 10, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(DECADE);
				break;
			case DTK_CENTURY:
				if (!adjust_years(val, 100, it) || !adjust_fract_years(fval, 100, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(CENTURY);
				break;
			case DTK_MILLENNIUM:
				if (!adjust_years(val, 1000, it) ||
				    !adjust_fract_years(fval, 1000, it))
					return DTERR_FIELD_OVERFLOW;
				tmask = DTK_M(MILLENNIUM);
				break;
			default:
				return DTERR_BAD_FORMAT;
			}
			break;

		case DTK_STRING:
		case DTK_SPECIAL:
			type = dh__st_decode_units(field[i], &uval);
			if (type == IGNORE_DTF)
				continue;
			tmask = 0;
			switch (type) {
			case UNITS:
				type = uval;
				break;
			case AGO:
				is_before = 1;
				type = uval;
				break;
			case RESERV:
				tmask = DTK_DATE_M | DTK_TIME_M;
				*dtype = uval;
				break;
			default:
				return DTERR_BAD_FORMAT;
			}
			break;

		default:
			return DTERR_BAD_FORMAT;
		}
		if (tmask & fmask)
			return DTERR_BAD_FORMAT;
		fmask |= tmask;
	}
	if (fmask == 0)
		return DTERR_BAD_FORMAT;
	if (is_before) {
		if (it->usec == INT64_MIN || it->mday == INT_MIN || it->mon == INT_MIN ||
		    it->year == INT_MIN)
			return DTERR_FIELD_OVERFLOW;
		it->usec = -it->usec;
		it->mday = -it->mday;
		it->mon = -it->mon;
		it->year = -it->year;
	}
	return 0;
}

static int
parse_iso8601_number(const char *str, char **endptr, int64_t *ipart, double *fpart)
{
	double val;
	if (!(isdigit((unsigned char)*str) || *str == '-' || *str == '.'))
		return DTERR_BAD_FORMAT;
	errno = 0;
	val = strtod(str, endptr);
	if (*endptr == str || errno != 0)
		return DTERR_BAD_FORMAT;
	if (isnan(val) || val < -1.0e15 || val > 1.0e15)
		return DTERR_FIELD_OVERFLOW;
	if (val >= 0)
		*ipart = (int64_t)floor(val);
	else
		*ipart = (int64_t)-floor(-val);
	*fpart = val - (double)*ipart;
	return 0;
}

static int
iso8601_int_width(const char *s)
{
	if (*s == '-')
		s++;
	return (int)strspn(s, "0123456789");
}

static int
decode_iso8601_interval(char *str, int *dtype, struct st_itm *it)
{
	int datepart = 1, havefield = 0;
	*dtype = DTK_DELTA;
	memset(it, 0, sizeof *it);
	if (strlen(str) < 2 || str[0] != 'P')
		return DTERR_BAD_FORMAT;
	str++;
	while (*str) {
		char *fieldstart;
		int64_t val;
		double fval;
		char unit;
		int dterr;
		if (*str == 'T') {
			datepart = 0;
			havefield = 0;
			str++;
			continue;
		}
		fieldstart = str;
		dterr = parse_iso8601_number(str, &str, &val, &fval);
		if (dterr)
			return dterr;
		unit = *str++;
		if (datepart) {
			switch (unit) {
			case 'Y':
				if (!adjust_years(val, 1, it) || !adjust_fract_years(fval, 1, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case 'M':
				if (!adjust_months(val, it) ||
				    !adjust_fract_days(fval, DAYS_PER_MONTH, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case 'W':
				if (!adjust_days(val, 7, it) || !adjust_fract_days(fval, 7, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case 'D':
				if (!adjust_days(val, 1, it) ||
				    !adjust_fract_usec(fval, USECS_PER_DAY, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case 'T':
			case '\0':
				if (iso8601_int_width(fieldstart) == 8 && !havefield) {
					if (!adjust_years(val / 10000, 1, it) ||
					    !adjust_months((val / 100) % 100, it) ||
					    !adjust_days(val % 100, 1, it) ||
					    !adjust_fract_usec(fval, USECS_PER_DAY, it))
						return DTERR_FIELD_OVERFLOW;
					if (unit == '\0')
						return 0;
					datepart = 0;
					havefield = 0;
					continue;
				}
				/* fall through */
			case '-':
				if (havefield)
					return DTERR_BAD_FORMAT;
				if (!adjust_years(val, 1, it) || !adjust_fract_years(fval, 1, it))
					return DTERR_FIELD_OVERFLOW;
				if (unit == '\0')
					return 0;
				if (unit == 'T') {
					datepart = 0;
					havefield = 0;
					continue;
				}
				dterr = parse_iso8601_number(str, &str, &val, &fval);
				if (dterr)
					return dterr;
				if (!adjust_months(val, it) ||
				    !adjust_fract_days(fval, DAYS_PER_MONTH, it))
					return DTERR_FIELD_OVERFLOW;
				if (*str == '\0')
					return 0;
				if (*str == 'T') {
					datepart = 0;
					havefield = 0;
					continue;
				}
				if (*str != '-')
					return DTERR_BAD_FORMAT;
				str++;
				dterr = parse_iso8601_number(str, &str, &val, &fval);
				if (dterr)
					return dterr;
				if (!adjust_days(val, 1, it) ||
				    !adjust_fract_usec(fval, USECS_PER_DAY, it))
					return DTERR_FIELD_OVERFLOW;
				if (*str == '\0')
					return 0;
				if (*str == 'T') {
					datepart = 0;
					havefield = 0;
					continue;
				}
				return DTERR_BAD_FORMAT;
			default:
				return DTERR_BAD_FORMAT;
			}
		} else {
			switch (unit) {
			case 'H':
				if (!adjust_usec(val, fval, USECS_PER_HOUR, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case 'M':
				if (!adjust_usec(val, fval, USECS_PER_MINUTE, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case 'S':
				if (!adjust_usec(val, fval, USECS_PER_SEC, it))
					return DTERR_FIELD_OVERFLOW;
				break;
			case '\0':
				if (iso8601_int_width(fieldstart) == 6 && !havefield) {
					if (!adjust_usec(val / 10000, 0, USECS_PER_HOUR, it) ||
					    !adjust_usec((val / 100) % 100, 0, USECS_PER_MINUTE, it) ||
					    !adjust_usec(val % 100, 0, USECS_PER_SEC, it) ||
					    !adjust_fract_usec(fval, 1, it))
						return DTERR_FIELD_OVERFLOW;
					return 0;
				}
				/* fall through */
			case ':':
				if (havefield)
					return DTERR_BAD_FORMAT;
				if (!adjust_usec(val, fval, USECS_PER_HOUR, it))
					return DTERR_FIELD_OVERFLOW;
				if (unit == '\0')
					return 0;
				dterr = parse_iso8601_number(str, &str, &val, &fval);
				if (dterr)
					return dterr;
				if (!adjust_usec(val, fval, USECS_PER_MINUTE, it))
					return DTERR_FIELD_OVERFLOW;
				if (*str == '\0')
					return 0;
				if (*str != ':')
					return DTERR_BAD_FORMAT;
				str++;
				dterr = parse_iso8601_number(str, &str, &val, &fval);
				if (dterr)
					return dterr;
				if (!adjust_usec(val, fval, USECS_PER_SEC, it))
					return DTERR_FIELD_OVERFLOW;
				if (*str == '\0')
					return 0;
				return DTERR_BAD_FORMAT;
			default:
				return DTERR_BAD_FORMAT;
			}
		}
		havefield = 1;
	}
	return 0;
}

/* --- interval_in --- */

int
dh_sqltime_interval_in(const char *s, size_t n, const struct dh_sqltime_settings *set,
		       struct dh_interval *out, struct dh_err *err)
{
	return dh_sqltime_interval_in_typmod(s, n, -1, set, out, err);
}

int
dh_sqltime_interval_in_typmod(const char *s, size_t n, int32_t typmod,
			      const struct dh_sqltime_settings *set, struct dh_interval *out,
			      struct dh_err *err)
{
	int range = typmod >= 0 ? (typmod >> 16) & RANGE_FULL : RANGE_FULL;
	char small[256], *str = dh__st_input_copy(s, n, small, sizeof small);
	char workbuf[256];
	char *field[MAXDATEFIELDS];
	int ftype[MAXDATEFIELDS], nf, dterr, dtype = 0, rc = 0;
	struct st_itm it;
	memset(&it, 0, sizeof it);
	dterr = dh__st_parse_datetime(str, workbuf, sizeof workbuf, field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = decode_interval(field, ftype, nf, range, set->intervalstyle, &dtype, &it);
	if (dterr == DTERR_BAD_FORMAT)
		dterr = decode_iso8601_interval(str, &dtype, &it);
	if (dterr != 0) {
		if (dterr == DTERR_FIELD_OVERFLOW)
			dterr = DTERR_INTERVAL_OVERFLOW;
		rc = dh__st_parse_error(dterr, str, "interval", err);
		goto out;
	}
	if (dtype != DTK_DELTA) {
		rc = dh__st_parse_error(DTERR_BAD_FORMAT, str, "interval", err);
		goto out;
	}
	int64_t months = (int64_t)it.year * MONTHS_PER_YEAR + it.mon;
	if (months > INT32_MAX || months < INT32_MIN) {
		rc = dh_err_sql(err, "22008", "interval out of range");
		goto out;
	}
	out->month = (int32_t)months;
	out->day = it.mday;
	out->time = it.usec;
out:
	if (str != small)
		free(str);
	return rc;
}

