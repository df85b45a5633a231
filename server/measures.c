/* SPDX-License-Identifier: ISC */
/*
 * The working group's measures (migrations/0005_analysis.sql): adding,
 * changing, deleting and listing them, each change checked, run in one
 * transaction and audited here; api_measures.c and cmd_measures.c only
 * translate.  The statements live here too, in db_slot()s 208-255.
 *
 * A measure answers an indicator ("1".."10") or an item ("i9", "e2",
 * "o42") of a loaded form or OIT checklist; the list names each from
 * the forms as they are now, so a target whose form went away shows
 * without a name rather than vanishing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "actions.h"
#include "audit.h"
#include "db.h"
#include "measures.h"

#define MSQL_BASE	208	/* our first db_slot() */

enum msql {
	MSQL_INSERT,
	MSQL_UPDATE,
	MSQL_DELETE,
	MSQL_GET,
	MSQL_LIST,
	MSQL_COUNTS,
	MSQL_COUNT_YEAR,
	MSQL__MAX
};

#define COLUMNS "id, fiscal_year, target, round_id, what, how, who, due, " \
	"status, progress, evidence, created_at, created_by, updated_at, " \
	"updated_by"

static const char *const sqls[MSQL__MAX] = {
	/* MSQL_INSERT */
	"INSERT INTO measures (fiscal_year, target, round_id, what, how, "
	"who, due, status, progress, evidence, created_at, created_by, "
	"updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	"?9, ?10, ?11, ?12, ?11, ?12)",
	/* MSQL_UPDATE: NULL leaves a column; ?13 says whether ?3 counts. */
	"UPDATE measures SET fiscal_year = coalesce(?1, fiscal_year), "
	"target = coalesce(?2, target), "
	"round_id = CASE WHEN ?13 THEN ?3 ELSE round_id END, "
	"what = coalesce(?4, what), how = coalesce(?5, how), "
	"who = coalesce(?6, who), due = coalesce(?7, due), "
	"status = coalesce(?8, status), "
	"progress = coalesce(?9, progress), "
	"evidence = coalesce(?10, evidence), updated_at = ?11, "
	"updated_by = ?12 WHERE id = ?14",
	/* MSQL_DELETE */
	"DELETE FROM measures WHERE id = ?1",
	/* MSQL_GET */
	"SELECT " COLUMNS " FROM measures WHERE id = ?1",
	/*
	 * MSQL_LIST: by target (indicators by number, then the items of
	 * IIT, EIT and OIT by number), then by due date.
	 */
	"SELECT " COLUMNS " FROM measures WHERE fiscal_year = ?1 AND "
	"(?2 IS NULL OR status = ?2) ORDER BY "
	"CASE substr(target, 1, 1) WHEN 'i' THEN 1 WHEN 'e' THEN 2 "
	"WHEN 'o' THEN 3 ELSE 0 END, "
	"CAST(ltrim(target, 'abcdefghijklmnopqrstuvwxyz') AS INTEGER), "
	"target, due, id",
	/* MSQL_COUNTS */
	"SELECT status, count(*) FROM measures WHERE fiscal_year = ?1 "
	"GROUP BY status",
	/* MSQL_COUNT_YEAR */
	"SELECT count(*) FROM measures WHERE fiscal_year = ?1",
};

_Static_assert(MSQL_BASE + MSQL__MAX <= 256,
    "measures.c owns db_slot()s 208-255");

static sqlite3_stmt *
sql(struct db *db, enum msql which)
{
	return db_slot(db, MSQL_BASE + (size_t)which, sqls[which]);
}

static const char *const statuses[] = { "planned", "doing", "done",
    "dropped" };
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))

