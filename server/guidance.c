/* SPDX-License-Identifier: ISC */
/*
 * The guidance per indicator: what an agency can do when an indicator is
 * weak.  Its text ships as data (forms/ita-guidance.json, loaded and
 * checked with the forms, so "forms check" reports a broken one), and the
 * agency may replace an indicator's text with its own wording (table
 * guidance, migrations/0005_analysis.sql); deleting that restores the
 * file's.  The weak-items list (compare.c) shows it beside each item.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "actions.h"
#include "audit.h"

/* ---- the file ---- */

struct gctx {
	const char	*file;
	FILE		*errs;
	size_t		 nerr;
};

static void
bad(struct gctx *c, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct gctx *c, const char *where, const char *fmt, ...)
{
	va_list	ap;

	c->nerr++;
	if (c->errs == NULL)
		return;
	fprintf(c->errs, "%s: %s: ", c->file, where);
	va_start(ap, fmt);
	vfprintf(c->errs, fmt, ap);
	va_end(ap);
	fputc('\n', c->errs);
}

/*
 * 1 when s is 1 to max bytes of lines (separated by "\n"), each empty or
 * text_ok(): guidance is a few sentences or bullet lines, and is shown in
 * tables and the audit log as any other text a person typed.
 */
int
guidance_text_ok(const char *s, size_t max)
{
	const char	*p, *nl;
	char		*line;
	size_t		 len = strlen(s);
	int		 ok = 1, any = 0;

	if (len == 0 || len > max)
		return 0;
	for (p = s; ok && *p != '\0'; p = nl == NULL ? p + strlen(p) :
	    nl + 1) {
		nl = strchr(p, '\n');
		line = xstrndup(p, nl == NULL ? strlen(p) : (size_t)(nl - p));
		if (line[0] != '\0') {
			ok = text_ok(line, max);
			any |= strspn(line, " ") != strlen(line);
		}
		free(line);
	}
	return ok && any;
}

void
guidance_free(struct guidance *g)
{
	size_t	i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++) {
		free(g->ents[i].text.th);
		free(g->ents[i].text.en);
	}
	free(g->ents);
	free(g);
}

/* An indicator code: 1 to 8 digits, as the forms have them. */
static int
code_ok(const char *s)
{
	size_t	len = strlen(s);

	return len >= 1 && len <= 8 && strspn(s, "0123456789") == len;
}

/*
 * Read and check the guidance file at path: {"kind": "guidance",
 * "indicators": {"1": {"th": TEXT, "en": TEXT}, ...}}.  0 and *out
 * (caller frees with guidance_free), or -1 after printing every problem
 * to errs (may be NULL) as "FILE: $.path: message".
 */
