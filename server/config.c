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

#include <curl/curl.h>
#include <sodium.h>

#include "extern.h"
#include "db.h"

/*
 * Where the files are by default.  A development build (make, make run,
 * the tests) keeps them beside the checkout; an installed build (make
 * install, make deb) is compiled with the FHS places: -DITA_SHAREDIR,
 * -DITA_STATEDIR and -DITA_CONFFILE.  Flags, the environment and the
 * configuration file override them all the same.
 */
#ifdef ITA_SHAREDIR
#define SHARE(x)	ITA_SHAREDIR "/" x
#define STATE(x)	ITA_STATEDIR "/" x
#else
#define SHARE(x)	x
#define STATE(x)	"var/" x
#endif
#ifndef ITA_CONFFILE
#define ITA_CONFFILE	NULL	/* a development build reads none */
#endif

#define CONF_MAX	(64 * 1024)	/* bytes of a configuration file */
#define CONF_LINE_MAX	4096		/* bytes of one of its lines */

struct setting {
	const char	*flag;		/* "--db" */
	const char	*env;		/* "ITA_SURVEY_DB" */
	size_t		 off;		/* offset in struct config */
	const char	*def;		/* default */
	int		 onoff;		/* 1: "on" or "off", 2: those or a
					   value; the bare flag says "on" */
};

static const struct setting settings[] = {
	{ "--config", "ITA_SURVEY_CONFIG", offsetof(struct config, config),
	  ITA_CONFFILE, 0 },
	{ "--db", "ITA_SURVEY_DB", offsetof(struct config, db),
	  STATE("ita-survey.db"), 0 },
	{ "--secret", "ITA_SURVEY_SECRET", offsetof(struct config, secret),
	  STATE("secret.key"), 0 },
	{ "--forms", "ITA_SURVEY_FORMS", offsetof(struct config, forms),
	  SHARE("forms"), 0 },
	{ "--web", "ITA_SURVEY_WEB", offsetof(struct config, web),
	  SHARE("web"), 0 },
	{ "--migrations", "ITA_SURVEY_MIGRATIONS",
	  offsetof(struct config, migrations), SHARE("migrations"), 0 },
	{ "--listen", "ITA_SURVEY_LISTEN", offsetof(struct config, listen),
	  "127.0.0.1:8080", 0 },
	{ "--user", "ITA_SURVEY_USER", offsetof(struct config, user), NULL, 0 },
	{ "--tls-cert", "ITA_SURVEY_TLS_CERT",
	  offsetof(struct config, tls_cert), NULL, 0 },
	{ "--tls-key", "ITA_SURVEY_TLS_KEY",
	  offsetof(struct config, tls_key), NULL, 0 },
	{ "--rate-limits", "ITA_SURVEY_RATE_LIMITS",
	  offsetof(struct config, rate_limits), "on", 0 },
	{ "--public-url", "ITA_SURVEY_PUBLIC_URL",
	  offsetof(struct config, public_url), NULL, 0 },
	{ "--trusted-proxy", "ITA_SURVEY_TRUSTED_PROXIES",
	  offsetof(struct config, trusted_proxies), NULL, 0 },
	{ "--metrics-listen", "ITA_SURVEY_METRICS_LISTEN",
	  offsetof(struct config, metrics_listen), NULL, 0 },
	{ "--backup-dir", "ITA_SURVEY_BACKUP_DIR",
	  offsetof(struct config, backup_dir), STATE("backups"), 0 },
	{ "--backup-keep", "ITA_SURVEY_BACKUP_KEEP",
	  offsetof(struct config, backup_keep), "7", 0 },
	{ "--oit-allow-private", "ITA_SURVEY_OIT_ALLOW_PRIVATE",
	  offsetof(struct config, oit_allow_private), "off", 2 },
	{ "--smtp-password-file", "ITA_SURVEY_SMTP_PASSWORD_FILE",
	  offsetof(struct config, smtp_password_file), NULL, 0 },
	{ "--oit-ca-file", "ITA_SURVEY_OIT_CA_FILE",
	  offsetof(struct config, oit_ca_file), NULL, 0 },
	{ "--wal-max", "ITA_SURVEY_WAL_MAX",
	  offsetof(struct config, wal_max), "64", 0 },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))
_Static_assert(NSETTINGS <= 32, "struct config's flagged has 32 bits");

/* The configuration file's values, kept for the life of the process. */
static char	*conf_text;