/* 1 when s is one of the four states. */
int
measures_status_ok(const char *s)
{
	size_t	i;

	for (i = 0; i < NSTATUSES; i++)
		if (strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

/*
 * The Thai fiscal year (Buddhist Era) of the local day of t: it starts
 * on 1 October, so 2026-10-01 is already fiscal year 2570.
 */
int64_t
measures_fiscal_year(int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (localtime_r(&tt, &tm) == NULL)
		return MEASURE_YEAR_MIN;
	return (int64_t)tm.tm_year + 1900 + (tm.tm_mon >= 9 ? 1 : 0) + 543;
}

/* The local day of now, "YYYY-MM-DD": a due date before it is overdue. */
static void
today(char out[16])
{
	time_t		tt = time(NULL);
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 16, "0000-00-00");
}

/*
 * NULL when s is a real day "YYYY-MM-DD" of the Christian Era (1900 to
 * 2399), else why not.  A Buddhist Era year is the likely slip, so it
 * is named.
 */
static const char *
date_problem(const char *s)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			 y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return "not a date: use YYYY-MM-DD";
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return "not a date: use YYYY-MM-DD";
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12)
		return "no such month";
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return "no such day in that month";
	if (y >= 2400)
		return "use the Christian-era year (Buddhist Era minus 543)";
	if (y < 1900)
		return "not a plausible year";
	return NULL;
}

/*
 * 1 when s is at most max bytes of lines, each "" or one line of text
 * (text_ok), separated by "\n" or "\r\n": steps and progress notes.
 */
static int
lines_ok(const char *s, size_t max)
{
	char	*copy, *line, *next;
	size_t	 len;
	int	 ok = 1;

	if (strlen(s) > max)
		return 0;
	copy = xstrdup(s);
	for (line = copy; line != NULL && ok; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len > 0 && !text_ok(line, max))
			ok = 0;
	}
	free(copy);
	return ok;
}

/* Check one text field into fields: one line or lines, may be empty. */
static void
text_check(json_t *fields, const char *name, const char *s, size_t max,
    int required, int multiline)
{
	char	why[96];

	if (s == NULL)
		return;
	if (s[0] == '\0') {
		if (required)
			json_object_set_new(fields, name,
			    json_string("required"));
		return;
	}
	if (strlen(s) > max) {
		snprintf(why, sizeof(why), "too long: at most %zu bytes", max);
		json_object_set_new(fields, name, json_string(why));
		return;
	}
	if (multiline ? !lines_ok(s, max) : !text_ok(s, max))
		json_object_set_new(fields, name, json_string(multiline ?
		    "not text: control characters" :
		    "not one line of text"));
}

/* Where a target code is found: its kind, name and indicator. */
struct target {
	const char		*kind;		/* "indicator", "item" */
	const struct label	*name;		/* borrowed from app->forms */
	const char		*ind_code;
	const struct label	*ind_name;
};

/* Indicator or item code in one checklist: 1 found, else 0. */
static int
target_in_list(const struct checklist *cl, const char *code,
    struct target *t)
{
	const struct checklist_item	*it;
	size_t				 i;

	for (i = 0; i < cl->ninds; i++)
		if (strcmp(cl->inds[i].code, code) == 0) {
			t->kind = "indicator";
			t->name = t->ind_name = &cl->inds[i].name;
			t->ind_code = cl->inds[i].code;
			return 1;
		}
	if ((it = checklist_item(cl, code)) == NULL)
		return 0;
	t->kind = "item";
	t->name = &it->name;
	t->ind_code = cl->inds[it->indicator].code;
	t->ind_name = &cl->inds[it->indicator].name;
	return 1;
}

/*
 * Find code among the loaded forms' indicators and items and the OIT
 * checklists' (the newest first): 1 found, 0 not.
 */
