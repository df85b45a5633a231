/* SPDX-License-Identifier: ISC */
/*
 * ita-survey scores: a round's published scores from the shell, as a
 * short table for people or, with --json, the API's scores document.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#define SCORES_USAGE "ita-survey scores --round ID [--by-unit] [--json]"

/* Print the scores document as a short table for people. */
static void
scores_text(json_t *doc)
{
	json_t	*ind, *v;
	size_t	 i;

	printf("round %lld  %s  respondents %lld  scored %lld\n",
	    (long long)json_integer_value(json_object_get(doc, "round")),
	    json_string_value(json_object_get(doc, "form")),
	    (long long)json_integer_value(json_object_get(doc,
	    "respondents")),
	    (long long)json_integer_value(json_object_get(doc, "scored")));
	if (!json_is_true(json_object_get(doc, "published"))) {
		printf("not published: fewer than %lld respondents\n",
		    (long long)json_integer_value(json_object_get(doc,
		    "min_cell")));
		return;
	}
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		v = json_object_get(ind, "score");
		if (json_is_number(v))
			printf("%-4s %7.2f  %s\n", json_string_value(
			    json_object_get(ind, "code")), json_number_value(v),
			    json_string_value(json_object_get(json_object_get(
			    ind, "name"), "en")));
		else
			printf("%-4s %7s  %s\n", json_string_value(
			    json_object_get(ind, "code")), "-",
			    json_string_value(json_object_get(json_object_get(
			    ind, "name"), "en")));
	}
	v = json_object_get(doc, "score");
	if (json_is_number(v))
		printf("score %.2f  grade %s  target %g\n",
		    json_number_value(v), json_string_value(json_object_get(doc,
		    "grade")), json_number_value(json_object_get(doc,
		    "target")));
}

/* Print the per-unit document (units.c) as a short table for people. */
static void
units_text(json_t *doc)
{
	json_t	*u, *v;
	size_t	 i;

	printf("round %lld  %s  by unit  (min_cell %lld)\n",
	    (long long)json_integer_value(json_object_get(doc, "round")),
	    json_string_value(json_object_get(doc, "form")),
	    (long long)json_integer_value(json_object_get(doc, "min_cell")));
	json_array_foreach(json_object_get(doc, "units"), i, u) {
		v = json_object_get(u, "score");
		if (!json_is_true(json_object_get(u, "shown")))
			printf("%-8s %-8s %7s  %s\n", "hidden", "", "",
			    json_string_value(json_object_get(u, "name")));
		else if (json_is_number(v))
			printf("%-8lld %-8s %7.2f  %s\n", (long long)
			    json_integer_value(json_object_get(u,
			    "respondents")), json_string_value(
			    json_object_get(u, "grade")), json_number_value(v),
			    json_string_value(json_object_get(u, "name")));
	}
	if (json_is_true(json_object_get(doc, "unassigned")))
		printf("%-8s %-8s %7s  %s\n", "hidden", "", "",
		    "(responses without a unit)");
	printf("hidden: fewer than min_cell responses in the published "
	    "snapshot, or hidden\nwith one so that no unit is the total "
	    "minus the rest.\n");
}

/* ita-survey scores --round ID [--by-unit] [--json] */
int
cmd_scores(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	json_t		*doc = NULL;
	int64_t		 round = 0;
	enum err	 e;
	int		 i, json = 0, by_unit = 0, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nPrints the round's scores; with --json "
		    "the same document as\nGET /api/v1/admin/rounds/ID/scores."
		    "  Figures are published only from\nmin_cell respondents "
		    "on, and move only in steps of min_cell.\n\n--by-unit "
		    "prints the scores of each organisational unit instead\n"
		    "(GET /api/v1/admin/rounds/ID/units): a unit is shown only "
		    "from min_cell\nresponses on, and when exactly one group "
		    "would be hidden the next\nsmallest is hidden too, so no "
		    "hidden unit is the total minus the rest.\n",
		    SCORES_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(SCORES_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--by-unit") == 0)
			by_unit = 1;
		else
			return usage_error(SCORES_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0)
		return usage_error(SCORES_USAGE, "--round is required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	e = by_unit ? units_document(&app, round, &doc) :
	    rounds_scores(&app, round, &doc);
	if (e != ERR_OK) {
		rc = cmd_fail(SCORES_USAGE, e, "round %lld", (long long)round);
		goto out;
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10));
		putchar('\n');
	} else if (by_unit)
		units_text(doc);
	else
		scores_text(doc);
	rc = 0;
out:
	json_decref(doc);
	app_close(&app);
	return rc;
}
