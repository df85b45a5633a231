/* SPDX-License-Identifier: ISC */
/*
 * The availability workbook a working group hands its committee
 * (oitreport.c builds the document it is written from): a title block
 * (agency, main website, checklist, date range, date made) and each
 * URL's uptime, coloured, on the first sheet; the incidents; the check
 * log.  Thai first with English beside it, as xlsx.c does for scores.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xlsx.h"
#include "oit.h"

/* Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules). */
#define SHEET_UPTIME	"ความพร้อมใช้งาน"
#define SHEET_INCIDENTS	"เหตุขัดข้อง"
#define SHEET_LOG	"บันทึกการตรวจ"

#define TEXT_MAX	1024	/* bytes of one composed cell */

/* Uptime colours: green from GOOD_MIN, amber from FAIR_MIN, else red. */
#define GOOD_MIN	99.5
#define FAIR_MIN	95.0
#define GOOD_FILL	0xC6EFCE
#define GOOD_TEXT	0x006100
#define FAIR_FILL	0xFFEB9C
#define FAIR_TEXT	0x7A4B00
#define BAD_FILL	0xFFC7CE
#define BAD_TEXT	0x9C0006

struct fmts {
	lxw_format	*title;
	lxw_format	*label;
	lxw_format	*head;
	lxw_format	*text;
	lxw_format	*wrap;
	lxw_format	*pct;		/* a percentage, two decimals */
	lxw_format	*note;		/* a warning line */
	lxw_format	*good, *fair, *bad;	/* conditional fills */
};

static const char *
str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s == NULL ? "" : s;
}

static const char *
label(json_t *o, const char *key, const char *lang)
{
	const char	*s = json_string_value(json_object_get(
	    json_object_get(o, key), lang));

	return s == NULL ? "" : s;
}

static void
formats(lxw_workbook *wb, struct fmts *f)
{
	struct xlsx_house	h;

	xlsx_house(wb, &h);	/* the committee's style, as xlsx.c's */
	f->title = h.title;
	f->label = h.label;
	f->head = h.head;
	f->text = h.text;
	f->wrap = workbook_add_format(wb);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(f->wrap);
	f->pct = workbook_add_format(wb);
	format_set_num_format(f->pct, "0.00");
	f->note = workbook_add_format(wb);
	format_set_bold(f->note);
	format_set_font_color(f->note, FAIR_TEXT);
	format_set_bg_color(f->note, FAIR_FILL);
	f->good = workbook_add_format(wb);
	format_set_bg_color(f->good, GOOD_FILL);
	format_set_font_color(f->good, GOOD_TEXT);
	f->fair = workbook_add_format(wb);
	format_set_bg_color(f->fair, FAIR_FILL);
	format_set_font_color(f->fair, FAIR_TEXT);
	f->bad = workbook_add_format(wb);
	format_set_bg_color(f->bad, BAD_FILL);
	format_set_font_color(f->bad, BAD_TEXT);
}

/* A label in column A and Thai / English values in B and C. */
static void
fact(lxw_worksheet *ws, lxw_row_t row, const struct fmts *f,
    const char *name, const char *th, const char *en)
{
	worksheet_write_string(ws, row, 0, name, f->label);
	if (th != NULL && th[0] != '\0')
		worksheet_write_string(ws, row, 1, th, f->text);
	if (en != NULL && en[0] != '\0')
		worksheet_write_string(ws, row, 2, en, f->text);
}

/* The Thai words of a day "YYYY-MM-DD" ("1 มีนาคม 2567"). */
static void
day_th(const char *iso, char *th, size_t thsz)
{
	struct tm	tm;
	char		back[16];
	int		y, m, d;

	th[0] = '\0';
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	xlsx_day(mktime(&tm), th, thsz, back, sizeof(back));
}

/* A unix time as local "2024-03-01 08:15:00", "" for null. */
static void
local_time(json_t *v, char *buf, size_t sz)
{
	time_t		t;
	struct tm	tm;

	buf[0] = '\0';
	if (!json_is_integer(v))
		return;
	t = (time_t)json_integer_value(v);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sz, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		buf[0] = '\0';
}

static void
number(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v,
    lxw_format *f)
{
	if (json_is_number(v))
		worksheet_write_number(ws, row, col, json_number_value(v), f);
}

