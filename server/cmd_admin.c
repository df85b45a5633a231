/* SPDX-License-Identifier: ISC */
/*
 * ita-survey admin add USERNAME [--role admin|viewer]: create an account,
 * reading its password from the first line of standard input.  The rules
 * are accounts.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"

#define ADMIN_USAGE "ita-survey admin add USERNAME [--role admin|viewer]"

int
cmd_admin(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*user = NULL, *role = "admin";
	char		 pw[PASSWORD_MAX + 2];
	size_t		 len;
	enum err	 e;
	int		 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nCreates an account of the admin "
		    "console.  The password (%d to %d bytes)\nis read from "
		    "the first line of standard input, for example:\n"
		    "  printf '%%s\\n' 'long secret' | ita-survey admin add "
		    "alice\nRole admin may change everything; viewer may "
		    "read scores and exports.\n", ADMIN_USAGE, PASSWORD_MIN,
		    PASSWORD_MAX);
		return 0;
	}
	if (argc == 0 || strcmp(argv[0], "add") != 0)
		return usage_error(ADMIN_USAGE, "expected \"add\"");
	for (i = 1; i < argc; i++) {
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
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "ita-survey: no password on standard input\n");
		return 1;
	}
	len = strcspn(pw, "\r\n");
	if (pw[len] == '\0' && len == sizeof(pw) - 1) {
		fprintf(stderr, "ita-survey: password longer than %d bytes\n",
		    PASSWORD_MAX);
		sodium_memzero(pw, sizeof(pw));
		return 1;
	}
	pw[len] = '\0';
	if (cmd_open(&app, cfg, 0) == 0) {
		e = accounts_add(&app, ACTOR_CLI, user, pw,
		    strcmp(role, "admin") == 0);
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
