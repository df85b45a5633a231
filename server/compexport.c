/* SPDX-License-Identifier: ISC */
/*
 * A comparison of two rounds (compare.c) as a file: CSV (UTF-8 with a
 * BOM, one row per indicator and item), the JSON document, or a workbook
 * for the committee: the figures of both rounds with a chart of them per
 * indicator, and the weak items with their guidance.  Audited as every
 * export is; unlike raw responses it leaves the rounds as they are, as
 * it holds only published figures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xlsx.h"
#include "audit.h"

#define SHEET_COMPARE	"เปรียบเทียบ"
#define SHEET_WEAK	"ข้อที่ต่ำกว่าเป้าหมาย"
#define SHEET_UNITS	"หน่วยงาน"
#define TEXT_MAX	1024

static const char *
lab(json_t *o, const char *key, const char *lang)
{
	const char	*s = json_string_value(json_object_get(
	    json_object_get(o, key), lang));

	return s == NULL ? "" : s;
}

/*
 * A figure as CSV: "83.33", "-3.34", or "" for none.  Written as it is:
 * a number we printed is no formula, and a change must stay a number
 * (the formula guard would make "-3.34" text).
 */
static void
csv_num(FILE *out, json_t *v, int last)
{
	if (json_is_number(v))
		fprintf(out, "%.2f", json_number_value(v));
	else
		fputs("\"\"", out);
	fputs(last ? "\r\n" : ",", out);
}

static void
csv_row(FILE *out, const char *level, json_t *o, const char *names)
{
	json_t	*a = json_object_get(o, "a"), *b = json_object_get(o, "b");
	json_t	*sig = json_object_get(o, "significant");

	export_csv_field(out, level, 0);
	export_csv_field(out, json_string_value(json_object_get(o, "code")), 0);
	export_csv_field(out, lab(o, names, "th"), 0);
	export_csv_field(out, lab(o, names, "en"), 0);
	csv_num(out, json_object_get(a, "score"), 0);
	csv_num(out, json_object_get(a, "low"), 0);
	csv_num(out, json_object_get(a, "high"), 0);
	csv_num(out, json_object_get(b, "score"), 0);
	csv_num(out, json_object_get(b, "low"), 0);
	csv_num(out, json_object_get(b, "high"), 0);
	csv_num(out, json_object_get(o, "change"), 0);
	export_csv_field(out, json_is_boolean(sig) ? (json_is_true(sig) ?
	    "true" : "false") : "", 1);
}

static void
compare_csv(json_t *doc, FILE *out)
{
	json_t	*ind, *it;
	size_t	 i, j;

	fputs("\xEF\xBB\xBF", out);
	fputs("level,code,name_th,name_en,score_a,low_a,high_a,score_b,"
	    "low_b,high_b,change,significant\r\n", out);
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		csv_row(out, "indicator", ind, "name");
		json_array_foreach(json_object_get(ind, "items"), j, it)
			csv_row(out, "item", it, "text");
	}
	/* Units: each round's own rule decided what it shows (units.c). */
	json_array_foreach(json_object_get(doc, "units"), i, ind) {
		export_csv_field(out, "unit", 0);
		export_csv_field(out, "", 0);
		export_csv_field(out, json_string_value(json_object_get(ind,
		    "name")), 0);
		export_csv_field(out, "", 0);
		csv_num(out, json_object_get(json_object_get(ind, "a"),
		    "score"), 0);
		fputs("\"\",\"\",", out);
		csv_num(out, json_object_get(json_object_get(ind, "b"),
		    "score"), 0);
		fputs("\"\",\"\",", out);
		csv_num(out, json_object_get(ind, "change"), 0);
		export_csv_field(out, "", 1);
	}
}

struct cfmt {
	struct xlsx_house	 h;
	lxw_format		*num;
};

static void
num_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v,
    lxw_format *f)
{
	if (json_is_number(v))
		worksheet_write_number(ws, r, c, json_number_value(v), f);
}

static void
str_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
    lxw_format *f)
{
	if (s != NULL && s[0] != '\0')
		worksheet_write_string(ws, r, c, s, f);
}

