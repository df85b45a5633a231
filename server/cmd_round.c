/* SPDX-License-Identifier: ISC */
/*
 * ita-survey round create | open | close | list | rename | set | archive
 * | unarchive | delete: rounds from the shell.  The rules are rounds.c's;
 * this file translates arguments and output (one value a line, or JSON
 * with --json).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define ROUND_USAGE \
	"ita-survey round create --form FORM_ID --title TEXT " \
	"[--population N] [--public]\n" \
	"       ita-survey round open ID | round close ID\n" \
	"       ita-survey round list [--json] [--all]\n" \
	"       ita-survey round rename ID --title TEXT\n" \
	"       ita-survey round set ID --population N\n" \
	"       ita-survey round archive ID | round unarchive ID\n" \
	"       ita-survey round delete ID"

#define RENAME_USAGE	"ita-survey round rename ID --title TEXT"
#define SET_USAGE	"ita-survey round set ID --population N"
#define ARCHIVE_USAGE	"ita-survey round archive ID | round unarchive ID"
#define DELETE_USAGE	"ita-survey round delete ID"
#define LIST_USAGE	"ita-survey round list [--json] [--all]"

/* A population argument: 0 or -1 (not a number). */
static int
parse_population(const char *s, int64_t *pop)
{
	char	*end;

	errno = 0;
	*pop = strtoll(s, &end, 10);
	return errno != 0 || *end != '\0' || s[0] == '\0' ? -1 : 0;
}

static int
round_create(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	struct round	 rd;
	const char	*form = NULL, *title = NULL;
	int64_t		 pop = 0;
	enum err	 e;
	int		 i, pub = 0, rc = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--form") == 0 && i + 1 < argc)
			form = argv[++i];
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--population") == 0 &&
		    i + 1 < argc) {
			if (parse_population(argv[++i], &pop) == -1)
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
	int		 json = 0, all = 0, rc = 1, j;
	enum err	 e;
	json_t		*arr;

	for (j = 0; j < argc; j++) {
		if (strcmp(argv[j], "--json") == 0)
			json = 1;
		else if (strcmp(argv[j], "--all") == 0)
			all = 1;
		else
			return usage_error(LIST_USAGE,
			    "unexpected argument \"%s\"", argv[j]);
	}
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = rounds_list(&app, all, &rs, &n)) != ERR_OK) {
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
			    rs[i].archived ? "archived" : rs[i].final ?
			    "final" : rs[i].open ? "open" : "closed",
			    (long long)rs[i].respondents, rs[i].title);
	free(rs);
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/*
 * round rename ID --title TEXT, round set ID --population N, round
 * archive ID, round unarchive ID: one rounds_change() each.
 */
enum change { CHANGE_RENAME, CHANGE_SET, CHANGE_ARCHIVE, CHANGE_UNARCHIVE };

