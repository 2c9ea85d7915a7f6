/*
 * sqltime-fmt: to_char, to_timestamp and to_date with PostgreSQL's
 * date/time templates (formatting.c's DCH part).  A template is parsed into
 * nodes (keywords with FM/TM prefixes and TH/th suffixes, quoted text,
 * separators, spaces, other characters); to_char prints the nodes, the
 * from-char side reads them against the input with formatting.c's
 * leniency (spaces skipped outside FX mode, a separator matching any one
 * separator, FM and a following separator letting a number run long) and
 * then assembles the date the same way (2-digit years near 2020, CC, ISO
 * weeks, day of year, 12-hour clock, TZH:TZM).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime-int.h"

enum {
	K_A_D, K_A_M, K_AD, K_AM, K_B_C, K_BC, K_CC, K_DAY, K_DDD, K_DD, K_DY, K_Day, K_Dy, K_D,
	K_FF1, K_FF2, K_FF3, K_FF4, K_FF5, K_FF6, K_FX, K_HH24, K_HH12, K_HH, K_IDDD, K_ID, K_IW,
	K_IYYY, K_IYY, K_IY, K_I, K_J, K_MI, K_MM, K_MONTH, K_MON, K_MS, K_Month, K_Mon, K_OF,
	K_P_M, K_PM, K_Q, K_RM, K_SSSS, K_SS, K_TZH, K_TZM, K_TZ, K_US, K_WW, K_W, K_Y_YYY,
	K_YYYY, K_YYY, K_YY, K_Y, K_a_d, K_a_m, K_ad, K_am, K_b_c, K_bc, K_day, K_dy, K_month,
	K_mon, K_p_m, K_pm, K_rm, K_tz,
};

enum { MODE_NONE, MODE_GREG, MODE_ISO };

struct kw {
	const char *name;
	int len, id, is_digit, mode;
};

#define KW(n, id, dig, mode) {n, sizeof(n) - 1, id, dig, mode}
static const struct kw keywords[] = {
	KW("A.D.", K_A_D, 0, MODE_NONE),  KW("A.M.", K_A_M, 0, MODE_NONE),
	KW("AD", K_AD, 0, MODE_NONE),     KW("AM", K_AM, 0, MODE_NONE),
	KW("B.C.", K_B_C, 0, MODE_NONE),  KW("BC", K_BC, 0, MODE_NONE),
	KW("CC", K_CC, 1, MODE_NONE),     KW("DAY", K_DAY, 0, MODE_NONE),
	KW("DDD", K_DDD, 1, MODE_GREG),   KW("DD", K_DD, 1, MODE_GREG),
	KW("DY", K_DY, 0, MODE_NONE),     KW("Day", K_Day, 0, MODE_NONE),
	KW("Dy", K_Dy, 0, MODE_NONE),     KW("D", K_D, 1, MODE_GREG),
	KW("FF1", K_FF1, 0, MODE_NONE),   KW("FF2", K_FF2, 0, MODE_NONE),
	KW("FF3", K_FF3, 0, MODE_NONE),   KW("FF4", K_FF4, 0, MODE_NONE),
	KW("FF5", K_FF5, 0, MODE_NONE),   KW("FF6", K_FF6, 0, MODE_NONE),
	KW("FX", K_FX, 0, MODE_NONE),     KW("HH24", K_HH24, 1, MODE_NONE),
	KW("HH12", K_HH12, 1, MODE_NONE), KW("HH", K_HH, 1, MODE_NONE),
	KW("IDDD", K_IDDD, 1, MODE_ISO),  KW("ID", K_ID, 1, MODE_ISO),
	KW("IW", K_IW, 1, MODE_ISO),      KW("IYYY", K_IYYY, 1, MODE_ISO),
	KW("IYY", K_IYY, 1, MODE_ISO),    KW("IY", K_IY, 1, MODE_ISO),
	KW("I", K_I, 1, MODE_ISO),        KW("J", K_J, 1, MODE_NONE),
	KW("MI", K_MI, 1, MODE_NONE),     KW("MM", K_MM, 1, MODE_GREG),
	KW("MONTH", K_MONTH, 0, MODE_GREG), KW("MON", K_MON, 0, MODE_GREG),
	KW("MS", K_MS, 1, MODE_NONE),     KW("Month", K_Month, 0, MODE_GREG),
	KW("Mon", K_Mon, 0, MODE_GREG),   KW("OF", K_OF, 0, MODE_NONE),
	KW("P.M.", K_P_M, 0, MODE_NONE),  KW("PM", K_PM, 0, MODE_NONE),
	KW("Q", K_Q, 1, MODE_NONE),       KW("RM", K_RM, 0, MODE_GREG),
	KW("SSSSS", K_SSSS, 1, MODE_NONE), KW("SSSS", K_SSSS, 1, MODE_NONE),
	KW("SS", K_SS, 1, MODE_NONE),     KW("TZH", K_TZH, 0, MODE_NONE),
	KW("TZM", K_TZM, 1, MODE_NONE),   KW("TZ", K_TZ, 0, MODE_NONE),
	KW("US", K_US, 1, MODE_NONE),     KW("WW", K_WW, 1, MODE_GREG),
	KW("W", K_W, 1, MODE_GREG),       KW("Y,YYY", K_Y_YYY, 1, MODE_GREG),
	KW("YYYY", K_YYYY, 1, MODE_GREG), KW("YYY", K_YYY, 1, MODE_GREG),
	KW("YY", K_YY, 1, MODE_GREG),     KW("Y", K_Y, 1, MODE_GREG),
	KW("a.d.", K_a_d, 0, MODE_NONE),  KW("a.m.", K_a_m, 0, MODE_NONE),
	KW("ad", K_ad, 0, MODE_NONE),     KW("am", K_am, 0, MODE_NONE),
	KW("b.c.", K_b_c, 0, MODE_NONE),  KW("bc", K_bc, 0, MODE_NONE),
	KW("cc", K_CC, 1, MODE_NONE),     KW("day", K_day, 0, MODE_NONE),
	KW("ddd", K_DDD, 1, MODE_GREG),   KW("dd", K_DD, 1, MODE_GREG),
	KW("dy", K_dy, 0, MODE_NONE),     KW("d", K_D, 1, MODE_GREG),
	KW("ff1", K_FF1, 0, MODE_NONE),   KW("ff2", K_FF2, 0, MODE_NONE),
	KW("ff3", K_FF3, 0, MODE_NONE),   KW("ff4", K_FF4, 0, MODE_NONE),
	KW("ff5", K_FF5, 0, MODE_NONE),   KW("ff6", K_FF6, 0, MODE_NONE),
	KW("fx", K_FX, 0, MODE_NONE),     KW("hh24", K_HH24, 1, MODE_NONE),
	KW("hh12", K_HH12, 1, MODE_NONE), KW("hh", K_HH, 1, MODE_NONE),
	KW("iddd", K_IDDD, 1, MODE_ISO),  KW("id", K_ID, 1, MODE_ISO),
	KW("iw", K_IW, 1, MODE_ISO),      KW("iyyy", K_IYYY, 1, MODE_ISO),
	KW("iyy", K_IYY, 1, MODE_ISO),    KW("iy", K_IY, 1, MODE_ISO),
	KW("i", K_I, 1, MODE_ISO),        KW("j", K_J, 1, MODE_NONE),
	KW("mi", K_MI, 1, MODE_NONE),     KW("mm", K_MM, 1, MODE_GREG),
	KW("month", K_month, 0, MODE_GREG), KW("mon", K_mon, 0, MODE_GREG),
	KW("ms", K_MS, 1, MODE_NONE),     KW("of", K_OF, 0, MODE_NONE),
	KW("p.m.", K_p_m, 0, MODE_NONE),  KW("pm", K_pm, 0, MODE_NONE),
	KW("q", K_Q, 1, MODE_NONE),       KW("rm", K_rm, 0, MODE_GREG),
	KW("sssss", K_SSSS, 1, MODE_NONE), KW("ssss", K_SSSS, 1, MODE_NONE),
	KW("ss", K_SS, 1, MODE_NONE),     KW("tzh", K_TZH, 0, MODE_NONE),
	KW("tzm", K_TZM, 1, MODE_NONE),   KW("tz", K_tz, 0, MODE_NONE),
	KW("us", K_US, 1, MODE_NONE),     KW("ww", K_WW, 1, MODE_GREG),
	KW("w", K_W, 1, MODE_GREG),       KW("y,yyy", K_Y_YYY, 1, MODE_GREG),
	KW("yyyy", K_YYYY, 1, MODE_GREG), KW("yyy", K_YYY, 1, MODE_GREG),
	KW("yy", K_YY, 1, MODE_GREG),     KW("y", K_Y, 1, MODE_GREG),
};

#define S_FM 0x01
#define S_TM 0x02
#define S_TH 0x04 /* upper TH */
#define S_th 0x08 /* lower th */
#define S_SP 0x10
#define S_THth(s) ((s) & (S_TH | S_th))