static const char **
field(struct config *c, size_t i)
{
	return (const char **)(void *)((char *)c + settings[i].off);
}

/*
 * The bound of the write-ahead log (--wal-max, MiB) in bytes, or -1 when
 * it is not a whole number from WAL_MAX_MIN to WAL_MAX_MAX.
 */
int64_t
config_wal_max(const struct config *c)
{
	char		*end;
	long long	 mib;

	if (c->wal_max == NULL || c->wal_max[0] < '0' || c->wal_max[0] > '9')
		return -1;
	mib = strtoll(c->wal_max, &end, 10);
	if (*end != '\0' || mib < WAL_MAX_MIN || mib > WAL_MAX_MAX)
		return -1;
	return (int64_t)mib * 1024 * 1024;
}

/* The compiled-in defaults. */
void
config_init(struct config *c)
{
	size_t	i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NSETTINGS; i++)
		*field(c, i) = settings[i].def;
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
				c->flagged |= 1u << k;
				break;
			}
			if (argv[i][len] != '\0')
				continue;
			if (settings[k].onoff) {
				*field(c, k) = "on";
				c->flagged |= 1u << k;
				break;
			}
			if (i + 1 >= *argc) {
				fprintf(stderr, "ita-survey: %s needs a "
				    "value\n", settings[k].flag);
				return -1;
			}
			*field(c, k) = argv[++i];
			c->flagged |= 1u << k;
			break;
		}
		if (k == NSETTINGS)
			argv[o++] = argv[i];
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

/* 1 when the environment sets setting k (an empty value does not). */
static int
env_set(size_t k)
{
	const char	*v = getenv(settings[k].env);

	return v != NULL && v[0] != '\0';
}

/* The setting whose variable is name[0..len), or NSETTINGS. */
static size_t
setting_by_env(const char *name, size_t len)
{
	size_t	k;

	for (k = 0; k < NSETTINGS; k++)
		if (strlen(settings[k].env) == len &&
		    memcmp(settings[k].env, name, len) == 0)
			break;
	return k;
}

/*
 * Parse the configuration file's text in place: "ITA_SURVEY_X=value"
 * lines, as systemd's EnvironmentFile= reads them (blank lines and "#"
 * comments skipped, one pair of quotes around the value dropped).  A
 * value goes into c unless a flag or the environment set that setting.
 * 0, or -1 (printed, with the line number).
 */
static int
conf_parse(struct config *c, const char *path, char *text)
{
	char	*line, *next, *eq, *v, *end;
	size_t	 k, n, lineno = 0;

	for (line = text; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strlen(line) > CONF_LINE_MAX)
			goto bad;
		while (*line == ' ' || *line == '\t')
			line++;
		end = line + strlen(line);
		while (end > line && strchr(" \t\r", end[-1]) != NULL)
			*--end = '\0';
		if (*line == '\0' || *line == '#' || *line == ';')
			continue;
		if ((eq = strchr(line, '=')) == NULL)
			goto bad;
		for (n = (size_t)(eq - line); n > 0 &&
		    (line[n - 1] == ' ' || line[n - 1] == '\t'); n--)
			continue;
		if ((k = setting_by_env(line, n)) == NSETTINGS) {
			fprintf(stderr, "ita-survey: %s:%zu: unknown setting "
			    "\"%.*s\"\n", path, lineno, (int)n, line);
			return -1;
		}
		for (v = eq + 1; *v == ' ' || *v == '\t'; v++)
			continue;
		n = strlen(v);
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') &&
		    v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		if ((c->flagged & (1u << k)) == 0 && !env_set(k))
			*field(c, k) = v[0] != '\0' ? v : settings[k].def;
	}
	return 0;
bad:
	fprintf(stderr, "ita-survey: %s:%zu: not a NAME=value line\n", path,
	    lineno);
	return -1;
}

/*
 * Read the configuration file, if there is one, into conf_text.  The
 * compiled-in file may be missing; one named by --config or
 * ITA_SURVEY_CONFIG must be there.  0, or -1 (printed).
 */
static int
conf_read(const char *path, int named)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT && !named)
			return 0;
		fprintf(stderr, "ita-survey: %s: %s%s\n", path,
		    strerror(errno), errno == EACCES ? " (run the command "
		    "as root or as the server's user)" : "");
		return -1;
	}
	conf_text = xcalloc(CONF_MAX + 2, 1);
	n = fread(conf_text, 1, CONF_MAX + 1, f);
	fclose(f);
	if (n > CONF_MAX) {
		fprintf(stderr, "ita-survey: %s: longer than %d bytes\n",
		    path, CONF_MAX);
		return -1;
	}
	return 0;
}

