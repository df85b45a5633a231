/* SPDX-License-Identifier: ISC */
/*
 * Privilege drop and Landlock, and keeping the memory out of core files.
 * sandbox_enter() is called by the server after it opened its database,
 * secret, forms and listening socket, and before any worker thread exists
 * (Landlock confines the calling thread and what it starts).  Where the
 * kernel has no Landlock this is a logged no-op: confinement is defence
 * in depth, not a requirement to run.  Who may serve as root is
 * cmd_serve's rule; what --user may be given is this file's.
 */
/* setresuid(2) and O_PATH are GNU/Linux extensions. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "extern.h"

/* What SQLite puts beside the database file, and the file itself. */
static const char *const db_sfx[] = DB_FILE_SUFFIXES;

/*
 * Keep the memory out of reach: no core file, and no ptrace or
 * /proc/PID/mem by another process of the same user.  It holds the
 * server secret and, after a login or "admin add", a password.  Called
 * first thing in main(), and again after the drop, since changing
 * credentials resets the dumpable flag.  The sanitizer builds need no
 * exception: LeakSanitizer makes the process dumpable again for its own
 * ptrace at exit (make test-asan checks it, dropped to nobody too).
 * 0 or -1 (logged).
 */
int
sandbox_nodump(void)
{
	const struct rlimit	rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		log_err("setrlimit RLIMIT_CORE: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		log_err("prctl PR_SET_DUMPABLE: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Look at dir, the database's folder.  *own: it holds nothing but the
 * server's files (the database, what SQLite puts beside it, the secret),
 * so it may be given to --user; anything else there means the folder is
 * shared (--db /var/lib/x.db) and is not ours to give.  *beside: the
 * secret is in it.  0 or -1 (logged).
 */
static int
scan_folder(const char *dir, const char *db, const char *secret, int *own,
    int *beside)
{
	DIR		*d = NULL;
	struct dirent	*de;
	struct stat	 ssb, sb;
	char		*copy = xstrdup(db);
	const char	*base = basename(copy);
	size_t		 i, len = strlen(base);
	int		 ours, have_secret, rc = -1;

	*own = 1;
	*beside = 0;
	have_secret = stat(secret, &ssb) == 0;
	if ((d = opendir(dir)) == NULL) {
		log_err("%s: %s", dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ours = 0;
		for (i = 0; i < sizeof(db_sfx) / sizeof(db_sfx[0]); i++)
			if (strncmp(de->d_name, base, len) == 0 &&
			    strcmp(de->d_name + len, db_sfx[i]) == 0)
				ours = 1;
		/* The same file, not name: --secret may be relative. */
		if (!ours && have_secret && fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == 0 && sb.st_dev == ssb.st_dev &&
		    sb.st_ino == ssb.st_ino)
			ours = *beside = 1;
		if (!ours)
			*own = 0;
	}
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	free(copy);
	return rc;
}

/*
 * Whether pw may access path with mode (as access(2)), asked of the
 * kernel with pw's effective ids so that every folder above, ACLs and
 * the rest count; root's ids are taken back after.  The caller has set
 * the groups to pw's.  Only before threads exist: the whole process
 * wears pw's ids meanwhile.  1, 0, or -1 (logged).
 */
static int
user_may(const struct passwd *pw, const char *path, int mode)
{
	gid_t	gid = getegid();
	int	ok;

	if (setegid(pw->pw_gid) == -1 || seteuid(pw->pw_uid) == -1) {
		log_err("becoming %s: %s", pw->pw_name, strerror(errno));
		return -1;
	}
	ok = faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0;
	if (seteuid(0) == -1 || setegid(gid) == -1) {
		log_err("back to root: %s", strerror(errno));
		return -1;
	}
	return ok;
}

/*
 * Give the server's files to uid: the database and what SQLite puts
 * beside it, and the secret when it is in the same folder (the server
 * made it there).  Nothing else.  0 or -1 (logged).
 */
static int
chown_files(const char *db, const char *secret, int beside, uid_t uid,
    gid_t gid)
{
	char	*p;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < sizeof(db_sfx) / sizeof(db_sfx[0]); i++) {
		p = xasprintf("%s%s", db, db_sfx[i]);
		if (chown(p, uid, gid) == -1 && errno != ENOENT) {
			log_err("%s: chown: %s", p, strerror(errno));
			rc = -1;
		}
		free(p);
	}
	if (beside && chown(secret, uid, gid) == -1) {
		log_err("%s: chown: %s", secret, strerror(errno));
		rc = -1;
	}
	return rc;
}

/*
 * Set every user and group id to uid and gid for good (the supplementary
 * groups are the caller's to set first), make sure root cannot be had
 * back, and keep the process undumpable: a credential change resets that
 * flag to fs.suid_dumpable.  name is for messages.  0 or -1 (logged).
 */
static int
become(uid_t uid, gid_t gid, const char *name)
{
	if (setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		log_err("dropping to %s: %s", name, strerror(errno));
		return -1;
	}
	if (setuid(0) != -1) {
		log_err("dropping to %s: could regain root", name);
		return -1;
	}
	return sandbox_nodump();
}

/*
 * Become cfg->user (when set; only root may ask).  The server's files go
 * to the user first, and the database's folder too when it is the
 * server's own (scan_folder); a shared folder is never given away, and
 * the user must be able to write it already.  --user root is the knowing
 * opt-in to stay root.  0 or -1 (logged).
 */
static int
drop(const struct config *cfg, const char *web)
{
	struct passwd	*pw;
	const char	*user = cfg->user;
	char		*copy = NULL, *dir;
	int		 own, beside, rc = -1;

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
	if (pw->pw_uid == 0) {
		log_warn("serving as root (--user %s): a flaw in the server "
		    "is a flaw of root; use an account of its own", user);
		return 0;
	}
	copy = xstrdup(cfg->db);
	dir = dirname(copy);
	if (scan_folder(dir, cfg->db, cfg->secret, &own, &beside) == -1)
		goto out;
	if (setgroups(1, &pw->pw_gid) == -1) {
		log_err("dropping to %s: %s", user, strerror(errno));
		goto out;
	}
	if (own && chown(dir, pw->pw_uid, pw->pw_gid) == -1) {
		log_err("%s: chown: %s", dir, strerror(errno));
		goto out;
	}
	/* The writer and exports open the database by name after the drop. */
	switch (user_may(pw, dir, W_OK | X_OK)) {
	case -1:
		goto out;
	case 0:
		if (own)
			log_err("--user %s: cannot reach %s, the database's "
			    "folder: a folder above it is closed to %s",
			    user, dir, user);
		else
			log_err("--user %s: cannot write %s, the database's "
			    "folder, which holds other files than the "
			    "server's and so is not given to %s: put the "
			    "database in a folder of its own, or let %s "
			    "write this one", user, dir, user, user);
		goto out;
	}
	/* Static pages are opened per request, as the user. */
	switch (user_may(pw, web, R_OK | X_OK)) {
	case -1:
		goto out;
	case 0:
		log_err("--user %s: cannot read the web folder %s", user, web);
		goto out;
	}
	if (chown_files(cfg->db, cfg->secret, beside, pw->pw_uid,
	    pw->pw_gid) == -1)
		goto out;
	if (become(pw->pw_uid, pw->pw_gid, user) == -1)
		goto out;
	log_info("running as %s", user);
	rc = 0;
out:
	free(copy);
	return rc;
}

/*
 * A command (not serve) run by root on a server's data: do it as the
 * owner of the database's folder when that is another user.  Otherwise
 * the -wal and -shm files SQLite makes, a new secret or backup would be
 * root's, and the service, running as its own user, could no longer open
 * its database.  A folder of root's, or one that does not exist yet,
 * changes nothing.  0 or -1 (logged).
 */
int
sandbox_become_owner(const char *db)
{
	struct stat	 sb;
	struct passwd	*pw;
	const char	*name;
	char		*copy = xstrdup(db);
	int		 rc = -1;

	if (geteuid() != 0 || stat(dirname(copy), &sb) == -1 ||
	    sb.st_uid == 0) {
		rc = 0;
		goto out;
	}
	name = (pw = getpwuid(sb.st_uid)) != NULL ? pw->pw_name :
	    "the database's owner";
	if (setgroups(1, &sb.st_gid) == -1) {
		log_err("dropping to %s: %s", name, strerror(errno));
		goto out;
	}
	rc = become(sb.st_uid, sb.st_gid, name);
out:
	free(copy);
	return rc;
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
 * Let the process read the folder of path, and the folder of what path
 * leads to, so that SIGHUP can read a renewed certificate or key (certbot
 * points a symlink in live/ at a new file in archive/).  0 or -1.
 */
static int
add_tls_rule(int ruleset, const char *path, uint64_t ro)
{
	char	*copy = xstrdup(path), real[PATH_MAX];
	int	 rc;

	rc = add_rule(ruleset, dirname(copy), ro);
	free(copy);
	if (rc == 0 && realpath(path, real) != NULL)
		rc = add_rule(ruleset, dirname(real), ro);
	return rc;
}

/*
 * What the OIT watcher's fetches read: the resolver's files and the CA
 * certificates (libcurl and GnuTLS open them per connection), and the
 * extra CA file if one is given.  Read-only; files that do not exist
 * here are skipped.  0 or -1.
 */
static int
add_fetch_rules(int ruleset, const struct config *cfg)
{
	static const char *const paths[] = {
		"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
		"/etc/gai.conf", "/etc/host.conf", "/etc/ssl",
		"/usr/share/ca-certificates", "/etc/ca-certificates",
		"/etc/gnutls",
	};
	uint64_t	ro = LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_READ_DIR;
	uint64_t	access;
	struct stat	st;
	size_t		i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (stat(paths[i], &st) == -1)
			continue;
		/* A rule on a file may only grant what applies to files. */
		access = S_ISDIR(st.st_mode) ? ro :
		    LANDLOCK_ACCESS_FS_READ_FILE;
		if (add_rule(ruleset, paths[i], access) == -1)
			return -1;
	}
	if (cfg->oit_ca_file != NULL &&
	    add_rule(ruleset, cfg->oit_ca_file,
	    LANDLOCK_ACCESS_FS_READ_FILE) == -1)
		return -1;
	return 0;
}

/*
 * Build the Landlock ruleset: the database's folder and /tmp read-write
 * (the database, its journals, temporary export files), the web folder
 * and the TLS files' folders read-only.  The paths are opened now, before
 * privileges are dropped.  Returns the ruleset descriptor, -2 when the
 * kernel has no Landlock, or -1 on error (logged).
 */
static int
ruleset_new(const struct config *cfg, const char *web)
{
	const char			*db = cfg->db;
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
	    -1 ||
	    (cfg->tls_cert != NULL && (add_tls_rule(ruleset, cfg->tls_cert,
	    ro) == -1 || add_tls_rule(ruleset, cfg->tls_key, ro) == -1)) ||
	    add_fetch_rules(ruleset, cfg) == -1
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
 * Drop to cfg->user (when set; only as root), then confine the process
 * with Landlock where the kernel has it.  Call before starting threads.
 * 0, or -1 (logged): the server must not start half-confined.
 */
int
sandbox_enter(const struct config *cfg, const char *web)
{
	int	ruleset, rc = -1;

	if ((ruleset = ruleset_new(cfg, web)) == -1)
		return -1;
	if (drop(cfg, web) == -1)
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
	log_info("landlock: confined to the data folder, /tmp, web, the "
	    "TLS files' folders, and the resolver's and CA files (read)");
	rc = 0;
out:
	if (ruleset >= 0)
		close(ruleset);
	return rc;
}
