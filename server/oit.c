/* SPDX-License-Identifier: ISC */
/*
 * The OIT evidence desk's administrators' actions: adding and removing an
 * item's evidence URLs, the working group's word on an item (ready, note,
 * who is responsible), and what the console and the command line read:
 * the checklist with each item's state at a glance, an item's history,
 * the alerts, a URL's kept copy.  Each change checks its rule, runs its
 * transaction and writes its audit line here; api_oit.c and cmd_oit.c
 * only translate.  The SQL is oitdb.c's; the watcher (watch.c) is what
 * fills the checks, changes, days, alerts and copies read here.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "audit.h"
#include "db.h"
#include "oit.h"
#include "oitdb.h"

#define UPTIME_DAYS	30	/* the window of "uptime_30d" */
#define LOG_MAX		500	/* check-log lines of one URL in a history */
#define ALERTS_MAX	200	/* alerts one list holds */
#define HISTORY_DAYS_MAX 366	/* days one history may span */

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

/*
 * The local calendar day "YYYY-MM-DD" back days before the day of t (the
 * days of oit_daily are the server's local days).
 */
static void
local_day(int64_t t, int64_t back, char out[16])
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (localtime_r(&tt, &tm) == NULL) {
		snprintf(out, 16, "0000-00-00");
		return;
	}
	tm.tm_mday -= (int)back;
	tm.tm_hour = 12;		/* away from a DST edge */
	tm.tm_isdst = -1;
	tt = mktime(&tm);
	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 16, "0000-00-00");
}

/* The checklist the desk uses, with its settings.  ERR_OK or why not. */
static enum err
desk(struct app *app, struct oit_conf *conf, const struct checklist **cl)
{
	*cl = NULL;
	if (oit_conf_read(app, conf) == -1)
		return ERR_INTERNAL;
	if ((*cl = oit_checklist(app, conf)) == NULL)
		return ERR_OIT_NO_CHECKLIST;
	return ERR_OK;
}

static json_t *
label_json(const struct label *l)
{
	if (l->th == NULL && l->en == NULL)
		return json_null();
	return json_pack("{s:s?, s:s?}", "th", l->th, "en", l->en);
}

/*
 * Finish a URL object of oitdb_urls_json for the console: uptime_30d is
 * the percentage of its checks of the last UPTIME_DAYS local days that
 * found it up, two decimals, null when there was none.
 */
static void
url_finish(json_t *u)
{
	json_int_t	checks, up;

	if (json_object_get(u, "up_30d") == NULL)
		return;		/* finished already */
	checks = json_integer_value(json_object_get(u, "checks_30d"));
	up = json_integer_value(json_object_get(u, "up_30d"));
	json_object_set_new(u, "uptime_30d", checks > 0 && up >= 0 &&
	    up <= checks ? json_real(score_to_double(score_round_div(
	    (int64_t)up * 10000, (int64_t)checks))) : json_null());
	json_object_del(u, "up_30d");
}

/*
 * An item's state at a glance, from its live URLs and the group's word:
 * "no_url" without a URL; else "down" if one is down, else "suspect" if
 * one is suspect, else "unknown" if one was never checked; else
 * "not_ready" if the group has not said its content is ready; else "up".
 */
static const char *
item_state(const json_t *urls, int ready)
{
	const json_t	*u;
	const char	*s;
	size_t		 i;
	int		 down = 0, suspect = 0, unknown = 0;

	if (json_array_size(urls) == 0)
		return "no_url";
	json_array_foreach(urls, i, u) {
		s = json_string_value(json_object_get(u, "state"));
		if (s == NULL || strcmp(s, "unknown") == 0)
			unknown = 1;
		else if (strcmp(s, "down") == 0)
			down = 1;
		else if (strcmp(s, "suspect") == 0)
			suspect = 1;
	}
	return down ? "down" : suspect ? "suspect" : unknown ? "unknown" :
	    !ready ? "not_ready" : "up";
}