static int
target_find(const struct app *app, const char *code, struct target *t)
{
	const struct formset	*fs = app->forms;
	const struct checklist	*latest;
	const struct indicator	*ind;
	size_t			 f, i, j;

	memset(t, 0, sizeof(*t));
	if (fs == NULL || strlen(code) > MEASURE_TARGET_MAX)
		return 0;
	for (f = 0; f < fs->nforms; f++)
		for (i = 0; i < fs->forms[f]->ninds; i++) {
			ind = &fs->forms[f]->inds[i];
			if (strcmp(ind->code, code) == 0) {
				t->kind = "indicator";
				t->name = t->ind_name = &ind->name;
				t->ind_code = ind->code;
				return 1;
			}
			for (j = 0; j < ind->nitems; j++)
				if (strcmp(ind->items[j].code, code) == 0) {
					t->kind = "item";
					t->name = &ind->items[j].text;
					t->ind_code = ind->code;
					t->ind_name = &ind->name;
					return 1;
				}
		}
	if ((latest = checklist_latest(fs)) != NULL &&
	    target_in_list(latest, code, t))
		return 1;
	for (f = 0; f < fs->nlists; f++)
		if (target_in_list(fs->lists[f], code, t))
			return 1;
	return 0;
}

/*
 * Check what in is given (every field when add) into a new object of
 * field: reason, empty when all is well.  The round's existence is
 * checked later, under the lock.
 */
static json_t *
input_check(const struct app *app, const struct measure_input *in, int add)
{
	json_t		*fields = json_object();
	struct target	 t;
	const char	*why;

	if (in->has_year && (in->year < MEASURE_YEAR_MIN ||
	    in->year > MEASURE_YEAR_MAX))
		json_object_set_new(fields, "fiscal_year", json_string(
		    "a fiscal year of the Buddhist Era, 2500 to 2700"));
	if (in->target != NULL && !target_find(app, in->target, &t))
		json_object_set_new(fields, "target", json_string(
		    "not an indicator or item of a loaded form or OIT "
		    "checklist"));
	else if (add && in->target == NULL)
		json_object_set_new(fields, "target", json_string("required"));
	if (in->has_round && in->round < 0)
		json_object_set_new(fields, "round", json_string(
		    "not a round id"));
	text_check(fields, "what", add && in->what == NULL ? "" : in->what,
	    MEASURE_WHAT_MAX, 1, 0);
	text_check(fields, "how", in->how, MEASURE_HOW_MAX, 0, 1);
	text_check(fields, "who", add && in->who == NULL ? "" : in->who,
	    MEASURE_WHO_MAX, 1, 0);
	if (in->due != NULL && (why = date_problem(in->due)) != NULL)
		json_object_set_new(fields, "due", json_string(why));
	else if (add && in->due == NULL)
		json_object_set_new(fields, "due", json_string("required"));
	if (in->status != NULL && !measures_status_ok(in->status))
		json_object_set_new(fields, "status", json_string(
		    "one of planned, doing, done, dropped"));
	text_check(fields, "progress", in->progress, MEASURE_PROGRESS_MAX, 0,
	    1);
	text_check(fields, "evidence", in->evidence, MEASURE_EVIDENCE_MAX, 0,
	    0);
	return fields;
}

static int
bind_text(sqlite3_stmt *st, int k, const char *s)
{
	return (s == NULL ? sqlite3_bind_null(st, k) :
	    sqlite3_bind_text(st, k, s, -1, SQLITE_TRANSIENT)) ==
	    SQLITE_OK ? 0 : -1;
}

static json_t *
col_str(sqlite3_stmt *st, int k)
{
	const unsigned char	*s = sqlite3_column_text(st, k);

	return json_string(s != NULL ? (const char *)s : "");
}

/* A row of COLUMNS as the stored measure (caller owns). */
static json_t *
row_json(sqlite3_stmt *st)
{
	json_t	*o = json_object();

	json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st,
	    0)));
	json_object_set_new(o, "fiscal_year", json_integer(
	    sqlite3_column_int64(st, 1)));
	json_object_set_new(o, "target", col_str(st, 2));
	json_object_set_new(o, "round", sqlite3_column_type(st, 3) ==
	    SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(
	    st, 3)));
	json_object_set_new(o, "what", col_str(st, 4));
	json_object_set_new(o, "how", col_str(st, 5));
	json_object_set_new(o, "who", col_str(st, 6));
	json_object_set_new(o, "due", col_str(st, 7));
	json_object_set_new(o, "status", col_str(st, 8));
	json_object_set_new(o, "progress", col_str(st, 9));
	json_object_set_new(o, "evidence", col_str(st, 10));
	json_object_set_new(o, "created_at", json_integer(
	    sqlite3_column_int64(st, 11)));
	json_object_set_new(o, "created_by", col_str(st, 12));
	json_object_set_new(o, "updated_at", json_integer(
	    sqlite3_column_int64(st, 13)));
	json_object_set_new(o, "updated_by", col_str(st, 14));
	return o;
}