enum { N_END, N_ACTION, N_CHAR, N_SEPARATOR, N_SPACE };

struct node {
	int type;
	const struct kw *key;
	int suffix;
	char ch;
};

static const char *const months_full[] = {"January", "February", "March",     "April",
					  "May",     "June",     "July",      "August",
					  "September", "October", "November", "December", NULL};
static const char *const days_short[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", NULL};
static const char *const rm_upper[] = {"XII", "XI", "X", "IX", "VIII", "VII",
				       "VI",  "V",  "IV", "III", "II", "I", NULL};
static const char *const rm_lower[] = {"xii", "xi", "x", "ix", "viii", "vii",
				       "vi",  "v",  "iv", "iii", "ii", "i", NULL};
static const char *const ampm_strings[] = {"am", "pm", "AM", "PM", NULL};
static const char *const ampm_long[] = {"a.m.", "p.m.", "A.M.", "P.M.", NULL};
static const char *const adbc_strings[] = {"ad", "bc", "AD", "BC", NULL};
static const char *const adbc_long[] = {"a.d.", "b.c.", "A.D.", "B.C.", NULL};

static int
is_separator_char(const char *s)
{
	return *s > 0x20 && *s < 0x7F && !(*s >= 'A' && *s <= 'Z') && !(*s >= 'a' && *s <= 'z') &&
	       !(*s >= '0' && *s <= '9');
}

static const struct kw *
kw_search(const char *s)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(keywords); i++)
		if (keywords[i].name[0] == *s && strncmp(s, keywords[i].name, (size_t)keywords[i].len) == 0)
			return &keywords[i];
	return NULL;
}

/* parse_format: nodes into *out (n + 1 entries with N_END), heap */
static struct node *
parse_format(const char *str)
{
	size_t n = strlen(str);
	struct node *nodes = xcalloc(n + 2, sizeof *nodes), *p = nodes;
	while (*str) {
		int suffix = 0;
		if (!strncmp(str, "FM", 2) || !strncmp(str, "fm", 2)) {
			suffix |= S_FM;
			str += 2;
		} else if (!strncmp(str, "TM", 2) || !strncmp(str, "tm", 2)) {
			suffix |= S_TM;
			str += 2;
		}
		if (*str && (p->key = kw_search(str)) != NULL) {
			p->type = N_ACTION;
			p->suffix = suffix;
			str += p->key->len;
			if (*str) {
				if (!strncmp(str, "TH", 2)) {
					p->suffix |= S_TH;
					str += 2;
				} else if (!strncmp(str, "th", 2)) {
					p->suffix |= S_th;
					str += 2;
				} else if (!strncmp(str, "SP", 2) || !strncmp(str, "sp", 2)) {
					p->suffix |= S_SP;
					str += 2;
				}
			}
			p++;
		} else if (*str) {
			if (*str == '"') {
				str++;
				while (*str) {
					if (*str == '"') {
						str++;
						break;
					}
					if (*str == '\\' && str[1])
						str++;
					p->type = N_CHAR;
					p->ch = *str++;
					p++;
				}
			} else {
				if (*str == '\\' && str[1] == '"')
					str++;
				if (is_separator_char(str))
					p->type = N_SEPARATOR;
				else if (isspace((unsigned char)*str))
					p->type = N_SPACE;
				else
					p->type = N_CHAR;
				p->ch = *str++;
				p++;
			}
		}
	}
	p->type = N_END;
	return nodes;
}

/* --- to_char --- */

struct ctm {
	struct st_tm tm;
	int64_t hour; /* intervals can exceed int */
	int64_t fsec;
	const char *tzn;
	int yday, wday;
};

