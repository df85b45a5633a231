/* SPDX-License-Identifier: ISC */
/*
 * Every SQL statement of ita-survey, prepared once when the database is
 * opened and reset after each use, with bound parameters only.  The
 * connection is shared by the server's threads: callers serialise with
 * db_lock().  Durability: WAL with synchronous=FULL, so a COMMIT that
 * returned SQLITE_OK survives kill -9 and power loss.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "extern.h"
#include "db.h"

enum sqlstmt {
	SQL_BEGIN,
	SQL_COMMIT,
	SQL_ROLLBACK,
	SQL_ROUND_INSERT,
	SQL_ROUND_GET,
	SQL_ROUND_LIST,
	SQL_ROUND_SET_STATE,
	SQL_ROUND_FINAL,
	SQL_ROUND_COUNT,
	SQL_ROUND_SET_SCORED,
	SQL_ROUND_ADD_TOKENS,
	SQL_ROUND_SET,
	SQL_ROUND_DEL_TOKENS,
	SQL_ROUND_DEL_KIOSKS,
	SQL_ROUND_DEL_TALLIES,
	SQL_ROUND_DEL_UNITS,
	SQL_ROUND_DEL_MEASURES,
	SQL_ROUND_DELETE,
	SQL_TOKEN_VOID,
	SQL_TOKEN_VOID_UNUSED,
	SQL_PUBLISH_KIOSKS,
	SQL_PUBLISHED_GET,
	SQL_TOKEN_INSERT,
	SQL_TOKEN_GET,
	SQL_TOKEN_USE,
	SQL_SUBMISSION_GET,
	SQL_SUBMISSION_CLAIM,
	SQL_SUBMISSION_FORGET,
	SQL_RESPONSE_INSERT,
	SQL_RESPONSE_LIST,
	SQL_TALLY_GET,
	SQL_TALLY_PUT,
	SQL_DATA_VERSION,
	SQL_PAGE_SIZE,
	SQL_ROUND_STATE,
	SQL_KIOSK_INSERT,
	SQL_KIOSK_BY_KEY,
	SQL_KIOSK_GET,
	SQL_KIOSK_SEEN,
	SQL_KIOSK_COUNTED,
	SQL_KIOSK_LIST,
	SQL_KIOSK_SET,
	SQL_ADMIN_INSERT,
	SQL_ADMIN_GET,
	SQL_ADMIN_GET_ID,
	SQL_ADMIN_LIST,
	SQL_ADMIN_COUNT_ACTIVE,
	SQL_ADMIN_SET,
	SQL_ADMIN_SET_PASSWORD,
	SQL_ADMIN_SESSIONS_END,
	SQL_SESSION_INSERT,
	SQL_SESSION_GET,
	SQL_SESSION_DELETE,
	SQL_SESSION_PURGE,
	SQL_SETTING_GET,
	SQL_SETTING_SET,
	SQL_SETTING_DELETE,
	SQL_AUDIT_INSERT,
	SQL_AUDIT_LIST,
	SQL__MAX
};

/*
 * Respondents and codes used leave the database only rounded down to a
 * multiple of min_cell, and a kiosk's responses only as they stood at the
 * round's last published snapshot, rounded likewise: no figure an
 * administrator can see moves with one response.  The exact counts stay
 * inside (the writer reads them with RETURNING).
 */
#define ROUND_COLS \
	"r.id, r.form_id, r.title, r.population, r.public, r.state, " \
	"r.min_cell, r.respondents - r.respondents % r.min_cell, " \
	"r.scored, r.tokens_issued, " \
	"r.tokens_used - r.tokens_used % r.min_cell, " \
	"(SELECT count(*) FROM kiosks k WHERE k.round_id = r.id " \
	"AND k.revoked = 0), r.created_at, r.final, r.archived, r.opened"

#define ADMIN_COLS \
	"id, username, pwhash, role, disabled, must_change, created_at"

#define KIOSK_COLS \
	"kiosks.id, kiosks.round_id, kiosks.name, kiosks.revoked, " \
	"kiosks.published - kiosks.published % (SELECT r.min_cell " \
	"FROM rounds r WHERE r.id = kiosks.round_id), " \
	"coalesce(kiosks.last_seen_day, ''), kiosks.created_at, " \
	"coalesce(kiosks.unit_id, 0), coalesce((SELECT u.name FROM units u " \
	"WHERE u.id = kiosks.unit_id), '')"

