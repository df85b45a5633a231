/* SPDX-License-Identifier: ISC */
/*
 * ita-survey migrate | backup: the two database chores.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "db.h"

#define MIGRATE_USAGE "ita-survey migrate [common options]"
#define BACKUP_USAGE "ita-survey backup --out FILE [common options]"

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
	if (app_open(&app, cfg, 0) == 0 &&
	    db_user_version(app.db, &v) == 0) {
		printf("schema version %lld\n", (long long)v);
		rc = 0;
	}
	app_close(&app);
	return rc;
}

/*
 * ita-survey backup --out FILE: a consistent copy of the live database,
 * written beside FILE and renamed into place only when complete.
 */
int
cmd_backup(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*outp = NULL;
	char		*tmp = NULL;
	int		 i, fd, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nWrites a consistent copy of the "
		    "database to FILE while the server keeps\nrunning "
		    "(SQLite's online backup).  FILE is replaced only once "
		    "the copy is\ncomplete.  To restore: stop the server, "
		    "copy FILE over the database and\nremove any -wal and "
		    "-shm files beside it.  FILE is mode 0600.\n",
		    BACKUP_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			outp = argv[++i];
		else
			return usage_error(BACKUP_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (outp == NULL)
		return usage_error(BACKUP_USAGE, "--out FILE is required");
	if (cmd_open(&app, cfg, 0) == -1)
		goto out;
	tmp = xasprintf("%s.tmp", outp);
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
	if (db_backup(app.db, tmp) == -1) {
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
	app_close(&app);
	return rc;
}
