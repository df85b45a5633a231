/* SPDX-License-Identifier: ISC */
/*
 * Exports of a round: its scores document, and its anonymised responses,
 * as CSV (UTF-8 with a BOM so Excel reads Thai), JSON or XLSX (whose
 * sheets xlsx.c writes).  Responses are streamed row by row in random-id
 * order, never arrival order, and only of a closed round with at least
 * min_cell respondents, which the export makes final
 * (rounds_make_final): two exports with a response between them could
 * be compared to find that one response.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlsx.h"
#include "audit.h"

static const char *const whats[] = { "scores", "responses", "units",
	"compare" };
static const char *const formats[] = { "csv", "json", "xlsx" };

/* Map the query words to enums.  0, or -1 when either is unknown. */
int
export_parse(const char *what, const char *format, enum export_what *w,
    enum export_format *f)
{
	size_t	i;
	int	okw = 0, okf = 0;

	for (i = 0; what != NULL &&
	    i < sizeof(whats) / sizeof(whats[0]); i++)
		if (strcmp(what, whats[i]) == 0) {
			*w = (enum export_what)i;
			okw = 1;
		}
	for (i = 0; format != NULL && i < 3; i++)
		if (strcmp(format, formats[i]) == 0) {
			*f = (enum export_format)i;
			okf = 1;
		}
	return okw && okf ? 0 : -1;
}

const char *
export_mime(enum export_format f)
{
	switch (f) {
	case EXPORT_CSV:
		return "text/csv; charset=utf-8";
	case EXPORT_JSON:
		return "application/json; charset=utf-8";
	default:
		return "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet";
	}
}

const char *
export_ext(enum export_format f)
{
	return formats[f];
}

/* "scores" or "responses". */
const char *
export_what_name(enum export_what w)
{
	return whats[w];
}

/* Leading characters that make a spreadsheet read a cell as a formula. */
#define CSV_FORMULA	"=+-@\t\r\n"

/*
 * Write one CSV field s (NULL is written as "") to out, then "," or, when
 * last, "\r\n".  Quoted, with quotes doubled, when it holds a comma, quote,
 * CR or LF, is empty, or starts with = + - @ TAB CR or LF; text that a
 * spreadsheet would run as a formula also gets a leading apostrophe inside
 * the quotes (OWASP's advice on CSV injection).  Errors show in
 * ferror(out).
 */
void
export_csv_field(FILE *out, const char *s, int last)
{
	const char	*p;
	int		 formula;

	if (s == NULL)
		s = "";
	formula = s[0] != '\0' && strchr(CSV_FORMULA, s[0]) != NULL;
	if (formula || s[0] == '\0' || strpbrk(s, ",\"\r\n") != NULL) {
		fputc('"', out);
		if (formula)
			fputc('\'', out);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	} else
		fputs(s, out);
	fputs(last ? "\r\n" : ",", out);
}

/* A figure as CSV: "83.33" for a score, "10" for a count, "" for none. */
void
export_csv_number(FILE *out, json_t *v, int last)
{
	char	num[32];

	if (json_is_number(v)) {
		snprintf(num, sizeof(num), json_is_integer(v) ? "%.0f" :
		    "%.2f", json_number_value(v));
		export_csv_field(out, num, last);
	} else
		export_csv_field(out, "", last);
}

static const char *
label(json_t *o, const char *key, const char *lang)
{
	return json_string_value(json_object_get(json_object_get(o, key),
	    lang));
}

/*
 * One row of the scores CSV: level, code, name_th, name_en, score,
 * grade, n, preliminary (README.md, "Exports").  Every column means the
 * same on every row; one that does not apply to a level is empty.
 */
static void
csv_row(FILE *out, const char *level, const char *code, const char *th,
    const char *en, json_t *score, json_t *grade, json_t *n, int pre)
{
	export_csv_field(out, level, 0);
	export_csv_field(out, code, 0);
	export_csv_field(out, th, 0);
	export_csv_field(out, en, 0);
	export_csv_number(out, score, 0);
	export_csv_field(out, json_string_value(grade), 0);
	export_csv_number(out, n, 0);
	export_csv_field(out, pre ? "true" : "false", 1);
}

/* A row of an indicator, item or question o of the scores document. */
static void
csv_part(FILE *out, const char *level, json_t *o, const char *names,
    int pre)
{
	csv_row(out, level, json_string_value(json_object_get(o, "code")),
	    label(o, names, "th"), label(o, names, "en"),
	    json_object_get(o, "score"), NULL, json_object_get(o, "n"), pre);
}

