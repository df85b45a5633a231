/* SPDX-License-Identifier: ISC */
/*
 * The workbook a working group hands its committee, which must say what
 * it is without anyone to explain it: on the first sheet a title block
 * (agency, round, questionnaire and its fiscal year, state, respondents
 * in steps, sample status in words, date made), the indicator scores and
 * a chart of them against the target line; the same facts in the
 * document properties; Thai first with English beside it.  While the
 * minimum sample is not met every figure says "preliminary" in words and
 * in style.  export.c opens the workbook and streams the response rows;
 * this file writes everything else.  Every figure comes from the scores
 * document, so the file and the console cannot disagree.
 */
#define _GNU_SOURCE		/* RTLD_NEXT */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xlsx.h"
#include <xlsxwriter/packager.h>	/* minizip's zip.h */

/* Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules). */
#define SHEET_SCORES	"คะแนน"
#define SHEET_RESPONSES	"คำตอบ"

#define TEXT_MAX	1024	/* bytes of one composed cell or property */

/* Colours: an amber fill and brown text mark what is preliminary. */
#define AMBER_FILL	0xFFEB9C
#define AMBER_TEXT	0x7A4B00
#define SCORE_FILL	0x2E75B6	/* the chart's columns */
#define PRE_FILL	0xE0A100	/* and while they are preliminary */
#define TARGET_LINE	0xC00000	/* the chart's target line */

/* The chart's value axis: scores are on 0 to 100 (API.md). */
#define SCORE_AXIS_MAX	100
#define SCORE_AXIS_STEP	20

/* Axis ids of the chart's plot area: unique inside the chart part. */
#define AXIS_CAT	50010001
#define AXIS_VAL	50010002

struct fmt {
	lxw_format	*title;		/* the sheet's heading */
	lxw_format	*label;		/* a row's label, bold */
	lxw_format	*head;		/* a table's column heading */
	lxw_format	*text;		/* plain, top-aligned */
	lxw_format	*num;		/* a score, two decimals */
	lxw_format	*pre;		/* preliminary text */
	lxw_format	*prenum;	/* a preliminary score */
};

static const char *const months_th[12] = {
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
};

/* The Buddhist era is the common era plus 543. */
#define BE_OFFSET	543

static const char *
str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s == NULL ? "" : s;
}

static long long
num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static const char *
label(json_t *o, const char *key, const char *lang)
{
	const char	*s = json_string_value(json_object_get(
	    json_object_get(o, key), lang));

	return s == NULL ? "" : s;
}

/*
 * The fiscal year (Buddhist era) of form f, read from its id: the first
 * run of exactly four digits from 2400 to 2999, as in "ita-2563-iit".
 * 0 when the id has none: forms carry no year of their own, and a year
 * guessed wrong on the committee's copy is worse than none.
 */
static int
fiscal_year(const struct form *f)
{
	const char	*p = f->id, *q;
	int		 y;

	while (*p != '\0') {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		for (q = p, y = 0; *q >= '0' && *q <= '9'; q++)
			if (q - p < 5)
				y = y * 10 + (*q - '0');
		if (q - p == 4 && y >= 2400 && y <= 2999)
			return y;
		p = q;
	}
	return 0;
}

/*
 * The sample status in words, Thai and English:  "preliminary: N of M
 * minimum" while the minimum sample is not met, else "minimum sample
 * met"; N is the stepped respondents figure the document carries.
 */
static void
sample_words(json_t *doc, char *th, size_t thsz, char *en, size_t ensz)
{
	json_t		*s = json_object_get(doc, "sample");
	long long	 n = num(s, "respondents"), m = num(s, "minimum");

	if (json_is_true(json_object_get(doc, "preliminary"))) {
		snprintf(th, thsz, "ผลเบื้องต้น: ผู้ตอบ %lld จากขั้นต่ำ %lld คน",
		    n, m);
		snprintf(en, ensz, "preliminary: %lld of %lld minimum", n, m);
	} else {
		snprintf(th, thsz, "ครบขนาดตัวอย่างขั้นต่ำแล้ว (ผู้ตอบ %lld "
		    "จากขั้นต่ำ %lld คน)", n, m);
		snprintf(en, ensz, "minimum sample met (%lld of %lld minimum)",
		    n, m);
	}
}

