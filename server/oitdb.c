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
	/* helpers: add yours below, in your own section */
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
	"cert_days = ?13, error = ?14 WHERE id = ?1",
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

void
oitdb_urls_free(struct oit_url *u, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(u[i].checklist);
		free(u[i].item);
		free(u[i].url);
		free(u[i].final_url);
	}
	free(u);
}

/* Every URL still watched, in *out (caller frees with oitdb_urls_free). */
int
oitdb_urls_live(struct db *db, struct oit_url **out, size_t *n)
{
	sqlite3_stmt	*st = ost(db, OSQL_URLS_LIVE);
	struct oit_url	*v = NULL, *u;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof(*v));
		u = &v[(*n)++];
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
	db_done(st);
	if (rc != SQLITE_DONE) {
		oitdb_urls_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
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

/* The URL's last check is c: its state since since, fails in a row. */
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
	return db_run(db, st);
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

void
oitdb_notices_free(struct oit_notice *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].detail);
		free(v[i].checklist);
		free(v[i].item);
		free(v[i].url);
	}
	free(v);
}

/*
 * Up to max notices not yet sent, with fewer than tries attempts, and
 * not tried after before.
 */
int
oitdb_notices_pending(struct db *db, int64_t tries, int64_t max,
    int64_t before, struct oit_notice **out, size_t *n)
{
	sqlite3_stmt		*st = ost(db, OSQL_NOTICES_PENDING);
	struct oit_notice	*v = NULL, *x;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, tries);
	sqlite3_bind_int64(st, 2, max);
	sqlite3_bind_int64(st, 3, before);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof(*v));
		x = &v[(*n)++];
		memset(x, 0, sizeof(*x));
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
	db_done(st);
	if (rc != SQLITE_DONE) {
		oitdb_notices_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
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
	sqlite3_bind_blob64(st, 7, c->body == NULL ? (const void *)"" :
	    c->body, c->body_len, SQLITE_STATIC);
	return db_run(db, st);
}