/*
 * Item it of cl as the console shows it: code, name, hint, indicator,
 * group, the group's word (ready, note, owner, updated_at, updated_by;
 * from word, an object of oitdb_items_json, or defaults), its live urls
 * (stolen, each finished here), state and last_change (the latest
 * change of any of them, null when none).  Caller owns.
 */
static json_t *
item_json(const struct checklist *cl, const struct checklist_item *it,
    const json_t *word, json_t *urls)
{
	json_t		*o, *u, *v, *at, *by;
	const char	*note, *owner;
	json_int_t	 last = 0;
	size_t		 i;
	int		 ready;

	ready = json_is_true(json_object_get(word, "ready"));
	json_array_foreach(urls, i, u) {
		url_finish(u);
		v = json_object_get(u, "last_change");
		if (json_is_integer(v) && json_integer_value(v) > last)
			last = json_integer_value(v);
	}
	note = json_string_value(json_object_get(word, "note"));
	owner = json_string_value(json_object_get(word, "owner"));
	if ((at = json_object_get(word, "updated_at")) == NULL)
		at = json_null();
	if ((by = json_object_get(word, "updated_by")) == NULL)
		by = json_null();
	o = json_pack("{s:s, s:o, s:o, s:s, s:s, s:b, s:s, s:s, s:O, s:O, "
	    "s:s, s:o}",
	    "code", it->code, "name", label_json(&it->name),
	    "hint", label_json(&it->hint),
	    "indicator", cl->inds[it->indicator].code,
	    "group", cl->groups[it->group].code,
	    "ready", ready, "note", note != NULL ? note : "",
	    "owner", owner != NULL ? owner : "",
	    "updated_at", at, "updated_by", by,
	    "state", item_state(urls, ready),
	    "last_change", last > 0 ? json_integer(last) : json_null());
	if (o == NULL) {
		json_decref(urls);
		return NULL;
	}
	json_object_set_new(o, "urls", urls);
	return o;
}

/* The live URLs of item among all (an array of oitdb_urls_json). */
static json_t *
urls_of(const json_t *all, const char *item)
{
	json_t		*arr = json_array(), *u;
	size_t		 i;

	json_array_foreach(all, i, u)
		if (strcmp(json_string_value(json_object_get(u, "item")),
		    item) == 0 && json_is_null(json_object_get(u,
		    "removed_at")))
			json_array_append(arr, u);
	return arr;
}

/* The indicators of cl with their groups, as the console groups items. */
static json_t *
indicators_json(const struct checklist *cl)
{
	json_t	*arr = json_array(), *ind, *groups;
	size_t	 i, j;

	for (i = 0; i < cl->ninds; i++) {
		groups = json_array();
		for (j = 0; j < cl->ngroups; j++)
			if (cl->groups[j].indicator == i)
				json_array_append_new(groups, json_pack(
				    "{s:s, s:o}", "code", cl->groups[j].code,
				    "name", label_json(&cl->groups[j].name)));
		ind = json_pack("{s:s, s:o, s:I, s:o}", "code",
		    cl->inds[i].code, "name", label_json(&cl->inds[i].name),
		    "weight", (json_int_t)cl->inds[i].weight,
		    "groups", groups);
		json_array_append_new(arr, ind);
	}
	return arr;
}

/*
 * The checklist in use with every item as item_json() makes it, the
 * counts of items per state, the main site's host, the number of open
 * alerts and of live URLs (*doc, caller owns).  ERR_OIT_NO_CHECKLIST,
 * ERR_INTERNAL.
 */