/* A figure of the document as text: "85", "84.50"; "" when none. */
static void
number_text(json_t *v, char *buf, size_t sz)
{
	if (json_is_integer(v))
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
	else if (json_is_number(v))
		snprintf(buf, sz, "%.2f", json_number_value(v));
	else
		buf[0] = '\0';
}

static int
preliminary(const struct xlsx_facts *x)
{
	return json_is_true(json_object_get(x->doc, "preliminary"));
}

/*
 * The local day of t as a committee reads it, "2 ธันวาคม 2569" (Buddhist
 * era), and as "2026-12-02".  Also for the OIT workbook (oitxlsx.c).
 */
void
xlsx_day(time_t t, char *th, size_t thsz, char *iso, size_t isosz)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(th, thsz, "%d %s %d", tm.tm_mday, months_th[tm.tm_mon % 12],
	    tm.tm_year + 1900 + BE_OFFSET);
	snprintf(iso, isosz, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
}

/* The day the file is made, as "2 ธันวาคม 2569" and "2026-12-02". */
static void
made_on(char *th, size_t thsz, char *iso, size_t isosz)
{
	xlsx_day(time(NULL), th, thsz, iso, isosz);
}

static void
state_words(const struct round *rd, const char **th, const char **en)
{
	if (rd->open) {
		*th = "เปิดรับคำตอบอยู่";
		*en = "open for responses";
	} else if (rd->final) {
		*th = "ปิดถาวร (ส่งออกคำตอบรายบุคคลแล้ว)";
		*en = "final (responses exported)";
	} else {
		*th = "ปิดรับคำตอบแล้ว";
		*en = "closed";
	}
}

/*
 * The document properties (File > Properties): the title block's facts
 * for whoever reads them without opening a sheet.  0 or -1.
 */
int
xlsx_properties(lxw_workbook *wb, const struct xlsx_facts *x)
{
	lxw_doc_properties	 p;
	char			 sth[256], sen[128], dth[64], diso[32];
	const struct form	*f = x->form;
	int			 rc;

	sample_words(x->doc, sth, sizeof(sth), sen, sizeof(sen));
	made_on(dth, sizeof(dth), diso, sizeof(diso));
	memset(&p, 0, sizeof(p));
	p.title = xasprintf("%s: %s", x->round->title,
	    x->what == EXPORT_RESPONSES ? "คำตอบรายบุคคลและคะแนน / "
	    "responses and scores" : "คะแนน / scores");
	p.subject = xasprintf("%s / %s", f->title.th, f->title.en);
	/* libxlsxwriter copies every property: the casts lend, not give. */
	p.company = x->agency[0] != '\0' ? (char *)x->agency : NULL;
	p.category = xasprintf("ITA %s", f->instrument);
	p.keywords = xasprintf("ITA, %s, %s, round %lld", f->instrument,
	    f->id, (long long)x->round->id);
	p.comments = xasprintf("%s / %s. ผู้ตอบ %lld คน (นับเป็นขั้นละ %lld "
	    "คน) / %lld respondents (in steps of %lld). จัดทำเมื่อ %s / made "
	    "on %s.", sth, sen, num(x->doc, "respondents"),
	    num(x->doc, "min_cell"), num(x->doc, "respondents"),
	    num(x->doc, "min_cell"), dth, diso);
	p.status = xasprintf("%s", preliminary(x) ? "ผลเบื้องต้น / "
	    "preliminary" : "ครบขนาดตัวอย่าง / minimum sample met");
	rc = workbook_set_properties(wb, &p) == LXW_NO_ERROR ? 0 : -1;
	free(p.title);
	free(p.subject);
	free(p.category);
	free(p.keywords);
	free(p.comments);
	free(p.status);
	return rc;
}

