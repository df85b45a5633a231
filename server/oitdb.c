/* SPDX-License-Identifier: ISC */
/*
 * The SQL of the OIT evidence desk's tables (migrations/0004_oit.sql),
 * prepared once through db_slot() and reset after each use, with bound
 * parameters only.  Callers hold db_lock(); the record of one check is
 * one transaction of the caller's (watch.c).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "extern.h"
#include "db.h"
#include "oitdb.h"

enum oitsql {
	/* the watcher (watch.c) */
	OSQL_URLS_LIVE,
	OSQL_URL_UPDATE,
	OSQL_CHANGE_INSERT,
	OSQL_DAILY_BUMP,
	OSQL_ALERT_OPEN_GET,
	OSQL_ALERT_INSERT,
	OSQL_ALERT_CLOSE,
	OSQL_NOTICE_INSERT,
	OSQL_NOTICES_PENDING,
	OSQL_NOTICE_CLAIM,
	OSQL_NOTICE_SENT,
	OSQL_NOTICE_FAILED,
	OSQL_COPY_SIZE,
	OSQL_COPIES_OTHERS,
	OSQL_COPY_PUT,
	/* oit-api: the administrators' actions (oit.c) */
	OSQL_ITEM_GET,
	OSQL_ITEM_PUT,
	OSQL_ITEMS_ALL,
	OSQL_URL_COUNT_ITEM,
	OSQL_URL_COUNT_ALL,
	OSQL_URL_FIND,
	OSQL_URL_INSERT,
	OSQL_URL_REMOVE,
	OSQL_URL_ALERTS_CLOSE,
	OSQL_URLS_VIEW,
	OSQL_CHANGES_VIEW,
	OSQL_DAILY_VIEW,
	OSQL_ALERTS_VIEW,
	OSQL_NOTICES_VIEW,
	OSQL_ALERTS_OPEN_COUNT,
	OSQL_COPY_GET,
	/* oit-report: availability reports (oitreport.c), the estimate
	   (oitscore.c) */
	OSQL_REP_URLS,
	OSQL_REP_ALERTS,
	OSQL_REP_CHANGES,
	OSQL_ITEMS_READY,
	OSQL_LIVE_STATES,
	OSQL__MAX
};