enum err
oit_list(struct app *app, json_t **doc)
{
	static const char *const states[] = { "up", "suspect", "down",
	    "unknown", "not_ready", "no_url" };
	struct oit_conf		 conf;
	const struct checklist	*cl;
	json_t			*words = NULL, *urls = NULL, *items, *counts,
				*it;
	char			 since[16];
	int64_t			 open = 0;
	size_t			 i;
	enum err		 e;
	int			 rc;

	*doc = NULL;
	if ((e = desk(app, &conf, &cl)) != ERR_OK)
		return e;
	local_day(now(), UPTIME_DAYS - 1, since);
	db_lock(app->db);
	rc = oitdb_items_json(app->db, cl->id, &words) == -1 ||
	    oitdb_urls_json(app->db, cl->id, NULL, 0, 0, since, &urls) == -1 ||
	    oitdb_alerts_open_count(app->db, &open) == -1 ? -1 : 0;
	db_unlock(app->db);
	if (rc == -1) {
		json_decref(words);
		json_decref(urls);
		return ERR_INTERNAL;
	}
	items = json_array();
	counts = json_object();
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		json_object_set_new(counts, states[i], json_integer(0));
	for (i = 0; i < cl->nitems; i++) {
		it = item_json(cl, &cl->items[i], json_object_get(words,
		    cl->items[i].code), urls_of(urls, cl->items[i].code));
		if (it == NULL)
			continue;
		json_object_set_new(counts, json_string_value(
		    json_object_get(it, "state")), json_integer(
		    json_integer_value(json_object_get(counts,
		    json_string_value(json_object_get(it, "state")))) + 1));
		json_array_append_new(items, it);
	}
	*doc = json_pack("{s:s, s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:I, s:I}",
	    "checklist", cl->id, "fiscal_year", (json_int_t)cl->fiscal_year,
	    "title", label_json(&cl->title), "note", label_json(&cl->note),
	    "host", conf.host, "indicators", indicators_json(cl),
	    "counts", counts, "items", items,
	    "urls", (json_int_t)json_array_size(urls),
	    "open_alerts", (json_int_t)open);
	json_decref(words);
	json_decref(urls);
	return *doc == NULL ? ERR_INTERNAL : ERR_OK;
}

/*
 * Item code of the checklist in use as oit_list() shows it (*doc, caller
 * owns).  ERR_OIT_NO_CHECKLIST, ERR_OIT_UNKNOWN_ITEM, ERR_INTERNAL.
 */
enum err
oit_item_get(struct app *app, const char *code, json_t **doc)
{
	struct oit_conf			 conf;
	const struct checklist		*cl;
	const struct checklist_item	*it;
	json_t				*words = NULL, *urls = NULL;
	char				 since[16];
	enum err			 e;
	int				 rc;

	*doc = NULL;
	if ((e = desk(app, &conf, &cl)) != ERR_OK)
		return e;
	if ((it = checklist_item(cl, code)) == NULL)
		return ERR_OIT_UNKNOWN_ITEM;
	local_day(now(), UPTIME_DAYS - 1, since);
	db_lock(app->db);
	rc = oitdb_items_json(app->db, cl->id, &words) == -1 ||
	    oitdb_urls_json(app->db, cl->id, it->code, 0, 0, since,
	    &urls) == -1 ? -1 : 0;
	db_unlock(app->db);
	if (rc == 0) {
		*doc = item_json(cl, it, json_object_get(words, it->code),
		    urls);
		urls = NULL;
	}
	json_decref(words);
	json_decref(urls);
	return *doc == NULL ? ERR_INTERNAL : ERR_OK;
}

/*
 * URL id, removed or not, as the lists show it (*doc, caller owns).
 * ERR_OIT_NO_URL, ERR_INTERNAL.
 */
enum err
oit_url_get(struct app *app, int64_t id, json_t **doc)
{
	json_t		*arr = NULL;
	char		 since[16];
	int		 rc;

	*doc = NULL;
	local_day(now(), UPTIME_DAYS - 1, since);
	db_lock(app->db);
	rc = oitdb_urls_json(app->db, NULL, NULL, id, 1, since, &arr);
	db_unlock(app->db);
	if (rc == -1)
		return ERR_INTERNAL;
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return ERR_OIT_NO_URL;
	}
	*doc = json_incref(json_array_get(arr, 0));
	url_finish(*doc);
	json_decref(arr);
	return ERR_OK;
}