static json_t *
label_json(const struct label *l)
{
	if (l == NULL)
		return json_null();
	return json_pack("{s:s?, s:s?}", "th", l->th, "en", l->en);
}

/*
 * Add what the console shows beside a stored measure: its target's
 * name and kind and indicator (null when no loaded form has it now),
 * and overdue (planned or doing, due before today).
 */
static void
decorate(const struct app *app, json_t *o, const char *day)
{
	struct target	 t;
	const char	*target, *status, *due;

	target = json_string_value(json_object_get(o, "target"));
	status = json_string_value(json_object_get(o, "status"));
	due = json_string_value(json_object_get(o, "due"));
	if (target != NULL && target_find(app, target, &t)) {
		json_object_set_new(o, "target_name", label_json(t.name));
		json_object_set_new(o, "target_kind", json_string(t.kind));
		json_object_set_new(o, "indicator", json_pack("{s:s, s:o}",
		    "code", t.ind_code, "name", label_json(t.ind_name)));
	} else {
		json_object_set_new(o, "target_name", json_null());
		json_object_set_new(o, "target_kind", json_null());
		json_object_set_new(o, "indicator", json_null());
	}
	json_object_set_new(o, "overdue", json_boolean(status != NULL &&
	    due != NULL && (strcmp(status, "planned") == 0 ||
	    strcmp(status, "doing") == 0) && strcmp(due, day) < 0));
}

/* Measure id as stored: 1 and *out (caller owns), 0 none, -1 error. */
static int
row_get(struct db *db, int64_t id, json_t **out)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	*out = NULL;
	if ((st = sql(db, MSQL_GET)) == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		goto out;
	switch (db_step(db, st)) {
	case SQLITE_ROW:
		*out = row_json(st);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
out:
	db_done(st);
	return rc;
}

/* Measures of year (0 or -1 error, *n). */
static int
year_count(struct db *db, int64_t year, int64_t *n)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	*n = 0;
	if ((st = sql(db, MSQL_COUNT_YEAR)) == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, year) == SQLITE_OK &&
	    db_step(db, st) == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	return rc;
}

/*
 * Under the lock, in the transaction: the rules that need the database
 * (the round exists; the year has room when the measure joins it).
 * ERR_OK, ERR_BAD_MEASURE (fields set), ERR_TOO_MANY_MEASURES,
 * ERR_UNAVAILABLE.
 */
static enum err
db_rules(struct app *app, const struct measure_input *in, int64_t year,
    int joins, json_t *fields)
{
	struct round	rd;
	int64_t		n;
	int		rc;

	if (in->has_round && in->round > 0) {
		if ((rc = db_round_get(app->db, in->round, &rd)) == -1)
			return ERR_UNAVAILABLE;
		if (rc == 0) {
			json_object_set_new(fields, "round",
			    json_string("no such round"));
			return ERR_BAD_MEASURE;
		}
	}
	if (joins) {
		if (year_count(app->db, year, &n) == -1)
			return ERR_UNAVAILABLE;
		if (n >= MEASURES_PER_YEAR)
			return ERR_TOO_MANY_MEASURES;
	}
	return ERR_OK;
}

/* Bind in's columns ?1..?10 (NULL leaves them; round as ?3). */
static int
bind_input(sqlite3_stmt *st, const struct measure_input *in)
{
	int	rc = 0;

	rc |= (in->has_year ? sqlite3_bind_int64(st, 1, in->year) :
	    sqlite3_bind_null(st, 1)) != SQLITE_OK;
	rc |= bind_text(st, 2, in->target);
	rc |= (in->has_round && in->round > 0 ? sqlite3_bind_int64(st, 3,
	    in->round) : sqlite3_bind_null(st, 3)) != SQLITE_OK;
	rc |= bind_text(st, 4, in->what);
	rc |= bind_text(st, 5, in->how);
	rc |= bind_text(st, 6, in->who);
	rc |= bind_text(st, 7, in->due);
	rc |= bind_text(st, 8, in->status);
	rc |= bind_text(st, 9, in->progress);
	rc |= bind_text(st, 10, in->evidence);
	return rc ? -1 : 0;
}