static const char *
sig_words(json_t *v)
{
	if (!json_is_boolean(v))
		return "";
	return json_is_true(v) ? "เปลี่ยนแปลงเกินความคลาดเคลื่อน / "
	    "significant" : "อยู่ในช่วงความคลาดเคลื่อน / within noise";
}

/* A row of figures: code, names, both rounds' figures, the change. */
static void
fig_row(lxw_worksheet *ws, lxw_row_t r, const struct cfmt *f, json_t *o,
    const char *names)
{
	json_t	*a = json_object_get(o, "a"), *b = json_object_get(o, "b");

	str_cell(ws, r, 0, json_string_value(json_object_get(o, "code")),
	    f->h.text);
	str_cell(ws, r, 1, lab(o, names, "th"), f->h.text);
	str_cell(ws, r, 2, lab(o, names, "en"), f->h.text);
	num_cell(ws, r, 3, json_object_get(a, "score"), f->num);
	num_cell(ws, r, 4, json_object_get(b, "score"), f->num);
	num_cell(ws, r, 5, json_object_get(o, "change"), f->num);
	num_cell(ws, r, 6, json_object_get(a, "low"), f->num);
	num_cell(ws, r, 7, json_object_get(a, "high"), f->num);
	num_cell(ws, r, 8, json_object_get(b, "low"), f->num);
	num_cell(ws, r, 9, json_object_get(b, "high"), f->num);
	num_cell(ws, r, 10, json_object_get(o, "change_low"), f->num);
	num_cell(ws, r, 11, json_object_get(o, "change_high"), f->num);
	str_cell(ws, r, 12, sig_words(json_object_get(o, "significant")),
	    f->h.text);
}

static void
fig_head(lxw_worksheet *ws, lxw_row_t r, const struct cfmt *f,
    const char *what, const char *ta, const char *tb)
{
	static const char *const heads[] = { "รหัส / Code", NULL,
	    "ชื่อภาษาอังกฤษ / Name in English", NULL, NULL,
	    "เปลี่ยนแปลง / Change", "ช่วง 95% ต่ำสุด (ก) / 95% low (A)",
	    "ช่วง 95% สูงสุด (ก) / 95% high (A)",
	    "ช่วง 95% ต่ำสุด (ข) / 95% low (B)",
	    "ช่วง 95% สูงสุด (ข) / 95% high (B)",
	    "ช่วงของการเปลี่ยนแปลง ต่ำสุด / change low",
	    "ช่วงของการเปลี่ยนแปลง สูงสุด / change high",
	    "นัยสำคัญ / Significance" };
	size_t	i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		worksheet_write_string(ws, r, (lxw_col_t)i, i == 1 ? what :
		    i == 3 ? ta : i == 4 ? tb : heads[i], f->h.head);
}

static void
fact(lxw_worksheet *ws, lxw_row_t r, const struct cfmt *f, const char *n,
    const char *v)
{
	worksheet_write_string(ws, r, 0, n, f->h.label);
	str_cell(ws, r, 1, v, f->h.text);
}

/*
 * The units of both rounds: respondents and score where that round shows
 * the unit, "hidden" where it does not (units.c decides).  0.
 */
static int
units_sheet(lxw_worksheet *wu, const struct cfmt *f, json_t *doc)
{
	static const char *const heads[] = { "หน่วยงาน / Unit",
	    "ผู้ตอบ ก / Respondents A", "คะแนน ก / Score A",
	    "ผู้ตอบ ข / Respondents B", "คะแนน ข / Score B",
	    "เปลี่ยนแปลง / Change" };
	json_t		*u, *side;
	lxw_row_t	 r = 0;
	size_t		 i, k;

	worksheet_set_column(wu, 0, 0, 34, NULL);
	worksheet_set_column(wu, 1, 5, 16, NULL);
	worksheet_write_string(wu, r++, 0, "ผลรายหน่วยงานของทั้งสองรอบ / "
	    "Units in both rounds", f->h.title);
	worksheet_write_string(wu, r++, 0, "แสดงเฉพาะหน่วยงานที่แต่ละรอบ"
	    "เผยแพร่ได้ (ผู้ตอบถึงเกณฑ์ และไม่ต้องซ่อนคู่กับหน่วยงานที่เล็กกว่า) "
	    "/ a unit is shown only where its round may show it", f->h.text);
	r++;
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		worksheet_write_string(wu, r, (lxw_col_t)i, heads[i],
		    f->h.head);
	r++;
	json_array_foreach(json_object_get(doc, "units"), i, u) {
		str_cell(wu, r, 0, json_string_value(json_object_get(u,
		    "name")), f->h.text);
		for (k = 0; k < 2; k++) {
			side = json_object_get(u, k == 0 ? "a" : "b");
			if (!json_is_object(side)) {
				str_cell(wu, r, (lxw_col_t)(1 + 2 * k),
				    "ไม่แสดง / hidden", f->h.text);
				continue;
			}
			num_cell(wu, r, (lxw_col_t)(1 + 2 * k),
			    json_object_get(side, "respondents"), f->h.text);
			num_cell(wu, r, (lxw_col_t)(2 + 2 * k),
			    json_object_get(side, "score"), f->num);
		}
		num_cell(wu, r, 5, json_object_get(u, "change"), f->num);
		r++;
	}
	return 0;
}

