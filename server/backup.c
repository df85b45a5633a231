/* SPDX-License-Identifier: ISC */
/*
 * The copies in the backup folder: what they are called.  "backup" names
 * a new one and prunes the old by this rule; the metrics find the newest
 * by it.  Files of other names in the folder are never ours.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "extern.h"

#define COPY_PREFIX	"ita-survey-"
#define COPY_PATTERN	COPY_PREFIX "00000000-000000.db"	/* 0: a digit */

/* 1 when name is one of ours: "ita-survey-YYYYMMDD-HHMMSS.db". */
int
backup_is_copy(const char *name)
{
	size_t	i;

	if (strlen(name) != strlen(COPY_PATTERN))
		return 0;
	for (i = 0; COPY_PATTERN[i] != '\0'; i++)
		if (COPY_PATTERN[i] == '0' ? name[i] < '0' || name[i] > '9' :
		    name[i] != COPY_PATTERN[i])
			return 0;
	return 1;
}

/* "DIR/ita-survey-YYYYMMDD-HHMMSS.db" for now, local time (caller frees). */
char *
backup_copy_path(const char *dir)
{
	struct tm	tm;
	time_t		now = time(NULL);
	char		stamp[32];

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	return xasprintf("%s/" COPY_PREFIX "%s.db", dir, stamp);
}

/* Modification time of the newest copy in dir, or 0 when there is none. */
time_t
backup_newest(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 sb;
	time_t		 t = 0;
	char		*p;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!backup_is_copy(e->d_name))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_mtime > t)
			t = sb.st_mtime;
		free(p);
	}
	closedir(d);
	return t;
}