/*
 * A new measure from given, by actor; its id in *id.  Required: target,
 * what, who, due; the fiscal year defaults to the current one, status to
 * planned, the rest to "".  Audited "measure.add".  ERR_BAD_MEASURE with
 * *fields (caller frees) naming each field and why,
 * ERR_TOO_MANY_MEASURES, ERR_UNAVAILABLE.
 */
enum err
measures_add(struct app *app, const char *actor,
    const struct measure_input *given, int64_t *id, json_t **fields)
{
	struct measure_input	 in = *given;
	sqlite3_stmt		*st;
	json_t			*bad;
	int64_t			 t = (int64_t)time(NULL);
	enum err		 e;

	*id = 0;
	*fields = NULL;
	if (!in.has_year) {
		in.has_year = 1;
		in.year = measures_fiscal_year(t);
	}
	if (in.status == NULL)
		in.status = "planned";
	if (in.how == NULL)
		in.how = "";
	if (in.progress == NULL)
		in.progress = "";
	if (in.evidence == NULL)
		in.evidence = "";
	bad = input_check(app, &in, 1);
	if (json_object_size(bad) > 0) {
		*fields = bad;
		return ERR_BAD_MEASURE;
	}
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((e = db_rules(app, &in, in.year, 1, bad)) != ERR_OK)
		goto rollback;
	e = ERR_UNAVAILABLE;
	if ((st = sql(app->db, MSQL_INSERT)) == NULL)
		goto rollback;
	if (bind_input(st, &in) == -1 ||
	    sqlite3_bind_int64(st, 11, t) != SQLITE_OK ||
	    bind_text(st, 12, actor) == -1 || db_run(app->db, st) == -1) {
		db_done(st);
		goto rollback;
	}
	db_done(st);
	*id = db_last_id(app->db);
	if (audit_add(app->db, actor, "measure.add", json_pack("{s:I, s:I, "
	    "s:s, s:s, s:s, s:s}", "id", (json_int_t)*id, "year",
	    (json_int_t)in.year, "target", in.target, "what", in.what,
	    "who", in.who, "due", in.due)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	*id = 0;
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	if (e == ERR_BAD_MEASURE)
		*fields = bad;
	else
		json_decref(bad);
	return e;
}

/*
 * Change measure id by actor: only what given names; the rest stays.
 * has_round with round 0 unlinks the round.  Audited "measure.change"
 * with the fields changed.  ERR_BAD_MEASURE (*fields, caller frees; also
 * when nothing is given), ERR_NO_MEASURE, ERR_TOO_MANY_MEASURES,
 * ERR_UNAVAILABLE.
 */
enum err
measures_change(struct app *app, const char *actor, int64_t id,
    const struct measure_input *in, json_t **fields)
{
	static const char *const names[] = { "fiscal_year", "target",
	    "round", "what", "how", "who", "due", "status", "progress",
	    "evidence" };
	sqlite3_stmt	*st;
	json_t		*bad, *old = NULL, *changed = NULL;
	const char	*given[10];
	int64_t		 year, t = (int64_t)time(NULL);
	enum err	 e;
	size_t		 i;
	int		 rc;

	*fields = NULL;
	given[0] = in->has_year ? "" : NULL;
	given[1] = in->target;
	given[2] = in->has_round ? "" : NULL;
	given[3] = in->what;
	given[4] = in->how;
	given[5] = in->who;
	given[6] = in->due;
	given[7] = in->status;
	given[8] = in->progress;
	given[9] = in->evidence;
	bad = input_check(app, in, 0);
	changed = json_array();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (given[i] != NULL)
			json_array_append_new(changed, json_string(names[i]));
	if (json_array_size(changed) == 0)
		json_object_set_new(bad, "measure",
		    json_string("nothing to change"));
	if (json_object_size(bad) > 0) {
		json_decref(changed);
		*fields = bad;
		return ERR_BAD_MEASURE;
	}
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = row_get(app->db, id, &old)) != 1) {
		if (rc == 0)
			e = ERR_NO_MEASURE;
		goto rollback;
	}
	year = json_integer_value(json_object_get(old, "fiscal_year"));
	if ((e = db_rules(app, in, in->has_year ? in->year : year,
	    in->has_year && in->year != year, bad)) != ERR_OK)
		goto rollback;
	e = ERR_UNAVAILABLE;
	if ((st = sql(app->db, MSQL_UPDATE)) == NULL)
		goto rollback;
	if (bind_input(st, in) == -1 ||
	    sqlite3_bind_int64(st, 11, t) != SQLITE_OK ||
	    bind_text(st, 12, actor) == -1 ||
	    sqlite3_bind_int(st, 13, in->has_round) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 14, id) != SQLITE_OK ||
	    db_run(app->db, st) == -1) {
		db_done(st);
		goto rollback;
	}
	db_done(st);
	if (audit_add(app->db, actor, "measure.change", json_pack("{s:I, "
	    "s:I, s:s, s:s, s:O}", "id", (json_int_t)id, "year",
	    (json_int_t)(in->has_year ? in->year : year), "target",
	    in->target != NULL ? in->target : json_string_value(
	    json_object_get(old, "target")), "status", in->status != NULL ?
	    in->status : json_string_value(json_object_get(old, "status")),
	    "changed", changed)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	json_decref(old);
	json_decref(changed);
	if (e == ERR_BAD_MEASURE)
		*fields = bad;
	else
		json_decref(bad);
	return e;
}

/*
 * Delete measure id, by actor.  Audited "measure.delete" with what it
 * was.  ERR_NO_MEASURE, ERR_UNAVAILABLE.
 */
enum err
measures_delete(struct app *app, const char *actor, int64_t id)
{
	sqlite3_stmt	*st;
	json_t		*old = NULL;
	enum err	 e = ERR_UNAVAILABLE;
	int		 rc;

	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = row_get(app->db, id, &old)) != 1) {
		if (rc == 0)
			e = ERR_NO_MEASURE;
		goto rollback;
	}
	if ((st = sql(app->db, MSQL_DELETE)) == NULL)
		goto rollback;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    db_run(app->db, st) == -1) {
		db_done(st);
		goto rollback;
	}
	db_done(st);
	if (audit_add(app->db, actor, "measure.delete", json_pack("{s:I, "
	    "s:O, s:O, s:O}", "id", (json_int_t)id, "year",
	    json_object_get(old, "fiscal_year"), "target",
	    json_object_get(old, "target"), "what", json_object_get(old,
	    "what"))) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	json_decref(old);
	return e;
}

