/* SPDX-License-Identifier: ISC */
/*
 * Proof of availability: for a range of the server's local days, each
 * evidence URL's checks and uptime (oit_daily), its incidents
 * (oit_alerts) and its check log (oit_changes), as one JSON document;
 * the CSVs are written from that document here and the workbook in
 * oitxlsx.c, so the page, the files and the command line cannot
 * disagree.  Nothing here writes to the database.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "db.h"
#include "oit.h"
#include "oitdb.h"

#define DAY_TEXT	11	/* "YYYY-MM-DD" and its NUL */

/* ---- the range ---- */

/* "YYYY-MM-DD" into its numbers: 0, or -1 unless exactly that shape. */
static int
day_split(const char *s, int *y, int *m, int *d)
{
	size_t	i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *y >= 1970 && *y <= 9999 && *m >= 1 && *m <= 12 && *d >= 1 &&
	    *d <= 31 ? 0 : -1;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t
civil_days(int y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The first second of local day y-m-d (+ add days), as audit_time_parse
 * reads a day.  0, or -1 when the day does not exist (2024-02-30).
 */
static int
day_start(int y, int m, int d, int add, int64_t *out)
{
	struct tm	tm, back;
	time_t		t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || localtime_r(&t, &back) ==
	    NULL || back.tm_year != y - 1900 || back.tm_mon != m - 1 ||
	    back.tm_mday != d)
		return -1;
	if (add != 0) {
		tm.tm_mday = d + add;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			return -1;
	}
	*out = (int64_t)t;
	return 0;
}

/*
 * The report range of the days from and to ("YYYY-MM-DD", local, both
 * included): *start the first second of from, *end the first second of
 * the day after to.  ERR_OIT_BAD_RANGE unless both are real days, from
 * is not after to and they span at most OIT_RANGE_DAYS_MAX days.
 */
enum err
oit_report_range(const char *from, const char *to, int64_t *start,
    int64_t *end)
{
	int	y1, m1, d1, y2, m2, d2;
	int64_t	days;

	*start = *end = 0;
	if (day_split(from, &y1, &m1, &d1) == -1 ||
	    day_split(to, &y2, &m2, &d2) == -1)
		return ERR_OIT_BAD_RANGE;
	days = civil_days(y2, m2, d2) - civil_days(y1, m1, d1) + 1;
	if (days < 1 || days > OIT_RANGE_DAYS_MAX ||
	    day_start(y1, m1, d1, 0, start) == -1 ||
	    day_start(y2, m2, d2, 1, end) == -1)
		return ERR_OIT_BAD_RANGE;
	return ERR_OK;
}

/* The local day of t as "YYYY-MM-DD". */
static void
local_day(int64_t t, char out[DAY_TEXT])
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, DAY_TEXT, "%Y-%m-%d", &tm) == 0)
		snprintf(out, DAY_TEXT, "1970-01-01");
}

/* ---- the document ---- */

/* The report being built. */
struct rep {
	int64_t		 from, to;	/* [from, to), unix seconds */
	int64_t		 now;
	size_t		 log_total;	/* log lines so far */
	int		 log_cut;	/* some URL's log was cut */
	json_t		*incidents;	/* the URL's, being filled */
	json_t		*log;		/* the URL's, being filled */
	int64_t		 log_room;	/* lines the URL may still add */
	int64_t		 down_s;	/* the URL's downtime in range */
};

/* A URL's place in the report: the checklist's order, then its id. */
struct place {
	const struct oit_rep_url	*u;
	int				 other;	/* not the checklist in use */
	long				 index;	/* its item in its checklist */
};

static int
place_cmp(const void *a, const void *b)
{
	const struct place	*p = a, *q = b;

	if (p->other != q->other)
		return p->other - q->other;
	if (p->index != q->index)
		return p->index < q->index ? -1 : 1;
	return p->u->id < q->u->id ? -1 : p->u->id > q->u->id;
}

static long
item_index(const struct checklist *cl, const char *code)
{
	size_t	i;

	for (i = 0; cl != NULL && i < cl->nitems; i++)
		if (strcmp(cl->items[i].code, code) == 0)
			return (long)i;
	return (long)CHECKLIST_ITEMS_MAX;
}

