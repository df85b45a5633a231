/* SPDX-License-Identifier: ISC */
/*
 * ita-survey tokens issue | void: one-time access codes from the shell.
 * issue prints the new codes one a line as each chunk is committed; void
 * reads codes one a line from standard input.  The rules are codes.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"

#define TOKENS_USAGE "ita-survey tokens issue --round ID --count N " \
	"[--unit NAME]\n" \
	"       ita-survey tokens void --round ID [--all-unused] " \
	"< CODES"
#define ISSUE_USAGE "ita-survey tokens issue --round ID --count N " \
	"[--unit NAME]"
#define VOID_USAGE "ita-survey tokens void --round ID [--all-unused] < CODES"

/* Prints one code; -1 when standard output fails. */
static int
code_print(const char *code, void *arg)
{
	(void)arg;
	return puts(code) == EOF ? -1 : 0;
}

static int
tokens_issue(struct config *cfg, int argc, char **argv)
{
	struct app	app;
	int64_t		round = 0, count = 0;
	const char	*unit = NULL;
	enum err	e;
	int		i, rc = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(ISSUE_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &count) == -1)
				return usage_error(ISSUE_USAGE, "--count must "
				    "be 1 to %d", CODES_MAX);
		} else if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc)
			unit = argv[++i];
		else
			return usage_error(ISSUE_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || count == 0)
		return usage_error(ISSUE_USAGE, "--round and --count are "
		    "required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	e = codes_issue(&app, ACTOR_CLI, round, count, unit, code_print,
	    NULL);
	if (e == ERR_OK && fflush(stdout) == EOF)
		e = ERR_INTERNAL;
	if (e != ERR_OK) {
		rc = cmd_fail(ISSUE_USAGE, e, "round %lld", (long long)round);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/*
 * The non-blank lines of standard input, their line ends removed, at
 * most CODES_VOID_MAX + 1 (one more says there are too many).  *out is
 * an array of strings the caller frees with lines_free.  0 or -1.
 */
static int
lines_read(char ***out, size_t *n)
{
	char	**v = NULL, *line = NULL;
	size_t	  cap = 0, len;
	ssize_t	  got;

	*n = 0;
	while (*n <= CODES_VOID_MAX &&
	    (got = getline(&line, &cap, stdin)) != -1) {
		len = (size_t)got;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strspn(line, " \t") == len)
			continue;
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = xstrdup(line);
	}
	if (line != NULL) {
		sodium_memzero(line, cap);
		free(line);
	}
	*out = v;
	return ferror(stdin) ? -1 : 0;
}

static void
lines_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		sodium_memzero(v[i], strlen(v[i]));
		free(v[i]);
	}
	free(v);
}

static int
tokens_void(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	char		**codes = NULL;
	size_t		 *unknown = NULL, n = 0, nunknown = 0, i;
	int64_t		  round = 0, voided = 0;
	enum err	  e;
	int		  j, all = 0, rc = 1;

	memset(&app, 0, sizeof(app));
	for (j = 0; j < argc; j++) {
		if (strcmp(argv[j], "--round") == 0 && j + 1 < argc) {
			if (parse_id(argv[++j], &round) == -1)
				return usage_error(VOID_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[j], "--all-unused") == 0)
			all = 1;
		else
			return usage_error(VOID_USAGE,
			    "unexpected argument \"%s\"", argv[j]);
	}
	if (round == 0)
		return usage_error(VOID_USAGE, "--round is required");
	if (!all && lines_read(&codes, &n) == -1) {
		fprintf(stderr, "ita-survey: tokens void: cannot read the "
		    "codes from standard input\n");
		goto out;
	}
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if (all)
		e = codes_void_unused(&app, ACTOR_CLI, round);
	else {
		unknown = xcalloc(n > 0 ? n : 1, sizeof(*unknown));
		e = codes_void(&app, ACTOR_CLI, round,
		    (const char *const *)codes, n, &voided, unknown,
		    &nunknown);
	}
	for (i = 0; e == ERR_UNKNOWN_CODES && i < nunknown; i++)
		fprintf(stderr, "ita-survey: round %lld: not a code of this "
		    "round: %s\n", (long long)round, codes[unknown[i]]);
	if (e != ERR_OK) {
		rc = cmd_fail(VOID_USAGE, e, "round %lld", (long long)round);
		goto out;
	}
	if (!all && (printf("%lld\n", (long long)voided) < 0 ||
	    fflush(stdout) == EOF))
		goto out;
	rc = 0;
out:
	app_close(&app);
	lines_free(codes, n);
	free(unknown);
	return rc;
}

/* ita-survey tokens issue|void */
int
cmd_tokens(struct config *cfg, int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "void") == 0 &&
	    wants_help(argc, argv)) {
		printf("usage: %s\n\nVoids access codes of an internal round: "
		    "they then answer a respondent as\nused codes do, and "
		    "cannot be made usable again.  Reads the codes from\n"
		    "standard input, one a line, as printed on the slips (any "
		    "case, hyphens\nand spaces ignored; 1 to %d); prints how "
		    "many codes of the round were\nlisted, used or not alike: "
		    "nothing tells whether one had been used.\nIf any line is "
		    "not a code of the round, nothing is voided and those\n"
		    "lines are named on standard error (exit 1).\n\n"
		    "--all-unused voids every code of the round not used yet, "
		    "and prints\nnothing: how many that was would tell the "
		    "exact number of respondents.\n\nCodes are shown only once "
		    "and can never be printed again: for a lost slip,\nissue a "
		    "new code and void the lost one.\n", VOID_USAGE,
		    CODES_VOID_MAX);
		return 0;
	}
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nissue prints N new one-time access codes "
		    "(1 to %d), one a line, like\n7QF9-MZD2-XWAP-4HTK.  Only "
		    "a keyed hash of each is stored: they are never\nshown "
		    "again.  Only for rounds of internal forms.\n\nWith "
		    "--unit NAME the codes belong to that organisational "
		    "unit (made\nif new): a response given with one carries "
		    "the unit and nothing more, and\n\"scores --by-unit\" "
		    "shows units large enough to hide in.\n\nvoid makes "
		    "lost or unused codes unusable (\"tokens void --help\" "
		    "tells more).\n", TOKENS_USAGE, CODES_MAX);
		return 0;
	}
	if (argc > 0 && strcmp(argv[0], "issue") == 0)
		return tokens_issue(cfg, argc - 1, argv + 1);
	if (argc > 0 && strcmp(argv[0], "void") == 0)
		return tokens_void(cfg, argc - 1, argv + 1);
	return usage_error(TOKENS_USAGE, "expected \"issue\" or \"void\"");
}