/* The formats of the house style, added to wb. */
void
xlsx_house(lxw_workbook *wb, struct xlsx_house *h)
{
	h->title = workbook_add_format(wb);
	format_set_bold(h->title);
	format_set_font_size(h->title, 14);
	h->label = workbook_add_format(wb);
	format_set_bold(h->label);
	format_set_align(h->label, LXW_ALIGN_VERTICAL_TOP);
	h->head = workbook_add_format(wb);
	format_set_bold(h->head);
	format_set_text_wrap(h->head);
	format_set_align(h->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(h->head, LXW_BORDER_THIN);
	h->text = workbook_add_format(wb);
	format_set_align(h->text, LXW_ALIGN_VERTICAL_TOP);
}

static void
formats(lxw_workbook *wb, struct fmt *f)
{
	struct xlsx_house	h;

	xlsx_house(wb, &h);
	f->title = h.title;
	f->label = h.label;
	f->head = h.head;
	f->text = h.text;
	f->num = workbook_add_format(wb);
	format_set_num_format(f->num, "0.00");
	f->pre = workbook_add_format(wb);
	format_set_italic(f->pre);
	format_set_bold(f->pre);
	format_set_font_color(f->pre, AMBER_TEXT);
	format_set_bg_color(f->pre, AMBER_FILL);
	f->prenum = workbook_add_format(wb);
	format_set_italic(f->prenum);
	format_set_font_color(f->prenum, AMBER_TEXT);
	format_set_bg_color(f->prenum, AMBER_FILL);
	format_set_num_format(f->prenum, "0.00");
}

/* A label in column A and Thai / English values in B and C. */
static void
fact(lxw_worksheet *ws, lxw_row_t row, const struct fmt *f,
    const char *name, const char *th, const char *en, lxw_format *vf)
{
	worksheet_write_string(ws, row, 0, name, f->label);
	if (th != NULL && th[0] != '\0')
		worksheet_write_string(ws, row, 1, th, vf != NULL ? vf :
		    f->text);
	if (en != NULL && en[0] != '\0')
		worksheet_write_string(ws, row, 2, en, vf != NULL ? vf :
		    f->text);
}

/* A score cell, or nothing when the document has none. */
static void
score_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v,
    lxw_format *fmt)
{
	if (json_is_number(v))
		worksheet_write_number(ws, row, col, json_number_value(v), fmt);
}

/* Escape text for XML character data or an attribute. */
static void
xml_text(FILE *out, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc(*s, out);
		}
}

/* One series of the chart: its name, categories and values. */
static void
series_xml(FILE *out, const lxw_chart_series *s, unsigned idx,
    unsigned fill)
{
	fprintf(out, "<c:ser><c:idx val=\"%u\"/><c:order val=\"%u\"/>",
	    idx, idx);
	if (s->title.name != NULL) {
		fputs("<c:tx><c:v>", out);
		xml_text(out, s->title.name);
		fputs("</c:v></c:tx>", out);
	}
	if (idx == 0)
		fprintf(out, "<c:spPr><a:solidFill><a:srgbClr val=\"%06X\"/>"
		    "</a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>"
		    "<c:dLbls><c:numFmt formatCode=\"0.00\" "
		    "sourceLinked=\"0\"/><c:dLblPos val=\"outEnd\"/>"
		    "<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/>"
		    "<c:showCatName val=\"0\"/><c:showSerName val=\"0\"/>"
		    "<c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/>"
		    "</c:dLbls>", fill);
	else
		fprintf(out, "<c:spPr><a:ln w=\"28575\"><a:solidFill>"
		    "<a:srgbClr val=\"%06X\"/></a:solidFill>"
		    "<a:prstDash val=\"dash\"/></a:ln></c:spPr>"
		    "<c:marker><c:symbol val=\"dash\"/><c:size val=\"12\"/>"
		    "<c:spPr><a:solidFill><a:srgbClr val=\"%06X\"/>"
		    "</a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>"
		    "</c:marker>", TARGET_LINE, TARGET_LINE);
	if (s->categories != NULL && s->categories->formula != NULL) {
		fputs("<c:cat><c:strRef><c:f>", out);
		xml_text(out, s->categories->formula);
		fputs("</c:f></c:strRef></c:cat>", out);
	}
	if (s->values != NULL && s->values->formula != NULL) {
		fputs("<c:val><c:numRef><c:f>", out);
		xml_text(out, s->values->formula);
		fputs("</c:f></c:numRef></c:val>", out);
	}
	fputs(idx == 0 ? "</c:ser>" : "<c:smooth val=\"0\"/></c:ser>", out);
}