/* up out of checks as a percentage with two decimals, or null. */
static json_t *
uptime_json(int64_t up, int64_t checks)
{
	if (checks <= 0 || up < 0)
		return json_null();
	return json_real(score_to_double(score_round_div(up * 10000,
	    checks)));
}

static json_t *
int_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *
text_or_null(const char *s)
{
	return s == NULL || s[0] == '\0' ? json_null() : json_string(s);
}

static int
incident_cb(const struct oit_rep_alert *a, void *arg)
{
	struct rep	*r = arg;
	int64_t		 start, end;

	start = a->opened_at > r->from ? a->opened_at : r->from;
	end = a->closed_at != 0 ? a->closed_at : r->now;
	if (end > r->to)
		end = r->to;
	if (end < start)
		end = start;
	if (strcmp(a->kind, "down") == 0)
		r->down_s += end - start;
	return json_array_append_new(r->incidents, json_pack("{s:s, s:I, "
	    "s:o, s:I}", "kind", a->kind, "opened_at",
	    (json_int_t)a->opened_at, "closed_at", a->closed_at == 0 ?
	    json_null() : json_integer((json_int_t)a->closed_at),
	    "duration_s", (json_int_t)(end - start)));
}

static int
log_cb(const struct oit_check *c, void *arg)
{
	struct rep	*r = arg;

	if (r->log_room <= 0) {
		r->log_cut = 1;
		return 0;
	}
	r->log_room--;
	r->log_total++;
	return json_array_append_new(r->log, json_pack("{s:I, s:s, s:I, "
	    "s:o, s:o, s:o, s:I, s:o, s:o, s:o}",
	    "at", (json_int_t)c->at,
	    "state", oit_state_name(c->state),
	    "status", (json_int_t)c->status,
	    "final_url", text_or_null(c->final_url),
	    "on_site", c->on_site < 0 ? json_null() :
	    json_boolean(c->on_site),
	    "ttfb_ms", int_or_null(c->ttfb_ms),
	    "size", (json_int_t)c->size,
	    "sha256", text_or_null(c->sha256),
	    "cert_days", int_or_null(c->cert_days),
	    "error", text_or_null(c->error)));
}

/*
 * The URL's line of the report, with its incidents and its check log
 * read under the database lock, or NULL on a database error.
 */
static json_t *
url_json(struct app *app, struct rep *r, const struct oit_rep_url *u)
{
	const struct checklist		*cl;
	const struct checklist_item	*it;
	json_t				*o;
	int64_t				 room, answered;
	int				 rc, cut;

	cl = checklist_get(app->forms, u->checklist);
	it = cl == NULL ? NULL : checklist_item(cl, u->item);
	r->incidents = json_array();
	r->log = json_array();
	r->down_s = 0;
	room = OIT_LOG_MAX - (int64_t)r->log_total;
	if (room > OIT_LOG_PER_URL)
		room = OIT_LOG_PER_URL;
	r->log_room = room;
	cut = r->log_cut;
	r->log_cut = 0;
	db_lock(app->db);
	/* One line more than room says whether the log was cut. */
	rc = oitdb_rep_alerts(app->db, u->id, r->from, r->to, incident_cb,
	    r) == 0 && oitdb_rep_changes(app->db, u->id, r->from, r->to,
	    room + 1, log_cb, r) == 0 ? 0 : -1;
	db_unlock(app->db);
	if (rc == -1) {
		json_decref(r->incidents);
		json_decref(r->log);
		return NULL;
	}
	/* The summary keeps no count of the checks that got an answer. */
	answered = u->up + u->suspect;
	o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:b, s:o, s:s, s:I, s:I, "
	    "s:I, s:I, s:o, s:o, s:I, s:o, s:o, s:b}",
	    "id", (json_int_t)u->id,
	    "checklist", u->checklist,
	    "item", u->item,
	    "item_name", it == NULL ? json_null() : json_pack("{s:s, s:s}",
	    "th", it->name.th, "en", it->name.en),
	    "url", u->url,
	    "removed", u->removed_at != 0,
	    "removed_at", u->removed_at == 0 ? json_null() :
	    json_integer((json_int_t)u->removed_at),
	    "state_now", oit_state_name(u->state),
	    "checks", (json_int_t)u->checks,
	    "up", (json_int_t)u->up,
	    "suspect", (json_int_t)u->suspect,
	    "down", (json_int_t)u->down,
	    "uptime", uptime_json(u->up, u->checks),
	    "ttfb_ms_avg", answered > 0 && u->ttfb_sum >= 0 ?
	    json_integer((json_int_t)
	    score_round_div(u->ttfb_sum, answered)) : json_null(),
	    "downtime_s", (json_int_t)r->down_s,
	    "incidents", r->incidents,
	    "log", r->log,
	    "truncated", r->log_cut);
	r->log_cut |= cut;
	return o;
}

