/* SPDX-License-Identifier: ISC */
/*
 * Applies migrations/NNNN_name.sql in order.  Each file runs inside one
 * BEGIN IMMEDIATE ... COMMIT together with the PRAGMA user_version that
 * records it, so a crash leaves either the old or the new schema, and a
 * second run applies nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extern.h"
#include "db.h"

#define MIGRATION_MAX	(1024 * 1024)	/* bytes of one migration file */
#define MIGRATIONS_MAX	1000

struct migration {
	int64_t	 num;
	char	*name;		/* file name, owned */
};

/* "0001_init.sql" -> 1; -1 when the name is not a migration's. */
static int64_t
migration_number(const char *name)
{
	size_t	len = strlen(name), i;
	int64_t	n = 0;

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return -1;
	for (i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n > 0 ? n : -1;
}

static int
cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

static char *
read_file(const char *path)
{
	FILE		*f;
	struct stat	 sb;
	char		*p = NULL;

	if ((f = fopen(path, "r")) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &sb) == -1 || sb.st_size > MIGRATION_MAX) {
		log_err("%s: unreadable or larger than %d bytes", path,
		    MIGRATION_MAX);
		goto out;
	}
	p = xcalloc((size_t)sb.st_size + 1, 1);
	if (fread(p, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		log_err("%s: short read", path);
		free(p);
		p = NULL;
	}
out:
	fclose(f);
	return p;
}

/*
 * Apply every migration in dir newer than the database's user_version.
 * *applied gets how many ran (may be NULL).  0, or -1 (logged) on a
 * broken folder, a gap or duplicate in the numbering, a database newer
 * than the newest migration, or a failing script (rolled back).
 */
int
migrate_run(struct db *db, const char *dir, int *applied)
{
	DIR			*d = NULL;
	struct dirent		*de;
	struct migration	*m = NULL;
	size_t			 n = 0, i;
	int64_t			 have, num;
	int			 rc = -1, count = 0;
	char			*path = NULL, *sql = NULL, *err = NULL;

	if (applied != NULL)
		*applied = 0;
	if ((d = opendir(dir)) == NULL) {
		log_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if ((num = migration_number(de->d_name)) < 0)
			continue;
		if (n == MIGRATIONS_MAX) {
			log_err("%s: too many migrations", dir);
			goto out;
		}
		m = xreallocarray(m, n + 1, sizeof(*m));
		m[n].num = num;
		m[n++].name = xstrdup(de->d_name);
	}
	qsort(m, n, sizeof(*m), cmp_migration);
	for (i = 0; i < n; i++)
		if (m[i].num != (int64_t)i + 1) {
			log_err("%s: migrations must be numbered 0001, 0002, "
			    "... without gaps (%s)", dir, m[i].name);
			goto out;
		}
	if (db_user_version(db, &have) == -1)
		goto out;
	if (have > (int64_t)n) {
		log_err("database schema version %lld is newer than this "
		    "program's migrations (%zu)", (long long)have, n);
		goto out;
	}
	for (i = (size_t)have; i < n; i++) {
		free(path);
		free(sql);
		path = xasprintf("%s/%s", dir, m[i].name);
		if ((sql = read_file(path)) == NULL)
			goto out;
		if (db_tx_begin(db) == -1)
			goto out;
		if (db_exec_script(db, sql, &err) == -1) {
			log_err("%s: %s", path, err);
			db_tx_rollback(db);
			goto out;
		}
		if (db_set_user_version(db, m[i].num) == -1) {
			db_tx_rollback(db);
			goto out;
		}
		if (db_tx_commit(db) == -1)
			goto out;
		log_info("applied migration %s", m[i].name);
		count++;
	}
	if (applied != NULL)
		*applied = count;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(m[i].name);
	free(m);
	free(path);
	free(sql);
	free(err);
	closedir(d);
	return rc;
}