/*
 * Measure id as the list shows it (*doc, caller owns).  ERR_NO_MEASURE,
 * ERR_INTERNAL.
 */
enum err
measures_get(struct app *app, int64_t id, json_t **doc)
{
	char	day[16];
	int	rc;

	*doc = NULL;
	db_lock(app->db);
	rc = row_get(app->db, id, doc);
	db_unlock(app->db);
	if (rc != 1)
		return rc == 0 ? ERR_NO_MEASURE : ERR_INTERNAL;
	today(day);
	decorate(app, *doc, day);
	return ERR_OK;
}

/*
 * The measures of fiscal year, of one status unless status is NULL,
 * by target then due date, into *doc (caller owns): {year, agency,
 * counts: {planned, doing, done, dropped} (of the whole year), measures:
 * [...]}.  ERR_MEASURES_QUERY (year or status), ERR_INTERNAL.
 */
enum err
measures_list(struct app *app, int64_t year, const char *status,
    json_t **doc)
{
	sqlite3_stmt	*st = NULL, *cs = NULL;
	json_t		*arr = NULL, *counts = NULL, *m;
	char		*agency = NULL, day[16];
	const char	*s;
	size_t		 i;
	int		 rc, step;

	*doc = NULL;
	if (year < MEASURE_YEAR_MIN || year > MEASURE_YEAR_MAX ||
	    (status != NULL && !measures_status_ok(status)))
		return ERR_MEASURES_QUERY;
	if (settings_get(app, SETTING_AGENCY, &agency) != ERR_OK)
		return ERR_INTERNAL;
	arr = json_array();
	counts = json_object();
	for (i = 0; i < NSTATUSES; i++)
		json_object_set_new(counts, statuses[i], json_integer(0));
	rc = -1;
	db_lock(app->db);
	if ((st = sql(app->db, MSQL_LIST)) == NULL ||
	    (cs = sql(app->db, MSQL_COUNTS)) == NULL)
		goto unlock;
	if (sqlite3_bind_int64(st, 1, year) != SQLITE_OK ||
	    bind_text(st, 2, status) == -1 ||
	    sqlite3_bind_int64(cs, 1, year) != SQLITE_OK)
		goto unlock;
	while ((step = db_step(app->db, st)) == SQLITE_ROW)
		json_array_append_new(arr, row_json(st));
	if (step != SQLITE_DONE)
		goto unlock;
	while ((step = db_step(app->db, cs)) == SQLITE_ROW)
		if ((s = (const char *)sqlite3_column_text(cs, 0)) != NULL &&
		    measures_status_ok(s))
			json_object_set_new(counts, s, json_integer(
			    sqlite3_column_int64(cs, 1)));
	if (step != SQLITE_DONE)
		goto unlock;
	rc = 0;
unlock:
	if (st != NULL)
		db_done(st);
	if (cs != NULL)
		db_done(cs);
	db_unlock(app->db);
	if (rc == 0) {
		today(day);
		json_array_foreach(arr, i, m)
			decorate(app, m, day);
		*doc = json_pack("{s:I, s:s, s:O, s:O}", "year",
		    (json_int_t)year, "agency", agency, "counts", counts,
		    "measures", arr);
	}
	free(agency);
	json_decref(arr);
	json_decref(counts);
	return *doc == NULL ? ERR_INTERNAL : ERR_OK;
}

