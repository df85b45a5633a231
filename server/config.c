/* SPDX-License-Identifier: ISC */
/*
 * Settings (defaults, environment, common flags) and app_open(), which
 * opens what every command needs: the server secret, the database (checked
 * and migrated) and, when asked, the forms.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "extern.h"
#include "db.h"

struct setting {
	const char	*flag;		/* "--db" */
	const char	*env;		/* "ITA_SURVEY_DB" */
	size_t		 off;		/* offset in struct config */
	const char	*def;		/* default */
};

static const struct setting settings[] = {
	{ "--db", "ITA_SURVEY_DB", offsetof(struct config, db),
	  "var/ita-survey.db" },
	{ "--secret", "ITA_SURVEY_SECRET", offsetof(struct config, secret),
	  "var/secret.key" },
	{ "--forms", "ITA_SURVEY_FORMS", offsetof(struct config, forms),
	  "forms" },
	{ "--web", "ITA_SURVEY_WEB", offsetof(struct config, web), "web" },
	{ "--migrations", "ITA_SURVEY_MIGRATIONS",
	  offsetof(struct config, migrations), "migrations" },
	{ "--listen", "ITA_SURVEY_LISTEN", offsetof(struct config, listen),
	  "127.0.0.1:8080" },
	{ "--user", "ITA_SURVEY_USER", offsetof(struct config, user), NULL },
	{ "--tls-cert", "ITA_SURVEY_TLS_CERT",
	  offsetof(struct config, tls_cert), NULL },
	{ "--tls-key", "ITA_SURVEY_TLS_KEY",
	  offsetof(struct config, tls_key), NULL },
	{ "--rate-limits", "ITA_SURVEY_RATE_LIMITS",
	  offsetof(struct config, rate_limits), "on" },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static const char **
field(struct config *c, size_t i)
{
	return (const char **)(void *)((char *)c + settings[i].off);
}

/* Defaults, overridden by the environment. */
void
config_init(struct config *c)
{
	size_t		 i;
	const char	*v;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NSETTINGS; i++) {
		v = getenv(settings[i].env);
		*field(c, i) = v != NULL && v[0] != '\0' ? v : settings[i].def;
	}
}

/*
 * Take the common flags (--db PATH or --db=PATH, ...) out of argv wherever
 * they are, so every subcommand accepts them.  Strings are borrowed from
 * argv.  0, or -1 (message printed) when a flag lacks its value.
 */
int
config_take(struct config *c, int *argc, char **argv)
{
	int		 i, o = 0;
	size_t		 k, len;

	for (i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		for (k = 0; k < NSETTINGS; k++) {
			len = strlen(settings[k].flag);
			if (strncmp(argv[i], settings[k].flag, len) != 0)
				continue;
			if (argv[i][len] == '=') {
				*field(c, k) = argv[i] + len + 1;
				break;
			}
			if (argv[i][len] != '\0')
				continue;
			if (i + 1 >= *argc) {
				fprintf(stderr, "ita-survey: %s needs a "
				    "value\n", settings[k].flag);
				return -1;
			}
			*field(c, k) = argv[++i];
			break;
		}
		if (k == NSETTINGS)
			argv[o++] = argv[i];
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

/* Create the folder that will hold path, if it is missing. */
static int
make_parent(const char *path)
{
	char	*copy = xstrdup(path), *dir;
	int	 rc = 0;

	dir = dirname(copy);
	if (strcmp(dir, ".") != 0 && mkdir(dir, 0700) == -1 &&
	    errno != EEXIST) {
		log_err("%s: %s", dir, strerror(errno));
		rc = -1;
	}
	free(copy);
	return rc;
}

/*
 * The files holding answers, password hashes or the secret are 0600.  One
 * made before we set umask(077), or copied in by hand, may be wider: it is
 * narrowed here, before use, and said so (a warning, not a refusal, so a
 * server that ran yesterday still starts).  Missing files, symlinks and
 * anything but a regular file are left to whoever opens them next.
 */
static void
tighten(const char *path)
{
	struct stat	sb;
	int		fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (sb.st_mode & 077) != 0) {
		if (fchmod(fd, sb.st_mode & 0700) == 0)
			log_warn("%s: was open to other users (mode %03o); "
			    "now %03o", path, (unsigned)(sb.st_mode & 0777),
			    (unsigned)(sb.st_mode & 0700));
		else
			log_warn("%s: open to other users (mode %03o), and "
			    "chmod failed: %s; chmod 600 it", path,
			    (unsigned)(sb.st_mode & 0777), strerror(errno));
	}
	close(fd);
}

/* tighten() the database and what SQLite keeps beside it. */
static void
tighten_db(const char *db)
{
	const char	*sfx[] = DB_FILE_SUFFIXES;
	char		*p;
	size_t		 i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		p = xasprintf("%s%s", db, sfx[i]);
		tighten(p);
		free(p);
	}
}