static const char *const sqls[SQL__MAX] = {
	/* SQL_BEGIN: take the write lock now, not at the first write. */
	"BEGIN IMMEDIATE",
	"COMMIT",
	"ROLLBACK",
	/* SQL_ROUND_INSERT */
	"INSERT INTO rounds (form_id, title, population, public, min_cell, "
	"created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* SQL_ROUND_GET */
	"SELECT " ROUND_COLS " FROM rounds r WHERE r.id = ?1",
	/* SQL_ROUND_LIST */
	"SELECT " ROUND_COLS " FROM rounds r ORDER BY r.id",
	/* SQL_ROUND_SET_STATE */
	"UPDATE rounds SET state = ?2, "
	"opened = CASE WHEN ?2 = 'open' THEN 1 ELSE opened END WHERE id = ?1",
	/* SQL_ROUND_FINAL: only a closed round becomes final. */
	"UPDATE rounds SET final = 1 WHERE id = ?1 AND state = 'closed'",
	/* SQL_ROUND_COUNT */
	"UPDATE rounds SET respondents = respondents + ?2, "
	"tokens_used = tokens_used + ?3 WHERE id = ?1",
	/* SQL_ROUND_SET_SCORED */
	"UPDATE rounds SET scored = ?2 WHERE id = ?1",
	/* SQL_ROUND_ADD_TOKENS */
	"UPDATE rounds SET tokens_issued = tokens_issued + ?2 WHERE id = ?1",
	/* SQL_ROUND_SET: NULL leaves a field as it is. */
	"UPDATE rounds SET title = coalesce(?2, title), "
	"population = coalesce(?3, population), "
	"archived = coalesce(?4, archived) WHERE id = ?1",
	/* SQL_ROUND_DEL_TOKENS */
	"DELETE FROM tokens WHERE round_id = ?1",
	/* SQL_ROUND_DEL_KIOSKS */
	"DELETE FROM kiosks WHERE round_id = ?1",
	/* SQL_ROUND_DEL_TALLIES: its counts and its units' */
	"DELETE FROM tallies WHERE round_id = ?1",
	/*
	 * SQL_ROUND_DEL_UNITS: the round's part of each unit (a round never
	 * opened has no counts, but its codes may have named units).
	 */
	"DELETE FROM unit_rounds WHERE round_id = ?1",
	/* SQL_ROUND_DEL_MEASURES: a measure keeps its text, not the link. */
	"UPDATE measures SET round_id = NULL WHERE round_id = ?1",
	/*
	 * SQL_ROUND_DELETE: the round itself, only closed, never opened and
	 * so empty; a response row left behind would fail its foreign key.
	 */
	"DELETE FROM rounds WHERE id = ?1 AND state = 'closed' "
	"AND opened = 0 AND final = 0 AND respondents = 0",
	/*
	 * SQL_TOKEN_VOID: a code of the round becomes unusable; it matches
	 * (one change) whether it was used or not.
	 */
	"UPDATE tokens SET used = 1 WHERE hash = ?1 AND round_id = ?2",
	/* SQL_TOKEN_VOID_UNUSED */
	"UPDATE tokens SET used = 1 WHERE round_id = ?1 AND used = 0",
	/* SQL_PUBLISH_KIOSKS */
	"UPDATE kiosks SET published = responses WHERE round_id = ?1",
	/* SQL_PUBLISHED_GET */
	"SELECT question, value, n FROM published_counts WHERE round_id = ?1",
	/* SQL_TOKEN_INSERT */
	"INSERT INTO tokens (hash, round_id, unit_id) VALUES (?1, ?2, ?3)",
	/* SQL_TOKEN_GET */
	"SELECT used FROM tokens WHERE hash = ?1 AND round_id = ?2",
	/* SQL_TOKEN_USE */
	"UPDATE tokens SET used = 1 WHERE hash = ?1 AND round_id = ?2 "
	"AND used = 0 RETURNING coalesce(unit_id, 0)",
	/* SQL_SUBMISSION_GET */
	"SELECT 1 FROM submissions WHERE hash = ?1",
	/* SQL_SUBMISSION_CLAIM */
	"INSERT INTO submissions (hash) VALUES (?1) ON CONFLICT DO NOTHING",
	/* SQL_SUBMISSION_FORGET */
	"DELETE FROM submissions WHERE hash = ?1",
	/* SQL_RESPONSE_INSERT */
	"INSERT INTO responses (id, round_id, answers, unit_id) "
	"VALUES (?1, ?2, ?3, ?4)",
	/*
	 * SQL_RESPONSE_LIST: by random id, so the order says nothing about
	 * arrival.  A full scan of the table: responses of one round are
	 * not indexed by round to keep the table a plain random-keyed heap.
	 */
	"SELECT id, answers FROM responses WHERE round_id = ?1 ORDER BY id",
	/* SQL_TALLY_GET */
	"SELECT running FROM tallies WHERE round_id = ?1 AND unit_id = ?2",
	/* SQL_TALLY_PUT: NULL ?4 keeps the published snapshot. */
	"INSERT INTO tallies (round_id, unit_id, running, published) "
	"VALUES (?1, ?2, ?3, coalesce(?4, '{}')) "
	"ON CONFLICT (round_id, unit_id) DO UPDATE SET running = ?3, "
	"published = coalesce(?4, published)",
	/* SQL_DATA_VERSION */
	"PRAGMA data_version",
	/* SQL_PAGE_SIZE */
	"PRAGMA page_size",
	/* SQL_ROUND_STATE */
	"SELECT state = 'open', public, min_cell, respondents FROM rounds "
	"WHERE id = ?1",
	/* SQL_KIOSK_INSERT */
	"INSERT INTO kiosks (round_id, name, key_hash, created_at, unit_id) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/* SQL_KIOSK_BY_KEY */
	"SELECT " KIOSK_COLS " FROM kiosks WHERE key_hash = ?1",
	/* SQL_KIOSK_GET */
	"SELECT " KIOSK_COLS " FROM kiosks WHERE id = ?1",
	/* SQL_KIOSK_SEEN */
	"UPDATE kiosks SET last_seen_day = ?2 WHERE id = ?1",
	/* SQL_KIOSK_COUNTED */
	"UPDATE kiosks SET responses = responses + ?2 WHERE id = ?1",
	/* SQL_KIOSK_LIST */
	"SELECT " KIOSK_COLS " FROM kiosks WHERE ?1 = 0 OR round_id = ?1 "
	"ORDER BY id",
	/* SQL_KIOSK_SET: NULL leaves a field as it is. */
	"UPDATE kiosks SET name = coalesce(?2, name), "
	"revoked = coalesce(?3, revoked) WHERE id = ?1",
	/* SQL_ADMIN_INSERT */
	"INSERT INTO admins (username, pwhash, role, created_at, must_change) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/* SQL_ADMIN_GET */
	"SELECT " ADMIN_COLS " FROM admins WHERE username = ?1",
	/* SQL_ADMIN_GET_ID */
	"SELECT " ADMIN_COLS " FROM admins WHERE id = ?1",
	/* SQL_ADMIN_LIST: never the hashes. */
	"SELECT id, username, '', role, disabled, must_change, created_at "
	"FROM admins ORDER BY username",
	/* SQL_ADMIN_COUNT_ACTIVE: the accounts that can administer. */
	"SELECT count(*) FROM admins WHERE role = 'admin' AND disabled = 0",
	/* SQL_ADMIN_SET: NULL leaves a field as it is. */
	"UPDATE admins SET role = coalesce(?2, role), "
	"disabled = coalesce(?3, disabled) WHERE id = ?1",
	/* SQL_ADMIN_SET_PASSWORD */
	"UPDATE admins SET pwhash = ?2, must_change = ?3 WHERE id = ?1",
	/* SQL_ADMIN_SESSIONS_END: all of an account's, or all but ?2. */
	"DELETE FROM sessions WHERE admin_id = ?1 AND "
	"(?2 IS NULL OR hash <> ?2)",
	/* SQL_SESSION_INSERT */
	"INSERT INTO sessions (hash, admin_id, csrf_hash, expires_at) "
	"VALUES (?1, ?2, ?3, ?4)",
	/*
	 * SQL_SESSION_GET: the role and the must_change flag are read at
	 * every request, so a change of role takes effect at once; a
	 * disabled account's sessions are deleted when it is disabled, and
	 * would not count even if one were left.
	 */
	"SELECT s.admin_id, a.username, a.role, s.csrf_hash, s.expires_at, "
	"a.must_change FROM sessions s JOIN admins a ON a.id = s.admin_id "
	"WHERE s.hash = ?1 AND s.expires_at > ?2 AND a.disabled = 0",
	/* SQL_SESSION_DELETE */
	"DELETE FROM sessions WHERE hash = ?1",
	/* SQL_SESSION_PURGE */
	"DELETE FROM sessions WHERE expires_at <= ?1",
	/* SQL_SETTING_GET */
	"SELECT value FROM settings WHERE name = ?1",
	/* SQL_SETTING_SET */
	"INSERT INTO settings (name, value) VALUES (?1, ?2) "
	"ON CONFLICT (name) DO UPDATE SET value = ?2",
	/* SQL_SETTING_DELETE: an unset setting has no row. */
	"DELETE FROM settings WHERE name = ?1",
	/* SQL_AUDIT_INSERT */
	"INSERT INTO audit_log (at, username, action, detail, params) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/*
	 * SQL_AUDIT_LIST: newest first, each filter NULL when not asked;
	 * an action filter "round" matches "round" and "round.*".
	 */
	"SELECT id, at, username, action, detail, params FROM audit_log "
	"WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) "
	"AND (?3 IS NULL OR username = ?3) "
	"AND (?4 IS NULL OR action = ?4 OR substr(action, 1, length(?4) + 1) "
	"= ?4 || '.') AND (?5 IS NULL OR id < ?5) "
	"ORDER BY id DESC LIMIT ?6",
};