/*
 * The scores as CSV: the instrument (code: the form's id; names: its
 * title), then each indicator, its items and their questions.
 */
static void
scores_csv(json_t *doc, const struct form *f, FILE *out)
{
	json_t		*ind, *item, *q;
	size_t		 i, j, k;
	int		 pre;

	pre = json_is_true(json_object_get(doc, "preliminary"));
	fputs("\xEF\xBB\xBF", out);
	fputs("level,code,name_th,name_en,score,grade,n,preliminary\r\n",
	    out);
	csv_row(out, "instrument", f->id, f->title.th, f->title.en,
	    json_object_get(doc, "score"), json_object_get(doc, "grade"),
	    json_object_get(doc, "scored"), pre);
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		csv_part(out, "indicator", ind, "name", pre);
		json_array_foreach(json_object_get(ind, "items"), j, item) {
			csv_part(out, "item", item, "text", pre);
			json_array_foreach(json_object_get(item, "questions"),
			    k, q)
				csv_part(out, "question", q, "text", pre);
		}
	}
}

#define VALUE_MAX	32	/* bytes of an option value (forms/README.md) */

struct rows {
	const struct form	*form;
	FILE			*out;
	enum export_format	 fmt;
	size_t			 n;
	lxw_worksheet		*ws;
	lxw_row_t		 row0;	/* the sheet's first answer row */
	size_t			*order;	/* question indexes by code, owned */
	char			(*vals)[VALUE_MAX + 1]; /* one row, owned */
};

/* Sort the form's question indexes by code, as stored answers are. */
static void
rows_init(struct rows *rs)
{
	const struct form	*f = rs->form;
	size_t			 i, j, t;

	rs->order = xcalloc(f->nquestions, sizeof(*rs->order));
	rs->vals = xcalloc(f->nquestions, sizeof(*rs->vals));
	for (i = 0; i < f->nquestions; i++) {
		rs->order[i] = i;
		/* Insertion sort: a form has at most a few hundred. */
		for (j = i; j > 0 && strcmp(f->questions[rs->order[j - 1]]->code,
		    f->questions[rs->order[j]]->code) > 0; j--) {
			t = rs->order[j];
			rs->order[j] = rs->order[j - 1];
			rs->order[j - 1] = t;
		}
	}
}

static void
rows_free(struct rows *rs)
{
	free(rs->order);
	free(rs->vals);
}

/* strcmp of a NUL-terminated code against len bytes of text. */
static int
code_cmp(const char *code, const char *key, size_t len)
{
	int	c = strncmp(code, key, len);

	if (c != 0)
		return c;
	return code[len] == '\0' ? 0 : 1;
}

/*
 * Read one stored answers object into rs->vals without allocating.  The
 * server writes them itself, compact with sorted keys and only
 * [A-Za-z0-9_-] inside the strings ({"i1a":"4","i1b":"3"}), so one pass
 * merging with the sorted codes is enough; the million-row export spends
 * its time here.  -1 when the text is not of that shape (the caller then
 * parses it with jansson).
 */
static int
row_scan(struct rows *rs, const char *p)
{
	const struct form	*f = rs->form;
	const char		*key, *val;
	size_t			 klen, vlen, j = 0;
	int			 c;

	memset(rs->vals, 0, f->nquestions * sizeof(*rs->vals));
	if (*p++ != '{')
		return -1;
	if (*p == '}')
		return p[1] == '\0' ? 0 : -1;
	for (;;) {
		if (*p++ != '"')
			return -1;
		key = p;
		while (*p != '"' && *p != '\\' && *p != '\0')
			p++;
		if (*p != '"')
			return -1;
		klen = (size_t)(p - key);
		if (*++p != ':' || *++p != '"')
			return -1;
		val = ++p;
		while (*p != '"' && *p != '\\' && *p != '\0')
			p++;
		if (*p != '"' || (vlen = (size_t)(p - val)) > VALUE_MAX)
			return -1;
		c = 1;
		while (j < f->nquestions && (c = code_cmp(
		    f->questions[rs->order[j]]->code, key, klen)) < 0)
			j++;
		if (j < f->nquestions && c == 0) {
			memcpy(rs->vals[rs->order[j]], val, vlen);
			rs->vals[rs->order[j]][vlen] = '\0';
		}
		p++;
		if (*p == '}')
			return p[1] == '\0' ? 0 : -1;
		if (*p++ != ',')
			return -1;
	}
}

