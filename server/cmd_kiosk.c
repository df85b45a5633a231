/* SPDX-License-Identifier: ISC */
/*
 * ita-survey kiosk add: register a kiosk from the shell and print its
 * key once.  The rules are kiosks.c's.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"

#define KIOSK_USAGE "ita-survey kiosk add --round ID --name TEXT " \
	"[--unit NAME]"

/* ita-survey kiosk add --round ID --name TEXT [--unit NAME] */
int
cmd_kiosk(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	struct kiosk	 k;
	const char	*name = NULL, *unit = NULL;
	char		 key[TOKEN_TEXT_MAX];
	int64_t		 round = 0;
	enum err	 e;
	int		 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nRegisters a kiosk (a tablet at a "
		    "service counter) for an external round\nand prints its "
		    "key alone on a line; it is shown once.  Open /kiosk/ "
		    "on the\ntablet and enter the key to pair it.  With "
		    "--unit, the responses it\nsends carry that "
		    "organisational unit (see \"scores --by-unit\").\n",
		    KIOSK_USAGE);
		return 0;
	}
	if (argc == 0 || strcmp(argv[0], "add") != 0)
		return usage_error(KIOSK_USAGE, "expected \"add\"");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(KIOSK_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc)
			unit = argv[++i];
		else
			return usage_error(KIOSK_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || name == NULL)
		return usage_error(KIOSK_USAGE, "--round and --name are "
		    "required");
	key[0] = '\0';
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = kiosks_add(&app, ACTOR_CLI, round, name, unit, key,
	    &k)) != ERR_OK) {
		rc = cmd_fail(KIOSK_USAGE, e, "kiosk add --round %lld",
		    (long long)round);
		goto out;
	}
	puts(key);
	rc = fflush(stdout) == EOF ? 1 : 0;
out:
	sodium_memzero(key, sizeof(key));
	app_close(&app);
	return rc;
}
