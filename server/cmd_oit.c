/* SPDX-License-Identifier: ISC */
/*
 * ita-survey oit add | remove | ready | list | check | report: the OIT
 * evidence desk from the shell.  The rules are oit.c's (and the check
 * the watcher's, the report oitreport.c's); this file translates
 * arguments and output (tab-separated lines, or JSON with --json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "oit.h"

#define OIT_USAGE \
	"ita-survey oit add --item CODE --url URL\n" \
	"       ita-survey oit remove --id N\n" \
	"       ita-survey oit ready --item CODE [--yes|--no] [--note TEXT] " \
	"[--owner NAME]\n" \
	"       ita-survey oit list [--json]\n" \
	"       ita-survey oit check [--json]\n" \
	"       ita-survey oit report --from DATE --to DATE " \
	"--format csv|xlsx|json"

#define ADD_USAGE	"ita-survey oit add --item CODE --url URL"
#define REMOVE_USAGE	"ita-survey oit remove --id N"
#define READY_USAGE	"ita-survey oit ready --item CODE [--yes|--no] " \
	"[--note TEXT] [--owner NAME]"
#define LIST_USAGE	"ita-survey oit list [--json]"
#define CHECK_USAGE	"ita-survey oit check [--json]"

static void
print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	putchar('\n');
}

/* oit add --item CODE --url URL: prints the new URL's id. */
static int
oit_add_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*item = NULL, *url = NULL;
	int64_t		 id;
	enum err	 e;
	int		 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nAdds URL as evidence of the checklist "
		    "item CODE (o1, o2, ...) and prints\nits id.  Only http "
		    "and https; no loopback, private, link-local or\nmetadata "
		    "address, checked after DNS, unless --oit-allow-private. "
		    "At most\n%d URLs per item and %d in all.\n", ADD_USAGE,
		    OIT_URLS_PER_ITEM, OIT_URLS_MAX);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--item") == 0 && i + 1 < argc)
			item = argv[++i];
		else if (strcmp(argv[i], "--url") == 0 && i + 1 < argc)
			url = argv[++i];
		else
			return usage_error(ADD_USAGE, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (item == NULL || url == NULL)
		return usage_error(ADD_USAGE, "--item and --url are required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = oit_url_add(&app, ACTOR_CLI, item, url, &id)) != ERR_OK) {
		rc = cmd_fail(ADD_USAGE, e, "oit add --item %s", item);
		goto out;
	}
	printf("%lld\n", (long long)id);
	rc = fflush(stdout) == EOF ? 1 : 0;
out:
	app_close(&app);
	return rc;
}

/* oit remove --id N */
static int
oit_remove_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	int64_t		 id = 0;
	enum err	 e;
	int		 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nStops watching evidence URL N (ids as "
		    "\"oit list\" prints them); its\nchecks, alerts and kept "
		    "copy stay for the availability report.\n",
		    REMOVE_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--id") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &id) == -1)
				return usage_error(REMOVE_USAGE, "--id must be "
				    "a positive number");
		} else
			return usage_error(REMOVE_USAGE, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (id == 0)
		return usage_error(REMOVE_USAGE, "--id is required");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = oit_url_remove(&app, ACTOR_CLI, id)) != ERR_OK) {
		rc = cmd_fail(REMOVE_USAGE, e, "oit remove --id %lld",
		    (long long)id);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* oit ready --item CODE [--yes|--no] [--note TEXT] [--owner NAME] */
static int
oit_ready_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*item = NULL, *note = NULL, *owner = NULL;
	enum err	 e;
	int		 i, ready = -1, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nRecords the working group's word on item "
		    "CODE: --yes its content is\nready, --no it is not; a "
		    "note (at most %d bytes) and who is responsible\n(at most "
		    "%d bytes), each one line; \"\" clears them.  At least one "
		    "of\nthe four.\n", READY_USAGE, OIT_NOTE_MAX,
		    OIT_OWNER_MAX);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--item") == 0 && i + 1 < argc)
			item = argv[++i];
		else if (strcmp(argv[i], "--yes") == 0 && ready != 0)
			ready = 1;
		else if (strcmp(argv[i], "--no") == 0 && ready != 1)
			ready = 0;
		else if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			note = argv[++i];
		else if (strcmp(argv[i], "--owner") == 0 && i + 1 < argc)
			owner = argv[++i];
		else
			return usage_error(READY_USAGE, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (item == NULL)
		return usage_error(READY_USAGE, "--item is required");
	if (ready == -1 && note == NULL && owner == NULL)
		return usage_error(READY_USAGE, "give --yes, --no, --note or "
		    "--owner");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = oit_item_set(&app, ACTOR_CLI, item, ready, note, owner)) !=
	    ERR_OK) {
		rc = cmd_fail(READY_USAGE, e, "oit ready --item %s", item);
		goto out;
	}
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* Unix seconds as local "YYYY-MM-DD HH:MM", or "-". */
static void
when(const json_t *v, char out[32])
{
	time_t		t;
	struct tm	tm;

	if (!json_is_integer(v) || (t = (time_t)json_integer_value(v)) <= 0 ||
	    localtime_r(&t, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, 32, "-");
}

/*
 * One line per URL: item, the item's state at a glance, URL id, URL,
 * last check, uptime over 30 days; an item without a URL gets one line
 * with "-" for the URL's columns.
 */
static void
list_print(const json_t *doc)
{
	const json_t	*it, *u, *up;
	const char	*code, *state;
	char		 at[32];
	size_t		 i, j;

	json_array_foreach(json_object_get(doc, "items"), i, it) {
		code = json_string_value(json_object_get(it, "code"));
		state = json_string_value(json_object_get(it, "state"));
		if (json_array_size(json_object_get(it, "urls")) == 0)
			printf("%s\t%s\t-\t-\t-\t-\n", code, state);
		json_array_foreach(json_object_get(it, "urls"), j, u) {
			when(json_object_get(u, "checked_at"), at);
			printf("%s\t%s\t%lld\t%s\t%s\t", code, state,
			    (long long)json_integer_value(json_object_get(u,
			    "id")), json_string_value(json_object_get(u,
			    "url")), at);
			up = json_object_get(u, "uptime_30d");
			if (json_is_number(up))
				printf("%.2f%%\n", json_number_value(up));
			else
				puts("-");
		}
	}
}

/* oit list [--json] */
static int
oit_list_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	json_t		*doc = NULL;
	enum err	 e;
	int		 i, json = 0, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nThe checklist in use: one line per "
		    "evidence URL, tab-separated:\nitem, the item's state "
		    "(up, suspect, down, unknown, not_ready, no_url),\nURL id, "
		    "URL, last check (local time), uptime over 30 days; an "
		    "item\nwithout a URL gets one line with \"-\" for those.  "
		    "--json prints the\ndocument of GET /api/v1/admin/oit.\n",
		    LIST_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return usage_error(LIST_USAGE, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = oit_list(&app, &doc)) != ERR_OK) {
		rc = cmd_fail(LIST_USAGE, e, "oit list");
		goto out;
	}
	if (json)
		print_json(doc);
	else
		list_print(doc);
	rc = fflush(stdout) == EOF ? 1 : 0;