int
guidance_load(const char *path, struct guidance **out, FILE *errs)
{
	static const char *const langs[] = { "th", "en" };
	struct gctx		 c = { path, errs, 0 };
	struct guidance		*g = NULL;
	struct guidance_entry	*e;
	json_error_t		 je;
	json_t			*root, *inds, *v, *t;
	const char		*key, *k;
	char			 at[96];
	char			**dst[2];
	size_t			 i;

	*out = NULL;
	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		if (errs != NULL)
			fprintf(errs, "%s:%d:%d: %s\n", path, je.line,
			    je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		bad(&c, "$", "must be an object");
		goto out;
	}
	json_object_foreach(root, k, v)
		if (strcmp(k, "kind") != 0 && strcmp(k, "indicators") != 0 &&
		    strcmp(k, "note") != 0)
			bad(&c, "$", "unknown key \"%.40s\"", k);
	v = json_object_get(root, "kind");
	if (!json_is_string(v) || strcmp(json_string_value(v),
	    "guidance") != 0)
		bad(&c, "$.kind", "must be \"guidance\"");
	inds = json_object_get(root, "indicators");
	if (!json_is_object(inds) || json_object_size(inds) == 0 ||
	    json_object_size(inds) > GUIDANCE_INDS_MAX) {
		bad(&c, "$.indicators", "must be an object of 1 to %d "
		    "indicators, by code", GUIDANCE_INDS_MAX);
		goto out;
	}
	g = xcalloc(1, sizeof(*g));
	g->ents = xcalloc(json_object_size(inds), sizeof(*g->ents));
	json_object_foreach(inds, key, v) {
		snprintf(at, sizeof(at), "$.indicators.%.40s", key);
		if (!code_ok(key)) {
			bad(&c, at, "an indicator code is 1 to 8 digits");
			continue;
		}
		if (!json_is_object(v)) {
			bad(&c, at, "must be an object {\"th\", \"en\"}");
			continue;
		}
		e = &g->ents[g->n++];
		snprintf(e->code, sizeof(e->code), "%s", key);
		dst[0] = &e->text.th;
		dst[1] = &e->text.en;
		json_object_foreach(v, k, t)
			if (strcmp(k, "th") != 0 && strcmp(k, "en") != 0)
				bad(&c, at, "unknown key \"%.40s\"", k);
		for (i = 0; i < 2; i++) {
			t = json_object_get(v, langs[i]);
			if (!json_is_string(t) ||
			    strlen(json_string_value(t)) !=
			    json_string_length(t) ||
			    !guidance_text_ok(json_string_value(t),
			    GUIDANCE_TEXT_MAX))
				bad(&c, at, "\"%s\" must be 1 to %d bytes of "
				    "text lines", langs[i], GUIDANCE_TEXT_MAX);
			else
				*dst[i] = xstrdup(json_string_value(t));
		}
	}
out:
	json_decref(root);
	if (c.nerr > 0) {
		guidance_free(g);
		return -1;
	}
	*out = g;
	return 0;
}

/* The file's entry for indicator code, or NULL. */
static const struct guidance_entry *
file_entry(const struct formset *set, const char *code)
{
	size_t	i;

	if (set->guidance == NULL)
		return NULL;
	for (i = 0; i < set->guidance->n; i++)
		if (strcmp(set->guidance->ents[i].code, code) == 0)
			return &set->guidance->ents[i];
	return NULL;
}

/*
 * The name of indicator code and its instrument, from the newest form
 * (by file name) or OIT checklist that has it; 0 when none has it.
 */
static int
indicator_name(const struct formset *set, const char *code,
    const struct label **name, const char **instrument)
{
	const struct checklist	*cl;
	size_t			 i, j;
	int			 found = 0;

	for (i = 0; i < set->nforms; i++)
		for (j = 0; j < set->forms[i]->ninds; j++)
			if (strcmp(set->forms[i]->inds[j].code, code) == 0) {
				*name = &set->forms[i]->inds[j].name;
				*instrument = set->forms[i]->instrument;
				found = 1;
			}
	if (found || (cl = checklist_latest(set)) == NULL)
		return found;
	for (j = 0; j < cl->ninds; j++)
		if (strcmp(cl->inds[j].code, code) == 0) {
			*name = &cl->inds[j].name;
			*instrument = "OIT";
			return 1;
		}
	return 0;
}

/* ---- the agency's own wording ---- */

enum gsql {
	GSQL_GET,
	GSQL_PUT,
	GSQL_DELETE,
	GSQL__MAX
};

/* compare and guidance own db_slot()s 176-207; guidance the first ones. */
#define GSQL_SLOT	176
_Static_assert(GSQL__MAX <= 8, "guidance.c owns db_slot()s 176-183");

static const char *const sqls[GSQL__MAX] = {
	/* GSQL_GET */
	"SELECT th, en, updated_at, updated_by FROM guidance WHERE "
	"indicator = ?1",
	/* GSQL_PUT */
	"INSERT INTO guidance (indicator, th, en, updated_at, updated_by) "
	"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (indicator) DO UPDATE SET "
	"th = excluded.th, en = excluded.en, updated_at = "
	"excluded.updated_at, updated_by = excluded.updated_by",
	/* GSQL_DELETE */
	"DELETE FROM guidance WHERE indicator = ?1",
};

