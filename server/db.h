/* SPDX-License-Identifier: ISC */
/*
 * The storage layer: every SQL string and every sqlite3_* call lives in
 * db.c.  Callers hold db_lock() around a sequence that must not interleave
 * with another thread's (the connection is shared by the server's
 * threads), and use db_tx_*() for every multi-statement write.
 */
#ifndef DB_H
#define DB_H

#include <stdint.h>

#include "extern.h"

struct db;

#define RESPONSE_ID_BYTES 16	/* random id of a stored response */

struct round {
	int64_t	 id;
	char	 form_id[80];		/* id of a form file */
	char	 title[TITLE_MAX + 1];	/* UTF-8 */
	int64_t	 population;		/* 0 = unknown */
	int	 public;		/* external: anyone may answer */
	int	 open;			/* accepting responses */
	int64_t	 min_cell;
	int64_t	 respondents;		/* stored responses, rounded down
					   to a multiple of min_cell */
	int64_t	 scored;		/* in the published snapshot */
	int64_t	 tokens_issued;
	int64_t	 tokens_used;		/* rounded down likewise */
	int64_t	 kiosks;		/* active kiosks; filled likewise */
	int64_t	 created_at;		/* unix seconds */
	int	 final;			/* raw responses left: stays closed */
	int	 archived;		/* hidden from lists, still readable */
	int	 opened;		/* was ever open: never deleted */
};

struct kiosk {
	int64_t	 id;
	int64_t	 round_id;
	char	 name[NAME_MAX_LEN + 1];
	int	 revoked;
	int64_t	 responses;		/* at the last published snapshot,
					   rounded down to min_cell */
	char	 last_seen_day[16];	/* "YYYY-MM-DD" or "" */
	int64_t	 created_at;
	int64_t	 unit_id;		/* its unit, or 0 */
	char	 unit[UNIT_NAME_MAX + 1]; /* its name, or "" */
};

struct admin {
	int64_t	 id;
	char	 username[USERNAME_MAX + 1];
	char	 pwhash[160];		/* crypto_pwhash_str output */
	int	 is_admin;		/* role admin (else viewer) */
	int	 disabled;		/* may not log in */
	int	 must_change;		/* password is a temporary one */
	int64_t	 created_at;		/* unix seconds */
};

struct session {
	int64_t		 admin_id;
	char		 username[USERNAME_MAX + 1];
	int		 is_admin;
	int		 must_change;	/* must choose a password first */
	unsigned char	 hash[HASH_BYTES]; /* the cookie's keyed hash */
	unsigned char	 csrf_hash[HASH_BYTES];
	int64_t		 expires_at;
};

/* A stored response, one row of an export. */
struct response_row {
	unsigned char	 id[RESPONSE_ID_BYTES];
	const char	*answers;	/* JSON text, borrowed until next step */
};

/*
 * Modules with their own tables keep their statements beside them and
 * prepare them through db_slot(), each in its own range of slots:
 * oitdb.c 0-127, unitdb.c 128-175, compare and guidance 176-207,
 * measures 208-255.  They include <sqlite3.h> themselves.
 */
#define DB_SLOTS	256
struct sqlite3_stmt;
struct sqlite3_stmt *db_slot(struct db *, size_t k, const char *sql);
int	 db_step(struct db *, struct sqlite3_stmt *);
int	 db_run(struct db *, struct sqlite3_stmt *) WUR;
void	 db_done(struct sqlite3_stmt *);
int	 db_list_rows(struct db *, struct sqlite3_stmt *, size_t size,
	    void (*fill)(struct sqlite3_stmt *, void *), void (*drop)(void *),
	    void **out, size_t *n) WUR;
int64_t	 db_last_id(struct db *);
int	 db_blob_fill(struct db *, const char *table, const char *column,
	    int64_t rowid, FILE *, size_t len) WUR;
int64_t	 db_changes(struct db *);

int	 db_open(const char *path, int create, struct db **out) WUR;
void	 db_close(struct db *);
void	 db_lock(struct db *);
void	 db_unlock(struct db *);
int	 db_tx_begin(struct db *) WUR;
int	 db_tx_commit(struct db *) WUR;
void	 db_tx_rollback(struct db *);
int	 db_page_size(struct db *, int64_t *) WUR;
void	 db_wal_hook(struct db *, int (*)(void *, int), void *);
int	 db_exec_script(struct db *, const char *sql, char **errmsg) WUR;
int	 db_user_version(struct db *, int64_t *) WUR;
int	 db_set_user_version(struct db *, int64_t) WUR;
int	 db_check(struct db *) WUR;
int	 db_backup(struct db *, const char *path) WUR;
/* db_checkpoint()'s modes. */
enum db_ckpt {
	DB_CKPT_PASSIVE,
	DB_CKPT_TRUNCATE,
	DB_CKPT_RESTART,
};
int	 db_checkpoint(struct db *, enum db_ckpt, int wait_ms);

int	 db_round_insert(struct db *, const char *form, const char *title,
	    int64_t population, int public, int64_t min_cell,
	    int64_t *id) WUR;