/*
 * The scores chart's plot area: its first series as columns of colour
 * fill, the others (the target) as lines, on one pair of axes from 0 to
 * 100.  libxlsxwriter 1.1.4 (Debian 12) cannot combine chart types, so
 * this one part of the chart is written here; libxlsxwriter calls it
 * through the chart's write_plot_area member and writes everything
 * around it (title, legend, the drawing, the relations).  It reads only
 * what chart_series_set_*() stored: names and cell ranges.  No cached
 * values are written: spreadsheets read the cells the ranges name.
 */
static void
plot_area(lxw_chart *c, unsigned fill)
{
	FILE			*out = c->file;
	lxw_chart_series	*s;
	unsigned		 idx = 0;

	fputs("<c:plotArea><c:layout/><c:barChart><c:barDir val=\"col\"/>"
	    "<c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>", out);
	STAILQ_FOREACH(s, c->series_list, list_pointers) {
		if (idx == 1)
			fputs("<c:lineChart><c:grouping val=\"standard\"/>"
			    "<c:varyColors val=\"0\"/>", out);
		series_xml(out, s, idx, fill);
		if (idx == 0)
			fprintf(out, "<c:gapWidth val=\"80\"/><c:axId val=\"%d\"/>"
			    "<c:axId val=\"%d\"/></c:barChart>", AXIS_CAT,
			    AXIS_VAL);
		idx++;
	}
	if (idx > 1)
		fprintf(out, "<c:marker val=\"1\"/><c:axId val=\"%d\"/>"
		    "<c:axId val=\"%d\"/></c:lineChart>", AXIS_CAT, AXIS_VAL);
	fprintf(out, "<c:catAx><c:axId val=\"%d\"/><c:scaling>"
	    "<c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/>"
	    "<c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" "
	    "sourceLinked=\"1\"/><c:majorTickMark val=\"out\"/>"
	    "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>"
	    "<c:crossAx val=\"%d\"/><c:crosses val=\"autoZero\"/>"
	    "<c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>"
	    "<c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
	    "<c:valAx><c:axId val=\"%d\"/><c:scaling>"
	    "<c:orientation val=\"minMax\"/><c:max val=\"%d\"/>"
	    "<c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/>"
	    "<c:axPos val=\"l\"/><c:majorGridlines/>"
	    "<c:numFmt formatCode=\"General\" sourceLinked=\"1\"/>"
	    "<c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>"
	    "<c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"%d\"/>"
	    "<c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/>"
	    "<c:majorUnit val=\"%d\"/></c:valAx></c:plotArea>", AXIS_CAT,
	    AXIS_VAL, AXIS_VAL, SCORE_AXIS_MAX, AXIS_CAT, SCORE_AXIS_STEP);
}

static void
plot_area_final(lxw_chart *c)
{
	plot_area(c, SCORE_FILL);
}

/* While the sample is short the columns are amber, as the cells are. */
static void
plot_area_preliminary(lxw_chart *c)
{
	plot_area(c, PRE_FILL);
}

/*
 * The chart of the indicator rows first..last: scores (column D) as
 * columns, the target (column E) as a line, the Thai names (column B) as
 * categories, titled with the round.  0 or -1.
 */