/* What the working group said of each item: ready, by item index. */
struct readiness {
	const struct checklist	*cl;
	int			*ready;
};

static int
ready_cb(const char *item, int ready, void *arg)
{
	struct readiness	*rd = arg;
	long			 i = item_index(rd->cl, item);

	if (i < (long)rd->cl->nitems)
		rd->ready[i] = ready;
	return 0;
}

/*
 * The items of checklist cl: each one's readiness, its state now (the
 * worst of its watched URLs, "no_url" without one) and its uptime over
 * the range (all its URLs' checks).  NULL on a database error.
 */
static json_t *
items_json(struct app *app, const struct checklist *cl,
    const struct place *pl, size_t n)
{
	struct readiness	 rd;
	json_t			*arr;
	enum oit_state		 worst;
	int64_t			 up, checks;
	size_t			 i, j, live;
	int			 rc;

	rd.cl = cl;
	rd.ready = xcalloc(cl->nitems + 1, sizeof(*rd.ready));
	db_lock(app->db);
	rc = oitdb_items_ready(app->db, cl->id, ready_cb, &rd);
	db_unlock(app->db);
	if (rc == -1) {
		free(rd.ready);
		return NULL;
	}
	arr = json_array();
	for (i = 0; i < cl->nitems; i++) {
		worst = OIT_UP;
		up = checks = 0;
		live = 0;
		for (j = 0; j < n; j++) {
			if (pl[j].other || pl[j].index != (long)i)
				continue;
			up += pl[j].u->up;
			checks += pl[j].u->checks;
			if (pl[j].u->removed_at == 0) {
				worst = live++ == 0 ? pl[j].u->state :
				    oit_state_worse(worst, pl[j].u->state);
			}
		}
		json_array_append_new(arr, json_pack("{s:s, s:{s:s, s:s}, s:s, "
		    "s:b, s:s, s:I, s:o}", "code", cl->items[i].code,
		    "name", "th", cl->items[i].name.th, "en",
		    cl->items[i].name.en,
		    "indicator", cl->inds[cl->items[i].indicator].code,
		    "ready", rd.ready[i],
		    "state_now", live == 0 ? "no_url" : oit_state_name(worst),
		    "urls", (json_int_t)live,
		    "uptime", uptime_json(up, checks)));
	}
	free(rd.ready);
	return arr;
}

/*
 * The availability report of [from, to) (unix seconds: the first second
 * of the first day and of the day after the last, oit_report_range) in
 * *doc (caller owns): {"from", "to" (the days, "YYYY-MM-DD", to
 * included), "days", "generated_at", "utc_offset" ("+0700"), "agency",
 * "host", "checklist": {"id", "fiscal_year", "title"} or null,
 * "totals": {"urls", "checks", "up", "suspect", "down", "uptime",
 * "incidents", "downtime_s"}, "urls": [...], "items": [...],
 * "log_truncated"}.  Each URL watched now or checked in the range, in
 * checklist order: its counts over the days, "uptime" (percent, two
 * decimals, null without checks), "ttfb_ms_avg" (over the checks that
 * were up or suspect), its "incidents" [{"kind", "opened_at",
 * "closed_at" (null while open), "duration_s" inside the range}],
 * "downtime_s" (of the "down" ones) and its check "log" (at most
 * OIT_LOG_PER_URL lines, OIT_LOG_MAX in all; "truncated" when cut).
 * ERR_OIT_BAD_RANGE, ERR_INTERNAL.
 */