int	 db_round_get(struct db *, int64_t id, struct round *) WUR;
int	 db_round_list(struct db *, struct round **, size_t *) WUR;
int	 db_round_set_open(struct db *, int64_t id, int open) WUR;
int	 db_round_final(struct db *, int64_t id) WUR;
int	 db_round_add_responses(struct db *, int64_t id, int64_t n,
	    int64_t used) WUR;
/* The writer's view of a round (db_round_state). */
struct round_state {
	int	 open;
	int	 public;
	int64_t	 min_cell;
	int64_t	 respondents;		/* exact: never shown */
};
int	 db_round_state(struct db *, int64_t id, struct round_state *) WUR;
int	 db_round_publish(struct db *, int64_t id, int64_t scored) WUR;
int	 db_round_add_tokens(struct db *, int64_t id, int64_t n) WUR;
int	 db_round_set(struct db *, int64_t id, const char *title,
	    int64_t population, int archived) WUR;
int	 db_round_delete(struct db *, int64_t id) WUR;
int	 db_token_void(struct db *, int64_t round,
	    const unsigned char *hash) WUR;
int	 db_token_void_unused(struct db *, int64_t round) WUR;

int	 db_token_insert(struct db *, int64_t round,
	    const unsigned char *hash, int64_t unit) WUR;
int	 db_token_state(struct db *, int64_t round,
	    const unsigned char *hash, int *used) WUR;
int	 db_token_use(struct db *, int64_t round,
	    const unsigned char *hash, int64_t *unit) WUR;

int	 db_submission_exists(struct db *, const unsigned char *hash) WUR;
int	 db_submission_claim(struct db *, const unsigned char *) WUR;
int	 db_submission_forget(struct db *, const unsigned char *) WUR;

int	 db_response_insert(struct db *, int64_t round, int64_t unit,
	    const char *answers) WUR;
int	 db_tally_get(struct db *, int64_t round, int64_t unit,
	    char **running) WUR;
int	 db_data_version(struct db *, int64_t *) WUR;
int	 db_tally_put(struct db *, int64_t round, int64_t unit,
	    const char *running, const char *published) WUR;
typedef int (*published_fn)(const char *question, const char *value,
	    int64_t n, void *);
int	 db_published_each(struct db *, int64_t round, published_fn,
	    void *) WUR;

typedef int (*response_cb)(const struct response_row *, void *);
int	 db_responses_each(struct db *, int64_t round, response_cb,
	    void *) WUR;

int	 db_kiosk_insert(struct db *, int64_t round, const char *name,
	    const unsigned char *hash, int64_t unit, int64_t *id) WUR;
int	 db_kiosk_by_key(struct db *, const unsigned char *hash,
	    struct kiosk *) WUR;
int	 db_kiosk_get(struct db *, int64_t id, struct kiosk *) WUR;
int	 db_kiosk_seen(struct db *, int64_t id) WUR;
int	 db_kiosk_counted(struct db *, int64_t id, int64_t n) WUR;
int	 db_kiosk_list(struct db *, int64_t round, struct kiosk **,
	    size_t *) WUR;
int	 db_kiosk_set(struct db *, int64_t id, const char *name,
	    int revoked) WUR;

int	 db_admin_insert(struct db *, const char *user, const char *pwhash,
	    int is_admin, int must_change) WUR;
int	 db_admin_get(struct db *, const char *user, struct admin *) WUR;
int	 db_admin_get_id(struct db *, int64_t id, struct admin *) WUR;
int	 db_admin_list(struct db *, struct admin **, size_t *) WUR;
int	 db_admin_count_active(struct db *, int64_t *) WUR;
int	 db_admin_set(struct db *, int64_t id, int is_admin,
	    int disabled) WUR;
int	 db_admin_set_password(struct db *, int64_t id, const char *pwhash,
	    int must_change) WUR;
int	 db_admin_sessions_end(struct db *, int64_t id,
	    const unsigned char *keep) WUR;

int	 db_session_insert(struct db *, const unsigned char *hash,
	    int64_t admin, const unsigned char *csrf, int64_t expires) WUR;
int	 db_session_get(struct db *, const unsigned char *hash, int64_t now,
	    struct session *) WUR;
int	 db_session_delete(struct db *, const unsigned char *hash) WUR;

int	 db_setting_get(struct db *, const char *name, char **value) WUR;
int	 db_setting_set(struct db *, const char *name, const char *value) WUR;

/* Which audit lines db_audit_list returns; 0 or NULL: any. */
struct audit_query {
	int64_t		 from, to;	/* unix seconds, from <= at < to */
	const char	*user;		/* exactly this user name */
	const char	*action;	/* this action or its "action.*" */
	int64_t		 before;	/* lines older than this id (paging) */
	int64_t		 limit;		/* at most this many */
};

int	 db_audit(struct db *, const char *user, const char *action,
	    const char *detail, const char *params) WUR;
int	 db_audit_list(struct db *, const struct audit_query *, json_t **)
	    WUR;

#endif /* !DB_H */
