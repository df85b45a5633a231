/* SPDX-License-Identifier: ISC */
/*
 * ita-survey admin add | list | role | disable | enable | reset |
 * password: the console's accounts from the shell, so that a working
 * group that locked itself out (a forgotten password, an account
 * disabled by mistake) can be rescued by whoever runs the server.
 * Passwords are read from the first line of standard input; a temporary
 * password is printed once.  The rules are accounts.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"

#define ADMIN_USAGE \
	"ita-survey admin add USERNAME [--role admin|viewer]\n" \
	"       ita-survey admin list [--json]\n" \
	"       ita-survey admin role USERNAME admin|viewer\n" \
	"       ita-survey admin disable USERNAME\n" \
	"       ita-survey admin enable USERNAME\n" \
	"       ita-survey admin reset USERNAME\n" \
	"       ita-survey admin password USERNAME"

/* Each subcommand: its usage line and what it does, for --help. */
static const struct {
	const char	*name;
	const char	*usage;
	const char	*help;
} subs[] = {
	{ "add", "ita-survey admin add USERNAME [--role admin|viewer]",
	    "Creates an account of the admin console (role admin unless "
	    "--role says viewer)\nand prints its name.  The password is "
	    "read from the first line of standard\ninput, for example:\n"
	    "  printf '%s\\n' 'long secret' | ita-survey admin add alice\n"
	    "Role admin may change everything; viewer may read scores and "
	    "exports.\n" },
	{ "list", "ita-survey admin list [--json]",
	    "Prints every account, one a line, tab-separated: id, user name, "
	    "role (admin or\nviewer), state (enabled or disabled) and "
	    "password (ok, or must_change when it\nis a temporary one its "
	    "owner must replace at the next login).  --json prints\n"
	    "[{\"id\", \"username\", \"role\", \"disabled\", \"must_change\", "
	    "\"created_at\"}].\n" },
	{ "role", "ita-survey admin role USERNAME admin|viewer",
	    "Gives the account the role admin or viewer; it takes effect at "
	    "once, in open\nsessions too.  The last enabled administrator "
	    "cannot be made a viewer.\n" },
	{ "disable", "ita-survey admin disable USERNAME",
	    "Disables the account: its sessions end at once and it can no "
	    "longer log in.\nAccounts are never deleted, so the audit log's "
	    "names keep meaning someone.\nThe last enabled administrator "
	    "cannot be disabled.\n" },
	{ "enable", "ita-survey admin enable USERNAME",
	    "Enables a disabled account again, with the password it had.\n" },
	{ "reset", "ita-survey admin reset USERNAME",
	    "Gives the account a new temporary password and prints it alone "
	    "on a line: it\nis shown this once and never stored in a "
	    "readable form.  The account's\nsessions end, and at its next "
	    "login its owner must choose a new password\nbefore anything "
	    "else.\n" },
	{ "password", "ita-survey admin password USERNAME",
	    "Sets the account's password to the first line of standard "
	    "input (for the\nperson at the shell, who need not change it "
	    "again) and ends its sessions:\nthe way back in for a working "
	    "group whose administrators all forgot theirs.\n" },
};

#define NSUBS	(sizeof(subs) / sizeof(subs[0]))

/* --help: one subcommand's, or all of them. */
static int
help(int argc, char **argv)
{
	size_t	i;

	for (i = 0; argc > 0 && i < NSUBS; i++)
		if (strcmp(argv[0], subs[i].name) == 0) {
			printf("usage: %s\n\n", subs[i].usage);
			fputs(subs[i].help, stdout);
			return 0;
		}
	printf("usage: %s\n\nThe accounts of the admin console.  Passwords "
	    "(%d to %d bytes) are read\nfrom the first line of standard "
	    "input.  The last enabled administrator can\nbe neither "
	    "disabled nor made a viewer.  \"ita-survey admin SUBCOMMAND "
	    "--help\"\ntells more of each.\n", ADMIN_USAGE, PASSWORD_MIN,
	    PASSWORD_MAX);
	return 0;
}

/*
 * Read a password from the first line of stdin into pw (PASSWORD_MAX +
 * 2 bytes).  0, or -1 with a message.
 */
static int
read_password(char *pw, size_t pwsz)
{
	size_t	len;

	if (fgets(pw, (int)pwsz, stdin) == NULL) {
		fprintf(stderr, "ita-survey: no password on standard input\n");
		return -1;
	}
	len = strcspn(pw, "\r\n");
	if (pw[len] == '\0' && len == pwsz - 1) {
		fprintf(stderr, "ita-survey: password longer than %d bytes\n",
		    PASSWORD_MAX);
		sodium_memzero(pw, pwsz);
		return -1;
	}
	pw[len] = '\0';
	return 0;
}