/* The comparison sheet with its chart, and the weak items.  0 or -1. */
static int
compare_xlsx(lxw_workbook *wb, json_t *doc, const char *agency)
{
	lxw_worksheet		*ws, *wk, *wu;
	lxw_chart		*c;
	lxw_chart_series	*s;
	lxw_chart_options	 co;
	struct cfmt		 f;
	json_t			*ra, *rb, *ind, *it, *w, *q, *op, *g;
	char			 t[3 * TEXT_MAX], ta[TEXT_MAX], tb[TEXT_MAX];
	char			 dth[64], diso[32], num[32];
	lxw_row_t		 r = 0, first, last;
	struct buf		 dist;
	size_t			 i, j, k;

	ra = json_array_get(json_object_get(doc, "rounds"), 0);
	rb = json_array_get(json_object_get(doc, "rounds"), 1);
	xlsx_house(wb, &f.h);
	f.num = workbook_add_format(wb);
	format_set_num_format(f.num, "0.00");
	format_set_align(f.num, LXW_ALIGN_VERTICAL_TOP);
	if ((ws = workbook_add_worksheet(wb, SHEET_COMPARE)) == NULL ||
	    (wk = workbook_add_worksheet(wb, SHEET_WEAK)) == NULL ||
	    (wu = workbook_add_worksheet(wb, SHEET_UNITS)) == NULL)
		return -1;
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 2, 44, NULL);
	worksheet_set_column(ws, 3, 12, 14, NULL);
	snprintf(t, sizeof(t), "เปรียบเทียบผลการประเมิน ITA (%s) / ITA "
	    "results compared (%s)", json_string_value(json_object_get(doc,
	    "instrument")), json_string_value(json_object_get(doc,
	    "instrument")));
	worksheet_write_string(ws, r++, 0, t, f.h.title);
	r++;
	fact(ws, r++, &f, "หน่วยงาน / Agency", agency[0] != '\0' ? agency :
	    "(ยังไม่ได้ตั้งชื่อหน่วยงาน / agency name not set)");
	snprintf(ta, sizeof(ta), "(ก) %s", json_string_value(json_object_get(
	    ra, "title")));
	snprintf(tb, sizeof(tb), "(ข) %s", json_string_value(json_object_get(
	    rb, "title")));
	snprintf(t, sizeof(t), "%s (รอบที่ / round %lld)", ta,
	    (long long)json_integer_value(json_object_get(ra, "id")));
	fact(ws, r++, &f, "รอบ ก / Round A", t);
	snprintf(t, sizeof(t), "%s (รอบที่ / round %lld)", tb,
	    (long long)json_integer_value(json_object_get(rb, "id")));
	fact(ws, r++, &f, "รอบ ข / Round B", t);
	snprintf(num, sizeof(num), "%.2f", json_number_value(json_object_get(
	    doc, "target")));
	fact(ws, r++, &f, "เป้าหมาย / Target", num);
	xlsx_day(time(NULL), dth, sizeof(dth), diso, sizeof(diso));
	snprintf(t, sizeof(t), "%s / %s", dth, diso);
	fact(ws, r++, &f, "วันที่จัดทำ / Date made", t);
	fact(ws, r++, &f, "หมายเหตุ / Note", "เปลี่ยนแปลง = ก − ข; ช่วง 95% "
	    "คำนวณจากจำนวนคำตอบ (ดู README) / change = A − B; 95% intervals "
	    "from the answer counts (see README)");
	r++;
	fig_head(ws, r++, &f, "ตัวชี้วัด / Indicator", ta, tb);
	first = r;
	json_array_foreach(json_object_get(doc, "indicators"), i, ind)
		fig_row(ws, r++, &f, ind, "name");
	last = r - 1;
	r++;
	worksheet_write_string(ws, r, 0, "คะแนนรวม / Overall", f.h.label);
	num_cell(ws, r, 3, json_object_get(json_object_get(doc, "score"), "a"),
	    f.num);
	num_cell(ws, r, 4, json_object_get(json_object_get(doc, "score"), "b"),
	    f.num);
	num_cell(ws, r, 5, json_object_get(json_object_get(doc, "score"),
	    "change"), f.num);
	r += 2;
	fig_head(ws, r++, &f, "ข้อ / Item", ta, tb);
	json_array_foreach(json_object_get(doc, "indicators"), i, ind)
		json_array_foreach(json_object_get(ind, "items"), j, it)
			fig_row(ws, r++, &f, it, "text");

	if (last >= first) {
		if ((c = workbook_add_chart(wb, LXW_CHART_COLUMN)) == NULL)
			return -1;
		snprintf(t, sizeof(t), "คะแนนรายตัวชี้วัด ก เทียบ ข (เป้าหมาย "
		    "%s) / Indicator scores, A against B (target %s)", num,
		    num);
		chart_title_set_name(c, t);
		if ((s = chart_add_series(c, NULL, NULL)) == NULL)
			return -1;
		chart_series_set_categories(s, SHEET_COMPARE, first, 1, last, 1);
		chart_series_set_values(s, SHEET_COMPARE, first, 3, last, 3);
		chart_series_set_name(s, ta);
		if ((s = chart_add_series(c, NULL, NULL)) == NULL)
			return -1;
		chart_series_set_categories(s, SHEET_COMPARE, first, 1, last, 1);
		chart_series_set_values(s, SHEET_COMPARE, first, 4, last, 4);
		chart_series_set_name(s, tb);
		chart_axis_set_min(c->y_axis, 0);
		chart_axis_set_max(c->y_axis, 100);
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		memset(&co, 0, sizeof(co));
		co.x_scale = 2;
		co.y_scale = 1.6;
		if (worksheet_insert_chart_opt(ws, r + 1, 0, c, &co) !=
		    LXW_NO_ERROR)
			return -1;
	}

	r = 0;
	worksheet_set_column(wk, 0, 0, 10, NULL);
	worksheet_set_column(wk, 1, 2, 40, NULL);
	worksheet_set_column(wk, 3, 6, 12, NULL);
	worksheet_set_column(wk, 7, 9, 50, NULL);
	snprintf(t, sizeof(t), "ข้อที่ต่ำกว่าเป้าหมาย %s เรียงจากต่ำสุด / Items "
	    "below the target %s, weakest first: %s", num, num, ta);
	worksheet_write_string(wk, r++, 0, t, f.h.title);
	r++;
	{
		static const char *const heads[] = { "รหัส / Code",
		    "ข้อ / Item", "ตัวชี้วัด / Indicator", "คะแนน / Score",
		    "ช่วง 95% ต่ำสุด / low", "ช่วง 95% สูงสุด / high",
		    "เปลี่ยนแปลงจาก ข / Change since B",
		    "คำตอบ / Answers", "แนวทาง / Guidance",
		    "Guidance (English)" };

		for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
			worksheet_write_string(wk, r, (lxw_col_t)i, heads[i],
			    f.h.head);
		r++;
	}
	json_array_foreach(json_object_get(doc, "weak"), i, w) {
		str_cell(wk, r, 0, json_string_value(json_object_get(w,
		    "code")), f.h.text);
		str_cell(wk, r, 1, lab(w, "text", "th"), f.h.text);
		snprintf(t, sizeof(t), "%s %s", json_string_value(
		    json_object_get(json_object_get(w, "indicator"), "code")),
		    lab(json_object_get(w, "indicator"), "name", "th"));
		str_cell(wk, r, 2, t, f.h.text);
		num_cell(wk, r, 3, json_object_get(w, "score"), f.num);
		num_cell(wk, r, 4, json_object_get(w, "low"), f.num);
		num_cell(wk, r, 5, json_object_get(w, "high"), f.num);
		num_cell(wk, r, 6, json_object_get(w, "change"), f.num);
		buf_init(&dist, TEXT_MAX * 4);
		json_array_foreach(json_object_get(w, "distribution"), j, q) {
			if (buf_printf(&dist, "%s%s (n=%lld):", j > 0 ? "\n" :
			    "", json_string_value(json_object_get(q,
			    "question")), (long long)json_integer_value(
			    json_object_get(q, "n"))) == -1)
				break;
			json_array_foreach(json_object_get(q, "options"), k, op)
				if (buf_printf(&dist, " %s %.2f%%",
				    lab(op, "label", "th"), json_number_value(
				    json_object_get(op, "percent"))) == -1)
					break;
		}
		str_cell(wk, r, 7, dist.p, f.h.text);
		buf_free(&dist);
		g = json_object_get(w, "guidance");
		str_cell(wk, r, 8, json_string_value(json_object_get(g, "th")),
		    f.h.text);
		str_cell(wk, r, 9, json_string_value(json_object_get(g, "en")),
		    f.h.text);
		r++;
	}
	return units_sheet(wu, &f, doc);
}

