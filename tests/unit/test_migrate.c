/* SPDX-License-Identifier: ISC */
/*
 * Migrations: applied in order, recorded, idempotent; a failing one rolls
 * back whole; gaps and a newer database are refused; the real schema
 * applies and has the confidentiality shape the README promises.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "extern.h"
#include "db.h"
#include "../check.h"

static char	dir[] = "/tmp/ita-test-migrate-XXXXXX";

static void
put(const char *name, const char *sql)
{
	char	*p = xasprintf("%s/m/%s", dir, name);
	FILE	*f = fopen(p, "w");

	fputs(sql, f);
	fclose(f);
	free(p);
}

static int64_t
version(struct db *db)
{
	int64_t	v = -1;

	if (db_user_version(db, &v) == -1)
		return -1;
	return v;
}

/* Count rows of a query through a separate connection. */
static long long
count(const char *dbpath, const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	long long	 n = -1;

	if (sqlite3_open(dbpath, &h) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return n;
}

int
main(void)
{
	struct db	*db = NULL;
	char		*mdir, *dbp, *cmd;
	int		 applied = -1;

	log_quiet(1);
	CHECK(mkdtemp(dir) != NULL);
	mdir = xasprintf("%s/m", dir);
	dbp = xasprintf("%s/t.db", dir);
	cmd = xasprintf("mkdir -p %s", mdir);
	CHECK(system(cmd) == 0);
	free(cmd);

	put("0001_a.sql", "CREATE TABLE a (x INTEGER);");
	put("0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);");
	put("README", "not a migration");
	CHECK(db_open(dbp, 1, &db) == 0);
	CHECK(migrate_run(db, mdir, &applied) == 0);
	CHECK(applied == 2);
	CHECK(version(db) == 2);
	/* Idempotent. */
	CHECK(migrate_run(db, mdir, &applied) == 0);
	CHECK(applied == 0);
	CHECK(count(dbp, "SELECT count(*) FROM a") == 1);

	/* A failing migration leaves nothing of itself. */
	put("0003_bad.sql", "CREATE TABLE c (z INTEGER); INSERT INTO nope "
	    "VALUES (1);");
	CHECK(migrate_run(db, mdir, &applied) == -1);
	CHECK(version(db) == 2);
	CHECK(count(dbp, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name = 'c'") == 0);
	put("0003_bad.sql", "CREATE TABLE c (z INTEGER);");
	CHECK(migrate_run(db, mdir, &applied) == 0 && applied == 1);
	CHECK(version(db) == 3);

	/* A gap is refused. */
	put("0005_gap.sql", "CREATE TABLE d (w INTEGER);");
	CHECK(migrate_run(db, mdir, &applied) == -1);
	cmd = xasprintf("%s/0005_gap.sql", mdir);
	unlink(cmd);
	free(cmd);
	/* A database newer than the folder is refused. */
	cmd = xasprintf("%s/0003_bad.sql", mdir);
	unlink(cmd);
	free(cmd);
	CHECK(migrate_run(db, mdir, &applied) == -1);
	db_close(db);
	db = NULL;

	/* The real migrations on a fresh database. */
	unlink(dbp);
	CHECK(db_open(dbp, 1, &db) == 0);
	CHECK(db_check(db) == 0);
	CHECK(migrate_run(db, "migrations", &applied) == 0);
	CHECK(applied >= 1);
	CHECK(db_check(db) == 0);
	CHECK(count(dbp, "PRAGMA journal_mode") == -1 ||
	    count(dbp, "SELECT count(*) FROM rounds") == 0);
	/*
	 * Answers and token use share no column but the round and the unit
	 * the code was issued for (units.c: all a response keeps of it).
	 */
	CHECK(count(dbp, "SELECT count(*) FROM pragma_table_info('responses') "
	    "r JOIN pragma_table_info('tokens') t ON r.name = t.name "
	    "WHERE r.name NOT IN ('round_id', 'unit_id')") == 0);
	CHECK(count(dbp, "SELECT count(*) FROM pragma_table_info('responses') "
	    "r JOIN pragma_table_info('submissions') s ON r.name = s.name") ==
	    0);
	/* No time column where respondents leave traces. */
	CHECK(count(dbp, "SELECT count(*) FROM pragma_table_info('responses') "
	    "WHERE name LIKE '%at' OR name LIKE '%time%' OR name LIKE "
	    "'%day%'") == 0);
	CHECK(count(dbp, "SELECT count(*) FROM pragma_table_info('tokens') "
	    "WHERE name LIKE '%at' OR name LIKE '%time%' OR name LIKE "
	    "'%day%'") == 0);
	/* Random-keyed, rowid-less answer rows. */
	CHECK(count(dbp, "SELECT count(*) FROM sqlite_schema WHERE name = "
	    "'responses' AND sql LIKE '%WITHOUT ROWID%'") == 1);
	CHECK(count(dbp, "PRAGMA user_version") >= 1);
	db_close(db);

	/* A foreign database is refused. */
	unlink(dbp);
	CHECK(db_open(dbp, 1, &db) == 0);
	CHECK(db_exec_script(db, "CREATE TABLE users (id INTEGER);",
	    &cmd) == 0);
	CHECK(db_check(db) == -1);
	db_close(db);
	/* A file that is not a database is refused at open or check. */
	put("junk.db", "this is not an SQLite database, just some text that "
	    "is long enough to look like a file header and then some more");
	cmd = xasprintf("%s/junk.db", mdir);
	db = NULL;
	CHECK(db_open(cmd, 0, &db) == -1 || db_check(db) == -1);
	db_close(db);
	free(cmd);

	cmd = xasprintf("rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	free(mdir);
	free(dbp);
	return check_done("test_migrate");
}