static int
chart(lxw_workbook *wb, lxw_worksheet *ws, const struct xlsx_facts *x,
    lxw_row_t first, lxw_row_t last, lxw_row_t at)
{
	lxw_chart		*c;
	lxw_chart_series	*s;
	lxw_chart_options	 o;
	char			*title, target[128], num[32];

	if ((c = workbook_add_chart(wb, LXW_CHART_COLUMN)) == NULL)
		return -1;
	title = xasprintf("คะแนนรายตัวชี้วัด / Indicator scores: %s%s",
	    x->round->title, preliminary(x) ? " (ผลเบื้องต้น / preliminary)" :
	    "");
	chart_title_set_name(c, title);
	free(title);
	number_text(json_object_get(x->doc, "target"), num, sizeof(num));
	snprintf(target, sizeof(target), "เป้าหมาย %s / Target %s", num, num);
	if ((s = chart_add_series(c, NULL, NULL)) == NULL)
		return -1;
	chart_series_set_categories(s, SHEET_SCORES, first, 1, last, 1);
	chart_series_set_values(s, SHEET_SCORES, first, 3, last, 3);
	chart_series_set_name(s, "คะแนน / Score");
	if ((s = chart_add_series(c, NULL, NULL)) == NULL)
		return -1;
	chart_series_set_categories(s, SHEET_SCORES, first, 1, last, 1);
	chart_series_set_values(s, SHEET_SCORES, first, 4, last, 4);
	chart_series_set_name(s, target);
	chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
	c->write_plot_area = preliminary(x) ? plot_area_preliminary :
	    plot_area_final;
	memset(&o, 0, sizeof(o));
	o.x_scale = 2;
	o.y_scale = 1.6;
	return worksheet_insert_chart_opt(ws, at, 0, c, &o) == LXW_NO_ERROR ?
	    0 : -1;
}

/*
 * The first sheet, "คะแนน" (scores): the title block, the indicators'
 * scores with the target, the overall score and grade, and the chart.
 * Rows are written in order: the workbook is in constant-memory mode,
 * which forgets a row once the next one starts.  0 or -1.
 */