static const char *const sqls[OSQL__MAX] = {
	/* OSQL_URLS_LIVE: every URL still watched, with its copy's size. */
	"SELECT u.id, u.checklist, u.item, u.url, u.state, "
	"coalesce(u.since, 0), u.fails, coalesce(u.checked_at, 0), "
	"coalesce(u.final_url, ''), coalesce(u.on_site, 1), "
	"coalesce((SELECT c.size FROM oit_copies c WHERE c.url_id = u.id), "
	"-1), coalesce(u.cert_days, -1), coalesce(u.sha256, '') "
	"FROM oit_urls u WHERE u.removed_at IS NULL ORDER BY u.id",
	/* OSQL_URL_UPDATE */
	"UPDATE oit_urls SET state = ?2, since = ?3, fails = ?4, "
	"checked_at = ?5, status = ?6, final_url = ?7, on_site = ?8, "
	"ttfb_ms = ?9, size = ?10, ctype = ?11, sha256 = ?12, "
	"cert_days = ?13, error = ?14 WHERE id = ?1 AND removed_at IS NULL",
	/* OSQL_CHANGE_INSERT */
	"INSERT INTO oit_changes (url_id, at, state, status, final_url, "
	"on_site, ttfb_ms, size, ctype, sha256, cert_days, error) VALUES "
	"(?1, ?5, ?2, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	/* OSQL_DAILY_BUMP */
	"INSERT INTO oit_daily (url_id, day, checks, up, suspect, down, "
	"ttfb_ms_sum, ttfb_ms_max) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?6) "
	"ON CONFLICT (url_id, day) DO UPDATE SET checks = checks + 1, "
	"up = up + excluded.up, suspect = suspect + excluded.suspect, "
	"down = down + excluded.down, "
	"ttfb_ms_sum = ttfb_ms_sum + excluded.ttfb_ms_sum, "
	"ttfb_ms_max = max(ttfb_ms_max, excluded.ttfb_ms_max)",
	/* OSQL_ALERT_OPEN_GET */
	"SELECT id FROM oit_alerts WHERE url_id = ?1 AND kind = ?2 AND "
	"closed_at IS NULL",
	/* OSQL_ALERT_INSERT */
	"INSERT INTO oit_alerts (url_id, kind, opened_at, detail) VALUES "
	"(?1, ?2, ?3, ?4)",
	/* OSQL_ALERT_CLOSE */
	"UPDATE oit_alerts SET closed_at = ?2 WHERE id = ?1 AND "
	"closed_at IS NULL",
	/* OSQL_NOTICE_INSERT */
	"INSERT OR IGNORE INTO oit_notices (alert_id, event, channel, "
	"created_at) VALUES (?1, ?2, ?3, ?4)",
	/* OSQL_NOTICES_PENDING: oldest first, those with tries left. */
	"SELECT n.id, n.event, n.channel, n.attempts, a.id, a.kind, "
	"a.opened_at, coalesce(a.closed_at, 0), a.detail, u.checklist, "
	"u.item, u.url FROM oit_notices n JOIN oit_alerts a ON "
	"a.id = n.alert_id JOIN oit_urls u ON u.id = a.url_id "
	"WHERE n.sent_at IS NULL AND n.attempts < ?1 AND "
	"(n.tried_at IS NULL OR n.tried_at <= ?3) ORDER BY n.id LIMIT ?2",
	/* OSQL_NOTICE_CLAIM: one sender only, and not again too soon. */
	"UPDATE oit_notices SET tried_at = ?2 WHERE id = ?1 AND "
	"sent_at IS NULL AND (tried_at IS NULL OR tried_at <= ?3)",
	/* OSQL_NOTICE_SENT */
	"UPDATE oit_notices SET sent_at = ?2, attempts = attempts + 1, "
	"error = NULL WHERE id = ?1",
	/* OSQL_NOTICE_FAILED */
	"UPDATE oit_notices SET attempts = attempts + 1, error = ?2 "
	"WHERE id = ?1",
	/* OSQL_COPY_SIZE */
	"SELECT size, sha256 FROM oit_copies WHERE url_id = ?1",
	/* OSQL_COPIES_OTHERS: bytes kept for the other URLs. */
	"SELECT coalesce(sum(size), 0) FROM oit_copies WHERE url_id != ?1",
	/* OSQL_COPY_PUT */
	"INSERT OR REPLACE INTO oit_copies (url_id, fetched_at, final_url, "
	"ctype, size, sha256, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",

	/* ---- oit-api: the administrators' actions (oit.c) ---- */
	/* OSQL_ITEM_GET */
	"SELECT ready, note, owner FROM oit_items WHERE checklist = ?1 AND "
	"item = ?2",
	/* OSQL_ITEM_PUT */
	"INSERT INTO oit_items (checklist, item, ready, note, owner, "
	"updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	"ON CONFLICT (checklist, item) DO UPDATE SET ready = excluded.ready, "
	"note = excluded.note, owner = excluded.owner, "
	"updated_at = excluded.updated_at, updated_by = excluded.updated_by",
	/* OSQL_ITEMS_ALL */
	"SELECT item, ready, note, owner, updated_at, updated_by FROM "
	"oit_items WHERE checklist = ?1",
	/* OSQL_URL_COUNT_ITEM: live URLs of one item. */
	"SELECT count(*) FROM oit_urls WHERE checklist = ?1 AND item = ?2 "
	"AND removed_at IS NULL",
	/* OSQL_URL_COUNT_ALL: live URLs of every checklist (the watch). */
	"SELECT count(*) FROM oit_urls WHERE removed_at IS NULL",
	/* OSQL_URL_FIND */
	"SELECT id FROM oit_urls WHERE checklist = ?1 AND item = ?2 AND "
	"url = ?3 AND removed_at IS NULL",
	/* OSQL_URL_INSERT */
	"INSERT INTO oit_urls (checklist, item, url, added_at, added_by) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/* OSQL_URL_REMOVE */
	"UPDATE oit_urls SET removed_at = ?2 WHERE id = ?1 AND "
	"removed_at IS NULL",
	/* OSQL_URL_ALERTS_CLOSE: a removed URL's incidents end with it. */
	"UPDATE oit_alerts SET closed_at = ?2 WHERE url_id = ?1 AND "
	"closed_at IS NULL",
	/*
	 * OSQL_URLS_VIEW: URLs as the console shows them, with the checks
	 * and ups of their days from ?5 on, their copy's time and size and
	 * their last change.  ?1 checklist, ?2 item (NULL: any), ?3 id (0:
	 * any), ?4 1 to include removed ones.
	 */
	"SELECT u.id, u.checklist, u.item, u.url, u.state, u.since, "
	"u.checked_at, u.status, u.final_url, u.on_site, u.ttfb_ms, u.size, "
	"u.ctype, u.sha256, u.cert_days, u.error, u.added_at, u.added_by, "
	"u.removed_at, "
	"(SELECT coalesce(sum(d.checks), 0) FROM oit_daily d WHERE "
	"d.url_id = u.id AND d.day >= ?5), "
	"(SELECT coalesce(sum(d.up), 0) FROM oit_daily d WHERE "
	"d.url_id = u.id AND d.day >= ?5), "
	"c.fetched_at, c.size, "
	"(SELECT max(g.at) FROM oit_changes g WHERE g.url_id = u.id) "
	"FROM oit_urls u LEFT JOIN oit_copies c ON c.url_id = u.id "
	"WHERE (?1 IS NULL OR u.checklist = ?1) AND "
	"(?2 IS NULL OR u.item = ?2) AND (?3 = 0 OR u.id = ?3) AND "
	"(?4 OR u.removed_at IS NULL) ORDER BY u.id",
	/* OSQL_CHANGES_VIEW: a URL's check log from ?2 on, newest first. */
	"SELECT at, state, status, final_url, on_site, ttfb_ms, size, ctype, "
	"sha256, cert_days, error FROM oit_changes WHERE url_id = ?1 AND "
	"at >= ?2 ORDER BY at DESC, id DESC LIMIT ?3",
	/* OSQL_DAILY_VIEW: a URL's days from ?2 on, newest first. */
	"SELECT day, checks, up, suspect, down, ttfb_ms_max FROM oit_daily "
	"WHERE url_id = ?1 AND day >= ?2 ORDER BY day DESC LIMIT ?3",
	/*
	 * OSQL_ALERTS_VIEW: incidents newest first; ?1 1 for open ones only;
	 * ?2, ?3 one item of one checklist (NULL: every URL).
	 */
	"SELECT a.id, a.kind, a.opened_at, a.closed_at, a.detail, u.id, "
	"u.checklist, u.item, u.url FROM oit_alerts a JOIN oit_urls u ON "
	"u.id = a.url_id WHERE (?1 = 0 OR a.closed_at IS NULL) AND "
	"(?2 IS NULL OR (u.checklist = ?2 AND u.item = ?3)) "
	"ORDER BY a.opened_at DESC, a.id DESC LIMIT ?4",
	/* OSQL_NOTICES_VIEW: the notices of one alert. */
	"SELECT event, channel, created_at, sent_at, attempts, error FROM "
	"oit_notices WHERE alert_id = ?1 ORDER BY id",
	/* OSQL_ALERTS_OPEN_COUNT */
	"SELECT count(*) FROM oit_alerts WHERE closed_at IS NULL",
	/* OSQL_COPY_GET */
	"SELECT fetched_at, final_url, ctype, sha256, body FROM oit_copies "
	"WHERE url_id = ?1",
	/* ---- oit-report ---- */
	/*
	 * OSQL_REP_URLS: every URL watched now or checked on a day from ?1
	 * to ?2 ("YYYY-MM-DD", local, inclusive), with its counts there.
	 */
	"SELECT u.id, u.checklist, u.item, u.url, u.added_at, "
	"coalesce(u.removed_at, 0), u.state, coalesce(sum(d.checks), 0), "
	"coalesce(sum(d.up), 0), coalesce(sum(d.suspect), 0), "
	"coalesce(sum(d.down), 0), coalesce(sum(d.ttfb_ms_sum), 0) "
	"FROM oit_urls u LEFT JOIN oit_daily d ON d.url_id = u.id AND "
	"d.day >= ?1 AND d.day <= ?2 GROUP BY u.id "
	"HAVING u.removed_at IS NULL OR coalesce(sum(d.checks), 0) > 0 "
	"ORDER BY u.id",
	/* OSQL_REP_ALERTS: the URL's incidents open at some time in [?2, ?3). */
	"SELECT kind, opened_at, coalesce(closed_at, 0) FROM oit_alerts "
	"WHERE url_id = ?1 AND opened_at < ?3 AND (closed_at IS NULL OR "
	"closed_at > ?2) ORDER BY opened_at, id",
	/* OSQL_REP_CHANGES: the URL's check log in [?2, ?3), ?4 rows at most. */
	"SELECT at, state, status, coalesce(final_url, ''), "
	"coalesce(on_site, -1), coalesce(ttfb_ms, -1), coalesce(size, 0), "
	"coalesce(ctype, ''), coalesce(sha256, ''), coalesce(cert_days, -1), "
	"coalesce(error, '') FROM oit_changes WHERE url_id = ?1 AND "
	"at >= ?2 AND at < ?3 ORDER BY at, id LIMIT ?4",
	/* OSQL_ITEMS_READY: what the working group said of each item. */
	"SELECT item, ready FROM oit_items WHERE checklist = ?1",
	/* OSQL_LIVE_STATES: each watched URL's state at its last check. */
	"SELECT item, state FROM oit_urls WHERE checklist = ?1 AND "
	"removed_at IS NULL ORDER BY id",
};

