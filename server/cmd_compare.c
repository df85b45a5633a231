/* SPDX-License-Identifier: ISC */
/*
 * ita-survey compare --round A --with B [--json]: two rounds of one
 * instrument side by side from the shell, as a table for people or, with
 * --json, the API's comparison document.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#define COMPARE_USAGE "ita-survey compare --round A --with B [--json]"

/* A figure in a column of width w, "-" when there is none. */
static void
fig(json_t *v, int sign)
{
	if (json_is_number(v))
		printf(sign ? " %+8.2f" : " %8.2f", json_number_value(v));
	else
		printf(" %8s", "-");
}

static void
interval(json_t *o, const char *lo, const char *hi)
{
	if (json_is_number(json_object_get(o, lo)))
		printf("  [%.2f, %.2f]", json_number_value(json_object_get(o,
		    lo)), json_number_value(json_object_get(o, hi)));
}

/* One row: code, A, B, change, a mark when significant, the names. */
static void
row(const char *indent, json_t *o, const char *names)
{
	json_t	*sig = json_object_get(o, "significant");

	printf("%s%-*s", indent, 6 - (int)strlen(indent),
	    json_string_value(json_object_get(o, "code")));
	fig(json_object_get(json_object_get(o, "a"), "score"), 0);
	fig(json_object_get(json_object_get(o, "b"), "score"), 0);
	fig(json_object_get(o, "change"), 1);
	printf(" %-3s", json_is_true(sig) ? "*" : "");
	printf(" %s / %s", json_string_value(json_object_get(json_object_get(o,
	    names), "th")), json_string_value(json_object_get(
	    json_object_get(o, names), "en")));
	interval(o, "change_low", "change_high");
	putchar('\n');
}

static void
compare_text(json_t *doc)
{
	json_t	*r, *ind, *it, *w, *sc = json_object_get(doc, "score");
	size_t	 i, j;

	json_array_foreach(json_object_get(doc, "rounds"), i, r)
		printf("%s: round %lld \"%s\" (%s)%s\n", i == 0 ? "A" : "B",
		    (long long)json_integer_value(json_object_get(r, "id")),
		    json_string_value(json_object_get(r, "title")),
		    json_string_value(json_object_get(r, "form")),
		    json_is_true(json_object_get(r, "published")) ? "" :
		    "  not published");
	printf("instrument %s  target %g  change = A - B; * = the 95%% "
	    "interval of the change leaves out 0\n\n",
	    json_string_value(json_object_get(doc, "instrument")),
	    json_number_value(json_object_get(doc, "target")));
	printf("%-6s %8s %8s %8s %-3s %s\n", "code", "A", "B", "change", "",
	    "name  [95% interval of the change]");
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		row("", ind, "name");
		json_array_foreach(json_object_get(ind, "items"), j, it)
			row("  ", it, "text");
	}
	printf("%-6s", "score");
	fig(json_object_get(sc, "a"), 0);
	fig(json_object_get(sc, "b"), 0);
	fig(json_object_get(sc, "change"), 1);
	printf(" %-3s", json_is_true(json_object_get(sc, "significant")) ?
	    "*" : "");
	interval(sc, "change_low", "change_high");
	putchar('\n');
	if (json_array_size(json_object_get(doc, "weak")) == 0)
		return;
	printf("\nweak items of A (below the target), weakest first:\n");
	json_array_foreach(json_object_get(doc, "weak"), i, w)
		printf("%-6s %8.2f  indicator %s  %s\n",
		    json_string_value(json_object_get(w, "code")),
		    json_number_value(json_object_get(w, "score")),
		    json_string_value(json_object_get(json_object_get(w,
		    "indicator"), "code")),
		    json_string_value(json_object_get(json_object_get(w,
		    "text"), "th")));
}

/* ita-survey compare --round A --with B [--json] */
int
cmd_compare(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	json_t		*doc = NULL;
	int64_t		 a = 0, b = 0;
	enum err	 e;
	int		 i, json = 0, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nCompares the published figures of round "
		    "A with those of round B (the same\ninstrument): each "
		    "indicator's and item's score, the change A - B, and\n"
		    "whether its 95%% interval leaves out 0; then A's items "
		    "below the target.\nWith --json, the document of GET "
		    "/api/v1/admin/rounds/A/compare?with=B.\n",
		    COMPARE_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &a) == -1)
				return usage_error(COMPARE_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--with") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &b) == -1)
				return usage_error(COMPARE_USAGE,
				    "--with needs a round ID");
		} else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return usage_error(COMPARE_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (a == 0 || b == 0)
		return usage_error(COMPARE_USAGE, "--round and --with are "
		    "required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = compare_rounds(&app, a, b, &doc)) != ERR_OK) {
		rc = cmd_fail(COMPARE_USAGE, e, "rounds %lld and %lld",
		    (long long)a, (long long)b);
		goto out;
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10));
		putchar('\n');
	} else
		compare_text(doc);
	rc = 0;
out:
	json_decref(doc);
	app_close(&app);
	return rc;
}