/* The same with jansson, for any other shape.  0 or -1. */
static int
row_parse(struct rows *rs, const char *text)
{
	json_t		*a;
	json_error_t	 err;
	const char	*v;
	size_t		 i;

	memset(rs->vals, 0, rs->form->nquestions * sizeof(*rs->vals));
	if ((a = json_loads(text, 0, &err)) == NULL)
		return -1;
	for (i = 0; i < rs->form->nquestions; i++) {
		v = json_string_value(json_object_get(a,
		    rs->form->questions[i]->code));
		if (v != NULL && strlen(v) <= VALUE_MAX)
			memcpy(rs->vals[i], v, strlen(v) + 1);
	}
	json_decref(a);
	return 0;
}

/* One response as a CSV row, a JSON array element or a sheet row. */
static int
row_out(const struct response_row *row, void *arg)
{
	struct rows	*rs = arg;
	size_t		 i;
	const char	*v;

	if (rs->fmt == EXPORT_JSON) {
		fputs(rs->n++ == 0 ? "\n" : ",\n", rs->out);
		fputs(row->answers, rs->out);
		return ferror(rs->out) ? -1 : 0;
	}
	if (row_scan(rs, row->answers) == -1 &&
	    row_parse(rs, row->answers) == -1)
		return -1;
	rs->n++;
	for (i = 0; i < rs->form->nquestions; i++) {
		v = rs->vals[i];
		if (rs->fmt == EXPORT_CSV)
			export_csv_field(rs->out, v,
			    i + 1 == rs->form->nquestions);
		else if (v[0] != '\0')
			xlsx_answer(rs->ws, rs->row0 + (lxw_row_t)(rs->n - 1),
			    (lxw_col_t)i, v);
	}
	return ferror(rs->out) ? -1 : 0;
}

/*
 * Stream round's responses to row_out() through a connection of the
 * export's own, so a long export holds neither the shared connection's
 * lock nor up the requests waiting on it.  0 or -1.
 */
static int
responses_each(struct app *app, int64_t round, struct rows *rs)
{
	struct db	*rdb = NULL;
	int		 rc;

	if (db_open(app->cfg.db, 0, &rdb) == -1)
		return -1;
	rc = db_responses_each(rdb, round, row_out, rs);
	db_close(rdb);
	return rc;
}

/*
 * Copy the rest of in to out, as a finished export is delivered (the
 * XLSX from its workbook file; the CLI's from its temporary file to
 * standard output).  0 or -1.
 */
int
export_copy(FILE *in, FILE *out)
{
	char	b[65536];
	size_t	n;

	while ((n = fread(b, 1, sizeof(b), in)) > 0)
		if (fwrite(b, 1, n, out) != n)
			return -1;
	return ferror(in) ? -1 : 0;
}

/* Copy the file at path (a workbook just written) to out.  0 or -1. */
int
export_copy_path(const char *path, FILE *out)
{
	FILE	*in;
	int	 rc;

	if ((in = fopen(path, "rb")) == NULL)
		return -1;
	rc = export_copy(in, out);
	fclose(in);
	return rc;
}

/*
 * Write the export of round to out.  ERR_NO_ROUND, ERR_NOT_EXPORTABLE
 * when responses are asked of an open round or one below min_cell,
 * ERR_INTERNAL (logged).
 */
static enum err
export_write(struct app *app, int64_t round, enum export_what what,
    enum export_format fmt, FILE *out)
{
	json_t			*doc = NULL;
	struct round		 rd;
	struct rows		 rs;
	lxw_workbook		*wb = NULL;
	lxw_workbook_options	 wbo;
	struct xlsx_facts	 x;
	char			*agency = NULL;
	char			 tmpl[] = "/tmp/ita-survey-xlsx-XXXXXX";
	static char		 tmpdir[] = "/tmp";
	int			 fd = -1, got;
	enum err		 e;
	size_t			 i;

