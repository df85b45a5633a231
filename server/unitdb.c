/* SPDX-License-Identifier: ISC */
/*
 * The SQL of units, prepared once through db_slot() (slots 128-175) and
 * reset after each use, with bound parameters only.  See unitdb.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "extern.h"
#include "db.h"
#include "unitdb.h"

#define SLOT0	128	/* db.h gives units slots 128-175 */

enum unitsql {
	USQL_FIND,
	USQL_ADD,
	USQL_COUNT,
	USQL_NAMES,
	USQL_JOIN,
	USQL_PARTS,
	USQL_KIOSKS_WITHOUT,
	USQL_PUBLISHED,
	USQL_RESPONSES,
	USQL_PUBLISH_MARK,
	USQL__MAX
};

static const char *const sqls[USQL__MAX] = {
	/* USQL_FIND */
	"SELECT id FROM units WHERE name = ?1",
	/* USQL_ADD */
	"INSERT INTO units (name, created_at) VALUES (?1, ?2)",
	/* USQL_COUNT: units of a round (0: in all). */
	"SELECT CASE WHEN ?1 = 0 THEN (SELECT count(*) FROM units) "
	"ELSE (SELECT count(*) FROM unit_rounds WHERE round_id = ?1) END",
	/* USQL_NAMES */
	"SELECT name FROM units ORDER BY name",
	/* USQL_JOIN: the unit takes part in the round, with n more codes. */
	"INSERT INTO unit_rounds (round_id, unit_id, tokens_issued) "
	"VALUES (?1, ?2, ?3) ON CONFLICT (round_id, unit_id) "
	"DO UPDATE SET tokens_issued = tokens_issued + ?3",
	/*
	 * USQL_PARTS: never the exact respondents, which move with one
	 * response; by name, so the order tells nothing either.
	 */
	"SELECT u.id, u.name, p.tokens_issued, (SELECT count(*) FROM kiosks k "
	"WHERE k.round_id = p.round_id AND k.unit_id = u.id), p.scored "
	"FROM unit_rounds p JOIN units u ON u.id = p.unit_id "
	"WHERE p.round_id = ?1 ORDER BY u.name",
	/* USQL_KIOSKS_WITHOUT */
	"SELECT count(*) FROM kiosks WHERE round_id = ?1 AND unit_id IS NULL",
	/* USQL_PUBLISHED */
	"SELECT question, value, n FROM unit_published "
	"WHERE round_id = ?1 AND unit_id = ?2",
	/* USQL_RESPONSES */
	"INSERT INTO unit_rounds (round_id, unit_id, respondents) "
	"VALUES (?1, ?2, ?3) ON CONFLICT (round_id, unit_id) "
	"DO UPDATE SET respondents = respondents + ?3 RETURNING respondents",
	/* USQL_PUBLISH_MARK */
	"UPDATE unit_rounds SET scored = ?3 WHERE round_id = ?1 AND "
	"unit_id = ?2",
};

static sqlite3_stmt *
stmt(struct db *db, enum unitsql k)
{
	return db_slot(db, SLOT0 + (size_t)k, sqls[k]);
}

/* One integer from a one-row statement: 0 and *v set, or -1. */
static int
one_int(struct db *db, sqlite3_stmt *st, int64_t *v)
{
	int	rc = -1;

	if (db_step(db, st) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	db_done(st);
	return rc;
}

/* The unit called name: 1 and *id set, 0 none, -1 error. */
int
unitdb_find(struct db *db, const char *name, int64_t *id)
{
	sqlite3_stmt	*st = stmt(db, USQL_FIND);
	int		 rc = -1;

	*id = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	switch (db_step(db, st)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(st, 0);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	db_done(st);
	return rc;
}

/* A new unit called name.  0 and *id set, or -1. */
int
unitdb_add(struct db *db, const char *name, int64_t *id)
{
	sqlite3_stmt	*st = stmt(db, USQL_ADD);

	*id = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	if (db_run(db, st) == -1)
		return -1;
	*id = db_last_id(db);
	return 0;
}

/* How many units round has (round 0: how many exist).  0 or -1. */
int
unitdb_count(struct db *db, int64_t round, int64_t *n)
{
	sqlite3_stmt	*st = stmt(db, USQL_COUNT);

	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	return one_int(db, st, n);
}

/* Every unit's name, as a new JSON array of strings.  0 or -1. */
int
unitdb_names(struct db *db, json_t **out)
{
	sqlite3_stmt	*st = stmt(db, USQL_NAMES);
	json_t		*a;
	int		 rc;

	*out = NULL;
	if (st == NULL || (a = json_array()) == NULL)
		return -1;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if (json_array_append_new(a, json_string((const char *)
		    sqlite3_column_text(st, 0))) == -1) {
			rc = SQLITE_ERROR;
			break;
		}
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return -1;
	}
	*out = a;
	return 0;
}

/* Unit takes part in round, with tokens more codes.  0 or -1. */
int
unitdb_join(struct db *db, int64_t round, int64_t unit, int64_t tokens)
{
	sqlite3_stmt	*st = stmt(db, USQL_JOIN);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, unit);
	sqlite3_bind_int64(st, 3, tokens);
	return db_run(db, st);
}

static void
part_fill(sqlite3_stmt *st, void *arg)
{
	struct unit_part	*p = arg;
	const unsigned char	*s;

	p->id = sqlite3_column_int64(st, 0);
	if ((s = sqlite3_column_text(st, 1)) != NULL)
		snprintf(p->name, sizeof(p->name), "%s", (const char *)s);
	p->tokens_issued = sqlite3_column_int64(st, 2);
	p->kiosks = sqlite3_column_int64(st, 3);
	p->scored = sqlite3_column_int64(st, 4);
}

/* The units of round, by name.  Caller frees *out.  0 or -1. */
int
unitdb_parts(struct db *db, int64_t round, struct unit_part **out,
    size_t *n)
{
	sqlite3_stmt	*st = stmt(db, USQL_PARTS);
	void		*arr = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	rc = db_list_rows(db, st, sizeof(**out), part_fill, NULL, &arr, n);
	*out = arr;
	return rc;
}

/* How many kiosks of round carry no unit.  0 or -1. */
int
unitdb_kiosks_without(struct db *db, int64_t round, int64_t *n)
{
	sqlite3_stmt	*st = stmt(db, USQL_KIOSKS_WITHOUT);

	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	return one_int(db, st, n);
}

/* Call fn for each count of unit's published snapshot.  0 or -1. */
int
unitdb_published_each(struct db *db, int64_t round, int64_t unit,
    published_fn fn, void *arg)
{
	sqlite3_stmt	*st = stmt(db, USQL_PUBLISHED);
	int		 rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, unit);
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2), arg) == -1) {
			rc = SQLITE_ERROR;
			break;
		}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* n more responses of unit in round; *respondents: now.  0 or -1. */
int
unitdb_add_responses(struct db *db, int64_t round, int64_t unit, int64_t n,
    int64_t *respondents)
{
	sqlite3_stmt	*st = stmt(db, USQL_RESPONSES);

	*respondents = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, unit);
	sqlite3_bind_int64(st, 3, n);
	return one_int(db, st, respondents);
}

/*
 * Mark unit's published snapshot (written with db_tally_put) as covering
 * "scored" of its responses.  0 or -1.
 */
int
unitdb_publish(struct db *db, int64_t round, int64_t unit, int64_t scored)
{
	sqlite3_stmt	*st = stmt(db, USQL_PUBLISH_MARK);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, unit);
	sqlite3_bind_int64(st, 3, scored);
	return db_run(db, st);
}