static sqlite3_stmt *
gst(struct db *db, enum gsql which)
{
	return db_slot(db, GSQL_SLOT + (size_t)which, sqls[which]);
}

/*
 * The guidance of indicator code as the API shows it, {"indicator", "th",
 * "en", "edited"} and, when edited, "updated_at" and "updated_by"; NULL
 * in *out when neither the agency nor the file has any.  The caller
 * holds db_lock().  0, or -1 on a database failure (logged).
 */
static int
guidance_get(struct app *app, const char *code, json_t **out)
{
	const struct guidance_entry	*fe;
	sqlite3_stmt			*st;
	int				 rc;

	*out = NULL;
	if ((st = gst(app->db, GSQL_GET)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if ((rc = db_step(app->db, st)) == SQLITE_ROW)
		*out = json_pack("{s:s, s:s, s:s, s:b, s:I, s:s}",
		    "indicator", code,
		    "th", (const char *)sqlite3_column_text(st, 0),
		    "en", (const char *)sqlite3_column_text(st, 1),
		    "edited", 1,
		    "updated_at", (json_int_t)sqlite3_column_int64(st, 2),
		    "updated_by", (const char *)sqlite3_column_text(st, 3));
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (*out == NULL && (fe = file_entry(app->forms, code)) != NULL)
		*out = json_pack("{s:s, s:s, s:s, s:b}", "indicator", code,
		    "th", fe->text.th, "en", fe->text.en, "edited", 0);
	return 0;
}

/*
 * The guidance for indicator code: the agency's wording, else the file's
 * (see guidance_get), or NULL when there is none or the database fails.
 * Takes db_lock() itself.  Caller owns the object.
 */
json_t *
guidance_for(struct app *app, const char *code)
{
	json_t	*g;

	db_lock(app->db);
	if (guidance_get(app, code, &g) == -1)
		g = NULL;
	db_unlock(app->db);
	return g;
}

/* Codes ordered as numbers: "2" before "10". */
static int
code_cmp(const void *a, const void *b)
{
	const char	*x = *(const char *const *)a;
	const char	*y = *(const char *const *)b;

	if (strlen(x) != strlen(y))
		return strlen(x) < strlen(y) ? -1 : 1;
	return strcmp(x, y);
}

static void
code_add(const char **codes, size_t *n, const char *code)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (strcmp(codes[i], code) == 0)
			return;
	codes[(*n)++] = code;
}

/* Whether an indicator of some form, checklist or the file is coded so. */
static int
code_known(const struct formset *set, const char *code)
{
	const struct label	*name;
	const char		*ins;

	return file_entry(set, code) != NULL ||
	    indicator_name(set, code, &name, &ins);
}

/*
 * {"indicators": [...]}: every indicator of the loaded forms, the newest
 * OIT checklist and the guidance file, by code, each {"code",
 * "instrument", "name", "guidance", "default"}: the guidance as
 * guidance_get() has it (null when none) and the file's text (null when
 * none).  ERR_INTERNAL.
 */
enum err
guidance_list(struct app *app, json_t **out)
{
	const struct formset	*set = app->forms;
	const struct checklist	*cl = checklist_latest(set);
	const struct guidance_entry *fe;
	const struct label	*name;
	const char		**codes, *ins;
	json_t			*arr, *o, *g;
	size_t			 n = 0, max = 0, i, j;
	enum err		 e = ERR_INTERNAL;

	for (i = 0; i < set->nforms; i++)
		max += set->forms[i]->ninds;
	max += (cl != NULL ? cl->ninds : 0) +
	    (set->guidance != NULL ? set->guidance->n : 0);
	codes = xcalloc(max + 1, sizeof(*codes));
	for (i = 0; i < set->nforms; i++)
		for (j = 0; j < set->forms[i]->ninds; j++)
			code_add(codes, &n, set->forms[i]->inds[j].code);
	for (j = 0; cl != NULL && j < cl->ninds; j++)
		code_add(codes, &n, cl->inds[j].code);
	for (j = 0; set->guidance != NULL && j < set->guidance->n; j++)
		code_add(codes, &n, set->guidance->ents[j].code);
	if (n > 0)
		qsort(codes, n, sizeof(*codes), code_cmp);
	arr = json_array();
	db_lock(app->db);
	for (i = 0; i < n; i++) {
		if (!indicator_name(set, codes[i], &name, &ins)) {
			name = NULL;
			ins = NULL;
		}
		if (guidance_get(app, codes[i], &g) == -1)
			goto out;
		fe = file_entry(set, codes[i]);
		o = json_pack("{s:s, s:s?, s:o, s:o, s:o}", "code", codes[i],
		    "instrument", ins,
		    "name", name == NULL ? json_null() : json_pack("{s:s, s:s}",
		    "th", name->th, "en", name->en),
		    "guidance", g == NULL ? json_null() : g,
		    "default", fe == NULL ? json_null() : json_pack("{s:s, s:s}",
		    "th", fe->text.th, "en", fe->text.en));
		if (o == NULL || json_array_append_new(arr, o) == -1)
			goto out;
	}
	*out = json_pack("{s:O}", "indicators", arr);
	e = *out != NULL ? ERR_OK : ERR_INTERNAL;
out:
	db_unlock(app->db);
	json_decref(arr);
	free(codes);
	return e;
}

/*
 * Replace the guidance of indicator code with the agency's th and en
 * (each GUIDANCE_TEXT_MAX bytes of text lines), audited "guidance.set";
 * *out the new guidance.  ERR_GUIDANCE_UNKNOWN, ERR_GUIDANCE_TEXT,
 * ERR_INTERNAL.
 */
enum err
guidance_set(struct app *app, const char *actor, const char *code,
    const char *th, const char *en, json_t **out)
{
	sqlite3_stmt	*st;
	enum err	 e = ERR_INTERNAL;

	*out = NULL;
	if (!code_ok(code) || !code_known(app->forms, code))
		return ERR_GUIDANCE_UNKNOWN;
	if (!guidance_text_ok(th, GUIDANCE_TEXT_MAX) ||
	    !guidance_text_ok(en, GUIDANCE_TEXT_MAX))
		return ERR_GUIDANCE_TEXT;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((st = gst(app->db, GSQL_PUT)) == NULL)
		goto rollback;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, th, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, en, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
	if (db_run(app->db, st) == -1 ||
	    audit_add(app->db, actor, "guidance.set", json_pack("{s:s}",
	    "indicator", code)) == -1 ||
	    guidance_get(app, code, out) == -1 || *out == NULL ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	json_decref(*out);
	*out = NULL;
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}

/*
 * Drop the agency's wording of indicator code: the file's text shows
 * again (*out, or JSON null when the file has none).  Audited
 * "guidance.reset" when there was a wording to drop.
 * ERR_GUIDANCE_UNKNOWN, ERR_INTERNAL.
 */
enum err
guidance_reset(struct app *app, const char *actor, const char *code,
    json_t **out)
{
	sqlite3_stmt	*st;
	enum err	 e = ERR_INTERNAL;

	*out = NULL;
	if (!code_ok(code) || !code_known(app->forms, code))
		return ERR_GUIDANCE_UNKNOWN;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((st = gst(app->db, GSQL_DELETE)) == NULL)
		goto rollback;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (db_run(app->db, st) == -1 ||
	    (db_changes(app->db) > 0 && audit_add(app->db, actor,
	    "guidance.reset", json_pack("{s:s}", "indicator", code)) == -1) ||
	    guidance_get(app, code, out) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	if (*out == NULL)
		*out = json_null();
	e = ERR_OK;
	goto out;
rollback:
	json_decref(*out);
	*out = NULL;
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}
