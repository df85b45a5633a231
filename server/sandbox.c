/* SPDX-License-Identifier: ISC */
/*
 * Privilege drop and Landlock.  Called by the server after it opened its
 * database, secret, forms and listening socket, and before any worker
 * thread exists (Landlock confines the calling thread and what it starts).
 * Where the kernel has no Landlock this is a logged no-op: confinement is
 * defence in depth, not a requirement to run.
 */
/* setresuid(2) and O_PATH are GNU/Linux extensions. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "extern.h"

/* Give the database files to the user the server will run as. */
static int
chown_data(const char *db, uid_t uid, gid_t gid)
{
	const char	*sfx[] = { "", "-wal", "-shm", "-journal" };
	char		*p, *copy;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		p = xasprintf("%s%s", db, sfx[i]);
		if (chown(p, uid, gid) == -1 && errno != ENOENT) {
			log_err("%s: chown: %s", p, strerror(errno));
			rc = -1;
		}
		free(p);
	}
	copy = xstrdup(db);
	if (chown(dirname(copy), uid, gid) == -1) {
		log_err("%s: chown: %s", copy, strerror(errno));
		rc = -1;
	}
	free(copy);
	return rc;
}

/*
 * Become user (when not NULL): only root may ask; the database files and
 * their folder are handed to the user first.  0 or -1 (logged).
 */
static int
drop(const char *user, const char *db)
{
	struct passwd	*pw;

	if (user == NULL)
		return 0;
	if (geteuid() != 0) {
		log_err("--user needs the server to start as root");
		return -1;
	}
	if ((pw = getpwnam(user)) == NULL) {
		log_err("--user %s: no such user", user);
		return -1;
	}
	if (pw->pw_uid == 0)
		return 0;
	if (chown_data(db, pw->pw_uid, pw->pw_gid) == -1)
		return -1;
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		log_err("dropping to %s: %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) != -1) {
		log_err("dropping to %s: could regain root", user);
		return -1;
	}
	log_info("running as %s", user);
	return 0;
}

static int
add_rule(int ruleset, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr	pb;
	int					rc;

	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	if ((pb.parent_fd = open(path, O_PATH | O_CLOEXEC)) == -1) {
		log_err("landlock: %s: %s", path, strerror(errno));
		return -1;
	}
	rc = (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rc == -1)
		log_err("landlock: %s: %s", path, strerror(errno));
	close(pb.parent_fd);
	return rc == -1 ? -1 : 0;
}

/*
 * Build the Landlock ruleset: the database's folder and /tmp read-write
 * (the database, its journals, temporary export files), the web folder
 * read-only.  The paths are opened now, before privileges are dropped.
 * Returns the ruleset descriptor, -2 when the kernel has no Landlock, or
 * -1 on error (logged).
 */
static int
ruleset_new(const char *db, const char *web)
{
	struct landlock_ruleset_attr	 ra;
	uint64_t			 ro, rw;
	int				 ruleset;
	char				*copy;

	ro = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	rw = ro | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG;
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = rw | LANDLOCK_ACCESS_FS_EXECUTE |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_MAKE_CHAR |
	    LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	    LANDLOCK_ACCESS_FS_MAKE_SYM;
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra),
	    0);
	if (ruleset == -1) {
		if (errno == ENOSYS || errno == EOPNOTSUPP)
			return -2;
		log_err("landlock: %s", strerror(errno));
		return -1;
	}
	copy = xstrdup(db);
	if (add_rule(ruleset, dirname(copy), rw) == -1 ||
	    add_rule(ruleset, "/tmp", rw) == -1 ||
	    add_rule(ruleset, web, ro) == -1 ||
	    add_rule(ruleset, "/dev/urandom", LANDLOCK_ACCESS_FS_READ_FILE) ==
	    -1
#ifdef __SANITIZE_ADDRESS__
	    /* LeakSanitizer reads /proc/self/task at exit. */
	    || add_rule(ruleset, "/proc", LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_READ_DIR) == -1
#endif
	    ) {
		close(ruleset);
		ruleset = -1;
	}
	free(copy);
	return ruleset;
}

/*
 * Drop to user (when not NULL; only as root), then confine the process
 * with Landlock where the kernel has it.  Call before starting threads.
 * 0, or -1 (logged): the server must not start half-confined.
 */
int
sandbox_enter(const char *user, const char *db, const char *web)
{
	int	ruleset, rc = -1;

	if ((ruleset = ruleset_new(db, web)) == -1)
		return -1;
	if (drop(user, db) == -1)
		goto out;
	if (ruleset == -2) {
		log_info("landlock: not available in this kernel; "
		    "running unconfined");
		return 0;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) == -1) {
		log_err("landlock: %s", strerror(errno));
		goto out;
	}
	log_info("landlock: confined to the data folder, /tmp and web");
	rc = 0;
out:
	if (ruleset >= 0)
		close(ruleset);
	return rc;
}