out:
	json_decref(doc);
	app_close(&app);
	return rc;
}

/* oit check [--json]: one pass now; exit 1 if any URL is down. */
static int
oit_check_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	json_t		*arr = NULL, *c, *v;
	const char	*state, *err;
	enum err	 e;
	size_t		 k;
	int		 i, json = 0, down = 0, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nChecks every watched evidence URL once, "
		    "now, and prints one line\neach: item, state, HTTP status, "
		    "URL and why it is not up.  --json\nprints the results as "
		    "an array.  Exit status 1 if any URL is down.\n",
		    CHECK_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return usage_error(CHECK_USAGE, "unexpected argument "
			    "\"%s\"", argv[i]);
	}
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((e = oit_check_now(&app, &arr)) != ERR_OK) {
		rc = cmd_fail(CHECK_USAGE, e, "oit check");
		goto out;
	}
	json_array_foreach(arr, k, c) {
		state = json_string_value(json_object_get(c, "state"));
		if (state != NULL && strcmp(state, "down") == 0)
			down = 1;
		if (json)
			continue;
		v = json_object_get(c, "status");
		err = json_string_value(json_object_get(c, "error"));
		printf("%s\t%s\t%lld\t%s%s%s\n",
		    json_string_value(json_object_get(c, "item")) != NULL ?
		    json_string_value(json_object_get(c, "item")) : "-",
		    state != NULL ? state : "unknown",
		    json_is_integer(v) ? (long long)json_integer_value(v) : 0,
		    json_string_value(json_object_get(c, "url")) != NULL ?
		    json_string_value(json_object_get(c, "url")) : "-",
		    err != NULL && err[0] != '\0' ? "\t" : "",
		    err != NULL ? err : "");
	}
	if (json)
		print_json(arr);
	rc = fflush(stdout) == EOF ? 1 : down;
out:
	json_decref(arr);
	app_close(&app);
	return rc;
}

/* ita-survey oit add|remove|ready|list|check|report */
int
cmd_oit(struct config *cfg, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct config *, int, char **);
	} subs[] = {
		{ "add", oit_add_cmd },
		{ "remove", oit_remove_cmd },
		{ "ready", oit_ready_cmd },
		{ "list", oit_list_cmd },
		{ "check", oit_check_cmd },
		{ "report", cmd_oit_report },
	};
	size_t	i;

	/* "oit SUB --help" is the subcommand's own help. */
	if (argc > 0)
		for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
			if (strcmp(argv[0], subs[i].name) == 0)
				return subs[i].fn(cfg, argc - 1, argv + 1);
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nThe OIT evidence desk: each item of the "
		    "year's OIT checklist, its\nevidence URLs and the working "
		    "group's word on it.  \"ita-survey oit\nSUBCOMMAND --help\" "
		    "tells more.\n", OIT_USAGE);
		return 0;
	}
	if (argc == 0)
		return usage_error(OIT_USAGE, "expected add, remove, ready, "
		    "list, check or report");
	return usage_error(OIT_USAGE, "unknown subcommand \"%s\"", argv[0]);
}