	if (what == EXPORT_UNITS)
		return units_export(app, round, fmt, out);
	if ((e = rounds_scores(app, round, &doc)) != ERR_OK)
		return e;
	e = ERR_INTERNAL;
	memset(&rs, 0, sizeof(rs));
	db_lock(app->db);
	got = db_round_get(app->db, round, &rd);
	db_unlock(app->db);
	if (got != 1)
		goto out;
	if (what == EXPORT_RESPONSES && (rd.open ||
	    rd.respondents < rd.min_cell)) {
		e = ERR_NOT_EXPORTABLE;
		goto out;
	}
	if ((rs.form = formset_get(app->forms, rd.form_id)) == NULL)
		goto out;
	rows_init(&rs);
	rs.out = out;
	rs.fmt = fmt;
	if (fmt == EXPORT_XLSX) {
		if ((fd = mkstemp(tmpl)) == -1) {
			log_err("%s: mkstemp: %s", __func__, strerror(errno));
			goto out;
		}
		if (settings_get(app, SETTING_AGENCY, &agency) != ERR_OK)
			goto out;
		memset(&x, 0, sizeof(x));
		x.round = &rd;
		x.form = rs.form;
		x.doc = doc;
		x.agency = agency;
		x.what = what;
		memset(&wbo, 0, sizeof(wbo));
		wbo.constant_memory = LXW_TRUE;
		wbo.tmpdir = tmpdir;
		if ((wb = workbook_new_opt(tmpl, &wbo)) == NULL)
			goto out;
		if (xlsx_properties(wb, &x) == -1 ||
		    xlsx_scores(wb, &x) == -1) {
			log_err("%s: round %lld: xlsx: the scores sheet failed",
			    __func__, (long long)round);
			goto out;
		}
		if (what == EXPORT_RESPONSES) {
			if ((rs.ws = xlsx_responses(wb, rs.form,
			    &rs.row0)) == NULL)
				goto out;
			got = responses_each(app, round, &rs);
			if (got == -1)
				goto out;
		}
		got = (int)workbook_close(wb);
		wb = NULL;
		if (got != LXW_NO_ERROR) {
			log_err("%s: xlsx: %s", __func__,
			    lxw_strerror((lxw_error)got));
			goto out;
		}
		if (export_copy_path(tmpl, out) == 0)
			e = ERR_OK;
		goto out;
	}
	if (what == EXPORT_SCORES) {
		if (fmt == EXPORT_JSON) {
			if (json_dumpf(doc, out, JSON_INDENT(2) |
			    JSON_REAL_PRECISION(10)) == 0)
				e = ERR_OK;
			fputc('\n', out);
		} else {
			scores_csv(doc, rs.form, out);
			e = ERR_OK;
		}
		goto out;
	}
	if (fmt == EXPORT_CSV) {
		fputs("\xEF\xBB\xBF", out);
		for (i = 0; i < rs.form->nquestions; i++)
			export_csv_field(out, rs.form->questions[i]->code,
			    i + 1 == rs.form->nquestions);
	} else
		fputs("[", out);
	got = responses_each(app, round, &rs);
	if (got == -1)
		goto out;
	if (fmt == EXPORT_JSON)
		fputs("\n]\n", out);
	e = ERR_OK;
out:
	if (wb != NULL)
		workbook_close(wb);
	if (fd != -1) {
		close(fd);
		unlink(tmpl);
	}
	json_decref(doc);
	free(agency);
	rows_free(&rs);
	if (e == ERR_OK && (fflush(out) == EOF || ferror(out))) {
		log_err("%s: round %lld: write failed", __func__,
		    (long long)round);
		e = ERR_INTERNAL;
	}
	return e;
}

/*
 * Export round's scores or responses in fmt to out, which the caller
 * delivers (sends, renames into place, copies to standard output) only
 * on ERR_OK: the audit line is written here, after the data is complete
 * and before it can leave, so no export leaves without it.  Raw
 * responses make the round final first (rounds_make_final), for good
 * even if the export then fails.  ERR_NO_ROUND, ERR_NOT_EXPORTABLE,
 * ERR_INTERNAL, ERR_UNAVAILABLE (the audit line could not be written).
 */
enum err
export_round(struct app *app, const char *actor, int64_t round,
    enum export_what what, enum export_format fmt, FILE *out)
{
	struct round	rd;
	enum err	e;
	int		rc;

	if (what == EXPORT_COMPARE)	/* needs the other round */
		return ERR_COMPARE_WITH;
	if (what == EXPORT_RESPONSES &&
	    (e = rounds_make_final(app, actor, round)) != ERR_OK)
		return e;
	if ((e = export_write(app, round, what, fmt, out)) != ERR_OK)
		return e;
	db_lock(app->db);
	rc = db_round_get(app->db, round, &rd) == 1 ? audit_add(app->db, actor,
	    "export", json_pack("{s:I, s:s, s:s, s:s}", "round",
	    (json_int_t)round, "title", rd.title, "what",
	    export_what_name(what), "format", export_ext(fmt))) : -1;
	db_unlock(app->db);
	return rc == 0 ? ERR_OK : ERR_UNAVAILABLE;
}