static int
admin_add(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*user = NULL, *role = "admin";
	char		 pw[PASSWORD_MAX + 2];
	enum err	 e;
	int		 i, rc = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (argv[i][0] != '-' && user == NULL)
			user = argv[i];
		else
			return usage_error(ADMIN_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (user == NULL)
		return usage_error(ADMIN_USAGE, "USERNAME is required");
	if (strcmp(role, "admin") != 0 && strcmp(role, "viewer") != 0)
		return usage_error(ADMIN_USAGE, "--role is admin or viewer");
	if (read_password(pw, sizeof(pw)) == -1)
		return 1;
	if (cmd_open(&app, cfg, 0) == 0) {
		e = accounts_add(&app, ACTOR_CLI, user, pw,
		    strcmp(role, "admin") == 0, NULL, NULL);
		if (e != ERR_OK)
			rc = cmd_fail(ADMIN_USAGE, e, "user \"%s\"", user);
		else {
			printf("%s\n", user);
			rc = 0;
		}
	}
	sodium_memzero(pw, sizeof(pw));
	app_close(&app);
	return rc;
}

static int
admin_list(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	struct admin	*as = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	enum err	 e;
	int		 json = 0, rc = 1, j;

	for (j = 0; j < argc; j++) {
		if (strcmp(argv[j], "--json") == 0)
			json = 1;
		else
			return usage_error(ADMIN_USAGE,
			    "unexpected argument \"%s\"", argv[j]);
	}
	if (cmd_open(&app, cfg, 0) == -1)
		goto out;
	if ((e = accounts_list(&app, &as, &n)) != ERR_OK) {
		rc = cmd_fail(ADMIN_USAGE, e, "admin list");
		goto out;
	}
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, accounts_json(&as[i]));
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else
		for (i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%s\t%s\n", (long long)as[i].id,
			    as[i].username, as[i].is_admin ? "admin" :
			    "viewer", as[i].disabled ? "disabled" : "enabled",
			    as[i].must_change ? "must_change" : "ok");
	free(as);
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/*
 * role USER admin|viewer, disable USER, enable USER, reset USER,
 * password USER: one account named by argv[0], what to do by sub.
 */
static int
admin_change(struct config *cfg, const char *sub, int argc, char **argv)
{
	struct app	 app;
	struct admin	 a;
	char		 pw[PASSWORD_MAX + 2], temp[ACCOUNT_TEMP_MAX];
	int		 is_admin = -1, rc = 1, want = 1;
	enum err	 e;

	pw[0] = temp[0] = '\0';
	if (strcmp(sub, "role") == 0)
		want = 2;
	if (argc != want || argv[0][0] == '-')
		return usage_error(ADMIN_USAGE, want == 2 ? "expected USERNAME "
		    "and a role" : "expected one USERNAME");
	if (want == 2 && (is_admin = strcmp(argv[1], "admin") == 0 ? 1 :
	    strcmp(argv[1], "viewer") == 0 ? 0 : -1) == -1)
		return usage_error(ADMIN_USAGE, "the role is admin or viewer");
	if (strcmp(sub, "password") == 0 &&
	    read_password(pw, sizeof(pw)) == -1)
		return 1;
	if (cmd_open(&app, cfg, 0) == -1)
		goto out;
	if ((e = accounts_find(&app, argv[0], &a)) != ERR_OK)
		goto fail;
	if (strcmp(sub, "role") == 0)
		e = accounts_change(&app, ACTOR_CLI, 0, a.id, is_admin, -1, &a);
	else if (strcmp(sub, "disable") == 0)
		e = accounts_change(&app, ACTOR_CLI, 0, a.id, -1, 1, &a);
	else if (strcmp(sub, "enable") == 0)
		e = accounts_change(&app, ACTOR_CLI, 0, a.id, -1, 0, &a);
	else if (strcmp(sub, "reset") == 0)
		e = accounts_reset(&app, ACTOR_CLI, 0, a.id, temp, &a);
	else
		e = accounts_set_password(&app, ACTOR_CLI, a.id, pw);
	if (e != ERR_OK)
		goto fail;
	if (temp[0] != '\0')
		printf("%s\n", temp);
	rc = 0;
	goto out;
fail:
	rc = cmd_fail(ADMIN_USAGE, e, "admin %s %s", sub, argv[0]);
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(temp, sizeof(temp));
	app_close(&app);
	return rc;
}

/* ita-survey admin add|list|role|disable|enable|reset|password */
int
cmd_admin(struct config *cfg, int argc, char **argv)
{
	if (wants_help(argc, argv))
		return help(argc, argv);
	if (argc == 0)
		return usage_error(ADMIN_USAGE, "expected a subcommand");
	if (strcmp(argv[0], "add") == 0)
		return admin_add(cfg, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0)
		return admin_list(cfg, argc - 1, argv + 1);
	if (strcmp(argv[0], "role") == 0 || strcmp(argv[0], "disable") == 0 ||
	    strcmp(argv[0], "enable") == 0 || strcmp(argv[0], "reset") == 0 ||
	    strcmp(argv[0], "password") == 0)
		return admin_change(cfg, argv[0], argc - 1, argv + 1);
	return usage_error(ADMIN_USAGE, "unknown subcommand \"%s\"",
	    argv[0]);
}