/*
 * Add url as evidence of item of the checklist in use, by actor; its id
 * in *id.  The URL must pass the fetch rule now (oit_url_check: http or
 * https, no user name or password, and unless --oit-allow-private no
 * loopback, private, link-local or metadata address after DNS), the item
 * keep at most OIT_URLS_PER_ITEM live URLs and the desk OIT_URLS_MAX,
 * and the item not have it already.  Audited "oit.url.add".
 * ERR_OIT_NO_CHECKLIST, ERR_OIT_UNKNOWN_ITEM, ERR_OIT_BAD_URL,
 * ERR_OIT_URL_PRIVATE, ERR_OIT_TOO_MANY_URLS, ERR_OIT_URL_EXISTS,
 * ERR_UNAVAILABLE.
 */
enum err
oit_url_add(struct app *app, const char *actor, const char *item,
    const char *url, int64_t *id)
{
	struct oit_conf			 conf;
	const struct checklist		*cl;
	const struct checklist_item	*it;
	int64_t				 n;
	enum err			 e;
	int				 rc;

	*id = 0;
	if ((e = desk(app, &conf, &cl)) != ERR_OK)
		return e;
	if ((it = checklist_item(cl, item)) == NULL)
		return ERR_OIT_UNKNOWN_ITEM;
	/* DNS may take a while: before the lock, not under it. */
	if ((e = oit_url_check(app, url)) != ERR_OK)
		return e;
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (oitdb_url_count(app->db, cl->id, it->code, &n) == -1)
		goto rollback;
	if (n >= OIT_URLS_PER_ITEM) {
		e = ERR_OIT_TOO_MANY_URLS;
		goto rollback;
	}
	if (oitdb_url_count(app->db, NULL, NULL, &n) == -1)
		goto rollback;
	if (n >= OIT_URLS_MAX) {
		e = ERR_OIT_TOO_MANY_URLS;
		goto rollback;
	}
	if ((rc = oitdb_url_find(app->db, cl->id, it->code, url)) != 0) {
		if (rc == 1)
			e = ERR_OIT_URL_EXISTS;
		goto rollback;
	}
	if (oitdb_url_insert(app->db, cl->id, it->code, url, now(), actor,
	    id) == -1 ||
	    audit_add(app->db, actor, "oit.url.add", json_pack("{s:s, s:s, "
	    "s:s, s:I}", "checklist", cl->id, "item", it->code, "url", url,
	    "id", (json_int_t)*id)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	*id = 0;
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}

/*
 * Stop watching URL id, by actor: it keeps its history (check log, days,
 * alerts, copy) for the proof of availability; its open alerts close.
 * Audited "oit.url.remove".  ERR_OIT_NO_URL (unknown or already
 * removed), ERR_UNAVAILABLE.
 */
enum err
oit_url_remove(struct app *app, const char *actor, int64_t id)
{
	json_t		*arr = NULL, *u;
	enum err	 e = ERR_UNAVAILABLE;
	int		 rc;

	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (oitdb_urls_json(app->db, NULL, NULL, id, 0, "", &arr) == -1)
		goto rollback;
	if ((u = json_array_get(arr, 0)) == NULL) {
		e = ERR_OIT_NO_URL;
		goto rollback;
	}
	if ((rc = oitdb_url_remove(app->db, id, now())) != 1) {
		if (rc == 0)
			e = ERR_OIT_NO_URL;
		goto rollback;
	}
	if (audit_add(app->db, actor, "oit.url.remove", json_pack("{s:O, "
	    "s:O, s:O, s:I}", "checklist", json_object_get(u, "checklist"),
	    "item", json_object_get(u, "item"), "url", json_object_get(u,
	    "url"), "id", (json_int_t)id)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	json_decref(arr);
	return e;
}

/* "" (clears it) or one line of text of at most max bytes. */
static int
word_ok(const char *s, size_t max)
{
	return s[0] == '\0' || text_ok(s, max);
}

/*
 * The working group's word on item of the checklist in use, by actor:
 * ready 1 or 0 (-1 leaves it), note and owner (NULL leaves them, ""
 * clears them; one line of text of at most OIT_NOTE_MAX and
 * OIT_OWNER_MAX bytes).  At least one must change something.  Audited
 * "oit.item.set" with the item's word after the change.
 * ERR_OIT_BAD_ITEM, ERR_OIT_NO_CHECKLIST, ERR_OIT_UNKNOWN_ITEM,
 * ERR_UNAVAILABLE.
 */
enum err
oit_item_set(struct app *app, const char *actor, const char *item,
    int ready, const char *note, const char *owner)
{
	struct oit_conf			 conf;
	const struct checklist		*cl;
	const struct checklist_item	*it;
	struct oit_item_row		*row = NULL;
	json_t				*changed;
	enum err			 e;

	if ((ready != -1 && ready != 0 && ready != 1) ||
	    (ready == -1 && note == NULL && owner == NULL) ||
	    (note != NULL && !word_ok(note, OIT_NOTE_MAX)) ||
	    (owner != NULL && !word_ok(owner, OIT_OWNER_MAX)))
		return ERR_OIT_BAD_ITEM;
	if ((e = desk(app, &conf, &cl)) != ERR_OK)
		return e;
	if ((it = checklist_item(cl, item)) == NULL)
		return ERR_OIT_UNKNOWN_ITEM;
	row = xcalloc(1, sizeof(*row));
	changed = json_array();
	if (ready != -1)
		json_array_append_new(changed, json_string("ready"));
	if (note != NULL)
		json_array_append_new(changed, json_string("note"));
	if (owner != NULL)
		json_array_append_new(changed, json_string("owner"));
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (oitdb_item_get(app->db, cl->id, it->code, row) == -1)
		goto rollback;
	if (ready != -1)
		row->ready = ready;
	if (note != NULL)
		snprintf(row->note, sizeof(row->note), "%s", note);
	if (owner != NULL)
		snprintf(row->owner, sizeof(row->owner), "%s", owner);
	if (oitdb_item_put(app->db, cl->id, it->code, row, now(),
	    actor) == -1 ||
	    audit_add(app->db, actor, "oit.item.set", json_pack("{s:s, s:s, "
	    "s:s, s:s, s:s, s:O}", "checklist", cl->id, "item", it->code,
	    "ready", row->ready ? "yes" : "no", "note", row->note,
	    "owner", row->owner, "changed", changed)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	json_decref(changed);
	free(row);
	return e;
}

/*
 * The history of item of the checklist in use over the last days days
 * (1 to HISTORY_DAYS_MAX) into *doc (caller owns): {checklist, days,
 * item (as oit_list() shows it), urls (live and removed, each with
 * "log", its check log in the window, newest first, at most LOG_MAX
 * lines, and "daily", its days in the window, newest first, each with
 * its uptime), alerts (open and closed, newest first)}.
 * ERR_BAD_REQUEST (days), ERR_OIT_NO_CHECKLIST, ERR_OIT_UNKNOWN_ITEM,
 * ERR_INTERNAL.
 */
enum err
oit_item_history(struct app *app, const char *item, int64_t days,
    json_t **doc)
{
	struct oit_conf			 conf;
	const struct checklist		*cl;
	const struct checklist_item	*it;
	json_t				*words = NULL, *urls = NULL,
					*alerts = NULL, *shown = NULL, *u,
					*log, *daily, *d, *live;
	char				 since30[16], since[16];
	json_int_t			 checks, up;
	int64_t				 t = now(), id;
	size_t				 i, j;
	enum err			 e;
	int				 rc = 0;

	*doc = NULL;
	if (days < 1 || days > HISTORY_DAYS_MAX)
		return ERR_BAD_REQUEST;
	if ((e = desk(app, &conf, &cl)) != ERR_OK)
		return e;
	if ((it = checklist_item(cl, item)) == NULL)
		return ERR_OIT_UNKNOWN_ITEM;
	local_day(t, UPTIME_DAYS - 1, since30);
	local_day(t, days - 1, since);
	db_lock(app->db);
	if (oitdb_items_json(app->db, cl->id, &words) == -1 ||
	    oitdb_urls_json(app->db, cl->id, it->code, 0, 1, since30,
	    &urls) == -1 ||
	    oitdb_alerts_json(app->db, 0, cl->id, it->code, ALERTS_MAX,
	    &alerts) == -1) {
		db_unlock(app->db);
		e = ERR_INTERNAL;
		goto out;
	}
	/* The item as the list shows it, from copies of its live URLs. */
	live = json_array();
	json_array_foreach(urls, i, u) {
		url_finish(u);
		if (json_is_null(json_object_get(u, "removed_at")))
			json_array_append_new(live, json_deep_copy(u));
	}
	shown = item_json(cl, it, json_object_get(words, it->code), live);
	json_array_foreach(urls, i, u) {
		id = (int64_t)json_integer_value(json_object_get(u, "id"));
		if (oitdb_changes_json(app->db, id, t - days * 86400, LOG_MAX,
		    &log) == -1) {
			rc = -1;
			break;
		}
		json_object_set_new(u, "log", log);
		if (oitdb_daily_json(app->db, id, since, days, &daily) == -1) {
			rc = -1;
			break;
		}
		json_array_foreach(daily, j, d) {
			checks = json_integer_value(json_object_get(d,
			    "checks"));
			up = json_integer_value(json_object_get(d, "up"));
			json_object_set_new(d, "uptime", checks > 0 &&
			    up >= 0 && up <= checks ? json_real(
			    score_to_double(score_round_div((int64_t)up *
			    10000, (int64_t)checks))) : json_null());
		}
		json_object_set_new(u, "daily", daily);
	}
	db_unlock(app->db);
	if (rc == -1 || shown == NULL) {
		e = ERR_INTERNAL;
		goto out;
	}
	*doc = json_pack("{s:s, s:I, s:O, s:O, s:O}", "checklist", cl->id,
	    "days", (json_int_t)days, "item", shown, "urls", urls,
	    "alerts", alerts);
	e = *doc == NULL ? ERR_INTERNAL : ERR_OK;
out:
	json_decref(words);
	json_decref(urls);
	json_decref(alerts);
	json_decref(shown);
	return e;
}

/*
 * The alerts, newest first, at most ALERTS_MAX, open ones only when
 * open_only: {"alerts": [...] (oitdb_alerts_json), "open": N}.
 * ERR_INTERNAL.
 */
enum err
oit_alerts_list(struct app *app, int open_only, json_t **doc)
{
	json_t	*arr = NULL;
	int64_t	 open = 0;
	int	 rc;

	*doc = NULL;
	db_lock(app->db);
	rc = oitdb_alerts_json(app->db, open_only, NULL, NULL, ALERTS_MAX,
	    &arr) == -1 || oitdb_alerts_open_count(app->db, &open) == -1 ?
	    -1 : 0;
	db_unlock(app->db);
	if (rc == -1) {
		json_decref(arr);
		return ERR_INTERNAL;
	}
	*doc = json_pack("{s:o, s:I}", "alerts", arr, "open",
	    (json_int_t)open);
	return *doc == NULL ? ERR_INTERNAL : ERR_OK;
}

/*
 * The last good copy of URL url_id (removed or not) into *c (free with
 * oit_copy_free()).  ERR_OIT_NO_URL, ERR_OIT_NO_COPY, ERR_INTERNAL.
 */
enum err
oit_copy_get(struct app *app, int64_t url_id, struct oit_copy *c)
{
	json_t	*arr = NULL;
	int	 rc;

	memset(c, 0, sizeof(*c));
	db_lock(app->db);
	rc = oitdb_urls_json(app->db, NULL, NULL, url_id, 1, "", &arr);
	if (rc != -1)
		rc = json_array_size(arr) == 0 ? 2 :
		    oitdb_copy_get(app->db, url_id, c);
	db_unlock(app->db);
	json_decref(arr);
	if (rc == 1)
		return ERR_OK;
	oit_copy_free(c);
	return rc == 2 ? ERR_OIT_NO_URL : rc == 0 ? ERR_OIT_NO_COPY :
	    ERR_INTERNAL;
}

/* Free what oit_copy_get() filled in c; accepts NULL. */
void
oit_copy_free(struct oit_copy *c)
{
	if (c == NULL)
		return;
	free(c->final_url);
	free(c->ctype);
	free(c->body);
	memset(c, 0, sizeof(*c));
}
