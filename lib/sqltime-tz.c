/*
 * sqltime-tz: time zones for the sqltime module.  A zone is either built
 * from a TZif file of the system tz database (RFC 8536, version 2+ 64-bit
 * data and the POSIX TZ footer that governs times after the last listed
 * transition) or from a POSIX TZ string; both answer the two questions
 * PostgreSQL's code asks: what is the offset at this UTC instant
 * (pg_localtime), and where is the next transition after it
 * (pg_next_dst_boundary).  Zones are immutable once built, so sharing them
 * between threads is safe; nothing here uses the C library's tzset or its
 * global state.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqltime-int.h"

struct tz_type {
	long off; /* seconds east */
	int isdst;
	char abbr[16];
};

struct tz_ruledate {
	char kind; /* 'J' Jn (no Feb 29), 'D' n (0-based), 'M' Mm.w.d */
	int d, w, m;
	long time; /* seconds after local midnight */
};

struct dh_sqltime_tz {
	char name[256];
	int ntrans;
	int64_t *trans;      /* UTC seconds, ascending */
	unsigned char *tidx; /* type after trans[i] */
	int ntypes;
	struct tz_type *types;
	int deftype;   /* for times before the first transition */
	int has_rule;  /* POSIX rule for times after the last transition */
	int rule_dst;  /* the rule has a DST part */
	struct tz_type rstd, rdst;
	struct tz_ruledate rstart, rend;
};

static struct tz_type utc_type = {0, 0, "UTC"};
const struct dh_sqltime_tz dh__st_utc = {
	.name = "UTC", .ntrans = 0, .ntypes = 1, .types = &utc_type, .deftype = 0,
};

void
dh_sqltime_tz_free(struct dh_sqltime_tz *tz)
{
	if (!tz || tz == &dh__st_utc)
		return;
	free(tz->trans);
	free(tz->tidx);
	free(tz->types);
	free(tz);
}

const char *
dh_sqltime_tz_name(const struct dh_sqltime_tz *tz)
{
	return tz ? tz->name : "UTC";
}

/* --- civil calendar on int64 days since 1970 (proleptic Gregorian) --- */

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* --- POSIX rules --- */

/* UTC instant of rule date r in year y, the local clock at offset off */
static int64_t
rule_instant(const struct tz_ruledate *r, int64_t y, long off)
{
	int64_t day;
	int leap = ISLEAP(y);
	switch (r->kind) {
	case 'J': {
		int n = r->d; /* 1..365, Feb 29 never counted */
		day = days_from_civil(y, 1, 1) + n - 1;
		if (leap && n >= 60)
			day++;
		break;
	}
	case 'D':
		day = days_from_civil(y, 1, 1) + r->d;
		break;
	default: {
		/* d'th day (0 = Sunday) of week w (5 = last) of month m */
		int64_t first = days_from_civil(y, r->m, 1);
		int wd1 = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
		int dd = r->d - wd1;
		if (dd < 0)
			dd += 7;
		int mdays = dh__st_day_tab[leap][r->m - 1];
		for (int i = 1; i < r->w; i++) {
			if (dd + 7 >= mdays)
				break;
			dd += 7;
		}
		day = first + dd;
		break;
	}
	}
	return day * SECS_PER_DAY + r->time - off;
}

struct rule_ev {
	int64_t t;
	int dst; /* state after t */
};

/* the rule's transitions of years y-1 .. y+1, ascending */
static int
rule_events(const struct dh_sqltime_tz *tz, int64_t y, struct rule_ev *ev)
{
	int n = 0;
	for (int64_t yy = y - 1; yy <= y + 1; yy++) {
		ev[n].t = rule_instant(&tz->rstart, yy, tz->rstd.off);
		ev[n++].dst = 1;
		ev[n].t = rule_instant(&tz->rend, yy, tz->rdst.off);
		ev[n++].dst = 0;
	}
	/* insertion sort: six items */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && ev[j - 1].t > ev[j].t; j--) {
			struct rule_ev x = ev[j];
			ev[j] = ev[j - 1];
			ev[j - 1] = x;
		}
	return n;
}

static int64_t
year_of(int64_t t)
{
	int64_t y;
	int m, d;
	civil_from_days(floordiv(t, SECS_PER_DAY), &y, &m, &d);
	return y;
}

