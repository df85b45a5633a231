/* SPDX-License-Identifier: ISC */
/*
 * ita-survey settings get | set: the settings from the shell (the
 * agency's name every export carries).  The rules are settings.c's; this
 * file translates arguments and output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "oit.h"

#define SETTINGS_USAGE \
	"ita-survey settings get [NAME] [--json]\n" \
	"       ita-survey settings set NAME VALUE"

/* settings get [NAME] [--json] */
static int
settings_get_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	const char	*name = NULL, *k;
	char		*v = NULL;
	json_t		*o = NULL, *jv;
	enum err	 e;
	int		 i, json = 0, rc = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else
			return usage_error(SETTINGS_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (name != NULL && settings_check(name, "") != ERR_OK)
		return cmd_fail(SETTINGS_USAGE, ERR_UNKNOWN_SETTING,
		    "settings get %s", name);
	if (cmd_open(&app, cfg, 0) == -1)
		goto out;
	if (name != NULL) {
		if ((e = settings_get(&app, name, &v)) != ERR_OK) {
			rc = cmd_fail(SETTINGS_USAGE, e, "settings get %s",
			    name);
			goto out;
		}
		o = json_pack("{s:s}", name, v);
	} else if ((e = settings_json(&app, &o)) != ERR_OK) {
		rc = cmd_fail(SETTINGS_USAGE, e, "settings get");
		goto out;
	}
	if (o == NULL)
		goto out;
	if (json) {
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
	} else if (name != NULL)
		puts(v);
	else
		json_object_foreach(o, k, jv)
			printf("%s\t%s\n", k, json_string_value(jv));
	rc = fflush(stdout) == EOF ? 1 : 0;
out:
	free(v);
	json_decref(o);
	app_close(&app);
	return rc;
}

/* settings set NAME VALUE */
static int
settings_set_cmd(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	json_t		*o = NULL;
	const char	*bad;
	char		 rule[ERR_MESSAGE_MAX];
	enum err	 e;
	int		 rc = 1;

	if (argc != 2 || argv[0][0] == '-')
		return usage_error(SETTINGS_USAGE, "expected NAME VALUE");
	/* Checked before anything is opened: bad usage either way. */
	if ((e = settings_check(argv[0], argv[1])) == ERR_BAD_OIT_SETTING &&
	    oit_setting_rule(argv[0], rule, sizeof(rule)) != NULL) {
		fprintf(stderr, "ita-survey: settings set: %s\n", rule);
		return EXIT_USAGE;
	}
	if (e != ERR_OK)
		return cmd_fail(SETTINGS_USAGE, e, "settings set %s", argv[0]);
	if (cmd_open(&app, cfg, 0) == -1)
		goto out;
	o = json_pack("{s:s}", argv[0], argv[1]);
	if (o == NULL)
		goto out;
	if ((e = settings_set(&app, ACTOR_CLI, o, &bad)) != ERR_OK) {
		rc = cmd_fail(SETTINGS_USAGE, e, "settings set %s", argv[0]);
		goto out;
	}
	rc = 0;
out:
	json_decref(o);
	app_close(&app);
	return rc;
}

/* ita-survey settings get|set */
int
cmd_settings(struct config *cfg, int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nget prints NAME's value alone on a line "
		    "(an empty line when unset), or\nwithout NAME every "
		    "setting as NAME<TAB>VALUE lines; --json prints an\n"
		    "object.  set changes one (an empty VALUE unsets it), "
		    "with an audit line.\n\nsettings:\n  %-8s the agency's "
		    "name, on every export (at most %d bytes)\n",
		    SETTINGS_USAGE, SETTING_AGENCY, AGENCY_MAX);
		return 0;
	}
	if (argc == 0)
		return usage_error(SETTINGS_USAGE, "expected get or set");
	if (strcmp(argv[0], "get") == 0)
		return settings_get_cmd(cfg, argc - 1, argv + 1);
	if (strcmp(argv[0], "set") == 0)
		return settings_set_cmd(cfg, argc - 1, argv + 1);
	return usage_error(SETTINGS_USAGE, "unknown subcommand \"%s\"",
	    argv[0]);
}