static const char *
state_words(const char *s)
{
	if (strcmp(s, "up") == 0)
		return "ใช้ได้ / up";
	if (strcmp(s, "suspect") == 0)
		return "ผิดปกติ / suspect";
	if (strcmp(s, "down") == 0)
		return "เปิดไม่ได้ / down";
	return "ยังไม่ได้ตรวจ / not checked";
}

static const char *
kind_words(const char *k)
{
	if (strcmp(k, "down") == 0)
		return "เปิดไม่ได้ / down";
	if (strcmp(k, "cert") == 0)
		return "ใบรับรองใกล้หมดอายุ / certificate expiring";
	if (strcmp(k, "offsite") == 0)
		return "ออกนอกเว็บไซต์หลัก / left the main website";
	return k;
}

/* The colours of an uptime column: rows first..last of column col. */
static void
uptime_colours(lxw_worksheet *ws, const struct fmts *f, lxw_row_t first,
    lxw_row_t last, lxw_col_t col)
{
	lxw_conditional_format	c;

	memset(&c, 0, sizeof(c));
	c.type = LXW_CONDITIONAL_TYPE_CELL;
	c.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
	c.value = GOOD_MIN;
	c.format = f->good;
	worksheet_conditional_format_range(ws, first, col, last, col, &c);
	c.criteria = LXW_CONDITIONAL_CRITERIA_BETWEEN;
	c.min_value = FAIR_MIN;
	c.max_value = GOOD_MIN - 0.001;
	c.format = f->fair;
	worksheet_conditional_format_range(ws, first, col, last, col, &c);
	c.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
	c.value = FAIR_MIN;
	c.format = f->bad;
	worksheet_conditional_format_range(ws, first, col, last, col, &c);
}

/* The column heads at row, the rows below them frozen; the next row. */
static lxw_row_t
heads_row(lxw_worksheet *ws, const struct fmts *f, lxw_row_t row,
    const char *const *heads, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		worksheet_write_string(ws, row, (lxw_col_t)i, heads[i], f->head);
	worksheet_freeze_panes(ws, ++row, 0);
	return row;
}