/* A status in Thai, for the committee's CSV. */
static const char *
status_th(const char *s)
{
	static const char *const th[] = { "วางแผน", "กำลังดำเนินการ",
	    "ดำเนินการแล้ว", "ยกเลิก" };
	size_t	i;

	for (i = 0; i < NSTATUSES; i++)
		if (s != NULL && strcmp(s, statuses[i]) == 0)
			return th[i];
	return "";
}

static const char *
str(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/*
 * The measures of fiscal year as CSV into out: UTF-8 with a BOM (Excel
 * reads Thai then), Thai column titles, one row per measure in the
 * list's order, every cell through export_csv_field (no cell starts a
 * formula).  ERR_MEASURES_QUERY, ERR_INTERNAL.
 */
enum err
measures_csv(struct app *app, int64_t year, FILE *out)
{
	static const char *const heads[] = { "ลำดับ", "รหัสมาตรการ",
	    "ปีงบประมาณ", "ตัวชี้วัด/ข้อ", "ชื่อตัวชี้วัด/ข้อ", "รอบที่ใช้ผล",
	    "มาตรการ", "ขั้นตอน/วิธีการดำเนินการ", "ผู้รับผิดชอบ",
	    "กำหนดเสร็จ", "สถานะ", "ผลการดำเนินการ", "หลักฐาน",
	    "เกินกำหนด" };
	json_t		*doc, *m;
	char		 num[3][32];
	size_t		 i, k;
	enum err	 e;

	if ((e = measures_list(app, year, NULL, &doc)) != ERR_OK)
		return e;
	fputs("\xef\xbb\xbf", out);
	for (k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
		export_csv_field(out, heads[k], k + 1 == sizeof(heads) /
		    sizeof(heads[0]));
	json_array_foreach(json_object_get(doc, "measures"), i, m) {
		snprintf(num[0], sizeof(num[0]), "%zu", i + 1);
		snprintf(num[1], sizeof(num[1]), "%lld", (long long)
		    json_integer_value(json_object_get(m, "id")));
		snprintf(num[2], sizeof(num[2]), "%lld", (long long)
		    json_integer_value(json_object_get(m, "fiscal_year")));
		export_csv_field(out, num[0], 0);
		export_csv_field(out, num[1], 0);
		export_csv_field(out, num[2], 0);
		export_csv_field(out, str(m, "target"), 0);
		export_csv_field(out, str(json_object_get(m, "target_name"),
		    "th"), 0);
		if (json_is_integer(json_object_get(m, "round"))) {
			snprintf(num[0], sizeof(num[0]), "%lld", (long long)
			    json_integer_value(json_object_get(m, "round")));
			export_csv_field(out, num[0], 0);
		} else
			export_csv_field(out, "", 0);
		export_csv_field(out, str(m, "what"), 0);
		export_csv_field(out, str(m, "how"), 0);
		export_csv_field(out, str(m, "who"), 0);
		export_csv_field(out, str(m, "due"), 0);
		export_csv_field(out, status_th(str(m, "status")), 0);
		export_csv_field(out, str(m, "progress"), 0);
		export_csv_field(out, str(m, "evidence"), 0);
		export_csv_field(out, json_is_true(json_object_get(m,
		    "overdue")) ? "ใช่" : "", 1);
	}
	json_decref(doc);
	return ferror(out) ? ERR_INTERNAL : ERR_OK;
}

/*
 * What a measure may answer, for the console's picker (*doc, caller
 * owns): {"instruments": [{id, instrument ("IIT", "EIT", "OIT"), title,
 * indicators: [{code, name, items: [{code, name}]}]}]}, the loaded forms
 * in their order, then the newest OIT checklist.  ERR_INTERNAL.
 */
enum err
measures_targets(struct app *app, json_t **doc)
{
	const struct formset	*fs = app->forms;
	const struct checklist	*cl;
	const struct indicator	*ind;
	json_t			*arr = json_array(), *inds, *items;
	size_t			 f, i, j;

	*doc = NULL;
	for (f = 0; fs != NULL && f < fs->nforms; f++) {
		inds = json_array();
		for (i = 0; i < fs->forms[f]->ninds; i++) {
			ind = &fs->forms[f]->inds[i];
			items = json_array();
			for (j = 0; j < ind->nitems; j++)
				json_array_append_new(items, json_pack(
				    "{s:s, s:o}", "code", ind->items[j].code,
				    "name", label_json(&ind->items[j].text)));
			json_array_append_new(inds, json_pack("{s:s, s:o, "
			    "s:o}", "code", ind->code, "name",
			    label_json(&ind->name), "items", items));
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o}",
		    "id", fs->forms[f]->id, "instrument",
		    fs->forms[f]->instrument, "title",
		    label_json(&fs->forms[f]->title), "indicators", inds));
	}
	if (fs != NULL && (cl = checklist_latest(fs)) != NULL) {
		inds = json_array();
		for (i = 0; i < cl->ninds; i++) {
			items = json_array();
			for (j = 0; j < cl->nitems; j++)
				if (cl->items[j].indicator == i)
					json_array_append_new(items, json_pack(
					    "{s:s, s:o}", "code",
					    cl->items[j].code, "name",
					    label_json(&cl->items[j].name)));
			json_array_append_new(inds, json_pack("{s:s, s:o, "
			    "s:o}", "code", cl->inds[i].code, "name",
			    label_json(&cl->inds[i].name), "items", items));
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o}",
		    "id", cl->id, "instrument", "OIT", "title",
		    label_json(&cl->title), "indicators", inds));
	}
	*doc = json_pack("{s:o}", "instruments", arr);
	return *doc == NULL ? ERR_INTERNAL : ERR_OK;
}