static void
numth(struct dh_buf *b, size_t start, int suffix)
{
	const char *num = (const char *)b->p + start;
	size_t len = b->len - start;
	int last;
	if (!len || !isdigit((unsigned char)num[len - 1]))
		return;
	last = num[len - 1];
	if (len > 1 && num[len - 2] == '1')
		last = 0;
	static const char *const up[] = {"ST", "ND", "RD", "TH"}, *const low[] = {"st", "nd", "rd",
										   "th"};
	int k = last == '1' ? 0 : last == '2' ? 1 : last == '3' ? 2 : 3;
	dh_buf_adds(b, (suffix & S_TH) ? up[k] : low[k]);
}

static void
put_upper(struct dh_buf *b, const char *s, int width)
{
	char buf[32];
	size_t k;
	for (k = 0; s[k] && k + 1 < sizeof buf; k++)
		buf[k] = (char)toupper((unsigned char)s[k]);
	buf[k] = '\0';
	dh_buf_printf(b, "%*s", width, buf);
}

static void
put_lower(struct dh_buf *b, const char *s, int width)
{
	char buf[32];
	size_t k;
	for (k = 0; s[k] && k + 1 < sizeof buf; k++)
		buf[k] = (char)tolower((unsigned char)s[k]);
	buf[k] = '\0';
	dh_buf_printf(b, "%*s", width, buf);
}

#define ADJUST_YEAR(year, is_interval) ((is_interval) ? (year) : ((year) <= 0 ? -((year)-1) : (year)))

static int
invalid_for_interval(struct dh_err *err)
{
	dh_err_sql(err, "22007", "invalid format specification for an interval value");
	dh_err_hint(err, "Intervals are not tied to specific calendar dates.");
	return DH_ESQL;
}