/* The first sheet: the title block and each URL's uptime. */
static int
uptime_sheet(lxw_workbook *wb, const struct fmts *f, json_t *doc)
{
	static const char *const heads[] = {
		"รายการ / Item", "ชื่อรายการ / Item name",
		"ชื่อภาษาอังกฤษ / Name in English", "URL",
		"ตรวจ (ครั้ง) / Checks", "ใช้ได้ / Up", "ผิดปกติ / Suspect",
		"เปิดไม่ได้ / Down", "ร้อยละที่ใช้ได้ / Uptime %",
		"เหตุขัดข้อง / Incidents",
		"นาทีที่เปิดไม่ได้ / Downtime (minutes)",
		"หมายเหตุ / Note",
	};
	lxw_worksheet	*ws;
	json_t		*tot = json_object_get(doc, "totals"), *u, *cl;
	char		 a[TEXT_MAX], b[TEXT_MAX], th1[64], th2[64];
	char		 made_th[64], made_iso[32];
	lxw_row_t	 row = 0, first;
	size_t		 i;
	json_int_t	 s;

	if ((ws = workbook_add_worksheet(wb, SHEET_UPTIME)) == NULL)
		return -1;
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 2, 34, NULL);
	worksheet_set_column(ws, 3, 3, 48, NULL);
	worksheet_set_column(ws, 4, 10, 13, NULL);
	worksheet_set_column(ws, 11, 11, 30, NULL);
	worksheet_write_string(ws, row++, 0, "รายงานความพร้อมใช้งานของหลักฐาน "
	    "OIT / OIT evidence availability report", f->title);
	row++;
	fact(ws, row++, f, "หน่วยงาน / Agency", str(doc, "agency")[0] != '\0' ?
	    str(doc, "agency") : "(ยังไม่ได้ตั้งชื่อหน่วยงาน)",
	    str(doc, "agency")[0] != '\0' ? NULL : "(agency name not set)");
	fact(ws, row++, f, "เว็บไซต์หลัก / Main website",
	    str(doc, "host")[0] != '\0' ? str(doc, "host") :
	    "(ยังไม่ได้กำหนด)", str(doc, "host")[0] != '\0' ? NULL :
	    "(not set)");
	cl = json_object_get(doc, "checklist");
	if (json_is_object(cl))
		fact(ws, row++, f, "แบบตรวจ / Checklist", label(cl, "title",
		    "th"), label(cl, "title", "en"));
	day_th(str(doc, "from"), th1, sizeof(th1));
	day_th(str(doc, "to"), th2, sizeof(th2));
	snprintf(a, sizeof(a), "%s ถึง %s (%lld วัน)", th1, th2,
	    (long long)json_integer_value(json_object_get(doc, "days")));
	snprintf(b, sizeof(b), "%s to %s (%lld days)", str(doc, "from"),
	    str(doc, "to"), (long long)json_integer_value(json_object_get(doc,
	    "days")));
	fact(ws, row++, f, "ช่วงวันที่ / Date range", a, b);
	xlsx_day((time_t)json_integer_value(json_object_get(doc,
	    "generated_at")), made_th, sizeof(made_th), made_iso,
	    sizeof(made_iso));
	snprintf(b, sizeof(b), "%s (UTC%s)", made_iso, str(doc,
	    "utc_offset"));
	fact(ws, row++, f, "วันที่จัดทำ / Date made", made_th, b);
	worksheet_write_string(ws, row, 0, "ร้อยละที่ใช้ได้ทั้งหมด / Overall "
	    "uptime", f->label);
	number(ws, row, 1, json_object_get(tot, "uptime"), f->pct);
	snprintf(a, sizeof(a), "ใช้ได้ %lld จากการตรวจ %lld ครั้ง / %lld of "
	    "%lld checks up",
	    (long long)json_integer_value(json_object_get(tot, "up")),
	    (long long)json_integer_value(json_object_get(tot, "checks")),
	    (long long)json_integer_value(json_object_get(tot, "up")),
	    (long long)json_integer_value(json_object_get(tot, "checks")));
	worksheet_write_string(ws, row++, 2, a, f->text);
	row++;
	row = heads_row(ws, f, row, heads, sizeof(heads) / sizeof(heads[0]));
	first = row;
	json_array_foreach(json_object_get(doc, "urls"), i, u) {
		worksheet_write_string(ws, row, 0, str(u, "item"), f->text);
		worksheet_write_string(ws, row, 1, label(u, "item_name", "th"),
		    f->wrap);
		worksheet_write_string(ws, row, 2, label(u, "item_name", "en"),
		    f->wrap);
		worksheet_write_string(ws, row, 3, str(u, "url"), f->wrap);
		number(ws, row, 4, json_object_get(u, "checks"), NULL);
		number(ws, row, 5, json_object_get(u, "up"), NULL);
		number(ws, row, 6, json_object_get(u, "suspect"), NULL);
		number(ws, row, 7, json_object_get(u, "down"), NULL);
		if (json_is_number(json_object_get(u, "uptime")))
			number(ws, row, 8, json_object_get(u, "uptime"),
			    f->pct);
		else
			worksheet_write_string(ws, row, 8, "ยังไม่ได้ตรวจ / no "
			    "checks", f->text);
		worksheet_write_number(ws, row, 9, (double)json_array_size(
		    json_object_get(u, "incidents")), NULL);
		s = json_integer_value(json_object_get(u, "downtime_s"));
		worksheet_write_number(ws, row, 10, s <= 0 ? 0.0 :
		    (double)((s + 30) / 60), NULL);
		if (json_is_true(json_object_get(u, "removed")))
			worksheet_write_string(ws, row, 11, "เลิกใช้ URL นี้แล้ว "
			    "/ URL removed", f->text);
		row++;
	}
	if (row > first)
		uptime_colours(ws, f, first, row - 1, 8);
	else
		worksheet_write_string(ws, row, 0, "ยังไม่มี URL ของหลักฐาน / "
		    "No evidence URLs yet", f->text);
	return 0;
}