int
xlsx_scores(lxw_workbook *wb, const struct xlsx_facts *x)
{
	lxw_worksheet	*ws;
	struct fmt	 f;
	json_t		*doc = x->doc, *sample, *ind, *v;
	const char	*sth, *sen;
	char		 a[TEXT_MAX], b[TEXT_MAX], pth[256], pen[128];
	char		 dth[64], diso[32];
	lxw_format	*pf;
	lxw_row_t	 row = 0, first, last;
	size_t		 i, nind;
	int		 fy, pre = preliminary(x), scored = 0;

	if ((ws = workbook_add_worksheet(wb, SHEET_SCORES)) == NULL)
		return -1;
	formats(wb, &f);
	pf = pre ? f.pre : NULL;
	sample = json_object_get(doc, "sample");
	sample_words(doc, pth, sizeof(pth), pen, sizeof(pen));
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 46, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, 4, 14, NULL);

	snprintf(a, sizeof(a), "%s: ผลการประเมิน ITA (%s) / ITA assessment "
	    "results (%s)", x->round->title, x->form->instrument,
	    x->form->instrument);
	worksheet_write_string(ws, row++, 0, a, f.title);
	if (pre) {
		snprintf(a, sizeof(a), "%s / %s", pth, pen);
		worksheet_write_string(ws, row, 0, a, f.pre);
	}
	row++;
	fact(ws, row++, &f, "หน่วยงาน / Agency", x->agency[0] != '\0' ?
	    x->agency : "(ยังไม่ได้ตั้งชื่อหน่วยงาน)", x->agency[0] != '\0' ?
	    NULL : "(agency name not set)", NULL);
	snprintf(a, sizeof(a), "รอบที่ %lld / round %lld",
	    (long long)x->round->id, (long long)x->round->id);
	fact(ws, row++, &f, "รอบการสำรวจ / Round", x->round->title, a, NULL);
	fact(ws, row++, &f, "แบบวัด / Questionnaire", x->form->title.th,
	    x->form->title.en, NULL);
	if ((fy = fiscal_year(x->form)) != 0) {
		snprintf(a, sizeof(a), "พ.ศ. %d", fy);
		snprintf(b, sizeof(b), "%d (B.E. %d)", fy - BE_OFFSET, fy);
		fact(ws, row++, &f, "ปีงบประมาณของแบบวัด / Questionnaire's "
		    "fiscal year", a, b, NULL);
	}
	state_words(x->round, &sth, &sen);
	fact(ws, row++, &f, "สถานะรอบ / Round state", sth, sen, NULL);
	fact(ws, row, &f, "ผู้ตอบ / Respondents", NULL, NULL, NULL);
	worksheet_write_number(ws, row, 1, (double)num(doc, "respondents"),
	    pf);
	snprintf(a, sizeof(a), "นับเป็นขั้นละ %lld คน / counted in steps of "
	    "%lld", num(doc, "min_cell"), num(doc, "min_cell"));
	worksheet_write_string(ws, row++, 2, a, f.text);
	fact(ws, row, &f, "ขนาดตัวอย่างขั้นต่ำ / Minimum sample", NULL, NULL,
	    NULL);
	worksheet_write_number(ws, row, 1, (double)num(sample, "minimum"),
	    NULL);
	if (json_is_integer(json_object_get(sample, "population")))
		snprintf(a, sizeof(a), "จากประชากร %lld คน / of a population "
		    "of %lld", num(sample, "population"),
		    num(sample, "population"));
	else
		snprintf(a, sizeof(a), "ไม่ได้ระบุจำนวนประชากร / population "
		    "not given");
	worksheet_write_string(ws, row++, 2, a, f.text);
	fact(ws, row++, &f, "สถานะกลุ่มตัวอย่าง / Sample", pth, pen, pf);
	made_on(dth, sizeof(dth), diso, sizeof(diso));
	fact(ws, row++, &f, "วันที่จัดทำ / Date made", dth, diso, NULL);
	row++;

	worksheet_write_string(ws, row, 0, "รหัส / Code", f.head);
	worksheet_write_string(ws, row, 1, "ตัวชี้วัด / Indicator", f.head);
	worksheet_write_string(ws, row, 2, "ชื่อภาษาอังกฤษ / Name in English",
	    f.head);
	worksheet_write_string(ws, row, 3, "คะแนน / Score", f.head);
	worksheet_write_string(ws, row++, 4, "เป้าหมาย / Target", f.head);
	first = row;
	nind = json_array_size(json_object_get(doc, "indicators"));
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		worksheet_write_string(ws, row, 0, str(ind, "code"), f.text);
		worksheet_write_string(ws, row, 1, label(ind, "name", "th"),
		    f.text);
		worksheet_write_string(ws, row, 2, label(ind, "name", "en"),
		    f.text);
		if (json_is_number(json_object_get(ind, "score")))
			scored = 1;
		score_cell(ws, row, 3, json_object_get(ind, "score"),
		    pre ? f.prenum : f.num);
		score_cell(ws, row++, 4, json_object_get(doc, "target"), NULL);
	}
	last = row - 1;
	row++;

	worksheet_write_string(ws, row, 0, "คะแนนรวม / Overall score", f.label);
	score_cell(ws, row++, 3, json_object_get(doc, "score"),
	    pre ? f.prenum : f.num);
	worksheet_write_string(ws, row, 0, "ระดับผล / Grade", f.label);
	v = json_object_get(doc, "grade");
	if (!json_is_string(v))
		snprintf(a, sizeof(a), "ยังไม่เผยแพร่: ผู้ตอบน้อยกว่า %lld คน / "
		    "not published: fewer than %lld respondents",
		    num(doc, "min_cell"), num(doc, "min_cell"));
	else if (pre)
		snprintf(a, sizeof(a), "%s (%s / %s)", json_string_value(v),
		    pth, pen);
	else
		snprintf(a, sizeof(a), "%s", json_string_value(v));
	worksheet_write_string(ws, row++, 3, a, pre || !json_is_string(v) ?
	    f.pre : f.label);
	worksheet_write_string(ws, row, 0, "เป้าหมาย / Target", f.label);
	score_cell(ws, row++, 3, json_object_get(doc, "target"), NULL);
	worksheet_write_string(ws, row, 0, "ผลเทียบเป้าหมาย / Against the "
	    "target", f.label);
	v = json_object_get(doc, "meets_target");
	if (json_is_boolean(v))
		worksheet_write_string(ws, row, 3, json_is_true(v) ?
		    "ถึงเป้าหมาย / meets the target" :
		    "ต่ำกว่าเป้าหมาย / below the target", pf);
	row++;
	worksheet_write_string(ws, row, 0, "คำตอบที่นำมาคิดคะแนน / Responses "
	    "scored", f.label);
	worksheet_write_number(ws, row++, 3, (double)num(doc, "scored"), NULL);

	if (nind == 0 || !scored)
		return 0;
	return chart(wb, ws, x, first, last, row + 1);
}