static int
dch_to_char(struct dh_buf *b, const struct node *nodes, const struct ctm *in, int is_interval,
	    struct dh_err *err)
{
	const struct st_tm *tm = &in->tm;
	int64_t hour = in->hour;
	int i;
	for (const struct node *n = nodes; n->type != N_END; n++) {
		int fm = n->suffix & S_FM;
		/* localized (TM) names are never padded, as PostgreSQL's */
		int namefm = fm || (n->suffix & S_TM);
		size_t start = b->len;
		if (n->type != N_ACTION) {
			dh_buf_addc(b, n->ch);
			continue;
		}
		switch (n->key->id) {
		case K_A_M:
		case K_P_M:
			dh_buf_adds(b, (hour % HOURS_PER_DAY >= HOURS_PER_DAY / 2) ? "P.M." : "A.M.");
			break;
		case K_AM:
		case K_PM:
			dh_buf_adds(b, (hour % HOURS_PER_DAY >= HOURS_PER_DAY / 2) ? "PM" : "AM");
			break;
		case K_a_m:
		case K_p_m:
			dh_buf_adds(b, (hour % HOURS_PER_DAY >= HOURS_PER_DAY / 2) ? "p.m." : "a.m.");
			break;
		case K_am:
		case K_pm:
			dh_buf_adds(b, (hour % HOURS_PER_DAY >= HOURS_PER_DAY / 2) ? "pm" : "am");
			break;
		case K_HH:
		case K_HH12:
			dh_buf_printf(b, "%0*lld", fm ? 0 : (hour >= 0) ? 2 : 3,
				      hour % (HOURS_PER_DAY / 2) == 0 ? (long long)(HOURS_PER_DAY / 2)
								      : (long long)(hour % (HOURS_PER_DAY / 2)));
			break;
		case K_HH24:
			dh_buf_printf(b, "%0*lld", fm ? 0 : (hour >= 0) ? 2 : 3, (long long)hour);
			break;
		case K_MI:
			dh_buf_printf(b, "%0*d", fm ? 0 : (tm->min >= 0) ? 2 : 3, tm->min);
			break;
		case K_SS:
			dh_buf_printf(b, "%0*d", fm ? 0 : (tm->sec >= 0) ? 2 : 3, tm->sec);
			break;
		case K_FF1:
			dh_buf_printf(b, "%01d", (int)(in->fsec / 100000));
			break;
		case K_FF2:
			dh_buf_printf(b, "%02d", (int)(in->fsec / 10000));
			break;
		case K_FF3:
		case K_MS:
			dh_buf_printf(b, "%03d", (int)(in->fsec / 1000));
			break;
		case K_FF4:
			dh_buf_printf(b, "%04d", (int)(in->fsec / 100));
			break;
		case K_FF5:
			dh_buf_printf(b, "%05d", (int)(in->fsec / 10));
			break;
		case K_FF6:
		case K_US:
			dh_buf_printf(b, "%06d", (int)in->fsec);
			break;
		case K_SSSS:
			dh_buf_printf(b, "%lld",
				      (long long)(hour * SECS_PER_HOUR + tm->min * SECS_PER_MINUTE + tm->sec));
			break;
		case K_tz:
			if (is_interval)
				return invalid_for_interval(err);
			if (in->tzn)
				put_lower(b, in->tzn, 0);
			break;
		case K_TZ:
			if (is_interval)
				return invalid_for_interval(err);
			if (in->tzn)
				dh_buf_adds(b, in->tzn);
			break;
		case K_TZH:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_printf(b, "%c%02d", tm->gmtoff >= 0 ? '+' : '-',
				      abs((int)tm->gmtoff) / SECS_PER_HOUR);
			break;
		case K_TZM:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_printf(b, "%02d", (abs((int)tm->gmtoff) % SECS_PER_HOUR) / SECS_PER_MINUTE);
			break;
		case K_OF:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_printf(b, "%c%0*d", tm->gmtoff >= 0 ? '+' : '-', fm ? 0 : 2,
				      abs((int)tm->gmtoff) / SECS_PER_HOUR);
			if (abs((int)tm->gmtoff) % SECS_PER_HOUR != 0)
				dh_buf_printf(b, ":%02d",
					      (abs((int)tm->gmtoff) % SECS_PER_HOUR) / SECS_PER_MINUTE);
			break;
		case K_A_D:
		case K_B_C:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_adds(b, tm->year <= 0 ? "B.C." : "A.D.");
			break;
		case K_AD:
		case K_BC:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_adds(b, tm->year <= 0 ? "BC" : "AD");
			break;
		case K_a_d:
		case K_b_c:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_adds(b, tm->year <= 0 ? "b.c." : "a.d.");
			break;
		case K_ad:
		case K_bc:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_adds(b, tm->year <= 0 ? "bc" : "ad");
			break;
		case K_MONTH:
		case K_Month:
		case K_month:
			if (is_interval)
				return invalid_for_interval(err);
			if (!tm->mon)
				break;
			if (n->key->id == K_MONTH)
				put_upper(b, months_full[tm->mon - 1], namefm ? 0 : -9);
			else if (n->key->id == K_Month)
				dh_buf_printf(b, "%*s", namefm ? 0 : -9, months_full[tm->mon - 1]);
			else
				put_lower(b, months_full[tm->mon - 1], namefm ? 0 : -9);
			break;
		case K_MON:
		case K_Mon:
		case K_mon:
			if (is_interval)
				return invalid_for_interval(err);
			if (!tm->mon)
				break;
			if (n->key->id == K_MON)
				put_upper(b, dh__st_months[tm->mon - 1], 0);
			else if (n->key->id == K_Mon)
				dh_buf_adds(b, dh__st_months[tm->mon - 1]);
			else
				put_lower(b, dh__st_months[tm->mon - 1], 0);
			break;
		case K_MM:
			dh_buf_printf(b, "%0*d", fm ? 0 : (tm->mon >= 0) ? 2 : 3, tm->mon);
			break;
		case K_DAY:
		case K_Day:
		case K_day:
			if (is_interval)
				return invalid_for_interval(err);
			if (n->key->id == K_DAY)
				put_upper(b, dh__st_days[in->wday], namefm ? 0 : -9);
			else if (n->key->id == K_Day)
				dh_buf_printf(b, "%*s", namefm ? 0 : -9, dh__st_days[in->wday]);
			else
				put_lower(b, dh__st_days[in->wday], namefm ? 0 : -9);
			break;
		case K_DY:
		case K_Dy:
		case K_dy:
			if (is_interval)
				return invalid_for_interval(err);
			if (n->key->id == K_DY)
				put_upper(b, days_short[in->wday], 0);
			else if (n->key->id == K_Dy)
				dh_buf_adds(b, days_short[in->wday]);
			else
				put_lower(b, days_short[in->wday], 0);
			break;
		case K_DDD:
		case K_IDDD:
			dh_buf_printf(b, "%0*d", fm ? 0 : 3,
				      n->key->id == K_DDD
					      ? in->yday
					      : dh__st_date2isoyearday(tm->year, tm->mon, tm->mday));
			break;
		case K_DD:
			dh_buf_printf(b, "%0*d", fm ? 0 : 2, tm->mday);
			break;
		case K_D:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_printf(b, "%d", in->wday + 1);
			break;
		case K_ID:
			if (is_interval)
				return invalid_for_interval(err);
			dh_buf_printf(b, "%d", in->wday == 0 ? 7 : in->wday);
			break;
		case K_WW:
			dh_buf_printf(b, "%0*d", fm ? 0 : 2, (in->yday - 1) / 7 + 1);
			break;
		case K_IW:
			dh_buf_printf(b, "%0*d", fm ? 0 : 2,
				      dh__st_date2isoweek(tm->year, tm->mon, tm->mday));
			break;
		case K_Q:
			if (!tm->mon)
				break;
			dh_buf_printf(b, "%d", (tm->mon - 1) / 3 + 1);
			break;
		case K_CC:
			if (is_interval)
				i = tm->year / 100;
			else if (tm->year > 0)
				i = (tm->year - 1) / 100 + 1;
			else
				i = tm->year / 100 - 1;
			if (i <= 99 && i >= -99)
				dh_buf_printf(b, "%0*d", fm ? 0 : (i >= 0) ? 2 : 3, i);
			else
				dh_buf_printf(b, "%d", i);
			break;
		case K_Y_YYY:
			i = ADJUST_YEAR(tm->year, is_interval) / 1000;
			dh_buf_printf(b, "%d,%03d", i, ADJUST_YEAR(tm->year, is_interval) - (i * 1000));
			break;
		case K_YYYY:
		case K_IYYY: {
			int y = n->key->id == K_YYYY
					? ADJUST_YEAR(tm->year, is_interval)
					: ADJUST_YEAR(dh__st_date2isoyear(tm->year, tm->mon, tm->mday),
						      is_interval);
			dh_buf_printf(b, "%0*d", fm ? 0 : (ADJUST_YEAR(tm->year, is_interval) >= 0) ? 4 : 5,
				      y);
			break;
		}
		case K_YYY:
		case K_IYY:
		case K_YY:
		case K_IY: {
			int iso = n->key->id == K_IYY || n->key->id == K_IY;
			int three = n->key->id == K_YYY || n->key->id == K_IYY;
			int y = !iso ? ADJUST_YEAR(tm->year, is_interval)
				     : ADJUST_YEAR(dh__st_date2isoyear(tm->year, tm->mon, tm->mday),
						   is_interval);
			int ay = ADJUST_YEAR(tm->year, is_interval);
			dh_buf_printf(b, "%0*d", fm ? 0 : three ? (ay >= 0 ? 3 : 4) : (ay >= 0 ? 2 : 3),
				      y % (three ? 1000 : 100));
			break;
		}
		case K_Y:
		case K_I: {
			int y = n->key->id == K_Y
					? ADJUST_YEAR(tm->year, is_interval)
					: ADJUST_YEAR(dh__st_date2isoyear(tm->year, tm->mon, tm->mday),
						      is_interval);
			dh_buf_printf(b, "%1d", y % 10);
			break;
		}
		case K_RM:
		case K_rm: {
			int mon;
			if (!tm->mon && !tm->year)
				break;
			if (tm->mon == 0)
				mon = tm->year >= 0 ? 0 : MONTHS_PER_YEAR - 1;
			else if (tm->mon < 0)
				mon = -1 * (tm->mon + 1);
			else
				mon = MONTHS_PER_YEAR - tm->mon;
			dh_buf_printf(b, "%*s", fm ? 0 : -4,
				      n->key->id == K_RM ? rm_upper[mon] : rm_lower[mon]);
			break;
		}
		case K_W:
			dh_buf_printf(b, "%d", (tm->mday - 1) / 7 + 1);
			break;
		case K_J:
			dh_buf_printf(b, "%d", dh__st_date2j(tm->year, tm->mon, tm->mday));
			break;
		case K_FX:
			break;
		}
		if (S_THth(n->suffix) && (n->key->is_digit || (n->key->id >= K_FF1 && n->key->id <= K_FF6)))
			numth(b, start, n->suffix);
	}
	return b->overflow ? DH_ETOOLONG : 0;
}