enum err
oit_report(struct app *app, int64_t from, int64_t to, json_t **doc)
{
	struct oit_conf		 conf;
	struct oit_rep_url	*urls = NULL;
	struct place		*pl = NULL;
	struct rep		 r;
	const struct checklist	*cl;
	char			 dfrom[DAY_TEXT], dlast[DAY_TEXT], tz[8];
	char			*agency = NULL;
	json_t			*arr = NULL, *items = NULL, *u;
	int64_t			 checks = 0, up = 0, suspect = 0, down = 0;
	int64_t			 down_s = 0, incidents = 0;
	size_t			 n = 0, i;
	time_t			 now;
	struct tm		 tm;
	int			 rc;
	enum err		 e = ERR_INTERNAL;

	*doc = NULL;
	if (to <= from || (to - from) / 86400 > OIT_RANGE_DAYS_MAX)
		return ERR_OIT_BAD_RANGE;
	memset(&r, 0, sizeof(r));
	r.from = from;
	r.to = to;
	r.now = (int64_t)(now = time(NULL));
	local_day(from, dfrom);
	local_day(to - 1, dlast);
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(tz, sizeof(tz), "%z", &tm) == 0)
		snprintf(tz, sizeof(tz), "+0000");
	if (oit_conf_read(app, &conf) == -1 ||
	    settings_get(app, SETTING_AGENCY, &agency) != ERR_OK)
		goto out;
	cl = oit_checklist(app, &conf);
	db_lock(app->db);
	rc = oitdb_rep_urls(app->db, dfrom, dlast, &urls, &n);
	db_unlock(app->db);
	if (rc == -1)
		goto out;
	pl = xcalloc(n + 1, sizeof(*pl));
	for (i = 0; i < n; i++) {
		pl[i].u = &urls[i];
		pl[i].other = cl == NULL || strcmp(urls[i].checklist,
		    cl->id) != 0;
		pl[i].index = item_index(checklist_get(app->forms,
		    urls[i].checklist), urls[i].item);
	}
	qsort(pl, n, sizeof(*pl), place_cmp);
	arr = json_array();
	for (i = 0; i < n; i++) {
		if ((u = url_json(app, &r, pl[i].u)) == NULL)
			goto out;
		json_array_append_new(arr, u);
		checks += pl[i].u->checks;
		up += pl[i].u->up;
		suspect += pl[i].u->suspect;
		down += pl[i].u->down;
		down_s += r.down_s;
		incidents += (int64_t)json_array_size(json_object_get(u,
		    "incidents"));
	}
	if (cl == NULL)
		items = json_array();
	else if ((items = items_json(app, cl, pl, n)) == NULL)
		goto out;
	*doc = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:o, "
	    "s:{s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I}, s:o, s:O, s:b}",
	    "from", dfrom, "to", dlast,
	    "days", (json_int_t)((to - from + 43200) / 86400),
	    "generated_at", (json_int_t)r.now,
	    "utc_offset", tz,
	    "agency", agency,
	    "host", conf.host,
	    "checklist", cl == NULL ? json_null() : json_pack("{s:s, s:I, "
	    "s:{s:s, s:s}}", "id", cl->id, "fiscal_year",
	    (json_int_t)cl->fiscal_year, "title", "th", cl->title.th, "en",
	    cl->title.en),
	    "totals", "urls", (json_int_t)n, "checks", (json_int_t)checks,
	    "up", (json_int_t)up, "suspect", (json_int_t)suspect,
	    "down", (json_int_t)down, "uptime", uptime_json(up, checks),
	    "incidents", (json_int_t)incidents,
	    "downtime_s", (json_int_t)down_s,
	    "urls", arr,
	    "items", items,
	    "log_truncated", r.log_cut);
	arr = NULL;		/* json_pack took it, even on failure */
	e = *doc == NULL ? ERR_INTERNAL : ERR_OK;
out:
	json_decref(arr);
	json_decref(items);
	oitdb_rep_urls_free(urls, n);
	free(pl);
	free(agency);
	return e;
}

/* ---- the files ---- */

