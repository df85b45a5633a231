/* SPDX-License-Identifier: ISC */
/*
 * ita-survey migrate | backup: the two database chores.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "db.h"

#define MIGRATE_USAGE "ita-survey migrate [common options]"
#define BACKUP_USAGE "ita-survey backup [--out FILE] [--backup-dir DIR] " \
	"[--backup-keep N] [common options]"
#define BACKUP_KEEP_MAX	1000	/* copies kept at most */
#define BACKUP_SCAN_MAX	100000	/* names read from the folder at most */

/* ita-survey migrate: apply pending migrations; print the version. */
int
cmd_migrate(struct config *cfg, int argc, char **argv)
{
	struct app	app;
	int64_t		v = 0;
	int		rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nApplies the pending migrations/*.sql "
		    "to the database, each in its own\ntransaction, and "
		    "prints the schema version.  Running it again changes\n"
		    "nothing.  serve does the same at start.\n",
		    MIGRATE_USAGE);
		return 0;
	}
	if (argc > 0)
		return usage_error(MIGRATE_USAGE,
		    "unexpected argument \"%s\"", argv[0]);
	memset(&app, 0, sizeof(app));
	if (sandbox_become_owner(cfg->db) == 0 &&
	    app_open(&app, cfg, 0) == 0 &&
	    db_user_version(app.db, &v) == 0) {
		printf("schema version %lld\n", (long long)v);
		rc = 0;
	}
	app_close(&app);
	return rc;
}

/*
 * Copy the live database to outp: a new 0600 file beside it, filled by
 * SQLite and renamed into place only once complete.  0, or -1 (printed).
 */
static int
backup_to(struct app *app, const char *outp)
{
	char	*tmp = xasprintf("%s.tmp", outp);
	int	 fd, rc = -1;

	/*
	 * The copy holds every answer and hash: made here, new and 0600,
	 * for SQLite to fill, so neither a stale .tmp nor a file someone
	 * put in its place lends it a wider mode.  rename() then replaces
	 * FILE, whatever FILE's own mode was.
	 */
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		fprintf(stderr, "ita-survey: %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	if (db_backup(app->db, tmp) == -1) {
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, outp) == -1) {
		fprintf(stderr, "ita-survey: %s: %s\n", outp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Remove the oldest of our copies in dir beyond the keep newest (their
 * names sort by time).  Files of other names are left alone.  0, or -1
 * (printed).
 */
static int
backup_prune(const char *dir, long keep)
{
	DIR		 *d;
	struct dirent	 *e;
	char		**names = NULL, *p;
	size_t		  n = 0, i;
	int		  rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "ita-survey: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL && n < BACKUP_SCAN_MAX)
		if (backup_is_copy(e->d_name)) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i + (size_t)keep < n; i++) {
		p = xasprintf("%s/%s", dir, names[i]);
		if (unlink(p) == -1) {
			fprintf(stderr, "ita-survey: %s: %s\n", p,
			    strerror(errno));
			rc = -1;
		}
		free(p);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * ita-survey backup [--out FILE | --dir DIR --keep N]: a consistent copy of
 * the live database; into DIR (ITA_SURVEY_BACKUP_DIR) under a name with
 * the time, keeping the newest N (ITA_SURVEY_BACKUP_KEEP) there.
 */
int
cmd_backup(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*outp = NULL;
	char		*made = NULL, *end;
	long		 keep;
	int		 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nWrites a consistent copy of the "
		    "database while the server keeps\nrunning: one snapshot, "
		    "copied in one read transaction, so it ends in a\ntime set "
		    "by the database's size, whatever the load.  The copy is "
		    "mode\n0600 and appears only once complete.\n\n"
		    "--out FILE   write FILE (replaced if it exists)\n"
		    "otherwise    write DIR/ita-survey-YYYYMMDD-HHMMSS.db "
		    "(local time), then\n             remove the oldest such "
		    "files beyond the newest N\n             (--backup-dir DIR, "
		    "ITA_SURVEY_BACKUP_DIR, default %s;\n              "
		    "--backup-keep N, ITA_SURVEY_BACKUP_KEEP, default %s)\n\n"
		    "To restore: stop the server, copy the file over the "
		    "database and\nremove any -wal and -shm files beside it.\n",
		    BACKUP_USAGE, cfg->backup_dir, cfg->backup_keep);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			outp = argv[++i];
		else
			return usage_error(BACKUP_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	errno = 0;
	keep = strtol(cfg->backup_keep, &end, 10);
	if (outp == NULL && (errno != 0 || *end != '\0' || keep < 1 ||
	    keep > BACKUP_KEEP_MAX))
		return usage_error(BACKUP_USAGE, "--backup-keep \"%s\": not "
		    "a number from 1 to %d", cfg->backup_keep,
		    BACKUP_KEEP_MAX);
	if (cmd_open(&app, cfg, 0) == -1)
		goto out;
	if (outp == NULL) {
		if (mkdir(cfg->backup_dir, 0700) == -1 && errno != EEXIST) {
			fprintf(stderr, "ita-survey: %s: %s\n",
			    cfg->backup_dir, strerror(errno));
			goto out;
		}
		outp = made = backup_copy_path(cfg->backup_dir);
	}
	if (backup_to(&app, outp) == -1)
		goto out;
	if (made != NULL) {
		if (backup_prune(cfg->backup_dir, keep) == -1)
			goto out;
		puts(made);
	}
	rc = 0;
out:
	free(made);
	app_close(&app);
	return rc;
}