int
dh_sqltime_to_char(struct dh_buf *b, enum dh_sqltime_type t, int64_t ts,
		   const struct dh_interval *iv, const char *fmt, size_t fmtlen,
		   const struct dh_sqltime_settings *set, int *isnull, struct dh_err *err)
{
	struct ctm in;
	struct node *nodes;
	char *f;
	int rc, is_interval = t == DH_SQLTIME_INTERVAL;
	*isnull = 0;
	memset(&in, 0, sizeof in);
	if (fmtlen == 0) {
		*isnull = 1;
		return 0;
	}
	if (is_interval) {
		struct st_itm itm;
		dh__st_interval2itm(iv, &itm);
		in.tm.year = itm.year;
		in.tm.mon = itm.mon;
		in.tm.mday = itm.mday;
		in.hour = itm.hour;
		in.tm.min = itm.min;
		in.tm.sec = itm.sec;
		in.fsec = itm.usec;
		in.yday = (itm.year * MONTHS_PER_YEAR + itm.mon) * DAYS_PER_MONTH + itm.mday;
	} else {
		int64_t x = dh__st_ts2000(ts);
		int tz;
		if (TS_NOT_FINITE(x)) {
			*isnull = 1;
			return 0;
		}
		if (dh__st_ts2tm(x, t == DH_SQLTIME_TIMESTAMPTZ ? &tz : NULL, &in.tm, &in.fsec,
				 dh__st_session_tz(set)) != 0)
			return dh__st_err_ts_range(err);
		if (t == DH_SQLTIME_TIMESTAMPTZ)
			in.tzn = in.tm.zone;
		in.hour = in.tm.hour;
		int thisdate = dh__st_date2j(in.tm.year, in.tm.mon, in.tm.mday);
		in.wday = (thisdate + 1) % 7;
		in.yday = thisdate - dh__st_date2j(in.tm.year, 1, 1) + 1;
	}
	f = xstrndup(fmt, fmtlen);
	nodes = parse_format(f);
	rc = dch_to_char(b, nodes, &in, is_interval, err);
	free(nodes);
	free(f);
	return rc;
}

/* --- to_timestamp, to_date --- */

struct tmfc {
	int mode, hh, pm, mi, ss, ssss, d, dd, ddd, mm, ms, year, bc, ww, w, cc, j, us, yysz,
		clock12, tzsign, tzh, tzm, ff;
};

struct fctx {
	struct dh_err *err;
	const char *input;
};

static int
fmt_err(struct dh_err *err, const char *sqlstate, const char *msg, const char *detail,
	const char *hint)
{
	dh_err_sql(err, sqlstate, "%s", msg);
	if (detail)
		dh_err_detail(err, "%s", detail);
	if (hint)
		dh_err_hint(err, "%s", hint);
	return DH_ESQL;
}

static int
set_int(int *dest, int value, const struct node *n, struct dh_err *err)
{
	char msg[128];
	if (*dest != 0 && *dest != value) {
		snprintf(msg, sizeof msg, "conflicting values for \"%s\" field in formatting string",
			 n->key->name);
		return fmt_err(err, "22007", msg,
			       "This value contradicts a previous setting for the same field type.",
			       NULL);
	}
	*dest = value;
	return 0;
}

static int
is_next_separator(const struct node *n)
{
	if (n->type == N_END)
		return 0;
	if (n->type == N_ACTION && S_THth(n->suffix))
		return 1;
	n++;
	if (n->type == N_END)
		return 1;
	if (n->type == N_ACTION)
		return !n->key->is_digit;
	if (isdigit((unsigned char)n->ch))
		return 0;
	return 1;
}

/* from_char_parse_int_len: returns characters used (>= 0) or -1 */
static int
parse_int_len(int *dest, const char **src, int len, const struct node *n, struct dh_err *err)
{
	long result;
	char copy[64], msg[192], detail[128];
	const char *init = *src;
	int used;
	while (isspace((unsigned char)**src))
		(*src)++;
	used = (int)strnlen(*src, (size_t)len);
	memcpy(copy, *src, (size_t)used);
	copy[used] = '\0';
	if ((n->suffix & S_FM) || is_next_separator(n)) {
		char *end;
		errno = 0;
		result = strtol(init, &end, 10);
		*src = end;
	} else {
		char *last;
		if (used < len) {
			snprintf(msg, sizeof msg, "source string too short for \"%s\" formatting field",
				 n->key->name);
			snprintf(detail, sizeof detail,
				 "Field requires %d characters, but only %d remain.", len, used);
			fmt_err(err, "22007", msg, detail,
				"If your source string is not fixed-width, try using the \"FM\" "
				"modifier.");
			return -1;
		}
		errno = 0;
		result = strtol(copy, &last, 10);
		used = (int)(last - copy);
		if (used > 0 && used < len) {
			snprintf(msg, sizeof msg, "invalid value \"%s\" for \"%s\"", copy, n->key->name);
			snprintf(detail, sizeof detail,
				 "Field requires %d characters, but only %d could be parsed.", len,
				 used);
			fmt_err(err, "22007", msg, detail,
				"If your source string is not fixed-width, try using the \"FM\" "
				"modifier.");
			return -1;
		}
		*src += used;
	}
	if (*src == init) {
		snprintf(msg, sizeof msg, "invalid value \"%s\" for \"%s\"", copy, n->key->name);
		fmt_err(err, "22007", msg, "Value must be an integer.", NULL);
		return -1;
	}
	if (errno == ERANGE || result < INT_MIN || result > INT_MAX) {
		snprintf(msg, sizeof msg, "value for \"%s\" in source string is out of range",
			 n->key->name);
		snprintf(detail, sizeof detail, "Value must be in the range %d to %d.", INT_MIN,
			 INT_MAX);
		fmt_err(err, "22008", msg, detail, NULL);
		return -1;
	}
	if (dest && set_int(dest, (int)result, n, err))
		return -1;
	return (int)(*src - init);
}