/* oitdb.c's statements live in slots 0 .. OSQL__MAX of db_slot(). */
_Static_assert(OSQL__MAX <= 128, "oitdb.c owns db_slot()s 0-127");

static sqlite3_stmt *
ost(struct db *db, enum oitsql which)
{
	return db_slot(db, (size_t)which, sqls[which]);
}

static char *
col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return xstrdup(s == NULL ? "" : (const char *)s);
}

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || s[0] == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void
url_drop(void *e)
{
	struct oit_url	*u = e;

	free(u->checklist);
	free(u->item);
	free(u->url);
	free(u->final_url);
}

void
oitdb_urls_free(struct oit_url *u, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		url_drop(&u[i]);
	free(u);
}

static void
url_fill(sqlite3_stmt *st, void *e)
{
	struct oit_url	*u = e;

	u->id = sqlite3_column_int64(st, 0);
	u->checklist = col_dup(st, 1);
	u->item = col_dup(st, 2);
	u->url = col_dup(st, 3);
	if (oit_state_parse((const char *)sqlite3_column_text(st, 4),
	    &u->state) == -1)
		u->state = OIT_UNKNOWN;
	u->since = sqlite3_column_int64(st, 5);
	u->fails = sqlite3_column_int64(st, 6);
	u->checked_at = sqlite3_column_int64(st, 7);
	u->final_url = col_dup(st, 8);
	u->on_site = sqlite3_column_int(st, 9);
	u->copy_size = sqlite3_column_int64(st, 10);
	u->cert_days = sqlite3_column_int64(st, 11);
	snprintf(u->sha256, sizeof(u->sha256), "%s",
	    (const char *)sqlite3_column_text(st, 12));
}

/* Every URL still watched, in *out (caller frees with oitdb_urls_free). */
int
oitdb_urls_live(struct db *db, struct oit_url **out, size_t *n)
{
	sqlite3_stmt	*st = ost(db, OSQL_URLS_LIVE);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	rc = db_list_rows(db, st, sizeof(**out), url_fill, url_drop, &arr, n);
	*out = arr;
	return rc;
}

