/* SPDX-License-Identifier: ISC */
/*
 * The per-unit scores (units.c) as an export: JSON (the document), CSV
 * (one row per unit, indicator and item, every column meaning one thing)
 * and XLSX for the committee (a title block, one row per unit with its
 * indicators, a chart of the shown units against the target).  Hidden
 * units are listed by name, with no figure, in every format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlsx.h"

#define SHEET_UNITS	"หน่วยงาน"
#define HIDDEN_TH	"ไม่แสดง (ผู้ตอบน้อยกว่าเกณฑ์ หรือซ่อนไว้คู่กัน)"
#define HIDDEN_EN	"hidden (too few, or hidden with one)"

static const char *
str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static const char *
label(json_t *o, const char *key, const char *lang)
{
	const char	*s = json_string_value(json_object_get(
			    json_object_get(o, key), lang));

	return s != NULL ? s : "";
}

/* unit,shown,level,code,name_th,name_en,score,respondents */
static void
csv_row(FILE *out, json_t *u, const char *level, const char *code,
    const char *th, const char *en, json_t *score)
{
	int	shown = json_is_true(json_object_get(u, "shown"));

	export_csv_field(out, str(u, "name"), 0);
	export_csv_field(out, shown ? "true" : "false", 0);
	export_csv_field(out, level, 0);
	export_csv_field(out, code, 0);
	export_csv_field(out, th, 0);
	export_csv_field(out, en, 0);
	export_csv_number(out, score, 0);
	export_csv_number(out, shown ? json_object_get(u, "respondents") : NULL, 1);
}

static void
units_csv(json_t *doc, FILE *out)
{
	json_t	*u, *ind, *it, *head, *hit;
	size_t	 i, k, j;

	fputs("\xEF\xBB\xBF", out);
	fputs("unit,shown,level,code,name_th,name_en,score,respondents\r\n",
	    out);
	json_array_foreach(json_object_get(doc, "units"), i, u) {
		csv_row(out, u, "unit", "", "", "", json_object_get(u,
		    "score"));
		json_array_foreach(json_object_get(u, "indicators"), k, ind) {
			head = json_array_get(json_object_get(doc,
			    "indicators"), k);
			csv_row(out, u, "indicator", str(ind, "code"),
			    label(head, "name", "th"), label(head, "name",
			    "en"), json_object_get(ind, "score"));
			json_array_foreach(json_object_get(ind, "items"), j,
			    it) {
				hit = json_array_get(json_object_get(head,
				    "items"), j);
				csv_row(out, u, "item", str(it, "code"),
				    label(hit, "text", "th"), label(hit, "text",
				    "en"), json_object_get(it, "score"));
			}
		}
	}
}

/*
 * The workbook: title block, one row per unit (name, respondents,
 * score, grade, then each indicator), and a column chart of the shown
 * units' scores.  Written row by row (constant memory).  0 or -1.
 */