/* The second sheet: every incident in the range. */
static int
incidents_sheet(lxw_workbook *wb, const struct fmts *f, json_t *doc)
{
	static const char *const heads[] = {
		"รายการ / Item", "URL", "ประเภท / Kind",
		"เริ่ม (เวลาท้องถิ่น) / Opened (local time)",
		"สิ้นสุด (เวลาท้องถิ่น) / Closed (local time)",
		"นาทีในช่วงรายงาน / Minutes in the range",
	};
	lxw_worksheet	*ws;
	json_t		*u, *a;
	char		 t[32];
	lxw_row_t	 row = 0, first;
	size_t		 i, j;

	if ((ws = workbook_add_worksheet(wb, SHEET_INCIDENTS)) == NULL)
		return -1;
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 48, NULL);
	worksheet_set_column(ws, 2, 2, 30, NULL);
	worksheet_set_column(ws, 3, 5, 22, NULL);
	worksheet_write_string(ws, row++, 0, "เหตุขัดข้อง / Incidents",
	    f->title);
	row++;
	row = heads_row(ws, f, row, heads, sizeof(heads) / sizeof(heads[0]));
	first = row;
	json_array_foreach(json_object_get(doc, "urls"), i, u)
		json_array_foreach(json_object_get(u, "incidents"), j, a) {
			worksheet_write_string(ws, row, 0, str(u, "item"),
			    f->text);
			worksheet_write_string(ws, row, 1, str(u, "url"),
			    f->wrap);
			worksheet_write_string(ws, row, 2, kind_words(str(a,
			    "kind")), f->text);
			local_time(json_object_get(a, "opened_at"), t,
			    sizeof(t));
			worksheet_write_string(ws, row, 3, t, f->text);
			local_time(json_object_get(a, "closed_at"), t,
			    sizeof(t));
			worksheet_write_string(ws, row, 4, t[0] != '\0' ? t :
			    "ยังไม่สิ้นสุด / still open", f->text);
			worksheet_write_number(ws, row++, 5, (double)
			    json_integer_value(json_object_get(a,
			    "duration_s")) / 60.0, f->pct);
		}
	if (row == first)
		worksheet_write_string(ws, row, 0, "ไม่มีเหตุขัดข้องในช่วงนี้ / "
		    "No incidents in this range", f->text);
	return 0;
}

/* The third sheet: the check log (changes of state or place). */
static int
log_sheet(lxw_workbook *wb, const struct fmts *f, json_t *doc)
{
	static const char *const heads[] = {
		"เวลา (เวลาท้องถิ่น) / Time (local)", "รายการ / Item", "URL",
		"สถานะ / State", "HTTP", "URL ปลายทาง / Final URL",
		"อยู่บนเว็บไซต์หลัก / On the main website",
		"เวลาถึงไบต์แรก (ms) / Time to first byte (ms)",
		"ขนาด (ไบต์) / Size (bytes)", "SHA-256",
		"วันก่อนใบรับรองหมดอายุ / Certificate days left",
		"สาเหตุ / Error",
	};
	lxw_worksheet	*ws;
	json_t		*u, *l, *v;
	char		 t[32];
	lxw_row_t	 row = 0, first;
	size_t		 i, j;

	if ((ws = workbook_add_worksheet(wb, SHEET_LOG)) == NULL)
		return -1;
	worksheet_set_column(ws, 0, 0, 20, NULL);
	worksheet_set_column(ws, 1, 1, 10, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, 3, 20, NULL);
	worksheet_set_column(ws, 4, 4, 8, NULL);
	worksheet_set_column(ws, 5, 5, 40, NULL);
	worksheet_set_column(ws, 6, 8, 14, NULL);
	worksheet_set_column(ws, 9, 9, 24, NULL);
	worksheet_set_column(ws, 10, 11, 16, NULL);
	worksheet_write_string(ws, row++, 0, "บันทึกการตรวจ (เมื่อสถานะหรือ"
	    "ปลายทางเปลี่ยน) / Check log (changes of state or place)",
	    f->title);
	if (json_is_true(json_object_get(doc, "log_truncated")))
		worksheet_write_string(ws, row, 0, "บันทึกถูกตัดให้สั้นลง: เลือก"
		    "ช่วงวันที่สั้นกว่านี้เพื่อดูทั้งหมด / The log was cut: choose "
		    "a shorter range to see all of it", f->note);
	row++;
	row = heads_row(ws, f, row, heads, sizeof(heads) / sizeof(heads[0]));
	first = row;
	json_array_foreach(json_object_get(doc, "urls"), i, u)
		json_array_foreach(json_object_get(u, "log"), j, l) {
			local_time(json_object_get(l, "at"), t, sizeof(t));
			worksheet_write_string(ws, row, 0, t, f->text);
			worksheet_write_string(ws, row, 1, str(u, "item"),
			    f->text);
			worksheet_write_string(ws, row, 2, str(u, "url"),
			    f->text);
			worksheet_write_string(ws, row, 3, state_words(str(l,
			    "state")), f->text);
			number(ws, row, 4, json_object_get(l, "status"), NULL);
			if (str(l, "final_url")[0] != '\0')
				worksheet_write_string(ws, row, 5, str(l,
				    "final_url"), f->text);
			v = json_object_get(l, "on_site");
			if (json_is_boolean(v))
				worksheet_write_string(ws, row, 6,
				    json_is_true(v) ? "ใช่ / yes" : "ไม่ใช่ / no",
				    f->text);
			number(ws, row, 7, json_object_get(l, "ttfb_ms"), NULL);
			number(ws, row, 8, json_object_get(l, "size"), NULL);
			if (str(l, "sha256")[0] != '\0')
				worksheet_write_string(ws, row, 9, str(l,
				    "sha256"), f->text);
			number(ws, row, 10, json_object_get(l, "cert_days"),
			    NULL);
			if (str(l, "error")[0] != '\0')
				worksheet_write_string(ws, row, 11, str(l,
				    "error"), f->text);
			row++;
		}
	if (row == first)
		worksheet_write_string(ws, row, 0, "ไม่มีการเปลี่ยนแปลงในช่วงนี้ / "
		    "No changes in this range", f->text);
	return 0;
}