static int
parse_int(int *dest, const char **src, const struct node *n, struct dh_err *err)
{
	return parse_int_len(dest, src, n->key->len, n, err);
}

static int
seq_search(const char *name, const char *const *array, int *len)
{
	*len = 0;
	if (!*name)
		return -1;
	int firstc = tolower((unsigned char)*name);
	for (const char *const *a = array; *a; a++) {
		const char *p, *q;
		if (tolower((unsigned char)**a) != firstc)
			continue;
		for (p = *a + 1, q = name + 1;; p++, q++) {
			if (*p == '\0') {
				*len = (int)(q - name);
				return (int)(a - array);
			}
			if (*q == '\0')
				break;
			if (tolower((unsigned char)*p) != tolower((unsigned char)*q))
				break;
		}
	}
	return -1;
}

static int
seq_value(int *dest, const char **src, const char *const *array, const struct node *n,
	  struct dh_err *err)
{
	int len;
	char copy[64], msg[192];
	*dest = seq_search(*src, array, &len);
	if (len <= 0) {
		size_t k;
		for (k = 0; (*src)[k] && k + 1 < sizeof copy && !isspace((unsigned char)(*src)[k]); k++)
			copy[k] = (*src)[k];
		copy[k] = '\0';
		snprintf(msg, sizeof msg, "invalid value \"%s\" for \"%s\"", copy, n->key->name);
		return fmt_err(err, "22007", msg,
			       "The given value did not match any of the allowed values for this "
			       "field.",
			       NULL);
	}
	*src += len;
	return 0;
}

static int
adjust_partial_year(int year)
{
	if (year < 70)
		return year + 2000;
	if (year < 100)
		return year + 1900;
	if (year < 520)
		return year + 2000;
	if (year < 1000)
		return year + 1000;
	return year;
}

#define SKIP_THth(s, suf)                                                                         \
	do {                                                                                      \
		if (S_THth(suf)) {                                                                \
			if (*(s))                                                                 \
				(s)++;                                                            \
			if (*(s))                                                                 \
				(s)++;                                                            \
		}                                                                                 \
	} while (0)