/* rule state at t; *next the next rule transition (always exists) */
static const struct tz_type *
rule_at(const struct dh_sqltime_tz *tz, int64_t t, int64_t *next, const struct tz_type **after)
{
	struct rule_ev ev[6];
	if (!tz->rule_dst) {
		if (next)
			*next = INT64_MAX;
		return &tz->rstd;
	}
	int n = rule_events(tz, year_of(t), ev);
	int i = 0;
	while (i < n && ev[i].t <= t)
		i++;
	int dst = i > 0 ? ev[i - 1].dst : !ev[0].dst;
	if (next) {
		if (i < n) {
			*next = ev[i].t;
			*after = ev[i].dst ? &tz->rdst : &tz->rstd;
		} else {
			/* past the window's end (cannot happen with y+1) */
			*next = INT64_MAX;
		}
	}
	return dst ? &tz->rdst : &tz->rstd;
}

void
dh__st_tz_local(const struct dh_sqltime_tz *tz, int64_t t, long *gmtoff, int *isdst,
		const char **abbr)
{
	const struct tz_type *ty;
	if (!tz)
		tz = &dh__st_utc;
	if (tz->ntrans > 0 && t < tz->trans[0])
		ty = &tz->types[tz->deftype];
	else if (tz->ntrans > 0 && (t < tz->trans[tz->ntrans - 1] || !tz->has_rule)) {
		int lo = 0, hi = tz->ntrans - 1; /* largest i with trans[i] <= t */
		while (lo < hi) {
			int mid = (lo + hi + 1) / 2;
			if (tz->trans[mid] <= t)
				lo = mid;
			else
				hi = mid - 1;
		}
		ty = &tz->types[tz->tidx[lo]];
	} else if (tz->has_rule)
		ty = rule_at(tz, t, NULL, NULL);
	else
		ty = &tz->types[tz->deftype];
	*gmtoff = ty->off;
	*isdst = ty->isdst;
	if (abbr)
		*abbr = ty->abbr;
}

static const struct tz_type *
lowest_std(const struct dh_sqltime_tz *tz)
{
	for (int i = 0; i < tz->ntypes; i++)
		if (!tz->types[i].isdst)
			return &tz->types[i];
	return &tz->types[0];
}