/* Bind a check's facts as ?5 .. ?14 (the shape of UPDATE and INSERT). */
static void
bind_check(sqlite3_stmt *st, const struct oit_check *c)
{
	sqlite3_bind_int64(st, 5, c->at);
	sqlite3_bind_int64(st, 6, c->status);
	bind_text_or_null(st, 7, c->final_url);
	sqlite3_bind_int(st, 8, c->on_site);
	if (c->ttfb_ms >= 0)
		sqlite3_bind_int64(st, 9, c->ttfb_ms);
	sqlite3_bind_int64(st, 10, c->size);
	bind_text_or_null(st, 11, c->ctype);
	bind_text_or_null(st, 12, c->sha256);
	if (c->cert_days >= 0)
		sqlite3_bind_int64(st, 13, c->cert_days);
	bind_text_or_null(st, 14, c->error);
}

/*
 * The URL's last check is c: its state since since, fails in a row.
 * 1, 0 when the URL was removed meanwhile (nothing changed), -1.
 */
int
oitdb_url_checked(struct db *db, int64_t id, const struct oit_check *c,
    int64_t since, int64_t fails)
{
	sqlite3_stmt	*st = ost(db, OSQL_URL_UPDATE);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, oit_state_name(c->state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since);
	sqlite3_bind_int64(st, 4, fails);
	bind_check(st, c);
	if (db_run(db, st) == -1)
		return -1;
	return db_changes(db) == 1;
}

/* A line of the check log: c changed the URL's state or place. */
int
oitdb_change_add(struct db *db, int64_t id, const struct oit_check *c)
{
	sqlite3_stmt	*st = ost(db, OSQL_CHANGE_INSERT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, oit_state_name(c->state), -1, SQLITE_STATIC);
	bind_check(st, c);
	return db_run(db, st);
}

/* Count c in the URL's summary of day ("YYYY-MM-DD"). */
int
oitdb_daily_add(struct db *db, int64_t id, const char *day,
    const struct oit_check *c)
{
	sqlite3_stmt	*st = ost(db, OSQL_DAILY_BUMP);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, c->state == OIT_UP);
	sqlite3_bind_int(st, 4, c->state == OIT_SUSPECT);
	sqlite3_bind_int(st, 5, c->state == OIT_DOWN);
	sqlite3_bind_int64(st, 6, c->ttfb_ms > 0 ? c->ttfb_ms : 0);
	return db_run(db, st);
}

/* The open alert of kind for the URL: 1 and *alert, 0 none, -1 error. */
int
oitdb_alert_open_get(struct db *db, int64_t url, const char *kind,
    int64_t *alert)
{
	sqlite3_stmt	*st = ost(db, OSQL_ALERT_OPEN_GET);
	int		 rc;

	*alert = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*alert = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
oitdb_alert_open(struct db *db, int64_t url, const char *kind, int64_t at,
    const char *detail, int64_t *alert)
{
	sqlite3_stmt	*st = ost(db, OSQL_ALERT_INSERT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	if (db_run(db, st) == -1)
		return -1;
	*alert = db_last_id(db);
	return 0;
}

int
oitdb_alert_close(struct db *db, int64_t alert, int64_t at)
{
	sqlite3_stmt	*st = ost(db, OSQL_ALERT_CLOSE);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, alert);
	sqlite3_bind_int64(st, 2, at);
	return db_run(db, st);
}

/* A notice of alert's event ("open", "close") to send on channel. */
int
oitdb_notice_add(struct db *db, int64_t alert, const char *event,
    const char *channel, int64_t at)
{
	sqlite3_stmt	*st = ost(db, OSQL_NOTICE_INSERT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, alert);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	return db_run(db, st);
}

static void
notice_drop(void *e)
{
	struct oit_notice	*x = e;

	free(x->detail);
	free(x->checklist);
	free(x->item);
	free(x->url);
}

void
oitdb_notices_free(struct oit_notice *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		notice_drop(&v[i]);
	free(v);
}

static void
notice_fill(sqlite3_stmt *st, void *e)
{
	struct oit_notice	*x = e;

	x->id = sqlite3_column_int64(st, 0);
	x->close = strcmp((const char *)sqlite3_column_text(st, 1),
	    "close") == 0;
	x->webhook = strcmp((const char *)sqlite3_column_text(st, 2),
	    "webhook") == 0;
	x->attempts = sqlite3_column_int64(st, 3);
	x->alert = sqlite3_column_int64(st, 4);
	snprintf(x->kind, sizeof(x->kind), "%s",
	    (const char *)sqlite3_column_text(st, 5));
	x->opened_at = sqlite3_column_int64(st, 6);
	x->closed_at = sqlite3_column_int64(st, 7);
	x->detail = col_dup(st, 8);
	x->checklist = col_dup(st, 9);
	x->item = col_dup(st, 10);
	x->url = col_dup(st, 11);
}

/*
 * Up to max notices not yet sent, with fewer than tries attempts, and
 * not tried after before.
 */
int
oitdb_notices_pending(struct db *db, int64_t tries, int64_t max,
    int64_t before, struct oit_notice **out, size_t *n)
{
	sqlite3_stmt	*st = ost(db, OSQL_NOTICES_PENDING);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tries);
	sqlite3_bind_int64(st, 2, max);
	sqlite3_bind_int64(st, 3, before);
	rc = db_list_rows(db, st, sizeof(**out), notice_fill, notice_drop,
	    &arr, n);
	*out = arr;
	return rc;
}