static const struct {
	const char		*format;
	const char		*part;
	enum oit_report_format	 f;
	const char		*name;	/* file name's first word */
	const char		*ext;
} files[] = {
	{ "json", NULL, OIT_REPORT_JSON, "oit-report", "json" },
	{ "csv", "summary", OIT_REPORT_CSV, "oit-report", "csv" },
	{ "csv", "log", OIT_REPORT_CSV_LOG, "oit-log", "csv" },
	{ "csv", "incidents", OIT_REPORT_CSV_INCIDENTS, "oit-incidents",
	    "csv" },
	{ "xlsx", NULL, OIT_REPORT_XLSX, "oit-report", "xlsx" },
};

#define NFILES	(sizeof(files) / sizeof(files[0]))

/*
 * The format of format ("json", "csv", "xlsx"; NULL: json) and part
 * ("summary", "log", "incidents": which CSV; NULL: summary; only
 * "summary" for json and xlsx, which hold everything).  0 or -1.
 */
int
oit_report_format_parse(const char *format, const char *part,
    enum oit_report_format *f)
{
	size_t	i;

	if (format == NULL)
		format = "json";
	if (part == NULL)
		part = "summary";
	for (i = 0; i < NFILES; i++)
		if (strcmp(files[i].format, format) == 0 &&
		    (files[i].part == NULL ? strcmp(part, "summary") == 0 :
		    strcmp(files[i].part, part) == 0)) {
			*f = files[i].f;
			return 0;
		}
	return -1;
}

const char *
oit_report_mime(enum oit_report_format f)
{
	switch (f) {
	case OIT_REPORT_JSON:
		return export_mime(EXPORT_JSON);
	case OIT_REPORT_XLSX:
		return export_mime(EXPORT_XLSX);
	default:
		return export_mime(EXPORT_CSV);
	}
}

/* "oit-log-2024-03-01-2024-03-31.csv" for [from, to) (caller frees). */
char *
oit_report_filename(int64_t from, int64_t to, enum oit_report_format f)
{
	char	a[DAY_TEXT], b[DAY_TEXT];
	size_t	i;

	local_day(from, a);
	local_day(to - 1, b);
	for (i = 0; i < NFILES - 1 && files[i].f != f; i++)
		;
	return xasprintf("%s-%s-%s.%s", files[i].name, a, b, files[i].ext);
}

static void
csv_int(FILE *out, json_t *v, int last)
{
	char	num[32];

	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(v));
		export_csv_field(out, num, last);
	} else
		export_csv_field(out, "", last);
}

static void
csv_num(FILE *out, json_t *v, int last)
{
	char	num[32];

	if (json_is_number(v)) {
		snprintf(num, sizeof(num), "%.2f", json_number_value(v));
		export_csv_field(out, num, last);
	} else
		export_csv_field(out, "", last);
}

static void
csv_str(FILE *out, json_t *o, const char *key, int last)
{
	export_csv_field(out, json_string_value(json_object_get(o, key)),
	    last);
}

/* A unix time as "2024-03-01T01:15:00Z", or "" for null. */
static void
csv_time(FILE *out, json_t *v, int last)
{
	char		when[32];
	time_t		t;
	struct tm	tm;

	if (!json_is_integer(v)) {
		export_csv_field(out, "", last);
		return;
	}
	t = (time_t)json_integer_value(v);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		when[0] = '\0';
	export_csv_field(out, when, last);
}

/* Whole minutes of seconds, half up. */
static long long
minutes(json_int_t s)
{
	return s <= 0 ? 0 : (long long)score_round_div(s, 60);
}