/*
 * The responses sheet, "คำตอบ": a row of question codes, then a row of
 * their Thai text, frozen above the answers; *first is the row the
 * first answer goes to.  NULL on error.
 */
lxw_worksheet *
xlsx_responses(lxw_workbook *wb, const struct form *form, lxw_row_t *first)
{
	lxw_worksheet	*ws;
	lxw_format	*bold, *wrap;
	size_t		 i;

	if ((ws = workbook_add_worksheet(wb, SHEET_RESPONSES)) == NULL)
		return NULL;
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(wrap, LXW_BORDER_THIN);
	worksheet_set_column(ws, 0, (lxw_col_t)(form->nquestions > 0 ?
	    form->nquestions - 1 : 0), 22, NULL);
	for (i = 0; i < form->nquestions; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i,
		    form->questions[i]->code, bold);
	worksheet_set_row(ws, 1, 150, NULL);
	for (i = 0; i < form->nquestions; i++)
		worksheet_write_string(ws, 1, (lxw_col_t)i,
		    form->questions[i]->text.th, wrap);
	worksheet_freeze_panes(ws, 2, 0);
	*first = 2;
	return ws;
}

/*
 * One answer of the responses sheet: a whole number as the form writes
 * it ("4", "10") as a number, which a committee can sum and average and
 * which is half the XML of a string; anything else ("yes", "04", "1.5")
 * as the text it is, as the CSV has it.
 */
void
xlsx_answer(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *v)
{
	const char	*p;
	double		 d = 0;

	for (p = v; *p >= '0' && *p <= '9' && p - v < 15; p++)
		d = d * 10 + (*p - '0');
	if (*p == '\0' && p != v && (v[0] != '0' || v[1] == '\0'))
		worksheet_write_number(ws, row, col, d, NULL);
	else
		worksheet_write_string(ws, row, col, v, NULL);
}

/*
 * The deflate level of every part of every workbook this program
 * writes.  libxlsxwriter 1.1.4 asks minizip for zlib's default (6) and
 * has no option for it; at 6, deflate was half of the 25 s a
 * million-response export took; at 2 it deflates the same XML four to
 * five times faster into a file about a third bigger (README.md,
 * "Exports").
 */
#define ZIP_LEVEL	2

typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *,
    const void *, uInt, const void *, uInt, const char *, int, int, int,
    int, int, int, const char *, uLong, uLong, uLong, int);

static pthread_once_t	 zip_once = PTHREAD_ONCE_INIT;
static zip_open_fn	 zip_open_real;

static void
zip_open_init(void)
{
	void	*f = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");

	/* ISO C has no cast between object and function pointers. */
	memcpy(&zip_open_real, &f, sizeof(zip_open_real));
}

/*
 * minizip's zipOpenNewFileInZip4_64, which libxlsxwriter calls for each
 * part of the workbook, with ZIP_LEVEL for its level: defined here, the
 * program's own definition is the one the dynamic linker gives
 * libxlsxwriter, and this one calls minizip's.  Were libxlsxwriter ever
 * linked with a minizip of its own, this would go unused and the
 * workbooks would only be smaller and slower.
 */
int
zipOpenNewFileInZip4_64(zipFile file, const char *filename,
    const zip_fileinfo *zipfi, const void *extrafield_local,
    uInt size_extrafield_local, const void *extrafield_global,
    uInt size_extrafield_global, const char *comment, int method,
    int level, int raw, int windowBits, int memLevel, int strategy,
    const char *password, uLong crcForCrypting, uLong versionMadeBy,
    uLong flagBase, int zip64)
{
	pthread_once(&zip_once, zip_open_init);
	if (zip_open_real == NULL)
		return ZIP_INTERNALERROR;
	if (method == Z_DEFLATED && level != 0)
		level = ZIP_LEVEL;
	return zip_open_real(file, filename, zipfi, extrafield_local,
	    size_extrafield_local, extrafield_global, size_extrafield_global,
	    comment, method, level, raw, windowBits, memLevel, strategy,
	    password, crcForCrypting, versionMadeBy, flagBase, zip64);
}