/* The document properties: what the file is, for whoever looks. */
static int
properties(lxw_workbook *wb, json_t *doc)
{
	lxw_doc_properties	 p;
	int			 rc;

	memset(&p, 0, sizeof(p));
	p.title = xasprintf("ความพร้อมใช้งานของหลักฐาน OIT / OIT evidence "
	    "availability: %s to %s", str(doc, "from"), str(doc, "to"));
	p.subject = xasprintf("%s / %s", label(json_object_get(doc,
	    "checklist"), "title", "th"), label(json_object_get(doc,
	    "checklist"), "title", "en"));
	/* libxlsxwriter copies every property: the cast lends, not gives. */
	p.company = str(doc, "agency")[0] != '\0' ?
	    (char *)str(doc, "agency") : NULL;
	p.category = xasprintf("ITA OIT");
	p.keywords = xasprintf("ITA, OIT, uptime, %s", str(doc, "host"));
	rc = workbook_set_properties(wb, &p) == LXW_NO_ERROR ? 0 : -1;
	free(p.title);
	free(p.subject);
	free(p.category);
	free(p.keywords);
	return rc;
}

/*
 * Write the workbook of report doc (oit_report) to out, through a
 * temporary file as export.c does.  0 or -1 (logged).
 */
int
oit_report_xlsx(json_t *doc, FILE *out)
{
	lxw_workbook		*wb = NULL;
	lxw_workbook_options	 wbo;
	struct fmts		 f;
	char			 tmpl[] = "/tmp/ita-survey-oit-XXXXXX";
	static char		 tmpdir[] = "/tmp";
	FILE			*in = NULL;
	int			 fd, rc = -1;
	lxw_error		 le;

	if ((fd = mkstemp(tmpl)) == -1) {
		log_err("%s: mkstemp: %s", __func__, strerror(errno));
		return -1;
	}
	memset(&wbo, 0, sizeof(wbo));
	wbo.constant_memory = LXW_TRUE;
	wbo.tmpdir = tmpdir;
	if ((wb = workbook_new_opt(tmpl, &wbo)) == NULL)
		goto out;
	formats(wb, &f);
	if (properties(wb, doc) == -1 || uptime_sheet(wb, &f, doc) == -1 ||
	    incidents_sheet(wb, &f, doc) == -1 || log_sheet(wb, &f, doc) == -1)
		goto out;
	le = workbook_close(wb);
	wb = NULL;
	if (le != LXW_NO_ERROR) {
		log_err("%s: xlsx: %s", __func__, lxw_strerror(le));
		goto out;
	}
	if ((in = fopen(tmpl, "rb")) == NULL)
		goto out;
	rc = export_copy(in, out);
out:
	if (wb != NULL)
		workbook_close(wb);
	if (in != NULL)
		fclose(in);
	close(fd);
	unlink(tmpl);
	return rc;
}