static int
dch_from_char(const struct node *nodes, const char *in, struct tmfc *out, struct dh_err *err)
{
	const struct node *n;
	const char *s;
	int fx_mode = 0, extra_skip = 0, value, len;
	char msg[192];
	for (n = nodes, s = in; n->type != N_END && *s != '\0'; n++) {
		if (!fx_mode && (n->type != N_ACTION || n->key->id != K_FX) &&
		    (n->type == N_ACTION || n == nodes)) {
			while (*s != '\0' && isspace((unsigned char)*s)) {
				s++;
				extra_skip++;
			}
		}
		if (n->type == N_SPACE || n->type == N_SEPARATOR) {
			if (!fx_mode) {
				extra_skip--;
				if (isspace((unsigned char)*s) || is_separator_char(s)) {
					s++;
					extra_skip++;
				}
			} else
				s++;
			continue;
		} else if (n->type != N_ACTION) {
			if (!fx_mode) {
				if (extra_skip > 0)
					extra_skip--;
				else
					s++;
			} else
				s++;
			continue;
		}
		if (n->key->mode != MODE_NONE) {
			if (out->mode == MODE_NONE)
				out->mode = n->key->mode;
			else if (out->mode != n->key->mode)
				return fmt_err(err, "22007", "invalid combination of date conventions",
					       NULL,
					       "Do not mix Gregorian and ISO week date conventions in "
					       "a formatting template.");
		}
		switch (n->key->id) {
		case K_FX:
			fx_mode = 1;
			break;
		case K_A_M:
		case K_P_M:
		case K_a_m:
		case K_p_m:
			if (seq_value(&value, &s, ampm_long, n, err) || set_int(&out->pm, value % 2, n, err))
				return DH_ESQL;
			out->clock12 = 1;
			break;
		case K_AM:
		case K_PM:
		case K_am:
		case K_pm:
			if (seq_value(&value, &s, ampm_strings, n, err) ||
			    set_int(&out->pm, value % 2, n, err))
				return DH_ESQL;
			out->clock12 = 1;
			break;
		case K_HH:
		case K_HH12:
			if (parse_int_len(&out->hh, &s, 2, n, err) < 0)
				return DH_ESQL;
			out->clock12 = 1;
			SKIP_THth(s, n->suffix);
			break;
		case K_HH24:
			if (parse_int_len(&out->hh, &s, 2, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_MI:
			if (parse_int(&out->mi, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_SS:
			if (parse_int(&out->ss, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_MS:
			len = parse_int_len(&out->ms, &s, 3, n, err);
			if (len < 0)
				return DH_ESQL;
			out->ms *= len == 1 ? 100 : len == 2 ? 10 : 1;
			SKIP_THth(s, n->suffix);
			break;
		case K_FF1:
		case K_FF2:
		case K_FF3:
		case K_FF4:
		case K_FF5:
		case K_FF6:
			out->ff = n->key->id - K_FF1 + 1;
			/* fall through */
		case K_US:
			len = parse_int_len(&out->us, &s, n->key->id == K_US ? 6 : out->ff, n, err);
			if (len < 0)
				return DH_ESQL;
			out->us *= len == 1	  ? 100000
				   : len == 2 ? 10000
				   : len == 3 ? 1000
				   : len == 4 ? 100
				   : len == 5 ? 10
					      : 1;
			SKIP_THth(s, n->suffix);
			break;
		case K_SSSS:
			if (parse_int(&out->ssss, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_tz:
		case K_TZ:
		case K_OF:
			snprintf(msg, sizeof msg, "formatting field \"%s\" is only supported in to_char",
				 n->key->name);
			return fmt_err(err, "0A000", msg, NULL, NULL);
		case K_TZH:
			if (*s == '+' || *s == '-' || *s == ' ') {
				out->tzsign = *s == '-' ? -1 : +1;
				s++;
			} else {
				if (extra_skip > 0 && *(s - 1) == '-')
					out->tzsign = -1;
				else
					out->tzsign = +1;
			}
			if (parse_int_len(&out->tzh, &s, 2, n, err) < 0)
				return DH_ESQL;
			break;
		case K_TZM:
			if (!out->tzsign)
				out->tzsign = +1;
			if (parse_int_len(&out->tzm, &s, 2, n, err) < 0)
				return DH_ESQL;
			break;
		case K_A_D:
		case K_B_C:
		case K_a_d:
		case K_b_c:
			if (seq_value(&value, &s, adbc_long, n, err) || set_int(&out->bc, value % 2, n, err))
				return DH_ESQL;
			break;
		case K_AD:
		case K_BC:
		case K_ad:
		case K_bc:
			if (seq_value(&value, &s, adbc_strings, n, err) ||
			    set_int(&out->bc, value % 2, n, err))
				return DH_ESQL;
			break;
		case K_MONTH:
		case K_Month:
		case K_month:
			if (seq_value(&value, &s, months_full, n, err) ||
			    set_int(&out->mm, value + 1, n, err))
				return DH_ESQL;
			break;
		case K_MON:
		case K_Mon:
		case K_mon:
			if (seq_value(&value, &s, dh__st_months, n, err) ||
			    set_int(&out->mm, value + 1, n, err))
				return DH_ESQL;
			break;
		case K_MM:
			if (parse_int(&out->mm, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_DAY:
		case K_Day:
		case K_day:
			if (seq_value(&value, &s, dh__st_days, n, err) || set_int(&out->d, value, n, err))
				return DH_ESQL;
			out->d++;
			break;
		case K_DY:
		case K_Dy:
		case K_dy:
			if (seq_value(&value, &s, days_short, n, err) || set_int(&out->d, value, n, err))
				return DH_ESQL;
			out->d++;
			break;
		case K_DDD:
			if (parse_int(&out->ddd, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_IDDD:
			if (parse_int_len(&out->ddd, &s, 3, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_DD:
			if (parse_int(&out->dd, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_D:
			if (parse_int(&out->d, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_ID:
			if (parse_int_len(&out->d, &s, 1, n, err) < 0)
				return DH_ESQL;
			if (++out->d > 7)
				out->d = 1;
			SKIP_THth(s, n->suffix);
			break;
		case K_WW:
		case K_IW:
			if (parse_int(&out->ww, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_Q:
			if (parse_int(NULL, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_CC:
			if (parse_int(&out->cc, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_Y_YYY: {
			int matched, years, millennia, nch = 0;
			matched = sscanf(s, "%d,%03d%n", &millennia, &years, &nch);
			if (matched < 2)
				return fmt_err(err, "22007", "invalid input string for \"Y,YYY\"", NULL,
					       NULL);
			years += millennia * 1000;
			if (set_int(&out->year, years, n, err))
				return DH_ESQL;
			out->yysz = 4;
			s += nch;
			SKIP_THth(s, n->suffix);
			break;
		}
		case K_YYYY:
		case K_IYYY:
			if (parse_int(&out->year, &s, n, err) < 0)
				return DH_ESQL;
			out->yysz = 4;
			SKIP_THth(s, n->suffix);
			break;
		case K_YYY:
		case K_IYY:
		case K_YY:
		case K_IY:
		case K_Y:
		case K_I:
			len = parse_int(&out->year, &s, n, err);
			if (len < 0)
				return DH_ESQL;
			if (len < 4)
				out->year = adjust_partial_year(out->year);
			out->yysz = (n->key->id == K_YYY || n->key->id == K_IYY)  ? 3
				    : (n->key->id == K_YY || n->key->id == K_IY) ? 2
										 : 1;
			SKIP_THth(s, n->suffix);
			break;
		case K_RM:
		case K_rm:
			if (seq_value(&value, &s, rm_lower, n, err) ||
			    set_int(&out->mm, MONTHS_PER_YEAR - value, n, err))
				return DH_ESQL;
			break;
		case K_W:
			if (parse_int(&out->w, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		case K_J:
			if (parse_int(&out->j, &s, n, err) < 0)
				return DH_ESQL;
			SKIP_THth(s, n->suffix);
			break;
		}
		if (!fx_mode) {
			extra_skip = 0;
			while (*s != '\0' && isspace((unsigned char)*s)) {
				s++;
				extra_skip++;
			}
		}
	}
	return 0;
}

int dh__st_validate_date(int fmask, int isjulian, int is2digits, int bc, struct st_tm *tm);

/* do_to_timestamp: tm (year 0 = 1 BC when no year given), fsec, and the
 * zone if TZH/TZM appeared (*has_tz, *tz seconds west) */
static int
do_to_timestamp(const char *s, size_t n, const char *fmt, size_t fmtlen, struct st_tm *tm,
		int64_t *fsec, int *has_tz, int *tz, int *fprec, struct dh_err *err)
{
	struct tmfc tmfc;
	char *str = xstrndup(s, n);
	int fmask = 0, rc = 0;
	memset(&tmfc, 0, sizeof tmfc);
	memset(tm, 0, sizeof *tm);
	tm->mday = tm->mon = 1;
	*fsec = 0;
	*has_tz = 0;
	*fprec = 0;
	if (fmtlen) {
		char *f = xstrndup(fmt, fmtlen);
		struct node *nodes = parse_format(f);
		rc = dch_from_char(nodes, str, &tmfc, err);
		free(nodes);
		free(f);
		if (rc)
			goto out;
	}
	if (tmfc.ssss) {
		int x = tmfc.ssss;
		tm->hour = x / SECS_PER_HOUR;
		x %= SECS_PER_HOUR;
		tm->min = x / SECS_PER_MINUTE;
		x %= SECS_PER_MINUTE;
		tm->sec = x;
	}
	if (tmfc.ss)
		tm->sec = tmfc.ss;
	if (tmfc.mi)
		tm->min = tmfc.mi;
	if (tmfc.hh)
		tm->hour = tmfc.hh;
	if (tmfc.clock12) {
		if (tm->hour < 1 || tm->hour > HOURS_PER_DAY / 2) {
			char msg[128];
			snprintf(msg, sizeof msg, "hour \"%d\" is invalid for the 12-hour clock",
				 tm->hour);
			rc = fmt_err(err, "22007", msg, NULL,
				     "Use the 24-hour clock, or give an hour between 1 and 12.");
			goto out;
		}
		if (tmfc.pm && tm->hour < HOURS_PER_DAY / 2)
			tm->hour += HOURS_PER_DAY / 2;
		else if (!tmfc.pm && tm->hour == HOURS_PER_DAY / 2)
			tm->hour = 0;
	}
	if (tmfc.year) {
		if (tmfc.cc && tmfc.yysz <= 2) {
			if (tmfc.bc)
				tmfc.cc = -tmfc.cc;
			tm->year = tmfc.year % 100;
			if (tm->year) {
				if (tmfc.cc >= 0)
					tm->year += (tmfc.cc - 1) * 100;
				else
					tm->year = (tmfc.cc + 1) * 100 - tm->year + 1;
			} else
				tm->year = tmfc.cc * 100 + ((tmfc.cc >= 0) ? 0 : 1);
		} else {
			tm->year = tmfc.year;
			if (tmfc.bc)
				tm->year = -tm->year;
			if (tm->year < 0)
				tm->year++;
		}
		fmask |= DTK_M(YEAR);
	} else if (tmfc.cc) {
		if (tmfc.bc)
			tmfc.cc = -tmfc.cc;
		if (tmfc.cc >= 0)
			tm->year = (tmfc.cc - 1) * 100 + 1;
		else
			tm->year = tmfc.cc * 100 + 1;
		fmask |= DTK_M(YEAR);
	}
	if (tmfc.j) {
		dh__st_j2date(tmfc.j, &tm->year, &tm->mon, &tm->mday);
		fmask |= DTK_DATE_M;
	}
	if (tmfc.ww) {
		if (tmfc.mode == MODE_ISO) {
			if (tmfc.d)
				dh__st_isoweekdate2date(tmfc.ww, tmfc.d, &tm->year, &tm->mon, &tm->mday);
			else
				dh__st_isoweek2date(tmfc.ww, &tm->year, &tm->mon, &tm->mday);
			fmask |= DTK_DATE_M;
		} else
			tmfc.ddd = (tmfc.ww - 1) * 7 + 1;
	}
	if (tmfc.w)
		tmfc.dd = (tmfc.w - 1) * 7 + 1;
	if (tmfc.dd) {
		tm->mday = tmfc.dd;
		fmask |= DTK_M(DAY);
	}
	if (tmfc.mm) {
		tm->mon = tmfc.mm;
		fmask |= DTK_M(MONTH);
	}
	if (tmfc.ddd && (tm->mon <= 1 || tm->mday <= 1)) {
		if (!tm->year && !tmfc.bc) {
			rc = fmt_err(err, "22007", "cannot calculate day of year without year information",
				     NULL, NULL);
			goto out;
		}
		if (tmfc.mode == MODE_ISO) {
			int j0 = dh__st_isoweek2j(tm->year, 1) - 1;
			dh__st_j2date(j0 + tmfc.ddd, &tm->year, &tm->mon, &tm->mday);
			fmask |= DTK_DATE_M;
		} else {
			static const int ysum[2][13] = {
				{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
				{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
			const int *y = ysum[ISLEAP(tm->year)];
			int i;
			for (i = 1; i <= MONTHS_PER_YEAR; i++)
				if (tmfc.ddd <= y[i])
					break;
			if (tm->mon <= 1)
				tm->mon = i;
			if (tm->mday <= 1)
				tm->mday = tmfc.ddd - y[i - 1];
			fmask |= DTK_M(MONTH) | DTK_M(DAY);
		}
	}
	if (tmfc.ms)
		*fsec += (int64_t)tmfc.ms * 1000;
	if (tmfc.us)
		*fsec += tmfc.us;
	*fprec = tmfc.ff;
	if (fmask != 0 && dh__st_validate_date(fmask, 1, 0, 0, tm) != 0) {
		rc = dh__st_parse_error(DTERR_FIELD_OVERFLOW, str, "timestamp", err);
		goto out;
	}
	if (tm->hour < 0 || tm->hour >= HOURS_PER_DAY || tm->min < 0 || tm->min >= MINS_PER_HOUR ||
	    tm->sec < 0 || tm->sec >= SECS_PER_MINUTE || *fsec < 0 || *fsec >= USECS_PER_SEC) {
		rc = dh__st_parse_error(DTERR_FIELD_OVERFLOW, str, "timestamp", err);
		goto out;
	}
	if (tmfc.tzsign) {
		if (tmfc.tzh < 0 || tmfc.tzh > MAX_TZDISP_HOUR || tmfc.tzm < 0 ||
		    tmfc.tzm >= MINS_PER_HOUR) {
			rc = dh__st_parse_error(DTERR_TZDISP_OVERFLOW, str, "timestamp", err);
			goto out;
		}
		*has_tz = 1;
		*tz = -(tmfc.tzsign * (tmfc.tzh * SECS_PER_HOUR + tmfc.tzm * SECS_PER_MINUTE));
	}
out:
	free(str);
	return rc;
}

int
dh_sqltime_to_timestamp(const char *s, size_t n, const char *fmt, size_t fmtlen,
			const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec, r;
	int has_tz, tz, fprec;
	int rc = do_to_timestamp(s, n, fmt, fmtlen, &tm, &fsec, &has_tz, &tz, &fprec, err);
	if (rc)
		return rc;
	if (!has_tz)
		tz = dh__st_tz_offset(&tm, dh__st_session_tz(set));
	if (dh__st_tm2ts(&tm, fsec, &tz, &r) != 0)
		return dh__st_err_ts_range(err);
	rc = dh__st_ts1970(r, out, err);
	if (rc == 0 && fprec)
		rc = dh_sqltime_timestamp_round(out, fprec, err);
	return rc;
}

int
dh_sqltime_to_date(const char *s, size_t n, const char *fmt, size_t fmtlen,
		   const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec, d;
	int has_tz, tz, fprec;
	int rc = do_to_timestamp(s, n, fmt, fmtlen, &tm, &fsec, &has_tz, &tz, &fprec, err);
	if (rc)
		return rc;
	if (!IS_VALID_JULIAN(tm.year, tm.mon, tm.mday))
		return dh_err_sql(err, "22008", "date out of range: \"%.*s\"", (int)n, s);
	d = dh__st_date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
	if (!IS_VALID_DATE(d))
		return dh_err_sql(err, "22008", "date out of range: \"%.*s\"", (int)n, s);
	*out = dh__st_date1970((int32_t)d);
	return 0;
}