int
dh__st_tz_next_boundary(const struct dh_sqltime_tz *tz, int64_t t, long *before_gmtoff,
			int *before_isdst, int64_t *boundary, long *after_gmtoff, int *after_isdst)
{
	const struct tz_type *b, *a = NULL;
	if (!tz)
		tz = &dh__st_utc;
	if (tz->ntrans == 0 || t >= tz->trans[tz->ntrans - 1]) {
		if (!tz->has_rule || !tz->rule_dst) {
			b = tz->ntrans ? &tz->types[tz->tidx[tz->ntrans - 1]]
				       : (tz->has_rule ? &tz->rstd : lowest_std(tz));
			*before_gmtoff = b->off;
			*before_isdst = b->isdst;
			return 0;
		}
		int64_t next;
		b = rule_at(tz, t, &next, &a);
		*before_gmtoff = b->off;
		*before_isdst = b->isdst;
		if (next == INT64_MAX)
			return 0;
		*boundary = next;
		*after_gmtoff = a->off;
		*after_isdst = a->isdst;
		return 1;
	}
	if (t < tz->trans[0]) {
		b = lowest_std(tz);
		a = &tz->types[tz->tidx[0]];
		*before_gmtoff = b->off;
		*before_isdst = b->isdst;
		*boundary = tz->trans[0];
		*after_gmtoff = a->off;
		*after_isdst = a->isdst;
		return 1;
	}
	int lo = 1, hi = tz->ntrans - 1; /* first i with t < trans[i] */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (t < tz->trans[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	b = &tz->types[tz->tidx[lo - 1]];
	a = &tz->types[tz->tidx[lo]];
	*before_gmtoff = b->off;
	*before_isdst = b->isdst;
	*boundary = tz->trans[lo];
	*after_gmtoff = a->off;
	*after_isdst = a->isdst;
	return 1;
}

/* --- POSIX TZ strings --- */

static const char *
posix_name(const char *p, char *out, size_t n)
{
	size_t k = 0;
	if (*p == '<') {
		p++;
		while (*p && *p != '>') {
			if (k + 1 < n)
				out[k++] = *p;
			p++;
		}
		if (*p != '>')
			return NULL;
		p++;
	} else {
		while (*p && !isdigit((unsigned char)*p) && *p != ',' && *p != '-' && *p != '+') {
			if (k + 1 < n)
				out[k++] = *p;
			p++;
		}
	}
	out[k] = '\0';
	return p;
}

/* [+-]hh[:mm[:ss]] -> seconds; maxh the largest hour */
static const char *
posix_num(const char *p, long *out, int maxh, int sign_ok)
{
	int sign = 1;
	long h = 0, m = 0, s = 0;
	if (sign_ok && (*p == '+' || *p == '-')) {
		if (*p == '-')
			sign = -1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p)) {
		h = h * 10 + (*p++ - '0');
		if (h > maxh)
			return NULL;
	}
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			m = m * 10 + (*p++ - '0');
		if (m > 59)
			return NULL;
		if (*p == ':') {
			p++;
			if (!isdigit((unsigned char)*p))
				return NULL;
			while (isdigit((unsigned char)*p))
				s = s * 10 + (*p++ - '0');
			if (s > 59)
				return NULL;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *
posix_date(const char *p, struct tz_ruledate *r)
{
	long v;
	r->time = 2 * 3600;
	if (*p == 'J') {
		p++;
		r->kind = 'J';
		if (!(p = posix_num(p, &v, 365, 0)))
			return NULL;
		r->d = (int)(v / 3600);
		if (r->d < 1)
			return NULL;
	} else if (*p == 'M') {
		int m = 0, w = 0, d = 0;
		p++;
		r->kind = 'M';
		while (isdigit((unsigned char)*p))
			m = m * 10 + (*p++ - '0');
		if (*p++ != '.')
			return NULL;
		while (isdigit((unsigned char)*p))
			w = w * 10 + (*p++ - '0');
		if (*p++ != '.')
			return NULL;
		while (isdigit((unsigned char)*p))
			d = d * 10 + (*p++ - '0');
		if (m < 1 || m > 12 || w < 1 || w > 5 || d > 6)
			return NULL;
		r->m = m;
		r->w = w;
		r->d = d;
	} else if (isdigit((unsigned char)*p)) {
		r->kind = 'D';
		if (!(p = posix_num(p, &v, 365, 0)))
			return NULL;
		r->d = (int)(v / 3600);
	} else
		return NULL;
	if (*p == '/') {
		if (!(p = posix_num(p + 1, &v, 167, 1)))
			return NULL;
		r->time = v;
	}
	return p;
}

/* Fill the rule part of tz from a POSIX string; 0 or -1.  PostgreSQL
 * allows an empty standard abbreviation ("+02:00"). */
static int
posix_parse(const char *s, struct dh_sqltime_tz *tz)
{
	const char *p = s;
	long off;
	char name[16];
	if (!(p = posix_name(p, name, sizeof name)))
		return -1;
	if (*p == '\0')
		return -1;
	if (!(p = posix_num(p, &off, 24, 1)))
		return -1;
	memcpy(tz->rstd.abbr, name, sizeof name);
	tz->rstd.off = -off;
	tz->rstd.isdst = 0;
	tz->rule_dst = 0;
	if (*p) {
		if (!(p = posix_name(p, name, sizeof name)) || !name[0])
			return -1;
		memcpy(tz->rdst.abbr, name, sizeof name);
		tz->rdst.isdst = 1;
		tz->rdst.off = tz->rstd.off + 3600;
		if (*p && *p != ',') {
			if (!(p = posix_num(p, &off, 24, 1)))
				return -1;
			tz->rdst.off = -off;
		}
		if (*p == ',') {
			if (!(p = posix_date(p + 1, &tz->rstart)) || *p != ',')
				return -1;
			if (!(p = posix_date(p + 1, &tz->rend)))
				return -1;
		} else {
			/* the US rules, as tzcode's default */
			tz->rstart = (struct tz_ruledate){'M', 0, 2, 3, 7200};
			tz->rend = (struct tz_ruledate){'M', 0, 1, 11, 7200};
		}
		if (*p)
			return -1;
		tz->rule_dst = 1;
	}
	tz->has_rule = 1;
	return 0;
}

static struct dh_sqltime_tz *
tz_from_posix(const char *s, const char *canon)
{
	struct dh_sqltime_tz *tz = xcalloc(1, sizeof *tz);
	if (posix_parse(s, tz)) {
		free(tz);
		return NULL;
	}
	tz->ntypes = tz->rule_dst ? 2 : 1;
	tz->types = xcalloc((size_t)tz->ntypes, sizeof *tz->types);
	tz->types[0] = tz->rstd;
	if (tz->rule_dst)
		tz->types[1] = tz->rdst;
	snprintf(tz->name, sizeof tz->name, "%s", canon);
	return tz;
}

struct dh_sqltime_tz *
dh__st_tz_fixed(long gmtoff)
{
	struct dh_sqltime_tz *tz = xcalloc(1, sizeof *tz);
	long a = (gmtoff < 0 ? -gmtoff : gmtoff) % (100 * 3600);
	char abbr[48];
	/* pg_tzset_offset's name: <+hh[mm[ss]]>-hh[:mm[:ss]] (POSIX sign) */
	if (a % 60)
		snprintf(abbr, sizeof abbr, "%c%02ld%02ld%02ld", gmtoff >= 0 ? '+' : '-', a / 3600,
			 a / 60 % 60, a % 60);
	else if (a % 3600)
		snprintf(abbr, sizeof abbr, "%c%02ld%02ld", gmtoff >= 0 ? '+' : '-', a / 3600,
			 a / 60 % 60);
	else
		snprintf(abbr, sizeof abbr, "%c%02ld", gmtoff >= 0 ? '+' : '-', a / 3600);
	if (a % 60)
		snprintf(tz->name, sizeof tz->name, "<%s>%c%02ld:%02ld:%02ld", abbr,
			 gmtoff >= 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
	else if (a % 3600)
		snprintf(tz->name, sizeof tz->name, "<%s>%c%02ld:%02ld", abbr,
			 gmtoff >= 0 ? '-' : '+', a / 3600, a / 60 % 60);
	else
		snprintf(tz->name, sizeof tz->name, "<%s>%c%02ld", abbr, gmtoff >= 0 ? '-' : '+',
			 a / 3600);
	tz->ntypes = 1;
	tz->types = xcalloc(1, sizeof *tz->types);
	tz->types[0].off = gmtoff;
	snprintf(tz->types[0].abbr, sizeof tz->types[0].abbr, "%.15s", abbr);
	tz->rstd = tz->types[0];
	tz->has_rule = 1;
	return tz;
}

/* --- TZif files --- */

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)dh_get_u64be(p);
}

static int32_t
be32(const unsigned char *p)
{
	return (int32_t)dh_get_u32be(p);
}

static struct dh_sqltime_tz *
tzif_parse(const unsigned char *p, size_t n, const char *canon)
{
	struct dh_sqltime_tz *tz = NULL;
	size_t off = 0;
	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return NULL;
	int version = p[4];
	uint32_t cnt[6];
	for (int i = 0; i < 6; i++)
		cnt[i] = (uint32_t)be32(p + 20 + 4 * i);
	/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
	size_t v1 = (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 8 +
		    cnt[1] + cnt[0];
	int tsz = 4;
	off = 44;
	if (version >= '2') {
		off += v1;
		if (off + 44 > n || memcmp(p + off, "TZif", 4) != 0)
			return NULL;
		for (int i = 0; i < 6; i++)
			cnt[i] = (uint32_t)be32(p + off + 20 + 4 * i);
		off += 44;
		tsz = 8;
	}
	size_t timecnt = cnt[3], typecnt = cnt[4], charcnt = cnt[5];
	size_t need = timecnt * (size_t)(tsz + 1) + typecnt * 6 + charcnt +
		      (size_t)cnt[2] * (size_t)(tsz + 4) + cnt[1] + cnt[0];
	if (typecnt == 0 || typecnt > 256 || off + need > n)
		return NULL;
	tz = xcalloc(1, sizeof *tz);
	tz->ntrans = (int)timecnt;
	tz->trans = xcalloc(timecnt ? timecnt : 1, sizeof *tz->trans);
	tz->tidx = xcalloc(timecnt ? timecnt : 1, 1);
	for (size_t i = 0; i < timecnt; i++)
		tz->trans[i] = tsz == 8 ? be64(p + off + 8 * i) : be32(p + off + 4 * i);
	off += timecnt * (size_t)tsz;
	for (size_t i = 0; i < timecnt; i++) {
		tz->tidx[i] = p[off + i];
		if (tz->tidx[i] >= typecnt)
			goto bad;
	}
	off += timecnt;
	tz->ntypes = (int)typecnt;
	tz->types = xcalloc(typecnt, sizeof *tz->types);
	const unsigned char *chars = p + off + typecnt * 6;
	for (size_t i = 0; i < typecnt; i++) {
		const unsigned char *q = p + off + 6 * i;
		tz->types[i].off = be32(q);
		tz->types[i].isdst = q[4];
		size_t ai = q[5];
		if (ai >= charcnt && charcnt)
			goto bad;
		size_t k = 0;
		while (ai + k < charcnt && chars[ai + k] && k + 1 < sizeof tz->types[i].abbr) {
			tz->types[i].abbr[k] = (char)chars[ai + k];
			k++;
		}
		tz->types[i].abbr[k] = '\0';
	}
	off += typecnt * 6 + charcnt + (size_t)cnt[2] * (size_t)(tsz + 4) + cnt[1] + cnt[0];
	/* tzcode's default type: type 0 unless it is DST */
	tz->deftype = 0;
	if (tz->types[0].isdst)
		for (int i = 0; i < tz->ntypes; i++)
			if (!tz->types[i].isdst) {
				tz->deftype = i;
				break;
			}
	if (version >= '2' && off < n && p[off] == '\n') {
		char footer[128];
		size_t k = 0;
		off++;
		while (off < n && p[off] != '\n' && k + 1 < sizeof footer)
			footer[k++] = (char)p[off++];
		footer[k] = '\0';
		if (k > 0 && posix_parse(footer, tz) != 0)
			tz->has_rule = 0;
	}
	snprintf(tz->name, sizeof tz->name, "%s", canon);
	return tz;
bad:
	dh_sqltime_tz_free(tz);
	return NULL;
}

static const char *
tzdir(void)
{
	const char *d = getenv("TZDIR");
	return d && *d ? d : "/usr/share/zoneinfo";
}

/* Find name under the tz directory, each component case-insensitively;
 * canon gets the real spelling.  0 found. */
static int
tz_find_file(const char *name, char *path, size_t pathsz, char *canon, size_t canonsz)
{
	char comp[256];
	size_t plen, clen = 0;
	const char *p = name;
	if (!*name || *name == '/' || strlen(name) > 200)
		return -1;
	for (const char *q = name; *q; q++)
		if (!(isalnum((unsigned char)*q) || *q == '/' || *q == '_' || *q == '-' ||
		      *q == '+' || *q == '.'))
			return -1;
	if (strstr(name, ".."))
		return -1;
	plen = (size_t)snprintf(path, pathsz, "%s", tzdir());
	canon[0] = '\0';
	while (*p) {
		size_t k = 0;
		while (*p && *p != '/') {
			if (k + 1 < sizeof comp)
				comp[k++] = *p;
			p++;
		}
		comp[k] = '\0';
		if (*p == '/')
			p++;
		if (!k)
			return -1;
		DIR *d = opendir(path);
		struct dirent *de;
		int found = 0;
		if (!d)
			return -1;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (strcmp(de->d_name, comp) == 0) {
				found = 1;
				break;
			}
			if (!found && strcasecmp(de->d_name, comp) == 0) {
				found = 2;
				snprintf(comp, sizeof comp, "%s", de->d_name);
			}
		}
		closedir(d);
		if (!found)
			return -1;
		plen += (size_t)snprintf(path + plen, pathsz - plen, "/%s", comp);
		clen += (size_t)snprintf(canon + clen, canonsz - clen, "%s%s", clen ? "/" : "", comp);
		if (plen >= pathsz || clen >= canonsz)
			return -1;
	}
	return 0;
}

static struct dh_sqltime_tz *
tz_load_file(const char *name)
{
	char path[1024], canon[256];
	FILE *f;
	unsigned char *buf = NULL;
	size_t n = 0, alloc = 0;
	struct dh_sqltime_tz *tz = NULL;
	if (tz_find_file(name, path, sizeof path, canon, sizeof canon))
		return NULL;
	if (!(f = fopen(path, "rb")))
		return NULL;
	for (;;) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 8192;
			if (alloc > (1 << 22))
				break;
			buf = xrealloc(buf, alloc);
		}
		size_t r = fread(buf + n, 1, alloc - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	if (buf)
		tz = tzif_parse(buf, n, canon);
	free(buf);
	return tz;
}

struct dh_sqltime_tz *
dh__st_tz_open(const char *name)
{
	char upper[256];
	size_t k;
	struct dh_sqltime_tz *tz;
	for (k = 0; name[k] && k + 1 < sizeof upper; k++)
		upper[k] = (char)toupper((unsigned char)name[k]);
	upper[k] = '\0';
	if (name[k])
		return NULL;
	if (strcmp(upper, "GMT") == 0)
		return tz_from_posix("GMT0", "GMT");
	if ((tz = tz_load_file(name)) != NULL)
		return tz;
	if (upper[0] == ':')
		return NULL;
	return tz_from_posix(upper, upper);
}

int
dh_sqltime_tz_load(const char *name, struct dh_sqltime_tz **out, struct dh_err *err)
{
	char *end;
	double hours;
	struct dh_sqltime_tz *tz = NULL;
	/* a number of hours (SQL sign), as check_timezone */
	errno = 0;
	hours = strtod(name, &end);
	if (end != name && *end == '\0' && errno == 0) {
		double secs = hours * SECS_PER_HOUR;
		if (secs > -14 * 3600.0 * 2 && secs < 14 * 3600.0 * 2) /* pg_tzset_offset range */
			tz = dh__st_tz_fixed((long)(secs >= 0 ? secs + 0.0 : secs));
	} else
		tz = dh__st_tz_open(name);
	if (!tz) {
		dh_err_sql(err, "22023", "invalid value for parameter \"TimeZone\": \"%s\"", name);
		return DH_ESQL;
	}
	*out = tz;
	return 0;
}

/* --- the cache of zones named in expressions --- */

struct zone_ent {
	char *name;
	struct dh_sqltime_tz *tz;
};
struct dh_sqltime_zones {
	struct zone_ent *v;
	size_t n, alloc;
};

struct dh_sqltime_zones *
dh_sqltime_zones_new(void)
{
	return xcalloc(1, sizeof(struct dh_sqltime_zones));
}

void
dh_sqltime_zones_free(struct dh_sqltime_zones *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++) {
		free(z->v[i].name);
		dh_sqltime_tz_free(z->v[i].tz);
	}
	free(z->v);
	free(z);
}

const struct dh_sqltime_tz *
dh__st_zone_get(const struct dh_sqltime_settings *set, const char *name,
		struct dh_sqltime_tz **owned)
{
	struct dh_sqltime_zones *z = set ? set->zones : NULL;
	struct dh_sqltime_tz *tz;
	*owned = NULL;
	if (z)
		for (size_t i = 0; i < z->n; i++)
			if (strcmp(z->v[i].name, name) == 0)
				return z->v[i].tz;
	tz = dh__st_tz_open(name);
	if (!tz)
		return NULL;
	if (!z) {
		*owned = tz;
		return tz;
	}
	if (z->n == z->alloc) {
		z->alloc = z->alloc ? 2 * z->alloc : 8;
		z->v = xrealloc(z->v, z->alloc * sizeof *z->v);
	}
	z->v[z->n].name = xstrdup(name);
	z->v[z->n].tz = tz;
	z->n++;
	return tz;
}

/* --- abbreviations: PostgreSQL 15's timezonesets/Default, generated from
 * that file (sorted, lower case); a zone name marks a dynamic abbreviation,
 * whose offset is the one it has in that zone at the time in question --- */

static const struct {
	const char *name;
	int off, dst;
	const char *zone; /* dynamic: the zone that defines it */
} abbrevs[] = {
	{"acdt", 37800, 1, NULL},
	{"acsst", 37800, 1, NULL},
	{"acst", 34200, 0, NULL},
	{"act", -18000, 0, NULL},
	{"acwst", 31500, 0, NULL},
	{"adt", -10800, 1, NULL},
	{"aedt", 39600, 1, NULL},
	{"aesst", 39600, 1, NULL},
	{"aest", 36000, 0, NULL},
	{"aft", 16200, 0, NULL},
	{"akdt", -28800, 1, NULL},
	{"akst", -32400, 0, NULL},
	{"almst", 25200, 1, NULL},
	{"almt", 21600, 0, NULL},
	{"amst", 0, 0, "Asia/Yerevan"},
	{"amt", -14400, 0, NULL},
	{"anast", 0, 0, "Asia/Anadyr"},
	{"anat", 0, 0, "Asia/Anadyr"},
	{"arst", 0, 0, "America/Argentina/Buenos_Aires"},
	{"art", 0, 0, "America/Argentina/Buenos_Aires"},
	{"ast", -14400, 0, NULL},
	{"awsst", 32400, 1, NULL},
	{"awst", 28800, 0, NULL},
	{"azost", 0, 1, NULL},
	{"azot", -3600, 0, NULL},
	{"azst", 0, 0, "Asia/Baku"},
	{"azt", 0, 0, "Asia/Baku"},
	{"bdst", 7200, 1, NULL},
	{"bdt", 21600, 0, NULL},
	{"bnt", 28800, 0, NULL},
	{"bort", 28800, 0, NULL},
	{"bot", -14400, 0, NULL},
	{"bra", -10800, 0, NULL},
	{"brst", -7200, 1, NULL},
	{"brt", -10800, 0, NULL},
	{"bst", 3600, 1, NULL},
	{"btt", 21600, 0, NULL},
	{"cadt", 37800, 1, NULL},
	{"cast", 34200, 0, NULL},
	{"cct", 28800, 0, NULL},
	{"cdt", -18000, 1, NULL},
	{"cest", 7200, 1, NULL},
	{"cet", 3600, 0, NULL},
	{"cetdst", 7200, 1, NULL},
	{"chadt", 49500, 1, NULL},
	{"chast", 45900, 0, NULL},
	{"chut", 36000, 0, NULL},
	{"ckt", 0, 0, "Pacific/Rarotonga"},
	{"clst", -10800, 1, NULL},
	{"clt", 0, 0, "America/Santiago"},
	{"cot", -18000, 0, NULL},
	{"cst", -21600, 0, NULL},
	{"cxt", 25200, 0, NULL},
	{"davt", 0, 0, "Antarctica/Davis"},
	{"ddut", 36000, 0, NULL},
	{"easst", 0, 0, "Pacific/Easter"},
	{"east", 0, 0, "Pacific/Easter"},
	{"eat", 10800, 0, NULL},
	{"edt", -14400, 1, NULL},
	{"eest", 10800, 1, NULL},
	{"eet", 7200, 0, NULL},
	{"eetdst", 10800, 1, NULL},
	{"egst", 0, 1, NULL},
	{"egt", -3600, 0, NULL},
	{"est", -18000, 0, NULL},
	{"fet", 10800, 0, NULL},
	{"fjst", 46800, 1, NULL},
	{"fjt", 43200, 0, NULL},
	{"fkst", 0, 0, "Atlantic/Stanley"},
	{"fkt", 0, 0, "Atlantic/Stanley"},
	{"fnst", -3600, 1, NULL},
	{"fnt", -7200, 0, NULL},
	{"galt", -21600, 0, NULL},
	{"gamt", -32400, 0, NULL},
	{"gest", 0, 0, "Asia/Tbilisi"},
	{"get", 0, 0, "Asia/Tbilisi"},
	{"gft", -10800, 0, NULL},
	{"gilt", 43200, 0, NULL},
	{"gmt", 0, 0, NULL},
	{"gyt", 0, 0, "America/Guyana"},
	{"hkt", 28800, 0, NULL},
	{"hst", -36000, 0, NULL},
	{"ict", 25200, 0, NULL},
	{"idt", 10800, 1, NULL},
	{"iot", 0, 0, "Indian/Chagos"},
	{"irkst", 0, 0, "Asia/Irkutsk"},
	{"irkt", 0, 0, "Asia/Irkutsk"},
	{"irt", 12600, 0, NULL},
	{"ist", 7200, 0, NULL},
	{"jayt", 32400, 0, NULL},
	{"jst", 32400, 0, NULL},
	{"kdt", 36000, 1, NULL},
	{"kgst", 21600, 1, NULL},
	{"kgt", 0, 0, "Asia/Bishkek"},
	{"kost", 0, 0, "Pacific/Kosrae"},
	{"krast", 0, 0, "Asia/Krasnoyarsk"},
	{"krat", 0, 0, "Asia/Krasnoyarsk"},
	{"kst", 32400, 0, NULL},
	{"lhdt", 0, 0, "Australia/Lord_Howe"},
	{"lhst", 37800, 0, NULL},
	{"ligt", 36000, 0, NULL},
	{"lint", 0, 0, "Pacific/Kiritimati"},
	{"lkt", 0, 0, "Asia/Colombo"},
	{"magst", 0, 0, "Asia/Magadan"},
	{"magt", 0, 0, "Asia/Magadan"},
	{"mart", -34200, 0, NULL},
	{"mawt", 0, 0, "Antarctica/Mawson"},
	{"mdt", -21600, 1, NULL},
	{"mest", 7200, 1, NULL},
	{"mesz", 7200, 1, NULL},
	{"met", 3600, 0, NULL},
	{"metdst", 7200, 1, NULL},
	{"mez", 3600, 0, NULL},
	{"mht", 43200, 0, NULL},
	{"mmt", 23400, 0, NULL},
	{"mpt", 36000, 0, NULL},
	{"msd", 14400, 1, NULL},
	{"msk", 0, 0, "Europe/Moscow"},
	{"mst", -25200, 0, NULL},
	{"must", 18000, 1, NULL},
	{"mut", 14400, 0, NULL},
	{"mvt", 18000, 0, NULL},
	{"myt", 28800, 0, NULL},
	{"ndt", -9000, 1, NULL},
	{"nft", -12600, 0, NULL},
	{"novst", 0, 0, "Asia/Novosibirsk"},
	{"novt", 0, 0, "Asia/Novosibirsk"},
	{"npt", 20700, 0, NULL},
	{"nst", -12600, 0, NULL},
	{"nut", 0, 0, "Pacific/Niue"},
	{"nzdt", 46800, 1, NULL},
	{"nzst", 43200, 0, NULL},
	{"nzt", 43200, 0, NULL},
	{"omsst", 0, 0, "Asia/Omsk"},
	{"omst", 0, 0, "Asia/Omsk"},
	{"pdt", -25200, 1, NULL},
	{"pet", -18000, 0, NULL},
	{"petst", 0, 0, "Asia/Kamchatka"},
	{"pett", 0, 0, "Asia/Kamchatka"},
	{"pgt", 36000, 0, NULL},
	{"pht", 28800, 0, NULL},
	{"pkst", 21600, 1, NULL},
	{"pkt", 18000, 0, NULL},
	{"pmdt", -7200, 1, NULL},
	{"pmst", -10800, 0, NULL},
	{"pont", 39600, 0, NULL},
	{"pst", -28800, 0, NULL},
	{"pwt", 32400, 0, NULL},
	{"pyst", -10800, 1, NULL},
	{"pyt", 0, 0, "America/Asuncion"},
	{"ret", 14400, 0, NULL},
	{"sadt", 37800, 1, NULL},
	{"sast", 7200, 0, NULL},
	{"sct", 14400, 0, NULL},
	{"sgt", 0, 0, "Asia/Singapore"},
	{"taht", -36000, 0, NULL},
	{"tft", 18000, 0, NULL},
	{"tjt", 18000, 0, NULL},
	{"tkt", 0, 0, "Pacific/Fakaofo"},
	{"tmt", 0, 0, "Asia/Ashgabat"},
	{"tot", 46800, 0, NULL},
	{"trut", 36000, 0, NULL},
	{"tvt", 43200, 0, NULL},
	{"uct", 0, 0, NULL},
	{"ulast", 32400, 1, NULL},
	{"ulat", 0, 0, "Asia/Ulaanbaatar"},
	{"ut", 0, 0, NULL},
	{"utc", 0, 0, NULL},
	{"uyst", -7200, 1, NULL},
	{"uyt", -10800, 0, NULL},
	{"uzst", 21600, 1, NULL},
	{"uzt", 18000, 0, NULL},
	{"vet", 0, 0, "America/Caracas"},
	{"vlast", 0, 0, "Asia/Vladivostok"},
	{"vlat", 0, 0, "Asia/Vladivostok"},
	{"volt", 0, 0, "Europe/Volgograd"},
	{"vut", 39600, 0, NULL},
	{"wadt", 28800, 1, NULL},
	{"wakt", 43200, 0, NULL},
	{"wast", 25200, 0, NULL},
	{"wat", 3600, 0, NULL},
	{"wdt", 32400, 1, NULL},
	{"wet", 0, 0, NULL},
	{"wetdst", 3600, 1, NULL},
	{"wft", 43200, 0, NULL},
	{"wgst", -7200, 1, NULL},
	{"wgt", -10800, 0, NULL},
	{"xjt", 21600, 0, NULL},
	{"yakst", 0, 0, "Asia/Yakutsk"},
	{"yakt", 0, 0, "Asia/Yakutsk"},
	{"yapt", 36000, 0, NULL},
	{"yekst", 21600, 1, NULL},
	{"yekt", 0, 0, "Asia/Yekaterinburg"},
	{"z", 0, 0, NULL},
	{"zulu", 0, 0, NULL},
};

int
dh__st_tzabbrev(const char *lower, int *gmtoff, int *isdst)
{
	return dh__st_tzabbrev_zone(lower, gmtoff, isdst, NULL);
}

int
dh__st_tzabbrev_zone(const char *lower, int *gmtoff, int *isdst, const char **zone)
{
	size_t lo = 0, hi = DH_ARRAY_SIZE(abbrevs);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(lower, abbrevs[mid].name);
		if (c == 0) {
			*gmtoff = abbrevs[mid].off;
			*isdst = abbrevs[mid].dst;
			if (zone)
				*zone = abbrevs[mid].zone;
			return 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int
dh__st_tz_fixed_offset(const struct dh_sqltime_tz *tz, long *gmtoff)
{
	if (!tz)
		tz = &dh__st_utc;
	for (int i = 1; i < tz->ntypes; i++)
		if (tz->types[i].off != tz->types[0].off)
			return 0;
	if (tz->has_rule && (tz->rstd.off != tz->types[0].off ||
			     (tz->rule_dst && tz->rdst.off != tz->types[0].off)))
		return 0;
	*gmtoff = tz->types[0].off;
	return 1;
}

int
dh__st_tz_abbrev_at(const struct dh_sqltime_tz *tz, int64_t t, const char *abbr, long *gmtoff,
		    int *isdst)
{
	/* the meaning of abbr in tz nearest to t: the last transition to it at
	 * or before t, else the first after */
	int best = -1;
	for (int i = 0; i < tz->ntrans; i++) {
		const struct tz_type *ty = &tz->types[tz->tidx[i]];
		if (strcasecmp(ty->abbr, abbr) != 0)
			continue;
		if (tz->trans[i] <= t || best < 0 || tz->trans[best] > t)
			best = i;
		if (tz->trans[i] > t)
			break;
	}
	if (best >= 0) {
		*gmtoff = tz->types[tz->tidx[best]].off;
		*isdst = tz->types[tz->tidx[best]].isdst;
		return 1;
	}
	for (int i = 0; i < tz->ntypes; i++)
		if (strcasecmp(tz->types[i].abbr, abbr) == 0) {
			*gmtoff = tz->types[i].off;
			*isdst = tz->types[i].isdst;
			return 1;
		}
	return 0;
}