#define BUSY_MS	10000	/* wait this long for another writer's lock */
#define BACKUP_TRIES	100	/* backup: times to retry a busy source */
#define BACKUP_WAIT_MS	50	/* and how long to wait before each */

struct db {
	sqlite3		*h;
	sqlite3_stmt	*stmt[SQL__MAX];
	sqlite3_stmt	*slot[DB_SLOTS];	/* db_slot()'s */
	pthread_mutex_t	 lock;
	int		(*wal_cb)(void *, int);	/* db_wal_hook()'s */
	void		*wal_arg;
};

/* Log the connection's last error once, with the caller's name. */
#define DBERR(db, what) \
	log_err("%s: %s: %s", __func__, (what), sqlite3_errmsg((db)->h))

/*
 * Open (create when "create" is set) the database at path with our
 * pragmas.  Returns 0 and sets *out
 * (caller closes), or -1 (logged).  A file that is not an SQLite
 * database, or is corrupt, fails here with SQLite's own message.
 */
int
db_open(const char *path, int create, struct db **out)
{
	struct db	*db;
	int		 flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	char		*err = NULL;

	*out = NULL;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	db = xcalloc(1, sizeof(*db));
	pthread_mutex_init(&db->lock, NULL);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		log_err("%s: %s: %s", __func__, path, db->h == NULL ?
		    "out of memory" : sqlite3_errmsg(db->h));
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_MS);
	if (sqlite3_exec(db->h,
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; "
	    "PRAGMA trusted_schema=OFF; PRAGMA wal_autocheckpoint=0;",
	    NULL, NULL, &err) != SQLITE_OK) {
		log_err("%s: %s: %s", __func__, path, err);
		sqlite3_free(err);
		goto fail;
	}
	*out = db;
	return 0;
fail:
	db_close(db);
	return -1;
}

/* Finalise every statement and close.  Accepts NULL. */
void
db_close(struct db *db)
{
	size_t	i;

	if (db == NULL)
		return;
	for (i = 0; i < SQL__MAX; i++)
		sqlite3_finalize(db->stmt[i]);
	for (i = 0; i < DB_SLOTS; i++)
		sqlite3_finalize(db->slot[i]);
	if (db->h != NULL && sqlite3_close(db->h) != SQLITE_OK)
		log_err("%s: %s", __func__, sqlite3_errmsg(db->h));
	pthread_mutex_destroy(&db->lock);
	free(db);
}

void
db_lock(struct db *db)
{
	pthread_mutex_lock(&db->lock);
}

void
db_unlock(struct db *db)
{
	pthread_mutex_unlock(&db->lock);
}

/*
 * The prepared statement for "which", prepared on first use: the schema
 * does not exist before the migrations ran, so nothing is prepared at
 * open.  NULL on error (logged).
 */
static sqlite3_stmt *
stmt(struct db *db, enum sqlstmt which)
{
	if (db->stmt[which] == NULL && sqlite3_prepare_v3(db->h,
	    sqls[which], -1, SQLITE_PREPARE_PERSISTENT, &db->stmt[which],
	    NULL) != SQLITE_OK) {
		log_err("prepare: %s: %s", sqls[which], sqlite3_errmsg(db->h));
		return NULL;
	}
	return db->stmt[which];
}

/*
 * Step a statement, logging anything but a row or done.  Constraint
 * failures are returned as SQLITE_CONSTRAINT without a log line: callers
 * that expect them (duplicates) decide.
 */
static int
step(struct db *db, sqlite3_stmt *st)
{
	int	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return SQLITE_CONSTRAINT;
	log_err("step: %s: %s", sqlite3_sql(st), sqlite3_errmsg(db->h));
	return rc;
}