static int
units_xlsx(lxw_workbook *wb, json_t *doc, const char *agency)
{
	struct xlsx_house	 h;
	lxw_worksheet		*ws;
	lxw_format		*num;
	lxw_chart		*c;
	lxw_chart_series	*s;
	json_t			*u, *ind, *inds = json_object_get(doc,
				    "indicators");
	char			 a[1024], dth[64], diso[32];
	lxw_row_t		 row = 0, first, last = 0;
	lxw_col_t		 col;
	size_t			 i, k, nshown = 0;

	if ((ws = workbook_add_worksheet(wb, SHEET_UNITS)) == NULL)
		return -1;
	xlsx_house(wb, &h);
	num = workbook_add_format(wb);
	format_set_num_format(num, "0.00");
	format_set_align(num, LXW_ALIGN_VERTICAL_TOP);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 3, 12, NULL);
	worksheet_set_column(ws, 4, (lxw_col_t)(4 + json_array_size(inds)),
	    16, NULL);
	snprintf(a, sizeof(a), "%s: ผลการประเมินรายหน่วยงาน (%s) / results "
	    "by unit", str(doc, "title"), str(doc, "instrument"));
	worksheet_write_string(ws, row++, 0, a, h.title);
	row++;
	worksheet_write_string(ws, row, 0, "หน่วยงาน / Agency", h.label);
	worksheet_write_string(ws, row++, 1, agency[0] != '\0' ? agency :
	    "(ยังไม่ได้ตั้งชื่อหน่วยงาน / not set)", h.text);
	snprintf(a, sizeof(a), "รอบที่ %lld / round %lld",
	    (long long)json_integer_value(json_object_get(doc, "round")),
	    (long long)json_integer_value(json_object_get(doc, "round")));
	worksheet_write_string(ws, row, 0, "รอบการสำรวจ / Round", h.label);
	worksheet_write_string(ws, row++, 1, a, h.text);
	snprintf(a, sizeof(a), "แสดงเฉพาะหน่วยงานที่มีผู้ตอบอย่างน้อย %lld "
	    "คน นับเป็นขั้นละ %lld คน; เมื่อซ่อนเพียงกลุ่มเดียว จะซ่อน"
	    "หน่วยงานที่เล็กที่สุดถัดไปด้วย เพื่อไม่ให้คำนวณย้อนจากผลรวมได้ / "
	    "units are shown from %lld responses on, in steps of %lld; when "
	    "only one group would be hidden, the next smallest is hidden too",
	    (long long)json_integer_value(json_object_get(doc, "min_cell")),
	    (long long)json_integer_value(json_object_get(doc, "min_cell")),
	    (long long)json_integer_value(json_object_get(doc, "min_cell")),
	    (long long)json_integer_value(json_object_get(doc, "min_cell")));
	worksheet_write_string(ws, row, 0, "การปกปิด / Protection", h.label);
	worksheet_write_string(ws, row++, 1, a, h.text);
	xlsx_day(time(NULL), dth, sizeof(dth), diso, sizeof(diso));
	snprintf(a, sizeof(a), "%s / %s", dth, diso);
	worksheet_write_string(ws, row, 0, "วันที่จัดทำ / Made on", h.label);
	worksheet_write_string(ws, row++, 1, a, h.text);
	row++;
	worksheet_write_string(ws, row, 0, "หน่วยงาน / Unit", h.head);
	worksheet_write_string(ws, row, 1, "ผู้ตอบ / Respondents", h.head);
	worksheet_write_string(ws, row, 2, "คะแนน / Score", h.head);
	worksheet_write_string(ws, row, 3, "ระดับ / Grade", h.head);
	json_array_foreach(inds, k, ind) {
		snprintf(a, sizeof(a), "%s %s / %s", str(ind, "code"),
		    label(ind, "name", "th"), label(ind, "name", "en"));
		worksheet_write_string(ws, row, (lxw_col_t)(4 + k), a, h.head);
	}
	first = ++row;
	/* Shown units first, so that the chart's range holds only them. */
	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(doc, "units"), i, u) {
			if (json_is_true(json_object_get(u, "shown")) != !k)
				continue;
			worksheet_write_string(ws, row, 0, str(u, "name"),
			    h.text);
			if (k == 1) {
				worksheet_write_string(ws, row++, 1, HIDDEN_TH
				    " / " HIDDEN_EN, h.text);
				continue;
			}
			nshown++;
			worksheet_write_number(ws, row, 1, (double)
			    json_integer_value(json_object_get(u,
			    "respondents")), h.text);
			if (json_is_number(json_object_get(u, "score")))
				worksheet_write_number(ws, row, 2,
				    json_number_value(json_object_get(u,
				    "score")), num);
			worksheet_write_string(ws, row, 3, str(u, "grade"),
			    h.text);
			json_array_foreach(json_object_get(u, "indicators"),
			    col, ind)
				if (json_is_number(json_object_get(ind,
				    "score")))
					worksheet_write_number(ws, row,
					    (lxw_col_t)(4 + col),
					    json_number_value(json_object_get(
					    ind, "score")), num);
			last = row++;
		}
	if (nshown == 0)
		return 0;
	if ((c = workbook_add_chart(wb, LXW_CHART_COLUMN)) == NULL ||
	    (s = chart_add_series(c, NULL, NULL)) == NULL)
		return -1;
	chart_title_set_name(c, "คะแนนรายหน่วยงาน / Score by unit");
	chart_series_set_categories(s, SHEET_UNITS, first, 0, last, 0);
	chart_series_set_values(s, SHEET_UNITS, first, 2, last, 2);
	chart_series_set_name(s, "คะแนน / Score");
	chart_axis_set_min(c->y_axis, 0);
	chart_axis_set_max(c->y_axis, 100);
	chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
	return worksheet_insert_chart(ws, row + 1, 0, c) == LXW_NO_ERROR ?
	    0 : -1;
}

/*
 * Write round's per-unit scores in fmt to out.  ERR_NO_ROUND,
 * ERR_FORM_MISSING, ERR_INTERNAL.
 */
enum err
units_export(struct app *app, int64_t round, enum export_format fmt,
    FILE *out)
{
	json_t			*doc = NULL;
	lxw_workbook		*wb;
	lxw_workbook_options	 wbo;
	char			*agency = NULL;
	char			 tmpl[] = "/tmp/ita-survey-units-XXXXXX";
	static char		 tmpdir[] = "/tmp";
	enum err		 e;
	int			 fd = -1, rc;

	if ((e = units_document(app, round, &doc)) != ERR_OK)
		return e;
	e = ERR_INTERNAL;
	switch (fmt) {
	case EXPORT_JSON:
		if (json_dumpf(doc, out, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10)) == 0 && fputc('\n', out) != EOF)
			e = ERR_OK;
		break;
	case EXPORT_CSV:
		units_csv(doc, out);
		e = ERR_OK;
		break;
	case EXPORT_XLSX:
		if (settings_get(app, SETTING_AGENCY, &agency) != ERR_OK)
			break;
		if ((fd = mkstemp(tmpl)) == -1) {
			log_err("%s: mkstemp: %s", __func__, strerror(errno));
			break;
		}
		memset(&wbo, 0, sizeof(wbo));
		wbo.constant_memory = LXW_TRUE;
		wbo.tmpdir = tmpdir;
		if ((wb = workbook_new_opt(tmpl, &wbo)) == NULL)
			break;
		rc = units_xlsx(wb, doc, agency);
		if (workbook_close(wb) == LXW_NO_ERROR && rc == 0 &&
		    export_copy_path(tmpl, out) == 0)
			e = ERR_OK;
		break;
	}
	if (fd != -1) {
		close(fd);
		unlink(tmpl);
	}
	free(agency);
	json_decref(doc);
	if (e == ERR_OK && (fflush(out) == EOF || ferror(out)))
		e = ERR_INTERNAL;
	return e;
}