/*
 * Read the 32-byte server secret, creating it (mode 0600, O_EXCL) on first
 * use.  A file of another size is refused rather than silently replaced:
 * replacing it would orphan every stored hash.  0 or -1.
 */
static int
secret_load(const char *path, unsigned char *secret)
{
	int		 fd;
	ssize_t		 n;
	unsigned char	 extra;
	struct stat	 sb;

	tighten(path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 && errno == ENOENT) {
		if (make_parent(path) == -1)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd == -1) {
			log_err("%s: %s", path, strerror(errno));
			return -1;
		}
		randombytes_buf(secret, SECRET_BYTES);
		if (write(fd, secret, SECRET_BYTES) != SECRET_BYTES ||
		    fsync(fd) == -1) {
			log_err("%s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		close(fd);
		return 0;
	}
	if (fd == -1) {
		log_err("%s: %s", path, strerror(errno));
		return -1;
	}
	/* tighten() leaves a symlinked secret alone: say it instead. */
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warn("%s: readable by others; chmod 600 it", path);
	n = read(fd, secret, SECRET_BYTES);
	if (n != SECRET_BYTES || read(fd, &extra, 1) != 0) {
		log_err("%s: not a secret key file (must be exactly %d bytes)",
		    path, SECRET_BYTES);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Open everything a command needs with settings cfg (copied): libsodium,
 * the secret, the database (created, checked and migrated) and, with
 * APP_FORMS, the forms.  0, or -1 with the reason logged; app_close()
 * is safe either way.
 */
int
app_open(struct app *app, const struct config *cfg, int flags)
{
	memset(app, 0, sizeof(*app));
	app->cfg = *cfg;
	if (sodium_init() < 0) {
		log_err("libsodium failed to initialise");
		return -1;
	}
	if (secret_load(cfg->secret, app->secret) == -1)
		return -1;
	if (make_parent(cfg->db) == -1)
		return -1;
	/* SQLite gives -wal and -shm the database file's mode. */
	tighten_db(cfg->db);
	if (db_open(cfg->db, 1, &app->db) == -1)
		return -1;
	if (db_check(app->db) == -1) {
		log_err("%s: refusing to use this database file", cfg->db);
		return -1;
	}
	if (migrate_run(app->db, cfg->migrations, NULL) == -1)
		return -1;
	if ((flags & APP_FORMS) &&
	    formset_load(cfg->forms, &app->forms, stderr) == -1) {
		log_err("%s: the forms have problems (see above); "
		    "run: ita-survey forms check", cfg->forms);
		return -1;
	}
	return 0;
}

/* Close what app_open() opened and wipe the secret. */
void
app_close(struct app *app)
{
	db_close(app->db);
	app->db = NULL;
	formset_free(app->forms);
	app->forms = NULL;
	sodium_memzero(app->secret, sizeof(app->secret));
}
