/* SPDX-License-Identifier: ISC */
/*
 * ita-survey: argv -> the command table, and usage.  Nothing else.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

static const struct {
	const char	*name;
	int		(*fn)(struct config *, int, char **);
	const char	*what;
} cmds[] = {
	{ "serve", cmd_serve, "run the HTTP server" },
	{ "migrate", cmd_migrate, "apply pending database migrations" },
	{ "forms", cmd_forms, "forms check [DIR]: validate the form files" },
	{ "round", cmd_round, "create, open, close, list and tidy rounds" },
	{ "tokens", cmd_tokens, "issue and void one-time access codes" },
	{ "kiosk", cmd_kiosk, "register a kiosk" },
	{ "scores", cmd_scores, "print a round's scores" },
	{ "export", cmd_export, "export scores or responses" },
	{ "admin", cmd_admin, "manage the admin console's accounts" },
	{ "settings", cmd_settings, "read or change the settings (agency name)" },
	{ "backup", cmd_backup, "copy the database while it is in use" },
	{ "oit", cmd_oit, "the OIT evidence desk: evidence URLs, checks, "
	    "reports" },
	{ "measures", cmd_measures, "the working group's measures (OIT o42, "
	    "o43)" },
	{ "compare", cmd_compare, "two rounds side by side, weak items" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
usage(FILE *f)
{
	size_t	i;

	fputs("usage: ita-survey [common options] COMMAND [ARGS]\n\n"
	    "commands:\n", f);
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].what);
	fputs("\ncommon options; each also an environment variable or a line "
	    "of the\nconfiguration file (flags win over the environment, "
	    "which wins over\nthe file):\n", f);
	config_usage(f);
	fputs("\n\"ita-survey COMMAND --help\" tells more; man ita-survey "
	    "tells all.\n", f);
}

/*
 * Print "ita-survey: message" and the usage line of a command to stderr;
 * returns EXIT_USAGE for "return usage_error(...)".
 */
int
usage_error(const char *use, const char *fmt, ...)
{
	va_list	ap;

	fputs("ita-survey: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", use);
	return EXIT_USAGE;
}

/*
 * Print "ita-survey: CONTEXT: message of e" to stderr and return the exit
 * status for "return cmd_fail(...)": EXIT_USAGE (with the usage line)
 * when e says an argument is out of bounds, else 1.
 */
int
cmd_fail(const char *use, enum err e, const char *fmt, ...)
{
	char	msg[ERR_MESSAGE_MAX];
	va_list	ap;

	fputs("ita-survey: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", err_message(e, msg, sizeof(msg)));
	if (!err_usage(e))
		return 1;
	fprintf(stderr, "usage: %s\n", use);
	return EXIT_USAGE;
}

/*
 * Open the app for a command, quietly: command output is for scripts, and
 * a failure is still logged.  Run by root on the data of a service that
 * runs as its own user, the command acts as that user (sandbox.c says
 * why).  0 or -1.
 */
int
cmd_open(struct app *app, struct config *cfg, int flags)
{
	log_quiet(1);
	if (sandbox_become_owner(cfg->db) == -1) {
		memset(app, 0, sizeof(*app));
		return -1;
	}
	return app_open(app, cfg, flags);
}

/* 1 when argv holds -h or --help. */
int
wants_help(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/*
 * Where a command writes a file: FILE (path) replaced only once it is
 * whole, through FILE.tmp, made new so that it is 0600 by our umask (a
 * stale .tmp would keep its mode through "wb", and rename() would hand it
 * on); or, with path NULL, a temporary file copied to standard output at
 * the end.  The stream, with *tmp set when path is, or NULL (printed).
 */
FILE *
cmd_out_open(const char *path, char **tmp)
{
	FILE	*out;

	*tmp = NULL;
	if (path != NULL) {
		*tmp = xasprintf("%s.tmp", path);
		unlink(*tmp);
		out = fopen(*tmp, "wbx");
	} else
		out = tmpfile();
	if (out == NULL) {
		fprintf(stderr, "ita-survey: %s: %s\n", *tmp != NULL ? *tmp :
		    "temporary file", strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return out;
}

/*
 * Finish what cmd_out_open() began: when ok, put the file in place (or
 * copy it to standard output); otherwise drop it.  Frees tmp and closes
 * out.  The exit status: 0, or 1 (printed) when it could not be done or
 * ok was 0.
 */
int
cmd_out_close(FILE *out, char *tmp, const char *path, int ok)
{
	int	rc = 1;

	if (ok && path == NULL) {
		rewind(out);
		rc = export_copy(out, stdout) == 0 && fflush(stdout) == 0 ?
		    0 : 1;
	} else if (ok) {
		ok = fclose(out) == 0;
		out = NULL;
		if (!ok || rename(tmp, path) == -1)
			fprintf(stderr, "ita-survey: %s: %s\n", path,
			    strerror(errno));
		else
			rc = 0;
	}
	if (out != NULL)
		fclose(out);
	if (tmp != NULL && rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Parse a positive decimal id.  0 or -1. */
int
parse_id(const char *s, int64_t *id)
{
	char		*end;
	long long	 v;

	*id = 0;
	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	size_t		 i;
	int		 rc;

	/*
	 * Before anything is opened or created: every command may write the
	 * answers, the password hashes or the secret (the database and its
	 * -wal and -shm, backups, exports, the secret file), so all of it is
	 * 0600 and the folders we make 0700, whatever umask we inherit.  And
	 * no core file or ptrace peek at the secret or a password.
	 */
	umask(077);
	if (sandbox_nodump() == -1)
		return 1;
	config_init(&cfg);
	argc--;
	argv++;
	if (config_take(&cfg, &argc, argv) == -1)
		return EXIT_USAGE;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
	    strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[0], "--version") == 0) {
		puts("ita-survey " ITA_VERSION);
		return 0;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == NCMDS) {
		fprintf(stderr, "ita-survey: unknown command \"%s\"\n",
		    argv[0]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (config_finish(&cfg) == -1)
		return EXIT_USAGE;
	rc = cmds[i].fn(&cfg, argc - 1, argv + 1);
	config_free();
	return rc;
}