/* Run a statement that returns no row.  0 or -1. */
static int
run(struct db *db, sqlite3_stmt *st)
{
	int	rc = step(db, st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/*
 * The integer of a statement's one row (st bound, or NULL when it could
 * not be prepared): 0 and *v set, or -1 and *v 0.
 */
static int
one_int64(struct db *db, sqlite3_stmt *st, int64_t *v)
{
	int	rc = -1;

	*v = 0;
	if (st == NULL)
		return -1;
	if (step(db, st) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	done(st);
	return rc;
}

static void
copy_text(char *dst, size_t dstsz, sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	if (s == NULL)
		s = (const unsigned char *)"";
	if (strlen((const char *)s) >= dstsz) {
		memcpy(dst, s, dstsz - 1);
		dst[dstsz - 1] = '\0';
	} else
		memcpy(dst, s, strlen((const char *)s) + 1);
}

/*
 * For a module that keeps its own statements beside its own tables
 * (oitdb.c): the statement sql in slot k, prepared on first use like
 * ours and finalised by db_close().  Each module owns a fixed range of
 * slots (db.h).  NULL on error (logged).
 */
sqlite3_stmt *
db_slot(struct db *db, size_t k, const char *sql)
{
	if (k >= DB_SLOTS) {
		log_err("%s: slot %zu out of range", __func__, k);
		return NULL;
	}
	if (db->slot[k] == NULL && sqlite3_prepare_v3(db->h, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &db->slot[k], NULL) != SQLITE_OK) {
		log_err("prepare: %s: %s", sql, sqlite3_errmsg(db->h));
		return NULL;
	}
	return db->slot[k];
}

/* step() for the modules: SQLITE_ROW, SQLITE_DONE, or an error (logged). */
int
db_step(struct db *db, sqlite3_stmt *st)
{
	return step(db, st);
}

/* run() for the modules: a statement without rows, reset.  0 or -1. */
int
db_run(struct db *db, sqlite3_stmt *st)
{
	return run(db, st);
}

/* Reset a module's statement and clear its bindings. */
void
db_done(sqlite3_stmt *st)
{
	done(st);
}

/*
 * Fill the blob column of table's row rowid (made with zeroblob(len))
 * with len bytes read from f, from its start, a chunk at a time: a large
 * body need not be held in memory.  table and column are constants of
 * the caller.  0 or -1 (logged).
 */
int
db_blob_fill(struct db *db, const char *table, const char *column,
    int64_t rowid, FILE *f, size_t len)
{
	sqlite3_blob	*b = NULL;
	char		 chunk[64 * 1024];
	size_t		 off = 0, n;
	int		 rc = -1;

	if (sqlite3_blob_open(db->h, "main", table, column, rowid, 1, &b) !=
	    SQLITE_OK) {
		DBERR(db, "sqlite3_blob_open");
		goto out;
	}
	if ((size_t)sqlite3_blob_bytes(b) != len || fseek(f, 0, SEEK_SET)) {
		log_err("%s: %s: the blob is not %zu bytes", __func__, table,
		    len);
		goto out;
	}
	while (off < len) {
		n = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
		if (fread(chunk, 1, n, f) != n) {
			log_err("%s: short read of the spilled body", __func__);
			goto out;
		}
		if (sqlite3_blob_write(b, chunk, (int)n, (int)off) !=
		    SQLITE_OK) {
			DBERR(db, "sqlite3_blob_write");
			goto out;
		}
		off += n;
	}
	rc = 0;
out:
	if (b != NULL)
		sqlite3_blob_close(b);
	return rc;
}

/* The row id of the last INSERT on this connection. */
int64_t
db_last_id(struct db *db)
{
	return (int64_t)sqlite3_last_insert_rowid(db->h);
}

/* Rows changed by the last statement on this connection. */
int64_t
db_changes(struct db *db)
{
	return (int64_t)sqlite3_changes(db->h);
}

/* Begin a write transaction (BEGIN IMMEDIATE).  0 or -1. */
int
db_tx_begin(struct db *db)
{
	sqlite3_stmt	*st = stmt(db, SQL_BEGIN);

	return st == NULL ? -1 : run(db, st);
}

/* Commit.  Returns 0 only when the commit is durable. */
int
db_tx_commit(struct db *db)
{
	sqlite3_stmt	*st = stmt(db, SQL_COMMIT);

	if (st == NULL || run(db, st) == -1) {
		db_tx_rollback(db);
		return -1;
	}
	return 0;
}

/* Roll back if a transaction is open; harmless otherwise. */
void
db_tx_rollback(struct db *db)
{
	sqlite3_stmt	*st;

	if (sqlite3_get_autocommit(db->h))
		return;
	if ((st = stmt(db, SQL_ROLLBACK)) != NULL)
		(void)run(db, st);
}

/*
 * Run a trusted script of SQL (a migration file).  On error returns -1 and
 * sets *errmsg (caller frees with free()).
 */
int
db_exec_script(struct db *db, const char *sql, char **errmsg)
{
	char	*err = NULL;

	*errmsg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		*errmsg = xstrdup(err == NULL ? "unknown error" : err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
db_user_version(struct db *db, int64_t *v)
{
	sqlite3_stmt	*st = NULL;
	int		 rc = -1;

	*v = 0;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK) {
		DBERR(db, "user_version");
		return -1;
	}
	if (step(db, st) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Record the schema version (inside the migration's transaction). */
int
db_set_user_version(struct db *db, int64_t v)
{
	char	 sql[64];
	char	*err = NULL;

	/* PRAGMA takes no parameters; v is our own integer, not input. */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld", (long long)v);
	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_err("%s: %s", __func__, err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/*
 * Refuse a database that is corrupt or is not ours: quick_check must pass
 * and, unless it is empty, it must have our tables.  0 or -1 (logged).
 */
int
db_check(struct db *db)
{
	sqlite3_stmt	*st = NULL;
	int		 rc = -1, ok = 0;
	int64_t		 tables = 0, ours = 0;

	if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check", -1, &st,
	    NULL) != SQLITE_OK) {
		DBERR(db, "quick_check");
		goto out;
	}
	while (step(db, st) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(st, 0),
		    "ok") == 0)
			ok = 1;
	sqlite3_finalize(st);
	st = NULL;
	if (!ok) {
		log_err("database failed its integrity check");
		goto out;
	}
	if (sqlite3_prepare_v2(db->h, "SELECT count(*), "
	    "sum(name IN ('rounds', 'responses', 'tokens')) "
	    "FROM sqlite_schema WHERE type = 'table'", -1, &st, NULL) !=
	    SQLITE_OK) {
		DBERR(db, "schema");
		goto out;
	}
	if (step(db, st) != SQLITE_ROW)
		goto out;
	tables = sqlite3_column_int64(st, 0);
	ours = sqlite3_column_int64(st, 1);
	if (tables > 0 && ours != 3) {
		log_err("database is not an ita-survey database "
		    "(it has other tables)");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Copy the write-ahead log into the database (mode, enum db_ckpt):
 * DB_CKPT_PASSIVE only that; DB_CKPT_TRUNCATE also empties the log file
 * to zero bytes, so it no longer holds the pages of recent transactions
 * in the order they were written; DB_CKPT_RESTART has the next writer
 * start it again from its beginning (for the one writer, between its
 * transactions).  Waits at most wait_ms for a reader or another writer
 * in the way, then returns 1 and the caller tries again later.  0 done,
 * 1 busy, -1 error (logged).
 */
int
db_checkpoint(struct db *db, enum db_ckpt mode, int wait_ms)
{
	static const int	 modes[] = { SQLITE_CHECKPOINT_PASSIVE,
	    SQLITE_CHECKPOINT_TRUNCATE, SQLITE_CHECKPOINT_RESTART };
	int			 rc;

	sqlite3_busy_timeout(db->h, wait_ms);
	rc = sqlite3_wal_checkpoint_v2(db->h, NULL, modes[mode], NULL, NULL);
	sqlite3_busy_timeout(db->h, BUSY_MS);
	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return 1;
	DBERR(db, "checkpoint");
	return -1;
}

/* The database's page size in bytes.  0 or -1. */
int
db_page_size(struct db *db, int64_t *v)
{
	return one_int64(db, stmt(db, SQL_PAGE_SIZE), v);
}

static int
wal_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
	struct db	*db = arg;

	(void)h;
	(void)name;
	return db->wal_cb(db->wal_arg, frames);
}

/*
 * After each commit on this connection, cb(arg, frames) learns how many
 * pages the write-ahead log holds.  Replaces SQLite's automatic
 * checkpoints on this connection (the caller makes its own).
 */
void
db_wal_hook(struct db *db, int (*cb)(void *, int), void *arg)
{
	db->wal_cb = cb;
	db->wal_arg = arg;
	sqlite3_wal_hook(db->h, wal_hook, db);
}

/*
 * Copy the whole database to path with the online backup API, in one
 * step: one read transaction, so one consistent snapshot, which in WAL
 * mode no writer blocks or invalidates.  (Copying a few pages per step
 * would let the writer in between, and every commit by another connection
 * restarts such a backup from the first page: under a steady load it
 * never ended.)  Its time is bounded by the size of the database, not by
 * the load.  BUSY (a checkpoint or recovery holding the file at that very
 * moment) is retried for a while.  0 or -1.
 */
int
db_backup(struct db *db, const char *path)
{
	sqlite3		*dst = NULL;
	sqlite3_backup	*bk;
	int		 rc = SQLITE_BUSY, tries;

	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		log_err("%s: %s: %s", __func__, path, dst == NULL ?
		    "out of memory" : sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	if ((bk = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL) {
		log_err("%s: %s", __func__, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	for (tries = 0; tries < BACKUP_TRIES; tries++) {
		rc = sqlite3_backup_step(bk, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(BACKUP_WAIT_MS);
	}
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		log_err("%s: %s", __func__, sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	sqlite3_close(dst);
	return rc == SQLITE_OK ? 0 : -1;
}

/* ---- rounds ---- */

int
db_round_insert(struct db *db, const char *form, const char *title,
    int64_t population, int public, int64_t min_cell, int64_t *id)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_INSERT);

	*id = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, population);
	sqlite3_bind_int(st, 4, public);
	sqlite3_bind_int64(st, 5, min_cell);
	sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
	if (run(db, st) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

static void
round_from_row(sqlite3_stmt *st, struct round *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	copy_text(r->form_id, sizeof(r->form_id), st, 1);
	copy_text(r->title, sizeof(r->title), st, 2);
	r->population = sqlite3_column_int64(st, 3);
	r->public = sqlite3_column_int(st, 4);
	r->open = strcmp((const char *)sqlite3_column_text(st, 5),
	    "open") == 0;
	r->min_cell = sqlite3_column_int64(st, 6);
	r->respondents = sqlite3_column_int64(st, 7);
	r->scored = sqlite3_column_int64(st, 8);
	r->tokens_issued = sqlite3_column_int64(st, 9);
	r->tokens_used = sqlite3_column_int64(st, 10);
	r->kiosks = sqlite3_column_int64(st, 11);
	r->created_at = sqlite3_column_int64(st, 12);
	r->final = sqlite3_column_int(st, 13);
	r->archived = sqlite3_column_int(st, 14);
	r->opened = sqlite3_column_int(st, 15);
}

/* Look up round id: 1 found (*r filled), 0 none, -1 error. */
int
db_round_get(struct db *db, int64_t id, struct round *r)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_GET);
	int		 rc = -1;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	switch (step(db, st)) {
	case SQLITE_ROW:
		round_from_row(st, r);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/*
 * Step st to the end, filling a growing array of "size"-byte elements
 * with fill(); *out gets it (caller frees) and *n its length.  Resets st.
 * 0 or -1 (then *out is NULL, and drop(), if given, has freed what fill()
 * put in each element).  For the modules with their own statements too.
 */
int
db_list_rows(struct db *db, sqlite3_stmt *st, size_t size,
    void (*fill)(sqlite3_stmt *, void *), void (*drop)(void *),
    void **out, size_t *n)
{
	char	*arr = NULL;
	size_t	 cap = 0, i;
	int	 rc;

	*out = NULL;
	*n = 0;
	while ((rc = step(db, st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			arr = xreallocarray(arr, cap, size);
		}
		memset(arr + size * *n, 0, size);
		fill(st, arr + size * (*n)++);
	}
	done(st);
	if (rc != SQLITE_DONE) {
		for (i = 0; drop != NULL && i < *n; i++)
			drop(arr + size * i);
		free(arr);
		*n = 0;
		return -1;
	}
	*out = arr;
	return 0;
}

static void
round_fill(sqlite3_stmt *st, void *r)
{
	round_from_row(st, r);
}

/* Every round, by id.  *out is an array the caller frees.  0 or -1. */
int
db_round_list(struct db *db, struct round **out, size_t *n)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_LIST);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	rc = db_list_rows(db, st, sizeof(**out), round_fill, NULL, &arr, n);
	*out = arr;
	return rc;
}

/* Open or close round id.  1 done, 0 no such round, -1 error. */
int
db_round_set_open(struct db *db, int64_t id, int open)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_SET_STATE);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, open ? "open" : "closed", -1, SQLITE_STATIC);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * Make round id final (its raw responses are leaving): 1 done, 0 when it
 * is not closed or does not exist, -1 error.
 */
int
db_round_final(struct db *db, int64_t id)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_FINAL);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * Count n more responses, "used" of them with an access code.  0 or -1.
 */
int
db_round_add_responses(struct db *db, int64_t id, int64_t n, int64_t used)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_COUNT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_int64(st, 3, used);
	return run(db, st);
}

/*
 * What the writer needs of round id, inside its transaction: whether it
 * is open and public, its min_cell and its exact respondents (never
 * shown: db_round_get() rounds them down).  1, 0 no such round, or -1.
 */
int
db_round_state(struct db *db, int64_t id, struct round_state *out)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_STATE);
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	switch (step(db, st)) {
	case SQLITE_ROW:
		out->open = sqlite3_column_int(st, 0);
		out->public = sqlite3_column_int(st, 1);
		out->min_cell = sqlite3_column_int64(st, 2);
		out->respondents = sqlite3_column_int64(st, 3);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/*
 * Mark round id's published snapshot (written with db_tally_put) as
 * covering "scored" responses, and its kiosks' counts with it.  Inside
 * the responses' transaction.  0 or -1.
 */
int
db_round_publish(struct db *db, int64_t id, int64_t scored)
{
	sqlite3_stmt	*st;

	if ((st = stmt(db, SQL_PUBLISH_KIOSKS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (run(db, st) == -1)
		return -1;
	if ((st = stmt(db, SQL_ROUND_SET_SCORED)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, scored);
	return run(db, st);
}

int
db_round_add_tokens(struct db *db, int64_t id, int64_t n)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_ADD_TOKENS);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	return run(db, st);
}

/*
 * Change round id: its title (not NULL), population (>= 0) and archived
 * flag (>= 0); the others stay.  1 done, 0 no such round, -1 error.
 */
int
db_round_set(struct db *db, int64_t id, const char *title,
    int64_t population, int archived)
{
	sqlite3_stmt	*st = stmt(db, SQL_ROUND_SET);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (title != NULL)
		sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
	if (population >= 0)
		sqlite3_bind_int64(st, 3, population);
	if (archived >= 0)
		sqlite3_bind_int(st, 4, archived != 0);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * Delete round id with its codes, kiosks and counts, inside the caller's
 * transaction; only a closed round that was never opened goes (the
 * statement says so again).  1 done, 0 not deleted, -1 error.
 */
int
db_round_delete(struct db *db, int64_t id)
{
	static const enum sqlstmt parts[] = { SQL_ROUND_DEL_TOKENS,
	    SQL_ROUND_DEL_KIOSKS, SQL_ROUND_DEL_TALLIES, SQL_ROUND_DEL_UNITS,
	    SQL_ROUND_DEL_MEASURES, SQL_ROUND_DELETE };
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if ((st = stmt(db, parts[i])) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		if (run(db, st) == -1)
			return -1;
	}
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * Make the code hashing to hash unusable if it is one of round's, used or
 * not (so the caller cannot tell which).  1 a code of round, 0 not, -1.
 */
int
db_token_void(struct db *db, int64_t round, const unsigned char *hash)
{
	sqlite3_stmt	*st = stmt(db, SQL_TOKEN_VOID);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, round);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * Make every unused code of round unusable.  How many that was is not
 * returned: issued minus used, it would be the exact respondent count.
 * 0 or -1.
 */
int
db_token_void_unused(struct db *db, int64_t round)
{
	sqlite3_stmt	*st = stmt(db, SQL_TOKEN_VOID_UNUSED);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	return run(db, st);
}

/*
 * Call fn(question, value, n, arg) for each count of round's published
 * snapshot, strings borrowed for the call.  fn returns 0, or -1 to stop.
 * 0, or -1 on error or when fn stopped.
 */
int
db_published_each(struct db *db, int64_t round, published_fn fn, void *arg)
{
	sqlite3_stmt	*st = stmt(db, SQL_PUBLISHED_GET);
	int		 rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	while ((rc = step(db, st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2), arg) == -1)
			break;
	done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- tokens and submissions ---- */

/* Bind a unit id, 0 meaning none (NULL). */
static void
bind_unit(sqlite3_stmt *st, int k, int64_t unit)
{
	if (unit > 0)
		sqlite3_bind_int64(st, k, unit);
	else
		sqlite3_bind_null(st, k);
}

/* A new unused code of round, issued for unit (0: none).  0 or -1. */
int
db_token_insert(struct db *db, int64_t round, const unsigned char *hash,
    int64_t unit)
{
	sqlite3_stmt	*st = stmt(db, SQL_TOKEN_INSERT);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, round);
	bind_unit(st, 3, unit);
	return run(db, st);
}

/* 1 and *used set if the token exists in round, 0 if not, -1 error. */
int
db_token_state(struct db *db, int64_t round, const unsigned char *hash,
    int *used)
{
	sqlite3_stmt	*st = stmt(db, SQL_TOKEN_GET);
	int		 rc = -1;

	*used = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, round);
	switch (step(db, st)) {
	case SQLITE_ROW:
		*used = sqlite3_column_int(st, 0);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/*
 * Mark an unused token used: 1 done and *unit set to the unit it was
 * issued for (0: none), 0 unknown or already used, -1 error.
 */
int
db_token_use(struct db *db, int64_t round, const unsigned char *hash,
    int64_t *unit)
{
	sqlite3_stmt	*st = stmt(db, SQL_TOKEN_USE);
	int		 rc = -1;

	*unit = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, round);
	switch (step(db, st)) {
	case SQLITE_ROW:
		*unit = sqlite3_column_int64(st, 0);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/* 1 if the submission hash is stored, 0 if not, -1 error. */
int
db_submission_exists(struct db *db, const unsigned char *hash)
{
	sqlite3_stmt	*st = stmt(db, SQL_SUBMISSION_GET);
	int		 rc = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	switch (step(db, st)) {
	case SQLITE_ROW:
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/*
 * Record the submission hash unless it is there: 1 recorded (a new
 * submission), 0 already there (a replay), -1 error.
 */
int
db_submission_claim(struct db *db, const unsigned char *hash)
{
	sqlite3_stmt	*st = stmt(db, SQL_SUBMISSION_CLAIM);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1;
}

/* Take back a hash db_submission_claim() recorded.  0 or -1. */
int
db_submission_forget(struct db *db, const unsigned char *hash)
{
	sqlite3_stmt	*st = stmt(db, SQL_SUBMISSION_FORGET);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	return run(db, st);
}

/* ---- responses and counts ---- */

/* Store one response of unit (0: none) under a new random id.  0 or -1. */
int
db_response_insert(struct db *db, int64_t round, int64_t unit,
    const char *answers)
{
	sqlite3_stmt	*st = stmt(db, SQL_RESPONSE_INSERT);
	unsigned char	 id[RESPONSE_ID_BYTES];
	int		 tries, rc = -1;

	if (st == NULL)
		return -1;
	/* 128 random bits do not collide; the loop is belt and braces. */
	for (tries = 0; tries < 3 && rc != SQLITE_DONE; tries++) {
		randombytes_buf(id, sizeof(id));
		sqlite3_bind_blob(st, 1, id, sizeof(id), SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, round);
		sqlite3_bind_text(st, 3, answers, -1, SQLITE_STATIC);
		bind_unit(st, 4, unit);
		rc = step(db, st);
		done(st);
		if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT)
			break;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The running counts of round (unit 0) or of one of its units, as the
 * JSON text of its tallies row (migrations/0006_tallies.sql): 1 and
 * *running set (the caller frees it), 0 when there is no row yet, -1.
 */
int
db_tally_get(struct db *db, int64_t round, int64_t unit, char **running)
{
	sqlite3_stmt	*st = stmt(db, SQL_TALLY_GET);
	int		 rc = -1;

	*running = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, unit);
	switch (step(db, st)) {
	case SQLITE_ROW:
		*running = xstrdup((const char *)sqlite3_column_text(st, 0));
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/*
 * A number that changes when another connection (another thread's or
 * process's) committed since this one last looked: what the writer's
 * kept counts depend on.  0 or -1.
 */
int
db_data_version(struct db *db, int64_t *v)
{
	return one_int64(db, stmt(db, SQL_DATA_VERSION), v);
}

/*
 * Store the running counts of round (unit 0) or of one of its units, and
 * with published (or NULL: unchanged) its published snapshot.  0 or -1.
 */
int
db_tally_put(struct db *db, int64_t round, int64_t unit,
    const char *running, const char *published)
{
	sqlite3_stmt	*st = stmt(db, SQL_TALLY_PUT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, unit);
	sqlite3_bind_text(st, 3, running, -1, SQLITE_STATIC);
	if (published != NULL)
		sqlite3_bind_text(st, 4, published, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	return run(db, st);
}

/*
 * Call cb for each stored response of round, in random-id order (never
 * arrival order).  Rows are streamed: memory does not grow with the
 * round.  A callback returning -1 stops the walk.  0 or -1.
 */
int
db_responses_each(struct db *db, int64_t round, response_cb cb, void *arg)
{
	sqlite3_stmt		*st = stmt(db, SQL_RESPONSE_LIST);
	struct response_row	 row;
	const void		*id;
	int			 rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	while ((rc = step(db, st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		id = sqlite3_column_blob(st, 0);
		if (id != NULL && sqlite3_column_bytes(st, 0) ==
		    RESPONSE_ID_BYTES)
			memcpy(row.id, id, RESPONSE_ID_BYTES);
		row.answers = (const char *)sqlite3_column_text(st, 1);
		if (row.answers == NULL)
			row.answers = "{}";
		if (cb(&row, arg) == -1) {
			rc = SQLITE_ABORT;
			break;
		}
	}
	done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- kiosks ---- */

int
db_kiosk_insert(struct db *db, int64_t round, const char *name,
    const unsigned char *hash, int64_t unit, int64_t *id)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_INSERT);

	*id = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	bind_unit(st, 5, unit);
	if (run(db, st) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

static void
kiosk_from_row(sqlite3_stmt *st, struct kiosk *k)
{
	memset(k, 0, sizeof(*k));
	k->id = sqlite3_column_int64(st, 0);
	k->round_id = sqlite3_column_int64(st, 1);
	copy_text(k->name, sizeof(k->name), st, 2);
	k->revoked = sqlite3_column_int(st, 3);
	k->responses = sqlite3_column_int64(st, 4);
	copy_text(k->last_seen_day, sizeof(k->last_seen_day), st, 5);
	k->created_at = sqlite3_column_int64(st, 6);
	k->unit_id = sqlite3_column_int64(st, 7);
	copy_text(k->unit, sizeof(k->unit), st, 8);
}

static int
kiosk_one(struct db *db, sqlite3_stmt *st, struct kiosk *k)
{
	int	rc = -1;

	switch (step(db, st)) {
	case SQLITE_ROW:
		kiosk_from_row(st, k);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/* The kiosk whose key hashes to hash: 1 found, 0 none, -1 error. */
int
db_kiosk_by_key(struct db *db, const unsigned char *hash, struct kiosk *k)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_BY_KEY);

	memset(k, 0, sizeof(*k));
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	return kiosk_one(db, st, k);
}

int
db_kiosk_get(struct db *db, int64_t id, struct kiosk *k)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_GET);

	memset(k, 0, sizeof(*k));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return kiosk_one(db, st, k);
}

/*
 * Record contact from kiosk id today (UTC day only): a pairing check, not
 * a response, so the day a quiet counter's first answer came in is not
 * told by it.  0 or -1.
 */
int
db_kiosk_seen(struct db *db, int64_t id)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_SEEN);
	char		 day[16];
	time_t		 now = time(NULL);
	struct tm	 tm;

	if (st == NULL)
		return -1;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
	return run(db, st);
}

/* Count n more responses from kiosk id.  0 or -1. */
int
db_kiosk_counted(struct db *db, int64_t id, int64_t n)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_COUNTED);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	return run(db, st);
}

static void
kiosk_fill(sqlite3_stmt *st, void *k)
{
	kiosk_from_row(st, k);
}

/* Kiosks of round (0: all), by id.  Caller frees *out.  0 or -1. */
int
db_kiosk_list(struct db *db, int64_t round, struct kiosk **out, size_t *n)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_LIST);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	rc = db_list_rows(db, st, sizeof(**out), kiosk_fill, NULL, &arr, n);
	*out = arr;
	return rc;
}

/*
 * Rename (name not NULL) and/or revoke (revoked >= 0) kiosk id.
 * 1 done, 0 no such kiosk, -1 error.
 */
int
db_kiosk_set(struct db *db, int64_t id, const char *name, int revoked)
{
	sqlite3_stmt	*st = stmt(db, SQL_KIOSK_SET);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (name != NULL)
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (revoked >= 0)
		sqlite3_bind_int(st, 3, revoked);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/* ---- admins, sessions, audit ---- */

/*
 * A new account; must_change set when its password is a temporary one.
 * 1 inserted, 0 when the user name is taken, -1 error.
 */
int
db_admin_insert(struct db *db, const char *user, const char *pwhash,
    int is_admin, int must_change)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_INSERT);
	int		 rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, is_admin ? "admin" : "viewer", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	sqlite3_bind_int(st, 5, must_change != 0);
	rc = step(db, st);
	done(st);
	if (rc == SQLITE_CONSTRAINT)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

static void
admin_from_row(sqlite3_stmt *st, struct admin *a)
{
	const unsigned char	*role = sqlite3_column_text(st, 3);

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	copy_text(a->username, sizeof(a->username), st, 1);
	copy_text(a->pwhash, sizeof(a->pwhash), st, 2);
	a->is_admin = role != NULL && strcmp((const char *)role, "admin") == 0;
	a->disabled = sqlite3_column_int(st, 4) != 0;
	a->must_change = sqlite3_column_int(st, 5) != 0;
	a->created_at = sqlite3_column_int64(st, 6);
}

static int
admin_one(struct db *db, sqlite3_stmt *st, struct admin *a)
{
	int	rc = -1;

	switch (step(db, st)) {
	case SQLITE_ROW:
		admin_from_row(st, a);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/* 1 found, 0 no such user, -1 error. */
int
db_admin_get(struct db *db, const char *user, struct admin *a)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_GET);

	memset(a, 0, sizeof(*a));
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	return admin_one(db, st, a);
}

/* The account of id: 1 found, 0 none, -1 error. */
int
db_admin_get_id(struct db *db, int64_t id, struct admin *a)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_GET_ID);

	memset(a, 0, sizeof(*a));
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return admin_one(db, st, a);
}

static void
admin_fill(sqlite3_stmt *st, void *a)
{
	admin_from_row(st, a);
}

/*
 * Every account by user name, pwhash left empty.  *out is an array the
 * caller frees.  0 or -1.
 */
int
db_admin_list(struct db *db, struct admin **out, size_t *n)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_LIST);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	rc = db_list_rows(db, st, sizeof(**out), admin_fill, NULL, &arr, n);
	*out = arr;
	return rc;
}

/* How many enabled accounts have the admin role, in *n.  0 or -1. */
int
db_admin_count_active(struct db *db, int64_t *n)
{
	return one_int64(db, stmt(db, SQL_ADMIN_COUNT_ACTIVE), n);
}

/*
 * Set account id's role (is_admin 0 or 1) and/or disabled flag (0 or
 * 1); -1 leaves either as it is.  1 done, 0 no such account, -1 error.
 */
int
db_admin_set(struct db *db, int64_t id, int is_admin, int disabled)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_SET);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (is_admin >= 0)
		sqlite3_bind_text(st, 2, is_admin ? "admin" : "viewer", -1,
		    SQLITE_STATIC);
	if (disabled >= 0)
		sqlite3_bind_int(st, 3, disabled != 0);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * Store a new argon2id hash for account id; must_change set when it is
 * a temporary password.  1 done, 0 no such account, -1 error.
 */
int
db_admin_set_password(struct db *db, int64_t id, const char *pwhash,
    int must_change)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_SET_PASSWORD);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, must_change != 0);
	if (run(db, st) == -1)
		return -1;
	return sqlite3_changes(db->h) == 1 ? 1 : 0;
}

/*
 * End the sessions of account id: all of them, or all but the one whose
 * cookie hashes to keep (HASH_BYTES, or NULL).  0 or -1.
 */
int
db_admin_sessions_end(struct db *db, int64_t id, const unsigned char *keep)
{
	sqlite3_stmt	*st = stmt(db, SQL_ADMIN_SESSIONS_END);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (keep != NULL)
		sqlite3_bind_blob(st, 2, keep, HASH_BYTES, SQLITE_STATIC);
	return run(db, st);
}

/* Store a new session, dropping expired ones on the way.  0 or -1. */
int
db_session_insert(struct db *db, const unsigned char *hash, int64_t admin,
    const unsigned char *csrf, int64_t expires)
{
	sqlite3_stmt	*st = stmt(db, SQL_SESSION_PURGE);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	if (run(db, st) == -1)
		return -1;
	if ((st = stmt(db, SQL_SESSION_INSERT)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, admin);
	sqlite3_bind_blob(st, 3, csrf, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, expires);
	return run(db, st);
}

/* A live session by cookie hash: 1 found, 0 none or expired, -1. */
int
db_session_get(struct db *db, const unsigned char *hash, int64_t now,
    struct session *s)
{
	sqlite3_stmt	*st = stmt(db, SQL_SESSION_GET);
	int		 rc = -1;
	const void	*csrf;

	memset(s, 0, sizeof(*s));
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	switch (step(db, st)) {
	case SQLITE_ROW:
		s->admin_id = sqlite3_column_int64(st, 0);
		copy_text(s->username, sizeof(s->username), st, 1);
		s->is_admin = strcmp((const char *)sqlite3_column_text(st, 2),
		    "admin") == 0;
		csrf = sqlite3_column_blob(st, 3);
		if (csrf != NULL && sqlite3_column_bytes(st, 3) == HASH_BYTES)
			memcpy(s->csrf_hash, csrf, HASH_BYTES);
		s->expires_at = sqlite3_column_int64(st, 4);
		s->must_change = sqlite3_column_int(st, 5) != 0;
		memcpy(s->hash, hash, HASH_BYTES);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

int
db_session_delete(struct db *db, const unsigned char *hash)
{
	sqlite3_stmt	*st = stmt(db, SQL_SESSION_DELETE);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, HASH_BYTES, SQLITE_STATIC);
	return run(db, st);
}

/* ---- settings ---- */

/*
 * The value of setting name: 1 and *value (caller frees) when set, 0 and
 * NULL when unset, -1 on error (logged).
 */
int
db_setting_get(struct db *db, const char *name, char **value)
{
	sqlite3_stmt	*st = stmt(db, SQL_SETTING_GET);
	const char	*v;
	int		 rc = -1;

	*value = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	switch (step(db, st)) {
	case SQLITE_ROW:
		v = (const char *)sqlite3_column_text(st, 0);
		*value = xstrdup(v == NULL ? "" : v);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	done(st);
	return rc;
}

/* Set setting name to value, or unset it when value is "".  0 or -1. */
int
db_setting_set(struct db *db, const char *name, const char *value)
{
	sqlite3_stmt	*st;

	st = stmt(db, value[0] == '\0' ? SQL_SETTING_DELETE : SQL_SETTING_SET);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (value[0] != '\0')
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return run(db, st);
}

/* Append one line to the audit log.  0 or -1. */
int
db_audit(struct db *db, const char *user, const char *action,
    const char *detail, const char *params)
{
	sqlite3_stmt	*st = stmt(db, SQL_AUDIT_INSERT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, params, -1, SQLITE_STATIC);
	return run(db, st);
}

/* Bind v to parameter i of st, or NULL when unset (0 or NULL). */
static void
bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL && *v != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * The audit lines q asks for, newest first, as a JSON array (caller
 * owns): {"id", "at", "user", "action", "detail", "facts"}, facts being
 * the line's JSON object or null on lines older than schema 3.  0/-1.
 */
int
db_audit_list(struct db *db, const struct audit_query *q, json_t **out)
{
	sqlite3_stmt	*st = stmt(db, SQL_AUDIT_LIST);
	const char	*params;
	json_t		*arr, *facts;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	arr = json_array();
	bind_opt_int(st, 1, q->from);
	bind_opt_int(st, 2, q->to);
	bind_opt_text(st, 3, q->user);
	bind_opt_text(st, 4, q->action);
	bind_opt_int(st, 5, q->before);
	sqlite3_bind_int64(st, 6, q->limit);
	while ((rc = step(db, st)) == SQLITE_ROW) {
		params = (const char *)sqlite3_column_text(st, 5);
		if (params == NULL ||
		    (facts = json_loads(params, 0, NULL)) == NULL)
			facts = json_null();
		json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, "
		    "s:s, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "at", (json_int_t)sqlite3_column_int64(st, 1),
		    "user", (const char *)sqlite3_column_text(st, 2),
		    "action", (const char *)sqlite3_column_text(st, 3),
		    "detail", (const char *)sqlite3_column_text(st, 4),
		    "facts", facts));
	}
	done(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}
