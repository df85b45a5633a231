/* SPDX-License-Identifier: ISC */
/*
 * ita-survey measures list | add | set | delete: the working group's
 * measures from the shell.  The rules are measures.c's; this file
 * translates arguments and output (tab-separated lines, or JSON with
 * --json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "measures.h"

#define LIST_USAGE	"ita-survey measures list [--year N] " \
	"[--status S] [--json]"
#define ADD_USAGE	"ita-survey measures add --target CODE --what TEXT " \
	"--who TEXT --due YYYY-MM-DD [--year N] [--how TEXT] [--round ID] " \
	"[--status S] [--progress TEXT] [--evidence TEXT]"
#define SET_USAGE	"ita-survey measures set ID [--target CODE] " \
	"[--what TEXT] [--who TEXT] [--due YYYY-MM-DD] [--year N] " \
	"[--how TEXT] [--round ID|none] [--status S] [--progress TEXT] " \
	"[--evidence TEXT]"
#define DELETE_USAGE	"ita-survey measures delete ID"
#define MEASURES_USAGE	LIST_USAGE "\n       " ADD_USAGE "\n       " \
	SET_USAGE "\n       " DELETE_USAGE

/* Print why each field was refused, one "field: reason" a line. */
static int
fields_fail(const char *use, json_t *fields)
{
	const char	*k;
	json_t		*v;

	fputs("ita-survey: the measure does not fit its rules:\n", stderr);
	json_object_foreach(fields, k, v)
		fprintf(stderr, "  %s: %s\n", k, json_string_value(v));
	fprintf(stderr, "usage: %s\n", use);
	json_decref(fields);
	return EXIT_USAGE;
}

/*
 * The flags add and set share into in.  0, or the exit status of a
 * usage error.
 */
static int
flags_parse(const char *use, int argc, char **argv,
    struct measure_input *in)
{
	int	i;

	for (i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			return usage_error(use, "unexpected argument \"%s\"",
			    argv[i]);
		if (strcmp(argv[i], "--target") == 0)
			in->target = argv[++i];
		else if (strcmp(argv[i], "--what") == 0)
			in->what = argv[++i];
		else if (strcmp(argv[i], "--how") == 0)
			in->how = argv[++i];
		else if (strcmp(argv[i], "--who") == 0)
			in->who = argv[++i];
		else if (strcmp(argv[i], "--due") == 0)
			in->due = argv[++i];
		else if (strcmp(argv[i], "--status") == 0)
			in->status = argv[++i];
		else if (strcmp(argv[i], "--progress") == 0)
			in->progress = argv[++i];
		else if (strcmp(argv[i], "--evidence") == 0)
			in->evidence = argv[++i];
		else if (strcmp(argv[i], "--year") == 0) {
			in->has_year = 1;
			if (parse_id(argv[++i], &in->year) == -1)
				return usage_error(use, "--year: a fiscal "
				    "year such as 2570");
		} else if (strcmp(argv[i], "--round") == 0) {
			in->has_round = 1;
			if (strcmp(argv[++i], "none") == 0)
				in->round = 0;
			else if (parse_id(argv[i], &in->round) == -1)
				return usage_error(use, "--round: a round id "
				    "or none");
		} else
			return usage_error(use, "unexpected argument \"%s\"",
			    argv[i]);
	}
	return 0;
}

/* measures add ...: prints the new measure's id. */
static int
measures_add_cmd(struct config *cfg, int argc, char **argv)
{
	struct measure_input	 in;
	struct app		 app;
	json_t			*fields = NULL;
	int64_t			 id;
	enum err		 e;
	int			 rc;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nRecords a measure against an indicator "
		    "(1..10) or an item (i9, e2, o42)\nof a loaded form or OIT "
		    "checklist, and prints its id.  --due is a day\nof the "
		    "Christian Era; --year the fiscal year (Buddhist Era, "
		    "default the\ncurrent one, which starts on 1 October); "
		    "--status planned (default),\ndoing, done or dropped.\n",
		    ADD_USAGE);
		return 0;
	}
	memset(&in, 0, sizeof(in));
	if ((rc = flags_parse(ADD_USAGE, argc, argv, &in)) != 0)
		return rc;
	if (in.target == NULL || in.what == NULL || in.who == NULL ||
	    in.due == NULL)
		return usage_error(ADD_USAGE, "--target, --what, --who and "
		    "--due are required");
	rc = 1;
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = measures_add(&app, ACTOR_CLI, &in, &id, &fields)) !=
	    ERR_OK) {
		rc = e == ERR_BAD_MEASURE ? fields_fail(ADD_USAGE, fields) :
		    cmd_fail(ADD_USAGE, e, "measures add");
		goto out;
	}
	printf("%lld\n", (long long)id);
	rc = fflush(stdout) == EOF ? 1 : 0;