/*
 * Claim notice id for sending at now, unless it was sent or tried after
 * before (by us or by another process).  1 claimed, 0 not, -1 error.
 */
int
oitdb_notice_claim(struct db *db, int64_t id, int64_t now, int64_t before)
{
	sqlite3_stmt	*st = ost(db, OSQL_NOTICE_CLAIM);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, before);
	if (db_run(db, st) == -1)
		return -1;
	return db_changes(db) == 1;
}

/* The notice was delivered at at (error NULL), or failed with error. */
int
oitdb_notice_done(struct db *db, int64_t id, int64_t at, const char *error)
{
	sqlite3_stmt	*st = ost(db, error == NULL ? OSQL_NOTICE_SENT :
	    OSQL_NOTICE_FAILED);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (error == NULL)
		sqlite3_bind_int64(st, 2, at);
	else
		sqlite3_bind_text(st, 2, error, -1, SQLITE_TRANSIENT);
	return db_run(db, st);
}

/* Bytes kept as copies of the URLs other than url. */
int
oitdb_copies_others(struct db *db, int64_t url, int64_t *bytes)
{
	sqlite3_stmt	*st = ost(db, OSQL_COPIES_OTHERS);
	int		 rc;

	*bytes = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*bytes = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The size and hash of the URL's kept copy: 1, 0 when none, -1. */
int
oitdb_copy_size(struct db *db, int64_t url, int64_t *size, char sha[65])
{
	sqlite3_stmt	*st = ost(db, OSQL_COPY_SIZE);
	const char	*h;
	int		 rc;

	*size = -1;
	sha[0] = '\0';
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		*size = sqlite3_column_int64(st, 0);
		h = (const char *)sqlite3_column_text(st, 1);
		snprintf(sha, 65, "%s", h == NULL ? "" : h);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Keep c's body as the URL's last good copy, replacing the old one. */
int
oitdb_copy_put(struct db *db, int64_t url, const struct oit_check *c)
{
	sqlite3_stmt	*st = ost(db, OSQL_COPY_PUT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_int64(st, 2, c->at);
	sqlite3_bind_text(st, 3, c->final_url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->ctype, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)c->body_len);
	sqlite3_bind_text(st, 6, c->sha256, -1, SQLITE_STATIC);
	if (c->spill != NULL)	/* written below, a chunk at a time */
		sqlite3_bind_zeroblob64(st, 7, c->body_len);
	else
		sqlite3_bind_blob64(st, 7, c->body == NULL ?
		    (const void *)"" : c->body, c->body_len, SQLITE_STATIC);
	if (db_run(db, st) == -1)
		return -1;
	/* url_id is the table's INTEGER PRIMARY KEY: the row id. */
	return c->spill == NULL ? 0 : db_blob_fill(db, "oit_copies", "body",
	    url, c->spill, c->body_len);
}

/* ---- oit-api: the administrators' actions (oit.c) ---- */

/*
 * Text of the outside world (a Content-Type, a final URL) as a JSON
 * string: jansson refuses invalid UTF-8, so such a text keeps its ASCII
 * and shows every other byte as '?'.
 */
static json_t *
text_json(const char *s)
{
	json_t	*j;
	char	*c;
	size_t	 i;

	if ((j = json_string(s)) != NULL)
		return j;
	c = xstrdup(s);
	for (i = 0; c[i] != '\0'; i++)
		if ((unsigned char)c[i] >= 0x80)
			c[i] = '?';
	j = json_string(c);
	free(c);
	return j;
}

/* Column col as JSON: null, an integer, or a string. */
static json_t *
col_json(sqlite3_stmt *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer((json_int_t)sqlite3_column_int64(st, col));
	default:
		return text_json((const char *)sqlite3_column_text(st, col));
	}
}

/* Column col as a JSON boolean, or null. */
static json_t *
col_bool(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_boolean(sqlite3_column_int64(st, col) != 0);
}

/* Set o[names[i]] to column first + i for each name. */
static void
cols_set(json_t *o, sqlite3_stmt *st, int first, const char *const *names,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		json_object_set_new(o, names[i], col_json(st, first + (int)i));
}

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* The group's word on item: 1 and *out, 0 never said (defaults), -1. */
int
oitdb_item_get(struct db *db, const char *checklist, const char *item,
    struct oit_item_row *out)
{
	sqlite3_stmt	*st = ost(db, OSQL_ITEM_GET);
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		out->ready = sqlite3_column_int(st, 0) != 0;
		snprintf(out->note, sizeof(out->note), "%s",
		    (const char *)sqlite3_column_text(st, 1));
		snprintf(out->owner, sizeof(out->owner), "%s",
		    (const char *)sqlite3_column_text(st, 2));
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Store the group's word on item, said by by at at. */
int
oitdb_item_put(struct db *db, const char *checklist, const char *item,
    const struct oit_item_row *row, int64_t at, const char *by)
{
	sqlite3_stmt	*st = ost(db, OSQL_ITEM_PUT);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, row->ready != 0);
	sqlite3_bind_text(st, 4, row->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, at);
	sqlite3_bind_text(st, 7, by, -1, SQLITE_STATIC);
	return db_run(db, st);
}

/*
 * The group's word on every item of checklist said so far, as an object
 * item -> {ready, note, owner, updated_at, updated_by} (caller owns).
 */
int
oitdb_items_json(struct db *db, const char *checklist, json_t **out)
{
	static const char *const names[] = { "note", "owner", "updated_at",
	    "updated_by" };
	sqlite3_stmt	*st = ost(db, OSQL_ITEMS_ALL);
	json_t		*all, *o;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	all = json_object();
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		o = json_pack("{s:b}", "ready", sqlite3_column_int(st, 1) != 0);
		cols_set(o, st, 2, names, 4);
		json_object_set_new(all, (const char *)sqlite3_column_text(st,
		    0), o);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(all);
		return -1;
	}
	*out = all;
	return 0;
}

