/* SPDX-License-Identifier: ISC */
/*
 * ita-survey tokens issue: one-time access codes from the shell, printed
 * one a line as each chunk is committed.  The rules are codes.c's.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#define TOKENS_USAGE "ita-survey tokens issue --round ID --count N"

/* Prints one code; -1 when standard output fails. */
static int
code_print(const char *code, void *arg)
{
	(void)arg;
	return puts(code) == EOF ? -1 : 0;
}

/* ita-survey tokens issue --round ID --count N */
int
cmd_tokens(struct config *cfg, int argc, char **argv)
{
	struct app	app;
	int64_t		round = 0, count = 0;
	enum err	e;
	int		i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nPrints N new one-time access codes "
		    "(1 to %d), one a line, like\n7QF9-MZD2-XWAP-4HTK.  Only "
		    "a keyed hash of each is stored: they are never\nshown "
		    "again.  Only for rounds of internal forms.\n",
		    TOKENS_USAGE, CODES_MAX);
		return 0;
	}
	if (argc == 0 || strcmp(argv[0], "issue") != 0)
		return usage_error(TOKENS_USAGE, "expected \"issue\"");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(TOKENS_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &count) == -1)
				return usage_error(TOKENS_USAGE, "--count must "
				    "be 1 to %d", CODES_MAX);
		} else
			return usage_error(TOKENS_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || count == 0)
		return usage_error(TOKENS_USAGE, "--round and --count are "
		    "required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	e = codes_issue(&app, ACTOR_CLI, round, count, code_print, NULL);
	if (e == ERR_OK && fflush(stdout) == EOF)
		e = ERR_INTERNAL;
	if (e != ERR_OK) {
		rc = cmd_fail(TOKENS_USAGE, e, "round %lld", (long long)round);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}