/*
 * Fill in what no flag set: the environment, then the configuration file
 * (--config, ITA_SURVEY_CONFIG or the compiled-in one), then the
 * defaults already there.  An empty variable counts as unset.  0, or -1
 * (printed).
 */
int
config_finish(struct config *c)
{
	size_t	k;

	for (k = 0; k < NSETTINGS; k++)
		if ((c->flagged & (1u << k)) == 0 && env_set(k))
			*field(c, k) = getenv(settings[k].env);
	if (c->config != NULL && c->config[0] != '\0') {
		/* settings[0] is --config: its default is the compiled-in
		 * file. */
		if (conf_read(c->config, c->config != settings[0].def) == -1)
			return -1;
		if (conf_text != NULL && conf_parse(c, c->config,
		    conf_text) == -1)
			return -1;
	}
	for (k = 0; k < NSETTINGS; k++)
		if (settings[k].onoff == 1 && strcmp(*field(c, k), "on") != 0 &&
		    strcmp(*field(c, k), "off") != 0) {
			fprintf(stderr, "ita-survey: %s must be \"on\" or "
			    "\"off\"\n", settings[k].flag);
			return -1;
		}
	return 0;
}

/* The settings, their variables and defaults, for usage(). */
void
config_usage(FILE *f)
{
	size_t	k;

	for (k = 0; k < NSETTINGS; k++)
		fprintf(f, "  %-16s %-26s %s\n", settings[k].flag,
		    settings[k].env, settings[k].def != NULL ?
		    settings[k].def : "-");
}

/* Free what config_finish() read. */
void
config_free(void)
{
	free(conf_text);
	conf_text = NULL;
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
 * --oit-allow-private: "off" (default), "on" (every private address), or
 * the CIDRs that may be fetched besides public addresses ("10.1.0.0/16,
 * 127.0.0.1").  0, or -1 (printed).
 */
static int
oit_allow_parse(const char *v, int *all, struct proxies **nets)
{
	char	why[128];

	*all = 0;
	*nets = NULL;
	if (v == NULL || strcmp(v, "off") == 0)
		return 0;
	if (strcmp(v, "on") == 0) {
		*all = 1;
		return 0;
	}
	if (proxy_parse(v, nets, why, sizeof(why)) == -1) {
		log_err("--oit-allow-private: \"%s\" is not on, off or "
		    "CIDR[,CIDR...]", why);
		return -1;
	}
	return 0;
}

/*
 * The OIT alerts' SMTP password from path: its first line, at most
 * SMTP_PASSWORD_MAX bytes.  Read once, before privileges are dropped;
 * kept in memory only (wiped at app_close), never logged.  0 or -1.
 */
static int
smtp_password_load(const char *path, char **out)
{
	char	 buf[SMTP_PASSWORD_MAX + 2];
	size_t	 n;
	FILE	*f;

	*out = NULL;
	if ((f = fopen(path, "re")) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (n == sizeof(buf) - 1 || buf[0] == '\0') {
		log_err("%s: the SMTP password must be one line of 1 to %d "
		    "bytes", path, SMTP_PASSWORD_MAX);
		sodium_memzero(buf, sizeof(buf));
		return -1;
	}
	*out = xstrdup(buf);
	sodium_memzero(buf, sizeof(buf));
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
	if (oit_allow_parse(cfg->oit_allow_private, &app->oit_allow_all,
	    &app->oit_allow) == -1)
		return -1;
	if (cfg->smtp_password_file != NULL &&
	    smtp_password_load(cfg->smtp_password_file, &app->smtp_password)
	    == -1)
		return -1;
	/* Before any thread: libcurl's global set-up is not thread-safe. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("libcurl failed to initialise");
		return -1;
	}
	app->curl = 1;
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
	if (app->smtp_password != NULL) {
		sodium_memzero(app->smtp_password,
		    strlen(app->smtp_password));
		free(app->smtp_password);
		app->smtp_password = NULL;
	}
	proxy_free(app->oit_allow);
	app->oit_allow = NULL;
	if (app->curl)
		curl_global_cleanup();
	app->curl = 0;
}