/* Live URLs of item of checklist, or of everything when item is NULL. */
int
oitdb_url_count(struct db *db, const char *checklist, const char *item,
    int64_t *n)
{
	sqlite3_stmt	*st = ost(db, item == NULL ? OSQL_URL_COUNT_ALL :
	    OSQL_URL_COUNT_ITEM);
	int		 rc;

	*n = 0;
	if (st == NULL)
		return -1;
	if (item != NULL) {
		sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	}
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Whether url is already a live URL of item: 1, 0, -1. */
int
oitdb_url_find(struct db *db, const char *checklist, const char *item,
    const char *url)
{
	sqlite3_stmt	*st = ost(db, OSQL_URL_FIND);
	int		 rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, url, -1, SQLITE_STATIC);
	rc = db_step(db, st);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A new URL of item, never checked; its id in *id. */
int
oitdb_url_insert(struct db *db, const char *checklist, const char *item,
    const char *url, int64_t at, const char *by, int64_t *id)
{
	sqlite3_stmt	*st = ost(db, OSQL_URL_INSERT);

	*id = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_text(st, 5, by, -1, SQLITE_STATIC);
	if (db_run(db, st) == -1)
		return -1;
	*id = db_last_id(db);
	return 0;
}

/*
 * URL id is no longer watched from at on, and its open alerts close
 * then.  1 done, 0 no such live URL, -1.
 */
int
oitdb_url_remove(struct db *db, int64_t id, int64_t at)
{
	sqlite3_stmt	*st = ost(db, OSQL_URL_REMOVE);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	if (db_run(db, st) == -1)
		return -1;
	if (db_changes(db) == 0)
		return 0;
	if ((st = ost(db, OSQL_URL_ALERTS_CLOSE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	return db_run(db, st) == -1 ? -1 : 1;
}

/*
 * URLs as the console shows them, in id order, into the array *out
 * (caller owns): of checklist (NULL any), of item (NULL any), the one
 * with id (0 any), removed ones too when removed.  Each: id, checklist,
 * item, url, state, since, checked_at, status, final_url, on_site,
 * ttfb_ms, size, ctype, sha256, cert_days, error, added_at, added_by,
 * removed_at, checks and ups of the days from since_day on
 * ("YYYY-MM-DD") as checks_30d and up_30d, has_copy, copy_fetched_at,
 * copy_size, last_change.
 */
int
oitdb_urls_json(struct db *db, const char *checklist, const char *item,
    int64_t id, int removed, const char *since_day, json_t **out)
{
	static const char *const names[] = { "id", "checklist", "item",
	    "url", "state", "since", "checked_at", "status", "final_url" };
	static const char *const names2[] = { "ttfb_ms", "size", "ctype",
	    "sha256", "cert_days", "error", "added_at", "added_by",
	    "removed_at", "checks_30d", "up_30d", "copy_fetched_at",
	    "copy_size", "last_change" };
	sqlite3_stmt	*st = ost(db, OSQL_URLS_VIEW);
	json_t		*arr, *o;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	arr = json_array();
	bind_opt_text(st, 1, checklist);
	bind_opt_text(st, 2, item);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int(st, 4, removed != 0);
	sqlite3_bind_text(st, 5, since_day, -1, SQLITE_STATIC);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		o = json_object();
		cols_set(o, st, 0, names, 9);
		json_object_set_new(o, "on_site", col_bool(st, 9));
		cols_set(o, st, 10, names2, 14);
		json_object_set_new(o, "has_copy", json_boolean(
		    sqlite3_column_type(st, 21) != SQLITE_NULL));
		json_array_append_new(arr, o);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

/* URL's check log from since on, newest first, at most limit lines. */
int
oitdb_changes_json(struct db *db, int64_t url, int64_t since, int64_t limit,
    json_t **out)
{
	static const char *const names[] = { "at", "state", "status",
	    "final_url" };
	static const char *const names2[] = { "ttfb_ms", "size", "ctype",
	    "sha256", "cert_days", "error" };
	sqlite3_stmt	*st = ost(db, OSQL_CHANGES_VIEW);
	json_t		*arr, *o;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	arr = json_array();
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, limit);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		o = json_object();
		cols_set(o, st, 0, names, 4);
		json_object_set_new(o, "on_site", col_bool(st, 4));
		cols_set(o, st, 5, names2, 6);
		json_array_append_new(arr, o);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

/*
 * URL's days from since_day on, newest first, at most limit: {day,
 * checks, up, suspect, down, ttfb_ms_max}.
 */
int
oitdb_daily_json(struct db *db, int64_t url, const char *since_day,
    int64_t limit, json_t **out)
{
	static const char *const names[] = { "day", "checks", "up",
	    "suspect", "down", "ttfb_ms_max" };
	sqlite3_stmt	*st = ost(db, OSQL_DAILY_VIEW);
	json_t		*arr, *o;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	arr = json_array();
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_text(st, 2, since_day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, limit);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		o = json_object();
		cols_set(o, st, 0, names, 6);
		json_array_append_new(arr, o);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

/* The notices of alert, in the order they were made. */
static int
notices_json(struct db *db, int64_t alert, json_t **out)
{
	static const char *const names[] = { "event", "channel",
	    "created_at", "sent_at", "attempts", "error" };
	sqlite3_stmt	*st = ost(db, OSQL_NOTICES_VIEW);
	json_t		*arr, *o;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	arr = json_array();
	sqlite3_bind_int64(st, 1, alert);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		o = json_object();
		cols_set(o, st, 0, names, 6);
		json_array_append_new(arr, o);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

/*
 * Incidents, newest first, at most limit, into the array *out: open ones
 * only when open_only; of item of checklist only when item is not NULL.
 * Each: id, kind, opened_at, closed_at, detail (the stored facts as an
 * object; {"text": ...} if they do not parse), url_id, checklist, item,
 * url, notices [{event, channel, created_at, sent_at, attempts, error}].
 */
int
oitdb_alerts_json(struct db *db, int open_only, const char *checklist,
    const char *item, int64_t limit, json_t **out)
{
	static const char *const names[] = { "id", "kind", "opened_at",
	    "closed_at" };
	static const char *const names2[] = { "url_id", "checklist", "item",
	    "url" };
	sqlite3_stmt	*st = ost(db, OSQL_ALERTS_VIEW);
	json_t		*arr, *o, *detail, *notices;
	const char	*text;
	size_t		 i;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	arr = json_array();
	sqlite3_bind_int(st, 1, open_only != 0);
	bind_opt_text(st, 2, item == NULL ? NULL : checklist);
	bind_opt_text(st, 3, item);
	sqlite3_bind_int64(st, 4, limit);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		o = json_object();
		cols_set(o, st, 0, names, 4);
		text = (const char *)sqlite3_column_text(st, 4);
		detail = json_loads(text == NULL ? "" : text, 0, NULL);
		if (!json_is_object(detail)) {
			json_decref(detail);
			detail = json_pack("{s:o}", "text",
			    text_json(text == NULL ? "" : text));
		}
		json_object_set_new(o, "detail", detail);
		cols_set(o, st, 5, names2, 4);
		json_array_append_new(arr, o);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		goto fail;
	/* The notices after the alerts: one statement steps at a time. */
	json_array_foreach(arr, i, o) {
		if (notices_json(db, (int64_t)json_integer_value(
		    json_object_get(o, "id")), &notices) == -1)
			goto fail;
		json_object_set_new(o, "notices", notices);
	}
	*out = arr;
	return 0;
fail:
	json_decref(arr);
	return -1;
}

/* How many alerts are open. */
int
oitdb_alerts_open_count(struct db *db, int64_t *n)
{
	sqlite3_stmt	*st = ost(db, OSQL_ALERTS_OPEN_COUNT);
	int		 rc;

	*n = 0;
	if (st == NULL)
		return -1;
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * The kept copy of URL url into *out (its strings and body owned; free
 * with oit_copy_free): 1, 0 none kept, -1.
 */
int
oitdb_copy_get(struct db *db, int64_t url, struct oit_copy *out)
{
	sqlite3_stmt	*st = ost(db, OSQL_COPY_GET);
	const void	*blob;
	int		 rc, n;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		out->url_id = url;
		out->fetched_at = sqlite3_column_int64(st, 0);
		out->final_url = col_dup(st, 1);
		out->ctype = col_dup(st, 2);
		snprintf(out->sha256, sizeof(out->sha256), "%s",
		    sqlite3_column_type(st, 3) == SQLITE_NULL ? "" :
		    (const char *)sqlite3_column_text(st, 3));
		blob = sqlite3_column_blob(st, 4);
		n = sqlite3_column_bytes(st, 4);
		out->size = n > 0 ? (size_t)n : 0;
		out->body = xcalloc(1, out->size + 1);
		if (blob != NULL && out->size > 0)
			memcpy(out->body, blob, out->size);
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- oit-report: availability reports and the OIT estimate ---- */

static void
rep_url_drop(void *e)
{
	struct oit_rep_url	*u = e;

	free(u->checklist);
	free(u->item);
	free(u->url);
}

void
oitdb_rep_urls_free(struct oit_rep_url *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		rep_url_drop(&v[i]);
	free(v);
}

static void
rep_url_fill(sqlite3_stmt *st, void *e)
{
	struct oit_rep_url	*u = e;

	u->id = sqlite3_column_int64(st, 0);
	u->checklist = col_dup(st, 1);
	u->item = col_dup(st, 2);
	u->url = col_dup(st, 3);
	u->added_at = sqlite3_column_int64(st, 4);
	u->removed_at = sqlite3_column_int64(st, 5);
	if (oit_state_parse((const char *)sqlite3_column_text(st, 6),
	    &u->state) == -1)
		u->state = OIT_UNKNOWN;
	u->checks = sqlite3_column_int64(st, 7);
	u->up = sqlite3_column_int64(st, 8);
	u->suspect = sqlite3_column_int64(st, 9);
	u->down = sqlite3_column_int64(st, 10);
	u->ttfb_sum = sqlite3_column_int64(st, 11);
}

/*
 * Every URL watched now, and every removed one checked on a day from
 * day_from to day_last ("YYYY-MM-DD", local, inclusive), with its counts
 * over those days, by id, in *out (caller frees with oitdb_rep_urls_free).
 * 0 or -1.
 */
int
oitdb_rep_urls(struct db *db, const char *day_from, const char *day_last,
    struct oit_rep_url **out, size_t *n)
{
	sqlite3_stmt	*st = ost(db, OSQL_REP_URLS);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, day_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day_last, -1, SQLITE_STATIC);
	rc = db_list_rows(db, st, sizeof(**out), rep_url_fill, rep_url_drop,
	    &arr, n);
	*out = arr;
	return rc;
}

/*
 * fn(alert, arg) for each incident of the URL open at some time in
 * [from, to), oldest first; fn returns 0 to go on, -1 to stop with an
 * error.  0 or -1.
 */
int
oitdb_rep_alerts(struct db *db, int64_t url, int64_t from, int64_t to,
    int (*fn)(const struct oit_rep_alert *, void *), void *arg)
{
	sqlite3_stmt		*st = ost(db, OSQL_REP_ALERTS);
	struct oit_rep_alert	 a;
	int			 rc, bad = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while (!bad && (rc = db_step(db, st)) == SQLITE_ROW) {
		snprintf(a.kind, sizeof(a.kind), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		a.opened_at = sqlite3_column_int64(st, 1);
		a.closed_at = sqlite3_column_int64(st, 2);
		bad = fn(&a, arg) == -1;
	}
	db_done(st);
	return !bad && rc == SQLITE_DONE ? 0 : -1;
}

static void
col_copy(sqlite3_stmt *st, int col, char *dst, size_t dstsz)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	snprintf(dst, dstsz, "%s", s == NULL ? "" : (const char *)s);
}

/*
 * fn(check, arg) for each line of the URL's check log in [from, to),
 * oldest first, at most max of them (no body; on_site, ttfb_ms and
 * cert_days -1 where the log has none).  fn returns 0 to go on, -1 to
 * stop with an error.  0 or -1.
 */
int
oitdb_rep_changes(struct db *db, int64_t url, int64_t from, int64_t to,
    int64_t max, int (*fn)(const struct oit_check *, void *), void *arg)
{
	sqlite3_stmt		*st = ost(db, OSQL_REP_CHANGES);
	struct oit_check	 c;
	int			 rc, bad = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, url);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int64(st, 4, max);
	while (!bad && (rc = db_step(db, st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.at = sqlite3_column_int64(st, 0);
		if (oit_state_parse((const char *)sqlite3_column_text(st, 1),
		    &c.state) == -1)
			c.state = OIT_UNKNOWN;
		c.status = (long)sqlite3_column_int64(st, 2);
		col_copy(st, 3, c.final_url, sizeof(c.final_url));
		c.on_site = sqlite3_column_int(st, 4);
		c.ttfb_ms = sqlite3_column_int64(st, 5);
		c.size = sqlite3_column_int64(st, 6);
		col_copy(st, 7, c.ctype, sizeof(c.ctype));
		col_copy(st, 8, c.sha256, sizeof(c.sha256));
		c.cert_days = sqlite3_column_int64(st, 9);
		col_copy(st, 10, c.error, sizeof(c.error));
		bad = fn(&c, arg) == -1;
	}
	db_done(st);
	return !bad && rc == SQLITE_DONE ? 0 : -1;
}

/*
 * fn(item, ready, arg) for each item of checklist the working group has
 * said something of (borrowed strings).  fn returns 0 or -1 (stop, an
 * error).  0 or -1.
 */
int
oitdb_items_ready(struct db *db, const char *checklist,
    int (*fn)(const char *, int, void *), void *arg)
{
	sqlite3_stmt	*st = ost(db, OSQL_ITEMS_READY);
	int		 rc, bad = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	while (!bad && (rc = db_step(db, st)) == SQLITE_ROW)
		bad = fn((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1) == 1, arg) == -1;
	db_done(st);
	return !bad && rc == SQLITE_DONE ? 0 : -1;
}

/*
 * fn(item, state, arg) for each URL of checklist watched now, with its
 * state at its last check.  fn returns 0 or -1 (stop, an error).  0 or
 * -1.
 */
int
oitdb_live_states(struct db *db, const char *checklist,
    int (*fn)(const char *, enum oit_state, void *), void *arg)
{
	sqlite3_stmt	*st = ost(db, OSQL_LIVE_STATES);
	enum oit_state	 s;
	int		 rc, bad = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, checklist, -1, SQLITE_STATIC);
	while (!bad && (rc = db_step(db, st)) == SQLITE_ROW) {
		if (oit_state_parse((const char *)sqlite3_column_text(st, 1),
		    &s) == -1)
			s = OIT_UNKNOWN;
		bad = fn((const char *)sqlite3_column_text(st, 0), s,
		    arg) == -1;
	}
	db_done(st);
	return !bad && rc == SQLITE_DONE ? 0 : -1;
}