/* The per-URL summary as CSV (README.md, "OIT evidence desk"). */
static void
summary_csv(json_t *doc, FILE *out)
{
	json_t	*u;
	char	 num[32];
	size_t	 i;

	fputs("\xEF\xBB\xBF" "item,item_name_th,url,checks,up,suspect,down,"
	    "uptime_percent,incidents,downtime_minutes\r\n", out);
	json_array_foreach(json_object_get(doc, "urls"), i, u) {
		csv_str(out, u, "item", 0);
		export_csv_field(out, json_string_value(json_object_get(
		    json_object_get(u, "item_name"), "th")), 0);
		csv_str(out, u, "url", 0);
		csv_int(out, json_object_get(u, "checks"), 0);
		csv_int(out, json_object_get(u, "up"), 0);
		csv_int(out, json_object_get(u, "suspect"), 0);
		csv_int(out, json_object_get(u, "down"), 0);
		csv_num(out, json_object_get(u, "uptime"), 0);
		snprintf(num, sizeof(num), "%zu", json_array_size(
		    json_object_get(u, "incidents")));
		export_csv_field(out, num, 0);
		snprintf(num, sizeof(num), "%lld", minutes(json_integer_value(
		    json_object_get(u, "downtime_s"))));
		export_csv_field(out, num, 1);
	}
}

/* The check log as CSV, URL by URL, oldest first. */
static void
log_csv(json_t *doc, FILE *out)
{
	json_t		*u, *l, *v;
	size_t		 i, j;

	fputs("\xEF\xBB\xBF" "time_utc,item,url,state,status,final_url,"
	    "on_site,ttfb_ms,size,sha256,cert_days,error\r\n", out);
	json_array_foreach(json_object_get(doc, "urls"), i, u)
		json_array_foreach(json_object_get(u, "log"), j, l) {
			csv_time(out, json_object_get(l, "at"), 0);
			csv_str(out, u, "item", 0);
			csv_str(out, u, "url", 0);
			csv_str(out, l, "state", 0);
			csv_int(out, json_object_get(l, "status"), 0);
			csv_str(out, l, "final_url", 0);
			v = json_object_get(l, "on_site");
			export_csv_field(out, json_is_boolean(v) ?
			    (json_is_true(v) ? "true" : "false") : "", 0);
			csv_int(out, json_object_get(l, "ttfb_ms"), 0);
			csv_int(out, json_object_get(l, "size"), 0);
			csv_str(out, l, "sha256", 0);
			csv_int(out, json_object_get(l, "cert_days"), 0);
			csv_str(out, l, "error", 1);
		}
}

/* The incidents as CSV, URL by URL, oldest first. */
static void
incidents_csv(json_t *doc, FILE *out)
{
	json_t		*u, *a;
	size_t		 i, j;

	fputs("\xEF\xBB\xBF" "item,url,kind,opened_utc,closed_utc,"
	    "duration_s\r\n", out);
	json_array_foreach(json_object_get(doc, "urls"), i, u)
		json_array_foreach(json_object_get(u, "incidents"), j, a) {
			csv_str(out, u, "item", 0);
			csv_str(out, u, "url", 0);
			csv_str(out, a, "kind", 0);
			csv_time(out, json_object_get(a, "opened_at"), 0);
			csv_time(out, json_object_get(a, "closed_at"), 0);
			csv_int(out, json_object_get(a, "duration_s"), 1);
		}
}

/*
 * Write the report of [from, to) in format f to out, which the caller
 * delivers only on ERR_OK.  CSV is UTF-8 with a BOM, CRLF lines, and a
 * cell that a spreadsheet would run as a formula quoted with a leading
 * apostrophe (export_csv_field).  ERR_OIT_BAD_RANGE, ERR_INTERNAL.
 */
enum err
oit_report_write(struct app *app, int64_t from, int64_t to,
    enum oit_report_format f, FILE *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = oit_report(app, from, to, &doc)) != ERR_OK)
		return e;
	switch (f) {
	case OIT_REPORT_JSON:
		if (json_dumpf(doc, out, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10)) == -1)
			e = ERR_INTERNAL;
		fputc('\n', out);
		break;
	case OIT_REPORT_CSV:
		summary_csv(doc, out);
		break;
	case OIT_REPORT_CSV_LOG:
		log_csv(doc, out);
		break;
	case OIT_REPORT_CSV_INCIDENTS:
		incidents_csv(doc, out);
		break;
	case OIT_REPORT_XLSX:
		if (oit_report_xlsx(doc, out) == -1)
			e = ERR_INTERNAL;
		break;
	}
	json_decref(doc);
	if (e == ERR_OK && (fflush(out) == EOF || ferror(out))) {
		log_err("%s: write failed", __func__);
		e = ERR_INTERNAL;
	}
	return e;
}