static int
round_change(struct config *cfg, int argc, char **argv, enum change what)
{
	struct app		 app;
	struct round		 rd;
	struct round_change	 ch;
	const char		*use = what == CHANGE_RENAME ? RENAME_USAGE :
				    what == CHANGE_SET ? SET_USAGE :
				    ARCHIVE_USAGE;
	int64_t			 id;
	enum err		 e;
	int			 i, rc = 1;

	memset(&ch, 0, sizeof(ch));
	ch.archived = what == CHANGE_ARCHIVE ? 1 : what == CHANGE_UNARCHIVE ?
	    0 : -1;
	if (argc < 1 || parse_id(argv[0], &id) == -1)
		return usage_error(use, "expected a round ID");
	for (i = 1; i < argc; i++) {
		if (what == CHANGE_RENAME && strcmp(argv[i], "--title") == 0 &&
		    i + 1 < argc)
			ch.title = argv[++i];
		else if (what == CHANGE_SET && strcmp(argv[i],
		    "--population") == 0 && i + 1 < argc) {
			if (parse_population(argv[++i], &ch.population) == -1)
				return usage_error(use, "--population must be "
				    "a number");
			ch.has_population = 1;
		} else
			return usage_error(use, "unexpected argument \"%s\"",
			    argv[i]);
	}
	if (what == CHANGE_RENAME && ch.title == NULL)
		return usage_error(use, "--title is required");
	if (what == CHANGE_SET && !ch.has_population)
		return usage_error(use, "--population is required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = rounds_change(&app, ACTOR_CLI, id, &ch, &rd)) != ERR_OK) {
		rc = cmd_fail(use, e, "round %lld", (long long)id);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

static int
round_delete(struct config *cfg, int argc, char **argv)
{
	struct app	app;
	int64_t		id;
	enum err	e;
	int		rc = 1;

	if (argc != 1 || parse_id(argv[0], &id) == -1)
		return usage_error(DELETE_USAGE, "expected one round ID");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = rounds_delete(&app, ACTOR_CLI, id)) != ERR_OK) {
		rc = cmd_fail(DELETE_USAGE, e, "round %lld", (long long)id);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* The --help of one subcommand, or NULL for the whole command's. */
static const struct {
	const char	*name;
	const char	*usage;
	const char	*help;
} helps[] = {
	{ "rename", RENAME_USAGE, "Gives the round a new title (1 to 300 "
	    "bytes of text, as at creation).\nThe audit log keeps the old "
	    "and the new title.\n" },
	{ "set", SET_USAGE, "Corrects the round's population (head-count, "
	    "0 to 100000000; 0 = unknown),\nwhich the minimum sample is "
	    "computed from.  Allowed in any state, a final\nround's too: it "
	    "changes no response and no score.\n" },
	{ "archive", ARCHIVE_USAGE, "archive hides a closed round from "
	    "\"round list\", the console's lists and the\nITA overview's "
	    "choices; it stays readable by its ID, its scores and\nexports "
	    "stay available.  An open round is closed first.  An archived "
	    "round\nis not opened again until unarchive restores it.\n" },
	{ "unarchive", ARCHIVE_USAGE, "unarchive brings an archived round "
	    "back into the lists.\n" },
	{ "delete", DELETE_USAGE, "Deletes a closed round that never "
	    "received a response (a test round, one\nmade by mistake), with "
	    "its access codes and kiosks.  A round with any\nresponse, even "
	    "one, cannot be deleted: archive it instead.  The audit log\n"
	    "keeps its title.\n" },
	{ "list", LIST_USAGE, "Prints id, form, state (open, closed, final "
	    "once its responses were\nexported, archived), respondents (in "
	    "steps of min_cell) and title,\ntab-separated, or JSON with "
	    "--json.  Archived rounds only with --all.\n" },
};

/* ita-survey round create|open|close|list|rename|set|archive|... */
int
cmd_round(struct config *cfg, int argc, char **argv)
{
	size_t	i;

	for (i = 0; argc > 0 && i < sizeof(helps) / sizeof(helps[0]); i++)
		if (strcmp(argv[0], helps[i].name) == 0 &&
		    wants_help(argc, argv)) {
			printf("usage: %s\n\n%s", helps[i].usage,
			    helps[i].help);
			return 0;
		}
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\ncreate prints the new round's id; a "
		    "round starts closed.  --population is\nthe head-count "
		    "the minimum sample is computed from (0 to %d).  --public "
		    "lets\nanyone answer an external (EIT) round, "
		    "rate-limited per address.\nlist prints id, form, state "
		    "(open, closed, or final once its responses\nwere "
		    "exported: never reopened), respondents (in steps of "
		    "min_cell) and title,\ntab-separated; archived rounds "
		    "only with --all.  rename, set, archive,\nunarchive and "
		    "delete tidy a round: \"round SUBCOMMAND --help\" tells "
		    "more.\n", ROUND_USAGE, POPULATION_MAX);
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
	if (strcmp(argv[0], "rename") == 0)
		return round_change(cfg, argc - 1, argv + 1, CHANGE_RENAME);
	if (strcmp(argv[0], "set") == 0)
		return round_change(cfg, argc - 1, argv + 1, CHANGE_SET);
	if (strcmp(argv[0], "archive") == 0)
		return round_change(cfg, argc - 1, argv + 1, CHANGE_ARCHIVE);
	if (strcmp(argv[0], "unarchive") == 0)
		return round_change(cfg, argc - 1, argv + 1,
		    CHANGE_UNARCHIVE);
	if (strcmp(argv[0], "delete") == 0)
		return round_delete(cfg, argc - 1, argv + 1);
	return usage_error(ROUND_USAGE, "unknown subcommand \"%s\"",
	    argv[0]);
}