out:
	app_close(&app);
	return rc;
}

/* measures set ID ...: changes only what is given. */
static int
measures_set_cmd(struct config *cfg, int argc, char **argv)
{
	struct measure_input	 in;
	struct app		 app;
	json_t			*fields = NULL;
	int64_t			 id;
	enum err		 e;
	int			 rc;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nChanges measure ID: only the fields "
		    "given (--round none unlinks its\nround).\n", SET_USAGE);
		return 0;
	}
	if (argc < 1 || parse_id(argv[0], &id) == -1)
		return usage_error(SET_USAGE, "expected a measure id");
	memset(&in, 0, sizeof(in));
	if ((rc = flags_parse(SET_USAGE, argc - 1, argv + 1, &in)) != 0)
		return rc;
	rc = 1;
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = measures_change(&app, ACTOR_CLI, id, &in, &fields)) !=
	    ERR_OK) {
		rc = e == ERR_BAD_MEASURE ? fields_fail(SET_USAGE, fields) :
		    cmd_fail(SET_USAGE, e, "measures set %lld",
		    (long long)id);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* measures delete ID */
static int
measures_delete_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	int64_t		 id;
	enum err	 e;
	int		 rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nDeletes measure ID (the audit log keeps "
		    "what it was).\n", DELETE_USAGE);
		return 0;
	}
	if (argc != 1 || parse_id(argv[0], &id) == -1)
		return usage_error(DELETE_USAGE, "expected a measure id");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = measures_delete(&app, ACTOR_CLI, id)) != ERR_OK) {
		rc = cmd_fail(DELETE_USAGE, e, "measures delete %lld",
		    (long long)id);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* One line of text for a tab-separated cell: tabs and breaks as " ". */
static void
cell(const char *s, int last)
{
	for (; s != NULL && *s != '\0'; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
	putchar(last ? '\n' : '\t');
}

/* measures list [--year N] [--status S] [--json] */
static int
measures_list_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*status = NULL;
	json_t		*doc = NULL, *m;
	int64_t		 year;
	enum err	 e;
	size_t		 k;
	int		 i, json = 0, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nPrints the measures of the fiscal year "
		    "(default the current one), one\na line: id, target, "
		    "status (with \"overdue\"), due, who, what.  --json\nprints "
		    "the document of GET /api/v1/admin/measures.\n",
		    LIST_USAGE);
		return 0;
	}
	year = measures_fiscal_year((int64_t)time(NULL));
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &year) == -1)
				return usage_error(LIST_USAGE, "--year: a "
				    "fiscal year such as 2570");
		} else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
			status = argv[++i];
		else
			return usage_error(LIST_USAGE, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = measures_list(&app, year, status, &doc)) != ERR_OK) {
		rc = cmd_fail(LIST_USAGE, e, "measures list");
		goto out;
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
	} else
		json_array_foreach(json_object_get(doc, "measures"), k, m) {
			printf("%lld\t", (long long)json_integer_value(
			    json_object_get(m, "id")));
			cell(json_string_value(json_object_get(m, "target")),
			    0);
			printf("%s%s\t", json_string_value(json_object_get(m,
			    "status")), json_is_true(json_object_get(m,
			    "overdue")) ? " overdue" : "");
			cell(json_string_value(json_object_get(m, "due")), 0);
			cell(json_string_value(json_object_get(m, "who")), 0);
			cell(json_string_value(json_object_get(m, "what")),
			    1);
		}
	rc = fflush(stdout) == EOF ? 1 : 0;
out:
	json_decref(doc);
	app_close(&app);
	return rc;
}

/* ita-survey measures list|add|set|delete */
int
cmd_measures(struct config *cfg, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct config *, int, char **);
	} subs[] = {
		{ "list", measures_list_cmd },
		{ "add", measures_add_cmd },
		{ "set", measures_set_cmd },
		{ "delete", measures_delete_cmd },
	};
	size_t	i;

	if (argc > 0)
		for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
			if (strcmp(argv[0], subs[i].name) == 0)
				return subs[i].fn(cfg, argc - 1, argv + 1);
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nThe working group's measures against weak "
		    "indicators and items, published\nas OIT o42 and reported "
		    "on as o43.  \"ita-survey measures SUBCOMMAND\n--help\" "
		    "tells more.\n", MEASURES_USAGE);
		return 0;
	}
	if (argc == 0)
		return usage_error(MEASURES_USAGE, "expected list, add, set "
		    "or delete");
	return usage_error(MEASURES_USAGE, "unknown subcommand \"%s\"",
	    argv[0]);
}
