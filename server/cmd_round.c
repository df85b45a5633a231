/* SPDX-License-Identifier: ISC */
/*
 * ita-survey round create | open | close | list: rounds from the shell.
 * The rules are rounds.c's; this file translates arguments and output
 * (one value a line, or JSON with --json).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define ROUND_USAGE \
	"ita-survey round create --form FORM_ID --title TEXT " \
	"[--population N] [--public]\n" \
	"       ita-survey round open ID | round close ID\n" \
	"       ita-survey round list [--json]"

static int
round_create(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	struct round	 rd;
	const char	*form = NULL, *title = NULL;
	int64_t		 pop = 0;
	char		*end;
	enum err	 e;
	int		 i, pub = 0, rc = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--form") == 0 && i + 1 < argc)
			form = argv[++i];
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--population") == 0 &&
		    i + 1 < argc) {
			errno = 0;
			pop = strtoll(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || argv[i][0] == '\0')
				return usage_error(ROUND_USAGE, "--population "
				    "must be a number");
		} else if (strcmp(argv[i], "--public") == 0)
			pub = 1;
		else
			return usage_error(ROUND_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (form == NULL || title == NULL)
		return usage_error(ROUND_USAGE, "--form and --title are "
		    "required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = rounds_create(&app, ACTOR_CLI, form, title, pop, pub,
	    &rd)) != ERR_OK) {
		rc = cmd_fail(ROUND_USAGE, e, "round create --form %s", form);
		goto out;
	}
	printf("%lld\n", (long long)rd.id);
	rc = 0;
out:
	app_close(&app);
	return rc;
}

static int
round_state(struct config *cfg, int argc, char **argv, int open)
{
	struct app	app;
	struct round	rd;
	int64_t		id;
	enum err	e;
	int		rc = 1;

	if (argc != 1 || parse_id(argv[0], &id) == -1)
		return usage_error(ROUND_USAGE, "expected one round ID");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = rounds_set_open(&app, ACTOR_CLI, id, open, &rd)) != ERR_OK) {
		rc = cmd_fail(ROUND_USAGE, e, "round %lld", (long long)id);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

static int
round_list(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	struct round	*rs = NULL;
	size_t		 n = 0, i;
	int		 json = 0, rc = 1, j;
	enum err	 e;
	json_t		*arr;

	for (j = 0; j < argc; j++) {
		if (strcmp(argv[j], "--json") == 0)
			json = 1;
		else
			return usage_error(ROUND_USAGE,
			    "unexpected argument \"%s\"", argv[j]);
	}
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = rounds_list(&app, &rs, &n)) != ERR_OK) {
		rc = cmd_fail(ROUND_USAGE, e, "round list");
		goto out;
	}
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, rounds_json(&app, &rs[i]));
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else
		for (i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%lld\t%s\n",
			    (long long)rs[i].id, rs[i].form_id,
			    rs[i].final ? "final" : rs[i].open ? "open" :
			    "closed",
			    (long long)rs[i].respondents, rs[i].title);
	free(rs);
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* ita-survey round create|open|close|list */
int
cmd_round(struct config *cfg, int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\ncreate prints the new round's id; a "
		    "round starts closed.  --population is\nthe head-count "
		    "the minimum sample is computed from (0 to %d).  --public "
		    "lets\nanyone answer an external (EIT) round, "
		    "rate-limited per address.\nlist prints id, form, state "
		    "(open, closed, or final once its responses\nwere "
		    "exported: never reopened), respondents (in steps of "
		    "min_cell) and title,\ntab-separated.\n", ROUND_USAGE,
		    POPULATION_MAX);
		return 0;
	}
	if (argc == 0)
		return usage_error(ROUND_USAGE, "expected a subcommand");
	if (strcmp(argv[0], "create") == 0)
		return round_create(cfg, argc - 1, argv + 1);
	if (strcmp(argv[0], "open") == 0)
		return round_state(cfg, argc - 1, argv + 1, 1);
	if (strcmp(argv[0], "close") == 0)
		return round_state(cfg, argc - 1, argv + 1, 0);
	if (strcmp(argv[0], "list") == 0)
		return round_list(cfg, argc - 1, argv + 1);
	return usage_error(ROUND_USAGE, "unknown subcommand \"%s\"",
	    argv[0]);
}