/*
 * Export the comparison of round a with round b in fmt to out, which the
 * caller delivers only on ERR_OK: the audit line ("export", what
 * "compare") is written first, as export_round() does.  Errors as
 * compare_rounds(), and ERR_UNAVAILABLE when the audit line fails.
 */
enum err
export_compare(struct app *app, const char *actor, int64_t a, int64_t b,
    enum export_format fmt, FILE *out)
{
	json_t			*doc = NULL;
	lxw_workbook		*wb = NULL;
	lxw_workbook_options	 wbo;
	char			 tmpl[] = "/tmp/ita-survey-xlsx-XXXXXX";
	static char		 tmpdir[] = "/tmp";
	char			*agency = NULL;
	int			 fd = -1, rc;
	enum err		 e;

	if ((e = compare_rounds(app, a, b, &doc)) != ERR_OK)
		return e;
	e = ERR_INTERNAL;
	if (fmt == EXPORT_JSON) {
		if (json_dumpf(doc, out, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10)) == -1)
			goto out;
		fputc('\n', out);
	} else if (fmt == EXPORT_CSV)
		compare_csv(doc, out);
	else {
		if ((fd = mkstemp(tmpl)) == -1) {
			log_err("%s: mkstemp: %s", __func__, strerror(errno));
			goto out;
		}
		if (settings_get(app, SETTING_AGENCY, &agency) != ERR_OK)
			goto out;
		memset(&wbo, 0, sizeof(wbo));
		wbo.tmpdir = tmpdir;
		if ((wb = workbook_new_opt(tmpl, &wbo)) == NULL)
			goto out;
		if (compare_xlsx(wb, doc, agency) == -1) {
			log_err("%s: rounds %lld, %lld: xlsx failed", __func__,
			    (long long)a, (long long)b);
			goto out;
		}
		rc = (int)workbook_close(wb);
		wb = NULL;
		if (rc != LXW_NO_ERROR) {
			log_err("%s: xlsx: %s", __func__,
			    lxw_strerror((lxw_error)rc));
			goto out;
		}
		if (export_copy_path(tmpl, out) == -1)
			goto out;
	}
	if (fflush(out) == EOF || ferror(out)) {
		log_err("%s: write failed", __func__);
		goto out;
	}
	db_lock(app->db);
	rc = audit_add(app->db, actor, "export", json_pack("{s:I, s:s, s:s, "
	    "s:s, s:I}", "round", (json_int_t)a, "title", json_string_value(
	    json_object_get(json_array_get(json_object_get(doc, "rounds"), 0),
	    "title")), "what", "compare", "format", export_ext(fmt), "with",
	    (json_int_t)b));
	db_unlock(app->db);
	e = rc == 0 ? ERR_OK : ERR_UNAVAILABLE;
out:
	if (wb != NULL)
		workbook_close(wb);
	if (fd != -1) {
		close(fd);
		unlink(tmpl);
	}
	free(agency);
	json_decref(doc);
	return e;
}
